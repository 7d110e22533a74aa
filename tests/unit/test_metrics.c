// SPDX-License-Identifier: GPL-2.0
/*
 * Metrics: counter state across policy changes, the text exposition
 * (escaping, HELP/TYPE), the JSON form, the HTTP request parser (with the
 * framing of request bodies), routing and the listen-address parser.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/metrics.h"

struct fixture {
	struct cyl_metrics m;
	struct cyl_strbuf out;
	struct cyl_metrics_snapshot snap;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	cyl_metrics_init(&f->m);
	f->snap = (struct cyl_metrics_snapshot){
		.version = "0.1.0", .uptime_s = 42, .policy_generation = 1,
		.ringbuf_drops = 3,
	};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cyl_metrics_free(&f->m);
	cyl_strbuf_free(&f->out);
	free(f);
	return 0;
}

static const char *render(struct fixture *f)
{
	cyl_strbuf_free(&f->out);
	assert_int_equal(cyl_metrics_render(&f->m, &f->snap, &f->out), 0);
	return f->out.p;
}

static void sync_names(struct cyl_metrics *m, const char *a, const char *b)
{
	const char *names[] = { a, b };

	assert_int_equal(cyl_metrics_sync_devices(m, names, b ? 2 : (a ? 1 : 0)), 0);
}

/* --- state --- */

static void test_metrics_events_counted_by_type_and_verdict(void **state)
{
	struct fixture *f = *state;

	cyl_metrics_count_event(&f->m, "tty_open", "audit");
	cyl_metrics_count_event(&f->m, "tty_open", "audit");
	cyl_metrics_count_event(&f->m, "tty_open", "deny");
	assert_int_equal(f->m.n_events, 2);
	assert_int_equal(f->m.events[0].count, 2);
	assert_int_equal(f->m.events[1].count, 1);
	assert_non_null(strstr(render(f),
		"cylcomed_events_total{type=\"tty_open\",verdict=\"audit\"} 2\n"
		"cylcomed_events_total{type=\"tty_open\",verdict=\"deny\"} 1\n"));
}

static void test_metrics_event_series_bounded(void **state)
{
	struct fixture *f = *state;
	char type[16];
	int i;

	for (i = 0; i < CYL_METRICS_MAX_EVENT_SERIES + 5; i++) {
		snprintf(type, sizeof(type), "t%d", i);
		cyl_metrics_count_event(&f->m, type, "audit");
	}
	assert_int_equal(f->m.n_events, CYL_METRICS_MAX_EVENT_SERIES);
	assert_int_equal(f->m.events_other, 5);
	assert_non_null(strstr(render(f),
		"cylcomed_events_total{type=\"other\",verdict=\"other\"} 5\n"));
}

static void test_metrics_long_label_cut(void **state)
{
	struct fixture *f = *state;
	char type[100];

	memset(type, 'a', sizeof(type) - 1);
	type[sizeof(type) - 1] = '\0';
	cyl_metrics_count_event(&f->m, type, "audit");
	assert_int_equal(strlen(f->m.events[0].type), CYL_METRICS_LABEL_MAX);
}

static void test_metrics_device_series_present_at_zero(void **state)
{
	struct fixture *f = *state;
	const char *out;

	sync_names(&f->m, "monitor-icu-1", "pump-2");
	out = render(f);
	assert_non_null(strstr(out, "cylcomed_device_frames_total{device=\"monitor-icu-1\"} 0\n"
				    "cylcomed_device_frames_total{device=\"pump-2\"} 0\n"));
	assert_non_null(strstr(out, "cylcomed_device_bytes_total{device=\"pump-2\"} 0\n"));
	assert_non_null(strstr(out, "cylcomed_device_flows_total{device=\"monitor-icu-1\"} 0\n"));
}

static void test_metrics_counters_survive_policy_change(void **state)
{
	struct fixture *f = *state;
	const char *out;

	sync_names(&f->m, "monitor-icu-1", "pump-2");
	assert_int_equal(cyl_metrics_count_device(&f->m, "pump-2", 3, 100, 1), 0);
	cyl_metrics_count_event(&f->m, "tty_open", "audit");

	/* pump-2 leaves the policy: no longer exposed... */
	sync_names(&f->m, "monitor-icu-1", NULL);
	out = render(f);
	assert_null(strstr(out, "pump-2"));
	assert_non_null(strstr(out, "cylcomed_events_total{type=\"tty_open\",verdict=\"audit\"} 1\n"));

	/* ...and continues from its counts when it comes back. */
	sync_names(&f->m, "pump-2", "monitor-icu-1");
	out = render(f);
	assert_non_null(strstr(out, "cylcomed_device_frames_total{device=\"pump-2\"} 3\n"
				    "cylcomed_device_frames_total{device=\"monitor-icu-1\"} 0\n"));
	assert_non_null(strstr(out, "cylcomed_device_bytes_total{device=\"pump-2\"} 100\n"));
}

static void test_metrics_count_unknown_device_enoent(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_metrics_count_device(&f->m, "nope", 1, 1, 1), -ENOENT);
}

static void test_metrics_overlong_device_name_einval(void **state)
{
	struct fixture *f = *state;
	const char *names[] = { "ok", "a-name-that-is-longer-than-thirty-two-bytes" };

	assert_int_equal(cyl_metrics_sync_devices(&f->m, names, 2), -EINVAL);
	assert_int_equal(f->m.n_devices, 0);
}

static void test_metrics_duplicate_device_once(void **state)
{
	struct fixture *f = *state;

	sync_names(&f->m, "a", "a");
	assert_int_equal(f->m.n_devices, 1);
}

/* --- exposition --- */

static void test_metrics_every_family_has_help_and_type(void **state)
{
	struct fixture *f = *state;
	static const char *const families[][2] = {
		{ "cylcomed_events_total", "counter" },
		{ "cylcomed_ringbuf_drops_total", "counter" },
		{ "cylcomed_device_frames_total", "counter" },
		{ "cylcomed_device_bytes_total", "counter" },
		{ "cylcomed_device_flows_total", "counter" },
		{ "cylcomed_policy_generation", "gauge" },
		{ "cylcomed_uptime_seconds", "gauge" },
		{ "cylcomed_build_info", "gauge" },
	};
	char want[128];
	const char *out = render(f);
	size_t i;

	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		snprintf(want, sizeof(want), "# HELP %s ", families[i][0]);
		assert_non_null(strstr(out, want));
		snprintf(want, sizeof(want), "\n# TYPE %s %s\n", families[i][0],
			 families[i][1]);
		assert_non_null(strstr(out, want));
	}
	assert_non_null(strstr(out, "\ncylcomed_ringbuf_drops_total 3\n"));
	assert_non_null(strstr(out, "\ncylcomed_policy_generation 1\n"));
	assert_non_null(strstr(out, "\ncylcomed_uptime_seconds 42\n"));
	assert_non_null(strstr(out, "\ncylcomed_build_info{version=\"0.1.0\"} 1\n"));
	assert_int_equal(out[strlen(out) - 1], '\n');
}

static void test_metrics_label_value_escaped(void **state)
{
	struct fixture *f = *state;
	struct cyl_prom_label l = { "device", "a\\b\"c\nd" };

	cyl_prom_sample(&f->out, "x", &l, 1, 7);
	assert_string_equal(f->out.p, "x{device=\"a\\\\b\\\"c\\nd\"} 7\n");
}

static void test_metrics_help_escaped_quotes_kept(void **state)
{
	struct fixture *f = *state;

	cyl_prom_family(&f->out, "x", "gauge", "a \"b\" c\\d\ne");
	assert_string_equal(f->out.p,
			    "# HELP x a \"b\" c\\\\d\\ne\n# TYPE x gauge\n");
}

static void test_metrics_sample_without_labels(void **state)
{
	struct fixture *f = *state;

	cyl_prom_sample(&f->out, "x", NULL, 0, UINT64_MAX);
	assert_string_equal(f->out.p, "x 18446744073709551615\n");
}

static void test_metrics_json_matches_counters(void **state)
{
	struct fixture *f = *state;
	json_t *obj;
	char *s;

	sync_names(&f->m, "monitor-icu-1", NULL);
	cyl_metrics_count_event(&f->m, "tty_open", "audit");
	obj = cyl_metrics_json(&f->m, &f->snap);
	assert_non_null(obj);
	s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s,
		"{\"version\":\"0.1.0\",\"uptime_seconds\":42,"
		"\"policy_generation\":1,\"ringbuf_drops_total\":3,"
		"\"events_total\":[{\"type\":\"tty_open\",\"verdict\":\"audit\",\"value\":1}],"
		"\"devices\":[{\"device\":\"monitor-icu-1\",\"frames_total\":0,"
		"\"bytes_total\":0,\"flows_total\":0}]}");
	free(s);
	json_decref(obj);
}

/* --- HTTP --- */

static int parse(const char *s, struct cyl_http_request *req)
{
	return cyl_http_parse_request(s, strlen(s), req);
}

static void test_http_get_metrics_ok(void **state)
{
	struct cyl_http_request req;
	const char *s = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9464\r\n"
			"Accept: text/plain\r\n\r\n";

	assert_int_equal(parse(s, &req), 0);
	assert_string_equal(req.method, "GET");
	assert_string_equal(req.path, "/metrics");
	assert_int_equal(req.minor, 1);
	assert_int_equal(req.head_len, strlen(s));
	assert_int_equal(cyl_http_route(&req), 200);
}

static void test_http_bare_lf_and_http10_accepted(void **state)
{
	struct cyl_http_request req;

	assert_int_equal(parse("GET /metrics HTTP/1.0\n\n", &req), 0);
	assert_int_equal(req.minor, 0);
	assert_int_equal(cyl_http_route(&req), 200);
}

static void test_http_query_ignored(void **state)
{
	struct cyl_http_request req;

	assert_int_equal(parse("GET /metrics?x=1 HTTP/1.1\r\n\r\n", &req), 0);
	assert_string_equal(req.path, "/metrics");
}

static void test_http_other_path_404(void **state)
{
	struct cyl_http_request req;

	assert_int_equal(parse("GET /other HTTP/1.1\r\n\r\n", &req), 0);
	assert_int_equal(cyl_http_route(&req), 404);
	assert_int_equal(parse("GET /metrics/ HTTP/1.1\r\n\r\n", &req), 0);
	assert_int_equal(cyl_http_route(&req), 404);
}

static void test_http_other_method_405(void **state)
{
	struct cyl_http_request req;

	assert_int_equal(parse("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n", &req), 0);
	assert_int_equal(cyl_http_route(&req), 405);
	assert_int_equal(parse("HEAD /metrics HTTP/1.1\r\n\r\n", &req), 0);
	assert_int_equal(cyl_http_route(&req), 405);
}

static void test_http_incomplete_eagain(void **state)
{
	struct cyl_http_request req;

	assert_int_equal(parse("", &req), -EAGAIN);
	assert_int_equal(parse("GET /metr", &req), -EAGAIN);
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\n", &req), -EAGAIN);
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\nHost: x\r\n", &req), -EAGAIN);
}

static void test_http_bad_request_line_found_early(void **state)
{
	struct cyl_http_request req;

	/* The blank line has not come yet; the first line is already bad. */
	assert_int_equal(parse("GARBAGE\r\n", &req), -EBADMSG);
}

static void test_http_malformed_rejected(void **state)
{
	static const char *const bad[] = {
		"GET\r\n\r\n",
		"GET /metrics\r\n\r\n",
		"GET  /metrics HTTP/1.1\r\n\r\n",
		"GET /metrics HTTP/1.1 \r\n\r\n",
		"GET /metrics HTTP/2.0\r\n\r\n",
		"GET /metrics HTTP/1.x\r\n\r\n",
		"GET metrics HTTP/1.1\r\n\r\n",
		"GET http://x/metrics HTTP/1.1\r\n\r\n",
		"G(T /metrics HTTP/1.1\r\n\r\n",
		"GETGETGETGETGETGET /metrics HTTP/1.1\r\n\r\n",
		"GET /met\x7frics HTTP/1.1\r\n\r\n",
		"GET /metrics HTTP/1.1\r\nNoColon\r\n\r\n",
		"GET /metrics HTTP/1.1\r\n: empty-name\r\n\r\n",
		"GET /metrics HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
		"GET /metrics HTTP/1.1\r\nBad Name: x\r\n\r\n",
		"GET /metrics HTTP/1.1\r\nX: a\rb\r\n\r\n",
		"GET /metrics HTTP/1.1\r\nX: a\x01\r\n\r\n",
	};
	struct cyl_http_request req;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &req) != -EBADMSG)
			fail_msg("accepted: %s", bad[i]);
	}
}

static void test_http_nul_rejected(void **state)
{
	struct cyl_http_request req;
	const char s[] = "GET /metrics HTTP/1.1\r\nX: a\0b\r\n\r\n";

	assert_int_equal(cyl_http_parse_request(s, sizeof(s) - 1, &req), -EBADMSG);
	assert_int_equal(cyl_http_parse_request("GET /m\0", 7, &req), -EBADMSG);
}

static void test_http_long_target_rejected(void **state)
{
	struct cyl_http_request req;
	char s[CYL_HTTP_TARGET_MAX + 64];

	memset(s, 'a', sizeof(s));
	memcpy(s, "GET /", 5);
	strcpy(s + CYL_HTTP_TARGET_MAX + 5, " HTTP/1.1\r\n\r\n");
	assert_int_equal(parse(s, &req), -EBADMSG);
}

static void test_http_oversize_head_emsgsize(void **state)
{
	struct cyl_http_request req;
	char *s = malloc(CYL_HTTP_MAX_REQUEST + 100);
	size_t n;

	assert_non_null(s);
	n = snprintf(s, 64, "GET /metrics HTTP/1.1\r\nX: ");
	memset(s + n, 'a', CYL_HTTP_MAX_REQUEST + 100 - n);
	assert_int_equal(cyl_http_parse_request(s, CYL_HTTP_MAX_REQUEST - 1, &req), -EAGAIN);
	assert_int_equal(cyl_http_parse_request(s, CYL_HTTP_MAX_REQUEST, &req), -EMSGSIZE);
	assert_int_equal(cyl_http_parse_request(s, CYL_HTTP_MAX_REQUEST + 100, &req), -EMSGSIZE);
	assert_int_equal(cyl_http_error_status(-EMSGSIZE), 431);
	assert_int_equal(cyl_http_error_status(-EBADMSG), 400);
	free(s);
}

static void test_http_body_after_head_ignored(void **state)
{
	struct cyl_http_request req;
	const char *s = "GET /metrics HTTP/1.1\r\n\r\n\x01\x02garbage";

	assert_int_equal(parse(s, &req), 0);
	assert_int_equal(req.head_len, strlen("GET /metrics HTTP/1.1\r\n\r\n"));
}

static void test_http_response_head(void **state)
{
	char buf[256];

	assert_true(cyl_http_response_head(buf, sizeof(buf), 200,
					   CYL_METRICS_CONTENT_TYPE, 123) > 0);
	assert_string_equal(buf, "HTTP/1.1 200 OK\r\n"
			    "Content-Type: text/plain; version=0.0.4\r\n"
			    "Content-Length: 123\r\n"
			    "Connection: close\r\n\r\n");
	assert_true(cyl_http_response_head(buf, sizeof(buf), 405, "text/plain", 0) > 0);
	assert_non_null(strstr(buf, "HTTP/1.1 405 Method Not Allowed\r\n"));
	assert_non_null(strstr(buf, "\r\nAllow: GET\r\n"));
	assert_int_equal(cyl_http_response_head(buf, 10, 200, "x", 0), -ENOSPC);
}

/* --- request bodies and routes (the SSI endpoint's) --- */

static void test_http_content_length_read(void **state)
{
	struct cyl_http_request req;

	assert_int_equal(parse("GET /metrics HTTP/1.1\r\n\r\n", &req), 0);
	assert_true(req.content_length == CYL_HTTP_LENGTH_NONE);
	assert_false(req.transfer_encoding);
	assert_int_equal(parse("POST /ssi/presentation HTTP/1.1\r\n"
			       "content-length:  1234 \r\n\r\n", &req), 0);
	assert_true(req.content_length == 1234);
	assert_int_equal(parse("POST /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n", &req), 0);
	assert_true(req.content_length == 0);
	/* Far too large saturates (refused as 413, not wrapped). */
	assert_int_equal(parse("POST /x HTTP/1.1\r\nContent-Length: "
			       "99999999999999999999999999\r\n\r\n", &req), 0);
	assert_true(req.content_length == INT64_MAX);
	/* A header merely starting with the name is another header. */
	assert_int_equal(parse("POST /x HTTP/1.1\r\nContent-Lengthy: 5\r\n\r\n", &req), 0);
	assert_true(req.content_length == CYL_HTTP_LENGTH_NONE);
	assert_int_equal(parse("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &req), 0);
	assert_true(req.transfer_encoding);
}

static void test_http_content_length_bad(void **state)
{
	static const char *const bad[] = {
		"Content-Length: \r\n",
		"Content-Length: -1\r\n",
		"Content-Length: +5\r\n",
		"Content-Length: 5 5\r\n",
		"Content-Length: 0x10\r\n",
		"Content-Length: 5,5\r\n",
		"Content-Length: 5\r\nContent-Length: 5\r\n",
	};
	struct cyl_http_request req;
	char s[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(s, sizeof(s), "POST /x HTTP/1.1\r\n%s\r\n", bad[i]);
		/* The head is fine; only a route that reads a body refuses it. */
		assert_int_equal(parse(s, &req), 0);
		if (req.content_length != CYL_HTTP_LENGTH_BAD)
			fail_msg("accepted: %s", bad[i]);
	}
}

static const struct cyl_http_route routes[] = {
	{ "GET", "/metrics", 0 },
	{ "POST", "/ssi/challenge", 1024 },
	{ "POST", "/ssi/presentation", 256 * 1024 },
};

static void test_http_match_routes(void **state)
{
	struct cyl_http_request req;
	size_t idx = 99;

	assert_int_equal(parse("POST /ssi/presentation HTTP/1.1\r\n\r\n", &req), 0);
	assert_int_equal(cyl_http_match(routes, 3, &req, &idx), 200);
	assert_int_equal(idx, 2);
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\n\r\n", &req), 0);
	assert_int_equal(cyl_http_match(routes, 3, &req, &idx), 200);
	assert_int_equal(idx, 0);
	/* 405 names the path's route, whose method goes into Allow. */
	assert_int_equal(parse("GET /ssi/challenge HTTP/1.1\r\n\r\n", &req), 0);
	idx = 99;
	assert_int_equal(cyl_http_match(routes, 3, &req, &idx), 405);
	assert_int_equal(idx, 1);
	assert_int_equal(parse("POST /ssi/challenge/ HTTP/1.1\r\n\r\n", &req), 0);
	assert_int_equal(cyl_http_match(routes, 3, &req, &idx), 404);
	assert_int_equal(parse("post /ssi/challenge HTTP/1.1\r\n\r\n", &req), 0);
	assert_int_equal(cyl_http_match(routes, 3, &req, &idx), 405);
	assert_int_equal(cyl_http_match(routes, 0, &req, &idx), 404);
}

static void test_http_body_status(void **state)
{
	static const struct {
		const char *headers;
		int status;
	} cases[] = {
		{ "Content-Length: 0\r\n", 0 },
		{ "Content-Length: 1024\r\n", 0 },
		{ "Content-Length: 1025\r\n", 413 },
		{ "Content-Length: 99999999999999999999\r\n", 413 },
		{ "", 411 },
		{ "Transfer-Encoding: chunked\r\n", 400 },
		{ "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", 400 },
		{ "Content-Length: 3\r\nContent-Length: 3\r\n", 400 },
		{ "Content-Length: three\r\n", 400 },
	};
	struct cyl_http_request req;
	char s[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(s, sizeof(s), "POST /ssi/challenge HTTP/1.1\r\n%s\r\n", cases[i].headers);
		assert_int_equal(parse(s, &req), 0);
		if (cyl_http_body_status(&routes[1], &req) != cases[i].status)
			fail_msg("%s: %d, expected %d", cases[i].headers,
				 cyl_http_body_status(&routes[1], &req), cases[i].status);
	}
}

static void test_http_response_head_allow(void **state)
{
	char buf[256];

	assert_true(cyl_http_response_head_allow(buf, sizeof(buf), 405, "text/plain", 0,
						 "POST") > 0);
	assert_string_equal(buf, "HTTP/1.1 405 Method Not Allowed\r\n"
			    "Content-Type: text/plain\r\n"
			    "Content-Length: 0\r\n"
			    "Allow: POST\r\n"
			    "Connection: close\r\n\r\n");
	assert_true(cyl_http_response_head_allow(buf, sizeof(buf), 403, "application/json", 42,
						 NULL) > 0);
	assert_string_equal(buf, "HTTP/1.1 403 Forbidden\r\n"
			    "Content-Type: application/json\r\n"
			    "Content-Length: 42\r\n"
			    "Connection: close\r\n\r\n");
	assert_string_equal(cyl_http_reason(411), "Length Required");
	assert_string_equal(cyl_http_reason(413), "Content Too Large");
}

/* --- --metrics-listen --- */

static void test_listen_default_loopback(void **state)
{
	struct cyl_metrics_listen l;
	struct sockaddr_in *sin = (struct sockaddr_in *)&l.addr;
	char err[256];

	assert_int_equal(cyl_metrics_parse_listen(CYL_METRICS_DEFAULT_LISTEN, &l,
						  err, sizeof(err)), 0);
	assert_true(l.enabled);
	assert_true(l.loopback);
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(ntohs(sin->sin_port), 9464);
	assert_int_equal(ntohl(sin->sin_addr.s_addr), 0x7f000001);
}

static void test_listen_ipv6(void **state)
{
	struct cyl_metrics_listen l;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&l.addr;
	char err[256];

	assert_int_equal(cyl_metrics_parse_listen("[::1]:9100", &l, err, sizeof(err)), 0);
	assert_true(l.enabled && l.loopback);
	assert_int_equal(sin6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(sin6->sin6_port), 9100);
	assert_int_equal(l.addrlen, sizeof(*sin6));
	assert_int_equal(cyl_metrics_parse_listen("[fd00::5]:9464", &l, err, sizeof(err)), 0);
	assert_false(l.loopback);
}

static void test_listen_off_disabled(void **state)
{
	struct cyl_metrics_listen l;
	char err[256];

	assert_int_equal(cyl_metrics_parse_listen("off", &l, err, sizeof(err)), 0);
	assert_false(l.enabled);
}

static void test_listen_non_loopback_flagged(void **state)
{
	struct cyl_metrics_listen l;
	char err[256];

	assert_int_equal(cyl_metrics_parse_listen("0.0.0.0:9464", &l, err, sizeof(err)), 0);
	assert_true(l.enabled);
	assert_false(l.loopback);
	assert_int_equal(cyl_metrics_parse_listen("127.1.2.3:1", &l, err, sizeof(err)), 0);
	assert_true(l.loopback);
}

static void test_listen_bad_rejected_with_quote(void **state)
{
	static const char *const bad[] = {
		"", "9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0",
		"127.0.0.1:65536", "127.0.0.1:+80", "127.0.0.1:80x",
		"localhost:9464", "::1:9464", "[::1]9464", "[::1]:",
		"[127.0.0.1]:80", "1.2.3:80", "[]:80", ":80",
	};
	struct cyl_metrics_listen l;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cyl_metrics_parse_listen(bad[i], &l, err, sizeof(err)) != -EINVAL)
			fail_msg("accepted: \"%s\"", bad[i]);
	}
	cyl_metrics_parse_listen("localhost:9464", &l, err, sizeof(err));
	assert_non_null(strstr(err, "\"localhost:9464\""));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_metrics_events_counted_by_type_and_verdict),
		T(test_metrics_event_series_bounded),
		T(test_metrics_long_label_cut),
		T(test_metrics_device_series_present_at_zero),
		T(test_metrics_counters_survive_policy_change),
		T(test_metrics_count_unknown_device_enoent),
		T(test_metrics_overlong_device_name_einval),
		T(test_metrics_duplicate_device_once),
		T(test_metrics_every_family_has_help_and_type),
		T(test_metrics_label_value_escaped),
		T(test_metrics_help_escaped_quotes_kept),
		T(test_metrics_sample_without_labels),
		T(test_metrics_json_matches_counters),
		T(test_http_get_metrics_ok),
		T(test_http_bare_lf_and_http10_accepted),
		T(test_http_query_ignored),
		T(test_http_other_path_404),
		T(test_http_other_method_405),
		T(test_http_incomplete_eagain),
		T(test_http_bad_request_line_found_early),
		T(test_http_malformed_rejected),
		T(test_http_nul_rejected),
		T(test_http_long_target_rejected),
		T(test_http_oversize_head_emsgsize),
		T(test_http_body_after_head_ignored),
		T(test_http_response_head),
		T(test_http_content_length_read),
		T(test_http_content_length_bad),
		T(test_http_match_routes),
		T(test_http_body_status),
		T(test_http_response_head_allow),
		T(test_listen_default_loopback),
		T(test_listen_ipv6),
		T(test_listen_off_disabled),
		T(test_listen_non_loopback_flagged),
		T(test_listen_bad_rejected_with_quote),
	};

	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
