// SPDX-License-Identifier: GPL-2.0
/*
 * ZCash serialization of G1 and G2 points: the well-known compressed
 * encodings of the generators, their uncompressed coordinates against the
 * pairing vector file, the infinity encodings, round trips of random
 * multiples and of their negations (the sort flag checked with the test's
 * own byte arithmetic on p), and every reason a decoding is refused, each
 * with its exact message: lengths, flag combinations, coordinates >= p
 * (including p added to a valid point's coordinate, which a decoder that
 * reduced would accept), an x with no point, a point off the curve and
 * points of the curve outside the prime-order subgroup.  Also: a NULL why
 * is allowed, and a refused decoding leaves the result alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "abe/codec.h"

#define FPB	CYL_FP_BYTES
#define C1	CYL_G1_COMPRESSED
#define U1	CYL_G1_UNCOMPRESSED
#define C2	CYL_G2_COMPRESSED
#define U2	CYL_G2_UNCOMPRESSED

#define F_COMP	0x80
#define F_INF	0x40
#define F_SORT	0x20

#define WHY_LENGTH	"wrong length"
#define WHY_CFLAG	"compressed flag does not match the length"
#define WHY_INF		"infinity flag with other bits set"
#define WHY_SORT	"sort flag set on an uncompressed point"
#define WHY_X		"x is not a canonical field element"
#define WHY_Y		"y is not a canonical field element"
#define WHY_X1		"x.c1 is not a canonical field element"
#define WHY_X0		"x.c0 is not a canonical field element"
#define WHY_Y1		"y.c1 is not a canonical field element"
#define WHY_Y0		"y.c0 is not a canonical field element"
#define WHY_NO_Y	"no point on the curve has this x"
#define WHY_CURVE	"point is not on the curve"
#define WHY_SUBGROUP	"point is not in the prime-order subgroup"

#define VECTOR	"tests/vectors/pairing/bls12_381_optimal_ate.json"

static const char g1_gen_hex[] =
	"97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac58"
	"6c55e83ff97a1aeffb3af00adb22c6bb";
static const char g2_gen_hex[] =
	"93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049"
	"334cf11213945d57e5ac7d055d042b7e024aa2b2f08f0a91260805272dc51051"
	"c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8";
static const char p_hex[] =
	"1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f624"
	"1eabfffeb153ffffb9feffffffffaaab";

/* p, big endian: the test's own arithmetic on encodings uses it. */
static uint8_t P[FPB];

static void hex_to(const char *hex, uint8_t *out, size_t n)
{
	unsigned int b;
	size_t i;

	if (!strncmp(hex, "0x", 2))
		hex += 2;
	assert_int_equal(strlen(hex), 2 * n);
	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
}

static void vec_hex(json_t *obj, const char *key, uint8_t out[FPB])
{
	json_t *s = json_object_get(obj, key);

	assert_true(json_is_string(s));
	hex_to(json_string_value(s), out, FPB);
}

static json_t *load_vector(void)
{
	json_error_t err;
	json_t *v = json_load_file(VECTOR, 0, &err);

	if (!v)
		fail_msg("%s: %s", VECTOR, err.text);
	return v;
}

/* a += p (big endian); the sum must fit in the 48 bytes. */
static void add_p(uint8_t a[FPB])
{
	unsigned int s, carry = 0;
	int i;

	for (i = FPB - 1; i >= 0; i--) {
		s = a[i] + P[i] + carry;
		a[i] = (uint8_t)s;
		carry = s >> 8;
	}
	assert_int_equal(carry, 0);
}

/* out = -a mod p for a canonical a. */
static void neg_bytes(uint8_t out[FPB], const uint8_t a[FPB])
{
	static const uint8_t zero[FPB];
	int i, s, borrow = 0;

	if (!memcmp(a, zero, FPB)) {
		memset(out, 0, FPB);
		return;
	}
	for (i = FPB - 1; i >= 0; i--) {
		s = P[i] - a[i] - borrow;
		borrow = s < 0;
		out[i] = (uint8_t)(s + 256 * borrow);
	}
	assert_int_equal(borrow, 0);
}

/* ZCash "largest": a > p - a, for a canonical non-zero a. */
static bool largest(const uint8_t a[FPB])
{
	uint8_t n[FPB];

	neg_bytes(n, a);
	return memcmp(a, n, FPB) > 0;
}

static bool is_zero(const uint8_t *a, size_t n)
{
	while (n--)
		if (a[n])
			return false;
	return true;
}

static void fp2_bytes(uint8_t out[2 * FPB], const cyl_fp2 *a)
{
	cyl_fp_to_bytes(out, &a->c1);
	cyl_fp_to_bytes(out + FPB, &a->c0);
}

static void g1_rejects(const uint8_t *in, size_t len, const char *reason)
{
	const char *why = NULL;
	cyl_g1 r;

	assert_false(cyl_g1_decode(&r, in, len, &why));
	assert_non_null(why);
	assert_string_equal(why, reason);
}

static void g2_rejects(const uint8_t *in, size_t len, const char *reason)
{
	const char *why = NULL;
	cyl_g2 r;

	assert_false(cyl_g2_decode(&r, in, len, &why));
	assert_non_null(why);
	assert_string_equal(why, reason);
}

static void g1_accepts(const uint8_t *in, size_t len, const cyl_g1 *want)
{
	const char *why = NULL;
	cyl_g1 r;

	if (!cyl_g1_decode(&r, in, len, &why))
		fail_msg("G1 %zu bytes refused: %s", len, why);
	assert_true(cyl_g1_eq(&r, want));
}

static void g2_accepts(const uint8_t *in, size_t len, const cyl_g2 *want)
{
	const char *why = NULL;
	cyl_g2 r;

	if (!cyl_g2_decode(&r, in, len, &why))
		fail_msg("G2 %zu bytes refused: %s", len, why);
	assert_true(cyl_g2_eq(&r, want));
}

/* --- the generators and infinity --- */

static void test_g1_generator(void **state)
{
	uint8_t c[C1], u[U1], want[U1];
	json_t *v = load_vector(), *p = json_object_get(v, "P");

	cyl_g1_to_compressed(c, &cyl_g1_generator);
	hex_to(g1_gen_hex, want, C1);
	assert_memory_equal(c, want, C1);
	g1_accepts(want, C1, &cyl_g1_generator);

	cyl_g1_to_uncompressed(u, &cyl_g1_generator);
	vec_hex(p, "x", want);
	vec_hex(p, "y", want + FPB);
	assert_memory_equal(u, want, U1);
	g1_accepts(want, U1, &cyl_g1_generator);
	json_decref(v);
}

static void test_g2_generator(void **state)
{
	uint8_t c[C2], u[U2], want[U2];
	json_t *v = load_vector(), *q = json_object_get(v, "Q");

	cyl_g2_to_compressed(c, &cyl_g2_generator);
	hex_to(g2_gen_hex, want, C2);
	assert_memory_equal(c, want, C2);
	g2_accepts(want, C2, &cyl_g2_generator);

	/* c1 first, then c0. */
	cyl_g2_to_uncompressed(u, &cyl_g2_generator);
	vec_hex(q, "x1", want);
	vec_hex(q, "x0", want + FPB);
	vec_hex(q, "y1", want + 2 * FPB);
	vec_hex(q, "y0", want + 3 * FPB);
	assert_memory_equal(u, want, U2);
	g2_accepts(want, U2, &cyl_g2_generator);
	json_decref(v);
}

static void test_infinity(void **state)
{
	uint8_t b[U2], want[U2] = { 0 };
	const char *why = NULL;
	cyl_g1 r1 = cyl_g1_generator;
	cyl_g2 r2 = cyl_g2_generator;

	want[0] = F_COMP | F_INF;
	cyl_g1_to_compressed(b, &cyl_g1_infinity);
	assert_memory_equal(b, want, C1);
	assert_true(cyl_g1_decode(&r1, want, C1, &why));
	assert_true(cyl_g1_is_infinity(&r1));
	cyl_g2_to_compressed(b, &cyl_g2_infinity);
	assert_memory_equal(b, want, C2);
	assert_true(cyl_g2_decode(&r2, want, C2, &why));
	assert_true(cyl_g2_is_infinity(&r2));

	r1 = cyl_g1_generator;
	r2 = cyl_g2_generator;
	want[0] = F_INF;
	cyl_g1_to_uncompressed(b, &cyl_g1_infinity);
	assert_memory_equal(b, want, U1);
	assert_true(cyl_g1_decode(&r1, want, U1, &why));
	assert_true(cyl_g1_is_infinity(&r1));
	cyl_g2_to_uncompressed(b, &cyl_g2_infinity);
	assert_memory_equal(b, want, U2);
	assert_true(cyl_g2_decode(&r2, want, U2, &why));
	assert_true(cyl_g2_is_infinity(&r2));
}

/* --- round trips --- */

static void g1_round_trip(const cyl_g1 *a)
{
	uint8_t c[C1], u[U1], nc[C1], nu[U1], ny[FPB];
	cyl_g1 n;

	cyl_g1_to_compressed(c, a);
	cyl_g1_to_uncompressed(u, a);
	assert_int_equal(c[0] & (F_COMP | F_INF), F_COMP);
	assert_int_equal(u[0] & (F_COMP | F_INF | F_SORT), 0);
	/* The compressed form is the uncompressed x and the sort flag. */
	assert_int_equal(c[0] & 0x1f, u[0]);
	assert_memory_equal(c + 1, u + 1, FPB - 1);
	assert_int_equal(!!(c[0] & F_SORT), largest(u + FPB));
	g1_accepts(c, C1, a);
	g1_accepts(u, U1, a);

	/* -a: the same x, y = p - y, the sort flag flipped. */
	cyl_g1_neg(&n, a);
	assert_false(cyl_g1_eq(&n, a));
	cyl_g1_to_compressed(nc, &n);
	cyl_g1_to_uncompressed(nu, &n);
	assert_int_equal(nc[0], c[0] ^ F_SORT);
	assert_memory_equal(nc + 1, c + 1, C1 - 1);
	neg_bytes(ny, u + FPB);
	assert_memory_equal(nu, u, FPB);
	assert_memory_equal(nu + FPB, ny, FPB);
	g1_accepts(nc, C1, &n);
	g1_accepts(nu, U1, &n);
}

static void g2_round_trip(const cyl_g2 *a)
{
	uint8_t c[C2], u[U2], nc[C2], nu[U2], ny[2 * FPB];
	const uint8_t *y1, *y0;
	cyl_g2 n;

	cyl_g2_to_compressed(c, a);
	cyl_g2_to_uncompressed(u, a);
	assert_int_equal(c[0] & (F_COMP | F_INF), F_COMP);
	assert_int_equal(u[0] & (F_COMP | F_INF | F_SORT), 0);
	assert_int_equal(c[0] & 0x1f, u[0]);
	assert_memory_equal(c + 1, u + 1, C2 - 1);
	/* Largest: by y.c1, or by y.c0 when y.c1 is zero. */
	y1 = u + 2 * FPB;
	y0 = u + 3 * FPB;
	assert_int_equal(!!(c[0] & F_SORT),
			 is_zero(y1, FPB) ? largest(y0) : largest(y1));
	g2_accepts(c, C2, a);
	g2_accepts(u, U2, a);

	cyl_g2_neg(&n, a);
	assert_false(cyl_g2_eq(&n, a));
	cyl_g2_to_compressed(nc, &n);
	cyl_g2_to_uncompressed(nu, &n);
	assert_int_equal(nc[0], c[0] ^ F_SORT);
	assert_memory_equal(nc + 1, c + 1, C2 - 1);
	neg_bytes(ny, y1);
	neg_bytes(ny + FPB, y0);
	assert_memory_equal(nu, u, 2 * FPB);
	assert_memory_equal(nu + 2 * FPB, ny, 2 * FPB);
	g2_accepts(nc, C2, &n);
	g2_accepts(nu, U2, &n);
}

static void test_g1_round_trips(void **state)
{
	cyl_g1 a;
	cyl_fr k;
	int i;

	g1_round_trip(&cyl_g1_generator);
	for (i = 0; i < 16; i++) {
		assert_int_equal(cyl_fr_random_nonzero(&k), 0);
		cyl_g1_mul(&a, &cyl_g1_generator, &k);
		g1_round_trip(&a);
	}
}

static void test_g2_round_trips(void **state)
{
	cyl_g2 a;
	cyl_fr k;
	int i;

	g2_round_trip(&cyl_g2_generator);
	for (i = 0; i < 16; i++) {
		assert_int_equal(cyl_fr_random_nonzero(&k), 0);
		cyl_g2_mul(&a, &cyl_g2_generator, &k);
		g2_round_trip(&a);
	}
}

/* --- lengths and flags --- */

static void test_g1_lengths_and_flags(void **state)
{
	static const size_t bad_len[] = { 0, 1, 47, 49, 95, 97, 144, 192 };
	uint8_t c[C1], u[U1], b[U2 + 1] = { 0 };
	size_t i;

	cyl_g1_to_compressed(c, &cyl_g1_generator);
	cyl_g1_to_uncompressed(u, &cyl_g1_generator);

	/* Truncated, over-long, and other groups' sizes. */
	memcpy(b, u, U1);
	for (i = 0; i < sizeof(bad_len) / sizeof(bad_len[0]); i++)
		g1_rejects(b, bad_len[i], WHY_LENGTH);
	memcpy(b, c, C1);
	g1_rejects(b, C1 + 1, WHY_LENGTH);
	g1_rejects(c, C1 - 1, WHY_LENGTH);

	/* The compressed flag against the length. */
	memcpy(b, c, C1);
	b[0] &= ~F_COMP;
	g1_rejects(b, C1, WHY_CFLAG);
	memcpy(b, u, U1);
	b[0] |= F_COMP;
	g1_rejects(b, U1, WHY_CFLAG);
	cyl_g2_to_compressed(b, &cyl_g2_generator);
	g1_rejects(b, C2, WHY_CFLAG);
	memset(b, 0, sizeof(b));
	b[0] = F_INF;
	g1_rejects(b, C1, WHY_CFLAG);
	b[0] = F_COMP | F_INF;
	g1_rejects(b, U1, WHY_CFLAG);

	/* Infinity with anything else: the sort flag, x's bits, y's bytes. */
	b[0] = F_COMP | F_INF | F_SORT;
	g1_rejects(b, C1, WHY_INF);
	b[0] = F_COMP | F_INF | 0x01;
	g1_rejects(b, C1, WHY_INF);
	b[0] = F_COMP | F_INF;
	b[C1 - 1] = 1;
	g1_rejects(b, C1, WHY_INF);
	memcpy(b, c, C1);
	b[0] |= F_INF;
	g1_rejects(b, C1, WHY_INF);
	memset(b, 0, sizeof(b));
	b[0] = F_INF | F_SORT;
	g1_rejects(b, U1, WHY_INF);
	b[0] = F_INF;
	b[U1 - 1] = 1;
	g1_rejects(b, U1, WHY_INF);
	memcpy(b, u, U1);
	b[0] |= F_INF;
	g1_rejects(b, U1, WHY_INF);

	/* The sort flag means nothing uncompressed: refused, not ignored. */
	memcpy(b, u, U1);
	b[0] |= F_SORT;
	g1_rejects(b, U1, WHY_SORT);
}

static void test_g2_lengths_and_flags(void **state)
{
	static const size_t bad_len[] = { 0, 1, 48, 95, 97, 191, 193, 384 };
	uint8_t c[C2], u[U2], b[2 * U2 + 1] = { 0 };
	size_t i;

	cyl_g2_to_compressed(c, &cyl_g2_generator);
	cyl_g2_to_uncompressed(u, &cyl_g2_generator);

	memcpy(b, u, U2);
	for (i = 0; i < sizeof(bad_len) / sizeof(bad_len[0]); i++)
		g2_rejects(b, bad_len[i], WHY_LENGTH);
	memcpy(b, c, C2);
	g2_rejects(b, C2 + 1, WHY_LENGTH);
	g2_rejects(c, C2 - 1, WHY_LENGTH);

	memcpy(b, c, C2);
	b[0] &= ~F_COMP;
	g2_rejects(b, C2, WHY_CFLAG);
	memcpy(b, u, U2);
	b[0] |= F_COMP;
	g2_rejects(b, U2, WHY_CFLAG);
	/* A G1 uncompressed point has a G2 compressed point's size. */
	cyl_g1_to_uncompressed(b, &cyl_g1_generator);
	g2_rejects(b, C2, WHY_CFLAG);
	memset(b, 0, sizeof(b));
	b[0] = F_INF;
	g2_rejects(b, C2, WHY_CFLAG);
	b[0] = F_COMP | F_INF;
	g2_rejects(b, U2, WHY_CFLAG);

	b[0] = F_COMP | F_INF | F_SORT;
	g2_rejects(b, C2, WHY_INF);
	b[0] = F_COMP | F_INF | 0x10;
	g2_rejects(b, C2, WHY_INF);
	b[0] = F_COMP | F_INF;
	b[FPB] = 1;		/* in x.c0 */
	g2_rejects(b, C2, WHY_INF);
	memcpy(b, c, C2);
	b[0] |= F_INF;
	g2_rejects(b, C2, WHY_INF);
	memset(b, 0, sizeof(b));
	b[0] = F_INF | F_SORT;
	g2_rejects(b, U2, WHY_INF);
	b[0] = F_INF;
	b[2 * FPB] = 1;		/* in y.c1 */
	g2_rejects(b, U2, WHY_INF);
	memcpy(b, u, U2);
	b[0] |= F_INF;
	g2_rejects(b, U2, WHY_INF);

	memcpy(b, u, U2);
	b[0] |= F_SORT;
	g2_rejects(b, U2, WHY_SORT);
}

/* --- canonical coordinates --- */

/*
 * A multiple of the G1 generator whose x + p still leaves the three flag
 * bits clear: its x has a second, non-canonical encoding.
 */
static void g1_with_x_alias(cyl_g1 *a, uint8_t u[U1])
{
	int i;

	*a = cyl_g1_generator;
	for (i = 0; i < 64; i++) {
		cyl_g1_to_uncompressed(u, a);
		add_p(u);
		if (!(u[0] & 0xe0))
			return;
		cyl_g1_add(a, a, &cyl_g1_generator);
	}
	fail_msg("no multiple of G1 with x < 2^381 - p");
}

static void test_g1_non_canonical(void **state)
{
	static const uint8_t flags[] = { F_COMP, F_COMP | F_SORT };
	uint8_t c[C1], u[U1], b[U1], x[3][FPB];
	cyl_g1 a;
	size_t i, j;

	/* x = p, p + 1, 2^381 - 1. */
	memcpy(x[0], P, FPB);
	memcpy(x[1], P, FPB);
	x[1][FPB - 1]++;		/* p ends in 0xab: no carry */
	memset(x[2], 0xff, FPB);
	x[2][0] = 0x1f;
	cyl_g1_to_uncompressed(u, &cyl_g1_generator);
	for (i = 0; i < 3; i++) {
		for (j = 0; j < sizeof(flags); j++) {
			memcpy(b, x[i], FPB);
			b[0] |= flags[j];
			g1_rejects(b, C1, WHY_X);
		}
		memcpy(b, x[i], FPB);
		memcpy(b + FPB, u + FPB, FPB);
		g1_rejects(b, U1, WHY_X);
	}

	/* y = p, 2^384 - 1, and the generator's y + p. */
	memcpy(b, u, U1);
	memcpy(b + FPB, P, FPB);
	g1_rejects(b, U1, WHY_Y);
	memset(b + FPB, 0xff, FPB);
	g1_rejects(b, U1, WHY_Y);
	memcpy(b, u, U1);
	add_p(b + FPB);
	g1_rejects(b, U1, WHY_Y);

	/* x + p for a point of the subgroup, in both forms. */
	g1_with_x_alias(&a, b);
	cyl_g1_to_compressed(c, &a);
	g1_accepts(c, C1, &a);
	memcpy(u, b, U1);
	u[0] |= c[0] & (F_COMP | F_SORT);
	g1_rejects(u, C1, WHY_X);
	g1_rejects(b, U1, WHY_X);
}

static void g2_with_x1_alias(cyl_g2 *a, uint8_t u[U2])
{
	int i;

	*a = cyl_g2_generator;
	for (i = 0; i < 64; i++) {
		cyl_g2_to_uncompressed(u, a);
		add_p(u);
		if (!(u[0] & 0xe0))
			return;
		cyl_g2_add(a, a, &cyl_g2_generator);
	}
	fail_msg("no multiple of G2 with x.c1 < 2^381 - p");
}

static void test_g2_non_canonical(void **state)
{
	static const uint8_t flags[] = { F_COMP, F_COMP | F_SORT };
	uint8_t c[C2], u[U2], b[U2], x[3][FPB];
	cyl_g2 a;
	size_t i, j;

	memcpy(x[0], P, FPB);
	memcpy(x[1], P, FPB);
	x[1][FPB - 1]++;
	memset(x[2], 0xff, FPB);
	x[2][0] = 0x1f;
	cyl_g2_to_compressed(c, &cyl_g2_generator);
	cyl_g2_to_uncompressed(u, &cyl_g2_generator);
	for (i = 0; i < 3; i++) {
		/* In x.c1, next to the generator's x.c0. */
		for (j = 0; j < sizeof(flags); j++) {
			memcpy(b, c, C2);
			memcpy(b, x[i], FPB);
			b[0] |= flags[j];
			g2_rejects(b, C2, WHY_X1);
		}
		memcpy(b, u, U2);
		memcpy(b, x[i], FPB);
		g2_rejects(b, U2, WHY_X1);

		/* In x.c0, next to the generator's x.c1. */
		memcpy(b, c, C2);
		memcpy(b + FPB, x[i], FPB);
		g2_rejects(b, C2, WHY_X0);
		memcpy(b, u, U2);
		memcpy(b + FPB, x[i], FPB);
		g2_rejects(b, U2, WHY_X0);

		/* In y.c1 and y.c0. */
		memcpy(b, u, U2);
		memcpy(b + 2 * FPB, x[i], FPB);
		g2_rejects(b, U2, WHY_Y1);
		memcpy(b, u, U2);
		memcpy(b + 3 * FPB, x[i], FPB);
		g2_rejects(b, U2, WHY_Y0);
	}

	/* Only the first byte has flags: x.c0's top bits are its value. */
	memcpy(b, c, C2);
	b[FPB] |= F_COMP;
	g2_rejects(b, C2, WHY_X0);
	memcpy(b, c, C2);
	b[FPB] |= F_SORT;
	g2_rejects(b, C2, WHY_X0);

	/* The generator's x.c0, y.c1, y.c0 plus p. */
	memcpy(b, c, C2);
	add_p(b + FPB);
	g2_rejects(b, C2, WHY_X0);
	memcpy(b, u, U2);
	add_p(b + FPB);
	g2_rejects(b, U2, WHY_X0);
	memcpy(b, u, U2);
	add_p(b + 2 * FPB);
	g2_rejects(b, U2, WHY_Y1);
	memcpy(b, u, U2);
	add_p(b + 3 * FPB);
	g2_rejects(b, U2, WHY_Y0);

	/* x.c1 + p for a point of the subgroup. */
	g2_with_x1_alias(&a, b);
	cyl_g2_to_compressed(c, &a);
	g2_accepts(c, C2, &a);
	memcpy(u, b, C2);
	u[0] |= c[0] & (F_COMP | F_SORT);
	g2_rejects(u, C2, WHY_X1);
	g2_rejects(b, U2, WHY_X1);
}

/* --- the curve and the subgroup --- */

/* y^2 = x^3 + 4 */
static void g1_rhs(cyl_fp *r, const cyl_fp *x)
{
	cyl_fp four;

	cyl_fp_from_u64(&four, 4);
	cyl_fp_sqr(r, x);
	cyl_fp_mul(r, r, x);
	cyl_fp_add(r, r, &four);
}

static void test_g1_curve_and_subgroup(void **state)
{
	uint8_t b[U1];
	int found_on = 0, found_off = 0;
	cyl_g1_affine aff = { .infinity = false };
	cyl_fp rhs;
	cyl_g1 a;
	uint64_t k;

	/* Small x: the first ones with no point, and the first two points. */
	for (k = 0; k < 64 && (found_on < 2 || !found_off); k++) {
		cyl_fp_from_u64(&aff.x, k);
		g1_rhs(&rhs, &aff.x);
		memset(b, 0, sizeof(b));
		cyl_fp_to_bytes(b, &aff.x);
		if (!cyl_fp_sqrt(&aff.y, &rhs)) {
			if (found_off++)
				continue;
			b[0] |= F_COMP;
			g1_rejects(b, C1, WHY_NO_Y);
			b[0] |= F_SORT;
			g1_rejects(b, C1, WHY_NO_Y);
			/* Uncompressed, with any y: off the curve. */
			b[0] &= ~(F_COMP | F_SORT);
			g1_rejects(b, U1, WHY_CURVE);
			continue;
		}
		if (found_on++ >= 2)
			continue;
		/* A point of the curve; the cofactor is not 1, r is prime. */
		cyl_g1_from_affine(&a, &aff);
		assert_true(cyl_g1_is_on_curve(&a));
		assert_false(cyl_g1_in_subgroup(&a));
		cyl_fp_to_bytes(b + FPB, &aff.y);
		g1_rejects(b, U1, WHY_SUBGROUP);
		cyl_fp_neg(&aff.y, &aff.y);
		cyl_fp_to_bytes(b + FPB, &aff.y);
		g1_rejects(b, U1, WHY_SUBGROUP);
		b[0] |= F_COMP;
		g1_rejects(b, C1, WHY_SUBGROUP);
		b[0] |= F_SORT;
		g1_rejects(b, C1, WHY_SUBGROUP);
	}
	assert_true(found_on >= 2 && found_off >= 1);

	/* The generator with y changed by one, and (0, 0) without a flag. */
	cyl_g1_to_uncompressed(b, &cyl_g1_generator);
	b[U1 - 1] ^= 1;
	g1_rejects(b, U1, WHY_CURVE);
	memset(b + FPB, 0, FPB);
	g1_rejects(b, U1, WHY_CURVE);
	memset(b, 0, U1);
	g1_rejects(b, U1, WHY_CURVE);
}

/* y^2 = x^3 + 4(u + 1) */
static void g2_rhs(cyl_fp2 *r, const cyl_fp2 *x)
{
	cyl_fp2 b;

	cyl_fp_from_u64(&b.c0, 4);
	b.c1 = b.c0;
	cyl_fp2_sqr(r, x);
	cyl_fp2_mul(r, r, x);
	cyl_fp2_add(r, r, &b);
}

static void test_g2_curve_and_subgroup(void **state)
{
	uint8_t b[U2];
	int found_on = 0, found_off = 0;
	cyl_g2_affine aff = { .infinity = false };
	cyl_fp2 rhs;
	cyl_g2 a;
	uint64_t k;

	/* x = k + u: both halves non-zero. */
	cyl_fp_from_u64(&aff.x.c1, 1);
	for (k = 0; k < 64 && (found_on < 2 || !found_off); k++) {
		cyl_fp_from_u64(&aff.x.c0, k);
		g2_rhs(&rhs, &aff.x);
		memset(b, 0, sizeof(b));
		fp2_bytes(b, &aff.x);
		if (!cyl_fp2_sqrt(&aff.y, &rhs)) {
			if (found_off++)
				continue;
			b[0] |= F_COMP;
			g2_rejects(b, C2, WHY_NO_Y);
			b[0] |= F_SORT;
			g2_rejects(b, C2, WHY_NO_Y);
			b[0] &= ~(F_COMP | F_SORT);
			g2_rejects(b, U2, WHY_CURVE);
			continue;
		}
		if (found_on++ >= 2)
			continue;
		cyl_g2_from_affine(&a, &aff);
		assert_true(cyl_g2_is_on_curve(&a));
		assert_false(cyl_g2_in_subgroup(&a));
		fp2_bytes(b + 2 * FPB, &aff.y);
		g2_rejects(b, U2, WHY_SUBGROUP);
		cyl_fp2_neg(&aff.y, &aff.y);
		fp2_bytes(b + 2 * FPB, &aff.y);
		g2_rejects(b, U2, WHY_SUBGROUP);
		b[0] |= F_COMP;
		g2_rejects(b, C2, WHY_SUBGROUP);
		b[0] |= F_SORT;
		g2_rejects(b, C2, WHY_SUBGROUP);
	}
	assert_true(found_on >= 2 && found_off >= 1);

	cyl_g2_to_uncompressed(b, &cyl_g2_generator);
	b[U2 - 1] ^= 1;
	g2_rejects(b, U2, WHY_CURVE);
	memset(b + 2 * FPB, 0, 2 * FPB);
	g2_rejects(b, U2, WHY_CURVE);
	memset(b, 0, U2);
	g2_rejects(b, U2, WHY_CURVE);
}

/* A NULL why is allowed; a refused decoding leaves the result alone. */
static void test_why_optional_result_untouched(void **state)
{
	uint8_t b[U2] = { 0 };
	cyl_g1 r1 = cyl_g1_generator;
	cyl_g2 r2 = cyl_g2_generator;

	b[0] = F_COMP | F_INF | F_SORT;
	assert_false(cyl_g1_decode(&r1, b, C1, NULL));
	assert_false(cyl_g2_decode(&r2, b, C2, NULL));
	assert_true(cyl_g1_eq(&r1, &cyl_g1_generator));
	assert_true(cyl_g2_eq(&r2, &cyl_g2_generator));
}

static int setup(void **state)
{
	hex_to(p_hex, P, FPB);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_g1_generator),
		cmocka_unit_test(test_g2_generator),
		cmocka_unit_test(test_infinity),
		cmocka_unit_test(test_g1_round_trips),
		cmocka_unit_test(test_g2_round_trips),
		cmocka_unit_test(test_g1_lengths_and_flags),
		cmocka_unit_test(test_g2_lengths_and_flags),
		cmocka_unit_test(test_g1_non_canonical),
		cmocka_unit_test(test_g2_non_canonical),
		cmocka_unit_test(test_g1_curve_and_subgroup),
		cmocka_unit_test(test_g2_curve_and_subgroup),
		cmocka_unit_test(test_why_optional_result_untouched),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
