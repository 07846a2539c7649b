/*
 * unread.c — "nothing read must not look like nothing found": what triage
 * and grep say about the files of a bundle that could not be read.  Built
 * only from the scan result's per-file status (cb_file_status) and the
 * bundle reader's reason for it, never from the text of warnings.
 */
#include <stdlib.h>
#include <string.h>

#include "casebook/utf8.h"
#include "cli/cli.h"

enum { MAX_LISTED = 20 };

/* Listed as not read: partial, unreadable and binary files (empty ones hold nothing to read). */
static bool listed(cb_file_status st)
{
    return st == CB_FILE_PARTIAL || st == CB_FILE_UNREADABLE || st == CB_FILE_BINARY;
}

static const char *why(const cb_scan_file *f)
{
    if (f->problem)
        return f->problem;
    return f->status == CB_FILE_BINARY ? "not text" : cb_file_status_name(f->status);
}

bool cli_nothing_read(const char *cmdname, const char *bundle, const cb_scan_result *r)
{
    size_t n[CB_FILE_UNREADABLE + 1] = {0};
    const cb_scan_file *first_bad = NULL;
    for (size_t i = 0; i < r->nfiles; i++) {
        const cb_scan_file *f = &r->files[i];
        if ((unsigned)f->status <= CB_FILE_UNREADABLE)
            n[f->status]++;
        if (f->status == CB_FILE_OK || f->status == CB_FILE_PARTIAL)
            return false;
        if (!first_bad && f->status == CB_FILE_UNREADABLE)
            first_bad = f;
    }
    fflush(stdout);
    fprintf(stderr, "casebook: %s: ", cmdname);
    cli_put_name(stderr, bundle);
    fputs(": nothing could be read: ", stderr);
    if (r->nfiles == 0) {
        /* No file at all: an empty folder or archive, or an archive that failed before its first member. */
        const cb_warning *w = NULL, *notice = NULL;
        for (size_t i = 0; i < r->nwarnings && !w; i++) {
            if (!r->warnings[i].notice)
                w = &r->warnings[i];
            else if (!notice)
                notice = &r->warnings[i];
        }
        if (w || notice) {
            cli_put_name(stderr, (w ? w : notice)->path);
            fputs(": ", stderr);
            cli_put_name(stderr, (w ? w : notice)->message);
        } else {
            fputs("the bundle holds no files", stderr);
        }
        fputc('\n', stderr);
        return true;
    }
    if (r->nfiles == 1)
        fputs("its only file is", stderr);
    else
        fprintf(stderr, "none of its %zu files holds a readable line:", r->nfiles);
    const char *sep = " ";
    static const char *const what[] = {"", "empty", "binary", "", "unreadable"};
    for (int s = CB_FILE_EMPTY; s <= CB_FILE_UNREADABLE; s++) {
        if (!n[s])
            continue;
        if (r->nfiles == 1)
            fprintf(stderr, "%s%s", sep, what[s]);
        else
            fprintf(stderr, "%s%zu %s", sep, n[s], what[s]);
        sep = ", ";
    }
    if (first_bad) {
        fputs(" (", stderr);
        cli_put_name(stderr, first_bad->path);
        fputs(": ", stderr);
        cli_put_name(stderr, why(first_bad));
        fputc(')', stderr);
    }
    fputc('\n', stderr);
    return true;
}

size_t cli_unread_count(const cb_scan_result *r)
{
    size_t k = 0;
    for (size_t i = 0; i < r->nfiles; i++)
        k += listed(r->files[i].status);
    return k;
}

void cli_print_unread(const cb_scan_result *r, const char *y, const char *z)
{
    size_t k = cli_unread_count(r), shown = 0;
    if (k) {
        printf("%snot read:%s %zu of %zu file%s\n", y, z, k, r->nfiles, r->nfiles == 1 ? "" : "s");
        for (size_t i = 0; i < r->nfiles; i++) {
            const cb_scan_file *f = &r->files[i];
            if (!listed(f->status))
                continue;
            if (shown++ == MAX_LISTED) {
                printf("  ... and %zu more (casebook ls lists them all)\n", k - MAX_LISTED);
                break;
            }
            printf("  ");
            cli_put_safe(f->path, strlen(f->path));
            printf(": %s: ", cb_file_status_name(f->status));
            cli_put_safe(why(f), strlen(why(f)));
            putchar('\n');
        }
    }
    if (r->files_unmatched)
        printf("%snot searched:%s %llu text file%s that no signature's files glob selects (--all-files searches "
               "them)\n",
               y, z, (unsigned long long)r->files_unmatched, r->files_unmatched == 1 ? "" : "s");
}

json_t *cli_json_unread(const cb_scan_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < r->nfiles; i++) {
        const cb_scan_file *f = &r->files[i];
        if (!listed(f->status))
            continue;
        json_array_append_new(a, json_pack("{s:o, s:s, s:o}", "path", cli_json_text(f->path, strlen(f->path)),
                                           "status", cb_file_status_name(f->status), "reason",
                                           cli_json_text(why(f), strlen(why(f)))));
    }
    return a;
}
