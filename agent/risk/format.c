// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <zlib.h>

#include "risk/format.h"
#include "util/errbuf.h"
#include "util/file.h"
#include "util/le.h"

/* File header field offsets. */
enum {
	H_MAGIC		= 0,
	H_VERSION	= 8,
	H_HDR_LEN	= 10,
	H_FLAGS		= 12,
	H_CREATED	= 16,
	H_RESERVED	= 24,
	H_CRC		= CYL_RISK_HDR_LEN - 4,
};

/* Head record field offsets. */
enum {
	R_SIZE	= 0,
	R_ROOT	= 8,
	R_TIME	= R_ROOT + CYL_MERKLE_HASH_LEN,
	R_SIG	= R_TIME + 8,
	R_CRC	= R_SIG + CYL_RISK_SIG_LEN,
};

static uint32_t crc(const uint8_t *p, size_t len)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)len);
}

void cyl_risk_hdr_encode(const char *magic, uint64_t created_ns,
			 uint8_t out[CYL_RISK_HDR_LEN])
{
	memset(out, 0, CYL_RISK_HDR_LEN);
	memcpy(out + H_MAGIC, magic, 8);
	cyl_put_le16(out + H_VERSION, CYL_RISK_VERSION);
	cyl_put_le16(out + H_HDR_LEN, CYL_RISK_HDR_LEN);
	cyl_put_le64(out + H_CREATED, created_ns);
	cyl_put_le32(out + H_CRC, crc(out, H_CRC));
}

int cyl_risk_hdr_parse(const uint8_t *p, size_t size, const char *magic,
		       uint64_t *created_ns, char *why, size_t whylen)
{
	uint32_t stored, computed;

	if (size < CYL_RISK_HDR_LEN)
		return cyl_errf(-EBADMSG, why, whylen,
				"file of %zu bytes is shorter than its %d-byte header",
				size, CYL_RISK_HDR_LEN);
	if (memcmp(p + H_MAGIC, magic, 8))
		return cyl_errf(-EBADMSG, why, whylen,
				"bad magic (expected \"%.8s\")", magic);
	if (cyl_get_le16(p + H_VERSION) != CYL_RISK_VERSION)
		return cyl_errf(-EBADMSG, why, whylen,
				"unsupported format version %u (expected %d)",
				cyl_get_le16(p + H_VERSION), CYL_RISK_VERSION);
	stored = cyl_get_le32(p + H_CRC);
	computed = crc(p, H_CRC);
	if (stored != computed)
		return cyl_errf(-EBADMSG, why, whylen,
				"header CRC mismatch: stored %08" PRIx32 ", computed %08" PRIx32,
				stored, computed);
	if (cyl_get_le16(p + H_HDR_LEN) != CYL_RISK_HDR_LEN)
		return cyl_errf(-EBADMSG, why, whylen, "header length %u (expected %d)",
				cyl_get_le16(p + H_HDR_LEN), CYL_RISK_HDR_LEN);
	if (cyl_get_le32(p + H_FLAGS) || cyl_get_le32(p + H_RESERVED))
		return cyl_errf(-EBADMSG, why, whylen,
				"unknown header flags or reserved bytes set");
	*created_ns = cyl_get_le64(p + H_CREATED);
	return 0;
}

/* --- entries --- */

uint32_t cyl_risk_frame_crc(const uint8_t lenb[4], const void *entry, size_t len)
{
	uLong c = crc32(crc32(0L, Z_NULL, 0), lenb, 4);

	return (uint32_t)crc32(c, entry, (uInt)len);
}

/* Whether a whole frame with a good CRC starts at @off. */
static bool frame_ok(const uint8_t *buf, size_t size, size_t off)
{
	uint32_t len;

	if (off > size || size - off < CYL_RISK_FRAME_OVERHEAD + 1)
		return false;
	len = cyl_get_le32(buf + off);
	if (len < 1 || len > CYL_RISKLOG_ENTRY_MAX ||
	    size - off - CYL_RISK_FRAME_OVERHEAD < len)
		return false;
	return cyl_risk_frame_crc(buf + off, buf + off + 4, len) ==
	       cyl_get_le32(buf + off + 4 + len);
}

static bool all_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/* Damage from @off to the end of the file. */
static void to_end(const uint8_t *buf, size_t size, size_t off,
		   struct cyl_risk_item *it)
{
	it->offset = off;
	it->skipped = size - off;
	it->tail = true;
	it->torn = it->skipped <= CYL_RISK_FRAME_MAX || all_zero(buf + off, it->skipped);
}

int cyl_risk_entries_next(const uint8_t *buf, size_t size, size_t *off,
			  struct cyl_risk_item *it)
{
	size_t o = *off, rem, after;
	uint32_t len, stored, computed;

	memset(it, 0, sizeof(*it));
	if (o >= size)
		return 0;
	rem = size - o;
	it->offset = o;
	if (rem < 4) {
		it->error = CYL_RISK_FRAME_SHORT;
		snprintf(it->msg, sizeof(it->msg), "length field cut short: %zu of 4 bytes", rem);
		goto out_end;
	}
	len = cyl_get_le32(buf + o);
	if (len < 1 || len > CYL_RISKLOG_ENTRY_MAX) {
		it->error = CYL_RISK_FRAME_BAD_LENGTH;
		snprintf(it->msg, sizeof(it->msg), "length %" PRIu32 " outside 1..%d",
			 len, CYL_RISKLOG_ENTRY_MAX);
		goto out_end;
	}
	if (rem - 4 < (size_t)len + 4) {
		it->error = CYL_RISK_FRAME_SHORT;
		snprintf(it->msg, sizeof(it->msg),
			 "frame of a %" PRIu32 "-byte entry cut short: %zu of %zu bytes present",
			 len, rem, (size_t)len + CYL_RISK_FRAME_OVERHEAD);
		goto out_end;
	}
	stored = cyl_get_le32(buf + o + 4 + len);
	computed = cyl_risk_frame_crc(buf + o, buf + o + 4, len);
	after = o + CYL_RISK_FRAME_OVERHEAD + len;
	if (stored != computed) {
		it->error = CYL_RISK_FRAME_BAD_CRC;
		snprintf(it->msg, sizeof(it->msg),
			 "CRC mismatch in the frame of a %" PRIu32 "-byte entry: stored %08"
			 PRIx32 ", computed %08" PRIx32, len, stored, computed);
		/* Trust the length only if a good frame or the end follows. */
		if (after != size && !frame_ok(buf, size, after))
			goto out_end;
	}
	it->data = buf + o + 4;
	it->len = len;
	it->skipped = it->error ? after - o : 0;
	it->tail = it->error && after == size;
	it->torn = it->tail;
	*off = after;
	return 1;
out_end:
	to_end(buf, size, o, it);
	*off = size;
	return 1;
}

/* --- heads --- */

void cyl_risk_head_encode(const struct cyl_risk_head *h,
			  uint8_t out[CYL_RISK_HEAD_LEN])
{
	cyl_put_le64(out + R_SIZE, h->size);
	memcpy(out + R_ROOT, h->root, CYL_MERKLE_HASH_LEN);
	cyl_put_le64(out + R_TIME, h->ts_ns);
	memcpy(out + R_SIG, h->sig, CYL_RISK_SIG_LEN);
	cyl_put_le32(out + R_CRC, crc(out, R_CRC));
}

int cyl_risk_head_parse(const uint8_t p[CYL_RISK_HEAD_LEN], struct cyl_risk_head *h)
{
	h->size = cyl_get_le64(p + R_SIZE);
	memcpy(h->root, p + R_ROOT, CYL_MERKLE_HASH_LEN);
	h->ts_ns = cyl_get_le64(p + R_TIME);
	memcpy(h->sig, p + R_SIG, CYL_RISK_SIG_LEN);
	return cyl_get_le32(p + R_CRC) == crc(p, R_CRC) ? 0 : -EBADMSG;
}

void cyl_risk_head_tbs(const struct cyl_risk_head *h, uint8_t out[CYL_RISK_TBS_LEN])
{
	size_t o = sizeof(CYL_RISK_CONTEXT);	/* with its NUL */

	memcpy(out, CYL_RISK_CONTEXT, o);
	cyl_put_le64(out + o, h->size);
	memcpy(out + o + 8, h->root, CYL_MERKLE_HASH_LEN);
	cyl_put_le64(out + o + 8 + CYL_MERKLE_HASH_LEN, h->ts_ns);
}

int cyl_risk_head_verify(EVP_PKEY *pub, const struct cyl_risk_head *h)
{
	uint8_t tbs[CYL_RISK_TBS_LEN];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ret = -ENOMEM;

	if (!ctx)
		return -ENOMEM;
	cyl_risk_head_tbs(h, tbs);
	/* Ed25519 hashes the message itself: no digest. */
	if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pub) == 1)
		ret = EVP_DigestVerify(ctx, h->sig, CYL_RISK_SIG_LEN, tbs,
				       sizeof(tbs)) == 1;
	EVP_MD_CTX_free(ctx);
	return ret;
}

int cyl_risk_head_sign(EVP_PKEY *priv, struct cyl_risk_head *h)
{
	uint8_t tbs[CYL_RISK_TBS_LEN];
	size_t siglen = CYL_RISK_SIG_LEN;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ret = -EIO;

	if (!ctx)
		return -ENOMEM;
	cyl_risk_head_tbs(h, tbs);
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, priv) == 1 &&
	    EVP_DigestSign(ctx, h->sig, &siglen, tbs, sizeof(tbs)) == 1 &&
	    siglen == CYL_RISK_SIG_LEN)
		ret = 0;
	EVP_MD_CTX_free(ctx);
	return ret;
}

/* --- keys --- */

int cyl_risk_pubkey_parse(const void *pem, size_t len, EVP_PKEY **out,
			  char *why, size_t whylen)
{
	EVP_PKEY *pk;
	BIO *bio;
	int id;

	*out = NULL;
	if (len > CYL_RISK_PEM_MAX || !(bio = BIO_new_mem_buf(pem, (int)len)))
		return cyl_errf(-EINVAL, why, whylen, "not a PEM public key");
	pk = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!pk)
		return cyl_errf(-EINVAL, why, whylen,
				"not a PEM public key (\"-----BEGIN PUBLIC KEY-----\")");
	id = EVP_PKEY_get_id(pk);
	if (id != EVP_PKEY_ED25519) {
		EVP_PKEY_free(pk);
		return cyl_errf(-EINVAL, why, whylen, "a %s key, not Ed25519",
				OBJ_nid2sn(id));
	}
	*out = pk;
	return 0;
}

int cyl_risk_pubkey_read(const char *path, EVP_PKEY **out, char *err,
			 size_t errlen)
{
	char why[160], *buf;
	size_t len;
	int ret;

	*out = NULL;
	ret = cyl_read_file(path, CYL_RISK_PEM_MAX, &buf, &len);
	if (ret == -EFBIG)
		return cyl_errf(ret, err, errlen, "%s: longer than %d bytes: not a public key",
				path, CYL_RISK_PEM_MAX);
	if (ret)
		return cyl_errf(ret, err, errlen, "%s: %s", path, strerror(-ret));
	ret = cyl_risk_pubkey_parse(buf, len, out, why, sizeof(why));
	free(buf);
	if (ret)
		return cyl_errf(ret, err, errlen, "%s: %s", path, why);
	return 0;
}
