// SPDX-License-Identifier: GPL-2.0
/*
 * Serial guard requests to cylcomed.ko (see kmod_serial.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <cylcomed/genl.h>

#include "serial/kmod_serial.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct cyl_kmod_ctl {
	struct nl_sock *sk;
	int family;
};

/* What one request brought back. */
struct reply {
	bool done;			/* the ACK, error or end of dump came */
	int error;			/* -errno from the module's ACK */
	char msg[256];			/* its extended ACK message */
	nl_recvmsg_msg_cb_t valid;	/* for each data message */
	void *arg;
	int cb_error;			/* set by @valid */
};

int cyl_kmod_ctl_open(struct cyl_kmod_ctl **out)
{
	struct cyl_kmod_ctl *c;
	int ret;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	ret = -ENOMEM;
	c->sk = nl_socket_alloc();
	if (!c->sk)
		goto err;
	ret = -EIO;
	if (genl_connect(c->sk))
		goto err;
	ret = -ENOENT;
	c->family = genl_ctrl_resolve(c->sk, CYL_GENL_NAME);
	if (c->family < 0)
		goto err;
	/* Requests ask for an ACK themselves; a dump ends with DONE. */
	nl_socket_disable_auto_ack(c->sk);
	/* The module explains refusals; ask for the text. */
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &(int){ 1 }, sizeof(int));
	*out = c;
	return 0;
err:
	cyl_kmod_ctl_close(c);
	return ret;
}

void cyl_kmod_ctl_close(struct cyl_kmod_ctl *c)
{
	if (!c)
		return;
	nl_socket_free(c->sk);
	free(c);
}

/* The NLMSGERR_ATTR_MSG of an extended ACK, if there is one. */
static void ext_ack_msg(struct nlmsgerr *e, char *buf, size_t size)
{
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	size_t off = sizeof(*e);
	struct nlattr *a;
	int rem;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (NLMSG_HDRLEN + off >= h->nlmsg_len)
		return;
	rem = h->nlmsg_len - NLMSG_HDRLEN - off;
	for (a = (struct nlattr *)((char *)e + off); nla_ok(a, rem);
	     a = nla_next(a, &rem)) {
		if (nla_type(a) == NLMSGERR_ATTR_MSG && nla_len(a) > 0) {
			snprintf(buf, size, "%.*s", nla_len(a),
				 (const char *)nla_data(a));
			buf[strcspn(buf, "\n")] = '\0';
			return;
		}
	}
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct reply *r = arg;

	r->done = true;
	r->error = e->error;
	ext_ack_msg(e, r->msg, sizeof(r->msg));
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct reply *r = arg;

	r->done = true;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct reply *r = arg;

	return r->valid ? r->valid(msg, r->arg) : NL_OK;
}

/*
 * Send @msg (consumed) and wait for its ACK, or for the end of a dump.
 * @what names the request in @err.
 */
static int request(struct cyl_kmod_ctl *c, struct nl_msg *msg,
		   const char *what, nl_recvmsg_msg_cb_t valid, void *arg,
		   char *err, size_t errlen)
{
	struct reply r = { .valid = valid, .arg = arg };
	struct nl_cb *cb;
	int ret;

	if (!msg) {
		snprintf(err, errlen, "%s: out of memory", what);
		return -ENOMEM;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &r);

	ret = nl_send_auto(c->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		snprintf(err, errlen, "%s: send: %s", what, nl_geterror(ret));
		ret = -EIO;
		goto out;
	}
	/* A reply comes before its ACK, each in its own datagram. */
	do {
		ret = nl_recvmsgs(c->sk, cb);
	} while (ret >= 0 && !r.done);
	if (r.error) {
		ret = r.error;
		snprintf(err, errlen, "%s: %s%s%s", what, strerror(-ret),
			 r.msg[0] ? ": " : "", r.msg);
	} else if (r.cb_error) {
		ret = r.cb_error;
		snprintf(err, errlen, "%s: malformed reply", what);
	} else if (ret < 0) {
		snprintf(err, errlen, "%s: %s", what, nl_geterror(ret));
		ret = -EIO;
	} else {
		ret = 0;
	}
out:
	nl_cb_put(cb);
	return ret;
}

static struct nl_msg *new_msg(struct cyl_kmod_ctl *c, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!(flags & NLM_F_DUMP))
		flags |= NLM_F_ACK;
	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0,
				flags, cmd, CYL_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static int put_cfg(struct nl_msg *msg, const struct cyl_serial_cfg *cfg,
		   const struct cyl_write_allow *allow, size_t n_allow)
{
	if (nla_put(msg, CYL_A_SERIAL_CFG, sizeof(*cfg), cfg))
		return -EMSGSIZE;
	if (n_allow &&
	    nla_put(msg, CYL_A_WRITE_ALLOW, n_allow * sizeof(*allow), allow))
		return -EMSGSIZE;
	return 0;
}

int cyl_kmod_attach(struct cyl_kmod_ctl *c, int fd, uint32_t id,
		    const char *name, const struct cyl_serial_cfg *cfg,
		    const struct cyl_write_allow *allow, size_t n_allow,
		    char *err, size_t errlen)
{
	struct nl_msg *msg = new_msg(c, CYL_CMD_ATTACH, 0);

	if (msg && (nla_put_u32(msg, CYL_A_FD, fd) ||
		    nla_put_u32(msg, CYL_A_DEVICE_ID, id) ||
		    nla_put_string(msg, CYL_A_DEVICE_NAME, name) ||
		    put_cfg(msg, cfg, allow, n_allow))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return request(c, msg, "attach", NULL, NULL, err, errlen);
}

int cyl_kmod_detach(struct cyl_kmod_ctl *c, uint32_t id, char *err,
		    size_t errlen)
{
	struct nl_msg *msg = new_msg(c, CYL_CMD_DETACH, 0);

	if (msg && nla_put_u32(msg, CYL_A_DEVICE_ID, id)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return request(c, msg, "detach", NULL, NULL, err, errlen);
}

int cyl_kmod_set_config(struct cyl_kmod_ctl *c, uint32_t id,
			const struct cyl_serial_cfg *cfg,
			const struct cyl_write_allow *allow, size_t n_allow,
			char *err, size_t errlen)
{
	struct nl_msg *msg = new_msg(c, CYL_CMD_SET_CONFIG, 0);

	if (msg && (nla_put_u32(msg, CYL_A_DEVICE_ID, id) ||
		    put_cfg(msg, cfg, allow, n_allow))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return request(c, msg, "set settings", NULL, NULL, err, errlen);
}

int cyl_kmod_set_key(struct cyl_kmod_ctl *c, uint32_t id, const char *desc,
		     char *err, size_t errlen)
{
	struct nl_msg *msg = new_msg(c, CYL_CMD_SET_KEY, 0);

	if (msg && (nla_put_u32(msg, CYL_A_DEVICE_ID, id) ||
		    (desc && nla_put_string(msg, CYL_A_KEY_DESC, desc)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return request(c, msg, "set record key", NULL, NULL, err, errlen);
}

static int on_status(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CYL_A_MAX + 1];
	int *ldisc = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CYL_A_MAX, NULL) == 0 &&
	    tb[CYL_A_LDISC] && nla_len(tb[CYL_A_LDISC]) == sizeof(uint32_t))
		*ldisc = (int)nla_get_u32(tb[CYL_A_LDISC]);
	return NL_OK;
}

int cyl_kmod_ctl_ldisc(struct cyl_kmod_ctl *c, int *ldisc)
{
	char err[64];
	int ret;

	*ldisc = -1;
	ret = request(c, new_msg(c, CYL_CMD_GET_STATUS, 0), "status",
		      on_status, ldisc, err, sizeof(err));
	if (!ret && *ldisc < 0)
		ret = -EPROTO;
	return ret;
}

struct guards {
	struct cyl_kmod_guard *v;
	size_t n, cap;
	int error;
};

static int on_guard(struct nl_msg *msg, void *arg)
{
	static struct nla_policy policy[CYL_A_MAX + 1] = {
		[CYL_A_DEVICE_ID]	= { .type = NLA_U32 },
		[CYL_A_DEVICE_NAME]	= { .type = NLA_STRING },
		[CYL_A_TTY]		= { .type = NLA_STRING },
		[CYL_A_DEV]		= { .type = NLA_U32 },
		[CYL_A_KEY_SERIAL]	= { .type = NLA_U32 },
	};
	struct nlattr *tb[CYL_A_MAX + 1];
	struct guards *gs = arg;
	struct cyl_kmod_guard *g;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CYL_A_MAX, policy) ||
	    !tb[CYL_A_DEVICE_ID] || !tb[CYL_A_DEVICE_NAME] || !tb[CYL_A_TTY] ||
	    !tb[CYL_A_STATS] ||
	    nla_len(tb[CYL_A_STATS]) != sizeof(struct cyl_serial_stats)) {
		gs->error = -EPROTO;
		return NL_SKIP;
	}
	if (gs->n == gs->cap) {
		size_t cap = gs->cap ? 2 * gs->cap : 8;
		struct cyl_kmod_guard *v = realloc(gs->v, cap * sizeof(*v));

		if (!v) {
			gs->error = -ENOMEM;
			return NL_SKIP;
		}
		gs->v = v;
		gs->cap = cap;
	}
	g = &gs->v[gs->n++];
	memset(g, 0, sizeof(*g));
	g->id = nla_get_u32(tb[CYL_A_DEVICE_ID]);
	snprintf(g->name, sizeof(g->name), "%s",
		 nla_get_string(tb[CYL_A_DEVICE_NAME]));
	snprintf(g->tty, sizeof(g->tty), "%s", nla_get_string(tb[CYL_A_TTY]));
	if (tb[CYL_A_DEV])
		g->dev = nla_get_u32(tb[CYL_A_DEV]);
	if (tb[CYL_A_KEY_SERIAL])
		g->key_serial = nla_get_u32(tb[CYL_A_KEY_SERIAL]);
	memcpy(&g->stats, nla_data(tb[CYL_A_STATS]), sizeof(g->stats));
	return NL_OK;
}

int cyl_kmod_guards(struct cyl_kmod_ctl *c, struct cyl_kmod_guard **out,
		    size_t *n)
{
	struct guards gs = { 0 };
	char err[128];
	int ret;

	*out = NULL;
	*n = 0;
	ret = request(c, new_msg(c, CYL_CMD_GET_STATS, NLM_F_DUMP), "stats",
		      on_guard, &gs, err, sizeof(err));
	if (!ret)
		ret = gs.error;
	if (ret) {
		free(gs.v);
		return ret;
	}
	*out = gs.v;
	*n = gs.n;
	return 0;
}
