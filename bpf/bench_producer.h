/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The context that tests/bench/ringbuf passes to bench_producer's
 * syscall program with bpf_prog_test_run_opts().
 */
#ifndef CYL_BENCH_PRODUCER_H
#define CYL_BENCH_PRODUCER_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Fixed fields of every bench record, so a consumer can recognise them. */
#define CYL_BENCH_DEV		CYL_MKDEV(240, 0)
#define CYL_BENCH_DEVICE_ID	0xbe9c

struct cyl_bench_args {
	__u32 count;		/* records to reserve and submit in this run */
};

#endif /* CYL_BENCH_PRODUCER_H */
