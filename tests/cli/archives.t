Every archive and compression form reads the same three files.

  $ for f in good.zip good.tar good.tar.gz good.tgz good.tar.bz2 good.tar.xz good.tar.zst; do
  >   casebook ls $f --format json | python3 -c '
  > import json, sys
  > d = json.load(sys.stdin)
  > print(d["bundle"], d["totals"]["files"], d["totals"]["lines"], d["totals"]["bytes"],
  >       [(f["path"], f["lines"], f["time_format"]) for f in d["files"]], d["warnings"])'
  > done
  good.zip 3 1501 131692 [('Backup/Job.Daily.log', 301, 'veeam'), ('hdfs.log', 1000, 'hdfs'), ('var/log/auth.log', 200, 'syslog')] []
  good.tar 3 1501 131692 [('Backup/Job.Daily.log', 301, 'veeam'), ('hdfs.log', 1000, 'hdfs'), ('var/log/auth.log', 200, 'syslog')] []
  good.tar.gz 3 1501 131692 [('Backup/Job.Daily.log', 301, 'veeam'), ('hdfs.log', 1000, 'hdfs'), ('var/log/auth.log', 200, 'syslog')] []
  good.tgz 3 1501 131692 [('Backup/Job.Daily.log', 301, 'veeam'), ('hdfs.log', 1000, 'hdfs'), ('var/log/auth.log', 200, 'syslog')] []
  good.tar.bz2 3 1501 131692 [('Backup/Job.Daily.log', 301, 'veeam'), ('hdfs.log', 1000, 'hdfs'), ('var/log/auth.log', 200, 'syslog')] []
  good.tar.xz 3 1501 131692 [('Backup/Job.Daily.log', 301, 'veeam'), ('hdfs.log', 1000, 'hdfs'), ('var/log/auth.log', 200, 'syslog')] []
  good.tar.zst 3 1501 131692 [('Backup/Job.Daily.log', 301, 'veeam'), ('hdfs.log', 1000, 'hdfs'), ('var/log/auth.log', 200, 'syslog')] []

Single compressed files are named after themselves, without the suffix:

  $ for f in single.log.gz single.log.bz2 single.log.xz single.log.zst; do casebook ls $f | sed -n 2p; done
  single.log     100 KiB    6.2 KiB       1,000  utf-8     lf    hdfs      2008-11-09 20:00:00  2008-11-09 20:39:39
  single.log     100 KiB    4.0 KiB       1,000  utf-8     lf    hdfs      2008-11-09 20:00:00  2008-11-09 20:39:39
  single.log     100 KiB    2.0 KiB       1,000  utf-8     lf    hdfs      2008-11-09 20:00:00  2008-11-09 20:39:39
  single.log     100 KiB    3.5 KiB       1,000  utf-8     lf    hdfs      2008-11-09 20:00:00  2008-11-09 20:39:39

Nested archives appear as folders named after the archive:

  $ casebook ls nested.zip
  FILE                                      SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  logs/inner.zip/Backup/Job.Daily.log      17 KiB    1.8 KiB         301  utf-8     crlf  veeam     2024-03-12 10:00:00  2024-03-12 10:04:59
  readme.txt                                 10 B       12 B           1  utf-8     lf    none      -                    -
  
  nested.zip: 2 files, 17 KiB, 302 lines

  $ casebook ls nested.tar
  FILE                             SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  var/log/app.log.gz/app.log      12 KiB    1.0 KiB         200  utf-8     lf    syslog    2024-03-12 10:00:00  2024-03-12 10:03:19
  var/log/plain.log                  2 B      512 B           1  utf-8     lf    none      -                    -
  
  nested.tar: 2 files, 12 KiB, 201 lines

Nesting deeper than the limit is listed, not opened; the limit is settable:

  $ casebook ls deep.zip
  FILE                                              SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  level1.zip/level2.zip/level3.zip/level4.zip       200 B      153 B           -  binary    -     -         -                    -
  
  deep.zip: 1 file (1 binary, not read), 200 B, 0 lines
  
  warnings:
    level1.zip/level2.zip/level3.zip/level4.zip: not opened: archives nested more than 4 deep

  $ casebook ls deep.zip --max-depth 6 | sed -n 2p
  level1.zip/level2.zip/level3.zip/level4.zip/level5.zip/deep.log        16 B       18 B           1  utf-8     lf    none      -                    -

  $ casebook ls deep.zip --max-depth 0
  FILE             SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  level1.zip       425 B      394 B           -  binary    -     -         -                    -
  
  deep.zip: 1 file (1 binary, not read), 425 B, 0 lines
  
  warnings:
    level1.zip: not opened: archives nested more than 0 deep

An archive that contains itself by name is refused:

  $ casebook ls self.zip
  FILE           SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  self.zip       112 B       66 B           -  binary    -     -         -                    -
  ok.log           3 B        5 B           1  utf-8     lf    none      -                    -
  
  self.zip: 2 files (1 binary, not read), 115 B, 1 line
  
  warnings:
    self.zip: refused: archive contains itself (self.zip)

An empty archive says so:

  $ casebook ls empty.zip
  FILE       SIZE       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  
  empty.zip: 0 files, 0 B, 0 lines
  
  warnings:
    empty.zip: archive has no files

Member names in UTF-8 (Python's zipfile and Windows set the zip's UTF-8 flag; pax headers are UTF-8) are
read as such although casebook runs in the C locale, and legacy zip names are read as code page 437:

  $ LC_ALL=C casebook ls utf8names.zip --format json | python3 -c '
  > import json, sys; print([f["path"] for f in json.load(sys.stdin)["files"]])'
  ['journal/Привет.log', 'café.log', '日本/ログ.log']

  $ LC_ALL=C casebook ls utf8names.tar --format json | python3 -c '
  > import json, sys; d = json.load(sys.stdin); print([f["path"] for f in d["files"]], d["warnings"])'
  ['Привет/журнал.log'] []

  $ LC_ALL=C casebook ls cp437names.zip --format json | python3 -c '
  > import json, sys; print([f["path"] for f in json.load(sys.stdin)["files"]])'
  ['caféö.log', 'plain.log']

  $ LC_ALL=C casebook grep -c hello utf8names.zip
  journal/Привет.log:1
  café.log:0
  日本/ログ.log:0
