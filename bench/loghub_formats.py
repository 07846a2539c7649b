#!/usr/bin/env python3
"""loghub_formats.py: the header format of each Loghub system, read from the data folder's FORMATS.md.

    python3 bench/loghub_formats.py FORMATS.md     prints System<TAB>format, one line each, in FORMATS.md's order

FORMATS.md gives them in the code block after "Formats exactly as the benchmark script gives them", one
`System  <format>` line each. A format runs from the first non-space after the name to its last `<Content>`
(every format ends there; Zookeeper's line has a note after it). Used by bench/loghub.sh and
bench/gen_loghub_varied.py. Exit status 1 (with the reason) when the file does not have that shape.
"""

import re
import sys

MARKER = "Formats exactly as the benchmark script gives them"


def code_block(path, marker):
    """The lines of the first ``` code block after the text `marker` in the file; ValueError when there is none."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    start = text.find(marker)
    block = re.search(r"```\n(.*?)```", text[start:], re.S) if start >= 0 else None
    if not block:
        raise ValueError("{}: no code block after '{}'".format(path, marker))
    return block.group(1).splitlines()


def read_formats(path):
    """[(system, format)] from FORMATS.md; ValueError when the file does not have the expected shape."""
    formats = []
    for line in code_block(path, MARKER):
        m = re.match(r"(\w+) +(.*<Content>)", line)
        if not m:
            raise ValueError("{}: cannot read the format line {!r}".format(path, line))
        formats.append((m.group(1), m.group(2)))
    if not formats:
        raise ValueError("{}: the format block is empty".format(path))
    return formats


def header_regex(log_format):
    """The benchmark's regex for a format: each <Name> a lazy named group, runs of spaces \\s+, the rest kept as
    regex text, anchored; it is matched against the stripped line (logparser's generate_logformat_regex)."""
    regex = ""
    for k, part in enumerate(re.split(r"(<[^<>]+>)", log_format)):
        if k % 2 == 0:
            regex += re.sub(" +", r"\\s+", part)
        else:
            regex += "(?P<{}>.*?)".format(part.strip("<>"))
    return re.compile("^" + regex + "$")


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: loghub_formats.py FORMATS.md\n")
        return 2
    try:
        formats = read_formats(argv[1])
    except (OSError, ValueError) as e:
        sys.stderr.write("loghub_formats: {}\n".format(e))
        return 1
    for system, fmt in formats:
        sys.stdout.write("{}\t{}\n".format(system, fmt))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
