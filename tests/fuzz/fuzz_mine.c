/*
 * fuzz_mine.c — libFuzzer target for the template miner's parsers of outside
 * input (casebook/mine.h): a Loghub header format (cb_logfmt_compile,
 * cb_logfmt_match), the masker (cb_mine_mask) and the miner (cb_mine_add).
 *
 * The input's first line is a header format; the rest are log lines, each
 * matched against the format when it compiled, masked, and mined by a miner
 * capped at 16 templates.  Properties besides no crash, no leak and no
 * undefined behaviour:
 *   - a matched line's content and level fields lie inside the line;
 *   - the masker NUL-terminates within the buffer and returns the full length
 *     (masking into a buffer of exactly that size gives the same text, of
 *     which the truncated one is a prefix);
 *   - every line is counted once: lines mined == lines given, and the
 *     templates' counts plus the overflow bucket add up to it;
 *   - at most 16 templates; each template's id is the hash of its text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/mine.h"
#include "fuzz_util.h"

enum { CAP = 16 };

/* Lines may hold NUL bytes (they are passed through), so lengths are compared, not strlen. */
static void check_mask(const char *line, size_t len)
{
    char small[64];
    size_t full = cb_mine_mask(line, len, small, sizeof small);
    size_t cut = full < sizeof small - 1 ? full : sizeof small - 1;
    if (small[cut] != '\0')
        fuzz_fail("mask", "a text of full length %zu is not NUL-terminated at %zu in a 64-byte buffer", full, cut);
    char *big = malloc(full + 1);
    if (!big)
        return;
    size_t again = cb_mine_mask(line, len, big, full + 1);
    if (again != full || big[full] != '\0')
        fuzz_fail("mask", "full length %zu, then %zu", full, again);
    if (memcmp(small, big, cut) != 0)
        fuzz_fail("mask", "the truncated text is not a prefix of the full one");
    free(big);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data, *end = d + size;
    const char *nl = memchr(d, '\n', size);
    size_t flen = nl ? (size_t)(nl - d) : size;
    char *fmt = malloc(flen + 1);
    if (!fmt)
        return 0;
    memcpy(fmt, d, flen);
    fmt[flen] = '\0';
    cb_error err;
    cb_logfmt *f = NULL;
    if (!memchr(fmt, '\0', flen) && cb_logfmt_compile(fmt, &f, &err) != CB_OK)
        f = NULL;
    free(fmt);

    cb_mine_config cfg = {.max_templates = CAP};
    cb_mine *m = NULL;
    if (cb_mine_new(&cfg, &m, &err) != CB_OK) {
        cb_logfmt_free(f);
        return 0;
    }
    uint64_t given = 0;
    for (const char *p = nl ? nl + 1 : end; p < end;) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
        const char *content = p, *level = NULL;
        size_t clen = len, llen = 0;
        cb_logfmt_fields fl;
        if (f && cb_logfmt_match(f, p, len, &fl)) {
            if (fl.content.p < p || fl.content.p + fl.content.n > p + len ||
                (fl.level.p && (fl.level.p < p || fl.level.p + fl.level.n > p + len)))
                fuzz_fail("logfmt", "a field lies outside its line");
            content = fl.content.p;
            clen = fl.content.n;
            level = fl.level.p;
            llen = fl.level.n;
        }
        check_mask(content, clen);
        uint32_t index = 0;
        if (cb_mine_add(m, content, clen, level, llen, CB_MINE_NO_TIME, "f", given + 1, &index, &err) == CB_OK)
            given++;
        if (index != CB_MINE_OVERFLOW && index >= cb_mine_count(m))
            fuzz_fail("mine", "template index %u of %zu", index, cb_mine_count(m));
        p = e ? e + 1 : end;
    }
    if (cb_mine_lines(m) != given)
        fuzz_fail("mine", "%llu lines mined of %llu given", (unsigned long long)cb_mine_lines(m),
                  (unsigned long long)given);
    if (cb_mine_count(m) > CAP)
        fuzz_fail("mine", "%zu templates past the cap of %d", cb_mine_count(m), CAP);
    uint64_t total = cb_mine_overflow(m);
    for (size_t i = 0; i < cb_mine_count(m); i++) {
        cb_mine_template t;
        cb_mine_get(m, i, &t);
        total += t.count;
        char id[17];
        cb_mine_template_id(t.text, strlen(t.text), id);
        if (strcmp(id, t.id) != 0)
            fuzz_fail("mine", "template %zu: id %s is not the hash %s of its text", i, t.id, id);
    }
    if (total != given)
        fuzz_fail("mine", "templates and overflow count %llu lines of %llu", (unsigned long long)total,
                  (unsigned long long)given);
    cb_mine_free(m);
    cb_logfmt_free(f);
    return 0;
}
