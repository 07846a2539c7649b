/*
 * case.h — support cases on the store (store.h, the `cases` tables of schema
 * 1): a case ties a customer's bundle (its path and content fingerprint, the
 * triage's JSON summary and what it fired, never the logs), the walks done on
 * it (their transcripts), its notes, its knowledge-base links (KCS reuse),
 * its escalations and its resolution together.  The model is
 * ../shared/design/knowledge-model.md ("Case"); docs/knowledge.md ("Cases")
 * describes it as implemented; the CLI front end is `casebook case`.
 *
 * Every write is one transaction of its own (cb_store_begin / commit): a
 * failure leaves the store as it was.  The store must have no transaction
 * open (CB_EINVAL otherwise).  `who` arguments name the acting person: a
 * handle of the store's people, or NULL for nobody in particular (allowed
 * only while the store has no people: CB_EINVAL otherwise, as every write
 * names its author once there are people); an unknown handle is
 * CB_ENOTFOUND.  Strings passed in are borrowed for the call; what comes out
 * is owned by the structure it is in, released by that structure's release
 * function.
 */
#ifndef CASEBOOK_CASE_H
#define CASEBOOK_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casebook/error.h"
#include "casebook/store.h"
#include "casebook/triage.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    CB_CASE_ID_SIZE = 24,           /* bytes of a case id with its NUL: "CASE-" and 4 to 18 digits */
    CB_CASE_TITLE_MAX = 500,        /* bytes of a title */
    CB_CASE_FIELD_MAX = 1024,       /* bytes of customer, product, version */
    CB_CASE_TEXT_MAX = 64 * 1024,   /* bytes of a note, a resolution, an escalation's why, the environment */
    CB_CASE_TRIAGE_MAX = 16 << 20,  /* bytes of a stored triage summary or walk transcript */
};

/* "CASE-" then at least 4 digits (CASE-0001, CASE-12345).  False for NULL. */
bool cb_case_id_valid(const char *id);

typedef enum cb_case_status {
    CB_CASE_OPEN = 0,
    CB_CASE_WAITING = 1,  /* waiting on the customer */
    CB_CASE_RESOLVED = 2, /* closed with a resolution */
    CB_CASE_CLOSED = 3,   /* closed without one (duplicate, no response) */
} cb_case_status;

typedef enum cb_link_type {
    CB_LINK_REUSED = 0,   /* an existing article solved the case */
    CB_LINK_CREATED = 1,  /* the case created the article */
    CB_LINK_MODIFIED = 2, /* the case improved the article */
} cb_link_type;

/* Stable lowercase names ("open", "reused"); name to value, exact, false for an unknown name or NULL. */
const char *cb_case_status_name(cb_case_status s);
bool cb_case_status_from_name(const char *name, cb_case_status *out);
const char *cb_link_type_name(cb_link_type t);
bool cb_link_type_from_name(const char *name, cb_link_type *out);

/* ------------------------------------------------------------------ */
/* What a triage fired, as a case keeps it                             */
/* ------------------------------------------------------------------ */

typedef struct cb_case_fired {
    char *playbook; /* id */
    unsigned rank;  /* 1 = best */
    char *node;     /* where its automatic walk stopped; NULL when it did not walk */
    char *article;  /* that node's article id (a conclusion's `article`); NULL when none */
} cb_case_fired;

typedef struct cb_case_sighit {
    char *playbook;  /* id */
    char *signature; /* id */
    uint64_t hits;   /* > 0 */
} cb_case_sighit;

/* The rows of a triage: heap copies owned by the struct, released by cb_case_triage_release. */
typedef struct cb_case_triage {
    cb_case_fired *fired; /* in rank order */
    size_t nfired, capfired;
    cb_case_sighit *sigs; /* per fired playbook in rank order, its signatures that hit: in the playbook's order
                             from cb_case_triage_from, by signature id from cb_case_get (the store keeps no
                             position) */
    size_t nsigs, capsigs;
} cb_case_triage;

/*
 * The rows of triage t: every ranked finding, its stop node and article, and
 * each of its signatures with hits.  *out is initialised here; release it
 * with cb_case_triage_release whatever is returned.  CB_OK, CB_ENOMEM,
 * CB_EINVAL (NULL arguments).
 */
cb_status cb_case_triage_from(const cb_triage *t, cb_case_triage *out);
void cb_case_triage_release(cb_case_triage *ct);

/* ------------------------------------------------------------------ */
/* Creating and reading cases                                          */
/* ------------------------------------------------------------------ */

/* A new case.  title is required; every other field may be NULL / 0. */
typedef struct cb_case_new {
    const char *title;
    const char *customer, *product, *version;
    const char *environment; /* free text */
    int severity;            /* 1 (highest) to 4; 0 none */
    const char *engineer;    /* handle; NULL: the acting person */
    /* With a bundle: */
    const char *bundle_path;        /* absolute */
    const char *bundle_fingerprint; /* cb_bundle_fingerprint */
    const char *triage_json;        /* the triage's JSON summary (`casebook triage --format json`), valid JSON */
    const cb_case_triage *triage;   /* its rows; NULL with no bundle */
} cb_case_new;

/*
 * Create a case: the next id (one more than the largest number in use:
 * CASE-0001, CASE-0002, ..., CASE-9999, CASE-10000), opened = the store's
 * clock, status open; with a triage, its JSON and rows.  An empty optional
 * field is stored as none.  id_out receives the id ("" on failure).  Fails,
 * writing nothing, with CB_EINVAL (a field breaks its bounds (docs/knowledge.md,
 * "Cases"): a title that is empty, blank or not one line of valid UTF-8
 * without control characters; severity out of range; a bundle path that is
 * not absolute; triage_json that is not JSON; triage rows with a playbook
 * twice, a rank 0, or a signature of a playbook that did not fire; NULL who
 * while the store has people), CB_ENOTFOUND (engineer or who unknown),
 * CB_EIO, CB_ENOMEM.
 */
cb_status cb_case_create(cb_store *s, const cb_case_new *c, const char *who, char id_out[CB_CASE_ID_SIZE],
                         cb_error *err);

/* A case in a listing. */
typedef struct cb_case_entry {
    char *id, *title;
    char *customer, *product, *version; /* NULL when none */
    char *engineer;                     /* NULL when none */
    cb_case_status status;
    int severity;                       /* 0 when none */
    char *opened, *closed;              /* "YYYY-MM-DDTHH:MM:SSZ"; closed NULL while open */
} cb_case_entry;

typedef struct cb_case_note {
    unsigned n;
    char *author; /* NULL: nobody in particular */
    char *at;
    char *body;
} cb_case_note;

typedef struct cb_case_walk {
    unsigned n;
    char *playbook;
    char *mode;   /* "guide" or "coach" */
    char *status; /* cb_walk_status_name: "stopped", "concluded", "skipped", "quit" */
    char *node;   /* where it ended; NULL when unknown */
    char *article;
    unsigned hints_used, coach_questions, reveals;
    char *who;
    char *at;
    char *transcript; /* the JSON transcript (cb_walk_to_json) */
} cb_case_walk;

/* A KCS link of the case (named so as not to clash with the function cb_case_link). */
typedef struct cb_case_article_link {
    char *article;
    cb_link_type type;
    char *who;
    char *at;
} cb_case_article_link;

typedef struct cb_case_escalation {
    unsigned n;
    char *from, *to; /* handles; from NULL: nobody in particular */
    char *why;
    char *playbook, *pattern; /* NULL when none */
    char *at;
    char *resolved_by, *resolved; /* NULL while open */
} cb_case_escalation;

/* Everything a case holds.  Release with cb_case_release. */
typedef struct cb_case {
    cb_case_entry e;
    char *environment;
    char *bundle_path, *bundle_fingerprint;
    char *triage_json;     /* NULL without a bundle */
    cb_case_triage triage; /* its rows */
    char *resolution;      /* NULL while open */
    cb_case_note *notes;   /* oldest first */
    size_t nnotes;
    cb_case_walk *walks; /* oldest first */
    size_t nwalks;
    cb_case_article_link *links; /* by time, then article and type */
    size_t nlinks;
    cb_case_escalation *escalations; /* oldest first */
    size_t nescalations;
} cb_case;

/*
 * Read case `id` into *out (initialised here).  Fails with CB_ENOTFOUND (no
 * such case), CB_EIO, CB_ENOMEM; *out is then empty.  Release with
 * cb_case_release whatever is returned.
 */
cb_status cb_case_get(cb_store *s, const char *id, cb_case *out, cb_error *err);
void cb_case_release(cb_case *c);

/* Which cases cb_case_list returns; zero is every case. */
typedef struct cb_case_filter {
    bool open_only;       /* status open or waiting */
    const char *engineer; /* exact handle */
    const char *customer; /* exact */
    const char *since;    /* opened at or after this time ("YYYY-MM-DDTHH:MM:SSZ" or a date); NULL: any */
} cb_case_filter;

typedef struct cb_case_listing {
    cb_case_entry *v; /* newest opened first, then the larger id first */
    size_t n, cap;
} cb_case_listing;

/*
 * The cases that pass f (NULL: every case).  *out initialised here; release
 * whatever is returned.  CB_EINVAL for a `since` that is not a date or a
 * time as above; CB_EIO, CB_ENOMEM.
 */
cb_status cb_case_list(cb_store *s, const cb_case_filter *f, cb_case_listing *out, cb_error *err);
void cb_case_listing_release(cb_case_listing *l);

/* ------------------------------------------------------------------ */
/* Changing a case                                                     */
/* ------------------------------------------------------------------ */

/*
 * Add a timestamped, authored note (also to a closed case).  *n (may be
 * NULL) receives its number (0 on failure).  Fails with CB_ENOTFOUND (no
 * such case, who unknown), CB_EINVAL (a body empty, blank, over
 * CB_CASE_TEXT_MAX or with control characters other than tab and line feed),
 * CB_EIO, CB_ENOMEM.
 */
cb_status cb_case_note_add(cb_store *s, const char *id, const char *body, const char *who, unsigned *n,
                           cb_error *err);

/* A walk to store: transcript is cb_walk_to_json's text; the other fields its summary. */
typedef struct cb_case_walk_new {
    const char *playbook;
    const char *mode;   /* "guide" or "coach" */
    const char *status; /* cb_walk_status_name */
    const char *node, *article;
    unsigned hints_used, coach_questions, reveals;
    const char *transcript;
} cb_case_walk_new;

/*
 * Store a walk of case `id` by `who`, at the store's clock.  With *n == 0 a
 * new walk is added and *n receives its number; with *n > 0 walk n of the
 * case is replaced (a walk saved after every answer, then resumed; its
 * playbook must be the same: CB_EINVAL otherwise).  Fails with CB_ENOTFOUND
 * (no case, no walk n), CB_EINVAL (transcript not JSON or over
 * CB_CASE_TRIAGE_MAX, a mode or status that is not one), CB_EIO, CB_ENOMEM.
 */
cb_status cb_case_walk_save(cb_store *s, const char *id, const cb_case_walk_new *w, const char *who, unsigned *n,
                            cb_error *err);

/*
 * Link article `article` to case `id` (KCS).  The article must exist
 * (CB_ENOTFOUND) and may receive links (cb_kb_check_link: CB_EINVAL with the
 * [link-archived] message).  The same link twice changes nothing (CB_OK).
 * The article's reuse count and last_linked follow (cb_kb_derived).  Also
 * CB_ENOTFOUND for no such case, CB_EINVAL for a type that is not one.
 */
cb_status cb_case_link(cb_store *s, const char *id, const char *article, cb_link_type type, const char *who,
                       cb_error *err);

/*
 * Escalate case `id` to person `to` (must exist: CB_ENOTFOUND) because `why`
 * (required, multi-line text as a note's); playbook and pattern (one line
 * each) may be NULL.  The escalation stays open until the case is closed.
 * *n (may be NULL) receives its number.  A closed case is not escalated
 * (CB_EINVAL).
 */
cb_status cb_case_escalate(cb_store *s, const char *id, const char *to, const char *why, const char *playbook,
                           const char *pattern, const char *who, unsigned *n, cb_error *err);

/*
 * The article of the newest walk of the case that concluded on a node with
 * an article, into out (article_size bytes); "" when none.  What `case close`
 * offers to link.
 */
cb_status cb_case_concluded_article(cb_store *s, const char *id, char *out, size_t article_size, cb_error *err);

/*
 * Close case `id`: status resolved, closed = the store's clock, the
 * resolution stored, open escalations marked resolved by `who`; with `link`
 * (may be NULL) the article is linked in the same transaction
 * (link_type), so the close and the link are kept together or not at all.
 * A closed case is not closed again (CB_EINVAL "already closed").  The
 * resolution is required (multi-line text as a note's).  Any failure of
 * the link (CB_ENOTFOUND, CB_EINVAL) leaves the case open and unchanged.
 */
cb_status cb_case_close(cb_store *s, const char *id, const char *resolution, const char *link,
                        cb_link_type link_type, const char *who, cb_error *err);

/* ------------------------------------------------------------------ */
/* Similar cases                                                       */
/* ------------------------------------------------------------------ */

typedef struct cb_case_similar {
    cb_case_entry e;
    double score;        /* in (0, 1]; higher is more similar */
    char *resolution;    /* NULL while open */
    char **articles;     /* ids of its linked articles */
    size_t narticles;
    char **shared;       /* what it shares with the case: "playbook-id" and "playbook-id/signature-id" */
    size_t nshared;
} cb_case_similar;

typedef struct cb_case_similars {
    cb_case_similar *v; /* best first, then newest */
    size_t n, cap;
} cb_case_similars;

/*
 * Earlier cases similar to case `id`: cases whose triage fired the same
 * playbooks and signatures (the scoring is documented in docs/knowledge.md,
 * "Similar cases": IDF-weighted Jaccard over the playbooks and
 * playbook/signature pairs fired, counting only cases opened up to this
 * one), only other cases opened before or at the same time as this one, at
 * most `limit` (1 to 1000), with a score above zero.  A case without a
 * triage has none.
 * *out is initialised here; release with cb_case_similars_release whatever
 * is returned.  Fails with CB_ENOTFOUND (no such case), CB_EINVAL, CB_EIO,
 * CB_ENOMEM.
 */
cb_status cb_case_similar_find(cb_store *s, const char *id, size_t limit, cb_case_similars *out, cb_error *err);
void cb_case_similars_release(cb_case_similars *l);

#ifdef __cplusplus
}
#endif
#endif
