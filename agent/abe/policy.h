/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CP-ABE access policies: boolean formulas over attributes, written as
 * OpenABE users write them, parsed into a tree of threshold gates.
 *
 *   policy    := or_expr
 *   or_expr   := and_expr { "or" and_expr }
 *   and_expr  := term { "and" term }
 *   term      := attribute | "(" or_expr ")"
 *              | K "of" "(" or_expr { "," or_expr } ")"
 *   attribute := name ":" value
 *
 * name is 1..64 of [A-Za-z0-9_.-], value 1..64 of [A-Za-z0-9_.-/@];
 * attributes compare case-sensitively, the keywords and, or, of
 * case-insensitively.  "and" binds tighter than "or".  A threshold has
 * n >= 2 conditions and 1 <= K <= n: K == n is an and, K == 1 an or.
 * Whitespace (space, tab, CR, LF) separates tokens and is needed only
 * between two words.
 *
 * The tree is normalised: a gate is an or (k == 1), an and (k == n) or a
 * real threshold (1 < k < n), always with n >= 2 children, and an and
 * (or) never has an and (or) child: "(a:1 and b:2) and c:3" and
 * "2 of (a:1 and b:2, c:3)" are both the one gate of a:1, b:2, c:3.
 * The canonical text (cyl_abe_policy_to_string()) parses back to the
 * same tree and the same text.
 *
 * Limits, each refused with its own error: CYL_ABE_POLICY_TEXT_MAX bytes
 * of text (and of canonical text), CYL_ABE_POLICY_LEAVES_MAX attributes,
 * CYL_ABE_POLICY_DEPTH_MAX nested parentheses (a threshold's count).
 */
#ifndef CYL_ABE_POLICY_H
#define CYL_ABE_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#define CYL_ABE_POLICY_TEXT_MAX		16384
#define CYL_ABE_POLICY_LEAVES_MAX	256
#define CYL_ABE_POLICY_DEPTH_MAX	32
#define CYL_ABE_ATTR_PART_MAX		64	/* bytes of a name, of a value */
#define CYL_ABE_ATTRS_MAX		256	/* attributes of one key */

struct cyl_abe_policy_node {
	unsigned int k;		/* a gate's threshold; 0 for a leaf */
	unsigned int n;		/* a gate's children; 0 for a leaf */
	struct cyl_abe_policy_node **child;
	char *attr;		/* a leaf's "name:value"; NULL for a gate */
	unsigned int leaf;	/* a leaf's index in cyl_abe_policy.leaves */
};

struct cyl_abe_policy {
	struct cyl_abe_policy_node *root;
	size_t n_leaves;
	/* The leaves' attributes left to right (the text's order). */
	const char **leaves;
};

/*
 * Parse NUL-terminated @text.  Returns 0 with *@out set (free it with
 * cyl_abe_policy_free()), or -EINVAL with *@out NULL and @err holding
 * "policy: column C: ..." (C 1-based, in bytes) quoting the offending
 * token, or "policy: the canonical text is N bytes, ..." when only the
 * canonical text is too long; -ENOMEM likewise.  @err may be NULL when
 * @errlen is 0.
 */
int cyl_abe_policy_parse(const char *text, struct cyl_abe_policy **out,
			 char *err, size_t errlen);

void cyl_abe_policy_free(struct cyl_abe_policy *policy);

/*
 * The canonical text: minimal parentheses, lowercase keywords, single
 * spaces, "k of (...)" only for real thresholds.  Malloc'd; NULL when out
 * of memory.
 */
char *cyl_abe_policy_to_string(const struct cyl_abe_policy *policy);

/* Does the set @attrs[0..n) satisfy @policy? */
bool cyl_abe_policy_satisfied(const struct cyl_abe_policy *policy,
			      const char *const *attrs, size_t n);

/*
 * A key's attribute set: "role:cardiologist, ward:ICU", comma separated,
 * whitespace around the commas allowed, the attribute syntax above, at
 * most CYL_ABE_ATTRS_MAX attributes in CYL_ABE_POLICY_TEXT_MAX bytes, no
 * duplicates.  Returns 0 with *@attrs (malloc'd strings, in the text's
 * order) and *@n, or -EINVAL with "attributes: column C: ..." in @err;
 * -ENOMEM likewise.
 */
int cyl_abe_attrs_parse(const char *text, char ***attrs, size_t *n,
			char *err, size_t errlen);

void cyl_abe_attrs_free(char **attrs, size_t n);

#endif /* CYL_ABE_POLICY_H */
