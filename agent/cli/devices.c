// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl devices: the policy's devices, their ttys, device numbers and
 * whether they are guarded, from the agent's status.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: cylctl [options] devices [--json]\n"
		   "List the policy's devices: name, tty (or USB match), device number,\n"
		   "whether opens of its node are watched (STATE: a tty that is not\n"
		   "present is not), and the serial guard: the tty cylcomed.ko holds,\n"
		   "whether its records are sealed, and frames, bad frames and refused\n"
		   "writes so far.\n");
}

static const char *str(json_t *obj, const char *key, const char *none)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : none;
}

static long long num(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

/* "ttyUSB0 sealed 120/2/1" or "not attached". */
static void serial_state(json_t *serial, char *buf, size_t size)
{
	json_t *st = json_object_get(serial, "stats");

	if (!json_is_true(json_object_get(serial, "attached"))) {
		snprintf(buf, size, "not attached");
		return;
	}
	snprintf(buf, size, "%s %s %lld/%lld/%lld", str(serial, "tty", "?"),
		 json_is_true(json_object_get(serial, "sealed")) ? "sealed" :
								   "unsealed",
		 num(st, "rx_frames"), num(st, "rx_bad_frames"),
		 num(st, "tx_refused"));
}

static void print_table(json_t *reply)
{
	char serial[96];
	json_t *dev;
	size_t i;

	printf("%-24s %-32s %-8s %-11s %s\n", "NAME", "TTY", "DEV", "STATE",
	       "SERIAL (tty, records, frames/bad/refused)");
	json_array_foreach(json_object_get(reply, "devices"), i, dev) {
		const char *usb = str(dev, "usb", NULL);

		serial_state(json_object_get(dev, "serial"), serial,
			     sizeof(serial));
		/* A device found by USB identity shows its match, not a tty. */
		printf("%-24s %-32s %-8s %-11s %s\n", str(dev, "name", "?"),
		       usb ? usb : str(dev, "tty", "?"), str(dev, "dev", "-"),
		       json_is_true(json_object_get(dev, "guarded")) ? "guarded" :
		       "not-present", serial);
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
