// SPDX-License-Identifier: GPL-2.0
/*
 * Detector evaluation: ROC AUC and average precision on small cases
 * worked out by hand (scikit-learn's documented example, ties), perfect,
 * inverted and constant rankers, counts and F1 at a threshold, what is
 * refused, and both AUCs on larger tied data against brute force
 * straight from the definitions (every pair; every threshold).
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/evaluate.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static void assert_close(double got, double want)
{
	if (fabs(got - want) > 1e-12)
		fail_msg("got %.17g, want %.17g", got, want);
}

static struct cyl_eval eval(const double *s, const int *l, size_t n, double threshold)
{
	struct cyl_eval e;

	assert_int_equal(cyl_evaluate(s, l, n, threshold, &e), 0);
	return e;
}

/* scikit-learn's example for roc_auc_score and average_precision_score. */
static void test_eval_sklearn_example(void **state)
{
	static const double s[] = { 0.1, 0.4, 0.35, 0.8 };
	static const int l[] = { 0, 0, 1, 1 };
	struct cyl_eval e = eval(s, l, N(s), 0.5);

	/* Pairs (pos, neg): 0.35 beats 0.1 only, 0.8 beats both: 3 of 4. */
	assert_close(e.roc_auc, 0.75);
	/* Thresholds 0.8: P 1, R 1/2; 0.35: P 2/3, R 1. 1/2 + 1/2 * 2/3. */
	assert_close(e.pr_auc, 5.0 / 6);
}

/*
 * Ties: scores 3 (neg), 2 (pos, neg), 1 (pos, neg).  Pairs: the positive
 * at 1 ties one negative (1/2); at 2, beats one, ties one (3/2): 2 of 6.
 * Thresholds 3: R 0; 2: P 1/3, R 1/2; 1: P 2/5, R 1.  Split ties apart
 * (either way round) and both numbers change.
 */
static void test_eval_ties_grouped(void **state)
{
	static const double s[] = { 1, 1, 2, 2, 3 };
	static const int l[] = { 1, 0, 0, 1, 0 };
	static const double s2[] = { 0.5, 0.5, 0.5, 0.9 };
	static const int l2[] = { 0, 1, 1, 0 };
	struct cyl_eval e = eval(s, l, N(s), 0);

	assert_close(e.roc_auc, 2.0 / 6);
	assert_close(e.pr_auc, 0.5 / 3 + 0.5 * 0.4);

	/* Two positives tied with a negative under a higher negative. */
	e = eval(s2, l2, N(s2), 0);
	assert_close(e.roc_auc, 0.25);
	assert_close(e.pr_auc, 0.5);
}

static void test_eval_perfect_inverted_constant(void **state)
{
	static const double s[] = { 0.1, 0.2, 0.8, 0.9, 0.95 };
	static const int perfect[] = { 0, 0, 1, 1, 1 };
	static const int inverted[] = { 1, 1, 0, 0, 0 };
	static const double flat[] = { 3, 3, 3, 3, 3 };
	struct cyl_eval e;

	e = eval(s, perfect, N(s), 0.5);
	assert_close(e.roc_auc, 1);
	assert_close(e.pr_auc, 1);
	e = eval(s, inverted, N(s), 0.5);
	assert_close(e.roc_auc, 0);
	/* The positives come last: at 0.2, P 1/4, R 1/2; at 0.1, P 2/5, R 1. */
	assert_close(e.pr_auc, 0.5 / 4 + 0.5 * 0.4);
	/* One threshold for all: AUC one half, AP the share of positives. */
	e = eval(flat, perfect, N(flat), 0);
	assert_close(e.roc_auc, 0.5);
	assert_close(e.pr_auc, 0.6);
}

static void test_eval_threshold_counts(void **state)
{
	static const double s[] = { 0.1, 0.4, 0.35, 0.8 };
	static const int l[] = { 0, 0, 1, 1 };
	struct cyl_eval e;

	/* Above the threshold, not at it: 0.35 is not flagged. */
	e = eval(s, l, N(s), 0.35);
	assert_int_equal(e.tp, 1);
	assert_int_equal(e.fp, 1);
	assert_int_equal(e.tn, 1);
	assert_int_equal(e.fn, 1);
	assert_close(e.precision, 0.5);
	assert_close(e.recall, 0.5);
	assert_close(e.f1, 0.5);

	e = eval(s, l, N(s), 0.3);
	assert_int_equal(e.tp, 2);
	assert_int_equal(e.fp, 1);
	assert_int_equal(e.tn, 1);
	assert_int_equal(e.fn, 0);
	assert_close(e.precision, 2.0 / 3);
	assert_close(e.recall, 1);
	assert_close(e.f1, 0.8);

	/* Nothing flagged: precision 0 (not 0/0), recall and F1 0. */
	e = eval(s, l, N(s), 0.8);
	assert_int_equal(e.tp + e.fp, 0);
	assert_int_equal(e.tn, 2);
	assert_int_equal(e.fn, 2);
	assert_close(e.precision, 0);
	assert_close(e.recall, 0);
	assert_close(e.f1, 0);
	/* The AUCs do not depend on the threshold. */
	assert_close(e.roc_auc, 0.75);

	/* Everything flagged. */
	e = eval(s, l, N(s), -INFINITY);
	assert_int_equal(e.tp, 2);
	assert_int_equal(e.fp, 2);
	assert_close(e.f1, 2 * 0.5 * 1 / 1.5);
}

static void test_eval_refusals(void **state)
{
	static const double s[] = { 0.1, 0.4, 0.35, 0.8 };
	static const double with_nan[] = { 0.1, NAN, 0.35, 0.8 };
	static const int zeros[] = { 0, 0, 0, 0 }, ones[] = { 1, 1, 1, 1 };
	static const int two[] = { 0, 2, 1, 1 }, l[] = { 0, 0, 1, 1 };
	struct cyl_eval e;

	assert_int_equal(cyl_evaluate(s, zeros, N(s), 0.5, &e), -EINVAL);
	assert_int_equal(cyl_evaluate(s, ones, N(s), 0.5, &e), -EINVAL);
	assert_int_equal(cyl_evaluate(s, l, 0, 0.5, &e), -EINVAL);
	assert_int_equal(cyl_evaluate(s, two, N(s), 0.5, &e), -EINVAL);
	assert_int_equal(cyl_evaluate(with_nan, l, N(s), 0.5, &e), -EINVAL);
	assert_int_equal(cyl_evaluate(s, l, 1, 0.5, &e), -EINVAL);
	assert_int_equal(cyl_evaluate(s, l, 3, 0.5, &e), 0);
}

/* --- against the definitions, on ties and many rows --- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return rng >> 33;
}

/* P(score(pos) > score(neg)) + P(=) / 2 over every pair. */
static double brute_roc(const double *s, const int *l, size_t n)
{
	double u = 0, pairs = 0;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (l[i] && !l[j]) {
				pairs++;
				u += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
			}
	return u / pairs;
}

static int cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y) - (x > y);
}

/* Sum over each distinct score t, highest first, of (R(t) - R(prev)) P(t). */
static double brute_ap(const double *s, const int *l, size_t n)
{
	double *t = malloc(n * sizeof(*t)), ap = 0, r_prev = 0, pos = 0;
	size_t i, k, tp, fp;

	assert_non_null(t);
	memcpy(t, s, n * sizeof(*t));
	qsort(t, n, sizeof(*t), cmp_desc);
	for (i = 0; i < n; i++)
		pos += l[i];
	for (k = 0; k < n; k++) {
		if (k && t[k] == t[k - 1])
			continue;
		tp = fp = 0;
		for (i = 0; i < n; i++)
			if (s[i] >= t[k]) {
				tp += l[i];
				fp += !l[i];
			}
		ap += (tp / pos - r_prev) * ((double)tp / (tp + fp));
		r_prev = tp / pos;
	}
	free(t);
	return ap;
}

static void test_eval_against_brute_force(void **state)
{
	const size_t n = 3000;
	double *s = malloc(n * sizeof(*s)), *neg = malloc(n * sizeof(*neg));
	int *l = malloc(n * sizeof(*l));
	struct cyl_eval e, e2;
	size_t i, round;

	assert_true(s && neg && l);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < n; i++) {
			/* Rare positives that score higher, on a coarse grid: many ties. */
			l[i] = next() % 10 < 1 + round;
			s[i] = next() % (20 + 200 * round);
			if (l[i])
				s[i] += next() % (15 + 150 * round);
			neg[i] = -s[i];
		}
		e = eval(s, l, n, 10);
		assert_close(e.roc_auc, brute_roc(s, l, n));
		assert_close(e.pr_auc, brute_ap(s, l, n));
		assert_true(e.roc_auc > 0.55 && e.roc_auc < 1);
		/* Turned round, the ROC AUC is its complement. */
		e2 = eval(neg, l, n, 0);
		assert_close(e2.roc_auc, 1 - e.roc_auc);
		assert_close(e2.pr_auc, brute_ap(neg, l, n));
		assert_int_equal(e.tp + e.fp + e.tn + e.fn, n);
	}
	free(s);
	free(neg);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eval_sklearn_example),
		cmocka_unit_test(test_eval_ties_grouped),
		cmocka_unit_test(test_eval_perfect_inverted_constant),
		cmocka_unit_test(test_eval_threshold_counts),
		cmocka_unit_test(test_eval_refusals),
		cmocka_unit_test(test_eval_against_brute_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
