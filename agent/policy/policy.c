// SPDX-License-Identifier: GPL-2.0
/*
 * Policy parser: libyaml builds the node tree, we walk it against the
 * schema.  The walk has a fixed depth (root, devices, device, section such
 * as "write", list such as "allow", entry, field), so aliases, even cyclic
 * ones, cannot make it recurse or loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "policy.h"
#include "util/file.h"
#include "util/quote.h"


struct ctx {
	const char *name;
	yaml_document_t *doc;
	struct cyl_policy *out;
	struct cyl_policy_error *err;
};

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
static int __attribute__((format(printf, 3, 4)))
fail(struct ctx *c, yaml_mark_t mark, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_error(c->err, c->name, mark.line + 1, mark.column + 1, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Error not tied to a position. */
static int __attribute__((format(printf, 4, 5)))
fail_nopos(struct cyl_policy_error *err, const char *name, int ret,
	   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_error(err, name, 0, 0, fmt, ap);
	va_end(ap);
	return ret;
}

#define QUOTE_NODE(qbuf, node) \
	cyl_quote(qbuf, sizeof(qbuf), (const char *)(node)->data.scalar.value, \
		  (node)->data.scalar.length)

static const char *kind(const yaml_node_t *node)
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

static bool scalar_is(const yaml_node_t *node, const char *s)
{
	size_t len = strlen(s);

	return node->type == YAML_SCALAR_NODE &&
	       node->data.scalar.length == len &&
	       !memcmp(node->data.scalar.value, s, len);
}

/* The scalar's value as a C string, or NULL if it holds a NUL byte. */
static const char *scalar_str(const yaml_node_t *node)
{
	const char *s = (const char *)node->data.scalar.value;

	return strlen(s) == node->data.scalar.length ? s : NULL;
}

static int expect_scalar(struct ctx *c, const yaml_node_t *node,
			 const char *path)
{
	if (node->type == YAML_SCALAR_NODE)
		return 0;
	return fail(c, node->start_mark, "%s: expected a scalar, got %s",
		    path, kind(node));
}

static bool valid_name(const char *s, size_t len)
{
	size_t i;

	if (!s || len < 1 || len > CYL_POLICY_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '.' || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

/* Absolute, below /dev/, no "." or ".." component to climb out. */
static bool valid_tty(const char *s, size_t len)
{
	const char *p;

	if (!s || len <= 5 || len > CYL_POLICY_TTY_MAX ||
	    strncmp(s, "/dev/", 5))
		return false;
	for (p = s + 4; p; p = strchr(p + 1, '/')) {
		if (!strncmp(p, "/./", 3) || !strcmp(p, "/.") ||
		    !strncmp(p, "/../", 4) || !strcmp(p, "/.."))
			return false;
	}
	return s[len - 1] != '/';
}

static yaml_node_t *node_at(struct ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

/*
 * Sections and device keys of the policy reference that later releases
 * implement.  Until then a policy using them is refused, naming what it
 * waits for, so it never half-applies on this agent.
 */
struct planned {
	const char *key;
	const char *arrives_with;
};

static const struct planned planned_sections[] = {
	{ "programs", "the integrity guard (device-tty access by program)" },
	{ "exec", "the integrity guard (exec allowlist)" },
	{ "network", "the network guard" },
	{ "wireguard", "the network guard" },
	{ "ssi", "SSI access control" },
	{ "abe", "CP-ABE sealed exports" },
	{ "risk", "the risk register" },
	{ "models", "anomaly detection" },
	{ "mender", "the Mender hooks" },
	{ NULL, NULL },
};

static const struct planned planned_device_keys[] = {
	{ "critical", "the Mender hooks" },
	{ "network", "the network guard" },
	{ "vitals", "anomaly detection" },
	{ NULL, NULL },
};

static const struct planned *planned_find(const struct planned *tab,
					  const yaml_node_t *key)
{
	for (; tab && tab->key; tab++) {
		if (scalar_is(key, tab->key))
			return tab;
	}
	return NULL;
}

/* Keys the format does not have, with the reason quoted in the error. */
struct retired {
	const char *key;
	const char *why;
};

static const struct retired retired_device_keys[] = {
	{ "record_key", "the record key is always the logon key "
			"\"" CYL_POLICY_RECORD_KEY_PREFIX "<name>\"" },
	{ NULL, NULL },
};

static const struct retired *retired_find(const struct retired *tab,
					  const yaml_node_t *key)
{
	for (; tab && tab->key; tab++) {
		if (scalar_is(key, tab->key))
			return tab;
	}
	return NULL;
}

/* A key the schema knows in some mapping; key and val NULL if absent. */
struct field {
	const char *name;
	yaml_node_t *key;
	yaml_node_t *val;
};

/*
 * Sort the pairs of mapping @node, named @path in errors, into the @n
 * @fields.  Keys in @planned wait for a later release, keys in @retired
 * are refused with their reason, any other unknown key and any duplicate
 * is an error.
 */
static int get_fields(struct ctx *c, yaml_node_t *node, const char *path,
		      struct field *fields, size_t n,
		      const struct planned *planned,
		      const struct retired *retired)
{
	char q[CYL_QUOTE_SIZE];
	yaml_node_pair_t *pair;
	size_t i;

	if (node->type != YAML_MAPPING_NODE)
		return fail(c, node->start_mark, "%s: expected a mapping, got %s",
			    path, kind(node));

	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = node_at(c, pair->key);
		yaml_node_t *val = node_at(c, pair->value);
		const struct planned *p;
		const struct retired *r;

		if (!key || !val)
			return fail(c, node->start_mark, "%s: malformed mapping", path);
		if (key->type != YAML_SCALAR_NODE)
			return fail(c, key->start_mark,
				    "%s: expected a scalar key, got %s",
				    path, kind(key));
		for (i = 0; i < n && !scalar_is(key, fields[i].name); i++)
			;
		if (i == n && (p = planned_find(planned, key)))
			return fail(c, key->start_mark,
				    "%s.%s: not supported by this build yet (arrives with %s)",
				    path, p->key, p->arrives_with);
		if (i == n && (r = retired_find(retired, key)))
			return fail(c, key->start_mark, "%s: unknown key %s: %s",
				    path, QUOTE_NODE(q, key), r->why);
		if (i == n)
			return fail(c, key->start_mark, "%s: unknown key %s",
				    path, QUOTE_NODE(q, key));
		if (fields[i].key)
			return fail(c, key->start_mark, "%s: duplicate key %s",
				    path, QUOTE_NODE(q, key));
		fields[i].key = key;
		fields[i].val = val;
	}
	return 0;
}

/*
 * "@path.@key" into @buf, for the errors of a field.  Paths are at most
 * "devices[255].write.allow[63].control": a PATH_SIZE buffer holds them.
 */
#define PATH_SIZE	96

static const char *sub(char *buf, size_t size, const char *path,
		       const char *key)
{
	if (snprintf(buf, size, "%s.%s", path, key) >= (int)size)
		buf[size - 1] = '\0';	/* cannot happen, see above */
	return buf;
}

/* Of two keys given together, the one that comes second in the file. */
static const yaml_node_t *second(const yaml_node_t *a, const yaml_node_t *b)
{
	return a->start_mark.index > b->start_mark.index ? a : b;
}

/* A decimal integer in @min..@max: no sign, no leading zero. */
static int get_uint(struct ctx *c, const yaml_node_t *v, const char *path,
		    unsigned long min, unsigned long max, unsigned int *out)
{
	char q[CYL_QUOTE_SIZE];
	unsigned long x = 0;
	const char *s;
	size_t i, len;
	bool ok;
	int ret;

	if ((ret = expect_scalar(c, v, path)) != 0)
		return ret;
	s = (const char *)v->data.scalar.value;
	len = v->data.scalar.length;
	ok = len >= 1 && len <= 9 && !(len > 1 && s[0] == '0');
	for (i = 0; ok && i < len; i++) {
		ok = s[i] >= '0' && s[i] <= '9';
		x = x * 10 + (unsigned long)(s[i] - '0');
	}
	if (!ok || x < min || x > max)
		return fail(c, v->start_mark,
			    "%s: expected an integer %lu..%lu, got %s",
			    path, min, max, QUOTE_NODE(q, v));
	*out = x;
	return 0;
}

/* One of the NULL-terminated @names, whose index goes to @out. */
static int get_choice(struct ctx *c, const yaml_node_t *v, const char *path,
		      const char *const *names, const char *expected,
		      unsigned int *out)
{
	char q[CYL_QUOTE_SIZE];
	unsigned int i;
	int ret;

	if ((ret = expect_scalar(c, v, path)) != 0)
		return ret;
	for (i = 0; names[i]; i++) {
		if (scalar_is(v, names[i])) {
			*out = i;
			return 0;
		}
	}
	return fail(c, v->start_mark, "%s: expected %s, got %s",
		    path, expected, QUOTE_NODE(q, v));
}

static int get_bool(struct ctx *c, const yaml_node_t *v, const char *path,
		    bool *out)
{
	static const char *const names[] = {
		"false", "true", "False", "True", "FALSE", "TRUE", NULL,
	};
	unsigned int i;
	int ret;

	if ((ret = get_choice(c, v, path, names, "true or false", &i)) != 0)
		return ret;
	*out = i % 2;
	return 0;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Exactly @digits hex digits of @s[0..@len) into @out. */
static bool parse_hex(const char *s, size_t len, size_t digits,
		      unsigned int *out)
{
	unsigned int x = 0;
	size_t i;

	if (len != digits)
		return false;
	for (i = 0; i < len; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return false;
		x = x << 4 | (unsigned int)d;
	}
	*out = x;
	return true;
}

/* Control bytes by name, for write.allow[].control and delimiter. */
static const struct {
	const char *name;
	unsigned char byte;
} control_names[] = {
	{ "ENQ", 0x05 }, { "ACK", 0x06 }, { "NAK", 0x15 }, { "EOT", 0x04 },
	{ "STX", 0x02 }, { "ETX", 0x03 }, { "ETB", 0x17 }, { "CR", 0x0d },
	{ "LF", 0x0a }, { "VT", 0x0b }, { "FS", 0x1c },
};

#define CONTROL_EXPECTED \
	"ENQ, ACK, NAK, EOT, STX, ETX, ETB, CR, LF, VT, FS or 0xNN"

/* A control name or "0xNN"; false if @v is neither. */
static bool control_byte(const yaml_node_t *v, unsigned char *out)
{
	const char *s = (const char *)v->data.scalar.value;
	size_t len = v->data.scalar.length;
	unsigned int x;
	size_t i;

	for (i = 0; i < sizeof(control_names) / sizeof(control_names[0]); i++) {
		if (scalar_is(v, control_names[i].name)) {
			*out = control_names[i].byte;
			return true;
		}
	}
	if (len == 4 && s[0] == '0' && s[1] == 'x' &&
	    parse_hex(s + 2, 2, 2, &x)) {
		*out = x;
		return true;
	}
	return false;
}

static int parse_usb(struct ctx *c, size_t idx, yaml_node_t *node,
		     const char *path, struct cyl_policy_usb_match *m)
{
	enum { U_VENDOR, U_PRODUCT, U_SERIAL, U_INTERFACE, U_N };
	struct field f[U_N] = {
		[U_VENDOR] = { .name = "vendor" },
		[U_PRODUCT] = { .name = "product" },
		[U_SERIAL] = { .name = "serial" },
		[U_INTERFACE] = { .name = "interface" },
	};
	char field[PATH_SIZE], q[CYL_QUOTE_SIZE];
	unsigned int *ids[] = { &m->vendor, &m->product };
	unsigned int iface;
	size_t i;
	int ret;

	if ((ret = get_fields(c, node, path, f, U_N, NULL, NULL)) != 0)
		return ret;
	for (i = U_VENDOR; i <= U_PRODUCT; i++) {
		const yaml_node_t *v = f[i].val;

		if (!v)
			return fail(c, node->start_mark, "%s: missing key \"%s\"",
				    path, f[i].name);
		sub(field, sizeof(field), path, f[i].name);
		if ((ret = expect_scalar(c, v, field)) != 0)
			return ret;
		if (!parse_hex((const char *)v->data.scalar.value,
			       v->data.scalar.length, 4, ids[i]))
			return fail(c, v->start_mark,
				    "%s: expected 4 hex digits, got %s",
				    field, QUOTE_NODE(q, v));
	}
	if (f[U_SERIAL].val) {
		const yaml_node_t *v = f[U_SERIAL].val;
		const unsigned char *s = v->data.scalar.value;
		size_t len;
		bool ok;

		sub(field, sizeof(field), path, "serial");
		if ((ret = expect_scalar(c, v, field)) != 0)
			return ret;
		len = v->data.scalar.length;
		ok = len >= 1 && len <= CYL_POLICY_USB_SERIAL_MAX;
		for (i = 0; ok && i < len; i++)
			ok = s[i] >= 0x20 && s[i] != 0x7f;
		if (!ok)
			return fail(c, v->start_mark,
				    "%s: expected 1..%d printable characters, got %s",
				    field, CYL_POLICY_USB_SERIAL_MAX,
				    QUOTE_NODE(q, v));
		memcpy(m->serial, s, len);
		m->has_serial = true;
	}
	m->interface = -1;
	if (f[U_INTERFACE].val) {
		sub(field, sizeof(field), path, "interface");
		if ((ret = get_uint(c, f[U_INTERFACE].val, field, 0, 255,
				    &iface)) != 0)
			return ret;
		m->interface = iface;
	}
	m->set = true;

	for (i = 0; i < idx; i++) {
		const struct cyl_policy_device *o = &c->out->devices[i];

		if (o->usb.set && o->usb.vendor == m->vendor &&
		    o->usb.product == m->product &&
		    o->usb.has_serial == m->has_serial &&
		    !strcmp(o->usb.serial, m->serial) &&
		    o->usb.interface == m->interface)
			return fail(c, node->start_mark,
				    "%s: the same match as device \"%s\"",
				    path, o->name);
	}
	return 0;
}

static int parse_raw(struct ctx *c, yaml_node_t *node, const char *path,
		     struct cyl_serial_cfg *cfg)
{
	enum { R_SIZE, R_GAP_MS, R_N };
	struct field f[R_N] = {
		[R_SIZE] = { .name = "size" },
		[R_GAP_MS] = { .name = "gap_ms" },
	};
	char field[PATH_SIZE];
	unsigned int x;
	int ret;

	if ((ret = get_fields(c, node, path, f, R_N, NULL, NULL)) != 0)
		return ret;
	if (f[R_SIZE].key && f[R_GAP_MS].key)
		return fail(c, second(f[R_SIZE].key, f[R_GAP_MS].key)->start_mark,
			    "%s: give one of \"size\" and \"gap_ms\", not both",
			    path);
	if (f[R_SIZE].val) {
		sub(field, sizeof(field), path, "size");
		if ((ret = get_uint(c, f[R_SIZE].val, field, 1,
				    CYL_FRAME_LEN_MAX, &x)) != 0)
			return ret;
		if (x > cfg->max_len)
			return fail(c, f[R_SIZE].val->start_mark,
				    "%s: %u is more than max_len %u",
				    field, x, cfg->max_len);
		cfg->raw_size = x;
		cfg->raw_gap_us = 0;
	} else if (f[R_GAP_MS].val) {
		sub(field, sizeof(field), path, "gap_ms");
		if ((ret = get_uint(c, f[R_GAP_MS].val, field, 1,
				    CYL_POLICY_RAW_GAP_MS_MAX, &x)) != 0)
			return ret;
		cfg->raw_gap_us = x * 1000;
	} else {
		return fail(c, node->start_mark,
			    "%s: expected one of \"size\" or \"gap_ms\"", path);
	}
	return 0;
}

static int parse_allow(struct ctx *c, yaml_node_t *node, const char *path,
		       struct cyl_write_allow *a)
{
	enum { A_PREFIX, A_CONTROL, A_N };
	struct field f[A_N] = {
		[A_PREFIX] = { .name = "prefix" },
		[A_CONTROL] = { .name = "control" },
	};
	char field[PATH_SIZE], q[CYL_QUOTE_SIZE];
	const yaml_node_t *v;
	size_t i, len;
	int ret;

	if ((ret = get_fields(c, node, path, f, A_N, NULL, NULL)) != 0)
		return ret;
	if (f[A_PREFIX].key && f[A_CONTROL].key)
		return fail(c, second(f[A_PREFIX].key, f[A_CONTROL].key)->start_mark,
			    "%s: give one of \"prefix\" and \"control\", not both",
			    path);
	if ((v = f[A_PREFIX].val)) {
		bool ok;

		sub(field, sizeof(field), path, "prefix");
		if ((ret = expect_scalar(c, v, field)) != 0)
			return ret;
		len = v->data.scalar.length;
		ok = len >= 1 && len <= CYL_ALLOW_PREFIX_MAX;
		for (i = 0; ok && i < len; i++)
			ok = v->data.scalar.value[i] < 0x80;
		if (!ok)
			return fail(c, v->start_mark,
				    "%s: expected 1..%d ASCII bytes, got %s",
				    field, CYL_ALLOW_PREFIX_MAX, QUOTE_NODE(q, v));
		a->kind = CYL_ALLOW_PREFIX;
		a->len = len;
		memcpy(a->bytes, v->data.scalar.value, len);
	} else if ((v = f[A_CONTROL].val)) {
		sub(field, sizeof(field), path, "control");
		if ((ret = expect_scalar(c, v, field)) != 0)
			return ret;
		if (!control_byte(v, &a->bytes[0]))
			return fail(c, v->start_mark, "%s: expected %s, got %s",
				    field, CONTROL_EXPECTED, QUOTE_NODE(q, v));
		a->kind = CYL_ALLOW_CONTROL;
		a->len = 1;
	} else {
		return fail(c, node->start_mark,
			    "%s: expected one of \"prefix\" or \"control\"", path);
	}
	return 0;
}

enum write_mode { MODE_ALLOWLIST, MODE_READ_ONLY, MODE_OPEN };

static int parse_allow_list(struct ctx *c, yaml_node_t *node, const char *path,
			    struct cyl_policy_device *dev)
{
	char entry[PATH_SIZE];
	size_t i, n;
	int ret;

	if (node->type != YAML_SEQUENCE_NODE)
		return fail(c, node->start_mark, "%s: expected a sequence, got %s",
			    path, kind(node));
	n = node->data.sequence.items.top - node->data.sequence.items.start;
	if (n > CYL_ALLOW_MAX)
		return fail(c, node->start_mark,
			    "%s: %zu entries, at most %d are supported",
			    path, n, CYL_ALLOW_MAX);
	for (i = 0; i < n; i++) {
		yaml_node_t *item = node_at(c, node->data.sequence.items.start[i]);

		if (!item)
			return fail(c, node->start_mark, "%s: malformed sequence",
				    path);
		if (snprintf(entry, sizeof(entry), "%s[%zu]", path, i) >=
		    (int)sizeof(entry))
			entry[sizeof(entry) - 1] = '\0';	/* cannot happen */
		if ((ret = parse_allow(c, item, entry, &dev->allow[i])) != 0)
			return ret;
		dev->n_allow = i + 1;
	}
	return 0;
}

static int parse_write(struct ctx *c, yaml_node_t *node, const char *path,
		       struct cyl_policy_device *dev)
{
	static const char *const modes[] = {
		[MODE_ALLOWLIST] = "allowlist",
		[MODE_READ_ONLY] = "read_only",
		[MODE_OPEN] = "open",
		NULL,
	};
	enum { W_MODE, W_ALLOW, W_RATE, W_BURST, W_N };
	struct field f[W_N] = {
		[W_MODE] = { .name = "mode" },
		[W_ALLOW] = { .name = "allow" },
		[W_RATE] = { .name = "rate" },
		[W_BURST] = { .name = "burst" },
	};
	struct cyl_serial_cfg *cfg = &dev->serial;
	unsigned int mode = MODE_ALLOWLIST, rate = 0, burst;
	char field[PATH_SIZE];
	size_t i;
	int ret;

	if ((ret = get_fields(c, node, path, f, W_N, NULL, NULL)) != 0)
		return ret;
	if (f[W_MODE].val) {
		sub(field, sizeof(field), path, "mode");
		if ((ret = get_choice(c, f[W_MODE].val, field, modes,
				      "allowlist, read_only or open", &mode)) != 0)
			return ret;
	}
	for (i = W_ALLOW; i < W_N; i++) {
		if (mode == MODE_READ_ONLY && f[i].key)
			return fail(c, f[i].key->start_mark,
				    "%s.%s: not with mode read_only, which "
				    "refuses every write", path, f[i].name);
	}
	if (mode == MODE_OPEN && f[W_ALLOW].key)
		return fail(c, f[W_ALLOW].key->start_mark,
			    "%s.allow: only with mode allowlist, not open", path);
	cfg->read_only = mode == MODE_READ_ONLY;
	cfg->write_check = mode == MODE_ALLOWLIST;

	if (f[W_ALLOW].val &&
	    (ret = parse_allow_list(c, f[W_ALLOW].val,
				    sub(field, sizeof(field), path, "allow"),
				    dev)) != 0)
		return ret;

	if (f[W_RATE].val) {
		sub(field, sizeof(field), path, "rate");
		if ((ret = get_uint(c, f[W_RATE].val, field, 0,
				    CYL_POLICY_WRITE_RATE_MAX, &rate)) != 0)
			return ret;
	}
	burst = rate;
	if (f[W_BURST].val) {
		sub(field, sizeof(field), path, "burst");
		if (!rate)
			return fail(c, f[W_BURST].key->start_mark,
				    "%s: only with a rate above 0", field);
		if ((ret = get_uint(c, f[W_BURST].val, field, 1,
				    CYL_POLICY_WRITE_RATE_MAX, &burst)) != 0)
			return ret;
	}
	cfg->write_rate = rate;
	cfg->write_burst = burst;
	return 0;
}

/* A device's keys: parse_device() reads the first three, parse_serial() the rest. */
enum {
	D_NAME, D_TTY, D_USB,
	D_FRAMING, D_MAX_LEN, D_DELIMITER, D_RAW, D_ON_BAD_FRAME, D_INSPECT,
	D_WRITE,
	D_N
};

static const char *const framings[] = {
	[CYL_FRAMING_RAW] = "raw",
	[CYL_FRAMING_LINES] = "lines",
	[CYL_FRAMING_ASTM] = "astm",
	[CYL_FRAMING_MLLP] = "mllp",
	NULL,
};

static int parse_delimiter(struct ctx *c, const yaml_node_t *v,
			   const char *path, struct cyl_serial_cfg *cfg)
{
	char q[CYL_QUOTE_SIZE];
	int ret;

	if ((ret = expect_scalar(c, v, path)) != 0)
		return ret;
	if (v->data.scalar.length == 1)
		cfg->delimiter = v->data.scalar.value[0];
	else if (!control_byte(v, &cfg->delimiter))
		return fail(c, v->start_mark,
			    "%s: expected one byte (\"\\n\", \";\"), "
			    "a name (LF, CR, ETX...) or 0xNN, got %s",
			    path, QUOTE_NODE(q, v));
	return 0;
}

/* The serial guard keys of a device, into dev->serial and dev->allow. */
static int parse_serial(struct ctx *c, const char *path, const struct field *f,
			struct cyl_policy_device *dev)
{
	static const unsigned int default_max_len[] = {
		[CYL_FRAMING_RAW] = CYL_POLICY_MAX_LEN_RAW,
		[CYL_FRAMING_LINES] = CYL_POLICY_MAX_LEN_LINES,
		[CYL_FRAMING_ASTM] = CYL_POLICY_MAX_LEN_ASTM,
		[CYL_FRAMING_MLLP] = CYL_POLICY_MAX_LEN_MLLP,
	};
	static const char *const bad_frame[] = {
		[CYL_BAD_FRAME_PASS] = "pass",
		[CYL_BAD_FRAME_DROP] = "drop",
		NULL,
	};
	struct cyl_serial_cfg *cfg = &dev->serial;
	unsigned int x = CYL_FRAMING_RAW;
	char field[PATH_SIZE];
	bool b = false;
	int ret;

	if (f[D_FRAMING].val) {
		sub(field, sizeof(field), path, "framing");
		if ((ret = get_choice(c, f[D_FRAMING].val, field, framings,
				      "raw, lines, astm or mllp", &x)) != 0)
			return ret;
	}
	cfg->framing = x;
	cfg->max_len = default_max_len[x];
	if (f[D_MAX_LEN].val) {
		sub(field, sizeof(field), path, "max_len");
		if ((ret = get_uint(c, f[D_MAX_LEN].val, field,
				    CYL_FRAME_LEN_MIN, CYL_FRAME_LEN_MAX,
				    &cfg->max_len)) != 0)
			return ret;
	}

	if (f[D_DELIMITER].key && cfg->framing != CYL_FRAMING_LINES)
		return fail(c, f[D_DELIMITER].key->start_mark,
			    "%s.delimiter: only with framing lines, not %s",
			    path, framings[cfg->framing]);
	if (cfg->framing == CYL_FRAMING_LINES)
		cfg->delimiter = '\n';
	if (f[D_DELIMITER].val &&
	    (ret = parse_delimiter(c, f[D_DELIMITER].val,
				   sub(field, sizeof(field), path, "delimiter"),
				   cfg)) != 0)
		return ret;

	if (f[D_RAW].key && cfg->framing != CYL_FRAMING_RAW)
		return fail(c, f[D_RAW].key->start_mark,
			    "%s.raw: only with framing raw, not %s",
			    path, framings[cfg->framing]);
	if (cfg->framing == CYL_FRAMING_RAW)
		cfg->raw_gap_us = CYL_POLICY_RAW_GAP_MS_DEFAULT * 1000;
	if (f[D_RAW].val &&
	    (ret = parse_raw(c, f[D_RAW].val,
			     sub(field, sizeof(field), path, "raw"), cfg)) != 0)
		return ret;

	x = CYL_BAD_FRAME_PASS;
	if (f[D_ON_BAD_FRAME].val) {
		sub(field, sizeof(field), path, "on_bad_frame");
		if ((ret = get_choice(c, f[D_ON_BAD_FRAME].val, field,
				      bad_frame, "pass or drop", &x)) != 0)
			return ret;
	}
	cfg->on_bad_frame = x;

	if (f[D_INSPECT].val &&
	    (ret = get_bool(c, f[D_INSPECT].val,
			    sub(field, sizeof(field), path, "inspect"), &b)) != 0)
		return ret;
	cfg->inspect = b;

	/* No "write": mode allowlist with no entries, every write refused. */
	cfg->write_check = 1;
	if (f[D_WRITE].val &&
	    (ret = parse_write(c, f[D_WRITE].val,
			       sub(field, sizeof(field), path, "write"),
			       dev)) != 0)
		return ret;
	return 0;
}

static int parse_tty(struct ctx *c, size_t idx, yaml_node_t *tty,
		     const char *field, struct cyl_policy_device *dev)
{
	char q[CYL_QUOTE_SIZE];
	size_t i;
	int ret;

	if ((ret = expect_scalar(c, tty, field)) != 0)
		return ret;
	if (!valid_tty(scalar_str(tty), tty->data.scalar.length))
		return fail(c, tty->start_mark,
			    "%s: expected an absolute path under /dev, got %s",
			    field, QUOTE_NODE(q, tty));
	for (i = 0; i < idx; i++) {
		if (c->out->devices[i].tty[0] &&
		    !strcmp(c->out->devices[i].tty, scalar_str(tty)))
			return fail(c, tty->start_mark,
				    "%s: %s already used by device \"%s\"",
				    field, QUOTE_NODE(q, tty),
				    c->out->devices[i].name);
	}
	/* The length was checked above; the copy cannot truncate. */
	memcpy(dev->tty, tty->data.scalar.value, tty->data.scalar.length);
	return 0;
}

static int parse_device(struct ctx *c, size_t idx, yaml_node_t *node)
{
	struct field f[D_N] = {
		[D_NAME] = { .name = "name" },
		[D_TTY] = { .name = "tty" },
		[D_USB] = { .name = "usb" },
		[D_FRAMING] = { .name = "framing" },
		[D_MAX_LEN] = { .name = "max_len" },
		[D_DELIMITER] = { .name = "delimiter" },
		[D_RAW] = { .name = "raw" },
		[D_ON_BAD_FRAME] = { .name = "on_bad_frame" },
		[D_INSPECT] = { .name = "inspect" },
		[D_WRITE] = { .name = "write" },
	};
	struct cyl_policy_device *dev = &c->out->devices[idx];
	char path[PATH_SIZE], field[PATH_SIZE], q[CYL_QUOTE_SIZE];
	yaml_node_t *name;
	size_t i;
	int ret;

	snprintf(path, sizeof(path), "devices[%zu]", idx);
	if ((ret = get_fields(c, node, path, f, D_N, planned_device_keys,
			      retired_device_keys)) != 0)
		return ret;
	if (!(name = f[D_NAME].val))
		return fail(c, node->start_mark, "%s: missing key \"name\"", path);
	if (!f[D_TTY].key && !f[D_USB].key)
		return fail(c, node->start_mark,
			    "%s: missing key \"tty\" or \"usb\"", path);
	if (f[D_TTY].key && f[D_USB].key)
		return fail(c, second(f[D_TTY].key, f[D_USB].key)->start_mark,
			    "%s: give one of \"tty\" and \"usb\", not both", path);

	sub(field, sizeof(field), path, "name");
	if ((ret = expect_scalar(c, name, field)) != 0)
		return ret;
	if (!valid_name(scalar_str(name), name->data.scalar.length))
		return fail(c, name->start_mark,
			    "%s: expected [a-z0-9._-]{1,32}, got %s",
			    field, QUOTE_NODE(q, name));
	for (i = 0; i < idx; i++) {
		if (!strcmp(c->out->devices[i].name, scalar_str(name)))
			return fail(c, name->start_mark,
				    "%s: duplicate device name %s (first on line %u)",
				    field, QUOTE_NODE(q, name),
				    c->out->devices[i].line);
	}
	/* The length was checked above; the copy cannot truncate. */
	memcpy(dev->name, name->data.scalar.value, name->data.scalar.length);
	dev->line = node->start_mark.line + 1;

	if (f[D_TTY].val)
		ret = parse_tty(c, idx, f[D_TTY].val,
				sub(field, sizeof(field), path, "tty"), dev);
	else
		ret = parse_usb(c, idx, f[D_USB].val,
				sub(field, sizeof(field), path, "usb"), &dev->usb);
	if (ret)
		return ret;

	return parse_serial(c, path, f, dev);
}

static int parse_devices(struct ctx *c, yaml_node_t *node)
{
	size_t n, i;
	int ret;

	if (node->type != YAML_SEQUENCE_NODE)
		return fail(c, node->start_mark,
			    "devices: expected a sequence, got %s", kind(node));
	n = node->data.sequence.items.top - node->data.sequence.items.start;
	if (n > CYL_POLICY_MAX_DEVICES)
		return fail(c, node->start_mark,
			    "devices: %zu devices, at most %d are supported",
			    n, CYL_POLICY_MAX_DEVICES);
	if (!n)
		return 0;
	c->out->devices = calloc(n, sizeof(*c->out->devices));
	if (!c->out->devices)
		return fail_nopos(c->err, c->name, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		yaml_node_t *item = node_at(c, node->data.sequence.items.start[i]);

		if (!item)
			return fail(c, node->start_mark, "devices: malformed sequence");
		if ((ret = parse_device(c, i, item)) != 0)
			return ret;
		c->out->n_devices = i + 1;
	}
	return 0;
}

/*
 * The position of byte @off of scalar @v's value, when the value is
 * written on one line without escapes (plain, or quoted with nothing to
 * unescape); otherwise the scalar's own position.
 */
static yaml_mark_t scalar_offset_mark(const yaml_node_t *v, size_t off,
				      bool *exact)
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

static int parse_usb_rule(struct ctx *c, yaml_node_t *v, const char *path,
			  struct cyl_policy_usb_rule *out)
{
	struct cyl_usb_rule_error rerr;
	const char *text;
	yaml_mark_t m;
	bool exact;
	int ret;

	if ((ret = expect_scalar(c, v, path)) != 0)
		return ret;
	text = scalar_str(v);
	if (!text)
		return fail(c, v->start_mark, "%s: a rule may not contain a NUL byte",
			    path);
	ret = cyl_usb_rule_parse(text, v->data.scalar.length, &out->rule, &rerr);
	if (ret == -ENOMEM)
		return fail_nopos(c->err, c->name, ret, "out of memory");
	if (ret) {
		m = scalar_offset_mark(v, rerr.offset, &exact);
		if (exact)
			return fail(c, m, "%s: %s", path, rerr.text);
		return fail(c, m, "%s: at byte %zu of the rule: %s", path,
			    rerr.offset + 1, rerr.text);
	}
	out->text = strdup(text);
	if (!out->text) {
		cyl_usb_rule_free(&out->rule);
		return fail_nopos(c->err, c->name, -ENOMEM, "out of memory");
	}
	out->line = v->start_mark.line + 1;
	out->column = v->start_mark.column + 1;
	return 0;
}

static int parse_usb_rules(struct ctx *c, yaml_node_t *node,
			   struct cyl_policy_usb *usb)
{
	char path[PATH_SIZE];
	size_t n, i;
	int ret;

	if (node->type != YAML_SEQUENCE_NODE)
		return fail(c, node->start_mark,
			    "usb.rules: expected a sequence, got %s", kind(node));
	n = node->data.sequence.items.top - node->data.sequence.items.start;
	if (n > CYL_POLICY_USB_MAX_RULES)
		return fail(c, node->start_mark,
			    "usb.rules: %zu rules, at most %d are supported",
			    n, CYL_POLICY_USB_MAX_RULES);
	if (n && node->data.sequence.style == YAML_BLOCK_SEQUENCE_STYLE) {
		usb->rules_line = node->start_mark.line + 1;
		usb->rules_col = node->start_mark.column;
	}
	if (!n)
		return 0;
	usb->rules = calloc(n, sizeof(*usb->rules));
	if (!usb->rules)
		return fail_nopos(c->err, c->name, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		yaml_node_t *item = node_at(c, node->data.sequence.items.start[i]);

		if (!item)
			return fail(c, node->start_mark, "usb.rules: malformed sequence");
		snprintf(path, sizeof(path), "usb.rules[%zu]", i);
		if ((ret = parse_usb_rule(c, item, path, &usb->rules[i])) != 0)
			return ret;
		usb->n_rules = i + 1;
	}
	return 0;
}

static const char *const usb_present_names[] = {
	[CYL_USB_PRESENT_APPLY] = "apply-policy",
	[CYL_USB_PRESENT_KEEP] = "keep",
	[CYL_USB_PRESENT_BLOCK] = "block",
	NULL,
};

const char *cyl_policy_usb_present_name(enum cyl_policy_usb_present present)
{
	return usb_present_names[present];
}

static int parse_usb_section(struct ctx *c, yaml_node_t *node)
{
	enum { S_PRESENT, S_IMPLICIT, S_RULES, S_N };
	struct field f[S_N] = {
		[S_PRESENT] = { .name = "present_devices" },
		[S_IMPLICIT] = { .name = "implicit_target" },
		[S_RULES] = { .name = "rules" },
	};
	static const char *const implicit_names[] = { "block", "reject", NULL };
	struct cyl_policy_usb *usb = &c->out->usb;
	unsigned int x;
	int ret;

	if ((ret = get_fields(c, node, "usb", f, S_N, NULL, NULL)) != 0)
		return ret;
	usb->set = true;
	usb->present = CYL_USB_PRESENT_APPLY;
	usb->implicit = CYL_USB_BLOCK;
	if (f[S_PRESENT].val) {
		ret = get_choice(c, f[S_PRESENT].val, "usb.present_devices",
				 usb_present_names,
				 "apply-policy, keep or block", &x);
		if (ret)
			return ret;
		usb->present = x;
	}
	if (f[S_IMPLICIT].val) {
		ret = get_choice(c, f[S_IMPLICIT].val, "usb.implicit_target",
				 implicit_names, "block or reject", &x);
		if (ret)
			return ret;
		usb->implicit = x ? CYL_USB_REJECT : CYL_USB_BLOCK;
	}
	if (f[S_RULES].val)
		return parse_usb_rules(c, f[S_RULES].val, usb);
	return 0;
}

static int parse_version(struct ctx *c, yaml_node_t *node)
{
	char q[CYL_QUOTE_SIZE];
	int ret;

	if ((ret = expect_scalar(c, node, "version")) != 0)
		return ret;
	if (!scalar_is(node, "1"))
		return fail(c, node->start_mark,
			    "version: unsupported version %s, expected %d",
			    QUOTE_NODE(q, node), CYL_POLICY_VERSION);
	c->out->version = CYL_POLICY_VERSION;
	return 0;
}

static int parse_root(struct ctx *c, yaml_node_t *root)
{
	yaml_node_t *version = NULL, *devices = NULL, *usb = NULL;
	yaml_node_pair_t *pair;
	char q[CYL_QUOTE_SIZE];
	int ret;

	if (root->type != YAML_MAPPING_NODE)
		return fail(c, root->start_mark,
			    "expected a mapping at the top level, got %s",
			    kind(root));

	for (pair = root->data.mapping.pairs.start;
	     pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = node_at(c, pair->key);
		yaml_node_t *val = node_at(c, pair->value);
		const struct planned *planned;
		yaml_node_t **slot;

		if (!key || !val)
			return fail(c, root->start_mark, "malformed mapping");
		if (key->type != YAML_SCALAR_NODE)
			return fail(c, key->start_mark,
				    "expected a scalar key, got %s", kind(key));
		if (scalar_is(key, "version"))
			slot = &version;
		else if (scalar_is(key, "devices"))
			slot = &devices;
		else if (scalar_is(key, "usb"))
			slot = &usb;
		else if ((planned = planned_find(planned_sections, key)))
			return fail(c, key->start_mark,
				    "%s: not supported by this build yet (arrives with %s)",
				    planned->key, planned->arrives_with);
		else
			return fail(c, key->start_mark,
				    "unknown top-level section %s",
				    QUOTE_NODE(q, key));
		if (*slot)
			return fail(c, key->start_mark, "duplicate key %s",
				    QUOTE_NODE(q, key));
		*slot = val;
	}
	if (!version)
		return fail(c, root->start_mark, "missing key \"version\"");
	if ((ret = parse_version(c, version)) != 0)
		return ret;
	if (devices && (ret = parse_devices(c, devices)) != 0)
		return ret;
	if (usb && (ret = parse_usb_section(c, usb)) != 0)
		return ret;
	return 0;
}

static int syntax_error(struct ctx *c, const yaml_parser_t *parser)
{
	const char *problem = parser->problem ? parser->problem : "syntax error";

	switch (parser->error) {
	case YAML_MEMORY_ERROR:
		return fail_nopos(c->err, c->name, -ENOMEM, "out of memory");
	case YAML_READER_ERROR:
		return fail_nopos(c->err, c->name, -EINVAL, "%s at byte %zu",
				  problem, parser->problem_offset);
	default:
		break;
	}
	if (parser->context)
		return fail(c, parser->problem_mark, "%s %s started on line %zu",
			    problem, parser->context,
			    parser->context_mark.line + 1);
	return fail(c, parser->problem_mark, "%s", problem);
}

int cyl_policy_parse(const char *name, const char *buf, size_t len,
		     struct cyl_policy *out, struct cyl_policy_error *err)
{
	struct ctx c = { .name = name, .out = out, .err = err };
	yaml_document_t doc, extra;
	bool have_doc = false;
	yaml_parser_t parser;
	yaml_node_t *root;
	int ret;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (len > CYL_POLICY_MAX_SIZE)
		return fail_nopos(err, name, -EFBIG,
				  "policy is larger than 1 MiB (%zu bytes)", len);
	if (!yaml_parser_initialize(&parser))
		return fail_nopos(err, name, -ENOMEM, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);

	ret = -EINVAL;
	if (!yaml_parser_load(&parser, &doc)) {
		ret = syntax_error(&c, &parser);
		goto out;
	}
	have_doc = true;
	c.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		ret = fail_nopos(err, name, -EINVAL, "policy is empty");
		goto out;
	}

	/* A second document would be silently ignored: refuse it. */
	if (!yaml_parser_load(&parser, &extra)) {
		ret = syntax_error(&c, &parser);
		goto out;
	}
	root = yaml_document_get_root_node(&extra);
	if (root)
		ret = fail(&c, root->start_mark,
			   "only one YAML document is allowed");
	yaml_document_delete(&extra);
	if (root)
		goto out;

	ret = parse_root(&c, yaml_document_get_root_node(&doc));
out:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (ret)
		cyl_policy_free(out);
	return ret;
}

int cyl_policy_load_file(const char *path, struct cyl_policy *out,
			 struct cyl_policy_error *err)
{
	size_t len;
	char *buf;
	int ret;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	ret = cyl_read_file(path, CYL_POLICY_MAX_SIZE, &buf, &len);
	if (ret == -EFBIG)
		return fail_nopos(err, path, ret, "policy is larger than 1 MiB");
	if (ret)
		return fail_nopos(err, path, ret, "cannot read: %s", strerror(-ret));
	ret = cyl_policy_parse(path, buf, len, out, err);
	free(buf);
	return ret;
}

void cyl_policy_free(struct cyl_policy *policy)
{
	size_t i;

	if (!policy)
		return;
	free(policy->devices);
	for (i = 0; i < policy->usb.n_rules; i++) {
		cyl_usb_rule_free(&policy->usb.rules[i].rule);
		free(policy->usb.rules[i].text);
	}
	free(policy->usb.rules);
	memset(policy, 0, sizeof(*policy));
}

const char *cyl_policy_usb_format(const struct cyl_policy_usb_match *m,
				  char *buf, size_t size)
{
	char serial[sizeof(m->serial) + 16] = "", iface[24] = "";

	if (m->has_serial)
		snprintf(serial, sizeof(serial), " serial \"%s\"", m->serial);
	if (m->interface >= 0)
		snprintf(iface, sizeof(iface), " interface %d", m->interface);
	snprintf(buf, size, "usb %04x:%04x%s%s", m->vendor, m->product,
		 serial, iface);
	return buf;
}
