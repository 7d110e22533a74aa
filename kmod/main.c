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
#include "guard.h"
#include "ldisc.h"

static int __init cyl_init(void)
{
	int ret;

	ret = cyl_guard_init();
	if (ret)
		return ret;
	ret = cyl_genl_init();
	if (ret)
		goto err_guard;
	ret = cyl_ldisc_init();
	if (ret)
		goto err_genl;

	pr_info("loaded, version %s, line discipline %d\n",
		CYL_MODULE_VERSION, cyl_ldisc_num());
	return 0;

err_genl:
	cyl_genl_exit();
err_guard:
	cyl_guard_exit();
	return ret;
}

/*
 * Every tty on our discipline holds a reference to this module, so no
 * guard is left when this runs.
 */
static void __exit cyl_exit(void)
{
	cyl_ldisc_exit();
	cyl_genl_exit();
	cyl_guard_exit();
	pr_info("unloaded\n");
}

module_init(cyl_init);
module_exit(cyl_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("cylcomed serial guard for medical-device gateways");
MODULE_AUTHOR("cylcomed developers");
MODULE_VERSION(CYL_MODULE_VERSION);
MODULE_ALIAS_GENL_FAMILY(CYL_GENL_NAME);
MODULE_ALIAS_LDISC(CYL_LDISC_DEFAULT);
