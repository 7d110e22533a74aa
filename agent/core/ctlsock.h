/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Control socket server: accepts cylctl connections, authenticates the
 * peer with SO_PEERCRED, reads one request, answers it, closes.
 */
#ifndef CYL_CTLSOCK_H
#define CYL_CTLSOCK_H

#include <jansson.h>

#include "core/ctlproto.h"
#include "core/loop.h"

struct cyl_ctlsock;

/*
 * Runs a permitted request; returns the reply body (without "ok"), or
 * NULL with a message in @err.
 */
typedef json_t *(*cyl_ctl_handler_fn)(void *ctx,
				      const struct cyl_ctl_request *req,
				      char *err, size_t errlen);

int cyl_ctlsock_open(struct cyl_ctlsock **out, const char *path,
		     struct cyl_loop *loop, cyl_ctl_handler_fn fn, void *ctx);
/* Closes clients and the listener and removes the socket file. */
void cyl_ctlsock_close(struct cyl_ctlsock *cs);

#endif /* CYL_CTLSOCK_H */
