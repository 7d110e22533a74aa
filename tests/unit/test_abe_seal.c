// SPDX-License-Identifier: GPL-2.0
/*
 * Sealed files and key armour: payloads of every size around the chunk
 * boundaries come back byte for byte; a key that does not satisfy the
 * policy is refused before any output; any byte changed anywhere in the
 * file, a chunk dropped, the file cut at any chunk boundary or extended,
 * all fail authentication with nothing written for the chunk concerned;
 * armour round-trips and refuses the wrong label, bad base64 and a missing
 * END line, naming the line.
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

#include "abe/armour.h"
#include "abe/seal.h"

static struct cyl_fame_pk pk;
static struct cyl_fame_msk msk;
static struct cyl_fame_key icu_key, dpo_key, nurse_key;

static int setup(void **state)
{
	const char *icu[] = { "role:cardiologist", "ward:ICU" };
	const char *dpo[] = { "role:dpo" };
	const char *nurse[] = { "role:nurse", "ward:ICU" };

	if (cyl_fame_setup(&pk, &msk) ||
	    cyl_fame_keygen(&icu_key, &msk, icu, 2) ||
	    cyl_fame_keygen(&dpo_key, &msk, dpo, 1) ||
	    cyl_fame_keygen(&nurse_key, &msk, nurse, 2))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	cyl_fame_key_free(&icu_key);
	cyl_fame_key_free(&dpo_key);
	cyl_fame_key_free(&nurse_key);
	cyl_fame_msk_clear(&msk);
	return 0;
}

static uint8_t *pattern(size_t len)
{
	uint8_t *p = malloc(len ? len : 1);
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 131 + (i >> 8));
	return p;
}

/* Seal @len bytes under the usual policy; returns the sealed bytes. */
static uint8_t *seal(size_t len, size_t *out_len)
{
	struct cyl_abe_policy *policy;
	uint8_t *data = pattern(len);
	char *sealed = NULL, err[256];
	FILE *in, *out;
	size_t n = 0;

	assert_int_equal(cyl_abe_policy_parse("(role:cardiologist and ward:ICU) or role:dpo",
					      &policy, err, sizeof(err)), 0);
	in = fmemopen(data, len ? len : 1, "rb");
	if (!len)
		fgetc(in);	/* fmemopen wants a size of at least 1: read it away */
	out = open_memstream(&sealed, &n);
	assert_int_equal(cyl_seal(in, out, &pk, policy, err, sizeof(err)), 0);
	fclose(in);
	fclose(out);
	free(data);
	cyl_abe_policy_free(policy);
	*out_len = n;
	return (uint8_t *)sealed;
}

/* Unseal; returns the errno and the plaintext written. */
static int unseal(const uint8_t *sealed, size_t len, const struct cyl_fame_key *key,
		  char **plain, size_t *plain_len, char *err, size_t errlen)
{
	FILE *in = fmemopen((void *)sealed, len, "rb"), *out;
	int ret;

	*plain = NULL;
	out = open_memstream(plain, plain_len);
	ret = cyl_unseal(in, out, key, err, errlen);
	fclose(in);
	fclose(out);
	return ret;
}

static void round_trips(void **state)
{
	static const size_t sizes[] = { 0, 1, 100, CYL_SEAL_CHUNK - 1, CYL_SEAL_CHUNK,
					CYL_SEAL_CHUNK + 1, 3 * CYL_SEAL_CHUNK };
	size_t i, slen, plen;
	uint8_t *sealed, *want;
	char *plain, err[256];

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		sealed = seal(sizes[i], &slen);
		want = pattern(sizes[i]);
		assert_int_equal(unseal(sealed, slen, &icu_key, &plain, &plen, err,
					sizeof(err)), 0);
		assert_int_equal(plen, sizes[i]);
		assert_memory_equal(plain, want, sizes[i]);
		free(plain);
		assert_int_equal(unseal(sealed, slen, &dpo_key, &plain, &plen, err,
					sizeof(err)), 0);
		assert_int_equal(plen, sizes[i]);
		free(plain);
		free(want);
		free(sealed);
	}
}

static void unsatisfied_key_refused(void **state)
{
	size_t slen, plen;
	uint8_t *sealed = seal(1000, &slen);
	char *plain, err[256];

	assert_int_equal(unseal(sealed, slen, &nurse_key, &plain, &plen, err, sizeof(err)),
			 -EACCES);
	assert_int_equal(plen, 0);
	assert_non_null(strstr(err, "do not satisfy the policy"));
	assert_non_null(strstr(err, "role:dpo"));
	free(plain);
	free(sealed);
}

/* Flip one byte at every position of a two-chunk file (sampled in bulk). */
static void any_change_detected(void **state)
{
	size_t slen, plen, pos, step, header;
	uint8_t *sealed = seal(CYL_SEAL_CHUNK + 10, &slen);
	char *plain, err[256];
	int ret;

	header = slen - (CYL_SEAL_CHUNK + 10) - 2 * CYL_SEAL_TAG;
	for (pos = 0; pos < slen; pos += step) {
		/* every header byte (cheap to reject) then a sample of the payload */
		step = pos < 64 ? 1 : pos < header ? 97 : 4099;
		sealed[pos] ^= 0x01;
		ret = unseal(sealed, slen, &icu_key, &plain, &plen, err, sizeof(err));
		sealed[pos] ^= 0x01;
		if (!ret)
			fail_msg("byte %zu changed went unnoticed", pos);
		/* nothing of the changed chunk (nor later ones) came out */
		if (pos >= header + CYL_SEAL_CHUNK + CYL_SEAL_TAG)
			assert_int_equal(plen, CYL_SEAL_CHUNK);
		else
			assert_int_equal(plen, 0);
		free(plain);
	}
	free(sealed);
}

static void truncation_and_extension_detected(void **state)
{
	size_t slen, plen, header, first;
	uint8_t *sealed = seal(2 * CYL_SEAL_CHUNK + 5, &slen), *longer;
	char *plain, err[256];

	header = slen - (2 * CYL_SEAL_CHUNK + 5) - 3 * CYL_SEAL_TAG;
	first = header + CYL_SEAL_CHUNK + CYL_SEAL_TAG;
	/* cut at the chunk boundaries, and in the middle of a tag */
	assert_int_equal(unseal(sealed, first, &icu_key, &plain, &plen, err, sizeof(err)),
			 -EBADMSG);
	free(plain);
	assert_int_equal(unseal(sealed, first + CYL_SEAL_CHUNK + CYL_SEAL_TAG, &icu_key,
				&plain, &plen, err, sizeof(err)), -EBADMSG);
	free(plain);
	assert_int_equal(unseal(sealed, slen - 3, &icu_key, &plain, &plen, err,
				sizeof(err)), -EBADMSG);
	free(plain);
	assert_int_equal(unseal(sealed, header, &icu_key, &plain, &plen, err, sizeof(err)),
			 -EBADMSG);
	assert_non_null(strstr(err, "chunk 0"));
	free(plain);
	assert_int_equal(unseal(sealed, header - 1, &icu_key, &plain, &plen, err,
				sizeof(err)), -EINVAL);
	free(plain);
	/* a chunk dropped: the second one removed */
	longer = malloc(slen);
	memcpy(longer, sealed, first);
	memcpy(longer + first, sealed + first + CYL_SEAL_CHUNK + CYL_SEAL_TAG,
	       slen - first - CYL_SEAL_CHUNK - CYL_SEAL_TAG);
	assert_int_equal(unseal(longer, slen - CYL_SEAL_CHUNK - CYL_SEAL_TAG, &icu_key,
				&plain, &plen, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "chunk 1"));
	free(plain);
	free(longer);
	/* extended: bytes after the last chunk */
	longer = malloc(slen + 20);
	memcpy(longer, sealed, slen);
	memset(longer + slen, 0, 20);
	assert_int_equal(unseal(longer, slen + 20, &icu_key, &plain, &plen, err,
				sizeof(err)), -EBADMSG);
	free(plain);
	free(longer);
	free(sealed);
}

static void not_a_sealed_file(void **state)
{
	static const uint8_t junk[] = "CYLABX\x01\x01\0\0\0\0";
	uint8_t bad[12];
	size_t plen;
	char *plain, err[256];

	assert_int_equal(unseal(junk, sizeof(junk), &icu_key, &plain, &plen, err,
				sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a sealed file"));
	free(plain);
	memcpy(bad, "CYLABE\x02\x01\0\0\0\0", 12);
	assert_int_equal(unseal(bad, 12, &icu_key, &plain, &plen, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "unsupported version 2"));
	free(plain);
	memcpy(bad, "CYLABE\x01\x01\xff\0\0\0", 12);
	assert_int_equal(unseal(bad, 12, &icu_key, &plain, &plen, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "beyond"));
	free(plain);
}

static void armour(void **state)
{
	static const uint8_t data[] = "any binary \x00\x01\xff bytes, of odd length";
	uint8_t *back;
	char *text, *mangled, err[256];
	size_t len, n;

	for (n = 0; n <= sizeof(data); n++) {
		assert_int_equal(cyl_armour_encode(CYL_ARMOUR_KEY, data, n, &text), 0);
		assert_int_equal(cyl_armour_decode(text, strlen(text), CYL_ARMOUR_KEY, &back,
						   &len, err, sizeof(err)), n ? 0 : -EINVAL);
		if (n) {
			assert_int_equal(len, n);
			assert_memory_equal(back, data, n);
			free(back);
		}
		free(text);
	}
	assert_int_equal(cyl_armour_encode(CYL_ARMOUR_MSK, data, sizeof(data), &text), 0);
	assert_int_equal(cyl_armour_decode(text, strlen(text), CYL_ARMOUR_KEY, &back, &len,
					   err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "line 1: this is a \"" CYL_ARMOUR_MSK "\""));
	/* a comment before the block is fine; a bad character is not */
	mangled = malloc(strlen(text) + 32);
	sprintf(mangled, "# authority of ward ICU\n%s", text);
	assert_int_equal(cyl_armour_decode(mangled, strlen(mangled), CYL_ARMOUR_MSK, &back,
					   &len, err, sizeof(err)), 0);
	free(back);
	mangled[strlen("# authority of ward ICU\n") + strlen("-----BEGIN " CYL_ARMOUR_MSK
							    "-----\n") + 3] = '*';
	assert_int_equal(cyl_armour_decode(mangled, strlen(mangled), CYL_ARMOUR_MSK, &back,
					   &len, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "line 3: not a base64 line"));
	/* no END line, or a broken one */
	assert_int_equal(cyl_armour_decode(text, (size_t)(strstr(text, "-----END") - text),
					   CYL_ARMOUR_MSK, &back, &len, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "not closed"));
	assert_int_equal(cyl_armour_decode(text, strlen(text) - 10, CYL_ARMOUR_MSK, &back,
					   &len, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "expected \"-----END " CYL_ARMOUR_MSK "-----\""));
	assert_int_equal(cyl_armour_decode("hello\n", 6, CYL_ARMOUR_MSK, &back, &len, err,
					   sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no \"-----BEGIN"));
	free(mangled);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trips),
		cmocka_unit_test(unsatisfied_key_refused),
		cmocka_unit_test(any_change_detected),
		cmocka_unit_test(truncation_and_extension_detected),
		cmocka_unit_test(not_a_sealed_file),
		cmocka_unit_test(armour),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
