/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Security events as JSON objects (Documentation/events.md), pure
 * functions only: the caller supplies clocks, names and /proc lookups.
 *
 * Every event has the keys, in this order: time, host, seq, type,
 * device, subject, verdict, reason, then optional ones (dev, counters).
 * Builders leave time/host/seq as placeholders for cyl_event_stamp(),
 * except that an event from BPF carries its own time.
 */
#ifndef CYL_EVENT_H
#define CYL_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>
#include <cylcomed/bpf.h>

/* "2024-05-01T12:34:56.789Z": 24 characters and the NUL. */
#define CYL_EVENT_TIME_LEN	25
/* Buffer size that always fits a line from cyl_event_line(). */
#define CYL_EVENT_LINE_MAX	512
/* A rendered BPF event's JSON line: an exe path of PATH_MAX bytes all
 * escaped as \u00XX, and the rest. */
#define CYL_EVENT_RENDER_MAX	(4096 * 6 + 1024)

/* Wall-clock ns of a CLOCK_BOOTTIME instant, given both clocks now. */
int64_t cyl_event_real_ns(uint64_t boot_ns, int64_t now_real_ns,
			  int64_t now_boot_ns);

/* RFC 3339 UTC with milliseconds into @buf (CYL_EVENT_TIME_LEN). */
int cyl_event_format_time(int64_t real_ns, char *buf, size_t size);

/*
 * {"pid","exe","uid","comm"}: @exe may be NULL (process gone), @comm is
 * sanitised as in cyl_evfmt_line() (non-printables and spaces become '?').
 */
json_t *cyl_event_subject(pid_t pid, uid_t uid, const char *exe,
			  const char *comm, size_t comm_len);

/*
 * An event from the "events" ring buffer.  @device_name is the policy
 * device the object maps to (NULL if none), @exe the subject's
 * executable (NULL if unknown), @real_ns the record's wall time
 * (cyl_event_real_ns()).  NULL on ENOMEM.
 */
json_t *cyl_event_from_bpf(const struct cyl_event *ev, const char *device_name,
			   const char *exe, int64_t real_ns);

/*
 * An event the agent itself raises.  Takes over @subject (may be NULL).
 * @verdict is "allow", "audit" or "deny".  NULL on ENOMEM.
 */
json_t *cyl_event_new(const char *type, const char *device, json_t *subject,
		      const char *verdict, const char *reason);

/* Fill time (unless a builder already did), host and seq. */
int cyl_event_stamp(json_t *event, int64_t real_ns, const char *host,
		    uint64_t seq);

/* Does @event pass the filters?  NULL filters match everything. */
bool cyl_event_match(const json_t *event, const char *type,
		     const char *device);

/*
 * The daemon's "event: ..." stdout line, without the prefix.  For a BPF
 * record it is exactly cyl_evfmt_line()'s; agent events add device= and
 * reason=.  Returns the length, or -ENOSPC (the line is truncated).
 */
int cyl_event_line(const json_t *event, char *buf, size_t size);

/* A record's type and verdict names; unknown values as type_N, verdict_N. */
void cyl_event_names(const struct cyl_event *ev, char tbuf[24], char vbuf[24],
		     const char **type, const char **verdict);

/*
 * The ring-buffer hot path: the event cyl_event_from_bpf() and
 * cyl_event_stamp() would build, rendered straight into its JSON log
 * line (newline included) in @json and its "event:" line in @line,
 * without a jansson object.  Returns the JSON line's length, or -ENOSPC
 * or -EOVERFLOW.  Parsed, the line equals the jansson path's event.
 */
int cyl_event_bpf_render(const struct cyl_event *ev, const char *device_name,
			 const char *exe, int64_t real_ns, const char *host,
			 uint64_t seq, char *json, size_t jsonlen,
			 char *line, size_t linelen);

#endif /* CYL_EVENT_H */
