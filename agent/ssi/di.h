/* SPDX-License-Identifier: GPL-2.0 */
/*
 * W3C Data Integrity proofs with the JCS cryptosuites: eddsa-jcs-2022
 * (Ed25519) and ecdsa-jcs-2019 (P-256, SHA-256, r || s).  The signed
 * bytes are SHA-256(JCS(proof options)) || SHA-256(JCS(document without
 * "proof")), the proof options being the proof without "proofValue",
 * with the document's "@context" when it has one; "proofValue" is the
 * signature in base58btc multibase.
 */
#ifndef CYL_SSI_DI_H
#define CYL_SSI_DI_H

#include <stddef.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "ssi/did.h"

struct cyl_di_options {
	const char *verification_method;	/* required */
	const char *proof_purpose;		/* "assertionMethod", "authentication" */
	const char *created;			/* NULL: now, as XML dateTime UTC */
	const char *challenge;			/* optional */
	const char *domain;			/* optional */
};

/*
 * Add a "proof" to @doc (which must not have one) made with @priv; the
 * cryptosuite follows the key type.  0, -EINVAL, -ENOMEM, -EIO; reason in
 * @err.
 */
int cyl_di_sign(json_t *doc, EVP_PKEY *priv, const struct cyl_di_options *o,
		char *err, size_t errlen);

/* The hash data the proof signs (64 bytes), for the vector tests. */
int cyl_di_hash_data(const json_t *doc, const json_t *proof_options, uint8_t out[64],
		     char *err, size_t errlen);

/*
 * Verify @doc's single proof: type DataIntegrityProof, a known
 * cryptosuite matching the key, proofPurpose @purpose, the verification
 * method resolved through @r and authorized for that purpose, the
 * signature.  On success *@proof is @doc's proof object (borrowed).
 * Errors: -EBADMSG the signature does not verify, -EINVAL a malformed or
 * unsupported proof, or what cyl_did_resolve_vm() returns; reason in @err.
 */
int cyl_di_verify(const json_t *doc, const struct cyl_did_resolver *r, const char *purpose,
		  const json_t **proof, char *err, size_t errlen);

#endif /* CYL_SSI_DI_H */
