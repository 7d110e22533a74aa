/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel uevents (NETLINK_KOBJECT_UEVENT): the agent learns that a tty
 * appeared or a USB device was plugged without udev, which a gateway
 * image may not run.  Shared by the serial guard and USB authorization.
 */
#ifndef CYL_UEVENT_H
#define CYL_UEVENT_H

#include <stddef.h>

struct cyl_uevent {
	const char *action;	/* "add", "remove", ... */
	const char *subsystem;	/* "tty", "usb", ... */
	const char *devname;	/* "ttyUSB0", or NULL */
	const char *devtype;	/* "usb_device", "usb_interface", or NULL */
	const char *kernel;	/* the last component of the device path */
};

/* A socket subscribed to the kernel's uevents, or a negative errno. */
int cyl_uevent_open(void);

/*
 * Parse one message of @len bytes (modified in place); 0, or -EINVAL if
 * it is not a kernel uevent ("ACTION@DEVPATH" then KEY=VALUE strings).
 */
int cyl_uevent_parse(char *buf, size_t len, struct cyl_uevent *ev);

/*
 * Read one message from @fd into @buf; 0 and @ev filled, -EAGAIN when
 * none is left, -EPERM for a message that is not from the kernel.
 */
int cyl_uevent_read(int fd, char *buf, size_t size, struct cyl_uevent *ev);

#endif /* CYL_UEVENT_H */
