// SPDX-License-Identifier: GPL-2.0
/*
 * sd_notify() by hand: one datagram to the AF_UNIX socket named in
 * $NOTIFY_SOCKET; a leading '@' means the abstract namespace.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "notify.h"

int cyl_notify(const char *state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = getenv("NOTIFY_SOCKET");
	size_t len;
	int fd, ret;

	if (!path || !*path)
		return 0;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sun.sun_path)) {
		log_warn_f("ignoring NOTIFY_SOCKET \"%s\"", path);
		return -EINVAL;
	}
	memcpy(sun.sun_path, path, len);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_warn_f("socket: %s", strerror(errno));
		return -errno;
	}
	ret = 0;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sun,
		   offsetof(struct sockaddr_un, sun_path) + len) < 0) {
		ret = -errno;
		log_warn_f("sendto %s: %s", path, strerror(errno));
	}
	close(fd);
	return ret;
}

/* A positive decimal without sign, spaces or overflow. */
static int parse_positive(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (*s - '0');
	}
	if (!v)
		return -EINVAL;
	*out = v;
	return 0;
}

int cyl_notify_watchdog_usec(const char *usec_env, const char *pid_env,
			     pid_t self, uint64_t *usec)
{
	uint64_t v, pid;

	*usec = 0;
	if (!usec_env)
		return 0;
	if (parse_positive(usec_env, &v))
		return -EINVAL;
	if (pid_env) {
		if (parse_positive(pid_env, &pid))
			return -EINVAL;
		if (pid != (uint64_t)self)
			return 0;
	}
	*usec = v;
	return 0;
}
