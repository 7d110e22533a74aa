// SPDX-License-Identifier: GPL-2.0
/*
 * The "cylcomed" generic-netlink family: control from the agent, events and
 * records to it.
 */
#include <crypto/aead.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include <cylcomed/record.h>

#include "genl.h"
#include "guard.h"
#include "ldisc.h"
#include "record.h"

static const struct nla_policy cyl_genl_policy[CYL_A_MAX + 1] = {
	[CYL_A_VERSION]		= { .type = NLA_NUL_STRING },
	[CYL_A_ATTACHED]	= { .type = NLA_U32 },
	[CYL_A_EVENT_TYPE]	= { .type = NLA_U32 },
	[CYL_A_EVENT_SEQ]	= { .type = NLA_U64 },
	[CYL_A_COOKIE]		= { .type = NLA_U64 },
	[CYL_A_FD]		= { .type = NLA_U32 },
	[CYL_A_DEVICE_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CYL_A_DEVICE_NAME]	= { .type = NLA_NUL_STRING,
				    .len = CYL_POLICY_NAME_LEN - 1 },
	[CYL_A_SERIAL_CFG]	=
		NLA_POLICY_EXACT_LEN(sizeof(struct cyl_serial_cfg)),
	[CYL_A_WRITE_ALLOW]	= { .type = NLA_BINARY,
				    .len = CYL_ALLOW_MAX *
					   sizeof(struct cyl_write_allow) },
	[CYL_A_KEY_DESC]	= { .type = NLA_NUL_STRING, .len = 127 },
	[CYL_A_RECORD]		= { .type = NLA_NESTED },
};

enum cyl_genl_mcgrp {
	CYL_MCGRP_EVENTS,
	CYL_MCGRP_RECORDS,
};

static const struct genl_multicast_group cyl_genl_mcgrps[] = {
	[CYL_MCGRP_EVENTS] = { .name = CYL_GENL_MCGRP_EVENTS },
	[CYL_MCGRP_RECORDS] = { .name = CYL_GENL_MCGRP_RECORDS },
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
	    nla_put_u32(msg, CYL_A_ATTACHED, cyl_guard_count_armed()) ||
	    nla_put_u32(msg, CYL_A_LDISC, cyl_ldisc_num()))
		goto err_free;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

static int cyl_put_event(struct sk_buff *msg, const struct cyl_kevent *ev)
{
	if (nla_put_u32(msg, CYL_A_EVENT_TYPE, ev->type) ||
	    nla_put_u64_64bit(msg, CYL_A_EVENT_SEQ,
			      atomic64_inc_return(&cyl_event_seq), CYL_A_PAD))
		return -EMSGSIZE;
	if (ev->type == CYL_KEV_PONG)
		return nla_put_u64_64bit(msg, CYL_A_COOKIE, ev->count,
					 CYL_A_PAD);

	if (nla_put_u32(msg, CYL_A_DEVICE_ID, ev->device_id) ||
	    nla_put_u64_64bit(msg, CYL_A_DEV_SEQ, ev->dev_seq, CYL_A_PAD) ||
	    nla_put_string(msg, CYL_A_TTY, ev->tty) ||
	    nla_put_u32(msg, CYL_A_DEV, ev->dev) ||
	    nla_put_u32(msg, CYL_A_REASON, ev->reason) ||
	    nla_put_u32(msg, CYL_A_LEN, ev->len) ||
	    nla_put_u64_64bit(msg, CYL_A_COUNT, ev->count, CYL_A_PAD))
		return -EMSGSIZE;
	if (ev->nbytes && nla_put(msg, CYL_A_BYTES, ev->nbytes, ev->bytes))
		return -EMSGSIZE;
	if (ev->has_writer &&
	    (nla_put_u32(msg, CYL_A_PID, ev->pid) ||
	     nla_put_u32(msg, CYL_A_UID, ev->uid) ||
	     nla_put_string(msg, CYL_A_COMM, ev->comm)))
		return -EMSGSIZE;
	return 0;
}

/*
 * Multicast one event to the "events" group.  Any context that may
 * allocate with @gfp; no listener is not an error.
 */
int cyl_genl_send_event(const struct cyl_kevent *ev, gfp_t gfp)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, gfp);
	if (!msg)
		return -ENOMEM;

	ret = -EMSGSIZE;
	hdr = genlmsg_put(msg, 0, 0, &cyl_genl_family, 0, CYL_CMD_EVENT);
	if (!hdr || cyl_put_event(msg, ev))
		goto err_free;

	genlmsg_end(msg, hdr);
	ret = genlmsg_multicast(&cyl_genl_family, msg, 0, CYL_MCGRP_EVENTS,
				gfp);
	return ret == -ESRCH ? 0 : ret;

err_free:
	nlmsg_free(msg);
	return ret;
}

bool cyl_genl_records_wanted(void)
{
	return genl_has_listeners(&cyl_genl_family, &init_net,
				  CYL_MCGRP_RECORDS);
}

/* A message holds this much of records unless one needs more. */
#define CYL_REC_MSG_SIZE	(32 * 1024)

static int cyl_batch_put(struct sk_buff *msg, u32 device_id, const void *hdr,
			 const void *sealed, u32 sealed_len,
			 const void *plain, u32 plain_len)
{
	struct nlattr *nest = nla_nest_start(msg, CYL_A_RECORD);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, CYL_A_DEVICE_ID, device_id) ||
	    nla_put(msg, CYL_A_REC_HDR, CYL_REC_HDR_LEN, hdr) ||
	    (sealed && nla_put(msg, CYL_A_REC_SEALED, sealed_len, sealed)) ||
	    (plain && nla_put(msg, CYL_A_REC_PLAIN, plain_len, plain))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

int cyl_genl_batch_send(struct cyl_rec_batch *b, u32 *lost)
{
	int ret;

	*lost = 0;
	if (!b->msg)
		return 0;
	genlmsg_end(b->msg, b->hdr);
	ret = genlmsg_multicast(&cyl_genl_family, b->msg, 0, CYL_MCGRP_RECORDS,
				GFP_KERNEL);
	if (ret)
		*lost = b->n;
	b->msg = NULL;
	b->n = 0;
	return ret;
}

int cyl_genl_batch_add(struct cyl_rec_batch *b, u32 device_id,
		       const void *hdr, const void *sealed, u32 sealed_len,
		       const void *plain, u32 plain_len, u32 *lost)
{
	size_t need = nla_total_size(0) + nla_total_size(sizeof(u32)) +
		      nla_total_size(CYL_REC_HDR_LEN) +
		      (sealed ? nla_total_size(sealed_len) : 0) +
		      (plain ? nla_total_size(plain_len) : 0);
	int ret;

	*lost = 0;
	if (b->msg && !cyl_batch_put(b->msg, device_id, hdr, sealed,
				     sealed_len, plain, plain_len)) {
		b->n++;
		return 0;
	}
	/* Full (or none yet): send what is there, start a new message. */
	cyl_genl_batch_send(b, lost);
	b->msg = genlmsg_new(max_t(size_t, need, CYL_REC_MSG_SIZE), GFP_KERNEL);
	if (!b->msg)
		return -ENOMEM;
	b->hdr = genlmsg_put(b->msg, 0, 0, &cyl_genl_family, 0, CYL_CMD_RECORD);
	ret = -EMSGSIZE;
	if (!b->hdr || cyl_batch_put(b->msg, device_id, hdr, sealed,
				     sealed_len, plain, plain_len)) {
		nlmsg_free(b->msg);
		b->msg = NULL;
		return ret;
	}
	b->n = 1;
	return 0;
}

/*
 * Process context: the agent checks its event channel end to end.  It
 * pings once it has subscribed, so this is also when the guards send the
 * records they kept while nobody listened (6.1 has no bind callback).
 */
static int cyl_ping(struct sk_buff *skb, struct genl_info *info)
{
	struct cyl_kevent ev = { .type = CYL_KEV_PONG };

	if (!info->attrs[CYL_A_COOKIE])
		return -EINVAL;
	cyl_record_kick_all();
	ev.count = nla_get_u64(info->attrs[CYL_A_COOKIE]);
	return cyl_genl_send_event(&ev, GFP_KERNEL);
}

/* The settings of CYL_A_SERIAL_CFG and CYL_A_WRITE_ALLOW, checked. */
static struct cyl_guard_cfg *cyl_parse_cfg(struct genl_info *info)
{
	struct nlattr *allow = info->attrs[CYL_A_WRITE_ALLOW];
	struct cyl_guard_cfg *cfg;
	u32 n = 0;

	if (!info->attrs[CYL_A_SERIAL_CFG]) {
		GENL_SET_ERR_MSG(info, "serial settings missing");
		return ERR_PTR(-EINVAL);
	}
	if (allow) {
		if (nla_len(allow) % sizeof(struct cyl_write_allow)) {
			GENL_SET_ERR_MSG(info, "allowlist length is not whole entries");
			return ERR_PTR(-EINVAL);
		}
		n = nla_len(allow) / sizeof(struct cyl_write_allow);
	}
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return ERR_PTR(-ENOMEM);
	nla_memcpy(&cfg->serial, info->attrs[CYL_A_SERIAL_CFG],
		   sizeof(cfg->serial));
	cfg->n_allow = n;
	if (n)
		nla_memcpy(cfg->allow, allow, n * sizeof(cfg->allow[0]));
	if (cyl_serial_cfg_valid(&cfg->serial)) {
		GENL_SET_ERR_MSG(info, "invalid serial settings");
		goto err;
	}
	if (cyl_write_allow_valid(cfg->allow, n)) {
		GENL_SET_ERR_MSG(info, "invalid write allowlist entry");
		goto err;
	}
	return cfg;
err:
	kfree(cfg);
	return ERR_PTR(-EINVAL);
}

static int cyl_attach(struct sk_buff *skb, struct genl_info *info)
{
	struct cyl_guard_cfg *cfg;

	if (GENL_REQ_ATTR_CHECK(info, CYL_A_FD) ||
	    GENL_REQ_ATTR_CHECK(info, CYL_A_DEVICE_ID) ||
	    GENL_REQ_ATTR_CHECK(info, CYL_A_DEVICE_NAME))
		return -EINVAL;
	cfg = cyl_parse_cfg(info);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	return cyl_guard_attach(nla_get_u32(info->attrs[CYL_A_FD]),
				nla_get_u32(info->attrs[CYL_A_DEVICE_ID]),
				nla_data(info->attrs[CYL_A_DEVICE_NAME]), cfg,
				info->extack);
}

static int cyl_detach(struct sk_buff *skb, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, CYL_A_DEVICE_ID))
		return -EINVAL;
	return cyl_guard_detach(nla_get_u32(info->attrs[CYL_A_DEVICE_ID]),
				info->extack);
}

static int cyl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct cyl_guard_cfg *cfg;

	if (GENL_REQ_ATTR_CHECK(info, CYL_A_DEVICE_ID))
		return -EINVAL;
	cfg = cyl_parse_cfg(info);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	return cyl_guard_set_config(nla_get_u32(info->attrs[CYL_A_DEVICE_ID]),
				    cfg, info->extack);
}

/* Runs in the caller's context, so request_key() searches its keyrings. */
static int cyl_set_key(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *desc = info->attrs[CYL_A_KEY_DESC];
	struct crypto_aead *aead = NULL;
	struct cyl_guard *g;
	u32 serial = 0;

	if (GENL_REQ_ATTR_CHECK(info, CYL_A_DEVICE_ID))
		return -EINVAL;
	if (desc) {
		aead = cyl_record_key_prepare(nla_data(desc), &serial,
					      info->extack);
		if (IS_ERR(aead))
			return PTR_ERR(aead);
	}
	mutex_lock(&cyl_guards_lock);
	g = cyl_guard_by_id(nla_get_u32(info->attrs[CYL_A_DEVICE_ID]));
	if (g)
		cyl_record_key_install(g, aead, serial);
	mutex_unlock(&cyl_guards_lock);
	if (!g) {
		GENL_SET_ERR_MSG(info, "device id not attached");
		if (aead)
			crypto_free_aead(aead);
		return -ENOENT;
	}
	return 0;
}

static int cyl_put_guard(struct sk_buff *msg, struct cyl_guard *g)
{
	struct cyl_serial_stats stats;

	spin_lock(&g->stats_lock);
	stats = g->stats;
	spin_unlock(&g->stats_lock);
	spin_lock(&g->rec_lock);
	stats.records = g->rec_queued;
	spin_unlock(&g->rec_lock);
	if (nla_put_u32(msg, CYL_A_DEVICE_ID, g->device_id) ||
	    nla_put_string(msg, CYL_A_DEVICE_NAME, g->name) ||
	    nla_put_string(msg, CYL_A_TTY, g->tty_name) ||
	    nla_put_u32(msg, CYL_A_DEV, g->dev) ||
	    nla_put_u32(msg, CYL_A_KEY_SERIAL, READ_ONCE(g->key_serial)) ||
	    nla_put(msg, CYL_A_STATS, sizeof(stats), &stats))
		return -EMSGSIZE;
	return 0;
}

/* Dump: one message per guarded tty; cb->args[0] counts those sent. */
static int cyl_get_stats_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cyl_guard *g;
	long i = 0;

	mutex_lock(&cyl_guards_lock);
	list_for_each_entry(g, &cyl_guard_list, all) {
		void *hdr;

		if (!g->armed)
			continue;
		if (i++ < cb->args[0])
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &cyl_genl_family,
				  NLM_F_MULTI, CYL_CMD_GET_STATS);
		if (!hdr || cyl_put_guard(skb, g)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			i--;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	mutex_unlock(&cyl_guards_lock);
	cb->args[0] = i;
	return skb->len;
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
	{
		.cmd	= CYL_CMD_ATTACH,
		.doit	= cyl_attach,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= CYL_CMD_DETACH,
		.doit	= cyl_detach,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= CYL_CMD_SET_CONFIG,
		.doit	= cyl_set_config,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= CYL_CMD_SET_KEY,
		.doit	= cyl_set_key,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= CYL_CMD_GET_STATS,
		.dumpit	= cyl_get_stats_dump,
		.flags	= GENL_ADMIN_PERM,
	},
};

static struct genl_family cyl_genl_family __ro_after_init = {
	.name		= CYL_GENL_NAME,
	.version	= CYL_GENL_VERSION,
	.maxattr	= CYL_A_MAX,
	.policy		= cyl_genl_policy,
	.netnsok	= false,
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
