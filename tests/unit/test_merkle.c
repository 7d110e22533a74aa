// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 9162 Merkle trees: roots written out by hand from the RFC's
 * definition (with the test's own SHA-256, not the library's), the
 * reference roots of Certificate Transparency's test data, the RFC's
 * worked examples of proofs, every inclusion and consistency proof of
 * small trees (and each of them tampered with), the accumulator and the
 * whole tree against MTH.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "risk/merkle.h"

#define HL	CYL_MERKLE_HASH_LEN

/* --- the test's own hashes, straight from RFC 9162 2.1.1 --- */

static void sha256(const void *a, size_t alen, const void *b, size_t blen,
		   const void *c, size_t clen, uint8_t out[HL])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	assert_non_null(ctx);
	assert_int_equal(EVP_DigestInit_ex(ctx, EVP_sha256(), NULL), 1);
	assert_int_equal(EVP_DigestUpdate(ctx, a, alen), 1);
	assert_int_equal(EVP_DigestUpdate(ctx, b, blen), 1);
	assert_int_equal(EVP_DigestUpdate(ctx, c, clen), 1);
	assert_int_equal(EVP_DigestFinal_ex(ctx, out, NULL), 1);
	EVP_MD_CTX_free(ctx);
}

/* MTH({d}) = SHA-256(0x00 || d) */
static void L(const void *d, size_t len, uint8_t out[HL])
{
	sha256("\x00", 1, d, len, "", 0, out);
}

/* MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])) */
static const uint8_t *N(const uint8_t *l, const uint8_t *r, uint8_t out[HL])
{
	uint8_t tmp[HL];

	sha256("\x01", 1, l, HL, r, HL, tmp);
	memcpy(out, tmp, HL);
	return out;
}

static void hex_to(const char *hex, uint8_t out[HL])
{
	unsigned int b;
	size_t i;

	assert_int_equal(strlen(hex), 2 * HL);
	for (i = 0; i < HL; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
}

static void assert_hash(const uint8_t *got, const uint8_t *want)
{
	char g[65], w[65];

	cyl_merkle_hex(got, g);
	cyl_merkle_hex(want, w);
	assert_string_equal(g, w);
}

/* Leaf hashes of "leaf 0", "leaf 1", ... back to back. */
static uint8_t *leaves(uint64_t n)
{
	uint8_t *v = malloc((n ? n : 1) * HL);
	char d[32];
	uint64_t i;

	assert_non_null(v);
	for (i = 0; i < n; i++) {
		int len = snprintf(d, sizeof(d), "leaf %llu", (unsigned long long)i);

		L(d, len, v + i * HL);
	}
	return v;
}

static void tree_of(struct cyl_merkle_tree *t, const uint8_t *v, uint64_t n)
{
	uint64_t i;

	cyl_merkle_tree_init(t);
	for (i = 0; i < n; i++)
		assert_int_equal(cyl_merkle_tree_append(t, v + i * HL), 0);
}

/* --- hashes and roots --- */

static void test_leaf_and_node_hash_domain_separated(void **state)
{
	uint8_t got[HL], want[HL], a[HL], b[HL], ab[2 * HL];

	assert_int_equal(cyl_merkle_leaf_hash("abc", 3, got), 0);
	L("abc", 3, want);
	assert_hash(got, want);
	memset(a, 0xaa, HL);
	memset(b, 0xbb, HL);
	assert_int_equal(cyl_merkle_node_hash(a, b, got), 0);
	assert_hash(got, N(a, b, want));
	/* A 64-byte leaf a || b is not the node over a and b. */
	memcpy(ab, a, HL);
	memcpy(ab + HL, b, HL);
	assert_int_equal(cyl_merkle_leaf_hash(ab, sizeof(ab), want), 0);
	assert_memory_not_equal(got, want, HL);
}

static void test_mth_small_trees_by_hand(void **state)
{
	uint8_t l[8][HL], want[HL], got[HL], t1[HL], t2[HL], t3[HL];
	char d[8];
	int i;

	for (i = 0; i < 8; i++) {
		snprintf(d, sizeof(d), "d%d", i);
		L(d, strlen(d), l[i]);
	}
	/* n = 0: the hash of the empty string */
	hex_to("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", want);
	assert_int_equal(cyl_merkle_root(NULL, 0, got), 0);
	assert_hash(got, want);
	/* n = 1: the leaf hash */
	assert_int_equal(cyl_merkle_root(l[0], 1, got), 0);
	assert_hash(got, l[0]);
	/* n = 2 */
	assert_int_equal(cyl_merkle_root(l[0], 2, got), 0);
	assert_hash(got, N(l[0], l[1], want));
	/* n = 3: k = 2 */
	assert_int_equal(cyl_merkle_root(l[0], 3, got), 0);
	assert_hash(got, N(N(l[0], l[1], t1), l[2], want));
	/* n = 4 */
	assert_int_equal(cyl_merkle_root(l[0], 4, got), 0);
	assert_hash(got, N(N(l[0], l[1], t1), N(l[2], l[3], t2), want));
	/* n = 5: k = 4 */
	assert_int_equal(cyl_merkle_root(l[0], 5, got), 0);
	N(N(l[0], l[1], t1), N(l[2], l[3], t2), t3);
	assert_hash(got, N(t3, l[4], want));
	/* n = 7: k = 4, then the right 3 split at 2 */
	assert_int_equal(cyl_merkle_root(l[0], 7, got), 0);
	assert_hash(got, N(t3, N(N(l[4], l[5], t1), l[6], t2), want));
	/* n = 8 */
	assert_int_equal(cyl_merkle_root(l[0], 8, got), 0);
	assert_hash(got, N(t3, N(N(l[4], l[5], t1), N(l[6], l[7], t2), t2), want));
}

/* The roots of Certificate Transparency's reference test data (RFC 6962). */
static void test_mth_reference_roots(void **state)
{
	static const struct {
		const char *d;
		size_t len;
	} in[8] = {
		{ "", 0 }, { "\x00", 1 }, { "\x10", 1 }, { "\x20\x21", 2 },
		{ "\x30\x31", 2 }, { "\x40\x41\x42\x43", 4 },
		{ "\x50\x51\x52\x53\x54\x55\x56\x57", 8 },
		{ "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f", 16 },
	};
	static const char *const roots[8] = {
		"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
		"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
		"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
		"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
		"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
		"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
	};
	uint8_t v[8 * HL], got[HL], want[HL];
	int i;

	for (i = 0; i < 8; i++)
		assert_int_equal(cyl_merkle_leaf_hash(in[i].d, in[i].len, v + i * HL), 0);
	for (i = 0; i < 8; i++) {
		hex_to(roots[i], want);
		assert_int_equal(cyl_merkle_root(v, i + 1, got), 0);
		assert_hash(got, want);
	}
}

/* --- the RFC 9162 2.1.5 example: 7 leaves d0..d6 --- */

struct example {
	uint8_t d[7][HL];	/* leaf hashes */
	uint8_t a[HL], b[HL], c[HL], dd[HL], e[HL], f[HL];	/* level 0 names */
	uint8_t g[HL], h[HL], i[HL], j[HL], k[HL], l[HL];
	uint8_t root[HL];
	struct cyl_merkle_tree t;
};

static void example(struct example *x)
{
	char name[4];
	int n;

	for (n = 0; n < 7; n++) {
		snprintf(name, sizeof(name), "d%d", n);
		L(name, 2, x->d[n]);
	}
	memcpy(x->a, x->d[0], HL);
	memcpy(x->b, x->d[1], HL);
	memcpy(x->c, x->d[2], HL);
	memcpy(x->dd, x->d[3], HL);
	memcpy(x->e, x->d[4], HL);
	memcpy(x->f, x->d[5], HL);
	N(x->a, x->b, x->g);
	N(x->c, x->dd, x->h);
	N(x->e, x->f, x->i);
	memcpy(x->j, x->d[6], HL);
	N(x->g, x->h, x->k);
	N(x->i, x->j, x->l);
	N(x->k, x->l, x->root);
	tree_of(&x->t, x->d[0], 7);
}

static void expect_proof(const uint8_t *got, size_t len, int n, ...)
{
	va_list ap;
	int i;

	assert_int_equal(len, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_hash(got + i * HL, va_arg(ap, const uint8_t *));
	va_end(ap);
}

static void test_rfc_example_inclusion_proofs(void **state)
{
	uint8_t p[CYL_MERKLE_PATH_MAX * HL], root[HL];
	struct example x;
	size_t len;

	example(&x);
	assert_int_equal(cyl_merkle_tree_root(&x.t, 7, root), 0);
	assert_hash(root, x.root);
	/* "The inclusion proof for d0 is [b, h, l]." */
	assert_int_equal(cyl_merkle_inclusion_proof(&x.t, 0, 7, p, &len), 0);
	expect_proof(p, len, 3, x.b, x.h, x.l);
	assert_true(cyl_merkle_verify_inclusion(0, 7, x.d[0], p, len, x.root));
	/* "d3 is [c, g, l]" */
	assert_int_equal(cyl_merkle_inclusion_proof(&x.t, 3, 7, p, &len), 0);
	expect_proof(p, len, 3, x.c, x.g, x.l);
	assert_true(cyl_merkle_verify_inclusion(3, 7, x.d[3], p, len, x.root));
	/* "d4 is [f, j, k]" */
	assert_int_equal(cyl_merkle_inclusion_proof(&x.t, 4, 7, p, &len), 0);
	expect_proof(p, len, 3, x.f, x.j, x.k);
	assert_true(cyl_merkle_verify_inclusion(4, 7, x.d[4], p, len, x.root));
	/* "d6 is [i, k]" */
	assert_int_equal(cyl_merkle_inclusion_proof(&x.t, 6, 7, p, &len), 0);
	expect_proof(p, len, 2, x.i, x.k);
	assert_true(cyl_merkle_verify_inclusion(6, 7, x.d[6], p, len, x.root));
	cyl_merkle_tree_free(&x.t);
}

static void test_rfc_example_consistency_proofs(void **state)
{
	uint8_t p[CYL_MERKLE_PROOF_MAX * HL], r3[HL], r4[HL], r6[HL];
	struct example x;
	size_t len;

	example(&x);
	N(x.g, x.c, r3);	/* hash0: the tree of d0..d2 */
	memcpy(r4, x.k, HL);	/* hash1: d0..d3 */
	N(x.k, x.i, r6);	/* hash2: d0..d5 */
	/* "PROOF(3, D[7]) = [c, d, g, l]" */
	assert_int_equal(cyl_merkle_consistency_proof(&x.t, 3, 7, p, &len), 0);
	expect_proof(p, len, 4, x.c, x.dd, x.g, x.l);
	assert_true(cyl_merkle_verify_consistency(3, 7, r3, x.root, p, len));
	/* "PROOF(4, D[7]) = [l]" */
	assert_int_equal(cyl_merkle_consistency_proof(&x.t, 4, 7, p, &len), 0);
	expect_proof(p, len, 1, x.l);
	assert_true(cyl_merkle_verify_consistency(4, 7, r4, x.root, p, len));
	/* "PROOF(6, D[7]) = [i, j, k]" */
	assert_int_equal(cyl_merkle_consistency_proof(&x.t, 6, 7, p, &len), 0);
	expect_proof(p, len, 3, x.i, x.j, x.k);
	assert_true(cyl_merkle_verify_consistency(6, 7, r6, x.root, p, len));
	cyl_merkle_tree_free(&x.t);
}

/* --- every proof of small trees --- */

static void test_inclusion_every_proof_to_16(void **state)
{
	uint8_t p[CYL_MERKLE_PATH_MAX * HL], q[(CYL_MERKLE_PATH_MAX + 1) * HL];
	uint8_t root[HL], bad[HL], *v = leaves(16);
	struct cyl_merkle_tree t;
	uint64_t n, m, w;
	size_t len, i;

	tree_of(&t, v, 16);
	for (n = 1; n <= 16; n++) {
		assert_int_equal(cyl_merkle_root(v, n, root), 0);
		for (m = 0; m < n; m++) {
			const uint8_t *leaf = v + m * HL;

			assert_int_equal(cyl_merkle_inclusion_proof(&t, m, n, p, &len), 0);
			assert_true(cyl_merkle_verify_inclusion(m, n, leaf, p, len, root));
			/* another index, another leaf, another root */
			for (w = 0; w < n; w++)
				if (w != m)
					assert_false(cyl_merkle_verify_inclusion(w, n, leaf, p,
										 len, root));
			assert_false(cyl_merkle_verify_inclusion(m, n, v + ((m + 1) % 16) * HL,
								 p, len, root));
			memcpy(bad, root, HL);
			bad[7] ^= 1;
			assert_false(cyl_merkle_verify_inclusion(m, n, leaf, p, len, bad));
			assert_false(cyl_merkle_verify_inclusion(n, n, leaf, p, len, root));
			/* each path element changed, one missing, one too many */
			for (i = 0; i < len; i++) {
				p[i * HL + 31] ^= 0x80;
				assert_false(cyl_merkle_verify_inclusion(m, n, leaf, p, len, root));
				p[i * HL + 31] ^= 0x80;
			}
			if (len)
				assert_false(cyl_merkle_verify_inclusion(m, n, leaf, p, len - 1,
									 root));
			memcpy(q, p, len * HL);
			memcpy(q + len * HL, root, HL);
			assert_false(cyl_merkle_verify_inclusion(m, n, leaf, q, len + 1, root));
		}
	}
	cyl_merkle_tree_free(&t);
	free(v);
}

static void test_consistency_every_proof_to_16(void **state)
{
	uint8_t p[CYL_MERKLE_PROOF_MAX * HL], q[(CYL_MERKLE_PROOF_MAX + 1) * HL];
	uint8_t r[17][HL], bad[HL], *v = leaves(16);
	struct cyl_merkle_tree t;
	uint64_t n, m;
	size_t len, i;

	tree_of(&t, v, 16);
	for (n = 0; n <= 16; n++)
		assert_int_equal(cyl_merkle_root(v, n, r[n]), 0);
	for (n = 1; n <= 16; n++) {
		for (m = 1; m <= n; m++) {
			assert_int_equal(cyl_merkle_consistency_proof(&t, m, n, p, &len), 0);
			assert_true(len <= CYL_MERKLE_PROOF_MAX);
			assert_true(cyl_merkle_verify_consistency(m, n, r[m], r[n], p, len));
			/* another old or new root */
			memcpy(bad, r[m], HL);
			bad[0] ^= 1;
			assert_false(cyl_merkle_verify_consistency(m, n, bad, r[n], p, len));
			memcpy(bad, r[n], HL);
			bad[0] ^= 1;
			assert_false(cyl_merkle_verify_consistency(m, n, r[m], bad, p, len));
			if (m > 1)
				assert_false(cyl_merkle_verify_consistency(m, n, r[m - 1], r[n],
									   p, len));
			/* each element changed, one missing, one too many */
			for (i = 0; i < len; i++) {
				p[i * HL + 5] ^= 0x04;
				assert_false(cyl_merkle_verify_consistency(m, n, r[m], r[n], p, len));
				p[i * HL + 5] ^= 0x04;
			}
			if (len)
				assert_false(cyl_merkle_verify_consistency(m, n, r[m], r[n], p,
									   len - 1));
			memcpy(q, p, len * HL);
			memcpy(q + len * HL, r[m], HL);
			assert_false(cyl_merkle_verify_consistency(m, n, r[m], r[n], q, len + 1));
		}
	}
	/* From the empty tree: an empty proof, and nothing else. */
	assert_int_equal(cyl_merkle_consistency_proof(&t, 0, 5, p, &len), 0);
	assert_int_equal(len, 0);
	assert_true(cyl_merkle_verify_consistency(0, 5, r[0], r[5], p, 0));
	assert_false(cyl_merkle_verify_consistency(0, 5, r[1], r[5], p, 0));
	assert_false(cyl_merkle_verify_consistency(6, 5, r[5], r[5], p, 0));
	assert_int_equal(cyl_merkle_consistency_proof(&t, 6, 5, p, &len), -ERANGE);
	assert_int_equal(cyl_merkle_consistency_proof(&t, 1, 17, p, &len), -ERANGE);
	assert_int_equal(cyl_merkle_inclusion_proof(&t, 16, 16, p, &len), -ERANGE);
	cyl_merkle_tree_free(&t);
	free(v);
}

/* --- the accumulator and the whole tree --- */

static void test_accumulator_root_equals_mth_to_100(void **state)
{
	struct cyl_merkle_acc acc, at;
	struct cyl_merkle_tree t;
	uint8_t *v = leaves(100), a[HL], want[HL], got[HL];
	uint64_t n;

	cyl_merkle_acc_init(&acc);
	cyl_merkle_tree_init(&t);
	assert_int_equal(cyl_merkle_acc_root(&acc, a), 0);
	assert_int_equal(cyl_merkle_root(v, 0, want), 0);
	assert_hash(a, want);
	for (n = 1; n <= 100; n++) {
		assert_int_equal(cyl_merkle_acc_append(&acc, v + (n - 1) * HL), 0);
		assert_int_equal(cyl_merkle_tree_append(&t, v + (n - 1) * HL), 0);
		assert_int_equal(acc.size, n);
		assert_int_equal(cyl_merkle_acc_root(&acc, a), 0);
		assert_int_equal(cyl_merkle_root(v, n, want), 0);
		assert_hash(a, want);
		assert_int_equal(cyl_merkle_tree_root(&t, n, got), 0);
		assert_hash(got, want);
	}
	/* The tree gives any earlier accumulator, and its root. */
	for (n = 0; n <= 100; n++) {
		assert_int_equal(cyl_merkle_tree_acc(&t, n, &at), 0);
		assert_int_equal(cyl_merkle_acc_root(&at, a), 0);
		assert_int_equal(cyl_merkle_root(v, n, want), 0);
		assert_hash(a, want);
	}
	assert_int_equal(cyl_merkle_tree_root(&t, 101, got), -ERANGE);
	cyl_merkle_tree_free(&t);
	free(v);
}

/* A million leaves and then some: no recursion to run out of stack. */
static void test_mth_million_leaves(void **state)
{
	const uint64_t n = (1u << 20) + 3;
	struct cyl_merkle_acc acc;
	uint8_t *v = malloc(n * HL), a[HL], b[HL];
	uint64_t i;

	assert_non_null(v);
	cyl_merkle_acc_init(&acc);
	for (i = 0; i < n; i++) {
		memset(v + i * HL, 0, HL);
		memcpy(v + i * HL, &i, sizeof(i));
		assert_int_equal(cyl_merkle_acc_append(&acc, v + i * HL), 0);
	}
	assert_int_equal(cyl_merkle_root(v, n, a), 0);
	assert_int_equal(cyl_merkle_acc_root(&acc, b), 0);
	assert_hash(a, b);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf_and_node_hash_domain_separated),
		cmocka_unit_test(test_mth_small_trees_by_hand),
		cmocka_unit_test(test_mth_reference_roots),
		cmocka_unit_test(test_rfc_example_inclusion_proofs),
		cmocka_unit_test(test_rfc_example_consistency_proofs),
		cmocka_unit_test(test_inclusion_every_proof_to_16),
		cmocka_unit_test(test_consistency_every_proof_to_16),
		cmocka_unit_test(test_accumulator_root_equals_mth_to_100),
		cmocka_unit_test(test_mth_million_leaves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
