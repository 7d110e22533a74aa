/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that knows which kernel we build for.
 *
 * Linux 6.6 changed the line discipline's receive hooks from int counts and
 * char flags to size_t counts and u8 flags; everything else cylcomed uses
 * is the same on 6.1 and 6.12.  scripts/check lets this file alone compare
 * LINUX_VERSION_CODE.
 */
#ifndef _CYL_COMPAT_H
#define _CYL_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define CYL_RX_COUNT	size_t		/* receive_buf(2) "count" */
#define CYL_RX_FLAG	u8		/* receive_buf(2) "fp" elements */
#define CYL_RX_RET	size_t		/* receive_buf2 return */
#else
#define CYL_RX_COUNT	int
#define CYL_RX_FLAG	char
#define CYL_RX_RET	int
#endif

#endif /* _CYL_COMPAT_H */
