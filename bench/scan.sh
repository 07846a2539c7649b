#!/usr/bin/env bash
# bench/scan.sh — multi-pattern scanning throughput of `casebook grep -c -f` against
# `grep -E -c -f` and `rg -c -f`, on one deterministic corpus (directory form) and
# signature sets of several sizes; then `casebook triage` with the 200-signature set.
#
#   bench/scan.sh [--size-mb N] [--sets 10,200,1000] [--runs N] [--keep]
#
#   --size-mb N   corpus size in MiB (default 1024)
#   --sets LIST   signature set sizes, comma-separated (default 10,200,1000,200s,1000s);
#                 a trailing 's' makes a sparse set: only 2 of its patterns match the
#                 corpus (gen_signatures.py --match-frac 0), as with a real library
#                 on a bundle that shows a couple of known issues
#   --runs N      timed runs per command, the best is kept (default 3)
#   --keep        keep a corpus this script generated in bench/out/N/ for the next run;
#                 a corpus that was already there (e.g. from bench/lines.sh --keep) is
#                 always reused and never removed
#
# Environment: CASEBOOK=path/to/casebook (default build/casebook).
# Warm-cache measurement: the corpus is read once before timing; every command runs
# once (warm-up, its output is kept for the count check), then --runs times, and the
# fastest wall time is reported.  A command whose warm-up takes over 120 s is timed
# by that single run; any run is capped at 300 s ("> 300 s").
# Exit status: 0 done (targets are reported, not enforced), 1 casebook failed or its
# counts disagree with grep/rg, 2 usage or missing tool/binary.
# See bench/README.md.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
size_mb=1024
sets=10,200,1000,200s,1000s
runs=3
keep=0
cap=300          # seconds: a run is killed after this
single_after=120 # seconds: a warm-up slower than this is the only run

usage() { sed -n '2,22s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while (($#)); do
    case $1 in
        --size-mb) size_mb=${2:?--size-mb needs a value}; shift 2 ;;
        --size-mb=*) size_mb=${1#*=}; shift ;;
        --sets) sets=${2:?--sets needs a value}; shift 2 ;;
        --sets=*) sets=${1#*=}; shift ;;
        --runs) runs=${2:?--runs needs a value}; shift 2 ;;
        --runs=*) runs=${1#*=}; shift ;;
        --keep) keep=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "scan.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
[[ $size_mb =~ ^[1-9][0-9]*$ ]] || { echo "scan.sh: --size-mb must be a positive integer" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "scan.sh: --runs must be a positive integer" >&2; exit 2; }
[[ $sets =~ ^[1-9][0-9]*s?(,[1-9][0-9]*s?)*$ ]] || { echo "scan.sh: --sets must be like 10,200,1000,200s" >&2; exit 2; }
IFS=, read -r -a set_sizes <<<"$sets"

casebook=${CASEBOOK:-$repo/build/casebook}
if [[ ! -x $casebook ]]; then
    echo "scan.sh: $casebook not found — run 'make build' first (or set CASEBOOK=...)" >&2
    exit 2
fi
for tool in python3 find grep rg awk sort join timeout xargs; do
    command -v "$tool" >/dev/null || { echo "scan.sh: '$tool' is required" >&2; exit 2; }
done
timer=/usr/bin/time
[[ -x $timer ]] || timer=

log() { printf '%s\n' "$*" >&2; }
secs_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------- corpus
# Same place and stamp as bench/lines.sh: a corpus lines.sh kept (stamp "ready") is
# reused; one this script generates gets the stamp "scan-ready" (it has no archives,
# so lines.sh will rebuild the directory rather than trust it).
out=$here/out/$size_mb
corpus=$out/corpus
want="size_mb=$size_mb $(sha256sum "$here/gen_corpus.py" | cut -c1-16)"
generated=0
if [[ -f $out/ready && $(<"$out/ready") == "$want" ]] || [[ -f $out/scan-ready && $(<"$out/scan-ready") == "$want" ]]; then
    log "reusing $corpus"
else
    rm -rf "$out"
    mkdir -p "$out"
    t0=$EPOCHREALTIME
    log "generating ${size_mb} MiB corpus in $corpus ..."
    python3 "$here/gen_corpus.py" "$corpus" --size-mb "$size_mb" >&2
    log "  $(secs_since "$t0") s"
    printf '%s\n' "$want" >"$out/scan-ready"
    generated=1
fi

read -r bytes nfiles < <(find "$corpus" -type f -printf '%s\n' | awk '{ b += $1; n++ } END { print b + 0, n + 0 }')

work=$(mktemp -d)
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    rm -rf "$work"
    if ((generated && !keep)); then rm -rf "$out"; fi
}
trap cleanup EXIT

load_start=$(cut -d ' ' -f 1-3 /proc/loadavg)
log "reading the corpus once (page cache) ..."
find "$corpus" -type f -print0 | xargs -0 cat >/dev/null

# ---------------------------------------------------------------- timing
# run_once OUT ERR CMD... -> runs CMD (capped, under /usr/bin/time if present) with
# stdout to OUT; sets SECS, RC, RUN_RSS (KiB, or empty).  GNU grep stops at the first
# match when its output is /dev/null, so output always goes to a real file.
run_once() {
    local o=$1 e=$2 t0 t1
    shift 2
    RC=0 RUN_RSS=''
    t0=$EPOCHREALTIME
    if [[ -n $timer ]]; then
        "$timer" -f %M -o "$work/rss" timeout "$cap" "$@" >"$o" 2>"$e" || RC=$?
    else
        timeout "$cap" "$@" >"$o" 2>"$e" || RC=$?
    fi
    t1=$EPOCHREALTIME
    SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    if [[ -n $timer ]]; then
        RUN_RSS=$(tail -n 1 "$work/rss")
        [[ $RUN_RSS =~ ^[0-9]+$ ]] || RUN_RSS=
    fi
}

# time_cmd NAME CMD... -> warm-up (output kept in $work/NAME.out), then the timed runs.
# Sets BEST (seconds, or "> 300"), NOTE, RSS (max KiB over all runs, or empty), OK (1/0), ERR.
time_cmd() {
    local name=$1 i
    shift
    OK=1 NOTE='' ERR='' RSS=''
    log "  $name: warm-up ..."
    run_once "$work/$name.out" "$work/$name.err" "$@"
    if ((RC == 124)); then
        OK=0 BEST="> $cap" NOTE="killed after $cap s"; ERR="timed out after $cap s"
        return
    fi
    if ((RC > 1)); then
        OK=0 BEST=FAILED ERR="exit $RC: $(head -c 300 "$work/$name.err")"
        return
    fi
    RSS=$RUN_RSS
    BEST=$SECS
    if awk -v s="$SECS" -v m="$single_after" 'BEGIN { exit !(s > m) }'; then
        NOTE="1 run (> ${single_after} s)"
        return
    fi
    BEST=
    for ((i = 0; i < runs; i++)); do
        run_once "$work/timed.out" "$work/timed.err" "$@"
        if ((RC == 124)); then BEST="> $cap" NOTE="killed after $cap s"; return; fi
        if ((RC > 1)); then OK=0 BEST=FAILED ERR="timed run: exit $RC: $(head -c 300 "$work/timed.err")"; return; fi
        if [[ -n $RUN_RSS && ( -z $RSS || $RUN_RSS -gt $RSS ) ]]; then RSS=$RUN_RSS; fi
        BEST=$(awk -v s="$SECS" -v best="$BEST" 'BEGIN { if (best == "" || s < best) best = s; printf "%.3f", best }')
    done
}

is_num() { [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]]; }
mbps() { is_num "$1" && awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / s / 1e6 }' || echo -; }
mib() { [[ -n $1 ]] && awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }' || echo -; }
# ratio TOOL_SECONDS CASEBOOK_SECONDS -> casebook throughput / tool throughput
ratio() {
    if is_num "$1" && is_num "$2"; then
        awk -v t="$1" -v c="$2" 'BEGIN { printf "%.2f", t / c }'
    elif [[ $1 == ">"* ]] && is_num "$2"; then
        awk -v t="${1#> }" -v c="$2" 'BEGIN { printf ">%.0f", t / c }'
    else
        echo -
    fi
}

# normalise KIND FILE -> "path<TAB>count" for non-zero counts, sorted; paths relative to the corpus
normalise() {
    awk -v kind="$1" -v pre="$corpus/" '
        { i = match($0, /:[0-9]+$/); if (!i) next
          p = substr($0, 1, i - 1); c = substr($0, i + 1) + 0
          if (kind != "casebook" && substr(p, 1, length(pre)) == pre) p = substr(p, length(pre) + 1)
          if (c > 0) printf "%s\t%d\n", p, c }' "$2" | sort
}

# compare NAME -> sets CMP ("counts agree (...)" or the first differences) and AGREE (1/0)
compare() {
    local name=$1 ndiff lines files
    normalise "$name" "$work/$name.out" >"$work/$name.norm"
    join -t $'\t' -a 1 -a 2 -e 0 -o 0,1.2,2.2 "$work/casebook.norm" "$work/$name.norm" |
        awk -F '\t' '$2 != $3' >"$work/$name.diff"
    ndiff=$(wc -l <"$work/$name.diff")
    lines=$(awk -F '\t' '{ s += $2 } END { print s + 0 }' "$work/$name.norm")
    files=$(wc -l <"$work/$name.norm")
    if ((ndiff == 0)); then
        AGREE=1 CMP="counts agree"
        CMP_LONG="counts agree with $name: $lines matching lines in $files files"
    else
        AGREE=0 CMP="DIFFER ($ndiff files)"
        CMP_LONG="counts DIFFER from $name in $ndiff files (casebook vs $name), first: $(
            head -n 3 "$work/$name.diff" | awk -F '\t' '{ printf "%s%s %s vs %s", (NR > 1 ? "; " : ""), $1, $2, $3 }')"
    fi
}

status=0
rows=()
checks=()
row() { rows+=("$(printf '%5s  %-34s %9s %7s %9s %-20s %11s  %s' "$@")"); }
declare -A rg_time=()

for n in "${set_sizes[@]}"; do
    sig=$work/sigs-$n.txt
    frac=()
    [[ $n == *s ]] && frac=(--match-frac 0)
    python3 "$here/gen_signatures.py" "${n%s}" "$sig" "${frac[@]}" 2>"$work/gen.err" || {
        echo "scan.sh: gen_signatures.py $n failed: $(cat "$work/gen.err")" >&2; exit 2; }
    sig_info=$(tail -n 1 "$work/gen.err")
    log "signatures: $sig_info"

    time_cmd casebook "$casebook" grep -c -f "$sig" "$corpus"
    cb_ok=$OK cb_t=$BEST
    if ((cb_ok)); then
        row "$n" "casebook grep -c -f" "$cb_t" "$(mbps "$cb_t")" "" "" "$(mib "$RSS")" "$NOTE"
        normalise casebook "$work/casebook.out" >"$work/casebook.norm"
        cb_files=$(grep -c ':[0-9]*$' "$work/casebook.out" || true)
    else
        row "$n" "casebook grep -c -f" "$cb_t" "-" "" "" "-" "$ERR"
        checks+=("$(printf '%5s  casebook grep -c -f %s %s: FAILED: %s' "$n" "sigs-$n.txt" "$corpus" "$ERR")")
        status=1
    fi

    for tool in rg grep; do
        if [[ $tool == rg ]]; then
            time_cmd rg rg --no-config -c --no-ignore --hidden -f "$sig" "$corpus"
            label="rg -c --no-ignore --hidden -f"
            rg_time[$n]=$BEST
            if [[ ${n%s} == 200 ]]; then target=">=3 (200 sigs)"; min=3
            elif [[ ${n%s} == 1000 ]]; then target=">=5 (1000 sigs)"; min=5
            else target='' min=''
            fi
        else
            time_cmd grep grep -r -I -E -c -f "$sig" "$corpus"
            label="grep -r -I -E -c -f"
            target='' min=''
        fi
        t=$BEST
        r=$(ratio "$t" "$cb_t")
        if [[ -n $min && $r != - ]]; then
            if [[ $r == ">"* ]] || awk -v r="$r" -v m="$min" 'BEGIN { exit !(r >= m) }'; then target+=" ok"
            else target+=" MISS"; fi
        fi
        if ((OK && cb_ok)); then
            compare "$tool"
            ((AGREE)) || status=1
            extra=$CMP
            checks+=("$(printf '%5s  %s' "$n" "$CMP_LONG")")
            if [[ $tool == grep ]]; then
                g_files=$(grep -c ':[0-9]*$' "$work/grep.out" || true)
                if [[ $g_files != "$cb_files" ]]; then
                    checks+=("$(printf '%5s  files listed by -c: casebook %s, grep %s' "$n" "$cb_files" "$g_files")")
                fi
                if [[ -s $work/grep.err ]]; then
                    checks+=("$(printf '%5s  grep stderr: %s' "$n" "$(head -c 200 "$work/grep.err" | tr '\n' ' ')")")
                fi
            fi
        elif ((OK)); then
            extra="-"
        else
            extra="no counts ($ERR)"
        fi
        if [[ -n $NOTE ]]; then extra+="; $NOTE"; fi
        row "$n" "$label" "$t" "$(mbps "$t")" "$r" "$target" "$(mib "$RSS")" "$extra"
    done
    checks+=("$(printf '%5s  %s' "$n" "$sig_info")")
done

# ---------------------------------------------------------------- triage
triage_line=
if "$casebook" triage --help >/dev/null 2>&1; then
    tn=200
    python3 "$here/gen_signatures.py" "$tn" "$work/sigs-triage.txt" --playbooks "$work/playbooks" 2>/dev/null
    time_cmd triage "$casebook" triage "$corpus" -p "$work/playbooks" --format json
    if ((OK)); then
        findings=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' \
            "$work/triage.out" 2>/dev/null || echo "?")
        row "$tn" "casebook triage -p (20 playbooks)" "$BEST" "$(mbps "$BEST")" \
            "$(ratio "${rg_time[$tn]:-}" "$BEST")" "vs rg" "$(mib "$RSS")" "$findings findings${NOTE:+; $NOTE}"
    else
        row "$tn" "casebook triage -p (20 playbooks)" "$BEST" "-" "" "" "-" "$ERR"
        status=1
    fi
else
    triage_line="triage: not available yet ('casebook triage --help' fails)"
fi

# ---------------------------------------------------------------- report
mem_kib=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "casebook scanning benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine : $(nproc) CPUs (casebook and rg use all of them), ${cpu:-unknown CPU}, $(awk -v k="$mem_kib" 'BEGIN { printf "%.1f GiB", k / 1048576 }') RAM, Linux $(uname -r)"
echo "load    : $load_start at the start, $(cut -d ' ' -f 1-3 /proc/loadavg) at the end (1/5/15-min load averages; other work skews timings)"
echo "tools   : $("$casebook" --version 2>/dev/null | sed -n 1p || echo "casebook ?"); $(grep --version | sed -n 1p); $(rg --version | sed -n 1p); LC_ALL=C"
printf 'corpus  : %s (%s files, %s bytes, %.1f MiB)\n' "$corpus" "$nfiles" "$bytes" \
    "$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')"
echo "method  : warm page cache, 1 warm-up + best of $runs wall times (a warm-up over ${single_after} s is the only run; runs capped at ${cap} s);"
echo "          MB/s = corpus bytes / s / 10^6; ratio = casebook MB/s / the tool's MB/s; RSS = peak over the runs (/usr/bin/time -f %M)"
echo "          SIGS with a trailing s: a sparse set (2 patterns match the corpus, gen_signatures.py --match-frac 0)"
echo
printf '%5s  %-34s %9s %7s %9s %-20s %11s  %s\n' SIGS COMMAND SECONDS MB/s "CB RATIO" TARGET "PEAK RSS" "COUNTS / NOTES"
printf '%s\n' "${rows[@]}"
if [[ -n $triage_line ]]; then echo "$triage_line"; fi
echo
printf '%s\n' "${checks[@]}"

if ((generated)); then
    if ((keep)); then echo "kept $out"; else echo "removed the generated corpus $out (use --keep to keep it)"; fi
fi
exit "$status"
