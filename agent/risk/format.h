/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The risk log's two files, byte for byte (Documentation/risk.md, "The
 * log"): the file header both share, entry frames, tree head records and
 * the bytes a head's signature covers; reading the Ed25519 public key.
 * Shared by the writer (risklog.c) and the verifier (verify.c), which
 * share nothing else.
 */
#ifndef CYL_RISK_FORMAT_H
#define CYL_RISK_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "risk/merkle.h"
#include "risk/risklog.h"

#define CYL_RISK_ENTRIES_FILE	"entries"
#define CYL_RISK_HEADS_FILE	"heads"
#define CYL_RISK_ENTRIES_MAGIC	"CYLRISKE"	/* 8 bytes, no NUL */
#define CYL_RISK_HEADS_MAGIC	"CYLRISKH"
#define CYL_RISK_VERSION	1
#define CYL_RISK_HDR_LEN	32

/* An entry frame: length (u32 LE), the entry, CRC-32 of both (u32 LE). */
#define CYL_RISK_FRAME_OVERHEAD	8
#define CYL_RISK_FRAME_MAX	(CYL_RISKLOG_ENTRY_MAX + CYL_RISK_FRAME_OVERHEAD)

/* A head record: size, root, timestamp, signature, CRC-32. */
#define CYL_RISK_SIG_LEN	64
#define CYL_RISK_HEAD_LEN	(8 + CYL_MERKLE_HASH_LEN + 8 + CYL_RISK_SIG_LEN + 4)

/* What a head's signature covers: this string and a NUL, size, root, time. */
#define CYL_RISK_CONTEXT	"cylcomed risk log tree head v1"
#define CYL_RISK_TBS_LEN	(sizeof(CYL_RISK_CONTEXT) + 8 + CYL_MERKLE_HASH_LEN + 8)

#define CYL_RISK_PEM_MAX	4096	/* bytes of a key file */

struct cyl_risk_head {
	uint64_t size;			/* entries covered */
	uint8_t root[CYL_MERKLE_HASH_LEN];	/* MTH of those entries */
	uint64_t ts_ns;			/* CLOCK_REALTIME when signed */
	uint8_t sig[CYL_RISK_SIG_LEN];	/* Ed25519 over cyl_risk_head_tbs() */
};

/* --- file header --- */

void cyl_risk_hdr_encode(const char *magic, uint64_t created_ns,
			 uint8_t out[CYL_RISK_HDR_LEN]);
/* 0, or -EBADMSG with the reason in @why. */
int cyl_risk_hdr_parse(const uint8_t *p, size_t size, const char *magic,
		       uint64_t *created_ns, char *why, size_t whylen);

/* --- entries --- */

uint32_t cyl_risk_frame_crc(const uint8_t lenb[4], const void *entry, size_t len);

enum cyl_risk_frame_err {
	CYL_RISK_FRAME_OK,
	CYL_RISK_FRAME_SHORT,		/* runs past the end of the file */
	CYL_RISK_FRAME_BAD_LENGTH,	/* length outside 1..CYL_RISKLOG_ENTRY_MAX */
	CYL_RISK_FRAME_BAD_CRC,		/* the CRC does not match */
};

/* One step through the entries file: an entry, or damage. */
struct cyl_risk_item {
	enum cyl_risk_frame_err error;
	uint64_t offset;	/* of the frame, or of the damage */
	const uint8_t *data;	/* the entry; with BAD_CRC and a length to
				 * trust, its unverified bytes; else NULL */
	uint32_t len;
	uint64_t skipped;	/* damage: bytes from offset not read as an entry */
	bool tail;		/* damage that runs to the end of the file */
	bool torn;		/* ...and looks like an interrupted write:
				 * at most one frame long, or zeros */
	char msg[160];
};

/*
 * Read the item at *@off (past the file header) of the @size bytes at
 * @buf and advance *@off.  Returns 1, or 0 at the end.  After a frame
 * whose CRC fails, reading goes on if its length leads to a good frame
 * or the end; any other damage runs to the end of the file (entries have
 * no magic to find the next frame by).
 */
int cyl_risk_entries_next(const uint8_t *buf, size_t size, size_t *off,
			  struct cyl_risk_item *it);

/* --- heads --- */

void cyl_risk_head_encode(const struct cyl_risk_head *h,
			  uint8_t out[CYL_RISK_HEAD_LEN]);
/* 0, or -EBADMSG when the record's CRC does not match. */
int cyl_risk_head_parse(const uint8_t p[CYL_RISK_HEAD_LEN],
			struct cyl_risk_head *h);
void cyl_risk_head_tbs(const struct cyl_risk_head *h,
		       uint8_t out[CYL_RISK_TBS_LEN]);
/* 1: the signature verifies with @pub, 0: it does not, <0: OpenSSL error. */
int cyl_risk_head_verify(EVP_PKEY *pub, const struct cyl_risk_head *h);
int cyl_risk_head_sign(EVP_PKEY *priv, struct cyl_risk_head *h);

/* --- keys --- */

/* An Ed25519 public key from PEM (SubjectPublicKeyInfo) text. */
int cyl_risk_pubkey_parse(const void *pem, size_t len, EVP_PKEY **out,
			  char *why, size_t whylen);
/* The same from the file @path; errors name it. */
int cyl_risk_pubkey_read(const char *path, EVP_PKEY **out, char *err,
			 size_t errlen);

#endif /* CYL_RISK_FORMAT_H */
