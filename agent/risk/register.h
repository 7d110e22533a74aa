/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The risk register (ISO 14971, AAMI TIR57): the policy's "risk" section,
 * with its entries inline or in a file it names (Documentation/risk.md).
 * Parsing on top of the schema walk (policy/walk.h), each entry's initial
 * and residual risk level from the policy's matrix, the entry a security
 * event evidences, and the observed-frequency figure of post-production
 * monitoring.  Pure code: the only I/O is reading a register file when
 * asked to.
 */
#ifndef CYL_RISK_REGISTER_H
#define CYL_RISK_REGISTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "risk/cvss.h"

struct cyl_yw;			/* policy/walk.h */
struct cyl_policy_error;	/* policy/policy.h */
struct json_t;			/* jansson's json_t */

#define CYL_RISK_LEVELS		5	/* every scale has five levels */
#define CYL_RISK_NAME_MAX	32	/* a level's name: [a-z0-9_-]{1,32} */
#define CYL_RISK_ID_MAX		32	/* an entry's id: [A-Z0-9-]{1,32} */
#define CYL_RISK_MAX_ENTRIES	256
#define CYL_RISK_MAX_EVIDENCE	16	/* event selectors of one entry */
#define CYL_RISK_TEXT_MAX	2048	/* bytes of one text field */
#define CYL_RISK_TOKEN_MAX	32	/* a selector's type, verdict, ... */
#define CYL_RISK_PATH_MAX	4095	/* "register": an absolute path */
#define CYL_RISK_RATE_MAX	1000000	/* events per gateway-year */
#define CYL_RISK_SECONDS_PER_YEAR	31557600ULL	/* 365.25 days */

/* A cell of the acceptability matrix. */
enum cyl_risk_acceptability {
	CYL_RISK_ACCEPTABLE,	/* "A" */
	CYL_RISK_ALARP,		/* "R": reduce as low as reasonably practicable */
	CYL_RISK_UNACCEPTABLE,	/* "U" */
};

/* The cylcomed controls an entry can name (Documentation/risk.md). */
enum cyl_risk_control {
	CYL_RISK_CTL_USB_AUTHORIZATION,
	CYL_RISK_CTL_SERIAL_WRITE_ALLOWLIST,
	CYL_RISK_CTL_SERIAL_FRAMING,
	CYL_RISK_CTL_RECORD_SEALING,
	CYL_RISK_CTL_LSM_DEVICE_ACCESS,
	CYL_RISK_CTL_EXEC_ALLOWLIST,
	CYL_RISK_CTL_AGENT_SELF_PROTECTION,
	CYL_RISK_CTL_NETWORK_DEFAULT_DENY,
	CYL_RISK_CTL_WIREGUARD,
	CYL_RISK_CTL_SSI_ACCESS,
	CYL_RISK_CTL_ABE_EXPORTS,
	CYL_RISK_CTL_ANOMALY_DETECTION,
	CYL_RISK_CTL_MENDER_HOOKS,
	CYL_RISK_N_CONTROLS
};

struct cyl_risk_scales {
	/* Level names, lowest first. */
	char severity[CYL_RISK_LEVELS][CYL_RISK_NAME_MAX + 1];
	char probability[CYL_RISK_LEVELS][CYL_RISK_NAME_MAX + 1];
	/* Upper bound of each probability level, events per gateway-year. */
	double max_per_year[CYL_RISK_LEVELS];
};

/* One estimate of an entry's risk; levels are scale indexes, 0 lowest. */
struct cyl_risk_estimate {
	unsigned int severity;
	unsigned int p1;		/* the hazardous situation occurs */
	unsigned int p2;		/* it leads to harm */
	unsigned int probability;	/* P = P1 x P2: cyl_risk_combine() */
	enum cyl_risk_acceptability level;	/* matrix[severity][probability] */
};

/* Events that evidence an entry: each set field must equal the event's. */
struct cyl_risk_selector {
	char type[CYL_RISK_TOKEN_MAX + 1];	/* always set */
	char verdict[CYL_RISK_TOKEN_MAX + 1];	/* "" matches any */
	char target[CYL_RISK_TOKEN_MAX + 1];
	char risk[CYL_RISK_TOKEN_MAX + 1];
};

struct cyl_risk_entry {
	char id[CYL_RISK_ID_MAX + 1];
	unsigned int line;		/* where it starts in its file, 1-based */
	/* The ISO 14971 / TIR57 chain, as written (malloc()ed). */
	char *title;
	char *asset;
	char *threat;
	char *vulnerability;
	char *hazard;
	char *sequence_of_events;
	char *hazardous_situation;
	char *harm;
	char *benefit_risk;		/* NULL when not given */
	bool has_cvss;			/* "exploitability" was given */
	struct cyl_cvss cvss;
	uint32_t controls;		/* 1 << enum cyl_risk_control */
	struct cyl_risk_estimate initial, residual;
	size_t n_evidence;
	struct cyl_risk_selector *evidence;
	/* For monitoring: "expected", else the initial P1 level's bound. */
	double expected_per_year;
	bool expected_set;
};

struct cyl_risk_register {
	bool set;			/* the policy has a "risk" section */
	struct cyl_risk_scales scales;
	/* [severity][probability], index 0 the lowest of each. */
	enum cyl_risk_acceptability matrix[CYL_RISK_LEVELS][CYL_RISK_LEVELS];
	char *path;			/* "register": the entries' file, or NULL */
	size_t n_entries;
	struct cyl_risk_entry *entries;
};

/* Post-production monitoring: an entry's evidence seen so far. */
struct cyl_risk_observed {
	uint64_t count;
	int64_t first_seen;		/* seconds since the epoch; 0: never */
	int64_t last_seen;
};

struct cyl_risk_rate {
	double observed_per_year;	/* count over the monitored time */
	double expected_per_year;	/* the entry's */
	unsigned int observed_level;	/* the probability level it falls in;
					 * CYL_RISK_LEVELS above the highest */
	bool review;			/* observed above expected */
};

/*
 * The policy's "risk" section @node, named @path in errors ("risk"),
 * into @out (zeroed first).  0, or -EINVAL/-ENOMEM with the walk's error
 * set; @out may then hold part of it: cyl_risk_register_free() it.
 */
int cyl_risk_register_parse(struct cyl_yw *c, yaml_node_t *node,
			    const char *path, struct cyl_risk_register *out);

/*
 * The entries of a register file's text (@len bytes of @buf, @name in
 * errors) into @r, whose scales and matrix the policy gave and which has
 * no entries yet.  0, or a negative errno with @err filled and @r left
 * without entries.
 */
int cyl_risk_register_load_buf(struct cyl_risk_register *r, const char *name,
			       const char *buf, size_t len,
			       struct cyl_policy_error *err);

/* The same from file @path (r->path, usually); read errors go to @err. */
int cyl_risk_register_load_file(struct cyl_risk_register *r, const char *path,
				struct cyl_policy_error *err);

void cyl_risk_register_free(struct cyl_risk_register *r);

/* The overall probability level of P1 x P2 (Documentation/risk.md). */
unsigned int cyl_risk_combine(unsigned int p1, unsigned int p2);

/* Does @event, a JSON object of Documentation/events.md, match @s? */
bool cyl_risk_selector_match(const struct cyl_risk_selector *s,
			     const struct json_t *event);

/* The first entry one of whose selectors matches @event, or NULL. */
const struct cyl_risk_entry *cyl_risk_match(const struct cyl_risk_register *r,
					    const struct json_t *event);

/* Count one piece of evidence seen at @when (seconds since the epoch). */
void cyl_risk_observe(struct cyl_risk_observed *o, int64_t when);

/*
 * @o over @elapsed_s seconds of monitoring (at least 1 is used) as a
 * rate per gateway-year, the probability level it falls in, and whether
 * it exceeds the entry's expected rate by more than chance explains
 * (over the expected count of the window by more than three Poisson
 * standard deviations and by at least 3): the entry is then flagged for
 * review (ISO 14971 clause 10).
 */
void cyl_risk_observed_rate(const struct cyl_risk_register *r,
			    const struct cyl_risk_entry *e,
			    const struct cyl_risk_observed *o,
			    uint64_t elapsed_s, struct cyl_risk_rate *out);

/* "acceptable", "alarp", "unacceptable". */
const char *cyl_risk_acceptability_name(enum cyl_risk_acceptability a);
/* "usb_authorization", ... */
const char *cyl_risk_control_name(enum cyl_risk_control ctl);

#endif /* CYL_RISK_REGISTER_H */
