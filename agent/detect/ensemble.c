// SPDX-License-Identifier: GPL-2.0
/*
 * The ensemble: an isolation forest, half-space trees and the robust
 * z, trained on the same baseline.  Their scores do not compare, their
 * ranks do: each member's score is turned into its baseline empirical
 * CDF, F(s) = (#{knots < s} + #{knots <= s}) / (2 q) (ties count half),
 * over q knots: the sorted baseline scores, or for a baseline of more
 * than 4096 rows 4096 of them at evenly spaced ranks, the first and the
 * last included.  The ensemble's score is the mean of the three F, in
 * [0, 1], and its threshold comes from its own baseline scores.
 *
 * Members: seeds derived from the ensemble's (cyl_rng_derive(seed, i),
 * i = 0, 1, 2 in the order above); trees goes to the forest and the
 * half-space trees (0: each one's default), sample to the forest, depth
 * and window to the half-space trees, budget to all.  Updates go to the
 * half-space trees; the CDFs stay the baseline's.
 *
 * Explanations: each member's contributions as shares of their sum,
 * averaged over the members.
 *
 * The model file's body: for each member its record (models.h), its
 * knot count (u32) and knots (f64, ascending).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect/models.h"
#include "detect/rng.h"
#include "util/errbuf.h"

#define MEMBERS		3
#define KNOTS		4096
#define CHUNK		256	/* rows scored per member at a time */

static const enum cyl_model_kind member_kind[MEMBERS] = {
	CYL_MODEL_IFOREST, CYL_MODEL_HST, CYL_MODEL_ROBUST,
};

struct ensemble {
	struct cyl_model *member[MEMBERS];
	double *knot[MEMBERS];
	uint32_t knots[MEMBERS];
};

static void ens_free(void *impl)
{
	struct ensemble *e = impl;
	int i;

	if (!e)
		return;
	for (i = 0; i < MEMBERS; i++) {
		cyl_model_free(e->member[i]);
		free(e->knot[i]);
	}
	free(e);
}

static int ens_member_params(const struct cyl_model_params *ep, int i,
			     struct cyl_model_params *p, char *err, size_t errlen)
{
	struct cyl_model_params in = {
		.kind = member_kind[i], .seed = cyl_rng_derive(ep->seed, i),
		.trees = ep->trees, .sample = ep->sample, .depth = ep->depth,
		.window = ep->window, .budget = ep->budget,
	};

	return cyl_model_resolve(&in, p, err, errlen);
}

/* F(s): the mid-rank of @s among the knots, over their count. */
static double ens_cdf(const double *knot, uint32_t q, double s)
{
	uint32_t lo = 0, hi = q, mid, less;

	while (lo < hi) {	/* the first knot >= s */
		mid = lo + (hi - lo) / 2;
		if (knot[mid] < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	less = lo;
	hi = q;
	while (lo < hi) {	/* the first knot > s */
		mid = lo + (hi - lo) / 2;
		if (knot[mid] <= s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (less + (double)lo) / (2.0 * q);
}

/* Add member @i's F of its @n scores @s to @acc; the last member divides. */
static void ens_add(const struct ensemble *e, int i, const double *s, size_t n, double *acc)
{
	size_t r;

	for (r = 0; r < n; r++) {
		acc[r] += ens_cdf(e->knot[i], e->knots[i], s[r]);
		if (i == MEMBERS - 1)
			acc[r] /= MEMBERS;
	}
}

static void ens_score_rows(const struct cyl_model *m, const double *x, size_t rows,
			   double *out)
{
	const struct ensemble *e = m->impl;
	double s[CHUNK];
	size_t r, n;
	int i;

	for (r = 0; r < rows; r += n) {
		n = rows - r < CHUNK ? rows - r : CHUNK;
		memset(out + r, 0, n * sizeof(*out));
		for (i = 0; i < MEMBERS; i++) {
			cyl_model_score_rows(e->member[i], x + r * m->cols, n, s);
			ens_add(e, i, s, n, out + r);
		}
	}
}

static int ens_train(struct cyl_model *m, const struct cyl_dataset *d, double *scores,
		     char *err, size_t errlen)
{
	struct cyl_model_params p;
	double *s, *sorted = NULL;
	size_t n = d->rows, j;
	struct ensemble *e;
	uint32_t q;
	int i, ret = -ENOMEM;

	e = calloc(1, sizeof(*e));
	s = malloc(n * sizeof(*s));
	if (!e || !s)
		goto fail;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		goto fail;
	memset(scores, 0, n * sizeof(*scores));
	for (i = 0; i < MEMBERS; i++) {
		ret = ens_member_params(&m->p, i, &p, err, errlen);
		if (!ret)
			ret = cyl_model_build(&e->member[i], &p, d, s, err, errlen);
		if (ret)
			goto fail;
		ret = -ENOMEM;
		q = n < KNOTS ? (uint32_t)n : KNOTS;
		e->knot[i] = malloc(q * sizeof(*e->knot[i]));
		if (!e->knot[i])
			goto fail;
		memcpy(sorted, s, n * sizeof(*sorted));
		qsort(sorted, n, sizeof(*sorted), cyl_model_cmp_double);
		for (j = 0; j < q; j++)
			e->knot[i][j] = sorted[q > 1 ? j * (n - 1) / (q - 1) : 0];
		e->knots[i] = q;
		ens_add(e, i, s, n, scores);
	}
	free(s);
	free(sorted);
	m->impl = e;
	return 0;
fail:
	ens_free(e);
	free(s);
	free(sorted);
	return ret == -ENOMEM ? cyl_errf(ret, err, errlen, "out of memory") : ret;
}

static void ens_explain(const struct cyl_model *m, const double *row, double *contrib)
{
	const struct ensemble *e = m->impl;
	double *c = malloc(m->cols * sizeof(*c)), sum;
	size_t j;
	int i;

	if (!c)
		return;
	for (i = 0; i < MEMBERS; i++) {
		memset(c, 0, m->cols * sizeof(*c));
		e->member[i]->ops->explain(e->member[i], row, c);
		for (j = 0, sum = 0; j < m->cols; j++)
			sum += c[j];
		if (!(sum > 0 && isfinite(sum)))
			continue;
		for (j = 0; j < m->cols; j++)
			contrib[j] += c[j] / sum / MEMBERS;
	}
	free(c);
}

static void ens_update(struct cyl_model *m, const double *row)
{
	const struct ensemble *e = m->impl;
	int i;

	for (i = 0; i < MEMBERS; i++)
		cyl_model_update(e->member[i], row);
}

static void ens_save(const struct cyl_model *m, struct cyl_wbuf *w)
{
	const struct ensemble *e = m->impl;
	uint32_t j;
	int i;

	for (i = 0; i < MEMBERS; i++) {
		cyl_model_put(e->member[i], w);
		cyl_wbuf_u32(w, e->knots[i]);
		for (j = 0; j < e->knots[i]; j++)
			cyl_wbuf_f64(w, e->knot[i][j]);
	}
}

static int ens_load(struct cyl_model *m, struct cyl_rbuf *r, char *err, size_t errlen)
{
	const struct cyl_model_params *mp;
	struct cyl_model_params p;
	struct ensemble *e;
	uint32_t q, j;
	int i, ret;

	e = calloc(1, sizeof(*e));
	if (!e)
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	m->impl = e;
	for (i = 0; i < MEMBERS; i++) {
		ret = cyl_model_get(&e->member[i], r, true, err, errlen);
		if (ret)
			return ret;
		mp = &e->member[i]->p;
		if (ens_member_params(&m->p, i, &p, NULL, 0) || mp->kind != p.kind ||
		    mp->seed != p.seed || mp->trees != p.trees || mp->sample != p.sample ||
		    mp->depth != p.depth || mp->window != p.window || mp->budget != p.budget)
			return cyl_errf(-EINVAL, err, errlen,
					"member %d: not the %s the ensemble's parameters make", i,
					cyl_model_kind_name(member_kind[i]));
		if (e->member[i]->cols != m->cols)
			return cyl_errf(-EINVAL, err, errlen, "member %d: %zu columns, not %zu", i,
					e->member[i]->cols, m->cols);
		q = cyl_rbuf_u32(r);
		if (!cyl_rbuf_need(r, q, 8))
			return 0;
		if (!q || q > KNOTS)
			return cyl_errf(-EINVAL, err, errlen, "member %d: %u knots, not in [1, %u]",
					i, q, KNOTS);
		e->knot[i] = malloc(q * sizeof(*e->knot[i]));
		if (!e->knot[i])
			return cyl_errf(-ENOMEM, err, errlen, "out of memory");
		e->knots[i] = q;
		for (j = 0; j < q; j++) {
			e->knot[i][j] = cyl_rbuf_f64(r);
			if (!isfinite(e->knot[i][j]) || (j && e->knot[i][j] < e->knot[i][j - 1]))
				return cyl_errf(-EINVAL, err, errlen,
						"member %d, knot %u: not finite or out of order",
						i, j);
		}
	}
	if (!(m->threshold >= 0 && m->threshold <= 1))
		return cyl_errf(-EINVAL, err, errlen, "threshold %g is not in [0, 1]",
				m->threshold);
	return 0;
}

const struct cyl_model_ops cyl_ensemble_ops = {
	.train = ens_train,
	.score_rows = ens_score_rows,
	.explain = ens_explain,
	.update = ens_update,
	.save = ens_save,
	.load = ens_load,
	.free = ens_free,
};
