// SPDX-License-Identifier: GPL-2.0
/*
 * Startup in dependency order (policy, control socket, BPF, devices,
 * READY=1), the loop, and teardown in reverse.  Pinned maps are left in
 * place on exit so the guard state survives a restart.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cylcomed/bpf.h>

#include "bpf/lsm_guard_loader.h"
#include "core/ctlsock.h"
#include "core/daemon.h"
#include "core/event.h"
#include "core/log.h"
#include "core/metrics_http.h"
#include "core/notify.h"
#include "core/signals.h"
#include "core/watchdog.h"
#include "serial/serial.h"
#include "risk/risk.h"
#include "ssi/ssi.h"
#include "usb/usb.h"

/* Every record becomes a security event (emit.c): stdout, log, followers. */
static int on_event(void *ctx, void *data, size_t size)
{
	struct cyl_daemon *d = ctx;

	if (size < sizeof(struct cyl_event)) {
		log_warn_f("short record (%zu bytes) ignored", size);
		return 0;
	}
	d->events++;
	cyl_emit_bpf(d, data);
	return 0;
}

static int on_ringbuf(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_daemon *d = container_of(h, struct cyl_daemon, rb_h);

	/* A consume error is logged and retried on the next wakeup. */
	cyl_emit_batch(d, true);
	cyl_lsm_guard_consume(d->lsm);
	cyl_emit_batch(d, false);
	return 0;
}

static int on_signal(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_daemon *d = container_of(h, struct cyl_daemon, sig_h);
	int sig;

	while ((sig = cyl_signalfd_read(d->sigfd)) > 0) {
		switch (sig) {
		case SIGHUP:
			log_info_f("SIGHUP: reload not implemented yet");
			cyl_emit_reopen(d);
			break;
		default:
			log_info_f("%s: exiting, maps stay pinned in %s",
				   strsignal(sig), CYL_PIN_DIR);
			cyl_loop_stop(&d->loop);
			break;
		}
	}
	return sig < 0 ? sig : 0;
}

/* A policy came into force: its identity goes to the event log. */
void cyl_daemon_policy_event(struct cyl_daemon *d)
{
	const struct cyl_policy_state *ps = &d->pstate;
	size_t i, guarded = 0;
	char reason[512];
	json_t *ev;

	for (i = 0; i < d->policy.n_devices; i++)
		guarded += d->guarded && d->guarded[i];
	snprintf(reason, sizeof(reason),
		 "policy %s in force: generation %llu, sha256 %s", ps->name,
		 (unsigned long long)ps->generation, ps->sha256);
	ev = cyl_event_new("policy_load", NULL, NULL, "allow", reason);
	if (ev && (json_object_set_new(ev, "counters",
			json_pack("{s:I,s:I}", "devices", (json_int_t)d->policy.n_devices,
				  "guarded", (json_int_t)guarded)) ||
		   json_object_set_new(ev, "policy",
			json_pack("{s:s,s:I,s:s}", "name", ps->name,
				  "generation", (json_int_t)ps->generation,
				  "sha256", ps->sha256)))) {
		json_decref(ev);
		ev = NULL;
	}
	cyl_daemon_emit(d, ev);
}

/* The active policy's identity, and its text for "policy show". */
static json_t *policy_summary(struct cyl_daemon *d, bool with_text)
{
	const struct cyl_policy_state *ps = &d->pstate;
	json_t *o;

	o = json_pack("{s:I, s:s, s:s, s:I, s:I}",
		      "generation", (json_int_t)ps->generation,
		      "sha256", ps->sha256, "name", ps->name ? ps->name : "",
		      "loaded_at", (json_int_t)ps->loaded_at,
		      "devices", (json_int_t)d->policy.n_devices);
	if (o && with_text &&
	    json_object_set_new(o, "content",
				json_stringn(ps->text ? ps->text : "", ps->len))) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

static json_t *on_policy_load(struct cyl_daemon *d,
			      const struct cyl_ctl_request *req, char *err,
			      size_t errlen)
{
	json_t *content = json_object_get(req->obj, "content");
	const char *name = json_string_value(json_object_get(req->obj, "name"));

	if (cyl_policy_state_load(d, name, json_string_value(content),
				  json_string_length(content), err, errlen)) {
		log_warn_f("policy load from %s refused: %s", name, err);
		return NULL;
	}
	return policy_summary(d, false);
}

static json_t *on_request(void *ctx, const struct cyl_ctl_request *req,
			  char *err, size_t errlen)
{
	struct cyl_daemon *d = ctx;

	switch (req->desc->cmd) {
	case CYL_CTL_STATUS:
		return cyl_status_json(d, err, errlen);
	case CYL_CTL_POLICY_LOAD:
		return on_policy_load(d, req, err, errlen);
	case CYL_CTL_POLICY_SHOW:
		return policy_summary(d, true);
	case CYL_CTL_POLICY_ROLLBACK:
		if (cyl_policy_state_rollback(d, err, errlen))
			return NULL;
		return policy_summary(d, false);
	case CYL_CTL_EVENTS:
		return cyl_events_json(d, req, err, errlen);
	case CYL_CTL_STATS:
		return cyl_stats_json(d, err, errlen);
	case CYL_CTL_USB_LIST:
		return cyl_usb_list_json(d, err, errlen);
	case CYL_CTL_USB_SET:
		return cyl_usb_set(d,
			json_string_value(json_object_get(req->obj, "port")),
			json_string_value(json_object_get(req->obj, "target")),
			json_is_true(json_object_get(req->obj, "permanent")),
			err, errlen);
	case CYL_CTL_UPDATE_GATE:
		return cyl_update_gate_json(d, req, err, errlen);
	case CYL_CTL_UPDATE_EVENT:
		return cyl_update_event_json(d, req, err, errlen);
	case CYL_CTL_SSI_CHALLENGE:
		return cyl_ssi_challenge_json(d, err, errlen);
	case CYL_CTL_SSI_PRESENT:
		return cyl_ssi_present_json(d, req, err, errlen);
	case CYL_CTL_KEY_LOADED:
		if (cyl_serial_key_loaded(d, json_string_value(
				json_object_get(req->obj, "device")), err, errlen))
			return NULL;
		return json_object();
	default:
		snprintf(err, errlen, "command \"%s\" not implemented",
			 req->desc->name);
		return NULL;
	}
}

static int start(struct cyl_daemon *d)
{
	struct cyl_policy_error perr;
	struct cyl_policy check;
	char err[512];
	int ret;

	/* Refuse a bad policy before touching anything else. */
	ret = cyl_policy_load_file(d->opts->config, &check, &perr);
	if (ret) {
		/* The parser's message is the whole story: file:line:col. */
		fprintf(stderr, "cylcomedd: %s\n", perr.text);
		return ret;
	}
	cyl_policy_free(&check);

	if ((ret = cyl_loop_init(&d->loop)) != 0)
		return ret;
	d->sigfd = cyl_signalfd_open();
	if (d->sigfd < 0)
		return d->sigfd;
	d->sig_h.fn = on_signal;
	if ((ret = cyl_loop_add(&d->loop, d->sigfd, EPOLLIN, &d->sig_h)) != 0)
		return ret;

	/*
	 * The socket first: a second instance stops here, before it could
	 * touch the maps the running one has pinned.  Requests are served
	 * only once the loop runs, after BPF is up.
	 */
	ret = cyl_ctlsock_open(&d->ctl, d->opts->socket, &d->loop, on_request, d);
	if (ret)
		return ret;
	log_info_f("listening on %s", d->opts->socket);
	if ((ret = cyl_emit_open(d)) != 0)
		return ret;

	if ((ret = cyl_lsm_guard_open(&d->lsm, on_event, d)) != 0)
		return ret;
	log_info_f("lsm_guard attached, maps pinned in %s", CYL_PIN_DIR);
	/* SSI access follows every policy from the first on. */
	if ((ret = cyl_ssi_open(d)) != 0)
		return ret;
	ret = cyl_policy_state_start(d, err, sizeof(err));
	if (ret) {
		log_err_f("%s", err);
		return ret;
	}
	/* Risk judging first: USB decisions at start are evidence. */
	if ((ret = cyl_risk_open(d)) != 0)
		return ret;
	/* USB authorization: lock the ports, decide what is plugged. */
	if ((ret = cyl_usb_open(d)) != 0)
		return ret;
	d->rb_h.fn = on_ringbuf;
	ret = cyl_loop_add(&d->loop, cyl_lsm_guard_epoll_fd(d->lsm), EPOLLIN,
			   &d->rb_h);
	if (ret)
		return ret;

	if (d->opts->metrics_listen.enabled) {
		ret = cyl_metrics_http_open(&d->metrics_http,
					    &d->opts->metrics_listen, &d->loop,
					    cyl_stats_render, d);
		if (ret)
			return ret;
	}

	clock_gettime(CLOCK_MONOTONIC, &d->started);
	/*
	 * Serial guard: spool first, then subscribe (the ping has the module
	 * send the records it kept while no agent ran), then attach.
	 */
	if ((ret = cyl_serial_open(d)) != 0)
		return ret;
	cyl_kmod_channel_open(d);
	cyl_serial_sync(d, true);
	cyl_notify("READY=1");
	return cyl_watchdog_open(&d->watchdog, &d->loop);
}

static void stop(struct cyl_daemon *d)
{
	cyl_notify("STOPPING=1");
	cyl_watchdog_close(d->watchdog);
	cyl_metrics_http_close(d->metrics_http);
	cyl_ssi_close(d);	/* the master key goes with the policy, below */
	cyl_ctlsock_close(d->ctl);
	cyl_emit_close(d);	/* after the socket: it ends pending followers */
	cyl_lsm_guard_close(d->lsm);
	cyl_kmod_channel_close(d);
	cyl_serial_close(d);	/* the module keeps guarding */
	cyl_usb_close(d);	/* the ports stay locked */
	cyl_risk_close(d);	/* signs a head for what is not signed */
	if (d->sigfd >= 0)
		close(d->sigfd);
	cyl_loop_fini(&d->loop);
	free(d->guarded);
	cyl_policy_free(&d->policy);
	cyl_policy_state_free(&d->pstate);
	cyl_metrics_free(&d->metrics);
}

int cyl_daemon_run(const struct cyl_daemon_opts *opts)
{
	struct cyl_daemon d = { .opts = opts, .sigfd = -1,
				.loop = { .epfd = -1 } };
	int ret;

	ret = start(&d);
	if (!ret)
		ret = cyl_loop_run(&d.loop);
	stop(&d);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
