/*
 * internal.h — included first by every library source file: feature macros,
 * small helpers, and the ban on unsafe libc functions (as git does), so that a
 * strcpy or sprintf slipped into the library fails to compile.
 */
#ifndef CB_INTERNAL_H
#define CB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define CB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define CB_MIN(a, b) ((a) < (b) ? (a) : (b))
#define CB_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Copy at most size-1 bytes of src and always NUL-terminate; returns strlen(src). */
size_t cb__strlcpy(char *dst, const char *src, size_t size);

/* Count '\n' bytes in p[0..n) (vectorised; bytes.c); *has_cr tells whether any '\r' was seen. */
uint64_t cb__count_lf(const char *p, size_t n);
uint64_t cb__count_lf_cr(const char *p, size_t n, _Bool *has_cr);

/*
 * Make room in the growable array *p (*cap elements of `size` bytes) for at
 * least `need` elements, doubling its capacity (16 at first).  Returns false,
 * changing nothing, when out of memory or when the size would overflow.
 */
_Bool cb__grow_slow(void **p, size_t *cap, size_t need, size_t size);
static inline _Bool cb__grow(void **p, size_t *cap, size_t need, size_t size)
{
    return need <= *cap || cb__grow_slow(p, cap, need, size); /* inline: the scanner calls it per candidate */
}

/* SHA-256 (sha256.c): of n bytes, as 32 raw bytes / as 64 lowercase hex digits plus NUL; or incrementally. */
typedef struct cb__sha256_ctx {
    uint32_t h[8];
    unsigned char block[64];
    size_t fill;    /* bytes in block */
    uint64_t total; /* bytes hashed */
} cb__sha256_ctx;
void cb__sha256(const void *data, size_t n, unsigned char out[32]);
void cb__sha256_hex(const void *data, size_t n, char out[65]);
void cb__sha256_init(cb__sha256_ctx *c);
void cb__sha256_update(cb__sha256_ctx *c, const void *data, size_t n);
void cb__sha256_final(cb__sha256_ctx *c, unsigned char out[32]);
void cb__hex(const unsigned char d[32], char out[65]);

/* "64 GiB", "1.5 MiB", "512 B": for messages. */
const char *cb__human_bytes(uint64_t n, char *buf, size_t size);

#define CB__BANNED(f) sorry_##f##_is_banned_use_cb_buf_or_snprintf
#undef strcpy
#define strcpy(a, b) CB__BANNED(strcpy)
#undef strcat
#define strcat(a, b) CB__BANNED(strcat)
#undef sprintf
#define sprintf(...) CB__BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) CB__BANNED(vsprintf)
#undef strtok
#define strtok(a, b) CB__BANNED(strtok)
#undef gets
#define gets(a) CB__BANNED(gets)

#endif
