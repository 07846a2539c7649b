/*
 * ytree.c — YAML text to a tree of scalars, lists and mappings with their
 * line:col, for the playbook loader and the answers-file reader (ytree.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "playbook/ytree.h"
#include "casebook/utf8.h"
#include "core/internal.h"

void cb__ydiag(yfile *L, cb_pbloc loc, const char *fmt, ...)
{
    if (L->ndiags > CB__YAML_MAX_DIAGS)
        return;
    cb_status st;
    if (L->ndiags == CB__YAML_MAX_DIAGS) {
        st = cb_diags_add(L->diags, L->file, loc.line, loc.col, "too many problems; stopped after %d",
                          CB__YAML_MAX_DIAGS);
    } else {
        va_list ap;
        va_start(ap, fmt);
        st = cb__diags_vadd(L->diags, L->file, loc.line, loc.col, fmt, ap);
        va_end(ap);
    }
    if (st)
        L->nomem = true;
    L->ndiags++;
}

static const char *q(yfile *L, const char *s)
{
    return cb__q(&L->q, s);
}

static cb_pbloc mark_loc(const yaml_mark_t *m)
{
    return (cb_pbloc){(int)CB_MIN(m->line + 1, (size_t)INT32_MAX),
                      (int)CB_MIN(m->column + 1, (size_t)INT32_MAX)};
}

static ynode *new_node(yfile *L, ykind kind, const yaml_mark_t *mark)
{
    if (L->npool == CB__YAML_MAX_NODES) {
        cb__ydiag(L, mark_loc(mark), "more than %d YAML values: this is not %s", CB__YAML_MAX_NODES,
                  L->names->a);
        return NULL;
    }
    if (!cb__grow((void **)&L->pool, &L->cappool, L->npool + 1, sizeof *L->pool)) {
        L->nomem = true;
        return NULL;
    }
    ynode *n = calloc(1, sizeof *n);
    if (!n) {
        L->nomem = true;
        return NULL;
    }
    n->kind = kind;
    n->loc = mark_loc(mark);
    L->pool[L->npool++] = n;
    return n;
}

static bool add_kid(yfile *L, ynode *parent, ynode *kid)
{
    if (!cb__grow((void **)&parent->kids, &parent->capkids, parent->nkids + 1, sizeof *parent->kids)) {
        L->nomem = true;
        return false;
    }
    parent->kids[parent->nkids++] = kid;
    return true;
}

static void free_tree(yfile *L)
{
    for (size_t i = 0; i < L->npool; i++) {
        free(L->pool[i]->str);
        free(L->pool[i]->kids);
        free(L->pool[i]);
    }
    free(L->pool);
    L->pool = NULL;
    L->npool = L->cappool = 0;
}

bool cb__ynull(const ynode *n)
{
    if (n->kind != Y_SCALAR || !n->plain)
        return false;
    return n->len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null") || !strcmp(n->str, "Null") ||
           !strcmp(n->str, "NULL");
}

const char *cb__ytype_name(const ynode *n)
{
    if (n->kind == Y_SEQ)
        return "a list";
    if (n->kind == Y_MAP)
        return "a mapping";
    return cb__ynull(n) ? "empty" : "a string";
}

/* Anchors and aliases are refused outright: a playbook or an answers file never needs them, and expanding
 * them is how YAML bombs work. */
static void refuse_anchor(yfile *L, const yaml_mark_t *mark)
{
    if (L->anchor_reported)
        return;
    L->anchor_reported = true;
    cb__ydiag(L, mark_loc(mark), "anchors and aliases (&name, *name) are not supported in %s",
              L->names->plural);
}

static void refuse_tag(yfile *L, const yaml_mark_t *mark, const yaml_char_t *tag)
{
    cb__ydiag(L, mark_loc(mark), "YAML tags are not supported in %s ('%s'): quote the value instead",
              L->names->plural, q(L, (const char *)tag));
}

static int key_cmp(const void *a, const void *b)
{
    const ynode *x = *(ynode *const *)a, *y = *(ynode *const *)b;
    int c = memcmp(x->str, y->str, CB_MIN(x->len, y->len) + 1);
    if (c)
        return c;
    /* Equal keys in file order, so that the first one is the one the others are reported against. */
    if (x->loc.line != y->loc.line)
        return x->loc.line < y->loc.line ? -1 : 1;
    return (x->loc.col > y->loc.col) - (x->loc.col < y->loc.col);
}

/* Keys must be strings and unique.  Sorting finds duplicates in n log n even in a hostile 100000-key mapping.
 */
static void check_map(yfile *L, const ynode *map)
{
    size_t nkeys = 0;
    ynode **keys = malloc((map->nkids / 2 + 1) * sizeof *keys);
    if (!keys) {
        L->nomem = true;
        return;
    }
    for (size_t i = 0; i + 1 < map->nkids; i += 2) {
        ynode *k = map->kids[i];
        if (k->kind == Y_SCALAR)
            keys[nkeys++] = k;
        else if (k->kind != Y_BAD)
            cb__ydiag(L, k->loc, "mapping keys must be strings, not %s", cb__ytype_name(k));
    }
    qsort(keys, nkeys, sizeof *keys, key_cmp);
    for (size_t i = 1, first = 0; i < nkeys; i++) {
        if (keys[i]->len == keys[first]->len && !memcmp(keys[i]->str, keys[first]->str, keys[i]->len))
            cb__ydiag(L, keys[i]->loc, "duplicate key '%s' (first at line %d, column %d)", q(L, keys[i]->str),
                      keys[first]->loc.line, keys[first]->loc.col);
        else
            first = i;
    }
    free(keys);
}

/* Line and column (in characters) of a byte offset, for errors libyaml reports by offset. */
static cb_pbloc offset_loc(const unsigned char *text, size_t len, size_t off)
{
    cb_pbloc loc = {1, 1};
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            loc.line++;
            loc.col = 1;
        } else if ((text[i] & 0xC0) != 0x80) {
            loc.col++;
        }
    }
    return loc;
}

static cb_status syntax_error(yfile *L, const yaml_parser_t *p, const unsigned char *text, size_t len)
{
    const char *problem = p->problem ? p->problem : "invalid YAML";
    switch (p->error) {
    case YAML_MEMORY_ERROR:
        L->nomem = true;
        return CB_ENOMEM;
    case YAML_READER_ERROR:
        if (p->problem_value >= 0)
            cb__ydiag(L, offset_loc(text, len, p->problem_offset), "%s (0x%02X)", problem,
                      (unsigned)p->problem_value);
        else
            cb__ydiag(L, offset_loc(text, len, p->problem_offset), "%s", problem);
        break;
    default:
        /* The context says which construct was open; its position is often where the real mistake is. */
        if (p->context)
            cb__ydiag(L, mark_loc(&p->problem_mark), "%s (%s at line %d, column %d)", problem, p->context,
                      mark_loc(&p->context_mark).line, mark_loc(&p->context_mark).col);
        else
            cb__ydiag(L, mark_loc(&p->problem_mark), "%s", problem);
        break;
    }
    return CB_EPARSE;
}

/*
 * Build the tree of the file's single document.  Returns CB_OK with *root set
 * (NULL for an empty file), CB_EPARSE after a diagnostic that leaves the tree
 * unusable, or CB_ENOMEM.  Problems that leave it usable (duplicate keys,
 * anchors, tags) are reported and CB_OK is returned, so that pass 2 can find
 * more.
 */
static cb_status build_tree(yfile *L, const unsigned char *text, size_t len, ynode **root)
{
    yaml_parser_t p;
    ynode *stack[CB__YAML_MAX_DEPTH];
    size_t depth = 0;
    int docs = 0;
    cb_status st = CB_OK;
    *root = NULL;
    if (!yaml_parser_initialize(&p))
        return CB_ENOMEM;
    yaml_parser_set_input_string(&p, text, len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    for (bool done = false; !done && st == CB_OK;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            st = syntax_error(L, &p, text, len);
            break;
        }
        ynode *n = NULL;
        const yaml_char_t *anchor = NULL, *tag = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                cb__ydiag(L, mark_loc(&ev.start_mark), "a second YAML document: %s holds one",
                          L->names->a_file);
                st = CB_EPARSE;
            }
            break;
        case YAML_ALIAS_EVENT:
            refuse_anchor(L, &ev.start_mark);
            n = new_node(L, Y_BAD, &ev.start_mark);
            break;
        case YAML_SCALAR_EVENT:
            anchor = ev.data.scalar.anchor;
            tag = ev.data.scalar.tag;
            n = new_node(L, Y_SCALAR, &ev.start_mark);
            if (!n)
                break;
            n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
            n->end = mark_loc(&ev.end_mark);
            n->len = ev.data.scalar.length;
            n->str = malloc(n->len + 1);
            if (!n->str) {
                L->nomem = true;
                n = NULL;
                break;
            }
            memcpy(n->str, ev.data.scalar.value, n->len);
            n->str[n->len] = '\0';
            /* "\0" in a double-quoted string: C strings would silently cut the text there. */
            if (memchr(n->str, '\0', n->len))
                cb__ydiag(L, n->loc, "a string must not contain a NUL character (\\0)");
            break;
        case YAML_SEQUENCE_START_EVENT:
            anchor = ev.data.sequence_start.anchor;
            tag = ev.data.sequence_start.tag;
            n = new_node(L, Y_SEQ, &ev.start_mark);
            break;
        case YAML_MAPPING_START_EVENT:
            anchor = ev.data.mapping_start.anchor;
            tag = ev.data.mapping_start.tag;
            n = new_node(L, Y_MAP, &ev.start_mark);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth > 0) {
                depth--;
                if (stack[depth]->kind == Y_MAP)
                    check_map(L, stack[depth]);
            }
            break;
        default:
            break;
        }
        if (anchor)
            refuse_anchor(L, &ev.start_mark);
        if (tag)
            refuse_tag(L, &ev.start_mark, tag);
        if (n) {
            if (depth > 0)
                add_kid(L, stack[depth - 1], n);
            else
                *root = n;
            if (n->kind == Y_SEQ || n->kind == Y_MAP) {
                if (depth == CB__YAML_MAX_DEPTH) {
                    cb__ydiag(L, n->loc, "nested more than %d levels deep: this is not %s",
                              CB__YAML_MAX_DEPTH, L->names->a);
                    st = CB_EPARSE;
                } else {
                    stack[depth++] = n;
                }
            }
        } else if (ev.type == YAML_ALIAS_EVENT || ev.type == YAML_SCALAR_EVENT ||
                   ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
            st = L->nomem ? CB_ENOMEM : CB_EPARSE; /* out of memory, or past CB__YAML_MAX_NODES */
        }
        if (L->nomem)
            st = CB_ENOMEM;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return st;
}

static cb_status read_file(yfile *L, const char *path, cb_buf *b)
{
    int fd;
    do
        fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        cb_status st = errno == ENOENT || errno == ENOTDIR ? CB_ENOTFOUND : CB_EIO;
        cb__ydiag(L, (cb_pbloc){0, 0}, "cannot open: %s", strerror(errno));
        return st;
    }
    cb_status st = CB_EIO;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        cb__ydiag(L, (cb_pbloc){0, 0}, "cannot read: %s", strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = CB_EUNSUPPORTED;
        cb__ydiag(L, (cb_pbloc){0, 0}, "%s", S_ISDIR(sb.st_mode) ? "is a directory" : "not a regular file");
        goto out;
    }
    if (sb.st_size > CB__YAML_MAX_FILE) {
        st = CB_ELIMIT;
        cb__ydiag(L, (cb_pbloc){0, 0}, "file is larger than the %d MiB %s may have", CB__YAML_MAX_FILE >> 20,
                  L->names->a);
        goto out;
    }
    for (;;) {
        /* The size from fstat is a hint only: the file may grow while read. */
        size_t want = CB_MIN((size_t)64 * 1024, (size_t)CB__YAML_MAX_FILE + 1 - b->len);
        if (want == 0) {
            st = CB_ELIMIT;
            cb__ydiag(L, (cb_pbloc){0, 0}, "file is larger than the %d MiB %s may have",
                      CB__YAML_MAX_FILE >> 20, L->names->a);
            goto out;
        }
        st = cb_buf_reserve(b, want);
        if (st) {
            L->nomem = st == CB_ENOMEM;
            goto out;
        }
        ssize_t r = read(fd, b->data + b->len, want);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            st = CB_EIO;
            cb__ydiag(L, (cb_pbloc){0, 0}, "cannot read: %s", strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        b->len += (size_t)r;
        b->data[b->len] = '\0';
    }
    st = CB_OK;
out:
    close(fd);
    return st;
}

/*
 * Playbooks and answers files are UTF-8 text.  Checked before libyaml sees the bytes: libyaml
 * would take a NUL for the end of input and report bad bytes by offset only.
 */
bool cb__ytext_check(yfile *L, const unsigned char *s, size_t n)
{
    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        cb__ydiag(L, (cb_pbloc){1, 1}, "file is UTF-16 (it starts with a byte-order mark): save it as UTF-8");
        return false;
    }
    cb_pbloc loc = {1, 1};
    for (size_t i = 0; i < n;) {
        size_t k = s[i] < 0x80 ? 1 : cb_utf8_seqlen(s + i, n - i);
        if (s[i] == 0) {
            cb__ydiag(L, loc, "NUL byte: %s must be UTF-8 text", L->names->a);
            return false;
        }
        if (k == 0) {
            cb__ydiag(L, loc, "invalid UTF-8 (byte 0x%02X): %s must be UTF-8 text", s[i], L->names->a);
            return false;
        }
        if (s[i] == '\n') {
            loc.line++;
            loc.col = 1;
        } else {
            loc.col++;
        }
        i += k;
    }
    return true;
}

cb_status cb__yfile_text(yfile *L, const char *path, const ynames *names, cb_diags *diags)
{
    L->file = path;
    L->names = names;
    L->diags = diags;
    cb_buf_init(&L->raw, (size_t)CB__YAML_MAX_FILE + 1);
    cb_status st = read_file(L, path, &L->raw);
    if (st)
        return st;
    const unsigned char *bytes = (const unsigned char *)(L->raw.data ? L->raw.data : "");
    /* libyaml, told the encoding, would take a UTF-8 byte-order mark for content; editors do not show it. */
    size_t bom = L->raw.len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3) ? 3 : 0;
    L->text = bytes + bom;
    L->len = L->raw.len - bom;
    return cb__ytext_check(L, L->text, L->len) ? CB_OK : CB_EPARSE;
}

cb_status cb__yfile_tree(yfile *L, ynode **root)
{
    return build_tree(L, L->text, L->len, root);
}

cb_status cb__yfile_read(yfile *L, const char *path, const ynames *names, cb_diags *diags, ynode **root)
{
    *root = NULL;
    cb_status st = cb__yfile_text(L, path, names, diags);
    return st ? st : cb__yfile_tree(L, root);
}

void cb__yfile_release(yfile *L)
{
    free_tree(L);
    cb_buf_release(&L->raw);
    L->text = NULL;
    L->len = 0;
}
