// SPDX-License-Identifier: GPL-2.0
/*
 * Security events as JSON: the shape of each kind, time conversion and
 * formatting, filters, and the stdout line.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/event.h"
#include "core/evfmt.h"

static struct cyl_event tty_open(void)
{
	struct cyl_event ev = {
		.ts_ns = 5000000000ULL,
		.type = CYL_EV_TTY_OPEN,
		.verdict = CYL_VERDICT_AUDIT,
		.pid = 123,
		.uid = 0,
		.dev = CYL_MKDEV(188, 0),
	};

	memcpy(ev.comm, "cat", 3);
	return ev;
}

static int teardown(void **state)
{
	json_decref(*state);
	return 0;
}

static const char *str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* 2024-05-01T12:34:56.789Z */
#define T0_NS	(1714566896789LL * 1000000LL)

static void test_event_time_is_rfc3339_utc_millis(void **state)
{
	char buf[CYL_EVENT_TIME_LEN];

	assert_int_equal(cyl_event_format_time(T0_NS + 999999, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2024-05-01T12:34:56.789Z");
	assert_int_equal(cyl_event_format_time(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
	assert_int_equal(cyl_event_format_time(0, buf, 10), -ENOSPC);
}

static void test_event_boot_time_converted_to_wall_time(void **state)
{
	/* Booted at T0 - 100 s; the record is from 5 s after boot. */
	int64_t now_boot = 100LL * 1000000000LL;

	assert_int_equal(cyl_event_real_ns(5000000000ULL, T0_NS, now_boot),
			 T0_NS - 95LL * 1000000000LL);
	assert_int_equal(cyl_event_real_ns(now_boot, T0_NS, now_boot), T0_NS);
}

static void test_event_from_bpf_has_schema_in_order(void **state)
{
	struct cyl_event ev = tty_open();
	const char *want[] = { "time", "host", "seq", "type", "device", "subject",
			       "verdict", "reason", "dev" };
	json_t *obj, *subj;
	const char *key;
	json_t *val;
	size_t i = 0;

	obj = cyl_event_from_bpf(&ev, "monitor-icu-1", "/usr/bin/cat", T0_NS);
	*state = obj;
	assert_non_null(obj);
	json_object_foreach(obj, key, val) {
		assert_true(i < sizeof(want) / sizeof(want[0]));
		assert_string_equal(key, want[i++]);
	}
	assert_int_equal(i, sizeof(want) / sizeof(want[0]));
	assert_string_equal(str(obj, "time"), "2024-05-01T12:34:56.789Z");
	assert_string_equal(str(obj, "type"), "tty_open");
	assert_string_equal(str(obj, "device"), "monitor-icu-1");
	assert_string_equal(str(obj, "verdict"), "audit");
	assert_string_equal(str(obj, "dev"), "188:0");
	assert_non_null(str(obj, "reason"));
	subj = json_object_get(obj, "subject");
	assert_int_equal(json_integer_value(json_object_get(subj, "pid")), 123);
	assert_int_equal(json_integer_value(json_object_get(subj, "uid")), 0);
	assert_string_equal(str(subj, "exe"), "/usr/bin/cat");
	assert_string_equal(str(subj, "comm"), "cat");
	assert_null(json_object_get(obj, "counters"));
}

static void test_event_exe_null_when_process_gone(void **state)
{
	struct cyl_event ev = tty_open();
	json_t *subj;

	*state = cyl_event_from_bpf(&ev, NULL, NULL, T0_NS);
	assert_non_null(*state);
	subj = json_object_get(*state, "subject");
	assert_true(json_is_null(json_object_get(subj, "exe")));
	assert_true(json_is_null(json_object_get(*state, "device")));
}

static void test_event_subject_text_sanitised(void **state)
{
	struct cyl_event ev = tty_open();
	json_t *subj;

	memcpy(ev.comm, "a b\x01\xff" "cdefghijklmn", CYL_COMM_LEN);	/* no NUL */
	*state = cyl_event_from_bpf(&ev, NULL, "/tmp/\xff\xfe", T0_NS);
	assert_non_null(*state);
	subj = json_object_get(*state, "subject");
	assert_string_equal(str(subj, "comm"), "a?b??cdefghijklm");
	assert_string_equal(str(subj, "exe"), "/tmp/??");
}

static void test_event_stamp_fills_host_seq_keeps_bpf_time(void **state)
{
	struct cyl_event ev = tty_open();

	*state = cyl_event_from_bpf(&ev, NULL, NULL, T0_NS);
	assert_int_equal(cyl_event_stamp(*state, 0, "gw-1", 42), 0);
	assert_string_equal(str(*state, "time"), "2024-05-01T12:34:56.789Z");
	assert_string_equal(str(*state, "host"), "gw-1");
	assert_int_equal(json_integer_value(json_object_get(*state, "seq")), 42);
}

static void test_event_agent_event_stamped_with_now(void **state)
{
	json_t *subj = cyl_event_subject(77, 65534, NULL, "cylctl", 6);

	*state = cyl_event_new("control_denied", NULL, subj, "deny", "no credential");
	assert_non_null(*state);
	assert_true(json_is_null(json_object_get(*state, "time")));
	assert_int_equal(cyl_event_stamp(*state, T0_NS, "gw-1", 1), 0);
	assert_string_equal(str(*state, "time"), "2024-05-01T12:34:56.789Z");
	assert_string_equal(str(*state, "type"), "control_denied");
	assert_string_equal(str(*state, "verdict"), "deny");
	assert_null(json_object_get(*state, "dev"));
}

static void test_event_filters_match_type_and_device(void **state)
{
	struct cyl_event ev = tty_open();

	*state = cyl_event_from_bpf(&ev, "monitor-icu-1", NULL, T0_NS);
	assert_true(cyl_event_match(*state, NULL, NULL));
	assert_true(cyl_event_match(*state, "tty_open", "monitor-icu-1"));
	assert_false(cyl_event_match(*state, "policy_load", NULL));
	assert_false(cyl_event_match(*state, NULL, "pump-2"));
}

static void test_event_line_of_bpf_record_unchanged(void **state)
{
	struct cyl_event ev = tty_open();
	char want[CYL_EVFMT_LINE_MAX], got[CYL_EVENT_LINE_MAX];

	*state = cyl_event_from_bpf(&ev, "monitor-icu-1", "/usr/bin/cat", T0_NS);
	assert_true(cyl_evfmt_line(&ev, want, sizeof(want)) > 0);
	assert_true(cyl_event_line(*state, got, sizeof(got)) > 0);
	assert_string_equal(got, want);
}

static void test_event_line_of_agent_event_has_reason(void **state)
{
	char got[CYL_EVENT_LINE_MAX];

	*state = cyl_event_new("control_denied", NULL,
			       cyl_event_subject(77, 65534, NULL, "cylctl", 6),
			       "deny", "say \"no\"");
	assert_true(cyl_event_line(*state, got, sizeof(got)) > 0);
	assert_string_equal(got, "control_denied pid=77 uid=65534 comm=cylctl "
				 "verdict=deny reason=\"say \\\"no\\\"\"");
	assert_int_equal(cyl_event_line(*state, got, 10), -ENOSPC);
}

/* The hot path must say exactly what the jansson path says. */
static void assert_render_matches(const struct cyl_event *ev, const char *device,
				  const char *exe, const char *host)
{
	const int64_t real = 1795896413856000000LL;
	char json[2048], line[512], want_line[512];
	json_t *want, *got;
	int n;

	want = cyl_event_from_bpf(ev, device, exe, real);
	assert_non_null(want);
	assert_int_equal(cyl_event_stamp(want, real, host, 77), 0);
	n = cyl_event_bpf_render(ev, device, exe, real, host, 77, json,
				 sizeof(json), line, sizeof(line));
	assert_true(n > 0);
	assert_int_equal(json[n - 1], '\n');
	got = json_loadb(json, n - 1, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(got);
	if (!json_equal(want, got)) {
		char *w = json_dumps(want, JSON_PRESERVE_ORDER);

		fail_msg("render: %.*s\njansson: %s", n, json, w);
	}
	assert_true(cyl_event_line(want, want_line, sizeof(want_line)) >= 0);
	assert_string_equal(line, want_line);
	json_decref(want);
	json_decref(got);
}

static void test_event_render_matches_jansson_path(void **state)
{
	struct cyl_event ev = {
		.ts_ns = 5, .type = CYL_EV_TTY_OPEN, .verdict = CYL_VERDICT_AUDIT,
		.pid = 4242, .uid = 1000, .dev = CYL_MKDEV(188, 0), .comm = "head",
	};

	assert_render_matches(&ev, "monitor-icu-1", "/usr/bin/head", "gw-icu");
	assert_render_matches(&ev, NULL, NULL, "gw-icu");
	memcpy(ev.comm, "a\"b\\c d\x01\xff", 10);
	assert_render_matches(&ev, "monitor-icu-1", "/opt/t\xc3\xa9st \"x\"\\", "h");
	assert_render_matches(&ev, "m", "/bad/\xff\xfe/utf8\x01", "host\xff");
	memcpy(ev.comm, "0123456789abcdef", 16);	/* no NUL: all 16 */
	ev.type = 99;
	ev.verdict = 7;
	assert_render_matches(&ev, NULL, "/usr/bin/x", NULL);
}

static void test_event_render_too_small_reports_enospc(void **state)
{
	struct cyl_event ev = { .type = CYL_EV_TTY_OPEN, .comm = "head" };
	char json[40], line[512];

	assert_int_equal(cyl_event_bpf_render(&ev, "d", "/x", 0, "h", 1, json,
					      sizeof(json), line, sizeof(line)),
			 -ENOSPC);
}

#define T(fn) cmocka_unit_test_teardown(fn, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_event_time_is_rfc3339_utc_millis),
		T(test_event_boot_time_converted_to_wall_time),
		T(test_event_from_bpf_has_schema_in_order),
		T(test_event_exe_null_when_process_gone),
		T(test_event_subject_text_sanitised),
		T(test_event_stamp_fills_host_seq_keeps_bpf_time),
		T(test_event_agent_event_stamped_with_now),
		T(test_event_filters_match_type_and_device),
		T(test_event_line_of_bpf_record_unchanged),
		T(test_event_line_of_agent_event_has_reason),
		T(test_event_render_matches_jansson_path),
		T(test_event_render_too_small_reports_enospc),
	};

	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
