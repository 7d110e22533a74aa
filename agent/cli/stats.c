// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl stats: the numbers of the agent's /metrics endpoint, as text
 * for humans or the daemon's JSON as is.
 */
#include <stdio.h>

#include "cli/cli.h"

#define LABEL_WIDTH	20

static void usage(FILE *f)
{
	fprintf(f, "Usage: cylctl [options] stats [--json]\n"
		   "Show the agent's counters: events by type and verdict,\n"
		   "ring-buffer drops, per-device traffic, policy generation,\n"
		   "uptime.  The same numbers as http://127.0.0.1:9464/metrics.\n");
}

static const char *str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "?";
}

static long long num(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static void print_human(json_t *r)
{
	json_t *item, *events = json_object_get(r, "events_total");
	json_t *devices = json_object_get(r, "devices");
	size_t i;

	printf("%-*s%s\n", LABEL_WIDTH, "version:", str(r, "version"));
	printf("%-*s%llds\n", LABEL_WIDTH, "uptime:", num(r, "uptime_seconds"));
	printf("%-*s%lld\n", LABEL_WIDTH, "policy generation:",
	       num(r, "policy_generation"));
	printf("%-*s%lld\n", LABEL_WIDTH, "ring-buffer drops:",
	       num(r, "ringbuf_drops_total"));
	printf("%-*s%zu series\n", LABEL_WIDTH, "events:",
	       json_array_size(events));
	json_array_foreach(events, i, item) {
		printf("  %-*s %-10s %lld\n", LABEL_WIDTH - 3, str(item, "type"),
		       str(item, "verdict"), num(item, "value"));
	}
	printf("%-*s%zu\n", LABEL_WIDTH, "devices:", json_array_size(devices));
	if (json_array_size(devices))
		printf("  %-*s %12s %12s %12s\n", LABEL_WIDTH - 3, "",
		       "frames", "bytes", "flows");
	json_array_foreach(devices, i, item) {
		printf("  %-*s %12lld %12lld %12lld\n", LABEL_WIDTH - 3,
		       str(item, "device"), num(item, "frames_total"),
		       num(item, "bytes_total"), num(item, "flows_total"));
	}
}

int stats_main(int argc, char *argv[], struct cyl_cli *cli)
{
	static const struct cyl_cli_query q = {
		.cmd = "stats",
		.json_member = NULL,
		.usage = usage,
		.print = print_human,
	};

	return cyl_cli_query_main(argc, argv, cli, &q);
}
