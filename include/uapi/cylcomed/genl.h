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

enum cyl_genl_cmd {
	CYL_CMD_UNSPEC,
	CYL_CMD_GET_STATUS,	/* reply: CYL_A_VERSION, CYL_A_ATTACHED */
	__CYL_CMD_MAX,
};

#define CYL_CMD_MAX (__CYL_CMD_MAX - 1)

enum cyl_genl_attr {
	CYL_A_UNSPEC,
	CYL_A_VERSION,		/* NUL-terminated string: module version */
	CYL_A_ATTACHED,		/* u32: number of guarded ttys */
	__CYL_A_MAX,
};

#define CYL_A_MAX (__CYL_A_MAX - 1)

#endif /* _UAPI_CYLCOMED_GENL_H */
