// SPDX-License-Identifier: GPL-2.0
/*
 * cylcomedd: the cylcomed agent.  Options only; see daemon.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctlproto.h"
#include "core/daemon.h"
#include "core/metrics.h"
#include "risk/risk.h"
#include "store/spool.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylcomedd [-f] [-c FILE] [-s PATH] [--state-dir DIR] [--event-log PATH]\n"
		"                 [--event-fsync always|never|interval] [--spool-dir DIR]\n"
		"                 [--spool-fsync interval|every-record|never] [--metrics-listen ADDR:PORT|off]\n"
		"                 [--risk-dir DIR] [--risk-sign-interval SECONDS] [--risk-fsync batch|every]\n"
		"  -f, --foreground   stay in the foreground, log to stderr (always, for now)\n"
		"  -c, --config FILE  policy file (default %s)\n"
		"  -s, --socket PATH  control socket (default %s)\n"
		"      --state-dir DIR       generation and previous policy (default %s)\n"
		"      --event-log PATH      security events, one JSON per line\n"
		"                            (default %s)\n"
		"      --event-fsync MODE    always, never, or interval (default: once a second)\n"
		"      --spool-dir DIR       sealed serial records (default %s)\n"
		"      --spool-fsync MODE    interval (default: once a second),\n"
		"                            every-record, or never\n"
		"      --risk-dir DIR        the risk log (DIR/log) and its signing key\n"
		"                            (DIR/signing.key; default STATE-DIR/risk)\n"
		"      --risk-sign-interval SECONDS\n"
		"                            sign a risk-log tree head this often when\n"
		"                            entries were added (default %d; also on exit)\n"
		"      --risk-fsync MODE     batch (default: when a head is signed) or\n"
		"                            every (after each risk-log entry)\n"
		"      --metrics-listen ADDR:PORT|[ADDR6]:PORT|off\n"
		"                     Prometheus endpoint (default %s)\n"
		"      --help         show this help\n"
		"      --version      show the version\n",
		CYL_DEFAULT_CONFIG, CYL_CTL_SOCKET, CYL_DEFAULT_STATE_DIR,
		CYL_EVENTLOG_DEFAULT, CYL_SPOOL_DEFAULT_DIR,
		CYL_RISK_SIGN_INTERVAL_S, CYL_METRICS_DEFAULT_LISTEN);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "foreground",	no_argument,		NULL, 'f' },
		{ "config",	required_argument,	NULL, 'c' },
		{ "socket",	required_argument,	NULL, 's' },
		{ "state-dir",	required_argument,	NULL, 'S' },
		{ "event-log",	required_argument,	NULL, 'E' },
		{ "event-fsync", required_argument,	NULL, 'F' },
		{ "metrics-listen", required_argument,	NULL, 'M' },
		{ "spool-dir",	required_argument,	NULL, 'D' },
		{ "spool-fsync", required_argument,	NULL, 'Y' },
		{ "risk-dir",	required_argument,	NULL, 'R' },
		{ "risk-sign-interval", required_argument, NULL, 'I' },
		{ "risk-fsync",	required_argument,	NULL, 'G' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ 0 }
	};
	struct cyl_daemon_opts opts = {
		.config = CYL_DEFAULT_CONFIG,
		.socket = CYL_CTL_SOCKET,
		.state_dir = CYL_DEFAULT_STATE_DIR,
		.event_log = CYL_EVENTLOG_DEFAULT,
		.event_fsync = CYL_EVENTLOG_FSYNC_INTERVAL,
		.spool_dir = CYL_SPOOL_DEFAULT_DIR,
		.spool_fsync = CYL_SPOOL_FSYNC_INTERVAL,
		.risk_sign_interval = CYL_RISK_SIGN_INTERVAL_S,
	};
	char risk_dir[4096];
	char *end;
	long n;
	enum cyl_spool_fsync spool_fsync;
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
		case 'S':
			opts.state_dir = optarg;
			break;
		case 'E':
			opts.event_log = optarg;
			break;
		case 'F':
			if (cyl_eventlog_parse_fsync(optarg, &opts.event_fsync)) {
				fprintf(stderr, "cylcomedd: --event-fsync: \"%s\" is not always, never or interval\n",
					optarg);
				return 2;
			}
			break;
		case 'M':
			metrics_listen = optarg;
			break;
		case 'D':
			opts.spool_dir = optarg;
			break;
		case 'Y':
			if (cyl_spool_parse_fsync(optarg, &spool_fsync)) {
				fprintf(stderr, "cylcomedd: --spool-fsync: \"%s\" is not interval, every-record or never\n",
					optarg);
				return 2;
			}
			opts.spool_fsync = spool_fsync;
			break;
		case 'R':
			opts.risk_dir = optarg;
			break;
		case 'I':
			n = strtol(optarg, &end, 10);
			if (*end || end == optarg || n < 1 || n > 86400) {
				fprintf(stderr, "cylcomedd: --risk-sign-interval: \"%s\" is not 1..86400 seconds\n",
					optarg);
				return 2;
			}
			opts.risk_sign_interval = n;
			break;
		case 'G':
			if (!strcmp(optarg, "batch")) {
				opts.risk_fsync_every = false;
			} else if (!strcmp(optarg, "every")) {
				opts.risk_fsync_every = true;
			} else {
				fprintf(stderr, "cylcomedd: --risk-fsync: \"%s\" is not batch or every\n",
					optarg);
				return 2;
			}
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
	if (!opts.risk_dir) {
		snprintf(risk_dir, sizeof(risk_dir), "%s/risk", opts.state_dir);
		opts.risk_dir = risk_dir;
	}
	/* Non-loopback only when named here; the daemon warns about it. */
	if (cyl_metrics_parse_listen(metrics_listen, &opts.metrics_listen,
				     err, sizeof(err))) {
		fprintf(stderr, "cylcomedd: %s\n", err);
		return 2;
	}
	return cyl_daemon_run(&opts);
}
