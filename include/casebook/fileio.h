/*
 * fileio.h — reading and writing the small files casebook keeps (walk
 * transcripts, saved results): bounded reads and atomic, link-safe writes.
 */
#ifndef CASEBOOK_FILEIO_H
#define CASEBOOK_FILEIO_H

#include <stddef.h>

#include "casebook/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Replace the file at `path` with `len` bytes of `data`, all or nothing: the
 * bytes go to a new temporary file in the same directory, created with
 * O_CREAT|O_EXCL|O_NOFOLLOW under a unique name (so a link planted where the
 * temporary goes is never followed, and two writers never share one), are
 * flushed to disk, and the temporary is renamed over `path`.  A symbolic link
 * at `path` itself is replaced, not written through.  The new file has mode
 * 0666 less the umask.  Returns CB_OK; CB_EIO with a message naming path and
 * the system's reason (nothing at `path` has changed); CB_ENOMEM.
 */
cb_status cb_file_write_atomic(const char *path, const void *data, size_t len, cb_error *err);

/*
 * Read the whole regular file at `path`, refusing one larger than `max`
 * bytes.  On CB_OK *out owns a NUL-terminated copy (free with free()) and
 * *len its length.  Fails with CB_ENOTFOUND, CB_EIO (not a regular file, a
 * read error), CB_ELIMIT (larger than max), CB_ENOMEM; err names path.
 */
cb_status cb_file_read(const char *path, size_t max, char **out, size_t *len, cb_error *err);

#ifdef __cplusplus
}
#endif
#endif
