/*
 * cmd_ls.c — `casebook ls BUNDLE`: the inventory an engineer wants first.
 * Every file with its size, line count, encoding, timestamp format and time
 * span; totals; and every warning about what was skipped or refused.
 */
#include <stdlib.h>
#include <string.h>

#include "casebook/json.h"
#include "casebook/bundle.h"
#include "casebook/utf8.h"
#include "cli/cli.h"

enum { OPT_FORMAT = CLI_OPT_OWN };

static const cli_opt ls_opts[] = {
    {OPT_FORMAT, 'f', "format", ARG_STRING, "FMT", "output format: text (default), json or md"},
    CLI_BUNDLE_OPTS,
    CLI_OPTION_HELP,
    {0, 0, NULL, ARG_NONE, NULL, NULL},
};

const cli_cmd cli_cmd_ls = {
    .name = "ls",
    .run = cmd_ls,
    .summary = "list the files of a log bundle: sizes, lines, encodings, time spans",
    .synopsis = "BUNDLE [options]",
    .description =
        "BUNDLE is a directory, an archive (zip, tar, tar.gz, tar.bz2, tar.xz, tar.zst, 7z) or a single\n"
        "file, compressed or not.  Archives inside it are opened in place up to --max-depth levels.\n"
        "Files that cannot be read, and members that are damaged or refused, are reported as warnings;\n"
        "the rest of the bundle is still listed.  Exit status: 0, or 2 when BUNDLE cannot be opened.",
    .opts = ls_opts,
};

typedef struct row {
    char *path;
    cb_file f; /* copy; f.path not used */
} row;

typedef struct rows {
    row *v;
    size_t n, cap;
} rows;

static bool rows_add(rows *r, const cb_file *f)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        row *p = realloc(r->v, cap * sizeof *p);
        if (!p)
            return false;
        r->v = p;
        r->cap = cap;
    }
    r->v[r->n].path = strdup(f->path);
    if (!r->v[r->n].path)
        return false;
    r->v[r->n].f = *f;
    r->n++;
    return true;
}

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].path);
    free(r->v);
}

/* "2024-03-12 10:15:32" in the display zone (--tz) for the text and Markdown tables. */
static const char *short_time(const cb_file *f, bool last, char *buf, size_t size)
{
    if (!f->has_time)
        return "-";
    return cli_time(last ? f->last_ms : f->first_ms, buf, size);
}

static const char *time_name(const cb_file *f)
{
    return f->encoding == CB_ENC_BINARY ? "-" : cb_time_kind_name(f->time_format.kind);
}

/* Display columns of s as cli_put_safe shows it. */
static size_t shown_columns(const char *s)
{
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    size_t n = cb_utf8_sanitize(&b, s, strlen(s), false) == CB_OK
                   ? cb_utf8_columns(b.data ? b.data : "", b.len)
                   : strlen(s);
    cb_buf_release(&b);
    return n;
}

static void print_text(const char *bundle, const rows *r, const cb_bundle_stats *tot, const cb_bundle *b)
{
    bool colour = cli_colour_stdout();
    bool archives = false;
    size_t wpath = 4;
    for (size_t i = 0; i < r->n; i++) {
        size_t l = shown_columns(r->v[i].path);
        if (l > wpath)
            wpath = l;
        if (r->v[i].f.depth > 0)
            archives = true;
    }
    char a[32], c[32], d[32], e[32], first[96], last[96];
    snprintf(first, sizeof first, "FIRST (%s)", cli_tz_name());
    snprintf(last, sizeof last, "LAST (%s)", cli_tz_name());
    int tw = strlen(first) > 19 ? (int)strlen(first) : 19; /* a zone name may be wider than the times */
    printf("%s%-*s %10s%s %11s  %-9s %-4s  %-8s  %-*s  %s%s\n", colour ? CLI_BOLD : "", (int)wpath, "FILE",
           "SIZE", archives ? "     STORED" : "", "LINES", "ENCODING", "EOL", "TIME", tw, first, last,
           colour ? CLI_RESET : "");
    for (size_t i = 0; i < r->n; i++) {
        const cb_file *f = &r->v[i].f;
        bool bin = f->encoding == CB_ENC_BINARY;
        cli_put_safe(r->v[i].path, strlen(r->v[i].path));
        size_t l = shown_columns(r->v[i].path); /* columns, not bytes: UTF-8 names line up */
        printf("%*s %10s", (int)(l < wpath ? wpath - l : 0) + 1, "", cli_human_bytes(f->bytes, a, sizeof a));
        if (archives)
            printf(" %10s", cli_human_bytes(f->stored_bytes, e, sizeof e));
        printf(" %11s  %-9s %-4s  %-8s  %-*s  %s", bin ? "-" : cli_group_digits(f->lines, c, sizeof c),
               cb_encoding_name(f->encoding), bin ? "-" : cb_eol_name(f->eol), time_name(f), tw,
               short_time(f, false, d, sizeof d), short_time(f, true, e, sizeof e));
        if (f->incomplete)
            printf("  %s(incomplete)%s", colour ? CLI_YELLOW : "", colour ? CLI_RESET : "");
        if (f->truncated)
            printf("  (%llu long line%s cut)", (unsigned long long)f->truncated, f->truncated == 1 ? "" : "s");
        putchar('\n');
    }
    size_t nbin = 0;
    for (size_t i = 0; i < r->n; i++)
        nbin += r->v[i].f.encoding == CB_ENC_BINARY;
    putchar('\n');
    cli_put_safe(bundle, strlen(bundle));
    printf(": %llu file%s", (unsigned long long)tot->files, tot->files == 1 ? "" : "s");
    if (nbin)
        printf(" (%zu binary, not read)", nbin);
    printf(", %s, %s line%s\n", cli_human_bytes(tot->bytes, a, sizeof a), cli_group_digits(tot->lines, c, sizeof c),
           tot->lines == 1 ? "" : "s");
    size_t nw = cb_bundle_warning_count(b);
    if (nw) {
        printf("\n%swarnings:%s\n", colour ? CLI_YELLOW : "", colour ? CLI_RESET : "");
        for (size_t i = 0; i < nw; i++) {
            const cb_warning *w = cb_bundle_warning_at(b, i);
            printf("  ");
            cli_put_safe(w->path, strlen(w->path));
            printf(": ");
            cli_put_safe(w->message, strlen(w->message));
            putchar('\n');
        }
        if (cb_bundle_warnings_dropped(b))
            printf("  ... and %llu more\n", (unsigned long long)cb_bundle_warnings_dropped(b));
    }
}

static json_t *jtime(const cb_file *f, bool last)
{
    if (!f->has_time)
        return json_null();
    char iso[40];
    return json_string(cb_time_format_iso(last ? f->last_ms : f->first_ms, iso, sizeof iso));
}

/*
 * JSON is streamed: each file's object is written as soon as the file is
 * read, so memory does not grow with the number of members.  The output is
 * what json_dumpf(JSON_INDENT(2) | JSON_PRESERVE_ORDER) gives for the whole
 * document: each piece is dumped on its own and re-indented to its depth
 * (JSON strings hold no raw newline, so every '\n' is a line break).
 */
static bool put_json(json_t *v, int indent)
{
    if (!v)
        return false;
    char *s = cb_json_dump(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    json_decref(v);
    if (!s)
        return false;
    for (const char *p = s; *p; p++) {
        putchar(*p);
        if (*p == '\n')
            printf("%*s", indent, "");
    }
    free(s);
    return true;
}

typedef struct json_ls {
    size_t nfiles; /* file objects written */
    bool ok;       /* false once a piece could not be built */
} json_ls;

static void json_begin(json_ls *j, const char *bundle)
{
    j->nfiles = 0;
    j->ok = true;
    printf("{\n  \"bundle\": ");
    j->ok &= put_json(cli_json_text(bundle, strlen(bundle)), 2);
    printf(",\n  \"files\": [");
}

static void json_file(json_ls *j, const cb_file *f)
{
    bool bin = f->encoding == CB_ENC_BINARY;
    json_t *o = json_pack("{s:o, s:I, s:I, s:I, s:s, s:b, s:s, s:o, s:o, s:o, s:I, s:I, s:b}", "path",
                          cli_json_text(f->path, strlen(f->path)), "bytes", (json_int_t)f->bytes, "stored_bytes",
                          (json_int_t)f->stored_bytes, "lines", (json_int_t)f->lines, "encoding",
                          cb_encoding_name(f->encoding), "binary", bin, "eol", cb_eol_name(f->eol), "time_format",
                          bin || f->time_format.kind == CB_TIME_NONE ? json_null()
                                                                     : json_string(cb_time_kind_name(f->time_format.kind)),
                          "first_time", jtime(f, false), "last_time", jtime(f, true), "depth", (json_int_t)f->depth,
                          "truncated_lines", (json_int_t)f->truncated, "incomplete", f->incomplete);
    if (o)
        json_object_set_new(o, "utc_offset_minutes",
                            f->has_utc_offset ? json_integer((json_int_t)(f->utc_offset_ms / 60000)) : json_null());
    printf("%s\n    ", j->nfiles++ ? "," : "");
    j->ok &= put_json(o, 4);
}

static int json_end(json_ls *j, const cb_bundle_stats *tot, const cb_bundle *b)
{
    printf(j->nfiles ? "\n  ],\n  \"totals\": " : "],\n  \"totals\": ");
    j->ok &= put_json(json_pack("{s:I, s:I, s:I, s:I}", "files", (json_int_t)tot->files, "bytes",
                                (json_int_t)tot->bytes, "lines", (json_int_t)tot->lines, "stored_bytes",
                                (json_int_t)tot->stored_bytes),
                      2);
    printf(",\n  \"warnings\": ");
    json_t *warns = json_array();
    size_t nw = cb_bundle_warning_count(b);
    for (size_t i = 0; i < nw && warns; i++) {
        const cb_warning *w = cb_bundle_warning_at(b, i);
        json_t *o = json_pack("{s:o, s:o, s:b}", "path", cli_json_text(w->path, strlen(w->path)), "message",
                              cli_json_text(w->message, strlen(w->message)), "notice", w->notice);
        if (!o || json_array_append_new(warns, o))
            j->ok = false;
    }
    j->ok &= put_json(warns, 2);
    printf(",\n  \"warnings_dropped\": %llu\n}\n", (unsigned long long)cb_bundle_warnings_dropped(b));
    if (!j->ok) {
        cli_error("ls: out of memory while writing JSON");
        return CLI_USAGE;
    }
    return CLI_OK;
}

static void print_md(const char *bundle, const rows *r, const cb_bundle_stats *tot, const cb_bundle *b)
{
    cb_buf out;
    cb_buf_init(&out, CB_BUF_UNLIMITED);
    char a[32], c[32], d[32], e[32];
    char *name = cb_bundle_name(bundle); /* Markdown goes into tickets: no local path */
    cb_buf_puts(&out, "## Bundle ");
    cli_md_code(&out, name ? name : "bundle");
    free(name);
    cb_buf_printf(&out, "\n\n| File | Size | Lines | Encoding | Time format | First (%s) | Last (%s) |\n"
                        "|---|---:|---:|---|---|---|---|\n", cli_tz_name(), cli_tz_name());
    for (size_t i = 0; i < r->n; i++) {
        const cb_file *f = &r->v[i].f;
        bool bin = f->encoding == CB_ENC_BINARY;
        cb_buf_puts(&out, "| ");
        cli_md_cell(&out, r->v[i].path);
        cb_buf_printf(&out, " | %s | %s | %s | %s | %s | %s |\n", cli_human_bytes(f->bytes, a, sizeof a),
                      bin ? "-" : cli_group_digits(f->lines, c, sizeof c), cb_encoding_name(f->encoding),
                      time_name(f), short_time(f, false, d, sizeof d), short_time(f, true, e, sizeof e));
    }
    cb_buf_printf(&out, "\n**Totals:** %llu files, %s, %s lines\n", (unsigned long long)tot->files,
                  cli_human_bytes(tot->bytes, a, sizeof a), cli_group_digits(tot->lines, c, sizeof c));
    size_t nw = cb_bundle_warning_count(b);
    if (nw) {
        cb_buf_puts(&out, "\n### Warnings\n\n");
        for (size_t i = 0; i < nw; i++) {
            const cb_warning *w = cb_bundle_warning_at(b, i);
            cb_buf_puts(&out, "- ");
            cli_md_code(&out, w->path);
            cb_buf_puts(&out, ": ");
            cli_md_cell(&out, w->message);
            cb_buf_putc(&out, '\n');
        }
    }
    if (out.len)
        fwrite(out.data, 1, out.len, stdout);
    cb_buf_release(&out);
}

int cmd_ls(const cli_cmd *cmd, int argc, char **argv)
{
    cli_parser p;
    cli_format fmt = FMT_TEXT;
    cb_bundle_opts opts;
    const char *arg;
    int id, rc = CLI_USAGE;
    cb_bundle *b = NULL;
    rows r = {0};
    cb_error err;

    cb_bundle_opts_init(&opts);
    cli_parser_init(&p, argc, argv);
    while ((id = cli_getopt(&p, cmd, &arg)) != 0) {
        if (id == CLI_STOP) {
            rc = p.stop;
            goto out;
        }
        if (id == OPT_FORMAT) {
            if (!(fmt = cli_parse_format(arg, FMT_TEXT | FMT_JSON | FMT_MD))) {
                rc = cli_usage_error(cmd, "unknown format '%s' (text, json or md)", arg);
                goto out;
            }
            continue;
        }
        int r2 = cli_bundle_arg(cmd, id, arg, &opts);
        if (r2 != 1) {
            rc = CLI_USAGE;
            goto out;
        }
    }
    if (p.noperands == 0) {
        rc = cli_usage_error(cmd, "missing BUNDLE");
        goto out;
    }
    if (p.noperands > 1) {
        rc = cli_usage_error(cmd, "expected one BUNDLE, got %d", p.noperands);
        goto out;
    }
    const char *bundle = p.operands[0];
    if (cb_bundle_open(bundle, &opts, &b, &err)) {
        cli_print_error(&err);
        goto out;
    }

    cli_progress prog;
    cli_progress_init(&prog);
    const cb_file *f;
    int nr;
    json_ls js = {0, true};
    if (fmt == FMT_JSON)
        json_begin(&js, bundle);
    while ((nr = cb_bundle_next(b, &f, &err)) > 0) {
        cb_chunk c;
        int cr;
        while ((cr = cb_bundle_read(b, &c, &err)) > 0) {
            cb_bundle_stats s;
            cb_bundle_get_stats(b, &s);
            char hb[32];
            cli_progress_update(&prog, "casebook: ls: %llu files, %s read ...", (unsigned long long)s.files,
                                cli_human_bytes(s.bytes + f->bytes, hb, sizeof hb));
        }
        if (cr < 0) {
            nr = cr;
            break;
        }
        if (fmt == FMT_JSON) {
            json_file(&js, f); /* streamed: nothing kept per file */
            continue;
        }
        if (!rows_add(&r, f)) {
            cb_error_set(&err, CB_ENOMEM, "out of memory");
            nr = CB_ENOMEM;
            break;
        }
    }
    cli_progress_done(&prog);
    if (nr < 0) {
        cli_print_error(&err);
        goto out;
    }
    cb_bundle_stats tot;
    cb_bundle_get_stats(b, &tot);
    if (fmt == FMT_JSON)
        rc = json_end(&js, &tot, b);
    else if (fmt == FMT_MD)
        (print_md(bundle, &r, &tot, b), rc = CLI_OK);
    else {
        cli_fit fit; /* on a terminal, rows longer than it are cut with … */
        cli_fit_begin(&fit);
        print_text(bundle, &r, &tot, b);
        cli_fit_end(&fit);
        rc = CLI_OK;
    }
    rc = cli_finish_output(rc);
out:
    rows_free(&r);
    cb_bundle_close(b);
    cli_parser_release(&p);
    return rc;
}
