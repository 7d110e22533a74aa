/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Status of cylcomed.ko over its generic-netlink family.
 */
#ifndef CYL_KMOD_H
#define CYL_KMOD_H

#include <stdbool.h>
#include <stdint.h>

struct cyl_kmod_status {
	bool loaded;		/* the "cylcomed" family exists */
	char version[32];
	uint32_t attached;	/* ttys the module guards */
};

/*
 * Query the module.  A missing family means "not loaded": that is a
 * state, not an error, and returns 0 with @st->loaded false.
 */
int cyl_kmod_status(struct cyl_kmod_status *st);

#endif /* CYL_KMOD_H */
