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

static void test_policy_missing_tty_rejected(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: a\n",
		"policy.yaml:3:5: devices[0]: missing key \"tty\"");
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
		"usb:\n"
		"  default: block\n",
		"policy.yaml:2:1: usb: not supported by this build yet "
		"(arrives with USB device authorization)");
}

static void test_policy_planned_device_key_rejected_naming_release(void **state)
{
	assert_rejected(state,
		"version: 1\n"
		"devices:\n"
		"  - name: pump-3\n"
		"    tty: /dev/ttyUSB1\n"
		"    framing: astm\n",
		"policy.yaml:5:5: devices[0].framing: not supported by this build yet "
		"(arrives with the serial guard)");
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
		T(test_policy_missing_tty_rejected),
		T(test_policy_duplicate_device_key_rejected),
		T(test_policy_device_not_mapping_rejected),
		T(test_policy_devices_not_sequence_rejected),
		T(test_policy_unknown_section_rejected),
		T(test_policy_planned_section_rejected_naming_release),
		T(test_policy_planned_device_key_rejected_naming_release),
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
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
