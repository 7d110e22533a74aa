/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's SSI access (Documentation/ssi.md): a requester fetches a
 * one-time challenge, returns a Verifiable Presentation, and on success
 * gets a CP-ABE user key for the attributes its verified claims map to,
 * naming its DID, valid for the policy's key lifetime.  Over the control
 * socket ("ssi_challenge", "ssi_present") and, when the policy's
 * ssi.http says so, a loopback HTTP endpoint (POST /ssi/challenge,
 * POST /ssi/presentation).  Every grant and refusal is an event
 * (ssi_grant, ssi_refuse: Documentation/events.md), which the risk
 * register can take into the risk log.
 *
 * The policy owns its decoded master key (policy/ssi.h), loaded here
 * when the policy is about to come into force and wiped with it; this
 * side owns the challenge table and the HTTP listener.
 */
#ifndef CYL_SSI_SSI_H
#define CYL_SSI_SSI_H

#include <stddef.h>

#include <jansson.h>

struct cyl_daemon;
struct cyl_policy;
struct cyl_ctl_request;

/* Before the first policy; 0 or -ENOMEM. */
int cyl_ssi_open(struct cyl_daemon *d);
/* Closes the listener and forgets the challenges. */
void cyl_ssi_close(struct cyl_daemon *d);

/*
 * Policy @p (named @name in errors) is about to come into force: read
 * its ssi.master_key into it.  0, or a negative errno with
 * "name:line:col: ssi.master_key: ..." in @err: the policy is refused.
 */
int cyl_ssi_policy_prepare(const char *name, struct cyl_policy *p, char *err, size_t errlen);

/* A policy is in force: the HTTP listener follows its ssi.http. */
void cyl_ssi_policy_changed(struct cyl_daemon *d);

/* "ssi_challenge": {"challenge", "domain", "expires_in"}. */
json_t *cyl_ssi_challenge_json(struct cyl_daemon *d, char *err, size_t errlen);

/*
 * "ssi_present": {"key", "subject", "attributes", "not_after"}, or NULL
 * with "access refused (REASON): MESSAGE" in @err.
 */
json_t *cyl_ssi_present_json(struct cyl_daemon *d, const struct cyl_ctl_request *req,
			     char *err, size_t errlen);

#endif /* CYL_SSI_SSI_H */
