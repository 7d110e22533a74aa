// SPDX-License-Identifier: GPL-2.0
/*
 * lsm_guard: BPF LSM programs that watch the gateway itself.
 *
 * This first slice audits every open of a guarded device node: the agent
 * fills "guarded_devs" with the device numbers of the medical devices' ttys
 * and each open of one becomes an event in the shared ring buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include <cylcomed/bpf.h>

char LICENSE[] SEC("license") = "GPL";

/* The shared event ring buffer: every cylcomed BPF program writes here. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CYL_EVENTS_RB_SIZE);
} events SEC(".maps");

/*
 * The guarded device set is one inner hash map in slot 0 of an outer
 * array: the agent builds a complete new set and swaps it in with one
 * map update, so no open ever sees half of a policy.
 */
struct guarded_set {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CYL_MAX_GUARDED_DEVS);
	__type(key, __u32);
	__type(value, __u32);	/* device id */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct guarded_set);
} guarded_devs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, __CYL_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline void count(__u32 idx)
{
	__u64 *val = bpf_map_lookup_elem(&counters, &idx);

	if (val)
		*val += 1;
}

SEC("lsm/file_open")
int BPF_PROG(cyl_file_open, struct file *file, int ret)
{
	__u32 *device_id;
	struct cyl_event *e;
	__u32 dev, slot = 0;
	void *set;

	/* An earlier LSM already refused: keep its verdict. */
	if (ret)
		return ret;

	dev = BPF_CORE_READ(file, f_inode, i_rdev);
	if (!dev)
		return 0;
	set = bpf_map_lookup_elem(&guarded_devs, &slot);
	if (!set)
		return 0;
	device_id = bpf_map_lookup_elem(set, &dev);
	if (!device_id)
		return 0;

	/* Reserve a record; if the agent is behind, count the loss. */
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(CYL_CNT_RB_DROPS);
		return 0;
	}
	e->ts_ns = bpf_ktime_get_boot_ns();
	e->type = CYL_EV_TTY_OPEN;
	e->verdict = CYL_VERDICT_AUDIT;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->dev = dev;
	e->device_id = *device_id;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	/* Hand the record to the agent. */
	bpf_ringbuf_submit(e, 0);
	count(CYL_CNT_EVENTS);
	return 0;
}
