Nothing read must not look like nothing found.  When no line of a bundle could be read, triage and grep
say why on stderr and exit 2, instead of "No known issue found" or "no match":

  $ casebook triage encrypted.zip -p "$CB_SOURCE/examples/playbooks"
  casebook: triage: encrypted.zip: nothing could be read: none of its 2 files holds a readable line: 2 unreadable (secret.log: cannot read: Passphrase required for this entry)
  [2]

  $ casebook triage garbage.rar -p "$CB_SOURCE/examples/playbooks"
  casebook: triage: garbage.rar: nothing could be read: its only file is binary
  [2]

  $ casebook triage plain/image.png -p "$CB_SOURCE/examples/playbooks"
  casebook: triage: plain/image.png: nothing could be read: its only file is binary
  [2]

  $ casebook triage empty-dir -p "$CB_SOURCE/examples/playbooks"
  casebook: triage: empty-dir: nothing could be read: the bundle holds no files
  [2]

  $ casebook triage empty.zip -p "$CB_SOURCE/examples/playbooks" --format json
  casebook: triage: empty.zip: nothing could be read: empty.zip: archive has no files
  [2]

  $ casebook grep -c ERROR encrypted.zip
  casebook: grep: encrypted.zip: nothing could be read: none of its 2 files holds a readable line: 2 unreadable (secret.log: cannot read: Passphrase required for this entry)
  [2]

  $ casebook grep ERROR empty-dir good.zip
  casebook: grep: empty-dir: nothing could be read: the bundle holds no files
  [2]

When part of it could not be read, the output says which files and why, above the findings:

  $ casebook triage half-encrypted.zip -p "$CB_SOURCE/examples/playbooks" | sed 's/in [0-9.]* s/in N s/'
  half-encrypted.zip: 2 files, 1 lines, 29 B scanned in N s with 27 playbooks (98 signatures)
  logs from 2024-03-12 10:00:01 to 2024-03-12 10:00:01 UTC
  
  not read: 1 of 2 files
    secret.log: unreadable: cannot read: Passphrase required for this entry
  
  No known issue found.
  
  warnings:
    secret.log: cannot read: Passphrase required for this entry

  $ casebook triage half-encrypted.zip -p "$CB_SOURCE/examples/playbooks" --format json | python3 -c '
  > import json, sys; d = json.load(sys.stdin); print(list(d)[:3], d["unread"], d["scanned"]["files_unmatched"])'
  ['bundle', 'scanned', 'unread'] [{'path': 'secret.log', 'status': 'unreadable', 'reason': 'cannot read: Passphrase required for this entry'}] 0

  $ casebook grep -c ok half-encrypted.zip --format json | python3 -c '
  > import json, sys; d = json.load(sys.stdin); print(d["files"], d["unread"])'
  [{'bundle': 'half-encrypted.zip', 'file': 'open.log', 'count': 1}] [{'path': 'secret.log', 'status': 'unreadable', 'reason': 'cannot read: Passphrase required for this entry', 'bundle': 'half-encrypted.zip'}]

  $ casebook triage plain -p "$CB_SOURCE/examples/playbooks" | sed -n '4,5p'
  not read: 1 of 16 files
    image.png: binary: not text

Files that no signature's glob selects are counted, not dropped without a word; --all-files applies every
signature to every text file, whatever its name (customers rename files):

  $ mkdir -p $FIX/renamed && printf 'Mar 12 10:00:01 db01 kernel: Out of memory: Killed process 4242 (postgres) total-vm:1kB\n' > $FIX/renamed/kernel-messages-copy.txt
  > casebook triage $FIX/renamed -p "$CB_SOURCE/examples/playbooks/linux/oom-killer.yaml" | sed 's/in [0-9.]* s/in N s/'
  $FIX/renamed: 0 files, 0 lines, 0 B scanned in N s with 1 playbook (5 signatures)
  
  not searched: 1 text file that no signature's files glob selects (--all-files searches them)
  
  No known issue found.
  

  $ casebook triage $FIX/renamed -p "$CB_SOURCE/examples/playbooks/linux/oom-killer.yaml" --all-files | sed -n '1p;4p' | sed 's/in [0-9.]* s/in N s/'
  $FIX/renamed: 1 file, 1 lines, 88 B scanned in N s with 1 playbook (5 signatures)
  1. oom-killer — A process dies suddenly (killed by signal 9, exit 137) because the kernel OOM killer chose it  [score 2.0, KB-LNX-0001]

  $ casebook triage $FIX/renamed -p "$CB_SOURCE/examples/playbooks/linux/oom-killer.yaml" --format json | python3 -c '
  > import json, sys; d = json.load(sys.stdin); print(d["scanned"]["files"], d["scanned"]["files_unmatched"], d["unread"])'
  0 1 []
