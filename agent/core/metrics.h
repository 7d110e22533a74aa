/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Metrics: the agent's counters, their Prometheus text exposition
 * (format 0.0.4) and JSON form, and the HTTP request parser and routing
 * of the agent's endpoints (/metrics, SSI's).  Pure code without daemon
 * state, so the unit tests and the fuzzer link exactly what ships; the
 * server is httpd.c, /metrics on it metrics_http.c.
 *
 * Counters never go backwards, not even across a policy reload: the
 * daemon owns one struct cyl_metrics for its whole life, apart from any
 * policy.  A reload only changes which devices are *active* (exposed);
 * a device that leaves the policy keeps its counts, and continues from
 * them if it comes back.
 */
#ifndef CYL_METRICS_H
#define CYL_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <jansson.h>

#include "util/strbuf.h"

#define CYL_METRICS_PORT		9464
#define CYL_METRICS_DEFAULT_LISTEN	"127.0.0.1:9464"
#define CYL_METRICS_CONTENT_TYPE	"text/plain; version=0.0.4"

#define CYL_METRICS_LABEL_MAX		32	/* type, verdict: bytes */
#define CYL_METRICS_DEVICE_MAX		32	/* = CYL_POLICY_NAME_MAX */
/*
 * Distinct (type, verdict) pairs kept; more are counted under
 * type="other", verdict="other" so a buggy producer cannot grow the
 * series without bound.
 */
#define CYL_METRICS_MAX_EVENT_SERIES	64

struct cyl_metrics_event_series {
	char type[CYL_METRICS_LABEL_MAX + 1];
	char verdict[CYL_METRICS_LABEL_MAX + 1];
	uint64_t count;
};

struct cyl_metrics_device {
	char name[CYL_METRICS_DEVICE_MAX + 1];
	bool active;		/* in the current policy: exposed */
	uint64_t frames, bytes, flows;
};

struct cyl_metrics {
	struct cyl_metrics_event_series events[CYL_METRICS_MAX_EVENT_SERIES];
	size_t n_events;
	uint64_t events_other;	/* pairs beyond the table */
	struct cyl_metrics_device *devices;
	size_t n_devices;
};

/* Values read when a scrape or "stats" request arrives. */
struct cyl_metrics_snapshot {
	const char *version;
	uint64_t uptime_s;
	uint64_t policy_generation;
	uint64_t ringbuf_drops;		/* sum of the BPF per-CPU counter */
};

void cyl_metrics_init(struct cyl_metrics *m);
void cyl_metrics_free(struct cyl_metrics *m);

/* One ring-buffer event; labels longer than CYL_METRICS_LABEL_MAX are cut. */
void cyl_metrics_count_event(struct cyl_metrics *m, const char *type,
			     const char *verdict);

/*
 * Make exactly @names[0..n) the active devices, in that order; devices
 * seen before keep their counts.  0, or -EINVAL for a name longer than
 * CYL_METRICS_DEVICE_MAX, or -ENOMEM; nothing changes on error.
 */
int cyl_metrics_sync_devices(struct cyl_metrics *m, const char *const *names,
			     size_t n);

/* Add to a device's counters; -ENOENT if the name is unknown. */
int cyl_metrics_count_device(struct cyl_metrics *m, const char *name,
			     uint64_t frames, uint64_t bytes, uint64_t flows);

/* --- text exposition --- */

struct cyl_prom_label {
	const char *name;	/* [a-zA-Z_][a-zA-Z0-9_]* */
	const char *value;	/* any bytes; escaped as the format requires */
};

/* "# HELP name help\n# TYPE name type\n", HELP text escaped. */
void cyl_prom_family(struct cyl_strbuf *b, const char *name,
		     const char *type, const char *help);
/* "name{l1="v1",...} value\n" */
void cyl_prom_sample(struct cyl_strbuf *b, const char *name,
		     const struct cyl_prom_label *labels, size_t n_labels,
		     uint64_t value);

/* The whole /metrics body.  0, or -ENOMEM. */
int cyl_metrics_render(const struct cyl_metrics *m,
		       const struct cyl_metrics_snapshot *s,
		       struct cyl_strbuf *out);

/* The same numbers for "cylctl stats"; NULL on ENOMEM. */
json_t *cyl_metrics_json(const struct cyl_metrics *m,
			 const struct cyl_metrics_snapshot *s);

/* --- the endpoints' HTTP (the /metrics server and SSI's) --- */

#define CYL_HTTP_MAX_REQUEST	(8 * 1024)	/* request line and headers */
#define CYL_HTTP_METHOD_MAX	15
#define CYL_HTTP_TARGET_MAX	255

/* Content-Length of a request. */
#define CYL_HTTP_LENGTH_NONE	(-1)	/* no Content-Length header */
#define CYL_HTTP_LENGTH_BAD	(-2)	/* not 1*DIGIT, or given twice */

struct cyl_http_request {
	char method[CYL_HTTP_METHOD_MAX + 1];
	char path[CYL_HTTP_TARGET_MAX + 1];	/* target without ?query */
	unsigned int minor;			/* HTTP/1.minor */
	size_t head_len;			/* bytes through the blank line */
	/*
	 * How a body would be framed: Content-Length's value (saturated at
	 * INT64_MAX) or CYL_HTTP_LENGTH_*, and whether Transfer-Encoding
	 * was given at all.  Only routes that take a body look at them.
	 */
	int64_t content_length;
	bool transfer_encoding;
};

/*
 * Parse the head of an HTTP/1.x request in @buf[0..len): request line,
 * header lines, blank line; CRLF or bare LF line ends.  Returns
 *   0          complete and well-formed, @req filled;
 *   -EAGAIN    well-formed so far, the blank line has not arrived;
 *   -EMSGSIZE  no blank line within CYL_HTTP_MAX_REQUEST bytes;
 *   -EBADMSG   malformed (found as soon as the bad line is complete).
 * Bytes after the head (a body) are not looked at.
 */
int cyl_http_parse_request(const char *buf, size_t len,
			   struct cyl_http_request *req);

/*
 * One route of a server: a method and an exact path.  A route with
 * @body_max takes a body of at most that many bytes, framed by
 * Content-Length; one without reads no body.  A server has one method
 * per path.
 */
struct cyl_http_route {
	const char *method;
	const char *path;
	size_t body_max;
};

/*
 * The route of @routes[0..n) that serves @req: 200 and its index in
 * *@idx; 405 when the path has a route for another method (*@idx is
 * that route, whose method the Allow header names); 404 otherwise.
 */
int cyl_http_match(const struct cyl_http_route *routes, size_t n,
		   const struct cyl_http_request *req, size_t *idx);

/*
 * For a route with a body: 0 when @req frames one the route takes, or
 * the status refusing it: 400 (Transfer-Encoding, a bad Content-Length),
 * 411 (no Content-Length), 413 (more than @r->body_max bytes).
 */
int cyl_http_body_status(const struct cyl_http_route *r,
			 const struct cyl_http_request *req);

/* The /metrics endpoint's routing: 200 for GET /metrics, else 404 or 405. */
extern const struct cyl_http_route cyl_metrics_route;
int cyl_http_route(const struct cyl_http_request *req);

/* Status for a parse error: 400, or 431 for -EMSGSIZE. */
int cyl_http_error_status(int err);

const char *cyl_http_reason(int status);

/*
 * Response head with Content-Type, Content-Length, "Connection: close"
 * and, if @allow is not NULL, "Allow: @allow" into @buf.  Returns its
 * length, or -ENOSPC.  cyl_http_response_head() is the /metrics
 * endpoint's: "Allow: GET" for 405.
 */
int cyl_http_response_head_allow(char *buf, size_t size, int status,
				 const char *content_type, size_t content_length,
				 const char *allow);
int cyl_http_response_head(char *buf, size_t size, int status,
			   const char *content_type, size_t content_length);

/* --- --metrics-listen --- */

struct cyl_metrics_listen {
	bool enabled;			/* false for "off" */
	bool loopback;			/* 127.0.0.0/8 or ::1 */
	struct sockaddr_storage addr;	/* AF_INET or AF_INET6 */
	socklen_t addrlen;
};

/*
 * "off", "ADDR:PORT" (IPv4) or "[ADDR]:PORT" (IPv6), numeric only.
 * 0, or -EINVAL with a message quoting @s in @err.
 */
int cyl_metrics_parse_listen(const char *s, struct cyl_metrics_listen *out,
			     char *err, size_t errlen);

#endif /* CYL_METRICS_H */
