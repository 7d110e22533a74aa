/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small HTTP/1.x server in the daemon's epoll loop, for the agent's
 * endpoints (/metrics, SSI's): a table of routes (core/metrics.h), one
 * request per connection, a body only for the routes that take one.
 */
#ifndef CYL_HTTPD_H
#define CYL_HTTPD_H

#include "core/loop.h"
#include "core/metrics.h"

struct cyl_httpd;

/* What a handler answers; the server frees @body. */
struct cyl_httpd_response {
	int status;			/* 200 unless the handler says otherwise */
	const char *content_type;	/* with a body; static */
	struct cyl_strbuf body;		/* empty: the status's reason as text */
};

/*
 * Serve @req, which matched @routes[@route], with its body @body[0..len)
 * (len 0 for a route without one), into @resp.
 */
typedef void (*cyl_httpd_fn)(void *ctx, size_t route, const struct cyl_http_request *req,
			     const char *body, size_t len, struct cyl_httpd_response *resp);

/*
 * Listen on @where and serve @routes[0..n) (kept, not copied) with @fn.
 * 0, or a negative errno (logged).
 */
int cyl_httpd_open(struct cyl_httpd **out, const struct cyl_metrics_listen *where,
		   struct cyl_loop *loop, const struct cyl_http_route *routes, size_t n,
		   cyl_httpd_fn fn, void *ctx);
/* Closes clients and the listener. */
void cyl_httpd_close(struct cyl_httpd *h);

/* "127.0.0.1:9464", "[::1]:9465": where @h listens. */
const char *cyl_httpd_address(const struct cyl_httpd *h);

#endif /* CYL_HTTPD_H */
