/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running policy's lifecycle: validate, apply atomically, keep the
 * previous one for rollback, count generations.
 *
 * The policy file (cylcomedd -c) is always the active policy: a load
 * replaces it only once the new policy is in force, so a restart
 * enforces what was last loaded.  The state directory keeps the
 * generation counter and the previous policy.
 */
#ifndef CYL_POLICY_STATE_H
#define CYL_POLICY_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CYL_DEFAULT_STATE_DIR	"/var/lib/cylcomed"

struct cyl_daemon;

struct cyl_policy_state {
	char *text;		/* the active policy's text */
	size_t len;
	char sha256[65];	/* hex of the text's SHA-256 */
	char *name;		/* where it was loaded from, for humans */
	uint64_t generation;	/* +1 on every successful load, persisted */
	time_t loaded_at;
};

/* Load the policy file at start; errors name file:line:col. */
int cyl_policy_state_start(struct cyl_daemon *d, char *err, size_t errlen);

/*
 * Validate @text, apply it in one step, then make it the policy file and
 * keep the one it replaces for rollback.  On any failure nothing changes
 * and @err says why.
 */
int cyl_policy_state_load(struct cyl_daemon *d, const char *name,
			  const char *text, size_t len, char *err,
			  size_t errlen);

/* Re-apply the previous policy (which becomes the active one). */
int cyl_policy_state_rollback(struct cyl_daemon *d, char *err, size_t errlen);

void cyl_policy_state_free(struct cyl_policy_state *ps);

/* SHA-256 of @len bytes as 64 hex digits and a NUL. */
void cyl_sha256_hex(const void *data, size_t len, char out[65]);

#endif /* CYL_POLICY_STATE_H */
