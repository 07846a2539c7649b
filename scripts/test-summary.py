#!/usr/bin/env python3
"""Print one closing line for a meson test run: 'tests: N passed, N failed, N skipped'."""
import json
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
passed = failed = skipped = 0
with open(f"{build}/meson-logs/testlog.json") as f:
    for line in f:
        r = json.loads(line)
        res = r.get("result")
        if res in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif res == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
