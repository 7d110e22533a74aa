// SPDX-License-Identifier: GPL-2.0
/*
 * CYL_CMD_GET_STATUS through libnl-genl.  The command is GENL_ADMIN_PERM,
 * so it needs CAP_NET_ADMIN, which the daemon has.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <cylcomed/genl.h>

#include "kmod.h"
#include "log.h"

static int on_reply(struct nl_msg *msg, void *arg)
{
	static struct nla_policy policy[CYL_A_MAX + 1] = {
		[CYL_A_VERSION]		= { .type = NLA_STRING },
		[CYL_A_ATTACHED]	= { .type = NLA_U32 },
	};
	struct cyl_kmod_status *st = arg;
	struct nlattr *tb[CYL_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CYL_A_MAX, policy))
		return NL_SKIP;
	if (tb[CYL_A_VERSION])
		snprintf(st->version, sizeof(st->version), "%s",
			 nla_get_string(tb[CYL_A_VERSION]));
	if (tb[CYL_A_ATTACHED])
		st->attached = nla_get_u32(tb[CYL_A_ATTACHED]);
	return NL_OK;
}

int cyl_kmod_status(struct cyl_kmod_status *st)
{
	struct nl_sock *sk;
	struct nl_msg *msg = NULL;
	int family, ret;

	memset(st, 0, sizeof(*st));
	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	ret = genl_connect(sk);
	if (ret) {
		log_err_f("genl_connect: %s", nl_geterror(ret));
		ret = -EIO;
		goto out;
	}

	family = genl_ctrl_resolve(sk, CYL_GENL_NAME);
	if (family < 0) {
		ret = 0;	/* module not loaded */
		goto out;
	}
	st->loaded = true;

	ret = -ENOMEM;
	msg = nlmsg_alloc();
	if (!msg)
		goto out;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
			 CYL_CMD_GET_STATUS, CYL_GENL_VERSION))
		goto out;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_reply, st);
	/* The reply is the answer; an extra ACK would only need draining. */
	nl_socket_disable_auto_ack(sk);

	ret = nl_send_auto(sk, msg);
	if (ret < 0) {
		log_err_f("send CYL_CMD_GET_STATUS: %s", nl_geterror(ret));
		ret = -EIO;
		goto out;
	}
	ret = nl_recvmsgs_default(sk);
	if (ret < 0) {
		log_err_f("CYL_CMD_GET_STATUS: %s", nl_geterror(ret));
		ret = -EIO;
		goto out;
	}
	ret = 0;
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
	return ret;
}
