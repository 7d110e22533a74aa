// SPDX-License-Identifier: GPL-2.0
/*
 * Monotone span programs from policy trees (the construction is in
 * abe/msp.h) and reconstruction by walking the tree with Lagrange
 * coefficients at the thresholds.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "abe/msp.h"

/* The tree in preorder: a node's children follow it, each after the last's subtree. */
struct cyl_abe_msp_node {
	uint16_t k, n;		/* n == 0: a leaf */
	uint16_t size;		/* nodes in the subtree, this one included */
	uint16_t row;		/* a leaf's row; a gate's first leaf's */
	uint16_t cols;		/* columns the subtree's gates add */
};

/* Sizes of a valid tree; -EINVAL when it is not one. */
struct count {
	size_t leaves, nodes, cols;
};

static int measure(const struct cyl_abe_policy_node *node, unsigned int depth,
		   struct count *c)
{
	unsigned int i;
	int rc;

	/* With n >= 2 everywhere, a path holds fewer gates than leaves. */
	if (!node || depth > CYL_ABE_POLICY_LEAVES_MAX)
		return -EINVAL;
	c->nodes++;
	if (!node->n) {
		if (!node->attr || ++c->leaves > CYL_ABE_POLICY_LEAVES_MAX)
			return -EINVAL;
		return 0;
	}
	if (node->n < 2 || node->k < 1 || node->k > node->n || !node->child)
		return -EINVAL;
	c->cols += node->k - 1;
	for (i = 0; i < node->n; i++) {
		rc = measure(node->child[i], depth + 1, c);
		if (rc)
			return rc;
	}
	return 0;
}

/* Copy the tree into msp->nodes from @idx on, rows from *@row; the next index. */
static size_t flatten(struct cyl_abe_msp *msp, const struct cyl_abe_policy_node *node,
		      size_t idx, size_t *row)
{
	struct cyl_abe_msp_node *out = &msp->nodes[idx];
	size_t next = idx + 1, c;
	unsigned int i;

	out->k = node->k;
	out->n = node->n;
	out->row = *row;
	out->cols = node->n ? node->k - 1 : 0;
	if (!node->n)
		msp->rho[(*row)++] = node->attr;
	for (i = 0; i < node->n; i++) {
		c = next;
		next = flatten(msp, node->child[i], c, row);
		out->cols += msp->nodes[c].cols;
	}
	out->size = next - idx;
	return next;
}

static cyl_fr *row_of(const struct cyl_abe_msp *msp, size_t row)
{
	return msp->m + row * msp->cols;
}

/*
 * Child @i (1-based) of gate @g, whose vector is in the gate's first row,
 * gets its vector in its own first row @to (which may be that row).
 */
static void child_vector(const struct cyl_abe_msp *msp, const struct cyl_abe_msp_node *g,
			 size_t base, unsigned int i, cyl_fr *to)
{
	const cyl_fr *v = row_of(msp, g->row);
	cyl_fr x, p;
	unsigned int j;

	if (g->k == g->n && i > 1) {
		memset(to, 0, msp->cols * sizeof(*to));
		cyl_fr_from_i64(&to[base + i - 2], -1);
		if (i < g->n)
			to[base + i - 1] = cyl_fr_one;
		return;
	}
	if (to != v)
		memcpy(to, v, msp->cols * sizeof(*to));
	if (g->k == 1)
		return;
	if (g->k == g->n) {
		to[base] = cyl_fr_one;
		return;
	}
	cyl_fr_from_u64(&x, i);
	p = x;
	for (j = 0; j + 1 < g->k; j++) {
		to[base + j] = p;
		cyl_fr_mul(&p, &p, &x);
	}
}

/*
 * Fill the rows of the subtree at @idx, whose vector is in its first row;
 * its gates take the columns from @col on, in preorder.
 */
static void build(struct cyl_abe_msp *msp, size_t idx, size_t col)
{
	const struct cyl_abe_msp_node *g = &msp->nodes[idx];
	size_t first = idx + 1, c, next;
	unsigned int i;

	if (!g->n)
		return;
	c = first + msp->nodes[first].size;
	next = col + g->k - 1 + msp->nodes[first].cols;
	/* Child 1 shares the gate's row: it goes last. */
	for (i = 2; i <= g->n; i++) {
		child_vector(msp, g, col, i, row_of(msp, msp->nodes[c].row));
		build(msp, c, next);
		next += msp->nodes[c].cols;
		c += msp->nodes[c].size;
	}
	child_vector(msp, g, col, 1, row_of(msp, g->row));
	build(msp, first, col + g->k - 1);
}

int cyl_abe_msp_from_policy(const struct cyl_abe_policy *policy,
			    struct cyl_abe_msp **out)
{
	struct count c = { .cols = 1 };
	struct cyl_abe_msp *msp;
	size_t row = 0, i = 0;
	int rc;

	*out = NULL;
	rc = measure(policy->root, 0, &c);
	if (rc)
		return rc;
	msp = calloc(1, sizeof(*msp));
	if (!msp)
		return -ENOMEM;
	msp->rows = c.leaves;
	msp->cols = c.cols;
	msp->n_nodes = c.nodes;
	msp->m = calloc(c.leaves * c.cols, sizeof(*msp->m));
	msp->rho = calloc(c.leaves, sizeof(*msp->rho));
	msp->nodes = calloc(c.nodes, sizeof(*msp->nodes));
	if (!msp->m || !msp->rho || !msp->nodes)
		goto nomem;
	/* rho borrows the policy's strings until they are copied below. */
	flatten(msp, policy->root, 0, &row);
	for (i = 0; i < msp->rows; i++) {
		msp->rho[i] = strdup(msp->rho[i]);
		if (!msp->rho[i])
			goto nomem;
	}
	msp->m[0] = cyl_fr_one;
	build(msp, 0, 1);
	*out = msp;
	return 0;
nomem:
	/* Only the copies: the entries past them are NULL or the policy's. */
	while (i-- > 0)
		free(msp->rho[i]);
	msp->rows = 0;
	cyl_abe_msp_free(msp);
	return -ENOMEM;
}

void cyl_abe_msp_free(struct cyl_abe_msp *msp)
{
	size_t i;

	if (!msp)
		return;
	for (i = 0; i < msp->rows; i++)
		free(msp->rho[i]);
	free(msp->rho);
	free(msp->m);
	free(msp->nodes);
	free(msp);
}

/* L_i(0) for the points x[0..k): prod_{j != i} x_j / (x_j - x_i). */
static void lagrange_at_zero(cyl_fr *r, const unsigned int *x, unsigned int k,
			     unsigned int i)
{
	cyl_fr num = cyl_fr_one, den = cyl_fr_one, t;
	unsigned int j;

	for (j = 0; j < k; j++) {
		if (j == i)
			continue;
		cyl_fr_from_u64(&t, x[j]);
		cyl_fr_mul(&num, &num, &t);
		cyl_fr_from_i64(&t, (int64_t)x[j] - x[i]);
		cyl_fr_mul(&den, &den, &t);
	}
	cyl_fr_inv(&den, &den);
	cyl_fr_mul(r, &num, &den);
}

/*
 * Give the children of gate @idx that reconstruct it their coefficients:
 * @coef[idx] times 1 for an and or an or, times L_i(0) for a threshold.
 */
static void split(const struct cyl_abe_msp *msp, size_t idx, const bool *sat,
		  bool *use, cyl_fr *coef)
{
	const struct cyl_abe_msp_node *g = &msp->nodes[idx];
	unsigned int x[CYL_ABE_POLICY_LEAVES_MAX];
	size_t at[CYL_ABE_POLICY_LEAVES_MAX];
	size_t c = idx + 1;
	unsigned int i, k = 0;

	for (i = 1; i <= g->n && k < g->k; i++, c += msp->nodes[c].size) {
		if (sat[c]) {
			x[k] = i;
			at[k++] = c;
		}
	}
	for (i = 0; i < k; i++) {
		use[at[i]] = true;
		if (g->k == 1 || g->k == g->n) {
			coef[at[i]] = coef[idx];
		} else {
			lagrange_at_zero(&coef[at[i]], x, k, i);
			cyl_fr_mul(&coef[at[i]], &coef[at[i]], &coef[idx]);
		}
	}
}

int cyl_abe_msp_reconstruct(const struct cyl_abe_msp *msp,
			    const char *const *attrs, size_t n, cyl_fr *w)
{
	const struct cyl_abe_msp_node *g;
	size_t idx, c, j;
	unsigned int i, got;
	cyl_fr *coef;
	bool *sat, *use;
	int rc = 0;

	for (j = 0; j < msp->rows; j++)
		w[j] = cyl_fr_zero;
	sat = calloc(msp->n_nodes, 2 * sizeof(*sat));
	coef = malloc(msp->n_nodes * sizeof(*coef));
	if (!sat || !coef) {
		rc = -ENOMEM;
		goto out;
	}
	use = sat + msp->n_nodes;
	/* Children follow their parent: in reverse they come first. */
	for (idx = msp->n_nodes; idx-- > 0;) {
		g = &msp->nodes[idx];
		if (!g->n) {
			for (j = 0; j < n && !sat[idx]; j++)
				sat[idx] = !strcmp(attrs[j], msp->rho[g->row]);
			continue;
		}
		got = 0;
		c = idx + 1;
		for (i = 0; i < g->n; i++, c += msp->nodes[c].size)
			got += sat[c];
		sat[idx] = got >= g->k;
	}
	if (!sat[0]) {
		rc = -ENOENT;
		goto out;
	}
	use[0] = true;
	coef[0] = cyl_fr_one;
	for (idx = 0; idx < msp->n_nodes; idx++) {
		g = &msp->nodes[idx];
		if (!use[idx])
			continue;
		if (g->n)
			split(msp, idx, sat, use, coef);
		else
			w[g->row] = coef[idx];
	}
out:
	free(sat);
	free(coef);
	return rc;
}

void cyl_abe_msp_shares(const struct cyl_abe_msp *msp, const cyl_fr *v,
			cyl_fr *lambda)
{
	size_t i, j;
	cyl_fr t;

	for (i = 0; i < msp->rows; i++) {
		const cyl_fr *m = row_of(msp, i);

		lambda[i] = cyl_fr_zero;
		for (j = 0; j < msp->cols; j++) {
			cyl_fr_mul(&t, &m[j], &v[j]);
			cyl_fr_add(&lambda[i], &lambda[i], &t);
		}
	}
}
