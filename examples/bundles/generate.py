#!/usr/bin/env python3
"""Generate casebook's demo log bundles, byte-identical on every run.

Usage:  python3 examples/bundles/generate.py OUTDIR

Writes under OUTDIR:

  replication-mtu/        a Veeam Backup & Replication 11a log bundle (Windows backup
                          server layout, as the "Export Logs" wizard collects it).  A
                          replication job to the DR site fails on an MTU mismatch /
                          path-MTU black hole (catalogue V01) among thousands of
                          ordinary lines.
  linux-oom-disk/         a sosreport-like Linux bundle: the OOM killer (K01) and disk
                          I/O errors on sdb (K02) among ordinary cron, systemd, sshd
                          and postgres lines.
  clean-webserver/        an Apache 2.4 web server with a healthy application; it
                          matches no known issue.
  replication-mtu.zip     the Veeam tree as the export wizard zips it
  replication-mtu.tar.gz  the Veeam tree plus a nested Backup/Agents/proxy01-logs.zip
  linux-oom-disk.tar.gz   the Linux tree

All content is synthetic.  Host names use corp.example / example.com and addresses
come from private or documentation ranges.  Every ID and number is drawn from a
random.Random with a fixed seed.  The file names, line formats and message wording
follow the real formats recorded in the domain catalogue: section 1 for the Veeam
layout, line prefixes, header blocks and stack traces, and section 3 for syslog,
dmesg and Apache.

The output is byte-identical on every run.  Seeds are fixed, names are written in
sorted order, every file and archive member has a fixed mtime, gzip headers carry
mtime 0, and zip members carry fixed date_time values.  Standard library only.
"""

import gzip
import io
import os
import random
import shutil
import sys
import tarfile
import zipfile
from datetime import datetime, timedelta, timezone

# ================================================================ common helpers

UTC = timezone.utc
MON = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WDAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


class Clock:
    """A point in time that only moves forward; tick() advances it by a random step."""

    def __init__(self, t, rng):
        self.t = t
        self.rng = rng

    def tick(self, lo=0.0, hi=0.0):
        if hi > 0:
            self.t += timedelta(microseconds=int(self.rng.uniform(lo, hi) * 1_000_000))
        return self.t

    def at_least(self, t):
        if t > self.t:
            self.t = t
        return self.t


def guid(rng):
    """A version-4-looking GUID drawn from rng."""
    v = rng.getrandbits(128)
    h = f"{v:032x}"
    return f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[v & 3]}{h[17:20]}-{h[20:32]}"


def hexid(rng, n):
    return f"{rng.getrandbits(4 * n):0{n}x}"


def gb(n):
    return n * 1024 ** 3


class Bundle:
    """The files of one bundle: relative path -> (bytes, mtime as POSIX seconds)."""

    def __init__(self):
        self.files = {}

    def add(self, rel, data, mtime):
        self.files[rel] = (data, int(mtime.timestamp()))


def dir_mtimes(files):
    """Every parent directory of files (and "" for the root), with the newest mtime below it."""
    dirs = {}
    for rel, (_, mtime) in files.items():
        parts = rel.split("/")[:-1]
        for i in range(len(parts) + 1):
            d = "/".join(parts[:i])
            dirs[d] = max(dirs.get(d, 0), mtime)
    return dirs


def write_tree(root, bundle):
    if os.path.isdir(root):
        shutil.rmtree(root)
    os.makedirs(root)
    for rel in sorted(bundle.files):
        data, mtime = bundle.files[rel]
        path = os.path.join(root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (mtime, mtime))
    for d, mtime in sorted(dir_mtimes(bundle.files).items()):
        path = os.path.join(root, *d.split("/")) if d else root
        os.utime(path, (mtime, mtime))


def gzip_bytes(data, name=""):
    out = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=out, mtime=0, compresslevel=6) as gz:
        gz.write(data)
    return out.getvalue()


def zip_bytes(members):
    """members: (name, data, date_time) tuples; written sorted by name, deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data, date_time in sorted(members):
            zi = zipfile.ZipInfo(name, date_time=date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 0      # made on Windows, like the Veeam export
            zi.external_attr = 0x20   # FILE_ATTRIBUTE_ARCHIVE
            zf.writestr(zi, data, compresslevel=6)
    return out.getvalue()


def targz_bytes(files):
    """A gzip'd GNU tar of files (rel -> (data, mtime)), directories included, sorted."""
    dirs = {d: m for d, m in dir_mtimes(files).items() if d}
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for name in sorted(set(dirs) | set(files)):
            ti = tarfile.TarInfo(name)
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = "root"
            if name in files:
                data, ti.mtime = files[name]
                ti.size, ti.mode = len(data), 0o644
                tf.addfile(ti, io.BytesIO(data))
            else:
                ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, dirs[name]
                tf.addfile(ti)
    return gzip_bytes(out.getvalue())


# ================================================================ Veeam log primitives

VBR_TZ = timezone(timedelta(hours=2))   # "UTC offset: 2.00 hours", no DST in early March
VEEAM_VERSION = "11.0.1.1261"
BIN = r"C:\Program Files\Veeam\Backup and Replication\Backup"
AGENT_EXE = r"C:\Program Files (x86)\Veeam\Backup Transport\x64\VeeamAgent.exe"
MANAGER_DLLS = ("Veeam.Backup.Common.dll", "Veeam.Backup.Configuration.dll", "Veeam.Backup.Core.dll",
                "Veeam.Backup.LicenseLib.dll", "Veeam.Backup.UI.dll")
INFO, WARN, ERR = "Info", "Warning", "Error"

# machine name -> (fqdn, IPv4, gateway, link-local IPv6)
MACHINES = {
    "VBR01": ("vbr01.corp.example", "10.10.10.15", "10.10.10.1", "fe80::5d2c:9a41:1b7e:3c10%6"),
    "PROXY01": ("proxy01.corp.example", "10.10.20.31", "10.10.20.1", "fe80::a1c4:77e2:90b3:5d21%4"),
    "DR-PROXY01": ("dr-proxy01.corp.example", "10.50.20.31", "10.50.20.1", "fe80::3b19:c2d0:6e44:8a07%4"),
}
VBR, VCENTER = "vbr01.corp.example", "vcsa01.corp.example"
SRC_PROXY, SRC_IP = "proxy01.corp.example", "10.10.20.31"
TGT_PROXY, TGT_IP = "dr-proxy01.corp.example", "10.50.20.31"
DATA_PORT = 2503


def veeam_stamp(t, style):
    """[dd.MM.yyyy HH:mm:ss] (svc), with .fff (svcms), or [dd.MM.yyyy H:mm:ss.fff] (agent)."""
    d = f"[{t.day:02d}.{t.month:02d}.{t.year} "
    if style == "agent":
        return f"{d}{t.hour}:{t.minute:02d}:{t.second:02d}.{t.microsecond // 1000:03d}]"
    s = f"{d}{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    return s + (f".{t.microsecond // 1000:03d}]" if style == "svcms" else "]")


def us_time(t):
    """.NET en-US general format used in the header block: M/d/yyyy h:mm:ss tt."""
    h = t.hour % 12 or 12
    return f"{t.month}/{t.day}/{t.year} {h}:{t.minute:02d}:{t.second:02d} {'PM' if t.hour >= 12 else 'AM'}"


class VeeamLog:
    """One Veeam log file.  Entries are kept with their (local, naive) time and are
    rendered sorted by time, so independent writers can append in any order."""

    def __init__(self, style="svc"):
        self.style = style
        self.items = []
        self.pids = set()  # processes that already wrote their header block

    def _push(self, t, lines):
        self.items.append((t, len(self.items), lines))

    def add(self, t, tid, level, msg):
        self._push(t, [f"{veeam_stamp(t, self.style)} <{tid:02d}> {level:<13}{msg}"])
        return t

    def agent(self, t, tid, comp, msg):
        self._push(t, [f"{veeam_stamp(t, 'agent')} <{tid:>6}> {comp}| {msg}"])
        return t

    def raw(self, t, lines):
        self._push(t, lines)

    def stack(self, t, tid, level, message, exc, frames):
        """A .NET exception: message line ending in (Type), then one line per frame."""
        p = f"{veeam_stamp(t, self.style)} <{tid:02d}> {level:<13}"
        self._push(t, [f"{p}{message} ({exc})"] + [f"{p}   at {fr}" for fr in frames])

    def render(self):
        items = sorted(self.items, key=lambda x: (x[0], x[1]))
        lines = [ln for _, _, ls in items for ln in ls]
        data = ("\r\n".join(lines) + "\r\n").encode("ascii")
        return data, items[-1][0].replace(tzinfo=VBR_TZ)


def veeam_header(t, machine, module, pid, cmdline, modules=(), native=False):
    """The block every Veeam process writes when it opens a log (catalogue 1.3)."""
    _, ip, gw, ll = MACHINES[machine]
    lines = [
        "", "=" * 67, "Starting new log",
        f"Log has been started by '{machine}\\SYSTEM' user (Non-interactive)",
        "Logging level: [4 (AboveNormal)]",
        f"MachineName: [{machine}], OS: [Microsoft Windows Server 2019 Standard (10.0.17763)], CPU: [8]",
        f"Process: [64 bit], PID: [{pid}], SessionId: [0]",
        f"UTC Time: [{us_time(t - timedelta(hours=2))}], DaylightSavingTime: [False]",
        "Culture: [en-US], UI culture: [en-US]",
    ]
    if native:
        lines.append(f"Module: [{module}]. File version: [{VEEAM_VERSION}]")
    else:
        lines.append(f"Module: [{module}]. File version: [{VEEAM_VERSION}], Assembly version: [11.0.0.0], "
                     "Edition: [enterprise plus]")
    lines.append(f"Process start time: [{us_time(t - timedelta(seconds=2 + pid % 4))}], "
                 "Garbage collector mode: [Workstation]")
    lines += [f"Module: [{BIN}\\{m}], File Version [{VEEAM_VERSION}], Comments []" for m in modules]
    lines += [
        f"CmdLineParams: [{cmdline}]",
        "Network Interface, Name: Ethernet0, Description: vmxnet3 Ethernet Adapter, Interface Type: Ethernet, "
        "Operational Status: Up;",
        f"\tUnicast IPAddresses: {ll}; {ip};",
        f"\tGateway IPAddresses: {gw};",
        "Network Interface, Name: Loopback Pseudo-Interface 1, Description: Software Loopback Interface 1, "
        "Interface Type: Loopback, Operational Status: Up;",
        "\tUnicast IPAddresses: ::1; 127.0.0.1;",
        "UTC offset: 2.00 hours",
        "",
    ]
    return lines


def job_options_xml(kind):
    """A <JobOptionsRoot> as the manager logs it on one line (2-6 KB, catalogue 1.3)."""
    months = "".join(f"<EMonth>{m}</EMonth>" for m in MONTH_NAMES)

    def monthly(tag, num, day):
        return (f"<{tag}><DayNumberInMonth>{num}</DayNumberInMonth><DayOfWeek>{day}</DayOfWeek>"
                f"<DayOfMonth>1</DayOfMonth><Months>{months}</Months></{tag}>")

    common = [("RunManually", "False"), ("GroupSnapshotProcessing", "True"), ("RetentionType", "1"),
              ("SourceProxyAutoDetect", "False"), ("TargetProxyAutoDetect", "False"),
              ("StgBlockSize", "KbBlockSize1024"), ("EnableDeduplication", "True"),
              ("CompressionLevel", "5"), ("StorageEncryptionEnabled", "False"), ("ExcludeSwapFile", "True"),
              ("DirtyBlocksNullingEnabled", "True"), ("VMToolsQuiesce", "False"),
              ("UseChangeTracking", "True"), ("EnableChangeTracking", "True"),
              ("ResetChangeTrackingOnActiveFull", "True"), ("SnmpNotification", "False"),
              ("EmailNotification", "True"), ("EmailNotificationAddresses", "backup-alerts@corp.example"),
              ("EmailNotificationSubject", "[%JobResult%] %JobName% (%ObjectCount% machines) %Issues%"),
              ("EmailNotifyOnSuccess", "False"), ("EmailNotifyOnWarning", "True"),
              ("EmailNotifyOnError", "True"), ("EmailNotifyOnLastRetryOnly", "True"),
              ("UseSanSnapshots", "False"), ("FailoverFromSan", "False")]
    if kind == "replica":
        specific = [("ReplicaNameSuffix", "_replica"), ("ReplicaRestorePointsToKeep", "7"),
                    ("EnableReplicaSeeding", "False"), ("EnableReplicaMapping", "False"),
                    ("NetworkMappingEnabled", "True"), ("ReIpEnabled", "True"),
                    ("WanAccelerationEnabled", "False"), ("ReplicaTargetHost", "dr-esxi01.corp.example"),
                    ("ReplicaTargetDatastore", "dr-ds01"), ("ReplicaFolder", "DR\\Replicas"),
                    ("ReplicaResourcePool", "Resources"), ("ReplicaMetadataRepository", "Default Backup Repository"),
                    ("SourceProxies", SRC_PROXY), ("TargetProxies", TGT_PROXY)]
    else:
        specific = [("EnableFullBackup", "False"), ("Algorithm", "Increment"),
                    ("TransformFullToSyntethic", "True"),
                    ("TransformToSyntethicDays", "<DayOfWeek>Saturday</DayOfWeek>"),
                    ("TransformIncrementsToSyntethic", "False"), ("RetainDays", "14"),
                    ("RetainDaysToKeep", "7"), ("BackupIsAttached", "False")]
    body = "".join(f"<{k}>{v}</{k}>" for k, v in common[:6] + specific + common[6:])
    body += monthly("FullBackupMonthlyScheduleOptions", "First", "Monday")
    body += ("<PostJobCommand><Periodicity>Cycles</Periodicity><PreScriptEnabled>False</PreScriptEnabled>"
             "<PreScriptCommandLine /><Frequency>1</Frequency><Enabled>False</Enabled><CommandLine />"
             "<Days><Day>Saturday</Day></Days></PostJobCommand>")
    body += ("<GenerationPolicy><EnableRecheck>False</EnableRecheck><RecheckScheduleKind>Monthly"
             "</RecheckScheduleKind>" + monthly("RecheckMonthlyScheduleOptions", "Last", "Friday") +
             "<EnableCompactFull>False</EnableCompactFull>" +
             monthly("CompactMonthlyScheduleOptions", "Last", "Saturday") +
             "<DeletionGuardDays>21</DeletionGuardDays></GenerationPolicy>")
    body += ('<GfsPolicy IsEnabled="False"><Weekly IsEnabled="False" KeepBackupsForNumberOfWeeks="1" '
             'DesiredTime="0" /><Monthly IsEnabled="False" KeepBackupsForNumberOfMonths="1" DesiredTime="1" />'
             '<Yearly IsEnabled="False" KeepBackupsForNumberOfYears="1" DesiredTime="1" /></GfsPolicy>')
    return f"<JobOptionsRoot>{body}</JobOptionsRoot>"


VSS_OPTIONS = (
    "VssSnapshotOptions: [Enabled: [True], ApplicationProcessingEnabled: [True], IgnoreErrors: [False], "
    "IsCopyOnly: [False], UsePersistentGuestAgent: [False]], WinGuestFSIndexingOptions: [Type: [None]], "
    "LinGuestFSIndexingOptions: [Type: [None]], SqlBackupOptions: [TransactionLogsProcessing: "
    "[TruncateOnlyOnSuccessJob], BackupLogsFrequencyMin: [15], UseDbBackupRetention: [True], RetainDays: [15], "
    "ProxyAutoSelect: [True]FailJobOnDbAbsenceOrBackupImpossibility: [False]], ExchangeBackupOptions: "
    "[TransactionLogsProcessing: [TruncateOnlyOnSuccessJob]], WinCredsId: [{creds}], "
    "LinCredsId: [00000000-0000-0000-0000-000000000000], Old Properties: [Enabled: [True], IgnoreErrors: "
    "[False], GuestFSIndexingType: [None], IncludedIndexingFolders: [], ExcludedIndexingFolders: [], "
    "LinGuestFSIndexingType: [None], LinIncludedIndexingFolders: [], LinExcludedIndexingFolders: [], "
    "IsFirstUsage: [False]]]")

# Managed .NET frames for the data-transfer failure, innermost first.
TRANSFER_FRAMES = (
    "Veeam.Backup.Common.CReconnectableSocket.Send(Byte[] buffer, Int32 offset, Int32 size)",
    "Veeam.Backup.AgentProvider.CSocketAgentService.SendCommand(String command, Int32 timeoutSec)",
    "Veeam.Backup.AgentProvider.CBaseAgentProtocol.ExecuteCommand(String command, IAgentCommandResult result)",
    "Veeam.Backup.Core.CViDiskTransfer.TransferDisk(CViDiskTransferSpec spec, IStopSessionSync stop)",
    "Veeam.Backup.Core.CViReplicaTaskProcessor.TransferDisks(CViReplicaTask task)",
    "Veeam.Backup.Core.CViReplicaTaskProcessor.Process(CViReplicaTask task)",
    "Veeam.Backup.Core.CBackupTaskSession.Run(ITaskSessionProcessor processor)",
)
TIMEOUT_FRAMES = (
    "Veeam.Backup.Common.CReconnectableSocket.WaitForData(Int32 timeoutSec)",
    "Veeam.Backup.Common.CReconnectableSocket.Receive(Byte[] buffer, Int32 offset, Int32 size)",
    "Veeam.Backup.AgentProvider.CSocketAgentService.ReadResponse(String command)",
    "Veeam.Backup.Core.CViDiskTransfer.WaitForCompletion(CViDiskTransferSpec spec)",
    "Veeam.Backup.Core.CViReplicaTaskProcessor.TransferDisks(CViReplicaTask task)",
)


# ================================================================ bundle 1: Veeam replication with MTU issue

class VeeamCtx:
    """Fixed identities shared by every Veeam log of the bundle."""

    def __init__(self, rng):
        self.rng = rng
        g = lambda: guid(rng)  # noqa: E731
        self.replica_job, self.backup_job = g(), g()
        self.repo_default, self.repo01 = g(), g()
        self.proxy01_id, self.drproxy_id, self.creds = g(), g(), g()
        self.vc_id = g()
        self.vms = {  # name -> (object id, vm ref, esxi host, disk sizes in GB, ip)
            "sql01": (g(), "vm-1043", "esxi02.corp.example", (80, 250), "10.10.30.41"),
            "web01": (g(), "vm-1011", "esxi01.corp.example", (60,), "10.10.30.21"),
            "web02": (g(), "vm-1012", "esxi03.corp.example", (60,), "10.10.30.22"),
            "app01": (g(), "vm-1020", "esxi01.corp.example", (120,), "10.10.30.31"),
            "file01": (g(), "vm-1031", "esxi02.corp.example", (100, 400), "10.10.30.51"),
        }
        self.free = {self.repo_default: 1_402_112_393_216, self.repo01: 9_874_251_431_936}
        self.total = {self.repo_default: 2_199_022_206_976, self.repo01: 21_990_219_276_288}

    def space_line(self, repo):
        self.free[repo] += self.rng.randint(-900_000_000, 700_000_000)
        return (f"[Repository] Updating repository space info, id: '{repo}', total space: {self.total[repo]}, "
                f"free: {self.free[repo]}")


def rpc_lines(rng, host):
    """The RPC invoker open/close pattern of the real job log, as (tid, level, message)."""
    inv, sess = rng.randint(1_000_000, 69_999_999), guid(rng)
    return [(1, INFO, f"[CProxyRpcInvoker] RpcInvoker [{inv}] has been created. Host: [{host}:6160]"),
            (22, INFO, f"[RPC] RPC confirm session has been created. Id: {{{sess}}}"),
            (22, INFO, f"[RPC] Destroying RPC confirm session. Id: {{{sess}}}"),
            (1, INFO, f"[CProxyRpcInvoker] RpcInvoker [{inv}] was disposed")]


def proxy_detector_lines(vm, ref, host, proxy, mode):
    return [
        f"[ProxyDetector] VMware host API version is V703. Skipping not x64 proxies",
        f"[ProxyDetector] Trying to detect source proxy modes for VM [{vm}], has snapshots:False, "
        "disk types:[Scsi: True, Sata: False, Ide: False, Nvme: False]",
        f"[ProxyDetector] Host storage 'VMware ESXi 7.0.3 build-21424296' has 14 luns",
        f"[ProxyDetector] Detecting storage access level for proxy [{proxy}]",
        f"        Proxy [{proxy}] - is in the same subnet as host [VMware ESXi 7.0.3 build-21424296]",
        f"[ProxyDetector] Detected san storage access level for proxy [{proxy}] - [SameSubnetwork]",
        f"[ProxyDetector] Detecting hotadd access level",
        f"[ProxyDetector] Detected all suitable ESXs (where vm's datastores are mounted): {host}",
        f"[ProxyDetector] Found proxy is on suitable ESX: '{ref}'. All disk can be processed through hotadd",
        f"[ProxyDetector] Detected mode [{mode}] for proxy [{proxy}]",
    ]


def manager_intro(J, rng, ctx, kind, job, job_id, sess, mode, vms):
    """The start of a job manager session: command, job definition, object list."""
    dash = "-" * 85
    J(1, INFO, dash)
    J(1, INFO, "STARTREPLICAJOB" if kind == "replica" else "STARTBACKUPJOB")
    for part in ("owner=[vbsvc]", mode, job_id, sess):
        J(1, INFO, part)
    J(1, INFO, dash)
    J(1, INFO, f"Starting job mode: '{mode}'.")
    J(1, INFO, f"[Session] Id '{sess}', State 'Working'.")
    J(1, INFO, "Custom command execution (pre script) disabled")
    J(1, INFO, "[JobLease] Creating job lease keeper. Lease timeout: '01:00:00', update timeout '60'")
    J(1, INFO, f"[LeaseKeeper] Created. LeaseId: [{hexid(rng, 32)}], TTL: [60 sec], ignoreExceptions: [False].")
    J(1, INFO, dash)
    J(1, INFO, f"    Job ID: [{job_id}]")
    J(1, INFO, f"    Job Name: [{job}]")
    J(1, INFO, f"    Job Mode: [{mode}]")
    J(1, INFO, f"    Job Type: [{'VDDK Replica' if kind == 'replica' else 'VDDK Backup'}]")
    J(1, INFO, f"    Job Options: [{job_options_xml(kind)}]")
    J(1, INFO, f"    Job VSS Settings: [{VSS_OPTIONS.format(creds=ctx.creds)}]")
    start = "8:00:00 PM" if kind == "replica" else "10:00:00 PM"
    J(1, INFO, f"    Job ScheduleOptions: [Start time: [3/1/2024 {start}], Timeout for backup completion: [180min], "
               "Retry times on failure: [2], Retry timeout: [10 min], Daily options: [Enabled: True, "
               "DayNumberInMonth: Everyday, Days: Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday]]")
    J(1, INFO, "Enable parallel processing checkbox is on")
    J(1, INFO, "[VmListBuilder] Starting hierarchy cache fill")
    J(1, INFO, "Registering TCP client channel [bs2brs]")
    J(18, INFO, "[BackupMetaUpdater] Working proc started", 0.2, 1.0)
    J(1, INFO, f"Checking compatibility between client and server (Client='{VEEAM_VERSION}', "
               f"Server='{VEEAM_VERSION}', Components=2)", 0.5, 1.5)
    J(1, INFO, f"[Hierarchy ({ctx.vc_id})] Loaded {rng.randint(380, 460)} elements", 0.2, 1.0)
    J(1, INFO, "[VmListBuilder] Finished hierarchy cache fill: 1 hierarchies loaded")
    for vm in vms:
        oid, ref, host, disks, _ = ctx.vms[vm]
        J(1, INFO, f"    Object in job: [Id: [{guid(rng)}], ObjectId: [{oid}], JobId: [{job_id}]"
                   "FolderId: [00000000-0000-0000-0000-000000000000]")
        J(1, INFO, f"Location: [{VCENTER}\\DC1\\Cluster01\\{vm}], Type: [Include], ApproxSize: [{gb(sum(disks))}]")
        J(1, INFO, f"        VM name: {vm}, VM ref: {ref}, VM host name: {host}, source host name: {VCENTER}, "
                   f"source host id : {ctx.vc_id}, source host is VC: True")
    J(1, INFO, f"Got {len(vms)} included objects")
    J(1, INFO, "[Crypto] Encrypted DB entities will be saved")
    J(1, INFO, f"[JIT] Warming up JIT of VimApi.XmlSerializers.dll")
    J(1, WARN, f"[JIT] Warmed up 3583 methods in 00:00:00.{rng.randint(1000000, 1999999)}")
    J(1, INFO, "[Soap] Outgoing connection ''.")
    J(1, INFO, f"[Soap] Logging on to \"{VCENTER}\", port 443, user \"CORP\\svc_veeam\", proxy srv: port:0, "
               "serviceType: public, timeout: 200000 ms", 0.1, 0.6)
    J(1, INFO, f"VC session cookie is '\"{hexid(rng, 40)}\"', url 'https://{VCENTER}:443/sdk'.", 0.2, 0.8)
    J(1, INFO, f"Resolved by NTLM strategy ip addresses and host names: 10.10.10.15 {VBR}")


def replica_session(L, ctx, rng, start, mode, failed):
    """One Replica_DC1 session across the job, task, source/target agent and VSS logs."""
    c = Clock(start, rng)
    job, task, src, tgt = L["job"], L["task"], L["src"], L["tgt"]
    J = lambda tid, lvl, msg, lo=0.0, hi=0.02: job.add(c.tick(lo, hi), tid, lvl, msg)   # noqa: E731
    T = lambda tid, lvl, msg, lo=0.0, hi=0.02: task.add(c.tick(lo, hi), tid, lvl, msg)  # noqa: E731
    S = lambda comp, msg, lo=0.0, hi=0.02: src.agent(c.tick(lo, hi), spid_t, comp, msg)  # noqa: E731
    D = lambda comp, msg, lo=0.0, hi=0.02: tgt.agent(c.tick(lo, hi), tpid_t, comp, msg)  # noqa: E731

    sess, tsess = guid(rng), guid(rng)
    oid, ref, host, disks, vm_ip = ctx.vms["sql01"]
    pid = rng.randint(2000, 15000)
    cmdline = f"startreplicajob owner=[vbsvc] {mode} {ctx.replica_job} {sess}"
    job.raw(c.t, veeam_header(c.t, "VBR01", BIN + r"\Veeam.Backup.Manager.exe", pid, cmdline, MANAGER_DLLS))
    c.tick(0.1, 0.3)
    manager_intro(J, rng, ctx, "replica", "Replica_DC1", ctx.replica_job, sess, mode, ["sql01"])
    for line in proxy_detector_lines("sql01", "vm-1002", host, SRC_PROXY, "hotadd;nbd"):
        J(1, INFO, line)
    J(1, INFO, f"[ProxyDetector] Detecting target proxy modes for host [dr-esxi01.corp.example]")
    J(1, INFO, f"[ProxyDetector] Detected mode [hotadd;nbd] for proxy [{TGT_PROXY}]")
    J(1, INFO, f"[ProxyDetector] Proxy affinity info: Proxy id: {ctx.proxy01_id}, Proxy name : {SRC_PROXY}")
    J(1, INFO, f"[ProxyDetector] Proxy affinity info: Proxy id: {ctx.drproxy_id}, Proxy name : {TGT_PROXY}")
    J(1, INFO, "Job size: 330 GB (330 GB provisioned).")
    J(1, INFO, "[JobSession] TotalObjects '1', totalSize '330 GB'")
    J(1, INFO, f"Resolved by NTLM strategy ip addresses and host names: {TGT_IP} {TGT_PROXY}", 0.1, 0.5)
    for tid, lvl, msg in rpc_lines(rng, TGT_PROXY):
        J(tid, lvl, msg, 0.01, 0.2)
    J(1, INFO, f"Retrieving space info for repository : Id [{ctx.repo_default}]")
    J(1, INFO, ctx.space_line(ctx.repo_default))
    J(1, INFO, "Checking free space")
    J(1, INFO, "Waiting for backup infrastructure resources availability")
    J(1, INFO, f"Task group {guid(rng)} is ready. Preparing next task group for processing", 1.0, 6.0)
    J(1, INFO, f"- - Request: ViDisk_|ViReplicaProxyPairResourceRequest, source proxies: [Vi proxy resource "
               f"[id={ctx.proxy01_id} : srv name={SRC_PROXY} : access level=HotAddDifferentHosts : max usage=4 : "
               f"vddk modes=hotadd;nbd]], target proxies: [Vi proxy resource [id={ctx.drproxy_id} : "
               f"srv name={TGT_PROXY} : access level=HotAddDifferentHosts : max usage=4 : vddk modes=hotadd;nbd]]")
    J(1, INFO, "- - - - Response: Count: 1, details: [Subresponses: [Source proxy allocated, target proxy allocated]]")
    J(25, INFO, f"Set status 'InProgress' for task session '{tsess}', object name 'sql01'")

    # ---- task log: guest processing, snapshot, metadata and agents (all fine)
    task.raw(c.t, veeam_header(c.t, "VBR01", BIN + r"\Veeam.Backup.Manager.exe", pid, cmdline, MANAGER_DLLS))
    T(25, INFO, f"Task session '{tsess}', VM 'sql01' ({ref}), job 'Replica_DC1', mode '{mode}'", 0.1, 0.3)
    T(25, INFO, f"[ViReplicaTask] Source host '{host}', target host 'dr-esxi01.corp.example', "
                "target datastore 'dr-ds01', replica name 'sql01_replica'")
    vss_session(L["vss"], rng, c, "sql01", vm_ip, pid, cmdline, sql=True)
    T(25, INFO, f"[VimApi] Create snapshot, ref \"{ref}\", name \"VEEAM BACKUP TEMPORARY SNAPSHOT\", "
                "description \"Please do not delete this snapshot. It is being used by Veeam Backup.\", "
                "memory \"False\", quiesce \"False\"", 2.0, 5.0)
    snap = f"snapshot-{rng.randint(80000, 99999)}"
    T(25, INFO, f"[VimApi] Snapshot created, ref \"{snap}\", elapsed 00:00:0{rng.randint(2, 9)}", 2.0, 8.0)
    T(25, INFO, f"[ReplicaTarget] Connecting to target host 'dr-esxi01.corp.example' via proxy '{TGT_PROXY}'")
    for f, size in (("sql01.vmx", "4.3 KB"), ("sql01.vmxf", "0.3 KB"), ("sql01.nvram", "8.5 KB")):
        T(25, INFO, f"[ReplicaTarget] Uploading '{f}' ({size}) to '[dr-ds01] sql01_replica/{f}'", 0.1, 0.4)
        T(25, INFO, f"[ReplicaTarget] Upload of '{f}' completed", 0.1, 0.6)
    T(25, INFO, "[ReplicaTarget] Replica VM 'sql01_replica' (vm-2301) configuration updated")
    agent_src, agent_tgt = guid(rng), guid(rng)
    for a, who in ((agent_src, SRC_PROXY), (agent_tgt, TGT_PROXY)):
        T(25, INFO, f"[AgentMngr] Starting agent on host '{who}', id '{a}'", 0.1, 0.3)
        T(25, INFO, f"[AgentMngr] Checking whether agent '{a}' is alive on host '{who}' with timeout.", 0.5, 2.0)
        T(25, INFO, f"[AgentMngr] Agent has been started, id '{a}', host '{who}'", 0.1, 0.3)

    spid, tpid = rng.randint(2000, 9000), rng.randint(2000, 9000)
    spid_t, tpid_t = rng.randint(1000, 9999), rng.randint(1000, 9999)
    src.raw(c.t, veeam_header(c.t, "PROXY01", AGENT_EXE, spid,
                              f"-l Replica_DC1\\Agent.Replica_DC1.Source.sql01.log -id {agent_src}", native=True))
    tgt.raw(c.t, veeam_header(c.t, "DR-PROXY01", AGENT_EXE, tpid,
                              f"-l Replica_DC1\\Agent.Replica_DC1.Target.sql01.log -id {agent_tgt}", native=True))
    S("cli", f"Agent started, pid {spid}, role 'Source', job 'Replica_DC1', session {{{tsess}}}", 0.01, 0.1)
    D("cli", f"Agent started, pid {tpid}, role 'Target', job 'Replica_DC1', session {{{tsess}}}", 0.01, 0.1)
    D("srv", f"Listening on 0.0.0.0:{DATA_PORT}")
    S("vdl", "[vddk] VixDiskLib: VixDiskLib_InitEx: Initialize VixDiskLib 7.0.3 build-20134304", 0.1, 0.5)
    for n, size in enumerate(disks, 1):
        dname = "sql01.vmdk" if n == 1 else f"sql01_{n - 1}.vmdk"
        S("vdl", f"[vddk] Opening disk '[ds-prod-01] sql01/{dname}' in mode 'hotadd'", 0.3, 1.5)
        S("vdl", f"[vddk] Disk '[ds-prod-01] sql01/{dname}' opened, capacity {gb(size)} bytes", 1.0, 4.0)
        D("vdl", f"[vddk] Opening disk '[dr-ds01] sql01_replica/{dname}' in mode 'hotadd'", 0.1, 0.5)
        D("vdl", f"[vddk] Disk '[dr-ds01] sql01_replica/{dname}' opened for write", 1.0, 3.0)
    lport = rng.randint(50000, 64000)
    S("net", f"Connecting to target agent {TGT_PROXY}:{DATA_PORT} ({TGT_IP})", 0.1, 0.3)
    D("srv", f"Accepted connection from {SRC_IP}:{lport}", 0.02, 0.06)
    S("net", f"Connected. Local endpoint {SRC_IP}:{lport}, remote endpoint {TGT_IP}:{DATA_PORT}")
    S("net", "TLS handshake completed (TLS 1.2, ECDHE-RSA-AES256-GCM-SHA384)", 0.05, 0.15)
    S("net", "Control message 'Hello' sent (148 bytes), reply 'HelloAck' received (96 bytes), rtt 23 ms", 0.02, 0.06)
    D("srv", "Control message 'Hello' received (148 bytes), protocol 11.0, compression 'Optimal'")
    S("net", "Control message 'GetDiskInfo' sent (312 bytes), reply received (1.2 KB)", 0.02, 0.06)
    T(25, INFO, f"Data transfer: '{SRC_PROXY}' -> '{TGT_PROXY}:{DATA_PORT}' ({TGT_IP}), encryption: enabled, "
                "compression: Optimal", 0.05, 0.2)

    total = gb(17) if failed else gb(6) + 512 * 1024 ** 2
    T(25, INFO, f"Task total size: 330 GB. Changed data (CBT): {total // 1024 ** 2} MB")
    J(25, INFO, f"  Task progress: '0%', '0' of '{total:,}' bytes, '0' of '{total:,}' used bytes, object '0' of '1'")
    blocks = total // 1024 ** 2
    stall_pct = 37
    stall_block = blocks * stall_pct // 100 + 1

    def progress(pct, done, lo=0.0, hi=0.02):
        return J(25, INFO, f"  Task progress: '{pct}%', '{done:,}' of '{total:,}' bytes, '{done:,}' of '{total:,}' "
                           "used bytes, object '0' of '1'", lo, hi)

    # ---- bulk transfer
    end_pct = stall_pct if failed else 100
    if failed:
        S("dsk", f"Changed area starts with {stall_block - 1} blocks of zeroes and unchanged-digest blocks; "
                 "sending them as sparse markers (48 bytes each)", 0.1, 0.3)
    block, pct = 0, 0
    while pct < end_pct:
        step = rng.randint(1, 3)
        pct = min(end_pct, pct + step)
        target_block = blocks * pct // 100
        c.tick(4.0, 9.0) if failed else c.tick(12.0, 22.0)
        while block < target_block:
            block += rng.randint(24, 72)
            block = min(block, target_block)
            if failed:
                S("dsk", f"Block {block} of {blocks}: sparse marker sent (48 bytes)", 0.01, 0.3)
            else:
                comp = rng.randint(380_000, 640_000)
                S("dsk", f"Block {block} of {blocks} read (1048576 bytes), compressed to {comp} bytes", 0.01, 0.2)
                S("net", f"Sent data block {block} ({comp} bytes), acknowledged", 0.001, 0.05)
                if rng.random() < 0.5:
                    D("stg", f"Block {block} written to '[dr-ds01] sql01_replica/sql01.vmdk' "
                             f"at offset {block * 1048576}", 0.001, 0.05)
        done = total * pct // 100
        progress(pct, done)
        if rng.random() < 0.3:
            T(47, INFO, f"Hard disk 1 ({disks[0]} GB): {pct}% done, {done / 1024 ** 3:.1f} GB of "
                        f"{total / 1024 ** 3:.1f} GB transferred")

    if not failed:
        S("net", "All blocks acknowledged by target agent", 0.1, 0.5)
        D("stg", "Flushing replica disks", 0.1, 0.4)
        D("srv", "Session completed, client disconnected", 1.0, 3.0)
        S("cli", "Agent finished successfully", 0.2, 0.6)
        T(25, INFO, f"Hard disk 1 ({disks[0]} GB) {total / 1024 ** 3:.1f} GB read at "
                    f"{rng.randint(38, 52)} MB/s [CBT]")
        T(25, INFO, f"Hard disk 2 ({disks[1]} GB) 0 B read at 0 KB/s [CBT]")
        T(25, INFO, "[ReplicaTarget] Creating restore point snapshot on 'sql01_replica'", 0.5, 2.0)
        T(25, INFO, f"[VimApi] RemoveSnapshot, type \"VirtualMachineSnapshot\", ref \"{snap}\", "
                    "removeChildren \"False\"", 1.0, 3.0)
        T(25, INFO, "[VimApi] Snapshot removed", 5.0, 20.0)
        J(25, INFO, f"Task session '{tsess}' has been completed, status: 'Success', '{total:,}' of "
                    f"'{total:,}' bytes, '1' of '1' objects, details: ''")
        return replica_finish(J, rng, ctx, sess, total, total, "Success",
                              "Load: Source 58% > Proxy 37% > Network 44% > Target 12%", "Source")

    # ---- the stall: bulk data never gets through, small control traffic does
    stall_done = total * stall_pct // 100
    wait_start = c.t
    attempt = 0
    limit = timedelta(minutes=30)
    while True:
        attempt += 1
        # the next full-size block is sent and never acknowledged
        comp = rng.randint(470_000, 640_000)
        S("dsk", f"Block {stall_block} of {blocks} read (1048576 bytes), compressed to {comp} bytes", 0.01, 0.2)
        sent = S("net", f"Sending data block {stall_block} ({comp} bytes)")
        for _ in range(rng.randint(1, 2)):
            S("net", f"Keep-alive reply from {TGT_PROXY} ({TGT_IP}:{DATA_PORT}), rtt {rng.randint(21, 27)} ms",
              8.0, 13.0)
            progress(stall_pct, stall_done)
        c.at_least(sent + timedelta(seconds=30))
        S("net", f"WARN|Send queue is not draining: {rng.choice((262144, 327680, 393216))} bytes queued, "
                 "0 bytes acknowledged in last 30 sec", 0.0, 0.2)
        progress(stall_pct, stall_done, 1.0, 6.0)
        c.at_least(sent + timedelta(seconds=45))
        D("srv", f"WARN|Timed out waiting for data from {SRC_PROXY}:{lport} ({SRC_IP}), 0 of {comp} bytes "
                 f"of block {stall_block} received in 45 sec. Closing connection.", 0.0, 0.3)
        waited = int((c.t - sent).total_seconds())
        S("net", f"ERR |Timed out waiting for data from {TGT_PROXY}:{DATA_PORT} after {waited} sec.", 0.001, 0.01)
        S("net", ">>  |An existing connection was forcibly closed by the remote host.")
        S("net", f">>  |--tr:Failed to send data block {stall_block} to target agent.")
        S("net", ">>  |--tr:CNetSocket::Send: WSAECONNRESET (10054).")
        J(43, WARN, f"[ReconnectableSocket] Connection to '{TGT_PROXY}:{DATA_PORT}' was interrupted: "
                    "An existing connection was forcibly closed by the remote host.", 0.01, 0.05)
        T(47, WARN, f"[AgentClient] Source agent on '{SRC_PROXY}': An existing connection was forcibly closed "
                    "by the remote host.", 0.001, 0.01)
        elapsed = c.t - wait_start
        left = f"{int(elapsed.total_seconds()) // 3600:02d}:{int(elapsed.total_seconds()) // 60 % 60:02d}:" \
               f"{int(elapsed.total_seconds()) % 60:02d}"
        if elapsed >= limit:
            break
        S("net", f"Unstable connection: unable to transmit data. Resume on disconnect: next attempt in 15 sec "
                 f"(attempt {attempt}, elapsed {left} of 00:30:00)", 0.001, 0.01)
        T(47, WARN, f"Unstable connection: unable to transmit data. Reconnecting to '{TGT_PROXY}' in 15 sec "
                    f"(attempt {attempt})", 0.001, 0.01)
        J(43, WARN, "[TaskSession] 'sql01': Unstable connection: unable to transmit data.", 0.001, 0.01)
        J(43, INFO, f"[ReconnectableSocket] Resume on disconnect: reconnecting in 15 sec, attempt {attempt} "
                    f"(elapsed {left} of 00:30:00)", 0.001, 0.01)
        c.tick(15.0, 15.1)
        lport = rng.randint(50000, 64000)
        S("net", f"Reconnecting to {TGT_PROXY}:{DATA_PORT} ({TGT_IP}), attempt {attempt}")
        D("srv", f"Accepted connection from {SRC_IP}:{lport} (resume of session {{{tsess}}})", 0.02, 0.06)
        S("net", f"Connected. Local endpoint {SRC_IP}:{lport}, remote endpoint {TGT_IP}:{DATA_PORT}")
        S("net", "TLS handshake completed (TLS 1.2, ECDHE-RSA-AES256-GCM-SHA384)", 0.05, 0.15)
        S("net", f"Session resumed, target confirmed last block {stall_block - 1}", 0.02, 0.06)
        D("srv", f"Session resumed at block {stall_block}")
        J(43, INFO, f"[ReconnectableSocket] Connection to '{TGT_PROXY}:{DATA_PORT}' restored", 0.01, 0.05)
        T(47, INFO, f"[AgentMngr] Checking whether agent '{agent_tgt}' is alive on host '{TGT_PROXY}' "
                    "with timeout.", 0.01, 0.05)
        T(47, INFO, f"[AgentMngr] Agent '{agent_tgt}' is alive on host '{TGT_PROXY}', rtt 24 ms", 0.02, 0.06)

    # ---- resume window exhausted: the task and the session fail
    S("net", "ERR |Resume on disconnect timeout (00:30:00) expired. Giving up.", 0.01, 0.05)
    S("net", ">>  |Unstable connection: unable to transmit data.")
    S("net", ">>  |An existing connection was forcibly closed by the remote host.")
    S("cli", "ERR |Agent finished with error: data transfer failed", 0.1, 0.3)
    D("srv", "ERR |Client did not resume the session within 00:30:00, aborting", 0.5, 2.0)
    D("stg", "Replica disks closed without commit, restore point discarded", 0.1, 0.3)
    D("cli", "Agent finished with error", 0.1, 0.3)
    task.stack(c.tick(0.1, 0.3), 47, ERR, f"Timed out waiting for data from {TGT_PROXY}:{DATA_PORT}.",
               "Veeam.Backup.Common.CTimeoutException", TIMEOUT_FRAMES)
    task.stack(c.tick(0.001, 0.01), 47, ERR, "An existing connection was forcibly closed by the remote host.",
               "System.Net.Sockets.SocketException", TRANSFER_FRAMES)
    T(25, ERR, "Hard disk 1 (80 GB) processing failed: Unstable connection: unable to transmit data.")
    T(25, INFO, f"[VimApi] RemoveSnapshot, type \"VirtualMachineSnapshot\", ref \"{snap}\", "
                "removeChildren \"False\"", 1.0, 3.0)
    T(25, INFO, "[VimApi] Snapshot removed", 5.0, 20.0)
    T(25, INFO, "[ReplicaTarget] Reverting replica 'sql01_replica' to the last good restore point", 0.2, 0.8)
    job.stack(c.tick(0.01, 0.05), 25, ERR, f"Timed out waiting for data from {TGT_PROXY}:{DATA_PORT}.",
              "Veeam.Backup.Common.CTimeoutException", TIMEOUT_FRAMES)
    job.stack(c.tick(0.001, 0.01), 25, ERR, "An existing connection was forcibly closed by the remote host.",
              "System.Net.Sockets.SocketException", TRANSFER_FRAMES)
    J(25, ERR, "Processing sql01 Error: An existing connection was forcibly closed by the remote host.")
    J(25, INFO, f"Task session '{tsess}' has been completed, status: 'Failed', '{stall_done:,}' of '{total:,}' "
                "bytes, '0' of '1' objects, details: 'Error: An existing connection was forcibly closed by the "
                "remote host.'")
    return replica_finish(J, rng, ctx, sess, stall_done, total, "Failed",
                          "Load: Source 3% > Proxy 5% > Network 99% > Target 1%", "Network")


def replica_finish(J, rng, ctx, sess, done, total, status, load, bottleneck):
    J(1, INFO, f"[Session] Id '{sess}', State 'Postprocessing'.", 0.5, 2.0)
    J(1, INFO, "[ReplicaMetaUpdater] Saving replica metadata for 'sql01_replica'")
    J(1, INFO, f"[ReplicaMetaUpdater] Replica metadata saved to repository 'Default Backup Repository' "
               f"({rng.randint(12, 19)}.{rng.randint(0, 9)} KB)", 0.2, 0.8)
    J(1, INFO, ctx.space_line(ctx.repo_default))
    J(1, INFO, "[CStorageLinksHelper] Asserting storage links...")
    J(1, INFO, "[CStorageLinksHelper] Storage links checked successfully")
    J(1, INFO, "[PerBackupSourceAgentMngr] Disposing")
    J(1, INFO, f"[JobSession] Completing session '{sess}'.")
    J(1, INFO, load)
    J(1, INFO, f"Primary bottleneck: {bottleneck}")
    J(1, INFO, f"Backuped size: {done / 1024 ** 3:.1f} GB, total backuped size: {done / 1024 ** 3:.1f} GB")
    details = "" if status == "Success" else "Error: An existing connection was forcibly closed by the remote host."
    J(1, INFO, f"Job session '{sess}' has been completed, status: '{status}', '{done:,}' of '{total:,}' bytes, "
               f"'1' of '1' tasks, '{1 if status == 'Success' else 0}' successful, "
               f"'{0 if status == 'Success' else 1}' failed, details: '{details}', PointId: [{guid(rng)}]")
    J(1, INFO, f"[BackupJobPostActivity] JobSession '{sess}' PostActivity: 'AskService'")
    J(1, INFO, f"[BackupJobPostActivity] Session result is {status}. Checking if it is last retry")
    J(1, INFO, "Email notification is sent" if status != "Success" else "Email notification is not required")
    J(1, INFO, f"Job [Replica_DC1] is ready to finish. SessionId: [{sess}]")
    J(1, INFO, "Disposing SVeeamBackupService...")
    J(10, INFO, "[LicenseClient] License client stopped. Stopping refresh loop...")
    return J(1, INFO, "    Job process lock was disposed.", 0.1, 0.5)


def vss_session(log, rng, c, vm, ip, pid, cmdline, sql=False):
    """Guest processing lines in Util.VeeamVssSupport.log (healthy: freeze and thaw within seconds)."""
    t = Clock(c.t, rng)
    if pid not in log.pids:  # the job manager process opens the log: header block
        log.pids.add(pid)
        log.raw(t.t, veeam_header(t.t, "VBR01", BIN + r"\Veeam.Backup.Manager.exe", pid, cmdline, MANAGER_DLLS))
    tid = rng.randint(30, 70)
    V = lambda lvl, msg, lo=0.01, hi=0.3: log.add(t.tick(lo, hi), tid, lvl, msg)  # noqa: E731
    V(INFO, f"[VssProc] Guest processing for '{vm}' started, guest interaction proxy '{VBR}'")
    V(INFO, f"Resolved by NTLM strategy ip addresses and host names: {ip} {vm}.corp.example")
    V(INFO, f"[VssProc] Connecting to guest OS via RPC: {ip} ({vm}.corp.example)", 0.1, 0.5)
    V(INFO, "[VssProc] Connected, guest OS: Microsoft Windows Server 2019 Standard (x64)", 0.3, 1.5)
    V(INFO, "[VssProc] Collecting writers metadata")
    writers = [("System Writer", "e8132975-6f93-4464-a53e-1050253ae220"),
               ("WMI Writer", "a6ad56c2-b509-4e6c-bb19-49d8f43532f0"),
               ("Registry Writer", "afbab4a2-367d-4d15-a586-71dbb18f8485"),
               ("COM+ REGDB Writer", "542da469-d3e1-473c-9f4f-7847f01fc64f"),
               ("Task Scheduler Writer", "d61d61c8-d73a-4eee-8cdd-f6f9786b7124"),
               ("VSS Metadata Store Writer", "75dfb225-e2e4-4d39-9ac9-ffaff65ddf06"),
               ("ASR Writer", "be000cbe-11fe-4426-9c58-531aa6355fc4")]
    if sql:
        writers.insert(0, ("SqlServerWriter", "a65faa63-5ea8-4ebc-9dbd-a0c4db26912a"))
    for name, wid in writers:
        V(INFO, f"[VssProc] Writer '{name}' ({{{wid}}}) state: [1] Stable, last error: No error", 0.0, 0.05)
    V(INFO, "[VssProc] Preparing for freeze, timeout 900 sec", 0.1, 0.4)
    V(INFO, f"[VssProc] Freeze completed in {rng.uniform(1.2, 3.9):.1f} sec", 1.0, 4.0)
    V(INFO, f"[VssProc] Snapshot set '{{{guid(rng)}}}' created")
    V(INFO, f"[VssProc] Thaw completed, writers released after {rng.uniform(3.0, 7.0):.1f} sec", 1.0, 3.0)
    if sql:
        V(INFO, "[VssProc] SQL Server instance 'MSSQLSERVER': 4 databases, transaction logs will be truncated "
                "after successful job")
    V(INFO, f"[VssProc] Guest processing for '{vm}' finished successfully")
    c.at_least(t.t)


def backup_session(L, ctx, rng, start):
    """One successful Backup_Daily session (the ordinary job next door)."""
    c = Clock(start, rng)
    job, task, agent = L["bjob"], L["btask"], L["bagent"]
    J = lambda tid, lvl, msg, lo=0.0, hi=0.02: job.add(c.tick(lo, hi), tid, lvl, msg)  # noqa: E731
    sess = guid(rng)
    pid = rng.randint(2000, 15000)
    vms = ["web01", "web02", "app01", "file01"]
    cmdline = f"startbackupjob owner=[vbsvc] Normal {ctx.backup_job} {sess}"
    job.raw(c.t, veeam_header(c.t, "VBR01", BIN + r"\Veeam.Backup.Manager.exe", pid, cmdline, MANAGER_DLLS))
    c.tick(0.1, 0.3)
    manager_intro(J, rng, ctx, "backup", "Backup_Daily", ctx.backup_job, sess, "Normal", vms)
    for vm in vms:
        oid, ref, host, disks, _ = ctx.vms[vm]
        J(1, INFO, f"[ViTaskBuilder] Creating task for Vm '{vm}', object: '{oid}'")
        for line in proxy_detector_lines(vm, "vm-1002", host, SRC_PROXY, "hotadd;nbd"):
            J(1, INFO, line)
    J(1, INFO, "[BackupJobTarget] Initializing backup target, mode: 'Normal', agent sharing mode: 'SharedAgent', "
               "repository: 'Repo01'.")
    J(1, INFO, "Checking version of repository 'Repo01'.")
    J(1, INFO, "Repository 'Repo01' version is supported.")
    J(1, INFO, "Resolved by NTLM strategy ip addresses and host names: 10.10.40.11 repo01.corp.example", 0.2, 0.8)
    for tid, lvl, msg in rpc_lines(rng, "repo01.corp.example"):
        J(tid, lvl, msg, 0.01, 0.2)
    J(1, INFO, f"Retrieving space info for repository : Id [{ctx.repo01}]")
    J(1, INFO, ctx.space_line(ctx.repo01))
    J(1, INFO, "Checking free space")
    J(1, INFO, f"[BackupLock] Locking 1 backup(s) as write-only: {guid(rng)}")
    J(1, INFO, "[BackupJobTarget] Job session is running in incremental mode")
    J(1, INFO, "Waiting for backup infrastructure resources availability")
    vib = f"Backup_DailyD{start:%Y-%m-%dT%H%M%S}_{hexid(rng, 4).upper()}.vib"
    total_done = 0
    for i, vm in enumerate(vms):
        oid, ref, host, disks, ip = ctx.vms[vm]
        tsess = guid(rng)
        J(1, INFO, f"- - Request: Prepare Vi VMs, Vm '{vm}' on Host: '{host}'", 0.5, 3.0)
        J(1, INFO, "- - - - Response: VMs allocated for processing")
        J(25 + i, INFO, f"Set status 'InProgress' for task session '{tsess}', object name '{vm}'")
        if vm in ("app01", "file01"):
            vss_session(L["vss"], rng, c, vm, ip, pid, cmdline)
        if vm == "web01":
            task.raw(c.t, veeam_header(c.t, "VBR01", BIN + r"\Veeam.Backup.Manager.exe", pid, cmdline,
                                       MANAGER_DLLS))
        changed = rng.randint(900, 4800) * 1024 ** 2 * len(disks)
        done, pct = 0, 0
        if vm == "web01":
            web01_task(task, agent, rng, c, ref, host, changed)
        else:
            J(25 + i, INFO, f"[VimApi] Create snapshot, ref \"{ref}\", name \"VEEAM BACKUP TEMPORARY SNAPSHOT\", "
                            "memory \"False\", quiesce \"False\"", 1.0, 3.0)
        while pct < 100:
            pct = min(100, pct + rng.randint(3, 9))
            done = changed * pct // 100
            J(25 + i, INFO, f"  Task progress: '{pct}%', '{done:,}' of '{changed:,}' bytes, '{done:,}' of "
                            f"'{changed:,}' used bytes, object '0' of '1'", 2.0, 9.0)
            if rng.random() < 0.35:
                ap = hexid(rng, 4)
                J(1, INFO, f"        [AP] ({ap}) command: 'stat\\nE:\\Backups\\Backup_Daily\\{vib}\\n'")
                for out in (rng.randint(10 ** 6, 10 ** 9), done, 0, rng.randint(40, 70), ">"):
                    J(30 + i, INFO, f"          [AP] ({ap}) output: {out}", 0.0, 0.01)
        J(25 + i, INFO, f"[VimApi] RemoveSnapshot, type \"VirtualMachineSnapshot\", "
                        f"ref \"snapshot-{rng.randint(80000, 99999)}\", removeChildren \"False\"", 0.5, 2.0)
        J(25 + i, INFO, f"Task session '{tsess}' has been completed, status: 'Success', '{changed:,}' of "
                        f"'{changed:,}' bytes, '1' of '1' objects, details: ''", 3.0, 12.0)
        total_done += changed
    J(1, INFO, f"[Session] Id '{sess}', State 'Postprocessing'.", 1.0, 3.0)
    J(1, INFO, "Completing storages in incremental mode")
    J(1, INFO, f"Collecting storage statistic, file '{vib}'")
    J(1, INFO, ctx.space_line(ctx.repo01))
    J(1, INFO, "Checking free space")
    J(1, INFO, "[SimplePointGenerationPolicy] Entering VM retention.")
    J(1, INFO, "[SimplePointGenerationPolicy] Exiting VM retention.", 0.2, 1.0)
    J(1, INFO, "[BackupHealthCheck] Integrity check is not needed")
    J(1, INFO, f"[JobSession] Completing session '{sess}'.")
    J(1, INFO, f"Load: Source {rng.randint(82, 96)}% > Proxy {rng.randint(25, 45)}% > Network "
               f"{rng.randint(8, 20)}% > Target {rng.randint(4, 12)}%")
    J(1, INFO, "Primary bottleneck: Source")
    J(1, INFO, f"Backuped size: {total_done / 1024 ** 3:.1f} GB, total backuped size: "
               f"{total_done / 1024 ** 3:.1f} GB")
    J(1, INFO, f"Job session '{sess}' has been completed, status: 'Success', '{total_done:,}' of "
               f"'{total_done:,}' bytes, '4' of '4' tasks, '4' successful, '0' failed, details: '', "
               f"PointId: [{guid(rng)}]")
    J(1, INFO, f"Job [Backup_Daily] is ready to finish. SessionId: [{sess}]")
    J(1, INFO, "Disposing SVeeamBackupService...")
    return c.t


def web01_task(task, agent, rng, c, ref, host, changed):
    """Task.Backup_Daily.web01.log and the proxy-side agent log: a healthy LAN transfer."""
    T = lambda lvl, msg, lo=0.0, hi=0.05: task.add(c.tick(lo, hi), 25, lvl, msg)  # noqa: E731
    atid = rng.randint(1000, 9999)
    A = lambda comp, msg, lo=0.0, hi=0.05: agent.agent(c.tick(lo, hi), atid, comp, msg)  # noqa: E731
    apid = rng.randint(2000, 9000)
    T(INFO, f"Task session for VM 'web01' ({ref}) on host '{host}', repository 'Repo01'")
    T(INFO, f"[VimApi] Create snapshot, ref \"{ref}\", name \"VEEAM BACKUP TEMPORARY SNAPSHOT\", "
            "memory \"False\", quiesce \"False\"", 1.0, 3.0)
    T(INFO, "[VimApi] Snapshot created", 2.0, 5.0)
    T(INFO, "[ProxyDetector] Using proxy [proxy01.corp.example] in mode [hotadd]")
    agent.raw(c.t, veeam_header(c.t, "PROXY01", AGENT_EXE, apid,
                                f"-l Backup_Daily\\Agent.Backup_Daily.Source.web01.log", native=True))
    A("cli", f"Agent started, pid {apid}, role 'Source', job 'Backup_Daily'")
    A("vdl", "[vddk] VixDiskLib: VixDiskLib_InitEx: Initialize VixDiskLib 7.0.3 build-20134304")
    A("vdl", "[vddk] Opening disk '[ds-prod-02] web01/web01.vmdk' in mode 'hotadd'", 0.3, 1.0)
    A("net", "Connected to repository agent repo01.corp.example:2500 (10.10.40.11)", 0.2, 0.6)
    blocks = changed // 1024 ** 2
    b = 0
    while b < blocks:
        b = min(blocks, b + rng.randint(40, 120))
        A("dsk", f"Block {b} of {blocks} read (1048576 bytes), compressed to {rng.randint(300_000, 600_000)} "
                 "bytes, acknowledged", 0.3, 1.2)
        if rng.random() < 0.2:
            T(INFO, f"Hard disk 1 (60 GB): {b * 100 // blocks}% done")
    A("cli", "Agent finished successfully", 0.2, 0.5)
    T(INFO, f"Hard disk 1 (60 GB) {changed / 1024 ** 3:.1f} GB read at {rng.randint(105, 160)} MB/s [CBT]")
    T(INFO, "[VimApi] Snapshot removed", 3.0, 9.0)


def service_noise(log, rng, ctx, start, end, mean_gap, table):
    """Fill a service log with template-driven ordinary lines between start and end."""
    weights = [w for w, _ in table]
    fns = [f for _, f in table]
    t = start
    while True:
        t += timedelta(microseconds=int(rng.expovariate(1.0 / mean_gap) * 1_000_000))
        if t >= end:
            break
        fn = rng.choices(fns, weights)[0]
        tid = rng.choice((5, 7, 9, 12, 14, 17, 21, 28, 33, 41))
        when = t
        for entry in fn(rng, ctx):
            lvl, msg = entry[0], entry[1]
            when += timedelta(microseconds=rng.randint(200, 30000))
            if len(entry) == 3:  # a stack trace
                log.stack(when, tid, lvl, msg, entry[2][0], entry[2][1])
            else:
                log.add(when, tid, lvl, msg)


HOSTS = (VBR, SRC_PROXY, TGT_PROXY, "repo01.corp.example")
NTLM_PAIRS = ("10.10.20.31 proxy01.corp.example", "10.50.20.31 dr-proxy01.corp.example",
              "10.10.40.11 repo01.corp.example")

SVC_BACKUP_TABLE = [
    (8, lambda r, x: [(INFO, f"[ResourceScheduler] Resources allocation iteration finished. Requests: "
                             f"{r.randint(0, 3)}, allocated: 0, elapsed: 00:00:00.0{r.randint(100, 999)}")]),
    (6, lambda r, x: [(lvl, m) for _, lvl, m in rpc_lines(r, r.choice(HOSTS))]),
    (5, lambda r, x: [(INFO, f"[AgentMngr] Checking whether agent '{guid(r)}' is alive on host "
                             f"'{r.choice(HOSTS)}' with timeout.")]),
    (4, lambda r, x: [(INFO, f"[JobsScheduler] Checking jobs schedule: 2 enabled jobs, next run "
                             f"'Replica_DC1' at 8:00:00 PM, 'Backup_Daily' at 10:00:00 PM")]),
    (4, lambda r, x: [(INFO, f"[SessionsWatcher] Active sessions: {r.randint(0, 2)}, pending: 0")]),
    (3, lambda r, x: [(INFO, f"[CHostConfigurationUpdater] Updating configuration of host '{r.choice(HOSTS)}'"),
                      (INFO, "[CHostConfigurationUpdater] Host configuration is up to date")]),
    (3, lambda r, x: [(INFO, x.space_line(r.choice((x.repo_default, x.repo01))))]),
    (3, lambda r, x: [(INFO, "Resolved by NTLM strategy ip addresses and host names: " + r.choice(NTLM_PAIRS))]),
    (3, lambda r, x: [(INFO, f"[DbConnectionPool] Connections: active {r.randint(1, 6)}, idle {r.randint(8, 20)}")]),
    (2, lambda r, x: [(INFO, f"[Soap] Logging on to \"{VCENTER}\", port 443, user \"CORP\\svc_veeam\", proxy srv: "
                             "port:0, serviceType: public, timeout: 200000 ms"),
                      (INFO, f"[Soap] Host content info: host \"{VCENTER}\", type \"vpx\", version \"7.0.3\", "
                             f"build \"21477706\", apiVersion \"7.0.3.0\", sessionKey: \"{guid(r)}\"")]),
    (2, lambda r, x: [(INFO, "[SessionCleaner] Removing obsolete sessions, retention 53 weeks"),
                      (INFO, f"[SessionCleaner] {r.randint(0, 4)} sessions removed")]),
    (1, lambda r, x: [(INFO, "[ProxyDetector] Refreshing proxy load: "
                             f"[{SRC_PROXY}: {r.randint(0, 4)} of 4 tasks], [{TGT_PROXY}: 0 of 4 tasks]")]),
    (0.3, lambda r, x: [(WARN, f"[SqlPerformance] Slow query: [dbo].[Backup.Model.GetJobSessionsByJob] took "
                             f"{r.randint(2100, 4200)} ms")]),
    (0.2, lambda r, x: [(WARN, f"[Mutex] Waiting for mutex [Global\\VeeamConfigurationSync] for more than 10 sec")]),
    (0.05, lambda r, x: [(ERR, "[EmailNotifier] Failed to send notification to 'backup-alerts@corp.example': "
                               "Mailbox unavailable. The server response was: 4.7.0 Temporary server error. "
                               "Please try again later",
                          ("System.Net.Mail.SmtpException",
                           ("System.Net.Mail.SmtpTransport.SendMail(MailAddress sender, MailAddressCollection "
                            "recipients, String deliveryNotify, Boolean allowUnicode, SmtpFailedRecipientException& "
                            "exception)",
                            "System.Net.Mail.SmtpClient.Send(MailMessage message)",
                            "Veeam.Backup.Core.Notifications.CSmtpNotifier.Send(CEmailMessage message)",
                            "Veeam.Backup.Core.Notifications.CNotificationQueue.ProcessQueue()")))]),
]

SVC_MOUNT_TABLE = [
    (6, lambda r, x: [(INFO, "[MountSrv] Checking for obsolete mount sessions. Sessions: 0")]),
    (4, lambda r, x: [(INFO, f"[NfsDatastore] vPower NFS datastore 'VeeamBackup_vbr01' is healthy on host "
                             f"'esxi0{r.randint(1, 3)}.corp.example'")]),
    (4, lambda r, x: [(INFO, f"[RpcServer] Incoming connection from '10.10.10.15:{r.randint(49152, 65535)}'"),
                      (INFO, "[RpcServer] Connection closed")]),
    (2, lambda r, x: [(INFO, f"[MountSrv] Free space in cache folder 'C:\\ProgramData\\Veeam\\Backup\\IRCache': "
                             f"{r.randint(180, 190)} GB")]),
    (1, lambda r, x: [(INFO, "[FlrCleaner] No stale FLR mount points found")]),
    (0.15, lambda r, x: [(WARN, "[NfsDatastore] Host 'esxi03.corp.example' did not answer the NFS heartbeat "
                               "within 5 sec, will retry")]),
]

SVC_BROKER_TABLE = [
    (6, lambda r, x: [(INFO, f"[VcsEventsCollector] Collected {r.randint(0, 40)} events from '{VCENTER}'")]),
    (4, lambda r, x: [(INFO, f"[Hierarchy ({x.vc_id})] Loaded {r.randint(380, 460)} elements"),
                      (INFO, f"[HierarchyUpdater] Hierarchy for '{VCENTER}' updated, elapsed "
                             f"00:00:0{r.randint(1, 4)}.{r.randint(1000, 9999)}")]),
    (3, lambda r, x: [(INFO, f"[BrokerTasks] Task 'RefreshHostHierarchy' completed in 00:00:0{r.randint(1, 3)}")]),
    (2, lambda r, x: [(INFO, f"[Soap] Connection '{VCENTER}:443:CORP\\svc_veeam:False::0:1' is alive")]),
    (1, lambda r, x: [(INFO, f"[BrokerService] Cached objects: {r.randint(1800, 2100)}, subscribers: 3")]),
]


def svc_job_events(log, rng, sched):
    """What the backup service logs when the scheduler starts a job and a session ends."""
    for start, job, end, status in sched:
        sid = guid(rng)
        log.add(start - timedelta(seconds=1), 9, INFO, f"[JobsScheduler] Starting job '{job}' by schedule")
        log.add(start, 9, INFO, f"[BackupServerService] Job '{job}' started, session '{sid}'")
        log.add(end + timedelta(seconds=2), 9, INFO if status == "Success" else WARN,
                f"[SessionsManager] Job '{job}' session '{sid}' finished with result '{status}'")


def gen_replication():
    """Bundle 1.  Returns (bundle, files that only go into the nested proxy01-logs.zip)."""
    rng = random.Random("casebook-demo:replication-mtu")
    ctx = VeeamCtx(rng)
    L = {"job": VeeamLog(), "task": VeeamLog(), "src": VeeamLog("agent"), "tgt": VeeamLog("agent"),
         "vss": VeeamLog(), "bjob": VeeamLog(), "btask": VeeamLog(), "bagent": VeeamLog("agent")}
    d = lambda day, h, m, s=0: datetime(2024, 3, day, h, m, s)  # noqa: E731

    sched = []  # (start, job, end, result) of every session, for the service log
    end = replica_session(L, ctx, rng, d(11, 20, 0, 4), "Normal", failed=False)
    sched.append((d(11, 20, 0, 4), "Replica_DC1", end, "Success"))
    for day in (12, 13):  # since the 12th: the scheduled run and its two retries fail
        start = d(day, 20, 0, 3)
        for mode in ("Normal", "Retry", "Retry"):
            end = replica_session(L, ctx, rng, start, mode, failed=True)
            sched.append((start, "Replica_DC1", end, "Failed"))
            start = end + timedelta(minutes=10, seconds=rng.randint(1, 9))
    start = d(14, 9, 31, 12)  # the engineer's manual run before exporting the logs
    end = replica_session(L, ctx, rng, start, "Normal", failed=True)
    sched.append((start, "Replica_DC1", end, "Failed"))
    for day in (11, 12, 13):
        start = d(day, 22, 0, 2)
        end = backup_session(L, ctx, rng, start)
        sched.append((start, "Backup_Daily", end, "Success"))

    # service logs: rotated one, current one, mount and broker services
    svc_old, svc = VeeamLog(), VeeamLog()
    rot = d(11, 14, 22, 41)
    svc_old.raw(d(9, 0, 0, 12), veeam_header(d(9, 0, 0, 12), "VBR01", BIN + r"\Veeam.Backup.Service.exe", 2412,
                                            "", MANAGER_DLLS))
    service_noise(svc_old, rng, ctx, d(9, 0, 0, 13), rot, 55.0, SVC_BACKUP_TABLE)
    svc.raw(rot, veeam_header(rot, "VBR01", BIN + r"\Veeam.Backup.Service.exe", 2412, "", MANAGER_DLLS))
    export = d(14, 10, 15, 40)
    service_noise(svc, rng, ctx, rot + timedelta(seconds=1), export, 52.0, SVC_BACKUP_TABLE)
    svc_job_events(svc, rng, sched)
    svc.add(export, 5, INFO, "[LogsExporter] Exporting logs for 2 jobs to 'C:\\temp\\logs\\"
                             "2024-03-14T101552_VeeamBackupLogs.zip'")
    mount, broker = VeeamLog("svcms"), VeeamLog("svcms")
    for log, exe, table, gap in ((mount, "Veeam.Backup.MountService.exe", SVC_MOUNT_TABLE, 150.0),
                                 (broker, "Veeam.Backup.BrokerService.exe", SVC_BROKER_TABLE, 110.0)):
        t0 = d(11, 14, 22, 41)
        log.raw(t0, veeam_header(t0, "VBR01", BIN + "\\" + exe, rng.randint(2000, 4000), "", MANAGER_DLLS[:3]))
        service_noise(log, rng, ctx, t0 + timedelta(seconds=1), export, gap, table)

    b = Bundle()
    for rel, log in (("Backup/Job.Replica_DC1.Replica.log", L["job"]),
                     ("Backup/Replica_DC1/Task.Replica_DC1.sql01.log", L["task"]),
                     ("Backup/Replica_DC1/Agent.Replica_DC1.Source.sql01.log", L["src"]),
                     ("Backup/Replica_DC1/Agent.Replica_DC1.Target.sql01.log", L["tgt"]),
                     ("Backup/Job.Backup_Daily.Backup.log", L["bjob"]),
                     ("Backup/Backup_Daily/Task.Backup_Daily.web01.log", L["btask"]),
                     ("Backup/Util.VeeamVssSupport.log", L["vss"]),
                     ("Backup/Svc.VeeamBackup.1.log", svc_old),
                     ("Backup/Svc.VeeamBackup.log", svc),
                     ("Backup/Svc.VeeamMount.log", mount),
                     ("Backup/Svc.VeeamBroker.log", broker)):
        b.add(rel, *log.render())

    # proxy-side logs that only the tar.gz carries, inside a nested zip
    attacher = VeeamLog("agent")
    for start, job, end, _ in sched:
        if job != "Replica_DC1":
            continue
        c = Clock(start + timedelta(seconds=rng.randint(40, 70)), rng)
        tid = rng.randint(1000, 9999)
        attacher.raw(c.t, veeam_header(c.t, "PROXY01", AGENT_EXE, rng.randint(2000, 9000),
                                       "-l Replica_DC1\\Agent.Replica_DC1.Source.sql01.Hotadd.Attacher.log",
                                       native=True))
        for comp, msg in (("att", "Attaching disks of VM 'sql01' (vm-1043) to proxy VM 'proxy01' (vm-1002)"),
                          ("vdl", "[vddk] HotAdd: Creating linked clone of snapshot for disk '[ds-prod-01] "
                                  "sql01/sql01.vmdk'"),
                          ("vdl", "[vddk] HotAdd: Attaching disk 2000 to controller 1:0"),
                          ("vdl", "[vddk] HotAdd: Attaching disk 2001 to controller 1:1"),
                          ("att", "Disks attached, hotadd mode is ready"),
                          ("att", "Detaching disks of VM 'sql01' from proxy VM 'proxy01'"),
                          ("vdl", "[vddk] HotAdd: Removing disk 2000 from controller 1:0"),
                          ("vdl", "[vddk] HotAdd: Removing disk 2001 from controller 1:1"),
                          ("att", "Disks detached")):
            if comp == "att" and msg.startswith("Detaching"):
                c.at_least(end - timedelta(seconds=rng.randint(20, 40)))
            attacher.agent(c.tick(0.2, 2.5), tid, comp, msg)
    nested = {
        "Replica_DC1/Agent.Replica_DC1.Source.sql01.Hotadd.Attacher.log": attacher.render(),
        "Backup_Daily/Agent.Backup_Daily.Source.web01.log": L["bagent"].render(),
    }
    return b, nested


# ================================================================ syslog-style primitives (bundles 2 and 3)

class SysEvents:
    """syslog events of one host: (time, seq, facility, severity, tag, message, uptime or None)."""

    def __init__(self, boot):
        self.boot = boot
        self.ev = []

    def add(self, t, fac, sev, tag, msg):
        self.ev.append((t, len(self.ev), fac, sev, tag, msg, None))

    def kern(self, t, sev, msg):
        up = (t - self.boot).total_seconds()
        self.ev.append((t, len(self.ev), "kern", sev, "kernel", msg, up))

    def sorted(self):
        return sorted(self.ev, key=lambda e: (e[0], e[1]))


def syslog_line(host, e):
    t, _, _, _, tag, msg, up = e
    if up is not None:
        msg = f"[{up:12.6f}] {msg}"
    return f"{MON[t.month - 1]} {t.day:2d} {t:%H:%M:%S} {host} {tag}: {msg}"


def render_syslog(host, events, keep):
    lines = [syslog_line(host, e) for e in events if keep(e)]
    last = [e[0] for e in events if keep(e)][-1]
    return ("\n".join(lines) + "\n").encode("ascii"), last


class Pids:
    """Process ids that advance with time and wrap at pid_max 32768, like a busy host."""

    def __init__(self, rng, boot):
        self.rng, self.boot = rng, boot

    def __call__(self, t):
        n = int((t - self.boot).total_seconds() * 0.37) + self.rng.randint(0, 60)
        return 300 + n % 32400


def every(start, end, step, rng, jitter=0.0):
    """Times from start to end every step seconds, each with up to jitter seconds of delay."""
    t = start
    while t < end:
        yield t + timedelta(seconds=rng.uniform(0, jitter)) if jitter else t
        t += timedelta(seconds=step)


def cron_events(E, rng, pids, start, end, jobs):
    """CRON lines to syslog (cron facility) and pam_unix sessions to auth.log (authpriv)."""
    t = start.replace(second=0, microsecond=0)
    while t < end:
        for minutes, user, cmd in jobs:
            if minutes(t):
                pid = pids(t)
                when = t + timedelta(microseconds=rng.randint(1000, 900000))
                E.add(when, "authpriv", "info", f"CRON[{pid}]",
                      f"pam_unix(cron:session): session opened for user {user} by (uid=0)")
                E.add(when, "cron", "info", f"CRON[{pid}]", f"({user}) CMD ({cmd})")
                E.add(when + timedelta(seconds=rng.uniform(0.05, 2.5)), "authpriv", "info", f"CRON[{pid}]",
                      f"pam_unix(cron:session): session closed for user {user}")
        t += timedelta(minutes=1)


def systemd_daily(E, rng, day, units):
    """Daily timer units: Starting / Succeeded / Finished triples at their usual times."""
    for hh, mm, unit, desc in units:
        t = day + timedelta(hours=hh, minutes=mm, seconds=rng.uniform(0, 50))
        E.add(t, "daemon", "info", "systemd[1]", f"Starting {desc}...")
        t += timedelta(seconds=rng.uniform(0.05, 4))
        E.add(t, "daemon", "info", "systemd[1]", f"{unit}: Succeeded.")
        E.add(t + timedelta(microseconds=300), "daemon", "info", "systemd[1]", f"Finished {desc}.")


def ssh_session(E, rng, pids, t, user, uid, ip, key, length, commands=()):
    """One publickey ssh login with optional sudo commands; returns the logout time."""
    pid = pids(t)
    port = rng.randint(40000, 65000)
    sess = rng.randint(1200, 4800)
    A = lambda when, tag, msg: E.add(when, "auth", "info", tag, msg)  # noqa: E731
    A(t, f"sshd[{pid}]", f"Accepted publickey for {user} from {ip} port {port} ssh2: {key}")
    A(t + timedelta(milliseconds=8), f"sshd[{pid}]",
      f"pam_unix(sshd:session): session opened for user {user} by (uid=0)")
    A(t + timedelta(milliseconds=30), "systemd-logind[588]", f"New session {sess} of user {user}.")
    E.add(t + timedelta(milliseconds=45), "daemon", "info", "systemd[1]", f"Started Session {sess} of user {user}.")
    w = t + timedelta(seconds=rng.uniform(5, 30))
    for cmd in commands:  # a command, or (seconds after login, command)
        if isinstance(cmd, tuple):
            w, cmd = t + timedelta(seconds=cmd[0]), cmd[1]
        else:
            w += timedelta(seconds=rng.uniform(4, 90))
        A(w, "sudo", f"{user:>8} : TTY=pts/0 ; PWD=/home/{user} ; USER=root ; COMMAND={cmd}")
        A(w, "sudo", f"pam_unix(sudo:session): session opened for user root by {user}(uid={uid})")
        A(w + timedelta(seconds=rng.uniform(0.2, 3)), "sudo", "pam_unix(sudo:session): session closed for user root")
    end = max(w, t + timedelta(seconds=length)) + timedelta(seconds=rng.uniform(1, 20))
    A(end, f"sshd[{pid}]", f"Received disconnect from {ip} port {port}:11: disconnected by user")
    A(end, f"sshd[{pid}]", f"Disconnected from user {user} {ip} port {port}")
    A(end + timedelta(milliseconds=5), f"sshd[{pid}]", f"pam_unix(sshd:session): session closed for user {user}")
    A(end + timedelta(milliseconds=9), "systemd-logind[588]",
      f"Session {sess} logged out. Waiting for processes to exit.")
    A(end + timedelta(milliseconds=40), "systemd-logind[588]", f"Removed session {sess}.")
    return end


# ================================================================ bundle 2: Linux OOM + disk errors

DB_HOST = "db01"
DB_BOOT = datetime(2024, 3, 1, 9, 12, 4, 381000)
DB_END = datetime(2024, 3, 12, 16, 44, 51)
KERNEL = "5.10.0-28-amd64 #1 SMP Debian 5.10.209-2 (2024-01-31)"
MAC = "00:50:56:a1:2b:3c:00:50:56:a1:ff:01:08:00"

BOOT_LINES = [
    f"Linux version 5.10.0-28-amd64 (debian-kernel@lists.debian.org) (gcc-10 (Debian 10.2.1-6) 10.2.1 20210110, "
    "GNU ld (GNU Binutils for Debian) 2.35.2) #1 SMP Debian 5.10.209-2 (2024-01-31)",
    "Command line: BOOT_IMAGE=/boot/vmlinuz-5.10.0-28-amd64 root=UUID=3f6b2c1e-8d4a-4b7e-9c21-5a0e7d1f4b62 ro quiet",
    "x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'",
    "x86/fpu: Supporting XSAVE feature 0x002: 'SSE registers'",
    "x86/fpu: Supporting XSAVE feature 0x004: 'AVX registers'",
    "x86/fpu: Enabled xstate features 0x7, context size is 832 bytes, using 'compacted' format.",
    "BIOS-provided physical RAM map:",
    "BIOS-e820: [mem 0x0000000000000000-0x000000000009ebff] usable",
    "BIOS-e820: [mem 0x000000000009ec00-0x000000000009ffff] reserved",
    "BIOS-e820: [mem 0x00000000000dc000-0x00000000000fffff] reserved",
    "BIOS-e820: [mem 0x0000000000100000-0x00000000bfedffff] usable",
    "BIOS-e820: [mem 0x00000000bfee0000-0x00000000bfefefff] ACPI data",
    "BIOS-e820: [mem 0x00000000bfeff000-0x00000000bfefffff] ACPI NVS",
    "BIOS-e820: [mem 0x00000000bff00000-0x00000000bfffffff] usable",
    "BIOS-e820: [mem 0x0000000100000000-0x000000043fffffff] usable",
    "NX (Execute Disable) protection: active",
    "SMBIOS 2.7 present.",
    "DMI: VMware, Inc. VMware Virtual Platform/440BX Desktop Reference Platform, BIOS 6.00 11/12/2020",
    "vmware: hypercall mode: 0x02",
    "Hypervisor detected: VMware",
    "vmware: TSC freq read from hypervisor : 2593.906 MHz",
    "tsc: Detected 2593.906 MHz processor",
    "ACPI: Early table checksum verification disabled",
    "Zone ranges:",
    "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]",
    "  DMA32    [mem 0x0000000001000000-0x00000000ffffffff]",
    "  Normal   [mem 0x0000000100000000-0x000000043fffffff]",
    "smpboot: Allowing 8 CPUs, 0 hotplug CPUs",
    "Built 1 zonelists, mobility grouping on.  Total pages: 4127863",
    "Memory: 16318412K/16776696K available (12295K kernel code, 2543K rwdata, 7536K rodata, 2380K init, "
    "3688K bss, 458024K reserved, 0K cma-reserved)",
    "rcu: Hierarchical RCU implementation.",
    "Console: colour dummy device 80x25",
    "printk: console [tty0] enabled",
    "Calibrating delay loop (skipped) preset value.. 5187.81 BogoMIPS (lpj=10375624)",
    "smpboot: CPU0: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz (family: 0x6, model: 0x55, stepping: 0x7)",
    "smp: Bringing up secondary CPUs ...",
    *[f"smpboot: Booting Node 0 Processor {n} APIC 0x{2 * n:x}" for n in range(1, 8)],
    "smp: Brought up 1 node, 8 CPUs",
    "devtmpfs: initialized",
    "NET: Registered protocol family 16",
    "PCI: Using configuration type 1 for base access",
    "ACPI: Interpreter enabled",
    "pci 0000:00:07.1: legacy IDE quirk: reg 0x10: [io  0x01f0-0x01f7]",
    "SCSI subsystem initialized",
    "NET: Registered protocol family 2",
    "Freeing initrd memory: 29708K",
    "Initialise system trusted keyrings",
    "Key type asymmetric registered",
    "Serial: 8250/16550 driver, 32 ports, IRQ sharing enabled",
    "VMware PVSCSI driver - version 1.0.7.0-k",
    "vmw_pvscsi: using 64bit dma",
    "vmw_pvscsi: max_id: 65",
    "vmw_pvscsi: setting ring_pages to 8",
    "scsi host0: VMware PVSCSI storage adapter rev 2, req/cmp/msg rings: 8/8/1 pages, cmd_per_lun=254",
    "scsi host2: VMware PVSCSI storage adapter rev 2, req/cmp/msg rings: 8/8/1 pages, cmd_per_lun=254",
    "scsi 0:0:0:0: Direct-Access     VMware   Virtual disk     2.0  PQ: 0 ANSI: 6",
    "scsi 2:0:0:0: Direct-Access     VMware   Virtual disk     2.0  PQ: 0 ANSI: 6",
    "sd 0:0:0:0: [sda] 104857600 512-byte logical blocks: (53.7 GB/50.0 GiB)",
    "sd 0:0:0:0: [sda] Write Protect is off",
    "sd 0:0:0:0: [sda] Cache data unavailable",
    "sd 2:0:0:0: [sdb] 2147483648 512-byte logical blocks: (1.10 TB/1.00 TiB)",
    "sd 2:0:0:0: [sdb] Write Protect is off",
    "sd 2:0:0:0: [sdb] Cache data unavailable",
    " sda: sda1 sda2 < sda5 >",
    " sdb: sdb1",
    "sd 0:0:0:0: [sda] Attached SCSI disk",
    "sd 2:0:0:0: [sdb] Attached SCSI disk",
    "VMware vmxnet3 virtual NIC driver - version 1.5.0.0-k-NAPI",
    "vmxnet3 0000:0b:00.0: # of Tx queues : 8, # of Rx queues : 8",
    "vmxnet3 0000:0b:00.0 eth0: NIC Link is Up 10000 Mbps",
    "vmxnet3 0000:0b:00.0 ens192: renamed from eth0",
    "EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: (null)",
    "Not activating Mandatory Access Control as /sbin/tomoyo-init does not exist.",
    "systemd[1]: Inserted module 'autofs4'",
    "systemd[1]: systemd 247.3-7+deb11u4 running in system mode. (+PAM +AUDIT +SELINUX +IMA +APPARMOR +SMACK "
    "+SYSVINIT +UTMP +LIBCRYPTSETUP +GCRYPT +GNUTLS +ACL +XZ +LZ4 +ZSTD +SECCOMP +BLKID +ELFUTILS +KMOD +IDN2 "
    "-IDN +PCRE2 default-hierarchy=unified)",
    "systemd[1]: Detected virtualization vmware.",
    "systemd[1]: Detected architecture x86-64.",
    "systemd[1]: Set hostname to <db01>.",
    "EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro",
    "vmw_vmci 0000:00:07.7: Found VMCI PCI device at 0x11080, irq 16",
    "piix4_smbus 0000:00:07.3: SMBus Host Controller not enabled!",
    "EXT4-fs (sdb1): mounted filesystem with ordered data mode. Opts: (null)",
    "Adding 0k swap on none.  Priority:-2 extents:0 across:0k",
    "vmxnet3 0000:0b:00.0 ens192: intr type 3, mode 0, 9 vectors allocated",
    "vmxnet3 0000:0b:00.0 ens192: NIC Link is Up 10000 Mbps",
    "NET: Registered protocol family 10",
    "Segment Routing with IPv6",
    "bpfilter: Loaded bpfilter_umh pid 412",
    "NET: Registered protocol family 17",
]


def db_boot(E, rng):
    up = 0.0
    for i, line in enumerate(BOOT_LINES):
        up += 0.0 if i == 0 else rng.uniform(0.0005, 0.12)
        E.kern(DB_BOOT + timedelta(seconds=up), "info", line)


def db_ufw(E, rng, start, end):
    """Blocked probes from the office network: the usual kern.log background."""
    t = start
    while True:
        t += timedelta(seconds=rng.expovariate(1 / 560))
        if t >= end:
            return
        src = rng.choice(("10.20.9.14", "10.20.9.14", "10.20.4.77", "10.20.12.3", "10.20.7.201"))
        dpt = rng.choice((23, 445, 3389, 8080, 5900, 139, 6379))
        E.kern(t, "warning", f"[UFW BLOCK] IN=ens192 OUT= MAC={MAC} SRC={src} DST=10.20.1.21 LEN=44 TOS=0x00 "
                             f"PREC=0x00 TTL=63 ID={rng.randint(1000, 65000)} PROTO=TCP "
                             f"SPT={rng.randint(30000, 65000)} DPT={dpt} WINDOW=1024 RES=0x00 SYN URGP=0 ")


def db_oom(E, rng, t, trigger_pid, victim_pid, victim_pages, cpu):
    """One global OOM kill of a postgres backend, in the 5.10 layout (catalogue K01)."""
    c = Clock(t, rng)
    K = lambda sev, msg: E.kern(c.tick(0.000002, 0.00004), sev, msg)  # noqa: E731
    K("warning", "postgres invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0")
    K("warning", f"CPU: {cpu} PID: {trigger_pid} Comm: postgres Not tainted 5.10.0-28-amd64 #1 Debian 5.10.209-2")
    K("warning", "Hardware name: VMware, Inc. VMware Virtual Platform/440BX Desktop Reference Platform, BIOS 6.00 "
                 "11/12/2020")
    K("warning", "Call Trace:")
    for fr in ("dump_stack+0x6b/0x83", "dump_header+0x4a/0x1f4", "oom_kill_process.cold+0xb/0x10",
               "out_of_memory+0x1bd/0x4e0", "__alloc_pages_slowpath.constprop.0+0xbcc/0xc90",
               "__alloc_pages_nodemask+0x2de/0x310", "pagecache_get_page+0x175/0x390",
               "filemap_fault+0x6a2/0x900", "? xas_load+0x5/0x80", "ext4_filemap_fault+0x2d/0x40 [ext4]",
               "__do_fault+0x37/0x110", "handle_mm_fault+0x124d/0x1c00", "do_user_addr_fault+0x1b8/0x3f0",
               "exc_page_fault+0x78/0x160", "? asm_exc_page_fault+0x8/0x30", "asm_exc_page_fault+0x1e/0x30"):
        K("warning", f" {fr}")
    K("warning", f"RIP: 0033:0x55d3c4a1{rng.randint(0x1000, 0xffff):04x}")
    K("warning", "Code: Unable to access opcode bytes at RIP 0x55d3c4a1b2c6.")
    K("warning", f"RSP: 002b:00007ffd4c9a{rng.randint(0x1000, 0xffff):04x} EFLAGS: 00010206")
    free = rng.randint(32000, 34000)
    K("info", "Mem-Info:")
    K("info", f"active_anon:{3650011 + rng.randint(0, 9999)} inactive_anon:{412890 + rng.randint(0, 999)} "
              "isolated_anon:0")
    K("info", f" active_file:{rng.randint(100, 400)} inactive_file:{rng.randint(0, 90)} isolated_file:0")
    K("info", " unevictable:0 dirty:0 writeback:0")
    K("info", f" slab_reclaimable:{rng.randint(20000, 22000)} slab_unreclaimable:{rng.randint(25000, 26000)}")
    K("info", f" mapped:{rng.randint(280000, 290000)} shmem:{rng.randint(300000, 302000)} "
              f"pagetables:{rng.randint(18000, 19000)} bounce:0")
    K("info", f" free:{free} free_pcp:{rng.randint(20, 90)} free_cma:0")
    K("info", f"Node 0 active_anon:14600044kB inactive_anon:1651560kB active_file:1248kB inactive_file:0kB "
              "unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:1150652kB dirty:0kB writeback:0kB "
              "shmem:1204896kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 0kB writeback_tmp:0kB "
              "kernel_stack:5632kB all_unreclaimable? yes")
    K("info", "lowmem_reserve[]: 0 2955 15924 15924 15924")
    K("info", "Free swap  = 0kB")
    K("info", "Total swap = 0kB")
    K("info", "4194174 pages RAM")
    K("info", "0 pages HighMem/MovableOnly")
    K("info", "108052 pages reserved")
    K("info", "Tasks state (memory values in pages):")
    K("info", "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name")
    procs = [(312, 0, 23112, 712, "systemd-journal", -250), (338, 0, 5601, 402, "systemd-udevd", -1000),
             (511, 101, 22367, 308, "systemd-timesyn", 0), (588, 0, 5321, 371, "systemd-logind", 0),
             (592, 0, 55187, 1204, "rsyslogd", 0), (601, 0, 2133, 284, "cron", 0),
             (644, 0, 3325, 522, "sshd", -1000), (684, 113, 2151234, 18120, "postgres", -900),
             (702, 113, 2151300, 301220, "postgres", 0), (703, 113, 2151234, 4012, "postgres", 0),
             (704, 113, 2151234, 9012, "postgres", 0), (705, 113, 2151901, 1620, "postgres", 0),
             (706, 113, 74811, 988, "postgres", 0), (817, 65534, 181002, 5012, "prometheus-node", 0)]
    for n in range(rng.randint(9, 14)):
        procs.append((rng.randint(1000, 32000), 113, 2152000 + rng.randint(0, 9000),
                      rng.randint(20000, 260000), "postgres", 0))
    procs.append((victim_pid, 113, 2030864, victim_pages, "postgres", 0))
    for pid, uid, vm, rss, name, adj in sorted(procs):
        K("info", f"[{pid:7d}] {uid:5d} {pid:5d} {vm:8d} {rss:8d} {(rss // 128 + 24) * 4096:14d} {0:8d}"
                  f"         {adj:5d} {name}")
    K("info", f"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
              f"task_memcg=/system.slice/system-postgresql.slice/postgresql@13-main.service,task=postgres,"
              f"pid={victim_pid},uid=113")
    K("err", f"Out of memory: Killed process {victim_pid} (postgres) total-vm:{2030864 * 4}kB, "
             f"anon-rss:{victim_pages * 4}kB, file-rss:0kB, shmem-rss:0kB, UID:113 "
             f"pgtables:{(victim_pages // 128 + 24) * 4}kB oom_score_adj:0")
    E.kern(c.t + timedelta(milliseconds=rng.randint(80, 400)), "info",
           f"oom_reaper: reaped process {victim_pid} (postgres), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB")


def db_disk_errors(E, rng, t):
    """Write errors on the data disk sdb, ending with ext4 remounting /data read-only (catalogue K02)."""
    sector = 60944960
    c = Clock(t, rng)
    K = lambda sev, msg: E.kern(c.tick(0.000002, 0.00006), sev, msg)  # noqa: E731
    for n in range(rng.randint(7, 10)):
        c.tick(0.5, 14.0)
        tag = rng.randint(0, 31)
        sector += rng.choice((8, 16, 128, 1024, 4096))
        K("info", f"sd 2:0:0:0: [sdb] tag#{tag} FAILED Result: hostbyte=DID_ERROR driverbyte=DRIVER_OK "
                  f"cmd_age={rng.randint(30, 31)}s")
        K("info", f"sd 2:0:0:0: [sdb] tag#{tag} CDB: Write(10) 2a 00 {sector >> 24 & 255:02x} "
                  f"{sector >> 16 & 255:02x} {sector >> 8 & 255:02x} {sector & 255:02x} 00 00 08 00")
        K("err", f"blk_update_request: I/O error, dev sdb, sector {sector} op 0x1:(WRITE) flags 0x800 "
                 "phys_seg 1 prio class 0")
        K("err", f"Buffer I/O error on dev sdb1, logical block {(sector - 2048) // 8}, lost async page write")
        if n == 2:
            K("warning", f"EXT4-fs warning (device sdb1): ext4_end_bio:342: I/O error 10 writing to inode "
                         f"1835021 starting block {(sector - 2048) // 8})")
    c.tick(1.0, 3.0)
    K("err", "Aborting journal on device sdb1-8.")
    K("err", "JBD2: Detected IO errors while flushing file data on sdb1-8")
    K("err", "EXT4-fs error (device sdb1): ext4_journal_check_start:83: comm postgres: Detected aborted "
             "journal")
    K("err", "EXT4-fs (sdb1): I/O error while writing superblock")
    K("crit", "EXT4-fs (sdb1): Remounting filesystem read-only")
    return c.t


def db_postgres(E, rng, pids, start, end, ooms, io_time):
    """PostgreSQL 13 writing to syslog (facility local0); the postmaster is pid 684."""
    seq = {}  # each process numbers its own syslog messages: [seq-line]
    PM = 684

    def P(t, sev, msg, pid=PM):
        seq[pid] = n = seq.get(pid, 0) + 1
        E.add(t, "local0", sev, f"postgres[{pid}]",
              f"[{n}-1] {t:%Y-%m-%d %H:%M:%S}.{t.microsecond // 1000:03d} UTC [{pid}] {msg}")

    # checkpoints every 15 min, autovacuum now and then
    for t in every(start, min(end, io_time), 900, rng, jitter=2):
        P(t, "info", "LOG:  checkpoint starting: time", 703)
        n = rng.randint(400, 9000)
        w = rng.uniform(40, 270)
        P(t + timedelta(seconds=w + 0.03), "info",
          f"LOG:  checkpoint complete: wrote {n} buffers ({n / 16384 * 100:.1f}%); 0 WAL file(s) added, 0 removed, "
          f"{rng.randint(0, 3)} recycled; write={w:.3f} s, sync=0.0{rng.randint(10, 99)} s, total={w + 0.03:.3f} s; "
          f"sync files={rng.randint(12, 80)}, longest=0.00{rng.randint(1, 9)} s, average=0.001 s; "
          f"distance={n * 8} kB, estimate={n * 8 + rng.randint(0, 4000)} kB", 703)
        if rng.random() < 0.18:
            table = rng.choice(("orders", "order_items", "customers", "sessions", "inventory"))
            P(t + timedelta(seconds=rng.uniform(5, 800)), "info",
              f"LOG:  automatic analyze of table \"appdb.public.{table}\" system usage: CPU: user: "
              f"{rng.uniform(0.1, 2):.2f} s, system: 0.0{rng.randint(1, 9)} s, elapsed: {rng.uniform(0.5, 9):.2f} s",
              pids(t))

    # log_connections was switched on after the first OOM, to see who is connected
    on = datetime(2024, 3, 11, 9, 3, 27, 114000)
    P(on, "info", "LOG:  received SIGHUP, reloading configuration files")
    P(on, "info", "LOG:  parameter \"log_connections\" changed to \"on\"")
    P(on, "info", "LOG:  parameter \"log_min_duration_statement\" changed to \"5000\"")
    t = on
    while True:
        t += timedelta(seconds=rng.expovariate(1 / 38))
        if t >= end:
            break
        if any(o <= t < o + timedelta(seconds=40) for o, _ in ooms) or io_time <= t:
            continue
        pid = pids(t)
        ip, app = rng.choice((("10.20.1.31", "orders-api"), ("10.20.1.32", "orders-api"),
                              ("10.20.1.40", "report-worker"), ("10.20.1.45", "pgbouncer")))
        port = rng.randint(32768, 60999)
        P(t, "info", f"LOG:  connection received: host={ip} port={port}", pid)
        P(t + timedelta(milliseconds=rng.randint(2, 9)), "info",
          f"LOG:  connection authorized: user=app database=appdb application_name={app}", pid)
        dur = rng.uniform(0.2, 300)
        P(t + timedelta(seconds=dur), "info",
          f"LOG:  disconnection: session time: 0:{int(dur) // 60:02d}:{dur % 60:06.3f} user=app database=appdb "
          f"host={ip} port={port}", pid)

    for o, victim in ooms:
        P(o - timedelta(seconds=rng.uniform(50, 70)), "info",
          "LOG:  duration: 61234.118 ms  statement: SELECT c.region, date_trunc('day', o.created_at) AS day, "
          "array_agg(DISTINCT oi.sku), sum(oi.qty * oi.price) FROM orders o JOIN order_items oi ON oi.order_id = o.id "
          "JOIN customers c ON c.id = o.customer_id GROUP BY 1, 2 ORDER BY 1, 2", victim)
        t = o + timedelta(milliseconds=rng.randint(500, 900))
        P(t, "info", f"LOG:  server process (PID {victim}) was terminated by signal 9: Killed")
        P(t, "info", "DETAIL:  Failed process was running: SELECT c.region, date_trunc('day', o.created_at) AS day, "
                     "array_agg(DISTINCT oi.sku), sum(oi.qty * oi.price) FROM orders o JOIN order_items oi ON ...")
        P(t, "info", "LOG:  terminating any other active server processes")
        for _ in range(rng.randint(3, 6)):
            pid = pids(t) - rng.randint(100, 3000)
            P(t, "notice", "WARNING:  terminating connection because of crash of another server process", pid)
            P(t, "notice", "DETAIL:  The postmaster has commanded this server process to roll back the current "
                           "transaction and exit, because another server process exited abnormally and possibly "
                           "corrupted shared memory.", pid)
            P(t, "notice", "HINT:  In a moment you should be able to reconnect to the database and repeat your "
                           "command.", pid)
        t += timedelta(seconds=rng.uniform(0.2, 1.0))
        P(t, "info", "LOG:  all server processes terminated; reinitializing")
        pid = pids(t)
        P(t + timedelta(milliseconds=30), "info", f"LOG:  database system was interrupted; last known up at "
                                                  f"{o - timedelta(minutes=4):%Y-%m-%d %H:%M:%S} UTC", pid)
        P(t + timedelta(milliseconds=60), "info",
          "LOG:  database system was not properly shut down; automatic recovery in progress", pid)
        P(t + timedelta(seconds=0.2), "err", "FATAL:  the database system is in recovery mode", pid + 3)
        P(t + timedelta(seconds=0.3), "info", f"LOG:  redo starts at 3A/{rng.randint(0x10000000, 0x5fffffff):08X}", pid)
        P(t + timedelta(seconds=4.1), "info", f"LOG:  redo done at 3A/{rng.randint(0x60000000, 0x7fffffff):08X}", pid)
        P(t + timedelta(seconds=4.9), "info", "LOG:  database system is ready to accept connections")

    # the data disk goes away: fsync failure, PANIC, and the cluster cannot come back
    t = io_time + timedelta(seconds=rng.uniform(20, 40))
    P(t, "crit", "PANIC:  could not fdatasync file \"000000010000003A00000072\": Input/output error", 703)
    P(t + timedelta(seconds=0.4), "info", "LOG:  checkpointer process (PID 703) was terminated by signal 6: Aborted")
    P(t + timedelta(seconds=0.4), "info", "LOG:  terminating any other active server processes")
    P(t + timedelta(seconds=1.2), "info", "LOG:  all server processes terminated; reinitializing")
    pid = pids(t)
    P(t + timedelta(seconds=1.3), "crit", "PANIC:  could not write to file \"pg_wal/xlogtemp.%d\": Read-only file "
                                          "system" % pid, pid)
    P(t + timedelta(seconds=1.5), "info", f"LOG:  startup process (PID {pid}) was terminated by signal 6: Aborted")
    P(t + timedelta(seconds=1.5), "info", "LOG:  aborting startup due to startup process failure")
    P(t + timedelta(seconds=1.6), "info", "LOG:  database system is shut down")
    return t + timedelta(seconds=1.6)


DB_CRON = [
    (lambda t: t.minute % 5 == 0, "postgres", "/usr/local/bin/pg_stat_snapshot.sh >/dev/null 2>&1"),
    (lambda t: t.minute % 10 == 5, "root", "command -v debian-sa1 > /dev/null && debian-sa1 1 1"),
    (lambda t: t.minute == 17, "root", "   cd / && run-parts --report /etc/cron.hourly"),
    (lambda t: (t.hour, t.minute) == (1, 30), "postgres", "/usr/local/bin/pg_backup.sh nightly"),
    (lambda t: (t.hour, t.minute) == (6, 25), "root",
     "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )"),
]
DB_DAILY_UNITS = [
    (0, 0, "logrotate.service", "Rotate log files"),
    (0, 0, "man-db.service", "Daily man-db regeneration"),
    (6, 12, "apt-daily-upgrade.service", "Daily apt upgrade and clean activities"),
    (9, 27, "systemd-tmpfiles-clean.service", "Cleanup of Temporary Directories"),
    (13, 51, "apt-daily.service", "Daily apt download activities"),
]


def gen_linux():
    rng = random.Random("casebook-demo:linux-oom-disk")
    E = SysEvents(DB_BOOT)
    pids = Pids(rng, DB_BOOT)
    week = datetime(2024, 3, 3)
    db_boot(E, rng)
    db_ufw(E, rng, DB_BOOT + timedelta(minutes=2), DB_END)
    E.kern(DB_BOOT + timedelta(days=2, hours=3, minutes=11, seconds=7), "warning",
           "perf: interrupt took too long (2503 > 2500), lowering kernel.perf_event_max_sample_rate to 79750")

    ooms = [(datetime(2024, 3, 8, 2, 14, 37, 508000), pids(datetime(2024, 3, 7, 23, 1))),
            (datetime(2024, 3, 11, 23, 47, 2, 91000), pids(datetime(2024, 3, 11, 20, 40))),
            (datetime(2024, 3, 12, 10, 15, 32, 417000), 4567)]
    for t, victim in ooms:
        db_oom(E, rng, t, pids(t), victim, rng.randint(1_480_000, 1_600_000), cpu=rng.randint(0, 7))
    io_time = db_disk_errors(E, rng, datetime(2024, 3, 12, 14, 2, 9, 773000))
    pg_down = db_postgres(E, rng, pids, week, DB_END, ooms, io_time)
    E.add(pg_down + timedelta(seconds=0.2), "daemon", "notice", "systemd[1]",
          "postgresql@13-main.service: Main process exited, code=exited, status=1/FAILURE")
    E.add(pg_down + timedelta(seconds=0.2), "daemon", "warning", "systemd[1]",
          "postgresql@13-main.service: Failed with result 'exit-code'.")

    # the week's ordinary host activity
    cron_events(E, rng, pids, datetime(2024, 3, 10), DB_END, DB_CRON)
    day, hups = datetime(2024, 3, 3), {}
    while day < DB_END:  # logrotate runs at midnight and HUPs rsyslogd: the new files start there
        systemd_daily(E, rng, day, [u for u in DB_DAILY_UNITS if day + timedelta(hours=u[0], minutes=u[1]) < DB_END])
        hups[day.day] = hup = day + timedelta(seconds=rng.uniform(1.3, 2.2))
        E.add(hup, "syslog", "info", "rsyslogd", '[origin software="rsyslogd" swVersion="8.2102.0" x-pid="592" '
                                                'x-info="https://www.rsyslog.com"] rsyslogd was HUPed')
        day += timedelta(days=1)
    for t in every(datetime(2024, 3, 10, 0, 4), DB_END, 1800, rng, jitter=20):
        ssh_session(E, rng, pids, t, "nagios", 1002, "10.20.0.40", "ED25519 SHA256:m3Vt9yGqVb1hB5o0KQyq8Jc2"
                    "dV7WpHc4fLzR1sTnU0A", 2)
    key = "RSA SHA256:Qe7pWb0n4zK1vJ8sH2mYcR5tLx9dF3gA6uN0oPiE1kS"
    for t, cmds in ((datetime(2024, 3, 11, 8, 52, 14), ("/usr/bin/vim /etc/postgresql/13/main/postgresql.conf",
                                                        "/usr/bin/systemctl reload postgresql@13-main")),
                    (datetime(2024, 3, 12, 10, 31, 40), ("/usr/bin/dmesg -T", "/usr/bin/free -m")),
                    (datetime(2024, 3, 12, 14, 9, 2), ("/usr/bin/dmesg -T", "/usr/bin/mount",
                                                       "/usr/sbin/smartctl -a /dev/sdb",
                                                       "/usr/bin/systemctl status postgresql@13-main",
                                                       "/usr/sbin/sosreport --batch"))):
        ssh_session(E, rng, pids, t, "dbadmin", 1001, "10.20.0.15", key, 900, cmds)

    events = E.sorted()
    week, wk, cur = hups[3], hups[10], hups[12]
    not_auth = lambda e: e[2] not in ("auth", "authpriv")  # noqa: E731
    messages_fac = lambda e: e[2] not in ("auth", "authpriv", "cron", "daemon", "mail", "news")  # noqa: E731
    b = Bundle()
    files = {
        "var/log/syslog": lambda e: e[0] >= cur and not_auth(e),
        "var/log/kern.log": lambda e: e[0] >= wk and e[2] == "kern",
        "var/log/auth.log": lambda e: e[0] >= wk and not not_auth(e),
    }
    for rel, keep in files.items():
        data, last = render_syslog(DB_HOST, events, keep)
        b.add(rel, data, last.replace(tzinfo=UTC))
    data, last = render_syslog(DB_HOST, events, lambda e: week <= e[0] < wk and messages_fac(e)
                               and e[3] in ("info", "notice", "warning"))
    b.add("var/log/messages.1.gz", gzip_bytes(data, "messages.1"), last.replace(tzinfo=UTC))
    kernel = [e for e in events if e[6] is not None]
    dmesg = "".join(f"[{e[6]:12.6f}] {e[5]}\n" for e in kernel).encode("ascii")
    b.add("sos_commands/kernel/dmesg", dmesg, datetime(2024, 3, 12, 14, 21, 5, tzinfo=UTC))
    b.add("sos_commands/kernel/uname_-a",
          f"Linux db01 {KERNEL} x86_64 GNU/Linux\n".encode("ascii"), datetime(2024, 3, 12, 14, 21, 5, tzinfo=UTC))
    return b


# ================================================================ bundle 3: a clean web server

WEB_HOST = "web02"
WEB_START = datetime(2024, 3, 12, 0, 0, 0)
WEB_END = datetime(2024, 3, 12, 17, 59, 48)
PAGES = [("/", 200, 18234), ("/products", 200, 41220), ("/products/espresso-grinder-m2", 200, 23871),
         ("/products/milk-frother-s", 200, 21004), ("/cart", 200, 9120), ("/checkout", 200, 12233),
         ("/static/css/site.4f2a1c.css", 200, 48211), ("/static/js/app.9b31d7.js", 200, 161022),
         ("/static/img/logo.svg", 200, 3410), ("/favicon.ico", 200, 15086), ("/robots.txt", 200, 68),
         ("/about", 200, 11877), ("/static/img/hero-1600.webp", 200, 188234)]
APIS = [("GET", "/api/products?page={n}", 200), ("GET", "/api/products/{n}", 200), ("GET", "/api/cart", 200),
        ("POST", "/api/cart/items", 201), ("DELETE", "/api/cart/items/{n}", 204), ("POST", "/api/orders", 201),
        ("GET", "/api/orders/{n}", 200)]
UAS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 "
       "Safari/537.36",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 "
       "Safari/605.1.15",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
       "Version/17.3.1 Mobile/15E148 Safari/604.1",
       "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
       "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"]
WEB_CRON = [
    (lambda t: t.minute % 10 == 5, "root", "command -v debian-sa1 > /dev/null && debian-sa1 1 1"),
    (lambda t: t.minute == 17, "root", "   cd / && run-parts --report /etc/cron.hourly"),
    (lambda t: t.minute % 30 == 9, "root", "[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; "
                                           "then /usr/lib/php/sessionclean; fi"),
]


def apache_time(t):
    return f"[{WDAY[t.weekday()]} {MON[t.month - 1]} {t.day:02d} {t:%H:%M:%S}.{t.microsecond:06d} {t.year}]"


def clf_time(t):
    return f"[{t.day:02d}/{MON[t.month - 1]}/{t.year}:{t:%H:%M:%S} +0000]"


def iso_z(t):
    return f"{t:%Y-%m-%dT%H:%M:%S}.{t.microsecond // 1000:03d}Z"


def gen_webserver():
    rng = random.Random("casebook-demo:clean-webserver")
    access, app, error = [], [], []
    graceful = (WEB_START + timedelta(seconds=2.118237), datetime(2024, 3, 12, 13, 5, 41, 902114))
    for g in graceful:
        for off, mod, msg in ((0, "mpm_event:notice", "AH00493: SIGUSR1 received.  Doing graceful restart"),
                              (34604, "mpm_event:notice", "AH00489: Apache/2.4.56 (Debian) OpenSSL/1.1.1w "
                                                          "configured -- resuming normal operations"),
                              (34643, "core:notice", "AH00094: Command line: '/usr/sbin/apache2'")):
            error.append(f"{apache_time(g + timedelta(microseconds=off))} [{mod}] [pid 733:tid 140245236135808] {msg}")

    def A(t, m, path, status, size, ref, ua, ip):
        access.append(f'{ip} - - {clf_time(t)} "{m} {path} HTTP/1.1" {status} {size} "{ref}" "{ua}"')

    def log(t, level, thread, logger, msg):
        app.append(f"{iso_z(t)} {level} [{thread}] {logger} - {msg}")

    # load balancer health checks every 30 s
    for t in every(WEB_START, WEB_END, 30, rng, jitter=0.4):
        A(t, "GET", "/healthz", 200, 2, "-", "ELB-HealthChecker/2.0", "10.30.0.5")
    # visitors: a page, its assets, and API calls that the app logs
    deploy = datetime(2024, 3, 12, 13, 4, 10)
    t = WEB_START
    order = 48211
    while True:
        hour = t.hour + t.minute / 60
        busy = 0.25 + 0.75 * max(0.0, min(1.0, (hour - 6) / 4)) * max(0.0, min(1.0, (23 - hour) / 4))
        t += timedelta(seconds=rng.expovariate(busy / 44))
        if t >= WEB_END:
            break
        ip = f"{rng.choice(('203.0.113', '198.51.100', '192.0.2'))}.{rng.randint(2, 254)}"
        ua = rng.choice(UAS)
        page, status, size = rng.choice(PAGES[:6] + PAGES[11:12])
        A(t, "GET", page, status, size + rng.randint(-200, 200), "https://shop.example.com/", ua, ip)
        w = t
        for asset in rng.sample(PAGES[6:11], rng.randint(0, 3)):
            w += timedelta(milliseconds=rng.randint(20, 200))
            A(w, "GET", asset[0], rng.choice((200, 304, 304)), asset[2], f"https://shop.example.com{page}", ua, ip)
        for _ in range(rng.randint(0, 3)):
            if deploy <= w < deploy + timedelta(seconds=40):
                break
            w += timedelta(milliseconds=rng.randint(50, 900))
            m, tmpl, st = rng.choice(APIS)
            n = rng.randint(1, 4000)
            if tmpl == "/api/orders" and m == "POST":
                order += 1
            path = tmpl.format(n=n)
            ms = rng.randint(4, 95)
            A(w + timedelta(milliseconds=ms), m, path, st, rng.randint(120, 4800) if st != 204 else 0,
              f"https://shop.example.com{page}", ua, ip)
            thread = f"http-nio-8080-exec-{rng.randint(1, 10)}"
            log(w, "INFO", thread, "c.e.shop.web.RequestLog", f"{m} {path} -> {st} ({ms} ms)")
            if m == "POST" and tmpl == "/api/orders":
                log(w + timedelta(milliseconds=ms - 2), "INFO", thread, "c.e.shop.orders.OrderService",
                    f"Order {order} placed, {rng.randint(1, 4)} items, payment authorized")
    # scheduled work and pool statistics
    for t in every(WEB_START + timedelta(seconds=17), WEB_END, 300, rng, jitter=0.2):
        log(t, "DEBUG", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
            f"HikariPool-1 - Pool stats (total=10, active={rng.randint(0, 3)}, idle={rng.randint(7, 10)}, waiting=0)")
    for t in every(WEB_START + timedelta(minutes=2), WEB_END, 900, rng, jitter=0.5):
        log(t, "INFO", "scheduling-1", "c.e.shop.jobs.CartCleanupJob",
            f"Removed {rng.randint(0, 25)} abandoned carts older than 72h")
    # the lunchtime deploy: a clean shutdown and start while the node is drained
    for off, lvl, thread, logger, msg in (
            (0, "INFO", "SpringApplicationShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown",
             "Commencing graceful shutdown. Waiting for active requests to complete"),
            (1.2, "INFO", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown", "Graceful shutdown complete"),
            (1.4, "INFO", "SpringApplicationShutdownHook", "com.zaxxer.hikari.HikariDataSource",
             "HikariPool-1 - Shutdown completed."),
            (6.0, "INFO", "main", "c.e.shop.ShopApplication",
             "Starting ShopApplication v1.14.2 using Java 17.0.10 with PID 23120 (/opt/shop/shop.jar started by shop "
             "in /opt/shop)"),
            (6.1, "INFO", "main", "c.e.shop.ShopApplication", "The following 1 profile is active: \"prod\""),
            (9.8, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
             "Tomcat initialized with port(s): 8080 (http)"),
            (12.4, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
            (12.7, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
            (15.9, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
             "Tomcat started on port(s): 8080 (http) with context path ''"),
            (16.0, "INFO", "main", "c.e.shop.ShopApplication",
             "Started ShopApplication in 9.84 seconds (process running for 10.6)")):
        log(deploy + timedelta(seconds=off), lvl, thread, logger, msg)
    log(datetime(2024, 3, 12, 9, 41, 3, 220000), "WARN", "http-nio-8080-exec-4", "c.e.shop.catalog.ImageService",
        "Thumbnail for product 2231 not cached, rendering on demand")
    log(datetime(2024, 3, 12, 15, 12, 44, 871000), "WARN", "scheduling-1", "c.e.shop.catalog.PriceFeed",
        "Price feed returned 3 items with unknown SKU, ignored")

    # host logs: cron, systemd, ssh logins with keys
    E = SysEvents(datetime(2024, 2, 20, 7, 1, 12))
    pids = Pids(rng, E.boot)
    cron_events(E, rng, pids, WEB_START, WEB_END, WEB_CRON)
    systemd_daily(E, rng, WEB_START, [u for u in DB_DAILY_UNITS if u[0] < 18])
    E.add(WEB_START + timedelta(seconds=0.8), "syslog", "info", "rsyslogd",
          '[origin software="rsyslogd" swVersion="8.2102.0" x-pid="611" x-info="https://www.rsyslog.com"] '
          "rsyslogd was HUPed")
    E.add(WEB_START + timedelta(seconds=1.9), "daemon", "info", "systemd[1]", "Reloading The Apache HTTP Server.")
    E.add(WEB_START + timedelta(seconds=2.2), "daemon", "info", "systemd[1]", "Reloaded The Apache HTTP Server.")
    for t in every(WEB_START + timedelta(minutes=11), WEB_END, 2048, rng, jitter=30):
        E.add(t, "daemon", "info", "systemd-timesyncd[501]",
              f"Synchronized to time server 10.20.0.2:123 (10.20.0.2), offset {rng.uniform(-2, 2):+.3f}ms")
    dkey = "ED25519 SHA256:8sKq2m1Vb0x7TzR4Lw9hYc3Nf5JpA6gUe2oDiQ1tWkE"
    okey = "ED25519 SHA256:Zp4fH1cN9uV6yB0rT3kX8mQ2wL5jS7dA1eG4hR0iOqU"
    ssh_session(E, rng, pids, datetime(2024, 3, 12, 8, 14, 55), "ops", 1002, "10.20.0.15", okey, 400,
                ("/usr/bin/tail -n 50 /var/log/apache2/error.log", "/usr/bin/systemctl status apache2"))
    login = deploy - timedelta(seconds=21.4)
    ssh_session(E, rng, pids, login, "deploy", 1001, "10.20.0.60", dkey, 150,
                ((21.3, "/usr/bin/systemctl restart shop"),
                 ((graceful[1] - login).total_seconds() - 0.4, "/usr/bin/systemctl reload apache2")))
    E.add(deploy, "daemon", "info", "systemd[1]", "Stopping Shop web application...")
    E.add(deploy + timedelta(seconds=2), "daemon", "info", "systemd[1]", "shop.service: Succeeded.")
    E.add(deploy + timedelta(seconds=2.1), "daemon", "info", "systemd[1]", "Stopped Shop web application.")
    E.add(deploy + timedelta(seconds=2.2), "daemon", "info", "systemd[1]", "Started Shop web application.")
    E.add(graceful[1] - timedelta(seconds=0.3), "daemon", "info", "systemd[1]", "Reloading The Apache HTTP Server.")
    E.add(graceful[1] + timedelta(seconds=0.1), "daemon", "info", "systemd[1]", "Reloaded The Apache HTTP Server.")
    for t in every(datetime(2024, 3, 12, 0, 20), WEB_END, 5400, rng, jitter=300):
        ssh_session(E, rng, pids, t, "deploy", 1001, "10.20.0.60", dkey, 8)

    access.sort(key=lambda ln: ln.split("[", 1)[1][:20])
    app.sort(key=lambda ln: ln[:24])
    events = E.sorted()
    b = Bundle()
    end = WEB_END.replace(tzinfo=UTC)
    b.add("var/log/apache2/access.log", ("\n".join(access) + "\n").encode("ascii"), end)
    b.add("var/log/apache2/error.log", ("\n".join(error) + "\n").encode("ascii"), graceful[1].replace(tzinfo=UTC))
    b.add("var/log/shop/app.log", ("\n".join(app) + "\n").encode("ascii"), end)
    for rel, keep in (("var/log/syslog", lambda e: e[2] not in ("auth", "authpriv")),
                      ("var/log/auth.log", lambda e: e[2] in ("auth", "authpriv"))):
        data, last = render_syslog(WEB_HOST, events, keep)
        b.add(rel, data, last.replace(tzinfo=UTC))
    return b


# ================================================================ main

def main(argv):
    if len(argv) != 2 or argv[1].startswith("-"):
        sys.stderr.write("usage: generate.py OUTDIR\n")
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)

    veeam, nested = gen_replication()
    linux = gen_linux()
    web = gen_webserver()
    write_tree(os.path.join(out, "replication-mtu"), veeam)
    write_tree(os.path.join(out, "linux-oom-disk"), linux)
    write_tree(os.path.join(out, "clean-webserver"), web)

    export = datetime(2024, 3, 14, 10, 15, 52, tzinfo=VBR_TZ)
    top = "2024-03-14T101552_VeeamBackupLogs/"

    def local_dt(mtime):
        t = datetime.fromtimestamp(mtime, VBR_TZ)
        return (t.year, t.month, t.day, t.hour, t.minute, t.second)

    archives = {
        "replication-mtu.zip": zip_bytes([(top + rel, data, local_dt(m)) for rel, (data, m) in veeam.files.items()]),
    }
    inner = zip_bytes([(rel, data, local_dt(last.timestamp())) for rel, (data, last) in nested.items()])
    with_nested = dict(veeam.files)
    with_nested["Backup/Agents/proxy01-logs.zip"] = (inner, int(export.timestamp()))
    archives["replication-mtu.tar.gz"] = targz_bytes(with_nested)
    archives["linux-oom-disk.tar.gz"] = targz_bytes(linux.files)
    for name, data in sorted(archives.items()):
        path = os.path.join(out, name)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (int(export.timestamp()), int(export.timestamp())))
    print(f"generated 3 bundles in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
