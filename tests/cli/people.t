casebook people: the people of the knowledge base, in the database the global --db names (else
$CASEBOOK_DB, else the XDG default).  Each block works in a temporary directory of its own.

  $ casebook people --help | head -3
  usage: casebook people add HANDLE --name NAME --role ROLE [--coach] [--kde DOMAIN]... | set HANDLE [options] | list [--format text|json]
  
  the people of the knowledge base: add, set, list

Where the database is: --db, else $CASEBOOK_DB, else $XDG_DATA_HOME/casebook/casebook.db, else
~/.local/share/casebook/casebook.db.  Nothing is created until a command needs the store.

  $ t=$(mktemp -d) && cd "$t" && unset CASEBOOK_DB XDG_DATA_HOME CASEBOOK_USER
  > HOME="$t/home" casebook people list
  > test -f home/.local/share/casebook/casebook.db && echo default made
  > XDG_DATA_HOME="$t/xdg" HOME="$t/home" casebook people list
  > test -f xdg/casebook/casebook.db && echo xdg made
  > CASEBOOK_DB="$t/env.db" HOME="$t/home" casebook people add ana --name Ana --role publisher
  > CASEBOOK_DB="$t/env.db" HOME="$t/home" casebook --db "$t/opt.db" people list
  > CASEBOOK_DB="$t/env.db" HOME="$t/home" casebook people list
  > HOME= XDG_DATA_HOME= casebook people list
  > casebook --db= people list
  > casebook --db
  > cd / && rm -rf "$t"
  no people yet
  default made
  no people yet
  xdg made
  no people yet
  HANDLE               ROLE        COACH KDE                      NAME
  ana                  publisher   no    -                        Ana
  casebook: people list: no database: give --db, or set CASEBOOK_DB, XDG_DATA_HOME or HOME
  casebook: --db needs a PATH; see 'casebook --help'
  casebook: --db needs a PATH; see 'casebook --help'

The first person on a fresh database is added by anyone (no --as: there is no one yet), even
with an --as naming no one.  From then on add and set take a publisher acting.

  $ t=$(mktemp -d) && export CASEBOOK_DB="$t/kb.db" && unset CASEBOOK_USER
  > casebook --as nobody people add ana --name 'Ana Ruiz' --role publisher --coach --kde network --kde backup; echo "exit $?"
  > casebook people add bo --name Bo --role candidate; echo "exit $?"
  > casebook --as nobody people add bo --name Bo --role candidate; echo "exit $?"
  > casebook --as ana people add bo --name Bo --role candidate; echo "exit $?"
  > casebook --as bo people add cy --name Cy --role candidate; echo "exit $?"
  > CASEBOOK_USER=bo casebook people set bo --role publisher; echo "exit $?"
  > CASEBOOK_USER=ana casebook people set bo --role contributor --kde vss --coach; echo "exit $?"
  > casebook --as ana people set ana --name 'Ana Ruiz-Diaz' --no-kde --no-coach; echo "exit $?"
  > casebook people list
  > casebook people list --format json | sed -E 's/"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"/"TIME"/'
  > rm -rf "$t"
  exit 0
  casebook: people add: who is acting? give --as HANDLE or set CASEBOOK_USER
  exit 2
  casebook: people add: --as: unknown person 'nobody' (see 'casebook people list')
  exit 2
  exit 0
  casebook: people add: only a publisher adds or changes people; 'bo' is a candidate
  exit 2
  casebook: people set: only a publisher adds or changes people; 'bo' is a candidate
  exit 2
  exit 0
  exit 0
  HANDLE               ROLE        COACH KDE                      NAME
  ana                  publisher   no    -                        Ana Ruiz-Diaz
  bo                   contributor yes   vss                      Bo
  {
    "people": [
      {
        "handle": "ana",
        "name": "Ana Ruiz-Diaz",
        "role": "publisher",
        "coach": false,
        "kde": [],
        "created": "TIME",
        "updated": "TIME"
      },
      {
        "handle": "bo",
        "name": "Bo",
        "role": "contributor",
        "coach": true,
        "kde": [
          "vss"
        ],
        "created": "TIME",
        "updated": "TIME"
      }
    ]
  }

Refusals: a duplicate handle, an unknown one for set, a bad role, a bad handle or domain, and a
name with terminal escapes (refused; the message shows it made safe).  Nothing is written.

  $ t=$(mktemp -d) && export CASEBOOK_DB="$t/kb.db" CASEBOOK_USER=ana
  > casebook people add ana --name Ana --role publisher
  > casebook people add ana --name Again --role candidate || echo "exit $?"
  > casebook people set zed --role candidate || echo "exit $?"
  > casebook people add bo --name Bo --role admin || echo "exit $?"
  > casebook people add Bo --name Bo --role candidate || echo "exit $?"
  > casebook people add bo --name Bo --role candidate --kde 'Not a tag' || echo "exit $?"
  > casebook people add bo --name "$(printf 'Bo\033]0;owned\007\033[31m')" --role candidate || echo "exit $?"
  > casebook people set ana --name "$(printf 'x\342\200\256y')" || echo "exit $?"
  > casebook people list
  > rm -rf "$t"
  casebook: people add: person 'ana' already exists
  exit 2
  casebook: people set: no person 'zed'
  exit 2
  casebook: people: unknown role 'admin' (candidate, contributor or publisher)
  Try 'casebook people --help'.
  exit 2
  casebook: people add: invalid handle 'Bo': 1 to 64 of a-z 0-9 . _ -, beginning with a letter or digit
  exit 2
  casebook: people add: invalid domain 'Not a tag': 1 to 64 of a-z 0-9 . _ -, beginning with a letter or digit
  exit 2
  casebook: people add: a name must not contain control characters: 'Bo\x1B]0;owned\x07\x1B[31m'
  exit 2
  casebook: people set: a name must not contain control characters: 'x\xE2\x80\xAEy'
  exit 2
  HANDLE               ROLE        COACH KDE                      NAME
  ana                  publisher   no    -                        Ana

A name written into the database by another program, with terminal escapes and a bidi override,
is shown made safe in text and in JSON.

  $ t=$(mktemp -d) && export CASEBOOK_DB="$t/kb.db"
  > casebook people add ana --name Ana --role publisher
  > python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("INSERT INTO people VALUES (?, ?, ?, 0, ?, ?)", ("evil", "Ev\x1b]0;owned\x07\x1b[2J\u202eil", "candidate", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z")); c.commit()' "$CASEBOOK_DB"
  > casebook people list
  > casebook people list --format json | grep evil -A1
  > rm -rf "$t"
  HANDLE               ROLE        COACH KDE                      NAME
  ana                  publisher   no    -                        Ana
  evil                 candidate   no    -                        Ev�]0;owned��[2J�il
        "handle": "evil",
        "name": "Ev�]0;owned��[2J�il",

Usage errors.

  $ casebook people; casebook people frob; casebook people add ana; casebook people list extra
  casebook: people: give an action: add, set or list
  Try 'casebook people --help'.
  casebook: people: unknown action 'frob' (add, set or list)
  Try 'casebook people --help'.
  casebook: people: add needs --name NAME and --role ROLE
  Try 'casebook people --help'.
  casebook: people: list takes no operand
  Try 'casebook people --help'.
  [2]
  $ casebook people add ana --name A; casebook people list --role publisher; casebook people set ana --format json
  casebook: people: add needs --name NAME and --role ROLE
  Try 'casebook people --help'.
  casebook: people: list takes only --format
  Try 'casebook people --help'.
  casebook: people: --format is for list
  Try 'casebook people --help'.
  [2]
  $ casebook people add ana --name A --role candidate --no-coach
  casebook: people: --no-coach is for set
  Try 'casebook people --help'.
  [2]

The subcommands that do not keep knowledge behave the same after global options: they never open
the store (a --db that cannot be created and an unknown --as are not looked at).

  $ t=$(mktemp -d)
  > casebook --db /proc/nope/kb.db --as nobody ls "$FIX/plain" > "$t/a"; echo "exit $?"
  > casebook ls "$FIX/plain" > "$t/b"; echo "exit $?"
  > cmp "$t/a" "$t/b" && echo same
  > casebook --as=nobody --db=/proc/nope/kb.db --version | sed 's/[0-9][0-9.]*/X.Y.Z/'
  > casebook --db /proc/nope/kb.db people list
  > rm -rf "$t"
  exit 0
  exit 0
  same
  casebook X.Y.Z
  casebook: people list: cannot create directory /proc/nope: No such file or directory
