// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl policy check FILE: run the agent's own parser on a policy
 * before installing it.  Local only; no daemon needed.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "policy/policy.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: cylctl policy check FILE\n"
		   "Check FILE with the agent's policy parser; print file:line:column\n"
		   "and the reason if it would be rejected.\n");
}

static int check(const char *path)
{
	struct cyl_policy_error err;
	struct cyl_policy policy;

	if (cyl_policy_load_file(path, &policy, &err)) {
		fprintf(stderr, "cylctl: %s\n", err.text);
		return CLI_ERROR;
	}
	printf("%s: ok, version %u, %zu device(s)\n", path, policy.version,
	       policy.n_devices);
	cyl_policy_free(&policy);
	return CLI_OK;
}

int policy_main(int argc, char *argv[], struct cyl_cli *cli)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ 0 }
	};
	int opt;

	optind = 0;	/* glibc: restart scanning on this argv */
	while ((opt = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			return CLI_OK;
		}
		usage(stderr);
		return CLI_USAGE;
	}
	if (argc - optind != 2 || strcmp(argv[optind], "check")) {
		usage(stderr);
		return CLI_USAGE;
	}
	return check(argv[optind + 1]);
}
