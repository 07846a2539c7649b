#!/usr/bin/env bash
# bench/lines.sh — line-reading throughput of `casebook ls` against the plain
# shell tools, on one deterministic corpus in three forms (directory, tar.gz, zip).
#
#   bench/lines.sh [--size-mb N] [--runs N] [--keep]
#
#   --size-mb N   corpus size in MiB (default 1024)
#   --runs N      timed runs per command, the best is kept (default 3)
#   --keep        keep bench/out/N/ (corpus + archives) for the next run with the same
#                 size; without it the directory is removed at the end
#
# Environment: CASEBOOK=path/to/casebook (default build/casebook).
# Warm-cache measurement: nothing is dropped from the page cache; every command runs
# once untimed, then --runs times, and the fastest wall time is reported.
# Exit status: 0 done (targets are reported, not enforced), 1 casebook failed or its
# counts disagree with the baselines, 2 usage or missing tool/binary.
# See bench/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
size_mb=1024
runs=3
keep=0

usage() { sed -n '2,19s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while (($#)); do
    case $1 in
        --size-mb) size_mb=${2:?--size-mb needs a value}; shift 2 ;;
        --size-mb=*) size_mb=${1#*=}; shift ;;
        --runs) runs=${2:?--runs needs a value}; shift 2 ;;
        --runs=*) runs=${1#*=}; shift ;;
        --keep) keep=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "lines.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
[[ $size_mb =~ ^[1-9][0-9]*$ ]] || { echo "lines.sh: --size-mb must be a positive integer" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "lines.sh: --runs must be a positive integer" >&2; exit 2; }

casebook=${CASEBOOK:-$repo/build/casebook}
if [[ ! -x $casebook ]]; then
    echo "lines.sh: $casebook not found — run 'make build' first (or set CASEBOOK=...)" >&2
    exit 2
fi
for tool in python3 find wc tar gzip zip unzip awk; do
    command -v "$tool" >/dev/null || { echo "lines.sh: '$tool' is required" >&2; exit 2; }
done
timer=/usr/bin/time
[[ -x $timer ]] || timer=

log() { printf '%s\n' "$*" >&2; }
secs_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------- corpus
out=$here/out/$size_mb
corpus=$out/corpus
tgz=$out/corpus.tar.gz
zipf=$out/corpus.zip
stamp=$out/ready
want="size_mb=$size_mb $(sha256sum "$here/gen_corpus.py" | cut -c1-16)"

if [[ ! -f $stamp || $(<"$stamp") != "$want" ]]; then
    rm -rf "$out"
    mkdir -p "$out"
    t0=$EPOCHREALTIME
    log "generating ${size_mb} MiB corpus in $corpus ..."
    python3 "$here/gen_corpus.py" "$corpus" --size-mb "$size_mb" >&2
    log "  $(secs_since "$t0") s"
    t0=$EPOCHREALTIME
    log "creating corpus.tar.gz (tar -czf) ..."
    tar -C "$out" -czf "$tgz" corpus
    log "  $(secs_since "$t0") s"
    t0=$EPOCHREALTIME
    log "creating corpus.zip (zip -qr) ..."
    (cd "$out" && zip -qr corpus.zip corpus)
    log "  $(secs_since "$t0") s"
    printf '%s\n' "$want" >"$stamp"
else
    log "reusing $out"
fi

# bytes, files, files without a final newline
read -r bytes nfiles no_eol < <(python3 - "$corpus" <<'EOF'
import os, sys
b = n = bad = 0
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        p = os.path.join(root, f)
        s = os.path.getsize(p)
        b += s; n += 1
        if s:
            with open(p, "rb") as fh:
                fh.seek(-1, 2)
                bad += fh.read(1) != b"\n"
print(b, n, bad)
EOF
)

# ---------------------------------------------------------------- timing
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Each baseline prints its line count on stdout (called indirectly via time_base).
# shellcheck disable=SC2317
{
    wc_files0() { find "$corpus" -type f -print0 | wc -l --files0-from=- | tail -n 1 | awk '{print $1}'; }
    wc_cat()    { find "$corpus" -type f -print0 | xargs -0 cat | wc -l; }
    tgz_wc()    { tar -xzOf "$tgz" | wc -l; }
    zip_wc()    { unzip -p "$zipf" | wc -l; }
}

# time_base FUNC -> sets BEST (seconds) and COUNT
time_base() {
    local f=$1 t0 t1 i
    COUNT=$("$f")                       # warm-up, and the count
    BEST=
    for ((i = 0; i < runs; i++)); do
        t0=$EPOCHREALTIME
        "$f" >/dev/null
        t1=$EPOCHREALTIME
        BEST=$(awk -v a="$t0" -v b="$t1" -v best="$BEST" \
            'BEGIN { d = b - a; if (best == "" || d < best) best = d; printf "%.3f", best }')
    done
}

# run_cb TARGET OUTFILE -> runs casebook once (under /usr/bin/time if present); sets RSS (KiB)
run_cb() {
    local rc=0
    if [[ -n $timer ]]; then
        "$timer" -f %M -o "$work/rss" "$casebook" ls "$1" --format json >"$2" 2>"$work/stderr" || rc=$?
        local r; r=$(tail -n 1 "$work/rss")
        [[ $r =~ ^[0-9]+$ ]] && ((r > RSS)) && RSS=$r
    else
        "$casebook" ls "$1" --format json >"$2" 2>"$work/stderr" || rc=$?
    fi
    return $rc
}

# time_cb TARGET NAME -> sets BEST, RSS, CB_LINES CB_FILES CB_BYTES; returns 1 if casebook failed
time_cb() {
    local target=$1 name=$2 t0 t1 i rc=0
    RSS=0 BEST=
    run_cb "$target" "$work/$name.json" || rc=$?
    if ((rc != 0)); then
        CB_ERR="casebook ls $target --format json: exit $rc: $(head -c 400 "$work/stderr")"
        return 1
    fi
    read -r CB_LINES CB_FILES CB_BYTES < <(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["totals"]
print(t["lines"], t["files"], t["bytes"])' "$work/$name.json") || {
        CB_ERR="casebook ls $target --format json: output has no parsable totals"
        return 1
    }
    for ((i = 0; i < runs; i++)); do
        t0=$EPOCHREALTIME
        run_cb "$target" /dev/null || { CB_ERR="casebook ls $target: failed on a timed run: $(head -c 400 "$work/stderr")"; return 1; }
        t1=$EPOCHREALTIME
        BEST=$(awk -v a="$t0" -v b="$t1" -v best="$BEST" \
            'BEGIN { d = b - a; if (best == "" || d < best) best = d; printf "%.3f", best }')
    done
}

mbps() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }
status=0
rows=()
checks=()
# row FORM COMMAND SECONDS [RATIO TARGET RSS]
row() { rows+=("$(printf '%-7s %-46s %8s %8s %6s %-17s %s' "$@")"); }

log "timing (warm cache, 1 warm-up + best of $runs) ..."

# -- directory: two honest ways of running wc -l, the faster one is the baseline
time_base wc_files0; t_files0=$BEST; n_files0=$COUNT
time_base wc_cat;    t_cat=$BEST;    n_cat=$COUNT
if awk -v a="$t_files0" -v b="$t_cat" 'BEGIN { exit !(a <= b) }'; then
    base_dir_t=$t_files0 base_dir_n=$n_files0 base_dir_name="find -print0 | wc -l --files0-from=-"
    other_name="find -print0 | xargs -0 cat | wc -l" other_t=$t_cat
else
    base_dir_t=$t_cat base_dir_n=$n_cat base_dir_name="find -print0 | xargs -0 cat | wc -l"
    other_name="find -print0 | wc -l --files0-from=-" other_t=$t_files0
fi

# compare FORM BASE_TIME -> appends the casebook row and the count check
compare() {
    local form=$1 target=$2 base_t=$3 base_n=$4 goal=$5 min_ratio=$6
    if time_cb "$target" "$form"; then
        local ratio ok rss
        ratio=$(awk -v b="$base_t" -v c="$BEST" 'BEGIN { printf "%.2f", b / c }')
        ok=$(awk -v r="$ratio" -v m="$min_ratio" 'BEGIN { print (r >= m) ? "ok" : "MISS" }')
        if [[ -n $timer ]]; then
            rss=$(awk -v k="$RSS" 'BEGIN { printf "%.1f MiB", k / 1024 }')
            ((RSS < 65536)) && rss+=" ok" || rss+=" MISS"
        else
            rss="n/a (no /usr/bin/time: apt-get install time)"
        fi
        row "$form" "casebook ls $(basename "$target") --format json" "$BEST" "$(mbps "$BEST")" \
            "$ratio" "$goal $ok" "$rss"
        local want_n=$((base_n + no_eol)) msg
        if [[ $CB_LINES == "$want_n" && $CB_FILES == "$nfiles" && $CB_BYTES == "$bytes" ]]; then
            msg="line counts agree ($CB_LINES lines, $CB_FILES files, $CB_BYTES bytes)"
        else
            msg="MISMATCH: casebook totals lines=$CB_LINES files=$CB_FILES bytes=$CB_BYTES;"
            msg+=" expected lines=$want_n (baseline $base_n + $no_eol files without final newline)"
            msg+=" files=$nfiles bytes=$bytes"
            status=1
        fi
        checks+=("$(printf '%-7s %s' "$form" "$msg")")
    else
        row "$form" "casebook ls $(basename "$target") --format json" "FAILED" "-" "-" "$goal" "-"
        checks+=("$(printf '%-7s %s' "$form" "FAILED: $CB_ERR")")
        status=1
    fi
}

row "dir" "wc -l: $base_dir_name" "$base_dir_t" "$(mbps "$base_dir_t")" "" "" ""
row "" "(other: $other_name)" "$other_t" "$(mbps "$other_t")" "" "" ""
[[ $n_files0 == "$n_cat" ]] || checks+=("dir     MISMATCH between the two wc -l baselines: $n_files0 vs $n_cat")
compare dir "$corpus" "$base_dir_t" "$base_dir_n" ">=0.70" 0.70

time_base tgz_wc; row "tar.gz" "tar -xzOf corpus.tar.gz | wc -l" "$BEST" "$(mbps "$BEST")" "" "" ""
compare tar.gz "$tgz" "$BEST" "$COUNT" ">=0.83 (1.2x)" 0.833

time_base zip_wc; row "zip" "unzip -p corpus.zip | wc -l" "$BEST" "$(mbps "$BEST")" "" "" ""
compare zip "$zipf" "$BEST" "$COUNT" ">=0.83 (1.2x)" 0.833

# ---------------------------------------------------------------- report
mem_kib=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "casebook line-reading benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine : $(nproc) CPUs, ${cpu:-unknown CPU}, $(awk -v k="$mem_kib" 'BEGIN { printf "%.1f GiB", k / 1048576 }') RAM, Linux $(uname -r)"
echo "casebook: $casebook ($("$casebook" --version 2>/dev/null | head -n 1 || echo 'version unknown'))"
printf 'corpus  : %s files, %s bytes (%.1f MiB uncompressed); tar.gz %s bytes, zip %s bytes\n' \
    "$nfiles" "$bytes" "$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')" \
    "$(stat -c %s "$tgz")" "$(stat -c %s "$zipf")"
echo "method  : warm page cache, 1 warm-up + best of $runs wall times; MB/s = uncompressed corpus bytes / s / 10^6;"
echo "          ratio = casebook MB/s / baseline MB/s (the row above it); peak RSS = max over casebook's runs"
echo
printf '%-7s %-46s %8s %8s %6s %-17s %s\n' FORM COMMAND SECONDS MB/s RATIO TARGET "PEAK RSS (<64 MiB)"
printf '%s\n' "${rows[@]}"
echo
printf '%s\n' "${checks[@]}"

if ((keep)); then
    echo "kept $out"
else
    rm -rf "$out"
fi
exit "$status"
