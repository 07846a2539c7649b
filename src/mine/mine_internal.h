/* mine_internal.h — pieces shared by the miner's files (mask.c, mine.c). */
#ifndef CB_MINE_INTERNAL_H
#define CB_MINE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#define CB__WILD "<*>"

/* A token of a masked line: a slice of the mask buffer. */
typedef struct cb__tok {
    uint32_t off, len;
} cb__tok;

/*
 * Mask `text` into dst (size bytes, NUL-terminated, the cut counted as
 * snprintf's) and, when toks is not NULL, record each token's slice in it:
 * the caller sizes dst at 3 * len + 1 and toks at len / 2 + 1, which always
 * suffice (a 1-byte run becomes 3 bytes; tokens are separated by blanks).
 */
size_t cb__mine_mask(const char *text, size_t len, char *dst, size_t size, cb__tok *toks, size_t *ntok);

#endif
