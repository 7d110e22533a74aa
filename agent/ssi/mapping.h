/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From verified claims to CP-ABE attributes, by the policy's mapping
 * table (ssi.mapping): a rule says that the claim @claim of a credential
 * accepted as type @credential gives the attribute "@attribute:<value>".
 * Pure: the verified credentials in, the attribute set out (sorted
 * bytewise and distinct, as cyl_fame_keygen() and the key encoding want
 * them), with a reason for every claim value that could not become an
 * attribute.
 *
 * A claim's value maps when it is a string or an integer (its decimal
 * text), or an array of those (one attribute each), and the result is an
 * attribute of abe/policy.h (a value of 1..64 of [A-Za-z0-9_.-/@]).
 * Anything else is skipped, with the reason: an absent claim is not
 * worth one (a rule may serve credentials that lack it).
 */
#ifndef CYL_SSI_MAPPING_H
#define CYL_SSI_MAPPING_H

#include <stddef.h>

#include "ssi/verify.h"

/* One row of the mapping table. */
struct cyl_ssi_map_rule {
	char *credential;	/* a credential type, e.g. ClinicianCredential */
	char *claim;		/* a member of its credentialSubject, e.g. role */
	char *attribute;	/* an ABE attribute name, e.g. role */
};

#define CYL_SSI_MAP_REASON_MAX	160	/* bytes of one skip reason */

struct cyl_ssi_mapped {
	size_t n;
	char **attrs;		/* "name:value", sorted bytewise, distinct */
	size_t n_skipped;
	char **skipped;		/* "ClinicianCredential.role: ..." */
};

/*
 * Map the claims of @creds[0..n_creds) by @rules[0..n_rules) into @out
 * (free it with cyl_ssi_mapped_free() in every case).  0, or -ENOMEM.
 * At most CYL_ABE_ATTRS_MAX attributes are kept; the others are skipped
 * with a reason.
 */
int cyl_ssi_map_claims(const struct cyl_ssi_map_rule *rules, size_t n_rules,
		       const struct cyl_ssi_credential *creds, size_t n_creds,
		       struct cyl_ssi_mapped *out);

void cyl_ssi_mapped_free(struct cyl_ssi_mapped *m);

#endif /* CYL_SSI_MAPPING_H */
