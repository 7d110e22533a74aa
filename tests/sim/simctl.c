// SPDX-License-Identifier: GPL-2.0
/*
 * simctl: the control socket.  A test arms faults, asks for bursts, injects
 * raw bytes and reads counters here while the gateway talks to the device.
 */
#define _GNU_SOURCE	/* accept4() */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "simcore.h"
#include "simtext.h"

#define BURST_MAX	100000

struct ctl_cmd {
	const char *name;
	/* 0: "ok[ reply]"; -1: "error: reply" */
	int (*fn)(struct sim *sim, char *args, char *reply, size_t len);
	const char *help;
};

static int cmd_help(struct sim *sim, char *args, char *reply, size_t len);

static int cmd_fault(struct sim *sim, char *args, char *reply, size_t len)
{
	unsigned long n;

	if (!strcmp(args, "checksum")) {
		sim->fault.checksum = true;
	} else if (!strcmp(args, "truncate")) {
		sim->fault.truncate = true;
	} else if (!strcmp(args, "none")) {
		sim->fault = (struct sim_faults){ 0 };
	} else if (!strncmp(args, "oversize ", 9)) {
		if (sim_parse_ulong(args + 9, SIM_QUEUE_MAX, &n) < 0 ||
		    n < sim->proto->oversize_min) {
			snprintf(reply, len, "oversize wants a length in %zu..%d, not `%s'",
				 sim->proto->oversize_min, SIM_QUEUE_MAX, args + 9);
			return -1;
		}
		sim->fault.oversize = n;
	} else {
		snprintf(reply, len, "unknown fault `%s' (checksum, truncate, oversize N, none)",
			 args);
		return -1;
	}
	return 0;
}

static int cmd_burst(struct sim *sim, char *args, char *reply, size_t len)
{
	unsigned long n;

	if (sim_parse_ulong(args, BURST_MAX, &n) < 0 || !n) {
		snprintf(reply, len, "burst wants a count in 1..%d, not `%s'",
			 BURST_MAX, args);
		return -1;
	}
	if (sim->conn < 0) {
		snprintf(reply, len, "no client connected");
		return -1;
	}
	if (!sim->proto->burst || sim->proto->burst(sim, n) < 0) {
		snprintf(reply, len, "burst failed");
		return -1;
	}
	return 0;
}

static int cmd_send(struct sim *sim, char *args, char *reply, size_t len)
{
	uint8_t bytes[SIM_CTL_LINE / 2];
	long n = sim_unhex(args, bytes, sizeof(bytes));

	if (n <= 0) {
		snprintf(reply, len, "send wants hex bytes, not `%.40s'", args);
		return -1;
	}
	if (sim->conn < 0) {
		snprintf(reply, len, "no client connected");
		return -1;
	}
	if (sim_send(sim, bytes, (size_t)n, 0, false) < 0) {
		snprintf(reply, len, "the line did not take %ld bytes", n);
		return -1;
	}
	return 0;
}

static int cmd_stats(struct sim *sim, char *args, char *reply, size_t len)
{
	int n = snprintf(reply, len,
			 "sent_frames=%lu sent_bytes=%lu dropped_frames=%lu rx_bytes=%lu connects=%lu connected=%d seq=%lu",
			 sim->st.frames, sim->st.bytes, sim->st.dropped,
			 sim->st.rx_bytes, sim->st.connects, sim->conn >= 0,
			 sim->seq);

	if (sim->proto->stats && n > 0 && (size_t)n < len)
		sim->proto->stats(sim, reply + n, len - (size_t)n);
	return 0;
}

static const struct ctl_cmd cmds[] = {
	{ "fault", cmd_fault, "fault checksum|truncate|oversize N|none: spoil the next frame" },
	{ "burst", cmd_burst, "burst N: send N frames back to back" },
	{ "send", cmd_send, "send HEX: write these bytes to the line" },
	{ "stats", cmd_stats, "stats: counters" },
	{ "help", cmd_help, "help: this list" },
};

static int cmd_help(struct sim *sim, char *args, char *reply, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]) && n < len; i++)
		n += (size_t)snprintf(reply + n, len - n, "%s%s", i ? "; " : "",
				      cmds[i].help);
	return 0;
}

void sim_ctl_init(struct sim_ctl *ctl)
{
	int i;

	ctl->lfd = -1;
	for (i = 0; i < SIM_CTL_CLIENTS; i++)
		ctl->c[i].fd = -1;
}

int sim_ctl_listen(struct sim_ctl *ctl, const char *path)
{
	ctl->lfd = sim_listen_unix(path, SIM_CTL_CLIENTS);
	return ctl->lfd < 0 ? -1 : 0;
}

int sim_ctl_pollfds(const struct sim_ctl *ctl, struct pollfd *pfd)
{
	int i, n = 0;

	if (ctl->lfd < 0)
		return 0;
	pfd[n++] = (struct pollfd){ .fd = ctl->lfd, .events = POLLIN };
	for (i = 0; i < SIM_CTL_CLIENTS; i++)
		pfd[n++] = (struct pollfd){ .fd = ctl->c[i].fd, .events = POLLIN };
	return n;	/* poll() skips the negative descriptors of free slots */
}

static void drop_client(struct sim_ctl_client *c)
{
	close(c->fd);
	c->fd = -1;
}

static void reply(struct sim_ctl_client *c, const char *text)
{
	size_t n = strlen(text);

	while (n) {
		ssize_t w = send(c->fd, text, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			drop_client(c);
			return;
		}
		text += w;
		n -= (size_t)w;
	}
}

/* Run one command line and answer it. */
static void run(struct sim *sim, struct sim_ctl_client *c, char *line)
{
	char out[SIM_CTL_LINE] = "", msg[SIM_CTL_LINE + 16];
	char *args = strchr(line, ' ');
	size_t i, namelen = args ? (size_t)(args - line) : strlen(line);
	int r = -1;

	args = args ? args + 1 : line + namelen;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strlen(cmds[i].name) == namelen &&
		    !strncmp(cmds[i].name, line, namelen)) {
			r = cmds[i].fn(sim, args, out, sizeof(out));
			break;
		}
	}
	if (i == sizeof(cmds) / sizeof(cmds[0]))
		snprintf(out, sizeof(out), "unknown command `%.64s' (try help)", line);
	if (r == 0)
		snprintf(msg, sizeof(msg), "ok%s%s\n", *out ? " " : "", out);
	else
		snprintf(msg, sizeof(msg), "error: %s\n", out);
	sim_log(sim, "control: %.80s -> %.*s", line, (int)strcspn(msg, "\n"), msg);
	reply(c, msg);
}

static void client_input(struct sim *sim, struct sim_ctl_client *c)
{
	char buf[4096];
	ssize_t n = read(c->fd, buf, sizeof(buf));
	ssize_t i;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		drop_client(c);
		return;
	}
	for (i = 0; i < n && c->fd >= 0; i++) {
		if (buf[i] != '\n') {
			if (c->skip)
				continue;
			if (c->len < sizeof(c->line) - 1) {
				c->line[c->len++] = buf[i];
				continue;
			}
			reply(c, "error: line too long\n");
			c->skip = true;
			continue;
		}
		if (!c->skip) {
			if (c->len && c->line[c->len - 1] == '\r')
				c->len--;
			c->line[c->len] = '\0';
			if (c->len)
				run(sim, c, c->line);
		}
		c->len = 0;
		c->skip = false;
	}
}

void sim_ctl_handle(struct sim *sim, const struct pollfd *pfd, int n)
{
	struct sim_ctl *ctl = &sim->ctl;
	int i;

	if (!n)
		return;
	for (i = 0; i < SIM_CTL_CLIENTS; i++) {
		struct sim_ctl_client *c = &ctl->c[i];

		if (c->fd >= 0 && pfd[1 + i].fd == c->fd &&
		    (pfd[1 + i].revents & (POLLIN | POLLHUP | POLLERR)))
			client_input(sim, c);
	}
	if (pfd[0].revents & POLLIN) {
		int fd = accept4(ctl->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		for (i = 0; i < SIM_CTL_CLIENTS && ctl->c[i].fd >= 0; i++)
			;
		if (i == SIM_CTL_CLIENTS) {
			static const char busy[] = "error: too many control clients\n";

			send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL);
			close(fd);
			return;
		}
		ctl->c[i] = (struct sim_ctl_client){ .fd = fd };
	}
}

void sim_ctl_close(struct sim_ctl *ctl)
{
	int i;

	for (i = 0; i < SIM_CTL_CLIENTS; i++)
		if (ctl->c[i].fd >= 0)
			drop_client(&ctl->c[i]);
	if (ctl->lfd >= 0)
		close(ctl->lfd);
	ctl->lfd = -1;
}
