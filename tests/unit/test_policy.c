// SPDX-License-Identifier: GPL-2.0
/*
 * Policy parser: accepted shapes, and every rejection with its exact
 * message, line and column.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "policy/policy.h"

struct fixture {
	struct cyl_policy policy;
	struct cyl_policy_error err;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cyl_policy_free(&f->policy);
	free(f);
	return 0;
}

static int parse(void **state, const char *yaml)
{
	struct fixture *f = *state;

	return cyl_policy_parse("policy.yaml", yaml, strlen(yaml), &f->policy,
				&f->err);
}

/* Parse @yaml, expect -EINVAL and exactly @text. */
static void assert_rejected(void **state, const char *yaml, const char *text)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state, yaml), -EINVAL);
	assert_string_equal(f->err.text, text);
	assert_int_equal(f->policy.n_devices, 0);
	assert_null(f->policy.devices);
}

static void test_policy_two_devices_parsed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - name: monitor-icu-1   # a comment\n"
		"    tty: /dev/ttyUSB0\n"
		"  - name: pump_2.b\n"
		"    tty: /dev/serial/by-id/usb-FTDI_FT232R-if00-port0\n"), 0);
	assert_int_equal(f->policy.version, 1);
	assert_int_equal(f->policy.n_devices, 2);
	assert_string_equal(f->policy.devices[0].name, "monitor-icu-1");
	assert_string_equal(f->policy.devices[0].tty, "/dev/ttyUSB0");
	assert_int_equal(f->policy.devices[0].line, 3);
	assert_string_equal(f->policy.devices[1].name, "pump_2.b");
	assert_string_equal(f->policy.devices[1].tty,
			    "/dev/serial/by-id/usb-FTDI_FT232R-if00-port0");
	assert_int_equal(f->policy.devices[1].line, 5);
}

static void test_policy_without_devices_accepted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state, "version: 1\n"), 0);
	assert_int_equal(f->policy.n_devices, 0);
}

static void test_policy_flow_style_accepted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state,
		"{version: 1, devices: [{name: a, tty: /dev/ttyS0}]}"), 0);
	assert_int_equal(f->policy.n_devices, 1);
	assert_string_equal(f->policy.devices[0].tty, "/dev/ttyS0");
}

static void test_policy_relative_tty_rejected_with_line_col(void **state)
{
	struct fixture *f = *state;

	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: monitor-icu-1\n"
		"    tty: ttyUSB0\n",
		"policy.yaml:4:10: devices[0].tty: expected an absolute path "
		"under /dev, got \"ttyUSB0\"");
	assert_int_equal(f->err.line, 4);
	assert_int_equal(f->err.column, 10);
}

static void test_policy_tty_outside_dev_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, tty: /etc/passwd}\n",
		"policy.yaml:3:20: devices[0].tty: expected an absolute path "
		"under /dev, got \"/etc/passwd\"");
}

static void test_policy_tty_dotdot_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, tty: /dev/../etc/shadow}\n",
		"policy.yaml:3:20: devices[0].tty: expected an absolute path "
		"under /dev, got \"/dev/../etc/shadow\"");
}

static void test_policy_tty_with_nul_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, tty: \"/dev/tty\\0x\"}\n",
		"policy.yaml:3:20: devices[0].tty: expected an absolute path "
		"under /dev, got \"/dev/tty\\x00x\"");
}

static void test_policy_bad_name_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: Monitor ICU\n"
		"    tty: /dev/ttyUSB0\n",
		"policy.yaml:3:11: devices[0].name: expected [a-z0-9._-]{1,32}, "
		"got \"Monitor ICU\"");
}

static void test_policy_name_of_33_chars_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: aaaaaaaaaabbbbbbbbbbccccccccccddd\n"
		"    tty: /dev/ttyUSB0\n",
		"policy.yaml:3:11: devices[0].name: expected [a-z0-9._-]{1,32}, "
		"got \"aaaaaaaaaabbbbbbbbbbccccccccccddd\"");
}

static void test_policy_long_text_quoted_truncated(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
		"policy.yaml:4:10: devices[0].tty: expected an absolute path "
		"under /dev, got \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\"");
}

static void test_policy_duplicate_name_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"  - name: a\n"
		"    tty: /dev/ttyS1\n",
		"policy.yaml:5:11: devices[1].name: duplicate device name \"a\" "
		"(first on line 3)");
}

static void test_policy_duplicate_tty_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"  - name: b\n"
		"    tty: /dev/ttyS0\n",
		"policy.yaml:6:10: devices[1].tty: \"/dev/ttyS0\" already used "
		"by device \"a\"");
}

static void test_policy_unknown_device_key_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    foo: bar\n"
		"    tty: /dev/ttyS0\n",
		"policy.yaml:4:5: devices[0]: unknown key \"foo\"");
}

static void test_policy_missing_tty_and_usb_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n",
		"policy.yaml:3:5: devices[0]: missing key \"tty\" or \"usb\"");
}

static void test_policy_duplicate_device_key_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    name: b\n"
		"    tty: /dev/ttyS0\n",
		"policy.yaml:4:5: devices[0]: duplicate key \"name\"");
}

static void test_policy_device_not_mapping_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - /dev/ttyS0\n",
		"policy.yaml:3:5: devices[0]: expected a mapping, got a scalar");
}

static void test_policy_devices_not_sequence_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices: /dev/ttyS0\n",
		"policy.yaml:2:10: devices: expected a sequence, got a scalar");
}

static void test_policy_unknown_section_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"gadgets:\n"
		"  default: block\n",
		"policy.yaml:2:1: unknown top-level section \"gadgets\"");
}

static void test_policy_planned_section_rejected_naming_release(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"exec:\n"
		"  mode: audit\n",
		"policy.yaml:2:1: exec: not supported by this build yet "
		"(arrives with the integrity guard (exec allowlist))");
}

/* "risk" was planned; the register is its own test (test_risk_register). */
static void test_policy_risk_section_parsed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state,
		"version: 1\n"
		"risk:\n"
		"  scales:\n"
		"    severity: [negligible, minor, serious, critical, catastrophic]\n"
		"    probability: [{name: improbable, max_per_year: 0.001}, "
		"{name: remote, max_per_year: 0.01}, {name: occasional, max_per_year: 0.1}, "
		"{name: probable, max_per_year: 1}, {name: frequent, max_per_year: 10}]\n"
		"  matrix: [[R, U, U, U, U], [R, R, U, U, U], [A, R, R, U, U], "
		"[A, A, R, R, U], [A, A, A, R, R]]\n"
		"  register: /etc/cylcomed/risk-register.yaml\n"), 0);
	assert_true(f->policy.risk.set);
	assert_string_equal(f->policy.risk.path, "/etc/cylcomed/risk-register.yaml");
	assert_int_equal(f->policy.risk.n_entries, 0);
}

static void test_policy_risk_section_errors_name_the_path(void **state)
{
	struct fixture *f = *state;

	assert_rejected(state,
		"version: 1\n"
		"risk:\n"
		"  scales: []\n",
		"policy.yaml:3:11: risk.scales: expected a mapping, got a sequence");
	assert_false(f->policy.risk.set);
	assert_rejected(state,
		"version: 1\n"
		"risk: {}\n"
		"risk: {}\n",
		"policy.yaml:3:1: duplicate key \"risk\"");
}

static const char usb_policy[] =
	"version: 1\n"
	"# the ward's gateway\n"
	"usb:\n"
	"  present_devices: keep\n"
	"  implicit_target: reject\n"
	"  rules:\n"
	"    - allow id 0403:6001 serial \"A1\" with-interface ff:ff:ff\n"
	"    - 'block with-interface one-of { 03:*:* }'  # no keyboards\n";

static void test_policy_usb_section_parsed(void **state)
{
	struct fixture *f = *state;
	const struct cyl_policy_usb *u = &f->policy.usb;

	assert_int_equal(parse(state, usb_policy), 0);
	assert_true(u->set);
	assert_int_equal(u->present, CYL_USB_PRESENT_KEEP);
	assert_int_equal(u->implicit, CYL_USB_REJECT);
	assert_int_equal(u->n_rules, 2);
	assert_string_equal(u->rules[0].text,
			    "allow id 0403:6001 serial \"A1\" with-interface ff:ff:ff");
	assert_int_equal(u->rules[0].rule.target, CYL_USB_ALLOW);
	assert_int_equal(u->rules[0].line, 7);
	assert_int_equal(u->rules[1].rule.target, CYL_USB_BLOCK);
	assert_int_equal(u->rules[1].line, 8);
	assert_int_equal(u->rules_line, 7);
	assert_int_equal(u->rules_col, 4);
}

static void test_policy_usb_defaults(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state, "version: 1\nusb: {}\n"), 0);
	assert_true(f->policy.usb.set);
	assert_int_equal(f->policy.usb.present, CYL_USB_PRESENT_APPLY);
	assert_int_equal(f->policy.usb.implicit, CYL_USB_BLOCK);
	assert_int_equal(f->policy.usb.n_rules, 0);
	assert_int_equal(f->policy.usb.rules_line, 0);
}

static void test_policy_usb_bad_rule_names_line_and_column(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"usb:\n"
		"  rules:\n"
		"    - \"allow id 0403:6001 colour blue\"\n",
		"policy.yaml:4:27: usb.rules[0]: unknown keyword \"colour\": "
		"expected id, serial, name, port, via-port, hash or with-interface");
}

static void test_policy_usb_bad_rule_in_folded_scalar_names_byte(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state,
		"version: 1\n"
		"usb:\n"
		"  rules:\n"
		"    - >-\n"
		"      allow id 0403:6001\n"
		"      bogus\n"), -EINVAL);
	assert_non_null(strstr(f->err.text, "policy.yaml:4:7: usb.rules[0]: at byte 20 of the rule: "));
}

static void test_policy_usb_rule_not_scalar_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"usb:\n"
		"  rules:\n"
		"    - {allow: x}\n",
		"policy.yaml:4:7: usb.rules[0]: expected a scalar, got a mapping");
}

static void test_policy_usb_section_unknown_key_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"usb:\n"
		"  default: block\n",
		"policy.yaml:3:3: usb: unknown key \"default\"");
}

/* Prepend @rule to @yaml's usb.rules; the result must parse. */
static char *prepend(void **state, const char *yaml, const char *rule,
		     int expect)
{
	struct fixture *f = *state;
	char *out = NULL, err[256] = "";
	size_t len;

	assert_int_equal(parse(state, yaml), 0);
	assert_int_equal(cyl_policy_usb_prepend_rule(yaml, strlen(yaml),
						     &f->policy, rule, &out,
						     &len, err, sizeof(err)),
			 expect);
	if (expect)
		return strdup(err);
	assert_int_equal(strlen(out), len);
	cyl_policy_free(&f->policy);
	assert_int_equal(parse(state, out), 0);
	assert_string_equal(f->policy.usb.rules[0].text, rule);
	return out;
}

static void test_policy_usb_prepend_keeps_the_rest(void **state)
{
	struct fixture *f = *state;
	const char *rule = "block id 0403:6001 serial \"it's\"";
	char *out = prepend(state, usb_policy, rule, 0);

	assert_int_equal(f->policy.usb.n_rules, 3);
	assert_non_null(strstr(out, "  rules:\n"
				    "    - 'block id 0403:6001 serial \"it''s\"'\n"
				    "    - allow id 0403:6001"));
	assert_non_null(strstr(out, "# the ward's gateway\n"));
	assert_non_null(strstr(out, "  # no keyboards\n"));
	free(out);
}

static void test_policy_usb_prepend_adds_a_section(void **state)
{
	struct fixture *f = *state;
	char *out = prepend(state, "version: 1\ndevices: []", "allow", 0);

	assert_string_equal(out, "version: 1\ndevices: []\n"
				 "usb:\n  rules:\n    - 'allow'\n");
	assert_int_equal(f->policy.usb.n_rules, 1);
	free(out);
}

static void test_policy_usb_prepend_indentless_list(void **state)
{
	char *out = prepend(state, "version: 1\nusb:\n  rules:\n  - block\n",
			    "allow", 0);

	assert_string_equal(out, "version: 1\nusb:\n  rules:\n  - 'allow'\n  - block\n");
	free(out);
}

static void test_policy_usb_prepend_refuses_flow_list(void **state)
{
	char *err = prepend(state, "version: 1\nusb: {rules: [block]}\n",
			    "allow", -EINVAL);

	assert_non_null(strstr(err, "only a block list"));
	free(err);
}

static void test_policy_planned_device_key_rejected_naming_release(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: pump-3\n"
		"    tty: /dev/ttyUSB1\n"
		"    vitals: {}\n",
		"policy.yaml:5:5: devices[0].vitals: not supported by this build yet "
		"(arrives with anomaly detection)");
}

static void test_policy_wrong_version_rejected(void **state)
{
	assert_rejected(state, "version: 2\n",
		"policy.yaml:1:10: version: unsupported version \"2\", expected 1");
}

static void test_policy_version_not_scalar_rejected(void **state)
{
	assert_rejected(state, "version: [1]\n",
		"policy.yaml:1:10: version: expected a scalar, got a sequence");
}

static void test_policy_missing_version_rejected(void **state)
{
	assert_rejected(state, "devices: []\n",
		"policy.yaml:1:1: missing key \"version\"");
}

static void test_policy_duplicate_section_rejected(void **state)
{
	assert_rejected(state, "version: 1\nversion: 1\n",
		"policy.yaml:2:1: duplicate key \"version\"");
}

static void test_policy_sequence_document_rejected(void **state)
{
	assert_rejected(state, "- version: 1\n",
		"policy.yaml:1:1: expected a mapping at the top level, got a sequence");
}

static void test_policy_scalar_document_rejected(void **state)
{
	assert_rejected(state, "hello\n",
		"policy.yaml:1:1: expected a mapping at the top level, got a scalar");
}

static void test_policy_syntax_error_reports_problem_mark(void **state)
{
	assert_rejected(state, "version: 1\n  foo: 2\n",
		"policy.yaml:2:6: mapping values are not allowed in this context");
}

static void test_policy_unterminated_quote_reports_context(void **state)
{
	assert_rejected(state, "version: \"1\n",
		"policy.yaml:2:1: found unexpected end of stream while scanning "
		"a quoted scalar started on line 1");
}

static void test_policy_empty_input_rejected(void **state)
{
	assert_rejected(state, "", "policy.yaml: policy is empty");
}

static void test_policy_comments_only_rejected(void **state)
{
	assert_rejected(state, "# nothing yet\n", "policy.yaml: policy is empty");
}

static void test_policy_second_document_rejected(void **state)
{
	assert_rejected(state, "version: 1\n---\nversion: 1\n",
		"policy.yaml:3:1: only one YAML document is allowed");
}

static void test_policy_self_alias_rejected(void **state)
{
	assert_rejected(state, "version: 1\ndevices: &x\n  - *x\n",
		"policy.yaml:2:10: devices[0]: expected a mapping, got a sequence");
}

static void test_policy_over_1mib_rejected(void **state)
{
	struct fixture *f = *state;
	size_t len = CYL_POLICY_MAX_SIZE + 1;
	char *buf = malloc(len);

	assert_non_null(buf);
	memset(buf, '#', len);
	assert_int_equal(cyl_policy_parse("policy.yaml", buf, len, &f->policy,
					  &f->err), -EFBIG);
	assert_string_equal(f->err.text,
		"policy.yaml: policy is larger than 1 MiB (1048577 bytes)");
	free(buf);
}

static void test_policy_load_file_missing_reports_errno(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_policy_load_file("/nonexistent/policy.yaml",
					      &f->policy, &f->err), -ENOENT);
	assert_string_equal(f->err.text, "/nonexistent/policy.yaml: cannot read: "
			    "No such file or directory");
}

static void test_policy_load_file_names_file_in_errors(void **state)
{
	struct fixture *f = *state;
	char path[] = "/tmp/cyl-policy-XXXXXX";
	const char *yaml = "version: 1\nbogus: 1\n";
	char want[128];
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	assert_int_equal(cyl_policy_load_file(path, &f->policy, &f->err), -EINVAL);
	unlink(path);
	snprintf(want, sizeof(want), "%s:2:1: unknown top-level section \"bogus\"",
		 path);
	assert_string_equal(f->err.text, want);
}

/* --- the serial guard keys --- */

/* The settings of the only device of a parsed policy. */
static const struct cyl_serial_cfg *cfg0(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->policy.n_devices, 1);
	return &f->policy.devices[0].serial;
}

static void assert_pad_zero(const struct cyl_serial_cfg *cfg)
{
	assert_int_equal(cfg->pad[0] | cfg->pad[1] | cfg->pad[2], 0);
}

static void test_policy_serial_defaults_raw_by_gap_allowlist(void **state)
{
	struct fixture *f = *state;
	const struct cyl_serial_cfg *cfg;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"), 0);
	cfg = cfg0(state);
	assert_int_equal(cfg->framing, CYL_FRAMING_RAW);
	assert_int_equal(cfg->max_len, 4096);
	assert_int_equal(cfg->raw_size, 0);
	assert_int_equal(cfg->raw_gap_us, 50000);
	assert_int_equal(cfg->delimiter, 0);
	assert_int_equal(cfg->on_bad_frame, CYL_BAD_FRAME_PASS);
	assert_int_equal(cfg->inspect, 0);
	/* No "write": an allowlist without entries, every write refused. */
	assert_int_equal(cfg->read_only, 0);
	assert_int_equal(cfg->write_check, 1);
	assert_int_equal(cfg->write_rate, 0);
	assert_int_equal(cfg->write_burst, 0);
	assert_pad_zero(cfg);
	assert_int_equal(f->policy.devices[0].n_allow, 0);
	assert_false(f->policy.devices[0].usb.set);
}

static void test_policy_raw_size_fills_raw_size(void **state)
{
	const struct cyl_serial_cfg *cfg;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    framing: raw\n"
		"    max_len: 128\n"
		"    raw:\n"
		"      size: 128\n"), 0);
	cfg = cfg0(state);
	assert_int_equal(cfg->framing, CYL_FRAMING_RAW);
	assert_int_equal(cfg->max_len, 128);
	assert_int_equal(cfg->raw_size, 128);
	assert_int_equal(cfg->raw_gap_us, 0);
}

static void test_policy_raw_gap_ms_in_microseconds(void **state)
{
	const struct cyl_serial_cfg *cfg;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, tty: /dev/ttyS0, raw: {gap_ms: 20}}\n"), 0);
	cfg = cfg0(state);
	assert_int_equal(cfg->raw_size, 0);
	assert_int_equal(cfg->raw_gap_us, 20000);
}

static void test_policy_lines_default_delimiter_lf(void **state)
{
	const struct cyl_serial_cfg *cfg;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, tty: /dev/ttyS0, framing: lines}\n"), 0);
	cfg = cfg0(state);
	assert_int_equal(cfg->framing, CYL_FRAMING_LINES);
	assert_int_equal(cfg->max_len, 1024);
	assert_int_equal(cfg->delimiter, '\n');
	assert_int_equal(cfg->raw_size, 0);
	assert_int_equal(cfg->raw_gap_us, 0);
}

static void test_policy_lines_delimiter_forms(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, tty: /dev/ttyS0, framing: lines, delimiter: \"\\r\"}\n"
		"  - {name: b, tty: /dev/ttyS1, framing: lines, delimiter: CR}\n"
		"  - {name: c, tty: /dev/ttyS2, framing: lines, delimiter: LF}\n"
		"  - {name: d, tty: /dev/ttyS3, framing: lines, delimiter: \";\"}\n"
		"  - {name: e, tty: /dev/ttyS4, framing: lines, delimiter: \"0x03\"}\n"
		"  - {name: f, tty: /dev/ttyS5, framing: lines, delimiter: ETX}\n"), 0);
	assert_int_equal(f->policy.n_devices, 6);
	assert_int_equal(f->policy.devices[0].serial.delimiter, '\r');
	assert_int_equal(f->policy.devices[1].serial.delimiter, '\r');
	assert_int_equal(f->policy.devices[2].serial.delimiter, '\n');
	assert_int_equal(f->policy.devices[3].serial.delimiter, ';');
	assert_int_equal(f->policy.devices[4].serial.delimiter, 0x03);
	assert_int_equal(f->policy.devices[5].serial.delimiter, 0x03);
}

static void test_policy_astm_analyser_controls(void **state)
{
	struct fixture *f = *state;
	const struct cyl_policy_device *dev;
	const unsigned char want[] = { 0x06, 0x15, 0x05, 0x04 };
	size_t i;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - name: analyser\n"
		"    tty: /dev/ttyS0\n"
		"    framing: astm\n"
		"    on_bad_frame: drop\n"
		"    write:\n"
		"      allow:\n"
		"        - control: ACK\n"
		"        - control: NAK\n"
		"        - control: ENQ\n"
		"        - control: EOT\n"), 0);
	dev = &f->policy.devices[0];
	assert_int_equal(dev->serial.framing, CYL_FRAMING_ASTM);
	assert_int_equal(dev->serial.max_len, 247);
	assert_int_equal(dev->serial.delimiter, 0);
	assert_int_equal(dev->serial.on_bad_frame, CYL_BAD_FRAME_DROP);
	assert_int_equal(dev->serial.write_check, 1);
	assert_int_equal(dev->n_allow, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(dev->allow[i].kind, CYL_ALLOW_CONTROL);
		assert_int_equal(dev->allow[i].len, 1);
		assert_int_equal(dev->allow[i].bytes[0], want[i]);
		assert_int_equal(dev->allow[i].bytes[1], 0);
		assert_int_equal(dev->allow[i].pad[0] | dev->allow[i].pad[1], 0);
	}
}

static void test_policy_mllp_monitor_inspected(void **state)
{
	const struct cyl_serial_cfg *cfg;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - name: monitor\n"
		"    tty: /dev/ttyS0\n"
		"    framing: mllp\n"
		"    inspect: true\n"
		"    write:\n"
		"      mode: allowlist\n"
		"      allow:\n"
		"        - prefix: \"MSH|^~\\\\&|\"\n"), 0);
	cfg = cfg0(state);
	assert_int_equal(cfg->framing, CYL_FRAMING_MLLP);
	assert_int_equal(cfg->max_len, 65536);
	assert_int_equal(cfg->inspect, 1);
	assert_int_equal(cfg->on_bad_frame, CYL_BAD_FRAME_PASS);
}

static void test_policy_allow_prefix_with_escapes(void **state)
{
	struct fixture *f = *state;
	const struct cyl_policy_device *dev;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - name: pump\n"
		"    tty: /dev/ttyS0\n"
		"    write:\n"
		"      allow:\n"
		"        - prefix: \"\\x02RATE?\"\n"
		"        - prefix: \"\\0\"\n"
		"        - control: \"0x1C\"\n"
		"      rate: 10\n"
		"      burst: 20\n"), 0);
	dev = &f->policy.devices[0];
	assert_int_equal(dev->n_allow, 3);
	assert_int_equal(dev->allow[0].kind, CYL_ALLOW_PREFIX);
	assert_int_equal(dev->allow[0].len, 6);
	assert_memory_equal(dev->allow[0].bytes, "\x02RATE?", 6);
	assert_int_equal(dev->allow[0].bytes[6], 0);
	assert_int_equal(dev->allow[1].kind, CYL_ALLOW_PREFIX);
	assert_int_equal(dev->allow[1].len, 1);
	assert_int_equal(dev->allow[1].bytes[0], 0);
	assert_int_equal(dev->allow[2].kind, CYL_ALLOW_CONTROL);
	assert_int_equal(dev->allow[2].bytes[0], 0x1c);
	assert_int_equal(dev->serial.write_check, 1);
	assert_int_equal(dev->serial.read_only, 0);
	assert_int_equal(dev->serial.write_rate, 10);
	assert_int_equal(dev->serial.write_burst, 20);
}

static void test_policy_allow_prefix_of_32_bytes_accepted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - name: pump\n"
		"    tty: /dev/ttyS0\n"
		"    write: {allow: [{prefix: aaaaaaaaaabbbbbbbbbbccccccccccdd}]}\n"), 0);
	assert_int_equal(f->policy.devices[0].allow[0].len, 32);
}

static void test_policy_allow_64_entries_accepted(void **state)
{
	struct fixture *f = *state;
	char yaml[4096];
	size_t n, i;

	n = snprintf(yaml, sizeof(yaml),
		     "version: 1\ndevices:\n  - name: a\n    tty: /dev/ttyS0\n"
		     "    write:\n      allow:\n");
	for (i = 0; i < CYL_ALLOW_MAX; i++)
		n += snprintf(yaml + n, sizeof(yaml) - n,
			      "        - prefix: \"Q%zu\"\n", i);
	assert_true(n < sizeof(yaml));
	assert_int_equal(parse(state, yaml), 0);
	assert_int_equal(f->policy.devices[0].n_allow, CYL_ALLOW_MAX);
	assert_memory_equal(f->policy.devices[0].allow[63].bytes, "Q63", 3);
}

static void test_policy_write_read_only(void **state)
{
	const struct cyl_serial_cfg *cfg;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, tty: /dev/ttyS0, write: {mode: read_only}}\n"), 0);
	cfg = cfg0(state);
	assert_int_equal(cfg->read_only, 1);
	assert_int_equal(cfg->write_check, 0);
	assert_int_equal(cfg->write_rate, 0);
	assert_int_equal(cfg->write_burst, 0);
}

static void test_policy_write_open_burst_defaults_to_rate(void **state)
{
	const struct cyl_serial_cfg *cfg;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, tty: /dev/ttyS0, write: {mode: open, rate: 100000}}\n"), 0);
	cfg = cfg0(state);
	assert_int_equal(cfg->read_only, 0);
	assert_int_equal(cfg->write_check, 0);
	assert_int_equal(cfg->write_rate, 100000);
	assert_int_equal(cfg->write_burst, 100000);
}

static void test_policy_write_empty_allowlist(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, tty: /dev/ttyS0, write: {mode: allowlist, allow: []}}\n"), 0);
	assert_int_equal(cfg0(state)->write_check, 1);
	assert_int_equal(f->policy.devices[0].n_allow, 0);
}

static void test_policy_usb_match_parsed(void **state)
{
	struct fixture *f = *state;
	const struct cyl_policy_device *dev;
	char buf[256];

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - name: monitor-icu-1\n"
		"    usb:\n"
		"      vendor: \"0403\"\n"
		"      product: 6001\n"
		"      serial: \"SIM0001\"\n"
		"      interface: 1\n"
		"  - name: scale\n"
		"    usb: {vendor: 10c4, product: EA60}\n"), 0);
	assert_int_equal(f->policy.n_devices, 2);
	dev = &f->policy.devices[0];
	assert_true(dev->usb.set);
	assert_string_equal(dev->tty, "");
	assert_int_equal(dev->usb.vendor, 0x0403);
	assert_int_equal(dev->usb.product, 0x6001);
	assert_true(dev->usb.has_serial);
	assert_string_equal(dev->usb.serial, "SIM0001");
	assert_int_equal(dev->usb.interface, 1);
	assert_string_equal(cyl_policy_usb_format(&dev->usb, buf, sizeof(buf)),
			    "usb 0403:6001 serial \"SIM0001\" interface 1");
	dev = &f->policy.devices[1];
	assert_int_equal(dev->usb.vendor, 0x10c4);
	assert_int_equal(dev->usb.product, 0xea60);
	assert_false(dev->usb.has_serial);
	assert_int_equal(dev->usb.interface, -1);
	assert_string_equal(cyl_policy_usb_format(&dev->usb, buf, sizeof(buf)),
			    "usb 10c4:ea60");
}

static void test_policy_usb_matches_differing_in_interface_accepted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, usb: {vendor: \"0403\", product: \"6011\", interface: 0}}\n"
		"  - {name: b, usb: {vendor: \"0403\", product: \"6011\", interface: 1}}\n"
		"  - {name: c, tty: /dev/ttyS0}\n"), 0);
	assert_int_equal(f->policy.n_devices, 3);
}

static void test_policy_tty_and_usb_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    usb: {vendor: \"0403\", product: \"6001\"}\n",
		"policy.yaml:5:5: devices[0]: give one of \"tty\" and \"usb\", not both");
}

static void test_policy_usb_missing_product_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    usb:\n"
		"      vendor: \"0403\"\n",
		"policy.yaml:5:7: devices[0].usb: missing key \"product\"");
}

static void test_policy_usb_vendor_not_4_hex_digits_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    usb: {vendor: 403, product: \"6001\"}\n",
		"policy.yaml:4:19: devices[0].usb.vendor: expected 4 hex digits, "
		"got \"403\"");
}

static void test_policy_usb_interface_out_of_range_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    usb: {vendor: \"0403\", product: \"6001\", interface: 256}\n",
		"policy.yaml:4:55: devices[0].usb.interface: expected an integer "
		"0..255, got \"256\"");
}

static void test_policy_usb_serial_with_control_byte_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    usb: {vendor: \"0403\", product: \"6001\", serial: \"A\\nB\"}\n",
		"policy.yaml:4:52: devices[0].usb.serial: expected 1..127 printable "
		"characters, got \"A\\x0aB\"");
}

static void test_policy_usb_unknown_key_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    usb:\n"
		"      vendor: \"0403\"\n"
		"      product: \"6001\"\n"
		"      port: 1-1\n",
		"policy.yaml:7:7: devices[0].usb: unknown key \"port\"");
}

static void test_policy_same_usb_match_twice_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    usb: {vendor: \"0403\", product: \"6001\", serial: S1}\n"
		"  - name: b\n"
		"    usb: {product: \"6001\", serial: S1, vendor: \"0403\"}\n",
		"policy.yaml:6:10: devices[1].usb: the same match as device \"a\"");
}

static void test_policy_record_key_rejected_with_reason(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    record_key: cylcomed:a\n",
		"policy.yaml:5:5: devices[0]: unknown key \"record_key\": the record "
		"key is always the logon key \"cylcomed:<name>\"");
}

static void test_policy_unknown_framing_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    framing: hdlc\n",
		"policy.yaml:5:14: devices[0].framing: expected raw, lines, astm or "
		"mllp, got \"hdlc\"");
}

static void test_policy_max_len_below_16_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    max_len: 15\n",
		"policy.yaml:5:14: devices[0].max_len: expected an integer "
		"16..65536, got \"15\"");
}

static void test_policy_max_len_above_65536_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, tty: /dev/ttyS0, max_len: 65537}\n",
		"policy.yaml:3:41: devices[0].max_len: expected an integer "
		"16..65536, got \"65537\"");
}

static void test_policy_max_len_not_decimal_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, tty: /dev/ttyS0, max_len: 0x100}\n",
		"policy.yaml:3:41: devices[0].max_len: expected an integer "
		"16..65536, got \"0x100\"");
}

static void test_policy_delimiter_without_lines_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    framing: mllp\n"
		"    delimiter: LF\n",
		"policy.yaml:6:5: devices[0].delimiter: only with framing lines, "
		"not mllp");
}

static void test_policy_delimiter_of_two_bytes_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    framing: lines\n"
		"    delimiter: \"\\r\\n\"\n",
		"policy.yaml:6:16: devices[0].delimiter: expected one byte "
		"(\"\\n\", \";\"), a name (LF, CR, ETX...) or 0xNN, got \"\\x0d\\x0a\"");
}

static void test_policy_raw_without_raw_framing_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    framing: lines\n"
		"    raw: {size: 64}\n",
		"policy.yaml:6:5: devices[0].raw: only with framing raw, not lines");
}

static void test_policy_raw_size_and_gap_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    raw:\n"
		"      gap_ms: 20\n"
		"      size: 64\n",
		"policy.yaml:7:7: devices[0].raw: give one of \"size\" and "
		"\"gap_ms\", not both");
}

static void test_policy_raw_empty_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, tty: /dev/ttyS0, raw: {}}\n",
		"policy.yaml:3:37: devices[0].raw: expected one of \"size\" or "
		"\"gap_ms\"");
}

static void test_policy_raw_size_above_max_len_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    max_len: 64\n"
		"    raw:\n"
		"      size: 65\n",
		"policy.yaml:7:13: devices[0].raw.size: 65 is more than max_len 64");
}

static void test_policy_raw_gap_out_of_range_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    raw: {gap_ms: 0}\n",
		"policy.yaml:5:19: devices[0].raw.gap_ms: expected an integer "
		"1..10000, got \"0\"");
}

static void test_policy_bad_on_bad_frame_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    on_bad_frame: fix\n",
		"policy.yaml:5:19: devices[0].on_bad_frame: expected pass or drop, "
		"got \"fix\"");
}

static void test_policy_inspect_not_boolean_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    inspect: yes\n",
		"policy.yaml:5:14: devices[0].inspect: expected true or false, "
		"got \"yes\"");
}

static void test_policy_write_not_mapping_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write: read_only\n",
		"policy.yaml:5:12: devices[0].write: expected a mapping, got a scalar");
}

static void test_policy_unknown_write_mode_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write: {mode: denylist}\n",
		"policy.yaml:5:19: devices[0].write.mode: expected allowlist, "
		"read_only or open, got \"denylist\"");
}

static void test_policy_unknown_write_key_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write:\n"
		"      deny: []\n",
		"policy.yaml:6:7: devices[0].write: unknown key \"deny\"");
}

static void test_policy_allow_with_read_only_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write:\n"
		"      allow:\n"
		"        - prefix: \"ID?\"\n"
		"      mode: read_only\n",
		"policy.yaml:6:7: devices[0].write.allow: not with mode read_only, "
		"which refuses every write");
}

static void test_policy_rate_with_read_only_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write:\n"
		"      mode: read_only\n"
		"      rate: 5\n",
		"policy.yaml:7:7: devices[0].write.rate: not with mode read_only, "
		"which refuses every write");
}

static void test_policy_allow_with_open_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write:\n"
		"      mode: open\n"
		"      allow: []\n",
		"policy.yaml:7:7: devices[0].write.allow: only with mode allowlist, "
		"not open");
}

static void test_policy_burst_without_rate_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write:\n"
		"      burst: 5\n",
		"policy.yaml:6:7: devices[0].write.burst: only with a rate above 0");
}

static void test_policy_zero_burst_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write: {rate: 10, burst: 0}\n",
		"policy.yaml:5:30: devices[0].write.burst: expected an integer "
		"1..100000, got \"0\"");
}

static void test_policy_rate_too_high_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write: {mode: open, rate: 100001}\n",
		"policy.yaml:5:31: devices[0].write.rate: expected an integer "
		"0..100000, got \"100001\"");
}

static void test_policy_allow_not_sequence_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write: {allow: {prefix: x}}\n",
		"policy.yaml:5:20: devices[0].write.allow: expected a sequence, "
		"got a mapping");
}

static void test_policy_allow_65_entries_rejected(void **state)
{
	char yaml[4096];
	size_t n, i;

	n = snprintf(yaml, sizeof(yaml),
		     "version: 1\ndevices:\n  - name: a\n    tty: /dev/ttyS0\n"
		     "    write:\n      allow:\n");
	for (i = 0; i <= CYL_ALLOW_MAX; i++)
		n += snprintf(yaml + n, sizeof(yaml) - n,
			      "        - prefix: \"Q%zu\"\n", i);
	assert_true(n < sizeof(yaml));
	assert_rejected(state, yaml,
		"policy.yaml:7:9: devices[0].write.allow: 65 entries, at most 64 "
		"are supported");
}

static void test_policy_allow_entry_not_mapping_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write:\n"
		"      allow:\n"
		"        - \"ID?\"\n",
		"policy.yaml:7:11: devices[0].write.allow[0]: expected a mapping, "
		"got a scalar");
}

static void test_policy_allow_entry_with_both_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write:\n"
		"      allow:\n"
		"        - control: ACK\n"
		"          prefix: \"ID?\"\n",
		"policy.yaml:8:11: devices[0].write.allow[0]: give one of \"prefix\" "
		"and \"control\", not both");
}

static void test_policy_allow_entry_empty_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write: {allow: [{}]}\n",
		"policy.yaml:5:21: devices[0].write.allow[0]: expected one of "
		"\"prefix\" or \"control\"");
}

static void test_policy_allow_entry_unknown_key_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write:\n"
		"      allow:\n"
		"        - regex: \"^ID\"\n",
		"policy.yaml:7:11: devices[0].write.allow[0]: unknown key \"regex\"");
}

static void test_policy_empty_prefix_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write: {allow: [{prefix: \"\"}]}\n",
		"policy.yaml:5:30: devices[0].write.allow[0].prefix: expected 1..32 "
		"ASCII bytes, got \"\"");
}

static void test_policy_prefix_of_33_bytes_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write: {allow: [{prefix: aaaaaaaaaabbbbbbbbbbccccccccccddd}]}\n",
		"policy.yaml:5:30: devices[0].write.allow[0].prefix: expected 1..32 "
		"ASCII bytes, got \"aaaaaaaaaabbbbbbbbbbccccccccccddd\"");
}

static void test_policy_non_ascii_prefix_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write: {allow: [{prefix: \"\\xff\"}]}\n",
		"policy.yaml:5:30: devices[0].write.allow[0].prefix: expected 1..32 "
		"ASCII bytes, got \"\\xc3\\xbf\"");
}

static void test_policy_unknown_control_rejected_with_path(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - {name: a, tty: /dev/ttyS0}\n"
		"  - {name: b, tty: /dev/ttyS1}\n"
		"  - name: c\n"
		"    tty: /dev/ttyS2\n"
		"    write:\n"
		"      allow:\n"
		"        - prefix: \"ID?\"\n"
		"        - control: BEL\n",
		"policy.yaml:10:20: devices[2].write.allow[1].control: expected ENQ, "
		"ACK, NAK, EOT, STX, ETX, ETB, CR, LF, VT, FS or 0xNN, got \"BEL\"");
}

static void test_policy_duplicate_write_key_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n"
		"    tty: /dev/ttyS0\n"
		"    write:\n"
		"      rate: 1\n"
		"      rate: 2\n",
		"policy.yaml:7:7: devices[0].write: duplicate key \"rate\"");
}

static void test_policy_critical_device_parsed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state,
		"version: 1\n"
		"devices:\n"
		"  - name: pump\n"
		"    tty: /dev/ttyUSB0\n"
		"    critical: true\n"
		"  - name: monitor\n"
		"    tty: /dev/ttyUSB1\n"), 0);
	assert_true(f->policy.devices[0].critical);
	assert_false(f->policy.devices[1].critical);
	/* No mender section: the default window, every list absent. */
	assert_false(f->policy.mender.set);
	assert_int_equal(f->policy.mender.session_window_s, 60);
	assert_false(f->policy.mender.artifacts.set);
}

static void test_policy_critical_not_boolean_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: pump\n"
		"    tty: /dev/ttyUSB0\n"
		"    critical: maybe\n",
		"policy.yaml:5:15: devices[0].critical: expected true or false, "
		"got \"maybe\"");
}

static void test_policy_mender_section_parsed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state,
		"version: 1\n"
		"mender:\n"
		"  session_window_s: 120\n"
		"  allowed_artifacts: ['gw-icu-*', gw-lab-1.2]\n"
		"  allowed_groups: [stable]\n"
		"  allowed_device_types: []\n"), 0);
	assert_true(f->policy.mender.set);
	assert_int_equal(f->policy.mender.session_window_s, 120);
	assert_true(f->policy.mender.artifacts.set);
	assert_int_equal(f->policy.mender.artifacts.n, 2);
	assert_string_equal(f->policy.mender.artifacts.items[0], "gw-icu-*");
	assert_string_equal(f->policy.mender.artifacts.items[1], "gw-lab-1.2");
	assert_int_equal(f->policy.mender.groups.n, 1);
	assert_string_equal(f->policy.mender.groups.items[0], "stable");
	/* Present and empty: allows no device type at all. */
	assert_true(f->policy.mender.device_types.set);
	assert_int_equal(f->policy.mender.device_types.n, 0);
}

static void test_policy_mender_window_out_of_range_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"mender:\n"
		"  session_window_s: 3601\n",
		"policy.yaml:3:21: mender.session_window_s: expected an integer "
		"1..3600, got \"3601\"");
}

static void test_policy_mender_window_zero_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"mender: {session_window_s: 0}\n",
		"policy.yaml:2:28: mender.session_window_s: expected an integer "
		"1..3600, got \"0\"");
}

static void test_policy_mender_list_not_sequence_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"mender:\n"
		"  allowed_groups: stable\n",
		"policy.yaml:3:19: mender.allowed_groups: expected a sequence, "
		"got a scalar");
}

static void test_policy_mender_empty_entry_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"mender:\n"
		"  allowed_artifacts:\n"
		"    - gw-*\n"
		"    - ''\n",
		"policy.yaml:5:7: mender.allowed_artifacts[1]: expected 1 to 255 "
		"bytes without NUL, got \"\"");
}

static void test_policy_mender_entry_not_scalar_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"mender:\n"
		"  allowed_device_types: [[a]]\n",
		"policy.yaml:3:26: mender.allowed_device_types[0]: expected a "
		"scalar, got a sequence");
}

static void test_policy_mender_unknown_key_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"mender:\n"
		"  allowed_artifact: [x]\n",
		"policy.yaml:3:3: mender: unknown key \"allowed_artifact\"");
}

/* --- ssi --- */

/* Lines 1-9; a test appends its keys from line 10 on. */
#define SSI_HEAD \
	"version: 1\n" \
	"ssi:\n" \
	"  domain: gw-icu-1.hospital.example\n" \
	"  master_key: /etc/cylcomed/abe/master.key\n" \
	"  trusted_issuers:\n" \
	"    - type: ClinicianCredential\n" \
	"      issuers: [did:web:hospital.example, did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK]\n" \
	"  mapping:\n" \
	"    - {credential: ClinicianCredential, claim: role, attribute: role}\n"

static void test_policy_ssi_section_defaults(void **state)
{
	struct fixture *f = *state;
	const struct cyl_policy_ssi *s = &f->policy.ssi;

	assert_int_equal(parse(state, SSI_HEAD), 0);
	assert_true(s->set);
	assert_string_equal(s->domain, "gw-icu-1.hospital.example");
	assert_string_equal(s->master_key, "/etc/cylcomed/abe/master.key");
	assert_int_equal(s->master_key_line, 4);
	assert_int_equal(s->master_key_column, 15);
	assert_int_equal(s->n_issuers, 1);
	assert_string_equal(s->issuers[0].type, "ClinicianCredential");
	assert_int_equal(s->issuers[0].n, 2);
	assert_string_equal(s->issuers[0].dids[0], "did:web:hospital.example");
	assert_string_equal(s->issuers[0].dids[1],
			    "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
	assert_int_equal(s->n_map, 1);
	assert_string_equal(s->map[0].credential, "ClinicianCredential");
	assert_string_equal(s->map[0].claim, "role");
	assert_string_equal(s->map[0].attribute, "role");
	assert_int_equal(s->key_lifetime_s, 8 * 3600);
	assert_int_equal(s->challenge_ttl_s, 120);
	assert_int_equal(s->status_max_age_s, 86400);
	assert_string_equal(s->did_web_cache, "/var/lib/cylcomed/did-web");
	assert_string_equal(s->status_lists, "/var/lib/cylcomed/status-lists");
	assert_false(s->http);
	/* Parsing reads no file: the daemon loads the key. */
	assert_null(s->msk);
}

static void test_policy_ssi_section_all_keys(void **state)
{
	struct fixture *f = *state;
	const struct cyl_policy_ssi *s = &f->policy.ssi;
	const struct sockaddr_in *sin = (const void *)&s->http_addr;

	assert_int_equal(parse(state, SSI_HEAD
		"    - {credential: ClinicianCredential, claim: ward, attribute: ward}\n"
		"    - {credential: NurseCredential, claim: ward, attribute: ward}\n"
		"  key_lifetime_s: 604800\n"
		"  challenge_ttl_s: 10\n"
		"  status_max_age_s: 3600\n"
		"  did_web_cache: /srv/did-web\n"
		"  status_lists: /srv/status\n"
		"  http: 127.0.0.1:9465\n"
		"  trusted_issuers:\n"), -EINVAL);
	/* The same keys without the duplicate trusted_issuers... */
	assert_string_equal(f->err.text,
			    "policy.yaml:18:3: ssi: duplicate key \"trusted_issuers\"");
	cyl_policy_free(&f->policy);
	/* ...and with NurseCredential trusted. */
	assert_int_equal(parse(state,
		"version: 1\n"
		"ssi:\n"
		"  domain: gw\n"
		"  master_key: /k\n"
		"  trusted_issuers:\n"
		"    - {type: ClinicianCredential, issuers: [did:web:a.example]}\n"
		"    - {type: NurseCredential, issuers: ['did:web:b.example%3A8443:hr']}\n"
		"  mapping:\n"
		"    - {credential: ClinicianCredential, claim: ward, attribute: ward}\n"
		"    - {credential: NurseCredential, claim: ward, attribute: ward}\n"
		"    - {credential: NurseCredential, claim: ward, attribute: nurse.ward}\n"
		"  key_lifetime_s: 604800\n"
		"  challenge_ttl_s: 10\n"
		"  status_max_age_s: 3600\n"
		"  did_web_cache: /srv/did-web\n"
		"  status_lists: /srv/status\n"
		"  http: 127.0.0.1:9465\n"), 0);
	assert_int_equal(s->n_issuers, 2);
	assert_string_equal(s->issuers[1].dids[0], "did:web:b.example%3A8443:hr");
	assert_int_equal(s->n_map, 3);
	assert_string_equal(s->map[2].credential, "NurseCredential");
	assert_string_equal(s->map[2].attribute, "nurse.ward");
	assert_int_equal(s->key_lifetime_s, 604800);
	assert_int_equal(s->challenge_ttl_s, 10);
	assert_int_equal(s->status_max_age_s, 3600);
	assert_string_equal(s->did_web_cache, "/srv/did-web");
	assert_string_equal(s->status_lists, "/srv/status");
	assert_true(s->http);
	assert_string_equal(s->http_text, "127.0.0.1:9465");
	assert_int_equal(s->http_addrlen, sizeof(*sin));
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(ntohs(sin->sin_port), 9465);
	assert_int_equal(ntohl(sin->sin_addr.s_addr), 0x7f000001);
}

static void test_policy_ssi_http_ipv6_loopback(void **state)
{
	struct fixture *f = *state;
	const struct sockaddr_in6 *sin6 = (const void *)&f->policy.ssi.http_addr;

	assert_int_equal(parse(state, SSI_HEAD "  http: '[::1]:9465'\n"), 0);
	assert_true(f->policy.ssi.http);
	assert_int_equal(sin6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(sin6->sin6_port), 9465);
	assert_true(IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr));
}

static void test_policy_ssi_http_not_loopback_rejected(void **state)
{
	assert_rejected(state, SSI_HEAD "  http: 0.0.0.0:9465\n",
		"policy.yaml:10:9: ssi.http: \"0.0.0.0:9465\" is not a loopback address "
		"(127.0.0.0/8 or [::1]): the endpoint has no TLS, put a proxy in front of it");
	cyl_policy_free(&((struct fixture *)*state)->policy);
	assert_rejected(state, SSI_HEAD "  http: '[fd00::1]:9465'\n",
		"policy.yaml:10:9: ssi.http: \"[fd00::1]:9465\" is not a loopback address "
		"(127.0.0.0/8 or [::1]): the endpoint has no TLS, put a proxy in front of it");
}

static void test_policy_ssi_http_malformed_rejected(void **state)
{
	static const char *const bad[] = {
		"127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:09465",
		"localhost:9465", "[::1]9465", "[::1:9465", "127.0.0.1:94a5", "::1:9465",
	};
	struct fixture *f = *state;
	char yaml[512], want[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(yaml, sizeof(yaml), SSI_HEAD "  http: '%s'\n", bad[i]);
		snprintf(want, sizeof(want), "policy.yaml:10:9: ssi.http: expected ADDR:PORT "
			 "or [ADDR]:PORT, numeric, got \"%s\"", bad[i]);
		assert_int_equal(parse(state, yaml), -EINVAL);
		assert_string_equal(f->err.text, want);
		assert_false(f->policy.ssi.set);
	}
}

static void test_policy_ssi_missing_keys_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"ssi:\n"
		"  master_key: /k\n"
		"  trusted_issuers: [{type: T, issuers: [did:web:a]}]\n"
		"  mapping: [{credential: T, claim: c, attribute: a}]\n",
		"policy.yaml:3:3: ssi: missing key \"domain\"");
	cyl_policy_free(&((struct fixture *)*state)->policy);
	assert_rejected(state,
		"version: 1\n"
		"ssi: {domain: d, master_key: /k, trusted_issuers: [{type: T, issuers: [did:web:a]}]}\n",
		"policy.yaml:2:6: ssi: missing key \"mapping\"");
	cyl_policy_free(&((struct fixture *)*state)->policy);
	assert_rejected(state,
		"version: 1\n"
		"ssi: {domain: d, master_key: /k, trusted_issuers: [{type: T}], mapping: []}\n",
		"policy.yaml:2:52: ssi.trusted_issuers[0]: missing key \"issuers\"");
}

static void test_policy_ssi_bad_values_rejected(void **state)
{
	static const struct {
		const char *yaml, *err;
	} cases[] = {
		{ SSI_HEAD "  key_lifetime_s: 604801\n",
		  "policy.yaml:10:19: ssi.key_lifetime_s: expected an integer 60..604800, "
		  "got \"604801\"" },
		{ SSI_HEAD "  challenge_ttl_s: 9\n",
		  "policy.yaml:10:20: ssi.challenge_ttl_s: expected an integer 10..3600, got \"9\"" },
		{ SSI_HEAD "  status_max_age_s: 8h\n",
		  "policy.yaml:10:21: ssi.status_max_age_s: expected an integer 60..2592000, "
		  "got \"8h\"" },
		{ SSI_HEAD "  did_web_cache: var/did\n",
		  "policy.yaml:10:18: ssi.did_web_cache: expected an absolute path, got \"var/did\"" },
		{ SSI_HEAD "  status_lists: [/a]\n",
		  "policy.yaml:10:17: ssi.status_lists: expected a scalar, got a sequence" },
		{ SSI_HEAD "  owner: me\n",
		  "policy.yaml:10:3: ssi: unknown key \"owner\"" },
		{ "version: 1\n"
		  "ssi: {domain: 'gw icu', master_key: /k, trusted_issuers: [], mapping: []}\n",
		  "policy.yaml:2:15: ssi.domain: expected 1..255 printable characters without "
		  "space, got \"gw icu\"" },
		{ "version: 1\n"
		  "ssi: {domain: gw, master_key: master.key, trusted_issuers: [], mapping: []}\n",
		  "policy.yaml:2:31: ssi.master_key: expected an absolute path, got \"master.key\"" },
		{ "version: 1\n"
		  "ssi: {domain: gw, master_key: /k, trusted_issuers: [], mapping: []}\n",
		  "policy.yaml:2:52: ssi.trusted_issuers: expected at least one entry" },
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(state, cases[i].yaml), -EINVAL);
		assert_string_equal(f->err.text, cases[i].err);
		assert_false(f->policy.ssi.set);
	}
}

static void test_policy_ssi_bad_issuers_rejected(void **state)
{
	static const struct {
		const char *entries, *err;
	} cases[] = {
		/* Methods the resolvers do not know, and DID URLs. */
		{ "    - {type: T, issuers: [did:example:123]}\n",
		  "policy.yaml:6:27: ssi.trusted_issuers[0].issuers[0]: expected a did:key or "
		  "did:web DID (no path, query or fragment), got \"did:example:123\"" },
		{ "    - {type: T, issuers: ['did:web:a.example#key-1']}\n",
		  "policy.yaml:6:27: ssi.trusted_issuers[0].issuers[0]: expected a did:key or "
		  "did:web DID (no path, query or fragment), got \"did:web:a.example#key-1\"" },
		{ "    - {type: T, issuers: ['did:key:']}\n",
		  "policy.yaml:6:27: ssi.trusted_issuers[0].issuers[0]: expected a did:key or "
		  "did:web DID (no path, query or fragment), got \"did:key:\"" },
		{ "    - {type: T, issuers: [did:web:a, did:web:a]}\n",
		  "policy.yaml:6:38: ssi.trusted_issuers[0].issuers[1]: \"did:web:a\" is "
		  "listed twice" },
		{ "    - {type: T, issuers: []}\n",
		  "policy.yaml:6:26: ssi.trusted_issuers[0].issuers: expected at least one entry" },
		{ "    - {type: T, issuers: [did:web:a]}\n"
		  "    - {type: T, issuers: [did:web:b]}\n",
		  "policy.yaml:7:14: ssi.trusted_issuers[1].type: type \"T\" is listed twice "
		  "(trusted_issuers[0])" },
		{ "    - {type: 'Clinician Credential', issuers: [did:web:a]}\n",
		  "policy.yaml:6:14: ssi.trusted_issuers[0].type: expected a credential type, "
		  "1..128 printable characters without space, got \"Clinician Credential\"" },
		{ "    - {type: T, issuers: [did:web:a], trust: full}\n",
		  "policy.yaml:6:39: ssi.trusted_issuers[0]: unknown key \"trust\"" },
	};
	struct fixture *f = *state;
	char yaml[1024];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(yaml, sizeof(yaml),
			 "version: 1\n"
			 "ssi:\n"
			 "  domain: gw\n"
			 "  master_key: /k\n"
			 "  trusted_issuers:\n"
			 "%s"
			 "  mapping: [{credential: T, claim: c, attribute: a}]\n", cases[i].entries);
		assert_int_equal(parse(state, yaml), -EINVAL);
		assert_string_equal(f->err.text, cases[i].err);
		assert_false(f->policy.ssi.set);
	}
}

static void test_policy_ssi_bad_mapping_rejected(void **state)
{
	static const struct {
		const char *rule, *err;
	} cases[] = {
		/* A type no issuer is trusted for would never map. */
		{ "{credential: NurseCredential, claim: role, attribute: role}",
		  "policy.yaml:10:20: ssi.mapping[1].credential: \"NurseCredential\" is not a type "
		  "of ssi.trusted_issuers: no credential of it is ever accepted" },
		/* The name must make "name:value" an attribute of abe/policy.h. */
		{ "{credential: ClinicianCredential, claim: role, attribute: 'role:x'}",
		  "policy.yaml:10:65: ssi.mapping[1].attribute: expected an attribute name, "
		  "1..64 of A-Z a-z 0-9 _ . -, got \"role:x\"" },
		{ "{credential: ClinicianCredential, claim: role, attribute: "
		  "a2345678901234567890123456789012345678901234567890123456789012345}",
		  "policy.yaml:10:65: ssi.mapping[1].attribute: expected an attribute name, "
		  "1..64 of A-Z a-z 0-9 _ . -, got \"a23456789012345678901234567890123456789012345"
		  "678...\"" },
		{ "{credential: ClinicianCredential, claim: 'a claim', attribute: role}",
		  "policy.yaml:10:48: ssi.mapping[1].claim: expected a claim name, 1..128 "
		  "printable characters without space, got \"a claim\"" },
		{ "{credential: ClinicianCredential, claim: role, attribute: role}",
		  "policy.yaml:10:7: ssi.mapping[1]: the same rule as ssi.mapping[0]" },
		{ "{credential: ClinicianCredential, claim: role}",
		  "policy.yaml:10:7: ssi.mapping[1]: missing key \"attribute\"" },
		{ "{credential: ClinicianCredential, claim: [role], attribute: role}",
		  "policy.yaml:10:48: ssi.mapping[1].claim: expected a scalar, got a sequence" },
	};
	struct fixture *f = *state;
	char yaml[1024];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(yaml, sizeof(yaml), SSI_HEAD "    - %s\n", cases[i].rule);
		assert_int_equal(parse(state, yaml), -EINVAL);
		assert_string_equal(f->err.text, cases[i].err);
		assert_false(f->policy.ssi.set);
	}
}

/* "ssi" was planned; it is a section now, and "abe" still waits. */
static void test_policy_ssi_no_longer_planned(void **state)
{
	assert_int_equal(parse(state, SSI_HEAD), 0);
	cyl_policy_free(&((struct fixture *)*state)->policy);
	assert_rejected(state, "version: 1\nabe: {}\n",
		"policy.yaml:2:1: abe: not supported by this build yet "
		"(arrives with CP-ABE sealed exports)");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_policy_two_devices_parsed),
		T(test_policy_without_devices_accepted),
		T(test_policy_flow_style_accepted),
		T(test_policy_relative_tty_rejected_with_line_col),
		T(test_policy_tty_outside_dev_rejected),
		T(test_policy_tty_dotdot_rejected),
		T(test_policy_tty_with_nul_rejected),
		T(test_policy_bad_name_rejected),
		T(test_policy_name_of_33_chars_rejected),
		T(test_policy_long_text_quoted_truncated),
		T(test_policy_duplicate_name_rejected),
		T(test_policy_duplicate_tty_rejected),
		T(test_policy_unknown_device_key_rejected),
		T(test_policy_missing_tty_and_usb_rejected),
		T(test_policy_duplicate_device_key_rejected),
		T(test_policy_device_not_mapping_rejected),
		T(test_policy_devices_not_sequence_rejected),
		T(test_policy_unknown_section_rejected),
		T(test_policy_planned_section_rejected_naming_release),
		T(test_policy_risk_section_parsed),
		T(test_policy_risk_section_errors_name_the_path),
		T(test_policy_usb_section_parsed),
		T(test_policy_usb_defaults),
		T(test_policy_usb_bad_rule_names_line_and_column),
		T(test_policy_usb_bad_rule_in_folded_scalar_names_byte),
		T(test_policy_usb_rule_not_scalar_rejected),
		T(test_policy_usb_section_unknown_key_rejected),
		T(test_policy_usb_prepend_keeps_the_rest),
		T(test_policy_usb_prepend_adds_a_section),
		T(test_policy_usb_prepend_indentless_list),
		T(test_policy_usb_prepend_refuses_flow_list),
		T(test_policy_planned_device_key_rejected_naming_release),
		T(test_policy_critical_device_parsed),
		T(test_policy_critical_not_boolean_rejected),
		T(test_policy_mender_section_parsed),
		T(test_policy_mender_window_out_of_range_rejected),
		T(test_policy_mender_window_zero_rejected),
		T(test_policy_mender_list_not_sequence_rejected),
		T(test_policy_mender_empty_entry_rejected),
		T(test_policy_mender_entry_not_scalar_rejected),
		T(test_policy_mender_unknown_key_rejected),
		T(test_policy_ssi_section_defaults),
		T(test_policy_ssi_section_all_keys),
		T(test_policy_ssi_http_ipv6_loopback),
		T(test_policy_ssi_http_not_loopback_rejected),
		T(test_policy_ssi_http_malformed_rejected),
		T(test_policy_ssi_missing_keys_rejected),
		T(test_policy_ssi_bad_values_rejected),
		T(test_policy_ssi_bad_issuers_rejected),
		T(test_policy_ssi_bad_mapping_rejected),
		T(test_policy_ssi_no_longer_planned),
		T(test_policy_wrong_version_rejected),
		T(test_policy_version_not_scalar_rejected),
		T(test_policy_missing_version_rejected),
		T(test_policy_duplicate_section_rejected),
		T(test_policy_sequence_document_rejected),
		T(test_policy_scalar_document_rejected),
		T(test_policy_syntax_error_reports_problem_mark),
		T(test_policy_unterminated_quote_reports_context),
		T(test_policy_empty_input_rejected),
		T(test_policy_comments_only_rejected),
		T(test_policy_second_document_rejected),
		T(test_policy_self_alias_rejected),
		T(test_policy_over_1mib_rejected),
		T(test_policy_load_file_missing_reports_errno),
		T(test_policy_load_file_names_file_in_errors),
		T(test_policy_serial_defaults_raw_by_gap_allowlist),
		T(test_policy_raw_size_fills_raw_size),
		T(test_policy_raw_gap_ms_in_microseconds),
		T(test_policy_lines_default_delimiter_lf),
		T(test_policy_lines_delimiter_forms),
		T(test_policy_astm_analyser_controls),
		T(test_policy_mllp_monitor_inspected),
		T(test_policy_allow_prefix_with_escapes),
		T(test_policy_allow_prefix_of_32_bytes_accepted),
		T(test_policy_allow_64_entries_accepted),
		T(test_policy_write_read_only),
		T(test_policy_write_open_burst_defaults_to_rate),
		T(test_policy_write_empty_allowlist),
		T(test_policy_usb_match_parsed),
		T(test_policy_usb_matches_differing_in_interface_accepted),
		T(test_policy_tty_and_usb_rejected),
		T(test_policy_usb_missing_product_rejected),
		T(test_policy_usb_vendor_not_4_hex_digits_rejected),
		T(test_policy_usb_interface_out_of_range_rejected),
		T(test_policy_usb_serial_with_control_byte_rejected),
		T(test_policy_usb_unknown_key_rejected),
		T(test_policy_same_usb_match_twice_rejected),
		T(test_policy_record_key_rejected_with_reason),
		T(test_policy_unknown_framing_rejected),
		T(test_policy_max_len_below_16_rejected),
		T(test_policy_max_len_above_65536_rejected),
		T(test_policy_max_len_not_decimal_rejected),
		T(test_policy_delimiter_without_lines_rejected),
		T(test_policy_delimiter_of_two_bytes_rejected),
		T(test_policy_raw_without_raw_framing_rejected),
		T(test_policy_raw_size_and_gap_rejected),
		T(test_policy_raw_empty_rejected),
		T(test_policy_raw_size_above_max_len_rejected),
		T(test_policy_raw_gap_out_of_range_rejected),
		T(test_policy_bad_on_bad_frame_rejected),
		T(test_policy_inspect_not_boolean_rejected),
		T(test_policy_write_not_mapping_rejected),
		T(test_policy_unknown_write_mode_rejected),
		T(test_policy_unknown_write_key_rejected),
		T(test_policy_allow_with_read_only_rejected),
		T(test_policy_rate_with_read_only_rejected),
		T(test_policy_allow_with_open_rejected),
		T(test_policy_burst_without_rate_rejected),
		T(test_policy_zero_burst_rejected),
		T(test_policy_rate_too_high_rejected),
		T(test_policy_allow_not_sequence_rejected),
		T(test_policy_allow_65_entries_rejected),
		T(test_policy_allow_entry_not_mapping_rejected),
		T(test_policy_allow_entry_with_both_rejected),
		T(test_policy_allow_entry_empty_rejected),
		T(test_policy_allow_entry_unknown_key_rejected),
		T(test_policy_empty_prefix_rejected),
		T(test_policy_prefix_of_33_bytes_rejected),
		T(test_policy_non_ascii_prefix_rejected),
		T(test_policy_unknown_control_rejected_with_path),
		T(test_policy_duplicate_write_key_rejected),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
