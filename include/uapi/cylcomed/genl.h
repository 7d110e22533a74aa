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
#define CYL_GENL_MCGRP_RECORDS	"records"	/* CYL_CMD_RECORD, one per frame */

enum cyl_genl_cmd {
	CYL_CMD_UNSPEC,
	CYL_CMD_GET_STATUS,	/* reply: CYL_A_VERSION, CYL_A_ATTACHED, CYL_A_LDISC */
	CYL_CMD_EVENT,		/* multicast on "events": CYL_A_EVENT_* */
	/*
	 * CYL_A_COOKIE: answered by a CYL_KEV_PONG event; also has the guards
	 * send the records they kept while nobody subscribed to "records".
	 */
	CYL_CMD_PING,
	/*
	 * Guard the tty open as CYL_A_FD in the caller, whose line discipline
	 * the caller has set to cylcomed's (TIOCSETD): CYL_A_DEVICE_ID,
	 * CYL_A_DEVICE_NAME, CYL_A_SERIAL_CFG, optional CYL_A_WRITE_ALLOW.
	 * The module keeps its own reference to that open file.
	 */
	CYL_CMD_ATTACH,
	/* CYL_A_DEVICE_ID: drop the reference, give the tty back to N_TTY */
	CYL_CMD_DETACH,
	/* CYL_A_DEVICE_ID, CYL_A_SERIAL_CFG, optional CYL_A_WRITE_ALLOW */
	CYL_CMD_SET_CONFIG,
	/*
	 * CYL_A_DEVICE_ID, CYL_A_KEY_DESC: the "logon" key the caller can
	 * find by that description becomes the record key (a fresh nonce
	 * epoch); without CYL_A_KEY_DESC, records go unsealed again.
	 */
	CYL_CMD_SET_KEY,
	/*
	 * Dump: one reply per guarded tty with CYL_A_DEVICE_ID,
	 * CYL_A_DEVICE_NAME, CYL_A_TTY, CYL_A_DEV, CYL_A_STATS, CYL_A_KEY_SERIAL.
	 */
	CYL_CMD_GET_STATS,
	/*
	 * Multicast on "records": one or more CYL_A_RECORD, each nesting
	 * CYL_A_DEVICE_ID, CYL_A_REC_HDR, and CYL_A_REC_SEALED (ciphertext
	 * and tag) and/or CYL_A_REC_PLAIN; in sequence order per device.
	 */
	CYL_CMD_RECORD,
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
	CYL_A_FD,		/* u32: a file descriptor of the sender */
	CYL_A_DEVICE_ID,	/* u32: the agent's id for the device, not 0 */
	CYL_A_DEVICE_NAME,	/* NUL-terminated string, at most 32 bytes */
	CYL_A_SERIAL_CFG,	/* struct cyl_serial_cfg (cylcomed/serial.h) */
	CYL_A_WRITE_ALLOW,	/* array of struct cyl_write_allow */
	CYL_A_KEY_DESC,		/* NUL-terminated string: logon key description */
	CYL_A_STATS,		/* struct cyl_serial_stats */
	CYL_A_TTY,		/* NUL-terminated string: tty name, "ttyUSB0" */
	CYL_A_DEV,		/* u32: CYL_MKDEV() of the tty */
	CYL_A_DEV_SEQ,		/* u64: per device, +1 per event of that device */
	/* u32: enum cyl_bad_reason, cyl_refuse_reason or cyl_detach_reason */
	CYL_A_REASON,
	CYL_A_PID,		/* u32: tgid of the writer */
	CYL_A_UID,		/* u32 */
	CYL_A_COMM,		/* NUL-terminated string, the writer's comm */
	CYL_A_BYTES,		/* binary: the first bytes of a frame or write */
	CYL_A_LEN,		/* u32: full length of that frame or write */
	CYL_A_COUNT,		/* u64: how many (drops) */
	CYL_A_REC_HDR,		/* struct cyl_record_hdr (cylcomed/record.h) */
	CYL_A_REC_SEALED,	/* binary: AES-256-GCM ciphertext, then the tag */
	CYL_A_REC_PLAIN,	/* binary: the plaintext (policy "inspect") */
	CYL_A_KEY_SERIAL,	/* u32: the record key in use, 0 if none */
	CYL_A_LDISC,		/* u32: the line discipline number (status) */
	CYL_A_RECORD,		/* nested: one record (CYL_CMD_RECORD) */
	__CYL_A_MAX,
};

#define CYL_A_MAX (__CYL_A_MAX - 1)

/* Events the module multicasts (CYL_A_EVENT_TYPE). */
enum cyl_kevent_type {
	CYL_KEV_NONE,
	CYL_KEV_PONG,		/* answer to CYL_CMD_PING, with its cookie */
	/* The rest carry CYL_A_DEVICE_ID, CYL_A_DEV_SEQ, CYL_A_TTY. */
	CYL_KEV_ATTACHED,	/* + CYL_A_DEV */
	CYL_KEV_DETACHED,	/* + CYL_A_REASON (enum cyl_detach_reason) */
	/*
	 * + CYL_A_REASON, CYL_A_LEN, CYL_A_BYTES, and CYL_A_COUNT = 1 if
	 * readers did not see the frame (drop mode)
	 */
	CYL_KEV_BAD_FRAME,
	/* + CYL_A_REASON, CYL_A_PID, CYL_A_UID, CYL_A_COMM, CYL_A_LEN, CYL_A_BYTES */
	CYL_KEV_WRITE_REFUSED,
	CYL_KEV_RECORDS_DROPPED,	/* + CYL_A_COUNT: oldest records dropped */
	__CYL_KEV_MAX,
};

/* Why a tty stopped being guarded (CYL_KEV_DETACHED). */
enum cyl_detach_reason {
	CYL_DETACH_AGENT,	/* CYL_CMD_DETACH */
	CYL_DETACH_HANGUP,	/* the device went away (unplug, hang-up) */
	CYL_DETACH_LDISC,	/* someone changed the line discipline */
	CYL_DETACH_UNLOAD,	/* the module is being removed */
};

/* First bytes of a frame or write carried in events (CYL_A_BYTES). */
#define CYL_EVENT_BYTES_MAX	32

#endif /* _UAPI_CYLCOMED_GENL_H */
