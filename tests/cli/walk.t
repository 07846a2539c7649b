casebook walk: a playbook's decision tree, one step at a time, with an engineer, an answers file or a script
on standard input answering.  The demo bundles come from examples/bundles/generate.py (triage.t makes them
too; they are made here when this file runs alone).  Transcripts have wall-clock times: they are checked with
python, never as text.

  $ test -d "$FIX/demo/replication-mtu" || python3 "$CB_SOURCE/examples/bundles/generate.py" "$FIX/demo" >/dev/null
  > rm -rf walk && mkdir walk && echo ready
  ready

A guide walk of the MTU playbook on the demo bundle, answers on standard input: the logs answer both checks
(hit counts and two evidence lines each), the engineer picks choices by number, does the action and records
its result, which the next question quotes:

  $ printf '1\n2\ndone\n1372 passes, 1373 does not; tracepath shows pmtu 1400 at hop 3 (vpn-gw01)\n1\n' |
  > casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --bundle "$FIX/demo/replication-mtu" \
  >     --as alice --save walk/guide.json
  Walking replication-mtu-mismatch: Replication or backup copy over WAN/VPN stalls at the same point, then fails with connection resets
  Bundle: $FIX/demo/replication-mtu (the logs answer the checks)
  Answer with a number or a label. At any prompt: back, why, skip, quit, help.
  
  [1] resets-in-job-log (check)
  Do the logs show this (at least 3 matching lines)?
    - conn-reset: The data mover connection was reset (WSAECONNRESET) while a transfer was in flight
    - unstable-connection: Veeam could not push data through the channel and fell back to
      resume-on-disconnect
  The logs answered yes: conn-reset 672 + unstable-connection 623 = 1,295 lines (at least 3 needed).
    Backup/Job.Replica_DC1.Replica.log:278  [12.03.2024 20:03:47] <43> Warning      [ReconnectableSocket] Connection to 'dr-proxy01.corp.example:2503' was interrupted: An existing connection was forcibly …
    Backup/Job.Replica_DC1.Replica.log:279  [12.03.2024 20:03:47] <43> Warning      [TaskSession] 'sql01': Unstable connection: unable to transmit data.
  
  [2] stalls-before-reset (check)
  Do the logs show this?
    - data-timeout: One side stopped receiving data; names the far end of the stalled channel
  The logs answered yes: data-timeout 434 lines (at least 1 needed).
    Backup/Job.Replica_DC1.Replica.log:464  [12.03.2024 20:33:25] <25> Error        Timed out waiting for data from dr-proxy01.corp.example:2503. (Veeam.Backup.Common.CTimeoutException)
    Backup/Job.Replica_DC1.Replica.log:807  [12.03.2024 21:16:50] <25> Error        Timed out waiting for data from dr-proxy01.corp.example:2503. (Veeam.Backup.Common.CTimeoutException)
  
  [3] small-packets-work (ask)
  Apart from the data transfer, does everything else work? Check that the proxies can be added and
  rescanned, that the job starts and uploads .vmx/.nvram, that keep-alives and agent-alive checks
  answer in normal time, and that the job sits at the same percentage (37%) every time. Are only the
  bulk data blocks to dr-proxy01.corp.example failing?
    1. yes, only the bulk transfer stalls
    2. no, even connections and small operations fail
  > 1
  → yes, only the bulk transfer stalls
  
  [4] df-ping (ask)
  From the source proxy, send a don't-fragment ping with a 1472-byte payload (a 1500-byte packet) to
  dr-proxy01.corp.example.  Windows: ping -f -l 1472 dr-proxy01.corp.example   Linux: ping -M do -s
  1472 dr-proxy01.corp.example What happens? "Packet needs to be fragmented but DF set" (Windows) or
  "Frag needed" / "Message too long" (Linux) means it needs to fragment.
    1. yes, it gets replies
    2. no, it needs to fragment
    3. no reply (request timed out), but a plain ping works
  > 2
  → no, it needs to fragment
  
  [5] find-path-mtu (do)
  Find the path MTU. Step the DF ping payload down (1472, 1452, 1430, 1400, 1372...) until it gets
  replies. The path MTU is the largest payload that passes plus 28. On Linux, tracepath -n
  dr-proxy01.corp.example shows the hop where "pmtu" drops. Check the MTU on the proxies' NICs, the
  vmk ports and vSwitch, the physical switch ports, and the VPN or WAN interface, and check that ICMP
  "fragmentation needed" (type 3, code 4) is not filtered on the way back.
  Type done when it is done.
  > done
  Largest DF payload that passes, and the hop or device where the MTU drops
  > 1372 passes, 1373 does not; tracepath shows pmtu 1400 at hop 3 (vpn-gw01)
  
  [6] where-is-the-limit (ask)
  Path MTU noted (1372 passes, 1373 does not; tracepath shows pmtu 1400 at hop 3 (vpn-gw01)). Where is
  the smaller MTU?
    1. on a VPN tunnel or WAN link (path MTU about 1400 to 1476)
    2. on a switch, vSwitch or vmk port without jumbo frames, while the proxies use 9000
  > 1
  → on a VPN tunnel or WAN link (path MTU about 1400 to 1476)
  
  [7] mtu-mismatch (conclusion)
  MTU mismatch on the replication path (smaller MTU on the VPN/WAN link, PMTUD not working)
  Cause:
    A tunnel or WAN link on the path has a smaller MTU than the proxies send. Full-size segments are
    dropped. Either the ICMP "fragmentation needed" message never reaches the sender (PMTUD black
    hole), or it is ignored, so TCP keeps retransmitting the same large segment until the receiver
    times out and the connection is reset. Small packets (ping, control messages, keep-alives) still
    work, which is why the job starts and then hangs at the first full-size data block.
  Resolution:
    1. Clamp the TCP MSS on the VPN/WAN gateways to the path MTU minus 40 bytes (for example 1360 for
       a path MTU of 1400).
    2. Or set the MTU of the proxies' data interfaces to the path MTU measured with the DF ping.
       Windows: netsh interface ipv4 set subinterface "<name>" mtu=1400 store=persistent
       Linux: ip link set dev <if> mtu 1400, and persist it in the network configuration.
    3. Allow ICMP type 3 code 4 ("fragmentation needed") back to the proxies so that PMTUD can work.
    4. Check again with ping -f -l <path MTU - 28> dr-proxy01.corp.example, then retry the job. It
       resumes from the last good block.
  Article: KB-NET-0001
  
  Transcript saved to walk/guide.json

The transcript: every step with its question as shown, answer, who answered, evidence and time:

  $ python3 -c '
  > import hashlib, json, sys, datetime
  > d = json.load(open("walk/guide.json"))
  > iso = lambda s: datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")
  > pb = open(d["playbook_path"], "rb").read()
  > print(d["casebook_transcript"], d["playbook"], d["playbook_hash"] == hashlib.sha256(pb).hexdigest())
  > print(d["status"], d["conclusion"], d["stopped_at"], d["engineer"], d["mode"], d["bundle"].endswith("demo/replication-mtu"))
  > print(iso(d["started"]) <= iso(d["updated"]), sorted(d["variables"].items()))
  > for s in d["steps"]:
  >     iso(s["time"])
  >     print(s["node"], s["kind"], repr(s["answer"]), s["answered_by"], len(s["choices"]), len(s["evidence"]), s["coach"])
  > e = d["steps"][0]["evidence"][0]
  > print(e["file"], e["line"], e["time"], e["text"][:40])
  > print("dr-proxy01.corp.example" in d["steps"][2]["question"], d["steps"][5]["question"][:40])
  > print(d["summary"])'
  1 replication-mtu-mismatch True
  concluded mtu-mismatch None alice guide True
  True [('bundle', 'replication-mtu'), ('find-path-mtu', '1372 passes, 1373 does not; tracepath shows pmtu 1400 at hop 3 (vpn-gw01)'), ('percent', '37'), ('target', 'dr-proxy01.corp.example')]
  resets-in-job-log check 'yes' logs 2 2 None
  stalls-before-reset check 'yes' logs 2 2 None
  small-packets-work ask 'yes, only the bulk transfer stalls' alice 2 0 None
  df-ping ask 'no, it needs to fragment' alice 3 0 None
  find-path-mtu do '1372 passes, 1373 does not; tracepath shows pmtu 1400 at hop 3 (vpn-gw01)' alice 0 0 None
  where-is-the-limit ask 'on a VPN tunnel or WAN link (path MTU about 1400 to 1476)' alice 2 0 None
  mtu-mismatch conclude None None 0 0 None
  Backup/Job.Replica_DC1.Replica.log 278 2024-03-12T18:03:47.000Z [12.03.2024 20:03:47] <43> Warning      
  True Path MTU noted (1372 passes, 1373 does n
  {'steps': 7, 'coach_questions': 0, 'right_first_time': 0, 'hints_used': 0, 'reveals': 0, 'concluded_without_reveal': True}

A coach walk with an answers file: coach attempts under `coach:` in order; a wrong answer gets the next hint,
a wrong answer after the last hint reveals the expected answer, and a summary ends the walk:

  $ cat > walk/coach.yaml <<'EOF'
  > small-packets-work: "yes, only the bulk transfer stalls"
  > df-ping: "no, it needs to fragment"
  > find-path-mtu: 1372 passes, 1373 does not
  > where-is-the-limit: "on a VPN tunnel or WAN link (path MTU about 1400 to 1476)"
  > coach:
  >   resets-in-job-log: [storage, network]
  >   stalls-before-reset: ["a 'Timed out waiting for data' line just before the reset"]
  >   df-ping: [plain ping, traceroute, telnet to port 6162]
  > EOF
  > casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --bundle "$FIX/demo/replication-mtu" \
  >     --coach --answers walk/coach.yaml --as bob --save walk/coach.json
  Walking replication-mtu-mismatch: Replication or backup copy over WAN/VPN stalls at the same point, then fails with connection resets
  Coach mode: answer each coach question before the step is shown.
  Bundle: $FIX/demo/replication-mtu (the logs answer the checks)
  Answers from walk/coach.yaml.
  
  [1] resets-in-job-log — coach question
  The job and agent logs repeat "An existing connection was forcibly closed by the remote host" and
  "Unstable connection: unable to transmit data". Which layer do these errors point to?
    1. application
    2. network
    3. storage
    4. guest OS
  coach> storage
  Not quite. Hint 1 of 2:
    Neither the repository nor the guest appears in these messages. Who actually closed the
    connection?
  coach> network
  Right.
  
  [1] resets-in-job-log (check)
  Do the logs show this (at least 3 matching lines)?
    - conn-reset: The data mover connection was reset (WSAECONNRESET) while a transfer was in flight
    - unstable-connection: Veeam could not push data through the channel and fell back to
      resume-on-disconnect
  The logs answered yes: conn-reset 672 + unstable-connection 623 = 1,295 lines (at least 3 needed).
    Backup/Job.Replica_DC1.Replica.log:278  [12.03.2024 20:03:47] <43> Warning      [ReconnectableSocket] Connection to 'dr-proxy01.corp.example:2503' was interrupted: An existing connection was forcibly …
    Backup/Job.Replica_DC1.Replica.log:279  [12.03.2024 20:03:47] <43> Warning      [TaskSession] 'sql01': Unstable connection: unable to transmit data.
  
  [2] stalls-before-reset — coach question
  What in the logs would show that the data stopped flowing before each reset, rather than the
  connection being cut straight away?
    1. a 'Timed out waiting for data' line just before the reset
    2. a warning in the repository's service log
    3. a VSS error in the guest
  coach> a 'Timed out waiting for data' line just before the reset
  Right.
  
  [2] stalls-before-reset (check)
  Do the logs show this?
    - data-timeout: One side stopped receiving data; names the far end of the stalled channel
  The logs answered yes: data-timeout 434 lines (at least 1 needed).
    Backup/Job.Replica_DC1.Replica.log:464  [12.03.2024 20:33:25] <25> Error        Timed out waiting for data from dr-proxy01.corp.example:2503. (Veeam.Backup.Common.CTimeoutException)
    Backup/Job.Replica_DC1.Replica.log:807  [12.03.2024 21:16:50] <25> Error        Timed out waiting for data from dr-proxy01.corp.example:2503. (Veeam.Backup.Common.CTimeoutException)
  
  [3] small-packets-work (ask)
  Apart from the data transfer, does everything else work? Check that the proxies can be added and
  rescanned, that the job starts and uploads .vmx/.nvram, that keep-alives and agent-alive checks
  answer in normal time, and that the job sits at the same percentage (37%) every time. Are only the
  bulk data blocks to dr-proxy01.corp.example failing?
    1. yes, only the bulk transfer stalls
    2. no, even connections and small operations fail
  > yes, only the bulk transfer stalls
  
  [4] df-ping — coach question
  Which test shows whether a 1500-byte packet can cross the path without being fragmented?
    1. plain ping
    2. ping with the don't-fragment bit and a 1472-byte payload
    3. traceroute
    4. telnet to port 6162
  coach> plain ping
  Not quite. Hint 1 of 2:
    A normal ping uses 32 or 56 bytes, which any MTU lets through.
  coach> traceroute
  Not quite. Hint 2 of 2:
    1472 bytes of payload plus 28 bytes of IP and ICMP headers is exactly 1500. The DF bit stops
    routers from fragmenting the packet.
  coach> telnet to port 6162
  Not quite. The expected answer: ping with the don't-fragment bit and a 1472-byte payload.
  
  [4] df-ping (ask)
  From the source proxy, send a don't-fragment ping with a 1472-byte payload (a 1500-byte packet) to
  dr-proxy01.corp.example.  Windows: ping -f -l 1472 dr-proxy01.corp.example   Linux: ping -M do -s
  1472 dr-proxy01.corp.example What happens? "Packet needs to be fragmented but DF set" (Windows) or
  "Frag needed" / "Message too long" (Linux) means it needs to fragment.
    1. yes, it gets replies
    2. no, it needs to fragment
    3. no reply (request timed out), but a plain ping works
  > no, it needs to fragment
  
  [5] find-path-mtu (do)
  Find the path MTU. Step the DF ping payload down (1472, 1452, 1430, 1400, 1372...) until it gets
  replies. The path MTU is the largest payload that passes plus 28. On Linux, tracepath -n
  dr-proxy01.corp.example shows the hop where "pmtu" drops. Check the MTU on the proxies' NICs, the
  vmk ports and vSwitch, the physical switch ports, and the VPN or WAN interface, and check that ICMP
  "fragmentation needed" (type 3, code 4) is not filtered on the way back.
  Type done when it is done.
  > done
  Largest DF payload that passes, and the hop or device where the MTU drops
  > 1372 passes, 1373 does not
  
  [6] where-is-the-limit (ask)
  Path MTU noted (1372 passes, 1373 does not). Where is the smaller MTU?
    1. on a VPN tunnel or WAN link (path MTU about 1400 to 1476)
    2. on a switch, vSwitch or vmk port without jumbo frames, while the proxies use 9000
  > on a VPN tunnel or WAN link (path MTU about 1400 to 1476)
  
  [7] mtu-mismatch (conclusion)
  MTU mismatch on the replication path (smaller MTU on the VPN/WAN link, PMTUD not working)
  Cause:
    A tunnel or WAN link on the path has a smaller MTU than the proxies send. Full-size segments are
    dropped. Either the ICMP "fragmentation needed" message never reaches the sender (PMTUD black
    hole), or it is ignored, so TCP keeps retransmitting the same large segment until the receiver
    times out and the connection is reset. Small packets (ping, control messages, keep-alives) still
    work, which is why the job starts and then hangs at the first full-size data block.
  Resolution:
    1. Clamp the TCP MSS on the VPN/WAN gateways to the path MTU minus 40 bytes (for example 1360 for
       a path MTU of 1400).
    2. Or set the MTU of the proxies' data interfaces to the path MTU measured with the DF ping.
       Windows: netsh interface ipv4 set subinterface "<name>" mtu=1400 store=persistent
       Linux: ip link set dev <if> mtu 1400, and persist it in the network configuration.
    3. Allow ICMP type 3 code 4 ("fragmentation needed") back to the proxies so that PMTUD can work.
    4. Check again with ping -f -l <path MTU - 28> dr-proxy01.corp.example, then retry the job. It
       resumes from the last good block.
  Article: KB-NET-0001
  
  Summary
    steps: 7
    coach questions: 3, right first time: 1
    hints used: 3, answers revealed: 1
    conclusion reached without reveals: no
  
  Transcript saved to walk/coach.json

  $ python3 -c '
  > import json
  > d = json.load(open("walk/coach.json"))
  > print(d["mode"], d["status"], d["conclusion"], d["engineer"])
  > for s in d["steps"]:
  >     c = s["coach"]
  >     if c: print(s["node"], c["expect"], [(a["answer"], a["correct"], a["hint_given"] is not None) for a in c["attempts"]], c["hints_used"], c["revealed"], c["right_first_time"])
  > print(d["summary"])'
  coach concluded mtu-mismatch bob
  resets-in-job-log ['network'] [('storage', False, True), ('network', True, False)] 1 False False
  stalls-before-reset ["a 'Timed out waiting for data' line just before the reset"] [("a 'Timed out waiting for data' line just before the reset", True, False)] 0 False True
  df-ping ["ping with the don't-fragment bit and a 1472-byte payload"] [('plain ping', False, True), ('traceroute', False, True), ('telnet to port 6162', False, False)] 2 True False
  {'steps': 7, 'coach_questions': 3, 'right_first_time': 1, 'hints_used': 3, 'reveals': 1, 'concluded_without_reveal': False}

The same answers as JSON, in guide mode (coach attempts are ignored there):

  $ printf '{"small-packets-work": "no, even connections and small operations fail"}' > walk/answers.json
  > casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --bundle "$FIX/demo/replication-mtu" \
  >     --answers walk/answers.json | tail -n 4
    Walk the playbooks veeam-firewall-ports-blocked and veeam-dns-name-resolution for the proxy pair.
    Check each port with Test-NetConnection -ComputerName dr-proxy01.corp.example -Port 6162 (and
    6160, and one port in 2500-3300).
  Article: KB-NET-0004

A walk that needs an answer it does not have stops at that node, names it, and exits 1; with --save the
transcript says where it stopped:

  $ printf 'small-packets-work: "yes, only the bulk transfer stalls"\n' > walk/partial.yaml
  > casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --bundle "$FIX/demo/replication-mtu" \
  >     --answers walk/partial.yaml --as erin --save walk/partial.json > walk/partial.out; echo "exit $?"
  > tail -n 9 walk/partial.out
  > python3 -c '
  > import json; d = json.load(open("walk/partial.json"))
  > print(d["status"], d["stopped_at"], [(s["node"], s["answer"]) for s in d["steps"]])'
  casebook: walk: stopped at 'df-ping': walk/partial.yaml has no answer for it
  exit 1
  From the source proxy, send a don't-fragment ping with a 1472-byte payload (a 1500-byte packet) to
  dr-proxy01.corp.example.  Windows: ping -f -l 1472 dr-proxy01.corp.example   Linux: ping -M do -s
  1472 dr-proxy01.corp.example What happens? "Packet needs to be fragmented but DF set" (Windows) or
  "Frag needed" / "Message too long" (Linux) means it needs to fragment.
    1. yes, it gets replies
    2. no, it needs to fragment
    3. no reply (request timed out), but a plain ping works
  
  Transcript saved to walk/partial.json; continue with: casebook walk --resume walk/partial.json
  stopped df-ping [('resets-in-job-log', 'yes'), ('stalls-before-reset', 'yes'), ('small-packets-work', 'yes, only the bulk transfer stalls'), ('df-ping', None)]

--resume continues it (the bundle comes from the transcript) and writes the transcript back; its start time
and the answers already given are kept:

  $ python3 -c 'import json; print(json.load(open("walk/partial.json"))["started"])' > walk/started
  > printf '2\ndone\n1400 at vpn-gw01\n1\n' | casebook walk --resume walk/partial.json -p "$CB_SOURCE/examples/playbooks" |
  >     sed -n '1,9p;/^\[7\]/,/^Cause/p;/^Transcript/p'
  > python3 -c '
  > import json; d = json.load(open("walk/partial.json"))
  > print(d["status"], d["conclusion"], len(d["steps"]), d["started"] == open("walk/started").read().strip())'
  Walking replication-mtu-mismatch: Replication or backup copy over WAN/VPN stalls at the same point, then fails with connection resets
  Bundle: $FIX/demo/replication-mtu (the logs answer the checks)
  Answer with a number or a label. At any prompt: back, why, skip, quit, help.
  Resumed from walk/partial.json: 3 of 3 answers replayed.
    [1] resets-in-job-log: yes (logs)
    [2] stalls-before-reset: yes (logs)
    [3] small-packets-work: yes, only the bulk transfer stalls (erin)
  
  [4] df-ping (ask)
  [7] mtu-mismatch (conclusion)
  MTU mismatch on the replication path (smaller MTU on the VPN/WAN link, PMTUD not working)
  Cause:
  Transcript saved to walk/partial.json
  concluded mtu-mismatch 7 True

Resuming against a changed playbook (a choice renamed, a node removed) warns and replays what still applies:

  $ sed -e 's/"no, it needs to fragment": find-path-mtu/"no, it must fragment": find-path-mtu/' \
  >     -e 's/^    yes: stalls-before-reset$/    yes: small-packets-work/' \
  >     "$CB_SOURCE/examples/playbooks/veeam/replication-mtu-mismatch.yaml" > walk/changed.yaml
  > python3 -c '
  > import re; s = open("walk/changed.yaml").read()
  > s = re.sub(r"\n  stalls-before-reset:\n.*?\n\n", "\n", s, flags=re.S); open("walk/changed.yaml", "w").write(s)'
  > cp walk/guide.json walk/changed.json
  > printf 'no, it must fragment\ndone\n1400\n1\n' | casebook walk walk/changed.yaml --resume walk/changed.json |
  >     sed -n '1,11p;/^\[6\]/,/^MTU/p;/^Transcript/p'
  casebook: warning: the playbook changed since the walk was saved: replayed 2 of 6 answers
  casebook: warning: the saved answer 'no, it needs to fragment' to 'df-ping' is no longer one of its choices: it is asked again
  casebook: warning: 'stalls-before-reset' is no longer in the playbook: its answer is dropped
  casebook: warning: the saved answers to 'find-path-mtu', 'where-is-the-limit' were not replayed: the walk does not reach them with the answers that still apply
  Walking replication-mtu-mismatch: Replication or backup copy over WAN/VPN stalls at the same point, then fails with connection resets
  Bundle: $FIX/demo/replication-mtu (the logs answer the checks)
  Answer with a number or a label. At any prompt: back, why, skip, quit, help.
  Resumed from walk/changed.json: 2 of 6 answers replayed.
    [1] resets-in-job-log: yes (logs)
    [2] small-packets-work: yes, only the bulk transfer stalls (alice)
  
  [3] df-ping (ask)
  From the source proxy, send a don't-fragment ping with a 1472-byte payload (a 1500-byte packet) to
  dr-proxy01.corp.example.  Windows: ping -f -l 1472 dr-proxy01.corp.example   Linux: ping -M do -s
  1472 dr-proxy01.corp.example What happens? "Packet needs to be fragmented but DF set" (Windows) or
  [6] mtu-mismatch (conclusion)
  MTU mismatch on the replication path (smaller MTU on the VPN/WAN link, PMTUD not working)
  Transcript saved to walk/changed.json

Standard input that ends before the walk does: the walk stops there (exit 1):

  $ printf 'yes\n' | casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" > walk/eof.out
  > echo "exit $?"; tail -n 5 walk/eof.out
  casebook: walk: stopped at 'stalls-before-reset': end of input
  exit 1
  Do the logs show this?
    - data-timeout: One side stopped receiving data; names the far end of the stalled channel
    1. yes
    2. no
  > 

why (the hits, the values that fill the texts, every answer with its evidence), back, help, an answer that is
not a choice, and skip (the step is left unknown; exit 1):

  $ printf 'why\n1\nback\nhelp\n1\nmaybe\nskip\n' |
  > casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --bundle "$FIX/demo/replication-mtu" \
  >     --as carol --save walk/skip.json | sed -n '/^\[3\]/,$p'; echo "exit ${PIPESTATUS[1]}"
  > python3 -c '
  > import json; d = json.load(open("walk/skip.json"))
  > print(d["status"], d["stopped_at"], [(s["node"], s["answer"], s["answered_by"]) for s in d["steps"]])'
  [3] small-packets-work (ask)
  Apart from the data transfer, does everything else work? Check that the proxies can be added and
  rescanned, that the job starts and uploads .vmx/.nvram, that keep-alives and agent-alive checks
  answer in normal time, and that the job sits at the same percentage (37%) every time. Are only the
  bulk data blocks to dr-proxy01.corp.example failing?
    1. yes, only the bulk transfer stalls
    2. no, even connections and small operations fail
  > why
  
  Why here
    hits in the bundle: conn-reset 672, unstable-connection 623, data-timeout 434, resume-on-disconnect 413, stuck-progress 935
    values: bundle=replication-mtu, target=dr-proxy01.corp.example, percent=37
    [1] resets-in-job-log: yes (logs)
        Backup/Job.Replica_DC1.Replica.log:278  [12.03.2024 20:03:47] <43> Warning      [ReconnectableSocket] Connection to 'dr-proxy01.corp.example:2503' was interrupted: An existing connection was forcibly …
        Backup/Job.Replica_DC1.Replica.log:279  [12.03.2024 20:03:47] <43> Warning      [TaskSession] 'sql01': Unstable connection: unable to transmit data.
    [2] stalls-before-reset: yes (logs)
        Backup/Job.Replica_DC1.Replica.log:464  [12.03.2024 20:33:25] <25> Error        Timed out waiting for data from dr-proxy01.corp.example:2503. (Veeam.Backup.Common.CTimeoutException)
        Backup/Job.Replica_DC1.Replica.log:807  [12.03.2024 21:16:50] <25> Error        Timed out waiting for data from dr-proxy01.corp.example:2503. (Veeam.Backup.Common.CTimeoutException)
    now: small-packets-work (ask)
  
  [3] small-packets-work (ask)
  Apart from the data transfer, does everything else work? Check that the proxies can be added and
  rescanned, that the job starts and uploads .vmx/.nvram, that keep-alives and agent-alive checks
  answer in normal time, and that the job sits at the same percentage (37%) every time. Are only the
  bulk data blocks to dr-proxy01.corp.example failing?
    1. yes, only the bulk transfer stalls
    2. no, even connections and small operations fail
  > 1
  → yes, only the bulk transfer stalls
  
  [4] df-ping (ask)
  From the source proxy, send a don't-fragment ping with a 1472-byte payload (a 1500-byte packet) to
  dr-proxy01.corp.example.  Windows: ping -f -l 1472 dr-proxy01.corp.example   Linux: ping -M do -s
  1472 dr-proxy01.corp.example What happens? "Packet needs to be fragmented but DF set" (Windows) or
  "Frag needed" / "Message too long" (Linux) means it needs to fragment.
    1. yes, it gets replies
    2. no, it needs to fragment
    3. no reply (request timed out), but a plain ping works
  > back
  Back: the last answer is undone.
  
  [3] small-packets-work (ask)
  Apart from the data transfer, does everything else work? Check that the proxies can be added and
  rescanned, that the job starts and uploads .vmx/.nvram, that keep-alives and agent-alive checks
  answer in normal time, and that the job sits at the same percentage (37%) every time. Are only the
  bulk data blocks to dr-proxy01.corp.example failing?
    1. yes, only the bulk transfer stalls
    2. no, even connections and small operations fail
  > help
  Answer with the number or the label of a choice, yes or no for a check, done when an action is
  done, or free text where a question asks for it.  At any prompt:
    back   undo the last answer
    why    the evidence and answers that led here
    skip   mark this step unknown and stop the walk
    quit   save the walk and stop (continue later with --resume)
    help   this text
  > 1
  → yes, only the bulk transfer stalls
  
  [4] df-ping (ask)
  From the source proxy, send a don't-fragment ping with a 1472-byte payload (a 1500-byte packet) to
  dr-proxy01.corp.example.  Windows: ping -f -l 1472 dr-proxy01.corp.example   Linux: ping -M do -s
  1472 dr-proxy01.corp.example What happens? "Packet needs to be fragmented but DF set" (Windows) or
  "Frag needed" / "Message too long" (Linux) means it needs to fragment.
    1. yes, it gets replies
    2. no, it needs to fragment
    3. no reply (request timed out), but a plain ping works
  > maybe
  'maybe' is not one of the choices: answer with a number from 1 to 3, or a label.
  > skip
  Skipped: this step is marked unknown and the walk stops here.
  
  Transcript saved to walk/skip.json; continue with: casebook walk --resume walk/skip.json
  exit 1
  skipped df-ping [('resets-in-job-log', 'yes', 'logs'), ('stalls-before-reset', 'yes', 'logs'), ('small-packets-work', 'yes, only the bulk transfer stalls', 'carol'), ('df-ping', None, None)]

quit saves and stops (exit 0); without --save the transcript goes to PLAYBOOK.walk.json:

  $ cd walk && printf 'quit\n' | casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" | tail -n 2
  > echo "exit ${PIPESTATUS[1]}"
  > python3 -c 'import json; d = json.load(open("replication-mtu-mismatch.walk.json")); print(d["status"], d["stopped_at"])'
  
  Transcript saved to replication-mtu-mismatch.walk.json; continue with: casebook walk --resume replication-mtu-mismatch.walk.json
  exit 0
  quit resets-in-job-log

A playbook by file, and the engineer from $CASEBOOK_USER:

  $ printf 'no\n' | CASEBOOK_USER=dave casebook walk "$CB_SOURCE/examples/playbooks/veeam/replication-mtu-mismatch.yaml" \
  >     --save walk/file.json | tail -n 3
  > python3 -c 'import json; d = json.load(open("walk/file.json")); print(d["engineer"], d["steps"][0]["answered_by"], d["conclusion"])'
  This playbook does not apply: go back to triage.
  
  Transcript saved to walk/file.json
  dave dave not-this-issue

Bad answers files give file:line:col (YAML through libyaml, JSON through jansson); an answer that does not fit
its node too; an answers file naming unknown nodes only warns:

  $ printf 'df-ping: "no\n' > walk/bad.yaml
  > casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --answers walk/bad.yaml; echo "exit $?"
  > printf '{"df-ping": "no",\n  "x": }\n' > walk/bad.json
  > casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --answers walk/bad.json; echo "exit $?"
  > printf 'df-ping:\n  - a\n' > walk/list.yaml
  > casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --answers walk/list.yaml; echo "exit $?"
  > printf 'df-pong: x\nresets-in-job-log: maybe\n' > walk/wrong.yaml
  > casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --answers walk/wrong.yaml > /dev/null; echo "exit $?"
  casebook: walk/bad.yaml:2:1: found unexpected end of stream (while scanning a quoted scalar at line 1, column 10)
  exit 2
  casebook: walk/bad.json:2:8: unexpected token near '}'
  exit 2
  casebook: walk/list.yaml:2:3: the answer for node 'df-ping' must be text, not a list
  exit 2
  casebook: warning: walk/wrong.yaml:1:10: playbook 'replication-mtu-mismatch' has no node 'df-pong'
  casebook: walk/wrong.yaml:2:20: answer for 'resets-in-job-log': 'maybe' is not an answer to this check: answer yes or no
  exit 2

Unknown playbooks, a missing PLAYBOOK, a bad transcript:

  $ casebook walk no-such-playbook -p "$CB_SOURCE/examples/playbooks"; echo "exit $?"
  > casebook walk walk/missing.yaml; echo "exit $?"
  > casebook walk; echo "exit $?"
  > printf '{"steps": [' > walk/broken.json
  > casebook walk --resume walk/broken.json; echo "exit $?"
  > casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --bundle walk/no-bundle; echo "exit $?"
  casebook: walk: no playbook 'no-such-playbook' in $CB_SOURCE/examples/playbooks (give a playbook id from there, or the playbook's file)
  exit 2
  casebook: walk/missing.yaml: cannot open: No such file or directory
  exit 2
  casebook: walk: missing PLAYBOOK
  Try 'casebook walk --help'.
  exit 2
  casebook: walk/broken.json:1:11: ']' expected near end of file
  exit 2
  casebook: walk/no-bundle: No such file or directory
  exit 2

A transcript is not trusted.  It records the bundle's absolute path and fingerprint; a transcript edited to
name another bundle (here /proc) or resumed after the bundle changed does not get it scanned, and a transcript
larger than 16 MiB is refused:

  $ python3 -c '
  > import json, os; d = json.load(open("walk/partial.json"))
  > print(os.path.isabs(d["bundle"]), len(d["bundle_fingerprint"]))
  > d["bundle"] = "/proc"; json.dump(d, open("walk/tampered.json", "w"))
  > d["bundle_fingerprint"] = None; d["bundle"] = os.environ["FIX"] + "/demo/replication-mtu"
  > json.dump(d, open("walk/nofp.json", "w"))'
  > printf '' | casebook walk --resume walk/tampered.json -p "$CB_SOURCE/examples/playbooks" 2>&1 >/dev/null | head -n 1
  > printf '' | casebook walk --resume walk/nofp.json -p "$CB_SOURCE/examples/playbooks" 2>&1 >/dev/null | head -n 1
  > python3 -c 'open("walk/huge.json", "w").write("{" + " " * (17 << 20) + "}")'
  > casebook walk --resume walk/huge.json; echo "exit $?"
  True 64
  casebook: warning: the saved walk's bundle /proc is not used: it is not the bundle the walk was saved with (its fingerprint differs); its checks are asked (give --bundle to use a bundle)
  casebook: warning: the saved walk's bundle $FIX/demo/replication-mtu is not used: the transcript has no bundle fingerprint to check it against; its checks are asked (give --bundle to use a bundle)
  casebook: walk/huge.json: 17 MiB is more than the 16 MiB allowed
  exit 2

--save writes a new temporary file of its own and renames it: a symbolic link planted where a temporary might
go is never written through:

  $ echo precious > walk/target && ln -sf "$PWD/walk/target" walk/planted.json.tmp
  > printf '' | casebook walk replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --save walk/planted.json >/dev/null 2>&1
  > cat walk/target; python3 -c 'import json; print(json.load(open("walk/planted.json"))["status"])'; ls walk | grep -c 'planted.json.*tmp'
  precious
  stopped
  1

On a terminal (a pseudo-terminal, as over ssh): prompts wait for typed lines, why and back work, colour only
without NO_COLOR, and quit saves:

  $ python3 "$CB_SOURCE/tests/cli/walk-pty.py" "$(command -v casebook)" "$CB_SOURCE/examples/playbooks" \
  >     "$FIX/demo/replication-mtu" "$FIX/walk"
  walk-pty: concluded mtu-mismatch after 8 typed lines (why and back included), colour on a terminal; quit saved the walk at resets-in-job-log, no colour with NO_COLOR
