// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

static const char *const prio_names[] = {
	[LOG_ERR]	= "error",
	[LOG_WARNING]	= "warning",
	[LOG_INFO]	= "info",
};

void cyl_log(int prio, const char *func, const char *fmt, ...)
{
	const char *name = NULL;
	va_list ap;

	if (prio >= 0 && prio < (int)(sizeof(prio_names) / sizeof(prio_names[0])))
		name = prio_names[prio];
	/* Under journald, "<N>" carries the priority (SyslogLevelPrefix). */
	if (getenv("JOURNAL_STREAM"))
		fprintf(stderr, "<%d>", prio);
	fprintf(stderr, "cylcomedd: %s: %s: ", name ? name : "log", func);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
