// SPDX-License-Identifier: GPL-2.0
/*
 * risklog: what the tamper-evident risk log costs against writing the
 * same entries to a plain file with the same syncs, in the same run:
 *   - appends with FSYNC_BATCH and a head signed every 1,000 entries,
 *     against write() of each entry and fdatasync() every 1,000;
 *   - appends with FSYNC_EVERY (a head every 1,000 too), against write()
 *     and fdatasync() of each entry;
 *   - verifying a log of a million entries (cyl_risk_verify_dir(), the
 *     page cache warm from writing it), against writing those entries
 *     plainly and against reading the file back.
 *
 *   build/tests/bench/risklog [-b N] [-e N] [-v N] [DIR]
 *
 * -b, -e, -v: entries for each part (defaults 200000, 2000, 1000000);
 * DIR: where the logs go (default: a new directory in $TMPDIR or /var/tmp;
 * it should be on the disk the gateway uses, not a tmpfs).  Prints
 * entries per second and ratios; asserts nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "risk/risklog.h"
#include "risk/verify.h"

#define EVERY	1000	/* entries per signed head */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A risk entry as the agent writes them, about 230 bytes. */
static size_t entry(uint64_t i, char *buf, size_t size)
{
	return (size_t)snprintf(buf, size,
		"{\"seq\":%" PRIu64 ",\"time\":\"2026-11-28T12:34:56.%09" PRIu64 "Z\","
		"\"event\":\"tty_open\",\"device\":\"monitor-icu-1\",\"hazard\":\"H-04 "
		"unauthorised access to patient data\",\"severity\":4,\"probability\":2,"
		"\"control\":\"C-12 serial guard\",\"residual\":\"acceptable\"}",
		i, i % 1000000000);
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "risklog bench: %s: %s\n", what, why);
	exit(1);
}

static void rm_log(const char *dir)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/entries", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/heads", dir);
	unlink(path);
	rmdir(dir);
}

/* Seconds to append @n entries to a new log in @dir. */
static double risklog_run(const char *dir, const char *key, uint64_t n,
			  enum cyl_risklog_fsync fs)
{
	struct cyl_risklog *log;
	char err[512], buf[512];
	uint64_t i;
	double t0;

	rm_log(dir);
	if (cyl_risklog_open(dir, key, fs, &log, err, sizeof(err)))
		die(dir, err);
	t0 = now();
	for (i = 0; i < n; i++) {
		if (cyl_risklog_append(log, buf, entry(i, buf, sizeof(buf)), NULL) ||
		    ((i + 1) % EVERY == 0 && cyl_risklog_sign_head(log)))
			die(dir, cyl_risklog_last_error(log));
	}
	cyl_risklog_close(log);	/* signs what is left, syncs */
	return now() - t0;
}

/* Seconds to write() the same entries to a plain file, syncing every @sync. */
static double plain_run(const char *path, uint64_t n, uint64_t sync)
{
	char buf[512];
	uint64_t i;
	size_t len;
	double t0;
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		die(path, strerror(errno));
	t0 = now();
	for (i = 0; i < n; i++) {
		len = entry(i, buf, sizeof(buf));
		if (write(fd, buf, len) != (ssize_t)len)
			die(path, "write");
		if (sync && (i + 1) % sync == 0 && fdatasync(fd))
			die(path, strerror(errno));
	}
	if (fdatasync(fd))
		die(path, strerror(errno));
	close(fd);
	return now() - t0;
}

static double read_back(const char *path)
{
	static char buf[1 << 16];
	double t0 = now();
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die(path, strerror(errno));
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return now() - t0;
}

static double verify_run(const char *dir, const char *pub, uint64_t n)
{
	struct cyl_risk_verify_opts o = { 0 };
	const struct cyl_risk_summary *s;
	struct cyl_risk_view *v;
	char err[512];
	double t0;

	if (cyl_risk_pubkey_read(pub, &o.pubkey, err, sizeof(err)))
		die(pub, err);
	t0 = now();
	if (cyl_risk_verify_dir(dir, &o, &v, err, sizeof(err)))
		die(dir, err);
	t0 = now() - t0;
	s = cyl_risk_view_summary(v);
	if (s->problems || s->entries != n)
		die(dir, "the log does not verify");
	cyl_risk_view_free(v);
	EVP_PKEY_free(o.pubkey);
	return t0;
}

static void row(const char *what, uint64_t n, double s, double base)
{
	printf("%-44s %8" PRIu64 " %9.3f %11.0f", what, n, s, n / s);
	if (base > 0)
		printf("   %6.2fx", s / base);
	putchar('\n');
}

int main(int argc, char *argv[])
{
	uint64_t nb = 200000, ne = 2000, nv = 1000000;
	char base[4096], dir[4200], key[4200], pub[4210], plain[4200], buf[4300];
	const char *tmp = getenv("TMPDIR");
	double r, p, rd;
	int opt;

	while ((opt = getopt(argc, argv, "b:e:v:")) != -1) {
		if (opt == 'b')
			nb = strtoull(optarg, NULL, 10);
		else if (opt == 'e')
			ne = strtoull(optarg, NULL, 10);
		else if (opt == 'v')
			nv = strtoull(optarg, NULL, 10);
		else
			die("usage", "risklog [-b N] [-e N] [-v N] [DIR]");
	}
	if (optind < argc) {
		snprintf(base, sizeof(base), "%s", argv[optind]);
		if (mkdir(base, 0700) && errno != EEXIST)
			die(base, strerror(errno));
	} else {
		snprintf(base, sizeof(base), "%s/risklog-bench.XXXXXX", tmp ? tmp : "/var/tmp");
		if (!mkdtemp(base))
			die(base, strerror(errno));
	}
	snprintf(dir, sizeof(dir), "%s/log", base);
	snprintf(key, sizeof(key), "%s/signing.key", base);
	snprintf(pub, sizeof(pub), "%s.pub", key);
	snprintf(plain, sizeof(plain), "%s/plain", base);

	printf("risklog bench: entries of %zu bytes, a head every %d entries, in %s\n",
	       entry(0, buf, sizeof(buf)), EVERY, base);
	printf("%-44s %8s %9s %11s %10s\n", "", "entries", "seconds", "entries/s", "vs plain");
	r = risklog_run(dir, key, nb, CYL_RISKLOG_FSYNC_BATCH);
	p = plain_run(plain, nb, EVERY);
	row("plain write(), fdatasync every 1000", nb, p, 0);
	row("risklog FSYNC_BATCH, head every 1000", nb, r, p);
	r = risklog_run(dir, key, ne, CYL_RISKLOG_FSYNC_EVERY);
	p = plain_run(plain, ne, 1);
	row("plain write(), fdatasync each", ne, p, 0);
	row("risklog FSYNC_EVERY, head every 1000", ne, r, p);

	risklog_run(dir, key, nv, CYL_RISKLOG_FSYNC_BATCH);
	p = plain_run(plain, nv, 0);
	snprintf(buf, sizeof(buf), "%s/entries", dir);
	rd = read_back(buf);
	r = verify_run(dir, pub, nv);
	row("plain write() of the same, one fdatasync", nv, p, 0);
	row("read() of the log's entries file back", nv, rd, 0);
	row("cyl_risk_verify_dir (against plain write)", nv, r, p);
	printf("%-44s %8s %9s %11s   %6.2fx\n", "cyl_risk_verify_dir (against read back)",
	       "", "", "", r / rd);

	rm_log(dir);
	unlink(plain);
	unlink(key);
	unlink(pub);
	if (optind >= argc)
		rmdir(base);
	return 0;
}
