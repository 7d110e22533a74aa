/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside risk/report.c: what the renderers (report_md.c, report_html.c,
 * report_json.c) read once the report is computed.  Not for other users.
 */
#ifndef CYL_RISK_REPORT_MODEL_H
#define CYL_RISK_REPORT_MODEL_H

#include "risk/report.h"

#define REP_UNREADABLE_LISTED	10	/* unreadable entries named by index */
#define REP_NONE		((size_t)-1)

/* One register entry's evidence in the window. */
struct rep_entry {
	const struct cyl_risk_entry *e;
	struct cyl_risk_observed obs;
	struct cyl_risk_rate rate;
	uint32_t *buckets;		/* events per trend bucket */
	uint32_t peak;			/* the largest bucket */
};

struct rep_device {
	char *name;
	uint64_t events;
	uint64_t *per_entry;		/* by register index */
	size_t worst;			/* register index of the entry with the
					 * worst residual risk, REP_NONE */
};

struct rep_unknown {
	char *id;
	uint64_t count;
};

/* An event that evidences a register entry. */
struct rep_event {
	int64_t t;
	uint32_t entry;			/* register index */
	uint32_t device;		/* index in devs */
};

struct cyl_report {
	const struct cyl_risk_register *reg;
	struct cyl_report_source src;

	/* As added. */
	struct rep_event *ev;
	size_t n_ev, cap_ev;
	struct rep_device *devs;	/* the last, when full, is "(other devices)" */
	size_t n_devs;
	struct rep_unknown unknown[CYL_REPORT_MAX_UNKNOWN];
	size_t n_unknown;
	uint64_t unknown_total;		/* events naming an id not in the register */
	uint64_t unmatched;		/* no risk_entry, and no entry matches */
	uint64_t unreadable;		/* not a JSON object with a valid "time" */
	uint64_t unreadable_idx[REP_UNREADABLE_LISTED];
	uint64_t before;		/* before --since */
	uint64_t added;

	/* Computed by the first render. */
	bool done;
	int64_t head_s;			/* the head's timestamp, seconds */
	int64_t start, end;		/* the window */
	uint64_t elapsed;		/* its length, at least 1 s */
	int64_t first_day;		/* days since the epoch of bucket 0 */
	unsigned int bucket_days;	/* days per bucket */
	size_t n_buckets;
	struct rep_entry *ent;		/* by register index */
	size_t *order;			/* register indexes, as reported */
	size_t *dev_order;		/* devs indexes, as reported */
};

/* The renderers. */
void cyl_report_md(const struct cyl_report *r, struct cyl_strbuf *b);
void cyl_report_html(const struct cyl_report *r, struct cyl_strbuf *b);
int cyl_report_json(const struct cyl_report *r, struct cyl_strbuf *b);

/* Shared by them. */
/* RFC 3339 UTC to the second: "2025-05-01T12:34:56Z". */
const char *cyl_report_time(int64_t t, char buf[32]);
/* The date of day @day since the epoch: "2025-05-01". */
const char *cyl_report_day(int64_t day, char buf[32]);
/* A rate for people: "0", "0.0123", "4.5", "1234". */
const char *cyl_report_rate(double v, char buf[32]);
/* The probability level's name, "above <highest>" past the scale. */
const char *cyl_report_level_name(const struct cyl_report *r, unsigned int level,
				  char buf[64]);
/* Its observed level's name, "-" without evidence. */
const char *cyl_report_observed_level(const struct cyl_report *r,
				      const struct rep_entry *re, char buf[64]);
/* The matrix cell's acceptability letter: 'A', 'R', 'U'. */
char cyl_report_letter(enum cyl_risk_acceptability a);
/* The first day of bucket @i. */
int64_t cyl_report_bucket_day(const struct cyl_report *r, size_t i);

#endif /* CYL_RISK_REPORT_MODEL_H */
