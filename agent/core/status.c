// SPDX-License-Identifier: GPL-2.0
/*
 * The "status" command: a snapshot of the daemon, BPF and module state.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cylcomed/bpf.h>

#include "bpf/lsm_guard_loader.h"
#include "core/daemon.h"
#include "core/kmod.h"
#include "core/kmod_events.h"
#include "core/log.h"
#include "serial/serial.h"
#include "risk/risk.h"
#include "usb/usb.h"

static json_t *module_json(struct cyl_daemon *d)
{
	struct cyl_kmod_status st;

	if (cyl_kmod_status(&st))
		return json_pack("{s:b,s:s}", "loaded", 0, "error",
				 "status query failed");
	if (!st.loaded)
		return json_pack("{s:b}", "loaded", 0);
	/* Loaded after the agent started: subscribe now. */
	if (d->kev_state == CYL_KEV_STATE_UNAVAILABLE)
		cyl_kmod_channel_open(d);
	return json_pack("{s:b,s:s,s:I,s:s,s:I}", "loaded", 1,
			 "version", st.version,
			 "attached", (json_int_t)st.attached,
			 "event_channel", cyl_kmod_channel_state(d),
			 "events_lost", (json_int_t)cyl_kmod_events_lost(d->kev));
}

static json_t *devices_json(struct cyl_daemon *d)
{
	json_t *serial = cyl_serial_devices_json(d);
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr && i < d->policy.n_devices; i++) {
		const struct cyl_policy_device *dev = &d->policy.devices[i];
		char num[24] = "", usb[CYL_POLICY_USB_SERIAL_MAX + 64];
		struct stat st;

		/* The node as it is now: a replug may have renumbered it. */
		if (dev->tty[0] && !stat(dev->tty, &st) && S_ISCHR(st.st_mode))
			snprintf(num, sizeof(num), "%u:%u", major(st.st_rdev),
				 minor(st.st_rdev));
		/* A device found by USB identity has "usb" instead of "tty". */
		if (json_array_append_new(arr, json_pack("{s:s,s:s?,s:s?,s:s?,s:b,s:o*}",
				"name", dev->name,
				"tty", dev->tty[0] ? dev->tty : NULL,
				"usb", dev->usb.set ?
				cyl_policy_usb_format(&dev->usb, usb, sizeof(usb)) : NULL,
				"dev", num[0] ? num : NULL,
				"guarded", d->guarded && d->guarded[i],
				"serial", json_incref(json_object_get(serial,
								     dev->name))))) {
			json_decref(arr);
			arr = NULL;
			break;
		}
	}
	json_decref(serial);
	return arr;
}

json_t *cyl_status_json(struct cyl_daemon *d, char *err, size_t errlen)
{
	struct timespec now;
	uint64_t drops = 0;
	json_t *body;

	clock_gettime(CLOCK_MONOTONIC, &now);
	/* A failed read is logged; the reply still says what we know. */
	cyl_lsm_guard_counter(d->lsm, CYL_CNT_RB_DROPS, &drops);

	body = json_pack("{s:s,s:I,s:I,s:I,s:I,s:{s:s},s:s,s:o*,s:o*,s:o*,s:o*,s:o*}",
			 "version", CYL_VERSION,
			 "pid", (json_int_t)getpid(),
			 "uptime_s", (json_int_t)(now.tv_sec - d->started.tv_sec),
			 "events", (json_int_t)d->events,
			 "ringbuf_drops", (json_int_t)drops,
			 "bpf", "lsm_guard", "attached",
			 "pin_dir", CYL_PIN_DIR,
			 "module", module_json(d),
			 "devices", devices_json(d),
			 "records", cyl_serial_records_json(d),
			 "usb", cyl_usb_status_json(d),
			 "risk", cyl_risk_status_json(d));
	if (!body)
		snprintf(err, errlen, "out of memory");
	return body;
}
