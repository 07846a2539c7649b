#!/usr/bin/env python3
"""Generate the deterministic log corpus for bench/lines.sh.

    python3 bench/gen_corpus.py OUTDIR [--size-mb N] [--files N] [--seed S] [--jobs N]

Writes about N MiB (default 1024) in --files (default 300) plain-text log files
under OUTDIR, in a folder tree that looks like a support bundle.  Formats, each
in its real shape:

  veeam    [dd.MM.yyyy HH:mm:ss] <TT> Info         msg            CRLF, job/task logs
  veeam    [dd.MM.yyyy HH:mm:ss.fff] <TT> Info         msg        CRLF, Svc.* logs
  veeam    [dd.MM.yyyy H:mm:ss.fff] <   724> vdl| msg             CRLF, Agent.* logs
  syslog   Mmm dd HH:MM:SS host prog[pid]: msg                    OpenSSH auth.log, Linux messages
  hdfs     yyMMdd HHmmss tid LEVEL dfs.Class: msg                 HDFS datanode/namenode
  hadoop   yyyy-MM-dd HH:mm:ss,SSS LEVEL [thread] class: msg      YARN container syslog
  apache   [Www Mmm dd HH:MM:SS yyyy] [level] msg                 Apache 2.2 error_log
  iso      yyyy-MM-ddTHH:mm:ss.SSSZ LEVEL [thread] logger - msg   application logs

Every file ends with a line end, so `wc -l` and a line counter agree exactly.

The output is a function of (--size-mb, --files, --seed) only: the same bytes on
every run and every machine (each file has its own random.Random seeded from a
string, so neither PYTHONHASHSEED nor the number of worker processes matters).
File mtimes are set to a fixed date so that archives built from it are stable too.

Speed: each file draws a few thousand message bodies from its format's templates
once, then emits lines as cheap string concatenations of a cached timestamp
prefix and a randomly chosen body; files are written in ~1 MB blocks by a pool of
worker processes.
"""

import argparse
import datetime as dt
import os
import random
import re
import sys
from concurrent.futures import ProcessPoolExecutor

MIB = 1 << 20
FIXED_MTIME = 1700000000  # 2023-11-14, applied to every file and directory

# --------------------------------------------------------------------------
# Value generators for template fields: {name} in a template -> GEN[name](rng)
# --------------------------------------------------------------------------

USERS = ["root", "admin", "test", "guest", "oracle", "postgres", "ubuntu", "user", "pi", "ftpuser",
         "support", "git", "nagios", "www", "mysql", "tomcat", "deploy", "backup", "webmaster", "matlab"]
HOSTS_DNS = ["ns.marryaldkfaczcz.com", "customer-187-141-143-180-sta.uninet-ide.com.mx",
             "dsl-082-083-227-067.arcor-ip.net", "adsl-63-197-98-106.dsl.mtry01.pacbell.net",
             "host129.206.196.21.maximumasp.com", "zummit.com", "62-192-102-94.dsl.easynet.nl",
             "static.vnpt.vn", "mail.example-corp.de", "scanner-04.shodan.io"]
VMS = ["SQL01", "EXCH-02", "fileserver", "DC01", "web-frontend-3", "app_srv_12", "vCenter", "SharePoint01",
       "jira", "build-agent-7", "ERP-DB", "print01"]
JOBS = ["Backup_job_1", "Daily_SQL", "Weekly_Full", "Exchange", "FileServers", "DR_Replica", "Tier1_VMs",
        "Offsite_Copy"]
CLASSES_ISO = ["c.e.orders.OrderService", "c.e.billing.InvoiceJob", "c.e.auth.TokenFilter",
               "o.s.web.servlet.DispatcherServlet", "c.z.hikari.pool.HikariPool", "c.e.inventory.StockSync",
               "o.h.engine.jdbc.spi.SqlExceptionHelper", "c.e.gateway.RateLimiter"]


def ip(r):
    return "%d.%d.%d.%d" % (r.randint(1, 223), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))


def ip10(r):
    return "10.%d.%d.%d" % (r.choice((250, 251)), r.randint(0, 255), r.randint(1, 254))


def blk(r):
    return "blk_%d" % r.randint(-(1 << 63), (1 << 63) - 1)


def guid(r):
    return "%08x-%04x-%04x-%04x-%012x" % (r.getrandbits(32), r.getrandbits(16), r.getrandbits(16),
                                          r.getrandbits(16), r.getrandbits(48))


GEN = {
    "ip": ip, "ip10": ip10, "blk": blk, "guid": guid,
    "port": lambda r: r.randint(1024, 65535),
    "pid": lambda r: r.randint(300, 32767),
    "user": lambda r: r.choice(USERS),
    "dns": lambda r: r.choice(HOSTS_DNS),
    "n": lambda r: r.randint(0, 99),
    "k3": lambda r: r.randint(0, 2),
    "nn": lambda r: r.randint(100, 99999),
    "slot": lambda r: r.randint(6, 11),
    "tid": lambda r: r.randint(1, 120),
    "tid2": lambda r: "%02d" % r.randint(1, 99),
    "tid6": lambda r: "%6d" % r.randint(100, 30000),
    "size": lambda r: r.choice((67108864, 67108864, 67108864, r.randint(1, 67108864))),
    "frac": lambda r: "%.8f" % r.random(),
    "pct": lambda r: r.randint(0, 100),
    "ms": lambda r: r.randint(1, 9999),
    "vm": lambda r: r.choice(VMS),
    "job": lambda r: r.choice(JOBS),
    "hex": lambda r: "%016x" % r.getrandbits(64),
    "task": lambda r: "%06d" % r.randint(0, 999),
    "app": lambda r: "%04d" % r.randint(1, 40),
    "cls": lambda r: r.choice(CLASSES_ISO),
    "thr": lambda r: r.choice(("main", "http-nio-8080-exec-%d" % r.randint(1, 200), "scheduling-1",
                               "pool-%d-thread-%d" % (r.randint(1, 9), r.randint(1, 32)), "kafka-consumer-3")),
    "xml": lambda r: "".join('<Opt Name="Opt%d" Value="%s" />' % (i, "%x" % r.getrandbits(40))
                             for i in range(r.randint(60, 200))),
}

# --------------------------------------------------------------------------
# Message templates (bodies: everything after the timestamp prefix).
# Weights are the relative frequency of each template.
# --------------------------------------------------------------------------

VEEAM_JOB = [  # after "[dd.MM.yyyy HH:mm:ss] "
    (10, "<{tid2}> Info         [ProxyDetector] Detected mode [hotadd;nbd] for proxy [{ip10}]"),
    (8, "<{tid2}> Info         [AgentMngr] Starting agent on [{ip10}], port {port}"),
    (8, "<{tid2}> Info         [Soap] Connecting to vCenter [{ip10}], session '{guid}'"),
    (10, "<{tid2}> Info         Task '{vm}' progress: {pct}% ({nn} MB of {nn} MB), speed {nn} KB/s"),
    (6, "<{tid2}> Info             [CBackupTaskSession] Processing object '{vm}' ({guid})"),
    (5, "<{tid2}> Info         Primary bottleneck: Source"),
    (4, "<{tid2}> Info         Load: Source {pct}% > Proxy {pct}% > Network {pct}% > Target {pct}%"),
    (4, "<{tid2}> Warning      [CCryptoKeyRecryptor(Backup:{guid})] Backup meta does not exist (MetaLink='F:\\repo\\{job}\\{job}.vbm')"),
    (3, "<{tid2}> Warning      Failed to create snapshot for VM '{vm}': timeout after {ms} ms, retrying"),
    (2, "<{tid2}> Error        Operation was canceled by user LISA_VBR11\\Administrator (Veeam.Backup.Common.CStopSessionException)"),
    (2, "<{tid2}> Error           at Veeam.Backup.Core.CStopSessionControl.CheckStoped()"),
    (2, "<{tid2}> Error           at Veeam.Backup.Core.CBackupJobExecutor.ProcessTask(CBackupTaskSession task, Int32 attempt)"),
    (2, "<{tid2}> Error        Failed to connect to transport service on host '{ip10}' port {port} (Veeam.Backup.Common.CCppComponentException)"),
    (1, "<{tid2}> Info         Job session '{guid}' has been completed, status: 'Success', {nn} of {nn} objects"),
    (1, "<{tid2}> Info         Job options: <JobOptionsRoot>{xml}</JobOptionsRoot>"),
]
VEEAM_SVC = [  # after "[dd.MM.yyyy HH:mm:ss.fff] "
    (10, "<{tid2}> Info         [DB] Executing stored procedure [GetJobSessions], duration {ms} ms"),
    (8, "<{tid2}> Info         [RpcServer] Invoke: [{guid}] method [GetBackupsInfo] completed"),
    (6, "<{tid2}> Info         [BackupSrv] Session '{guid}' state changed to 'Working'"),
    (4, "<{tid2}> Warning      [Scheduler] Job '{job}' missed its start window by {ms} ms"),
    (3, "<{tid2}> Error        [Soap] The remote server returned an error: (503) Server Unavailable. (System.Net.WebException)"),
    (3, "<{tid2}> Error           at System.Net.HttpWebRequest.GetResponse()"),
    (5, "<{tid2}> Info         [Licensing] Instances used: {n} of {nn}"),
]
VEEAM_AGENT = [  # after "[dd.MM.yyyy H:mm:ss.fff] "
    (10, "<{tid6}> vdl| [vddk] Opening disk [{job}] {vm}/{vm}.vmdk"),
    (8, "<{tid6}> cli| Data block processed: offset {nn}, length 1048576, hash {hex}"),
    (6, "<{tid6}> stg| Writing storage block {hex}, compressed {nn} bytes"),
    (4, "<{tid6}> net| Connection to [{ip10}:{port}] established, socket buffer {nn}"),
    (2, "<{tid6}> vdl| WARN|Disk read slow: {ms} ms for {nn} sectors"),
]
SSH = [  # after "Mmm dd HH:MM:SS "
    (10, "LabSZ sshd[{pid}]: Failed password for invalid user {user} from {ip} port {port} ssh2"),
    (10, "LabSZ sshd[{pid}]: Failed password for root from {ip} port {port} ssh2"),
    (8, "LabSZ sshd[{pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user=root"),
    (6, "LabSZ sshd[{pid}]: Invalid user {user} from {ip}"),
    (6, "LabSZ sshd[{pid}]: input_userauth_request: invalid user {user} [preauth]"),
    (6, "LabSZ sshd[{pid}]: Received disconnect from {ip}: 11: Bye Bye [preauth]"),
    (4, "LabSZ sshd[{pid}]: Connection closed by {ip} [preauth]"),
    (4, "LabSZ sshd[{pid}]: reverse mapping checking getaddrinfo for {dns} [{ip}] failed - POSSIBLE BREAK-IN ATTEMPT!"),
    (3, "LabSZ sshd[{pid}]: pam_unix(sshd:auth): check pass; user unknown"),
    (2, "LabSZ sshd[{pid}]: Accepted password for {user} from {ip} port {port} ssh2"),
    (2, "LabSZ sshd[{pid}]: message repeated 5 times: [ Failed password for root from {ip} port {port} ssh2]"),
    (1, "LabSZ sshd[{pid}]: Disconnecting: Too many authentication failures for root [preauth]"),
    (1, "LabSZ sshd[{pid}]: PAM service(sshd) ignoring max retries; 6 > 3"),
]
LINUX = [  # after "Mmm dd HH:MM:SS "
    (8, "combo sshd(pam_unix)[{pid}]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost={ip} "),
    (6, "combo sshd(pam_unix)[{pid}]: check pass; user unknown"),
    (6, "combo su(pam_unix)[{pid}]: session opened for user {user} by (uid=0)"),
    (6, "combo su(pam_unix)[{pid}]: session closed for user {user}"),
    (5, "combo ftpd[{pid}]: connection from {ip} ({dns}) at Sat Jul  9 22:53:19 2005 "),
    (3, "combo kernel: Out of memory: Killed process {pid} (java) total-vm:{nn}kB, anon-rss:{nn}kB, file-rss:0kB, shmem-rss:0kB"),
    (3, "combo kernel: eth0: link up, 100Mbps, full-duplex, lpa 0x45E1"),
    (3, "combo logrotate: ALERT exited abnormally with [1]"),
    (2, "combo klogind[{pid}]: Kerberos authentication failed "),
    (2, "combo cups: cupsd shutdown succeeded"),
    (2, "combo syslogd 1.4.1: restart."),
]
HDFS = [  # after "yyMMdd HHmmss "
    (10, "{tid} INFO dfs.DataNode$PacketResponder: PacketResponder {k3} for block {blk} terminating"),
    (10, "{tid} INFO dfs.DataNode$PacketResponder: Received block {blk} of size {size} from /{ip10}"),
    (10, "{tid} INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: {ip10}:50010 is added to {blk} size {size}"),
    (8, "{tid} INFO dfs.DataNode$DataXceiver: Receiving block {blk} src: /{ip10}:{port} dest: /{ip10}:50010"),
    (5, "{tid} INFO dfs.FSNamesystem: BLOCK* NameSystem.allocateBlock: /user/root/randtxt/_temporary/_task_200811092030_0003_m_{task}_0/part-{task}. {blk}"),
    (4, "{tid} INFO dfs.DataNode$DataXceiver: {ip10}:50010 Served block {blk} to /{ip10}"),
    (3, "{tid} INFO dfs.FSNamesystem: BLOCK* NameSystem.delete: {blk} is added to invalidSet of {ip10}:50010"),
    (3, "{tid} INFO dfs.FSDataset: Deleting block {blk} file /mnt/hadoop/dfs/data/current/subdir{n}/{blk}"),
    (2, "{tid} WARN dfs.DataNode$DataXceiver: {ip10}:50010:Got exception while serving {blk} to /{ip10}:"),
]
HADOOP = [  # after "yyyy-MM-dd HH:mm:ss,SSS "
    (10, "INFO [IPC Server handler {n} on 62270] org.apache.hadoop.mapred.TaskAttemptListenerImpl: Progress of TaskAttempt attempt_1445144423722_{app}_m_{task}_0 is : {frac}"),
    (8, "INFO [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: Recalculating schedule, headroom=<memory:{nn}, vCores:-{n}>"),
    (6, "INFO [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: Reduce slow start threshold not met. completedMapsForReduceSlowstart 1"),
    (5, "INFO [AsyncDispatcher event handler] org.apache.hadoop.yarn.util.RackResolver: Resolved MSRA-SA-{n}.fareast.corp.microsoft.com to /default-rack"),
    (4, "INFO [ContainerLauncher #{n}] org.apache.hadoop.mapreduce.v2.app.launcher.ContainerLauncherImpl: Launching attempt_1445144423722_{app}_m_{task}_0"),
    (4, "INFO [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: After Scheduling: PendingReds:1 ScheduledMaps:{n} ScheduledReds:0 AssignedMaps:{n} AssignedReds:0 CompletedMaps:{n} CompletedReds:0 ContAlloc:{n} ContRel:0 HostLocal:{n} RackLocal:{n}"),
    (3, "WARN [LeaseRenewer:msrabi@msra-sa-41:9000] org.apache.hadoop.hdfs.LeaseRenewer: Failed to renew lease for [DFSClient_NONMAPREDUCE_{nn}_1] for {n} seconds.  Will retry shortly ..."),
    (3, "WARN [RMCommunicator Allocator] org.apache.hadoop.ipc.Client: Address change detected. Old: msra-sa-41/{ip}:8030 New: msra-sa-41:8030"),
    (2, "INFO [RMCommunicator Allocator] org.apache.hadoop.ipc.Client: Retrying connect to server: msra-sa-41:8030. Already tried {n} time(s); retry policy is RetryUpToMaximumCountWithFixedSleep(maxRetries=10, sleepTime=1000 MILLISECONDS)"),
    (1, "ERROR [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: ERROR IN CONTACTING RM. "),
]
APACHE = [  # after "[Www Mmm dd HH:MM:SS yyyy] "
    (10, "[notice] jk2_init() Found child {pid} in scoreboard slot {slot}"),
    (6, "[notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties"),
    (6, "[error] mod_jk child workerEnv in error state {slot}"),
    (4, "[error] [client {ip}] Directory index forbidden by rule: /var/www/html/"),
    (3, "[error] [client {ip}] File does not exist: /var/www/html/{user}/index.php"),
    (2, "[error] [client {ip}] script not found or unable to stat: /var/www/cgi-bin/awstats.pl"),
    (1, "[warn] child process {pid} still did not exit, sending a SIGTERM"),
]
ISO = [  # after "yyyy-MM-ddTHH:mm:ss.SSSZ "
    (10, "INFO  [{thr}] {cls} - Request {guid} handled in {ms} ms (status=200)"),
    (8, "DEBUG [{thr}] {cls} - cache hit ratio {frac} for region orders-{n}"),
    (6, "INFO  [{thr}] {cls} - Order {nn} accepted for customer {nn} (Zoë Müller, Köln)"),
    (4, "WARN  [{thr}] {cls} - Slow query ({ms} ms): SELECT * FROM orders WHERE customer_id = ? AND status IN (?, ?)"),
    (2, "ERROR [{thr}] {cls} - Connection to {ip10}:5432 refused; retry {n}/5"),
    (2, "ERROR [{thr}] {cls} - \tat com.example.orders.OrderService.place(OrderService.java:{n})"),
]

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

# Per style: (templates, time-of-day format, fraction format, day -> (before, after), eol)
#   tod: "colon" HH:MM:SS, "colon_h" H:MM:SS, "packed" HHMMSS;  frac: None, ",", "."


def _veeam_day(d):
    return ("[%02d.%02d.%04d " % (d.day, d.month, d.year), "] ")


STYLES = {
    "veeam_job": (VEEAM_JOB, "colon", None, _veeam_day, "\r\n"),
    "veeam_svc": (VEEAM_SVC, "colon", ".", _veeam_day, "\r\n"),
    "veeam_agent": (VEEAM_AGENT, "colon_h", ".", _veeam_day, "\r\n"),
    "ssh": (SSH, "colon", None, lambda d: ("%s %2d " % (MONTHS[d.month - 1], d.day), " "), "\n"),
    "linux": (LINUX, "colon", None, lambda d: ("%s %2d " % (MONTHS[d.month - 1], d.day), " "), "\n"),
    "hdfs": (HDFS, "packed", None, lambda d: ("%02d%02d%02d " % (d.year % 100, d.month, d.day), " "), "\n"),
    "hadoop": (HADOOP, "colon", ",", lambda d: ("%04d-%02d-%02d " % (d.year, d.month, d.day), " "), "\n"),
    "apache": (APACHE, "colon", None,
               lambda d: ("[%s %s %02d " % (WDAYS[d.weekday()], MONTHS[d.month - 1], d.day), " %04d] " % d.year),
               "\n"),
    "iso": (ISO, "colon", ".", lambda d: ("%04d-%02d-%02dT" % (d.year, d.month, d.day), "Z "), "\n"),
}

TOD = {
    "colon": ["%02d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60) for s in range(86400)],
    "colon_h": ["%d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60) for s in range(86400)],
    "packed": ["%02d%02d%02d" % (s // 3600, s // 60 % 60, s % 60) for s in range(86400)],
}
FRAC = {None: [""] * 1000, ",": [",%03d" % i for i in range(1000)], ".": [".%03d" % i for i in range(1000)]}

# Gaps between consecutive lines, in milliseconds (bursty: mostly same second).
GAPS = [0, 0, 0, 1, 2, 3, 5, 8, 13, 40, 120, 350, 900, 1500, 4000, 30000]


def veeam_header(user_host="VBR11\\SYSTEM"):
    return ["<01> Info         " + "=" * 80,
            "<01> Info         Starting new log",
            "<01> Info         Log has been started by '%s' user (Non-interactive)" % user_host,
            "<01> Info         Logging level: [Normal]",
            "<01> Info         MachineName: [VBR11], OS: [Microsoft Windows Server 2019 Standard (10.0.17763)]",
            "<01> Info         PID: [4312], Bitness: [64]",
            "<01> Info         UTC Time: [7/7/2021 2:34:10 PM]",
            "<01> Info         Module: [Veeam.Backup.Manager.exe] File version: [11.0.0.837]",
            "<01> Info         UTC offset: 2.00 hours"]


def make_pool(r, templates, count, eol):
    weights = [w for w, _ in templates]
    # "a {x} b {y}" -> ("a %s b %s", [GEN["x"], GEN["y"]]): every occurrence draws its own value.
    compiled = []
    for _, t in templates:
        gens = [GEN[f.split("}")[0]] for f in t.split("{")[1:]]
        compiled.append((re.sub(r"\{\w+\}", "%s", t.replace("%", "%%")), gens))
    pool = []
    for fmt, gens in r.choices(compiled, weights, k=count):
        pool.append((fmt % tuple(g(r) for g in gens)) + eol)
    return pool


def write_file(job):
    """Write one file; job = (seed, index, outdir, relpath, style, size).  Returns bytes written."""
    seed, index, outdir, relpath, style, size = job
    path = os.path.join(outdir, relpath)
    templates, tod_kind, frac_kind, day_fmt, eol = STYLES[style]
    r = random.Random("%s/%d/%s" % (seed, index, relpath))
    pool = make_pool(r, templates, max(64, min(3000, size // 400)), eol)
    avg = max(1, sum(map(len, pool)) // len(pool) + 24)
    tod, frac = TOD[tod_kind], FRAC[frac_kind]

    day = dt.date(2019, 1, 1) + dt.timedelta(days=r.randrange(5 * 365))
    sod = r.randrange(86400000)  # ms since midnight
    before, after = day_fmt(day)

    os.makedirs(os.path.dirname(path), exist_ok=True)
    written = 0
    with open(path, "wb") as f:
        if style.startswith("veeam") and not style.endswith("agent"):
            # A Veeam .NET log starts with an empty CRLF line, then the start-of-log header.
            pre = before + tod[sod // 1000] + frac[sod % 1000] + after
            head = eol + "".join(pre + h + eol for h in veeam_header())
            written += f.write(head.encode())
        choices, gaps = r.choices, GAPS
        while written < size:
            n = max(1, min(8192, (size - written) // avg + 1))
            out = []
            append = out.append
            for body, gap in zip(choices(pool, k=n), choices(gaps, k=n)):
                sod += gap
                if sod >= 86400000:
                    sod -= 86400000
                    day += dt.timedelta(days=1)
                    before, after = day_fmt(day)
                append(before + tod[sod // 1000] + frac[sod % 1000] + after + body)
            written += f.write("".join(out).encode("utf-8"))
    os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    return written


# --------------------------------------------------------------------------
# Bundle layout
# --------------------------------------------------------------------------

# (style, share of files)
MIX = [("veeam_job", 14), ("veeam_svc", 8), ("veeam_agent", 8), ("ssh", 9), ("linux", 7),
       ("hdfs", 14), ("hadoop", 16), ("apache", 10), ("iso", 14)]


def path_for(r, style, i):
    job, vm = r.choice(JOBS), r.choice(VMS)
    host = "node%02d" % r.randint(1, 24)
    if style == "veeam_job":
        return r.choice(["VeeamBackupLogs/Backup/%s/Job.%s.Backup.%d.log" % (job, job, i),
                         "VeeamBackupLogs/Backup/%s/Task.%s.%s.%d.log" % (job, job, vm, i)])
    if style == "veeam_svc":
        return "VeeamBackupLogs/Backup/Svc.%s.%d.log" % (
            r.choice(["VeeamBackup", "VeeamMount", "VeeamBroker", "VeeamCatalog", "VeeamRestAPI"]), i)
    if style == "veeam_agent":
        return "VeeamBackupLogs/Proxy%02d/%s/Agent.%s.%s.Hotadd.Attacher.%d.log" % (r.randint(1, 6), job, job, vm, i)
    if style == "ssh":
        return "linux/%s/var/log/auth.log.%d" % (host, i)
    if style == "linux":
        return "linux/%s/var/log/messages.%d" % (host, i)
    if style == "hdfs":
        return "hadoop/hdfs/%s/hadoop-hdfs-datanode-%s.log.%d" % (host, host, i)
    if style == "hadoop":
        return "hadoop/yarn/application_1445144423722_%04d/container_1445144423722_%04d_01_%06d/syslog" % (
            i % 37, i % 37, i)
    if style == "apache":
        return "web/%s/httpd/error_log.%d" % (host, i)
    return "apps/%s/%s-%d.log" % (r.choice(["orders", "billing", "gateway", "inventory"]), "app", i)


def plan(seed, total, nfiles):
    """Return [(relpath, style, size)] with sizes summing to total."""
    r = random.Random("%s/plan" % seed)
    styles = [s for s, w in MIX for _ in range(w)]
    lo, hi = 4 * 1024, 20 * MIB
    # Log-uniform sizes (a few KB .. ~20 MB), scaled to the total, capped at `cap`.
    w = [lo * (hi / lo) ** r.random() for _ in range(nfiles)]
    cap = max(hi, 2 * total // nfiles)
    sizes = [0.0] * nfiles
    free = list(range(nfiles))
    remaining = float(total)
    while free:
        s = remaining / sum(w[i] for i in free)
        over = [i for i in free if w[i] * s > cap]
        if not over:
            for i in free:
                sizes[i] = w[i] * s
            break
        for i in over:
            sizes[i] = cap
            remaining -= cap
        free = [i for i in free if i not in over]
    files = []
    for i in range(nfiles):
        style = r.choice(styles)
        files.append((path_for(r, style, i), style, max(256, int(sizes[i]))))
    return files


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--size-mb", type=int, default=1024, help="total size in MiB (default 1024)")
    ap.add_argument("--files", type=int, default=300, help="number of files (default 300)")
    ap.add_argument("--seed", default="casebook-bench-1")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    a = ap.parse_args(argv)
    if os.path.exists(a.outdir) and os.listdir(a.outdir):
        sys.exit("gen_corpus.py: %s exists and is not empty" % a.outdir)

    files = plan(a.seed, a.size_mb * MIB, a.files)
    jobs = [(a.seed, i, a.outdir, p, st, sz) for i, (p, st, sz) in enumerate(files)]
    jobs.sort(key=lambda j: -j[5])  # biggest first, for load balance
    if a.jobs > 1:
        with ProcessPoolExecutor(a.jobs) as ex:
            total = sum(ex.map(write_file, jobs, chunksize=1))
    else:
        total = sum(map(write_file, jobs))
    for root, dirs, _ in os.walk(a.outdir, topdown=False):
        for d in dirs:
            os.utime(os.path.join(root, d), (FIXED_MTIME, FIXED_MTIME))
    os.utime(a.outdir, (FIXED_MTIME, FIXED_MTIME))
    print("%d files, %d bytes in %s" % (len(files), total, a.outdir))


if __name__ == "__main__":
    main()
