/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus endpoint, on the agent's HTTP server (core/httpd.h):
 * GET /metrics only, one request per connection.
 */
#ifndef CYL_METRICS_HTTP_H
#define CYL_METRICS_HTTP_H

#include "core/loop.h"
#include "core/metrics.h"

struct cyl_metrics_http;

/* Append the /metrics body to @out; a negative errno answers 503. */
typedef int (*cyl_metrics_render_fn)(void *ctx, struct cyl_strbuf *out);

int cyl_metrics_http_open(struct cyl_metrics_http **out,
			  const struct cyl_metrics_listen *where,
			  struct cyl_loop *loop, cyl_metrics_render_fn fn,
			  void *ctx);
/* Closes clients and the listener. */
void cyl_metrics_http_close(struct cyl_metrics_http *mh);

#endif /* CYL_METRICS_HTTP_H */
