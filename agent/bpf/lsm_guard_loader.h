/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loader for bpf/lsm_guard.bpf.c: pinned maps, attach, event ring buffer.
 */
#ifndef CYL_LSM_GUARD_LOADER_H
#define CYL_LSM_GUARD_LOADER_H

#include <stddef.h>
#include <stdint.h>

struct cyl_lsm_guard;

/* Called for every ring-buffer record; @data is at least @size bytes. */
typedef int (*cyl_event_fn)(void *ctx, void *data, size_t size);

/*
 * Open and load the skeleton with its maps pinned under CYL_PIN_DIR
 * (reused if already pinned), attach it and set up the ring buffer.
 */
int cyl_lsm_guard_open(struct cyl_lsm_guard **out, cyl_event_fn fn, void *ctx);
void cyl_lsm_guard_close(struct cyl_lsm_guard *g);

/*
 * Make "guarded_devs" hold exactly @n devices: @devs[i] (CYL_MKDEV())
 * maps to device index @ids[i]; entries left from an earlier policy go.
 */
int cyl_lsm_guard_set_devs(struct cyl_lsm_guard *g, const uint32_t *devs,
			   const uint32_t *ids, size_t n);

/* Ring buffer: fd for epoll, and drain everything available. */
int cyl_lsm_guard_epoll_fd(struct cyl_lsm_guard *g);
int cyl_lsm_guard_consume(struct cyl_lsm_guard *g);

/* Sum over CPUs of counters[@idx] (enum cyl_counter). */
int cyl_lsm_guard_counter(struct cyl_lsm_guard *g, uint32_t idx,
			  uint64_t *value);

/* Policy index of guarded device @dev (CYL_MKDEV()); -ENOENT if none. */
int cyl_lsm_guard_device_id(struct cyl_lsm_guard *g, uint32_t dev, uint32_t *id);

#endif /* CYL_LSM_GUARD_LOADER_H */
