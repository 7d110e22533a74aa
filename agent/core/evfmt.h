/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Formatting of ring-buffer events for humans and for JSON consumers.
 * Pure functions: the same record always gives the same text.
 */
#ifndef CYL_EVFMT_H
#define CYL_EVFMT_H

#include <stddef.h>

#include <jansson.h>
#include <cylcomed/bpf.h>

/* Buffer size that always fits a line from cyl_evfmt_line(). */
#define CYL_EVFMT_LINE_MAX	160

const char *cyl_evfmt_type_name(__u32 type);		/* NULL if unknown */
const char *cyl_evfmt_verdict_name(__u32 verdict);	/* NULL if unknown */

/*
 * "tty_open dev=188:0 pid=123 uid=0 comm=cat verdict=audit".  Unknown
 * types and verdicts print as "type_7", "verdict_9"; bytes of comm that
 * are not printable, or spaces, become '?'.  Returns the length, or
 * -ENOSPC if @size is too small (the line is then truncated).
 */
int cyl_evfmt_line(const struct cyl_event *ev, char *buf, size_t size);

/* The same fields as a new JSON object, NULL on ENOMEM. */
json_t *cyl_evfmt_json(const struct cyl_event *ev);

#endif /* CYL_EVFMT_H */
