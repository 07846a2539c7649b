casebook ls on a directory: every text shape a log file comes in.

  $ casebook ls plain
  FILE                             SIZE       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  Backup/Job.Daily.log            17 KiB         301  utf-8     crlf  veeam     2024-03-12 10:00:00  2024-03-12 10:04:59
  Backup/Svc.VeeamBackup.log       274 B           5  utf-8     crlf  veeam     2024-03-12 10:00:00  2024-03-12 10:30:00
  cr-only.log                       19 B           3  utf-8     cr    none      -                    -
  empty.log                          0 B           0  utf-8     none  none      -                    -
  hdfs.log                       100 KiB       1,000  utf-8     lf    hdfs      2008-11-09 20:00:00  2008-11-09 20:39:39
  image.png                      2.0 KiB           -  binary    -     -         -                    -
  latin1.log                        17 B           2  8bit      lf    none      -                    -
  long-line.log                  3.0 MiB           3  utf-8     lf    none      -                    -  (1 long line cut)
  long-tail.log                  2.0 MiB           2  utf-8     lf    none      -                    -  (1 long line cut)
  no-final-newline.log              13 B           3  utf-8     lf    none      -                    -
  utf16be-bom.log                   32 B           2  utf-16be  lf    none      -                    -
  utf16le-bom.log                   30 B           2  utf-16le  crlf  none      -                    -
  utf16le-nobom.log                106 B           2  utf-16le  lf    iso8601   2024-03-12 10:00:00  2024-03-12 10:00:05
  utf8-bom.log                      40 B           1  utf-8-bom lf    java      2024-03-12 10:00:00  2024-03-12 10:00:00
  var/log/auth.log                12 KiB         200  utf-8     lf    syslog    2024-03-12 10:00:00  2024-03-12 10:03:19
  var/log/rollover.log             111 B           3  utf-8     lf    syslog    2023-12-31 23:59:58  2024-01-01 00:00:01
  
  plain: 16 files (1 binary, not read), 5.1 MiB, 1,529 lines
  
  warnings:
    empty.log: empty file

The same as JSON (the contract scripts rely on):

  $ casebook ls plain --format json
  {
    "bundle": "plain",
    "files": [
      {
        "path": "Backup/Job.Daily.log",
        "bytes": 17592,
        "stored_bytes": 17592,
        "lines": 301,
        "encoding": "utf-8",
        "binary": false,
        "eol": "crlf",
        "time_format": "veeam",
        "first_time": "2024-03-12T10:00:00.000Z",
        "last_time": "2024-03-12T10:04:59.000Z",
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "Backup/Svc.VeeamBackup.log",
        "bytes": 274,
        "stored_bytes": 274,
        "lines": 5,
        "encoding": "utf-8",
        "binary": false,
        "eol": "crlf",
        "time_format": "veeam",
        "first_time": "2024-03-12T10:00:00.000Z",
        "last_time": "2024-03-12T10:30:00.000Z",
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": -300
      },
      {
        "path": "cr-only.log",
        "bytes": 19,
        "stored_bytes": 19,
        "lines": 3,
        "encoding": "utf-8",
        "binary": false,
        "eol": "cr",
        "time_format": null,
        "first_time": null,
        "last_time": null,
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "empty.log",
        "bytes": 0,
        "stored_bytes": 0,
        "lines": 0,
        "encoding": "utf-8",
        "binary": false,
        "eol": "none",
        "time_format": null,
        "first_time": null,
        "last_time": null,
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "hdfs.log",
        "bytes": 102100,
        "stored_bytes": 102100,
        "lines": 1000,
        "encoding": "utf-8",
        "binary": false,
        "eol": "lf",
        "time_format": "hdfs",
        "first_time": "2008-11-09T20:00:00.000Z",
        "last_time": "2008-11-09T20:39:39.000Z",
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "image.png",
        "bytes": 2056,
        "stored_bytes": 2056,
        "lines": 0,
        "encoding": "binary",
        "binary": true,
        "eol": "none",
        "time_format": null,
        "first_time": null,
        "last_time": null,
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "latin1.log",
        "bytes": 17,
        "stored_bytes": 17,
        "lines": 2,
        "encoding": "8bit",
        "binary": false,
        "eol": "lf",
        "time_format": null,
        "first_time": null,
        "last_time": null,
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "long-line.log",
        "bytes": 3145742,
        "stored_bytes": 3145742,
        "lines": 3,
        "encoding": "utf-8",
        "binary": false,
        "eol": "lf",
        "time_format": null,
        "first_time": null,
        "last_time": null,
        "depth": 0,
        "truncated_lines": 1,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "long-tail.log",
        "bytes": 2097158,
        "stored_bytes": 2097158,
        "lines": 2,
        "encoding": "utf-8",
        "binary": false,
        "eol": "lf",
        "time_format": null,
        "first_time": null,
        "last_time": null,
        "depth": 0,
        "truncated_lines": 1,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "no-final-newline.log",
        "bytes": 13,
        "stored_bytes": 13,
        "lines": 3,
        "encoding": "utf-8",
        "binary": false,
        "eol": "lf",
        "time_format": null,
        "first_time": null,
        "last_time": null,
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "utf16be-bom.log",
        "bytes": 32,
        "stored_bytes": 32,
        "lines": 2,
        "encoding": "utf-16be",
        "binary": false,
        "eol": "lf",
        "time_format": null,
        "first_time": null,
        "last_time": null,
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "utf16le-bom.log",
        "bytes": 30,
        "stored_bytes": 30,
        "lines": 2,
        "encoding": "utf-16le",
        "binary": false,
        "eol": "crlf",
        "time_format": null,
        "first_time": null,
        "last_time": null,
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "utf16le-nobom.log",
        "bytes": 106,
        "stored_bytes": 106,
        "lines": 2,
        "encoding": "utf-16le",
        "binary": false,
        "eol": "lf",
        "time_format": "iso8601",
        "first_time": "2024-03-12T10:00:00.000Z",
        "last_time": "2024-03-12T10:00:05.000Z",
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "utf8-bom.log",
        "bytes": 40,
        "stored_bytes": 40,
        "lines": 1,
        "encoding": "utf-8-bom",
        "binary": false,
        "eol": "lf",
        "time_format": "java",
        "first_time": "2024-03-12T10:00:00.123Z",
        "last_time": "2024-03-12T10:00:00.123Z",
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "var/log/auth.log",
        "bytes": 12000,
        "stored_bytes": 12000,
        "lines": 200,
        "encoding": "utf-8",
        "binary": false,
        "eol": "lf",
        "time_format": "syslog",
        "first_time": "2024-03-12T10:00:00.000Z",
        "last_time": "2024-03-12T10:03:19.000Z",
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": null
      },
      {
        "path": "var/log/rollover.log",
        "bytes": 111,
        "stored_bytes": 111,
        "lines": 3,
        "encoding": "utf-8",
        "binary": false,
        "eol": "lf",
        "time_format": "syslog",
        "first_time": "2023-12-31T23:59:58.000Z",
        "last_time": "2024-01-01T00:00:01.000Z",
        "depth": 0,
        "truncated_lines": 0,
        "incomplete": false,
        "utc_offset_minutes": null
      }
    ],
    "totals": {
      "files": 16,
      "bytes": 5377290,
      "lines": 1529,
      "stored_bytes": 5377290
    },
    "warnings": [
      {
        "path": "empty.log",
        "message": "empty file",
        "notice": true
      }
    ],
    "warnings_dropped": 0
  }

And as Markdown, for pasting into a case:

  $ casebook ls plain --format md | head -8
  ## Bundle `plain`
  
  | File | Size | Lines | Encoding | Time format | First (UTC) | Last (UTC) |
  |---|---:|---:|---|---|---|---|
  | Backup/Job.Daily.log | 17 KiB | 301 | utf-8 | veeam | 2024-03-12 10:00:00 | 2024-03-12 10:04:59 |
  | Backup/Svc.VeeamBackup.log | 274 B | 5 | utf-8 | veeam | 2024-03-12 10:00:00 | 2024-03-12 10:30:00 |
  | cr-only.log | 19 B | 3 | utf-8 | none | - | - |
  | empty.log | 0 B | 0 | utf-8 | none | - | - |

Markdown goes into tickets: the bundle is named by its display name, not by the path it was given as:

  $ casebook ls $FIX/good.tar.gz --format md | head -1
  > casebook ls $FIX/plain/ --format md | head -1
  ## Bundle `good.tar.gz`
  ## Bundle `plain`

A forced timestamp format replaces detection for every file:

  $ casebook ls plain/var/log --time-format '%b %e %H:%M:%S' --format json | python3 -c '
  > import json, sys
  > for f in json.load(sys.stdin)["files"]: print(f["path"], f["time_format"], f["first_time"], f["last_time"])'
  auth.log custom 2024-03-12T10:00:00.000Z 2024-03-12T10:03:19.000Z
  rollover.log custom 2023-12-31T23:59:58.000Z 2024-01-01T00:00:01.000Z

A single plain file is a bundle of one:

  $ casebook ls plain/hdfs.log
  FILE           SIZE       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  hdfs.log     100 KiB       1,000  utf-8     lf    hdfs      2008-11-09 20:00:00  2008-11-09 20:39:39
  
  plain/hdfs.log: 1 file, 100 KiB, 1,000 lines

Symbolic links are followed only inside the bundle:

  $ casebook ls links
  FILE                  SIZE       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  inside-link.log        10 B           1  utf-8     lf    none      -                    -
  real.log               10 B           1  utf-8     lf    none      -                    -
  
  links: 2 files, 20 B, 2 lines
  
  warnings:
    dangling.log: symbolic link cannot be followed: No such file or directory
    fifo: not a regular file; skipped
    outside-link.log: symbolic link points outside the bundle; not followed
    self-loop: directory already listed (a symbolic link loop); skipped
    up-loop: symbolic link points outside the bundle; not followed

Unreadable files and directories are reported, not fatal (run as an unprivileged user when the tests run as root):

  $ d=$(mktemp -d); mkdir -p $d/b/locked; echo ok > $d/b/ok.log; echo secret > $d/b/secret.log
  > chmod 000 $d/b/secret.log $d/b/locked; chmod 755 $d $d/b; cp "$(command -v casebook)" $d/
  > as=""; [ "$(id -u)" = 0 ] && as="setpriv --reuid=65534 --regid=65534 --clear-groups"
  > (cd $d && $as ./casebook ls b); echo "exit $?"; chmod -R u+rwx $d; rm -rf $d
  FILE         SIZE       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  ok.log         3 B           1  utf-8     lf    none      -                    -
  
  b: 1 file, 3 B, 1 line
  
  warnings:
    locked: cannot read directory: Permission denied
    secret.log: cannot open: Permission denied
  exit 0

JSON is streamed, member by member: listing 20,000 members takes no more memory than listing one
(peak resident size, in KiB; ASan's quarantine would keep every freed block, so it is kept small):

  $ ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1" python3 -c '
  > import resource, subprocess
  > def peak(bundle):
  >     subprocess.run(["python3", "-c", "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)", "casebook", "ls", bundle, "--format", "json"], stdout=open("peak.txt", "w"))
  >     return int(open("peak.txt").read())
  > one, many = peak("single.log.gz"), peak("many.tar.gz")
  > print("grows by less than 8 MiB" if many - one < 8192 else f"grows by {many - one} KiB")'
  grows by less than 8 MiB
  $ rm -f peak.txt

  $ casebook ls many.tar.gz --format json | python3 -c '
  > import json, sys; d = json.load(sys.stdin); print(len(d["files"]), d["files"][-1]["path"], d["totals"]["files"])'
  20000 d099/f19999.log 20000

Times in another zone (--tz: UTC, an offset, or a tz database name), named in the header:

  $ casebook ls $FIX/kernel/dmesg-kernlog --tz Europe/Berlin
  FILE                   SIZE       LINES  ENCODING  EOL   TIME      FIRST (Europe/Berlin)  LAST (Europe/Berlin)
  var/log/dmesg          411 B           5  utf-8     lf    none      -                      -
  var/log/kern.log       245 B           3  utf-8     lf    syslog    2024-03-12 09:00:00    2024-03-12 09:00:05
  
  $FIX/kernel/dmesg-kernlog: 2 files, 656 B, 8 lines
