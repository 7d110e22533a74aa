/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CVSS v3.1 base vectors: parsing "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
 * the base score by the FIRST CVSS v3.1 specification (section 7.1, with
 * Appendix A's Roundup), and its qualitative rating (section 5).  Pure
 * code, no I/O.
 *
 * A vector has the prefix "CVSS:3.1/" and each of the eight base metrics
 * exactly once, in any order (the specification prefers the order above
 * but accepts others).  Temporal and environmental metrics are refused:
 * the register stores the base vector; how it reads in the clinic is the
 * author's call (Documentation/risk.md).
 */
#ifndef CYL_RISK_CVSS_H
#define CYL_RISK_CVSS_H

#include <stddef.h>

#define CYL_CVSS_PREFIX		"CVSS:3.1/"
/* The longest canonical base vector: "CVSS:3.1/AV:N/.../A:H" is 44 bytes. */
#define CYL_CVSS_VECTOR_SIZE	48

enum cyl_cvss_metric {
	CYL_CVSS_AV,	/* Attack Vector: N, A, L, P */
	CYL_CVSS_AC,	/* Attack Complexity: L, H */
	CYL_CVSS_PR,	/* Privileges Required: N, L, H */
	CYL_CVSS_UI,	/* User Interaction: N, R */
	CYL_CVSS_S,	/* Scope: U, C */
	CYL_CVSS_C,	/* Confidentiality: H, L, N */
	CYL_CVSS_I,	/* Integrity: H, L, N */
	CYL_CVSS_A,	/* Availability: H, L, N */
	CYL_CVSS_N_METRICS
};

struct cyl_cvss {
	char v[CYL_CVSS_N_METRICS];	/* each metric's value letter */
	unsigned int score10;		/* base score in tenths, 0..100 */
};

struct cyl_cvss_error {
	size_t offset;		/* byte of the input where it went wrong */
	char text[192];		/* "AV (Attack Vector): unknown value ..." */
};

/*
 * Parse the @len bytes of @s into @out, score included.  0, or -EINVAL
 * with @err filled: the text names the metric at fault.
 */
int cyl_cvss_parse(const char *s, size_t len, struct cyl_cvss *out,
		   struct cyl_cvss_error *err);

/* The base score of a parsed vector, in tenths (98 is 9.8). */
unsigned int cyl_cvss_base_score(const struct cyl_cvss *v);

/* "None", "Low", "Medium", "High" or "Critical" for a score in tenths. */
const char *cyl_cvss_rating(unsigned int score10);

/* The vector in the specification's order, into @buf (truncated to @size). */
const char *cyl_cvss_format(const struct cyl_cvss *v, char *buf, size_t size);

#endif /* CYL_RISK_CVSS_H */
