// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl policy {check,load,show,diff,rollback}.
 *
 * "check" runs the agent's own parser locally.  "load" sends the file's
 * text, so the agent reads nothing on the caller's behalf; the agent
 * validates it, applies it in one step, and keeps the previous policy
 * for "rollback".
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "policy/policy.h"
#include "util/file.h"

extern char **environ;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylctl policy check FILE     validate FILE locally, change nothing\n"
		"       cylctl policy load FILE      validate, then apply FILE atomically\n"
		"       cylctl policy show           print the active policy\n"
		"       cylctl policy diff FILE      unified diff from the active policy to FILE\n"
		"       cylctl policy rollback       re-apply the policy in force before the last load\n"
		"Errors name file:line:column and what was expected.\n");
}

static int check(const char *path)
{
	struct cyl_policy_error err;
	struct cyl_policy policy;

	if (cyl_policy_load_file(path, &policy, &err)) {
		fprintf(stderr, "cylctl: %s\n", err.text);
		return CLI_ERROR;
	}
	printf("%s: ok, version %u, %zu device(s)", path, policy.version,
	       policy.n_devices);
	if (policy.usb.set)
		printf(", %zu USB rule(s)", policy.usb.n_rules);
	printf("\n");
	cyl_policy_free(&policy);
	return CLI_OK;
}

static void print_summary(const struct cyl_cli *cli, json_t *reply,
			  const char *what)
{
	if (cli->json) {
		json_dumpf(reply, stdout, JSON_COMPACT);
		putchar('\n');
		return;
	}
	printf("%s: generation %" JSON_INTEGER_FORMAT ", %" JSON_INTEGER_FORMAT
	       " device(s), sha256 %s\n", what,
	       json_integer_value(json_object_get(reply, "generation")),
	       json_integer_value(json_object_get(reply, "devices")),
	       json_string_value(json_object_get(reply, "sha256")));
}

static int load(const struct cyl_cli *cli, const char *path)
{
	json_t *args, *reply = NULL;
	char *text, what[4200];
	size_t len;
	int ret;

	ret = cyl_read_file(path, CYL_POLICY_MAX_SIZE, &text, &len);
	if (ret) {
		fprintf(stderr, "cylctl: %s: %s\n", path, ret == -EFBIG ?
			"policy is larger than 1 MiB" : strerror(-ret));
		return CLI_ERROR;
	}
	args = json_pack("{s:s, s:s, s:s%}", "cmd", "policy_load",
			 "name", path, "content", text, len);
	free(text);
	if (!args) {
		fprintf(stderr, "cylctl: %s: not valid UTF-8 text\n", path);
		return CLI_ERROR;
	}
	ret = cyl_cli_call_req(cli, args, &reply);
	json_decref(args);
	if (ret)
		return ret;
	snprintf(what, sizeof(what), "%s loaded", path);
	print_summary(cli, reply, what);
	json_decref(reply);
	return CLI_OK;
}

static int fetch_active(const struct cyl_cli *cli, json_t **reply)
{
	return cyl_cli_call(cli, "policy_show", reply);
}

static int show(const struct cyl_cli *cli)
{
	json_t *reply;
	const char *text;

	if (fetch_active(cli, &reply))
		return CLI_ERROR;
	if (cli->json) {
		json_dumpf(reply, stdout, JSON_COMPACT);
		putchar('\n');
	} else {
		text = json_string_value(json_object_get(reply, "content"));
		printf("# generation %" JSON_INTEGER_FORMAT ", sha256 %s\n",
		       json_integer_value(json_object_get(reply, "generation")),
		       json_string_value(json_object_get(reply, "sha256")));
		fwrite(text, 1, json_string_length(json_object_get(reply, "content")),
		       stdout);
	}
	json_decref(reply);
	return CLI_OK;
}

/* diff -u from the active policy (in a temporary file) to FILE. */
static int diff(const struct cyl_cli *cli, const char *path)
{
	char tmp[] = "/tmp/cylctl-active.XXXXXX", label[64];
	json_t *reply, *content;
	int fd, status, ret = CLI_ERROR;
	pid_t pid;

	if (access(path, R_OK)) {
		fprintf(stderr, "cylctl: %s: %s\n", path, strerror(errno));
		return CLI_ERROR;
	}
	if (fetch_active(cli, &reply))
		return CLI_ERROR;
	content = json_object_get(reply, "content");
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "cylctl: %s: %s\n", tmp, strerror(errno));
		goto out;
	}
	if (write(fd, json_string_value(content), json_string_length(content)) !=
	    (ssize_t)json_string_length(content)) {
		fprintf(stderr, "cylctl: %s: %s\n", tmp, strerror(errno));
		goto out_tmp;
	}
	snprintf(label, sizeof(label), "active (generation %" JSON_INTEGER_FORMAT ")",
		 json_integer_value(json_object_get(reply, "generation")));
	fflush(stdout);
	{
		char *argv[] = { "diff", "-u", "--label", label, "--label",
				 (char *)path, tmp, (char *)path, NULL };

		if ((errno = posix_spawnp(&pid, "diff", NULL, NULL, argv, environ))) {
			fprintf(stderr, "cylctl: cannot run diff: %s\n", strerror(errno));
			goto out_tmp;
		}
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	/* diff exits 0 (same) or 1 (different); both are answers. */
	if (WIFEXITED(status) && WEXITSTATUS(status) <= 1)
		ret = CLI_OK;
	else
		fprintf(stderr, "cylctl: diff failed\n");
out_tmp:
	close(fd);
	unlink(tmp);
out:
	json_decref(reply);
	return ret;
}

static int rollback(const struct cyl_cli *cli)
{
	json_t *reply;

	if (cyl_cli_call(cli, "policy_rollback", &reply))
		return CLI_ERROR;
	print_summary(cli, reply, "rolled back to the previous policy");
	json_decref(reply);
	return CLI_OK;
}

int policy_main(int argc, char *argv[], struct cyl_cli *cli)
{
	const char *sub;
	int nargs, ret;

	ret = cyl_cli_sub_options(argc, argv, cli, usage);
	if (ret >= 0)
		return ret;
	nargs = argc - optind - 1;
	sub = optind < argc ? argv[optind] : "";
	if (!strcmp(sub, "check") && nargs == 1)
		return check(argv[optind + 1]);
	if (!strcmp(sub, "load") && nargs == 1)
		return load(cli, argv[optind + 1]);
	if (!strcmp(sub, "show") && nargs == 0)
		return show(cli);
	if (!strcmp(sub, "diff") && nargs == 1)
		return diff(cli, argv[optind + 1]);
	if (!strcmp(sub, "rollback") && nargs == 0)
		return rollback(cli);
	usage(stderr);
	return CLI_USAGE;
}
