// SPDX-License-Identifier: GPL-2.0
/*
 * Presentation verification, end to end with the library's own pieces:
 * did:key keys from fixed seeds, credentials and presentations signed
 * with cyl_di_sign(), Bitstring Status List credentials built here
 * (bitstring, GZIP with zlib, multibase 'u', signed by the issuer) and
 * written into a temporary status cache.  A good presentation with one
 * credential and with five (two issuers, both key types, the first
 * trusted type, inclusive validity bounds with a timezone offset, clear
 * status bits beside set ones); then one defect at a time, each refused
 * with its own reason and a message saying where: the challenge (wrong,
 * reused, expired), the domain, the issuer, revocation, suspension,
 * validity, tampering, another key, the holder binding, bad JSON, status
 * lists (missing, stale, not the issuer's, for another URL, tampered,
 * index out of range).  Refusals before the challenge must leave it
 * unconsumed.  Last, bitstrings at their size bounds (16 KiB to 16 MiB
 * inflated) and badly encoded ones.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <zlib.h>

#include "ssi/challenge.h"
#include "ssi/di.h"
#include "ssi/did.h"
#include "ssi/json.h"
#include "ssi/multibase.h"
#include "ssi/status.h"
#include "ssi/verify.h"

#define NOW		1767225600	/* 2026-01-01T00:00:00Z */
#define DOMAIN		"gateway.example"
#define MAX_AGE		3600
#define LIST_BYTES	(16 * 1024)
#define URL(x)		"https://issuer.example/status/" x
#define REV_URL		URL("revocation")
#define SUS_URL		URL("suspension")
#define REVOKED		94567
#define SUSPENDED	4242

enum { ISSUER, ISSUER_P256, ROGUE, HOLDER, OTHER, N_KEYS };

static struct {
	EVP_PKEY *key;
	char *did;
	char vm[160];
} k[N_KEYS];

static char status_dir[] = "/tmp/test_ssi_verify.XXXXXX";
static struct cyl_challenges challenges;
static time_t mono = 5000;	/* the challenge table's clock */
static struct cyl_did_resolver resolver;
static const char *clinician_issuers[2], *nurse_issuers[1];
static struct cyl_ssi_issuer_rule rules[2];
static struct cyl_ssi_verifier verifier;

static enum cyl_challenge_status check_challenge(void *arg, const char *challenge)
{
	return cyl_challenge_consume(arg, challenge, mono);
}

/* The dateTimeStamp @delta seconds from NOW. */
static const char *date(long delta)
{
	static char buf[4][32];
	static unsigned int n;
	time_t t = NOW + delta;
	struct tm tm;
	char *out = buf[n++ % 4];

	assert_non_null(gmtime_r(&t, &tm));
	assert_true(strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0);
	return out;
}

static void sign(json_t *doc, int key, const char *vm, const char *purpose,
		 const char *challenge, const char *domain)
{
	struct cyl_di_options o = {
		.verification_method = vm,
		.proof_purpose = purpose,
		.created = date(-60),
		.challenge = challenge,
		.domain = domain,
	};
	char err[256];

	if (cyl_di_sign(doc, k[key].key, &o, err, sizeof(err)))
		fail_msg("cyl_di_sign: %s", err);
}

/* --- status lists --- */

static FILE *open_list(const char *url, const char *mode)
{
	char name[70], path[128];

	cyl_ssi_status_cache_name(url, name);
	snprintf(path, sizeof(path), "%s/%s", status_dir, name);
	return fopen(path, mode);
}

/* An encodedList of @bytes with the bits @set, and @extra bytes after the GZIP member. */
static char *encode_bits(size_t bytes, const uint64_t *set, size_t n, size_t extra)
{
	static uint8_t gz[48 * 1024];
	uint8_t *bits = calloc(1, bytes);
	z_stream zs = { 0 };
	char *out;
	size_t i;

	assert_non_null(bits);
	for (i = 0; i < n; i++)
		bits[set[i] / 8] |= 0x80 >> (set[i] % 8);	/* index 0: the first MSB */
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = bits;
	zs.avail_in = bytes;
	zs.next_out = gz;
	zs.avail_out = sizeof(gz) - extra;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	memset(zs.next_out, 0, extra);
	assert_int_equal(cyl_multibase_encode('u', gz, sizeof(gz) - zs.avail_out, &out), 0);
	deflateEnd(&zs);
	free(bits);
	return out;
}

static char *encode_list(const uint64_t *set, size_t n)
{
	return encode_bits(LIST_BYTES, set, n, 0);
}

/*
 * Write the list for @url into the cache: @issuer in "issuer", signed by
 * @signer, valid from NOW + @from; @tamper: another bitstring after signing.
 */
static void write_list(const char *url, const char *purpose, int issuer, int signer,
		       long from, const uint64_t *set, size_t n, bool tamper)
{
	char *enc = encode_list(set, n), *text;
	json_t *vc;
	FILE *f;

	vc = json_pack("{s:[s], s:s, s:[s,s], s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}}",
		       "@context", "https://www.w3.org/ns/credentials/v2", "id", url,
		       "type", "VerifiableCredential", "BitstringStatusListCredential",
		       "issuer", k[issuer].did, "validFrom", date(from),
		       "validUntil", date(from + 86400),
		       "credentialSubject", "id", "urn:uuid:list", "type", "BitstringStatusList",
		       "statusPurpose", purpose, "encodedList", enc);
	assert_non_null(vc);
	free(enc);
	sign(vc, signer, k[signer].vm, "assertionMethod", NULL, NULL);
	if (tamper) {
		enc = encode_list(NULL, 0);
		json_object_set_new(json_object_get(vc, "credentialSubject"), "encodedList",
				    json_string(enc));
		free(enc);
	}
	text = json_dumps(vc, JSON_COMPACT);
	f = open_list(url, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	free(text);
	json_decref(vc);
}

/* --- credentials and presentations --- */

/* An unsigned credential of @type by @issuer about @subject, valid around NOW. */
static json_t *credential(const char *type, int issuer, int subject)
{
	json_t *vc = json_pack("{s:[s], s:s, s:[s,s], s:s, s:s, s:s, s:{s:s, s:s}}",
			       "@context", "https://www.w3.org/ns/credentials/v2",
			       "id", "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
			       "type", "VerifiableCredential", type,
			       "issuer", k[issuer].did, "validFrom", date(-86400),
			       "validUntil", date(86400), "credentialSubject",
			       "id", k[subject].did, "role", "cardiologist");

	assert_non_null(vc);
	return vc;
}

static void add_status(json_t *vc, const char *purpose, uint64_t index, const char *url)
{
	json_t *status = json_object_get(vc, "credentialStatus");
	char idx[24];

	if (!status) {
		status = json_array();
		json_object_set_new(vc, "credentialStatus", status);
	}
	snprintf(idx, sizeof(idx), "%llu", (unsigned long long)index);
	json_array_append_new(status, json_pack("{s:s, s:s, s:s, s:s}",
						"type", "BitstringStatusListEntry",
						"statusPurpose", purpose, "statusListIndex", idx,
						"statusListCredential", url));
}

/* A good credential signed by its issuer. */
static json_t *issued(const char *type, int issuer)
{
	json_t *vc = credential(type, issuer, HOLDER);

	sign(vc, issuer, k[issuer].vm, "assertionMethod", NULL, NULL);
	return vc;
}

static void challenge(char out[CYL_CHALLENGE_LEN + 1])
{
	assert_int_equal(cyl_challenge_issue(&challenges, mono, 60, out), 0);
}

/* The text of a presentation of @vcs (taken) by @holder, signed by @signer. */
static char *presentation(int holder, int signer, json_t *vcs, const char *nonce,
			  const char *domain)
{
	json_t *vp = json_pack("{s:[s], s:s, s:s, s:o}",
			       "@context", "https://www.w3.org/ns/credentials/v2",
			       "type", "VerifiablePresentation", "holder", k[holder].did,
			       "verifiableCredential", vcs);
	char *text;

	assert_non_null(vp);
	sign(vp, signer, k[signer].vm, "authentication", nonce, domain);
	text = json_dumps(vp, JSON_COMPACT);
	assert_non_null(text);
	json_decref(vp);
	return text;
}

/* A fresh challenge's presentation by the holder of the one credential @vc. */
static char *present(json_t *vc)
{
	char nonce[CYL_CHALLENGE_LEN + 1];

	challenge(nonce);
	return presentation(HOLDER, HOLDER, json_pack("[o]", vc), nonce, DOMAIN);
}

/* Verify @text (freed): refused for @reason, the message starting with @where, holding @what. */
static void refused(char *text, enum cyl_ssi_reason reason, const char *where, const char *what)
{
	struct cyl_ssi_result res;
	enum cyl_ssi_reason got;

	got = cyl_ssi_verify_presentation(&verifier, text, strlen(text), &res);
	if (got != reason)
		fail_msg("%s, expected %s: %s", cyl_ssi_reason_name(got),
			 cyl_ssi_reason_name(reason), res.message);
	assert_int_equal(res.reason, reason);
	assert_true(strlen(res.message) > 0);
	if (strncmp(res.message, where, strlen(where)) || !strstr(res.message, what))
		fail_msg("message \"%s\" lacks \"%s\" ... \"%s\"", res.message, where, what);
	assert_int_equal(res.n, 0);
	assert_null(res.creds);
	cyl_ssi_result_free(&res);
	free(text);
}

static void accepted(char *text, struct cyl_ssi_result *res)
{
	if (cyl_ssi_verify_presentation(&verifier, text, strlen(text), res))
		fail_msg("refused: %s", res->message);
	assert_string_equal(res->holder, k[HOLDER].did);
	free(text);
}

static void good(char *text)
{
	struct cyl_ssi_result res;

	accepted(text, &res);
	cyl_ssi_result_free(&res);
}

/* --- fixture --- */

static int setup(void **state)
{
	static const uint64_t revoked[] = { REVOKED, 0, LIST_BYTES * 8 - 1 };
	static const uint64_t suspended[] = { SUSPENDED };
	uint8_t seed[32];
	char err[256], *frag;
	int i;

	for (i = 0; i < N_KEYS; i++) {
		memset(seed, 0x11 * (i + 1), sizeof(seed));
		if (cyl_did_key_generate(i == ISSUER_P256 ? CYL_DID_P256 : CYL_DID_ED25519, seed,
					 &k[i].key, &k[i].did, err, sizeof(err)))
			fail_msg("cyl_did_key_generate: %s", err);
		frag = k[i].did + strlen("did:key:");
		snprintf(k[i].vm, sizeof(k[i].vm), "%s#%s", k[i].did, frag);
	}
	assert_non_null(mkdtemp(status_dir));
	clinician_issuers[0] = k[ISSUER].did;
	clinician_issuers[1] = k[ISSUER_P256].did;
	nurse_issuers[0] = k[ISSUER].did;
	rules[0] = (struct cyl_ssi_issuer_rule){ "ClinicianCredential", clinician_issuers, 2 };
	rules[1] = (struct cyl_ssi_issuer_rule){ "NurseCredential", nurse_issuers, 1 };
	verifier = (struct cyl_ssi_verifier){
		.resolver = &resolver, .rules = rules, .n_rules = 2, .domain = DOMAIN,
		.now = NOW, .check_challenge = check_challenge, .arg = &challenges,
		.status_dir = status_dir, .status_max_age = MAX_AGE,
	};

	write_list(REV_URL, "revocation", ISSUER, ISSUER, -600, revoked, 3, false);
	write_list(SUS_URL, "suspension", ISSUER, ISSUER, -600, suspended, 1, false);
	write_list(URL("stale"), "revocation", ISSUER, ISSUER, -MAX_AGE - 1, NULL, 0, false);
	write_list(URL("rogue"), "revocation", ISSUER, ROGUE, -600, NULL, 0, false);
	write_list(URL("tampered"), "revocation", ISSUER, ISSUER, -600, revoked, 3, true);
	return 0;
}

static int teardown(void **state)
{
	static const char *const urls[] = {
		REV_URL, SUS_URL, URL("stale"), URL("rogue"), URL("tampered"), URL("copied"),
	};
	char name[70], path[128];
	size_t i;

	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		cyl_ssi_status_cache_name(urls[i], name);
		snprintf(path, sizeof(path), "%s/%s", status_dir, name);
		unlink(path);
	}
	rmdir(status_dir);
	for (i = 0; i < N_KEYS; i++) {
		EVP_PKEY_free(k[i].key);
		free(k[i].did);
	}
	return 0;
}

/* --- good presentations --- */

static void test_one(void **state)
{
	json_t *vc = credential("ClinicianCredential", ISSUER, HOLDER);
	struct cyl_ssi_result res;

	add_status(vc, "revocation", REVOKED - 1, REV_URL);
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	accepted(present(vc), &res);
	assert_int_equal(res.reason, CYL_SSI_OK);
	assert_int_equal(res.n, 1);
	assert_string_equal(res.creds[0].type, "ClinicianCredential");
	assert_string_equal(res.creds[0].issuer, k[ISSUER].did);
	assert_string_equal(cyl_ssi_json_str(res.creds[0].subject, "role"), "cardiologist");
	assert_string_equal(cyl_ssi_json_str(res.creds[0].subject, "id"), k[HOLDER].did);
	cyl_ssi_result_free(&res);
	assert_null(res.holder);
	assert_null(res.creds);
}

static void test_five(void **state)
{
	char nonce[CYL_CHALLENGE_LEN + 1];
	struct cyl_ssi_result res;
	json_t *vcs = json_array(), *vc;

	/* Status bits beside the set ones: the order of bits within a byte. */
	vc = credential("ClinicianCredential", ISSUER, HOLDER);
	add_status(vc, "revocation", REVOKED + 1, REV_URL);
	add_status(vc, "suspension", SUSPENDED - 1, SUS_URL);
	add_status(vc, "refresh", 7, URL("nowhere"));	/* informational: skipped */
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	json_array_append_new(vcs, vc);
	/* The issuer as an object. */
	vc = credential("NurseCredential", ISSUER, HOLDER);
	json_object_set_new(vc, "issuer", json_pack("{s:s, s:s}", "id", k[ISSUER].did,
						    "name", "Example Hospital"));
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	json_array_append_new(vcs, vc);
	/* P-256, ecdsa-jcs-2019. */
	json_array_append_new(vcs, issued("ClinicianCredential", ISSUER_P256));
	/* Accepted as the first of its types trusted from its issuer. */
	vc = credential("UnknownCredential", ISSUER, HOLDER);
	json_array_append_new(json_object_get(vc, "type"), json_string("NurseCredential"));
	json_array_append_new(json_object_get(vc, "type"), json_string("ClinicianCredential"));
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	json_array_append_new(vcs, vc);
	/* Valid exactly from NOW (written at +01:00) until exactly NOW. */
	vc = credential("ClinicianCredential", ISSUER, HOLDER);
	json_object_set_new(vc, "validFrom", json_string("2026-01-01T01:00:00.000+01:00"));
	json_object_set_new(vc, "validUntil", json_string("2025-12-31T23:30:00-00:30"));
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	json_array_append_new(vcs, vc);

	challenge(nonce);
	accepted(presentation(HOLDER, HOLDER, vcs, nonce, DOMAIN), &res);
	assert_int_equal(res.n, 5);
	assert_string_equal(res.creds[0].type, "ClinicianCredential");
	assert_string_equal(res.creds[1].type, "NurseCredential");
	assert_string_equal(res.creds[1].issuer, k[ISSUER].did);
	assert_string_equal(res.creds[2].type, "ClinicianCredential");
	assert_string_equal(res.creds[2].issuer, k[ISSUER_P256].did);
	assert_string_equal(res.creds[3].type, "NurseCredential");
	assert_string_equal(res.creds[4].type, "ClinicianCredential");
	cyl_ssi_result_free(&res);
}

/* --- challenges and domain --- */

static void test_challenge(void **state)
{
	char nonce[CYL_CHALLENGE_LEN + 1], *text;

	refused(presentation(HOLDER, HOLDER, json_pack("[o]", issued("NurseCredential", ISSUER)),
			     "bm90LWlzc3VlZC1oZXJlLW5vdC1pc3N1ZWQtaGVyZS0", DOMAIN),
		CYL_SSI_WRONG_CHALLENGE, "presentation.proof", "not issued");
	refused(presentation(HOLDER, HOLDER, json_pack("[o]", issued("NurseCredential", ISSUER)),
			     NULL, DOMAIN),
		CYL_SSI_WRONG_CHALLENGE, "presentation.proof", "no challenge");

	/* Reused: the same presentation twice. */
	text = present(issued("NurseCredential", ISSUER));
	good(strdup(text));
	refused(text, CYL_SSI_REUSED_CHALLENGE, "presentation.proof", "already used");

	/* Expired: presented after the TTL. */
	text = present(issued("NurseCredential", ISSUER));
	mono += 61;
	refused(text, CYL_SSI_EXPIRED_CHALLENGE, "presentation.proof", "expired");

	/* A wrong domain, and no domain, leave the challenge for the real use. */
	challenge(nonce);
	refused(presentation(HOLDER, HOLDER, json_pack("[o]", issued("NurseCredential", ISSUER)),
			     nonce, "evil.example"),
		CYL_SSI_WRONG_DOMAIN, "presentation.proof", DOMAIN);
	refused(presentation(HOLDER, HOLDER, json_pack("[o]", issued("NurseCredential", ISSUER)),
			     nonce, NULL),
		CYL_SSI_WRONG_DOMAIN, "presentation.proof", DOMAIN);
	good(presentation(HOLDER, HOLDER, json_pack("[o]", issued("NurseCredential", ISSUER)),
			  nonce, DOMAIN));
}

/* A forged presentation does not burn the challenge it carries. */
static void test_forgery_keeps_challenge(void **state)
{
	char nonce[CYL_CHALLENGE_LEN + 1], *text, *p;

	challenge(nonce);
	/* Signed by someone else in the holder's name. */
	refused(presentation(HOLDER, OTHER, json_pack("[o]", issued("NurseCredential", ISSUER)),
			     nonce, DOMAIN),
		CYL_SSI_HOLDER_MISMATCH, "presentation", k[OTHER].did);
	/* The holder's, altered after signing (the domain). */
	text = presentation(HOLDER, HOLDER, json_pack("[o]", issued("NurseCredential", ISSUER)),
			    nonce, DOMAIN);
	p = strstr(text, "\"" DOMAIN "\"");
	assert_non_null(p);
	p[1] = 'G';
	refused(text, CYL_SSI_BAD_SIGNATURE, "presentation.proof", "");
	good(presentation(HOLDER, HOLDER, json_pack("[o]", issued("NurseCredential", ISSUER)),
			  nonce, DOMAIN));
}

/* --- credentials --- */

static void test_untrusted(void **state)
{
	/* ROGUE issues a perfectly signed ClinicianCredential: not trusted for it. */
	refused(present(issued("ClinicianCredential", ROGUE)), CYL_SSI_UNTRUSTED_ISSUER,
		"verifiableCredential[0]", k[ROGUE].did);
	/* The P-256 issuer is trusted for clinicians, not nurses. */
	refused(present(issued("NurseCredential", ISSUER_P256)), CYL_SSI_UNTRUSTED_ISSUER,
		"verifiableCredential[0]", "not trusted");
}

static void test_revoked_suspended(void **state)
{
	char nonce[CYL_CHALLENGE_LEN + 1];
	json_t *vc;

	vc = credential("ClinicianCredential", ISSUER, HOLDER);
	add_status(vc, "suspension", SUSPENDED + 1, SUS_URL);
	add_status(vc, "revocation", REVOKED, REV_URL);
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	challenge(nonce);
	refused(presentation(HOLDER, HOLDER,
			     json_pack("[o,o]", issued("NurseCredential", ISSUER), vc),
			     nonce, DOMAIN),
		CYL_SSI_REVOKED, "verifiableCredential[1].credentialStatus[1]: revoked",
		"(index 94567 of " REV_URL ")");

	vc = credential("ClinicianCredential", ISSUER, HOLDER);
	add_status(vc, "revocation", REVOKED + 1, REV_URL);
	add_status(vc, "suspension", SUSPENDED, SUS_URL);
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	refused(present(vc), CYL_SSI_SUSPENDED,
		"verifiableCredential[0].credentialStatus[1]: suspended",
		"(index 4242 of " SUS_URL ")");

	/* The first and the last bit of the list, set too. */
	vc = credential("ClinicianCredential", ISSUER, HOLDER);
	add_status(vc, "revocation", LIST_BYTES * 8 - 1, REV_URL);
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	refused(present(vc), CYL_SSI_REVOKED, "verifiableCredential[0]", "index 131071");
	vc = credential("ClinicianCredential", ISSUER, HOLDER);
	add_status(vc, "revocation", 0, REV_URL);
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	refused(present(vc), CYL_SSI_REVOKED, "verifiableCredential[0]", "index 0 of");
}

static void test_validity(void **state)
{
	json_t *vc;

	vc = credential("ClinicianCredential", ISSUER, HOLDER);
	json_object_set_new(vc, "validUntil", json_string(date(-1)));
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	refused(present(vc), CYL_SSI_EXPIRED, "verifiableCredential[0]", "expired at");

	vc = credential("ClinicianCredential", ISSUER, HOLDER);
	json_object_set_new(vc, "validFrom", json_string("2025-12-31T23:00:01-01:00"));
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	refused(present(vc), CYL_SSI_NOT_YET_VALID, "verifiableCredential[0]", "not valid before");

	/* February 29th of a year that has none. */
	vc = credential("ClinicianCredential", ISSUER, HOLDER);
	json_object_set_new(vc, "validFrom", json_string("2025-02-29T00:00:00Z"));
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	refused(present(vc), CYL_SSI_MALFORMED, "verifiableCredential[0].validFrom", "");
	/* No timezone. */
	vc = credential("ClinicianCredential", ISSUER, HOLDER);
	json_object_set_new(vc, "validUntil", json_string("2026-06-01T00:00:00"));
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	refused(present(vc), CYL_SSI_MALFORMED, "verifiableCredential[0].validUntil", "");
}

static void test_signatures(void **state)
{
	json_t *vc;

	/* A claim changed after signing. */
	vc = issued("ClinicianCredential", ISSUER);
	json_object_set_new(json_object_get(vc, "credentialSubject"), "role",
			    json_string("chief-of-surgery"));
	refused(present(vc), CYL_SSI_BAD_SIGNATURE, "verifiableCredential[0].proof", "");

	/* Another key signing under the issuer's verification method. */
	vc = credential("ClinicianCredential", ISSUER, HOLDER);
	sign(vc, ROGUE, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	refused(present(vc), CYL_SSI_BAD_SIGNATURE, "verifiableCredential[0].proof", "");

	/* Another key signing as itself, in the issuer's name. */
	vc = credential("ClinicianCredential", ISSUER, HOLDER);
	sign(vc, ROGUE, k[ROGUE].vm, "assertionMethod", NULL, NULL);
	refused(present(vc), CYL_SSI_BAD_SIGNATURE, "verifiableCredential[0].proof",
		k[ROGUE].did);
}

static void test_holder(void **state)
{
	char nonce[CYL_CHALLENGE_LEN + 1];
	json_t *vc;

	/* The holder's DID, but the proof by another's key. */
	challenge(nonce);
	refused(presentation(HOLDER, OTHER, json_pack("[o]", issued("NurseCredential", ISSUER)),
			     nonce, DOMAIN),
		CYL_SSI_HOLDER_MISMATCH, "presentation: holder", k[OTHER].did);

	/* OTHER presents the holder's credential as itself. */
	challenge(nonce);
	refused(presentation(OTHER, OTHER, json_pack("[o]", issued("NurseCredential", ISSUER)),
			     nonce, DOMAIN),
		CYL_SSI_HOLDER_MISMATCH, "verifiableCredential[0].credentialSubject",
		k[HOLDER].did);

	/* A subject that is not the holder; one with no id. */
	vc = credential("NurseCredential", ISSUER, OTHER);
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	refused(present(vc), CYL_SSI_HOLDER_MISMATCH, "verifiableCredential[0].credentialSubject",
		"is not the holder");
	vc = credential("NurseCredential", ISSUER, HOLDER);
	json_object_del(json_object_get(vc, "credentialSubject"), "id");
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	refused(present(vc), CYL_SSI_HOLDER_MISMATCH,
		"verifiableCredential[0].credentialSubject", "no id");
}

/* A presentation by a did:web holder, which the resolver has no cache for. */
static void test_unresolvable(void **state)
{
	char nonce[CYL_CHALLENGE_LEN + 1], *text;
	json_t *vp;

	challenge(nonce);
	vp = json_pack("{s:[s], s:s, s:s, s:[o]}",
		       "@context", "https://www.w3.org/ns/credentials/v2",
		       "type", "VerifiablePresentation", "holder", "did:web:clinic.example",
		       "verifiableCredential", issued("NurseCredential", ISSUER));
	assert_non_null(vp);
	sign(vp, HOLDER, "did:web:clinic.example#key-1", "authentication", nonce, DOMAIN);
	text = json_dumps(vp, JSON_COMPACT);
	json_decref(vp);
	refused(text, CYL_SSI_UNRESOLVABLE, "presentation.proof", "");
}

/* --- bad input --- */

static void test_malformed(void **state)
{
	static char big[300 * 1024];
	char *text, *dup;
	size_t i;

	refused(strdup("{"), CYL_SSI_MALFORMED, "presentation: ", "");
	refused(strdup("[]"), CYL_SSI_MALFORMED, "presentation: ", "not an object");
	refused(strdup("{\"@context\":[\"https://www.w3.org/2018/credentials/v1\"]}"),
		CYL_SSI_MALFORMED, "presentation: ", "@context");

	/* A good presentation with a key repeated. */
	text = present(issued("NurseCredential", ISSUER));
	dup = malloc(strlen(text) + 64);
	assert_non_null(dup);
	sprintf(dup, "{\"type\":\"VerifiablePresentation\",%s", text + 1);
	free(text);
	refused(dup, CYL_SSI_MALFORMED, "presentation: ", "");

	/* Over 256 KiB. */
	memset(big, ' ', sizeof(big) - 1);
	memcpy(big, "{\"pad\":\"", 8);
	memset(big + 8, 'a', sizeof(big) - 16);
	memcpy(big + sizeof(big) - 8, "\"}", 3);
	refused(strdup(big), CYL_SSI_MALFORMED, "presentation: ", "");

	/* Deeper than 32. */
	text = malloc(200);
	assert_non_null(text);
	for (i = 0; i < 40; i++) {
		text[i] = '[';
		text[80 - i - 1] = ']';
	}
	text[80] = '\0';
	refused(text, CYL_SSI_MALFORMED, "presentation: ", "");
}

static void test_too_many(void **state)
{
	char nonce[CYL_CHALLENGE_LEN + 1];
	json_t *vcs = json_array(), *vc = issued("NurseCredential", ISSUER);
	int i;

	for (i = 0; i < 17; i++)
		json_array_append(vcs, vc);
	json_decref(vc);
	challenge(nonce);
	refused(presentation(HOLDER, HOLDER, vcs, nonce, DOMAIN), CYL_SSI_MALFORMED,
		"presentation: verifiableCredential", "1 to 16");
	challenge(nonce);
	refused(presentation(HOLDER, HOLDER, json_array(), nonce, DOMAIN), CYL_SSI_MALFORMED,
		"presentation: verifiableCredential", "1 to 16");
}

/* --- status lists --- */

static char *with_status(const char *url, uint64_t index)
{
	json_t *vc = credential("ClinicianCredential", ISSUER, HOLDER);

	add_status(vc, "revocation", index, url);
	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	return present(vc);
}

/* The revocation list's file under the name of @url. */
static void copy_list(const char *url)
{
	FILE *in = open_list(REV_URL, "r"), *out = open_list(url, "w");
	char buf[4096];
	size_t len;

	assert_non_null(in);
	assert_non_null(out);
	while ((len = fread(buf, 1, sizeof(buf), in)))
		assert_int_equal(fwrite(buf, 1, len, out), len);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static void test_status_lists(void **state)
{
	const char *where = "verifiableCredential[0].credentialStatus[0]";

	/* The issuer's good list, but for another URL. */
	copy_list(URL("copied"));
	refused(with_status(URL("copied"), 5), CYL_SSI_STATUS_UNAVAILABLE, where,
		"has id " REV_URL);

	refused(with_status(URL("missing"), 5), CYL_SSI_STATUS_UNAVAILABLE, where, "not cached");
	refused(with_status(URL("stale"), 5), CYL_SSI_STATUS_UNAVAILABLE, where, "stale");
	refused(with_status(URL("rogue"), 5), CYL_SSI_STATUS_UNAVAILABLE, where,
		"not issued by");
	refused(with_status(URL("tampered"), 5), CYL_SSI_STATUS_UNAVAILABLE, where,
		"does not verify");
	refused(with_status(REV_URL, LIST_BYTES * 8), CYL_SSI_MALFORMED, where, "out of range");
	/* A revocation entry pointing at the suspension list. */
	refused(with_status(SUS_URL, 5), CYL_SSI_MALFORMED, where, "not for revocation");
}

/* --- bitstrings --- */

static void test_bitstring(void **state)
{
	static const uint64_t set[] = { 9, 16 * 8 * 1024 * 1024 - 1 };
	char err[160], *enc;
	int bit = -1;

	/* The largest list allowed, its last bit. */
	enc = encode_bits(CYL_STATUS_MAX_BYTES, set, 2, 0);
	assert_int_equal(cyl_ssi_status_bit(enc, set[1], &bit, err, sizeof(err)), 0);
	assert_int_equal(bit, 1);
	assert_int_equal(cyl_ssi_status_bit(enc, set[1] - 1, &bit, err, sizeof(err)), 0);
	assert_int_equal(bit, 0);
	assert_int_equal(cyl_ssi_status_bit(enc, 9, &bit, err, sizeof(err)), 0);
	assert_int_equal(bit, 1);
	assert_int_equal(cyl_ssi_status_bit(enc, set[1] + 1, &bit, err, sizeof(err)), -ERANGE);
	free(enc);
	/* One byte more, inflated. */
	enc = encode_bits(CYL_STATUS_MAX_BYTES + 1, set, 1, 0);
	assert_int_equal(cyl_ssi_status_bit(enc, 9, &bit, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "over"));
	free(enc);
	/* One byte short of the minimum. */
	enc = encode_bits(LIST_BYTES - 1, set, 1, 0);
	assert_int_equal(cyl_ssi_status_bit(enc, 9, &bit, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "at least"));
	free(enc);
	/* Bytes after the GZIP member; a truncated member; base58btc. */
	enc = encode_bits(LIST_BYTES, set, 1, 4);
	assert_int_equal(cyl_ssi_status_bit(enc, 9, &bit, err, sizeof(err)), -EINVAL);
	enc[strlen(enc) - 12] = '\0';
	assert_int_equal(cyl_ssi_status_bit(enc, 9, &bit, err, sizeof(err)), -EINVAL);
	enc[0] = 'z';
	assert_int_equal(cyl_ssi_status_bit(enc, 9, &bit, err, sizeof(err)), -EINVAL);
	free(enc);
	assert_int_equal(cyl_ssi_status_bit("uH4sI", 9, &bit, err, sizeof(err)), -EINVAL);
}

/* --- the rest of the interface --- */

static void test_credential_alone(void **state)
{
	struct cyl_ssi_result res;
	json_t *vc = credential("NurseCredential", ISSUER, OTHER);

	sign(vc, ISSUER, k[ISSUER].vm, "assertionMethod", NULL, NULL);
	/* Not bound to a holder: any subject. */
	assert_int_equal(cyl_ssi_verify_credential(&verifier, vc, &res), CYL_SSI_OK);
	assert_int_equal(res.n, 1);
	assert_string_equal(res.creds[0].type, "NurseCredential");
	assert_null(res.holder);
	cyl_ssi_result_free(&res);
	json_object_set_new(vc, "validUntil", json_string(date(-5)));
	assert_int_equal(cyl_ssi_verify_credential(&verifier, vc, &res), CYL_SSI_BAD_SIGNATURE);
	assert_int_equal(res.n, 0);
	cyl_ssi_result_free(&res);
	json_decref(vc);
}

static void test_names(void **state)
{
	char name[70];

	assert_string_equal(cyl_ssi_reason_name(CYL_SSI_OK), "ok");
	assert_string_equal(cyl_ssi_reason_name(CYL_SSI_REUSED_CHALLENGE), "reused-challenge");
	assert_string_equal(cyl_ssi_reason_name(CYL_SSI_STATUS_UNAVAILABLE),
			    "status-unavailable");
	assert_string_equal(cyl_ssi_reason_name(CYL_SSI_NO_CREDENTIAL), "no-credential");
	assert_string_equal(cyl_ssi_reason_name((enum cyl_ssi_reason)99), "unknown");
	/* sha256sum of the URL. */
	cyl_ssi_status_cache_name(REV_URL, name);
	assert_string_equal(name, "4ae033ed1d631de688afcc550f26d894"
				  "56c83835ecb34d3c9c215fbdd6aec07d.json");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one),
		cmocka_unit_test(test_five),
		cmocka_unit_test(test_challenge),
		cmocka_unit_test(test_forgery_keeps_challenge),
		cmocka_unit_test(test_untrusted),
		cmocka_unit_test(test_revoked_suspended),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_signatures),
		cmocka_unit_test(test_holder),
		cmocka_unit_test(test_unresolvable),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_status_lists),
		cmocka_unit_test(test_bitstring),
		cmocka_unit_test(test_credential_alone),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
