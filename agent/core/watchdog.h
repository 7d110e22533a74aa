/* SPDX-License-Identifier: GPL-2.0 */
/*
 * systemd's service watchdog (WatchdogSec=): WATCHDOG=1 every half
 * interval from a timerfd in the loop, so a wedged loop stops the pings
 * and systemd restarts the agent.
 */
#ifndef CYL_WATCHDOG_H
#define CYL_WATCHDOG_H

#include "core/loop.h"

struct cyl_watchdog;

/*
 * Start pinging if $WATCHDOG_USEC asks for it (see
 * cyl_notify_watchdog_usec()); *@out stays NULL when it does not.
 * A malformed variable is logged and ignored.
 */
int cyl_watchdog_open(struct cyl_watchdog **out, struct cyl_loop *loop);
void cyl_watchdog_close(struct cyl_watchdog *wd);

#endif /* CYL_WATCHDOG_H */
