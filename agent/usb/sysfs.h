/* SPDX-License-Identifier: GPL-2.0 */
/*
 * USB devices in sysfs: list them, read what a rule matches on, and
 * authorize, deauthorize or remove devices and interfaces
 * (Documentation/usb/authorization.rst in the kernel).  @sysroot is
 * "/sys" on a gateway; tests point it at a tree of plain files.
 *
 * A device is /sys/bus/usb/devices/PORT (PORT as "1-1", "3-1.2"); its
 * interfaces are PORT:C.I; root hubs are "usbN" and are never listed.
 */
#ifndef CYL_USB_SYSFS_H
#define CYL_USB_SYSFS_H

#include <stdbool.h>
#include <stddef.h>

#include "usb/descriptors.h"
#include "usb/rule.h"

#define CYL_USB_PORT_MAX	32	/* "1-1.2.3.4.5" and more */
#define CYL_USB_IFNAME_MAX	48	/* "1-1.2:1.0" */
#define CYL_USB_MAX_DEVICES	128	/* listed at most */

struct cyl_usb_sysdev {
	char port[CYL_USB_PORT_MAX];
	int busnum, devnum;
	bool authorized;
	/* Strings as sysfs has them ("" when absent), at most CYL_USB_STR_MAX. */
	char serial[CYL_USB_STR_MAX + 1];
	char name[CYL_USB_STR_MAX + 1];		/* "product" */
	char manufacturer[CYL_USB_STR_MAX + 1];
	int desc_err;		/* 0, or why @desc is not valid (negative errno) */
	char desc_errtext[160];
	/* With desc_err, only vendor and product (idVendor, idProduct). */
	struct cyl_usb_descriptors desc;
};

struct cyl_usb_sysiface {
	char name[CYL_USB_IFNAME_MAX];	/* "1-1:1.0" */
	struct cyl_usb_iface t;		/* bInterfaceClass/SubClass/Protocol */
	bool authorized;
	char driver[32];		/* bound driver, "" when none */
};

/*
 * The device at @port; -ENOENT if it is gone.  A device whose
 * descriptors cannot be read or parsed is still returned (0), with
 * desc_err and desc_errtext set: the caller blocks it.
 */
int cyl_usb_sys_read(const char *sysroot, const char *port,
		     struct cyl_usb_sysdev *out);

/*
 * Every device but the root hubs, sorted by port (at most
 * CYL_USB_MAX_DEVICES); *@out is malloc()ed, free() it.
 */
int cyl_usb_sys_list(const char *sysroot, struct cyl_usb_sysdev **out,
		     size_t *n);

/* @dev's fields as a rule sees them; pointers into @dev. */
void cyl_usb_sys_device(const struct cyl_usb_sysdev *dev,
			struct cyl_usb_device *out);

/* Is @port a device name ("1-1.2", not "usb1", "1-1:1.0", "..")? */
bool cyl_usb_sys_port_valid(const char *port);

/*
 * Lock down every root hub: authorized_default and
 * interface_authorized_default to 0, and usbcore's authorized_default
 * parameter to 0 so buses that appear later start locked (a missing
 * parameter file is not an error).  Returns 0 or the first error.
 */
int cyl_usb_sys_lock_down(const char *sysroot);

/* Lock down one root hub "usbN" (a bus that appeared later). */
int cyl_usb_sys_lock_hub(const char *sysroot, const char *hub);

/* Write @port's "authorized" (0 unbinds its drivers and deconfigures it). */
int cyl_usb_sys_set_authorized(const char *sysroot, const char *port, bool on);

/* Logically disconnect @port (its "remove" attribute). */
int cyl_usb_sys_remove(const char *sysroot, const char *port);

/*
 * @port's interfaces (PORT:C.I), sorted by name; -ENOBUFS if it has more
 * than @max (the first @max are in @out and *@n).
 */
int cyl_usb_sys_ifaces(const char *sysroot, const char *port,
		       struct cyl_usb_sysiface *out, size_t max, size_t *n);

/*
 * Authorize or deauthorize interface @ifname; authorizing also asks the
 * bus to probe drivers for it (bus/usb/drivers_probe), as the kernel
 * wants after an interface is authorized.  Authorizing again is
 * harmless and probes again: a driver that claims several interfaces
 * (cdc_acm) binds only once all of them are authorized, so authorize
 * every allowed interface, then call this again for each one that has
 * no driver yet.
 */
int cyl_usb_sys_set_iface_authorized(const char *sysroot, const char *ifname,
				     bool on);

#endif /* CYL_USB_SYSFS_H */
