/*
 * cli.h — shared pieces of the casebook command-line front end: the
 * subcommand table, declarative options (usage text is generated from the
 * declarations), output formats, colour, progress and error reporting.
 * Only the CLI prints; the library returns values.
 */
#ifndef CB_CLI_H
#define CB_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "casebook/buf.h"
#include "casebook/error.h"

/* Exit codes, documented in docs/cli.md. */
enum { CLI_OK = 0, CLI_FOUND = 1, CLI_USAGE = 2 };

typedef enum cli_format { FMT_TEXT = 1, FMT_JSON = 2, FMT_MD = 4 } cli_format;

typedef enum cli_argkind { ARG_NONE, ARG_STRING } cli_argkind;

/* One option of a subcommand.  `id` is returned by cli_getopt. */
typedef struct cli_opt {
    int id;
    char short_name; /* 0 for none */
    const char *long_name;
    cli_argkind kind;
    const char *arg_name; /* "FMT", "N", ... */
    const char *help;
} cli_opt;

typedef struct cli_cmd {
    const char *name;
    int (*run)(const struct cli_cmd *cmd, int argc, char **argv);
    const char *summary;     /* one line for `casebook --help` */
    const char *synopsis;    /* "BUNDLE [options]" */
    const char *description; /* paragraph(s) for `casebook help NAME` */
    const cli_opt *opts;     /* terminated by an entry with id 0 */
} cli_cmd;

/* Print the generated help of a subcommand to `out`. */
void cli_usage(const cli_cmd *cmd, FILE *out);

/*
 * Options every subcommand declares alike, handled by cli_getopt itself: put
 * CLI_OPTION_HELP (and CLI_OPTION_PLAYBOOKS where it applies) in the table,
 * and number the command's own options from CLI_OPT_OWN.
 */
enum { CLI_OPT_HELP = 1, CLI_OPT_PLAYBOOKS, CLI_OPT_OWN };
#define CLI_OPTION_HELP {CLI_OPT_HELP, 'h', "help", ARG_NONE, NULL, "show this help"}
#define CLI_OPTION_PLAYBOOKS                                                                                       \
    {CLI_OPT_PLAYBOOKS, 'p', "playbooks", ARG_STRING, "PATH", "playbook file or directory (repeatable)"}

/*
 * Parse options in getopt_long style ("--name=value", "--name value", "-x
 * value", "--" ends options; options and operands may be mixed).  Returns the
 * id of the next option with *arg set, 0 when options are done (operands are
 * then in `operands`), or CLI_STOP when the command must end at once with
 * exit status `stop`: after --help printed the usage (0), or after a usage
 * error was printed (2).  -p/--playbooks values are collected in `playbooks`.
 */
enum { CLI_STOP = -1 };
typedef struct cli_parser {
    int argc;
    char **argv;
    int next;       /* next argv index to look at */
    char **operands;
    int noperands;
    const char **playbooks; /* -p values, in order */
    size_t nplaybooks;
    int stop;               /* exit status after CLI_STOP */
} cli_parser;
void cli_parser_init(cli_parser *p, int argc, char **argv);
int cli_getopt(cli_parser *p, const cli_cmd *cmd, const char **arg);
void cli_parser_release(cli_parser *p);

/*
 * "casebook: <message>" on stderr.  The message is made display-safe as a
 * whole (cb_utf8_sanitize, escaping): arguments may name files, playbook
 * contents or transcript contents without any care.
 */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "casebook: warning: <message>" on stderr, made safe as cli_error's. */
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "casebook: <cmd>: <message>\nTry 'casebook <cmd> --help'." and return CLI_USAGE. */
int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print a library error as "casebook: file:line:col: message". */
void cli_print_error(const cb_error *err);

/* Parse "text|json|md" restricted to `allowed` (a mask of cli_format). Returns 0 when invalid. */
cli_format cli_parse_format(const char *s, unsigned allowed);

/* Parse a size such as "64G", "16MiB", "1000" into bytes.  Returns false when invalid. */
bool cli_parse_size(const char *s, uint64_t *out);
/* Parse a non-negative integer. */
bool cli_parse_uint(const char *s, uint64_t *out);

/* "1.2 MiB" style. */
const char *cli_human_bytes(uint64_t n, char *buf, size_t size);
/* "12,345" style. */
const char *cli_group_digits(uint64_t n, char *buf, size_t size);

/* Colour: true when stdout is a terminal and NO_COLOR is unset. */
bool cli_colour_stdout(void);
#define CLI_BOLD "\033[1m"
#define CLI_DIM "\033[2m"
#define CLI_YELLOW "\033[33m"
#define CLI_RED "\033[31m"
#define CLI_RESET "\033[0m"

/* A JSON string from untrusted bytes, made safe as text is (cb_utf8_sanitize: U+FFFD for invalid UTF-8 and
 * C0, C1 and bidi controls, so that no consumer turns a \u001b back into an escape).  NULL only on OOM. */
json_t *cli_json_text(const char *s, size_t n);

/* A JSON string of multi-line text: each line sanitised, line ends kept. */
json_t *cli_json_multiline(const char *s);
/* Print multi-line text safely, each continuation line prefixed by indent; trailing blank space dropped. */
void cli_put_multiline(const char *s, const char *indent);

/*
 * Markdown from untrusted text, made display-safe first (cb_utf8_sanitize):
 * cli_md_cell for one line (a table cell, a heading; line ends become U+FFFD),
 * cli_md_text for a paragraph (line ends kept), both with Markdown's markup
 * characters escaped; cli_md_code for a name as inline code (bytes that are
 * not safe escaped as \xNN, as names are everywhere).
 */
void cli_md_cell(cb_buf *out, const char *s);
void cli_md_text(cb_buf *out, const char *s);
void cli_md_code(cb_buf *out, const char *s);

/* Print s to stdout made safe for a terminal (no control characters: they become U+FFFD). */
void cli_put_safe(const char *s, size_t n);
/* Print a name (a file name, a path, an id from a file) to out, its unsafe bytes escaped as \xNN. */
void cli_put_name(FILE *out, const char *s);

/*
 * Text that fits the terminal.  cli_terminal_width: the width of the terminal
 * on stdout (TIOCGWINSZ, else $COLUMNS, else 80), 0 when stdout is not a
 * terminal.  cli_fit_begin / cli_fit_end bracket text output: between them,
 * when stdout is a terminal, every line printed to stdout is cut to its width
 * with "…" (counting display columns; the CLI's colour escapes take none);
 * otherwise nothing changes.  stdout itself is pointed at the cutting stream
 * for the while (glibc's stdout is assignable), so that every printer keeps
 * writing to stdout.
 */
typedef struct cli_fit {
    FILE *saved; /* the real stdout while a cutting stream stands in for it */
} cli_fit;
size_t cli_terminal_width(void);
void cli_fit_begin(cli_fit *f);
void cli_fit_end(cli_fit *f);
/*
 * Print multi-line text made safe, folded at spaces to `width` columns: the
 * first line continues at column `col` of the current line, every further
 * line starts with indent; line breaks and spacing the author wrote are kept,
 * continuation lines keep their line's indentation and hang under the text of
 * a list item ("- ", "1. ").  Trailing blank space is dropped.
 */
void cli_put_wrapped(const char *s, size_t col, const char *indent, size_t width);

/* Progress line on stderr for long work: shown only on a TTY, after one second. */
typedef struct cli_progress {
    bool enabled;
    bool shown;
    double start, last;
} cli_progress;
void cli_progress_init(cli_progress *p);
void cli_progress_update(cli_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_progress_done(cli_progress *p);

/* Flush stdout and report a write error (exit code CLI_USAGE then). */
int cli_finish_output(int code);

/*
 * Global options (cli/context.c), given before the subcommand:
 * `casebook [--db PATH] [--as HANDLE] SUBCOMMAND ...`.  main() fills them;
 * the commands that use the store read them through the helpers below.
 */
typedef struct cli_context {
    const char *db; /* --db PATH, else NULL ($CASEBOOK_DB, then the default: cb_store_default_path) */
    const char *as; /* --as HANDLE, else $CASEBOOK_USER if set and not empty, else NULL */
} cli_context;
extern cli_context cli_ctx;
/*
 * Parse the global options at argv[1..]: returns the index of the subcommand
 * name (argc when none), or -1 after printing a usage error.
 */
int cli_context_parse(int argc, char **argv);

#include "casebook/store.h"
/*
 * Open the store (--db, else $CASEBOOK_DB, else cb_store_default_path).  On
 * CLI_OK *out is open (close it with cb_store_close); otherwise the error was
 * printed as "casebook: CMDNAME: ..." and CLI_USAGE is returned.
 */
int cli_open_store(const char *cmdname, cb_store **out);

#include "casebook/people.h"
/*
 * The acting person (--as, else $CASEBOOK_USER) into *actor (to release with
 * cb_person_release).  On a fresh store (no people yet) no rule applies:
 * *fresh is true, *actor stays empty and a handle given is not looked up.
 * Otherwise the handle must name a person: none given or an unknown one is
 * printed as an error and CLI_USAGE returned.  CLI_OK when resolved.
 */
int cli_actor(const char *cmdname, cb_store *s, cb_person *actor, bool *fresh);

/*
 * Articles where a command mentions them (cli/kbref.c): triage's findings,
 * a walk's conclusion.  cli_kb_open_existing opens the database when one is
 * in use: --db or $CASEBOOK_DB names it, or the default file
 * (cb_store_default_path) exists.  It never creates one: a named database
 * that does not exist, or one that cannot be opened, is a warning
 * ("articles are not looked up") and NULL, as is no database at all (then
 * silently).  Close the store with cb_store_close.
 */
#include "casebook/kb.h"
#include "casebook/triage.h"
cb_store *cli_kb_open_existing(const char *cmdname);
/* The article a finding names: its conclusion's `article` when it concluded on one, else the playbook's. */
const char *cli_finding_article(const cb_finding *f);
/* Article id from the store (NULL s or id: NULL), to free with cb_article_free; NULL when not there. */
cb_article *cli_kb_lookup(cb_store *s, const char *cmdname, const char *id);
/* Why article id (a: as stored, NULL when missing) needs care: wip, archived, missing; NULL when it does not. */
const char *cli_kb_caution(const char *id, const cb_article *a, char *buf, size_t size);
/*
 * What the store says of article id: in text, "INDENTarticle: ID — TITLE
 * (STATE)" and a "INDENTwarning: ..." line (y and z wrap "warning:") when
 * cli_kb_caution has one; in JSON, {id, title, state, audience} or null when
 * the store has no such article; in Markdown, the same as text, appended to
 * o.  Nothing (text, md) when s or id is NULL.
 */
void cli_kb_put_text(cb_store *s, const char *cmdname, const char *id, const char *indent, const char *y,
                     const char *z);
json_t *cli_kb_json(cb_store *s, const char *cmdname, const char *id);
void cli_kb_md(cb_buf *o, cb_store *s, const char *cmdname, const char *id);

/*
 * One walk as `casebook walk` runs it (cli/cmd_walk.c), shared with
 * `casebook case walk`: the playbook found (cli_find_playbook), the answers
 * file read, the bundle triaged, the walk started or resumed, the
 * conversation held, then the transcript saved, to a file (save, else
 * resume_file, else PLAYBOOK.walk.json on quit) or, with a sink, through
 * it: after every accepted answer (final false) and once when the walk ends,
 * whatever its status (final true).  The sink says itself what it saved and
 * where; it returns false after printing why it could not.  Returns the exit
 * status of `casebook walk`.
 */
#include "casebook/walk.h"
typedef struct cli_walk_sink {
    bool (*save)(void *ctx, cb_walk *w, bool final);
    void *ctx;
} cli_walk_sink;
typedef struct cli_walk_args {
    const cb_playbook *pb;     /* the playbook, found by the caller (who owns it); NULL: found as below */
    const char *playbook;      /* id or file; NULL: playbook_path's */
    const char *playbook_path; /* where the playbook was (a transcript's playbook_path); NULL: none */
    const char *const *paths;  /* -p values */
    size_t npaths;
    const char *bundle;        /* the checks are answered from its logs; NULL: asked */
    bool bundle_optional;      /* a bundle that cannot be read is a warning (the walk goes on without it) */
    const char *bundle_fingerprint; /* bundle's, checked by cli_walk_bundle_ok: not computed again; NULL: computed */
    const cb_triage_opts *to;
    bool coach;
    const char *answers_path; /* NULL: ask */
    const char *engineer;     /* NULL: $CASEBOOK_USER, else $USER */
    const char *save;         /* file to save to after every answer; NULL: none */
    const json_t *resume;     /* a transcript to continue; NULL: a new walk */
    const char *resume_name;  /* how messages name it */
    const char *resume_file;  /* the file it came from, saved to when save is NULL; NULL: none */
    const cli_walk_sink *sink; /* NULL: save to files as above */
    cb_store *kb;             /* the knowledge base to name a conclusion's article from; NULL: the one in use */
} cli_walk_args;
int cli_walk_run(const cli_walk_args *a);
/*
 * May a walk read `bundle`, whose fingerprint was saved_fp (a transcript's,
 * of_case false; a case's, of_case true)?  True when its fingerprint is still
 * that; otherwise a warning says why it is not used and false.
 */
bool cli_walk_bundle_ok(const char *bundle, const char *saved_fp, bool of_case);
int cli_case_walk(int argc, char **argv);
/*
 * `case close ID` without --link (cli/cmd_case_walk.c): the article the
 * case's newest concluded walk names (cb_case_concluded_article) into art.
 * When it exists and may take links, on a terminal (standard input and
 * output) the person is asked "Link KB-...? [Y/n]": true when they said yes
 * (link art), false with art "" when they said no.  Off a terminal false
 * with art kept, for cli_case_link_hint to print after the close ("not
 * linked, and how").  A missing or archived article is a note on standard
 * error, art "".  No walk concluded on an article: false, art "".
 */
bool cli_case_offer_link(cb_store *s, const char *id, char *art, size_t size);
void cli_case_link_hint(const char *id, const char *art);

/* Subcommands. */
int cmd_ls(const cli_cmd *cmd, int argc, char **argv);
extern const cli_cmd cli_cmd_ls;
int cmd_grep(const cli_cmd *cmd, int argc, char **argv);
extern const cli_cmd cli_cmd_grep;
int cmd_lint(const cli_cmd *cmd, int argc, char **argv);
extern const cli_cmd cli_cmd_lint;
int cmd_triage(const cli_cmd *cmd, int argc, char **argv);
extern const cli_cmd cli_cmd_triage;
int cmd_test(const cli_cmd *cmd, int argc, char **argv);
extern const cli_cmd cli_cmd_test;
int cmd_show(const cli_cmd *cmd, int argc, char **argv);
extern const cli_cmd cli_cmd_show;
int cmd_walk(const cli_cmd *cmd, int argc, char **argv);
extern const cli_cmd cli_cmd_walk;
int cmd_list(const cli_cmd *cmd, int argc, char **argv);
extern const cli_cmd cli_cmd_list;
int cmd_people(const cli_cmd *cmd, int argc, char **argv);
extern const cli_cmd cli_cmd_people;
int cmd_kb(const cli_cmd *cmd, int argc, char **argv);
extern const cli_cmd cli_cmd_kb;
int cmd_case(const cli_cmd *cmd, int argc, char **argv);
extern const cli_cmd cli_cmd_case;
int cmd_mine(const cli_cmd *cmd, int argc, char **argv);
extern const cli_cmd cli_cmd_mine;

#endif

/* Options shared by every subcommand that reads a bundle (limits, --time-format). */
#include "casebook/bundle.h"
enum {
    OPT_TIME_FORMAT = 1000,
    OPT_MAX_RATIO,
    OPT_MAX_TOTAL,
    OPT_MAX_DEPTH,
    OPT_MAX_LINE,
    OPT_MAX_CPU,
    OPT_TZ,
};
#define CLI_BUNDLE_OPTS                                                                                         \
    {OPT_TIME_FORMAT, 0, "time-format", ARG_STRING, "FMT",                                                      \
     "timestamp format (a name such as syslog, or a pattern like '%d/%b/%Y:%H:%M:%S %z')"},                     \
        {OPT_MAX_RATIO, 0, "max-ratio", ARG_STRING, "N", "refuse members expanding more than N:1 (1000)"},      \
        {OPT_MAX_TOTAL, 0, "max-total", ARG_STRING, "SIZE", "stop after SIZE uncompressed bytes (64G)"},        \
        {OPT_MAX_DEPTH, 0, "max-depth", ARG_STRING, "N", "open archives nested up to N deep (4)"},              \
        {OPT_MAX_LINE, 0, "max-line", ARG_STRING, "SIZE", "truncate lines longer than SIZE (1M)"},       \
        {OPT_MAX_CPU, 0, "max-cpu", ARG_STRING, "SECONDS", "stop after SECONDS of CPU spent decompressing (600)"}, \
        {OPT_TZ, 0, "tz", ARG_STRING, "ZONE", "show times in ZONE: UTC (default), +HH:MM, or a name like Europe/Berlin"}

/*
 * Apply one of the CLI_BUNDLE_OPTS to opts.  Returns 1 when `id` was one of
 * them, 0 when not, CLI_USAGE (after printing) when its value is invalid.
 */
int cli_bundle_arg(const cli_cmd *cmd, int id, const char *arg, cb_bundle_opts *opts);

/*
 * Nothing read must not look like nothing found (cli/unread.c).  When no
 * line of the scanned bundle could be read (no file, or every file empty,
 * binary or unreadable), cli_nothing_read says why on stderr
 * ("casebook: CMD: BUNDLE: nothing could be read: ...") and returns true:
 * the command then exits 2.  Otherwise the files not read (partial,
 * unreadable, binary) are listed by cli_print_unread (text; y and z wrap
 * the heading, e.g. colour) or cli_json_unread (an array of {path, status,
 * reason}; NULL only when out of memory), with the count of text files that
 * no glob selected.
 */
#include "casebook/scan.h"
bool cli_nothing_read(const char *cmdname, const char *bundle, const cb_scan_result *r);
size_t cli_unread_count(const cb_scan_result *r);
void cli_print_unread(const cb_scan_result *r, const char *y, const char *z);
json_t *cli_json_unread(const cb_scan_result *r);

/*
 * The zone times are shown in (--tz, one per process): every time in text
 * and Markdown output goes through cli_time and every header names
 * cli_tz_name().  JSON keeps ISO 8601 in UTC ("...Z") whatever the zone.
 */
bool cli_tz_set(const char *zone, char *msg, size_t msgsize);
const char *cli_tz_name(void);
/* "2024-03-12 10:15:32" in the display zone; buf of at least 32 bytes. */
const char *cli_time(int64_t ms, char *buf, size_t size);

/* The playbook library: every -p PATH (paths[0..n)), else $CASEBOOK_PLAYBOOKS, else ./playbooks, else the
 * installed examples.  Problems loading files are added to diags.  *used names the default taken (NULL when
 * paths were given).  Returns CLI_OK, or CLI_USAGE when a path cannot be read at all. */
#include "casebook/playbook.h"
int cli_load_library(const char *const *paths, size_t n, cb_library *lib, cb_diags *diags, const char **used);
/*
 * The playbook a PLAYBOOK operand names: a file (a name with '/', ending in
 * .yaml/.yml, or an existing file) or an id in the library found as
 * cli_load_library does; else, when given, the playbook in fallback_path if its
 * id matches.  Loads into lib, which owns the result.  Prints why and returns
 * NULL when there is none.
 */
/*
 * True when pb is sound (cb_playbook_check_sound with the scanner's regex
 * check); else prints its problems as file:line:col lines and an error
 * naming cmdname, and returns false.
 */
bool cli_playbook_sound(const char *cmdname, const cb_playbook *pb);

const cb_playbook *cli_find_playbook(const char *cmdname, const char *name, const char *const *paths, size_t npaths,
                                     const char *fallback_path, cb_library *lib);
/* Print diagnostics as "prefix file:line:col: message" lines. */
void cli_print_diags(const cb_diags *d, FILE *out, const char *prefix);

/*
 * Triage as `casebook triage` does it (cli/cmd_triage.c), for the commands
 * that triage a bundle (triage, case new).  cli_triage_load: the library of
 * -p paths (cli_load_library), its load problems printed as warnings, none
 * found an error naming cmdname.  cli_triage_exec: run the triage (progress
 * on a terminal, skipped playbooks warned about); a bundle that cannot be
 * read, or of which nothing could be read, is an error.  Both return CLI_OK
 * or CLI_USAGE after printing why; *out is the triage to free with
 * cb_triage_free (set even when nothing could be read).
 * cli_triage_json: the JSON summary `triage --format json` prints (NULL when
 * out of memory); cli_triage_text: its text output, on stdout.
 * cli_triage_use_kb: the store both show each finding's article from (its
 * title and state, a warning for wip, archived or missing); NULL: none.
 * Borrowed until it is set again.
 */
#include "casebook/triage.h"
int cli_triage_load(const char *cmdname, const char *const *paths, size_t npaths, cb_library *lib);
int cli_triage_exec(const char *cmdname, const char *bundle, const cb_library *lib, cb_triage_opts *to,
                    cb_triage **out);
json_t *cli_triage_json(const char *bundle, const cb_triage *t, bool explain);
void cli_triage_text(const char *bundle, const cb_library *lib, const cb_triage *t, const cb_scan_opts *scan,
                     bool explain);
void cli_triage_use_kb(cb_store *s);

