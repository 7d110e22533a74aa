// SPDX-License-Identifier: GPL-2.0
/*
 * One request per connection: connect, send a line, read until EOF.
 * A receive timeout keeps cylctl from hanging on a wedged daemon.
 */
#include <errno.h>
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

int cyl_cli_call(const struct cyl_cli *cli, const char *cmd, json_t **reply)
{
	return cyl_cli_call_args(cli, cmd, NULL, reply);
}

int cyl_cli_call_args(const struct cyl_cli *cli, const char *cmd,
		      const json_t *args, json_t **reply)
{
	char *req = NULL, *buf = NULL, err[256];
	int fd, ret = CLI_ERROR, r;
	size_t len = 0;
	ssize_t n;

	*reply = NULL;
	fd = connect_to(cli->socket);
	if (fd < 0)
		return CLI_ERROR;

	req = cyl_ctl_request_build_args(cmd, args, &len);
	buf = malloc(CYL_CTL_MAX_REPLY + 1);
	if (!req || !buf) {
		fprintf(stderr, "cylctl: out of memory\n");
		goto out;
	}
	if ((r = send_all(fd, req, len)) != 0) {
		fprintf(stderr, "cylctl: send to %s: %s\n", cli->socket,
			strerror(-r));
		goto out;
	}
	n = recv_all(fd, buf, CYL_CTL_MAX_REPLY + 1);
	if (n < 0) {
		fprintf(stderr, "cylctl: receive from %s: %s\n", cli->socket,
			strerror(-n));
		goto out;
	}
	if (cyl_ctl_parse_reply(buf, n, reply, err, sizeof(err))) {
		fprintf(stderr, "cylctl: %s\n", err);
		goto out;
	}
	ret = CLI_OK;
out:
	free(req);
	free(buf);
	close(fd);
	return ret;
}
