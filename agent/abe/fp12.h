/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pairing's target towers: Fp6 = Fp2[v] / (v^3 - (u + 1)) and
 * Fp12 = Fp6[w] / (w^2 - v), as in the pairing-friendly-curves draft.
 * GT is the order-r subgroup of Fp12*.
 */
#ifndef CYL_ABE_FP12_H
#define CYL_ABE_FP12_H

#include "abe/fp2.h"

#define CYL_GT_BYTES	576	/* 12 coefficients of 48 bytes */

typedef struct {
	cyl_fp2 c0, c1, c2;
} cyl_fp6;

typedef struct {
	cyl_fp6 c0, c1;
} cyl_fp12;

extern const cyl_fp12 cyl_fp12_one;

void cyl_fp6_add(cyl_fp6 *r, const cyl_fp6 *a, const cyl_fp6 *b);
void cyl_fp6_sub(cyl_fp6 *r, const cyl_fp6 *a, const cyl_fp6 *b);
void cyl_fp6_neg(cyl_fp6 *r, const cyl_fp6 *a);
void cyl_fp6_mul(cyl_fp6 *r, const cyl_fp6 *a, const cyl_fp6 *b);
void cyl_fp6_sqr(cyl_fp6 *r, const cyl_fp6 *a);
void cyl_fp6_mul_by_nonresidue(cyl_fp6 *r, const cyl_fp6 *a);	/* * v */
void cyl_fp6_inv(cyl_fp6 *r, const cyl_fp6 *a);

void cyl_fp12_mul(cyl_fp12 *r, const cyl_fp12 *a, const cyl_fp12 *b);
void cyl_fp12_sqr(cyl_fp12 *r, const cyl_fp12 *a);
void cyl_fp12_inv(cyl_fp12 *r, const cyl_fp12 *a);
void cyl_fp12_conj(cyl_fp12 *r, const cyl_fp12 *a);	/* the inverse in GT */
/*
 * Granger-Scott squaring, valid only in the cyclotomic subgroup (after the
 * final exponentiation's easy part, so also in GT).
 */
void cyl_fp12_cyclotomic_sqr(cyl_fp12 *r, const cyl_fp12 *a);
/* r = a^(p^power), power 1..11. */
void cyl_fp12_frobenius(cyl_fp12 *r, const cyl_fp12 *a, int power);
bool cyl_fp12_eq(const cyl_fp12 *a, const cyl_fp12 *b);
bool cyl_fp12_is_one(const cyl_fp12 *a);

/*
 * GT exponentiation by a scalar given as 32 big-endian bytes (an Fr
 * value).  Constant time in the scalar: used with secret exponents.
 */
void cyl_gt_pow(cyl_fp12 *r, const cyl_fp12 *a, const uint8_t k[32]);
/*
 * Canonical encoding: the 12 Fp coefficients, 48 bytes big endian each, in
 * the vector file's order c0.c0.c0, c0.c0.c1, c0.c1.c0, ... c1.c2.c1.
 * from_bytes refuses non-canonical coefficients and elements outside GT.
 */
void cyl_gt_to_bytes(uint8_t out[CYL_GT_BYTES], const cyl_fp12 *a);
bool cyl_gt_from_bytes(cyl_fp12 *r, const uint8_t in[CYL_GT_BYTES]);

#endif /* CYL_ABE_FP12_H */
