casebook lint and casebook test on the example library.

  $ casebook lint "$CB_SOURCE/examples/playbooks"
  27 playbooks, 98 signatures, 0 problems

  $ casebook test "$CB_SOURCE/examples/playbooks" | tail -1
  84 passed, 0 failed — 27 playbooks

A playbook with problems: one line per problem, exit 1.

  $ mkdir -p $FIX/lint && cat > $FIX/lint/bad.yaml <<'YAML'
  > casebook: 1
  > id: bad-one
  > title: A playbook with problems
  > signatures:
  >   used:
  >     pattern: 'disk (?<dev>sd[a-z]+) failed'
  >   unused:
  >     pattern: 'never used'
  >   broken:
  >     pattern: '(a)\1'
  >     severity: info
  > start: first
  > nodes:
  >   first:
  >     check: used
  >     yes: missing-node
  >     no: done
  >   done:
  >     conclude: Nothing to see
  >   orphan:
  >     conclude: Nobody gets here
  > tests:
  >   - name: fails
  >     logs: {var/log/syslog: "disk sda failed\n"}
  >     expect: done
  > YAML

  $ casebook lint $FIX/lint
  $FIX/lint/bad.yaml:7:3: signature 'unused' is used by no node: check it in a node, or give it severity info to keep it as evidence only
  $FIX/lint/bad.yaml:10:14: pattern of signature 'broken' does not compile: Back-references are unsupported.
  $FIX/lint/bad.yaml:16:10: 'yes' of node 'first' names unknown node 'missing-node'
  $FIX/lint/bad.yaml:20:3: conclusion 'orphan' is reached by no path from start node 'first'
  casebook: lint: 4 problems
  [1]

  $ casebook test $FIX/lint
  ERROR bad-one: fails: the playbook is not sound (see casebook lint)
  casebook: $FIX/lint/bad.yaml:10:14: pattern of signature 'broken' does not compile: Back-references are unsupported.
  casebook: $FIX/lint/bad.yaml:16:10: 'yes' of node 'first' names unknown node 'missing-node'
  
  0 passed, 1 failed (1 could not run) — 1 playbook
  [1]

A text with more variable references than the cap of a filled text can hold at the value cap (70 x 1024 bytes is
past 64 KiB) would be cut when shown: lint says so.

  $ mkdir -p $FIX/refs && python3 -c '
  > print("casebook: 1\nid: refs\ntitle: Refs\nsignatures: {}\nstart: a\nnodes:\n  a:")
  > print("    conclude: \"" + "{{bundle}} " * 70 + "\"")' > $FIX/refs/refs.yaml
  > casebook lint $FIX/refs
  $FIX/refs/refs.yaml:8:15: a text of node 'a' has 70 variable references: filled with values of up to 1024 bytes it could pass the 64 KiB a filled text may have and be cut
  casebook: lint: 1 problem
  [1]

Where the library comes from without -p: $CASEBOOK_PLAYBOOKS (colon-separated), else ./playbooks:

  $ mkdir -p $FIX/libs/a $FIX/libs/b $FIX/libs/cwd/playbooks
  > cp "$CB_SOURCE/examples/playbooks/linux/oom-killer.yaml" $FIX/libs/a/
  > cp "$CB_SOURCE/examples/playbooks/ssh/ssh-brute-force.yaml" $FIX/libs/b/
  > cp "$CB_SOURCE/examples/playbooks/linux/disk-io-errors.yaml" $FIX/libs/cwd/playbooks/
  > CASEBOOK_PLAYBOOKS=$FIX/libs/a:$FIX/libs/b casebook lint
  > cd $FIX/libs/cwd && casebook lint && casebook test | tail -1
  2 playbooks, 12 signatures, 0 problems
  1 playbook, 8 signatures, 0 problems
  4 passed, 0 failed — 1 playbook

A test log whose name merely contains two dots is written (only a '..' component would leave the bundle):

  $ mkdir -p $FIX/dots && cp /dev/stdin $FIX/dots/p.yaml <<'YAML'
  > casebook: 1
  > id: dots
  > title: Names with dots
  > signatures:
  >   s:
  >     pattern: 'boom happened'
  > start: c
  > nodes:
  >   c:
  >     check: s
  >     yes: y
  >     no: n
  >   y:
  >     conclude: Boom
  >   n:
  >     conclude: No boom
  > tests:
  >   - name: a file name with two dots
  >     logs: {var/log/app..1.log: "boom happened\n"}
  >     expect: y
  > YAML
  > casebook test $FIX/dots
  ok   dots: a file name with two dots
  
  1 passed, 0 failed — 1 playbook

Patterns that take exponential time on a line that almost matches (a repeated group whose alternatives, or whose
own repeats, can match the same text) are a problem; `(\d+\.)+` is not, each repetition ends at its dot:

  $ mkdir -p $FIX/risky && cat > $FIX/risky/risky.yaml <<'YAML'
  > casebook: 1
  > id: risky
  > title: Catastrophic patterns
  > signatures:
  >   alt:
  >     pattern: 'retry (a|aa)+ failed'
  >   nested:
  >     pattern: '^(\w+\s?)*!$'
  >   fine:
  >     pattern: 'from (\d+\.)+\d+'
  > start: c
  > nodes:
  >   c:
  >     check: alt
  >     yes: done
  >     no: d
  >   d:
  >     check: nested
  >     yes: done
  >     no: e
  >   e:
  >     check: fine
  >     yes: done
  >     no: done
  >   done:
  >     conclude: Done
  > YAML
  > casebook lint $FIX/risky
  $FIX/risky/risky.yaml:6:14: pattern of signature 'alt' can take exponential time on a line that almost matches: '(a|aa)+' at offset 6: alternatives of a repeated group can match the same text
  $FIX/risky/risky.yaml:8:14: pattern of signature 'nested' can take exponential time on a line that almost matches: '(\w+\s?)*' at offset 1: a repeat inside a repeated group can take what the group's next repetition would
  casebook: lint: 2 problems
  [1]
