#!/usr/bin/env python3
"""End-to-end CLI tests in the style of cram: each tests/cli/*.t file holds
commands ("  $ cmd", continued by "  > more") and the exact output expected
from each, stdout and stderr merged, with "[N]" for a non-zero exit status.

    run.py CASEBOOK TESTDIR FIXTURES [--update] [NAME...]

Commands run under bash with $FIX set to the generated fixture directory and
`casebook` on PATH; the fixture path is printed as $FIX in the output, so
expectations do not depend on where the build lives.  --update rewrites the
.t files with the actual output (review the diff before committing).
"""
import difflib
import os
import subprocess
import sys


def parse(path):
    """Return a list of (command, expected_lines) and the prose lines around them."""
    blocks, cur = [], None
    with open(path, encoding="utf-8") as f:
        for raw in f.read().split("\n"):
            if raw.startswith("  $ "):
                cur = [raw[4:], []]
                blocks.append(cur)
            elif raw.startswith("  > ") and cur is not None and not cur[1]:
                cur[0] += "\n" + raw[4:]
            elif raw.startswith("  ") and cur is not None:
                cur[1].append(raw[2:])
            else:
                cur = None
                blocks.append(raw)
    return blocks


def run_block(cmd, env, cwd):
    p = subprocess.run(["bash", "-c", "{\n" + cmd + "\n} 2>&1"], env=env, cwd=cwd, stdout=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, timeout=120)
    out = p.stdout.decode("utf-8", "backslashreplace")
    out = out.replace(env["FIX"], "$FIX").replace(env["CB_SOURCE"], "$CB_SOURCE")
    lines = out.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if p.returncode:
        lines.append(f"[{p.returncode}]")
    return lines


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    update = "--update" in sys.argv
    casebook, testdir, fixtures = (os.path.abspath(a) for a in args[:3])
    only = set(args[3:])
    env = dict(os.environ)
    env["FIX"] = fixtures
    env["CB_SOURCE"] = os.path.dirname(os.path.dirname(testdir))
    env["PATH"] = os.path.dirname(casebook) + os.pathsep + env.get("PATH", "")
    env["NO_COLOR"] = "1"
    env["LC_ALL"] = "C.UTF-8"
    env["TZ"] = "UTC"
    # No database unless a test names one: triage and walk look articles up in the default one when it exists.
    env.pop("CASEBOOK_DB", None)
    env["XDG_DATA_HOME"] = os.path.join(fixtures, "no-xdg-data")
    passed = failed = 0
    for name in sorted(os.listdir(testdir)):
        if not name.endswith(".t") or (only and name[:-2] not in only):
            continue
        path = os.path.join(testdir, name)
        blocks = parse(path)
        out_text, ok = [], True
        for b in blocks:
            if isinstance(b, str):
                out_text.append(b)
                continue
            cmd, expected = b
            actual = run_block(cmd, env, fixtures)
            cmd_lines = cmd.split("\n")
            out_text.append("  $ " + cmd_lines[0])
            out_text.extend("  > " + c for c in cmd_lines[1:])
            out_text.extend("  " + l for l in actual)
            if actual != expected:
                ok = False
                if not update:
                    print(f"--- {name}: $ {cmd_lines[0]}")
                    for d in difflib.unified_diff(expected, actual, "expected", "actual", lineterm="", n=2):
                        print(d)
        if ok:
            passed += 1
        else:
            failed += 1
            if update:
                with open(path, "w", encoding="utf-8") as f:
                    f.write("\n".join(out_text))
                print(f"updated {name}")
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
    print(f"cli: {passed} passed, {failed} failed")
    sys.exit(1 if failed and not update else 0)


if __name__ == "__main__":
    main()
