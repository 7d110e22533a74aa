// SPDX-License-Identifier: GPL-2.0
/*
 * The BLS12-381 fields: Fp and Fr arithmetic against OpenSSL BIGNUM as an
 * independent oracle (thousands of random values from a fixed-seed PRNG,
 * plus edge cases), the canonical encodings and their rejections, Fp2
 * against schoolbook formulas and its square roots, the Fp6 and Fp12 field
 * axioms, the Frobenius against a^p, cyclotomic squaring, GT
 * exponentiation and the GT encoding (with the pairing vector's value).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/bn.h>

#include "abe/fp.h"
#include "abe/fp12.h"
#include "abe/fp2.h"
#include "abe/fr.h"

#define P_HEX	"1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f624" \
		"1eabfffeb153ffffb9feffffffffaaab"
#define R_HEX	"73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define PAIRING_VECTOR	"tests/vectors/pairing/bls12_381_optimal_ate.json"

/* --- a fixed-seed PRNG (splitmix64), so failures reproduce --- */

static uint64_t prng_state = 0x0123456789abcdefULL;

static uint64_t prng(void)
{
	uint64_t z = (prng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void prng_bytes(uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)prng();
}

/* --- BIGNUM helpers --- */

static BN_CTX *ctx;
static BIGNUM *bn_p, *bn_r;

static BIGNUM *bn_hex(const char *hex)
{
	BIGNUM *x = NULL;

	assert_true(BN_hex2bn(&x, hex) > 0);
	return x;
}

static BIGNUM *bn_bytes(const uint8_t *in, size_t len)
{
	BIGNUM *x = BN_bin2bn(in, (int)len, NULL);

	assert_non_null(x);
	return x;
}

static void assert_bytes_bn(const uint8_t *got, size_t len, const BIGNUM *want)
{
	uint8_t buf[64];

	assert_true(len <= sizeof(buf));
	assert_int_equal(BN_bn2binpad(want, buf, (int)len), (int)len);
	assert_memory_equal(got, buf, len);
}

static void assert_fp_bn(const cyl_fp *a, const BIGNUM *want)
{
	uint8_t out[CYL_FP_BYTES];

	cyl_fp_to_bytes(out, a);
	assert_bytes_bn(out, sizeof(out), want);
}

static void assert_fr_bn(const cyl_fr *a, const BIGNUM *want)
{
	uint8_t out[CYL_FR_BYTES];

	cyl_fr_to_bytes(out, a);
	assert_bytes_bn(out, sizeof(out), want);
}

/* An Fp element from a BIGNUM below p (through the byte decoder). */
static void fp_from_bn(cyl_fp *r, const BIGNUM *x)
{
	uint8_t buf[CYL_FP_BYTES];

	assert_int_equal(BN_bn2binpad(x, buf, sizeof(buf)), (int)sizeof(buf));
	assert_true(cyl_fp_from_bytes(r, buf));
}

static void fr_from_bn(cyl_fr *r, const BIGNUM *x)
{
	uint8_t buf[CYL_FR_BYTES];

	assert_int_equal(BN_bn2binpad(x, buf, sizeof(buf)), (int)sizeof(buf));
	assert_true(cyl_fr_from_bytes(r, buf));
}

/* A random value below the modulus m of len bytes, as a BIGNUM. */
static BIGNUM *bn_random_below(const BIGNUM *m, size_t len)
{
	uint8_t buf[CYL_FP_BYTES];
	int bits = BN_num_bits(m);

	for (;;) {
		BIGNUM *x;

		prng_bytes(buf, len);
		buf[0] &= (uint8_t)(0xff >> (8 * len - bits));
		x = bn_bytes(buf, len);
		if (BN_cmp(x, m) < 0)
			return x;
		BN_free(x);
	}
}

/*
 * Edge values of Fp: base + delta, the base being 0, p, (p - 1) / 2 or
 * 2^k, reduced mod p (2^381 and up wrap around).
 */
enum { ZERO = -1, P = -2, HALF = -3 };

static const struct {
	int base;
	int delta;
} fp_edge[] = {
	{ ZERO, 0 }, { ZERO, 1 }, { ZERO, 2 }, { P, -1 }, { P, -2 }, { HALF, 0 },
	{ HALF, 1 }, { 64, -1 }, { 64, 0 }, { 192, 0 }, { 380, -1 }, { 380, 0 },
	{ 380, 1 }, { 381, -1 }, { 381, 0 }, { 383, 0 }, { 384, 0 },
};

static BIGNUM **fp_edges(size_t *n)
{
	BIGNUM **v = calloc(ARRAY_SIZE(fp_edge), sizeof(*v));
	size_t i;

	assert_non_null(v);
	for (i = 0; i < ARRAY_SIZE(fp_edge); i++) {
		BIGNUM *x = BN_new();

		assert_non_null(x);
		if (fp_edge[i].base == P)
			BN_copy(x, bn_p);
		else if (fp_edge[i].base == HALF)
			BN_rshift1(x, bn_p);
		else if (fp_edge[i].base >= 0)
			BN_set_bit(x, fp_edge[i].base);
		if (fp_edge[i].delta < 0)
			BN_sub_word(x, -fp_edge[i].delta);
		else
			BN_add_word(x, fp_edge[i].delta);
		BN_nnmod(x, x, bn_p, ctx);
		v[i] = x;
	}
	*n = i;
	return v;
}

static int setup(void **state)
{
	ctx = BN_CTX_new();
	bn_p = bn_hex(P_HEX);
	bn_r = bn_hex(R_HEX);
	return ctx ? 0 : -1;
}

static int teardown(void **state)
{
	BN_free(bn_p);
	BN_free(bn_r);
	BN_CTX_free(ctx);
	return 0;
}

/* --- Fp --- */

static void check_fp_pair(const BIGNUM *x, const BIGNUM *y)
{
	BIGNUM *w = BN_new();
	cyl_fp a, b, c;
	uint64_t k = prng() >> (prng() & 63);

	assert_non_null(w);
	fp_from_bn(&a, x);
	fp_from_bn(&b, y);

	cyl_fp_add(&c, &a, &b);
	BN_mod_add(w, x, y, bn_p, ctx);
	assert_fp_bn(&c, w);

	cyl_fp_sub(&c, &a, &b);
	BN_mod_sub(w, x, y, bn_p, ctx);
	assert_fp_bn(&c, w);

	cyl_fp_mul(&c, &a, &b);
	BN_mod_mul(w, x, y, bn_p, ctx);
	assert_fp_bn(&c, w);

	cyl_fp_sqr(&c, &a);
	BN_mod_sqr(w, x, bn_p, ctx);
	assert_fp_bn(&c, w);

	cyl_fp_neg(&c, &a);
	BN_mod_sub(w, bn_p, x, bn_p, ctx);
	assert_fp_bn(&c, w);

	cyl_fp_dbl(&c, &a);
	BN_mod_add(w, x, x, bn_p, ctx);
	assert_fp_bn(&c, w);

	cyl_fp_mul_small(&c, &a, k);
	BN_set_word(w, k);
	BN_mod_mul(w, w, x, bn_p, ctx);
	assert_fp_bn(&c, w);

	/* outputs may alias inputs */
	c = a;
	cyl_fp_mul(&c, &c, &c);
	BN_mod_sqr(w, x, bn_p, ctx);
	assert_fp_bn(&c, w);
	c = b;
	cyl_fp_sub(&c, &a, &c);
	BN_mod_sub(w, x, y, bn_p, ctx);
	assert_fp_bn(&c, w);

	assert_int_equal(cyl_fp_eq(&a, &b), BN_cmp(x, y) == 0);
	assert_int_equal(cyl_fp_is_zero(&a), BN_is_zero(x));
	BN_free(w);
}

static void test_fp_arith_vs_bignum(void **state)
{
	size_t ne, i, j;
	BIGNUM **e = fp_edges(&ne);

	for (i = 0; i < ne; i++)
		for (j = 0; j < ne; j++)
			check_fp_pair(e[i], e[j]);
	for (i = 0; i < 3000; i++) {
		BIGNUM *x = bn_random_below(bn_p, CYL_FP_BYTES);
		BIGNUM *y = bn_random_below(bn_p, CYL_FP_BYTES);

		check_fp_pair(x, y);
		check_fp_pair(x, e[i % ne]);
		BN_free(x);
		BN_free(y);
	}
	for (i = 0; i < ne; i++)
		BN_free(e[i]);
	free(e);
}

static void check_fp_inv_sqrt(const BIGNUM *x)
{
	BIGNUM *w = BN_new(), *half = BN_new();
	cyl_fp a, c, d;
	bool square;

	assert_non_null(w);
	assert_non_null(half);
	fp_from_bn(&a, x);

	cyl_fp_inv(&c, &a);
	if (BN_is_zero(x)) {
		assert_true(cyl_fp_is_zero(&c));
	} else {
		assert_non_null(BN_mod_inverse(w, x, bn_p, ctx));
		assert_fp_bn(&c, w);
	}

	/* Euler's criterion computed by BIGNUM */
	BN_rshift1(half, bn_p);
	BN_mod_exp(w, x, half, bn_p, ctx);
	square = BN_is_zero(x) || BN_is_one(w);
	assert_int_equal(cyl_fp_is_square(&a), square);
	assert_int_equal(cyl_fp_sqrt(&c, &a), square);
	if (square) {
		cyl_fp_sqr(&d, &c);
		assert_true(cyl_fp_eq(&d, &a));
	}
	/* a^2 always has a root, a or -a */
	cyl_fp_sqr(&d, &a);
	assert_true(cyl_fp_sqrt(&c, &d));
	cyl_fp_neg(&d, &c);
	assert_true(cyl_fp_eq(&c, &a) || cyl_fp_eq(&d, &a));
	BN_free(w);
	BN_free(half);
}

static void test_fp_inv_sqrt_pow_vs_bignum(void **state)
{
	size_t ne, i, squares = 0, n = 400;
	BIGNUM **e = fp_edges(&ne);
	BIGNUM *w = BN_new();

	assert_non_null(w);
	for (i = 0; i < ne; i++)
		check_fp_inv_sqrt(e[i]);
	for (i = 0; i < n; i++) {
		BIGNUM *x = bn_random_below(bn_p, CYL_FP_BYTES);
		cyl_fp a;

		check_fp_inv_sqrt(x);
		fp_from_bn(&a, x);
		squares += cyl_fp_is_square(&a);
		BN_free(x);
	}
	/* about half of the values are squares */
	assert_in_range(squares, n / 2 - 60, n / 2 + 60);

	/* pow_vartime with exponents of 1 to 7 limbs, some with zero limbs */
	for (i = 0; i < 60; i++) {
		BIGNUM *x = bn_random_below(bn_p, CYL_FP_BYTES), *be;
		size_t nl = 1 + i % 7, k;
		uint64_t ex[7];
		uint8_t eb[56];
		cyl_fp a, c;

		for (k = 0; k < nl; k++)
			ex[k] = i % 5 == 0 && k % 2 == 0 ? 0 : prng();
		for (k = 0; k < 8 * nl; k++)
			eb[8 * nl - 1 - k] = (uint8_t)(ex[k / 8] >> (8 * (k % 8)));
		be = bn_bytes(eb, 8 * nl);
		fp_from_bn(&a, x);
		cyl_fp_pow_vartime(&c, &a, ex, nl);
		assert_int_equal(BN_mod_exp(w, x, be, bn_p, ctx), 1);
		assert_fp_bn(&c, w);
		BN_free(x);
		BN_free(be);
	}
	for (i = 0; i < ne; i++)
		BN_free(e[i]);
	free(e);
	BN_free(w);
}

static void test_fp_encodings(void **state)
{
	uint8_t buf[CYL_FP_BYTES], out[CYL_FP_BYTES], wide[64];
	BIGNUM *x = BN_new(), *half = BN_new();
	uint64_t l[CYL_FP_LIMBS], l2[CYL_FP_LIMBS];
	cyl_fp a, b, c;
	char hex[200];
	size_t i;

	assert_non_null(x);
	assert_non_null(half);
	/* p, p + 1, 2^381 - 1 and all-0xff are refused; p - 1 is accepted */
	for (i = 0; i < 4; i++) {
		BN_copy(x, bn_p);
		if (i == 1)
			BN_add_word(x, 1);
		if (i == 2) {
			BN_zero(x);
			BN_set_bit(x, 381);
			BN_sub_word(x, 1);
		}
		if (i == 3)
			memset(buf, 0xff, sizeof(buf));
		else
			BN_bn2binpad(x, buf, sizeof(buf));
		a = cyl_fp_one;
		assert_false(cyl_fp_from_bytes(&a, buf));
		assert_true(cyl_fp_eq(&a, &cyl_fp_one));	/* untouched */
	}
	BN_copy(x, bn_p);
	BN_sub_word(x, 1);
	BN_bn2binpad(x, buf, sizeof(buf));
	assert_true(cyl_fp_from_bytes(&a, buf));
	cyl_fp_to_bytes(out, &a);
	assert_memory_equal(buf, out, sizeof(buf));
	cyl_fp_neg(&b, &cyl_fp_one);
	assert_true(cyl_fp_eq(&a, &b));

	/* round trips through bytes, limbs and hex */
	for (i = 0; i < 200; i++) {
		BIGNUM *y = bn_random_below(bn_p, CYL_FP_BYTES);
		char *h = BN_bn2hex(y);

		BN_bn2binpad(y, buf, sizeof(buf));
		assert_true(cyl_fp_from_bytes(&a, buf));
		cyl_fp_to_bytes(out, &a);
		assert_memory_equal(buf, out, sizeof(buf));
		cyl_fp_to_limbs(l, &a);
		cyl_fp_from_limbs(&b, l);
		assert_true(cyl_fp_eq(&a, &b));
		for (size_t k = 0; k < CYL_FP_LIMBS; k++) {
			l2[k] = 0;
			for (int j = 0; j < 8; j++)
				l2[k] |= (uint64_t)buf[CYL_FP_BYTES - 1 - 8 * k - j] << (8 * j);
		}
		assert_memory_equal(l, l2, sizeof(l));
		snprintf(hex, sizeof(hex), "0x%s", h);
		assert_true(cyl_fp_from_hex(&c, hex));
		assert_true(cyl_fp_eq(&a, &c));
		OPENSSL_free(h);

		/* sgn0 is the parity, "largest" compares with (p-1)/2 */
		BN_rshift1(half, bn_p);
		assert_int_equal(cyl_fp_sgn0(&a), BN_is_odd(y));
		assert_int_equal(cyl_fp_is_lexicographically_largest(&a), BN_cmp(y, half) > 0);
		BN_free(y);
	}
	BN_rshift1(half, bn_p);
	fp_from_bn(&a, half);
	assert_false(cyl_fp_is_lexicographically_largest(&a));
	assert_int_equal(cyl_fp_sgn0(&a), BN_is_odd(half));
	BN_add_word(half, 1);
	fp_from_bn(&a, half);
	assert_true(cyl_fp_is_lexicographically_largest(&a));
	assert_false(cyl_fp_is_lexicographically_largest(&cyl_fp_zero));
	assert_int_equal(cyl_fp_sgn0(&cyl_fp_zero), 0);
	assert_int_equal(cyl_fp_sgn0(&cyl_fp_one), 1);

	/* hex: prefix optional, short and full length, bad input refused */
	assert_true(cyl_fp_from_hex(&a, "0x1"));
	assert_true(cyl_fp_eq(&a, &cyl_fp_one));
	assert_true(cyl_fp_from_hex(&a, "0X000000000000000000000000000000000000000000000000"
				    "000000000000000000000000000000000000000000000001"));
	assert_true(cyl_fp_eq(&a, &cyl_fp_one));
	assert_true(cyl_fp_from_hex(&a, "ff"));
	cyl_fp_from_u64(&b, 255);
	assert_true(cyl_fp_eq(&a, &b));
	assert_true(cyl_fp_from_hex(&a, "0x10000000000000000"));
	cyl_fp_from_u64(&b, 1ULL << 63);
	cyl_fp_dbl(&b, &b);
	assert_true(cyl_fp_eq(&a, &b));
	assert_false(cyl_fp_from_hex(&a, "0x" P_HEX));
	assert_false(cyl_fp_from_hex(&a, "0x0" P_HEX));	/* 97 digits */
	assert_false(cyl_fp_from_hex(&a, "0x"));
	assert_false(cyl_fp_from_hex(&a, ""));
	assert_false(cyl_fp_from_hex(&a, "0x12g4"));
	assert_false(cyl_fp_from_hex(&a, "0x-1"));
	assert_false(cyl_fp_from_hex(&a, "0x 1"));
	memset(hex, 'f', 96);
	hex[96] = 0;
	assert_false(cyl_fp_from_hex(&a, hex));

	/* from_bytes_wide reduces 64 bytes mod p */
	for (i = 0; i < 500; i++) {
		BIGNUM *y;

		prng_bytes(wide, sizeof(wide));
		if (i == 0)
			memset(wide, 0xff, sizeof(wide));
		if (i == 1)
			memset(wide, 0, sizeof(wide));
		if (i == 2) {	/* exactly p */
			memset(wide, 0, 16);
			BN_bn2binpad(bn_p, wide + 16, CYL_FP_BYTES);
		}
		y = bn_bytes(wide, sizeof(wide));
		BN_mod(x, y, bn_p, ctx);
		cyl_fp_from_bytes_wide(&a, wide);
		assert_fp_bn(&a, x);
		BN_free(y);
	}

	/* from_u64, cmov */
	cyl_fp_from_u64(&a, UINT64_MAX);
	BN_set_word(x, UINT64_MAX);
	assert_fp_bn(&a, x);
	cyl_fp_from_u64(&a, 0);
	assert_true(cyl_fp_is_zero(&a));
	cyl_fp_from_u64(&a, 7);
	cyl_fp_from_u64(&b, 9);
	cyl_fp_cmov(&c, &a, &b, false);
	assert_true(cyl_fp_eq(&c, &a));
	cyl_fp_cmov(&c, &a, &b, true);
	assert_true(cyl_fp_eq(&c, &b));
	BN_free(x);
	BN_free(half);
}

/* --- Fr --- */

static void test_fr_vs_bignum(void **state)
{
	BIGNUM *w = BN_new(), *x, *y;
	uint8_t buf[CYL_FR_BYTES], out[CYL_FR_BYTES], wide[64];
	cyl_fr a, b, c;
	size_t i;

	assert_non_null(w);
	for (i = 0; i < 3000; i++) {
		x = bn_random_below(bn_r, CYL_FR_BYTES);
		y = bn_random_below(bn_r, CYL_FR_BYTES);
		if (i < 4)
			BN_set_word(x, i);	/* 0, 1, 2, 3 */
		if (i >= 4 && i < 8) {	/* r - 1 ... r - 4 */
			BN_copy(y, bn_r);
			BN_sub_word(y, i - 3);
		}
		fr_from_bn(&a, x);
		fr_from_bn(&b, y);
		cyl_fr_add(&c, &a, &b);
		BN_mod_add(w, x, y, bn_r, ctx);
		assert_fr_bn(&c, w);
		cyl_fr_sub(&c, &a, &b);
		BN_mod_sub(w, x, y, bn_r, ctx);
		assert_fr_bn(&c, w);
		cyl_fr_mul(&c, &a, &b);
		BN_mod_mul(w, x, y, bn_r, ctx);
		assert_fr_bn(&c, w);
		cyl_fr_neg(&c, &a);
		BN_mod_sub(w, bn_r, x, bn_r, ctx);
		assert_fr_bn(&c, w);
		assert_int_equal(cyl_fr_eq(&a, &b), BN_cmp(x, y) == 0);
		assert_int_equal(cyl_fr_is_zero(&a), BN_is_zero(x));
		if (i < 500) {
			cyl_fr_inv(&c, &a);
			if (BN_is_zero(x)) {
				assert_true(cyl_fr_is_zero(&c));
			} else {
				assert_non_null(BN_mod_inverse(w, x, bn_r, ctx));
				assert_fr_bn(&c, w);
			}
		}
		BN_free(x);
		BN_free(y);
	}

	/* r, r + 1 and all-0xff are refused */
	BN_bn2binpad(bn_r, buf, sizeof(buf));
	assert_false(cyl_fr_from_bytes(&a, buf));
	BN_copy(w, bn_r);
	BN_add_word(w, 1);
	BN_bn2binpad(w, buf, sizeof(buf));
	assert_false(cyl_fr_from_bytes(&a, buf));
	memset(buf, 0xff, sizeof(buf));
	assert_false(cyl_fr_from_bytes(&a, buf));
	BN_copy(w, bn_r);
	BN_sub_word(w, 1);
	BN_bn2binpad(w, buf, sizeof(buf));
	assert_true(cyl_fr_from_bytes(&a, buf));
	cyl_fr_to_bytes(out, &a);
	assert_memory_equal(buf, out, sizeof(buf));

	/* from_bytes_wide against BN_mod */
	for (i = 0; i < 500; i++) {
		prng_bytes(wide, sizeof(wide));
		if (i == 0)
			memset(wide, 0xff, sizeof(wide));
		if (i == 1)
			memset(wide, 0, sizeof(wide));
		if (i == 2) {	/* r * 2^256 + r */
			BN_bn2binpad(bn_r, wide, CYL_FR_BYTES);
			BN_bn2binpad(bn_r, wide + 32, CYL_FR_BYTES);
		}
		x = bn_bytes(wide, sizeof(wide));
		BN_mod(w, x, bn_r, ctx);
		cyl_fr_from_bytes_wide(&a, wide);
		assert_fr_bn(&a, w);
		BN_free(x);
	}

	/* from_u64 and from_i64, negatives included */
	{
		static const int64_t iv[] = { 0, 1, -1, 2, -2, INT64_MAX, INT64_MIN,
					      123456789, -987654321 };

		for (i = 0; i < ARRAY_SIZE(iv); i++) {
			BN_set_word(w, iv[i] < 0 ? 0 - (uint64_t)iv[i] : (uint64_t)iv[i]);
			if (iv[i] < 0)
				BN_sub(w, bn_r, w);
			cyl_fr_from_i64(&a, iv[i]);
			assert_fr_bn(&a, w);
		}
		cyl_fr_from_u64(&a, UINT64_MAX);
		BN_set_word(w, UINT64_MAX);
		assert_fr_bn(&a, w);
	}

	/* random scalars are below r and differ */
	assert_int_equal(cyl_fr_random(&a), 0);
	assert_int_equal(cyl_fr_random_nonzero(&b), 0);
	assert_false(cyl_fr_eq(&a, &b));
	assert_false(cyl_fr_is_zero(&b));
	cyl_fr_to_bytes(out, &a);
	x = bn_bytes(out, sizeof(out));
	assert_true(BN_cmp(x, bn_r) < 0);
	BN_free(x);
	cyl_fr_inv(&c, &b);
	cyl_fr_mul(&c, &c, &b);
	assert_true(cyl_fr_eq(&c, &cyl_fr_one));
	BN_free(w);
}

/* --- Fp2 --- */

static void rand_fp(cyl_fp *r)
{
	BIGNUM *x = bn_random_below(bn_p, CYL_FP_BYTES);

	fp_from_bn(r, x);
	BN_free(x);
}

static void rand_fp2(cyl_fp2 *r)
{
	rand_fp(&r->c0);
	rand_fp(&r->c1);
}

static void test_fp2_arith(void **state)
{
	cyl_fp2 a, b, c, d, xi;
	cyl_fp t0, t1;
	uint64_t e[3];

	xi.c0 = cyl_fp_one;
	xi.c1 = cyl_fp_one;
	for (int i = 0; i < 1000; i++) {
		rand_fp2(&a);
		rand_fp2(&b);
		if (i == 0)
			a = cyl_fp2_zero;
		if (i == 1)
			b.c1 = cyl_fp_zero;
		/* schoolbook product: (a0 b0 - a1 b1) + (a0 b1 + a1 b0) u */
		cyl_fp_mul(&t0, &a.c0, &b.c0);
		cyl_fp_mul(&t1, &a.c1, &b.c1);
		cyl_fp_sub(&d.c0, &t0, &t1);
		cyl_fp_mul(&t0, &a.c0, &b.c1);
		cyl_fp_mul(&t1, &a.c1, &b.c0);
		cyl_fp_add(&d.c1, &t0, &t1);
		cyl_fp2_mul(&c, &a, &b);
		assert_true(cyl_fp2_eq(&c, &d));
		c = a;
		cyl_fp2_mul(&c, &c, &b);	/* aliasing */
		assert_true(cyl_fp2_eq(&c, &d));

		cyl_fp2_mul(&d, &a, &a);
		cyl_fp2_sqr(&c, &a);
		assert_true(cyl_fp2_eq(&c, &d));

		cyl_fp2_mul(&d, &a, &xi);
		cyl_fp2_mul_by_nonresidue(&c, &a);
		assert_true(cyl_fp2_eq(&c, &d));

		d.c0 = b.c0;
		d.c1 = cyl_fp_zero;
		cyl_fp2_mul(&d, &a, &d);
		cyl_fp2_mul_fp(&c, &a, &b.c0);
		assert_true(cyl_fp2_eq(&c, &d));

		cyl_fp2_add(&d, &a, &a);
		cyl_fp2_add(&d, &d, &a);
		cyl_fp2_mul_small(&c, &a, 3);
		assert_true(cyl_fp2_eq(&c, &d));
		cyl_fp2_dbl(&c, &a);
		cyl_fp2_sub(&d, &d, &a);
		assert_true(cyl_fp2_eq(&c, &d));

		cyl_fp2_neg(&c, &a);
		cyl_fp2_add(&c, &c, &a);
		assert_true(cyl_fp2_is_zero(&c));

		/* the conjugate is a^p */
		cyl_fp2_pow_vartime(&d, &a, cyl_fp_modulus, CYL_FP_LIMBS);
		cyl_fp2_conj(&c, &a);
		assert_true(cyl_fp2_eq(&c, &d));

		cyl_fp2_inv(&c, &a);
		cyl_fp2_mul(&c, &c, &a);
		if (cyl_fp2_is_zero(&a))
			assert_true(cyl_fp2_is_zero(&c));
		else
			assert_true(cyl_fp2_eq(&c, &cyl_fp2_one));

		if (i < 50) {	/* pow against repeated multiplication */
			e[0] = prng() & 1023;
			d = cyl_fp2_one;
			for (uint64_t k = 0; k < e[0]; k++)
				cyl_fp2_mul(&d, &d, &a);
			cyl_fp2_pow_vartime(&c, &a, e, 1);
			assert_true(cyl_fp2_eq(&c, &d));
		}
	}
	cyl_fp2_cmov(&c, &a, &b, true);
	assert_true(cyl_fp2_eq(&c, &b));
	cyl_fp2_cmov(&c, &a, &b, false);
	assert_true(cyl_fp2_eq(&c, &a));
}

/* Euler's criterion on the norm, computed with BIGNUM. */
static bool bn_fp2_is_square(const cyl_fp2 *a)
{
	uint8_t b0[CYL_FP_BYTES], b1[CYL_FP_BYTES];
	BIGNUM *x0, *x1, *h = BN_new();
	bool sq;

	assert_non_null(h);
	cyl_fp_to_bytes(b0, &a->c0);
	cyl_fp_to_bytes(b1, &a->c1);
	x0 = bn_bytes(b0, sizeof(b0));
	x1 = bn_bytes(b1, sizeof(b1));
	BN_mod_sqr(x0, x0, bn_p, ctx);
	BN_mod_sqr(x1, x1, bn_p, ctx);
	BN_mod_add(x0, x0, x1, bn_p, ctx);
	BN_rshift1(h, bn_p);
	BN_mod_exp(x1, x0, h, bn_p, ctx);
	sq = BN_is_zero(x0) || BN_is_one(x1);
	BN_free(x0);
	BN_free(x1);
	BN_free(h);
	return sq;
}

static void test_fp2_sqrt(void **state)
{
	size_t squares = 0, n = 200;
	cyl_fp2 a, s, r, c;
	bool sq;

	for (size_t i = 0; i < n; i++) {
		rand_fp2(&a);
		if (i == 0)
			a = cyl_fp2_zero;
		if (i == 1)	/* -1: its roots are +-u */
			cyl_fp2_neg(&a, &cyl_fp2_one);
		if (i == 2) {	/* an Fp non-square (-1) is an Fp2 square */
			a.c1 = cyl_fp_zero;
			cyl_fp_neg(&a.c0, &cyl_fp_one);
		}
		if (i == 3)
			a.c0 = cyl_fp_zero;
		/* a square: sqrt(a^2) is +-a */
		cyl_fp2_sqr(&s, &a);
		assert_true(cyl_fp2_is_square(&s));
		assert_true(cyl_fp2_sqrt(&r, &s));
		cyl_fp2_neg(&c, &r);
		assert_true(cyl_fp2_eq(&r, &a) || cyl_fp2_eq(&c, &a));

		/* a itself, square or not as the oracle says */
		sq = bn_fp2_is_square(&a);
		squares += sq;
		assert_int_equal(cyl_fp2_is_square(&a), sq);
		assert_int_equal(cyl_fp2_sqrt(&r, &a), sq);
		if (sq) {
			cyl_fp2_sqr(&c, &r);
			assert_true(cyl_fp2_eq(&c, &a));
		}
	}
	assert_in_range(squares, n / 2 - 40, n / 2 + 40);
	/* the u-root branch: sqrt(-1) = +-u */
	cyl_fp2_neg(&a, &cyl_fp2_one);
	assert_true(cyl_fp2_sqrt(&r, &a));
	assert_true(cyl_fp_is_zero(&r.c0));
	cyl_fp_sqr(&c.c0, &r.c1);
	assert_true(cyl_fp_eq(&c.c0, &cyl_fp_one));
}

static void fp2_set(cyl_fp2 *r, uint64_t c0, uint64_t c1)
{
	cyl_fp_from_u64(&r->c0, c0);
	cyl_fp_from_u64(&r->c1, c1);
}

static void test_fp2_signs(void **state)
{
	cyl_fp2 a;

	/* RFC 9380 sgn0 for m = 2 */
	fp2_set(&a, 0, 0);
	assert_int_equal(cyl_fp2_sgn0(&a), 0);
	fp2_set(&a, 0, 3);
	assert_int_equal(cyl_fp2_sgn0(&a), 1);
	fp2_set(&a, 0, 4);
	assert_int_equal(cyl_fp2_sgn0(&a), 0);
	fp2_set(&a, 2, 3);
	assert_int_equal(cyl_fp2_sgn0(&a), 0);
	fp2_set(&a, 5, 4);
	assert_int_equal(cyl_fp2_sgn0(&a), 1);
	cyl_fp_neg(&a.c0, &cyl_fp_one);	/* p - 1 is even */
	assert_int_equal(cyl_fp2_sgn0(&a), 0);

	/* ZCash: c1 decides unless it is zero */
	fp2_set(&a, 1, 1);
	assert_false(cyl_fp2_is_lexicographically_largest(&a));
	cyl_fp_neg(&a.c0, &a.c0);
	assert_false(cyl_fp2_is_lexicographically_largest(&a));
	cyl_fp_neg(&a.c1, &a.c1);
	assert_true(cyl_fp2_is_lexicographically_largest(&a));
	cyl_fp_neg(&a.c0, &a.c0);
	assert_true(cyl_fp2_is_lexicographically_largest(&a));
	a.c1 = cyl_fp_zero;
	assert_false(cyl_fp2_is_lexicographically_largest(&a));
	cyl_fp_neg(&a.c0, &a.c0);
	assert_true(cyl_fp2_is_lexicographically_largest(&a));
	assert_false(cyl_fp2_is_lexicographically_largest(&cyl_fp2_zero));
}

/* --- Fp6 and Fp12 --- */

static void rand_fp6(cyl_fp6 *r)
{
	rand_fp2(&r->c0);
	rand_fp2(&r->c1);
	rand_fp2(&r->c2);
}

static void rand_fp12(cyl_fp12 *r)
{
	rand_fp6(&r->c0);
	rand_fp6(&r->c1);
}

static bool fp6_eq(const cyl_fp6 *a, const cyl_fp6 *b)
{
	return cyl_fp2_eq(&a->c0, &b->c0) && cyl_fp2_eq(&a->c1, &b->c1) &&
	       cyl_fp2_eq(&a->c2, &b->c2);
}

static void fp2_mac(cyl_fp2 *acc, const cyl_fp2 *a, const cyl_fp2 *b)
{
	cyl_fp2 t;

	cyl_fp2_mul(&t, a, b);
	cyl_fp2_add(acc, acc, &t);
}

/* Schoolbook Fp6 product with v^3 = xi, independent of the Karatsuba code. */
static void fp6_mul_ref(cyl_fp6 *r, const cyl_fp6 *a, const cyl_fp6 *b)
{
	cyl_fp2 hi = cyl_fp2_zero, c0 = cyl_fp2_zero, c1 = cyl_fp2_zero, c2 = cyl_fp2_zero;

	fp2_mac(&hi, &a->c1, &b->c2);		/* v^3 terms */
	fp2_mac(&hi, &a->c2, &b->c1);
	cyl_fp2_mul_by_nonresidue(&hi, &hi);
	fp2_mac(&c0, &a->c0, &b->c0);
	cyl_fp2_add(&c0, &c0, &hi);
	hi = cyl_fp2_zero;			/* v^4 term */
	fp2_mac(&hi, &a->c2, &b->c2);
	cyl_fp2_mul_by_nonresidue(&hi, &hi);
	fp2_mac(&c1, &a->c0, &b->c1);
	fp2_mac(&c1, &a->c1, &b->c0);
	cyl_fp2_add(&c1, &c1, &hi);
	fp2_mac(&c2, &a->c0, &b->c2);
	fp2_mac(&c2, &a->c1, &b->c1);
	fp2_mac(&c2, &a->c2, &b->c0);
	r->c0 = c0;
	r->c1 = c1;
	r->c2 = c2;
}

/* Schoolbook Fp12 product with w^2 = v. */
static void fp12_mul_ref(cyl_fp12 *r, const cyl_fp12 *a, const cyl_fp12 *b)
{
	cyl_fp6 t, c0, c1;

	fp6_mul_ref(&c0, &a->c0, &b->c0);
	fp6_mul_ref(&t, &a->c1, &b->c1);
	cyl_fp6_mul_by_nonresidue(&t, &t);
	cyl_fp6_add(&c0, &c0, &t);
	fp6_mul_ref(&c1, &a->c0, &b->c1);
	fp6_mul_ref(&t, &a->c1, &b->c0);
	cyl_fp6_add(&c1, &c1, &t);
	r->c0 = c0;
	r->c1 = c1;
}

static void test_fp6_axioms(void **state)
{
	cyl_fp6 a, b, c, x, y, v = { 0 }, one = { 0 };

	v.c1 = cyl_fp2_one;
	one.c0 = cyl_fp2_one;
	/* v^3 = u + 1 */
	cyl_fp6_mul(&x, &v, &v);
	cyl_fp6_mul(&x, &x, &v);
	assert_true(cyl_fp_eq(&x.c0.c0, &cyl_fp_one) && cyl_fp_eq(&x.c0.c1, &cyl_fp_one));
	assert_true(cyl_fp2_is_zero(&x.c1) && cyl_fp2_is_zero(&x.c2));

	for (int i = 0; i < 200; i++) {
		rand_fp6(&a);
		rand_fp6(&b);
		rand_fp6(&c);
		cyl_fp6_mul(&x, &a, &b);
		fp6_mul_ref(&y, &a, &b);
		assert_true(fp6_eq(&x, &y));
		cyl_fp6_mul(&y, &b, &a);
		assert_true(fp6_eq(&x, &y));
		/* associativity */
		cyl_fp6_mul(&x, &x, &c);
		cyl_fp6_mul(&y, &b, &c);
		cyl_fp6_mul(&y, &a, &y);
		assert_true(fp6_eq(&x, &y));
		/* distributivity */
		cyl_fp6_add(&x, &b, &c);
		cyl_fp6_mul(&x, &a, &x);
		cyl_fp6_mul(&y, &a, &b);
		cyl_fp6_mul(&c, &a, &c);
		cyl_fp6_add(&y, &y, &c);
		assert_true(fp6_eq(&x, &y));
		cyl_fp6_sub(&x, &x, &c);
		cyl_fp6_mul(&y, &a, &b);
		assert_true(fp6_eq(&x, &y));
		/* squaring, v, negation, inverse */
		cyl_fp6_sqr(&x, &a);
		cyl_fp6_mul(&y, &a, &a);
		assert_true(fp6_eq(&x, &y));
		cyl_fp6_mul_by_nonresidue(&x, &a);
		cyl_fp6_mul(&y, &a, &v);
		assert_true(fp6_eq(&x, &y));
		cyl_fp6_neg(&x, &a);
		cyl_fp6_add(&x, &x, &a);
		assert_true(fp6_eq(&x, &(cyl_fp6){ 0 }));
		cyl_fp6_inv(&x, &a);
		cyl_fp6_mul(&x, &x, &a);
		assert_true(fp6_eq(&x, &one));
	}
}

static void test_fp12_axioms(void **state)
{
	cyl_fp12 a, b, c, x, y, w = { 0 }, zero = { 0 };

	w.c1.c0 = cyl_fp2_one;
	/* w^2 = v */
	cyl_fp12_mul(&x, &w, &w);
	y = zero;
	y.c0.c1 = cyl_fp2_one;
	assert_true(cyl_fp12_eq(&x, &y));

	for (int i = 0; i < 100; i++) {
		rand_fp12(&a);
		rand_fp12(&b);
		rand_fp12(&c);
		cyl_fp12_mul(&x, &a, &b);
		fp12_mul_ref(&y, &a, &b);
		assert_true(cyl_fp12_eq(&x, &y));
		cyl_fp12_mul(&y, &b, &a);
		assert_true(cyl_fp12_eq(&x, &y));
		cyl_fp12_mul(&x, &x, &c);
		cyl_fp12_mul(&y, &b, &c);
		cyl_fp12_mul(&y, &a, &y);
		assert_true(cyl_fp12_eq(&x, &y));
		/* a (b + c) = a b + a c */
		cyl_fp6_add(&x.c0, &b.c0, &c.c0);
		cyl_fp6_add(&x.c1, &b.c1, &c.c1);
		cyl_fp12_mul(&x, &a, &x);
		cyl_fp12_mul(&y, &a, &b);
		cyl_fp12_mul(&c, &a, &c);
		cyl_fp6_add(&y.c0, &y.c0, &c.c0);
		cyl_fp6_add(&y.c1, &y.c1, &c.c1);
		assert_true(cyl_fp12_eq(&x, &y));
		cyl_fp12_sqr(&x, &a);
		cyl_fp12_mul(&y, &a, &a);
		assert_true(cyl_fp12_eq(&x, &y));
		cyl_fp12_inv(&x, &a);
		cyl_fp12_mul(&y, &x, &a);
		assert_true(cyl_fp12_is_one(&y));
		assert_false(cyl_fp12_is_one(&a));
		/* conj(a) = a^(p^6) */
		cyl_fp12_conj(&x, &a);
		cyl_fp12_frobenius(&y, &a, 6);
		assert_true(cyl_fp12_eq(&x, &y));
		assert_false(cyl_fp12_eq(&x, &a));
	}
	assert_true(cyl_fp12_is_one(&cyl_fp12_one));
}

/* a^e by square-and-multiply with the generic squaring (the test's reference). */
static void fp12_pow_bn(cyl_fp12 *r, const cyl_fp12 *a, const BIGNUM *e)
{
	cyl_fp12 acc = cyl_fp12_one;

	for (int i = BN_num_bits(e) - 1; i >= 0; i--) {
		cyl_fp12_sqr(&acc, &acc);
		if (BN_is_bit_set(e, i))
			cyl_fp12_mul(&acc, &acc, a);
	}
	*r = acc;
}

static void test_fp12_frobenius(void **state)
{
	cyl_fp12 a, b, x, y, z;

	for (int i = 0; i < 4; i++) {
		rand_fp12(&a);
		/* Frobenius(1) and (2) against a^p and a^(p^2) */
		fp12_pow_bn(&x, &a, bn_p);
		cyl_fp12_frobenius(&y, &a, 1);
		assert_true(cyl_fp12_eq(&x, &y));
		fp12_pow_bn(&x, &x, bn_p);
		cyl_fp12_frobenius(&y, &a, 2);
		assert_true(cyl_fp12_eq(&x, &y));
		/* power k is the first one applied k times; twelve is the identity */
		x = a;
		for (int k = 1; k <= 12; k++) {
			cyl_fp12_frobenius(&x, &x, 1);
			cyl_fp12_frobenius(&y, &a, k);
			assert_true(cyl_fp12_eq(&x, &y));
			assert_int_equal(cyl_fp12_eq(&x, &a), k == 12);
		}
		/* a ring automorphism */
		rand_fp12(&b);
		cyl_fp12_mul(&z, &a, &b);
		cyl_fp12_frobenius(&z, &z, 3);
		cyl_fp12_frobenius(&x, &a, 3);
		cyl_fp12_frobenius(&y, &b, 3);
		cyl_fp12_mul(&x, &x, &y);
		assert_true(cyl_fp12_eq(&x, &z));
	}
}

/* f^((p^6 - 1)(p^2 + 1)): an element of the cyclotomic subgroup. */
static void rand_cyclotomic(cyl_fp12 *g)
{
	cyl_fp12 f, t;

	rand_fp12(&f);
	cyl_fp12_inv(&t, &f);
	cyl_fp12_conj(g, &f);
	cyl_fp12_mul(g, g, &t);
	cyl_fp12_frobenius(&t, g, 2);
	cyl_fp12_mul(g, g, &t);
}

static void test_fp12_cyclotomic_sqr(void **state)
{
	cyl_fp12 f, g, x, y;

	for (int i = 0; i < 50; i++) {
		rand_cyclotomic(&g);
		/* conj is the inverse in the subgroup */
		cyl_fp12_conj(&x, &g);
		cyl_fp12_mul(&x, &x, &g);
		assert_true(cyl_fp12_is_one(&x));
		x = g;
		for (int k = 0; k < 8; k++) {
			cyl_fp12_sqr(&y, &x);
			cyl_fp12_cyclotomic_sqr(&x, &x);
			assert_true(cyl_fp12_eq(&x, &y));
		}
	}
	/* outside the subgroup the shortcut does not hold */
	rand_fp12(&f);
	cyl_fp12_sqr(&x, &f);
	cyl_fp12_cyclotomic_sqr(&y, &f);
	assert_false(cyl_fp12_eq(&x, &y));
}

/* The pairing vector's e (an element of GT) as 576 encoded bytes. */
static void vector_gt_bytes(uint8_t out[CYL_GT_BYTES])
{
	json_error_t err;
	json_t *root = json_load_file(PAIRING_VECTOR, 0, &err), *e;

	assert_non_null(root);
	e = json_object_get(root, "e");
	assert_int_equal(json_array_size(e), 12);
	for (size_t i = 0; i < 12; i++) {
		const char *hex = json_string_value(json_array_get(e, i));
		BIGNUM *x;

		assert_non_null(hex);
		assert_true(hex[0] == '0' && hex[1] == 'x');
		x = bn_hex(hex + 2);
		assert_int_equal(BN_bn2binpad(x, out + 48 * i, 48), 48);
		BN_free(x);
	}
	json_decref(root);
}

static void test_gt_pow(void **state)
{
	uint8_t buf[CYL_GT_BYTES], k[32];
	cyl_fp12 e, x, y;
	BIGNUM *bk;

	vector_gt_bytes(buf);
	assert_true(cyl_gt_from_bytes(&e, buf));
	for (int i = 0; i < 12; i++) {
		prng_bytes(k, sizeof(k));
		if (i == 0)
			memset(k, 0xff, sizeof(k));
		if (i == 1)
			memset(k, 0, sizeof(k) - 1);
		if (i == 2)	/* a base in the cyclotomic subgroup but not in GT */
			rand_cyclotomic(&e);
		bk = bn_bytes(k, sizeof(k));
		fp12_pow_bn(&x, &e, bk);
		cyl_gt_pow(&y, &e, k);
		assert_true(cyl_fp12_eq(&x, &y));
		BN_free(bk);
	}
	assert_true(cyl_gt_from_bytes(&e, buf));
	memset(k, 0, sizeof(k));
	cyl_gt_pow(&x, &e, k);
	assert_true(cyl_fp12_is_one(&x));
	k[31] = 1;
	cyl_gt_pow(&x, &e, k);
	assert_true(cyl_fp12_eq(&x, &e));
	/* e^r = 1 and e^(r-1) = 1/e = conj(e) */
	BN_bn2binpad(bn_r, k, sizeof(k));
	cyl_gt_pow(&x, &e, k);
	assert_true(cyl_fp12_is_one(&x));
	k[31]--;
	cyl_gt_pow(&x, &e, k);
	cyl_fp12_conj(&y, &e);
	assert_true(cyl_fp12_eq(&x, &y));
}

static void test_gt_encoding(void **state)
{
	uint8_t buf[CYL_GT_BYTES], out[CYL_GT_BYTES], bad[CYL_GT_BYTES];
	BIGNUM *h = BN_new(), *t = BN_new(), *c;
	cyl_fp12 e, g, x;

	assert_non_null(h);
	assert_non_null(t);
	vector_gt_bytes(buf);
	/* the vector decodes, re-encodes to itself and has order r */
	assert_true(cyl_gt_from_bytes(&e, buf));
	cyl_gt_to_bytes(out, &e);
	assert_memory_equal(buf, out, sizeof(buf));
	fp12_pow_bn(&x, &e, bn_r);
	assert_true(cyl_fp12_is_one(&x));
	assert_false(cyl_fp12_is_one(&e));
	/* coefficient order: the first is c0.c0.c0 */
	assert_true(cyl_fp_from_hex(&g.c0.c0.c0, "0x11619b45f61edfe3b47a15fac19442526ff489"
				    "dcda25e59121d9931438907dfd448299a87dde3a649bdba96e84d54558"));
	assert_true(cyl_fp_eq(&g.c0.c0.c0, &e.c0.c0.c0));
	assert_true(cyl_fp_from_hex(&g.c1.c2.c1, "0x1454814f3085f0e6602247671bc408bbce200720"
				    "1536818c901dbd4d2095dd86c1ec8b888e59611f60a301af7776be3d"));
	assert_true(cyl_fp_eq(&g.c1.c2.c1, &e.c1.c2.c1));

	/* one is in GT, zero is not */
	cyl_gt_to_bytes(out, &cyl_fp12_one);
	assert_true(cyl_gt_from_bytes(&x, out));
	assert_true(cyl_fp12_is_one(&x));
	memset(out, 0, sizeof(out));
	assert_false(cyl_gt_from_bytes(&x, out));

	/* non-canonical coefficients: c + p for each position, p, all 0xff */
	for (int i = 0; i < 12; i++) {
		memcpy(bad, buf, sizeof(bad));
		c = bn_bytes(bad + 48 * i, 48);
		BN_add(c, c, bn_p);
		assert_int_equal(BN_bn2binpad(c, bad + 48 * i, 48), 48);
		assert_false(cyl_gt_from_bytes(&x, bad));
		BN_free(c);
	}
	memcpy(bad, buf, sizeof(bad));
	BN_bn2binpad(bn_p, bad + 48 * 5, 48);
	assert_false(cyl_gt_from_bytes(&x, bad));
	memset(bad, 0xff, sizeof(bad));
	assert_false(cyl_gt_from_bytes(&x, bad));

	/* a canonical element off GT: one bit flipped */
	memcpy(bad, buf, sizeof(bad));
	bad[100] ^= 1;
	assert_false(cyl_gt_from_bytes(&x, bad));

	/*
	 * Random elements: outside the cyclotomic subgroup, inside it but of
	 * order not r, and mapped into GT by the cofactor Phi12(p) / r.  The
	 * fast membership test agrees with g^r = 1 each time.
	 */
	BN_sqr(h, bn_p, ctx);			/* h = (p^4 - p^2 + 1) / r */
	BN_sqr(t, h, ctx);
	BN_sub(t, t, h);
	BN_add_word(t, 1);
	BN_div(h, t, t, bn_r, ctx);
	assert_true(BN_is_zero(t));
	for (int i = 0; i < 3; i++) {
		rand_fp12(&g);
		cyl_gt_to_bytes(out, &g);
		assert_false(cyl_gt_from_bytes(&x, out));
		rand_cyclotomic(&g);
		fp12_pow_bn(&x, &g, bn_r);
		assert_false(cyl_fp12_is_one(&x));
		cyl_gt_to_bytes(out, &g);
		assert_false(cyl_gt_from_bytes(&x, out));
		fp12_pow_bn(&g, &g, h);
		fp12_pow_bn(&x, &g, bn_r);
		assert_true(cyl_fp12_is_one(&x));
		cyl_gt_to_bytes(out, &g);
		assert_true(cyl_gt_from_bytes(&x, out));
		assert_true(cyl_fp12_eq(&x, &g));
	}
	BN_free(h);
	BN_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fp_arith_vs_bignum),
		cmocka_unit_test(test_fp_inv_sqrt_pow_vs_bignum),
		cmocka_unit_test(test_fp_encodings),
		cmocka_unit_test(test_fr_vs_bignum),
		cmocka_unit_test(test_fp2_arith),
		cmocka_unit_test(test_fp2_sqrt),
		cmocka_unit_test(test_fp2_signs),
		cmocka_unit_test(test_fp6_axioms),
		cmocka_unit_test(test_fp12_axioms),
		cmocka_unit_test(test_fp12_frobenius),
		cmocka_unit_test(test_fp12_cyclotomic_sqr),
		cmocka_unit_test(test_gt_pow),
		cmocka_unit_test(test_gt_encoding),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
