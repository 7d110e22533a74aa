// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's end of the module's event channel: subscribe when the
 * module is there (at start, and again on a status request if it was
 * loaded later), check the path end to end with a ping, and drain the
 * socket from the loop.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>

#include <netlink/attr.h>

#include <cylcomed/genl.h>

#include "core/daemon.h"
#include "core/kmod_events.h"
#include "core/log.h"
#include "serial/serial.h"

static void on_kevent(void *ctx, uint8_t cmd, struct nlattr **tb)
{
	struct cyl_daemon *d = ctx;
	uint32_t type;
	uint64_t seq;

	if (cmd == CYL_CMD_RECORD) {
		cyl_serial_on_kmsg(d, cmd, tb);
		return;
	}
	type = nla_get_u32(tb[CYL_A_EVENT_TYPE]);
	seq = nla_get_u64(tb[CYL_A_EVENT_SEQ]);
	switch (type) {
	case CYL_KEV_PONG:
		if (tb[CYL_A_COOKIE] &&
		    nla_get_u64(tb[CYL_A_COOKIE]) == d->kev_cookie &&
		    d->kev_state != CYL_KEV_STATE_OK) {
			d->kev_state = CYL_KEV_STATE_OK;
			log_info_f("module event channel ok (sequence %llu)",
				   (unsigned long long)seq);
		}
		break;
	case CYL_KEV_ATTACHED:
	case CYL_KEV_DETACHED:
	case CYL_KEV_BAD_FRAME:
	case CYL_KEV_WRITE_REFUSED:
	case CYL_KEV_RECORDS_DROPPED:
		cyl_serial_on_kmsg(d, cmd, tb);
		break;
	default:
		log_warn_f("unknown module event %u (sequence %llu) ignored",
			   type, (unsigned long long)seq);
		break;
	}
}

static int on_readable(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_daemon *d = container_of(h, struct cyl_daemon, kev_h);

	/* An error is logged; the channel stays and is read again later. */
	cyl_kmod_events_drain(d->kev);
	return 0;
}

void cyl_kmod_channel_open(struct cyl_daemon *d)
{
	int ret;

	if (d->kev)
		return;
	ret = cyl_kmod_events_open(&d->kev, on_kevent, d);
	if (ret == -ENOENT) {
		d->kev_state = CYL_KEV_STATE_UNAVAILABLE;
		return;
	}
	if (ret)
		goto err;
	d->kev_h.fn = on_readable;
	ret = cyl_loop_add(&d->loop, cyl_kmod_events_fd(d->kev), EPOLLIN,
			   &d->kev_h);
	if (ret)
		goto err;
	if (getrandom(&d->kev_cookie, sizeof(d->kev_cookie), 0) !=
	    sizeof(d->kev_cookie))
		d->kev_cookie = (uint64_t)d->started.tv_nsec ^ 0x6379636f6d6564ULL;
	d->kev_state = CYL_KEV_STATE_WAITING;
	if ((ret = cyl_kmod_events_ping(d->kev, d->kev_cookie)) != 0)
		goto err;
	return;
err:
	log_warn_f("module event channel: %s", strerror(-ret));
	cyl_kmod_channel_close(d);
	d->kev_state = CYL_KEV_STATE_UNAVAILABLE;
}

void cyl_kmod_channel_close(struct cyl_daemon *d)
{
	if (d->kev && d->loop.epfd >= 0)
		cyl_loop_del(&d->loop, cyl_kmod_events_fd(d->kev));
	cyl_kmod_events_close(d->kev);
	d->kev = NULL;
}

const char *cyl_kmod_channel_state(const struct cyl_daemon *d)
{
	switch (d->kev_state) {
	case CYL_KEV_STATE_OK: return "ok";
	case CYL_KEV_STATE_WAITING: return "waiting";
	default: return "unavailable";
	}
}
