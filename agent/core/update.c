// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's side of the Mender hooks (Documentation/mender.md): the
 * "update_gate" and "update_event" control commands.  The decision is
 * mender/gate.c's; here are the clock, the events and the replies.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/daemon.h"
#include "core/event.h"
#include "core/log.h"
#include "mender/gate.h"
#include "serial/serial.h"
#include "util/quote.h"

static const char *arg_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* {"name","group","device_type"}, null for what is not known. */
static json_t *artifact_json(const struct cyl_gate_artifact *a)
{
	return json_pack("{s:s?,s:s?,s:s?}", "name", a->name, "group", a->group,
			 "device_type", a->device_type);
}

static void emit(struct cyl_daemon *d, const char *type, const char *verdict,
		 const char *reason, json_t *extra)
{
	json_t *ev = cyl_event_new(type, NULL, NULL, verdict, reason);

	if (ev && extra && json_object_update(ev, extra)) {
		json_decref(ev);
		ev = NULL;
	}
	json_decref(extra);
	if (ev)
		cyl_daemon_emit(d, ev);
}

/* Milliseconds since each policy device's last record, or none. */
static int64_t *record_ages(struct cyl_daemon *d)
{
	struct timespec now, at;
	int64_t *age;
	size_t i;

	age = calloc(d->policy.n_devices ?: 1, sizeof(*age));
	if (!age)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (i = 0; i < d->policy.n_devices; i++) {
		age[i] = CYL_GATE_NO_RECORD;
		if (cyl_serial_last_record(d, d->policy.devices[i].name, &at))
			continue;
		age[i] = (int64_t)(now.tv_sec - at.tv_sec) * 1000 +
			 (now.tv_nsec - at.tv_nsec) / 1000000;
	}
	return age;
}

json_t *cyl_update_gate_json(struct cyl_daemon *d,
			     const struct cyl_ctl_request *req, char *err,
			     size_t errlen)
{
	json_t *provides = json_object_get(req->obj, "provides");
	struct cyl_gate_artifact a = { 0 };
	struct cyl_gate_decision dec;
	char q[CYL_QUOTE_SIZE];
	const char *key;
	int64_t *age;
	json_t *val;

	json_object_foreach(provides, key, val) {
		if (!json_is_string(val) || json_string_length(val) > 255 ||
		    strlen(json_string_value(val)) != json_string_length(val)) {
			snprintf(err, errlen, "provides %s: expected a string of "
				 "at most 255 bytes without NUL",
				 cyl_quote(q, sizeof(q), key, strlen(key)));
			return NULL;
		}
	}
	/* Explicit arguments win over what "provides" says. */
	a.name = arg_str(req->obj, "artifact_name") ?: arg_str(provides, "artifact_name");
	a.group = arg_str(req->obj, "artifact_group") ?: arg_str(provides, "artifact_group");
	a.device_type = arg_str(req->obj, "device_type");

	age = record_ages(d);
	if (!age) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	cyl_gate_decide(&d->policy, age, &a, &dec);
	free(age);

	switch (dec.verdict) {
	case CYL_GATE_RETRY:
		log_info_f("update deferred: %s", dec.reason);
		emit(d, "update_deferred", "audit", dec.reason,
		     json_pack("{s:o}", "artifact", artifact_json(&a)));
		break;
	case CYL_GATE_REJECT:
		log_warn_f("update rejected: %s", dec.reason);
		emit(d, "update_rejected", "deny", dec.reason,
		     json_pack("{s:o}", "artifact", artifact_json(&a)));
		break;
	case CYL_GATE_PROCEED:
		log_info_f("update may proceed: %s", dec.reason);
		break;
	}
	return json_pack("{s:b,s:b,s:s}", "proceed", dec.verdict == CYL_GATE_PROCEED,
			 "retry", dec.verdict == CYL_GATE_RETRY, "reason", dec.reason);
}

json_t *cyl_update_event_json(struct cyl_daemon *d,
			      const struct cyl_ctl_request *req, char *err,
			      size_t errlen)
{
	const char *state = arg_str(req->obj, "state");
	const char *name = arg_str(req->obj, "artifact_name");
	const char *type, *verdict;
	char q[CYL_QUOTE_SIZE], reason[512];

	if (!strncmp(state, "ArtifactRollback", 16)) {
		type = "update_rollback";
		verdict = "audit";
	} else if (!strncmp(state, "ArtifactFailure", 15)) {
		type = "update_failure";
		verdict = "deny";
	} else {
		snprintf(err, errlen, "state %s: expected an ArtifactRollback* or "
			 "ArtifactFailure* state",
			 cyl_quote(q, sizeof(q), state, strlen(state)));
		return NULL;
	}
	snprintf(reason, sizeof(reason), "Mender state %s, artifact %s", state,
		 name ? name : "unknown");
	log_warn_f("update %s: %s", type + 7, reason);
	emit(d, type, verdict, reason,
	     json_pack("{s:s,s:{s:s?}}", "state", state, "artifact", "name", name));
	return json_pack("{s:s}", "event", type);
}
