/*
 * tmpdir.h — a fresh temporary directory per test suite, for the unit tests
 * that work on real files (stores, articles, atomic writes).  Include it in
 * one test file; call tmpdir_make("cb-NAME") from the group setup and use
 * tmpdir_teardown as the group teardown.  at("x/y") is a path inside it (four
 * rotating buffers, so up to four may be used in one expression).
 */
#ifndef CB_TEST_TMPDIR_H
#define CB_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>

static char dir[64];

static int tmpdir_make(const char *prefix)
{
    snprintf(dir, sizeof dir, "/tmp/%s-XXXXXX", prefix);
    return mkdtemp(dir) ? 0 : -1;
}

static int tmpdir_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *at(const char *name)
{
    static char ring[4][256];
    static unsigned n;
    char *p = ring[n++ % 4];
    snprintf(p, sizeof ring[0], "%s/%s", dir, name);
    return p;
}

#endif
