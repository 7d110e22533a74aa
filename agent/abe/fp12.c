// SPDX-License-Identifier: GPL-2.0
/*
 * The towers Fp6 = Fp2[v] / (v^3 - xi), xi = u + 1, and
 * Fp12 = Fp6[w] / (w^2 - v), and the GT helpers: exponentiation by a
 * secret scalar and the checked encoding.
 */
#include <string.h>

#include "abe/fp12.h"

const cyl_fp12 cyl_fp12_one = { .c0 = { .c0 = { .c0 = { {
	0x760900000002fffd, 0xebf4000bc40c0002, 0x5f48985753c758ba,
	0x77ce585370525745, 0x5c071a97a256ec6d, 0x15f65ec3fa80e493,
} } } } };

/* --- Fp6 --- */

void cyl_fp6_add(cyl_fp6 *r, const cyl_fp6 *a, const cyl_fp6 *b)
{
	cyl_fp2_add(&r->c0, &a->c0, &b->c0);
	cyl_fp2_add(&r->c1, &a->c1, &b->c1);
	cyl_fp2_add(&r->c2, &a->c2, &b->c2);
}

void cyl_fp6_sub(cyl_fp6 *r, const cyl_fp6 *a, const cyl_fp6 *b)
{
	cyl_fp2_sub(&r->c0, &a->c0, &b->c0);
	cyl_fp2_sub(&r->c1, &a->c1, &b->c1);
	cyl_fp2_sub(&r->c2, &a->c2, &b->c2);
}

void cyl_fp6_neg(cyl_fp6 *r, const cyl_fp6 *a)
{
	cyl_fp2_neg(&r->c0, &a->c0);
	cyl_fp2_neg(&r->c1, &a->c1);
	cyl_fp2_neg(&r->c2, &a->c2);
}

/* Karatsuba over three terms: six Fp2 products. */
void cyl_fp6_mul(cyl_fp6 *r, const cyl_fp6 *a, const cyl_fp6 *b)
{
	cyl_fp2 t0, t1, t2, s, u, c0, c1, c2;

	cyl_fp2_mul(&t0, &a->c0, &b->c0);
	cyl_fp2_mul(&t1, &a->c1, &b->c1);
	cyl_fp2_mul(&t2, &a->c2, &b->c2);

	/* c0 = ((a1 + a2)(b1 + b2) - t1 - t2) xi + t0 */
	cyl_fp2_add(&s, &a->c1, &a->c2);
	cyl_fp2_add(&u, &b->c1, &b->c2);
	cyl_fp2_mul(&c0, &s, &u);
	cyl_fp2_sub(&c0, &c0, &t1);
	cyl_fp2_sub(&c0, &c0, &t2);
	cyl_fp2_mul_by_nonresidue(&c0, &c0);
	cyl_fp2_add(&c0, &c0, &t0);

	/* c1 = (a0 + a1)(b0 + b1) - t0 - t1 + xi t2 */
	cyl_fp2_add(&s, &a->c0, &a->c1);
	cyl_fp2_add(&u, &b->c0, &b->c1);
	cyl_fp2_mul(&c1, &s, &u);
	cyl_fp2_sub(&c1, &c1, &t0);
	cyl_fp2_sub(&c1, &c1, &t1);
	cyl_fp2_mul_by_nonresidue(&s, &t2);
	cyl_fp2_add(&c1, &c1, &s);

	/* c2 = (a0 + a2)(b0 + b2) - t0 - t2 + t1 */
	cyl_fp2_add(&s, &a->c0, &a->c2);
	cyl_fp2_add(&u, &b->c0, &b->c2);
	cyl_fp2_mul(&c2, &s, &u);
	cyl_fp2_sub(&c2, &c2, &t0);
	cyl_fp2_sub(&c2, &c2, &t2);
	cyl_fp2_add(&r->c2, &c2, &t1);
	r->c0 = c0;
	r->c1 = c1;
}

/*
 * Chung-Hasan SQR2: with s0 = a0^2, s1 = 2 a0 a1, s2 = (a0 - a1 + a2)^2,
 * s3 = 2 a1 a2, s4 = a2^2, the square is (s0 + xi s3) + (s1 + xi s4) v +
 * (s1 + s2 + s3 - s0 - s4) v^2.
 */
void cyl_fp6_sqr(cyl_fp6 *r, const cyl_fp6 *a)
{
	cyl_fp2 s0, s1, s2, s3, s4, t;

	cyl_fp2_sqr(&s0, &a->c0);
	cyl_fp2_mul(&s1, &a->c0, &a->c1);
	cyl_fp2_dbl(&s1, &s1);
	cyl_fp2_sub(&s2, &a->c0, &a->c1);
	cyl_fp2_add(&s2, &s2, &a->c2);
	cyl_fp2_sqr(&s2, &s2);
	cyl_fp2_mul(&s3, &a->c1, &a->c2);
	cyl_fp2_dbl(&s3, &s3);
	cyl_fp2_sqr(&s4, &a->c2);

	cyl_fp2_add(&t, &s1, &s2);
	cyl_fp2_add(&t, &t, &s3);
	cyl_fp2_sub(&t, &t, &s0);
	cyl_fp2_sub(&r->c2, &t, &s4);
	cyl_fp2_mul_by_nonresidue(&t, &s3);
	cyl_fp2_add(&r->c0, &s0, &t);
	cyl_fp2_mul_by_nonresidue(&t, &s4);
	cyl_fp2_add(&r->c1, &s1, &t);
}

/* (a0 + a1 v + a2 v^2) v = xi a2 + a0 v + a1 v^2 */
void cyl_fp6_mul_by_nonresidue(cyl_fp6 *r, const cyl_fp6 *a)
{
	cyl_fp2 t;

	cyl_fp2_mul_by_nonresidue(&t, &a->c2);
	r->c2 = a->c1;
	r->c1 = a->c0;
	r->c0 = t;
}

/*
 * With t0 = a0^2 - xi a1 a2, t1 = xi a2^2 - a0 a1, t2 = a1^2 - a0 a2,
 * a (t0 + t1 v + t2 v^2) = a0 t0 + xi (a2 t1 + a1 t2), an Fp2 element.
 */
void cyl_fp6_inv(cyl_fp6 *r, const cyl_fp6 *a)
{
	cyl_fp2 t0, t1, t2, d, s;

	cyl_fp2_sqr(&t0, &a->c0);
	cyl_fp2_mul(&s, &a->c1, &a->c2);
	cyl_fp2_mul_by_nonresidue(&s, &s);
	cyl_fp2_sub(&t0, &t0, &s);

	cyl_fp2_sqr(&t1, &a->c2);
	cyl_fp2_mul_by_nonresidue(&t1, &t1);
	cyl_fp2_mul(&s, &a->c0, &a->c1);
	cyl_fp2_sub(&t1, &t1, &s);

	cyl_fp2_sqr(&t2, &a->c1);
	cyl_fp2_mul(&s, &a->c0, &a->c2);
	cyl_fp2_sub(&t2, &t2, &s);

	cyl_fp2_mul(&d, &a->c2, &t1);
	cyl_fp2_mul(&s, &a->c1, &t2);
	cyl_fp2_add(&d, &d, &s);
	cyl_fp2_mul_by_nonresidue(&d, &d);
	cyl_fp2_mul(&s, &a->c0, &t0);
	cyl_fp2_add(&d, &d, &s);
	cyl_fp2_inv(&d, &d);

	cyl_fp2_mul(&r->c0, &t0, &d);
	cyl_fp2_mul(&r->c1, &t1, &d);
	cyl_fp2_mul(&r->c2, &t2, &d);
}

/* --- Fp12 --- */

/* Karatsuba: (a0 b0 + v a1 b1) + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) w */
void cyl_fp12_mul(cyl_fp12 *r, const cyl_fp12 *a, const cyl_fp12 *b)
{
	cyl_fp6 t0, t1, s, u;

	cyl_fp6_mul(&t0, &a->c0, &b->c0);
	cyl_fp6_mul(&t1, &a->c1, &b->c1);
	cyl_fp6_add(&s, &a->c0, &a->c1);
	cyl_fp6_add(&u, &b->c0, &b->c1);
	cyl_fp6_mul(&s, &s, &u);
	cyl_fp6_sub(&s, &s, &t0);
	cyl_fp6_sub(&r->c1, &s, &t1);
	cyl_fp6_mul_by_nonresidue(&t1, &t1);
	cyl_fp6_add(&r->c0, &t0, &t1);
}

/* Complex squaring: t = a0 a1, a0^2 + v a1^2 = (a0 + a1)(a0 + v a1) - t - v t. */
void cyl_fp12_sqr(cyl_fp12 *r, const cyl_fp12 *a)
{
	cyl_fp6 t, s, u;

	cyl_fp6_mul(&t, &a->c0, &a->c1);
	cyl_fp6_add(&s, &a->c0, &a->c1);
	cyl_fp6_mul_by_nonresidue(&u, &a->c1);
	cyl_fp6_add(&u, &u, &a->c0);
	cyl_fp6_mul(&s, &s, &u);
	cyl_fp6_sub(&s, &s, &t);
	cyl_fp6_mul_by_nonresidue(&u, &t);
	cyl_fp6_sub(&r->c0, &s, &u);
	cyl_fp6_add(&r->c1, &t, &t);
}

/* 1/(a0 + a1 w) = (a0 - a1 w) / (a0^2 - v a1^2) */
void cyl_fp12_inv(cyl_fp12 *r, const cyl_fp12 *a)
{
	cyl_fp6 t, s;

	cyl_fp6_sqr(&t, &a->c0);
	cyl_fp6_sqr(&s, &a->c1);
	cyl_fp6_mul_by_nonresidue(&s, &s);
	cyl_fp6_sub(&t, &t, &s);
	cyl_fp6_inv(&t, &t);
	cyl_fp6_mul(&r->c0, &a->c0, &t);
	cyl_fp6_mul(&r->c1, &a->c1, &t);
	cyl_fp6_neg(&r->c1, &r->c1);
}

void cyl_fp12_conj(cyl_fp12 *r, const cyl_fp12 *a)
{
	r->c0 = a->c0;
	cyl_fp6_neg(&r->c1, &a->c1);
}

/* (x0 + x1 s)^2 in Fp4 = Fp2[s] / (s^2 - xi): x0^2 + xi x1^2 + 2 x0 x1 s */
static void fp4_sqr(cyl_fp2 *r0, cyl_fp2 *r1, const cyl_fp2 *x0, const cyl_fp2 *x1)
{
	cyl_fp2 t0, t1, t;

	cyl_fp2_sqr(&t0, x0);
	cyl_fp2_sqr(&t1, x1);
	cyl_fp2_add(&t, x0, x1);
	cyl_fp2_sqr(&t, &t);
	cyl_fp2_sub(&t, &t, &t0);
	cyl_fp2_sub(r1, &t, &t1);
	cyl_fp2_mul_by_nonresidue(&t1, &t1);
	cyl_fp2_add(r0, &t0, &t1);
}

/* r = 3 t - 2 x (minus) or 3 t + 2 x (plus), as 2 (t -+ x) + t. */
static void three_t_minus_two_x(cyl_fp2 *r, const cyl_fp2 *t, const cyl_fp2 *x)
{
	cyl_fp2 d;

	cyl_fp2_sub(&d, t, x);
	cyl_fp2_dbl(&d, &d);
	cyl_fp2_add(r, &d, t);
}

static void three_t_plus_two_x(cyl_fp2 *r, const cyl_fp2 *t, const cyl_fp2 *x)
{
	cyl_fp2 d;

	cyl_fp2_add(&d, t, x);
	cyl_fp2_dbl(&d, &d);
	cyl_fp2_add(r, &d, t);
}

/*
 * Granger and Scott, "Faster squaring in the cyclotomic subgroup of sixth
 * degree extensions" (PKC 2010).  With s = w^3 (s^2 = xi), write
 * a = A + B w + C w^2 over Fp4 = Fp2[s]: A = g0 + h1 s, B = h0 + g2 s,
 * C = g1 + h2 s, where a.c0 = (g0, g1, g2) and a.c1 = (h0, h1, h2).  On
 * the cyclotomic subgroup conj(x0 + x1 s) = x0 - x1 s is the inverse-like
 * map a^(p^6), and a^2 = (3 A^2 - 2 conj(A)) + (3 s C^2 + 2 conj(B)) w +
 * (3 B^2 - 2 conj(C)) w^2: three Fp4 squarings.
 */
void cyl_fp12_cyclotomic_sqr(cyl_fp12 *r, const cyl_fp12 *a)
{
	cyl_fp2 a0, a1, b0, b1, c0, c1;

	fp4_sqr(&a0, &a1, &a->c0.c0, &a->c1.c1);	/* A^2 */
	fp4_sqr(&b0, &b1, &a->c1.c0, &a->c0.c2);	/* B^2 */
	fp4_sqr(&c0, &c1, &a->c0.c1, &a->c1.c2);	/* C^2 */

	/* w^0: 3 A^2 - 2 conj(A) */
	three_t_minus_two_x(&r->c0.c0, &a0, &a->c0.c0);
	three_t_plus_two_x(&r->c1.c1, &a1, &a->c1.c1);
	/* w^1: 3 s C^2 + 2 conj(B), s C^2 = xi c1 + c0 s */
	cyl_fp2_mul_by_nonresidue(&c1, &c1);
	three_t_plus_two_x(&r->c1.c0, &c1, &a->c1.c0);
	three_t_minus_two_x(&r->c0.c2, &c0, &a->c0.c2);
	/* w^2: 3 B^2 - 2 conj(C) */
	three_t_minus_two_x(&r->c0.c1, &b0, &a->c0.c1);
	three_t_plus_two_x(&r->c1.c2, &b1, &a->c1.c2);
}

/*
 * Writing a = sum c_i w^i over Fp2, (c_i w^i)^(p^k) = frob_k(c_i) g w^i with
 * g = xi^(i (p^k - 1) / 6), since w^6 = xi.  frob_gamma[k - 1][i - 1] holds
 * that g for k = 1, 2, 3 and i = 1..5, in Montgomery form: computed with
 * python3 big integers as pow(xi, i * (p**k - 1) // 6) in Fp2, each
 * coordinate then times 2^384 mod p.
 */
static const cyl_fp2 frob_gamma[3][5] = {
	{
		{ { { 0x07089552b319d465, 0xc6695f92b50a8313, 0x97e83cccd117228f,
		      0xa35baecab2dc29ee, 0x1ce393ea5daace4d, 0x08f2220fb0fb66eb } },
		  { { 0xb2f66aad4ce5d646, 0x5842a06bfc497cec, 0xcf4895d42599d394,
		      0xc11b9cba40a8e8d0, 0x2e3813cbe5a0de89, 0x110eefda88847faf } } },
		{ { { 0 } },
		  { { 0xcd03c9e48671f071, 0x5dab22461fcda5d2, 0x587042afd3851b95,
		      0x8eb60ebe01bacb9e, 0x03f97d6e83d050d2, 0x18f0206554638741 } } },
		{ { { 0x7bcfa7a25aa30fda, 0xdc17dec12a927e7c, 0x2f088dd86b4ebef1,
		      0xd1ca2087da74d4a7, 0x2da2596696cebc1d, 0x0e2b7eedbbfd87d2 } },
		  { { 0x7bcfa7a25aa30fda, 0xdc17dec12a927e7c, 0x2f088dd86b4ebef1,
		      0xd1ca2087da74d4a7, 0x2da2596696cebc1d, 0x0e2b7eedbbfd87d2 } } },
		{ { { 0x890dc9e4867545c3, 0x2af322533285a5d5, 0x50880866309b7e2c,
		      0xa20d1b8c7e881024, 0x14e4f04fe2db9068, 0x14e56d3f1564853a } },
		  { { 0 } } },
		{ { { 0x82d83cf50dbce43f, 0xa2813e53df9d018f, 0xc6f0caa53c65e181,
		      0x7525cf528d50fe95, 0x4a85ed50f4798a6b, 0x171da0fd6cf8eebd } },
		  { { 0x3726c30af242c66c, 0x7c2ac1aad1b6fe70, 0xa04007fbba4b14a2,
		      0xef517c3266341429, 0x0095ba654ed2226b, 0x02e370eccc86f7dd } } },
	}, {
		{ { { 0xecfb361b798dba3a, 0xc100ddb891865a2c, 0x0ec08ff1232bda8e,
		      0xd5c13cc6f1ca4721, 0x47222a47bf7b5c04, 0x0110f184e51c5f59 } },
		  { { 0 } } },
		{ { { 0x30f1361b798a64e8, 0xf3b8ddab7ece5a2a, 0x16a8ca3ac61577f7,
		      0xc26a2ff874fd029b, 0x3636b76660701c6e, 0x051ba4ab241b6160 } },
		  { { 0 } } },
		{ { { 0x43f5fffffffcaaae, 0x32b7fff2ed47fffd, 0x07e83a49a2e99d69,
		      0xeca8f3318332bb7a, 0xef148d1ea0f4c069, 0x040ab3263eff0206 } },
		  { { 0 } } },
		{ { { 0xcd03c9e48671f071, 0x5dab22461fcda5d2, 0x587042afd3851b95,
		      0x8eb60ebe01bacb9e, 0x03f97d6e83d050d2, 0x18f0206554638741 } },
		  { { 0 } } },
		{ { { 0x890dc9e4867545c3, 0x2af322533285a5d5, 0x50880866309b7e2c,
		      0xa20d1b8c7e881024, 0x14e4f04fe2db9068, 0x14e56d3f1564853a } },
		  { { 0 } } },
	}, {
		{ { { 0x3e2f585da55c9ad1, 0x4294213d86c18183, 0x382844c88b623732,
		      0x92ad2afd19103e18, 0x1d794e4fac7cf0b9, 0x0bd592fc7d825ec8 } },
		  { { 0x7bcfa7a25aa30fda, 0xdc17dec12a927e7c, 0x2f088dd86b4ebef1,
		      0xd1ca2087da74d4a7, 0x2da2596696cebc1d, 0x0e2b7eedbbfd87d2 } } },
		{ { { 0 } },
		  { { 0x760900000002fffd, 0xebf4000bc40c0002, 0x5f48985753c758ba,
		      0x77ce585370525745, 0x5c071a97a256ec6d, 0x15f65ec3fa80e493 } } },
		{ { { 0x3e2f585da55c9ad1, 0x4294213d86c18183, 0x382844c88b623732,
		      0x92ad2afd19103e18, 0x1d794e4fac7cf0b9, 0x0bd592fc7d825ec8 } },
		  { { 0x3e2f585da55c9ad1, 0x4294213d86c18183, 0x382844c88b623732,
		      0x92ad2afd19103e18, 0x1d794e4fac7cf0b9, 0x0bd592fc7d825ec8 } } },
		{ { { 0x43f5fffffffcaaae, 0x32b7fff2ed47fffd, 0x07e83a49a2e99d69,
		      0xeca8f3318332bb7a, 0xef148d1ea0f4c069, 0x040ab3263eff0206 } },
		  { { 0 } } },
		{ { { 0x7bcfa7a25aa30fda, 0xdc17dec12a927e7c, 0x2f088dd86b4ebef1,
		      0xd1ca2087da74d4a7, 0x2da2596696cebc1d, 0x0e2b7eedbbfd87d2 } },
		  { { 0x3e2f585da55c9ad1, 0x4294213d86c18183, 0x382844c88b623732,
		      0x92ad2afd19103e18, 0x1d794e4fac7cf0b9, 0x0bd592fc7d825ec8 } } },
	},
};

/* One step a^(p^k) for k = 1, 2, 3. */
static void frobenius_step(cyl_fp12 *r, const cyl_fp12 *a, int k)
{
	/* the coefficients of w^0 .. w^5 */
	const cyl_fp2 *in[6] = {
		&a->c0.c0, &a->c1.c0, &a->c0.c1, &a->c1.c1, &a->c0.c2, &a->c1.c2,
	};
	cyl_fp2 *out[6] = {
		&r->c0.c0, &r->c1.c0, &r->c0.c1, &r->c1.c1, &r->c0.c2, &r->c1.c2,
	};
	int i;

	for (i = 0; i < 6; i++) {
		if (k & 1)
			cyl_fp2_conj(out[i], in[i]);
		else
			*out[i] = *in[i];
		if (i)
			cyl_fp2_mul(out[i], out[i], &frob_gamma[k - 1][i - 1]);
	}
}

/* power is taken mod 12; the steps are p^3 as often as possible. */
void cyl_fp12_frobenius(cyl_fp12 *r, const cyl_fp12 *a, int power)
{
	power %= 12;
	if (power < 0)
		power += 12;
	*r = *a;
	for (; power >= 3; power -= 3)
		frobenius_step(r, r, 3);
	if (power)
		frobenius_step(r, r, power);
}

bool cyl_fp12_eq(const cyl_fp12 *a, const cyl_fp12 *b)
{
	return cyl_fp2_eq(&a->c0.c0, &b->c0.c0) & cyl_fp2_eq(&a->c0.c1, &b->c0.c1) &
	       cyl_fp2_eq(&a->c0.c2, &b->c0.c2) & cyl_fp2_eq(&a->c1.c0, &b->c1.c0) &
	       cyl_fp2_eq(&a->c1.c1, &b->c1.c1) & cyl_fp2_eq(&a->c1.c2, &b->c1.c2);
}

bool cyl_fp12_is_one(const cyl_fp12 *a)
{
	return cyl_fp12_eq(a, &cyl_fp12_one);
}

/* --- GT --- */

/* Coefficient i of the encoding order: c0.c0.c0, c0.c0.c1, ... c1.c2.c1. */
static cyl_fp *coeff(cyl_fp12 *a, int i)
{
	cyl_fp6 *f6 = i < 6 ? &a->c0 : &a->c1;
	cyl_fp2 *f2 = (i % 6) < 2 ? &f6->c0 : (i % 6) < 4 ? &f6->c1 : &f6->c2;

	return i % 2 ? &f2->c1 : &f2->c0;
}

/* r = c ? a : r */
static void fp12_cmov(cyl_fp12 *r, cyl_fp12 *a, bool c)
{
	for (int i = 0; i < 12; i++)
		cyl_fp_cmov(coeff(r, i), coeff(r, i), coeff(a, i), c);
}

/*
 * A fixed 4-bit window over all 256 bits of k: 252 cyclotomic squarings
 * and 64 multiplications whatever k is, each table entry picked by reading
 * all sixteen under a mask.  The cyclotomic squarings need a in GT (or at
 * least in the cyclotomic subgroup); other inputs give garbage.
 */
void cyl_gt_pow(cyl_fp12 *r, const cyl_fp12 *a, const uint8_t k[32])
{
	cyl_fp12 tab[16], acc, t;
	int i, j;

	tab[0] = cyl_fp12_one;
	tab[1] = *a;
	for (i = 2; i < 16; i++)
		cyl_fp12_mul(&tab[i], &tab[i - 1], a);
	acc = cyl_fp12_one;
	for (i = 0; i < 64; i++) {
		unsigned int d = (k[i / 2] >> (i % 2 ? 0 : 4)) & 15;

		if (i) {
			for (j = 0; j < 4; j++)
				cyl_fp12_cyclotomic_sqr(&acc, &acc);
		}
		t = tab[0];
		for (j = 1; j < 16; j++)
			fp12_cmov(&t, &tab[j], (bool)(((j ^ d) - 1) >> 31));
		cyl_fp12_mul(&acc, &acc, &t);
	}
	*r = acc;
}

void cyl_gt_to_bytes(uint8_t out[CYL_GT_BYTES], const cyl_fp12 *a)
{
	cyl_fp12 t = *a;

	for (int i = 0; i < 12; i++)
		cyl_fp_to_bytes(out + i * CYL_FP_BYTES, coeff(&t, i));
}

/* a^|x| for the BLS parameter |x| = 0xd201000000010000, a cyclotomic. */
static void cyclotomic_pow_x(cyl_fp12 *r, const cyl_fp12 *a)
{
	const uint64_t x = 0xd201000000010000ULL;
	cyl_fp12 acc = *a;

	for (int i = 62; i >= 0; i--) {
		cyl_fp12_cyclotomic_sqr(&acc, &acc);
		if ((x >> i) & 1)
			cyl_fp12_mul(&acc, &acc, a);
	}
	*r = acc;
}

/*
 * The membership test: a != 0, a in the cyclotomic subgroup (order
 * dividing Phi12(p) = p^4 - p^2 + 1, i.e. a^(p^4) a = a^(p^2)), and
 * a^p = a^x for the (negative) BLS parameter x.  The last two say the
 * order of a divides gcd(Phi12(p), p - x), which is r exactly for
 * BLS12-381 (p - x = (x - 1)^2 r / 3; gcd checked with python3), so they
 * hold precisely on GT.  Zero passes both equations, hence the first
 * check.  This costs one exponentiation by the 64-bit x instead of one by
 * r; the unit test compares it with a^r = 1.
 */
bool cyl_gt_from_bytes(cyl_fp12 *r, const uint8_t in[CYL_GT_BYTES])
{
	cyl_fp12 a, f2, f4, ax;
	bool nonzero = false;

	for (int i = 0; i < 12; i++) {
		if (!cyl_fp_from_bytes(coeff(&a, i), in + i * CYL_FP_BYTES))
			return false;
		nonzero |= !cyl_fp_is_zero(coeff(&a, i));
	}
	if (!nonzero)
		return false;
	cyl_fp12_frobenius(&f2, &a, 2);
	cyl_fp12_frobenius(&f4, &f2, 2);
	cyl_fp12_mul(&f4, &f4, &a);
	if (!cyl_fp12_eq(&f4, &f2))
		return false;
	cyclotomic_pow_x(&ax, &a);
	cyl_fp12_conj(&ax, &ax);	/* x < 0; conj is the inverse here */
	cyl_fp12_frobenius(&f2, &a, 1);
	if (!cyl_fp12_eq(&f2, &ax))
		return false;
	*r = a;
	return true;
}
