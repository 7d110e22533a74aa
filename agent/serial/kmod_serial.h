/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The serial guard's control requests to cylcomed.ko over libnl-genl:
 * attach, detach, settings, record key, per-device statistics.  Each call
 * waits for the module's answer; on failure it returns a negative errno
 * and puts the module's own explanation (netlink extended ACK) in @err.
 */
#ifndef CYL_KMOD_SERIAL_H
#define CYL_KMOD_SERIAL_H

#include <stddef.h>
#include <stdint.h>

#include <cylcomed/serial.h>

struct cyl_kmod_ctl;

/* 0, -ENOENT if the module is not loaded, or a negative errno. */
int cyl_kmod_ctl_open(struct cyl_kmod_ctl **out);
void cyl_kmod_ctl_close(struct cyl_kmod_ctl *c);

/* The module's line discipline number. */
int cyl_kmod_ctl_ldisc(struct cyl_kmod_ctl *c, int *ldisc);

/*
 * Guard the tty open as @fd (already on the module's discipline) as
 * device @id named @name, with @cfg and @n_allow entries of @allow.
 */
int cyl_kmod_attach(struct cyl_kmod_ctl *c, int fd, uint32_t id,
		    const char *name, const struct cyl_serial_cfg *cfg,
		    const struct cyl_write_allow *allow, size_t n_allow,
		    char *err, size_t errlen);
int cyl_kmod_detach(struct cyl_kmod_ctl *c, uint32_t id, char *err,
		    size_t errlen);
int cyl_kmod_set_config(struct cyl_kmod_ctl *c, uint32_t id,
			const struct cyl_serial_cfg *cfg,
			const struct cyl_write_allow *allow, size_t n_allow,
			char *err, size_t errlen);
/* @desc NULL: records go unsealed. */
int cyl_kmod_set_key(struct cyl_kmod_ctl *c, uint32_t id, const char *desc,
		     char *err, size_t errlen);

/* One guarded tty as CYL_CMD_GET_STATS reports it. */
struct cyl_kmod_guard {
	uint32_t id;
	char name[33];
	char tty[64];
	uint32_t dev;
	uint32_t key_serial;
	struct cyl_serial_stats stats;
};

/*
 * Every guarded tty; *@out is malloc'ed (free() it), *@n its length.
 */
int cyl_kmod_guards(struct cyl_kmod_ctl *c, struct cyl_kmod_guard **out,
		    size_t *n);

#endif /* CYL_KMOD_SERIAL_H */
