// SPDX-License-Identifier: GPL-2.0
/*
 * The descriptors blob parser on blobs shaped like what sysfs shows: an
 * FTDI FT232 adapter, a "BadUSB" device with the same ids that adds a
 * keyboard, a two-configuration device, alternate settings, and every
 * way a hostile device can get the lengths wrong.
 *
 * The FTDI, BadUSB, two-configuration and audio blobs are also the
 * fuzzer's seeds (tests/fuzz/corpus/usb_descriptors/: ftdi, badusb,
 * two_configs, alt_settings); the hash below is sha256sum of ftdi.
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

#include "usb/descriptors.h"

#define FTDI_SHA256 \
	"97738dd7c444150f6efd7102dfbbe4993332230a95fe8ab6f56ea9969772d94c"

/* FT232R: 0403:6001, bcdDevice 6.00, one configuration. */
#define FTDI_DEVICE \
	0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08, \
	0x03, 0x04, 0x01, 0x60, 0x00, 0x06, 0x01, 0x02, 0x03, 0x01
/* Its vendor-specific interface and bulk endpoints (offset 27 on). */
#define FTDI_IFACE \
	0x09, 0x04, 0x00, 0x00, 0x02, 0xff, 0xff, 0xff, 0x02, \
	0x07, 0x05, 0x81, 0x02, 0x40, 0x00, 0x00, \
	0x07, 0x05, 0x02, 0x02, 0x40, 0x00, 0x00

static const uint8_t ftdi[] = {
	FTDI_DEVICE,
	0x09, 0x02, 0x20, 0x00, 0x01, 0x01, 0x00, 0xa0, 0x2d,	/* 32 bytes */
	FTDI_IFACE,
};

/* The same ids and serial port, plus a boot keyboard (HID 03:01:01). */
static const uint8_t badusb[] = {
	FTDI_DEVICE,
	0x09, 0x02, 0x39, 0x00, 0x02, 0x01, 0x00, 0xa0, 0x32,	/* 57 bytes */
	FTDI_IFACE,
	0x09, 0x04, 0x01, 0x00, 0x01, 0x03, 0x01, 0x01, 0x00,
	0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x3f, 0x00,	/* HID */
	0x07, 0x05, 0x83, 0x03, 0x08, 0x00, 0x0a,
};

/* 0781:5581, two configurations: mass storage, or vendor-specific. */
static const uint8_t two_configs[] = {
	0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40,
	0x81, 0x07, 0x81, 0x55, 0x00, 0x01, 0x01, 0x02, 0x03, 0x02,
	0x09, 0x02, 0x20, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32,
	0x09, 0x04, 0x00, 0x00, 0x02, 0x08, 0x06, 0x50, 0x00,
	0x07, 0x05, 0x81, 0x02, 0x00, 0x02, 0x00,
	0x07, 0x05, 0x02, 0x02, 0x00, 0x02, 0x00,
	0x09, 0x02, 0x19, 0x00, 0x01, 0x02, 0x00, 0x80, 0x32,
	0x09, 0x04, 0x00, 0x00, 0x01, 0xff, 0x00, 0x00, 0x00,
	0x07, 0x05, 0x83, 0x03, 0x08, 0x00, 0x0a,
};

/*
 * A USB audio device: control interface 01:01:00, streaming interface
 * 01:02:00 in alternate settings 0 (no endpoint) and 1; the second
 * configuration repeats them.
 */
#define AUDIO_CONFIG(value) \
	0x09, 0x02, 0x2b, 0x00, 0x02, value, 0x00, 0x80, 0x32, \
	0x09, 0x04, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, \
	0x09, 0x04, 0x01, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, \
	0x09, 0x04, 0x01, 0x01, 0x01, 0x01, 0x02, 0x00, 0x00, \
	0x07, 0x05, 0x01, 0x01, 0xc0, 0x00, 0x01
static const uint8_t audio[] = {
	0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40,
	0x34, 0x12, 0x78, 0x56, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
	AUDIO_CONFIG(1),
	AUDIO_CONFIG(2),
};

struct fixture {
	uint8_t buf[2048];
	size_t len;
	struct cyl_usb_descriptors d;
	char err[160];
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
	free(*state);
	return 0;
}

static void load(struct fixture *f, const uint8_t *blob, size_t len)
{
	assert_true(len <= sizeof(f->buf));
	memcpy(f->buf, blob, len);
	f->len = len;
}

static int parse(struct fixture *f)
{
	memset(&f->d, 0xa5, sizeof(f->d));
	strcpy(f->err, "untouched");
	return cyl_usb_descriptors_parse(f->buf, f->len, &f->d, f->err,
					 sizeof(f->err));
}

static void assert_iface(const struct cyl_usb_iface *t, int cls, int subcls,
			 int proto)
{
	assert_int_equal(t->cls, cls);
	assert_int_equal(t->subcls, subcls);
	assert_int_equal(t->proto, proto);
}

/* Rejected with -EINVAL, @msg in the error, and nothing left in @out. */
static void assert_rejected(struct fixture *f, const char *msg)
{
	static const struct cyl_usb_descriptors zero;

	assert_int_equal(parse(f), -EINVAL);
	if (!strstr(f->err, msg))
		fail_msg("error \"%s\" lacks \"%s\"", f->err, msg);
	assert_memory_equal(&f->d, &zero, sizeof(zero));
}

static void test_ftdi_ids_and_vendor_interface(void **state)
{
	struct fixture *f = *state;

	load(f, ftdi, sizeof(ftdi));
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->d.vendor, 0x0403);
	assert_int_equal(f->d.product, 0x6001);
	assert_int_equal(f->d.bcd_device, 0x0600);
	assert_int_equal(f->d.dev_class, 0);
	assert_int_equal(f->d.n_configs, 1);
	assert_int_equal(f->d.n_ifaces, 1);
	assert_iface(&f->d.ifaces[0], 0xff, 0xff, 0xff);
}

static void test_ftdi_hash_is_sha256_of_blob(void **state)
{
	struct fixture *f = *state;

	load(f, ftdi, sizeof(ftdi));
	assert_int_equal(parse(f), 0);
	assert_string_equal(f->d.hash, FTDI_SHA256);
}

static void test_device_class_fields(void **state)
{
	struct fixture *f = *state;

	load(f, ftdi, sizeof(ftdi));
	f->buf[4] = 0xef;	/* miscellaneous, common class, IAD */
	f->buf[5] = 0x02;
	f->buf[6] = 0x01;
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->d.dev_class, 0xef);
	assert_int_equal(f->d.dev_subclass, 0x02);
	assert_int_equal(f->d.dev_proto, 0x01);
}

static void test_badusb_keyboard_shows_with_same_ids(void **state)
{
	struct fixture *f = *state;
	char ftdi_hash[CYL_USB_HASH_HEX + 1];

	load(f, ftdi, sizeof(ftdi));
	assert_int_equal(parse(f), 0);
	strcpy(ftdi_hash, f->d.hash);

	load(f, badusb, sizeof(badusb));
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->d.vendor, 0x0403);
	assert_int_equal(f->d.product, 0x6001);
	assert_int_equal(f->d.n_configs, 1);
	assert_int_equal(f->d.n_ifaces, 2);
	assert_iface(&f->d.ifaces[0], 0xff, 0xff, 0xff);
	assert_iface(&f->d.ifaces[1], 0x03, 0x01, 0x01);
	assert_int_equal(strlen(f->d.hash), CYL_USB_HASH_HEX);
	assert_string_not_equal(f->d.hash, ftdi_hash);
}

static void test_two_configurations_both_counted(void **state)
{
	struct fixture *f = *state;

	load(f, two_configs, sizeof(two_configs));
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->d.vendor, 0x0781);
	assert_int_equal(f->d.product, 0x5581);
	assert_int_equal(f->d.n_configs, 2);
	assert_int_equal(f->d.n_ifaces, 2);
	assert_iface(&f->d.ifaces[0], 0x08, 0x06, 0x50);
	assert_iface(&f->d.ifaces[1], 0xff, 0x00, 0x00);
}

static void test_fewer_configurations_than_declared(void **state)
{
	struct fixture *f = *state;

	/* The kernel shows what it could read: the first of two. */
	load(f, two_configs, 18 + 0x20);
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->d.n_configs, 1);
	assert_int_equal(f->d.n_ifaces, 1);
	assert_iface(&f->d.ifaces[0], 0x08, 0x06, 0x50);
}

static void test_device_descriptor_only(void **state)
{
	struct fixture *f = *state;

	load(f, ftdi, 18);
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->d.vendor, 0x0403);
	assert_int_equal(f->d.n_configs, 0);
	assert_int_equal(f->d.n_ifaces, 0);
	assert_int_equal(strlen(f->d.hash), CYL_USB_HASH_HEX);
}

static void test_alternate_settings_deduplicated(void **state)
{
	struct fixture *f = *state;

	load(f, audio, sizeof(audio));
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->d.n_configs, 2);
	assert_int_equal(f->d.n_ifaces, 2);
	assert_iface(&f->d.ifaces[0], 0x01, 0x01, 0x00);
	assert_iface(&f->d.ifaces[1], 0x01, 0x02, 0x00);
}

static void test_unknown_descriptors_skipped(void **state)
{
	struct fixture *f = *state;

	/* A 2-byte descriptor of an unknown type at the end of the config. */
	load(f, ftdi, sizeof(ftdi));
	f->buf[20] = 0x22;
	f->buf[f->len++] = 0x02;
	f->buf[f->len++] = 0x77;
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->d.n_ifaces, 1);
}

static void test_reject_short_device_descriptor(void **state)
{
	struct fixture *f = *state;

	load(f, ftdi, 17);
	assert_rejected(f, "offset 0: 17 bytes, too short for a device descriptor");
	load(f, ftdi, 0);
	assert_rejected(f, "offset 0: 0 bytes");
}

static void test_reject_device_descriptor_length(void **state)
{
	struct fixture *f = *state;

	load(f, ftdi, sizeof(ftdi));
	f->buf[0] = 0x11;
	assert_rejected(f, "offset 0: device descriptor of 17 bytes, expected 18");
	f->buf[0] = 0x13;
	assert_rejected(f, "offset 0: device descriptor of 19 bytes");
}

static void test_reject_wrong_device_type(void **state)
{
	struct fixture *f = *state;

	load(f, ftdi, sizeof(ftdi));
	f->buf[1] = 0x02;
	assert_rejected(f, "offset 0: descriptor type 2, expected 1 (device)");
}

static void test_reject_config_beyond_buffer(void **state)
{
	struct fixture *f = *state;

	load(f, ftdi, sizeof(ftdi));
	f->buf[20] = 0x21;	/* wTotalLength 33, 32 bytes there */
	assert_rejected(f, "offset 18: wTotalLength 33, but only 32 bytes left");
	f->buf[20] = 0x20;
	f->buf[21] = 0x01;	/* 288 */
	assert_rejected(f, "offset 18: wTotalLength 288");
}

static void test_reject_config_total_below_its_length(void **state)
{
	struct fixture *f = *state;

	load(f, ftdi, sizeof(ftdi));
	f->buf[20] = 0x08;
	assert_rejected(f, "offset 18: wTotalLength 8 is less than");
}

static void test_reject_short_config_descriptor(void **state)
{
	struct fixture *f = *state;

	load(f, ftdi, sizeof(ftdi));
	f->buf[18] = 0x08;
	assert_rejected(f, "offset 18: configuration descriptor of 8 bytes, expected at least 9");
}

static void test_reject_zero_length_descriptor(void **state)
{
	struct fixture *f = *state;

	/* A zero length would loop forever if it were walked over. */
	load(f, ftdi, sizeof(ftdi));
	f->buf[27 + 9] = 0x00;
	assert_rejected(f, "offset 36: descriptor of 0 bytes, expected at least 2");
	f->buf[27 + 9] = 0x01;
	assert_rejected(f, "offset 36: descriptor of 1 bytes, expected at least 2");
}

static void test_reject_descriptor_crossing_total_length(void **state)
{
	struct fixture *f = *state;

	/* The last endpoint claims 8 bytes; 7 are left in the config. */
	load(f, ftdi, sizeof(ftdi));
	f->buf[43] = 0x08;
	assert_rejected(f, "offset 43: descriptor of 8 bytes crosses the end of the configuration at offset 50");

	/* Shrink the config by one: the endpoint crosses into nothing. */
	load(f, ftdi, sizeof(ftdi));
	f->buf[20] = 0x1f;
	f->len--;
	assert_rejected(f, "offset 43: descriptor of 7 bytes crosses");
}

static void test_reject_one_byte_left_in_config(void **state)
{
	struct fixture *f = *state;

	load(f, ftdi, sizeof(ftdi));
	f->buf[20] = 0x21;
	f->buf[f->len++] = 0x00;
	assert_rejected(f, "offset 50: 1 byte left in the configuration");
}

static void test_reject_short_interface_descriptor(void **state)
{
	struct fixture *f = *state;
	static const uint8_t blob[] = {
		FTDI_DEVICE,
		0x09, 0x02, 0x0e, 0x00, 0x01, 0x01, 0x00, 0xa0, 0x2d,
		0x05, 0x04, 0x00, 0x00, 0x02,
	};

	load(f, blob, sizeof(blob));
	assert_int_equal(parse(f), -EINVAL);
	/* The example in descriptors.h, word for word. */
	assert_string_equal(f->err,
			    "offset 27: interface descriptor of 5 bytes, expected at least 9");
}

static void test_reject_trailing_garbage(void **state)
{
	struct fixture *f = *state;
	size_t i;

	load(f, ftdi, sizeof(ftdi));
	f->buf[f->len++] = 0x00;
	f->buf[f->len++] = 0x00;
	assert_rejected(f, "offset 50: 2 trailing bytes, too short for a configuration descriptor");

	/* Nine bytes, but no configuration descriptor. */
	load(f, ftdi, sizeof(ftdi));
	for (i = 0; i < 9; i++)
		f->buf[f->len++] = 0x09;
	f->buf[17] = 2;
	assert_rejected(f, "offset 50: descriptor type 9, expected 2 (configuration)");
}

static void test_reject_more_configurations_than_declared(void **state)
{
	struct fixture *f = *state;

	load(f, two_configs, sizeof(two_configs));
	f->buf[17] = 1;
	assert_rejected(f, "offset 50: configuration 2, but bNumConfigurations is 1");
	load(f, ftdi, sizeof(ftdi));
	f->buf[17] = 0;
	assert_rejected(f, "offset 18: configuration 1, but bNumConfigurations is 0");
}

/* A configuration of @n interfaces, the i-th of class i (or 0 if @same). */
static void many_interfaces(struct fixture *f, size_t n, bool same)
{
	size_t total = 9 + 9 * n, i;
	uint8_t *p;

	load(f, ftdi, 18);
	p = f->buf + f->len;
	memcpy(p, (const uint8_t[]){ 0x09, 0x02, total & 0xff, total >> 8,
				     n, 0x01, 0x00, 0x80, 0x32 }, 9);
	for (i = 0; i < n; i++) {
		uint8_t *d = p + 9 + 9 * i;

		memset(d, 0, 9);
		d[0] = 9;
		d[1] = 4;
		d[2] = i;
		d[5] = same ? 0 : i;
		d[6] = 0x42;
	}
	f->len += total;
}

static void test_max_distinct_interfaces_accepted(void **state)
{
	struct fixture *f = *state;

	many_interfaces(f, CYL_USB_IFACE_MAX, false);
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->d.n_ifaces, CYL_USB_IFACE_MAX);
	assert_iface(&f->d.ifaces[CYL_USB_IFACE_MAX - 1], CYL_USB_IFACE_MAX - 1,
		     0x42, 0);

	/* Many interfaces, one triple. */
	many_interfaces(f, 200, true);
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->d.n_ifaces, 1);
}

static void test_reject_too_many_distinct_interfaces(void **state)
{
	struct fixture *f = *state;

	many_interfaces(f, CYL_USB_IFACE_MAX + 1, false);
	/* The 65th interface descriptor: 18 + 9 + 64 * 9. */
	assert_rejected(f, "offset 603: more than 64 distinct interfaces");
}

static void test_error_buffer_optional(void **state)
{
	struct fixture *f = *state;

	load(f, ftdi, 17);
	assert_int_equal(cyl_usb_descriptors_parse(f->buf, f->len, &f->d,
						   NULL, 0), -EINVAL);
	/* A short buffer gets a truncated, terminated message. */
	assert_int_equal(cyl_usb_descriptors_parse(f->buf, f->len, &f->d,
						   f->err, 9), -EINVAL);
	assert_string_equal(f->err, "offset 0");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ftdi_ids_and_vendor_interface),
		T(test_ftdi_hash_is_sha256_of_blob),
		T(test_device_class_fields),
		T(test_badusb_keyboard_shows_with_same_ids),
		T(test_two_configurations_both_counted),
		T(test_fewer_configurations_than_declared),
		T(test_device_descriptor_only),
		T(test_alternate_settings_deduplicated),
		T(test_unknown_descriptors_skipped),
		T(test_reject_short_device_descriptor),
		T(test_reject_device_descriptor_length),
		T(test_reject_wrong_device_type),
		T(test_reject_config_beyond_buffer),
		T(test_reject_config_total_below_its_length),
		T(test_reject_short_config_descriptor),
		T(test_reject_zero_length_descriptor),
		T(test_reject_descriptor_crossing_total_length),
		T(test_reject_one_byte_left_in_config),
		T(test_reject_short_interface_descriptor),
		T(test_reject_trailing_garbage),
		T(test_reject_more_configurations_than_declared),
		T(test_max_distinct_interfaces_accepted),
		T(test_reject_too_many_distinct_interfaces),
		T(test_error_buffer_optional),
	};

	return cmocka_run_group_tests_name("usb_descriptors", tests, NULL, NULL);
}
