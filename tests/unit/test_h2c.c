// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 9380 hashing to BLS12-381: expand_message_xmd against appendix K.1
 * (both DST lengths; the library hashes the 256-byte DST down as 5.3.3
 * says, and the test checks that step on its own), its error cases, and the
 * appendix J suites BLS12381G1 RO and NU and BLS12381G2 RO step by step:
 * the field elements u, the map_to_curve points Q, the final points P,
 * which must be in the prime-order subgroup while the Q are not.  Then the
 * map's exceptional inputs (SSWU's and the isogeny's), its sign rule, and
 * many messages to both groups.
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
#include <openssl/evp.h>

#include "abe/h2c.h"

#define VEC	"tests/vectors/hash_to_curve/"
#define MAXLEN	8160

/* --- helpers --- */

static json_t *load(const char *path)
{
	json_error_t err;
	json_t *j = json_load_file(path, 0, &err);

	if (!j)
		fail_msg("%s: %s (line %d)", path, err.text, err.line);
	return j;
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	assert_non_null(s);
	return s;
}

/* o[key][k], a string */
static const char *item(const json_t *o, const char *key, size_t k)
{
	const char *s = json_string_value(json_array_get(json_object_get(o, key), k));

	assert_non_null(s);
	return s;
}

static void to_hex(const uint8_t *b, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}

static void fp_hex(cyl_fp *r, const char *hex)
{
	assert_true(cyl_fp_from_hex(r, hex));
}

/* "x0,x1": the real part first. */
static void fp2_hex(cyl_fp2 *r, const char *s)
{
	const char *comma = strchr(s, ',');
	char c0[128];

	assert_non_null(comma);
	assert_true((size_t)(comma - s) < sizeof(c0));
	memcpy(c0, s, comma - s);
	c0[comma - s] = '\0';
	fp_hex(&r->c0, c0);
	fp_hex(&r->c1, comma + 1);
}

static void assert_g1(const cyl_g1 *p, const json_t *want)
{
	cyl_g1_affine a;
	cyl_fp x, y;

	fp_hex(&x, str(want, "x"));
	fp_hex(&y, str(want, "y"));
	assert_true(cyl_g1_is_on_curve(p));
	cyl_g1_to_affine(&a, p);
	assert_false(a.infinity);
	assert_true(cyl_fp_eq(&a.x, &x));
	assert_true(cyl_fp_eq(&a.y, &y));
}

static void assert_g2(const cyl_g2 *p, const json_t *want)
{
	cyl_g2_affine a;
	cyl_fp2 x, y;

	fp2_hex(&x, str(want, "x"));
	fp2_hex(&y, str(want, "y"));
	assert_true(cyl_g2_is_on_curve(p));
	cyl_g2_to_affine(&a, p);
	assert_false(a.infinity);
	assert_true(cyl_fp2_eq(&a.x, &x));
	assert_true(cyl_fp2_eq(&a.y, &y));
}

static void sha256(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[32])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	assert_non_null(ctx);
	assert_int_equal(EVP_DigestInit_ex(ctx, EVP_sha256(), NULL), 1);
	assert_int_equal(EVP_DigestUpdate(ctx, a, alen), 1);
	assert_int_equal(EVP_DigestUpdate(ctx, b, blen), 1);
	assert_int_equal(EVP_DigestFinal_ex(ctx, out, NULL), 1);
	EVP_MD_CTX_free(ctx);
}

/* --- expand_message_xmd --- */

/* Every test of a K.1 file, with the given DST; returns how many ran. */
static size_t run_xmd_file(const json_t *j, const uint8_t *dst, size_t dst_len)
{
	uint8_t out[256];
	char hex[2 * sizeof(out) + 1];
	const json_t *t;
	size_t i, len;

	json_array_foreach(json_object_get(j, "tests"), i, t) {
		const char *msg = str(t, "msg");

		len = strtoul(str(t, "len_in_bytes"), NULL, 16);
		assert_true(len > 0 && len <= sizeof(out));
		assert_int_equal(cyl_expand_message_xmd(out, len, (const uint8_t *)msg,
							strlen(msg), dst, dst_len), 0);
		to_hex(out, len, hex);
		assert_string_equal(hex, str(t, "uniform_bytes"));
	}
	return i;
}

static void test_xmd_dst_38(void **state)
{
	json_t *j = load(VEC "expand_message_xmd_SHA256_38.json");
	const char *dst = str(j, "DST");

	assert_int_equal(strlen(dst), 38);
	assert_int_equal(run_xmd_file(j, (const uint8_t *)dst, strlen(dst)), 10);
	json_decref(j);
}

/*
 * The K.1 vectors with a 256-byte DST: the library reproduces them all
 * from the long DST, and so it does from DST' = H("H2C-OVERSIZE-DST-" ||
 * DST) (5.3.3) computed here, whose DST_prime is the file's.
 */
static void test_xmd_dst_256(void **state)
{
	static const char tag[] = "H2C-OVERSIZE-DST-";
	json_t *j = load(VEC "expand_message_xmd_SHA256_256.json");
	const char *dst = str(j, "DST");
	uint8_t small[33];
	char hex[2 * sizeof(small) + 1];

	assert_int_equal(strlen(dst), 256);
	assert_int_equal(run_xmd_file(j, (const uint8_t *)dst, 256), 10);
	sha256(tag, strlen(tag), dst, strlen(dst), small);
	small[32] = 32;
	to_hex(small, sizeof(small), hex);
	/* DST_prime = DST' || I2OSP(len(DST'), 1), as in the file */
	assert_string_equal(hex, str(json_array_get(json_object_get(j, "tests"), 0),
				     "DST_prime"));
	assert_int_equal(run_xmd_file(j, small, 32), 10);
	json_decref(j);
}

static void test_xmd_errors(void **state)
{
	static const uint8_t dst[256] = { 'D', 'S', 'T' };
	static uint8_t out[MAXLEN + 1];
	uint8_t a[64], b[64];

	assert_int_equal(cyl_expand_message_xmd(out, 0, dst, 3, dst, 3), -EINVAL);
	assert_int_equal(cyl_expand_message_xmd(out, MAXLEN + 1, dst, 3, dst, 3), -EINVAL);
	assert_int_equal(cyl_expand_message_xmd(out, 65535, dst, 3, dst, 3), -EINVAL);
	assert_int_equal(cyl_expand_message_xmd(out, 32, dst, 3, dst, 0), -EINVAL);
	/* the limits themselves pass */
	assert_int_equal(cyl_expand_message_xmd(out, 32, dst, 3, dst, 255), 0);
	/* ell = 255 exactly, and not one byte written past the length */
	memset(out, 0xa5, sizeof(out));
	assert_int_equal(cyl_expand_message_xmd(out, MAXLEN, dst, 3, dst, 3), 0);
	assert_int_equal(out[MAXLEN], 0xa5);
	memset(out, 0xa5, 64);
	assert_int_equal(cyl_expand_message_xmd(out, 33, dst, 3, dst, 3), 0);
	assert_int_equal(out[33], 0xa5);
	assert_int_equal(out[34], 0xa5);
	/* the length is hashed in: a longer output does not extend a shorter one */
	assert_int_equal(cyl_expand_message_xmd(a, 32, dst, 3, dst, 3), 0);
	assert_int_equal(cyl_expand_message_xmd(b, 64, dst, 3, dst, 3), 0);
	assert_memory_not_equal(a, b, 32);
	/* so is the DST, and an empty message may be NULL */
	assert_int_equal(cyl_expand_message_xmd(a, 64, NULL, 0, dst, 3), 0);
	assert_int_equal(cyl_expand_message_xmd(b, 64, (const uint8_t *)"", 0, dst, 3), 0);
	assert_memory_equal(a, b, 64);
	assert_int_equal(cyl_expand_message_xmd(b, 64, NULL, 0, dst, 2), 0);
	assert_memory_not_equal(a, b, 64);
}

/* --- the suites --- */

/* hash_to_field by hand from expand_message_xmd: n elements of Fp. */
static void field_elements(cyl_fp *e, size_t n, const char *msg, const char *dst)
{
	uint8_t buf[4 * 64];
	size_t i;

	assert_int_equal(cyl_expand_message_xmd(buf, n * 64, (const uint8_t *)msg, strlen(msg),
						(const uint8_t *)dst, strlen(dst)), 0);
	for (i = 0; i < n; i++)
		cyl_fp_from_bytes_wide(&e[i], buf + 64 * i);
}

static void test_g1_ro(void **state)
{
	json_t *j = load(VEC "BLS12381G1_XMD_SHA-256_SSWU_RO_.json");
	const char *dst = str(j, "dst");
	const json_t *v;
	cyl_g1 q[2], p, sum, c;
	cyl_fp e[2], u;
	size_t i, k;

	json_array_foreach(json_object_get(j, "vectors"), i, v) {
		const char *msg = str(v, "msg");

		field_elements(e, 2, msg, dst);
		for (k = 0; k < 2; k++) {
			fp_hex(&u, item(v, "u", k));
			assert_true(cyl_fp_eq(&e[k], &u));
			cyl_map_to_curve_g1(&q[k], &u);
			assert_g1(&q[k], json_object_get(v, k ? "Q1" : "Q0"));
			assert_false(cyl_g1_in_subgroup(&q[k]));
		}
		assert_int_equal(cyl_hash_to_g1(&p, (const uint8_t *)msg, strlen(msg),
						(const uint8_t *)dst, strlen(dst)), 0);
		assert_g1(&p, json_object_get(v, "P"));
		assert_true(cyl_g1_in_subgroup(&p));
		cyl_g1_add(&sum, &q[0], &q[1]);
		cyl_clear_cofactor_g1(&c, &sum);
		assert_true(cyl_g1_eq(&c, &p));
	}
	assert_int_equal(i, 5);
	json_decref(j);
}

static void test_g1_nu(void **state)
{
	json_t *j = load(VEC "BLS12381G1_XMD_SHA-256_SSWU_NU_.json");
	const char *dst = str(j, "dst");
	const json_t *v;
	cyl_g1 q, p, c;
	cyl_fp e, u;
	size_t i;

	json_array_foreach(json_object_get(j, "vectors"), i, v) {
		const char *msg = str(v, "msg");

		field_elements(&e, 1, msg, dst);
		fp_hex(&u, item(v, "u", 0));
		assert_true(cyl_fp_eq(&e, &u));
		cyl_map_to_curve_g1(&q, &u);
		assert_g1(&q, json_object_get(v, "Q"));
		assert_false(cyl_g1_in_subgroup(&q));
		assert_int_equal(cyl_encode_to_g1(&p, (const uint8_t *)msg, strlen(msg),
						  (const uint8_t *)dst, strlen(dst)), 0);
		assert_g1(&p, json_object_get(v, "P"));
		assert_true(cyl_g1_in_subgroup(&p));
		cyl_clear_cofactor_g1(&c, &q);
		assert_true(cyl_g1_eq(&c, &p));
	}
	assert_int_equal(i, 5);
	json_decref(j);
}

static void test_g2_ro(void **state)
{
	json_t *j = load(VEC "BLS12381G2_XMD_SHA-256_SSWU_RO_.json");
	const char *dst = str(j, "dst");
	const json_t *v;
	cyl_g2 q[2], p, sum, c;
	cyl_fp e[4];
	cyl_fp2 u;
	size_t i, k;

	json_array_foreach(json_object_get(j, "vectors"), i, v) {
		const char *msg = str(v, "msg");

		field_elements(e, 4, msg, dst);
		for (k = 0; k < 2; k++) {
			fp2_hex(&u, item(v, "u", k));
			assert_true(cyl_fp_eq(&e[2 * k], &u.c0));
			assert_true(cyl_fp_eq(&e[2 * k + 1], &u.c1));
			cyl_map_to_curve_g2(&q[k], &u);
			assert_g2(&q[k], json_object_get(v, k ? "Q1" : "Q0"));
			assert_false(cyl_g2_in_subgroup(&q[k]));
		}
		assert_int_equal(cyl_hash_to_g2(&p, (const uint8_t *)msg, strlen(msg),
						(const uint8_t *)dst, strlen(dst)), 0);
		assert_g2(&p, json_object_get(v, "P"));
		assert_true(cyl_g2_in_subgroup(&p));
		cyl_g2_add(&sum, &q[0], &q[1]);
		cyl_clear_cofactor_g2(&c, &sum);
		assert_true(cyl_g2_eq(&c, &p));
	}
	assert_int_equal(i, 5);
	json_decref(j);
}

/* --- the map itself --- */

/*
 * u = 0 and Z u^2 = -1 are SSWU's exceptional inputs (6.6.2): both give
 * x1 = B / (Z A), so the points are equal up to the sign of y, which
 * follows sgn0(u).  In Fp2, -1/Z is not a square: only u = 0.
 */
static void test_map_exceptional(void **state)
{
	cyl_fp u, t;
	cyl_g1 p0, p, n;
	cyl_g2 q;

	cyl_map_to_curve_g1(&p0, &cyl_fp_zero);
	assert_true(cyl_g1_is_on_curve(&p0));
	assert_false(cyl_g1_is_infinity(&p0));
	cyl_fp_from_u64(&t, 11);
	cyl_fp_inv(&t, &t);
	cyl_fp_neg(&t, &t);
	assert_true(cyl_fp_sqrt(&u, &t));		/* Z u^2 = -1 */
	if (cyl_fp_sgn0(&u))
		cyl_fp_neg(&u, &u);
	cyl_map_to_curve_g1(&p, &u);
	assert_true(cyl_g1_eq(&p, &p0));
	cyl_fp_neg(&u, &u);
	cyl_map_to_curve_g1(&p, &u);
	cyl_g1_neg(&n, &p0);
	assert_true(cyl_g1_eq(&p, &n));
	assert_false(cyl_g1_eq(&p, &p0));

	cyl_map_to_curve_g2(&q, &cyl_fp2_zero);
	assert_true(cyl_g2_is_on_curve(&q));
	assert_false(cyl_g2_is_infinity(&q));
}

/*
 * The 11-isogeny's kernel has points over Fp, and SSWU reaches them: x_den
 * has five roots in Fp, and solving x1(u) or x2(u) for two of them gives
 * these u (computed offline).  6.6.3: the result is the identity.
 */
static void test_map_isogeny_kernel(void **state)
{
	static const char *const kernel_u[] = {
		/* x = 0x10ef325d...4bcf4, through x1, then through x2 */
		"0x1377c0192d99508a317127abf17c64205c7aad448380027e"
		"fb47ae73ea231dbd6ecd3f2841b63d309c35bb8fd13e48f0",
		"0x854a3cb180882d5b1efc1c3cc5b3fb33b27cb739f138998"
		"6ca46e1c5cb5010d8a06fd781c63074868f316d95b8f8405",
		/* x = 0xd7f2d0d0...2b2f7c, the same way */
		"0x146850b3bdc2495ed73bb803dfaa951a88abff0acb5c7aea"
		"c52b48f3c808e87ce3885b98ce916e17caef21a6cbc6b598",
		"0xa92437e90bc473049ab549b4c4a145feb4fb5cd39f7ee85"
		"c11fa62a8f5317220b398be420ca5d8364d460f6ee1efd29",
	};
	cyl_g1 p, c;
	cyl_fp u;
	size_t i;

	for (i = 0; i < sizeof(kernel_u) / sizeof(kernel_u[0]); i++) {
		fp_hex(&u, kernel_u[i]);
		cyl_map_to_curve_g1(&p, &u);
		assert_true(cyl_g1_is_infinity(&p));
		assert_true(cyl_g1_is_on_curve(&p));
		cyl_clear_cofactor_g1(&c, &p);
		assert_true(cyl_g1_is_infinity(&c));
		/* a neighbour is an ordinary point */
		cyl_fp_add(&u, &u, &cyl_fp_one);
		cyl_map_to_curve_g1(&p, &u);
		assert_false(cyl_g1_is_infinity(&p));
	}
}

/* map(-u) = -map(u): the sign of y is sgn0(u)'s. */
static void test_map_sign(void **state)
{
	json_t *j1 = load(VEC "BLS12381G1_XMD_SHA-256_SSWU_RO_.json");
	json_t *j2 = load(VEC "BLS12381G2_XMD_SHA-256_SSWU_RO_.json");
	const json_t *v;
	cyl_fp u, nu;
	cyl_fp2 u2, nu2;
	cyl_g1 a, b, nb;
	cyl_g2 c, d, nd;
	size_t i;

	json_array_foreach(json_object_get(j1, "vectors"), i, v) {
		fp_hex(&u, item(v, "u", 0));
		cyl_fp_neg(&nu, &u);
		cyl_map_to_curve_g1(&a, &u);
		cyl_map_to_curve_g1(&b, &nu);
		assert_false(cyl_g1_eq(&a, &b));
		cyl_g1_neg(&nb, &b);
		assert_true(cyl_g1_eq(&a, &nb));
	}
	json_array_foreach(json_object_get(j2, "vectors"), i, v) {
		fp2_hex(&u2, item(v, "u", 1));
		cyl_fp2_neg(&nu2, &u2);
		cyl_map_to_curve_g2(&c, &u2);
		cyl_map_to_curve_g2(&d, &nu2);
		assert_false(cyl_g2_eq(&c, &d));
		cyl_g2_neg(&nd, &d);
		assert_true(cyl_g2_eq(&c, &nd));
	}
	json_decref(j1);
	json_decref(j2);
}

/* --- the encodings --- */

static void test_hash_errors(void **state)
{
	static const uint8_t dst[256] = { 'D' };
	cyl_g1 p;
	cyl_g2 q;

	assert_int_equal(cyl_hash_to_g1(&p, dst, 1, dst, 0), -EINVAL);
	assert_int_equal(cyl_encode_to_g1(&p, dst, 1, dst, 0), -EINVAL);
	assert_int_equal(cyl_hash_to_g2(&q, dst, 1, dst, 0), -EINVAL);
	assert_int_equal(cyl_hash_to_g1(&p, dst, 1, dst, 256), 0);
	assert_int_equal(cyl_hash_to_g1(&p, dst, 1, dst, 255), 0);
	assert_int_equal(cyl_hash_to_g2(&q, NULL, 0, dst, 255), 0);
}

/* Many messages: all in the subgroup, none at infinity, all different. */
static void test_many_messages(void **state)
{
	static const uint8_t dst[] = "CYLCOMED-TEST-H2C";
	enum { N = 12 };
	uint8_t msg[N + 1];
	cyl_g1 p[N], e[N];
	cyl_g2 q[N];
	size_t i, k;

	for (i = 0; i < N; i++) {
		for (k = 0; k < i; k++)
			msg[k] = (uint8_t)(i * 31 + k);
		assert_int_equal(cyl_hash_to_g1(&p[i], msg, i, dst, sizeof(dst) - 1), 0);
		assert_int_equal(cyl_encode_to_g1(&e[i], msg, i, dst, sizeof(dst) - 1), 0);
		assert_int_equal(cyl_hash_to_g2(&q[i], msg, i, dst, sizeof(dst) - 1), 0);
		assert_true(cyl_g1_is_on_curve(&p[i]) && cyl_g1_in_subgroup(&p[i]));
		assert_true(cyl_g1_is_on_curve(&e[i]) && cyl_g1_in_subgroup(&e[i]));
		assert_true(cyl_g2_is_on_curve(&q[i]) && cyl_g2_in_subgroup(&q[i]));
		assert_false(cyl_g1_is_infinity(&p[i]) || cyl_g1_is_infinity(&e[i]));
		assert_false(cyl_g2_is_infinity(&q[i]));
		assert_false(cyl_g1_eq(&p[i], &e[i]));
		for (k = 0; k < i; k++) {
			assert_false(cyl_g1_eq(&p[i], &p[k]));
			assert_false(cyl_g1_eq(&e[i], &e[k]));
			assert_false(cyl_g2_eq(&q[i], &q[k]));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xmd_dst_38),
		cmocka_unit_test(test_xmd_dst_256),
		cmocka_unit_test(test_xmd_errors),
		cmocka_unit_test(test_g1_ro),
		cmocka_unit_test(test_g1_nu),
		cmocka_unit_test(test_g2_ro),
		cmocka_unit_test(test_map_exceptional),
		cmocka_unit_test(test_map_isogeny_kernel),
		cmocka_unit_test(test_map_sign),
		cmocka_unit_test(test_hash_errors),
		cmocka_unit_test(test_many_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
