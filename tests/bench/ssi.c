// SPDX-License-Identifier: GPL-2.0
/*
 * SSI verification on one core: presentations verified per second, with
 * one credential and with five (each credential with a revocation status
 * list entry, the list read from disk and verified each time, as the
 * agent does), against raw OpenSSL Ed25519 verifications per second in
 * the same run.  A presentation with n credentials checks n + 1 + n
 * signatures (presentation, credentials, status lists), so the ratio
 * (presentation rate x signatures) / raw rate shows the overhead of JSON,
 * JCS, hashing, DID resolution and status lists.
 *
 *   make bench-tools && build/tests/bench/ssi
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "ssi/di.h"
#include "ssi/did.h"
#include "ssi/status.h"
#include "ssi/verify.h"

#define URL	"https://hospital.example/status/1"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
	fprintf(stderr, "ssi bench: %s failed\n", what);
	exit(1);
}

static char *vm_of(const char *did)
{
	char *vm = malloc(2 * strlen(did));

	sprintf(vm, "%s#%s", did, did + strlen("did:key:"));
	return vm;
}

static void sign(json_t *doc, EVP_PKEY *key, const char *did, const char *purpose,
		 const char *challenge, const char *domain)
{
	struct cyl_di_options o = { .proof_purpose = purpose, .challenge = challenge,
				    .domain = domain, .created = "2026-01-01T00:00:00Z" };
	char err[256];

	o.verification_method = vm_of(did);
	if (cyl_di_sign(doc, key, &o, err, sizeof(err)))
		die(err);
	free((char *)o.verification_method);
}

static enum cyl_challenge_status any_challenge(void *arg, const char *c)
{
	return CYL_CHALLENGE_OK;
}

int main(void)
{
	static const uint8_t s1[32] = { 1 }, s2[32] = { 2 };
	EVP_PKEY *issuer, *holder;
	char *idid, *hdid, *text, dir[] = "/tmp/cyl-ssi-bench.XXXXXX", name[70], path[256];
	char err[256], *encoded, index[16];
	struct cyl_did_resolver r = { 0 };
	struct cyl_ssi_issuer_rule rule;
	const char *issuers[1];
	uint64_t set = 9;
	double t0, rate[2], raw;
	json_t *vp, *vc, *list;
	int n_creds[2] = { 1, 5 }, k, i, reps;
	FILE *f;

	if (cyl_did_key_generate(CYL_DID_ED25519, s1, &issuer, &idid, err, sizeof(err)) ||
	    cyl_did_key_generate(CYL_DID_ED25519, s2, &holder, &hdid, err, sizeof(err)))
		die("keys");
	issuers[0] = idid;
	rule = (struct cyl_ssi_issuer_rule){ "ClinicianCredential", issuers, 1 };
	if (!mkdtemp(dir) || cyl_ssi_status_encode(&set, 1, CYL_STATUS_MIN_BYTES,
							 &encoded, err, sizeof(err)))
		die("status list");
	list = json_pack("{s:[s], s:s, s:[s,s], s:s, s:s, s:{s:s, s:s, s:s, s:s}}",
			 "@context", "https://www.w3.org/ns/credentials/v2", "id", URL,
			 "type", "VerifiableCredential", "BitstringStatusListCredential",
			 "issuer", idid, "validFrom", "2026-01-01T00:00:00Z",
			 "credentialSubject", "id", URL "#list", "type", "BitstringStatusList",
			 "statusPurpose", "revocation", "encodedList", encoded);
	sign(list, issuer, idid, "assertionMethod", NULL, NULL);
	cyl_ssi_status_cache_name(URL, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || json_dumpf(list, f, JSON_COMPACT) || fclose(f))
		die("writing the status list");

	struct cyl_ssi_verifier v = {
		.resolver = &r, .rules = &rule, .n_rules = 1, .domain = "gw.example",
		.now = time(NULL), .check_challenge = any_challenge, .status_dir = dir,
		.status_max_age = 400u * 86400 * 365,
	};

	for (k = 0; k < 2; k++) {
		vp = json_pack("{s:[s], s:s, s:s, s:[]}", "@context",
			       "https://www.w3.org/ns/credentials/v2", "type",
			       "VerifiablePresentation", "holder", hdid, "verifiableCredential");
		for (i = 0; i < n_creds[k]; i++) {
			snprintf(index, sizeof(index), "%d", 100 + i);
			vc = json_pack("{s:[s], s:[s,s], s:s, s:s, s:{s:s, s:s, s:s}, "
				       "s:[{s:s, s:s, s:s, s:s}]}",
				       "@context", "https://www.w3.org/ns/credentials/v2",
				       "type", "VerifiableCredential", "ClinicianCredential",
				       "issuer", idid, "validFrom", "2026-01-01T00:00:00Z",
				       "credentialSubject", "id", hdid, "role", "cardiologist",
				       "ward", "ICU", "credentialStatus", "type",
				       "BitstringStatusListEntry", "statusPurpose", "revocation",
				       "statusListIndex", index, "statusListCredential", URL);
			sign(vc, issuer, idid, "assertionMethod", NULL, NULL);
			json_array_append_new(json_object_get(vp, "verifiableCredential"), vc);
		}
		sign(vp, holder, hdid, "authentication", "c", "gw.example");
		text = json_dumps(vp, JSON_COMPACT);
		reps = 0;
		t0 = now();
		do {
			struct cyl_ssi_result res = { 0 };

			if (cyl_ssi_verify_presentation(&v, text, strlen(text), &res) != CYL_SSI_OK)
				die(res.message);
			cyl_ssi_result_free(&res);
			reps++;
		} while (now() - t0 < 2.0);
		rate[k] = reps / (now() - t0);
		free(text);
		json_decref(vp);
	}

	{
		uint8_t msg[64] = { 0 }, sig[64];
		size_t siglen = sizeof(sig);
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();

		EVP_DigestSignInit(ctx, NULL, NULL, NULL, issuer);
		EVP_DigestSign(ctx, sig, &siglen, msg, sizeof(msg));
		EVP_MD_CTX_free(ctx);
		reps = 0;
		t0 = now();
		do {
			ctx = EVP_MD_CTX_new();
			if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, issuer) != 1 ||
			    EVP_DigestVerify(ctx, sig, siglen, msg, sizeof(msg)) != 1)
				die("Ed25519 verify");
			EVP_MD_CTX_free(ctx);
			reps++;
		} while (now() - t0 < 2.0);
		raw = reps / (now() - t0);
	}

	printf("SSI presentation verification, one core\n\n");
	printf("raw OpenSSL Ed25519 verifications: %.0f/s\n", raw);
	for (k = 0; k < 2; k++) {
		int sigs = 2 * n_creds[k] + 1;

		printf("presentation, %d credential%s: %.0f/s (%d signatures each: %.0f%% of "
		       "the raw signature rate)\n", n_creds[k], n_creds[k] > 1 ? "s" : "",
		       rate[k], sigs, 100.0 * rate[k] * sigs / raw);
	}
	unlink(path);
	rmdir(dir);
	return 0;
}
