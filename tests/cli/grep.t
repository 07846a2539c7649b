casebook grep: grep's habits over a whole bundle, one pass for all patterns.

  $ casebook grep -n -e 'Job progress 1[0-2]%' -e 'blk_100[0-1] ' good.tar.gz
  Backup/Job.Daily.log:12:[12.03.2024 10:00:10] <10> Info         Job progress 10%
  Backup/Job.Daily.log:13:[12.03.2024 10:00:11] <11> Info         Job progress 11%
  Backup/Job.Daily.log:14:[12.03.2024 10:00:12] <12> Info         Job progress 12%
  hdfs.log:1:081109 200000 100 INFO dfs.DataNode$PacketResponder: PacketResponder 0 for block blk_1000 terminating
  hdfs.log:2:081109 200101 101 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_1001 terminating

Several bundles: paths are shown under the bundle's name.

  $ casebook grep -c 'Accepted publickey' good.zip good.tar.xz
  good.zip/Backup/Job.Daily.log:0
  good.zip/hdfs.log:0
  good.zip/var/log/auth.log:200
  good.tar.xz/Backup/Job.Daily.log:0
  good.tar.xz/hdfs.log:0
  good.tar.xz/var/log/auth.log:200

  $ casebook grep -l -i 'ACCEPTED PUBLICKEY' plain nested.tar
  plain/var/log/auth.log
  nested.tar/var/log/app.log.gz/app.log

Patterns from a file (blank lines skipped), and a pattern with a capture group:

  $ printf 'PacketResponder 2 for block blk_1002\n\nJob progress 299%%\n' > /tmp/cb-grep-pats.txt
  > casebook grep -n -f /tmp/cb-grep-pats.txt plain; rm -f /tmp/cb-grep-pats.txt
  Backup/Job.Daily.log:301:[12.03.2024 10:04:59] <19> Info         Job progress 299%
  hdfs.log:3:081109 200202 102 INFO dfs.DataNode$PacketResponder: PacketResponder 2 for block blk_1002 terminating

Nothing found is exit 1; an error is exit 2 and names the pattern and the engine's reason:

  $ casebook grep 'zzz-not-there' plain
  [1]

  $ casebook grep -e 'fine' -e '(a)\1' plain
  casebook: grep: invalid pattern '-e #2' ('(a)\1'): Back-references are unsupported.
  [2]

  $ casebook grep -e '(?<=x)y' plain
  casebook: grep: invalid pattern '-e #1' ('(?<=x)y'): Zero-width assertions are not supported.
  [2]

  $ casebook grep -e 'x*' plain
  casebook: grep: invalid pattern '-e #1' ('x*'): pattern can match an empty line
  [2]

  $ casebook grep -e ok does-not-exist.zip
  casebook: does-not-exist.zip: No such file or directory
  [2]

  $ casebook grep
  casebook: grep: no pattern given (-e RE, -f FILE, or a first operand)
  Try 'casebook grep --help'.
  [2]

  $ casebook grep -e ok
  casebook: grep: missing BUNDLE
  Try 'casebook grep --help'.
  [2]

JSON:

  $ casebook grep --format json -n -e 'blk_1000 ' good.zip
  {
    "patterns": [
      {
        "id": "-e #1",
        "regex": "blk_1000 ",
        "untimed": 0
      }
    ],
    "matches": [
      {
        "bundle": "good.zip",
        "file": "hdfs.log",
        "line": 1,
        "time": "2008-11-09T20:00:00.000Z",
        "text": "081109 200000 100 INFO dfs.DataNode$PacketResponder: PacketResponder 0 for block blk_1000 terminating",
        "patterns": [
          "-e #1"
        ]
      }
    ],
    "unread": [],
    "warnings": []
  }

  $ casebook grep --format json -c -e 'Job progress 29[0-9]%' good.zip
  {
    "patterns": [
      {
        "id": "-e #1",
        "regex": "Job progress 29[0-9]%",
        "untimed": 0
      }
    ],
    "files": [
      {
        "bundle": "good.zip",
        "file": "Backup/Job.Daily.log",
        "count": 10
      },
      {
        "bundle": "good.zip",
        "file": "hdfs.log",
        "count": 0
      },
      {
        "bundle": "good.zip",
        "file": "var/log/auth.log",
        "count": 0
      }
    ],
    "unread": [],
    "warnings": []
  }

Patterns with named groups (captures are not collected by grep: this once crashed):

  $ casebook grep -c -e '(?<w>Job) progress 29' good.zip && casebook grep -n -e '(?<w>Job) progress 29[0-1]' good.zip
  Backup/Job.Daily.log:11
  hdfs.log:0
  var/log/auth.log:0
  Backup/Job.Daily.log:292:[12.03.2024 10:04:50] <10> Info         Job progress 290%
  Backup/Job.Daily.log:293:[12.03.2024 10:04:51] <11> Info         Job progress 291%

A time window (the same --since/--until as triage): lines without a timestamp are kept whatever the window, and
stderr says how many; a dmesg file is placed on the clock by the kern.log copy of its lines:

  $ casebook grep -n 'I/O error' $FIX/kernel/dmesg-only --since 2024-03-12T09:30Z --until 20240312T1015Z
  var/log/dmesg:3:[ 3600.500000] blk_update_request: I/O error, dev sdb, sector 123456 op 0x1:(WRITE) flags 0x0
  var/log/dmesg:4:[ 7200.250000] blk_update_request: I/O error, dev sdb, sector 223456 op 0x1:(WRITE) flags 0x0
  var/log/dmesg:5:[ 9000.000000] blk_update_request: I/O error, dev sdb, sector 323456 op 0x1:(WRITE) flags 0x0
  casebook: grep: $FIX/kernel/dmesg-only: 3 matching lines without a timestamp kept whatever the window

  $ casebook grep -c 'I/O error' $FIX/kernel/dmesg-kernlog --since 2024-03-12T09:30Z --until 20240312T1015Z
  var/log/dmesg:1
  var/log/kern.log:0

  $ casebook grep 'I/O error' $FIX/kernel/dmesg-only $FIX/kernel/dmesg-kernlog --since 2024-03-12T10:15Z --format json | python3 -c '
  > import json, sys; d = json.load(sys.stdin)
  > print(d["patterns"][0]["untimed"], [(m["bundle"][-13:], m["line"], m["time"]) for m in d["matches"]])'
  3 [('el/dmesg-only', 3, None), ('el/dmesg-only', 4, None), ('el/dmesg-only', 5, None), ('dmesg-kernlog', 5, '2024-03-12T10:30:00.000Z')]

  $ casebook grep -c x good.zip --since 2h --until 3h
  casebook: the window is reversed: it starts at 2024-03-12T08:04:59.000Z, after its end at 2024-03-12T07:04:59.000Z
  [2]

Long lines: PCRE2 gets a JIT stack sized for the longest line read (--max-line), so a group repeated over a
400 KB line still matches (this once counted 0, silently: "JIT stack limit reached"):

  $ d=$(mktemp -d); python3 -c 'import sys; sys.stdout.write("x" + "ab" * 200000 + "y\n")' > $d/long.log
  > casebook grep -c 'x(?:ab|cd)*y' $d/long.log; rm -rf $d
  long.log:1

A line PCRE2 cannot finish matching (a catastrophic pattern reaches its match limit) is not a silent miss: it is
a warning naming the file, the line, the pattern and PCRE2's reason, the other lines are still matched, and the
exit status is 2, as grep -P's past its backtracking limit:

  $ d=$(mktemp -d); cd $d; python3 -c 'import sys; sys.stdout.write("ok aab\n" + ("a" * 3000 + "cab\n") * 2 + "aab\n")' > cat.log
  > casebook grep -n -e '(a|aa)+b' cat.log; echo "exit $?"; casebook grep --format json -c -e '(a|aa)+b' cat.log | python3 -c '
  > import json, sys; d = json.load(sys.stdin); print(d["files"][0]["count"]); print(*(w["path"] + ": " + w["message"] for w in d["warnings"]), sep="\n")'
  > cd /; rm -rf $d
  cat.log:1:ok aab
  cat.log:4:aab
  casebook: cat.log: cat.log: line 2: pattern '-e #1' could not be matched (match limit exceeded): the line is not counted for it
  casebook: cat.log: cat.log: line 3: pattern '-e #1' could not be matched (match limit exceeded): the line is not counted for it
  exit 2
  2
  cat.log: line 2: pattern '-e #1' could not be matched (match limit exceeded): the line is not counted for it
  cat.log: line 3: pattern '-e #1' could not be matched (match limit exceeded): the line is not counted for it

Patterns Hyperscan refuses only when it builds its database are named with Hyperscan's reason:

  $ casebook grep -e fine -e '(a|b)\d.{40000}x' plain
  casebook: grep: invalid pattern '-e #2' ('(a|b)\d.{40000}x'): Bounded repeat is too large.
  [2]
