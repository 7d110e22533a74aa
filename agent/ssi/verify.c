// SPDX-License-Identifier: GPL-2.0
/*
 * Verifying presentations and credentials for access (the steps are in
 * verify.h).  What the data model leaves open, decided here:
 * - "@context" is an array whose first item is the v2 context; "type" a
 *   string or an array of strings; "issuer" and "holder" a DID, or an
 *   object with that DID as "id".
 * - "holder" is required and is the DID of the presentation proof's
 *   verification method; each credential has one credentialSubject (an
 *   object: several subjects would leave the claims mapped to access
 *   ambiguous) whose "id" is the holder.  A credential's proof is by a
 *   verification method of its issuer's DID.
 * - A presentation carries 1..16 credentials ("verifiableCredential" an
 *   object or an array), each embedded with its own proof.
 * - validFrom and validUntil are optional XML Schema dateTimeStamps
 *   (timezone required, fractions of a second ignored), both bounds
 *   inclusive.
 * - The presentation's proof and its holder binding are verified, and
 *   its domain compared, before its challenge is consumed: a forged or
 *   altered presentation cannot burn a challenge someone else is to use.
 * - credentialStatus (at most 4 entries): a BitstringStatusListEntry
 *   whose purpose is "revocation" or "suspension" is looked up; one with
 *   another purpose is informational and skipped; another status type
 *   cannot be checked, so the credential is refused.  The list
 *   credential must be signed by the credential's issuer, have the
 *   entry's URL as "id", be within its validity and have a validFrom at
 *   most status_max_age seconds old; until then a problem with it is
 *   STATUS_UNAVAILABLE, afterwards (its shape, the bitstring, the index)
 *   MALFORMED.
 * - A NULL domain in the verifier leaves the proof's domain unchecked.
 * - Once the presentation's proof, holder and challenge are verified, the
 *   result keeps the holder even if a credential is then refused (for
 *   the events); the credentials are there only on success.
 * - Failures of memory are refused as MALFORMED ("out of memory").
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssi/di.h"
#include "ssi/json.h"
#include "ssi/status.h"
#include "ssi/verify.h"

#define V2_CONTEXT	"https://www.w3.org/ns/credentials/v2"
#define MAX_CREDS	16
#define MAX_STATUS	4	/* entries of one credential, each a list to verify */
#define WHERE_LEN	64

static const char *const reason_names[] = {
	[CYL_SSI_OK]			= "ok",
	[CYL_SSI_MALFORMED]		= "malformed",
	[CYL_SSI_WRONG_CHALLENGE]	= "wrong-challenge",
	[CYL_SSI_REUSED_CHALLENGE]	= "reused-challenge",
	[CYL_SSI_EXPIRED_CHALLENGE]	= "expired-challenge",
	[CYL_SSI_WRONG_DOMAIN]		= "wrong-domain",
	[CYL_SSI_BAD_SIGNATURE]		= "bad-signature",
	[CYL_SSI_UNRESOLVABLE]		= "unresolvable",
	[CYL_SSI_HOLDER_MISMATCH]	= "holder-mismatch",
	[CYL_SSI_UNTRUSTED_ISSUER]	= "untrusted-issuer",
	[CYL_SSI_NOT_YET_VALID]		= "not-yet-valid",
	[CYL_SSI_EXPIRED]		= "expired",
	[CYL_SSI_REVOKED]		= "revoked",
	[CYL_SSI_SUSPENDED]		= "suspended",
	[CYL_SSI_STATUS_UNAVAILABLE]	= "status-unavailable",
	[CYL_SSI_NO_CREDENTIAL]		= "no-credential",
};

const char *cyl_ssi_reason_name(enum cyl_ssi_reason reason)
{
	if ((unsigned int)reason >= sizeof(reason_names) / sizeof(reason_names[0]))
		return "unknown";
	return reason_names[reason];
}

static enum cyl_ssi_reason __attribute__((format(printf, 3, 4)))
fail(struct cyl_ssi_result *res, enum cyl_ssi_reason reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->message, sizeof(res->message), fmt, ap);
	va_end(ap);
	res->reason = reason;
	return reason;
}

/* --- XML Schema dateTimeStamp --- */

/* @n decimal digits at @s (a NUL stops them, being no digit). */
static bool digits(const char *s, int n, unsigned int *out)
{
	unsigned int v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned int)(s[i] - '0');
	}
	*out = v;
	return true;
}

static unsigned int month_days(unsigned int y, unsigned int m)
{
	static const unsigned char days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return days[m - 1] + (m == 2 && leap);
}

/* Days from 1970-01-01 to @y-@m-@d in the proleptic Gregorian calendar. */
static int64_t days_since_epoch(unsigned int y, unsigned int m, unsigned int d)
{
	/* Count years from March so that the leap day ends a year. */
	int64_t yy = (int64_t)y - (m <= 2);
	unsigned int mm = m <= 2 ? m + 9 : m - 3;
	int64_t days = yy * 365 + yy / 4 - yy / 100 + yy / 400;

	/* 0000-03-01 is day 0 of this count and 719468 days before the epoch. */
	return days + (153 * mm + 2) / 5 + d - 1 - 719468;
}

/* "YYYY-MM-DDThh:mm:ss[.s+](Z|(+|-)hh:mm)" to seconds since the epoch. */
static int parse_datetime(const char *s, time_t *t)
{
	unsigned int y, mo, d, h, mi, sec, th = 0, tm = 0;
	bool frac = false;
	const char *p;
	long off, sign = 1;

	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || s[10] != 'T' || !digits(s + 11, 2, &h) || s[13] != ':' ||
	    !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec))
		return -EINVAL;
	p = s + 19;
	if (*p == '.') {
		if (*++p < '0' || *p > '9')
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++)
			frac |= *p != '0';
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		if (!digits(p + 1, 2, &th) || p[3] != ':' || !digits(p + 4, 2, &tm) ||
		    tm > 59 || th > 14 || (th == 14 && tm))
			return -EINVAL;
		sign = *p == '-' ? -1 : 1;
		p += 6;
	} else {
		return -EINVAL;
	}
	if (*p || !y || !mo || mo > 12 || !d || d > month_days(y, mo) || mi > 59 || sec > 59 ||
	    (h > 23 && (h != 24 || mi || sec || frac)))
		return -EINVAL;
	off = sign * (long)(th * 3600 + tm * 60);
	*t = (time_t)(days_since_epoch(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off);
	return 0;
}

/* A date member of @doc: 1 and *@t, 0 when absent, -EINVAL when malformed. */
static int date_member(const json_t *doc, const char *key, time_t *t)
{
	const json_t *v = json_object_get(doc, key);

	if (!v)
		return 0;
	if (!json_is_string(v) || parse_datetime(json_string_value(v), t))
		return -EINVAL;
	return 1;
}

/* --- shapes --- */

/* Whether @v (a string or a non-empty array of strings) holds @name; -1 for another shape. */
static int has_name(const json_t *v, const char *name)
{
	const json_t *e;
	bool found = false;
	size_t i;

	if (json_is_string(v))
		return !strcmp(json_string_value(v), name);
	if (!json_is_array(v) || !json_array_size(v))
		return -1;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return -1;
		found |= !strcmp(json_string_value(e), name);
	}
	return found;
}

/* A DID as a string, or as an object's "id". */
static const char *id_of(const json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	return json_is_object(v) ? cyl_ssi_json_str(v, "id") : NULL;
}

static bool v2_first(const json_t *doc)
{
	const json_t *ctx = json_object_get(doc, "@context");
	const char *first = json_string_value(json_array_get(ctx, 0));

	return json_is_array(ctx) && first && !strcmp(first, V2_CONTEXT);
}

/* The common shape of a credential or a presentation of @type. */
static enum cyl_ssi_reason check_shape(const json_t *doc, const char *type, const char *where,
				       struct cyl_ssi_result *res)
{
	if (!json_is_object(doc))
		return fail(res, CYL_SSI_MALFORMED, "%s: not an object", where);
	if (!v2_first(doc))
		return fail(res, CYL_SSI_MALFORMED, "%s: @context does not begin with %s",
			    where, V2_CONTEXT);
	if (has_name(json_object_get(doc, "type"), type) != 1)
		return fail(res, CYL_SSI_MALFORMED, "%s: type does not include %s", where, type);
	return CYL_SSI_OK;
}

/*
 * @doc's Data Integrity proof for @purpose; the DID that signed it, which
 * the caller frees, in *@signer.
 */
static enum cyl_ssi_reason check_proof(const struct cyl_ssi_verifier *v, const json_t *doc,
				       const char *purpose, const char *where,
				       const json_t **proof, char **signer,
				       struct cyl_ssi_result *res)
{
	enum cyl_ssi_reason reason;
	const char *vm;
	char err[192];
	int ret;

	*signer = NULL;
	err[0] = '\0';
	ret = cyl_di_verify(doc, v->resolver, purpose, proof, err, sizeof(err));
	if (ret) {
		switch (ret) {
		case -EINVAL:
		case -ENOMEM:
			reason = CYL_SSI_MALFORMED;
			break;
		case -ENOENT:
		case -EPROTONOSUPPORT:
			reason = CYL_SSI_UNRESOLVABLE;
			break;
		default:	/* -EBADMSG; -EACCES: a key not for @purpose */
			reason = CYL_SSI_BAD_SIGNATURE;
		}
		return fail(res, reason, "%s.proof: %s", where, err[0] ? err : strerror(-ret));
	}
	vm = cyl_ssi_json_str(*proof, "verificationMethod");
	*signer = vm ? cyl_did_of_url(vm) : NULL;
	if (!*signer)
		return fail(res, CYL_SSI_MALFORMED, "%s.proof: no DID in its verificationMethod",
			    where);
	return CYL_SSI_OK;
}

/* --- credentials --- */

/* The first of @vc's types that the rules trust from @issuer. */
static const char *trusted_type(const struct cyl_ssi_verifier *v, const json_t *vc,
				const char *issuer)
{
	const json_t *types = json_object_get(vc, "type"), *t;
	size_t i, r, k, n = json_is_array(types) ? json_array_size(types) : 1;
	const struct cyl_ssi_issuer_rule *rule;

	for (i = 0; i < n; i++) {
		t = json_is_array(types) ? json_array_get(types, i) : types;
		for (r = 0; r < v->n_rules; r++) {
			rule = &v->rules[r];
			if (strcmp(rule->type, json_string_value(t)))
				continue;
			for (k = 0; k < rule->n_issuers; k++)
				if (!strcmp(rule->issuers[k], issuer))
					return json_string_value(t);
		}
	}
	return NULL;
}

static enum cyl_ssi_reason check_validity(const json_t *vc, time_t now, const char *where,
					  struct cyl_ssi_result *res)
{
	time_t from, until;
	int ret;

	ret = date_member(vc, "validFrom", &from);
	if (ret < 0)
		return fail(res, CYL_SSI_MALFORMED, "%s.validFrom: not a dateTimeStamp", where);
	if (ret && now < from)
		return fail(res, CYL_SSI_NOT_YET_VALID, "%s: not valid before %s", where,
			    cyl_ssi_json_str(vc, "validFrom"));
	ret = date_member(vc, "validUntil", &until);
	if (ret < 0)
		return fail(res, CYL_SSI_MALFORMED, "%s.validUntil: not a dateTimeStamp", where);
	if (ret && now > until)
		return fail(res, CYL_SSI_EXPIRED, "%s: expired at %s", where,
			    cyl_ssi_json_str(vc, "validUntil"));
	return CYL_SSI_OK;
}

static enum cyl_ssi_reason check_subject(const json_t *subject, const char *holder,
					 const char *where, struct cyl_ssi_result *res)
{
	const char *id = cyl_ssi_json_str(subject, "id");

	if (!id)
		return fail(res, CYL_SSI_HOLDER_MISMATCH,
			    "%s.credentialSubject: no id (the holder is %s)", where, holder);
	if (strcmp(id, holder))
		return fail(res, CYL_SSI_HOLDER_MISMATCH,
			    "%s.credentialSubject: %s is not the holder %s", where, id, holder);
	return CYL_SSI_OK;
}

/*
 * The status list credential at @url, verified as issued by @issuer and
 * fresh: a new reference in *@list.
 */
static enum cyl_ssi_reason load_list(const struct cyl_ssi_verifier *v, const char *url,
				     const char *issuer, const char *where, json_t **list,
				     struct cyl_ssi_result *res)
{
	const char *list_issuer, *id;
	const json_t *proof;
	time_t from, until;
	char err[192];
	char *signer;
	int ret;

	*list = NULL;
	if (!v->status_dir)
		return fail(res, CYL_SSI_STATUS_UNAVAILABLE, "%s: no status list cache for %s",
			    where, url);
	if (cyl_ssi_status_load(v->status_dir, url, list, err, sizeof(err)))
		return fail(res, CYL_SSI_STATUS_UNAVAILABLE, "%s: status list %s: %s", where,
			    url, err);
	/* Any failure to verify it leaves the status unknown, not the credential bad. */
	if (cyl_di_verify(*list, v->resolver, "assertionMethod", &proof, err, sizeof(err)))
		return fail(res, CYL_SSI_STATUS_UNAVAILABLE, "%s: status list %s: %s", where,
			    url, err);
	signer = cyl_did_of_url(cyl_ssi_json_str(proof, "verificationMethod"));
	ret = !signer || strcmp(signer, issuer);
	free(signer);
	list_issuer = id_of(json_object_get(*list, "issuer"));
	if (ret || !list_issuer || strcmp(list_issuer, issuer))
		return fail(res, CYL_SSI_STATUS_UNAVAILABLE,
			    "%s: status list %s not issued by %s", where, url, issuer);
	id = cyl_ssi_json_str(*list, "id");
	if (!id || strcmp(id, url))
		return fail(res, CYL_SSI_STATUS_UNAVAILABLE, "%s: status list %s has id %s",
			    where, url, id ? id : "(none)");
	if (date_member(*list, "validFrom", &from) != 1)
		return fail(res, CYL_SSI_STATUS_UNAVAILABLE,
			    "%s: status list %s has no valid validFrom", where, url);
	ret = date_member(*list, "validUntil", &until);
	if (ret < 0 || v->now < from || (ret && v->now > until))
		return fail(res, CYL_SSI_STATUS_UNAVAILABLE,
			    "%s: status list %s is not valid now", where, url);
	if (v->now - from > (time_t)v->status_max_age)
		return fail(res, CYL_SSI_STATUS_UNAVAILABLE,
			    "%s: status list %s is stale (issued %lld s ago, at most %u)", where,
			    url, (long long)(v->now - from), v->status_max_age);
	return CYL_SSI_OK;
}

/* A statusListIndex: base 10 digits, which must fit in 64 bits. */
static int parse_index(const char *s, uint64_t *index)
{
	uint64_t n = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*index = n;
	return 0;
}

/* One BitstringStatusListEntry of purpose revocation or suspension. */
static enum cyl_ssi_reason check_entry(const struct cyl_ssi_verifier *v, const json_t *entry,
				       const char *purpose, const char *issuer,
				       const char *where, struct cyl_ssi_result *res)
{
	const char *url = cyl_ssi_json_str(entry, "statusListCredential"), *encoded;
	uint64_t index, size = 1;
	enum cyl_ssi_reason reason;
	const json_t *subject;
	json_t *list;
	char err[160];
	int ret, bit;

	if (json_object_get(entry, "statusSize") &&
	    cyl_ssi_json_uint(entry, "statusSize", 1, &size))
		size = 0;
	if (size != 1)
		return fail(res, CYL_SSI_MALFORMED, "%s: statusSize other than 1", where);
	if (parse_index(cyl_ssi_json_str(entry, "statusListIndex"), &index))
		return fail(res, CYL_SSI_MALFORMED, "%s: statusListIndex not a decimal string",
			    where);
	if (!url)
		return fail(res, CYL_SSI_MALFORMED, "%s: no statusListCredential", where);
	reason = load_list(v, url, issuer, where, &list, res);
	if (reason)
		goto out;
	subject = json_object_get(list, "credentialSubject");
	encoded = cyl_ssi_json_str(subject, "encodedList");
	if (!v2_first(list) ||
	    has_name(json_object_get(list, "type"), "BitstringStatusListCredential") != 1 ||
	    has_name(json_object_get(subject, "type"), "BitstringStatusList") != 1 || !encoded) {
		reason = fail(res, CYL_SSI_MALFORMED,
			      "%s: %s is not a BitstringStatusListCredential", where, url);
		goto out;
	}
	if (has_name(json_object_get(subject, "statusPurpose"), purpose) != 1) {
		reason = fail(res, CYL_SSI_MALFORMED, "%s: status list %s is not for %s", where,
			      url, purpose);
		goto out;
	}
	ret = cyl_ssi_status_bit(encoded, index, &bit, err, sizeof(err));
	if (ret) {
		reason = fail(res, CYL_SSI_MALFORMED, "%s: status list %s: %s", where, url, err);
		goto out;
	}
	if (bit)
		reason = fail(res, strcmp(purpose, "revocation") ? CYL_SSI_SUSPENDED :
			      CYL_SSI_REVOKED, "%s: %s (index %llu of %s)", where,
			      strcmp(purpose, "revocation") ? "suspended" : "revoked",
			      (unsigned long long)index, url);
out:
	json_decref(list);
	return reason;
}

static enum cyl_ssi_reason check_status(const struct cyl_ssi_verifier *v, const json_t *vc,
					const char *issuer, const char *where,
					struct cyl_ssi_result *res)
{
	const json_t *status = json_object_get(vc, "credentialStatus"), *entry;
	size_t i, n = json_is_array(status) ? json_array_size(status) : 1;
	enum cyl_ssi_reason reason;
	char here[WHERE_LEN + 32];
	const char *purpose;
	int type;

	if (!status)
		return CYL_SSI_OK;
	if (n > MAX_STATUS)
		return fail(res, CYL_SSI_MALFORMED, "%s.credentialStatus: more than %d entries",
			    where, MAX_STATUS);
	for (i = 0; i < n; i++) {
		entry = json_is_array(status) ? json_array_get(status, i) : status;
		snprintf(here, sizeof(here), "%s.credentialStatus[%zu]", where, i);
		if (!json_is_object(entry))
			return fail(res, CYL_SSI_MALFORMED, "%s: not an object", here);
		type = has_name(json_object_get(entry, "type"), "BitstringStatusListEntry");
		purpose = cyl_ssi_json_str(entry, "statusPurpose");
		if (type < 0 || !purpose)
			return fail(res, CYL_SSI_MALFORMED, "%s: no type or statusPurpose", here);
		if (!type)
			return fail(res, CYL_SSI_STATUS_UNAVAILABLE,
				    "%s: not a BitstringStatusListEntry, cannot be checked", here);
		if (strcmp(purpose, "revocation") && strcmp(purpose, "suspension"))
			continue;
		reason = check_entry(v, entry, purpose, issuer, here, res);
		if (reason)
			return reason;
	}
	return CYL_SSI_OK;
}

/* One credential; @holder NULL: not bound to a holder. */
static enum cyl_ssi_reason check_credential(const struct cyl_ssi_verifier *v, const json_t *vc,
					    const char *holder, const char *where,
					    struct cyl_ssi_credential *cred,
					    struct cyl_ssi_result *res)
{
	const json_t *subject = json_object_get(vc, "credentialSubject"), *proof;
	enum cyl_ssi_reason reason;
	const char *issuer, *type;
	char *signer;
	int ret;

	reason = check_shape(vc, "VerifiableCredential", where, res);
	if (reason)
		return reason;
	issuer = id_of(json_object_get(vc, "issuer"));
	if (!issuer)
		return fail(res, CYL_SSI_MALFORMED, "%s: no issuer", where);
	if (!json_is_object(subject))
		return fail(res, CYL_SSI_MALFORMED, "%s: credentialSubject is not one object",
			    where);
	type = trusted_type(v, vc, issuer);
	if (!type)
		return fail(res, CYL_SSI_UNTRUSTED_ISSUER,
			    "%s: issuer %s is not trusted for any of its types", where, issuer);
	reason = check_proof(v, vc, "assertionMethod", where, &proof, &signer, res);
	if (reason)
		return reason;
	ret = strcmp(signer, issuer);
	if (ret)
		fail(res, CYL_SSI_BAD_SIGNATURE, "%s.proof: by %s, not by the issuer %s", where,
		     signer, issuer);
	free(signer);
	if (ret)
		return CYL_SSI_BAD_SIGNATURE;
	reason = check_validity(vc, v->now, where, res);
	if (!reason && holder)
		reason = check_subject(subject, holder, where, res);
	if (!reason)
		reason = check_status(v, vc, issuer, where, res);
	if (reason)
		return reason;
	cred->type = strdup(type);
	cred->issuer = strdup(issuer);
	if (!cred->type || !cred->issuer)
		return fail(res, CYL_SSI_MALFORMED, "%s: out of memory", where);
	cred->subject = json_incref((json_t *)subject);
	return CYL_SSI_OK;
}

static void free_creds(struct cyl_ssi_result *res)
{
	size_t i;

	for (i = 0; res->creds && i < res->n; i++) {
		free(res->creds[i].type);
		free(res->creds[i].issuer);
		json_decref(res->creds[i].subject);
	}
	free(res->creds);
	res->creds = NULL;
	res->n = 0;
}

/* --- presentations --- */

/* The proof's domain, then its challenge, consumed last. */
static enum cyl_ssi_reason check_nonces(const struct cyl_ssi_verifier *v, const json_t *proof,
					struct cyl_ssi_result *res)
{
	const char *challenge = cyl_ssi_json_str(proof, "challenge");

	if (v->domain && has_name(json_object_get(proof, "domain"), v->domain) != 1)
		return fail(res, CYL_SSI_WRONG_DOMAIN, "presentation.proof: domain is not %s",
			    v->domain);
	if (!challenge)
		return fail(res, CYL_SSI_WRONG_CHALLENGE, "presentation.proof: no challenge");
	if (!v->check_challenge)
		return fail(res, CYL_SSI_WRONG_CHALLENGE, "presentation: no challenges issued");
	switch (v->check_challenge(v->arg, challenge)) {
	case CYL_CHALLENGE_OK:
		return CYL_SSI_OK;
	case CYL_CHALLENGE_EXPIRED:
		return fail(res, CYL_SSI_EXPIRED_CHALLENGE, "presentation.proof: challenge expired");
	case CYL_CHALLENGE_REUSED:
		return fail(res, CYL_SSI_REUSED_CHALLENGE,
			    "presentation.proof: challenge already used");
	default:
		return fail(res, CYL_SSI_WRONG_CHALLENGE,
			    "presentation.proof: challenge not issued here");
	}
}

static enum cyl_ssi_reason check_presentation(const struct cyl_ssi_verifier *v,
					      const json_t *vp, struct cyl_ssi_result *res)
{
	const json_t *vcs, *proof;
	enum cyl_ssi_reason reason;
	char where[WHERE_LEN];
	const char *holder;
	char *signer;
	size_t i, n;
	int ret;

	reason = check_shape(vp, "VerifiablePresentation", "presentation", res);
	if (reason)
		return reason;
	holder = id_of(json_object_get(vp, "holder"));
	if (!holder)
		return fail(res, CYL_SSI_MALFORMED, "presentation: no holder");
	vcs = json_object_get(vp, "verifiableCredential");
	n = json_is_array(vcs) ? json_array_size(vcs) : json_is_object(vcs);
	if (!n || n > MAX_CREDS)
		return fail(res, CYL_SSI_MALFORMED,
			    "presentation: verifiableCredential must hold 1 to %d credentials",
			    MAX_CREDS);

	reason = check_proof(v, vp, "authentication", "presentation", &proof, &signer, res);
	if (reason)
		return reason;
	ret = strcmp(signer, holder);
	if (ret)
		fail(res, CYL_SSI_HOLDER_MISMATCH, "presentation: holder %s, but signed by %s",
		     holder, signer);
	free(signer);
	if (ret)
		return CYL_SSI_HOLDER_MISMATCH;
	reason = check_nonces(v, proof, res);
	if (reason)
		return reason;

	res->holder = strdup(holder);
	res->creds = calloc(n, sizeof(*res->creds));
	if (!res->holder || !res->creds)
		return fail(res, CYL_SSI_MALFORMED, "presentation: out of memory");
	for (i = 0; i < n; i++) {
		snprintf(where, sizeof(where), "verifiableCredential[%zu]", i);
		res->n = i + 1;
		reason = check_credential(v, json_is_array(vcs) ? json_array_get(vcs, i) : vcs,
					  holder, where, &res->creds[i], res);
		if (reason) {
			free_creds(res);
			return reason;
		}
	}
	return CYL_SSI_OK;
}

enum cyl_ssi_reason cyl_ssi_verify_presentation(const struct cyl_ssi_verifier *v,
						const char *text, size_t len,
						struct cyl_ssi_result *res)
{
	enum cyl_ssi_reason reason;
	char err[192];
	json_t *vp;

	memset(res, 0, sizeof(*res));
	vp = cyl_ssi_json_parse(text, len, err, sizeof(err));
	if (!vp)
		return fail(res, CYL_SSI_MALFORMED, "presentation: %s", err);
	reason = check_presentation(v, vp, res);
	json_decref(vp);
	return reason;
}

enum cyl_ssi_reason cyl_ssi_verify_credential(const struct cyl_ssi_verifier *v,
					      const json_t *vc, struct cyl_ssi_result *res)
{
	enum cyl_ssi_reason reason;

	memset(res, 0, sizeof(*res));
	res->creds = calloc(1, sizeof(*res->creds));
	if (!res->creds)
		return fail(res, CYL_SSI_MALFORMED, "credential: out of memory");
	res->n = 1;
	reason = check_credential(v, vc, NULL, "credential", &res->creds[0], res);
	if (reason)
		free_creds(res);
	return reason;
}

void cyl_ssi_result_free(struct cyl_ssi_result *res)
{
	free_creds(res);
	free(res->holder);
	res->holder = NULL;
}
