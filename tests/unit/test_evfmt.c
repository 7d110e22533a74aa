// SPDX-License-Identifier: GPL-2.0
/*
 * Event formatting: the human line and the JSON object.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/evfmt.h"

static struct cyl_event tty_open(void)
{
	struct cyl_event ev = {
		.ts_ns = 123456789,
		.type = CYL_EV_TTY_OPEN,
		.verdict = CYL_VERDICT_AUDIT,
		.pid = 123,
		.uid = 0,
		.dev = CYL_MKDEV(188, 0),
	};

	memcpy(ev.comm, "cat", 3);
	return ev;
}

static void test_evfmt_tty_open_line(void **state)
{
	struct cyl_event ev = tty_open();
	char buf[CYL_EVFMT_LINE_MAX];
	const char *want = "tty_open dev=188:0 pid=123 uid=0 comm=cat verdict=audit";

	assert_int_equal(cyl_evfmt_line(&ev, buf, sizeof(buf)), strlen(want));
	assert_string_equal(buf, want);
}

static void test_evfmt_full_comm_without_nul_bounded(void **state)
{
	struct cyl_event ev = tty_open();
	char buf[CYL_EVFMT_LINE_MAX];

	memset(ev.comm, 'x', sizeof(ev.comm));
	cyl_evfmt_line(&ev, buf, sizeof(buf));
	assert_string_equal(buf, "tty_open dev=188:0 pid=123 uid=0 "
			    "comm=xxxxxxxxxxxxxxxx verdict=audit");
}

static void test_evfmt_unprintable_comm_sanitised(void **state)
{
	struct cyl_event ev = tty_open();
	char buf[CYL_EVFMT_LINE_MAX];

	memcpy(ev.comm, "a b\n\033[1m", 9);
	cyl_evfmt_line(&ev, buf, sizeof(buf));
	assert_string_equal(buf, "tty_open dev=188:0 pid=123 uid=0 "
			    "comm=a?b??[1m verdict=audit");
}

static void test_evfmt_unknown_type_and_verdict_numbered(void **state)
{
	struct cyl_event ev = tty_open();
	char buf[CYL_EVFMT_LINE_MAX];

	ev.type = 77;
	ev.verdict = 9;
	ev.dev = CYL_MKDEV(4095, 1048575);
	ev.pid = 4294967295u;
	cyl_evfmt_line(&ev, buf, sizeof(buf));
	assert_string_equal(buf, "type_77 dev=4095:1048575 pid=4294967295 "
			    "uid=0 comm=cat verdict=verdict_9");
}

static void test_evfmt_small_buffer_reports_enospc(void **state)
{
	struct cyl_event ev = tty_open();
	char buf[10];

	assert_int_equal(cyl_evfmt_line(&ev, buf, sizeof(buf)), -ENOSPC);
	assert_string_equal(buf, "tty_open ");
}

static void test_evfmt_json_fields(void **state)
{
	struct cyl_event ev = tty_open();
	json_t *obj = cyl_evfmt_json(&ev);
	char *s;

	assert_non_null(obj);
	s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s, "{\"type\":\"tty_open\",\"ts_ns\":123456789,"
			    "\"dev\":\"188:0\",\"pid\":123,\"uid\":0,"
			    "\"comm\":\"cat\",\"verdict\":\"audit\"}");
	free(s);
	json_decref(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evfmt_tty_open_line),
		cmocka_unit_test(test_evfmt_full_comm_without_nul_bounded),
		cmocka_unit_test(test_evfmt_unprintable_comm_sanitised),
		cmocka_unit_test(test_evfmt_unknown_type_and_verdict_numbered),
		cmocka_unit_test(test_evfmt_small_buffer_reports_enospc),
		cmocka_unit_test(test_evfmt_json_fields),
	};

	return cmocka_run_group_tests_name("evfmt", tests, NULL, NULL);
}
