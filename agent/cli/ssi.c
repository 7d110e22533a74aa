// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl ssi: Self-Sovereign Identity.  Holder and issuer tooling that
 * works offline (did create|resolve, issue, present, verify,
 * status-list), and the access flow against the agent (challenge, login):
 * a holder presents credentials for a one-time challenge and receives a
 * CP-ABE key for the attributes the gateway's policy maps them to.
 * Private keys are written with mode 0600 and never printed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "cli/cli.h"
#include "ssi/di.h"
#include "ssi/did.h"
#include "ssi/json.h"
#include "ssi/status.h"
#include "ssi/verify.h"
#include "util/file.h"

#define V2_CONTEXT	"https://www.w3.org/ns/credentials/v2"
#define MAX_TRUST	32
#define MAX_CREDS	16

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylctl ssi did create [--type ed25519|p256] [--seed HEX] -o KEYFILE\n"
		"       cylctl ssi did resolve DID [--web-cache DIR]\n"
		"       cylctl ssi issue --key KEYFILE --type TYPE --subject DID --claims FILE\n"
		"                        [--days N] [--status URL#INDEX[:suspension]]... [-o OUT]\n"
		"       cylctl ssi status-list --key KEYFILE --url URL [--purpose revocation|suspension]\n"
		"                        [--set I,J,...] [--days N] [-o OUT]\n"
		"       cylctl ssi present --key KEYFILE --challenge C --domain D [-o OUT] CREDENTIAL...\n"
		"       cylctl ssi verify [--trust TYPE=DID]... [--challenge C] [--domain D]\n"
		"                        [--web-cache DIR] [--status-dir DIR] [--status-max-age S] FILE\n"
		"       cylctl ssi challenge\n"
		"       cylctl ssi login --key KEYFILE [-o ABEKEY] CREDENTIAL...\n\n"
		"did create   makes a did:key (Ed25519 by default; --seed: 32 bytes in hex,\n"
		"             deterministic) and writes its private key to KEYFILE (mode 0600);\n"
		"             prints the DID.\n"
		"did resolve  prints a DID's document (did:key, or did:web from the cache).\n"
		"issue        signs a W3C Verifiable Credential (Data Model 2.0, eddsa-jcs-2022 or\n"
		"             ecdsa-jcs-2019) of type TYPE about SUBJECT with the claims of FILE\n"
		"             (a JSON object), valid N days (default 365), with Bitstring Status\n"
		"             List entries for revocation or suspension.\n"
		"status-list  signs a status list credential with the bits I, J, ... set.\n"
		"present      signs a Verifiable Presentation of the credentials for the\n"
		"             verifier's challenge and domain.\n"
		"verify       checks a credential or presentation offline: proofs, issuers\n"
		"             trusted for a type (--trust), validity, status lists found in\n"
		"             --status-dir (named as the agent names them).\n"
		"challenge    asks the agent for a one-time challenge.\n"
		"login        gets a challenge, presents the credentials and writes the CP-ABE\n"
		"             key the agent issues (mode 0600; default standard output when\n"
		"             it is not a terminal).\n\n"
		"Exit status: 0 ok, 1 error or refusal (the reason is printed), 2 usage.\n"
		"See Documentation/ssi.md.\n");
}

static int fail(const char *sub, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(const char *sub, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cylctl: ssi %s: ", sub);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_ERROR;
}

/* Now, or @days from now, as an XML Schema dateTimeStamp in UTC. */
static void timestamp(char out[32], long days)
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The verification method of a did:key: "<did>#<multibase key>". */
static char *did_key_vm(const char *did)
{
	const char *mb = did + strlen("did:key:");
	char *vm = malloc(strlen(did) + strlen(mb) + 2);

	if (vm)
		sprintf(vm, "%s#%s", did, mb);
	return vm;
}

/* A JSON document from a file ("-": standard input), bounded. */
static json_t *read_json(const char *sub, const char *path)
{
	char *text = NULL, err[256];
	size_t len = 0;
	json_t *j;
	int ret;

	if (!strcmp(path, "-"))
		ret = cyl_read_fd(STDIN_FILENO, CYL_SSI_JSON_MAX, &text, &len);
	else
		ret = cyl_read_file(path, CYL_SSI_JSON_MAX, &text, &len);
	if (ret) {
		fail(sub, "%s: %s", path, ret == -EFBIG ? "larger than 256 KiB" : strerror(-ret));
		return NULL;
	}
	j = cyl_ssi_json_parse(text, len, err, sizeof(err));
	free(text);
	if (!j)
		fail(sub, "%s: %s", path, err);
	return j;
}

/* Write a JSON document to @path ("-": standard output) as a new file. */
static int write_json(const char *sub, const char *path, const json_t *doc, mode_t mode)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int ret;

	if (!text)
		return fail(sub, "out of memory");
	if (!strcmp(path, "-")) {
		ret = printf("%s\n", text) < 0 || fflush(stdout) ? -errno : 0;
	} else {
		size_t n = strlen(text);

		text[n] = '\n';	/* json_dumps' NUL becomes the final newline */
		ret = cyl_write_new_file(path, text, n + 1, mode);
	}
	free(text);
	if (ret)
		return fail(sub, "%s: %s", path,
			    ret == -EEXIST ? "exists; not overwritten" : strerror(-ret));
	return CLI_OK;
}

static int load_key(const char *sub, const char *path, EVP_PKEY **priv, char **did)
{
	char err[256];

	if (!path) {
		fprintf(stderr, "cylctl: ssi %s: --key KEYFILE is required\n", sub);
		return CLI_USAGE;
	}
	if (cyl_did_keyfile_read(path, priv, did, err, sizeof(err)))
		return fail(sub, "%s", err);
	return CLI_OK;
}

static int hex_seed(const char *hex, uint8_t seed[32])
{
	size_t i;

	if (strlen(hex) != 64)
		return -1;
	for (i = 0; i < 32; i++)
		if (sscanf(hex + 2 * i, "%2hhx", &seed[i]) != 1)
			return -1;
	return 0;
}

static int did_create(const char *type, const char *seed_hex, const char *out)
{
	enum cyl_did_key_type t = CYL_DID_ED25519;
	uint8_t seed[32];
	char err[256], *did = NULL;
	EVP_PKEY *priv = NULL;
	int ret;

	if (type && !strcmp(type, "p256"))
		t = CYL_DID_P256;
	else if (type && strcmp(type, "ed25519"))
		return fprintf(stderr, "cylctl: ssi did create: --type: ed25519 or p256\n"),
		       CLI_USAGE;
	if (!out || !strcmp(out, "-")) {
		fprintf(stderr, "cylctl: ssi did create: -o KEYFILE is required (the private "
			"key is never printed)\n");
		return CLI_USAGE;
	}
	if (seed_hex && hex_seed(seed_hex, seed)) {
		fprintf(stderr, "cylctl: ssi did create: --seed: expected 64 hex digits\n");
		return CLI_USAGE;
	}
	ret = cyl_did_key_generate(t, seed_hex ? seed : NULL, &priv, &did, err, sizeof(err));
	OPENSSL_cleanse(seed, sizeof(seed));
	if (ret)
		return fail("did create", "%s", err);
	ret = cyl_did_keyfile_write(out, priv, err, sizeof(err));
	EVP_PKEY_free(priv);
	if (ret) {
		free(did);
		return fail("did create", "%s", err);
	}
	printf("%s\n", did);
	free(did);
	return CLI_OK;
}

static int did_resolve(const char *did, const char *web_cache)
{
	struct cyl_did_resolver r = { .web_cache = web_cache };
	char err[256];
	json_t *doc;
	int ret;

	if (cyl_did_resolve(&r, did, &doc, err, sizeof(err)))
		return fail("did resolve", "%s", err);
	ret = write_json("did resolve", "-", doc, 0644);
	json_decref(doc);
	return ret;
}

/* "URL#INDEX" or "URL#INDEX:suspension" as a BitstringStatusListEntry. */
static json_t *status_entry(const char *spec)
{
	const char *hash = strrchr(spec, '#'), *purpose = "revocation";
	char url[2048], index[24], *end;
	unsigned long i;

	if (!hash || (size_t)(hash - spec) >= sizeof(url) || hash == spec)
		return NULL;
	i = strtoul(hash + 1, &end, 10);
	if (end == hash + 1 || (*end && strcmp(end, ":revocation") && strcmp(end, ":suspension")))
		return NULL;
	if (*end)
		purpose = end + 1;
	memcpy(url, spec, (size_t)(hash - spec));
	url[hash - spec] = '\0';
	snprintf(index, sizeof(index), "%lu", i);
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", spec, "type",
			 "BitstringStatusListEntry", "statusPurpose", purpose,
			 "statusListIndex", index, "statusListCredential", url);
}

static char *new_urn_uuid(void)
{
	uint8_t u[16];
	char *s = malloc(46);

	if (!s || RAND_bytes(u, sizeof(u)) != 1) {
		free(s);
		return NULL;
	}
	u[6] = (u[6] & 0x0f) | 0x40;	/* version 4 */
	u[8] = (u[8] & 0x3f) | 0x80;	/* variant */
	sprintf(s, "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		"%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
		u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
	return s;
}

/* Sign @vc as its issuer (assertionMethod) and write it out. */
static int sign_and_write(const char *sub, json_t *vc, EVP_PKEY *priv, const char *did,
			  const char *out)
{
	struct cyl_di_options o = { .proof_purpose = "assertionMethod" };
	char err[256];
	int ret;

	o.verification_method = did_key_vm(did);
	if (!o.verification_method)
		return fail(sub, "out of memory");
	ret = cyl_di_sign(vc, priv, &o, err, sizeof(err));
	free((char *)o.verification_method);
	if (ret)
		return fail(sub, "signing: %s", err);
	return write_json(sub, out, vc, 0644);
}

static int issue(const char *key, const char *type, const char *subject, const char *claims,
		 long days, const char *const *status, size_t n_status, const char *out)
{
	char from[32], until[32], *did = NULL, *id = NULL;
	json_t *vc = NULL, *cs, *st;
	EVP_PKEY *priv = NULL;
	int ret;
	size_t i;

	if (!type || !subject || !claims) {
		fprintf(stderr, "cylctl: ssi issue: --type, --subject and --claims are required\n");
		return CLI_USAGE;
	}
	ret = load_key("issue", key, &priv, &did);
	if (ret)
		return ret;
	ret = CLI_ERROR;
	cs = read_json("issue", claims);
	if (!cs)
		goto out;
	if (!json_is_object(cs) || json_object_get(cs, "id")) {
		json_decref(cs);
		fail("issue", "%s: the claims must be a JSON object without \"id\" (--subject "
		     "gives it)", claims);
		goto out;
	}
	json_object_set_new(cs, "id", json_string(subject));
	timestamp(from, 0);
	timestamp(until, days);
	id = new_urn_uuid();
	vc = json_pack("{s:[s], s:s?, s:[s,s], s:s, s:s, s:s, s:o}", "@context", V2_CONTEXT,
		       "id", id, "type", "VerifiableCredential", type, "issuer", did,
		       "validFrom", from, "validUntil", until, "credentialSubject", cs);
	if (!vc) {
		fail("issue", "--type or --subject is not valid UTF-8, or out of memory");
		goto out;
	}
	if (n_status) {
		st = json_array();
		json_object_set_new(vc, "credentialStatus", st);
		for (i = 0; i < n_status; i++) {
			json_t *e = status_entry(status[i]);

			if (!e) {
				fprintf(stderr, "cylctl: ssi issue: --status %s: expected "
					"URL#INDEX or URL#INDEX:suspension\n", status[i]);
				ret = CLI_USAGE;
				goto out;
			}
			json_array_append_new(st, e);
		}
	}
	ret = sign_and_write("issue", vc, priv, did, out);
out:
	json_decref(vc);
	EVP_PKEY_free(priv);
	free(did);
	free(id);
	return ret;
}

static int status_list(const char *key, const char *url, const char *purpose,
		       const char *set, long days, const char *out)
{
	char from[32], until[32], err[256], *did = NULL, *encoded = NULL, *end;
	size_t n_bits = CYL_STATUS_MIN_BYTES * 8, n = 0, cap = 0;
	uint64_t *idx = NULL;
	unsigned long v;
	EVP_PKEY *priv = NULL;
	const char *p = set;
	json_t *vc = NULL;
	int ret;

	if (!url || (purpose && strcmp(purpose, "revocation") && strcmp(purpose, "suspension"))) {
		fprintf(stderr, "cylctl: ssi status-list: --url URL is required; --purpose is "
			"revocation or suspension\n");
		return CLI_USAGE;
	}
	while (p && *p) {
		v = strtoul(p, &end, 10);
		if (end == p || (*end && *end != ',') || v >= n_bits) {
			fprintf(stderr, "cylctl: ssi status-list: --set: expected indexes 0..%zu "
				"separated by commas, at \"%s\"\n", n_bits - 1, p);
			free(idx);
			return CLI_USAGE;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			idx = realloc(idx, cap * sizeof(*idx));
			if (!idx)
				return fail("status-list", "out of memory");
		}
		idx[n++] = v;
		p = *end ? end + 1 : end;
	}
	ret = load_key("status-list", key, &priv, &did);
	if (ret) {
		free(idx);
		return ret;
	}
	ret = cyl_ssi_status_encode(idx, n, n_bits / 8, &encoded, err, sizeof(err));
	free(idx);
	if (ret) {
		ret = fail("status-list", "%s", err);
		goto out;
	}
	timestamp(from, 0);
	timestamp(until, days);
	vc = json_pack("{s:[s], s:s, s:[s,s], s:s, s:s, s:s, s:{s:s+, s:s, s:s, s:s}}",
		       "@context", V2_CONTEXT, "id", url,
		       "type", "VerifiableCredential", "BitstringStatusListCredential",
		       "issuer", did, "validFrom", from, "validUntil", until,
		       "credentialSubject", "id", url, "#list", "type", "BitstringStatusList",
		       "statusPurpose", purpose ? purpose : "revocation",
		       "encodedList", encoded);
	if (!vc) {
		ret = fail("status-list", "--url is not valid UTF-8, or out of memory");
		goto out;
	}
	ret = sign_and_write("status-list", vc, priv, did, out);
	if (!ret && strcmp(out, "-")) {
		char name[70];

		cyl_ssi_status_cache_name(url, name);
		printf("%s: status list written; install it in the agent's status list "
		       "directory as %s\n", out, name);
	}
out:
	json_decref(vc);
	EVP_PKEY_free(priv);
	free(encoded);
	free(did);
	return ret;
}

/* A presentation of @creds for @challenge and @domain, signed by the holder. */
static json_t *make_presentation(const char *sub, EVP_PKEY *priv, const char *did,
				 const char *challenge, const char *domain,
				 char *const *creds, size_t n)
{
	struct cyl_di_options o = {
		.proof_purpose = "authentication", .challenge = challenge, .domain = domain,
	};
	json_t *vp, *arr;
	char err[256];
	size_t i;
	int ret;

	vp = json_pack("{s:[s], s:s, s:s, s:[]}", "@context", V2_CONTEXT, "type",
		       "VerifiablePresentation", "holder", did, "verifiableCredential");
	if (!vp) {
		fail(sub, "out of memory");
		return NULL;
	}
	arr = json_object_get(vp, "verifiableCredential");
	for (i = 0; i < n; i++) {
		json_t *vc = read_json(sub, creds[i]);

		if (!vc) {
			json_decref(vp);
			return NULL;
		}
		json_array_append_new(arr, vc);
	}
	o.verification_method = did_key_vm(did);
	ret = o.verification_method ? cyl_di_sign(vp, priv, &o, err, sizeof(err)) : -ENOMEM;
	free((char *)o.verification_method);
	if (ret) {
		fail(sub, "signing: %s", ret == -ENOMEM ? "out of memory" : err);
		json_decref(vp);
		return NULL;
	}
	return vp;
}

static int present(const char *key, const char *challenge, const char *domain,
		   char *const *creds, size_t n, const char *out)
{
	EVP_PKEY *priv = NULL;
	char *did = NULL;
	json_t *vp;
	int ret;

	if (!challenge || !domain || !n) {
		fprintf(stderr, "cylctl: ssi present: --challenge, --domain and at least one "
			"credential are required\n");
		return CLI_USAGE;
	}
	ret = load_key("present", key, &priv, &did);
	if (ret)
		return ret;
	vp = make_presentation("present", priv, did, challenge, domain, creds, n);
	ret = vp ? write_json("present", out, vp, 0644) : CLI_ERROR;
	json_decref(vp);
	EVP_PKEY_free(priv);
	free(did);
	return ret;
}

struct offline_challenge {
	const char *expected;
	const char *seen;
};

/* Offline there is no table: the challenge given, or any (and say so). */
static enum cyl_challenge_status offline_check(void *arg, const char *challenge)
{
	struct offline_challenge *oc = arg;

	oc->seen = challenge;
	if (oc->expected && strcmp(oc->expected, challenge))
		return CYL_CHALLENGE_UNKNOWN;
	return CYL_CHALLENGE_OK;
}

static void print_result(const struct cyl_ssi_result *res)
{
	size_t i;

	if (res->holder)
		printf("holder: %s\n", res->holder);
	for (i = 0; i < res->n; i++) {
		char *claims = json_dumps(res->creds[i].subject, JSON_COMPACT | JSON_SORT_KEYS);

		printf("credential %zu: %s from %s\n  subject: %s\n", i, res->creds[i].type,
		       res->creds[i].issuer, claims ? claims : "?");
		free(claims);
	}
}

static int verify(char *const *trust, size_t n_trust, const char *challenge,
		  const char *domain, const char *web_cache, const char *status_dir,
		  unsigned int max_age, const char *path)
{
	struct cyl_ssi_issuer_rule rules[MAX_TRUST];
	const char *issuer[MAX_TRUST];
	struct cyl_did_resolver r = { .web_cache = web_cache };
	struct offline_challenge oc = { .expected = challenge };
	struct cyl_ssi_verifier v = {
		.resolver = &r, .rules = rules, .n_rules = n_trust, .domain = domain,
		.now = time(NULL), .check_challenge = offline_check, .arg = &oc,
		.status_dir = status_dir, .status_max_age = max_age,
	};
	struct cyl_ssi_result res = { 0 };
	char type[MAX_TRUST][128];
	enum cyl_ssi_reason reason;
	char *text = NULL, *eq;
	size_t i, len;
	json_t *doc;
	int ret;

	for (i = 0; i < n_trust; i++) {
		eq = strchr(trust[i], '=');
		if (!eq || eq == trust[i] || (size_t)(eq - trust[i]) >= sizeof(type[i]) ||
		    strncmp(eq + 1, "did:", 4)) {
			fprintf(stderr, "cylctl: ssi verify: --trust %s: expected TYPE=DID\n",
				trust[i]);
			return CLI_USAGE;
		}
		memcpy(type[i], trust[i], (size_t)(eq - trust[i]));
		type[i][eq - trust[i]] = '\0';
		issuer[i] = eq + 1;
		rules[i] = (struct cyl_ssi_issuer_rule){ type[i], &issuer[i], 1 };
	}
	ret = cyl_read_file(path, CYL_SSI_JSON_MAX + 1, &text, &len);
	if (ret)
		return fail("verify", "%s: %s", path, strerror(-ret));
	doc = cyl_ssi_json_parse(text, len, NULL, 0);
	if (doc && json_is_array(json_object_get(doc, "type")) &&
	    json_string_value(json_array_get(json_object_get(doc, "type"), 0)) &&
	    !strcmp(json_string_value(json_array_get(json_object_get(doc, "type"), 0)),
		    "VerifiableCredential"))
		reason = cyl_ssi_verify_credential(&v, doc, &res);
	else
		reason = cyl_ssi_verify_presentation(&v, text, len, &res);
	json_decref(doc);
	free(text);
	if (reason == CYL_SSI_OK) {
		printf("%s: verified\n", path);
		print_result(&res);
		if (oc.seen && !challenge)
			printf("challenge: %s (not checked: no --challenge)\n", oc.seen);
		ret = CLI_OK;
	} else {
		ret = fail("verify", "%s: refused (%s): %s", path, cyl_ssi_reason_name(reason),
			   res.message);
	}
	cyl_ssi_result_free(&res);
	return ret;
}

static int challenge_cmd(const struct cyl_cli *cli)
{
	json_t *reply = NULL;
	int ret;

	ret = cyl_cli_call(cli, "ssi_challenge", &reply);
	if (ret)
		return ret;
	if (cli->json) {
		json_dumpf(reply, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		printf("challenge: %s\ndomain: %s\nexpires in: %lld s\n",
		       cyl_ssi_json_str(reply, "challenge") ?: "?",
		       cyl_ssi_json_str(reply, "domain") ?: "?",
		       (long long)json_integer_value(json_object_get(reply, "expires_in")));
	}
	json_decref(reply);
	return CLI_OK;
}

static int login(const struct cyl_cli *cli, const char *key, char *const *creds, size_t n,
		 const char *out)
{
	json_t *reply = NULL, *req = NULL, *vp = NULL;
	const char *challenge, *domain, *abe_key;
	char why[512], *text = NULL, *did = NULL;
	EVP_PKEY *priv = NULL;
	int ret;

	if (!n) {
		fprintf(stderr, "cylctl: ssi login: at least one credential is required\n");
		return CLI_USAGE;
	}
	if (!strcmp(out, "-") && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "cylctl: ssi login: refusing to write a secret key to a "
			"terminal; use -o FILE\n");
		return CLI_USAGE;
	}
	ret = load_key("login", key, &priv, &did);
	if (ret)
		return ret;
	ret = cyl_cli_call(cli, "ssi_challenge", &reply);
	if (ret)
		goto out;
	challenge = cyl_ssi_json_str(reply, "challenge");
	domain = cyl_ssi_json_str(reply, "domain");
	ret = CLI_ERROR;
	if (!challenge || !domain) {
		fail("login", "the agent's challenge reply lacks \"challenge\" or \"domain\"");
		goto out;
	}
	vp = make_presentation("login", priv, did, challenge, domain, creds, n);
	text = vp ? json_dumps(vp, JSON_COMPACT) : NULL;
	req = text ? json_pack("{s:s, s:s}", "cmd", "ssi_present", "presentation", text) : NULL;
	if (!req)
		goto out;
	json_decref(reply);
	reply = NULL;
	if (cyl_cli_call_req_why(cli, req, &reply, why, sizeof(why))) {
		fail("login", "%s", why);
		goto out;
	}
	abe_key = cyl_ssi_json_str(reply, "key");
	if (!abe_key) {
		fail("login", "the agent's reply carries no key");
		goto out;
	}
	if (!strcmp(out, "-")) {
		ret = fputs(abe_key, stdout) < 0 || fflush(stdout) ? CLI_ERROR : CLI_OK;
	} else {
		int err = cyl_write_new_file(out, abe_key, strlen(abe_key), 0600);

		ret = err ? fail("login", "%s: %s", out,
				 err == -EEXIST ? "exists; not overwritten" : strerror(-err))
			  : CLI_OK;
	}
	if (!ret) {
		json_t *attrs = json_object_get(reply, "attributes");
		size_t i;

		fprintf(stderr, "cylctl: ssi login: key for %s:", did);
		for (i = 0; i < json_array_size(attrs); i++)
			fprintf(stderr, "%s%s", i ? ", " : " ",
				json_string_value(json_array_get(attrs, i)));
		fprintf(stderr, "\n");
	}
out:
	json_decref(req);
	json_decref(vp);
	json_decref(reply);
	free(text);
	EVP_PKEY_free(priv);
	free(did);
	return ret;
}

int ssi_main(int argc, char *argv[], struct cyl_cli *cli)
{
	static const struct option longopts[] = {
		{ "type",		required_argument,	NULL, 't' },
		{ "seed",		required_argument,	NULL, 'S' },
		{ "key",		required_argument,	NULL, 'k' },
		{ "subject",		required_argument,	NULL, 's' },
		{ "claims",		required_argument,	NULL, 'c' },
		{ "days",		required_argument,	NULL, 'd' },
		{ "status",		required_argument,	NULL, 'x' },
		{ "url",		required_argument,	NULL, 'u' },
		{ "purpose",		required_argument,	NULL, 'p' },
		{ "set",		required_argument,	NULL, 'e' },
		{ "challenge",		required_argument,	NULL, 'C' },
		{ "domain",		required_argument,	NULL, 'D' },
		{ "trust",		required_argument,	NULL, 'T' },
		{ "web-cache",		required_argument,	NULL, 'w' },
		{ "status-dir",		required_argument,	NULL, 'y' },
		{ "status-max-age",	required_argument,	NULL, 'm' },
		{ "out",		required_argument,	NULL, 'o' },
		{ "help",		no_argument,		NULL, 'h' },
		{ 0 }
	};
	const char *type = NULL, *seed = NULL, *key = NULL, *subject = NULL, *claims = NULL;
	const char *url = NULL, *purpose = NULL, *set = NULL, *challenge = NULL;
	const char *domain = NULL, *web_cache = NULL, *status_dir = NULL, *out = "-";
	const char *status[MAX_CREDS];
	char *trust[MAX_TRUST];
	size_t n_status = 0, n_trust = 0;
	unsigned long max_age = 86400;
	const char *sub, *sub2 = "";
	long days = 365;
	char *end;
	int opt;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	sub = argv[1];
	optind = 2;
	if (!strcmp(sub, "did") && argc > 2) {
		sub2 = argv[2];
		optind = 3;
	}
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			type = optarg;
			break;
		case 'S':
			seed = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 's':
			subject = optarg;
			break;
		case 'c':
			claims = optarg;
			break;
		case 'u':
			url = optarg;
			break;
		case 'p':
			purpose = optarg;
			break;
		case 'e':
			set = optarg;
			break;
		case 'C':
			challenge = optarg;
			break;
		case 'D':
			domain = optarg;
			break;
		case 'w':
			web_cache = optarg;
			break;
		case 'y':
			status_dir = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'x':
			if (n_status == MAX_CREDS) {
				fprintf(stderr, "cylctl: ssi: at most %d --status\n", MAX_CREDS);
				return CLI_USAGE;
			}
			status[n_status++] = optarg;
			break;
		case 'T':
			if (n_trust == MAX_TRUST) {
				fprintf(stderr, "cylctl: ssi: at most %d --trust\n", MAX_TRUST);
				return CLI_USAGE;
			}
			trust[n_trust++] = optarg;
			break;
		case 'd':
			errno = 0;
			days = strtol(optarg, &end, 10);
			if (errno || *end || days < 1 || days > 3650) {
				fprintf(stderr, "cylctl: ssi: --days: expected 1 to 3650\n");
				return CLI_USAGE;
			}
			break;
		case 'm':
			errno = 0;
			max_age = strtoul(optarg, &end, 10);
			if (errno || *end || max_age < 1 || max_age > 31u * 86400) {
				fprintf(stderr, "cylctl: ssi: --status-max-age: expected 1 to "
					"2678400 seconds\n");
				return CLI_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (!strcmp(sub, "did") && !strcmp(sub2, "create") && optind == argc)
		return did_create(type, seed, out);
	if (!strcmp(sub, "did") && !strcmp(sub2, "resolve") && optind == argc - 1)
		return did_resolve(argv[optind], web_cache);
	if (!strcmp(sub, "issue") && optind == argc)
		return issue(key, type, subject, claims, days, status, n_status, out);
	if (!strcmp(sub, "status-list") && optind == argc)
		return status_list(key, url, purpose, set, days, out);
	if (!strcmp(sub, "present"))
		return present(key, challenge, domain, argv + optind, (size_t)(argc - optind), out);
	if (!strcmp(sub, "verify") && optind == argc - 1)
		return verify(trust, n_trust, challenge, domain, web_cache, status_dir,
			      (unsigned int)max_age, argv[optind]);
	if (!strcmp(sub, "challenge") && optind == argc)
		return challenge_cmd(cli);
	if (!strcmp(sub, "login"))
		return login(cli, key, argv + optind, (size_t)(argc - optind), out);
	usage(stderr);
	return CLI_USAGE;
}
