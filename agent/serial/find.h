/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which tty is a policy device that names its USB identity (vendor,
 * product, serial, interface) instead of a node: a walk of sysfs, no
 * daemon state.  @sysfs_root is "/sys" in production and a fake tree in
 * the unit tests.
 *
 * The layout walked, for an FTDI adapter (usb-serial) and a CDC-ACM one:
 *
 *   class/tty/ttyUSB0 -> ../../devices/.../usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0
 *       device -> ../../../ttyUSB0                 (the usb-serial port)
 *   class/tty/ttyACM0 -> ../../devices/.../usb1/1-2/1-2:1.0/tty/ttyACM0
 *       device -> ../../../1-2:1.0                 (the interface itself)
 *
 * From the tty's "device" we climb to the nearest directory with
 * bInterfaceNumber (the USB interface); its parent is the USB device,
 * with idVendor, idProduct, serial, busnum and devpath.
 */
#ifndef CYL_SERIAL_FIND_H
#define CYL_SERIAL_FIND_H

#include <stdbool.h>
#include <stddef.h>

#include "policy/policy.h"

#define CYL_TTY_NAME_SIZE	32	/* a tty's name in class/tty, with NUL */

/* The USB identity of a tty, as sysfs shows it. */
struct cyl_usb_identity {
	unsigned int vendor;		/* idVendor */
	unsigned int product;		/* idProduct */
	bool has_serial;		/* false also if longer than we keep */
	char serial[CYL_POLICY_USB_SERIAL_MAX + 1];
	int interface;			/* bInterfaceNumber */
	char port[32];			/* busnum-devpath: "1-1.4" */
};

/*
 * The ttys whose USB identity matches @m, by name ("ttyUSB0"), in
 * version order (ttyUSB2 before ttyUSB10).  The first @max go to @names;
 * @n is set to how many matched, which may be more than @max.  Ttys that
 * are not on USB never match.  Returns 0 or a negative errno (-ENOENT
 * without @sysfs_root/class/tty, or a read error of sysfs).
 */
int cyl_serial_find(const char *sysfs_root,
		    const struct cyl_policy_usb_match *m,
		    char names[][CYL_TTY_NAME_SIZE], size_t max, size_t *n);

/*
 * The USB identity of tty @name ("ttyUSB0") into @id.  Returns 0,
 * -EINVAL for a name that is not one, -ENOENT if there is no such tty,
 * -ENODEV if it is not on USB, or another negative errno.
 */
int cyl_serial_usb_identity(const char *sysfs_root, const char *name,
			    struct cyl_usb_identity *id);

/* Does @id meet every part of @m? */
bool cyl_serial_usb_matches(const struct cyl_usb_identity *id,
			    const struct cyl_policy_usb_match *m);

/*
 * "usb 1-1 0403:6001 serial \"SIM0001\" interface 0" for logs, truncated
 * to @size.  Returns @buf.
 */
const char *cyl_serial_usb_format(const struct cyl_usb_identity *id,
				  char *buf, size_t size);

#endif /* CYL_SERIAL_FIND_H */
