// SPDX-License-Identifier: GPL-2.0
/*
 * Finding a tty by USB identity, over a fake sysfs shaped like the real
 * one (symlinks and all):
 *
 *   devices/pci0000:00/0000:00:04.0/usb1/
 *     1-1     0403:6001 "SIM0001"  1-1:1.0/ttyUSB0/tty/ttyUSB0   FT232 (usb-serial)
 *     1-2     2341:0043 "ACM42"    1-2:1.0/tty/ttyACM0          CDC-ACM
 *     1-3     05e3:0608            a hub, with behind it
 *       1-3.1 0403:6011 "QUAD1"    1-3.1:1.0/ttyUSB1, 1-3.1:1.1/ttyUSB2
 *     1-4     0403:6001 "SIM0002"  1-4:1.0/ttyUSB9
 *     1-5     0403:6001 (no serial) 1-5:1.0/ttyUSB10
 *     1-6     dead:beef "EVIL\e[2J" 1-6:1.0/ttyUSB20
 *     1-7     dead:beef 200 x "A", no busnum/devpath  1-7:1.0/ttyUSB21
 *   devices/platform/serial8250/tty/ttyS0   a UART, not USB
 *   devices/pnp0/00:01/tty/ttyS1            a UART, not USB
 *   devices/virtual/tty/tty0                no device at all
 *   class/tty/<name> -> ../../devices/.../tty/<name>
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "serial/find.h"

#define USB1	"devices/pci0000:00/0000:00:04.0/usb1"

struct fixture {
	char root[64];
	char names[4][CYL_TTY_NAME_SIZE];
	size_t n;
	struct cyl_usb_identity id;
};

static void put(const char *root, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", text);	/* sysfs ends attributes with a newline */
	fclose(f);
}

static void mkdirs(const char *root, const char *rel)
{
	char path[512], *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		assert_true(!mkdir(path, 0755) || errno == EEXIST);
		*p = '/';
	}
	assert_true(!mkdir(path, 0755) || errno == EEXIST);
}

static void link_at(const char *root, const char *rel, const char *target)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(symlink(target, path), 0);
}

/* A USB device at @dir with its attributes; NULL ones are left out. */
static void usb_device(const char *root, const char *dir, const char *vid,
		       const char *pid, const char *serial, const char *busnum,
		       const char *devpath)
{
	char rel[256];

	mkdirs(root, dir);
	snprintf(rel, sizeof(rel), "%s/idVendor", dir);
	put(root, rel, vid);
	snprintf(rel, sizeof(rel), "%s/idProduct", dir);
	put(root, rel, pid);
	if (serial) {
		snprintf(rel, sizeof(rel), "%s/serial", dir);
		put(root, rel, serial);
	}
	if (busnum) {
		snprintf(rel, sizeof(rel), "%s/busnum", dir);
		put(root, rel, busnum);
		snprintf(rel, sizeof(rel), "%s/devpath", dir);
		put(root, rel, devpath);
	}
}

static void usb_interface(const char *root, const char *dir, const char *num)
{
	char rel[256];

	mkdirs(root, dir);
	snprintf(rel, sizeof(rel), "%s/bInterfaceNumber", dir);
	put(root, rel, num);
}

/*
 * The class device @ttydir (".../tty/<name>") with its "device" link to
 * @device (relative to @ttydir), and class/tty/<name> pointing to it.
 */
static void tty(const char *root, const char *ttydir, const char *device)
{
	const char *name = strrchr(ttydir, '/') + 1;
	char rel[256], target[256];

	mkdirs(root, ttydir);
	if (device) {
		snprintf(rel, sizeof(rel), "%s/device", ttydir);
		link_at(root, rel, device);
	}
	snprintf(rel, sizeof(rel), "class/tty/%s", name);
	snprintf(target, sizeof(target), "../../%s", ttydir);
	link_at(root, rel, target);
}

/* A usb-serial port (FTDI and the like): the tty hangs below a port device. */
static void usb_serial_port(const char *root, const char *iface,
			    const char *name)
{
	char port[256], ttydir[256], device[64];

	assert_true(snprintf(port, sizeof(port), "%s/%s", iface, name) <
		    (int)sizeof(port));
	mkdirs(root, port);
	assert_true(snprintf(ttydir, sizeof(ttydir), "%s/tty/%s", port, name) <
		    (int)sizeof(ttydir));
	assert_true(snprintf(device, sizeof(device), "../../../%s", name) <
		    (int)sizeof(device));
	tty(root, ttydir, device);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char *r, evil[16], longserial[201];

	if (!f)
		return -1;
	strcpy(f->root, "/tmp/test_serial_find.XXXXXX");
	if (!mkdtemp(f->root))
		return -1;
	r = f->root;
	mkdirs(r, "class/tty");

	usb_device(r, USB1 "/1-1", "0403", "6001", "SIM0001", "1", "1");
	usb_interface(r, USB1 "/1-1/1-1:1.0", "00");
	usb_serial_port(r, USB1 "/1-1/1-1:1.0", "ttyUSB0");

	usb_device(r, USB1 "/1-2", "2341", "0043", "ACM42", "1", "2");
	usb_interface(r, USB1 "/1-2/1-2:1.0", "00");
	usb_interface(r, USB1 "/1-2/1-2:1.1", "01");	/* data, no tty */
	tty(r, USB1 "/1-2/1-2:1.0/tty/ttyACM0", "../../../1-2:1.0");

	usb_device(r, USB1 "/1-3", "05e3", "0608", NULL, "1", "3");
	usb_interface(r, USB1 "/1-3/1-3:1.0", "00");
	usb_device(r, USB1 "/1-3/1-3.1", "0403", "6011", "QUAD1", "1", "3.1");
	usb_interface(r, USB1 "/1-3/1-3.1/1-3.1:1.0", "00");
	usb_interface(r, USB1 "/1-3/1-3.1/1-3.1:1.1", "01");
	usb_serial_port(r, USB1 "/1-3/1-3.1/1-3.1:1.0", "ttyUSB1");
	usb_serial_port(r, USB1 "/1-3/1-3.1/1-3.1:1.1", "ttyUSB2");

	usb_device(r, USB1 "/1-4", "0403", "6001", "SIM0002", "1", "4");
	usb_interface(r, USB1 "/1-4/1-4:1.0", "00");
	usb_serial_port(r, USB1 "/1-4/1-4:1.0", "ttyUSB9");

	usb_device(r, USB1 "/1-5", "0403", "6001", NULL, "1", "5");
	usb_interface(r, USB1 "/1-5/1-5:1.0", "00");
	usb_serial_port(r, USB1 "/1-5/1-5:1.0", "ttyUSB10");

	snprintf(evil, sizeof(evil), "EVIL\x1b[2J");
	usb_device(r, USB1 "/1-6", "dead", "beef", evil, "1", "6");
	usb_interface(r, USB1 "/1-6/1-6:1.0", "00");
	usb_serial_port(r, USB1 "/1-6/1-6:1.0", "ttyUSB20");

	memset(longserial, 'A', 200);
	longserial[200] = '\0';
	usb_device(r, USB1 "/1-7", "dead", "beef", longserial, NULL, NULL);
	usb_interface(r, USB1 "/1-7/1-7:1.0", "00");
	usb_serial_port(r, USB1 "/1-7/1-7:1.0", "ttyUSB21");

	mkdirs(r, "devices/platform/serial8250");
	tty(r, "devices/platform/serial8250/tty/ttyS0", "../../../serial8250");
	mkdirs(r, "devices/pnp0/00:01");
	tty(r, "devices/pnp0/00:01/tty/ttyS1", "../../../00:01");
	tty(r, "devices/virtual/tty/tty0", NULL);

	*state = f;
	return 0;
}

static int rm(const char *path, const struct stat *st, int flag,
	      struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	nftw(f->root, rm, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static struct cyl_policy_usb_match match(unsigned int vendor,
					 unsigned int product,
					 const char *serial, int interface)
{
	struct cyl_policy_usb_match m = {
		.set = true, .vendor = vendor, .product = product,
		.interface = interface,
	};

	if (serial) {
		m.has_serial = true;
		snprintf(m.serial, sizeof(m.serial), "%s", serial);
	}
	return m;
}

static int find(struct fixture *f, struct cyl_policy_usb_match m, size_t max)
{
	return cyl_serial_find(f->root, &m, f->names, max, &f->n);
}

static void test_find_ftdi_by_vendor_product_in_version_order(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(find(f, match(0x0403, 0x6001, NULL, -1), 4), 0);
	assert_int_equal(f->n, 3);
	assert_string_equal(f->names[0], "ttyUSB0");
	assert_string_equal(f->names[1], "ttyUSB9");
	assert_string_equal(f->names[2], "ttyUSB10");
}

static void test_find_by_serial_picks_one_adapter(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(find(f, match(0x0403, 0x6001, "SIM0002", -1), 4), 0);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->names[0], "ttyUSB9");
}

static void test_find_serial_is_exact(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(find(f, match(0x0403, 0x6001, "SIM000", -1), 4), 0);
	assert_int_equal(f->n, 0);
	assert_int_equal(find(f, match(0x0403, 0x6001, "sim0001", -1), 4), 0);
	assert_int_equal(f->n, 0);
}

static void test_find_by_interface_on_multiport_adapter(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(find(f, match(0x0403, 0x6011, "QUAD1", 1), 4), 0);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->names[0], "ttyUSB2");
	assert_int_equal(find(f, match(0x0403, 0x6011, NULL, -1), 4), 0);
	assert_int_equal(f->n, 2);
	assert_string_equal(f->names[0], "ttyUSB1");
	assert_string_equal(f->names[1], "ttyUSB2");
}

static void test_find_cdc_acm(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(find(f, match(0x2341, 0x0043, "ACM42", 0), 4), 0);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->names[0], "ttyACM0");
}

static void test_find_no_match(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(find(f, match(0x1234, 0x5678, NULL, -1), 4), 0);
	assert_int_equal(f->n, 0);
	/* The hub has a vendor but no tty. */
	assert_int_equal(find(f, match(0x05e3, 0x0608, NULL, -1), 4), 0);
	assert_int_equal(f->n, 0);
}

static void test_find_counts_past_max(void **state)
{
	struct fixture *f = *state;

	memset(f->names, 'x', sizeof(f->names));
	assert_int_equal(find(f, match(0x0403, 0x6001, NULL, -1), 1), 0);
	assert_int_equal(f->n, 3);
	assert_string_equal(f->names[0], "ttyUSB0");
	assert_int_equal(f->names[1][0], 'x');
}

static void test_find_without_sysfs_fails(void **state)
{
	struct cyl_policy_usb_match m = match(0x0403, 0x6001, NULL, -1);
	struct fixture *f = *state;

	f->n = 7;
	assert_int_equal(cyl_serial_find("/nonexistent", &m, f->names, 4,
					 &f->n), -ENOENT);
	assert_int_equal(f->n, 0);
}

static void test_identity_of_ftdi_port(void **state)
{
	struct fixture *f = *state;
	char buf[128];

	assert_int_equal(cyl_serial_usb_identity(f->root, "ttyUSB0", &f->id), 0);
	assert_int_equal(f->id.vendor, 0x0403);
	assert_int_equal(f->id.product, 0x6001);
	assert_true(f->id.has_serial);
	assert_string_equal(f->id.serial, "SIM0001");
	assert_int_equal(f->id.interface, 0);
	assert_string_equal(f->id.port, "1-1");
	assert_string_equal(cyl_serial_usb_format(&f->id, buf, sizeof(buf)),
			    "usb 1-1 0403:6001 serial \"SIM0001\" interface 0");
}

static void test_identity_behind_hub(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_serial_usb_identity(f->root, "ttyUSB2", &f->id), 0);
	assert_int_equal(f->id.product, 0x6011);
	assert_int_equal(f->id.interface, 1);
	assert_string_equal(f->id.port, "1-3.1");
}

static void test_identity_of_cdc_acm(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_serial_usb_identity(f->root, "ttyACM0", &f->id), 0);
	assert_int_equal(f->id.vendor, 0x2341);
	assert_int_equal(f->id.product, 0x0043);
	assert_string_equal(f->id.serial, "ACM42");
	assert_int_equal(f->id.interface, 0);
	assert_string_equal(f->id.port, "1-2");
}

static void test_identity_without_serial(void **state)
{
	struct fixture *f = *state;
	char buf[128];

	assert_int_equal(cyl_serial_usb_identity(f->root, "ttyUSB10", &f->id), 0);
	assert_false(f->id.has_serial);
	assert_string_equal(cyl_serial_usb_format(&f->id, buf, sizeof(buf)),
			    "usb 1-5 0403:6001 interface 0");
}

static void test_identity_of_uarts_is_not_usb(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_serial_usb_identity(f->root, "ttyS0", &f->id),
			 -ENODEV);
	assert_int_equal(cyl_serial_usb_identity(f->root, "ttyS1", &f->id),
			 -ENODEV);
	assert_int_equal(cyl_serial_usb_identity(f->root, "tty0", &f->id),
			 -ENODEV);
}

static void test_identity_of_unknown_or_bad_name(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_serial_usb_identity(f->root, "ttyUSB7", &f->id),
			 -ENOENT);
	assert_int_equal(cyl_serial_usb_identity(f->root, "../tty", &f->id),
			 -EINVAL);
	assert_int_equal(cyl_serial_usb_identity(f->root, "..", &f->id),
			 -EINVAL);
	assert_int_equal(cyl_serial_usb_identity(f->root, "", &f->id),
			 -EINVAL);
}

static void test_identity_hostile_serial_quoted(void **state)
{
	struct fixture *f = *state;
	char buf[128];

	assert_int_equal(cyl_serial_usb_identity(f->root, "ttyUSB20", &f->id), 0);
	assert_string_equal(cyl_serial_usb_format(&f->id, buf, sizeof(buf)),
			    "usb 1-6 dead:beef serial \"EVIL\\x1b[2J\" interface 0");
}

static void test_identity_overlong_serial_never_matches(void **state)
{
	struct fixture *f = *state;
	char prefix[CYL_POLICY_USB_SERIAL_MAX + 1];

	/* Without busnum and devpath, the port is the directory's name. */
	assert_int_equal(cyl_serial_usb_identity(f->root, "ttyUSB21", &f->id), 0);
	assert_false(f->id.has_serial);
	assert_string_equal(f->id.port, "1-7");
	memset(prefix, 'A', sizeof(prefix) - 1);
	prefix[sizeof(prefix) - 1] = '\0';
	assert_int_equal(find(f, match(0xdead, 0xbeef, prefix, -1), 4), 0);
	assert_int_equal(f->n, 0);
	assert_int_equal(find(f, match(0xdead, 0xbeef, NULL, -1), 4), 0);
	assert_int_equal(f->n, 2);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_find_ftdi_by_vendor_product_in_version_order),
		T(test_find_by_serial_picks_one_adapter),
		T(test_find_serial_is_exact),
		T(test_find_by_interface_on_multiport_adapter),
		T(test_find_cdc_acm),
		T(test_find_no_match),
		T(test_find_counts_past_max),
		T(test_find_without_sysfs_fails),
		T(test_identity_of_ftdi_port),
		T(test_identity_behind_hub),
		T(test_identity_of_cdc_acm),
		T(test_identity_without_serial),
		T(test_identity_of_uarts_is_not_usb),
		T(test_identity_of_unknown_or_bad_name),
		T(test_identity_hostile_serial_quoted),
		T(test_identity_overlong_serial_never_matches),
	};

	return cmocka_run_group_tests_name("serial_find", tests, NULL, NULL);
}
