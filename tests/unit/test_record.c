// SPDX-License-Identifier: GPL-2.0
/*
 * Sealed records: AES-256-GCM pinned by the GCM specification's
 * known answers, seal/open round trips, a flipped bit anywhere refused,
 * and every header check.
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

#include "store/record.h"
#include "util/le.h"

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned int v;

	while (s[0] && s[1] && sscanf(s, "%2x", &v) == 1) {
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/*
 * McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", test
 * cases 13 to 16: the 256-bit key cases with a 96-bit IV.
 */
static const struct kat {
	const char *name, *key, *iv, *pt, *aad, *ct, *tag;
} kats[] = {
	{ "case 13",
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", "", "", "",
	  "530f8afbc74536b9a963b4f1c4cb738b" },
	{ "case 14",
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", "00000000000000000000000000000000", "",
	  "cea7403d4d606b6e074ec5d3baf39d18",
	  "d0d1c8a799996bf0265b98b5d48ab919" },
	{ "case 15",
	  "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	  "cafebabefacedbaddecaf888",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255", "",
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	  "b094dac5d93471bdec1a502270e3cc6c" },
	{ "case 16",
	  "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	  "cafebabefacedbaddecaf888",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
};

static void test_gcm_known_answers(void **state)
{
	uint8_t key[32], iv[12], pt[64], aad[32], ct[64], tag[16];
	uint8_t out[64], otag[16];
	size_t i, npt, naad;

	for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		print_message("# GCM %s\n", kats[i].name);
		assert_int_equal(unhex(kats[i].key, key), 32);
		assert_int_equal(unhex(kats[i].iv, iv), 12);
		npt = unhex(kats[i].pt, pt);
		naad = unhex(kats[i].aad, aad);
		assert_int_equal(unhex(kats[i].ct, ct), npt);
		assert_int_equal(unhex(kats[i].tag, tag), 16);

		assert_int_equal(cyl_gcm_seal(key, iv, aad, naad, pt, npt, out, otag), 0);
		assert_memory_equal(out, ct, npt);
		assert_memory_equal(otag, tag, 16);

		memset(out, 0xaa, sizeof(out));
		assert_int_equal(cyl_gcm_open(key, iv, aad, naad, ct, npt, tag, out), 0);
		assert_memory_equal(out, pt, npt);

		tag[15] ^= 1;
		assert_int_equal(cyl_gcm_open(key, iv, aad, naad, ct, npt, tag, out),
				 CYL_REC_EAUTH);
	}
}

static const uint8_t test_key[32] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};

static struct cyl_rec sample(uint64_t seq)
{
	struct cyl_rec rec = {
		.device_id = 7, .seq = seq, .ts_ns = 1700000000123456789ull,
		.framing = 2, .key_serial = 0x1234,
		.nonce = { 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 0, 0, 0, 9 },
	};

	return rec;
}

static void test_seal_open_round_trip(void **state)
{
	static const size_t lens[] = { 0, 1, 17, 4096, CYL_REC_LEN_MAX };
	uint8_t *plain = malloc(CYL_REC_LEN_MAX), *out = malloc(CYL_REC_SIZE_MAX);
	uint8_t *back = malloc(CYL_REC_LEN_MAX);
	struct cyl_rec rec, got;
	char err[160];
	size_t i, j;
	int n;

	assert_non_null(plain);
	assert_non_null(out);
	assert_non_null(back);
	for (j = 0; j < CYL_REC_LEN_MAX; j++)
		plain[j] = (uint8_t)(j * 31 + 7);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		rec = sample(i + 1);
		n = cyl_rec_seal(&rec, test_key, plain, lens[i], out,
				 CYL_REC_SIZE_MAX, err, sizeof(err));
		assert_int_equal(n, CYL_REC_HDR_LEN + lens[i] + CYL_REC_TAG_LEN);
		assert_true(rec.flags & CYL_REC_F_SEALED);
		assert_int_equal(cyl_get_le32(out), CYL_REC_MAGIC);
		assert_int_equal(cyl_rec_open(out, n, test_key, &got, back,
					      CYL_REC_LEN_MAX, err, sizeof(err)), 0);
		assert_int_equal(got.len, lens[i]);
		assert_int_equal(got.seq, i + 1);
		assert_int_equal(got.device_id, 7);
		assert_int_equal(got.ts_ns, 1700000000123456789ull);
		assert_int_equal(got.framing, 2);
		assert_int_equal(got.key_serial, 0x1234);
		assert_memory_equal(got.nonce, rec.nonce, CYL_REC_NONCE_LEN);
		if (lens[i])
			assert_memory_equal(back, plain, lens[i]);
	}
	free(plain);
	free(out);
	free(back);
}

/* Every single-bit change to header, ciphertext or tag is refused. */
static void test_flipped_bit_anywhere_fails(void **state)
{
	uint8_t out[CYL_REC_HDR_LEN + 24 + CYL_REC_TAG_LEN], back[24];
	struct cyl_rec rec = sample(3), got;
	char err[160];
	size_t bit;
	int n, ret, auth = 0, malformed = 0;

	n = cyl_rec_seal(&rec, test_key, "H|\\^&|||cobas\r\x02x\x03\x04", 24,
			 out, sizeof(out), err, sizeof(err));
	assert_int_equal(n, (int)sizeof(out));
	for (bit = 0; bit < sizeof(out) * 8; bit++) {
		out[bit / 8] ^= 1u << (bit % 8);
		ret = cyl_rec_open(out, n, test_key, &got, back, sizeof(back),
				   err, sizeof(err));
		out[bit / 8] ^= 1u << (bit % 8);
		if (ret == CYL_REC_EAUTH)
			auth++;
		else if (ret == -EBADMSG)
			malformed++;
		else
			fail_msg("bit %zu flipped: open returned %d (%s)", bit, ret, err);
	}
	/* Both outcomes happen: the header checks, then the tag. */
	assert_true(auth > 8 * (24 + 16));
	assert_true(malformed > 0);
	assert_int_equal(cyl_rec_open(out, n, test_key, &got, back, sizeof(back),
				      err, sizeof(err)), 0);
}

static void test_wrong_key_fails(void **state)
{
	uint8_t out[CYL_REC_HDR_LEN + 5 + CYL_REC_TAG_LEN], back[5], key[32];
	struct cyl_rec rec = sample(1), got;
	char err[160];
	int n;

	memcpy(key, test_key, 32);
	key[31] ^= 0x80;
	n = cyl_rec_seal(&rec, test_key, "hello", 5, out, sizeof(out), err,
			 sizeof(err));
	assert_int_equal(cyl_rec_open(out, n, key, &got, back, sizeof(back),
				      err, sizeof(err)), CYL_REC_EAUTH);
	assert_non_null(strstr(err, "authentication failed"));
	/* Nothing of the failed plaintext is left behind. */
	assert_memory_equal(back, "\0\0\0\0\0", 5);
}

static void test_unsealed_record_is_header_only(void **state)
{
	struct cyl_rec rec = sample(9), got;
	uint8_t hdr[CYL_REC_HDR_LEN + 1], back[8];
	char err[160];

	rec.version = CYL_REC_VERSION;
	rec.len = 300;		/* the frame's length; no payload stored */
	rec.flags = CYL_REC_F_BAD;
	rec.bad_reason = 1;
	cyl_rec_encode(&rec, hdr);
	assert_int_equal(cyl_rec_parse(hdr, CYL_REC_HDR_LEN, &got, err, sizeof(err)), 0);
	assert_int_equal(got.len, 300);
	assert_int_equal(cyl_rec_stored_len(&got), CYL_REC_HDR_LEN);
	assert_int_equal(cyl_rec_open(hdr, CYL_REC_HDR_LEN, test_key, &got, back,
				      sizeof(back), err, sizeof(err)), -ENODATA);
	assert_int_equal(cyl_rec_parse(hdr, CYL_REC_HDR_LEN + 1, &got, err,
				       sizeof(err)), -EBADMSG);
}

/* A header with one field changed, and the words the refusal must use. */
static void expect_rejected(void (*change)(uint8_t *hdr), size_t size,
			    const char *words)
{
	struct cyl_rec rec = sample(1), got;
	uint8_t hdr[CYL_REC_HDR_LEN + 16] = { 0 };
	char err[160];

	rec.version = CYL_REC_VERSION;
	cyl_rec_encode(&rec, hdr);
	assert_int_equal(cyl_rec_parse(hdr, CYL_REC_HDR_LEN, &got, err, sizeof(err)), 0);
	change(hdr);
	assert_int_equal(cyl_rec_parse(hdr, size, &got, err, sizeof(err)), -EBADMSG);
	if (!strstr(err, words))
		fail_msg("\"%s\" does not say \"%s\"", err, words);
}

static void bad_magic(uint8_t *h) { h[0] ^= 0x20; }
static void bad_version(uint8_t *h) { cyl_put_le16(h + 4, 2); }
static void bad_hdr_len(uint8_t *h) { cyl_put_le16(h + 6, 72); }
static void bad_flags(uint8_t *h) { cyl_put_le32(h + 12, 0x40); }
static void bad_len(uint8_t *h) { cyl_put_le32(h + 32, CYL_REC_LEN_MAX + 1); }
static void bad_reserved(uint8_t *h) { h[63] = 1; }
static void sealed_no_body(uint8_t *h) { cyl_put_le32(h + 12, CYL_REC_F_SEALED); }
static void nothing(uint8_t *h) { }

static void test_header_rejections(void **state)
{
	expect_rejected(bad_magic, CYL_REC_HDR_LEN, "magic");
	expect_rejected(bad_version, CYL_REC_HDR_LEN, "version 2");
	expect_rejected(bad_hdr_len, CYL_REC_HDR_LEN, "header length 72");
	expect_rejected(bad_flags, CYL_REC_HDR_LEN, "flags 0x40");
	expect_rejected(bad_len, CYL_REC_HDR_LEN, "65537");
	expect_rejected(bad_reserved, CYL_REC_HDR_LEN, "reserved");
	expect_rejected(sealed_no_body, CYL_REC_HDR_LEN, "takes 80 bytes, not 64");
	expect_rejected(nothing, CYL_REC_HDR_LEN - 1, "shorter");
}

static void test_seal_refuses_oversize(void **state)
{
	struct cyl_rec rec = sample(1);
	uint8_t out[CYL_REC_HDR_LEN + CYL_REC_TAG_LEN + 4];
	char err[160];

	assert_int_equal(cyl_rec_seal(&rec, test_key, "", CYL_REC_LEN_MAX + 1, out,
				      sizeof(out), err, sizeof(err)), -EMSGSIZE);
	assert_int_equal(cyl_rec_seal(&rec, test_key, "hello", 5, out,
				      sizeof(out), err, sizeof(err)), -ENOSPC);
}

static void test_names(void **state)
{
	char buf[64];

	assert_string_equal(cyl_rec_flag_names(0, buf, sizeof(buf)), "-");
	assert_string_equal(cyl_rec_flag_names(CYL_REC_F_SEALED | CYL_REC_F_TX,
					       buf, sizeof(buf)), "sealed,tx");
	assert_string_equal(cyl_rec_flag_names(CYL_REC_F_BAD | 0x100, buf,
					       sizeof(buf)), "bad,0x100");
	assert_string_equal(cyl_rec_bad_reason_name(1), "checksum");
	assert_null(cyl_rec_bad_reason_name(999));
	assert_string_equal(cyl_rec_framing_name(3), "mllp");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gcm_known_answers),
		cmocka_unit_test(test_seal_open_round_trip),
		cmocka_unit_test(test_flipped_bit_anywhere_fails),
		cmocka_unit_test(test_wrong_key_fails),
		cmocka_unit_test(test_unsealed_record_is_header_only),
		cmocka_unit_test(test_header_rejections),
		cmocka_unit_test(test_seal_refuses_oversize),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
