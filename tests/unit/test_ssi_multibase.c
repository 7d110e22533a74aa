// SPDX-License-Identifier: GPL-2.0
/*
 * Multibase and multicodec (agent/ssi/multibase.c): base58btc against
 * Bitcoin Core's vectors, the multibase spec's "Hello World!" and the
 * did:key of the W3C eddsa-jcs-2022 vectors; base64url against RFC 4648's
 * vectors; refusals of everything non-canonical (padding, trailing bits,
 * characters outside the alphabet, with their offsets), of empty and
 * over-long input; varints from the multicodec table, and non-minimal,
 * truncated and over-long ones refused.
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

#include "ssi/multibase.h"

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t i, n = strlen(hex) / 2;
	unsigned int b;

	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
	return n;
}

/* @text encodes the bytes @hex, and decodes back to them. */
static void both_ways(const char *hex, const char *text)
{
	uint8_t bytes[512], *dec;
	size_t n = unhex(hex, bytes), len;
	char err[128] = "", *enc;

	assert_int_equal(cyl_multibase_encode(text[0], bytes, n, &enc), 0);
	assert_string_equal(enc, text);
	free(enc);
	assert_int_equal(cyl_multibase_decode(text, &dec, &len, err, sizeof(err)), 0);
	assert_int_equal(len, n);
	assert_memory_equal(dec, bytes, n);
	free(dec);
}

/* @text is refused with a message containing @why. */
static void refused(const char *text, const char *why)
{
	uint8_t *dec = NULL;
	size_t len = 0;
	char err[128] = "";

	assert_int_equal(cyl_multibase_decode(text, &dec, &len, err, sizeof(err)), -EINVAL);
	assert_null(dec);
	if (!strstr(err, why))
		fail_msg("\"%s\": \"%s\", expected \"%s\"", text, err, why);
}

/* Bitcoin Core, src/test/data/base58_encode_decode.json (all but the empty one). */
static void test_base58_bitcoin(void **state)
{
	static const char *const v[][2] = {
		{ "61", "z2g" },
		{ "626262", "za3gV" },
		{ "636363", "zaPEr" },
		{ "73696d706c792061206c6f6e6720737472696e67", "z2cFupjhnEsSn59qHXstmK2ffpLv2" },
		{ "00eb15231dfceb60925886b67d065299925915aeb172c06647",
		  "z1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L" },
		{ "516b6fcd0f", "zABnLTmg" },
		{ "bf4f89001e670274dd", "z3SEo3LWLoPntC" },
		{ "572e4794", "z3EFU7m" },
		{ "ecac89cad93923c02321", "zEJDM8drfXA6uyA" },
		{ "10c8511e", "zRt5zm" },
		{ "00000000000000000000", "z1111111111" },
		{ "0000000000000000000000000000000000000000000000000000000000000000000000"
		  "0000000001", "z1111111111111111111111111111111111111112" },
		{ "000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6d"
		  "d43dc62a641155a5",
		  "z123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz" },
		{ "271F359E", "zzzzzy" },
		{ "271F359F", "zzzzzz" },
		{ "271F35A0", "z211111" },
		{ "271F35A1", "z211112" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		both_ways(v[i][0], v[i][1]);
}

/* Every byte value, 0x00 to 0xff, also from Bitcoin Core's vectors. */
static void test_base58_all_bytes(void **state)
{
	uint8_t bytes[256], *dec;
	char err[128], *enc;
	size_t i, len;

	for (i = 0; i < 256; i++)
		bytes[i] = i;
	assert_int_equal(cyl_multibase_encode('z', bytes, 256, &enc), 0);
	assert_string_equal(enc,
		"z1cWB5HCBdLjAuqGGReWE3R3CguuwSjw6RHn39s2yuDRTS5NsBgNiFpWgAnEx6VQi8csexkgYw3md"
		"YrMHr8x9i7aEwP8kZ7vccXWqKDvGv3u1GxFKPuAkn8JCPPGDMf3vMMnbzm6Nh9zh1gcNsMvH3ZNL"
		"mP5fSG6DGbbi2tuwMWPthr4boWwCxf7ewSgNQeacyozhKDDQQ1qL5fQFUW52QKUZDZ5fw3KXNQJ"
		"McNTcaB723LchjeKun7MuGW5qyCBZYzA1KjofN1gYBV3NqyhQJ3Ns746GNuf9N2pQPmHz4xpnSrr"
		"fCvy6TVVz5d4PdrjeshsWQwpZsZGzvbdAdN8MKV5QsBDY");
	assert_int_equal(cyl_multibase_decode(enc, &dec, &len, err, sizeof(err)), 0);
	assert_int_equal(len, 256);
	assert_memory_equal(dec, bytes, 256);
	free(dec);
	free(enc);
}

/* The multibase spec's example, and leading zero bytes as '1's. */
static void test_base58_hello_and_zeros(void **state)
{
	both_ways("48656c6c6f20576f726c6421", "z2NEpo7TZRRrLZSi2U");	/* "Hello World!" */
	both_ways("00", "z1");
	both_ways("0000", "z11");
	both_ways("000001", "z112");
	both_ways("000039", "z11z");
	both_ways("00003a", "z1121");
	both_ways("01", "z2");
}

/* The did:key of the W3C vc-di-eddsa vectors (keyPair.json): 0xed 0x01 and 32 bytes. */
static void test_didkey_vector(void **state)
{
	static const char pub[] = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
	static const char priv[] = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
	uint8_t want[32], *dec;
	const uint8_t *body;
	size_t len, blen;
	uint64_t code;
	char err[128];

	both_ways("ed01b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f", pub);
	assert_int_equal(cyl_multibase_decode(pub, &dec, &len, err, sizeof(err)), 0);
	assert_int_equal(len, 34);
	assert_int_equal(dec[0], 0xed);
	assert_int_equal(dec[1], 0x01);
	assert_int_equal(cyl_multicodec_split(dec, len, &code, &body, &blen), 0);
	assert_int_equal(code, CYL_MC_ED25519_PUB);
	assert_int_equal(blen, 32);
	unhex("b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f", want);
	assert_memory_equal(body, want, 32);
	free(dec);

	/* The private key: multicodec 0x1300, the Ed25519 seed. */
	assert_int_equal(cyl_multibase_decode(priv, &dec, &len, err, sizeof(err)), 0);
	assert_int_equal(len, 34);
	assert_int_equal(cyl_multicodec_split(dec, len, &code, &body, &blen), 0);
	assert_int_equal(code, CYL_MC_ED25519_PRIV);
	assert_int_equal(blen, 32);
	assert_ptr_equal(body, dec + 2);
	free(dec);
}

static void test_base58_refused(void **state)
{
	char err[64], *big;
	uint8_t *dec;
	size_t len;

	refused("", "empty");
	refused("z", "empty");
	refused("u", "empty");
	refused("Z2g", "'Z' at offset 0 is not a known multibase prefix");
	refused("m2g", "at offset 0");
	refused("z2g0", "'0' at offset 3 is not base58btc");
	refused("zO", "'O' at offset 1");
	refused("z2Il", "'I' at offset 2");
	refused("z22l", "'l' at offset 3");
	refused("z2 g", "byte 0x20 at offset 2");
	refused("z2\xc3\xa9", "byte 0xc3 at offset 2");
	refused("z2g+", "'+' at offset 3");

	/* 1024 bytes pass, 1025 do not: zero bytes are one character each. */
	big = malloc(2 * CYL_MULTIBASE_B58_MAX + 2);
	assert_non_null(big);
	big[0] = 'z';
	memset(big + 1, '1', CYL_MULTIBASE_B58_MAX + 1);
	big[CYL_MULTIBASE_B58_MAX + 2] = '\0';
	refused(big, "more than 1024 bytes");
	big[CYL_MULTIBASE_B58_MAX + 1] = '\0';
	assert_int_equal(cyl_multibase_decode(big, &dec, &len, err, sizeof(err)), 0);
	assert_int_equal(len, CYL_MULTIBASE_B58_MAX);
	free(dec);
	/* Large digits: 1400 'z's are a number of more than 1024 bytes. */
	memset(big + 1, 'z', 1400);
	big[1401] = '\0';
	refused(big, "more than 1024 bytes");
	/* And a long text is refused before any arithmetic. */
	memset(big + 1, '2', 2 * CYL_MULTIBASE_B58_MAX);
	big[2 * CYL_MULTIBASE_B58_MAX + 1] = '\0';
	refused(big, "more than 1024 bytes");
	free(big);
}

/* RFC 4648 section 10, unpadded, and the two characters base64url changes. */
static void test_base64url_vectors(void **state)
{
	both_ways("66", "uZg");
	both_ways("666f", "uZm8");
	both_ways("666f6f", "uZm9v");
	both_ways("666f6f62", "uZm9vYg");
	both_ways("666f6f6261", "uZm9vYmE");
	both_ways("666f6f626172", "uZm9vYmFy");
	both_ways("fbff", "u-_8");
	both_ways("fbffbf", "u-_-_");
	both_ways("00", "uAA");
	both_ways("000000", "uAAAA");
}

/* Every length up to 200, every byte value: decode(encode(x)) == x. */
static void test_base64url_round_trip(void **state)
{
	uint8_t buf[200], *dec;
	size_t n, i, len;
	char err[64], *enc;

	for (n = 1; n <= sizeof(buf); n++) {
		for (i = 0; i < n; i++)
			buf[i] = (uint8_t)(i * 37 + n * 11);
		assert_int_equal(cyl_multibase_encode('u', buf, n, &enc), 0);
		assert_int_equal(strlen(enc), 1 + (4 * n + 2) / 3);
		assert_null(strpbrk(enc, "=+/"));
		assert_int_equal(cyl_multibase_decode(enc, &dec, &len, err, sizeof(err)), 0);
		assert_int_equal(len, n);
		assert_memory_equal(dec, buf, n);
		free(dec);
		free(enc);
	}
}

static void test_base64url_refused(void **state)
{
	uint8_t *zeros, *dec;
	char err[64], *enc;
	size_t len;

	refused("uZg==", "padding at offset 3");
	refused("uZm8=", "padding at offset 4");
	refused("uZh", "non-zero trailing bits at offset 2");
	refused("uZm9", "non-zero trailing bits at offset 3");
	refused("uZm9vZ", "5 characters, not a whole number of bytes");
	refused("uZ", "1 characters");
	refused("uZm+v", "'+' at offset 3 is not base64url");
	refused("uZm/v", "'/' at offset 3");
	refused("uZm9v\n", "byte 0x0a at offset 5");

	/* CYL_MULTIBASE_MAX bytes pass, one more does not. */
	zeros = calloc(CYL_MULTIBASE_MAX + 1, 1);
	assert_non_null(zeros);
	assert_int_equal(cyl_multibase_encode('u', zeros, CYL_MULTIBASE_MAX + 1, &enc), 0);
	refused(enc, "more than 65536 bytes");
	free(enc);
	assert_int_equal(cyl_multibase_encode('u', zeros, CYL_MULTIBASE_MAX, &enc), 0);
	assert_int_equal(cyl_multibase_decode(enc, &dec, &len, err, sizeof(err)), 0);
	assert_int_equal(len, CYL_MULTIBASE_MAX);
	assert_memory_equal(dec, zeros, len);
	free(dec);
	free(enc);
	free(zeros);
}

static void test_encode_bases(void **state)
{
	char *out = NULL;

	assert_int_equal(cyl_multibase_encode('m', (const uint8_t *)"a", 1, &out), -EINVAL);
	assert_null(out);
	assert_int_equal(cyl_multibase_encode('z', (const uint8_t *)"", 0, &out), 0);
	assert_string_equal(out, "z");
	free(out);
	assert_int_equal(cyl_multibase_encode('u', (const uint8_t *)"", 0, &out), 0);
	assert_string_equal(out, "u");
	free(out);
}

static void varint_is(uint64_t code, const char *hex)
{
	uint8_t want[10], got[10], buf[12];
	size_t n = unhex(hex, want), blen;
	const uint8_t *body;
	uint64_t back;

	assert_int_equal(cyl_multicodec_put(code, got), n);
	assert_memory_equal(got, want, n);
	if (n > 9)
		return;
	/* Split it back, with two body bytes after it. */
	memcpy(buf, want, n);
	buf[n] = 0xaa;
	buf[n + 1] = 0x55;
	assert_int_equal(cyl_multicodec_split(buf, n + 2, &back, &body, &blen), 0);
	assert_int_equal(back, code);
	assert_ptr_equal(body, buf + n);
	assert_int_equal(blen, 2);
}

/* The multicodec table's codes, and the unsigned-varint spec's examples. */
static void test_varint_vectors(void **state)
{
	varint_is(CYL_MC_ED25519_PUB, "ed01");
	varint_is(CYL_MC_P256_PUB, "8024");
	varint_is(CYL_MC_ED25519_PRIV, "8026");
	varint_is(CYL_MC_P256_PRIV, "8626");
	varint_is(0, "00");
	varint_is(1, "01");
	varint_is(127, "7f");
	varint_is(128, "8001");
	varint_is(255, "ff01");
	varint_is(300, "ac02");
	varint_is(16384, "808001");
	varint_is(0x7fffffffffffffffULL, "ffffffffffffffff7f");
	varint_is(UINT64_MAX, "ffffffffffffffffff01");	/* 10 bytes: written, not read */
}

static void split_refused(const char *hex)
{
	uint8_t buf[16];
	size_t n = unhex(hex, buf), blen;
	const uint8_t *body;
	uint64_t code;

	if (cyl_multicodec_split(buf, n, &code, &body, &blen) != -EINVAL)
		fail_msg("varint %s accepted", hex);
}

static void test_varint_refused(void **state)
{
	const uint8_t *body;
	uint64_t code;
	size_t blen;

	assert_int_equal(cyl_multicodec_split(NULL, 0, &code, &body, &blen), -EINVAL);
	split_refused("80");			/* truncated */
	split_refused("ed");
	split_refused("ffffffff");
	split_refused("8000");			/* 0 in two bytes */
	split_refused("ed8100");		/* 0xed in three bytes */
	split_refused("ff00");
	split_refused("ffffffffffffffffff01");	/* ten bytes */
	split_refused("808080808080808080");	/* nine, still continued */
	split_refused("80808080808080808001");	/* 1 << 63 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base58_bitcoin),
		cmocka_unit_test(test_base58_all_bytes),
		cmocka_unit_test(test_base58_hello_and_zeros),
		cmocka_unit_test(test_didkey_vector),
		cmocka_unit_test(test_base58_refused),
		cmocka_unit_test(test_base64url_vectors),
		cmocka_unit_test(test_base64url_round_trip),
		cmocka_unit_test(test_base64url_refused),
		cmocka_unit_test(test_encode_bases),
		cmocka_unit_test(test_varint_vectors),
		cmocka_unit_test(test_varint_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
