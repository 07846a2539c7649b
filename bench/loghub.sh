#!/usr/bin/env bash
# bench/loghub.sh — accuracy of `casebook mine` on the Loghub 2k sets: Grouping Accuracy (GA) and Parsing
# Accuracy (PA) per system and on average, scored against the Loghub-2.0 labels first and the corrected-v1
# labels second (two tables; figures are never compared across label versions).
#
#   bench/loghub.sh [--data DIR] [--systems A,B,...] [--labels both|loghub2|corrected] [--explain N] [--keep DIR]
#
#   --data DIR      the Loghub 2k folder (default ../shared/data/loghub-2k beside the repository, or $LOGHUB_DIR)
#   --systems LIST  comma-separated subset of the systems FORMATS.md lists (default: all eight)
#   --labels WHICH  both (default), loghub2 (*_structured_loghub2.csv) or corrected (*_structured_corrected.csv)
#   --explain N     after each row, the N true templates that lose the most lines (bench/loghub_score.py)
#   --keep DIR      keep each system's predictions as DIR/<System>.tsv (default: a temporary folder, removed)
#
# Environment: CASEBOOK=path/to/casebook (default build/casebook).
# Each system's <S>_2k.log is mined once with its header format from FORMATS.md, as the benchmark gives it:
#   casebook mine <S>_2k.log --log-format "<format>" --lines <S>.tsv
# and the TSV is scored by bench/loghub_score.py (exact template strings; see its header for the definitions).
# Exit status: 0 done (targets are reported, not enforced), 1 casebook mine failed or its output was refused by
# the scorer, 2 usage, missing data, or a casebook without the `mine` command.
# See bench/README.md.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
data=${LOGHUB_DIR:-$repo/../shared/data/loghub-2k}
systems=
labels=both
explain=0
keep=

usage() { sed -n '2,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while (($#)); do
    case $1 in
        --data) data=${2:?--data needs a value}; shift 2 ;;
        --data=*) data=${1#*=}; shift ;;
        --systems) systems=${2:?--systems needs a value}; shift 2 ;;
        --systems=*) systems=${1#*=}; shift ;;
        --labels) labels=${2:?--labels needs a value}; shift 2 ;;
        --labels=*) labels=${1#*=}; shift ;;
        --explain) explain=${2:?--explain needs a value}; shift 2 ;;
        --explain=*) explain=${1#*=}; shift ;;
        --keep) keep=${2:?--keep needs a value}; shift 2 ;;
        --keep=*) keep=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "loghub.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
case $labels in
    both) versions=(loghub2 corrected) ;;
    loghub2|corrected) versions=("$labels") ;;
    *) echo "loghub.sh: --labels must be both, loghub2 or corrected" >&2; exit 2 ;;
esac
[[ $explain =~ ^[0-9]+$ ]] || { echo "loghub.sh: --explain must be a number" >&2; exit 2; }

casebook=${CASEBOOK:-$repo/build/casebook}
if [[ ! -x $casebook ]]; then
    echo "loghub.sh: $casebook not found — run 'make build' first (or set CASEBOOK=...)" >&2
    exit 2
fi
if ! "$casebook" mine --help >/dev/null 2>&1; then
    echo "loghub.sh: $casebook has no 'mine' command ('casebook mine --help' fails): this build predates the" \
         "template miner of issue 10, nothing to measure" >&2
    exit 2
fi
command -v python3 >/dev/null || { echo "loghub.sh: 'python3' is required" >&2; exit 2; }
[[ -d $data ]] || { echo "loghub.sh: $data is not a folder (set --data or LOGHUB_DIR)" >&2; exit 2; }
data=$(cd "$data" && pwd)
formats_md=$data/FORMATS.md
[[ -f $formats_md ]] || { echo "loghub.sh: $formats_md not found (set --data or LOGHUB_DIR)" >&2; exit 2; }

# The header formats, read from FORMATS.md by bench/loghub_formats.py (System<TAB>format per line).
formats=$(python3 "$here/loghub_formats.py" "$formats_md") ||
    { echo "loghub.sh: cannot read the header formats from $formats_md (see above)" >&2; exit 2; }
declare -A format=()
all=()
while IFS=$'\t' read -r s f; do format[$s]=$f; all+=("$s"); done <<<"$formats"

if [[ -n $systems ]]; then
    IFS=, read -r -a chosen <<<"$systems"
    for s in "${chosen[@]}"; do
        [[ -n ${format[$s]+x} ]] || { echo "loghub.sh: no system '$s' in $formats_md (it has: ${all[*]})" >&2; exit 2; }
    done
else
    chosen=("${all[@]}")
fi
for s in "${chosen[@]}"; do
    for f in "$s/${s}_2k.log" "$s/${s}_2k.log_structured_loghub2.csv" "$s/${s}_2k.log_structured_corrected.csv"; do
        [[ -f $data/$f ]] || { echo "loghub.sh: $data/$f not found" >&2; exit 2; }
    done
done

# Drain with its benchmark settings (FORMATS.md), Loghub-2.0 labels, 2k sets: the published per-system figures
# (logpai/loghub-2.0, RQs_experiments/RQ2/effectiveness_results.csv, the 2k half of each "2k / full" cell), and
# the issue's averages over these eight systems. Only for the Loghub-2.0 table.
# (The published HDFS PA, 0.500, is not what Drain with these settings gives: bench/drain_ref.py gets 0.3545, and
# with it the averages are the issue's anchors, GA 0.886 and PA 0.387.)
declare -A drain_ga=([HDFS]=0.998 [Hadoop]=0.948 [Spark]=0.922 [Zookeeper]=0.967 [OpenSSH]=0.789 [Apache]=1.000
                     [Linux]=0.690 [HealthApp]=0.780)
declare -A drain_pa=([HDFS]=0.500 [Hadoop]=0.269 [Spark]=0.362 [Zookeeper]=0.497 [OpenSSH]=0.508 [Apache]=0.694
                     [Linux]=0.183 [HealthApp]=0.231)
anchor_ga=0.886 anchor_pa=0.387 target_ga=0.95 target_pa=0.80

if [[ -n $keep ]]; then
    mkdir -p "$keep"
    outdir=$keep
else
    outdir=$(mktemp -d "${TMPDIR:-/tmp}/loghub.XXXXXX")
    trap 'rm -rf "$outdir"' EXIT
fi

echo "casebook: $("$casebook" --version 2>/dev/null || echo '?')   data: $data"
echo "mining ${#chosen[@]} systems (one run each, header format given)"
declare -A secs=()
for s in "${chosen[@]}"; do
    t0=$EPOCHREALTIME
    if ! "$casebook" mine "$data/$s/${s}_2k.log" --log-format "${format[$s]}" --lines "$outdir/$s.tsv" \
            >"$outdir/$s.out" 2>"$outdir/$s.err"; then
        echo "loghub.sh: casebook mine failed on $s:" >&2
        sed 's/^/  /' "$outdir/$s.err" >&2
        exit 1
    fi
    secs[$s]=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
done

status=0
for v in "${versions[@]}"; do
    echo
    if [[ $v == loghub2 ]]; then
        echo "== Loghub-2.0 labels (*_structured_loghub2.csv) =="
        printf '%-10s %7s %7s %7s %12s %7s   %9s %9s\n' SYSTEM GA PA FGA 'TEMPLATES' SECONDS 'DRAIN GA' 'DRAIN PA'
    else
        echo "== corrected-v1 labels (*_structured_corrected.csv): not comparable with the table above =="
        printf '%-10s %7s %7s %7s %12s %7s\n' SYSTEM GA PA FGA 'TEMPLATES' SECONDS
    fi
    rows=
    for s in "${chosen[@]}"; do
        truth=$data/$s/${s}_2k.log_structured_$v.csv
        if ! row=$(python3 "$here/loghub_score.py" "$truth" "$outdir/$s.tsv" --format tsv --explain "$explain" \
                2>"$outdir/$s.score.err"); then
            echo "loghub.sh: the scorer refused casebook's output for $s:" >&2
            sed 's/^/  /' "$outdir/$s.score.err" >&2
            status=1
            continue
        fi
        IFS=$'\t' read -r ga pa fga found true lines <<<"$row"
        rows+="$ga $pa $fga ${drain_ga[$s]:--} ${drain_pa[$s]:--}"$'\n'
        if [[ $v == loghub2 ]]; then
            printf '%-10s %7s %7s %7s %12s %7s   %9s %9s\n' "$s" "$ga" "$pa" "$fga" "$found/$true" "${secs[$s]}" \
                "${drain_ga[$s]:--}" "${drain_pa[$s]:--}"
        else
            printf '%-10s %7s %7s %7s %12s %7s\n' "$s" "$ga" "$pa" "$fga" "$found/$true" "${secs[$s]}"
        fi
        if ((explain)); then sed 's/^/    /' "$outdir/$s.score.err"; fi
    done
    [[ -n $rows ]] || continue
    awk -v n="${#chosen[@]}" -v v="$v" -v tga="$target_ga" -v tpa="$target_pa" \
        -v aga="$anchor_ga" -v apa="$anchor_pa" '
        NF == 5 { ga += $1; pa += $2; fga += $3; dga += $4; dpa += $5; k++ }
        END {
            if (v == "loghub2")
                printf "%-10s %7.4f %7.4f %7.4f %12s %7s   %9.3f %9.3f   (%d of %d systems)\n", "average",
                    ga / k, pa / k, fga / k, "", "", dga / k, dpa / k, k, n
            else
                printf "%-10s %7.4f %7.4f %7.4f   (%d of %d systems)\n", "average", ga / k, pa / k, fga / k, k, n
            printf "target: GA >= %s %s, PA >= %s %s (average, one shared configuration)\n",
                tga, (ga / k >= tga ? "ok" : "MISS"), tpa, (pa / k >= tpa ? "ok" : "MISS")
            if (v == "loghub2")
                printf "anchors (Loghub-2.0 labels, these 8 sets): Drain GA %s, PA %s; LILAC (LLM) PA about 0.86\n", aga, apa
        }' <<<"$rows"
done
exit $status
