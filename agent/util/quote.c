// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "util/quote.h"

const char *cyl_quote(char *buf, size_t size, const char *s, size_t len)
{
	size_t o = 0, i;

	buf[o++] = '"';
	for (i = 0; i < len && o + 8 < size; i++) {
		unsigned char ch = s[i];

		if (i == CYL_QUOTE_MAX) {
			o += snprintf(buf + o, size - o, "...");
			break;
		}
		if (ch == '"' || ch == '\\')
			o += snprintf(buf + o, size - o, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			o += snprintf(buf + o, size - o, "\\x%02x", ch);
		else
			buf[o++] = ch;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}
