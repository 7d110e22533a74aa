// SPDX-License-Identifier: GPL-2.0
/*
 * Monotone span programs from CP-ABE policies, against the definition:
 * the matrices of small policies written out by hand (abe/msp.h's
 * construction); for random policies and every attribute subset,
 * reconstruction succeeds exactly when the policy is satisfied, its
 * coefficients combine the rows to (1, 0, ..., 0) and the shares to the
 * secret, and (by the test's own Gaussian elimination) (1, 0, ..., 0) is
 * in the span of a subset's rows exactly when it satisfies the policy.
 * The and-gate flaw (a child that alone holds the secret) is checked
 * for, and the checker shown to catch a matrix that has it.  Limits:
 * 256 rows, deep nesting, trees the parser would not make.
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

#include "abe/msp.h"

/* --- the test's own tools: a PRNG, Fr helpers, rank --- */

static uint64_t prng = 0x5eed0f5ec7e75ULL;

static uint64_t rnd(void)
{
	uint64_t z = prng += 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rnd_fr(cyl_fr *r)
{
	uint8_t b[64];
	size_t i;

	for (i = 0; i < sizeof(b); i++)
		b[i] = rnd();
	cyl_fr_from_bytes_wide(r, b);
}

static void assert_fr_equal(const cyl_fr *a, const cyl_fr *b)
{
	uint8_t x[CYL_FR_BYTES], y[CYL_FR_BYTES];

	cyl_fr_to_bytes(x, a);
	cyl_fr_to_bytes(y, b);
	assert_memory_equal(x, y, CYL_FR_BYTES);
}

static bool fr_is(const cyl_fr *a, int64_t v)
{
	cyl_fr t;

	cyl_fr_from_i64(&t, v);
	return cyl_fr_eq(a, &t);
}

/* Rank of the @n rows (of @cols entries) at @rows[], destroying them. */
static size_t rank(cyl_fr *rows, size_t n, size_t cols)
{
	size_t r = 0, c, i, j;
	cyl_fr inv, f, t;

	for (c = 0; c < cols && r < n; c++) {
		for (i = r; i < n && cyl_fr_is_zero(&rows[i * cols + c]); i++)
			;
		if (i == n)
			continue;
		for (j = 0; j < cols; j++) {
			t = rows[i * cols + j];
			rows[i * cols + j] = rows[r * cols + j];
			rows[r * cols + j] = t;
		}
		cyl_fr_inv(&inv, &rows[r * cols + c]);
		for (i = r + 1; i < n; i++) {
			if (cyl_fr_is_zero(&rows[i * cols + c]))
				continue;
			cyl_fr_mul(&f, &rows[i * cols + c], &inv);
			for (j = c; j < cols; j++) {
				cyl_fr_mul(&t, &f, &rows[r * cols + j]);
				cyl_fr_sub(&rows[i * cols + j], &rows[i * cols + j], &t);
			}
		}
		r++;
	}
	return r;
}

/*
 * Is (1, 0, ..., 0) in the span of the rows of @m (@n_rows x @cols)
 * selected by the bit mask @sel?  rank(M_S) == rank(M_S + target).
 */
static bool target_in_span(const cyl_fr *m, size_t n_rows, size_t cols, uint64_t sel)
{
	cyl_fr *a = calloc((n_rows + 1) * cols, sizeof(*a));
	cyl_fr *b = calloc((n_rows + 1) * cols, sizeof(*b));
	size_t n = 0, i, ra, rb;

	assert_non_null(a);
	assert_non_null(b);
	for (i = 0; i < n_rows; i++) {
		if (sel >> i & 1) {
			memcpy(a + n * cols, m + i * cols, cols * sizeof(*a));
			n++;
		}
	}
	memcpy(b, a, n * cols * sizeof(*a));
	b[n * cols] = cyl_fr_one;
	ra = rank(a, n, cols);
	rb = rank(b, n + 1, cols);
	free(a);
	free(b);
	assert_true(rb == ra || rb == ra + 1);
	return ra == rb;
}

static struct cyl_abe_policy *parse(const char *text)
{
	struct cyl_abe_policy *p;
	char err[256];

	if (cyl_abe_policy_parse(text, &p, err, sizeof(err)))
		fail_msg("%s: %s", text, err);
	return p;
}

static struct cyl_abe_msp *msp_of(const struct cyl_abe_policy *p)
{
	struct cyl_abe_msp *msp;
	size_t i;

	assert_int_equal(cyl_abe_msp_from_policy(p, &msp), 0);
	assert_int_equal(msp->rows, p->n_leaves);
	assert_true(msp->cols >= 1 && msp->cols <= msp->rows);
	for (i = 0; i < msp->rows; i++)
		assert_string_equal(msp->rho[i], p->leaves[i]);
	return msp;
}

/*
 * Reconstruct for @attrs; on success check the coefficients against the
 * definition and a sharing of a random secret.  Returns the result.
 */
static int check_reconstruct(const struct cyl_abe_msp *msp,
			     const char *const *attrs, size_t n)
{
	cyl_fr *w = calloc(msp->rows, sizeof(*w));
	cyl_fr *v = calloc(msp->cols, sizeof(*v));
	cyl_fr *lambda = calloc(msp->rows, sizeof(*lambda));
	cyl_fr sum, t;
	size_t i, j, a;
	bool have;
	int rc;

	assert_non_null(w);
	assert_non_null(v);
	assert_non_null(lambda);
	/* Garbage in w: reconstruct sets every entry. */
	for (i = 0; i < msp->rows; i++)
		rnd_fr(&w[i]);
	rc = cyl_abe_msp_reconstruct(msp, attrs, n, w);
	assert_true(rc == 0 || rc == -ENOENT);
	for (i = 0; i < msp->rows; i++) {
		for (a = 0, have = false; a < n; a++)
			have |= !strcmp(attrs[a], msp->rho[i]);
		if (!have || rc)
			assert_true(cyl_fr_is_zero(&w[i]));
	}
	if (!rc) {
		/* sum_i w_i M_i = (1, 0, ..., 0) */
		for (j = 0; j < msp->cols; j++) {
			sum = cyl_fr_zero;
			for (i = 0; i < msp->rows; i++) {
				cyl_fr_mul(&t, &w[i], &msp->m[i * msp->cols + j]);
				cyl_fr_add(&sum, &sum, &t);
			}
			assert_fr_equal(&sum, j ? &cyl_fr_zero : &cyl_fr_one);
		}
		/* sum_i w_i lambda_i = s for v = (s, random...) */
		for (j = 0; j < msp->cols; j++)
			rnd_fr(&v[j]);
		cyl_abe_msp_shares(msp, v, lambda);
		sum = cyl_fr_zero;
		for (i = 0; i < msp->rows; i++) {
			cyl_fr_mul(&t, &w[i], &lambda[i]);
			cyl_fr_add(&sum, &sum, &t);
		}
		assert_fr_equal(&sum, &v[0]);
	}
	free(w);
	free(v);
	free(lambda);
	return rc;
}

/* --- the construction, by hand --- */

/* @text's matrix is @want (row-major, @rows x @cols). */
static void assert_matrix(const char *text, size_t rows, size_t cols, const int *want)
{
	struct cyl_abe_policy *p = parse(text);
	struct cyl_abe_msp *msp = msp_of(p);
	size_t i;

	assert_int_equal(msp->rows, rows);
	assert_int_equal(msp->cols, cols);
	for (i = 0; i < rows * cols; i++) {
		if (!fr_is(&msp->m[i], want[i]))
			fail_msg("%s: M[%zu][%zu] is not %d", text, i / cols, i % cols, want[i]);
	}
	cyl_abe_msp_free(msp);
	cyl_abe_policy_free(p);
}

static void test_construction(void **state)
{
	assert_matrix("a:1", 1, 1, (const int[]){ 1 });
	assert_matrix("a:1 or b:2", 2, 1, (const int[]){ 1, 1 });
	/* Lewko-Waters' and: (v || 1), (0 || -1). */
	assert_matrix("a:1 and b:2", 2, 2, (const int[]){ 1, 1, 0, -1 });
	assert_matrix("a:1 and b:2 and c:3", 3, 3, (const int[]){
		1, 1, 0,
		0, -1, 1,
		0, 0, -1 });
	/* k of n: v || (i, ..., i^(k-1)). */
	assert_matrix("2 of (a:1, b:2, c:3)", 3, 2, (const int[]){ 1, 1, 1, 2, 1, 3 });
	assert_matrix("3 of (a:1, b:2, c:3, d:4)", 4, 3, (const int[]){
		1, 1, 1,
		1, 2, 4,
		1, 3, 9,
		1, 4, 16 });
	/* Children extend their parent's vector, padded with zeros. */
	assert_matrix("(a:1 or b:2) and c:3", 3, 2, (const int[]){ 1, 1, 1, 1, 0, -1 });
	assert_matrix("a:1 and (b:2 or c:3 and d:4)", 4, 3, (const int[]){
		1, 1, 0,
		0, -1, 0,
		0, -1, 1,
		0, 0, -1 });
	/* Gates take their columns in preorder. */
	assert_matrix("(a:1 and b:2) or (c:3 and d:4)", 4, 3, (const int[]){
		1, 1, 0,
		0, -1, 0,
		1, 0, 1,
		0, 0, -1 });
	assert_matrix("2 of (a:1, b:2 and c:3, d:4)", 4, 3, (const int[]){
		1, 1, 0,
		1, 2, 1,
		0, 0, -1,
		1, 3, 0 });
}

/* --- random policies against the definition --- */

#define U	5

static const char *const universe[U] = {
	"role:nurse", "ward:ICU", "shift:night", "dept:cardio", "id:x.y@z/w",
};

struct gen {
	char text[4096];
	size_t len;
	unsigned int leaves;
	bool threshold;		/* has a real threshold */
};

static void out(struct gen *g, const char *s)
{
	size_t len = strlen(s);

	assert_true(g->len + len < sizeof(g->text));
	memcpy(g->text + g->len, s, len + 1);
	g->len += len;
}

/* A random formula in canonical-enough form: every gate in parentheses. */
static void gen_expr(struct gen *g, unsigned int depth)
{
	unsigned int n, k, i;
	char num[16];

	if (!depth || g->leaves >= 12 || rnd() % 3 == 0) {
		out(g, universe[rnd() % U]);
		g->leaves++;
		return;
	}
	n = 2 + rnd() % 3;
	k = 1 + rnd() % n;
	g->threshold |= k > 1 && k < n;
	snprintf(num, sizeof(num), "%u of (", k);
	out(g, num);
	for (i = 0; i < n; i++) {
		if (i)
			out(g, ", ");
		gen_expr(g, depth - 1);
	}
	out(g, ")");
}

static void test_random(void **state)
{
	const char *set[U];
	struct cyl_abe_policy *p;
	struct cyl_abe_msp *msp;
	unsigned int round, s, i, n, succeeded = 0;
	uint64_t sel;
	bool sat;
	int rc;

	for (round = 0; round < 300; round++) {
		struct gen g = { .len = 0 };

		gen_expr(&g, 4);
		p = parse(g.text);
		msp = msp_of(p);
		for (s = 0; s < 1u << U; s++) {
			for (i = n = 0; i < U; i++) {
				if (s >> i & 1)
					set[n++] = universe[i];
			}
			sat = cyl_abe_policy_satisfied(p, set, n);
			rc = check_reconstruct(msp, set, n);
			if (rc != (sat ? 0 : -ENOENT))
				fail_msg("%s with subset %#x: %d", g.text, s, rc);
			succeeded += !rc;
			/* The definition: the target in the span of S's rows. */
			for (i = 0, sel = 0; i < msp->rows; i++) {
				for (n = 0; n < U; n++) {
					if (s >> n & 1 && !strcmp(msp->rho[i], universe[n]))
						sel |= 1ULL << i;
				}
			}
			if (target_in_span(msp->m, msp->rows, msp->cols, sel) != sat)
				fail_msg("%s: span of subset %#x", g.text, s);
		}
		cyl_abe_msp_free(msp);
		cyl_abe_policy_free(p);
	}
	/* Not vacuous: many subsets satisfied, many did not. */
	assert_true(succeeded > 300 * 32 / 8 && succeeded < 300 * 32 * 7 / 8);
}

/* And/or policies reconstruct with coefficients 0 and 1 only. */
static void test_unit_coefficients(void **state)
{
	const char *set[U] = { universe[0], universe[1], universe[2], universe[3],
			       universe[4] };
	struct cyl_abe_policy *p;
	struct cyl_abe_msp *msp;
	unsigned int round, s, i, n;
	cyl_fr w[64];

	for (round = 0; round < 200; round++) {
		struct gen g = { .len = 0 };

		gen_expr(&g, 4);
		if (g.threshold)
			continue;
		p = parse(g.text);
		msp = msp_of(p);
		for (s = 0; s < 1u << U; s++) {
			for (i = n = 0; i < U; i++) {
				if (s >> i & 1)
					set[n++] = universe[i];
			}
			if (cyl_abe_msp_reconstruct(msp, set, n, w))
				continue;
			for (i = 0; i < msp->rows; i++)
				assert_true(cyl_fr_is_zero(&w[i]) || fr_is(&w[i], 1));
		}
		cyl_abe_msp_free(msp);
		cyl_abe_policy_free(p);
	}
}

/* --- the and-gate flaw --- */

/*
 * Flaws of an MSP over distinct attributes (row i has attribute i):
 * a row whose share is the secret, or a set of rows that does not
 * satisfy the policy (by @sat) but spans the target.  Returns how many.
 */
static unsigned int flaws(const cyl_fr *m, size_t rows, size_t cols,
			  bool (*sat)(uint64_t sel, const void *arg), const void *arg)
{
	cyl_fr v[16], lambda, t;
	unsigned int bad = 0, round;
	size_t i, j;
	uint64_t sel;

	for (round = 0; round < 8; round++) {
		for (j = 0; j < cols; j++)
			rnd_fr(&v[j]);
		for (i = 0; i < rows; i++) {
			lambda = cyl_fr_zero;
			for (j = 0; j < cols; j++) {
				cyl_fr_mul(&t, &m[i * cols + j], &v[j]);
				cyl_fr_add(&lambda, &lambda, &t);
			}
			bad += cyl_fr_eq(&lambda, &v[0]);
		}
	}
	for (sel = 0; sel < 1ULL << rows; sel++)
		bad += !sat(sel, arg) && target_in_span(m, rows, cols, sel);
	return bad;
}

static bool policy_sat(uint64_t sel, const void *arg)
{
	const struct cyl_abe_policy *p = arg;
	const char *set[16];
	size_t i, n = 0;

	for (i = 0; i < p->n_leaves; i++) {
		if (sel >> i & 1)
			set[n++] = p->leaves[i];
	}
	return cyl_abe_policy_satisfied(p, set, n);
}

static bool both(uint64_t sel, const void *arg)
{
	return sel == 3;
}

static void test_and_flaw(void **state)
{
	static const char *const policies[] = {
		"a:1 and b:2",
		"2 of (a:1, b:2, c:3)",
		"a:1 and (b:2 and c:3)",
		"a:1 and b:2 and c:3 and d:4",
		"(a:1 and b:2) or (c:3 and d:4)",
		"a:1 and (b:2 or c:3 and d:4)",
		"2 of (a:1 and b:2, c:3 and d:4, e:5)",
		"a:1 and 2 of (b:2, c:3 and d:4, e:5)",
		"3 of (a:1, b:2, c:3, d:4 and e:5, f:6)",
	};
	/* A flawed and: the first child gets (1, 0), the whole secret. */
	static const int64_t flawed[] = { 1, 0, 1, 1 };
	struct cyl_abe_policy *p;
	struct cyl_abe_msp *msp;
	cyl_fr m[4];
	size_t i;

	for (i = 0; i < 4; i++)
		cyl_fr_from_i64(&m[i], flawed[i]);
	assert_true(flaws(m, 2, 2, both, NULL) > 0);
	for (i = 0; i < sizeof(policies) / sizeof(*policies); i++) {
		p = parse(policies[i]);
		msp = msp_of(p);
		if (flaws(msp->m, msp->rows, msp->cols, policy_sat, p))
			fail_msg("%s: the secret leaks", policies[i]);
		cyl_abe_msp_free(msp);
		cyl_abe_policy_free(p);
	}
}

/* --- attributes, limits, bad trees --- */

static void test_attributes(void **state)
{
	const char *a[] = { "a:1" }, *ba[] = { "x:9", "b:2", "a:1", "B:2" };
	const char *upper[] = { "A:1", "B:2" };
	struct cyl_abe_policy *p;
	struct cyl_abe_msp *msp;

	/* A repeated attribute labels several rows. */
	p = parse("a:1 and (a:1 or b:2)");
	msp = msp_of(p);
	assert_int_equal(check_reconstruct(msp, a, 1), 0);
	assert_int_equal(check_reconstruct(msp, ba + 1, 1), -ENOENT);
	/* Extra attributes and their order do not matter; case does. */
	assert_int_equal(check_reconstruct(msp, ba, 4), 0);
	assert_int_equal(check_reconstruct(msp, upper, 2), -ENOENT);
	assert_int_equal(check_reconstruct(msp, NULL, 0), -ENOENT);
	cyl_abe_msp_free(msp);
	cyl_abe_policy_free(p);
}

static void test_large(void **state)
{
	const char *set[CYL_ABE_POLICY_LEAVES_MAX];
	char name[CYL_ABE_POLICY_LEAVES_MAX][16];
	char *text = malloc(CYL_ABE_POLICY_TEXT_MAX);
	struct cyl_abe_policy *p;
	struct cyl_abe_msp *msp;
	cyl_fr w[CYL_ABE_POLICY_LEAVES_MAX];
	size_t len, i;

	assert_non_null(text);
	for (i = 0; i < CYL_ABE_POLICY_LEAVES_MAX; i++) {
		snprintf(name[i], sizeof(name[i]), "x%zu:y", i);
		set[i] = name[i];
	}
	/* 128 of 256: Lagrange over 128 points. */
	len = sprintf(text, "128 of (");
	for (i = 0; i < CYL_ABE_POLICY_LEAVES_MAX; i++)
		len += sprintf(text + len, "%s%s", i ? ", " : "", name[i]);
	sprintf(text + len, ")");
	p = parse(text);
	msp = msp_of(p);
	assert_int_equal(msp->rows, 256);
	assert_int_equal(msp->cols, 128);
	/* The last 128 rows, given in reverse. */
	for (i = 0; i < 128; i++)
		set[i] = name[255 - i];
	assert_int_equal(check_reconstruct(msp, set, 128), 0);
	assert_int_equal(check_reconstruct(msp, set, 127), -ENOENT);
	assert_int_equal(cyl_abe_msp_reconstruct(msp, set, 128, w), 0);
	for (i = 0; i < 128; i++)
		assert_true(cyl_fr_is_zero(&w[i]));
	cyl_abe_msp_free(msp);
	cyl_abe_policy_free(p);

	/* An and of 256: 256 columns, every coefficient 1. */
	for (i = 0; i < CYL_ABE_POLICY_LEAVES_MAX; i++)
		set[i] = name[i];
	len = 0;
	for (i = 0; i < CYL_ABE_POLICY_LEAVES_MAX; i++)
		len += sprintf(text + len, "%s%s", i ? " and " : "", name[i]);
	p = parse(text);
	msp = msp_of(p);
	assert_int_equal(msp->cols, 256);
	assert_int_equal(check_reconstruct(msp, set, 256), 0);
	assert_int_equal(check_reconstruct(msp, set + 1, 255), -ENOENT);
	assert_int_equal(cyl_abe_msp_reconstruct(msp, set, 256, w), 0);
	for (i = 0; i < 256; i++)
		assert_true(fr_is(&w[i], 1));
	cyl_abe_msp_free(msp);
	cyl_abe_policy_free(p);

	/* As deep as the parser goes: x0 and (x1 or (x2 and (...))). */
	len = 0;
	for (i = 0; i < CYL_ABE_POLICY_DEPTH_MAX; i++)
		len += sprintf(text + len, "%s %s (", name[i], i & 1 ? "or" : "and");
	len += sprintf(text + len, "%s", name[i]);
	for (i = 0; i < CYL_ABE_POLICY_DEPTH_MAX; i++)
		len += sprintf(text + len, ")");
	p = parse(text);
	msp = msp_of(p);
	/* x0, x1 satisfy it; x0, x2, x3 (the or's other branch) do too. */
	assert_int_equal(check_reconstruct(msp, set, 2), 0);
	assert_int_equal(check_reconstruct(msp, set + 1, 2), -ENOENT);
	set[1] = name[3];
	assert_int_equal(check_reconstruct(msp, set, 2), -ENOENT);
	set[2] = name[2];
	assert_int_equal(check_reconstruct(msp, set, 3), 0);
	cyl_abe_msp_free(msp);
	cyl_abe_policy_free(p);
	free(text);
}

static void test_bad_trees(void **state)
{
	struct cyl_abe_policy_node leaves[CYL_ABE_POLICY_LEAVES_MAX + 1];
	struct cyl_abe_policy_node *kids[CYL_ABE_POLICY_LEAVES_MAX + 1];
	struct cyl_abe_policy_node gate = { .k = 1, .n = 2, .child = kids };
	struct cyl_abe_policy policy = { .root = &gate };
	struct cyl_abe_msp *msp = (void *)1;
	size_t i;

	for (i = 0; i <= CYL_ABE_POLICY_LEAVES_MAX; i++) {
		leaves[i] = (struct cyl_abe_policy_node){ .attr = "a:1", .leaf = i };
		kids[i] = &leaves[i];
	}
	assert_int_equal(cyl_abe_msp_from_policy(&policy, &msp), 0);
	assert_int_equal(msp->rows, 2);
	cyl_abe_msp_free(msp);
	gate.k = 3;
	assert_int_equal(cyl_abe_msp_from_policy(&policy, &msp), -EINVAL);
	assert_null(msp);
	gate.k = 0;
	assert_int_equal(cyl_abe_msp_from_policy(&policy, &msp), -EINVAL);
	gate.k = 1;
	gate.n = 1;
	assert_int_equal(cyl_abe_msp_from_policy(&policy, &msp), -EINVAL);
	gate.n = CYL_ABE_POLICY_LEAVES_MAX;
	assert_int_equal(cyl_abe_msp_from_policy(&policy, &msp), 0);
	cyl_abe_msp_free(msp);
	gate.n = CYL_ABE_POLICY_LEAVES_MAX + 1;
	assert_int_equal(cyl_abe_msp_from_policy(&policy, &msp), -EINVAL);
	gate.n = 2;
	leaves[1].attr = NULL;
	assert_int_equal(cyl_abe_msp_from_policy(&policy, &msp), -EINVAL);
	kids[1] = NULL;
	assert_int_equal(cyl_abe_msp_from_policy(&policy, &msp), -EINVAL);
	policy.root = NULL;
	assert_int_equal(cyl_abe_msp_from_policy(&policy, &msp), -EINVAL);
	cyl_abe_msp_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_construction),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_unit_coefficients),
		cmocka_unit_test(test_and_flaw),
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_bad_trees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
