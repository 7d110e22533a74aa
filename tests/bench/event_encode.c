// SPDX-License-Identifier: GPL-2.0
/*
 * event_encode: what one ring-buffer record costs the agent in user
 * space before any system call: its JSON log line and its "event:" line,
 * batched as the agent batches them, by the two paths the agent has:
 * the rendered hot path (no follower attached) and the jansson path
 * (a "cylctl events --follow" is attached).  The baseline, measured in
 * the same process, is a plain snprintf() of the same fields.
 *
 *   build/tests/bench/event_encode [N]
 *
 * Prints ns per event for both and their ratio; asserts nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include <cylcomed/bpf.h>

#include "core/event.h"
#include "core/eventlog.h"

#define REAL_NS	1795896413856000000LL

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double agent_path(const struct cyl_event *ev, long n,
			 struct cyl_eventlog *log)
{
	char line[1024];
	double t0 = now_ns();
	long i;

	cyl_eventlog_batch(log, true);
	for (i = 0; i < n; i++) {
		json_t *e = cyl_event_from_bpf(ev, "monitor-icu-1",
					       "/usr/bin/head", REAL_NS);

		cyl_event_stamp(e, REAL_NS, "gateway", i + 1);
		cyl_event_line(e, line, sizeof(line));
		cyl_eventlog_write(log, e);
		json_decref(e);
		if (i % 128 == 127) {	/* a ring-buffer drain's worth */
			cyl_eventlog_batch(log, false);
			cyl_eventlog_batch(log, true);
		}
	}
	cyl_eventlog_batch(log, false);
	return (now_ns() - t0) / n;
}

static double render_path(const struct cyl_event *ev, long n,
			  struct cyl_eventlog *log)
{
	char json[CYL_EVENT_RENDER_MAX], line[CYL_EVENT_LINE_MAX];
	double t0 = now_ns();
	long i;
	int len;

	cyl_eventlog_batch(log, true);
	for (i = 0; i < n; i++) {
		len = cyl_event_bpf_render(ev, "monitor-icu-1", "/usr/bin/head",
					   REAL_NS, "gateway", i + 1, json,
					   sizeof(json), line, sizeof(line));
		if (len > 0)
			cyl_eventlog_write_line(log, json, len);
		if (i % 128 == 127) {
			cyl_eventlog_batch(log, false);
			cyl_eventlog_batch(log, true);
		}
	}
	cyl_eventlog_batch(log, false);
	return (now_ns() - t0) / n;
}

static double baseline(const struct cyl_event *ev, long n, FILE *sink)
{
	char line[1024];
	double t0 = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		int len = snprintf(line, sizeof(line),
			"{\"time\":\"2026-11-28T20:06:53.856Z\",\"host\":\"gateway\","
			"\"seq\":%ld,\"type\":\"tty_open\",\"device\":\"monitor-icu-1\","
			"\"subject\":{\"pid\":%u,\"exe\":\"/usr/bin/head\",\"uid\":%u,"
			"\"comm\":\"%s\"},\"verdict\":\"audit\",\"reason\":\"guarded "
			"device node opened\",\"dev\":\"%u:%u\"}\n", i + 1, ev->pid,
			ev->uid, ev->comm, CYL_DEV_MAJOR(ev->dev),
			CYL_DEV_MINOR(ev->dev));

		fwrite(line, 1, len, sink);
	}
	fflush(sink);
	return (now_ns() - t0) / n;
}

int main(int argc, char **argv)
{
	struct cyl_event ev = {
		.ts_ns = 123456789, .type = CYL_EV_TTY_OPEN,
		.verdict = CYL_VERDICT_AUDIT, .pid = 4242, .uid = 0,
		.dev = CYL_MKDEV(188, 0), .comm = "head",
	};
	char path[] = "/tmp/event_encode.XXXXXX";
	long n = argc > 1 ? atol(argv[1]) : 200000;
	struct cyl_eventlog *log;
	double agent, rendered, base;
	FILE *sink;
	int fd;

	fd = mkstemp(path);
	if (fd < 0 || n <= 0) {
		fprintf(stderr, "usage: event_encode [N>0]\n");
		return 2;
	}
	close(fd);
	if (cyl_eventlog_open(&log, path, CYL_EVENTLOG_FSYNC_NEVER) ||
	    !(sink = fopen("/dev/null", "w"))) {
		perror(path);
		return 1;
	}
	agent = agent_path(&ev, n, log);
	rendered = render_path(&ev, n, log);
	base = baseline(&ev, n, sink);
	printf("event_encode: %ld events\n", n);
	printf("agent, rendered path (no follower):  %8.0f ns/event\n", rendered);
	printf("agent, jansson path (a follower):    %8.0f ns/event\n", agent);
	printf("baseline (snprintf of the same line): %8.0f ns/event\n", base);
	printf("ratio rendered/baseline: %.1f, jansson/baseline: %.1f\n",
	       rendered / base, agent / base);
	cyl_eventlog_close(log);
	fclose(sink);
	unlink(path);
	return 0;
}
