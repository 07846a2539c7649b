#!/usr/bin/env python3
"""gen_loghub_varied.py: the Loghub 2k sets repeated to any number of lines, with their variables varied, for
bench/mine.sh.

    python3 bench/gen_loghub_varied.py DATA_DIR OUTDIR --lines N [--seed S] [--jobs N]

Writes OUTDIR/<System>/<System>.log for each system FORMATS.md lists, N lines in all (N/8 each, the remainder
to the first ones). Each file is its system's 2,000 lines over and over: the first pass as they are, every later
pass with the variables of the Content changed, so a miner sees the same templates with new values rather than
the same 16,000 lines again (a cache of whole lines would otherwise look fast). The header (timestamp, level,
pid, component: everything before <Content> in the system's format) is kept as it is, so header detection
works as on the real file. In the Content:

* IPv4 addresses get new octets (0-255, same shape, port kept as a number of the same length),
* times hh:mm:ss get a new valid time,
* hexadecimal runs of 8 or more characters that mix digits and letters (ids, GUID parts) get new hex digits,
* any other run of digits not touching a letter or digit (`blk_-123`, `size 4096`, `[pid 17]`, each part of
  `attempt_1445144423722_0020_m_000001_0`; not `jk2_init`, `IPv4` or `0x1f`) gets new digits, as many as before,
  with no new leading zero. A constant such as `x86_64` would have its `64` changed; the 8 sets have none.

Constant words are never changed, so the templates stay those of the ground truth. The output is a function
of (DATA_DIR's files, N, --seed) only; each system has its own random.Random seeded from a string.
Lines end with LF; every file ends with one.
"""

import argparse
import os
import random
import re
import sys
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loghub_formats  # noqa: E402

VARIABLE = re.compile(
    r"(?P<ip>(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.]))"
    r"|(?P<time>(?<!\d)\d\d:\d\d:\d\d(?!\d))"
    r"|(?P<hex>(?<![0-9A-Za-z])(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}(?![0-9A-Za-z]))"
    r"|(?P<num>(?<![A-Za-z0-9])\d+(?![A-Za-z0-9]))")
HEX = "0123456789abcdef"


def split_line(line, rx):
    """(header, [literal, variable, literal, ...]) for one source line; the Content's variables at odd indexes."""
    m = rx.search(line)
    start = m.start("Content") if m else 0
    head, content = line[:start], line[start:]
    parts = []
    pos = 0
    for v in VARIABLE.finditer(content):
        parts.append(content[pos:v.start()])
        parts.append((v.lastgroup, v.group()))
        pos = v.end()
    parts.append(content[pos:])
    return head, parts


def new_value(kind, old, rng):
    if kind == "ip":
        return ".".join(str(rng.randrange(256)) for _ in range(4))
    if kind == "time":
        return "{:02d}:{:02d}:{:02d}".format(rng.randrange(24), rng.randrange(60), rng.randrange(60))
    if kind == "hex":
        upper = old.isupper()
        s = "".join(rng.choice(HEX) for _ in old)
        return s.upper() if upper else s
    # num: same length; a leading digit is 0 only where it was (e.g. "007", or "0" alone)
    if len(old) == 1:
        return str(rng.randrange(10))
    first = "0" if old[0] == "0" else str(rng.randrange(1, 10))
    return first + "".join(str(rng.randrange(10)) for _ in old[1:])


def write_system(job):
    system, fmt, src, dst, count, seed = job
    rx = loghub_formats.header_regex(fmt)
    with open(src, encoding="utf-8", errors="surrogateescape", newline="") as f:
        lines = [ln.strip() for ln in f.read().splitlines()]
    split = [split_line(ln, rx) for ln in lines]
    rng = random.Random("{}/{}".format(seed, system))
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    out = []
    written = 0
    with open(dst, "w", encoding="utf-8", errors="surrogateescape", newline="\n") as f:
        while written < count:
            first_pass = written < len(lines)
            for i, (head, parts) in enumerate(split):
                if written >= count:
                    break
                if first_pass:
                    out.append(lines[i])
                else:
                    out.append(head + "".join(p if k % 2 == 0 else new_value(p[0], p[1], rng)
                                              for k, p in enumerate(parts)))
                written += 1
                if len(out) >= 20000:
                    f.write("\n".join(out) + "\n")
                    out = []
        if out:
            f.write("\n".join(out) + "\n")
    return system, written


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", help="the Loghub 2k folder (with FORMATS.md and <System>/<System>_2k.log)")
    ap.add_argument("outdir")
    ap.add_argument("--lines", type=int, required=True, help="total lines over all systems")
    ap.add_argument("--seed", default="casebook-mine-1")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    args = ap.parse_args(argv)
    if args.lines < 1 or args.jobs < 1:
        ap.error("--lines and --jobs must be positive")
    try:
        formats = loghub_formats.read_formats(os.path.join(args.data, "FORMATS.md"))
    except (OSError, ValueError) as e:
        sys.stderr.write("gen_loghub_varied: {}\n".format(e))
        return 1
    jobs = []
    for k, (system, fmt) in enumerate(formats):
        count = args.lines // len(formats) + (1 if k < args.lines % len(formats) else 0)
        src = os.path.join(args.data, system, system + "_2k.log")
        if not os.path.isfile(src):
            sys.stderr.write("gen_loghub_varied: {} not found\n".format(src))
            return 1
        jobs.append((system, fmt, src, os.path.join(args.outdir, system, system + ".log"), count, args.seed))
    if args.jobs == 1:
        total = sum(n for _, n in map(write_system, jobs))
    else:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            total = sum(n for _, n in pool.map(write_system, jobs))
    if total != args.lines:
        sys.stderr.write("gen_loghub_varied: wrote {} lines, not {}\n".format(total, args.lines))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
