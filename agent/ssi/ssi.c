// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's SSI access (see ssi.h): challenges, presentations checked
 * by the library (ssi/verify.h), claims mapped (ssi/mapping.h), keys
 * issued (ssi/issue.h), and the events that say so.  Both channels, the
 * control socket and HTTP, go through present(), so they answer and
 * report alike.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "abe/fame.h"
#include "core/daemon.h"
#include "core/event.h"
#include "core/httpd.h"
#include "core/log.h"
#include "ssi/issue.h"
#include "ssi/json.h"
#include "ssi/mapping.h"
#include "ssi/ssi.h"
#include "ssi/verify.h"

/* The refusal of a presentation whose claims map to nothing. */
#define REASON_NO_ATTRIBUTES	"no-attributes"
/* A verified presentation, but no key could be made (no random bytes...). */
#define REASON_INTERNAL		"internal-error"

/* What a refusal event quotes of the unverified presentation. */
#define PRESENTED_MAX		8	/* credentials */
#define PRESENTED_TEXT_MAX	256	/* bytes of a type or an issuer */

#define CHALLENGE_BODY_MAX	1024

struct cyl_ssi {
	struct cyl_daemon *d;
	struct cyl_challenges challenges;
	struct cyl_httpd *http;
	char http_text[sizeof(((struct cyl_policy_ssi *)0)->http_text)];
};

/* One presentation's answer. */
struct outcome {
	const char *refused;	/* the reason's name; NULL when granted */
	char message[512];
	json_t *reply;		/* granted: the reply body */
};

static const struct cyl_policy_ssi *policy(struct cyl_ssi *s)
{
	return s->d->policy.ssi.set ? &s->d->policy.ssi : NULL;
}

int cyl_ssi_policy_prepare(const char *name, struct cyl_policy *p, char *err, size_t errlen)
{
	struct cyl_policy_ssi *ps = &p->ssi;
	char why[512];
	int ret;

	if (!ps->set)
		return 0;
	ps->msk = calloc(1, sizeof(*ps->msk));
	if (!ps->msk) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = cyl_ssi_msk_load(ps->master_key, ps->msk, why, sizeof(why));
	if (ret)
		snprintf(err, errlen, "%s:%u:%u: ssi.master_key: %s", name, ps->master_key_line,
			 ps->master_key_column, why);
	return ret;
}

/* --- challenges --- */

static json_t *challenge(struct cyl_ssi *s, char *err, size_t errlen)
{
	const struct cyl_policy_ssi *p = policy(s);
	char nonce[CYL_CHALLENGE_LEN + 1];

	if (!p) {
		snprintf(err, errlen, "SSI access is off: the policy has no ssi section");
		return NULL;
	}
	if (cyl_challenge_issue(&s->challenges, cyl_loop_now_s(), p->challenge_ttl_s, nonce)) {
		snprintf(err, errlen, "no random bytes for a challenge");
		return NULL;
	}
	return json_pack("{s:s, s:s, s:I}", "challenge", nonce, "domain", p->domain,
			 "expires_in", (json_int_t)p->challenge_ttl_s);
}

static enum cyl_challenge_status check_challenge(void *arg, const char *nonce)
{
	struct cyl_ssi *s = arg;

	return cyl_challenge_consume(&s->challenges, nonce, cyl_loop_now_s());
}

json_t *cyl_ssi_challenge_json(struct cyl_daemon *d, char *err, size_t errlen)
{
	return challenge(d->ssi, err, errlen);
}

/* --- events --- */

/* @s cut to at most @max bytes, at a UTF-8 character boundary. */
static json_t *bounded_string(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len > max) {
		len = max;
		while (len && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	return json_stringn(s, len);
}

/*
 * The credentials of a presentation that was refused, as it presents
 * them (nothing in them is verified): [{"type", "issuer"}], the first
 * type that is not "VerifiableCredential", bounded.
 */
static json_t *presented(const char *text, size_t len)
{
	json_t *vp, *vcs, *vc, *out, *types, *t, *issuer;
	const char *type, *iss;
	char err[160];
	size_t i, j, n;

	out = json_array();
	vp = cyl_ssi_json_parse(text, len, err, sizeof(err));
	vcs = json_object_get(vp, "verifiableCredential");
	n = json_is_array(vcs) ? json_array_size(vcs) : json_is_object(vcs);
	for (i = 0; out && i < n && i < PRESENTED_MAX; i++) {
		vc = json_is_array(vcs) ? json_array_get(vcs, i) : vcs;
		types = json_object_get(vc, "type");
		type = json_string_value(types);
		json_array_foreach(types, j, t) {
			type = json_string_value(t);
			if (type && strcmp(type, "VerifiableCredential"))
				break;
			type = NULL;
		}
		issuer = json_object_get(vc, "issuer");
		iss = json_is_object(issuer) ? cyl_ssi_json_str(issuer, "id") :
					       json_string_value(issuer);
		json_array_append_new(out, json_pack("{s:o?, s:o?}",
				"type", type ? bounded_string(type, PRESENTED_TEXT_MAX) : NULL,
				"issuer", iss ? bounded_string(iss, PRESENTED_TEXT_MAX) : NULL));
	}
	json_decref(vp);
	return out;
}

static json_t *verified(const struct cyl_ssi_result *res)
{
	json_t *out = json_array();
	size_t i;

	for (i = 0; out && i < res->n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s}", "type", res->creds[i].type,
						     "issuer", res->creds[i].issuer));
	return out;
}

static json_t *strings(char *const *v, size_t n)
{
	json_t *out = json_array();
	size_t i;

	for (i = 0; out && i < n; i++)
		json_array_append_new(out, json_string(v[i]));
	return out;
}

/* ssi_grant or ssi_refuse, with @detail (taken over) as its "ssi". */
static void emit(struct cyl_ssi *s, bool grant, const char *sentence, json_t *detail)
{
	json_t *ev = cyl_event_new(grant ? "ssi_grant" : "ssi_refuse", NULL, NULL,
				   grant ? "allow" : "deny", sentence);

	if (ev && (!detail || json_object_set_new(ev, "ssi", detail))) {
		json_decref(ev);
		ev = NULL;
	} else if (!ev) {
		json_decref(detail);
	}
	if (grant)
		log_info_f("%s", sentence);
	else
		log_warn_f("%s", sentence);
	cyl_daemon_emit(s->d, ev);
}

/*
 * Refuse: the event, and the outcome's reason and message.  @creds are
 * verified() or presented(); @verified says which.
 */
static void refuse(struct cyl_ssi *s, struct outcome *o, const char *channel,
		   const char *reason, const char *message, const char *holder,
		   json_t *creds, bool verified, json_t *skipped)
{
	char sentence[768];

	o->refused = reason;
	snprintf(o->message, sizeof(o->message), "%s", message);
	snprintf(sentence, sizeof(sentence), "SSI access refused (%s): %s", reason, message);
	emit(s, false, sentence,
	     json_pack("{s:s, s:s, s:s?, s:o*, s:b, s:o*}", "result", reason, "channel", channel,
		       "holder", holder, "credentials", creds, "verified", verified,
		       "skipped", skipped));
}

/* A key for the mapped attributes, the grant event and the reply. */
static void grant(struct cyl_ssi *s, struct outcome *o, const char *channel,
		  const struct cyl_ssi_result *res, const struct cyl_ssi_mapped *m)
{
	const struct cyl_policy_ssi *p = policy(s);
	uint64_t not_after = (uint64_t)time(NULL) + p->key_lifetime_s;
	char sentence[768], err[256], *key;

	if (!p->msk) {
		refuse(s, o, channel, REASON_INTERNAL, "the policy's master key is not loaded",
		       res->holder, verified(res), true, NULL);
		return;
	}
	if (cyl_ssi_issue_key(p->msk, (const char *const *)m->attrs, m->n, res->holder,
			      not_after, &key, err, sizeof(err))) {
		refuse(s, o, channel, REASON_INTERNAL, err, res->holder, verified(res), true, NULL);
		return;
	}
	o->reply = json_pack("{s:s, s:s, s:o, s:I}", "key", key, "subject", res->holder,
			     "attributes", strings(m->attrs, m->n),
			     "not_after", (json_int_t)not_after);
	OPENSSL_clear_free(key, strlen(key));
	if (!o->reply) {
		/* Nothing reaches the requester: nothing was granted. */
		log_err_f("out of memory: a key for %s not sent", res->holder);
		return;
	}
	snprintf(sentence, sizeof(sentence),
		 "SSI access granted to %s: a CP-ABE key with %zu attribute(s), valid %u s",
		 res->holder, m->n, p->key_lifetime_s);
	emit(s, true, sentence,
	     json_pack("{s:s, s:s, s:s, s:o, s:o, s:I, s:o*}", "result", "ok",
		       "channel", channel, "holder", res->holder, "credentials", verified(res),
		       "attributes", strings(m->attrs, m->n), "not_after", (json_int_t)not_after,
		       "skipped", m->n_skipped ? strings(m->skipped, m->n_skipped) : NULL));
}

/*
 * Verify, map, issue.  0 with @o filled (granted: a reply, refused: a
 * reason; neither when out of memory), or -ENOENT / -ENOMEM with
 * @o->message saying why nothing was decided.
 */
static int present(struct cyl_ssi *s, const char *text, size_t len, const char *channel,
		   struct outcome *o)
{
	const struct cyl_policy_ssi *p = policy(s);
	struct cyl_did_resolver resolver = { 0 };
	struct cyl_ssi_issuer_rule *rules;
	struct cyl_ssi_verifier v = { 0 };
	enum cyl_ssi_reason reason;
	struct cyl_ssi_result res;
	struct cyl_ssi_mapped m;
	size_t i;
	int ret = 0;

	memset(o, 0, sizeof(*o));
	if (!p) {
		snprintf(o->message, sizeof(o->message),
			 "SSI access is off: the policy has no ssi section");
		return -ENOENT;
	}
	rules = calloc(p->n_issuers, sizeof(*rules));
	if (!rules) {
		snprintf(o->message, sizeof(o->message), "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < p->n_issuers; i++) {
		rules[i].type = p->issuers[i].type;
		rules[i].issuers = (const char *const *)p->issuers[i].dids;
		rules[i].n_issuers = p->issuers[i].n;
	}
	resolver.web_cache = p->did_web_cache;
	v.resolver = &resolver;
	v.rules = rules;
	v.n_rules = p->n_issuers;
	v.domain = p->domain;
	v.now = time(NULL);
	v.check_challenge = check_challenge;
	v.arg = s;
	v.status_dir = p->status_lists;
	v.status_max_age = p->status_max_age_s;

	reason = cyl_ssi_verify_presentation(&v, text, len, &res);
	free(rules);
	if (reason != CYL_SSI_OK) {
		refuse(s, o, channel, cyl_ssi_reason_name(reason), res.message, res.holder,
		       presented(text, len), false, NULL);
		goto out;
	}
	if (cyl_ssi_map_claims(p->map, p->n_map, res.creds, res.n, &m)) {
		snprintf(o->message, sizeof(o->message), "out of memory");
		ret = -ENOMEM;
	} else if (!m.n) {
		refuse(s, o, channel, REASON_NO_ATTRIBUTES,
		       m.n_skipped ? "no claim value of the credentials is an attribute" :
				     "the credentials carry no claim the policy maps",
		       res.holder, verified(&res), true,
		       m.n_skipped ? strings(m.skipped, m.n_skipped) : NULL);
	} else {
		grant(s, o, channel, &res, &m);
	}
	cyl_ssi_mapped_free(&m);
out:
	cyl_ssi_result_free(&res);
	return ret;
}

json_t *cyl_ssi_present_json(struct cyl_daemon *d, const struct cyl_ctl_request *req,
			     char *err, size_t errlen)
{
	json_t *text = json_object_get(req->obj, "presentation");
	struct outcome o;

	if (present(d->ssi, json_string_value(text), json_string_length(text), "control", &o)) {
		snprintf(err, errlen, "%s", o.message);
		return NULL;
	}
	if (o.refused) {
		snprintf(err, errlen, "access refused (%s): %s", o.refused, o.message);
		return NULL;
	}
	if (!o.reply)
		snprintf(err, errlen, "out of memory");
	return o.reply;
}

/* --- HTTP --- */

enum { ROUTE_CHALLENGE, ROUTE_PRESENTATION };

static const struct cyl_http_route routes[] = {
	[ROUTE_CHALLENGE] = { "POST", "/ssi/challenge", CHALLENGE_BODY_MAX },
	[ROUTE_PRESENTATION] = { "POST", "/ssi/presentation", CYL_SSI_JSON_MAX },
};

/* @body as the response, or a 500 when it could not be built. */
static void answer(struct cyl_httpd_response *resp, int status, json_t *body)
{
	char *s = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

	json_decref(body);
	resp->status = s ? status : 500;
	resp->content_type = "application/json";
	if (s) {
		cyl_strbuf_puts(&resp->body, s);
		cyl_strbuf_add(&resp->body, "\n", 1);
		OPENSSL_clear_free(s, strlen(s));	/* it may hold a key */
	}
}

static json_t *reason_body(const char *reason, const char *message)
{
	return json_pack("{s:s, s:s}", "reason", reason, "message", message);
}

static void serve(void *ctx, size_t route, const struct cyl_http_request *req,
		  const char *body, size_t len, struct cyl_httpd_response *resp)
{
	struct cyl_ssi *s = ctx;
	char err[256];
	struct outcome o;
	json_t *j;

	if (route == ROUTE_CHALLENGE) {
		/* Nothing to say but "{}" (or nothing). */
		j = len ? json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL) : json_object();
		if (!json_is_object(j)) {
			json_decref(j);
			answer(resp, 400,
			       reason_body("malformed", "the body must be a JSON object"));
			return;
		}
		json_decref(j);
		j = challenge(s, err, sizeof(err));
		answer(resp, j ? 200 : 503, j ? j : reason_body("unavailable", err));
		return;
	}
	if (present(s, body, len, "http", &o))
		answer(resp, 503, reason_body("unavailable", o.message));
	else if (o.refused)
		answer(resp, strcmp(o.refused, REASON_INTERNAL) ? 403 : 500,
		       reason_body(o.refused, o.message));
	else
		answer(resp, 200, o.reply);
}

void cyl_ssi_policy_changed(struct cyl_daemon *d)
{
	const struct cyl_policy_ssi *p = policy(d->ssi);
	struct cyl_ssi *s = d->ssi;
	struct cyl_metrics_listen where = { .enabled = true, .loopback = true };

	if (s->http && p && p->http && !strcmp(s->http_text, p->http_text))
		return;
	if (s->http) {
		log_info_f("SSI endpoint on http://%s/ssi/ closed", cyl_httpd_address(s->http));
		cyl_httpd_close(s->http);
		s->http = NULL;
		s->http_text[0] = '\0';
	}
	if (!p || !p->http)
		return;
	memcpy(&where.addr, &p->http_addr, sizeof(where.addr));
	where.addrlen = p->http_addrlen;
	if (cyl_httpd_open(&s->http, &where, &d->loop, routes,
			   sizeof(routes) / sizeof(routes[0]), serve, s)) {
		log_err_f("SSI endpoint on %s: not listening; the control socket still serves",
			  p->http_text);
		return;
	}
	snprintf(s->http_text, sizeof(s->http_text), "%s", p->http_text);
	log_info_f("SSI endpoint on http://%s/ssi/ (POST challenge, presentation)",
		   cyl_httpd_address(s->http));
}

int cyl_ssi_open(struct cyl_daemon *d)
{
	d->ssi = calloc(1, sizeof(*d->ssi));
	if (!d->ssi)
		return -ENOMEM;
	d->ssi->d = d;
	return 0;
}

void cyl_ssi_close(struct cyl_daemon *d)
{
	struct cyl_ssi *s = d->ssi;

	if (!s)
		return;
	cyl_httpd_close(s->http);
	OPENSSL_cleanse(&s->challenges, sizeof(s->challenges));
	free(s);
	d->ssi = NULL;
}
