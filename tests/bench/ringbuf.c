// SPDX-License-Identifier: GPL-2.0
/*
 * ringbuf: the two halves of the ring-buffer ingest benchmark, run in a
 * guest by tests/bench/ringbuf.sh.
 *
 *   ringbuf produce --rate R --seconds T   emit R records/s for T s into
 *                                          the pinned "events" (CPU 0)
 *   ringbuf consume-bare --seconds T       drain "events" with a no-op
 *                                          callback for T s (CPU 1)
 *
 * Both load bench_producer with "events" pinned at the agent's path, so
 * they share the agent's ring buffer (and create it if no agent ran yet).
 * Output is "key value" lines for the driver script.  No timing is judged
 * here: the script decides what the numbers mean.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cylcomed/bpf.h>
#include "bench_producer.h"
#include "bench_producer.skel.h"

#define TICK_NS		1000000L	/* the producer's pacing period */
/* At most half the ring per tick, so catching up never floods it alone. */
#define MAX_BATCH	(CYL_EVENTS_RB_SIZE / 2 / (sizeof(struct cyl_event) + 8))

static const char *me = "ringbuf";

static int pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "%s: pin to CPU %d: %s\n", me, cpu,
			strerror(errno));
		return -errno;
	}
	return 0;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Open and load bench_producer with "events" at the agent's pin. */
static int open_producer(struct bench_producer **out)
{
	struct bench_producer *skel;
	char path[256];
	int ret;

	*out = NULL;
	if (mkdir(CYL_PIN_DIR, 0700) && errno != EEXIST) {
		fprintf(stderr, "%s: mkdir %s: %s\n", me, CYL_PIN_DIR,
			strerror(errno));
		return -errno;
	}
	skel = bench_producer__open();
	if (!skel) {
		ret = -errno;
		fprintf(stderr, "%s: open bench_producer: %s\n", me,
			strerror(errno));
		return ret;
	}
	snprintf(path, sizeof(path), "%s/events", CYL_PIN_DIR);
	ret = bpf_map__set_pin_path(skel->maps.events, path);
	if (ret) {
		fprintf(stderr, "%s: set pin path %s: %s\n", me, path,
			strerror(-ret));
		goto err;
	}
	ret = bench_producer__load(skel);
	if (ret) {
		fprintf(stderr, "%s: load bench_producer: %s\n", me,
			strerror(-ret));
		goto err;
	}
	*out = skel;
	return 0;
err:
	bench_producer__destroy(skel);
	return ret;
}

static int run_batch(int prog_fd, uint32_t count)
{
	struct cyl_bench_args args = { .count = count };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args,
		    .ctx_size_in = sizeof(args));
	int ret;

	ret = bpf_prog_test_run_opts(prog_fd, &opts);
	if (ret) {
		ret = -errno;
		fprintf(stderr, "%s: run bench_producer: %s\n", me,
			strerror(errno));
	}
	return ret;
}

/*
 * Each tick, emit what the rate owes since the start (at most MAX_BATCH),
 * then sleep to the next tick on an absolute clock, so a late tick is
 * made up without drifting.
 */
static int produce(uint64_t rate, unsigned int seconds)
{
	struct bench_producer *skel;
	int64_t start, end, t;
	struct timespec next;
	uint64_t due, sent = 0;
	int prog_fd, ret;

	if ((ret = pin_cpu(0)) != 0 || (ret = open_producer(&skel)) != 0)
		return ret;
	prog_fd = bpf_program__fd(skel->progs.cyl_bench_produce);

	start = now_ns();
	end = start + seconds * 1000000000LL;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while ((t = now_ns()) < end) {
		due = rate * (uint64_t)(t - start) / 1000000000ULL;
		if (due > sent) {
			uint32_t n = due - sent > MAX_BATCH ? MAX_BATCH : due - sent;

			if ((ret = run_batch(prog_fd, n)) != 0)
				goto out;
			sent += n;
		}
		next.tv_nsec += TICK_NS;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	t = now_ns();
	printf("rate %llu\nseconds %.3f\nproduced %llu\ndropped %llu\n",
	       (unsigned long long)rate, (t - start) / 1e9,
	       (unsigned long long)skel->bss->produced,
	       (unsigned long long)skel->bss->dropped);
	ret = 0;
out:
	bench_producer__destroy(skel);
	return ret;
}

static int on_sample(void *ctx, void *data, size_t size)
{
	(*(uint64_t *)ctx)++;
	return 0;
}

/* Drain for @seconds, then whatever is left; announce "ready" first. */
static int consume_bare(unsigned int seconds)
{
	struct bench_producer *skel;
	struct ring_buffer *rb;
	uint64_t consumed = 0;
	int64_t end;
	int ret;

	if ((ret = pin_cpu(1)) != 0 || (ret = open_producer(&skel)) != 0)
		return ret;
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_sample,
			      &consumed, NULL);
	if (!rb) {
		ret = -errno;
		fprintf(stderr, "%s: ring buffer on events: %s\n", me,
			strerror(errno));
		goto out;
	}
	printf("ready\n");
	fflush(stdout);

	end = now_ns() + seconds * 1000000000LL;
	while (now_ns() < end) {
		ret = ring_buffer__poll(rb, 100);
		if (ret < 0 && ret != -EINTR) {
			fprintf(stderr, "%s: ring_buffer__poll: %s\n", me,
				strerror(-ret));
			goto out;
		}
	}
	ret = ring_buffer__consume(rb);
	if (ret < 0) {
		fprintf(stderr, "%s: ring_buffer__consume: %s\n", me,
			strerror(-ret));
		goto out;
	}
	printf("consumed %llu\n", (unsigned long long)consumed);
	ret = 0;
out:
	ring_buffer__free(rb);
	bench_producer__destroy(skel);
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s produce --rate R --seconds T\n"
		"       %s consume-bare --seconds T\n", me, me);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "rate",	required_argument,	NULL, 'r' },
		{ "seconds",	required_argument,	NULL, 's' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	unsigned long long rate = 0;
	unsigned int seconds = 0;
	const char *mode;
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			rate = strtoull(optarg, &end, 10);
			if (*end || !rate) {
				fprintf(stderr, "%s: bad rate `%s'\n", me, optarg);
				return 2;
			}
			break;
		case 's':
			seconds = strtoul(optarg, &end, 10);
			if (*end || !seconds) {
				fprintf(stderr, "%s: bad seconds `%s'\n", me, optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1 || !seconds) {
		usage(stderr);
		return 2;
	}
	mode = argv[optind];
	if (!strcmp(mode, "produce") && rate)
		return produce(rate, seconds) ? EXIT_FAILURE : EXIT_SUCCESS;
	if (!strcmp(mode, "consume-bare"))
		return consume_bare(seconds) ? EXIT_FAILURE : EXIT_SUCCESS;
	usage(stderr);
	return 2;
}
