// SPDX-License-Identifier: GPL-2.0
/*
 * Security events as JSON.  Everything here is a pure function of its
 * arguments, so the daemon's log and the tests see the same objects.
 * Text that a subject controls (comm, exe) is made printable or valid
 * UTF-8 before it goes into an event.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/event.h"
#include "core/evfmt.h"

#define NSEC_PER_SEC	1000000000LL
#define NSEC_PER_MSEC	1000000LL

int64_t cyl_event_real_ns(uint64_t boot_ns, int64_t now_real_ns,
			  int64_t now_boot_ns)
{
	/* Age of the record by the boot clock, back from the wall clock now. */
	return now_real_ns - (now_boot_ns - (int64_t)boot_ns);
}

int cyl_event_format_time(int64_t real_ns, char *buf, size_t size)
{
	int64_t sec = real_ns / NSEC_PER_SEC, rem = real_ns % NSEC_PER_SEC;
	time_t t;
	struct tm tm;
	int n;

	if (rem < 0) {		/* before 1970: floor, not truncate */
		rem += NSEC_PER_SEC;
		sec--;
	}
	t = (time_t)sec;
	if (!gmtime_r(&t, &tm))
		return -EOVERFLOW;
	n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec, (int)(rem / NSEC_PER_MSEC));
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return 0;
}

/* As cyl_evfmt_line() prints comm: stops at NUL, one printable word. */
static void sanitise_comm(const char *in, size_t len, char out[CYL_COMM_LEN + 1])
{
	size_t i;

	for (i = 0; i < len && i < CYL_COMM_LEN && in[i]; i++) {
		unsigned char ch = in[i];

		out[i] = (ch > 0x20 && ch < 0x7f) ? ch : '?';
	}
	out[i] = '\0';
}

/* A path as a JSON string: as is if valid UTF-8, else non-ASCII as '?'. */
static json_t *path_string(const char *path)
{
	json_t *s;
	char *copy;
	size_t i;

	if (!path)
		return json_null();
	s = json_string(path);
	if (s)
		return s;
	copy = strdup(path);
	if (!copy)
		return NULL;
	for (i = 0; copy[i]; i++) {
		if ((unsigned char)copy[i] >= 0x80)
			copy[i] = '?';
	}
	s = json_string(copy);
	free(copy);
	return s;
}

json_t *cyl_event_subject(pid_t pid, uid_t uid, const char *exe,
			  const char *comm, size_t comm_len)
{
	char c[CYL_COMM_LEN + 1];
	json_t *e = path_string(exe);

	if (!e)
		return NULL;
	sanitise_comm(comm ? comm : "", comm ? comm_len : 0, c);
	return json_pack("{s:I,s:o,s:I,s:s}", "pid", (json_int_t)pid,
			 "exe", e, "uid", (json_int_t)uid, "comm", c);
}

/* The common skeleton: placeholders first so the key order is fixed. */
static json_t *skeleton(json_t *time, const char *type, const char *device,
			json_t *subject, const char *verdict, const char *reason)
{
	json_t *ev;

	if (!time || !subject) {
		json_decref(time);
		json_decref(subject);
		return NULL;
	}
	ev = json_pack("{s:o,s:n,s:I,s:s,s:s?,s:o,s:s,s:s}",
		       "time", time, "host", "seq", (json_int_t)0,
		       "type", type, "device", device, "subject", subject,
		       "verdict", verdict, "reason", reason);
	return ev;
}

void cyl_event_names(const struct cyl_event *ev, char tbuf[24], char vbuf[24],
		     const char **type, const char **verdict)
{
	*type = cyl_evfmt_type_name(ev->type);
	if (!*type) {
		snprintf(tbuf, 24, "type_%u", ev->type);
		*type = tbuf;
	}
	*verdict = cyl_evfmt_verdict_name(ev->verdict);
	if (!*verdict) {
		snprintf(vbuf, 24, "verdict_%u", ev->verdict);
		*verdict = vbuf;
	}
}

json_t *cyl_event_from_bpf(const struct cyl_event *ev, const char *device_name,
			   const char *exe, int64_t real_ns)
{
	char tbuf[24], vbuf[24], dev[24], when[CYL_EVENT_TIME_LEN];
	const char *type, *verdict;
	json_t *obj;

	cyl_event_names(ev, tbuf, vbuf, &type, &verdict);
	snprintf(dev, sizeof(dev), "%u:%u", CYL_DEV_MAJOR(ev->dev),
		 CYL_DEV_MINOR(ev->dev));
	if (cyl_event_format_time(real_ns, when, sizeof(when)))
		return NULL;

	obj = skeleton(json_string(when), type, device_name,
		       cyl_event_subject(ev->pid, ev->uid, exe, ev->comm,
					 CYL_COMM_LEN),
		       verdict,
		       ev->type == CYL_EV_TTY_OPEN ? "guarded device node opened" :
						     "unknown record type");
	if (obj && json_object_set_new(obj, "dev", json_string(dev))) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

json_t *cyl_event_new(const char *type, const char *device, json_t *subject,
		      const char *verdict, const char *reason)
{
	return skeleton(json_null(), type, device, subject ? subject : json_null(),
			verdict, reason);
}

int cyl_event_stamp(json_t *event, int64_t real_ns, const char *host,
		    uint64_t seq)
{
	char when[CYL_EVENT_TIME_LEN];
	int ret;

	if (!json_is_string(json_object_get(event, "time"))) {
		if ((ret = cyl_event_format_time(real_ns, when, sizeof(when))) != 0)
			return ret;
		if (json_object_set_new(event, "time", json_string(when)))
			return -ENOMEM;
	}
	/* json_string() refuses a hostname that is not UTF-8. */
	if (json_object_set_new(event, "host", host ? path_string(host) : json_null()) ||
	    json_object_set_new(event, "seq", json_integer((json_int_t)seq)))
		return -ENOMEM;
	return 0;
}

static bool str_eq(const json_t *obj, const char *key, const char *want)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s && !strcmp(s, want);
}

bool cyl_event_match(const json_t *event, const char *type, const char *device)
{
	if (!json_is_object(event))
		return false;
	if (type && !str_eq(event, "type", type))
		return false;
	if (device && !str_eq(event, "device", device))
		return false;
	return true;
}

static const char *str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "?";
}

int cyl_event_line(const json_t *event, char *buf, size_t size)
{
	const json_t *subj = json_object_get(event, "subject");
	const char *dev = json_string_value(json_object_get(event, "dev"));
	const char *device = json_string_value(json_object_get(event, "device"));
	json_t *reason = json_object_get(event, "reason");
	char *r = NULL;
	size_t off = 0;
	int n;

#define PUT(...) do {							\
		n = snprintf(buf + off, off < size ? size - off : 0, __VA_ARGS__); \
		if (n < 0)						\
			goto nospc;					\
		off += n;						\
	} while (0)

	if (size)
		buf[0] = '\0';
	PUT("%s", str(event, "type"));
	if (dev)
		PUT(" dev=%s", dev);
	if (json_is_object(subj))
		PUT(" pid=%lld uid=%lld comm=%s",
		    (long long)json_integer_value(json_object_get(subj, "pid")),
		    (long long)json_integer_value(json_object_get(subj, "uid")),
		    str(subj, "comm"));
	PUT(" verdict=%s", str(event, "verdict"));
	/* A BPF record (it has "dev") keeps the line it always had. */
	if (!dev) {
		if (device)
			PUT(" device=%s", device);
		r = json_is_string(reason) ?
		    json_dumps(reason, JSON_ENCODE_ANY | JSON_ENSURE_ASCII) : NULL;
		if (r)
			PUT(" reason=%s", r);
	}
#undef PUT
	free(r);
	if (off >= size)
		return -ENOSPC;
	return off;
nospc:
	free(r);
	return -ENOSPC;
}

/* --- the ring-buffer hot path: the same event without jansson --- */

struct out {
	char *buf;
	size_t size, off;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf + (o->off < o->size ? o->off : o->size),
		      o->off < o->size ? o->size - o->off : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->off += n;
}

/* One byte, without printf: strings are copied a byte at a time. */
static void putc_(struct out *o, char ch)
{
	if (o->off + 1 < o->size)
		o->buf[o->off] = ch;
	o->off++;
	if (o->off < o->size)
		o->buf[o->off] = '\0';
}

/* Length of a valid UTF-8 sequence at @s, or 0 (RFC 3629). */
static size_t utf8_seq(const unsigned char *s)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static bool valid_utf8(const char *s)
{
	size_t n;

	for (; *s; s += n) {
		n = utf8_seq((const unsigned char *)s);
		if (!n)
			return false;
	}
	return true;
}

/* A JSON string as jansson writes it; not UTF-8: non-ASCII bytes as '?'. */
static void put_string(struct out *o, const char *s)
{
	bool utf8;

	if (!s) {
		put(o, "null");
		return;
	}
	utf8 = valid_utf8(s);
	putc_(o, '"');
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\') {
			putc_(o, '\\');
			putc_(o, ch);
		} else if (ch < 0x20) {
			put(o, "\\u%04X", ch);
		} else {
			putc_(o, ch >= 0x80 && !utf8 ? '?' : ch);
		}
	}
	putc_(o, '"');
}

int cyl_event_bpf_render(const struct cyl_event *ev, const char *device_name,
			 const char *exe, int64_t real_ns, const char *host,
			 uint64_t seq, char *json, size_t jsonlen,
			 char *line, size_t linelen)
{
	char when[CYL_EVENT_TIME_LEN], comm[CYL_COMM_LEN + 1];
	char tbuf[24], vbuf[24];
	const char *type, *verdict;
	struct out o = { json, jsonlen, 0 }, l = { line, linelen, 0 };
	int ret;

	cyl_event_names(ev, tbuf, vbuf, &type, &verdict);
	if ((ret = cyl_event_format_time(real_ns, when, sizeof(when))) != 0)
		return ret;
	sanitise_comm(ev->comm, CYL_COMM_LEN, comm);

	/* Keys in the schema's order, as skeleton() fixes them. */
	put(&o, "{\"time\":\"%s\",\"host\":", when);
	put_string(&o, host);
	put(&o, ",\"seq\":%llu,\"type\":", (unsigned long long)seq);
	put_string(&o, type);
	put(&o, ",\"device\":");
	put_string(&o, device_name);
	put(&o, ",\"subject\":{\"pid\":%u,\"exe\":", ev->pid);
	put_string(&o, exe);
	put(&o, ",\"uid\":%u,\"comm\":", ev->uid);
	put_string(&o, comm);
	put(&o, "},\"verdict\":");
	put_string(&o, verdict);
	put(&o, ",\"reason\":\"%s\",\"dev\":\"%u:%u\"}\n",
	    ev->type == CYL_EV_TTY_OPEN ? "guarded device node opened" :
					  "unknown record type",
	    CYL_DEV_MAJOR(ev->dev), CYL_DEV_MINOR(ev->dev));

	/* As cyl_event_line() prints a BPF record. */
	put(&l, "%s dev=%u:%u pid=%u uid=%u comm=%s verdict=%s", type,
	    CYL_DEV_MAJOR(ev->dev), CYL_DEV_MINOR(ev->dev), ev->pid, ev->uid,
	    comm, verdict);

	if (o.off >= jsonlen || l.off >= linelen)
		return -ENOSPC;
	return (int)o.off;
}
