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
        "regex": "blk_1000 "
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
        "regex": "Job progress 29[0-9]%"
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
