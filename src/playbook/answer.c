/*
 * answer.c — what counts as an answer to a node (playbook.h).  The walk, the
 * automatic walks of triage and `casebook test`, and lint's check of a
 * playbook's tests all call these, so a playbook test that passes lint is
 * answered the same way by every one of them.
 */
#include <stdlib.h>
#include <strings.h>

#include "casebook/playbook.h"
#include "core/internal.h"

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* text without the blanks around it: *len bytes from the returned pointer. */
static const char *trimmed(const char *text, size_t *len)
{
    while (blank(*text))
        text++;
    size_t n = strlen(text);
    while (n && blank(text[n - 1]))
        n--;
    *len = n;
    return text;
}

/* The trimmed text equals word, ignoring ASCII case. */
static bool is_word(const char *t, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(t, word, n) == 0;
}

int cb_answer_yes_no(const char *text)
{
    if (!text)
        return -1;
    size_t n;
    const char *t = trimmed(text, &n);
    if (is_word(t, n, "yes") || is_word(t, n, "y") || is_word(t, n, "1"))
        return 1;
    if (is_word(t, n, "no") || is_word(t, n, "n") || is_word(t, n, "2"))
        return 0;
    return -1;
}

bool cb_answer_done(const char *text)
{
    if (!text)
        return false;
    size_t n;
    const char *t = trimmed(text, &n);
    return is_word(t, n, "done");
}

int cb_answer_choice(const char *const *labels, const char *const *shown, size_t n, const char *text)
{
    if (!text)
        return -1;
    size_t len;
    const char *t = trimmed(text, &len);
    if (!len)
        return -1;
    /* Labels first, so that a label that is itself a number still works. */
    for (size_t i = 0; i < n; i++)
        if (labels[i] && strlen(labels[i]) == len && memcmp(labels[i], t, len) == 0)
            return (int)i;
    for (size_t i = 0; i < n; i++)
        if (labels[i] && is_word(t, len, labels[i]))
            return (int)i;
    for (size_t i = 0; shown && i < n; i++)
        if (shown[i] && is_word(t, len, shown[i]))
            return (int)i;
    if (len < 6) {
        size_t k = 0;
        for (size_t i = 0; i < len; i++) {
            if (t[i] < '0' || t[i] > '9')
                return -1;
            k = k * 10 + (size_t)(t[i] - '0');
        }
        if (k >= 1 && k <= n)
            return (int)(k - 1);
    }
    return -1;
}
