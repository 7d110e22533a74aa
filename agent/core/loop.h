/* SPDX-License-Identifier: GPL-2.0 */
/*
 * epoll event loop: every source registers a handler embedded in its own
 * state and finds that state again with container_of().
 */
#ifndef CYL_LOOP_H
#define CYL_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

struct cyl_loop_handler {
	/* A negative return stops the loop with that error. */
	int (*fn)(struct cyl_loop_handler *h, uint32_t events);
};

struct cyl_loop {
	int epfd;
	bool stop;
};

int cyl_loop_init(struct cyl_loop *loop);
void cyl_loop_fini(struct cyl_loop *loop);
int cyl_loop_add(struct cyl_loop *loop, int fd, uint32_t events,
		 struct cyl_loop_handler *h);
int cyl_loop_mod(struct cyl_loop *loop, int fd, uint32_t events,
		 struct cyl_loop_handler *h);
int cyl_loop_del(struct cyl_loop *loop, int fd);

/* Dispatch until cyl_loop_stop(); 0, or the error that ended it. */
int cyl_loop_run(struct cyl_loop *loop);
void cyl_loop_stop(struct cyl_loop *loop);

/*
 * Per-connection deadlines: seconds on CLOCK_MONOTONIC, and a timerfd
 * that ticks once a second while any connection is open (@on) and is
 * quiet otherwise.
 */
time_t cyl_loop_now_s(void);
void cyl_loop_tick_seconds(int tfd, bool on);

#endif /* CYL_LOOP_H */
