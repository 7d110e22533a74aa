// SPDX-License-Identifier: GPL-2.0
/*
 * devsim: a medical-device simulator on the far end of qemu's emulated
 * FTDI USB-serial port.
 *
 * It listens on a Unix socket that scripts/vmtest hands to qemu
 * (--usb-serial SOCKET), and behaves like a device on a serial line:
 * "monitor" streams one vital-signs line per interval, as bedside monitors
 * with an ASCII export do.  Bytes the guest writes to the device are
 * logged, and the identity query "ID?" (CR or LF terminated) is answered
 * with "ID MON1 SN=SIM0001 FW=2.3", so a test in the guest can see that a
 * write reached the device.
 *
 * "echo" sends back every byte it receives and nothing else: a loopback
 * plug, for tests that compare what a reader gets with what was written.
 *
 * With --daemon it forks once the socket listens and the parent exits 0,
 * so a harness can start it and go on without polling for the socket.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

struct sim {
	const char *socket_path;
	const char *pidfile;
	const char *logfile;
	unsigned int interval_ms;
	bool echo;		/* --proto echo */
	unsigned long count;	/* lines to send, 0 = no limit */
	unsigned long sent;
	unsigned long dropped;	/* lines the port could not take */
	FILE *log;
	char cmd[64];		/* the command line being received */
	size_t cmd_len;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: devsim --socket PATH [--proto monitor|echo] [--interval-ms N]\n"
		"              [--count N] [--log FILE] [--daemon --pidfile FILE]\n"
		"Simulate a medical device behind qemu's usb-serial chardev.\n");
}

/* One line of a bedside monitor's ASCII export, with a sequence number. */
static int monitor_line(char *buf, size_t len, unsigned long seq)
{
	static const int hr[] = { 72, 73, 71, 74, 72, 70 };

	return snprintf(buf, len, "MON1 seq=%lu HR=%d SPO2=98 RESP=16 TEMP=36.8\r\n",
			seq, hr[seq % (sizeof(hr) / sizeof(hr[0]))]);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Collect received bytes into lines and answer the ones the device knows. */
static int handle_input(struct sim *sim, int conn, const char *buf, size_t n)
{
	static const char id_reply[] = "ID MON1 SN=SIM0001 FW=2.3\r\n";
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] != '\r' && buf[i] != '\n') {
			if (sim->cmd_len < sizeof(sim->cmd) - 1)
				sim->cmd[sim->cmd_len++] = buf[i];
			continue;
		}
		/*
		 * Match the end of the line only: bytes the guest echoed
		 * back before it set raw mode may precede the command.
		 */
		if (sim->cmd_len >= 3 &&
		    !memcmp(sim->cmd + sim->cmd_len - 3, "ID?", 3)) {
			fprintf(sim->log, "devsim: answered ID?\n");
			if (write_all(conn, id_reply, sizeof(id_reply) - 1) < 0)
				return -1;
		}
		sim->cmd_len = 0;
	}
	return 0;
}

/* Serve one qemu connection until it closes or the count is reached. */
static int serve(struct sim *sim, int conn)
{
	struct itimerspec its = { 0 };
	struct pollfd pfd[2];
	char buf[512];
	int tfd, ret = 0;

	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (tfd < 0)
		return -1;
	its.it_value.tv_nsec = 1;
	its.it_interval.tv_sec = sim->interval_ms / 1000;
	its.it_interval.tv_nsec = (long)(sim->interval_ms % 1000) * 1000000L;
	timerfd_settime(tfd, 0, &its, NULL);

	pfd[0] = (struct pollfd){ .fd = conn, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = tfd, .events = POLLIN };
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -1;
			break;
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(conn, buf, sizeof(buf));

			if (n <= 0)
				break;	/* qemu went away */
			if (sim->echo) {
				if (write_all(conn, buf, (size_t)n) < 0)
					break;
				continue;
			}
			fprintf(sim->log, "devsim: received %zd bytes: ", n);
			fwrite(buf, 1, (size_t)n, sim->log);
			fputc('\n', sim->log);
			fflush(sim->log);
			if (handle_input(sim, conn, buf, (size_t)n) < 0)
				break;
		}
		if (pfd[1].revents & POLLIN) {
			unsigned long long ticks;
			int len;

			if (read(tfd, &ticks, sizeof(ticks)) < 0)
				continue;
			if (sim->echo || (sim->count && sim->sent >= sim->count))
				continue;
			len = monitor_line(buf, sizeof(buf), sim->sent + 1);
			/*
			 * A serial line does not queue: when nobody in the
			 * guest reads and qemu stops taking bytes, the
			 * device's output is lost, not delivered late.
			 */
			if (send(conn, buf, (size_t)len, MSG_DONTWAIT) < 0) {
				if (errno != EAGAIN)
					break;
				sim->dropped++;
			}
			sim->sent++;
		}
	}
	close(tfd);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "proto", required_argument, NULL, 'p' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "log", required_argument, NULL, 'l' },
		{ "daemon", no_argument, NULL, 'd' },
		{ "pidfile", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sim sim = { .interval_ms = 100, .log = stderr };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int daemonize = 0, lfd, c;

	while ((c = getopt_long(argc, argv, "s:p:i:n:l:dP:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': sim.socket_path = optarg; break;
		case 'p':
			if (!strcmp(optarg, "echo")) {
				sim.echo = true;
			} else if (strcmp(optarg, "monitor")) {
				fprintf(stderr, "devsim: unknown protocol '%s' (known: monitor, echo)\n", optarg);
				return 2;
			}
			break;
		case 'i': sim.interval_ms = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'n': sim.count = strtoul(optarg, NULL, 10); break;
		case 'l': sim.logfile = optarg; break;
		case 'd': daemonize = 1; break;
		case 'P': sim.pidfile = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!sim.socket_path || !sim.interval_ms ||
	    strlen(sim.socket_path) >= sizeof(sun.sun_path)) {
		usage(stderr);
		return 2;
	}
	if (sim.logfile && !(sim.log = fopen(sim.logfile, "a"))) {
		perror(sim.logfile);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);

	strcpy(sun.sun_path, sim.socket_path);
	unlink(sim.socket_path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(lfd, 1) < 0) {
		fprintf(stderr, "devsim: %s: %s\n", sim.socket_path, strerror(errno));
		return 1;
	}
	if (daemonize) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid > 0) {
			if (sim.pidfile) {
				FILE *f = fopen(sim.pidfile, "w");

				if (!f) {
					perror(sim.pidfile);
					return 1;
				}
				fprintf(f, "%d\n", pid);
				fclose(f);
			}
			return 0;	/* the socket listens already */
		}
		setsid();
	}
	for (;;) {
		int conn = accept(lfd, NULL, NULL);

		if (conn < 0) {
			if (errno == EINTR)
				continue;
			perror("accept");
			return 1;
		}
		/* Keep the backlog in the socket to about one line burst. */
		setsockopt(conn, SOL_SOCKET, SO_SNDBUF, &(int){ 2048 }, sizeof(int));
		fprintf(sim.log, "devsim: connected\n");
		fflush(sim.log);
		sim.cmd_len = 0;
		serve(&sim, conn);
		close(conn);
		fprintf(sim.log, "devsim: disconnected after %lu lines (%lu not taken)\n",
			sim.sent, sim.dropped);
		fflush(sim.log);
	}
}
