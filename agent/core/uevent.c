// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel uevents (see uevent.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "core/uevent.h"

int cyl_uevent_open(void)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,		/* the kernel's own group, not udev's */
	};
	int fd;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

int cyl_uevent_parse(char *buf, size_t len, struct cyl_uevent *ev)
{
	char *at;
	size_t off;

	memset(ev, 0, sizeof(*ev));
	if (!len || buf[len - 1] != '\0' || !(at = strchr(buf, '@')))
		return -EINVAL;
	ev->kernel = strrchr(at, '/');
	ev->kernel = ev->kernel ? ev->kernel + 1 : at + 1;
	for (off = strlen(buf) + 1; off < len; off += strlen(buf + off) + 1) {
		char *kv = buf + off;

		if (!strncmp(kv, "ACTION=", 7))
			ev->action = kv + 7;
		else if (!strncmp(kv, "SUBSYSTEM=", 10))
			ev->subsystem = kv + 10;
		else if (!strncmp(kv, "DEVNAME=", 8))
			ev->devname = kv + 8;
		else if (!strncmp(kv, "DEVTYPE=", 8))
			ev->devtype = kv + 8;
	}
	return ev->action && ev->subsystem ? 0 : -EINVAL;
}

int cyl_uevent_read(int fd, char *buf, size_t size, struct cyl_uevent *ev)
{
	struct sockaddr_nl sa;
	struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
	struct msghdr msg = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	n = recvmsg(fd, &msg, 0);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (msg.msg_namelen != sizeof(sa) || sa.nl_pid != 0)
		return -EPERM;		/* not the kernel */
	buf[n] = '\0';
	return cyl_uevent_parse(buf, (size_t)n + 1, ev);
}
