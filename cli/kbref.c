/*
 * kbref.c — the knowledge base where a command mentions an article (triage's
 * findings, a walk's conclusion): the article's title and state from the
 * store, and a warning when it is not one to hand out as it is (wip,
 * archived, or missing from the store).  Only when a database is in use:
 * these commands read the store but never create one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "casebook/kb.h"
#include "cli/cli.h"

cb_store *cli_kb_open_existing(const char *cmdname)
{
    cb_error err;
    char *def = NULL;
    const char *path = cli_ctx.db;
    bool named = path != NULL;
    if (!path) {
        const char *env = getenv("CASEBOOK_DB");
        named = env && *env;
        if (cb_store_default_path(&def, &err) != CB_OK)
            return NULL; /* nowhere to look: no database in use */
        path = def;
    }
    struct stat sb;
    cb_store *s = NULL;
    if (stat(path, &sb) != 0) {
        /* The default file not being there just means no database; one that was named should be. */
        if (named)
            cli_warning("%s: no database at %s (it is not created here): articles are not looked up", cmdname,
                        path);
    } else if (cb_store_open(path, NULL, &s, &err) != CB_OK) {
        cli_warning("%s: %s%s%s: articles are not looked up", cmdname, err.file[0] ? err.file : "",
                    err.file[0] ? ": " : "", err.msg);
        s = NULL;
    }
    free(def);
    return s;
}

const char *cli_finding_article(const cb_finding *f)
{
    const cb_playbook *pb = f->pb;
    int stop = f->walk.stop_node;
    if (f->walk.stop == CB_WALK_CONCLUDED && stop >= 0 && (size_t)stop < pb->nnodes && pb->nodes[stop].article.s)
        return pb->nodes[stop].article.s;
    return pb->article.s;
}

cb_article *cli_kb_lookup(cb_store *s, const char *cmdname, const char *id)
{
    cb_article *a = NULL;
    cb_error err;
    if (!s || !id)
        return NULL;
    cb_status st = cb_kb_get(s, id, &a, NULL, &err);
    if (st != CB_OK && st != CB_ENOTFOUND)
        cli_warning("%s: article %s: %s", cmdname, id, err.msg);
    return st == CB_OK ? a : NULL;
}

const char *cli_kb_caution(const char *id, const cb_article *a, char *buf, size_t size)
{
    if (!a)
        snprintf(buf, size, "%s is not in the knowledge base", id);
    else if (a->state == CB_KB_WIP)
        snprintf(buf, size, "%s is wip: its resolution is not established yet", id);
    else if (a->state == CB_KB_ARCHIVED)
        snprintf(buf, size, "%s is archived: it may no longer apply", id);
    else
        return NULL;
    return buf;
}

void cli_kb_put_text(cb_store *s, const char *cmdname, const char *id, const char *indent, const char *y,
                     const char *z)
{
    if (!s || !id)
        return;
    cb_article *a = cli_kb_lookup(s, cmdname, id);
    char why[160];
    if (a) {
        printf("%sarticle: ", indent);
        cli_put_name(stdout, id);
        printf(" — ");
        cli_put_safe(a->title, strlen(a->title));
        printf(" (%s)\n", cb_kb_state_name(a->state));
    }
    const char *c = cli_kb_caution(id, a, why, sizeof why);
    if (c) {
        printf("%s%swarning:%s ", indent, y, z);
        cli_put_safe(c, strlen(c));
        putchar('\n');
    }
    cb_article_free(a);
}

json_t *cli_kb_json(cb_store *s, const char *cmdname, const char *id)
{
    cb_article *a = cli_kb_lookup(s, cmdname, id);
    if (!a)
        return json_null();
    json_t *o = json_pack("{s:o, s:o, s:s, s:s}", "id", cli_json_text(a->id, strlen(a->id)), "title",
                          cli_json_text(a->title, strlen(a->title)), "state", cb_kb_state_name(a->state),
                          "audience", cb_kb_audience_name(a->audience));
    cb_article_free(a);
    return o;
}

void cli_kb_md(cb_buf *o, cb_store *s, const char *cmdname, const char *id)
{
    if (!s || !id)
        return;
    cb_article *a = cli_kb_lookup(s, cmdname, id);
    char why[160];
    if (a) {
        cb_buf_puts(o, "\n\nArticle ");
        cli_md_cell(o, id);
        cb_buf_puts(o, ": ");
        cli_md_cell(o, a->title);
        cb_buf_printf(o, " (%s)", cb_kb_state_name(a->state));
    }
    const char *c = cli_kb_caution(id, a, why, sizeof why);
    if (c) {
        cb_buf_puts(o, "\n\n**Warning:** ");
        cli_md_cell(o, c);
    }
    cb_article_free(a);
}
