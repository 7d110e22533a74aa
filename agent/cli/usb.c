// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl usb {list,allow,block,generate}: USB device authorization.
 *
 * "list", "allow" and "block" ask the agent, which owns the decisions;
 * "generate" reads sysfs itself and prints a starting usb section for
 * the policy from the devices present now, so it works before the
 * agent has ever run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "usb/rule.h"
#include "usb/sysfs.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylctl usb list                     devices, interfaces, verdicts, rules\n"
		"       cylctl usb allow PORT [--permanent] authorize the device at PORT\n"
		"       cylctl usb block PORT [--permanent] deauthorize it\n"
		"       cylctl usb generate [--no-hash] [--port] [--sysroot DIR]\n"
		"                                           a usb section from the devices present\n\n"
		"PORT is the device's bus path as \"list\" shows it (1-1, 3-1.2).  Without\n"
		"--permanent the change lasts until the device is unplugged or the agent\n"
		"restarts; with it, a rule for exactly this device (id, serial, name, hash\n"
		"and its interfaces) goes first in the policy file, which is then loaded.\n\n"
		"generate prints one allow rule per device present now, for review before\n"
		"it goes into the policy: --no-hash leaves out the descriptor hashes (a\n"
		"firmware update changes them), --port pins each rule to its port.\n"
		"See Documentation/usb.md for the rule language.\n");
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static void print_rule(json_t *rule)
{
	if (json_is_object(rule) && json_object_get(rule, "index"))
		printf("usb.rules[%lld] (line %lld)",
		       (long long)json_integer_value(json_object_get(rule, "index")),
		       (long long)json_integer_value(json_object_get(rule, "line")));
	else if (json_is_object(rule))
		printf("%s", str(rule, "source"));
	else
		printf("-");
}

static void print_device(json_t *dev)
{
	json_t *ifs = json_object_get(dev, "interfaces_now"), *i;
	json_t *target = json_object_get(dev, "target");
	size_t k;

	printf("%-10s %-9s %-6s %-13s ", str(dev, "port"),
	       json_is_string(json_object_get(dev, "id")) ? str(dev, "id") : "?",
	       json_is_string(target) ? json_string_value(target) : "-",
	       json_is_true(json_object_get(dev, "authorized")) ?
	       "authorized" : "unauthorized");
	print_rule(json_object_get(dev, "rule"));
	printf("\n           \"%s\"", str(dev, "name"));
	if (*str(dev, "serial"))
		printf(" serial \"%s\"", str(dev, "serial"));
	printf(": %s\n", str(dev, "reason"));
	json_array_foreach(ifs, k, i) {
		printf("           %-12s %s %-12s %s\n", str(i, "name"),
		       str(i, "class"),
		       json_is_true(json_object_get(i, "authorized")) ?
		       "authorized" : "unauthorized",
		       json_is_string(json_object_get(i, "driver")) ?
		       str(i, "driver") : "(no driver)");
	}
}

static int list(const struct cyl_cli *cli)
{
	json_t *reply = NULL, *devs, *dev;
	size_t i;

	if (cyl_cli_call(cli, "usb_list", &reply) != CLI_OK)
		return CLI_ERROR;
	if (cli->json) {
		json_dumpf(reply, stdout, JSON_COMPACT);
		putchar('\n');
	} else {
		devs = json_object_get(reply, "devices");
		if (!json_is_true(json_object_get(reply, "active")))
			printf("USB authorization is off: the policy has no usb section.\n");
		printf("%-10s %-9s %-6s %-13s %s\n", "PORT", "ID", "TARGET",
		       "STATE", "RULE");
		json_array_foreach(devs, i, dev)
			print_device(dev);
		if (!json_array_size(devs))
			printf("(no USB devices besides the root hubs)\n");
	}
	json_decref(reply);
	return CLI_OK;
}

static int set(const struct cyl_cli *cli, const char *target, int argc,
	       char *argv[])
{
	static const struct option opts[] = {
		{ "permanent", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	json_t *req, *reply = NULL;
	bool permanent = false;
	int c, ret;

	optind = 0;	/* glibc: restart scanning on this argv */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p') {
			permanent = true;
		} else if (c == 'h') {
			usage(stdout);
			return CLI_OK;
		} else {
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return CLI_USAGE;
	}
	req = json_pack("{s:s, s:s, s:s, s:b}", "cmd", "usb_set",
			"port", argv[optind], "target", target,
			"permanent", permanent);
	ret = cyl_cli_call_req(cli, req, &reply);
	json_decref(req);
	if (ret != CLI_OK)
		return ret;
	if (cli->json) {
		json_dumpf(reply, stdout, JSON_COMPACT);
		putchar('\n');
	} else {
		printf("%s: %s%s\n", argv[optind], str(reply, "reason"),
		       permanent ? " (rule added to the policy file)" : "");
	}
	json_decref(reply);
	return CLI_OK;
}

/* A YAML single-quoted scalar on stdout. */
static void put_single_quoted(const char *s)
{
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			putchar('\'');
		putchar(*s);
	}
	putchar('\'');
}

/* Comment text from a device string: printable ASCII only. */
static void put_comment_text(const char *s)
{
	for (; *s; s++)
		putchar(*s >= 0x20 && *s < 0x7f ? *s : '?');
}

static int generate(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "no-hash", no_argument, NULL, 'n' },
		{ "port", no_argument, NULL, 'p' },
		{ "sysroot", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int what = CYL_USB_FOR_SERIAL | CYL_USB_FOR_NAME |
			    CYL_USB_FOR_HASH;
	char rule[CYL_USB_RULE_TEXT_MAX + 1];
	const char *sysroot = "/sys";
	struct cyl_usb_sysdev *devs = NULL;
	size_t n = 0, i;
	int c, ret;

	optind = 0;	/* glibc: restart scanning on this argv */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			what &= ~CYL_USB_FOR_HASH;
			break;
		case 'p':
			what |= CYL_USB_FOR_PORT;
			break;
		case 's':
			sysroot = optarg;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	ret = cyl_usb_sys_list(sysroot, &devs, &n);
	if (ret) {
		fprintf(stderr, "cylctl: cannot list USB devices under %s/bus/usb/devices: %s\n",
			sysroot, strerror(-ret));
		return CLI_ERROR;
	}
	printf("# Generated by cylctl usb generate from the %zu device(s) present.\n"
	       "# Review every rule before loading: each allows what is plugged now.\n"
	       "usb:\n"
	       "  present_devices: apply-policy\n"
	       "  implicit_target: block\n"
	       "  rules:\n", n);
	for (i = 0; i < n; i++) {
		struct cyl_usb_device ud;

		printf("    # %s:", devs[i].port);
		if (devs[i].manufacturer[0]) {
			putchar(' ');
			put_comment_text(devs[i].manufacturer);
		}
		putchar(' ');
		put_comment_text(devs[i].name[0] ? devs[i].name : "(no name)");
		printf(" (%s now)\n", devs[i].authorized ? "authorized" :
		       "unauthorized");
		if (devs[i].desc_err) {
			printf("    # not listed: its descriptors are malformed: ");
			put_comment_text(devs[i].desc_errtext);
			putchar('\n');
			continue;
		}
		cyl_usb_sys_device(&devs[i], &ud);
		if (cyl_usb_rule_for_device(&ud, CYL_USB_ALLOW, what, rule,
					    sizeof(rule)) >= sizeof(rule)) {
			printf("    # not listed: its rule would be longer than %d bytes\n",
			       CYL_USB_RULE_TEXT_MAX);
			continue;
		}
		printf("    - ");
		put_single_quoted(rule);
		putchar('\n');
	}
	if (!n)
		printf("    []\n");
	free(devs);
	return CLI_OK;
}

int usb_main(int argc, char *argv[], struct cyl_cli *cli)
{
	const char *sub;
	int ret;

	ret = cyl_cli_sub_options(argc, argv, cli, usage);
	if (ret >= 0)
		return ret;
	sub = optind < argc ? argv[optind] : "";
	argc -= optind;
	argv += optind;
	if (!strcmp(sub, "list") && argc == 1)
		return list(cli);
	if (!strcmp(sub, "allow") || !strcmp(sub, "block"))
		return set(cli, sub, argc, argv);
	if (!strcmp(sub, "generate"))
		return generate(argc, argv);
	usage(stderr);
	return CLI_USAGE;
}
