/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CYL_SIGNALS_H
#define CYL_SIGNALS_H

/* Block SIGTERM, SIGINT, SIGHUP and return a signalfd for them. */
int cyl_signalfd_open(void);

/* Next pending signal number, 0 if none, negative errno on error. */
int cyl_signalfd_read(int fd);

#endif /* CYL_SIGNALS_H */
