/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A USB device's descriptors as sysfs shows them (the "descriptors"
 * attribute: the 18-byte device descriptor, then each configuration's
 * raw descriptors, wTotalLength bytes each), read before the device is
 * authorized.  The device wrote them, so they are untrusted input: every
 * length is checked.  Pure code, no I/O.
 */
#ifndef CYL_USB_DESCRIPTORS_H
#define CYL_USB_DESCRIPTORS_H

#include <stddef.h>
#include <stdint.h>

#include "usb/rule.h"

#define CYL_USB_DESCRIPTORS_MAX	65536	/* bytes read from sysfs at most */

struct cyl_usb_descriptors {
	uint16_t vendor;	/* idVendor */
	uint16_t product;	/* idProduct */
	uint16_t bcd_device;
	uint8_t dev_class, dev_subclass, dev_proto;
	uint8_t n_configs;	/* configurations present in the blob */
	size_t n_ifaces;	/* distinct interface triples, first seen first */
	struct cyl_usb_iface ifaces[CYL_USB_IFACE_MAX];
	char hash[CYL_USB_HASH_HEX + 1];	/* SHA-256 of the whole blob */
};

/*
 * Parse buf[0..len).  Returns 0 with @out filled, or -EINVAL with a
 * message in err[0..errlen) naming the byte offset and what is wrong
 * ("offset 27: interface descriptor of 5 bytes, expected at least 9").
 * More than CYL_USB_IFACE_MAX distinct triples is an error too.
 */
int cyl_usb_descriptors_parse(const uint8_t *buf, size_t len,
			      struct cyl_usb_descriptors *out,
			      char *err, size_t errlen);

#endif /* CYL_USB_DESCRIPTORS_H */
