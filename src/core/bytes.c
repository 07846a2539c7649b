/*
 * bytes.c — the byte loops every byte of every text file goes through.
 */
#include <stdbool.h>

#include "core/internal.h"

/*
 * Counting line ends is the one loop every byte of every text file goes
 * through, so it is vectorised: byte lanes accumulate matches (up to 255
 * iterations before they must be summed) and CR bytes are noticed in the same
 * pass, so that CRLF clean-up costs nothing for files without CR.  An AVX2
 * version is chosen at run time where the CPU has it; the portable version
 * uses 16-byte vectors (SSE2 on x86-64, NEON on arm64).
 */
#define CB__COUNT_BODY(VT, W)                                                                                   \
    uint64_t total = 0;                                                                                         \
    size_t i = 0;                                                                                               \
    VT nl, crv, anycr = {0};                                                                                    \
    for (int j = 0; j < W; j++) {                                                                               \
        nl[j] = '\n';                                                                                           \
        crv[j] = '\r';                                                                                          \
    }                                                                                                           \
    while (n - i >= W) {                                                                                        \
        size_t blocks = CB_MIN((n - i) / W, (size_t)255);                                                       \
        VT acc = {0};                                                                                           \
        for (size_t k = 0; k < blocks; k++, i += W) {                                                           \
            VT v;                                                                                               \
            memcpy(&v, p + i, W);                                                                               \
            acc -= (VT)(v == nl);                                                                               \
            anycr |= (VT)(v == crv);                                                                            \
        }                                                                                                       \
        for (int j = 0; j < W; j++)                                                                             \
            total += acc[j];                                                                                    \
    }                                                                                                           \
    bool cr = false;                                                                                            \
    for (int j = 0; j < W; j++)                                                                                 \
        cr |= anycr[j] != 0;                                                                                    \
    for (; i < n; i++) {                                                                                        \
        total += p[i] == '\n';                                                                                  \
        cr |= p[i] == '\r';                                                                                     \
    }                                                                                                           \
    *has_cr = cr;                                                                                               \
    return total;

typedef unsigned char cb__v16 __attribute__((vector_size(16)));

static uint64_t count_lf_generic(const char *p, size_t n, bool *has_cr)
{
    CB__COUNT_BODY(cb__v16, 16)
}

#if defined(__x86_64__) && defined(__GNUC__)
typedef unsigned char cb__v32 __attribute__((vector_size(32)));

__attribute__((target("avx2"))) static uint64_t count_lf_avx2(const char *p, size_t n, bool *has_cr)
{
    CB__COUNT_BODY(cb__v32, 32)
}
#endif

uint64_t cb__count_lf_cr(const char *p, size_t n, bool *has_cr)
{
#if defined(__x86_64__) && defined(__GNUC__)
    static int avx2 = -1; /* a benign race: every thread computes the same value */
    if (avx2 < 0) {
        __builtin_cpu_init();
        avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    if (avx2)
        return count_lf_avx2(p, n, has_cr);
#endif
    return count_lf_generic(p, n, has_cr);
}

uint64_t cb__count_lf(const char *p, size_t n)
{
    bool cr;
    return cb__count_lf_cr(p, n, &cr);
}
