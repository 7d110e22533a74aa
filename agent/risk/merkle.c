// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 9162 section 2.1 Merkle trees.  The RFC defines MTH, PATH and
 * SUBPROOF recursively; here they are loops over the same splits (k, the
 * largest power of two smaller than n), so no input size recurses deeply.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "risk/merkle.h"

#define HL	CYL_MERKLE_HASH_LEN

/* Fetched once: an implicit fetch per digest costs more than the hash. */
static EVP_MD *sha256;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void fetch_sha256(void)
{
	sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

static const EVP_MD *md(void)
{
	pthread_once(&sha256_once, fetch_sha256);
	return sha256;
}

int cyl_merkle_leaf_hash(const void *data, size_t len, uint8_t out[HL])
{
	static const uint8_t prefix = 0x00;
	EVP_MD_CTX *ctx;
	int ok;

	if (!md() || !(ctx = EVP_MD_CTX_new()))
		return -ENOMEM;
	ok = EVP_DigestInit_ex2(ctx, md(), NULL) &&
	     EVP_DigestUpdate(ctx, &prefix, 1) &&
	     EVP_DigestUpdate(ctx, data, len) &&
	     EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -ENOMEM;
}

int cyl_merkle_node_hash(const uint8_t left[HL], const uint8_t right[HL],
			 uint8_t out[HL])
{
	uint8_t buf[1 + 2 * HL];

	buf[0] = 0x01;
	memcpy(buf + 1, left, HL);
	memcpy(buf + 1 + HL, right, HL);
	if (!md() || !EVP_Digest(buf, sizeof(buf), out, NULL, md(), NULL))
		return -ENOMEM;
	return 0;
}

int cyl_merkle_empty_root(uint8_t out[HL])
{
	if (!md() || !EVP_Digest("", 0, out, NULL, md(), NULL))
		return -ENOMEM;
	return 0;
}

/* The largest power of two smaller than @n (n >= 2). */
static uint64_t split(uint64_t n)
{
	return (uint64_t)1 << (63 - __builtin_clzll(n - 1));
}

static bool is_pow2(uint64_t n)
{
	return n && !(n & (n - 1));
}

/*
 * Pairing neighbours level by level, an odd last node carried up as it
 * is, builds the same tree as the RFC's split at the largest power of two.
 */
int cyl_merkle_root(const uint8_t *leaves, uint64_t n, uint8_t out[HL])
{
	const uint8_t *src = leaves;
	uint8_t *tmp;
	uint64_t i;
	int ret = 0;

	if (n == 0)
		return cyl_merkle_empty_root(out);
	if (n == 1) {
		memcpy(out, leaves, HL);
		return 0;
	}
	tmp = malloc((n + 1) / 2 * HL);
	if (!tmp)
		return -ENOMEM;
	while (n > 1) {
		/* In place from the second level on: slot i reads 2i, 2i+1. */
		for (i = 0; i + 1 < n && !ret; i += 2)
			ret = cyl_merkle_node_hash(src + i * HL, src + (i + 1) * HL,
						   tmp + i / 2 * HL);
		if (n & 1)
			memmove(tmp + n / 2 * HL, src + (n - 1) * HL, HL);
		n = (n + 1) / 2;
		src = tmp;
	}
	if (!ret)
		memcpy(out, tmp, HL);
	free(tmp);
	return ret;
}

/* --- the accumulator --- */

void cyl_merkle_acc_init(struct cyl_merkle_acc *acc)
{
	acc->size = 0;
}

/* Peaks on the stack: one per set bit of the size. */
static unsigned int peaks(uint64_t size)
{
	return (unsigned int)__builtin_popcountll(size);
}

int cyl_merkle_acc_append(struct cyl_merkle_acc *acc, const uint8_t leaf[HL])
{
	unsigned int top = peaks(acc->size);
	uint64_t s;
	int ret;

	if (acc->size == UINT64_MAX)
		return -EOVERFLOW;
	memcpy(acc->peak[top], leaf, HL);
	/* Each trailing one bit of the old size is a peak of equal size to merge. */
	for (s = acc->size; s & 1; s >>= 1, top--) {
		ret = cyl_merkle_node_hash(acc->peak[top - 1], acc->peak[top],
					   acc->peak[top - 1]);
		if (ret)
			return ret;
	}
	acc->size++;
	return 0;
}

/* The peaks folded from the right: node(p0, node(p1, ... node(pk-1, pk))). */
int cyl_merkle_acc_root(const struct cyl_merkle_acc *acc, uint8_t out[HL])
{
	unsigned int n = peaks(acc->size), i;
	uint8_t r[HL];
	int ret;

	if (!n)
		return cyl_merkle_empty_root(out);
	memcpy(r, acc->peak[n - 1], HL);
	for (i = n - 1; i-- > 0;)
		if ((ret = cyl_merkle_node_hash(acc->peak[i], r, r)) != 0)
			return ret;
	memcpy(out, r, HL);
	return 0;
}

/* --- the whole tree --- */

void cyl_merkle_tree_init(struct cyl_merkle_tree *t)
{
	memset(t, 0, sizeof(*t));
}

void cyl_merkle_tree_free(struct cyl_merkle_tree *t)
{
	unsigned int h;

	for (h = 0; h < CYL_MERKLE_LEVELS; h++)
		free(t->level[h]);
	memset(t, 0, sizeof(*t));
}

/* Room for hash @j on level @h. */
static int reserve(struct cyl_merkle_tree *t, unsigned int h, uint64_t j)
{
	uint64_t cap = t->cap[h];
	uint8_t *p;

	if (j < cap)
		return 0;
	cap = cap ? cap * 2 : 64;
	if (cap > SIZE_MAX / HL)
		return -ENOMEM;
	p = realloc(t->level[h], cap * HL);
	if (!p)
		return -ENOMEM;
	t->level[h] = p;
	t->cap[h] = cap;
	return 0;
}

int cyl_merkle_tree_append(struct cyl_merkle_tree *t, const uint8_t leaf[HL])
{
	uint64_t j = t->size;
	unsigned int h;
	int ret;

	if (t->size == UINT64_MAX)
		return -EOVERFLOW;
	if ((ret = reserve(t, 0, j)) != 0)
		return ret;
	memcpy(t->level[0] + j * HL, leaf, HL);
	/* A right child completes its parent: compute it, and so on up. */
	for (h = 0; j & 1; h++, j >>= 1) {
		if ((ret = reserve(t, h + 1, j >> 1)) != 0)
			return ret;
		ret = cyl_merkle_node_hash(t->level[h] + (j - 1) * HL,
					   t->level[h] + j * HL,
					   t->level[h + 1] + (j >> 1) * HL);
		if (ret)
			return ret;
	}
	t->size++;
	return 0;
}

const uint8_t *cyl_merkle_tree_leaf(const struct cyl_merkle_tree *t, uint64_t i)
{
	return i < t->size ? t->level[0] + i * HL : NULL;
}

/*
 * MTH(D[a:b]) for b <= size.  The ranges PATH and SUBPROOF ask for split
 * into a stored perfect subtree on the left and a shorter range on the
 * right, so this costs one lookup and one node hash per level.
 */
static int range_hash(const struct cyl_merkle_tree *t, uint64_t a, uint64_t b,
		      uint8_t out[HL])
{
	uint64_t n = b - a, k;
	uint8_t l[HL], r[HL];
	int ret;

	if (n == 0)
		return cyl_merkle_empty_root(out);
	if (is_pow2(n) && a % n == 0) {
		unsigned int h = (unsigned int)__builtin_ctzll(n);

		memcpy(out, t->level[h] + (a >> h) * HL, HL);
		return 0;
	}
	k = split(n);
	if ((ret = range_hash(t, a, a + k, l)) != 0 ||
	    (ret = range_hash(t, a + k, b, r)) != 0)
		return ret;
	return cyl_merkle_node_hash(l, r, out);
}

int cyl_merkle_tree_root(const struct cyl_merkle_tree *t, uint64_t n,
			 uint8_t out[HL])
{
	if (n > t->size)
		return -ERANGE;
	return range_hash(t, 0, n, out);
}

int cyl_merkle_tree_acc(const struct cyl_merkle_tree *t, uint64_t n,
			struct cyl_merkle_acc *acc)
{
	unsigned int h, top = 0;
	uint64_t pos = 0;

	if (n > t->size)
		return -ERANGE;
	for (h = CYL_MERKLE_LEVELS; h-- > 0;) {
		if (!(n >> h & 1))
			continue;
		memcpy(acc->peak[top++], t->level[h] + (pos >> h) * HL, HL);
		pos += (uint64_t)1 << h;
	}
	acc->size = n;
	return 0;
}

/* @cnt hashes collected root-first, put out leaf-first as the RFC lists them. */
static void reverse_into(uint8_t *dst, uint8_t (*src)[HL], size_t cnt)
{
	size_t i;

	for (i = 0; i < cnt; i++)
		memcpy(dst + i * HL, src[cnt - 1 - i], HL);
}

int cyl_merkle_inclusion_proof(const struct cyl_merkle_tree *t, uint64_t m,
			       uint64_t n, uint8_t *path, size_t *len)
{
	uint8_t tmp[CYL_MERKLE_PATH_MAX][HL];
	uint64_t a = 0, b = n, k;
	size_t cnt = 0;
	int ret;

	*len = 0;
	if (m >= n || n > t->size)
		return -ERANGE;
	/* PATH(m, D[a:b]) = PATH(m', one half) : MTH(other half) */
	while (b - a > 1) {
		k = split(b - a);
		if (m < a + k) {
			ret = range_hash(t, a + k, b, tmp[cnt++]);
			b = a + k;
		} else {
			ret = range_hash(t, a, a + k, tmp[cnt++]);
			a += k;
		}
		if (ret)
			return ret;
	}
	reverse_into(path, tmp, cnt);
	*len = cnt;
	return 0;
}

int cyl_merkle_consistency_proof(const struct cyl_merkle_tree *t, uint64_t m,
				 uint64_t n, uint8_t *proof, size_t *len)
{
	uint8_t tmp[CYL_MERKLE_PROOF_MAX][HL];
	uint64_t a = 0, b = n, k;
	bool whole = true;	/* SUBPROOF's b: D[a:b] is the old tree itself */
	size_t cnt = 0;
	int ret;

	*len = 0;
	if (m > n || n > t->size)
		return -ERANGE;
	if (m == 0 || m == n)
		return 0;
	for (;;) {
		if (m == b) {
			/* SUBPROOF(m, D[m], b): {} if b, else {MTH(D[m])} */
			if (!whole && (ret = range_hash(t, a, b, tmp[cnt++])) != 0)
				return ret;
			break;
		}
		k = split(b - a);
		if (m - a <= k) {
			ret = range_hash(t, a + k, b, tmp[cnt++]);
			b = a + k;
		} else {
			ret = range_hash(t, a, a + k, tmp[cnt++]);
			a += k;
			whole = false;
		}
		if (ret)
			return ret;
	}
	reverse_into(proof, tmp, cnt);
	*len = cnt;
	return 0;
}

/* "Right-shift fn and sn equally until LSB(fn) is set or fn is 0." */
static void shift_to_lsb(uint64_t *fn, uint64_t *sn)
{
	while (*fn && !(*fn & 1)) {
		*fn >>= 1;
		*sn >>= 1;
	}
}

bool cyl_merkle_verify_inclusion(uint64_t m, uint64_t n, const uint8_t leaf[HL],
				 const uint8_t *path, size_t len,
				 const uint8_t root[HL])
{
	uint64_t fn = m, sn;
	uint8_t r[HL];
	size_t i;

	if (m >= n)
		return false;
	sn = n - 1;
	memcpy(r, leaf, HL);
	for (i = 0; i < len; i++) {
		const uint8_t *p = path + i * HL;

		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			if (cyl_merkle_node_hash(p, r, r))
				return false;
			if (!(fn & 1))
				shift_to_lsb(&fn, &sn);
		} else if (cyl_merkle_node_hash(r, p, r)) {
			return false;
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && !memcmp(r, root, HL);
}

bool cyl_merkle_verify_consistency(uint64_t m, uint64_t n, const uint8_t first[HL],
				   const uint8_t second[HL], const uint8_t *proof,
				   size_t len)
{
	uint8_t fr[HL], sr[HL], empty[HL];
	uint64_t fn, sn;
	size_t i = 0;

	if (m > n)
		return false;
	if (m == 0)
		return !len && !cyl_merkle_empty_root(empty) && !memcmp(first, empty, HL);
	if (m == n)
		return !len && !memcmp(first, second, HL);
	if (!len)
		return false;
	/* An old tree of 2^k leaves is a node of the new one: the proof
	 * starts from its root, which the RFC prepends. */
	if (is_pow2(m)) {
		memcpy(fr, first, HL);
	} else {
		memcpy(fr, proof, HL);
		i = 1;
	}
	memcpy(sr, fr, HL);
	fn = m - 1;
	sn = n - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < len; i++) {
		const uint8_t *c = proof + i * HL;

		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			if (cyl_merkle_node_hash(c, fr, fr) ||
			    cyl_merkle_node_hash(c, sr, sr))
				return false;
			if (!(fn & 1))
				shift_to_lsb(&fn, &sn);
		} else if (cyl_merkle_node_hash(sr, c, sr)) {
			return false;
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && !memcmp(fr, first, HL) && !memcmp(sr, second, HL);
}

void cyl_merkle_hex(const uint8_t h[HL], char out[65])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < HL; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * HL] = '\0';
}
