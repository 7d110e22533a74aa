// SPDX-License-Identifier: GPL-2.0
/*
 * Control socket server.  Everything is non-blocking and bounded: at most
 * MAX_CLIENTS connections, CYL_CTL_MAX_REQUEST bytes of request each, and
 * CLIENT_TIMEOUT_S seconds for the whole exchange, enforced by a timerfd
 * that ticks only while clients are connected.
 */
#define _GNU_SOURCE	/* accept4, struct ucred */
#include <errno.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/ctlsock.h"
#include "core/log.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS	59
#endif

#define MAX_CLIENTS		16
#define CLIENT_TIMEOUT_S	5

struct client {
	struct cyl_loop_handler h;
	struct cyl_ctlsock *cs;
	int fd;			/* -1: slot free */
	pid_t pid;
	uid_t uid;
	unsigned int creds;	/* enum cyl_ctl_cred */
	char *in;
	size_t in_len, in_size;	/* in grows up to CYL_CTL_MAX_REQUEST */
	char *out;		/* reply being written, once the request is in */
	size_t out_len, out_off;
	time_t deadline;	/* CLOCK_MONOTONIC seconds */
	cyl_ctl_handover_fn handover;	/* takes the fd after the reply */
	void *handover_ctx;
};

struct cyl_ctlsock {
	struct cyl_loop *loop;
	struct cyl_loop_handler listen_h, timer_h;
	int lfd, tfd;
	bool bound;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	bool have_admin_gid;
	gid_t admin_gid;
	cyl_ctl_handler_fn fn;
	cyl_ctl_deny_fn deny_fn;
	void *ctx;
	struct client *current;		/* whose request fn is running */
	size_t n_clients;
	struct client clients[MAX_CLIENTS];
};

/* Closing the fd also removes it from the epoll set. */
static void client_close(struct client *c)
{
	struct cyl_ctlsock *cs = c->cs;

	if (c->handover)
		c->handover(c->handover_ctx, -1);
	if (c->fd >= 0)
		close(c->fd);
	free(c->in);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if (--cs->n_clients == 0)
		cyl_loop_tick_seconds(cs->tfd, false);
}

static int flush(struct client *c)
{
	ssize_t n;

	while (c->out_off < c->out_len) {
		n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;	/* EPOLLOUT brings us back */
		if (n < 0) {
			log_info_f("pid %d: send: %s", (int)c->pid, strerror(errno));
			break;
		}
		c->out_off += n;
	}
	if (c->handover && c->out_off == c->out_len &&
	    !cyl_loop_del(c->cs->loop, c->fd)) {
		c->handover(c->handover_ctx, c->fd);
		c->handover = NULL;
		c->fd = -1;	/* not ours to close any more */
	}
	client_close(c);
	return 0;
}

/* Takes over @line; the request buffer is no longer needed. */
static int respond(struct client *c, char *line, size_t len)
{
	if (!line) {
		log_err_f("pid %d: cannot build reply: out of memory", (int)c->pid);
		client_close(c);
		return 0;
	}
	free(c->in);
	c->in = NULL;
	c->out = line;
	c->out_len = len;
	if (cyl_loop_mod(c->cs->loop, c->fd, EPOLLOUT, &c->h)) {
		client_close(c);
		return 0;
	}
	return flush(c);
}

static int respond_error(struct client *c, const char *msg)
{
	size_t len = 0;
	char *line;

	line = cyl_ctl_reply_error(msg, &len);
	return respond(c, line, len);
}

static int deny(struct client *c, const char *what)
{
	log_warn_f("pid %d uid %u: %s: permission denied", (int)c->pid,
		   (unsigned int)c->uid, what);
	if (c->cs->deny_fn)
		c->cs->deny_fn(c->cs->ctx, c->pid, c->uid, what);
	return respond_error(c, "permission denied");
}

static int handle_request(struct client *c)
{
	struct cyl_ctlsock *cs = c->cs;
	struct cyl_ctl_request req;
	char err[256], *line;
	size_t len = 0;
	json_t *body;
	int ret;

	/* Peers with no credential at all learn nothing, not even syntax. */
	if (!c->creds)
		return deny(c, "request");
	if (cyl_ctl_parse_request(c->in, c->in_len, &req, err, sizeof(err))) {
		log_info_f("pid %d: bad request: %s", (int)c->pid, err);
		return respond_error(c, err);
	}
	if (!cyl_ctl_permitted(req.desc, c->creds)) {
		ret = deny(c, req.desc->name);
		goto out;
	}
	cs->current = c;
	body = cs->fn(cs->ctx, &req, err, sizeof(err));
	cs->current = NULL;
	if (body) {
		line = cyl_ctl_reply_ok(body, &len);
		ret = respond(c, line, len);
	} else {
		/* An error reply is never the start of a stream. */
		if (c->handover) {
			c->handover(c->handover_ctx, -1);
			c->handover = NULL;
		}
		ret = respond_error(c, err);
	}
out:
	cyl_ctl_request_free(&req);
	return ret;
}

static int read_request(struct client *c)
{
	ssize_t n;
	char *nl;

	for (;;) {
		if (c->in_len == CYL_CTL_MAX_REQUEST) {
			char msg[64];

			log_info_f("pid %d: request too large, dropping",
				   (int)c->pid);
			snprintf(msg, sizeof(msg), "request is larger than %d bytes",
				 CYL_CTL_MAX_REQUEST);
			return respond_error(c, msg);
		}
		/* Grow by doubling: most requests are a few bytes. */
		if (c->in_len == c->in_size) {
			size_t size = c->in_size * 2;
			char *in;

			if (size > CYL_CTL_MAX_REQUEST)
				size = CYL_CTL_MAX_REQUEST;
			in = realloc(c->in, size);
			if (!in) {
				log_err_f("out of memory");
				client_close(c);
				return 0;
			}
			c->in = in;
			c->in_size = size;
		}
		n = read(c->fd, c->in + c->in_len, c->in_size - c->in_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0) {
			/* Gone (or broken) before a full line: nothing to say. */
			client_close(c);
			return 0;
		}
		nl = memchr(c->in + c->in_len, '\n', n);
		c->in_len += n;
		if (nl)
			return handle_request(c);
	}
}

static int on_client(struct cyl_loop_handler *h, uint32_t events)
{
	struct client *c = container_of(h, struct client, h);

	if (c->out)
		return flush(c);
	return read_request(c);
}

static void peer_creds(struct cyl_ctlsock *cs, struct client *c)
{
	gid_t stack_groups[64], *groups = stack_groups;
	socklen_t len = sizeof(stack_groups);
	struct ucred uc;
	socklen_t uclen = sizeof(uc);

	c->creds = 0;
	c->pid = 0;
	c->uid = (uid_t)-1;
	if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &uc, &uclen)) {
		log_err_f("SO_PEERCRED: %s", strerror(errno));
		return;
	}
	c->pid = uc.pid;
	c->uid = uc.uid;

	/* Supplementary groups; retry with the size the kernel asks for. */
	if (getsockopt(c->fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len)) {
		groups = NULL;
		if (errno == ERANGE && (groups = malloc(len)) &&
		    getsockopt(c->fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len)) {
			free(groups);
			groups = NULL;
		}
		if (!groups)
			len = 0;
	}
	c->creds = cyl_ctl_peer_creds(uc.uid, uc.gid, groups,
				      len / sizeof(gid_t), cs->have_admin_gid,
				      cs->admin_gid);
	if (groups != stack_groups)
		free(groups);
}

static void client_start(struct cyl_ctlsock *cs, struct client *c, int fd)
{
	c->cs = cs;
	c->fd = fd;
	c->h.fn = on_client;
	c->deadline = cyl_loop_now_s() + CLIENT_TIMEOUT_S;
	if (++cs->n_clients == 1)
		cyl_loop_tick_seconds(cs->tfd, true);
	c->in_size = 4096;
	c->in = malloc(c->in_size);
	if (!c->in) {
		log_err_f("out of memory");
		client_close(c);
		return;
	}
	peer_creds(cs, c);
	if (cyl_loop_add(cs->loop, fd, EPOLLIN, &c->h))
		client_close(c);
}

static int on_listen(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_ctlsock *cs = container_of(h, struct cyl_ctlsock, listen_h);
	struct client *c;
	size_t i;
	int fd;

	for (;;) {
		fd = accept4(cs->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && errno == EINTR)
			continue;
		if (fd < 0) {
			if (errno != EAGAIN)
				log_err_f("accept: %s", strerror(errno));
			return 0;
		}
		for (c = NULL, i = 0; i < MAX_CLIENTS && !c; i++) {
			if (cs->clients[i].fd < 0)
				c = &cs->clients[i];
		}
		if (!c) {
			log_warn_f("%d clients connected, refusing another",
				   MAX_CLIENTS);
			close(fd);
			continue;
		}
		client_start(cs, c, fd);
	}
}

static int on_timer(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_ctlsock *cs = container_of(h, struct cyl_ctlsock, timer_h);
	time_t now = cyl_loop_now_s();
	uint64_t ticks;
	size_t i;

	if (read(cs->tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		log_err_f("read timerfd: %s", strerror(errno));
	for (i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &cs->clients[i];

		if (c->fd < 0 || c->deadline > now)
			continue;
		log_info_f("pid %d: no exchange within %d s, dropping",
			   (int)c->pid, CLIENT_TIMEOUT_S);
		client_close(c);
	}
	return 0;
}

/* The socket's directory: created 0750, group cylcomed when it exists. */
static int make_dir(struct cyl_ctlsock *cs)
{
	char dir[sizeof(cs->path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", cs->path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0750)) {
		if (errno == EEXIST)
			return 0;
		log_err_f("mkdir %s: %s", dir, strerror(errno));
		return -errno;
	}
	if (cs->have_admin_gid && chown(dir, (uid_t)-1, cs->admin_gid))
		log_warn_f("chown %s: %s", dir, strerror(errno));
	return 0;
}

/* A live listener means another daemon; a dead socket file is removed. */
static int clear_stale(const struct cyl_ctlsock *cs,
		       const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, ret;

	if (lstat(cs->path, &st))
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		log_err_f("%s exists and is not a socket", cs->path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (!ret) {
		log_err_f("another cylcomedd is listening on %s", cs->path);
		return -EADDRINUSE;
	}
	if (unlink(cs->path)) {
		log_err_f("unlink %s: %s", cs->path, strerror(errno));
		return -errno;
	}
	return 0;
}

static int listen_on(struct cyl_ctlsock *cs)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;
	int ret;

	memcpy(sun.sun_path, cs->path, strlen(cs->path));
	if ((ret = make_dir(cs)) != 0 || (ret = clear_stale(cs, &sun)) != 0)
		return ret;

	cs->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (cs->lfd < 0) {
		log_err_f("socket: %s", strerror(errno));
		return -errno;
	}
	/* The umask closes the window between bind() and chmod(). */
	old = umask(0117);
	ret = bind(cs->lfd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (ret) {
		log_err_f("bind %s: %s", cs->path, strerror(errno));
		return -errno;
	}
	cs->bound = true;
	if (cs->have_admin_gid && chown(cs->path, (uid_t)-1, cs->admin_gid))
		log_warn_f("chown %s: %s", cs->path, strerror(errno));
	if (chmod(cs->path, 0660))
		log_warn_f("chmod %s: %s", cs->path, strerror(errno));
	if (listen(cs->lfd, MAX_CLIENTS)) {
		log_err_f("listen %s: %s", cs->path, strerror(errno));
		return -errno;
	}
	return 0;
}

int cyl_ctlsock_open(struct cyl_ctlsock **out, const char *path,
		     struct cyl_loop *loop, cyl_ctl_handler_fn fn, void *ctx)
{
	struct cyl_ctlsock *cs;
	struct group *gr;
	size_t i;
	int ret;

	*out = NULL;
	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return -ENOMEM;
	cs->loop = loop;
	cs->fn = fn;
	cs->ctx = ctx;
	cs->lfd = cs->tfd = -1;
	cs->listen_h.fn = on_listen;
	cs->timer_h.fn = on_timer;
	for (i = 0; i < MAX_CLIENTS; i++)
		cs->clients[i].fd = -1;

	ret = -ENAMETOOLONG;
	if (strlen(path) >= sizeof(cs->path)) {
		log_err_f("socket path too long: %s", path);
		goto err;
	}
	strcpy(cs->path, path);

	gr = getgrnam(CYL_CTL_ADMIN_GROUP);
	if (gr) {
		cs->have_admin_gid = true;
		cs->admin_gid = gr->gr_gid;
	} else {
		log_info_f("no group \"%s\": only root may use %s",
			   CYL_CTL_ADMIN_GROUP, path);
	}

	if ((ret = listen_on(cs)) != 0)
		goto err;
	cs->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (cs->tfd < 0) {
		ret = -errno;
		log_err_f("timerfd_create: %s", strerror(errno));
		goto err;
	}
	if ((ret = cyl_loop_add(loop, cs->lfd, EPOLLIN, &cs->listen_h)) != 0 ||
	    (ret = cyl_loop_add(loop, cs->tfd, EPOLLIN, &cs->timer_h)) != 0)
		goto err;
	*out = cs;
	return 0;
err:
	cyl_ctlsock_close(cs);
	return ret;
}

void cyl_ctlsock_on_deny(struct cyl_ctlsock *cs, cyl_ctl_deny_fn fn)
{
	cs->deny_fn = fn;
}

void cyl_ctlsock_hand_over(struct cyl_ctlsock *cs, cyl_ctl_handover_fn fn,
			   void *ctx)
{
	if (!cs->current) {
		fn(ctx, -1);
		return;
	}
	cs->current->handover = fn;
	cs->current->handover_ctx = ctx;
}

void cyl_ctlsock_close(struct cyl_ctlsock *cs)
{
	size_t i;

	if (!cs)
		return;
	for (i = 0; i < MAX_CLIENTS; i++) {
		if (cs->clients[i].fd >= 0)
			client_close(&cs->clients[i]);
	}
	if (cs->lfd >= 0)
		close(cs->lfd);
	if (cs->tfd >= 0)
		close(cs->tfd);
	if (cs->bound)
		unlink(cs->path);
	free(cs);
}
