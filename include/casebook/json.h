/*
 * json.h — JSON text from jansson values, safe when memory runs out.
 *
 * jansson 2.14's json_dumps ignores a failed allocation while it writes an
 * object's key and returns the text without that key: a transcript or a
 * revision saved from it would silently lose a field.  cb_json_dump asks
 * json_dumpb for the size, allocates once, and writes into that buffer,
 * which allocates nothing while writing.
 */
#ifndef CASEBOOK_JSON_H
#define CASEBOOK_JSON_H

#include <stddef.h>

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The text of j with jansson's `flags` (JSON_COMPACT, JSON_INDENT(n),
 * JSON_PRESERVE_ORDER, JSON_ENCODE_ANY...), NUL-terminated, on the heap: the
 * caller frees it with free().  NULL when j is NULL, cannot be encoded with
 * these flags, or memory runs out; never a text with something left out.
 */
char *cb_json_dump(const json_t *j, size_t flags);

#ifdef __cplusplus
}
#endif
#endif
