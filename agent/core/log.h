/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Daemon logging to stderr (journald under systemd), with the function
 * name as OpenSSH's error_f() does.  Events go to stdout, not here.
 */
#ifndef CYL_LOG_H
#define CYL_LOG_H

#include <syslog.h>

void cyl_log(int prio, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_err_f(fmt, ...)	cyl_log(LOG_ERR, __func__, fmt, ##__VA_ARGS__)
#define log_warn_f(fmt, ...)	cyl_log(LOG_WARNING, __func__, fmt, ##__VA_ARGS__)
#define log_info_f(fmt, ...)	cyl_log(LOG_INFO, __func__, fmt, ##__VA_ARGS__)

#endif /* CYL_LOG_H */
