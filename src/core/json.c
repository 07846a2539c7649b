/*
 * json.c — cb_json_dump (json.h): json_dumpb twice, once for the size and
 * once into a buffer of that size, so that no allocation happens while the
 * text is written (jansson's json_dumps can drop a key when one fails).
 */
#include <stdlib.h>

#include "casebook/json.h"

char *cb_json_dump(const json_t *j, size_t flags)
{
    if (!j)
        return NULL;
    size_t n = json_dumpb(j, NULL, 0, flags);
    char *text = n ? malloc(n + 1) : NULL;
    if (!text || json_dumpb(j, text, n, flags) != n) {
        free(text);
        return NULL;
    }
    text[n] = '\0';
    return text;
}
