// SPDX-License-Identifier: GPL-2.0
/*
 * Data Integrity proofs (W3C Verifiable Credential Data Integrity 1.0)
 * with the JCS cryptosuites of "Data Integrity EdDSA Cryptosuites v1.0"
 * (eddsa-jcs-2022) and "Data Integrity ECDSA Cryptosuites v1.0"
 * (ecdsa-jcs-2019 on P-256): the proof configuration and the document
 * are canonicalized with JCS and hashed with SHA-256, and the signature
 * over hash(proof configuration) || hash(document) is Ed25519, or ECDSA
 * with SHA-256 written as r || s; multibase base58btc in "proofValue".
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/sha.h>

#include "ssi/di.h"
#include "ssi/jcs.h"
#include "ssi/json.h"
#include "ssi/multibase.h"
#include "util/errbuf.h"

#define HALF		32	/* a SHA-256 hash, an ECDSA P-256 r or s */
#define SIG_LEN		64
#define DER_SIG_MAX	80	/* an ECDSA P-256 signature in DER is at most 72 bytes */

struct suite {
	const char *name;
	enum cyl_did_key_type key;
	const char *key_name;
};

static const struct suite suites[] = {
	{ "eddsa-jcs-2022", CYL_DID_ED25519, "Ed25519" },
	{ "ecdsa-jcs-2019", CYL_DID_P256, "P-256" },
};

static const struct suite *suite_of_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (!strcmp(suites[i].name, name))
			return &suites[i];
	return NULL;
}

static const struct suite *suite_of_key(enum cyl_did_key_type key)
{
	return &suites[key == CYL_DID_P256];
}

static bool digits(const char *s, size_t n, unsigned int lo, unsigned int hi)
{
	unsigned int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	return v >= lo && v <= hi;
}

/* An XML Schema dateTimeStamp: YYYY-MM-DDThh:mm:ss[.s+] and Z or +hh:mm / -hh:mm. */
static bool is_datetime(const char *s)
{
	if (!digits(s, 4, 0, 9999) || s[4] != '-' || !digits(s + 5, 2, 1, 12) ||
	    s[7] != '-' || !digits(s + 8, 2, 1, 31) || s[10] != 'T' ||
	    !digits(s + 11, 2, 0, 23) || s[13] != ':' || !digits(s + 14, 2, 0, 59) ||
	    s[16] != ':' || !digits(s + 17, 2, 0, 60))
		return false;
	s += 19;
	if (*s == '.') {
		if (!digits(++s, 1, 0, 9))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'Z')
		return !s[1];
	return (*s == '+' || *s == '-') && digits(s + 1, 2, 0, 14) && s[3] == ':' &&
	       digits(s + 4, 2, 0, 59) && !s[6];
}

static int sha256_jcs(const json_t *v, uint8_t out[HALF], const char *what,
		      char *err, size_t errlen)
{
	size_t len;
	char *c;
	int ret;

	ret = cyl_jcs_canonicalize(v, &c, &len);
	if (ret)
		return cyl_errf(ret, err, errlen, "%s: %s", what,
				ret == -ENOMEM ? "out of memory" : "no canonical form (a number "
				"that is not finite)");
	SHA256((const uint8_t *)c, len, out);
	free(c);
	return 0;
}

/* The hash data of a document without "proof" and of the proof options. */
static int hash_data(const json_t *unsecured, const json_t *options, uint8_t out[SIG_LEN],
		     char *err, size_t errlen)
{
	int ret = sha256_jcs(options, out, "proof options", err, errlen);

	return ret ? ret : sha256_jcs(unsecured, out + HALF, "document", err, errlen);
}

int cyl_di_hash_data(const json_t *doc, const json_t *proof_options, uint8_t out[64],
		     char *err, size_t errlen)
{
	json_t *unsecured;
	int ret;

	if (!json_is_object(doc) || !json_is_object(proof_options))
		return cyl_errf(-EINVAL, err, errlen, "the document and the proof options are "
				"JSON objects");
	unsecured = json_deep_copy(doc);
	if (!unsecured)
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	json_object_del(unsecured, "proof");
	ret = hash_data(unsecured, proof_options, out, err, errlen);
	json_decref(unsecured);
	return ret;
}

/* Sign @msg: Ed25519 (PureEdDSA), or ECDSA P-256 with SHA-256 as r || s. */
static int sign_raw(EVP_PKEY *priv, enum cyl_did_key_type type, const uint8_t msg[SIG_LEN],
		    uint8_t sig[SIG_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t der[DER_SIG_MAX];
	const uint8_t *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *es = NULL;
	size_t n;
	bool ok;

	if (type == CYL_DID_ED25519) {
		n = SIG_LEN;
		ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, priv) > 0 &&
		     EVP_DigestSign(ctx, sig, &n, msg, SIG_LEN) > 0 && n == SIG_LEN;
	} else {
		n = sizeof(der);
		ok = ctx && EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, priv) > 0 &&
		     EVP_DigestSign(ctx, der, &n, msg, SIG_LEN) > 0 &&
		     (es = d2i_ECDSA_SIG(NULL, &p, n));
		if (ok) {
			ECDSA_SIG_get0(es, &r, &s);
			ok = BN_bn2binpad(r, sig, HALF) == HALF &&
			     BN_bn2binpad(s, sig + HALF, HALF) == HALF;
		}
	}
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : -EIO;
}

/* Does @sig verify @msg under @pub?  0 or -EBADMSG (-ENOMEM). */
static int verify_raw(EVP_PKEY *pub, enum cyl_did_key_type type, const uint8_t msg[SIG_LEN],
		      const uint8_t sig[SIG_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	BIGNUM *r = NULL, *s = NULL;
	ECDSA_SIG *es = NULL;
	uint8_t *der = NULL;
	int ret = -ENOMEM, n;

	if (!ctx)
		goto out;
	if (type == CYL_DID_ED25519) {
		ret = EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pub) > 0 &&
		      EVP_DigestVerify(ctx, sig, SIG_LEN, msg, SIG_LEN) == 1 ? 0 : -EBADMSG;
		goto out;
	}
	es = ECDSA_SIG_new();
	r = BN_bin2bn(sig, HALF, NULL);
	s = BN_bin2bn(sig + HALF, HALF, NULL);
	if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s))
		goto out;
	r = s = NULL;	/* es owns them */
	n = i2d_ECDSA_SIG(es, &der);
	if (n <= 0)
		goto out;
	ret = EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pub) > 0 &&
	      EVP_DigestVerify(ctx, der, n, msg, SIG_LEN) == 1 ? 0 : -EBADMSG;
out:
	OPENSSL_free(der);
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ret;
}

/* Add the optional string member @key = @value (if @value). */
static int set_opt(json_t *obj, const char *key, const char *value)
{
	return value && json_object_set_new(obj, key, json_string(value)) ? -EINVAL : 0;
}

int cyl_di_sign(json_t *doc, EVP_PKEY *priv, const struct cyl_di_options *o,
		char *err, size_t errlen)
{
	enum cyl_did_key_type type;
	const struct suite *suite;
	uint8_t hash[SIG_LEN], sig[SIG_LEN];
	const json_t *context;
	char now[32], *did, *value = NULL;
	json_t *proof;
	struct tm tm;
	time_t t;
	int ret;

	if (!json_is_object(doc))
		return cyl_errf(-EINVAL, err, errlen, "the document is not a JSON object");
	if (json_object_get(doc, "proof"))
		return cyl_errf(-EINVAL, err, errlen, "the document already has a proof");
	if (cyl_did_key_type(priv, &type))
		return cyl_errf(-EINVAL, err, errlen, "not an Ed25519 or P-256 key");
	suite = suite_of_key(type);
	did = o->verification_method ? cyl_did_of_url(o->verification_method) : NULL;
	ret = !did || o->verification_method[strlen(did)] != '#';
	free(did);
	if (ret)
		return cyl_errf(-EINVAL, err, errlen, "the verification method is a DID and a "
				"#fragment");
	if (!o->proof_purpose)
		return cyl_errf(-EINVAL, err, errlen, "no proof purpose");
	if (o->created && !is_datetime(o->created))
		return cyl_errf(-EINVAL, err, errlen, "created: %s is not a dateTime", o->created);
	if (!o->created) {
		t = time(NULL);
		if (!gmtime_r(&t, &tm) || !strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm))
			return cyl_errf(-EIO, err, errlen, "no clock");
	}

	proof = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "DataIntegrityProof",
			  "cryptosuite", suite->name, "created", o->created ? o->created : now,
			  "verificationMethod", o->verification_method,
			  "proofPurpose", o->proof_purpose);
	if (!proof)
		return cyl_errf(-EINVAL, err, errlen, "an option is not UTF-8 (or out of memory)");
	ret = set_opt(proof, "challenge", o->challenge) ?: set_opt(proof, "domain", o->domain);
	if (ret) {
		cyl_errf(ret, err, errlen, "challenge or domain is not UTF-8 (or out of memory)");
		goto out;
	}
	/* The proof configuration carries the document's @context (JCS suites). */
	context = json_object_get(doc, "@context");
	if (context && json_object_set_new(proof, "@context", json_deep_copy(context))) {
		ret = cyl_errf(-ENOMEM, err, errlen, "out of memory");
		goto out;
	}
	ret = hash_data(doc, proof, hash, err, errlen);
	if (ret)
		goto out;
	ret = sign_raw(priv, type, hash, sig);
	if (ret) {
		cyl_errf(ret, err, errlen, "OpenSSL could not sign with the %s key",
			 suite->key_name);
		goto out;
	}
	ret = cyl_multibase_encode('z', sig, SIG_LEN, &value);
	if (ret || json_object_set_new(proof, "proofValue", json_string(value))) {
		ret = cyl_errf(-ENOMEM, err, errlen, "out of memory");
		goto out;
	}
	/* json_object_set_new() takes the proof, even when it fails. */
	ret = json_object_set_new(doc, "proof", proof);
	proof = NULL;
	if (ret)
		ret = cyl_errf(-ENOMEM, err, errlen, "out of memory");
out:
	free(value);
	json_decref(proof);
	return ret;
}

/* The item @i of a value or array, as @context is either. */
static const json_t *item(const json_t *v, size_t i)
{
	return json_is_array(v) ? json_array_get(v, i) : v;
}

/* Does @doc_ctx start with all the values of @proof_ctx, in order? */
static bool context_prefix(const json_t *doc_ctx, const json_t *proof_ctx)
{
	size_t nd = json_is_array(doc_ctx) ? json_array_size(doc_ctx) : 1;
	size_t np = json_is_array(proof_ctx) ? json_array_size(proof_ctx) : 1;
	size_t i;

	if (!doc_ctx || np > nd)
		return false;
	for (i = 0; i < np; i++)
		if (!json_equal(item(doc_ctx, i), item(proof_ctx, i)))
			return false;
	return true;
}

/* The proof's fields that must be there, checked before anything is resolved. */
struct fields {
	const char *type, *cryptosuite, *vm, *purpose, *value;
};

static int check_fields(const json_t *proof, const char *purpose, struct fields *f,
			char *err, size_t errlen)
{
	static const char *const names[] = {
		"type", "cryptosuite", "verificationMethod", "proofPurpose", "proofValue",
	};
	const char **slot[] = { &f->type, &f->cryptosuite, &f->vm, &f->purpose, &f->value };
	const json_t *created;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		*slot[i] = cyl_ssi_json_str(proof, names[i]);
		if (!*slot[i])
			return cyl_errf(-EINVAL, err, errlen, "the proof has no %s (a string)",
					names[i]);
	}
	if (strcmp(f->type, "DataIntegrityProof"))
		return cyl_errf(-EINVAL, err, errlen, "proof type %s, not DataIntegrityProof",
				f->type);
	if (!suite_of_name(f->cryptosuite))
		return cyl_errf(-EINVAL, err, errlen, "unsupported cryptosuite %s (%s or %s)",
				f->cryptosuite, suites[0].name, suites[1].name);
	if (strcmp(f->purpose, purpose))
		return cyl_errf(-EINVAL, err, errlen, "proof purpose %s, expected %s",
				f->purpose, purpose);
	created = json_object_get(proof, "created");
	if (created && (!json_is_string(created) || !is_datetime(json_string_value(created))))
		return cyl_errf(-EINVAL, err, errlen, "the proof's created is not a dateTime");
	return 0;
}

/* The 64 signature bytes of a proofValue. */
static int decode_value(const char *value, uint8_t **sig, char *err, size_t errlen)
{
	size_t len;
	char e[128];

	*sig = NULL;
	if (value[0] != 'z')
		return cyl_errf(-EINVAL, err, errlen, "proofValue is not base58btc ('z...')");
	if (cyl_multibase_decode(value, sig, &len, e, sizeof(e)))
		return cyl_errf(-EINVAL, err, errlen, "proofValue: %s", e);
	if (len != SIG_LEN) {
		free(*sig);
		*sig = NULL;
		return cyl_errf(-EINVAL, err, errlen, "proofValue is %zu bytes, not %d", len,
				SIG_LEN);
	}
	return 0;
}

int cyl_di_verify(const json_t *doc, const struct cyl_did_resolver *r, const char *purpose,
		  const json_t **proof_out, char *err, size_t errlen)
{
	json_t *unsecured = NULL, *options = NULL;
	const json_t *proof, *context;
	const struct suite *suite;
	enum cyl_did_key_type type;
	uint8_t *sig = NULL, hash[SIG_LEN];
	EVP_PKEY *pub = NULL;
	struct fields f;
	int ret;

	if (proof_out)
		*proof_out = NULL;
	if (!json_is_object(doc))
		return cyl_errf(-EINVAL, err, errlen, "not a JSON object");
	proof = json_object_get(doc, "proof");
	if (!proof)
		return cyl_errf(-EINVAL, err, errlen, "no proof");
	if (json_is_array(proof))
		return cyl_errf(-EINVAL, err, errlen, "\"proof\" is a set of %zu proofs: only a "
				"single proof object is accepted", json_array_size(proof));
	if (!json_is_object(proof))
		return cyl_errf(-EINVAL, err, errlen, "\"proof\" is not an object");
	ret = check_fields(proof, purpose, &f, err, errlen);
	if (ret)
		return ret;
	suite = suite_of_name(f.cryptosuite);
	ret = decode_value(f.value, &sig, err, errlen);
	if (ret)
		return ret;

	/* The proof signed this @context, which the document must begin with. */
	context = json_object_get(proof, "@context");
	if (context && !context_prefix(json_object_get(doc, "@context"), context)) {
		ret = cyl_errf(-EBADMSG, err, errlen,
			       "the document's @context does not begin with the proof's");
		goto out;
	}
	ret = cyl_did_resolve_vm(r, f.vm, purpose, &pub, err, errlen);
	if (ret)
		goto out;
	ret = -EINVAL;
	if (cyl_did_key_type(pub, &type) || type != suite->key) {
		cyl_errf(ret, err, errlen, "cryptosuite %s is for %s keys, %s is not one",
			 suite->name, suite->key_name, f.vm);
		goto out;
	}

	unsecured = json_deep_copy(doc);
	options = json_deep_copy(proof);
	if (!unsecured || !options) {
		ret = cyl_errf(-ENOMEM, err, errlen, "out of memory");
		goto out;
	}
	json_object_del(unsecured, "proof");
	json_object_del(options, "proofValue");
	if (context && json_object_set(unsecured, "@context", json_object_get(options,
									      "@context"))) {
		ret = cyl_errf(-ENOMEM, err, errlen, "out of memory");
		goto out;
	}
	ret = hash_data(unsecured, options, hash, err, errlen);
	if (ret)
		goto out;
	ret = verify_raw(pub, type, hash, sig);
	if (ret == -EBADMSG)
		cyl_errf(ret, err, errlen, "the %s signature by %s does not verify", suite->name,
			 f.vm);
	else if (ret)
		cyl_errf(ret, err, errlen, "out of memory");
	else if (proof_out)
		*proof_out = proof;
out:
	json_decref(options);
	json_decref(unsecured);
	EVP_PKEY_free(pub);
	free(sig);
	return ret;
}
