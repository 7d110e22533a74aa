// SPDX-License-Identifier: GPL-2.0
/*
 * G1 and G2 of BLS12-381 (agent/abe/g1.c, g2.c): the generators against
 * their published coordinates, the group law with the point at infinity
 * and inverses, [r]G = O, the constant-time multiplication against the
 * variable-time one and against repeated additions, on-curve checks, the
 * endomorphism subgroup checks against [r]P on points inside the subgroup,
 * on the curve outside it and in the cofactor torsion, psi's
 * characteristic equation psi^2 - [t]psi + [p] = 0, and affine
 * conversions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "abe/g1.h"
#include "abe/g2.h"

/* The cofactors, #E(Fp) / r and #E'(Fp2) / r (python3), little-endian limbs. */
static const uint64_t h1[2] = { 0x8c00aaab0000aaabULL, 0x396c8c005555e156ULL };
static const uint64_t h2[8] = {
	0xcf1c38e31c7238e5ULL, 0x1616ec6e786f0c70ULL, 0x21537e293a6691aeULL,
	0xa628f1cb4d9e82efULL, 0xa68a205b2e5a7ddfULL, 0xcd91de4547085abaULL,
	0x091d50792876a202ULL, 0x05d543a95414e7f1ULL,
};
/* |x| and |t| for x = -0xd201000000010000 and the trace t = x + 1. */
static const uint64_t x_abs = 0xd201000000010000ULL;
static const uint64_t t_abs = 0xd20100000000ffffULL;

#define NRAND	8

static void rand_fr(cyl_fr *k)
{
	assert_int_equal(cyl_fr_random(k), 0);
}

/* The canonical value of k as little-endian limbs. */
static void fr_limbs(uint64_t l[CYL_FR_LIMBS], const cyl_fr *k)
{
	uint8_t b[CYL_FR_BYTES];

	cyl_fr_to_bytes(b, k);
	for (int i = 0; i < CYL_FR_LIMBS; i++) {
		l[i] = 0;
		for (int j = 0; j < 8; j++)
			l[i] = (l[i] << 8) | b[8 * (CYL_FR_LIMBS - 1 - i) + j];
	}
}

static void fp_hex(cyl_fp *r, const char *hex)
{
	assert_true(cyl_fp_from_hex(r, hex));
}

/* --- G1 --- */

static void g1_random(cyl_g1 *r)
{
	cyl_fr k;

	rand_fr(&k);
	cyl_g1_mul(r, &cyl_g1_generator, &k);
}

/* A point of E(Fp) with the smallest x >= start (almost surely not in G1). */
static void g1_curve_point(cyl_g1 *r, uint64_t start)
{
	cyl_fp x, y2, four;

	cyl_fp_from_u64(&four, 4);
	for (uint64_t i = start;; i++) {
		cyl_fp_from_u64(&x, i);
		cyl_fp_sqr(&y2, &x);
		cyl_fp_mul(&y2, &y2, &x);
		cyl_fp_add(&y2, &y2, &four);
		if (cyl_fp_sqrt(&r->Y, &y2))
			break;
	}
	r->X = x;
	r->Z = cyl_fp_one;
	assert_true(cyl_g1_is_on_curve(r));
}

/* (X : Y : Z) scaled to (sX : sY : sZ), the same point. */
static void g1_rescale(cyl_g1 *r, const cyl_g1 *a, uint64_t s)
{
	cyl_fp_mul_small(&r->X, &a->X, s);
	cyl_fp_mul_small(&r->Y, &a->Y, s);
	cyl_fp_mul_small(&r->Z, &a->Z, s);
}

static bool g1_r_torsion(const cyl_g1 *a)
{
	cyl_g1 t;

	cyl_g1_mul_vartime(&t, a, cyl_fr_modulus, CYL_FR_LIMBS);
	return cyl_g1_is_infinity(&t);
}

static void test_g1_generator(void **state)
{
	cyl_g1_affine a;
	cyl_fp x, y;
	cyl_g1 g, t;

	(void)state;
	fp_hex(&x, "0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e8"
		   "3ff97a1aeffb3af00adb22c6bb");
	fp_hex(&y, "0x08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc7"
		   "44a2888ae40caa232946c5e7e1");
	cyl_g1_to_affine(&a, &cyl_g1_generator);
	assert_false(a.infinity);
	assert_true(cyl_fp_eq(&a.x, &x));
	assert_true(cyl_fp_eq(&a.y, &y));
	assert_true(cyl_g1_is_on_curve(&cyl_g1_generator));
	assert_true(cyl_g1_in_subgroup(&cyl_g1_generator));
	assert_true(g1_r_torsion(&cyl_g1_generator));

	/* infinity is on the curve and in the subgroup, (0:0:0) is neither */
	assert_true(cyl_g1_is_infinity(&cyl_g1_infinity));
	assert_false(cyl_g1_is_infinity(&cyl_g1_generator));
	assert_true(cyl_g1_is_on_curve(&cyl_g1_infinity));
	assert_true(cyl_g1_in_subgroup(&cyl_g1_infinity));
	memset(&t, 0, sizeof(t));
	assert_false(cyl_g1_is_on_curve(&t));

	/* off the curve: y + 1 */
	g = cyl_g1_generator;
	cyl_fp_add(&g.Y, &g.Y, &cyl_fp_one);
	assert_false(cyl_g1_is_on_curve(&g));
}

static void test_g1_group_law(void **state)
{
	cyl_g1 a, b, c, o = cyl_g1_infinity, l, r, t;

	(void)state;
	for (int i = 0; i < NRAND; i++) {
		g1_random(&a);
		g1_random(&b);
		g1_random(&c);
		assert_true(cyl_g1_is_on_curve(&a));
		assert_false(cyl_g1_eq(&a, &b));

		/* associativity, commutativity */
		cyl_g1_add(&l, &a, &b);
		cyl_g1_add(&l, &l, &c);
		cyl_g1_add(&r, &b, &c);
		cyl_g1_add(&r, &a, &r);
		assert_true(cyl_g1_eq(&l, &r));
		assert_true(cyl_g1_is_on_curve(&l));
		cyl_g1_add(&l, &a, &b);
		cyl_g1_add(&r, &b, &a);
		assert_true(cyl_g1_eq(&l, &r));
		assert_false(cyl_g1_eq(&l, &a));

		/* identity, both sides */
		cyl_g1_add(&l, &a, &o);
		assert_true(cyl_g1_eq(&l, &a));
		cyl_g1_add(&l, &o, &a);
		assert_true(cyl_g1_eq(&l, &a));

		/* inverse */
		cyl_g1_neg(&t, &a);
		assert_false(cyl_g1_eq(&t, &a));
		assert_true(cyl_g1_is_on_curve(&t));
		cyl_g1_add(&l, &a, &t);
		assert_true(cyl_g1_is_infinity(&l));
		assert_true(cyl_g1_is_on_curve(&l));
		cyl_g1_add(&l, &t, &a);
		assert_true(cyl_g1_is_infinity(&l));

		/* doubling is adding to itself, also in another representation */
		cyl_g1_dbl(&l, &a);
		cyl_g1_add(&r, &a, &a);
		assert_true(cyl_g1_eq(&l, &r));
		g1_rescale(&t, &a, 7);
		cyl_g1_add(&r, &a, &t);
		assert_true(cyl_g1_eq(&l, &r));
		assert_false(cyl_g1_eq(&l, &a));
		assert_true(cyl_g1_is_on_curve(&l));

		/* aliasing of the output with the inputs */
		cyl_g1_add(&l, &a, &b);
		r = a;
		cyl_g1_add(&r, &r, &b);
		assert_true(cyl_g1_eq(&l, &r));
		r = b;
		cyl_g1_add(&r, &a, &r);
		assert_true(cyl_g1_eq(&l, &r));
	}
	cyl_g1_add(&l, &o, &o);
	assert_true(cyl_g1_is_infinity(&l));
	cyl_g1_dbl(&l, &o);
	assert_true(cyl_g1_is_infinity(&l));
	cyl_g1_neg(&l, &o);
	assert_true(cyl_g1_is_infinity(&l));
	assert_true(cyl_g1_eq(&l, &o));
}

static void test_g1_mul(void **state)
{
	uint64_t kl[CYL_FR_LIMBS];
	cyl_g1 a, b, c, acc;
	cyl_fr k, j, s;

	(void)state;
	/* small scalars against repeated additions */
	g1_random(&a);
	acc = cyl_g1_infinity;
	for (uint64_t i = 0; i < 40; i++) {
		uint64_t il = i;

		cyl_fr_from_u64(&k, i);
		cyl_g1_mul(&b, &a, &k);
		assert_true(cyl_g1_eq(&b, &acc));
		cyl_g1_mul_vartime(&c, &a, &il, 1);
		assert_true(cyl_g1_eq(&c, &acc));
		cyl_g1_add(&acc, &acc, &a);
	}

	/* 0, r - 1, r */
	cyl_fr_from_u64(&k, 0);
	cyl_g1_mul(&b, &cyl_g1_generator, &k);
	assert_true(cyl_g1_is_infinity(&b));
	cyl_fr_from_i64(&k, -1);
	cyl_g1_mul(&b, &cyl_g1_generator, &k);
	cyl_g1_neg(&c, &cyl_g1_generator);
	assert_true(cyl_g1_eq(&b, &c));
	cyl_g1_mul_vartime(&b, &cyl_g1_generator, cyl_fr_modulus, CYL_FR_LIMBS);
	assert_true(cyl_g1_is_infinity(&b));
	cyl_g1_mul(&b, &cyl_g1_infinity, &k);
	assert_true(cyl_g1_is_infinity(&b));

	for (int i = 0; i < NRAND; i++) {
		/* against the variable-time multiplication */
		rand_fr(&k);
		fr_limbs(kl, &k);
		cyl_g1_mul(&b, &a, &k);
		cyl_g1_mul_vartime(&c, &a, kl, CYL_FR_LIMBS);
		assert_true(cyl_g1_eq(&b, &c));
		assert_true(cyl_g1_is_on_curve(&b));
		c = a;
		cyl_g1_mul(&c, &c, &k);		/* aliased */
		assert_true(cyl_g1_eq(&b, &c));

		/* [k]a + [j]a = [k + j]a, [j]([k]a) = [jk]a */
		rand_fr(&j);
		cyl_g1_mul(&c, &a, &j);
		cyl_g1_add(&c, &b, &c);
		cyl_fr_add(&s, &k, &j);
		cyl_g1_mul(&acc, &a, &s);
		assert_true(cyl_g1_eq(&c, &acc));
		cyl_g1_mul(&c, &b, &j);
		cyl_fr_mul(&s, &k, &j);
		cyl_g1_mul(&acc, &a, &s);
		assert_true(cyl_g1_eq(&c, &acc));
	}
}

static void test_g1_subgroup(void **state)
{
	cyl_g1 a, b;

	(void)state;
	for (int i = 0; i < NRAND; i++) {
		g1_random(&a);
		assert_true(cyl_g1_in_subgroup(&a));
		assert_true(g1_r_torsion(&a));
	}
	/* (0, 2) has order 3 */
	g1_curve_point(&a, 0);
	assert_true(cyl_fp_is_zero(&a.X));
	cyl_g1_dbl(&b, &a);
	cyl_g1_add(&b, &b, &a);
	assert_true(cyl_g1_is_infinity(&b));
	assert_false(g1_r_torsion(&a));
	assert_false(cyl_g1_in_subgroup(&a));

	for (uint64_t x = 1, i = 0; i < NRAND; i++) {
		/* on the curve, outside G1 */
		g1_curve_point(&a, x);
		assert_false(g1_r_torsion(&a));
		assert_false(cyl_g1_in_subgroup(&a));
		/* its cofactor multiple is in G1 */
		cyl_g1_mul_vartime(&b, &a, h1, 2);
		assert_false(cyl_g1_is_infinity(&b));
		assert_true(g1_r_torsion(&b));
		assert_true(cyl_g1_in_subgroup(&b));
		/* [r]a is in the cofactor torsion, and not in G1 */
		cyl_g1_mul_vartime(&b, &a, cyl_fr_modulus, CYL_FR_LIMBS);
		assert_false(cyl_g1_is_infinity(&b));
		assert_true(cyl_g1_is_on_curve(&b));
		assert_false(g1_r_torsion(&b));
		assert_false(cyl_g1_in_subgroup(&b));
		cyl_g1_add(&b, &b, &cyl_g1_generator);
		assert_false(g1_r_torsion(&b));
		assert_false(cyl_g1_in_subgroup(&b));
		x += 1000;
	}
}

static void test_g1_affine(void **state)
{
	cyl_g1_affine aff;
	cyl_g1 a, b;

	(void)state;
	g1_random(&a);
	g1_rescale(&a, &a, 12345);
	cyl_g1_to_affine(&aff, &a);
	assert_false(aff.infinity);
	cyl_g1_from_affine(&b, &aff);
	assert_true(cyl_fp_eq(&b.Z, &cyl_fp_one));
	assert_true(cyl_g1_eq(&a, &b));
	assert_true(cyl_g1_is_on_curve(&b));

	cyl_g1_to_affine(&aff, &cyl_g1_infinity);
	assert_true(aff.infinity);
	cyl_g1_from_affine(&b, &aff);
	assert_true(cyl_g1_is_infinity(&b));
	assert_true(cyl_g1_is_on_curve(&b));
}

/* --- G2 --- */

static void g2_random(cyl_g2 *r)
{
	cyl_fr k;

	rand_fr(&k);
	cyl_g2_mul(r, &cyl_g2_generator, &k);
}

/* A point of E'(Fp2) with x = i + u for the smallest i >= start. */
static void g2_curve_point(cyl_g2 *r, uint64_t start)
{
	cyl_fp2 x, y2, b;

	cyl_fp2_mul_small(&b, &cyl_fp2_one, 4);
	cyl_fp2_mul_by_nonresidue(&b, &b);
	for (uint64_t i = start;; i++) {
		cyl_fp_from_u64(&x.c0, i);
		x.c1 = cyl_fp_one;
		cyl_fp2_sqr(&y2, &x);
		cyl_fp2_mul(&y2, &y2, &x);
		cyl_fp2_add(&y2, &y2, &b);
		if (cyl_fp2_sqrt(&r->Y, &y2))
			break;
	}
	r->X = x;
	r->Z = cyl_fp2_one;
	assert_true(cyl_g2_is_on_curve(r));
}

static void g2_rescale(cyl_g2 *r, const cyl_g2 *a, uint64_t s)
{
	cyl_fp2_mul_small(&r->X, &a->X, s);
	cyl_fp2_mul_small(&r->Y, &a->Y, s);
	cyl_fp2_mul_small(&r->Z, &a->Z, s);
}

static bool g2_r_torsion(const cyl_g2 *a)
{
	cyl_g2 t;

	cyl_g2_mul_vartime(&t, a, cyl_fr_modulus, CYL_FR_LIMBS);
	return cyl_g2_is_infinity(&t);
}

static void test_g2_generator(void **state)
{
	cyl_g2_affine a;
	cyl_fp2 x, y;
	cyl_g2 g, t;

	(void)state;
	fp_hex(&x.c0, "0x024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac03"
		      "26a805bbefd48056c8c121bdb8");
	fp_hex(&x.c1, "0x13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf1"
		      "1213945d57e5ac7d055d042b7e");
	fp_hex(&y.c0, "0x0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9"
		      "cc3baca289e193548608b82801");
	fp_hex(&y.c1, "0x0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d"
		      "275cec1da1aaa9075ff05f79be");
	cyl_g2_to_affine(&a, &cyl_g2_generator);
	assert_false(a.infinity);
	assert_true(cyl_fp2_eq(&a.x, &x));
	assert_true(cyl_fp2_eq(&a.y, &y));
	assert_true(cyl_g2_is_on_curve(&cyl_g2_generator));
	assert_true(cyl_g2_in_subgroup(&cyl_g2_generator));
	assert_true(g2_r_torsion(&cyl_g2_generator));

	assert_true(cyl_g2_is_infinity(&cyl_g2_infinity));
	assert_false(cyl_g2_is_infinity(&cyl_g2_generator));
	assert_true(cyl_g2_is_on_curve(&cyl_g2_infinity));
	assert_true(cyl_g2_in_subgroup(&cyl_g2_infinity));
	memset(&t, 0, sizeof(t));
	assert_false(cyl_g2_is_on_curve(&t));

	g = cyl_g2_generator;
	cyl_fp_add(&g.Y.c1, &g.Y.c1, &cyl_fp_one);
	assert_false(cyl_g2_is_on_curve(&g));
}

static void test_g2_group_law(void **state)
{
	cyl_g2 a, b, c, o = cyl_g2_infinity, l, r, t;

	(void)state;
	for (int i = 0; i < NRAND; i++) {
		g2_random(&a);
		g2_random(&b);
		g2_random(&c);
		assert_true(cyl_g2_is_on_curve(&a));
		assert_false(cyl_g2_eq(&a, &b));

		cyl_g2_add(&l, &a, &b);
		cyl_g2_add(&l, &l, &c);
		cyl_g2_add(&r, &b, &c);
		cyl_g2_add(&r, &a, &r);
		assert_true(cyl_g2_eq(&l, &r));
		assert_true(cyl_g2_is_on_curve(&l));
		cyl_g2_add(&l, &a, &b);
		cyl_g2_add(&r, &b, &a);
		assert_true(cyl_g2_eq(&l, &r));
		assert_false(cyl_g2_eq(&l, &a));

		cyl_g2_add(&l, &a, &o);
		assert_true(cyl_g2_eq(&l, &a));
		cyl_g2_add(&l, &o, &a);
		assert_true(cyl_g2_eq(&l, &a));

		cyl_g2_neg(&t, &a);
		assert_false(cyl_g2_eq(&t, &a));
		assert_true(cyl_g2_is_on_curve(&t));
		cyl_g2_add(&l, &a, &t);
		assert_true(cyl_g2_is_infinity(&l));
		assert_true(cyl_g2_is_on_curve(&l));
		cyl_g2_add(&l, &t, &a);
		assert_true(cyl_g2_is_infinity(&l));

		cyl_g2_dbl(&l, &a);
		cyl_g2_add(&r, &a, &a);
		assert_true(cyl_g2_eq(&l, &r));
		g2_rescale(&t, &a, 7);
		cyl_g2_add(&r, &a, &t);
		assert_true(cyl_g2_eq(&l, &r));
		assert_false(cyl_g2_eq(&l, &a));
		assert_true(cyl_g2_is_on_curve(&l));

		cyl_g2_add(&l, &a, &b);
		r = a;
		cyl_g2_add(&r, &r, &b);
		assert_true(cyl_g2_eq(&l, &r));
		r = b;
		cyl_g2_add(&r, &a, &r);
		assert_true(cyl_g2_eq(&l, &r));
	}
	cyl_g2_add(&l, &o, &o);
	assert_true(cyl_g2_is_infinity(&l));
	cyl_g2_dbl(&l, &o);
	assert_true(cyl_g2_is_infinity(&l));
	cyl_g2_neg(&l, &o);
	assert_true(cyl_g2_is_infinity(&l));
	assert_true(cyl_g2_eq(&l, &o));
}

static void test_g2_mul(void **state)
{
	uint64_t kl[CYL_FR_LIMBS];
	cyl_g2 a, b, c, acc;
	cyl_fr k, j, s;

	(void)state;
	g2_random(&a);
	acc = cyl_g2_infinity;
	for (uint64_t i = 0; i < 40; i++) {
		uint64_t il = i;

		cyl_fr_from_u64(&k, i);
		cyl_g2_mul(&b, &a, &k);
		assert_true(cyl_g2_eq(&b, &acc));
		cyl_g2_mul_vartime(&c, &a, &il, 1);
		assert_true(cyl_g2_eq(&c, &acc));
		cyl_g2_add(&acc, &acc, &a);
	}

	cyl_fr_from_u64(&k, 0);
	cyl_g2_mul(&b, &cyl_g2_generator, &k);
	assert_true(cyl_g2_is_infinity(&b));
	cyl_fr_from_i64(&k, -1);
	cyl_g2_mul(&b, &cyl_g2_generator, &k);
	cyl_g2_neg(&c, &cyl_g2_generator);
	assert_true(cyl_g2_eq(&b, &c));
	cyl_g2_mul_vartime(&b, &cyl_g2_generator, cyl_fr_modulus, CYL_FR_LIMBS);
	assert_true(cyl_g2_is_infinity(&b));
	cyl_g2_mul(&b, &cyl_g2_infinity, &k);
	assert_true(cyl_g2_is_infinity(&b));

	for (int i = 0; i < NRAND; i++) {
		rand_fr(&k);
		fr_limbs(kl, &k);
		cyl_g2_mul(&b, &a, &k);
		cyl_g2_mul_vartime(&c, &a, kl, CYL_FR_LIMBS);
		assert_true(cyl_g2_eq(&b, &c));
		assert_true(cyl_g2_is_on_curve(&b));
		c = a;
		cyl_g2_mul(&c, &c, &k);
		assert_true(cyl_g2_eq(&b, &c));

		rand_fr(&j);
		cyl_g2_mul(&c, &a, &j);
		cyl_g2_add(&c, &b, &c);
		cyl_fr_add(&s, &k, &j);
		cyl_g2_mul(&acc, &a, &s);
		assert_true(cyl_g2_eq(&c, &acc));
		cyl_g2_mul(&c, &b, &j);
		cyl_fr_mul(&s, &k, &j);
		cyl_g2_mul(&acc, &a, &s);
		assert_true(cyl_g2_eq(&c, &acc));
	}
}

static void test_g2_subgroup(void **state)
{
	cyl_g2 a, b;

	(void)state;
	for (int i = 0; i < NRAND; i++) {
		g2_random(&a);
		assert_true(cyl_g2_in_subgroup(&a));
		assert_true(g2_r_torsion(&a));
	}
	for (uint64_t x = 0, i = 0; i < NRAND; i++) {
		g2_curve_point(&a, x);
		assert_false(g2_r_torsion(&a));
		assert_false(cyl_g2_in_subgroup(&a));
		cyl_g2_mul_vartime(&b, &a, h2, 8);
		assert_false(cyl_g2_is_infinity(&b));
		assert_true(g2_r_torsion(&b));
		assert_true(cyl_g2_in_subgroup(&b));
		cyl_g2_mul_vartime(&b, &a, cyl_fr_modulus, CYL_FR_LIMBS);
		assert_false(cyl_g2_is_infinity(&b));
		assert_true(cyl_g2_is_on_curve(&b));
		assert_false(g2_r_torsion(&b));
		assert_false(cyl_g2_in_subgroup(&b));
		cyl_g2_add(&b, &b, &cyl_g2_generator);
		assert_false(g2_r_torsion(&b));
		assert_false(cyl_g2_in_subgroup(&b));
		x += 1000;
	}
}

/*
 * psi is the twisted Frobenius, so on the whole of E'(Fp2) it satisfies
 * the characteristic equation psi^2 - [t]psi + [p] = 0, t = x + 1 < 0; on
 * G2 it acts as [p] = [x] mod r (the subgroup check relies on that).
 */
static void test_g2_psi(void **state)
{
	cyl_g2 pts[3], a, s, s2, t, u;

	(void)state;
	g2_random(&pts[0]);
	pts[1] = cyl_g2_generator;
	g2_curve_point(&pts[2], 7);
	for (int i = 0; i < 3; i++) {
		a = pts[i];
		cyl_g2_psi(&s, &a);
		assert_true(cyl_g2_is_on_curve(&s));
		assert_false(cyl_g2_eq(&s, &a));
		cyl_g2_psi(&s2, &s);
		assert_true(cyl_g2_is_on_curve(&s2));
		/* psi^2(P) + [|t|]psi(P) + [p]P */
		cyl_g2_mul_vartime(&t, &s, &t_abs, 1);
		cyl_g2_mul_vartime(&u, &a, cyl_fp_modulus, CYL_FP_LIMBS);
		cyl_g2_add(&t, &t, &s2);
		cyl_g2_add(&t, &t, &u);
		assert_true(cyl_g2_is_infinity(&t));
		/* and not with the wrong sign of t */
		cyl_g2_mul_vartime(&t, &s, &t_abs, 1);
		cyl_g2_neg(&t, &t);
		cyl_g2_add(&t, &t, &s2);
		cyl_g2_add(&t, &t, &u);
		assert_false(cyl_g2_is_infinity(&t));
	}
	/* on G2: psi(P) = [x]P = -[|x|]P */
	cyl_g2_psi(&s, &pts[0]);
	cyl_g2_mul_vartime(&t, &pts[0], &x_abs, 1);
	cyl_g2_neg(&t, &t);
	assert_true(cyl_g2_eq(&s, &t));
	cyl_g2_psi(&s, &cyl_g2_infinity);
	assert_true(cyl_g2_is_infinity(&s));
}

static void test_g2_affine(void **state)
{
	cyl_g2_affine aff;
	cyl_g2 a, b;

	(void)state;
	g2_random(&a);
	g2_rescale(&a, &a, 12345);
	cyl_g2_to_affine(&aff, &a);
	assert_false(aff.infinity);
	cyl_g2_from_affine(&b, &aff);
	assert_true(cyl_fp2_eq(&b.Z, &cyl_fp2_one));
	assert_true(cyl_g2_eq(&a, &b));
	assert_true(cyl_g2_is_on_curve(&b));

	cyl_g2_to_affine(&aff, &cyl_g2_infinity);
	assert_true(aff.infinity);
	cyl_g2_from_affine(&b, &aff);
	assert_true(cyl_g2_is_infinity(&b));
	assert_true(cyl_g2_is_on_curve(&b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_g1_generator),
		cmocka_unit_test(test_g1_group_law),
		cmocka_unit_test(test_g1_mul),
		cmocka_unit_test(test_g1_subgroup),
		cmocka_unit_test(test_g1_affine),
		cmocka_unit_test(test_g2_generator),
		cmocka_unit_test(test_g2_group_law),
		cmocka_unit_test(test_g2_mul),
		cmocka_unit_test(test_g2_subgroup),
		cmocka_unit_test(test_g2_psi),
		cmocka_unit_test(test_g2_affine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
