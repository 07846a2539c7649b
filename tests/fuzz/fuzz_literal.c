/*
 * fuzz_literal.c — libFuzzer target for the required-literal extractor
 * (src/scan/literal.h), the piece whose mistake would make the scanner miss
 * lines silently.
 *
 * Input: one flags byte (bit 0: caseless), the pattern up to the first '\n'
 * (or the end), and after it a subject line.  Properties besides no crash:
 * the set respects min_len and max_lits; and soundness: when PCRE2 (the
 * scanner's confirming engine, compiled as the scanner compiles it) matches
 * the subject, the subject contains one of the literals (ignoring ASCII case
 * when the set says so) — unless Hyperscan refuses the pattern, in which case
 * the scanner never uses the set.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs.h>
#include <pcre2.h>

#include "scan/literal.h"
#include "fuzz_util.h"

enum { MIN_LEN = 3, MAX_LITS = 8 };

static bool contains(const char *hay, size_t n, const char *needle, size_t m, bool caseless)
{
    if (m > n)
        return false;
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && (caseless ? tolower((unsigned char)hay[i + k]) == tolower((unsigned char)needle[k])
                                  : hay[i + k] == needle[k]))
            k++;
        if (k == m)
            return true;
    }
    return false;
}

static bool hyperscan_accepts(const char *re, bool caseless)
{
    hs_expr_info_t *info = NULL;
    hs_compile_error_t *cerr = NULL;
    unsigned flags = HS_FLAG_MULTILINE | (caseless ? HS_FLAG_CASELESS : 0);
    if (hs_expression_info(re, flags, &info, &cerr) != HS_SUCCESS) {
        hs_free_compile_error(cerr);
        return false;
    }
    free(info);
    return true;
}

/* True when the pattern, compiled as the scanner compiles it, matches subject[0..n). */
static bool pcre2_matches(const char *re, bool caseless, const char *subject, size_t n)
{
    int ec;
    PCRE2_SIZE off;
    pcre2_code *code =
        pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, caseless ? PCRE2_CASELESS : 0, &ec, &off, NULL);
    if (!code)
        return false;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    bool hit = false;
    if (md && mc) {
        pcre2_set_match_limit(mc, 100000);
        pcre2_set_depth_limit(mc, 1000);
        hit = pcre2_match(code, (PCRE2_SPTR)subject, n, 0, 0, md, mc) >= 0;
    }
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    return hit;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    bool caseless = data[0] & 1;
    const char *p = (const char *)data + 1;
    size_t rest = size - 1;
    const char *nl = memchr(p, '\n', rest);
    size_t plen = nl ? (size_t)(nl - p) : rest;
    if (memchr(p, 0, plen))
        return 0; /* patterns are C strings */
    char *re = malloc(plen + 1);
    if (!re)
        return 0;
    memcpy(re, p, plen);
    re[plen] = '\0';
    const char *subject = nl ? nl + 1 : p + rest;
    size_t slen = nl ? rest - plen - 1 : 0;
    if (memchr(subject, '\n', slen))
        slen = (size_t)((const char *)memchr(subject, '\n', slen) - subject); /* the scanner matches lines */

    cb__litset set = {0};
    cb_status st = cb__required_literals(re, caseless, MIN_LEN, MAX_LITS, &set);
    if (st != CB_OK && st != CB_ENOMEM)
        fuzz_fail("cb__required_literals", "status %d", (int)st);
    if (st == CB_OK && set.n) {
        if (set.n > MAX_LITS)
            fuzz_fail("cb__required_literals", "%zu literals, more than %d", set.n, MAX_LITS);
        bool found = false;
        for (size_t i = 0; i < set.n; i++) {
            if (set.lens[i] < MIN_LEN || strlen(set.lits[i]) != set.lens[i])
                fuzz_fail("cb__required_literals", "literal %zu has length %zu", i, set.lens[i]);
            found = found || contains(subject, slen, set.lits[i], set.lens[i], set.caseless);
        }
        if (!found && pcre2_matches(re, caseless, subject, slen) && hyperscan_accepts(re, caseless)) {
            fprintf(stderr, "pattern /%s/%s matches a line with none of its %zu literals:\n", re,
                    caseless ? "i" : "", set.n);
            for (size_t i = 0; i < set.n; i++)
                fprintf(stderr, "  \"%s\"\n", set.lits[i]);
            fuzz_fail("cb__required_literals", "unsound literal set");
        }
    }
    cb__litset_release(&set);
    free(re);
    return 0;
}
