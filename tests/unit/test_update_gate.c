// SPDX-License-Identifier: GPL-2.0
/*
 * The safe-update gate's decision: artifact lists (globs, groups, device
 * types, absent and empty lists), sessions of critical devices and the
 * window's edge, and which wins.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mender/gate.h"
#include "policy/policy.h"

/* Two critical devices and one that is not, window 30 s. */
#define DEVICES \
	"version: 1\n" \
	"devices:\n" \
	"  - {name: pump, tty: /dev/ttyUSB0, critical: true}\n" \
	"  - {name: vent, tty: /dev/ttyUSB1, critical: true}\n" \
	"  - {name: printer, tty: /dev/ttyUSB2}\n"

#define LISTS \
	"mender:\n" \
	"  session_window_s: 30\n" \
	"  allowed_artifacts: ['gw-icu-[0-9]*', gw-lab]\n" \
	"  allowed_groups: [stable, pilot]\n" \
	"  allowed_device_types: [gw-x86]\n"

struct fixture {
	struct cyl_policy p;
	struct cyl_gate_decision d;
	int64_t age[3];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->age[0] = f->age[1] = f->age[2] = CYL_GATE_NO_RECORD;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cyl_policy_free(&f->p);
	free(f);
	return 0;
}

static struct fixture *load(void **state, const char *yaml)
{
	struct fixture *f = *state;
	struct cyl_policy_error err;

	if (cyl_policy_parse("policy.yaml", yaml, strlen(yaml), &f->p, &err))
		fail_msg("%s", err.text);
	return f;
}

static enum cyl_gate_verdict decide(struct fixture *f, const char *name,
				    const char *group, const char *type)
{
	struct cyl_gate_artifact a = { name, group, type };

	cyl_gate_decide(&f->p, f->age, &a, &f->d);
	return f->d.verdict;
}

static void test_gate_no_mender_section_proceeds(void **state)
{
	struct fixture *f = load(state, "version: 1\n");

	assert_int_equal(decide(f, "anything", "any", "any"), CYL_GATE_PROCEED);
	assert_string_equal(f->d.reason, "no critical device in a session and "
			    "the policy allows the update");
}

static void test_gate_artifact_glob_matches(void **state)
{
	struct fixture *f = load(state, DEVICES LISTS);

	assert_int_equal(decide(f, "gw-icu-2.4.1", "stable", "gw-x86"),
			 CYL_GATE_PROCEED);
	assert_int_equal(decide(f, "gw-lab", "pilot", "gw-x86"), CYL_GATE_PROCEED);
}

static void test_gate_artifact_not_matching_glob_rejected(void **state)
{
	struct fixture *f = load(state, DEVICES LISTS);

	assert_int_equal(decide(f, "gw-icu-beta", "stable", "gw-x86"),
			 CYL_GATE_REJECT);
	assert_string_equal(f->d.reason, "artifact name \"gw-icu-beta\" is not "
			    "in mender.allowed_artifacts");
	/* A glob matches the whole name, not a prefix. */
	assert_int_equal(decide(f, "gw-lab-2", NULL, NULL), CYL_GATE_REJECT);
}

static void test_gate_group_not_allowed_rejected(void **state)
{
	struct fixture *f = load(state, DEVICES LISTS);

	assert_int_equal(decide(f, "gw-lab", "nightly", "gw-x86"), CYL_GATE_REJECT);
	assert_string_equal(f->d.reason, "artifact group \"nightly\" is not in "
			    "mender.allowed_groups");
	/* Groups are names, not globs. */
	assert_int_equal(decide(f, "gw-lab", "stab*", NULL), CYL_GATE_REJECT);
}

static void test_gate_device_type_not_allowed_rejected(void **state)
{
	struct fixture *f = load(state, DEVICES LISTS);

	assert_int_equal(decide(f, "gw-lab", "stable", "gw-arm"), CYL_GATE_REJECT);
	assert_string_equal(f->d.reason, "device type \"gw-arm\" is not in "
			    "mender.allowed_device_types");
}

static void test_gate_unknown_artifact_info_not_checked(void **state)
{
	struct fixture *f = load(state, DEVICES LISTS);

	/* Download_Enter knows no name nor group yet. */
	assert_int_equal(decide(f, NULL, NULL, "gw-x86"), CYL_GATE_PROCEED);
	assert_int_equal(decide(f, NULL, NULL, NULL), CYL_GATE_PROCEED);
}

static void test_gate_empty_list_allows_nothing(void **state)
{
	struct fixture *f = load(state, "version: 1\nmender: {allowed_groups: []}\n");

	assert_int_equal(decide(f, "x", "stable", NULL), CYL_GATE_REJECT);
	assert_int_equal(decide(f, "x", NULL, NULL), CYL_GATE_PROCEED);
}

static void test_gate_critical_session_retries_naming_device(void **state)
{
	struct fixture *f = load(state, DEVICES LISTS);

	f->age[0] = 3400;
	assert_int_equal(decide(f, "gw-lab", "stable", "gw-x86"), CYL_GATE_RETRY);
	assert_string_equal(f->d.reason, "critical device in an active session "
			    "(window 30 s): pump (last record 3 s ago)");
}

static void test_gate_two_critical_sessions_both_named(void **state)
{
	struct fixture *f = load(state, DEVICES LISTS);

	f->age[0] = 0;
	f->age[1] = 12000;
	assert_int_equal(decide(f, NULL, NULL, NULL), CYL_GATE_RETRY);
	assert_string_equal(f->d.reason, "critical devices in an active session "
			    "(window 30 s): pump (last record 0 s ago), "
			    "vent (last record 12 s ago)");
}

static void test_gate_window_edge_inclusive(void **state)
{
	struct fixture *f = load(state, DEVICES LISTS);

	f->age[0] = 30000;	/* exactly the window: still in the session */
	assert_int_equal(decide(f, NULL, NULL, NULL), CYL_GATE_RETRY);
	f->age[0] = 30001;
	assert_int_equal(decide(f, NULL, NULL, NULL), CYL_GATE_PROCEED);
}

static void test_gate_default_window_60s(void **state)
{
	struct fixture *f = load(state, DEVICES);

	f->age[1] = 60000;
	assert_int_equal(decide(f, NULL, NULL, NULL), CYL_GATE_RETRY);
	f->age[1] = 60001;
	assert_int_equal(decide(f, NULL, NULL, NULL), CYL_GATE_PROCEED);
}

static void test_gate_non_critical_or_silent_device_ignored(void **state)
{
	struct fixture *f = load(state, DEVICES LISTS);

	f->age[2] = 0;		/* the printer is busy, but not critical */
	assert_int_equal(decide(f, NULL, NULL, NULL), CYL_GATE_PROCEED);
}

static void test_gate_rejection_wins_over_session(void **state)
{
	struct fixture *f = load(state, DEVICES LISTS);

	f->age[0] = 1000;
	assert_int_equal(decide(f, "evil", NULL, NULL), CYL_GATE_REJECT);
}

static void test_gate_verdict_names(void **state)
{
	assert_string_equal(cyl_gate_verdict_name(CYL_GATE_PROCEED), "proceed");
	assert_string_equal(cyl_gate_verdict_name(CYL_GATE_RETRY), "retry");
	assert_string_equal(cyl_gate_verdict_name(CYL_GATE_REJECT), "reject");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_gate_no_mender_section_proceeds),
		T(test_gate_artifact_glob_matches),
		T(test_gate_artifact_not_matching_glob_rejected),
		T(test_gate_group_not_allowed_rejected),
		T(test_gate_device_type_not_allowed_rejected),
		T(test_gate_unknown_artifact_info_not_checked),
		T(test_gate_empty_list_allows_nothing),
		T(test_gate_critical_session_retries_naming_device),
		T(test_gate_two_critical_sessions_both_named),
		T(test_gate_window_edge_inclusive),
		T(test_gate_default_window_60s),
		T(test_gate_non_critical_or_silent_device_ignored),
		T(test_gate_rejection_wins_over_session),
		T(test_gate_verdict_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
