// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's side of security events: one path, cyl_daemon_emit(),
 * from any source (ring buffer, control socket) to stdout, the event
 * log and the followers of "cylctl events --follow".
 *
 * Followers never block the loop: a line is sent with MSG_DONTWAIT and
 * a follower whose socket buffer cannot take it whole is dropped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <cylcomed/bpf.h>

#include "bpf/lsm_guard_loader.h"
#include "core/ctlsock.h"
#include "core/daemon.h"
#include "core/event.h"
#include "core/eventlog.h"
#include "core/log.h"
#include "risk/risk.h"

#define MAX_FOLLOWERS		16
#define TAIL_MAX_BYTES		(512 * 1024)	/* well under CYL_CTL_MAX_REPLY */

struct follower {
	struct cyl_loop_handler h;
	struct cyl_emit *em;
	int fd;			/* -1 while free or waiting for the handover */
	bool used;
	char *type, *device;	/* filters, NULL for any */
};

struct cyl_emit {
	struct cyl_daemon *d;
	struct cyl_eventlog *log;
	bool log_failing;	/* a write failed; said once until one works */
	char host[HOST_NAME_MAX + 1];
	uint64_t seq;
	int tfd;		/* fsync timer, mode "interval" only */
	struct cyl_loop_handler timer_h;
	struct follower followers[MAX_FOLLOWERS];
	bool batching;		/* in a ring-buffer drain: flush at its end */
	pid_t exe_pid;		/* batch_exe()'s cache, valid in one batch */
	bool exe_ok;
	char exe[PATH_MAX];
};

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void follower_free(struct follower *f)
{
	if (f->fd >= 0)
		close(f->fd);	/* also leaves the epoll set */
	free(f->type);
	free(f->device);
	f->fd = -1;
	f->used = false;
	f->type = f->device = NULL;
}

/* A follower only listens: data or a hang-up from it ends the stream. */
static int on_follower(struct cyl_loop_handler *h, uint32_t events)
{
	follower_free(container_of(h, struct follower, h));
	return 0;
}

/* Handover from the control socket once {"ok":true,"follow":true} is out. */
static void follower_start(void *ctx, int fd)
{
	struct follower *f = ctx;

	if (fd < 0) {
		follower_free(f);
		return;
	}
	f->fd = fd;
	if (cyl_loop_add(&f->em->d->loop, fd, EPOLLIN | EPOLLRDHUP, &f->h))
		follower_free(f);
}

static void push(struct cyl_emit *em, const json_t *event)
{
	char *s = NULL;
	size_t len = 0, i;
	ssize_t n;

	for (i = 0; i < MAX_FOLLOWERS; i++) {
		struct follower *f = &em->followers[i];

		if (f->fd < 0 || !cyl_event_match(event, f->type, f->device))
			continue;
		if (!s) {
			s = json_dumps(event, JSON_COMPACT | JSON_PRESERVE_ORDER);
			if (!s)
				return;
			len = strlen(s);
			s[len++] = '\n';	/* replaces the NUL; send() by length */
		}
		do {
			n = send(f->fd, s, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		} while (n < 0 && errno == EINTR);
		if (n != (ssize_t)len) {
			log_warn_f("follower too slow or gone (%s), dropped",
				   n < 0 ? strerror(errno) : "short send");
			follower_free(f);
		}
	}
	free(s);
}

static void log_result(struct cyl_emit *em, int ret)
{
	if (ret && !em->log_failing)
		log_err_f("%s: %s (said once until a write works)",
			  cyl_eventlog_path(em->log), strerror(-ret));
	else if (!ret && em->log_failing)
		log_info_f("%s: writing again", cyl_eventlog_path(em->log));
	em->log_failing = ret != 0;
}

static void write_log(struct cyl_emit *em, const json_t *event)
{
	if (em->log)
		log_result(em, cyl_eventlog_write(em->log, event));
}

void cyl_daemon_emit(struct cyl_daemon *d, json_t *event)
{
	struct cyl_emit *em = d->emit;
	char line[CYL_EVENT_LINE_MAX];

	if (!event || !em ||
	    cyl_event_stamp(event, now_ns(CLOCK_REALTIME), em->host, ++em->seq)) {
		log_err_f("out of memory: event lost");
		json_decref(event);
		return;
	}
	/* The risk register judges it; a matching one goes to the risk log. */
	cyl_risk_judge(d, event);
	/* Every event counts, by type and verdict, for /metrics. */
	cyl_metrics_count_event(&d->metrics,
				json_string_value(json_object_get(event, "type")) ?: "unknown",
				json_string_value(json_object_get(event, "verdict")) ?: "unknown");
	/* Operators watch stdout live; the demo and tests grep it. */
	cyl_event_line(event, line, sizeof(line));
	printf("event: %s\n", line);
	if (!em->batching)
		fflush(stdout);
	write_log(em, event);
	push(em, event);
	json_decref(event);
}

/* /proc/PID/exe while the process lives; NULL once it is gone. */
static char *proc_exe(pid_t pid, char *buf, size_t size)
{
	char path[32];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, buf, size - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

/*
 * The same within one ring-buffer drain, remembered for the last pid:
 * a burst of records from one process costs one readlink.  The cache
 * dies with the batch, so a pid reused later is looked up afresh.
 */
static const char *batch_exe(struct cyl_emit *em, pid_t pid)
{
	if (!em->batching)
		return proc_exe(pid, em->exe, sizeof(em->exe));
	if (em->exe_pid != pid) {
		em->exe_pid = pid;
		em->exe_ok = proc_exe(pid, em->exe, sizeof(em->exe)) != NULL;
	}
	return em->exe_ok ? em->exe : NULL;
}

static bool has_followers(const struct cyl_emit *em)
{
	size_t i;

	for (i = 0; i < MAX_FOLLOWERS; i++) {
		if (em->followers[i].fd >= 0)
			return true;
	}
	return false;
}

/*
 * The hot path, with no follower to serve: the same event as
 * cyl_daemon_emit() would write, rendered without jansson (see
 * performance.md for why).
 */
static void emit_rendered(struct cyl_daemon *d, const struct cyl_event *ev,
			  const char *name, int64_t real)
{
	struct cyl_emit *em = d->emit;
	char json[CYL_EVENT_RENDER_MAX], line[CYL_EVENT_LINE_MAX];
	char tbuf[24], vbuf[24];
	const char *type, *verdict;
	int n, ret;

	n = cyl_event_bpf_render(ev, name, batch_exe(em, ev->pid), real,
				 em->host, ++em->seq, json, sizeof(json),
				 line, sizeof(line));
	if (n < 0) {
		log_err_f("event %llu not rendered: %s", (unsigned long long)em->seq,
			  strerror(-n));
		return;
	}
	/* The labels the JSON path would count: its "type" and "verdict". */
	cyl_event_names(ev, tbuf, vbuf, &type, &verdict);
	cyl_metrics_count_event(&d->metrics, type, verdict);
	printf("event: %s\n", line);
	if (!em->batching)
		fflush(stdout);
	if (!em->log)
		return;
	ret = cyl_eventlog_write_line(em->log, json, (size_t)n);
	log_result(em, ret);
}

void cyl_emit_bpf(struct cyl_daemon *d, const struct cyl_event *ev)
{
	struct cyl_emit *em = d->emit;
	char tbuf[24], vbuf[24];
	const char *name = NULL, *type, *verdict;
	int64_t real;

	/*
	 * The program copies the device's id from the guarded set.  A record
	 * still in flight across a policy load may carry the previous
	 * policy's index: name it only if that device is guarded now.
	 */
	if (ev->device_id < d->policy.n_devices && d->guarded &&
	    d->guarded[ev->device_id])
		name = d->policy.devices[ev->device_id].name;
	/* Both clocks read now: a wall-clock step since boot is honoured. */
	real = cyl_event_real_ns(ev->ts_ns, now_ns(CLOCK_REALTIME),
				 now_ns(CLOCK_BOOTTIME));
	cyl_event_names(ev, tbuf, vbuf, &type, &verdict);
	/* The rendered line has no jansson object for risk judging. */
	if (!em || has_followers(em) || cyl_risk_wants(d, type, verdict)) {
		cyl_daemon_emit(d, cyl_event_from_bpf(ev, name,
						      batch_exe(em, ev->pid), real));
		return;
	}
	emit_rendered(d, ev, name, real);
}

static void on_denied(void *ctx, pid_t pid, uid_t uid, const char *what)
{
	struct cyl_daemon *d = ctx;
	char exe[PATH_MAX], comm[CYL_COMM_LEN + 1] = "", path[32], reason[160];
	ssize_t n = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, comm, CYL_COMM_LEN);
		close(fd);
	}
	if (n > 0 && comm[n - 1] == '\n')
		n--;
	if (!strcmp(what, "request"))
		snprintf(reason, sizeof(reason),
			 "control socket: peer is neither root nor in group %s",
			 CYL_CTL_ADMIN_GROUP);
	else
		snprintf(reason, sizeof(reason),
			 "control socket: peer may not run \"%s\"", what);
	cyl_daemon_emit(d, cyl_event_new("control_denied", NULL,
			cyl_event_subject(pid, uid, proc_exe(pid, exe, sizeof(exe)),
					  comm, n > 0 ? n : 0),
			"deny", reason));
}

static int on_timer(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_emit *em = container_of(h, struct cyl_emit, timer_h);
	uint64_t ticks;
	int ret;

	if (read(em->tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		log_err_f("read timerfd: %s", strerror(errno));
	if ((ret = cyl_eventlog_sync(em->log)) != 0)
		log_err_f("fsync %s: %s", cyl_eventlog_path(em->log), strerror(-ret));
	return 0;
}

static int start_timer(struct cyl_emit *em)
{
	struct itimerspec its = { .it_value.tv_sec = 1, .it_interval.tv_sec = 1 };

	em->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (em->tfd < 0 || timerfd_settime(em->tfd, 0, &its, NULL)) {
		log_err_f("fsync timer: %s", strerror(errno));
		return -errno;
	}
	em->timer_h.fn = on_timer;
	return cyl_loop_add(&em->d->loop, em->tfd, EPOLLIN, &em->timer_h);
}

int cyl_emit_open(struct cyl_daemon *d)
{
	const struct cyl_daemon_opts *o = d->opts;
	struct cyl_emit *em;
	size_t i;
	int ret;

	em = calloc(1, sizeof(*em));
	if (!em)
		return -ENOMEM;
	d->emit = em;
	em->d = d;
	em->tfd = -1;
	for (i = 0; i < MAX_FOLLOWERS; i++) {
		em->followers[i].fd = -1;
		em->followers[i].em = em;
		em->followers[i].h.fn = on_follower;
	}
	if (gethostname(em->host, sizeof(em->host) - 1))
		snprintf(em->host, sizeof(em->host), "unknown");

	ret = cyl_eventlog_open(&em->log, o->event_log, o->event_fsync);
	if (ret) {
		log_err_f("event log %s: %s", o->event_log, strerror(-ret));
		return ret;
	}
	log_info_f("event log %s", o->event_log);
	if (o->event_fsync == CYL_EVENTLOG_FSYNC_INTERVAL &&
	    (ret = start_timer(em)) != 0)
		return ret;
	if (d->ctl)
		cyl_ctlsock_on_deny(d->ctl, on_denied);
	return 0;
}

void cyl_emit_reopen(struct cyl_daemon *d)
{
	int ret;

	if (!d->emit || !d->emit->log)
		return;
	ret = cyl_eventlog_reopen(d->emit->log);
	if (ret)
		log_err_f("reopen %s: %s", cyl_eventlog_path(d->emit->log),
			  strerror(-ret));
	else
		log_info_f("reopened %s", cyl_eventlog_path(d->emit->log));
}

void cyl_emit_close(struct cyl_daemon *d)
{
	struct cyl_emit *em = d->emit;
	size_t i;

	if (!em)
		return;
	for (i = 0; i < MAX_FOLLOWERS; i++) {
		/* A pending handover still owns its slot: the ctlsock frees it. */
		if (em->followers[i].fd >= 0)
			follower_free(&em->followers[i]);
	}
	if (em->tfd >= 0)
		close(em->tfd);
	cyl_eventlog_close(em->log);	/* fsyncs unless mode "never" */
	free(em);
	d->emit = NULL;
}

struct filter {
	const char *type, *device;
};

static bool match(const json_t *event, void *ctx)
{
	const struct filter *f = ctx;

	return cyl_event_match(event, f->type, f->device);
}

static json_t *follow(struct cyl_emit *em, const struct filter *flt,
		      char *err, size_t errlen)
{
	struct follower *f = NULL;
	size_t i;

	for (i = 0; i < MAX_FOLLOWERS && !f; i++) {
		if (!em->followers[i].used)
			f = &em->followers[i];
	}
	if (!f) {
		snprintf(err, errlen, "too many followers (%d)", MAX_FOLLOWERS);
		return NULL;
	}
	f->used = true;
	if ((flt->type && !(f->type = strdup(flt->type))) ||
	    (flt->device && !(f->device = strdup(flt->device)))) {
		follower_free(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	cyl_ctlsock_hand_over(em->d->ctl, follower_start, f);
	return json_pack("{s:b}", "follow", 1);
}

json_t *cyl_events_json(struct cyl_daemon *d, const struct cyl_ctl_request *req,
			char *err, size_t errlen)
{
	struct cyl_emit *em = d->emit;
	json_t *n = json_object_get(req->obj, "n"), *events;
	struct filter flt = {
		.type = json_string_value(json_object_get(req->obj, "type")),
		.device = json_string_value(json_object_get(req->obj, "device")),
	};
	int ret;

	if (json_is_true(json_object_get(req->obj, "follow"))) {
		if (n) {
			snprintf(err, errlen, "\"n\" does not apply to \"follow\"");
			return NULL;
		}
		return follow(em, &flt, err, errlen);
	}
	ret = cyl_eventlog_tail(cyl_eventlog_path(em->log),
				n ? json_integer_value(n) : CYL_CTL_EVENTS_DEFAULT,
				TAIL_MAX_BYTES, match, &flt, &events);
	if (ret) {
		snprintf(err, errlen, "reading %s: %s",
			 cyl_eventlog_path(em->log), strerror(-ret));
		return NULL;
	}
	return json_pack("{s:o}", "events", events);
}

void cyl_emit_batch(struct cyl_daemon *d, bool on)
{
	struct cyl_emit *em = d->emit;

	if (!em)
		return;
	em->batching = on;
	em->exe_pid = 0;
	cyl_eventlog_batch(em->log, on);
	if (!on)
		fflush(stdout);
}
