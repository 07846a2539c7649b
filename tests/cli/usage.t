The command line: help, version, usage errors (exit 2).

  $ casebook --version | sed 's/[0-9][0-9.]*/X.Y.Z/'
  casebook X.Y.Z

  $ casebook
  usage: casebook [--version] [--help] [--db PATH] [--as HANDLE] SUBCOMMAND [options]
  
  casebook triages customer log bundles against known-issue playbooks.
  
  global options (before the subcommand; used by the commands that keep knowledge: people, kb, case):
    --db PATH    the database (else $CASEBOOK_DB, else $XDG_DATA_HOME/casebook/casebook.db
                 or ~/.local/share/casebook/casebook.db)
    --as HANDLE  the person acting (else $CASEBOOK_USER)
  
  subcommands:
    ls         list the files of a log bundle: sizes, lines, encodings, time spans
    grep       search bundles for many patterns at once, like grep
    triage     find the known issues in a bundle, with evidence and the next step
    list       list the playbook library: id, signatures, product, tags, articles, title
    lint       check playbooks: syntax, structure, references, patterns
    test       run the tests written inside playbooks
    walk       walk a playbook's decision tree with an engineer, step by step
    show       a playbook as a wiki page (md), a graph (dot, svg) or a Mermaid flowchart
    people     the people of the knowledge base: add, set, list
    kb         articles: search, show, list, add, edit, state, flag, history, import, export
    case       support cases: new, show, list, note, link, escalate, close, walk
    mine       the distinct events (templates) of a bundle's logs, ranked by level and count
    help       show the help of a subcommand
  
  Run 'casebook help SUBCOMMAND' or 'casebook SUBCOMMAND --help' for details.
  Exit status: 0 success, 1 a documented "found" or failed check, 2 usage or input error.
  [2]

  $ casebook --help
  usage: casebook [--version] [--help] [--db PATH] [--as HANDLE] SUBCOMMAND [options]
  
  casebook triages customer log bundles against known-issue playbooks.
  
  global options (before the subcommand; used by the commands that keep knowledge: people, kb, case):
    --db PATH    the database (else $CASEBOOK_DB, else $XDG_DATA_HOME/casebook/casebook.db
                 or ~/.local/share/casebook/casebook.db)
    --as HANDLE  the person acting (else $CASEBOOK_USER)
  
  subcommands:
    ls         list the files of a log bundle: sizes, lines, encodings, time spans
    grep       search bundles for many patterns at once, like grep
    triage     find the known issues in a bundle, with evidence and the next step
    list       list the playbook library: id, signatures, product, tags, articles, title
    lint       check playbooks: syntax, structure, references, patterns
    test       run the tests written inside playbooks
    walk       walk a playbook's decision tree with an engineer, step by step
    show       a playbook as a wiki page (md), a graph (dot, svg) or a Mermaid flowchart
    people     the people of the knowledge base: add, set, list
    kb         articles: search, show, list, add, edit, state, flag, history, import, export
    case       support cases: new, show, list, note, link, escalate, close, walk
    mine       the distinct events (templates) of a bundle's logs, ranked by level and count
    help       show the help of a subcommand
  
  Run 'casebook help SUBCOMMAND' or 'casebook SUBCOMMAND --help' for details.
  Exit status: 0 success, 1 a documented "found" or failed check, 2 usage or input error.

  $ casebook help ls
  usage: casebook ls BUNDLE [options]
  
  list the files of a log bundle: sizes, lines, encodings, time spans
  
  BUNDLE is a directory, an archive (zip, tar, tar.gz, tar.bz2, tar.xz, tar.zst, 7z) or a single
  file, compressed or not.  Archives inside it are opened in place up to --max-depth levels.
  Files that cannot be read, and members that are damaged or refused, are reported as warnings;
  the rest of the bundle is still listed.  Exit status: 0, or 2 when BUNDLE cannot be opened.
  
  options:
    -f, --format FMT           output format: text (default), json or md
        --time-format FMT      timestamp format (a name such as syslog, or a pattern like '%d/%b/%Y:%H:%M:%S %z')
        --max-ratio N          refuse members expanding more than N:1 (1000)
        --max-total SIZE       stop after SIZE uncompressed bytes (64G)
        --max-depth N          open archives nested up to N deep (4)
        --max-line SIZE        truncate lines longer than SIZE (1M)
        --max-cpu SECONDS      stop after SECONDS of CPU spent decompressing (600)
        --tz ZONE              show times in ZONE: UTC (default), +HH:MM, or a name like Europe/Berlin
    -h, --help                 show this help

  $ casebook ls --help | head -3
  usage: casebook ls BUNDLE [options]
  
  list the files of a log bundle: sizes, lines, encodings, time spans

  $ casebook frobnicate
  casebook: 'frobnicate' is not a casebook subcommand; see 'casebook --help'
  [2]

  $ casebook help frobnicate
  casebook: help: unknown subcommand 'frobnicate'
  [2]

  $ casebook ls
  casebook: ls: missing BUNDLE
  Try 'casebook ls --help'.
  [2]

  $ casebook ls a b
  casebook: ls: expected one BUNDLE, got 2
  Try 'casebook ls --help'.
  [2]

  $ casebook ls --bogus plain
  casebook: ls: unknown option '--bogus'
  Try 'casebook ls --help'.
  [2]

  $ casebook ls --format yaml plain
  casebook: ls: unknown format 'yaml' (text, json or md)
  Try 'casebook ls --help'.
  [2]

  $ casebook ls --format
  casebook: ls: option '--format' needs a value (FMT)
  Try 'casebook ls --help'.
  [2]

  $ casebook ls --max-ratio 0 plain
  casebook: ls: --max-ratio: '0' is not a whole number from 1 to 2^40
  Try 'casebook ls --help'.
  [2]

  $ casebook ls --max-total 12Q plain
  casebook: ls: --max-total: '12Q' is not a size such as 500M or 64G
  Try 'casebook ls --help'.
  [2]

  $ casebook ls --max-depth 99 plain
  casebook: ls: --max-depth: '99' is not a whole number from 0 to 12
  Try 'casebook ls --help'.
  [2]

  $ casebook ls --max-line 10 plain
  casebook: ls: --max-line: '10' is not a size from 64 to 1G
  Try 'casebook ls --help'.
  [2]

  $ casebook ls --time-format '%Y-%Q' plain
  casebook: ls: --time-format: unknown conversion '%Q' at position 4
  Try 'casebook ls --help'.
  [2]

  $ casebook ls does-not-exist
  casebook: does-not-exist: No such file or directory
  [2]

  $ casebook ls /dev/null
  casebook: /dev/null: not a directory, archive or regular file
  [2]

  $ casebook ls --format=json -- empty.zip | head -3
  {
    "bundle": "empty.zip",
    "files": [],

Write errors are reported, not ignored:

  $ casebook ls plain > /dev/full
  casebook: write error: No space left on device
  [2]
