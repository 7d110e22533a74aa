// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl: administer the cylcomed agent.  A table of subcommands, as in
 * wireguard-tools' wg.c; each lives in its own file.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/ctlproto.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char *argv[], struct cyl_cli *cli);
	const char *description;
} subcommands[] = {
	{ "status", status_main, "Show the agent's state" },
	{ "policy", policy_main, "Check, load, show, diff or roll back the policy" },
	{ "devices", devices_main, "List the policy's devices and their state" },
	{ "events", events_main, "Show or follow security events" },
	{ "stats", stats_main, "Show the agent's counters (as /metrics)" },
	{ "records", records_main, "Verify or open the record spool, offline" },
	{ "log", log_main, "Verify the tamper-evident risk log, prove entries, offline" },
	{ "risk", risk_main, "Report on the risk register from the verified log, offline" },
	{ "key", key_main, "Load a device's record key, or generate one" },
	{ "usb", usb_main, "List, allow or block USB devices; generate rules" },
	{ "update", update_main, "Gate a Mender update, record its rollback or failure" },
	{ "bundle", bundle_main, "Build a signed Mender artifact of a policy bundle" },
	{ "abe", abe_main, "Attribute-based encryption: authority, user keys, sealed files" },
	{ "ssi", ssi_main, "Self-sovereign identity: DIDs, credentials, access by presentation" },
	{ "model", model_main, "Evaluate the anomaly models on CSV data sets, offline" },
	{ "selftest", selftest_main, "Check the gateway enforces its policy (Mender commit)" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: cylctl [-s PATH] [--json] <command> [<args>]\n\n"
		   "Options:\n"
		   "  -s, --socket PATH  control socket (default %s)\n"
		   "      --json         print the daemon's JSON reply\n"
		   "      --help         show this help\n"
		   "      --version      show the version\n\n"
		   "Commands:\n", CYL_CTL_SOCKET);
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-9s %s\n", subcommands[i].name,
			subcommands[i].description);
	fprintf(f, "  %-9s %s\n\n"
		   "\"cylctl <command> --help\" describes a command.\n",
		"help", "Show this help");
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "socket",	required_argument,	NULL, 's' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ 0 }
	};
	struct cyl_cli cli = { .socket = CYL_CTL_SOCKET };
	size_t i;
	int opt;

	/* "+": options after the command belong to the command. */
	while ((opt = getopt_long(argc, argv, "+s:", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			cli.socket = optarg;
			break;
		case 'j':
			cli.json = true;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		case 'V':
			printf("cylctl %s\n", CYL_VERSION);
			return CLI_OK;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (!strcmp(argv[optind], "help")) {
		usage(stdout);
		return CLI_OK;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (!strcmp(argv[optind], subcommands[i].name))
			return subcommands[i].fn(argc - optind, argv + optind, &cli);
	}
	fprintf(stderr, "cylctl: invalid command \"%s\"\n\n", argv[optind]);
	usage(stderr);
	return CLI_USAGE;
}
