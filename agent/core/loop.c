// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

int cyl_loop_init(struct cyl_loop *loop)
{
	loop->stop = false;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		log_err_f("epoll_create1: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

void cyl_loop_fini(struct cyl_loop *loop)
{
	if (loop->epfd >= 0)
		close(loop->epfd);
	loop->epfd = -1;
}

static int ctl(struct cyl_loop *loop, int op, int fd, uint32_t events,
	       struct cyl_loop_handler *h)
{
	struct epoll_event ev = { .events = events, .data.ptr = h };

	if (epoll_ctl(loop->epfd, op, fd, &ev)) {
		log_err_f("epoll_ctl(%d, fd %d): %s", op, fd, strerror(errno));
		return -errno;
	}
	return 0;
}

int cyl_loop_add(struct cyl_loop *loop, int fd, uint32_t events,
		 struct cyl_loop_handler *h)
{
	return ctl(loop, EPOLL_CTL_ADD, fd, events, h);
}

int cyl_loop_mod(struct cyl_loop *loop, int fd, uint32_t events,
		 struct cyl_loop_handler *h)
{
	return ctl(loop, EPOLL_CTL_MOD, fd, events, h);
}

int cyl_loop_del(struct cyl_loop *loop, int fd)
{
	return ctl(loop, EPOLL_CTL_DEL, fd, 0, NULL);
}

void cyl_loop_stop(struct cyl_loop *loop)
{
	loop->stop = true;
}

int cyl_loop_run(struct cyl_loop *loop)
{
	struct epoll_event ev;
	struct cyl_loop_handler *h;
	int n, ret;

	/*
	 * One event per wait: a handler may free another source (a client
	 * timing out), and a batch could then hand us a dangling pointer.
	 */
	while (!loop->stop) {
		n = epoll_wait(loop->epfd, &ev, 1, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_err_f("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		if (!n)
			continue;
		h = ev.data.ptr;
		ret = h->fn(h, ev.events);
		if (ret < 0)
			return ret;
	}
	return 0;
}

time_t cyl_loop_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

void cyl_loop_tick_seconds(int tfd, bool on)
{
	struct itimerspec its = { 0 };

	if (on) {
		its.it_value.tv_sec = 1;
		its.it_interval.tv_sec = 1;
	}
	if (timerfd_settime(tfd, 0, &its, NULL))
		log_err_f("timerfd_settime: %s", strerror(errno));
}
