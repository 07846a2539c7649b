/*
 * literal.h — the literals a regular expression's every match must contain.
 *
 * The scanner searches a bundle for each signature's required literals with
 * Hyperscan's literal mode, which is many times faster than running the full
 * regular expressions over every byte, and confirms only the lines where a
 * literal occurs.  That is sound only if every line the full pattern matches
 * contains at least one of the pattern's literals: this module computes such
 * a set, or says there is none worth using.
 */
#ifndef CB_SCAN_LITERAL_H
#define CB_SCAN_LITERAL_H

#include <stdbool.h>
#include <stddef.h>

#include "casebook/error.h"

typedef struct cb__litset {
    char **lits;    /* each literal, NUL-terminated (may not contain NUL itself) */
    size_t *lens;   /* their lengths */
    size_t n;       /* 0 = no usable set: the pattern must be scanned in full */
    bool caseless;  /* the literals must be matched ignoring ASCII case */
} cb__litset;

/*
 * Compute a set S of literals such that every string matched by `re` (PCRE
 * syntax as Hyperscan accepts it, compiled with HS_FLAG_CASELESS when
 * `caseless`) contains at least one element of S as a substring.  Among the
 * sets found, prefer the one whose rarest... see literal.c for the scoring.
 * Every literal in the result is at least `min_len` bytes and there are at
 * most `max_lits` of them; otherwise the result is empty (n == 0).
 * Returns CB_OK (possibly with n == 0), CB_ENOMEM.  Never fails on syntax it
 * does not understand: it answers n == 0 instead.  Free with
 * cb__litset_release.
 */
cb_status cb__required_literals(const char *re, bool caseless, size_t min_len, size_t max_lits, cb__litset *out);

/* The byte a simple escape letter stands for in PCRE syntax (\t, \n, \r, \f, \e, \a), or -1. */
int cb__simple_escape(char d);

/* Free the set's storage and reset it to empty.  Accepts NULL. */
void cb__litset_release(cb__litset *set);

#endif
