/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's serial guard: keeps cylcomed.ko's guarded ttys in step
 * with the policy (attach, settings, record key, detach), turns the
 * module's device events into security events, and spools its records.
 *
 * A device is guarded from the moment the module holds its tty; that
 * survives this daemon.  A restarted daemon adopts what the module holds
 * (matching by device name and id) instead of attaching again.
 */
#ifndef CYL_SERIAL_H
#define CYL_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

struct cyl_daemon;
struct nlattr;

/* A policy device's id in the module and in records: stable for a name. */
uint32_t cyl_serial_device_id(const char *name);

/* Start: talk to the module if it is loaded (no error if it is not). */
int cyl_serial_open(struct cyl_daemon *d);
void cyl_serial_close(struct cyl_daemon *d);

/*
 * Bring the module's guards in line with d->policy.  @settings: push
 * every device's settings again (a new policy); otherwise only attach
 * what is missing (hot-plug, start).
 */
void cyl_serial_sync(struct cyl_daemon *d, bool settings);

/* A CYL_CMD_EVENT (device events) or CYL_CMD_RECORD from the module. */
void cyl_serial_on_kmsg(struct cyl_daemon *d, uint8_t cmd, struct nlattr **tb);

/* "key_loaded": have the module take DEVICE's key from the keyring. */
int cyl_serial_key_loaded(struct cyl_daemon *d, const char *device,
			  char *err, size_t errlen);

/*
 * Per policy device, by name: attached, tty, device id, sealed, the
 * module's counters; for status and devices.  One query of the module.
 */
json_t *cyl_serial_devices_json(struct cyl_daemon *d);

/*
 * When the last record of policy device @device reached the agent
 * (CLOCK_MONOTONIC), for the safe-update gate: 0, or -ENOENT if none did
 * since the agent started (or the spool is not open).  Records the module
 * kept while no agent ran count as arriving when they are handed over.
 */
int cyl_serial_last_record(struct cyl_daemon *d, const char *device,
			   struct timespec *at);

/* The record path's counters, for status. */
json_t *cyl_serial_records_json(struct cyl_daemon *d);

#endif /* CYL_SERIAL_H */
