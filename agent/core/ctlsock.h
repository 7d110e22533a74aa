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

/* A peer was refused: @what is "request" (no credential) or a command. */
typedef void (*cyl_ctl_deny_fn)(void *ctx, pid_t pid, uid_t uid,
				const char *what);

/*
 * Takes a connection over once its reply is sent: @fd is the caller's
 * to keep and close.  Called with @fd -1 if the reply could not be
 * sent, so that @ctx can be released.
 */
typedef void (*cyl_ctl_handover_fn)(void *ctx, int fd);

int cyl_ctlsock_open(struct cyl_ctlsock **out, const char *path,
		     struct cyl_loop *loop, cyl_ctl_handler_fn fn, void *ctx);
/* Closes clients and the listener and removes the socket file. */
void cyl_ctlsock_close(struct cyl_ctlsock *cs);

/* Tell @fn (with the handler's ctx) about every refused peer. */
void cyl_ctlsock_on_deny(struct cyl_ctlsock *cs, cyl_ctl_deny_fn fn);

/*
 * Only from inside a handler: after the reply to the request being
 * handled, pass its connection to @fn instead of closing it.  This is
 * how a reply becomes a stream (events --follow).
 */
void cyl_ctlsock_hand_over(struct cyl_ctlsock *cs, cyl_ctl_handover_fn fn,
			   void *ctx);

#endif /* CYL_CTLSOCK_H */
