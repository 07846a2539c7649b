/*
 * cmd_mine.c — `casebook mine BUNDLE`: what the logs show, as their distinct
 * events.  Every text line of the bundle goes through the template miner
 * (mine.h) after its header is stripped (a --log-format, or the detected
 * timestamp and level word); templates are ranked by level, then count.
 * --lines writes the template of every line for a benchmark scorer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "casebook/bundle.h"
#include "casebook/json.h"
#include "casebook/mine.h"
#include "casebook/timefmt.h"
#include "cli/cli.h"

enum { OPT_FORMAT = CLI_OPT_OWN, OPT_TOP, OPT_LEVEL, OPT_LOG_FORMAT, OPT_LINES };

static const cli_opt mine_opts[] = {
    {OPT_TOP, 'n', "top", ARG_STRING, "N", "show the first N templates (20; 0 for all)"},
    {OPT_LEVEL, 0, "level", ARG_STRING, "LEVEL", "error, warning (and errors) or all (default)"},
    {OPT_LOG_FORMAT, 0, "log-format", ARG_STRING, "FMT",
     "header format, Loghub syntax: '<Date> <Time> <Level> <Component>: <Content>'"},
    {OPT_LINES, 0, "lines", ARG_STRING, "OUT.tsv", "write 'line number<TAB>template' for every line to OUT.tsv"},
    {OPT_FORMAT, 'f', "format", ARG_STRING, "FMT", "output format: text (default), json or md"},
    CLI_BUNDLE_OPTS,
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

const cli_cmd cli_cmd_mine = {
    .name = "mine",
    .run = cmd_mine,
    .summary = "the distinct events (templates) of a bundle's logs, ranked by level and count",
    .synopsis = "BUNDLE [--top N] [--level error|warning|all] [--log-format FMT] [--lines OUT.tsv] [options]",
    .description =
        "Every text line of BUNDLE is reduced to a template: its header is stripped (with --log-format, the\n"
        "fields of that format, the <Content> being mined and <Level> kept; without, the detected timestamp and\n"
        "a level word), variables are masked as <*>, and lines of the same event are grouped (docs/mining.md).\n"
        "Templates are listed errors first, then warnings, then the rest, each by count.  --lines numbers the\n"
        "lines of a single-file BUNDLE as that file does, of a larger one in reading order.  Exit status: 0;\n"
        "2 on a usage error, when BUNDLE cannot be opened, or when no line of it could be read.",
    .opts = mine_opts,
};

static const char *level_name(cb_mine_level l)
{
    static const char *const names[] = {"-", "debug", "info", "warning", "error"};
    return names[l];
}

/* Without a format: skip the line's leading timestamp and a level word (upper case, or in brackets). */
static void strip_header(cb_time_kind kind, const char *s, size_t n, cb_slice *content, cb_slice *level)
{
    size_t i = 0, end;
    level->p = NULL;
    level->n = 0;
    /* the file's detected format first (one probe), any built-in format for lines it does not start */
    if (cb_time_prefix_of(kind, s, n, &end) || cb_time_prefix(s, n, &end) != CB_TIME_NONE)
        i = end;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ']' || s[i] == ','))
        i++;
    size_t w = i;
    char close = w < n && s[w] == '<' ? '>' : w < n && s[w] == '[' ? ']' : 0;
    w += close != 0;
    size_t d = w;
    while (w < n && s[w] >= '0' && s[w] <= '9') /* a process or thread id between time and level: 42 <42> [42] */
        w++;
    if (close && w > d && w < n && s[w] == close)
        w++;
    else if (close)
        w = d; /* not a bracketed number: no digits to skip */
    if (w > d && w < n && (s[w] == ' ' || s[w] == '\t')) {
        while (w < n && (s[w] == ' ' || s[w] == '\t'))
            w++;
    } else {
        w = i;
    }
    bool bracket = w < n && s[w] == '[';
    if (bracket)
        w++;
    size_t e = w;
    bool capital = w < n && s[w] >= 'A' && s[w] <= 'Z'; /* ERROR, Error: a level; "error" in prose is not */
    while (e < n && s[e] != ' ' && s[e] != '\t' && s[e] != ']' && s[e] != ':')
        e++;
    if (e - w >= 3 && (capital || (bracket && e < n && s[e] == ']')) &&
        cb_mine_level_of(s + w, e - w) != CB_MINE_LEVEL_OTHER) {
        level->p = s + w;
        level->n = e - w;
        if (e < n && (s[e] == ']' || s[e] == ':'))
            e++;
        while (e < n && (s[e] == ' ' || s[e] == '\t'))
            e++;
        i = e;
    }
    content->p = s + i;
    content->n = n - i;
}

typedef struct run {
    cb_mine *m;
    cb_logfmt *lf;
    bool want_lines;    /* --lines: record the template index of every line in per_line */
    uint32_t *per_line;
    size_t nper, capper;
    uint64_t unmatched;
    uint64_t text_files;
} run;

static int mine_bundle(const char *bundle, const cb_bundle_opts *opts, run *r, cb_error *err)
{
    cb_bundle *b = NULL;
    int rc = CB_OK;
    if ((rc = cb_bundle_open(bundle, opts, &b, err)) != CB_OK)
        return rc;
    cli_progress prog;
    cli_progress_init(&prog);
    const cb_file *f;
    int nr;
    while ((nr = cb_bundle_next(b, &f, err)) > 0) {
        cb_line L;
        int lr;
        char *path = strdup(f->path);
        if (!path) {
            nr = cb_error_set(err, CB_ENOMEM, "out of memory");
            break;
        }
        bool any = false;
        cb_time_kind kind = f->time_format.kind;
        while ((lr = cb_bundle_next_line(b, &L, err)) > 0) {
            cb_slice content, level;
            cb_logfmt_fields fl;
            any = true;
            if (r->lf) {
                if (cb_logfmt_match(r->lf, L.text, L.len, &fl)) {
                    content = fl.content;
                    level = fl.level;
                } else {
                    r->unmatched++;
                    strip_header(kind, L.text, L.len, &content, &level);
                }
            } else {
                strip_header(kind, L.text, L.len, &content, &level);
            }
            uint32_t ix;
            if ((lr = cb_mine_add(r->m, content.p, content.n, level.p, level.n,
                                  L.has_time ? L.time_ms : CB_MINE_NO_TIME, path, L.no, &ix, err)) != CB_OK)
                break;
            if (r->want_lines) {
                if (r->nper == r->capper) {
                    size_t cap = r->capper ? r->capper * 2 : 4096;
                    uint32_t *p = realloc(r->per_line, cap * sizeof *p);
                    if (!p) {
                        lr = cb_error_set(err, CB_ENOMEM, "out of memory");
                        break;
                    }
                    r->per_line = p;
                    r->capper = cap;
                }
                r->per_line[r->nper++] = ix;
            }
            if ((L.no & 0xffff) == 0)
                cli_progress_update(&prog, "casebook: mine: %llu lines, %zu templates ...",
                                    (unsigned long long)cb_mine_lines(r->m), cb_mine_count(r->m));
        }
        free(path);
        r->text_files += any;
        if (lr < 0) {
            nr = lr;
            break;
        }
    }
    cli_progress_done(&prog);
    for (size_t i = 0; i < cb_bundle_warning_count(b); i++) {
        const cb_warning *w = cb_bundle_warning_at(b, i);
        if (!w->notice)
            cli_warning("%s: %s", w->path, w->message);
    }
    cb_bundle_close(b);
    return nr < 0 ? nr : CB_OK;
}

typedef struct ranked {
    const cb_mine *m;
    uint32_t *ix;
    size_t n;
} ranked;

static const cb_mine *sort_m;
static int by_rank(const void *a, const void *b)
{
    cb_mine_template x, y;
    cb_mine_get(sort_m, *(const uint32_t *)a, &x);
    cb_mine_get(sort_m, *(const uint32_t *)b, &y);
    if (x.worst != y.worst)
        return x.worst > y.worst ? -1 : 1;
    if (x.count != y.count)
        return x.count > y.count ? -1 : 1;
    return strcmp(x.id, y.id);
}

/* Write every line's template to fp (opened before mining, so that a bad path fails at once) and close it. */
static bool write_lines(FILE *fp, const char *path, const run *r)
{
    for (size_t i = 0; i < r->nper; i++) {
        cb_mine_template t = {0};
        if (r->per_line[i] != CB_MINE_OVERFLOW)
            cb_mine_get(r->m, r->per_line[i], &t);
        fprintf(fp, "%zu\t%s\n", i + 1, t.text ? t.text : "(overflow)");
    }
    if (fflush(fp) != 0 || ferror(fp)) {
        cli_error("mine: %s: %s", path, strerror(errno));
        fclose(fp);
        return false;
    }
    if (fclose(fp) != 0) {
        cli_error("mine: %s: %s", path, strerror(errno));
        return false;
    }
    return true;
}

static json_t *json_time(int64_t ms)
{
    char iso[40];
    return ms == CB_MINE_NO_TIME ? json_null() : json_string(cb_time_format_iso(ms, iso, sizeof iso));
}

static int print_json(const char *bundle, const run *r, const ranked *k)
{
    json_t *arr = json_array(), *root;
    for (size_t i = 0; arr && i < k->n; i++) {
        cb_mine_template t;
        cb_mine_get(r->m, k->ix[i], &t);
        json_t *lv = json_object();
        for (int l = 0; lv && l < CB_MINE_LEVEL__COUNT; l++)
            if (t.levels[l])
                json_object_set_new(lv, l == 0 ? "other" : level_name((cb_mine_level)l),
                                    json_integer((json_int_t)t.levels[l]));
        json_array_append_new(
            arr, json_pack("{s:s, s:o, s:I, s:s, s:o, s:o, s:o, s:{s:o, s:I, s:o}}", "id", t.id, "template",
                           cli_json_text(t.text, strlen(t.text)), "count", (json_int_t)t.count, "level",
                           level_name(t.worst), "levels", lv, "first", json_time(t.first_ms), "last",
                           json_time(t.last_ms), "example", "file",
                           cli_json_text(t.example_file, strlen(t.example_file)), "line",
                           (json_int_t)t.example_line, "text", cli_json_text(t.example, strlen(t.example))));
    }
    root = json_pack("{s:o, s:I, s:I, s:I, s:I, s:o}", "bundle", cli_json_text(bundle, strlen(bundle)), "lines",
                     (json_int_t)cb_mine_lines(r->m), "templates", (json_int_t)cb_mine_count(r->m), "overflow",
                     (json_int_t)cb_mine_overflow(r->m), "unmatched_header", (json_int_t)r->unmatched, "shown",
                     arr);
    char *s = root ? cb_json_dump(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    if (!s) {
        cli_error("mine: out of memory");
        return CLI_USAGE;
    }
    puts(s);
    free(s);
    return CLI_OK;
}

static void print_text(const char *bundle, const run *r, const ranked *k, size_t shown)
{
    char g1[32], g2[32];
    fputs("mine: ", stdout);
    cli_put_safe(bundle, strlen(bundle));
    printf(": %s lines, %s templates", cli_group_digits(cb_mine_lines(r->m), g1, sizeof g1),
           cli_group_digits(cb_mine_count(r->m), g2, sizeof g2));
    if (cb_mine_overflow(r->m))
        printf(", %s lines over the template cap", cli_group_digits(cb_mine_overflow(r->m), g1, sizeof g1));
    printf(shown < k->n ? "; the first %zu of %zu shown\n\n" : "\n\n", shown, k->n);
    if (shown)
        printf("%9s  %-7s  %-16s  %s\n", "COUNT", "LEVEL", "ID", "TEMPLATE");
    else
        puts("no template at this level");
    for (size_t i = 0; i < shown; i++) {
        cb_mine_template t;
        cb_mine_get(r->m, k->ix[i], &t);
        printf("%9s  %-7s  %s  ", cli_group_digits(t.count, g1, sizeof g1), level_name(t.worst), t.id);
        cli_put_safe(t.text, strlen(t.text));
        putchar('\n');
    }
}

static int print_md(const char *bundle, const run *r, const ranked *k, size_t shown)
{
    cb_buf b;
    char g[32];
    int rc = CLI_OK;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    cb_buf_puts(&b, "# Templates of ");
    cli_md_cell(&b, bundle);
    cb_buf_printf(&b, "\n\n%s lines, ", cli_group_digits(cb_mine_lines(r->m), g, sizeof g));
    cb_buf_printf(&b, "%s templates", cli_group_digits(cb_mine_count(r->m), g, sizeof g));
    if (cb_mine_overflow(r->m))
        cb_buf_printf(&b, ", %s lines over the template cap", cli_group_digits(cb_mine_overflow(r->m), g, sizeof g));
    cb_buf_puts(&b, ".\n\n| count | level | id | template | example |\n|---:|---|---|---|---|\n");
    for (size_t i = 0; i < shown; i++) {
        cb_mine_template t;
        cb_mine_get(r->m, k->ix[i], &t);
        cb_buf_printf(&b, "| %s | %s | `%s` | ", cli_group_digits(t.count, g, sizeof g), level_name(t.worst), t.id);
        cli_md_cell(&b, t.text);
        cb_buf_puts(&b, " | ");
        cli_md_code(&b, t.example_file);
        if (cb_buf_printf(&b, ":%llu |\n", (unsigned long long)t.example_line) != CB_OK)
            rc = CLI_USAGE;
    }
    if (rc == CLI_OK && b.data)
        fwrite(b.data, 1, b.len, stdout);
    else if (rc != CLI_OK)
        cli_error("mine: out of memory");
    cb_buf_release(&b);
    return rc;
}

int cmd_mine(const cli_cmd *cmd, int argc, char **argv)
{
    cli_parser p;
    cli_format fmt = FMT_TEXT;
    cb_bundle_opts opts;
    const char *arg, *lines_path = NULL, *log_format = NULL;
    int id, rc = CLI_USAGE;
    uint64_t top = 20;
    cb_mine_level min_level = CB_MINE_LEVEL_OTHER;
    run r = {0};
    ranked k = {0};
    cb_error err;
    FILE *lines_fp = NULL;

    cb_bundle_opts_init(&opts);
    cli_parser_init(&p, argc, argv);
    while ((id = cli_getopt(&p, cmd, &arg)) != 0) {
        switch (id) {
        case CLI_STOP:
            rc = p.stop;
            goto out;
        case OPT_FORMAT:
            if (!(fmt = cli_parse_format(arg, FMT_TEXT | FMT_JSON | FMT_MD))) {
                rc = cli_usage_error(cmd, "unknown format '%s' (text, json or md)", arg);
                goto out;
            }
            break;
        case OPT_TOP:
            if (!cli_parse_uint(arg, &top)) {
                rc = cli_usage_error(cmd, "--top: '%s' is not a number", arg);
                goto out;
            }
            break;
        case OPT_LEVEL:
            if (strcmp(arg, "error") == 0)
                min_level = CB_MINE_LEVEL_ERROR;
            else if (strcmp(arg, "warning") == 0)
                min_level = CB_MINE_LEVEL_WARNING;
            else if (strcmp(arg, "all") == 0)
                min_level = CB_MINE_LEVEL_OTHER;
            else {
                rc = cli_usage_error(cmd, "--level: '%s' is not error, warning or all", arg);
                goto out;
            }
            break;
        case OPT_LOG_FORMAT:
            log_format = arg;
            break;
        case OPT_LINES:
            lines_path = arg;
            break;
        default:
            if (cli_bundle_arg(cmd, id, arg, &opts) != 1)
                goto out;
        }
    }
    if (p.noperands != 1) {
        rc = p.noperands == 0 ? cli_usage_error(cmd, "missing BUNDLE")
                              : cli_usage_error(cmd, "expected one BUNDLE, got %d", p.noperands);
        goto out;
    }
    if (log_format && cb_logfmt_compile(log_format, &r.lf, &err) != CB_OK) {
        rc = cli_usage_error(cmd, "--log-format: %s", err.msg);
        goto out;
    }
    if (cb_mine_new(NULL, &r.m, &err) != CB_OK) {
        cli_print_error(&err);
        goto out;
    }
    r.want_lines = lines_path != NULL;
    if (lines_path && !(lines_fp = fopen(lines_path, "w"))) {
        cli_error("mine: %s: %s", lines_path, strerror(errno));
        goto out;
    }
    const char *bundle = p.operands[0];
    if (mine_bundle(bundle, &opts, &r, &err) != CB_OK) {
        cli_print_error(&err);
        goto out;
    }
    if (cb_mine_lines(r.m) == 0) {
        cli_error("mine: %s: nothing could be read: no text line in it", bundle);
        goto out;
    }
    if (r.unmatched)
        cli_warning("mine: %llu lines do not match the --log-format; mined without their detected header",
                    (unsigned long long)r.unmatched);
    if (lines_fp) {
        bool ok = write_lines(lines_fp, lines_path, &r);
        lines_fp = NULL;
        if (!ok)
            goto out;
    }
    if (!(k.ix = malloc((cb_mine_count(r.m) + 1) * sizeof *k.ix))) {
        cli_error("mine: out of memory");
        goto out;
    }
    for (size_t i = 0; i < cb_mine_count(r.m); i++) {
        cb_mine_template t;
        cb_mine_get(r.m, i, &t);
        if (t.worst >= min_level)
            k.ix[k.n++] = (uint32_t)i;
    }
    sort_m = r.m;
    qsort(k.ix, k.n, sizeof *k.ix, by_rank);
    size_t shown = top == 0 || top > k.n ? k.n : (size_t)top;
    ranked shownk = {r.m, k.ix, shown};
    if (fmt == FMT_JSON)
        rc = print_json(bundle, &r, &shownk);
    else if (fmt == FMT_MD)
        rc = print_md(bundle, &r, &k, shown);
    else {
        cli_fit fit;
        cli_fit_begin(&fit);
        print_text(bundle, &r, &k, shown);
        cli_fit_end(&fit);
        rc = CLI_OK;
    }
    rc = cli_finish_output(rc);
out:
    if (lines_fp)
        fclose(lines_fp);
    free(k.ix);
    free(r.per_line);
    cb_logfmt_free(r.lf);
    cb_mine_free(r.m);
    cli_parser_release(&p);
    return rc;
}
