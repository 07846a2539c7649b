/*
 * people.h — the people of a knowledge base, on the store (store.h, table
 * `people` and `people_domains` of schema 1): who they are (handle, name),
 * their KCS licence level (role), whether they coach, and the domains (tags)
 * they own as Knowledge Domain Experts.  docs/knowledge.md describes the
 * model; the CLI front end is `casebook people`.
 *
 * Rules checked here, before anything is written:
 *   handle  1 to 64 bytes of [a-z0-9._-], beginning with a letter or digit
 *           (CB_PEOPLE_HANDLE_MAX); it names a person in every table that
 *           refers to one, in file forms and on command lines
 *   name    1 to 200 bytes (CB_PEOPLE_NAME_MAX) of valid UTF-8 with no
 *           control character (C0, DEL, C1, bidi overrides: cb_utf8_is_control,
 *           TAB included), not only spaces
 *   domain  the handle's rule (a domain is a tag); each at most once, at most
 *           CB_PEOPLE_DOMAINS_MAX per person; kept sorted
 *
 * Every write is one transaction of its own (cb_store_begin / commit): a
 * failure leaves the store as it was.  The store must have no transaction
 * open (CB_EINVAL otherwise).  Strings passed in are borrowed for the call;
 * what comes out is owned by the cb_person / cb_people it is in.
 */
#ifndef CASEBOOK_PEOPLE_H
#define CASEBOOK_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casebook/error.h"
#include "casebook/store.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    CB_PEOPLE_HANDLE_MAX = 64,   /* bytes of a handle or a domain */
    CB_PEOPLE_NAME_MAX = 200,    /* bytes of a name */
    CB_PEOPLE_DOMAINS_MAX = 64,  /* domains of one person */
};

/* KCS licence levels, in increasing rights. */
typedef enum cb_role {
    CB_ROLE_NONE = 0, /* "unchanged" in cb_person_change; never stored */
    CB_ROLE_CANDIDATE = 1,
    CB_ROLE_CONTRIBUTOR = 2,
    CB_ROLE_PUBLISHER = 3,
} cb_role;

/* "candidate", "contributor", "publisher"; NULL for any other value. */
const char *cb_role_name(cb_role r);
/* The role a name spells (exactly, lowercase); CB_ROLE_NONE when none. */
cb_role cb_role_parse(const char *s);

/* Is s a valid handle (or domain)?  False for NULL. */
bool cb_people_handle_valid(const char *s);
/* CB_OK when s is a valid name, else CB_EINVAL with err saying why.  NULL is invalid. */
cb_status cb_people_name_check(const char *s, cb_error *err);

/* A person as read from the store.  Every string is heap-owned by the struct: release with cb_person_release. */
typedef struct cb_person {
    char *handle;
    char *name;
    cb_role role;
    bool coach;
    char **domains; /* sorted; ndomains of them */
    size_t ndomains;
    size_t cap;
    char *created, *updated; /* "YYYY-MM-DDTHH:MM:SSZ" (cb_store_now) */
} cb_person;

/* Free what p holds and zero it.  Accepts NULL. */
void cb_person_release(cb_person *p);

/* People in handle order; release with cb_people_release. */
typedef struct cb_people {
    cb_person *v;
    size_t n;
    size_t cap;
} cb_people;
void cb_people_release(cb_people *l);

/* What a new person is: every field is checked (role must not be CB_ROLE_NONE). Borrowed strings. */
typedef struct cb_person_new {
    const char *handle;
    const char *name;
    cb_role role;
    bool coach;
    const char *const *domains; /* may repeat a domain: stored once */
    size_t ndomains;
} cb_person_new;

/*
 * Add a person (created = updated = the store's clock).  Fails with CB_EINVAL
 * (a field breaks the rules above, or the handle is taken: the message says
 * "already exists"), CB_EIO, CB_ENOMEM.
 */
cb_status cb_people_add(cb_store *s, const cb_person_new *p, cb_error *err);

/* What cb_people_set changes: NULL / CB_ROLE_NONE / coach_set false / domains_set false leave a field as it is. */
typedef struct cb_person_change {
    const char *name;
    cb_role role;
    bool coach_set;
    bool coach;
    bool domains_set;           /* replace the domains by these (ndomains 0: none) */
    const char *const *domains;
    size_t ndomains;
} cb_person_change;

/*
 * Change a person; `updated` becomes the store's clock (even when nothing
 * else changes).  Fails with CB_ENOTFOUND (no such handle), CB_EINVAL (a
 * field breaks the rules), CB_EIO, CB_ENOMEM.
 */
cb_status cb_people_set(cb_store *s, const char *handle, const cb_person_change *c, cb_error *err);

/*
 * The person with this handle into *out (initialised here; what it held is
 * not freed).  On success the caller releases *out with cb_person_release.
 * Fails with CB_ENOTFOUND (no such handle, or an invalid one), CB_EIO,
 * CB_ENOMEM; *out is then empty.
 */
cb_status cb_people_get(cb_store *s, const char *handle, cb_person *out, cb_error *err);

/* Everyone, by handle, into *out (initialised here); release with cb_people_release whatever is returned. */
cb_status cb_people_list(cb_store *s, cb_people *out, cb_error *err);

/* How many people there are (0: a fresh knowledge base, where no rule applies yet). */
cb_status cb_people_count(cb_store *s, int64_t *n, cb_error *err);

#ifdef __cplusplus
}
#endif
#endif
