// SPDX-License-Identifier: GPL-2.0
/*
 * DIDs: did:key from seeds against the did:key method's published test
 * vectors (Ed25519 and P-256) and the W3C Data Integrity key pairs, the
 * did:key document, verification methods dereferenced for each
 * relationship, did:web read from a cache directory (the path mapping,
 * the controller document forms, and every refusal: traversal, bad
 * hosts and ports, foreign ids and controllers), and key files (round
 * trip, no overwriting, a private key that is not the file's DID).
 */
#define _GNU_SOURCE	/* asprintf() */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "ssi/did.h"
#include "ssi/multibase.h"

static char tmp[] = "/tmp/test_ssi_did.XXXXXX";

/* --- helpers --- */

static void unhex(const char *hex, uint8_t *out, size_t len)
{
	unsigned int b;
	size_t i;

	assert_int_equal(strlen(hex), 2 * len);
	for (i = 0; i < len; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		out[i] = b;
	}
}

static EVP_PKEY *seeded(enum cyl_did_key_type type, const char *hex, char **did)
{
	uint8_t seed[32];
	EVP_PKEY *k;
	char err[256];

	unhex(hex, seed, sizeof(seed));
	assert_int_equal(cyl_did_key_generate(type, seed, &k, did, err, sizeof(err)), 0);
	return k;
}

/* Multibase-decode @mb, expecting multicodec @code and @len bytes after it. */
static void decode_key(const char *mb, uint64_t code, uint8_t *out, size_t len)
{
	const uint8_t *body;
	size_t n, blen;
	uint64_t c;
	uint8_t *raw;
	char err[128];

	assert_int_equal(cyl_multibase_decode(mb, &raw, &n, err, sizeof(err)), 0);
	assert_int_equal(cyl_multicodec_split(raw, n, &c, &body, &blen), 0);
	assert_int_equal(c, code);
	assert_int_equal(blen, len);
	memcpy(out, body, len);
	free(raw);
}

static json_t *load_json(const char *path)
{
	json_error_t jerr;
	json_t *v = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);

	if (!v)
		fail_msg("%s: %s", path, jerr.text);
	return v;
}

/* Write @text at @rel under the temporary directory, making directories. */
static void put(const char *rel, const char *text)
{
	char path[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	for (p = path + strlen(tmp) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		assert_true(!mkdir(path, 0755) || errno == EEXIST);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int setup(void **state)
{
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	return nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* --- did:key --- */

/*
 * W3C CCG did:key method, test-vectors/ed25519-x25519.json
 * (https://github.com/w3c-ccg/did-method-key): the seed is the Ed25519
 * private key; publicKeyBase58 is the raw public key.
 */
static const struct {
	const char *seed, *did, *pub58;
} ed25519_vectors[] = {
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	  "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
	  "4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS" },
	{ "0000000000000000000000000000000000000000000000000000000000000001",
	  "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
	  "6ASf5EcmmEHTgDJ4X4ZT5vT6iHVJBXPg5AN5YoTCpGWt" },
	{ "0000000000000000000000000000000000000000000000000000000000000002",
	  "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf",
	  "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH" },
	{ "0000000000000000000000000000000000000000000000000000000000000003",
	  "did:key:z6MkvqoYXQfDDJRv8L4wKzxYeuKyVZBfi9Qo6Ro8MiLH3kDQ",
	  "HPYVwAQmskwT1qEEeRzhoomyfyupJGASQQtCXSNG8XS2" },
	{ "0000000000000000000000000000000000000000000000000000000000000004",
	  "did:key:z6MkwW6aqMnjgrhJXFUko3NnZPGzVpkNzhYK7yEhnsibmLwL",
	  "J3qYF7YJMKCqQke47UQwiHizgFUXapHxRxKmxbkar89x" },
};

/*
 * W3C CCG did:key method, test-vectors/nist-curves.json: the P-256
 * entries, the private key d and the public point as JWK (base64url).
 */
static const struct {
	const char *d, *x, *y, *did;
} p256_vectors[] = {
	{ "gPh-VvVS8MbvKQ9LSVVmfnxnKjHn4Tqj0bmbpehRlpc",
	  "igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns",
	  "efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM",
	  "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv" },
	{ "YjRs6vNvw4sYrzVVY8ipkEpDAD9PFqw1sUnvPRMA-WI",
	  "fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI",
	  "hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU",
	  "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169" },
};

#define P256_N	"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"
#define P256_N1	"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550"

/* Base64url (no multibase prefix) into exactly @len bytes. */
static void unb64url(const char *s, uint8_t *out, size_t len)
{
	char *mb, err[128];
	uint8_t *raw;
	size_t n;

	assert_true(asprintf(&mb, "u%s", s) > 0);
	assert_int_equal(cyl_multibase_decode(mb, &raw, &n, err, sizeof(err)), 0);
	assert_int_equal(n, len);
	memcpy(out, raw, len);
	free(raw);
	free(mb);
}

static void test_key_ed25519_vectors(void **state)
{
	uint8_t *want, got[32];
	size_t i, n;
	char *did, *mb;
	EVP_PKEY *k;

	for (i = 0; i < sizeof(ed25519_vectors) / sizeof(ed25519_vectors[0]); i++) {
		k = seeded(CYL_DID_ED25519, ed25519_vectors[i].seed, &did);
		assert_string_equal(did, ed25519_vectors[i].did);
		free(did);
		/* The raw public key is the vector's publicKeyBase58. */
		assert_true(asprintf(&mb, "z%s", ed25519_vectors[i].pub58) > 0);
		assert_int_equal(cyl_multibase_decode(mb, &want, &n, NULL, 0), 0);
		free(mb);
		assert_int_equal(n, 32);
		n = sizeof(got);
		assert_int_equal(EVP_PKEY_get_raw_public_key(k, got, &n), 1);
		assert_memory_equal(got, want, 32);
		free(want);
		mb = cyl_did_pubkey_multibase(k);
		assert_string_equal(mb, ed25519_vectors[i].did + strlen("did:key:"));
		free(mb);
		EVP_PKEY_free(k);
	}
}

static void test_key_p256_vectors(void **state)
{
	uint8_t d[32], x[32], y[32], got[32];
	BIGNUM *bx = NULL, *by = NULL;
	char *did, err[256];
	EVP_PKEY *k;
	size_t i;

	for (i = 0; i < sizeof(p256_vectors) / sizeof(p256_vectors[0]); i++) {
		unb64url(p256_vectors[i].d, d, 32);
		unb64url(p256_vectors[i].x, x, 32);
		unb64url(p256_vectors[i].y, y, 32);
		assert_int_equal(cyl_did_key_generate(CYL_DID_P256, d, &k, &did, err,
						      sizeof(err)), 0);
		assert_string_equal(did, p256_vectors[i].did);
		assert_int_equal(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_X, &bx), 1);
		assert_int_equal(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_Y, &by), 1);
		assert_int_equal(BN_bn2binpad(bx, got, 32), 32);
		assert_memory_equal(got, x, 32);
		assert_int_equal(BN_bn2binpad(by, got, 32), 32);
		assert_memory_equal(got, y, 32);
		BN_free(bx);
		BN_free(by);
		bx = by = NULL;
		free(did);
		EVP_PKEY_free(k);
	}
}

/*
 * The key pairs of the W3C vectors: vc-di-eddsa's keyPair.json (an
 * ed25519-priv multikey) and vc-di-ecdsa's p256KeyPair.json (p256-priv).
 */
static void test_key_w3c_key_pairs(void **state)
{
	static const struct {
		const char *path, *secret;
		enum cyl_did_key_type type;
		uint64_t code;
	} v[] = {
		{ "tests/vectors/vc_di_eddsa/keyPair.json", "privateKeyMultibase",
		  CYL_DID_ED25519, CYL_MC_ED25519_PRIV },
		{ "tests/vectors/vc_di_ecdsa/p256KeyPair.json", "secretKeyMultibase",
		  CYL_DID_P256, CYL_MC_P256_PRIV },
	};
	char *did, *mb, err[256];
	uint8_t seed[32];
	json_t *pair;
	EVP_PKEY *k;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		pair = load_json(v[i].path);
		decode_key(json_string_value(json_object_get(pair, v[i].secret)), v[i].code,
			   seed, 32);
		assert_int_equal(cyl_did_key_generate(v[i].type, seed, &k, &did, err,
						      sizeof(err)), 0);
		mb = cyl_did_pubkey_multibase(k);
		assert_string_equal(mb, json_string_value(json_object_get(pair,
									  "publicKeyMultibase")));
		assert_string_equal(did + strlen("did:key:"), mb);
		free(mb);
		free(did);
		EVP_PKEY_free(k);
		json_decref(pair);
	}
}

static void test_key_p256_scalar_range(void **state)
{
	static const char *const bad[] = {
		"0000000000000000000000000000000000000000000000000000000000000000",
		P256_N,
		"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	};
	uint8_t seed[32];
	char *did = NULL, err[256];
	EVP_PKEY *k;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unhex(bad[i], seed, 32);
		err[0] = '\0';
		assert_int_equal(cyl_did_key_generate(CYL_DID_P256, seed, &k, &did, err,
						      sizeof(err)), -EINVAL);
		assert_null(k);
		assert_null(did);
		assert_non_null(strstr(err, "1..n-1"));
	}
	/* n - 1 is the largest scalar, and 1 the smallest. */
	k = seeded(CYL_DID_P256, P256_N1, &did);
	assert_non_null(k);
	free(did);
	EVP_PKEY_free(k);
	k = seeded(CYL_DID_P256, ed25519_vectors[1].seed, &did);
	assert_memory_equal(did, "did:key:zDn", 11);
	free(did);
	EVP_PKEY_free(k);
}

static void test_key_random(void **state)
{
	enum cyl_did_key_type types[] = { CYL_DID_ED25519, CYL_DID_P256 }, t;
	char *a, *b, err[256];
	EVP_PKEY *ka, *kb, *pub;
	size_t i;

	for (i = 0; i < 2; i++) {
		assert_int_equal(cyl_did_key_generate(types[i], NULL, &ka, &a, err,
						      sizeof(err)), 0);
		assert_int_equal(cyl_did_key_generate(types[i], NULL, &kb, &b, err,
						      sizeof(err)), 0);
		assert_string_not_equal(a, b);
		assert_memory_equal(a, i ? "did:key:zDn" : "did:key:z6Mk", i ? 11 : 12);
		assert_int_equal(cyl_did_key_type(ka, &t), 0);
		assert_int_equal(t, types[i]);
		free(b);
		assert_true(asprintf(&b, "%s#%s", a, a + strlen("did:key:")) > 0);
		assert_int_equal(cyl_did_resolve_vm(NULL, b, "assertionMethod", &pub, err,
						    sizeof(err)), 0);
		assert_int_equal(EVP_PKEY_eq(pub, ka), 1);
		assert_int_equal(EVP_PKEY_eq(pub, kb), 0);
		EVP_PKEY_free(pub);
		EVP_PKEY_free(ka);
		EVP_PKEY_free(kb);
		free(a);
		free(b);
	}
}

/* The document of the did:key method v0.9 (Multikey, four relationships). */
static void test_key_document(void **state)
{
	static const char *const dids[] = {
		"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
		"did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv",
	};
	const char *mb;
	json_t *doc, *want;
	char *text, err[256];
	size_t i;

	for (i = 0; i < 2; i++) {
		mb = dids[i] + strlen("did:key:");
		assert_true(asprintf(&text,
			"{\"@context\": [\"https://www.w3.org/ns/did/v1\","
			"  \"https://w3id.org/security/multikey/v1\"],"
			" \"id\": \"%1$s\","
			" \"verificationMethod\": [{\"id\": \"%1$s#%2$s\", \"type\": \"Multikey\","
			"  \"controller\": \"%1$s\", \"publicKeyMultibase\": \"%2$s\"}],"
			" \"authentication\": [\"%1$s#%2$s\"],"
			" \"assertionMethod\": [\"%1$s#%2$s\"],"
			" \"capabilityInvocation\": [\"%1$s#%2$s\"],"
			" \"capabilityDelegation\": [\"%1$s#%2$s\"]}", dids[i], mb) > 0);
		want = json_loads(text, 0, NULL);
		assert_non_null(want);
		assert_int_equal(cyl_did_resolve(NULL, dids[i], &doc, err, sizeof(err)), 0);
		assert_true(json_equal(doc, want));
		json_decref(doc);
		json_decref(want);
		free(text);
	}
}

static void test_key_resolve_vm(void **state)
{
	static const char *const rel[] = {
		"authentication", "assertionMethod", "capabilityInvocation",
		"capabilityDelegation",
	};
	char *did, *vm, *other, err[256];
	EVP_PKEY *k, *pub;
	size_t i;

	k = seeded(CYL_DID_ED25519, ed25519_vectors[2].seed, &did);
	assert_true(asprintf(&vm, "%s#%s", did, did + strlen("did:key:")) > 0);
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		assert_int_equal(cyl_did_resolve_vm(NULL, vm, rel[i], &pub, err, sizeof(err)), 0);
		assert_int_equal(EVP_PKEY_eq(pub, k), 1);
		EVP_PKEY_free(pub);
	}
	assert_int_equal(cyl_did_resolve_vm(NULL, vm, "keyAgreement", &pub, err, sizeof(err)),
			 -EACCES);
	assert_null(pub);
	assert_non_null(strstr(err, "not authorized for keyAgreement"));
	assert_int_equal(cyl_did_resolve_vm(NULL, vm, "proofOfLife", &pub, err, sizeof(err)),
			 -EINVAL);

	/* Another key's fragment, no fragment, a path, a query. */
	assert_true(asprintf(&other, "%s#%s", did, ed25519_vectors[3].did + 8) > 0);
	assert_int_equal(cyl_did_resolve_vm(NULL, other, rel[1], &pub, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "no such verification method"));
	free(other);
	assert_true(asprintf(&other, "%s#key-1", did) > 0);
	assert_int_equal(cyl_did_resolve_vm(NULL, other, rel[1], &pub, err, sizeof(err)),
			 -ENOENT);
	free(other);
	assert_int_equal(cyl_did_resolve_vm(NULL, did, rel[1], &pub, err, sizeof(err)), -EINVAL);
	assert_true(asprintf(&other, "%s#", did) > 0);
	assert_int_equal(cyl_did_resolve_vm(NULL, other, rel[1], &pub, err, sizeof(err)),
			 -EINVAL);
	free(other);
	assert_true(asprintf(&other, "%s/path#%s", did, did + 8) > 0);
	assert_int_equal(cyl_did_resolve_vm(NULL, other, rel[1], &pub, err, sizeof(err)),
			 -EINVAL);
	free(other);
	assert_true(asprintf(&other, "%s?q=1#%s", did, did + 8) > 0);
	assert_int_equal(cyl_did_resolve_vm(NULL, other, rel[1], &pub, err, sizeof(err)),
			 -EINVAL);
	free(other);
	assert_null(pub);
	free(vm);
	free(did);
	EVP_PKEY_free(k);
}

/* A did:key of multicodec @code and @len bytes of @fill after a first byte @first. */
static char *did_key_of(uint64_t code, uint8_t first, uint8_t fill, size_t len)
{
	uint8_t raw[10 + 64];
	size_t hl = cyl_multicodec_put(code, raw);
	char *mb, *did;

	raw[hl] = first;
	memset(raw + hl + 1, fill, len - 1);
	assert_int_equal(cyl_multibase_encode('z', raw, hl + len, &mb), 0);
	assert_true(asprintf(&did, "did:key:%s", mb) > 0);
	free(mb);
	return did;
}

static void test_key_malformed(void **state)
{
	static const char *const bad[] = {
		"did:key:",
		"did:key:6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",	/* no 'z' */
		"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooW0",	/* '0' */
		"did:key:uAe0",
		/* secp256k1 (0xe7), which is not supported */
		"did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
		"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#x",
		"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp/x",
		"did:KEY:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
		"did:",
		"did:key",
		"key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
	};
	json_t *doc = NULL;
	char *did, err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cyl_did_resolve(NULL, bad[i], &doc, err, sizeof(err)) != -EINVAL)
			fail_msg("%s: not refused with -EINVAL", bad[i]);
		assert_null(doc);
	}
	/* Ed25519 of 31 and 33 bytes; P-256 of 32, 34, with prefix 04, off the field. */
	did = did_key_of(CYL_MC_ED25519_PUB, 1, 1, 31);
	assert_int_equal(cyl_did_resolve(NULL, did, &doc, err, sizeof(err)), -EINVAL);
	free(did);
	did = did_key_of(CYL_MC_ED25519_PUB, 1, 1, 33);
	assert_int_equal(cyl_did_resolve(NULL, did, &doc, err, sizeof(err)), -EINVAL);
	free(did);
	did = did_key_of(CYL_MC_P256_PUB, 2, 1, 32);
	assert_int_equal(cyl_did_resolve(NULL, did, &doc, err, sizeof(err)), -EINVAL);
	free(did);
	did = did_key_of(CYL_MC_P256_PUB, 2, 1, 34);
	assert_int_equal(cyl_did_resolve(NULL, did, &doc, err, sizeof(err)), -EINVAL);
	free(did);
	did = did_key_of(CYL_MC_P256_PUB, 4, 1, 33);
	assert_int_equal(cyl_did_resolve(NULL, did, &doc, err, sizeof(err)), -EINVAL);
	free(did);
	did = did_key_of(CYL_MC_P256_PUB, 2, 0xff, 33);
	assert_int_equal(cyl_did_resolve(NULL, did, &doc, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a point of P-256"));
	free(did);

	assert_int_equal(cyl_did_resolve(NULL, "did:example:123", &doc, err, sizeof(err)),
			 -EPROTONOSUPPORT);
	assert_null(doc);
}

static void test_did_of_url(void **state)
{
	static const struct {
		const char *url, *did;
	} v[] = {
		{ "did:key:z6Mk#z6Mk", "did:key:z6Mk" },
		{ "did:web:example.com%3A8443:u:alice#key-1",
		  "did:web:example.com%3A8443:u:alice" },
		{ "did:web:example.com/path?q#f", "did:web:example.com" },
		{ "did:web:example.com?versionId=1", "did:web:example.com" },
		{ "did:example:123", "did:example:123" },
		{ "did:Example:123", NULL },
		{ "did::123", NULL },
		{ "did:web:#x", NULL },
		{ "did:web", NULL },
		{ "urn:uuid:1", NULL },
		{ "", NULL },
	};
	char *got;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		got = cyl_did_of_url(v[i].url);
		if (v[i].did)
			assert_string_equal(got, v[i].did);
		else
			assert_null(got);
		free(got);
	}
}

/* --- did:web --- */

/*
 * The cache: did:web:example.com (a relative "#key-1" for authentication,
 * "#key-2" embedded under assertionMethod, "#key-3" listed nowhere),
 * did:web:example.com%3A8443:users:alice (absolute ids), and documents
 * each wrong in one way.
 */
static void fill_cache(char **k1, char **k2)
{
	EVP_PKEY *a, *b;
	char *da, *db, *text;

	a = seeded(CYL_DID_ED25519, ed25519_vectors[0].seed, &da);
	b = seeded(CYL_DID_P256, P256_N1, &db);
	*k1 = cyl_did_pubkey_multibase(a);
	*k2 = cyl_did_pubkey_multibase(b);
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
	free(da);
	free(db);

	assert_true(asprintf(&text,
		"{\"@context\": [\"https://www.w3.org/ns/did/v1\"],"
		" \"id\": \"did:web:example.com\","
		" \"verificationMethod\": ["
		"  {\"id\": \"#key-1\", \"type\": \"Multikey\","
		"   \"controller\": \"did:web:example.com\","
		"   \"publicKeyMultibase\": \"%1$s\"},"
		"  {\"id\": \"#key-3\", \"type\": \"Multikey\","
		"   \"controller\": \"did:web:example.com\","
		"   \"publicKeyMultibase\": \"%1$s\"}],"
		" \"authentication\": [\"#key-1\"],"
		" \"assertionMethod\": [{\"id\": \"did:web:example.com#key-2\","
		"   \"type\": \"Multikey\","
		"   \"controller\": \"did:web:example.com\", \"publicKeyMultibase\": \"%2$s\"}]}",
		*k1, *k2) > 0);
	put("example.com/.well-known/did.json", text);
	free(text);

	assert_true(asprintf(&text,
		"{\"id\": \"did:web:example.com%%3A8443:users:alice\","
		" \"verificationMethod\": [{\"id\": \"did:web:example.com%%3A8443:users:alice#k\","
		"  \"type\": \"Multikey\","
		"  \"controller\": \"did:web:example.com%%3A8443:users:alice\","
		"  \"publicKeyMultibase\": \"%s\"}],"
		" \"assertionMethod\": [\"did:web:example.com%%3A8443:users:alice#k\"]}", *k2) > 0);
	put("example.com%3A8443/users/alice/did.json", text);
	free(text);

#define ONE_KEY(id, type, controller, key)						\
	"{\"id\": \"" id "\", \"verificationMethod\": [{\"id\": \"#k\", \"type\": \""	\
	type "\", \"controller\": \"" controller "\", \"publicKeyMultibase\": \"" key	\
	"\"}], \"assertionMethod\": [\"#k\"]}"
	put("example.com/other-id/did.json",
	    ONE_KEY("did:web:example.com", "Multikey", "did:web:example.com",
		    "z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"));
	put("example.com/other-controller/did.json",
	    ONE_KEY("did:web:example.com:other-controller", "Multikey", "did:web:example.com",
		    "z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"));
	put("example.com/legacy-type/did.json",
	    ONE_KEY("did:web:example.com:legacy-type", "Ed25519VerificationKey2020",
		    "did:web:example.com:legacy-type",
		    "z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"));
	put("example.com/bad-key/did.json",
	    ONE_KEY("did:web:example.com:bad-key", "Multikey", "did:web:example.com:bad-key",
		    "z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDoo"));
	put("example.com/twice/did.json",
	    "{\"id\": \"did:web:example.com:twice\", \"verificationMethod\": ["
	    " {\"id\": \"#k\", \"type\": \"Multikey\","
	    "  \"controller\": \"did:web:example.com:twice\","
	    "  \"publicKeyMultibase\": \"z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp\"}],"
	    " \"assertionMethod\": [{\"id\": \"did:web:example.com:twice#k\","
	    "  \"type\": \"Multikey\","
	    "  \"controller\": \"did:web:example.com:twice\","
	    "  \"publicKeyMultibase\": \"z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG\"}]}");
	put("example.com/duplicate-key/did.json",
	    "{\"id\": \"did:web:example.com:duplicate-key\", \"id\": \"x\"}");
	put("example.com/not-json/did.json", "{\"id\": ");
	put("example.com/array/did.json", "[\"did:web:example.com:array\"]");
	/* What a traversal would reach, were it not refused. */
	put("secret/did.json", ONE_KEY("did:web:example.com:..:secret", "Multikey",
					"did:web:example.com:..:secret",
					"z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"));
#undef ONE_KEY
}

static void expect_vm(const struct cyl_did_resolver *r, const char *vm, const char *rel,
		      int want, const char *key)
{
	EVP_PKEY *pub;
	char err[256] = "", *mb;
	int ret;

	ret = cyl_did_resolve_vm(r, vm, rel, &pub, err, sizeof(err));
	if (ret != want)
		fail_msg("%s for %s: %d (%s), expected %d", vm, rel, ret, err, want);
	if (want) {
		assert_null(pub);
		assert_true(err[0]);
		return;
	}
	mb = cyl_did_pubkey_multibase(pub);
	assert_string_equal(mb, key);
	free(mb);
	EVP_PKEY_free(pub);
}

static void test_web_cache(void **state)
{
	struct cyl_did_resolver r = { .web_cache = tmp }, none = { NULL };
	char *k1, *k2, err[256];
	json_t *doc;

	fill_cache(&k1, &k2);
	assert_int_equal(cyl_did_resolve(&r, "did:web:example.com", &doc, err, sizeof(err)), 0);
	assert_string_equal(json_string_value(json_object_get(doc, "id")), "did:web:example.com");
	json_decref(doc);

	expect_vm(&r, "did:web:example.com#key-1", "authentication", 0, k1);
	expect_vm(&r, "did:web:example.com#key-1", "assertionMethod", -EACCES, NULL);
	expect_vm(&r, "did:web:example.com#key-2", "assertionMethod", 0, k2);
	expect_vm(&r, "did:web:example.com#key-2", "authentication", -EACCES, NULL);
	expect_vm(&r, "did:web:example.com#key-3", "authentication", -EACCES, NULL);
	expect_vm(&r, "did:web:example.com#key-4", "authentication", -ENOENT, NULL);
	expect_vm(&r, "did:web:example.com%3A8443:users:alice#k", "assertionMethod", 0, k2);
	/* The same file, but the document's id is spelt with "%3A". */
	expect_vm(&r, "did:web:example.com%3a8443:users:alice#k", "assertionMethod", -EINVAL,
		  NULL);
	expect_vm(&r, "did:web:example.com:other-id#k", "assertionMethod", -EINVAL, NULL);
	expect_vm(&r, "did:web:example.com:other-controller#k", "assertionMethod", -EACCES,
		  NULL);
	expect_vm(&r, "did:web:example.com:legacy-type#k", "assertionMethod", -EINVAL, NULL);
	expect_vm(&r, "did:web:example.com:bad-key#k", "assertionMethod", -EINVAL, NULL);
	expect_vm(&r, "did:web:example.com:twice#k", "assertionMethod", -EINVAL, NULL);
	expect_vm(&r, "did:web:example.com:duplicate-key#k", "assertionMethod", -EINVAL, NULL);
	expect_vm(&r, "did:web:example.com:not-json#k", "assertionMethod", -EINVAL, NULL);
	expect_vm(&r, "did:web:example.com:array#k", "assertionMethod", -EINVAL, NULL);

	/* Not in the cache; no cache at all. */
	expect_vm(&r, "did:web:example.org#k", "assertionMethod", -ENOENT, NULL);
	expect_vm(&r, "did:web:example.com:nobody#k", "assertionMethod", -ENOENT, NULL);
	expect_vm(&r, "did:web:example.com%3A8443#k", "assertionMethod", -ENOENT, NULL);
	expect_vm(&none, "did:web:example.com#key-1", "authentication", -ENOENT, NULL);
	expect_vm(NULL, "did:web:example.com#key-1", "authentication", -ENOENT, NULL);
	free(k1);
	free(k2);
}

static void test_web_refusals(void **state)
{
	static const char *const bad[] = {
		"did:web:example.com:..:secret",
		"did:web:example.com:.:secret",
		"did:web:example.com:.well-known",
		"did:web:example.com::users",
		"did:web:example.com:users:",
		"did:web:example.com:",
		"did:web:example.com:a%2Fb",
		"did:web:example.com:%2e%2e:secret",
		"did:web:example.com:a\\b",
		"did:web:example.com:a b",
		"did:web:..",
		"did:web:.example.com",
		"did:web:example..com",
		"did:web:example.com.",
		"did:web:exa_mple.com",
		"did:web:example.com%2F..",
		"did:web:example.com%3A",
		"did:web:example.com%3A0",
		"did:web:example.com%3A08443",
		"did:web:example.com%3A65536",
		"did:web:example.com%3Axyz",
		"did:web:example.com%3A8443%3A1",
		"did:web:%3A8443",
		"did:web:",
		"did:web:example.com/x",
		"did:web:example.com?x",
	};
	struct cyl_did_resolver r = { .web_cache = tmp };
	json_t *doc = NULL;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (cyl_did_resolve(&r, bad[i], &doc, err, sizeof(err)) != -EINVAL)
			fail_msg("%s: not refused with -EINVAL (%s)", bad[i], err);
		assert_null(doc);
		/* Malformed even without a cache to look in. */
		assert_int_equal(cyl_did_resolve(NULL, bad[i], &doc, err, sizeof(err)), -EINVAL);
	}
	/* The longest host and port that are valid are looked for, not refused. */
	assert_int_equal(cyl_did_resolve(&r, "did:web:a-b.example.com%3A65535:x_y:z~1", &doc,
					 err, sizeof(err)), -ENOENT);
}

/* --- key files --- */

static void path_of(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", tmp, name);
}

static void test_keyfile_round_trip(void **state)
{
	static const struct {
		const char *vector, *secret;
		enum cyl_did_key_type type;
		uint64_t code;
	} v[] = {
		{ "tests/vectors/vc_di_eddsa/keyPair.json", "privateKeyMultibase",
		  CYL_DID_ED25519, CYL_MC_ED25519_PRIV },
		{ "tests/vectors/vc_di_ecdsa/p256KeyPair.json", "secretKeyMultibase",
		  CYL_DID_P256, CYL_MC_P256_PRIV },
	};
	char path[512], *did, *did2, err[256];
	EVP_PKEY *k, *k2;
	json_t *pair, *file;
	uint8_t seed[32];
	struct stat st;
	size_t i;

	for (i = 0; i < 2; i++) {
		pair = load_json(v[i].vector);
		decode_key(json_string_value(json_object_get(pair, v[i].secret)), v[i].code,
			   seed, 32);
		assert_int_equal(cyl_did_key_generate(v[i].type, seed, &k, &did, err,
						      sizeof(err)), 0);
		path_of(path, sizeof(path), i ? "p256.json" : "ed25519.json");
		assert_int_equal(cyl_did_keyfile_write(path, k, err, sizeof(err)), 0);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);

		/* The file holds the vector's own private key multibase. */
		file = load_json(path);
		assert_string_equal(json_string_value(json_object_get(file, "privateKeyMultibase")),
				    json_string_value(json_object_get(pair, v[i].secret)));
		assert_string_equal(json_string_value(json_object_get(file, "publicKeyMultibase")),
				    json_string_value(json_object_get(pair, "publicKeyMultibase")));
		assert_string_equal(json_string_value(json_object_get(file, "did")), did);
		json_decref(file);

		assert_int_equal(cyl_did_keyfile_read(path, &k2, &did2, err, sizeof(err)), 0);
		assert_string_equal(did2, did);
		assert_int_equal(EVP_PKEY_eq(k, k2), 1);
		free(did2);
		EVP_PKEY_free(k2);

		/* Never over an existing file. */
		assert_int_equal(cyl_did_keyfile_write(path, k, err, sizeof(err)), -EEXIST);
		EVP_PKEY_free(k);
		free(did);
		json_decref(pair);
	}
}

static void test_keyfile_refusals(void **state)
{
	char path[512], target[512], *text, *d0, *d1, *mb1, err[256];
	EVP_PKEY *k0, *k1, *k = NULL;
	char *did = NULL;
	json_t *file;

	k0 = seeded(CYL_DID_ED25519, ed25519_vectors[0].seed, &d0);
	k1 = seeded(CYL_DID_ED25519, ed25519_vectors[1].seed, &d1);
	mb1 = cyl_did_pubkey_multibase(k1);

	/* Not through a symlink, even a dangling one. */
	path_of(path, sizeof(path), "link.json");
	path_of(target, sizeof(target), "target.json");
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(cyl_did_keyfile_write(path, k0, err, sizeof(err)), -EEXIST);
	assert_int_equal(access(target, F_OK), -1);

	/* A public key only. */
	path_of(path, sizeof(path), "public.json");
	{
		EVP_PKEY *pub;

		assert_true(asprintf(&text, "%s#%s", d0, d0 + 8) > 0);
		assert_int_equal(cyl_did_resolve_vm(NULL, text, "authentication", &pub, err,
						    sizeof(err)), 0);
		free(text);
		assert_int_equal(cyl_did_keyfile_write(path, pub, err, sizeof(err)), -EINVAL);
		assert_int_equal(access(path, F_OK), -1);
		EVP_PKEY_free(pub);
	}

	/* The file of key 0, then its did and its public key swapped for key 1's. */
	path_of(path, sizeof(path), "k0.json");
	assert_int_equal(cyl_did_keyfile_write(path, k0, err, sizeof(err)), 0);
	file = load_json(path);
	json_object_set_new(file, "did", json_string(d1));
	path_of(path, sizeof(path), "k0-other-did.json");
	assert_int_equal(json_dump_file(file, path, 0), 0);
	assert_int_equal(cyl_did_keyfile_read(path, &k, &did, err, sizeof(err)), -EINVAL);
	assert_null(k);
	assert_null(did);
	assert_non_null(strstr(err, "not the key of"));
	json_object_set_new(file, "did", json_string(d0));
	json_object_set_new(file, "publicKeyMultibase", json_string(mb1));
	path_of(path, sizeof(path), "k0-other-pub.json");
	assert_int_equal(json_dump_file(file, path, 0), 0);
	assert_int_equal(cyl_did_keyfile_read(path, &k, &did, err, sizeof(err)), -EINVAL);

	/* The private key a public multikey; missing fields; not JSON; missing. */
	json_object_set_new(file, "publicKeyMultibase", json_string(d0 + 8));
	json_object_set_new(file, "privateKeyMultibase", json_string(d0 + 8));
	path_of(path, sizeof(path), "k0-pub-as-priv.json");
	assert_int_equal(json_dump_file(file, path, 0), 0);
	assert_int_equal(cyl_did_keyfile_read(path, &k, &did, err, sizeof(err)), -EINVAL);
	json_object_del(file, "privateKeyMultibase");
	path_of(path, sizeof(path), "k0-no-priv.json");
	assert_int_equal(json_dump_file(file, path, 0), 0);
	assert_int_equal(cyl_did_keyfile_read(path, &k, &did, err, sizeof(err)), -EINVAL);
	json_decref(file);
	put("garbage.json", "did:key:z6Mk\n");
	path_of(path, sizeof(path), "garbage.json");
	assert_int_equal(cyl_did_keyfile_read(path, &k, &did, err, sizeof(err)), -EINVAL);
	path_of(path, sizeof(path), "absent.json");
	assert_int_equal(cyl_did_keyfile_read(path, &k, &did, err, sizeof(err)), -ENOENT);

	/* A P-256 private key of 0. */
	{
		uint8_t raw[10 + 32];
		size_t hl = cyl_multicodec_put(CYL_MC_P256_PRIV, raw);
		char *mb;

		memset(raw + hl, 0, 32);
		assert_int_equal(cyl_multibase_encode('z', raw, hl + 32, &mb), 0);
		assert_true(asprintf(&text, "{\"did\": \"%s\", \"publicKeyMultibase\": \"%s\","
				     " \"privateKeyMultibase\": \"%s\"}", d0, d0 + 8, mb) > 0);
		put("p256-zero.json", text);
		free(text);
		free(mb);
		path_of(path, sizeof(path), "p256-zero.json");
		assert_int_equal(cyl_did_keyfile_read(path, &k, &did, err, sizeof(err)),
				 -EINVAL);
	}
	assert_null(k);
	assert_null(did);
	free(mb1);
	free(d0);
	free(d1);
	EVP_PKEY_free(k0);
	EVP_PKEY_free(k1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_ed25519_vectors),
		cmocka_unit_test(test_key_p256_vectors),
		cmocka_unit_test(test_key_w3c_key_pairs),
		cmocka_unit_test(test_key_p256_scalar_range),
		cmocka_unit_test(test_key_random),
		cmocka_unit_test(test_key_document),
		cmocka_unit_test(test_key_resolve_vm),
		cmocka_unit_test(test_key_malformed),
		cmocka_unit_test(test_did_of_url),
		cmocka_unit_test(test_web_cache),
		cmocka_unit_test(test_web_refusals),
		cmocka_unit_test(test_keyfile_round_trip),
		cmocka_unit_test(test_keyfile_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
