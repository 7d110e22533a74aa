/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ZCash serialization of G1 and G2 points (as in the zkcrypto bls12_381
 * crate and the IETF BLS signature draft): big-endian x (for G2: x.c1 then
 * x.c0), the three high bits of the first byte being the flags
 * compressed (0x80), infinity (0x40) and y-is-largest (0x20).
 *
 * Decoding validates fully and never repairs: flags consistent with the
 * length, canonical coordinates (< p), the point on the curve and in the
 * prime-order subgroup.  On failure it returns false and *why names the
 * reason ("x is not a canonical field element", ...).
 */
#ifndef CYL_ABE_CODEC_H
#define CYL_ABE_CODEC_H

#include "abe/g1.h"
#include "abe/g2.h"

#define CYL_G1_COMPRESSED	48
#define CYL_G1_UNCOMPRESSED	96
#define CYL_G2_COMPRESSED	96
#define CYL_G2_UNCOMPRESSED	192

void cyl_g1_to_compressed(uint8_t out[CYL_G1_COMPRESSED], const cyl_g1 *a);
void cyl_g1_to_uncompressed(uint8_t out[CYL_G1_UNCOMPRESSED], const cyl_g1 *a);
/* len selects the form: 48 compressed, 96 uncompressed. */
bool cyl_g1_decode(cyl_g1 *r, const uint8_t *in, size_t len, const char **why);

void cyl_g2_to_compressed(uint8_t out[CYL_G2_COMPRESSED], const cyl_g2 *a);
void cyl_g2_to_uncompressed(uint8_t out[CYL_G2_UNCOMPRESSED], const cyl_g2 *a);
bool cyl_g2_decode(cyl_g2 *r, const uint8_t *in, size_t len, const char **why);

#endif /* CYL_ABE_CODEC_H */
