casebook walk --answers: answers files are read by the playbook loader's YAML reader, with a playbook's refusals
and caps, and every answer (JSON too) keeps its line:col for the warnings about ids the playbook lacks.

  $ mkdir -p $FIX/answers && cd $FIX/answers
  > printf 'df-ping: &a no\nother: *a\n' > anchor.yaml
  > casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --answers anchor.yaml; echo "exit $?"
  casebook: anchor.yaml:1:10: anchors and aliases (&name, *name) are not supported in answers files
  exit 2

Nesting 40,000 levels deep took seconds to read; it stops at the 64th level:

  $ cd $FIX/answers && python3 -c 'print("a: " + "[" * 40000 + "]" * 40000)' > deep.yaml
  > casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --answers deep.yaml; echo "exit $?"
  casebook: deep.yaml:1:67: nested more than 64 levels deep: this is not an answers file
  exit 2

Ids the playbook does not have are reported once each, with the line:col of their answer, JSON included:

  $ cd $FIX/answers && printf '{"df-pong": "x",\n "coach": {"nowhere": ["a"]},\n "df-pang": "y"}\n' > unknown.json
  > casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --answers unknown.json > /dev/null; echo "exit $?"
  casebook: warning: unknown.json:1:13: playbook 'replication-mtu-mismatch' has no node 'df-pong'
  casebook: warning: unknown.json:3:13: playbook 'replication-mtu-mismatch' has no node 'df-pang'
  casebook: warning: unknown.json:2:23: playbook 'replication-mtu-mismatch' has no coach question at node 'nowhere'
  casebook: walk: stopped at 'resets-in-job-log': unknown.json has no answer for it
  exit 1
