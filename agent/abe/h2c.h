/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 9380 hashing to BLS12-381: expand_message_xmd with SHA-256 (OpenSSL),
 * hash_to_field, the simplified SWU map with the 11-isogeny (G1) and the
 * 3-isogeny (G2), and cofactor clearing.  Suites:
 *   BLS12381G1_XMD:SHA-256_SSWU_RO_, BLS12381G1_XMD:SHA-256_SSWU_NU_,
 *   BLS12381G2_XMD:SHA-256_SSWU_RO_.
 */
#ifndef CYL_ABE_H2C_H
#define CYL_ABE_H2C_H

#include "abe/g1.h"
#include "abe/g2.h"

/*
 * expand_message_xmd (RFC 9380 section 5.3.1; a DST longer than 255 bytes
 * is hashed down as 5.3.3 says).  Returns 0, or -EINVAL when len_in_bytes
 * is 0 or > 8160 (ell > 255) or the DST is empty (section 3.1); -EIO if
 * OpenSSL fails.
 */
int cyl_expand_message_xmd(uint8_t *out, size_t len_in_bytes,
			   const uint8_t *msg, size_t msg_len,
			   const uint8_t *dst, size_t dst_len);

/* Random-oracle encodings (hash_to_curve); 0 or a negative errno. */
int cyl_hash_to_g1(cyl_g1 *r, const uint8_t *msg, size_t msg_len,
		   const uint8_t *dst, size_t dst_len);
int cyl_hash_to_g2(cyl_g2 *r, const uint8_t *msg, size_t msg_len,
		   const uint8_t *dst, size_t dst_len);
/* Non-uniform encoding to G1 (encode_to_curve). */
int cyl_encode_to_g1(cyl_g1 *r, const uint8_t *msg, size_t msg_len,
		     const uint8_t *dst, size_t dst_len);

/* The steps, exposed for the vector tests. */
void cyl_map_to_curve_g1(cyl_g1 *r, const cyl_fp *u);	/* SSWU + iso, no clearing */
void cyl_map_to_curve_g2(cyl_g2 *r, const cyl_fp2 *u);
void cyl_clear_cofactor_g1(cyl_g1 *r, const cyl_g1 *a);
void cyl_clear_cofactor_g2(cyl_g2 *r, const cyl_g2 *a);

#endif /* CYL_ABE_H2C_H */
