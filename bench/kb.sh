#!/usr/bin/env bash
# bench/kb.sh — the knowledge base: import throughput and search latency (bench/kbbench), and
# how often a pasted log line finds the article that covers it.
#
#   bench/kb.sh [--count N] [--queries N] [--keep] [--verbose]
#
#   --count N     generated articles (default 100000), next to the 27 of examples/articles
#   --queries N   timed search queries (default 1000)
#   --keep        keep the database (bench/out/kb-N/kb.db) after the run
#   --verbose     list the slow queries (over 20 ms) and the pasted lines whose article is not first
#
# The articles come from bench/gen_articles.py (deterministic) into bench/out/kb-N/articles, generated
# only when missing or made by another version of the script.  kbbench imports the examples and the
# generated directory into a new store (each one cb_kb_import, one transaction), times each query alone
# in one process (start-up excluded), then searches the lines of bench/kb_pasted_lines.tsv against all
# of it.  Exit status: 0 done (targets are reported, not enforced), 1 kbbench failed, 2 usage.
# See bench/README.md.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
count=100000
nqueries=1000
keep=0
verbose=()
usage() { sed -n '2,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while (($#)); do
    case $1 in
        --count) count=${2:?--count needs a value}; shift 2 ;;
        --queries) nqueries=${2:?--queries needs a value}; shift 2 ;;
        --keep) keep=1; shift ;;
        --verbose) verbose=(--verbose); shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "kb.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
[[ $count =~ ^[0-9]+$ ]] || { echo "kb.sh: --count must be a number" >&2; exit 2; }
[[ $nqueries =~ ^[1-9][0-9]*$ ]] || { echo "kb.sh: --queries must be a positive number" >&2; exit 2; }

build=${BUILD:-$repo/build}
if [[ ! -f $build/build.ninja ]]; then
    echo "kb.sh: $build is not configured — run 'make build' first (or set BUILD=...)" >&2
    exit 2
fi
ninja -C "$build" bench/kbbench >/dev/null
kbbench=$build/bench/kbbench

out=$here/out/kb-$count
stamp="$(sha256sum "$here/gen_articles.py" | cut -c1-16) $count"
if [[ ! -f $out/stamp || $(cat "$out/stamp") != "$stamp" ]]; then
    echo "generating $count articles in $out/articles ..." >&2
    rm -rf "$out"
    mkdir -p "$out"
    python3 "$here/gen_articles.py" "$out/articles" --count "$count" --queries "$out/queries.tsv" \
        --nqueries "$nqueries" >&2
    echo "$stamp" >"$out/stamp"
elif [[ $(wc -l <"$out/queries.tsv") -ne $nqueries ]]; then
    python3 "$here/gen_articles.py" "$out/none" --count 0 --queries "$out/queries.tsv" --nqueries "$nqueries" >&2
fi

mem_kib=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "casebook knowledge-base benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine : $(nproc) CPUs, ${cpu:-unknown CPU}, $(awk -v k="$mem_kib" 'BEGIN { printf "%.1f GiB", k / 1048576 }') RAM, Linux $(uname -r)"
echo "load    : $(cut -d ' ' -f 1-3 /proc/loadavg) at the start (1/5/15-min load averages; other work skews timings)"
echo "sqlite  : $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)' 2>/dev/null || echo '?') (Python's; casebook links the system libsqlite3)"
echo "articles: $count generated (bench/gen_articles.py) + $(ls "$repo/examples/articles" | wc -l) examples, $(du -sh "$out/articles" | cut -f1) of files"
echo
status=0
"$kbbench" --db "$out/kb.db" --queries "$out/queries.tsv" --pairs "$here/kb_pasted_lines.tsv" "${verbose[@]}" \
    "$repo/examples/articles" "$out/articles" || status=1
echo
echo "database: $(du -sh "$out/kb.db" | cut -f1) ($out/kb.db)"
if ((keep)); then echo "kept $out/kb.db"; else rm -f "$out/kb.db" "$out/kb.db-wal" "$out/kb.db-shm"; fi
exit "$status"
