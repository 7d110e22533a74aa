// SPDX-License-Identifier: GPL-2.0
/*
 * Watchdog pings: a periodic timerfd, WATCHDOG=1 on every expiry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "core/log.h"
#include "core/notify.h"
#include "core/watchdog.h"

struct cyl_watchdog {
	struct cyl_loop_handler h;
	int tfd;
};

static int on_timer(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_watchdog *wd = container_of(h, struct cyl_watchdog, h);
	uint64_t ticks;

	if (read(wd->tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		log_err_f("read timerfd: %s", strerror(errno));
	cyl_notify("WATCHDOG=1");
	return 0;
}

int cyl_watchdog_open(struct cyl_watchdog **out, struct cyl_loop *loop)
{
	struct itimerspec its = { 0 };
	struct cyl_watchdog *wd;
	uint64_t usec, half;
	int ret;

	*out = NULL;
	if (cyl_notify_watchdog_usec(getenv("WATCHDOG_USEC"),
				     getenv("WATCHDOG_PID"), getpid(), &usec)) {
		log_warn_f("ignoring malformed WATCHDOG_USEC/WATCHDOG_PID");
		return 0;
	}
	if (!usec)
		return 0;

	wd = calloc(1, sizeof(*wd));
	if (!wd)
		return -ENOMEM;
	wd->h.fn = on_timer;
	wd->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (wd->tfd < 0) {
		ret = -errno;
		log_err_f("timerfd_create: %s", strerror(errno));
		goto err;
	}
	half = usec / 2 ? usec / 2 : 1;
	its.it_value.tv_sec = half / 1000000;
	its.it_value.tv_nsec = half % 1000000 * 1000;
	its.it_interval = its.it_value;
	if (timerfd_settime(wd->tfd, 0, &its, NULL)) {
		ret = -errno;
		log_err_f("timerfd_settime: %s", strerror(errno));
		goto err;
	}
	if ((ret = cyl_loop_add(loop, wd->tfd, EPOLLIN, &wd->h)) != 0)
		goto err;
	log_info_f("watchdog: WATCHDOG=1 every %llu ms",
		   (unsigned long long)(half / 1000));
	*out = wd;
	return 0;
err:
	cyl_watchdog_close(wd);
	return ret;
}

void cyl_watchdog_close(struct cyl_watchdog *wd)
{
	if (!wd)
		return;
	if (wd->tfd >= 0)
		close(wd->tfd);
	free(wd);
}
