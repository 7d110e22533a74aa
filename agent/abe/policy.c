// SPDX-License-Identifier: GPL-2.0
/*
 * The policy language of abe/policy.h: a recursive-descent parser (its
 * recursion bounded by the parenthesis depth), the normalised tree, its
 * canonical text, and key attribute sets.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "abe/policy.h"
#include "util/quote.h"

enum tok_kind {
	T_END,
	T_LPAREN,
	T_RPAREN,
	T_COMMA,
	T_AND,
	T_OR,
	T_OF,
	T_NUM,		/* digits only */
	T_ATTR,		/* a word with a ':', not yet checked */
	T_WORD,		/* any other word */
};

struct tok {
	enum tok_kind kind;
	size_t off;	/* into the text */
	size_t len;
};

struct parser {
	const char *text;	/* at most CYL_ABE_POLICY_TEXT_MAX bytes */
	const char *what;	/* "policy", "attributes": the errors' prefix */
	struct tok tok;		/* the current token */
	unsigned int depth;	/* open parentheses */
	size_t n_leaves;
	char *err;
	size_t errlen;
};

/* The children of a gate being read. */
struct list {
	struct cyl_abe_policy_node **v;
	unsigned int n, cap;
};

static int __attribute__((format(printf, 3, 4)))
fail(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (!p->errlen)
		return -EINVAL;
	len = snprintf(p->err, p->errlen, "%s: column %zu: ", p->what, off + 1);
	if (len >= 0 && (size_t)len < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + len, p->errlen - len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int out_of_memory(struct parser *p)
{
	if (p->errlen)
		snprintf(p->err, p->errlen, "%s: out of memory", p->what);
	return -ENOMEM;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static bool name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
}

static bool value_char(char ch)
{
	return name_char(ch) || ch == '/' || ch == '@';
}

/* Where a word starting at @i ends: at a space, a NUL or one of @stops. */
static size_t word_end(const char *s, size_t i, const char *stops)
{
	while (s[i] && !is_space(s[i]) && !strchr(stops, s[i]))
		i++;
	return i;
}

/* The current token for "found ...": quoted, or the end of the text. */
static const char *found(const struct parser *p, char *buf, size_t size)
{
	if (p->tok.kind == T_END)
		return "the end of the text";
	return cyl_quote(buf, size, p->text + p->tok.off, p->tok.len);
}

static bool word_is(const char *s, size_t len, const char *kw)
{
	return len == strlen(kw) && !strncasecmp(s, kw, len);
}

static void next(struct parser *p)
{
	const char *s = p->text;
	size_t i = p->tok.off + p->tok.len, j;

	while (is_space(s[i]))
		i++;
	p->tok.off = i;
	p->tok.len = 1;
	switch (s[i]) {
	case '\0':
		p->tok.kind = T_END;
		p->tok.len = 0;
		return;
	case '(':
		p->tok.kind = T_LPAREN;
		return;
	case ')':
		p->tok.kind = T_RPAREN;
		return;
	case ',':
		p->tok.kind = T_COMMA;
		return;
	}
	p->tok.len = word_end(s, i, "(),") - i;
	s += i;
	if (memchr(s, ':', p->tok.len)) {
		p->tok.kind = T_ATTR;
	} else if (word_is(s, p->tok.len, "and")) {
		p->tok.kind = T_AND;
	} else if (word_is(s, p->tok.len, "or")) {
		p->tok.kind = T_OR;
	} else if (word_is(s, p->tok.len, "of")) {
		p->tok.kind = T_OF;
	} else {
		p->tok.kind = T_NUM;
		for (j = 0; j < p->tok.len; j++) {
			if (s[j] < '0' || s[j] > '9')
				p->tok.kind = T_WORD;
		}
	}
}

/* Is text[off..off+len) an attribute?  Otherwise an error at the culprit. */
static int check_attr(struct parser *p, size_t off, size_t len)
{
	const char *a = p->text + off;
	const char *colon = memchr(a, ':', len);
	char q[CYL_QUOTE_SIZE], ch[CYL_QUOTE_SIZE];
	size_t name_len, i;

	cyl_quote(q, sizeof(q), a, len);
	if (!colon)
		return fail(p, off, "expected an attribute \"name:value\", found %s", q);
	name_len = colon - a;
	for (i = 0; i < len; i++) {
		if (i < name_len ? name_char(a[i]) : i == name_len || value_char(a[i]))
			continue;
		return fail(p, off + i, "invalid character %s in attribute %s",
			    cyl_quote(ch, sizeof(ch), a + i, 1), q);
	}
	if (!name_len)
		return fail(p, off, "empty attribute name in %s", q);
	if (name_len > CYL_ABE_ATTR_PART_MAX)
		return fail(p, off + CYL_ABE_ATTR_PART_MAX,
			    "attribute name longer than %d characters in %s",
			    CYL_ABE_ATTR_PART_MAX, q);
	if (name_len + 1 == len)
		return fail(p, off + name_len, "empty attribute value in %s", q);
	if (len - name_len - 1 > CYL_ABE_ATTR_PART_MAX)
		return fail(p, off + name_len + 1 + CYL_ABE_ATTR_PART_MAX,
			    "attribute value longer than %d characters in %s",
			    CYL_ABE_ATTR_PART_MAX, q);
	return 0;
}

static void node_free(struct cyl_abe_policy_node *node)
{
	unsigned int i;

	if (!node)
		return;
	for (i = 0; i < node->n; i++)
		node_free(node->child[i]);
	free(node->child);
	free(node->attr);
	free(node);
}

static void list_free(struct list *l)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		node_free(l->v[i]);
	free(l->v);
}

/* Append @c, which the list then owns (and frees on failure). */
static int list_add(struct parser *p, struct list *l, struct cyl_abe_policy_node *c)
{
	struct cyl_abe_policy_node **v;

	if (l->n == l->cap) {
		v = realloc(l->v, (l->cap ? 2 * l->cap : 4) * sizeof(*v));
		if (!v) {
			node_free(c);
			return out_of_memory(p);
		}
		l->v = v;
		l->cap = l->cap ? 2 * l->cap : 4;
	}
	l->v[l->n++] = c;
	return 0;
}

static bool is_or(const struct cyl_abe_policy_node *node)
{
	return node->n && node->k == 1;
}

static bool is_and(const struct cyl_abe_policy_node *node)
{
	return node->n && node->k == node->n;
}

/*
 * The k-of-l->n gate over the list's children (n >= 2), which it takes:
 * an or takes the children of its or children in their place, an and
 * those of its and children.
 */
static int make_gate(struct parser *p, struct list *l, unsigned int k,
		     struct cyl_abe_policy_node **out)
{
	struct cyl_abe_policy_node *gate, *c;
	bool or = k == 1, and = k == l->n;
	unsigned int n = 0, i, j;

	for (i = 0; i < l->n; i++) {
		c = l->v[i];
		n += (or && is_or(c)) || (and && is_and(c)) ? c->n : 1;
	}
	gate = calloc(1, sizeof(*gate));
	if (gate)
		gate->child = calloc(n, sizeof(*gate->child));
	if (!gate || !gate->child) {
		free(gate);
		list_free(l);
		return out_of_memory(p);
	}
	gate->n = n;
	gate->k = and ? n : k;
	n = 0;
	for (i = 0; i < l->n; i++) {
		c = l->v[i];
		if ((or && is_or(c)) || (and && is_and(c))) {
			for (j = 0; j < c->n; j++)
				gate->child[n++] = c->child[j];
			free(c->child);
			free(c);
		} else {
			gate->child[n++] = c;
		}
	}
	free(l->v);
	*out = gate;
	return 0;
}

static int parse_or(struct parser *p, struct cyl_abe_policy_node **out);

static int open_paren(struct parser *p)
{
	char q[CYL_QUOTE_SIZE];

	if (p->depth == CYL_ABE_POLICY_DEPTH_MAX)
		return fail(p, p->tok.off, "parentheses nested deeper than %d, found %s",
			    CYL_ABE_POLICY_DEPTH_MAX, found(p, q, sizeof(q)));
	p->depth++;
	next(p);
	return 0;
}

/* K "of" "(" or_expr { "," or_expr } ")", at the K. */
static int parse_threshold(struct parser *p, struct cyl_abe_policy_node **out)
{
	char num[CYL_QUOTE_SIZE], q[CYL_QUOTE_SIZE];
	struct cyl_abe_policy_node *c;
	struct list l = { 0 };
	size_t at = p->tok.off, open, i;
	unsigned int k = 0;
	int rc;

	/* Saturated: beyond the leaf limit every k is too large. */
	for (i = 0; i < p->tok.len; i++) {
		k = 10 * k + (p->text[at + i] - '0');
		if (k > CYL_ABE_POLICY_LEAVES_MAX)
			k = CYL_ABE_POLICY_LEAVES_MAX + 1;
	}
	cyl_quote(num, sizeof(num), p->text + at, p->tok.len);
	if (!k)
		return fail(p, at, "a threshold is at least 1, found %s", num);
	next(p);
	if (p->tok.kind != T_OF)
		return fail(p, p->tok.off, "expected \"of\" after the threshold %s, found %s",
			    num, found(p, q, sizeof(q)));
	next(p);
	if (p->tok.kind != T_LPAREN)
		return fail(p, p->tok.off, "expected \"(\" after \"of\", found %s",
			    found(p, q, sizeof(q)));
	open = p->tok.off;
	rc = open_paren(p);
	if (rc)
		return rc;
	for (;;) {
		rc = parse_or(p, &c);
		if (!rc)
			rc = list_add(p, &l, c);
		if (rc)
			goto fail;
		if (p->tok.kind == T_RPAREN)
			break;
		if (p->tok.kind != T_COMMA) {
			rc = fail(p, p->tok.off, "expected \"and\", \"or\", \",\" or \")\" "
				  "closing the \"(\" of column %zu, found %s",
				  open + 1, found(p, q, sizeof(q)));
			goto fail;
		}
		next(p);
	}
	if (l.n < 2) {
		rc = fail(p, at, "threshold %s has 1 condition, it needs at least 2", num);
		goto fail;
	}
	if (k > l.n) {
		rc = fail(p, at, "threshold %s is more than its %u conditions", num, l.n);
		goto fail;
	}
	p->depth--;
	next(p);
	return make_gate(p, &l, k, out);
fail:
	list_free(&l);
	return rc;
}

static int parse_term(struct parser *p, struct cyl_abe_policy_node **out)
{
	struct cyl_abe_policy_node *leaf;
	char q[CYL_QUOTE_SIZE];
	size_t open;
	int rc;

	switch (p->tok.kind) {
	case T_LPAREN:
		open = p->tok.off;
		rc = open_paren(p);
		if (!rc)
			rc = parse_or(p, out);
		if (rc)
			return rc;
		if (p->tok.kind != T_RPAREN) {
			rc = fail(p, p->tok.off, "expected \"and\", \"or\" or \")\" closing "
				  "the \"(\" of column %zu, found %s",
				  open + 1, found(p, q, sizeof(q)));
			node_free(*out);
			return rc;
		}
		p->depth--;
		next(p);
		return 0;
	case T_NUM:
		return parse_threshold(p, out);
	case T_ATTR:
		rc = check_attr(p, p->tok.off, p->tok.len);
		if (rc)
			return rc;
		if (p->n_leaves == CYL_ABE_POLICY_LEAVES_MAX)
			return fail(p, p->tok.off, "more than %d attributes, found %s",
				    CYL_ABE_POLICY_LEAVES_MAX, found(p, q, sizeof(q)));
		leaf = calloc(1, sizeof(*leaf));
		if (leaf)
			leaf->attr = strndup(p->text + p->tok.off, p->tok.len);
		if (!leaf || !leaf->attr) {
			free(leaf);
			return out_of_memory(p);
		}
		p->n_leaves++;
		next(p);
		*out = leaf;
		return 0;
	default:
		return fail(p, p->tok.off, "expected an attribute \"name:value\", found %s",
			    found(p, q, sizeof(q)));
	}
}

/* and_expr, or or_expr when @kind is T_OR. */
static int parse_chain(struct parser *p, enum tok_kind kind,
		       struct cyl_abe_policy_node **out)
{
	struct cyl_abe_policy_node *c;
	struct list l = { 0 };
	int rc;

	for (;;) {
		rc = kind == T_OR ? parse_chain(p, T_AND, &c) : parse_term(p, &c);
		if (rc)
			goto fail;
		if (!l.n && p->tok.kind != kind) {
			*out = c;
			return 0;
		}
		rc = list_add(p, &l, c);
		if (rc)
			goto fail;
		if (p->tok.kind != kind)
			break;
		next(p);
	}
	return make_gate(p, &l, kind == T_OR ? 1 : l.n, out);
fail:
	list_free(&l);
	return rc;
}

static int parse_or(struct parser *p, struct cyl_abe_policy_node **out)
{
	return parse_chain(p, T_OR, out);
}

/* Append @len bytes of @s at @at when writing (@out not NULL); the new end. */
static size_t put(char *out, size_t at, const char *s, size_t len)
{
	if (out)
		memcpy(out + at, s, len);
	return at + len;
}

/* The canonical text of @node at out + at (or only its length); the end. */
static size_t emit(const struct cyl_abe_policy_node *node, char *out, size_t at,
		   bool in_and)
{
	const char *sep = " and ";
	char num[16];
	unsigned int i;

	if (!node->n)
		return put(out, at, node->attr, strlen(node->attr));
	if (is_or(node)) {
		sep = " or ";
		if (in_and)
			at = put(out, at, "(", 1);
	} else if (!is_and(node)) {
		sep = ", ";
		at = put(out, at, num, snprintf(num, sizeof(num), "%u of (", node->k));
	}
	for (i = 0; i < node->n; i++) {
		if (i)
			at = put(out, at, sep, strlen(sep));
		at = emit(node->child[i], out, at, is_and(node));
	}
	if (!is_and(node) && (!is_or(node) || in_and))
		at = put(out, at, ")", 1);
	return at;
}

static void number_leaves(struct cyl_abe_policy *policy,
			  struct cyl_abe_policy_node *node)
{
	unsigned int i;

	if (!node->n) {
		node->leaf = policy->n_leaves;
		policy->leaves[policy->n_leaves++] = node->attr;
	}
	for (i = 0; i < node->n; i++)
		number_leaves(policy, node->child[i]);
}

int cyl_abe_policy_parse(const char *text, struct cyl_abe_policy **out,
			 char *err, size_t errlen)
{
	struct parser p = { .text = text, .what = "policy", .err = err, .errlen = errlen };
	struct cyl_abe_policy *policy;
	struct cyl_abe_policy_node *root;
	char q[CYL_QUOTE_SIZE];
	size_t len;
	int rc;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	if (strnlen(text, CYL_ABE_POLICY_TEXT_MAX + 1) > CYL_ABE_POLICY_TEXT_MAX)
		return fail(&p, CYL_ABE_POLICY_TEXT_MAX, "the text is longer than %d bytes",
			    CYL_ABE_POLICY_TEXT_MAX);
	next(&p);
	rc = parse_or(&p, &root);
	if (rc)
		return rc;
	if (p.tok.kind != T_END) {
		rc = fail(&p, p.tok.off, "expected \"and\", \"or\" or the end of the text, "
			  "found %s", found(&p, q, sizeof(q)));
		node_free(root);
		return rc;
	}
	/* So that the canonical text always parses back. */
	len = emit(root, NULL, 0, false);
	if (len > CYL_ABE_POLICY_TEXT_MAX) {
		node_free(root);
		if (errlen)
			snprintf(err, errlen, "policy: the canonical text is %zu bytes, "
				 "longer than %d", len, CYL_ABE_POLICY_TEXT_MAX);
		return -EINVAL;
	}
	policy = calloc(1, sizeof(*policy));
	if (policy)
		policy->leaves = calloc(p.n_leaves, sizeof(*policy->leaves));
	if (!policy || !policy->leaves) {
		free(policy);
		node_free(root);
		return out_of_memory(&p);
	}
	policy->root = root;
	number_leaves(policy, root);
	*out = policy;
	return 0;
}

void cyl_abe_policy_free(struct cyl_abe_policy *policy)
{
	if (!policy)
		return;
	node_free(policy->root);
	free(policy->leaves);
	free(policy);
}

char *cyl_abe_policy_to_string(const struct cyl_abe_policy *policy)
{
	size_t len = emit(policy->root, NULL, 0, false);
	char *s = malloc(len + 1);

	if (s) {
		emit(policy->root, s, 0, false);
		s[len] = '\0';
	}
	return s;
}

static bool satisfied(const struct cyl_abe_policy_node *node,
		      const char *const *attrs, size_t n)
{
	unsigned int i, count = 0;
	size_t j;

	if (!node->n) {
		for (j = 0; j < n; j++) {
			if (!strcmp(attrs[j], node->attr))
				return true;
		}
		return false;
	}
	for (i = 0; i < node->n && count < node->k; i++)
		count += satisfied(node->child[i], attrs, n);
	return count >= node->k;
}

bool cyl_abe_policy_satisfied(const struct cyl_abe_policy *policy,
			      const char *const *attrs, size_t n)
{
	return satisfied(policy->root, attrs, n);
}

int cyl_abe_attrs_parse(const char *text, char ***attrs, size_t *n,
			char *err, size_t errlen)
{
	struct parser p = { .text = text, .what = "attributes", .err = err,
			    .errlen = errlen };
	size_t offs[CYL_ABE_ATTRS_MAX];
	char q[CYL_QUOTE_SIZE];
	char **v = NULL;
	size_t count = 0, i = 0, end, j;
	int rc;

	*attrs = NULL;
	*n = 0;
	if (errlen)
		err[0] = '\0';
	if (strnlen(text, CYL_ABE_POLICY_TEXT_MAX + 1) > CYL_ABE_POLICY_TEXT_MAX)
		return fail(&p, CYL_ABE_POLICY_TEXT_MAX, "the text is longer than %d bytes",
			    CYL_ABE_POLICY_TEXT_MAX);
	v = calloc(CYL_ABE_ATTRS_MAX, sizeof(*v));
	if (!v)
		return out_of_memory(&p);
	for (;;) {
		while (is_space(text[i]))
			i++;
		end = word_end(text, i, ",");
		if (end == i) {
			rc = fail(&p, i, "expected an attribute \"name:value\", found %s",
				  text[i] ? "\",\"" : "the end of the text");
			goto fail;
		}
		rc = check_attr(&p, i, end - i);
		if (rc)
			goto fail;
		cyl_quote(q, sizeof(q), text + i, end - i);
		for (j = 0; j < count; j++) {
			if (strlen(v[j]) == end - i && !memcmp(v[j], text + i, end - i)) {
				rc = fail(&p, i, "duplicate attribute %s, first at column %zu",
					  q, offs[j] + 1);
				goto fail;
			}
		}
		if (count == CYL_ABE_ATTRS_MAX) {
			rc = fail(&p, i, "more than %d attributes, found %s",
				  CYL_ABE_ATTRS_MAX, q);
			goto fail;
		}
		offs[count] = i;
		v[count] = strndup(text + i, end - i);
		if (!v[count]) {
			rc = out_of_memory(&p);
			goto fail;
		}
		count++;
		for (i = end; is_space(text[i]); i++)
			;
		if (!text[i])
			break;
		if (text[i] != ',') {
			end = word_end(text, i, ",");
			rc = fail(&p, i, "expected \",\" or the end of the text, found %s",
				  cyl_quote(q, sizeof(q), text + i, end - i));
			goto fail;
		}
		i++;
	}
	*attrs = v;
	*n = count;
	return 0;
fail:
	cyl_abe_attrs_free(v, count);
	return rc;
}

void cyl_abe_attrs_free(char **attrs, size_t n)
{
	size_t i;

	if (!attrs)
		return;
	for (i = 0; i < n; i++)
		free(attrs[i]);
	free(attrs);
}
