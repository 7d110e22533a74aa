// SPDX-License-Identifier: GPL-2.0
/*
 * FAME CP-ABE: a key recovers the encapsulated element exactly when its
 * attributes satisfy the policy (every subset of a four-attribute universe
 * against fixed and random policies, attributes repeated in a policy
 * included); two users cannot pool their keys; a key of another authority,
 * a tampered ciphertext or key component gives another element; keys and
 * ciphertexts round-trip through their encodings byte for byte, and every
 * truncation and corruption of an encoding is refused with its offset.
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

#include "abe/encoding.h"
#include "abe/fame.h"

#define UNIVERSE	4
static const char *const universe[UNIVERSE] = { "a:1", "b:2", "c:3", "d:4" };

static struct cyl_fame_pk pk;
static struct cyl_fame_msk msk;
static struct cyl_fame_key subset_key[1 << UNIVERSE];

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t subset_attrs(unsigned int mask, const char *attrs[UNIVERSE])
{
	size_t n = 0;
	int i;

	for (i = 0; i < UNIVERSE; i++)
		if (mask & (1u << i))
			attrs[n++] = universe[i];
	return n;
}

static int setup_keys(void **state)
{
	const char *attrs[UNIVERSE];
	unsigned int mask;

	if (cyl_fame_setup(&pk, &msk))
		return -1;
	for (mask = 0; mask < (1u << UNIVERSE); mask++)
		if (cyl_fame_keygen(&subset_key[mask], &msk, attrs, subset_attrs(mask, attrs)))
			return -1;
	return 0;
}

static int teardown_keys(void **state)
{
	unsigned int mask;

	for (mask = 0; mask < (1u << UNIVERSE); mask++)
		cyl_fame_key_free(&subset_key[mask]);
	cyl_fame_msk_clear(&msk);
	return 0;
}

static struct cyl_abe_policy *parse(const char *text)
{
	struct cyl_abe_policy *p = NULL;
	char err[256];

	if (cyl_abe_policy_parse(text, &p, err, sizeof(err)))
		fail_msg("%s: %s", text, err);
	return p;
}

/* Every subset of the universe against one policy. */
static void check_policy(const char *text)
{
	struct cyl_abe_policy *policy = parse(text);
	const char *attrs[UNIVERSE];
	struct cyl_fame_ct ct;
	cyl_fp12 kem, got;
	unsigned int mask;
	size_t n;
	int ret;

	assert_int_equal(cyl_fame_encrypt(&ct, &kem, &pk, policy), 0);
	assert_false(cyl_fp12_is_one(&kem));
	for (mask = 0; mask < (1u << UNIVERSE); mask++) {
		n = subset_attrs(mask, attrs);
		ret = cyl_fame_decrypt(&got, &subset_key[mask], &ct);
		if (cyl_abe_policy_satisfied(policy, attrs, n)) {
			if (ret || !cyl_fp12_eq(&got, &kem))
				fail_msg("%s: attributes 0x%x satisfy it but do not decrypt "
					 "(ret %d)", text, mask, ret);
		} else if (ret != -EACCES) {
			fail_msg("%s: attributes 0x%x do not satisfy it, decrypt gave %d",
				 text, mask, ret);
		}
	}
	cyl_fame_ct_free(&ct);
	cyl_abe_policy_free(policy);
}

static void decrypts_exactly_when_satisfied(void **state)
{
	static const char *const policies[] = {
		"a:1",
		"a:1 and b:2",
		"a:1 or b:2",
		"(a:1 and b:2) or c:3",
		"(a:1 and b:2) or (a:1 and c:3)",	/* an attribute twice */
		"2 of (a:1, b:2, c:3)",
		"3 of (a:1, b:2, c:3, d:4)",
		"a:1 and (b:2 or (c:3 and d:4))",
		"2 of (a:1 and b:2, c:3, d:4 or a:1)",
		"a:1 and b:2 and c:3 and d:4",
	};
	size_t i;

	for (i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		check_policy(policies[i]);
}

/* A random formula over the universe, depth-bounded. */
static void random_policy(char *out, size_t len, int depth)
{
	int kind = depth <= 0 ? 0 : (int)(next() % 4);
	unsigned int n, k, i;
	size_t used;

	if (kind == 0) {
		snprintf(out, len, "%s", universe[next() % UNIVERSE]);
		return;
	}
	n = 2 + (unsigned int)(next() % 2);
	k = kind == 1 ? 1 : kind == 2 ? n : 1 + (unsigned int)(next() % n);
	used = (size_t)snprintf(out, len, "%u of (", k);
	for (i = 0; i < n; i++) {
		random_policy(out + used, len - used, depth - 1);
		used += strlen(out + used);
		used += (size_t)snprintf(out + used, len - used, i + 1 < n ? ", " : ")");
	}
}

static void random_policies(void **state)
{
	char text[1024];
	int i;

	for (i = 0; i < 12; i++) {
		random_policy(text, sizeof(text), 2);
		check_policy(text);
	}
}

/* Users holding a:1 and b:2 separately cannot pool them for "a:1 and b:2". */
static void no_collusion(void **state)
{
	struct cyl_abe_policy *policy = parse("a:1 and b:2");
	struct cyl_fame_key pooled = subset_key[1];	/* a:1's key ... */
	cyl_g1 k[2][3];
	struct cyl_fame_ct ct;
	cyl_fp12 kem, got;
	char *attrs[2] = { (char *)"a:1", (char *)"b:2" };

	assert_int_equal(cyl_fame_encrypt(&ct, &kem, &pk, policy), 0);
	/* ... with b:2's component from the other user's key */
	memcpy(k[0], subset_key[1].k[0], sizeof(k[0]));
	memcpy(k[1], subset_key[2].k[0], sizeof(k[1]));
	pooled.attrs = attrs;
	pooled.n_attrs = 2;
	pooled.k = k;
	assert_int_equal(cyl_fame_decrypt(&got, &pooled, &ct), 0);
	assert_false(cyl_fp12_eq(&got, &kem));
	/* and the same with the other user's k0 and kp */
	memcpy(pooled.k0, subset_key[2].k0, sizeof(pooled.k0));
	memcpy(pooled.kp, subset_key[2].kp, sizeof(pooled.kp));
	assert_int_equal(cyl_fame_decrypt(&got, &pooled, &ct), 0);
	assert_false(cyl_fp12_eq(&got, &kem));
	/* while the genuine key of both works */
	assert_int_equal(cyl_fame_decrypt(&got, &subset_key[3], &ct), 0);
	assert_true(cyl_fp12_eq(&got, &kem));
	cyl_fame_ct_free(&ct);
	cyl_abe_policy_free(policy);
}

static void wrong_authority_and_tampering(void **state)
{
	struct cyl_abe_policy *policy = parse("a:1 or b:2");
	const char *attrs[] = { "a:1" };
	struct cyl_fame_msk other_msk;
	struct cyl_fame_pk other_pk;
	struct cyl_fame_key other;
	struct cyl_fame_ct ct;
	cyl_fp12 kem, got;
	cyl_g1 saved;
	cyl_g2 saved2;

	assert_int_equal(cyl_fame_setup(&other_pk, &other_msk), 0);
	assert_int_equal(cyl_fame_keygen(&other, &other_msk, attrs, 1), 0);
	assert_int_equal(cyl_fame_encrypt(&ct, &kem, &pk, policy), 0);
	assert_int_equal(cyl_fame_decrypt(&got, &other, &ct), 0);
	assert_false(cyl_fp12_eq(&got, &kem));

	saved = ct.c[0][1];
	cyl_g1_add(&ct.c[0][1], &ct.c[0][1], &cyl_g1_generator);
	assert_int_equal(cyl_fame_decrypt(&got, &subset_key[1], &ct), 0);
	assert_false(cyl_fp12_eq(&got, &kem));
	ct.c[0][1] = saved;
	saved2 = ct.c0[2];
	cyl_g2_dbl(&ct.c0[2], &ct.c0[2]);
	assert_int_equal(cyl_fame_decrypt(&got, &subset_key[1], &ct), 0);
	assert_false(cyl_fp12_eq(&got, &kem));
	ct.c0[2] = saved2;
	assert_int_equal(cyl_fame_decrypt(&got, &subset_key[1], &ct), 0);
	assert_true(cyl_fp12_eq(&got, &kem));

	/* a ciphertext whose rows do not match its policy is refused */
	ct.rows--;
	assert_int_equal(cyl_fame_decrypt(&got, &subset_key[1], &ct), -EINVAL);
	ct.rows++;

	cyl_fame_ct_free(&ct);
	cyl_fame_key_free(&other);
	cyl_fame_msk_clear(&other_msk);
	cyl_abe_policy_free(policy);
}

static void keygen_refuses_duplicates(void **state)
{
	const char *attrs[] = { "a:1", "b:2", "a:1" };
	struct cyl_fame_key key;

	assert_int_equal(cyl_fame_keygen(&key, &msk, attrs, 3), -EINVAL);
}

static void pk_from_msk_matches(void **state)
{
	struct cyl_fame_pk again;
	int i;

	cyl_fame_pk_from_msk(&again, &msk);
	for (i = 0; i < 2; i++) {
		assert_true(cyl_g2_eq(&again.h_a[i], &pk.h_a[i]));
		assert_true(cyl_fp12_eq(&again.e_gh_ka[i], &pk.e_gh_ka[i]));
	}
}

typedef int (*decode_fn)(const uint8_t *in, size_t len, char *err, size_t errlen);

static int decode_pk(const uint8_t *in, size_t len, char *err, size_t errlen)
{
	struct cyl_fame_pk p;

	return cyl_abe_pk_decode(&p, in, len, err, errlen);
}

static int decode_msk(const uint8_t *in, size_t len, char *err, size_t errlen)
{
	struct cyl_fame_msk m;

	return cyl_abe_msk_decode(&m, in, len, err, errlen);
}

static int decode_key(const uint8_t *in, size_t len, char *err, size_t errlen)
{
	struct cyl_abe_key_meta meta;
	struct cyl_fame_key k;
	int ret = cyl_abe_key_decode(&k, &meta, in, len, err, errlen);

	if (!ret) {
		cyl_fame_key_free(&k);
		cyl_abe_key_meta_free(&meta);
	}
	return ret;
}

static int decode_ct(const uint8_t *in, size_t len, char *err, size_t errlen)
{
	struct cyl_fame_ct c;
	int ret = cyl_abe_ct_decode(&c, in, len, err, errlen);

	if (!ret)
		cyl_fame_ct_free(&c);
	return ret;
}

/*
 * Proper prefixes are refused with an offset (every one in the header,
 * then every 7th and the last ones: each decode checks subgroups, and all
 * of them would take a minute); so is a trailing byte.
 */
static void check_truncations(const uint8_t *buf, size_t len, decode_fn decode)
{
	uint8_t *longer = malloc(len + 1);
	char err[256];
	size_t cut;

	assert_int_equal(decode(buf, len, err, sizeof(err)), 0);
	for (cut = 0; cut < len; cut += cut < 64 || cut + 8 > len ? 1 : 7) {
		err[0] = '\0';
		if (decode(buf, cut, err, sizeof(err)) != -EINVAL)
			fail_msg("a prefix of %zu of %zu bytes was accepted", cut, len);
		assert_non_null(strstr(err, "offset"));
	}
	memcpy(longer, buf, len);
	longer[len] = 0;
	assert_int_equal(decode(longer, len + 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "trailing bytes"));
	longer[0] ^= 1;
	assert_int_equal(decode(longer, len, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "magic"));
	longer[0] ^= 1;
	longer[4] = 2;
	assert_int_equal(decode(longer, len, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unsupported version"));
	free(longer);
}

static void encodings_round_trip(void **state)
{
	struct cyl_abe_key_meta meta = { .subject = (char *)"did:key:z6MkExample",
					 .not_after = 1893456000 };
	struct cyl_abe_policy *policy = parse("(a:1 and b:2) or 2 of (c:3, d:4, a:1)");
	struct cyl_abe_key_meta meta2;
	struct cyl_fame_key key2;
	struct cyl_fame_ct ct, ct2;
	struct cyl_fame_msk msk2;
	struct cyl_fame_pk pk2;
	uint8_t *b1, *b2;
	size_t l1, l2;
	cyl_fp12 kem, got;
	char err[256];

	assert_int_equal(cyl_abe_pk_encode(&pk, &b1, &l1), 0);
	assert_int_equal(cyl_abe_pk_decode(&pk2, b1, l1, err, sizeof(err)), 0);
	assert_int_equal(cyl_abe_pk_encode(&pk2, &b2, &l2), 0);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	check_truncations(b1, l1, decode_pk);
	free(b1);
	free(b2);

	assert_int_equal(cyl_abe_msk_encode(&msk, &b1, &l1), 0);
	assert_int_equal(cyl_abe_msk_decode(&msk2, b1, l1, err, sizeof(err)), 0);
	assert_int_equal(cyl_abe_msk_encode(&msk2, &b2, &l2), 0);
	assert_memory_equal(b1, b2, l1);
	check_truncations(b1, l1, decode_msk);
	memset(b1 + 5, 0, CYL_FR_BYTES);	/* a zero secret */
	assert_int_equal(cyl_abe_msk_decode(&msk2, b1, l1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "a[0]: scalar is zero"));
	memset(b1 + 5, 0xff, CYL_FR_BYTES);	/* a secret above r */
	assert_int_equal(cyl_abe_msk_decode(&msk2, b1, l1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not below the group order"));
	free(b1);
	free(b2);

	assert_int_equal(cyl_abe_key_encode(&subset_key[0xb], &meta, &b1, &l1), 0);
	assert_int_equal(cyl_abe_key_decode(&key2, &meta2, b1, l1, err, sizeof(err)), 0);
	assert_string_equal(meta2.subject, meta.subject);
	assert_int_equal(meta2.not_after, meta.not_after);
	assert_int_equal(cyl_abe_key_encode(&key2, &meta2, &b2, &l2), 0);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	check_truncations(b1, l1, decode_key);
	free(b2);

	assert_int_equal(cyl_fame_encrypt(&ct, &kem, &pk, policy), 0);
	assert_int_equal(cyl_abe_ct_encode(&ct, &b2, &l2), 0);
	assert_int_equal(cyl_abe_ct_decode(&ct2, b2, l2, err, sizeof(err)), 0);
	assert_int_equal(cyl_fame_decrypt(&got, &key2, &ct2), 0);
	assert_true(cyl_fp12_eq(&got, &kem));
	check_truncations(b2, l2, decode_ct);
	/* a point off the curve inside the ciphertext is named */
	b2[l2 - 1] ^= 0x5a;
	assert_int_equal(cyl_abe_ct_decode(&ct2, b2, l2, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "c["));
	cyl_fame_ct_free(&ct);
	cyl_fame_key_free(&key2);
	cyl_abe_key_meta_free(&meta2);
	free(b1);
	free(b2);
	cyl_abe_policy_free(policy);
}

/* The key's attributes must be sorted, distinct and well formed. */
static void key_decode_checks_attributes(void **state)
{
	struct cyl_abe_key_meta meta = { .subject = (char *)"" }, meta2;
	struct cyl_fame_key key2;
	uint8_t *buf;
	size_t len;
	char err[256];

	assert_int_equal(cyl_abe_key_encode(&subset_key[3], &meta, &buf, &len), 0);
	/* header 5, subject length 2, not_after 8, count 2, then "a:1" */
	assert_int_equal(buf[17], 3);
	assert_memory_equal(buf + 18, "a:1", 3);
	buf[18] = 'c';		/* "c:1" then "b:2": out of order */
	assert_int_equal(cyl_abe_key_decode(&key2, &meta2, buf, len, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "sorted"));
	buf[18] = ' ';
	assert_int_equal(cyl_abe_key_decode(&key2, &meta2, buf, len, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "attribute 0"));
	buf[18] = 'b';
	buf[20] = '2';		/* "b:2" twice */
	assert_int_equal(cyl_abe_key_decode(&key2, &meta2, buf, len, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "distinct"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pk_from_msk_matches),
		cmocka_unit_test(decrypts_exactly_when_satisfied),
		cmocka_unit_test(random_policies),
		cmocka_unit_test(no_collusion),
		cmocka_unit_test(wrong_authority_and_tampering),
		cmocka_unit_test(keygen_refuses_duplicates),
		cmocka_unit_test(encodings_round_trip),
		cmocka_unit_test(key_decode_checks_attributes),
	};

	return cmocka_run_group_tests(tests, setup_keys, teardown_keys);
}
