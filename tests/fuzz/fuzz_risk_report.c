// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for risk reports: arbitrary log entries through the
 * report builder, rendered in all three formats, against a fixed small
 * register whose texts are hostile.  An input is
 *   byte 0      flags: 1 --since, and bits 1..2 which: 1 day, 30 days or
 *               1000 days before the head, or a day after it
 *   the rest    the entries, separated by newlines (any other byte, NUL
 *               included, is part of an entry)
 * The head is signed 2025-05-31T00:00:00Z.  report.c, which parses the
 * entries, is included; the renderers, the escapers and the register
 * are built as translation units of their own (tests/fuzz/fuzz.mk).
 *
 * Besides memory errors and leaks it checks the report's promises: every
 * entry counted exactly once (as evidence or as not counted), JSON that
 * parses, HTML with no markup from the input, Markdown with every < and
 * > escaped.
 */
#include "risk/report.c"

#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

#define HEAD_S	1748649600LL

static const char policy_yaml[] =
	"version: 1\n"
	"risk:\n"
	"  scales:\n"
	"    severity: [negligible, minor, serious, critical, catastrophic]\n"
	"    probability: [{name: improbable, max_per_year: 0.001}, {name: remote, "
	"max_per_year: 0.01}, {name: occasional, max_per_year: 0.1}, {name: probable, "
	"max_per_year: 1}, {name: frequent, max_per_year: 10}]\n"
	"  matrix: [[R, U, U, U, U], [R, R, U, U, U], [A, R, R, U, U], [A, A, R, R, U], "
	"[A, A, A, R, R]]\n"
	"  entries:\n"
	"    - {id: R-USB, title: \"<i>USB</i> & 'x'\", asset: a, threat: t, vulnerability: v,\n"
	"       hazard: h, sequence_of_events: s, hazardous_situation: hs, harm: x,\n"
	"       severity: critical, p1: frequent, p2: probable, controls: [usb_authorization],\n"
	"       residual_severity: critical, residual_p1: remote, residual_p2: probable,\n"
	"       benefit_risk: \"<b>because</b>\", evidence: [{type: usb_device, verdict: deny}]}\n"
	"    - {id: R-WRITE, title: Writes, asset: a, threat: t, vulnerability: v,\n"
	"       hazard: h, sequence_of_events: s, hazardous_situation: hs, harm: x,\n"
	"       severity: minor, p1: probable, p2: probable, residual_severity: minor,\n"
	"       residual_p1: probable, residual_p2: probable, benefit_risk: ok,\n"
	"       evidence: [{type: write_refused}], expected: 0.01}\n"
	"    - {id: R-FRAME, title: Frames, asset: a, threat: t, vulnerability: v,\n"
	"       hazard: h, sequence_of_events: s, hazardous_situation: hs, harm: x,\n"
	"       severity: serious, p1: probable, p2: probable, controls: [serial_framing],\n"
	"       residual_severity: serious, residual_p1: improbable, residual_p2: probable,\n"
	"       evidence: [{type: bad_frame}]}\n";

static struct cyl_policy policy;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct cyl_policy_error err;

	if (cyl_policy_parse("fuzz.yaml", policy_yaml, sizeof(policy_yaml) - 1, &policy, &err)) {
		fprintf(stderr, "%s\n", err.text);
		return -1;
	}
	return 0;
}

static const int64_t since[4] = { 86400, 30 * 86400, 1000 * 86400, -86400 };

/* Every entry is evidence or counted apart, exactly once. */
static void check_counts(const struct cyl_report *r)
{
	if (r->n_ev + r->unreadable + r->unknown_total + r->unmatched + r->before != r->added)
		__builtin_trap();
}

static void check_json(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	if (!j || !json_is_array(json_object_get(j, "entries")) ||
	    json_array_size(json_object_get(j, "entries")) != policy.risk.n_entries)
		__builtin_trap();
	json_decref(j);
}

/* No tag but the template's: the input's own markup is always escaped. */
static void check_html(const char *text)
{
	static const char *const bad[] = { "<i>", "<b>because", "<script", "<img", "<a " };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strstr(text, bad[i]))
			__builtin_trap();
}

static void check_md(const char *text)
{
	const char *c;

	for (c = text; (c = strpbrk(c, "<>")); c++)
		if (c == text || c[-1] != '\\')
			__builtin_trap();
}

static void render(struct cyl_report *r, enum cyl_report_format f)
{
	struct cyl_strbuf b = { 0 };

	if (cyl_report_render(r, f, &b) || !b.p)
		__builtin_trap();
	if (f == CYL_REPORT_JSON)
		check_json(b.p);
	else if (f == CYL_REPORT_HTML)
		check_html(b.p);
	else
		check_md(b.p);
	cyl_strbuf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cyl_report_source src = {
		.policy = "fuzz.yaml", .log = "log",
		.head = { .index = 1, .ts_ns = (uint64_t)HEAD_S * 1000000000u },
	};
	const uint8_t *p, *end, *nl;
	struct cyl_report *r;
	uint64_t i = 0;

	if (!size)
		return 0;
	src.has_since = data[0] & 1;
	src.since = HEAD_S - since[(data[0] >> 1) & 3];
	for (p = data + 1, end = data + size; p < end; p = nl + 1, i++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
	}
	src.head.size = src.log_entries = i;
	if (cyl_report_new(&policy.risk, &src, &r))
		__builtin_trap();
	for (p = data + 1, i = 0; p < end; p = nl + 1, i++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (cyl_report_add(r, i, p, (size_t)(nl - p)))
			__builtin_trap();
	}
	render(r, CYL_REPORT_JSON);
	check_counts(r);
	render(r, CYL_REPORT_HTML);
	render(r, CYL_REPORT_MD);
	cyl_report_free(r);
	return 0;
}
