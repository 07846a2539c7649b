/*
 * kb.h — the knowledge base's articles (KCS v6): as pure library code, the
 * article file form, the KCS rules on states, audiences and roles, and the
 * search terms a user types or pastes; then (last section, src/kb/kbstore.c)
 * the operations that keep articles in the store (store.h): import, get,
 * export, search, list; and (src/kb/kbwrite.c) the changes made through the
 * KCS rules: add, edit, state, flags, history.
 *
 * The model is ../shared/design/knowledge-model.md; docs/knowledge.md
 * ("Articles") describes the file form, the id rule, the rules as
 * implemented and the query rules; "Knowledge base operations" the rest.
 *
 * Nothing here is thread-safe, but a parsed article is read-only and may be
 * shared between threads.
 */
#ifndef CASEBOOK_KB_H
#define CASEBOOK_KB_H

#include <stdbool.h>
#include <stddef.h>

#include "casebook/error.h"
#include "casebook/playbook.h" /* cb_diags */
#include "casebook/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

/* KCS confidence.  Order is the order of the model page's table. */
typedef enum cb_kb_state {
    CB_KB_WIP = 0,           /* "wip": issue captured, no resolution yet */
    CB_KB_NOT_VALIDATED = 1, /* "not-validated": has a resolution, confidence not established */
    CB_KB_VALIDATED = 2,     /* "validated": confirmed by use and by a contributor or above */
    CB_KB_ARCHIVED = 3,      /* "archived": hidden from default search, no new links */
    CB_KB__STATES
} cb_kb_state;

typedef enum cb_kb_audience {
    CB_KB_INTERNAL = 0, /* "internal": the support organisation only */
    CB_KB_PARTNER = 1,  /* "partner" */
    CB_KB_PUBLIC = 2,   /* "public" */
    CB_KB__AUDIENCES
} cb_kb_audience;

/* KCS licence levels. */
typedef enum cb_kb_role {
    CB_KB_CANDIDATE = 0,   /* "candidate" */
    CB_KB_CONTRIBUTOR = 1, /* "contributor" */
    CB_KB_PUBLISHER = 2,   /* "publisher" */
    CB_KB__ROLES
} cb_kb_role;

/* The Markdown sections of an article, in file order. */
typedef enum cb_kb_section {
    CB_KB_ISSUE = 0,   /* "Issue": required in every state */
    CB_KB_ENVIRONMENT, /* "Environment": required from not-validated on */
    CB_KB_RESOLUTION,  /* "Resolution": required from not-validated on */
    CB_KB_CAUSE,       /* "Cause": optional */
    CB_KB_INTERNAL_NOTES, /* "Internal": optional, never shown outside support */
    CB_KB__SECTIONS
} cb_kb_section;

/* The stable lowercase name ("not-validated", "public", "contributor") or the section title ("Issue"). */
const char *cb_kb_state_name(cb_kb_state s);
const char *cb_kb_audience_name(cb_kb_audience a);
const char *cb_kb_role_name(cb_kb_role r);
const char *cb_kb_section_name(cb_kb_section s);

/* Name to value (exact, case-sensitive).  Return false, leaving *out alone, for an unknown name or NULL. */
bool cb_kb_state_from_name(const char *name, cb_kb_state *out);
bool cb_kb_audience_from_name(const char *name, cb_kb_audience *out);
bool cb_kb_role_from_name(const char *name, cb_kb_role *out);

/*
 * The article id rule: "KB-", a domain of 2 to 8 characters (A-Z and 0-9,
 * starting with a letter), "-", then 4 to 8 digits: KB-NET-0001,
 * KB-VBR-0012, KB-K8S-12345.  Upper case only, so that an id is spelled one
 * way.  False for NULL.
 */
bool cb_kb_id_valid(const char *id);

/* ------------------------------------------------------------------ */
/* The article and its file form                                       */
/* ------------------------------------------------------------------ */

/* A list of strings, each a heap copy owned by the list. */
typedef struct cb_kb_strlist {
    char **v;
    size_t n;
} cb_kb_strlist;

/*
 * An article as its file holds it.  Every string is a NUL-terminated heap
 * copy owned by the article (valid UTF-8, one line, no control character);
 * an optional field that is absent is NULL (lists: n == 0).  Sections hold
 * their text as written, every byte between the heading line and the next
 * heading, ending in "\n"; an absent section (or one with only blank lines)
 * is NULL.  Derived fields (reuse, last_linked, flags, revisions) are not
 * part of the file and live in the store.
 */
typedef struct cb_article {
    char *id;    /* required; cb_kb_id_valid */
    char *title; /* required, not empty */
    cb_kb_state state;
    cb_kb_audience audience;
    char *product;  /* optional */
    char *versions; /* optional, free text such as ">= 11" */
    cb_kb_strlist tags;
    char *owner;                      /* optional: a person or a team */
    char *created, *updated, *reviewed; /* optional dates: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ */
    cb_kb_strlist playbooks;          /* ids of the playbooks that conclude here */
    char *defect;                     /* optional R&D bug reference */
    char *section[CB_KB__SECTIONS];
    int section_line[CB_KB__SECTIONS]; /* line of each section's heading in the parsed file, 0 if absent */
} cb_article;

enum {
    CB_KB_ARTICLE_MAX = 1 << 20, /* bytes in an article file: a long article is 20 KB */
    CB_KB_FIELD_MAX = 1024,      /* bytes in one metadata value */
    CB_KB_LIST_MAX = 64,         /* entries in tags or playbooks */
};

/*
 * Parse the file form of an article (text[0..len), not NUL-terminated;
 * `path` names it in diagnostics):
 *
 *     ---
 *     id: KB-NET-0001
 *     title: ...
 *     state: validated
 *     ...
 *     ---
 *     ## Issue
 *     ...
 *
 * The front matter is YAML (the playbook loader's reader: no anchors,
 * aliases or tags) between a first line "---" and the next line "---"; its
 * keys are those of cb_article, in any order.  The body is sections "## Name"
 * (Issue, Environment, Resolution, Cause, Internal) at the start of a line
 * outside fenced code blocks.  A UTF-8 byte-order mark and CR LF line ends
 * are accepted (the parsed values are the same as without them).
 *
 * Every problem is added to diags with path:line:col: text that is not UTF-8
 * or holds a NUL, front matter that is missing or not YAML, an unknown,
 * duplicate, derived or ill-typed key, a missing required field (id, title,
 * state, audience), an unknown state or audience, an id that breaks the id
 * rule, a bad date, text before the first section, an unknown section, a
 * section given twice, a section the state requires that is missing or
 * empty (cb_kb_check_content), a file larger than CB_KB_ARTICLE_MAX.
 *
 * Returns CB_OK and sets *out to a new article the caller frees with
 * cb_article_free; CB_EPARSE when it added at least one diagnostic (*out is
 * NULL); CB_ENOMEM (*out NULL; diagnostics may be incomplete); CB_EINVAL
 * when out or diags is NULL, or text is NULL with len > 0.
 */
cb_status cb_article_parse(const char *path, const char *text, size_t len, cb_article **out, cb_diags *diags);

/*
 * The canonical file form of an article: the front matter keys in the order
 * id, title, state, audience, product, versions, tags, owner, created,
 * updated, reviewed, playbooks, defect (absent optional ones left out; lists
 * in flow style `[a, b]`); a value plain when YAML reads it back as the same
 * string, else double-quoted; then the present sections in the order of
 * cb_kb_section.  Every file of examples/articles is its own canonical form,
 * and what this returns parses back to equal values (cb_article_equal).
 * Returns a NUL-terminated heap string the caller frees with free(), or NULL
 * when out of memory or a is NULL.
 */
char *cb_article_format(const cb_article *a);

/* True when every field and section of a and b are equal (section_line is not compared).  NULL equals NULL. */
bool cb_article_equal(const cb_article *a, const cb_article *b);

/* Free an article and everything it owns.  Accepts NULL. */
void cb_article_free(cb_article *a);

/* ------------------------------------------------------------------ */
/* KCS rules                                                           */
/* ------------------------------------------------------------------ */

typedef enum cb_kb_verdict {
    CB_KB_ALLOWED = 0,
    CB_KB_REFUSED = 1,
} cb_kb_verdict;

/* Who acts. */
typedef struct cb_kb_actor {
    const char *handle; /* the person's handle; NULL counts as nobody in particular (never the author) */
    cb_kb_role role;
} cb_kb_actor;

/* What the store knows about an article that its file does not hold.  Zero is "nothing". */
typedef struct cb_kb_context {
    const char *author;      /* handle of the person who created the article; NULL when unknown */
    const char *reviewed_by; /* handle of the last person who confirmed it; NULL when none */
    unsigned reuse;          /* number of case links */
    const char *const *open_cases; /* ids of the open cases linking to it */
    size_t nopen_cases;
} cb_kb_context;

/*
 * Every refusal's message starts with the rule's name in brackets, then says
 * what is wrong and what to do, e.g. "[validate-role] only a contributor or a
 * publisher may validate an article; bob is a candidate".  Rule names:
 *   content          the target state needs a title and an Issue (+ Environment and Resolution past wip)
 *   same-state       the article is already in that state
 *   edit-role        a candidate may edit only wip and not-validated articles
 *   edit-archived    an archived article is not edited (restore it to another state first)
 *   validate-role    only a contributor or a publisher may validate
 *   validate-review  validated needs a review by someone other than the author, or reuse on >= 2 cases
 *   archive-role     only a contributor or a publisher may archive or restore
 *   archive-open-cases  open cases link to it (named); force overrides
 *   audience-role    only a publisher may set audience partner or public
 *   audience-validated  partner/public audience only on a validated article
 *   link-archived    an archived article cannot receive new links
 * `why` (whysize bytes, may be NULL/0) receives the message on refusal and
 * "" when allowed; always NUL-terminated when whysize > 0.
 */

/* Does a satisfy the structural needs of `state` (title, Issue; + Environment, Resolution)? */
cb_kb_verdict cb_kb_check_content(const cb_article *a, cb_kb_state state, char *why, size_t whysize);

/*
 * May `who` move a from its state to `to`?  Rules, in order: same-state,
 * the role rules (a candidate moves only between wip and not-validated; a
 * contributor or publisher anything else; archiving and restoring from
 * archived need a contributor), content of the target state, validate-review
 * (ctx->reviewed_by or the validating actor is someone other than
 * ctx->author, or ctx->reuse >= 2), audience-validated (a partner or public
 * article leaves validated only for archived: set the audience to internal
 * first), archive-open-cases (unless force).  `force` overrides only
 * archive-open-cases.  ctx may be NULL (nothing known).
 */
cb_kb_verdict cb_kb_check_transition(const cb_article *a, cb_kb_state to, const cb_kb_actor *who,
                                     const cb_kb_context *ctx, bool force, char *why, size_t whysize);

/* May `who` create a new article in a's state and audience?  As a transition from nothing. */
cb_kb_verdict cb_kb_check_create(const cb_article *a, const cb_kb_actor *who, const cb_kb_context *ctx,
                                 char *why, size_t whysize);

/*
 * May `who` set a's audience to `to`?  partner and public: publisher only,
 * on a validated article; internal: whoever may edit the article.  Setting
 * the audience it already has is refused (same-state).
 */
cb_kb_verdict cb_kb_check_audience(const cb_article *a, cb_kb_audience to, const cb_kb_actor *who, char *why,
                                   size_t whysize);

/* May `who` edit a's content (not its state or audience)?  edit-archived, edit-role. */
cb_kb_verdict cb_kb_check_edit(const cb_article *a, const cb_kb_actor *who, char *why, size_t whysize);

/* May a case link to a?  link-archived. */
cb_kb_verdict cb_kb_check_link(const cb_article *a, char *why, size_t whysize);

/* ------------------------------------------------------------------ */
/* Search terms                                                        */
/* ------------------------------------------------------------------ */

/*
 * What a user searches for, as plain lists; the store turns it into FTS5
 * syntax (every term quoted, so no term is ever FTS5 syntax).  Every term is
 * non-empty, valid UTF-8, at most CB_KB_TERM_MAX bytes, without '"', '*' at
 * its end, or control characters, and appears once per list (compared
 * without ASCII case).  All strings are owned by the query.
 */
typedef struct cb_kb_query {
    char **words;    /* single terms, lowercase ASCII; may hold inner punctuation: 0x800f0805, 10.0.0.1:2503 */
    size_t nwords;
    char **phrases;  /* "quoted phrases": their words joined by single spaces */
    size_t nphrases;
    char **prefixes; /* resolv* is "resolv" */
    size_t nprefixes;
    bool any;        /* true: rank articles that share any term; false: every term must match */
    bool from_log;   /* built by cb_kb_query_from_log */
} cb_kb_query;

enum {
    CB_KB_QUERY_INPUT_MAX = 4096, /* bytes of input looked at; the rest is ignored */
    CB_KB_QUERY_TERMS_MAX = 64,   /* terms in all lists together; later ones are dropped */
    CB_KB_TERM_MAX = 64,          /* bytes in one term; longer tokens are dropped */
};

/* An empty query (all lists empty, any false).  Allocates nothing. */
void cb_kb_query_init(cb_kb_query *q);

/* Free every term and make q empty again.  Accepts NULL. */
void cb_kb_query_release(cb_kb_query *q);

/*
 * Parse what a user typed (docs/knowledge.md, "Query rules"): whitespace
 * separates terms; "..." is a phrase (an unbalanced quote runs to the end);
 * a term ending in '*' is a prefix; punctuation around a term is dropped,
 * inside it is kept (0x800f0805, WSAECONNRESET, 10.0.0.1:2503, e1000e);
 * English stop words are dropped from the words unless every word is one.
 * All-words (any = false).  q (NUL-terminated) is looked at up to
 * CB_KB_QUERY_INPUT_MAX bytes; invalid UTF-8 and control characters are
 * separators.  *out is initialised here (any previous content is not
 * freed); release it with cb_kb_query_release whatever is returned.
 * Returns CB_OK (the query may be empty: nothing to search for), CB_ENOMEM,
 * CB_EINVAL for NULL arguments.
 */
cb_status cb_kb_query_parse(const char *q, cb_kb_query *out);

/*
 * Is `line` a pasted log line?  True when it starts (after blanks) with a
 * timestamp of a built-in format (cb_time_prefix) or a dmesg uptime stamp,
 * with a thread id "<43>", or with a bracketed level word ("[error]").
 */
bool cb_kb_query_is_log(const char *line);

/*
 * A log line as a query: its header is dropped (timestamp, then thread ids
 * such as <43>, [12] or Apache's [pid 1:tid 2], level words such as Warning
 * or [error], and for syslog the host and "program[pid]:"), the variable parts are masked
 * (quoted names, numbers, hex other than HRESULT-like 0x8/0xC codes, IPs
 * with ports, GUIDs, paths, dotted host and file names, words holding
 * digits) and the constant words are kept, lowercase, stop words dropped,
 * as any-word terms (any = true, from_log = true).  Works on a line without
 * a header too (search --log).  Same input cap, ownership and returns as
 * cb_kb_query_parse.
 */
cb_status cb_kb_query_from_log(const char *line, cb_kb_query *out);


/* ------------------------------------------------------------------ */
/* Knowledge base operations (on the store)                            */
/* ------------------------------------------------------------------ */

/*
 * The library operations behind `casebook kb`, on an open store (store.h).
 * Each command's writes are one transaction: all or nothing.
 */

/*
 * Import every "*.md" file of directory `dir` (not its subdirectories), in
 * byte order of their names.  Every file is read and parsed first
 * (cb_article_parse); two files with the same id, or an id the store already
 * holds, are problems too (naming the file; nothing is overwritten).  Any
 * problem is added to diags as file:line: message and nothing at all is
 * written.  Otherwise, in one transaction, each article is stored as its
 * file says, with a first revision (who: `actor`, NULL for none; at: the
 * store's clock; why "imported"; changes: the state and audience set) and its
 * full-text index entry.  Import is a restore of stored state, not a KCS
 * transition: no role or review rule (cb_kb_check_create) is applied, so a
 * validated article comes in validated.  The article's author and
 * reviewed_by stay unknown (NULL).
 *
 * *imported (may be NULL) receives the number of articles written (0 on
 * failure).  Returns CB_OK; CB_EPARSE when it added diagnostics (err says how
 * many); CB_ENOTFOUND when actor is not a person of the store or dir does
 * not exist; CB_EIO (dir unreadable, a file unreadable, the database);
 * CB_EINVAL (NULL s, dir or diags); CB_ENOMEM.
 */
cb_status cb_kb_import(cb_store *s, const char *dir, const char *actor, cb_diags *diags, size_t *imported,
                       cb_error *err);

/* What the store knows about an article besides its file form. */
typedef struct cb_kb_derived {
    unsigned reuse;                       /* cases linking to the article (each case once, any link type) */
    char last_linked[CB_STORE_TIME_SIZE]; /* time of the newest link; "" when never linked */
    unsigned open_flags;                  /* flags not resolved yet */
    unsigned revisions;                   /* revisions recorded (1 after import) */
} cb_kb_derived;

/*
 * Read article `id`.  On CB_OK *out is a new article the caller frees with
 * cb_article_free (section_line all 0), and *derived (may be NULL) is filled.
 * Fails with CB_ENOTFOUND (no such article; *out NULL), CB_EINVAL (NULL
 * s, id or out), CB_EIO, CB_ENOMEM.
 */
cb_status cb_kb_get(cb_store *s, const char *id, cb_article **out, cb_kb_derived *derived, cb_error *err);

/*
 * Write every article of the store, archived ones included, as its canonical
 * file form (cb_article_format) to dir/<id>.md, each file replaced
 * atomically (cb_file_write_atomic).  dir is created (mode 0777 less the
 * umask) when missing; its parent must exist.  Files of dir that are not an
 * article of the store are left alone.  *exported (may be NULL) receives the
 * number of files written, also on failure.  Importing examples/articles
 * into a new store and exporting gives the same bytes (tested).  Fails with
 * CB_EIO, CB_EINVAL, CB_ENOMEM.
 */
cb_status cb_kb_export(cb_store *s, const char *dir, size_t *exported, cb_error *err);

/* Search results: cb_store_fts_hit's, best first. */
typedef struct cb_kb_hits {
    cb_store_fts_hit *hits; /* owned; id and snippet are heap strings */
    size_t n;
    size_t cap;
    bool from_log; /* the query was read as a pasted log line (any-word ranking) */
} cb_kb_hits;

/*
 * Search the knowledge base.  A query that cb_kb_query_is_log recognises is
 * turned into terms by cb_kb_query_from_log (any word, ranked); anything else
 * by cb_kb_query_parse (every term must match).  No query string is ever an
 * error: one with no usable term finds nothing.  At most `limit` hits (1 to
 * 100,000); archived articles only when `all`.  Snippets mark matches with
 * "[" and "]".  *out is initialised here and must be released with
 * cb_kb_hits_release whatever is returned.  Fails with CB_EINVAL (NULL
 * arguments, limit out of range), CB_EIO, CB_ENOMEM.
 */
cb_status cb_kb_search(cb_store *s, const char *query, bool all, size_t limit, cb_kb_hits *out, cb_error *err);

/* Free every hit and empty h.  Accepts NULL. */
void cb_kb_hits_release(cb_kb_hits *h);


/* Which articles cb_kb_list returns; zero (or cb_kb_filter_init) is every article but the archived ones. */
typedef struct cb_kb_filter {
    bool has_state;      /* only articles in `state` (archived ones too when state is CB_KB_ARCHIVED) */
    cb_kb_state state;
    const char *tag;     /* NULL: any; else only articles with this tag (exact) */
    const char *product; /* NULL: any; else only articles of this product (exact) */
    unsigned stale_days; /* 0: any; else only articles never reviewed or reviewed more than this many days ago */
    bool all;            /* without has_state, archived articles too */
    bool by_reuse;       /* order by reuse, most reused first (then newest link, then id); else by id */
} cb_kb_filter;

/* Every article, not archived, any tag, product and review date. */
void cb_kb_filter_init(cb_kb_filter *f);

/* One article in a listing; the strings are heap copies owned by the listing. */
typedef struct cb_kb_entry {
    char *id;
    char *title;
    cb_kb_state state;
    cb_kb_audience audience;
    char *product;  /* NULL when none */
    char *reviewed; /* NULL when never reviewed */
    unsigned reuse;                       /* cases linking to it, as cb_kb_derived.reuse */
    char last_linked[CB_STORE_TIME_SIZE]; /* the newest link's time; "" when never linked */
} cb_kb_entry;

typedef struct cb_kb_listing {
    cb_kb_entry *v; /* by id, or by reuse (cb_kb_filter.by_reuse) */
    size_t n, cap;
} cb_kb_listing;

/*
 * The articles that pass every condition of f (NULL: cb_kb_filter_init's),
 * ordered by id (by reuse with f->by_reuse), each with its reuse.  Staleness is measured against the store's clock: an
 * article is stale when `reviewed` is absent or earlier than now less
 * stale_days days (a date alone counts as its midnight UTC).  *out is
 * initialised here; release it with cb_kb_listing_release whatever is
 * returned.  Fails with CB_EINVAL (NULL s or out, stale_days over 100,000),
 * CB_EIO, CB_ENOMEM.
 */
cb_status cb_kb_list(cb_store *s, const cb_kb_filter *f, cb_kb_listing *out, cb_error *err);

/* Free every entry and empty l.  Accepts NULL. */
void cb_kb_listing_release(cb_kb_listing *l);

/* ------------------------------------------------------------------ */
/* Changing articles (src/kb/kbwrite.c)                                */
/* ------------------------------------------------------------------ */

/*
 * The write side of the knowledge base: every change goes through the KCS
 * rules above and is one transaction of its own, with a revision (who, at,
 * changes, why) in article_revisions; docs/knowledge.md ("Knowledge base
 * operations") describes them.  Common to every function below:
 *
 *   actor   the acting person: a handle of the store's people, or NULL for
 *           nobody in particular, which is allowed only while the store has
 *           no people (CB_EINVAL otherwise).  An unknown handle is
 *           CB_ENOTFOUND.  On a store without people no role or review rule
 *           applies (people.h: a fresh knowledge base); the rules about the
 *           article itself still do (same-state, content, audience-validated,
 *           archive-open-cases).
 *   refusal CB_EREFUSED, with err->msg the rule's message ("[validate-role]
 *           only a contributor ...").  Nothing is written.
 *   store   must have no transaction open (CB_EINVAL otherwise).
 *
 * The revision number of an article is the count of its revisions: 1 after
 * import or cb_kb_add, one more after every edit or change of state
 * (cb_kb_derived.revisions).  Flags do not make revisions.
 */

enum {
    CB_KB_ID_SIZE = 24,   /* bytes of an id with its NUL: "KB-" 8 "-" 8 digits */
    CB_KB_WHY_MAX = 4096, /* bytes of a reason (why) or of a flag's text */
};

/*
 * The next free id in `domain` (2 to 8 characters A-Z 0-9, starting with a
 * letter, as in the id rule): one past the highest number any article of the
 * store has in that domain, written with at least 4 digits (KB-NET-0028;
 * KB-NET-0001 in an empty domain).  Fails with CB_EINVAL (a bad domain,
 * NULL arguments), CB_ELIMIT (the domain's numbers are used up to 99999999),
 * CB_EIO, CB_ENOMEM.
 */
cb_status cb_kb_next_id(cb_store *s, const char *domain, char out[CB_KB_ID_SIZE], cb_error *err);

/*
 * Create article a (its id must be new: CB_EINVAL "already in the store"
 * otherwise).  Checked with cb_kb_check_create (the actor's role), and in
 * every case with cb_kb_check_content.  Stored with author = actor; created
 * and updated are the store's clock (cb_store_now) when a does not give them;
 * reviewed as a gives it; revision 1: who actor, changes {"state": [null,
 * S], "audience": [null, A]}, why "created"; its full-text entry.  Fails
 * with CB_EREFUSED (a rule), CB_EINVAL (the id is taken, a is not what its
 * file form can hold: formatted and parsed back, the first problem is the
 * message; a NULL argument, actor NULL on a store with people),
 * CB_ENOTFOUND (actor), CB_EIO, CB_ENOMEM.
 */
cb_status cb_kb_add(cb_store *s, const cb_article *a, const char *actor, cb_error *err);

/*
 * Replace the content of article a->id by a (the whole file form), provided
 * the article is still at revision `expected` (what the caller read, from
 * cb_kb_get's derived.revisions).  When it is not, someone saved meanwhile:
 * CB_ECONFLICT with "[conflict] KB-X-0001: revision N was saved by H at T
 * meanwhile (you edited revision M)" and nothing is written.
 *
 * Rules, with the actor's role: cb_kb_check_edit on the stored article
 * (edit-archived, edit-role); a change of audience to internal
 * (cb_kb_check_audience), then a change of state (cb_kb_check_transition,
 * with the context the store knows, as cb_kb_set_state), then a widening of
 * the audience (cb_kb_check_audience on the new state); always
 * cb_kb_check_content of the new state.  A validation by someone other than
 * the author records the review as cb_kb_set_state does.
 *
 * Written: every field as a says, except `updated`, which becomes the store's
 * clock, and `created`, kept when a has none (it is set once); revision + 1 with `why` (may be NULL) and changes naming each field
 * that changed as [old, new] (null for absent): metadata by their keys (lists
 * as arrays), sections by their lowercase names ("issue", ...) with their
 * whole text; `updated` is not listed (the revision's `at` says it); the
 * full-text entry is replaced.  An edit that changes nothing writes nothing
 * and returns CB_OK.  *revision (may be NULL) receives the article's
 * revision afterwards.  Fails with CB_ECONFLICT, CB_EREFUSED, CB_ENOTFOUND
 * (no such article, actor), CB_EINVAL (NULL arguments, why over
 * CB_KB_WHY_MAX or not valid text), CB_EIO, CB_ENOMEM.
 */
cb_status cb_kb_edit(cb_store *s, const cb_article *a, unsigned expected, const char *actor, const char *why,
                     unsigned *revision, cb_error *err);

/*
 * Move article `id` to state `to` because `why` (required: not empty, at
 * most CB_KB_WHY_MAX bytes of text).  Checked with cb_kb_check_transition and
 * the context the store knows: author, reviewed_by, reuse (distinct cases in
 * article_links) and the open cases linking (status open or waiting);
 * `force` lifts archive-open-cases only.  Validating by someone other than
 * the author records reviewed = now and reviewed_by = actor.  Revision + 1
 * (changes: state, and reviewed / reviewed_by when recorded), updated = now.
 * Fails with CB_EREFUSED (the rule's message), CB_EINVAL (why missing,
 * NULL arguments, actor NULL on a store with people), CB_ENOTFOUND (no such
 * article, actor), CB_EIO, CB_ENOMEM.
 */
cb_status cb_kb_set_state(cb_store *s, const char *id, cb_kb_state to, const char *actor, const char *why,
                          bool force, cb_error *err);

/*
 * KCS "flag it or fix it": add an open flag to article `id` with `text` (not
 * blank, at most CB_KB_WHY_MAX bytes of valid UTF-8 without control
 * characters other than newline and tab).  Anyone may flag.  An archived
 * article takes no flags ([flag-archived]: restore it first; it is out of
 * use, so there is nothing to fix).  *n (may be NULL) receives the flag's
 * number (1, 2, ... per article).  No revision: flags have their own rows.
 * Fails with CB_EREFUSED, CB_EINVAL, CB_ENOTFOUND, CB_EIO, CB_ENOMEM.
 */
cb_status cb_kb_flag(cb_store *s, const char *id, const char *text, const char *actor, unsigned *n,
                     cb_error *err);

/*
 * Resolve flag n of article `id` (resolved = now, resolved_by = actor).
 * Whoever may edit the article may resolve its flags: a candidate only on wip
 * and not-validated articles ([edit-role]); flags of an archived article may
 * be resolved by a contributor or a publisher.  Fails with CB_ENOTFOUND (no
 * article, no flag n, actor), CB_EINVAL ("already resolved by H at T"),
 * CB_EREFUSED, CB_EIO, CB_ENOMEM.
 */
cb_status cb_kb_flag_resolve(cb_store *s, const char *id, unsigned n, const char *actor, cb_error *err);

/* One revision: every string a heap copy owned by the history; who and why NULL when none. */
typedef struct cb_kb_revision {
    unsigned n;
    char *who;
    char *at;      /* "YYYY-MM-DDTHH:MM:SSZ" */
    char *changes; /* JSON text {"field": [old, new], ...} */
    char *why;
} cb_kb_revision;

/* One flag: resolved and resolved_by NULL while it is open. */
typedef struct cb_kb_flag_entry {
    unsigned n;
    char *body;
    char *author;
    char *created;
    char *resolved;
    char *resolved_by;
} cb_kb_flag_entry;

/* The record of an article: its revisions and its flags (cb_kb_history). */
typedef struct cb_kb_record {
    cb_kb_revision *revisions; /* oldest first */
    size_t nrevisions, caprevisions;
    cb_kb_flag_entry *flags; /* by number, open and resolved */
    size_t nflags, capflags;
} cb_kb_record;

/*
 * The revisions and flags of article `id`.  *out is initialised here;
 * release it with cb_kb_record_release whatever is returned.  Fails with
 * CB_ENOTFOUND (no such article), CB_EINVAL, CB_EIO, CB_ENOMEM.
 */
cb_status cb_kb_history(cb_store *s, const char *id, cb_kb_record *out, cb_error *err);

/* Free everything h holds and empty it.  Accepts NULL. */
void cb_kb_record_release(cb_kb_record *h);

/*
 * "Search before you create": the articles, archived ones left out, that look
 * like a (a new article, not yet stored).  Its title and Issue are read as a
 * pasted log line is (cb_kb_query_from_log: variable parts masked, stop words
 * dropped, any word, BM25); of the best 20 by BM25, an article is similar
 * when its own title and Issue hold at least `min_share` (0 to 1) of those
 * words (compared lowercase; a word also matches one it begins, or that
 * begins it, when the shorter has at least 4 letters: "stall", "stalls").
 * At most `limit` hits, by share then BM25; each hit's score is its share
 * and its snippet is the search's.  An article with a's id is never its own
 * match.  *out is initialised here; release it with cb_kb_hits_release
 * whatever is returned.  Fails with CB_EINVAL (NULL arguments, min_share
 * out of range, limit 0), CB_EIO, CB_ENOMEM.
 */
cb_status cb_kb_similar(cb_store *s, const cb_article *a, double min_share, size_t limit, cb_kb_hits *out,
                        cb_error *err);

#ifdef __cplusplus
}
#endif
#endif
