#!/usr/bin/env bash
# bench/mine.sh — speed and memory of `casebook mine` on one core: a 10-million-line bundle (the Loghub 2k sets
# repeated with their variables varied, plus bench/gen_corpus.py's generated support bundle), lines per second
# and peak RSS against the targets of issue 10 (at least 1.5 M lines/s on one core, under 256 MiB).
#
#   bench/mine.sh [--lines N] [--corpus-mb N] [--runs N] [--data DIR] [--generate-only]
#
#   --lines N        lines in the input, all told (default 10000000)
#   --corpus-mb N    size of the gen_corpus.py part in MiB (default 480, about 4 M lines); the varied Loghub
#                    lines make up the rest
#   --runs N         timed runs after one warm-up run, the fastest counts (default 3)
#   --data DIR       the Loghub 2k folder (default ../shared/data/loghub-2k beside the repository, or $LOGHUB_DIR)
#   --generate-only  build (or check) the cached input and stop, whether or not casebook has `mine`
#
# Environment: CASEBOOK=path/to/casebook (default build/casebook).
# The input is cached in bench/out/mine-<lines>-<corpus-mb>/input (gitignored) and generated again only when a
# generator script, FORMATS.md or the parameters changed. Runs are pinned to one CPU (taskset -c 0) under
# /usr/bin/time; output goes to a file. Warm cache: the warm-up run reads the input once.
# Exit status: 0 done or skipped (a casebook without `mine` is reported and skipped; targets are reported, not
# enforced), 1 casebook mine failed, a generator did, or the "lines" count in casebook's JSON is not the input's,
# 2 usage or a missing tool.
# See bench/README.md.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
data=${LOGHUB_DIR:-$repo/../shared/data/loghub-2k}
total=10000000
corpus_mb=480
runs=3
generate_only=0
cap=900                     # seconds: a run is killed after this
target_lps=1500000
target_rss_kib=$((256 * 1024))

usage() { sed -n '2,22s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while (($#)); do
    case $1 in
        --lines) total=${2:?--lines needs a value}; shift 2 ;;
        --lines=*) total=${1#*=}; shift ;;
        --corpus-mb) corpus_mb=${2:?--corpus-mb needs a value}; shift 2 ;;
        --corpus-mb=*) corpus_mb=${1#*=}; shift ;;
        --runs) runs=${2:?--runs needs a value}; shift 2 ;;
        --runs=*) runs=${1#*=}; shift ;;
        --data) data=${2:?--data needs a value}; shift 2 ;;
        --data=*) data=${1#*=}; shift ;;
        --generate-only) generate_only=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "mine.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
[[ $total =~ ^[1-9][0-9]*$ ]] || { echo "mine.sh: --lines must be a positive integer" >&2; exit 2; }
[[ $corpus_mb =~ ^[1-9][0-9]*$ ]] || { echo "mine.sh: --corpus-mb must be a positive integer" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "mine.sh: --runs must be a positive integer" >&2; exit 2; }
for tool in python3 awk find wc sha256sum timeout; do
    command -v "$tool" >/dev/null || { echo "mine.sh: '$tool' is required" >&2; exit 2; }
done

casebook=${CASEBOOK:-$repo/build/casebook}
if ((!generate_only)); then
    if [[ ! -x $casebook ]]; then
        echo "mine.sh: $casebook not found — run 'make build' first (or set CASEBOOK=...)" >&2
        exit 2
    fi
    if ! "$casebook" mine --help >/dev/null 2>&1; then
        echo "mine.sh: skipped: $casebook has no 'mine' command yet ('casebook mine --help' fails); nothing to time"
        exit 0
    fi
    [[ -x /usr/bin/time ]] || { echo "mine.sh: /usr/bin/time is required (package 'time'; scripts/install-deps.sh)" >&2; exit 2; }
fi
[[ -f $data/FORMATS.md ]] || { echo "mine.sh: $data/FORMATS.md not found (set --data or LOGHUB_DIR)" >&2; exit 2; }
data=$(cd "$data" && pwd)

log() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------- input
out=$here/out/mine-$total-$corpus_mb
input=$out/input
want="lines=$total corpus_mb=$corpus_mb $(cat "$here/gen_corpus.py" "$here/gen_loghub_varied.py" \
    "$here/loghub_formats.py" "$data/FORMATS.md" | sha256sum | cut -c1-16)"
if [[ -f $out/ready && $(<"$out/ready") == "$want" ]]; then
    log "reusing $input"
else
    rm -rf "$out"
    mkdir -p "$input"
    t0=$EPOCHREALTIME
    log "generating the gen_corpus.py part ($corpus_mb MiB) in $input/corpus ..."
    python3 "$here/gen_corpus.py" "$input/corpus" --size-mb "$corpus_mb" >&2 || { log "mine.sh: gen_corpus.py failed"; exit 1; }
    corpus_lines=$(find "$input/corpus" -type f -print0 | wc -l --files0-from=- | awk 'END { print $1 }')
    rest=$((total - corpus_lines))
    if ((rest < 8)); then
        log "mine.sh: the corpus part alone has $corpus_lines lines, not fewer than --lines $total: lower --corpus-mb"
        rm -rf "$out"
        exit 2
    fi
    log "generating $rest varied Loghub lines in $input/loghub ..."
    python3 "$here/gen_loghub_varied.py" "$data" "$input/loghub" --lines "$rest" >&2 ||
        { log "mine.sh: gen_loghub_varied.py failed"; exit 1; }
    got=$(find "$input" -type f -print0 | wc -l --files0-from=- | awk 'END { print $1 }')
    if ((got != total)); then
        log "mine.sh: the input has $got lines, not $total"
        exit 1
    fi
    printf '%s\n' "$corpus_lines" >"$out/corpus-lines"
    printf '%s\n' "$want" >"$out/ready"
    log "generated in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s"
fi
corpus_lines=$(<"$out/corpus-lines")
bytes=$(find "$input" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s }')
files=$(find "$input" -type f | wc -l)
if ((generate_only)); then
    echo "input: $input: $total lines ($corpus_lines gen_corpus.py, $((total - corpus_lines)) varied Loghub), $files files, $bytes bytes"
    exit 0
fi

# ---------------------------------------------------------------- runs
pin=(taskset -c 0)
command -v taskset >/dev/null || { pin=(); log "mine.sh: taskset not found: runs are not pinned to one CPU"; }
echo "machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
echo "casebook: $("$casebook" --version 2>/dev/null || echo '?')"
echo "input: $total lines ($corpus_lines gen_corpus.py, $((total - corpus_lines)) varied Loghub), $files files, $(awk -v b="$bytes" 'BEGIN { printf "%.0f MB", b / 1e6 }')"
echo "command: ${pin[*]} casebook mine $input --format json > FILE   (one warm-up, best of $runs)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

best_wall= best_cpu= peak_kib=0
for ((r = 0; r <= runs; r++)); do
    t0=$EPOCHREALTIME
    set +e
    timeout "$cap" /usr/bin/time -v -o "$out/time.txt" "${pin[@]}" "$casebook" mine "$input" --format json \
        >"$out/mine.json" 2>"$out/mine.err"
    rc=$?
    set -e
    wall=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
    if ((rc != 0)); then
        if ((rc == 124)); then log "mine.sh: casebook mine ran over $cap s"; else log "mine.sh: casebook mine failed (exit $rc):"; fi
        sed 's/^/  /' "$out/mine.err" | head -20 >&2
        exit 1
    fi
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.3f", s }' "$out/time.txt")
    kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/time.txt")
    ((kib > peak_kib)) && peak_kib=$kib
    if ((r == 0)); then
        log "warm-up: $wall s"
        continue
    fi
    log "run $r: $wall s wall, $cpu s CPU, $kib KiB peak RSS"
    if [[ -z $best_wall ]] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
        best_wall=$wall best_cpu=$cpu
    fi
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
awk -v n="$total" -v w="$best_wall" -v c="$best_cpu" -v k="$peak_kib" -v tl="$target_lps" -v tk="$target_rss_kib" 'BEGIN {
    printf "%-28s %12s %14s %12s\n", "", "SECONDS", "LINES/S", "TARGET"
    printf "%-28s %12.3f %14.0f %12s %s\n", "wall (best run)", w, n / w, ">= " tl, (n / w >= tl ? "ok" : "MISS")
    printf "%-28s %12.3f %14.0f\n", "CPU user+sys (same run)", c, (c > 0 ? n / c : 0)
    printf "%-28s %12s %14s %12s %s\n", "peak RSS (max over runs)", "", sprintf("%.1f MiB", k / 1024), "< 256 MiB", (k < tk ? "ok" : "MISS")
}'
# The line count casebook reports (a top-level "lines" in its JSON, where it gives one) must be the input's.
counted=$(python3 -c 'import json, sys; v = json.load(open(sys.argv[1])).get("lines"); print(v if isinstance(v, int) else "")' \
    "$out/mine.json" 2>/dev/null) || counted=
if [[ -z $counted ]]; then
    echo "lines: casebook's JSON has no top-level \"lines\" count: not checked"
elif ((counted == total)); then
    echo "lines: casebook counted $counted, as many as the input has"
else
    echo "lines: MISMATCH: casebook counted $counted lines, the input has $total"
    echo "(casebook's output of the last run: $out/mine.json)"
    exit 1
fi
echo "(casebook's output of the last run: $out/mine.json)"
