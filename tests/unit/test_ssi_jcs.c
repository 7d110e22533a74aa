// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 8785 JSON canonicalization (agent/ssi/jcs.c) and the bounded JSON
 * parser it reads (agent/ssi/json.c): the RFC's number table (appendix
 * B) from the IEEE 754 bit patterns, its sorting example, the test data
 * its authors published (cyberphone/json-canonicalization, testdata/),
 * escaping of every control character, sorting by UTF-16 code units, the
 * W3C eddsa-jcs-2022 vector's canonical document; and the parser's
 * refusals: duplicate keys, nesting, size, trailing bytes, invalid UTF-8
 * and "\u0000", each with where it was found.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ssi/jcs.h"
#include "ssi/json.h"

static json_t *parse(const char *text)
{
	char err[160] = "";
	json_t *v = cyl_ssi_json_parse(text, strlen(text), err, sizeof(err));

	if (!v)
		fail_msg("%s: %s", text, err);
	return v;
}

static void canon_is(const json_t *v, const char *want)
{
	size_t len;
	char *out;

	assert_int_equal(cyl_jcs_canonicalize(v, &out, &len), 0);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);
}

/* @in canonicalizes to @want, and @want to itself. */
static void jcs_is(const char *in, const char *want)
{
	json_t *v = parse(in);

	canon_is(v, want);
	json_decref(v);
	v = parse(want);
	canon_is(v, want);
	json_decref(v);
}

static double from_bits(uint64_t bits)
{
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

/* RFC 8785 appendix B: IEEE 754 values and their JSON text. */
static void test_appendix_b(void **state)
{
	static const struct {
		uint64_t bits;
		const char *text;
	} v[] = {
		{ 0x0000000000000000, "0" },
		{ 0x8000000000000000, "0" },
		{ 0x0000000000000001, "5e-324" },
		{ 0x8000000000000001, "-5e-324" },
		{ 0x7fefffffffffffff, "1.7976931348623157e+308" },
		{ 0xffefffffffffffff, "-1.7976931348623157e+308" },
		{ 0x4340000000000000, "9007199254740992" },
		{ 0xc340000000000000, "-9007199254740992" },
		{ 0x4430000000000000, "295147905179352830000" },
		{ 0x44b52d02c7e14af5, "9.999999999999997e+22" },
		{ 0x44b52d02c7e14af6, "1e+23" },
		{ 0x44b52d02c7e14af7, "1.0000000000000001e+23" },
		{ 0x444b1ae4d6e2ef4e, "999999999999999700000" },
		{ 0x444b1ae4d6e2ef4f, "999999999999999900000" },
		{ 0x444b1ae4d6e2ef50, "1e+21" },
		{ 0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7" },
		{ 0x3eb0c6f7a0b5ed8d, "0.000001" },
		{ 0x41b3de4355555553, "333333333.3333332" },
		{ 0x41b3de4355555554, "333333333.33333325" },
		{ 0x41b3de4355555555, "333333333.3333333" },
		{ 0x41b3de4355555556, "333333333.3333334" },
		{ 0x41b3de4355555557, "333333333.33333343" },
		{ 0xbecbf647612f3696, "-0.0000033333333333333333" },
		{ 0x43143ff3c1cb0959, "1424953923781206.2" },	/* round to even */
		/* The samples in the test data's README. */
		{ 0x4340000000000001, "9007199254740994" },
		{ 0x4340000000000002, "9007199254740996" },
	};
	char buf[CYL_JCS_NUMBER_MAX];
	json_t *r;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		double d = from_bits(v[i].bits);

		assert_int_equal(cyl_jcs_number(d, buf), strlen(v[i].text));
		if (strcmp(buf, v[i].text))
			fail_msg("%016llx: %s, want %s", (unsigned long long)v[i].bits, buf,
				 v[i].text);
		/* Through jansson too, and the text reads back as the value. */
		r = json_real(d);
		canon_is(r, v[i].text);
		json_decref(r);
		assert_true(strtod(buf, NULL) == d);
	}
	/* NaN and Infinity (appendix B's 7fffffffffffffff and 7ff0000000000000). */
	assert_int_equal(cyl_jcs_number(from_bits(0x7fffffffffffffff), buf), -EINVAL);
	assert_int_equal(cyl_jcs_number(from_bits(0x7ff0000000000000), buf), -EINVAL);
	assert_int_equal(cyl_jcs_number(-INFINITY, buf), -EINVAL);
}

/*
 * ECMAScript's layout around its limits, and shortest digits where the
 * closest ones do not read back (found by comparing with node's
 * String(x) over millions of doubles).
 */
static void test_numbers(void **state)
{
	static const struct {
		double d;
		const char *text;
	} v[] = {
		{ 1, "1" }, { -1, "-1" }, { 4.5, "4.5" }, { 0.1, "0.1" }, { -1.5, "-1.5" },
		{ 0.1 + 0.2, "0.30000000000000004" },
		{ 100, "100" }, { 123456789, "123456789" },
		{ 1e20, "100000000000000000000" }, { 1e21, "1e+21" }, { 1.5e21, "1.5e+21" },
		{ 123456789012345680000.0, "123456789012345680000" },
		{ 1e-6, "0.000001" }, { 1.5e-6, "0.0000015" }, { 1e-7, "1e-7" },
		{ 1.25e-7, "1.25e-7" }, { 1.23e-18, "1.23e-18" }, { 1e300, "1e+300" },
		{ 0x1p-1017, "7.120236347223045e-307" },	/* not ...0444e-307 */
		{ 0x1p-1007, "7.291122019556398e-304" },
		{ 0x1p976, "6.386688990511104e+293" },
	};
	char buf[CYL_JCS_NUMBER_MAX];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		cyl_jcs_number(v[i].d, buf);
		if (strcmp(buf, v[i].text))
			fail_msg("%.17g: %s, want %s", v[i].d, buf, v[i].text);
	}
}

/* Number texts in documents: integers are doubles, as in JavaScript. */
static void test_number_texts(void **state)
{
	json_t *v;

	jcs_is("[1E30, 4.50, 2e-3, 0.000000000000000000000000001, -0, -0.0, 0e10]",
	       "[1e+30,4.5,0.002,1e-27,0,0,0]");
	jcs_is("[9007199254740993, 100000000000000000000, 295147905179352825856]",
	       "[9007199254740992,100000000000000000000,295147905179352830000]");
	jcs_is("[18446744073709551616, -18446744073709551617]",
	       "[18446744073709552000,-18446744073709552000]");
	/* Built in code: a jansson integer counts as its double. */
	v = json_pack("[I,I,I]", (json_int_t)9007199254740993LL, (json_int_t)-7,
		      (json_int_t)INT64_MAX);
	canon_is(v, "[9007199254740992,-7,9223372036854776000]");
	json_decref(v);
}

/* RFC 8785 3.2.4's example (= testdata values.json, "string" named "escaping"). */
static void test_rfc_example(void **state)
{
	jcs_is("{\n"
	       "  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, "
	       "0.000000000000000000000000001],\n"
	       "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
	       "  \"literals\": [null, true, false]\n"
	       "}",
	       "{\"literals\":[null,true,false],"
	       "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
	       "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

/* RFC 8785 3.2.3's sorting example. */
static void test_rfc_sorting(void **state)
{
	jcs_is("{\n"
	       "  \"\\u20ac\": \"Euro Sign\",\n"
	       "  \"\\r\": \"Carriage Return\",\n"
	       "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
	       "  \"1\": \"One\",\n"
	       "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
	       "  \"\\u0080\": \"Control\",\n"
	       "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
	       "}",
	       "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
	       "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
	       "\"\xe2\x82\xac\":\"Euro Sign\","
	       "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
	       "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

/* cyberphone/json-canonicalization testdata/input/X.json -> output/X.json */
static void test_testdata(void **state)
{
	/* arrays */
	jcs_is("[\n  56,\n  {\n    \"d\": true,\n    \"10\": null,\n    \"1\": [ ]\n  }\n]",
	       "[56,{\"1\":[],\"10\":null,\"d\":true}]");
	/* french: code units, not a locale's collation */
	jcs_is("{\n  \"peach\": \"This sorting order\",\n"
	       "  \"p\xc3\xa9" "ch\xc3\xa9\": \"is wrong according to French\",\n"
	       "  \"p\xc3\xaa" "che\": \"but canonicalization MUST\",\n"
	       "  \"sin\":   \"ingnore locale\"\n}\n",
	       "{\"peach\":\"This sorting order\",\"p\xc3\xa9" "ch\xc3\xa9\":\"is wrong according "
	       "to French\",\"p\xc3\xaa" "che\":\"but canonicalization MUST\","
	       "\"sin\":\"ingnore locale\"}");
	/* structures */
	jcs_is("{\n  \"1\": {\"f\": {\"f\": \"hi\",\"F\": 5} ,\"\\n\": 56.0},\n  \"10\": { },\n"
	       "  \"\": \"empty\",\n  \"a\": { },\n  \"111\": [ { } ],\n  \"A\": { }\n}",
	       "{\"\":\"empty\",\"1\":{\"\\n\":56,\"f\":{\"F\":5,\"f\":\"hi\"}},\"10\":{},"
	       "\"111\":[{}],\"A\":{},\"a\":{}}");
	/* unicode: no normalization */
	jcs_is("{\n  \"Unnormalized Unicode\":\"\\u1e0d\\u0307\"\n}\n",
	       "{\"Unnormalized Unicode\":\"\xe1\xb8\x8d\xcc\x87\"}");
	/* values */
	jcs_is("{\n  \"numbers\": [1E30, 4.50, 333333333.33333329, 2e-3, "
	       "0.000000000000000000000000001],\n"
	       "  \"escaping\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
	       "  \"literals\": [null, true, false]\n}",
	       "{\"escaping\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\","
	       "\"literals\":[null,true,false],"
	       "\"numbers\":[1e+30,4.5,333333333.3333333,0.002,1e-27]}");
	/* weird */
	jcs_is("{\n  \"\\u20ac\": \"Euro Sign\",\n  \"1\": \"One\",\n"
	       "  \"\\u0080\": \"Control\\u007f\",\n  \"\\ud83d\\ude02\": \"Smiley\",\n"
	       "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\",\n"
	       "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
	       "  \"</script>\": \"Browser Challenge\"\n}\n",
	       "{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\xc2\x80\":\"Control\x7f\","
	       "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
	       "\"\xe2\x82\xac\":\"Euro Sign\","
	       "\"\xf0\x9f\x98\x82\":\"Smiley\","
	       "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

/* Every C0 control character, and the characters next to the escaped ones. */
static void test_escapes(void **state)
{
	static const char *const short_forms[32] = {
		[8] = "\\b", [9] = "\\t", [10] = "\\n", [12] = "\\f", [13] = "\\r",
	};
	char in[2], want[16];
	json_t *v;
	int c;

	for (c = 0; c < 0x20; c++) {
		in[0] = (char)c;
		v = json_stringn(in, 1);	/* U+0000 too, built in code */
		assert_non_null(v);
		if (short_forms[c])
			snprintf(want, sizeof(want), "\"%s\"", short_forms[c]);
		else
			snprintf(want, sizeof(want), "\"\\u00%02x\"", c);
		canon_is(v, want);
		json_decref(v);
	}
	jcs_is("\"\\u001F\\u001a\\u000B\"", "\"\\u001f\\u001a\\u000b\"");
	jcs_is("\"\\\"\\\\\\/ !#[]~\\u007f\\u00a0\"", "\"\\\"\\\\/ !#[]~\x7f\xc2\xa0\"");
	jcs_is("\"\\u2028\\u2029\\ufeff\\uffff\"",
	       "\"\xe2\x80\xa8\xe2\x80\xa9\xef\xbb\xbf\xef\xbf\xbf\"");
}

/*
 * Sorting by UTF-16 code units: U+10000 and up are surrogate pairs (D800
 * to DFFF), so they sort before U+E000..U+FFFF, unlike by code point or
 * by UTF-8 bytes; between two of them, by the code point.
 */
static void test_utf16_sorting(void **state)
{
	jcs_is("{\"\\uffff\":1,\"\\ud800\\udc00\":2,\"\\ue000\":3,\"\\ud7ff\":4}",
	       "{\"\xed\x9f\xbf\":4,\"\xf0\x90\x80\x80\":2,\"\xee\x80\x80\":3,"
	       "\"\xef\xbf\xbf\":1}");
	jcs_is("{\"\\udbff\\udfff\":1,\"\\ud83d\\ude00\":2,\"\\ud83d\\ude01\":3,"
	       "\"\\ud83c\\udfff\":4}",
	       "{\"\xf0\x9f\x8f\xbf\":4,\"\xf0\x9f\x98\x80\":2,\"\xf0\x9f\x98\x81\":3,"
	       "\"\xf4\x8f\xbf\xbf\":1}");
	/* Prefixes first; then by code unit, so "Z" < "a" < "\u00e9". */
	jcs_is("{\"ab\":1,\"a\":2,\"\":3,\"abc\":4,\"b\":5,\"Z\":6,\"\\u00e9\":7}",
	       "{\"\":3,\"Z\":6,\"a\":2,\"ab\":1,\"abc\":4,\"b\":5,\"\xc3\xa9\":7}");
}

/* Keys with U+0000 (only code can make them): compared by length, not strcmp. */
static void test_nul_keys(void **state)
{
	json_t *v = json_object();

	assert_int_equal(json_object_setn_new(v, "a\x01", 2, json_integer(1)), 0);
	assert_int_equal(json_object_setn_new(v, "a\0", 2, json_integer(2)), 0);
	assert_int_equal(json_object_setn_new(v, "a", 1, json_integer(3)), 0);
	assert_int_equal(json_object_setn_new(v, "a\0\0", 3, json_integer(4)), 0);
	canon_is(v, "{\"a\":3,\"a\\u0000\":2,\"a\\u0000\\u0000\":4,\"a\\u0001\":1}");
	json_decref(v);
}

/*
 * W3C vc-di-eddsa, test vectors for eddsa-jcs-2022: signedJCS.json
 * without its "proof" canonicalizes to canonDocJCS.txt, and
 * proofConfigJCS.json to proofCanonJCS.txt (the files' text, copied).
 */
static void test_w3c_vector(void **state)
{
	static const char signed_jcs[] =
		"{\n"
		"  \"@context\": [\n"
		"    \"https://www.w3.org/ns/credentials/v2\",\n"
		"    \"https://www.w3.org/ns/credentials/examples/v2\"\n"
		"  ],\n"
		"  \"id\": \"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33\",\n"
		"  \"type\": [\n"
		"    \"VerifiableCredential\",\n"
		"    \"AlumniCredential\"\n"
		"  ],\n"
		"  \"name\": \"Alumni Credential\",\n"
		"  \"description\": \"A minimum viable example of an Alumni Credential.\",\n"
		"  \"issuer\": \"https://vc.example/issuers/5678\",\n"
		"  \"validFrom\": \"2023-01-01T00:00:00Z\",\n"
		"  \"credentialSubject\": {\n"
		"    \"id\": \"did:example:abcdefgh\",\n"
		"    \"alumniOf\": \"The School of Examples\"\n"
		"  },\n"
		"  \"proof\": {\n"
		"    \"type\": \"DataIntegrityProof\",\n"
		"    \"cryptosuite\": \"eddsa-jcs-2022\",\n"
		"    \"created\": \"2023-02-24T23:36:38Z\",\n"
		"    \"verificationMethod\": "
		"\"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
		"#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\",\n"
		"    \"proofPurpose\": \"assertionMethod\",\n"
		"    \"@context\": [\n"
		"      \"https://www.w3.org/ns/credentials/v2\",\n"
		"      \"https://www.w3.org/ns/credentials/examples/v2\"\n"
		"    ],\n"
		"    \"proofValue\": "
		"\"z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3"
		"GAVFuUfjoJdcnTMuVor51aX\"\n"
		"  }\n"
		"}";
	static const char canon_doc[] =
		"{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
		"\"https://www.w3.org/ns/credentials/examples/v2\"],"
		"\"credentialSubject\":{\"alumniOf\":\"The School of Examples\","
		"\"id\":\"did:example:abcdefgh\"},"
		"\"description\":\"A minimum viable example of an Alumni Credential.\","
		"\"id\":\"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33\","
		"\"issuer\":\"https://vc.example/issuers/5678\",\"name\":\"Alumni Credential\","
		"\"type\":[\"VerifiableCredential\",\"AlumniCredential\"],"
		"\"validFrom\":\"2023-01-01T00:00:00Z\"}";
	static const char canon_proof[] =
		"{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
		"\"https://www.w3.org/ns/credentials/examples/v2\"],"
		"\"created\":\"2023-02-24T23:36:38Z\",\"cryptosuite\":\"eddsa-jcs-2022\","
		"\"proofPurpose\":\"assertionMethod\",\"type\":\"DataIntegrityProof\","
		"\"verificationMethod\":\"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
		"#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\"}";
	json_t *doc = parse(signed_jcs), *proof = json_incref(json_object_get(doc, "proof"));

	assert_non_null(proof);
	assert_int_equal(json_object_del(doc, "proof"), 0);
	canon_is(doc, canon_doc);
	assert_int_equal(json_object_del(proof, "proofValue"), 0);
	canon_is(proof, canon_proof);
	json_decref(proof);
	json_decref(doc);
}

static void test_not_canonicalizable(void **state)
{
	json_t *v;
	char *out = NULL;
	size_t len;

	assert_int_equal(cyl_jcs_canonicalize(NULL, &out, &len), -EINVAL);
	/* Invalid UTF-8 that only code can put there: in a string, in a key. */
	v = json_stringn_nocheck("a\xff", 2);
	assert_int_equal(cyl_jcs_canonicalize(v, &out, &len), -EINVAL);
	json_decref(v);
	v = json_stringn_nocheck("\xed\xa0\x80", 3);	/* a surrogate, U+D800 */
	assert_int_equal(cyl_jcs_canonicalize(v, &out, &len), -EINVAL);
	json_decref(v);
	v = json_stringn_nocheck("\xc0\xaf", 2);	/* overlong '/' */
	assert_int_equal(cyl_jcs_canonicalize(v, &out, &len), -EINVAL);
	json_decref(v);
	v = json_object();
	assert_int_equal(json_object_set_new_nocheck(v, "\xf4\x90\x80\x80", json_null()), 0);
	assert_int_equal(cyl_jcs_canonicalize(v, &out, &len), -EINVAL);
	json_decref(v);
	/* Deep inside. */
	v = json_pack("{s:[i,{s:o}]}", "a", 1, "b", json_stringn_nocheck("\x80", 1));
	assert_non_null(v);
	assert_int_equal(cyl_jcs_canonicalize(v, &out, &len), -EINVAL);
	json_decref(v);
	assert_null(out);
}

/* --- json.c --- */

static void refused(const char *text, size_t len, const char *why)
{
	char err[160] = "";

	assert_null(cyl_ssi_json_parse(text, len, err, sizeof(err)));
	if (strcmp(err, why))
		fail_msg("%.40s: \"%s\", expected \"%s\"", text, err, why);
}

static void test_json_refusals(void **state)
{
	/* Duplicate keys: where the second one is, at any depth. */
	refused("{\"a\":1,\n \"b\":2, \"a\":3}", 22,
		"line 2, column 11: duplicate object key near '\"a\"'");
	refused("[{\"x\":{}, \"x\":[]}]", 18,
		"line 1, column 13: duplicate object key near '\"x\"'");
	/* One value, then nothing but whitespace. */
	refused("{} x", 4, "line 1, column 4: end of file expected near 'x'");
	refused("{}{}", 4, "line 1, column 3: end of file expected near '{'");
	refused("{\"a\":1}\0", 8, "line 1, column 8: end of file expected near end of file");
	refused("", 0, "line 1, column 0: unexpected token near end of file");
	/* Strings: U+0000, invalid UTF-8 (overlong, surrogate), lone surrogates. */
	refused("\"a\\u0000b\"", 10, "line 1, column 10: \\u0000 is not allowed without "
		"JSON_ALLOW_NUL near '\"a\\u0000b\"'");
	refused("\"\xff\"", 3, "line 1, column 1: unable to decode byte 0xff near '\"'");
	refused("[\"ab\xff\"]", 6, "line 1, column 4: unable to decode byte 0xff near '\"ab'");
	refused("\"\xc0\xaf\"", 4, "line 1, column 1: unable to decode byte 0xc0 near '\"'");
	refused("\"\xed\xa0\x80\"", 5, "line 1, column 1: unable to decode byte 0xed near '\"'");
	refused("\"\\ud800\"", 8, "line 1, column 8: invalid Unicode '\\uD800' near '\"\\ud800\"'");
	/* Numbers JSON does not have, or a double cannot hold. */
	refused("[NaN]", 5, "line 1, column 4: invalid token near 'NaN'");
	refused("Infinity", 8, "line 1, column 8: invalid token near 'Infinity'");
	refused("1e400", 5, "line 1, column 5: real number overflow near '1e400'");
	refused("01", 2, "line 1, column 1: invalid token near '0'");
	refused("[1,]", 4, "line 1, column 4: unexpected token near ']'");
	/* Trailing whitespace is fine. */
	json_decref(parse("{\"a\":1}  \n\t "));
}

/* @depth brackets after @prefix, closed, after them @suffix. */
static char *nest(const char *prefix, int depth, const char *suffix)
{
	size_t p = strlen(prefix), s = strlen(suffix);
	char *t = malloc(p + 2 * depth + s + 1);

	assert_non_null(t);
	memcpy(t, prefix, p);
	memset(t + p, '[', depth);
	memset(t + p + depth, ']', depth);
	memcpy(t + p + 2 * depth, suffix, s + 1);
	return t;
}

static void test_json_limits(void **state)
{
	char err[160], *t, *big;
	json_t *v;

	/* 32 levels pass, 33 do not: where the 33rd opens. */
	t = nest("", CYL_SSI_JSON_DEPTH, "");
	json_decref(parse(t));
	free(t);
	t = nest("{\"a\":", CYL_SSI_JSON_DEPTH - 1, "}");
	json_decref(parse(t));
	free(t);
	t = nest("", CYL_SSI_JSON_DEPTH + 1, "");
	refused(t, strlen(t), "line 1, column 33: nested deeper than 32");
	free(t);
	t = nest("\n [{\"\u00e9\":", CYL_SSI_JSON_DEPTH - 1, "}]");
	refused(t, strlen(t), "line 2, column 38: nested deeper than 32");
	free(t);
	t = nest("{\"a\":", 2000, "}");
	refused(t, strlen(t), "line 1, column 37: nested deeper than 32");
	free(t);
	/* Brackets inside strings do not count, escaped quotes do not end them. */
	t = nest("[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		 "\\\"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\",",
		 CYL_SSI_JSON_DEPTH - 1, "]");
	json_decref(parse(t));
	free(t);

	/* Exactly CYL_SSI_JSON_MAX bytes pass, one more does not. */
	big = malloc(CYL_SSI_JSON_MAX + 1);
	assert_non_null(big);
	memset(big, ' ', CYL_SSI_JSON_MAX + 1);
	big[0] = '"';
	memset(big + 1, 'x', 1000);
	big[1001] = '"';
	v = cyl_ssi_json_parse(big, CYL_SSI_JSON_MAX, err, sizeof(err));
	assert_non_null(v);
	assert_int_equal(json_string_length(v), 1000);
	json_decref(v);
	refused(big, CYL_SSI_JSON_MAX + 1, "more than 262144 bytes");
	free(big);
}

static void test_json_accessors(void **state)
{
	json_t *v = parse(" {\"s\":\"x\",\"n\":7,\"f\":1.5,\"neg\":-1,\"big\":9007199254740993,"
			  "\"e\":1e2,\"t\":true} \n");
	uint64_t u = 99;

	assert_string_equal(cyl_ssi_json_str(v, "s"), "x");
	assert_null(cyl_ssi_json_str(v, "n"));
	assert_null(cyl_ssi_json_str(v, "none"));
	assert_null(cyl_ssi_json_str(NULL, "s"));
	/* Numbers are reals, as documented. */
	assert_true(json_is_real(json_object_get(v, "n")));
	assert_int_equal(cyl_ssi_json_uint(v, "n", 10, &u), 0);
	assert_int_equal(u, 7);
	assert_int_equal(cyl_ssi_json_uint(v, "e", 100, &u), 0);
	assert_int_equal(u, 100);
	assert_int_equal(cyl_ssi_json_uint(v, "e", 99, &u), -EINVAL);
	assert_int_equal(cyl_ssi_json_uint(v, "f", 10, &u), -EINVAL);
	assert_int_equal(cyl_ssi_json_uint(v, "neg", 10, &u), -EINVAL);
	assert_int_equal(cyl_ssi_json_uint(v, "s", 10, &u), -EINVAL);
	assert_int_equal(cyl_ssi_json_uint(v, "t", 10, &u), -EINVAL);
	assert_int_equal(cyl_ssi_json_uint(v, "none", 10, &u), -EINVAL);
	assert_int_equal(cyl_ssi_json_uint(v, "big", UINT64_MAX, &u), 0);
	assert_int_equal(u, 9007199254740992ULL);
	json_decref(v);
	/* Any value at the top. */
	v = parse(" \"top\" ");
	assert_string_equal(json_string_value(v), "top");
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_appendix_b),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_number_texts),
		cmocka_unit_test(test_rfc_example),
		cmocka_unit_test(test_rfc_sorting),
		cmocka_unit_test(test_testdata),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_utf16_sorting),
		cmocka_unit_test(test_nul_keys),
		cmocka_unit_test(test_w3c_vector),
		cmocka_unit_test(test_not_canonicalizable),
		cmocka_unit_test(test_json_refusals),
		cmocka_unit_test(test_json_limits),
		cmocka_unit_test(test_json_accessors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
