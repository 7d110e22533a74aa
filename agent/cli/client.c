// SPDX-License-Identifier: GPL-2.0
/*
 * One request per connection: connect, send a line, read until EOF.
 * A receive timeout keeps cylctl from hanging on a wedged daemon.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/ctlproto.h"

#define REPLY_TIMEOUT_S	10

static int connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT_S };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "cylctl: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "cylctl: socket: %s\n", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		fprintf(stderr, "cylctl: cannot connect to %s: %s (is cylcomedd running?)\n",
			path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Reads up to CYL_CTL_MAX_REPLY + 1 bytes so the parser sees oversize. */
static ssize_t recv_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len < size) {
		n = recv(fd, buf + len, size - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		len += n;
	}
	return len;
}

/* Connect and send @line; returns the fd, or -1 after a message. */
static int send_request(const struct cyl_cli *cli, const char *line,
			size_t len)
{
	int fd, r;

	fd = connect_to(cli->socket);
	if (fd < 0)
		return -1;
	if ((r = send_all(fd, line, len)) != 0) {
		fprintf(stderr, "cylctl: send to %s: %s\n", cli->socket,
			strerror(-r));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * With @why (room for @whylen bytes), the daemon's refusal is put there
 * instead of printed; other failures are printed and leave a summary.
 */
static int call_line(const struct cyl_cli *cli, const char *cmd, char *req,
		     size_t len, json_t **reply, char *why, size_t whylen)
{
	char *buf = NULL, err[256];
	int fd = -1, ret = CLI_ERROR, r;
	ssize_t n;

	*reply = NULL;
	if (whylen)
		snprintf(why, whylen, "no answer from the agent");
	buf = malloc(CYL_CTL_MAX_REPLY + 1);
	if (!req || !buf) {
		fprintf(stderr, "cylctl: out of memory\n");
		goto out;
	}
	if ((fd = send_request(cli, req, len)) < 0)
		goto out;
	n = recv_all(fd, buf, CYL_CTL_MAX_REPLY + 1);
	if (n < 0) {
		fprintf(stderr, "cylctl: receive from %s: %s\n", cli->socket,
			strerror(-n));
		goto out;
	}
	if ((r = cyl_ctl_parse_reply(buf, n, reply, err, sizeof(err))) != 0) {
		if (whylen && r == -EREMOTEIO)
			snprintf(why, whylen, "%s", err);
		else
			fprintf(stderr, "cylctl: %s\n", err);
		goto out;
	}
	ret = CLI_OK;
out:
	free(req);
	free(buf);
	if (fd >= 0)
		close(fd);
	return ret;
}

int cyl_cli_call(const struct cyl_cli *cli, const char *cmd, json_t **reply)
{
	size_t len = 0;
	char *line = cyl_ctl_request_build(cmd, &len);	/* sets len first */

	return call_line(cli, cmd, line, len, reply, NULL, 0);
}

int cyl_cli_call_req(const struct cyl_cli *cli, json_t *req, json_t **reply)
{
	return cyl_cli_call_req_why(cli, req, reply, NULL, 0);
}

int cyl_cli_call_req_why(const struct cyl_cli *cli, json_t *req,
			 json_t **reply, char *why, size_t whylen)
{
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	size_t len = 0;
	char *line = cyl_ctl_request_dump(req, &len);	/* sets len first */

	return call_line(cli, cmd ? cmd : "?", line, len, reply, why, whylen);
}

#define STREAM_LINE_MAX	(64 * 1024)

int cyl_cli_stream(const struct cyl_cli *cli, json_t *req,
		   int (*fn)(void *ctx, json_t *obj), void *ctx)
{
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	struct timeval none = { 0 };
	char *line, *buf = NULL, *nl, err[256];
	size_t len = 0, used = 0;
	bool accepted = false;
	json_t *obj;
	int fd, ret = CLI_ERROR;
	ssize_t n;

	line = cyl_ctl_request_dump(req, &len);
	buf = malloc(STREAM_LINE_MAX);
	if (!line || !buf) {
		fprintf(stderr, "cylctl: out of memory\n");
		free(line);
		free(buf);
		return CLI_ERROR;
	}
	fd = send_request(cli, line, len);
	free(line);
	if (fd < 0)
		goto out;
	for (;;) {
		while ((nl = memchr(buf, '\n', used))) {
			size_t l = nl - buf + 1;

			if (!accepted) {
				if (cyl_ctl_parse_reply(buf, l, &obj, err, sizeof(err))) {
					fprintf(stderr, "cylctl: %s: %s\n", cmd, err);
					goto out;
				}
				json_decref(obj);
				accepted = true;
				/* Events may be hours apart: no timeout now. */
				setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
				fn(ctx, NULL);
			} else {
				obj = json_loadb(buf, l - 1, 0, NULL);
				if (!json_is_object(obj)) {
					fprintf(stderr, "cylctl: %s: malformed line in the stream\n", cmd);
					json_decref(obj);
					goto out;
				}
				fn(ctx, obj);
				json_decref(obj);
			}
			memmove(buf, buf + l, used - l);
			used -= l;
		}
		if (used == STREAM_LINE_MAX) {
			fprintf(stderr, "cylctl: %s: line longer than %d bytes\n",
				cmd, STREAM_LINE_MAX);
			goto out;
		}
		n = recv(fd, buf + used, STREAM_LINE_MAX - used, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "cylctl: receive from %s: %s\n", cli->socket,
				strerror(errno));
			goto out;
		}
		if (!n) {
			fprintf(stderr, "cylctl: %s: %s\n", cmd, accepted ?
				"stream closed by cylcomedd" : "no reply");
			goto out;
		}
		used += n;
	}
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return ret;
}

int cyl_cli_sub_options(int argc, char *argv[], struct cyl_cli *cli,
			void (*usage)(FILE *f))
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ "json",	no_argument,	NULL, 'j' },
		{ 0 }
	};
	int opt;

	optind = 0;	/* glibc: restart scanning on this argv */
	/* No permutation: options after the subcommand are its own. */
	while ((opt = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			return CLI_OK;
		}
		if (opt == 'j') {
			cli->json = true;
			continue;
		}
		usage(stderr);
		return CLI_USAGE;
	}
	return -1;
}

int cyl_cli_query_main(int argc, char *argv[], struct cyl_cli *cli,
		       const struct cyl_cli_query *q)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "help",	no_argument,	NULL, 'h' },
		{ 0 }
	};
	json_t *reply, *out;
	int opt, ret;

	optind = 0;	/* glibc: restart scanning on this argv */
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			cli->json = true;
			break;
		case 'h':
			q->usage(stdout);
			return CLI_OK;
		default:
			q->usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind < argc) {
		q->usage(stderr);
		return CLI_USAGE;
	}

	ret = cyl_cli_call(cli, q->cmd, &reply);
	if (ret)
		return ret;
	if (cli->json) {
		out = q->json_member ? json_object_get(reply, q->json_member) : reply;
		json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("\n");
	} else {
		q->print(reply);
	}
	json_decref(reply);
	return CLI_OK;
}
