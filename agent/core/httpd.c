// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's HTTP server (see httpd.h).  Like the control socket,
 * everything is non-blocking and bounded, so no client can hold the
 * loop: at most MAX_CLIENTS connections (a new one evicts the oldest), at
 * most CYL_HTTP_MAX_REQUEST bytes of request head and the route's
 * body_max bytes of body each, and CLIENT_TIMEOUT_S seconds for the
 * whole exchange, enforced by a timerfd that ticks only while clients
 * are connected.  Every response closes the connection.
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

#include "core/httpd.h"
#include "core/log.h"

#define MAX_CLIENTS		8
#define CLIENT_TIMEOUT_S	5
#define HEAD_MAX		256

struct client {
	struct cyl_loop_handler h;
	struct cyl_httpd *hd;
	int fd;			/* -1: slot free */
	char *in;
	size_t in_len, in_size;
	struct cyl_http_request req;	/* once the head is in */
	size_t route;
	size_t need;		/* head and body bytes, once the head is in; 0 before */
	struct cyl_strbuf out;	/* response, once the request is in */
	size_t out_off;
	time_t deadline;	/* CLOCK_MONOTONIC seconds */
};

struct cyl_httpd {
	struct cyl_loop *loop;
	struct cyl_loop_handler listen_h, timer_h;
	int lfd, tfd;
	const struct cyl_http_route *routes;
	size_t n_routes;
	cyl_httpd_fn fn;
	void *ctx;
	char name[INET6_ADDRSTRLEN + 16];
	size_t n_clients;
	struct client clients[MAX_CLIENTS];
};

/* Closing the fd also removes it from the epoll set. */
static void client_close(struct client *c)
{
	struct cyl_httpd *hd = c->hd;

	close(c->fd);
	free(c->in);
	cyl_strbuf_free(&c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if (--hd->n_clients == 0)
		cyl_loop_tick_seconds(hd->tfd, false);
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
			break;		/* the client went away */
		c->out_off += n;
	}
	shutdown(c->fd, SHUT_WR);
	client_close(c);
	return 0;
}

/* Head and body into c->out, then write what the socket takes now. */
static int respond(struct client *c, struct cyl_httpd_response *r, const char *allow)
{
	const char *type = r->content_type, *data = r->body.p;
	size_t len = r->body.len;
	char head[HEAD_MAX], text[64];
	int n;

	free(c->in);
	c->in = NULL;
	if (r->body.oom) {
		log_err_f("http://%s: cannot build a response: out of memory", c->hd->name);
		r->status = 500;
		len = 0;
	}
	if (!len && r->status != 200) {
		type = "text/plain; charset=utf-8";
		len = snprintf(text, sizeof(text), "%s\n", cyl_http_reason(r->status));
		data = text;
	}
	n = cyl_http_response_head_allow(head, sizeof(head), r->status, type, len, allow);
	if (n > 0) {
		cyl_strbuf_add(&c->out, head, n);
		cyl_strbuf_add(&c->out, data, len);
	}
	cyl_strbuf_free(&r->body);
	if (n < 0 || c->out.oom) {
		log_err_f("cannot build a %d response: out of memory", r->status);
		client_close(c);
		return 0;
	}
	if (cyl_loop_mod(c->hd->loop, c->fd, EPOLLOUT, &c->h)) {
		client_close(c);
		return 0;
	}
	return flush(c);
}

static int respond_status(struct client *c, int status, const char *allow)
{
	struct cyl_httpd_response r = { .status = status };

	return respond(c, &r, allow);
}

static int serve(struct client *c)
{
	struct cyl_httpd *hd = c->hd;
	struct cyl_httpd_response r = { .status = 200 };
	size_t head = c->req.head_len;

	hd->fn(hd->ctx, c->route, &c->req, c->in + head, c->need ? c->need - head : 0, &r);
	return respond(c, &r, NULL);
}

/* The head is in: route it, and see what body it brings. */
static int head_done(struct client *c)
{
	struct cyl_httpd *hd = c->hd;
	const struct cyl_http_route *r;
	size_t size;
	char *in;
	int status;

	status = cyl_http_match(hd->routes, hd->n_routes, &c->req, &c->route);
	if (status != 200)
		return respond_status(c, status,
				      status == 405 ? hd->routes[c->route].method : NULL);
	r = &hd->routes[c->route];
	if (!r->body_max)
		return serve(c);
	if ((status = cyl_http_body_status(r, &c->req)) != 0)
		return respond_status(c, status, NULL);
	c->need = c->req.head_len + (size_t)c->req.content_length;
	if (c->in_len >= c->need)
		return serve(c);
	/* Bytes past the body, if any, are not read. */
	size = c->need;
	in = realloc(c->in, size);
	if (!in) {
		log_err_f("out of memory");
		client_close(c);
		return 0;
	}
	c->in = in;
	c->in_size = size;
	return -EAGAIN;
}

static int read_request(struct client *c)
{
	size_t room;
	ssize_t n;
	int ret;

	for (;;) {
		room = (c->need ? c->need : c->in_size) - c->in_len;
		n = read(c->fd, c->in + c->in_len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0) {
			/* Gone (or broken) before a full request: nothing to say. */
			client_close(c);
			return 0;
		}
		c->in_len += n;
		if (c->need) {
			if (c->in_len == c->need)
				return serve(c);
			continue;
		}
		ret = cyl_http_parse_request(c->in, c->in_len, &c->req);
		if (ret == -EAGAIN)
			continue;
		if (ret)
			return respond_status(c, cyl_http_error_status(ret), NULL);
		ret = head_done(c);
		if (ret != -EAGAIN)
			return ret;
	}
}

static int on_client(struct cyl_loop_handler *h, uint32_t events)
{
	struct client *c = container_of(h, struct client, h);

	if (c->out.p)
		return flush(c);
	return read_request(c);
}

static void client_start(struct cyl_httpd *hd, struct client *c, int fd)
{
	c->hd = hd;
	c->fd = fd;
	c->h.fn = on_client;
	c->deadline = cyl_loop_now_s() + CLIENT_TIMEOUT_S;
	if (++hd->n_clients == 1)
		cyl_loop_tick_seconds(hd->tfd, true);
	c->in_size = CYL_HTTP_MAX_REQUEST;
	c->in = malloc(c->in_size);
	if (!c->in) {
		log_err_f("out of memory");
		client_close(c);
		return;
	}
	if (cyl_loop_add(hd->loop, fd, EPOLLIN, &c->h))
		client_close(c);
}

/* A free slot, or the oldest client's: a new client always gets in. */
static struct client *slot(struct cyl_httpd *hd)
{
	struct client *oldest = &hd->clients[0];
	size_t i;

	for (i = 0; i < MAX_CLIENTS; i++) {
		if (hd->clients[i].fd < 0)
			return &hd->clients[i];
		if (hd->clients[i].deadline < oldest->deadline)
			oldest = &hd->clients[i];
	}
	client_close(oldest);
	return oldest;
}

static int on_listen(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_httpd *hd = container_of(h, struct cyl_httpd, listen_h);
	int fd;

	for (;;) {
		fd = accept4(hd->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && errno == EINTR)
			continue;
		if (fd < 0) {
			if (errno != EAGAIN)
				log_err_f("accept: %s", strerror(errno));
			return 0;
		}
		client_start(hd, slot(hd), fd);
	}
}

static int on_timer(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_httpd *hd = container_of(h, struct cyl_httpd, timer_h);
	time_t now = cyl_loop_now_s();
	uint64_t ticks;
	size_t i;

	if (read(hd->tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		log_err_f("read timerfd: %s", strerror(errno));
	for (i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &hd->clients[i];

		if (c->fd >= 0 && c->deadline <= now)
			client_close(c);
	}
	return 0;
}

static void addr_str(const struct cyl_metrics_listen *w, char *buf, size_t size)
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
}

static int listen_on(struct cyl_httpd *hd, const struct cyl_metrics_listen *w)
{
	int one = 1;

	hd->lfd = socket(w->addr.ss_family,
			 SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (hd->lfd < 0) {
		log_err_f("socket: %s", strerror(errno));
		return -errno;
	}
	setsockopt(hd->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (w->addr.ss_family == AF_INET6)
		setsockopt(hd->lfd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(hd->lfd, (const struct sockaddr *)&w->addr, w->addrlen)) {
		log_err_f("bind %s: %s", hd->name, strerror(errno));
		return -errno;
	}
	if (listen(hd->lfd, 16)) {
		log_err_f("listen %s: %s", hd->name, strerror(errno));
		return -errno;
	}
	return 0;
}

int cyl_httpd_open(struct cyl_httpd **out, const struct cyl_metrics_listen *where,
		   struct cyl_loop *loop, const struct cyl_http_route *routes, size_t n,
		   cyl_httpd_fn fn, void *ctx)
{
	struct cyl_httpd *hd;
	size_t i;
	int ret;

	*out = NULL;
	hd = calloc(1, sizeof(*hd));
	if (!hd)
		return -ENOMEM;
	hd->loop = loop;
	hd->routes = routes;
	hd->n_routes = n;
	hd->fn = fn;
	hd->ctx = ctx;
	hd->lfd = hd->tfd = -1;
	hd->listen_h.fn = on_listen;
	hd->timer_h.fn = on_timer;
	for (i = 0; i < MAX_CLIENTS; i++)
		hd->clients[i].fd = -1;

	addr_str(where, hd->name, sizeof(hd->name));
	if ((ret = listen_on(hd, where)) != 0)
		goto err;
	hd->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (hd->tfd < 0) {
		ret = -errno;
		log_err_f("timerfd_create: %s", strerror(errno));
		goto err;
	}
	if ((ret = cyl_loop_add(loop, hd->lfd, EPOLLIN, &hd->listen_h)) != 0 ||
	    (ret = cyl_loop_add(loop, hd->tfd, EPOLLIN, &hd->timer_h)) != 0)
		goto err;
	*out = hd;
	return 0;
err:
	cyl_httpd_close(hd);
	return ret;
}

const char *cyl_httpd_address(const struct cyl_httpd *hd)
{
	return hd->name;
}

void cyl_httpd_close(struct cyl_httpd *hd)
{
	size_t i;

	if (!hd)
		return;
	for (i = 0; i < MAX_CLIENTS; i++) {
		if (hd->clients[i].fd >= 0)
			client_close(&hd->clients[i]);
	}
	if (hd->lfd >= 0)
		close(hd->lfd);
	if (hd->tfd >= 0)
		close(hd->tfd);
	free(hd);
}
