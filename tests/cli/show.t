casebook show: a playbook as a wiki page (md, the default), a Graphviz graph (dot, svg) or a Mermaid flowchart.

  $ casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks"
  # Replication or backup copy over WAN/VPN stalls at the same point, then fails with connection resets
  
  - **Playbook:** `replication-mtu-mismatch`
  - **Product:** Veeam Backup & Replication
  - **Versions:** >= 11
  - **Tags:** replication, backup-copy, network, mtu, wan, vpn
  - **Article:** KB-NET-0001
  - **Start:** step 1 (`resets-in-job-log`)
  
  ## Signatures
  
  | Signature | Severity | Pattern | Files | Description |
  |---|---|---|---|---|
  | `conn-reset` | error | `An existing connection was forcibly closed by the remote host` | `**/Job.*.log`, `**/Task.*.log`, `**/Agent.*.log` | The data mover connection was reset (WSAECONNRESET) while a transfer was in flight |
  | `unstable-connection` | error | `Unstable connection: unable to transmit data` | `**/Job.*.log`, `**/Task.*.log`, `**/Agent.*.log` | Veeam could not push data through the channel and fell back to resume-on-disconnect |
  | `data-timeout` | warning | `Timed out waiting for data from (?<target>[A-Za-z0-9][A-Za-z0-9.-]*)` (any case) | `**/Job.*.log`, `**/Task.*.log`, `**/Agent.*.log` | One side stopped receiving data; names the far end of the stalled channel |
  | `resume-on-disconnect` | info | `Resume on disconnect` (any case) | `**/Job.*.log`, `**/Task.*.log`, `**/Agent.*.log` | Veeam re-establishing the data channel (every 15 s, for up to 30 min) |
  | `stuck-progress` | info | `Task progress: '(?<percent>[0-9]+)%'` | `**/Job.*.log` | Job progress; a stall shows as the same percentage logged over and over |
  
  ## Steps
  
  ### 1. Check `resets-in-job-log`
  
  Do the logs have at least 3 lines matching `conn-reset` or `unstable-connection` (counted together)?
  
  - If yes → step 2 (`stalls-before-reset`)
  - If no → step 3 (`not-this-issue`)
  
  > **Coach:** The job and agent logs repeat "An existing connection was forcibly closed by the remote host" and "Unstable connection: unable to transmit data". Which layer do these errors point to?
  >
  > Choices: application · **network** (expected) · storage · guest OS
  >
  > Hints:
  > 1. Neither the repository nor the guest appears in these messages. Who actually closed the connection?
  > 2. A reset in the middle of a transfer comes from a TCP peer or from a device in the path. Veeam only reports it.
  
  ### 2. Check `stalls-before-reset`
  
  Do the logs have a line matching `data-timeout`?
  
  - If yes → step 4 (`small-packets-work`)
  - If no → step 5 (`ips-suspected`)
  
  > **Coach:** What in the logs would show that the data stopped flowing before each reset, rather than the connection being cut straight away?
  >
  > Choices: **a 'Timed out waiting for data' line just before the reset** (expected) · a warning in the repository's service log · a VSS error in the guest
  >
  > Hints:
  > 1. Look for "Timed out waiting for data" just before each reset in the agent logs.
  > 2. When large packets are dropped silently, the sender keeps retransmitting and the receiver times out before the reset comes.
  
  ### 3. Conclusion (dead end) `not-this-issue`
  
  **No repeated connection resets during transfers; not an MTU problem, triage other playbooks**
  
  ### 4. Ask `small-packets-work`
  
  Apart from the data transfer, does everything else work? Check that the proxies can be added and rescanned, that the job starts and uploads .vmx/.nvram, that keep-alives and agent-alive checks answer in normal time, and that the job sits at the same percentage ({{percent}}%) every time. Are only the bulk data blocks to {{target}} failing?
  
  - If “yes, only the bulk transfer stalls” → step 6 (`df-ping`)
  - If “no, even connections and small operations fail” → step 7 (`basic-connectivity`)
  
  ### 5. Conclusion `ips-suspected`
  
  **Resets come from a device that inspects the traffic; suspect a signature-based firewall or IPS**
  
  **Cause:** The connection is reset without first stalling on large packets, or the capture shows RSTs injected by a middlebox. Signature-based IPS, antivirus and application-control engines (SonicWALL, Check Point, Cisco, Palo Alto, Fortinet) are known to drop Veeam data streams, often at the same point every run.
  
  **Resolution:**
  
  Walk ips-inspection-drops-veeam-traffic: check the IPS/AV logs on the path, and exempt traffic between\
  the Veeam components from inspection.
  
  **Article:** KB-NET-0002
  
  ### 6. Ask `df-ping`
  
  From the source proxy, send a don't-fragment ping with a 1472-byte payload (a 1500-byte packet) to {{target}}.  Windows: ping -f -l 1472 {{target}}   Linux: ping -M do -s 1472 {{target}} What happens? "Packet needs to be fragmented but DF set" (Windows) or "Frag needed" / "Message too long" (Linux) means it needs to fragment.
  
  - If “yes, it gets replies” → step 8 (`jumbo-configured`)
  - If “no, it needs to fragment” → step 9 (`find-path-mtu`)
  - If “no reply (request timed out), but a plain ping works” → step 9 (`find-path-mtu`)
  
  > **Coach:** Which test shows whether a 1500-byte packet can cross the path without being fragmented?
  >
  > Choices: plain ping · **ping with the don't-fragment bit and a 1472-byte payload** (expected) · traceroute · telnet to port 6162
  >
  > Hints:
  > 1. A normal ping uses 32 or 56 bytes, which any MTU lets through.
  > 2. 1472 bytes of payload plus 28 bytes of IP and ICMP headers is exactly 1500. The DF bit stops routers from fragmenting the packet.
  
  ### 7. Conclusion `basic-connectivity`
  
  **Connections fail outright, not only bulk data; check Veeam ports and name resolution first**
  
  **Cause:** If connections and small control messages fail too, the cause is not a packet-size problem on the path. Closed ports (6160, 6162, 2500-3300) or wrong name resolution are more likely.
  
  **Resolution:**
  
  Walk the playbooks veeam-firewall-ports-blocked and veeam-dns-name-resolution for the proxy pair.\
  Check each port with Test-NetConnection -ComputerName {{target}} -Port 6162 (and 6160, and one port in 2500-3300).
  
  **Article:** KB-NET-0004
  
  ### 8. Ask `jumbo-configured`
  
  1500 bytes get through. Are the proxies' data interfaces (or the vmk ports and vSwitch behind them) set to jumbo frames?  Windows: netsh interface ipv4 show subinterfaces   Linux: ip link show   ESXi: esxcli network ip interface list
  
  - If “yes, MTU 9000 on the proxies or vmk” → step 10 (`df-ping-jumbo`)
  - If “no, 1500 everywhere” → step 11 (`other-network-cause`)
  
  ### 9. Do `find-path-mtu`
  
  Find the path MTU. Step the DF ping payload down (1472, 1452, 1430, 1400, 1372...) until it gets replies. The path MTU is the largest payload that passes plus 28. On Linux, tracepath -n {{target}} shows the hop where "pmtu" drops. Check the MTU on the proxies' NICs, the vmk ports and vSwitch, the physical switch ports, and the VPN or WAN interface, and check that ICMP "fragmentation needed" (type 3, code 4) is not filtered on the way back.
  
  **Record:** Largest DF payload that passes, and the hop or device where the MTU drops — the answer becomes `{{find-path-mtu}}`
  
  - When done → step 12 (`where-is-the-limit`)
  
  ### 10. Ask `df-ping-jumbo`
  
  Repeat the test at jumbo size: Windows ping -f -l 8972 {{target}}, Linux ping -M do -s 8972 {{target}} (ESXi: vmkping -d -s 8972 \<vmk address>). Does it get replies?
  
  - If “yes, 8972 gets replies” → step 11 (`other-network-cause`)
  - If “no, 8972 fails while 1472 works” → step 9 (`find-path-mtu`)
  
  ### 11. Do `other-network-cause`
  
  Full-size packets get through, so MTU is unlikely. Capture on both proxies during the next run and compare the two sides.  Windows: pktmon start --capture --pkt-size 0, or Wireshark/dumpcap. Linux: tcpdump -ni \<if> host {{target}} -w replica.pcap Look for retransmitted full-size segments, for which side sends the RST, and for RSTs whose TTL does not match the real peer's.
  
  **Record:** What did the captures show (who sends the RST, and after how many bytes)? — the answer becomes `{{other-network-cause}}`
  
  - When done → step 13 (`rst-source`)
  
  ### 12. Ask `where-is-the-limit`
  
  Path MTU noted ({{find-path-mtu}}). Where is the smaller MTU?
  
  - If “on a VPN tunnel or WAN link (path MTU about 1400 to 1476)” → step 14 (`mtu-mismatch`)
  - If “on a switch, vSwitch or vmk port without jumbo frames, while the proxies use 9000” → step 15 (`jumbo-mismatch`)
  
  ### 13. Ask `rst-source`
  
  Where do the resets come from?
  
  - If “a firewall, IPS or WAN optimizer in between (TTL or MAC not the peer's)” → step 5 (`ips-suspected`)
  - If “no middlebox found; the loss has no clear pattern” → step 16 (`escalate-network`)
  
  ### 14. Conclusion `mtu-mismatch`
  
  **MTU mismatch on the replication path (smaller MTU on the VPN/WAN link, PMTUD not working)**
  
  **Cause:** A tunnel or WAN link on the path has a smaller MTU than the proxies send. Full-size segments are dropped. Either the ICMP "fragmentation needed" message never reaches the sender (PMTUD black hole), or it is ignored, so TCP keeps retransmitting the same large segment until the receiver times out and the connection is reset. Small packets (ping, control messages, keep-alives) still work, which is why the job starts and then hangs at the first full-size data block.
  
  **Resolution:**
  
  1. Clamp the TCP MSS on the VPN/WAN gateways to the path MTU minus 40 bytes (for example 1360 for a path MTU of 1400).
  2. Or set the MTU of the proxies' data interfaces to the path MTU measured with the DF ping.\
     Windows: netsh interface ipv4 set subinterface "\<name>" mtu=1400 store=persistent\
     Linux: ip link set dev \<if> mtu 1400, and persist it in the network configuration.
  3. Allow ICMP type 3 code 4 ("fragmentation needed") back to the proxies so that PMTUD can work.
  4. Check again with ping -f -l \<path MTU - 28> {{target}}, then retry the job. It resumes from the last good block.
  
  **Article:** KB-NET-0001
  
  ### 15. Conclusion `jumbo-mismatch`
  
  **Jumbo frames are not configured end to end on the replication path**
  
  **Cause:** The proxies (or the vmk ports) send 9000-byte frames, but a switch port, vSwitch or inter-site link on the path only carries 1500. Layer-2 devices drop oversized frames silently, without ICMP, so TCP cannot discover the smaller MTU.
  
  **Resolution:**
  
  Make the MTU the same end to end: either set 9000 on every hop (vmk, vSwitch/vDS, physical switch ports,\
  inter-switch links), or go back to 1500 on the proxies' data interfaces.\
  Test with ping -f -l 8972 {{target}} (vmkping -d -s 8972 from ESXi). Then retry the job.
  
  **Article:** KB-NET-0001
  
  ### 16. Conclusion (escalate) `escalate-network`
  
  **Network loss on the replication path other than MTU; escalate to the network team with the captures**
  
  **Cause:** Full-size packets pass, and no middlebox is injecting resets. The loss needs network-side analysis.
  
  **Resolution:**
  
  Attach both captures ({{other-network-cause}}), the job, task and agent logs, and the failure times.\
  Ask for interface error counters and QoS/policer drops on the WAN or VPN devices.
  
  **Article:** KB-NET-0001

  $ casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --format dot
  digraph "replication-mtu-mismatch" {
      graph [label="Replication or backup copy over WAN/VPN stalls at the same point, then\nfails with connection resets", labelloc=t, fontname="Helvetica,Arial,sans-serif", fontsize=14, nodesep=0.35, ranksep=0.45];
      node [fontname="Helvetica,Arial,sans-serif", fontsize=10, style=filled, color="#4b5563", margin="0.12,0.06"];
      edge [fontname="Helvetica,Arial,sans-serif", fontsize=9, color="#4b5563"];
  
      "resets-in-job-log" [shape=diamond, fillcolor="#fef3c7", label="resets-in-job-log\nlogs show conn-reset +\nunstable-connection ≥ 3?"];
      "stalls-before-reset" [shape=diamond, fillcolor="#fef3c7", label="stalls-before-reset\nlogs show data-timeout?"];
      "not-this-issue" [shape=doubleoctagon, style="filled,dashed", fillcolor="#f3f4f6", fontcolor="#4b5563", label="not-this-issue (dead end)\nNo repeated connection resets during\ntransfers; not an MTU problem, triage\nother playbooks"];
      "small-packets-work" [shape=box, style="rounded,filled", fillcolor="#dbeafe", label="small-packets-work\nApart from the data transfer, does\neverything else work? Check that the\nproxies can be added and…"];
      "ips-suspected" [shape=doubleoctagon, fillcolor="#dcfce7", label="ips-suspected\nResets come from a device that inspects\nthe traffic; suspect a signature-based\nfirewall or IPS"];
      "df-ping" [shape=box, style="rounded,filled", fillcolor="#dbeafe", label="df-ping\nFrom the source proxy, send a\ndon't-fragment ping with a 1472-byte\npayload (a 1500-byte packet) to…"];
      "basic-connectivity" [shape=doubleoctagon, fillcolor="#dcfce7", label="basic-connectivity\nConnections fail outright, not only bulk\ndata; check Veeam ports and name\nresolution first"];
      "jumbo-configured" [shape=box, style="rounded,filled", fillcolor="#dbeafe", label="jumbo-configured\n1500 bytes get through. Are the proxies'\ndata interfaces (or the vmk ports and\nvSwitch behind them)…"];
      "find-path-mtu" [shape=parallelogram, fillcolor="#ede9fe", label="find-path-mtu\nFind the path MTU. Step the DF ping\npayload down (1472, 1452, 1430, 1400,\n1372...) until it gets…"];
      "df-ping-jumbo" [shape=box, style="rounded,filled", fillcolor="#dbeafe", label="df-ping-jumbo\nRepeat the test at jumbo size: Windows\nping -f -l 8972 {{target}}, Linux ping\n-M do -s 8972…"];
      "other-network-cause" [shape=parallelogram, fillcolor="#ede9fe", label="other-network-cause\nFull-size packets get through, so MTU is\nunlikely. Capture on both proxies during\nthe next run and…"];
      "where-is-the-limit" [shape=box, style="rounded,filled", fillcolor="#dbeafe", label="where-is-the-limit\nPath MTU noted ({{find-path-mtu}}).\nWhere is the smaller MTU?"];
      "rst-source" [shape=box, style="rounded,filled", fillcolor="#dbeafe", label="rst-source\nWhere do the resets come from?"];
      "mtu-mismatch" [shape=doubleoctagon, fillcolor="#dcfce7", label="mtu-mismatch\nMTU mismatch on the replication path\n(smaller MTU on the VPN/WAN link, PMTUD\nnot working)"];
      "jumbo-mismatch" [shape=doubleoctagon, fillcolor="#dcfce7", label="jumbo-mismatch\nJumbo frames are not configured end to\nend on the replication path"];
      "escalate-network" [shape=doubleoctagon, style="filled,bold", fillcolor="#fed7aa", label="escalate-network (escalate)\nNetwork loss on the replication path\nother than MTU; escalate to the network\nteam with the captures"];
  
      "resets-in-job-log" -> "stalls-before-reset" [label="yes"];
      "resets-in-job-log" -> "not-this-issue" [label="no"];
      "stalls-before-reset" -> "small-packets-work" [label="yes"];
      "stalls-before-reset" -> "ips-suspected" [label="no"];
      "small-packets-work" -> "df-ping" [label="yes, only the bulk\ntransfer stalls"];
      "small-packets-work" -> "basic-connectivity" [label="no, even connections and\nsmall operations fail"];
      "df-ping" -> "jumbo-configured" [label="yes, it gets replies"];
      "df-ping" -> "find-path-mtu" [label="no, it needs to fragment"];
      "df-ping" -> "find-path-mtu" [label="no reply (request timed\nout), but a plain ping\nworks"];
      "jumbo-configured" -> "df-ping-jumbo" [label="yes, MTU 9000 on the\nproxies or vmk"];
      "jumbo-configured" -> "other-network-cause" [label="no, 1500 everywhere"];
      "find-path-mtu" -> "where-is-the-limit" [label="done"];
      "df-ping-jumbo" -> "other-network-cause" [label="yes, 8972 gets replies"];
      "df-ping-jumbo" -> "find-path-mtu" [label="no, 8972 fails while\n1472 works"];
      "other-network-cause" -> "rst-source" [label="done"];
      "where-is-the-limit" -> "mtu-mismatch" [label="on a VPN tunnel or WAN\nlink (path MTU about\n1400 to 1476)"];
      "where-is-the-limit" -> "jumbo-mismatch" [label="on a switch, vSwitch or\nvmk port without jumbo\nframes,…"];
      "rst-source" -> "ips-suspected" [label="a firewall, IPS or WAN\noptimizer in between\n(TTL or MAC not…"];
      "rst-source" -> "escalate-network" [label="no middlebox found; the\nloss has no clear\npattern"];
  }

  $ casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" -f mermaid
  flowchart TD
      %% replication-mtu-mismatch: Replication or backup copy over WAN/VPN stalls at the same point, then fails with connection resets
      classDef check fill:#fef3c7,stroke:#4b5563
      classDef ask fill:#dbeafe,stroke:#4b5563
      classDef action fill:#ede9fe,stroke:#4b5563
      classDef conclude fill:#dcfce7,stroke:#4b5563
      classDef escalate fill:#fed7aa,stroke:#4b5563,stroke-width:2px
      classDef deadend fill:#f3f4f6,stroke:#4b5563,stroke-dasharray:5 5,color:#4b5563
      classDef missing fill:#ffffff,stroke:#dc2626,stroke-dasharray:5 5
      n1_resets_in_job_log{"resets-in-job-log<br/>logs show conn-reset +<br/>unstable-connection ≥ 3?"}:::check
      n2_stalls_before_reset{"stalls-before-reset<br/>logs show data-timeout?"}:::check
      n3_not_this_issue(["not-this-issue (dead end)<br/>No repeated connection resets during<br/>transfers; not an MTU problem, triage<br/>other playbooks"]):::deadend
      n4_small_packets_work("small-packets-work<br/>Apart from the data transfer, does<br/>everything else work? Check that the<br/>proxies can be added and…"):::ask
      n5_ips_suspected(["ips-suspected<br/>Resets come from a device that inspects<br/>the traffic; suspect a signature-based<br/>firewall or IPS"]):::conclude
      n6_df_ping("df-ping<br/>From the source proxy, send a<br/>don't-fragment ping with a 1472-byte<br/>payload (a 1500-byte packet) to…"):::ask
      n7_basic_connectivity(["basic-connectivity<br/>Connections fail outright, not only bulk<br/>data; check Veeam ports and name<br/>resolution first"]):::conclude
      n8_jumbo_configured("jumbo-configured<br/>1500 bytes get through. Are the proxies'<br/>data interfaces (or the vmk ports and<br/>vSwitch behind them)…"):::ask
      n9_find_path_mtu[/"find-path-mtu<br/>Find the path MTU. Step the DF ping<br/>payload down (1472, 1452, 1430, 1400,<br/>1372...) until it gets…"/]:::action
      n10_df_ping_jumbo("df-ping-jumbo<br/>Repeat the test at jumbo size: Windows<br/>ping -f -l 8972 {{target}}, Linux ping<br/>-M do -s 8972…"):::ask
      n11_other_network_cause[/"other-network-cause<br/>Full-size packets get through, so MTU is<br/>unlikely. Capture on both proxies during<br/>the next run and…"/]:::action
      n12_where_is_the_limit("where-is-the-limit<br/>Path MTU noted ({{find-path-mtu}}).<br/>Where is the smaller MTU?"):::ask
      n13_rst_source("rst-source<br/>Where do the resets come from?"):::ask
      n14_mtu_mismatch(["mtu-mismatch<br/>MTU mismatch on the replication path<br/>(smaller MTU on the VPN/WAN link, PMTUD<br/>not working)"]):::conclude
      n15_jumbo_mismatch(["jumbo-mismatch<br/>Jumbo frames are not configured end to<br/>end on the replication path"]):::conclude
      n16_escalate_network(["escalate-network (escalate)<br/>Network loss on the replication path<br/>other than MTU; escalate to the network<br/>team with the captures"]):::escalate
      n1_resets_in_job_log -->|"yes"| n2_stalls_before_reset
      n1_resets_in_job_log -->|"no"| n3_not_this_issue
      n2_stalls_before_reset -->|"yes"| n4_small_packets_work
      n2_stalls_before_reset -->|"no"| n5_ips_suspected
      n4_small_packets_work -->|"yes, only the bulk<br/>transfer stalls"| n6_df_ping
      n4_small_packets_work -->|"no, even connections and<br/>small operations fail"| n7_basic_connectivity
      n6_df_ping -->|"yes, it gets replies"| n8_jumbo_configured
      n6_df_ping -->|"no, it needs to fragment"| n9_find_path_mtu
      n6_df_ping -->|"no reply (request timed<br/>out), but a plain ping<br/>works"| n9_find_path_mtu
      n8_jumbo_configured -->|"yes, MTU 9000 on the<br/>proxies or vmk"| n10_df_ping_jumbo
      n8_jumbo_configured -->|"no, 1500 everywhere"| n11_other_network_cause
      n9_find_path_mtu -->|"done"| n12_where_is_the_limit
      n10_df_ping_jumbo -->|"yes, 8972 gets replies"| n11_other_network_cause
      n10_df_ping_jumbo -->|"no, 8972 fails while<br/>1472 works"| n9_find_path_mtu
      n11_other_network_cause -->|"done"| n13_rst_source
      n12_where_is_the_limit -->|"on a VPN tunnel or WAN<br/>link (path MTU about<br/>1400 to 1476)"| n14_mtu_mismatch
      n12_where_is_the_limit -->|"on a switch, vSwitch or<br/>vmk port without jumbo<br/>frames,…"| n15_jumbo_mismatch
      n13_rst_source -->|"a firewall, IPS or WAN<br/>optimizer in between<br/>(TTL or MAC not…"| n5_ips_suspected
      n13_rst_source -->|"no middlebox found; the<br/>loss has no clear<br/>pattern"| n16_escalate_network

SVG is laid out and drawn by libgvc inside casebook: well-formed XML, one node group per node.

  $ casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" -f svg | xmllint --noout - && echo well-formed
  well-formed

  $ casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" -f svg | grep -c 'class="node"'
  16

  $ casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" -f svg | grep -c 'class="edge"'
  19

PLAYBOOK may be the path of a file instead of an id (then no library is loaded):

  $ casebook show "$CB_SOURCE/examples/playbooks/linux/oom-killer.yaml" -f dot | head -3
  digraph "oom-killer" {
      graph [label="A process dies suddenly (killed by signal 9, exit 137) because the\nkernel OOM killer chose it", labelloc=t, fontname="Helvetica,Arial,sans-serif", fontsize=14, nodesep=0.35, ranksep=0.45];
      node [fontname="Helvetica,Arial,sans-serif", fontsize=10, style=filled, color="#4b5563", margin="0.12,0.06"];

--path highlights the walk saved in a transcript (casebook walk --save): the nodes of its steps, and the edges
between consecutive ones.

  $ mkdir -p $FIX/show && hash=$(sha256sum "$CB_SOURCE/examples/playbooks/veeam/replication-mtu-mismatch.yaml")
  > cat > $FIX/show/walk.json <<JSON
  > {"playbook": "replication-mtu-mismatch", "playbook_hash": "${hash%% *}",
  >  "steps": [{"node": "resets-in-job-log", "answer": "yes"}, {"node": "stalls-before-reset", "answer": "yes"},
  >            {"node": "small-packets-work", "answer": "yes, only the bulk transfer stalls"},
  >            {"node": "df-ping", "answer": "no, it needs to fragment"}, {"node": "find-path-mtu", "answer": "1372"},
  >            {"node": "where-is-the-limit"}, {"node": "mtu-mismatch"}]}
  > JSON
  > casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --path $FIX/show/walk.json \
  >   | grep -E 'Path walked|^Step|visited|taken'
  ## Path walked
  Step 1 (`resets-in-job-log`) → 2 (`stalls-before-reset`) → 4 (`small-packets-work`) → 6 (`df-ping`) → 9 (`find-path-mtu`) → 12 (`where-is-the-limit`) → 14 (`mtu-mismatch`)
  ### 1. Check `resets-in-job-log` ✓ visited
  - If yes → step 2 (`stalls-before-reset`) (taken)
  ### 2. Check `stalls-before-reset` ✓ visited
  - If yes → step 4 (`small-packets-work`) (taken)
  ### 4. Ask `small-packets-work` ✓ visited
  - If “yes, only the bulk transfer stalls” → step 6 (`df-ping`) (taken)
  ### 6. Ask `df-ping` ✓ visited
  - If “no, it needs to fragment” → step 9 (`find-path-mtu`) (taken)
  - If “no reply (request timed out), but a plain ping works” → step 9 (`find-path-mtu`) (taken)
  ### 9. Do `find-path-mtu` ✓ visited
  - When done → step 12 (`where-is-the-limit`) (taken)
  ### 12. Ask `where-is-the-limit` ✓ visited
  - If “on a VPN tunnel or WAN link (path MTU about 1400 to 1476)” → step 14 (`mtu-mismatch`) (taken)
  ### 14. Conclusion `mtu-mismatch` ✓ visited

  $ casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --path $FIX/show/walk.json -f dot \
  >   | grep penwidth=3
      "resets-in-job-log" [shape=diamond, fillcolor="#fef3c7", label="resets-in-job-log\nlogs show conn-reset +\nunstable-connection ≥ 3?", penwidth=3, color="#dc2626"];
      "stalls-before-reset" [shape=diamond, fillcolor="#fef3c7", label="stalls-before-reset\nlogs show data-timeout?", penwidth=3, color="#dc2626"];
      "small-packets-work" [shape=box, style="rounded,filled", fillcolor="#dbeafe", label="small-packets-work\nApart from the data transfer, does\neverything else work? Check that the\nproxies can be added and…", penwidth=3, color="#dc2626"];
      "df-ping" [shape=box, style="rounded,filled", fillcolor="#dbeafe", label="df-ping\nFrom the source proxy, send a\ndon't-fragment ping with a 1472-byte\npayload (a 1500-byte packet) to…", penwidth=3, color="#dc2626"];
      "find-path-mtu" [shape=parallelogram, fillcolor="#ede9fe", label="find-path-mtu\nFind the path MTU. Step the DF ping\npayload down (1472, 1452, 1430, 1400,\n1372...) until it gets…", penwidth=3, color="#dc2626"];
      "where-is-the-limit" [shape=box, style="rounded,filled", fillcolor="#dbeafe", label="where-is-the-limit\nPath MTU noted ({{find-path-mtu}}).\nWhere is the smaller MTU?", penwidth=3, color="#dc2626"];
      "mtu-mismatch" [shape=doubleoctagon, fillcolor="#dcfce7", label="mtu-mismatch\nMTU mismatch on the replication path\n(smaller MTU on the VPN/WAN link, PMTUD\nnot working)", penwidth=3, color="#dc2626"];
      "resets-in-job-log" -> "stalls-before-reset" [label="yes", penwidth=3, color="#dc2626", fontcolor="#dc2626"];
      "stalls-before-reset" -> "small-packets-work" [label="yes", penwidth=3, color="#dc2626", fontcolor="#dc2626"];
      "small-packets-work" -> "df-ping" [label="yes, only the bulk\ntransfer stalls", penwidth=3, color="#dc2626", fontcolor="#dc2626"];
      "df-ping" -> "find-path-mtu" [label="no, it needs to fragment", penwidth=3, color="#dc2626", fontcolor="#dc2626"];
      "df-ping" -> "find-path-mtu" [label="no reply (request timed\nout), but a plain ping\nworks", penwidth=3, color="#dc2626", fontcolor="#dc2626"];
      "find-path-mtu" -> "where-is-the-limit" [label="done", penwidth=3, color="#dc2626", fontcolor="#dc2626"];
      "where-is-the-limit" -> "mtu-mismatch" [label="on a VPN tunnel or WAN\nlink (path MTU about\n1400 to 1476)", penwidth=3, color="#dc2626", fontcolor="#dc2626"];

  $ casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --path $FIX/show/walk.json \
  >   -f mermaid | grep -E '^    (style|linkStyle)'
      style n1_resets_in_job_log stroke:#dc2626,stroke-width:3px
      style n2_stalls_before_reset stroke:#dc2626,stroke-width:3px
      style n4_small_packets_work stroke:#dc2626,stroke-width:3px
      style n6_df_ping stroke:#dc2626,stroke-width:3px
      style n9_find_path_mtu stroke:#dc2626,stroke-width:3px
      style n12_where_is_the_limit stroke:#dc2626,stroke-width:3px
      style n14_mtu_mismatch stroke:#dc2626,stroke-width:3px
      linkStyle 0,2,4,7,8,11,15 stroke:#dc2626,stroke-width:3px

  $ casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --path $FIX/show/walk.json -f svg \
  >   > $FIX/show/walk.svg
  > for kind in node edge; do
  >   n=$(xmllint --xpath "count(//*[local-name()='g'][@class='$kind'][.//*[@stroke='#dc2626']])" $FIX/show/walk.svg)
  >   echo "$n highlighted ${kind}s"
  > done
  7 highlighted nodes
  7 highlighted edges

A step naming a node the playbook does not have is a warning and is skipped; so is a transcript of another version
of the playbook, or of another playbook:

  $ cat > $FIX/show/stale.json <<'JSON'
  > {"playbook": "replication-mtu-mismatch",
  >  "playbook_hash": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  >  "steps": [{"node": "resets-in-job-log"}, {"node": "renamed-node"}, {"answer": "no node"},
  >            {"node": "stalls-before-reset"}]}
  > JSON
  > casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --path $FIX/show/stale.json -f dot \
  >   | grep -c penwidth=3
  casebook: warning: $FIX/show/stale.json: playbook 'replication-mtu-mismatch' has changed since this walk (hash 0123456789ab…, now d26be9511751…)
  casebook: warning: $FIX/show/stale.json: step 2 names node 'renamed-node', which playbook 'replication-mtu-mismatch' does not have: ignored
  casebook: warning: $FIX/show/stale.json: step 3 has no "node": ignored
  3

  $ echo '{"playbook": "oom-killer", "steps": []}' > $FIX/show/other.json
  > casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --path $FIX/show/other.json \
  >   | grep -c visited || true
  casebook: warning: $FIX/show/other.json: the transcript is a walk of playbook 'oom-killer', not 'replication-mtu-mismatch'
  0

Errors exit 2: a transcript that is not JSON (jansson's line:column), or not a transcript, or missing; an unknown
playbook id; a playbook file that does not load; usage errors.

  $ printf '{"playbook": "replication-mtu-mismatch",\n "steps": [\n    {"node": "df-ping"},,\n ]}\n' > $FIX/show/bad.json
  > casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --path $FIX/show/bad.json
  casebook: $FIX/show/bad.json:3:25: unexpected token near ','
  [2]

  $ echo '[{"node": "df-ping"}]' > $FIX/show/list.json
  > casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --path $FIX/show/list.json
  casebook: $FIX/show/list.json: not a walk transcript: expected an object with "steps": [{"node": ...}, ...]
  [2]

  $ casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --path $FIX/show/none.json
  casebook: $FIX/show/none.json: cannot open: No such file or directory
  [2]

  $ casebook show replication-mtu-mismatch -p $FIX/show/no-such-dir
  casebook: $FIX/show/no-such-dir: cannot open: No such file or directory
  [2]

  $ casebook show no-such-playbook -p "$CB_SOURCE/examples/playbooks"
  casebook: show: no playbook 'no-such-playbook' in $CB_SOURCE/examples/playbooks (give a playbook id from there, or the playbook's file)
  [2]

  $ printf 'casebook: 1\nid: broken\ntitle: [\n' > $FIX/show/broken.yaml
  > casebook show $FIX/show/broken.yaml
  casebook: $FIX/show/broken.yaml:4:1: did not find expected node content (while parsing a flow node at line 4, column 1)
  [2]

A graph too big for Graphviz to lay out in reasonable time (40 nodes of 25 choices took minutes) is refused
before layout, and the error says what still works:

  $ python3 -c '
  > print("casebook: 1\nid: wide\ntitle: Wide\nsignatures: {}\nstart: n0\nnodes:")
  > for i in range(40):
  >     print(f"  n{i}:\n    ask: Question {i}?\n    choices:")
  >     for k in range(25):
  >         print(f"      \"choice {k} of {i}\": n{(i * 7 + k * 3 + 1) % 40}")' > $FIX/show/wide.yaml
  > casebook show $FIX/show/wide.yaml --format svg
  casebook: wide: 1000 edges are too many to lay out as SVG (at most 120): use --format dot or mermaid
  [2]
  $ casebook show $FIX/show/wide.yaml --format mermaid | grep -c -- '-->'
  1000

  $ casebook show replication-mtu-mismatch -p "$CB_SOURCE/examples/playbooks" --format png
  casebook: show: unknown format 'png' (md, dot, svg or mermaid)
  Try 'casebook show --help'.
  [2]

  $ casebook show
  casebook: show: missing PLAYBOOK
  Try 'casebook show --help'.
  [2]

  $ casebook show a b
  casebook: show: expected one PLAYBOOK, got 2
  Try 'casebook show --help'.
  [2]
