/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CYL_LDISC_H
#define _CYL_LDISC_H

#include <linux/workqueue.h>

int cyl_ldisc_init(void);
void cyl_ldisc_exit(void);
int cyl_ldisc_num(void);
void cyl_ldisc_gap_work(struct work_struct *work);

#endif /* _CYL_LDISC_H */
