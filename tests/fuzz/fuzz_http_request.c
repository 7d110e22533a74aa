// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the /metrics endpoint's request parser: any
 * bytes a local (or, if configured, remote) client sends.  Checks the
 * parser's promises and that the response head always fits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.c"
#include "util/quote.c"
#include "util/errbuf.c"

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
