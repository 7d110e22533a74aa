// SPDX-License-Identifier: GPL-2.0
/*
 * The risk register: the shipped default policy's register and its
 * levels, events matched to entries, post-production monitoring, register
 * files, and every rejection with its exact file:line:col message.
 * Runs from the repository root (scripts/check's unit stage does).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "policy/policy.h"
#include "risk/register.h"

#define SHIPPED_POLICY	"etc/policy.yaml"

struct fixture {
	struct cyl_policy policy;
	struct cyl_policy_error err;
	char tmp[64];			/* a register file, removed after */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->tmp[0])
		unlink(f->tmp);
	cyl_policy_free(&f->policy);
	free(f);
	return 0;
}

static int parse(void **state, const char *yaml)
{
	struct fixture *f = *state;

	return cyl_policy_parse("policy.yaml", yaml, strlen(yaml), &f->policy,
				&f->err);
}

/* Parse @yaml, expect -EINVAL and exactly @text. */
static void assert_rejected(void **state, const char *yaml, const char *text)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state, yaml), -EINVAL);
	assert_string_equal(f->err.text, text);
	assert_false(f->policy.risk.set);
	assert_null(f->policy.risk.entries);
}

static const struct cyl_risk_register *shipped(void **state)
{
	struct fixture *f = *state;

	if (cyl_policy_load_file(SHIPPED_POLICY, &f->policy, &f->err))
		fail_msg("%s", f->err.text);
	assert_true(f->policy.risk.set);
	return &f->policy.risk;
}

static const struct cyl_risk_entry *entry(const struct cyl_risk_register *r,
					  const char *id)
{
	size_t i;

	for (i = 0; i < r->n_entries; i++) {
		if (!strcmp(r->entries[i].id, id))
			return &r->entries[i];
	}
	fail_msg("no entry %s", id);
	return NULL;
}

/* The events of Documentation/events.md, trimmed to what matching reads. */
static json_t *event(const char *text)
{
	json_error_t jerr;
	json_t *ev = json_loads(text, 0, &jerr);

	if (!ev)
		fail_msg("%s: %s", text, jerr.text);
	return ev;
}

static const char *matched(const struct cyl_risk_register *r, const char *text)
{
	json_t *ev = event(text);
	const struct cyl_risk_entry *e = cyl_risk_match(r, ev);

	json_decref(ev);
	return e ? e->id : NULL;
}


/* --- the shipped register --- */

static void test_risk_shipped_register_parsed(void **state)
{
	static const char *const ids[] = {
		"R-USB-ROGUE", "R-SERIAL-INJECT", "R-DATA-TAMPER", "R-VITALS-SPOOF",
		"R-EXFIL", "R-ROGUE-PROC", "R-UPDATE-UNSIGNED", "R-CRED-MISUSE",
		"R-SSI-REFUSED", "R-SSI-KEY-MISUSE",
	};
	const struct cyl_risk_register *r = shipped(state);
	size_t i;

	assert_null(r->path);
	assert_int_equal(r->n_entries, 10);
	for (i = 0; i < 10; i++) {
		const struct cyl_risk_entry *e = &r->entries[i];

		assert_string_equal(e->id, ids[i]);
		/* The 14971 / TIR57 chain is complete, with evidence. */
		assert_non_null(e->title);
		assert_non_null(e->sequence_of_events);
		assert_non_null(e->hazardous_situation);
		assert_non_null(e->harm);
		assert_true(e->has_cvss);
		assert_true(e->n_evidence >= 1);
		assert_true(e->controls != 0);
	}
	assert_string_equal(r->scales.severity[0], "negligible");
	assert_string_equal(r->scales.severity[4], "catastrophic");
	assert_string_equal(r->scales.probability[0], "improbable");
	assert_string_equal(r->scales.probability[4], "frequent");
	assert_true(r->scales.max_per_year[0] == 0.001);
	assert_true(r->scales.max_per_year[4] == 10);
	/* Row "catastrophic" of the file: R U U U U. */
	assert_int_equal(r->matrix[4][0], CYL_RISK_ALARP);
	assert_int_equal(r->matrix[4][1], CYL_RISK_UNACCEPTABLE);
	/* Row "negligible": A A A R R. */
	assert_int_equal(r->matrix[0][2], CYL_RISK_ACCEPTABLE);
	assert_int_equal(r->matrix[0][3], CYL_RISK_ALARP);
}

/* Levels as indexes: severity negligible..catastrophic, P improbable..frequent. */
static const struct {
	const char *id;
	unsigned int sev, p1, p2, p;
	enum cyl_risk_acceptability level;
	unsigned int rsev, rp1, rp2, rp;
	enum cyl_risk_acceptability rlevel;
	unsigned int cvss10;
	double expected;
} shipped_levels[] = {
	{ "R-USB-ROGUE", 3, 4, 3, 3, CYL_RISK_UNACCEPTABLE,
	  3, 1, 3, 0, CYL_RISK_ALARP, 76, 10 },
	{ "R-SERIAL-INJECT", 4, 2, 4, 2, CYL_RISK_UNACCEPTABLE,
	  4, 0, 4, 0, CYL_RISK_ALARP, 71, 0.1 },
	{ "R-DATA-TAMPER", 2, 4, 3, 3, CYL_RISK_UNACCEPTABLE,
	  2, 2, 2, 0, CYL_RISK_ACCEPTABLE, 52, 10 },
	{ "R-VITALS-SPOOF", 3, 2, 4, 2, CYL_RISK_UNACCEPTABLE,
	  3, 1, 4, 1, CYL_RISK_ALARP, 42, 0.1 },
	{ "R-EXFIL", 1, 3, 4, 3, CYL_RISK_ALARP,
	  1, 3, 4, 3, CYL_RISK_ALARP, 65, 1 },
	{ "R-ROGUE-PROC", 2, 3, 3, 2, CYL_RISK_ALARP,
	  2, 3, 2, 1, CYL_RISK_ALARP, 63, 1 },
	{ "R-UPDATE-UNSIGNED", 3, 2, 3, 1, CYL_RISK_ALARP,
	  3, 2, 3, 1, CYL_RISK_ALARP, 76, 0.1 },
	{ "R-CRED-MISUSE", 3, 3, 2, 1, CYL_RISK_ALARP,
	  3, 2, 2, 0, CYL_RISK_ALARP, 71, 1 },
	{ "R-SSI-REFUSED", 1, 4, 4, 4, CYL_RISK_UNACCEPTABLE,
	  1, 1, 4, 1, CYL_RISK_ACCEPTABLE, 62, 50 },
	{ "R-SSI-KEY-MISUSE", 1, 3, 4, 3, CYL_RISK_ALARP,
	  1, 3, 2, 1, CYL_RISK_ACCEPTABLE, 55, 3650 },
};

static void test_risk_shipped_levels_computed(void **state)
{
	const struct cyl_risk_register *r = shipped(state);
	size_t i;

	for (i = 0; i < sizeof(shipped_levels) / sizeof(shipped_levels[0]); i++) {
		const struct cyl_risk_entry *e = entry(r, shipped_levels[i].id);

		assert_int_equal(e->initial.severity, shipped_levels[i].sev);
		assert_int_equal(e->initial.p1, shipped_levels[i].p1);
		assert_int_equal(e->initial.p2, shipped_levels[i].p2);
		assert_int_equal(e->initial.probability, shipped_levels[i].p);
		assert_int_equal(e->initial.level, shipped_levels[i].level);
		assert_int_equal(e->residual.severity, shipped_levels[i].rsev);
		assert_int_equal(e->residual.p1, shipped_levels[i].rp1);
		assert_int_equal(e->residual.p2, shipped_levels[i].rp2);
		assert_int_equal(e->residual.probability, shipped_levels[i].rp);
		assert_int_equal(e->residual.level, shipped_levels[i].rlevel);
		assert_int_equal(e->cvss.score10, shipped_levels[i].cvss10);
		assert_true(e->expected_per_year == shipped_levels[i].expected);
		/* ALARP or worse after controls: a benefit-risk statement. */
		assert_int_equal(e->benefit_risk != NULL,
				 e->residual.level != CYL_RISK_ACCEPTABLE);
	}
}

static void test_risk_shipped_controls_named(void **state)
{
	const struct cyl_risk_register *r = shipped(state);

	assert_int_equal(entry(r, "R-USB-ROGUE")->controls,
			 1u << CYL_RISK_CTL_USB_AUTHORIZATION |
			 1u << CYL_RISK_CTL_AGENT_SELF_PROTECTION);
	assert_int_equal(entry(r, "R-SERIAL-INJECT")->controls,
			 1u << CYL_RISK_CTL_SERIAL_WRITE_ALLOWLIST |
			 1u << CYL_RISK_CTL_LSM_DEVICE_ACCESS);
	assert_string_equal(cyl_risk_control_name(CYL_RISK_CTL_MENDER_HOOKS),
			    "mender_hooks");
	assert_string_equal(cyl_risk_acceptability_name(CYL_RISK_ALARP), "alarp");
}


/* --- events to entries --- */

static void test_risk_usb_deny_event_evidences_rogue_usb(void **state)
{
	const struct cyl_risk_register *r = shipped(state);

	assert_string_equal(matched(r,
		"{\"seq\":12,\"type\":\"usb_device\",\"device\":null,"
		"\"verdict\":\"deny\",\"reason\":\"blocked by usb.rules[3]\","
		"\"target\":\"block\",\"risk\":\"rogue-usb-device\"}"),
		"R-USB-ROGUE");
	/* An allowed device is no evidence of anything. */
	assert_null(matched(r,
		"{\"type\":\"usb_device\",\"verdict\":\"allow\",\"target\":\"allow\"}"));
}

static void test_risk_write_refused_evidences_command_injection(void **state)
{
	const struct cyl_risk_register *r = shipped(state);

	assert_string_equal(matched(r,
		"{\"type\":\"write_refused\",\"device\":\"pump\",\"verdict\":\"deny\","
		"\"reason\":\"not_allowed\",\"len\":13}"), "R-SERIAL-INJECT");
}

static void test_risk_other_events_matched(void **state)
{
	const struct cyl_risk_register *r = shipped(state);

	assert_string_equal(matched(r,
		"{\"type\":\"bad_frame\",\"verdict\":\"audit\"}"), "R-DATA-TAMPER");
	assert_string_equal(matched(r,
		"{\"type\":\"record_gap\",\"verdict\":\"audit\"}"), "R-DATA-TAMPER");
	assert_string_equal(matched(r,
		"{\"type\":\"records_dropped\",\"verdict\":\"audit\"}"), "R-DATA-TAMPER");
	/* Audited opens are events, not evidence (every open is one). */
	assert_null(matched(r, "{\"type\":\"tty_open\",\"verdict\":\"audit\"}"));
	assert_string_equal(matched(r,
		"{\"type\":\"tty_open\",\"verdict\":\"deny\"}"), "R-ROGUE-PROC");
	assert_string_equal(matched(r,
		"{\"type\":\"control_denied\",\"verdict\":\"deny\"}"), "R-CRED-MISUSE");
	/* SSI access: every refusal, and every key issued (audit). */
	assert_string_equal(matched(r,
		"{\"type\":\"ssi_refuse\",\"verdict\":\"deny\","
		"\"ssi\":{\"result\":\"revoked\"}}"), "R-SSI-REFUSED");
	assert_string_equal(matched(r,
		"{\"type\":\"ssi_grant\",\"verdict\":\"allow\"}"), "R-SSI-KEY-MISUSE");
	assert_string_equal(matched(r,
		"{\"type\":\"anomaly_alert\",\"verdict\":\"audit\"}"), "R-VITALS-SPOOF");
	assert_string_equal(matched(r,
		"{\"type\":\"net_spoof\",\"verdict\":\"deny\"}"), "R-EXFIL");
	assert_string_equal(matched(r,
		"{\"type\":\"update_rejected\",\"verdict\":\"deny\"}"),
		"R-UPDATE-UNSIGNED");
	assert_string_equal(matched(r,
		"{\"type\":\"update_rollback\",\"verdict\":\"audit\"}"),
		"R-UPDATE-UNSIGNED");
	assert_string_equal(matched(r,
		"{\"type\":\"update_failure\",\"verdict\":\"deny\"}"),
		"R-UPDATE-UNSIGNED");
	/* A deferred update is the gate working, not evidence of a risk. */
	assert_null(matched(r, "{\"type\":\"update_deferred\",\"verdict\":\"audit\"}"));
	/* No entry: an allowed open, a policy load, no type, not an object. */
	assert_null(matched(r, "{\"type\":\"tty_open\",\"verdict\":\"allow\"}"));
	assert_null(matched(r, "{\"type\":\"policy_load\",\"verdict\":\"allow\"}"));
	assert_null(matched(r, "{\"verdict\":\"deny\"}"));
	assert_null(matched(r, "[\"write_refused\"]"));
	/* A verdict that is not a string does not match "deny". */
	assert_null(matched(r, "{\"type\":\"control_denied\",\"verdict\":1}"));
}

#define HEAD \
	"version: 1\n" \
	"risk:\n" \
	"  scales:\n" \
	"    severity: [negligible, minor, serious, critical, catastrophic]\n" \
	"    probability: [{name: improbable, max_per_year: 0.001}, {name: remote, max_per_year: 0.01}, {name: occasional, max_per_year: 0.1}, {name: probable, max_per_year: 1}, {name: frequent, max_per_year: 10}]\n" \
	"  matrix: [[R, U, U, U, U], [R, R, U, U, U], [A, R, R, U, U], [A, A, R, R, U], [A, A, A, R, R]]\n" \
	"  entries:\n"

/* An entry's id and texts: 9 lines. */
#define TEXTS(id) \
	"    - id: " id "\n" \
	"      title: t\n" \
	"      asset: a\n" \
	"      threat: th\n" \
	"      vulnerability: v\n" \
	"      hazard: h\n" \
	"      sequence_of_events: s\n" \
	"      hazardous_situation: hs\n" \
	"      harm: hm\n"
#define EST(sev, p1, p2) \
	"      severity: " sev "\n      p1: " p1 "\n      p2: " p2 "\n"
#define RES(sev, p1, p2) \
	"      residual_severity: " sev "\n      residual_p1: " p1 \
	"\n      residual_p2: " p2 "\n"
/* serious x improbable: acceptable as it is; 15 lines from line 8. */
#define ENTRY(id) TEXTS(id) EST("serious", "remote", "remote") \
	RES("serious", "remote", "remote")

static void test_risk_selector_fields_compared(void **state)
{
	struct fixture *f = *state;
	const struct cyl_risk_register *r = &f->policy.risk;

	assert_int_equal(parse(state, HEAD ENTRY("R-1")
		"      evidence:\n"
		"        - {type: usb_device, verdict: deny, target: reject, risk: rogue-usb-device}\n"
		ENTRY("R-2")
		"      evidence: [{type: usb_device}]\n"), 0);
	assert_string_equal(matched(r,
		"{\"type\":\"usb_device\",\"verdict\":\"deny\",\"target\":\"reject\","
		"\"risk\":\"rogue-usb-device\"}"), "R-1");
	/* Another target: the first entry's selector fails, the second's does not. */
	assert_string_equal(matched(r,
		"{\"type\":\"usb_device\",\"verdict\":\"deny\",\"target\":\"block\","
		"\"risk\":\"rogue-usb-device\"}"), "R-2");
	assert_string_equal(matched(r,
		"{\"type\":\"usb_device\",\"verdict\":\"deny\",\"target\":\"reject\"}"),
		"R-2");
	assert_string_equal(r->entries[0].evidence[0].target, "reject");
	assert_string_equal(r->entries[1].evidence[0].verdict, "");
}


/* --- post-production monitoring --- */

static void test_risk_observed_rate_flags_entry_above_estimate(void **state)
{
	const struct cyl_risk_register *r = shipped(state);
	const struct cyl_risk_entry *inj = entry(r, "R-SERIAL-INJECT");
	struct cyl_risk_observed o = { 0 };
	struct cyl_risk_rate rate;
	int i;

	/*
	 * Estimated occasional (at most 0.1 a year): one refusal in a year
	 * is above the estimate but chance explains it; five are not.
	 */
	cyl_risk_observe(&o, 1700000000);
	cyl_risk_observed_rate(r, inj, &o, CYL_RISK_SECONDS_PER_YEAR, &rate);
	assert_true(rate.observed_per_year == 1);
	assert_true(rate.expected_per_year == 0.1);
	assert_int_equal(rate.observed_level, 3);	/* probable */
	assert_false(rate.review);
	for (i = 1; i < 5; i++)
		cyl_risk_observe(&o, 1700000000 + i);
	cyl_risk_observed_rate(r, inj, &o, CYL_RISK_SECONDS_PER_YEAR, &rate);
	assert_true(rate.review);
	/* The first event seconds after start is no reason for review. */
	o.count = 1;
	cyl_risk_observed_rate(r, inj, &o, 20, &rate);
	assert_false(rate.review);
}

static void test_risk_observed_rate_within_estimate_not_flagged(void **state)
{
	const struct cyl_risk_register *r = shipped(state);
	const struct cyl_risk_entry *usb = entry(r, "R-USB-ROGUE");
	struct cyl_risk_observed o = { 0 };
	struct cyl_risk_rate rate;
	int i;

	/* Estimated frequent (at most 10 a year): 5 in two years. */
	for (i = 0; i < 5; i++)
		cyl_risk_observe(&o, 1700000000 + i * 86400);
	cyl_risk_observed_rate(r, usb, &o, 2 * CYL_RISK_SECONDS_PER_YEAR, &rate);
	assert_true(rate.observed_per_year == 2.5);
	assert_int_equal(rate.observed_level, 4);	/* frequent */
	assert_false(rate.review);
	/* 30 in a year: above the estimate and above the scale. */
	o.count = 30;
	cyl_risk_observed_rate(r, usb, &o, CYL_RISK_SECONDS_PER_YEAR, &rate);
	assert_int_equal(rate.observed_level, CYL_RISK_LEVELS);
	assert_true(rate.review);
	/* Nothing seen: rate 0, lowest level, no review. */
	memset(&o, 0, sizeof(o));
	cyl_risk_observed_rate(r, usb, &o, 0, &rate);
	assert_true(rate.observed_per_year == 0);
	assert_int_equal(rate.observed_level, 0);
	assert_false(rate.review);
}

static void test_risk_explicit_expected_used(void **state)
{
	const struct cyl_risk_register *r = shipped(state);
	struct cyl_risk_entry proc = *entry(r, "R-ROGUE-PROC");
	struct cyl_risk_observed o = { .count = 3000 };
	struct cyl_risk_rate rate;

	/* "expected: 3650" (ten a day): 3000 in a year is within it. */
	proc.expected_per_year = 3650;
	proc.expected_set = true;
	cyl_risk_observed_rate(r, &proc, &o, CYL_RISK_SECONDS_PER_YEAR, &rate);
	assert_true(rate.expected_per_year == 3650);
	assert_false(rate.review);
	/* 3900: above 3650 by more than three standard deviations (181). */
	o.count = 3900;
	cyl_risk_observed_rate(r, &proc, &o, CYL_RISK_SECONDS_PER_YEAR, &rate);
	assert_true(rate.review);
}

static void test_risk_observe_keeps_first_and_last(void **state)
{
	struct cyl_risk_observed o = { 0 };

	cyl_risk_observe(&o, 200);
	cyl_risk_observe(&o, 100);	/* out of order: an older log line */
	cyl_risk_observe(&o, 300);
	assert_int_equal(o.count, 3);
	assert_int_equal(o.first_seen, 100);
	assert_int_equal(o.last_seen, 300);
}

static void test_risk_combine_is_decade_product(void **state)
{
	/* P2 frequent keeps P1; each level lower takes a decade off. */
	assert_int_equal(cyl_risk_combine(4, 4), 4);
	assert_int_equal(cyl_risk_combine(4, 3), 3);
	assert_int_equal(cyl_risk_combine(3, 2), 1);
	assert_int_equal(cyl_risk_combine(2, 2), 0);
	assert_int_equal(cyl_risk_combine(0, 4), 0);
	assert_int_equal(cyl_risk_combine(4, 0), 0);
}


/* --- shapes accepted --- */

static void test_risk_policy_without_section_has_no_register(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state, "version: 1\n"), 0);
	assert_false(f->policy.risk.set);
	assert_int_equal(f->policy.risk.n_entries, 0);
	assert_null(cyl_risk_match(&f->policy.risk, NULL));
}

static void test_risk_section_without_entries_accepted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state, HEAD "    []\n"), 0);
	assert_true(f->policy.risk.set);
	assert_int_equal(f->policy.risk.n_entries, 0);
}

static void test_risk_optional_keys_parsed(void **state)
{
	struct fixture *f = *state;
	const struct cyl_risk_entry *e;

	assert_int_equal(parse(state, HEAD TEXTS("R-OPT")
		EST("critical", "probable", "probable")
		"      exploitability: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'\n"
		"      controls: [record_sealing, mender_hooks]\n"
		RES("serious", "remote", "probable")
		"      benefit_risk: |\n"
		"        Two lines\n"
		"        of it.\n"
		"      evidence: [{type: bad_frame}]\n"
		"      expected: 0.5\n"), 0);
	e = &f->policy.risk.entries[0];
	assert_int_equal(e->line, 8);
	assert_int_equal(e->cvss.score10, 98);
	assert_int_equal(e->initial.probability, 2);
	assert_int_equal(e->initial.level, CYL_RISK_UNACCEPTABLE);
	assert_int_equal(e->residual.probability, 0);
	assert_int_equal(e->residual.level, CYL_RISK_ACCEPTABLE);
	/* Given although not required: kept. */
	assert_string_equal(e->benefit_risk, "Two lines\nof it.\n");
	assert_true(e->expected_set);
	assert_true(e->expected_per_year == 0.5);
}


/* --- register files --- */

static const char *write_tmp(void **state, const char *text)
{
	struct fixture *f = *state;
	int fd;

	strcpy(f->tmp, "/tmp/test_risk_register.XXXXXX");
	fd = mkstemp(f->tmp);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return f->tmp;
}

#define HEAD_FILE(path) \
	"version: 1\n" \
	"risk:\n" \
	"  scales:\n" \
	"    severity: [negligible, minor, serious, critical, catastrophic]\n" \
	"    probability: [{name: improbable, max_per_year: 0.001}, {name: remote, max_per_year: 0.01}, {name: occasional, max_per_year: 0.1}, {name: probable, max_per_year: 1}, {name: frequent, max_per_year: 10}]\n" \
	"  matrix: [[R, U, U, U, U], [R, R, U, U, U], [A, R, R, U, U], [A, A, R, R, U], [A, A, A, R, R]]\n" \
	"  register: " path "\n"

static void test_risk_register_file_loaded(void **state)
{
	struct fixture *f = *state;
	const char *path = write_tmp(state,
		"# the ward's register\n"
		"entries:\n"
		"  - id: R-FILE\n"
		"    title: t\n    asset: a\n    threat: th\n    vulnerability: v\n"
		"    hazard: h\n    sequence_of_events: s\n"
		"    hazardous_situation: hs\n    harm: hm\n"
		"    severity: serious\n    p1: remote\n    p2: remote\n"
		"    residual_severity: serious\n    residual_p1: remote\n"
		"    residual_p2: remote\n"
		"    evidence: [{type: write_refused}]\n");

	assert_int_equal(parse(state, HEAD_FILE("/etc/cylcomed/risk-register.yaml")), 0);
	assert_string_equal(f->policy.risk.path, "/etc/cylcomed/risk-register.yaml");
	assert_int_equal(f->policy.risk.n_entries, 0);
	assert_int_equal(cyl_risk_register_load_file(&f->policy.risk, path, &f->err), 0);
	assert_int_equal(f->policy.risk.n_entries, 1);
	assert_string_equal(f->policy.risk.entries[0].id, "R-FILE");
	assert_int_equal(f->policy.risk.entries[0].line, 3);
	assert_string_equal(matched(&f->policy.risk, "{\"type\":\"write_refused\"}"),
			    "R-FILE");
	/* Once is enough. */
	assert_int_equal(cyl_risk_register_load_file(&f->policy.risk, path, &f->err),
			 -EINVAL);
	assert_int_equal(f->policy.risk.n_entries, 1);
}

static void test_risk_register_file_errors_name_the_file(void **state)
{
	struct fixture *f = *state;
	const char *path = write_tmp(state,
		"entries:\n"
		"  - id: R-FILE\n"
		"    severity: serious\n");
	char want[256];

	assert_int_equal(parse(state, HEAD_FILE("/etc/cylcomed/risk.yaml")), 0);
	assert_int_equal(cyl_risk_register_load_file(&f->policy.risk, path, &f->err),
			 -EINVAL);
	snprintf(want, sizeof(want), "%s:2:5: entries[0]: missing key \"title\"", path);
	assert_string_equal(f->err.text, want);
	assert_int_equal(f->policy.risk.n_entries, 0);
	assert_null(f->policy.risk.entries);
	/* Scales and matrix stay for another try. */
	assert_string_equal(f->policy.risk.scales.severity[2], "serious");
}

static void test_risk_register_buffer_rejections(void **state)
{
	struct fixture *f = *state;
	struct cyl_risk_register none = { 0 };
	struct cyl_risk_register *r = &f->policy.risk;
	static const char two_docs[] = "entries: []\n---\nentries: []\n";

	assert_int_equal(parse(state, HEAD_FILE("/r.yaml")), 0);
	assert_int_equal(cyl_risk_register_load_buf(r, "r.yaml", "sections: []\n",
						    13, &f->err), -EINVAL);
	assert_string_equal(f->err.text, "r.yaml:1:1: unknown top-level key "
			    "\"sections\": a register file holds \"entries\" only");
	assert_int_equal(cyl_risk_register_load_buf(r, "r.yaml", "# none\n", 7,
						    &f->err), -EINVAL);
	assert_string_equal(f->err.text, "r.yaml: register is empty");
	assert_int_equal(cyl_risk_register_load_buf(r, "r.yaml", "[]\n", 3,
						    &f->err), -EINVAL);
	assert_string_equal(f->err.text,
			    "r.yaml:1:1: expected a mapping at the top level, got a sequence");
	assert_int_equal(cyl_risk_register_load_buf(r, "r.yaml", "{}\n", 3,
						    &f->err), -EINVAL);
	assert_string_equal(f->err.text, "r.yaml:1:1: missing key \"entries\"");
	assert_int_equal(cyl_risk_register_load_buf(r, "r.yaml", two_docs,
						    sizeof(two_docs) - 1, &f->err),
			 -EINVAL);
	assert_string_equal(f->err.text,
			    "r.yaml:3:1: only one YAML document is allowed");
	assert_int_equal(cyl_risk_register_load_buf(&none, "r.yaml", "entries: []\n",
						    12, &f->err), -EINVAL);
	assert_string_equal(f->err.text,
			    "r.yaml: no risk section to load entries into");
	assert_int_equal(cyl_risk_register_load_file(r, "/nonexistent/r.yaml",
						     &f->err), -ENOENT);
	assert_string_equal(f->err.text, "/nonexistent/r.yaml: cannot read: "
			    "No such file or directory");
}


/* --- rejections --- */

static void test_risk_unknown_key_rejected(void **state)
{
	assert_rejected(state, HEAD "    []\n  review: yearly\n",
		"policy.yaml:9:3: risk: unknown key \"review\"");
	assert_rejected(state, HEAD ENTRY("R-1") "      owner: biomed\n",
		"policy.yaml:23:7: risk.entries[0]: unknown key \"owner\"");
	assert_rejected(state, HEAD ENTRY("R-1")
		"      evidence: [{type: bad_frame, device: pump}]\n",
		"policy.yaml:23:36: risk.entries[0].evidence[0]: unknown key \"device\"");
}

static void test_risk_missing_keys_rejected(void **state)
{
	assert_rejected(state, "version: 1\nrisk: {matrix: []}\n",
		"policy.yaml:2:7: risk: missing key \"scales\"");
	assert_rejected(state, HEAD TEXTS("R-1") EST("serious", "remote", "remote"),
		"policy.yaml:8:7: risk.entries[0]: missing key \"residual_severity\"");
	assert_rejected(state, HEAD "    - id: R-1\n      title: t\n",
		"policy.yaml:8:7: risk.entries[0]: missing key \"asset\"");
	assert_rejected(state, HEAD ENTRY("R-1") "      evidence: [{verdict: deny}]\n",
		"policy.yaml:23:18: risk.entries[0].evidence[0]: missing key \"type\"");
}

/* Scales and matrix as in HEAD, for tests that change one of them. */
#define SEVERITY \
	"    severity: [negligible, minor, serious, critical, catastrophic]\n"
#define PROBABILITY \
	"    probability: [{name: improbable, max_per_year: 0.001}, {name: remote, max_per_year: 0.01}, {name: occasional, max_per_year: 0.1}, {name: probable, max_per_year: 1}, {name: frequent, max_per_year: 10}]\n"
#define MATRIX \
	"  matrix: [[R, U, U, U, U], [R, R, U, U, U], [A, R, R, U, U], [A, A, R, R, U], [A, A, A, R, R]]\n"

static void test_risk_bad_scale_name_rejected(void **state)
{
	assert_rejected(state, "version: 1\nrisk:\n  scales:\n"
		"    severity: [negligible, minor, Serious, critical, catastrophic]\n"
		PROBABILITY MATRIX,
		"policy.yaml:4:35: risk.scales.severity[2]: expected a level name "
		"[a-z0-9_-]{1,32}, got \"Serious\"");
	assert_rejected(state, "version: 1\nrisk:\n  scales:\n"
		"    severity: [negligible, minor, serious, critical]\n"
		PROBABILITY MATRIX,
		"policy.yaml:4:15: risk.scales.severity: expected 5 levels, "
		"lowest first, got 4");
	assert_rejected(state, "version: 1\nrisk:\n  scales:\n"
		"    severity: [negligible, minor, serious, minor, catastrophic]\n"
		PROBABILITY MATRIX,
		"policy.yaml:4:44: risk.scales.severity[3]: \"minor\" names two levels");
	assert_rejected(state, "version: 1\nrisk:\n  scales:\n" SEVERITY
		"    probability: [{name: improbable, max_per_year: 0.001}]\n"
		"  matrix: []\n",
		"policy.yaml:5:18: risk.scales.probability: expected 5 levels, "
		"lowest first, got 1");
}

static void test_risk_entry_level_not_on_scale_rejected(void **state)
{
	assert_rejected(state, HEAD TEXTS("R-1") EST("severe", "remote", "remote")
		RES("serious", "remote", "remote"),
		"policy.yaml:17:17: risk.entries[0].severity: expected negligible, "
		"minor, serious, critical or catastrophic, got \"severe\"");
	assert_rejected(state, HEAD TEXTS("R-1") EST("serious", "remote", "likely")
		RES("serious", "remote", "remote"),
		"policy.yaml:19:11: risk.entries[0].p2: expected improbable, remote, "
		"occasional, probable or frequent, got \"likely\"");
}

static void test_risk_probability_bounds_not_decades_rejected(void **state)
{
	assert_rejected(state, "version: 1\nrisk:\n  scales:\n" SEVERITY
		"    probability:\n"
		"      - {name: improbable, max_per_year: 0.001}\n"
		"      - {name: remote, max_per_year: 0.01}\n"
		"      - {name: occasional, max_per_year: 0.1}\n"
		"      - {name: probable, max_per_year: 5}\n"
		"      - {name: frequent, max_per_year: 50}\n"
		MATRIX,
		"policy.yaml:9:40: risk.scales.probability[3].max_per_year: 5 is not "
		"ten times 0.1, the bound of the level below: each level is one decade");
	assert_rejected(state, "version: 1\nrisk:\n  scales:\n" SEVERITY
		"    probability:\n"
		"      - {name: improbable, max_per_year: -1}\n"
		"      - {name: remote, max_per_year: 0.01}\n"
		"      - {name: occasional, max_per_year: 0.1}\n"
		"      - {name: probable, max_per_year: 1}\n"
		"      - {name: frequent, max_per_year: 10}\n"
		MATRIX,
		"policy.yaml:6:42: risk.scales.probability[0].max_per_year: expected "
		"events per year, a decimal above 0 and at most 1000000 such as 0.1 "
		"or 12, got \"-1\"");
}

static void test_risk_matrix_not_5x5_rejected(void **state)
{
	assert_rejected(state, "version: 1\nrisk:\n  scales:\n" SEVERITY PROBABILITY,
		"policy.yaml:3:3: risk: missing key \"matrix\"");
	assert_rejected(state, "version: 1\nrisk:\n  scales:\n"
		"    severity: [negligible, minor, serious, critical, catastrophic]\n"
		"    probability: [{name: improbable, max_per_year: 0.001}, {name: remote, max_per_year: 0.01}, {name: occasional, max_per_year: 0.1}, {name: probable, max_per_year: 1}, {name: frequent, max_per_year: 10}]\n"
		"  matrix: [[R, U, U, U, U], [R, R, U, U, U], [A, R, R, U, U], [A, A, R, R, U]]\n",
		"policy.yaml:6:11: risk.matrix: expected 5 rows, one per severity "
		"from catastrophic down to negligible, got 4");
	assert_rejected(state, "version: 1\nrisk:\n  scales:\n"
		"    severity: [negligible, minor, serious, critical, catastrophic]\n"
		"    probability: [{name: improbable, max_per_year: 0.001}, {name: remote, max_per_year: 0.01}, {name: occasional, max_per_year: 0.1}, {name: probable, max_per_year: 1}, {name: frequent, max_per_year: 10}]\n"
		"  matrix:\n"
		"    - [R, U, U, U, U]\n"
		"    - [R, R, U, U, U, U]\n"
		"    - [A, R, R, U, U]\n"
		"    - [A, A, R, R, U]\n"
		"    - [A, A, A, R, R]\n",
		"policy.yaml:8:7: risk.matrix[1]: expected 5 cells, one per "
		"probability from improbable to frequent, got 6");
}

static void test_risk_matrix_bad_cell_rejected(void **state)
{
	assert_rejected(state, "version: 1\nrisk:\n  scales:\n"
		"    severity: [negligible, minor, serious, critical, catastrophic]\n"
		"    probability: [{name: improbable, max_per_year: 0.001}, {name: remote, max_per_year: 0.01}, {name: occasional, max_per_year: 0.1}, {name: probable, max_per_year: 1}, {name: frequent, max_per_year: 10}]\n"
		"  matrix:\n"
		"    - [R, U, U, U, U]\n"
		"    - [R, R, X, U, U]\n"
		"    - [A, R, R, U, U]\n"
		"    - [A, A, R, R, U]\n"
		"    - [A, A, A, R, R]\n",
		"policy.yaml:8:14: risk.matrix[1][2]: expected A (acceptable), "
		"R (ALARP) or U (unacceptable), got \"X\"");
}

static void test_risk_matrix_improving_with_risk_rejected(void **state)
{
	static const char head[] = "version: 1\nrisk:\n  scales:\n"
		"    severity: [negligible, minor, serious, critical, catastrophic]\n"
		"    probability: [{name: improbable, max_per_year: 0.001}, {name: remote, max_per_year: 0.01}, {name: occasional, max_per_year: 0.1}, {name: probable, max_per_year: 1}, {name: frequent, max_per_year: 10}]\n"
		"  matrix:\n";
	char yaml[1024];

	snprintf(yaml, sizeof(yaml), "%s%s", head,
		 "    - [R, U, U, U, U]\n"
		 "    - [R, R, U, A, U]\n"
		 "    - [A, R, R, U, U]\n"
		 "    - [A, A, R, R, U]\n"
		 "    - [A, A, A, R, R]\n");
	assert_rejected(state, yaml,
		"policy.yaml:8:17: risk.matrix[1][3]: A is more acceptable than U "
		"to its left: acceptability may not improve as probability rises");
	snprintf(yaml, sizeof(yaml), "%s%s", head,
		 "    - [R, U, U, U, U]\n"
		 "    - [A, R, U, U, U]\n"
		 "    - [R, R, R, U, U]\n"
		 "    - [A, A, R, R, U]\n"
		 "    - [A, A, A, R, R]\n");
	assert_rejected(state, yaml,
		"policy.yaml:8:8: risk.matrix[1][0]: A is more acceptable than R "
		"below it: acceptability may not improve as severity rises");
}

static void test_risk_duplicate_id_rejected(void **state)
{
	assert_rejected(state, HEAD ENTRY("R-1") ENTRY("R-1"),
		"policy.yaml:23:11: risk.entries[1].id: duplicate id \"R-1\" "
		"(first on line 8)");
	assert_rejected(state, HEAD ENTRY("r-1"),
		"policy.yaml:8:11: risk.entries[0].id: expected an id "
		"[A-Z0-9-]{1,32}, got \"r-1\"");
}

static void test_risk_unknown_control_rejected(void **state)
{
	assert_rejected(state, HEAD ENTRY("R-1")
		"      controls: [usb_authorization, firewall]\n",
		"policy.yaml:23:37: risk.entries[0].controls[1]: expected a cylcomed "
		"control (usb_authorization, serial_write_allowlist, serial_framing, "
		"record_sealing, lsm_device_access, exec_allowlist, "
		"agent_self_protection, network_default_deny, wireguard, ssi_access, "
		"abe_exports, anomaly_detection or mender_hooks), got \"firewall\"");
	assert_rejected(state, HEAD ENTRY("R-1")
		"      controls: [wireguard, wireguard]\n",
		"policy.yaml:23:29: risk.entries[0].controls[1]: wireguard listed twice");
}

static void test_risk_missing_benefit_risk_rejected(void **state)
{
	/* critical x improbable is ALARP. */
	assert_rejected(state, HEAD TEXTS("R-ALARP")
		EST("critical", "remote", "remote")
		RES("critical", "remote", "remote"),
		"policy.yaml:8:7: risk.entries[0]: entry \"R-ALARP\": residual risk "
		"is alarp (critical, improbable): benefit_risk is required");
	/* serious x probable is unacceptable. */
	assert_rejected(state, HEAD ENTRY("R-1") TEXTS("R-U")
		EST("serious", "frequent", "probable")
		RES("serious", "frequent", "probable"),
		"policy.yaml:23:7: risk.entries[1]: entry \"R-U\": residual risk is "
		"unacceptable (serious, probable): benefit_risk is required");
}

static void test_risk_bad_cvss_vector_names_metric(void **state)
{
	assert_rejected(state, HEAD ENTRY("R-1")
		"      exploitability: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:X/A:H\n",
		"policy.yaml:23:62: risk.entries[0].exploitability: I (Integrity): "
		"unknown value \"X\", expected H, L or N");
	assert_rejected(state, HEAD ENTRY("R-1")
		"      exploitability: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H\n",
		"policy.yaml:23:63: risk.entries[0].exploitability: missing A "
		"(Availability)");
	/* Folded: the position is the scalar's, with the byte in the text. */
	assert_rejected(state, HEAD ENTRY("R-1")
		"      exploitability: >-\n"
		"        CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F\n",
		"policy.yaml:23:23: risk.entries[0].exploitability: at byte 46 of "
		"the vector: E is not a base metric: give the base metrics only "
		"(AV, AC, PR, UI, S, C, I, A)");
}

static void test_risk_residual_above_initial_rejected(void **state)
{
	assert_rejected(state, HEAD TEXTS("R-1") EST("serious", "remote", "remote")
		"      controls: [serial_framing]\n"
		RES("serious", "occasional", "remote"),
		"policy.yaml:22:20: risk.entries[0].residual_p1: occasional is above "
		"p1 remote: controls lower a risk; one they bring is an entry of its own");
	assert_rejected(state, HEAD TEXTS("R-1") EST("serious", "remote", "remote")
		RES("minor", "remote", "remote"),
		"policy.yaml:20:26: risk.entries[0].residual_severity: minor is below "
		"severity serious with no controls");
}

static void test_risk_register_and_entries_together_rejected(void **state)
{
	assert_rejected(state, HEAD_FILE("/etc/cylcomed/r.yaml") "  entries: []\n",
		"policy.yaml:8:3: risk: give one of \"register\" and \"entries\", "
		"not both");
	assert_rejected(state, HEAD_FILE("risk.yaml"),
		"policy.yaml:7:13: risk.register: expected the absolute path of a "
		"file, got \"risk.yaml\"");
}

static void test_risk_evidence_and_expected_rejections(void **state)
{
	assert_rejected(state, HEAD ENTRY("R-1") "      expected: 2\n",
		"policy.yaml:23:7: risk.entries[0].expected: only with evidence, "
		"the events it counts");
	assert_rejected(state, HEAD ENTRY("R-1")
		"      evidence: [{type: bad_frame}]\n"
		"      expected: 1e3\n",
		"policy.yaml:24:17: risk.entries[0].expected: expected events per "
		"year, a decimal above 0 and at most 1000000 such as 0.1 or 12, "
		"got \"1e3\"");
	assert_rejected(state, HEAD ENTRY("R-1")
		"      evidence: [{type: bad_frame, verdict: refuse}]\n",
		"policy.yaml:23:45: risk.entries[0].evidence[0].verdict: expected "
		"allow, audit or deny, got \"refuse\"");
	assert_rejected(state, HEAD ENTRY("R-1")
		"      evidence: [{type: Bad-Frame}]\n",
		"policy.yaml:23:25: risk.entries[0].evidence[0].type: expected an "
		"event type [a-z0-9_]{1,32}, got \"Bad-Frame\"");
}

static void test_risk_empty_text_rejected(void **state)
{
	assert_rejected(state, HEAD "    - id: R-1\n      title:\n",
		"policy.yaml:8:7: risk.entries[0]: missing key \"asset\"");
	assert_rejected(state, HEAD TEXTS("R-1") "      title: ''\n",
		"policy.yaml:17:7: risk.entries[0]: duplicate key \"title\"");
	assert_rejected(state,
		HEAD "    - {id: R-1, title: '', asset: a, threat: t, vulnerability: v, "
		"hazard: h, sequence_of_events: s, hazardous_situation: hs, harm: h, "
		"severity: minor, p1: remote, p2: remote, residual_severity: minor, "
		"residual_p1: remote, residual_p2: remote}\n",
		"policy.yaml:8:24: risk.entries[0].title: expected text of 1..2048 "
		"bytes without NUL, got \"\"");
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_risk_shipped_register_parsed),
		T(test_risk_shipped_levels_computed),
		T(test_risk_shipped_controls_named),
		T(test_risk_usb_deny_event_evidences_rogue_usb),
		T(test_risk_write_refused_evidences_command_injection),
		T(test_risk_other_events_matched),
		T(test_risk_selector_fields_compared),
		T(test_risk_observed_rate_flags_entry_above_estimate),
		T(test_risk_observed_rate_within_estimate_not_flagged),
		T(test_risk_explicit_expected_used),
		T(test_risk_observe_keeps_first_and_last),
		T(test_risk_combine_is_decade_product),
		T(test_risk_policy_without_section_has_no_register),
		T(test_risk_section_without_entries_accepted),
		T(test_risk_optional_keys_parsed),
		T(test_risk_register_file_loaded),
		T(test_risk_register_file_errors_name_the_file),
		T(test_risk_register_buffer_rejections),
		T(test_risk_unknown_key_rejected),
		T(test_risk_missing_keys_rejected),
		T(test_risk_bad_scale_name_rejected),
		T(test_risk_entry_level_not_on_scale_rejected),
		T(test_risk_probability_bounds_not_decades_rejected),
		T(test_risk_matrix_not_5x5_rejected),
		T(test_risk_matrix_bad_cell_rejected),
		T(test_risk_matrix_improving_with_risk_rejected),
		T(test_risk_duplicate_id_rejected),
		T(test_risk_unknown_control_rejected),
		T(test_risk_missing_benefit_risk_rejected),
		T(test_risk_bad_cvss_vector_names_metric),
		T(test_risk_residual_above_initial_rejected),
		T(test_risk_register_and_entries_together_rejected),
		T(test_risk_evidence_and_expected_rejections),
		T(test_risk_empty_text_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
