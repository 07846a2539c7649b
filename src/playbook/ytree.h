/*
 * ytree.h — the YAML reader shared by the playbook loader (load.c) and the
 * answers-file reader (src/walk/answers.c); not installed.
 *
 * A file is read whole (at most CB__YAML_MAX_FILE bytes), checked to be
 * UTF-8 text, and turned by libyaml's event parser into a small tree of
 * scalars, lists and mappings, each with its line and column.  The builder
 * is iterative (an explicit stack of CB__YAML_MAX_DEPTH levels) and refuses
 * what neither file ever needs and an attacker would use: anchors and
 * aliases (no expansion bombs), tags, several documents, deep nesting, more
 * than CB__YAML_MAX_NODES values.  Mapping keys must be strings and unique
 * (checked in n log n).  Every problem is added to a cb_diags with the
 * file's line:col, at most CB__YAML_MAX_DIAGS per file.
 *
 * Scalars keep their text as written: `yes` and `no` are the words, never
 * YAML 1.1 booleans.
 */
#ifndef CB_PLAYBOOK_YTREE_H
#define CB_PLAYBOOK_YTREE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "casebook/buf.h"
#include "casebook/playbook.h"
#include "playbook/pb_int.h"

enum {
    CB__YAML_MAX_FILE =
        4 << 20, /* a playbook or answers file is a few kilobytes; this keeps hostile input cheap */
    CB__YAML_MAX_DEPTH = 64, /* a playbook nests 5 levels deep, an answers file 3 */
    CB__YAML_MAX_NODES = 100000,
    CB__YAML_MAX_DIAGS = 1000, /* per file: past this an author has a different problem */
};

typedef enum ykind { Y_SCALAR, Y_SEQ, Y_MAP, Y_BAD } ykind; /* Y_BAD: a refused alias, already reported */

typedef struct ynode {
    ykind kind;
    bool plain; /* a plain scalar (no quotes, not | or >): only those can mean null */
    cb_pbloc loc;
    cb_pbloc end; /* scalars: just past the last character */
    char *str;    /* scalar text, NUL-terminated */
    size_t len;
    struct ynode **kids; /* list items; for a mapping: key, value, key, value, ... */
    size_t nkids, capkids;
} ynode;

/* How messages name the file: {"playbooks", "a playbook", "a playbook file"}. */
typedef struct ynames {
    const char *plural, *a, *a_file;
} ynames;

/* A file being read, its tree, and where its problems go.  Zero it, then cb__yfile_read. */
typedef struct yfile {
    const char *file; /* the path, for messages */
    const ynames *names;
    cb_diags *diags;
    size_t ndiags; /* added for this file */
    bool nomem;
    bool anchor_reported; /* anchors and aliases are reported once per file: a bomb has thousands */
    ynode **pool;         /* every node, for freeing */
    size_t npool, cappool;
    cb_buf raw;                /* the file as read */
    const unsigned char *text; /* raw without a UTF-8 byte-order mark */
    size_t len;
    cb__quoter q;
} yfile;

/* Add a diagnostic at loc (counted; past CB__YAML_MAX_DIAGS one "too many problems" and then nothing). */
void cb__ydiag(yfile *Y, cb_pbloc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Read `path` into Y and build the tree of its single document.  Returns
 * CB_OK with *root set (NULL for an empty file); CB_EPARSE after a
 * diagnostic that leaves the tree unusable (syntax, not UTF-8, a second
 * document, too deep, too many values); CB_ENOTFOUND / CB_EIO /
 * CB_EUNSUPPORTED / CB_ELIMIT when the file cannot be read (diagnostic at
 * 0:0); CB_ENOMEM.  Problems that leave the tree usable (duplicate keys,
 * anchors, tags, NUL in a string) are reported and CB_OK is returned, so
 * that the caller can find more: check Y->ndiags.  The tree is owned by Y:
 * release with cb__yfile_release whatever this returned.
 */
cb_status cb__yfile_read(yfile *Y, const char *path, const ynames *names, cb_diags *diags, ynode **root);

/*
 * The two halves of cb__yfile_read, for a caller that looks at the text
 * before parsing it (an answers file may be JSON): read and check the text
 * (Y->text, Y->len; errors as above), then build the tree of that text.
 */
cb_status cb__yfile_text(yfile *Y, const char *path, const ynames *names, cb_diags *diags);
cb_status cb__yfile_tree(yfile *Y, ynode **root);

/* Is s[0..n) UTF-8 text without NUL (not UTF-16)?  Else one diagnostic at its line:col and false. */
bool cb__ytext_check(yfile *Y, const unsigned char *s, size_t n);

/* Free the tree and the text.  Y may be zeroed or read. */
void cb__yfile_release(yfile *Y);

/* A plain `~`, `null` (any of YAML's spellings) or nothing. */
bool cb__ynull(const ynode *n);

/* "a list", "a mapping", "empty" or "a string", for messages. */
const char *cb__ytype_name(const ynode *n);

#endif
