// SPDX-License-Identifier: GPL-2.0
/*
 * Control protocol: request parsing with its exact errors, the command
 * table's credentials, and reply building and parsing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/ctlproto.h"

struct fixture {
	struct cyl_ctl_request req;
	json_t *reply;
	char *line;
	char err[256];
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

	cyl_ctl_request_free(&f->req);
	json_decref(f->reply);
	free(f->line);
	free(f);
	return 0;
}

static int parse(void **state, const char *buf)
{
	struct fixture *f = *state;

	return cyl_ctl_parse_request(buf, strlen(buf), &f->req, f->err,
				     sizeof(f->err));
}

static void assert_refused(void **state, const char *buf, int ret,
			   const char *err)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state, buf), ret);
	assert_string_equal(f->err, err);
	assert_null(f->req.obj);
	assert_null(f->req.desc);
}

static void test_ctlproto_status_request_parsed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state, "{\"cmd\":\"status\"}\n"), 0);
	assert_non_null(f->req.desc);
	assert_int_equal(f->req.desc->cmd, CYL_CTL_STATUS);
	assert_string_equal(f->req.desc->name, "status");
	assert_string_equal(f->err, "");
}

static void test_ctlproto_missing_newline_refused(void **state)
{
	assert_refused(state, "{\"cmd\":\"status\"}", -EBADMSG,
		       "request is not terminated by a newline");
}

static void test_ctlproto_data_after_newline_refused(void **state)
{
	assert_refused(state, "{\"cmd\":\"status\"}\n{}\n", -EBADMSG,
		       "unexpected data after the request line");
}

static void test_ctlproto_not_json_refused(void **state)
{
	assert_refused(state, "status\n", -EBADMSG,
		       "request is not JSON: invalid token near 'status'");
}

static void test_ctlproto_not_object_refused(void **state)
{
	assert_refused(state, "[\"status\"]\n", -EBADMSG,
		       "request is not a JSON object");
}

static void test_ctlproto_missing_cmd_refused(void **state)
{
	assert_refused(state, "{\"command\":\"status\"}\n", -EINVAL,
		       "missing \"cmd\"");
}

static void test_ctlproto_cmd_not_string_refused(void **state)
{
	assert_refused(state, "{\"cmd\":1}\n", -EINVAL,
		       "\"cmd\" must be a string");
}

static void test_ctlproto_unknown_cmd_refused(void **state)
{
	assert_refused(state, "{\"cmd\":\"reboot\"}\n", -EINVAL,
		       "unknown command \"reboot\"");
}

static void test_ctlproto_unknown_argument_refused(void **state)
{
	assert_refused(state, "{\"cmd\":\"status\",\"verbose\":true}\n", -EINVAL,
		       "unknown argument \"verbose\" for command \"status\"");
}

static void test_ctlproto_policy_load_without_content_refused(void **state)
{
	assert_refused(state, "{\"cmd\":\"policy_load\",\"name\":\"p.yaml\"}\n",
		       -EINVAL, "command \"policy_load\" needs argument \"content\"");
}

static void test_ctlproto_policy_load_content_not_string_refused(void **state)
{
	assert_refused(state,
		       "{\"cmd\":\"policy_load\",\"name\":\"p.yaml\",\"content\":7}\n",
		       -EINVAL, "argument \"content\" of command \"policy_load\" must be a string");
}

static void test_ctlproto_policy_load_with_args_accepted(void **state)
{
	struct fixture *f = *state;
	static const char req[] =
		"{\"cmd\":\"policy_load\",\"name\":\"p.yaml\",\"content\":\"version: 1\\n\"}\n";

	assert_int_equal(cyl_ctl_parse_request(req, sizeof(req) - 1, &f->req,
					       f->err, sizeof(f->err)), 0);
	assert_int_equal(f->req.desc->cmd, CYL_CTL_POLICY_LOAD);
}

static void test_ctlproto_events_request_with_arguments_parsed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state, "{\"cmd\":\"events\",\"n\":5,\"type\":\"tty_open\","
				      "\"device\":\"monitor-icu-1\",\"follow\":false}\n"), 0);
	assert_int_equal(f->req.desc->cmd, CYL_CTL_EVENTS);
}

static void test_ctlproto_events_bad_n_refused(void **state)
{
	assert_refused(state, "{\"cmd\":\"events\",\"n\":0}\n", -EINVAL,
		       "argument \"n\" of command \"events\" must be between 1 and 200");
	teardown(state);
	setup(state);
	assert_refused(state, "{\"cmd\":\"events\",\"n\":201}\n", -EINVAL,
		       "argument \"n\" of command \"events\" must be between 1 and 200");
	teardown(state);
	setup(state);
	assert_refused(state, "{\"cmd\":\"events\",\"n\":\"5\"}\n", -EINVAL,
		       "argument \"n\" of command \"events\" must be an integer");
	teardown(state);
	setup(state);
	assert_refused(state, "{\"cmd\":\"events\",\"n\":1.5}\n", -EINVAL,
		       "argument \"n\" of command \"events\" must be an integer");
}

static void test_ctlproto_events_argument_types_checked(void **state)
{
	assert_refused(state, "{\"cmd\":\"events\",\"follow\":1}\n", -EINVAL,
		       "argument \"follow\" of command \"events\" must be a boolean");
	teardown(state);
	setup(state);
	assert_refused(state, "{\"cmd\":\"events\",\"type\":[]}\n", -EINVAL,
		       "argument \"type\" of command \"events\" must be a string");
	teardown(state);
	setup(state);
	assert_refused(state, "{\"cmd\":\"events\",\"device\":\"\"}\n", -EINVAL,
		       "argument \"device\" of command \"events\" must be 1 to 255 bytes without NUL");
	teardown(state);
	setup(state);
	assert_refused(state, "{\"cmd\":\"events\",\"limit\":3}\n", -EINVAL,
		       "unknown argument \"limit\" for command \"events\"");
}

static void test_ctlproto_update_gate_with_provides_parsed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(state, "{\"cmd\":\"update_gate\",\"artifact_name\":\"gw-1\","
				      "\"device_type\":\"gw-x86\",\"provides\":"
				      "{\"artifact_group\":\"stable\"}}\n"), 0);
	assert_int_equal(f->req.desc->cmd, CYL_CTL_UPDATE_GATE);
	assert_int_equal(f->req.desc->creds, CYL_CRED_ROOT | CYL_CRED_ADMIN_GROUP);
}

static void test_ctlproto_update_gate_provides_must_be_object(void **state)
{
	assert_refused(state, "{\"cmd\":\"update_gate\",\"provides\":\"x\"}\n", -EINVAL,
		       "argument \"provides\" of command \"update_gate\" must be an object");
}

static void test_ctlproto_update_event_needs_state(void **state)
{
	assert_refused(state, "{\"cmd\":\"update_event\",\"artifact_name\":\"a\"}\n",
		       -EINVAL, "command \"update_event\" needs argument \"state\"");
}

static void test_ctlproto_ssi_present_parsed(void **state)
{
	struct fixture *f = *state;

	/* The presentation is JSON text inside the request's JSON. */
	assert_int_equal(parse(state, "{\"cmd\":\"ssi_present\","
				      "\"presentation\":\"{\\\"a\\\":1}\"}\n"), 0);
	assert_int_equal(f->req.desc->cmd, CYL_CTL_SSI_PRESENT);
	assert_int_equal(f->req.desc->creds, CYL_CRED_ROOT | CYL_CRED_ADMIN_GROUP);
	assert_string_equal(json_string_value(json_object_get(f->req.obj, "presentation")),
			    "{\"a\":1}");
	assert_int_equal(cyl_ctl_cmd_find("ssi_challenge")->cmd, CYL_CTL_SSI_CHALLENGE);
}

static void test_ctlproto_ssi_present_needs_presentation(void **state)
{
	assert_refused(state, "{\"cmd\":\"ssi_present\"}\n", -EINVAL,
		       "command \"ssi_present\" needs argument \"presentation\"");
	assert_refused(state, "{\"cmd\":\"ssi_present\",\"presentation\":{}}\n", -EINVAL,
		       "argument \"presentation\" of command \"ssi_present\" must be a string");
	assert_refused(state, "{\"cmd\":\"ssi_present\",\"presentation\":\"\"}\n", -EINVAL,
		       "argument \"presentation\" of command \"ssi_present\" must be 1 to "
		       "262144 bytes without NUL");
	assert_refused(state, "{\"cmd\":\"ssi_challenge\",\"ttl\":5}\n", -EINVAL,
		       "unknown argument \"ttl\" for command \"ssi_challenge\"");
}

static void test_ctlproto_status_takes_no_events_arguments(void **state)
{
	assert_refused(state, "{\"cmd\":\"status\",\"n\":3}\n", -EINVAL,
		       "unknown argument \"n\" for command \"status\"");
}

static void test_ctlproto_events_allowed_to_root_and_group(void **state)
{
	const struct cyl_ctl_cmd_desc *d = cyl_ctl_cmd_find("events");

	assert_non_null(d);
	assert_true(cyl_ctl_permitted(d, CYL_CRED_ROOT));
	assert_true(cyl_ctl_permitted(d, CYL_CRED_ADMIN_GROUP));
	assert_false(cyl_ctl_permitted(d, 0));
}

static void test_ctlproto_request_dump_keeps_arguments(void **state)
{
	struct fixture *f = *state;
	json_t *req = json_pack("{s:s,s:i}", "cmd", "events", "n", 3);

	f->line = cyl_ctl_request_dump(req, NULL);
	json_decref(req);
	assert_string_equal(f->line, "{\"cmd\":\"events\",\"n\":3}\n");
}

static void test_ctlproto_duplicate_key_refused(void **state)
{
	assert_refused(state, "{\"cmd\":\"status\",\"cmd\":\"status\"}\n",
		       -EBADMSG, "request is not JSON: duplicate object key near "
		       "'\"cmd\"'");
}

static void test_ctlproto_oversized_request_refused(void **state)
{
	struct fixture *f = *state;
	size_t len = CYL_CTL_MAX_REQUEST + 1;
	char *buf = malloc(len);

	assert_non_null(buf);
	memset(buf, ' ', len);
	buf[len - 1] = '\n';
	assert_int_equal(cyl_ctl_parse_request(buf, len, &f->req, f->err,
					       sizeof(f->err)), -EMSGSIZE);
	assert_string_equal(f->err, "request is larger than 2162688 bytes");
	free(buf);
}

static void test_ctlproto_request_of_max_size_accepted(void **state)
{
	struct fixture *f = *state;
	size_t len = CYL_CTL_MAX_REQUEST;
	char *buf = malloc(len);
	const char *req = "{\"cmd\":\"status\"}";

	assert_non_null(buf);
	memset(buf, ' ', len);
	memcpy(buf, req, strlen(req));
	buf[len - 1] = '\n';
	assert_int_equal(cyl_ctl_parse_request(buf, len, &f->req, f->err,
					       sizeof(f->err)), 0);
	free(buf);
}

static void test_ctlproto_status_allowed_to_root_and_group(void **state)
{
	const struct cyl_ctl_cmd_desc *d = cyl_ctl_cmd_find("status");

	assert_non_null(d);
	assert_true(cyl_ctl_permitted(d, CYL_CRED_ROOT));
	assert_true(cyl_ctl_permitted(d, CYL_CRED_ADMIN_GROUP));
	assert_false(cyl_ctl_permitted(d, 0));
	assert_null(cyl_ctl_cmd_find("reboot"));
}

static void test_ctlproto_peer_creds_from_uid_and_groups(void **state)
{
	gid_t groups[] = { 100, 998 };

	assert_int_equal(cyl_ctl_peer_creds(0, 0, NULL, 0, false, 0),
			 CYL_CRED_ROOT);
	assert_int_equal(cyl_ctl_peer_creds(1000, 1000, groups, 2, true, 998),
			 CYL_CRED_ADMIN_GROUP);
	assert_int_equal(cyl_ctl_peer_creds(1000, 998, NULL, 0, true, 998),
			 CYL_CRED_ADMIN_GROUP);
	assert_int_equal(cyl_ctl_peer_creds(1000, 1000, groups, 2, true, 999), 0);
	/* Without the group on the system, nobody but root qualifies. */
	assert_int_equal(cyl_ctl_peer_creds(1000, 0, groups, 2, false, 0), 0);
}

static void test_ctlproto_reply_ok_puts_ok_first(void **state)
{
	struct fixture *f = *state;
	size_t len = 0;

	f->line = cyl_ctl_reply_ok(json_pack("{s:s,s:i}", "version", "0.1.0",
					     "pid", 42), &len);
	assert_string_equal(f->line, "{\"ok\":true,\"version\":\"0.1.0\",\"pid\":42}\n");
	assert_int_equal(len, strlen(f->line));
}

static void test_ctlproto_reply_ok_overrides_body_ok(void **state)
{
	struct fixture *f = *state;

	f->line = cyl_ctl_reply_ok(json_pack("{s:b}", "ok", 0), NULL);
	assert_string_equal(f->line, "{\"ok\":true}\n");
}

static void test_ctlproto_reply_error_built(void **state)
{
	struct fixture *f = *state;

	f->line = cyl_ctl_reply_error("permission denied", NULL);
	assert_string_equal(f->line,
			    "{\"ok\":false,\"error\":\"permission denied\"}\n");
}

static void test_ctlproto_request_build_round_trips(void **state)
{
	struct fixture *f = *state;
	size_t len = 0;

	f->line = cyl_ctl_request_build("status", &len);
	assert_string_equal(f->line, "{\"cmd\":\"status\"}\n");
	assert_int_equal(cyl_ctl_parse_request(f->line, len, &f->req, f->err,
					       sizeof(f->err)), 0);
}

static void test_ctlproto_reply_ok_parsed(void **state)
{
	struct fixture *f = *state;
	const char *buf = "{\"ok\":true,\"pid\":7}\n";

	assert_int_equal(cyl_ctl_parse_reply(buf, strlen(buf), &f->reply,
					     f->err, sizeof(f->err)), 0);
	assert_int_equal(json_integer_value(json_object_get(f->reply, "pid")), 7);
}

static void test_ctlproto_reply_error_returned_as_message(void **state)
{
	struct fixture *f = *state;
	const char *buf = "{\"ok\":false,\"error\":\"permission denied\"}\n";

	assert_int_equal(cyl_ctl_parse_reply(buf, strlen(buf), &f->reply,
					     f->err, sizeof(f->err)), -EREMOTEIO);
	assert_string_equal(f->err, "permission denied");
	assert_null(f->reply);
}

static void test_ctlproto_reply_without_ok_refused(void **state)
{
	struct fixture *f = *state;
	const char *buf = "{\"pid\":7}\n";

	assert_int_equal(cyl_ctl_parse_reply(buf, strlen(buf), &f->reply,
					     f->err, sizeof(f->err)), -EBADMSG);
	assert_string_equal(f->err, "reply has no boolean \"ok\"");
}

static void test_ctlproto_empty_reply_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_ctl_parse_reply("", 0, &f->reply, f->err,
					     sizeof(f->err)), -EBADMSG);
	assert_string_equal(f->err, "reply is not JSON: unexpected token near end of file");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ctlproto_status_request_parsed),
		T(test_ctlproto_missing_newline_refused),
		T(test_ctlproto_data_after_newline_refused),
		T(test_ctlproto_not_json_refused),
		T(test_ctlproto_not_object_refused),
		T(test_ctlproto_missing_cmd_refused),
		T(test_ctlproto_cmd_not_string_refused),
		T(test_ctlproto_unknown_cmd_refused),
		T(test_ctlproto_unknown_argument_refused),
		T(test_ctlproto_policy_load_without_content_refused),
		T(test_ctlproto_policy_load_content_not_string_refused),
		T(test_ctlproto_policy_load_with_args_accepted),
		T(test_ctlproto_duplicate_key_refused),
		T(test_ctlproto_events_request_with_arguments_parsed),
		T(test_ctlproto_events_bad_n_refused),
		T(test_ctlproto_events_argument_types_checked),
		T(test_ctlproto_status_takes_no_events_arguments),
		T(test_ctlproto_events_allowed_to_root_and_group),
		T(test_ctlproto_update_gate_with_provides_parsed),
		T(test_ctlproto_update_gate_provides_must_be_object),
		T(test_ctlproto_update_event_needs_state),
		T(test_ctlproto_ssi_present_parsed),
		T(test_ctlproto_ssi_present_needs_presentation),
		T(test_ctlproto_request_dump_keeps_arguments),
		T(test_ctlproto_oversized_request_refused),
		T(test_ctlproto_request_of_max_size_accepted),
		T(test_ctlproto_status_allowed_to_root_and_group),
		T(test_ctlproto_peer_creds_from_uid_and_groups),
		T(test_ctlproto_reply_ok_puts_ok_first),
		T(test_ctlproto_reply_ok_overrides_body_ok),
		T(test_ctlproto_reply_error_built),
		T(test_ctlproto_request_build_round_trips),
		T(test_ctlproto_reply_ok_parsed),
		T(test_ctlproto_reply_error_returned_as_message),
		T(test_ctlproto_reply_without_ok_refused),
		T(test_ctlproto_empty_reply_refused),
	};

	return cmocka_run_group_tests_name("ctlproto", tests, NULL, NULL);
}
