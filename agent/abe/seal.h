/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sealed files: a payload encrypted for everyone whose attributes satisfy
 * a policy.  FAME encapsulates a GT element; HKDF-SHA256 turns it into an
 * AES-256-GCM key; the payload goes in 64 KiB chunks (the STREAM
 * construction of Hoang, Reyhanitabar, Rogaway and Vizar, as age uses it:
 * each chunk's nonce is its 88-bit counter and a last-chunk flag, so
 * chunks cannot be reordered, dropped or the file truncated unnoticed).
 *
 *   "CYLABE" | version 1 | suite 1 | ct length (4) | FAME ciphertext |
 *   chunk 0 | chunk 1 | ... | last chunk        (each: data | 16-byte tag)
 *
 * The key is HKDF-SHA256(ikm = the GT element's 576 bytes,
 * salt = SHA-256 of everything before the first chunk,
 * info = "cylcomed abe v1 payload"), so any change to the header, the
 * policy or the ciphertext gives another key and the first chunk fails.
 */
#ifndef CYL_ABE_SEAL_H
#define CYL_ABE_SEAL_H

#include <stdio.h>

#include "abe/fame.h"

#define CYL_SEAL_MAGIC		"CYLABE"
#define CYL_SEAL_VERSION	1
#define CYL_SEAL_SUITE		1	/* FAME/BLS12-381, HKDF-SHA256, AES-256-GCM STREAM */
#define CYL_SEAL_CHUNK		65536
#define CYL_SEAL_TAG		16
#define CYL_SEAL_CT_MAX		(4u << 20)	/* bound on the FAME ciphertext */

/*
 * Encrypt everything read from @in to @out under @policy.  Returns 0 or a
 * negative errno with the reason in @err.
 */
int cyl_seal(FILE *in, FILE *out, const struct cyl_fame_pk *pk,
	     const struct cyl_abe_policy *policy, char *err, size_t errlen);

/*
 * Read the header of a sealed file from @in: the FAME ciphertext, leaving
 * @in at the first chunk.
 */
int cyl_seal_read_header(FILE *in, struct cyl_fame_ct *ct, uint8_t **header,
			 size_t *header_len, char *err, size_t errlen);

/*
 * Decrypt a sealed file.  Chunks are written to @out only once
 * authenticated; on a failure part of the payload may already have been
 * written (callers writing a file write a temporary one and rename it on
 * success).  -EACCES: the key does not satisfy the policy; -EBADMSG: the
 * file was altered, truncated or the key is not the one it was sealed for;
 * -EINVAL: not a sealed file.
 */
int cyl_unseal(FILE *in, FILE *out, const struct cyl_fame_key *key,
	       char *err, size_t errlen);

#endif /* CYL_ABE_SEAL_H */
