casebook case: support cases in the database --db names.  Each block works in a database of its own under $FIX.

  $ casebook case --help | head -3
  usage: casebook case new|show|list|note|link|escalate|close|walk ... (casebook case ACTION --help for each)
  
  support cases: new, show, list, note, link, escalate, close, walk
  $ casebook case; echo "exit $?"
  casebook: case: give an action: new, show, list, note, link, escalate, close, walk
  Try 'casebook case --help'.
  exit 2
  $ casebook case frobnicate; echo "exit $?"
  casebook: case: unknown action 'frobnicate' (new, show, list, note, link, escalate, close, walk)
  Try 'casebook case --help'.
  exit 2
  $ casebook case new --help | head -1
  usage: casebook case new --title T [--customer C] [--product P] [--version V] [--severity 1-4] [--env TEXT] [--bundle B [-p PATH]...]
  $ casebook case close --help | head -1
  usage: casebook case close ID --resolution TEXT [--link ARTICLE [--type reused|created|modified]]
  $ casebook help case | head -1
  usage: casebook case new|show|list|note|link|escalate|close|walk ... (casebook case ACTION --help for each)

Usage errors, before any database is opened:

  $ casebook case new; echo "exit $?"
  casebook: case new: a case needs --title
  Try 'casebook case new --help'.
  exit 2
  $ casebook case new --title T --severity 5; echo "exit $?"
  casebook: case new: --severity is 1 (highest) to 4, not '5'
  Try 'casebook case new --help'.
  exit 2
  $ casebook case new --title T -p somewhere; echo "exit $?"
  casebook: case new: -p is for the triage of --bundle
  Try 'casebook case new --help'.
  exit 2
  $ casebook case show; echo "exit $?"
  casebook: case show: takes one case ID
  Try 'casebook case show --help'.
  exit 2
  $ casebook case show CASE-0001 --format text; echo "exit $?"
  casebook: case show: unknown format 'text' (md or json)
  Try 'casebook case show --help'.
  exit 2
  $ casebook case link CASE-0001 KB-NET-0001; echo "exit $?"
  casebook: case link: give the link's --type: reused, created or modified
  Try 'casebook case link --help'.
  exit 2
  $ casebook case link CASE-0001 KB-NET-0001 --type borrowed; echo "exit $?"
  casebook: case link: unknown link type 'borrowed' (reused, created or modified)
  Try 'casebook case link --help'.
  exit 2
  $ casebook case close CASE-0001; echo "exit $?"
  casebook: case close: closing needs --resolution TEXT
  Try 'casebook case close --help'.
  exit 2
  $ casebook case close CASE-0001 --resolution r --type created; echo "exit $?"
  casebook: case close: --type is the type of the --link
  Try 'casebook case close --help'.
  exit 2
  $ casebook case escalate CASE-0001 --why stuck; echo "exit $?"
  casebook: case escalate: an escalation needs --to HANDLE and --why TEXT
  Try 'casebook case escalate --help'.
  exit 2
  $ casebook case list --format md; echo "exit $?"
  casebook: case list: unknown format 'md' (text or json)
  Try 'casebook case list --help'.
  exit 2

A case opened with the demo bundle: its id alone on the first line, then the triage as `casebook triage`
prints it, then the similar earlier cases (none in a new database).  The second case with the same kind of
bundle finds the first, with its resolution and linked article once it is closed.

  $ python3 "$CB_SOURCE/examples/bundles/generate.py" "$FIX/case-demo" >/dev/null
  > db="$FIX/case-flow.db" && rm -f "$db" && export CASEBOOK_DB="$db"
  > casebook kb import "$CB_SOURCE/examples/articles"
  > casebook case new --title "Replication stalls at ACME" --customer ACME --severity 2 --bundle "$FIX/case-demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" > "$FIX/case-new.out"; echo "exit $?"
  > head -1 "$FIX/case-new.out"
  > sed -n 3p "$FIX/case-new.out" | cut -d: -f1
  > grep -c '^1\. replication-mtu-mismatch' "$FIX/case-new.out"
  > grep -m1 '^   article: ' "$FIX/case-new.out"
  > sed -n '/^Similar/,$p' "$FIX/case-new.out"
  > casebook case close CASE-0001 --resolution "MSS clamped to 1360 on the VPN" --link KB-NET-0001; echo "exit $?"
  > casebook case new --title "Backup copy fails at Initech" --customer Initech --bundle "$FIX/case-demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" | sed -n '1p;/^Similar/,$p'
  > casebook case new --title "No bundle yet"
  > casebook kb list --sort reuse | head -3 | cut -c1-42
  > casebook kb list --sort reuse --format json | python3 -c 'import json,sys; a=json.load(sys.stdin)[0]; print(a["id"], a["reuse"], a["last_linked"] is not None)'
  > casebook kb list --sort size; echo "exit $?"
  > rm -f "$db" "$FIX/case-new.out"
  imported 27 articles
  exit 0
  CASE-0001
  $FIX/case-demo/replication-mtu.tar.gz
  1
     article: KB-NET-0001 — Replication or backup copy stalls and fails with connection resets when the path MTU is smaller than the proxies' (validated)
  Similar earlier cases: none yet
  closed CASE-0001 (resolved)
  linked KB-NET-0001 (reused)
  KB-NET-0001 is now linked to 1 case
  exit 0
  CASE-0002
  Similar earlier cases:
    CASE-0001  score 1.00  resolved  Replication stalls at ACME
        resolution: MSS clamped to 1360 on the VPN
        articles: KB-NET-0001
        shared: ips-inspection-drops-veeam-traffic (3 signatures), replication-mtu-mismatch (5 signatures)
  CASE-0003
  
  Similar earlier cases: none yet
  ID            STATE         AUDIENCE REUSE
  KB-NET-0001   validated     public       1
  KB-HDP-0001   validated     public       0
  KB-NET-0001 1 True
  casebook: kb: --sort takes id or reuse, not 'size'
  Try 'casebook kb --help'.
  exit 2

The stored triage: rows, the JSON summary (as `triage --format json` gives it), the absolute bundle path and its
fingerprint, never the logs.

  $ python3 "$CB_SOURCE/examples/bundles/generate.py" "$FIX/case-demo" >/dev/null
  > db="$FIX/case-json.db" && rm -f "$db" && export CASEBOOK_DB="$db"
  > cd "$FIX/case-demo" && casebook case new --title T --bundle replication-mtu.tar.gz -p "$CB_SOURCE/examples/playbooks" | head -1
  > casebook case show CASE-0001 --format json | python3 -c '
  > import json, sys
  > c = json.load(sys.stdin)
  > print(c["id"], c["status"], c["title"], c["engineer"])
  > print(c["bundle"]["path"], len(c["bundle"]["fingerprint"]))
  > print([(f["playbook"], f["rank"], f["node"]) for f in c["fired"]][:2])
  > print(c["triage"]["bundle"], [f["playbook"] for f in c["triage"]["findings"]][:2])
  > print(sorted(k for k in c))'
  > casebook case show CASE-0001 | sed -n '1,3p;/^## Triage/,/^2\./p' | grep -v -e Opened -e Fingerprint
  > rm -f "$db"
  CASE-0001
  CASE-0001 open T None
  $FIX/case-demo/replication-mtu.tar.gz 64
  [('replication-mtu-mismatch', 1, 'small-packets-work'), ('ips-inspection-drops-veeam-traffic', 2, 'same-point-every-run')]
  $FIX/case-demo/replication-mtu.tar.gz ['replication-mtu-mismatch', 'ips-inspection-drops-veeam-traffic']
  ['bundle', 'closed', 'customer', 'engineer', 'environment', 'escalations', 'fired', 'id', 'links', 'notes', 'opened', 'product', 'resolution', 'severity', 'status', 'title', 'triage', 'version', 'walks']
  # CASE-0001: T
  
  - Status: open
  ## Triage
  
  1. `replication-mtu-mismatch`: stopped at `small-packets-work`
     - `conn-reset`: 672 lines
     - `data-timeout`: 434 lines
     - `resume-on-disconnect`: 413 lines
     - `stuck-progress`: 935 lines
     - `unstable-connection`: 623 lines
  2. `ips-inspection-drops-veeam-traffic`: stopped at `same-point-every-run`

Notes, links, escalations and close, with people: every write names its author.

  $ db="$FIX/case-people.db" && rm -f "$db" && export CASEBOOK_DB="$db"
  > casebook people add kde --name "Kim" --role publisher
  > casebook --as kde people add ana --name "Ana" --role contributor
  > unset CASEBOOK_USER
  > casebook --as kde kb import "$CB_SOURCE/examples/articles" >/dev/null
  > mkdir -p "$FIX/case-arch" && printf -- '---\nid: KB-OLD-0001\ntitle: Old\nstate: archived\naudience: internal\n---\n## Issue\nold\n## Environment\nany\n## Resolution\nnone\n' > "$FIX/case-arch/KB-OLD-0001.md"
  > casebook --as kde kb import "$FIX/case-arch"
  > casebook case new --title "Slow restores"; echo "exit $?"
  > casebook --as zed case new --title "Slow restores"; echo "exit $?"
  > casebook --as ana case new --title "Slow restores" --customer "Zoë & Co" --product Backup --version 12.1 --env "two proxies
  > one repository"
  > casebook --as ana case note CASE-0001 "customer sent the bundle"
  > casebook --as ana case note CASE-0001 ""; echo "exit $?"
  > casebook --as ana case note CASE-0404 "x"; echo "exit $?"
  > casebook --as ana case escalate CASE-0001 --to nobody --why stuck; echo "exit $?"
  > casebook --as ana case escalate CASE-0001 --to kde --why "needs a KDE" --playbook replication-mtu-mismatch --pattern conn-reset
  > casebook --as ana case link CASE-0001 KB-NOPE-0001 --type reused; echo "exit $?"
  > casebook --as ana case link CASE-0001 KB-NET-0001 --type modified
  > casebook --as ana case link CASE-0001 KB-NET-0001 --type modified
  > casebook kb show KB-NET-0001 | grep '^reuse' | cut -d';' -f1
  > casebook --as ana case link CASE-0001 KB-OLD-0001 --type reused; echo "exit $?"
  > casebook --as kde case close CASE-0001 --resolution "restores go to the fast tier" --link KB-NOPE-0002; echo "exit $?"
  > casebook --as kde case close CASE-0001 --resolution "restores go to the fast tier" --link KB-OLD-0001; echo "exit $?"
  > casebook case list --open | cut -c1-9,11-19
  > casebook --as kde case close CASE-0001 --resolution "restores go to the fast tier" --link KB-NET-0002 --type reused
  > casebook --as kde case close CASE-0001 --resolution again; echo "exit $?"
  > casebook case show CASE-0001 | grep -v -e Opened -e Closed | sed -e 's/20[0-9-]*T[0-9:]*Z/TIME/g'
  > casebook kb show KB-NET-0002 | grep '^reuse' | cut -d';' -f1
  > rm -rf "$db" "$FIX/case-arch"
  imported 1 article
  casebook: case new: who is acting? give --as HANDLE or set CASEBOOK_USER
  exit 2
  casebook: case new: --as: unknown person 'zed' (see 'casebook people list')
  exit 2
  CASE-0001
  
  Similar earlier cases: none yet
  note 1 added to CASE-0001
  casebook: case note: a note must not be empty
  exit 2
  casebook: case note: no case CASE-0404
  exit 2
  casebook: case escalate: escalate to: no person 'nobody'
  exit 2
  escalation 1 of CASE-0001: to kde
  casebook: case link: no article KB-NOPE-0001
  exit 2
  linked KB-NET-0001 to CASE-0001 (modified)
  KB-NET-0001 is now linked to 1 case
  linked KB-NET-0001 to CASE-0001 (modified)
  KB-NET-0001 is now linked to 1 case
  reuse: 1 case
  casebook: case link: [link-archived] KB-OLD-0001 is archived and cannot receive new links
  exit 2
  casebook: case close: no article KB-NOPE-0002
  exit 2
  casebook: case close: [link-archived] KB-OLD-0001 is archived and cannot receive new links
  exit 2
  ID        STATUS  
  CASE-0001 open    
  closed CASE-0001 (resolved)
  linked KB-NET-0002 (reused)
  KB-NET-0002 is now linked to 1 case
  casebook: case close: case CASE-0001 is already closed
  exit 2
  # CASE-0001: Slow restores
  
  - Status: resolved
  - Customer: Zoë & Co
  - Product: Backup
  - Version: 12.1
  - Engineer: ana
  
  ## Environment
  
  two proxies
  one repository
  
  ## Notes
  
  1. TIME, ana:
  
  customer sent the bundle
  
  ## Articles
  
  - KB-NET-0001 (modified), ana, TIME
  - KB-NET-0002 (reused), kde, TIME
  
  ## Escalations
  
  1. ana to kde, TIME, pattern `replication-mtu-mismatch`/`conn-reset`: needs a KDE (resolved TIME by kde)
  
  ## Resolution
  
  restores go to the fast tier
  reuse: 1 case

Listing and its filters.

  $ db="$FIX/case-list.db" && rm -f "$db" && export CASEBOOK_DB="$db"
  > casebook people add ana --name Ana --role publisher >/dev/null
  > casebook --as ana people add bob --name Bob --role contributor >/dev/null
  > casebook --as ana case new --title one --customer ACME >/dev/null
  > casebook --as bob case new --title two --customer Initech --severity 1 >/dev/null
  > casebook --as ana case new --title three --customer ACME >/dev/null
  > casebook --as bob case close CASE-0002 --resolution done >/dev/null
  > casebook case list | cut -c1-24,36-
  > casebook case list --open --customer ACME | cut -c1-10
  > casebook case list --engineer bob | cut -c1-10
  > casebook case list --since 2999-01-01
  > casebook case list --since yesterday; echo "exit $?"
  > casebook case list --since 1h | cut -c1-9
  > casebook case list --since 2999-01-01T00:00Z
  > casebook case list --format json | python3 -c 'import json,sys; print([(c["id"], c["status"], c["engineer"], c["severity"]) for c in json.load(sys.stdin)["cases"]])'
  > rm -f "$db"
  ID         STATUS   SEV ENGINEER   CUSTOMER       TITLE
  CASE-0003  open     -   ana        ACME           three
  CASE-0002  resolved 1   bob        Initech        two
  CASE-0001  open     -   ana        ACME           one
  ID        
  CASE-0003 
  CASE-0001 
  ID        
  CASE-0002 
  no cases
  casebook: case list: --since: 'yesterday' is not an ISO 8601 time (2026-12-01, 2026-12-01T09:30Z; UTC without a zone) or a duration back from now (30m, 2h, 7d, 1w)
  Try 'casebook case list --help'.
  exit 2
  ID       
  CASE-0003
  CASE-0002
  CASE-0001
  no cases
  [('CASE-0003', 'open', 'ana', None), ('CASE-0002', 'resolved', 'bob', 1), ('CASE-0001', 'open', 'ana', None)]

Nothing is written by a case new whose bundle cannot be read.

  $ db="$FIX/case-bad.db" && rm -f "$db" && export CASEBOOK_DB="$db"
  > casebook case new --title T --bundle "$FIX/no-such-bundle" -p "$CB_SOURCE/examples/playbooks"; echo "exit $?"
  > casebook case new --title "$(printf 'bad\033[31m')"; echo "exit $?"
  > casebook case list
  > rm -f "$db"
  casebook: case new: $FIX/no-such-bundle: No such file or directory
  exit 2
  casebook: case new: a title must not contain control characters (one line)
  exit 2
  no cases

Walks (stored by `case walk`; here written straight into the table): one summary line each in md, the whole
transcript in json.

  $ db="$FIX/case-walks.db" && rm -f "$db" && export CASEBOOK_DB="$db"
  > casebook case new --title W >/dev/null
  > python3 -c '
  > import sqlite3, sys
  > c = sqlite3.connect(sys.argv[1])
  > c.execute("INSERT INTO case_walks (case_id, n, playbook, mode, status, node, article, hints_used, coach_questions, reveals, who, at, transcript) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
  >           ("CASE-0001", 1, "replication-mtu-mismatch", "coach", "concluded", "mtu-fix", "KB-NET-0001", 2, 3, 1, None, "2024-03-14T09:00:00Z", "{\"steps\": [{\"node\": \"a\"}]}"))
  > c.commit()' "$db"
  > casebook case show CASE-0001 | sed -n '/^## Walks/,$p'
  > casebook case show CASE-0001 --format json | python3 -c 'import json,sys; w=json.load(sys.stdin)["walks"][0]; print(w["n"], w["status"], w["node"], w["article"], w["hints_used"], w["transcript"])'
  > rm -f "$db"
  ## Walks
  
  1. `replication-mtu-mismatch` (coach): concluded at `mtu-fix`, article KB-NET-0001; 2 hints, 3 coach questions, 1 reveal; 2024-03-14T09:00:00Z
  1 concluded mtu-fix KB-NET-0001 2 {'steps': [{'node': 'a'}]}

Two processes opening cases at once: each id is taken inside the writing transaction, so none is lost or shared.

  $ db="$FIX/case-race.db" && rm -f "$db" && export CASEBOOK_DB="$db"
  > casebook case list >/dev/null
  > for p in a b; do (for i in 1 2 3 4 5 6 7 8; do casebook case new --title "$p$i" | head -1; done > "$FIX/case-race-$p") & done; wait
  > cat "$FIX/case-race-a" "$FIX/case-race-b" | sort -u | wc -l
  > casebook case list --format json | python3 -c 'import json,sys; c=json.load(sys.stdin)["cases"]; print(len(c), sorted(x["id"] for x in c)[-1])'
  > rm -f "$db" "$FIX/case-race-a" "$FIX/case-race-b"
  16
  16 CASE-0016
