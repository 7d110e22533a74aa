/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records from cylcomed.ko into the spool: checked for shape, counted,
 * their per-device sequence numbers followed (a gap is an event), and
 * appended unchanged (header and ciphertext) to agent/store's spool.
 */
#ifndef CYL_SERIAL_RECORDS_H
#define CYL_SERIAL_RECORDS_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

struct cyl_daemon;
struct cyl_records;
struct nlattr;

/*
 * Open (and recover) the spool in @dir; @fsync_mode: enum cyl_spool_fsync.
 * Events and the fsync timer go through @d.
 */
int cyl_records_open(struct cyl_records **out, struct cyl_daemon *d,
		     const char *dir, int fsync_mode);
void cyl_records_close(struct cyl_records *r);

/* One CYL_CMD_RECORD of policy device @device (NULL: unknown id). */
void cyl_records_on_msg(struct cyl_daemon *d, struct cyl_records *r,
			const char *device, struct nlattr **tb);

/*
 * When the last well-formed record of device @id arrived (CLOCK_MONOTONIC):
 * 0, or -ENOENT if none did since the spool was opened.
 */
int cyl_records_last_at(const struct cyl_records *r, uint32_t id,
			struct timespec *at);

/* Counters for status: records, gaps, lost, spool errors. */
json_t *cyl_records_json(const struct cyl_records *r);

#endif /* CYL_SERIAL_RECORDS_H */
