#!/usr/bin/env python3
"""Tests of the benchmark's Loghub helpers: bench/loghub_formats.py (the header formats read from FORMATS.md,
and the benchmark's header regex), bench/gen_loghub_varied.py (the Loghub sets repeated with varied
variables for bench/mine.sh) and bench/drain_ref.py (the reference Drain), the last also end to end: on the 8
systems, with bench/loghub_score.py, it must give the Loghub-2.0 paper's published Drain figures.

Uses ../shared/data/loghub-2k beside the repository (or $LOGHUB_DIR) where it is there; the tests that need it
are skipped otherwise. Standard library only. Run: python3 tests/scorer/test_loghub_tools.py
"""

import importlib.util
import os
import random
import re
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.join(HERE, "..", "..", "bench")
DATA = os.environ.get("LOGHUB_DIR") or os.path.join(HERE, "..", "..", "..", "shared", "data", "loghub-2k")
HAVE_DATA = os.path.isfile(os.path.join(DATA, "FORMATS.md"))


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(BENCH, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # gen_loghub_varied's worker processes look their function up by module name
    sys.path.insert(0, BENCH)
    spec.loader.exec_module(mod)
    return mod


lf = load("loghub_formats")
gv = load("gen_loghub_varied")
dr = load("drain_ref")
ls = load("loghub_score")

SAMPLE_MD = """# Formats

Formats exactly as the benchmark script gives them, one system per line:

```
HDFS       <Date> <Time> <Pid> <Level> <Component>: <Content>
Zookeeper  <Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>      (two spaces after <Level>)
HealthApp  <Time>\\|<Component>\\|<Pid>\\|<Content>
```

## Drain's settings

```
system st
HDFS   0.5
```
"""


class TestFormats(unittest.TestCase):
    def write(self, text):
        fd, path = tempfile.mkstemp(suffix=".md")
        with os.fdopen(fd, "w") as f:
            f.write(text)
        self.addCleanup(os.unlink, path)
        return path

    def test_reads_the_block_and_drops_the_note(self):
        got = lf.read_formats(self.write(SAMPLE_MD))
        self.assertEqual(got, [
            ("HDFS", "<Date> <Time> <Pid> <Level> <Component>: <Content>"),
            ("Zookeeper", "<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>"),
            ("HealthApp", "<Time>\\|<Component>\\|<Pid>\\|<Content>"),
        ])

    def test_refuses_other_shapes(self):
        with self.assertRaisesRegex(ValueError, "no code block"):
            lf.read_formats(self.write("# nothing here\n"))
        with self.assertRaisesRegex(ValueError, "cannot read the format line"):
            lf.read_formats(self.write(SAMPLE_MD.replace("\\|<Content>", "\\|<Msg>")))

    def test_header_regex_as_the_benchmark_builds_it(self):
        rx = lf.header_regex("<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>")
        m = rx.search("2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774]"
                      " - Notification time out: 3200")
        self.assertEqual(m.group("Level"), "INFO")
        self.assertEqual(m.group("Content"), "Notification time out: 3200")
        rx = lf.header_regex("<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>")
        self.assertEqual(rx.search("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown")
                         .group("Content"), "check pass; user unknown")
        self.assertEqual(rx.search("Jun  9 06:06:20 combo syslogd 1.4.1: restart.").group("Content"), "restart.")

    @unittest.skipUnless(HAVE_DATA, "no Loghub 2k folder at " + DATA)
    def test_every_line_of_the_data_splits(self):
        formats = lf.read_formats(os.path.join(DATA, "FORMATS.md"))
        self.assertEqual([s for s, _ in formats],
                         ["HDFS", "Hadoop", "Spark", "Zookeeper", "OpenSSH", "Apache", "Linux", "HealthApp"])
        for system, fmt in formats:
            rx = lf.header_regex(fmt)
            with open(os.path.join(DATA, system, system + "_2k.log"), encoding="utf-8") as f:
                lines = f.read().splitlines()
            self.assertEqual(len(lines), 2000, system)
            unmatched = [n for n, ln in enumerate(lines, 1) if not rx.search(ln.strip())]
            self.assertEqual(unmatched, [], system)


class TestVariation(unittest.TestCase):
    def vary(self, content, seed="t"):
        head, parts = gv.split_line("H: " + content, re.compile(r"^(?P<H>.*?): (?P<Content>.*?)$"))
        self.assertEqual(head, "H: ")
        rng = random.Random(seed)
        return "".join(p if k % 2 == 0 else gv.new_value(p[0], p[1], rng) for k, p in enumerate(parts)), parts

    def test_kinds(self):
        _, parts = self.vary("from 10.251.73.220:50010 at 15:16:01 id 3f2a9c00e1 blk_-1608999687919862906 "
                             "jk2_init() IPv4 deadbeefcafe 0x1f")
        self.assertEqual([p for k, p in enumerate(parts) if k % 2], [
            ("ip", "10.251.73.220"), ("num", "50010"), ("time", "15:16:01"), ("hex", "3f2a9c00e1"),
            ("num", "1608999687919862906")])

    def test_values_keep_their_shape(self):
        for seed in range(50):
            out, _ = self.vary("from 10.251.73.220:50010 at 15:16:01 id 3f2a9c00e1 n 7 code 007 jk2_init()",
                               seed=str(seed))
            m = re.fullmatch(r"from (\d+)\.(\d+)\.(\d+)\.(\d+):(\d{5}) at (\d\d):(\d\d):(\d\d) id ([0-9a-f]{10}) "
                             r"n (\d) code (0\d\d) jk2_init\(\)", out)
            self.assertIsNotNone(m, out)
            self.assertTrue(all(0 <= int(m.group(i)) <= 255 for i in range(1, 5)), out)
            self.assertNotEqual(m.group(5)[0], "0", out)
            self.assertTrue(int(m.group(6)) < 24 and int(m.group(7)) < 60 and int(m.group(8)) < 60, out)

    def test_constants_untouched(self):
        text = "jk2_init() Found child in scoreboard slot; IPv4 sshd2 deadbeef 0x1f r2d2"
        out, parts = self.vary(text)
        self.assertEqual(out, text)
        self.assertEqual(len(parts), 1)

    def test_generate(self):
        # Two tiny systems: counts split with the remainder first, first pass verbatim, later passes keep the
        # header and the constants, vary the variables, and the output is the same for the same seed.
        with tempfile.TemporaryDirectory() as tmp:
            data = os.path.join(tmp, "data")
            os.makedirs(os.path.join(data, "A"))
            os.makedirs(os.path.join(data, "B"))
            with open(os.path.join(data, "FORMATS.md"), "w") as f:
                f.write("Formats exactly as the benchmark script gives them\n\n```\n"
                        "A  <Time> <Level> <Content>\nB  \\[<Time>\\] <Content>\n```\n")
            with open(os.path.join(data, "A", "A_2k.log"), "w") as f:
                f.write("081109 INFO Served block blk_38865 to /10.250.19.102\n081110 WARN disk full")
            with open(os.path.join(data, "B", "B_2k.log"), "w") as f:
                f.write("[12:00:01] job 17 done in 340 ms\n")
            for name, jobs in (("o1", "1"), ("o2", "2")):  # in this process, and in two workers
                self.assertEqual(gv.main([data, os.path.join(tmp, name), "--lines", "7", "--jobs", jobs]), 0)
            a = open(os.path.join(tmp, "o1", "A", "A.log")).read()
            b = open(os.path.join(tmp, "o1", "B", "B.log")).read()
            self.assertEqual(a, open(os.path.join(tmp, "o2", "A", "A.log")).read())
            a, b = a.split("\n"), b.split("\n")
            self.assertEqual((len(a), len(b)), (4 + 1, 3 + 1))  # 7 = 4 + 3, each file ends with a newline
            self.assertEqual(a[:2], ["081109 INFO Served block blk_38865 to /10.250.19.102", "081110 WARN disk full"])
            self.assertEqual(a[3], "081110 WARN disk full")
            m = re.fullmatch(r"081109 INFO Served block blk_(\d{5}) to /(\d+\.\d+\.\d+\.\d+)", a[2])
            self.assertIsNotNone(m, a[2])
            self.assertNotEqual((m.group(1), m.group(2)), ("38865", "10.250.19.102"))
            self.assertEqual(b[0], "[12:00:01] job 17 done in 340 ms")
            self.assertRegex(b[1], r"^\[12:00:01\] job \d\d done in \d{3} ms$")
            self.assertNotEqual(b[1], b[0])


class TestDrain(unittest.TestCase):
    def test_tree_behaviour(self):
        d = dr.Drain(0.5, 4, [re.compile(r"(\d+\.){3}\d+")])
        a = d.add("Accepted password for root from 10.0.0.1 port 22")
        b = d.add("Accepted password for alice from 10.0.0.2 port 4022")
        self.assertEqual(a, b)  # same length, similar enough: one cluster, variables become <*>
        self.assertEqual(d.clusters[a], "Accepted password for <*> from <*> port <*>".split())
        c = d.add("Accepted publickey for root from 10.0.0.3 port 22")
        self.assertEqual(c, a)  # 5 of 8 tokens equal to the template (<*> not counted): 0.625 >= 0.5
        e = d.add("Connection closed by 10.0.0.4 [preauth] now ok")
        self.assertNotEqual(e, a)  # same length, another first token: another branch
        f = d.add("Accepted password for root from 10.0.0.1")
        self.assertNotEqual(f, a)  # another length, another cluster

    @unittest.skipUnless(HAVE_DATA, "no Loghub 2k folder at " + DATA)
    def test_reproduces_the_published_drain_figures(self):
        # logpai/loghub-2.0 RQs_experiments/RQ2/effectiveness_results.csv, Drain, 2k: (GA, PA, FGA). HDFS PA
        # and FGA are not reproduced by any Drain setting here (0.3545 and 0.8667; the published 0.500 and
        # 0.839 come from another run), so HDFS is checked on GA only; the averages then equal the issue's
        # anchors, GA 0.886 and PA 0.387.
        published = {"HDFS": (0.998, None, None), "Hadoop": (0.948, 0.269, 0.820), "Spark": (0.922, 0.362, 0.870),
                     "Zookeeper": (0.967, 0.497, 0.854), "OpenSSH": (0.789, 0.508, 0.880),
                     "Apache": (1.000, 0.694, 1.000), "Linux": (0.690, 0.183, 0.930),
                     "HealthApp": (0.780, 0.231, 0.351)}
        settings = dr.read_settings(os.path.join(DATA, "FORMATS.md"))
        ga_sum = pa_sum = 0.0
        with tempfile.TemporaryDirectory() as tmp:
            for system, fmt in lf.read_formats(os.path.join(DATA, "FORMATS.md")):
                out = os.path.join(tmp, system + ".tsv")
                dr.mine(os.path.join(DATA, system, system + "_2k.log"), fmt, out, settings[system])
                r = ls.score_files(os.path.join(DATA, system, system + "_2k.log_structured_loghub2.csv"), out)
                ga, pa, fga = published[system]
                self.assertAlmostEqual(r["ga"], ga, delta=0.00051, msg=system)  # published to 3 places
                if pa is not None:
                    self.assertAlmostEqual(r["pa"], pa, delta=0.00051, msg=system)  # published to 3 places
                    self.assertAlmostEqual(r["fga"], fga, delta=0.00051, msg=system)  # published to 3 places
                ga_sum += r["ga"]
                pa_sum += r["pa"]
        self.assertAlmostEqual(ga_sum / 8, 0.886, delta=0.001)
        self.assertAlmostEqual(pa_sum / 8, 0.387, delta=0.0005)


if __name__ == "__main__":
    unittest.main(verbosity=2)
