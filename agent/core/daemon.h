/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cylcomedd's state and its supervisor: the only place besides main()
 * that decides the process's exit status.
 */
#ifndef CYL_DAEMON_H
#define CYL_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "core/loop.h"
#include "core/metrics.h"
#include "policy/policy.h"

#define CYL_DEFAULT_CONFIG	"/etc/cylcomed/policy.yaml"

struct cyl_lsm_guard;
struct cyl_ctlsock;
struct cyl_metrics_http;
struct cyl_watchdog;

struct cyl_daemon_opts {
	const char *config;
	const char *socket;
	struct cyl_metrics_listen metrics_listen;	/* --metrics-listen */
};

struct cyl_daemon {
	const struct cyl_daemon_opts *opts;
	struct cyl_policy policy;
	bool *guarded;			/* per policy device: in guarded_devs */
	struct cyl_lsm_guard *lsm;
	struct cyl_ctlsock *ctl;
	struct cyl_loop loop;
	struct cyl_loop_handler sig_h, rb_h;
	int sigfd;
	struct timespec started;	/* CLOCK_MONOTONIC */
	uint64_t events;		/* ring-buffer records seen */
	/*
	 * Counters for /metrics and "stats".  They live as long as the
	 * daemon, never in a policy: a reload must not reset them.
	 */
	struct cyl_metrics metrics;
	struct cyl_metrics_http *metrics_http;
	struct cyl_watchdog *watchdog;
};

/* Run until SIGTERM/SIGINT; returns the exit status. */
int cyl_daemon_run(const struct cyl_daemon_opts *opts);

/* Put the policy's present ttys into guarded_devs (devices.c). */
int cyl_devices_guard(struct cyl_daemon *d);

/* Body of the "status" reply (status.c). */
json_t *cyl_status_json(struct cyl_daemon *d, char *err, size_t errlen);

/*
 * Metrics (stats.c): the /metrics body, the "stats" reply body, and the
 * policy's devices made the active ones in d->metrics.
 */
int cyl_stats_render(void *ctx, struct cyl_strbuf *out);
json_t *cyl_stats_json(struct cyl_daemon *d, char *err, size_t errlen);
int cyl_stats_sync_devices(struct cyl_daemon *d);

#endif /* CYL_DAEMON_H */
