// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for presentation verification: the input is the
 * presentation's text, verified with a fixed verifier (an issuer and a
 * holder of did:key from fixed seeds, trusted rules, a domain, a clock,
 * a challenge that is always fresh, and a status cache holding one
 * revocation list that the harness signs at start).  Besides memory
 * errors it checks the promises of verify.h: a refusal has a known
 * reason, a message and no credentials; an acceptance has the holder and
 * 1..16 credentials, each with its type, issuer and subject.
 *
 * The corpus's valid presentation is what this harness writes with
 * CYL_FUZZ_SSI_SEED=<file> (signatures are deterministic; so are the
 * dates here).
 */
#include "ssi/status.c"
#include "ssi/verify.c"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <zlib.h>

#include "ssi/did.h"
#include "ssi/multibase.h"

#define check(cond) do {		\
	if (!(cond))			\
		__builtin_trap();	\
} while (0)

#define FZ_NOW		1767225600	/* 2026-01-01T00:00:00Z */
#define FZ_CHALLENGE	"cylcomed-presentation-fuzzing-challenge-000"
#define FZ_LIST		"https://issuer.example/status/1"

static EVP_PKEY *fz_issuer, *fz_holder;
static char *fz_issuer_did, *fz_holder_did, fz_issuer_vm[128], fz_holder_vm[128];
static char fz_dir[] = "/tmp/fuzz_ssi_presentation.XXXXXX", fz_list_path[128];
static const char *fz_issuers[1];
static struct cyl_ssi_issuer_rule fz_rules[1];
static struct cyl_did_resolver fz_resolver;
static struct cyl_ssi_verifier fz_verifier;

static enum cyl_challenge_status fz_check_challenge(void *arg, const char *challenge)
{
	return strcmp(challenge, FZ_CHALLENGE) ? CYL_CHALLENGE_UNKNOWN : CYL_CHALLENGE_OK;
}

static int fz_key(const char *seed, EVP_PKEY **key, char **did, char vm[128])
{
	char err[128];

	if (cyl_did_key_generate(CYL_DID_ED25519, (const uint8_t *)seed, key, did, err,
				 sizeof(err)))
		return -1;
	snprintf(vm, 128, "%s#%s", *did, *did + strlen("did:key:"));
	return 0;
}

static int fz_sign(json_t *doc, EVP_PKEY *key, const char *vm, const char *purpose,
		   const char *challenge, const char *domain)
{
	struct cyl_di_options o = {
		.verification_method = vm, .proof_purpose = purpose,
		.created = "2025-12-31T23:00:00Z", .challenge = challenge, .domain = domain,
	};
	char err[128];

	return doc && !cyl_di_sign(doc, key, &o, err, sizeof(err)) ? 0 : -1;
}

/* The signed revocation list, bit 7 set, into the status cache. */
static int fz_write_list(void)
{
	uint8_t bits[CYL_STATUS_MIN_BYTES] = { [0] = 0x01 }, gz[1024];
	uLongf gzlen = sizeof(gz);
	z_stream zs = { 0 };
	char name[70], *enc, *text;
	json_t *vc;
	FILE *f;
	int ret = -1;

	if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	zs.next_in = bits;
	zs.avail_in = sizeof(bits);
	zs.next_out = gz;
	zs.avail_out = gzlen;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END ||
	    cyl_multibase_encode('u', gz, gzlen - zs.avail_out, &enc)) {
		deflateEnd(&zs);
		return -1;
	}
	deflateEnd(&zs);
	vc = json_pack("{s:[s], s:s, s:[s,s], s:s, s:s, s:{s:s, s:s, s:s}}",
		       "@context", V2_CONTEXT, "id", FZ_LIST,
		       "type", "VerifiableCredential", "BitstringStatusListCredential",
		       "issuer", fz_issuer_did, "validFrom", "2025-12-31T23:00:00Z",
		       "credentialSubject", "type", "BitstringStatusList",
		       "statusPurpose", "revocation", "encodedList", enc);
	free(enc);
	cyl_ssi_status_cache_name(FZ_LIST, name);
	snprintf(fz_list_path, sizeof(fz_list_path), "%s/%s", fz_dir, name);
	text = fz_sign(vc, fz_issuer, fz_issuer_vm, "assertionMethod", NULL, NULL) ? NULL :
	       json_dumps(vc, JSON_COMPACT);
	f = text ? fopen(fz_list_path, "w") : NULL;
	if (f) {
		ret = fputs(text, f) < 0 ? -1 : 0;
		if (fclose(f))
			ret = -1;
	}
	free(text);
	json_decref(vc);
	return ret;
}

/* The corpus's valid presentation: a NurseCredential, not revoked. */
static int fz_write_seed(const char *path)
{
	json_t *vc, *vp;
	char *text;
	FILE *f;
	int ret = -1;

	vc = json_pack("{s:[s], s:[s,s], s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s, s:s, s:s}}",
		       "@context", V2_CONTEXT, "type", "VerifiableCredential", "NurseCredential",
		       "issuer", fz_issuer_did, "validFrom", "2025-01-01T00:00:00Z",
		       "validUntil", "2027-01-01T00:00:00+01:00",
		       "credentialSubject", "id", fz_holder_did, "role", "nurse",
		       "credentialStatus", "type", "BitstringStatusListEntry",
		       "statusPurpose", "revocation", "statusListIndex", "6",
		       "statusListCredential", FZ_LIST);
	if (fz_sign(vc, fz_issuer, fz_issuer_vm, "assertionMethod", NULL, NULL)) {
		json_decref(vc);
		return -1;
	}
	vp = json_pack("{s:[s], s:s, s:s, s:[o]}", "@context", V2_CONTEXT,
		       "type", "VerifiablePresentation", "holder", fz_holder_did,
		       "verifiableCredential", vc);
	text = fz_sign(vp, fz_holder, fz_holder_vm, "authentication", FZ_CHALLENGE,
		       "gateway.example") ? NULL : json_dumps(vp, JSON_COMPACT);
	f = text ? fopen(path, "w") : NULL;
	if (f) {
		ret = fputs(text, f) < 0 ? -1 : 0;
		if (fclose(f))
			ret = -1;
	}
	free(text);
	json_decref(vp);
	return ret;
}

static void fz_cleanup(void)
{
	unlink(fz_list_path);
	rmdir(fz_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seed = getenv("CYL_FUZZ_SSI_SEED");

	if (fz_key("cylcomed ssi fuzzing: the issuer", &fz_issuer, &fz_issuer_did,
		   fz_issuer_vm) ||
	    fz_key("cylcomed ssi fuzzing: the holder", &fz_holder, &fz_holder_did, fz_holder_vm) ||
	    !mkdtemp(fz_dir))
		return -1;
	atexit(fz_cleanup);
	if (fz_write_list())
		return -1;
	fz_issuers[0] = fz_issuer_did;
	fz_rules[0] = (struct cyl_ssi_issuer_rule){ "NurseCredential", fz_issuers, 1 };
	fz_verifier = (struct cyl_ssi_verifier){
		.resolver = &fz_resolver, .rules = fz_rules, .n_rules = 1,
		.domain = "gateway.example", .now = FZ_NOW,
		.check_challenge = fz_check_challenge, .status_dir = fz_dir,
		.status_max_age = 86400,
	};
	if (seed)
		exit(fz_write_seed(seed) ? 1 : 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cyl_ssi_result res;
	enum cyl_ssi_reason r;
	size_t i;

	r = cyl_ssi_verify_presentation(&fz_verifier, (const char *)data, size, &res);
	check(r == res.reason && strcmp(cyl_ssi_reason_name(r), "unknown"));
	if (r) {
		check(res.message[0] && !res.n && !res.creds);
	} else {
		check(res.holder && res.n >= 1 && res.n <= MAX_CREDS && res.creds);
		for (i = 0; i < res.n; i++)
			check(res.creds[i].type && res.creds[i].issuer &&
			      json_is_object(res.creds[i].subject));
	}
	cyl_ssi_result_free(&res);
	return 0;
}
