// SPDX-License-Identifier: GPL-2.0
/*
 * USB devices in sysfs, over a fake tree shaped like the real one
 * (bus/usb/devices holds symlinks into devices/):
 *
 *   devices/pci0000:00/0000:00:14.0/
 *     usb1                       root hub, authorized_default 1
 *       1-0:1.0                  its hub interface (never listed)
 *       1-1     0403:6001 "A1"   FTDI FT232, unauthorized
 *         1-1:1.0   ff:ff:ff     driver -> ftdi_sio
 *         1-1.1 0781:5581        no serial, two configurations
 *           1-1.1:1.0 08:06:50
 *       1-2     dead:beef        descriptors that do not parse
 *       1-10    0403:6001 "B1"   BadUSB: 1-10:1.0 ff:ff:ff,
 *                                1-10:1.1 03:01:01 (driver usbhid),
 *                                1-10:1.10 ff:ff:ff
 *     usb2                       root hub
 *   bus/usb/devices/1-9 -> a device that is gone (dangling)
 *   bus/usb/drivers_probe        a plain file here
 *   module/usbcore/parameters/authorized_default  -1
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

#include "usb/sysfs.h"

#define HC	"devices/pci0000:00/0000:00:14.0"
#define USB1	HC "/usb1"

#define FTDI_SHA256 \
	"97738dd7c444150f6efd7102dfbbe4993332230a95fe8ab6f56ea9969772d94c"

static const uint8_t ftdi[] = {
	0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08,
	0x03, 0x04, 0x01, 0x60, 0x00, 0x06, 0x01, 0x02, 0x03, 0x01,
	0x09, 0x02, 0x20, 0x00, 0x01, 0x01, 0x00, 0xa0, 0x2d,
	0x09, 0x04, 0x00, 0x00, 0x02, 0xff, 0xff, 0xff, 0x02,
	0x07, 0x05, 0x81, 0x02, 0x40, 0x00, 0x00,
	0x07, 0x05, 0x02, 0x02, 0x40, 0x00, 0x00,
};

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

static const uint8_t badusb[] = {
	0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08,
	0x03, 0x04, 0x01, 0x60, 0x00, 0x06, 0x01, 0x02, 0x03, 0x01,
	0x09, 0x02, 0x39, 0x00, 0x02, 0x01, 0x00, 0xa0, 0x32,
	0x09, 0x04, 0x00, 0x00, 0x02, 0xff, 0xff, 0xff, 0x02,
	0x07, 0x05, 0x81, 0x02, 0x40, 0x00, 0x00,
	0x07, 0x05, 0x02, 0x02, 0x40, 0x00, 0x00,
	0x09, 0x04, 0x01, 0x00, 0x01, 0x03, 0x01, 0x01, 0x00,
	0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x3f, 0x00,
	0x07, 0x05, 0x83, 0x03, 0x08, 0x00, 0x0a,
};

/* A configuration descriptor whose wTotalLength overruns the blob. */
static const uint8_t truncated[] = {
	0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08,
	0xad, 0xde, 0xef, 0xbe, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x09, 0x02, 0x40, 0x00, 0x01, 0x01, 0x00, 0xa0, 0x2d,
};

struct fixture {
	char root[64];
	struct cyl_usb_sysdev dev;
	struct cyl_usb_sysiface ifs[8];
	size_t n;
};

static void path_of(char *path, size_t size, const char *root,
		    const char *rel)
{
	assert_true(snprintf(path, size, "%s/%s", root, rel) < (int)size);
}

static void put_bin(const char *root, const char *rel, const void *data,
		    size_t len)
{
	char path[512];
	FILE *f;

	path_of(path, sizeof(path), root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A text attribute; sysfs ends them with a newline. */
static void put(const char *root, const char *rel, const char *text)
{
	char buf[1024];

	assert_true(snprintf(buf, sizeof(buf), "%s\n", text) < (int)sizeof(buf));
	put_bin(root, rel, buf, strlen(buf));
}

/* An attribute of @dir. */
static void put_attr(const char *root, const char *dir, const char *attr,
		     const char *text)
{
	char rel[512];

	assert_true(snprintf(rel, sizeof(rel), "%s/%s", dir, attr) <
		    (int)sizeof(rel));
	put(root, rel, text);
}

/* The content of @rel, "" if it is empty. */
static const char *get(const char *root, const char *rel)
{
	static char buf[256];
	char path[512];
	FILE *f;
	size_t n;

	path_of(path, sizeof(path), root, rel);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void mkdirs(const char *root, const char *rel)
{
	char path[512], *p;

	path_of(path, sizeof(path), root, rel);
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

	path_of(path, sizeof(path), root, rel);
	assert_int_equal(symlink(target, path), 0);
}

/* bus/usb/devices/<last component of @dir> -> @dir. */
static void bus_link(const char *root, const char *dir)
{
	char rel[256], target[256];

	snprintf(rel, sizeof(rel), "bus/usb/devices/%s", strrchr(dir, '/') + 1);
	snprintf(target, sizeof(target), "../../../%s", dir);
	link_at(root, rel, target);
}

static void hub(const char *root, const char *dir)
{
	mkdirs(root, dir);
	put_attr(root, dir, "authorized_default", "1");
	put_attr(root, dir, "interface_authorized_default", "1");
	put_attr(root, dir, "authorized", "1");
	bus_link(root, dir);
}

/* A device at @dir; a NULL @serial is left out, as the kernel does. */
static void device(const char *root, const char *dir, const char *busnum,
		   const char *devnum, const char *vid, const char *pid,
		   const char *serial, const char *product,
		   const uint8_t *desc, size_t desc_len)
{
	char rel[512];

	mkdirs(root, dir);
	put_attr(root, dir, "busnum", busnum);
	put_attr(root, dir, "devnum", devnum);
	put_attr(root, dir, "idVendor", vid);
	put_attr(root, dir, "idProduct", pid);
	if (serial)
		put_attr(root, dir, "serial", serial);
	put_attr(root, dir, "product", product);
	put_attr(root, dir, "manufacturer", "ACME");
	put_attr(root, dir, "authorized", "0");
	put_attr(root, dir, "remove", "");
	snprintf(rel, sizeof(rel), "%s/descriptors", dir);
	put_bin(root, rel, desc, desc_len);
	bus_link(root, dir);
}

static void iface(const char *root, const char *dir, const char *cls,
		  const char *subcls, const char *proto, const char *driver)
{
	char rel[512], target[512];

	mkdirs(root, dir);
	put_attr(root, dir, "bInterfaceClass", cls);
	put_attr(root, dir, "bInterfaceSubClass", subcls);
	put_attr(root, dir, "bInterfaceProtocol", proto);
	put_attr(root, dir, "authorized", driver ? "1" : "0");
	if (driver) {
		snprintf(rel, sizeof(rel), "bus/usb/drivers/%s", driver);
		mkdirs(root, rel);
		snprintf(target, sizeof(target), "%s/bus/usb/drivers/%s", root,
			 driver);
		snprintf(rel, sizeof(rel), "%s/driver", dir);
		link_at(root, rel, target);
	}
	bus_link(root, dir);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char *r;

	if (!f)
		return -1;
	strcpy(f->root, "/tmp/test_usb_sysfs.XXXXXX");
	if (!mkdtemp(f->root))
		return -1;
	r = f->root;
	mkdirs(r, "bus/usb/devices");
	put_bin(r, "bus/usb/drivers_probe", "", 0);
	mkdirs(r, "module/usbcore/parameters");
	put(r, "module/usbcore/parameters/authorized_default", "-1");

	hub(r, USB1);
	iface(r, USB1 "/1-0:1.0", "09", "00", "00", "hub");
	device(r, USB1 "/1-1", "1", "2", "0403", "6001", "A1",
	       "FT232R USB UART", ftdi, sizeof(ftdi));
	iface(r, USB1 "/1-1/1-1:1.0", "ff", "ff", "ff", "ftdi_sio");
	device(r, USB1 "/1-1/1-1.1", "1", "5", "0781", "5581", NULL,
	       "Cruzer", two_configs, sizeof(two_configs));
	iface(r, USB1 "/1-1/1-1.1/1-1.1:1.0", "08", "06", "50", NULL);
	device(r, USB1 "/1-2", "1", "3", "dead", "beef", "X",
	       "Broken", truncated, sizeof(truncated));
	device(r, USB1 "/1-10", "1", "4", "0403", "6001", "B1",
	       "FT232R USB UART", badusb, sizeof(badusb));
	iface(r, USB1 "/1-10/1-10:1.0", "ff", "ff", "ff", NULL);
	iface(r, USB1 "/1-10/1-10:1.1", "03", "01", "01", "usbhid");
	iface(r, USB1 "/1-10/1-10:1.10", "ff", "ff", "ff", NULL);
	hub(r, HC "/usb2");
	link_at(r, "bus/usb/devices/1-9", "../../../" USB1 "/1-9");

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

static void test_list_natural_order_without_hubs(void **state)
{
	struct fixture *f = *state;
	struct cyl_usb_sysdev *devs;
	size_t n;

	/* 1-9 is gone (a dangling link): skipped, not an error. */
	assert_int_equal(cyl_usb_sys_list(f->root, &devs, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(devs[0].port, "1-1");
	assert_string_equal(devs[1].port, "1-1.1");
	assert_string_equal(devs[2].port, "1-2");
	assert_string_equal(devs[3].port, "1-10");
	assert_int_equal(devs[3].desc.n_ifaces, 2);
	free(devs);
}

static void test_list_without_sysfs_fails(void **state)
{
	struct cyl_usb_sysdev *devs = (void *)1;
	size_t n = 7;

	assert_int_equal(cyl_usb_sys_list("/nonexistent", &devs, &n), -ENOENT);
	assert_null(devs);
	assert_int_equal(n, 0);
}

static void test_read_ftdi(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_read(f->root, "1-1", &f->dev), 0);
	assert_string_equal(f->dev.port, "1-1");
	assert_int_equal(f->dev.busnum, 1);
	assert_int_equal(f->dev.devnum, 2);
	assert_false(f->dev.authorized);
	assert_string_equal(f->dev.serial, "A1");
	assert_string_equal(f->dev.name, "FT232R USB UART");
	assert_string_equal(f->dev.manufacturer, "ACME");
	assert_int_equal(f->dev.desc_err, 0);
	assert_int_equal(f->dev.desc.vendor, 0x0403);
	assert_int_equal(f->dev.desc.product, 0x6001);
	assert_int_equal(f->dev.desc.n_configs, 1);
	assert_string_equal(f->dev.desc.hash, FTDI_SHA256);
}

static void test_read_missing_serial_is_empty(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_read(f->root, "1-1.1", &f->dev), 0);
	assert_string_equal(f->dev.serial, "");
	assert_string_equal(f->dev.name, "Cruzer");
	assert_int_equal(f->dev.desc.n_configs, 2);
	assert_int_equal(f->dev.desc.n_ifaces, 2);
}

static void test_read_bad_descriptors_in_desc_err(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_read(f->root, "1-2", &f->dev), 0);
	assert_int_equal(f->dev.desc_err, -EINVAL);
	assert_string_equal(f->dev.desc_errtext,
			    "offset 18: wTotalLength 64, but only 9 bytes left");
	/* The ids still show, from idVendor and idProduct. */
	assert_int_equal(f->dev.desc.vendor, 0xdead);
	assert_int_equal(f->dev.desc.product, 0xbeef);
	assert_int_equal(f->dev.desc.n_ifaces, 0);
	assert_string_equal(f->dev.desc.hash, "");
	assert_string_equal(f->dev.serial, "X");
}

static void test_read_oversized_descriptors_in_desc_err(void **state)
{
	struct fixture *f = *state;
	size_t len = CYL_USB_DESCRIPTORS_MAX + 1;
	uint8_t *big = calloc(1, len);

	assert_non_null(big);
	memcpy(big, ftdi, sizeof(ftdi));
	put_bin(f->root, USB1 "/1-2/descriptors", big, len);
	free(big);
	assert_int_equal(cyl_usb_sys_read(f->root, "1-2", &f->dev), 0);
	assert_int_equal(f->dev.desc_err, -EFBIG);
	assert_non_null(strstr(f->dev.desc_errtext, "descriptors: "));
}

static void test_read_gone_device(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_read(f->root, "1-9", &f->dev), -ENOENT);
	assert_int_equal(cyl_usb_sys_read(f->root, "4-4", &f->dev), -ENOENT);
	assert_string_equal(f->dev.port, "");
}

static void test_read_without_descriptors_is_gone(void **state)
{
	struct fixture *f = *state;
	char path[512];

	path_of(path, sizeof(path), f->root, USB1 "/1-1/descriptors");
	assert_int_equal(unlink(path), 0);
	assert_int_equal(cyl_usb_sys_read(f->root, "1-1", &f->dev), -ENOENT);
}

static void test_read_malformed_number_fails(void **state)
{
	struct fixture *f = *state;

	put(f->root, USB1 "/1-1/devnum", "0x2");
	assert_int_equal(cyl_usb_sys_read(f->root, "1-1", &f->dev), -EINVAL);
	put(f->root, USB1 "/1-1/devnum", "-2");
	assert_int_equal(cyl_usb_sys_read(f->root, "1-1", &f->dev), -EINVAL);
	/* Not cut to a number that fits: refused. */
	put(f->root, USB1 "/1-1/devnum", "000000000000000000000000000000000000002");
	assert_int_equal(cyl_usb_sys_read(f->root, "1-1", &f->dev), -EINVAL);
	put(f->root, USB1 "/1-1/devnum", "2");
	put(f->root, USB1 "/1-1/authorized", "2");
	assert_int_equal(cyl_usb_sys_read(f->root, "1-1", &f->dev), -EINVAL);
}

static void test_read_long_string_cut_at_character(void **state)
{
	struct fixture *f = *state;
	char name[301];
	size_t i;

	/* 150 two-byte characters: byte 255 is half of one. */
	for (i = 0; i < 150; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2);
	name[300] = '\0';
	put(f->root, USB1 "/1-1/product", name);
	memset(name, 'S', 300);
	put(f->root, USB1 "/1-1/serial", name);
	assert_int_equal(cyl_usb_sys_read(f->root, "1-1", &f->dev), 0);
	assert_int_equal(strlen(f->dev.name), 254);
	assert_memory_equal(f->dev.name + 252, "\xc3\xa9", 2);
	assert_int_equal(strlen(f->dev.serial), CYL_USB_STR_MAX);
}

static void test_device_as_rule_sees_it(void **state)
{
	struct fixture *f = *state;
	struct cyl_usb_device d;

	assert_int_equal(cyl_usb_sys_read(f->root, "1-10", &f->dev), 0);
	cyl_usb_sys_device(&f->dev, &d);
	assert_int_equal(d.vendor, 0x0403);
	assert_int_equal(d.product, 0x6001);
	assert_string_equal(d.serial, "B1");
	assert_string_equal(d.name, "FT232R USB UART");
	assert_string_equal(d.port, "1-10");
	assert_string_equal(d.hash, f->dev.desc.hash);
	assert_int_equal(strlen(d.hash), CYL_USB_HASH_HEX);
	assert_int_equal(d.n_ifaces, 2);
	assert_int_equal(d.ifaces[0].cls, 0xff);
	assert_int_equal(d.ifaces[1].cls, 0x03);
	assert_int_equal(d.ifaces[1].subcls, 0x01);
	assert_int_equal(d.ifaces[1].proto, 0x01);
}

static void test_lock_down_every_hub_and_parameter(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_lock_down(f->root), 0);
	assert_string_equal(get(f->root, USB1 "/authorized_default"), "0\n");
	assert_string_equal(get(f->root, USB1 "/interface_authorized_default"),
			    "0\n");
	assert_string_equal(get(f->root, HC "/usb2/authorized_default"), "0\n");
	assert_string_equal(get(f->root, HC "/usb2/interface_authorized_default"),
			    "0\n");
	assert_string_equal(get(f->root,
				"module/usbcore/parameters/authorized_default"),
			    "0\n");
	/* Devices are left alone. */
	assert_string_equal(get(f->root, USB1 "/1-10/authorized"), "0\n");
}

static void test_lock_down_without_parameter(void **state)
{
	struct fixture *f = *state;
	char path[512];

	path_of(path, sizeof(path), f->root,
		"module/usbcore/parameters/authorized_default");
	assert_int_equal(unlink(path), 0);
	assert_int_equal(cyl_usb_sys_lock_down(f->root), 0);
	assert_string_equal(get(f->root, HC "/usb2/authorized_default"), "0\n");
}

static void test_lock_down_reports_first_error_locks_rest(void **state)
{
	struct fixture *f = *state;
	char path[512];

	path_of(path, sizeof(path), f->root, USB1 "/authorized_default");
	assert_int_equal(unlink(path), 0);
	assert_int_equal(cyl_usb_sys_lock_down(f->root), -ENOENT);
	assert_string_equal(get(f->root, HC "/usb2/authorized_default"), "0\n");
	assert_string_equal(get(f->root, HC "/usb2/interface_authorized_default"),
			    "0\n");
}

static void test_lock_hub(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_lock_hub(f->root, "usb2"), 0);
	assert_string_equal(get(f->root, HC "/usb2/authorized_default"), "0\n");
	assert_string_equal(get(f->root, USB1 "/authorized_default"), "1\n");
	assert_int_equal(cyl_usb_sys_lock_hub(f->root, "usb3"), -ENOENT);
	assert_int_equal(cyl_usb_sys_lock_hub(f->root, "usb"), -EINVAL);
	assert_int_equal(cyl_usb_sys_lock_hub(f->root, "1-1"), -EINVAL);
	assert_int_equal(cyl_usb_sys_lock_hub(f->root, "usb1/.."), -EINVAL);
	assert_int_equal(cyl_usb_sys_lock_hub(f->root, ""), -EINVAL);
}

static void test_set_authorized(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_set_authorized(f->root, "1-1", true), 0);
	assert_string_equal(get(f->root, USB1 "/1-1/authorized"), "1\n");
	assert_int_equal(cyl_usb_sys_read(f->root, "1-1", &f->dev), 0);
	assert_true(f->dev.authorized);
	assert_int_equal(cyl_usb_sys_set_authorized(f->root, "1-1", false), 0);
	assert_string_equal(get(f->root, USB1 "/1-1/authorized"), "0\n");
	assert_int_equal(cyl_usb_sys_set_authorized(f->root, "1-9", true),
			 -ENOENT);
}

static void test_remove(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_remove(f->root, "1-10"), 0);
	assert_string_equal(get(f->root, USB1 "/1-10/remove"), "1\n");
	assert_int_equal(cyl_usb_sys_remove(f->root, "1-9"), -ENOENT);
}

static void test_ifaces_natural_order_with_drivers(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_ifaces(f->root, "1-10", f->ifs, 8, &f->n),
			 0);
	assert_int_equal(f->n, 3);
	assert_string_equal(f->ifs[0].name, "1-10:1.0");
	assert_string_equal(f->ifs[1].name, "1-10:1.1");
	assert_string_equal(f->ifs[2].name, "1-10:1.10");
	assert_int_equal(f->ifs[0].t.cls, 0xff);
	assert_int_equal(f->ifs[0].t.subcls, 0xff);
	assert_int_equal(f->ifs[0].t.proto, 0xff);
	assert_false(f->ifs[0].authorized);
	assert_string_equal(f->ifs[0].driver, "");
	assert_int_equal(f->ifs[1].t.cls, 0x03);
	assert_int_equal(f->ifs[1].t.subcls, 0x01);
	assert_int_equal(f->ifs[1].t.proto, 0x01);
	assert_true(f->ifs[1].authorized);
	assert_string_equal(f->ifs[1].driver, "usbhid");
}

static void test_ifaces_not_the_childrens(void **state)
{
	struct fixture *f = *state;

	/* 1-1's directory holds 1-1.1 and, below it, 1-1.1:1.0. */
	assert_int_equal(cyl_usb_sys_ifaces(f->root, "1-1", f->ifs, 8, &f->n),
			 0);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->ifs[0].name, "1-1:1.0");
	assert_string_equal(f->ifs[0].driver, "ftdi_sio");
	assert_int_equal(cyl_usb_sys_ifaces(f->root, "1-1.1", f->ifs, 8, &f->n),
			 0);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->ifs[0].name, "1-1.1:1.0");
	assert_int_equal(f->ifs[0].t.cls, 0x08);
}

static void test_ifaces_more_than_max(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_ifaces(f->root, "1-10", f->ifs, 2, &f->n),
			 -ENOBUFS);
	assert_int_equal(f->n, 2);
	assert_string_equal(f->ifs[1].name, "1-10:1.1");
}

static void test_ifaces_of_gone_device(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_ifaces(f->root, "1-9", f->ifs, 8, &f->n),
			 -ENOENT);
	assert_int_equal(f->n, 0);
}

static void test_set_iface_authorized_probes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_set_iface_authorized(f->root, "1-10:1.0",
							  true), 0);
	assert_string_equal(get(f->root, USB1 "/1-10/1-10:1.0/authorized"),
			    "1\n");
	assert_string_equal(get(f->root, "bus/usb/drivers_probe"),
			    "1-10:1.0\n");
}

static void test_set_iface_deauthorized_no_probe(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_set_iface_authorized(f->root, "1-10:1.1",
							  false), 0);
	assert_string_equal(get(f->root, USB1 "/1-10/1-10:1.1/authorized"),
			    "0\n");
	assert_string_equal(get(f->root, "bus/usb/drivers_probe"), "");
}

static void test_set_iface_authorized_errors(void **state)
{
	struct fixture *f = *state;
	char path[512];

	assert_int_equal(cyl_usb_sys_set_iface_authorized(f->root, "1-10:1.5",
							  true), -ENOENT);
	assert_string_equal(get(f->root, "bus/usb/drivers_probe"), "");
	/* Without drivers_probe the interface is authorized, not probed. */
	path_of(path, sizeof(path), f->root, "bus/usb/drivers_probe");
	assert_int_equal(unlink(path), 0);
	assert_int_equal(cyl_usb_sys_set_iface_authorized(f->root, "1-10:1.0",
							  true), -ENOENT);
	assert_string_equal(get(f->root, USB1 "/1-10/1-10:1.0/authorized"),
			    "1\n");
}

static void test_port_valid(void **state)
{
	static const char *const good[] = {
		"1-1", "3-1.2", "1-1.2.3.4.5", "10-10", "1-0",
		"1-1.1.1.1.1.1.1.1.1.1.1.1.1.1.1", /* 31 bytes */
	};
	static const char *const bad[] = {
		"", "usb1", "1-1:1.0", "../x", "1-", "-1", "1", "1-1.",
		"1-.1", "1--1", "1-1/..", "1-1 ", " 1-1", "1-1\n", "a-1",
		"1-1.1.1.1.1.1.1.1.1.1.1.1.1.1.10", /* 32 bytes */
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!cyl_usb_sys_port_valid(good[i]))
			fail_msg("\"%s\" rejected", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cyl_usb_sys_port_valid(bad[i]))
			fail_msg("\"%s\" accepted", bad[i]);
}

static void test_names_checked_before_use(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_usb_sys_read(f->root, "1-1:1.0", &f->dev), -EINVAL);
	assert_int_equal(cyl_usb_sys_read(f->root, "usb1", &f->dev), -EINVAL);
	assert_int_equal(cyl_usb_sys_set_authorized(f->root, "../x", true),
			 -EINVAL);
	assert_int_equal(cyl_usb_sys_set_authorized(f->root, "usb1", true),
			 -EINVAL);
	assert_string_equal(get(f->root, USB1 "/authorized"), "1\n");
	assert_int_equal(cyl_usb_sys_remove(f->root, "1-1/.."), -EINVAL);
	assert_int_equal(cyl_usb_sys_ifaces(f->root, "..", f->ifs, 8, &f->n),
			 -EINVAL);
	assert_int_equal(cyl_usb_sys_set_iface_authorized(f->root, "1-1", true),
			 -EINVAL);
	assert_int_equal(cyl_usb_sys_set_iface_authorized(f->root, "1-1:1",
							  true), -EINVAL);
	assert_int_equal(cyl_usb_sys_set_iface_authorized(f->root, "1-1:1.",
							  true), -EINVAL);
	assert_int_equal(cyl_usb_sys_set_iface_authorized(f->root,
							  "1-1:1.0/../../usb1",
							  true), -EINVAL);
	assert_int_equal(cyl_usb_sys_set_iface_authorized(f->root, "usb1:1.0",
							  true), -EINVAL);
	assert_string_equal(get(f->root, "bus/usb/drivers_probe"), "");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_list_natural_order_without_hubs),
		T(test_list_without_sysfs_fails),
		T(test_read_ftdi),
		T(test_read_missing_serial_is_empty),
		T(test_read_bad_descriptors_in_desc_err),
		T(test_read_oversized_descriptors_in_desc_err),
		T(test_read_gone_device),
		T(test_read_without_descriptors_is_gone),
		T(test_read_malformed_number_fails),
		T(test_read_long_string_cut_at_character),
		T(test_device_as_rule_sees_it),
		T(test_lock_down_every_hub_and_parameter),
		T(test_lock_down_without_parameter),
		T(test_lock_down_reports_first_error_locks_rest),
		T(test_lock_hub),
		T(test_set_authorized),
		T(test_remove),
		T(test_ifaces_natural_order_with_drivers),
		T(test_ifaces_not_the_childrens),
		T(test_ifaces_more_than_max),
		T(test_ifaces_of_gone_device),
		T(test_set_iface_authorized_probes),
		T(test_set_iface_deauthorized_no_probe),
		T(test_set_iface_authorized_errors),
		T(test_port_valid),
		T(test_names_checked_before_use),
	};

	return cmocka_run_group_tests_name("usb_sysfs", tests, NULL, NULL);
}
