// SPDX-License-Identifier: GPL-2.0
/*
 * cylcomed.ko: the serial guard for medical-device gateways.
 *
 * This file only wires the pieces together; each lives in its own file and
 * exports cyl_<area>_init() and cyl_<area>_exit().
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "genl.h"

static int __init cyl_init(void)
{
	int ret;

	ret = cyl_genl_init();
	if (ret)
		return ret;

	pr_info("loaded, version %s\n", CYL_MODULE_VERSION);
	return 0;
}

static void __exit cyl_exit(void)
{
	cyl_genl_exit();
	pr_info("unloaded\n");
}

module_init(cyl_init);
module_exit(cyl_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("cylcomed serial guard for medical-device gateways");
MODULE_AUTHOR("cylcomed developers");
MODULE_VERSION(CYL_MODULE_VERSION);
MODULE_ALIAS_GENL_FAMILY(CYL_GENL_NAME);
