/*
 * playbook.h — playbooks: the YAML decision trees that confirm and fix a known
 * issue, their loader, their lint, and a library of them.
 *
 * A playbook file (format version 1, see docs/playbook-format.md) holds the
 * signatures (regular expressions) that reveal an issue in logs and a tree of
 * nodes an engineer walks: `check` (answered by signature hits), `ask` (a
 * question with choices), `do` (an action, optionally recording its result)
 * and `conclude` (cause, resolution, article).
 *
 * Loading and linting report problems as diagnostics ("file:line:col:
 * message"), all of them rather than the first, so that an author fixes a file
 * in one round.  cb_playbook_load reports what a single pass over the text can
 * see (YAML syntax, unknown / missing / duplicate keys, wrong types, bad ids);
 * cb_playbook_lint reports what needs the whole tree (references, reachability,
 * cycles, unused signatures, patterns the regex engine rejects...).
 *
 * Usage:
 *
 *     cb_diags d;
 *     cb_diags_init(&d);
 *     cb_library lib;
 *     cb_library_init(&lib);
 *     st = cb_library_add_path(&lib, "playbooks", &d);   // broken files only add diags
 *     st = cb_library_lint(&lib, regex_check, NULL, &d);
 *     cb_diags_sort(&d);
 *     for (i = 0; i < d.n; i++) ... print d.v[i]
 *     cb_library_release(&lib);
 *     cb_diags_release(&d);
 *
 * Every location is 1-based (line, column), columns counted in characters;
 * 0 means unknown.  Nothing here is thread-safe, but loaded playbooks are
 * read-only and may be shared between threads.
 */
#ifndef CASEBOOK_PLAYBOOK_H
#define CASEBOOK_PLAYBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casebook/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */
/* ------------------------------------------------------------------ */

/* One problem in an input file.  `msg` is lowercase, without a full stop. */
typedef struct cb_diag {
    char *file; /* the path as given to the loader; never NULL */
    int line;   /* 1-based; 0 when the problem concerns the whole file */
    int col;    /* 1-based, in characters; 0 when unknown */
    char *msg;
} cb_diag;

/* A growable list of diagnostics.  Zero-initialised (or cb_diags_init) is empty. */
typedef struct cb_diags {
    cb_diag *v;
    size_t n, cap;
} cb_diags;

/* Make an empty list.  Allocates nothing. */
void cb_diags_init(cb_diags *d);

/*
 * Append a diagnostic (file may be NULL for ""; the message is truncated to
 * 1 KiB).  Copies everything it is given.  Returns CB_OK or CB_ENOMEM (then
 * the list is unchanged).
 */
cb_status cb_diags_add(cb_diags *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * Sort by file name (byte order), then line, then column; diagnostics at the
 * same place keep the order in which they were added.  Never fails (sorts in
 * place; without memory for a merge buffer it falls back to insertion sort).
 */
void cb_diags_sort(cb_diags *d);

/* Write "file:line:col: msg" (":line" / ":col" omitted when 0) into buf, always
 * NUL-terminated when size > 0.  Returns the length the full text would have. */
size_t cb_diag_format(const cb_diag *diag, char *buf, size_t size);

/* Free every diagnostic and empty the list (it may be reused).  Accepts NULL. */
void cb_diags_release(cb_diags *d);

/* ------------------------------------------------------------------ */
/* The playbook model                                                  */
/* ------------------------------------------------------------------ */

/* Where an element starts in its file: 1-based line and column (characters); 0 = not present. */
typedef struct cb_pbloc {
    int line, col;
} cb_pbloc;

/* A string from the file with its location.  s is NULL when an optional key is absent. */
typedef struct cb_pbstr {
    char *s;
    cb_pbloc loc;
} cb_pbstr;

/*
 * A reference by id to a node or a signature of the same playbook.  `index`
 * is its position in pb->nodes / pb->signatures, or -1 when no such id exists
 * (cb_playbook_lint reports those).  id is NULL (and index -1) when absent.
 */
typedef struct cb_pbref {
    char *id;
    int index;
    cb_pbloc loc;
} cb_pbref;

typedef enum cb_severity {
    CB_SEV_INFO = 0, /* evidence only: never makes a playbook rank */
    CB_SEV_WARNING,
    CB_SEV_ERROR, /* the default */
    CB_SEV_CRITICAL,
} cb_severity;

/* "info", "warning", "error", "critical" ("unknown" out of range). */
const char *cb_severity_name(cb_severity sev);

typedef struct cb_signature {
    char *id;         /* its key under `signatures:` */
    cb_pbloc loc;     /* of that key */
    cb_pbstr pattern; /* PCRE syntax as Hyperscan accepts it; never empty */
    cb_pbstr *files;  /* globs over bundle paths; nfiles == 0: every text file */
    size_t nfiles;
    cb_severity severity;
    cb_pbloc severity_loc; /* 0 when defaulted */
    bool caseless;
    cb_pbloc caseless_loc; /* 0 when absent */
    cb_pbstr describe;     /* NULL when absent */
} cb_signature;

typedef enum cb_node_kind {
    CB_NODE_CHECK = 0,
    CB_NODE_ASK,
    CB_NODE_DO,
    CB_NODE_CONCLUDE,
} cb_node_kind;

/* "check", "ask", "do", "conclude". */
const char *cb_node_kind_name(cb_node_kind kind);

/* One choice of an `ask` node: the label the engineer picks, and where it leads. */
typedef struct cb_choice {
    cb_pbstr label;
    cb_pbref target; /* a node */
} cb_choice;

/* The optional `coach:` of a node: a question answered before the node is revealed. */
typedef struct cb_coach {
    cb_pbloc loc;      /* of the `coach` key */
    cb_pbstr ask;      /* never NULL */
    cb_pbstr *choices; /* nchoices == 0: the answer is free text */
    size_t nchoices;
    cb_pbstr *expect; /* with choices: the right choice(s); free text: keywords, one must appear */
    size_t nexpect;   /* 0: no `expect`, every answer is accepted */
    cb_pbloc expect_loc;
    cb_pbstr *hints; /* given one by one after wrong answers */
    size_t nhints;
} cb_coach;

/*
 * A node.  Fields are grouped by kind; those of other kinds are zero / NULL
 * (references: id NULL, index -1).  Every non-conclude node that loaded has
 * its way onward set: check has yes and no, do has next, ask has `choices`
 * (possibly empty: lint reports that).
 */
typedef struct cb_node {
    char *id;     /* its key under `nodes:` */
    cb_pbloc loc; /* of that key */
    cb_node_kind kind;
    cb_pbloc kind_loc; /* of the `check:` / `ask:` / `do:` / `conclude:` key */
    cb_pbstr text;     /* ask: the question; do: the action; conclude: the conclusion; check: NULL */

    /* check */
    cb_pbref *sigs; /* the signatures whose hits are added up (one or more) */
    size_t nsigs;
    uint64_t min;     /* yes when the hits total at least this (default 1, never 0) */
    cb_pbloc min_loc; /* 0 when defaulted */
    cb_pbref yes, no;

    /* ask */
    cb_choice *choices; /* in file order */
    size_t nchoices;

    /* do */
    cb_pbstr record; /* question whose free-text answer becomes {{<node id>}}; NULL when absent */
    cb_pbref next;

    /* conclude */
    cb_pbstr cause, resolution, article; /* NULL when absent */
    bool escalate, dead_end;
    cb_pbloc escalate_loc, dead_end_loc; /* 0 when absent */

    cb_coach *coach; /* NULL when the node has none */
} cb_node;

/* A log file of a test's tiny bundle. */
typedef struct cb_pblog {
    cb_pbstr path;    /* inside the bundle, as written */
    cb_pbstr content; /* the file's text (never NULL; may be "") */
} cb_pblog;

/* A given answer in a test: node id -> answer text, as written ("yes"/"no" for checks). */
typedef struct cb_pbanswer {
    cb_pbref node;
    cb_pbstr answer;
} cb_pbanswer;

/* One entry of `tests:` — logs in, node reached out. */
typedef struct cb_pbtest {
    cb_pbloc loc; /* of the list item */
    cb_pbstr name;
    cb_pblog *logs; /* in file order */
    size_t nlogs;
    cb_pbanswer *answers; /* in file order */
    size_t nanswers;
    cb_pbref expect; /* a node */
} cb_pbtest;

typedef struct cb_playbook {
    char *path;    /* as given to cb_playbook_load */
    char hash[65]; /* SHA-256 of the file's bytes, lowercase hex: which version a walk used */
    int version;   /* the `casebook:` format version (1) */
    cb_pbstr id, title;
    cb_pbstr product, versions, article; /* NULL when absent */
    cb_pbstr *tags;
    size_t ntags;
    cb_signature *signatures; /* in file order */
    size_t nsignatures;
    cb_pbref start; /* a node */
    cb_node *nodes; /* in file order */
    size_t nnodes;
    cb_pbtest *tests; /* in file order */
    size_t ntests;
    /* Internal: indices sorted by id, for cb_playbook_node / cb_playbook_signature. */
    int *node_order_, *sig_order_;
} cb_playbook;

/*
 * Load and check one playbook file.  Every problem found is appended to
 * `diags` (which must not be NULL), all of them, not only the first — up to
 * 1000 per file, then one "too many problems" diagnostic.  On CB_OK *out owns
 * the new playbook (free with cb_playbook_free); on failure *out is NULL and
 * at least one diagnostic names the reason:
 *   CB_EPARSE        YAML syntax or structure (unknown, missing, duplicate keys, wrong types, bad
 *                    version, ids or severities, a node with zero or several kinds), not UTF-8 text,
 *                    anchors/aliases/tags (refused: no alias expansion bombs), nesting deeper than
 *                    64 levels or more than 100000 YAML nodes
 *   CB_ELIMIT        the file is larger than 4 MiB
 *   CB_ENOTFOUND / CB_EIO / CB_EUNSUPPORTED  cannot open or read it / not a regular file
 *   CB_ENOMEM        out of memory (a diagnostic is added if memory allows)
 * References between nodes and signatures are resolved (pbref.index) but not
 * checked: that is cb_playbook_lint's job.  Scalars are read as written: `yes`
 * and `no` are never booleans (only caseless/escalate/dead-end take
 * true/false/yes/no).  A UTF-8 byte-order mark is skipped (pb->hash still
 * covers every byte).  Where a string is expected, a one-line unquoted
 * `text: more` (a one-entry mapping to YAML) is read as the text, colon
 * included, as the format's own example writes hints.
 */
cb_status cb_playbook_load(const char *path, cb_playbook **out, cb_diags *diags);

/* Free a playbook and everything it owns.  Accepts NULL. */
void cb_playbook_free(cb_playbook *pb);

/* Index of the node / signature with this id in pb->nodes / pb->signatures, or -1.  O(log n). */
int cb_playbook_node(const cb_playbook *pb, const char *id);
int cb_playbook_signature(const cb_playbook *pb, const char *id);

/*
 * The regex engine's verdict on a pattern (the scanner module provides one
 * backed by Hyperscan).  Returns true when `pattern` compiles; otherwise
 * false, with the engine's reason written to msg (NUL-terminated, at most
 * msgsize bytes).
 */
typedef bool (*cb_regex_check_fn)(void *ctx, const char *pattern, bool caseless, char *msg, size_t msgsize);

/*
 * The semantic checks of one loaded playbook (docs/playbook-format.md, "Lint"):
 * missing start node, references to missing nodes or signatures, nodes not
 * reachable from start, cycles, ask nodes with fewer than two choices,
 * signatures no node uses (unless severity info), patterns `check` rejects
 * (check may be NULL: patterns are then not compiled), invalid globs, unknown
 * {{variables}}, version ranges, coach `expect` outside its choices, and
 * tests whose expect / answers name no node or give impossible answers.  One
 * diagnostic per problem, at the most precise location, appended to diags
 * (not NULL; unsorted: see cb_diags_sort).  Returns CB_OK (diags may have
 * grown) or CB_ENOMEM.  Does not modify pb.
 */
cb_status cb_playbook_lint(const cb_playbook *pb, cb_regex_check_fn check, void *ctx, cb_diags *diags);

/*
 * The lint errors that make walking or triaging pb meaningless, and only
 * those: a start node or a reference that names no node, a check of an
 * unknown signature, an ask node without choices, a cycle, and (when check
 * is not NULL) a pattern or file glob that does not compile.  One diagnostic
 * per problem, as cb_playbook_lint words it, appended to diags (not NULL);
 * pb is sound when none was added.  Walks (cb_walk_new), triage and
 * `casebook test` refuse an unsound playbook.  Returns CB_OK or CB_ENOMEM.
 */
cb_status cb_playbook_check_sound(const cb_playbook *pb, cb_regex_check_fn check, void *ctx, cb_diags *diags);

/* ------------------------------------------------------------------ */
/* What counts as an answer                                            */
/* ------------------------------------------------------------------ */

/*
 * One definition, used by walks, by the automatic walks of triage and
 * `casebook test`, and by lint's check of a playbook's tests.  Blanks around
 * an answer never matter; NULL is no answer.
 */

/* A check's answer: 1 for yes ("yes", "y", "1"), 0 for no ("no", "n", "2"), in any case; -1 otherwise. */
int cb_answer_yes_no(const char *text);

/*
 * The choice an answer names among n labels: a label as written, then
 * ignoring case, then a label as shown (shown[i]: labels[i] with its
 * variables filled; shown, or any of its entries, may be NULL), then its
 * 1-based number.  Returns the 0-based index, or -1 for none.
 */
int cb_answer_choice(const char *const *labels, const char *const *shown, size_t n, const char *text);

/* A do node's answer: "done", in any case. */
bool cb_answer_done(const char *text);

/* ------------------------------------------------------------------ */
/* A library of playbooks                                              */
/* ------------------------------------------------------------------ */

typedef struct cb_library_file cb_library_file; /* private: a loaded file's identity */

typedef struct cb_library {
    cb_playbook **playbooks; /* owned; in the order added (a directory's files sorted by path) */
    size_t n, cap;
    cb_library_file *files; /* private: the (device, inode) of every file read, so each is loaded once */
    size_t nfiles, capfiles;
} cb_library;

/* Make an empty library.  Allocates nothing. */
void cb_library_init(cb_library *lib);

/*
 * Add the playbook file at `path`, or every `*.yaml` / `*.yml` file below the
 * directory `path` (recursively, in byte order of path; names starting with
 * '.' are skipped; symbolic links are followed, each directory entered once).
 * A file that fails to load adds its diagnostics and is skipped; the others
 * are still added.  Each file is loaded once, however many paths lead to it
 * (`-p lib -p lib/linux`, a symbolic link): a file already in the library is
 * passed over in silence.  A second file defining an id the library already
 * has is refused with a diagnostic at its id naming the first definition.  Returns CB_OK when `path` itself could be read (diags may
 * have grown), CB_ENOTFOUND / CB_EIO when it cannot (with a diagnostic), or
 * CB_ENOMEM.  A file given directly that fails to load returns its status.
 */
cb_status cb_library_add_path(cb_library *lib, const char *path, cb_diags *diags);

/*
 * cb_playbook_lint of every playbook (ids defined twice were refused when
 * the second file was added).  Returns CB_OK or CB_ENOMEM.
 */
cb_status cb_library_lint(const cb_library *lib, cb_regex_check_fn check, void *ctx, cb_diags *diags);

/* The first playbook with this id, or NULL.  Owned by the library. */
const cb_playbook *cb_library_find(const cb_library *lib, const char *id);

/* Total signatures over all playbooks (the size of the scanner's database). */
size_t cb_library_signature_count(const cb_library *lib);

/* Free every playbook and empty the library (it may be reused).  Accepts NULL. */
void cb_library_release(cb_library *lib);

/* ------------------------------------------------------------------ */
/* Variables                                                           */
/* ------------------------------------------------------------------ */

/* The value of variable `name`, or NULL when it has none.  The string must stay valid until the call returns.
 */
typedef const char *(*cb_var_lookup_fn)(void *ctx, const char *name);

/*
 * Replace every `{{name}}` in text (name: one or more of [A-Za-z0-9_.-],
 * optionally with spaces inside the braces: `{{ name }}`) by lookup's value.
 * When lookup returns NULL the reference is kept as written and counted in
 * *unknown (unknown may be NULL).  Text that is not a valid reference ("{{ }}",
 * "{{a b}}") is copied unchanged.  Returns a new string the caller frees with
 * free(), or NULL when out of memory.
 */
char *cb_template_fill(const char *text, cb_var_lookup_fn lookup, void *ctx, size_t *unknown);

#ifdef __cplusplus
}
#endif
#endif
