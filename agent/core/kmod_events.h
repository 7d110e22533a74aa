/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's event channel: a libnl-genl socket subscribed to the
 * "events" multicast group of the cylcomed family, drained from the
 * daemon's epoll loop.  Every event carries the module's sequence
 * number, so a gap is counted as lost events, never silent.
 */
#ifndef CYL_KMOD_EVENTS_H
#define CYL_KMOD_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

struct cyl_kmod_events;

/* Called for each CYL_CMD_EVENT: type, module sequence, cookie. */
typedef void (*cyl_kevent_fn)(void *ctx, uint32_t type, uint64_t seq,
			      uint64_t cookie);

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

#endif /* CYL_KMOD_EVENTS_H */
