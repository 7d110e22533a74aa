/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tamper-evident risk log: an append-only sequence of entries (opaque
 * bytes; the agent writes one JSON object per entry) with an RFC 9162
 * Merkle tree over them and Ed25519-signed tree heads.  Documentation/risk.md
 * describes the files.  The writer side is what the agent uses; the
 * verifier side needs only the directory and the public key.
 */
#ifndef CYL_RISKLOG_H
#define CYL_RISKLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CYL_RISKLOG_ENTRY_MAX	(64 * 1024)	/* bytes of one entry */
#define CYL_RISKLOG_DEFAULT_DIR	"/var/lib/cylcomed/risk/log"
#define CYL_RISKLOG_DEFAULT_KEY	"/var/lib/cylcomed/risk/signing.key"
#define CYL_RISKLOG_DEFAULT_PUBKEY	CYL_RISKLOG_DEFAULT_KEY ".pub"

enum cyl_risklog_fsync {
	CYL_RISKLOG_FSYNC_EVERY,	/* fsync after each append */
	CYL_RISKLOG_FSYNC_BATCH,	/* fsync when a head is signed, and on close */
};

struct cyl_risklog;

/*
 * Open (create) the log in @dir, signing with the Ed25519 private key in
 * PEM file @key_path; a missing key file is created (mode 0600) with its
 * public key beside it as "<key_path>.pub" (PEM).  A torn tail left by a
 * crash is cut (what was before it stays, and verifies).  0, or a
 * negative errno with @err filled.
 *
 * Opening checks every head against the entries and its signature; a log
 * that does not match its heads is refused (-EBADMSG), the message naming
 * the first bad entry or head.  Nothing is repaired.  A key file that its
 * group or others may read or write is refused (-EPERM).  One writer per
 * directory (an flock on it): -EBUSY if another process has it open.
 */
int cyl_risklog_open(const char *dir, const char *key_path,
		     enum cyl_risklog_fsync fsync_policy,
		     struct cyl_risklog **out, char *err, size_t errlen);

/*
 * Append one entry of 1..CYL_RISKLOG_ENTRY_MAX bytes (else -EMSGSIZE);
 * its 0-based index goes to *@index (may be NULL).  A write that fails
 * part way is undone; if even that fails, or an fsync fails, the log
 * takes no more appends (-EIO) until it is opened again.
 */
int cyl_risklog_append(struct cyl_risklog *log, const void *entry, size_t len,
		       uint64_t *index);

/* Sign and store a tree head for the current size (no-op if unchanged). */
int cyl_risklog_sign_head(struct cyl_risklog *log);

uint64_t cyl_risklog_size(const struct cyl_risklog *log);
/* Entries appended since the last signed head. */
uint64_t cyl_risklog_unsigned(const struct cyl_risklog *log);
/* The current root (RFC 9162 MTH) as 64 hex digits and a NUL. */
void cyl_risklog_root_hex(const struct cyl_risklog *log, char out[65]);

/* Why the last append or sign_head failed. */
const char *cyl_risklog_last_error(const struct cyl_risklog *log);
/* What open found and cut (a torn tail), "" when nothing. */
const char *cyl_risklog_recovery(const struct cyl_risklog *log);

/* Signs a head for what is unsigned, syncs, frees.  NULL is fine. */
void cyl_risklog_close(struct cyl_risklog *log);

#endif /* CYL_RISKLOG_H */
