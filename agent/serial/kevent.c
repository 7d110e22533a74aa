// SPDX-License-Identifier: GPL-2.0
/*
 * Device events from cylcomed.ko as security events (see kevent.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include <cylcomed/serial.h>

#include "core/event.h"
#include "serial/kevent.h"

void cyl_hex_bytes(const uint8_t *p, size_t n, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		*buf++ = hex[p[i] >> 4];
		*buf++ = hex[p[i] & 15];
		if (i + 1 < n)
			*buf++ = ' ';
	}
	*buf = '\0';
}

int cyl_kdev_event_decode(struct nlattr **tb, struct cyl_kdev_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (!tb[CYL_A_EVENT_TYPE] || !tb[CYL_A_DEVICE_ID] || !tb[CYL_A_TTY] ||
	    !tb[CYL_A_REASON])
		return -EPROTO;
	ev->type = nla_get_u32(tb[CYL_A_EVENT_TYPE]);
	ev->device_id = nla_get_u32(tb[CYL_A_DEVICE_ID]);
	snprintf(ev->tty, sizeof(ev->tty), "%s", nla_get_string(tb[CYL_A_TTY]));
	ev->reason = nla_get_u32(tb[CYL_A_REASON]);
	if (tb[CYL_A_DEV_SEQ])
		ev->dev_seq = nla_get_u64(tb[CYL_A_DEV_SEQ]);
	if (tb[CYL_A_DEV])
		ev->dev = nla_get_u32(tb[CYL_A_DEV]);
	if (tb[CYL_A_LEN])
		ev->len = nla_get_u32(tb[CYL_A_LEN]);
	if (tb[CYL_A_COUNT])
		ev->count = nla_get_u64(tb[CYL_A_COUNT]);
	if (tb[CYL_A_BYTES]) {
		ev->nbytes = nla_len(tb[CYL_A_BYTES]);
		if (ev->nbytes > sizeof(ev->bytes))
			ev->nbytes = sizeof(ev->bytes);
		memcpy(ev->bytes, nla_data(tb[CYL_A_BYTES]), ev->nbytes);
	}
	if (tb[CYL_A_PID] && tb[CYL_A_UID]) {
		ev->has_writer = true;
		ev->pid = nla_get_u32(tb[CYL_A_PID]);
		ev->uid = nla_get_u32(tb[CYL_A_UID]);
		if (tb[CYL_A_COMM])
			snprintf(ev->comm, sizeof(ev->comm), "%s",
				 nla_get_string(tb[CYL_A_COMM]));
	}
	return 0;
}

const char *cyl_kdev_detach_reason(uint32_t r)
{
	switch (r) {
	case CYL_DETACH_AGENT: return "detached by the agent";
	case CYL_DETACH_HANGUP: return "hangup";
	case CYL_DETACH_LDISC: return "line discipline changed";
	case CYL_DETACH_UNLOAD: return "module unloaded";
	default: return "unknown";
	}
}

static const char *bad_reason(uint32_t r)
{
	static const char *const names[] = {
		[CYL_BAD_CHECKSUM] = "checksum",
		[CYL_BAD_STRUCTURE] = "structure",
		[CYL_BAD_OVERLENGTH] = "overlength",
		[CYL_BAD_TRUNCATED] = "truncated",
		[CYL_BAD_OUTSIDE] = "outside_frame",
		[CYL_BAD_LINE_ERROR] = "line_error",
	};

	return r < sizeof(names) / sizeof(names[0]) && names[r] ? names[r] :
								   "unknown";
}

static const char *refuse_reason(uint32_t r)
{
	switch (r) {
	case CYL_REFUSE_READ_ONLY: return "read_only";
	case CYL_REFUSE_NOT_ALLOWED: return "not_allowed";
	case CYL_REFUSE_RATE: return "rate_limit";
	default: return "unknown";
	}
}

/* Set @key to @value on @obj (consumed); false on ENOMEM. */
static bool set(json_t *obj, const char *key, json_t *value)
{
	return value && !json_object_set_new(obj, key, value);
}

json_t *cyl_kdev_event_json(const struct cyl_kdev_event *ev,
			    const char *device, const char *exe)
{
	char hex[3 * CYL_EVENT_BYTES_MAX + 1];
	json_t *obj, *subject = NULL;
	const char *type, *verdict, *reason;
	bool ok = true;

	switch (ev->type) {
	case CYL_KEV_ATTACHED:
		type = "serial_attach";
		verdict = "allow";
		reason = "tty guarded";
		break;
	case CYL_KEV_DETACHED:
		type = "serial_detach";
		verdict = ev->reason == CYL_DETACH_LDISC ? "deny" : "audit";
		reason = cyl_kdev_detach_reason(ev->reason);
		break;
	case CYL_KEV_BAD_FRAME:
		type = "bad_frame";
		verdict = ev->count ? "deny" : "audit";
		reason = bad_reason(ev->reason);
		break;
	case CYL_KEV_WRITE_REFUSED:
		type = "write_refused";
		verdict = "deny";
		reason = refuse_reason(ev->reason);
		break;
	case CYL_KEV_RECORDS_DROPPED:
		type = "records_dropped";
		verdict = "audit";
		reason = "module record queue full";
		break;
	default:
		return NULL;
	}
	if (ev->has_writer) {
		subject = cyl_event_subject(ev->pid, ev->uid, exe, ev->comm,
					    strlen(ev->comm));
		if (!subject)
			return NULL;
	}
	obj = cyl_event_new(type, device, subject, verdict, reason);
	if (!obj)
		return NULL;
	ok = set(obj, "tty", json_string(ev->tty)) &&
	     set(obj, "device_id", json_integer(ev->device_id)) &&
	     set(obj, "device_seq", json_integer((json_int_t)ev->dev_seq));
	if (ok && (ev->type == CYL_KEV_BAD_FRAME ||
		   ev->type == CYL_KEV_WRITE_REFUSED)) {
		cyl_hex_bytes(ev->bytes, ev->nbytes, hex);
		ok = set(obj, "len", json_integer(ev->len)) &&
		     set(obj, "bytes", json_string(hex));
	}
	if (ok && ev->type == CYL_KEV_RECORDS_DROPPED)
		ok = set(obj, "count", json_integer((json_int_t)ev->count));
	if (!ok) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}
