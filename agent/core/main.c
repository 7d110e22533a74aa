// SPDX-License-Identifier: GPL-2.0
/*
 * cylcomedd: the cylcomed agent.  Options only; see daemon.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/ctlproto.h"
#include "core/daemon.h"
#include "core/metrics.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylcomedd [-f] [-c FILE] [-s PATH] [--metrics-listen ADDR:PORT|off]\n"
		"  -f, --foreground   stay in the foreground, log to stderr (always, for now)\n"
		"  -c, --config FILE  policy file (default %s)\n"
		"  -s, --socket PATH  control socket (default %s)\n"
		"      --metrics-listen ADDR:PORT|[ADDR6]:PORT|off\n"
		"                     Prometheus endpoint (default %s)\n"
		"      --help         show this help\n"
		"      --version      show the version\n",
		CYL_DEFAULT_CONFIG, CYL_CTL_SOCKET, CYL_METRICS_DEFAULT_LISTEN);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "foreground",	no_argument,		NULL, 'f' },
		{ "config",	required_argument,	NULL, 'c' },
		{ "socket",	required_argument,	NULL, 's' },
		{ "metrics-listen", required_argument,	NULL, 'M' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ 0 }
	};
	struct cyl_daemon_opts opts = {
		.config = CYL_DEFAULT_CONFIG,
		.socket = CYL_CTL_SOCKET,
	};
	const char *metrics_listen = CYL_METRICS_DEFAULT_LISTEN;
	char err[256];
	int opt;

	while ((opt = getopt_long(argc, argv, "fc:s:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			break;	/* no daemonizing in this release */
		case 'c':
			opts.config = optarg;
			break;
		case 's':
			opts.socket = optarg;
			break;
		case 'M':
			metrics_listen = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf("cylcomedd %s\n", CYL_VERSION);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cylcomedd: unexpected argument \"%s\"\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	/* Non-loopback only when named here; the daemon warns about it. */
	if (cyl_metrics_parse_listen(metrics_listen, &opts.metrics_listen,
				     err, sizeof(err))) {
		fprintf(stderr, "cylcomedd: %s\n", err);
		return 2;
	}
	return cyl_daemon_run(&opts);
}
