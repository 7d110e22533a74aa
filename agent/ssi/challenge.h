/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-time challenges for presentations: 32 random bytes as base64url,
 * each valid for a TTL and consumed by its first use.  Used challenges are
 * remembered until they would have expired, so a replay is named as such.
 * A fixed-size table owned by the caller (the agent): when it is full the
 * oldest entry goes.
 */
#ifndef CYL_SSI_CHALLENGE_H
#define CYL_SSI_CHALLENGE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define CYL_CHALLENGE_SLOTS	256
#define CYL_CHALLENGE_LEN	43	/* base64url of 32 bytes, no padding */

struct cyl_challenge_slot {
	char nonce[CYL_CHALLENGE_LEN + 1];
	time_t expires;		/* CLOCK_MONOTONIC-like seconds of the caller */
	bool used;
};

struct cyl_challenges {
	struct cyl_challenge_slot slot[CYL_CHALLENGE_SLOTS];
	unsigned int next;	/* the slot to (re)use next */
};

enum cyl_challenge_status {
	CYL_CHALLENGE_OK,
	CYL_CHALLENGE_UNKNOWN,	/* never issued here (or long forgotten) */
	CYL_CHALLENGE_EXPIRED,
	CYL_CHALLENGE_REUSED,
};

/* A new challenge into @out; -EIO if there are no random bytes. */
int cyl_challenge_issue(struct cyl_challenges *c, time_t now, unsigned int ttl,
			char out[CYL_CHALLENGE_LEN + 1]);

/* Check and consume @nonce (compared in constant time). */
enum cyl_challenge_status cyl_challenge_consume(struct cyl_challenges *c, const char *nonce,
						time_t now);

#endif /* CYL_SSI_CHALLENGE_H */
