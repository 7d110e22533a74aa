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

#include "core/ctlproto.h"
#include "core/eventlog.h"
#include "core/loop.h"
#include "core/policy_state.h"
#include "core/metrics.h"
#include "policy/policy.h"

#define CYL_DEFAULT_CONFIG	"/etc/cylcomed/policy.yaml"

struct cyl_kmod_events;
struct cyl_lsm_guard;
struct cyl_ctlsock;
struct cyl_emit;
struct cyl_event;
struct cyl_metrics_http;
struct cyl_watchdog;
struct cyl_serial;
struct cyl_usb;
struct cyl_risk;
struct cyl_ssi;

struct cyl_daemon_opts {
	const char *config;	/* the active policy file */
	const char *socket;
	const char *state_dir;	/* generation, previous policy */
	const char *event_log;
	enum cyl_eventlog_fsync event_fsync;
	struct cyl_metrics_listen metrics_listen;	/* --metrics-listen */
	const char *spool_dir;	/* sealed records */
	int spool_fsync;	/* enum cyl_spool_fsync */
	const char *risk_dir;	/* risk log and its signing key */
	int risk_sign_interval;	/* seconds */
	bool risk_fsync_every;	/* fsync after each entry, not per head */
};

struct cyl_daemon {
	const struct cyl_daemon_opts *opts;
	struct cyl_policy policy;	/* in force now */
	struct cyl_policy_state pstate;	/* its text, generation, ... */
	bool *guarded;			/* per policy device: in the guarded set */
	struct cyl_lsm_guard *lsm;
	struct cyl_ctlsock *ctl;
	struct cyl_loop loop;
	struct cyl_loop_handler sig_h, rb_h, kev_h;
	struct cyl_kmod_events *kev;	/* the module's event channel */
	uint64_t kev_cookie;		/* of our ping */
	enum {
		CYL_KEV_STATE_UNAVAILABLE,	/* module not loaded */
		CYL_KEV_STATE_WAITING,		/* subscribed, ping sent */
		CYL_KEV_STATE_OK,		/* our ping came back */
	} kev_state;
	int sigfd;
	struct timespec started;	/* CLOCK_MONOTONIC */
	uint64_t events;		/* ring-buffer records seen */
	struct cyl_emit *emit;		/* event log and followers (emit.c) */
	/*
	 * Counters for /metrics and "stats".  They live as long as the
	 * daemon, never in a policy: a reload must not reset them.
	 */
	struct cyl_metrics metrics;
	struct cyl_metrics_http *metrics_http;
	struct cyl_watchdog *watchdog;
	struct cyl_serial *serial;	/* the serial guard (agent/serial/) */
	struct cyl_usb *usb;		/* USB authorization (agent/usb/) */
	struct cyl_risk *risk;		/* risk judging and log (agent/risk/) */
	struct cyl_ssi *ssi;		/* SSI access to CP-ABE keys (agent/ssi/) */
};

/* Run until SIGTERM/SIGINT; returns the exit status. */
int cyl_daemon_run(const struct cyl_daemon_opts *opts);

/*
 * Swap in the guarded set of @p's present ttys (devices.c): a device's
 * own tty, or for one matched by USB identity found[i] (/dev/ttyUSB0),
 * if @found and found[i] are not NULL.  On success
 * *@guarded is a malloc'ed per-device array saying which are guarded.
 */
int cyl_devices_guard(struct cyl_lsm_guard *lsm, const struct cyl_policy *p,
		      const char *const *found, bool **guarded);

/* Report that a policy came into force (generation, hash). */
void cyl_daemon_policy_event(struct cyl_daemon *d);

/* Body of the "status" reply (status.c). */
json_t *cyl_status_json(struct cyl_daemon *d, char *err, size_t errlen);

/*
 * Security events (emit.c).  cyl_daemon_emit() takes over @event,
 * stamps time, host and seq, prints the "event:" line, appends it to
 * the event log and sends it to every follower it matches.
 */
int cyl_emit_open(struct cyl_daemon *d);
void cyl_emit_close(struct cyl_daemon *d);
void cyl_daemon_emit(struct cyl_daemon *d, json_t *event);
void cyl_emit_bpf(struct cyl_daemon *d, const struct cyl_event *ev);
void cyl_emit_reopen(struct cyl_daemon *d);	/* SIGHUP */
/* Around a ring-buffer drain: one write for the log and stdout at its end. */
void cyl_emit_batch(struct cyl_daemon *d, bool on);
/* Body of the "events" reply, or a stream for "follow". */
json_t *cyl_events_json(struct cyl_daemon *d, const struct cyl_ctl_request *req,
			char *err, size_t errlen);

/*
 * The Mender hooks (update.c): "update_gate" replies {"proceed","retry",
 * "reason"} and raises update_deferred or update_rejected on a refusal;
 * "update_event" raises update_rollback or update_failure.
 */
json_t *cyl_update_gate_json(struct cyl_daemon *d,
			     const struct cyl_ctl_request *req, char *err,
			     size_t errlen);
json_t *cyl_update_event_json(struct cyl_daemon *d,
			      const struct cyl_ctl_request *req, char *err,
			      size_t errlen);

/*
 * Metrics (stats.c): the /metrics body, the "stats" reply body, and the
 * policy's devices made the active ones in d->metrics.
 */
int cyl_stats_render(void *ctx, struct cyl_strbuf *out);
json_t *cyl_stats_json(struct cyl_daemon *d, char *err, size_t errlen);
int cyl_stats_sync_devices(struct cyl_daemon *d);

/*
 * The module's event channel (kmod_channel.c): subscribe if the module
 * is loaded, check it with a ping; state as "ok", "waiting" or
 * "unavailable".
 */
void cyl_kmod_channel_open(struct cyl_daemon *d);
void cyl_kmod_channel_close(struct cyl_daemon *d);
const char *cyl_kmod_channel_state(const struct cyl_daemon *d);

#endif /* CYL_DAEMON_H */
