// SPDX-License-Identifier: GPL-2.0
/*
 * The optimal ate pairing (agent/abe/pairing.c): the vector of the
 * pairing-friendly-curves draft for the standard generators (cubed, since
 * cyl_pairing_cubed says the library returns e^3, as blst does), the split
 * Miller loop / final exponentiation, bilinearity with random scalars,
 * non-degeneracy, negated inputs, points at infinity, membership of the
 * result in GT (e^r = 1), and the multi-pairing against products of single
 * pairings, across its internal rounds of 16 pairs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "abe/pairing.h"

#define VECTOR	"tests/vectors/pairing/bls12_381_optimal_ate.json"

static void rand_fr(cyl_fr *k)
{
	assert_int_equal(cyl_fr_random(k), 0);
}

static void gt_pow_fr(cyl_fp12 *r, const cyl_fp12 *a, const cyl_fr *k)
{
	uint8_t b[CYL_FR_BYTES];

	cyl_fr_to_bytes(b, k);
	cyl_gt_pow(r, a, b);
}

/* The i-th coefficient in the vector's order c0.c0.c0, c0.c0.c1, ... c1.c2.c1. */
static cyl_fp *fp12_coeff(cyl_fp12 *a, int i)
{
	cyl_fp6 *c6 = i < 6 ? &a->c0 : &a->c1;
	cyl_fp2 *c2 = (i % 6) / 2 == 0 ? &c6->c0 : (i % 6) / 2 == 1 ? &c6->c1 : &c6->c2;

	return i % 2 ? &c2->c1 : &c2->c0;
}

static void fp_json(cyl_fp *r, json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	assert_non_null(s);
	assert_true(cyl_fp_from_hex(r, s));
}

static void load_vector(cyl_g1 *p, cyl_g2 *q, cyl_fp12 *e)
{
	cyl_g1_affine pa = { .infinity = false };
	cyl_g2_affine qa = { .infinity = false };
	json_error_t err;
	json_t *root, *o;

	root = json_load_file(VECTOR, 0, &err);
	assert_non_null(root);
	o = json_object_get(root, "P");
	fp_json(&pa.x, o, "x");
	fp_json(&pa.y, o, "y");
	o = json_object_get(root, "Q");
	fp_json(&qa.x.c0, o, "x0");
	fp_json(&qa.x.c1, o, "x1");
	fp_json(&qa.y.c0, o, "y0");
	fp_json(&qa.y.c1, o, "y1");
	o = json_object_get(root, "e");
	assert_int_equal(json_array_size(o), 12);
	for (int i = 0; i < 12; i++) {
		const char *s = json_string_value(json_array_get(o, i));

		assert_non_null(s);
		assert_true(cyl_fp_from_hex(fp12_coeff(e, i), s));
	}
	json_decref(root);
	cyl_g1_from_affine(p, &pa);
	cyl_g2_from_affine(q, &qa);
}

static void test_vector(void **state)
{
	cyl_fp12 want, e, f, g;
	cyl_g1_affine pa;
	cyl_g2_affine qa;
	cyl_g1 p;
	cyl_g2 q;

	(void)state;
	load_vector(&p, &q, &want);
	assert_true(cyl_g1_eq(&p, &cyl_g1_generator));
	assert_true(cyl_g2_eq(&q, &cyl_g2_generator));

	/* The draft's e is f^((p^12 - 1) / r); this library returns e^3. */
	assert_int_equal(cyl_pairing_cubed, 1);
	cyl_pairing(&e, &p, &q);
	assert_false(cyl_fp12_eq(&e, &want));
	cyl_fp12_sqr(&f, &want);
	cyl_fp12_mul(&want, &f, &want);
	assert_true(cyl_fp12_eq(&e, &want));

	/* the same through the two halves, and with projective inputs */
	cyl_g1_to_affine(&pa, &p);
	cyl_g2_to_affine(&qa, &q);
	cyl_miller_loop(&f, &pa, &qa, 1);
	assert_false(cyl_fp12_eq(&f, &want));
	cyl_final_exponentiation(&g, &f);
	assert_true(cyl_fp12_eq(&g, &want));
	cyl_g1_dbl(&p, &p);
	cyl_g1_add(&p, &p, &cyl_g1_infinity);
	cyl_g2_add(&q, &q, &cyl_g2_infinity);
	cyl_pairing(&e, &p, &q);
	cyl_fp12_sqr(&want, &want);
	assert_true(cyl_fp12_eq(&e, &want));
}

static void test_bilinear(void **state)
{
	cyl_fp12 e, l, r;
	cyl_fr a, b, ab;
	cyl_g1 p, ap;
	cyl_g2 q, bq, aq;

	(void)state;
	cyl_pairing(&e, &cyl_g1_generator, &cyl_g2_generator);
	for (int i = 0; i < 3; i++) {
		rand_fr(&a);
		rand_fr(&b);
		cyl_fr_mul(&ab, &a, &b);
		cyl_g1_mul(&ap, &cyl_g1_generator, &a);
		cyl_g2_mul(&bq, &cyl_g2_generator, &b);
		cyl_pairing(&l, &ap, &bq);
		gt_pow_fr(&r, &e, &ab);
		assert_true(cyl_fp12_eq(&l, &r));
		assert_false(cyl_fp12_eq(&l, &e));

		/* e(aP, Q) = e(P, aQ) = e(P, Q)^a for other P, Q */
		cyl_g1_mul(&p, &cyl_g1_generator, &b);
		cyl_g2_mul(&q, &cyl_g2_generator, &ab);
		cyl_g1_mul(&ap, &p, &a);
		cyl_g2_mul(&aq, &q, &a);
		cyl_pairing(&l, &ap, &q);
		cyl_pairing(&r, &p, &aq);
		assert_true(cyl_fp12_eq(&l, &r));
		cyl_pairing(&r, &p, &q);
		gt_pow_fr(&r, &r, &a);
		assert_true(cyl_fp12_eq(&l, &r));
	}
}

static void test_degenerate(void **state)
{
	cyl_fp12 e, l, t;
	cyl_g1 np;
	cyl_g2 nq;

	(void)state;
	cyl_pairing(&e, &cyl_g1_generator, &cyl_g2_generator);
	assert_false(cyl_fp12_is_one(&e));

	/* e(P, -Q) = e(-P, Q) = e(P, Q)^-1 */
	cyl_fp12_inv(&t, &e);
	cyl_g2_neg(&nq, &cyl_g2_generator);
	cyl_pairing(&l, &cyl_g1_generator, &nq);
	assert_true(cyl_fp12_eq(&l, &t));
	assert_false(cyl_fp12_eq(&l, &e));
	cyl_g1_neg(&np, &cyl_g1_generator);
	cyl_pairing(&l, &np, &cyl_g2_generator);
	assert_true(cyl_fp12_eq(&l, &t));
	cyl_pairing(&l, &np, &nq);
	assert_true(cyl_fp12_eq(&l, &e));

	/* the point at infinity on either side */
	cyl_pairing(&l, &cyl_g1_infinity, &cyl_g2_generator);
	assert_true(cyl_fp12_is_one(&l));
	cyl_pairing(&l, &cyl_g1_generator, &cyl_g2_infinity);
	assert_true(cyl_fp12_is_one(&l));
	cyl_pairing(&l, &cyl_g1_infinity, &cyl_g2_infinity);
	assert_true(cyl_fp12_is_one(&l));
}

/* e^r = 1, written e^(r - 1) e = 1 as the exponent is an Fr value. */
static void test_in_gt(void **state)
{
	cyl_fp12 e, t;
	cyl_fr k;
	cyl_g1 p;

	(void)state;
	rand_fr(&k);
	cyl_g1_mul(&p, &cyl_g1_generator, &k);
	cyl_pairing(&e, &p, &cyl_g2_generator);
	cyl_fr_from_i64(&k, -1);
	gt_pow_fr(&t, &e, &k);
	assert_false(cyl_fp12_is_one(&t));
	cyl_fp12_mul(&t, &t, &e);
	assert_true(cyl_fp12_is_one(&t));
	/* and in the cyclotomic subgroup: e^(p^6) = e^-1 */
	cyl_fp12_frobenius(&t, &e, 6);
	cyl_fp12_mul(&t, &t, &e);
	assert_true(cyl_fp12_is_one(&t));
}

#define NMULTI	18	/* more than one round of 16 */

static void test_multi(void **state)
{
	cyl_g1 p[NMULTI];
	cyl_g2 q[NMULTI];
	cyl_g1_affine pa[NMULTI];
	cyl_g2_affine qa[NMULTI];
	cyl_fp12 e, m, prod, t;
	cyl_fr a, b, sum, ab;

	(void)state;
	cyl_pairing(&e, &cyl_g1_generator, &cyl_g2_generator);

	/* three random pairs against three single pairings */
	prod = cyl_fp12_one;
	for (int i = 0; i < 3; i++) {
		rand_fr(&a);
		rand_fr(&b);
		cyl_g1_mul(&p[i], &cyl_g1_generator, &a);
		cyl_g2_mul(&q[i], &cyl_g2_generator, &b);
		cyl_pairing(&t, &p[i], &q[i]);
		cyl_fp12_mul(&prod, &prod, &t);
	}
	cyl_pairing_multi(&m, p, q, 3);
	assert_true(cyl_fp12_eq(&m, &prod));
	cyl_pairing_multi(&m, p, q, 2);
	assert_false(cyl_fp12_eq(&m, &prod));

	/* a pair at infinity contributes 1 */
	p[3] = p[2];
	q[3] = q[2];
	p[2] = cyl_g1_infinity;
	cyl_pairing_multi(&m, p, q, 4);
	assert_true(cyl_fp12_eq(&m, &prod));
	q[2] = cyl_g2_infinity;
	cyl_pairing_multi(&m, p, q, 4);
	assert_true(cyl_fp12_eq(&m, &prod));

	/* e(aP, Q) e(-aP, Q) = 1, and the empty product */
	rand_fr(&a);
	cyl_g1_mul(&p[0], &cyl_g1_generator, &a);
	cyl_g1_neg(&p[1], &p[0]);
	q[0] = cyl_g2_generator;
	q[1] = cyl_g2_generator;
	cyl_pairing_multi(&m, p, q, 2);
	assert_true(cyl_fp12_is_one(&m));
	cyl_pairing_multi(&m, p, q, 0);
	assert_true(cyl_fp12_is_one(&m));

	/* prod e(a_i P, b_i Q) = e(P, Q)^(sum a_i b_i), over two rounds */
	sum = cyl_fr_zero;
	for (int i = 0; i < NMULTI; i++) {
		rand_fr(&a);
		rand_fr(&b);
		cyl_fr_mul(&ab, &a, &b);
		cyl_fr_add(&sum, &sum, &ab);
		cyl_g1_mul(&p[i], &cyl_g1_generator, &a);
		cyl_g2_mul(&q[i], &cyl_g2_generator, &b);
		cyl_g1_to_affine(&pa[i], &p[i]);
		cyl_g2_to_affine(&qa[i], &q[i]);
	}
	gt_pow_fr(&t, &e, &sum);
	cyl_pairing_multi(&m, p, q, NMULTI);
	assert_true(cyl_fp12_eq(&m, &t));
	cyl_miller_loop(&m, pa, qa, NMULTI);
	cyl_final_exponentiation(&m, &m);
	assert_true(cyl_fp12_eq(&m, &t));
	cyl_pairing_multi(&m, p, q, NMULTI - 1);
	assert_false(cyl_fp12_eq(&m, &t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector),
		cmocka_unit_test(test_bilinear),
		cmocka_unit_test(test_degenerate),
		cmocka_unit_test(test_in_gt),
		cmocka_unit_test(test_multi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
