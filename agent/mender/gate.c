// SPDX-License-Identifier: GPL-2.0
/*
 * The safe-update gate's decision: artifact lists first, then sessions
 * of critical devices.
 */
#include <fnmatch.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mender/gate.h"
#include "util/quote.h"

static bool list_has(const struct cyl_policy_list *l, const char *s, bool glob)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (glob ? !fnmatch(l->items[i], s, 0) : !strcmp(l->items[i], s))
			return true;
	}
	return false;
}

/* Does list @l (named @key) refuse @v, the artifact's @what?  Says why. */
static bool refuses(const struct cyl_policy_list *l, const char *v, bool glob,
		    const char *what, const char *key, char *buf, size_t size)
{
	char q[CYL_QUOTE_SIZE];

	if (!l->set || !v || list_has(l, v, glob))
		return false;
	snprintf(buf, size, "%s %s is not in mender.%s", what,
		 cyl_quote(q, sizeof(q), v, strlen(v)), key);
	return true;
}

void cyl_gate_decide(const struct cyl_policy *p, const int64_t *age_ms,
		     const struct cyl_gate_artifact *a,
		     struct cyl_gate_decision *out)
{
	const struct cyl_policy_mender *m = &p->mender;
	int64_t window_ms = (int64_t)(m->session_window_s ?:
				      CYL_POLICY_SESSION_WINDOW_DEFAULT) * 1000;
	char list[sizeof(out->reason)] = "";
	size_t i, len = 0, busy = 0;
	int n;

	memset(out, 0, sizeof(*out));
	out->verdict = CYL_GATE_REJECT;
	if (refuses(&m->artifacts, a->name, true, "artifact name",
		    "allowed_artifacts", out->reason, sizeof(out->reason)) ||
	    refuses(&m->groups, a->group, false, "artifact group",
		    "allowed_groups", out->reason, sizeof(out->reason)) ||
	    refuses(&m->device_types, a->device_type, false, "device type",
		    "allowed_device_types", out->reason, sizeof(out->reason)))
		return;

	/* A record in the last window_ms, the edge included: in a session. */
	for (i = 0; i < p->n_devices; i++) {
		if (!p->devices[i].critical || age_ms[i] < 0 || age_ms[i] > window_ms)
			continue;
		busy++;
		if (len >= sizeof(list))
			continue;	/* truncated: the first ones are named */
		n = snprintf(list + len, sizeof(list) - len,
			     "%s%s (last record %" PRId64 " s ago)",
			     len ? ", " : "", p->devices[i].name, age_ms[i] / 1000);
		len = n < 0 ? sizeof(list) : len + n;
	}
	if (busy) {
		out->verdict = CYL_GATE_RETRY;
		snprintf(out->reason, sizeof(out->reason),
			 "critical device%s in an active session (window %u s): %s",
			 busy > 1 ? "s" : "", (unsigned int)(window_ms / 1000), list);
		return;
	}
	out->verdict = CYL_GATE_PROCEED;
	snprintf(out->reason, sizeof(out->reason),
		 "no critical device in a session and the policy allows the update");
}

const char *cyl_gate_verdict_name(enum cyl_gate_verdict v)
{
	static const char *const names[] = {
		[CYL_GATE_PROCEED] = "proceed",
		[CYL_GATE_RETRY] = "retry",
		[CYL_GATE_REJECT] = "reject",
	};

	return names[v];
}
