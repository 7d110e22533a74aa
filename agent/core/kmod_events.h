/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's event channel: a libnl-genl socket subscribed to the
 * "events" and "records" multicast groups of the cylcomed family,
 * drained from the daemon's epoll loop.  Every event carries the module's
 * sequence number, so a gap is counted as lost events, never silent;
 * records carry per-device sequence numbers, checked by their consumer.
 */
#ifndef CYL_KMOD_EVENTS_H
#define CYL_KMOD_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

struct cyl_kmod_events;
struct nlattr;

/*
 * Called for each message: @cmd is CYL_CMD_EVENT or CYL_CMD_RECORD, @tb
 * its attributes indexed by CYL_A_*, checked for type and length.  Events
 * always have CYL_A_EVENT_TYPE and CYL_A_EVENT_SEQ; records always have
 * CYL_A_DEVICE_ID and a CYL_A_REC_HDR of CYL_REC_HDR_LEN bytes.
 */
typedef void (*cyl_kevent_fn)(void *ctx, uint8_t cmd, struct nlattr **tb);

/*
 * Subscribe.  Returns 0 and a channel, -ENOENT if the module is not
 * loaded (not an error for the caller to report), or a negative errno.
 */
int cyl_kmod_events_open(struct cyl_kmod_events **out, cyl_kevent_fn fn,
			 void *ctx);
void cyl_kmod_events_close(struct cyl_kmod_events *ev);

/* The socket's fd, for epoll. */
int cyl_kmod_events_fd(struct cyl_kmod_events *ev);

/* Read every pending message; 0, or a negative errno. */
int cyl_kmod_events_drain(struct cyl_kmod_events *ev);

/* Ask the module for a CYL_KEV_PONG carrying @cookie. */
int cyl_kmod_events_ping(struct cyl_kmod_events *ev, uint64_t cookie);

/* Events lost so far, from gaps in the module's sequence numbers. */
uint64_t cyl_kmod_events_lost(const struct cyl_kmod_events *ev);

/* Times the socket overflowed (messages lost, events or records). */
uint64_t cyl_kmod_events_overruns(const struct cyl_kmod_events *ev);

#endif /* CYL_KMOD_EVENTS_H */
