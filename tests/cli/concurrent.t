Commands writing to one database at once wait for each other (the store's busy timeout) instead of failing,
and nothing any of them wrote is lost.  docs/testing.md says what the unit tests add (more writers, kills).

Two imports of different directories at once, on a database that does not exist yet: both create and
migrate it, both import, all 27 articles are there once, with their revisions and index entries.

  $ db="$FIX/concurrent.db" && k="$FIX/concurrent-kb" && rm -rf "$db" "$db"-* "$k"
  > mkdir -p "$k/a" "$k/b" && cd "$CB_SOURCE/examples/articles"
  > ls | head -13 | xargs -I{} cp {} "$k/a/" && ls | tail -n +14 | xargs -I{} cp {} "$k/b/" && cd "$FIX"
  > (casebook --db "$db" kb import "$k/a" || echo "import a failed") > "$k/a.out" 2>&1 &
  > (casebook --db "$db" kb import "$k/b" || echo "import b failed") > "$k/b.out" 2>&1 &
  > wait
  > cat "$k/a.out" "$k/b.out"
  > casebook --db "$db" kb list --all --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)), "articles")'
  > python3 - "$db" <<'EOF'
  > import sqlite3, sys
  > c = sqlite3.connect(sys.argv[1])
  > for q in ["PRAGMA integrity_check", "SELECT count(*) FROM article_revisions", "SELECT count(*) FROM article_fts",
  >           "SELECT count(*) FROM schema_migrations"]:
  >     print(q.split()[-1], c.execute(q).fetchone()[0])
  > EOF
  imported 13 articles
  imported 14 articles
  27 articles
  integrity_check ok
  article_revisions 27
  article_fts 27
  schema_migrations 1

Then four loops adding people and two imports of generated articles, all at once, each command naming
the publisher acting: 80 people and 20 more articles, none missing, nothing reported failed.

  $ db="$FIX/concurrent.db" && k="$FIX/concurrent-kb" && export CASEBOOK_DB="$db" CASEBOOK_USER=boss
  > casebook people add boss --name Boss --role publisher
  > for d in c d; do mkdir "$k/$d"; for i in 0 1 2 3 4 5 6 7 8 9; do
  >   printf -- '---\nid: KB-CONC%s-000%s\ntitle: "Concurrent %s %s"\nstate: wip\naudience: internal\n---\n## Issue\nWritten while others write (conc%s).\n' "${d^^}" $i $d $i $d > "$k/$d/$i.md"
  > done; done
  > for w in 1 2 3 4; do
  >   (for i in $(seq 1 20); do casebook people add "w$w-$i" --name "Writer $w" --role candidate || echo "w$w-$i failed"; done) > "$k/w$w.out" 2>&1 &
  > done
  > (casebook kb import "$k/c" || echo "import c failed") > "$k/c.out" 2>&1 &
  > (casebook kb import "$k/d" || echo "import d failed") > "$k/d.out" 2>&1 &
  > wait
  > cat "$k"/w*.out "$k/c.out" "$k/d.out"
  > casebook people list --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["people"]), "people")'
  > casebook kb list --all --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)), "articles")'
  > casebook kb search concc --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)), "found")'
  > python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$db"
  > rm -rf "$db" "$db"-* "$k"
  imported 10 articles
  imported 10 articles
  81 people
  47 articles
  10 found
  ok
