#!/usr/bin/env python3
"""Drive `casebook walk` through a pseudo-terminal, as an engineer at a terminal (or over ssh) would.

    walk-pty.py CASEBOOK PLAYBOOKS BUNDLE TMPDIR

First session: the walk of replication-mtu-mismatch on the bundle, on a pty with NO_COLOR unset.  It
waits for each prompt before typing, answers a choice by number, asks `why`, goes `back`, answers by
label, does the action, records its result, and must reach the MTU-mismatch conclusion with exit
status 0, with colour (a terminal) and without echoing typed answers a second time.  Second session:
NO_COLOR set, `quit` at the first prompt: no colour, exit 0, and a transcript saved with status quit.

Prints one deterministic summary line; exits 1 (after printing what the terminal showed) on failure.
"""
import json
import os
import pty
import re
import select
import sys
import time

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TIMEOUT = 20.0


class Session:
    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        self.raw = b""
        self.seen = 0  # offset in the plain text up to which expectations were met
        self.prompts = 0

    def text(self):
        return ANSI.sub("", self.raw.decode("utf-8", "replace")).replace("\r\n", "\n")

    def _read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return None
        if not data:
            return None
        self.raw += data
        return True

    def expect(self, what):
        """Wait until `what` has appeared since the last expectation and a prompt waits for input."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            t = self.text()
            at = t.find(what, self.seen)
            if at >= 0 and re.search(r"(^|\n)(coach)?> $", t):
                self.seen = at + len(what)
                return
            left = deadline - time.monotonic()
            if left <= 0 or self._read(left) is None:
                fail(f"no prompt after {what!r}", self)

    def send(self, line):
        self.prompts += 1
        os.write(self.fd, line.encode() + b"\n")

    def finish(self):
        deadline = time.monotonic() + TIMEOUT
        while self._read(max(0.0, deadline - time.monotonic())):
            pass
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def fail(why, s):
    sys.stdout.write(f"walk-pty: FAIL: {why}\n--- the terminal showed:\n{s.text()}\n---\n")
    sys.exit(1)


def main():
    casebook, playbooks, bundle, tmp = sys.argv[1:5]
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env["TERM"] = "xterm"
    env["CASEBOOK_USER"] = "pty-engineer"
    base = [casebook, "walk", "replication-mtu-mismatch", "-p", playbooks]

    s = Session(base + ["--bundle", bundle], env)
    s.expect("[3] small-packets-work (ask)")
    s.send("1")
    s.expect("→ yes, only the bulk transfer stalls")
    s.expect("[4] df-ping (ask)")
    s.send("why")
    s.expect("[3] small-packets-work: yes, only the bulk transfer stalls (pty-engineer)")
    s.send("back")
    s.expect("[3] small-packets-work (ask)")
    s.send("Yes, Only The Bulk Transfer Stalls")
    s.expect("[4] df-ping (ask)")
    s.send("2")
    s.expect("Type done when it is done.")
    s.send("done")
    s.expect("Largest DF payload that passes")
    s.send("1372 passes, 1373 does not")
    s.expect("Path MTU noted (1372 passes, 1373 does not)")
    s.send("1")
    code = s.finish()
    t = s.text()
    if code != 0:
        fail(f"exit status {code}", s)
    if "[7] mtu-mismatch (conclusion)" not in t or "MTU mismatch on the replication path" not in t:
        fail("no conclusion", s)
    if "\x1b[1m" not in s.raw.decode("utf-8", "replace"):
        fail("no colour on a terminal", s)
    if t.count("1372 passes, 1373 does not\n") != 1:  # the terminal echoes it; casebook must not
        fail("a typed answer was echoed twice", s)
    if "Back: the last answer is undone." not in t or "hits in the bundle:" not in t:
        fail("back or why did not answer", s)
    first = s.prompts

    saved = os.path.join(tmp, "pty-quit.json")
    env["NO_COLOR"] = "1"
    q = Session(base + ["--save", saved], env)
    q.expect("[1] resets-in-job-log (check)")
    q.send("quit")
    code = q.finish()
    if code != 0:
        fail(f"quit: exit status {code}", q)
    if "\x1b[" in q.raw.decode("utf-8", "replace"):
        fail("colour despite NO_COLOR", q)
    with open(saved, encoding="utf-8") as f:
        d = json.load(f)
    if d["status"] != "quit" or d["stopped_at"] != "resets-in-job-log" or d["engineer"] != "pty-engineer":
        fail(f"quit saved {d['status']} at {d['stopped_at']}", q)

    print(f"walk-pty: concluded mtu-mismatch after {first} typed lines (why and back included), "
          f"colour on a terminal; quit saved the walk at {d['stopped_at']}, no colour with NO_COLOR")


if __name__ == "__main__":
    main()
