/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verifying a Verifiable Presentation (VC Data Model 2.0) for access:
 *   1. bounded JSON, type VerifiablePresentation, the v2 context first;
 *   2. its proof (Data Integrity, purpose "authentication"): the
 *      challenge, which the caller's check() consumes, and the domain;
 *      signed by a verification method of the holder's DID ("holder"
 *      must be the DID of the proof's verification method);
 *   3. each credential in "verifiableCredential": its proof (purpose
 *      "assertionMethod") by its issuer's DID; the issuer trusted for at
 *      least one of its types; validFrom <= now <= validUntil; its
 *      subject's "id" the holder; each BitstringStatusListEntry in
 *      "credentialStatus" (purposes "revocation" and "suspension")
 *      looked up in a status list credential that is itself verified
 *      (same issuer, proof, validity) and not older than the freshness
 *      bound (GZIP'd bitstring, multibase base64url, at least 16 KiB).
 * Every refusal has its own reason code and a message.
 */
#ifndef CYL_SSI_VERIFY_H
#define CYL_SSI_VERIFY_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "ssi/challenge.h"
#include "ssi/did.h"

enum cyl_ssi_reason {
	CYL_SSI_OK,
	CYL_SSI_MALFORMED,		/* not JSON, wrong shape, too large, duplicate keys */
	CYL_SSI_WRONG_CHALLENGE,
	CYL_SSI_REUSED_CHALLENGE,
	CYL_SSI_EXPIRED_CHALLENGE,
	CYL_SSI_WRONG_DOMAIN,
	CYL_SSI_BAD_SIGNATURE,		/* a proof that does not verify (tampering, another key) */
	CYL_SSI_UNRESOLVABLE,		/* a DID or verification method not found */
	CYL_SSI_HOLDER_MISMATCH,	/* holder, proof signer and subject disagree */
	CYL_SSI_UNTRUSTED_ISSUER,
	CYL_SSI_NOT_YET_VALID,
	CYL_SSI_EXPIRED,
	CYL_SSI_REVOKED,
	CYL_SSI_SUSPENDED,
	CYL_SSI_STATUS_UNAVAILABLE,	/* no fresh, verified status list */
	CYL_SSI_NO_CREDENTIAL,		/* nothing the policy maps */
};

/* "ok", "malformed", "wrong-challenge", ... (stable: events carry them). */
const char *cyl_ssi_reason_name(enum cyl_ssi_reason reason);

/* Who may issue which credential type (the policy's trusted issuers). */
struct cyl_ssi_issuer_rule {
	const char *type;		/* a credential type, e.g. ClinicianCredential */
	const char *const *issuers;	/* DIDs */
	size_t n_issuers;
};

struct cyl_ssi_verifier {
	const struct cyl_did_resolver *resolver;
	const struct cyl_ssi_issuer_rule *rules;
	size_t n_rules;
	const char *domain;		/* expected proof domain */
	time_t now;			/* wall clock, for validity */
	/* Check and consume the proof's challenge (the agent's table). */
	enum cyl_challenge_status (*check_challenge)(void *arg, const char *challenge);
	void *arg;
	/* Directory of status list credentials, file name = SHA-256 of URL, hex + ".json". */
	const char *status_dir;
	unsigned int status_max_age;	/* seconds since the list's validFrom */
};

struct cyl_ssi_credential {
	char *type;		/* the trusted type it was accepted as */
	char *issuer;
	json_t *subject;	/* its credentialSubject (a reference) */
};

struct cyl_ssi_result {
	enum cyl_ssi_reason reason;
	char message[256];	/* what, and where ("verifiableCredential[1]: ...") */
	char *holder;		/* the verified holder DID */
	size_t n;
	struct cyl_ssi_credential *creds;
};

/*
 * Verify the presentation in @text (@len bytes).  Returns the reason
 * (CYL_SSI_OK on success) and fills @res; free it with
 * cyl_ssi_result_free() in every case.
 */
enum cyl_ssi_reason cyl_ssi_verify_presentation(const struct cyl_ssi_verifier *v,
						const char *text, size_t len,
						struct cyl_ssi_result *res);

/* The same checks for one credential alone (no holder binding). */
enum cyl_ssi_reason cyl_ssi_verify_credential(const struct cyl_ssi_verifier *v,
					      const json_t *vc, struct cyl_ssi_result *res);

void cyl_ssi_result_free(struct cyl_ssi_result *res);

/* The file a status list credential is cached under, in @out (65 + 5). */
void cyl_ssi_status_cache_name(const char *url, char out[70]);

#endif /* CYL_SSI_VERIFY_H */
