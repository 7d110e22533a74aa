// SPDX-License-Identifier: GPL-2.0
/*
 * Data Integrity proofs: the W3C eddsa-jcs-2022 test vectors byte for
 * byte (canonical document and proof configuration, their hashes, the
 * hash data, the signature in hex and base58btc, the signed document,
 * which signing reproduces since Ed25519 is deterministic), the W3C
 * ecdsa-jcs-2019 P-256 vector (verified; ECDSA signatures are random, so
 * signing is checked by round trips), and the refusals: a changed claim,
 * a signature by another key, a garbled or truncated proofValue, the
 * wrong purpose, a cryptosuite that is not the key's, an unknown
 * verification method, proofs that are arrays or miss fields.
 */
#define _GNU_SOURCE	/* asprintf() */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "ssi/di.h"
#include "ssi/did.h"
#include "ssi/jcs.h"
#include "ssi/multibase.h"

#define EDDSA	"tests/vectors/vc_di_eddsa/"
#define JCS	EDDSA "eddsa-jcs-2022/"
#define ECDSA	"tests/vectors/vc_di_ecdsa/"
#define JCSP256	ECDSA "ecdsa-jcs-2019-p256/"

#define VM	"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#" \
		"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
#define CREATED	"2023-02-24T23:36:38Z"

/* --- helpers --- */

/* A vector text file, without the trailing newline some have. */
static char *text_of(const char *path)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		fail_msg("%s: cannot open", path);
	assert_true(getdelim(&buf, &n, '\0', f) > 0);
	fclose(f);
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return buf;
}

static json_t *json_of(const char *path)
{
	json_error_t jerr;
	json_t *v = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);

	if (!v)
		fail_msg("%s: %s", path, jerr.text);
	return v;
}

static void hex_of(const uint8_t *b, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void expect_hex(const uint8_t *b, size_t n, const char *path)
{
	char got[2 * 64 + 1], *want = text_of(path);

	hex_of(b, n, got);
	assert_string_equal(got, want);
	free(want);
}

static char *canonical(const json_t *v)
{
	size_t len;
	char *c;

	assert_int_equal(cyl_jcs_canonicalize(v, &c, &len), 0);
	assert_int_equal(strlen(c), len);
	return c;
}

/* The key pair of a W3C key pair file's private multikey. */
static EVP_PKEY *vector_key(const char *path, const char *member,
			    enum cyl_did_key_type type)
{
	const uint8_t *body;
	size_t n, blen;
	uint64_t code;
	uint8_t *raw;
	char *did, err[256];
	json_t *pair = json_of(path);
	EVP_PKEY *k;

	assert_int_equal(cyl_multibase_decode(json_string_value(json_object_get(pair, member)),
					      &raw, &n, err, sizeof(err)), 0);
	assert_int_equal(cyl_multicodec_split(raw, n, &code, &body, &blen), 0);
	assert_int_equal(blen, 32);
	assert_int_equal(cyl_did_key_generate(type, body, &k, &did, err, sizeof(err)), 0);
	assert_string_equal(did + strlen("did:key:"),
			    json_string_value(json_object_get(pair, "publicKeyMultibase")));
	free(did);
	free(raw);
	json_decref(pair);
	return k;
}

static EVP_PKEY *ed25519_seed(uint8_t byte, char **vm)
{
	uint8_t seed[32];
	char *did, err[256];
	EVP_PKEY *k;

	memset(seed, byte, sizeof(seed));
	assert_int_equal(cyl_did_key_generate(CYL_DID_ED25519, seed, &k, &did, err,
					      sizeof(err)), 0);
	assert_true(asprintf(vm, "%s#%s", did, did + strlen("did:key:")) > 0);
	free(did);
	return k;
}

/* The vector's credential without its proof. */
static json_t *unsigned_doc(void)
{
	json_t *doc = json_of(JCS "signedJCS.json");

	assert_int_equal(json_object_del(doc, "proof"), 0);
	return doc;
}

static void expect_verify(const json_t *doc, const char *purpose, int want, const char *why)
{
	const json_t *proof = (const json_t *)1;
	char err[512] = "";
	int ret;

	ret = cyl_di_verify(doc, NULL, purpose, &proof, err, sizeof(err));
	if (ret != want)
		fail_msg("cyl_di_verify: %d (%s), expected %d", ret, err, want);
	if (!want) {
		assert_ptr_equal(proof, json_object_get(doc, "proof"));
		return;
	}
	assert_null(proof);
	if (why && !strstr(err, why))
		fail_msg("error \"%s\" does not say \"%s\"", err, why);
}

/* Set @key of the proof of a copy of @doc to @value (NULL: delete it). */
static json_t *with_proof_member(const json_t *doc, const char *key, json_t *value)
{
	json_t *copy = json_deep_copy(doc), *proof = json_object_get(copy, "proof");

	if (value)
		assert_int_equal(json_object_set_new(proof, key, value), 0);
	else
		assert_int_equal(json_object_del(proof, key), 0);
	return copy;
}

/* --- eddsa-jcs-2022 vectors --- */

static void test_vector_canonical_forms(void **state)
{
	json_t *doc = unsigned_doc(), *config = json_of(JCS "proofConfigJCS.json");
	char *got, *want;

	got = canonical(doc);
	want = text_of(JCS "canonDocJCS.txt");
	assert_string_equal(got, want);
	free(got);
	free(want);
	got = canonical(config);
	want = text_of(JCS "proofCanonJCS.txt");
	assert_string_equal(got, want);
	free(got);
	free(want);
	json_decref(config);
	json_decref(doc);
}

static void test_vector_hashes(void **state)
{
	json_t *config = json_of(JCS "proofConfigJCS.json"), *doc;
	uint8_t h[SHA256_DIGEST_LENGTH], data[64];
	char *text, err[256];

	text = text_of(JCS "canonDocJCS.txt");
	SHA256((uint8_t *)text, strlen(text), h);
	expect_hex(h, sizeof(h), JCS "docHashJCS.txt");
	free(text);
	text = text_of(JCS "proofCanonJCS.txt");
	SHA256((uint8_t *)text, strlen(text), h);
	expect_hex(h, sizeof(h), JCS "proofHashJCS.txt");
	free(text);

	/* The proof configuration's hash first, then the document's. */
	doc = unsigned_doc();
	assert_int_equal(cyl_di_hash_data(doc, config, data, err, sizeof(err)), 0);
	expect_hex(data, sizeof(data), JCS "combinedHashJCS.txt");
	json_decref(doc);
	/* The signed document's "proof" is left out. */
	doc = json_of(JCS "signedJCS.json");
	memset(data, 0, sizeof(data));
	assert_int_equal(cyl_di_hash_data(doc, config, data, err, sizeof(err)), 0);
	expect_hex(data, sizeof(data), JCS "combinedHashJCS.txt");
	json_decref(doc);
	json_decref(config);
}

/* Ed25519 is deterministic: signing the vector reproduces it byte for byte. */
static void test_vector_signing_reproduces(void **state)
{
	struct cyl_di_options o = {
		.verification_method = VM, .proof_purpose = "assertionMethod",
		.created = CREATED,
	};
	EVP_PKEY *k = vector_key(EDDSA "keyPair.json", "privateKeyMultibase", CYL_DID_ED25519);
	json_t *doc = unsigned_doc(), *want = json_of(JCS "signedJCS.json");
	const char *value;
	char *b58, err[256];
	uint8_t *sig;
	size_t n;

	assert_int_equal(cyl_di_sign(doc, k, &o, err, sizeof(err)), 0);
	assert_true(json_equal(doc, want));
	value = json_string_value(json_object_get(json_object_get(doc, "proof"), "proofValue"));
	b58 = text_of(JCS "sigBTC58JCS.txt");
	assert_string_equal(value, b58);
	assert_int_equal(cyl_multibase_decode(value, &sig, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 64);
	expect_hex(sig, n, JCS "sigHexJCS.txt");
	free(sig);
	free(b58);
	json_decref(want);
	json_decref(doc);
	EVP_PKEY_free(k);
}

static void test_vector_verifies(void **state)
{
	json_t *doc = json_of(JCS "signedJCS.json");

	expect_verify(doc, "assertionMethod", 0, NULL);
	json_decref(doc);
}

/* --- refusals --- */

static void test_changed_claim(void **state)
{
	json_t *doc = json_of(JCS "signedJCS.json"), *copy, *ctx;

	copy = json_deep_copy(doc);
	json_object_set_new(json_object_get(copy, "credentialSubject"), "alumniOf",
			    json_string("The School of Forgery"));
	expect_verify(copy, "assertionMethod", -EBADMSG, "does not verify");
	json_decref(copy);

	copy = json_deep_copy(doc);
	json_object_set_new(copy, "validUntil", json_string("2099-01-01T00:00:00Z"));
	expect_verify(copy, "assertionMethod", -EBADMSG, "does not verify");
	json_decref(copy);

	/* A proof option changed: it is signed too. */
	copy = with_proof_member(doc, "created", json_string("2023-02-24T23:36:39Z"));
	expect_verify(copy, "assertionMethod", -EBADMSG, "does not verify");
	json_decref(copy);
	copy = with_proof_member(doc, "@context", NULL);
	expect_verify(copy, "assertionMethod", -EBADMSG, "does not verify");
	json_decref(copy);

	/*
	 * The document's @context must begin with the proof's: it may have
	 * more (the proof's is what was signed), not fewer, not reordered.
	 */
	copy = json_deep_copy(doc);
	json_array_append_new(json_object_get(copy, "@context"),
			      json_string("https://example.org/more/v1"));
	expect_verify(copy, "assertionMethod", 0, NULL);
	json_decref(copy);
	copy = json_deep_copy(doc);
	ctx = json_object_get(copy, "@context");
	json_array_remove(ctx, 1);
	expect_verify(copy, "assertionMethod", -EBADMSG, "@context");
	json_array_insert_new(ctx, 0, json_string("https://www.w3.org/ns/credentials/examples/v2"));
	expect_verify(copy, "assertionMethod", -EBADMSG, "@context");
	json_object_del(copy, "@context");
	expect_verify(copy, "assertionMethod", -EBADMSG, "@context");
	json_decref(copy);
	json_decref(doc);
}

/* A valid signature, but by another did:key, put in the vector's proof. */
static void test_other_key(void **state)
{
	struct cyl_di_options o = {
		.verification_method = VM, .proof_purpose = "assertionMethod",
		.created = CREATED,
	};
	json_t *doc = json_of(JCS "signedJCS.json"), *other = unsigned_doc(), *copy;
	char *vm, err[256];
	EVP_PKEY *k = ed25519_seed(0x42, &vm);

	assert_int_equal(cyl_di_sign(other, k, &o, err, sizeof(err)), 0);
	copy = with_proof_member(doc, "proofValue",
				 json_deep_copy(json_object_get(json_object_get(other, "proof"),
								"proofValue")));
	expect_verify(copy, "assertionMethod", -EBADMSG, "does not verify");
	json_decref(copy);
	expect_verify(other, "assertionMethod", -EBADMSG, "does not verify");

	/* Under its own verification method, that key's proof verifies. */
	json_object_del(other, "proof");
	o.verification_method = vm;
	assert_int_equal(cyl_di_sign(other, k, &o, err, sizeof(err)), 0);
	expect_verify(other, "assertionMethod", 0, NULL);
	/* ... and naming the vector's key instead does not. */
	copy = with_proof_member(other, "verificationMethod", json_string(VM));
	expect_verify(copy, "assertionMethod", -EBADMSG, "does not verify");
	json_decref(copy);
	json_decref(other);
	json_decref(doc);
	EVP_PKEY_free(k);
	free(vm);
}

static void test_bad_proof_value(void **state)
{
	json_t *doc = json_of(JCS "signedJCS.json"), *copy;
	char *good = text_of(JCS "sigBTC58JCS.txt"), *s, *u, err[128];
	uint8_t *sig;
	size_t n;

	/* Truncated, lengthened: not 64 bytes. */
	s = strndup(good, strlen(good) - 2);
	copy = with_proof_member(doc, "proofValue", json_string(s));
	expect_verify(copy, "assertionMethod", -EINVAL, "not 64");
	json_decref(copy);
	free(s);
	assert_true(asprintf(&s, "%szz", good) > 0);
	copy = with_proof_member(doc, "proofValue", json_string(s));
	expect_verify(copy, "assertionMethod", -EINVAL, "not 64");
	json_decref(copy);
	free(s);

	/* Garbled: outside the alphabet; another character of it. */
	s = strdup(good);
	s[10] = '0';
	copy = with_proof_member(doc, "proofValue", json_string(s));
	expect_verify(copy, "assertionMethod", -EINVAL, "proofValue");
	json_decref(copy);
	s[10] = good[10] == 'A' ? 'B' : 'A';
	copy = with_proof_member(doc, "proofValue", json_string(s));
	expect_verify(copy, "assertionMethod", -EBADMSG, "does not verify");
	json_decref(copy);
	free(s);

	/* The same 64 bytes in base64url, not base58btc; empty; not a string. */
	assert_int_equal(cyl_multibase_decode(good, &sig, &n, err, sizeof(err)), 0);
	assert_int_equal(cyl_multibase_encode('u', sig, n, &u), 0);
	copy = with_proof_member(doc, "proofValue", json_string(u));
	expect_verify(copy, "assertionMethod", -EINVAL, "base58btc");
	json_decref(copy);
	free(u);
	free(sig);
	copy = with_proof_member(doc, "proofValue", json_string("z"));
	expect_verify(copy, "assertionMethod", -EINVAL, "proofValue");
	json_decref(copy);
	copy = with_proof_member(doc, "proofValue", json_integer(64));
	expect_verify(copy, "assertionMethod", -EINVAL, "proofValue");
	json_decref(copy);
	free(good);
	json_decref(doc);
}

static void test_wrong_purpose(void **state)
{
	struct cyl_di_options o = {
		.verification_method = VM, .proof_purpose = "keyAgreement", .created = CREATED,
	};
	EVP_PKEY *k = vector_key(EDDSA "keyPair.json", "privateKeyMultibase", CYL_DID_ED25519);
	json_t *doc = json_of(JCS "signedJCS.json"), *copy;
	char err[256];

	expect_verify(doc, "authentication", -EINVAL, "expected authentication");
	/* Changing the proof's purpose to the expected one breaks the signature. */
	copy = with_proof_member(doc, "proofPurpose", json_string("authentication"));
	expect_verify(copy, "authentication", -EBADMSG, "does not verify");
	json_decref(copy);
	/* A purpose the DID document does not authorize the key for. */
	json_decref(doc);
	doc = unsigned_doc();
	assert_int_equal(cyl_di_sign(doc, k, &o, err, sizeof(err)), 0);
	expect_verify(doc, "keyAgreement", -EACCES, "not authorized");
	json_decref(doc);
	EVP_PKEY_free(k);
}

static void test_wrong_cryptosuite(void **state)
{
	json_t *doc = json_of(JCS "signedJCS.json"), *copy;

	/* An Ed25519 key named for the P-256 suite. */
	copy = with_proof_member(doc, "cryptosuite", json_string("ecdsa-jcs-2019"));
	expect_verify(copy, "assertionMethod", -EINVAL, "is for P-256 keys");
	json_decref(copy);
	copy = with_proof_member(doc, "cryptosuite", json_string("eddsa-rdfc-2022"));
	expect_verify(copy, "assertionMethod", -EINVAL, "unsupported cryptosuite");
	json_decref(copy);
	copy = with_proof_member(doc, "type", json_string("Ed25519Signature2020"));
	expect_verify(copy, "assertionMethod", -EINVAL, "DataIntegrityProof");
	json_decref(copy);
	json_decref(doc);
}

static void test_unknown_verification_method(void **state)
{
	json_t *doc = json_of(JCS "signedJCS.json"), *copy;

	copy = with_proof_member(doc, "verificationMethod", json_string(
		"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#key-1"));
	expect_verify(copy, "assertionMethod", -ENOENT, "no such verification method");
	json_decref(copy);
	copy = with_proof_member(doc, "verificationMethod", json_string(
		"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"));
	expect_verify(copy, "assertionMethod", -EINVAL, "fragment");
	json_decref(copy);
	copy = with_proof_member(doc, "verificationMethod",
				 json_string("did:example:123#key-1"));
	expect_verify(copy, "assertionMethod", -EPROTONOSUPPORT, "not supported");
	json_decref(copy);
	/* did:web, with no cache to read it from. */
	copy = with_proof_member(doc, "verificationMethod",
				 json_string("did:web:vc.example:issuers:5678#key-1"));
	expect_verify(copy, "assertionMethod", -ENOENT, "cache");
	json_decref(copy);
	json_decref(doc);
}

static void test_proof_shapes(void **state)
{
	static const char *const required[] = {
		"type", "cryptosuite", "verificationMethod", "proofPurpose", "proofValue",
	};
	json_t *doc = json_of(JCS "signedJCS.json"), *copy, *proof;
	size_t i;

	/* A set of proofs, even of one, is not accepted. */
	copy = json_deep_copy(doc);
	proof = json_deep_copy(json_object_get(doc, "proof"));
	json_object_set_new(copy, "proof", json_pack("[O]", proof));
	expect_verify(copy, "assertionMethod", -EINVAL, "set of 1 proofs");
	json_array_append_new(json_object_get(copy, "proof"), proof);
	expect_verify(copy, "assertionMethod", -EINVAL, "set of 2 proofs");
	json_object_set_new(copy, "proof", json_string("z123"));
	expect_verify(copy, "assertionMethod", -EINVAL, "not an object");
	json_object_del(copy, "proof");
	expect_verify(copy, "assertionMethod", -EINVAL, "no proof");
	json_decref(copy);

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		copy = with_proof_member(doc, required[i], NULL);
		expect_verify(copy, "assertionMethod", -EINVAL, required[i]);
		json_decref(copy);
	}
	copy = with_proof_member(doc, "created", json_string("2023-02-24 23:36:38"));
	expect_verify(copy, "assertionMethod", -EINVAL, "created");
	json_decref(copy);
	copy = with_proof_member(doc, "created", json_integer(1677281798));
	expect_verify(copy, "assertionMethod", -EINVAL, "created");
	json_decref(copy);
	proof = json_array();
	expect_verify(proof, "assertionMethod", -EINVAL, "not a JSON object");
	json_decref(proof);
	json_decref(doc);
}

static void test_sign_refusals(void **state)
{
	static const char *const bad_created[] = {
		"2023-02-24", "2023-02-24T23:36:38", "2023-13-24T23:36:38Z",
		"2023-02-24T24:00:00Z", "2023-02-24T23:36:38.Z", "2023-02-24T23:36:38+0100",
		"2023-02-24T23:36:38Zjunk",
	};
	struct cyl_di_options o = { .verification_method = VM, .proof_purpose = "assertionMethod" };
	EVP_PKEY *k = vector_key(EDDSA "keyPair.json", "privateKeyMultibase", CYL_DID_ED25519);
	json_t *doc = json_of(JCS "signedJCS.json"), *plain;
	const char *created;
	char err[256];
	size_t i;

	assert_int_equal(cyl_di_sign(doc, k, &o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "already has a proof"));
	json_object_del(doc, "proof");
	plain = json_deep_copy(doc);

	o.verification_method = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
	assert_int_equal(cyl_di_sign(doc, k, &o, err, sizeof(err)), -EINVAL);
	o.verification_method = NULL;
	assert_int_equal(cyl_di_sign(doc, k, &o, err, sizeof(err)), -EINVAL);
	o.verification_method = VM;
	o.proof_purpose = NULL;
	assert_int_equal(cyl_di_sign(doc, k, &o, err, sizeof(err)), -EINVAL);
	o.proof_purpose = "assertionMethod";
	for (i = 0; i < sizeof(bad_created) / sizeof(bad_created[0]); i++) {
		o.created = bad_created[i];
		assert_int_equal(cyl_di_sign(doc, k, &o, err, sizeof(err)), -EINVAL);
	}
	assert_true(json_equal(doc, plain));

	/* Fractions and offsets are dateTimes too; no created is now. */
	o.created = "2023-02-24T23:36:38.123+01:00";
	assert_int_equal(cyl_di_sign(doc, k, &o, err, sizeof(err)), 0);
	expect_verify(doc, "assertionMethod", 0, NULL);
	json_object_del(doc, "proof");
	o.created = NULL;
	assert_int_equal(cyl_di_sign(doc, k, &o, err, sizeof(err)), 0);
	created = json_string_value(json_object_get(json_object_get(doc, "proof"), "created"));
	assert_non_null(created);
	assert_int_equal(strlen(created), strlen(CREATED));
	assert_memory_equal(created, "20", 2);
	assert_int_equal(created[strlen(created) - 1], 'Z');
	expect_verify(doc, "assertionMethod", 0, NULL);
	json_decref(plain);
	json_decref(doc);
	EVP_PKEY_free(k);
}

/* No @context: the proof has none either, and a proof with one is refused. */
static void test_no_context(void **state)
{
	struct cyl_di_options o = {
		.verification_method = VM, .proof_purpose = "authentication",
		.challenge = "abc", .domain = "gateway.example",
	};
	EVP_PKEY *k = vector_key(EDDSA "keyPair.json", "privateKeyMultibase", CYL_DID_ED25519);
	json_t *doc = json_pack("{s:s, s:[i, f, b, n]}", "id", "urn:x", "n", 1, 0.5, 1), *copy;
	const json_t *proof;
	char err[256];

	assert_int_equal(cyl_di_sign(doc, k, &o, err, sizeof(err)), 0);
	proof = json_object_get(doc, "proof");
	assert_null(json_object_get(proof, "@context"));
	assert_string_equal(json_string_value(json_object_get(proof, "challenge")), "abc");
	assert_string_equal(json_string_value(json_object_get(proof, "domain")),
			    "gateway.example");
	expect_verify(doc, "authentication", 0, NULL);
	copy = with_proof_member(doc, "challenge", json_string("abd"));
	expect_verify(copy, "authentication", -EBADMSG, "does not verify");
	json_decref(copy);
	copy = with_proof_member(doc, "@context",
				 json_string("https://www.w3.org/ns/credentials/v2"));
	expect_verify(copy, "authentication", -EBADMSG, "@context");
	json_decref(copy);
	json_decref(doc);
	EVP_PKEY_free(k);
}

/* --- ecdsa-jcs-2019 --- */

static void test_ecdsa_vector(void **state)
{
	json_t *doc = json_of(JCSP256 "signedJCSECDSAP256.json"), *options, *copy;
	uint8_t data[64], *sig;
	char *got, *want, err[256];
	size_t n;

	expect_verify(doc, "assertionMethod", 0, NULL);

	options = json_deep_copy(json_object_get(doc, "proof"));
	json_object_del(options, "proofValue");
	got = canonical(options);
	want = text_of(JCSP256 "proofCanonJCSECDSAP256.txt");
	assert_string_equal(got, want);
	free(got);
	free(want);
	assert_int_equal(cyl_di_hash_data(doc, options, data, err, sizeof(err)), 0);
	expect_hex(data, sizeof(data), JCSP256 "combinedHashJCSECDSAP256.txt");
	json_decref(options);

	want = text_of(JCSP256 "sigBTC58JCSECDSAP256.txt");
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "proof"),
							      "proofValue")), want);
	assert_int_equal(cyl_multibase_decode(want, &sig, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 64);
	expect_hex(sig, n, JCSP256 "sigHexJCSECDSAP256.txt");
	free(sig);
	free(want);

	copy = json_deep_copy(doc);
	json_object_set_new(copy, "name", json_string("Forged Credential"));
	expect_verify(copy, "assertionMethod", -EBADMSG, "does not verify");
	json_decref(copy);
	copy = with_proof_member(doc, "cryptosuite", json_string("eddsa-jcs-2022"));
	expect_verify(copy, "assertionMethod", -EINVAL, "is for Ed25519 keys");
	json_decref(copy);
	json_decref(doc);
}

static void test_ecdsa_round_trip(void **state)
{
	struct cyl_di_options o = {
		.verification_method = "did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP#"
				       "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
		.proof_purpose = "authentication", .created = CREATED, .challenge = "c1",
		.domain = "gateway.example",
	};
	EVP_PKEY *k = vector_key(ECDSA "p256KeyPair.json", "secretKeyMultibase", CYL_DID_P256);
	json_t *a = unsigned_doc(), *b = unsigned_doc(), *copy;
	const char *va, *vb;
	char *s, err[256];

	assert_int_equal(cyl_di_sign(a, k, &o, err, sizeof(err)), 0);
	assert_int_equal(cyl_di_sign(b, k, &o, err, sizeof(err)), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(a, "proof"),
							      "cryptosuite")), "ecdsa-jcs-2019");
	expect_verify(a, "authentication", 0, NULL);
	expect_verify(b, "authentication", 0, NULL);
	/* Random nonces: two different signatures of the same data. */
	va = json_string_value(json_object_get(json_object_get(a, "proof"), "proofValue"));
	vb = json_string_value(json_object_get(json_object_get(b, "proof"), "proofValue"));
	assert_string_not_equal(va, vb);

	copy = json_deep_copy(a);
	json_object_set_new(json_object_get(copy, "credentialSubject"), "id",
			    json_string("did:example:mallory"));
	expect_verify(copy, "authentication", -EBADMSG, "does not verify");
	json_decref(copy);
	copy = with_proof_member(a, "domain", json_string("evil.example"));
	expect_verify(copy, "authentication", -EBADMSG, "does not verify");
	json_decref(copy);
	/* b's signature in a's proof: same data, so it verifies; a flipped character does not. */
	copy = with_proof_member(a, "proofValue", json_string(vb));
	expect_verify(copy, "authentication", 0, NULL);
	json_decref(copy);
	s = strdup(va);
	s[20] = s[20] == 'A' ? 'B' : 'A';
	copy = with_proof_member(a, "proofValue", json_string(s));
	expect_verify(copy, "authentication", -EBADMSG, "does not verify");
	json_decref(copy);
	free(s);
	expect_verify(a, "assertionMethod", -EINVAL, "expected assertionMethod");
	json_decref(a);
	json_decref(b);
	EVP_PKEY_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_canonical_forms),
		cmocka_unit_test(test_vector_hashes),
		cmocka_unit_test(test_vector_signing_reproduces),
		cmocka_unit_test(test_vector_verifies),
		cmocka_unit_test(test_changed_claim),
		cmocka_unit_test(test_other_key),
		cmocka_unit_test(test_bad_proof_value),
		cmocka_unit_test(test_wrong_purpose),
		cmocka_unit_test(test_wrong_cryptosuite),
		cmocka_unit_test(test_unknown_verification_method),
		cmocka_unit_test(test_proof_shapes),
		cmocka_unit_test(test_sign_refusals),
		cmocka_unit_test(test_no_context),
		cmocka_unit_test(test_ecdsa_vector),
		cmocka_unit_test(test_ecdsa_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
