/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Generic-netlink interface between cylcomed.ko and the agent.
 *
 * This header is the only definition of the family: the module builds its
 * policy tables from it and the agent (libnl-genl) builds its requests
 * from it.  Append new commands and attributes; never renumber.
 */
#ifndef _UAPI_CYLCOMED_GENL_H
#define _UAPI_CYLCOMED_GENL_H

#define CYL_GENL_NAME		"cylcomed"
#define CYL_GENL_VERSION	1
#define CYL_GENL_MCGRP_EVENTS	"events"	/* CYL_CMD_EVENT notifications */

enum cyl_genl_cmd {
	CYL_CMD_UNSPEC,
	CYL_CMD_GET_STATUS,	/* reply: CYL_A_VERSION, CYL_A_ATTACHED */
	CYL_CMD_EVENT,		/* multicast on "events": CYL_A_EVENT_* */
	CYL_CMD_PING,		/* CYL_A_COOKIE: answered by a CYL_KEV_PONG event */
	__CYL_CMD_MAX,
};

#define CYL_CMD_MAX (__CYL_CMD_MAX - 1)

enum cyl_genl_attr {
	CYL_A_UNSPEC,
	CYL_A_VERSION,		/* NUL-terminated string: module version */
	CYL_A_ATTACHED,		/* u32: number of guarded ttys */
	CYL_A_EVENT_TYPE,	/* u32: enum cyl_kevent_type */
	CYL_A_EVENT_SEQ,	/* u64: module-wide, +1 per event: gaps show loss */
	CYL_A_COOKIE,		/* u64: chosen by the sender of CYL_CMD_PING */
	CYL_A_PAD,
	__CYL_A_MAX,
};

#define CYL_A_MAX (__CYL_A_MAX - 1)

/* Events the module multicasts (CYL_A_EVENT_TYPE). */
enum cyl_kevent_type {
	CYL_KEV_NONE,
	CYL_KEV_PONG,		/* answer to CYL_CMD_PING, with its cookie */
	__CYL_KEV_MAX,
};

#endif /* _UAPI_CYLCOMED_GENL_H */
