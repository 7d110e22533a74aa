/* SPDX-License-Identifier: GPL-2.0 */
/*
 * simcore: the part every device simulator shares.
 *
 * A simulator is a Unix-socket server at the far end of qemu's emulated
 * usb-serial adapter: qemu connects as the one client, and the bytes each
 * side writes are the bytes on the serial line.  simcore owns the sockets,
 * the common options, the event loop (device connection, interval timer,
 * one protocol deadline, signals, control socket), the raw receive log and
 * the send queue.  A simulator fills in a struct sim_proto with what its
 * device does when bytes arrive, when the interval ticks and when its
 * deadline passes, then hands over to sim_main().
 *
 * Sending: a frame is queued whole or not at all.  A "lossy" frame (the
 * periodic output) is dropped when the line has not taken the previous
 * one, as on a serial line nobody reads; other frames (replies, bursts,
 * protocol bytes) wait in a bounded queue.
 */
#ifndef CYL_SIMCORE_H
#define CYL_SIMCORE_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "simctl.h"

/* getopt_long values of the common options: above any short option. */
enum {
	SIM_OPT_SOCKET = 0x100,
	SIM_OPT_CONTROL,
	SIM_OPT_RX_LOG,
	SIM_OPT_LOG,
	SIM_OPT_DAEMON,
	SIM_OPT_PIDFILE,
	SIM_OPT_INTERVAL,
	SIM_OPT_COUNT,
	SIM_OPT_SEED,
	SIM_OPT_FAULT_EVERY,
	SIM_OPT_FAULT_KIND,
	SIM_OPT_HELP,
};

#define SIM_COMMON_OPTIONS						\
	{ "socket", required_argument, NULL, SIM_OPT_SOCKET },		\
	{ "control", required_argument, NULL, SIM_OPT_CONTROL },	\
	{ "rx-log", required_argument, NULL, SIM_OPT_RX_LOG },		\
	{ "log", required_argument, NULL, SIM_OPT_LOG },		\
	{ "daemon", no_argument, NULL, SIM_OPT_DAEMON },		\
	{ "pidfile", required_argument, NULL, SIM_OPT_PIDFILE },	\
	{ "interval-ms", required_argument, NULL, SIM_OPT_INTERVAL },	\
	{ "count", required_argument, NULL, SIM_OPT_COUNT },		\
	{ "seed", required_argument, NULL, SIM_OPT_SEED },		\
	{ "fault-every", required_argument, NULL, SIM_OPT_FAULT_EVERY },	\
	{ "fault-kind", required_argument, NULL, SIM_OPT_FAULT_KIND },	\
	{ "help", no_argument, NULL, SIM_OPT_HELP }

#define SIM_QUEUE_MAX	(1024 * 1024)	/* bytes waiting for the line */

struct sim;

/* What one kind of device does; NULL callbacks do nothing. */
struct sim_proto {
	const char *name;
	const char *usage;		/* its own options, for --help */
	size_t oversize_min;		/* smallest "fault oversize N" it can make */
	/* A client connected: reset what belongs to one connection. */
	void (*connected)(struct sim *sim);
	/* Bytes arrived from the gateway (already counted and logged). */
	void (*received)(struct sim *sim, const uint8_t *p, size_t n);
	/* The interval elapsed: periodic output. */
	void (*tick)(struct sim *sim);
	/* The deadline set with sim_set_timeout() passed. */
	void (*timeout)(struct sim *sim);
	/* "burst N": N frames now, as fast as the protocol allows. */
	int (*burst)(struct sim *sim, unsigned long n);
	/* Append " name=value" counters of the protocol to @buf. */
	void (*stats)(struct sim *sim, char *buf, size_t len);
};

struct sim_stats {
	unsigned long frames;	/* frames queued for the line */
	unsigned long bytes;	/* bytes queued for the line */
	unsigned long dropped;	/* frames the line did not take */
	unsigned long rx_bytes;	/* bytes received from the gateway */
	unsigned long connects;
};

/* Faults armed on the control socket; the next frame built consumes them. */
struct sim_faults {
	bool checksum;
	bool truncate;
	size_t oversize;	/* 0: none */
};

struct sim {
	const struct sim_proto *proto;
	void *priv;			/* the protocol's state */

	/* options */
	const char *socket_path;
	const char *control_path;
	const char *rxlog_path;
	const char *log_path;
	const char *pidfile;
	bool daemonize;
	unsigned int interval_ms;	/* 0: no periodic output */
	unsigned long count;		/* periodic frames, 0: no limit */
	uint64_t seed;
	unsigned long fault_every;	/* periodic frames whose sequence number
					 * is a multiple of this get fault_kind */
	struct sim_faults fault_kind;

	/* state */
	FILE *log;
	int rxlog_fd;			/* -1 without --rx-log */
	int lfd;			/* device socket, listening */
	int conn;			/* the connected client, or -1 */
	bool broken;			/* conn failed while sending */
	int tfd;			/* interval timer */
	int dfd;			/* protocol deadline */
	int sfd;			/* signals */
	unsigned long ticks;
	unsigned long seq;		/* last sequence number put in a frame */
	uint8_t *out;			/* send queue */
	size_t out_len, out_off;
	struct sim_faults fault;
	struct sim_stats st;
	struct sim_ctl ctl;
};

/* Defaults for @proto; the interval is the device's own default. */
void sim_init(struct sim *sim, const struct sim_proto *proto,
	      unsigned int interval_ms);

/*
 * A common option from getopt_long(): 0 if it was one and is valid,
 * 1 if it is not a common option, -1 (message printed) if its value is bad.
 */
int sim_option(struct sim *sim, int c, const char *arg);

void sim_usage(const struct sim *sim, FILE *out);

/* Listen, daemonize if asked, serve until SIGTERM; returns an exit code. */
int sim_main(struct sim *sim);

/*
 * Queue @n bytes holding @frames frames for the line.  Returns 0, or -1 if
 * they were dropped: no client, a lossy frame while the line is busy, or
 * the queue is full.
 */
int sim_send(struct sim *sim, const void *p, size_t n, unsigned int frames,
	     bool lossy);

/* The protocol's deadline: call ->timeout() in @ms (0 cancels). */
void sim_set_timeout(struct sim *sim, unsigned int ms);

/* Log a line, prefixed with the program's name and seconds since start. */
void sim_log(struct sim *sim, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Log @p[0..@n) with control bytes spelt <STX>, <0x1f>... */
void sim_log_bytes(struct sim *sim, const char *what, const uint8_t *p,
		   size_t n);

/* A stream socket listening at @path (replacing a stale one); fd or -1. */
int sim_listen_unix(const char *path, int backlog);

/* Parse all of @s as a number in 0..@max; 0 or -1. */
int sim_parse_ulong(const char *s, unsigned long max, unsigned long *out);

#endif /* CYL_SIMCORE_H */
