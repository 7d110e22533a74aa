// SPDX-License-Identifier: GPL-2.0
/*
 * Fp2 = Fp[u] / (u^2 + 1).  Constant time like Fp, the exponentiations
 * having public exponents only.
 */
#include "abe/fp2.h"
#include "abe/mont.h"

#define N	CYL_FP_LIMBS

/* (p - 3) / 4 and (p - 1) / 2, from python3 big integers. */
static const uint64_t p_minus_3_div_4[N] = {
	0xee7fbfffffffeaaa, 0x07aaffffac54ffff, 0xd9cc34a83dac3d89,
	0xd91dd2e13ce144af, 0x92c6e9ed90d2eb35, 0x0680447a8e5ff9a6,
};

static const uint64_t p_minus_1_div_2[N] = {
	0xdcff7fffffffd555, 0x0f55ffff58a9ffff, 0xb39869507b587b12,
	0xb23ba5c279c2895f, 0x258dd3db21a5d66b, 0x0d0088f51cbff34d,
};

/* Fp additions inlined from mont.h: a call less on the towers' hot path. */
static inline void fp_add(cyl_fp *r, const cyl_fp *a, const cyl_fp *b)
{
	cyl_mont_add(r->l, a->l, b->l, cyl_fp_modulus, N);
}

static inline void fp_sub(cyl_fp *r, const cyl_fp *a, const cyl_fp *b)
{
	cyl_mont_sub(r->l, a->l, b->l, cyl_fp_modulus, N);
}

static inline void fp_neg(cyl_fp *r, const cyl_fp *a)
{
	cyl_mont_neg(r->l, a->l, cyl_fp_modulus, N);
}

const cyl_fp2 cyl_fp2_zero = { { { 0 } }, { { 0 } } };
const cyl_fp2 cyl_fp2_one = { { {
	0x760900000002fffd, 0xebf4000bc40c0002, 0x5f48985753c758ba,
	0x77ce585370525745, 0x5c071a97a256ec6d, 0x15f65ec3fa80e493,
} }, { { 0 } } };

void cyl_fp2_add(cyl_fp2 *r, const cyl_fp2 *a, const cyl_fp2 *b)
{
	fp_add(&r->c0, &a->c0, &b->c0);
	fp_add(&r->c1, &a->c1, &b->c1);
}

void cyl_fp2_sub(cyl_fp2 *r, const cyl_fp2 *a, const cyl_fp2 *b)
{
	fp_sub(&r->c0, &a->c0, &b->c0);
	fp_sub(&r->c1, &a->c1, &b->c1);
}

void cyl_fp2_neg(cyl_fp2 *r, const cyl_fp2 *a)
{
	fp_neg(&r->c0, &a->c0);
	fp_neg(&r->c1, &a->c1);
}

void cyl_fp2_dbl(cyl_fp2 *r, const cyl_fp2 *a)
{
	fp_add(&r->c0, &a->c0, &a->c0);
	fp_add(&r->c1, &a->c1, &a->c1);
}

/*
 * Karatsuba with lazy reduction: three 12-limb products and two Montgomery
 * reductions instead of three full multiplications.  With t0 = a0 b0,
 * t1 = a1 b1, t2 = (a0 + a1)(b0 + b1) (sums unreduced, below 2p):
 * c1 = t2 - t0 - t1 = a0 b1 + a1 b0 < 2p^2, and c0 = t0 - t1 plus p 2^384
 * when negative; both below p 2^384 as the reduction needs.
 */
void cyl_fp2_mul(cyl_fp2 *r, const cyl_fp2 *a, const cyl_fp2 *b)
{
	uint64_t t0[2 * N], t1[2 * N], t2[2 * N], sa[N], sb[N], pm[N], mask;

	cyl_mont_mul_wide(t0, a->c0.l, b->c0.l, N);
	cyl_mont_mul_wide(t1, a->c1.l, b->c1.l, N);
	cyl_mont_add_raw(sa, a->c0.l, a->c1.l, N);
	cyl_mont_add_raw(sb, b->c0.l, b->c1.l, N);
	cyl_mont_mul_wide(t2, sa, sb, N);

	cyl_mont_sub_raw(t2, t2, t0, 2 * N);
	cyl_mont_sub_raw(t2, t2, t1, 2 * N);
	cyl_mont_redc(r->c1.l, t2, cyl_fp_modulus, CYL_MONT_FP_MINV, N);

	mask = 0 - cyl_mont_sub_raw(t0, t0, t1, 2 * N);
	for (int i = 0; i < N; i++)
		pm[i] = cyl_fp_modulus[i] & mask;
	cyl_mont_add_raw(t0 + N, t0 + N, pm, N);	/* wraps mod 2^768 */
	cyl_mont_redc(r->c0.l, t0, cyl_fp_modulus, CYL_MONT_FP_MINV, N);
}

/* Complex squaring: (a0 + a1)(a0 - a1) + 2 a0 a1 u. */
void cyl_fp2_sqr(cyl_fp2 *r, const cyl_fp2 *a)
{
	cyl_fp s, d, m;

	fp_add(&s, &a->c0, &a->c1);
	fp_sub(&d, &a->c0, &a->c1);
	cyl_fp_mul(&m, &a->c0, &a->c1);
	cyl_fp_mul(&r->c0, &s, &d);
	fp_add(&r->c1, &m, &m);
}

void cyl_fp2_mul_fp(cyl_fp2 *r, const cyl_fp2 *a, const cyl_fp *b)
{
	cyl_fp_mul(&r->c0, &a->c0, b);
	cyl_fp_mul(&r->c1, &a->c1, b);
}

void cyl_fp2_mul_small(cyl_fp2 *r, const cyl_fp2 *a, uint64_t k)
{
	cyl_fp_mul_small(&r->c0, &a->c0, k);
	cyl_fp_mul_small(&r->c1, &a->c1, k);
}

/* (a0 + a1 u)(1 + u) = (a0 - a1) + (a0 + a1) u */
void cyl_fp2_mul_by_nonresidue(cyl_fp2 *r, const cyl_fp2 *a)
{
	cyl_fp t;

	fp_sub(&t, &a->c0, &a->c1);
	fp_add(&r->c1, &a->c0, &a->c1);
	r->c0 = t;
}

void cyl_fp2_conj(cyl_fp2 *r, const cyl_fp2 *a)
{
	r->c0 = a->c0;
	fp_neg(&r->c1, &a->c1);
}

/* 1/a = conj(a) / (a0^2 + a1^2); the norm's inverse maps 0 to 0. */
void cyl_fp2_inv(cyl_fp2 *r, const cyl_fp2 *a)
{
	cyl_fp n, t;

	cyl_fp_sqr(&n, &a->c0);
	cyl_fp_sqr(&t, &a->c1);
	fp_add(&n, &n, &t);
	cyl_fp_inv(&n, &n);
	cyl_fp_mul(&r->c0, &a->c0, &n);
	cyl_fp_mul(&t, &a->c1, &n);
	fp_neg(&r->c1, &t);
}

/*
 * Fixed 4-bit window over a public exponent: the operations depend on e
 * only, so this is constant time in a.
 */
void cyl_fp2_pow_vartime(cyl_fp2 *r, const cyl_fp2 *a, const uint64_t *e, size_t n)
{
	cyl_fp2 tab[16], acc = cyl_fp2_one;
	bool started = false;
	size_t i;

	tab[0] = cyl_fp2_one;
	tab[1] = *a;
	for (i = 2; i < 16; i++)
		cyl_fp2_mul(&tab[i], &tab[i - 1], a);
	for (i = n * 16; i-- > 0;) {
		unsigned int d = (e[i / 16] >> (4 * (i % 16))) & 15;

		if (started) {
			cyl_fp2_sqr(&acc, &acc);
			cyl_fp2_sqr(&acc, &acc);
			cyl_fp2_sqr(&acc, &acc);
			cyl_fp2_sqr(&acc, &acc);
		}
		if (d) {
			cyl_fp2_mul(&acc, &acc, &tab[d]);
			started = true;
		}
	}
	*r = acc;
}

/*
 * Square root for p = 3 mod 4: Adj and Rodriguez-Henriquez, "Square root
 * computation over even extension fields" (2014), algorithm 9, with both
 * branches computed and selected by cmov.  With a1 = a^((p-3)/4),
 * alpha = a1^2 a = a^((p-1)/2) and x0 = a1 a: if alpha = -1 the root is
 * u x0, otherwise (1 + alpha)^((p-1)/2) x0.  The final squaring check
 * replaces the algorithm's early exit for non-squares.
 */
bool cyl_fp2_sqrt(cyl_fp2 *r, const cyl_fp2 *a)
{
	cyl_fp2 a1, alpha, x0, ux0, b, chk, minus_one;

	cyl_fp2_pow_vartime(&a1, a, p_minus_3_div_4, N);
	cyl_fp2_mul(&x0, &a1, a);
	cyl_fp2_mul(&alpha, &a1, &x0);

	fp_neg(&ux0.c0, &x0.c1);		/* u (c0 + c1 u) = -c1 + c0 u */
	ux0.c1 = x0.c0;

	cyl_fp2_add(&b, &alpha, &cyl_fp2_one);
	cyl_fp2_pow_vartime(&b, &b, p_minus_1_div_2, N);
	cyl_fp2_mul(&b, &b, &x0);

	cyl_fp2_neg(&minus_one, &cyl_fp2_one);
	cyl_fp2_cmov(r, &b, &ux0, cyl_fp2_eq(&alpha, &minus_one));
	cyl_fp2_sqr(&chk, r);
	return cyl_fp2_eq(&chk, a);
}

/* a is a square in Fp2 exactly when its norm a0^2 + a1^2 is one in Fp. */
bool cyl_fp2_is_square(const cyl_fp2 *a)
{
	cyl_fp n, t;

	cyl_fp_sqr(&n, &a->c0);
	cyl_fp_sqr(&t, &a->c1);
	fp_add(&n, &n, &t);
	return cyl_fp_is_square(&n);
}

bool cyl_fp2_is_zero(const cyl_fp2 *a)
{
	return cyl_fp_is_zero(&a->c0) & cyl_fp_is_zero(&a->c1);
}

bool cyl_fp2_eq(const cyl_fp2 *a, const cyl_fp2 *b)
{
	return cyl_fp_eq(&a->c0, &b->c0) & cyl_fp_eq(&a->c1, &b->c1);
}

void cyl_fp2_cmov(cyl_fp2 *r, const cyl_fp2 *a, const cyl_fp2 *b, bool c)
{
	cyl_fp_cmov(&r->c0, &a->c0, &b->c0, c);
	cyl_fp_cmov(&r->c1, &a->c1, &b->c1, c);
}

/* RFC 9380 section 4.1, m = 2: sign_0 OR (zero_0 AND sign_1). */
int cyl_fp2_sgn0(const cyl_fp2 *a)
{
	int sign_0 = cyl_fp_sgn0(&a->c0);
	int zero_0 = cyl_fp_is_zero(&a->c0);
	int sign_1 = cyl_fp_sgn0(&a->c1);

	return sign_0 | (zero_0 & sign_1);
}

bool cyl_fp2_is_lexicographically_largest(const cyl_fp2 *a)
{
	bool c1_zero = cyl_fp_is_zero(&a->c1);
	bool l0 = cyl_fp_is_lexicographically_largest(&a->c0);
	bool l1 = cyl_fp_is_lexicographically_largest(&a->c1);

	return (c1_zero & l0) | (!c1_zero & l1);
}
