casebook case walk: the walk of `casebook walk`, against the case's bundle, its transcript kept in the case after
every answer and at the end, whatever the way it ends; `case close` then offers the article the walk concluded on.

  $ t="$FIX/case-walk" && rm -rf "$t" && mkdir -p "$t"
  > python3 "$CB_SOURCE/examples/bundles/generate.py" "$t/demo" >/dev/null
  > export CASEBOOK_DB="$t/kb.db"
  > casebook kb import "$CB_SOURCE/examples/articles"
  > casebook case new --title "Replica stalls at 37%" --bundle "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" | head -1
  > printf 'small-packets-work: "yes, only the bulk transfer stalls"\n' > "$t/part.yaml"
  > printf 'small-packets-work: "yes, only the bulk transfer stalls"\ndf-ping: "no, it needs to fragment"\nfind-path-mtu: path MTU 1400 at the VPN gateway\nwhere-is-the-limit: 1\n' > "$t/all.yaml"
  > { printf 'resets-in-job-log: yes\nstalls-before-reset: yes\n'; cat "$t/all.yaml"; } > "$t/nobundle.yaml"
  imported 27 articles
  CASE-0001

Usage.

  $ export CASEBOOK_DB="$FIX/case-walk/kb.db"
  > casebook case walk --help | head -3
  > casebook case walk CASE-0001; echo "exit $?"
  > casebook case walk CASE-0404 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks"; echo "exit $?"
  > casebook case walk CASE-0001 no-such-playbook -p "$CB_SOURCE/examples/playbooks"; echo "exit $?"
  > casebook case walk CASE-0001 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --resume; echo "exit $?"
  > casebook case show CASE-0001 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["walks"])'
  usage: casebook case walk ID PLAYBOOK [-p PATH]... [--coach] [--answers FILE] [--resume]
  
  walk a playbook for a case, its transcript kept in the case
  casebook: case walk: takes a case ID and a PLAYBOOK
  Try 'casebook case walk --help'.
  exit 2
  casebook: case walk: no case CASE-0404
  exit 2
  casebook: case walk: no playbook 'no-such-playbook' in $CB_SOURCE/examples/playbooks (give a playbook id from there, or the playbook's file)
  exit 2
  casebook: case walk: CASE-0001 has no unfinished walk of 'replication-mtu-mismatch' to resume
  exit 2
  []

A walk with an answers file: the case's bundle answers the checks, the conclusion names its article from the
knowledge base, and the walk is stored as walk 1.

  $ t="$FIX/case-walk" && export CASEBOOK_DB="$t/kb.db"
  > casebook case walk CASE-0001 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" -a "$t/all.yaml" > "$t/out"; echo "exit $?"
  > grep -E '^(Bundle|The logs answered|Article|Walk [0-9])' "$t/out" | sed 's/ — .*(/ — ... (/' 
  > casebook case show CASE-0001 | sed -n '/^## Walks/,/^## /p' | grep '^1\.' | sed 's/; 20[0-9T:-]*Z$//'
  > casebook case show CASE-0001 --format json | python3 -c '
  > import json, sys
  > for w in json.load(sys.stdin)["walks"]:
  >     tr = w["transcript"] if isinstance(w["transcript"], dict) else json.loads(w["transcript"])
  >     print(w["n"], w["playbook"], w["mode"], w["status"], w["node"], w["article"], tr["status"], tr["conclusion"], len(tr["steps"]))'
  exit 0
  Bundle: $FIX/case-walk/demo/replication-mtu.tar.gz (the logs answer the checks)
  The logs answered yes: conn-reset 672 + unstable-connection 623 = 1,295 lines (at least 3 needed).
  The logs answered yes: data-timeout 434 lines (at least 1 needed).
  Article: KB-NET-0001 — ... (validated)
  Walk 1 of CASE-0001 saved (concluded)
  1. `replication-mtu-mismatch` (guide): concluded at `mtu-mismatch`, article KB-NET-0001; 0 hints, 0 coach questions, 0 reveals
  1 replication-mtu-mismatch guide concluded mtu-mismatch KB-NET-0001 concluded mtu-mismatch 7

A walk that stops (the answers file has no answer for the next question) is kept too, with how to continue;
--resume continues it, in place (the same walk number).

  $ t="$FIX/case-walk" && export CASEBOOK_DB="$t/kb.db"
  > casebook case walk CASE-0001 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" -a "$t/part.yaml" 2>&1 | tail -2; echo "exit ${PIPESTATUS[0]}"
  > casebook case show CASE-0001 --format json | python3 -c 'import json,sys; print([(w["n"], w["status"], w["node"]) for w in json.load(sys.stdin)["walks"]])'
  > casebook case walk CASE-0001 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" -a "$t/all.yaml" --resume > "$t/out"; echo "exit $?"
  > grep -E '^(Resumed|Walk [0-9])' "$t/out"
  > casebook case show CASE-0001 --format json | python3 -c 'import json,sys; print([(w["n"], w["status"], w["node"]) for w in json.load(sys.stdin)["walks"]])'
  
  Walk 2 of CASE-0001 saved (stopped); continue with: casebook case walk CASE-0001 replication-mtu-mismatch --resume
  exit 1
  [(1, 'concluded', 'mtu-mismatch'), (2, 'stopped', 'df-ping')]
  exit 0
  Resumed from walk 2 of CASE-0001: 3 of 3 answers replayed.
  Walk 2 of CASE-0001 saved (concluded)
  [(1, 'concluded', 'mtu-mismatch'), (2, 'concluded', 'mtu-mismatch')]

Quit and skip are kept as well (typed on standard input: one answer a line).

  $ t="$FIX/case-walk" && export CASEBOOK_DB="$t/kb.db"
  > printf 'quit\n' | casebook case walk CASE-0001 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" | tail -1; echo "exit ${PIPESTATUS[1]}"
  > printf '1\nskip\n' | casebook case walk CASE-0001 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" | tail -1; echo "exit ${PIPESTATUS[1]}"
  > casebook case show CASE-0001 --format json | python3 -c 'import json,sys; print([(w["n"], w["status"], w["node"]) for w in json.load(sys.stdin)["walks"]])'
  Walk 3 of CASE-0001 saved (quit); continue with: casebook case walk CASE-0001 replication-mtu-mismatch --resume
  exit 0
  Walk 4 of CASE-0001 saved (skipped); continue with: casebook case walk CASE-0001 replication-mtu-mismatch --resume
  exit 1
  [(1, 'concluded', 'mtu-mismatch'), (2, 'concluded', 'mtu-mismatch'), (3, 'quit', 'small-packets-work'), (4, 'skipped', 'df-ping')]

Resuming takes the newest unfinished walk (here the skipped one, 4) and its answers.

  $ t="$FIX/case-walk" && export CASEBOOK_DB="$t/kb.db"
  > printf 'quit\n' | casebook case walk CASE-0001 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --resume | grep -E '^(Resumed|  \[|Walk [0-9])'
  Resumed from walk 4 of CASE-0001: 3 of 3 answers replayed.
    [1] resets-in-job-log: yes (logs)
    [2] stalls-before-reset: yes (logs)
    [3] small-packets-work: yes, only the bulk transfer stalls (unknown)
  Walk 4 of CASE-0001 saved (quit); continue with: casebook case walk CASE-0001 replication-mtu-mismatch --resume

The bundle is read only while it is the one the case was opened with: changed or gone, the walk goes on without
logs (its checks are asked).

  $ t="$FIX/case-walk" && export CASEBOOK_DB="$t/kb.db"
  > cp "$t/demo/replication-mtu.tar.gz" "$t/copy.tar.gz"
  > casebook case new --title "copy" --bundle "$t/copy.tar.gz" -p "$CB_SOURCE/examples/playbooks" | head -1
  > printf 'x' >> "$t/copy.tar.gz"
  > printf 'yes\n' | casebook case walk CASE-0002 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" 2>&1 | grep -E 'warning|^Bundle|^\[2\]|^Walk [0-9]'
  > rm "$t/copy.tar.gz"
  > printf 'quit\n' | casebook case walk CASE-0002 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" 2>&1 | grep -E 'warning|^Bundle|^Walk [0-9]'
  CASE-0002
  casebook: warning: the case's bundle $FIX/case-walk/copy.tar.gz is not used: its content changed since the case was opened (its fingerprint differs); the walk goes on without logs: its checks are asked
  [2] stalls-before-reset (check)
  Walk 1 of CASE-0002 saved (stopped); continue with: casebook case walk CASE-0002 replication-mtu-mismatch --resume
  casebook: warning: the case's bundle $FIX/case-walk/copy.tar.gz is not used: $FIX/case-walk/copy.tar.gz: No such file or directory; the walk goes on without logs: its checks are asked
  Walk 2 of CASE-0002 saved (quit); continue with: casebook case walk CASE-0002 replication-mtu-mismatch --resume

Closing without --link: off a terminal, a hint names the article the newest concluded walk ended on and how to
link it; on a terminal the question is asked, and yes (Enter) links it: its reuse count goes up.

  $ t="$FIX/case-walk" && export CASEBOOK_DB="$t/kb.db"
  > casebook kb show KB-NET-0001 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["derived"]["reuse"])'
  > casebook case new --title "third" --bundle "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" | head -1
  > casebook case walk CASE-0003 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" -a "$t/all.yaml" >/dev/null
  > casebook case close CASE-0001 --resolution "MSS clamped to 1360 on the VPN gateways"; echo "exit $?"
  > python3 "$CB_SOURCE/tests/cli/answer-pty.py" "" casebook case close CASE-0003 --resolution "MSS clamped"; echo "exit $?"
  > casebook kb show KB-NET-0001 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["derived"]["reuse"])'
  > casebook case show CASE-0003 --format json | python3 -c 'import json,sys; print([(l["article"], l["type"]) for l in json.load(sys.stdin)["links"]])'
  0
  CASE-0003
  casebook: case close: hint: KB-NET-0001 was not linked, though the walk of CASE-0001 concluded on it; link it with 'casebook case link CASE-0001 KB-NET-0001 --type reused' (or close with --link KB-NET-0001)
  closed CASE-0001 (resolved)
  exit 0
  The walk of CASE-0003 concluded on KB-NET-0001 — Replication or backup copy stalls and fails with connection resets when the path MTU is smaller than the proxies' (validated).
  Link KB-NET-0001 to CASE-0003 as reused? [Y/n] 
  closed CASE-0003 (resolved)
  linked KB-NET-0001 (reused)
  KB-NET-0001 is now linked to 1 case
  exit 0
  1
  [('KB-NET-0001', 'reused')]

No to the question: not linked, and no hint.  A case without a concluded walk is closed as before.

  $ t="$FIX/case-walk" && export CASEBOOK_DB="$t/kb.db"
  > casebook case new --title "fourth" | head -1
  > casebook case walk CASE-0004 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" -a "$t/nobundle.yaml" >/dev/null
  > python3 "$CB_SOURCE/tests/cli/answer-pty.py" "n" casebook case close CASE-0004 --resolution "not this"; echo "exit $?"
  > casebook case close CASE-0002 --resolution "gone"; echo "exit $?"
  > casebook kb show KB-NET-0001 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["derived"]["reuse"])'
  CASE-0004
  The walk of CASE-0004 concluded on KB-NET-0001 — Replication or backup copy stalls and fails with connection resets when the path MTU is smaller than the proxies' (validated).
  Link KB-NET-0001 to CASE-0004 as reused? [Y/n] n
  closed CASE-0004 (resolved)
  exit 0
  closed CASE-0002 (resolved)
  exit 0
  1

An archived article is not offered (it takes no links); with --link nothing is asked.

  $ t="$FIX/case-walk" && export CASEBOOK_DB="$t/arch.db" && mkdir -p "$t/arch"
  > sed 's/^state: validated$/state: archived/' "$CB_SOURCE/examples/articles/KB-NET-0001.md" > "$t/arch/KB-NET-0001.md"
  > cp "$CB_SOURCE/examples/articles/KB-NET-0002.md" "$t/arch/"
  > casebook kb import "$t/arch"
  > casebook case new --title "a" --bundle "$t/demo/replication-mtu.tar.gz" -p "$CB_SOURCE/examples/playbooks" | head -1
  > casebook case walk CASE-0001 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" -a "$t/all.yaml" | grep -A1 '^Article' | sed 's/ — .*(/ — ... (/'
  > python3 "$CB_SOURCE/tests/cli/answer-pty.py" "" casebook case close CASE-0001 --resolution "x"; echo "exit $?"
  > casebook case new --title "b" | head -1
  > casebook case walk CASE-0002 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" -a "$t/nobundle.yaml" >/dev/null
  > python3 "$CB_SOURCE/tests/cli/answer-pty.py" "" casebook case close CASE-0002 --resolution "x" --link KB-NET-0002; echo "exit $?"
  imported 2 articles
  CASE-0001
  Article: KB-NET-0001 — ... (archived)
  Warning: KB-NET-0001 is archived: it may no longer apply
  casebook: case close: note: the walk of CASE-0001 concluded on KB-NET-0001, which is archived: not linked
  closed CASE-0001 (resolved)
  exit 0
  CASE-0002
  closed CASE-0002 (resolved)
  linked KB-NET-0002 (reused)
  KB-NET-0002 is now linked to 1 case
  exit 0

Once the store has people, the walk is saved as the acting person's (and needs one).

  $ t="$FIX/case-walk" && export CASEBOOK_DB="$t/people.db"
  > casebook people add ana --name Ana --role contributor
  > casebook --as ana case new --title "p" | head -1
  > printf 'quit\n' | casebook case walk CASE-0001 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" 2>&1 | tail -1; echo "exit ${PIPESTATUS[1]}"
  > printf 'quit\n' | casebook --as ana case walk CASE-0001 replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" | tail -1
  > casebook case show CASE-0001 --format json | python3 -c 'import json,sys; w=json.load(sys.stdin)["walks"][0]; print(w["who"], json.loads(w["transcript"])["engineer"] if isinstance(w["transcript"], str) else w["transcript"]["engineer"])'
  CASE-0001
  casebook: case walk: who is acting? give --as HANDLE or set CASEBOOK_USER
  exit 2
  Walk 1 of CASE-0001 saved (quit); continue with: casebook case walk CASE-0001 replication-mtu-mismatch --resume
  ana ana
