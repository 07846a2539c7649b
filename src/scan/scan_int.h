/*
 * scan_int.h — the compiled scanner, shared by compile.c (building it) and
 * run.c (scanning a bundle with it).
 */
#ifndef CB_SCAN_INT_H
#define CB_SCAN_INT_H

#include <hs.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stdint.h>

#include "casebook/scan.h"

enum { MIN_LITERAL = 3, MAX_LITERALS = 16, MAX_CAPTURE_VALUES = 1000 };

/* PCRE2's limits per line (see run.c, "Limits"). */
enum {
    MATCH_LIMIT = 10000000,      /* backtracking steps: PCRE2's own default, made explicit */
    JIT_STACK_PER_BYTE = 64,     /* JIT stack (and interpreter heap) per byte of the longest line */
    DEPTH_PER_BYTE = 8,          /* interpreter backtracking depth per byte of the longest line */
    MIN_HEAP = 20 << 20,         /* PCRE2's default heap limit: the least the interpreter gets */
    MAX_JIT_STACK = 1 << 30,
    DEFAULT_MAX_MATCH_ERRORS = 50,
    ERROR_WARNINGS = 3,          /* match errors listed one by one per pattern; then a total */
    BUDGET_NS_PER_BYTE = 100,    /* a pattern's time budget grows by this per byte scanned */
};

typedef struct capname {
    char *name;
    uint32_t group;
} capname;

typedef struct pat {
    char *id, *regex;
    bool caseless;
    char **globs;
    size_t nglobs;
    int globset;          /* index into scanner->sets, -1 = every file */
    pcre2_code *code;
    capname *names;
    size_t nnames;
    bool literal;         /* searched through the literal database */
    bool plain;           /* the pattern is one literal string: a literal hit is a match, no confirmation */
    char *failure;        /* lenient compile: why it did not compile; it is then in no database */
} pat;

typedef struct globset {
    char **globs; /* borrowed from the first pattern that has this list */
    size_t nglobs;
} globset;

struct cb_scanner {
    pat *p;
    size_t n;
    globset *sets;
    size_t nsets;
    hs_database_t *lit_db, *re_db;
    uint32_t *lit_off; /* literal id -> its patterns: lit_pat[lit_off[id] .. lit_off[id + 1]) */
    uint32_t *lit_pat;
    size_t nlits, nlitpats;
    uint32_t *re_pat;  /* regex id -> pattern */
    size_t nre;
    hs_scratch_t *proto; /* scratch big enough for both databases; cloned per worker */
    uint32_t max_ovector;
};

#endif
