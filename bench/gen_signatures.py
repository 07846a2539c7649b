#!/usr/bin/env python3
"""Generate a deterministic signature library for bench/scan.sh.

    python3 bench/gen_signatures.py N OUT [--match-frac F] [--list] [--playbooks DIR]

Writes N distinct patterns, one per line, to OUT (``-`` for stdout).  They are
the kind of thing a support engineer collects while triaging bundles: error
strings from Veeam B&R, OpenSSH, the Linux kernel, HDFS/YARN, Apache httpd and
Java/.NET applications (see /work/shared/domain/catalogue.md), plus variations
built by combining vocabularies (components x error phrases, product error
codes, user/host/job/VM-name templates, exception classes x prefixes).

Every pattern uses the syntax that `grep -E`, ripgrep, PCRE2 and Hyperscan all
read the same way:

  * literal metacharacters escaped with a backslash (\\. \\[ \\] \\( \\) \\* \\+ \\? \\| \\$);
  * classes spelled out ([0-9], [a-z], [0-9a-f], [^"]) or POSIX ([[:space:]]);
  * groups are plain (a|b), quantifiers ? + * {n} {n,m};
  * no back-references, look-around, \\d \\s \\w \\b, no (?:...), no $ anchor
    (Veeam logs are CRLF), no braces as literals, nothing that matches "".

Patterns are case-sensitive.  Which patterns match the benchmark corpus is not
guessed: every candidate is tested (Python re) against sample lines built from
bench/gen_corpus.py's own templates and prefixes, and each set gets about
--match-frac (default 0.10, at least 2) of patterns that match, the rest from
the non-matching pool.  The output depends only on N and --match-frac.

--playbooks DIR also writes the same N signatures as a playbook library for
`casebook triage -p DIR` (docs/playbook-format.md): playbooks of 10 signatures,
each with one check node over all of them.
"""

import argparse
import datetime as dt
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus  # noqa: E402  (same directory)

SEED = "casebook-signatures-1"


def esc(s):
    """Escape a literal for grep -E / PCRE / Rust regex alike."""
    return re.sub(r"([.\[\]()*+?{}|^$\\])", r"\\\1", s)


# --------------------------------------------------------------------------
# Hand-written signatures, most important first (the small sets draw from here)
# --------------------------------------------------------------------------

CORE = [
    # The classic ones first: the 10-signature set is drawn from the head of this list.
    r"Failed password for (invalid user )?[a-z]+ from",
    r"Out of memory: Kill(ed)? process [0-9]+",
    r"blk_update_request: I/O error, dev sd[a-z]",
    r"NIC Link is (Up|Down)",
    r"could only be (replicated|written) to 0",
    r"AH0[0-9]{4}",
    r"Error code: 0x8004[0-9a-f]{4}",
    r"Did not receive identification string from [0-9.]+",
    r"An existing connection was forcibly closed by the remote host",
    r"Cannot use advanced transport modes, failing over to NBD",
    # SSH (catalogue S01/S02)
    r"Failed password for (invalid user )?[a-z]+ from",
    r"Disconnecting: Too many authentication failures for (invalid user )?[a-z]+",
    r"error: maximum authentication attempts exceeded for (invalid user )?[a-z]+ from",
    r"Did not receive identification string from [0-9.]+",
    r"PAM service\(sshd\) ignoring max retries; [0-9]+ > [0-9]+",
    r"reverse mapping checking getaddrinfo for [^ ]+ \[[0-9.]+\] failed - POSSIBLE BREAK-IN ATTEMPT!",
    r"message repeated [0-9]+ times: \[ Failed password for",
    r"Invalid user [a-z0-9_.-]+ from [0-9.]+",
    r"pam_unix\(sshd:auth\): authentication failure;.*rhost=[0-9.]+ +user=root",
    r"Accepted (password|publickey) for root from",
    # Kernel (K01-K03)
    r"Out of memory: Kill(ed)? process [0-9]+",
    r"blk_update_request: I/O error, dev sd[a-z]",
    r"NIC Link is (Up|Down)",
    r"[a-z0-9_-]+ invoked oom-killer: gfp_mask=0x[0-9a-f]+",
    r"Memory cgroup out of memory: Kill(ed)? process [0-9]+",
    r"oom_reaper: reaped process [0-9]+",
    r"Buffer I/O error on dev sd[a-z]+[0-9]*, logical block [0-9]+",
    r"EXT4-fs \(sd[a-z]+[0-9]*\): I/O error while writing superblock",
    r"\[sd[a-z]+\] tag#[0-9]+ FAILED Result: hostbyte=DID_[A-Z_]+",
    r"ata[0-9]+\.[0-9]+: exception Emask 0x[0-9a-f]+",
    r"nvme nvme[0-9]+: controller is down; will reset",
    r"NIC Link is Up [0-9]+ Mbps (Full|Half) Duplex",
    r"eth[0-9]+: link up, (10|100)Mbps",
    r"ALERT exited abnormally with \[[0-9]+\]",
    r"klogind\[[0-9]+\]: Kerberos authentication failed",
    # HDFS / YARN (H01-H03)
    r"could only be (replicated|written) to 0",
    r"could only be replicated to 0 nodes instead of minReplication \(=[0-9]+\)",
    r"NameNode low on available disk space\. Entering safe mode",
    r"STATE\* Safe mode is ON",
    r"Under replicated BP-[0-9]+-[0-9.]+-[0-9]+:blk_[0-9]+",
    r"PendingReplicationMonitor timed out block blk_-?[0-9]+",
    r"BLOCK\* ask [0-9.:]+ to replicate blk_-?[0-9]+ to",
    r"Got exception while serving blk_-?[0-9]+ to /[0-9.]+",
    r"Failed to renew lease for \[DFSClient_NONMAPREDUCE_[0-9]+_[0-9]+\] for [0-9]+ seconds",
    r"ERROR IN CONTACTING RM",
    r"Retrying connect to server: [a-z0-9.-]+:[0-9]+\. Already tried [0-9]+ time",
    r"is running beyond (physical|virtual) memory limits",
    r"Detected pause in JVM or host machine \(eg GC\): pause of approximately [0-9]+ms",
    r"Slow BlockReceiver write (packet to mirror|data to disk) took [0-9]+ms",
    r"DataXceiver error processing (READ_BLOCK|WRITE_BLOCK|COPY_BLOCK) operation",
    r"Deleting block blk_-?[0-9]+ file /mnt/hadoop/dfs/data/current/subdir[0-9]+",
    r"Address change detected\. Old: [a-z0-9.-]+/[0-9.]+:[0-9]+",
    # Apache (A01-A03)
    r"AH0[0-9]{4}",
    r"AH00161: server reached MaxRequestWorkers setting",
    r"AH01630: client denied by server configuration: /",
    r"AH00052: child pid [0-9]+ exit signal Segmentation fault \(11\)",
    r"AH01102: error reading status line from remote server [0-9.]+:[0-9]+",
    r"mod_jk child workerEnv in error state [0-9]+",
    r"\[error\] \[client [0-9.]+\] Directory index forbidden by rule: /",
    r"\[error\] \[client [0-9.]+\] File does not exist: /var/www/html/",
    r"script not found or unable to stat: /var/www/cgi-bin/[a-z]+\.pl",
    r"child process [0-9]+ still did not exit, sending a SIG(TERM|KILL)",
    # Veeam (V01-V16)
    r"An existing connection was forcibly closed by the remote host",
    r"Unstable connection: unable to transmit data",
    r"Cannot use advanced transport modes, failing over to NBD",
    r"SSL Async Handshake Timeout : Read timeout after approximately [0-9]+ms",
    r"Detected mode \[(nbd|[a-z]+;nbd)\] for proxy",
    r"Failed to open NBD extent",
    r"NBD_ERR_(GENERIC|INSUFFICIENT_RESOURCES|NETWORK_CONNECT)",
    r"CBT data is invalid, failing over to legacy incremental backup",
    r"VSSControl: Failed to (prepare guest for freeze|freeze guest), wait timeout [0-9]+ sec",
    r"Failed to call RPC function 'Vss\.KeepSnapshot'",
    r"Error code: 0x8004[0-9a-f]{4}",
    r"0x800423[fF][34]",
    r"The host is not licensed for this feature",
    r"There is not enough space on the disk",
    r"No space left on device",
    r"The remote certificate is invalid according to the validation procedure",
    r"No such host is known",
    r"Operation was canceled by user [A-Za-z0-9_.-]+\\[A-Za-z0-9_.-]+",
    r"Stop signal has been received",
    r"Job session '[0-9a-f-]+' has been completed, status: '(Warning|Failed)'",
    r"License key .* is about to expire in [0-9]+ [Dd]ays",
    r"You have exceeded your licensed limit of [0-9]+ instances by [0-9]+",
    r"Backup meta does not exist \(MetaLink='",
    r"Failed to create snapshot for VM '[^']+': timeout after [0-9]+ ms",
    r"Failed to connect to transport service on host '[0-9.]+' port [0-9]+",
    r"The remote server returned an error: \(50[0-9]\)",
    r"missed its start window by [0-9]+ ms",
    r"Disk read slow: [0-9]{4} ms",
    r"\(Veeam\.Backup\.Common\.C[A-Za-z]+Exception\)",
    r"Unable to allocate processing resources\. Error: ",
    r"All instances of the storage metadata are corrupted",
    r"NFC storage connection is unavailable",
    r"Cannot complete login due to an incorrect user name or password",
    r"Agent failed to process method ",
    r"Shared memory connection was closed",
    r"The process cannot access the file because it is being used by another process",
    r"Failed to inventory guest system",
    r"Unable to truncate (SQL Server|Microsoft SQL Server|Exchange) (transaction )?logs",
    # Applications
    r"Connection to [0-9.]+:5432 refused; retry [0-9]+/[0-9]+",
    r"Slow query \([0-9]{4,} ms\)",
    r"HikariPool-[0-9]+ - Connection is not available, request timed out after [0-9]+ms",
    r"\(status=5[0-9][0-9]\)",
    r"Deadlock found when trying to get lock",
    r"FATAL: +(remaining connection slots are reserved|sorry, too many clients already)",
    r"OutOfMemoryError: (Java heap space|GC overhead limit exceeded|Metaspace|unable to create new native thread)",
    r'Exception in thread "[^"]+" java\.[a-z.]+\.[A-Za-z]+(Exception|Error)',
    r"at com\.example\.orders\.OrderService\.place\(OrderService\.java:[0-9]+\)",
    r"for customer [0-9]+ \(Zoë Müller",
    r"^\[[0-9]{2}\.[0-9]{2}\.[0-9]{4} [0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]{3})?\] <[ 0-9]+> Error",
    r"^[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [A-Za-z0-9-]+ sshd\[[0-9]+\]: Failed",
]

# --------------------------------------------------------------------------
# Vocabularies for the combinatorial families
# --------------------------------------------------------------------------

SSH_USERS = gen_corpus.USERS + [
    "administrator", "operator", "ftp", "nobody", "hadoop", "zabbix", "jenkins", "ansible", "vagrant",
    "centos", "ec2-user", "odoo", "minecraft", "steam", "ts3", "ubnt", "user1", "test1", "admin1",
    "elastic", "redis", "docker", "sysadmin", "demo", "dev", "info", "sales", "web", "apache", "nginx"]

VEEAM_COMPONENTS = ["ProxyDetector", "Soap", "AgentMngr", "CBackupTaskSession", "CProxyRpcInvoker", "VimApi",
                    "Repository", "BackupSrv", "RpcServer", "Scheduler", "Licensing", "DB", "ViSoap",
                    "SanSnapshot", "TaskManager", "ResourceScheduler", "GuestProcessing", "VssControl",
                    "TapeServer", "WanAccelerator", "CloudGateway", "ObjectStorage", "Catalog", "Mount"]
VEEAM_PHRASES = ["Failed to connect", "The operation has timed out", "Connection refused",
                 "An existing connection was forcibly closed", "Access is denied",
                 "Object reference not set to an instance of an object", "Unable to release the lock",
                 "Failed to process method", "Retrying in [0-9]+ sec", "Invalid credentials",
                 "The RPC server is unavailable", "Server Unavailable", "The underlying connection was closed",
                 "Request canceled", "Task was cancelled", "Not enough storage is available"]

VEEAM_JOBS = gen_corpus.JOBS + [
    "SQL_Prod", "Exchange_DAG", "VMware_Daily", "HyperV_Weekly", "Backup_Copy_Offsite", "NAS_Backup",
    "Oracle_RMAN", "SureBackup_Lab", "Replica_DR_Site", "Tape_GFS_Monthly", "Agent_Linux_Servers",
    "Agent_Workstations", "M365_Exchange_Online", "File_Share_Backup", "CloudConnect_Copy",
    "Immutable_Repo_Copy", "Hardened_Repo", "DB_Tier0", "Citrix_VDI", "ERP_Nightly"]
VEEAM_VMS = gen_corpus.VMS + [
    "SQL02", "EXCH-01", "DC02", "ADFS01", "WSUS", "web-frontend-1", "app_srv_03", "Citrix-DDC01", "RDS-GW",
    "SAP-HANA-01", "ORA-RAC1", "k8s-master-01", "gitlab", "confluence", "veeam-proxy-02", "mgmt-jump"]

HRESULTS = ["0x80004005", "0x80070005", "0x80070057", "0x8007000e", "0x80070070", "0x800706ba", "0x800706be",
            "0x80070079", "0x80072ee2", "0x800423f0", "0x800423f1", "0x800423f2", "0x800423f3", "0x800423f4",
            "0x8004230f", "0x80042301", "0x80042302", "0x80042304", "0x80042306", "0x80042308", "0x80042312",
            "0x80042313", "0x80042314", "0x80042315", "0x80042316", "0x80042317", "0x8004231f", "0x800401fd",
            "0x80041001", "0x80041003", "0x80041010", "0x80040154", "0x80131500", "0x80131509", "0xc0000005",
            "0x80070020", "0x80070015", "0x8007045d", "0x80070490", "0x800705b4"]
HRESULT_PREFIX = ["Error code: ", "HRESULT: ", "hr=", r"\(", "Code: "]

APACHE_AH = [
    ("AH00016", "Configuration Failed"),
    ("AH00052", "child pid [0-9]+ exit signal Segmentation fault"),
    ("AH00060", "seg fault or similar nasty error detected in the parent process"),
    ("AH00072", "make_sock: could not bind to address"),
    ("AH00124", "Request exceeded the limit of [0-9]+ internal redirects"),
    ("AH00126", "Invalid URI in request"),
    ("AH00128", "File does not exist: /"),
    ("AH00161", "server reached MaxRequestWorkers setting"),
    ("AH00169", "caught SIGTERM, shutting down"),
    ("AH00171", "Graceful restart requested, doing restart"),
    ("AH00288", "scoreboard is full, not at MaxRequestWorkers"),
    ("AH00451", "no listening sockets available, shutting down"),
    ("AH00484", "server reached MaxRequestWorkers setting"),
    ("AH00485", "scoreboard is full, not at MaxRequestWorkers"),
    ("AH00558", "Could not reliably determine the server's fully qualified domain name"),
    ("AH00898", "Error reading from remote server returned by /"),
    ("AH00957", "HTTP: attempt to connect to [0-9.]+:[0-9]+ \\([a-z0-9.-]+\\) failed"),
    ("AH00959", "ap_proxy_connect_backend disabling worker for \\([a-z0-9.-]+\\)"),
    ("AH01067", "Failed to read FastCGI header"),
    ("AH01071", "Got error 'Primary script unknown"),
    ("AH01075", "Error dispatching request to :"),
    ("AH01079", "failed to make connection to backend: [a-z0-9.-]+"),
    ("AH01102", "error reading status line from remote server"),
    ("AH01114", "HTTP: failed to make connection to backend: [a-z0-9.-]+"),
    ("AH01144", "No protocol handler was valid for the URL"),
    ("AH01264", "script not found or unable to stat: /"),
    ("AH01276", "Cannot serve directory /[^:]+: No matching DirectoryIndex"),
    ("AH01617", "user [a-z0-9_.-]+: authentication failure for \"/"),
    ("AH01618", "user [a-z0-9_.-]+ not found: /"),
    ("AH01630", "client denied by server configuration: /"),
    ("AH01797", "client denied by server configuration: /"),
    ("AH01909", "server certificate does NOT include an ID which matches the server name"),
    ("AH02032", "Hostname [a-z0-9.-]+ provided via SNI and hostname [a-z0-9.-]+ provided via HTTP"),
    ("AH02311", "Fatal error initialising mod_ssl, exiting"),
    ("AH02429", "Response header name '[^']+' contains invalid characters, aborting request"),
    ("AH02454", "FCGI: attempt to connect to Unix domain socket /[^ ]+ \\([a-z0-9.-]+\\) failed"),
]
APACHE_MODULES = ["core", "mpm_prefork", "mpm_event", "mpm_worker", "proxy", "proxy_fcgi", "proxy_http", "ssl",
                  "authz_core", "auth_basic", "autoindex", "cgi", "cgid", "rewrite", "php7", "php", "http",
                  "negotiation", "security2", "reqtimeout"]

NIC_DRIVERS = ["e1000e", "e1000", "igb", "igc", "ixgbe", "i40e", "ice", "bnx2", "bnx2x", "tg3", "r8169",
               "mlx5_core", "vmxnet3", "qede", "be2net"]
NIC_EVENTS = ["NIC Link is Down", "NIC Link is Up [0-9]+ Mbps Full Duplex", "Reset adapter",
              "Detected Hardware Unit Hang", "Detected Tx Unit Hang", "transmit queue [0-9]+ timed out",
              "link down", "adapter reset"]
NIC_IF = ["eth[0-9]+", "eno[0-9]+", "enp[0-9]+s[0-9]+(f[0-9]+)?", "ens[0-9]+"]

OOM_PROCS = ["java", "mysqld", "postgres", "httpd", "nginx", "python3", "node", "chrome", "firefox", "mongod",
             "elasticsearch", "redis-server", "dockerd", "kubelet", "containerd", "veeamagent", "veeamtransport",
             "qemu-kvm", "splunkd", "influxd", "clickhouse-serv", "php-fpm"]

DISK_DEV = ["sd[a-z]+", "sd[a-z]+[0-9]+", "dm-[0-9]+", "nvme[0-9]+n[0-9]+", "nvme[0-9]+n[0-9]+p[0-9]+",
            "vd[a-z]+", "xvd[a-z]+", "md[0-9]+"]
DISK_EVENTS = [
    "blk_update_request: I/O error, dev {d}, sector [0-9]+",
    "blk_update_request: critical medium error, dev {d}, sector [0-9]+",
    "blk_update_request: critical target error, dev {d}",
    "Buffer I/O error on dev {d}, logical block [0-9]+",
    "EXT4-fs error \\(device {d}\\)",
    "EXT4-fs \\({d}\\): Remounting filesystem read-only",
    "EXT4-fs warning \\(device {d}\\): ext4_end_bio",
    "XFS \\({d}\\): metadata I/O error",
    "XFS \\({d}\\): Corruption detected\\. Unmount and run xfs_repair",
    "XFS \\({d}\\): log I/O error",
    "BTRFS error \\(device {d}\\)",
    "I/O error, dev {d}, sector [0-9]+ op 0x[0-9a-f]+:\\((READ|WRITE)\\)",
]

KERNEL_MISC = [
    r"soft lockup - CPU#[0-9]+ stuck for [0-9]+s!",
    r"task [a-z0-9_/.:-]+:[0-9]+ blocked for more than [0-9]+ seconds",
    r"INFO: task [a-z0-9_/.:-]+ blocked for more than [0-9]+ seconds",
    r"Kernel panic - not syncing",
    r"general protection fault",
    r"segfault at [0-9a-f]+ ip [0-9a-f]+ sp [0-9a-f]+ error [0-9]+",
    r"BUG: unable to handle (kernel )?(NULL pointer dereference|paging request)",
    r"watchdog: BUG: soft lockup",
    r"rcu_sched self-detected stall on CPU",
    r"rcu: INFO: rcu_sched detected stalls on CPUs",
    r"mce: \[Hardware Error\]",
    r"EDAC MC[0-9]+: [0-9]+ (CE|UE) ",
    r"nf_conntrack: table full, dropping packet",
    r"TCP: out of memory -- consider tuning tcp_mem",
    r"possible SYN flooding on port [0-9]+\. Sending cookies",
    r"device-mapper: multipath: Failing path [0-9]+:[0-9]+",
    r"hung_task_timeout_secs",
    r"ata[0-9]+: hard resetting link",
    r"ata[0-9]+: link is slow to respond",
    r"ata[0-9]+\.[0-9]+: failed command: (READ|WRITE) FPDMA QUEUED",
    r"ata[0-9]+: SATA link down",
    r"nvme nvme[0-9]+: I/O [0-9]+ QID [0-9]+ timeout, aborting",
    r"nvme nvme[0-9]+: I/O [0-9]+ QID [0-9]+ timeout, reset controller",
    r"sd [0-9]+:[0-9]+:[0-9]+:[0-9]+: \[sd[a-z]+\] Sense Key : Medium Error",
    r"sd [0-9]+:[0-9]+:[0-9]+:[0-9]+: \[sd[a-z]+\] Unhandled sense code",
    r"sd [0-9]+:[0-9]+:[0-9]+:[0-9]+: rejecting I/O to offline device",
    r"systemd\[1\]: [A-Za-z0-9@_.-]+\.service: Main process exited, code=(killed|exited), status=[0-9]+",
    r"systemd\[1\]: Failed to start [A-Za-z0-9 ._-]+\.",
    r"systemd-journald\[[0-9]+\]: Journal file .* is truncated, ignoring file",
    r"CIFS VFS: (Send error in|cifs_mount failed|Server [^ ]+ has not responded)",
    r"nfs: server [a-z0-9.-]+ not responding, (still trying|timed out)",
    r"NETDEV WATCHDOG: [a-z0-9]+ \([a-z0-9_]+\): transmit queue [0-9]+ timed out",
    r"ixgbe [0-9a-f:.]+: Detected Tx Unit Hang",
    r"bond[0-9]+: link status definitely down for interface [a-z0-9]+",
    r"FAILED SU \(to root\) [a-z]+ on",
    r"sudo: +[a-z0-9_-]+ : [0-9]+ incorrect password attempts",
    r"pam_unix\(sudo:auth\): authentication failure",
    r"su\(pam_unix\)\[[0-9]+\]: authentication failure",
    r"authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=[0-9.]+",
    r"session opened for user root by \(uid=0\)",
]

SSH_MISC = [
    r"Bad protocol version identification '[^']*' from [0-9.]+",
    r"Connection reset by [0-9.]+ port [0-9]+ \[preauth\]",
    r"fatal: Read from socket failed: Connection reset by peer",
    r"Unable to negotiate with [0-9.]+ port [0-9]+: no matching (key exchange method|host key type|cipher|MAC) found",
    r"ssh_dispatch_run_fatal: Connection from [0-9.]+ port [0-9]+: (message authentication code incorrect|Connection corrupted)",
    r"Corrupted MAC on input",
    r"PAM [0-9]+ more authentication failures?;",
    r"Authentication refused: bad ownership or modes for (directory|file) /",
    r"User [a-z0-9_.-]+ from [0-9.]+ not allowed because not listed in AllowUsers",
    r"User [a-z0-9_.-]+ from [0-9.]+ not allowed because a group is listed in DenyGroups",
    r"Received disconnect from [0-9.]+( port [0-9]+)?: 11: Bye Bye \[preauth\]",
    r"Received disconnect from [0-9.]+( port [0-9]+)?:3: com\.jcraft\.jsch\.JSchException: Auth fail",
    r"Connection closed by (authenticating|invalid) user [a-z0-9_.-]+ [0-9.]+ port [0-9]+ \[preauth\]",
    r"error: kex_exchange_identification: (Connection closed by remote host|read: Connection reset by peer)",
    r"error: Received disconnect from [0-9.]+ port [0-9]+:[0-9]+: .* \[preauth\]",
    r"Timeout before authentication for [0-9.]+",
    r"drop connection #[0-9]+ from \[[0-9.]+\]:[0-9]+ on \[[0-9.]+\]:22 past MaxStartups",
    r"pam_unix\(sshd:auth\): check pass; user unknown",
    r"input_userauth_request: invalid user [a-z0-9_.-]+ \[preauth\]",
    r"Failed (publickey|keyboard-interactive/pam) for (invalid user )?[a-z0-9_.-]+ from [0-9.]+",
    r"Failed password for .* from (61|218|222|112|183)\.[0-9]+\.[0-9]+\.[0-9]+ port",
    r"rhost=(61|218|222|112|183)\.[0-9]+\.[0-9]+\.[0-9]+ +user=",
    r"Connection closed by [0-9.]+ port [0-9]+ \[preauth\]",
    r"sshd\[[0-9]+\]: error: PAM: Authentication failure for (illegal user )?[a-z0-9_.-]+ from",
]

HADOOP_MISC = [
    r"java\.io\.IOException: Premature EOF from inputStream",
    r"SocketTimeoutException: [0-9]+ millis timeout while waiting for channel to be ready for (read|write)",
    r"Slow ReadProcessor read fields took [0-9]+ms",
    r"Container killed by the ApplicationMaster",
    r"Container killed on request\. Exit code is (137|143)",
    r"Diagnostics report from attempt_[0-9]+_[0-9]+_[mr]_[0-9]+_[0-9]+: Error",
    r"Redundant addStoredBlock request received for blk_-?[0-9]+",
    r"Exception in receiveBlock for block blk_-?[0-9]+",
    r"writeBlock blk_-?[0-9]+ received exception",
    r"Requested data length [0-9]+ is longer than maximum configured RPC length [0-9]+",
    r"Session expired for /hbase",
    r"ZooKeeper .*(Session expired|ConnectionLoss)",
    r"BlockMissingException: Could not obtain block: BP-[0-9]+",
    r"Not enough replicas was chosen\. Reason:",
    r"Failed to place enough replicas, still in need of [0-9]+ to reach [0-9]+",
    r"PriviledgedActionException as:[a-z]+ \(auth:[A-Z]+\)",
    r"Lease expired on /",
    r"No lease on /[^ ]+ \(inode [0-9]+\)",
    r"IPC Server handler [0-9]+ on [0-9]+, call .* error: ",
    r"Shuffle Error: Exceeded MAX_FAILED_UNIQUE_FETCHES",
    r"ShuffleError",
    r"Task attempt_[0-9_]+_[mr]_[0-9]+_[0-9]+ failed [0-9]+ times",
    r"Application application_[0-9]+_[0-9]+ failed [0-9]+ times due to",
    r"ERROR [a-z.]+\.YarnChild: Error running child",
    r"ERROR IN CONTACTING RM\.",
    r"Reduce slow start threshold not met",
    r"headroom=<memory:0, vCores:",
    r"Received block blk_-?[0-9]+ of size [0-9]+ from /10\.251\.",
    r"MSRA-SA-[0-9]+\.fareast\.corp\.microsoft\.com",
    r"WARN \[LeaseRenewer:[a-z]+@[a-z0-9.-]+:[0-9]+\]",
]
HDFS_NODES = ["10\\.250\\.%d\\." % i for i in (10, 11, 14, 15, 19)] + \
             ["10\\.251\\.%d\\." % i for i in (30, 31, 35, 38, 39, 42, 43, 65, 66, 71, 90, 91, 106, 107, 110, 111)]

APP_MISC = [
    r"Connection is not available, request timed out after [0-9]+ms",
    r"circuit breaker '[a-z-]+' (is OPEN|changed state to OPEN)",
    r"Rate limit exceeded for client [A-Za-z0-9_-]+",
    r"JWT expired at [0-9]{4}-[0-9]{2}-[0-9]{2}T",
    r"could not serialize access due to concurrent update",
    r'duplicate key value violates unique constraint "[a-z_]+"',
    r"too many connections",
    r"Too many open files",
    r"Connection refused \(Connection refused\)",
    r"Read timed out",
    r"Broken pipe",
    r"SSLHandshakeException: (PKIX path building failed|Received fatal alert: [a-z_]+)",
    r"certificate has expired",
    r"ERROR \[[a-z0-9#-]+\] c\.e\.[a-z.]+\.[A-Za-z]+ - Connection to",
    r"WARN  \[[a-z0-9-]+\] [a-z.]+\.SqlExceptionHelper - SQL Error: [0-9]+, SQLState: [0-9A-Z]+",
    r"Slow query \([0-9]{4,} ms\): SELECT \* FROM orders",
    r"status=(4|5)[0-9]{2}\)",
    r"Request [0-9a-f-]+ handled in [0-9]{4,} ms",
    r"cache hit ratio 0\.0[0-9]+ for region",
    r"pool-[0-9]+-thread-[0-9]+\] c\.e\.billing\.InvoiceJob - (Failed|Error)",
]

DOTNET_EXC = ["System.Net.WebException", "System.TimeoutException", "System.IO.IOException",
              "System.UnauthorizedAccessException", "System.NullReferenceException", "System.OutOfMemoryException",
              "System.ObjectDisposedException", "System.Net.Sockets.SocketException",
              "System.ServiceModel.CommunicationException", "System.Data.SqlClient.SqlException",
              "System.ComponentModel.Win32Exception", "System.Runtime.InteropServices.COMException",
              "System.InvalidOperationException", "System.ArgumentException", "System.AggregateException",
              "Veeam.Backup.Common.CCppComponentException", "Veeam.Backup.Common.CStopSessionException",
              "Veeam.Backup.Common.CRegeneratedTraceException", "Veeam.Backup.AgentProvider.AgentClosedException",
              "Veeam.Backup.Common.CAppException", "System.Threading.Tasks.TaskCanceledException"]
JAVA_EXC = ["java.net.ConnectException", "java.net.SocketTimeoutException", "java.io.IOException",
            "java.io.EOFException", "java.lang.OutOfMemoryError", "java.lang.NullPointerException",
            "java.lang.IllegalStateException", "java.lang.InterruptedException",
            "java.util.concurrent.TimeoutException", "java.sql.SQLTransientConnectionException",
            "org.postgresql.util.PSQLException", "org.apache.hadoop.ipc.RemoteException",
            "org.apache.hadoop.hdfs.BlockMissingException", "org.apache.hadoop.security.AccessControlException",
            "org.springframework.dao.DataAccessResourceFailureException",
            "com.zaxxer.hikari.pool.HikariPool$PoolInitializationException", "javax.net.ssl.SSLHandshakeException",
            "java.nio.channels.ClosedChannelException", "org.apache.kafka.common.errors.TimeoutException",
            "java.util.ConcurrentModificationException", "java.lang.StackOverflowError"]

DNS_SCANNERS = gen_corpus.HOSTS_DNS + [
    "unassigned.psychz.net", "scan.censys.io", "ip-185-220-101-1.tor-exit.example", "static.hostinger.com",
    "vps-123.contabo.host", "h-123-45-67-89.a.example.net", "crawl-66-249-66-1.googlebot.com",
    "ec2-3-91-12-4.compute-1.amazonaws.com", "li1234-56.members.linode.com", "no-reverse-dns-configured.com"]

VEEAM_EVENT_TEXT = [
    "License key .* has expired",
    "License is about to expire",
    "Failed to synchronize [0-9]+ points",
    "Backup file is locked",
    "Failed to load content of backup",
    "Failed to call RPC function '[A-Za-z.]+'",
    "Failed to open VDDK disk",
    "Failed to prepare guest for hot backup",
    "Error: Storage not initialized",
    "Timed out waiting for task",
    "ChannelError: ConnectionReset",
    "Changed block tracking cannot be enabled",
    "Failed to upload disk",
    "Failed to preprocess target",
    "Processing finished with errors",
    "Processing finished with warnings",
    "Merge failed",
    "Synthetic full backup creation failed",
    "Health check (failed|found corrupted blocks)",
    "Backup Copy job '[^']+' was stopped",
    "Cannot find (VM|object|host) '",
    "SSLHandshakeTimeoutException",
    "Vmacore::Ssl::SSLHandshakeTimeoutException",
    "Resolved by NTLM strategy ip addresses and host names",
    "Updating repository space info, id: '[0-9a-f-]+', total space: [0-9]+, free: [0-9]{1,9},",
    "Checking free space",
    "Snapshot timeout occurred",
    "VEEAM BACKUP TEMPORARY SNAPSHOT",
    "RemoveSnapshot, type \"VirtualMachineSnapshot\"",
    "Needs consolidation",
    "Detected mode \\[san;nbd\\]",
    "Primary bottleneck: (Network|Target|Proxy)",
    "Primary bottleneck: Source",
    "Load: Source (9[0-9]|100)% > Proxy",
    "state changed to 'Failed'",
    "Instances used: [0-9]+ of [0-9]+",
    "Executing stored procedure \\[[A-Za-z]+\\], duration [0-9]{4} ms",
    "Job session '[0-9a-f-]+' has been completed, status: 'Success', 0 of",
    "speed [0-9]{1,2} KB/s",
    "<[0-9]{2}> Warning      \\[Scheduler\\]",
    "<[0-9]{2}> Error        \\[Soap\\]",
    "\\[CCryptoKeyRecryptor\\(Backup:[0-9a-f-]+\\)\\]",
    "at Veeam\\.Backup\\.Core\\.[A-Za-z]+\\.[A-Za-z]+\\(",
    "at System\\.Net\\.HttpWebRequest\\.GetResponse\\(\\)",
    "Operation was canceled by user LISA_VBR11\\\\Administrator",
]


def candidates():
    """Yield every candidate signature, in a fixed order."""
    yield from CORE
    yield from KERNEL_MISC
    yield from SSH_MISC
    yield from HADOOP_MISC
    yield from APP_MISC
    yield from VEEAM_EVENT_TEXT
    for u in SSH_USERS:
        uu = esc(u)
        yield "Invalid user %s from [0-9.]+" % uu
        yield "Failed password for invalid user %s from [0-9.]+ port [0-9]+" % uu
        yield "Failed password for %s from [0-9.]+ port [0-9]+ ssh2" % uu
        yield "Accepted (password|publickey) for %s from [0-9.]+" % uu
        yield "input_userauth_request: invalid user %s \\[preauth\\]" % uu
        yield "Too many authentication failures for %s" % uu
    for d in DNS_SCANNERS:
        yield "reverse mapping checking getaddrinfo for %s \\[[0-9.]+\\]" % esc(d)
    for comp in VEEAM_COMPONENTS:
        for ph in VEEAM_PHRASES:
            yield "\\[%s\\] .*%s" % (comp, ph)
    for j in VEEAM_JOBS:
        jj = esc(j)
        yield "Job '%s' missed its start window" % jj
        yield "\\\\%s\\\\%s\\.vbm" % (jj, jj)
        yield "Opening disk \\[%s\\] " % jj
        yield "Job %s (failed|finished with warning)" % jj
        yield "Backup job '%s' .*(Failed|Warning)" % jj
    for v in VEEAM_VMS:
        vv = esc(v)
        yield "Failed to create snapshot for VM '%s'" % vv
        yield "VM '%s' .*(is locked|not found|has been deleted|is unavailable)" % vv
        yield "Processing %s Error" % vv
        yield "Opening disk \\[[A-Za-z0-9_]+\\] %s/%s\\.vmdk" % (vv, vv)
    for code in HRESULTS:
        for pre in HRESULT_PREFIX:
            yield pre + code
    for code, msg in APACHE_AH:
        yield "%s: %s" % (code, msg)
        yield code
    for mod in APACHE_MODULES:
        yield "\\[%s:(error|crit|alert|emerg)\\] \\[pid [0-9]+" % mod
        yield "\\[%s:warn\\] \\[pid [0-9]+(:tid [0-9]+)?\\] AH[0-9]{5}" % mod
    for drv in NIC_DRIVERS:
        for ev in NIC_EVENTS:
            yield "%s [0-9a-f:.]+ [a-z0-9]+: %s" % (drv, ev)
    for ifn in NIC_IF:
        yield "%s: NIC Link is (Up|Down)" % ifn
        yield "%s: link (up|down)" % ifn
    for p in OOM_PROCS:
        pp = esc(p)
        yield "Out of memory: Kill(ed)? process [0-9]+ \\(%s\\)" % pp
        yield "Memory cgroup out of memory: Kill(ed)? process [0-9]+ \\(%s\\)" % pp
        yield "%s invoked oom-killer" % pp
        yield "oom_reaper: reaped process [0-9]+ \\(%s\\)" % pp
    for dev in DISK_DEV:
        for ev in DISK_EVENTS:
            yield ev.format(d=dev)
    for n in HDFS_NODES:
        yield "Got exception while serving blk_-?[0-9]+ to /%s" % n
        yield "%s[0-9]+:50010 is added to invalidSet" % n
        yield "BLOCK\\* ask %s[0-9]+:50010 to replicate" % n
    for e in DOTNET_EXC:
        ee = esc(e)
        yield "\\(%s\\)" % ee
        yield "%s: " % ee
    for e in JAVA_EXC:
        ee = esc(e)
        yield "Caused by: %s" % ee
        yield "%s: " % ee
        yield "Exception in thread \"[^\"]+\" %s" % ee
    for app in (1, 3, 7, 12, 17, 23, 31, 38, 44, 52):
        yield "attempt_1445144423722_%04d_m_[0-9]{6}_[0-9]+ is : 1\\.0" % app
        yield "Launching attempt_1445144423722_%04d_r_" % app


# --------------------------------------------------------------------------
# Which candidates match the corpus: test them against gen_corpus's own lines
# --------------------------------------------------------------------------

POSIX = {"[:space:]": " \\t\\r\\f\\v", "[:digit:]": "0-9", "[:alpha:]": "A-Za-z", "[:alnum:]": "A-Za-z0-9",
         "[:upper:]": "A-Z", "[:lower:]": "a-z", "[:xdigit:]": "0-9A-Fa-f", "[:punct:]": "!-/:-@\\[-`{-~"}


def to_python(p):
    """Translate the portable syntax to Python re for searching a multi-line sample (no newline crossing)."""
    for k, v in POSIX.items():
        p = p.replace(k, v)
    return re.sub(r"(?<!\\)\[\^", "[^\\n", p)


def sample_text():
    """All line shapes of the corpus, each template instantiated many times, one line per line."""
    r = random.Random(SEED + "/sample")
    lines = []
    day = dt.date(2019, 3, 7)
    for style, (templates, tod_kind, frac_kind, day_fmt, eol) in gen_corpus.STYLES.items():
        before, after = day_fmt(day)
        tod, frac = gen_corpus.TOD[tod_kind], gen_corpus.FRAC[frac_kind]
        for w, t in templates:
            k = 4 if "{xml}" in t else 400
            for body in gen_corpus.make_pool(r, [(w, t)], k, eol):
                sod = r.randrange(86400000)
                lines.append(before + tod[sod // 1000] + frac[sod % 1000] + after + body.rstrip("\n"))
        if style.startswith("veeam") and not style.endswith("agent"):
            lines += [before + tod[0] + frac[0] + after + h + "\r" for h in gen_corpus.veeam_header()]
    return "\n".join(lines)


def classify(cands):
    text = sample_text()
    matched, unmatched = [], []
    for p in cands:
        rx = re.compile(to_python(p), re.M)
        if rx.fullmatch("") or rx.search("") or rx.search("\r"):
            raise SystemExit("gen_signatures.py: pattern matches the empty string: %s" % p)
        (matched if rx.search(text) else unmatched).append(p)
    return matched, unmatched


def build(n, match_frac):
    seen, cands = set(), []
    for p in candidates():
        if p not in seen:
            seen.add(p)
            cands.append(p)
    ncore = len(set(CORE))
    matched, unmatched = classify(cands)
    # Hand-written signatures first (in their order), the generated ones in a fixed shuffled order.
    core = set(CORE)

    def order(pool, tag):
        head = [p for p in pool if p in core]
        tail = [p for p in pool if p not in core]
        random.Random("%s/%s" % (SEED, tag)).shuffle(tail)
        return head + tail

    matched, unmatched = order(matched, "m"), order(unmatched, "u")
    k = min(len(matched), max(2, round(n * match_frac)))
    if n - k > len(unmatched):
        k = n - len(unmatched)
    if k > len(matched) or n > len(cands):
        raise SystemExit("gen_signatures.py: only %d candidates (%d matching); asked for %d"
                         % (len(cands), len(matched), n))
    chosen = matched[:k] + unmatched[:n - k]
    random.Random("%s/set/%d" % (SEED, n)).shuffle(chosen)
    return chosen, k, len(cands), len(matched), ncore


def yaml_quote(s):
    return "'" + s.replace("'", "''") + "'"


def write_playbooks(outdir, patterns, per=10):
    os.makedirs(outdir, exist_ok=True)
    for b in range(0, len(patterns), per):
        chunk = patterns[b:b + per]
        ids = ["s%04d" % (b + i + 1) for i in range(len(chunk))]
        lines = ["casebook: 1",
                 "id: bench-signatures-%03d" % (b // per + 1),
                 "title: Benchmark signatures %d to %d" % (b + 1, b + len(chunk)),
                 "tags: [bench]",
                 "",
                 "signatures:"]
        for i, p in zip(ids, chunk):
            lines += ["  %s:" % i, "    pattern: %s" % yaml_quote(p)]
        lines += ["",
                  "start: any-hit",
                  "nodes:",
                  "  any-hit:",
                  "    check: [%s]" % ", ".join(ids),
                  "    yes: seen",
                  "    no: not-seen",
                  "  seen:",
                  "    conclude: At least one benchmark signature matched",
                  "  not-seen:",
                  "    conclude: No benchmark signature matched",
                  "    dead-end: true",
                  ""]
        path = os.path.join(outdir, "bench-signatures-%03d.yaml" % (b // per + 1))
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of signatures")
    ap.add_argument("out", help="output file, - for stdout")
    ap.add_argument("--match-frac", type=float, default=0.10,
                    help="fraction of signatures that match corpus lines (default 0.10, at least 2)")
    ap.add_argument("--list", action="store_true", help="also print each pattern with + (matches) / - on stderr")
    ap.add_argument("--playbooks", metavar="DIR", help="also write the set as a playbook library in DIR")
    a = ap.parse_args(argv)
    if a.n < 1:
        ap.error("N must be positive")
    chosen, k, ncand, nmatch, _ = build(a.n, a.match_frac)
    data = "".join(p + "\n" for p in chosen).encode("utf-8")
    if a.out == "-":
        sys.stdout.buffer.write(data)
    else:
        with open(a.out, "wb") as f:
            f.write(data)
    if a.playbooks:
        write_playbooks(a.playbooks, chosen)
    if a.list:
        m = set(classify(chosen)[0])
        for p in chosen:
            print("%s %s" % ("+" if p in m else "-", p), file=sys.stderr)
    print("%d signatures, %d match corpus lines (of %d candidates, %d matching)" % (a.n, k, ncand, nmatch),
          file=sys.stderr)


if __name__ == "__main__":
    main()
