// SPDX-License-Identifier: GPL-2.0
/*
 * mkrisklog: append COUNT entries to the risk log in DIR through the
 * writer, for the CLI tests.  Entry i is a JSON object naming i:
 *   {"seq":i,"type":"tty_open","device":"monitor-icu-1","risk":"R-000i"}
 * With --stdin, the entries are the lines of standard input instead
 * (realistic events for cylctl risk report), each as it is without its
 * newline; empty lines are skipped.  A head is signed after every
 * --sign-every entries (default 0: only the one on close).  What opening
 * the log cut goes to standard error; the size and root at the end to
 * standard output.
 */
#include <getopt.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "risk/risklog.h"

/* Append one entry, and sign a head after every @every entries. */
static int append(struct cyl_risklog *log, const char *p, size_t len,
		  unsigned long long every)
{
	uint64_t index;
	int ret;

	ret = cyl_risklog_append(log, p, len, &index);
	if (!ret && every && (index + 1) % every == 0)
		ret = cyl_risklog_sign_head(log);
	return ret;
}

static int append_count(struct cyl_risklog *log, unsigned long long first,
			unsigned long long count, unsigned long long every)
{
	unsigned long long i;
	char buf[256];
	int len, ret = 0;

	for (i = first; !ret && i < first + count; i++) {
		len = snprintf(buf, sizeof(buf), "{\"seq\":%llu,\"type\":\"tty_open\","
			       "\"device\":\"monitor-icu-1\",\"risk\":\"R-%04llu\"}", i, i);
		ret = append(log, buf, (size_t)len, every);
	}
	return ret;
}

static int append_lines(struct cyl_risklog *log, unsigned long long every)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	while (!ret && (len = getline(&line, &cap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			len--;
		if (len)
			ret = append(log, line, (size_t)len, every);
	}
	free(line);
	return ret;
}

static void usage(void)
{
	fprintf(stderr, "Usage: mkrisklog --key FILE [--sign-every N] [--fsync every|batch] "
		"DIR COUNT [FIRST]\n"
		"       mkrisklog --key FILE [--sign-every N] [--fsync every|batch] "
		"--stdin DIR\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "key",	required_argument,	NULL, 'k' },
		{ "sign-every",	required_argument,	NULL, 's' },
		{ "fsync",	required_argument,	NULL, 'f' },
		{ "stdin",	no_argument,		NULL, 'i' },
		{ 0 }
	};
	enum cyl_risklog_fsync fs = CYL_RISKLOG_FSYNC_BATCH;
	unsigned long long count = 0, first = 0, every = 0;
	const char *key = NULL;
	struct cyl_risklog *log;
	char err[1024], root[65];
	bool lines = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt == 'k')
			key = optarg;
		else if (opt == 's')
			every = strtoull(optarg, NULL, 10);
		else if (opt == 'i')
			lines = true;
		else if (opt == 'f' && !strcmp(optarg, "every"))
			fs = CYL_RISKLOG_FSYNC_EVERY;
		else if (opt != 'f' || strcmp(optarg, "batch"))
			usage();
	}
	if (!key || (lines && optind + 1 != argc) ||
	    (!lines && (optind + 2 > argc || optind + 3 < argc)))
		usage();
	if (!lines)
		count = strtoull(argv[optind + 1], NULL, 10);
	if (!lines && optind + 2 < argc)
		first = strtoull(argv[optind + 2], NULL, 10);
	if (cyl_risklog_open(argv[optind], key, fs, &log, err, sizeof(err))) {
		fprintf(stderr, "mkrisklog: %s\n", err);
		return 1;
	}
	if (*cyl_risklog_recovery(log))
		fprintf(stderr, "mkrisklog: %s\n", cyl_risklog_recovery(log));
	if (lines ? append_lines(log, every) : append_count(log, first, count, every)) {
		fprintf(stderr, "mkrisklog: %s\n", cyl_risklog_last_error(log));
		cyl_risklog_close(log);
		return 1;
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
