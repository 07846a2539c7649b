#!/bin/sh
# valgrind-check.sh BUILDDIR — the core, timestamp, walk, store, people and kbstore unit tests, and
# `casebook ls` on every generated fixture, under valgrind's memcheck: any
# invalid access, use of uninitialised memory or leak fails the run.  The
# bundle unit tests (minutes under valgrind) run under ASan+UBSan+LSan in
# `make test-asan` instead; the fixtures below exercise the same code through
# the real binary.
set -eu
build=${1:-build}
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
meson test -C "$build" --wrapper "$vg" --print-errorlogs core timefmt walk store people kbstore
fix="$build/tests/fixtures"
n=0
for f in "$fix"/*; do
    rc=0
    $vg "$build/casebook" ls "$f" --format json >/dev/null 2>"$build/valgrind.err" || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
        echo "valgrind: casebook ls $f: exit $rc" >&2
        cat "$build/valgrind.err" >&2
        exit 1
    fi
    n=$((n + 1))
done
echo "valgrind: casebook ls clean on $n fixtures"

# The scanner, triage and the playbook loader through the real binary (threads included).
src=$(cd "$(dirname "$0")/.." && pwd)
for cmd in "grep -n -e PacketResponder -e (?<h>Job)\\sprogress $fix/good.tar.gz" \
           "triage $fix/plain -p $src/examples/playbooks --explain --format json" \
           "lint $src/examples/playbooks" \
           "test $src/examples/playbooks/linux"; do
    rc=0
    # shellcheck disable=SC2086
    $vg "$build/casebook" $cmd >/dev/null 2>"$build/valgrind.err" || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        echo "valgrind: casebook $cmd: exit $rc" >&2
        cat "$build/valgrind.err" >&2
        exit 1
    fi
done
echo "valgrind: casebook grep, triage, lint and test clean"
