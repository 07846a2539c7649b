/*
 * fuzz_kbquery.c — libFuzzer target for the knowledge base's search terms
 * (cb_kb_query_parse, cb_kb_query_is_log, cb_kb_query_from_log,
 * casebook/kb.h).
 *
 * The input is what a user types or pastes, made a C string at its first
 * NUL.  Properties besides no crash, no leak and no undefined behaviour:
 * both functions succeed, and every term they return is non-empty, at most
 * CB_KB_TERM_MAX bytes, display-safe UTF-8 (the harness's own decoder: no
 * control character at all, no C1, no bidi override), and holds no '"' and
 * no trailing '*', so that no term can be FTS5 syntax once the store quotes
 * it; no list holds a term twice; there are at most CB_KB_QUERY_TERMS_MAX.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/kb.h"
#include "fuzz_util.h"

static void check_list(const char *what, char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(v[i]);
        if (len == 0 || len > CB_KB_TERM_MAX)
            fuzz_fail(what, "term %zu has %zu bytes", i, len);
        fuzz_check_display_safe(what, v[i], len, "");
        if (strchr(v[i], '"') || v[i][len - 1] == '*')
            fuzz_fail(what, "term '%s' holds FTS5 syntax", v[i]);
        for (size_t k = 0; k < i; k++)
            if (!strcmp(v[i], v[k]))
                fuzz_fail(what, "term '%s' twice", v[i]);
    }
}

static void check(const char *what, const cb_kb_query *q)
{
    if (q->nwords + q->nphrases + q->nprefixes > CB_KB_QUERY_TERMS_MAX)
        fuzz_fail(what, "%zu terms", q->nwords + q->nphrases + q->nprefixes);
    check_list(what, q->words, q->nwords);
    check_list(what, q->phrases, q->nphrases);
    check_list(what, q->prefixes, q->nprefixes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    cb_kb_query q;
    if (cb_kb_query_parse(s, &q) != CB_OK)
        fuzz_fail("cb_kb_query_parse", "failed");
    check("cb_kb_query_parse", &q);
    if (q.any || q.from_log)
        fuzz_fail("cb_kb_query_parse", "any or from_log set");
    cb_kb_query_release(&q);
    (void)cb_kb_query_is_log(s);
    if (cb_kb_query_from_log(s, &q) != CB_OK)
        fuzz_fail("cb_kb_query_from_log", "failed");
    check("cb_kb_query_from_log", &q);
    if (!q.any || !q.from_log || q.nphrases || q.nprefixes)
        fuzz_fail("cb_kb_query_from_log", "not an any-word list of words");
    cb_kb_query_release(&q);
    free(s);
    return 0;
}
