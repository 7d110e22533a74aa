// SPDX-License-Identifier: GPL-2.0
/*
 * Module event channel over libnl-genl (see kmod_events.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <cylcomed/genl.h>
#include <cylcomed/record.h>
#include <cylcomed/serial.h>

#include "core/kmod_events.h"
#include "core/log.h"

struct cyl_kmod_events {
	struct nl_sock *sk;
	int family;
	cyl_kevent_fn fn;
	void *ctx;
	uint64_t last_seq;	/* 0 until the first event */
	uint64_t lost;
	uint64_t overruns;
};

/* Records arrive in bursts: room for a few thousand before any is lost. */
#define KEV_RCVBUF	(8 << 20)

static struct nla_policy kev_policy[CYL_A_MAX + 1] = {
	[CYL_A_EVENT_TYPE]	= { .type = NLA_U32 },
	[CYL_A_EVENT_SEQ]	= { .type = NLA_U64 },
	[CYL_A_COOKIE]		= { .type = NLA_U64 },
	[CYL_A_DEVICE_ID]	= { .type = NLA_U32 },
	[CYL_A_DEVICE_NAME]	= { .type = NLA_STRING },
	[CYL_A_TTY]		= { .type = NLA_STRING },
	[CYL_A_DEV]		= { .type = NLA_U32 },
	[CYL_A_DEV_SEQ]		= { .type = NLA_U64 },
	[CYL_A_REASON]		= { .type = NLA_U32 },
	[CYL_A_PID]		= { .type = NLA_U32 },
	[CYL_A_UID]		= { .type = NLA_U32 },
	[CYL_A_COMM]		= { .type = NLA_STRING },
	[CYL_A_BYTES]		= { .type = NLA_UNSPEC, .maxlen = CYL_EVENT_BYTES_MAX },
	[CYL_A_LEN]		= { .type = NLA_U32 },
	[CYL_A_COUNT]		= { .type = NLA_U64 },
	[CYL_A_REC_HDR]		= { .type = NLA_UNSPEC, .minlen = CYL_REC_HDR_LEN,
				    .maxlen = CYL_REC_HDR_LEN },
	[CYL_A_REC_SEALED]	= { .type = NLA_UNSPEC },
	[CYL_A_REC_PLAIN]	= { .type = NLA_UNSPEC },
	[CYL_A_RECORD]		= { .type = NLA_NESTED },
};

/* A CYL_CMD_RECORD message: each CYL_A_RECORD nest is one record. */
static int on_records(struct cyl_kmod_events *ev, struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *a, *tb[CYL_A_MAX + 1];
	int rem, bad = 0;

	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(a) != CYL_A_RECORD)
			continue;
		if (nla_parse_nested(tb, CYL_A_MAX, a, kev_policy) ||
		    !tb[CYL_A_DEVICE_ID] || !tb[CYL_A_REC_HDR]) {
			bad++;
			continue;
		}
		ev->fn(ev->ctx, CYL_CMD_RECORD, tb);
	}
	return bad ? -EPROTO : 0;
}

static int on_event(struct cyl_kmod_events *ev, struct nlattr **tb)
{
	uint64_t seq;

	if (!tb[CYL_A_EVENT_TYPE] || !tb[CYL_A_EVENT_SEQ])
		return -EPROTO;
	seq = nla_get_u64(tb[CYL_A_EVENT_SEQ]);
	if (ev->last_seq && seq > ev->last_seq + 1) {
		ev->lost += seq - ev->last_seq - 1;
		log_warn_f("%llu module event(s) lost before sequence %llu",
			   (unsigned long long)(seq - ev->last_seq - 1),
			   (unsigned long long)seq);
	}
	ev->last_seq = seq;
	ev->fn(ev->ctx, CYL_CMD_EVENT, tb);
	return 0;
}

static int on_message(struct nl_msg *msg, void *arg)
{
	struct cyl_kmod_events *ev = arg;
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[CYL_A_MAX + 1];
	int ret = -EPROTO;

	if (gh->cmd == CYL_CMD_RECORD)
		ret = on_records(ev, msg);
	else if (gh->cmd == CYL_CMD_EVENT &&
		 genlmsg_parse(nlmsg_hdr(msg), 0, tb, CYL_A_MAX, kev_policy) == 0)
		ret = on_event(ev, tb);
	if (ret)
		log_warn_f("malformed message from the module ignored");
	return NL_SKIP;
}

/* Join multicast group @name of the family. */
static int join(struct cyl_kmod_events *ev, const char *name)
{
	int grp, ret;

	grp = genl_ctrl_resolve_grp(ev->sk, CYL_GENL_NAME, name);
	if (grp < 0) {
		log_err_f("module has no \"%s\" group: %s", name,
			  nl_geterror(grp));
		return -EPROTO;
	}
	ret = nl_socket_add_membership(ev->sk, grp);
	if (ret) {
		log_err_f("join \"%s\": %s", name, nl_geterror(ret));
		return -EIO;
	}
	return 0;
}

int cyl_kmod_events_open(struct cyl_kmod_events **out, cyl_kevent_fn fn,
			 void *ctx)
{
	struct cyl_kmod_events *ev;
	int ret;

	*out = NULL;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	ev->fn = fn;
	ev->ctx = ctx;

	ret = -ENOMEM;
	ev->sk = nl_socket_alloc();
	if (!ev->sk)
		goto err;
	ret = -EIO;
	if (genl_connect(ev->sk)) {
		log_err_f("genl_connect failed");
		goto err;
	}
	ret = -ENOENT;	/* module not loaded: the caller's state, not an error */
	ev->family = genl_ctrl_resolve(ev->sk, CYL_GENL_NAME);
	if (ev->family < 0)
		goto err;
	ret = join(ev, CYL_GENL_MCGRP_EVENTS);
	if (!ret)
		ret = join(ev, CYL_GENL_MCGRP_RECORDS);
	if (ret)
		goto err;
	/* Needs CAP_NET_ADMIN to pass rmem_max; a smaller buffer still works. */
	if (setsockopt(nl_socket_get_fd(ev->sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &(int){ KEV_RCVBUF }, sizeof(int)))
		nl_socket_set_buffer_size(ev->sk, KEV_RCVBUF, 0);
	/* Notifications carry sequence 0; replies to our pings need no ACK. */
	nl_socket_disable_seq_check(ev->sk);
	nl_socket_disable_auto_ack(ev->sk);
	nl_socket_modify_cb(ev->sk, NL_CB_VALID, NL_CB_CUSTOM, on_message, ev);
	nl_socket_set_nonblocking(ev->sk);
	*out = ev;
	return 0;
err:
	cyl_kmod_events_close(ev);
	return ret;
}

void cyl_kmod_events_close(struct cyl_kmod_events *ev)
{
	if (!ev)
		return;
	nl_socket_free(ev->sk);
	free(ev);
}

int cyl_kmod_events_fd(struct cyl_kmod_events *ev)
{
	return nl_socket_get_fd(ev->sk);
}

int cyl_kmod_events_drain(struct cyl_kmod_events *ev)
{
	int ret;

	for (;;) {
		ret = nl_recvmsgs_default(ev->sk);
		if (ret == -NLE_AGAIN)
			return 0;
		if (ret == -NLE_NOMEM) {	/* ENOBUFS: the socket overflowed */
			ev->overruns++;
			log_warn_f("module channel overflowed: events or records lost");
			continue;
		}
		if (ret < 0) {
			log_err_f("module events: %s", nl_geterror(ret));
			return -EIO;
		}
	}
}

int cyl_kmod_events_ping(struct cyl_kmod_events *ev, uint64_t cookie)
{
	struct nl_msg *msg;
	int ret = -ENOMEM;

	msg = nlmsg_alloc();
	if (!msg)
		return ret;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ev->family, 0, 0,
			 CYL_CMD_PING, CYL_GENL_VERSION) ||
	    nla_put_u64(msg, CYL_A_COOKIE, cookie))
		goto out;
	ret = nl_send_auto(ev->sk, msg);
	if (ret < 0) {
		log_err_f("send CYL_CMD_PING: %s", nl_geterror(ret));
		ret = -EIO;
		goto out;
	}
	ret = 0;
out:
	nlmsg_free(msg);
	return ret;
}

uint64_t cyl_kmod_events_lost(const struct cyl_kmod_events *ev)
{
	return ev ? ev->lost : 0;
}

uint64_t cyl_kmod_events_overruns(const struct cyl_kmod_events *ev)
{
	return ev ? ev->overruns : 0;
}
