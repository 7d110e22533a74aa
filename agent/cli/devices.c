// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl devices: the policy's devices, their ttys, device numbers and
 * whether they are guarded, from the agent's status.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: cylctl [options] devices [--json]\n"
		   "List the policy's devices: name, tty, device number, and whether\n"
		   "the agent guards it (a tty that is not present is not guarded).\n");
}

static const char *str(json_t *obj, const char *key, const char *none)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : none;
}

int devices_main(int argc, char *argv[], struct cyl_cli *cli)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "help",	no_argument,	NULL, 'h' },
		{ 0 }
	};
	json_t *reply, *devs, *dev;
	int opt, ret;
	size_t i;

	optind = 0;	/* glibc: restart scanning on this argv */
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			cli->json = true;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return CLI_USAGE;
	}

	ret = cyl_cli_call(cli, "status", &reply);
	if (ret)
		return ret;
	devs = json_object_get(reply, "devices");
	if (cli->json) {
		json_dumpf(devs, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("\n");
	} else {
		printf("%-32s %-32s %-10s %s\n", "NAME", "TTY", "DEV", "STATE");
		json_array_foreach(devs, i, dev) {
			printf("%-32s %-32s %-10s %s\n", str(dev, "name", "?"),
			       str(dev, "tty", "?"), str(dev, "dev", "-"),
			       json_is_true(json_object_get(dev, "guarded")) ?
			       "guarded" : "not guarded (tty missing)");
		}
	}
	json_decref(reply);
	return CLI_OK;
}
