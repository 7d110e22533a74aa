// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the CP-ABE policy language: any text gives a
 * policy or an error, never a crash or a leak.  A policy's canonical
 * text parses back to the same text and leaves; its MSP builds, and
 * reconstruction for a subset of its attributes picked by the input
 * succeeds exactly when the subset satisfies the policy, with
 * coefficients that combine the rows to (1, 0, ..., 0).  The same text
 * is read as a key's attribute set, each attribute of which must read as
 * a one-leaf policy.  The rest of the library (Fr, util/quote.c) comes
 * as units.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "abe/policy.c"
#include "abe/msp.c"

#define check(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

/* A policy of one leaf, @attr. */
static bool is_attribute(const char *attr)
{
	struct cyl_abe_policy *p;
	bool ok;

	if (cyl_abe_policy_parse(attr, &p, NULL, 0))
		return false;
	ok = !p->root->n && !strcmp(p->root->attr, attr);
	cyl_abe_policy_free(p);
	return ok;
}

static void attribute_set(const char *text)
{
	char err[256], **attrs;
	size_t n, i, j;

	if (cyl_abe_attrs_parse(text, &attrs, &n, err, sizeof(err))) {
		check(!attrs && !n && !strncmp(err, "attributes: ", 12));
		return;
	}
	check(n >= 1 && n <= CYL_ABE_ATTRS_MAX);
	for (i = 0; i < n; i++) {
		check(is_attribute(attrs[i]));
		for (j = 0; j < i; j++)
			check(strcmp(attrs[i], attrs[j]));
	}
	cyl_abe_attrs_free(attrs, n);
}

/* Reconstruct for @set; check the result against satisfied() and M. */
static void reconstruct(const struct cyl_abe_policy *p, const struct cyl_abe_msp *msp,
			const char *const *set, size_t n, cyl_fr *w)
{
	bool sat = cyl_abe_policy_satisfied(p, set, n);
	int rc = cyl_abe_msp_reconstruct(msp, set, n, w);
	cyl_fr sum, t;
	size_t i, j;

	check(rc == (sat ? 0 : -ENOENT));
	for (j = 0; j < msp->cols && !rc; j++) {
		sum = cyl_fr_zero;
		for (i = 0; i < msp->rows; i++) {
			cyl_fr_mul(&t, &w[i], &msp->m[i * msp->cols + j]);
			cyl_fr_add(&sum, &sum, &t);
		}
		check(cyl_fr_eq(&sum, j ? &cyl_fr_zero : &cyl_fr_one));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cyl_abe_policy *p, *q;
	struct cyl_abe_msp *msp;
	const char **set;
	char *text, *canon, *again, err[256];
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i, n;
	cyl_fr *w;
	int rc;

	text = malloc(size + 1);
	check(text);
	memcpy(text, data, size);
	text[size] = '\0';
	attribute_set(text);
	rc = cyl_abe_policy_parse(text, &p, err, sizeof(err));
	if (rc) {
		check(rc == -EINVAL && !p && !strncmp(err, "policy: ", 8));
		free(text);
		return 0;
	}
	check(!err[0] && p->n_leaves >= 1 && p->n_leaves <= CYL_ABE_POLICY_LEAVES_MAX);

	/* The canonical text reads back to itself. */
	canon = cyl_abe_policy_to_string(p);
	check(canon && strlen(canon) <= CYL_ABE_POLICY_TEXT_MAX);
	check(!cyl_abe_policy_parse(canon, &q, err, sizeof(err)));
	again = cyl_abe_policy_to_string(q);
	check(again && !strcmp(canon, again));
	check(q->n_leaves == p->n_leaves);
	for (i = 0; i < p->n_leaves; i++)
		check(!strcmp(p->leaves[i], q->leaves[i]) && is_attribute(p->leaves[i]));

	check(!cyl_abe_msp_from_policy(p, &msp));
	check(msp->rows == p->n_leaves && msp->cols >= 1 && msp->cols <= msp->rows);
	set = calloc(p->n_leaves, sizeof(*set));
	w = calloc(p->n_leaves, sizeof(*w));
	check(set && w);
	/* All the leaves satisfy a monotone policy, none do not. */
	reconstruct(p, msp, p->leaves, p->n_leaves, w);
	check(cyl_abe_policy_satisfied(p, p->leaves, p->n_leaves));
	reconstruct(p, msp, NULL, 0, w);
	check(!cyl_abe_policy_satisfied(p, NULL, 0));
	/* Some of them, picked by a hash of the input. */
	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ULL;
	for (i = n = 0; i < p->n_leaves; i++) {
		h = h * 6364136223846793005ULL + 1442695040888963407ULL;
		if (h >> 63)
			set[n++] = p->leaves[i];
	}
	reconstruct(p, msp, set, n, w);

	free(set);
	free(w);
	cyl_abe_msp_free(msp);
	free(canon);
	free(again);
	cyl_abe_policy_free(q);
	cyl_abe_policy_free(p);
	free(text);
	return 0;
}
