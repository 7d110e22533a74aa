/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's USB device authorization (Documentation/usb.md): lock the
 * root hubs so the kernel authorizes nothing by itself, decide every
 * device present and plugged later by the policy's usb.rules (first
 * match wins), authorize only the interfaces the matching rule lists,
 * and report every decision as a "usb_device" event.
 *
 * Without a "usb" section in the policy the agent leaves USB alone.
 */
#ifndef CYL_USB_H
#define CYL_USB_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct cyl_daemon;

/*
 * Start: if the policy has a usb section, lock the root hubs down, then
 * handle the devices present as usb.present_devices says, and follow
 * uevents.  The lock-down comes before anything else the agent does.
 */
int cyl_usb_open(struct cyl_daemon *d);
void cyl_usb_close(struct cyl_daemon *d);

/* A new policy is in force: decide every present device again. */
void cyl_usb_policy_changed(struct cyl_daemon *d);

/* "usb_list": every device, its interfaces, verdict and rule. */
json_t *cyl_usb_list_json(struct cyl_daemon *d, char *err, size_t errlen);

/*
 * "usb_set": allow or block the device at @port now, until it is
 * unplugged; with @permanent, as a rule put first in the policy file
 * (which is then loaded).  Returns the device's entry as in usb_list.
 */
json_t *cyl_usb_set(struct cyl_daemon *d, const char *port,
		    const char *target, bool permanent, char *err,
		    size_t errlen);

/* For status: {"active": bool, "devices": n, "allowed": n, ...}. */
json_t *cyl_usb_status_json(struct cyl_daemon *d);

#endif /* CYL_USB_H */
