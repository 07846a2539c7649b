casebook kb add|edit|state|flag|history: changing articles through the KCS rules.  The editor is a
script ($EDITOR runs through the shell with the file as its argument); times are masked as TIME.

  $ casebook kb add --help | grep -E -- '^ +--(force|why|resolve|domain)'
        --force                add: create even when similar articles exist; state: archive even when open cases link to it
        --why TEXT             state: why the state changes (required); edit: why, for the history
        --resolve N            flag: resolve flag N instead of adding one
        --domain D             add: the id domain the template proposes a free id in (GEN)

A team: a candidate, two contributors, a publisher; the example articles.

  $ W="$FIX/kbw" && rm -rf "$W" && mkdir -p "$W" && db="$W/kb.db"
  > casebook --db "$db" --as pub people add pub --name Pub --role publisher
  > for p in cand:candidate bob:contributor cleo:contributor; do casebook --db "$db" --as pub people add "${p%%:*}" --name "${p%%:*}" --role "${p#*:}"; done
  > casebook --db "$db" --as pub kb import "$CB_SOURCE/examples/articles"
  > cat > "$W/fill.sh" <<'SH'
  > #!/bin/sh
  > # An editor that fills the template: a title and an Issue.
  > sed -i -e 's/^title: $/title: Tape library reports a zebra alignment fault when a cartridge loads/' \
  >        -e '/^## Issue$/a The library shows "zebra alignment fault" and ejects the cartridge.' "$1"
  > SH
  > chmod +x "$W/fill.sh"
  imported 27 articles

kb add without a file: $EDITOR on a template with the next free id of --domain, comment lines as hints.

  $ W="$FIX/kbw" db="$W/kb.db" && export TMPDIR="$W"
  > EDITOR="cp \"\$1\" $W/template.md; $W/fill.sh" casebook --db "$db" --as cand kb add --domain TAPE; echo "exit $?"
  > cat "$W/template.md"
  > casebook --db "$db" kb show KB-TAPE-0001 | sed 's/20[0-9-]*T[0-9:]*Z/TIME/g'
  created KB-TAPE-0001 (wip)
  exit 0
  ---
  id: KB-TAPE-0001
  # title: the main issue and its environment, in the words a searcher would type
  title: 
  state: wip
  audience: internal
  # optional: product, versions, tags: [a, b], owner, playbooks: [id], defect
  ---
  ## Issue
  <!-- The situation in the customer's words: symptoms, the error text as it appears. -->
  ## Environment
  <!-- Product, version, platform, configuration: what is true before and after the fix (needed past wip). -->
  ## Resolution
  <!-- The steps that resolve the issue, or the workaround (needed past wip). -->
  ## Cause
  <!-- Optional: why it happens; needed before the article can say it is a defect. -->
  ## Internal
  <!-- Optional: notes never shown outside the support organisation. -->
  ---
  id: KB-TAPE-0001
  title: Tape library reports a zebra alignment fault when a cartridge loads
  state: wip
  audience: internal
  created: TIME
  updated: TIME
  ---
  ## Issue
  The library shows "zebra alignment fault" and ejects the cartridge.
  ---
  reuse: 0 cases; last linked: never; open flags: 0; revisions: 1

A template left unchanged, or emptied, aborts with nothing written; so does a failing editor (the text is
kept).  The next id is still free.

  $ W="$FIX/kbw" db="$W/kb.db" && export TMPDIR="$W"
  > EDITOR=true casebook --db "$db" --as cand kb add --domain TAPE; echo "exit $?"
  > EDITOR="sh -c ': > \"\$0\"'" casebook --db "$db" --as cand kb add --domain TAPE; echo "exit $?"
  > EDITOR=false casebook --db "$db" --as cand kb add --domain TAPE 2>&1 | sed 's/casebook-KB-TAPE-0002-[^ ]*/casebook-KB-TAPE-0002-XXXXXX.md/'
  > env -u EDITOR VISUAL=true casebook --db "$db" --as cand kb add --domain TAPE; echo "exit $?"
  > casebook --db "$db" kb show KB-TAPE-0002; echo "exit $?"
  casebook: kb add: the template was left unchanged: nothing written
  exit 1
  casebook: kb add: the template was emptied: nothing written
  exit 1
  casebook: kb add: the editor 'false' failed (exit 1)
  casebook: kb add: nothing written; your text is kept in $FIX/kbw/casebook-KB-TAPE-0002-XXXXXX.md
  casebook: kb add: the template was left unchanged: nothing written
  exit 1
  casebook: kb show: no article KB-TAPE-0002
  exit 2

A file that does not parse is reported file:line:col at the lines the user saw (comment lines count);
off a terminal that is exit 2, nothing written, the text kept.

  $ W="$FIX/kbw" db="$W/kb.db" && export TMPDIR="$W"
  > EDITOR="sed -i -e 's/^state: wip/state: done/' -e 's/^title: \$/title: x/'" casebook --db "$db" --as cand kb add --domain TAPE 2>&1 | sed -e 's/casebook-KB-TAPE-0002-[^ :]*/TMP.md/g'; echo "exit ${PIPESTATUS[0]}"
  > EDITOR="sed -i -e 's/^title: \$/title: x/' -e '/^## Cause\$/i ## Nope'" casebook --db "$db" --as cand kb add --domain TAPE 2>&1 | sed -e 's/casebook-KB-TAPE-0002-[^ :]*/TMP.md/g'; echo "exit ${PIPESTATUS[0]}"
  $FIX/kbw/TMP.md:5:8: unknown state 'done' (wip, not-validated, validated, archived)
  casebook: kb add: nothing written; your text is kept in $FIX/kbw/TMP.md
  exit 2
  $FIX/kbw/TMP.md:9:1: section 'Issue' is empty: a wip article needs it
  $FIX/kbw/TMP.md:15:4: unknown section 'Nope' (Issue, Environment, Resolution, Cause, Internal)
  casebook: kb add: nothing written; your text is kept in $FIX/kbw/TMP.md
  exit 2

Search before you create: an article like one already there is refused off a terminal (exit 1), with the
best matches shown; --force creates it anyway.

  $ W="$FIX/kbw" db="$W/kb.db" && export TMPDIR="$W"
  > cat > "$W/mtu.md" <<'MD'
  > ---
  > id: KB-NET-0100
  > title: Replication stalls with connection resets over the VPN when the path MTU is smaller
  > state: wip
  > audience: internal
  > ---
  > ## Issue
  > Replication stalls and the job fails with "An existing connection was forcibly closed by the remote host".
  > MD
  > casebook --db "$db" --as cand kb add "$W/mtu.md"; echo "exit $?"
  > casebook --db "$db" --as cand kb add "$W/mtu.md" --force; echo "exit $?"
  > casebook --db "$db" --as cand kb add "$W/mtu.md" --force; echo "exit $?"
  similar article already in the knowledge base:
   1. KB-NET-0001  Replication or backup copy stalls and fails with connection resets when the path MTU is smaller than the proxies'  (82% of the words)
  casebook: kb add: KB-NET-0100 looks like an article already there; read it first, or use --force to create it anyway
  exit 1
  created KB-NET-0100 (wip)
  exit 0
  casebook: kb add: article KB-NET-0100 is already in the store (change it with kb edit)
  exit 2

The rules apply to what is created: a candidate cannot create a validated article; a file with problems
is refused whole.

  $ W="$FIX/kbw" db="$W/kb.db" && export TMPDIR="$W"
  > sed -e 's/KB-NET-0100/KB-NET-0101/' -e 's/^state: wip/state: validated/' "$W/mtu.md" > "$W/v.md"
  > printf '## Environment\nVBR 12\n## Resolution\nLower the MTU.\n' >> "$W/v.md"
  > casebook --db "$db" --as cand kb add "$W/v.md" --force; echo "exit $?"
  > casebook --db "$db" --as bob kb add "$W/v.md" --force; echo "exit $?"
  > printf -- '---\nid: KB-NET-0102\ntitle: t\nstate: wip\naudience: internal\n---\n## Issue\nx\n## Nope\n' > "$W/bad.md"
  > casebook --db "$db" --as bob kb add "$W/bad.md" 2>&1 | sed "s|$W|W|"; echo "exit ${PIPESTATUS[0]}"
  > casebook --db "$db" kb add "$W/mtu.md"; echo "exit $?"
  casebook: kb add: [validate-role] only a contributor or a publisher may validate an article; cand is a candidate
  exit 1
  casebook: kb add: [validate-review] validated needs a review by someone other than the author (bob), or reuse on at least 2 cases (reused on 0): ask another contributor to validate it
  exit 1
  W/bad.md:9:4: unknown section 'Nope' (Issue, Environment, Resolution, Cause, Internal)
  casebook: kb add: 1 problem; nothing written
  exit 2
  casebook: kb add: who is acting? give --as HANDLE or set CASEBOOK_USER
  exit 2

kb state: every transition names its reason; a refused one names its rule (exit 1).

  $ W="$FIX/kbw" db="$W/kb.db" && export TMPDIR="$W"
  > casebook --db "$db" --as cand kb state KB-TAPE-0001 not-validated; echo "exit $?"
  > casebook --db "$db" --as cand kb state KB-TAPE-0001 done --why x; echo "exit $?"
  > casebook --db "$db" --as cand kb state KB-TAPE-0001 not-validated --why "has a fix"; echo "exit $?"
  > casebook --db "$db" --as cand kb state KB-TAPE-0001 archived --why "obsolete"; echo "exit $?"
  > casebook --db "$db" --as cand kb state KB-NOPE-0001 wip --why x; echo "exit $?"
  casebook: kb: state needs --why TEXT: every transition is recorded with its reason
  Try 'casebook kb --help'.
  exit 2
  casebook: kb: unknown state 'done' (wip, not-validated, validated or archived)
  Try 'casebook kb --help'.
  exit 2
  casebook: kb state: [content] a not-validated article needs a section '## Environment'
  exit 1
  casebook: kb state: [archive-role] only a contributor or a publisher may archive an article or restore an archived one; cand is a candidate
  exit 1
  casebook: kb state: no article KB-NOPE-0001
  exit 2

kb edit: $EDITOR on the article's file form; saved as the next revision; a change of state inside goes
through the rules.

  $ W="$FIX/kbw" db="$W/kb.db" && export TMPDIR="$W"
  > EDITOR="sed -i -e '/^## Issue\$/i ## Environment\nTape library TL-4000, firmware 3.2\n## Resolution\nRe-seat the picker and recalibrate.' -e 's/^state: wip/state: not-validated/'" casebook --db "$db" --as cand kb edit KB-TAPE-0001 --why "found the fix"; echo "exit $?"
  > EDITOR=true casebook --db "$db" --as cand kb edit KB-TAPE-0001; echo "exit $?"
  > EDITOR="sed -i 's/^state: not-validated/state: validated/'" casebook --db "$db" --as cand kb edit KB-TAPE-0001 2>&1 | sed 's/casebook-KB-TAPE-0001-[^ ]*/TMP.md/'
  > EDITOR="sed -i 's/^id: KB-TAPE-0001/id: KB-TAPE-0009/'" casebook --db "$db" --as cand kb edit KB-TAPE-0001 2>&1 | sed 's/casebook-KB-TAPE-0001-[^ ]*/TMP.md/'
  > casebook --db "$db" --as cleo kb state KB-TAPE-0001 validated --why "worked on case 7"; echo "exit $?"
  > EDITOR=false casebook --db "$db" --as cand kb edit KB-TAPE-0001; echo "exit $?"
  saved KB-TAPE-0001 revision 2
  exit 0
  no change to KB-TAPE-0001; nothing written
  exit 0
  casebook: kb edit: [validate-role] only a contributor or a publisher may validate an article; cand is a candidate
  casebook: kb edit: nothing written; your text is kept in $FIX/kbw/TMP.md
  casebook: kb edit: the id cannot change (KB-TAPE-0001 became KB-TAPE-0009); add a new article with kb add instead
  casebook: kb edit: nothing written; your text is kept in $FIX/kbw/TMP.md
  KB-TAPE-0001: not-validated -> validated
  exit 0
  casebook: kb edit: [edit-role] a candidate may edit only wip and not-validated articles; KB-TAPE-0001 is validated: flag it instead
  exit 1

Someone saves while the editor is open: the save is refused with who saved what when, and the edited
text is kept in a file whose path is printed (nothing lost).

  $ W="$FIX/kbw" db="$W/kb.db" && export TMPDIR="$W"
  > EDITOR="casebook --db $db --as cleo kb state KB-TAPE-0001 not-validated --why 'step 3 is wrong' >/dev/null; sed -i 's/Re-seat/Power off, re-seat/'" casebook --db "$db" --as bob kb edit KB-TAPE-0001 2>"$W/err"; echo "exit $?"
  > sed -e 's/20[0-9-]*T[0-9:]*Z/TIME/g' -e 's/casebook-KB-TAPE-0001-[^ ]*/TMP.md/' "$W/err"
  > grep -c 'Power off, re-seat' "$(sed -n 's/.*kept in //p' "$W/err")"
  > casebook --db "$db" kb show KB-TAPE-0001 | grep -c 'Power off'
  exit 1
  casebook: kb edit: [conflict] KB-TAPE-0001: revision 4 was saved by cleo at TIME meanwhile (you edited revision 3)
  casebook: kb edit: nothing written; your text is kept in $FIX/kbw/TMP.md
  1
  0
  [1]

kb flag: anyone flags ("flag it or fix it"); kb show lists the open flags; --resolve N resolves one.

  $ W="$FIX/kbw" db="$W/kb.db" && export TMPDIR="$W"
  > casebook --db "$db" --as cand kb flag KB-TAPE-0001 step 2 names the wrong menu; echo "exit $?"
  > casebook --db "$db" --as cand kb flag KB-TAPE-0001 "fails on firmware 3.3"; echo "exit $?"
  > casebook --db "$db" kb show KB-TAPE-0001 | tail -3 | sed 's/20[0-9-]*T[0-9:]*Z/TIME/g'
  > casebook --db "$db" kb show KB-TAPE-0001 --format json | python3 -c 'import json,sys; a=json.load(sys.stdin); print(a["derived"]["open_flags"], [(f["n"], f["author"], f["body"]) for f in a["flags"]])'
  > casebook --db "$db" --as bob kb flag KB-TAPE-0001 --resolve 1; echo "exit $?"
  > casebook --db "$db" --as bob kb flag KB-TAPE-0001 --resolve 1 2>&1 | sed 's/20[0-9-]*T[0-9:]*Z/TIME/g'; echo "exit ${PIPESTATUS[0]}"
  > casebook --db "$db" --as bob kb flag KB-TAPE-0001 --resolve 7; echo "exit $?"
  > casebook --db "$db" --as bob kb flag KB-TAPE-0001 --resolve 2 more text; echo "exit $?"
  > casebook --db "$db" --as bob kb flag KB-TAPE-0001; echo "exit $?"
  added flag 1 of KB-TAPE-0001
  exit 0
  added flag 2 of KB-TAPE-0001
  exit 0
  reuse: 0 cases; last linked: never; open flags: 2; revisions: 4
  flag 1 (cand, TIME): step 2 names the wrong menu
  flag 2 (cand, TIME): fails on firmware 3.3
  2 [(1, 'cand', 'step 2 names the wrong menu'), (2, 'cand', 'fails on firmware 3.3')]
  resolved flag 1 of KB-TAPE-0001
  exit 0
  casebook: kb flag: flag 1 of KB-TAPE-0001 is already resolved (by bob at TIME)
  exit 2
  casebook: kb flag: KB-TAPE-0001 has no flag 7
  exit 2
  casebook: kb: flag --resolve N takes one ID
  Try 'casebook kb --help'.
  exit 2
  casebook: kb: flag needs an ID and a TEXT (or --resolve N)
  Try 'casebook kb --help'.
  exit 2

An archived article takes no flags: it is out of use.

  $ W="$FIX/kbw" db="$W/kb.db" && export TMPDIR="$W"
  > casebook --db "$db" --as bob kb state KB-NET-0100 archived --why "duplicate of KB-NET-0001"; echo "exit $?"
  > casebook --db "$db" --as bob kb flag KB-NET-0100 typo; echo "exit $?"
  KB-NET-0100: wip -> archived
  exit 0
  casebook: kb flag: [flag-archived] KB-NET-0100 is archived: it is out of use, so there is nothing to fix; restore it to another state first
  exit 1

kb history: every revision (who, when, why, what changed: long texts as their size) and every flag.

  $ W="$FIX/kbw" db="$W/kb.db" && export TMPDIR="$W"
  > casebook --db "$db" kb history KB-TAPE-0001 | sed 's/20[0-9-]*T[0-9:]*Z/TIME/g'
  > casebook --db "$db" kb history KB-TAPE-0001 --format json | python3 -c 'import json,sys; h=json.load(sys.stdin); print([(r["n"], r["who"], sorted(r["changes"])) for r in h["revisions"]]); print([(f["n"], f["open"], f["resolved_by"]) for f in h["flags"]])'
  > casebook --db "$db" kb history KB-NOPE-0001; echo "exit $?"
  > casebook --db "$db" kb history KB-TAPE-0001 --format md; echo "exit $?"
  revision 1  TIME  cand  created
    state: (none) -> "wip"
    audience: (none) -> "internal"
  revision 2  TIME  cand  found the fix
    state: "wip" -> "not-validated"
    environment: (none) -> "Tape library TL-4000, firmware 3.2"
    resolution: (none) -> "Re-seat the picker and recalibrate."
  revision 3  TIME  cleo  worked on case 7
    state: "not-validated" -> "validated"
    reviewed: (none) -> "TIME"
    reviewed_by: (none) -> "cleo"
  revision 4  TIME  cleo  step 3 is wrong
    state: "validated" -> "not-validated"
  flag 1  TIME  cand  resolved TIME by bob: step 2 names the wrong menu
  flag 2  TIME  cand  open: fails on firmware 3.3
  [(1, 'cand', ['audience', 'state']), (2, 'cand', ['environment', 'resolution', 'state']), (3, 'cleo', ['reviewed', 'reviewed_by', 'state']), (4, 'cleo', ['state'])]
  [(1, False, 'bob'), (2, True, None)]
  casebook: kb history: no article KB-NOPE-0001
  exit 2
  casebook: kb: unknown format 'md' (text or json)
  Try 'casebook kb --help'.
  exit 2

Options that are not the action's are refused.

  $ casebook kb edit KB-TAPE-0001 --force; echo "exit $?"
  > casebook kb add --why x; echo "exit $?"
  casebook: kb: an option given is not one of edit's (see --help)
  Try 'casebook kb --help'.
  exit 2
  casebook: kb: an option given is not one of add's (see --help)
  Try 'casebook kb --help'.
  exit 2

A text of several lines, or a long one, is shown in the text history as its size (JSON holds it whole).

  $ W="$FIX/kbw" db="$W/kb.db" && export TMPDIR="$W"
  > EDITOR="sed -i '/^Re-seat the picker/a Then run the inventory again.'" casebook --db "$db" --as bob kb edit KB-TAPE-0001 --why "one more step"
  > casebook --db "$db" kb history KB-TAPE-0001 | grep -A1 'one more step' | sed 's/20[0-9-]*T[0-9:]*Z/TIME/'
  > casebook --db "$db" kb history KB-TAPE-0001 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["revisions"][-1]["changes"]["resolution"][1])'
  saved KB-TAPE-0001 revision 5
  revision 5  TIME  bob  one more step
    resolution: "Re-seat the picker and recalibrate." -> (66 bytes)
  Re-seat the picker and recalibrate.
  Then run the inventory again.
  

On a terminal kb add asks instead of refusing: whether to edit a text that does not parse again, and
whether to create an article like one already there (tests/cli/kb-pty.py drives it through a pty).

  $ W="$FIX/kbw-pty" && rm -rf "$W" && mkdir -p "$W" && db="$W/kb.db"
  > casebook --db "$db" --as cand people add cand --name Cand --role candidate
  > casebook --db "$db" --as cand kb import "$CB_SOURCE/examples/articles"
  > python3 "$CB_SOURCE/tests/cli/kb-pty.py" "$(command -v casebook)" "$db" "$W"
  imported 27 articles
  session 1: exit 0, problem at line 5: created KB-QSR-0001 (wip)
  session 2: exit 2, problem at line 5: casebook: kb add: nothing written; your text is kept in W/TMP.md
  session 3: exit 1: casebook: kb add: KB-NET-0200 not created
  session 4: exit 0: created KB-NET-0200 (wip)
