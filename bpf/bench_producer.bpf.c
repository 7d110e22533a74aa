// SPDX-License-Identifier: GPL-2.0
/*
 * bench_producer: writes records into the agent's shared ring buffer at
 * the pace tests/bench/ringbuf sets, to measure how fast a consumer
 * drains it.  One run of the syscall program (bpf_prog_test_run_opts)
 * emits args->count records; a failed reserve (ring buffer full) is a
 * drop, counted in .bss.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include <cylcomed/bpf.h>
#include "bench_producer.h"

char LICENSE[] SEC("license") = "GPL";

/* Same definition as lsm_guard's, so libbpf reuses the agent's pin. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CYL_EVENTS_RB_SIZE);
} events SEC(".maps");

__u64 produced;
__u64 dropped;

static long emit(__u32 i, void *data)
{
	struct cyl_event *e;

	/* Reserve a record; a full ring buffer is a drop. */
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&dropped, 1);
		return 0;
	}
	e->ts_ns = bpf_ktime_get_boot_ns();
	e->type = CYL_EV_TTY_OPEN;
	e->verdict = CYL_VERDICT_AUDIT;
	e->pid = 0;
	e->uid = 0;
	e->dev = CYL_BENCH_DEV;
	e->device_id = CYL_BENCH_DEVICE_ID;
	__builtin_memcpy(e->comm, "bench\0\0\0\0\0\0\0\0\0\0\0", CYL_COMM_LEN);
	/* Hand the record to the consumer (adaptive wakeup, as lsm_guard). */
	bpf_ringbuf_submit(e, 0);
	__sync_fetch_and_add(&produced, 1);
	return 0;
}

SEC("syscall")
int cyl_bench_produce(struct cyl_bench_args *args)
{
	bpf_loop(args->count, emit, NULL, 0);
	return 0;
}
