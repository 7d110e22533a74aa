// SPDX-License-Identifier: GPL-2.0
/*
 * simcore: options, sockets, event loop, send queue and logs of the
 * device simulators (see simcore.h).
 */
#define _GNU_SOURCE	/* accept4() */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "simcore.h"

#define SIM_SNDBUF	2048	/* keep the socket's own backlog to a frame or two */

static struct timespec start;

void sim_init(struct sim *sim, const struct sim_proto *proto,
	      unsigned int interval_ms)
{
	*sim = (struct sim){
		.proto = proto,
		.interval_ms = interval_ms,
		.rxlog_fd = -1,
		.lfd = -1,
		.conn = -1,
		.tfd = -1,
		.dfd = -1,
		.sfd = -1,
	};
	sim_ctl_init(&sim->ctl);
}

int sim_parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int sim_option(struct sim *sim, int c, const char *arg)
{
	unsigned long v;

	switch (c) {
	case SIM_OPT_SOCKET: sim->socket_path = arg; return 0;
	case SIM_OPT_CONTROL: sim->control_path = arg; return 0;
	case SIM_OPT_RX_LOG: sim->rxlog_path = arg; return 0;
	case SIM_OPT_LOG: sim->log_path = arg; return 0;
	case SIM_OPT_DAEMON: sim->daemonize = true; return 0;
	case SIM_OPT_PIDFILE: sim->pidfile = arg; return 0;
	case SIM_OPT_INTERVAL:
		if (sim_parse_ulong(arg, 3600000, &v) < 0)
			break;
		sim->interval_ms = (unsigned int)v;
		return 0;
	case SIM_OPT_COUNT:
		if (sim_parse_ulong(arg, ~0UL, &v) < 0)
			break;
		sim->count = v;
		return 0;
	case SIM_OPT_SEED:
		if (sim_parse_ulong(arg, ~0UL, &v) < 0)
			break;
		sim->seed = v;
		return 0;
	case SIM_OPT_FAULT_EVERY:
		if (sim_parse_ulong(arg, ~0UL, &v) < 0 || !v)
			break;
		sim->fault_every = v;
		return 0;
	case SIM_OPT_FAULT_KIND:
		memset(&sim->fault_kind, 0, sizeof(sim->fault_kind));
		if (!strcmp(arg, "checksum")) {
			sim->fault_kind.checksum = true;
		} else if (!strcmp(arg, "truncate")) {
			sim->fault_kind.truncate = true;
		} else if (!strncmp(arg, "oversize:", 9) &&
			   sim_parse_ulong(arg + 9, SIM_QUEUE_MAX / 2, &v) == 0 &&
			   v >= sim->proto->oversize_min) {
			sim->fault_kind.oversize = v;
		} else {
			fprintf(stderr, "%s: --fault-kind: `%s' is not checksum, truncate or oversize:N\n",
				sim->proto->name, arg);
			return -1;
		}
		return 0;
	default:
		return 1;
	}
	fprintf(stderr, "%s: invalid number `%s'\n", sim->proto->name, arg);
	return -1;
}

void sim_usage(const struct sim *sim, FILE *out)
{
	fprintf(out,
		"usage: %s --socket PATH [--control PATH] [--rx-log FILE] [--log FILE]\n"
		"       [--daemon] [--pidfile FILE] [--interval-ms N] [--count N] [--seed N]\n"
		"       [--fault-every N --fault-kind checksum|truncate|oversize:N]\n"
		"%s",
		sim->proto->name, sim->proto->usage ? sim->proto->usage : "");
}

void sim_log(struct sim *sim, const char *fmt, ...)
{
	struct timespec now;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC, &now);
	fprintf(sim->log, "%8.3f %s: ",
		(double)(now.tv_sec - start.tv_sec) +
		(double)(now.tv_nsec - start.tv_nsec) / 1e9, sim->proto->name);
	va_start(ap, fmt);
	vfprintf(sim->log, fmt, ap);
	va_end(ap);
	fputc('\n', sim->log);
	fflush(sim->log);
}

void sim_log_bytes(struct sim *sim, const char *what, const uint8_t *p,
		   size_t n)
{
	static const char *const names[32] = {
		"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL",
		"BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
		"DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
		"CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
	};
	char text[1024];
	size_t i, len = 0;

	for (i = 0; i < n && len < sizeof(text) - 16; i++) {
		if (p[i] < 32)
			len += (size_t)snprintf(text + len, sizeof(text) - len,
						"<%s>", names[p[i]]);
		else if (p[i] < 127)
			text[len++] = (char)p[i];
		else
			len += (size_t)snprintf(text + len, sizeof(text) - len,
						"<0x%02x>", p[i]);
	}
	text[len] = '\0';
	sim_log(sim, "%s %zu bytes: %s%s", what, n, text, i < n ? "..." : "");
}

int sim_listen_unix(const char *path, int backlog)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(fd, backlog) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void arm(int fd, unsigned int first_ms, unsigned int every_ms)
{
	struct itimerspec its = {
		.it_value.tv_sec = first_ms / 1000,
		.it_value.tv_nsec = (long)(first_ms % 1000) * 1000000L,
		.it_interval.tv_sec = every_ms / 1000,
		.it_interval.tv_nsec = (long)(every_ms % 1000) * 1000000L,
	};

	timerfd_settime(fd, 0, &its, NULL);
}

void sim_set_timeout(struct sim *sim, unsigned int ms)
{
	arm(sim->dfd, ms, 0);
}

/* Send what the queue holds until the socket takes no more. */
static void flush(struct sim *sim)
{
	while (sim->out_off < sim->out_len) {
		ssize_t w = send(sim->conn, sim->out + sim->out_off,
				 sim->out_len - sim->out_off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				sim->broken = true;
			return;
		}
		sim->out_off += (size_t)w;
	}
	sim->out_off = sim->out_len = 0;
}

int sim_send(struct sim *sim, const void *p, size_t n, unsigned int frames,
	     bool lossy)
{
	size_t pending = sim->out_len - sim->out_off;

	if (sim->conn < 0 || sim->broken)
		return -1;
	/*
	 * A serial line does not queue: periodic output that the line has
	 * not taken yet is lost, not delivered late.
	 */
	if ((lossy && pending) || pending + n > SIM_QUEUE_MAX) {
		sim->st.dropped += frames;
		return -1;
	}
	if (sim->out_len + n > SIM_QUEUE_MAX) {
		memmove(sim->out, sim->out + sim->out_off, pending);
		sim->out_off = 0;
		sim->out_len = pending;
	}
	memcpy(sim->out + sim->out_len, p, n);
	sim->out_len += n;
	sim->st.frames += frames;
	sim->st.bytes += n;
	flush(sim);
	return 0;
}

static void rxlog(struct sim *sim, const uint8_t *p, size_t n)
{
	while (sim->rxlog_fd >= 0 && n) {
		ssize_t w = write(sim->rxlog_fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			sim_log(sim, "rx-log %s: %s", sim->rxlog_path, strerror(errno));
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Read everything the gateway has sent so far. */
static void receive(struct sim *sim)
{
	uint8_t buf[65536];

	while (sim->conn >= 0 && !sim->broken) {
		ssize_t n = read(sim->conn, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			sim->broken = true;	/* the client went away */
			return;
		}
		sim->st.rx_bytes += (unsigned long)n;
		rxlog(sim, buf, (size_t)n);
		sim_log_bytes(sim, "received", buf, (size_t)n);
		if (sim->proto->received)
			sim->proto->received(sim, buf, (size_t)n);
	}
}

static void start_ticks(struct sim *sim)
{
	if (sim->interval_ms && (!sim->count || sim->ticks < sim->count))
		arm(sim->tfd, 1, sim->interval_ms);	/* the first one now */
}

static void accept_client(struct sim *sim)
{
	int fd = accept4(sim->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0) {
		if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
			sim_log(sim, "accept: %s", strerror(errno));
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &(int){ SIM_SNDBUF }, sizeof(int));
	sim->conn = fd;
	sim->broken = false;
	sim->out_off = sim->out_len = 0;
	sim->st.connects++;
	sim_log(sim, "connected (connection %lu)", sim->st.connects);
	start_ticks(sim);
	if (sim->proto->connected)
		sim->proto->connected(sim);
}

/* The client went away (guest reboot, unplug, qemu exit): wait for the next. */
static void hangup(struct sim *sim)
{
	close(sim->conn);
	sim->conn = -1;
	sim->broken = false;
	arm(sim->tfd, 0, 0);
	arm(sim->dfd, 0, 0);
	if (sim->out_len > sim->out_off)
		sim_log(sim, "%zu queued bytes lost", sim->out_len - sim->out_off);
	sim->out_off = sim->out_len = 0;
	sim_log(sim, "disconnected: %lu frames sent, %lu dropped, %lu bytes received",
		sim->st.frames, sim->st.dropped, sim->st.rx_bytes);
}

static void tick(struct sim *sim)
{
	uint64_t n;

	if (read(sim->tfd, &n, sizeof(n)) < 0 || sim->conn < 0)
		return;
	sim->ticks++;
	if (sim->count && sim->ticks >= sim->count)
		arm(sim->tfd, 0, 0);
	/* A fault on a schedule, for tests that cannot reach --control. */
	if (sim->fault_every && (sim->seq + 1) % sim->fault_every == 0)
		sim->fault = sim->fault_kind;
	if (sim->proto->tick)
		sim->proto->tick(sim);
}

static void deadline(struct sim *sim)
{
	uint64_t n;

	if (read(sim->dfd, &n, sizeof(n)) < 0 || sim->conn < 0)
		return;
	if (sim->proto->timeout)
		sim->proto->timeout(sim);
}

static int loop(struct sim *sim)
{
	struct pollfd pfd[4 + 1 + SIM_CTL_CLIENTS];

	for (;;) {
		int n = 0, nctl, i_dev, i_ctl;
		struct signalfd_siginfo si;

		pfd[n++] = (struct pollfd){ .fd = sim->sfd, .events = POLLIN };
		i_dev = n;
		if (sim->conn >= 0)
			pfd[n++] = (struct pollfd){
				.fd = sim->conn,
				.events = POLLIN | (sim->out_len > sim->out_off ? POLLOUT : 0),
			};
		else
			pfd[n++] = (struct pollfd){ .fd = sim->lfd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = sim->tfd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = sim->dfd, .events = POLLIN };
		i_ctl = n;
		nctl = sim_ctl_pollfds(&sim->ctl, pfd + n);
		n += nctl;

		if (poll(pfd, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			sim_log(sim, "poll: %s", strerror(errno));
			return 1;
		}
		if (pfd[0].revents & POLLIN) {
			if (read(sim->sfd, &si, sizeof(si)) == sizeof(si))
				sim_log(sim, "exiting on signal %u", si.ssi_signo);
			return 0;
		}
		/*
		 * The device first: bytes written to it before a control
		 * command was sent are handled before that command.
		 */
		if (sim->conn < 0) {
			if (pfd[i_dev].revents & POLLIN)
				accept_client(sim);
		} else {
			if (pfd[i_dev].revents & POLLOUT)
				flush(sim);
			if (pfd[i_dev].revents & (POLLIN | POLLHUP | POLLERR))
				receive(sim);
		}
		if (sim->conn >= 0 && sim->broken)
			hangup(sim);
		if (pfd[2].revents & POLLIN)
			tick(sim);
		if (pfd[3].revents & POLLIN)
			deadline(sim);
		sim_ctl_handle(sim, pfd + i_ctl, nctl);
		if (sim->conn >= 0 && sim->broken)
			hangup(sim);
	}
}

static int write_pidfile(const char *path, pid_t pid)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "%d\n", (int)pid);
	return fclose(f);
}

/* Fork once the sockets listen; the parent writes the pidfile and exits. */
static int daemonize(struct sim *sim)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid > 0) {
		if (sim->pidfile && write_pidfile(sim->pidfile, pid) < 0) {
			perror(sim->pidfile);
			kill(pid, SIGTERM);
			_exit(1);
		}
		_exit(0);	/* the sockets listen already */
	}
	setsid();
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		if (sim->log_path)
			dup2(fd, STDERR_FILENO);
		close(fd);
	}
	return 0;
}

static int setup(struct sim *sim)
{
	sigset_t mask;

	if (sim->log_path) {
		sim->log = fopen(sim->log_path, "ae");
		if (!sim->log) {
			perror(sim->log_path);
			return -1;
		}
	}
	if (sim->rxlog_path) {
		sim->rxlog_fd = open(sim->rxlog_path,
				     O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (sim->rxlog_fd < 0) {
			perror(sim->rxlog_path);
			return -1;
		}
	}
	sim->out = malloc(SIM_QUEUE_MAX);
	if (!sim->out) {
		perror("malloc");
		return -1;
	}
	sim->lfd = sim_listen_unix(sim->socket_path, 1);
	if (sim->lfd < 0) {
		fprintf(stderr, "%s: %s: %s\n", sim->proto->name,
			sim->socket_path, strerror(errno));
		return -1;
	}
	if (sim->control_path && sim_ctl_listen(&sim->ctl, sim->control_path) < 0) {
		fprintf(stderr, "%s: %s: %s\n", sim->proto->name,
			sim->control_path, strerror(errno));
		return -1;
	}
	/* Blocked before the fork, so a SIGTERM right after it is not lost. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (sim->daemonize && daemonize(sim) < 0)
		return -1;
	if (!sim->daemonize && sim->pidfile &&
	    write_pidfile(sim->pidfile, getpid()) < 0) {
		perror(sim->pidfile);
		return -1;
	}
	sim->sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	sim->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	sim->dfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (sim->sfd < 0 || sim->tfd < 0 || sim->dfd < 0) {
		sim_log(sim, "signalfd/timerfd: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Remove the files first and close the control clients last: a client
 * that sees its connection end knows the sockets and pidfile are gone.
 */
static void teardown(struct sim *sim)
{
	if (sim->lfd >= 0)
		unlink(sim->socket_path);
	if (sim->ctl.lfd >= 0)
		unlink(sim->control_path);
	/* The pidfile names this process once setup got past the fork. */
	if (sim->pidfile && sim->sfd >= 0)
		unlink(sim->pidfile);
	if (sim->conn >= 0)
		close(sim->conn);
	if (sim->lfd >= 0)
		close(sim->lfd);
	if (sim->rxlog_fd >= 0)
		close(sim->rxlog_fd);
	free(sim->out);
	sim_ctl_close(&sim->ctl);
}

int sim_main(struct sim *sim)
{
	int ret = 1;

	clock_gettime(CLOCK_MONOTONIC, &start);
	sim->log = stderr;
	if (!sim->socket_path) {
		sim_usage(sim, stderr);
		return 2;
	}
	if (setup(sim) == 0) {
		sim_log(sim, "listening on %s%s%s, interval %u ms, seed %llu",
			sim->socket_path, sim->control_path ? ", control " : "",
			sim->control_path ? sim->control_path : "",
			sim->interval_ms, (unsigned long long)sim->seed);
		ret = loop(sim);
	}
	teardown(sim);
	if (sim->log != stderr)
		fclose(sim->log);
	return ret;
}
