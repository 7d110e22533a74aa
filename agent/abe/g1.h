/* SPDX-License-Identifier: GPL-2.0 */
/*
 * G1: points of E(Fp): y^2 = x^3 + 4, in homogeneous projective
 * coordinates (X:Y:Z), the point at infinity being (0:1:0).  Addition and
 * doubling use the complete formulas of Renes, Costello and Batina (2016,
 * algorithms 7 and 9, a = 0), so no input needs a special case and scalar
 * multiplication by a secret is constant time.
 */
#ifndef CYL_ABE_G1_H
#define CYL_ABE_G1_H

#include "abe/fp.h"
#include "abe/fr.h"

typedef struct {
	cyl_fp X, Y, Z;
} cyl_g1;

typedef struct {
	cyl_fp x, y;
	bool infinity;
} cyl_g1_affine;

extern const cyl_g1 cyl_g1_generator;
extern const cyl_g1 cyl_g1_infinity;

void cyl_g1_add(cyl_g1 *r, const cyl_g1 *a, const cyl_g1 *b);
void cyl_g1_dbl(cyl_g1 *r, const cyl_g1 *a);
void cyl_g1_neg(cyl_g1 *r, const cyl_g1 *a);
/* r = k * a, constant time in k. */
void cyl_g1_mul(cyl_g1 *r, const cyl_g1 *a, const cyl_fr *k);
/* r = k * a for a public multi-limb integer k (little-endian limbs). */
void cyl_g1_mul_vartime(cyl_g1 *r, const cyl_g1 *a, const uint64_t *k, size_t n);
bool cyl_g1_is_infinity(const cyl_g1 *a);
bool cyl_g1_eq(const cyl_g1 *a, const cyl_g1 *b);
bool cyl_g1_is_on_curve(const cyl_g1 *a);
/* [r]a == infinity (or the endomorphism test), for a point on the curve. */
bool cyl_g1_in_subgroup(const cyl_g1 *a);
void cyl_g1_to_affine(cyl_g1_affine *r, const cyl_g1 *a);
void cyl_g1_from_affine(cyl_g1 *r, const cyl_g1_affine *a);

#endif /* CYL_ABE_G1_H */
