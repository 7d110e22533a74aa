// SPDX-License-Identifier: GPL-2.0
/*
 * Verified claims to CP-ABE attributes (ssi/mapping.c): rules by
 * credential type, strings, integers and arrays of them, the attribute
 * syntax of abe/policy.h enforced on values (what fails is skipped with
 * its reason, the rest still maps), the set sorted and distinct across
 * credentials, and the per-key limit of attributes.
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

#include "abe/policy.h"
#include "ssi/mapping.h"

static const struct cyl_ssi_map_rule rules[] = {
	{ "ClinicianCredential", "role", "role" },
	{ "ClinicianCredential", "ward", "ward" },
	{ "ClinicianCredential", "staffId", "staff" },
	{ "NurseCredential", "ward", "ward" },
	{ "NurseCredential", "ward", "nurse.ward" },
};
#define N_RULES	(sizeof(rules) / sizeof(rules[0]))

/* A verified credential of @type whose credentialSubject is @subject (JSON). */
static struct cyl_ssi_credential cred(const char *type, const char *subject)
{
	struct cyl_ssi_credential c = { .type = (char *)type, .issuer = "did:web:h.example" };
	json_error_t jerr;

	c.subject = json_loads(subject, JSON_ALLOW_NUL, &jerr);
	if (!c.subject)
		fail_msg("%s: %s", subject, jerr.text);
	return c;
}

static void creds_free(struct cyl_ssi_credential *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		json_decref(c[i].subject);
}

static void assert_attrs(const struct cyl_ssi_mapped *m, const char *const *want, size_t n)
{
	size_t i;

	assert_int_equal(m->n, n);
	for (i = 0; i < n; i++)
		assert_string_equal(m->attrs[i], want[i]);
}

static void test_mapping_strings_by_type(void **state)
{
	struct cyl_ssi_credential c[] = {
		cred("ClinicianCredential",
		     "{\"id\":\"did:key:z6Mk\",\"role\":\"cardiologist\",\"ward\":\"ICU\","
		     "\"name\":\"Alice\"}"),
	};
	static const char *const want[] = { "role:cardiologist", "ward:ICU" };
	struct cyl_ssi_mapped m;

	assert_int_equal(cyl_ssi_map_claims(rules, N_RULES, c, 1, &m), 0);
	assert_attrs(&m, want, 2);
	/* An absent claim (staffId) is no reason to complain. */
	assert_int_equal(m.n_skipped, 0);
	cyl_ssi_mapped_free(&m);
	creds_free(c, 1);
}

/* Rules of another type do not apply, even for the same claim. */
static void test_mapping_other_type_ignored(void **state)
{
	struct cyl_ssi_credential c[] = {
		cred("NurseCredential", "{\"role\":\"nurse\",\"ward\":\"CCU\"}"),
	};
	static const char *const want[] = { "nurse.ward:CCU", "ward:CCU" };
	struct cyl_ssi_mapped m;

	assert_int_equal(cyl_ssi_map_claims(rules, N_RULES, c, 1, &m), 0);
	assert_attrs(&m, want, 2);
	cyl_ssi_mapped_free(&m);
	creds_free(c, 1);
}

/* Across credentials: sorted bytewise (uppercase first), each once. */
static void test_mapping_sorted_distinct(void **state)
{
	struct cyl_ssi_credential c[] = {
		cred("ClinicianCredential", "{\"role\":\"surgeon\",\"ward\":[\"icu\",\"ICU\"]}"),
		cred("NurseCredential", "{\"ward\":\"ICU\"}"),
		cred("ClinicianCredential", "{\"role\":\"surgeon\",\"ward\":\"ICU\"}"),
	};
	static const char *const want[] = {
		"nurse.ward:ICU", "role:surgeon", "ward:ICU", "ward:icu",
	};
	struct cyl_ssi_mapped m;

	assert_int_equal(cyl_ssi_map_claims(rules, N_RULES, c, 3, &m), 0);
	assert_attrs(&m, want, 4);
	assert_int_equal(m.n_skipped, 0);
	cyl_ssi_mapped_free(&m);
	creds_free(c, 3);
}

static void test_mapping_integers_and_arrays(void **state)
{
	struct cyl_ssi_credential c[] = {
		cred("ClinicianCredential",
		     "{\"staffId\":4711,\"ward\":[\"ICU\",\"CCU\",7],\"role\":[\"dpo\"]}"),
	};
	static const char *const want[] = {
		"role:dpo", "staff:4711", "ward:7", "ward:CCU", "ward:ICU",
	};
	struct cyl_ssi_mapped m;

	assert_int_equal(cyl_ssi_map_claims(rules, N_RULES, c, 1, &m), 0);
	assert_attrs(&m, want, 5);
	cyl_ssi_mapped_free(&m);
	creds_free(c, 1);
}

/* Values that are not attribute values are skipped, with the reason; the rest maps. */
static void test_mapping_bad_values_skipped(void **state)
{
	static const struct {
		const char *subject, *reason;
	} cases[] = {
		{ "{\"role\":\"ICU nurse\"}",
		  "ClinicianCredential.role: value \"ICU nurse\" is not an attribute value "
		  "(1..64 of A-Z a-z 0-9 _ . - / @)" },
		{ "{\"role\":\"a,ward:ICU\"}",
		  "ClinicianCredential.role: value \"a,ward:ICU\" is not an attribute value "
		  "(1..64 of A-Z a-z 0-9 _ . - / @)" },
		/* Whitespace the list parser would skip is not part of a value. */
		{ "{\"role\":\"dpo \"}",
		  "ClinicianCredential.role: value \"dpo \" is not an attribute value "
		  "(1..64 of A-Z a-z 0-9 _ . - / @)" },
		{ "{\"role\":\"x:y\"}",
		  "ClinicianCredential.role: value \"x:y\" is not an attribute value "
		  "(1..64 of A-Z a-z 0-9 _ . - / @)" },
		{ "{\"role\":\"\"}",
		  "ClinicianCredential.role: value \"\" is not an attribute value "
		  "(1..64 of A-Z a-z 0-9 _ . - / @)" },
		{ "{\"role\":\"a\\u0000b\"}",
		  "ClinicianCredential.role: value \"a\\x00b\" is not an attribute value "
		  "(1..64 of A-Z a-z 0-9 _ . - / @)" },
		{ "{\"role\":\"r\\u00f4le\"}",
		  "ClinicianCredential.role: value \"r\\xc3\\xb4le\" is not an attribute value "
		  "(1..64 of A-Z a-z 0-9 _ . - / @)" },
		{ "{\"role\":\"a2345678901234567890123456789012345678901234567890123456789012345\"}",
		  "ClinicianCredential.role: value \"a2345678901234567890123456789012345678901234"
		  "5678...\" is not an attribute value (1..64 of A-Z a-z 0-9 _ . - / @)" },
		{ "{\"role\":true}",
		  "ClinicianCredential.role: a value that is not a string or an integer" },
		{ "{\"role\":1.5}",
		  "ClinicianCredential.role: a value that is not a string or an integer" },
		{ "{\"role\":{\"name\":\"dpo\"}}",
		  "ClinicianCredential.role: a value that is not a string or an integer" },
		{ "{\"role\":null}",
		  "ClinicianCredential.role: a value that is not a string or an integer" },
		{ "{\"role\":[]}", "ClinicianCredential.role: an empty array" },
		{ "{\"role\":[[\"dpo\"]]}",
		  "ClinicianCredential.role: a value that is not a string or an integer" },
	};
	struct cyl_ssi_credential c[1];
	struct cyl_ssi_mapped m;
	char subject[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* A good claim beside the bad one still maps. */
		snprintf(subject, sizeof(subject), "{\"ward\":\"ICU\",%s", cases[i].subject + 1);
		c[0] = cred("ClinicianCredential", subject);
		assert_int_equal(cyl_ssi_map_claims(rules, N_RULES, c, 1, &m), 0);
		assert_int_equal(m.n, 1);
		assert_string_equal(m.attrs[0], "ward:ICU");
		assert_int_equal(m.n_skipped, 1);
		assert_string_equal(m.skipped[0], cases[i].reason);
		cyl_ssi_mapped_free(&m);
		creds_free(c, 1);
	}
}

/* The widest value the syntax allows, with / and @, maps. */
static void test_mapping_full_value_syntax(void **state)
{
	struct cyl_ssi_credential c[] = {
		cred("ClinicianCredential",
		     "{\"role\":\"a/b@c.d_e-F9\","
		     "\"ward\":\"a234567890123456789012345678901234567890123456789012345678901234\"}"),
	};
	static const char *const want[] = {
		"role:a/b@c.d_e-F9",
		"ward:a234567890123456789012345678901234567890123456789012345678901234",
	};
	struct cyl_ssi_mapped m;

	assert_int_equal(cyl_ssi_map_claims(rules, N_RULES, c, 1, &m), 0);
	assert_attrs(&m, want, 2);
	assert_int_equal(m.n_skipped, 0);
	cyl_ssi_mapped_free(&m);
	creds_free(c, 1);
}

/* Nothing maps: an empty set, which the agent refuses ("no-attributes"). */
static void test_mapping_nothing(void **state)
{
	struct cyl_ssi_credential c[] = {
		cred("ClinicianCredential", "{\"name\":\"Alice\"}"),
		cred("OtherCredential", "{\"role\":\"dpo\"}"),
	};
	struct cyl_ssi_mapped m;

	assert_int_equal(cyl_ssi_map_claims(rules, N_RULES, c, 2, &m), 0);
	assert_int_equal(m.n, 0);
	assert_int_equal(m.n_skipped, 0);
	cyl_ssi_mapped_free(&m);
	assert_int_equal(cyl_ssi_map_claims(rules, N_RULES, c, 0, &m), 0);
	assert_int_equal(m.n, 0);
	cyl_ssi_mapped_free(&m);
	creds_free(c, 2);
}

/* More distinct values than a key holds: the first ones, and a reason. */
static void test_mapping_attribute_limit(void **state)
{
	struct cyl_ssi_credential c[1];
	struct cyl_ssi_mapped m;
	json_t *wards = json_array();
	char v[16];
	size_t i;

	assert_non_null(wards);
	for (i = 0; i < CYL_ABE_ATTRS_MAX + 10; i++) {
		snprintf(v, sizeof(v), "w%04zu", i);
		assert_int_equal(json_array_append_new(wards, json_string(v)), 0);
	}
	c[0] = cred("ClinicianCredential", "{\"role\":\"dpo\"}");
	assert_int_equal(json_object_set_new(c[0].subject, "ward", wards), 0);
	assert_int_equal(cyl_ssi_map_claims(rules, N_RULES, c, 1, &m), 0);
	assert_int_equal(m.n, CYL_ABE_ATTRS_MAX);
	assert_string_equal(m.attrs[0], "role:dpo");
	assert_string_equal(m.attrs[1], "ward:w0000");
	assert_string_equal(m.attrs[CYL_ABE_ATTRS_MAX - 1], "ward:w0254");
	for (i = 1; i < m.n; i++)
		assert_true(strcmp(m.attrs[i - 1], m.attrs[i]) < 0);
	assert_int_equal(m.n_skipped, 1);
	assert_string_equal(m.skipped[0], "11 attributes past the first 256 (a key's limit)");
	cyl_ssi_mapped_free(&m);
	creds_free(c, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mapping_strings_by_type),
		cmocka_unit_test(test_mapping_other_type_ignored),
		cmocka_unit_test(test_mapping_sorted_distinct),
		cmocka_unit_test(test_mapping_integers_and_arrays),
		cmocka_unit_test(test_mapping_bad_values_skipped),
		cmocka_unit_test(test_mapping_full_value_syntax),
		cmocka_unit_test(test_mapping_nothing),
		cmocka_unit_test(test_mapping_attribute_limit),
	};

	return cmocka_run_group_tests_name("ssi_mapping", tests, NULL, NULL);
}
