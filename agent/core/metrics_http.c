// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus endpoint: GET /metrics on the agent's HTTP server
 * (httpd.c), the body rendered by the daemon's callback.
 */
#include <errno.h>
#include <stdlib.h>

#include "core/httpd.h"
#include "core/log.h"
#include "core/metrics_http.h"

struct cyl_metrics_http {
	struct cyl_httpd *hd;
	cyl_metrics_render_fn fn;
	void *ctx;
};

static void serve(void *ctx, size_t route, const struct cyl_http_request *req,
		  const char *body, size_t len, struct cyl_httpd_response *resp)
{
	struct cyl_metrics_http *mh = ctx;

	resp->content_type = CYL_METRICS_CONTENT_TYPE;
	if (mh->fn(mh->ctx, &resp->body)) {
		log_err_f("rendering the metrics failed");
		cyl_strbuf_free(&resp->body);
		resp->status = 503;
	}
}

int cyl_metrics_http_open(struct cyl_metrics_http **out,
			  const struct cyl_metrics_listen *where,
			  struct cyl_loop *loop, cyl_metrics_render_fn fn,
			  void *ctx)
{
	struct cyl_metrics_http *mh;
	const char *name;
	int ret;

	*out = NULL;
	mh = calloc(1, sizeof(*mh));
	if (!mh)
		return -ENOMEM;
	mh->fn = fn;
	mh->ctx = ctx;
	ret = cyl_httpd_open(&mh->hd, where, loop, &cyl_metrics_route, 1, serve, mh);
	if (ret) {
		free(mh);
		return ret;
	}
	name = cyl_httpd_address(mh->hd);
	if (where->loopback)
		log_info_f("metrics on http://%s/metrics", name);
	else
		log_warn_f("metrics on http://%s/metrics: not loopback, and the endpoint has no authentication",
			   name);
	*out = mh;
	return 0;
}

void cyl_metrics_http_close(struct cyl_metrics_http *mh)
{
	if (!mh)
		return;
	cyl_httpd_close(mh->hd);
	free(mh);
}
