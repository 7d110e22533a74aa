// SPDX-License-Identifier: GPL-2.0
/*
 * The security-event log.  Each line goes out in one write() on an
 * O_APPEND descriptor.  An inotify watch on the file tells whether
 * logrotate moved or removed it, in which case the path is opened again
 * before the next write; if that fails the old file keeps the events.
 * The watch costs one non-blocking read per line where a stat() of the
 * path would cost a path lookup (without inotify, stat() it is).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/eventlog.h"
#include "util/file.h"

#define TAIL_CHUNK	(64 * 1024)

struct cyl_eventlog {
	char *path;
	int fd;
	dev_t dev;		/* of the open file, to notice rotation */
	ino_t ino;
	int ifd, wd;		/* inotify watch on the open file, or -1 */
	enum cyl_eventlog_fsync mode;
	bool dirty;		/* written since the last fsync */
	bool partial;		/* the last write stopped mid-line */
	bool stale;		/* rotated, and reopening failed so far */
	bool batching;		/* lines wait in pending until the batch ends */
	char *pending;
	size_t pending_len, pending_cap;
	struct cyl_eventlog_stats st;
};

int cyl_eventlog_parse_fsync(const char *s, enum cyl_eventlog_fsync *mode)
{
	if (!strcmp(s, "interval"))
		*mode = CYL_EVENTLOG_FSYNC_INTERVAL;
	else if (!strcmp(s, "always"))
		*mode = CYL_EVENTLOG_FSYNC_ALWAYS;
	else if (!strcmp(s, "never"))
		*mode = CYL_EVENTLOG_FSYNC_NEVER;
	else
		return -EINVAL;
	return 0;
}

/* The file's directory, created 0750 when missing (one level only). */
static int make_dir(const char *path)
{
	char *dir, *slash;
	int ret = 0;

	dir = strdup(path);
	if (!dir)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0750) && errno != EEXIST)
			ret = -errno;
	}
	free(dir);
	return ret;
}

/* Watch the file just opened (the path now names it); best effort. */
static void watch(struct cyl_eventlog *log)
{
	char buf[4096];

	if (log->ifd < 0)
		return;
	if (log->wd >= 0)
		inotify_rm_watch(log->ifd, log->wd);
	/* An unlink shows as IN_ATTRIB (link count) while we hold the fd. */
	log->wd = inotify_add_watch(log->ifd, log->path,
				    IN_MOVE_SELF | IN_DELETE_SELF | IN_ATTRIB);
	/* Events about the old file are answered by this reopen. */
	while (read(log->ifd, buf, sizeof(buf)) > 0)
		;
}

static int open_file(struct cyl_eventlog *log)
{
	struct stat st;
	int fd, ret;

	fd = open(log->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	if (log->fd >= 0) {
		/* Whatever went to the old file must reach its disk too. */
		if (log->dirty && log->mode != CYL_EVENTLOG_FSYNC_NEVER &&
		    !fsync(log->fd))
			log->st.syncs++;
		close(log->fd);
	}
	log->fd = fd;
	log->dev = st.st_dev;
	log->ino = st.st_ino;
	watch(log);
	log->dirty = false;
	log->partial = false;
	return 0;
}

int cyl_eventlog_open(struct cyl_eventlog **out, const char *path,
		      enum cyl_eventlog_fsync mode)
{
	struct cyl_eventlog *log;
	int ret;

	*out = NULL;
	log = calloc(1, sizeof(*log));
	if (!log)
		return -ENOMEM;
	log->fd = -1;
	log->wd = -1;
	log->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	log->mode = mode;
	ret = -ENOMEM;
	if (!(log->path = strdup(path)))
		goto err;
	if ((ret = make_dir(path)) != 0 || (ret = open_file(log)) != 0)
		goto err;
	*out = log;
	return 0;
err:
	if (log->ifd >= 0)
		close(log->ifd);
	free(log->path);
	free(log);
	return ret;
}

int cyl_eventlog_reopen(struct cyl_eventlog *log)
{
	int ret = open_file(log);

	if (!ret)
		log->st.reopens++;
	return ret;
}

/* Has the path been renamed or removed since we opened it? */
static bool rotated(const struct cyl_eventlog *log)
{
	char buf[4096];
	struct stat st;

	if (log->ifd >= 0 && log->wd >= 0)
		return read(log->ifd, buf, sizeof(buf)) > 0;
	if (stat(log->path, &st))
		return true;
	return st.st_dev != log->dev || st.st_ino != log->ino;
}

/* Write @len bytes of whole lines to the file, reopened if rotated. */
static int write_lines(struct cyl_eventlog *log, const char *buf, size_t len,
		       size_t lines)
{
	int ret;

	/* A failed reopen is not fatal: the old file still takes lines. */
	if (log->stale || rotated(log))
		log->stale = cyl_eventlog_reopen(log) != 0;
	/* A newline first ends a line a failed write left unfinished. */
	if (log->partial && cyl_write_all(log->fd, "\n", 1) == 0)
		log->partial = false;
	ret = cyl_write_all(log->fd, buf, len);
	log->dirty = true;
	if (ret) {
		log->st.errors++;
		log->partial = true;
		return ret;
	}
	log->st.lines += lines;
	if (log->mode == CYL_EVENTLOG_FSYNC_ALWAYS)
		return cyl_eventlog_sync(log);
	return 0;
}

static size_t count_lines(const char *buf, size_t len)
{
	size_t n = 0;

	while (len--)
		n += *buf++ == '\n';
	return n;
}

int cyl_eventlog_flush(struct cyl_eventlog *log)
{
	int ret;

	if (!log || !log->pending_len)
		return 0;
	ret = write_lines(log, log->pending, log->pending_len,
			  count_lines(log->pending, log->pending_len));
	log->pending_len = 0;
	return ret;
}

void cyl_eventlog_batch(struct cyl_eventlog *log, bool on)
{
	if (!log)
		return;
	log->batching = on;
	if (!on)
		cyl_eventlog_flush(log);
}

int cyl_eventlog_write_line(struct cyl_eventlog *log, const char *line,
			    size_t len)
{
	size_t need;

	if (!len || line[len - 1] != '\n')
		return -EINVAL;
	if (!log->batching)
		return write_lines(log, line, len, 1);
	/* In a batch: one write() for many lines, at the batch's end. */
	need = log->pending_len + len;
	if (need > log->pending_cap) {
		size_t cap = need > 2 * log->pending_cap ? need : 2 * log->pending_cap;
		char *p = realloc(log->pending, cap);

		if (!p)
			return -ENOMEM;
		log->pending = p;
		log->pending_cap = cap;
	}
	memcpy(log->pending + log->pending_len, line, len);
	log->pending_len += len;
	if (log->pending_len >= CYL_EVENTLOG_BATCH_MAX)
		return cyl_eventlog_flush(log);
	return 0;
}

int cyl_eventlog_write(struct cyl_eventlog *log, const json_t *event)
{
	size_t n;
	char *s;
	int ret;

	s = json_dumps(event, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!s)
		return -ENOMEM;
	n = strlen(s);
	s[n] = '\n';	/* replaces the NUL; written by length */
	ret = cyl_eventlog_write_line(log, s, n + 1);
	free(s);
	return ret;
}

int cyl_eventlog_sync(struct cyl_eventlog *log)
{
	if (!log || !log->dirty || log->mode == CYL_EVENTLOG_FSYNC_NEVER)
		return 0;
	log->dirty = false;
	log->st.syncs++;
	if (fsync(log->fd)) {
		log->st.errors++;
		return -errno;
	}
	return 0;
}

void cyl_eventlog_close(struct cyl_eventlog *log)
{
	if (!log)
		return;
	cyl_eventlog_flush(log);
	cyl_eventlog_sync(log);
	if (log->fd >= 0)
		close(log->fd);
	free(log->pending);
	if (log->ifd >= 0)
		close(log->ifd);
	free(log->path);
	free(log);
}

const char *cyl_eventlog_path(const struct cyl_eventlog *log)
{
	return log->path;
}

void cyl_eventlog_get_stats(const struct cyl_eventlog *log,
			    struct cyl_eventlog_stats *st)
{
	*st = log->st;
}

struct tail {
	size_t n, max_bytes, bytes;
	bool (*match)(const json_t *event, void *ctx);
	void *ctx;
	json_t *rev;		/* newest first */
};

/* One line, met newest first.  Returns true once the tail is full. */
static bool tail_line(struct tail *t, const char *s, size_t len)
{
	json_t *ev;

	if (!len || len > CYL_EVENTLOG_LINE_MAX)
		return false;
	ev = json_loadb(s, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(ev) || (t->match && !t->match(ev, t->ctx))) {
		json_decref(ev);
		return false;
	}
	if (t->bytes + len > t->max_bytes) {
		json_decref(ev);
		return true;
	}
	t->bytes += len;
	json_array_append_new(t->rev, ev);
	return json_array_size(t->rev) >= t->n;
}

/* Read backwards in chunks, carrying the unfinished first line along. */
static int tail_scan(int fd, struct tail *t)
{
	char *buf = NULL, *carry = NULL;
	size_t carry_len = 0, len, total, end, i;
	struct stat st;
	off_t off;
	bool done = false;
	int ret = 0;

	if (fstat(fd, &st))
		return -errno;
	off = st.st_size;
	while (off > 0 && !done && t->n) {
		len = off < TAIL_CHUNK ? (size_t)off : TAIL_CHUNK;
		off -= len;
		total = len + carry_len;
		ret = -ENOMEM;
		if (!(buf = malloc(total)))
			break;
		if (pread(fd, buf, len, off) != (ssize_t)len) {
			ret = -EIO;
			break;
		}
		if (carry_len)
			memcpy(buf + len, carry, carry_len);
		free(carry);
		carry = NULL;
		ret = 0;

		end = total;
		for (i = total; i-- > 0 && !done;) {
			if (buf[i] != '\n')
				continue;
			done = tail_line(t, buf + i + 1, end - i - 1);
			end = i;
		}
		if (!done && off == 0) {
			done = tail_line(t, buf, end);
		} else if (!done) {
			/* An overlong line is dropped, not carried forever. */
			carry_len = end <= CYL_EVENTLOG_LINE_MAX ? end : 0;
			if (carry_len && !(carry = malloc(carry_len))) {
				ret = -ENOMEM;
				break;
			}
			if (carry_len)
				memcpy(carry, buf, carry_len);
		}
		free(buf);
		buf = NULL;
	}
	free(buf);
	free(carry);
	return ret;
}

int cyl_eventlog_tail(const char *path, size_t n, size_t max_bytes,
		      bool (*match)(const json_t *event, void *ctx), void *ctx,
		      json_t **out)
{
	struct tail t = { .n = n, .max_bytes = max_bytes, .match = match,
			  .ctx = ctx };
	json_t *arr = NULL;
	size_t i;
	int fd, ret = -ENOMEM;

	*out = NULL;
	if (!(t.rev = json_array()) || !(arr = json_array()))
		goto out;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT) {
		ret = -errno;
		goto out;
	}
	if (fd >= 0) {
		ret = tail_scan(fd, &t);
		close(fd);
		if (ret)
			goto out;
	}
	ret = -ENOMEM;
	for (i = json_array_size(t.rev); i-- > 0;) {
		if (json_array_append(arr, json_array_get(t.rev, i)))
			goto out;
	}
	*out = arr;
	arr = NULL;
	ret = 0;
out:
	json_decref(t.rev);
	json_decref(arr);
	return ret;
}
