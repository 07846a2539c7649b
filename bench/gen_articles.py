#!/usr/bin/env python3
"""Generate a deterministic knowledge base for bench/kb.sh.

    python3 bench/gen_articles.py OUTDIR [--count N] [--seed S] [--queries FILE] [--nqueries N]

Writes N (default 100,000) article files OUTDIR/KB-XXX-NNNNN.md in the file
form of docs/knowledge.md ("The file form"): YAML front matter (id, title,
state, audience, product, versions, tags, owner, created, updated, reviewed,
sometimes defect and playbooks) and the sections Issue, Environment,
Resolution, Cause, Internal.  They read like the 27 articles of
examples/articles/: a title naming the symptom and usually the error string,
an issue quoting the log lines an engineer sees, an environment as a bullet
list, numbered resolution steps, a cause paragraph.

The vocabulary is the domain catalogue's (/work/shared/domain/catalogue.md:
Veeam B&R root causes V01-V16, OpenSSH, the Linux kernel, HDFS, Apache) and
the example articles' (their titles, the error strings their issues quote,
their tags and products), widened with the neighbouring products a support
team meets (VMware, Hyper-V, Windows, PostgreSQL, Tomcat, Spark, ZooKeeper,
Kubernetes).  Error strings carry their variable parts (hosts, addresses,
ports, ids, paths, counts) filled in at random, as real articles quote them.
States are mostly validated and not-validated, with wip and archived ones;
public and partner audiences only on validated articles, as the KCS rules
require.  Ids are KB-<domain>-<5 digits>, so they never collide with the
examples' 4-digit ids.

--queries FILE also writes --nqueries (default 1,000) search queries drawn
from the same vocabulary, one per line as KIND<TAB>QUERY, KIND being word,
words, phrase, prefix, code or log (a pasted log line with its header).

The output depends only on --count, --seed and the example articles; files
are written in id order.  About 1.7 KB an article: 100,000 take ~170 MB and
~15 s.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import sys

SEED = "casebook-articles-1"
HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(os.path.dirname(HERE), "examples", "articles")

# --------------------------------------------------------------------------
# Variable parts
# --------------------------------------------------------------------------

HOST_WORDS = ["proxy", "repo", "vbr", "esxi", "dr-proxy", "sql", "web", "app", "db", "nn", "dn", "gw", "hv",
              "fs", "wan", "tape", "mail", "k8s-node", "dc", "file"]
DOMAINS = ["corp.example", "lab.example", "example.com", "dc1.example.net", "prod.example.org"]
USERS = ["root", "admin", "oracle", "test", "guest", "ubuntu", "svc_backup", "postgres", "webmaster", "ftpuser",
         "support", "pi", "git", "deploy", "nagios"]
VMS = ["sql01", "exch02", "dc01", "fs01", "web03", "app-prod-07", "erp-db", "sharepoint01", "jira", "ci-runner-4",
       "crm02", "print01"]
JOBS = ["Replica_DC1", "Backup_Daily", "BCJ_Offsite", "SQL_Logs", "Exchange_Weekly", "Tier2_VMs", "FileShare_NAS",
        "Agent_Laptops", "SOBR_Offload", "Tape_Monthly"]
DEVS = ["sda", "sdb", "sdc", "nvme0n1", "vda", "xvdb", "dm-3"]
NICS = ["eth0", "eth1", "ens192", "eno1", "bond0", "enp3s0"]
PROCS = ["postgres", "java", "mysqld", "chrome", "node", "python3", "VeeamAgent", "dotnet", "elasticsearch"]


def host(r):
    return f"{r.choice(HOST_WORDS)}{r.randint(1, 40):02d}.{r.choice(DOMAINS)}"


def ip(r):
    return f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"


def guid(r):
    h = "%032x" % r.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


FILL = {
    "host": host,
    "ip": ip,
    "port": lambda r: str(r.choice([443, 445, 902, 2500, 2503, 2510, 6160, 6162, 6164, 8020, 50010, 5432, 8080])),
    "n": lambda r: str(r.randint(2, 9999)),
    "pct": lambda r: str(r.randint(1, 99)),
    "sec": lambda r: str(r.choice([10, 15, 30, 60, 120, 300, 900, 1200])),
    "user": lambda r: r.choice(USERS),
    "vm": lambda r: r.choice(VMS),
    "job": lambda r: r.choice(JOBS),
    "dev": lambda r: r.choice(DEVS),
    "nic": lambda r: r.choice(NICS),
    "proc": lambda r: r.choice(PROCS),
    "pid": lambda r: str(r.randint(300, 65000)),
    "blk": lambda r: f"blk_{r.randint(-9 * 10**18, 9 * 10**18)}",
    "guid": guid,
    "hex": lambda r: "0x%08x" % r.getrandbits(32),
    "path": lambda r: r.choice(["/var/lib/postgresql/13/main", "D:\\Backups\\" + r.choice(JOBS), "/srv/data",
                                "/mnt/repo01/backups", "C:\\ProgramData\\Veeam\\Backup", "/var/www/html/"]),
}


def fill(text, r):
    return re.sub(r"\{(\w+)\}", lambda m: FILL[m.group(1)](r), text)


# --------------------------------------------------------------------------
# Families: one product area each, its error strings, symptoms, causes, fixes
# --------------------------------------------------------------------------

FAMILIES = [
    {
        "domains": ["VBR", "NET"],
        "products": ["Veeam Backup & Replication"],
        "versions": [">= 11", ">= 12", "11a", "12.1", "12.3", ">= 10", "10 to 12"],
        "owners": ["veeam-domain", "network-domain", "backup-team"],
        "tags": ["replication", "backup-copy", "network", "proxy", "repository", "transport-mode", "hotadd", "nbd",
                 "vss", "guest-processing", "cbt", "snapshot", "sobr", "gfs", "tape", "license", "wan-accelerator",
                 "certificates", "credentials", "dns", "firewall", "ports", "mtu", "performance", "job"],
        "components": ["replication job", "backup copy job", "backup job", "proxy", "repository", "scale-out repository",
                       "WAN accelerator", "tape job", "guest processing", "the Veeam Backup Service",
                       "the Data Mover", "Veeam Explorer", "SureBackup job", "the mount server", "the backup console"],
        "errors": [
            "An existing connection was forcibly closed by the remote host.",
            "Unstable connection: unable to transmit data.",
            "Timed out waiting for data from {host}:{port}",
            "[ReconnectableSocket] Connection to '{host}:{port}' was interrupted",
            "Cannot use advanced transport modes, failing over to NBD",
            "SSL Async Handshake Timeout : Read timeout after approximately 25000ms",
            "Failed to open NBD extent",
            "NBD_ERR_GENERIC",
            "VSSControl: Failed to prepare guest for freeze, wait timeout {sec} sec",
            "VSSControl: Failed to freeze guest, wait timeout",
            "Failed to call RPC function 'Vss.KeepSnapshot': Error code: 0x800401fd.",
            "Snapshot timeout occurred.",
            "The host is not licensed for this feature.",
            "Access is denied",
            "The RPC server is unavailable",
            "There is not enough space on the disk.",
            "No space left on device",
            "The remote certificate is invalid according to the validation procedure",
            "Operation was canceled by user CORP\\{user} (Veeam.Backup.Common.CStopSessionException)",
            "Job session '{job}' has been completed, status: 'Failed'",
            "Primary bottleneck: Network",
            "Primary bottleneck: Source",
            "Detected mode [nbd] for proxy [{host}]",
            "CBT data is invalid, failing over to legacy incremental backup",
            "Waiting for mutex [Global\\VeeamConfigurationSync] for more than 10 sec",
            "License key has expired.",
            "You have exceeded your licensed limit of {n} instances by {n}",
            "No such host is known",
            "Failed to connect to the port [{host}:{port}]",
            "Task failed unexpectedly",
            "Error: Unable to allocate processing resources. Error: Resource not ready: Backup repository",
            "Failed to create snapshot: The operation is not allowed in the current state",
            "Storage {guid} does not exist",
            "Failed to merge full backup file",
            "Agent finished with error: data transfer failed",
            "Failed to send data block {n} to target agent.",
            "Send queue is not draining",
            "VDDK error: 13 (You do not have access rights to this file)",
            "Error code: 0x80042314",
            "Error code: 0x800423f3",
            "Error code: 0x800423f4",
            "Error code: 0x80070070",
        ],
        "symptoms": ["stalls at {pct}% and fails", "fails with connection resets", "is slow", "fails on every retry",
                     "fails on one VM only", "fails after an upgrade", "hangs at the first disk",
                     "reports Failed although data was copied", "cannot reach the target proxy",
                     "falls back to network mode", "fails during guest processing", "leaves a snapshot behind",
                     "reads the whole disk on every run", "runs out of space", "is skipped"],
        "causes": [
            "A device on the path carries smaller packets than the proxies send, and full-size segments are dropped.",
            "A signature-based firewall or IPS resets the data connection at the same block on every run.",
            "The proxy cannot resolve the ESXi host by the name vCenter returns, so NBD and HotAdd fail.",
            "The proxy does not trust the vCenter certificate, so the TLS handshake for HotAdd times out.",
            "Changed block tracking was reset on the host, so the next run reads every block.",
            "A VSS writer in the guest is in a failed state and cannot freeze within the timeout.",
            "The account in the Credentials Manager lacks a privilege at the vCenter root.",
            "The repository holds fewer free gigabytes than a full backup plus the GFS points needs.",
            "The clocks of the backup server and the guest differ by more than five minutes.",
            "The Data Mover ports 2500 to 3300 are closed on a firewall between the sites.",
            "The licence grace period ended and every job fails with the Error status.",
            "An operator stopped the session, so the red status is not a fault.",
            "The WAN accelerator's global cache is too small for the data it deduplicates.",
            "The media pool has no free tape, so the job waits 72 hours and ends.",
        ],
        "fixes": [
            "From the source proxy, send a don't-fragment ping of full size (`ping -f -l 1472 <target>`) and step down until it passes.",
            "Clamp the TCP MSS on the VPN gateways to the path MTU minus 40.",
            "Exempt the traffic between Veeam components from inspection on the firewall.",
            "Run `nslookup <fqdn>` for the forward and reverse records from the backup server and every proxy.",
            "Install the vCenter root CA on every proxy and rescan the server.",
            "Reset CBT as VMware KB 2139574 describes, then run an active full.",
            "Run `vssadmin list writers` in the guest and restart the service of the failed writer.",
            "Grant the role the snapshot, disk and change-tracking privileges at the vCenter root.",
            "Extend the repository or lower the retention, keeping room for one extra full.",
            "Synchronise the backup server, the guests and vCenter with one NTP hierarchy.",
            "Open TCP 6160, 6162 and 2500-3300 between the backup server, proxies and repositories.",
            "Install the renewed licence file and retry the failed jobs.",
            "Check the session log for `Stop signal has been received` before treating the job as failed.",
            "Resize the global cache and clear it if it is corrupted, then populate it again.",
            "Inventory the library and move free tapes into the media pool.",
            "Collect the logs with the Export Logs wizard and compare the agent logs of the source and the target.",
        ],
        "env": ["Veeam Backup & Replication {ver} on Windows Server 2019.", "VMware vSphere 7.0 U3 with vCenter.",
                "Source and target proxies joined by a VPN tunnel.", "Hyper-V 2019 cluster with CSV volumes.",
                "A Linux hardened repository on XFS with fast clone.", "Scale-out repository with an S3 capacity tier.",
                "Windows guests with SQL Server and Exchange, application-aware processing on.",
                "Resume on disconnect on (the default).", "Tape library with LTO-8 drives."],
        "log": "[{dmy} {hms}] <{tid}> {lvl:<12} {msg}",
    },
    {
        "domains": ["VMW", "HYV", "WIN"],
        "products": ["VMware vSphere", "Microsoft Hyper-V", "Windows Server"],
        "versions": ["7.0", "8.0", "6.7", "2019", "2022", "2016"],
        "owners": ["virtualization-domain", "windows-domain"],
        "tags": ["vmware", "esxi", "vcenter", "hyper-v", "windows", "vss", "snapshot", "consolidation", "storage",
                 "datastore", "cluster", "csv", "rct", "nfs", "iscsi", "time", "ntp", "kerberos", "authentication"],
        "components": ["ESXi host", "vCenter", "datastore", "Hyper-V host", "cluster shared volume", "domain controller",
                       "VM", "virtual disk", "snapshot", "failover cluster"],
        "errors": [
            "VEEAM BACKUP TEMPORARY SNAPSHOT",
            "Virtual machine disks consolidation is needed.",
            "The operation is not allowed in the current state.",
            "An error occurred while taking a snapshot: msg.snapshot.error-QUIESCINGERROR.",
            "Cannot complete the operation because the file or folder {path} already exists",
            "Host {host} did not answer the NFS heartbeat within 5 sec, will retry",
            "Lost access to volume due to connectivity issues",
            "The clock skew is too great",
            "KRB_AP_ERR_SKEW",
            "The trust relationship between this workstation and the primary domain failed.",
            "Error code: 0x80070005",
            "Error code: 0x8004230f",
            "Cluster Shared Volume 'Volume{n}' is no longer available on this node",
            "Failed to create VM recovery checkpoint",
            "Event ID 1069: Cluster resource failed",
            "Event ID 12289: Volume Shadow Copy Service error: Unexpected error DeviceIoControl",
        ],
        "symptoms": ["drops off the network during snapshot removal", "shows Needs consolidation",
                     "cannot be backed up", "loses its datastore for a few seconds", "fails over unexpectedly",
                     "rejects Kerberos logons", "is slow to take a checkpoint", "freezes for minutes"],
        "causes": [
            "Snapshot removal stuns the VM while the datastore is under heavy I/O.",
            "The NFS datastore is mounted through HotAdd from another host, which leaves locks behind.",
            "The host clock drifted beyond Kerberos' five-minute limit.",
            "The VSS provider of the storage array does not respond within the timeout.",
            "The cluster network used for CSV traffic drops heartbeats under load.",
        ],
        "fixes": [
            "Delete all snapshots in Snapshot Manager once no job runs, then consolidate.",
            "Use Direct NFS or a proxy on the same host for VMs on NFS datastores.",
            "Point every host at the same NTP sources and check with `w32tm /query /status`.",
            "Update the storage provider and the integration services, then retry the checkpoint.",
            "Move CSV traffic to a dedicated network and check the cluster validation report.",
        ],
        "env": ["ESXi {ver} hosts managed by vCenter.", "Hyper-V failover cluster on Windows Server {ver}.",
                "NFS v3 datastores on a NAS.", "Active Directory domain with two domain controllers."],
        "log": "{iso} {lvl} [{comp}] {msg}",
    },
    {
        "domains": ["LNX", "STO"],
        "products": ["Linux", "Red Hat Enterprise Linux", "Ubuntu Server", "Debian"],
        "versions": [">= 3.10", ">= 4.18", "5.x", "RHEL 8", "RHEL 9", "22.04", "11"],
        "owners": ["linux-domain", "storage-domain"],
        "tags": ["linux", "kernel", "memory", "oom", "storage", "disk", "filesystem", "network", "nic", "ethernet",
                 "ext4", "xfs", "raid", "multipath", "nvme", "systemd", "cgroups"],
        "components": ["kernel", "filesystem", "database server", "container", "NIC", "RAID controller", "disk",
                       "systemd unit", "NFS client", "iSCSI initiator"],
        "errors": [
            "{proc} invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0",
            "Out of memory: Killed process {pid} ({proc}) total-vm:{n}kB, anon-rss:{n}kB, file-rss:0kB",
            "Memory cgroup out of memory: Killed process {pid} ({proc})",
            "oom_reaper: reaped process {pid} ({proc}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
            "blk_update_request: I/O error, dev {dev}, sector {n} op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0",
            "Buffer I/O error on dev {dev}1, logical block {n}, lost async page write",
            "EXT4-fs error (device {dev}1): ext4_journal_check_start:83: Detected aborted journal",
            "EXT4-fs ({dev}1): Remounting filesystem read-only",
            "sd 0:0:0:0: [{dev}] tag#0 FAILED Result: hostbyte=DID_ERROR driverbyte=DRIVER_OK",
            "ata6.00: exception Emask 0x10 SAct 0x0 SErr 0x4050000 action 0xe frozen",
            "nvme nvme0: controller is down; will reset",
            "{nic}: NIC Link is Down",
            "{nic}: NIC Link is Up 100 Mbps Full Duplex, Flow Control: Rx/Tx",
            "XFS ({dev}1): metadata I/O error in \"xfs_trans_read_buf_map\" at daddr 0x{n} len 8 error 5",
            "INFO: task {proc}:{pid} blocked for more than 120 seconds.",
            "watchdog: BUG: soft lockup - CPU#3 stuck for 22s!",
            "nfs: server {host} not responding, still trying",
            "device-mapper: multipath: Failing path 8:16.",
            "Main process exited, code=killed, status=9/KILL",
            "could not fdatasync file: Input/output error",
        ],
        "symptoms": ["is killed with signal 9", "goes read-only", "drops off the network for seconds",
                     "hangs under load", "restarts in a loop", "logs I/O errors", "negotiates 100 Mbps",
                     "stops responding to NFS"],
        "causes": [
            "The kernel ran out of memory and the OOM killer chose the process with the largest score.",
            "The device or its path returned errors, so the filesystem aborted its journal and went read-only.",
            "The cable or switch port renegotiates the link, which goes down and up within seconds.",
            "The cgroup memory limit of the service is lower than its working set.",
            "A storage path failed over and I/O waited longer than the hung-task timeout.",
        ],
        "fixes": [
            "Check `dmesg -T | grep -i 'killed process'` and the anon-rss of the victim.",
            "Raise the memory limit or add swap, and set `oom_score_adj` for the processes that must survive.",
            "Run `smartctl -a /dev/{dev}` and the controller's event log; replace the disk if sectors are pending.",
            "Do not force the filesystem back to read-write: stop the writers, then run `fsck` or restore.",
            "Check `ethtool {nic}` for the negotiated speed and replace the cable or SFP.",
            "Check `multipath -ll` and the array for path failures.",
        ],
        "env": ["Linux {ver} on physical servers or VMs.", "PostgreSQL 13 on ext4 over LVM.",
                "Kubernetes worker nodes with cgroup v2.", "Local disks behind a MegaRAID controller."],
        "log": "{syslog} {host} kernel: [{uptime}] {msg}",
    },
    {
        "domains": ["SEC"],
        "products": ["OpenSSH on Linux", "OpenSSH"],
        "versions": [">= 7.4", "8.x", "9.x"],
        "owners": ["security-domain", "linux-domain"],
        "tags": ["ssh", "security", "brute-force", "authentication", "scanner", "dns", "pam", "fail2ban", "firewall"],
        "components": ["sshd", "PAM", "bastion host", "jump server", "SFTP server"],
        "errors": [
            "Failed password for invalid user {user} from {ip} port {n} ssh2",
            "Failed password for root from {ip} port {n} ssh2",
            "Invalid user {user} from {ip}",
            "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}",
            "Disconnecting: Too many authentication failures for root [preauth]",
            "PAM service(sshd) ignoring max retries; 6 > 3",
            "error: maximum authentication attempts exceeded for root from {ip} port {n} ssh2 [preauth]",
            "Did not receive identification string from {ip}",
            "reverse mapping checking getaddrinfo for {host} [{ip}] failed - POSSIBLE BREAK-IN ATTEMPT!",
            "Connection closed by {ip} [preauth]",
            "Received disconnect from {ip}: 11: Bye Bye [preauth]",
            "error: kex_exchange_identification: Connection closed by remote host",
        ],
        "symptoms": ["logs hundreds of failed logins", "is scanned from the internet", "refuses key logins",
                     "fills auth.log", "locks out administrators"],
        "causes": [
            "Password guessing from a few addresses tries root and common user names.",
            "Internet scanners open a connection and close it without a banner.",
            "The PTR record of the client does not match its forward record, which is often benign.",
            "MaxAuthTries is reached because the agent offers too many keys.",
        ],
        "fixes": [
            "Allow keys only (`PasswordAuthentication no`) and restart sshd.",
            "Install fail2ban or sshguard and ban addresses after five failures.",
            "Restrict port 22 to the management network on the firewall.",
            "Count the failures per rhost: `grep 'Failed password' auth.log | awk '{print $(NF-3)}' | sort | uniq -c`.",
        ],
        "env": ["OpenSSH {ver} with password authentication on.", "A host reachable from the internet on port 22."],
        "log": "{syslog} {short} sshd[{pid}]: {msg}",
    },
    {
        "domains": ["HDP", "YRN", "SPK", "ZK"],
        "products": ["Apache Hadoop HDFS", "Apache Hadoop YARN", "Apache Spark", "Apache ZooKeeper"],
        "versions": ["2.7", "3.1", "3.3", ">= 2.6", "3.4"],
        "owners": ["bigdata-domain", "hadoop-team"],
        "tags": ["hdfs", "hadoop", "datanode", "namenode", "yarn", "spark", "zookeeper", "replication", "safemode",
                 "disk", "write", "fsck", "heartbeat", "container", "executor", "quorum"],
        "components": ["DataNode", "NameNode", "ResourceManager", "NodeManager", "Spark executor", "ZooKeeper quorum",
                       "HDFS client", "MapReduce job", "JournalNode"],
        "errors": [
            "could only be replicated to 0 nodes instead of minReplication (=1).  There are {n} datanode(s) running and {n} node(s) are excluded in this operation.",
            "could only be written to 0 of the 1 minReplication nodes",
            "NameNode low on available disk space. Entering safe mode.",
            "STATE* Safe mode is ON. Resources are low on NN.",
            "Target Replicas is 3 but found 1 live replica(s)",
            "BLOCK* ask {ip}:50010 to replicate {blk} to datanode(s) {ip}:50010",
            "PendingReplicationMonitor timed out block {blk}",
            "{ip}:50010:Got exception while serving {blk} to /{ip}:",
            "Container killed by YARN for exceeding memory limits",
            "Container [pid={pid},containerID=container_1445144423722_0020_01_000002] is running beyond physical memory limits",
            "java.net.ConnectException: Connection refused",
            "java.io.IOException: Bad connect ack with firstBadLink as {ip}:50010",
            "Lost executor {n} on {host}: Container marked as failed",
            "Exception causing close of session 0x{n} due to java.io.IOException: ZooKeeper instance is not running",
            "Cannot open channel to {n} at election address /{ip}:3888",
            "org.apache.hadoop.hdfs.server.namenode.SafeModeException: Cannot create file",
        ],
        "symptoms": ["writes fail", "goes read-only", "reports under-replicated blocks", "loses executors",
                     "kills containers", "cannot elect a leader", "jobs hang in the map phase"],
        "causes": [
            "Every DataNode is excluded, full or unreachable on port 50010.",
            "The NameNode metadata volume fell below dfs.namenode.resource.du.reserved.",
            "A DataNode stopped heartbeating and was declared dead after 10.5 minutes.",
            "The container's memory overhead is smaller than the JVM's off-heap use.",
            "The quorum port 3888 is blocked between the ZooKeeper servers.",
        ],
        "fixes": [
            "Run `hdfs dfsadmin -report` and `hdfs fsck /` to see live, dead and full DataNodes.",
            "Free space on the NameNode metadata volume, then `hdfs dfsadmin -safemode leave`.",
            "Raise spark.executor.memoryOverhead or yarn.nodemanager.vmem-pmem-ratio.",
            "Open 2888 and 3888 between the ZooKeeper servers and restart the follower.",
        ],
        "env": ["Hadoop {ver} cluster with three DataNodes.", "YARN with the capacity scheduler.",
                "Spark on YARN, dynamic allocation on.", "Three-node ZooKeeper ensemble."],
        "log": "{hdfs} {pid3} {lvl} {cls}: {msg}",
    },
    {
        "domains": ["WEB", "TCT"],
        "products": ["Apache HTTP Server", "Apache Tomcat", "nginx"],
        "versions": ["2.4", "2.2", "9.0", "10.1", "1.24"],
        "owners": ["web-domain", "app-team"],
        "tags": ["apache", "httpd", "performance", "capacity", "mpm", "403", "configuration", "authorization", "proxy",
                 "mod_jk", "crash", "backend", "tls", "tomcat", "java"],
        "components": ["web server", "reverse proxy", "virtual host", "worker pool", "Tomcat connector", "PHP-FPM pool"],
        "errors": [
            "AH00161: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting",
            "AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting",
            "AH01630: client denied by server configuration: {path}",
            "Directory index forbidden by rule: {path}",
            "AH00052: child pid {pid} exit signal Segmentation fault (11)",
            "AH01102: error reading status line from remote server {ip}:{port}",
            "AH01114: HTTP: failed to make connection to backend: {host}",
            "mod_jk child workerEnv in error state {n}",
            "jk2_init() Can't find child {n} in scoreboard",
            "AH02032: Hostname {host} provided via SNI and hostname provided via HTTP are different",
            "java.lang.OutOfMemoryError: Java heap space",
            "SEVERE: Servlet.service() for servlet [dispatcher] threw exception",
            "upstream timed out (110: Connection timed out) while reading response header from upstream",
        ],
        "symptoms": ["returns 503 at peak", "returns 403 Forbidden", "drops connections", "is slow under load",
                     "returns 502 Bad Gateway", "restarts its children"],
        "causes": [
            "Every worker is busy, so new connections wait in the listen queue.",
            "Apache 2.4 denies everything by default unless a Require directive grants it.",
            "A module crashes the child process on some requests.",
            "The backend application is down or slower than the proxy timeout.",
        ],
        "fixes": [
            "Raise MaxRequestWorkers within the memory the server has, or move to the event MPM with php-fpm.",
            "Add `Require all granted` to the Directory block that should be served.",
            "Get a core dump of the crashing child and update or disable the module.",
            "Check the backend's health and raise ProxyTimeout only after fixing its latency.",
        ],
        "env": ["Apache {ver} with the prefork MPM and mod_php.", "Tomcat behind mod_jk or mod_proxy_ajp.",
                "nginx as a reverse proxy in front of Java services."],
        "log": "[{apache}] [{mod}:error] [pid {pid}] {msg}",
    },
    {
        "domains": ["DB", "PG", "K8S"],
        "products": ["PostgreSQL", "Microsoft SQL Server", "Kubernetes"],
        "versions": ["13", "14", "15", "2019", "2022", "1.27", "1.29"],
        "owners": ["database-domain", "platform-team"],
        "tags": ["postgresql", "sql-server", "database", "wal", "replication", "kubernetes", "pod", "crashloop",
                 "storage", "memory", "connections", "locks"],
        "components": ["primary", "standby", "connection pool", "pod", "StatefulSet", "transaction log", "checkpointer"],
        "errors": [
            "FATAL: sorry, too many clients already",
            "PANIC: could not write to file \"pg_wal/xlogtemp.{pid}\": No space left on device",
            "ERROR: could not serialize access due to concurrent update",
            "LOG: checkpoints are occurring too frequently ({n} seconds apart)",
            "FATAL: the database system is in recovery mode",
            "The transaction log for database '{vm}' is full due to 'LOG_BACKUP'.",
            "Error: 1205, Severity: 13, State: 51. Transaction was deadlocked",
            "Back-off restarting failed container",
            "OOMKilled",
            "0/3 nodes are available: 3 Insufficient memory.",
            "MountVolume.SetUp failed for volume \"pvc-{guid}\" : rpc error: code = DeadlineExceeded",
        ],
        "symptoms": ["refuses new connections", "stops with PANIC", "is in a crash loop", "cannot be scheduled",
                     "fills its log volume", "deadlocks under load"],
        "causes": [
            "The application opens a connection per request and never returns it to the pool.",
            "The WAL volume filled because a replication slot keeps old segments.",
            "The pod's memory limit is below the JVM's heap plus its overhead.",
            "Log backups stopped, so the transaction log cannot be truncated.",
        ],
        "fixes": [
            "Put PgBouncer in front of the database and lower max_connections.",
            "Drop the inactive replication slot and free the WAL volume.",
            "Raise the pod's memory limit or lower the heap with -XX:MaxRAMPercentage.",
            "Restart the log backups and shrink the log once it is truncated.",
        ],
        "env": ["PostgreSQL {ver} with streaming replication.", "SQL Server {ver} Always On availability group.",
                "Kubernetes {ver} with a CSI storage driver."],
        "log": "{iso} {lvl} [{comp}] {msg}",
    },
]

FAMILY_WEIGHTS = [34, 12, 16, 8, 12, 10, 8]

# Error messages composed from parts: most articles of a large knowledge base are about errors other than the
# catalogue's, and a well-known message is quoted by a few dozen articles, not by thousands.
VERBS = ["open", "read", "write", "create", "delete", "mount", "attach", "connect to", "resolve", "authenticate to",
         "replicate", "synchronize", "flush", "lock", "allocate", "upload", "download", "register", "load", "start",
         "stop", "rescan", "truncate", "merge", "compact", "verify", "restore", "enumerate", "query", "update"]
OBJECTS = ["virtual disk", "restore point", "backup file", "metadata", "storage block", "session", "catalog",
           "snapshot", "datastore", "volume", "share", "bucket", "index", "journal", "transaction log",
           "certificate store", "registry key", "service", "socket", "named pipe", "lease", "token", "quota",
           "partition", "table", "segment", "cache", "queue", "channel", "descriptor", "configuration database",
           "mount point", "object storage", "archive tier", "guest agent", "transport service", "license file"]
REASONS = ["access is denied", "the handle is invalid", "the network path was not found", "the operation timed out",
           "the device is not ready", "the parameter is incorrect", "insufficient system resources exist",
           "the file is being used by another process", "the semaphore timeout period has expired",
           "the specified network name is no longer available", "connection reset by peer", "broken pipe",
           "no route to host", "permission denied", "resource temporarily unavailable", "stale file handle",
           "read-only file system", "too many open files", "invalid argument", "object not found",
           "quota exceeded", "checksum mismatch", "unexpected end of stream", "protocol error", "version mismatch",
           "lock held by another process", "the remote procedure call failed", "the request was aborted"]
COMPOSED = ["Failed to {verb} {obj}: {reason}", "Cannot {verb} {obj} '{name}': {reason}",
            "{Obj} operation '{verb}' failed ({code}): {reason}", "Error {code} while trying to {verb} {obj}",
            "Unable to {verb} {obj} on {host}: {reason}", "{Obj} {name} is unavailable: {reason}"]
EXACT_CAP = 3  # generated articles quoting any one catalogue or example message word for word

TITLE_FORMS = [
    "{Comp} {symptom}: {err}",
    "\"{err}\" in the {comp} log",
    "{Comp} {symptom} after {trigger}",
    "{Comp} {symptom} because {cause_short}",
    "{Comp} {symptom} with \"{err}\"",
    "{err} ({product})",
]
TRIGGERS = ["an upgrade", "a certificate renewal", "a network change", "moving to a new site", "a host reboot",
            "a storage migration", "enabling jumbo frames", "a firewall update", "a password change",
            "adding a second proxy", "a Windows update", "a kernel update", "resizing the volume"]
SHORT_CAUSES = ["the path MTU is smaller", "DNS returns a stale address", "the certificate changed",
                "the disk is full", "a writer failed", "the clock drifted", "a port is closed", "memory ran out",
                "the licence expired", "the link renegotiates", "a snapshot is orphaned", "the cache is too small"]
ISSUE_OPENERS = [
    "The {comp} {symptom}. The log shows \"{err}\".",
    "Customers report that the {comp} {symptom}. Every attempt logs `{err}`.",
    "After {trigger}, the {comp} {symptom}, and the log repeats `{err}`.",
    "\"{err}\" appears in the log, then the {comp} {symptom}.",
    "The {comp} {symptom} on some runs only. The failing runs log \"{err}\"; the good ones do not.",
]
ISSUE_MORE = [
    "The same error is logged every {sec} seconds until the session ends.",
    "Earlier lines show `{err}`.",
    "Ping and name resolution work, and small files are copied.",
    "It started after {trigger}.",
    "Retries fail the same way, and the error names `{err}`.",
    "Nothing changed on the {comp} side according to the customer.",
    "The problem follows the {comp}, not the host it runs on.",
]
INTERNAL = [
    "Seen in {n} cases this quarter; linked from the escalation runbook.",
    "Differential: check the firewall before the MTU when the failure is always at the same block.",
    "Reproduced in the lab with {vm}; logs kept on the team share.",
    "Defect filed with the vendor; workaround only until it is fixed.",
    "Related articles cover the same error string with a different cause.",
]


def examples_vocabulary():
    """Titles, quoted error strings (by id domain), tags and products of examples/articles (read by hand)."""
    titles, errors, tags, products = {}, {}, set(), set()
    if not os.path.isdir(EXAMPLES):
        return titles, errors, sorted(tags), sorted(products)
    for name in sorted(os.listdir(EXAMPLES)):
        if not name.endswith(".md"):
            continue
        with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
            text = f.read()
        m = re.search(r"^title: (.*)$", text, re.M)
        if m:
            titles.setdefault(name.split("-")[1], []).append(m.group(1).strip('"'))
        m = re.search(r"^tags: \[(.*)\]$", text, re.M)
        if m:
            tags.update(t.strip() for t in m.group(1).split(","))
        m = re.search(r"^product: (.*)$", text, re.M)
        if m:
            products.add(m.group(1))
        issue = re.search(r"^## Issue\n(.*?)^## ", text, re.M | re.S)
        if issue:
            for q in re.findall(r"\"([^\"\n]{12,140})\"|`([^`\n]{12,140})`", issue.group(1)):
                s = (q[0] or q[1]).strip()
                if "…" not in s and "<" not in s:
                    errors.setdefault(name.split("-")[1], []).append(s)
    return titles, errors, sorted(tags), sorted(products)


def yaml_str(s):
    """A front-matter value: plain when safe, else double-quoted (json's escapes are YAML's)."""
    if (not s or s[0] in "!&*-?[]{}|>@`\"'%#,:" or s[0] == " " or s[-1] in " :" or ": " in s or " #" in s
            or s in ("~", "null", "true", "false", "yes", "no") or re.fullmatch(r"[0-9.+-]+", s)):
        return json.dumps(s, ensure_ascii=False)
    return s


def date_between(r, start, days):
    return start + dt.timedelta(days=r.randrange(days))


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.titles, self.ex_errors, self.ex_tags, self.ex_products = examples_vocabulary()
        self.next_id = {}
        self.uses = {}

    def new_id(self, dom):
        n = self.next_id.get(dom, 0) + 1
        self.next_id[dom] = n
        return f"KB-{dom}-{n:05d}"

    def error(self, fam):
        r = self.r
        if r.random() < 0.25:
            mine = [e for d in fam["domains"] for e in self.ex_errors.get(d, [])]
            exact = r.choice(mine) if mine and r.random() < 0.3 else r.choice(fam["errors"])
            if self.uses.get(exact, 0) < EXACT_CAP:
                self.uses[exact] = self.uses.get(exact, 0) + 1
                return fill(exact, r) if exact in fam["errors"] else exact
        obj = r.choice(OBJECTS + fam["components"])
        code = r.choice(["0x%08x" % (0x80070000 + r.randrange(0x3000)), f"{r.randint(2, 1500)}",
                         f"E{r.randint(100, 9999)}", "0x%08x" % (0x80040000 + r.randrange(0x10000))])
        return r.choice(COMPOSED).format(verb=r.choice(VERBS), obj=obj, Obj=obj[0].upper() + obj[1:],
                                         reason=r.choice(REASONS), code=code, host=host(r),
                                         name=r.choice(VMS + JOBS + DEVS))

    def article(self):
        r = self.r
        fam = r.choices(FAMILIES, weights=FAMILY_WEIGHTS)[0]
        dom = r.choice(fam["domains"])
        aid = self.new_id(dom)
        comp = r.choice(fam["components"]).removeprefix("the ")
        symptom = fill(r.choice(fam["symptoms"]), r)
        err = self.error(fam)
        err2 = self.error(fam)
        trigger = r.choice(TRIGGERS)
        product = r.choice(fam["products"])
        ctx = dict(comp=comp, Comp=comp[0].upper() + comp[1:], symptom=symptom, err=err, trigger=trigger,
                   cause_short=r.choice(SHORT_CAUSES), product=product, sec=FILL["sec"](r), vm=FILL["vm"](r),
                   n=FILL["n"](r))
        near = self.titles.get(dom, [])
        if near and r.random() < 0.05:
            title = r.choice(near) + f" (after {trigger})"
        else:
            title = r.choice(TITLE_FORMS).format(**ctx)
        title = title.replace("\n", " ")[:300]
        state = r.choices(["validated", "not-validated", "wip", "archived"], weights=[50, 30, 12, 8])[0]
        audience = "internal"
        if state == "validated":
            audience = r.choices(["public", "partner", "internal"], weights=[55, 15, 30])[0]
        tags = r.sample(fam["tags"], r.randint(2, 6))
        if self.ex_tags and r.random() < 0.2:
            t = r.choice(self.ex_tags)
            if t not in tags:
                tags.append(t)
        created = date_between(r, dt.date(2018, 1, 1), 3200)
        updated = created + dt.timedelta(days=r.randrange(400))
        fm = ["---", f"id: {aid}", f"title: {yaml_str(title)}", f"state: {state}", f"audience: {audience}",
              f"product: {yaml_str(product)}"]
        ver = r.choice(fam["versions"])
        fm.append(f"versions: {yaml_str(ver)}")
        fm.append("tags: [" + ", ".join(tags) + "]")
        fm.append(f"owner: {r.choice(fam['owners'])}")
        if r.random() < 0.1:
            fm.append(f"defect: {dom}-{r.randint(1000, 99999)}")
        fm.append(f"created: {created.isoformat()}")
        fm.append(f"updated: {updated.isoformat()}")
        if state == "validated" or r.random() < 0.3:
            fm.append(f"reviewed: {(updated + dt.timedelta(days=r.randrange(200))).isoformat()}")
        if r.random() < 0.25:
            fm.append("playbooks: [" + ", ".join(sorted({f"{t}-{r.choice(['check', 'triage', 'walk'])}"
                                                         for t in tags[:2]})) + "]")
        fm.append("---")

        issue = [r.choice(ISSUE_OPENERS).format(**ctx)]
        for more in r.sample(ISSUE_MORE, r.randint(1, 3)):
            issue.append(more.format(**dict(ctx, err=err2, sec=FILL["sec"](r))))
        if r.random() < 0.5:
            issue.append("The log shows:")
            for _ in range(r.randint(1, 3)):
                issue.append(f"- `{self.error(fam)}`")
        env = list(dict.fromkeys("- " + fill(r.choice(fam["env"]).replace("{ver}", ver), r)
                                 for _ in range(r.randint(1, 3))))
        fixes = r.sample(fam["fixes"], min(len(fam["fixes"]), r.randint(2, 4)))
        res = [f"{i + 1}. {fill(f, r)}" for i, f in enumerate(fixes)]
        if r.random() < 0.3:
            res.append(f"{len(res) + 1}. Retry the {comp} and check that `{err2}` is gone from the log.")
        cause = " ".join(r.sample(fam["causes"], r.randint(1, 2)))
        body = ["## Issue", *issue]
        full = state in ("validated", "not-validated") or r.random() < 0.6
        if full:
            body += ["## Environment", *env, "## Resolution", *res]
        if full or r.random() < 0.5:
            body += ["## Cause", cause]
        if r.random() < 0.35:
            body += ["## Internal", "- " + r.choice(INTERNAL).format(n=r.randint(2, 40), vm=FILL["vm"](r))]
        return aid, "\n".join(fm + body) + "\n"

    # ---- queries ---------------------------------------------------------
    def words_of(self, fam):
        text = " ".join([self.error(fam), self.r.choice(fam["symptoms"]), self.r.choice(fam["components"])])
        ws = [w for w in re.findall(r"[A-Za-z][A-Za-z]{3,}", fill(text, self.r))]
        return ws or ["backup"]

    def query(self):
        r = self.r
        fam = r.choices(FAMILIES, weights=FAMILY_WEIGHTS)[0]
        kind = r.choices(["word", "words", "phrase", "prefix", "code", "log"], weights=[15, 25, 15, 15, 10, 20])[0]
        if kind == "word":
            return kind, r.choice(self.words_of(fam)).lower()
        if kind == "words":
            ws = self.words_of(fam)
            return kind, " ".join(r.sample(ws, min(len(ws), r.randint(2, 4))))
        if kind == "phrase":
            ws = re.findall(r"[A-Za-z]+", self.error(fam))
            if len(ws) < 2:
                ws = ["connection", "reset"]
            k = r.randint(2, min(4, len(ws)))
            i = r.randrange(len(ws) - k + 1)
            return kind, '"' + " ".join(ws[i:i + k]) + '"'
        if kind == "prefix":
            w = r.choice(self.words_of(fam)).lower()
            return kind, w[:max(3, len(w) - r.randint(1, 4))] + "*"
        if kind == "code":
            codes = re.findall(r"0x[0-9a-fA-F]{8}|AH0\d{4}|WSAE[A-Z]+|NBD_ERR_[A-Z]+|KRB_[A-Z_]+|ERROR_[A-Z_]+|"
                               r"[A-Z][a-z]+Exception|\b[A-Z]{2,}_[A-Z_]+\b", " ".join(e for f in FAMILIES for e in f["errors"]))
            codes += ["0x800f0805", "WSAECONNRESET", "0x80070005", "AH00161", "10060", "OOMKilled"]
            return kind, r.choice(sorted(set(codes)))
        return kind, self.log_line(fam)

    def log_line(self, fam, msg=None):
        r = self.r
        msg = msg or self.error(fam)
        t = dt.datetime(2024, 1, 1) + dt.timedelta(seconds=r.randrange(300 * 86400))
        lvl = r.choice(["Error", "Warning", "ERROR", "WARN"])
        return fam["log"].format(
            dmy=t.strftime("%d.%m.%Y"), hms=t.strftime("%H:%M:%S"), tid=f"{r.randint(1, 99):02d}",
            lvl=lvl if fam["log"].startswith("[{dmy}") else lvl.upper(), msg=msg,
            iso=t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{r.randrange(1000):03d}Z",
            comp=r.choice(["main", "worker-3", "pool-2-thread-1", "scheduler"]),
            syslog=t.strftime("%b %d %H:%M:%S").replace(" 0", "  ", 1) if t.day < 10 else t.strftime("%b %d %H:%M:%S"),
            host=r.choice(VMS), short=r.choice(["LabSZ", "bastion01", "web02"]),
            uptime=f"{r.randint(1, 999999):6d}.{r.randrange(10**6):06d}", pid=r.randint(300, 65000),
            hdfs=t.strftime("%y%m%d %H%M%S"), pid3=r.randint(1, 999),
            cls=r.choice(["dfs.DataNode$DataXceiver", "dfs.FSNamesystem", "dfs.DataNode$PacketResponder"]),
            apache=t.strftime("%a %b %d %H:%M:%S.") + f"{r.randrange(10**6):06d} {t.year}",
            mod=r.choice(["core", "proxy", "authz_core", "mpm_event", "mpm_prefork"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--seed", default=SEED)
    ap.add_argument("--queries", help="also write search queries here (KIND<TAB>QUERY a line)")
    ap.add_argument("--nqueries", type=int, default=1000)
    a = ap.parse_args()
    if a.count < 0 or a.nqueries < 0:
        ap.error("counts must not be negative")
    os.makedirs(a.outdir, exist_ok=True)
    g = Gen(a.seed)
    total = 0
    for _ in range(a.count):
        aid, text = g.article()
        data = text.encode("utf-8")
        with open(os.path.join(a.outdir, aid + ".md"), "wb") as f:
            f.write(data)
        total += len(data)
    if a.queries:
        q = Gen(a.seed + "-queries")
        with open(a.queries, "w", encoding="utf-8") as f:
            for _ in range(a.nqueries):
                kind, text = q.query()
                f.write(f"{kind}\t{text}\n")
    print(f"wrote {a.count} articles ({total} bytes) to {a.outdir}"
          + (f" and {a.nqueries} queries to {a.queries}" if a.queries else ""))


if __name__ == "__main__":
    sys.exit(main())
