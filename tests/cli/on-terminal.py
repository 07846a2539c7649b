#!/usr/bin/env python3
"""Run a command with its standard output on a pseudo-terminal of a given width, and print what it showed.

    on-terminal.py COLUMNS COMMAND [ARG...]

COLUMNS sets the terminal's size (TIOCSWINSZ, 24 rows); 0 leaves it unset (a size of 0x0, as some
terminals report), so that the command falls back to $COLUMNS.  Standard input is /dev/null's, standard error
is left as it is.  The terminal's line ends (CR LF) are printed as LF; the exit status is the command's.
"""
import fcntl
import os
import pty
import struct
import sys
import termios


def main():
    cols, argv = int(sys.argv[1]), sys.argv[2:]
    master, slave = pty.openpty()
    if cols:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.dup2(slave, 1)
        os.close(slave)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.execvp(argv[0], argv)
    os.close(slave)
    out = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        out += data
    _, status = os.waitpid(pid, 0)
    os.close(master)
    sys.stdout.write(out.decode("utf-8", "backslashreplace").replace("\r\n", "\n"))
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
