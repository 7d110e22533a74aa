// SPDX-License-Identifier: GPL-2.0
/*
 * Signals arrive as readable events in the loop, never as handlers that
 * interrupt it; SIGPIPE is ignored so a vanished client is just EPIPE.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "core/log.h"
#include "core/signals.h"

int cyl_signalfd_open(void)
{
	sigset_t set;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL)) {
		log_err_f("sigprocmask: %s", strerror(errno));
		return -errno;
	}
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0) {
		log_err_f("signalfd: %s", strerror(errno));
		return -errno;
	}
	return fd;
}

int cyl_signalfd_read(int fd)
{
	struct signalfd_siginfo si;
	ssize_t n;

	n = read(fd, &si, sizeof(si));
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (n != sizeof(si))
		return -EIO;
	return si.ssi_signo;
}
