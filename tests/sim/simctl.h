/* SPDX-License-Identifier: GPL-2.0 */
/*
 * simctl: the simulators' control socket (--control PATH).
 *
 * A stream Unix socket taking one text command per line and answering
 * each with one line, "ok[ DETAILS]" or "error: WHY".  The commands are a
 * table in simctl.c: fault checksum|truncate|oversize N|none, burst N,
 * send HEX, stats, help.
 */
#ifndef CYL_SIMCTL_H
#define CYL_SIMCTL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#define SIM_CTL_CLIENTS	4
#define SIM_CTL_LINE	8192	/* longest command: "send" and 4 KiB of hex */

struct sim;

struct sim_ctl_client {
	int fd;				/* -1: free slot */
	bool skip;			/* discarding the rest of a long line */
	size_t len;
	char line[SIM_CTL_LINE];
};

struct sim_ctl {
	int lfd;			/* -1 without --control */
	struct sim_ctl_client c[SIM_CTL_CLIENTS];
};

/* Mark every descriptor unused. */
void sim_ctl_init(struct sim_ctl *ctl);

/* Listen on @path; 0 or -1 (errno set). */
int sim_ctl_listen(struct sim_ctl *ctl, const char *path);

/* Fill @pfd with what to poll (at most 1 + SIM_CTL_CLIENTS); returns how many. */
int sim_ctl_pollfds(const struct sim_ctl *ctl, struct pollfd *pfd);

/* Act on the results of polling the @n descriptors from sim_ctl_pollfds(). */
void sim_ctl_handle(struct sim *sim, const struct pollfd *pfd, int n);

void sim_ctl_close(struct sim_ctl *ctl);

#endif /* CYL_SIMCTL_H */
