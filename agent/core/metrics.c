// SPDX-License-Identifier: GPL-2.0
/*
 * Metrics state, Prometheus text exposition 0.0.4, the endpoint's HTTP
 * request parser and the listen-address parser.  See metrics.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "metrics.h"
#include "util/quote.h"
#include "util/errbuf.h"

/* --- state --- */

void cyl_metrics_init(struct cyl_metrics *m)
{
	memset(m, 0, sizeof(*m));
}

void cyl_metrics_free(struct cyl_metrics *m)
{
	free(m->devices);
	memset(m, 0, sizeof(*m));
}

/* Copy at most @size - 1 bytes and terminate; labels are cut, not refused. */
static void copy_label(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

void cyl_metrics_count_event(struct cyl_metrics *m, const char *type,
			     const char *verdict)
{
	char t[CYL_METRICS_LABEL_MAX + 1], v[CYL_METRICS_LABEL_MAX + 1];
	struct cyl_metrics_event_series *s;
	size_t i;

	copy_label(t, sizeof(t), type);
	copy_label(v, sizeof(v), verdict);
	for (i = 0; i < m->n_events; i++) {
		s = &m->events[i];
		if (!strcmp(s->type, t) && !strcmp(s->verdict, v)) {
			s->count++;
			return;
		}
	}
	if (m->n_events == CYL_METRICS_MAX_EVENT_SERIES) {
		m->events_other++;
		return;
	}
	s = &m->events[m->n_events++];
	memcpy(s->type, t, sizeof(t));
	memcpy(s->verdict, v, sizeof(v));
	s->count = 1;
}

static struct cyl_metrics_device *find_device(const struct cyl_metrics *m,
					      const char *name)
{
	size_t i;

	for (i = 0; i < m->n_devices; i++) {
		if (!strcmp(m->devices[i].name, name))
			return &m->devices[i];
	}
	return NULL;
}

int cyl_metrics_sync_devices(struct cyl_metrics *m, const char *const *names,
			     size_t n)
{
	struct cyl_metrics_device *devs, *d, tmp;
	size_t i, n_new = 0, pos;

	for (i = 0; i < n; i++) {
		if (strlen(names[i]) > CYL_METRICS_DEVICE_MAX)
			return -EINVAL;
		if (!find_device(m, names[i]))
			n_new++;
	}
	/* Grow first: on failure nothing has changed. */
	if (n_new) {
		devs = realloc(m->devices, (m->n_devices + n_new) * sizeof(*devs));
		if (!devs)
			return -ENOMEM;
		m->devices = devs;
	}
	for (i = 0; i < m->n_devices; i++)
		m->devices[i].active = false;
	/*
	 * Active devices first, in policy order, so the exposition follows
	 * the policy; inactive ones keep their counts behind them.
	 */
	for (pos = 0, i = 0; i < n; i++) {
		d = find_device(m, names[i]);
		if (!d) {
			d = &m->devices[m->n_devices++];
			memset(d, 0, sizeof(*d));
			copy_label(d->name, sizeof(d->name), names[i]);
		}
		if (d->active)
			continue;	/* a name listed twice */
		d->active = true;
		tmp = *d;
		*d = m->devices[pos];
		m->devices[pos++] = tmp;
	}
	return 0;
}

int cyl_metrics_count_device(struct cyl_metrics *m, const char *name,
			     uint64_t frames, uint64_t bytes, uint64_t flows)
{
	struct cyl_metrics_device *d = find_device(m, name);

	if (!d)
		return -ENOENT;
	d->frames += frames;
	d->bytes += bytes;
	d->flows += flows;
	return 0;
}

/* --- text exposition --- */

/*
 * The format's escapes: \\ and \n everywhere, \" inside label values.
 * HELP text and label values are UTF-8 in the format; they come from
 * our own tables and the policy, so other bytes pass through unchanged.
 */
static void put_escaped(struct cyl_strbuf *b, const char *s, bool quote)
{
	const char *run = s;

	for (; *s; s++) {
		const char *esc = NULL;

		if (*s == '\\')
			esc = "\\\\";
		else if (*s == '\n')
			esc = "\\n";
		else if (*s == '"' && quote)
			esc = "\\\"";
		if (!esc)
			continue;
		cyl_strbuf_add(b, run, s - run);
		cyl_strbuf_puts(b, esc);
		run = s + 1;
	}
	cyl_strbuf_add(b, run, s - run);
}

void cyl_prom_family(struct cyl_strbuf *b, const char *name,
		     const char *type, const char *help)
{
	cyl_strbuf_printf(b, "# HELP %s ", name);
	put_escaped(b, help, false);
	cyl_strbuf_printf(b, "\n# TYPE %s %s\n", name, type);
}

void cyl_prom_sample(struct cyl_strbuf *b, const char *name,
		     const struct cyl_prom_label *labels, size_t n_labels,
		     uint64_t value)
{
	size_t i;

	cyl_strbuf_puts(b, name);
	for (i = 0; i < n_labels; i++) {
		cyl_strbuf_printf(b, "%c%s=\"", i ? ',' : '{', labels[i].name);
		put_escaped(b, labels[i].value, true);
		cyl_strbuf_puts(b, "\"");
	}
	if (n_labels)
		cyl_strbuf_puts(b, "}");
	cyl_strbuf_printf(b, " %" PRIu64 "\n", value);
}

/* The per-device counters, in one table for both renderings. */
static const struct {
	const char *name;	/* metric; JSON key is name + strlen("cylcomed_device_") */
	size_t off;
	const char *help;
} device_counters[] = {
	{ "cylcomed_device_frames_total",
	  offsetof(struct cyl_metrics_device, frames),
	  "Protocol frames seen on the device's paths." },
	{ "cylcomed_device_bytes_total",
	  offsetof(struct cyl_metrics_device, bytes),
	  "Bytes seen on the device's paths." },
	{ "cylcomed_device_flows_total",
	  offsetof(struct cyl_metrics_device, flows),
	  "Network flows seen to or from the device." },
};

#define N_DEVICE_COUNTERS (sizeof(device_counters) / sizeof(device_counters[0]))
#define DEVICE_PREFIX_LEN (sizeof("cylcomed_device_") - 1)

static uint64_t device_counter(const struct cyl_metrics_device *d, size_t k)
{
	return *(const uint64_t *)((const char *)d + device_counters[k].off);
}

int cyl_metrics_render(const struct cyl_metrics *m,
		       const struct cyl_metrics_snapshot *s,
		       struct cyl_strbuf *out)
{
	struct cyl_prom_label l[2];
	size_t i, k;

	cyl_prom_family(out, "cylcomed_events_total", "counter",
			"Events read from the BPF ring buffer, by type and verdict.");
	for (i = 0; i < m->n_events; i++) {
		l[0] = (struct cyl_prom_label){ "type", m->events[i].type };
		l[1] = (struct cyl_prom_label){ "verdict", m->events[i].verdict };
		cyl_prom_sample(out, "cylcomed_events_total", l, 2,
				m->events[i].count);
	}
	if (m->events_other) {
		l[0] = (struct cyl_prom_label){ "type", "other" };
		l[1] = (struct cyl_prom_label){ "verdict", "other" };
		cyl_prom_sample(out, "cylcomed_events_total", l, 2,
				m->events_other);
	}

	cyl_prom_family(out, "cylcomed_ringbuf_drops_total", "counter",
			"Events the BPF programs lost because the ring buffer was full.");
	cyl_prom_sample(out, "cylcomed_ringbuf_drops_total", NULL, 0,
			s->ringbuf_drops);

	for (k = 0; k < N_DEVICE_COUNTERS; k++) {
		cyl_prom_family(out, device_counters[k].name, "counter",
				device_counters[k].help);
		for (i = 0; i < m->n_devices && m->devices[i].active; i++) {
			l[0] = (struct cyl_prom_label){ "device", m->devices[i].name };
			cyl_prom_sample(out, device_counters[k].name, l, 1,
					device_counter(&m->devices[i], k));
		}
	}

	cyl_prom_family(out, "cylcomed_policy_generation", "gauge",
			"Generation of the policy in force; 1 for the policy read at start.");
	cyl_prom_sample(out, "cylcomed_policy_generation", NULL, 0,
			s->policy_generation);
	cyl_prom_family(out, "cylcomed_uptime_seconds", "gauge",
			"Seconds since the agent became ready.");
	cyl_prom_sample(out, "cylcomed_uptime_seconds", NULL, 0, s->uptime_s);
	cyl_prom_family(out, "cylcomed_build_info", "gauge",
			"Always 1; the agent's version is in the label.");
	l[0] = (struct cyl_prom_label){ "version", s->version };
	cyl_prom_sample(out, "cylcomed_build_info", l, 1, 1);

	return out->oom ? -ENOMEM : 0;
}

static int append(json_t *arr, json_t *item)
{
	return json_array_append_new(arr, item);	/* NULL item fails */
}

json_t *cyl_metrics_json(const struct cyl_metrics *m,
			 const struct cyl_metrics_snapshot *s)
{
	json_t *body = NULL, *events, *devices, *dev;
	size_t i, k;

	events = json_array();
	devices = json_array();
	if (!events || !devices)
		goto err;
	for (i = 0; i < m->n_events; i++) {
		if (append(events, json_pack("{s:s,s:s,s:I}",
				"type", m->events[i].type,
				"verdict", m->events[i].verdict,
				"value", (json_int_t)m->events[i].count)))
			goto err;
	}
	if (m->events_other &&
	    append(events, json_pack("{s:s,s:s,s:I}", "type", "other",
				     "verdict", "other",
				     "value", (json_int_t)m->events_other)))
		goto err;
	for (i = 0; i < m->n_devices && m->devices[i].active; i++) {
		dev = json_pack("{s:s}", "device", m->devices[i].name);
		for (k = 0; dev && k < N_DEVICE_COUNTERS; k++) {
			if (json_object_set_new(dev,
					device_counters[k].name + DEVICE_PREFIX_LEN,
					json_integer(device_counter(&m->devices[i], k)))) {
				json_decref(dev);
				dev = NULL;
			}
		}
		if (append(devices, dev))
			goto err;
	}
	body = json_pack("{s:s,s:I,s:I,s:I,s:o,s:o}",
			 "version", s->version,
			 "uptime_seconds", (json_int_t)s->uptime_s,
			 "policy_generation", (json_int_t)s->policy_generation,
			 "ringbuf_drops_total", (json_int_t)s->ringbuf_drops,
			 "events_total", events,
			 "devices", devices);
	return body;	/* "o" took both arrays, even on failure */
err:
	json_decref(events);
	json_decref(devices);
	return NULL;
}

/* --- HTTP --- */

/* RFC 9110 tchar: the bytes of a method or a header name. */
static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Request line: METHOD SP origin-form SP HTTP/1.d */
static int parse_request_line(const char *p, size_t n,
			      struct cyl_http_request *req)
{
	const char *sp1, *sp2, *target, *q;
	size_t mlen, tlen, i;

	sp1 = memchr(p, ' ', n);
	if (!sp1)
		return -EBADMSG;
	mlen = sp1 - p;
	if (!mlen || mlen > CYL_HTTP_METHOD_MAX)
		return -EBADMSG;
	for (i = 0; i < mlen; i++) {
		if (!is_tchar(p[i]))
			return -EBADMSG;
	}
	target = sp1 + 1;
	sp2 = memchr(target, ' ', n - (target - p));
	if (!sp2)
		return -EBADMSG;
	tlen = sp2 - target;
	if (!tlen || target[0] != '/')
		return -EBADMSG;
	for (i = 0; i < tlen; i++) {
		unsigned char c = target[i];

		if (c <= 0x20 || c >= 0x7f)
			return -EBADMSG;
	}
	q = memchr(target, '?', tlen);
	if (q)
		tlen = q - target;
	if (tlen > CYL_HTTP_TARGET_MAX)
		return -EBADMSG;
	/* The version, exactly; nothing may follow it. */
	if (n - (sp2 + 1 - p) != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) ||
	    sp2[8] < '0' || sp2[8] > '9')
		return -EBADMSG;

	memcpy(req->method, p, mlen);
	req->method[mlen] = '\0';
	memcpy(req->path, target, tlen);
	req->path[tlen] = '\0';
	req->minor = sp2[8] - '0';
	return 0;
}

/* Is the header line @p[0..n) named @name (case-insensitively)? */
static bool header_is(const char *p, size_t n, const char *name)
{
	size_t len = strlen(name);

	return n > len && p[len] == ':' && !strncasecmp(p, name, len);
}

/* Content-Length: 1*DIGIT between optional whitespace, given once. */
static void content_length(const char *v, size_t n, struct cyl_http_request *req)
{
	int64_t x = 0;
	size_t i = 0, digits = 0;

	if (req->content_length != CYL_HTTP_LENGTH_NONE) {
		req->content_length = CYL_HTTP_LENGTH_BAD;
		return;
	}
	while (i < n && (v[i] == ' ' || v[i] == '\t'))
		i++;
	for (; i < n && v[i] >= '0' && v[i] <= '9'; i++, digits++)
		x = x > (INT64_MAX - 9) / 10 ? INT64_MAX : x * 10 + (v[i] - '0');
	while (i < n && (v[i] == ' ' || v[i] == '\t'))
		i++;
	req->content_length = digits && i == n ? x : CYL_HTTP_LENGTH_BAD;
}

/* name ":" value, no folding (RFC 9112 5.2: reject obs-fold). */
static int parse_header_line(const char *p, size_t n, struct cyl_http_request *req)
{
	size_t i, colon;

	for (i = 0; i < n && p[i] != ':'; i++) {
		if (!is_tchar(p[i]))
			return -EBADMSG;
	}
	if (!i || i == n)
		return -EBADMSG;
	colon = i;
	for (i++; i < n; i++) {
		unsigned char c = p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return -EBADMSG;
	}
	if (header_is(p, n, "Content-Length"))
		content_length(p + colon + 1, n - colon - 1, req);
	else if (header_is(p, n, "Transfer-Encoding"))
		req->transfer_encoding = true;
	return 0;
}

int cyl_http_parse_request(const char *buf, size_t len,
			   struct cyl_http_request *req)
{
	size_t limit = len < CYL_HTTP_MAX_REQUEST ? len : CYL_HTTP_MAX_REQUEST;
	const char *p = buf, *end = buf + limit, *nl;
	bool first = true;
	size_t n;
	int ret;

	memset(req, 0, sizeof(*req));
	req->content_length = CYL_HTTP_LENGTH_NONE;
	while ((nl = memchr(p, '\n', end - p)) != NULL) {
		n = nl - p;
		if (n && p[n - 1] == '\r')
			n--;
		/* A bare CR anywhere else is refused (request smuggling). */
		if (memchr(p, '\r', n))
			return -EBADMSG;
		if (first) {
			ret = parse_request_line(p, n, req);
			if (ret)
				return ret;
			first = false;
		} else if (!n) {
			req->head_len = nl + 1 - buf;
			return 0;
		} else if ((ret = parse_header_line(p, n, req)) != 0) {
			return ret;
		}
		p = nl + 1;
	}
	/* The partial line must already be sane; NUL never is. */
	if (memchr(p, '\0', end - p))
		return -EBADMSG;
	return len >= CYL_HTTP_MAX_REQUEST ? -EMSGSIZE : -EAGAIN;
}

int cyl_http_match(const struct cyl_http_route *routes, size_t n,
		   const struct cyl_http_request *req, size_t *idx)
{
	int status = 404;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(req->path, routes[i].path))
			continue;
		if (status == 404 && idx)
			*idx = i;
		status = 405;
		if (!strcmp(req->method, routes[i].method)) {
			if (idx)
				*idx = i;
			return 200;
		}
	}
	return status;
}

int cyl_http_body_status(const struct cyl_http_route *r,
			 const struct cyl_http_request *req)
{
	/* Two framings could be read two ways (request smuggling). */
	if (req->transfer_encoding || req->content_length == CYL_HTTP_LENGTH_BAD)
		return 400;
	if (req->content_length == CYL_HTTP_LENGTH_NONE)
		return 411;
	if ((uint64_t)req->content_length > r->body_max)
		return 413;
	return 0;
}

const struct cyl_http_route cyl_metrics_route = { "GET", "/metrics", 0 };

int cyl_http_route(const struct cyl_http_request *req)
{
	return cyl_http_match(&cyl_metrics_route, 1, req, NULL);
}

int cyl_http_error_status(int err)
{
	return err == -EMSGSIZE ? 431 : 400;
}

const char *cyl_http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default:  return "Error";
	}
}

int cyl_http_response_head_allow(char *buf, size_t size, int status,
				 const char *content_type, size_t content_length,
				 const char *allow)
{
	int n;

	n = snprintf(buf, size,
		     "HTTP/1.1 %d %s\r\n"
		     "Content-Type: %s\r\n"
		     "Content-Length: %zu\r\n"
		     "%s%s%s"
		     "Connection: close\r\n"
		     "\r\n",
		     status, cyl_http_reason(status), content_type,
		     content_length, allow ? "Allow: " : "", allow ? allow : "",
		     allow ? "\r\n" : "");
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

int cyl_http_response_head(char *buf, size_t size, int status,
			   const char *content_type, size_t content_length)
{
	return cyl_http_response_head_allow(buf, size, status, content_type,
					    content_length, status == 405 ? "GET" : NULL);
}

/* --- --metrics-listen --- */


static int parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;

	if (!*s || strlen(s) > 5)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
	}
	if (!v || v > 65535)
		return -EINVAL;
	*port = v;
	return 0;
}

int cyl_metrics_parse_listen(const char *s, struct cyl_metrics_listen *out,
			     char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 1], q[CYL_QUOTE_SIZE];
	const char *colon, *h;
	size_t hlen;
	uint16_t port;

	memset(out, 0, sizeof(*out));
	cyl_quote(q, sizeof(q), s, strlen(s));
	if (!strcmp(s, "off"))
		return 0;

	if (s[0] == '[') {
		colon = strstr(s, "]:");
		if (!colon)
			return cyl_errf(-EINVAL, err, errlen,
				    "metrics address %s: expected [IPV6]:PORT", q);
		h = s + 1;
		hlen = colon - h;
		colon++;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return cyl_errf(-EINVAL, err, errlen,
				    "metrics address %s: expected ADDR:PORT, [IPV6]:PORT or off", q);
		h = s;
		hlen = colon - h;
	}
	if (parse_port(colon + 1, &port))
		return cyl_errf(-EINVAL, err, errlen,
			    "metrics address %s: port must be 1-65535", q);
	if (!hlen || hlen >= sizeof(host))
		return cyl_errf(-EINVAL, err, errlen,
			    "metrics address %s: bad address", q);
	memcpy(host, h, hlen);
	host[hlen] = '\0';

	if (s[0] == '[') {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&out->addr;

		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return cyl_errf(-EINVAL, err, errlen,
				    "metrics address %s: bad IPv6 address", q);
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		out->addrlen = sizeof(*sin6);
		out->loopback = IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&out->addr;

		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return cyl_errf(-EINVAL, err, errlen,
				    "metrics address %s: bad IPv4 address", q);
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		out->addrlen = sizeof(*sin);
		out->loopback = (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
	}
	out->enabled = true;
	if (errlen)
		err[0] = '\0';
	return 0;
}
