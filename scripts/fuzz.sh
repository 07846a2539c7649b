#!/bin/sh
# fuzz.sh — run every libFuzzer target of tests/fuzz for a bounded time (docs/testing.md).
#
# Usage: scripts/fuzz.sh BUILD_DIR [SECONDS_PER_TARGET] [TARGET...]
#   BUILD_DIR  a build configured with CC=clang -Dfuzz=true (make fuzz does it)
#   SECONDS    per target (default $FUZZ_SECONDS, else 20)
#   TARGET     playbook answers bundle timefmt literal sanitize fts article kbquery mine (default: all)
#
# The seeds are written from the tests' inputs (tests/fuzz/make_corpus.py) into
# BUILD_DIR/fuzz/seeds; what the fuzzer finds on top is kept in
# BUILD_DIR/fuzz/corpus/<target> and reused by the next run.  A crash, leak,
# sanitizer report, timeout (10 s for one input) or broken property is saved as
# BUILD_DIR/fuzz/artifacts/<target>-crash-* (replay: BUILD_DIR/tests/fuzz/fuzz_<target> FILE)
# and makes the run fail, after every target has run.
set -eu
build=${1:?usage: scripts/fuzz.sh BUILD_DIR [SECONDS] [TARGET...]}
seconds=${2:-${FUZZ_SECONDS:-20}}
[ $# -ge 2 ] && shift 2 || shift $#
targets=${*:-playbook answers bundle timefmt literal sanitize fts article kbquery mine}
src=$(cd "$(dirname "$0")/.." && pwd)
out="$build/fuzz"

mkdir -p "$out/artifacts" "$out/logs"
python3 "$src/tests/fuzz/make_corpus.py" "$src" "$out/seeds"

# The targets' scratch files: a crashing target cannot remove its own.
export TMPDIR="$out/tmp"
rm -rf "$TMPDIR" && mkdir -p "$TMPDIR"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

passed=0
failed=0
failures=""
for t in $targets; do
    exe="$build/tests/fuzz/fuzz_$t"
    [ -x "$exe" ] || { echo "fuzz: $exe is missing: configure $build with CC=clang -Dfuzz=true" >&2; exit 2; }
    mkdir -p "$out/corpus/$t"
    # Archives need room; the text targets' seeds are short.
    case $t in bundle|playbook|article) max_len=65536 ;; *) max_len=4096 ;; esac
    log="$out/logs/$t.log"
    start=$(date +%s)
    if "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
        -print_final_stats=1 -artifact_prefix="$out/artifacts/$t-" "$out/corpus/$t" "$out/seeds/$t" >"$log" 2>&1; then
        status=ok
        passed=$((passed + 1))
    else
        status=FAILED
        failed=$((failed + 1))
        failures="$failures $t"
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    echo "fuzz: $t: $status in $(( $(date +%s) - start )) s, ${runs:-?} inputs, ${cov:-cov: ?}, corpus $(ls "$out/corpus/$t" | wc -l) files"
    if [ $status = FAILED ]; then
        grep -E '^fuzz: |ERROR: |SUMMARY: |^    #[0-9]' "$log" | grep -vE 'fuzzer::|libc\.so|__sanitizer_print|abort|raise|pthread_kill' |
            head -n 30 | sed 's/^/    /'
        ls "$out/artifacts/$t-"* 2>/dev/null | sed 's/^/    saved: /'
    fi
done
rm -rf "$TMPDIR"
echo "fuzz: $passed passed, $failed failed"
if [ $failed -gt 0 ]; then
    echo "fuzz: failing targets:$failures (full logs in $out/logs)" >&2
    exit 1
fi
