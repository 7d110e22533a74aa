// SPDX-License-Identifier: GPL-2.0
/*
 * The policy's "ssi" section (see ssi.h).  Everything a presentation is
 * checked against is validated here, with the line and column of the
 * offending value, so that a policy that loads can verify and issue.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abe/fame.h"
#include "abe/policy.h"
#include "policy/ssi.h"
#include "policy/walk.h"

enum {
	S_DOMAIN, S_MASTER_KEY, S_ISSUERS, S_MAPPING, S_KEY_LIFETIME,
	S_CHALLENGE_TTL, S_STATUS_AGE, S_DID_WEB, S_STATUS_LISTS, S_HTTP,
	S_N
};

static int oom(struct cyl_yw *c)
{
	return cyl_yw_fail_nopos(c->err, c->name, -ENOMEM, "out of memory");
}

/* Printable ASCII without space: credential types, claim names, domains. */
static bool is_token(const char *s, size_t len, size_t max)
{
	size_t i;

	if (!s || !len || len > max)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return false;
	return true;
}

/* An ABE attribute name (abe/policy.h): 1..64 of [A-Za-z0-9_.-]. */
static bool is_attr_name(const char *s, size_t len)
{
	size_t i;

	if (!s || !len || len > CYL_ABE_ATTR_PART_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("_.-", s[i])))
			return false;
	return true;
}

/*
 * did:key:... or did:web:..., the method-specific id of DID syntax
 * characters (no path, query or fragment): the resolvers' two methods.
 */
static bool is_issuer_did(const char *s, size_t len)
{
	size_t i, start;

	if (!s || len > CYL_POLICY_SSI_DID_MAX)
		return false;
	if (!strncmp(s, "did:key:", 8))
		start = 8;
	else if (!strncmp(s, "did:web:", 8))
		start = 8;
	else
		return false;
	if (len == start)
		return false;
	for (i = start; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("._:%-", s[i])))
			return false;
	return true;
}

/* A scalar that @ok accepts, strdup'ed into *@out. */
static int get_str(struct cyl_yw *c, const yaml_node_t *v, const char *path,
		   bool ok, const char *expected, char **out)
{
	char q[CYL_QUOTE_SIZE];

	if (!ok)
		return cyl_yw_fail(c, v->start_mark, "%s: expected %s, got %s", path,
				   expected, CYL_YW_QUOTE(q, v));
	*out = strdup(cyl_yw_scalar_str(v));
	return *out ? 0 : oom(c);
}

#define SCALAR_IS(v, check)	(cyl_yw_scalar_str(v) && \
				 check(cyl_yw_scalar_str(v), (v)->data.scalar.length))

static bool is_abs_path(const char *s, size_t len)
{
	return s && len >= 2 && len <= CYL_POLICY_SSI_PATH_MAX && s[0] == '/';
}

static int get_path(struct cyl_yw *c, const yaml_node_t *v, const char *path, char **out)
{
	int ret;

	if ((ret = cyl_yw_expect_scalar(c, v, path)) != 0)
		return ret;
	return get_str(c, v, path, SCALAR_IS(v, is_abs_path),
		       "an absolute path", out);
}

/* The items of sequence @node, at most @max, none missing. */
static int get_seq(struct cyl_yw *c, yaml_node_t *node, const char *path, size_t max,
		   bool nonempty, size_t *n)
{
	if (node->type != YAML_SEQUENCE_NODE)
		return cyl_yw_fail(c, node->start_mark, "%s: expected a sequence, got %s",
				   path, cyl_yw_kind(node));
	*n = node->data.sequence.items.top - node->data.sequence.items.start;
	if (*n > max)
		return cyl_yw_fail(c, node->start_mark,
				   "%s: %zu entries, at most %zu are supported", path, *n, max);
	if (!*n && nonempty)
		return cyl_yw_fail(c, node->start_mark, "%s: expected at least one entry", path);
	return 0;
}

static yaml_node_t *item(struct cyl_yw *c, yaml_node_t *seq, size_t i)
{
	return cyl_yw_node_at(c, seq->data.sequence.items.start[i]);
}

static int parse_issuer_entry(struct cyl_yw *c, yaml_node_t *node, const char *path,
			      struct cyl_policy_ssi *s, size_t idx)
{
	enum { I_TYPE, I_ISSUERS, I_N };
	struct cyl_yw_field f[I_N] = {
		[I_TYPE] = { .name = "type" },
		[I_ISSUERS] = { .name = "issuers" },
	};
	struct cyl_policy_ssi_issuers *e = &s->issuers[idx];
	char field[CYL_YW_PATH_SIZE], q[CYL_QUOTE_SIZE];
	yaml_node_t *v;
	size_t i, j, n;
	int ret;

	if ((ret = cyl_yw_get_fields(c, node, path, f, I_N, NULL, NULL)) != 0)
		return ret;
	for (i = 0; i < I_N; i++)
		if (!f[i].val)
			return cyl_yw_fail(c, node->start_mark, "%s: missing key \"%s\"",
					   path, f[i].name);
	v = f[I_TYPE].val;
	cyl_yw_sub(field, sizeof(field), path, "type");
	if ((ret = cyl_yw_expect_scalar(c, v, field)) != 0)
		return ret;
	for (i = 0; i < idx; i++)
		if (cyl_yw_scalar_is(v, s->issuers[i].type))
			return cyl_yw_fail(c, v->start_mark,
					   "%s: type %s is listed twice (trusted_issuers[%zu])",
					   field, CYL_YW_QUOTE(q, v), i);
	ret = get_str(c, v, field,
		      is_token(cyl_yw_scalar_str(v), v->data.scalar.length,
			       CYL_POLICY_SSI_NAME_MAX),
		      "a credential type, 1..128 printable characters without space", &e->type);
	if (ret)
		return ret;

	v = f[I_ISSUERS].val;
	cyl_yw_sub(field, sizeof(field), path, "issuers");
	if ((ret = get_seq(c, v, field, CYL_POLICY_SSI_ISSUERS_MAX, true, &n)) != 0)
		return ret;
	e->dids = calloc(n, sizeof(*e->dids));
	if (!e->dids)
		return oom(c);
	for (i = 0; i < n; i++) {
		yaml_node_t *d = item(c, v, i);
		char entry[CYL_YW_PATH_SIZE];

		if (snprintf(entry, sizeof(entry), "%s[%zu]", field, i) >= (int)sizeof(entry))
			entry[sizeof(entry) - 1] = '\0';	/* cannot happen */
		if (!d)
			return cyl_yw_fail(c, v->start_mark, "%s: malformed sequence", field);
		if ((ret = cyl_yw_expect_scalar(c, d, entry)) != 0)
			return ret;
		for (j = 0; j < i; j++)
			if (cyl_yw_scalar_is(d, e->dids[j]))
				return cyl_yw_fail(c, d->start_mark, "%s: %s is listed twice",
						   entry, CYL_YW_QUOTE(q, d));
		ret = get_str(c, d, entry, SCALAR_IS(d, is_issuer_did),
			      "a did:key or did:web DID (no path, query or fragment)",
			      &e->dids[i]);
		if (ret)
			return ret;
		e->n = i + 1;
	}
	return 0;
}

static int parse_issuers(struct cyl_yw *c, yaml_node_t *node, struct cyl_policy_ssi *s)
{
	char path[CYL_YW_PATH_SIZE];
	size_t i, n;
	int ret;

	if ((ret = get_seq(c, node, "ssi.trusted_issuers", CYL_POLICY_SSI_TYPES_MAX,
			   true, &n)) != 0)
		return ret;
	s->issuers = calloc(n, sizeof(*s->issuers));
	if (!s->issuers)
		return oom(c);
	for (i = 0; i < n; i++) {
		yaml_node_t *it = item(c, node, i);

		if (!it)
			return cyl_yw_fail(c, node->start_mark,
					   "ssi.trusted_issuers: malformed sequence");
		snprintf(path, sizeof(path), "ssi.trusted_issuers[%zu]", i);
		s->n_issuers = i + 1;
		if ((ret = parse_issuer_entry(c, it, path, s, i)) != 0)
			return ret;
	}
	return 0;
}

static int parse_map_entry(struct cyl_yw *c, yaml_node_t *node, const char *path,
			   struct cyl_policy_ssi *s, size_t idx)
{
	enum { M_CREDENTIAL, M_CLAIM, M_ATTRIBUTE, M_N };
	struct cyl_yw_field f[M_N] = {
		[M_CREDENTIAL] = { .name = "credential" },
		[M_CLAIM] = { .name = "claim" },
		[M_ATTRIBUTE] = { .name = "attribute" },
	};
	struct cyl_ssi_map_rule *r = &s->map[idx];
	char field[CYL_YW_PATH_SIZE], q[CYL_QUOTE_SIZE];
	yaml_node_t *v;
	size_t i;
	int ret;

	if ((ret = cyl_yw_get_fields(c, node, path, f, M_N, NULL, NULL)) != 0)
		return ret;
	for (i = 0; i < M_N; i++) {
		if (!f[i].val)
			return cyl_yw_fail(c, node->start_mark, "%s: missing key \"%s\"",
					   path, f[i].name);
		cyl_yw_sub(field, sizeof(field), path, f[i].name);
		if ((ret = cyl_yw_expect_scalar(c, f[i].val, field)) != 0)
			return ret;
	}

	/* Only a trusted type can ever reach the mapping. */
	v = f[M_CREDENTIAL].val;
	cyl_yw_sub(field, sizeof(field), path, "credential");
	for (i = 0; i < s->n_issuers && !cyl_yw_scalar_is(v, s->issuers[i].type); i++)
		;
	if (i == s->n_issuers)
		return cyl_yw_fail(c, v->start_mark,
				   "%s: %s is not a type of ssi.trusted_issuers: no credential "
				   "of it is ever accepted", field, CYL_YW_QUOTE(q, v));
	if (!(r->credential = strdup(s->issuers[i].type)))
		return oom(c);

	v = f[M_CLAIM].val;
	cyl_yw_sub(field, sizeof(field), path, "claim");
	ret = get_str(c, v, field,
		      is_token(cyl_yw_scalar_str(v), v->data.scalar.length,
			       CYL_POLICY_SSI_NAME_MAX),
		      "a claim name, 1..128 printable characters without space", &r->claim);
	if (ret)
		return ret;

	v = f[M_ATTRIBUTE].val;
	cyl_yw_sub(field, sizeof(field), path, "attribute");
	ret = get_str(c, v, field, SCALAR_IS(v, is_attr_name),
		      "an attribute name, 1..64 of A-Z a-z 0-9 _ . -", &r->attribute);
	if (ret)
		return ret;

	for (i = 0; i < idx; i++) {
		const struct cyl_ssi_map_rule *o = &s->map[i];

		if (!strcmp(o->credential, r->credential) && !strcmp(o->claim, r->claim) &&
		    !strcmp(o->attribute, r->attribute))
			return cyl_yw_fail(c, node->start_mark,
					   "%s: the same rule as ssi.mapping[%zu]", path, i);
	}
	return 0;
}

static int parse_mapping(struct cyl_yw *c, yaml_node_t *node, struct cyl_policy_ssi *s)
{
	char path[CYL_YW_PATH_SIZE];
	size_t i, n;
	int ret;

	if ((ret = get_seq(c, node, "ssi.mapping", CYL_POLICY_SSI_MAP_MAX, true, &n)) != 0)
		return ret;
	s->map = calloc(n, sizeof(*s->map));
	if (!s->map)
		return oom(c);
	for (i = 0; i < n; i++) {
		yaml_node_t *it = item(c, node, i);

		if (!it)
			return cyl_yw_fail(c, node->start_mark, "ssi.mapping: malformed sequence");
		snprintf(path, sizeof(path), "ssi.mapping[%zu]", i);
		s->n_map = i + 1;
		if ((ret = parse_map_entry(c, it, path, s, i)) != 0)
			return ret;
	}
	return 0;
}

/* "127.0.0.1:9465" or "[::1]:9465": loopback only, numeric. */
static int parse_http(struct cyl_yw *c, const yaml_node_t *v, struct cyl_policy_ssi *s)
{
	const char *text = cyl_yw_scalar_str(v), *host, *port;
	char q[CYL_QUOTE_SIZE], h[INET6_ADDRSTRLEN + 1];
	unsigned long p = 0;
	size_t hlen, i;
	int ret;

	if ((ret = cyl_yw_expect_scalar(c, v, "ssi.http")) != 0)
		return ret;
	CYL_YW_QUOTE(q, v);
	if (!text || v->data.scalar.length >= sizeof(s->http_text))
		goto bad;
	host = text;
	if (text[0] == '[') {
		host++;
		port = strstr(host, "]:");
		if (!port)
			goto bad;
		hlen = port - host;
		port += 2;
	} else {
		port = strrchr(text, ':');
		if (!port)
			goto bad;
		hlen = port - host;
		port++;
	}
	if (!hlen || hlen >= sizeof(h) || !*port || strlen(port) > 5)
		goto bad;
	for (i = 0; port[i]; i++) {
		if (port[i] < '0' || port[i] > '9' || (!i && port[i] == '0'))
			goto bad;
		p = p * 10 + (unsigned long)(port[i] - '0');
	}
	if (p > 65535)
		goto bad;
	memcpy(h, host, hlen);
	h[hlen] = '\0';
	if (text[0] == '[') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&s->http_addr;

		if (inet_pton(AF_INET6, h, &a->sin6_addr) != 1)
			goto bad;
		if (!IN6_IS_ADDR_LOOPBACK(&a->sin6_addr))
			goto remote;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(p);
		s->http_addrlen = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&s->http_addr;

		if (inet_pton(AF_INET, h, &a->sin_addr) != 1)
			goto bad;
		if ((ntohl(a->sin_addr.s_addr) >> 24) != 127)
			goto remote;
		a->sin_family = AF_INET;
		a->sin_port = htons(p);
		s->http_addrlen = sizeof(*a);
	}
	memcpy(s->http_text, text, v->data.scalar.length + 1);
	s->http = true;
	return 0;
bad:
	return cyl_yw_fail(c, v->start_mark,
			   "ssi.http: expected ADDR:PORT or [ADDR]:PORT, numeric, got %s", q);
remote:
	return cyl_yw_fail(c, v->start_mark,
			   "ssi.http: %s is not a loopback address (127.0.0.0/8 or [::1]): "
			   "the endpoint has no TLS, put a proxy in front of it", q);
}

static int parse_scalars(struct cyl_yw *c, struct cyl_yw_field *f, struct cyl_policy_ssi *s)
{
	static const struct {
		int field;
		unsigned long min, max;
		size_t off;
	} secs[] = {
		{ S_KEY_LIFETIME, CYL_POLICY_SSI_KEY_LIFETIME_MIN, CYL_POLICY_SSI_KEY_LIFETIME_MAX,
		  offsetof(struct cyl_policy_ssi, key_lifetime_s) },
		{ S_CHALLENGE_TTL, CYL_POLICY_SSI_CHALLENGE_TTL_MIN,
		  CYL_POLICY_SSI_CHALLENGE_TTL_MAX,
		  offsetof(struct cyl_policy_ssi, challenge_ttl_s) },
		{ S_STATUS_AGE, CYL_POLICY_SSI_STATUS_AGE_MIN, CYL_POLICY_SSI_STATUS_AGE_MAX,
		  offsetof(struct cyl_policy_ssi, status_max_age_s) },
	};
	char field[CYL_YW_PATH_SIZE];
	yaml_node_t *v;
	size_t i;
	int ret;

	v = f[S_DOMAIN].val;
	if ((ret = cyl_yw_expect_scalar(c, v, "ssi.domain")) != 0)
		return ret;
	ret = get_str(c, v, "ssi.domain",
		      is_token(cyl_yw_scalar_str(v), v->data.scalar.length,
			       CYL_POLICY_SSI_DOMAIN_MAX),
		      "1..255 printable characters without space", &s->domain);
	if (ret)
		return ret;

	v = f[S_MASTER_KEY].val;
	if ((ret = get_path(c, v, "ssi.master_key", &s->master_key)) != 0)
		return ret;
	s->master_key_line = v->start_mark.line + 1;
	s->master_key_column = v->start_mark.column + 1;

	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		unsigned int *out = (unsigned int *)((char *)s + secs[i].off);

		if (!f[secs[i].field].val)
			continue;
		cyl_yw_sub(field, sizeof(field), "ssi", f[secs[i].field].name);
		if ((ret = cyl_yw_get_uint(c, f[secs[i].field].val, field, secs[i].min,
					   secs[i].max, out)) != 0)
			return ret;
	}
	if (f[S_DID_WEB].val) {
		free(s->did_web_cache);
		s->did_web_cache = NULL;
		if ((ret = get_path(c, f[S_DID_WEB].val, "ssi.did_web_cache",
				    &s->did_web_cache)) != 0)
			return ret;
	}
	if (f[S_STATUS_LISTS].val) {
		free(s->status_lists);
		s->status_lists = NULL;
		if ((ret = get_path(c, f[S_STATUS_LISTS].val, "ssi.status_lists",
				    &s->status_lists)) != 0)
			return ret;
	}
	if (f[S_HTTP].val)
		return parse_http(c, f[S_HTTP].val, s);
	return 0;
}

int cyl_policy_ssi_parse(struct cyl_yw *c, yaml_node_t *node, struct cyl_policy_ssi *s)
{
	struct cyl_yw_field f[S_N] = {
		[S_DOMAIN] = { .name = "domain" },
		[S_MASTER_KEY] = { .name = "master_key" },
		[S_ISSUERS] = { .name = "trusted_issuers" },
		[S_MAPPING] = { .name = "mapping" },
		[S_KEY_LIFETIME] = { .name = "key_lifetime_s" },
		[S_CHALLENGE_TTL] = { .name = "challenge_ttl_s" },
		[S_STATUS_AGE] = { .name = "status_max_age_s" },
		[S_DID_WEB] = { .name = "did_web_cache" },
		[S_STATUS_LISTS] = { .name = "status_lists" },
		[S_HTTP] = { .name = "http" },
	};
	static const int required[] = { S_DOMAIN, S_MASTER_KEY, S_ISSUERS, S_MAPPING };
	size_t i;
	int ret;

	if ((ret = cyl_yw_get_fields(c, node, "ssi", f, S_N, NULL, NULL)) != 0)
		return ret;
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!f[required[i]].val)
			return cyl_yw_fail(c, node->start_mark, "ssi: missing key \"%s\"",
					   f[required[i]].name);
	s->set = true;
	s->key_lifetime_s = CYL_POLICY_SSI_KEY_LIFETIME_DEFAULT;
	s->challenge_ttl_s = CYL_POLICY_SSI_CHALLENGE_TTL_DEFAULT;
	s->status_max_age_s = CYL_POLICY_SSI_STATUS_AGE_DEFAULT;
	s->did_web_cache = strdup(CYL_POLICY_SSI_DID_WEB_DEFAULT);
	s->status_lists = strdup(CYL_POLICY_SSI_STATUS_DIR_DEFAULT);
	if (!s->did_web_cache || !s->status_lists)
		return oom(c);
	if ((ret = parse_scalars(c, f, s)) != 0)
		return ret;
	if ((ret = parse_issuers(c, f[S_ISSUERS].val, s)) != 0)
		return ret;
	return parse_mapping(c, f[S_MAPPING].val, s);
}

void cyl_policy_ssi_free(struct cyl_policy_ssi *s)
{
	size_t i, j;

	for (i = 0; i < s->n_issuers; i++) {
		for (j = 0; j < s->issuers[i].n; j++)
			free(s->issuers[i].dids[j]);
		free(s->issuers[i].dids);
		free(s->issuers[i].type);
	}
	free(s->issuers);
	for (i = 0; i < s->n_map; i++) {
		free(s->map[i].credential);
		free(s->map[i].claim);
		free(s->map[i].attribute);
	}
	free(s->map);
	free(s->domain);
	free(s->master_key);
	free(s->did_web_cache);
	free(s->status_lists);
	if (s->msk) {
		explicit_bzero(s->msk, sizeof(*s->msk));
		free(s->msk);
	}
	memset(s, 0, sizeof(*s));
}
