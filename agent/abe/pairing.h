/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The optimal ate pairing e: G1 x G2 -> GT on BLS12-381 (Miller loop over
 * |x| = 0xd201000000010000, x negative, then the final exponentiation).
 *
 * Convention: the final exponentiation returns the CUBE of the draft's
 * value, f^(3 (p^12-1)/r), as blst, noble and zkcrypto do (its hard part
 * is Hayashida-Hayasaka-Teruya's chain for 3 (p^4 - p^2 + 1)/r); the test
 * compares against the cube of the vector in tests/vectors/pairing/.
 * cyl_pairing_cubed is 1 to say so in code (0 would mean the draft's own
 * value); pairing.c explains why both are equally good.
 */
#ifndef CYL_ABE_PAIRING_H
#define CYL_ABE_PAIRING_H

#include "abe/fp12.h"
#include "abe/g1.h"
#include "abe/g2.h"

extern const int cyl_pairing_cubed;

void cyl_pairing(cyl_fp12 *r, const cyl_g1 *p, const cyl_g2 *q);
/*
 * r = prod e(p[i], q[i]) with one shared final exponentiation; pairs with
 * a point at infinity contribute 1.
 */
void cyl_pairing_multi(cyl_fp12 *r, const cyl_g1 *p, const cyl_g2 *q, size_t n);
void cyl_miller_loop(cyl_fp12 *r, const cyl_g1_affine *p, const cyl_g2_affine *q,
		     size_t n);
void cyl_final_exponentiation(cyl_fp12 *r, const cyl_fp12 *f);

#endif /* CYL_ABE_PAIRING_H */
