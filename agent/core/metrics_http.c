// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus endpoint.  Like the control socket, everything is
 * non-blocking and bounded, so no client can hold the loop: at most
 * MAX_CLIENTS connections (a new one evicts the oldest), at most
 * CYL_HTTP_MAX_REQUEST bytes of request head each, and
 * CLIENT_TIMEOUT_S seconds for the whole exchange, enforced by a timerfd
 * that ticks only while clients are connected.  Every response closes
 * the connection.
 */
#define _GNU_SOURCE	/* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/metrics_http.h"

#define MAX_CLIENTS		8
#define CLIENT_TIMEOUT_S	5
#define HEAD_MAX		256

struct client {
	struct cyl_loop_handler h;
	struct cyl_metrics_http *mh;
	int fd;			/* -1: slot free */
	char *in;
	size_t in_len;
	struct cyl_strbuf out;	/* response, once the request is in */
	size_t out_off;
	time_t deadline;	/* CLOCK_MONOTONIC seconds */
};

struct cyl_metrics_http {
	struct cyl_loop *loop;
	struct cyl_loop_handler listen_h, timer_h;
	int lfd, tfd;
	cyl_metrics_render_fn fn;
	void *ctx;
	size_t n_clients;
	struct client clients[MAX_CLIENTS];
};

/* Closing the fd also removes it from the epoll set. */
static void client_close(struct client *c)
{
	struct cyl_metrics_http *mh = c->mh;

	close(c->fd);
	free(c->in);
	cyl_strbuf_free(&c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if (--mh->n_clients == 0)
		cyl_loop_tick_seconds(mh->tfd, false);
}

static int flush(struct client *c)
{
	ssize_t n;

	while (c->out_off < c->out.len) {
		n = send(c->fd, c->out.p + c->out_off,
			 c->out.len - c->out_off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;	/* EPOLLOUT brings us back */
		if (n < 0)
			break;		/* the scraper went away */
		c->out_off += n;
	}
	shutdown(c->fd, SHUT_WR);
	client_close(c);
	return 0;
}

/* Head and body into c->out, then write what the socket takes now. */
static int respond(struct client *c, int status, const struct cyl_strbuf *body)
{
	const char *type = CYL_METRICS_CONTENT_TYPE, *data;
	char head[HEAD_MAX], text[64];
	size_t len;
	int n;

	free(c->in);
	c->in = NULL;
	if (status == 200) {
		data = body->p;
		len = body->len;
	} else {
		type = "text/plain; charset=utf-8";
		len = snprintf(text, sizeof(text), "%s\n", cyl_http_reason(status));
		data = text;
	}
	n = cyl_http_response_head(head, sizeof(head), status, type, len);
	if (n > 0) {
		cyl_strbuf_add(&c->out, head, n);
		cyl_strbuf_add(&c->out, data, len);
	}
	if (n < 0 || c->out.oom) {
		log_err_f("cannot build a %d response: out of memory", status);
		client_close(c);
		return 0;
	}
	if (cyl_loop_mod(c->mh->loop, c->fd, EPOLLOUT, &c->h)) {
		client_close(c);
		return 0;
	}
	return flush(c);
}

static int serve(struct client *c, const struct cyl_http_request *req)
{
	struct cyl_metrics_http *mh = c->mh;
	struct cyl_strbuf body = { 0 };
	int status, ret;

	status = cyl_http_route(req);
	if (status == 200 && mh->fn(mh->ctx, &body)) {
		log_err_f("rendering the metrics failed");
		status = 503;
	}
	ret = respond(c, status, &body);
	cyl_strbuf_free(&body);
	return ret;
}

static int read_request(struct client *c)
{
	struct cyl_http_request req;
	ssize_t n;
	int ret;

	for (;;) {
		n = read(c->fd, c->in + c->in_len, CYL_HTTP_MAX_REQUEST - c->in_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0) {
			/* Gone (or broken) before a full head: nothing to say. */
			client_close(c);
			return 0;
		}
		c->in_len += n;
		ret = cyl_http_parse_request(c->in, c->in_len, &req);
		if (!ret)
			return serve(c, &req);
		if (ret != -EAGAIN)
			return respond(c, cyl_http_error_status(ret), NULL);
	}
}

static int on_client(struct cyl_loop_handler *h, uint32_t events)
{
	struct client *c = container_of(h, struct client, h);

	if (c->out.p)
		return flush(c);
	return read_request(c);
}

static void client_start(struct cyl_metrics_http *mh, struct client *c, int fd)
{
	c->mh = mh;
	c->fd = fd;
	c->h.fn = on_client;
	c->deadline = cyl_loop_now_s() + CLIENT_TIMEOUT_S;
	if (++mh->n_clients == 1)
		cyl_loop_tick_seconds(mh->tfd, true);
	c->in = malloc(CYL_HTTP_MAX_REQUEST);
	if (!c->in) {
		log_err_f("out of memory");
		client_close(c);
		return;
	}
	if (cyl_loop_add(mh->loop, fd, EPOLLIN, &c->h))
		client_close(c);
}

/* A free slot, or the oldest client's: a new scraper always gets in. */
static struct client *slot(struct cyl_metrics_http *mh)
{
	struct client *oldest = &mh->clients[0];
	size_t i;

	for (i = 0; i < MAX_CLIENTS; i++) {
		if (mh->clients[i].fd < 0)
			return &mh->clients[i];
		if (mh->clients[i].deadline < oldest->deadline)
			oldest = &mh->clients[i];
	}
	client_close(oldest);
	return oldest;
}

static int on_listen(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_metrics_http *mh = container_of(h, struct cyl_metrics_http,
						   listen_h);
	int fd;

	for (;;) {
		fd = accept4(mh->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && errno == EINTR)
			continue;
		if (fd < 0) {
			if (errno != EAGAIN)
				log_err_f("accept: %s", strerror(errno));
			return 0;
		}
		client_start(mh, slot(mh), fd);
	}
}

static int on_timer(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_metrics_http *mh = container_of(h, struct cyl_metrics_http,
						   timer_h);
	time_t now = cyl_loop_now_s();
	uint64_t ticks;
	size_t i;

	if (read(mh->tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		log_err_f("read timerfd: %s", strerror(errno));
	for (i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &mh->clients[i];

		if (c->fd >= 0 && c->deadline <= now)
			client_close(c);
	}
	return 0;
}

static const char *addr_str(const struct cyl_metrics_listen *w, char *buf,
			    size_t size)
{
	char ip[INET6_ADDRSTRLEN];

	if (w->addr.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)&w->addr;

		inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
		snprintf(buf, size, "[%s]:%u", ip, ntohs(s->sin6_port));
	} else {
		const struct sockaddr_in *s = (const void *)&w->addr;

		inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
		snprintf(buf, size, "%s:%u", ip, ntohs(s->sin_port));
	}
	return buf;
}

static int listen_on(struct cyl_metrics_http *mh,
		     const struct cyl_metrics_listen *w, const char *name)
{
	int one = 1;

	mh->lfd = socket(w->addr.ss_family,
			 SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (mh->lfd < 0) {
		log_err_f("socket: %s", strerror(errno));
		return -errno;
	}
	setsockopt(mh->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (w->addr.ss_family == AF_INET6)
		setsockopt(mh->lfd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(mh->lfd, (const struct sockaddr *)&w->addr, w->addrlen)) {
		log_err_f("bind %s: %s", name, strerror(errno));
		return -errno;
	}
	if (listen(mh->lfd, 16)) {
		log_err_f("listen %s: %s", name, strerror(errno));
		return -errno;
	}
	return 0;
}

int cyl_metrics_http_open(struct cyl_metrics_http **out,
			  const struct cyl_metrics_listen *where,
			  struct cyl_loop *loop, cyl_metrics_render_fn fn,
			  void *ctx)
{
	struct cyl_metrics_http *mh;
	char name[INET6_ADDRSTRLEN + 16];
	size_t i;
	int ret;

	*out = NULL;
	mh = calloc(1, sizeof(*mh));
	if (!mh)
		return -ENOMEM;
	mh->loop = loop;
	mh->fn = fn;
	mh->ctx = ctx;
	mh->lfd = mh->tfd = -1;
	mh->listen_h.fn = on_listen;
	mh->timer_h.fn = on_timer;
	for (i = 0; i < MAX_CLIENTS; i++)
		mh->clients[i].fd = -1;

	addr_str(where, name, sizeof(name));
	if ((ret = listen_on(mh, where, name)) != 0)
		goto err;
	mh->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (mh->tfd < 0) {
		ret = -errno;
		log_err_f("timerfd_create: %s", strerror(errno));
		goto err;
	}
	if ((ret = cyl_loop_add(loop, mh->lfd, EPOLLIN, &mh->listen_h)) != 0 ||
	    (ret = cyl_loop_add(loop, mh->tfd, EPOLLIN, &mh->timer_h)) != 0)
		goto err;
	if (where->loopback)
		log_info_f("metrics on http://%s/metrics", name);
	else
		log_warn_f("metrics on http://%s/metrics: not loopback, and the endpoint has no authentication",
			   name);
	*out = mh;
	return 0;
err:
	cyl_metrics_http_close(mh);
	return ret;
}

void cyl_metrics_http_close(struct cyl_metrics_http *mh)
{
	size_t i;

	if (!mh)
		return;
	for (i = 0; i < MAX_CLIENTS; i++) {
		if (mh->clients[i].fd >= 0)
			client_close(&mh->clients[i]);
	}
	if (mh->lfd >= 0)
		close(mh->lfd);
	if (mh->tfd >= 0)
		close(mh->tfd);
	free(mh);
}
