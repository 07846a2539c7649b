casebook list: the playbook library as a table.

  $ casebook list --help
  usage: casebook list [-p PATH]... [--format text|json]
  
  list the playbook library: id, signatures, product, tags, articles, title
  
  The playbooks of the library (-p PATH, repeatable; else $CASEBOOK_PLAYBOOKS, ./playbooks or the
  installed examples), in the order they load: by path.  ARTICLES are the knowledge-base articles the
  playbook concludes on: its own `article`, then those of its conclusions, each once.  A file that does
  not load is a warning on standard error and is not listed.
  Exit status: 0, or 2 when a PATH cannot be read.
  
  options:
    -p, --playbooks PATH       playbook file or directory (repeatable)
    -f, --format FMT           text (default) or json
    -h, --help                 show this help

  $ casebook list -p "$CB_SOURCE/examples/playbooks"
  ID                                    SIGS  PRODUCT                     TAGS                                                      ARTICLES                             TITLE
  apache-access-denied-403                 3  Apache HTTP Server          apache,httpd,403,configuration,authorization              KB-WEB-0002                          Apache returns 403 Forbidden; error log says "client denied by server configuration" or "Directory index forbidden"
  apache-child-crash-backend-errors        4  Apache HTTP Server          apache,httpd,proxy,mod_jk,crash,backend                   KB-WEB-0003                          Apache returns 502/503 or drops connections; children segfault or the proxied backend does not answer
  apache-maxrequestworkers-reached         2  Apache HTTP Server          apache,httpd,performance,capacity,mpm                     KB-WEB-0001                          Apache answers slowly or with 503 at peak times; error log says "server reached MaxRequestWorkers setting"
  hdfs-dead-datanode-under-replication     5  Apache Hadoop HDFS          hdfs,hadoop,datanode,replication,fsck                     KB-HDP-0003                          HDFS reports under-replicated blocks after a DataNode died or stopped heartbeating
  hdfs-namenode-safemode-low-disk          4  Apache Hadoop HDFS          hdfs,hadoop,namenode,safemode,disk                        KB-HDP-0002,KB-HDP-0003              HDFS turns read-only; the NameNode enters safe mode because its metadata disk is low on space
  hdfs-write-min-replication               4  Apache Hadoop HDFS          hdfs,hadoop,datanode,write,replication                    KB-HDP-0001                          HDFS writes fail with "could only be replicated to 0 nodes instead of minReplication (=1)"
  disk-io-errors                           8  Linux                       linux,kernel,storage,disk,filesystem                      KB-LNX-0002                          Kernel logs I/O errors on a disk; writes fail and the filesystem goes read-only
  nic-link-flaps                           3  Linux                       linux,kernel,network,nic,ethernet                         KB-LNX-0003                          Network drops for seconds at a time; the kernel logs "NIC Link is Down" then "Link is Up", sometimes at a lower speed
  oom-killer                               5  Linux                       linux,kernel,memory,oom                                   KB-LNX-0001                          A process dies suddenly (killed by signal 9, exit 137) because the kernel OOM killer chose it
  ssh-brute-force                          7  OpenSSH on Linux            ssh,security,brute-force,authentication                   KB-SEC-0001                          Hundreds of failed SSH logins for root and made-up users from a few addresses (password guessing)
  ssh-scanner-reverse-dns                  4  OpenSSH on Linux            ssh,security,scanner,dns                                  KB-SEC-0002,KB-SEC-0001              "Did not receive identification string" and "POSSIBLE BREAK-IN ATTEMPT!" in the SSH log
  cbt-invalid-needs-reset                  2  Veeam Backup & Replication  vmware,cbt,incremental,performance                        KB-VBR-0002                          Incremental runs read the whole disk, or backups are inconsistent after an ESXi CBT bug (CBT needs a reset)
  certificate-validation-failure           2  Veeam Backup & Replication  certificates,tls,vcenter,security                         KB-VBR-0007,KB-VBR-0008,KB-VBR-0001  Connections to vCenter, ESXi or Veeam components fail certificate validation after a renewal or reinstall
  credentials-permissions-denied           3  Veeam Backup & Replication  credentials,permissions,vcenter,guest-processing          KB-VBR-0005                          Guest processing or vCenter operations fail with access denied, RPC unavailable, or "host is not licensed"
  ips-inspection-drops-veeam-traffic       3  Veeam Backup & Replication  network,firewall,ips,replication,backup-copy              KB-NET-0002,KB-NET-0001              One VM disk fails at about the same percentage every run with connection resets (firewall/IPS inspection)
  job-failed-operator-stop                 3  Veeam Backup & Replication  job,red-herring,triage                                    KB-VBR-0012                          Job shows Failed, but the log says the operation was canceled by a user
  license-expired-or-exceeded              3  Veeam Backup & Replication  license,vul,instances                                     KB-VBR-0011                          All jobs fail after the licence expired, or workloads are skipped because the instance count is exceeded
  replication-mtu-mismatch                 5  Veeam Backup & Replication  replication,backup-copy,network,mtu,wan,vpn               KB-NET-0001,KB-NET-0004,KB-NET-0002  Replication or backup copy over WAN/VPN stalls at the same point, then fails with connection resets
  repository-out-of-space                  3  Veeam Backup & Replication  repository,storage,capacity,backup-copy,gfs,sobr          KB-VBR-0006                          Backup, merge, GFS or SOBR offload fails because the repository or gateway runs out of space
  snapshot-removal-stun-consolidation      2  Veeam Backup & Replication  vmware,snapshot,stun,consolidation,storage                KB-VBR-0003                          VM freezes or drops off the network during snapshot removal, or a Veeam snapshot is left behind
  tape-job-no-media                        0  Veeam Backup & Replication  tape,media-pool,library                                   KB-VBR-0010                          Tape job waits for a tape for days, then fails; or tapes are not used by the media pool
  time-skew-kerberos-tls                   4  Veeam Backup & Replication  time,ntp,kerberos,tls,authentication                      KB-VBR-0008                          Kerberos logons fail like permission errors, or TLS is rejected, because clocks drift apart
  transport-mode-nbd-failover              5  Veeam Backup & Replication  vmware,transport-mode,hotadd,nbd,performance,vddk         KB-VBR-0001                          VMware backups are slow because the proxy fails over from HotAdd or Direct SAN to NBD
  veeam-dns-name-resolution                3  Veeam Backup & Replication  dns,network,nbd,infrastructure                            KB-NET-0003                          Adding or rescanning a server fails, NBD transfers fail, or traffic takes the wrong network (name resolution)
  veeam-firewall-ports-blocked             3  Veeam Backup & Replication  network,firewall,ports,infrastructure                     KB-NET-0004,KB-NET-0003              Veeam cannot connect to a proxy, repository or host; the connection times out or is refused on a Veeam port
  vss-guest-processing-failure             6  Veeam Backup & Replication  vss,guest-processing,application-aware,windows            KB-VBR-0004                          Application-aware processing fails to freeze the guest or keep the VSS snapshot
  wan-accelerator-cache-issues             2  Veeam Backup & Replication  wan-accelerator,backup-copy,replication,network,capacity  KB-VBR-0009,KB-NET-0004              WAN-accelerated backup copy or replication is slow, fails on cache space, or cannot reach the accelerator
  
  27 playbooks, 98 signatures

JSON, for scripts: every field, the file each playbook came from.

  $ casebook list -p "$CB_SOURCE/examples/playbooks/linux" --format json | sed "s|$CB_SOURCE|\$CB_SOURCE|"
  > casebook list -p "$CB_SOURCE/examples/playbooks" --format json | python3 -c '
  > import json, sys
  > for p in json.load(sys.stdin)["playbooks"]:
  >     if len(p["articles"]) > 1: print(p["id"], p["articles"])'
  {
    "playbooks": [
      {
        "id": "disk-io-errors",
        "title": "Kernel logs I/O errors on a disk; writes fail and the filesystem goes read-only",
        "product": "Linux",
        "versions": ">= 3.10",
        "tags": [
          "linux",
          "kernel",
          "storage",
          "disk",
          "filesystem"
        ],
        "signatures": 8,
        "nodes": 15,
        "articles": [
          "KB-LNX-0002"
        ],
        "file": "$CB_SOURCE/examples/playbooks/linux/disk-io-errors.yaml"
      },
      {
        "id": "nic-link-flaps",
        "title": "Network drops for seconds at a time; the kernel logs \"NIC Link is Down\" then \"Link is Up\", sometimes at a lower speed",
        "product": "Linux",
        "versions": ">= 3.10",
        "tags": [
          "linux",
          "kernel",
          "network",
          "nic",
          "ethernet"
        ],
        "signatures": 3,
        "nodes": 10,
        "articles": [
          "KB-LNX-0003"
        ],
        "file": "$CB_SOURCE/examples/playbooks/linux/nic-link-flaps.yaml"
      },
      {
        "id": "oom-killer",
        "title": "A process dies suddenly (killed by signal 9, exit 137) because the kernel OOM killer chose it",
        "product": "Linux",
        "versions": ">= 2.6",
        "tags": [
          "linux",
          "kernel",
          "memory",
          "oom"
        ],
        "signatures": 5,
        "nodes": 9,
        "articles": [
          "KB-LNX-0001"
        ],
        "file": "$CB_SOURCE/examples/playbooks/linux/oom-killer.yaml"
      }
    ]
  }
  hdfs-namenode-safemode-low-disk ['KB-HDP-0002', 'KB-HDP-0003']
  ssh-scanner-reverse-dns ['KB-SEC-0002', 'KB-SEC-0001']
  certificate-validation-failure ['KB-VBR-0007', 'KB-VBR-0008', 'KB-VBR-0001']
  ips-inspection-drops-veeam-traffic ['KB-NET-0002', 'KB-NET-0001']
  replication-mtu-mismatch ['KB-NET-0001', 'KB-NET-0004', 'KB-NET-0002']
  veeam-firewall-ports-blocked ['KB-NET-0004', 'KB-NET-0003']
  wan-accelerator-cache-issues ['KB-VBR-0009', 'KB-NET-0004']

A playbook's texts are made safe like any other output, and the columns still line up (widths are counted in
display columns, not bytes):

  $ casebook list -p escapes/playbooks -p escapes/tested
  ID          SIGS  PRODUCT  TAGS  ARTICLES   TITLE
  evil-title     1  -        -     KB-�[31m1  Evil �]0;pwned��[2J title �2J �right-to-left
  evil-path      1  -        -     KB-�[31m1  Evil �]0;pwned��[2J title �2J �right-to-left
  
  2 playbooks, 2 signatures

  $ mkdir -p list/wide && sed 's/^id: evil-title/id: wide/; s/^title: .*/title: "日本語のタイトル"/; s/^article: .*/article: "KB-é"/' escapes/playbooks/evil.yaml > list/wide/w.yaml
  > casebook list -p list/wide -p escapes/tested
  ID         SIGS  PRODUCT  TAGS  ARTICLES   TITLE
  wide          1  -        -     KB-é       日本語のタイトル
  evil-path     1  -        -     KB-�[31m1  Evil �]0;pwned��[2J title �2J �right-to-left
  
  2 playbooks, 2 signatures

A file that does not load is a warning, the rest is listed; a path that cannot be read is an error:

  $ casebook list -p escapes/tested -p escapes/names
  casebook: warning: escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:1:1: missing key 'title' at top level
  casebook: warning: escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:1:1: missing key 'signatures' at top level
  casebook: warning: escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:1:1: missing key 'start' at top level
  casebook: warning: escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:1:1: missing key 'nodes' at top level
  casebook: warning: escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:2:5: invalid playbook id 'Not An Id': use lowercase letters, digits and '-', not first
  ID         SIGS  PRODUCT  TAGS  ARTICLES   TITLE
  evil-path     1  -        -     KB-�[31m1  Evil �]0;pwned��[2J title �2J �right-to-left
  
  1 playbook, 1 signature

  $ casebook list -p nowhere
  casebook: warning: nowhere: cannot open: No such file or directory
  [2]

  $ casebook list --format md
  casebook: list: unknown format 'md' (text or json)
  Try 'casebook list --help'.
  [2]

  $ casebook list extra
  casebook: list: unexpected operand 'extra' (give playbook paths with -p)
  Try 'casebook list --help'.
  [2]
