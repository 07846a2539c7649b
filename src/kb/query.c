/*
 * query.c — search terms from what a user types (words, "phrases", prefix*)
 * and from a pasted log line (header dropped, variable parts masked,
 * constant words kept), as plain lists the store quotes into FTS5 (kb.h).
 */
#include <stdlib.h>

#include "casebook/kb.h"
#include "casebook/timefmt.h"
#include "casebook/utf8.h"
#include "core/internal.h"

/* Words too common to tell articles apart (English function words, as in log messages). */
static const char *const stop_words[] = {
    "a",     "about", "after", "all",   "also",  "an",    "and",   "any",   "are",   "as",    "at",    "be",
    "been",  "before", "being", "but",  "by",    "can",   "could", "did",   "do",    "does",  "for",   "from",
    "had",   "has",   "have",  "he",    "her",   "his",   "how",   "i",     "if",    "in",    "into",  "is",
    "it",    "its",   "may",   "more",  "no",    "not",   "of",    "on",    "or",    "our",   "she",   "so",
    "some",  "such",  "than",  "that",  "the",   "their", "them",  "then",  "there", "these", "they",  "this",
    "those", "to",    "too",   "under", "up",    "was",   "we",    "were",  "what",  "when",  "where", "which",
    "while", "who",   "will",  "with",  "would", "you",   "your",
};

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

static bool is_stop(const char *w)
{
    for (size_t i = 0; i < CB_ARRAY_LEN(stop_words); i++)
        if (ieq(w, stop_words[i]))
            return true;
    return false;
}

void cb_kb_query_init(cb_kb_query *q)
{
    memset(q, 0, sizeof *q);
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void cb_kb_query_release(cb_kb_query *q)
{
    if (!q)
        return;
    free_list(q->words, q->nwords);
    free_list(q->phrases, q->nphrases);
    free_list(q->prefixes, q->nprefixes);
    cb_kb_query_init(q);
}

static size_t total(const cb_kb_query *q)
{
    return q->nwords + q->nphrases + q->nprefixes;
}

/* Append s[0..n) to a list unless empty, too long, a duplicate or past the term cap.  False only on ENOMEM. */
static bool add(cb_kb_query *q, char ***list, size_t *count, const char *s, size_t n)
{
    if (n == 0 || n > CB_KB_TERM_MAX || total(q) >= CB_KB_QUERY_TERMS_MAX)
        return true;
    char *t = malloc(n + 1);
    if (!t)
        return false;
    for (size_t i = 0; i < n; i++)
        t[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
    t[n] = '\0';
    for (size_t i = 0; i < *count; i++)
        if (!strcmp((*list)[i], t)) {
            free(t);
            return true;
        }
    char **v = realloc(*list, (*count + 1) * sizeof *v);
    if (!v) {
        free(t);
        return false;
    }
    v[(*count)++] = t;
    *list = v;
    return true;
}

/*
 * The input as at most CB_KB_QUERY_INPUT_MAX bytes, cut at a character
 * boundary, with every byte that is not valid UTF-8 and every control
 * character (cb_utf8_is_control, plus U+2028/U+2029 and U+FEFF) made a
 * space: terms are then clean by construction.
 */
static char *clean_input(const char *in, size_t *len)
{
    size_t n = strnlen(in, CB_KB_QUERY_INPUT_MAX);
    n = cb_utf8_boundary(in, n);
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)in + i;
        size_t k = *u < 0x80 ? 1 : cb_utf8_seqlen(u, n - i);
        if (k == 0) {
            s[o++] = ' ';
            i++;
            continue;
        }
        bool ctl = cb_utf8_is_control(u, k) || (k == 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9)) ||
                   (k == 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF);
        if (ctl) {
            s[o++] = ' ';
        } else {
            memcpy(s + o, u, k);
            o += k;
        }
        i += k;
    }
    s[o] = '\0';
    *len = o;
    return s;
}

static bool is_space(char c)
{
    return c == ' ';
}

static bool is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Punctuation dropped around a term (ASCII only: any non-ASCII character is part of a word). */
static bool is_edge_punct(unsigned char c)
{
    return c < 0x80 && !is_alnum(c) && c != '*';
}

static bool has_alnum(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_alnum((unsigned char)s[i]))
            return true;
    return false;
}

/* ---- typed queries ----------------------------------------------------------------------------- */

static bool add_phrase(cb_kb_query *q, const char *s, size_t n)
{
    /* Words joined by single spaces; a '*' inside a phrase is only punctuation. */
    char buf[CB_KB_TERM_MAX + 1];
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && is_space(s[i]))
            i++;
        size_t b = i;
        while (i < n && !is_space(s[i]))
            i++;
        if (i == b)
            break;
        size_t need = (o ? 1 : 0) + (i - b);
        if (o + need > CB_KB_TERM_MAX)
            return true; /* a phrase that long is dropped, like a long word */
        if (o)
            buf[o++] = ' ';
        memcpy(buf + o, s + b, i - b);
        o += i - b;
    }
    /* Punctuation and '*' at either end are dropped, as around a word: "foo*" is not a prefix phrase. */
    size_t b = 0;
    while (b < o && (is_edge_punct((unsigned char)buf[b]) || buf[b] == '*'))
        b++;
    while (o > b && (is_edge_punct((unsigned char)buf[o - 1]) || buf[o - 1] == '*'))
        o--;
    if (!has_alnum(buf + b, o - b))
        return true;
    return add(q, &q->phrases, &q->nphrases, buf + b, o - b);
}

static bool add_token(cb_kb_query *q, const char *s, size_t n, char ***words, size_t *nwords)
{
    size_t b = 0, e = n;
    while (b < e && is_edge_punct((unsigned char)s[b]))
        b++;
    bool prefix = false; /* resolv* and resolv*), but a '*' inside a term is punctuation */
    while (e > b && (is_edge_punct((unsigned char)s[e - 1]) || s[e - 1] == '*')) {
        prefix = prefix || s[e - 1] == '*';
        e--;
    }
    if (!has_alnum(s + b, e - b))
        return true;
    if (prefix)
        return add(q, &q->prefixes, &q->nprefixes, s + b, e - b);
    return add(q, words, nwords, s + b, e - b);
}

cb_status cb_kb_query_parse(const char *in, cb_kb_query *out)
{
    if (!out)
        return CB_EINVAL;
    cb_kb_query_init(out);
    if (!in)
        return CB_EINVAL;
    size_t n;
    char *s = clean_input(in, &n);
    if (!s)
        return CB_ENOMEM;
    cb_status st = CB_OK;
    /* Words are collected apart first: stop words are dropped only if some other word remains. */
    char **words = NULL;
    size_t nwords = 0;
    for (size_t i = 0; i < n && st == CB_OK;) {
        if (is_space(s[i])) {
            i++;
            continue;
        }
        if (s[i] == '"') {
            const char *end = memchr(s + i + 1, '"', n - i - 1);
            size_t e = end ? (size_t)(end - s) : n;
            if (!add_phrase(out, s + i + 1, e - i - 1))
                st = CB_ENOMEM;
            i = end ? e + 1 : n;
            continue;
        }
        size_t b = i;
        while (i < n && !is_space(s[i]) && s[i] != '"')
            i++;
        if (!add_token(out, s + b, i - b, &words, &nwords))
            st = CB_ENOMEM;
    }
    size_t stops = 0;
    for (size_t i = 0; i < nwords; i++)
        stops += is_stop(words[i]);
    for (size_t i = 0; i < nwords && st == CB_OK; i++)
        if (stops == nwords || !is_stop(words[i]))
            if (!add(out, &out->words, &out->nwords, words[i], strlen(words[i])))
                st = CB_ENOMEM;
    free_list(words, nwords);
    free(s);
    if (st)
        cb_kb_query_release(out);
    return st;
}

/* ---- log lines --------------------------------------------------------------------------------- */

static const char *const level_words[] = {"trace", "debug", "info",  "information", "notice", "warn",
                                          "warning", "error", "err", "fatal", "critical", "crit",
                                          "alert", "emerg", "severe", "verbose", "fine"};

static bool is_level(const char *s, size_t n)
{
    while (n && (s[n - 1] == ':'))
        n--;
    for (size_t i = 0; i < CB_ARRAY_LEN(level_words); i++) {
        size_t k = strlen(level_words[i]);
        if (k != n)
            continue;
        size_t j = 0;
        while (j < n && (s[j] | 0x20) == level_words[i][j])
            j++;
        if (j == n)
            return true;
    }
    return false;
}

static size_t token_end(const char *s, size_t n, size_t i)
{
    while (i < n && s[i] != ' ' && s[i] != '\t')
        i++;
    return i;
}

static size_t skip_blanks(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

static bool all_digits(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* [error], [ERROR], and Apache 2.4's [module:level] ([core:error]). */
static bool bracketed_level(const char *s, size_t n)
{
    if (n < 3 || s[0] != '[' || s[n - 1] != ']')
        return false;
    const char *b = s + 1, *e = s + n - 1;
    const char *colon = memchr(b, ':', (size_t)(e - b));
    if (colon)
        b = colon + 1;
    return is_level(b, (size_t)(e - b));
}

/* <43>, [43], (43), #43, a bare number, and level words (bare or bracketed): one header token. */
static bool header_token(const char *s, size_t n)
{
    if (n >= 3 && ((s[0] == '<' && s[n - 1] == '>') || (s[0] == '[' && s[n - 1] == ']') ||
                   (s[0] == '(' && s[n - 1] == ')')) &&
        all_digits(s + 1, n - 2))
        return true;
    if (n >= 2 && s[0] == '#' && all_digits(s + 1, n - 1))
        return true;
    return all_digits(s, n) || is_level(s, n) || bracketed_level(s, n); /* a bare number: a pid (HDFS) */
}

/* Where the header of a log line ends; 0 when the line does not start like a log line. */
static size_t header_end(const char *s, size_t n)
{
    size_t i = skip_blanks(s, n, 0), e = 0;
    int64_t up;
    cb_time_kind kind = cb_time_prefix(s, n, &e);
    if (kind == CB_TIME_NONE && cb_time_parse_uptime(s, n, &up, &e)) {
        kind = CB_TIME__COUNT; /* dmesg: e is the message */
    } else if (kind == CB_TIME_NONE) {
        size_t t = token_end(s, n, i);
        bool thread = t - i >= 3 && s[i] == '<' && s[t - 1] == '>' && all_digits(s + i + 1, t - i - 2);
        bool level = bracketed_level(s + i, t - i);
        if (!thread && !level)
            return 0;
        e = i;
    }
    if (kind == CB_TIME_ISO8601 && e < n && s[e] == ']')
        e++;
    e = skip_blanks(s, n, e);
    if (kind == CB_TIME_SYSLOG) {
        /* host, then "program[pid]:" or "program:" */
        size_t t = token_end(s, n, e);
        e = skip_blanks(s, n, t);
        t = token_end(s, n, e);
        if (t > e && s[t - 1] == ':')
            e = skip_blanks(s, n, t);
    }
    for (int k = 0; k < 4 && e < n; k++) {
        size_t t = token_end(s, n, e);
        if (t - e == 4 && !memcmp(s + e, "[pid", 4)) {
            /* Apache 2.4: [pid 733:tid 140245236135808] */
            const char *close = memchr(s + t, ']', CB_MIN(n - t, (size_t)64));
            if (!close)
                break;
            e = skip_blanks(s, n, (size_t)(close - s) + 1);
            continue;
        }
        if (!header_token(s + e, t - e))
            break;
        e = skip_blanks(s, n, t);
    }
    return e;
}

bool cb_kb_query_is_log(const char *line)
{
    if (!line)
        return false;
    size_t n = strnlen(line, CB_KB_QUERY_INPUT_MAX);
    return header_end(line, n) > 0;
}

static bool hex_digit(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* 8-4-4-4-12 hex digits, with or without braces. */
static bool is_guid(const char *s, size_t n)
{
    if (n == 38 && s[0] == '{' && s[37] == '}') {
        s++;
        n = 36;
    }
    if (n != 36)
        return false;
    for (size_t i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !hex_digit(s[i]))
            return false;
    }
    return true;
}

/* An HRESULT-like error code, 0x8XXXXXXX or 0xCXXXXXXX: constant, the most telling word of its line. */
static bool is_error_code(const char *s, size_t n)
{
    if (n != 10 || s[0] != '0' || (s[1] | 0x20) != 'x' || !(s[2] == '8' || (s[2] | 0x20) == 'c'))
        return false;
    for (size_t i = 2; i < n; i++)
        if (!hex_digit(s[i]))
            return false;
    return true;
}

/* A path: starts with / \ ~/ ./ or a drive letter, or has two slashes. */
static bool is_path(const char *s, size_t n)
{
    if (n >= 1 && (s[0] == '/' || s[0] == '\\'))
        return true;
    if (n >= 2 && (s[0] == '~' || s[0] == '.') && (s[1] == '/' || s[1] == '\\'))
        return true;
    if (n >= 3 && ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z') && s[1] == ':' && (s[2] == '\\' || s[2] == '/'))
        return true;
    size_t slashes = 0;
    for (size_t i = 0; i < n; i++)
        slashes += s[i] == '/' || s[i] == '\\';
    return slashes >= 2;
}

/*
 * A dotted name: a dot between two word characters, and either two dots or a
 * last label in lower case (host.corp.example, Veeam.Backup.Core.dll,
 * job.log); Vss.KeepSnapshot (a class member) is words.
 */
static bool is_dotted_name(const char *s, size_t n)
{
    size_t dots = 0, last = 0;
    for (size_t i = 1; i + 1 < n; i++)
        if (s[i] == '.' && is_alnum((unsigned char)s[i - 1]) && is_alnum((unsigned char)s[i + 1])) {
            dots++;
            last = i + 1;
        }
    if (!dots)
        return false;
    if (dots >= 2)
        return true;
    bool lower = n - last >= 2;
    for (size_t i = last; i < n && lower; i++)
        lower = (s[i] >= 'a' && s[i] <= 'z');
    return lower;
}

/* An IPv4 address (with a port) or an IPv6 one: digits and dots, or hex and two colons or more. */
static bool is_address(const char *s, size_t n)
{
    size_t dots = 0, colons = 0, digits = 0;
    bool hexonly = true;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.')
            dots++;
        else if (s[i] == ':')
            colons++;
        else if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (!hex_digit(s[i]) && s[i] != '%' && s[i] != '[' && s[i] != ']')
            hexonly = false;
    }
    return (dots == 3 && digits >= 4 && hexonly) || (colons >= 2 && hexonly);
}

static bool add_log_word(cb_kb_query *q, const char *w, size_t n)
{
    if (n < 2)
        return true;
    for (size_t i = 0; i < n; i++)
        if (w[i] >= '0' && w[i] <= '9')
            return true; /* a word holding digits names a thing: sda1, sql01, blk_1073 */
    char buf[CB_KB_TERM_MAX + 1];
    if (n > CB_KB_TERM_MAX)
        return true;
    for (size_t i = 0; i < n; i++)
        buf[i] = w[i] >= 'A' && w[i] <= 'Z' ? (char)(w[i] + 32) : w[i];
    buf[n] = '\0';
    if (is_stop(buf))
        return true;
    return add(q, &q->words, &q->nwords, buf, n);
}

/* One whitespace-separated token of the message: masked whole, or split into its words. */
static bool log_token(cb_kb_query *q, const char *s, size_t n)
{
    size_t b = 0, e = n;
    while (b < e && is_edge_punct((unsigned char)s[b]) && s[b] != '/' && s[b] != '\\' && s[b] != '~' &&
           s[b] != '{' && s[b] != '.')
        b++;
    while (e > b && is_edge_punct((unsigned char)s[e - 1]) && s[e - 1] != '}')
        e--;
    s += b;
    n = e - b;
    if (!n)
        return true;
    if (is_error_code(s, n))
        return add(q, &q->words, &q->nwords, s, n);
    if (is_guid(s, n) || is_path(s, n) || is_address(s, n) || is_dotted_name(s, n))
        return true;
    if (n > 2 && s[0] == '0' && (s[1] | 0x20) == 'x')
        return true;
    /* Words at punctuation, as FTS5's unicode61 tokenizer splits them. */
    for (size_t i = 0; i < n;) {
        while (i < n && !is_alnum((unsigned char)s[i]))
            i++;
        size_t w = i;
        while (i < n && is_alnum((unsigned char)s[i]))
            i++;
        if (!add_log_word(q, s + w, i - w))
            return false;
    }
    return true;
}

/* A quote opens at the start of a token and closes before a non-word character: 'dr-proxy01:2503', not can't. */
static size_t quoted_end(const char *s, size_t n, size_t i)
{
    char qc = s[i];
    for (size_t j = i + 1; j < n; j++)
        if (s[j] == qc && (j + 1 == n || !is_alnum((unsigned char)s[j + 1])))
            return j + 1;
    return 0;
}

cb_status cb_kb_query_from_log(const char *line, cb_kb_query *out)
{
    if (!out)
        return CB_EINVAL;
    cb_kb_query_init(out);
    if (!line)
        return CB_EINVAL;
    size_t n;
    char *s = clean_input(line, &n);
    if (!s)
        return CB_ENOMEM;
    out->any = true;
    out->from_log = true;
    size_t i = CB_MIN(header_end(s, n), n); /* 0 without a header: search --log on a bare message */
    cb_status st = CB_OK;
    while (i < n && st == CB_OK) {
        if (s[i] == ' ' || s[i] == '\t') {
            i++;
            continue;
        }
        bool at_start = i == 0 || s[i - 1] == ' ' || s[i - 1] == '(' || s[i - 1] == '[' || s[i - 1] == '=';
        if ((s[i] == '\'' || s[i] == '"') && at_start) {
            size_t e = quoted_end(s, n, i);
            if (e) {
                i = e; /* a quoted name: masked */
                continue;
            }
        }
        size_t b = i;
        i = token_end(s, n, i);
        if (!log_token(out, s + b, i - b))
            st = CB_ENOMEM;
    }
    free(s);
    if (st)
        cb_kb_query_release(out);
    return st;
}
