/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One guarded tty: the state the line discipline keeps beside N_TTY's.
 *
 * N_TTY owns tty->disc_data, so a guard is found by its tty in a small
 * RCU hash (cyl_guard_find()).  A guard is born when a tty switches to
 * cylcomed's discipline (pending: plain N_TTY behaviour) and armed by
 * CYL_CMD_ATTACH.  It dies in the discipline's close(), which the tty core
 * calls only once no other discipline operation runs on that tty, so the
 * receive and write hooks never see a guard go away under them.
 */
#ifndef _CYL_GUARD_H
#define _CYL_GUARD_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/tty.h>
#include <linux/workqueue.h>

#include <cylcomed/genl.h>
#include <cylcomed/record.h>
#include <cylcomed/serial.h>

#include "framer.h"

struct crypto_aead;
struct netlink_ext_ack;

#define CYL_POLICY_NAME_LEN	33	/* device names: 32 bytes and a NUL */

/* Settings as pushed by the agent; replaced whole, never edited. */
struct cyl_guard_cfg {
	struct cyl_serial_cfg serial;
	u32 n_allow;
	struct cyl_write_allow allow[CYL_ALLOW_MAX];
};

struct cyl_guard {
	struct hlist_node node;		/* cyl_guards, keyed by tty */
	struct list_head all;		/* cyl_guard_list, under cyl_guards_lock */
	struct tty_struct *tty;
	struct rcu_head rcu;

	/* Set by attach, cleared by detach; under cyl_guards_lock. */
	bool armed;
	bool hung_up;			/* the tty's hangup hook ran */
	u32 detach_reason;		/* enum cyl_detach_reason */
	struct file *file;		/* our reference to the tty's open file */
	u32 device_id;
	char name[CYL_POLICY_NAME_LEN];
	char tty_name[64];
	u32 dev;			/* CYL_MKDEV() of the tty */

	/* Receive side: N_TTY's receive hooks run one at a time per tty. */
	struct mutex rx_lock;
	struct cyl_guard_cfg *cfg;	/* under rx_lock and tx_lock */
	struct cyl_framer framer;
	u8 *frame_buf;			/* the framer's buffer, cfg max_len */
	u8 *out;			/* drop mode: good frame for N_TTY */
	u32 out_len, out_off;
	bool rx_synced;			/* a whole unit seen since attach/flush */
	struct ratelimit_state event_rs;

	/* Write side. */
	struct mutex tx_lock;
	struct cyl_write_state wstate;
	u64 cfg_gen;			/* bumped by every config change */
	u64 rate_tat;			/* rate limit: theoretical arrival time */

	/*
	 * Records: queued by the hooks, sealed and sent by rec_work, which
	 * runs a jiffy after the first record (so one run takes many) or
	 * at once when the queue is a quarter full.
	 */
	spinlock_t rec_lock;
	struct list_head recs;
	u32 n_recs;
	size_t rec_bytes;
	u64 rec_seq;
	u64 rec_queued;			/* records queued (stats.records) */
	u64 rec_dropped_unreported;
	struct delayed_work rec_work;
	struct delayed_work gap_work;	/* raw gap framing: end a quiet frame */

	/* Record key (CYL_CMD_SET_KEY); key_lock also serialises sealing. */
	struct mutex key_lock;
	struct crypto_aead *aead;
	u32 key_serial;
	u8 nonce_epoch[8];
	u32 nonce_ctr;

	spinlock_t stats_lock;		/* stats, from any context */
	struct cyl_serial_stats stats;
	atomic64_t dev_seq;		/* per-device event sequence */
};

/* Guards the guard list and every guard's armed state and file. */
extern struct mutex cyl_guards_lock;
extern struct workqueue_struct *cyl_wq;

int cyl_guard_init(void);
void cyl_guard_exit(void);

struct cyl_guard *cyl_guard_find(struct tty_struct *tty);
struct cyl_guard *cyl_guard_by_id(u32 device_id);	/* cyl_guards_lock */
struct cyl_guard *cyl_guard_create(struct tty_struct *tty);
void cyl_guard_destroy(struct cyl_guard *g);
unsigned int cyl_guard_count_armed(void);

/* Iterate armed and pending guards, under cyl_guards_lock. */
extern struct list_head cyl_guard_list;

int cyl_guard_attach(int fd, u32 device_id, const char *name,
		     struct cyl_guard_cfg *cfg, struct netlink_ext_ack *extack);
int cyl_guard_detach(u32 device_id, struct netlink_ext_ack *extack);
int cyl_guard_set_config(u32 device_id, struct cyl_guard_cfg *cfg,
			 struct netlink_ext_ack *extack);

/* Events about this guard's device (rx/tx paths use GFP_NOWAIT). */
void cyl_guard_event(struct cyl_guard *g, u32 type, u32 reason,
		     const u8 *bytes, u32 nbytes, u32 len, u64 count,
		     bool with_writer, gfp_t gfp);

/* Add @n to one of @g's counters, @counter pointing into g->stats. */
static inline void cyl_stat_add(struct cyl_guard *g, u64 *counter, u64 n)
{
	spin_lock(&g->stats_lock);
	*counter += n;
	spin_unlock(&g->stats_lock);
}

#endif /* _CYL_GUARD_H */
