casebook kb: the knowledge base's articles in the database --db names.  Each block works in a
database of its own under $FIX.

  $ casebook kb --help | head -3
  usage: casebook kb import DIR | export DIR | search QUERY... [--all] [--limit N] [--format text|json] | show ID [--format md|json] | list [--state S] [--tag T] [--product P] [--stale DAYS] [--all] [--sort id|reuse] [--format text|json] | add [FILE.md] [--domain D] [--force] | edit ID [--why TEXT] | state ID NEW --why TEXT [--force] | flag ID TEXT... | flag ID --resolve N | history ID [--format text|json]
  
  articles: search, show, list, add, edit, state, flag, history, import, export
  $ casebook kb; echo "exit $?"
  casebook: kb: give an action: import, export, search, show, list, add, edit, state, flag or history
  Try 'casebook kb --help'.
  exit 2
  $ casebook kb frobnicate; echo "exit $?"
  casebook: kb: unknown action 'frobnicate' (import, export, search, show, list, add, edit, state, flag or history)
  Try 'casebook kb --help'.
  exit 2
  $ casebook kb show; echo "exit $?"
  casebook: kb: show takes one ID
  Try 'casebook kb --help'.
  exit 2
  $ casebook kb list --limit 3; echo "exit $?"
  casebook: kb: an option given is not one of list's (see --help)
  Try 'casebook kb --help'.
  exit 2
  $ casebook kb show KB-NET-0001 --format text; echo "exit $?"
  casebook: kb: unknown format 'text' (md or json)
  Try 'casebook kb --help'.
  exit 2

Import the examples, export them again: the same bytes.

  $ db="$FIX/kb-roundtrip.db" && rm -rf "$db" "$FIX/kb-out"
  > casebook --db "$db" kb import "$CB_SOURCE/examples/articles"; echo "exit $?"
  > casebook --db "$db" kb export "$FIX/kb-out"; echo "exit $?"
  > diff -r "$FIX/kb-out" "$CB_SOURCE/examples/articles" && echo identical
  > casebook --db "$db" kb import "$CB_SOURCE/examples/articles" 2>&1 | tail -1
  > rm -rf "$db" "$FIX/kb-out"
  imported 27 articles
  exit 0
  exported 27 articles
  exit 0
  identical
  casebook: kb import: 27 problems; nothing imported

Search: typed words must all match; a pasted log line is read as its constant words, ranked.
Nothing found is exit 1.

  $ db="$FIX/kb-search.db" && rm -f "$db"
  > casebook --db "$db" kb import "$CB_SOURCE/examples/articles" >/dev/null
  > casebook --db "$db" kb search forcibly closed | grep -c '^ *[0-9]*\. KB-'
  > casebook --db "$db" kb search forcibly closed --format json | python3 -c 'import json,sys; print(sorted(h["id"] for h in json.load(sys.stdin)))'
  > casebook --db "$db" kb search "[12.03.2024 20:03:47] <43> Warning [ReconnectableSocket] Connection to 'dr-proxy01.corp.example:2503' was interrupted: An existing connection was forcibly closed by the remote host" --limit 2 | cut -c1-60
  > casebook --db "$db" kb search zzzqqq nothing; echo "exit $?"
  > casebook --db "$db" kb search zzzqqq --format json; echo "exit $?"
  > rm -f "$db"
  2
  ['KB-NET-0001', 'KB-NET-0002']
  (the query was read as a log line: any of its words, ranked)
   1. KB-NET-0001  Replication or backup copy stalls and fails
      …The job log shows "An [existing] [connection] was [fo
   2. KB-NET-0002  One VM disk fails at the same percentage ev
      …shows "An [existing] [connection] was [forcibly] [clo
  no article found
  exit 1
  []
  exit 1

Show: the article with what the store knows of it; json holds every field.

  $ db="$FIX/kb-show.db" && rm -f "$db"
  > casebook --db "$db" kb import "$CB_SOURCE/examples/articles" >/dev/null
  > casebook --db "$db" kb show KB-NET-0001 | head -4
  > casebook --db "$db" kb show KB-NET-0001 | tail -2
  > casebook --db "$db" kb show KB-NET-0001 --format json | python3 -c 'import json,sys; a=json.load(sys.stdin); print(a["id"], a["state"], a["audience"], a["product"]); print(a["derived"]); print(a["sections"]["issue"][:40])'
  > casebook --db "$db" kb show KB-NOPE-0001; echo "exit $?"
  > rm -f "$db"
  ---
  id: KB-NET-0001
  title: Replication or backup copy stalls and fails with connection resets when the path MTU is smaller than the proxies'
  state: validated
  ---
  reuse: 0 cases; last linked: never; open flags: 0; revisions: 1
  KB-NET-0001 validated public Veeam Backup & Replication
  {'reuse': 0, 'last_linked': None, 'open_flags': 0, 'revisions': 1}
  Replication (or backup copy) to the DR s
  casebook: kb show: no article KB-NOPE-0001
  exit 2

List: a table; filters by state, tag, product, staleness.

  $ db="$FIX/kb-list.db" && rm -f "$db"
  > casebook --db "$db" kb list
  > casebook --db "$db" kb import "$CB_SOURCE/examples/articles" >/dev/null
  > casebook --db "$db" kb list --state validated | head -3
  > casebook --db "$db" kb list --state validated | wc -l
  > casebook --db "$db" kb list --state wip --format json
  > casebook --db "$db" kb list --state bogus; echo "exit $?"
  > rm -f "$db"
  no articles
  ID            STATE         AUDIENCE REUSE PRODUCT                    TITLE
  KB-HDP-0001   validated     public       0 Apache Hadoop HDFS         HDFS writes fail: could only be replicated to 0 nodes instead of minReplication (=1)
  KB-HDP-0002   validated     public       0 Apache Hadoop HDFS         HDFS read-only: NameNode low on available disk space, Entering safe mode
  19
  []
  casebook: kb: unknown state 'bogus' (wip, not-validated, validated or archived)
  Try 'casebook kb --help'.
  exit 2

An import with one bad file writes nothing: the problem as file:line:col, exit 2.

  $ db="$FIX/kb-bad.db" && d="$FIX/kb-bad" && rm -rf "$db" "$d" && mkdir "$d"
  > cp "$CB_SOURCE/examples/articles/KB-NET-0001.md" "$CB_SOURCE/examples/articles/KB-NET-0002.md" "$d/"
  > sed 's/^state: validated$/state: shiny/' "$CB_SOURCE/examples/articles/KB-NET-0003.md" > "$d/KB-NET-0003.md"
  > casebook --db "$db" kb import "$d" 2>&1 | sed "s|$FIX|\$FIX|"; echo "exit ${PIPESTATUS[0]}"
  > casebook --db "$db" kb list
  > rm -rf "$db" "$d"
  $FIX/kb-bad/KB-NET-0003.md:4:8: unknown state 'shiny' (wip, not-validated, validated, archived)
  casebook: kb import: 1 problem; nothing imported
  exit 2
  no articles
