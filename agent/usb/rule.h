/* SPDX-License-Identifier: GPL-2.0 */
/*
 * USB authorization rules: the rule language (a subset of USBGuard's,
 * Documentation/usb.md), parsing, matching a device, and writing rules
 * back as text.  Pure code, no daemon state and no I/O.
 *
 *   rule      := target { attribute }
 *   target    := allow | block | reject
 *   attribute := id IDS | serial STRS | name STRS | port STRS
 *              | via-port STRS (an alias of port) | hash STRS
 *              | with-interface IFACES
 *   X-S       := X | [operator] "{" X { X } "}"
 *   operator  := all-of | one-of | none-of | equals | match-all
 *                ("{ ... }" without an operator means equals)
 *   ID        := VVVV:PPPP | VVVV:* | *:*      (hex, any case)
 *   IFACE     := CC:SS:PP | CC:SS:* | CC:*:*   (hex, any case)
 *   STR       := "text" with \" \\ \xNN escapes (a hash is 64 hex digits)
 *
 * Each attribute at most once per rule.  Single-valued attributes (id,
 * serial, name, port, hash) against a set: equals/one-of/match-all: the
 * device's value is one of them; all-of: it matches every one; none-of:
 * it matches none.  with-interface against the device's set D of
 * distinct interface triples (all configurations and alternate
 * settings): equals (and a single bare value): every d in D matches some
 * pattern and every pattern matches some d; one-of: some d matches some
 * pattern; all-of: every pattern matches some d; none-of: no d matches
 * any pattern; match-all: every d matches some pattern (and D is not
 * empty).
 */
#ifndef CYL_USB_RULE_H
#define CYL_USB_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CYL_USB_RULE_TEXT_MAX	1024	/* bytes of one rule's text */
#define CYL_USB_SET_MAX		32	/* values in one { ... } */
#define CYL_USB_STR_MAX		255	/* bytes of one string, unescaped */
#define CYL_USB_IFACE_MAX	64	/* distinct interface triples */
#define CYL_USB_HASH_HEX	64	/* SHA-256 as lowercase hex */

enum cyl_usb_target {
	CYL_USB_ALLOW,
	CYL_USB_BLOCK,		/* stays unauthorized */
	CYL_USB_REJECT,		/* removed from the bus */
};

enum cyl_usb_op {
	CYL_USB_OP_EQUALS,
	CYL_USB_OP_ONE_OF,
	CYL_USB_OP_ALL_OF,
	CYL_USB_OP_NONE_OF,
	CYL_USB_OP_MATCH_ALL,
};

/* A vendor:product pattern; -1 is "*". */
struct cyl_usb_id {
	int32_t vendor;
	int32_t product;
};

/* An interface class triple; in a pattern -1 is "*", in a device never. */
struct cyl_usb_iface {
	int16_t cls;
	int16_t subcls;
	int16_t proto;
};

/* The values of one string attribute; v[i] is NUL-terminated, no NUL inside. */
struct cyl_usb_strset {
	bool set;		/* the rule has this attribute */
	enum cyl_usb_op op;
	size_t n;
	char *v[CYL_USB_SET_MAX];
};

struct cyl_usb_rule {
	enum cyl_usb_target target;

	bool has_id;
	enum cyl_usb_op id_op;
	size_t n_id;
	struct cyl_usb_id id[CYL_USB_SET_MAX];

	struct cyl_usb_strset serial, name, port, hash;

	bool has_iface;
	enum cyl_usb_op iface_op;
	size_t n_iface;
	struct cyl_usb_iface iface[CYL_USB_SET_MAX];
};

/* What a rule is matched against (agent/usb/sysfs.c fills it). */
struct cyl_usb_device {
	uint16_t vendor;
	uint16_t product;
	const char *serial;	/* "" when the device reports none */
	const char *name;	/* the product string, "" when none */
	const char *port;	/* sysfs name: "1-1", "3-1.2" */
	const char *hash;	/* CYL_USB_HASH_HEX lowercase hex digits */
	size_t n_ifaces;	/* distinct triples */
	struct cyl_usb_iface ifaces[CYL_USB_IFACE_MAX];
};

struct cyl_usb_rule_error {
	size_t offset;		/* byte offset into the text of the culprit */
	char text[256];		/* "unknown keyword \"alow\"", ... */
};

/*
 * Parse the rule in text[0..len).  Returns 0 with @out filled (free it
 * with cyl_usb_rule_free()), or -EINVAL with @err filled and @out empty
 * (-ENOMEM likewise).
 */
int cyl_usb_rule_parse(const char *text, size_t len, struct cyl_usb_rule *out,
		       struct cyl_usb_rule_error *err);

void cyl_usb_rule_free(struct cyl_usb_rule *rule);

/* Does @dev match every attribute of @rule? */
bool cyl_usb_rule_matches(const struct cyl_usb_rule *rule,
			  const struct cyl_usb_device *dev);

/*
 * For a device @rule allows: may its interface @t get a driver?  Every
 * interface when the rule has no with-interface; with none-of, those
 * that match none of the patterns; otherwise those that match one.
 */
bool cyl_usb_rule_iface_allowed(const struct cyl_usb_rule *rule,
				struct cyl_usb_iface t);

/*
 * The rule as canonical text (what cyl_usb_rule_parse() reads back to an
 * equal rule), snprintf-style: returns the length it needs.
 */
size_t cyl_usb_rule_format(const struct cyl_usb_rule *rule, char *buf,
			   size_t size);

/* Which attributes cyl_usb_rule_for_device() writes. */
#define CYL_USB_FOR_SERIAL	0x1	/* if the device has one */
#define CYL_USB_FOR_NAME	0x2	/* if the device has one */
#define CYL_USB_FOR_PORT	0x4
#define CYL_USB_FOR_HASH	0x8

/*
 * A rule with @target for exactly @dev: its id, the attributes in
 * @what, and "with-interface { ... }" listing all of its interfaces (so
 * it authorizes exactly those).  snprintf-style, as cyl_usb_rule_format().
 */
size_t cyl_usb_rule_for_device(const struct cyl_usb_device *dev,
			       enum cyl_usb_target target, unsigned int what,
			       char *buf, size_t size);

/* "allow", "block", "reject". */
const char *cyl_usb_target_name(enum cyl_usb_target target);

#endif /* CYL_USB_RULE_H */
