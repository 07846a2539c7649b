/*
 * cmd_kb_write.c — the `casebook kb` actions that change articles: add
 * (from a file, or from a template in $EDITOR, after a search for similar
 * articles), edit (in $EDITOR, refused when someone saved meanwhile), state,
 * flag and history.  The library (kb.h) checks every KCS rule; this file
 * runs the editor, asks on a terminal, keeps the user's text when nothing
 * can be written, and prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "casebook/fileio.h"
#include "cli/cli.h"
#include "cli/kb_write.h"

/* ------------------------------------------------------------------ */
/* The editor and the terminal                                         */
/* ------------------------------------------------------------------ */

static bool interactive(void)
{
    return isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1;
}

/* Ask a yes/no question on the terminal; an empty answer is dflt, end of input is no. */
static bool ask(const char *question, bool dflt)
{
    fprintf(stderr, "%s %s ", question, dflt ? "[Y/n]" : "[y/N]");
    fflush(stderr);
    char line[64];
    if (!fgets(line, sizeof line, stdin))
        return false;
    if (line[0] == '\n')
        return dflt;
    return line[0] == 'y' || line[0] == 'Y';
}

/*
 * Run $EDITOR (else $VISUAL, else vi) on path, through the shell so that an
 * editor given with options ("code --wait") works.  0 when it exited 0.
 */
static int run_editor(const char *what, const char *path)
{
    const char *ed = getenv("EDITOR");
    if (!ed || !*ed)
        ed = getenv("VISUAL");
    if (!ed || !*ed)
        ed = "vi";
    size_t n = strlen(ed) + 8;
    char *cmd = malloc(n);
    if (!cmd) {
        cli_error("%s: out of memory", what);
        return -1;
    }
    snprintf(cmd, n, "%s \"$@\"", ed);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
        _exit(127);
    }
    free(cmd);
    int status = 0;
    if (pid < 0) {
        cli_error("%s: cannot run the editor: %s", what, strerror(errno));
        return -1;
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            cli_error("%s: waiting for the editor: %s", what, strerror(errno));
            return -1;
        }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        cli_error("%s: the editor '%s' failed (%s %d)", what, ed, WIFEXITED(status) ? "exit" : "signal",
                  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return -1;
    }
    return 0;
}

/* A new file "$TMPDIR/casebook-ID-XXXXXX.md" (mode 0600) holding text; its path (heap), or NULL after printing. */
static char *temp_file(const char *what, const char *id, const char *text)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    size_t n = strlen(tmp) + strlen(id) + 32;
    char *path = malloc(n);
    if (!path) {
        cli_error("%s: out of memory", what);
        return NULL;
    }
    snprintf(path, n, "%s/casebook-%s-XXXXXX.md", tmp, id);
    int fd = mkstemps(path, 3);
    if (fd < 0) {
        cli_error("%s: cannot create a file in %s: %s", what, tmp, strerror(errno));
        free(path);
        return NULL;
    }
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    if (close(fd) != 0 || done < len) {
        cli_error("%s: cannot write %s", what, path);
        unlink(path);
        free(path);
        return NULL;
    }
    return path;
}

/*
 * text without its whole-line HTML comments ("<!-- ... -->", the template's
 * hints), into out; map[k] is the line in text of line k+1 of out, so that
 * problems are reported at the lines the user sees.
 */
static bool strip_comments(const char *text, size_t len, cb_buf *out, int **map, size_t *nmap)
{
    int line = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) + 1 : len;
        line++;
        size_t a = i, b = end;
        while (a < b && (text[a] == ' ' || text[a] == '\t'))
            a++;
        while (b > a && (text[b - 1] == '\n' || text[b - 1] == '\r' || text[b - 1] == ' ' || text[b - 1] == '\t'))
            b--;
        bool comment = b - a >= 7 && memcmp(text + a, "<!--", 4) == 0 && memcmp(text + b - 3, "-->", 3) == 0;
        if (!comment) {
            int *m = realloc(*map, (*nmap + 1) * sizeof **map);
            if (!m || cb_buf_append(out, text + i, end - i) != CB_OK) {
                if (m)
                    *map = m;
                return false;
            }
            *map = m;
            (*map)[(*nmap)++] = line;
        }
        i = end;
    }
    return true;
}

static bool blank_text(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r')
            return false;
    return true;
}

typedef enum edit_result {
    ED_OK,        /* *out is the parsed article */
    ED_UNCHANGED, /* the file is as it was given */
    ED_EMPTY,     /* the file holds only blank space */
    ED_FAILED,    /* the editor or a read failed (printed) */
    ED_GAVEUP,    /* the text does not parse and will not be edited again (problems printed) */
} edit_result;

/*
 * Edit path (holding orig) until it parses: after each edit, an unchanged or
 * blank file ends the loop; problems are printed as path:line:col lines and,
 * on a terminal, the user may edit again.  strip: the template's comment
 * lines are not part of the article.
 */
static edit_result edit_loop(const char *what, const char *path, const char *orig, bool strip, cb_article **out)
{
    *out = NULL;
    for (;;) {
        if (run_editor(what, path) != 0)
            return ED_FAILED;
        char *text = NULL;
        size_t len = 0;
        cb_error err;
        if (cb_file_read(path, CB_KB_ARTICLE_MAX, &text, &len, &err) != CB_OK) {
            cli_error("%s: %s", what, err.msg);
            return ED_FAILED;
        }
        if (len == strlen(orig) && memcmp(text, orig, len) == 0) {
            free(text);
            return ED_UNCHANGED;
        }
        if (blank_text(text, len)) {
            free(text);
            return ED_EMPTY;
        }
        cb_buf body;
        cb_buf_init(&body, CB_BUF_UNLIMITED);
        int *map = NULL;
        size_t nmap = 0;
        bool ok = !strip || strip_comments(text, len, &body, &map, &nmap);
        cb_diags d;
        cb_diags_init(&d);
        cb_status st = ok ? cb_article_parse(path, strip ? body.data : text, strip ? body.len : len, out, &d)
                          : CB_ENOMEM;
        for (size_t i = 0; strip && i < d.n; i++)
            if (d.v[i].line > 0 && (size_t)d.v[i].line <= nmap)
                d.v[i].line = map[d.v[i].line - 1];
        free(map);
        cb_buf_release(&body);
        free(text);
        if (st == CB_OK) {
            cb_diags_release(&d);
            return ED_OK;
        }
        if (st != CB_EPARSE) {
            cli_error("%s: %s", what, cb_status_str(st));
            cb_diags_release(&d);
            return ED_FAILED;
        }
        cb_diags_sort(&d);
        cli_print_diags(&d, stderr, "");
        cb_diags_release(&d);
        if (!interactive() || !ask("casebook: edit it again?", true))
            return ED_GAVEUP;
    }
}

/* The text the user wrote is not lost: say where it is. */
static void kept(const char *what, const char *path)
{
    if (path)
        cli_error("%s: nothing written; your text is kept in %s", what, path);
    else
        cli_error("%s: nothing written", what);
}

/* The exit status of a library refusal: 1 for a rule or a save meanwhile, 2 otherwise. */
static int refusal_code(cb_status st)
{
    return st == CB_EREFUSED || st == CB_ECONFLICT ? CLI_FOUND : CLI_USAGE;
}

/* ------------------------------------------------------------------ */
/* kb add                                                              */
/* ------------------------------------------------------------------ */

static char *template_for(const char *id)
{
    static const char *const hints[CB_KB__SECTIONS] = {
        "The situation in the customer's words: symptoms, the error text as it appears.",
        "Product, version, platform, configuration: what is true before and after the fix (needed past wip).",
        "The steps that resolve the issue, or the workaround (needed past wip).",
        "Optional: why it happens; needed before the article can say it is a defect.",
        "Optional: notes never shown outside the support organisation.",
    };
    cb_buf b;
    cb_buf_init(&b, CB_BUF_UNLIMITED);
    char head[512];
    snprintf(head, sizeof head,
             "---\nid: %s\n# title: the main issue and its environment, in the words a searcher would type\n"
             "title: \nstate: wip\naudience: internal\n"
             "# optional: product, versions, tags: [a, b], owner, playbooks: [id], defect\n---\n",
             id);
    bool ok = cb_buf_append(&b, head, strlen(head)) == CB_OK;
    for (int i = 0; ok && i < CB_KB__SECTIONS; i++) {
        char line[256];
        snprintf(line, sizeof line, "## %s\n<!-- %s -->\n", cb_kb_section_name((cb_kb_section)i), hints[i]);
        ok = cb_buf_append(&b, line, strlen(line)) == CB_OK;
    }
    if (!ok || cb_buf_append(&b, "", 1) != CB_OK) {
        cb_buf_release(&b);
        return NULL;
    }
    return cb_buf_detach(&b, NULL);
}

/* Search before you create: 0 go on, else the exit status (similar articles shown and not overridden). */
static int similar_check(cb_store *s, const cb_article *a)
{
    cb_kb_hits h;
    cb_error err;
    if (cb_kb_similar(s, a, 0.5, 3, &h, &err) != CB_OK) {
        cli_error("kb add: %s", err.msg);
        cb_kb_hits_release(&h);
        return CLI_USAGE;
    }
    int rc = CLI_OK;
    if (h.n) {
        printf("similar article%s already in the knowledge base:\n", h.n == 1 ? "" : "s");
        for (size_t i = 0; i < h.n; i++) {
            cb_article *o = NULL;
            printf("%2zu. ", i + 1);
            cli_put_safe(h.hits[i].id, strlen(h.hits[i].id));
            if (cb_kb_get(s, h.hits[i].id, &o, NULL, &err) == CB_OK) {
                fputs("  ", stdout);
                cli_put_safe(o->title, strlen(o->title));
            }
            printf("  (%d%% of the words)\n", (int)(h.hits[i].score * 100 + 0.5));
            cb_article_free(o);
        }
        if (cli_finish_output(CLI_OK) != CLI_OK)
            rc = CLI_USAGE;
        else if (interactive()) {
            char q[128];
            snprintf(q, sizeof q, "casebook: create %s anyway?", a->id);
            if (!ask(q, false)) {
                cli_error("kb add: %s not created", a->id);
                rc = CLI_FOUND;
            }
        } else {
            cli_error("kb add: %s looks like %s; read %s first, or use --force to create it anyway", a->id,
                      h.n == 1 ? "an article already there" : "articles already there",
                      h.n == 1 ? "it" : "them");
            rc = CLI_FOUND;
        }
    }
    cb_kb_hits_release(&h);
    return rc;
}

int cli_kb_add(cb_store *s, const char *file, const char *domain, bool force)
{
    cb_person actor;
    bool fresh = false;
    int rc = cli_actor("kb add", s, &actor, &fresh);
    cb_article *a = NULL;
    char *path = NULL, *tmpl = NULL;
    cb_error err;
    if (rc != CLI_OK)
        goto out;
    rc = CLI_USAGE;
    if (file) {
        char *text = NULL;
        size_t len = 0;
        if (cb_file_read(file, CB_KB_ARTICLE_MAX, &text, &len, &err) != CB_OK) {
            cli_error("kb add: %s", err.msg);
            goto out;
        }
        cb_diags d;
        cb_diags_init(&d);
        cb_status st = cb_article_parse(file, text, len, &a, &d);
        free(text);
        if (st != CB_OK) {
            cb_diags_sort(&d);
            cli_print_diags(&d, stderr, "");
            cli_error("kb add: %zu problem%s; nothing written", d.n, d.n == 1 ? "" : "s");
            cb_diags_release(&d);
            goto out;
        }
        cb_diags_release(&d);
    } else {
        char id[CB_KB_ID_SIZE];
        if (cb_kb_next_id(s, domain ? domain : "GEN", id, &err) != CB_OK) {
            cli_error("kb add: %s", err.msg);
            goto out;
        }
        if (!(tmpl = template_for(id)) || !(path = temp_file("kb add", id, tmpl))) {
            if (!tmpl)
                cli_error("kb add: out of memory");
            goto out;
        }
        edit_result r = edit_loop("kb add", path, tmpl, true, &a);
        switch (r) {
        case ED_OK:
            break;
        case ED_UNCHANGED:
        case ED_EMPTY:
            cli_error("kb add: the template was %s: nothing written", r == ED_EMPTY ? "emptied" : "left unchanged");
            unlink(path);
            free(path);
            path = NULL;
            rc = CLI_FOUND;
            goto out;
        case ED_FAILED:
        case ED_GAVEUP:
            kept("kb add", path);
            goto out;
        }
    }
    if (!force && (rc = similar_check(s, a)) != CLI_OK) {
        if (path)
            kept("kb add", path);
        goto out;
    }
    cb_status st = cb_kb_add(s, a, fresh ? NULL : actor.handle, &err);
    if (st != CB_OK) {
        cli_error("kb add: %s", err.msg);
        rc = refusal_code(st);
        if (path)
            kept("kb add", path);
        goto out;
    }
    printf("created ");
    cli_put_safe(a->id, strlen(a->id));
    printf(" (%s)\n", cb_kb_state_name(a->state));
    if (path) {
        unlink(path);
        free(path);
        path = NULL;
    }
    rc = cli_finish_output(CLI_OK);
out:
    free(path);
    free(tmpl);
    cb_article_free(a);
    cb_person_release(&actor);
    return rc;
}

/* ------------------------------------------------------------------ */
/* kb edit                                                             */
/* ------------------------------------------------------------------ */

int cli_kb_edit(cb_store *s, const char *id, const char *why)
{
    cb_person actor;
    bool fresh = false;
    int rc = cli_actor("kb edit", s, &actor, &fresh);
    cb_article *cur = NULL, *a = NULL;
    char *text = NULL, *path = NULL;
    cb_kb_derived dv;
    cb_error err;
    if (rc != CLI_OK)
        goto out;
    rc = CLI_USAGE;
    if (cb_kb_get(s, id, &cur, &dv, &err) != CB_OK) {
        cli_error("kb edit: %s", err.msg);
        goto out;
    }
    if (!fresh) { /* who may not edit it is told before editing, not after */
        cb_kb_actor who = {actor.handle, (cb_kb_role)(actor.role - CB_ROLE_CANDIDATE)};
        char why_not[CB_ERROR_MSG_MAX];
        if (cb_kb_check_edit(cur, &who, why_not, sizeof why_not) != CB_KB_ALLOWED) {
            cli_error("kb edit: %s", why_not);
            rc = CLI_FOUND;
            goto out;
        }
    } else if (cur->state == CB_KB_ARCHIVED) {
        cb_kb_actor anyone = {NULL, CB_KB_PUBLISHER};
        char why_not[CB_ERROR_MSG_MAX];
        cb_kb_check_edit(cur, &anyone, why_not, sizeof why_not);
        cli_error("kb edit: %s", why_not);
        rc = CLI_FOUND;
        goto out;
    }
    if (!(text = cb_article_format(cur))) {
        cli_error("kb edit: out of memory");
        goto out;
    }
    if (!(path = temp_file("kb edit", cur->id, text)))
        goto out;
    switch (edit_loop("kb edit", path, text, false, &a)) {
    case ED_OK:
        break;
    case ED_UNCHANGED:
        printf("no change to %s; nothing written\n", cur->id);
        unlink(path);
        rc = cli_finish_output(CLI_OK);
        goto out;
    case ED_EMPTY:
        cli_error("kb edit: the file was emptied: nothing written");
        unlink(path);
        rc = CLI_FOUND;
        goto out;
    case ED_FAILED:
    case ED_GAVEUP:
        kept("kb edit", path);
        goto out;
    }
    if (strcmp(a->id, cur->id) != 0) {
        cli_error("kb edit: the id cannot change (%s became %s); add a new article with kb add instead", cur->id,
                  a->id);
        kept("kb edit", path);
        goto out;
    }
    unsigned rev = 0;
    cb_status st = cb_kb_edit(s, a, dv.revisions, fresh ? NULL : actor.handle, why, &rev, &err);
    if (st != CB_OK) {
        cli_error("kb edit: %s", err.msg);
        kept("kb edit", path);
        rc = refusal_code(st);
        goto out;
    }
    unlink(path);
    if (rev == dv.revisions)
        printf("no change to %s; nothing written\n", cur->id);
    else
        printf("saved %s revision %u\n", cur->id, rev);
    rc = cli_finish_output(CLI_OK);
out:
    free(path);
    free(text);
    cb_article_free(cur);
    cb_article_free(a);
    cb_person_release(&actor);
    return rc;
}

/* ------------------------------------------------------------------ */
/* kb state, kb flag                                                   */
/* ------------------------------------------------------------------ */

int cli_kb_state(cb_store *s, const char *id, cb_kb_state to, const char *why, bool force)
{
    cb_person actor;
    bool fresh = false;
    int rc = cli_actor("kb state", s, &actor, &fresh);
    cb_article *cur = NULL;
    cb_error err;
    if (rc == CLI_OK && cb_kb_get(s, id, &cur, NULL, &err) != CB_OK) {
        cli_error("kb state: %s", err.msg);
        rc = CLI_USAGE;
    }
    if (rc == CLI_OK) {
        cb_status st = cb_kb_set_state(s, id, to, fresh ? NULL : actor.handle, why, force, &err);
        if (st != CB_OK) {
            cli_error("kb state: %s", err.msg);
            rc = refusal_code(st);
        } else {
            cli_put_safe(id, strlen(id));
            printf(": %s -> %s\n", cb_kb_state_name(cur->state), cb_kb_state_name(to));
            rc = cli_finish_output(CLI_OK);
        }
    }
    cb_article_free(cur);
    cb_person_release(&actor);
    return rc;
}

int cli_kb_flag(cb_store *s, const char *id, const char *text, unsigned resolve)
{
    cb_person actor;
    bool fresh = false;
    int rc = cli_actor("kb flag", s, &actor, &fresh);
    cb_error err;
    if (rc != CLI_OK) {
        cb_person_release(&actor);
        return rc;
    }
    const char *who = fresh ? NULL : actor.handle;
    unsigned n = resolve;
    cb_status st = resolve ? cb_kb_flag_resolve(s, id, resolve, who, &err) : cb_kb_flag(s, id, text, who, &n, &err);
    if (st != CB_OK) {
        cli_error("kb flag: %s", err.msg);
        rc = refusal_code(st);
    } else {
        printf("%s flag %u of ", resolve ? "resolved" : "added", n);
        cli_put_safe(id, strlen(id));
        putchar('\n');
        rc = cli_finish_output(CLI_OK);
    }
    cb_person_release(&actor);
    return rc;
}

/* ------------------------------------------------------------------ */
/* kb history, the flags of kb show                                    */
/* ------------------------------------------------------------------ */

static json_t *jstr(const char *s)
{
    return s ? cli_json_text(s, strlen(s)) : json_null();
}

/*
 * One side of a change in text: (none), a short one-line value quoted (a
 * section's final line end left out), a list as [a, b], else its size in
 * bytes (the JSON form has the whole text).
 */
static void put_value(const json_t *v)
{
    if (json_is_null(v)) {
        fputs("(none)", stdout);
    } else if (json_is_string(v)) {
        const char *t = json_string_value(v);
        size_t n = json_string_length(v), shown = n && t[n - 1] == '\n' ? n - 1 : n; /* a section's line end */
        if (shown <= 60 && !memchr(t, '\n', shown)) {
            putchar('"');
            cli_put_safe(t, shown);
            putchar('"');
        } else {
            printf("(%zu bytes)", n);
        }
    } else if (json_is_array(v)) {
        putchar('[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            const char *t = json_string_value(json_array_get(v, i));
            if (i)
                fputs(", ", stdout);
            cli_put_safe(t ? t : "", t ? strlen(t) : 0);
        }
        putchar(']');
    }
}

static void put_opt(const char *s)
{
    s = s ? s : "-";
    cli_put_safe(s, strlen(s));
}

int cli_kb_history(cb_store *s, const char *id, bool json)
{
    cb_kb_record h;
    cb_error err;
    if (cb_kb_history(s, id, &h, &err) != CB_OK) {
        cli_error("kb history: %s", err.msg);
        cb_kb_record_release(&h);
        return CLI_USAGE;
    }
    int rc = CLI_OK;
    if (json) {
        json_t *revs = json_array(), *flags = json_array();
        for (size_t i = 0; revs && i < h.nrevisions; i++) {
            const cb_kb_revision *r = &h.revisions[i];
            json_t *changes = json_loads(r->changes, 0, NULL);
            json_array_append_new(revs, json_pack("{s:i, s:o, s:o, s:o, s:o}", "n", (int)r->n, "who", jstr(r->who),
                                                  "at", jstr(r->at), "why", jstr(r->why), "changes",
                                                  changes ? changes : json_null()));
        }
        for (size_t i = 0; flags && i < h.nflags; i++) {
            const cb_kb_flag_entry *f = &h.flags[i];
            json_array_append_new(flags, json_pack("{s:i, s:b, s:o, s:o, s:o, s:o, s:o}", "n", (int)f->n, "open",
                                                   f->resolved == NULL, "body", jstr(f->body), "author",
                                                   jstr(f->author), "created", jstr(f->created), "resolved",
                                                   jstr(f->resolved), "resolved_by", jstr(f->resolved_by)));
        }
        json_t *root = json_pack("{s:o, s:o, s:o}", "id", jstr(id), "revisions", revs, "flags", flags);
        if (!root) {
            cli_error("kb history: out of memory");
            rc = CLI_USAGE;
        } else {
            if (json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
                rc = CLI_USAGE;
            putchar('\n');
            json_decref(root);
        }
    } else {
        for (size_t i = 0; i < h.nrevisions; i++) {
            const cb_kb_revision *r = &h.revisions[i];
            printf("revision %u  ", r->n);
            put_opt(r->at);
            fputs("  ", stdout);
            put_opt(r->who);
            fputs("  ", stdout);
            put_opt(r->why);
            putchar('\n');
            json_t *changes = json_loads(r->changes, 0, NULL);
            const char *key;
            json_t *pair;
            json_object_foreach(changes, key, pair)
            {
                printf("  %s: ", key);
                put_value(json_array_get(pair, 0));
                fputs(" -> ", stdout);
                put_value(json_array_get(pair, 1));
                putchar('\n');
            }
            json_decref(changes);
        }
        for (size_t i = 0; i < h.nflags; i++) {
            const cb_kb_flag_entry *f = &h.flags[i];
            printf("flag %u  ", f->n);
            put_opt(f->created);
            fputs("  ", stdout);
            put_opt(f->author);
            fputs("  ", stdout);
            if (f->resolved) {
                fputs("resolved ", stdout);
                put_opt(f->resolved);
                fputs(" by ", stdout);
                put_opt(f->resolved_by);
            } else {
                fputs("open", stdout);
            }
            fputs(": ", stdout);
            cli_put_multiline(f->body, "    ");
            putchar('\n');
        }
    }
    cb_kb_record_release(&h);
    return cli_finish_output(rc);
}

int cli_kb_show_flags(cb_store *s, const char *id, json_t **json)
{
    cb_kb_record h;
    cb_error err;
    if (cb_kb_history(s, id, &h, &err) != CB_OK) {
        cli_error("kb show: %s", err.msg);
        cb_kb_record_release(&h);
        return CLI_USAGE;
    }
    if (json)
        *json = json_array();
    for (size_t i = 0; i < h.nflags; i++) {
        const cb_kb_flag_entry *f = &h.flags[i];
        if (f->resolved)
            continue;
        if (json) {
            if (*json)
                json_array_append_new(*json, json_pack("{s:i, s:o, s:o, s:o}", "n", (int)f->n, "body", jstr(f->body),
                                                       "author", jstr(f->author), "created", jstr(f->created)));
            continue;
        }
        printf("flag %u (", f->n);
        put_opt(f->author);
        fputs(", ", stdout);
        put_opt(f->created);
        fputs("): ", stdout);
        cli_put_multiline(f->body, "  ");
        putchar('\n');
    }
    cb_kb_record_release(&h);
    return CLI_OK;
}
