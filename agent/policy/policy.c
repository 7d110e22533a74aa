// SPDX-License-Identifier: GPL-2.0
/*
 * Policy parser: libyaml builds the node tree, we walk it against the
 * schema.  The walk has a fixed depth (root, devices, device, field), so
 * aliases, even cyclic ones, cannot make it recurse or loop.
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
	{ "usb", "USB device authorization" },
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
	{ "usb", "USB device authorization" },
	{ "framing", "the serial guard" },
	{ "on_bad_frame", "the serial guard" },
	{ "write", "the serial guard" },
	{ "record_key", "the serial guard" },
	{ "inspect", "the serial guard" },
	{ "critical", "the Mender hooks" },
	{ "network", "the network guard" },
	{ "vitals", "anomaly detection" },
	{ NULL, NULL },
};

static const struct planned *planned_find(const struct planned *tab,
					  const yaml_node_t *key)
{
	for (; tab->key; tab++) {
		if (scalar_is(key, tab->key))
			return tab;
	}
	return NULL;
}

static int parse_device(struct ctx *c, size_t idx, yaml_node_t *node)
{
	struct cyl_policy_device *dev = &c->out->devices[idx];
	yaml_node_t *name = NULL, *tty = NULL;
	char path[64], field[80], q[CYL_QUOTE_SIZE];
	yaml_node_pair_t *pair;
	size_t i;
	int ret;

	snprintf(path, sizeof(path), "devices[%zu]", idx);
	if (node->type != YAML_MAPPING_NODE)
		return fail(c, node->start_mark, "%s: expected a mapping, got %s",
			    path, kind(node));

	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = node_at(c, pair->key);
		yaml_node_t *val = node_at(c, pair->value);
		const struct planned *planned;
		yaml_node_t **slot;

		if (!key || !val)
			return fail(c, node->start_mark, "%s: malformed mapping", path);
		if (key->type != YAML_SCALAR_NODE)
			return fail(c, key->start_mark,
				    "%s: expected a scalar key, got %s",
				    path, kind(key));
		if (scalar_is(key, "name"))
			slot = &name;
		else if (scalar_is(key, "tty"))
			slot = &tty;
		else if ((planned = planned_find(planned_device_keys, key)))
			return fail(c, key->start_mark,
				    "%s.%s: not supported by this build yet (arrives with %s)",
				    path, planned->key, planned->arrives_with);
		else
			return fail(c, key->start_mark, "%s: unknown key %s",
				    path, QUOTE_NODE(q, key));
		if (*slot)
			return fail(c, key->start_mark, "%s: duplicate key %s",
				    path, QUOTE_NODE(q, key));
		*slot = val;
	}
	if (!name)
		return fail(c, node->start_mark, "%s: missing key \"name\"", path);
	if (!tty)
		return fail(c, node->start_mark, "%s: missing key \"tty\"", path);

	snprintf(field, sizeof(field), "%s.name", path);
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

	snprintf(field, sizeof(field), "%s.tty", path);
	if ((ret = expect_scalar(c, tty, field)) != 0)
		return ret;
	if (!valid_tty(scalar_str(tty), tty->data.scalar.length))
		return fail(c, tty->start_mark,
			    "%s: expected an absolute path under /dev, got %s",
			    field, QUOTE_NODE(q, tty));
	for (i = 0; i < idx; i++) {
		if (!strcmp(c->out->devices[i].tty, scalar_str(tty)))
			return fail(c, tty->start_mark,
				    "%s: %s already used by device \"%s\"",
				    field, QUOTE_NODE(q, tty),
				    c->out->devices[i].name);
	}

	/* Lengths were checked above; the copies cannot truncate. */
	memcpy(dev->name, name->data.scalar.value, name->data.scalar.length);
	memcpy(dev->tty, tty->data.scalar.value, tty->data.scalar.length);
	dev->line = node->start_mark.line + 1;
	return 0;
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
	yaml_node_t *version = NULL, *devices = NULL;
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
	if (!policy)
		return;
	free(policy->devices);
	memset(policy, 0, sizeof(*policy));
}
