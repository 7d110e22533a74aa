// SPDX-License-Identifier: GPL-2.0
/*
 * lsm_guard loader, in libbpf-bootstrap's order: open, pin paths, load,
 * attach, ring buffer.  Maps are pinned so enforcement state outlives
 * the agent; a restarted agent picks the same maps up again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/magic.h>

#include <cylcomed/bpf.h>
#include "lsm_guard.skel.h"

#include "bpf/lsm_guard_loader.h"
#include "core/log.h"

struct cyl_lsm_guard {
	struct lsm_guard *skel;
	struct ring_buffer *rb;
	cyl_event_fn fn;
	void *ctx;
};

static int on_sample(void *ctx, void *data, size_t size)
{
	struct cyl_lsm_guard *g = ctx;

	return g->fn(g->ctx, data, size);
}

/* /sys/fs/bpf must be a bpffs, or pins would land in sysfs and fail. */
static int make_pin_dir(void)
{
	struct statfs sfs;
	const char *root = "/sys/fs/bpf";

	if (statfs(root, &sfs) || sfs.f_type != BPF_FS_MAGIC) {
		log_err_f("%s is not a bpf filesystem (mount -t bpf bpf %s)",
			  root, root);
		return -ENOTDIR;
	}
	if (mkdir(CYL_PIN_DIR, 0700) && errno != EEXIST) {
		log_err_f("mkdir %s: %s", CYL_PIN_DIR, strerror(errno));
		return -errno;
	}
	return 0;
}

static int set_pin_path(struct bpf_map *map)
{
	char path[256];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", CYL_PIN_DIR, bpf_map__name(map));
	ret = bpf_map__set_pin_path(map, path);
	if (ret)
		log_err_f("set pin path %s: %s", path, strerror(-ret));
	return ret;
}

int cyl_lsm_guard_open(struct cyl_lsm_guard **out, cyl_event_fn fn, void *ctx)
{
	struct cyl_lsm_guard *g;
	int ret;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->fn = fn;
	g->ctx = ctx;

	if ((ret = make_pin_dir()) != 0)
		goto err;

	g->skel = lsm_guard__open();
	if (!g->skel) {
		ret = -errno;
		log_err_f("open lsm_guard skeleton: %s", strerror(errno));
		goto err;
	}

	/* Before load, so libbpf reuses existing pins instead of new maps. */
	if ((ret = set_pin_path(g->skel->maps.events)) != 0 ||
	    (ret = set_pin_path(g->skel->maps.guarded_devs)) != 0 ||
	    (ret = set_pin_path(g->skel->maps.counters)) != 0)
		goto err;

	ret = lsm_guard__load(g->skel);
	if (ret) {
		log_err_f("load lsm_guard (BPF LSM enabled? lsm=...,bpf; stale pins in %s?): %s",
			  CYL_PIN_DIR, strerror(-ret));
		goto err;
	}

	ret = lsm_guard__attach(g->skel);
	if (ret) {
		log_err_f("attach lsm_guard: %s", strerror(-ret));
		goto err;
	}

	g->rb = ring_buffer__new(bpf_map__fd(g->skel->maps.events), on_sample,
				 g, NULL);
	if (!g->rb) {
		ret = -errno;
		log_err_f("ring buffer on events: %s", strerror(errno));
		goto err;
	}

	*out = g;
	return 0;
err:
	cyl_lsm_guard_close(g);
	return ret;
}

/* Maps stay pinned; only our links and fds go away. */
void cyl_lsm_guard_close(struct cyl_lsm_guard *g)
{
	if (!g)
		return;
	ring_buffer__free(g->rb);
	lsm_guard__destroy(g->skel);
	free(g);
}

static bool in_set(uint32_t dev, const uint32_t *devs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (devs[i] == dev)
			return true;
	}
	return false;
}

int cyl_lsm_guard_set_devs(struct cyl_lsm_guard *g, const uint32_t *devs,
			   const uint32_t *ids, size_t n)
{
	int fd = bpf_map__fd(g->skel->maps.guarded_devs);
	uint32_t key, next;
	void *prev = NULL;
	size_t i;
	int ret;

	/* Add first, then remove stale ones: no window without a guard. */
	for (i = 0; i < n; i++) {
		struct cyl_guarded_dev val = { .device_id = ids[i] };

		if (bpf_map_update_elem(fd, &devs[i], &val, BPF_ANY)) {
			ret = -errno;
			log_err_f("update guarded_devs[%u:%u]: %s",
				  CYL_DEV_MAJOR(devs[i]), CYL_DEV_MINOR(devs[i]),
				  strerror(errno));
			return ret;
		}
	}
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		if (!in_set(next, devs, n)) {
			/* Deleting the current key restarts the walk. */
			bpf_map_delete_elem(fd, &next);
			prev = NULL;
			continue;
		}
		key = next;
		prev = &key;
	}
	return 0;
}

int cyl_lsm_guard_epoll_fd(struct cyl_lsm_guard *g)
{
	return ring_buffer__epoll_fd(g->rb);
}

int cyl_lsm_guard_consume(struct cyl_lsm_guard *g)
{
	int ret = ring_buffer__consume(g->rb);

	if (ret < 0)
		log_err_f("ring_buffer__consume: %s", strerror(-ret));
	return ret;
}

int cyl_lsm_guard_counter(struct cyl_lsm_guard *g, uint32_t idx,
			  uint64_t *value)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t *vals;
	int i, ret;

	*value = 0;
	if (ncpus <= 0)
		return ncpus ? ncpus : -EINVAL;
	vals = calloc(ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	ret = bpf_map__lookup_elem(g->skel->maps.counters, &idx, sizeof(idx),
				   vals, ncpus * sizeof(*vals), 0);
	if (ret) {
		log_err_f("lookup counters[%u]: %s", idx, strerror(-ret));
		goto out;
	}
	for (i = 0; i < ncpus; i++)
		*value += vals[i];
out:
	free(vals);
	return ret;
}

int cyl_lsm_guard_device_id(struct cyl_lsm_guard *g, uint32_t dev, uint32_t *id)
{
	struct cyl_guarded_dev val;
	int ret;

	ret = bpf_map__lookup_elem(g->skel->maps.guarded_devs, &dev, sizeof(dev),
				   &val, sizeof(val), 0);
	if (ret)
		return ret;
	*id = val.device_id;
	return 0;
}
