// SPDX-License-Identifier: GPL-2.0
/*
 * G1 on E: y^2 = x^3 + 4 over Fp, homogeneous projective coordinates, the
 * complete formulas of Renes, Costello and Batina ("Complete addition
 * formulas for prime order elliptic curves", 2016), algorithms 7 and 9 for
 * a = 0, with b3 = 3b = 12.
 *
 * The constants below are in Montgomery form (v * 2^384 mod p), computed
 * with python3 from the canonical values quoted next to them.
 */
#include <string.h>

#include "abe/g1.h"

/* Montgomery 1 (2^384 mod p) and 0, for the point at infinity. */
#define FP_ONE { .l = {							\
	0x760900000002fffdULL, 0xebf4000bc40c0002ULL,			\
	0x5f48985753c758baULL, 0x77ce585370525745ULL,			\
	0x5c071a97a256ec6dULL, 0x15f65ec3fa80e493ULL } }
#define FP_ZERO { .l = { 0 } }

/* |x| for the BLS parameter x = -0xd201000000010000. */
static const uint64_t x_abs = 0xd201000000010000ULL;

/*
 * The standard generator (draft-irtf-cfrg-pairing-friendly-curves):
 * x = 0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905
 *     a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb
 * y = 0x08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af6
 *     00db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1
 */
const cyl_g1 cyl_g1_generator = {
	.X = { .l = {
		0x5cb38790fd530c16ULL, 0x7817fc679976fff5ULL,
		0x154f95c7143ba1c1ULL, 0xf0ae6acdf3d0e747ULL,
		0xedce6ecc21dbf440ULL, 0x120177419e0bfb75ULL } },
	.Y = { .l = {
		0xbaac93d50ce72271ULL, 0x8c22631a7918fd8eULL,
		0xdd595f13570725ceULL, 0x51ac582950405194ULL,
		0x0e1c8c3fad0059c0ULL, 0x0bbc3efc5008a26aULL } },
	.Z = FP_ONE,
};

const cyl_g1 cyl_g1_infinity = { .X = FP_ZERO, .Y = FP_ONE, .Z = FP_ZERO };

/*
 * beta, a primitive cube root of unity in Fp, chosen so that the
 * endomorphism sigma(x, y) = (beta x, y) acts on G1 as [-x^2]:
 * beta = 0x5f19672fdf76ce51ba69c6076a0f77eaddb3a93be6f89688de17d813620a00022e01fffffffefffe
 */
static const cyl_fp beta = { .l = {
	0x30f1361b798a64e8ULL, 0xf3b8ddab7ece5a2aULL,
	0x16a8ca3ac61577f7ULL, 0xc26a2ff874fd029bULL,
	0x3636b76660701c6eULL, 0x051ba4ab241b6160ULL } };

/* r = 3b a = 12 a, by four additions */
static void mul_b3(cyl_fp *r, const cyl_fp *a)
{
	cyl_fp t;

	cyl_fp_dbl(&t, a);
	cyl_fp_add(&t, &t, a);
	cyl_fp_dbl(&t, &t);
	cyl_fp_dbl(r, &t);
}

/* RCB 2016, algorithm 7 (complete addition, a = 0). */
void cyl_g1_add(cyl_g1 *r, const cyl_g1 *a, const cyl_g1 *b)
{
	cyl_fp t0, t1, t2, t3, t4, X3, Y3, Z3;

	cyl_fp_mul(&t0, &a->X, &b->X);
	cyl_fp_mul(&t1, &a->Y, &b->Y);
	cyl_fp_mul(&t2, &a->Z, &b->Z);
	cyl_fp_add(&t3, &a->X, &a->Y);
	cyl_fp_add(&t4, &b->X, &b->Y);
	cyl_fp_mul(&t3, &t3, &t4);
	cyl_fp_add(&t4, &t0, &t1);
	cyl_fp_sub(&t3, &t3, &t4);
	cyl_fp_add(&t4, &a->Y, &a->Z);
	cyl_fp_add(&X3, &b->Y, &b->Z);
	cyl_fp_mul(&t4, &t4, &X3);
	cyl_fp_add(&X3, &t1, &t2);
	cyl_fp_sub(&t4, &t4, &X3);
	cyl_fp_add(&X3, &a->X, &a->Z);
	cyl_fp_add(&Y3, &b->X, &b->Z);
	cyl_fp_mul(&X3, &X3, &Y3);
	cyl_fp_add(&Y3, &t0, &t2);
	cyl_fp_sub(&Y3, &X3, &Y3);
	cyl_fp_add(&X3, &t0, &t0);
	cyl_fp_add(&t0, &X3, &t0);
	mul_b3(&t2, &t2);
	cyl_fp_add(&Z3, &t1, &t2);
	cyl_fp_sub(&t1, &t1, &t2);
	mul_b3(&Y3, &Y3);
	cyl_fp_mul(&X3, &t4, &Y3);
	cyl_fp_mul(&t2, &t3, &t1);
	cyl_fp_sub(&X3, &t2, &X3);
	cyl_fp_mul(&Y3, &Y3, &t0);
	cyl_fp_mul(&t1, &t1, &Z3);
	cyl_fp_add(&Y3, &t1, &Y3);
	cyl_fp_mul(&t0, &t0, &t3);
	cyl_fp_mul(&Z3, &Z3, &t4);
	cyl_fp_add(&Z3, &Z3, &t0);
	r->X = X3;
	r->Y = Y3;
	r->Z = Z3;
}

/* RCB 2016, algorithm 9 (doubling, a = 0). */
void cyl_g1_dbl(cyl_g1 *r, const cyl_g1 *a)
{
	cyl_fp t0, t1, t2, X3, Y3, Z3;

	cyl_fp_sqr(&t0, &a->Y);
	cyl_fp_add(&Z3, &t0, &t0);
	cyl_fp_add(&Z3, &Z3, &Z3);
	cyl_fp_add(&Z3, &Z3, &Z3);
	cyl_fp_mul(&t1, &a->Y, &a->Z);
	cyl_fp_sqr(&t2, &a->Z);
	mul_b3(&t2, &t2);
	cyl_fp_mul(&X3, &t2, &Z3);
	cyl_fp_add(&Y3, &t0, &t2);
	cyl_fp_mul(&Z3, &t1, &Z3);
	cyl_fp_add(&t1, &t2, &t2);
	cyl_fp_add(&t2, &t1, &t2);
	cyl_fp_sub(&t0, &t0, &t2);
	cyl_fp_mul(&Y3, &t0, &Y3);
	cyl_fp_add(&Y3, &X3, &Y3);
	cyl_fp_mul(&t1, &a->X, &a->Y);
	cyl_fp_mul(&X3, &t0, &t1);
	cyl_fp_add(&X3, &X3, &X3);
	r->X = X3;
	r->Y = Y3;
	r->Z = Z3;
}

void cyl_g1_neg(cyl_g1 *r, const cyl_g1 *a)
{
	r->X = a->X;
	cyl_fp_neg(&r->Y, &a->Y);
	r->Z = a->Z;
}

static void g1_cmov(cyl_g1 *r, const cyl_g1 *a, bool c)
{
	cyl_fp_cmov(&r->X, &r->X, &a->X, c);
	cyl_fp_cmov(&r->Y, &r->Y, &a->Y, c);
	cyl_fp_cmov(&r->Z, &r->Z, &a->Z, c);
}

/* r = tab[d], reading every entry so the access pattern does not depend on d. */
static void g1_lookup(cyl_g1 *r, const cyl_g1 tab[16], unsigned int d)
{
	*r = tab[0];
	for (unsigned int i = 1; i < 16; i++)
		g1_cmov(r, &tab[i], (((i ^ d) - 1) >> 31) & 1);
}

/*
 * Fixed 4-bit window over the 256 canonical bits of k: 64 rounds of four
 * doublings and one addition of a table entry chosen by a full scan.
 */
void cyl_g1_mul(cyl_g1 *r, const cyl_g1 *a, const cyl_fr *k)
{
	uint8_t kb[CYL_FR_BYTES];
	cyl_g1 tab[16], acc, t;
	unsigned int i, d;

	cyl_fr_to_bytes(kb, k);
	tab[0] = cyl_g1_infinity;
	tab[1] = *a;
	for (i = 2; i < 16; i++) {
		if (i & 1)
			cyl_g1_add(&tab[i], &tab[i - 1], a);
		else
			cyl_g1_dbl(&tab[i], &tab[i / 2]);
	}
	g1_lookup(&acc, tab, kb[0] >> 4);
	for (i = 1; i < 2 * CYL_FR_BYTES; i++) {
		d = (kb[i / 2] >> (i & 1 ? 0 : 4)) & 15;
		cyl_g1_dbl(&acc, &acc);
		cyl_g1_dbl(&acc, &acc);
		cyl_g1_dbl(&acc, &acc);
		cyl_g1_dbl(&acc, &acc);
		g1_lookup(&t, tab, d);
		cyl_g1_add(&acc, &acc, &t);
	}
	*r = acc;
	explicit_bzero(kb, sizeof(kb));
	explicit_bzero(&t, sizeof(t));
}

void cyl_g1_mul_vartime(cyl_g1 *r, const cyl_g1 *a, const uint64_t *k, size_t n)
{
	cyl_g1 acc = cyl_g1_infinity, base = *a;
	size_t i = 64 * n;

	while (i-- > 0) {
		cyl_g1_dbl(&acc, &acc);
		if ((k[i / 64] >> (i % 64)) & 1)
			cyl_g1_add(&acc, &acc, &base);
	}
	*r = acc;
}

bool cyl_g1_is_infinity(const cyl_g1 *a)
{
	return cyl_fp_is_zero(&a->Z);
}

bool cyl_g1_eq(const cyl_g1 *a, const cyl_g1 *b)
{
	cyl_fp l, r;
	bool eq;

	cyl_fp_mul(&l, &a->X, &b->Z);
	cyl_fp_mul(&r, &b->X, &a->Z);
	eq = cyl_fp_eq(&l, &r);
	cyl_fp_mul(&l, &a->Y, &b->Z);
	cyl_fp_mul(&r, &b->Y, &a->Z);
	return eq & cyl_fp_eq(&l, &r);
}

/* Y^2 Z = X^3 + 4 Z^3, and not (0:0:0), which satisfies it too. */
bool cyl_g1_is_on_curve(const cyl_g1 *a)
{
	cyl_fp l, r, t;

	cyl_fp_sqr(&l, &a->Y);
	cyl_fp_mul(&l, &l, &a->Z);
	cyl_fp_sqr(&t, &a->Z);
	cyl_fp_mul(&t, &t, &a->Z);
	cyl_fp_mul_small(&t, &t, 4);
	cyl_fp_sqr(&r, &a->X);
	cyl_fp_mul(&r, &r, &a->X);
	cyl_fp_add(&r, &r, &t);
	return cyl_fp_eq(&l, &r) & !(cyl_fp_is_zero(&a->Y) & cyl_fp_is_zero(&a->Z));
}

/*
 * Scott, "A note on group membership tests for G1, G2 and GT on BLS
 * pairing-friendly curves" (eprint 2021/1130, section 6; proof revised in
 * eprint 2022/352): a point P of E(Fp) is in G1 iff sigma(P) = [-x^2]P.
 * Two multiplications by the 64-bit |x| instead of one by the 255-bit r;
 * the unit test checks it against [r]P on points inside and outside the
 * subgroup.
 */
bool cyl_g1_in_subgroup(const cyl_g1 *a)
{
	cyl_g1 s, t;

	cyl_fp_mul(&s.X, &a->X, &beta);
	s.Y = a->Y;
	s.Z = a->Z;
	cyl_g1_mul_vartime(&t, a, &x_abs, 1);
	cyl_g1_mul_vartime(&t, &t, &x_abs, 1);
	cyl_g1_neg(&t, &t);
	return cyl_g1_eq(&s, &t);
}

void cyl_g1_to_affine(cyl_g1_affine *r, const cyl_g1 *a)
{
	cyl_fp zi;

	r->infinity = cyl_fp_is_zero(&a->Z);
	cyl_fp_inv(&zi, &a->Z);		/* 0 at infinity, so x = y = 0 */
	cyl_fp_mul(&r->x, &a->X, &zi);
	cyl_fp_mul(&r->y, &a->Y, &zi);
}

void cyl_g1_from_affine(cyl_g1 *r, const cyl_g1_affine *a)
{
	r->X = a->x;
	r->Y = a->y;
	r->Z = cyl_fp_one;
	g1_cmov(r, &cyl_g1_infinity, a->infinity);
}
