// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the USB rule language: any input gives a rule
 * or an error, never a crash or a leak.  A rule is written back and
 * must read back to the same canonical text; a device built from the
 * rule and the input bytes is matched against it, the verdict checked
 * against the interfaces it authorizes, and the rule written for that
 * device must read back and match it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "usb/rule.c"
#include "util/quote.c"

#define check(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

/* The input again, as a source of bytes for the device; 0 when empty. */
struct src {
	const uint8_t *p;
	size_t n, i;
};

static uint8_t next(struct src *s)
{
	return s->n ? s->p[s->i++ % s->n] : 0;
}

/* Often one of the rule's values, else bytes of the input. */
static void make_str(struct src *s, const struct cyl_usb_strset *set,
		     char *out, size_t size)
{
	size_t len, i;

	if (set->set && set->n && next(s) & 3) {
		strcpy(out, set->v[next(s) % set->n]);
		return;
	}
	len = next(s) % 16;
	for (i = 0; i < len && i + 1 < size; i++)
		out[i] = next(s) | 1;	/* no NUL */
	out[i] = '\0';
}

/* A wildcard field of a pattern becomes any value. */
static int16_t field(struct src *s, int32_t pattern)
{
	return pattern < 0 ? next(s) : pattern;
}

static void make_device(struct src *s, const struct cyl_usb_rule *r,
			struct cyl_usb_device *d, char strs[4][CYL_USB_STR_MAX + 1])
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	memset(d, 0, sizeof(*d));
	d->vendor = next(s) << 8 | next(s);
	d->product = next(s) << 8 | next(s);
	if (r->has_id && r->n_id && next(s) & 3) {
		struct cyl_usb_id id = r->id[next(s) % r->n_id];

		d->vendor = id.vendor < 0 ? d->vendor : id.vendor;
		d->product = id.product < 0 ? d->product : id.product;
	}
	make_str(s, &r->serial, strs[0], CYL_USB_STR_MAX + 1);
	make_str(s, &r->name, strs[1], CYL_USB_STR_MAX + 1);
	make_str(s, &r->port, strs[2], CYL_USB_STR_MAX + 1);
	if (r->hash.set && next(s) & 3) {
		strcpy(strs[3], r->hash.v[next(s) % r->hash.n]);
	} else {
		for (i = 0; i < CYL_USB_HASH_HEX; i++)
			strs[3][i] = hex[next(s) & 15];
		strs[3][i] = '\0';
	}
	d->serial = strs[0];
	d->name = strs[1];
	d->port = strs[2];
	d->hash = strs[3];

	d->n_ifaces = next(s) % 8;
	for (i = 0; i < d->n_ifaces; i++) {
		struct cyl_usb_iface p = { -1, -1, -1 };

		if (r->has_iface && r->n_iface && next(s) & 3)
			p = r->iface[next(s) % r->n_iface];
		d->ifaces[i].cls = field(s, p.cls);
		d->ifaces[i].subcls = field(s, p.subcls);
		d->ifaces[i].proto = field(s, p.proto);
	}
}

/* Canonical text is printable ASCII: safe in YAML and in logs. */
static void check_printable(const char *text)
{
	for (; *text; text++)
		check(*text >= 0x20 && *text < 0x7f);
}

/* The interfaces a matching rule authorizes agree with its operator. */
static void check_verdict(const struct cyl_usb_rule *r,
			  const struct cyl_usb_device *d)
{
	size_t allowed = 0, i;

	if (!cyl_usb_rule_matches(r, d))
		return;
	for (i = 0; i < d->n_ifaces; i++)
		allowed += cyl_usb_rule_iface_allowed(r, d->ifaces[i]);
	if (!r->has_iface || r->iface_op == CYL_USB_OP_EQUALS ||
	    r->iface_op == CYL_USB_OP_MATCH_ALL ||
	    r->iface_op == CYL_USB_OP_NONE_OF)
		check(allowed == d->n_ifaces);
	else if (r->iface_op == CYL_USB_OP_ONE_OF)
		check(allowed > 0);
	if (r->has_iface && (r->iface_op == CYL_USB_OP_EQUALS ||
			     r->iface_op == CYL_USB_OP_MATCH_ALL))
		check(d->n_ifaces > 0);
}

/* The rule written for @d reads back, canonical, matching @d. */
static void check_for_device(struct src *s, const struct cyl_usb_device *d)
{
	static char text[4096], again[4096];
	struct cyl_usb_rule_error err;
	struct cyl_usb_rule r;
	size_t n, i;

	n = cyl_usb_rule_for_device(d, next(s) % 3, next(s) & 15, text,
				    sizeof(text));
	check(n < sizeof(text) && strlen(text) == n);
	check_printable(text);
	if (n > CYL_USB_RULE_TEXT_MAX)
		return;
	check(!cyl_usb_rule_parse(text, n, &r, &err));
	cyl_usb_rule_format(&r, again, sizeof(again));
	check(!strcmp(text, again));
	check(cyl_usb_rule_matches(&r, d));
	for (i = 0; i < d->n_ifaces; i++)
		check(cyl_usb_rule_iface_allowed(&r, d->ifaces[i]));
	cyl_usb_rule_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[4096], again[4096];
	static char strs[4][CYL_USB_STR_MAX + 1];
	static const struct cyl_usb_rule zero;
	struct cyl_usb_rule_error err;
	struct cyl_usb_rule rule, back;
	struct cyl_usb_device dev;
	struct src s = { data, size, 0 };
	size_t n;

	if (cyl_usb_rule_parse((const char *)data, size, &rule, &err)) {
		/* A terminated message, a place in the text, nothing kept. */
		check(err.text[0]);
		check(strnlen(err.text, sizeof(err.text)) < sizeof(err.text));
		check(err.offset <= size);
		check(!memcmp(&rule, &zero, sizeof(rule)));
		return 0;
	}

	n = cyl_usb_rule_format(&rule, text, sizeof(text));
	check(n <= CYL_USB_RULE_TEXT_MAX && strlen(text) == n);
	check_printable(text);
	check(!cyl_usb_rule_parse(text, n, &back, &err));
	cyl_usb_rule_format(&back, again, sizeof(again));
	check(!strcmp(text, again));
	cyl_usb_rule_free(&back);

	make_device(&s, &rule, &dev, strs);
	check_verdict(&rule, &dev);
	check_for_device(&s, &dev);

	cyl_usb_rule_free(&rule);
	check(!memcmp(&rule, &zero, sizeof(rule)));
	return 0;
}
