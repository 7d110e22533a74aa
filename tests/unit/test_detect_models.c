// SPDX-License-Identifier: GPL-2.0
/*
 * The anomaly models (detect/model.h) on synthetic data: a baseline of
 * 2000 rows from three Gaussian clusters in 8 dimensions, test rows of
 * which 5% are planted anomalies (a feature shifted far off, points in
 * the empty space between and around the clusters).  Checks each model's
 * ROC AUC (the test's own Mann-Whitney count), determinism for a seed,
 * the threshold against the budget, explanations naming a shifted
 * feature, half-space trees' window roll, the model file (round trips
 * bit for bit, every flipped bit and every truncation refused, and
 * checksummed files with bad contents refused for their reason), and
 * training refusals (non-finite data, bad parameters).
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "detect/model.h"
#include "util/le.h"

#define COLS		8
#define BASE_ROWS	2000
#define TEST_ROWS	100
#define ANOMALIES	5
#define NKINDS		4

static const double centre[3][COLS] = {
	{ 2, 2, 0, -1, 3, 0, 1, -2 },
	{ -2, -1, 2, 1, -3, 1, -1, 2 },
	{ 0, -3, -2, 3, 0, -2, 3, 0 },
};
static const double spread[3] = { 0.5, 0.7, 0.4 };

/* --- the test's own random numbers (splitmix64, Box-Muller) --- */

static uint64_t rnd_state;

static uint64_t rnd(void)
{
	uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double unif(void)
{
	return (double)(rnd() >> 11) * 0x1p-53;
}

static double gauss(void)
{
	return sqrt(-2 * log(1 - unif())) * cos(2 * M_PI * unif());
}

static void normal_row(double *row)
{
	int c = (int)(rnd() % 3), j;

	for (j = 0; j < COLS; j++)
		row[j] = centre[c][j] + spread[c] * gauss();
}

/* A point at least 6 spreads from every centre, in [-7, 7]^8. */
static void empty_row(double *row)
{
	double d;
	int c, j, near;

	do {
		for (j = 0; j < COLS; j++)
			row[j] = -7 + 14 * unif();
		for (c = 0, near = 0; c < 3; c++) {
			for (j = 0, d = 0; j < COLS; j++)
				d += (row[j] - centre[c][j]) * (row[j] - centre[c][j]);
			near |= sqrt(d) < 6 * spread[c];
		}
	} while (near);
}

static struct cyl_dataset base, test;
static int label[TEST_ROWS];

static void make_data(struct cyl_dataset *d, size_t rows, uint64_t seed)
{
	size_t i;

	rnd_state = seed;
	d->rows = rows;
	d->cols = COLS;
	d->x = malloc(rows * COLS * sizeof(double));
	assert_non_null(d->x);
	for (i = 0; i < rows; i++)
		normal_row(d->x + i * COLS);
}

static int setup(void **state)
{
	size_t i;
	double *row;

	make_data(&base, BASE_ROWS, 1);
	make_data(&test, TEST_ROWS, 2);
	/* anomalies at rows 7, 27, 47, 67, 87 */
	for (i = 0; i < ANOMALIES; i++) {
		row = test.x + (20 * i + 7) * COLS;
		label[20 * i + 7] = 1;
		if (i < 2)
			row[3 + i] += i ? -6 : 6;	/* one feature far off */
		else
			empty_row(row);
	}
	return 0;
}

static int teardown(void **state)
{
	free(base.x);
	free(test.x);
	return 0;
}

/* Mann-Whitney: the share of (anomaly, normal) pairs ranked right, ties half. */
static double auc(const double *s, const int *lab, size_t n)
{
	double good = 0, pairs = 0;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (!lab[i])
			continue;
		for (j = 0; j < n; j++) {
			if (lab[j])
				continue;
			pairs++;
			good += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
		}
	}
	return good / pairs;
}

static struct cyl_model *train(enum cyl_model_kind kind, uint64_t seed,
			       const struct cyl_dataset *d)
{
	struct cyl_model_params p = { .kind = kind, .seed = seed };
	struct cyl_model *m = NULL;
	char err[256] = "";

	if (cyl_model_train(&m, &p, d, err, sizeof(err)))
		fail_msg("training %s: %s", cyl_model_kind_name(kind), err);
	return m;
}

/* Small models for the file tests: every byte of them gets flipped. */
static struct cyl_model *train_small(enum cyl_model_kind kind, uint64_t seed)
{
	struct cyl_model_params p = {
		.kind = kind, .seed = seed, .trees = 4, .sample = 16, .depth = 3, .window = 10,
	};
	struct cyl_dataset d = { .rows = 64, .cols = 3 };
	struct cyl_model *m = NULL;
	char err[256] = "";
	double x[64 * 3];
	size_t i;

	rnd_state = seed;
	for (i = 0; i < 64 * 3; i++)
		x[i] = gauss() * (1 + i % 3);
	d.x = x;
	if (cyl_model_train(&m, &p, &d, err, sizeof(err)))
		fail_msg("training %s: %s", cyl_model_kind_name(kind), err);
	return m;
}

static double *scores(const struct cyl_model *m, const struct cyl_dataset *d)
{
	double *s = malloc(d->rows * sizeof(*s));

	assert_non_null(s);
	cyl_model_score_rows(m, d->x, d->rows, s);
	return s;
}

static void test_kind_names(void **state)
{
	static const char *const names[NKINDS] = { "iforest", "hst", "robust", "ensemble" };
	int k;

	for (k = 0; k < NKINDS; k++) {
		assert_string_equal(cyl_model_kind_name(k), names[k]);
		assert_int_equal(cyl_model_kind_parse(names[k]), k);
	}
	assert_int_equal(cyl_model_kind_parse("forest"), -1);
	assert_int_equal(cyl_model_kind_parse(""), -1);
	assert_null(cyl_model_kind_name(NKINDS));
}

static void test_auc(void **state)
{
	static const double want[NKINDS] = { 0.9, 0.8, 0.9, 0.9 };
	struct cyl_model *m;
	double *s, a;
	int k;

	for (k = 0; k < NKINDS; k++) {
		m = train(k, 42, &base);
		assert_int_equal(cyl_model_kind(m), k);
		assert_int_equal(cyl_model_cols(m), COLS);
		s = scores(m, &test);
		a = auc(s, label, TEST_ROWS);
		print_message("%-8s ROC AUC %.4f (threshold %g)\n", cyl_model_kind_name(k), a,
			      cyl_model_threshold(m));
		if (!(a > want[k]))
			fail_msg("%s: AUC %.4f, want > %.2f", cyl_model_kind_name(k), a, want[k]);
		free(s);
		cyl_model_free(m);
	}
}

/* One row at a time scores as many rows at once, bit for bit. */
static void test_score_one(void **state)
{
	struct cyl_model *m;
	double *s, one;
	size_t i;
	int k;

	for (k = 0; k < NKINDS; k++) {
		m = train(k, 3, &base);
		s = scores(m, &test);
		for (i = 0; i < TEST_ROWS; i++) {
			one = cyl_model_score(m, test.x + i * COLS);
			assert_memory_equal(&one, &s[i], sizeof(one));
		}
		free(s);
		cyl_model_free(m);
	}
}

static void test_seeds(void **state)
{
	static const enum cyl_model_kind random_kinds[] = {
		CYL_MODEL_IFOREST, CYL_MODEL_HST, CYL_MODEL_ENSEMBLE,
	};
	struct cyl_model *a, *b, *c;
	uint8_t *fa, *fb, *fc;
	size_t la, lb, lc;
	double *sa, *sb, *sc;
	size_t i;

	for (i = 0; i < sizeof(random_kinds) / sizeof(random_kinds[0]); i++) {
		a = train(random_kinds[i], 7, &base);
		b = train(random_kinds[i], 7, &base);
		c = train(random_kinds[i], 8, &base);
		sa = scores(a, &test);
		sb = scores(b, &test);
		sc = scores(c, &test);
		assert_memory_equal(sa, sb, TEST_ROWS * sizeof(*sa));
		assert_memory_not_equal(sa, sc, TEST_ROWS * sizeof(*sa));
		assert_int_equal(cyl_model_save(a, &fa, &la), 0);
		assert_int_equal(cyl_model_save(b, &fb, &lb), 0);
		assert_int_equal(cyl_model_save(c, &fc, &lc), 0);
		assert_int_equal(la, lb);
		assert_memory_equal(fa, fb, la);
		assert_true(la != lc || memcmp(fa, fc, la));
		free(fa);
		free(fb);
		free(fc);
		free(sa);
		free(sb);
		free(sc);
		cyl_model_free(a);
		cyl_model_free(b);
		cyl_model_free(c);
	}
}

/* The baseline rows above the threshold: at most budget of them, not far fewer. */
static void test_threshold(void **state)
{
	static const double budgets[] = { 0.01, 0.05, 0.2 };
	struct cyl_model_params p = { .seed = 5 };
	struct cyl_model *m;
	char err[256];
	size_t b, i, over;
	double *s;
	int k;

	for (k = 0; k < NKINDS; k++) {
		for (b = 0; b < sizeof(budgets) / sizeof(budgets[0]); b++) {
			p.kind = k;
			p.budget = budgets[b];
			assert_int_equal(cyl_model_train(&m, &p, &base, err, sizeof(err)), 0);
			s = scores(m, &base);
			for (i = 0, over = 0; i < BASE_ROWS; i++)
				over += s[i] > cyl_model_threshold(m);
			if (over > budgets[b] * BASE_ROWS || over < 0.7 * budgets[b] * BASE_ROWS)
				fail_msg("%s, budget %g: %zu of %d baseline rows alarm",
					 cyl_model_kind_name(k), budgets[b], over, BASE_ROWS);
			free(s);
			cyl_model_free(m);
		}
	}
	/* the default budget is 0.01 */
	m = train(CYL_MODEL_ROBUST, 0, &base);
	s = scores(m, &base);
	for (i = 0, over = 0; i < BASE_ROWS; i++)
		over += s[i] > cyl_model_threshold(m);
	assert_int_equal(over, 20);
	free(s);
	cyl_model_free(m);
}

/* A typical row with feature @f shifted: the models blame @f first. */
static void test_explain(void **state)
{
	static const size_t feats[] = { 5, 2 };
	struct cyl_model *m;
	double row[COLS], contrib[3];
	size_t idx[3], f, n;
	int k;

	for (k = 0; k < NKINDS; k++) {
		m = train(k, 9, &base);
		for (f = 0; f < 2; f++) {
			memcpy(row, centre[1], sizeof(row));
			row[feats[f]] += 5;
			n = cyl_model_explain(m, row, 3, idx, contrib);
			assert_int_equal(n, 3);
			if (idx[0] != feats[f])
				fail_msg("%s names feature %zu (%g), not %zu",
					 cyl_model_kind_name(k), idx[0], contrib[0], feats[f]);
			assert_true(contrib[0] > 0);
			assert_true(contrib[0] >= contrib[1] && contrib[1] >= contrib[2]);
		}
		/* k is capped at the columns */
		{
			size_t all[COLS + 2];

			assert_int_equal(cyl_model_explain(m, row, COLS + 2, all, NULL), COLS);
		}
		cyl_model_free(m);
	}
}

static struct cyl_model *load_ok(const uint8_t *buf, size_t len)
{
	struct cyl_model *m = NULL;
	char err[256] = "";

	if (cyl_model_load(&m, buf, len, err, sizeof(err)))
		fail_msg("load: %s", err);
	return m;
}

static void test_round_trip(void **state)
{
	const struct cyl_model_params *pl, *pm;
	struct cyl_model *m, *l;
	uint8_t *f, *g;
	size_t lf, lg, ia[3], ib[3];
	double *sa, *sb, ca[3], cb[3];
	int k;

	for (k = 0; k < NKINDS; k++) {
		m = train(k, 11, &base);
		assert_int_equal(cyl_model_save(m, &f, &lf), 0);
		assert_memory_equal(f, "CYLMODEL", 8);
		l = load_ok(f, lf);
		assert_int_equal(cyl_model_kind(l), k);
		assert_int_equal(cyl_model_cols(l), COLS);
		pl = cyl_model_params(l);
		pm = cyl_model_params(m);
		assert_true(pl->kind == pm->kind && pl->seed == pm->seed &&
			    pl->trees == pm->trees && pl->sample == pm->sample &&
			    pl->depth == pm->depth && pl->window == pm->window &&
			    pl->budget == pm->budget);
		assert_true(cyl_model_threshold(l) == cyl_model_threshold(m));
		sa = scores(m, &test);
		sb = scores(l, &test);
		assert_memory_equal(sa, sb, TEST_ROWS * sizeof(*sa));
		assert_int_equal(cyl_model_explain(m, test.x + 7 * COLS, 3, ia, ca), 3);
		assert_int_equal(cyl_model_explain(l, test.x + 7 * COLS, 3, ib, cb), 3);
		assert_memory_equal(ia, ib, sizeof(ia));
		assert_memory_equal(ca, cb, sizeof(ca));
		assert_int_equal(cyl_model_save(l, &g, &lg), 0);
		assert_int_equal(lf, lg);
		assert_memory_equal(f, g, lf);
		print_message("%-8s model file %zu bytes\n", cyl_model_kind_name(k), lf);
		free(f);
		free(g);
		free(sa);
		free(sb);
		cyl_model_free(m);
		cyl_model_free(l);
	}
}

static void expect_refused(const uint8_t *buf, size_t len, const char *why)
{
	struct cyl_model *m = (struct cyl_model *)buf;	/* must come back NULL */
	char err[256] = "";

	if (cyl_model_load(&m, buf, len, err, sizeof(err)) != -EINVAL)
		fail_msg("%s: loaded", why);
	assert_null(m);
	assert_true(err[0]);
}

/* Every bit and byte flipped, every truncation, a byte more: refused. */
static void test_corruption(void **state)
{
	static const uint8_t masks[] = { 1, 2, 4, 8, 16, 32, 64, 128, 0xff };
	struct cyl_model *m;
	size_t len, i, j;
	uint8_t *f, *g;
	int k;

	for (k = 0; k < NKINDS; k++) {
		m = train_small(k, 13);
		assert_int_equal(cyl_model_save(m, &f, &len), 0);
		cyl_model_free(load_ok(f, len));
		g = malloc(len + 1);
		assert_non_null(g);
		for (i = 0; i < len; i++) {
			for (j = 0; j < sizeof(masks); j++) {
				memcpy(g, f, len);
				g[i] ^= masks[j];
				expect_refused(g, len, "a flipped byte");
			}
		}
		for (i = 0; i < len; i++)
			expect_refused(f, i, "a truncation");
		memcpy(g, f, len);
		g[len] = 0;
		expect_refused(g, len + 1, "a byte more");
		free(g);
		free(f);
		cyl_model_free(m);
	}
}

/* Rewrite a file's SHA-256 after tampering with it. */
static void rehash(uint8_t *buf, size_t len)
{
	assert_int_equal(EVP_Digest(buf, len - 32, buf + len - 32, NULL, EVP_sha256(), NULL),
			 1);
}

static void expect_reason(const uint8_t *buf, size_t len, const char *reason)
{
	struct cyl_model *m = NULL;
	char err[256] = "";

	if (cyl_model_load(&m, buf, len, err, sizeof(err)) != -EINVAL)
		fail_msg("loaded, want \"%s\"", reason);
	assert_null(m);
	if (!strstr(err, reason))
		fail_msg("refused with \"%s\", want \"%s\"", err, reason);
}

#define BODY	64	/* magic, version, kind, parameters, cols, threshold */

static void put_f64(uint8_t *p, double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	cyl_put_le64(p, u);
}

/* Files with a good checksum and bad contents: each refused for its reason. */
static void test_bad_contents(void **state)
{
	struct cyl_model *m;
	uint8_t *f, *g;
	size_t len, at;

	m = train_small(CYL_MODEL_IFOREST, 17);
	assert_int_equal(cyl_model_save(m, &f, &len), 0);
	g = malloc(len + 8);
	assert_non_null(g);

	memcpy(g, f, len);
	memcpy(g, "CYLMODEX", 8);
	expect_reason(g, len, "magic");
	memcpy(g, f, len);
	cyl_put_le32(g + 8, 2);
	rehash(g, len);
	expect_reason(g, len, "version");
	memcpy(g, f, len);
	cyl_put_le32(g + 12, 9);	/* kind */
	rehash(g, len);
	expect_reason(g, len, "kind");
	memcpy(g, f, len);
	cyl_put_le32(g + 36, 5);	/* an iforest with a depth */
	rehash(g, len);
	expect_reason(g, len, "resolved");
	memcpy(g, f, len);
	cyl_put_le64(g + 48, 0);	/* cols */
	rehash(g, len);
	expect_reason(g, len, "columns");
	memcpy(g, f, len);
	put_f64(g + 56, NAN);		/* threshold */
	rehash(g, len);
	expect_reason(g, len, "threshold");
	memcpy(g, f, len);
	put_f64(g + 56, 2);
	rehash(g, len);
	expect_reason(g, len, "threshold");
	/* psi above the sample, a root splitting on feature 3 of 3, at NaN */
	memcpy(g, f, len);
	cyl_put_le32(g + BODY, 17);
	rehash(g, len);
	expect_reason(g, len, "sample");
	memcpy(g, f, len);
	at = BODY + 4 + 4 * 4;
	assert_true(cyl_get_le32(g + at) < 3);	/* the root splits */
	cyl_put_le32(g + at, 3);
	rehash(g, len);
	expect_reason(g, len, "feature");
	memcpy(g, f, len);
	put_f64(g + at + 4, INFINITY);
	rehash(g, len);
	expect_reason(g, len, "not finite");
	memcpy(g, f, len);
	cyl_put_le32(g + BODY + 4, cyl_get_le32(g + BODY + 4) + 2);	/* node count */
	rehash(g, len);
	expect_reason(g, len, "nodes");
	/* a byte more before the checksum */
	memcpy(g, f, len - 32);
	g[len - 32] = 0;
	rehash(g, len + 1);
	expect_reason(g, len + 1, "after the model");
	free(f);
	free(g);
	cyl_model_free(m);

	/* robust: a scale of 0 */
	m = train_small(CYL_MODEL_ROBUST, 17);
	assert_int_equal(cyl_model_save(m, &f, &len), 0);
	cyl_put_le64(f + BODY + 8, 0);
	rehash(f, len);
	expect_reason(f, len, "scale");
	free(f);
	cyl_model_free(m);

	/* hst: a feature out of range, a leaf's mass changed */
	m = train_small(CYL_MODEL_HST, 17);
	assert_int_equal(cyl_model_save(m, &f, &len), 0);
	g = malloc(len);
	assert_non_null(g);
	memcpy(g, f, len);
	at = BODY + 4 * 3 * 16;		/* the first tree's root feature */
	cyl_put_le16(g + at, 3);
	rehash(g, len);
	expect_reason(g, len, "feature");
	memcpy(g, f, len);
	at += 4 * 7 * 2 + 4 + 4;	/* the first mass entry's r */
	cyl_put_le32(g + at, cyl_get_le32(g + at) + 1);
	rehash(g, len);
	expect_reason(g, len, "windows");
	free(g);
	free(f);
	cyl_model_free(m);

	/* ensemble: a member with another seed, an ensemble as a member */
	m = train_small(CYL_MODEL_ENSEMBLE, 17);
	assert_int_equal(cyl_model_save(m, &f, &len), 0);
	g = malloc(len);
	assert_non_null(g);
	memcpy(g, f, len);
	g[BODY + 4] ^= 1;	/* the forest's seed */
	rehash(g, len);
	expect_reason(g, len, "member 0");
	memcpy(g, f, len);
	cyl_put_le32(g + BODY, CYL_MODEL_ENSEMBLE);
	rehash(g, len);
	expect_reason(g, len, "member");
	free(g);
	free(f);
	cyl_model_free(m);
}

static void test_bad_training(void **state)
{
	struct cyl_model_params p = { .kind = CYL_MODEL_IFOREST };
	struct cyl_dataset d = { .rows = 3, .cols = 2 };
	double x[6] = { 1, 2, 3, 4, 5, 6 };
	struct cyl_model *m = (struct cyl_model *)x;	/* must come back NULL */
	char err[256];
	int k;

	d.x = x;
	for (k = 0; k < NKINDS; k++) {
		p.kind = k;
		x[3] = NAN;
		assert_int_equal(cyl_model_train(&m, &p, &d, err, sizeof(err)), -EINVAL);
		assert_null(m);
		assert_non_null(strstr(err, "row 2, column 2"));
		x[3] = -INFINITY;
		assert_int_equal(cyl_model_train(&m, &p, &d, err, sizeof(err)), -EINVAL);
		x[3] = 4;
		d.rows = 0;
		assert_int_equal(cyl_model_train(&m, &p, &d, err, sizeof(err)), -EINVAL);
		d.rows = 3;
		d.cols = 0;
		assert_int_equal(cyl_model_train(&m, &p, &d, err, sizeof(err)), -EINVAL);
		d.cols = 2;
		p.budget = 0.6;
		assert_int_equal(cyl_model_train(&m, &p, &d, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "budget"));
		p.budget = NAN;
		assert_int_equal(cyl_model_train(&m, &p, &d, err, sizeof(err)), -EINVAL);
		p.budget = -0.1;
		assert_int_equal(cyl_model_train(&m, &p, &d, err, sizeof(err)), -EINVAL);
		p.budget = 0;
		/* and it trains on three rows, or on one */
		assert_int_equal(cyl_model_train(&m, &p, &d, err, sizeof(err)), 0);
		cyl_model_free(m);
		d.rows = 1;
		assert_int_equal(cyl_model_train(&m, &p, &d, err, sizeof(err)), 0);
		assert_true(isfinite(cyl_model_score(m, x + 2)));
		cyl_model_free(m);
		d.rows = 3;
	}
	p.kind = 9;
	assert_int_equal(cyl_model_train(&m, &p, &d, err, sizeof(err)), -EINVAL);
	p.kind = CYL_MODEL_HST;
	p.depth = 30;
	assert_int_equal(cyl_model_train(&m, &p, &d, err, sizeof(err)), -EINVAL);
	p.depth = 0;
	p.trees = 100000;
	assert_int_equal(cyl_model_train(&m, &p, &d, err, sizeof(err)), -EINVAL);
	p.kind = CYL_MODEL_IFOREST;
	p.trees = 0;
	p.sample = 1;
	assert_int_equal(cyl_model_train(&m, &p, &d, err, sizeof(err)), -EINVAL);
}

/*
 * Constant features divide no model by zero, and robust statistics see
 * any change of one (the ensemble averages that with the others).
 */
static void test_constant(void **state)
{
	struct cyl_dataset d = { .rows = 200, .cols = 2 };
	double x[400], row[2] = { 0.5, 7.5 };
	struct cyl_model *m;
	size_t i, idx;
	int k;

	rnd_state = 3;
	for (i = 0; i < 200; i++) {
		x[2 * i] = unif();
		x[2 * i + 1] = 7;
	}
	d.x = x;
	for (k = 0; k < NKINDS; k++) {
		m = train(k, 1, &d);
		assert_true(isfinite(cyl_model_threshold(m)));
		assert_true(isfinite(cyl_model_score(m, x)));
		if (k == CYL_MODEL_ROBUST) {
			assert_true(cyl_model_score(m, row) > cyl_model_threshold(m));
			assert_int_equal(cyl_model_explain(m, row, 1, &idx, NULL), 1);
			assert_int_equal(idx, 1);
		}
		cyl_model_free(m);
	}
}

/*
 * Half-space trees learn a new normal: trained on the clusters, fed a
 * window of rows around a new centre, they stop finding it anomalous
 * once the window rolls (not before), and the old clusters become so.
 * A model saved mid-window carries on as the original does.
 */
static void test_hst_window(void **state)
{
	struct cyl_model_params p = { .kind = CYL_MODEL_HST, .seed = 4, .window = 100 };
	double moved[COLS], old[COLS], before, after, s;
	struct cyl_model *m, *l = NULL;
	uint8_t *f = NULL, *g;
	size_t lf, lg;
	char err[256];
	int i, j;

	assert_int_equal(cyl_model_train(&m, &p, &base, err, sizeof(err)), 0);
	for (j = 0; j < COLS; j++) {
		moved[j] = j & 1 ? 5 : -5;
		old[j] = centre[0][j];
	}
	before = cyl_model_score(m, moved);
	assert_true(before > cyl_model_threshold(m));
	assert_true(cyl_model_score(m, old) < cyl_model_threshold(m));
	rnd_state = 77;
	for (i = 0; i < 99; i++) {
		double row[COLS];

		for (j = 0; j < COLS; j++)
			row[j] = moved[j] + 0.3 * gauss();
		cyl_model_update(m, row);
		if (i == 49) {
			/* mid-window: the reference is unchanged, the state saves */
			s = cyl_model_score(m, moved);
			assert_memory_equal(&s, &before, sizeof(s));
			assert_int_equal(cyl_model_save(m, &f, &lf), 0);
			l = load_ok(f, lf);
		}
		if (i >= 50)
			cyl_model_update(l, row);
	}
	s = cyl_model_score(m, moved);
	assert_memory_equal(&s, &before, sizeof(s));
	cyl_model_update(m, moved);
	cyl_model_update(l, moved);
	after = cyl_model_score(m, moved);
	print_message("hst: new centre scores %g before the roll, %g after\n", before, after);
	assert_true(after < before);
	assert_true(after < cyl_model_threshold(m));
	assert_true(cyl_model_score(m, old) > cyl_model_threshold(m));
	assert_int_equal(cyl_model_save(m, &g, &lg), 0);
	free(f);
	assert_int_equal(cyl_model_save(l, &f, &lf), 0);
	assert_int_equal(lf, lg);
	assert_memory_equal(f, g, lf);
	free(f);
	free(g);
	cyl_model_free(m);
	cyl_model_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_auc),
		cmocka_unit_test(test_score_one),
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_corruption),
		cmocka_unit_test(test_bad_contents),
		cmocka_unit_test(test_bad_training),
		cmocka_unit_test(test_constant),
		cmocka_unit_test(test_hst_window),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
