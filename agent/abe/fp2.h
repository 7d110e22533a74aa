/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fp2 = Fp[u] / (u^2 + 1), an element c0 + c1*u.  Outputs may alias
 * inputs.  Byte encodings follow ZCash: c1 first, then c0.
 */
#ifndef CYL_ABE_FP2_H
#define CYL_ABE_FP2_H

#include "abe/fp.h"

typedef struct {
	cyl_fp c0, c1;
} cyl_fp2;

extern const cyl_fp2 cyl_fp2_zero;
extern const cyl_fp2 cyl_fp2_one;

void cyl_fp2_add(cyl_fp2 *r, const cyl_fp2 *a, const cyl_fp2 *b);
void cyl_fp2_sub(cyl_fp2 *r, const cyl_fp2 *a, const cyl_fp2 *b);
void cyl_fp2_neg(cyl_fp2 *r, const cyl_fp2 *a);
void cyl_fp2_dbl(cyl_fp2 *r, const cyl_fp2 *a);
void cyl_fp2_mul(cyl_fp2 *r, const cyl_fp2 *a, const cyl_fp2 *b);
void cyl_fp2_sqr(cyl_fp2 *r, const cyl_fp2 *a);
void cyl_fp2_mul_fp(cyl_fp2 *r, const cyl_fp2 *a, const cyl_fp *b);
void cyl_fp2_mul_small(cyl_fp2 *r, const cyl_fp2 *a, uint64_t k);
/* r = a * (u + 1), the Fp6 non-residue. */
void cyl_fp2_mul_by_nonresidue(cyl_fp2 *r, const cyl_fp2 *a);
void cyl_fp2_conj(cyl_fp2 *r, const cyl_fp2 *a);	/* also the Frobenius */
void cyl_fp2_inv(cyl_fp2 *r, const cyl_fp2 *a);
bool cyl_fp2_sqrt(cyl_fp2 *r, const cyl_fp2 *a);
bool cyl_fp2_is_square(const cyl_fp2 *a);
void cyl_fp2_pow_vartime(cyl_fp2 *r, const cyl_fp2 *a, const uint64_t *e, size_t n);

bool cyl_fp2_is_zero(const cyl_fp2 *a);
bool cyl_fp2_eq(const cyl_fp2 *a, const cyl_fp2 *b);
void cyl_fp2_cmov(cyl_fp2 *r, const cyl_fp2 *a, const cyl_fp2 *b, bool c);
int cyl_fp2_sgn0(const cyl_fp2 *a);			/* RFC 9380 */
/* ZCash rule: compare c1, or c0 when c1 is zero. */
bool cyl_fp2_is_lexicographically_largest(const cyl_fp2 *a);

#endif /* CYL_ABE_FP2_H */
