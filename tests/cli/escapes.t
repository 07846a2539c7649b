Terminal escapes never reach the terminal.  Everything shown that came from outside (a bundle's lines and
file names, a playbook's texts and file names, a transcript) is made safe by one rule (cb_utf8_sanitize):
C0 controls, DEL, C1 controls (U+009B is a one-character CSI) and bidi overrides and isolates become U+FFFD
in text, or \xNN in names, in every format.

The issue's case: a Veeam log line that the shipped job-failed-operator-stop playbook matches, the user it
captures (with an OSC title, a screen clear, a C1 CSI and a right-to-left override) filled into the next step:

  $ casebook triage escapes/veeam -p "$CB_SOURCE/examples/playbooks" --format md
  ## casebook triage: `veeam`
  
  Scanned 1 files, 2 lines, 2024-03-12 10:00:00 to 2024-03-12 10:00:01 UTC. 1 known issue found.
  
  ### 1. job-failed-operator-stop — Job shows Failed, but the log says the operation was canceled by a user
  
  Score 1.0 · article KB-VBR-0012
  
  | Signature | Severity | Lines | First seen (UTC) | Last seen (UTC) |
  |---|---|---:|---|---|
  | canceled-by-user | warning | 1 | 2024-03-12 10:00:01 | 2024-03-12 10:00:01 |
  | stop-signal | info | 1 | 2024-03-12 10:00:00 | 2024-03-12 10:00:00 |
  
  Evidence:
  
  ```
  Backup/Job.Nightly.log:2: [2024-03-12 10:00:01] [12.03.2024 10:00:01] <01> Error        Operation was canceled by user ADMIN�]0;pwned��[2J�2J�evil (Veeam.Backup.Common.CStopSessionException)
  Backup/Job.Nightly.log:1: [2024-03-12 10:00:00] [12.03.2024 10:00:00] <01> Info         Stop signal has been received
  ```
  
  Path: `canceled` → `stop-requested` → `who-stopped`
  
  **Next step (`who-stopped`):** The log names ADMIN�]0;pwned��\[2J�2J�evil. Who or what was acting as that account when the job was stopped? Look at the console's session history, PowerShell logs (VeeamPowerShell.log, Stop-VBRJob), scripts and schedulers.

  $ casebook triage escapes/veeam -p "$CB_SOURCE/examples/playbooks" | grep -E 'canceled by user|next:'
       Backup/Job.Nightly.log:2  [2024-03-12 10:00:01] [12.03.2024 10:00:01] <01> Error        Operation was canceled by user ADMIN�]0;pwned��[2J�2J�evil (Veeam.Backup.Common.CStopSessionException)
     next: who-stopped — The log names ADMIN�]0;pwned��[2J�2J�evil. Who or what was acting as that account when the job was stopped? Look at the console's session history, PowerShell logs (VeeamPowerShell.log, Stop-VBRJob), scripts and schedulers.

A playbook with escapes in its title, article, describe, question, choices and conclusion:

  $ casebook triage escapes/bundle -p escapes/playbooks | sed 's/in [0-9.]* s/in N s/'
  escapes/bundle: 1 file, 1 lines, 57 B scanned in N s with 1 playbook (1 signature)
  logs from 2024-03-12 10:00:00 to 2024-03-12 10:00:00 UTC
  
  1. evil-title — Evil �]0;pwned��[2J title �2J �right-to-left  [score 2.0, KB-�[31m1]
     boom (error): 1 line, 2024-03-12 10:00:00 → 2024-03-12 10:00:00 UTC  describe �[2J
       app.log:1  [2024-03-12 10:00:00] 2024-03-12T10:00:00Z boom ADMIN�]0;pwned��[2J�2J�evil
     path: seen → ask-who
       seen: boom 1 >= min 1: yes
     next: ask-who — Who is ADMIN�]0;pwned��[2J�2J�evil? �[5m
         - the �[2J admin
         - someone else
  

  $ casebook triage escapes/bundle -p escapes/playbooks --format md
  ## casebook triage: `bundle`
  
  Scanned 1 files, 1 lines, 2024-03-12 10:00:00 to 2024-03-12 10:00:00 UTC. 1 known issue found.
  
  ### 1. evil-title — Evil �]0;pwned��\[2J title �2J �right-to-left
  
  Score 2.0 · article KB-�\[31m1
  
  | Signature | Severity | Lines | First seen (UTC) | Last seen (UTC) |
  |---|---|---:|---|---|
  | boom | error | 1 | 2024-03-12 10:00:00 | 2024-03-12 10:00:00 |
  
  Evidence:
  
  ```
  app.log:1: [2024-03-12 10:00:00] 2024-03-12T10:00:00Z boom ADMIN�]0;pwned��[2J�2J�evil
  ```
  
  Path: `seen` → `ask-who`
  
  **Next step (`ask-who`):** Who is ADMIN�]0;pwned��\[2J�2J�evil? �\[5m

JSON carries the same text: jansson would write a C0 control as \u001b, which `jq -r` turns back into the
control, so controls are replaced before, as in text:

  $ casebook triage escapes/bundle -p escapes/playbooks --format json | python3 -c '
  > import json, sys
  > raw = sys.stdin.read()
  > def strings(v):
  >     if isinstance(v, str): yield v
  >     elif isinstance(v, dict): yield from (s for x in v.values() for s in strings(x))
  >     elif isinstance(v, list): yield from (s for x in v for s in strings(x))
  > doc = json.loads(raw)
  > f = doc["findings"][0]
  > bad = [c for s in strings(doc) for c in s if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) < 0xa0
  >        or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069]
  > print(len(bad), "\\u001b" in raw, f["title"], f["article"], f["next_text"], sep="\n")'
  0
  False
  Evil �]0;pwned��[2J title �2J �right-to-left
  KB-�[31m1
  Who is ADMIN�]0;pwned��[2J�2J�evil? �[5m

`casebook test` names each test by its name as written: a line end in a name cannot forge a result line, nor
an escape in a log path or an answer reach the terminal:

  $ casebook test -v escapes/playbooks escapes/tested
  ok   evil-title: name \x1B[2J\x0AFAIL forged
         seen: boom 1 >= min 1: yes
         ask-who: answered 'the �[2J admin'
  FAIL evil-title: stops \xE2\x80\xAEat ask-who: reached 'ask-who' (stopped: it needs an answer) instead of 'nothing'
         seen: boom 1 >= min 1: yes
  ERROR evil-path: log path \xC2\x9B2J: log path '../\x1B[2Jx.log' must be relative and stay inside the bundle
  
  1 passed, 2 failed (1 could not run) — 2 playbooks
  [1]

`lint` and every warning print a playbook's file name on one line, its line end escaped:

  $ casebook lint escapes/names
  escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:1:1: missing key 'title' at top level
  escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:1:1: missing key 'signatures' at top level
  escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:1:1: missing key 'start' at top level
  escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:1:1: missing key 'nodes' at top level
  escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:2:5: invalid playbook id 'Not An Id': use lowercase letters, digits and '-', not first
  casebook: lint: 5 problems
  [1]

  $ casebook triage escapes/bundle -p escapes/playbooks -p escapes/names 2>&1 >/dev/null
  casebook: warning: escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:1:1: missing key 'title' at top level
  casebook: warning: escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:1:1: missing key 'signatures' at top level
  casebook: warning: escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:1:1: missing key 'start' at top level
  casebook: warning: escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:1:1: missing key 'nodes' at top level
  casebook: warning: escapes/names/bad\x0Aforged.yaml:1:1: fake.yaml:2:5: invalid playbook id 'Not An Id': use lowercase letters, digits and '-', not first

File names in a bundle, in text and Markdown:

  $ casebook ls escapes/named
  FILE                      SIZE       LINES  ENCODING  EOL   TIME      FIRST (UTC)          LAST (UTC)
  csi\xC2\x9B2J.log           4 B           1  utf-8     lf    none      -                    -
  two\x0Alines.log            6 B           1  utf-8     lf    none      -                    -
  \xE2\x80\xAEgol.exe         4 B           1  utf-8     lf    none      -                    -
  
  escapes/named: 3 files, 14 B, 3 lines

  $ casebook ls escapes/named --format md
  ## Bundle `named`
  
  | File | Size | Lines | Encoding | Time format | First (UTC) | Last (UTC) |
  |---|---:|---:|---|---|---|---|
  | csi\\xC2\\x9B2J.log | 4 B | 1 | utf-8 | none | - | - |
  | two\\x0Alines.log | 6 B | 1 | utf-8 | none | - | - |
  | \\xE2\\x80\\xAEgol.exe | 4 B | 1 | utf-8 | none | - | - |
  
  **Totals:** 3 files, 14 B, 3 lines

`walk --resume` of a tampered transcript: its bundle path and stale node ids are shown escaped.

  $ rm -rf escapes/walk && mkdir escapes/walk && cd escapes/walk
  > printf 'quit\n' | casebook walk evil-title -p ../playbooks -b ../bundle --save t.json >/dev/null
  > python3 -c '
  > import json
  > t = json.load(open("t.json"))
  > t["bundle"] = "/nonexistent/\x1b[2J\nforged"
  > t["steps"][0]["node"] = "gone\x1b]0;x\x07"
  > json.dump(t, open("t.json", "w"))'
  > printf 'quit\n' | casebook walk --resume t.json -p ../playbooks
  casebook: warning: the saved walk's bundle /nonexistent/\x1B[2J\x0Aforged is not used: /nonexistent/\x1B[2J\x0Aforged: No such file or directory; its checks are asked (give --bundle to use a bundle)
  casebook: warning: 'gone\x1B]0;x\x07' is no longer in the playbook: its answer is dropped
  Walking evil-title: Evil �]0;pwned��[2J title �2J �right-to-left
  Answer with a number or a label. At any prompt: back, why, skip, quit, help.
  Resumed from t.json: 0 of 1 answers replayed.
  
  [1] seen (check)
  Do the logs show this?
    - boom: describe �[2J
    1. yes
    2. no
  > quit
  
  Transcript saved to t.json; continue with: casebook walk --resume t.json


`show` in every format (md, and the labels of dot, svg and mermaid) shows them as spaces, as it shows C0
controls:

  $ for f in md dot svg mermaid; do casebook show evil-title -p escapes/playbooks -f $f | python3 -c '
  > import sys
  > t = sys.stdin.read()
  > bad = [hex(ord(c)) for c in t if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) < 0xa0
  >        or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069]
  > print(sys.argv[1], len(t) > 100, bad)' $f; done
  md True []
  dot True []
  svg True []
  mermaid True []
