/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The security-event log: one JSON object per line, appended to a file
 * that logrotate may rename or remove at any time.  No daemon state;
 * the caller drives the fsync timer (cyl_eventlog_sync() once a second).
 */
#ifndef CYL_EVENTLOG_H
#define CYL_EVENTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define CYL_EVENTLOG_DEFAULT	"/var/log/cylcomed/events.jsonl"
/* Lines longer than this are skipped when the log is read back. */
#define CYL_EVENTLOG_LINE_MAX	(64 * 1024)

enum cyl_eventlog_fsync {
	CYL_EVENTLOG_FSYNC_INTERVAL,	/* by cyl_eventlog_sync(), and on close */
	CYL_EVENTLOG_FSYNC_ALWAYS,	/* after every line */
	CYL_EVENTLOG_FSYNC_NEVER,	/* leave it to the kernel */
};

struct cyl_eventlog;

struct cyl_eventlog_stats {
	uint64_t lines;		/* written in full */
	uint64_t errors;	/* failed or short writes */
	uint64_t syncs;		/* fsync() calls */
	uint64_t reopens;	/* after rotation or on request */
};

/* "always", "never", "interval"; -EINVAL for anything else. */
int cyl_eventlog_parse_fsync(const char *s, enum cyl_eventlog_fsync *mode);

/*
 * Open @path with O_APPEND, mode 0640, creating its directory (0750) if
 * that is missing.  Returns 0 or a negative errno.
 */
int cyl_eventlog_open(struct cyl_eventlog **out, const char *path,
		      enum cyl_eventlog_fsync mode);

/*
 * Append @event as one line.  If the path no longer names the open file
 * (renamed or removed by logrotate) the file is reopened first.  A
 * failure returns a negative errno and leaves the log usable.
 */
int cyl_eventlog_write(struct cyl_eventlog *log, const json_t *event);
/* The same for a line already rendered; @len includes its newline. */
int cyl_eventlog_write_line(struct cyl_eventlog *log, const char *line,
			    size_t len);

/*
 * Between cyl_eventlog_batch(log, true) and (log, false), lines are
 * collected and written with one write() at the end (or whenever
 * CYL_EVENTLOG_BATCH_MAX bytes wait): the agent drains the ring buffer
 * in batches.  cyl_eventlog_flush() writes what waits now.
 */
#define CYL_EVENTLOG_BATCH_MAX	(64 * 1024)
void cyl_eventlog_batch(struct cyl_eventlog *log, bool on);
int cyl_eventlog_flush(struct cyl_eventlog *log);

/* Close and open the path again (SIGHUP). */
int cyl_eventlog_reopen(struct cyl_eventlog *log);

/* fsync() if lines were written since the last one (mode "never": no-op). */
int cyl_eventlog_sync(struct cyl_eventlog *log);

/* Sync as cyl_eventlog_sync() does, close, free.  NULL is fine. */
void cyl_eventlog_close(struct cyl_eventlog *log);

const char *cyl_eventlog_path(const struct cyl_eventlog *log);
void cyl_eventlog_get_stats(const struct cyl_eventlog *log,
			    struct cyl_eventlog_stats *st);

/*
 * Read @path back: the last @n events for which @match (NULL: all)
 * returns true, oldest first, into a new array in @out, stopping early
 * once @max_bytes of lines are collected.  Lines that are not JSON
 * objects are skipped.  A missing file gives an empty array.
 */
int cyl_eventlog_tail(const char *path, size_t n, size_t max_bytes,
		      bool (*match)(const json_t *event, void *ctx), void *ctx,
		      json_t **out);

#endif /* CYL_EVENTLOG_H */
