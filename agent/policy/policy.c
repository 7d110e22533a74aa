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
#include "policy/walk.h"


struct ctx {
	struct cyl_yw yw;	/* first: the walk's helpers take it */
	struct cyl_policy *out;
};


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


/*
 * Sections and device keys of the policy reference that later releases
 * implement.  Until then a policy using them is refused, naming what it
 * waits for, so it never half-applies on this agent.
 */

static const struct cyl_yw_planned planned_sections[] = {
	{ "programs", "the integrity guard (device-tty access by program)" },
	{ "exec", "the integrity guard (exec allowlist)" },
	{ "network", "the network guard" },
	{ "wireguard", "the network guard" },
	{ "abe", "CP-ABE sealed exports" },
	{ "models", "anomaly detection" },
	{ NULL, NULL },
};

static const struct cyl_yw_planned planned_device_keys[] = {
	{ "network", "the network guard" },
	{ "vitals", "anomaly detection" },
	{ NULL, NULL },
};



static const struct cyl_yw_retired retired_device_keys[] = {
	{ "record_key", "the record key is always the logon key "
			"\"" CYL_POLICY_RECORD_KEY_PREFIX "<name>\"" },
	{ NULL, NULL },
};

/* Of two keys given together, the one that comes second in the file. */

/* A decimal integer in @min..@max: no sign, no leading zero. */

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
		if (cyl_yw_scalar_is(v, control_names[i].name)) {
			*out = control_names[i].byte;
			return true;
		}
	}
	if (len == 4 && s[0] == '0' && s[1] == 'x' &&
	    cyl_yw_parse_hex(s + 2, 2, 2, &x)) {
		*out = x;
		return true;
	}
	return false;
}

static int parse_usb(struct ctx *c, size_t idx, yaml_node_t *node,
		     const char *path, struct cyl_policy_usb_match *m)
{
	enum { U_VENDOR, U_PRODUCT, U_SERIAL, U_INTERFACE, U_N };
	struct cyl_yw_field f[U_N] = {
		[U_VENDOR] = { .name = "vendor" },
		[U_PRODUCT] = { .name = "product" },
		[U_SERIAL] = { .name = "serial" },
		[U_INTERFACE] = { .name = "interface" },
	};
	char field[CYL_YW_PATH_SIZE], q[CYL_QUOTE_SIZE];
	unsigned int *ids[] = { &m->vendor, &m->product };
	unsigned int iface;
	size_t i;
	int ret;

	if ((ret = cyl_yw_get_fields(&c->yw, node, path, f, U_N, NULL, NULL)) != 0)
		return ret;
	for (i = U_VENDOR; i <= U_PRODUCT; i++) {
		const yaml_node_t *v = f[i].val;

		if (!v)
			return cyl_yw_fail(&c->yw, node->start_mark, "%s: missing key \"%s\"",
				    path, f[i].name);
		cyl_yw_sub(field, sizeof(field), path, f[i].name);
		if ((ret = cyl_yw_expect_scalar(&c->yw, v, field)) != 0)
			return ret;
		if (!cyl_yw_parse_hex((const char *)v->data.scalar.value,
			       v->data.scalar.length, 4, ids[i]))
			return cyl_yw_fail(&c->yw, v->start_mark,
				    "%s: expected 4 hex digits, got %s",
				    field, CYL_YW_QUOTE(q, v));
	}
	if (f[U_SERIAL].val) {
		const yaml_node_t *v = f[U_SERIAL].val;
		const unsigned char *s = v->data.scalar.value;
		size_t len;
		bool ok;

		cyl_yw_sub(field, sizeof(field), path, "serial");
		if ((ret = cyl_yw_expect_scalar(&c->yw, v, field)) != 0)
			return ret;
		len = v->data.scalar.length;
		ok = len >= 1 && len <= CYL_POLICY_USB_SERIAL_MAX;
		for (i = 0; ok && i < len; i++)
			ok = s[i] >= 0x20 && s[i] != 0x7f;
		if (!ok)
			return cyl_yw_fail(&c->yw, v->start_mark,
				    "%s: expected 1..%d printable characters, got %s",
				    field, CYL_POLICY_USB_SERIAL_MAX,
				    CYL_YW_QUOTE(q, v));
		memcpy(m->serial, s, len);
		m->has_serial = true;
	}
	m->interface = -1;
	if (f[U_INTERFACE].val) {
		cyl_yw_sub(field, sizeof(field), path, "interface");
		if ((ret = cyl_yw_get_uint(&c->yw, f[U_INTERFACE].val, field, 0, 255,
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
			return cyl_yw_fail(&c->yw, node->start_mark,
				    "%s: the same match as device \"%s\"",
				    path, o->name);
	}
	return 0;
}

static int parse_raw(struct ctx *c, yaml_node_t *node, const char *path,
		     struct cyl_serial_cfg *cfg)
{
	enum { R_SIZE, R_GAP_MS, R_N };
	struct cyl_yw_field f[R_N] = {
		[R_SIZE] = { .name = "size" },
		[R_GAP_MS] = { .name = "gap_ms" },
	};
	char field[CYL_YW_PATH_SIZE];
	unsigned int x;
	int ret;

	if ((ret = cyl_yw_get_fields(&c->yw, node, path, f, R_N, NULL, NULL)) != 0)
		return ret;
	if (f[R_SIZE].key && f[R_GAP_MS].key)
		return cyl_yw_fail(&c->yw, cyl_yw_second(f[R_SIZE].key, f[R_GAP_MS].key)->start_mark,
			    "%s: give one of \"size\" and \"gap_ms\", not both",
			    path);
	if (f[R_SIZE].val) {
		cyl_yw_sub(field, sizeof(field), path, "size");
		if ((ret = cyl_yw_get_uint(&c->yw, f[R_SIZE].val, field, 1,
				    CYL_FRAME_LEN_MAX, &x)) != 0)
			return ret;
		if (x > cfg->max_len)
			return cyl_yw_fail(&c->yw, f[R_SIZE].val->start_mark,
				    "%s: %u is more than max_len %u",
				    field, x, cfg->max_len);
		cfg->raw_size = x;
		cfg->raw_gap_us = 0;
	} else if (f[R_GAP_MS].val) {
		cyl_yw_sub(field, sizeof(field), path, "gap_ms");
		if ((ret = cyl_yw_get_uint(&c->yw, f[R_GAP_MS].val, field, 1,
				    CYL_POLICY_RAW_GAP_MS_MAX, &x)) != 0)
			return ret;
		cfg->raw_gap_us = x * 1000;
	} else {
		return cyl_yw_fail(&c->yw, node->start_mark,
			    "%s: expected one of \"size\" or \"gap_ms\"", path);
	}
	return 0;
}

static int parse_allow(struct ctx *c, yaml_node_t *node, const char *path,
		       struct cyl_write_allow *a)
{
	enum { A_PREFIX, A_CONTROL, A_N };
	struct cyl_yw_field f[A_N] = {
		[A_PREFIX] = { .name = "prefix" },
		[A_CONTROL] = { .name = "control" },
	};
	char field[CYL_YW_PATH_SIZE], q[CYL_QUOTE_SIZE];
	const yaml_node_t *v;
	size_t i, len;
	int ret;

	if ((ret = cyl_yw_get_fields(&c->yw, node, path, f, A_N, NULL, NULL)) != 0)
		return ret;
	if (f[A_PREFIX].key && f[A_CONTROL].key)
		return cyl_yw_fail(&c->yw, cyl_yw_second(f[A_PREFIX].key, f[A_CONTROL].key)->start_mark,
			    "%s: give one of \"prefix\" and \"control\", not both",
			    path);
	if ((v = f[A_PREFIX].val)) {
		bool ok;

		cyl_yw_sub(field, sizeof(field), path, "prefix");
		if ((ret = cyl_yw_expect_scalar(&c->yw, v, field)) != 0)
			return ret;
		len = v->data.scalar.length;
		ok = len >= 1 && len <= CYL_ALLOW_PREFIX_MAX;
		for (i = 0; ok && i < len; i++)
			ok = v->data.scalar.value[i] < 0x80;
		if (!ok)
			return cyl_yw_fail(&c->yw, v->start_mark,
				    "%s: expected 1..%d ASCII bytes, got %s",
				    field, CYL_ALLOW_PREFIX_MAX, CYL_YW_QUOTE(q, v));
		a->kind = CYL_ALLOW_PREFIX;
		a->len = len;
		memcpy(a->bytes, v->data.scalar.value, len);
	} else if ((v = f[A_CONTROL].val)) {
		cyl_yw_sub(field, sizeof(field), path, "control");
		if ((ret = cyl_yw_expect_scalar(&c->yw, v, field)) != 0)
			return ret;
		if (!control_byte(v, &a->bytes[0]))
			return cyl_yw_fail(&c->yw, v->start_mark, "%s: expected %s, got %s",
				    field, CONTROL_EXPECTED, CYL_YW_QUOTE(q, v));
		a->kind = CYL_ALLOW_CONTROL;
		a->len = 1;
	} else {
		return cyl_yw_fail(&c->yw, node->start_mark,
			    "%s: expected one of \"prefix\" or \"control\"", path);
	}
	return 0;
}

enum write_mode { MODE_ALLOWLIST, MODE_READ_ONLY, MODE_OPEN };

static int parse_allow_list(struct ctx *c, yaml_node_t *node, const char *path,
			    struct cyl_policy_device *dev)
{
	char entry[CYL_YW_PATH_SIZE];
	size_t i, n;
	int ret;

	if (node->type != YAML_SEQUENCE_NODE)
		return cyl_yw_fail(&c->yw, node->start_mark, "%s: expected a sequence, got %s",
			    path, cyl_yw_kind(node));
	n = node->data.sequence.items.top - node->data.sequence.items.start;
	if (n > CYL_ALLOW_MAX)
		return cyl_yw_fail(&c->yw, node->start_mark,
			    "%s: %zu entries, at most %d are supported",
			    path, n, CYL_ALLOW_MAX);
	for (i = 0; i < n; i++) {
		yaml_node_t *item = cyl_yw_node_at(&c->yw, node->data.sequence.items.start[i]);

		if (!item)
			return cyl_yw_fail(&c->yw, node->start_mark, "%s: malformed sequence",
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
	struct cyl_yw_field f[W_N] = {
		[W_MODE] = { .name = "mode" },
		[W_ALLOW] = { .name = "allow" },
		[W_RATE] = { .name = "rate" },
		[W_BURST] = { .name = "burst" },
	};
	struct cyl_serial_cfg *cfg = &dev->serial;
	unsigned int mode = MODE_ALLOWLIST, rate = 0, burst;
	char field[CYL_YW_PATH_SIZE];
	size_t i;
	int ret;

	if ((ret = cyl_yw_get_fields(&c->yw, node, path, f, W_N, NULL, NULL)) != 0)
		return ret;
	if (f[W_MODE].val) {
		cyl_yw_sub(field, sizeof(field), path, "mode");
		if ((ret = cyl_yw_get_choice(&c->yw, f[W_MODE].val, field, modes,
				      "allowlist, read_only or open", &mode)) != 0)
			return ret;
	}
	for (i = W_ALLOW; i < W_N; i++) {
		if (mode == MODE_READ_ONLY && f[i].key)
			return cyl_yw_fail(&c->yw, f[i].key->start_mark,
				    "%s.%s: not with mode read_only, which "
				    "refuses every write", path, f[i].name);
	}
	if (mode == MODE_OPEN && f[W_ALLOW].key)
		return cyl_yw_fail(&c->yw, f[W_ALLOW].key->start_mark,
			    "%s.allow: only with mode allowlist, not open", path);
	cfg->read_only = mode == MODE_READ_ONLY;
	cfg->write_check = mode == MODE_ALLOWLIST;

	if (f[W_ALLOW].val &&
	    (ret = parse_allow_list(c, f[W_ALLOW].val,
				    cyl_yw_sub(field, sizeof(field), path, "allow"),
				    dev)) != 0)
		return ret;

	if (f[W_RATE].val) {
		cyl_yw_sub(field, sizeof(field), path, "rate");
		if ((ret = cyl_yw_get_uint(&c->yw, f[W_RATE].val, field, 0,
				    CYL_POLICY_WRITE_RATE_MAX, &rate)) != 0)
			return ret;
	}
	burst = rate;
	if (f[W_BURST].val) {
		cyl_yw_sub(field, sizeof(field), path, "burst");
		if (!rate)
			return cyl_yw_fail(&c->yw, f[W_BURST].key->start_mark,
				    "%s: only with a rate above 0", field);
		if ((ret = cyl_yw_get_uint(&c->yw, f[W_BURST].val, field, 1,
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
	D_WRITE, D_CRITICAL,
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

	if ((ret = cyl_yw_expect_scalar(&c->yw, v, path)) != 0)
		return ret;
	if (v->data.scalar.length == 1)
		cfg->delimiter = v->data.scalar.value[0];
	else if (!control_byte(v, &cfg->delimiter))
		return cyl_yw_fail(&c->yw, v->start_mark,
			    "%s: expected one byte (\"\\n\", \";\"), "
			    "a name (LF, CR, ETX...) or 0xNN, got %s",
			    path, CYL_YW_QUOTE(q, v));
	return 0;
}

/* The serial guard keys of a device, into dev->serial and dev->allow. */
static int parse_serial(struct ctx *c, const char *path, const struct cyl_yw_field *f,
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
	char field[CYL_YW_PATH_SIZE];
	bool b = false;
	int ret;

	if (f[D_FRAMING].val) {
		cyl_yw_sub(field, sizeof(field), path, "framing");
		if ((ret = cyl_yw_get_choice(&c->yw, f[D_FRAMING].val, field, framings,
				      "raw, lines, astm or mllp", &x)) != 0)
			return ret;
	}
	cfg->framing = x;
	cfg->max_len = default_max_len[x];
	if (f[D_MAX_LEN].val) {
		cyl_yw_sub(field, sizeof(field), path, "max_len");
		if ((ret = cyl_yw_get_uint(&c->yw, f[D_MAX_LEN].val, field,
				    CYL_FRAME_LEN_MIN, CYL_FRAME_LEN_MAX,
				    &cfg->max_len)) != 0)
			return ret;
	}

	if (f[D_DELIMITER].key && cfg->framing != CYL_FRAMING_LINES)
		return cyl_yw_fail(&c->yw, f[D_DELIMITER].key->start_mark,
			    "%s.delimiter: only with framing lines, not %s",
			    path, framings[cfg->framing]);
	if (cfg->framing == CYL_FRAMING_LINES)
		cfg->delimiter = '\n';
	if (f[D_DELIMITER].val &&
	    (ret = parse_delimiter(c, f[D_DELIMITER].val,
				   cyl_yw_sub(field, sizeof(field), path, "delimiter"),
				   cfg)) != 0)
		return ret;

	if (f[D_RAW].key && cfg->framing != CYL_FRAMING_RAW)
		return cyl_yw_fail(&c->yw, f[D_RAW].key->start_mark,
			    "%s.raw: only with framing raw, not %s",
			    path, framings[cfg->framing]);
	if (cfg->framing == CYL_FRAMING_RAW)
		cfg->raw_gap_us = CYL_POLICY_RAW_GAP_MS_DEFAULT * 1000;
	if (f[D_RAW].val &&
	    (ret = parse_raw(c, f[D_RAW].val,
			     cyl_yw_sub(field, sizeof(field), path, "raw"), cfg)) != 0)
		return ret;

	x = CYL_BAD_FRAME_PASS;
	if (f[D_ON_BAD_FRAME].val) {
		cyl_yw_sub(field, sizeof(field), path, "on_bad_frame");
		if ((ret = cyl_yw_get_choice(&c->yw, f[D_ON_BAD_FRAME].val, field,
				      bad_frame, "pass or drop", &x)) != 0)
			return ret;
	}
	cfg->on_bad_frame = x;

	if (f[D_INSPECT].val &&
	    (ret = cyl_yw_get_bool(&c->yw, f[D_INSPECT].val,
			    cyl_yw_sub(field, sizeof(field), path, "inspect"), &b)) != 0)
		return ret;
	cfg->inspect = b;

	/* No "write": mode allowlist with no entries, every write refused. */
	cfg->write_check = 1;
	if (f[D_WRITE].val &&
	    (ret = parse_write(c, f[D_WRITE].val,
			       cyl_yw_sub(field, sizeof(field), path, "write"),
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

	if ((ret = cyl_yw_expect_scalar(&c->yw, tty, field)) != 0)
		return ret;
	if (!valid_tty(cyl_yw_scalar_str(tty), tty->data.scalar.length))
		return cyl_yw_fail(&c->yw, tty->start_mark,
			    "%s: expected an absolute path under /dev, got %s",
			    field, CYL_YW_QUOTE(q, tty));
	for (i = 0; i < idx; i++) {
		if (c->out->devices[i].tty[0] &&
		    !strcmp(c->out->devices[i].tty, cyl_yw_scalar_str(tty)))
			return cyl_yw_fail(&c->yw, tty->start_mark,
				    "%s: %s already used by device \"%s\"",
				    field, CYL_YW_QUOTE(q, tty),
				    c->out->devices[i].name);
	}
	/* The length was checked above; the copy cannot truncate. */
	memcpy(dev->tty, tty->data.scalar.value, tty->data.scalar.length);
	return 0;
}

static int parse_device(struct ctx *c, size_t idx, yaml_node_t *node)
{
	struct cyl_yw_field f[D_N] = {
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
		[D_CRITICAL] = { .name = "critical" },
	};
	struct cyl_policy_device *dev = &c->out->devices[idx];
	char path[CYL_YW_PATH_SIZE], field[CYL_YW_PATH_SIZE], q[CYL_QUOTE_SIZE];
	yaml_node_t *name;
	size_t i;
	int ret;

	snprintf(path, sizeof(path), "devices[%zu]", idx);
	if ((ret = cyl_yw_get_fields(&c->yw, node, path, f, D_N, planned_device_keys,
			      retired_device_keys)) != 0)
		return ret;
	if (!(name = f[D_NAME].val))
		return cyl_yw_fail(&c->yw, node->start_mark, "%s: missing key \"name\"", path);
	if (!f[D_TTY].key && !f[D_USB].key)
		return cyl_yw_fail(&c->yw, node->start_mark,
			    "%s: missing key \"tty\" or \"usb\"", path);
	if (f[D_TTY].key && f[D_USB].key)
		return cyl_yw_fail(&c->yw, cyl_yw_second(f[D_TTY].key, f[D_USB].key)->start_mark,
			    "%s: give one of \"tty\" and \"usb\", not both", path);

	cyl_yw_sub(field, sizeof(field), path, "name");
	if ((ret = cyl_yw_expect_scalar(&c->yw, name, field)) != 0)
		return ret;
	if (!valid_name(cyl_yw_scalar_str(name), name->data.scalar.length))
		return cyl_yw_fail(&c->yw, name->start_mark,
			    "%s: expected [a-z0-9._-]{1,32}, got %s",
			    field, CYL_YW_QUOTE(q, name));
	for (i = 0; i < idx; i++) {
		if (!strcmp(c->out->devices[i].name, cyl_yw_scalar_str(name)))
			return cyl_yw_fail(&c->yw, name->start_mark,
				    "%s: duplicate device name %s (first on line %u)",
				    field, CYL_YW_QUOTE(q, name),
				    c->out->devices[i].line);
	}
	/* The length was checked above; the copy cannot truncate. */
	memcpy(dev->name, name->data.scalar.value, name->data.scalar.length);
	dev->line = node->start_mark.line + 1;

	if (f[D_TTY].val)
		ret = parse_tty(c, idx, f[D_TTY].val,
				cyl_yw_sub(field, sizeof(field), path, "tty"), dev);
	else
		ret = parse_usb(c, idx, f[D_USB].val,
				cyl_yw_sub(field, sizeof(field), path, "usb"), &dev->usb);
	if (ret)
		return ret;

	if (f[D_CRITICAL].val &&
	    (ret = cyl_yw_get_bool(&c->yw, f[D_CRITICAL].val,
			    cyl_yw_sub(field, sizeof(field), path, "critical"),
			    &dev->critical)) != 0)
		return ret;
	return parse_serial(c, path, f, dev);
}

static int parse_devices(struct ctx *c, yaml_node_t *node)
{
	size_t n, i;
	int ret;

	if (node->type != YAML_SEQUENCE_NODE)
		return cyl_yw_fail(&c->yw, node->start_mark,
			    "devices: expected a sequence, got %s", cyl_yw_kind(node));
	n = node->data.sequence.items.top - node->data.sequence.items.start;
	if (n > CYL_POLICY_MAX_DEVICES)
		return cyl_yw_fail(&c->yw, node->start_mark,
			    "devices: %zu devices, at most %d are supported",
			    n, CYL_POLICY_MAX_DEVICES);
	if (!n)
		return 0;
	c->out->devices = calloc(n, sizeof(*c->out->devices));
	if (!c->out->devices)
		return cyl_yw_fail_nopos(c->yw.err, c->yw.name, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		yaml_node_t *item = cyl_yw_node_at(&c->yw, node->data.sequence.items.start[i]);

		if (!item)
			return cyl_yw_fail(&c->yw, node->start_mark, "devices: malformed sequence");
		if ((ret = parse_device(c, i, item)) != 0)
			return ret;
		c->out->n_devices = i + 1;
	}
	return 0;
}

static int parse_usb_rule(struct ctx *c, yaml_node_t *v, const char *path,
			  struct cyl_policy_usb_rule *out)
{
	struct cyl_usb_rule_error rerr;
	const char *text;
	yaml_mark_t m;
	bool exact;
	int ret;

	if ((ret = cyl_yw_expect_scalar(&c->yw, v, path)) != 0)
		return ret;
	text = cyl_yw_scalar_str(v);
	if (!text)
		return cyl_yw_fail(&c->yw, v->start_mark, "%s: a rule may not contain a NUL byte",
			    path);
	ret = cyl_usb_rule_parse(text, v->data.scalar.length, &out->rule, &rerr);
	if (ret == -ENOMEM)
		return cyl_yw_fail_nopos(c->yw.err, c->yw.name, ret, "out of memory");
	if (ret) {
		m = cyl_yw_scalar_mark(v, rerr.offset, &exact);
		if (exact)
			return cyl_yw_fail(&c->yw, m, "%s: %s", path, rerr.text);
		return cyl_yw_fail(&c->yw, m, "%s: at byte %zu of the rule: %s", path,
			    rerr.offset + 1, rerr.text);
	}
	out->text = strdup(text);
	if (!out->text) {
		cyl_usb_rule_free(&out->rule);
		return cyl_yw_fail_nopos(c->yw.err, c->yw.name, -ENOMEM, "out of memory");
	}
	out->line = v->start_mark.line + 1;
	out->column = v->start_mark.column + 1;
	return 0;
}

static int parse_usb_rules(struct ctx *c, yaml_node_t *node,
			   struct cyl_policy_usb *usb)
{
	char path[CYL_YW_PATH_SIZE];
	size_t n, i;
	int ret;

	if (node->type != YAML_SEQUENCE_NODE)
		return cyl_yw_fail(&c->yw, node->start_mark,
			    "usb.rules: expected a sequence, got %s", cyl_yw_kind(node));
	n = node->data.sequence.items.top - node->data.sequence.items.start;
	if (n > CYL_POLICY_USB_MAX_RULES)
		return cyl_yw_fail(&c->yw, node->start_mark,
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
		return cyl_yw_fail_nopos(c->yw.err, c->yw.name, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		yaml_node_t *item = cyl_yw_node_at(&c->yw, node->data.sequence.items.start[i]);

		if (!item)
			return cyl_yw_fail(&c->yw, node->start_mark, "usb.rules: malformed sequence");
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
	struct cyl_yw_field f[S_N] = {
		[S_PRESENT] = { .name = "present_devices" },
		[S_IMPLICIT] = { .name = "implicit_target" },
		[S_RULES] = { .name = "rules" },
	};
	static const char *const implicit_names[] = { "block", "reject", NULL };
	struct cyl_policy_usb *usb = &c->out->usb;
	unsigned int x;
	int ret;

	if ((ret = cyl_yw_get_fields(&c->yw, node, "usb", f, S_N, NULL, NULL)) != 0)
		return ret;
	usb->set = true;
	usb->present = CYL_USB_PRESENT_APPLY;
	usb->implicit = CYL_USB_BLOCK;
	if (f[S_PRESENT].val) {
		ret = cyl_yw_get_choice(&c->yw, f[S_PRESENT].val, "usb.present_devices",
				 usb_present_names,
				 "apply-policy, keep or block", &x);
		if (ret)
			return ret;
		usb->present = x;
	}
	if (f[S_IMPLICIT].val) {
		ret = cyl_yw_get_choice(&c->yw, f[S_IMPLICIT].val, "usb.implicit_target",
				 implicit_names, "block or reject", &x);
		if (ret)
			return ret;
		usb->implicit = x ? CYL_USB_REJECT : CYL_USB_BLOCK;
	}
	if (f[S_RULES].val)
		return parse_usb_rules(c, f[S_RULES].val, usb);
	return 0;
}

/* A list of names or patterns of the mender section, into @l. */
static int parse_mender_list(struct ctx *c, yaml_node_t *node,
			     const char *path, struct cyl_policy_list *l)
{
	char field[CYL_YW_PATH_SIZE], q[CYL_QUOTE_SIZE];
	yaml_node_t *item;
	const char *s;
	size_t n, i;
	int ret;

	if (node->type != YAML_SEQUENCE_NODE)
		return cyl_yw_fail(&c->yw, node->start_mark,
			    "%s: expected a sequence, got %s", path, cyl_yw_kind(node));
	n = node->data.sequence.items.top - node->data.sequence.items.start;
	if (n > CYL_POLICY_MENDER_LIST_MAX)
		return cyl_yw_fail(&c->yw, node->start_mark,
			    "%s: %zu entries, at most %d are supported",
			    path, n, CYL_POLICY_MENDER_LIST_MAX);
	l->set = true;
	if (!n)
		return 0;
	l->items = calloc(n, sizeof(*l->items));
	if (!l->items)
		return cyl_yw_fail_nopos(c->yw.err, c->yw.name, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		item = cyl_yw_node_at(&c->yw, node->data.sequence.items.start[i]);
		if (!item)
			return cyl_yw_fail(&c->yw, node->start_mark,
				    "%s: malformed sequence", path);
		snprintf(field, sizeof(field), "%s[%zu]", path, i);
		if ((ret = cyl_yw_expect_scalar(&c->yw, item, field)) != 0)
			return ret;
		s = cyl_yw_scalar_str(item);
		if (!s || !item->data.scalar.length ||
		    item->data.scalar.length > CYL_POLICY_MENDER_NAME_MAX)
			return cyl_yw_fail(&c->yw, item->start_mark,
				    "%s: expected 1 to %d bytes without NUL, got %s",
				    field, CYL_POLICY_MENDER_NAME_MAX,
				    CYL_YW_QUOTE(q, item));
		l->items[i] = strdup(s);
		if (!l->items[i])
			return cyl_yw_fail_nopos(c->yw.err, c->yw.name, -ENOMEM,
					  "out of memory");
		l->n = i + 1;
	}
	return 0;
}

static int parse_mender_section(struct ctx *c, yaml_node_t *node)
{
	enum { M_WINDOW, M_ARTIFACTS, M_GROUPS, M_TYPES, M_N };
	struct cyl_yw_field f[M_N] = {
		[M_WINDOW] = { .name = "session_window_s" },
		[M_ARTIFACTS] = { .name = "allowed_artifacts" },
		[M_GROUPS] = { .name = "allowed_groups" },
		[M_TYPES] = { .name = "allowed_device_types" },
	};
	struct cyl_policy_mender *m = &c->out->mender;
	int ret;

	if ((ret = cyl_yw_get_fields(&c->yw, node, "mender", f, M_N, NULL, NULL)) != 0)
		return ret;
	m->set = true;
	if (f[M_WINDOW].val &&
	    (ret = cyl_yw_get_uint(&c->yw, f[M_WINDOW].val, "mender.session_window_s",
				   1, CYL_POLICY_SESSION_WINDOW_MAX,
				   &m->session_window_s)) != 0)
		return ret;
	if (f[M_ARTIFACTS].val &&
	    (ret = parse_mender_list(c, f[M_ARTIFACTS].val,
				     "mender.allowed_artifacts", &m->artifacts)) != 0)
		return ret;
	if (f[M_GROUPS].val &&
	    (ret = parse_mender_list(c, f[M_GROUPS].val,
				     "mender.allowed_groups", &m->groups)) != 0)
		return ret;
	if (f[M_TYPES].val &&
	    (ret = parse_mender_list(c, f[M_TYPES].val,
				     "mender.allowed_device_types", &m->device_types)) != 0)
		return ret;
	return 0;
}

static void list_free(struct cyl_policy_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
}

static int parse_version(struct ctx *c, yaml_node_t *node)
{
	char q[CYL_QUOTE_SIZE];
	int ret;

	if ((ret = cyl_yw_expect_scalar(&c->yw, node, "version")) != 0)
		return ret;
	if (!cyl_yw_scalar_is(node, "1"))
		return cyl_yw_fail(&c->yw, node->start_mark,
			    "version: unsupported version %s, expected %d",
			    CYL_YW_QUOTE(q, node), CYL_POLICY_VERSION);
	c->out->version = CYL_POLICY_VERSION;
	return 0;
}

static int parse_root(struct ctx *c, yaml_node_t *root)
{
	yaml_node_t *version = NULL, *devices = NULL, *usb = NULL, *risk = NULL;
	yaml_node_t *mender = NULL, *ssi = NULL;
	yaml_node_pair_t *pair;
	char q[CYL_QUOTE_SIZE];
	int ret;

	if (root->type != YAML_MAPPING_NODE)
		return cyl_yw_fail(&c->yw, root->start_mark,
			    "expected a mapping at the top level, got %s",
			    cyl_yw_kind(root));

	for (pair = root->data.mapping.pairs.start;
	     pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = cyl_yw_node_at(&c->yw, pair->key);
		yaml_node_t *val = cyl_yw_node_at(&c->yw, pair->value);
		const struct cyl_yw_planned *planned;
		yaml_node_t **slot;

		if (!key || !val)
			return cyl_yw_fail(&c->yw, root->start_mark, "malformed mapping");
		if (key->type != YAML_SCALAR_NODE)
			return cyl_yw_fail(&c->yw, key->start_mark,
				    "expected a scalar key, got %s", cyl_yw_kind(key));
		if (cyl_yw_scalar_is(key, "version"))
			slot = &version;
		else if (cyl_yw_scalar_is(key, "devices"))
			slot = &devices;
		else if (cyl_yw_scalar_is(key, "usb"))
			slot = &usb;
		else if (cyl_yw_scalar_is(key, "risk"))
			slot = &risk;
		else if (cyl_yw_scalar_is(key, "mender"))
			slot = &mender;
		else if (cyl_yw_scalar_is(key, "ssi"))
			slot = &ssi;
		else if ((planned = cyl_yw_planned_find(planned_sections, key)))
			return cyl_yw_fail(&c->yw, key->start_mark,
				    "%s: not supported by this build yet (arrives with %s)",
				    planned->key, planned->arrives_with);
		else
			return cyl_yw_fail(&c->yw, key->start_mark,
				    "unknown top-level section %s",
				    CYL_YW_QUOTE(q, key));
		if (*slot)
			return cyl_yw_fail(&c->yw, key->start_mark, "duplicate key %s",
				    CYL_YW_QUOTE(q, key));
		*slot = val;
	}
	if (!version)
		return cyl_yw_fail(&c->yw, root->start_mark, "missing key \"version\"");
	if ((ret = parse_version(c, version)) != 0)
		return ret;
	if (devices && (ret = parse_devices(c, devices)) != 0)
		return ret;
	if (usb && (ret = parse_usb_section(c, usb)) != 0)
		return ret;
	if (mender && (ret = parse_mender_section(c, mender)) != 0)
		return ret;
	if (ssi && (ret = cyl_policy_ssi_parse(&c->yw, ssi, &c->out->ssi)) != 0)
		return ret;
	/* The entries of a "register" file are the caller's to load. */
	if (risk && (ret = cyl_risk_register_parse(&c->yw, risk, "risk",
						   &c->out->risk)) != 0)
		return ret;
	return 0;
}


int cyl_policy_parse(const char *name, const char *buf, size_t len,
		     struct cyl_policy *out, struct cyl_policy_error *err)
{
	struct ctx c = { .yw = { .name = name, .err = err }, .out = out };
	yaml_document_t doc, extra;
	bool have_doc = false;
	yaml_parser_t parser;
	yaml_node_t *root;
	int ret;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	out->mender.session_window_s = CYL_POLICY_SESSION_WINDOW_DEFAULT;
	if (len > CYL_POLICY_MAX_SIZE)
		return cyl_yw_fail_nopos(err, name, -EFBIG,
				  "policy is larger than 1 MiB (%zu bytes)", len);
	if (!yaml_parser_initialize(&parser))
		return cyl_yw_fail_nopos(err, name, -ENOMEM, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);

	ret = -EINVAL;
	if (!yaml_parser_load(&parser, &doc)) {
		ret = cyl_yw_syntax_error(&c.yw, &parser);
		goto out;
	}
	have_doc = true;
	c.yw.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		ret = cyl_yw_fail_nopos(err, name, -EINVAL, "policy is empty");
		goto out;
	}

	/* A second document would be silently ignored: refuse it. */
	if (!yaml_parser_load(&parser, &extra)) {
		ret = cyl_yw_syntax_error(&c.yw, &parser);
		goto out;
	}
	root = yaml_document_get_root_node(&extra);
	if (root)
		ret = cyl_yw_fail(&c.yw, root->start_mark,
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
		return cyl_yw_fail_nopos(err, path, ret, "policy is larger than 1 MiB");
	if (ret)
		return cyl_yw_fail_nopos(err, path, ret, "cannot read: %s", strerror(-ret));
	ret = cyl_policy_parse(path, buf, len, out, err);
	free(buf);
	if (!ret)
		ret = cyl_policy_load_references(out, err);
	if (ret)
		cyl_policy_free(out);
	return ret;
}

int cyl_policy_load_references(struct cyl_policy *p,
			       struct cyl_policy_error *err)
{
	if (p->risk.set && p->risk.path)
		return cyl_risk_register_load_file(&p->risk, p->risk.path, err);
	return 0;
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
	cyl_risk_register_free(&policy->risk);
	list_free(&policy->mender.artifacts);
	list_free(&policy->mender.groups);
	list_free(&policy->mender.device_types);
	cyl_policy_ssi_free(&policy->ssi);
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
