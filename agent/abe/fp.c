// SPDX-License-Identifier: GPL-2.0
/*
 * The BLS12-381 base field in Montgomery form, on the shared helpers of
 * mont.h with n = 6.  The constants below were computed with python3 big
 * integers from p (R = 2^384); each limb list is least significant first.
 */
#include <string.h>

#include "abe/fp.h"
#include "abe/mont.h"
#include "util/hex.h"

#define N	CYL_FP_LIMBS
#define P_INV	CYL_MONT_FP_MINV

const uint64_t cyl_fp_modulus[N] = {
	0xb9feffffffffaaab, 0x1eabfffeb153ffff, 0x6730d2a0f6b0f624,
	0x64774b84f38512bf, 0x4b1ba7b6434bacd7, 0x1a0111ea397fe69a,
};

const cyl_fp cyl_fp_zero = { { 0 } };

/* R mod p */
const cyl_fp cyl_fp_one = { {
	0x760900000002fffd, 0xebf4000bc40c0002, 0x5f48985753c758ba,
	0x77ce585370525745, 0x5c071a97a256ec6d, 0x15f65ec3fa80e493,
} };

/* R^2 mod p: a Montgomery product with it converts into Montgomery form. */
static const uint64_t r2[N] = {
	0xf4df1f341c341746, 0x0a76e6a609d104f1, 0x8de5476c4c95b6d5,
	0x67eb88a9939d83c0, 0x9a793e85b519952d, 0x11988fe592cae3aa,
};

/* 2^256 * R^2 mod p, for the high half of from_bytes_wide. */
static const uint64_t r2_shift256[N] = {
	0xfb73eaead26ebe58, 0x861c23693de6a351, 0x76e5bc3ff951c543,
	0xcc0868ce6a76590c, 0xf0a85a3f35446d0b, 0x0010a8c1a49a064f,
};

static const uint64_t p_minus_2[N] = {
	0xb9feffffffffaaa9, 0x1eabfffeb153ffff, 0x6730d2a0f6b0f624,
	0x64774b84f38512bf, 0x4b1ba7b6434bacd7, 0x1a0111ea397fe69a,
};

static const uint64_t p_plus_1_div_4[N] = {
	0xee7fbfffffffeaab, 0x07aaffffac54ffff, 0xd9cc34a83dac3d89,
	0xd91dd2e13ce144af, 0x92c6e9ed90d2eb35, 0x0680447a8e5ff9a6,
};

/* (p - 1) / 2: Euler's exponent and the "largest" threshold. */
static const uint64_t p_minus_1_div_2[N] = {
	0xdcff7fffffffd555, 0x0f55ffff58a9ffff, 0xb39869507b587b12,
	0xb23ba5c279c2895f, 0x258dd3db21a5d66b, 0x0d0088f51cbff34d,
};

static const uint64_t plain_one[N] = { 1 };

void cyl_fp_add(cyl_fp *r, const cyl_fp *a, const cyl_fp *b)
{
	cyl_mont_add(r->l, a->l, b->l, cyl_fp_modulus, N);
}

void cyl_fp_sub(cyl_fp *r, const cyl_fp *a, const cyl_fp *b)
{
	cyl_mont_sub(r->l, a->l, b->l, cyl_fp_modulus, N);
}

void cyl_fp_neg(cyl_fp *r, const cyl_fp *a)
{
	cyl_mont_neg(r->l, a->l, cyl_fp_modulus, N);
}

void cyl_fp_dbl(cyl_fp *r, const cyl_fp *a)
{
	cyl_mont_add(r->l, a->l, a->l, cyl_fp_modulus, N);
}

void cyl_fp_mul(cyl_fp *r, const cyl_fp *a, const cyl_fp *b)
{
	cyl_mont_mul(r->l, a->l, b->l, cyl_fp_modulus, P_INV, N);
}

/*
 * A dedicated squaring (cross products once, doubled) measured no faster
 * than the product-scanning multiplication here: the doubling costs what
 * the 15 saved products gain.
 */
void cyl_fp_sqr(cyl_fp *r, const cyl_fp *a)
{
	cyl_mont_mul(r->l, a->l, a->l, cyl_fp_modulus, P_INV, N);
}

/* Double-and-add over the bits of k: k is a public constant. */
void cyl_fp_mul_small(cyl_fp *r, const cyl_fp *a, uint64_t k)
{
	cyl_fp acc = cyl_fp_zero, base = *a;

	for (int i = 63; i >= 0; i--) {
		cyl_fp_dbl(&acc, &acc);
		if ((k >> i) & 1)
			cyl_fp_add(&acc, &acc, &base);
	}
	*r = acc;
}

/* The exponent is public, so this is constant time in a (see mont.h). */
void cyl_fp_pow_vartime(cyl_fp *r, const cyl_fp *a, const uint64_t *e, size_t n)
{
	cyl_mont_pow(r->l, a->l, e, n, cyl_fp_one.l, cyl_fp_modulus, P_INV, N);
}

void cyl_fp_inv(cyl_fp *r, const cyl_fp *a)
{
	cyl_fp_pow_vartime(r, a, p_minus_2, N);
}

bool cyl_fp_sqrt(cyl_fp *r, const cyl_fp *a)
{
	cyl_fp s, chk;

	cyl_fp_pow_vartime(&s, a, p_plus_1_div_4, N);
	cyl_fp_sqr(&chk, &s);
	*r = s;
	return cyl_fp_eq(&chk, a);
}

/* Euler's criterion: a^((p-1)/2) is 1 for a square, 0 for zero (a square). */
bool cyl_fp_is_square(const cyl_fp *a)
{
	cyl_fp t;

	cyl_fp_pow_vartime(&t, a, p_minus_1_div_2, N);
	return cyl_fp_eq(&t, &cyl_fp_one) | cyl_fp_is_zero(a);
}

bool cyl_fp_is_zero(const cyl_fp *a)
{
	return !cyl_mont_nonzero_mask(a->l, N);
}

bool cyl_fp_eq(const cyl_fp *a, const cyl_fp *b)
{
	return cyl_mont_eq_mask(a->l, b->l, N) & 1;
}

void cyl_fp_cmov(cyl_fp *r, const cyl_fp *a, const cyl_fp *b, bool c)
{
	cyl_mont_select(r->l, a->l, b->l, 0 - (uint64_t)c, N);
}

int cyl_fp_sgn0(const cyl_fp *a)
{
	uint64_t l[N];

	cyl_fp_to_limbs(l, a);
	return (int)(l[0] & 1);
}

bool cyl_fp_is_lexicographically_largest(const cyl_fp *a)
{
	uint64_t l[N], d[N];

	cyl_fp_to_limbs(l, a);
	/* (p-1)/2 - a borrows exactly when a > (p-1)/2 */
	return cyl_mont_sub_raw(d, p_minus_1_div_2, l, N);
}

void cyl_fp_from_u64(cyl_fp *r, uint64_t v)
{
	uint64_t l[N] = { v };

	cyl_fp_from_limbs(r, l);
}

void cyl_fp_from_limbs(cyl_fp *r, const uint64_t l[CYL_FP_LIMBS])
{
	cyl_mont_mul(r->l, l, r2, cyl_fp_modulus, P_INV, N);
}

void cyl_fp_to_limbs(uint64_t l[CYL_FP_LIMBS], const cyl_fp *a)
{
	cyl_mont_mul(l, a->l, plain_one, cyl_fp_modulus, P_INV, N);
}

bool cyl_fp_from_bytes(cyl_fp *r, const uint8_t in[CYL_FP_BYTES])
{
	uint64_t l[N], d[N];
	bool ok;

	cyl_mont_from_be(l, in, N);
	ok = cyl_mont_sub_raw(d, l, cyl_fp_modulus, N);	/* borrow: l < p */
	if (!ok)
		return false;
	cyl_fp_from_limbs(r, l);
	return true;
}

void cyl_fp_to_bytes(uint8_t out[CYL_FP_BYTES], const cyl_fp *a)
{
	uint64_t l[N];

	cyl_fp_to_limbs(l, a);
	cyl_mont_to_be(out, l, N);
}

/*
 * in = hi * 2^256 + lo with hi, lo < 2^256 < p, so both are valid
 * Montgomery-product inputs: lo * R^2 / R and hi * (2^256 R^2) / R are the
 * Montgomery forms of lo and hi * 2^256.
 */
void cyl_fp_from_bytes_wide(cyl_fp *r, const uint8_t in[64])
{
	uint64_t lo[N] = { 0 }, hi[N] = { 0 };
	cyl_fp a, b;

	cyl_mont_from_be(hi, in, 4);
	cyl_mont_from_be(lo, in + 32, 4);
	cyl_mont_mul(a.l, lo, r2, cyl_fp_modulus, P_INV, N);
	cyl_mont_mul(b.l, hi, r2_shift256, cyl_fp_modulus, P_INV, N);
	cyl_fp_add(r, &a, &b);
}

/* The "0x" prefix is optional; 1 to 96 digits. */
bool cyl_fp_from_hex(cyl_fp *r, const char *hex)
{
	uint64_t l[N] = { 0 }, d[N];
	size_t len, i;

	if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
		hex += 2;
	len = strlen(hex);
	if (len == 0 || len > 2 * CYL_FP_BYTES)
		return false;
	for (i = 0; i < len; i++) {
		int v = cyl_hex_digit(hex[len - 1 - i]);

		if (v < 0)
			return false;
		l[i / 16] |= (uint64_t)v << (4 * (i % 16));
	}
	if (!cyl_mont_sub_raw(d, l, cyl_fp_modulus, N))
		return false;
	cyl_fp_from_limbs(r, l);
	return true;
}
