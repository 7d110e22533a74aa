// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's risk management (see risk.h).
 *
 * The log is opened when a policy with a "risk" section first comes
 * into force and stays open for the agent's life: a policy without one
 * later stops the judging, not the log.  A failing append is logged once
 * and counted; the event itself still goes to the event log.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "core/daemon.h"
#include "core/log.h"
#include "risk/register.h"
#include "risk/risk.h"
#include "risk/risklog.h"

/* One register entry's evidence so far, by id across policy loads. */
struct observed {
	char id[CYL_RISK_ID_MAX + 1];
	struct cyl_risk_observed o;
	bool flagged;		/* said once that it needs review */
};

struct cyl_risk {
	struct cyl_daemon *d;
	struct cyl_risklog *log;
	int tfd;
	struct cyl_loop_handler timer_h;
	struct observed *obs;
	size_t n_obs;
	uint64_t appended, append_errors;
	bool append_failing;
};

static const struct cyl_risk_register *reg(struct cyl_daemon *d)
{
	return d->policy.risk.set ? &d->policy.risk : NULL;
}

static struct observed *observed_of(struct cyl_risk *r, const char *id)
{
	struct observed *obs;
	size_t i;

	for (i = 0; i < r->n_obs; i++)
		if (!strcmp(r->obs[i].id, id))
			return &r->obs[i];
	obs = realloc(r->obs, (r->n_obs + 1) * sizeof(*obs));
	if (!obs)
		return NULL;
	r->obs = obs;
	obs = &r->obs[r->n_obs++];
	memset(obs, 0, sizeof(*obs));
	snprintf(obs->id, sizeof(obs->id), "%s", id);
	return obs;
}

static uint64_t monitored_s(struct cyl_daemon *d)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > d->started.tv_sec ? now.tv_sec - d->started.tv_sec : 1;
}

static int on_timer(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_risk *r = container_of(h, struct cyl_risk, timer_h);
	uint64_t ticks;
	int ret;

	if (read(r->tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		log_err_f("read timerfd: %s", strerror(errno));
	if (r->log && cyl_risklog_unsigned(r->log) &&
	    (ret = cyl_risklog_sign_head(r->log)) != 0)
		log_err_f("risk log: signing a tree head: %s", strerror(-ret));
	return 0;
}

static int start_timer(struct cyl_risk *r, int interval_s)
{
	struct itimerspec its = {
		.it_value.tv_sec = interval_s, .it_interval.tv_sec = interval_s,
	};

	r->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (r->tfd < 0 || timerfd_settime(r->tfd, 0, &its, NULL)) {
		log_err_f("risk log: signing timer: %s", strerror(errno));
		return -errno;
	}
	r->timer_h.fn = on_timer;
	return cyl_loop_add(&r->d->loop, r->tfd, EPOLLIN, &r->timer_h);
}

/* The log and its signing timer, once a policy has a register. */
static int open_log(struct cyl_risk *r)
{
	const struct cyl_daemon_opts *o = r->d->opts;
	char dir[4096], key[4096], err[512];
	int ret;

	if (snprintf(dir, sizeof(dir), "%s/log", o->risk_dir) >= (int)sizeof(dir) ||
	    snprintf(key, sizeof(key), "%s/signing.key", o->risk_dir) >= (int)sizeof(key))
		return -ENAMETOOLONG;
	/* The writer makes DIR/log and its parents (0700), DIR included. */
	ret = cyl_risklog_open(dir, key, o->risk_fsync_every ?
			       CYL_RISKLOG_FSYNC_EVERY : CYL_RISKLOG_FSYNC_BATCH,
			       &r->log, err, sizeof(err));
	if (ret) {
		log_err_f("risk log: %s", err);
		return ret;
	}
	log_info_f("risk log %s: %llu entries, heads signed every %d s with %s",
		   dir, (unsigned long long)cyl_risklog_size(r->log),
		   o->risk_sign_interval, key);
	return start_timer(r, o->risk_sign_interval);
}

int cyl_risk_open(struct cyl_daemon *d)
{
	struct cyl_risk *r;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->d = d;
	r->tfd = -1;
	d->risk = r;
	if (!reg(d)) {
		log_info_f("risk: the policy has no risk section: events are not judged");
		return 0;
	}
	return open_log(r);
}

void cyl_risk_close(struct cyl_daemon *d)
{
	struct cyl_risk *r = d->risk;

	if (!r)
		return;
	if (r->tfd >= 0) {
		if (d->loop.epfd >= 0)
			cyl_loop_del(&d->loop, r->tfd);
		close(r->tfd);
	}
	cyl_risklog_close(r->log);
	free(r->obs);
	free(r);
	d->risk = NULL;
}

void cyl_risk_policy_changed(struct cyl_daemon *d)
{
	struct cyl_risk *r = d->risk;

	if (r && !r->log && reg(d) && open_log(r))
		log_err_f("risk: events are judged but not logged");
}

bool cyl_risk_wants(struct cyl_daemon *d, const char *type,
		    const char *verdict)
{
	const struct cyl_risk_register *rg = reg(d);
	const struct cyl_risk_selector *s;
	size_t i, j;

	for (i = 0; rg && i < rg->n_entries; i++)
		for (j = 0; j < rg->entries[i].n_evidence; j++) {
			s = &rg->entries[i].evidence[j];
			if (!strcmp(s->type, type) &&
			    (!s->verdict[0] || !strcmp(s->verdict, verdict)))
				return true;
		}
	return false;
}

/* Post-production monitoring: flag an entry seen more than estimated. */
static void observe(struct cyl_risk *r, const struct cyl_risk_entry *e)
{
	struct observed *obs = observed_of(r, e->id);
	struct cyl_risk_rate rate;

	if (!obs)
		return;
	cyl_risk_observe(&obs->o, time(NULL));
	cyl_risk_observed_rate(reg(r->d), e, &obs->o, monitored_s(r->d), &rate);
	if (rate.review && !obs->flagged)
		log_warn_f("risk %s: observed %.1f/year, above the estimated %.1f/year: review the entry (ISO 14971 clause 10)",
			   e->id, rate.observed_per_year, rate.expected_per_year);
	obs->flagged = rate.review;
}

static void append(struct cyl_risk *r, const json_t *event)
{
	uint64_t index;
	char *s;
	int ret;

	s = json_dumps(event, JSON_COMPACT | JSON_PRESERVE_ORDER);
	ret = s ? cyl_risklog_append(r->log, s, strlen(s), &index) : -ENOMEM;
	free(s);
	if (ret) {
		r->append_errors++;
		if (!r->append_failing)
			log_err_f("risk log: append: %s (said once until one works)",
				  strerror(-ret));
	} else {
		r->appended++;
		if (r->append_failing)
			log_info_f("risk log: appending again");
	}
	r->append_failing = ret != 0;
}

void cyl_risk_judge(struct cyl_daemon *d, json_t *event)
{
	struct cyl_risk *r = d->risk;
	const struct cyl_risk_entry *e;

	if (!r || !reg(d) || !(e = cyl_risk_match(reg(d), event)))
		return;
	json_object_set_new(event, "risk_entry", json_string(e->id));
	observe(r, e);
	if (r->log)
		append(r, event);
}

json_t *cyl_risk_status_json(struct cyl_daemon *d)
{
	struct cyl_risk *r = d->risk;
	const struct cyl_risk_register *rg = reg(d);
	json_t *flagged = json_array(), *o;
	char root[65] = "";
	size_t i;

	for (i = 0; r && flagged && i < r->n_obs; i++)
		if (r->obs[i].flagged)
			json_array_append_new(flagged, json_string(r->obs[i].id));
	if (r && r->log)
		cyl_risklog_root_hex(r->log, root);
	o = json_pack("{s:b, s:I, s:b, s:I, s:I, s:s, s:I, s:o}",
		      "register", rg != NULL,
		      "entries", (json_int_t)(rg ? rg->n_entries : 0),
		      "log", r && r->log,
		      "log_size", (json_int_t)(r && r->log ? cyl_risklog_size(r->log) : 0),
		      "unsigned", (json_int_t)(r && r->log ? cyl_risklog_unsigned(r->log) : 0),
		      "root", root,
		      "append_errors", (json_int_t)(r ? r->append_errors : 0),
		      "review", flagged ? flagged : json_array());
	return o;
}
