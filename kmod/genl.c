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
	[CYL_A_EVENT_TYPE]	= { .type = NLA_U32 },
	[CYL_A_EVENT_SEQ]	= { .type = NLA_U64 },
	[CYL_A_COOKIE]		= { .type = NLA_U64 },
};

enum cyl_genl_mcgrp {
	CYL_MCGRP_EVENTS,
};

static const struct genl_multicast_group cyl_genl_mcgrps[] = {
	[CYL_MCGRP_EVENTS] = { .name = CYL_GENL_MCGRP_EVENTS },
};

static struct genl_family cyl_genl_family;

/* Module-wide event sequence: the agent sees a gap as lost events. */
static atomic64_t cyl_event_seq = ATOMIC64_INIT(0);

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

/*
 * Multicast one event to the "events" group of @net.  Any context that
 * may allocate with @gfp; no listener is not an error.
 */
static int cyl_genl_event(struct net *net, u32 type, u64 cookie, gfp_t gfp)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, gfp);
	if (!msg)
		return -ENOMEM;

	ret = -EMSGSIZE;
	hdr = genlmsg_put(msg, 0, 0, &cyl_genl_family, 0, CYL_CMD_EVENT);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(msg, CYL_A_EVENT_TYPE, type) ||
	    nla_put_u64_64bit(msg, CYL_A_EVENT_SEQ,
			      atomic64_inc_return(&cyl_event_seq), CYL_A_PAD) ||
	    nla_put_u64_64bit(msg, CYL_A_COOKIE, cookie, CYL_A_PAD))
		goto err_free;

	genlmsg_end(msg, hdr);
	ret = genlmsg_multicast_netns(&cyl_genl_family, net, msg, 0,
				      CYL_MCGRP_EVENTS, gfp);
	return ret == -ESRCH ? 0 : ret;

err_free:
	nlmsg_free(msg);
	return ret;
}

/* Process context: the agent checks its event channel end to end. */
static int cyl_ping(struct sk_buff *skb, struct genl_info *info)
{
	if (!info->attrs[CYL_A_COOKIE])
		return -EINVAL;
	return cyl_genl_event(genl_info_net(info), CYL_KEV_PONG,
			      nla_get_u64(info->attrs[CYL_A_COOKIE]),
			      GFP_KERNEL);
}

static const struct genl_small_ops cyl_genl_ops[] = {
	{
		.cmd	= CYL_CMD_GET_STATUS,
		.doit	= cyl_get_status,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= CYL_CMD_PING,
		.doit	= cyl_ping,
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
	.mcgrps		= cyl_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(cyl_genl_mcgrps),
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
