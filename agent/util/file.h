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

/* The same from an open descriptor (standard input, say), read to its end. */
int cyl_read_fd(int fd, size_t max, char **buf, size_t *len);

/* Write all @len bytes of @data to @fd (EINTR retried); 0 or -errno. */
int cyl_write_all(int fd, const void *data, size_t len);

/*
 * Create @path, which must not exist (nor be a symlink), with exactly
 * @mode whatever the umask, holding @len bytes of @data, synced.  On
 * failure nothing is left behind.  Returns 0, -EEXIST, or a negative errno.
 */
int cyl_write_new_file(const char *path, const void *data, size_t len, mode_t mode);

/*
 * Replace @path with @len bytes of @data: write a temporary file beside
 * it, fsync, rename over, fsync the directory.  A crash leaves either the
 * old or the new content, never a mix.  Returns 0 or a negative errno.
 */
int cyl_write_file_atomic(const char *path, const void *data, size_t len,
			  mode_t mode);

/* What cyl_create_file_at() was doing when it failed. */
enum cyl_create_step {
	CYL_CREATE_OPEN,	/* creating @tmp */
	CYL_CREATE_WRITE,	/* writing @tmp */
	CYL_CREATE_FSYNC,	/* syncing @tmp */
	CYL_CREATE_RENAME,	/* @tmp to @name: nothing was created */
	CYL_CREATE_DIR_FSYNC,	/* the directory: @name exists, maybe not on disk */
};

/*
 * Create @name in directory @dfd holding @len bytes of @data, never
 * half-made and never over an existing @name: written and synced under
 * @tmp (one left by a crash is removed first), renamed into place, then
 * the directory synced.  Returns the new file's descriptor (O_WRONLY |
 * O_APPEND), or a negative errno with *@step saying where it failed;
 * before the rename @tmp is removed again.
 */
int cyl_create_file_at(int dfd, const char *name, const char *tmp,
		       const void *data, size_t len, enum cyl_create_step *step);

/* "create", "write", "fsync", "rename", "directory fsync". */
const char *cyl_create_step_name(enum cyl_create_step step);

#endif /* CYL_UTIL_FILE_H */
