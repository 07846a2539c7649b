#!/usr/bin/env python3
"""Tests of bench/loghub_score.py: hand-made truth/prediction pairs whose GA, PA and FGA are worked out by hand
in each test's comment, the byte-exact template comparison, CSV quoting, and every bad input it must refuse.

Run: python3 tests/scorer/test_loghub_score.py (meson: `meson test -C build scorer`). Standard library only.
"""

import importlib.util
import io
import os
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
SCORER = os.path.join(HERE, "..", "..", "bench", "loghub_score.py")

spec = importlib.util.spec_from_file_location("loghub_score", SCORER)
ls = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ls)


def csv_quote(s):
    return '"' + s.replace('"', '""') + '"'


class Files:
    """Writes a structured CSV and a predictions TSV into a temporary directory."""

    def __init__(self, tmp):
        self.tmp = tmp

    def truth(self, templates, name="truth.csv"):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("LineId,Content,EventId,EventTemplate\r\n")
            for i, t in enumerate(templates, 1):
                f.write("{},{},E{},{}\r\n".format(i, csv_quote("line %d" % i), i, csv_quote(t)))
        return path

    def pred(self, templates, name="pred.tsv", order=None):
        rows = list(enumerate(templates, 1))
        if order is not None:
            rows = [rows[k] for k in order]
        return self.raw("".join("{}\t{}\n".format(i, t) for i, t in rows), name)

    def raw(self, text, name="pred.tsv"):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path


class ScoreCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.f = Files(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def scores(self, truth, pred, **kw):
        return ls.score_files(self.f.truth(truth), self.f.pred(pred, **kw))

    def assertScores(self, r, ga, pa, fga=None, found=None, true=None):
        self.assertAlmostEqual(r["ga"], ga, places=12)
        self.assertAlmostEqual(r["pa"], pa, places=12)
        if fga is not None:
            self.assertAlmostEqual(r["fga"], fga, places=12)
        if found is not None:
            self.assertEqual(r["found_templates"], found)
        if true is not None:
            self.assertEqual(r["true_templates"], true)


class TestScores(ScoreCase):
    def test_perfect(self):
        t = ["open <*>", "open <*>", "close <*>", "abort"]
        self.assertScores(self.scores(t, t), 1.0, 1.0, 1.0, found=3, true=3)

    def test_perfect_grouping_wrong_text(self):
        # Groups identical, no template string right: GA 1, PA 0.
        t = ["open <*>", "open <*>", "close <*>", "abort"]
        p = ["X", "X", "Y", "Z"]
        self.assertScores(self.scores(t, p), 1.0, 0.0, 1.0, found=3, true=3)

    def test_everything_in_one_group(self):
        # One predicted group of 5 lines equals none of the true groups (3, 1, 1 lines): GA 0.
        # PA: 3 lines predicted "open <*>" are right. FGA: no correct group -> 0.
        t = ["open <*>", "open <*>", "open <*>", "close <*>", "abort"]
        p = ["open <*>"] * 5
        self.assertScores(self.scores(t, p), 0.0, 3 / 5, 0.0, found=1, true=3)

    def test_one_true_group_one_predicted_group(self):
        self.assertScores(self.scores(["a <*>"] * 4, ["b"] * 4), 1.0, 0.0, 1.0)

    def test_split_groups(self):
        # True: A x4, B x2. Predicted: A splits into "A" x2 and "A2" x2, B right.
        # GA: only B's 2 lines -> 2/6. PA: 2 lines "A" + 2 lines "B" -> 4/6.
        # FGA: correct groups 1; PGA 1/3 (3 predicted), RGA 1/2 -> 2*(1/3)(1/2)/(5/6) = 0.4.
        t = ["A"] * 4 + ["B"] * 2
        p = ["A", "A", "A2", "A2", "B", "B"]
        self.assertScores(self.scores(t, p), 2 / 6, 4 / 6, 0.4, found=3, true=2)

    def test_merged_groups(self):
        # True A x2, B x2, C x1; A and B merged into P, C right: GA 1/5, PA 1/5.
        # FGA: PGA 1/2, RGA 1/3 -> 2*(1/6)/(5/6) = 0.4.
        t = ["A", "A", "B", "B", "C"]
        p = ["P", "P", "P", "P", "C"]
        self.assertScores(self.scores(t, p), 1 / 5, 1 / 5, 0.4)

    def test_group_with_an_extra_line_is_wrong(self):
        # A's two lines are all P, but P also holds a B line: the sets differ, so A is wrong, and B (P and Q)
        # is wrong too. GA 0 although every A line carries one template.
        t = ["A", "A", "B", "B"]
        p = ["P", "P", "P", "Q"]
        self.assertScores(self.scores(t, p), 0.0, 0.0, 0.0)

    def test_same_partition_different_names_is_order_free(self):
        # Rows in any order: scored by line number, not by row position.
        t = ["A", "B", "A", "C", "B"]
        p = ["x", "y", "x", "z", "y"]
        r = self.scores(t, p, order=[4, 2, 0, 3, 1])
        self.assertScores(r, 1.0, 0.0, 1.0)

    def test_exact_text_whitespace_counts(self):
        # The evaluator compares strings exactly: a doubled space, a trailing space, another case or a
        # different wildcard spelling are all wrong for PA; grouping is unaffected.
        t = ["Got <*> from <*>"] * 5
        p = ["Got <*> from <*>", "Got <*>  from <*>", "Got <*> from <*> ", "got <*> from <*>", "Got * from *"]
        r = self.scores(t, p)
        self.assertScores(r, 0.0, 1 / 5, 0.0)

    def test_tab_inside_template_and_quoted_csv(self):
        # The template is everything after the first tab; CSV fields with commas, quotes and a line break
        # (in Content) are read as the csv module reads them. The last row has no final newline.
        path_t = self.f.raw('LineId,Content,EventTemplate\n'
                            '1,"a, ""b""\tc","a, ""b""\t<*>"\n'
                            '2,"two\nlines",two lines\n'
                            '3,plain,plain\n', "quoted.csv")
        r = ls.score_files(path_t, self.f.raw('1\ta, "b"\t<*>\n2\ttwo lines\n3\tplain'))
        self.assertScores(r, 1.0, 1.0, true=3)
        r = ls.score_files(path_t, self.f.raw('1\ta, "b" <*>\n2\ttwo lines\n3\tplain'))
        self.assertScores(r, 1.0, 2 / 3)

    def test_crlf_in_predictions_is_part_of_the_template(self):
        # Only the LF ends a row: a CR left by a miner is a wrong character, not silently dropped.
        path_t = self.f.truth(["a", "b"])
        r = ls.score_files(path_t, self.f.raw("1\ta\r\n2\tb\r\n"))
        self.assertScores(r, 1.0, 0.0)

    def test_empty_true_template_left_out_of_ga(self):
        # Line 3 has no true template: left out of GA (2 lines, both right), counted wrong in PA (2/3).
        t = ["A", "A", ""]
        p = ["A", "A", ""]
        r = self.scores(t, p)
        self.assertScores(r, 1.0, 2 / 3, 1.0, true=1)

    def test_empty_predicted_template_is_a_template(self):
        t = ["A", "A", "B"]
        p = ["", "", "B"]
        self.assertScores(self.scores(t, p), 1.0, 1 / 3)

    def test_real_header_extra_columns(self):
        # A Loghub file has header columns before Content; only LineId and EventTemplate matter.
        path = os.path.join(self.f.tmp, "real.csv")
        with open(path, "w", newline="") as f:
            f.write("LineId,Date,Time,Level,Component,Content,EventId,EventTemplate\n")
            f.write('1,81109,203615,INFO,dfs.DataNode,"PacketResponder 1, done",E10,"PacketResponder <*>, done"\n')
            f.write("2,81109,203616,INFO,dfs.DataNode,Verified blk_1,E3,Verified <*>\n")
        r = ls.score_files(path, self.f.raw("2\tVerified <*>\n1\tPacketResponder <*>, done\n"))
        self.assertScores(r, 1.0, 1.0, 1.0)


class TestBadInput(ScoreCase):
    def refuse(self, truth_path, pred_path, *needles):
        with self.assertRaises(ls.ScoreError) as cm:
            ls.score_files(truth_path, pred_path)
        for n in needles:
            self.assertIn(n, str(cm.exception))

    def test_missing_lines(self):
        self.refuse(self.f.truth(["a", "b", "c"]), self.f.raw("1\ta\n3\tc\n"), "no prediction for 1 line", ": 2")

    def test_extra_lines(self):
        self.refuse(self.f.truth(["a", "b"]), self.f.raw("1\ta\n2\tb\n3\tc\n7\td\n"), "2 prediction(s)", "3, 7")

    def test_missing_and_extra_both_reported(self):
        self.refuse(self.f.truth(["a", "b"]), self.f.raw("1\ta\n3\tc\n"), "no prediction", "2", "3")

    def test_many_missing_lines_are_summarised(self):
        self.refuse(self.f.truth(["a"] * 20), self.f.raw("1\ta\n"), "19 line", "(19 in all)")

    def test_duplicate_prediction(self):
        self.refuse(self.f.truth(["a", "b"]), self.f.raw("1\ta\n2\tb\n2\tb\n"), "pred.tsv:3", "second prediction")

    def test_row_without_tab(self):
        self.refuse(self.f.truth(["a"]), self.f.raw("1 a\n"), "pred.tsv:1", "no tab")

    def test_blank_row(self):
        self.refuse(self.f.truth(["a", "b"]), self.f.raw("1\ta\n\n2\tb\n"), "pred.tsv:2", "no tab")

    def test_bad_line_numbers(self):
        for text in ("x\ta\n", "-1\ta\n", " 1\ta\n", "1.0\ta\n"):
            self.refuse(self.f.truth(["a"]), self.f.raw(text), "is not a line number")
        self.refuse(self.f.truth(["a"]), self.f.raw("0\ta\n"), "start at 1")

    def test_empty_predictions(self):
        self.refuse(self.f.truth(["a"]), self.f.raw(""), "no rows")

    def test_predictions_not_utf8(self):
        path = os.path.join(self.f.tmp, "bin.tsv")
        with open(path, "wb") as f:
            f.write(b"1\ta\xff\n")
        self.refuse(self.f.truth(["a"]), path, "bin.tsv:1", "not UTF-8")

    def test_truth_without_columns(self):
        path = self.f.raw("LineId,Content,EventId\n1,x,E1\n", "nocol.csv")
        self.refuse(path, self.f.raw("1\ta\n"), "no 'EventTemplate' column")
        path = self.f.raw("", "empty.csv")
        self.refuse(path, self.f.raw("1\ta\n"), "no 'LineId' column", "the file is empty")

    def test_truth_bad_rows(self):
        head = "LineId,EventTemplate\n"
        self.refuse(self.f.raw(head + "1,a\n1,b\n", "dup.csv"), self.f.raw("1\ta\n"), "dup.csv:3", "twice")
        self.refuse(self.f.raw(head + "one,a\n", "nan.csv"), self.f.raw("1\ta\n"), "not an integer")
        self.refuse(self.f.raw(head + "0,a\n", "zero.csv"), self.f.raw("1\ta\n"), "start at 1")
        self.refuse(self.f.raw(head + "1\n", "short.csv"), self.f.raw("1\ta\n"), "fewer fields")
        self.refuse(self.f.raw(head, "norows.csv"), self.f.raw("1\ta\n"), "norows.csv: no rows")

    def test_missing_file(self):
        self.refuse(os.path.join(self.f.tmp, "nope.csv"), self.f.raw("1\ta\n"), "nope.csv", "No such file")
        self.refuse(self.f.truth(["a"]), os.path.join(self.f.tmp, "nope.tsv"), "nope.tsv", "No such file")


class TestCommandLine(ScoreCase):
    def run_cli(self, *args):
        return subprocess.run([sys.executable, SCORER] + list(args), capture_output=True, text=True)

    def test_formats(self):
        t = self.f.truth(["A"] * 4 + ["B"] * 2)
        p = self.f.pred(["A", "A", "A2", "A2", "B", "B"])
        r = self.run_cli(t, p)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "GA 0.3333  PA 0.6667  FGA 0.4000  templates found 3 / true 2  lines 6\n")
        r = self.run_cli(t, p, "--format", "tsv")
        self.assertEqual(r.stdout, "0.3333\t0.6667\t0.4000\t3\t2\t6\n")
        r = self.run_cli(t, p, "--format", "json")
        self.assertIn('"found_templates": 3', r.stdout)
        self.assertIn('"lines": 6', r.stdout)

    def test_explain(self):
        t = self.f.truth(["A"] * 4 + ["B"] * 2)
        p = self.f.pred(["A", "A", "A2", "A2", "B", "B"])
        r = self.run_cli(t, p, "--explain", "3")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("wrongly grouped (1 true templates):\n      4  A\n", r.stdout)
        self.assertIn("            2 -> A2\n", r.stdout)
        self.assertIn("wrong template text (1 true templates):\n      2  A\n", r.stdout)
        r = self.run_cli(t, p, "--explain", "3", "--format", "tsv")
        self.assertEqual(r.stdout.count("\n"), 1)
        self.assertIn("wrongly grouped", r.stderr)

    def test_bad_input_exit_1(self):
        r = self.run_cli(self.f.truth(["a", "b"]), self.f.raw("1\ta\n"))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertTrue(r.stderr.startswith("loghub_score: "), r.stderr)
        self.assertIn("no prediction for 1 line", r.stderr)

    def test_usage_exit_2(self):
        self.assertEqual(self.run_cli().returncode, 2)
        self.assertEqual(self.run_cli("a", "b", "--format", "xml").returncode, 2)
        self.assertEqual(self.run_cli("a", "b", "--explain", "-1").returncode, 2)

    def test_main_in_process(self):
        # main() returns the status rather than exiting, so a caller can reuse it.
        out, err = io.StringIO(), io.StringIO()
        t = self.f.truth(["a"])
        with redirect_stdout(out), redirect_stderr(err):
            rc = ls.main([t, self.f.raw("1\ta\n")])
        self.assertEqual(rc, 0)
        self.assertIn("GA 1.0000  PA 1.0000", out.getvalue())


if __name__ == "__main__":
    unittest.main(verbosity=2)
