// SPDX-License-Identifier: GPL-2.0
/*
 * Walking a libyaml node tree against a schema (see walk.h): the helpers
 * every parser of a YAML file of ours uses, so their errors read alike.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy/walk.h"
#include "util/hex.h"
#include "util/quote.h"

static void set_error(struct cyl_policy_error *err, const char *name,
		      unsigned int line, unsigned int column,
		      const char *fmt, va_list ap)
{
	size_t size = sizeof(err->text);
	int n;

	err->line = line;
	err->column = column;
	if (line)
		n = snprintf(err->text, size, "%s:%u:%u: ", name, line, column);
	else
		n = snprintf(err->text, size, "%s: ", name);
	if (n < 0)
		n = 0;
	if ((size_t)n >= size)
		n = size - 1;
	vsnprintf(err->text + n, size - n, fmt, ap);
}

/* Error at a libyaml mark (0-based); returns -EINVAL for "return fail()". */
int
cyl_yw_fail(struct cyl_yw *c, yaml_mark_t mark, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_error(c->err, c->name, mark.line + 1, mark.column + 1, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Error not tied to a position. */
int
cyl_yw_fail_nopos(struct cyl_policy_error *err, const char *name, int ret,
	   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_error(err, name, 0, 0, fmt, ap);
	va_end(ap);
	return ret;
}


const char *cyl_yw_kind(const yaml_node_t *node)
{
	switch (node->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a sequence";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

bool cyl_yw_scalar_is(const yaml_node_t *node, const char *s)
{
	size_t len = strlen(s);

	return node->type == YAML_SCALAR_NODE &&
	       node->data.scalar.length == len &&
	       !memcmp(node->data.scalar.value, s, len);
}

/* The scalar's value as a C string, or NULL if it holds a NUL byte. */
const char *cyl_yw_scalar_str(const yaml_node_t *node)
{
	const char *s = (const char *)node->data.scalar.value;

	return strlen(s) == node->data.scalar.length ? s : NULL;
}

int cyl_yw_expect_scalar(struct cyl_yw *c, const yaml_node_t *node,
			 const char *path)
{
	if (node->type == YAML_SCALAR_NODE)
		return 0;
	return cyl_yw_fail(c, node->start_mark, "%s: expected a scalar, got %s",
		    path, cyl_yw_kind(node));
}

yaml_node_t *cyl_yw_node_at(struct cyl_yw *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

const struct cyl_yw_planned *cyl_yw_planned_find(const struct cyl_yw_planned *tab,
					  const yaml_node_t *key)
{
	for (; tab && tab->key; tab++) {
		if (cyl_yw_scalar_is(key, tab->key))
			return tab;
	}
	return NULL;
}

const struct cyl_yw_retired *cyl_yw_retired_find(const struct cyl_yw_retired *tab,
					  const yaml_node_t *key)
{
	for (; tab && tab->key; tab++) {
		if (cyl_yw_scalar_is(key, tab->key))
			return tab;
	}
	return NULL;
}


/*
 * Sort the pairs of mapping @node, named @path in errors, into the @n
 * @fields.  Keys in @planned wait for a later release, keys in @retired
 * are refused with their reason, any other unknown key and any duplicate
 * is an error.
 */
int cyl_yw_get_fields(struct cyl_yw *c, yaml_node_t *node, const char *path,
		      struct cyl_yw_field *fields, size_t n,
		      const struct cyl_yw_planned *planned,
		      const struct cyl_yw_retired *retired)
{
	char q[CYL_QUOTE_SIZE];
	yaml_node_pair_t *pair;
	size_t i;

	if (node->type != YAML_MAPPING_NODE)
		return cyl_yw_fail(c, node->start_mark, "%s: expected a mapping, got %s",
			    path, cyl_yw_kind(node));

	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = cyl_yw_node_at(c, pair->key);
		yaml_node_t *val = cyl_yw_node_at(c, pair->value);
		const struct cyl_yw_planned *p;
		const struct cyl_yw_retired *r;

		if (!key || !val)
			return cyl_yw_fail(c, node->start_mark, "%s: malformed mapping", path);
		if (key->type != YAML_SCALAR_NODE)
			return cyl_yw_fail(c, key->start_mark,
				    "%s: expected a scalar key, got %s",
				    path, cyl_yw_kind(key));
		for (i = 0; i < n && !cyl_yw_scalar_is(key, fields[i].name); i++)
			;
		if (i == n && (p = cyl_yw_planned_find(planned, key)))
			return cyl_yw_fail(c, key->start_mark,
				    "%s.%s: not supported by this build yet (arrives with %s)",
				    path, p->key, p->arrives_with);
		if (i == n && (r = cyl_yw_retired_find(retired, key)))
			return cyl_yw_fail(c, key->start_mark, "%s: unknown key %s: %s",
				    path, CYL_YW_QUOTE(q, key), r->why);
		if (i == n)
			return cyl_yw_fail(c, key->start_mark, "%s: unknown key %s",
				    path, CYL_YW_QUOTE(q, key));
		if (fields[i].key)
			return cyl_yw_fail(c, key->start_mark, "%s: duplicate key %s",
				    path, CYL_YW_QUOTE(q, key));
		fields[i].key = key;
		fields[i].val = val;
	}
	return 0;
}


const char *cyl_yw_sub(char *buf, size_t size, const char *path,
		       const char *key)
{
	if (snprintf(buf, size, "%s.%s", path, key) >= (int)size)
		buf[size - 1] = '\0';	/* cannot happen, see above */
	return buf;
}


const yaml_node_t *cyl_yw_second(const yaml_node_t *a, const yaml_node_t *b)
{
	return a->start_mark.index > b->start_mark.index ? a : b;
}

int cyl_yw_get_uint(struct cyl_yw *c, const yaml_node_t *v, const char *path,
		    unsigned long min, unsigned long max, unsigned int *out)
{
	char q[CYL_QUOTE_SIZE];
	unsigned long x = 0;
	const char *s;
	size_t i, len;
	bool ok;
	int ret;

	if ((ret = cyl_yw_expect_scalar(c, v, path)) != 0)
		return ret;
	s = (const char *)v->data.scalar.value;
	len = v->data.scalar.length;
	ok = len >= 1 && len <= 9 && !(len > 1 && s[0] == '0');
	for (i = 0; ok && i < len; i++) {
		ok = s[i] >= '0' && s[i] <= '9';
		x = x * 10 + (unsigned long)(s[i] - '0');
	}
	if (!ok || x < min || x > max)
		return cyl_yw_fail(c, v->start_mark,
			    "%s: expected an integer %lu..%lu, got %s",
			    path, min, max, CYL_YW_QUOTE(q, v));
	*out = x;
	return 0;
}

/* One of the NULL-terminated @names, whose index goes to @out. */
int cyl_yw_get_choice(struct cyl_yw *c, const yaml_node_t *v, const char *path,
		      const char *const *names, const char *expected,
		      unsigned int *out)
{
	char q[CYL_QUOTE_SIZE];
	unsigned int i;
	int ret;

	if ((ret = cyl_yw_expect_scalar(c, v, path)) != 0)
		return ret;
	for (i = 0; names[i]; i++) {
		if (cyl_yw_scalar_is(v, names[i])) {
			*out = i;
			return 0;
		}
	}
	return cyl_yw_fail(c, v->start_mark, "%s: expected %s, got %s",
		    path, expected, CYL_YW_QUOTE(q, v));
}

int cyl_yw_get_bool(struct cyl_yw *c, const yaml_node_t *v, const char *path,
		    bool *out)
{
	static const char *const names[] = {
		"false", "true", "False", "True", "FALSE", "TRUE", NULL,
	};
	unsigned int i;
	int ret;

	if ((ret = cyl_yw_get_choice(c, v, path, names, "true or false", &i)) != 0)
		return ret;
	*out = i % 2;
	return 0;
}

/*
 * The position of byte @off of scalar @v's value, when the value is
 * written on one line without escapes (plain, or quoted with nothing to
 * unescape); otherwise the scalar's own position, and *@exact false.
 */
yaml_mark_t cyl_yw_scalar_mark(const yaml_node_t *v, size_t off, bool *exact)
{
	yaml_mark_t m = v->start_mark;
	size_t span = v->end_mark.index - v->start_mark.index;
	size_t len = v->data.scalar.length;
	size_t quotes;

	switch (v->data.scalar.style) {
	case YAML_PLAIN_SCALAR_STYLE:
		quotes = 0;
		break;
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		quotes = 1;
		break;
	default:
		*exact = false;
		return m;
	}
	*exact = v->start_mark.line == v->end_mark.line &&
		 span == len + 2 * quotes;
	if (*exact) {
		m.column += quotes + off;
		m.index += quotes + off;
	}
	return m;
}

/* Exactly @digits hex digits of @s[0..@len) into @out. */
bool cyl_yw_parse_hex(const char *s, size_t len, size_t digits,
		      unsigned int *out)
{
	unsigned int x = 0;
	size_t i;

	if (len != digits)
		return false;
	for (i = 0; i < len; i++) {
		int d = cyl_hex_digit(s[i]);

		if (d < 0)
			return false;
		x = x << 4 | (unsigned int)d;
	}
	*out = x;
	return true;
}

int cyl_yw_syntax_error(struct cyl_yw *c, const yaml_parser_t *parser)
{
	const char *problem = parser->problem ? parser->problem : "syntax error";

	switch (parser->error) {
	case YAML_MEMORY_ERROR:
		return cyl_yw_fail_nopos(c->err, c->name, -ENOMEM, "out of memory");
	case YAML_READER_ERROR:
		return cyl_yw_fail_nopos(c->err, c->name, -EINVAL, "%s at byte %zu",
				  problem, parser->problem_offset);
	default:
		break;
	}
	if (parser->context)
		return cyl_yw_fail(c, parser->problem_mark, "%s %s started on line %zu",
			    problem, parser->context,
			    parser->context_mark.line + 1);
	return cyl_yw_fail(c, parser->problem_mark, "%s", problem);
}
