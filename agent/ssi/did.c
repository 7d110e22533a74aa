// SPDX-License-Identifier: GPL-2.0
/*
 * did:key (W3C CCG did:key method v0.9: Ed25519 and P-256 as Multikey),
 * did:web read from a local cache (the did:web method's path mapping,
 * with everything that could leave the cache refused), verification
 * methods dereferenced for a relationship (Controlled Identifiers 1.0:
 * Multikey, the controller being the DID), and the key files of
 * cylctl ssi did create.
 */
#define _GNU_SOURCE	/* asprintf() */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "ssi/did.h"
#include "ssi/json.h"
#include "ssi/multibase.h"
#include "util/errbuf.h"
#include "util/file.h"

#define KEY_LEN		32	/* Ed25519 keys, the P-256 scalar */
#define P256_POINT_LEN	33	/* compressed */
#define MULTIKEY_MAX	(10 + 65)	/* multicodec varint and a public key */
#define DID_MAX		2048
#define KEYFILE_MAX	4096

static const char *const key_context[] = {
	"https://www.w3.org/ns/did/v1",
	"https://w3id.org/security/multikey/v1",
};

/* The verification relationships of DID Core (and of a did:key document). */
static const char *const relationships[] = {
	"authentication", "assertionMethod", "keyAgreement",
	"capabilityInvocation", "capabilityDelegation",
};

int cyl_did_key_type(const EVP_PKEY *pkey, enum cyl_did_key_type *type)
{
	char group[32];

	if (EVP_PKEY_is_a(pkey, "ED25519")) {
		*type = CYL_DID_ED25519;
		return 0;
	}
	if (EVP_PKEY_is_a(pkey, "EC") &&
	    EVP_PKEY_get_group_name(pkey, group, sizeof(group), NULL) &&
	    !strcmp(group, "prime256v1")) {
		*type = CYL_DID_P256;
		return 0;
	}
	return -EINVAL;
}

/* A P-256 key from its encoded public point (checked to be on the curve), and scalar @d. */
static EVP_PKEY *p256_key(const uint8_t *point, size_t len, const BIGNUM *d)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
						     "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, len) ||
	    (d && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
			      params) <= 0)
		pkey = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	ERR_clear_error();
	return pkey;
}

/* The P-256 key pair of scalar @k (big endian), which must be in 1..n-1. */
static int p256_from_scalar(const uint8_t k[KEY_LEN], EVP_PKEY **priv, char *err, size_t errlen)
{
	EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	BIGNUM *d = BN_secure_new();
	EC_POINT *pub = NULL;
	uint8_t point[P256_POINT_LEN];
	int ret = -EIO;

	if (!group || !d || !BN_bin2bn(k, KEY_LEN, d))
		goto out;
	if (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(group)) >= 0) {
		ret = cyl_errf(-EINVAL, err, errlen, "a P-256 private key must be in 1..n-1");
		goto out;
	}
	pub = EC_POINT_new(group);
	if (!pub || !EC_POINT_mul(group, pub, d, NULL, NULL, NULL) ||
	    EC_POINT_point2oct(group, pub, POINT_CONVERSION_COMPRESSED, point, sizeof(point),
			       NULL) != sizeof(point))
		goto out;
	*priv = p256_key(point, sizeof(point), d);
	ret = *priv ? 0 : -EIO;
out:
	if (ret == -EIO)
		cyl_errf(ret, err, errlen, "OpenSSL could not make a P-256 key");
	EC_POINT_free(pub);
	BN_clear_free(d);
	EC_GROUP_free(group);
	ERR_clear_error();
	return ret;
}

/* The key pair of private key @k: an Ed25519 seed or a P-256 scalar. */
static int key_from_private(enum cyl_did_key_type type, const uint8_t k[KEY_LEN],
			    EVP_PKEY **priv, char *err, size_t errlen)
{
	if (type == CYL_DID_P256)
		return p256_from_scalar(k, priv, err, errlen);
	*priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, k, KEY_LEN);
	if (!*priv)
		return cyl_errf(-EIO, err, errlen, "OpenSSL could not make an Ed25519 key");
	return 0;
}

int cyl_did_key_generate(enum cyl_did_key_type type, const uint8_t *seed,
			 EVP_PKEY **priv, char **did, char *err, size_t errlen)
{
	int ret;

	*priv = NULL;
	*did = NULL;
	if (type != CYL_DID_ED25519 && type != CYL_DID_P256)
		return cyl_errf(-EINVAL, err, errlen, "unknown key type");
	if (seed) {
		ret = key_from_private(type, seed, priv, err, errlen);
		if (ret)
			return ret;
	} else {
		*priv = type == CYL_DID_ED25519 ? EVP_PKEY_Q_keygen(NULL, NULL, "ED25519") :
			EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		if (!*priv) {
			ERR_clear_error();
			return cyl_errf(-EIO, err, errlen, "OpenSSL could not generate a key");
		}
	}
	*did = cyl_did_key_from_pkey(*priv);
	if (!*did) {
		EVP_PKEY_free(*priv);
		*priv = NULL;
		return cyl_errf(-EIO, err, errlen, "no public key");
	}
	return 0;
}

/* The multicodec-prefixed public key of @pkey into @out; its length, 0 if none. */
static size_t multikey_bytes(const EVP_PKEY *pkey, uint8_t out[MULTIKEY_MAX])
{
	enum cyl_did_key_type type;
	uint8_t point[65];
	size_t hl, n;

	if (cyl_did_key_type(pkey, &type))
		return 0;
	if (type == CYL_DID_ED25519) {
		hl = cyl_multicodec_put(CYL_MC_ED25519_PUB, out);
		n = KEY_LEN;
		if (!EVP_PKEY_get_raw_public_key(pkey, out + hl, &n) || n != KEY_LEN)
			goto fail;
		return hl + n;
	}
	hl = cyl_multicodec_put(CYL_MC_P256_PUB, out);
	if (!EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point,
					     sizeof(point), &n))
		goto fail;
	if (n == sizeof(point) && point[0] == 4) {
		/* Uncompressed: the parity of y makes the prefix. */
		out[hl] = 2 | (point[64] & 1);
		memcpy(out + hl + 1, point + 1, KEY_LEN);
	} else if (n == P256_POINT_LEN) {
		memcpy(out + hl, point, n);
	} else {
		goto fail;
	}
	return hl + P256_POINT_LEN;
fail:
	ERR_clear_error();
	return 0;
}

char *cyl_did_pubkey_multibase(const EVP_PKEY *pkey)
{
	uint8_t raw[MULTIKEY_MAX];
	size_t len = multikey_bytes(pkey, raw);
	char *mb;

	if (!len || cyl_multibase_encode('z', raw, len, &mb))
		return NULL;
	return mb;
}

char *cyl_did_key_from_pkey(const EVP_PKEY *pkey)
{
	char *mb = cyl_did_pubkey_multibase(pkey);
	char *did = NULL;

	if (mb && asprintf(&did, "did:key:%s", mb) < 0)
		did = NULL;
	free(mb);
	return did;
}

/* The public key of a Multikey publicKeyMultibase (also a did:key's identifier). */
static int multikey_public(const char *mb, EVP_PKEY **pub, char *err, size_t errlen)
{
	const uint8_t *body;
	size_t len, blen;
	uint64_t code;
	uint8_t *raw;
	char e[128];
	int ret;

	*pub = NULL;
	if (mb[0] != 'z')
		return cyl_errf(-EINVAL, err, errlen, "a Multikey is base58btc ('z...')");
	if (cyl_multibase_decode(mb, &raw, &len, e, sizeof(e)))
		return cyl_errf(-EINVAL, err, errlen, "Multikey: %s", e);
	ret = -EINVAL;
	if (cyl_multicodec_split(raw, len, &code, &body, &blen)) {
		cyl_errf(ret, err, errlen, "Multikey: bad multicodec prefix");
		goto out;
	}
	if (code == CYL_MC_ED25519_PUB && blen == KEY_LEN) {
		*pub = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, body, blen);
		ret = *pub ? 0 : cyl_errf(-EIO, err, errlen, "OpenSSL refused the Ed25519 key");
	} else if (code == CYL_MC_P256_PUB && blen == P256_POINT_LEN) {
		*pub = p256_key(body, blen, NULL);
		ret = *pub ? 0 : cyl_errf(-EINVAL, err, errlen,
					  "Multikey: not a point of P-256");
	} else {
		cyl_errf(ret, err, errlen,
			 "Multikey: multicodec 0x%llx with %zu bytes is not an Ed25519 or "
			 "compressed P-256 public key", (unsigned long long)code, blen);
	}
out:
	ERR_clear_error();
	free(raw);
	return ret;
}

/* The document the did:key method makes of @did, whose key is @mb. */
static int key_document(const char *did, const char *mb, json_t **doc)
{
	char *vm;

	if (asprintf(&vm, "%s#%s", did, mb) < 0)
		return -ENOMEM;
	*doc = json_pack("{s:[s,s], s:s, s:[{s:s, s:s, s:s, s:s}], s:[s], s:[s], s:[s], s:[s]}",
			 "@context", key_context[0], key_context[1],
			 "id", did,
			 "verificationMethod",
			 "id", vm, "type", "Multikey", "controller", did,
			 "publicKeyMultibase", mb,
			 "authentication", vm, "assertionMethod", vm,
			 "capabilityInvocation", vm, "capabilityDelegation", vm);
	free(vm);
	return *doc ? 0 : -ENOMEM;
}

static int resolve_key(const char *did, json_t **doc, char *err, size_t errlen)
{
	const char *mb = did + strlen("did:key:");
	EVP_PKEY *pub;
	char e[200];
	int ret;

	ret = multikey_public(mb, &pub, e, sizeof(e));
	if (ret)
		return cyl_errf(ret, err, errlen, "%s: %s", did, e);
	EVP_PKEY_free(pub);
	ret = key_document(did, mb, doc);
	return ret ? cyl_errf(ret, err, errlen, "out of memory") : 0;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * The host part of a did:web, up to ':' or the end: DNS labels of
 * letters, digits and '-', then an optional "%3A" and port.  Its length,
 * 0 if invalid; *@port is where the port's "%3A" starts (or the end).
 */
static size_t web_host(const char *s, size_t *port)
{
	size_t i = 0, label = 0, digits;
	unsigned long p;

	for (; is_alnum(s[i]) || s[i] == '-' || s[i] == '.'; i++) {
		if (s[i] != '.') {
			label++;
			continue;
		}
		if (!label)
			return 0;
		label = 0;
	}
	if (!label || i > 253)
		return 0;
	*port = i;
	if (s[i] != '%')
		return i;
	if (strncasecmp(s + i, "%3A", 3))
		return 0;
	i += 3;
	digits = strspn(s + i, "0123456789");
	if (!digits || digits > 5 || s[i] == '0')
		return 0;
	p = strtoul(s + i, NULL, 10);
	return p <= 65535 ? i + digits : 0;
}

/*
 * The cache file of did:web DID @did: <cache>/<host>[%3A<port>]/<path...>/did.json,
 * or .well-known/did.json without a path.  Path segments are refused when
 * empty, when they start with '.' ("..", hidden names) and when they hold
 * anything but letters, digits and "-_.~" (no '/', no percent-encoding).
 */
static int web_path(const char *cache, const char *did, char *path, size_t size,
		    char *err, size_t errlen)
{
	const char *id = did + strlen("did:web:"), *s;
	size_t host, port, n, used;

	host = web_host(id, &port);
	if (!host || (id[host] && id[host] != ':'))
		return cyl_errf(-EINVAL, err, errlen, "%s: not a valid did:web host", did);
	/* The port's colon is "%3A" in the cache, whatever its case in the DID. */
	n = port < host ? host - port - 3 : 0;
	used = snprintf(path, size, "%s/%.*s%s%.*s", cache, (int)port, id, n ? "%3A" : "",
			(int)n, n ? id + port + 3 : "");
	for (s = id + host; *s && used < size; s += n) {
		s++;	/* the ':' */
		n = strcspn(s, ":");
		if (!n || s[0] == '.' || strspn(s, "abcdefghijklmnopqrstuvwxyz"
						   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~") < n)
			return cyl_errf(-EINVAL, err, errlen,
					"%s: a path segment is empty, starts with '.' or holds "
					"a character other than letters, digits and \"-_.~\"",
					did);
		used += snprintf(path + used, size - used, "/%.*s", (int)n, s);
	}
	used += snprintf(path + used, size > used ? size - used : 0, "%s/did.json",
			 id[host] ? "" : "/.well-known");
	if (used >= size)
		return cyl_errf(-ENAMETOOLONG, err, errlen, "%s: path too long", did);
	return 0;
}

static int resolve_web(const struct cyl_did_resolver *r, const char *did, json_t **doc,
		       char *err, size_t errlen)
{
	char path[PATH_MAX], e[200], *buf;
	const char *id;
	size_t len;
	int ret;

	ret = web_path(r && r->web_cache ? r->web_cache : "", did, path, sizeof(path),
		       err, errlen);
	if (ret)
		return ret;
	if (!r || !r->web_cache)
		return cyl_errf(-ENOENT, err, errlen, "%s: no did:web cache is configured", did);
	ret = cyl_read_file(path, CYL_SSI_JSON_MAX, &buf, &len);
	if (ret == -ENOENT || ret == -ENOTDIR)
		return cyl_errf(-ENOENT, err, errlen, "%s: not in the did:web cache (%s)",
				did, path);
	if (ret == -EFBIG)
		return cyl_errf(-EINVAL, err, errlen, "%s: more than %u bytes", path,
				(unsigned int)CYL_SSI_JSON_MAX);
	if (ret)
		return cyl_errf(ret, err, errlen, "%s: %s", path, strerror(-ret));
	*doc = cyl_ssi_json_parse(buf, len, e, sizeof(e));
	free(buf);
	if (!*doc)
		return cyl_errf(-EINVAL, err, errlen, "%s: %s", path, e);
	id = cyl_ssi_json_str(*doc, "id");
	if (!json_is_object(*doc) || !id || strcmp(id, did)) {
		ret = cyl_errf(-EINVAL, err, errlen, "%s: the document's id is not %s", path, did);
		json_decref(*doc);
		*doc = NULL;
	}
	return ret;
}

int cyl_did_resolve(const struct cyl_did_resolver *r, const char *did, json_t **doc,
		    char *err, size_t errlen)
{
	char *of;
	bool bare;

	*doc = NULL;
	if (strlen(did) > DID_MAX)
		return cyl_errf(-EINVAL, err, errlen, "a DID longer than %d bytes", DID_MAX);
	of = cyl_did_of_url(did);
	bare = of && !strcmp(of, did);
	free(of);
	if (!bare)
		return cyl_errf(-EINVAL, err, errlen, "%s: not a DID", did);
	if (!strncmp(did, "did:key:", 8))
		return resolve_key(did, doc, err, errlen);
	if (!strncmp(did, "did:web:", 8))
		return resolve_web(r, did, doc, err, errlen);
	return cyl_errf(-EPROTONOSUPPORT, err, errlen, "%s: DID method not supported", did);
}

/* Does the id @id (absolute, or "#fragment" relative to @did) name @vm? */
static bool names(const char *id, const char *did, const char *vm)
{
	if (!id)
		return false;
	if (id[0] == '#')
		return !strcmp(vm + strlen(did), id);
	return !strcmp(id, vm);
}

/*
 * Find @vm's definition: in "verificationMethod" or embedded in a
 * relationship.  *@count is how many definitions there are.
 */
static const json_t *find_method(const json_t *doc, const char *did, const char *vm,
				 unsigned int *count)
{
	const json_t *found = NULL, *list, *m;
	size_t i, j;

	*count = 0;
	for (i = 0; i <= sizeof(relationships) / sizeof(relationships[0]); i++) {
		list = json_object_get(doc, i ? relationships[i - 1] : "verificationMethod");
		json_array_foreach(list, j, m) {
			if (json_is_object(m) && names(cyl_ssi_json_str(m, "id"), did, vm)) {
				found = m;
				(*count)++;
			}
		}
	}
	return found;
}

/* Is @vm listed under @relationship, by reference or embedded? */
static bool authorized(const json_t *doc, const char *did, const char *vm,
		       const char *relationship)
{
	const json_t *m;
	size_t i;

	json_array_foreach(json_object_get(doc, relationship), i, m) {
		if (names(json_is_string(m) ? json_string_value(m) : cyl_ssi_json_str(m, "id"),
			  did, vm))
			return true;
	}
	return false;
}

static bool known_relationship(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(relationships) / sizeof(relationships[0]); i++)
		if (!strcmp(name, relationships[i]))
			return true;
	return false;
}

int cyl_did_resolve_vm(const struct cyl_did_resolver *r, const char *vm,
		       const char *relationship, EVP_PKEY **pub, char *err, size_t errlen)
{
	const char *type, *controller, *mb;
	const json_t *m;
	unsigned int count;
	json_t *doc = NULL;
	char *did, e[200];
	int ret;

	*pub = NULL;
	if (!known_relationship(relationship))
		return cyl_errf(-EINVAL, err, errlen, "%s: not a verification relationship",
				relationship);
	did = cyl_did_of_url(vm);
	if (!did || vm[strlen(did)] != '#' || !vm[strlen(did) + 1]) {
		ret = cyl_errf(-EINVAL, err, errlen,
			       "%s: a verification method is a DID and a #fragment", vm);
		goto out;
	}
	ret = cyl_did_resolve(r, did, &doc, err, errlen);
	if (ret)
		goto out;
	m = find_method(doc, did, vm, &count);
	ret = -ENOENT;
	if (!count) {
		cyl_errf(ret, err, errlen, "%s: no such verification method in %s", vm, did);
		goto out;
	}
	ret = -EINVAL;
	if (count > 1) {
		cyl_errf(ret, err, errlen, "%s: defined %u times in %s", vm, count, did);
		goto out;
	}
	ret = -EACCES;
	if (!authorized(doc, did, vm, relationship)) {
		cyl_errf(ret, err, errlen, "%s: not authorized for %s", vm, relationship);
		goto out;
	}
	controller = cyl_ssi_json_str(m, "controller");
	if (!controller || strcmp(controller, did)) {
		cyl_errf(ret, err, errlen, "%s: its controller is %s, not %s", vm,
			 controller ? controller : "missing", did);
		goto out;
	}
	type = cyl_ssi_json_str(m, "type");
	mb = cyl_ssi_json_str(m, "publicKeyMultibase");
	ret = -EINVAL;
	if (!type || strcmp(type, "Multikey") || !mb) {
		cyl_errf(ret, err, errlen, "%s: not a Multikey with a publicKeyMultibase", vm);
		goto out;
	}
	ret = multikey_public(mb, pub, e, sizeof(e));
	if (ret)
		cyl_errf(ret, err, errlen, "%s: %s", vm, e);
out:
	json_decref(doc);
	free(did);
	return ret;
}

char *cyl_did_of_url(const char *url)
{
	const char *p;
	size_t n;

	if (strncmp(url, "did:", 4))
		return NULL;
	p = url + 4;
	n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
	if (!n || p[n] != ':')
		return NULL;
	p += n + 1;
	n = strcspn(p, "#?/");
	return n ? strndup(url, p + n - url) : NULL;
}

int cyl_did_keyfile_write(const char *path, const EVP_PKEY *priv, char *err, size_t errlen)
{
	uint8_t raw[10 + KEY_LEN];
	char *did = NULL, *pub = NULL, *mb = NULL, *text = NULL;
	enum cyl_did_key_type type;
	BIGNUM *d = NULL;
	size_t hl, n = KEY_LEN;
	int ret, len;

	if (cyl_did_key_type(priv, &type))
		return cyl_errf(-EINVAL, err, errlen, "not an Ed25519 or P-256 key");
	if (type == CYL_DID_ED25519) {
		hl = cyl_multicodec_put(CYL_MC_ED25519_PRIV, raw);
		ret = EVP_PKEY_get_raw_private_key(priv, raw + hl, &n) && n == KEY_LEN;
	} else {
		hl = cyl_multicodec_put(CYL_MC_P256_PRIV, raw);
		ret = EVP_PKEY_get_bn_param(priv, OSSL_PKEY_PARAM_PRIV_KEY, &d) &&
		      BN_bn2binpad(d, raw + hl, KEY_LEN) == KEY_LEN;
		BN_clear_free(d);
	}
	ERR_clear_error();
	if (!ret) {
		ret = cyl_errf(-EINVAL, err, errlen, "not a private key");
		goto out;
	}
	ret = cyl_multibase_encode('z', raw, hl + KEY_LEN, &mb);
	did = cyl_did_key_from_pkey(priv);
	pub = cyl_did_pubkey_multibase(priv);
	if (ret || !did || !pub) {
		ret = cyl_errf(-ENOMEM, err, errlen, "out of memory");
		goto out;
	}
	len = asprintf(&text, "{\n  \"did\": \"%s\",\n  \"publicKeyMultibase\": \"%s\",\n"
		       "  \"privateKeyMultibase\": \"%s\"\n}\n", did, pub, mb);
	if (len < 0) {
		text = NULL;
		ret = cyl_errf(-ENOMEM, err, errlen, "out of memory");
		goto out;
	}
	ret = cyl_write_new_file(path, text, len, 0600);
	if (ret == -EEXIST)
		cyl_errf(ret, err, errlen, "%s exists (or is a symlink): not overwritten", path);
	else if (ret)
		cyl_errf(ret, err, errlen, "%s: %s", path, strerror(-ret));
	OPENSSL_cleanse(text, len);
out:
	OPENSSL_cleanse(raw, sizeof(raw));
	if (mb)
		OPENSSL_cleanse(mb, strlen(mb));
	free(text);
	free(mb);
	free(pub);
	free(did);
	return ret;
}

/* The key pair of a privateKeyMultibase: ed25519-priv or p256-priv, 32 bytes. */
static int multikey_private(const char *mb, EVP_PKEY **priv, char *err, size_t errlen)
{
	const uint8_t *body;
	size_t len, blen;
	uint64_t code;
	uint8_t *raw;
	char e[128];
	int ret;

	if (mb[0] != 'z' || cyl_multibase_decode(mb, &raw, &len, e, sizeof(e)))
		return cyl_errf(-EINVAL, err, errlen, "privateKeyMultibase is not base58btc");
	if (cyl_multicodec_split(raw, len, &code, &body, &blen) || blen != KEY_LEN ||
	    (code != CYL_MC_ED25519_PRIV && code != CYL_MC_P256_PRIV))
		ret = cyl_errf(-EINVAL, err, errlen,
			       "privateKeyMultibase is not an Ed25519 or P-256 private key");
	else
		ret = key_from_private(code == CYL_MC_P256_PRIV ? CYL_DID_P256 : CYL_DID_ED25519,
				       body, priv, err, errlen);
	OPENSSL_cleanse(raw, len);
	free(raw);
	return ret;
}

int cyl_did_keyfile_read(const char *path, EVP_PKEY **priv, char **did,
			 char *err, size_t errlen)
{
	const char *fdid, *fpub, *fpriv;
	char *buf, *pub = NULL, e[200];
	json_t *v;
	size_t len;
	int ret;

	*priv = NULL;
	*did = NULL;
	ret = cyl_read_file(path, KEYFILE_MAX, &buf, &len);
	if (ret)
		return cyl_errf(ret, err, errlen, "%s: %s", path,
				ret == -EFBIG ? "too large for a key file" : strerror(-ret));
	v = cyl_ssi_json_parse(buf, len, e, sizeof(e));
	OPENSSL_cleanse(buf, len);
	free(buf);
	if (!v)
		return cyl_errf(-EINVAL, err, errlen, "%s: %s", path, e);
	fdid = cyl_ssi_json_str(v, "did");
	fpub = cyl_ssi_json_str(v, "publicKeyMultibase");
	fpriv = cyl_ssi_json_str(v, "privateKeyMultibase");
	if (!fdid || !fpub || !fpriv) {
		ret = cyl_errf(-EINVAL, err, errlen,
			       "%s: a key file has did, publicKeyMultibase and privateKeyMultibase",
			       path);
		goto out;
	}
	ret = multikey_private(fpriv, priv, e, sizeof(e));
	if (ret) {
		cyl_errf(ret, err, errlen, "%s: %s", path, e);
		goto out;
	}
	*did = cyl_did_key_from_pkey(*priv);
	pub = cyl_did_pubkey_multibase(*priv);
	if (!*did || !pub)
		ret = cyl_errf(-ENOMEM, err, errlen, "out of memory");
	else if (strcmp(*did, fdid) || strcmp(pub, fpub))
		ret = cyl_errf(-EINVAL, err, errlen,
			       "%s: the private key is not the key of its did and "
			       "publicKeyMultibase", path);
	if (ret) {
		EVP_PKEY_free(*priv);
		*priv = NULL;
		free(*did);
		*did = NULL;
	}
out:
	/* jansson frees without clearing: clear the private key's text first. */
	if (fpriv)
		OPENSSL_cleanse((char *)fpriv, strlen(fpriv));
	free(pub);
	json_decref(v);
	return ret;
}
