/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Quoting untrusted text for error messages: every parser of outside
 * input names the offending text the same way.
 */
#ifndef CYL_UTIL_QUOTE_H
#define CYL_UTIL_QUOTE_H

#include <stddef.h>

#define CYL_QUOTE_MAX	48	/* bytes of offending text quoted */
#define CYL_QUOTE_SIZE	(CYL_QUOTE_MAX * 4 + 8)	/* enough for any quote */

/*
 * Write s[0..len) into buf as "text": double quote and backslash escaped,
 * control and non-ASCII bytes as \xNN, cut with "..." after CYL_QUOTE_MAX
 * bytes; a NUL inside s[0..len) is shown as \x00.  Returns buf.
 */
const char *cyl_quote(char *buf, size_t size, const char *s, size_t len);

#endif /* CYL_UTIL_QUOTE_H */
