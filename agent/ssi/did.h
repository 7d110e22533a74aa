/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decentralized identifiers: did:key for Ed25519 (multicodec 0xed) and
 * P-256 (0x1200, compressed point), base58btc, resolved to the DID
 * document the did:key method specifies (one Multikey verification
 * method, id "<did>#<multibase>", listed under authentication,
 * assertionMethod, capabilityInvocation and capabilityDelegation); and
 * did:web resolved from a local cache directory, since a gateway has no
 * internet: did:web:host[%3Aport][:path...] is the file
 *   <cache>/<host>[%3Aport]/<path...>/did.json   (no path: .well-known/did.json)
 * and the document's "id" must be the DID itself.
 *
 * Key files (cylctl ssi did create): a JSON object
 *   {"did": ..., "publicKeyMultibase": "z...", "privateKeyMultibase": "z..."}
 * with mode 0600; the private key is multicodec 0x1300 (Ed25519 seed) or
 * 0x1306 (P-256 scalar, 32 bytes big endian), as in the W3C vectors.
 */
#ifndef CYL_SSI_DID_H
#define CYL_SSI_DID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/evp.h>

enum cyl_did_key_type {
	CYL_DID_ED25519,
	CYL_DID_P256,
};

struct cyl_did_resolver {
	const char *web_cache;	/* did:web documents; NULL: did:web unresolvable */
};

/*
 * A new key pair, random or from a 32-byte @seed (Ed25519: the private
 * key itself; P-256: the scalar, which must be in 1..n-1).  *@priv is the
 * private key, *@did its did:key (malloc'd).  0, -EINVAL (bad seed) with
 * the reason in @err, -EIO.
 */
int cyl_did_key_generate(enum cyl_did_key_type type, const uint8_t *seed,
			 EVP_PKEY **priv, char **did, char *err, size_t errlen);

/* The did:key of a public (or private) key; NULL if not Ed25519/P-256. */
char *cyl_did_key_from_pkey(const EVP_PKEY *pkey);

/* The multibase ("z...") public key of @pkey, malloc'd. */
char *cyl_did_pubkey_multibase(const EVP_PKEY *pkey);

/* The type of @pkey (public or private): 0, or -EINVAL if not Ed25519/P-256. */
int cyl_did_key_type(const EVP_PKEY *pkey, enum cyl_did_key_type *type);

/*
 * Resolve @did to its DID document (a new reference in *@doc).  -EINVAL
 * for a malformed DID or document, -ENOENT when not in the cache,
 * -EPROTONOSUPPORT for another method; the reason in @err.
 */
int cyl_did_resolve(const struct cyl_did_resolver *r, const char *did, json_t **doc,
		    char *err, size_t errlen);

/*
 * Dereference the verification method URL @vm ("did...#fragment"): its
 * DID resolved, the method found in the document and listed under the
 * verification relationship @relationship ("assertionMethod",
 * "authentication"), its key a Multikey publicKeyMultibase of Ed25519 or
 * P-256.  *@pub is the public key.  Errors as cyl_did_resolve(), and
 * -ENOENT when the document has no such method, -EACCES when it is not
 * authorized for @relationship or its controller is not the DID.
 */
int cyl_did_resolve_vm(const struct cyl_did_resolver *r, const char *vm,
		       const char *relationship, EVP_PKEY **pub, char *err, size_t errlen);

/* The DID part of a DID URL (up to '#', '?' or '/' after the method). */
char *cyl_did_of_url(const char *url);

/* Key files. */
int cyl_did_keyfile_write(const char *path, const EVP_PKEY *priv, char *err, size_t errlen);
int cyl_did_keyfile_read(const char *path, EVP_PKEY **priv, char **did,
			 char *err, size_t errlen);

#endif /* CYL_SSI_DID_H */
