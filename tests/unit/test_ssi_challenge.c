// SPDX-License-Identifier: GPL-2.0
/*
 * Presentation challenges: their form (43 base64url characters, all
 * different), one use each (a second is "reused"), the TTL (valid up to,
 * not including, issue + TTL; then "expired"), look-alikes of a real
 * challenge ("unknown"), and a full table dropping its oldest challenge.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ssi/challenge.h"

static const char b64url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void test_form(void **state)
{
	static struct cyl_challenges c;
	char n[CYL_CHALLENGE_SLOTS][CYL_CHALLENGE_LEN + 1];
	unsigned int i, j, seen[256] = { 0 }, kinds = 0;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < CYL_CHALLENGE_SLOTS; i++) {
		assert_int_equal(cyl_challenge_issue(&c, 1000, 60, n[i]), 0);
		assert_int_equal(strlen(n[i]), CYL_CHALLENGE_LEN);
		assert_int_equal(strspn(n[i], b64url), CYL_CHALLENGE_LEN);
		for (j = 0; j < CYL_CHALLENGE_LEN; j++)
			seen[(unsigned char)n[i][j]]++;
		for (j = 0; j < i; j++)
			assert_string_not_equal(n[i], n[j]);
	}
	/* 11008 random characters cover the 64-letter alphabet, '-' and '_' too. */
	for (i = 0; i < 256; i++)
		kinds += !!seen[i];
	assert_int_equal(kinds, 64);
	/* The last character carries the 4 bits left of 256 (2 low bits zero). */
	for (i = 0; i < CYL_CHALLENGE_SLOTS; i++)
		assert_non_null(strchr("AEIMQUYcgkosw048", n[i][CYL_CHALLENGE_LEN - 1]));
}

static void test_once(void **state)
{
	static struct cyl_challenges c;
	char a[CYL_CHALLENGE_LEN + 1], b[CYL_CHALLENGE_LEN + 1];

	memset(&c, 0, sizeof(c));
	assert_int_equal(cyl_challenge_issue(&c, 100, 30, a), 0);
	assert_int_equal(cyl_challenge_issue(&c, 100, 30, b), 0);
	assert_int_equal(cyl_challenge_consume(&c, b, 110), CYL_CHALLENGE_OK);
	assert_int_equal(cyl_challenge_consume(&c, b, 111), CYL_CHALLENGE_REUSED);
	/* Used and then past its TTL: still named a replay. */
	assert_int_equal(cyl_challenge_consume(&c, b, 500), CYL_CHALLENGE_REUSED);
	assert_int_equal(cyl_challenge_consume(&c, a, 112), CYL_CHALLENGE_OK);
	assert_int_equal(cyl_challenge_consume(&c, a, 112), CYL_CHALLENGE_REUSED);
}

static void test_ttl(void **state)
{
	static struct cyl_challenges c;
	char a[CYL_CHALLENGE_LEN + 1], b[CYL_CHALLENGE_LEN + 1];

	memset(&c, 0, sizeof(c));
	assert_int_equal(cyl_challenge_issue(&c, 100, 30, a), 0);
	assert_int_equal(cyl_challenge_issue(&c, 100, 30, b), 0);
	assert_int_equal(cyl_challenge_consume(&c, a, 130), CYL_CHALLENGE_EXPIRED);
	/* An expired challenge is not consumed by the attempt. */
	assert_int_equal(cyl_challenge_consume(&c, a, 131), CYL_CHALLENGE_EXPIRED);
	assert_int_equal(cyl_challenge_consume(&c, b, 129), CYL_CHALLENGE_OK);

	assert_int_equal(cyl_challenge_issue(&c, 100, 0, a), 0);
	assert_int_equal(cyl_challenge_consume(&c, a, 100), CYL_CHALLENGE_EXPIRED);
}

static void test_unknown(void **state)
{
	static struct cyl_challenges c;
	char a[CYL_CHALLENGE_LEN + 1], x[CYL_CHALLENGE_LEN + 2];
	unsigned int i;

	memset(&c, 0, sizeof(c));
	assert_int_equal(cyl_challenge_consume(&c, "", 100), CYL_CHALLENGE_UNKNOWN);
	assert_int_equal(cyl_challenge_issue(&c, 100, 30, a), 0);
	assert_int_equal(cyl_challenge_consume(&c, NULL, 100), CYL_CHALLENGE_UNKNOWN);
	assert_int_equal(cyl_challenge_consume(&c, "", 100), CYL_CHALLENGE_UNKNOWN);
	/* Each character changed in turn. */
	for (i = 0; i < CYL_CHALLENGE_LEN; i++) {
		memcpy(x, a, sizeof(a));
		x[i] = x[i] == 'A' ? 'B' : 'A';
		assert_int_equal(cyl_challenge_consume(&c, x, 100), CYL_CHALLENGE_UNKNOWN);
	}
	/* A prefix, and the challenge with one more character. */
	memcpy(x, a, sizeof(a));
	x[CYL_CHALLENGE_LEN - 1] = '\0';
	assert_int_equal(cyl_challenge_consume(&c, x, 100), CYL_CHALLENGE_UNKNOWN);
	memcpy(x, a, CYL_CHALLENGE_LEN);
	x[CYL_CHALLENGE_LEN] = 'A';
	x[CYL_CHALLENGE_LEN + 1] = '\0';
	assert_int_equal(cyl_challenge_consume(&c, x, 100), CYL_CHALLENGE_UNKNOWN);
	/* None of those consumed it. */
	assert_int_equal(cyl_challenge_consume(&c, a, 100), CYL_CHALLENGE_OK);
}

static void test_eviction(void **state)
{
	static struct cyl_challenges c;
	static char n[CYL_CHALLENGE_SLOTS + 2][CYL_CHALLENGE_LEN + 1];
	unsigned int i;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < CYL_CHALLENGE_SLOTS + 2; i++)
		assert_int_equal(cyl_challenge_issue(&c, 100 + i, 3600, n[i]), 0);
	/* The two oldest made room for the two newest. */
	assert_int_equal(cyl_challenge_consume(&c, n[0], 400), CYL_CHALLENGE_UNKNOWN);
	assert_int_equal(cyl_challenge_consume(&c, n[1], 400), CYL_CHALLENGE_UNKNOWN);
	for (i = 2; i < CYL_CHALLENGE_SLOTS + 2; i++)
		assert_int_equal(cyl_challenge_consume(&c, n[i], 400), CYL_CHALLENGE_OK);
	/* Used ones go too, oldest first, when new ones come. */
	assert_int_equal(cyl_challenge_issue(&c, 500, 3600, n[0]), 0);
	assert_int_equal(cyl_challenge_consume(&c, n[2], 500), CYL_CHALLENGE_UNKNOWN);
	assert_int_equal(cyl_challenge_consume(&c, n[3], 500), CYL_CHALLENGE_REUSED);
	assert_int_equal(cyl_challenge_consume(&c, n[0], 500), CYL_CHALLENGE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_once),
		cmocka_unit_test(test_ttl),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_eviction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
