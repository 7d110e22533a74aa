// SPDX-License-Identifier: GPL-2.0
/*
 * mkrisklog: append COUNT entries to the risk log in DIR through the
 * writer, for the CLI tests.  Entry i is a JSON object naming i:
 *   {"seq":i,"type":"tty_open","device":"monitor-icu-1","risk":"R-000i"}
 * with a head signed after every --sign-every entries (default 0: only
 * the one on close).  What opening the log cut goes to standard error;
 * the size and root at the end to standard output.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "risk/risklog.h"

static void usage(void)
{
	fprintf(stderr, "Usage: mkrisklog --key FILE [--sign-every N] [--fsync every|batch] "
		"DIR COUNT [FIRST]\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "key",	required_argument,	NULL, 'k' },
		{ "sign-every",	required_argument,	NULL, 's' },
		{ "fsync",	required_argument,	NULL, 'f' },
		{ 0 }
	};
	enum cyl_risklog_fsync fs = CYL_RISKLOG_FSYNC_BATCH;
	unsigned long long count, first = 0, every = 0, i;
	const char *key = NULL;
	struct cyl_risklog *log;
	char err[1024], buf[256], root[65];
	int opt, len;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt == 'k')
			key = optarg;
		else if (opt == 's')
			every = strtoull(optarg, NULL, 10);
		else if (opt == 'f' && !strcmp(optarg, "every"))
			fs = CYL_RISKLOG_FSYNC_EVERY;
		else if (opt != 'f' || strcmp(optarg, "batch"))
			usage();
	}
	if (!key || optind + 2 > argc || optind + 3 < argc)
		usage();
	count = strtoull(argv[optind + 1], NULL, 10);
	if (optind + 2 < argc)
		first = strtoull(argv[optind + 2], NULL, 10);
	if (cyl_risklog_open(argv[optind], key, fs, &log, err, sizeof(err))) {
		fprintf(stderr, "mkrisklog: %s\n", err);
		return 1;
	}
	if (*cyl_risklog_recovery(log))
		fprintf(stderr, "mkrisklog: %s\n", cyl_risklog_recovery(log));
	for (i = first; i < first + count; i++) {
		len = snprintf(buf, sizeof(buf), "{\"seq\":%llu,\"type\":\"tty_open\","
			       "\"device\":\"monitor-icu-1\",\"risk\":\"R-%04llu\"}", i, i);
		if (cyl_risklog_append(log, buf, (size_t)len, NULL) ||
		    (every && (i + 1) % every == 0 && cyl_risklog_sign_head(log))) {
			fprintf(stderr, "mkrisklog: %s\n", cyl_risklog_last_error(log));
			cyl_risklog_close(log);
			return 1;
		}
	}
	cyl_risklog_close(log);
	/* The root as the writer had it, read back by reopening. */
	if (cyl_risklog_open(argv[optind], key, fs, &log, err, sizeof(err))) {
		fprintf(stderr, "mkrisklog: reopening: %s\n", err);
		return 1;
	}
	cyl_risklog_root_hex(log, root);
	printf("size %" PRIu64 ", root %s\n", cyl_risklog_size(log), root);
	cyl_risklog_close(log);
	return 0;
}
