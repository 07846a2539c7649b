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
