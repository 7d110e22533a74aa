// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl devices: the policy's devices, their ttys, device numbers and
 * whether they are guarded, from the agent's status.
 */
#include <stdio.h>

#include "cli/cli.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: cylctl [options] devices [--json]\n"
		   "List the policy's devices: name, tty (or USB match), device number,\n"
		   "and whether the agent guards it (a tty that is not present, or a\n"
		   "device found by USB identity, is not guarded).\n");
}

static const char *str(json_t *obj, const char *key, const char *none)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : none;
}

static void print_table(json_t *reply)
{
	json_t *dev;
	size_t i;

	printf("%-32s %-32s %-10s %s\n", "NAME", "TTY", "DEV", "STATE");
	json_array_foreach(json_object_get(reply, "devices"), i, dev) {
		const char *usb = str(dev, "usb", NULL);

		/* A device found by USB identity shows its match, not a tty. */
		printf("%-32s %-32s %-10s %s\n", str(dev, "name", "?"),
		       usb ? usb : str(dev, "tty", "?"), str(dev, "dev", "-"),
		       json_is_true(json_object_get(dev, "guarded")) ? "guarded" :
		       usb ? "not guarded (found by usb, no fixed tty)" :
		       "not guarded (tty missing)");
	}
}

int devices_main(int argc, char *argv[], struct cyl_cli *cli)
{
	static const struct cyl_cli_query q = {
		.cmd = "status",
		.json_member = "devices",
		.usage = usage,
		.print = print_table,
	};

	return cyl_cli_query_main(argc, argv, cli, &q);
}
