// SPDX-License-Identifier: GPL-2.0
/*
 * systemd notification: the watchdog interval from $WATCHDOG_USEC and
 * $WATCHDOG_PID.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/notify.h"

static void test_watchdog_unset_off(void **state)
{
	uint64_t usec = 99;

	assert_int_equal(cyl_notify_watchdog_usec(NULL, NULL, 10, &usec), 0);
	assert_int_equal(usec, 0);
}

static void test_watchdog_usec_without_pid_on(void **state)
{
	uint64_t usec;

	assert_int_equal(cyl_notify_watchdog_usec("30000000", NULL, 10, &usec), 0);
	assert_int_equal(usec, 30000000);
}

static void test_watchdog_our_pid_on(void **state)
{
	uint64_t usec;

	assert_int_equal(cyl_notify_watchdog_usec("400000", "10", 10, &usec), 0);
	assert_int_equal(usec, 400000);
}

static void test_watchdog_other_pid_off(void **state)
{
	uint64_t usec = 99;

	assert_int_equal(cyl_notify_watchdog_usec("400000", "11", 10, &usec), 0);
	assert_int_equal(usec, 0);
}

static void test_watchdog_garbage_einval(void **state)
{
	static const char *const bad[] = {
		"", "0", "-5", "+5", " 5", "5 ", "5s", "0x10",
		"99999999999999999999999",
	};
	uint64_t usec = 99;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cyl_notify_watchdog_usec(bad[i], NULL, 10, &usec) != -EINVAL)
			fail_msg("WATCHDOG_USEC accepted: \"%s\"", bad[i]);
		assert_int_equal(usec, 0);
	}
	assert_int_equal(cyl_notify_watchdog_usec("400000", "ten", 10, &usec), -EINVAL);
	assert_int_equal(usec, 0);
}

static void test_watchdog_overflow_refused_not_wrapped(void **state)
{
	uint64_t usec;

	/* Above the conservative bound: refused rather than wrapped. */
	assert_int_equal(cyl_notify_watchdog_usec("18446744073709551615", NULL,
						  10, &usec), -EINVAL);
	assert_int_equal(cyl_notify_watchdog_usec("1844674407370955160", NULL,
						  10, &usec), 0);
	assert_int_equal(usec, 1844674407370955160ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_watchdog_unset_off),
		cmocka_unit_test(test_watchdog_usec_without_pid_on),
		cmocka_unit_test(test_watchdog_our_pid_on),
		cmocka_unit_test(test_watchdog_other_pid_off),
		cmocka_unit_test(test_watchdog_garbage_einval),
		cmocka_unit_test(test_watchdog_overflow_refused_not_wrapped),
	};

	return cmocka_run_group_tests_name("notify", tests, NULL, NULL);
}
