/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sealed records (include/uapi/cylcomed/record.h) in userspace: parse and
 * check a header, open (decrypt and verify) a sealed record with the
 * device's 32-byte key, and seal one the way cylcomed.ko does, for tests
 * and tools.  Pure functions; OpenSSL 3 EVP for AES-256-GCM.
 *
 * A stored record is the 64-byte header, then, when CYL_REC_F_SEALED is
 * set, hdr.len bytes of ciphertext and the 16-byte tag.  The associated
 * data is the 64 header bytes exactly as stored; the nonce is hdr.nonce.
 */
#ifndef CYL_STORE_RECORD_H
#define CYL_STORE_RECORD_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cylcomed/record.h>

#define CYL_REC_LEN_MAX		65536	/* hdr.len, as CYL_FRAME_LEN_MAX */
#define CYL_REC_F_ALL		(CYL_REC_F_SEALED | CYL_REC_F_BAD | \
				 CYL_REC_F_DROPPED | CYL_REC_F_CONTROL | \
				 CYL_REC_F_TX | CYL_REC_F_TRUNCATED)
/* The largest stored record: header, CYL_REC_LEN_MAX bytes, tag. */
#define CYL_REC_SIZE_MAX	(CYL_REC_HDR_LEN + CYL_REC_LEN_MAX + CYL_REC_TAG_LEN)

/* What cyl_rec_open() returns when the tag does not verify. */
#define CYL_REC_EAUTH		(-EKEYREJECTED)

/* A header in host byte order. */
struct cyl_rec {
	uint16_t version;
	uint32_t device_id;
	uint32_t flags;		/* CYL_REC_F_* */
	uint64_t seq;
	uint64_t ts_ns;
	uint32_t len;		/* plaintext payload length */
	uint16_t bad_reason;	/* enum cyl_bad_reason */
	uint16_t framing;	/* enum cyl_framing */
	uint8_t nonce[CYL_REC_NONCE_LEN];
	uint32_t key_serial;
};

/* Bytes a record with this header takes when stored. */
size_t cyl_rec_stored_len(const struct cyl_rec *rec);

/*
 * Check the header at @buf (magic, version, hdr_len == 64, known flags,
 * len <= CYL_REC_LEN_MAX, reserved zero) and that @size is the length
 * the header implies.  Returns 0 and fills @rec, or -EBADMSG with the
 * reason in @err.
 */
int cyl_rec_parse(const void *buf, size_t size, struct cyl_rec *rec,
		  char *err, size_t errlen);

/* The 64 header bytes of @rec, as stored (reserved set to zero). */
void cyl_rec_encode(const struct cyl_rec *rec, uint8_t hdr[CYL_REC_HDR_LEN]);

/*
 * Parse the record at @buf and decrypt it with @key into @plain (room
 * for @plain_size bytes; rec->len are written).  Returns 0, -EBADMSG for
 * a malformed record, -ENODATA for one that is not sealed (header only),
 * -ENOSPC if @plain is too small, CYL_REC_EAUTH when the tag does not
 * verify (wrong key, or header, ciphertext or tag altered), -ENOMEM or
 * -EIO from OpenSSL.  @plain is wiped on failure.
 */
int cyl_rec_open(const void *buf, size_t size,
		 const uint8_t key[CYL_REC_KEY_LEN], struct cyl_rec *rec,
		 uint8_t *plain, size_t plain_size, char *err, size_t errlen);

/*
 * Seal @len bytes of @plain as cylcomed.ko does: rec->len, ->version and
 * the CYL_REC_F_SEALED flag are set here, the rest of @rec (nonce
 * included) is the caller's.  Writes the stored record to @out (room for
 * @out_size bytes).  Returns the bytes written or a negative errno.
 */
int cyl_rec_seal(struct cyl_rec *rec, const uint8_t key[CYL_REC_KEY_LEN],
		 const void *plain, size_t len, uint8_t *out, size_t out_size,
		 char *err, size_t errlen);

/*
 * AES-256-GCM with a 12-byte nonce and a 16-byte tag, as records use it;
 * exposed for known-answer tests.  cyl_gcm_open() returns CYL_REC_EAUTH
 * on a tag mismatch.
 */
int cyl_gcm_seal(const uint8_t key[32], const uint8_t nonce[12],
		 const void *aad, size_t aad_len, const void *plain,
		 size_t len, uint8_t *cipher, uint8_t tag[16]);
int cyl_gcm_open(const uint8_t key[32], const uint8_t nonce[12],
		 const void *aad, size_t aad_len, const void *cipher,
		 size_t len, const uint8_t tag[16], uint8_t *plain);

/* "sealed,bad,tx" (or "-" for none) into @buf; returns @buf. */
const char *cyl_rec_flag_names(uint32_t flags, char *buf, size_t size);

/* "checksum", "structure"... for enum cyl_bad_reason; NULL if unknown. */
const char *cyl_rec_bad_reason_name(unsigned int reason);

/* "raw", "lines", "astm", "mllp"; NULL if unknown. */
const char *cyl_rec_framing_name(unsigned int framing);

#endif /* CYL_STORE_RECORD_H */
