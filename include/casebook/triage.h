/*
 * triage.h — which known issues does a bundle show, and how far can the
 * logs alone take each playbook's decision tree?
 *
 * Every signature of every playbook of a library is compiled into one
 * scanner; the bundle is scanned once; each playbook whose signatures hit is
 * scored and ranked; its tree is walked automatically through the `check`
 * nodes the hits can answer, up to a conclusion or the first node that needs
 * a person.
 *
 * Score (documented in docs/playbook-format.md): the sum over the playbook's
 * signatures that hit of weight(severity) * (1 + ln(hits)), with weights
 * info 0, warning 1, error 2, critical 4 — severity-weighted and damped, so
 * a thousand repeats of one warning do not outrank a handful of critical
 * errors.  A playbook fires when its score is above zero.  Ties rank by
 * the number of distinct signatures hit, then by id.
 */
#ifndef CASEBOOK_TRIAGE_H
#define CASEBOOK_TRIAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casebook/error.h"
#include "casebook/playbook.h"
#include "casebook/scan.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How an automatic walk ended. */
typedef enum cb_walk_stop {
    CB_WALK_CONCLUDED = 0, /* reached a conclude node */
    CB_WALK_NEEDS_HUMAN,   /* reached a node that needs a person: an ask or do node, a check nobody answers,
                              or an answer that is not one for its node (`why` says which) */
} cb_walk_stop;

/* The answer to give at a node, or NULL when none is known. */
typedef const char *(*cb_answer_fn)(void *ctx, const cb_node *node);

/*
 * The path an automatic walk took.  `why` holds one line per check decided,
 * e.g. "resets-in-job-log: conn-reset 238 >= min 3: yes".
 */
typedef struct cb_autowalk {
    int *path;     /* node indices visited, in order, the last one included */
    size_t npath;
    int stop_node; /* the node where the walk stopped (last of path), -1 when empty */
    cb_walk_stop stop;
    char **why;    /* one explanation per check decided or answer used */
    size_t nwhy;
} cb_autowalk;

struct cb_triage;
struct cb_finding;

/*
 * Walk f's playbook (f is a finding of t) from its start with the walk
 * engine of walk.h and no person, as far as the logs and `answer` (may be
 * NULL) take it: a check takes answer's text for its node when there is one,
 * else the logs' answer; an ask node takes answer's choice; a do node is done
 * when answer has any text for it, which is also the answer to its `record`
 * question.  What counts as an answer is cb_answer_yes_no / cb_answer_choice
 * (playbook.h), as in an engineer's walk.  A node without an answer, or with
 * a text that is not an answer to it, stops the walk (CB_WALK_NEEDS_HUMAN;
 * `why` says which).  Fills *out (release with cb_autowalk_release).  Returns
 * CB_OK; CB_EINVAL for a tree the walk engine refuses (cb_walk_new: a cycle,
 * a missing node; err says where); CB_ENOMEM.
 */
cb_status cb_autowalk_run(const struct cb_triage *t, const struct cb_finding *f, cb_answer_fn answer, void *ctx,
                          cb_autowalk *out, cb_error *err);
void cb_autowalk_release(cb_autowalk *w);

/* One playbook's result in a triage. */
typedef struct cb_finding {
    const cb_playbook *pb;  /* owned by the library */
    bool skipped;           /* unsound (cb_playbook_check_sound): not scanned, scored or walked; see
                               cb_triage.skipped */
    double score;
    size_t sigs_hit;        /* distinct signatures with at least one hit */
    size_t first_pattern;   /* pb's signatures are patterns [first_pattern, first_pattern + nsignatures)
                               of the scan result */
    cb_autowalk walk;
    char *next_text;        /* the text of the node needing a person, variables filled; NULL otherwise */
    size_t next_unknown;    /* variables in next_text without a value */
} cb_finding;

typedef struct cb_triage_opts {
    cb_scan_opts scan;      /* bundle limits, threads, evidence count, time window */
} cb_triage_opts;

void cb_triage_opts_init(cb_triage_opts *o);

typedef struct cb_triage {
    cb_scan_result *scan;   /* owned */
    cb_finding *all;        /* one per playbook of the library, in library order */
    size_t nall;
    cb_finding **ranked;    /* the playbooks that fired, best first (pointers into all) */
    size_t nranked;
    char *bundle_name;      /* the bundle's last path component: the {{bundle}} variable */
    cb_diags skipped;       /* why each skipped playbook was (file:line:col), sorted; one or more per playbook */
    size_t nskipped;        /* playbooks skipped */
} cb_triage;

/*
 * Scan the bundle at `path` with every signature of `lib`, score, rank and
 * auto-walk.  A playbook that is not sound (cb_playbook_check_sound with the
 * scanner's cb_regex_check: a cycle, a missing node, a pattern that does not
 * compile) is skipped, with its diagnostics in `skipped`, and the rest are
 * triaged.  On success *out owns the result (free with cb_triage_free); the
 * result points into lib, which must outlive it.  Fails like cb_scan_bundle
 * for a bundle that cannot be read, CB_ENOMEM.
 */
cb_status cb_triage_run(const cb_library *lib, const char *path, const cb_triage_opts *opts, cb_triage **out,
                        cb_error *err);
void cb_triage_free(cb_triage *t);

/*
 * The value of a walk variable for a finding: a named capture of the
 * playbook's signatures (its most frequent value over all their hits; ties
 * go to the signature listed first), or "bundle".  NULL when unknown.
 * Owned by the triage.
 */
const char *cb_triage_var(const cb_triage *t, const cb_finding *f, const char *name);

/*
 * Parse a --since/--until value: ISO 8601 ("2024-03-12T10:15:00Z",
 * "2024-03-12 10:15", "2024-03-12"), taken as UTC without a zone; or a
 * duration back from `ref_ms` ("90s", "15m", "2h", "3d").  *relative tells
 * which it was.  CB_EINVAL with a message for anything else.
 */
cb_status cb_time_arg_parse(const char *s, int64_t ref_ms, int64_t *ms, bool *relative, cb_error *err);

#ifdef __cplusplus
}
#endif
#endif
