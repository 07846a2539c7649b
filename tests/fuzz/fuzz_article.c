/*
 * fuzz_article.c — libFuzzer target for the KCS article file form
 * (cb_article_parse, cb_article_format, casebook/kb.h).
 *
 * The input is an article file's contents, parsed from an exact-size heap
 * copy (so that AddressSanitizer sees any read past its length).
 * Properties besides no crash, no leak and no undefined behaviour: a parse
 * that fails returns no article and says why in at least one diagnostic; an
 * article that parses formats to text that parses again, without a
 * diagnostic, to equal values (cb_article_equal), and formatting that is a
 * fixed point (the canonical form of a canonical form is itself).  The KCS
 * rules are run on what parsed: they must answer, with a message naming a
 * rule whenever they refuse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/kb.h"
#include "fuzz_util.h"

static cb_article *parse(const char *what, const char *text, size_t n, cb_status *st)
{
    cb_diags d;
    cb_diags_init(&d);
    cb_article *a = NULL;
    *st = cb_article_parse("fuzz.md", text, n, &a, &d);
    if (*st != CB_OK) {
        if (a)
            fuzz_fail(what, "failed with %d but returned an article", (int)*st);
        if (d.n == 0 && *st != CB_ENOMEM)
            fuzz_fail(what, "failed with %d without a diagnostic", (int)*st);
    } else if (!a || d.n) {
        fuzz_fail(what, "succeeded with %zu diagnostics", d.n);
    }
    cb_diags_release(&d);
    return a;
}

static void check_rule(const char *what, cb_kb_verdict v, const char *why)
{
    if (v == CB_KB_REFUSED && why[0] != '[')
        fuzz_fail(what, "refused without naming a rule: '%s'", why);
    if (v == CB_KB_ALLOWED && why[0])
        fuzz_fail(what, "allowed with a message: '%s'", why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    cb_status st;
    cb_article *a = parse("cb_article_parse", text, size, &st);
    if (a) {
        char *out = cb_article_format(a);
        if (!out)
            fuzz_fail("cb_article_format", "returned NULL");
        cb_article *b = parse("cb_article_parse (formatted)", out, strlen(out), &st);
        if (!b)
            fuzz_fail("cb_article_format", "its output does not parse:\n%s", out);
        if (!cb_article_equal(a, b))
            fuzz_fail("cb_article_format", "its output parses to other values:\n%s", out);
        char *again = cb_article_format(b);
        if (!again || strcmp(out, again))
            fuzz_fail("cb_article_format", "not a fixed point:\n%s\n----\n%s", out, again ? again : "(null)");
        free(again);
        cb_article_free(b);
        free(out);

        char why[256];
        const char *cases[] = {"C-1"};
        cb_kb_context ctx = {.author = "alice", .reuse = size % 3, .open_cases = cases, .nopen_cases = size % 2};
        for (int r = 0; r < CB_KB__ROLES; r++) {
            cb_kb_actor who = {r ? "bob" : "alice", (cb_kb_role)r};
            for (int s = 0; s < CB_KB__STATES; s++)
                check_rule("cb_kb_check_transition",
                           cb_kb_check_transition(a, (cb_kb_state)s, &who, &ctx, r == 2, why, sizeof why), why);
            for (int au = 0; au < CB_KB__AUDIENCES; au++)
                check_rule("cb_kb_check_audience", cb_kb_check_audience(a, (cb_kb_audience)au, &who, why, sizeof why),
                           why);
            check_rule("cb_kb_check_edit", cb_kb_check_edit(a, &who, why, sizeof why), why);
            check_rule("cb_kb_check_create", cb_kb_check_create(a, &who, &ctx, why, sizeof why), why);
        }
        check_rule("cb_kb_check_link", cb_kb_check_link(a, why, sizeof why), why);
        cb_article_free(a);
    }
    free(text);
    return 0;
}
