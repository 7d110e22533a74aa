// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl update {gate,record}: the agent's side of Mender's state
 * scripts (mender/scripts/, Documentation/mender.md).  "gate" answers
 * with Mender's own exit codes, so a state script can pass it on.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

/* A state script's "retry later" (Mender's state scripts). */
#define CLI_RETRY_LATER	21

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylctl update gate [--artifact-name N] [--artifact-group G]\n"
		"                          [--device-type T]\n"
		"       cylctl update record STATE [--artifact-name N]\n\n"
		"gate asks the agent whether a Mender update may go on now and prints\n"
		"its reason: exit 0 to proceed, 21 to retry later (a critical device is\n"
		"in an active session), 1 when the policy's mender section refuses the\n"
		"artifact or on any error.  What is not given is not checked.\n\n"
		"record reports a Mender state (ArtifactRollback_Enter,\n"
		"ArtifactFailure_Enter...) as a security event: update_rollback or\n"
		"update_failure.\n"
		"See Documentation/mender.md.\n");
}

static const struct option artifact_opts[] = {
	{ "artifact-name",	required_argument,	NULL, 'n' },
	{ "artifact-group",	required_argument,	NULL, 'g' },
	{ "device-type",	required_argument,	NULL, 't' },
	{ "help",		no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Options of @argv (the subcommand first) into @req; -1 or an exit status. */
static int options(int argc, char *argv[], json_t *req, const char *allowed)
{
	const char *key;
	int c;

	optind = 0;	/* glibc: restart scanning on this argv */
	while ((c = getopt_long(argc, argv, "", artifact_opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return CLI_OK;
		}
		if (c == '?' || !strchr(allowed, c)) {
			usage(stderr);
			return CLI_USAGE;
		}
		key = c == 'n' ? "artifact_name" :
		      c == 'g' ? "artifact_group" : "device_type";
		/* Empty: not known (a state script's unset variable). */
		if (*optarg && json_object_set_new(req, key, json_string(optarg)))
			return CLI_ERROR;
	}
	return -1;
}

static int gate(const struct cyl_cli *cli, int argc, char *argv[])
{
	json_t *req, *reply = NULL;
	const char *reason;
	int ret;

	req = json_pack("{s:s}", "cmd", "update_gate");
	if (!req)
		return CLI_ERROR;
	ret = options(argc, argv, req, "ngt");
	if (ret < 0 && optind != argc) {
		usage(stderr);
		ret = CLI_USAGE;
	}
	if (ret < 0)
		ret = cyl_cli_call_req(cli, req, &reply);
	json_decref(req);
	if (ret != CLI_OK || !reply)
		return ret == CLI_OK ? CLI_OK : ret;

	reason = json_string_value(json_object_get(reply, "reason"));
	if (cli->json) {
		json_dumpf(reply, stdout, JSON_COMPACT);
		putchar('\n');
	} else {
		printf("%s: %s\n",
		       json_is_true(json_object_get(reply, "proceed")) ? "proceed" :
		       json_is_true(json_object_get(reply, "retry")) ? "retry later" :
		       "refused", reason ? reason : "");
	}
	ret = json_is_true(json_object_get(reply, "proceed")) ? CLI_OK :
	      json_is_true(json_object_get(reply, "retry")) ? CLI_RETRY_LATER :
	      CLI_ERROR;
	json_decref(reply);
	return ret;
}

static int record(const struct cyl_cli *cli, int argc, char *argv[])
{
	json_t *req, *reply = NULL;
	int ret;

	req = json_pack("{s:s}", "cmd", "update_event");
	if (!req)
		return CLI_ERROR;
	ret = options(argc, argv, req, "n");
	if (ret < 0 && optind != argc - 1) {
		usage(stderr);
		ret = CLI_USAGE;
	}
	if (ret < 0 && json_object_set_new(req, "state", json_string(argv[optind])))
		ret = CLI_ERROR;
	if (ret < 0)
		ret = cyl_cli_call_req(cli, req, &reply);
	json_decref(req);
	if (ret != CLI_OK || !reply)
		return ret;
	if (cli->json) {
		json_dumpf(reply, stdout, JSON_COMPACT);
		putchar('\n');
	} else {
		printf("%s recorded\n",
		       json_string_value(json_object_get(reply, "event")) ?: "event");
	}
	json_decref(reply);
	return CLI_OK;
}

int update_main(int argc, char *argv[], struct cyl_cli *cli)
{
	const char *sub;
	int ret;

	ret = cyl_cli_sub_options(argc, argv, cli, usage);
	if (ret >= 0)
		return ret;
	sub = optind < argc ? argv[optind] : "";
	argc -= optind;
	argv += optind;
	if (!strcmp(sub, "gate"))
		return gate(cli, argc, argv);
	if (!strcmp(sub, "record"))
		return record(cli, argc, argv);
	usage(stderr);
	return CLI_USAGE;
}
