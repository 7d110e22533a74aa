/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 9162 (Certificate Transparency 2.0) section 2.1 Merkle trees on
 * SHA-256: leaf and node hashes, the Merkle Tree Hash (MTH), inclusion
 * and consistency proofs and their verification.  No files, no state.
 *
 * Two ways to hold a growing tree:
 *   struct cyl_merkle_acc   the roots of the perfect subtrees that make
 *                           up the tree (one per bit of its size): O(log n)
 *                           memory, the root after each append in O(log n).
 *                           What the log writer keeps.
 *   struct cyl_merkle_tree  every perfect subtree's hash, about 2n hashes:
 *                           the root of any prefix and any proof in
 *                           O(log^2 n).  What the verifier builds.
 *
 * Hashes are 32 bytes; a proof is an array of them back to back.  The
 * functions that hash return 0 or -ENOMEM (OpenSSL could not allocate).
 */
#ifndef CYL_RISK_MERKLE_H
#define CYL_RISK_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CYL_MERKLE_HASH_LEN	32
#define CYL_MERKLE_LEVELS	64	/* tree sizes below 2^64 */
/* Hashes in a proof: one per level, and MTH(D[m]) in a consistency proof. */
#define CYL_MERKLE_PATH_MAX	CYL_MERKLE_LEVELS
#define CYL_MERKLE_PROOF_MAX	(CYL_MERKLE_LEVELS + 1)

/* SHA-256(0x00 || data) */
int cyl_merkle_leaf_hash(const void *data, size_t len,
			 uint8_t out[CYL_MERKLE_HASH_LEN]);
/* SHA-256(0x01 || left || right) */
int cyl_merkle_node_hash(const uint8_t left[CYL_MERKLE_HASH_LEN],
			 const uint8_t right[CYL_MERKLE_HASH_LEN],
			 uint8_t out[CYL_MERKLE_HASH_LEN]);
/* MTH({}) = SHA-256() */
int cyl_merkle_empty_root(uint8_t out[CYL_MERKLE_HASH_LEN]);

/*
 * MTH of the @n leaf hashes at @leaves (32 bytes each, back to back),
 * bottom-up with a scratch buffer of n/2 hashes: no recursion.
 */
int cyl_merkle_root(const uint8_t *leaves, uint64_t n,
		    uint8_t out[CYL_MERKLE_HASH_LEN]);

/* --- the accumulator --- */

struct cyl_merkle_acc {
	uint64_t size;		/* leaves appended */
	/* The perfect subtrees' roots, largest (leftmost) first. */
	uint8_t peak[CYL_MERKLE_LEVELS][CYL_MERKLE_HASH_LEN];
};

void cyl_merkle_acc_init(struct cyl_merkle_acc *acc);
int cyl_merkle_acc_append(struct cyl_merkle_acc *acc,
			  const uint8_t leaf[CYL_MERKLE_HASH_LEN]);
/* MTH of what was appended (SHA-256() when nothing was). */
int cyl_merkle_acc_root(const struct cyl_merkle_acc *acc,
			uint8_t out[CYL_MERKLE_HASH_LEN]);

/* --- the whole tree --- */

struct cyl_merkle_tree {
	uint64_t size;		/* leaves */
	/* level[h] + 32 * j: MTH of leaves j * 2^h .. (j + 1) * 2^h - 1 */
	uint8_t *level[CYL_MERKLE_LEVELS];
	uint64_t cap[CYL_MERKLE_LEVELS];	/* hashes allocated per level */
};

void cyl_merkle_tree_init(struct cyl_merkle_tree *t);
void cyl_merkle_tree_free(struct cyl_merkle_tree *t);
int cyl_merkle_tree_append(struct cyl_merkle_tree *t,
			   const uint8_t leaf[CYL_MERKLE_HASH_LEN]);
/* Leaf hash @i (< size). */
const uint8_t *cyl_merkle_tree_leaf(const struct cyl_merkle_tree *t, uint64_t i);
/* MTH of the first @n leaves (n <= size); -ERANGE beyond. */
int cyl_merkle_tree_root(const struct cyl_merkle_tree *t, uint64_t n,
			 uint8_t out[CYL_MERKLE_HASH_LEN]);
/* The accumulator as it was after @n appends (n <= size). */
int cyl_merkle_tree_acc(const struct cyl_merkle_tree *t, uint64_t n,
			struct cyl_merkle_acc *acc);

/*
 * PATH(m, D[n]) (RFC 9162 2.1.3.1): the inclusion proof of leaf @m in the
 * tree of the first @n leaves, m < n <= size, into @path (room for
 * CYL_MERKLE_PATH_MAX hashes); *@len hashes.  -ERANGE for bad sizes.
 */
int cyl_merkle_inclusion_proof(const struct cyl_merkle_tree *t, uint64_t m,
			       uint64_t n, uint8_t *path, size_t *len);

/*
 * PROOF(m, D[n]) (RFC 9162 2.1.4.1) between the trees of the first @m
 * and first @n leaves, m <= n <= size, into @proof (room for
 * CYL_MERKLE_PROOF_MAX hashes).  Empty when m == n or m == 0.
 */
int cyl_merkle_consistency_proof(const struct cyl_merkle_tree *t, uint64_t m,
				 uint64_t n, uint8_t *proof, size_t *len);

/*
 * RFC 9162 2.1.3.2: whether @path (@len hashes) proves that @leaf is leaf
 * @m of the tree of size @n whose root is @root.
 */
bool cyl_merkle_verify_inclusion(uint64_t m, uint64_t n,
				 const uint8_t leaf[CYL_MERKLE_HASH_LEN],
				 const uint8_t *path, size_t len,
				 const uint8_t root[CYL_MERKLE_HASH_LEN]);

/*
 * RFC 9162 2.1.4.2: whether @proof (@len hashes) proves that the tree of
 * size @n and root @second extends the tree of size @m and root @first.
 * Beyond the RFC (which has 0 < m < n): m == n needs an empty proof and
 * equal roots, m == 0 an empty proof and @first the empty tree's root.
 */
bool cyl_merkle_verify_consistency(uint64_t m, uint64_t n,
				   const uint8_t first[CYL_MERKLE_HASH_LEN],
				   const uint8_t second[CYL_MERKLE_HASH_LEN],
				   const uint8_t *proof, size_t len);

/* 64 lowercase hex digits and a NUL. */
void cyl_merkle_hex(const uint8_t h[CYL_MERKLE_HASH_LEN], char out[65]);

#endif /* CYL_RISK_MERKLE_H */
