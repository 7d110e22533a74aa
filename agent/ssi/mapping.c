// SPDX-License-Identifier: GPL-2.0
/*
 * Verified claims to CP-ABE attributes (see mapping.h).  The attribute
 * syntax is abe/policy.c's own: a candidate "name:value" is handed to
 * cyl_abe_attrs_parse(), after refusing the separators that parser
 * would read as a list (a comma, whitespace).
 */
#define _GNU_SOURCE	/* asprintf */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abe/policy.h"
#include "ssi/mapping.h"
#include "util/quote.h"

/* What is collected while mapping, before sorting. */
struct acc {
	struct cyl_ssi_mapped *out;
	size_t cap, cap_skipped;
};

static int push(char ***v, size_t *n, size_t *cap, char *s)
{
	char **nv;

	if (!s)
		return -ENOMEM;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		nv = realloc(*v, *cap * sizeof(*nv));
		if (!nv) {
			free(s);
			return -ENOMEM;
		}
		*v = nv;
	}
	(*v)[(*n)++] = s;
	return 0;
}

static int __attribute__((format(printf, 3, 4)))
skip(struct acc *a, const struct cyl_ssi_map_rule *r, const char *fmt, ...)
{
	char reason[CYL_SSI_MAP_REASON_MAX], *s;
	va_list ap;
	int n;

	n = snprintf(reason, sizeof(reason), "%s.%s: ", r->credential, r->claim);
	if (n < 0 || (size_t)n >= sizeof(reason))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(reason + n, sizeof(reason) - n, fmt, ap);
	va_end(ap);
	s = strdup(reason);
	return push(&a->out->skipped, &a->out->n_skipped, &a->cap_skipped, s);
}

/* Is "@name:@value" one attribute of abe/policy.h? */
static bool is_attribute(const char *attr, size_t value_len)
{
	char **v;
	size_t n;

	if (!value_len || strpbrk(attr, ", \t\r\n"))
		return false;
	if (cyl_abe_attrs_parse(attr, &v, &n, NULL, 0))
		return false;
	cyl_abe_attrs_free(v, n);
	return n == 1;
}

/* One value of a claim: a string, or an integer as its decimal text. */
static int map_value(struct acc *a, const struct cyl_ssi_map_rule *r, const json_t *v)
{
	char num[24], q[CYL_QUOTE_SIZE], *attr;
	const char *value;
	size_t len;

	if (json_is_string(v)) {
		value = json_string_value(v);
		len = json_string_length(v);
	} else if (json_is_integer(v)) {
		len = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			       json_integer_value(v));
		value = num;
	} else {
		return skip(a, r, "a value that is not a string or an integer");
	}
	/* A NUL inside the string would hide its tail from the check. */
	if (strlen(value) == len && len <= CYL_ABE_ATTR_PART_MAX) {
		if (asprintf(&attr, "%s:%s", r->attribute, value) < 0)
			return -ENOMEM;
		if (is_attribute(attr, len))
			return push(&a->out->attrs, &a->out->n, &a->cap, attr);
		free(attr);
	}
	return skip(a, r, "value %s is not an attribute value (1..%d of A-Z a-z 0-9 _ . - / @)",
		    cyl_quote(q, sizeof(q), value, len), CYL_ABE_ATTR_PART_MAX);
}

static int map_claim(struct acc *a, const struct cyl_ssi_map_rule *r, const json_t *claim)
{
	const json_t *v;
	size_t i;
	int ret;

	if (!json_is_array(claim))
		return map_value(a, r, claim);
	if (!json_array_size(claim))
		return skip(a, r, "an empty array");
	json_array_foreach(claim, i, v) {
		if ((ret = map_value(a, r, v)) != 0)
			return ret;
	}
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort, drop repeats, keep at most CYL_ABE_ATTRS_MAX. */
static int finish(struct acc *a)
{
	struct cyl_ssi_mapped *m = a->out;
	size_t i, n = 0, dropped;
	char reason[CYL_SSI_MAP_REASON_MAX];

	if (!m->n)
		return 0;
	qsort(m->attrs, m->n, sizeof(*m->attrs), cmp);
	for (i = 0; i < m->n; i++) {
		if (n && !strcmp(m->attrs[n - 1], m->attrs[i]))
			free(m->attrs[i]);
		else
			m->attrs[n++] = m->attrs[i];
	}
	m->n = n;
	if (n <= CYL_ABE_ATTRS_MAX)
		return 0;
	dropped = n - CYL_ABE_ATTRS_MAX;
	for (i = CYL_ABE_ATTRS_MAX; i < n; i++)
		free(m->attrs[i]);
	m->n = CYL_ABE_ATTRS_MAX;
	snprintf(reason, sizeof(reason), "%zu attributes past the first %d (a key's limit)",
		 dropped, CYL_ABE_ATTRS_MAX);
	return push(&m->skipped, &m->n_skipped, &a->cap_skipped, strdup(reason));
}

int cyl_ssi_map_claims(const struct cyl_ssi_map_rule *rules, size_t n_rules,
		       const struct cyl_ssi_credential *creds, size_t n_creds,
		       struct cyl_ssi_mapped *out)
{
	struct acc a = { .out = out };
	const json_t *claim;
	size_t i, j;
	int ret;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n_creds; i++) {
		for (j = 0; j < n_rules; j++) {
			if (strcmp(rules[j].credential, creds[i].type))
				continue;
			claim = json_object_get(creds[i].subject, rules[j].claim);
			if (!claim)
				continue;
			if ((ret = map_claim(&a, &rules[j], claim)) != 0)
				return ret;
		}
	}
	return finish(&a);
}

void cyl_ssi_mapped_free(struct cyl_ssi_mapped *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->attrs[i]);
	for (i = 0; i < m->n_skipped; i++)
		free(m->skipped[i]);
	free(m->attrs);
	free(m->skipped);
	memset(m, 0, sizeof(*m));
}
