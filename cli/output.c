/*
 * output.c — the CLI's shared plumbing: option parsing driven by the
 * declarative cli_opt tables, generated usage text, errors, formats,
 * colour, the progress line, and display-safe printing of untrusted text.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "casebook/utf8.h"
#include "cli/cli.h"

/*
 * Write "casebook: <prefix><message>\n" to stderr with the message made
 * display-safe: messages name files, playbook ids and transcript contents, and
 * a control character in one (a newline in a file name, an escape sequence)
 * must not forge lines or reach the terminal.  Bytes are escaped as \xNN.
 */
static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
    cb_buf raw, safe;
    cb_buf_init(&raw, CB_BUF_UNLIMITED);
    cb_buf_init(&safe, CB_BUF_UNLIMITED);
    fflush(stdout);
    fputs("casebook: ", stderr);
    fputs(prefix, stderr);
    if (cb_buf_vprintf(&raw, fmt, ap) == CB_OK &&
        cb_utf8_sanitize(&safe, raw.data ? raw.data : "", raw.len, true) == CB_OK)
        fwrite(safe.data ? safe.data : "", 1, safe.len, stderr);
    else
        fputs("out of memory", stderr);
    fputc('\n', stderr);
    cb_buf_release(&raw);
    cb_buf_release(&safe);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("", fmt, ap);
    va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("warning: ", fmt, ap);
    va_end(ap);
}

int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s: ", cmd->name);
    va_start(ap, fmt);
    vmessage(prefix, fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'casebook %s --help'.\n", cmd->name);
    return CLI_USAGE;
}

void cli_print_error(const cb_error *err)
{
    char buf[CB_ERROR_MSG_MAX + CB_ERROR_FILE_MAX + 64];
    cb_error_format(err, buf, sizeof buf);
    cli_error("%s", buf);
}

void cli_usage(const cli_cmd *cmd, FILE *out)
{
    fprintf(out, "usage: casebook %s %s\n\n%s\n", cmd->name, cmd->synopsis, cmd->summary);
    if (cmd->description && cmd->description[0])
        fprintf(out, "\n%s\n", cmd->description);
    if (!cmd->opts || !cmd->opts[0].id)
        return;
    fputs("\noptions:\n", out);
    for (const cli_opt *o = cmd->opts; o->id; o++) {
        char left[64];
        int n = 0;
        if (o->short_name)
            n = snprintf(left, sizeof left, "-%c, --%s", o->short_name, o->long_name);
        else
            n = snprintf(left, sizeof left, "    --%s", o->long_name);
        if (o->kind == ARG_STRING && n > 0 && (size_t)n < sizeof left)
            snprintf(left + n, sizeof left - (size_t)n, " %s", o->arg_name);
        fprintf(out, "  %-26s %s\n", left, o->help);
    }
}

void cli_parser_init(cli_parser *p, int argc, char **argv)
{
    p->argc = argc;
    p->argv = argv;
    p->next = 1;
    p->operands = calloc((size_t)argc + 1, sizeof *p->operands);
    p->noperands = 0;
    p->playbooks = calloc((size_t)argc + 1, sizeof *p->playbooks);
    p->nplaybooks = 0;
    p->stop = CLI_USAGE;
}

void cli_parser_release(cli_parser *p)
{
    free(p->operands);
    free(p->playbooks);
    p->operands = NULL;
    p->playbooks = NULL;
}

static int stop(cli_parser *p, int status)
{
    p->stop = status;
    return CLI_STOP;
}

/* --help: the usage on stdout, and the command ends with success (unless stdout could not be written). */
static int help(cli_parser *p, const cli_cmd *cmd)
{
    cli_usage(cmd, stdout);
    return stop(p, cli_finish_output(CLI_OK));
}

static const cli_opt *find_long(const cli_cmd *cmd, const char *name, size_t len)
{
    for (const cli_opt *o = cmd->opts; o && o->id; o++)
        if (strlen(o->long_name) == len && strncmp(o->long_name, name, len) == 0)
            return o;
    return NULL;
}

static const cli_opt *find_short(const cli_cmd *cmd, char c)
{
    for (const cli_opt *o = cmd->opts; o && o->id; o++)
        if (o->short_name == c)
            return o;
    return NULL;
}

int cli_getopt(cli_parser *p, const cli_cmd *cmd, const char **arg)
{
    *arg = NULL;
    if (!p->operands || !p->playbooks) {
        cli_error("out of memory");
        return stop(p, CLI_USAGE);
    }
    while (p->next < p->argc) {
        char *a = p->argv[p->next++];
        if (strcmp(a, "--") == 0) {
            while (p->next < p->argc)
                p->operands[p->noperands++] = p->argv[p->next++];
            return 0;
        }
        if (a[0] != '-' || a[1] == '\0') {
            p->operands[p->noperands++] = a;
            continue;
        }
        const cli_opt *o;
        const char *val = NULL;
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            o = find_long(cmd, name, len);
            if (!o) {
                cli_usage_error(cmd, "unknown option '--%.*s'", (int)len, name);
                return stop(p, CLI_USAGE);
            }
            if (eq) {
                if (o->kind == ARG_NONE) {
                    cli_usage_error(cmd, "option '--%s' takes no value", o->long_name);
                    return stop(p, CLI_USAGE);
                }
                val = eq + 1;
            }
        } else {
            o = find_short(cmd, a[1]);
            if (!o) {
                cli_usage_error(cmd, "unknown option '-%c'", a[1]);
                return stop(p, CLI_USAGE);
            }
            if (a[2]) {
                if (o->kind == ARG_NONE) {
                    /* Bundled flags such as -cl: handle the first, requeue the rest. */
                    static char rest[256];
                    snprintf(rest, sizeof rest, "-%s", a + 2);
                    p->argv[--p->next] = rest;
                    if (o->id == CLI_OPT_HELP)
                        return help(p, cmd);
                    return o->id;
                }
                val = a + 2;
            }
        }
        if (o->kind == ARG_STRING && !val) {
            if (p->next >= p->argc) {
                cli_usage_error(cmd, "option '--%s' needs a value (%s)", o->long_name, o->arg_name);
                return stop(p, CLI_USAGE);
            }
            val = p->argv[p->next++];
        }
        if (o->id == CLI_OPT_HELP)
            return help(p, cmd);
        if (o->id == CLI_OPT_PLAYBOOKS) {
            p->playbooks[p->nplaybooks++] = val;
            continue;
        }
        *arg = val;
        return o->id;
    }
    return 0;
}

cli_format cli_parse_format(const char *s, unsigned allowed)
{
    cli_format f = 0;
    if (strcmp(s, "text") == 0)
        f = FMT_TEXT;
    else if (strcmp(s, "json") == 0)
        f = FMT_JSON;
    else if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0)
        f = FMT_MD;
    return (f & allowed) ? f : 0;
}

bool cli_parse_uint(const char *s, uint64_t *out)
{
    if (!s || !isdigit((unsigned char)s[0]))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

bool cli_parse_size(const char *s, uint64_t *out)
{
    if (!s || !isdigit((unsigned char)s[0]))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return false;
    unsigned shift = 0;
    if (*end) {
        switch (toupper((unsigned char)*end)) {
        case 'K': shift = 10; break;
        case 'M': shift = 20; break;
        case 'G': shift = 30; break;
        case 'T': shift = 40; break;
        default: return false;
        }
        end++;
        if (*end == 'i' || *end == 'I')
            end++;
        if (*end == 'B' || *end == 'b')
            end++;
        if (*end)
            return false;
    }
    if (shift && v > (UINT64_MAX >> shift))
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

const char *cli_human_bytes(uint64_t n, char *buf, size_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    if (n < 1024) {
        snprintf(buf, size, "%llu B", (unsigned long long)n);
        return buf;
    }
    double v = (double)n;
    unsigned u = 0;
    while (v >= 1024 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024;
        u++;
    }
    snprintf(buf, size, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

const char *cli_group_digits(uint64_t n, char *buf, size_t size)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < size; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
    return buf;
}

bool cli_colour_stdout(void)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && nc[0])
        return false;
    return isatty(STDOUT_FILENO) == 1;
}

json_t *cli_json_text(const char *s, size_t n)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    if (cb_utf8_sanitize(&b, s, n, false)) {
        cb_buf_release(&b);
        return NULL;
    }
    json_t *j = json_stringn(b.data ? b.data : "", b.len);
    cb_buf_release(&b);
    return j;
}

json_t *cli_json_multiline(const char *s)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    if (cb_utf8_sanitize_lines(&b, s, strlen(s), false)) {
        cb_buf_release(&b);
        return NULL;
    }
    json_t *j = json_stringn(b.data ? b.data : "", b.len);
    cb_buf_release(&b);
    return j;
}

void cli_put_multiline(const char *s, const char *indent)
{
    cli_put_wrapped(s, 0, indent, SIZE_MAX);
}

/* Append s[0..n), already display-safe, with the characters Markdown would read as markup escaped. */
static void md_escape(cb_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '|' || c == '\\' || c == '`' || c == '*' || c == '_' || c == '<' || c == '[')
            cb_buf_putc(out, '\\');
        cb_buf_putc(out, c);
    }
}

void cli_md_cell(cb_buf *out, const char *s)
{
    cb_buf safe;
    cb_buf_init(&safe, CB_BUF_UNLIMITED);
    if (cb_utf8_sanitize(&safe, s, strlen(s), false) == CB_OK)
        md_escape(out, safe.data ? safe.data : "", safe.len);
    cb_buf_release(&safe);
}

void cli_md_text(cb_buf *out, const char *s)
{
    cb_buf safe;
    cb_buf_init(&safe, CB_BUF_UNLIMITED);
    if (cb_utf8_sanitize_lines(&safe, s, strlen(s), false) == CB_OK)
        md_escape(out, safe.data ? safe.data : "", safe.len);
    cb_buf_release(&safe);
}

void cli_md_code(cb_buf *out, const char *s)
{
    cb_buf safe;
    cb_buf_init(&safe, CB_BUF_UNLIMITED);
    if (cb_utf8_sanitize(&safe, s, strlen(s), true) == CB_OK) {
        const char *t = safe.data ? safe.data : "";
        size_t fence = 1; /* longer than any run of backticks in the name, which then needs spaces inside */
        for (size_t i = 0, run = 0; i < safe.len; i++)
            if ((run = t[i] == '`' ? run + 1 : 0) >= fence)
                fence = run + 1;
        for (size_t i = 0; i < fence; i++)
            cb_buf_putc(out, '`');
        cb_buf_puts(out, fence > 1 ? " " : "");
        cb_buf_append(out, t, safe.len);
        cb_buf_puts(out, fence > 1 ? " " : "");
        for (size_t i = 0; i < fence; i++)
            cb_buf_putc(out, '`');
    }
    cb_buf_release(&safe);
}

void cli_put_name(FILE *out, const char *s)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    if (cb_utf8_sanitize(&b, s, strlen(s), true) == CB_OK && b.len)
        fwrite(b.data, 1, b.len, out);
    cb_buf_release(&b);
}

void cli_put_safe(const char *s, size_t n)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    if (cb_utf8_sanitize(&b, s, n, false) == CB_OK && b.len)
        fwrite(b.data, 1, b.len, stdout);
    cb_buf_release(&b);
}

/* The columns a list item's continuation lines hang by: "- ", "* " or "12. " after the indentation. */
static size_t hanging(const char *p, const char *le)
{
    if (le - p >= 2 && (p[0] == '-' || p[0] == '*') && p[1] == ' ')
        return 2;
    size_t d = 0;
    while (p + d < le && p[d] >= '0' && p[d] <= '9')
        d++;
    return d && d < 4 && p + d + 1 < le && p[d] == '.' && p[d + 1] == ' ' ? d + 2 : 0;
}

void cli_put_wrapped(const char *text, size_t col, const char *indent, size_t width)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == ' ' || text[n - 1] == '\r'))
        n--;
    /* Made safe first, so that what is measured is what is shown (a control shows as U+FFFD: one column). */
    if (cb_utf8_sanitize_lines(&b, text, n, false) != CB_OK) {
        cb_buf_release(&b);
        return;
    }
    const char *p = b.data ? b.data : "", *end = p + b.len;
    size_t ind = cb_utf8_columns(indent, strlen(indent));
    for (bool first = true; p <= end; first = false) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t lead = 0;
        while (p + lead < le && p[lead] == ' ')
            lead++;
        size_t hang = lead + hanging(p + lead, le);
        if (!first) {
            fputs(indent, stdout);
            col = ind;
        }
        fwrite(p, 1, lead, stdout);
        col += lead;
        for (const char *q = p + lead; q < le;) {
            const char *gap = q;
            while (q < le && *q == ' ')
                q++;
            if (q == le)
                break;
            const char *we = q;
            while (we < le && *we != ' ')
                we++;
            size_t wc = cb_utf8_columns(q, (size_t)(we - q)), gc = (size_t)(q - gap);
            if (gc && col + gc + wc > width) {
                printf("\n%s%*s", indent, (int)hang, "");
                col = ind + hang;
            } else {
                fwrite(gap, 1, gc, stdout);
                col += gc;
            }
            fwrite(q, 1, (size_t)(we - q), stdout);
            col += wc;
            q = we;
        }
        if (!nl)
            break;
        putchar('\n');
        p = nl + 1;
    }
    cb_buf_release(&b);
}

size_t cli_terminal_width(void)
{
    if (isatty(STDOUT_FILENO) != 1)
        return 0;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    uint64_t v;
    const char *c = getenv("COLUMNS");
    if (c && cli_parse_uint(c, &v) && v > 0 && v < 10000)
        return (size_t)v;
    return 80;
}

/*
 * The line-fitting stream.  Bytes pass through as they come, but a line's
 * visible characters stop at the width: the last column is held back until
 * it is known whether more follows, and then is either shown (the line fits
 * exactly) or replaced by "…".  Escape sequences (the CLI's own colours: all
 * text from outside was made safe before) take no column and always pass, so
 * colours are reset even on a cut line.
 */
typedef struct fit {
    FILE *out;
    size_t width, col;
    bool cut;
    int esc;             /* 0 none, 1 after ESC, 2 inside a CSI */
    unsigned char ch[4]; /* a UTF-8 character split across writes */
    size_t nch, want;
    char held[64]; /* the character in the last column, and escapes after it */
    size_t nheld;
    bool holding;
} fit;

static void fit_char(fit *f, const char *c, size_t n)
{
    size_t w, k;
    if (n == 1 && c[0] == '\t')
        w = 8 - f->col % 8;
    else
        w = cb_utf8_char_columns(c, n, &k);
    if (f->cut)
        return;
    if (f->holding) {
        if (w == 0 && f->nheld + n <= sizeof f->held) { /* a combining mark stays with its letter */
            memcpy(f->held + f->nheld, c, n);
            f->nheld += n;
            return;
        }
        fputs("…", f->out); /* more follows: the held character gives way to the mark of the cut */
        for (size_t i = 0; i < f->nheld; i++) /* but its escapes still apply */
            if (f->held[i] == '\033') {
                size_t j = i + 1;
                while (j < f->nheld && !(f->held[j] >= 0x40 && f->held[j] <= 0x7E && j > i + 1))
                    j++;
                fwrite(f->held + i, 1, j < f->nheld ? j - i + 1 : j - i, f->out);
                i = j;
            }
        f->holding = false;
        f->cut = true;
        return;
    }
    if (f->col + w < f->width) {
        fwrite(c, 1, n, f->out);
        f->col += w;
    } else if (f->col + w == f->width && n <= sizeof f->held) {
        memcpy(f->held, c, n);
        f->nheld = n;
        f->holding = true;
    } else {
        fputs("…", f->out);
        f->cut = true;
    }
}

static ssize_t fit_write(void *cookie, const char *buf, size_t size)
{
    fit *f = cookie;
    for (size_t i = 0; i < size; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (f->esc) { /* ESC [ parameters... final byte, or ESC and one byte */
            if (f->holding && f->nheld < sizeof f->held)
                f->held[f->nheld++] = (char)c;
            else
                fputc(c, f->out);
            f->esc = f->esc == 1 && c == '[' ? 2 : f->esc == 2 && !(c >= 0x40 && c <= 0x7E) ? 2 : 0;
            continue;
        }
        if (f->nch) { /* continuing a UTF-8 character */
            if ((c & 0xC0) == 0x80) {
                f->ch[f->nch++] = c;
                if (f->nch == f->want) {
                    fit_char(f, (const char *)f->ch, f->nch);
                    f->nch = 0;
                }
                continue;
            }
            fit_char(f, (const char *)f->ch, f->nch); /* cut short: shown as it is */
            f->nch = 0;
        }
        if (c == '\n') {
            if (f->holding)
                fwrite(f->held, 1, f->nheld, f->out);
            fputc('\n', f->out);
            f->col = 0;
            f->cut = f->holding = false;
            f->nheld = 0;
        } else if (c == '\033') {
            f->esc = 1;
            if (f->holding && f->nheld < sizeof f->held)
                f->held[f->nheld++] = (char)c;
            else
                fputc(c, f->out);
        } else if (c >= 0xC2 && c <= 0xF4) {
            f->ch[0] = c;
            f->nch = 1;
            f->want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        } else {
            fit_char(f, (const char *)&c, 1);
        }
    }
    return ferror(f->out) ? -1 : (ssize_t)size;
}

static int fit_close(void *cookie)
{
    fit *f = cookie;
    if (f->nch)
        fit_char(f, (const char *)f->ch, f->nch);
    if (f->holding)
        fwrite(f->held, 1, f->nheld, f->out);
    int rc = fflush(f->out) == 0 && !ferror(f->out) ? 0 : EOF;
    free(f);
    return rc;
}

void cli_fit_begin(cli_fit *s)
{
    s->saved = NULL;
    size_t width = cli_terminal_width();
    if (!width)
        return;
    fit *f = calloc(1, sizeof *f);
    if (!f)
        return; /* lines are not cut, nothing worse */
    f->out = stdout;
    f->width = width;
    cookie_io_functions_t io = {.write = fit_write, .close = fit_close};
    FILE *filter = fopencookie(f, "w", io);
    if (!filter) {
        free(f);
        return;
    }
    fflush(stdout);
    s->saved = stdout;
    stdout = filter;
}

void cli_fit_end(cli_fit *s)
{
    if (!s->saved)
        return;
    FILE *filter = stdout;
    stdout = s->saved;
    s->saved = NULL;
    fclose(filter); /* a write error is the terminal stream's own: cli_finish_output finds it there */
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(cli_progress *p)
{
    p->enabled = isatty(STDERR_FILENO) == 1;
    p->shown = false;
    p->start = now_s();
    p->last = 0;
}

void cli_progress_update(cli_progress *p, const char *fmt, ...)
{
    if (!p->enabled)
        return;
    double t = now_s();
    if (t - p->start < 1.0 || t - p->last < 0.1)
        return;
    p->last = t;
    p->shown = true;
    va_list ap;
    fputs("\r\033[K", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
}

void cli_progress_done(cli_progress *p)
{
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = false;
}

int cli_finish_output(int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "casebook: write error: %s\n", strerror(errno));
        return CLI_USAGE;
    }
    return code;
}

int cli_bundle_arg(const cli_cmd *cmd, int id, const char *arg, cb_bundle_opts *opts)
{
    uint64_t v;
    cb_error err;
    switch (id) {
    case OPT_TIME_FORMAT:
        if (cb_timefmt_compile(arg, &opts->time_format, &err))
            return cli_usage_error(cmd, "--time-format: %s", err.msg);
        return 1;
    case OPT_MAX_RATIO:
        if (!cli_parse_uint(arg, &v) || v == 0 || v > CB_BUNDLE_MAX_RATIO)
            return cli_usage_error(cmd, "--max-ratio: '%s' is not a whole number from 1 to 2^40", arg);
        opts->limits.max_ratio = v;
        return 1;
    case OPT_MAX_TOTAL:
        if (!cli_parse_size(arg, &v) || v == 0)
            return cli_usage_error(cmd, "--max-total: '%s' is not a size such as 500M or 64G", arg);
        opts->limits.max_total = v;
        return 1;
    case OPT_MAX_DEPTH:
        if (!cli_parse_uint(arg, &v) || v > 12)
            return cli_usage_error(cmd, "--max-depth: '%s' is not a whole number from 0 to 12", arg);
        opts->limits.max_depth = (unsigned)v;
        return 1;
    case OPT_TZ: {
        char msg[256];
        if (!cli_tz_set(arg, msg, sizeof msg))
            return cli_usage_error(cmd, "--tz: %s", msg);
        return 1;
    }
    case OPT_MAX_LINE:
        if (!cli_parse_size(arg, &v) || v < 64 || v > (1ULL << 30))
            return cli_usage_error(cmd, "--max-line: '%s' is not a size from 64 to 1G", arg);
        opts->limits.max_line = (size_t)v;
        return 1;
    case OPT_MAX_CPU: {
        char *end;
        errno = 0;
        double sec = strtod(arg, &end);
        if (errno || end == arg || *end || !(sec >= 0.001) || sec > (double)CB_BUNDLE_MAX_CPU_MS / 1000)
            return cli_usage_error(cmd, "--max-cpu: '%s' is not a number of seconds from 0.001 to 31536000", arg);
        opts->limits.max_cpu_ms = (uint64_t)(sec * 1000 + 0.5);
        return 1;
    }
    }
    return 0;
}

/* ---- the display zone ---- */

static struct {
    char name[64];
    bool named;     /* an IANA zone, through the C library with TZ set */
    int offset_min; /* otherwise a fixed offset east of UTC */
} display_tz = {"UTC", false, 0};

/* ±hh, ±hhmm or ±hh:mm, within ±14:00 (the widest offset in use). */
static bool parse_offset(const char *s, int *min)
{
    size_t n = strlen(s);
    if (n < 3 || (s[0] != '+' && s[0] != '-') || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
        return false;
    int h = (s[1] - '0') * 10 + (s[2] - '0'), m = 0;
    const char *r = s + 3;
    if (*r == ':')
        r++;
    if (*r) {
        if (!isdigit((unsigned char)r[0]) || !isdigit((unsigned char)r[1]) || r[2] || (r == s + 3 && n != 5))
            return false;
        m = (r[0] - '0') * 10 + (r[1] - '0');
    }
    if (m > 59 || h * 60 + m > 14 * 60)
        return false;
    *min = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
    return true;
}

bool cli_tz_set(const char *zone, char *msg, size_t msgsize)
{
    int off;
    if (strcasecmp(zone, "UTC") == 0 || strcmp(zone, "Z") == 0 || strcmp(zone, "z") == 0) {
        snprintf(display_tz.name, sizeof display_tz.name, "UTC");
        display_tz.named = false;
        display_tz.offset_min = 0;
        return true;
    }
    if (parse_offset(zone, &off)) {
        snprintf(display_tz.name, sizeof display_tz.name, "UTC%c%02d:%02d", off < 0 ? '-' : '+', abs(off) / 60,
                 abs(off) % 60);
        display_tz.named = false;
        display_tz.offset_min = off;
        return true;
    }
    /* An IANA name: letters, digits, '_', '-', '+', '/' components, found in the system's tz database. */
    size_t n = strlen(zone);
    bool ok = n > 0 && n < sizeof display_tz.name && zone[0] != '/' && strstr(zone, "..") == NULL &&
              strspn(zone, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/") == n;
    if (ok) {
        const char *dir = getenv("TZDIR");
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
        FILE *fp = fopen(path, "rb");
        char magic[4] = {0};
        ok = fp && fread(magic, 1, 4, fp) == 4 && memcmp(magic, "TZif", 4) == 0;
        if (fp)
            fclose(fp);
    }
    if (!ok) {
        snprintf(msg, msgsize, "'%.100s' is not a zone (UTC, +02:00, -0530, or a name of the tz database such "
                 "as Europe/Berlin)", zone);
        return false;
    }
    snprintf(display_tz.name, sizeof display_tz.name, "%s", zone);
    display_tz.named = true;
    setenv("TZ", zone, 1);
    tzset();
    return true;
}

const char *cli_tz_name(void)
{
    return display_tz.name;
}

const char *cli_time(int64_t ms, char *buf, size_t size)
{
    char iso[40];
    int64_t shift = (int64_t)display_tz.offset_min * 60000;
    if (display_tz.named) {
        time_t t = (time_t)(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
        struct tm tm;
        if (localtime_r(&t, &tm))
            shift = (int64_t)tm.tm_gmtoff * 1000;
    }
    cb_time_format_iso(ms + shift, iso, sizeof iso);
    snprintf(buf, size, "%.10s %.8s", iso, iso + 11);
    return buf;
}
