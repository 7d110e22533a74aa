/* SPDX-License-Identifier: GPL-2.0 */
/* Whole-file reads with a size bound, whole writes, crash-safe replacement. */
#ifndef CYL_UTIL_FILE_H
#define CYL_UTIL_FILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Read all of @path into a malloc'ed, NUL-terminated buffer.  Returns 0,
 * -EFBIG if it holds more than @max bytes, or a negative errno.
 */
int cyl_read_file(const char *path, size_t max, char **buf, size_t *len);

/* Write all @len bytes of @data to @fd (EINTR retried); 0 or -errno. */
int cyl_write_all(int fd, const void *data, size_t len);

/*
 * Replace @path with @len bytes of @data: write a temporary file beside
 * it, fsync, rename over, fsync the directory.  A crash leaves either the
 * old or the new content, never a mix.  Returns 0 or a negative errno.
 */
int cyl_write_file_atomic(const char *path, const void *data, size_t len,
			  mode_t mode);

#endif /* CYL_UTIL_FILE_H */
