/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The risk log verifier: needs the two files (or their bytes) and the
 * public key, nothing of the writer.  It checks every entry's framing
 * and CRC, every head's CRC and signature, that head sizes never shrink
 * and never exceed the entries, that each head's root is the MTH of the
 * entries it covers, and a consistency proof between consecutive good
 * heads.  Each problem is reported with its place: the file, the offset,
 * the entry or head.  When roots stop matching, it narrows the change
 * down to the entries between the last head that matches and the first
 * that does not, and tries whether two swapped entries or one inserted
 * entry explain it.
 *
 * Entries and heads are numbered from 0; a head's size is the number of
 * entries it covers.
 */
#ifndef CYL_RISK_VERIFY_H
#define CYL_RISK_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "risk/format.h"
#include "risk/merkle.h"

#define CYL_RISK_NONE	UINT64_MAX

enum cyl_risk_kind {
	CYL_RISK_FILE,		/* a file missing, or its header */
	CYL_RISK_ENTRY,		/* an entry's length or CRC */
	CYL_RISK_TRAILING,	/* bytes after the last entry or head */
	CYL_RISK_HEAD,		/* a head's CRC or signature; its time (note) */
	CYL_RISK_SIZE,		/* a head's size: shrinking, or beyond the entries */
	CYL_RISK_ROOT,		/* a head's root is not the entries' */
	CYL_RISK_CONSISTENCY,	/* two good heads without a consistency proof */
	CYL_RISK_LOCATE,	/* where a root mismatch comes from (a note) */
	CYL_RISK_UNSIGNED,	/* entries no head covers */
};

struct cyl_risk_problem {
	enum cyl_risk_kind kind;
	bool fails;		/* false: a note, the log may still be good */
	const char *file;	/* CYL_RISK_ENTRIES_FILE, _HEADS_FILE or NULL */
	uint64_t offset;	/* in that file, or CYL_RISK_NONE */
	uint64_t entry;		/* the (first) entry concerned, or CYL_RISK_NONE */
	uint64_t head;		/* the (first) head concerned, or CYL_RISK_NONE */
	char msg[512];		/* starts with the place: "entry 17 (offset 1234): ..." */
};

struct cyl_risk_verify_opts {
	EVP_PKEY *pubkey;	/* NULL: signatures are not checked */
	bool entries_only;	/* the entries' framing only: no heads, no hashing */
	/* Called for each problem, in file order. */
	void (*report)(void *ctx, const struct cyl_risk_problem *p);
	void *ctx;
};

struct cyl_risk_summary {
	uint64_t entries;	/* entries read, those whose CRC fails included */
	uint64_t bad_entries;	/* whose CRC fails */
	uint64_t heads;		/* head records read */
	uint64_t good_heads;	/* CRC, signature, size and root all good */
	uint64_t consistency;	/* consistency proofs checked */
	uint64_t problems;	/* failures reported */
	uint64_t notes;		/* notes reported */
	uint64_t latest;	/* the latest good head, or CYL_RISK_NONE */
	uint64_t signed_size;	/* its size; 0 without one */
};

struct cyl_risk_view;

/*
 * Verify the @elen bytes of an entries file and the @hlen bytes of a
 * heads file (@heads NULL: the file is missing).  The buffers must
 * outlive the view.  Returns 0 and the view (problems went to the
 * report callback and are counted in the summary), or -ENOMEM.
 */
int cyl_risk_verify_mem(const void *entries, size_t elen, const void *heads,
			size_t hlen, const struct cyl_risk_verify_opts *o,
			struct cyl_risk_view **out);

/*
 * The same for the log in directory @dir, its files mapped read-only.
 * Only I/O fails here (a missing entries file, say), with @err naming
 * the file.
 */
int cyl_risk_verify_dir(const char *dir, const struct cyl_risk_verify_opts *o,
			struct cyl_risk_view **out, char *err, size_t errlen);

void cyl_risk_view_free(struct cyl_risk_view *v);

const struct cyl_risk_summary *cyl_risk_view_summary(const struct cyl_risk_view *v);

/* Entry @i (< summary entries): its bytes, length, frame offset. */
int cyl_risk_view_entry(const struct cyl_risk_view *v, uint64_t i,
			const uint8_t **data, uint32_t *len, uint64_t *offset);

size_t cyl_risk_view_heads(const struct cyl_risk_view *v);
/* Head @i as stored; *@good: whether it passed every check. */
const struct cyl_risk_head *cyl_risk_view_head(const struct cyl_risk_view *v,
					       size_t i, bool *good);

/* The Merkle tree of the entries (empty with entries_only). */
const struct cyl_merkle_tree *cyl_risk_view_tree(const struct cyl_risk_view *v);

/* A proof, built from the entries and checked against signed roots. */
struct cyl_risk_proof {
	uint64_t m, n;		/* inclusion: entry m in the tree of size n;
				 * consistency: from size m to size n */
	uint64_t head_m;	/* consistency: the head of size m */
	uint64_t head_n;	/* the head of size n */
	uint8_t leaf[CYL_MERKLE_HASH_LEN];	/* inclusion: entry m's leaf hash */
	uint8_t hashes[CYL_MERKLE_PROOF_MAX * CYL_MERKLE_HASH_LEN];
	size_t len;		/* hashes in it */
	bool verified;		/* the RFC 9162 check against the signed root(s) */
};

/*
 * The inclusion proof of entry @index in the latest good head.  -ERANGE
 * (with @err) when no good head covers it.
 */
int cyl_risk_prove_inclusion(const struct cyl_risk_view *v, uint64_t index,
			     struct cyl_risk_proof *p, char *err, size_t errlen);

/*
 * The consistency proof between the good heads of sizes @from and @to
 * (from <= to; the latest such head of each).  -ERANGE (with @err) when
 * there is no such head.
 */
int cyl_risk_prove_consistency(const struct cyl_risk_view *v, uint64_t from,
			       uint64_t to, struct cyl_risk_proof *p,
			       char *err, size_t errlen);

#endif /* CYL_RISK_VERIFY_H */
