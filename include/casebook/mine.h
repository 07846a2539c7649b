/*
 * mine.h — log template mining: the distinct events behind many lines.
 *
 * An online, single-pass miner in the spirit of Drain (He et al., ICWS'17).
 * Each line's content is first masked (numbers, hex, IPs and ports, GUIDs,
 * paths, URLs, e-mails, durations and sizes become "<*>"), then split on
 * whitespace and routed through a fixed-depth tree keyed by the token count
 * and the leading tokens to a leaf of templates; the most similar template
 * above a threshold takes the line and turns the positions that differ into
 * "<*>", otherwise the line starts a new template.  Memory grows with the
 * number of templates, not of lines, and is bounded by a cap: lines that
 * would start a template past the cap go to an overflow bucket that is only
 * counted.  See docs/mining.md.
 *
 * Also here: header formats in the Loghub `log_format` syntax
 * ("<Date> <Time> <Level> <Component>: <Content>"), which split a line into
 * named fields; the Content is what is mined, the Level is kept as a field.
 */
#ifndef CASEBOOK_MINE_H
#define CASEBOOK_MINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casebook/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- header formats ---------------------------------------------------- */

typedef struct cb_logfmt cb_logfmt;

/*
 * Compile a Loghub header format: each "<Name>" (letters, digits, '_') is a
 * field matching as little as possible; between fields a run of spaces
 * matches one or more blanks and other characters are regular-expression
 * text as in the Loghub benchmark ("\[" a bracket, "( ... )?" optional).  The
 * whole line must match.  Exactly one field must be named Content.
 * On success *out owns a new format (free with cb_logfmt_free).  Fails with
 * CB_EINVAL and a message naming the fault for an unclosed or empty "<>", a
 * repeated field, a missing Content field, or text that is not a valid
 * expression; CB_ENOMEM when out of memory.
 */
cb_status cb_logfmt_compile(const char *fmt, cb_logfmt **out, cb_error *err);

/* Free a compiled format.  Accepts NULL. */
void cb_logfmt_free(cb_logfmt *f);

/* The fields of one matched line: slices of the line, {NULL, 0} for a field the format lacks. */
typedef struct cb_slice {
    const char *p;
    size_t n;
} cb_slice;
typedef struct cb_logfmt_fields {
    cb_slice content;
    cb_slice level;
} cb_logfmt_fields;

/*
 * Match one line (without its line end; leading and trailing blanks are
 * ignored as the benchmark strips them).  Returns true and fills *out with
 * slices of `line` when it matches, false when it does not (the caller
 * decides: cb_mine_add the whole line, or skip it).  A match in which the
 * Content field took no part (a format with a top-level "|") is no match;
 * a field reported with its start past its end is absent.  Not thread-safe on one
 * format: it reuses the format's match buffer.
 */
bool cb_logfmt_match(cb_logfmt *f, const char *line, size_t len, cb_logfmt_fields *out);

/* ---- masking ----------------------------------------------------------- */

/*
 * Mask the variables of `text` into dst (always NUL-terminated, truncated to
 * size-1 bytes): see docs/mining.md for the rules.  Blanks between tokens
 * become one space.  Returns the length the full masked text has (as
 * snprintf), so a result >= size means it was truncated.  For tests and
 * drafts; cb_mine_add masks on its own.
 */
size_t cb_mine_mask(const char *text, size_t len, char *dst, size_t size);

/* ---- the miner --------------------------------------------------------- */

typedef enum cb_mine_level {
    CB_MINE_LEVEL_OTHER = 0, /* none, or a word not recognised */
    CB_MINE_LEVEL_DEBUG,
    CB_MINE_LEVEL_INFO,
    CB_MINE_LEVEL_WARNING,
    CB_MINE_LEVEL_ERROR,
    CB_MINE_LEVEL__COUNT
} cb_mine_level;

/* Classify a level word ("ERROR", "warn", "E", "FATAL", "notice", ...), case-insensitively. */
cb_mine_level cb_mine_level_of(const char *word, size_t len);

typedef struct cb_mine_config {
    size_t max_templates;  /* cap (0 = 50,000); lines past it go to the overflow bucket */
    double similarity;     /* 0 = 0.8: share of a line's tokens its template must match (a template token
                              matches when equal, or as a pattern where it holds "<*>") */
    unsigned depth;        /* leading tokens that key the tree (0 = 2) */
    unsigned max_children; /* children per tree node before the "<*>" branch takes the rest (0 = 100) */
} cb_mine_config;

typedef struct cb_mine cb_mine;

/* A new miner with `cfg` (NULL for the defaults); *out is the caller's (cb_mine_free).  CB_ENOMEM, CB_EINVAL. */
cb_status cb_mine_new(const cb_mine_config *cfg, cb_mine **out, cb_error *err);

/* Free a miner and its templates.  Accepts NULL. */
void cb_mine_free(cb_mine *m);

/* Template index of the lines that went to the overflow bucket (see cb_mine_add). */
#define CB_MINE_OVERFLOW UINT32_MAX
/* Timestamp value for "unknown". */
#define CB_MINE_NO_TIME INT64_MIN

/*
 * Mine one line's content.  `level` is the line's level field (NULL/0 for
 * none), `ts_ms` its UTC time or CB_MINE_NO_TIME, `file` and `lineno` where
 * it is (for the template's example; `file` is copied when the line starts a
 * template).  *index (may be NULL) receives the index of the template that
 * took the line, which stays the same for the miner's life (its text may
 * still widen as later lines merge), or CB_MINE_OVERFLOW when the cap was
 * reached.  A line with no token counts as the empty template "".
 * CB_ENOMEM leaves the miner as it was.  No allocation for a line that joins
 * an existing template.
 */
cb_status cb_mine_add(cb_mine *m, const char *content, size_t len, const char *level, size_t level_len,
                      int64_t ts_ms, const char *file, uint64_t lineno, uint32_t *index, cb_error *err);

/* One template, as the miner holds it: valid until the next cb_mine_add or cb_mine_free. */
typedef struct cb_mine_template {
    const char *text;       /* tokens joined by single spaces, "<*>" for variables */
    char id[17];            /* stable id: FNV-1a 64-bit hash of `text`, 16 lowercase hex digits */
    uint64_t count;         /* lines */
    int64_t first_ms;       /* CB_MINE_NO_TIME when no line had a time */
    int64_t last_ms;
    uint64_t levels[CB_MINE_LEVEL__COUNT]; /* lines per level */
    cb_mine_level worst;    /* highest level seen */
    const char *example;    /* the first line's content, as given */
    const char *example_file; /* its file ("" when not given) */
    uint64_t example_line;  /* and 1-based line (0 when not given) */
} cb_mine_template;

/* Number of templates (indexes 0..n-1); lines in the overflow bucket; lines added in all. */
size_t cb_mine_count(const cb_mine *m);
uint64_t cb_mine_overflow(const cb_mine *m);
uint64_t cb_mine_lines(const cb_mine *m);

/* Template `i` (< cb_mine_count) into *out (which borrows the miner's strings). */
void cb_mine_get(const cb_mine *m, size_t i, cb_mine_template *out);

/* The stable id of a template text: FNV-1a 64 of its bytes, as 16 lowercase hex digits plus NUL. */
void cb_mine_template_id(const char *text, size_t len, char out[17]);

#ifdef __cplusplus
}
#endif

#endif
