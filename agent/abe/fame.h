/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FAME, the CP-ABE scheme of Agrawal and Chase ("FAME: Fast Attribute-based
 * Message Encryption", CCS 2017, section 4), on BLS12-381 under DLIN
 * (assumption size k = 2), used as a key encapsulation: encryption under a
 * policy yields a GT element and a ciphertext from which exactly the keys
 * whose attributes satisfy the policy recover that element.  The payload
 * encryption on top of it lives in seal.c.
 *
 * g and h are the standard generators of G1 and G2.  Hashes into G1 (the
 * scheme's H) use RFC 9380 hash_to_curve with the DST CYL_FAME_DST:
 *   attribute terms H(y, l, t):  "A" || y || 0x00 || l || t
 *   column terms    H(0, j, l, t): "U" || j (4 bytes, big endian) || l || t
 * with l in 1..3 and t in 1..2 as single bytes.  Attributes never contain
 * a NUL byte, so the two families cannot collide.
 */
#ifndef CYL_ABE_FAME_H
#define CYL_ABE_FAME_H

#include <stddef.h>

#include "abe/fp12.h"
#include "abe/fr.h"
#include "abe/g1.h"
#include "abe/g2.h"
#include "abe/msp.h"
#include "abe/policy.h"

#define CYL_FAME_DST	"CYLCOMED-FAME-V01-CS01-with-BLS12381G1_XMD:SHA-256_SSWU_RO_"

struct cyl_fame_pk {
	cyl_g2 h_a[2];		/* h^a1, h^a2 */
	cyl_fp12 e_gh_ka[2];	/* e(g,h)^(d1 a1 + d3), e(g,h)^(d2 a2 + d3) */
};

/* The master secret key.  Wipe it with cyl_fame_msk_clear(). */
struct cyl_fame_msk {
	cyl_fr a[2], b[2];
	cyl_g1 g_d[3];		/* g^d1, g^d2, g^d3 */
};

/* A user's secret key for a set of attributes. */
struct cyl_fame_key {
	size_t n_attrs;
	char **attrs;		/* sorted, distinct */
	cyl_g2 k0[3];		/* h^(b1 r1), h^(b2 r2), h^(r1 + r2) */
	cyl_g1 kp[3];		/* sk' */
	cyl_g1 (*k)[3];		/* sk_y for each attribute, same order */
};

/* A ciphertext: the policy (canonical text) and one row per MSP row. */
struct cyl_fame_ct {
	char *policy;
	size_t rows;
	cyl_g2 c0[3];		/* h^(a1 s1), h^(a2 s2), h^(s1 + s2) */
	cyl_g1 (*c)[3];
};

/* 0, or -EIO when OpenSSL gives no random bytes. */
int cyl_fame_setup(struct cyl_fame_pk *pk, struct cyl_fame_msk *msk);
/* Recompute the public key of a master key (same h_a and e_gh_ka). */
void cyl_fame_pk_from_msk(struct cyl_fame_pk *pk, const struct cyl_fame_msk *msk);
void cyl_fame_msk_clear(struct cyl_fame_msk *msk);

/*
 * A key for @n attributes (validated "name:value" strings, see policy.h;
 * duplicates are refused).  0, -EINVAL, -ENOMEM or -EIO.
 */
int cyl_fame_keygen(struct cyl_fame_key *key, const struct cyl_fame_msk *msk,
		    const char *const *attrs, size_t n);
void cyl_fame_key_free(struct cyl_fame_key *key);

/*
 * Encapsulate under @policy: *kem is the fresh GT element, @ct what
 * recovers it.  0, -ENOMEM or -EIO.
 */
int cyl_fame_encrypt(struct cyl_fame_ct *ct, cyl_fp12 *kem,
		     const struct cyl_fame_pk *pk, const struct cyl_abe_policy *policy);
/*
 * Recover *kem.  -EACCES when the key's attributes do not satisfy the
 * policy, -EINVAL when the ciphertext does not match its own policy
 * (wrong row count, unparsable policy), -ENOMEM.  A tampered ciphertext
 * yields a wrong *kem, which the payload's authentication then refuses.
 */
int cyl_fame_decrypt(cyl_fp12 *kem, const struct cyl_fame_key *key,
		     const struct cyl_fame_ct *ct);
void cyl_fame_ct_free(struct cyl_fame_ct *ct);

#endif /* CYL_ABE_FAME_H */
