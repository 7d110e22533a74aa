/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's device events (attach, detach, bad frame, refused write,
 * dropped records) as security events: pure functions, so unit tests see
 * what the daemon logs.  Documentation/events.md has the schema.
 */
#ifndef CYL_SERIAL_KEVENT_H
#define CYL_SERIAL_KEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include <cylcomed/genl.h>

struct nlattr;

/* One CYL_CMD_EVENT about a device, decoded. */
struct cyl_kdev_event {
	uint32_t type;			/* enum cyl_kevent_type */
	uint32_t device_id;
	uint64_t dev_seq;
	char tty[64];
	uint32_t dev;
	uint32_t reason;
	uint32_t len;
	uint64_t count;
	bool has_writer;
	uint32_t pid, uid;
	char comm[17];
	uint8_t bytes[CYL_EVENT_BYTES_MAX];
	size_t nbytes;
};

/* Decode from a message's attributes; -EPROTO if one is missing. */
int cyl_kdev_event_decode(struct nlattr **tb, struct cyl_kdev_event *ev);

/*
 * The security event for @ev about policy device @device (NULL if the
 * module's id matches none), @exe the writer's executable (NULL if not
 * known).  NULL for an event type that is not about a device, or ENOMEM.
 */
json_t *cyl_kdev_event_json(const struct cyl_kdev_event *ev,
			    const char *device, const char *exe);

/* Why a tty stopped being guarded, in words (enum cyl_detach_reason). */
const char *cyl_kdev_detach_reason(uint32_t r);

/* "02 31 48 7c": @n bytes as hex, into @buf of at least 3 * @n + 1. */
void cyl_hex_bytes(const uint8_t *p, size_t n, char *buf);

#endif /* CYL_SERIAL_KEVENT_H */
