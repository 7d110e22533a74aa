/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The safe-update gate's decision (Documentation/mender.md), pure: the
 * policy, how long ago each of its devices sent a record, and what is
 * known of the artifact in; a verdict and a sentence out.  The daemon
 * supplies the clock (core/update.c).
 */
#ifndef CYL_MENDER_GATE_H
#define CYL_MENDER_GATE_H

#include <stdint.h>

#include "policy/policy.h"

/* A device that never sent a record since the agent started. */
#define CYL_GATE_NO_RECORD	(-1)

enum cyl_gate_verdict {
	CYL_GATE_PROCEED,
	CYL_GATE_RETRY,		/* a critical device is in a session */
	CYL_GATE_REJECT,	/* the policy does not allow this artifact */
};

/* What the update says of itself; NULL for what is not known. */
struct cyl_gate_artifact {
	const char *name;
	const char *group;
	const char *device_type;
};

struct cyl_gate_decision {
	enum cyl_gate_verdict verdict;
	char reason[512];
};

/*
 * Decide for @p: @age_ms[i] is the milliseconds since policy device i's
 * last record, or CYL_GATE_NO_RECORD.  A refused artifact wins over an
 * active session (retrying would not change the answer).  An unknown
 * name, group or device type is not checked against its list.
 */
void cyl_gate_decide(const struct cyl_policy *p, const int64_t *age_ms,
		     const struct cyl_gate_artifact *a,
		     struct cyl_gate_decision *out);

/* "proceed", "retry", "reject". */
const char *cyl_gate_verdict_name(enum cyl_gate_verdict v);

#endif /* CYL_MENDER_GATE_H */
