// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl status: the daemon's state as aligned text, or its JSON as is.
 */
#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"

#define LABEL_WIDTH	20

static void usage(FILE *f)
{
	fprintf(f, "Usage: cylctl [options] status [--json]\n"
		   "Show the agent's state: version, uptime, event counts, BPF\n"
		   "programs, kernel module and guarded devices.\n");
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

static void label(const char *name)
{
	printf("%-*s", LABEL_WIDTH, name);
}

static void print_uptime(long long s)
{
	label("uptime:");
	if (s >= 86400)
		printf("%lldd ", s / 86400);
	if (s >= 3600)
		printf("%lldh ", s / 3600 % 24);
	if (s >= 60)
		printf("%lldm ", s / 60 % 60);
	printf("%llds\n", s % 60);
}

static void print_module(json_t *mod)
{
	label("module:");
	if (!json_is_true(json_object_get(mod, "loaded")))
		printf("not loaded\n");
	else
		printf("loaded, version %s, %lld tty(s) attached, event channel %s"
		       " (%lld lost)\n", str(mod, "version"), num(mod, "attached"),
		       str(mod, "event_channel"), num(mod, "events_lost"));
}

static void print_devices(json_t *devs)
{
	json_t *dev;
	size_t i;

	label("devices:");
	printf("%zu\n", json_array_size(devs));
	json_array_foreach(devs, i, dev) {
		bool usb = json_is_string(json_object_get(dev, "usb"));
		json_t *serial = json_object_get(dev, "serial");

		/* A device found by USB identity shows its match, not a tty. */
		printf("  %-*s %-20s %s, serial guard: %s\n", LABEL_WIDTH - 3,
		       str(dev, "name"), str(dev, usb ? "usb" : "tty"),
		       json_is_true(json_object_get(dev, "guarded")) ?
		       "opens watched" : "not present",
		       !json_is_true(json_object_get(serial, "attached")) ?
		       "not attached" :
		       json_is_true(json_object_get(serial, "sealed")) ?
		       "attached, records sealed" :
		       "attached, records not sealed (no key)");
	}
}

static void print_usb(json_t *usb)
{
	label("USB authorization:");
	if (!json_is_true(json_object_get(usb, "active"))) {
		printf("off (the policy has no usb section)\n");
		return;
	}
	printf("on, %lld rule(s), present devices: %s; decisions: %lld allowed, %lld blocked, %lld rejected\n",
	       num(usb, "rules"), str(usb, "present_devices"),
	       num(usb, "allowed"), num(usb, "blocked"), num(usb, "rejected"));
}

static void print_risk(json_t *risk)
{
	json_t *review = json_object_get(risk, "review"), *id;
	size_t i;

	label("risk register:");
	if (!json_is_true(json_object_get(risk, "register"))) {
		printf("none (the policy has no risk section)\n");
		return;
	}
	printf("%lld entries", num(risk, "entries"));
	if (json_is_true(json_object_get(risk, "log")))
		printf("; log: %lld entries (%lld not yet under a signed head), root %.16s...",
		       num(risk, "log_size"), num(risk, "unsigned"), str(risk, "root"));
	printf("\n");
	if (json_array_size(review)) {
		label("risk review needed:");
		json_array_foreach(review, i, id)
			printf("%s%s", i ? ", " : "", json_string_value(id));
		printf(" (observed more often than estimated)\n");
	}
}

static void print_human(json_t *r)
{
	json_t *bpf = json_object_get(r, "bpf");
	const char *key, *sep = "";
	json_t *val;

	label("version:");
	printf("%s\n", str(r, "version"));
	label("pid:");
	printf("%lld\n", num(r, "pid"));
	print_uptime(num(r, "uptime_s"));
	label("events:");
	printf("%lld\n", num(r, "events"));
	label("ring-buffer drops:");
	printf("%lld\n", num(r, "ringbuf_drops"));
	label("BPF programs:");
	json_object_foreach(bpf, key, val) {
		printf("%s%s %s", sep, key, json_string_value(val) ?: "?");
		sep = ", ";
	}
	printf("\n");
	label("pin dir:");
	printf("%s\n", str(r, "pin_dir"));
	print_module(json_object_get(r, "module"));
	print_usb(json_object_get(r, "usb"));
	print_risk(json_object_get(r, "risk"));
	print_devices(json_object_get(r, "devices"));
}

int status_main(int argc, char *argv[], struct cyl_cli *cli)
{
	static const struct cyl_cli_query q = {
		.cmd = "status",
		.json_member = NULL,
		.usage = usage,
		.print = print_human,
	};

	return cyl_cli_query_main(argc, argv, cli, &q);
}
