// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "abe/encoding.h"
#include "abe/seal.h"
#include "util/errbuf.h"

#define PREAMBLE_LEN	(sizeof(CYL_SEAL_MAGIC) - 1 + 2 + 4)
#define NONCE_LEN	12
#define KEY_LEN		32
#define HKDF_INFO	"cylcomed abe v1 payload"

static int derive_key(uint8_t key[KEY_LEN], const cyl_fp12 *kem,
		      const uint8_t *header, size_t header_len)
{
	uint8_t ikm[CYL_GT_BYTES], salt[32];
	OSSL_PARAM params[5], *p = params;
	EVP_KDF_CTX *ctx = NULL;
	EVP_KDF *kdf;
	int ok = 0;

	if (!EVP_Digest(header, header_len, salt, NULL, EVP_sha256(), NULL))
		return -EIO;
	cyl_gt_to_bytes(ikm, kem);
	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (kdf)
		ctx = EVP_KDF_CTX_new(kdf);
	if (ctx) {
		*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, "SHA256", 0);
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, ikm, sizeof(ikm));
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt,
							 sizeof(salt));
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, HKDF_INFO,
							 sizeof(HKDF_INFO) - 1);
		*p = OSSL_PARAM_construct_end();
		ok = EVP_KDF_derive(ctx, key, KEY_LEN, params) == 1;
	}
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	OPENSSL_cleanse(ikm, sizeof(ikm));
	return ok ? 0 : -EIO;
}

/* STREAM nonce: 11-byte big-endian chunk counter, then the last-chunk flag. */
static void chunk_nonce(uint8_t nonce[NONCE_LEN], uint64_t counter, bool last)
{
	int i;

	memset(nonce, 0, NONCE_LEN);
	for (i = 0; i < 8; i++)
		nonce[10 - i] = (uint8_t)(counter >> (8 * i));
	nonce[11] = last;
}

/* One chunk through AES-256-GCM; on decryption false means "not authentic". */
static bool gcm_chunk(EVP_CIPHER_CTX *ctx, bool enc, const uint8_t key[KEY_LEN],
		      uint64_t counter, bool last, const uint8_t *in, size_t len,
		      uint8_t *out, uint8_t tag[CYL_SEAL_TAG])
{
	uint8_t nonce[NONCE_LEN];
	int n = 0, fin = 0;

	chunk_nonce(nonce, counter, last);
	if (!EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce, enc) ||
	    (len && !EVP_CipherUpdate(ctx, out, &n, in, (int)len)))
		return false;
	if (!enc && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, CYL_SEAL_TAG, tag))
		return false;
	if (EVP_CipherFinal_ex(ctx, out + n, &fin) != 1)
		return false;
	if (enc && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, CYL_SEAL_TAG, tag))
		return false;
	return true;
}

static bool at_eof(FILE *in)
{
	int c = getc(in);

	if (c == EOF)
		return true;
	ungetc(c, in);
	return false;
}

/*
 * The STREAM loop, both ways: chunks of CYL_SEAL_CHUNK bytes (with their
 * tag when opening), the last one flagged in its nonce.  Opening writes a
 * chunk out only once it is authenticated.
 */
static int run_stream(bool enc, const uint8_t key[KEY_LEN], FILE *in, FILE *out,
		      char *err, size_t errlen)
{
	size_t in_len = CYL_SEAL_CHUNK + (enc ? 0 : CYL_SEAL_TAG), n, out_n;
	uint8_t *buf = malloc(in_len), *res = malloc(CYL_SEAL_CHUNK + CYL_SEAL_TAG);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint64_t counter = 0;
	bool last, ok;
	int ret = 0;

	if (!buf || !res || !ctx) {
		ret = cyl_errf(-ENOMEM, err, errlen, "out of memory");
		goto out;
	}
	do {
		n = fread(buf, 1, in_len, in);
		if (ferror(in)) {
			ret = cyl_errf(-EIO, err, errlen, "read: %s", strerror(errno));
			goto out;
		}
		if (!enc && n < CYL_SEAL_TAG) {
			ret = cyl_errf(-EBADMSG, err, errlen,
				       "chunk %llu: truncated (the file was cut short)",
				       (unsigned long long)counter);
			goto out;
		}
		last = n < in_len || at_eof(in);
		if (enc) {
			ok = gcm_chunk(ctx, true, key, counter, last, buf, n, res, res + n);
			out_n = n + CYL_SEAL_TAG;
		} else {
			out_n = n - CYL_SEAL_TAG;
			ok = gcm_chunk(ctx, false, key, counter, last, buf, out_n, res, buf + out_n);
		}
		if (!ok) {
			ret = enc ? cyl_errf(-EIO, err, errlen, "AES-GCM failed") :
			      cyl_errf(-EBADMSG, err, errlen,
				       "chunk %llu: authentication failed (the file was altered or "
				       "cut short%s)", (unsigned long long)counter,
				       counter ? "" : ", or sealed under another authority's keys");
			goto out;
		}
		if (fwrite(res, 1, out_n, out) != out_n) {
			ret = cyl_errf(-EIO, err, errlen, "write: %s", strerror(errno));
			goto out;
		}
		counter++;
	} while (!last);
	if (fflush(out))
		ret = cyl_errf(-EIO, err, errlen, "write: %s", strerror(errno));
out:
	if (buf)
		OPENSSL_cleanse(buf, in_len);
	if (res)
		OPENSSL_cleanse(res, CYL_SEAL_CHUNK + CYL_SEAL_TAG);
	EVP_CIPHER_CTX_free(ctx);
	free(buf);
	free(res);
	return ret;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int cyl_seal(FILE *in, FILE *out, const struct cyl_fame_pk *pk,
	     const struct cyl_abe_policy *policy, char *err, size_t errlen)
{
	uint8_t key[KEY_LEN], *ctbuf = NULL, *header = NULL;
	struct cyl_fame_ct ct;
	size_t ctlen, hlen;
	cyl_fp12 kem;
	int ret;

	ret = cyl_fame_encrypt(&ct, &kem, pk, policy);
	if (ret)
		return cyl_errf(ret, err, errlen, "encapsulation failed: %s", strerror(-ret));
	ret = cyl_abe_ct_encode(&ct, &ctbuf, &ctlen);
	cyl_fame_ct_free(&ct);
	if (ret) {
		cyl_errf(ret, err, errlen, "cannot encode the ciphertext: %s", strerror(-ret));
		goto out;
	}
	hlen = PREAMBLE_LEN + ctlen;
	header = malloc(hlen);
	if (!header) {
		ret = cyl_errf(-ENOMEM, err, errlen, "out of memory");
		goto out;
	}
	memcpy(header, CYL_SEAL_MAGIC, sizeof(CYL_SEAL_MAGIC) - 1);
	header[6] = CYL_SEAL_VERSION;
	header[7] = CYL_SEAL_SUITE;
	put_be32(header + 8, (uint32_t)ctlen);
	memcpy(header + PREAMBLE_LEN, ctbuf, ctlen);
	ret = derive_key(key, &kem, header, hlen);
	if (ret) {
		cyl_errf(ret, err, errlen, "key derivation failed");
		goto out;
	}
	if (fwrite(header, 1, hlen, out) != hlen) {
		ret = cyl_errf(-EIO, err, errlen, "write: %s", strerror(errno));
		goto out;
	}
	ret = run_stream(true, key, in, out, err, errlen);
out:
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(&kem, sizeof(kem));
	free(ctbuf);
	free(header);
	return ret;
}

int cyl_seal_read_header(FILE *in, struct cyl_fame_ct *ct, uint8_t **header,
			 size_t *header_len, char *err, size_t errlen)
{
	uint8_t pre[PREAMBLE_LEN], *h;
	uint32_t ctlen;
	int ret;

	if (fread(pre, 1, sizeof(pre), in) != sizeof(pre) ||
	    memcmp(pre, CYL_SEAL_MAGIC, sizeof(CYL_SEAL_MAGIC) - 1))
		return cyl_errf(-EINVAL, err, errlen, "not a sealed file (no \"%s\" header)",
				CYL_SEAL_MAGIC);
	if (pre[6] != CYL_SEAL_VERSION)
		return cyl_errf(-EINVAL, err, errlen, "offset 6: unsupported version %u",
				pre[6]);
	if (pre[7] != CYL_SEAL_SUITE)
		return cyl_errf(-EINVAL, err, errlen, "offset 7: unknown suite %u", pre[7]);
	ctlen = (uint32_t)pre[8] << 24 | pre[9] << 16 | pre[10] << 8 | pre[11];
	if (ctlen > CYL_SEAL_CT_MAX)
		return cyl_errf(-EINVAL, err, errlen,
				"offset 8: ciphertext length %u beyond the %u bytes allowed",
				ctlen, CYL_SEAL_CT_MAX);
	h = malloc(PREAMBLE_LEN + ctlen);
	if (!h)
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	memcpy(h, pre, PREAMBLE_LEN);
	if (fread(h + PREAMBLE_LEN, 1, ctlen, in) != ctlen) {
		free(h);
		return cyl_errf(-EINVAL, err, errlen, "truncated in the header");
	}
	ret = cyl_abe_ct_decode(ct, h + PREAMBLE_LEN, ctlen, err, errlen);
	if (ret) {
		free(h);
		return ret;
	}
	*header = h;
	*header_len = PREAMBLE_LEN + ctlen;
	return 0;
}

int cyl_unseal(FILE *in, FILE *out, const struct cyl_fame_key *key,
	       char *err, size_t errlen)
{
	uint8_t aes[KEY_LEN], *header = NULL;
	struct cyl_fame_ct ct;
	size_t hlen;
	cyl_fp12 kem;
	int ret;

	ret = cyl_seal_read_header(in, &ct, &header, &hlen, err, errlen);
	if (ret)
		return ret;
	ret = cyl_fame_decrypt(&kem, key, &ct);
	if (ret == -EACCES) {
		cyl_errf(ret, err, errlen, "the key's attributes do not satisfy the policy %s",
			 ct.policy);
		goto out;
	}
	if (ret) {
		cyl_errf(ret, err, errlen, "decapsulation failed: %s", strerror(-ret));
		goto out;
	}
	ret = derive_key(aes, &kem, header, hlen);
	if (ret) {
		cyl_errf(ret, err, errlen, "key derivation failed");
		goto out;
	}
	ret = run_stream(false, aes, in, out, err, errlen);
out:
	OPENSSL_cleanse(aes, sizeof(aes));
	OPENSSL_cleanse(&kem, sizeof(kem));
	cyl_fame_ct_free(&ct);
	free(header);
	return ret;
}
