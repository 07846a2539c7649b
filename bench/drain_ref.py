#!/usr/bin/env python3
"""drain_ref.py: a reference Drain (He et al., ICWS'17) written here from the algorithm, with the Loghub
benchmark's per-system settings, answering the same command line as `casebook mine` so that bench/loghub.sh can
score it:

    CASEBOOK=bench/drain_ref.py bench/loghub.sh --labels loghub2
    bench/drain_ref.py mine DATA/<S>/<S>_2k.log --log-format FMT --lines OUT.tsv

The official implementations are Python packages on PyPI (drain3; Drain in logpai's logparser), which this
machine cannot install; this one exists to check the scorer and the harness against Drain's published
figures, and to give a same-machine speed reference. Settings come from the data folder's FORMATS.md ("Drain's
benchmark settings": similarity threshold st, tree depth, masking regexes), chosen by the system name in the log
file's name (<System>_2k.log), with the Loghub-2.0 benchmark's one deviation: Spark without regexes (its settings
dict gives Spark a second, empty 'regex' key). `--settings SYSTEM` picks the settings explicitly.

The algorithm, as the benchmark's Drain runs it:
* the header is split off with the log format (the benchmark's regex; a line that does not match is skipped
  and gets no row, as there);
* each masking regex replaces its matches in the Content with `<*>`, in order; the Content is split on whitespace;
* the tree: root -> token count -> the first (depth - 3) tokens (a token with a digit goes to a `<*>` child;
  at most 100 children, the last one being `<*>`) -> a list of clusters;
* a line joins the cluster of its leaf with the highest similarity (tokens equal at the same position, over the
  length; `<*>` positions do not count; ties go to the template with more `<*>`) if that is at least st,
  and the cluster's template gets `<*>` where they differ; otherwise it starts a new cluster;
* a line's template is its cluster's final template, tokens joined with single spaces.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loghub_formats  # noqa: E402

WILD = "<*>"
MAX_CHILD = 100
SETTINGS_MARKER = "Drain's benchmark settings"


def read_settings(formats_md):
    """{system: (st, depth, [regex])} from FORMATS.md's settings block."""
    lines = loghub_formats.code_block(formats_md, SETTINGS_MARKER)
    settings = {}
    for line in lines[1:]:  # the first line is the column header
        cols = re.split(r" {2,}", line.strip())
        if len(cols) < 4:
            raise ValueError("{}: cannot read the settings line {!r}".format(formats_md, line))
        regexes = [] if cols[3] == "(none)" else cols[3:]
        settings[cols[0]] = (float(cols[1]), int(cols[2]), [re.compile(r) for r in regexes])
    if "Spark" in settings:
        settings["Spark"] = (settings["Spark"][0], settings["Spark"][1], [])
    return settings


class Drain:
    def __init__(self, st, depth, regexes):
        self.st = st
        self.levels = depth - 3  # token levels between the length level and the leaves
        self.regexes = regexes
        self.root = {}
        self.clusters = []       # templates (lists of tokens)

    def _leaf(self, tokens, create):
        node = self.root.get(len(tokens))
        if node is None:
            if not create:
                return None
            node = self.root[len(tokens)] = {}
        for token in tokens[:self.levels]:
            if token in node:
                node = node[token]
                continue
            if not create:
                if WILD not in node:
                    return None
                node = node[WILD]
                continue
            if any(c.isdigit() for c in token):
                node = node.setdefault(WILD, {})
            elif WILD in node:
                node = node.setdefault(token, {}) if len(node) < MAX_CHILD else node[WILD]
            elif len(node) + 1 < MAX_CHILD:
                node = node.setdefault(token, {})
            else:
                node = node.setdefault(WILD, {})
        return node.setdefault(None, []) if create else node.get(None)

    def add(self, content):
        """The cluster number of one Content."""
        for rx in self.regexes:
            content = rx.sub(WILD, content)
        tokens = content.split()
        leaf = self._leaf(tokens, create=False)
        best, best_sim, best_par = None, -1.0, -1
        for c in leaf or ():
            template = self.clusters[c]
            same = par = 0
            for a, b in zip(template, tokens):
                if a == WILD:
                    par += 1
                elif a == b:
                    same += 1
            sim = same / len(template) if template else 1.0
            if sim > best_sim or (sim == best_sim and par > best_par):
                best, best_sim, best_par = c, sim, par
        if best is not None and best_sim >= self.st:
            template = self.clusters[best]
            self.clusters[best] = [a if a == b else WILD for a, b in zip(template, tokens)]
            return best
        self.clusters.append(tokens)
        self._leaf(tokens, create=True).append(len(self.clusters) - 1)
        return len(self.clusters) - 1


def mine(path, log_format, out_path, settings):
    rx = loghub_formats.header_regex(log_format)
    drain = Drain(*settings)
    rows = []
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for number, line in enumerate(f, 1):
            m = rx.search(line.strip())
            if m:
                rows.append((number, drain.add(m.group("Content"))))
    with open(out_path, "w", encoding="utf-8", errors="surrogateescape") as out:
        for number, c in rows:
            out.write("{}\t{}\n".format(number, " ".join(drain.clusters[c])))
    return len(rows), len(set(c for _, c in rows))


def main(argv):
    args = argv[1:]
    if args[:1] == ["--version"]:
        print("drain_ref (bench/drain_ref.py)")
        return 0
    if not args or args[0] != "mine":
        sys.stderr.write("usage: drain_ref.py mine FILE --log-format FMT --lines OUT [--settings SYSTEM] "
                         "[--formats FORMATS.md]\n")
        return 2
    if "--help" in args:
        print(__doc__)
        return 0
    opts = {}
    rest = args[1:]
    files = []
    while rest:
        if rest[0] in ("--log-format", "--lines", "--settings", "--formats") and len(rest) > 1:
            opts[rest[0]] = rest[1]
            rest = rest[2:]
        elif rest[0].startswith("-"):
            sys.stderr.write("drain_ref: unknown option '{}'\n".format(rest[0]))
            return 2
        else:
            files.append(rest[0])
            rest = rest[1:]
    if len(files) != 1 or "--log-format" not in opts or "--lines" not in opts:
        sys.stderr.write("drain_ref: give one FILE, --log-format and --lines\n")
        return 2
    path = files[0]
    system = opts.get("--settings") or re.sub(r"_2k\.log$", "", os.path.basename(path))
    formats_md = opts.get("--formats") or os.path.join(os.path.dirname(os.path.abspath(path)), "..", "FORMATS.md")
    try:
        settings = read_settings(formats_md)
    except (OSError, ValueError) as e:
        sys.stderr.write("drain_ref: {}\n".format(e))
        return 1
    if system not in settings:
        sys.stderr.write("drain_ref: no Drain settings for '{}' in {} (use --settings SYSTEM)\n".format(
            system, formats_md))
        return 1
    lines, clusters = mine(path, opts["--log-format"], opts["--lines"], settings[system])
    sys.stderr.write("drain_ref: {} lines, {} templates\n".format(lines, clusters))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
