/* SPDX-License-Identifier: GPL-2.0 */
/* One hexadecimal digit's value, for the parsers that read hex. */
#ifndef CYL_UTIL_HEX_H
#define CYL_UTIL_HEX_H

/* 0..15, or -1 if @c is not a hex digit (either case). */
static inline int cyl_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif /* CYL_UTIL_HEX_H */
