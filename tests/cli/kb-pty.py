#!/usr/bin/env python3
"""Drive `casebook kb add` through a pseudo-terminal, where it asks instead of refusing.

    kb-pty.py CASEBOOK DB WORKDIR

The database must hold the example articles and a person `cand`.  Four sessions:
  1. kb add with an editor that first writes an unknown state, then fixes it: the problem is shown at its
     line, the user answers Enter to "edit it again?", the second edit parses, the article is created (exit 0).
  2. the same first edit, answered "n": nothing written, the text kept (exit 2).
  3. kb add FILE of an article like KB-NET-0001: the matches are shown and "create ... anyway?" asked;
     answered "n": not created (exit 1).
  4. the same answered "y": created (exit 0).
Prints one line per session; exits 1 (after printing what the terminal showed) on failure.
"""
import os
import pty
import re
import select
import sys
import time

TIMEOUT = 20.0


class Session:
    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        self.out = ""

    def read_until(self, pattern):
        end = time.time() + TIMEOUT
        while not re.search(pattern, self.out):
            left = end - time.time()
            if left <= 0:
                raise TimeoutError(pattern)
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:
                    data = b""
                if not data:
                    raise EOFError(pattern)
                self.out += data.decode("utf-8", "replace").replace("\r\n", "\n")

    def send(self, text):
        os.write(self.fd, text.encode())

    def finish(self):
        try:
            while True:
                r, _, _ = select.select([self.fd], [], [], TIMEOUT)
                if not r:
                    break
                data = os.read(self.fd, 4096)
                if not data:
                    break
                self.out += data.decode("utf-8", "replace").replace("\r\n", "\n")
        except OSError:
            pass
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)


def main():
    casebook, db, work = sys.argv[1:4]
    editor = os.path.join(work, "twice.sh")
    with open(editor, "w") as f:
        f.write("#!/bin/sh\n"
                "# First call: an unknown state; later calls: a valid article.\n"
                "n=$(cat \"$0.count\" 2>/dev/null || echo 0); echo $((n + 1)) > \"$0.count\"\n"
                "if [ \"$n\" = 0 ]; then\n"
                "  sed -i -e 's/^state: wip/state: done/' -e 's/^title: $/title: Quasar flux capacitor hums/' \"$1\"\n"
                "else\n"
                "  sed -i 's/^state: done/state: wip/' \"$1\"\n"
                "  sed -i '/^## Issue$/a The capacitor hums at 88 mph.' \"$1\"\n"
                "fi\n")
    os.chmod(editor, 0o755)
    similar = os.path.join(work, "similar.md")
    with open(similar, "w") as f:
        f.write("---\nid: KB-NET-0200\n"
                "title: Replication stalls with connection resets when the path MTU is smaller than the proxies\n"
                "state: wip\naudience: internal\n---\n## Issue\nReplication stalls.\n")
    env = dict(os.environ, EDITOR=editor, TMPDIR=work)
    base = [casebook, "--db", db, "--as", "cand", "kb", "add"]
    lines, ok = [], True
    for n, (argv, steps, want) in enumerate([
        (base + ["--domain", "QSR"], [(r"edit it again\? \[Y/n\] ", "\n")], 0),
        (base + ["--domain", "QSR"], [(r"edit it again\? \[Y/n\] ", "n\n")], 2),
        (base + [similar], [(r"create KB-NET-0200 anyway\? \[y/N\] ", "n\n")], 1),
        (base + [similar], [(r"create KB-NET-0200 anyway\? \[y/N\] ", "y\n")], 0),
    ], 1):
        try:
            os.unlink(editor + ".count")
        except FileNotFoundError:
            pass
        s = Session(argv, env)
        try:
            for pattern, answer in steps:
                s.read_until(pattern)
                s.send(answer)
            code = s.finish()
        except (TimeoutError, EOFError) as e:
            print(f"session {n}: no prompt {e}; the terminal showed:\n{s.out}")
            return 1
        problem = re.search(r":(\d+):\d+: unknown state 'done'", s.out)
        result = re.search(r"^(created \S+ \(wip\)|.*nothing written.*|.*not created)$", s.out, re.M)
        last = s.out.strip().split("\n")[-1]
        last = re.sub(r"casebook-KB-QSR-\d+-\w+\.md", "TMP.md", last.replace(work, "W"))
        line = f"session {n}: exit {code}"
        if problem:
            line += f", problem at line {problem.group(1)}"
        line += f": {last}"
        lines.append(line)
        if code != want or not result:
            ok = False
    print("\n".join(lines))
    if not ok:
        print("unexpected; the last terminal showed:\n" + s.out)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
