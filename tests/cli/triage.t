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
  casebook: triage: --since: 'yesterday' is not an ISO 8601 time (2024-03-12T10:15Z, 2024-03-12 10:15:30+02:00, 20240312T1015Z, 2024-03-12; a time without a zone is UTC) or a duration back from the bundle's last line (30m, 2h, 3d, 1w)
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
  


Time windows take every ISO 8601 form to the minute, extended or basic, with a zone or (as UTC) without:

  $ for t in 2024-03-14T07:34Z 2024-03-14t07:34:00z 20240314T0734Z 2024-03-14T09:34+02:00 '2024-03-14 08:34:00.000+0100' 2024-03-14T02:34-05 '2024-03-14 07:34' 20240314t073400,0Z; do
  >   casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --since "$t" | grep '^window'
  > done
  window: 2024-03-14 07:34:00 to - UTC; lines without a timestamp are counted whatever the window
  window: 2024-03-14 07:34:00 to - UTC; lines without a timestamp are counted whatever the window
  window: 2024-03-14 07:34:00 to - UTC; lines without a timestamp are counted whatever the window
  window: 2024-03-14 07:34:00 to - UTC; lines without a timestamp are counted whatever the window
  window: 2024-03-14 07:34:00 to - UTC; lines without a timestamp are counted whatever the window
  window: 2024-03-14 07:34:00 to - UTC; lines without a timestamp are counted whatever the window
  window: 2024-03-14 07:34:00 to - UTC; lines without a timestamp are counted whatever the window
  window: 2024-03-14 07:34:00 to - UTC; lines without a timestamp are counted whatever the window

A window that ends before it starts, or reaches outside the years 0001-9999, is refused:

  $ casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --since 2h --until 3h
  casebook: the window is reversed: it starts at 2024-03-14T06:15:40.000Z, after its end at 2024-03-14T05:15:40.000Z
  [2]

  $ casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --since 2024-03-14 --until 2024-03-13T23:59Z
  casebook: the window is reversed: it starts at 2024-03-14T00:00:00.000Z, after its end at 2024-03-13T23:59:00.000Z
  [2]

  $ casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --since 99999999d
  casebook: triage: --since: '99999999d' is longer than the 10,000 years casebook can represent
  Try 'casebook triage --help'.
  [2]

  $ casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --since 739000d
  casebook: 739000 days back from the bundle's last line (2024-03-14T08:15:40.000Z) is before the year 0001
  [2]

  $ casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --until 10000-01-01
  casebook: triage: --until: '10000-01-01' is not an ISO 8601 time (2024-03-12T10:15Z, 2024-03-12 10:15:30+02:00, 20240312T1015Z, 2024-03-12; a time without a zone is UTC) or a duration back from the bundle's last line (30m, 2h, 3d, 1w)
  Try 'casebook triage --help'.
  [2]

  $ casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --until 2024-02-30
  casebook: triage: --until: '2024-02-30' is not a date of the years 0001 to 9999
  Try 'casebook triage --help'.
  [2]

Lines without a timestamp (plain dmesg output, with nothing in the bundle saying when the kernel booted) are
counted whatever the window, and the output says how many:

  $ casebook triage $FIX/kernel/dmesg-only -p "$CB_SOURCE/examples/playbooks/linux" --since 2024-03-12T09:30Z --until 2024-03-12T10:15Z | sed -n '2,5p'
  window: 2024-03-12 09:30:00 to 2024-03-12 10:15:00 UTC; lines without a timestamp are counted whatever the window
  
  1. disk-io-errors — Kernel logs I/O errors on a disk; writes fail and the filesystem goes read-only  [score 4.2, KB-LNX-0002]
     blk-io-error (error): 3 lines, - → - UTC (3 without a timestamp, counted whatever the window)  The block layer failed a request on this device (op 0x1 is a write, 0x0 a read)

  $ casebook triage $FIX/kernel/dmesg-only -p "$CB_SOURCE/examples/playbooks/linux" --since 2024-03-12T09:30Z --format json | python3 -c '
  > import json, sys; s = json.load(sys.stdin)["findings"][0]["signatures"][0]; print(s["id"], s["count"], s["untimed"])'
  blk-io-error 3 3

With the kern.log copy of its first lines (boot = wall time - uptime), or `dmesg -T` output of them, the dmesg
file is placed on the clock: the kernel booted at 08:00, so only the error at uptime 7200 s is in the window:

  $ for b in dmesg-kernlog dmesg-T dmesg-kernlog.tar.gz; do
  >   casebook triage $FIX/kernel/$b -p "$CB_SOURCE/examples/playbooks/linux" --since 2024-03-12T09:30Z --until 2024-03-12T10:15Z | grep -E 'boot time|blk-io-error \(|dmesg:'
  > done
    var/log/dmesg: uptime stamps placed with the boot time 2024-03-12 08:00:00 UTC, from var/log/kern.log
     blk-io-error (error): 1 line, 2024-03-12 10:00:00 → 2024-03-12 10:00:00 UTC  The block layer failed a request on this device (op 0x1 is a write, 0x0 a read)
       var/log/dmesg:4  [2024-03-12 10:00:00] [ 7200.250000] blk_update_request: I/O error, dev sdb, sector 223456 op 0x1:(WRITE) flags 0x0
    var/log/dmesg: uptime stamps placed with the boot time 2024-03-12 08:00:00 UTC, from var/log/dmesg-T.txt
     blk-io-error (error): 1 line, 2024-03-12 10:00:00 → 2024-03-12 10:00:00 UTC  The block layer failed a request on this device (op 0x1 is a write, 0x0 a read)
       var/log/dmesg:4  [2024-03-12 10:00:00] [ 7200.250000] blk_update_request: I/O error, dev sdb, sector 223456 op 0x1:(WRITE) flags 0x0
    var/log/dmesg: uptime stamps placed with the boot time 2024-03-12 08:00:00 UTC, from var/log/kern.log
     blk-io-error (error): 1 line, 2024-03-12 10:00:00 → 2024-03-12 10:00:00 UTC  The block layer failed a request on this device (op 0x1 is a write, 0x0 a read)
       var/log/dmesg:4  [2024-03-12 10:00:00] [ 7200.250000] blk_update_request: I/O error, dev sdb, sector 223456 op 0x1:(WRITE) flags 0x0

  $ casebook triage $FIX/kernel/dmesg-kernlog -p "$CB_SOURCE/examples/playbooks/linux" --since 2024-03-12T10:15Z --format json | python3 -c '
  > import json, sys; d = json.load(sys.stdin); s = d["findings"][0]["signatures"][0]
  > print(d["window"]); print(s["id"], s["count"], s["untimed"], s["first_seen"], s["evidence"][0]["time"])'
  {'since': '2024-03-12T10:15:00.000Z', 'until': None, 'boot_times': [{'file': 'var/log/dmesg', 'boot_time': '2024-03-12T08:00:00.000Z', 'source': 'var/log/kern.log'}]}
  blk-io-error 1 0 2024-03-12T10:30:00.000Z 2024-03-12T10:30:00.000Z

One zone everywhere: UTC unless --tz says otherwise, named in every header; evidence carries each line's time in
that zone next to the line's own (a Veeam log writes local time, 2 hours ahead of UTC here). JSON stays UTC:

  $ casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --evidence 1 | grep -E '^logs|conn-reset \(|Replica.log:278'
  logs from 2024-03-08 22:02:41 to 2024-03-14 08:15:40 UTC
     conn-reset (error): 672 lines, 2024-03-12 18:03:47 → 2024-03-14 08:04:35 UTC  The data mover connection was reset (WSAECONNRESET) while a transfer was in flight
       Backup/Job.Replica_DC1.Replica.log:278  [2024-03-12 18:03:47] [12.03.2024 20:03:47] <43> Warning      [ReconnectableSocket] Connection to 'dr-proxy01.corp.example:2503' was interrupted: An existing connection was forcibly closed by the remote host.
     conn-reset (warning): 672 lines, 2024-03-12 18:03:47 → 2024-03-14 08:04:35 UTC  Data mover connection reset mid-transfer (also seen with MTU problems; see replication-mtu-mismatch)
       Backup/Job.Replica_DC1.Replica.log:278  [2024-03-12 18:03:47] [12.03.2024 20:03:47] <43> Warning      [ReconnectableSocket] Connection to 'dr-proxy01.corp.example:2503' was interrupted: An existing connection was forcibly closed by the remote host.

  $ casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --evidence 1 --tz Europe/Berlin | grep -E '^logs|conn-reset \(|Replica.log:278' | cut -c1-110
  logs from 2024-03-08 23:02:41 to 2024-03-14 09:15:40 Europe/Berlin
     conn-reset (error): 672 lines, 2024-03-12 19:03:47 → 2024-03-14 09:04:35 Europe/Berlin  The data mover co
       Backup/Job.Replica_DC1.Replica.log:278  [2024-03-12 19:03:47] [12.03.2024 20:03:47] <43> Warning      [Re
     conn-reset (warning): 672 lines, 2024-03-12 19:03:47 → 2024-03-14 09:04:35 Europe/Berlin  Data mover conn
       Backup/Job.Replica_DC1.Replica.log:278  [2024-03-12 19:03:47] [12.03.2024 20:03:47] <43> Warning      [Re

  $ casebook triage $FIX/demo/linux-oom-disk -p "$CB_SOURCE/examples/playbooks" --format md --tz -05:30 | sed -n '3p;9,10p'
  Scanned 5 files, 13888 lines, 2024-03-02 18:30:01 to 2024-03-12 11:10:01 UTC-05:30. 2 known issues found.
  | Signature | Severity | Lines | First seen (UTC-05:30) | Last seen (UTC-05:30) |
  |---|---|---:|---|---|

  $ for b in dmesg-only dmesg-kernlog; do casebook triage $FIX/kernel/$b -p "$CB_SOURCE/examples/playbooks/linux" --format md --tz Europe/Berlin --since 2024-03-12T10:00Z | grep -E '^(Window|\| blk|var/log/dmesg:4)'; done
  Window: 2024-03-12 11:00:00 to - Europe/Berlin; lines without a timestamp (untimed) are counted whatever the window.
  | blk-io-error | error | 3 (3 untimed) | - | - |
  var/log/dmesg:4: [ 7200.250000] blk_update_request: I/O error, dev sdb, sector 223456 op 0x1:(WRITE) flags 0x0
  Window: 2024-03-12 11:00:00 to - Europe/Berlin; lines without a timestamp (untimed) are counted whatever the window.
  | blk-io-error | error | 2 | 2024-03-12 11:00:00 | 2024-03-12 11:30:00 |
  var/log/dmesg:4: [2024-03-12 11:00:00] [ 7200.250000] blk_update_request: I/O error, dev sdb, sector 223456 op 0x1:(WRITE) flags 0x0

  $ casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --tz +02:00 --format json | python3 -c '
  > import json, sys; d = json.load(sys.stdin); print(d["scanned"]["first_time"], d["findings"][0]["signatures"][0]["evidence"][0]["time"])'
  2024-03-08T22:02:41.000Z 2024-03-12T18:03:47.000Z

  $ casebook triage $FIX/demo/replication-mtu -p "$CB_SOURCE/examples/playbooks" --tz Mars/Olympus
  casebook: triage: --tz: 'Mars/Olympus' is not a zone (UTC, +02:00, -0530, or a name of the tz database such as Europe/Berlin)
  Try 'casebook triage --help'.
  [2]
