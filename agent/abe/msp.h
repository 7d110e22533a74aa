/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Monotone span programs over Fr from policy trees (abe/policy.h): a
 * matrix M with one row per leaf, in the policy's leaf order, row i
 * labelled rho(i) = its leaf's attribute.  A set of attributes satisfies
 * the policy exactly when (1, 0, ..., 0) is a combination of its rows;
 * with v = (s, r_2, ..., r_cols) the shares lambda_i = M_i . v reveal s
 * to exactly those sets.
 *
 * The construction, Lewko-Waters (EUROCRYPT 2011, appendix G) with
 * thresholds: the root's vector is (1); a gate with vector v (padded
 * with zeros) gives its children vectors over k - 1 new columns:
 *   - or (1 of n): every child gets v;
 *   - and (n of n): Lewko-Waters' (v || 1), (0 || -1) applied to the
 *     chain c1 and (c2 and (... and cn)): child 1 gets v || e_1, child i
 *     (1 < i < n) gets 0 || (e_i - e_(i-1)), child n gets 0 || -e_(n-1);
 *     only all of them sum to v || 0, with coefficients 1;
 *   - k of n (1 < k < n): child i gets v || (i, i^2, ..., i^(k-1)), so
 *     its share is f(i) for a polynomial f of degree k - 1 with f(0) the
 *     gate's share: any k children recover it (Lagrange at 0), fewer
 *     learn nothing.
 * So and/or policies reconstruct with coefficients 0 and 1 only (a
 * decryptor multiplies instead of exponentiating).  The gates take their
 * new columns in preorder: 1 + sum over gates of (k - 1) <= rows columns.
 */
#ifndef CYL_ABE_MSP_H
#define CYL_ABE_MSP_H

#include <stddef.h>

#include "abe/fr.h"
#include "abe/policy.h"

struct cyl_abe_msp_node;

struct cyl_abe_msp {
	size_t rows;		/* <= CYL_ABE_POLICY_LEAVES_MAX */
	size_t cols;		/* <= rows */
	cyl_fr *m;		/* M_i is m + i * cols */
	char **rho;		/* rho(i): row i's "name:value" */
	/* Private: the policy's gates, for cyl_abe_msp_reconstruct(). */
	struct cyl_abe_msp_node *nodes;
	size_t n_nodes;
};

/*
 * The MSP of @policy, independent of it afterwards.  Returns 0 with *@out
 * set (free it with cyl_abe_msp_free()), -EINVAL for a tree the parser
 * would not have made (a gate without 2 children or 1 <= k <= n, more
 * than CYL_ABE_POLICY_LEAVES_MAX leaves), -ENOMEM.
 */
int cyl_abe_msp_from_policy(const struct cyl_abe_policy *policy,
			    struct cyl_abe_msp **out);

void cyl_abe_msp_free(struct cyl_abe_msp *msp);

/*
 * Coefficients w[0..rows) with sum_i w_i M_i = (1, 0, ..., 0), w_i zero
 * unless rho(i) is one of @attrs[0..n): walks the tree, taking at each
 * gate its first satisfied children (the first one of an or, the first k
 * of a threshold).  Returns 0, -ENOENT when @attrs do not satisfy the
 * policy (w all zero), -ENOMEM.
 */
int cyl_abe_msp_reconstruct(const struct cyl_abe_msp *msp,
			    const char *const *attrs, size_t n, cyl_fr *w);

/* lambda_i = M_i . v for v[0..cols), lambda[0..rows). */
void cyl_abe_msp_shares(const struct cyl_abe_msp *msp, const cyl_fr *v,
			cyl_fr *lambda);

#endif /* CYL_ABE_MSP_H */
