/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Layouts shared by the BPF programs and the agent: event records in the
 * shared ring buffer, map keys and values, and pin paths.
 *
 * BPF programs include this after vmlinux.h, which already defines the
 * __u32 family of types; everyone else gets them from <linux/types.h>.
 */
#ifndef _UAPI_CYLCOMED_BPF_H
#define _UAPI_CYLCOMED_BPF_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define CYL_PIN_DIR		"/sys/fs/bpf/cylcomed"
#define CYL_EVENTS_RB_SIZE	(256 * 1024)
#define CYL_MAX_GUARDED_DEVS	256
#define CYL_COMM_LEN		16

/* Device numbers as the kernel holds them in i_rdev: major << 20 | minor. */
#define CYL_MKDEV(ma, mi)	(((__u32)(ma) << 20) | ((__u32)(mi) & 0xfffff))
#define CYL_DEV_MAJOR(dev)	((__u32)(dev) >> 20)
#define CYL_DEV_MINOR(dev)	((__u32)(dev) & 0xfffff)

enum cyl_event_type {
	CYL_EV_NONE,
	CYL_EV_TTY_OPEN,	/* a guarded device node was opened */
	__CYL_EV_MAX,
};

enum cyl_verdict {
	CYL_VERDICT_ALLOW,
	CYL_VERDICT_AUDIT,
	CYL_VERDICT_DENY,
};

/* One record in the "events" ring buffer; every record starts with it. */
struct cyl_event {
	__u64 ts_ns;		/* bpf_ktime_get_boot_ns() */
	__u32 type;		/* enum cyl_event_type */
	__u32 verdict;		/* enum cyl_verdict */
	__u32 pid;		/* tgid of the subject */
	__u32 uid;
	__u32 dev;		/* CYL_MKDEV() of the object, 0 if none */
	__u32 device_id;	/* the guarded device's id from "guarded_devs" */
	char comm[CYL_COMM_LEN];
};

/*
 * "guarded_devs" is an array of maps with one slot (key 0) holding the
 * current set: a hash from CYL_MKDEV() (__u32) to the device's id in the
 * agent's policy (__u32).
 */

/* Index into the per-CPU "counters" array map. */
enum cyl_counter {
	CYL_CNT_EVENTS,		/* records submitted */
	CYL_CNT_RB_DROPS,	/* records lost because the ring buffer was full */
	__CYL_CNT_MAX,
};

#endif /* _UAPI_CYLCOMED_BPF_H */
