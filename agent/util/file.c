// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/file.h"

int cyl_read_fd(int fd, size_t max, char **buf, size_t *len)
{
	size_t cap = 1 << 16, got = 0;
	struct stat st;
	char *data, *p;
	ssize_t n;

	*buf = NULL;
	*len = 0;
	/* A regular file's size is a good first guess; anything else grows. */
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size < max ? (size_t)st.st_size + 1 : max + 1;
	if (cap > max + 1)
		cap = max + 1;
	data = malloc(cap + 1);
	if (!data)
		return -ENOMEM;
	for (;;) {
		if (got == cap) {
			/* Read one byte past the limit so an oversized file is noticed. */
			if (got > max) {
				free(data);
				return -EFBIG;
			}
			cap = cap > max / 2 ? max + 1 : 2 * cap;
			p = realloc(data, cap + 1);
			if (!p) {
				free(data);
				return -ENOMEM;
			}
			data = p;
		}
		n = read(fd, data + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			free(data);
			return (int)n;
		}
		if (!n)
			break;
		got += (size_t)n;
	}
	if (got > max) {
		free(data);
		return -EFBIG;
	}
	data[got] = '\0';
	*buf = data;
	*len = got;
	return 0;
}

int cyl_read_file(const char *path, size_t max, char **buf, size_t *len)
{
	int fd, ret;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = cyl_read_fd(fd, max, buf, len);
	close(fd);
	return ret;
}

int cyl_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= n;
	}
	return 0;
}

int cyl_write_new_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd, ret;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	ret = fchmod(fd, mode) ? -errno : cyl_write_all(fd, data, len);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (ret)
		unlink(path);
	return ret;
}

int cyl_write_file_atomic(const char *path, const void *data, size_t len,
			  mode_t mode)
{
	char tmp[4096], dir[4096];
	int fd, dfd, ret;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -errno;
	ret = cyl_write_all(fd, data, len);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return ret;
	}
	/* The rename itself must reach the disk too. */
	snprintf(dir, sizeof(dir), "%s", path);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int cyl_create_file_at(int dfd, const char *name, const char *tmp,
		       const void *data, size_t len, enum cyl_create_step *step)
{
	int fd, ret;

	*step = CYL_CREATE_OPEN;
	unlinkat(dfd, tmp, 0);		/* left by a crash */
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_APPEND |
		    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	*step = CYL_CREATE_WRITE;
	if ((ret = cyl_write_all(fd, data, len)) != 0)
		goto out_unlink;
	*step = CYL_CREATE_FSYNC;
	if (fsync(fd)) {
		ret = -errno;
		goto out_unlink;
	}
	/* RENAME_NOREPLACE where the filesystem has it (EINVAL: it has not). */
	*step = CYL_CREATE_RENAME;
	if (renameat2(dfd, tmp, dfd, name, RENAME_NOREPLACE) &&
	    (errno != EINVAL || renameat(dfd, tmp, dfd, name))) {
		ret = -errno;
		goto out_unlink;
	}
	*step = CYL_CREATE_DIR_FSYNC;
	if (fsync(dfd)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
out_unlink:
	unlinkat(dfd, tmp, 0);
	close(fd);
	return ret;
}

const char *cyl_create_step_name(enum cyl_create_step step)
{
	static const char *const names[] = {
		[CYL_CREATE_OPEN] = "create", [CYL_CREATE_WRITE] = "write",
		[CYL_CREATE_FSYNC] = "fsync", [CYL_CREATE_RENAME] = "rename",
		[CYL_CREATE_DIR_FSYNC] = "directory fsync",
	};

	return names[step];
}
