Hostile bundles: each problem is a warning naming the member, and the rest is still read.

Member names with '..', absolute paths, drive letters and control characters are
normalised for display and never used to open anything:

  $ casebook ls names.zip
  FILE                     SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  etc/passwd                11 B       13 B           1  utf-8     lf    none      -                    -
  abs/path.log               9 B       11 B           1  utf-8     lf    none      -                    -
  Windows/Temp/x.log         6 B        8 B           1  utf-8     lf    none      -                    -
  ctl\x1B[31mred.log         7 B        9 B           1  utf-8     lf    none      -                    -
  dot/slash/ok.log           5 B        7 B           1  utf-8     lf    none      -                    -
  
  names.zip: 5 files, 38 B, 5 lines
  
  warnings:
    etc/passwd: member name contains '..'; those parts are dropped (was '../../etc/passwd')
    abs/path.log: absolute member name made relative (was '/abs/path.log')
    Windows/Temp/x.log: absolute member name made relative (was 'C:/Windows/Temp/x.log')
    ctl\x1B[31mred.log: member name contains control characters; shown escaped

  $ casebook ls names.tar
  FILE                  SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  escape.log              7 B      512 B           1  utf-8     lf    none      -                    -
  tab\x09here.log         4 B      512 B           1  utf-8     lf    none      -                    -
  
  names.tar: 2 files, 11 B, 2 lines
  
  warnings:
    escape.log: member name contains '..'; those parts are dropped (was '../escape.log')
    tab\x09here.log: member name contains control characters; shown escaped

  $ casebook ls names.zip --format json | python3 -c '
  > import json, sys; print([f["path"] for f in json.load(sys.stdin)["files"]])'
  ['etc/passwd', 'abs/path.log', 'Windows/Temp/x.log', 'ctl\\x1B[31mred.log', 'dot/slash/ok.log']

A NUL inside a zip member name ends the name:

  $ casebook ls nulname.zip
  FILE       SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  nul          4 B        6 B           1  utf-8     lf    none      -                    -
  
  nulname.zip: 1 file, 4 B, 1 line

A damaged member: the members before and after it are still read.

  $ casebook ls corrupt-member.zip
  FILE             SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  first.log          9 B       11 B           1  utf-8     lf    none      -                    -
  second.log         0 B        0 B           0  utf-8     none  none      -                    -  (incomplete)
  third.log          9 B       11 B           1  utf-8     lf    none      -                    -
  
  corrupt-member.zip: 3 files, 18 B, 2 lines
  
  warnings:
    second.log: cannot read: ZIP decompression failed (-3)

A truncated tar.gz: what was read before the cut is kept.

  $ casebook ls truncated.tar.gz
  FILE          SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  one.log     801 KiB    801 KiB      20,000  utf-8     lf    iso8601   2024-03-12 10:00:00  2024-03-12 10:33:19
  two.log     576 KiB    798 KiB      14,386  utf-8     lf    iso8601   2024-03-12 10:00:00  2024-03-12 10:59:45  (incomplete)
  
  truncated.tar.gz: 2 files, 1.3 MiB, 34,386 lines
  
  warnings:
    two.log: cannot read: truncated gzip input
    truncated.tar.gz: damaged archive: Truncated input file (needed 820224 bytes, only 0 available); the rest of it is not read

  $ casebook ls truncated.log.gz
  casebook: truncated.log.gz: cannot open archive: truncated gzip input
  [2]

A bundle that cannot be opened at all is an error (exit 2):

  $ casebook ls truncated-small.tar.gz
  casebook: truncated-small.tar.gz: cannot open archive: truncated gzip input
  [2]

  $ casebook ls garbage.tar.gz
  FILE       SIZE       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  
  garbage.tar.gz: 0 files, 0 B, 0 lines
  
  warnings:
    garbage.tar.gz: cannot open archive: not a valid compressed stream

  $ casebook ls not-really.zip
  FILE       SIZE       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  
  not-really.zip: 0 files, 0 B, 0 lines
  
  warnings:
    not-really.zip: damaged archive: Truncated ZIP file header; the rest of it is not read

Decompression bombs are refused once they expand past 16 MiB at more than 1000:1:

  $ casebook ls bomb.log.bz2
  FILE           SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  bomb.log      16 MiB      450 B     259,072  utf-8     lf    none      -                    -  (incomplete)
  
  bomb.log.bz2: 1 file, 16 MiB, 259,072 lines
  
  warnings:
    bomb.log: refused: expands more than 1000 times its compressed size (possible decompression bomb)

  $ casebook ls bomb.zip
  FILE            SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  ok.log            5 B       42 B           1  utf-8     lf    none      -                    -
  bomb.log       16 MiB       84 B     259,072  utf-8     lf    none      -                    -  (incomplete)
  after.log         6 B       44 B           1  utf-8     lf    none      -                    -
  
  bomb.zip: 3 files, 16 MiB, 259,074 lines
  
  warnings:
    bomb.log: refused: expands more than 1000 times its compressed size (possible decompression bomb)

  $ casebook ls bomb.tar.bz2
  FILE            SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  bomb.log       16 MiB     16 MiB     259,072  utf-8     lf    none      -                    -  (incomplete)
  after.log         6 B      512 B           1  utf-8     lf    none      -                    -
  
  bomb.tar.bz2: 2 files, 16 MiB, 259,073 lines
  
  warnings:
    bomb.log: refused: expands more than 1000 times its compressed size (possible decompression bomb)

  $ casebook ls bomb.zip --max-ratio 100000000 | sed -n 3p
  bomb.log       95 MiB      440 B   1,561,600  utf-8     lf    none      -                    -  (incomplete)

Binary members are listed from their header, never decompressed:

  $ casebook ls zeros.zip
  FILE            SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  zeros.bin      64 MiB       36 B           -  binary    -     -         -                    -
  
  zeros.zip: 1 file (1 binary, not read), 64 MiB, 0 lines

The total uncompressed budget stops the whole bundle:

  $ casebook ls budget.tar.gz --max-total 1M
  FILE        SIZE     STORED       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  a.log     600 KiB    600 KiB      51,200  utf-8     lf    none      -                    -
  b.log     320 KiB    551 KiB      27,306  utf-8     lf    none      -                    -  (incomplete)
  
  budget.tar.gz: 2 files, 920 KiB, 78,506 lines
  
  warnings:
    b.log: stopped: the uncompressed budget of 1.0 MiB is used up; the rest of the bundle is not read

20,000 files read with only 16 file descriptors:

  $ (ulimit -n 16; casebook ls many | tail -1; casebook ls many.tar.gz | tail -1)
  many: 20000 files, 204 KiB, 20,000 lines
  many.tar.gz: 20000 files, 204 KiB, 20,000 lines

  $ casebook ls many --format json | python3 -c '
  > import json, sys; d = json.load(sys.stdin); print(len(d["files"]), d["totals"])'
  20000 {'files': 20000, 'bytes': 208890, 'lines': 20000, 'stored_bytes': 208890}

Lines longer than the limit are cut and flagged, never dropped; the limit is settable:

  $ casebook ls plain/long-line.log --format json | python3 -c '
  > import json, sys; f = json.load(sys.stdin)["files"][0]; print(f["lines"], f["truncated_lines"])'
  3 1

  $ casebook ls plain/long-line.log --max-line 4M --format json | python3 -c '
  > import json, sys; f = json.load(sys.stdin)["files"][0]; print(f["lines"], f["truncated_lines"])'
  3 0

One member name far past any path limit (65,000 characters; 17,000 ESC bytes that grow four times when
escaped) is cut with a warning, and the members after it are still read, also nested in a tar.gz:

  $ casebook ls longname.tar --format json | python3 -c '
  > import json, sys; d = json.load(sys.stdin)
  > print([(len(f["path"]), f["path"][:12], f["lines"]) for f in d["files"]])
  > print([w["message"] for w in d["warnings"]])'
  [(4096, 'aaaaaaaaaaaa', 1), (16384, '\\x1B\\x1B\\x1B', 1), (9, 'after.log', 1)]
  ['member name of 65004 bytes cut to its first 4096', 'member name contains control characters; shown escaped', 'member name of 17000 bytes cut to its first 4096']

  $ casebook ls longname-nested.tar.gz --format json | python3 -c '
  > import json, sys; d = json.load(sys.stdin)
  > print([(f["path"][:14], f["lines"]) for f in d["files"]], d["totals"]["files"])'
  [('inner.tar/aaaa', 1), ('inner.tar/\\x1B', 1), ('inner.tar/afte', 1), ('ok.log', 1)] 4

A zip of zips whose members each stay far below the ratio floor still cannot expand without bound: the
whole bundle's expansion, at every level, is bounded by max(16 MiB, ratio x the outermost archive's size):

  $ casebook ls zipofzips.zip | tail -2
  warnings:
    z01.zip/leaf.log: stopped: the archives expanded past 16 MiB, more than 1000 times the size of the bundle's archives (possible nested decompression bomb); the rest of the bundle is not read

The CPU spent decompressing is bounded too (--max-cpu, 600 s by default); here the ratio check is lifted
and a bzip2 bomb is stopped by the clock instead:

  $ casebook ls bomb.log.bz2 --max-ratio 1000000000 --max-cpu 0.05 | grep -c 'stopped: decompression used up the CPU budget of 0.050 s'
  1

  $ casebook ls plain --max-cpu 0
  casebook: ls: --max-cpu: '0' is not a number of seconds from 0.001 to 31536000
  Try 'casebook ls --help'.
  [2]
