// SPDX-License-Identifier: GPL-2.0
/*
 * From policy devices to a guarded set for lsm_guard.  A tty that is not
 * there yet (device unplugged) is a warning: the gateway keeps running
 * and the device is guarded once it is back (the serial guard calls this
 * again with the nodes it found by USB identity, on attach and hot-plug).
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
		      const char *const *found, bool **guarded_out)
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
		const char *tty = dev->tty;
		char usb[CYL_POLICY_USB_SERIAL_MAX + 64];

		/* Found by USB identity: the node the serial guard found. */
		if (!tty[0]) {
			tty = found ? found[i] : NULL;
			if (!tty) {
				log_info_f("%s: %s not found yet: opens guarded once it is",
					   dev->name, cyl_policy_usb_format(&dev->usb, usb,
									    sizeof(usb)));
				continue;
			}
		}
		if (stat(tty, &st)) {
			log_warn_f("%s: %s: %s, not guarded", dev->name,
				   tty, strerror(errno));
			continue;
		}
		if (!S_ISCHR(st.st_mode)) {
			log_warn_f("%s: %s is not a character device, not guarded",
				   dev->name, tty);
			continue;
		}
		devs[n] = CYL_MKDEV(major(st.st_rdev), minor(st.st_rdev));
		ids[n] = i;
		n++;
		guarded[i] = true;
		log_info_f("guarding %s (%s, %u:%u)", dev->name, tty,
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
