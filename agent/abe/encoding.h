/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Binary encodings of FAME's keys and ciphertexts (Documentation/abe.md
 * gives the layouts).  Each starts with a 4-byte magic and a version byte;
 * integers are big endian; points are ZCash-compressed, GT elements and
 * scalars canonical.  Decoders validate everything (lengths, attribute
 * syntax and order, canonical encodings, points on the curve and in the
 * subgroup, non-zero secrets) and on failure return -EINVAL with a message
 * naming the field and its byte offset in @err.
 */
#ifndef CYL_ABE_ENCODING_H
#define CYL_ABE_ENCODING_H

#include <stddef.h>
#include <stdint.h>

#include "abe/fame.h"

#define CYL_ABE_PK_MAGIC	"CFPK"
#define CYL_ABE_MSK_MAGIC	"CFMK"
#define CYL_ABE_KEY_MAGIC	"CFUK"
#define CYL_ABE_CT_MAGIC	"CFCT"
#define CYL_ABE_ENCODING_V1	1
#define CYL_ABE_SUBJECT_MAX	1024	/* a key's holder (a DID), bytes */

/* What a user key file carries beside the key. */
struct cyl_abe_key_meta {
	char *subject;		/* the holder, e.g. a DID; "" for none */
	uint64_t not_after;	/* Unix seconds; 0 for no expiry */
};

/* Encoders return a malloc'd buffer in *out (NULL on -ENOMEM). */
int cyl_abe_pk_encode(const struct cyl_fame_pk *pk, uint8_t **out, size_t *len);
int cyl_abe_pk_decode(struct cyl_fame_pk *pk, const uint8_t *in, size_t len,
		      char *err, size_t errlen);

/* The master key's buffer holds secrets: OPENSSL_clear_free() it. */
int cyl_abe_msk_encode(const struct cyl_fame_msk *msk, uint8_t **out, size_t *len);
int cyl_abe_msk_decode(struct cyl_fame_msk *msk, const uint8_t *in, size_t len,
		       char *err, size_t errlen);

int cyl_abe_key_encode(const struct cyl_fame_key *key, const struct cyl_abe_key_meta *meta,
		       uint8_t **out, size_t *len);
int cyl_abe_key_decode(struct cyl_fame_key *key, struct cyl_abe_key_meta *meta,
		       const uint8_t *in, size_t len, char *err, size_t errlen);
void cyl_abe_key_meta_free(struct cyl_abe_key_meta *meta);

int cyl_abe_ct_encode(const struct cyl_fame_ct *ct, uint8_t **out, size_t *len);
/* Also checks that the policy parses and gives as many rows as encoded. */
int cyl_abe_ct_decode(struct cyl_fame_ct *ct, const uint8_t *in, size_t len,
		      char *err, size_t errlen);

#endif /* CYL_ABE_ENCODING_H */
