casebook triage on the generated demo bundles with the example library.

  $ python3 "$CB_SOURCE/examples/bundles/generate.py" "$FIX/demo"
  generated 3 bundles in $FIX/demo

The MTU case comes first, walked through its checks to the first step that needs a person:

  $ casebook triage $FIX/demo/replication-mtu.tar.gz -p "$CB_SOURCE/examples/playbooks" --format json | python3 -c '
  > import json, sys
  > d = json.load(sys.stdin)
  > print(d["scanned"]["files"], d["scanned"]["lines"])
  > for f in d["findings"][:2]:
  >     print(f["playbook"], f["path"], f["conclusion"], f["next"])
  >     for s in f["signatures"]:
  >         if s["count"]: print("  ", s["id"], s["severity"], s["count"], s["first_seen"], s["last_seen"], len(s["evidence"]))
  > f = d["findings"][0]
  > print("dr-proxy01.corp.example" in f["next_text"], f["signatures"][0]["evidence"][0]["file"], f["signatures"][0]["evidence"][0]["line"])'
  13 29775
  replication-mtu-mismatch ['resets-in-job-log', 'stalls-before-reset', 'small-packets-work'] None small-packets-work
     conn-reset error 672 2024-03-12T18:03:47.000Z 2024-03-14T08:04:35.000Z 5
     unstable-connection error 623 2024-03-12T18:03:47.000Z 2024-03-14T08:04:14.000Z 5
     data-timeout warning 434 2024-03-12T18:03:47.541Z 2024-03-14T08:04:34.000Z 5
     resume-on-disconnect info 413 2024-03-12T18:03:47.000Z 2024-03-14T08:04:12.164Z 5
     stuck-progress info 935 2024-03-11T18:00:42.000Z 2024-03-14T08:03:58.000Z 5
  ips-inspection-drops-veeam-traffic ['resets-in-logs', 'same-point-every-run'] None same-point-every-run
     conn-reset warning 672 2024-03-12T18:03:47.000Z 2024-03-14T08:04:35.000Z 5
     unstable-connection warning 623 2024-03-12T18:03:47.000Z 2024-03-14T08:04:14.000Z 5
     stuck-progress info 935 2024-03-11T18:00:42.000Z 2024-03-14T08:03:58.000Z 5
  True Backup/Job.Replica_DC1.Replica.log 278

The Linux bundle: disk errors and the OOM killer, with variables filled from the logs:

  $ casebook triage $FIX/demo/linux-oom-disk.tar.gz -p "$CB_SOURCE/examples/playbooks" --format json | python3 -c '
  > import json, sys
  > for f in json.load(sys.stdin)["findings"]: print(f["playbook"], round(f["score"], 1), f["next"], f["next_text"][:60])'
  disk-io-errors 45.3 protect-data The filesystem on sdb1 is read-only or its journal aborted. 
  oom-killer 8.5 victim-role The kernel killed postgres (PID 4567); the allocation that t

A healthy bundle: nothing found, and --explain says why for each playbook:

  $ casebook triage $FIX/demo/clean-webserver -p "$CB_SOURCE/examples/playbooks" --explain | sed -n '3,6p'
  
  No known issue found.
  
  Not found:

  $ casebook triage $FIX/demo/clean-webserver -p "$CB_SOURCE/examples/playbooks" --explain --format json | python3 -c '
  > import json, sys
  > d = json.load(sys.stdin); nf = {x["playbook"]: x for x in d["not_found"]}
  > print(len(d["findings"]), len(nf), nf["cbt-invalid-needs-reset"]["signatures_without_files"])'
  0 27 ['cbt-invalid', 'bottleneck']

A time window: only the last 3 hours of the bundle (relative to its last line), then an absolute window:

  $ casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --since 3h --format json | python3 -c '
  > import json, sys
  > d = json.load(sys.stdin); f = d["findings"][0]
  > print(f["playbook"], [(s["id"], s["count"], s["first_seen"]) for s in f["signatures"] if s["count"]][:2])'
  replication-mtu-mismatch [('conn-reset', 96, '2024-03-14T07:34:50.000Z'), ('unstable-connection', 89, '2024-03-14T07:34:50.000Z')]

  $ casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --since 2024-03-10 --until 2024-03-11T12:00 --format json | python3 -c '
  > import json, sys; print(json.load(sys.stdin)["findings"])'
  []

Markdown for pasting into a case:

  $ casebook triage $FIX/demo/linux-oom-disk -p "$CB_SOURCE/examples/playbooks" --format md | head -12
  ## casebook triage: `linux-oom-disk`
  
  Scanned 5 files, 13888 lines, 2024-03-03 00:00:01 to 2024-03-12 16:40:01 UTC. 2 known issues found.
  
  ### 1. disk-io-errors — Kernel logs I/O errors on a disk; writes fail and the filesystem goes read-only
  
  Score 45.3 · article KB-LNX-0002
  
  | Signature | Severity | Lines | First seen (UTC) | Last seen (UTC) |
  |---|---|---:|---|---|
  | blk-io-error | error | 27 | 2024-03-12 14:02:18 | 2024-03-12 14:03:20 |
  | buffer-io-error | error | 27 | 2024-03-12 14:02:18 | 2024-03-12 14:03:20 |

The Markdown of a case goes into a ticket: no local absolute path in it, whatever the bundle was given as
(the bundle is named by its display name, playbooks by id):

  $ casebook triage $FIX/demo/linux-oom-disk.tar.gz -p "$CB_SOURCE/examples/playbooks" --format md |
  > grep -E -e "^## " -e "$FIX" -e "$CB_SOURCE" -e "$HOME" -e "/tmp"
  ## casebook triage: `linux-oom-disk.tar.gz`

Errors: a bad time, a missing bundle, a broken playbook (reported, the others still used):

  $ casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --since yesterday
  casebook: triage: --since: 'yesterday' is not a time (2024-03-12T10:15:00Z, 2024-03-12 10:15, 2024-03-12) or a duration back from the bundle's last line (30m, 2h, 3d)
  Try 'casebook triage --help'.
  [2]

  $ casebook triage nope.zip -p "$CB_SOURCE/examples/playbooks"
  casebook: nope.zip: No such file or directory
  [2]

  $ mkdir -p $FIX/demo/pb && cp "$CB_SOURCE/examples/playbooks/linux/oom-killer.yaml" $FIX/demo/pb/ && printf 'casebook: 1\nid: broken\n  title: x\n' > $FIX/demo/pb/broken.yaml
  > casebook triage $FIX/demo/linux-oom-disk -p $FIX/demo/pb | head -3 | sed 's/in [0-9.]* s/in N s/'
  casebook: warning: $FIX/demo/pb/broken.yaml:3:8: mapping values are not allowed in this context
  $FIX/demo/linux-oom-disk: 5 files, 13,888 lines, 2.2 MiB scanned in N s with 1 playbook (5 signatures)
  logs from 2024-03-03 00:00:01 to 2024-03-12 16:40:01 UTC
  

