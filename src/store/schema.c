/*
 * schema.c — the portable part of every schema version, one statement per
 * step, in the SQL both SQLite and PostgreSQL accept: TEXT and INTEGER
 * columns, CHECK constraints for enumerations, foreign keys with their
 * ON DELETE / ON UPDATE rules, partial indexes.  What is not portable (the
 * full-text index) is the backend's own steps (sqlite.c).  docs/knowledge.md
 * ("The store") describes the tables.
 *
 * A released version is never edited: a change is a new version whose
 * steps alter what the earlier ones made.
 *
 * Conventions: times are ISO 8601 UTC text (store.h); booleans are INTEGER
 * 0/1; JSON is TEXT; the things of a case or an article that are numbered
 * (notes, walks, escalations, flags, revisions) have the key (owner, n) with
 * n counted by the writer inside its transaction, not a backend-specific
 * auto-increment.  People are referenced by handle: ON DELETE RESTRICT
 * keeps authorship (a person who wrote something is not deleted), ON UPDATE
 * CASCADE follows a renamed handle.  Reserved words are avoided as names
 * (at for when, from_person/to_person, case_id).
 */
#include "core/internal.h"
#include "store/store_int.h"

#define PERSON "TEXT REFERENCES people (handle) ON DELETE RESTRICT ON UPDATE CASCADE"
#define OF_ARTICLE "TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE ON UPDATE CASCADE"
#define OF_CASE "TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE ON UPDATE CASCADE"

const cb__store_step cb__store_schema[] = {
    /* The versions applied, with when: the schema version is the highest. */
    {1, "CREATE TABLE schema_migrations ("
        " version INTEGER PRIMARY KEY,"
        " applied TEXT NOT NULL)"},

    /* People: KCS licence level, coach, and the domains (tags) they own as Knowledge Domain Experts. */
    {1, "CREATE TABLE people ("
        " handle TEXT PRIMARY KEY CHECK (length(handle) BETWEEN 1 AND 64),"
        " name TEXT NOT NULL,"
        " role TEXT NOT NULL CHECK (role IN ('candidate', 'contributor', 'publisher')),"
        " coach INTEGER NOT NULL DEFAULT 0 CHECK (coach IN (0, 1)),"
        " created TEXT NOT NULL,"
        " updated TEXT NOT NULL)"},
    {1, "CREATE TABLE people_domains ("
        " handle TEXT NOT NULL REFERENCES people (handle) ON DELETE CASCADE ON UPDATE CASCADE,"
        " domain TEXT NOT NULL CHECK (length(domain) >= 1),"
        " PRIMARY KEY (handle, domain))"},
    {1, "CREATE INDEX people_domains_domain ON people_domains (domain)"},

    /*
     * Articles: the metadata of the file form, its sections (NULL: the section
     * is absent, which the file form tells from present and empty), who wrote
     * and last reviewed it, and a revision counter that an edit checks so as
     * not to overwrite a revision saved meanwhile.  created/updated/reviewed
     * are what the file says (a date or a time).
     */
    {1, "CREATE TABLE articles ("
        " id TEXT PRIMARY KEY CHECK (length(id) >= 1),"
        " title TEXT NOT NULL CHECK (length(title) >= 1),"
        " state TEXT NOT NULL CHECK (state IN ('wip', 'not-validated', 'validated', 'archived')),"
        " audience TEXT NOT NULL DEFAULT 'internal' CHECK (audience IN ('internal', 'partner', 'public')),"
        " product TEXT,"
        " versions TEXT,"
        " owner TEXT,"
        " defect TEXT,"
        " issue TEXT,"
        " environment TEXT,"
        " resolution TEXT,"
        " cause TEXT,"
        " internal TEXT,"
        " author " PERSON ","
        " created TEXT,"
        " updated TEXT,"
        " reviewed TEXT,"
        " reviewed_by " PERSON ","
        " revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1))"},
    {1, "CREATE INDEX articles_state ON articles (state, reviewed)"},
    /* Lists keep their order (pos), so that an article's file comes back byte for byte. */
    {1, "CREATE TABLE article_tags ("
        " article " OF_ARTICLE ","
        " pos INTEGER NOT NULL CHECK (pos >= 0),"
        " tag TEXT NOT NULL CHECK (length(tag) >= 1),"
        " PRIMARY KEY (article, pos),"
        " UNIQUE (article, tag))"},
    {1, "CREATE INDEX article_tags_tag ON article_tags (tag)"},
    {1, "CREATE TABLE article_playbooks ("
        " article " OF_ARTICLE ","
        " pos INTEGER NOT NULL CHECK (pos >= 0),"
        " playbook TEXT NOT NULL CHECK (length(playbook) >= 1),"
        " PRIMARY KEY (article, pos),"
        " UNIQUE (article, playbook))"},
    {1, "CREATE INDEX article_playbooks_playbook ON article_playbooks (playbook)"},
    /* Every change, state and audience included: changes is a JSON object {"field": [old, new], ...}. */
    {1, "CREATE TABLE article_revisions ("
        " article " OF_ARTICLE ","
        " n INTEGER NOT NULL CHECK (n >= 1),"
        " who " PERSON ","
        " at TEXT NOT NULL,"
        " changes TEXT NOT NULL,"
        " why TEXT,"
        " PRIMARY KEY (article, n))"},
    {1, "CREATE INDEX article_revisions_who ON article_revisions (who, at)"},
    /* KCS "flag it or fix it": open while resolved is NULL. */
    {1, "CREATE TABLE article_flags ("
        " article " OF_ARTICLE ","
        " n INTEGER NOT NULL CHECK (n >= 1),"
        " body TEXT NOT NULL CHECK (length(body) >= 1),"
        " author " PERSON ","
        " created TEXT NOT NULL,"
        " resolved TEXT,"
        " resolved_by " PERSON ","
        " PRIMARY KEY (article, n))"},
    {1, "CREATE INDEX article_flags_open ON article_flags (article) WHERE resolved IS NULL"},

    /*
     * Cases.  The bundle is kept as its path and content fingerprint, the
     * triage as its JSON summary (never the logs); closed is set once the
     * case is resolved or closed.
     */
    {1, "CREATE TABLE cases ("
        " id TEXT PRIMARY KEY CHECK (length(id) >= 1),"
        " title TEXT NOT NULL CHECK (length(title) >= 1),"
        " customer TEXT,"
        " product TEXT,"
        " version TEXT,"
        " environment TEXT,"
        " engineer " PERSON ","
        " opened TEXT NOT NULL,"
        " closed TEXT,"
        " status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'waiting', 'resolved', 'closed')),"
        " severity INTEGER CHECK (severity BETWEEN 1 AND 4),"
        " bundle_path TEXT,"
        " bundle_fingerprint TEXT,"
        " triage TEXT,"
        " resolution TEXT,"
        " CHECK (closed IS NULL OR status IN ('resolved', 'closed')))"},
    {1, "CREATE INDEX cases_engineer ON cases (engineer, opened)"},
    {1, "CREATE INDEX cases_opened ON cases (opened)"},
    {1, "CREATE INDEX cases_closed ON cases (closed) WHERE closed IS NOT NULL"},
    {1, "CREATE INDEX cases_open ON cases (status, opened) WHERE status <> 'closed'"},
    {1, "CREATE INDEX cases_customer ON cases (customer, opened)"},
    {1, "CREATE INDEX cases_fingerprint ON cases (bundle_fingerprint)"},
    /* The environment's key/values (its free text is cases.environment). */
    {1, "CREATE TABLE case_environment ("
        " case_id " OF_CASE ","
        " key TEXT NOT NULL CHECK (length(key) >= 1),"
        " value TEXT NOT NULL,"
        " PRIMARY KEY (case_id, key))"},
    /*
     * What the case's triage fired, as rows, so that similar cases (same
     * playbooks and signatures) and per-pattern counts are index lookups,
     * not JSON parsed per case: each playbook that fired with its rank, the
     * node its automatic walk stopped at and that node's article; each of its
     * signatures that hit, with the hit count.
     */
    {1, "CREATE TABLE case_playbooks ("
        " case_id " OF_CASE ","
        " playbook TEXT NOT NULL,"
        " rank INTEGER NOT NULL CHECK (rank >= 1),"
        " node TEXT,"
        " article TEXT,"
        " PRIMARY KEY (case_id, playbook))"},
    {1, "CREATE INDEX case_playbooks_playbook ON case_playbooks (playbook)"},
    {1, "CREATE TABLE case_signatures ("
        " case_id TEXT NOT NULL,"
        " playbook TEXT NOT NULL,"
        " signature TEXT NOT NULL,"
        " hits INTEGER NOT NULL CHECK (hits >= 0),"
        " PRIMARY KEY (case_id, playbook, signature),"
        " FOREIGN KEY (case_id, playbook) REFERENCES case_playbooks (case_id, playbook)"
        " ON DELETE CASCADE ON UPDATE CASCADE)"},
    {1, "CREATE INDEX case_signatures_signature ON case_signatures (playbook, signature)"},
    {1, "CREATE TABLE case_notes ("
        " case_id " OF_CASE ","
        " n INTEGER NOT NULL CHECK (n >= 1),"
        " author " PERSON ","
        " at TEXT NOT NULL,"
        " body TEXT NOT NULL CHECK (length(body) >= 1),"
        " PRIMARY KEY (case_id, n))"},
    /*
     * Walk sessions: the transcript (JSON, as `casebook walk --save` writes
     * it), and from its summary what the analytics count (mode, hints used).
     * article is the concluded node's article id, kept even when the knowledge
     * base has no such article (hence no foreign key).
     */
    {1, "CREATE TABLE case_walks ("
        " case_id " OF_CASE ","
        " n INTEGER NOT NULL CHECK (n >= 1),"
        " playbook TEXT NOT NULL,"
        " mode TEXT NOT NULL CHECK (mode IN ('guide', 'coach')),"
        " status TEXT NOT NULL CHECK (status IN ('stopped', 'concluded', 'skipped', 'quit')),"
        " node TEXT,"
        " article TEXT,"
        " hints_used INTEGER NOT NULL DEFAULT 0 CHECK (hints_used >= 0),"
        " coach_questions INTEGER NOT NULL DEFAULT 0 CHECK (coach_questions >= 0),"
        " reveals INTEGER NOT NULL DEFAULT 0 CHECK (reveals >= 0),"
        " who " PERSON ","
        " at TEXT NOT NULL,"
        " transcript TEXT NOT NULL,"
        " PRIMARY KEY (case_id, n))"},
    {1, "CREATE INDEX case_walks_who ON case_walks (who, at)"},
    {1, "CREATE INDEX case_walks_playbook ON case_walks (playbook, at)"},
    /* KCS links.  An article that cases link to is not deleted (archive it). */
    {1, "CREATE TABLE article_links ("
        " case_id " OF_CASE ","
        " article TEXT NOT NULL REFERENCES articles (id) ON DELETE RESTRICT ON UPDATE CASCADE,"
        " type TEXT NOT NULL CHECK (type IN ('reused', 'created', 'modified')),"
        " who " PERSON ","
        " at TEXT NOT NULL,"
        " PRIMARY KEY (case_id, article, type))"},
    {1, "CREATE INDEX article_links_article ON article_links (article, at)"},
    {1, "CREATE INDEX article_links_type ON article_links (type, case_id)"},
    /* Escalations: to whom, why, which pattern (playbook and signature), resolved by whom and when. */
    {1, "CREATE TABLE escalations ("
        " case_id " OF_CASE ","
        " n INTEGER NOT NULL CHECK (n >= 1),"
        " from_person " PERSON ","
        " to_person TEXT NOT NULL REFERENCES people (handle) ON DELETE RESTRICT ON UPDATE CASCADE,"
        " why TEXT NOT NULL CHECK (length(why) >= 1),"
        " playbook TEXT,"
        " pattern TEXT,"
        " at TEXT NOT NULL,"
        " resolved_by " PERSON ","
        " resolved TEXT,"
        " PRIMARY KEY (case_id, n))"},
    {1, "CREATE INDEX escalations_from ON escalations (from_person, at)"},
    {1, "CREATE INDEX escalations_to ON escalations (to_person, at)"},
    {1, "CREATE INDEX escalations_pattern ON escalations (playbook, pattern, at)"},
};

const size_t cb__store_schema_len = CB_ARRAY_LEN(cb__store_schema);
