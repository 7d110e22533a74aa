// SPDX-License-Identifier: GPL-2.0
/*
 * Half-space trees (Tan, Ting, Liu, IJCAI 2011).  Each tree is a full
 * binary tree of the given depth over its own work space: for every
 * feature, with the baseline's range [lo, hi], s uniform in it and
 * w = 2 max(s - lo, hi - s), the space [s - w, s + w] (a feature
 * constant in the baseline gets [s - max(1, |s|), s + max(1, |s|)]).  A
 * node halves its space on a feature drawn uniformly, at the middle of
 * the node's range of it; rows below the middle go left.  Nodes keep
 * two masses: r, the rows of the reference window, and l, those of the
 * latest window.
 *
 * The baseline is the first reference window, whatever its size: it
 * fills r.  cyl_model_update() counts a row into l, and once `window`
 * rows have come the latest window becomes the reference (r = l, l = 0).
 *
 * Scoring walks a row down each tree until a node whose reference mass
 * is below the size limit, 0.1 * the reference's rows (the paper's
 * sizeLimit for a window of that size), or a leaf, and takes that
 * node's r * 2^depth: the paper's mass score, large for normal rows.  So
 * that higher means more anomalous as for the other models, the score is
 * its negation, averaged over the trees and divided by the reference's
 * rows: -mean(r * 2^depth) / rows, in [-2^depth, 0] and comparable
 * across windows of different sizes.
 *
 * Explanations: a step from a node into a child of much smaller mass is
 * what makes a row anomalous; feature f's contribution is log2((r(node)
 * + 1) / (r(child) + 1)) summed over the steps that split on f along
 * the scoring walks, averaged over the trees.
 *
 * The model file's body: the work spaces (per tree, per column: lo and
 * hi f64), the split features (per tree, the 2^depth - 1 inner nodes in
 * heap order, u16), then the leaves' masses, which the inner nodes' add
 * up: their number (u32) and for each, in increasing order, the leaf
 * (u32, tree * 2^depth + leaf), r and l (u32), never both 0.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect/models.h"
#include "detect/rng.h"
#include "util/errbuf.h"

struct hst {
	uint32_t inner, nodes;	/* per tree: 2^depth - 1 and 2^(depth + 1) - 1, heap order */
	double *lo, *hi;	/* trees * cols: each tree's work space */
	uint16_t *feat;		/* trees * inner */
	double *split;		/* trees * inner, the middles of the nodes' ranges */
	uint32_t *r, *l;	/* trees * nodes: reference and latest masses */
	uint32_t ref;		/* rows in the reference window */
	uint32_t latest;	/* rows in the latest window so far */
};

static void hst_free(void *impl)
{
	struct hst *h = impl;

	if (!h)
		return;
	free(h->lo);
	free(h->hi);
	free(h->feat);
	free(h->split);
	free(h->r);
	free(h->l);
	free(h);
}

static double hst_clamp(double v)
{
	return v < -DBL_MAX ? -DBL_MAX : v > DBL_MAX ? DBL_MAX : v;
}

/* A tree's space for one feature of baseline range [lo, hi]. */
static void hst_space(double lo, double hi, double u, double *min, double *max)
{
	double d = hi - lo, s, w;

	s = isfinite(d) ? lo + u * d : lo * (1 - u) + hi * u;
	s = s < lo ? lo : s > hi ? hi : s;
	w = 2 * fmax(s - lo, hi - s);
	*min = hst_clamp(s - w);
	*max = hst_clamp(s + w);
	if (!(*min < *max)) {
		*min = hst_clamp(s - fmax(1, fabs(s)));
		*max = hst_clamp(s + fmax(1, fabs(s)));
	}
}

/* Split values from the work space: @lo and @hi are scratch copies of it. */
static void hst_splits(struct hst *h, unsigned int t, uint32_t i, double *lo, double *hi)
{
	uint32_t at = t * h->inner + i;
	unsigned int q;
	double p, keep;

	if (i >= h->inner)
		return;
	q = h->feat[at];
	p = lo[q] / 2 + hi[q] / 2;
	h->split[at] = p;
	keep = hi[q];
	hi[q] = p;
	hst_splits(h, t, 2 * i + 1, lo, hi);
	hi[q] = keep;
	keep = lo[q];
	lo[q] = p;
	hst_splits(h, t, 2 * i + 2, lo, hi);
	lo[q] = keep;
}

static int hst_derive(struct hst *h, unsigned int trees, size_t cols)
{
	double *lo = malloc(cols * sizeof(*lo)), *hi = malloc(cols * sizeof(*hi));
	unsigned int t;

	if (!lo || !hi) {
		free(lo);
		free(hi);
		return -ENOMEM;
	}
	for (t = 0; t < trees; t++) {
		memcpy(lo, h->lo + t * cols, cols * sizeof(*lo));
		memcpy(hi, h->hi + t * cols, cols * sizeof(*hi));
		hst_splits(h, t, 0, lo, hi);
	}
	free(lo);
	free(hi);
	return 0;
}

static struct hst *hst_alloc(const struct cyl_model *m)
{
	size_t trees = m->p.trees, cols = m->cols;
	struct hst *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->inner = (1u << m->p.depth) - 1;
	h->nodes = 2 * h->inner + 1;
	h->lo = malloc(trees * cols * sizeof(*h->lo));
	h->hi = malloc(trees * cols * sizeof(*h->hi));
	h->feat = malloc(trees * h->inner * sizeof(*h->feat));
	h->split = malloc(trees * h->inner * sizeof(*h->split));
	h->r = calloc(trees * h->nodes, sizeof(*h->r));
	h->l = calloc(trees * h->nodes, sizeof(*h->l));
	if (!h->lo || !h->hi || !h->feat || !h->split || !h->r || !h->l) {
		hst_free(h);
		return NULL;
	}
	return h;
}

static uint32_t hst_child(const struct hst *h, unsigned int t, uint32_t i, const double *row)
{
	uint32_t at = t * h->inner + i;

	return row[h->feat[at]] < h->split[at] ? 2 * i + 1 : 2 * i + 2;
}

/* Count @row into @mass (r or l) along its whole path in every tree. */
static void hst_count(const struct hst *h, unsigned int trees, uint32_t *mass,
		      const double *row)
{
	unsigned int t;
	uint32_t i;

	for (t = 0; t < trees; t++, mass += h->nodes) {
		for (i = 0; i < h->inner; i = hst_child(h, t, i, row))
			mass[i]++;
		mass[i]++;
	}
}

static void hst_score_rows(const struct cyl_model *m, const double *x, size_t rows,
			   double *out)
{
	const struct hst *h = m->impl;
	double limit = 0.1 * h->ref, s;
	unsigned int t, k;
	const uint32_t *r;
	uint32_t i;
	size_t n;

	for (n = 0; n < rows; n++, x += m->cols) {
		s = 0;
		for (t = 0, r = h->r; t < m->p.trees; t++, r += h->nodes) {
			for (i = 0, k = 0; i < h->inner && r[i] >= limit; k++)
				i = hst_child(h, t, i, x);
			s += ldexp(r[i], (int)k);
		}
		out[n] = -(s / m->p.trees) / h->ref;
	}
}

static int hst_train(struct cyl_model *m, const struct cyl_dataset *d, double *scores,
		     char *err, size_t errlen)
{
	size_t cols = d->cols, i, j;
	struct cyl_rng rng;
	unsigned int t;
	double lo, hi, v;
	struct hst *h;

	h = hst_alloc(m);
	if (!h)
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	cyl_rng_seed(&rng, m->p.seed);
	for (j = 0; j < cols; j++) {
		lo = hi = d->x[j];
		for (i = 1; i < d->rows; i++) {
			v = d->x[i * cols + j];
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		for (t = 0; t < m->p.trees; t++)
			hst_space(lo, hi, cyl_rng_uniform(&rng), &h->lo[t * cols + j],
				  &h->hi[t * cols + j]);
	}
	for (i = 0; i < (size_t)m->p.trees * h->inner; i++)
		h->feat[i] = (uint16_t)cyl_rng_below(&rng, cols);
	if (hst_derive(h, m->p.trees, cols)) {
		hst_free(h);
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	}
	for (i = 0; i < d->rows; i++)
		hst_count(h, m->p.trees, h->r, d->x + i * cols);
	h->ref = (uint32_t)d->rows;
	m->impl = h;
	hst_score_rows(m, d->x, d->rows, scores);
	return 0;
}

static void hst_explain(const struct cyl_model *m, const double *row, double *contrib)
{
	const struct hst *h = m->impl;
	double limit = 0.1 * h->ref;
	const uint32_t *r;
	unsigned int t;
	uint32_t i, c;
	size_t j;

	for (t = 0, r = h->r; t < m->p.trees; t++, r += h->nodes) {
		for (i = 0; i < h->inner && r[i] >= limit; i = c) {
			c = hst_child(h, t, i, row);
			contrib[h->feat[t * h->inner + i]] +=
				log2((r[i] + 1.0) / (r[c] + 1.0));
		}
	}
	for (j = 0; j < m->cols; j++)
		contrib[j] /= m->p.trees;
}

static void hst_update(struct cyl_model *m, const double *row)
{
	struct hst *h = m->impl;
	size_t n = (size_t)m->p.trees * h->nodes;

	hst_count(h, m->p.trees, h->l, row);
	if (++h->latest < m->p.window)
		return;
	memcpy(h->r, h->l, n * sizeof(*h->r));
	memset(h->l, 0, n * sizeof(*h->l));
	h->ref = h->latest;
	h->latest = 0;
}

/* --- the model file --- */

static void hst_save(const struct cyl_model *m, struct cyl_wbuf *w)
{
	const struct hst *h = m->impl;
	size_t n = (size_t)m->p.trees * m->cols, i;
	uint32_t leaves = h->inner + 1, count = 0, t, j;

	for (i = 0; i < n; i++) {
		cyl_wbuf_f64(w, h->lo[i]);
		cyl_wbuf_f64(w, h->hi[i]);
	}
	for (i = 0; i < (size_t)m->p.trees * h->inner; i++)
		cyl_wbuf_u16(w, h->feat[i]);
	for (t = 0; t < m->p.trees; t++)
		for (j = 0; j < leaves; j++)
			count += h->r[t * h->nodes + h->inner + j] ||
				 h->l[t * h->nodes + h->inner + j];
	cyl_wbuf_u32(w, count);
	for (t = 0; t < m->p.trees; t++) {
		for (j = 0; j < leaves; j++) {
			i = t * h->nodes + h->inner + j;
			if (!h->r[i] && !h->l[i])
				continue;
			cyl_wbuf_u32(w, t * leaves + j);
			cyl_wbuf_u32(w, h->r[i]);
			cyl_wbuf_u32(w, h->l[i]);
		}
	}
}

/* Add the leaves' masses up the tree; 0 when they fit in 32 bits. */
static int hst_sum(const struct hst *h, uint32_t *mass, uint64_t *root)
{
	uint64_t sum = 0;
	uint32_t i;

	for (i = h->inner; i < h->nodes; i++)
		sum += mass[i];
	*root = sum;
	if (sum > UINT32_MAX)
		return -EINVAL;
	for (i = h->inner; i-- > 0;)
		mass[i] = mass[2 * i + 1] + mass[2 * i + 2];
	return 0;
}

static int hst_load_masses(struct cyl_model *m, struct hst *h, struct cyl_rbuf *r,
			   char *err, size_t errlen)
{
	uint32_t leaves = h->inner + 1, count, k, at, i = 0;
	uint64_t total = (uint64_t)m->p.trees * leaves, ref, latest;
	unsigned int t;

	count = cyl_rbuf_u32(r);
	if (!cyl_rbuf_need(r, count, 12))
		return 0;
	for (k = 0; k < count; k++) {
		at = cyl_rbuf_u32(r);
		if (at >= total || (k && at <= i))
			return cyl_errf(-EINVAL, err, errlen,
					"mass %u: leaf %u out of order or range", k, at);
		i = at;
		at = at / leaves * h->nodes + h->inner + at % leaves;
		h->r[at] = cyl_rbuf_u32(r);
		h->l[at] = cyl_rbuf_u32(r);
		if (!h->r[at] && !h->l[at])
			return cyl_errf(-EINVAL, err, errlen, "mass %u: both windows empty", k);
	}
	for (t = 0; t < m->p.trees; t++) {
		if (hst_sum(h, h->r + t * h->nodes, &ref) ||
		    hst_sum(h, h->l + t * h->nodes, &latest))
			return cyl_errf(-EINVAL, err, errlen, "tree %u: masses overflow", t);
		if (!t) {
			h->ref = (uint32_t)ref;
			h->latest = (uint32_t)latest;
		}
		if (ref != h->ref || latest != h->latest)
			return cyl_errf(-EINVAL, err, errlen,
					"tree %u: windows of %llu and %llu rows, tree 0: %u, %u",
					t, (unsigned long long)ref,
					(unsigned long long)latest, h->ref, h->latest);
	}
	if (!h->ref)
		return cyl_errf(-EINVAL, err, errlen, "empty reference window");
	if (h->latest >= m->p.window)
		return cyl_errf(-EINVAL, err, errlen, "latest window of %u rows, it rolls at %u",
				h->latest, m->p.window);
	return 0;
}

static int hst_load(struct cyl_model *m, struct cyl_rbuf *r, char *err, size_t errlen)
{
	size_t n = (size_t)m->p.trees * m->cols, i;
	struct hst *h;
	int ret;

	/* the work spaces and features bound the allocations by the input */
	if (!cyl_rbuf_need(r, n, 16) ||
	    !cyl_rbuf_need(r, (uint64_t)m->p.trees * ((1u << m->p.depth) - 1), 2))
		return 0;
	h = hst_alloc(m);
	if (!h)
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	m->impl = h;
	for (i = 0; i < n; i++) {
		h->lo[i] = cyl_rbuf_f64(r);
		h->hi[i] = cyl_rbuf_f64(r);
		if (!isfinite(h->lo[i]) || !isfinite(h->hi[i]) || !(h->lo[i] < h->hi[i]))
			return cyl_errf(-EINVAL, err, errlen,
					"tree %zu, column %zu: work space [%g, %g]", i / m->cols,
					i % m->cols + 1, h->lo[i], h->hi[i]);
	}
	for (i = 0; i < (size_t)m->p.trees * h->inner; i++) {
		h->feat[i] = cyl_rbuf_u16(r);
		if (h->feat[i] >= m->cols)
			return cyl_errf(-EINVAL, err, errlen,
					"node %zu: feature %u, the model has %zu", i,
					h->feat[i], m->cols);
	}
	if (hst_derive(h, m->p.trees, m->cols))
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	ret = hst_load_masses(m, h, r, err, errlen);
	if (ret || r->bad)
		return ret;
	if (!(m->threshold >= -ldexp(1, (int)m->p.depth) && m->threshold <= 0))
		return cyl_errf(-EINVAL, err, errlen, "threshold %g is not in [-2^%u, 0]",
				m->threshold, m->p.depth);
	return 0;
}

const struct cyl_model_ops cyl_hst_ops = {
	.train = hst_train,
	.score_rows = hst_score_rows,
	.explain = hst_explain,
	.update = hst_update,
	.save = hst_save,
	.load = hst_load,
	.free = hst_free,
};
