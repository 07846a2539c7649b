casebook triage with a knowledge base: when a database is in use (--db, $CASEBOOK_DB, or the default file
exists), each finding's article (its conclusion's, else its playbook's) is shown with its title and state from
the store, with a warning when it is wip, archived or missing.  Without one, triage is as it always was, and it
never creates one.

  $ t="$FIX/triage-kb" && rm -rf "$t" && mkdir -p "$t"
  > python3 "$CB_SOURCE/examples/bundles/generate.py" "$t/demo" >/dev/null
  > casebook --db "$t/kb.db" kb import "$CB_SOURCE/examples/articles"
  imported 27 articles

Text: a line per finding with the article's title and state; both examples are validated: no warning.

  $ t="$FIX/triage-kb"
  > casebook --db "$t/kb.db" triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" | grep -E '^[0-9]+\.|^   (article|warning):' | cut -c1-100
  1. replication-mtu-mismatch — Replication or backup copy over WAN/VPN stalls at the same point, th
     article: KB-NET-0001 — Replication or backup copy stalls and fails with connection resets when 
  2. ips-inspection-drops-veeam-traffic — One VM disk fails at about the same percentage every run w
     article: KB-NET-0002 — One VM disk fails at the same percentage every run with connection reset
  $ t="$FIX/triage-kb"
  > casebook --db "$t/kb.db" triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" | grep -E '^   article:' | sed 's/.*(/(/'
  (validated)
  (validated)

JSON: "kb_article" next to "article", {id, title, state, audience}; Markdown: a line after the score.

  $ t="$FIX/triage-kb"
  > casebook --db "$t/kb.db" triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" --format json | python3 -c '
  > import json, sys
  > for f in json.load(sys.stdin)["findings"]:
  >     k = f["kb_article"]
  >     print(f["article"], k["id"], k["state"], k["audience"], k["title"][:30])'
  KB-NET-0001 KB-NET-0001 validated public Replication or backup copy sta
  KB-NET-0002 KB-NET-0002 validated public One VM disk fails at the same 
  $ t="$FIX/triage-kb"
  > casebook --db "$t/kb.db" triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" --format md | grep -E '^(Article|\*\*Warning)' | cut -c1-60
  Article KB-NET-0001: Replication or backup copy stalls and f
  Article KB-NET-0002: One VM disk fails at the same percentag

An article set to wip (a modified copy imported) and one archived: the state is shown and a warning says why
it needs care, in every format.

  $ t="$FIX/triage-kb" && mkdir -p "$t/changed"
  > sed 's/^state: validated$/state: wip/' "$CB_SOURCE/examples/articles/KB-NET-0001.md" > "$t/changed/KB-NET-0001.md"
  > sed 's/^state: validated$/state: archived/' "$CB_SOURCE/examples/articles/KB-NET-0002.md" > "$t/changed/KB-NET-0002.md"
  > casebook --db "$t/changed.db" kb import "$t/changed"
  > casebook --db "$t/changed.db" triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" | grep -E '^   (article|warning):' | sed 's/ — .*(/ — ... (/'
  > casebook --db "$t/changed.db" triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" --format json | python3 -c '
  > import json, sys
  > print([(f["kb_article"]["id"], f["kb_article"]["state"]) for f in json.load(sys.stdin)["findings"]])'
  > casebook --db "$t/changed.db" triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" --format md | grep -E '^\*\*Warning'
  imported 2 articles
     article: KB-NET-0001 — ... (wip)
     warning: KB-NET-0001 is wip: its resolution is not established yet
     article: KB-NET-0002 — ... (archived)
     warning: KB-NET-0002 is archived: it may no longer apply
  [('KB-NET-0001', 'wip'), ('KB-NET-0002', 'archived')]
  **Warning:** KB-NET-0001 is wip: its resolution is not established yet
  **Warning:** KB-NET-0002 is archived: it may no longer apply

A database without the article: a warning in text and Markdown, null in JSON.

  $ t="$FIX/triage-kb" && mkdir -p "$t/one" && cp "$CB_SOURCE/examples/articles/KB-NET-0002.md" "$t/one/"
  > casebook --db "$t/one.db" kb import "$t/one"
  > casebook --db "$t/one.db" triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" | grep -E '^   (article|warning):' | cut -c1-40
  > casebook --db "$t/one.db" triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" --format json | python3 -c '
  > import json, sys
  > print([(f["article"], f["kb_article"] and f["kb_article"]["id"]) for f in json.load(sys.stdin)["findings"]])'
  > casebook --db "$t/one.db" triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" --format md | grep -E '^\*\*Warning'
  imported 1 article
     warning: KB-NET-0001 is not in the kn
     article: KB-NET-0002 — One VM disk 
  [('KB-NET-0001', None), ('KB-NET-0002', 'KB-NET-0002')]
  **Warning:** KB-NET-0001 is not in the knowledge base

A finding that concluded names its conclusion's article, not its playbook's: here the playbook names
KB-NET-0004 and its conclusion KB-NET-0003.

  $ t="$FIX/triage-kb" && mkdir -p "$t/pb" && cat > "$t/pb/resets.yaml" <<'YAML'
  > casebook: 1
  > id: resets
  > title: Connections reset
  > article: KB-NET-0004
  > signatures:
  >   reset:
  >     pattern: 'was forcibly closed by the remote host'
  >     severity: error
  > start: any-reset
  > nodes:
  >   any-reset:
  >     check: [reset]
  >     yes: blocked
  >     no: fine
  >   blocked:
  >     conclude: Something on the path resets the connections
  >     article: KB-NET-0003
  >   fine:
  >     conclude: Nothing resets the connections
  > YAML
  > casebook --db "$t/kb.db" triage "$t/demo/replication-mtu.tar.gz" -p "$t/pb" | grep -E '^[0-9]+\.|^   (conclusion|article|warning):' | cut -c1-70
  > casebook --db "$t/kb.db" triage "$t/demo/replication-mtu.tar.gz" -p "$t/pb" --format json | python3 -c '
  > import json, sys
  > print([(f["article"], f["conclusion"], f["kb_article"]["id"]) for f in json.load(sys.stdin)["findings"]])'
  1. resets — Connections reset  [score 15.0, KB-NET-0004]
     conclusion: blocked — Something on the path resets the connection
     article: KB-NET-0003 — Adding or rescanning a server fails, NBD f
  [('KB-NET-0004', 'blocked', 'KB-NET-0003')]

No database in use: the output is as without a knowledge base (no "kb_article" key), and the default file is
looked up only when it exists.  A database named but missing is a warning, never created.

  $ t="$FIX/triage-kb"
  > casebook triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" | grep -cE '^   (article|warning):'
  > casebook triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" --format json | python3 -c '
  > import json, sys
  > print(["kb_article" in f for f in json.load(sys.stdin)["findings"]])'
  > mkdir -p "$t/xdg/casebook" && cp "$t/kb.db" "$t/xdg/casebook/casebook.db"
  > XDG_DATA_HOME="$t/xdg" casebook triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" | grep -cE '^   article:'
  > casebook --db "$t/missing.db" triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" 2>&1 >/dev/null
  > CASEBOOK_DB="$t/missing.db" casebook triage "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" 2>&1 | grep -cE '^   article:'
  > ls "$t/missing.db"
  0
  [False, False]
  2
  casebook: warning: triage: no database at $FIX/triage-kb/missing.db (it is not created here): articles are not looked up
  0
  ls: cannot access '$FIX/triage-kb/missing.db': No such file or directory
  [2]

casebook walk names a conclusion's article the same way when a database is in use (here KB-NET-0003, then
that article as wip, then a database without it, then no database).

  $ t="$FIX/triage-kb" && mkdir -p "$t/wip3"
  > sed 's/^state: validated$/state: wip/' "$CB_SOURCE/examples/articles/KB-NET-0003.md" > "$t/wip3/KB-NET-0003.md"
  > casebook --db "$t/wip3.db" kb import "$t/wip3" >/dev/null
  > casebook --db "$t/kb.db" walk resets -p "$t/pb" --bundle "$t/demo/replication-mtu.tar.gz" | grep -A1 '^Article'
  > casebook --db "$t/wip3.db" walk resets -p "$t/pb" --bundle "$t/demo/replication-mtu.tar.gz" | grep -A1 '^Article'
  > casebook --db "$t/one.db" walk resets -p "$t/pb" --bundle "$t/demo/replication-mtu.tar.gz" | grep -A1 '^Article'
  > casebook walk resets -p "$t/pb" --bundle "$t/demo/replication-mtu.tar.gz" | grep -A1 '^Article'
  Article: KB-NET-0003 — Adding or rescanning a server fails, NBD fails, or Veeam traffic uses the wrong network because of name resolution (validated)
  Article: KB-NET-0003 — Adding or rescanning a server fails, NBD fails, or Veeam traffic uses the wrong network because of name resolution (wip)
  Warning: KB-NET-0003 is wip: its resolution is not established yet
  Article: KB-NET-0003
  Warning: KB-NET-0003 is not in the knowledge base
  Article: KB-NET-0003
