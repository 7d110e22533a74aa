// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the request parser of the agent's HTTP endpoints
 * (/metrics, SSI's): any bytes a local (or, if configured, remote) client
 * sends.  Checks the parser's promises, a body's framing, and that the
 * response head always fits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.c"
#include "util/quote.c"
#include "util/errbuf.c"

static const struct cyl_http_route body_route = { "POST", "/ssi/challenge", 1024 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cyl_http_request req;
	struct cyl_prom_label l;
	struct cyl_strbuf b = { 0 };
	char head[256], *s;
	int ret, status;

	ret = cyl_http_parse_request((const char *)data, size, &req);
	if (!ret) {
		if (!req.head_len || req.head_len > size ||
		    req.head_len > CYL_HTTP_MAX_REQUEST ||
		    data[req.head_len - 1] != '\n' || req.path[0] != '/' ||
		    strlen(req.path) > CYL_HTTP_TARGET_MAX || !req.method[0] ||
		    req.minor > 9)
			__builtin_trap();
		/* A body's framing: a length, none or bad, and one of four answers. */
		if (req.content_length < CYL_HTTP_LENGTH_BAD)
			__builtin_trap();
		switch (cyl_http_body_status(&body_route, &req)) {
		case 0:
			if (req.content_length < 0 || req.content_length > 1024 ||
			    req.transfer_encoding)
				__builtin_trap();
			break;
		case 400: case 411: case 413:
			break;
		default:
			__builtin_trap();
		}
		status = cyl_http_route(&req);
	} else if (ret == -EAGAIN || ret == -EMSGSIZE || ret == -EBADMSG) {
		if (ret == -EAGAIN && size >= CYL_HTTP_MAX_REQUEST)
			__builtin_trap();
		status = cyl_http_error_status(ret);
	} else {
		__builtin_trap();
	}
	if (cyl_http_response_head(head, sizeof(head), status,
				   CYL_METRICS_CONTENT_TYPE, size) <= 0)
		__builtin_trap();

	/* The same bytes as a label value: one line, quotes balanced. */
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	l = (struct cyl_prom_label){ "device", s };
	cyl_prom_sample(&b, "x", &l, 1, 1);
	if (!b.oom) {
		char *nl = strchr(b.p, '\n');

		if (!nl || nl[1] != '\0')
			__builtin_trap();
	}
	cyl_strbuf_free(&b);
	free(s);
	return 0;
}
