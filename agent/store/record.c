// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cylcomed/serial.h>

#include "store/record.h"
#include "util/errbuf.h"
#include "util/le.h"

/* Header field offsets, as laid out in struct cyl_record_hdr. */
enum {
	OFF_MAGIC	= 0,
	OFF_VERSION	= 4,
	OFF_HDR_LEN	= 6,
	OFF_DEVICE_ID	= 8,
	OFF_FLAGS	= 12,
	OFF_SEQ		= 16,
	OFF_TS_NS	= 24,
	OFF_LEN		= 32,
	OFF_BAD_REASON	= 36,
	OFF_FRAMING	= 38,
	OFF_NONCE	= 40,
	OFF_KEY_SERIAL	= 52,
	OFF_RESERVED	= 56,
};

_Static_assert(sizeof(struct cyl_record_hdr) == CYL_REC_HDR_LEN,
	       "struct cyl_record_hdr is 64 bytes");
_Static_assert(__builtin_offsetof(struct cyl_record_hdr, nonce) == OFF_NONCE &&
	       __builtin_offsetof(struct cyl_record_hdr, key_serial) == OFF_KEY_SERIAL &&
	       __builtin_offsetof(struct cyl_record_hdr, reserved) == OFF_RESERVED,
	       "offsets follow struct cyl_record_hdr");

size_t cyl_rec_stored_len(const struct cyl_rec *rec)
{
	if (!(rec->flags & CYL_REC_F_SEALED))
		return CYL_REC_HDR_LEN;
	return CYL_REC_HDR_LEN + (size_t)rec->len + CYL_REC_TAG_LEN;
}

int cyl_rec_parse(const void *buf, size_t size, struct cyl_rec *rec,
		  char *err, size_t errlen)
{
	const uint8_t *p = buf;
	uint32_t magic;
	uint16_t hdr_len;

	memset(rec, 0, sizeof(*rec));
	if (size < CYL_REC_HDR_LEN)
		return cyl_errf(-EBADMSG, err, errlen,
				"record of %zu bytes is shorter than its %d-byte header",
				size, CYL_REC_HDR_LEN);
	magic = cyl_get_le32(p + OFF_MAGIC);
	if (magic != CYL_REC_MAGIC)
		return cyl_errf(-EBADMSG, err, errlen,
				"bad record magic 0x%08x (expected 0x%08x, \"CYLR\")",
				magic, CYL_REC_MAGIC);
	rec->version = cyl_get_le16(p + OFF_VERSION);
	if (rec->version != CYL_REC_VERSION)
		return cyl_errf(-EBADMSG, err, errlen,
				"unsupported record version %u (expected %d)",
				rec->version, CYL_REC_VERSION);
	hdr_len = cyl_get_le16(p + OFF_HDR_LEN);
	if (hdr_len != CYL_REC_HDR_LEN)
		return cyl_errf(-EBADMSG, err, errlen,
				"record header length %u (expected %d)",
				hdr_len, CYL_REC_HDR_LEN);
	rec->device_id = cyl_get_le32(p + OFF_DEVICE_ID);
	rec->flags = cyl_get_le32(p + OFF_FLAGS);
	rec->seq = cyl_get_le64(p + OFF_SEQ);
	rec->ts_ns = cyl_get_le64(p + OFF_TS_NS);
	rec->len = cyl_get_le32(p + OFF_LEN);
	rec->bad_reason = cyl_get_le16(p + OFF_BAD_REASON);
	rec->framing = cyl_get_le16(p + OFF_FRAMING);
	memcpy(rec->nonce, p + OFF_NONCE, CYL_REC_NONCE_LEN);
	rec->key_serial = cyl_get_le32(p + OFF_KEY_SERIAL);
	if (rec->flags & ~CYL_REC_F_ALL)
		return cyl_errf(-EBADMSG, err, errlen,
				"unknown record flags 0x%x", rec->flags & ~CYL_REC_F_ALL);
	if (rec->len > CYL_REC_LEN_MAX)
		return cyl_errf(-EBADMSG, err, errlen,
				"payload length %u exceeds %d", rec->len, CYL_REC_LEN_MAX);
	if (cyl_get_le64(p + OFF_RESERVED))
		return cyl_errf(-EBADMSG, err, errlen, "reserved header field is not zero");
	if (size != cyl_rec_stored_len(rec))
		return cyl_errf(-EBADMSG, err, errlen,
				"%s record of payload length %u takes %zu bytes, not %zu",
				rec->flags & CYL_REC_F_SEALED ? "sealed" : "unsealed",
				rec->len, cyl_rec_stored_len(rec), size);
	return 0;
}

void cyl_rec_encode(const struct cyl_rec *rec, uint8_t hdr[CYL_REC_HDR_LEN])
{
	memset(hdr, 0, CYL_REC_HDR_LEN);
	cyl_put_le32(hdr + OFF_MAGIC, CYL_REC_MAGIC);
	cyl_put_le16(hdr + OFF_VERSION, rec->version);
	cyl_put_le16(hdr + OFF_HDR_LEN, CYL_REC_HDR_LEN);
	cyl_put_le32(hdr + OFF_DEVICE_ID, rec->device_id);
	cyl_put_le32(hdr + OFF_FLAGS, rec->flags);
	cyl_put_le64(hdr + OFF_SEQ, rec->seq);
	cyl_put_le64(hdr + OFF_TS_NS, rec->ts_ns);
	cyl_put_le32(hdr + OFF_LEN, rec->len);
	cyl_put_le16(hdr + OFF_BAD_REASON, rec->bad_reason);
	cyl_put_le16(hdr + OFF_FRAMING, rec->framing);
	memcpy(hdr + OFF_NONCE, rec->nonce, CYL_REC_NONCE_LEN);
	cyl_put_le32(hdr + OFF_KEY_SERIAL, rec->key_serial);
}

/* A context set up for AES-256-GCM with a 12-byte nonce, or NULL. */
static EVP_CIPHER_CTX *gcm_ctx(bool enc, const uint8_t *key,
			       const uint8_t *nonce)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (!ctx)
		return NULL;
	if (EVP_CipherInit_ex2(ctx, EVP_aes_256_gcm(), NULL, NULL, enc, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, CYL_REC_NONCE_LEN,
				NULL) != 1 ||
	    EVP_CipherInit_ex2(ctx, NULL, key, nonce, enc, NULL) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

int cyl_gcm_seal(const uint8_t key[32], const uint8_t nonce[12],
		 const void *aad, size_t aad_len, const void *plain,
		 size_t len, uint8_t *cipher, uint8_t tag[16])
{
	EVP_CIPHER_CTX *ctx;
	uint8_t none[16];
	int n, ret;

	if (len > INT_MAX || aad_len > INT_MAX)
		return -EMSGSIZE;
	ctx = gcm_ctx(true, key, nonce);
	if (!ctx)
		return -ENOMEM;
	ret = -EIO;
	if (aad_len && EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aad_len) != 1)
		goto out;
	if (len && EVP_EncryptUpdate(ctx, cipher, &n, plain, (int)len) != 1)
		goto out;
	/* GCM writes nothing on final; the tag comes from the control. */
	if (EVP_EncryptFinal_ex(ctx, none, &n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, CYL_REC_TAG_LEN,
				tag) != 1)
		goto out;
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

int cyl_gcm_open(const uint8_t key[32], const uint8_t nonce[12],
		 const void *aad, size_t aad_len, const void *cipher,
		 size_t len, const uint8_t tag[16], uint8_t *plain)
{
	EVP_CIPHER_CTX *ctx;
	uint8_t none[16];
	int n, ret;

	if (len > INT_MAX || aad_len > INT_MAX)
		return -EMSGSIZE;
	ctx = gcm_ctx(false, key, nonce);
	if (!ctx)
		return -ENOMEM;
	ret = -EIO;
	if (aad_len && EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aad_len) != 1)
		goto out;
	if (len && EVP_DecryptUpdate(ctx, plain, &n, cipher, (int)len) != 1)
		goto out;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, CYL_REC_TAG_LEN,
				(void *)tag) != 1)
		goto out;
	ret = CYL_REC_EAUTH;
	if (EVP_DecryptFinal_ex(ctx, none, &n) != 1)
		goto out;
	ret = 0;
out:
	if (ret && len)
		OPENSSL_cleanse(plain, len);
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

int cyl_rec_open(const void *buf, size_t size,
		 const uint8_t key[CYL_REC_KEY_LEN], struct cyl_rec *rec,
		 uint8_t *plain, size_t plain_size, char *err, size_t errlen)
{
	const uint8_t *p = buf;
	int ret;

	if ((ret = cyl_rec_parse(buf, size, rec, err, errlen)) != 0)
		return ret;
	if (!(rec->flags & CYL_REC_F_SEALED))
		return cyl_errf(-ENODATA, err, errlen,
				"record is not sealed: the header only was stored");
	if (plain_size < rec->len)
		return cyl_errf(-ENOSPC, err, errlen,
				"payload of %u bytes does not fit in %zu",
				rec->len, plain_size);
	ret = cyl_gcm_open(key, rec->nonce, p, CYL_REC_HDR_LEN,
			   p + CYL_REC_HDR_LEN, rec->len,
			   p + CYL_REC_HDR_LEN + rec->len, plain);
	if (ret == CYL_REC_EAUTH)
		return cyl_errf(ret, err, errlen,
				"authentication failed: wrong key, or the record was altered");
	if (ret)
		return cyl_errf(ret, err, errlen, "AES-256-GCM: %s", strerror(-ret));
	return 0;
}

int cyl_rec_seal(struct cyl_rec *rec, const uint8_t key[CYL_REC_KEY_LEN],
		 const void *plain, size_t len, uint8_t *out, size_t out_size,
		 char *err, size_t errlen)
{
	size_t need;
	int ret;

	if (len > CYL_REC_LEN_MAX)
		return cyl_errf(-EMSGSIZE, err, errlen,
				"payload of %zu bytes exceeds %d", len, CYL_REC_LEN_MAX);
	rec->version = CYL_REC_VERSION;
	rec->flags |= CYL_REC_F_SEALED;
	rec->len = (uint32_t)len;
	need = cyl_rec_stored_len(rec);
	if (out_size < need)
		return cyl_errf(-ENOSPC, err, errlen,
				"sealed record of %zu bytes does not fit in %zu",
				need, out_size);
	cyl_rec_encode(rec, out);
	ret = cyl_gcm_seal(key, rec->nonce, out, CYL_REC_HDR_LEN, plain, len,
			   out + CYL_REC_HDR_LEN, out + CYL_REC_HDR_LEN + len);
	if (ret)
		return cyl_errf(ret, err, errlen, "AES-256-GCM: %s", strerror(-ret));
	return (int)need;
}

const char *cyl_rec_flag_names(uint32_t flags, char *buf, size_t size)
{
	static const char *const names[] = {
		"sealed", "bad", "dropped", "control", "tx", "truncated",
	};
	size_t i, used = 0;
	int n;

	if (!size)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < 32; i++) {
		if (!(flags & (1u << i)))
			continue;
		if (i < sizeof(names) / sizeof(names[0]))
			n = snprintf(buf + used, size - used, "%s%s",
				     used ? "," : "", names[i]);
		else
			n = snprintf(buf + used, size - used, "%s0x%x",
				     used ? "," : "", 1u << i);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += n;
	}
	if (!used)
		snprintf(buf, size, "-");
	return buf;
}

const char *cyl_rec_bad_reason_name(unsigned int reason)
{
	static const char *const names[__CYL_BAD_MAX] = {
		[CYL_BAD_NONE]		= "none",
		[CYL_BAD_CHECKSUM]	= "checksum",
		[CYL_BAD_STRUCTURE]	= "structure",
		[CYL_BAD_OVERLENGTH]	= "overlength",
		[CYL_BAD_TRUNCATED]	= "truncated",
		[CYL_BAD_OUTSIDE]	= "outside",
		[CYL_BAD_LINE_ERROR]	= "line_error",
	};

	return reason < __CYL_BAD_MAX ? names[reason] : NULL;
}

const char *cyl_rec_framing_name(unsigned int framing)
{
	static const char *const names[__CYL_FRAMING_MAX] = {
		[CYL_FRAMING_RAW]	= "raw",
		[CYL_FRAMING_LINES]	= "lines",
		[CYL_FRAMING_ASTM]	= "astm",
		[CYL_FRAMING_MLLP]	= "mllp",
	};

	return framing < __CYL_FRAMING_MAX ? names[framing] : NULL;
}
