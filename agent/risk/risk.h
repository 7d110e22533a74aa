/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's risk management (Documentation/risk.md): every event the
 * policy's risk register ties to an entry carries that entry's id
 * ("risk_entry") and is appended to the tamper-evident risk log, whose
 * tree heads are signed at an interval and on shutdown; the evidence
 * counts feed post-production monitoring.
 *
 * Without a "risk" section in the policy nothing is judged or logged.
 */
#ifndef CYL_RISK_H
#define CYL_RISK_H

#include <stdbool.h>

#include <jansson.h>

struct cyl_daemon;

#define CYL_RISK_SIGN_INTERVAL_S	60	/* --risk-sign-interval default */

int cyl_risk_open(struct cyl_daemon *d);
/* Signs a head for what is not signed yet. */
void cyl_risk_close(struct cyl_daemon *d);

/* A new policy (register) is in force. */
void cyl_risk_policy_changed(struct cyl_daemon *d);

/*
 * @event, stamped, about to be written: if an entry of the register
 * matches, add "risk_entry" to it and append it to the risk log.
 */
void cyl_risk_judge(struct cyl_daemon *d, json_t *event);

/*
 * Could an event of @type with @verdict be evidence for some entry?  The
 * ring-buffer hot path asks, so that audited opens, which no shipped
 * entry takes, keep the fast rendered path.
 */
bool cyl_risk_wants(struct cyl_daemon *d, const char *type,
		    const char *verdict);

/* For status: the log's size, root, unsigned entries, flagged entries. */
json_t *cyl_risk_status_json(struct cyl_daemon *d);

#endif /* CYL_RISK_H */
