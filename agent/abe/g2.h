/* SPDX-License-Identifier: GPL-2.0 */
/*
 * G2: points of the M-type twist E'(Fp2): y^2 = x^3 + 4(u + 1), in
 * homogeneous projective coordinates with the same complete formulas as G1.
 */
#ifndef CYL_ABE_G2_H
#define CYL_ABE_G2_H

#include "abe/fp2.h"
#include "abe/fr.h"

typedef struct {
	cyl_fp2 X, Y, Z;
} cyl_g2;

typedef struct {
	cyl_fp2 x, y;
	bool infinity;
} cyl_g2_affine;

extern const cyl_g2 cyl_g2_generator;
extern const cyl_g2 cyl_g2_infinity;

void cyl_g2_add(cyl_g2 *r, const cyl_g2 *a, const cyl_g2 *b);
void cyl_g2_dbl(cyl_g2 *r, const cyl_g2 *a);
void cyl_g2_neg(cyl_g2 *r, const cyl_g2 *a);
void cyl_g2_mul(cyl_g2 *r, const cyl_g2 *a, const cyl_fr *k);
void cyl_g2_mul_vartime(cyl_g2 *r, const cyl_g2 *a, const uint64_t *k, size_t n);
/* The untwist-Frobenius-twist endomorphism psi (RFC 9380 G.3). */
void cyl_g2_psi(cyl_g2 *r, const cyl_g2 *a);
bool cyl_g2_is_infinity(const cyl_g2 *a);
bool cyl_g2_eq(const cyl_g2 *a, const cyl_g2 *b);
bool cyl_g2_is_on_curve(const cyl_g2 *a);
bool cyl_g2_in_subgroup(const cyl_g2 *a);
void cyl_g2_to_affine(cyl_g2_affine *r, const cyl_g2 *a);
void cyl_g2_from_affine(cyl_g2 *r, const cyl_g2_affine *a);

#endif /* CYL_ABE_G2_H */
