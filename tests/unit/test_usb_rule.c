// SPDX-License-Identifier: GPL-2.0
/*
 * USB rule language: canonical text and round trips, every rejection
 * with its message and offset, each set operator against ids, strings
 * and interfaces, and rules written for a device.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "usb/rule.h"

#define HASH_A	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"

struct fixture {
	struct cyl_usb_rule rule;
	struct cyl_usb_rule again;
	struct cyl_usb_rule_error err;
	char buf[4096];
	char buf2[4096];
	struct cyl_usb_device dev;
};

#define IF(c, s, p)	((struct cyl_usb_iface){ (c), (s), (p) })

/* An FTDI serial adapter, the device most tests match against. */
static void ftdi(struct cyl_usb_device *d)
{
	memset(d, 0, sizeof(*d));
	d->vendor = 0x0403;
	d->product = 0x6001;
	d->serial = "A10KZ3J1";
	d->name = "FT232R USB UART";
	d->port = "1-1.2";
	d->hash = HASH_A;
	d->n_ifaces = 1;
	d->ifaces[0] = IF(0xff, 0xff, 0xff);
}

/* The BadUSB case: the same adapter, also a keyboard. */
static void badusb(struct cyl_usb_device *d)
{
	ftdi(d);
	d->n_ifaces = 2;
	d->ifaces[1] = IF(0x03, 0x01, 0x01);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	ftdi(&f->dev);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cyl_usb_rule_free(&f->rule);
	cyl_usb_rule_free(&f->again);
	free(f);
	return 0;
}

static int parse_len(void **state, const char *text, size_t len)
{
	struct fixture *f = *state;

	cyl_usb_rule_free(&f->rule);
	return cyl_usb_rule_parse(text, len, &f->rule, &f->err);
}

static void parse_ok(void **state, const char *text)
{
	struct fixture *f = *state;
	int ret = parse_len(state, text, strlen(text));

	if (ret)
		fail_msg("%s: %s (offset %zu)", text, f->err.text,
			 f->err.offset);
}

static bool is_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--) {
		if (*b++)
			return false;
	}
	return true;
}

/* text[0..len) is refused at @offset with exactly @msg, the rule empty. */
static void assert_rejected_len(void **state, const char *text, size_t len,
				size_t offset, const char *msg)
{
	struct fixture *f = *state;

	assert_int_equal(parse_len(state, text, len), -EINVAL);
	assert_string_equal(f->err.text, msg);
	assert_int_equal(f->err.offset, offset);
	assert_true(is_zero(&f->rule, sizeof(f->rule)));
}

static void assert_rejected(void **state, const char *text, size_t offset,
			    const char *msg)
{
	assert_rejected_len(state, text, strlen(text), offset, msg);
}

static const char *format(void **state)
{
	struct fixture *f = *state;
	size_t n = cyl_usb_rule_format(&f->rule, f->buf, sizeof(f->buf));

	assert_true(n < sizeof(f->buf));
	assert_int_equal(strlen(f->buf), n);
	return f->buf;
}

/* Field by field, strings by content. */
static void assert_strsets_equal(const struct cyl_usb_strset *a,
				 const struct cyl_usb_strset *b)
{
	size_t i;

	assert_int_equal(a->set, b->set);
	assert_int_equal(a->op, b->op);
	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++)
		assert_string_equal(a->v[i], b->v[i]);
}

static void assert_rules_equal(const struct cyl_usb_rule *a,
			       const struct cyl_usb_rule *b)
{
	assert_int_equal(a->target, b->target);
	assert_int_equal(a->has_id, b->has_id);
	assert_int_equal(a->id_op, b->id_op);
	assert_int_equal(a->n_id, b->n_id);
	assert_memory_equal(a->id, b->id, a->n_id * sizeof(a->id[0]));
	assert_strsets_equal(&a->serial, &b->serial);
	assert_strsets_equal(&a->name, &b->name);
	assert_strsets_equal(&a->port, &b->port);
	assert_strsets_equal(&a->hash, &b->hash);
	assert_int_equal(a->has_iface, b->has_iface);
	assert_int_equal(a->iface_op, b->iface_op);
	assert_int_equal(a->n_iface, b->n_iface);
	assert_memory_equal(a->iface, b->iface,
			    a->n_iface * sizeof(a->iface[0]));
}

/* f->rule written and read back: an equal rule, the same text. */
static void assert_round_trip(void **state)
{
	struct fixture *f = *state;
	const char *text = format(state);

	cyl_usb_rule_free(&f->again);
	assert_int_equal(cyl_usb_rule_parse(text, strlen(text), &f->again,
					    &f->err), 0);
	assert_rules_equal(&f->rule, &f->again);
	cyl_usb_rule_format(&f->again, f->buf2, sizeof(f->buf2));
	assert_string_equal(f->buf, f->buf2);
}

/* @text parses, is written as @canonical, and that reads back equal. */
static void assert_canonical(void **state, const char *text,
			     const char *canonical)
{
	parse_ok(state, text);
	assert_string_equal(format(state), canonical);
	assert_round_trip(state);
}

static bool matches(void **state, const char *text)
{
	struct fixture *f = *state;

	parse_ok(state, text);
	return cyl_usb_rule_matches(&f->rule, &f->dev);
}

/* --- parsing and canonical text ------------------------------------ */

static void test_usb_rule_target_only_matches_every_device(void **state)
{
	struct fixture *f = *state;

	assert_canonical(state, "block", "block");
	assert_int_equal(f->rule.target, CYL_USB_BLOCK);
	assert_true(cyl_usb_rule_matches(&f->rule, &f->dev));
	f->dev.n_ifaces = 0;
	f->dev.serial = "";
	assert_true(cyl_usb_rule_matches(&f->rule, &f->dev));
}

static void test_usb_rule_targets_named(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(cyl_usb_target_name(CYL_USB_ALLOW), "allow");
	assert_string_equal(cyl_usb_target_name(CYL_USB_BLOCK), "block");
	assert_string_equal(cyl_usb_target_name(CYL_USB_REJECT), "reject");
	assert_string_equal(cyl_usb_target_name((enum cyl_usb_target)7),
			    "invalid");
	parse_ok(state, "reject");
	assert_int_equal(f->rule.target, CYL_USB_REJECT);
	parse_ok(state, "allow");
	assert_int_equal(f->rule.target, CYL_USB_ALLOW);
}

static void test_usb_rule_full_rule_round_trips(void **state)
{
	struct fixture *f = *state;

	assert_canonical(state,
		"allow id 0403:6001 serial \"A10KZ3J1\" "
		"with-interface { ff:ff:ff 03:01:* }",
		"allow id 0403:6001 serial \"A10KZ3J1\" "
		"with-interface { ff:ff:ff 03:01:* }");
	assert_true(f->rule.has_id);
	assert_int_equal(f->rule.id_op, CYL_USB_OP_EQUALS);
	assert_int_equal(f->rule.n_id, 1);
	assert_int_equal(f->rule.id[0].vendor, 0x0403);
	assert_int_equal(f->rule.id[0].product, 0x6001);
	assert_true(f->rule.serial.set);
	assert_string_equal(f->rule.serial.v[0], "A10KZ3J1");
	assert_false(f->rule.name.set);
	assert_int_equal(f->rule.n_iface, 2);
	assert_int_equal(f->rule.iface[1].cls, 3);
	assert_int_equal(f->rule.iface[1].subcls, 1);
	assert_int_equal(f->rule.iface[1].proto, -1);
}

static void test_usb_rule_canonical_order_spacing_and_case(void **state)
{
	assert_canonical(state,
		"  allow\twith-interface {FF:FF:FF}  hash \"" HASH_A "\" "
		"via-port \"1-1\" name \"x\" serial \"s\" id { 0403:600A }\t",
		"allow id 0403:600a serial \"s\" name \"x\" port \"1-1\" "
		"hash \"" HASH_A "\" with-interface ff:ff:ff");
}

static void test_usb_rule_braces_need_no_spaces(void **state)
{
	assert_canonical(state, "allow id{0403:6001 067b:2303}serial{\"a\"\"b\"}",
		"allow id { 0403:6001 067b:2303 } serial { \"a\" \"b\" }");
}

static void test_usb_rule_operators_written(void **state)
{
	assert_canonical(state, "allow serial one-of { \"a\" \"b\" }",
			 "allow serial one-of { \"a\" \"b\" }");
	assert_canonical(state, "allow name equals { \"a\" \"b\" }",
			 "allow name { \"a\" \"b\" }");
	assert_canonical(state, "allow id all-of { 0403:* 0403:6001 }",
			 "allow id all-of { 0403:* 0403:6001 }");
	assert_canonical(state, "allow with-interface none-of { 08:*:* }",
			 "allow with-interface none-of { 08:*:* }");
	assert_canonical(state, "allow port match-all { \"1-1\" }",
			 "allow port match-all { \"1-1\" }");
	assert_canonical(state, "allow with-interface equals { 03:01:01 }",
			 "allow with-interface 03:01:01");
}

static void test_usb_rule_operator_stored(void **state)
{
	struct fixture *f = *state;

	parse_ok(state, "allow id one-of { 0403:6001 } serial all-of { \"a\" } "
			"name none-of { \"b\" } port match-all { \"c\" } "
			"with-interface match-all { ff:ff:ff }");
	assert_int_equal(f->rule.id_op, CYL_USB_OP_ONE_OF);
	assert_int_equal(f->rule.serial.op, CYL_USB_OP_ALL_OF);
	assert_int_equal(f->rule.name.op, CYL_USB_OP_NONE_OF);
	assert_int_equal(f->rule.port.op, CYL_USB_OP_MATCH_ALL);
	assert_int_equal(f->rule.iface_op, CYL_USB_OP_MATCH_ALL);
}

static void test_usb_rule_wildcards_parsed(void **state)
{
	struct fixture *f = *state;

	assert_canonical(state,
		"allow id { *:* 0403:* } with-interface { 03:01:* 08:*:* }",
		"allow id { *:* 0403:* } with-interface { 03:01:* 08:*:* }");
	assert_int_equal(f->rule.id[0].vendor, -1);
	assert_int_equal(f->rule.id[0].product, -1);
	assert_int_equal(f->rule.id[1].vendor, 0x0403);
	assert_int_equal(f->rule.id[1].product, -1);
	assert_int_equal(f->rule.iface[1].cls, 8);
	assert_int_equal(f->rule.iface[1].subcls, -1);
	assert_int_equal(f->rule.iface[1].proto, -1);
}

static void test_usb_rule_hash_lowercased(void **state)
{
	struct fixture *f = *state;

	assert_canonical(state,
		"allow hash \"0123456789ABCDEF0123456789abcdef"
		"0123456789ABCDEF0123456789abcdef\"",
		"allow hash \"" HASH_A "\"");
	assert_string_equal(f->rule.hash.v[0], HASH_A);
}

static void test_usb_rule_escapes_unescaped(void **state)
{
	struct fixture *f = *state;

	assert_canonical(state,
		"allow serial \"a\\\"b\\\\c\\x41\\x7F\\xc3\\xa9\"",
		"allow serial \"a\\\"b\\\\cA\\x7f\\xc3\\xa9\"");
	assert_string_equal(f->rule.serial.v[0], "a\"b\\cA\x7f\xc3\xa9");
}

static void test_usb_rule_utf8_written_escaped(void **state)
{
	struct fixture *f = *state;

	assert_canonical(state, "allow name \"Moniteur \xc3\xa9t\xc3\xa9 \xe2\x9c\x93\"",
		"allow name \"Moniteur \\xc3\\xa9t\\xc3\\xa9 \\xe2\\x9c\\x93\"");
	assert_string_equal(f->rule.name.v[0],
			    "Moniteur \xc3\xa9t\xc3\xa9 \xe2\x9c\x93");
}

/* Every byte but NUL, in strings built directly, survives format+parse. */
static void test_usb_rule_hostile_strings_round_trip(void **state)
{
	struct fixture *f = *state;
	char s[4][65];
	int b = 1, i, j;

	for (i = 0; i < 4; i++) {
		for (j = 0; j < 64 && b < 256; j++)
			s[i][j] = (char)b++;
		s[i][j] = '\0';
	}
	cyl_usb_rule_free(&f->rule);
	f->rule.serial.set = true;
	f->rule.serial.n = 2;
	f->rule.serial.v[0] = strdup(s[0]);
	f->rule.serial.v[1] = strdup("\"\\\"\\x41\\");
	f->rule.name.set = true;
	f->rule.name.n = 1;
	f->rule.name.v[0] = strdup(s[1]);
	f->rule.port.set = true;
	f->rule.port.op = CYL_USB_OP_NONE_OF;
	f->rule.port.n = 2;
	f->rule.port.v[0] = strdup(s[2]);
	f->rule.port.v[1] = strdup(s[3]);
	assert_round_trip(state);
	assert_string_equal(f->again.serial.v[1], "\"\\\"\\x41\\");
	assert_memory_equal(f->again.port.v[1], s[3], strlen(s[3]) + 1);
}

static void test_usb_rule_empty_string_accepted(void **state)
{
	struct fixture *f = *state;

	assert_canonical(state, "allow serial \"\"", "allow serial \"\"");
	f->dev.serial = "";
	assert_true(cyl_usb_rule_matches(&f->rule, &f->dev));
	f->dev.serial = "A10KZ3J1";
	assert_false(cyl_usb_rule_matches(&f->rule, &f->dev));
}

static void test_usb_rule_string_of_255_bytes_accepted(void **state)
{
	struct fixture *f = *state;
	char text[300];

	snprintf(text, sizeof(text), "allow serial \"%0255d\"", 0);
	parse_ok(state, text);
	assert_int_equal(strlen(f->rule.serial.v[0]), 255);
}

static void test_usb_rule_string_of_256_bytes_rejected(void **state)
{
	char text[300];

	snprintf(text, sizeof(text), "allow serial \"%0256d\"", 0);
	assert_rejected(state, text, 13, "string longer than 255 bytes");
}

/* An escape counts once: 200 \x41 and 55 A make 255 bytes. */
static void test_usb_rule_string_limit_after_unescaping(void **state)
{
	struct fixture *f = *state;
	char text[1024] = "allow name \"";
	int i;

	for (i = 0; i < 200; i++)
		strcat(text, "\\x41");
	for (i = 0; i < 55; i++)
		strcat(text, "A");
	strcat(text, "\"");
	parse_ok(state, text);
	assert_int_equal(strlen(f->rule.name.v[0]), 255);
}

static void test_usb_rule_32_values_accepted(void **state)
{
	struct fixture *f = *state;
	char text[512] = "allow id {";
	int i;

	for (i = 0; i < 32; i++)
		sprintf(text + strlen(text), " 0403:%04x", i);
	strcat(text, " }");
	parse_ok(state, text);
	assert_int_equal(f->rule.n_id, 32);
	assert_int_equal(f->rule.id[31].product, 31);
}

static void test_usb_rule_33_values_rejected(void **state)
{
	char text[512] = "allow with-interface {";
	int i;

	for (i = 0; i < 33; i++)
		sprintf(text + strlen(text), " 03:01:%02x", i);
	strcat(text, " }");
	/* "allow with-interface {" and 32 " 03:01:xx", then the space. */
	assert_rejected(state, text, 22 + 32 * 9 + 1,
			"more than 32 values in one set");
}

static void test_usb_rule_text_of_1024_bytes_accepted(void **state)
{
	char text[1025];

	memset(text, ' ', sizeof(text));
	memcpy(text, "allow", 5);
	assert_int_equal(parse_len(state, text, 1024), 0);
}

static void test_usb_rule_text_of_1025_bytes_rejected(void **state)
{
	char text[1025];

	memset(text, ' ', sizeof(text));
	memcpy(text, "allow", 5);
	assert_rejected_len(state, text, 1025, 1024,
			    "rule longer than 1024 bytes");
}

/* 765 raw UTF-8 bytes in the text are 3060 bytes written as \xNN. */
static void test_usb_rule_too_long_canonically_rejected(void **state)
{
	char text[1024], s[256];

	memset(s, 0xc3, 255);
	s[255] = '\0';
	snprintf(text, sizeof(text), "allow serial \"%s\" name \"%s\" port \"%s\"",
		 s, s, s);
	assert_rejected(state, text, 0,
			"rule of 3091 bytes written canonically (\\xNN for "
			"each byte outside printable ASCII), more than 1024");
}

/* --- rejections ---------------------------------------------------- */

static void test_usb_rule_unknown_target_rejected(void **state)
{
	assert_rejected(state, "alow id 0403:6001", 0,
			"unknown keyword \"alow\": expected allow, block or reject");
}

static void test_usb_rule_target_case_sensitive(void **state)
{
	assert_rejected(state, "Allow", 0,
			"unknown keyword \"Allow\": expected allow, block or reject");
}

static void test_usb_rule_empty_rule_rejected(void **state)
{
	assert_rejected(state, "", 0,
			"empty rule: expected allow, block or reject");
	assert_rejected(state, " \t ", 3,
			"empty rule: expected allow, block or reject");
}

static void test_usb_rule_quoted_target_rejected(void **state)
{
	assert_rejected(state, "\"allow\" id 0403:6001", 0,
			"expected allow, block or reject, got \"\\\"allow\\\"\"");
}

static void test_usb_rule_usbguard_rule_number_rejected(void **state)
{
	assert_rejected(state, "12: allow id 0403:6001", 0,
			"\"12:\": USBGuard's rule numbers are not supported: "
			"remove it");
}

static void test_usb_rule_short_vendor_rejected(void **state)
{
	assert_rejected(state, "allow id 403:6001", 9,
			"id: expected VVVV:PPPP with 4 hex digits each (or *), "
			"got \"403:6001\"");
}

static void test_usb_rule_malformed_ids_rejected(void **state)
{
	static const char *const bad[] = {
		"0403:60012", "0403", "0403:6001:1", "0403:", ":6001",
		"04g3:6001", "0403-6001", "**:*", "0x03:6001",
	};
	char text[64], msg[200];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "allow id %s", bad[i]);
		snprintf(msg, sizeof(msg),
			 "id: expected VVVV:PPPP with 4 hex digits each (or *), "
			 "got \"%s\"", bad[i]);
		assert_rejected(state, text, 9, msg);
	}
}

static void test_usb_rule_quoted_id_rejected(void **state)
{
	assert_rejected(state, "allow id \"0403:6001\"", 9,
			"id: expected VVVV:PPPP with 4 hex digits each (or *), "
			"got \"\\\"0403:6001\\\"\"");
}

static void test_usb_rule_wildcard_vendor_rejected(void **state)
{
	assert_rejected(state, "allow id { 0403:* *:6001 }", 18,
			"\"*:6001\": a wildcard vendor needs a wildcard product");
}

static void test_usb_rule_missing_value_rejected(void **state)
{
	assert_rejected(state, "allow id", 8,
			"id: expected VVVV:PPPP with 4 hex digits each (or *), "
			"got the end of the rule");
	assert_rejected(state, "allow serial", 12,
			"serial: expected a \"quoted string\", "
			"got the end of the rule");
}

static void test_usb_rule_duplicate_attribute_rejected(void **state)
{
	assert_rejected(state, "allow serial \"a\" id *:* serial \"b\"", 24,
			"duplicate attribute \"serial\"");
}

static void test_usb_rule_port_and_via_port_duplicate(void **state)
{
	assert_rejected(state, "allow port \"1-1\" via-port \"1-2\"", 17,
			"duplicate attribute \"via-port\"");
}

static void test_usb_rule_via_port_is_port(void **state)
{
	struct fixture *f = *state;

	assert_canonical(state, "allow via-port \"1-1.2\"",
			 "allow port \"1-1.2\"");
	assert_true(cyl_usb_rule_matches(&f->rule, &f->dev));
}

static void test_usb_rule_unterminated_string_rejected(void **state)
{
	assert_rejected(state, "allow serial \"abc", 13, "unterminated string");
	/* The last quote is escaped. */
	assert_rejected(state, "allow serial \"abc\\\"", 13,
			"unterminated string");
}

static void test_usb_rule_open_brace_without_close_rejected(void **state)
{
	assert_rejected(state, "allow id { 0403:6001 0403:6015", 9,
			"\"{\" without \"}\"");
}

static void test_usb_rule_close_brace_without_open_rejected(void **state)
{
	assert_rejected(state, "allow id 0403:6001 }", 19,
			"\"}\" without \"{\"");
	assert_rejected(state, "allow id }", 9, "\"}\" without \"{\"");
}

static void test_usb_rule_nested_set_rejected(void **state)
{
	assert_rejected(state, "allow id { { 0403:6001 } }", 11,
			"\"{\" inside a set");
}

static void test_usb_rule_empty_set_rejected(void **state)
{
	assert_rejected(state, "allow serial one-of { }", 20,
			"empty set \"{ }\"");
	assert_rejected(state, "allow id {}", 9, "empty set \"{ }\"");
}

static void test_usb_rule_operator_without_set_rejected(void **state)
{
	assert_rejected(state, "allow id one-of 0403:6001", 16,
			"expected \"{\" after \"one-of\", got \"0403:6001\"");
	assert_rejected(state, "allow id none-of", 16,
			"expected \"{\" after \"none-of\", got the end of the rule");
}

static void test_usb_rule_equals_ordered_rejected(void **state)
{
	assert_rejected(state,
		"allow with-interface equals-ordered { 03:01:01 }", 21,
		"operator \"equals-ordered\" is not supported: use equals");
}

static void test_usb_rule_bad_hash_rejected(void **state)
{
	assert_rejected(state, "allow hash \"abc\"", 11,
			"hash: expected 64 hex digits, got \"abc\"");
	/* USBGuard's hashes are base64. */
	assert_rejected(state,
		"allow hash \"jEP/6WzviqdJ5VSeTUY8PatCNBKeaREvo2OqdplND/o=\"", 11,
		"hash: expected 64 hex digits, got "
		"\"jEP/6WzviqdJ5VSeTUY8PatCNBKeaREvo2OqdplND/o=\"");
	assert_rejected(state,
		"allow hash \"g123456789abcdef0123456789abcdef"
		"0123456789abcdef0123456789abcdef\"", 11,
		"hash: expected 64 hex digits, got "
		"\"g123456789abcdef0123456789abcdef0123456789abcdef...\"");
}

static void test_usb_rule_bare_string_rejected(void **state)
{
	assert_rejected(state, "allow serial A10KZ3J1", 13,
			"serial: expected a \"quoted string\", got \"A10KZ3J1\"");
	assert_rejected(state, "allow via-port { \"1-1\" 1-2 }", 23,
			"via-port: expected a \"quoted string\", got \"1-2\"");
}

static void test_usb_rule_unknown_escape_rejected(void **state)
{
	assert_rejected(state, "allow serial \"a\\nb\"", 15,
			"escape \"\\\\n\" in a string: expected \\\", \\\\ or \\xNN");
}

static void test_usb_rule_short_hex_escape_rejected(void **state)
{
	assert_rejected(state, "allow serial \"a\\x4g\"", 15,
			"escape \"\\\\x4g\" in a string: \\x needs two hex digits");
	assert_rejected(state, "allow serial \"a\\x4\"", 15,
			"escape \"\\\\x4\" in a string: \\x needs two hex digits");
}

static void test_usb_rule_nul_escape_rejected(void **state)
{
	assert_rejected(state, "allow name \"a\\x00b\"", 13,
			"escape \"\\\\x00\" in a string: NUL is not allowed");
}

static void test_usb_rule_raw_control_byte_in_string_rejected(void **state)
{
	assert_rejected(state, "allow name \"a\tb\"", 13,
			"control byte \"\\x09\" in a string: write it as \\x09");
	assert_rejected(state, "allow name \"a\x7f\"", 13,
			"control byte \"\\x7f\" in a string: write it as \\x7f");
	assert_rejected_len(state, "allow name \"a\0\"", 15, 13,
			"control byte \"\\x00\" in a string: write it as \\x00");
}

static void test_usb_rule_control_byte_between_tokens_rejected(void **state)
{
	assert_rejected(state, "allow\nid 0403:6001", 5,
			"control byte \"\\x0a\": tokens are separated by spaces "
			"and tabs");
	assert_rejected_len(state, "allow\0", 6, 5,
			"control byte \"\\x00\": tokens are separated by spaces "
			"and tabs");
}

static void test_usb_rule_malformed_ifaces_rejected(void **state)
{
	static const char *const bad[] = {
		"3:1:1", "03:01", "03:01:01:01", "03:01:001", "03::01",
		"0x3:01:01", "03:01:0g",
	};
	char text[64], msg[200];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "allow with-interface %s", bad[i]);
		snprintf(msg, sizeof(msg),
			 "with-interface: expected CC:SS:PP with 2 hex digits "
			 "each (or CC:SS:*, CC:*:*), got \"%s\"", bad[i]);
		assert_rejected(state, text, 21, msg);
	}
}

static void test_usb_rule_any_interface_pattern_rejected(void **state)
{
	assert_rejected(state, "allow with-interface one-of { 08:*:* *:*:* }",
			37,
			"\"*:*:*\" matches every interface: omit with-interface "
			"instead");
}

static void test_usb_rule_inner_wildcards_rejected(void **state)
{
	assert_rejected(state, "allow with-interface 03:*:01", 21,
			"\"03:*:01\": a wildcard subclass needs a wildcard protocol");
	assert_rejected(state, "allow with-interface *:01:01", 21,
			"\"*:01:01\": a wildcard class needs a wildcard subclass "
			"and protocol");
	assert_rejected(state, "allow with-interface *:*:01", 21,
			"\"*:*:01\": a wildcard class needs a wildcard subclass "
			"and protocol");
}

static void test_usb_rule_unknown_attribute_rejected(void **state)
{
	assert_rejected(state, "allow id 0403:6001 colour \"red\"", 19,
			"unknown keyword \"colour\": expected id, serial, name, "
			"port, via-port, hash or with-interface");
}

static void test_usb_rule_string_as_attribute_rejected(void **state)
{
	assert_rejected(state, "allow \"x\"", 6,
			"expected an attribute (id, serial, name, port, hash or "
			"with-interface), got \"\\\"x\\\"\"");
}

static void test_usb_rule_usbguard_only_attributes_rejected(void **state)
{
	assert_rejected(state, "allow parent-hash \"x\"", 6,
			"\"parent-hash\": USBGuard's parent-hash is not supported");
	assert_rejected(state, "allow with-connect-type \"hotplug\"", 6,
			"\"with-connect-type\": USBGuard's with-connect-type is "
			"not supported");
	assert_rejected(state, "allow id 0403:6001 label \"pump\"", 19,
			"\"label\": USBGuard's label is not supported");
	assert_rejected(state, "allow id 0403:6001 if true", 19,
			"\"if\": USBGuard's rule conditions are not supported");
}

static void test_usb_rule_long_token_quoted_cut(void **state)
{
	assert_rejected(state,
		"allow xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		6,
		"unknown keyword \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"...\": expected id, serial, name, port, via-port, hash or "
		"with-interface");
}

/* Strings already copied when the error comes are freed, *out zeroed. */
static void test_usb_rule_error_after_strings_leaves_rule_empty(void **state)
{
	assert_rejected(state,
		"allow serial { \"a\" \"b\" } name \"c\" port \"d\" hash \"e\"",
		48, "hash: expected 64 hex digits, got \"e\"");
}

static void test_usb_rule_null_error_tolerated(void **state)
{
	struct fixture *f = *state;

	cyl_usb_rule_free(&f->rule);
	assert_int_equal(cyl_usb_rule_parse("alow", 4, &f->rule, NULL),
			 -EINVAL);
	cyl_usb_rule_free(NULL);
}

/* --- matching: ids and strings ------------------------------------- */

static void test_usb_rule_id_equals(void **state)
{
	struct fixture *f = *state;

	assert_true(matches(state, "allow id 0403:6001"));
	f->dev.product = 0x6015;
	assert_false(matches(state, "allow id 0403:6001"));
}

static void test_usb_rule_id_wildcards(void **state)
{
	struct fixture *f = *state;

	f->dev.product = 0x6015;
	assert_true(matches(state, "allow id 0403:*"));
	assert_true(matches(state, "allow id *:*"));
	f->dev.vendor = 0x067b;
	assert_false(matches(state, "allow id 0403:*"));
	assert_true(matches(state, "allow id *:*"));
}

static void test_usb_rule_id_one_of(void **state)
{
	struct fixture *f = *state;

	f->dev.vendor = 0x067b;
	f->dev.product = 0x2303;
	assert_true(matches(state, "allow id one-of { 0403:6001 067b:2303 }"));
	assert_true(matches(state, "allow id { 0403:6001 067b:2303 }"));
	assert_true(matches(state, "allow id match-all { 0403:6001 067b:* }"));
	assert_false(matches(state, "allow id one-of { 0403:6001 10c4:ea60 }"));
}

static void test_usb_rule_id_all_of(void **state)
{
	struct fixture *f = *state;

	assert_true(matches(state, "allow id all-of { 0403:* 0403:6001 }"));
	f->dev.product = 0x6015;
	assert_false(matches(state, "allow id all-of { 0403:* 0403:6001 }"));
}

static void test_usb_rule_id_none_of(void **state)
{
	struct fixture *f = *state;

	assert_false(matches(state, "block id none-of { 0403:* 10c4:ea60 }"));
	f->dev.vendor = 0x046d;
	assert_true(matches(state, "block id none-of { 0403:* 10c4:ea60 }"));
}

static void test_usb_rule_strings_exact(void **state)
{
	assert_true(matches(state, "allow serial \"A10KZ3J1\""));
	assert_false(matches(state, "allow serial \"a10kz3j1\""));
	assert_false(matches(state, "allow serial \"A10KZ3J\""));
	assert_false(matches(state, "allow serial \"A10KZ3J1 \""));
	assert_true(matches(state, "allow name \"FT232R USB UART\""));
	assert_true(matches(state, "allow port \"1-1.2\""));
	assert_false(matches(state, "allow port \"1-1\""));
}

static void test_usb_rule_string_operators(void **state)
{
	assert_true(matches(state, "allow serial one-of { \"X\" \"A10KZ3J1\" }"));
	assert_false(matches(state, "allow serial one-of { \"X\" \"Y\" }"));
	assert_true(matches(state, "allow serial none-of { \"X\" \"Y\" }"));
	assert_false(matches(state, "allow serial none-of { \"X\" \"A10KZ3J1\" }"));
	assert_true(matches(state, "allow serial all-of { \"A10KZ3J1\" }"));
	assert_false(matches(state, "allow serial all-of { \"A10KZ3J1\" \"X\" }"));
	assert_true(matches(state, "allow serial match-all { \"A10KZ3J1\" }"));
}

static void test_usb_rule_hash_matches(void **state)
{
	assert_true(matches(state, "allow hash \"" HASH_A "\""));
	assert_false(matches(state, "allow hash \"1123456789abcdef0123456789"
			     "abcdef0123456789abcdef0123456789abcdef\""));
}

static void test_usb_rule_every_attribute_must_match(void **state)
{
	assert_true(matches(state, "allow id 0403:6001 serial \"A10KZ3J1\" "
			    "port \"1-1.2\" with-interface ff:ff:ff"));
	assert_false(matches(state, "allow id 0403:6001 serial \"OTHER\""));
	assert_false(matches(state, "allow id 0403:6001 port \"2-1\""));
	assert_false(matches(state, "allow serial \"A10KZ3J1\" id 0403:6015"));
}

/* --- matching: interfaces ------------------------------------------ */

static void test_usb_rule_iface_wildcards(void **state)
{
	struct fixture *f = *state;

	f->dev.ifaces[0] = IF(0x03, 0x01, 0x02);
	assert_true(matches(state, "allow with-interface 03:01:*"));
	assert_true(matches(state, "allow with-interface 03:*:*"));
	assert_false(matches(state, "allow with-interface 03:01:01"));
	f->dev.ifaces[0] = IF(0x03, 0x02, 0x01);
	assert_false(matches(state, "allow with-interface 03:01:*"));
}

/* A serial adapter that also is a keyboard. */
static void test_usb_rule_badusb_one_of_matches_keyboard_not_allowed(void **state)
{
	struct fixture *f = *state;

	badusb(&f->dev);
	assert_true(matches(state,
		"allow id 0403:6001 with-interface one-of { ff:ff:ff }"));
	assert_true(cyl_usb_rule_iface_allowed(&f->rule, IF(0xff, 0xff, 0xff)));
	assert_false(cyl_usb_rule_iface_allowed(&f->rule, IF(0x03, 0x01, 0x01)));
}

static void test_usb_rule_badusb_equals_does_not_match(void **state)
{
	struct fixture *f = *state;

	badusb(&f->dev);
	assert_false(matches(state, "allow id 0403:6001 with-interface ff:ff:ff"));
	assert_false(matches(state,
		"allow id 0403:6001 with-interface { ff:ff:ff }"));
	assert_false(matches(state,
		"allow id 0403:6001 with-interface match-all { ff:ff:ff }"));
	ftdi(&f->dev);
	assert_true(matches(state, "allow id 0403:6001 with-interface ff:ff:ff"));
}

static void test_usb_rule_iface_equals_both_ways(void **state)
{
	struct fixture *f = *state;

	badusb(&f->dev);
	assert_true(matches(state, "allow with-interface { 03:01:01 ff:ff:ff }"));
	assert_true(matches(state, "allow with-interface { 03:*:* ff:*:* }"));
	/* A pattern no interface matches. */
	assert_false(matches(state,
		"allow with-interface { ff:ff:ff 03:01:01 08:06:50 }"));
}

static void test_usb_rule_iface_all_of(void **state)
{
	struct fixture *f = *state;

	badusb(&f->dev);
	assert_true(matches(state, "allow with-interface all-of { 03:*:* }"));
	assert_true(matches(state,
		"allow with-interface all-of { ff:ff:ff 03:01:01 }"));
	assert_false(matches(state,
		"allow with-interface all-of { ff:ff:ff 08:*:* }"));
	/* Only what the patterns name gets a driver. */
	parse_ok(state, "allow with-interface all-of { ff:ff:ff }");
	assert_false(cyl_usb_rule_iface_allowed(&f->rule, IF(3, 1, 1)));
}

static void test_usb_rule_iface_none_of(void **state)
{
	struct fixture *f = *state;

	badusb(&f->dev);
	assert_true(matches(state, "allow with-interface none-of { 08:*:* }"));
	assert_false(matches(state,
		"allow with-interface none-of { 08:*:* 03:*:* }"));
	parse_ok(state, "allow with-interface none-of { 08:*:* }");
	assert_true(cyl_usb_rule_iface_allowed(&f->rule, IF(3, 1, 1)));
	assert_false(cyl_usb_rule_iface_allowed(&f->rule, IF(8, 6, 0x50)));
}

static void test_usb_rule_iface_match_all(void **state)
{
	struct fixture *f = *state;

	badusb(&f->dev);
	assert_true(matches(state,
		"allow with-interface match-all { ff:ff:ff 03:*:* 08:*:* }"));
	assert_false(matches(state,
		"allow with-interface match-all { ff:ff:ff 08:*:* }"));
}

static void test_usb_rule_device_without_interfaces(void **state)
{
	struct fixture *f = *state;

	f->dev.n_ifaces = 0;
	assert_false(matches(state, "allow with-interface ff:ff:ff"));
	assert_false(matches(state, "allow with-interface one-of { ff:ff:ff }"));
	assert_false(matches(state, "allow with-interface all-of { ff:ff:ff }"));
	assert_false(matches(state, "allow with-interface match-all { ff:ff:ff }"));
	assert_true(matches(state, "allow with-interface none-of { ff:ff:ff }"));
	assert_true(matches(state, "allow id 0403:6001"));
}

static void test_usb_rule_no_with_interface_allows_every_iface(void **state)
{
	struct fixture *f = *state;

	parse_ok(state, "allow id 0403:6001");
	assert_true(cyl_usb_rule_iface_allowed(&f->rule, IF(3, 1, 1)));
	assert_true(cyl_usb_rule_iface_allowed(&f->rule, IF(0xff, 0xff, 0xff)));
}

static void test_usb_rule_iface_allowed_by_wildcard(void **state)
{
	struct fixture *f = *state;

	parse_ok(state, "allow with-interface { 02:02:* 0a:*:* }");
	assert_true(cyl_usb_rule_iface_allowed(&f->rule, IF(2, 2, 1)));
	assert_true(cyl_usb_rule_iface_allowed(&f->rule, IF(0x0a, 0, 0)));
	assert_false(cyl_usb_rule_iface_allowed(&f->rule, IF(2, 6, 0)));
}

/* --- writing ------------------------------------------------------- */

static void test_usb_rule_format_snprintf_style(void **state)
{
	struct fixture *f = *state;
	char small[10];

	parse_ok(state, "allow id 0403:6001 serial \"A10KZ3J1\"");
	memset(small, 'x', sizeof(small));
	assert_int_equal(cyl_usb_rule_format(&f->rule, small, sizeof(small)),
			 strlen("allow id 0403:6001 serial \"A10KZ3J1\""));
	assert_string_equal(small, "allow id ");
	assert_int_equal(cyl_usb_rule_format(&f->rule, NULL, 0), 36);
	small[0] = 'x';
	assert_int_equal(cyl_usb_rule_format(&f->rule, small, 1), 36);
	assert_int_equal(small[0], '\0');
}

static void test_usb_rule_for_device_everything(void **state)
{
	struct fixture *f = *state;
	size_t n;

	n = cyl_usb_rule_for_device(&f->dev, CYL_USB_ALLOW,
				    CYL_USB_FOR_SERIAL | CYL_USB_FOR_NAME |
				    CYL_USB_FOR_PORT | CYL_USB_FOR_HASH,
				    f->buf, sizeof(f->buf));
	assert_string_equal(f->buf,
		"allow id 0403:6001 serial \"A10KZ3J1\" name \"FT232R USB UART\" "
		"port \"1-1.2\" hash \"" HASH_A "\" with-interface ff:ff:ff");
	assert_int_equal(n, strlen(f->buf));
}

static void test_usb_rule_for_device_id_and_interfaces_only(void **state)
{
	struct fixture *f = *state;

	badusb(&f->dev);
	cyl_usb_rule_for_device(&f->dev, CYL_USB_BLOCK, 0, f->buf,
				sizeof(f->buf));
	assert_string_equal(f->buf,
		"block id 0403:6001 with-interface { ff:ff:ff 03:01:01 }");
}

static void test_usb_rule_for_device_skips_empty_strings(void **state)
{
	struct fixture *f = *state;

	f->dev.serial = "";
	f->dev.name = "";
	f->dev.n_ifaces = 0;
	cyl_usb_rule_for_device(&f->dev, CYL_USB_REJECT,
				CYL_USB_FOR_SERIAL | CYL_USB_FOR_NAME,
				f->buf, sizeof(f->buf));
	assert_string_equal(f->buf, "reject id 0403:6001");
}

/* Parsed back, the rule is canonical, matches the device, allows all. */
static void assert_for_device_reads_back(void **state, unsigned int what)
{
	struct fixture *f = *state;
	size_t i;

	cyl_usb_rule_for_device(&f->dev, CYL_USB_ALLOW, what, f->buf2,
				sizeof(f->buf2));
	parse_ok(state, f->buf2);
	assert_string_equal(format(state), f->buf2);
	assert_true(cyl_usb_rule_matches(&f->rule, &f->dev));
	for (i = 0; i < f->dev.n_ifaces; i++)
		assert_true(cyl_usb_rule_iface_allowed(&f->rule,
						       f->dev.ifaces[i]));
}

static void test_usb_rule_for_device_reads_back_and_matches(void **state)
{
	struct fixture *f = *state;
	unsigned int what;

	badusb(&f->dev);
	f->dev.ifaces[2] = IF(0x08, 0x06, 0x50);
	f->dev.n_ifaces = 3;
	for (what = 0; what < 16; what++)
		assert_for_device_reads_back(state, what);
	/* And not a device with one interface more. */
	f->dev.ifaces[3] = IF(0x0e, 0x01, 0x00);
	f->dev.n_ifaces = 4;
	assert_false(cyl_usb_rule_matches(&f->rule, &f->dev));
}

static void test_usb_rule_for_device_hostile_strings(void **state)
{
	struct fixture *f = *state;

	f->dev.serial = "\"; allow id *:* \\";
	f->dev.name = "Caf\xc3\xa9\tline\nbreak\x7f\x01";
	f->dev.port = "1-1\"";
	assert_for_device_reads_back(state,
		CYL_USB_FOR_SERIAL | CYL_USB_FOR_NAME | CYL_USB_FOR_PORT);
	assert_string_equal(f->buf2,
		"allow id 0403:6001 serial \"\\\"; allow id *:* \\\\\" "
		"name \"Caf\\xc3\\xa9\\x09line\\x0abreak\\x7f\\x01\" "
		"port \"1-1\\\"\" with-interface ff:ff:ff");
	assert_string_equal(f->rule.serial.v[0], f->dev.serial);
	assert_string_equal(f->rule.name.v[0], f->dev.name);
	assert_string_equal(f->rule.port.v[0], f->dev.port);
}

static void test_usb_rule_for_device_snprintf_style(void **state)
{
	struct fixture *f = *state;
	char small[8];

	assert_int_equal(cyl_usb_rule_for_device(&f->dev, CYL_USB_ALLOW, 0,
						 small, sizeof(small)),
			 strlen("allow id 0403:6001 with-interface ff:ff:ff"));
	assert_string_equal(small, "allow i");
	assert_int_equal(cyl_usb_rule_for_device(&f->dev, CYL_USB_ALLOW, 0,
						 NULL, 0), 42);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_usb_rule_target_only_matches_every_device),
		T(test_usb_rule_targets_named),
		T(test_usb_rule_full_rule_round_trips),
		T(test_usb_rule_canonical_order_spacing_and_case),
		T(test_usb_rule_braces_need_no_spaces),
		T(test_usb_rule_operators_written),
		T(test_usb_rule_operator_stored),
		T(test_usb_rule_wildcards_parsed),
		T(test_usb_rule_hash_lowercased),
		T(test_usb_rule_escapes_unescaped),
		T(test_usb_rule_utf8_written_escaped),
		T(test_usb_rule_hostile_strings_round_trip),
		T(test_usb_rule_empty_string_accepted),
		T(test_usb_rule_string_of_255_bytes_accepted),
		T(test_usb_rule_string_of_256_bytes_rejected),
		T(test_usb_rule_string_limit_after_unescaping),
		T(test_usb_rule_32_values_accepted),
		T(test_usb_rule_33_values_rejected),
		T(test_usb_rule_text_of_1024_bytes_accepted),
		T(test_usb_rule_text_of_1025_bytes_rejected),
		T(test_usb_rule_too_long_canonically_rejected),
		T(test_usb_rule_unknown_target_rejected),
		T(test_usb_rule_target_case_sensitive),
		T(test_usb_rule_empty_rule_rejected),
		T(test_usb_rule_quoted_target_rejected),
		T(test_usb_rule_usbguard_rule_number_rejected),
		T(test_usb_rule_short_vendor_rejected),
		T(test_usb_rule_malformed_ids_rejected),
		T(test_usb_rule_quoted_id_rejected),
		T(test_usb_rule_wildcard_vendor_rejected),
		T(test_usb_rule_missing_value_rejected),
		T(test_usb_rule_duplicate_attribute_rejected),
		T(test_usb_rule_port_and_via_port_duplicate),
		T(test_usb_rule_via_port_is_port),
		T(test_usb_rule_unterminated_string_rejected),
		T(test_usb_rule_open_brace_without_close_rejected),
		T(test_usb_rule_close_brace_without_open_rejected),
		T(test_usb_rule_nested_set_rejected),
		T(test_usb_rule_empty_set_rejected),
		T(test_usb_rule_operator_without_set_rejected),
		T(test_usb_rule_equals_ordered_rejected),
		T(test_usb_rule_bad_hash_rejected),
		T(test_usb_rule_bare_string_rejected),
		T(test_usb_rule_unknown_escape_rejected),
		T(test_usb_rule_short_hex_escape_rejected),
		T(test_usb_rule_nul_escape_rejected),
		T(test_usb_rule_raw_control_byte_in_string_rejected),
		T(test_usb_rule_control_byte_between_tokens_rejected),
		T(test_usb_rule_malformed_ifaces_rejected),
		T(test_usb_rule_any_interface_pattern_rejected),
		T(test_usb_rule_inner_wildcards_rejected),
		T(test_usb_rule_unknown_attribute_rejected),
		T(test_usb_rule_string_as_attribute_rejected),
		T(test_usb_rule_usbguard_only_attributes_rejected),
		T(test_usb_rule_long_token_quoted_cut),
		T(test_usb_rule_error_after_strings_leaves_rule_empty),
		T(test_usb_rule_null_error_tolerated),
		T(test_usb_rule_id_equals),
		T(test_usb_rule_id_wildcards),
		T(test_usb_rule_id_one_of),
		T(test_usb_rule_id_all_of),
		T(test_usb_rule_id_none_of),
		T(test_usb_rule_strings_exact),
		T(test_usb_rule_string_operators),
		T(test_usb_rule_hash_matches),
		T(test_usb_rule_every_attribute_must_match),
		T(test_usb_rule_iface_wildcards),
		T(test_usb_rule_badusb_one_of_matches_keyboard_not_allowed),
		T(test_usb_rule_badusb_equals_does_not_match),
		T(test_usb_rule_iface_equals_both_ways),
		T(test_usb_rule_iface_all_of),
		T(test_usb_rule_iface_none_of),
		T(test_usb_rule_iface_match_all),
		T(test_usb_rule_device_without_interfaces),
		T(test_usb_rule_no_with_interface_allows_every_iface),
		T(test_usb_rule_iface_allowed_by_wildcard),
		T(test_usb_rule_format_snprintf_style),
		T(test_usb_rule_for_device_everything),
		T(test_usb_rule_for_device_id_and_interfaces_only),
		T(test_usb_rule_for_device_skips_empty_strings),
		T(test_usb_rule_for_device_reads_back_and_matches),
		T(test_usb_rule_for_device_hostile_strings),
		T(test_usb_rule_for_device_snprintf_style),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
