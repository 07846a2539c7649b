#!/usr/bin/env python3
"""Run a command on a pseudo-terminal (standard input and output), answer its yes/no question, print what it showed.

    answer-pty.py ANSWER COMMAND [ARG...]

When the terminal shows a question ending in "[Y/n] ", ANSWER and a line end are typed (an empty ANSWER is
a bare Enter).  Standard error is left as it is.  The terminal's line ends (CR LF) are printed as LF; the
exit status is the command's.  Gives up after 20 seconds.
"""
import os
import pty
import select
import sys
import time


def main():
    answer, argv = sys.argv[1], sys.argv[2:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    out, answered, deadline = b"", False, time.time() + 20
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        out += data
        if not answered and out.endswith(b"[Y/n] "):
            os.write(fd, answer.encode() + b"\n")
            answered = True
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(out.replace(b"\r\n", b"\n").decode("utf-8", "backslashreplace"))
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
