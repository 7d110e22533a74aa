// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's side of the metrics: a snapshot of the values read at
 * request time, rendered for the /metrics endpoint and for "stats".
 * Both read the same struct cyl_metrics, so they never disagree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cylcomed/bpf.h>

#include "bpf/lsm_guard_loader.h"
#include "core/daemon.h"

static void snapshot(struct cyl_daemon *d, struct cyl_metrics_snapshot *s)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	s->version = CYL_VERSION;
	s->uptime_s = now.tv_sec - d->started.tv_sec;
	s->policy_generation = d->pstate.generation;
	/* The loader's sum over CPUs, as "status" reports; logged on failure. */
	s->ringbuf_drops = 0;
	if (d->lsm)
		cyl_lsm_guard_counter(d->lsm, CYL_CNT_RB_DROPS, &s->ringbuf_drops);
}

int cyl_stats_render(void *ctx, struct cyl_strbuf *out)
{
	struct cyl_daemon *d = ctx;
	struct cyl_metrics_snapshot s;

	snapshot(d, &s);
	return cyl_metrics_render(&d->metrics, &s, out);
}

json_t *cyl_stats_json(struct cyl_daemon *d, char *err, size_t errlen)
{
	struct cyl_metrics_snapshot s;
	json_t *body;

	snapshot(d, &s);
	body = cyl_metrics_json(&d->metrics, &s);
	if (!body)
		snprintf(err, errlen, "out of memory");
	return body;
}

int cyl_stats_sync_devices(struct cyl_daemon *d)
{
	const char **names;
	size_t i;
	int ret;

	names = calloc(d->policy.n_devices ? d->policy.n_devices : 1,
		       sizeof(*names));
	if (!names)
		return -ENOMEM;
	for (i = 0; i < d->policy.n_devices; i++)
		names[i] = d->policy.devices[i].name;
	ret = cyl_metrics_sync_devices(&d->metrics, names, d->policy.n_devices);
	free(names);
	return ret;
}
