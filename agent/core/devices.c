// SPDX-License-Identifier: GPL-2.0
/*
 * From policy devices to a guarded set for lsm_guard.  A tty that is not
 * there yet (device unplugged) is a warning: the gateway keeps running
 * and the device is guarded once a later release handles hot-plug.  So is
 * a device the policy finds by USB identity: it has no fixed node here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cylcomed/bpf.h>

#include "bpf/lsm_guard_loader.h"
#include "core/daemon.h"
#include "core/log.h"

int cyl_devices_guard(struct cyl_lsm_guard *lsm, const struct cyl_policy *p,
		      bool **guarded_out)
{
	size_t i, n = 0, count = p->n_devices;
	uint32_t *devs = NULL, *ids = NULL;
	bool *guarded;
	struct stat st;
	int ret = -ENOMEM;

	*guarded_out = NULL;
	guarded = calloc(count ? count : 1, sizeof(*guarded));
	devs = calloc(count ? count : 1, sizeof(*devs));
	ids = calloc(count ? count : 1, sizeof(*ids));
	if (!guarded || !devs || !ids) {
		log_err_f("out of memory");
		goto out;
	}

	for (i = 0; i < count; i++) {
		const struct cyl_policy_device *dev = &p->devices[i];
		char usb[CYL_POLICY_USB_SERIAL_MAX + 64];

		/* Found by USB identity: no node to look up here. */
		if (!dev->tty[0]) {
			log_warn_f("%s: matched by %s, not by a tty: opens not guarded",
				   dev->name, cyl_policy_usb_format(&dev->usb, usb,
								    sizeof(usb)));
			continue;
		}
		if (stat(dev->tty, &st)) {
			log_warn_f("%s: %s: %s, not guarded", dev->name,
				   dev->tty, strerror(errno));
			continue;
		}
		if (!S_ISCHR(st.st_mode)) {
			log_warn_f("%s: %s is not a character device, not guarded",
				   dev->name, dev->tty);
			continue;
		}
		devs[n] = CYL_MKDEV(major(st.st_rdev), minor(st.st_rdev));
		ids[n] = i;
		n++;
		guarded[i] = true;
		log_info_f("guarding %s (%s, %u:%u)", dev->name, dev->tty,
			   major(st.st_rdev), minor(st.st_rdev));
	}
	ret = cyl_lsm_guard_set_devs(lsm, devs, ids, n);
	if (!ret) {
		*guarded_out = guarded;
		guarded = NULL;
	}
out:
	free(guarded);
	free(devs);
	free(ids);
	return ret;
}
