Triage, walk and test refuse a playbook whose tree cannot be walked (issue 8): a cycle, a reference to a
missing node, a pattern that does not compile.  Triage skips it with a warning at file:line:col and
triages the rest.

  $ mkdir -p $FIX/sound/lib $FIX/sound/bundle && cat > $FIX/sound/lib/loop.yaml <<'YAML'
  > casebook: 1
  > id: loop
  > title: Two checks that point at each other
  > signatures:
  >   reset:
  >     pattern: 'connection reset'
  >     severity: error
  > start: a
  > nodes:
  >   a:
  >     check: reset
  >     yes: b
  >     no: b
  >   b:
  >     check: reset
  >     yes: a
  >     no: a
  > YAML
  $ cat > $FIX/sound/lib/backref.yaml <<'YAML'
  > casebook: 1
  > id: backref
  > title: A pattern Hyperscan cannot compile
  > signatures:
  >   twice:
  >     pattern: '(foo)\1'
  >     severity: error
  > start: a
  > nodes:
  >   a:
  >     check: twice
  >     yes: end
  >     no: end
  >   end:
  >     conclude: Never reached
  > YAML
  $ cat > $FIX/sound/lib/good.yaml <<'YAML'
  > casebook: 1
  > id: good
  > title: Connection resets
  > signatures:
  >   reset:
  >     pattern: 'connection reset'
  >     severity: error
  > start: seen
  > nodes:
  >   seen:
  >     check: reset
  >     yes: which
  >     no: fine
  >   which:
  >     ask: Which side closed it?
  >     choices:
  >       client: client-side
  >       server: server-side
  >   client-side:
  >     conclude: The client closed the connection
  >   server-side:
  >     conclude: The server closed the connection
  >   fine:
  >     conclude: No resets
  > tests:
  >   - name: a check answered y and a choice answered by number
  >     logs: {app.log: "nothing here\n"}
  >     answers: {seen: y, which: "2"}
  >     expect: server-side
  > YAML
  $ printf '2024-03-12 10:00:00 connection reset by peer\n2024-03-12 10:00:01 foofoo\n' > $FIX/sound/bundle/app.log

Triage skips the two unsound playbooks, says where and why on stderr, and reports the sound one:

  $ casebook triage $FIX/sound/bundle -p $FIX/sound/lib 2>&1 >/dev/null
  casebook: warning: playbook skipped: $FIX/sound/lib/backref.yaml:6:14: pattern of signature 'twice' does not compile: Back-references are unsupported.
  casebook: warning: playbook skipped: $FIX/sound/lib/loop.yaml:16:10: cycle: a -> b -> a
  casebook: warning: playbook skipped: $FIX/sound/lib/loop.yaml:17:9: cycle: a -> b -> a
  $ casebook triage $FIX/sound/bundle -p $FIX/sound/lib 2>/dev/null | sed -n '1p;4,9p' | sed 's/in [0-9.]* s/in N s/'
  $FIX/sound/bundle: 1 file, 2 lines, 72 B scanned in N s with 1 playbook (1 signature), 2 skipped as unsound
  1. good — Connection resets  [score 2.0]
     reset (error): 1 line, 2024-03-12 10:00:00 → 2024-03-12 10:00:00 UTC
       app.log:1  2024-03-12 10:00:00 connection reset by peer
     path: seen → which
       seen: reset 1 >= min 1: yes
     next: which — Which side closed it?
  $ casebook triage $FIX/sound/bundle -p $FIX/sound/lib --format json 2>/dev/null | python3 -c '
  > import json, sys
  > d = json.load(sys.stdin)
  > print([f["playbook"] for f in d["findings"]])
  > for s in d["skipped_playbooks"]: print(s["playbook"], s["file"].split("/")[-1], s["problems"])'
  ['good']
  backref backref.yaml ["6:14: pattern of signature 'twice' does not compile: Back-references are unsupported."]
  loop loop.yaml ['16:10: cycle: a -> b -> a', '17:9: cycle: a -> b -> a']

and in Markdown, for the case notes:

  $ casebook triage $FIX/sound/bundle -p $FIX/sound/lib --format md 2>/dev/null | sed -n '/^### Playbooks skipped/,$p'
  ### Playbooks skipped as unsound
  
  - `backref` line 6, column 14: pattern of signature 'twice' does not compile: Back-references are unsupported.
  - `loop` line 16, column 10: cycle: a -> b -> a
  - `loop` line 17, column 9: cycle: a -> b -> a

A walk refuses the playbook instead of going round for ever:

  $ casebook walk loop -p $FIX/sound/lib --bundle $FIX/sound/bundle </dev/null
  casebook: $FIX/sound/lib/loop.yaml:16:10: cycle: a -> b -> a
  casebook: $FIX/sound/lib/loop.yaml:17:9: cycle: a -> b -> a
  casebook: walk: playbook 'loop' cannot be walked until these are fixed (casebook lint lists them)
  [2]
  $ casebook walk backref -p $FIX/sound/lib </dev/null
  casebook: $FIX/sound/lib/backref.yaml:6:14: pattern of signature 'twice' does not compile: Back-references are unsupported.
  casebook: walk: playbook 'backref' cannot be walked until these are fixed (casebook lint lists them)
  [2]

casebook test runs the sound playbook's test (answered `y` and `2`, as a walk would take them) and refuses
the others; lint agrees that `y` and `2` are answers:

  $ casebook test $FIX/sound/lib 2>&1
  casebook: $FIX/sound/lib/backref.yaml:6:14: pattern of signature 'twice' does not compile: Back-references are unsupported.
  ok   good: a check answered y and a choice answered by number
  casebook: $FIX/sound/lib/loop.yaml:16:10: cycle: a -> b -> a
  casebook: $FIX/sound/lib/loop.yaml:17:9: cycle: a -> b -> a
  
  1 passed, 0 failed — 3 playbooks, 2 without tests
  [1]
  $ casebook lint $FIX/sound/lib/good.yaml
  1 playbook, 1 signature, 0 problems

The same files reached through two -p paths are loaded once; two files with one id are refused, naming
both:

  $ casebook triage $FIX/sound/bundle -p $FIX/sound/lib/good.yaml -p $FIX/sound/lib -p $FIX/sound/lib/../lib/good.yaml --format json 2>/dev/null | python3 -c '
  > import json, sys; print([f["playbook"] for f in json.load(sys.stdin)["findings"]])'
  ['good']
  $ mkdir -p $FIX/sound/copy && sed 's/title: Connection resets/title: A copy/' $FIX/sound/lib/good.yaml > $FIX/sound/copy/good2.yaml
  $ casebook lint $FIX/sound/lib/good.yaml $FIX/sound/copy
  $FIX/sound/copy/good2.yaml:2:5: duplicate playbook id 'good' (also in $FIX/sound/lib/good.yaml:2:5): this file is not loaded
  casebook: lint: 1 problem
  [1]
  $ test -e $FIX/demo/linux-oom-disk.tar.gz || python3 "$CB_SOURCE/examples/bundles/generate.py" "$FIX/demo" >/dev/null
  > casebook triage $FIX/demo/linux-oom-disk.tar.gz -p "$CB_SOURCE/examples/playbooks" -p "$CB_SOURCE/examples/playbooks/linux" --format json | python3 -c '
  > import json, sys; print([f["playbook"] for f in json.load(sys.stdin)["findings"]])'
  ['disk-io-errors', 'oom-killer']
