// SPDX-License-Identifier: GPL-2.0
/*
 * Risk reports (risk/report.c) on a small register and hand-made events:
 * the order of entries, counts, rates and the review flag, devices, the
 * window and --since, what is not counted, the three formats (every
 * entry in each, JSON with its documented keys, HTML escaping of hostile
 * policy and log text, no URL), the heat map's 25 cells for the shipped
 * matrix; the text escapers and time parsers on their own.  Runs from
 * the repository root (it reads etc/policy.yaml).
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "policy/policy.h"
#include "risk/report.h"
#include "util/strbuf.h"

#define SHIPPED_POLICY	"etc/policy.yaml"
#define DAY		86400
#define T_MAY1		1746057600LL	/* 2025-05-01T00:00:00Z */
#define T_MAY31		1748649600LL	/* 2025-05-31T00:00:00Z: the head */

#define HOSTILE_TITLE	"<script>alert(\"x\")</script> & 'it'"

#define CHAIN \
	"      asset: a\n      threat: t\n      vulnerability: v\n      hazard: h\n" \
	"      sequence_of_events: s\n      hazardous_situation: hs\n      harm: x\n"

/*
 * Four entries, in this register order:
 *   R-OK          residual A   (serious, improbable)       bad_frame
 *   R-ALARP-FEW   residual R   (critical, remote)          usb_device deny
 *   R-ALARP-MANY  residual R   (minor, probable)           write_refused, expected 0.01
 *   R-HOSTILE     residual U   (catastrophic, frequent)    control_denied
 */
static const char policy_yaml[] =
	"version: 1\n"
	"risk:\n"
	"  scales:\n"
	"    severity: [negligible, minor, serious, critical, catastrophic]\n"
	"    probability: [{name: improbable, max_per_year: 0.001}, {name: remote, max_per_year: 0.01}, {name: occasional, max_per_year: 0.1}, {name: probable, max_per_year: 1}, {name: frequent, max_per_year: 10}]\n"
	"  matrix: [[R, U, U, U, U], [R, R, U, U, U], [A, R, R, U, U], [A, A, R, R, U], [A, A, A, R, R]]\n"
	"  entries:\n"
	"    - id: R-OK\n"
	"      title: Acceptable and quiet\n" CHAIN
	"      severity: serious\n      p1: probable\n      p2: probable\n"
	"      controls: [serial_framing]\n"
	"      residual_severity: serious\n      residual_p1: improbable\n      residual_p2: probable\n"
	"      evidence: [{type: bad_frame}]\n"
	"    - id: R-ALARP-FEW\n"
	"      title: ALARP, seldom seen\n" CHAIN
	"      severity: critical\n      p1: occasional\n      p2: frequent\n"
	"      controls: [usb_authorization]\n"
	"      residual_severity: critical\n      residual_p1: remote\n      residual_p2: frequent\n"
	"      benefit_risk: Few outweighs.\n"
	"      evidence: [{type: usb_device, verdict: deny}]\n"
	"    - id: R-ALARP-MANY\n"
	"      title: ALARP, often seen\n" CHAIN
	"      severity: minor\n      p1: probable\n      p2: frequent\n"
	"      residual_severity: minor\n      residual_p1: probable\n      residual_p2: frequent\n"
	"      benefit_risk: Many outweighs.\n"
	"      evidence: [{type: write_refused}]\n"
	"      expected: 0.01\n"
	"    - id: R-HOSTILE\n"
	"      title: \"" "<script>alert(\\\"x\\\")</script> & 'it'" "\"\n" CHAIN
	"      severity: catastrophic\n      p1: frequent\n      p2: frequent\n"
	"      residual_severity: catastrophic\n      residual_p1: frequent\n      residual_p2: frequent\n"
	"      benefit_risk: \"Tom & Jerry's <b>claim</b>\"\n"
	"      evidence: [{type: control_denied}]\n";

#define MAX_EVENTS	64

struct fixture {
	struct cyl_policy policy;
	struct cyl_report_source src;
	char *events[MAX_EVENTS];	/* the log's entries, up to the head */
	size_t n_events;
	uint64_t unsigned_n;		/* entries after the head */
	struct cyl_report *r;		/* built by the first render */
	struct cyl_strbuf out;
	json_t *json;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct cyl_policy_error err;

	if (!f)
		return -1;
	if (cyl_policy_parse("policy.yaml", policy_yaml, strlen(policy_yaml), &f->policy,
			     &err)) {
		fprintf(stderr, "%s\n", err.text);
		free(f);
		return -1;
	}
	f->src = (struct cyl_report_source){
		.policy = "policy.yaml", .log = "/var/lib/cylcomed/risk/log",
		.head = { .index = 3, .size = 0, .ts_ns = (uint64_t)T_MAY31 * 1000000000u },
	};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	size_t i;

	for (i = 0; i < f->n_events; i++)
		free(f->events[i]);
	cyl_report_free(f->r);
	cyl_strbuf_free(&f->out);
	json_decref(f->json);
	cyl_policy_free(&f->policy);
	free(f);
	return 0;
}

static void add_raw(struct fixture *f, const char *text)
{
	assert_true(f->n_events < MAX_EVENTS);
	f->events[f->n_events] = strdup(text);
	assert_non_null(f->events[f->n_events++]);
}

/* An event at @t of @type for @device (NULL: none), evidencing @entry. */
static void add(struct fixture *f, int64_t t, const char *type, const char *device,
		const char *entry)
{
	char when[32], text[512];
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S.123Z", &tm);
	snprintf(text, sizeof(text), "{\"time\":\"%s\",\"host\":\"gw\",\"seq\":%llu,"
		 "\"type\":\"%s\",\"device\":%s%s%s,\"subject\":null,\"verdict\":\"deny\","
		 "\"reason\":\"r\",\"risk_entry\":\"%s\"}", when, (unsigned long long)f->n_events,
		 type, device ? "\"" : "", device ? device : "null", device ? "\"" : "", entry);
	add_raw(f, text);
}

/* The report on the events added so far, all covered by the head. */
static const char *render(struct fixture *f, enum cyl_report_format fmt)
{
	size_t i;

	if (!f->r) {
		f->src.head.size = f->n_events;
		f->src.log_entries = f->n_events + f->unsigned_n;
		assert_int_equal(cyl_report_new(&f->policy.risk, &f->src, &f->r), 0);
		for (i = 0; i < f->n_events; i++)
			assert_int_equal(cyl_report_add(f->r, i, f->events[i],
							strlen(f->events[i])), 0);
	}
	cyl_strbuf_free(&f->out);
	assert_int_equal(cyl_report_render(f->r, fmt, &f->out), 0);
	assert_non_null(f->out.p);
	return f->out.p;
}

static json_t *render_json(struct fixture *f)
{
	json_error_t err;

	render(f, CYL_REPORT_JSON);
	json_decref(f->json);
	f->json = json_loads(f->out.p, 0, &err);
	if (!f->json)
		fail_msg("report JSON does not parse: %s (line %d)", err.text, err.line);
	return f->json;
}

/* The report's entry @id in JSON, and where it came in the order. */
static json_t *entry(json_t *top, const char *id, size_t *pos)
{
	json_t *a = json_object_get(top, "entries"), *e;
	size_t i;

	json_array_foreach(a, i, e) {
		if (!strcmp(json_string_value(json_object_get(e, "id")), id)) {
			if (pos)
				*pos = i;
			return e;
		}
	}
	fail_msg("entry %s not in the report", id);
	return NULL;
}

static json_int_t jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("\"%s\" is not an integer", key);
	return json_integer_value(v);
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("\"%s\" is not a string", key);
	return json_string_value(v);
}

/* Does the line of @text that starts with @start contain @what? */
static bool line_has(const char *text, const char *start, const char *what)
{
	const char *p = text, *end;
	char line[4096];

	while (p && *p) {
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		if (!strncmp(p, start, strlen(start)) && (size_t)(end - p) < sizeof(line)) {
			memcpy(line, p, (size_t)(end - p));
			line[end - p] = '\0';
			return strstr(line, what) != NULL;
		}
		p = *end ? end + 1 : NULL;
	}
	return false;
}

/* A typical month: R-ALARP-MANY 5, R-ALARP-FEW 2, R-OK 1, R-HOSTILE 1. */
static void month(struct fixture *f)
{
	int i;

	add(f, T_MAY1 + 3600, "bad_frame", "monitor", "R-OK");
	for (i = 0; i < 5; i++)
		add(f, T_MAY1 + (2 + i) * DAY, "write_refused", "pump", "R-ALARP-MANY");
	add(f, T_MAY1 + 10 * DAY, "usb_device", NULL, "R-ALARP-FEW");
	add(f, T_MAY1 + 11 * DAY, "usb_device", NULL, "R-ALARP-FEW");
	add(f, T_MAY1 + 12 * DAY, "control_denied", NULL, "R-HOSTILE");
}

/* --- escaping --- */

static void test_strbuf_html_escapes_markup_and_controls(void **state)
{
	struct cyl_strbuf b = { 0 };

	cyl_strbuf_html(&b, "<a href=\"x\">Tom & Jerry's</a>\ttab\nnl\x01\x7f\xc2\x9b\xc3\xa9");
	assert_string_equal(b.p, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
			    "\ttab\nnl&#xfffd;&#xfffd;&#xfffd;\xc3\xa9");
	cyl_strbuf_free(&b);
	cyl_strbuf_html(&b, "");
	assert_null(b.p);	/* nothing appended, nothing allocated */
	cyl_strbuf_free(&b);
}

static void test_strbuf_md_escapes_markup_and_controls(void **state)
{
	struct cyl_strbuf b = { 0 };

	cyl_strbuf_md(&b, "a|b *c* _d_ <x> [l](u) `c` #h &amp; !~\\ line\nnext\x1b[31m\xc2\x9b.");
	assert_string_equal(b.p, "a\\|b \\*c\\* \\_d\\_ \\<x\\> \\[l\\](u) \\`c\\` \\#h \\&amp; "
			    "\\!\\~\\\\ line next?\\[31m?.");
	cyl_strbuf_free(&b);
}

static void test_strbuf_grows_and_formats(void **state)
{
	struct cyl_strbuf b = { 0 };
	size_t len;
	char *p;
	int i;

	for (i = 0; i < 10000; i++)
		cyl_strbuf_printf(&b, "%04d,", i % 10000);
	assert_false(b.oom);
	assert_int_equal(b.len, 50000);
	assert_memory_equal(b.p + 5 * 9999, "9999,", 6);
	p = cyl_strbuf_take(&b, &len);
	assert_int_equal(len, 50000);
	assert_null(b.p);
	free(p);
	p = cyl_strbuf_take(&b, &len);	/* empty: "" */
	assert_string_equal(p, "");
	free(p);
}

/* --- times --- */

static void test_report_parse_time(void **state)
{
	int64_t t;

	assert_int_equal(cyl_report_parse_time("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(cyl_report_parse_time("2025-05-01T12:34:56.789Z", &t), 0);
	assert_int_equal(t, 1746102896);
	assert_int_equal(cyl_report_parse_time("2025-05-01t12:34:56z", &t), 0);
	assert_int_equal(t, 1746102896);
	assert_int_equal(cyl_report_parse_time("2025-05-01T14:34:56+02:00", &t), 0);
	assert_int_equal(t, 1746102896);
	assert_int_equal(cyl_report_parse_time("2025-05-01T07:04:56.5-05:30", &t), 0);
	assert_int_equal(t, 1746102896);
	assert_int_equal(cyl_report_parse_time("2024-02-29T00:00:00Z", &t), 0);
	assert_int_equal(cyl_report_parse_time("1969-12-31T23:59:59Z", &t), 0);
	assert_int_equal(t, -1);
	assert_int_equal(cyl_report_parse_time("2025-02-29T00:00:00Z", &t), -EINVAL);
	assert_int_equal(cyl_report_parse_time("2025-13-01T00:00:00Z", &t), -EINVAL);
	assert_int_equal(cyl_report_parse_time("2025-05-01T24:00:00Z", &t), -EINVAL);
	assert_int_equal(cyl_report_parse_time("2025-05-01T12:34:56", &t), -EINVAL);
	assert_int_equal(cyl_report_parse_time("2025-05-01T12:34:56.Z", &t), -EINVAL);
	assert_int_equal(cyl_report_parse_time("2025-05-01T12:34:56Zx", &t), -EINVAL);
	assert_int_equal(cyl_report_parse_time("2025-05-01 12:34:56Z", &t), -EINVAL);
	assert_int_equal(cyl_report_parse_time("2025-5-01T12:34:56Z", &t), -EINVAL);
	assert_int_equal(cyl_report_parse_time("", &t), -EINVAL);
}

static void test_report_parse_since(void **state)
{
	int64_t t;

	assert_int_equal(cyl_report_parse_since("7d", T_MAY31, &t), 0);
	assert_int_equal(t, T_MAY31 - 7 * DAY);
	assert_int_equal(cyl_report_parse_since("24h", T_MAY31, &t), 0);
	assert_int_equal(t, T_MAY31 - DAY);
	assert_int_equal(cyl_report_parse_since("2w", T_MAY31, &t), 0);
	assert_int_equal(t, T_MAY31 - 14 * DAY);
	assert_int_equal(cyl_report_parse_since("90s", T_MAY31, &t), 0);
	assert_int_equal(t, T_MAY31 - 90);
	assert_int_equal(cyl_report_parse_since("30m", T_MAY31, &t), 0);
	assert_int_equal(t, T_MAY31 - 1800);
	assert_int_equal(cyl_report_parse_since("2025-05-01T00:00:00Z", T_MAY31, &t), 0);
	assert_int_equal(t, T_MAY1);
	assert_int_equal(cyl_report_parse_since("36600d", T_MAY31, &t), 0);
	assert_int_equal(cyl_report_parse_since("36601d", T_MAY31, &t), -EINVAL);
	assert_int_equal(cyl_report_parse_since("99999999999999999999d", 0, &t), -EINVAL);
	assert_int_equal(cyl_report_parse_since("7", 0, &t), -EINVAL);
	assert_int_equal(cyl_report_parse_since("d", 0, &t), -EINVAL);
	assert_int_equal(cyl_report_parse_since("7x", 0, &t), -EINVAL);
	assert_int_equal(cyl_report_parse_since("-7d", 0, &t), -EINVAL);
	assert_int_equal(cyl_report_parse_since("7dd", 0, &t), -EINVAL);
}

static void test_report_format_parse(void **state)
{
	enum cyl_report_format f;

	assert_int_equal(cyl_report_format_parse("md", &f), 0);
	assert_int_equal(f, CYL_REPORT_MD);
	assert_int_equal(cyl_report_format_parse("html", &f), 0);
	assert_int_equal(f, CYL_REPORT_HTML);
	assert_int_equal(cyl_report_format_parse("json", &f), 0);
	assert_int_equal(f, CYL_REPORT_JSON);
	assert_int_equal(cyl_report_format_parse("pdf", &f), -EINVAL);
}

/* --- the model, through the JSON --- */

static void test_report_unacceptable_first_then_by_count(void **state)
{
	static const char *const order[] = {
		"R-HOSTILE", "R-ALARP-MANY", "R-ALARP-FEW", "R-OK",
	};
	json_t *top, *e;
	size_t i;

	month(*state);
	top = render_json(*state);
	assert_int_equal(json_array_size(json_object_get(top, "entries")), 4);
	json_array_foreach(json_object_get(top, "entries"), i, e)
		assert_string_equal(jstr(e, "id"), order[i]);
	e = entry(top, "R-HOSTILE", NULL);
	assert_string_equal(jstr(json_object_get(e, "residual"), "acceptability"), "unacceptable");
	e = entry(top, "R-OK", NULL);
	assert_string_equal(jstr(json_object_get(e, "initial"), "acceptability"), "alarp");
	assert_string_equal(jstr(json_object_get(e, "residual"), "acceptability"), "acceptable");
}

static void test_report_ties_keep_register_order(void **state)
{
	struct fixture *f = *state;
	size_t few, many;
	json_t *top;

	add(f, T_MAY1, "usb_device", NULL, "R-ALARP-FEW");
	add(f, T_MAY1, "write_refused", NULL, "R-ALARP-MANY");
	top = render_json(f);
	entry(top, "R-ALARP-FEW", &few);
	entry(top, "R-ALARP-MANY", &many);
	assert_true(few < many);
}

static void test_report_counts_and_rates(void **state)
{
	struct fixture *f = *state;
	json_t *top, *e, *w;
	double years;

	month(f);
	top = render_json(f);
	w = json_object_get(top, "window");
	/* From the first event (May 1, 01:00) to the head (May 31). */
	assert_string_equal(jstr(w, "start"), "2025-05-01T01:00:00Z");
	assert_string_equal(jstr(w, "end"), "2025-05-31T00:00:00Z");
	assert_int_equal(jint(w, "seconds"), 30 * DAY - 3600);
	assert_true(json_is_null(json_object_get(w, "since")));
	assert_int_equal(jint(w, "events"), 9);
	years = (30.0 * DAY - 3600) / 31557600.0;

	e = entry(top, "R-ALARP-MANY", NULL);
	assert_int_equal(jint(e, "count"), 5);
	assert_string_equal(jstr(e, "first_seen"), "2025-05-03T00:00:00Z");
	assert_string_equal(jstr(e, "last_seen"), "2025-05-07T00:00:00Z");
	assert_true(fabs(json_real_value(json_object_get(e, "observed_per_year")) - 5 / years) < 0.01);
	assert_true(json_real_value(json_object_get(e, "expected_per_year")) == 0.01);
	/* 61/year is above "frequent" (10). */
	assert_string_equal(jstr(e, "observed_level"), "above frequent");

	e = entry(top, "R-OK", NULL);
	assert_int_equal(jint(e, "count"), 1);
	/* 12.2/year: above frequent as well; expected: p1 probable's bound. */
	assert_true(json_real_value(json_object_get(e, "expected_per_year")) == 1);

	e = entry(top, "R-ALARP-FEW", NULL);
	assert_int_equal(jint(e, "count"), 2);
	assert_string_equal(jstr(e, "initial_p1"), "occasional");
}

static void test_report_no_evidence_reads_zero(void **state)
{
	json_t *top, *e;

	add(*state, T_MAY1, "bad_frame", NULL, "R-OK");
	top = render_json(*state);
	e = entry(top, "R-HOSTILE", NULL);
	assert_int_equal(jint(e, "count"), 0);
	assert_true(json_is_null(json_object_get(e, "first_seen")));
	assert_true(json_is_null(json_object_get(e, "observed_level")));
	assert_true(json_real_value(json_object_get(e, "observed_per_year")) == 0);
	assert_false(json_is_true(json_object_get(e, "review")));
}

static void test_report_review_flag(void **state)
{
	json_t *top;

	month(*state);
	top = render_json(*state);
	/* 5 against 0.01 x 30/365 expected: beyond chance. */
	assert_true(json_is_true(json_object_get(entry(top, "R-ALARP-MANY", NULL), "review")));
	/* 2 against 0.1/year: within (needs at least 3 over). */
	assert_false(json_is_true(json_object_get(entry(top, "R-ALARP-FEW", NULL), "review")));
	assert_false(json_is_true(json_object_get(entry(top, "R-OK", NULL), "review")));
	/* The Markdown's frequency row says so. */
	assert_true(line_has(render(*state, CYL_REPORT_MD), "| R-ALARP-MANY | 5 | ", "**REVIEW**"));
	assert_true(line_has((*(struct fixture **)state)->out.p, "| R-ALARP-FEW | 2 | ", "| no |"));
}

static void test_report_devices_grouped_with_worst_residual(void **state)
{
	struct fixture *f = *state;
	json_t *top, *d, *a;

	add(f, T_MAY1, "write_refused", "pump", "R-ALARP-MANY");
	add(f, T_MAY1 + 60, "write_refused", "pump", "R-ALARP-MANY");
	add(f, T_MAY1 + 120, "bad_frame", "pump", "R-OK");
	add(f, T_MAY1 + 180, "bad_frame", "monitor", "R-OK");
	add(f, T_MAY1 + 240, "control_denied", NULL, "R-HOSTILE");
	/* A USB device: its port names it. */
	add_raw(f, "{\"time\":\"2025-05-02T00:00:00Z\",\"type\":\"usb_device\",\"device\":null,"
		"\"verdict\":\"deny\",\"target\":\"block\",\"usb\":{\"port\":\"1-2\"},"
		"\"risk_entry\":\"R-ALARP-FEW\"}");
	top = render_json(f);
	a = json_object_get(top, "devices");
	assert_int_equal(json_array_size(a), 4);
	/* Worst residual first: the gateway's U, then the R ones by events. */
	d = json_array_get(a, 0);
	assert_string_equal(jstr(d, "device"), "gateway");
	assert_string_equal(jstr(d, "worst_residual"), "unacceptable");
	d = json_array_get(a, 1);
	assert_string_equal(jstr(d, "device"), "pump");
	assert_int_equal(jint(d, "events"), 3);
	assert_string_equal(jstr(d, "worst_residual"), "alarp");
	assert_string_equal(jstr(d, "worst_entry"), "R-ALARP-MANY");
	assert_int_equal(json_array_size(json_object_get(d, "entries")), 2);
	assert_string_equal(jstr(json_array_get(json_object_get(d, "entries"), 1), "id"), "R-OK");
	assert_int_equal(jint(json_array_get(json_object_get(d, "entries"), 1), "count"), 1);
	d = json_array_get(a, 2);
	assert_string_equal(jstr(d, "device"), "usb:1-2");
	assert_string_equal(jstr(d, "worst_entry"), "R-ALARP-FEW");
	d = json_array_get(a, 3);
	assert_string_equal(jstr(d, "device"), "monitor");
	assert_string_equal(jstr(d, "worst_residual"), "acceptable");
	/* And per entry, the devices. */
	a = json_object_get(entry(top, "R-OK", NULL), "devices");
	assert_int_equal(json_array_size(a), 2);
}

static void test_report_since_filters_and_opens_the_window(void **state)
{
	struct fixture *f = *state;
	json_t *top, *nc;

	f->src.has_since = true;
	f->src.since = T_MAY31 - 24 * DAY;	/* May 7 */
	f->src.since_text = "24d";
	month(f);
	top = render_json(f);
	assert_string_equal(jstr(json_object_get(top, "window"), "since"), "24d");
	assert_string_equal(jstr(json_object_get(top, "window"), "start"), "2025-05-07T00:00:00Z");
	assert_int_equal(jint(json_object_get(top, "window"), "seconds"), 24 * DAY);
	/* May 1 (R-OK), May 3..6 (4 of R-ALARP-MANY) are before it. */
	nc = json_object_get(top, "not_counted");
	assert_int_equal(jint(nc, "before_window"), 5);
	assert_int_equal(jint(entry(top, "R-OK", NULL), "count"), 0);
	assert_int_equal(jint(entry(top, "R-ALARP-MANY", NULL), "count"), 1);
	assert_int_equal(jint(entry(top, "R-ALARP-FEW", NULL), "count"), 2);
	/* Fewer events, another order within ALARP. */
	assert_string_equal(jstr(json_array_get(json_object_get(top, "entries"), 1), "id"),
			    "R-ALARP-FEW");
	assert_non_null(strstr(render(f, CYL_REPORT_MD), "(24.0 days, since 24d)"));
	assert_non_null(strstr(f->out.p, "- 5 events before the window"));
}

static void test_report_counts_what_it_cannot_attribute(void **state)
{
	struct fixture *f = *state;
	json_t *top, *nc;

	add_raw(f, "not json");						/* 0 */
	add_raw(f, "[1,2]");						/* 1 */
	add_raw(f, "{\"type\":\"bad_frame\"}");				/* 2: no time */
	add_raw(f, "{\"time\":\"yesterday\",\"type\":\"bad_frame\"}");	/* 3 */
	add_raw(f, "{\"time\":\"2025-05-02T00:00:00Z\",\"risk_entry\":7}"); /* 4 */
	add(f, T_MAY1, "bad_frame", NULL, "R-GONE");			/* 5 */
	add(f, T_MAY1, "bad_frame", NULL, "R-GONE");
	add(f, T_MAY1, "bad_frame", NULL, "R-<b>");
	/* Without risk_entry: matched by the register, or not at all. */
	add_raw(f, "{\"time\":\"2025-05-02T00:00:00Z\",\"type\":\"bad_frame\"}");
	add_raw(f, "{\"time\":\"2025-05-02T00:00:00Z\",\"type\":\"tty_open\"}");
	top = render_json(f);
	nc = json_object_get(top, "not_counted");
	assert_int_equal(jint(nc, "unreadable"), 5);
	assert_int_equal(json_array_size(json_object_get(nc, "unreadable_entries")), 5);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(nc, "unreadable_entries"), 4)), 4);
	assert_int_equal(jint(nc, "unknown"), 3);
	assert_string_equal(jstr(json_array_get(json_object_get(nc, "unknown_ids"), 0), "id"), "R-GONE");
	assert_int_equal(jint(json_array_get(json_object_get(nc, "unknown_ids"), 0), "count"), 2);
	assert_int_equal(jint(nc, "unmatched"), 1);
	assert_int_equal(jint(entry(top, "R-OK", NULL), "count"), 1);
	render(f, CYL_REPORT_MD);
	assert_non_null(strstr(f->out.p, "- 5 entries are not an event (a JSON object with an "
			       "RFC 3339 \"time\"): entries 0, 1, 2, 3, 4\n"));
	assert_non_null(strstr(f->out.p, "- 3 events name entries the register does not have: "
			       "R-GONE (2), R-\\<b\\> (1)\n"));
	render(f, CYL_REPORT_HTML);
	assert_non_null(strstr(f->out.p, "R-&lt;b&gt;"));
}

static void test_report_unsigned_entries_are_named(void **state)
{
	struct fixture *f = *state;

	month(f);
	f->unsigned_n = 3;
	assert_int_equal(jint(json_object_get(render_json(f), "log"), "unsigned"), 3);
	assert_non_null(strstr(render(f, CYL_REPORT_MD),
			       "- Unsigned: 3 entries after this head are not signed yet and not "
			       "in this report"));
	assert_non_null(strstr(render(f, CYL_REPORT_HTML), "<b>3 entries after this head"));
}

/* --- the formats --- */

static void test_report_html_escapes_policy_and_log_text(void **state)
{
	struct fixture *f = *state;
	const char *html, *c;

	month(f);
	add(f, T_MAY1, "write_refused", "<img src=x onerror=alert(1)>", "R-ALARP-MANY");
	html = render(f, CYL_REPORT_HTML);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<b>claim"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
			       "&#39;it&#39;"));
	assert_non_null(strstr(html, "Tom &amp; Jerry&#39;s &lt;b&gt;claim&lt;/b&gt;"));
	assert_non_null(strstr(html, "&lt;img src=x onerror=alert(1)&gt;"));
	/* The heat map's tooltips too: the title is in one per placement. */
	assert_non_null(strstr(html, "<title>&lt;script&gt;"));
	/* Markdown: the same text inert, every < and > escaped. */
	render(f, CYL_REPORT_MD);
	for (c = f->out.p; (c = strpbrk(c, "<>")); c++)
		if (c[-1] != '\\')
			fail_msg("unescaped %c at offset %td", *c, c - f->out.p);
	assert_non_null(strstr(f->out.p, "\\<script\\>alert(\"x\")\\</script\\> \\& 'it'"));
	assert_non_null(strstr(f->out.p, "\\<img src=x onerror=alert(1)\\>"));
	/* JSON: as it was. */
	assert_string_equal(jstr(entry(render_json(f), "R-HOSTILE", NULL), "title"), HOSTILE_TITLE);
}

static void test_report_html_is_self_contained(void **state)
{
	struct fixture *f = *state;
	const char *html;

	month(f);
	html = render(f, CYL_REPORT_HTML);
	assert_non_null(strstr(html, "<!DOCTYPE html>"));
	assert_non_null(strstr(html, "</html>\n"));
	assert_non_null(strstr(html, "<style>"));
	assert_non_null(strstr(html, "<svg class=\"heatmap\""));
	assert_non_null(strstr(html, "default-src 'none'"));
	assert_null(strstr(html, "http://"));
	assert_null(strstr(html, "https://"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "@import"));
	/* One trend chart per entry with evidence. */
	assert_non_null(strstr(html, "<svg class=\"trend\""));
}

static void test_report_every_format_names_every_entry(void **state)
{
	static const char *const ids[] = { "R-OK", "R-ALARP-FEW", "R-ALARP-MANY", "R-HOSTILE" };
	static const enum cyl_report_format fmts[] = {
		CYL_REPORT_MD, CYL_REPORT_HTML, CYL_REPORT_JSON,
	};
	struct fixture *f = *state;
	size_t i, j;

	month(f);
	for (i = 0; i < 3; i++) {
		render(f, fmts[i]);
		for (j = 0; j < 4; j++)
			if (!strstr(f->out.p, ids[j]))
				fail_msg("format %zu does not name %s", i, ids[j]);
		/* The head it comes from: size and root. */
		assert_non_null(strstr(f->out.p, "0000000000000000000000000000000000000000000000000000000000000000"));
		assert_non_null(strstr(f->out.p, "2025-05-31T00:00:00Z"));
	}
	/* Markdown: the benefit-risk statements of R and U entries only. */
	render(f, CYL_REPORT_MD);
	assert_non_null(strstr(f->out.p, "### R-ALARP-FEW: ALARP, seldom seen\n\nResidual risk "
			       "alarp (critical, remote).\n\nFew outweighs.\n"));
	assert_null(strstr(f->out.p, "### R-OK"));
	assert_non_null(strstr(f->out.p, "Computed from signed head 3: tree size 9, signed "
			       "2025-05-31T00:00:00Z\n"));
}

static void test_report_json_has_the_documented_keys(void **state)
{
	static const char *const top_keys[] = {
		"format_version", "policy", "log", "window", "scales", "matrix",
		"entries", "devices", "not_counted",
	};
	static const char *const entry_keys[] = {
		"id", "title", "initial", "residual", "controls", "benefit_risk",
		"initial_p1", "count", "first_seen", "last_seen", "observed_per_year",
		"observed_level", "expected_per_year", "review", "devices", "trend",
	};
	json_t *top, *e, *head;
	size_t i;

	month(*state);
	top = render_json(*state);
	assert_int_equal(json_object_size(top), sizeof(top_keys) / sizeof(top_keys[0]));
	for (i = 0; i < sizeof(top_keys) / sizeof(top_keys[0]); i++)
		if (!json_object_get(top, top_keys[i]))
			fail_msg("no \"%s\"", top_keys[i]);
	assert_int_equal(jint(top, "format_version"), CYL_REPORT_JSON_VERSION);
	e = entry(top, "R-ALARP-FEW", NULL);
	assert_int_equal(json_object_size(e), sizeof(entry_keys) / sizeof(entry_keys[0]));
	for (i = 0; i < sizeof(entry_keys) / sizeof(entry_keys[0]); i++)
		if (!json_object_get(e, entry_keys[i]))
			fail_msg("entry: no \"%s\"", entry_keys[i]);
	head = json_object_get(json_object_get(top, "log"), "head");
	assert_int_equal(jint(head, "index"), 3);
	assert_int_equal(jint(head, "size"), 9);
	assert_int_equal(strlen(jstr(head, "root")), 64);
	assert_string_equal(jstr(head, "timestamp"), "2025-05-31T00:00:00Z");
	/* The matrix as the policy writes it: highest severity first. */
	assert_string_equal(json_string_value(json_array_get(json_array_get(
		json_object_get(top, "matrix"), 0), 0)), "R");
	assert_string_equal(json_string_value(json_array_get(json_array_get(
		json_object_get(top, "matrix"), 4), 0)), "A");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
		json_object_get(top, "scales"), "severity"), 4)), "catastrophic");
	/* R-ALARP-FEW on May 11 and 12: two days in its trend. */
	e = json_object_get(e, "trend");
	assert_int_equal(json_array_size(e), 2);
	assert_string_equal(jstr(json_array_get(e, 0), "day"), "2025-05-11");
	assert_int_equal(jint(json_array_get(e, 0), "count"), 1);
	assert_int_equal(jint(json_object_get(top, "window"), "bucket_days"), 1);
}

static void test_report_long_window_groups_days(void **state)
{
	struct fixture *f = *state;
	json_t *top, *t;

	f->src.has_since = true;
	f->src.since = T_MAY31 - 1000 * DAY;
	add(f, T_MAY31 - 999 * DAY, "bad_frame", NULL, "R-OK");
	add(f, T_MAY31 - DAY, "bad_frame", NULL, "R-OK");
	add(f, T_MAY31 - DAY + 60, "bad_frame", NULL, "R-OK");
	top = render_json(f);
	/* 1001 days in at most 366 buckets: 3 days each. */
	assert_int_equal(jint(json_object_get(top, "window"), "bucket_days"), 3);
	t = json_object_get(entry(top, "R-OK", NULL), "trend");
	assert_int_equal(json_array_size(t), 2);
	assert_int_equal(jint(json_array_get(t, 1), "count"), 2);
	assert_non_null(strstr(render(f, CYL_REPORT_MD), "A period is 3 days"));
	assert_non_null(strstr(render(f, CYL_REPORT_HTML), "A period is 3 days"));
}

static void test_report_without_events(void **state)
{
	struct fixture *f = *state;

	assert_non_null(strstr(render(f, CYL_REPORT_MD), "No events in the window."));
	assert_non_null(strstr(render(f, CYL_REPORT_HTML), "No events in the window."));
	assert_int_equal(jint(json_object_get(render_json(f), "window"), "events"), 0);
	assert_int_equal(json_array_size(json_object_get(f->json, "devices")), 0);
}

static void test_report_needs_a_register(void **state)
{
	struct cyl_risk_register none = { 0 };
	struct cyl_report_source src = { .policy = "p", .log = "l" };
	struct cyl_report *r;

	assert_int_equal(cyl_report_new(&none, &src, &r), -EINVAL);
	assert_null(r);
}

/* The heat map of the shipped policy: 25 cells in the colour of their letter. */
static void test_report_heat_map_of_the_shipped_matrix(void **state)
{
	/* Documentation/risk.md's matrix, catastrophic down to negligible. */
	static const char *const rows[] = { "RUUUU", "RRUUU", "ARRUU", "AARRU", "AAARR" };
	struct fixture *f = *state;
	struct cyl_policy shipped;
	struct cyl_policy_error err;
	unsigned int sev, p, cells = 0;
	const char *html, *c, *fill;
	char want[128];

	if (cyl_policy_load_file(SHIPPED_POLICY, &shipped, &err))
		fail_msg("%s", err.text);
	cyl_policy_free(&f->policy);
	f->policy = shipped;
	html = render(f, CYL_REPORT_HTML);
	for (c = html; (c = strstr(c, "<rect class=\"cell\"")); c++)
		cells++;
	assert_int_equal(cells, 25);
	for (sev = 0; sev < 5; sev++) {
		for (p = 0; p < 5; p++) {
			switch (rows[4 - sev][p]) {
			case 'A': fill = "#81c784"; break;
			case 'R': fill = "#ffd54f"; break;
			default: fill = "#e57373"; break;
			}
			snprintf(want, sizeof(want), "<rect class=\"cell\" data-severity=\"%u\" "
				 "data-probability=\"%u\" x=\"0\" y=\"0\" width=\"172\" "
				 "height=\"100\" fill=\"%s\"", sev, p, fill);
			if (!strstr(html, want))
				fail_msg("no %s", want);
		}
	}
	/* The axes carry the policy's scale names. */
	assert_non_null(strstr(html, "text-anchor=\"end\">catastrophic</text>"));
	assert_non_null(strstr(html, "text-anchor=\"middle\">frequent</text>"));
	/* R-USB-ROGUE: residual (bold) in critical x improbable, initial (grey) in critical x probable. */
	c = strstr(html, "data-severity=\"3\" data-probability=\"0\"");
	assert_non_null(c);
	assert_non_null(strstr(c, "class=\"res\" font-size=\"12\" font-weight=\"bold\" "
			       "fill=\"#000000\">R-USB-ROGUE<title>"));
	c = strstr(html, "data-severity=\"3\" data-probability=\"3\"");
	assert_non_null(strstr(c, "class=\"ini\" font-size=\"12\" fill=\"#4a4a4a\">R-USB-ROGUE<title>"));
	/* R-EXFIL is unchanged: once, marked. */
	assert_non_null(strstr(html, ">R-EXFIL =<title>"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_html_escapes_markup_and_controls),
		cmocka_unit_test(test_strbuf_md_escapes_markup_and_controls),
		cmocka_unit_test(test_strbuf_grows_and_formats),
		cmocka_unit_test(test_report_parse_time),
		cmocka_unit_test(test_report_parse_since),
		cmocka_unit_test(test_report_format_parse),
		cmocka_unit_test(test_report_needs_a_register),
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_report_unacceptable_first_then_by_count),
		T(test_report_ties_keep_register_order),
		T(test_report_counts_and_rates),
		T(test_report_no_evidence_reads_zero),
		T(test_report_review_flag),
		T(test_report_devices_grouped_with_worst_residual),
		T(test_report_since_filters_and_opens_the_window),
		T(test_report_counts_what_it_cannot_attribute),
		T(test_report_unsigned_entries_are_named),
		T(test_report_html_escapes_policy_and_log_text),
		T(test_report_html_is_self_contained),
		T(test_report_every_format_names_every_entry),
		T(test_report_json_has_the_documented_keys),
		T(test_report_long_window_groups_days),
		T(test_report_without_events),
		T(test_report_heat_map_of_the_shipped_matrix),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
