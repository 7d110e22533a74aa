// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the control protocol: requests as the daemon
 * sees them from any local peer, and replies as cylctl sees them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctlproto.c"
#include "util/quote.c"
#include "util/errbuf.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cyl_ctl_request req;
	char err[256], *line;
	json_t *reply;

	if (!cyl_ctl_parse_request((const char *)data, size, &req, err,
				   sizeof(err))) {
		if (!req.desc || !json_is_object(req.obj))
			__builtin_trap();
		cyl_ctl_request_free(&req);
	} else {
		/* The error goes back to the peer: it must be sendable. */
		line = cyl_ctl_reply_error(err, NULL);
		if (!line || !strchr(line, '\n'))
			__builtin_trap();
		free(line);
	}

	if (!cyl_ctl_parse_reply((const char *)data, size, &reply, err,
				 sizeof(err))) {
		line = cyl_ctl_reply_ok(reply, NULL);	/* takes reply */
		free(line);
	}
	return 0;
}
