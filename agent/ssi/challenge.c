// SPDX-License-Identifier: GPL-2.0
/*
 * One-time presentation challenges.  A challenge is valid from its issue
 * until @expires (exclusive); its first use marks it used, and it stays
 * in the table, so a second use is told apart from a forgery, until its
 * slot is taken by a newer challenge.  Slots are reused in issue order,
 * so a full table drops the oldest challenge first.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "ssi/challenge.h"

int cyl_challenge_issue(struct cyl_challenges *c, time_t now, unsigned int ttl,
			char out[CYL_CHALLENGE_LEN + 1])
{
	struct cyl_challenge_slot *s;
	unsigned char raw[32], b64[48];
	size_t i;

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -EIO;
	/* Standard base64 of 32 bytes is 43 characters and one '='. */
	EVP_EncodeBlock(b64, raw, sizeof(raw));
	OPENSSL_cleanse(raw, sizeof(raw));
	for (i = 0; i < CYL_CHALLENGE_LEN; i++)
		out[i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : (char)b64[i];
	out[CYL_CHALLENGE_LEN] = '\0';

	s = &c->slot[c->next % CYL_CHALLENGE_SLOTS];
	memcpy(s->nonce, out, sizeof(s->nonce));
	s->expires = now + (time_t)ttl;
	s->used = false;
	c->next = (c->next + 1) % CYL_CHALLENGE_SLOTS;
	return 0;
}

enum cyl_challenge_status cyl_challenge_consume(struct cyl_challenges *c, const char *nonce,
						time_t now)
{
	struct cyl_challenge_slot *s;
	unsigned int i;

	if (!nonce || strnlen(nonce, CYL_CHALLENGE_LEN + 1) != CYL_CHALLENGE_LEN)
		return CYL_CHALLENGE_UNKNOWN;
	for (i = 0; i < CYL_CHALLENGE_SLOTS; i++) {
		s = &c->slot[i];
		/* Never-used slots hold "", which a 43-character nonce cannot match. */
		if (CRYPTO_memcmp(s->nonce, nonce, CYL_CHALLENGE_LEN))
			continue;
		if (s->used)
			return CYL_CHALLENGE_REUSED;
		if (now >= s->expires)
			return CYL_CHALLENGE_EXPIRED;
		s->used = true;
		return CYL_CHALLENGE_OK;
	}
	return CYL_CHALLENGE_UNKNOWN;
}
