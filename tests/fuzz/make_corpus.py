#!/usr/bin/env python3
"""Write the seed corpus of every fuzz target of tests/fuzz, from the tests' own inputs.

Nothing here is committed as data: the seeds are taken, at the time `make fuzz`
runs, from what the other test tiers already use, so that they follow them:

  playbook  examples/playbooks, tests/fixtures/playbooks, and one playbook whose
            double-quoted strings hold every kind of control character
  answers   the answers files of tests/cli/walk.t and tests/unit/test_walk.c, and
            answers built from the example playbooks' own tests
  bundle    the small archives and files tests/fixtures/make_fixtures.py writes
  timefmt   the string literals of tests/unit/test_timefmt.c (custom patterns
            paired with the line that follows them)
  literal   every signature pattern of the example playbooks, with each line of
            that playbook's test logs as the subject, and test_literal.c's patterns
  sanitize  the lines of the example playbooks' test logs, the strings of
            tests/unit/test_core.c, and a few hand-made control sequences
  fts       the string literals of tests/unit/test_store.c (its hostile search
            terms among them), one term per seed in each list and mode, and
            the words of the example articles' titles as one query
  article   examples/articles/*.md, and the article texts of tests/unit/test_kb.c
            (the bad-input table: every class of problem)
  mine      a format of tests/unit/test_mine.c, then lines of it
  kbquery   the one-line strings of tests/unit/test_kb.c (typed queries,
            hostile strings, demo-bundle log lines) and the example playbooks'
            test log lines

Usage: make_corpus.py SOURCE_ROOT OUTDIR
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

MAX_SEED = 64 * 1024


def c_strings(path):
    """The string literals of a C file, adjacent ones joined, escapes decoded, as bytes."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    out = []
    lit = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
    pos = 0
    cur = None
    while True:
        m = lit.search(text, pos)
        if not m:
            break
        gap = text[pos:m.start()]
        raw = m.group(1)
        val = decode_c(raw)
        if cur is not None and gap.strip() == "":
            cur += val
        else:
            if cur is not None:
                out.append(cur)
            cur = val
        pos = m.end()
    if cur is not None:
        out.append(cur)
    return out


def decode_c(raw):
    b = bytearray()
    i = 0
    src = raw.encode("utf-8")
    simple = {ord("n"): 10, ord("t"): 9, ord("r"): 13, ord("0"): 0, ord("\\"): 92, ord('"'): 34,
              ord("'"): 39, ord("e"): 27, ord("a"): 7, ord("b"): 8, ord("f"): 12, ord("v"): 11, ord("?"): 63}
    while i < len(src):
        c = src[i]
        if c != 92 or i + 1 >= len(src):
            b.append(c)
            i += 1
            continue
        d = src[i + 1]
        if d == ord("x"):
            j = i + 2
            while j < len(src) and chr(src[j]) in "0123456789abcdefABCDEF":
                j += 1
            b.append(int(src[i + 2:j] or b"0", 16) & 0xFF)
            i = j
        elif ord("0") <= d <= ord("7"):
            j = i + 1
            while j < len(src) and j < i + 4 and ord("0") <= src[j] <= ord("7"):
                j += 1
            b.append(int(src[i + 1:j], 8) & 0xFF)
            i = j
        else:
            b.append(simple.get(d, d))
            i += 2
    return bytes(b)


class Corpus:
    def __init__(self, outdir, name):
        self.dir = os.path.join(outdir, name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.n = 0

    def add(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if len(data) > MAX_SEED:
            return
        name = hashlib.sha1(data).hexdigest()
        path = os.path.join(self.dir, name)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
            self.n += 1


def yaml_files(*roots):
    for root in roots:
        for dirpath, _, files in sorted(os.walk(root)):
            for f in sorted(files):
                if f.endswith((".yaml", ".yml")):
                    yield os.path.join(dirpath, f)


def simple_yaml(path):
    """Just enough of a playbook to pair patterns with test log lines, without a YAML library."""
    text = open(path, encoding="utf-8").read()
    patterns = [unquote(m.group(1)) for m in re.finditer(r"^\s+pattern:\s*(.+)$", text, re.M)]
    lines = []
    for m in re.finditer(r"^(\s+)content:\s*\|[-+]?\s*\n((?:\1\s+.*\n|\s*\n)*)", text, re.M):
        lines += [ln.strip() for ln in m.group(2).splitlines() if ln.strip()]
    for m in re.finditer(r"^\s+content:\s*(['\"].*['\"])\s*$", text, re.M):
        lines.append(unquote(m.group(1)))
    nodes = re.findall(r"^  ([A-Za-z0-9_.-]+):\s*$", text[text.find("\nnodes:"):], re.M) if "\nnodes:" in text else []
    return patterns, lines, nodes


def unquote(s):
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] == "'":
        return s[1:-1].replace("''", "'")
    if len(s) >= 2 and s[0] == s[-1] == '"':
        return s[1:-1].encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8", "replace")
    return s


HOSTILE_PLAYBOOK = r'''casebook: 1
id: hostile-controls
title: "Title \e[2J with CSI \x9b31m, bidi \u202eevil\u202c and \u2066isolate\u2069, DEL \x7f, NUL-free \x01\x1f"
product: "p\x85roduct"
tags: ["\e[1m", "\u202e"]
signatures:
  sig.a:
    pattern: 'job (?<name>\S+) failed'
    describe: "a\tb\rc\x0bd\x0ce\u2028f\u2029g"
start: first
nodes:
  first:
    check: sig.a
    yes: ask.node
    no: done
  ask.node:
    ask: "Choose \e]8;;http://x\e\\link\e]8;;\e\\ or \x9b2J"
    choices:
      "yes \u202e": do.node
      "\x1b[31mred": done
  do.node:
    do: "Run `cmd` \u2067here\u2069\n| a | b |\n# head"
    record: "What \x90DCS\x9c happened?"
    next: done
  done:
    conclude: "Done \x9d OSC \x07"
    cause: "\x80\x81\x9f"
    resolution: "line\nnext \e[0m"
    article: "KB-\u202d1"
'''

# Answers that walk the MTU playbook to its record questions, with control characters in them.
HOSTILE_ANSWERS = [
    '{"resets-in-job-log": "yes", "stalls-before-reset": "yes", "small-packets-work": "yes, only the bulk transfer stalls", '
    '"df-ping": "no, it needs to fragment", '
    '"find-path-mtu": "1372 \\u009b31m passes \\u202e 1373 does not\\u0007", '
    '"where-is-the-limit": "on a VPN \\u2066tunnel\\u2069\\ttab"}',
    'resets-in-job-log: "yes"\nstalls-before-reset: "yes"\nsmall-packets-work: "yes, only the bulk transfer stalls"\n'
    'df-ping: "no, it needs to fragment"\nfind-path-mtu: "1372 \\e]0;title\\a \\x9b passes\\x7f"\n'
    'coach:\n  resets-in-job-log: ["\\x1b[31mstorage", network]\n',
]

SANITIZE_SEEDS = [
    b"plain ascii log line 2024-03-12T10:00:00Z INFO ok",
    b"canceled by user \x1b]0;pwned\x07 \x1b[2J\x1b[H",
    b"C1 CSI \xc2\x9b31m and \xc2\x85 NEL",
    b"bidi \xe2\x80\xaeevil\xe2\x80\xac \xe2\x81\xa6iso\xe2\x81\xa9",
    b"invalid \xff\xfe \xc0\xaf overlong \xed\xa0\x80 surrogate \xf4\x90\x80\x80 big",
    b"truncated \xe2\x82",
    b"tab\there\nline two\r\nline three\x7f\x00nul",
    "é ✓ 🚀 日本語".encode("utf-8"),
    b"\n\n\x1b\n\xc2\n",
]


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    ex = os.path.join(src, "examples", "playbooks")
    fx = os.path.join(src, "tests", "fixtures", "playbooks")

    # playbook
    c = Corpus(out, "playbook")
    for p in yaml_files(ex, fx):
        c.add(open(p, "rb").read())
    c.add(HOSTILE_PLAYBOOK)
    print(f"make_corpus: playbook {c.n} seeds")

    # answers
    c = Corpus(out, "answers")
    walk_t = open(os.path.join(src, "tests", "cli", "walk.t"), encoding="utf-8").read()
    for m in re.finditer(r"cat > walk/\S+ <<'EOF'\n((?:  > .*\n)*?)  > EOF\n", walk_t):
        c.add("".join(ln[4:] + "\n" for ln in m.group(1).splitlines()))
    for m in re.finditer(r"printf '((?:[^'\\]|\\.)*)' > walk/\S+\.(?:yaml|json)", walk_t):
        c.add(decode_c(m.group(1).replace('\\"', '"').replace('"', '\\"')))
    for s in c_strings(os.path.join(src, "tests", "unit", "test_walk.c")):
        if re.match(rb"\s*(\{|[#A-Za-z0-9_.-]+:)", s) and b"\n" in s or s.lstrip().startswith(b"{"):
            c.add(s)
    for s in HOSTILE_ANSWERS:
        c.add(s)
    for p in yaml_files(ex):
        _, _, nodes = simple_yaml(p)
        if nodes:
            c.add("".join(f"{n}: yes\n" for n in nodes) + "coach:\n" + "".join(f"  {n}: [a, b]\n" for n in nodes[:3]))
    print(f"make_corpus: answers {c.n} seeds")

    # bundle
    c = Corpus(out, "bundle")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(src, "tests", "fixtures", "make_fixtures.py"), tmp,
                        os.path.join(tmp, "stamp")], check=True, stdout=subprocess.DEVNULL)
        for dirpath, dirs, files in os.walk(tmp):
            dirs[:] = sorted(d for d in dirs if d != "many")  # 20,000 near-identical files add nothing
            for f in sorted(files):
                p = os.path.join(dirpath, f)
                if os.path.isfile(p) and not os.path.islink(p) and f != "stamp":
                    c.add(open(p, "rb").read())
    print(f"make_corpus: bundle {c.n} seeds")

    # timefmt
    c = Corpus(out, "timefmt")
    strs = c_strings(os.path.join(src, "tests", "unit", "test_timefmt.c"))
    for i, s in enumerate(strs):
        if b"\x00" in s:
            continue
        c.add(s)
        if b"%" in s and i + 1 < len(strs):
            c.add(s + b"\x00" + strs[i + 1])
    for s in (b"2024-03-12T10:00Z", b"2024-03-12T10:00:00+02:00", b"2024-03-12", b"2024-03-12 10:15", b"2h", b"90s",
              b"3d", b"99999999d", b"15m"):
        c.add(s)
    print(f"make_corpus: timefmt {c.n} seeds")

    # literal
    c = Corpus(out, "literal")
    for p in yaml_files(ex):
        patterns, lines, _ = simple_yaml(p)
        for pat in patterns:
            c.add(b"\x00" + pat.encode("utf-8"))
            for ln in lines[:20]:
                c.add(b"\x00" + pat.encode("utf-8") + b"\n" + ln.encode("utf-8"))
                c.add(b"\x01" + pat.encode("utf-8") + b"\n" + ln.upper().encode("utf-8"))
    for s in c_strings(os.path.join(src, "tests", "unit", "test_literal.c")):
        if b"\n" not in s and b"\x00" not in s:
            c.add(b"\x00" + s)
    print(f"make_corpus: literal {c.n} seeds")

    # sanitize
    c = Corpus(out, "sanitize")
    for s in SANITIZE_SEEDS:
        c.add(s)
    for p in yaml_files(ex):
        for ln in simple_yaml(p)[1][:10]:
            c.add(ln)
    for s in c_strings(os.path.join(src, "tests", "unit", "test_core.c")):
        c.add(s)
    print(f"make_corpus: sanitize {c.n} seeds")

    # fts: a mode byte, then terms separated by newlines, each led by its list's byte ('0' words, '1' phrases,
    # '2' prefixes: the byte modulo 3).
    c = Corpus(out, "fts")
    for s in c_strings(os.path.join(src, "tests", "unit", "test_store.c")):
        if b"\n" not in s and len(s) < 256:
            for mode, lst in ((0, b"0"), (1, b"1"), (3, b"2")):
                c.add(bytes([mode]) + lst + s)
    arts = os.path.join(src, "examples", "articles")
    for name in sorted(os.listdir(arts)):
        with open(os.path.join(arts, name), "rb") as f:
            title = next((ln[7:] for ln in f.read().splitlines() if ln.startswith(b"title: ")), b"")
        c.add(b"\x01" + b"\n".join(b"0" + w for w in title.split()))
    print(f"make_corpus: fts {c.n} seeds")

    # article
    c = Corpus(out, "article")
    arts = os.path.join(src, "examples", "articles")
    for f in sorted(os.listdir(arts)):
        if f.endswith(".md"):
            c.add(open(os.path.join(arts, f), "rb").read())
    kb_strings = c_strings(os.path.join(src, "tests", "unit", "test_kb.c"))
    head = b"---\nid: KB-NET-0001\ntitle: T\nstate: wip\naudience: internal\n"
    for s in kb_strings:
        if s.startswith(b"---") or s.startswith(b"\xef\xbb\xbf---"):
            c.add(s)
        elif s.startswith(b"---\n") is False and s.startswith(b"colour") is False and b"\n## " in s:
            c.add(head + s)
    print(f"make_corpus: article {c.n} seeds")

    # kbquery
    c = Corpus(out, "kbquery")
    for s in kb_strings:
        if b"\x00" not in s and len(s) < 4096 and not s.startswith(b"---"):
            c.add(s)
    for p in yaml_files(ex):
        for ln in simple_yaml(p)[1][:10]:
            c.add(ln)
    print(f"make_corpus: kbquery {c.n} seeds")

    # mine: a header format on the first line, log lines after it (formats and lines of test_mine.c)
    c = Corpus(out, "mine")
    mine_strings = [x for x in c_strings(os.path.join(src, "tests", "unit", "test_mine.c"))
                    if b"\x00" not in x and len(x) < 4096]
    formats = [x for x in mine_strings if b"<Content>" in x and b"\n" not in x] + [b"<Content>"]
    lines = [x for x in mine_strings if b"<Content>" not in x]
    for i, fmt in enumerate(formats):
        c.add(fmt + b"\n" + b"\n".join(lines[i * 7:i * 7 + 40]) + b"\n")
    for k in range(0, len(lines), 25):
        c.add(b"<Content>\n" + b"\n".join(lines[k:k + 25]))
    print(f"make_corpus: mine {c.n} seeds")


if __name__ == "__main__":
    main()
