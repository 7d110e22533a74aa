/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Risk reports (Documentation/risk.md, "Reports"): the register's entries
 * against the evidence in a risk log, as Markdown, one self-contained
 * HTML file or JSON.  No I/O: the caller verifies the log, hands over the
 * entries up to its latest good signed head and says which head that is;
 * the report names it, so that an auditor can check it against the log.
 *
 * Each log entry is an event of Documentation/events.md.  It evidences
 * the register entry its "risk_entry" names, or, without one, the entry
 * the register matches (cyl_risk_match()); it counts for the device its
 * "device" names, "usb:<port>" for a usb_device event without one, else
 * "gateway".  Entries that are no JSON object or have no valid "time",
 * ids the register does not have, events no entry matches and events
 * before --since are counted apart, and the report says so.
 */
#ifndef CYL_RISK_REPORT_H
#define CYL_RISK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "risk/register.h"
#include "util/strbuf.h"

#define CYL_REPORT_MAX_BUCKETS	366	/* trend buckets: days, or groups of days */
#define CYL_REPORT_MAX_DEVICES	256	/* more are counted as one "(other devices)" */
#define CYL_REPORT_MAX_UNKNOWN	32	/* ids not in the register, listed by name */
#define CYL_REPORT_MAX_SINCE	(100LL * 366 * 86400)	/* a relative --since */
#define CYL_REPORT_JSON_VERSION	1

enum cyl_report_format {
	CYL_REPORT_MD,
	CYL_REPORT_HTML,
	CYL_REPORT_JSON,
};

/* The signed head a report is computed from. */
struct cyl_report_head {
	uint64_t index;			/* in the heads file, from 0 */
	uint64_t size;			/* entries it covers */
	uint8_t root[32];		/* RFC 9162 MTH of those */
	uint64_t ts_ns;			/* when it was signed */
};

/* Where the report comes from; the strings must outlive the report. */
struct cyl_report_source {
	const char *policy;		/* the policy file, as named */
	const char *policy_sha256;	/* SHA-256 of its text in hex, or NULL */
	const char *log;		/* the log directory, as named */
	const char *key_sha256;		/* SHA-256 of the public key (DER), or NULL */
	struct cyl_report_head head;
	uint64_t log_entries;		/* in the log: those past head.size are unsigned */
	bool has_since;
	int64_t since;			/* seconds since the epoch */
	const char *since_text;		/* --since as given, or NULL */
};

struct cyl_report;

/*
 * A report on register @reg (which must outlive it) from @src.  0, or
 * -EINVAL when @reg has no risk section, or -ENOMEM.
 */
int cyl_report_new(const struct cyl_risk_register *reg,
		   const struct cyl_report_source *src, struct cyl_report **out);

/*
 * Log entry @index: its @len bytes, an event as JSON.  Entries that are
 * not an event are counted, not refused: 0, or -ENOMEM.  Entries must
 * come before the first cyl_report_render().
 */
int cyl_report_add(struct cyl_report *r, uint64_t index, const void *data,
		   size_t len);

/* Append the report to @out.  0, or -ENOMEM. */
int cyl_report_render(struct cyl_report *r, enum cyl_report_format f,
		      struct cyl_strbuf *out);

void cyl_report_free(struct cyl_report *r);

/* "md", "html", "json": 0, or -EINVAL. */
int cyl_report_format_parse(const char *s, enum cyl_report_format *out);

/*
 * An RFC 3339 date-time ("2025-05-01T12:34:56.789Z", "...+02:00") as
 * seconds since the epoch, the fraction dropped.  0, or -EINVAL.
 */
int cyl_report_parse_time(const char *s, int64_t *out);

/*
 * --since: an RFC 3339 date-time, or a time before @head_s (the head's
 * timestamp, seconds) as a number and a unit: s, m, h, d or w ("7d",
 * "24h"), at most 100 years.  0, or -EINVAL.
 */
int cyl_report_parse_since(const char *s, int64_t head_s, int64_t *out);

#endif /* CYL_RISK_REPORT_H */
