casebook mine: the distinct events of a bundle's logs, errors first.

  $ python3 "$CB_SOURCE/examples/bundles/generate.py" "$FIX/mine-demo"
  generated 3 bundles in $FIX/mine-demo

The error and warning templates of the demo bundles (archive and folder), header stripped by detection:

  $ casebook mine $FIX/mine-demo/linux-oom-disk.tar.gz --top 3 --format json | python3 -c '
  > import json, sys
  > d = json.load(sys.stdin)
  > print(d["lines"], d["templates"], d["overflow"], [(t["count"], t["level"], t["example"]["file"]) for t in d["shown"]])'
  13889 221 0 [(1788, '-', 'sos_commands/kernel/dmesg'), (1636, '-', 'var/log/kern.log'), (1385, '-', 'var/log/syslog')]

  $ casebook mine $FIX/mine-demo/replication-mtu.tar.gz --level error --top 4
  mine: $FIX/mine-demo/replication-mtu.tar.gz: 29,775 lines, 280 templates; the first 4 of 20 shown
  
      COUNT  LEVEL    ID                TEMPLATE
         28  error    5f23ba708f53c1f8  at Veeam.Backup.Core.CViReplicaTaskProcessor.TransferDisks(CViReplicaTask task)
         14  error    022f337fba185842  at Veeam.Backup.Core.CViDiskTransfer.TransferDisk(CViDiskTransferSpec spec, IStopSessionSync stop)
         14  error    156218d062c4b544  at Veeam.Backup.AgentProvider.CSocketAgentService.ReadResponse(String command)
         14  error    2a9cf9205cdc43d3  at Veeam.Backup.Core.CBackupTaskSession.Run(ITaskSessionProcessor processor)

  $ casebook mine $FIX/mine-demo/clean-webserver --top 3 --format md
  # Templates of $FIX/mine-demo/clean-webserver
  
  8,328 lines, 110 templates.
  
  | count | level | id | template | example |
  |---:|---|---|---|---|
  | 1 | warning | `36c8e9d5cd83ffcd` | \[\<\*>] c.e.shop.catalog.PriceFeed - Price feed returned \<\*> items with unknown SKU, ignored | `var/log/shop/app.log`:1458 |
  | 1 | warning | `7ea4138dbf7f3576` | \[\<\*>] c.e.shop.catalog.ImageService - Thumbnail for product \<\*> not cached, rendering on demand | `var/log/shop/app.log`:608 |
  | 1,354 | info | `21bdeff4f06201d1` | \[\<\*>] c.e.shop.web.RequestLog - \<\*> \<\*> -> \<\*> (\<\*> ms) | `var/log/shop/app.log`:3 |

A few Loghub HDFS lines with the benchmark's header format: the <Content> is mined, the <Level> kept, and
--lines writes one row per line with that file's line numbers:

  $ printf '%s\n' \
  >  '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating' \
  >  '081109 203807 222 INFO dfs.DataNode$PacketResponder: PacketResponder 0 for block blk_-6952295868487656571 terminating' \
  >  '081109 204525 512 INFO dfs.DataNode$PacketResponder: Received block blk_3587508140051953248 of size 67108864 from /10.251.42.84' \
  >  '081109 204722 567 INFO dfs.DataNode$PacketResponder: Received block blk_5402003568334525940 of size 67108864 from /10.251.214.112' \
  >  '081109 204815 653 WARN dfs.DataNode$DataXceiver: Receiving block blk_5792489080791696128 src: /10.251.30.6:33145 dest: /10.251.30.6:50010' \
  >  > "$FIX/hdfs-small.log"
  $ casebook mine "$FIX/hdfs-small.log" --log-format '<Date> <Time> <Pid> <Level> <Component>: <Content>' --lines "$FIX/hdfs.tsv"
  mine: $FIX/hdfs-small.log: 5 lines, 3 templates
  
      COUNT  LEVEL    ID                TEMPLATE
          1  warning  075c5bd014a4baa6  Receiving block <*> src: <*>:<*> dest: <*>:<*>
          2  info     0db134f8a2c4f7fb  Received block <*> of size <*> from <*>
          2  info     c56b31d06bb8660b  PacketResponder <*> for block <*> terminating
  $ cat "$FIX/hdfs.tsv"
  1	PacketResponder <*> for block <*> terminating
  2	PacketResponder <*> for block <*> terminating
  3	Received block <*> of size <*> from <*>
  4	Received block <*> of size <*> from <*>
  5	Receiving block <*> src: <*>:<*> dest: <*>:<*>

The same as JSON: counts, levels, first and last time, and one example with its location:

  $ casebook mine "$FIX/hdfs-small.log" --log-format '<Date> <Time> <Pid> <Level> <Component>: <Content>' --format json --top 1
  {
    "bundle": "$FIX/hdfs-small.log",
    "lines": 5,
    "templates": 3,
    "overflow": 0,
    "unmatched_header": 0,
    "shown": [
      {
        "id": "075c5bd014a4baa6",
        "template": "Receiving block <*> src: <*>:<*> dest: <*>:<*>",
        "count": 1,
        "level": "warning",
        "levels": {
          "warning": 1
        },
        "first": "2008-11-09T20:48:15.000Z",
        "last": "2008-11-09T20:48:15.000Z",
        "example": {
          "file": "hdfs-small.log",
          "line": 5,
          "text": "Receiving block blk_5792489080791696128 src: /10.251.30.6:33145 dest: /10.251.30.6:50010"
        }
      }
    ]
  }

A line the format does not match is mined whole and counted:

  $ printf 'not a header line 42\n' >> "$FIX/hdfs-small.log"
  $ casebook mine "$FIX/hdfs-small.log" --log-format '<Date> <Time> <Pid> <Level> <Component>: <Content>' --top 0 --level error
  casebook: warning: mine: 1 lines do not match the --log-format; mined without their detected header
  mine: $FIX/hdfs-small.log: 6 lines, 4 templates
  
  no template at this level

Bad input gets a clear error and exit status 2:

  $ casebook mine "$FIX/hdfs-small.log" --log-format '<Date> <Level'
  casebook: mine: --log-format: log format: field at offset 7 is not closed by '>' (a field is <Name> with letters, digits and '_')
  Try 'casebook mine --help'.
  [2]
  $ casebook mine "$FIX/hdfs-small.log" --log-format '<Date> <Level>'
  casebook: mine: --log-format: log format has no <Content> field (the part of each line to mine)
  Try 'casebook mine --help'.
  [2]
  $ casebook mine "$FIX/hdfs-small.log" --level fatal
  casebook: mine: --level: 'fatal' is not error, warning or all
  Try 'casebook mine --help'.
  [2]
  $ casebook mine "$FIX/hdfs-small.log" --top many
  casebook: mine: --top: 'many' is not a number
  Try 'casebook mine --help'.
  [2]
  $ casebook mine
  casebook: mine: missing BUNDLE
  Try 'casebook mine --help'.
  [2]
  $ casebook mine "$FIX/no-such-bundle"
  casebook: $FIX/no-such-bundle: No such file or directory
  [2]
  $ : > "$FIX/empty-mine.log"; casebook mine "$FIX/empty-mine.log"
  casebook: mine: $FIX/empty-mine.log: nothing could be read: no text line in it
  [2]
  $ casebook mine "$FIX/hdfs-small.log" --lines /nonexistent-dir/x.tsv
  casebook: mine: /nonexistent-dir/x.tsv: No such file or directory
  [2]

Hostile archives follow the bundle reader's rules: what can be read is mined, the rest is warned about:

  $ casebook mine $FIX/corrupt-member.zip --top 2
  casebook: warning: second.log: cannot read: ZIP decompression failed (-3)
  mine: $FIX/corrupt-member.zip: 2 lines, 2 templates
  
      COUNT  LEVEL    ID                TEMPLATE
          1  -        01b40354d6d3836c  third ok
          1  -        6d418a30c2a2e4ad  first ok
  $ casebook mine $FIX/bomb.zip --top 1 --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["lines"], d["templates"])'
  casebook: warning: bomb.log: refused: expands more than 1000 times its compressed size (possible decompression bomb)
  259074 3

The help is generated from the option table:

  $ casebook mine --help
  usage: casebook mine BUNDLE [--top N] [--level error|warning|all] [--log-format FMT] [--lines OUT.tsv] [options]
  
  the distinct events (templates) of a bundle's logs, ranked by level and count
  
  Every text line of BUNDLE is reduced to a template: its header is stripped (with --log-format, the
  fields of that format, the <Content> being mined and <Level> kept; without, the detected timestamp and
  a level word), variables are masked as <*>, and lines of the same event are grouped (docs/mining.md).
  Templates are listed errors first, then warnings, then the rest, each by count.  --lines numbers the
  lines of a single-file BUNDLE as that file does, of a larger one in reading order.  Exit status: 0;
  2 on a usage error, when BUNDLE cannot be opened, or when no line of it could be read.
  
  options:
    -n, --top N                show the first N templates (20; 0 for all)
        --level LEVEL          error, warning (and errors) or all (default)
        --log-format FMT       header format, Loghub syntax: '<Date> <Time> <Level> <Component>: <Content>'
        --lines OUT.tsv        write 'line number<TAB>template' for every line to OUT.tsv
    -f, --format FMT           output format: text (default), json or md
        --time-format FMT      timestamp format (a name such as syslog, or a pattern like '%d/%b/%Y:%H:%M:%S %z')
        --max-ratio N          refuse members expanding more than N:1 (1000)
        --max-total SIZE       stop after SIZE uncompressed bytes (64G)
        --max-depth N          open archives nested up to N deep (4)
        --max-line SIZE        truncate lines longer than SIZE (1M)
        --max-cpu SECONDS      stop after SECONDS of CPU spent decompressing (600)
        --tz ZONE              show times in ZONE: UTC (default), +HH:MM, or a name like Europe/Berlin
    -h, --help                 show this help
