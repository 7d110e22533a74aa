// SPDX-License-Identifier: GPL-2.0
/*
 * The serial guard's agent side, pure parts: the module's device events
 * as security events (serial/kevent.c) and kernel uevent parsing
 * (core/uevent.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <cylcomed/serial.h>

#include "serial/kevent.h"
#include "core/uevent.h"

static const char *str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static void test_write_refused(void **state)
{
	struct cyl_kdev_event ev = {
		.type = CYL_KEV_WRITE_REFUSED, .device_id = 7, .dev_seq = 3,
		.tty = "ttyUSB3", .reason = CYL_REFUSE_NOT_ALLOWED, .len = 13,
		.has_writer = true, .pid = 881, .uid = 0, .comm = "python3",
		.bytes = { 'S', 'E', 'T', ' ' }, .nbytes = 4,
	};
	json_t *obj = cyl_kdev_event_json(&ev, "pump", "/usr/bin/python3");
	json_t *subj;

	assert_non_null(obj);
	assert_string_equal(str(obj, "type"), "write_refused");
	assert_string_equal(str(obj, "device"), "pump");
	assert_string_equal(str(obj, "verdict"), "deny");
	assert_string_equal(str(obj, "reason"), "not_allowed");
	assert_string_equal(str(obj, "tty"), "ttyUSB3");
	assert_string_equal(str(obj, "bytes"), "53 45 54 20");
	assert_int_equal(json_integer_value(json_object_get(obj, "len")), 13);
	assert_int_equal(json_integer_value(json_object_get(obj, "device_seq")), 3);
	subj = json_object_get(obj, "subject");
	assert_int_equal(json_integer_value(json_object_get(subj, "pid")), 881);
	assert_string_equal(str(subj, "comm"), "python3");
	assert_string_equal(str(subj, "exe"), "/usr/bin/python3");
	json_decref(obj);
}

static void test_bad_frame_verdicts(void **state)
{
	struct cyl_kdev_event ev = {
		.type = CYL_KEV_BAD_FRAME, .tty = "ttyUSB1",
		.reason = CYL_BAD_CHECKSUM, .count = 1,
	};
	json_t *obj = cyl_kdev_event_json(&ev, NULL, NULL);

	assert_string_equal(str(obj, "verdict"), "deny");	/* dropped */
	assert_string_equal(str(obj, "reason"), "checksum");
	assert_true(json_is_null(json_object_get(obj, "device")));
	assert_true(json_is_null(json_object_get(obj, "subject")));
	json_decref(obj);

	ev.count = 0;		/* readers saw it */
	ev.reason = 99;		/* a reason this agent does not know */
	obj = cyl_kdev_event_json(&ev, "m", NULL);
	assert_string_equal(str(obj, "verdict"), "audit");
	assert_string_equal(str(obj, "reason"), "unknown");
	json_decref(obj);
}

static void test_detach_and_unknown(void **state)
{
	struct cyl_kdev_event ev = {
		.type = CYL_KEV_DETACHED, .tty = "ttyUSB0",
		.reason = CYL_DETACH_LDISC,
	};
	json_t *obj = cyl_kdev_event_json(&ev, "m", NULL);

	assert_string_equal(str(obj, "type"), "serial_detach");
	assert_string_equal(str(obj, "verdict"), "deny");
	json_decref(obj);
	ev.reason = CYL_DETACH_HANGUP;
	obj = cyl_kdev_event_json(&ev, "m", NULL);
	assert_string_equal(str(obj, "verdict"), "audit");
	assert_string_equal(str(obj, "reason"), "hangup");
	json_decref(obj);

	ev.type = CYL_KEV_PONG;		/* not about a device */
	assert_null(cyl_kdev_event_json(&ev, "m", NULL));
	ev.type = 1000;
	assert_null(cyl_kdev_event_json(&ev, "m", NULL));
}

static void test_hex(void **state)
{
	uint8_t b[CYL_EVENT_BYTES_MAX] = { 0 };
	char buf[3 * CYL_EVENT_BYTES_MAX + 1];

	cyl_hex_bytes(b, 0, buf);
	assert_string_equal(buf, "");
	memset(b, 0xff, sizeof(b));
	cyl_hex_bytes(b, sizeof(b), buf);
	assert_int_equal(strlen(buf), 3 * CYL_EVENT_BYTES_MAX - 1);
	assert_memory_equal(buf, "ff ff", 5);
}

static void test_uevent_parse(void **state)
{
	char msg[] = "add@/devices/pci0000:00/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0\0"
		     "ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=tty\0"
		     "DEVNAME=ttyUSB0\0SEQNUM=1234";
	struct cyl_uevent ev;

	assert_int_equal(cyl_uevent_parse(msg, sizeof(msg), &ev), 0);
	assert_string_equal(ev.action, "add");
	assert_string_equal(ev.subsystem, "tty");
	assert_string_equal(ev.devname, "ttyUSB0");
	assert_string_equal(ev.kernel, "ttyUSB0");
	assert_null(ev.devtype);
}

static void test_uevent_usb_device(void **state)
{
	char msg[] = "add@/devices/pci0000:00/0000:00:04.0/usb1/1-1\0"
		     "ACTION=add\0DEVPATH=/devices/pci0000:00/0000:00:04.0/usb1/1-1\0"
		     "SUBSYSTEM=usb\0DEVNAME=bus/usb/001/002\0"
		     "DEVTYPE=usb_device\0PRODUCT=403/6001/600\0SEQNUM=7";
	struct cyl_uevent ev;

	assert_int_equal(cyl_uevent_parse(msg, sizeof(msg), &ev), 0);
	assert_string_equal(ev.subsystem, "usb");
	assert_string_equal(ev.devtype, "usb_device");
	assert_string_equal(ev.kernel, "1-1");
}

static void test_uevent_rejects(void **state)
{
	char udev[] = "libudev\0\xfe\xed\xca\xfe";	/* udev's own format */
	char noact[] = "add@/x\0SUBSYSTEM=tty";
	char unterminated[] = { 'a', '@', '/' };
	struct cyl_uevent ev;

	assert_int_equal(cyl_uevent_parse(udev, sizeof(udev), &ev), -EINVAL);
	assert_int_equal(cyl_uevent_parse(noact, sizeof(noact), &ev), -EINVAL);
	assert_int_equal(cyl_uevent_parse(unterminated, sizeof(unterminated), &ev),
			 -EINVAL);
	assert_int_equal(cyl_uevent_parse(noact, 0, &ev), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_refused),
		cmocka_unit_test(test_bad_frame_verdicts),
		cmocka_unit_test(test_detach_and_unknown),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_uevent_parse),
		cmocka_unit_test(test_uevent_usb_device),
		cmocka_unit_test(test_uevent_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
