/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CYL_NOTIFY_H
#define CYL_NOTIFY_H

/*
 * Tell systemd (Type=notify) our state, e.g. "READY=1", over the
 * $NOTIFY_SOCKET datagram protocol.  0 when the variable is unset.
 */
int cyl_notify(const char *state);

#endif /* CYL_NOTIFY_H */
