// SPDX-License-Identifier: GPL-2.0
/*
 * The "cylcomed" generic-netlink family: control from the agent.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "genl.h"

static const struct nla_policy cyl_genl_policy[CYL_A_MAX + 1] = {
	[CYL_A_VERSION]		= { .type = NLA_NUL_STRING },
	[CYL_A_ATTACHED]	= { .type = NLA_U32 },
};

static struct genl_family cyl_genl_family;

/* Process context, genl_mutex held by the genetlink core. */
static int cyl_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	ret = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &cyl_genl_family, 0,
				CYL_CMD_GET_STATUS);
	if (!hdr)
		goto err_free;
	if (nla_put_string(msg, CYL_A_VERSION, CYL_MODULE_VERSION) ||
	    nla_put_u32(msg, CYL_A_ATTACHED, 0))
		goto err_free;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

static const struct genl_small_ops cyl_genl_ops[] = {
	{
		.cmd	= CYL_CMD_GET_STATUS,
		.doit	= cyl_get_status,
		.flags	= GENL_ADMIN_PERM,
	},
};

static struct genl_family cyl_genl_family __ro_after_init = {
	.name		= CYL_GENL_NAME,
	.version	= CYL_GENL_VERSION,
	.maxattr	= CYL_A_MAX,
	.policy		= cyl_genl_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.small_ops	= cyl_genl_ops,
	.n_small_ops	= ARRAY_SIZE(cyl_genl_ops),
	.resv_start_op	= CYL_CMD_MAX + 1,
};

int __init cyl_genl_init(void)
{
	return genl_register_family(&cyl_genl_family);
}

void cyl_genl_exit(void)
{
	genl_unregister_family(&cyl_genl_family);
}
