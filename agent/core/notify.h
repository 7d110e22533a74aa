/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CYL_NOTIFY_H
#define CYL_NOTIFY_H

#include <stdint.h>
#include <sys/types.h>

/*
 * Tell systemd (Type=notify) our state, e.g. "READY=1", over the
 * $NOTIFY_SOCKET datagram protocol.  0 when the variable is unset.
 */
int cyl_notify(const char *state);

/*
 * The watchdog interval systemd asks for, from the values of
 * $WATCHDOG_USEC and $WATCHDOG_PID (NULL when unset): @usec_env if
 * @pid_env is NULL or names @self.  Returns 0 with *@usec the interval,
 * or 0 when the watchdog is off (unset, or meant for another pid);
 * -EINVAL, with *@usec 0, when a variable is not a positive decimal.
 */
int cyl_notify_watchdog_usec(const char *usec_env, const char *pid_env,
			     pid_t self, uint64_t *usec);

#endif /* CYL_NOTIFY_H */
