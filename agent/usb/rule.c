// SPDX-License-Identifier: GPL-2.0
/*
 * USB authorization rules (rule.h, Documentation/usb.md): a lexer of
 * words, "strings" and braces, a recursive-descent parser over it, the
 * set operators, and the writer of canonical text.
 *
 * The writer escapes every byte outside printable ASCII as \xNN, so a
 * rule's canonical text can be longer than what was parsed; the parser
 * refuses a rule whose canonical text would exceed
 * CYL_USB_RULE_TEXT_MAX, so that every rule it returns reads back.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usb/rule.h"
#include "util/hex.h"
#include "util/quote.h"

/* --- names --------------------------------------------------------- */

static const char *const target_names[] = {
	[CYL_USB_ALLOW] = "allow",
	[CYL_USB_BLOCK] = "block",
	[CYL_USB_REJECT] = "reject",
};

static const char *const op_names[] = {
	[CYL_USB_OP_EQUALS] = "equals",
	[CYL_USB_OP_ONE_OF] = "one-of",
	[CYL_USB_OP_ALL_OF] = "all-of",
	[CYL_USB_OP_NONE_OF] = "none-of",
	[CYL_USB_OP_MATCH_ALL] = "match-all",
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const char *cyl_usb_target_name(enum cyl_usb_target target)
{
	if ((unsigned int)target >= ARRAY_SIZE(target_names))
		return "invalid";
	return target_names[target];
}

enum attr_id {
	ATTR_ID,
	ATTR_SERIAL,
	ATTR_NAME,
	ATTR_PORT,
	ATTR_HASH,
	ATTR_IFACE,
};

static const struct attr {
	const char *name;
	enum attr_id id;
} attrs[] = {
	{ "id", ATTR_ID },
	{ "serial", ATTR_SERIAL },
	{ "name", ATTR_NAME },
	{ "port", ATTR_PORT },
	{ "via-port", ATTR_PORT },
	{ "hash", ATTR_HASH },
	{ "with-interface", ATTR_IFACE },
};

/* USBGuard keywords we know and refuse, with what to do instead. */
static const struct {
	const char *name;
	const char *why;
} unsupported[] = {
	{ "parent-hash", "USBGuard's parent-hash is not supported" },
	{ "with-connect-type", "USBGuard's with-connect-type is not supported" },
	{ "label", "USBGuard's label is not supported" },
	{ "if", "USBGuard's rule conditions are not supported" },
};

static struct cyl_usb_strset *strset(struct cyl_usb_rule *r, enum attr_id a)
{
	switch (a) {
	case ATTR_SERIAL:
		return &r->serial;
	case ATTR_NAME:
		return &r->name;
	case ATTR_PORT:
		return &r->port;
	case ATTR_HASH:
		return &r->hash;
	default:
		return NULL;
	}
}

/* --- lexer --------------------------------------------------------- */

enum tok_kind { TOK_END, TOK_WORD, TOK_STRING, TOK_OPEN, TOK_CLOSE };

struct token {
	enum tok_kind kind;
	size_t off;		/* into the text */
	size_t len;		/* a string's includes its quotes */
};

struct ctx {
	const char *text;
	size_t len;
	size_t pos;		/* where the next token starts looking */
	struct token tok;	/* the current one */
	struct cyl_usb_rule *rule;
	struct cyl_usb_rule_error *err;
	char str[CYL_USB_STR_MAX + 1];	/* the last string, unescaped */
	size_t str_len;
};

static int __attribute__((format(printf, 3, 4)))
fail(struct ctx *c, size_t offset, const char *fmt, ...)
{
	va_list ap;

	c->err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(c->err->text, sizeof(c->err->text), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool is_control(unsigned char ch)
{
	return ch < 0x20 || ch == 0x7f;
}

/* Bytes that end a word. */
static bool is_delim(char ch)
{
	return is_space(ch) || is_control(ch) || ch == '{' || ch == '}' ||
	       ch == '"';
}

/* The current token quoted for a message ("{", "\"x\"", ...). */
static const char *quote_tok(struct ctx *c, char *buf, size_t size)
{
	if (c->tok.kind == TOK_END)
		return "the end of the rule";
	return cyl_quote(buf, size, c->text + c->tok.off, c->tok.len);
}

static bool tok_is(const struct ctx *c, const char *word)
{
	return c->tok.kind == TOK_WORD && strlen(word) == c->tok.len &&
	       !memcmp(c->text + c->tok.off, word, c->tok.len);
}

/* Find where the string at c->pos ends; escapes are checked later. */
static int lex_string(struct ctx *c)
{
	size_t i = c->pos + 1;

	while (i < c->len && c->text[i] != '"')
		i += c->text[i] == '\\' ? 2 : 1;
	if (i >= c->len)
		return fail(c, c->pos, "unterminated string");
	c->tok.kind = TOK_STRING;
	c->tok.len = i + 1 - c->pos;
	return 0;
}

static int advance(struct ctx *c)
{
	char q[CYL_QUOTE_SIZE];
	unsigned char ch;
	size_t i;

	while (c->pos < c->len && is_space(c->text[c->pos]))
		c->pos++;
	c->tok.off = c->pos;
	c->tok.len = 1;
	if (c->pos == c->len) {
		c->tok.kind = TOK_END;
		c->tok.len = 0;
		return 0;
	}
	ch = c->text[c->pos];
	if (is_control(ch))
		return fail(c, c->pos,
			    "control byte %s: tokens are separated by spaces and tabs",
			    cyl_quote(q, sizeof(q), c->text + c->pos, 1));
	if (ch == '"') {
		int ret = lex_string(c);

		if (ret)
			return ret;
	} else if (ch == '{' || ch == '}') {
		c->tok.kind = ch == '{' ? TOK_OPEN : TOK_CLOSE;
	} else {
		for (i = c->pos; i < c->len && !is_delim(c->text[i]); i++)
			;
		c->tok.kind = TOK_WORD;
		c->tok.len = i - c->pos;
	}
	c->pos += c->tok.len;
	return 0;
}

/*
 * The escape at text[i] (a backslash) inside a string ending at @end:
 * its byte to *@out, its length in the text returned, or an error.
 */
static int unescape_one(struct ctx *c, size_t i, size_t end,
			unsigned char *out, size_t *used)
{
	char q[CYL_QUOTE_SIZE];
	char next = c->text[i + 1];	/* before @end: the lexer saw to it */
	int hi, lo;

	if (next == '"' || next == '\\') {
		*out = next;
		*used = 2;
		return 0;
	}
	if (next != 'x')
		return fail(c, i, "escape %s in a string: expected \\\", \\\\ or \\xNN",
			    cyl_quote(q, sizeof(q), c->text + i, 2));
	hi = i + 2 < end ? cyl_hex_digit(c->text[i + 2]) : -1;
	lo = i + 3 < end ? cyl_hex_digit(c->text[i + 3]) : -1;
	if (hi < 0 || lo < 0)
		return fail(c, i, "escape %s in a string: \\x needs two hex digits",
			    cyl_quote(q, sizeof(q), c->text + i,
				      end - i < 4 ? end - i : 4));
	if (!hi && !lo)
		return fail(c, i, "escape %s in a string: NUL is not allowed",
			    cyl_quote(q, sizeof(q), c->text + i, 4));
	*out = hi << 4 | lo;
	*used = 4;
	return 0;
}

/* The current string token, unescaped into c->str. */
static int unescape(struct ctx *c)
{
	size_t i = c->tok.off + 1, end = c->tok.off + c->tok.len - 1;
	char q[CYL_QUOTE_SIZE];
	size_t n = 0;
	int ret;

	while (i < end) {
		unsigned char ch = c->text[i];
		size_t used = 1;

		if (ch == '\\') {
			if ((ret = unescape_one(c, i, end, &ch, &used)) != 0)
				return ret;
		} else if (is_control(ch)) {
			return fail(c, i, "control byte %s in a string: write it as \\x%02x",
				    cyl_quote(q, sizeof(q), c->text + i, 1), ch);
		}
		if (n == CYL_USB_STR_MAX)
			return fail(c, c->tok.off,
				    "string longer than %d bytes",
				    CYL_USB_STR_MAX);
		c->str[n++] = ch;
		i += used;
	}
	c->str[n] = '\0';
	c->str_len = n;
	return 0;
}

/* --- values -------------------------------------------------------- */

/* "*" as -1, or exactly @digits hex digits. */
static bool hex_field(const char *s, size_t len, size_t digits, int32_t *out)
{
	int32_t x = 0;
	size_t i;

	if (len == 1 && s[0] == '*') {
		*out = -1;
		return true;
	}
	if (len != digits)
		return false;
	for (i = 0; i < len; i++) {
		int d = cyl_hex_digit(s[i]);

		if (d < 0)
			return false;
		x = x << 4 | d;
	}
	*out = x;
	return true;
}

/*
 * Split the current word at ':' into @n fields, each "*" or @digits hex
 * digits.
 */
static bool split_hex(struct ctx *c, size_t n, size_t digits, int32_t *out)
{
	const char *s = c->text + c->tok.off, *end = s + c->tok.len;
	size_t i;

	if (c->tok.kind != TOK_WORD)
		return false;
	for (i = 0; i < n; i++) {
		const char *stop = end;

		/* The last field runs to the end: a ':' in it is no digit. */
		if (i + 1 < n && !(stop = memchr(s, ':', end - s)))
			return false;
		if (!hex_field(s, stop - s, digits, &out[i]))
			return false;
		s = stop + 1;
	}
	return true;
}

static int parse_id(struct ctx *c, struct cyl_usb_id *id)
{
	char q[CYL_QUOTE_SIZE];
	int32_t f[2];

	if (!split_hex(c, 2, 4, f))
		return fail(c, c->tok.off,
			    "id: expected VVVV:PPPP with 4 hex digits each (or *), got %s",
			    quote_tok(c, q, sizeof(q)));
	if (f[0] < 0 && f[1] >= 0)
		return fail(c, c->tok.off,
			    "%s: a wildcard vendor needs a wildcard product",
			    quote_tok(c, q, sizeof(q)));
	id->vendor = f[0];
	id->product = f[1];
	return 0;
}

static int parse_iface(struct ctx *c, struct cyl_usb_iface *t)
{
	char q[CYL_QUOTE_SIZE];
	int32_t f[3];

	if (!split_hex(c, 3, 2, f))
		return fail(c, c->tok.off,
			    "with-interface: expected CC:SS:PP with 2 hex digits each (or CC:SS:*, CC:*:*), got %s",
			    quote_tok(c, q, sizeof(q)));
	if (f[0] < 0 && f[1] < 0 && f[2] < 0)
		return fail(c, c->tok.off,
			    "\"*:*:*\" matches every interface: omit with-interface instead");
	if (f[0] < 0)
		return fail(c, c->tok.off,
			    "%s: a wildcard class needs a wildcard subclass and protocol",
			    quote_tok(c, q, sizeof(q)));
	if (f[1] < 0 && f[2] >= 0)
		return fail(c, c->tok.off,
			    "%s: a wildcard subclass needs a wildcard protocol",
			    quote_tok(c, q, sizeof(q)));
	t->cls = f[0];
	t->subcls = f[1];
	t->proto = f[2];
	return 0;
}

/* 64 hex digits, lowercased in place. */
static bool valid_hash(char *s, size_t len)
{
	size_t i;

	if (len != CYL_USB_HASH_HEX)
		return false;
	for (i = 0; i < len; i++) {
		if (cyl_hex_digit(s[i]) < 0)
			return false;
		if (s[i] >= 'A' && s[i] <= 'F')
			s[i] += 'a' - 'A';
	}
	return true;
}

static int parse_str(struct ctx *c, const struct attr *a, char **out)
{
	char q[CYL_QUOTE_SIZE];
	int ret;

	if (c->tok.kind != TOK_STRING)
		return fail(c, c->tok.off,
			    "%s: expected a \"quoted string\", got %s",
			    a->name, quote_tok(c, q, sizeof(q)));
	if ((ret = unescape(c)) != 0)
		return ret;
	if (a->id == ATTR_HASH && !valid_hash(c->str, c->str_len))
		return fail(c, c->tok.off, "hash: expected %d hex digits, got %s",
			    CYL_USB_HASH_HEX,
			    cyl_quote(q, sizeof(q), c->str, c->str_len));
	if (!(*out = strdup(c->str))) {
		snprintf(c->err->text, sizeof(c->err->text), "out of memory");
		c->err->offset = c->tok.off;
		return -ENOMEM;
	}
	return 0;
}

/* The current token as value number @i of attribute @a. */
static int parse_value(struct ctx *c, const struct attr *a, size_t i)
{
	switch (a->id) {
	case ATTR_ID:
		return parse_id(c, &c->rule->id[i]);
	case ATTR_IFACE:
		return parse_iface(c, &c->rule->iface[i]);
	default:
		return parse_str(c, a, &strset(c->rule, a->id)->v[i]);
	}
}

/* Where attribute @a keeps its operator and count. */
static void slots(struct cyl_usb_rule *r, enum attr_id a,
		  enum cyl_usb_op **op, size_t **n)
{
	if (a == ATTR_ID) {
		*op = &r->id_op;
		*n = &r->n_id;
	} else if (a == ATTR_IFACE) {
		*op = &r->iface_op;
		*n = &r->n_iface;
	} else {
		*op = &strset(r, a)->op;
		*n = &strset(r, a)->n;
	}
}

/* An operator word, or -1. */
static int op_of(struct ctx *c)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(op_names); i++) {
		if (tok_is(c, op_names[i]))
			return i;
	}
	return -1;
}

/* "{" X { X } "}" after its "{"; values counted into *@n. */
static int parse_set(struct ctx *c, const struct attr *a, size_t *n)
{
	size_t open = c->tok.off;
	int ret;

	if ((ret = advance(c)) != 0)
		return ret;
	while (c->tok.kind != TOK_CLOSE) {
		if (c->tok.kind == TOK_END)
			return fail(c, open, "\"{\" without \"}\"");
		if (c->tok.kind == TOK_OPEN)
			return fail(c, c->tok.off, "\"{\" inside a set");
		if (*n == CYL_USB_SET_MAX)
			return fail(c, c->tok.off,
				    "more than %d values in one set",
				    CYL_USB_SET_MAX);
		if ((ret = parse_value(c, a, *n)) != 0)
			return ret;
		(*n)++;
		if ((ret = advance(c)) != 0)
			return ret;
	}
	if (!*n)
		return fail(c, open, "empty set \"{ }\"");
	return advance(c);
}

/* X | [operator] "{" X { X } "}", the current token being the first. */
static int parse_values(struct ctx *c, const struct attr *a)
{
	char q[CYL_QUOTE_SIZE], q2[CYL_QUOTE_SIZE];
	enum cyl_usb_op *op;
	size_t *n;
	int o, ret;

	slots(c->rule, a->id, &op, &n);
	*op = CYL_USB_OP_EQUALS;
	if (tok_is(c, "equals-ordered"))
		return fail(c, c->tok.off,
			    "operator \"equals-ordered\" is not supported: use equals");
	if ((o = op_of(c)) >= 0) {
		*op = o;
		cyl_quote(q2, sizeof(q2), c->text + c->tok.off, c->tok.len);
		if ((ret = advance(c)) != 0)
			return ret;
		if (c->tok.kind != TOK_OPEN)
			return fail(c, c->tok.off, "expected \"{\" after %s, got %s",
				    q2, quote_tok(c, q, sizeof(q)));
	}
	if (c->tok.kind == TOK_OPEN)
		return parse_set(c, a, n);
	if (c->tok.kind == TOK_CLOSE)
		return fail(c, c->tok.off, "\"}\" without \"{\"");
	if ((ret = parse_value(c, a, 0)) != 0)
		return ret;
	*n = 1;
	return advance(c);
}

static bool attr_present(const struct cyl_usb_rule *r, enum attr_id a)
{
	if (a == ATTR_ID)
		return r->has_id;
	if (a == ATTR_IFACE)
		return r->has_iface;
	return strset((struct cyl_usb_rule *)r, a)->set;
}

static void attr_set(struct cyl_usb_rule *r, enum attr_id a)
{
	if (a == ATTR_ID)
		r->has_id = true;
	else if (a == ATTR_IFACE)
		r->has_iface = true;
	else
		strset(r, a)->set = true;
}

/* An attribute keyword that is not ours, or not a keyword at all. */
static int bad_attribute(struct ctx *c)
{
	char q[CYL_QUOTE_SIZE];
	size_t i;

	if (c->tok.kind == TOK_CLOSE)
		return fail(c, c->tok.off, "\"}\" without \"{\"");
	quote_tok(c, q, sizeof(q));	/* never TOK_END here */
	if (c->tok.kind != TOK_WORD)
		return fail(c, c->tok.off,
			    "expected an attribute (id, serial, name, port, hash or with-interface), got %s",
			    q);
	for (i = 0; i < ARRAY_SIZE(unsupported); i++) {
		if (tok_is(c, unsupported[i].name))
			return fail(c, c->tok.off, "%s: %s", q,
				    unsupported[i].why);
	}
	return fail(c, c->tok.off,
		    "unknown keyword %s: expected id, serial, name, port, via-port, hash or with-interface",
		    q);
}

static int parse_attribute(struct ctx *c)
{
	char q[CYL_QUOTE_SIZE];
	const struct attr *a = NULL;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(attrs) && !a; i++) {
		if (tok_is(c, attrs[i].name))
			a = &attrs[i];
	}
	if (!a)
		return bad_attribute(c);
	if (attr_present(c->rule, a->id))
		return fail(c, c->tok.off, "duplicate attribute %s",
			    quote_tok(c, q, sizeof(q)));
	attr_set(c->rule, a->id);
	if ((ret = advance(c)) != 0)
		return ret;
	return parse_values(c, a);
}

/* USBGuard's "usbguard list-rules" prefixes rules with "12: ". */
static bool is_rule_id(const struct ctx *c)
{
	size_t i;

	if (c->tok.kind != TOK_WORD || c->tok.len < 2 ||
	    c->text[c->tok.off + c->tok.len - 1] != ':')
		return false;
	for (i = 0; i + 1 < c->tok.len; i++) {
		if (c->text[c->tok.off + i] < '0' ||
		    c->text[c->tok.off + i] > '9')
			return false;
	}
	return true;
}

static int parse_target(struct ctx *c)
{
	char q[CYL_QUOTE_SIZE];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(target_names); i++) {
		if (tok_is(c, target_names[i])) {
			c->rule->target = i;
			return advance(c);
		}
	}
	if (c->tok.kind == TOK_END)
		return fail(c, c->tok.off,
			    "empty rule: expected allow, block or reject");
	quote_tok(c, q, sizeof(q));
	if (is_rule_id(c))
		return fail(c, c->tok.off,
			    "%s: USBGuard's rule numbers are not supported: remove it",
			    q);
	if (c->tok.kind != TOK_WORD)
		return fail(c, c->tok.off,
			    "expected allow, block or reject, got %s", q);
	return fail(c, c->tok.off,
		    "unknown keyword %s: expected allow, block or reject", q);
}

static int parse(struct ctx *c)
{
	size_t canon;
	int ret;

	if (c->len > CYL_USB_RULE_TEXT_MAX)
		return fail(c, CYL_USB_RULE_TEXT_MAX,
			    "rule longer than %d bytes", CYL_USB_RULE_TEXT_MAX);
	if ((ret = advance(c)) != 0 || (ret = parse_target(c)) != 0)
		return ret;
	while (c->tok.kind != TOK_END) {
		if ((ret = parse_attribute(c)) != 0)
			return ret;
	}
	/* Non-ASCII bytes grow fourfold as \xNN; see the top of the file. */
	canon = cyl_usb_rule_format(c->rule, NULL, 0);
	if (canon > CYL_USB_RULE_TEXT_MAX)
		return fail(c, 0,
			    "rule of %zu bytes written canonically (\\xNN for each byte outside printable ASCII), more than %d",
			    canon, CYL_USB_RULE_TEXT_MAX);
	return 0;
}

int cyl_usb_rule_parse(const char *text, size_t len, struct cyl_usb_rule *out,
		       struct cyl_usb_rule_error *err)
{
	struct cyl_usb_rule_error dummy;
	struct ctx c = {
		.text = text,
		.len = len,
		.rule = out,
		.err = err ? err : &dummy,
	};
	int ret;

	memset(out, 0, sizeof(*out));
	memset(c.err, 0, sizeof(*c.err));
	if ((ret = parse(&c)) != 0)
		cyl_usb_rule_free(out);
	return ret;
}

void cyl_usb_rule_free(struct cyl_usb_rule *rule)
{
	size_t j;

	if (!rule)
		return;
	for (j = 0; j < CYL_USB_SET_MAX; j++) {
		free(rule->serial.v[j]);
		free(rule->name.v[j]);
		free(rule->port.v[j]);
		free(rule->hash.v[j]);
	}
	memset(rule, 0, sizeof(*rule));
}

/* --- matching ------------------------------------------------------ */

/* Does a single-valued attribute with @hits of its @n values match? */
static bool set_decides(enum cyl_usb_op op, size_t n, size_t hits)
{
	switch (op) {
	case CYL_USB_OP_ALL_OF:
		return hits == n;
	case CYL_USB_OP_NONE_OF:
		return hits == 0;
	default:
		return hits > 0;
	}
}

static size_t clamp(size_t n, size_t max)
{
	return n < max ? n : max;
}

static bool id_matches(struct cyl_usb_id p, const struct cyl_usb_device *d)
{
	return (p.vendor < 0 || p.vendor == d->vendor) &&
	       (p.product < 0 || p.product == d->product);
}

static bool iface_matches(struct cyl_usb_iface p, struct cyl_usb_iface t)
{
	return (p.cls < 0 || p.cls == t.cls) &&
	       (p.subcls < 0 || p.subcls == t.subcls) &&
	       (p.proto < 0 || p.proto == t.proto);
}

static bool ids_match(const struct cyl_usb_rule *r,
		      const struct cyl_usb_device *d)
{
	size_t n = clamp(r->n_id, CYL_USB_SET_MAX), hits = 0, i;

	for (i = 0; i < n; i++)
		hits += id_matches(r->id[i], d);
	return set_decides(r->id_op, n, hits);
}

static bool strs_match(const struct cyl_usb_strset *s, const char *value)
{
	size_t n = clamp(s->n, CYL_USB_SET_MAX), hits = 0, i;

	if (!value)
		value = "";
	for (i = 0; i < n; i++)
		hits += s->v[i] && !strcmp(s->v[i], value);
	return set_decides(s->op, n, hits);
}

/* Does some pattern of @r match @t? */
static bool any_pattern(const struct cyl_usb_rule *r, struct cyl_usb_iface t)
{
	size_t n = clamp(r->n_iface, CYL_USB_SET_MAX), i;

	for (i = 0; i < n; i++) {
		if (iface_matches(r->iface[i], t))
			return true;
	}
	return false;
}

/* Does some interface of @d match @p? */
static bool any_iface(const struct cyl_usb_device *d, struct cyl_usb_iface p)
{
	size_t n = clamp(d->n_ifaces, CYL_USB_IFACE_MAX), i;

	for (i = 0; i < n; i++) {
		if (iface_matches(p, d->ifaces[i]))
			return true;
	}
	return false;
}

static bool ifaces_match(const struct cyl_usb_rule *r,
			 const struct cyl_usb_device *d)
{
	size_t nd = clamp(d->n_ifaces, CYL_USB_IFACE_MAX);
	size_t np = clamp(r->n_iface, CYL_USB_SET_MAX), i;
	bool d_all = true, d_any = false, p_all = true;

	for (i = 0; i < nd; i++) {
		bool hit = any_pattern(r, d->ifaces[i]);

		d_all &= hit;
		d_any |= hit;
	}
	for (i = 0; i < np; i++)
		p_all &= any_iface(d, r->iface[i]);

	switch (r->iface_op) {
	case CYL_USB_OP_EQUALS:
		return d_all && p_all;
	case CYL_USB_OP_ONE_OF:
		return d_any;
	case CYL_USB_OP_ALL_OF:
		return p_all;
	case CYL_USB_OP_NONE_OF:
		return !d_any;
	case CYL_USB_OP_MATCH_ALL:
		return d_all && nd > 0;
	}
	return false;
}

bool cyl_usb_rule_matches(const struct cyl_usb_rule *rule,
			  const struct cyl_usb_device *dev)
{
	if (rule->has_id && !ids_match(rule, dev))
		return false;
	if (rule->serial.set && !strs_match(&rule->serial, dev->serial))
		return false;
	if (rule->name.set && !strs_match(&rule->name, dev->name))
		return false;
	if (rule->port.set && !strs_match(&rule->port, dev->port))
		return false;
	if (rule->hash.set && !strs_match(&rule->hash, dev->hash))
		return false;
	if (rule->has_iface && !ifaces_match(rule, dev))
		return false;
	return true;
}

bool cyl_usb_rule_iface_allowed(const struct cyl_usb_rule *rule,
				struct cyl_usb_iface t)
{
	if (!rule->has_iface)
		return true;
	if (rule->iface_op == CYL_USB_OP_NONE_OF)
		return !any_pattern(rule, t);
	return any_pattern(rule, t);
}

/* --- writing ------------------------------------------------------- */

/* snprintf-style output: @len counts what was needed, even past @size. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put_mem(struct out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - 1 - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void put(struct out *o, const char *s)
{
	put_mem(o, s, strlen(s));
}

static size_t finish(struct out *o)
{
	if (o->size)
		o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
	return o->len;
}

/* @x as @digits lowercase hex digits, or "*" for -1. */
static void put_hex(struct out *o, int32_t x, int digits)
{
	char b[16];

	if (x < 0) {
		put(o, "*");
		return;
	}
	snprintf(b, sizeof(b), "%0*x", digits, (unsigned int)x);
	put(o, b);
}

static void put_id(struct out *o, struct cyl_usb_id id)
{
	put_hex(o, id.vendor, 4);
	put(o, ":");
	put_hex(o, id.product, 4);
}

static void put_iface(struct out *o, struct cyl_usb_iface t)
{
	put_hex(o, t.cls, 2);
	put(o, ":");
	put_hex(o, t.subcls, 2);
	put(o, ":");
	put_hex(o, t.proto, 2);
}

/* A quoted string: " and \ escaped, anything not printable ASCII as \xNN. */
static void put_str(struct out *o, const char *s)
{
	char b[8];

	put(o, "\"");
	for (; s && *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\') {
			b[0] = '\\';
			b[1] = ch;
			put_mem(o, b, 2);
		} else if (ch < 0x20 || ch >= 0x7f) {
			snprintf(b, sizeof(b), "\\x%02x", ch);
			put(o, b);
		} else {
			put_mem(o, s, 1);
		}
	}
	put(o, "\"");
}

/* One value of attribute @a: number @i of rule @r. */
static void put_value(struct out *o, const struct cyl_usb_rule *r,
		      enum attr_id a, size_t i)
{
	switch (a) {
	case ATTR_ID:
		put_id(o, r->id[i]);
		break;
	case ATTR_IFACE:
		put_iface(o, r->iface[i]);
		break;
	default:
		put_str(o, strset((struct cyl_usb_rule *)r, a)->v[i]);
	}
}

/* " NAME value" or " NAME [operator] { values }". */
static void put_attr(struct out *o, const struct cyl_usb_rule *r,
		     enum attr_id a, const char *name, enum cyl_usb_op op,
		     size_t n)
{
	size_t i;

	n = clamp(n, CYL_USB_SET_MAX);
	put(o, " ");
	put(o, name);
	put(o, " ");
	if (op == CYL_USB_OP_EQUALS && n == 1) {
		put_value(o, r, a, 0);
		return;
	}
	if (op != CYL_USB_OP_EQUALS && (unsigned int)op < ARRAY_SIZE(op_names)) {
		put(o, op_names[op]);
		put(o, " ");
	}
	put(o, "{");
	for (i = 0; i < n; i++) {
		put(o, " ");
		put_value(o, r, a, i);
	}
	put(o, " }");
}

size_t cyl_usb_rule_format(const struct cyl_usb_rule *rule, char *buf,
			   size_t size)
{
	static const struct {
		enum attr_id a;
		const char *name;
	} strs[] = {
		{ ATTR_SERIAL, "serial" }, { ATTR_NAME, "name" },
		{ ATTR_PORT, "port" }, { ATTR_HASH, "hash" },
	};
	struct cyl_usb_rule *r = (struct cyl_usb_rule *)rule;
	struct out o = { buf, size, 0 };
	size_t i;

	put(&o, cyl_usb_target_name(rule->target));
	if (rule->has_id)
		put_attr(&o, rule, ATTR_ID, "id", rule->id_op, rule->n_id);
	for (i = 0; i < ARRAY_SIZE(strs); i++) {
		const struct cyl_usb_strset *s = strset(r, strs[i].a);

		if (s->set)
			put_attr(&o, rule, strs[i].a, strs[i].name, s->op,
				 s->n);
	}
	if (rule->has_iface)
		put_attr(&o, rule, ATTR_IFACE, "with-interface",
			 rule->iface_op, rule->n_iface);
	return finish(&o);
}

/*
 * Written as the device has it, without checking the language's limits:
 * a device with a string over CYL_USB_STR_MAX bytes, a hash that is not
 * 64 hex digits or more than CYL_USB_SET_MAX interface triples gets a
 * rule that cyl_usb_rule_parse() refuses, naming the reason.
 */
size_t cyl_usb_rule_for_device(const struct cyl_usb_device *dev,
			       enum cyl_usb_target target, unsigned int what,
			       char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	size_t n = clamp(dev->n_ifaces, CYL_USB_IFACE_MAX), i;

	put(&o, cyl_usb_target_name(target));
	put(&o, " id ");
	put_id(&o, (struct cyl_usb_id){ dev->vendor, dev->product });
	if ((what & CYL_USB_FOR_SERIAL) && dev->serial && *dev->serial) {
		put(&o, " serial ");
		put_str(&o, dev->serial);
	}
	if ((what & CYL_USB_FOR_NAME) && dev->name && *dev->name) {
		put(&o, " name ");
		put_str(&o, dev->name);
	}
	if (what & CYL_USB_FOR_PORT) {
		put(&o, " port ");
		put_str(&o, dev->port);
	}
	if (what & CYL_USB_FOR_HASH) {
		put(&o, " hash ");
		put_str(&o, dev->hash);
	}
	/* As cyl_usb_rule_format() writes it: a single triple bare. */
	if (n == 1) {
		put(&o, " with-interface ");
		put_iface(&o, dev->ifaces[0]);
	} else if (n) {
		put(&o, " with-interface {");
		for (i = 0; i < n; i++) {
			put(&o, " ");
			put_iface(&o, dev->ifaces[i]);
		}
		put(&o, " }");
	}
	return finish(&o);
}
