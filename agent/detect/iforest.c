// SPDX-License-Identifier: GPL-2.0
/*
 * Isolation forest (Liu, Ting, Zhou, ICDM 2008), with scikit-learn's
 * choices so that scores compare: each tree grows on psi = min(sample,
 * rows) rows drawn without replacement, to at most ceil(log2 psi)
 * levels; a node splits on a feature drawn uniformly among those not
 * constant in its rows, at a value uniform in [min, max) of them, rows
 * <= the value going left; a leaf of n rows at depth d counts as a path
 * of d + c(n), c(n) = 2 H(n - 1) - 2 (n - 1) / n being the average path
 * of an unsuccessful search in a binary search tree of n keys.  The
 * score is 2^(-E(h) / c(psi)), E(h) the path averaged over the trees.
 *
 * The trees are flattened into one array of nodes in preorder: a left
 * child follows its parent, the right child's index is stored.  A leaf
 * splits at NaN with itself as right child, so that a walk stays there
 * and scoring can step every row of a block the same number of times
 * without a branch.
 *
 * Explanations: a split that sends a row into a child holding few of
 * its node's rows isolates it; feature f's contribution is the isolation
 * its splits give along the row's paths, log2(node rows / child rows)
 * summed over those splits, averaged over the trees.  Across all
 * features a tree's contributions add up to log2(psi / leaf rows).
 *
 * The model file's body: psi (u32), each tree's node count (u32), then
 * the nodes in preorder, a leaf as 0xffffffff and its rows (u32), a
 * split as its feature (u32) and value (f64).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect/models.h"
#include "detect/rng.h"
#include "util/errbuf.h"

#define LEAF		0xffffffffu
#define BLOCK		64	/* rows walked together through a tree */

struct if_node {
	double split;		/* NaN at a leaf */
	uint32_t feat;		/* 0 at a leaf */
	uint32_t right;		/* the right child; a leaf's own index */
};

struct iforest {
	uint32_t psi, nodes;
	double norm;		/* c(psi), 1 when psi is 1 */
	struct if_node *node;
	uint32_t *size;		/* rows of the sample in each node */
	double *path;		/* at a leaf: depth + c(size) */
	uint32_t *root;		/* trees + 1: tree t is [root[t], root[t + 1]) */
	unsigned int *depth;	/* each tree's deepest leaf */
};

/* c(n), as scikit-learn's _average_path_length. */
static double if_c(double n)
{
	if (n <= 1)
		return 0;
	if (n <= 2)
		return 1;
	return 2 * (log(n - 1) + 0.5772156649015329) - 2 * (n - 1) / n;
}

static unsigned int if_max_depth(uint32_t psi)
{
	unsigned int d = 0;

	while (d < 32 && ((uint64_t)1 << d) < psi)
		d++;
	return d;
}

static int if_alloc(struct iforest *f, unsigned int trees, uint64_t nodes)
{
	f->node = malloc(nodes * sizeof(*f->node));
	f->size = malloc(nodes * sizeof(*f->size));
	f->path = malloc(nodes * sizeof(*f->path));
	f->root = malloc((trees + 1) * sizeof(*f->root));
	f->depth = calloc(trees, sizeof(*f->depth));
	return f->node && f->size && f->path && f->root && f->depth ? 0 : -ENOMEM;
}

static void if_free(void *impl)
{
	struct iforest *f = impl;

	if (!f)
		return;
	free(f->node);
	free(f->size);
	free(f->path);
	free(f->root);
	free(f->depth);
	free(f);
}

static void if_leaf(struct iforest *f, uint32_t i, uint32_t size, unsigned int depth)
{
	f->node[i] = (struct if_node){ .split = NAN, .feat = 0, .right = i };
	f->size[i] = size;
	f->path[i] = depth + if_c(size);
}

/* --- training --- */

struct if_grow {
	struct iforest *f;
	const double *x;
	size_t cols;
	struct cyl_rng rng;
	uint32_t *feats;	/* a permutation of the columns, drawn from lazily */
	unsigned int max_depth;
};

/* A value uniform in [lo, hi), lo < hi, whatever their magnitudes. */
static double if_split_value(double lo, double hi, double u)
{
	double d = hi - lo, v;

	v = isfinite(d) ? lo + u * d : lo * (1 - u) + hi * u;
	return v >= lo && v < hi ? v : lo;
}

/* Grow the subtree of the @n sample rows in @idx; returns its depth. */
static unsigned int if_grow(struct if_grow *g, uint32_t *idx, uint32_t n, unsigned int depth)
{
	struct iforest *f = g->f;
	uint32_t me = f->nodes++, i, j, q = 0, nl;
	double lo = 0, hi = 0, v, split;
	unsigned int dl, dr;
	size_t k;

	if (depth >= g->max_depth || n <= 1) {
		if_leaf(f, me, n, depth);
		return depth;
	}
	/* the first non-constant feature of a random order */
	for (k = 0; k < g->cols; k++) {
		j = (uint32_t)(k + cyl_rng_below(&g->rng, g->cols - k));
		q = g->feats[j];
		g->feats[j] = g->feats[k];
		g->feats[k] = q;
		lo = hi = g->x[(size_t)idx[0] * g->cols + q];
		for (i = 1; i < n; i++) {
			v = g->x[(size_t)idx[i] * g->cols + q];
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		if (lo < hi)
			break;
	}
	if (k == g->cols) {
		if_leaf(f, me, n, depth);
		return depth;
	}
	split = if_split_value(lo, hi, cyl_rng_uniform(&g->rng));
	for (i = 0, nl = 0; i < n; i++) {
		if (g->x[(size_t)idx[i] * g->cols + q] <= split) {
			j = idx[nl];
			idx[nl++] = idx[i];
			idx[i] = j;
		}
	}
	f->node[me] = (struct if_node){ .split = split, .feat = q };
	f->size[me] = n;
	dl = if_grow(g, idx, nl, depth + 1);
	f->node[me].right = f->nodes;
	dr = if_grow(g, idx + nl, n - nl, depth + 1);
	return dl > dr ? dl : dr;
}

static void if_score_rows(const struct cyl_model *m, const double *x, size_t rows,
			  double *out);

static int if_train(struct cyl_model *m, const struct cyl_dataset *d, double *scores,
		    char *err, size_t errlen)
{
	struct if_grow g = { .x = d->x, .cols = d->cols };
	unsigned int trees = m->p.trees, t;
	uint32_t *perm, psi, i, j, tmp;
	struct iforest *f;
	uint64_t cap;

	psi = d->rows < m->p.sample ? (uint32_t)d->rows : m->p.sample;
	cap = (uint64_t)trees * (2 * (uint64_t)psi - 1);
	if (cap >= LEAF)
		return cyl_errf(-EINVAL, err, errlen, "%u trees of %u rows are too many nodes",
				trees, psi);
	f = calloc(1, sizeof(*f));
	perm = malloc(d->rows * sizeof(*perm));
	g.feats = malloc(d->cols * sizeof(*g.feats));
	if (!f || !perm || !g.feats || if_alloc(f, trees, cap)) {
		if_free(f);
		free(perm);
		free(g.feats);
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	}
	f->psi = psi;
	f->norm = psi > 1 ? if_c(psi) : 1;
	g.f = f;
	g.max_depth = if_max_depth(psi);
	cyl_rng_seed(&g.rng, m->p.seed);
	for (i = 0; i < d->rows; i++)
		perm[i] = i;
	for (i = 0; i < d->cols; i++)
		g.feats[i] = i;
	for (t = 0; t < trees; t++) {
		/* psi rows without replacement: a partial Fisher-Yates shuffle */
		for (i = 0; i < psi; i++) {
			j = (uint32_t)(i + cyl_rng_below(&g.rng, d->rows - i));
			tmp = perm[i];
			perm[i] = perm[j];
			perm[j] = tmp;
		}
		f->root[t] = f->nodes;
		f->depth[t] = if_grow(&g, perm, psi, 0);
	}
	f->root[trees] = f->nodes;
	free(perm);
	free(g.feats);
	m->impl = f;
	if_score_rows(m, d->x, d->rows, scores);
	return 0;
}

/* --- scoring --- */

static void if_score_block(const struct cyl_model *m, const double *x, size_t n, double *out)
{
	const struct iforest *f = m->impl;
	const struct if_node *node = f->node, *nd;
	unsigned int trees = m->p.trees, t, s;
	const double *row[BLOCK];
	uint32_t at[BLOCK], left;
	double h[BLOCK];
	size_t r;

	for (r = 0; r < n; r++) {
		h[r] = 0;
		row[r] = x + r * m->cols;
	}
	for (t = 0; t < trees; t++) {
		for (r = 0; r < n; r++)
			at[r] = f->root[t];
		for (s = 0; s < f->depth[t]; s++) {
			for (r = 0; r < n; r++) {
				/* a mask, not a branch: which way a row goes is random */
				nd = &node[at[r]];
				left = -(uint32_t)(row[r][nd->feat] <= nd->split);
				at[r] = ((at[r] + 1) & left) | (nd->right & ~left);
			}
		}
		for (r = 0; r < n; r++)
			h[r] += f->path[at[r]];
	}
	for (r = 0; r < n; r++)
		out[r] = exp2(-(h[r] / trees) / f->norm);
}

static void if_score_rows(const struct cyl_model *m, const double *x, size_t rows,
			  double *out)
{
	size_t r, n;

	for (r = 0; r < rows; r += n) {
		n = rows - r < BLOCK ? rows - r : BLOCK;
		if_score_block(m, x + r * m->cols, n, out + r);
	}
}

static void if_explain(const struct cyl_model *m, const double *row, double *contrib)
{
	const struct iforest *f = m->impl;
	unsigned int t;
	uint32_t i, c;

	for (t = 0; t < m->p.trees; t++) {
		i = f->root[t];
		while (f->node[i].right != i) {
			c = row[f->node[i].feat] <= f->node[i].split ? i + 1 : f->node[i].right;
			contrib[f->node[i].feat] += log2((double)f->size[i] / f->size[c]);
			i = c;
		}
	}
	for (i = 0; i < m->cols; i++)
		contrib[i] /= m->p.trees;
}

/* --- the model file --- */

static void if_save(const struct cyl_model *m, struct cyl_wbuf *w)
{
	const struct iforest *f = m->impl;
	unsigned int t;
	uint32_t i;

	cyl_wbuf_u32(w, f->psi);
	for (t = 0; t < m->p.trees; t++)
		cyl_wbuf_u32(w, f->root[t + 1] - f->root[t]);
	for (i = 0; i < f->nodes; i++) {
		if (f->node[i].right == i) {
			cyl_wbuf_u32(w, LEAF);
			cyl_wbuf_u32(w, f->size[i]);
		} else {
			cyl_wbuf_u32(w, f->node[i].feat);
			cyl_wbuf_f64(w, f->node[i].split);
		}
	}
}

struct if_parse {
	struct iforest *f;
	struct cyl_rbuf *r;
	uint32_t end;		/* the tree's last node + 1 */
	size_t cols;
	unsigned int max_depth;
	char *err;
	size_t errlen;
};

/* Read the subtree at @depth in preorder; its depth in *@deepest. */
static int if_parse_node(struct if_parse *ps, unsigned int depth, unsigned int *deepest)
{
	struct iforest *f = ps->f;
	uint32_t me, feat, size;
	unsigned int dl, dr;
	uint64_t sum;
	double split;
	int ret;

	if (f->nodes == ps->end)
		return cyl_errf(-EINVAL, ps->err, ps->errlen,
				"node %u: a tree runs past its node count", f->nodes);
	me = f->nodes++;
	feat = cyl_rbuf_u32(ps->r);
	if (feat == LEAF) {
		size = cyl_rbuf_u32(ps->r);
		if (ps->r->bad)
			return 0;	/* the caller reports the truncation */
		if (!size || size > f->psi)
			return cyl_errf(-EINVAL, ps->err, ps->errlen,
					"node %u: leaf of %u rows, not in [1, %u]", me, size,
					f->psi);
		if_leaf(f, me, size, depth);
		*deepest = depth;
		return 0;
	}
	split = cyl_rbuf_f64(ps->r);
	if (ps->r->bad)
		return 0;	/* the caller reports the truncation */
	if (feat >= ps->cols)
		return cyl_errf(-EINVAL, ps->err, ps->errlen,
				"node %u: feature %u, the model has %zu", me, feat, ps->cols);
	if (!isfinite(split))
		return cyl_errf(-EINVAL, ps->err, ps->errlen,
				"node %u: split value is not finite", me);
	if (depth >= ps->max_depth)
		return cyl_errf(-EINVAL, ps->err, ps->errlen,
				"node %u: splits below the depth limit %u", me, ps->max_depth);
	f->node[me] = (struct if_node){ .split = split, .feat = feat };
	ret = if_parse_node(ps, depth + 1, &dl);
	if (ret || ps->r->bad)
		return ret;
	f->node[me].right = f->nodes;
	ret = if_parse_node(ps, depth + 1, &dr);
	if (ret || ps->r->bad)
		return ret;
	sum = (uint64_t)f->size[me + 1] + f->size[f->node[me].right];
	if (sum > f->psi)
		return cyl_errf(-EINVAL, ps->err, ps->errlen,
				"node %u: %llu rows, more than the sample's %u", me,
				(unsigned long long)sum, f->psi);
	f->size[me] = (uint32_t)sum;
	*deepest = dl > dr ? dl : dr;
	return 0;
}

static int if_load(struct cyl_model *m, struct cyl_rbuf *r, char *err, size_t errlen)
{
	struct if_parse ps = { .r = r, .cols = m->cols, .err = err, .errlen = errlen };
	unsigned int trees = m->p.trees, t;
	uint32_t psi, n, *count;
	uint64_t total = 0;
	struct iforest *f;
	int ret;

	psi = cyl_rbuf_u32(r);
	if (!cyl_rbuf_need(r, trees, 4))
		return 0;
	if (!psi || psi > m->p.sample)
		return cyl_errf(-EINVAL, err, errlen, "sample of %u rows, not in [1, %u]", psi,
				m->p.sample);
	count = malloc(trees * sizeof(*count));
	if (!count)
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	for (t = 0; t < trees; t++) {
		n = count[t] = cyl_rbuf_u32(r);
		if (!(n & 1) || n > 2 * (uint64_t)psi - 1) {
			free(count);
			return cyl_errf(-EINVAL, err, errlen,
					"tree %u: %u nodes, not an odd number up to %llu", t, n,
					2 * (unsigned long long)psi - 1);
		}
		total += n;
	}
	/* a node takes at least 8 bytes: the input bounds the allocation */
	if (!cyl_rbuf_need(r, total, 8) || total >= LEAF) {
		free(count);
		return r->bad ? 0 : cyl_errf(-EINVAL, err, errlen, "too many nodes");
	}
	f = calloc(1, sizeof(*f));
	m->impl = f;
	if (!f || if_alloc(f, trees, total)) {
		free(count);
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	}
	f->psi = psi;
	f->norm = psi > 1 ? if_c(psi) : 1;
	f->root[0] = 0;
	for (t = 0; t < trees; t++)
		f->root[t + 1] = f->root[t] + count[t];
	free(count);
	ps.f = f;
	ps.max_depth = if_max_depth(psi);
	for (t = 0; t < trees; t++) {
		ps.end = f->root[t + 1];
		ret = if_parse_node(&ps, 0, &f->depth[t]);
		if (ret || r->bad)
			return ret;
		if (f->nodes != ps.end)
			return cyl_errf(-EINVAL, err, errlen,
					"tree %u: %u nodes, its count says %u", t,
					f->nodes - f->root[t], ps.end - f->root[t]);
		if (f->size[f->root[t]] != psi)
			return cyl_errf(-EINVAL, err, errlen,
					"tree %u: leaves of %u rows, the sample has %u", t,
					f->size[f->root[t]], psi);
	}
	if (!(m->threshold > 0 && m->threshold <= 1))
		return cyl_errf(-EINVAL, err, errlen, "threshold %g is not in (0, 1]",
				m->threshold);
	return 0;
}

const struct cyl_model_ops cyl_iforest_ops = {
	.train = if_train,
	.score_rows = if_score_rows,
	.explain = if_explain,
	.save = if_save,
	.load = if_load,
	.free = if_free,
};
