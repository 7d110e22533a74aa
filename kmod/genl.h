/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CYL_GENL_H
#define _CYL_GENL_H

#include <cylcomed/genl.h>

#define CYL_MODULE_VERSION "0.1.0"

int cyl_genl_init(void);
void cyl_genl_exit(void);

#endif /* _CYL_GENL_H */
