/* SPDX-License-Identifier: GPL-2.0 */
/* Library-style errors: a negative errno returned, a message in a buffer. */
#ifndef CYL_UTIL_ERRBUF_H
#define CYL_UTIL_ERRBUF_H

#include <stddef.h>

/*
 * Format the message into @err (if @errlen) and return @ret, so that a
 * check reads "return cyl_errf(-EINVAL, err, errlen, "...", ...);".
 */
int __attribute__((format(printf, 4, 5)))
cyl_errf(int ret, char *err, size_t errlen, const char *fmt, ...);

#endif /* CYL_UTIL_ERRBUF_H */
