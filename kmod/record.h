/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records: one per frame (and per allowed write), queued by the tty hooks
 * without blocking, sealed and sent to the agent by a work item.
 */
#ifndef _CYL_RECORD_H
#define _CYL_RECORD_H

#include <linux/types.h>
#include <linux/workqueue.h>

struct crypto_aead;
struct netlink_ext_ack;

struct cyl_guard;

/* Records a guard keeps for the agent before dropping the oldest. */
#define CYL_REC_QUEUE_MAX	1024
#define CYL_REC_QUEUE_BYTES	(4 << 20)

/* What cyl_record_queue() did, in order of urgency for the work item. */
enum {
	CYL_REC_LOST,		/* no memory: counted as dropped */
	CYL_REC_QUEUED,		/* the work item may come a jiffy later */
	CYL_REC_URGENT,		/* the queue is a quarter full: now */
};

/*
 * Queue a copy of @data stamped @real_ns (CLOCK_REALTIME).  Any context
 * that may not sleep is fine; the caller holds the guard's rx_lock or
 * tx_lock, so its settings stay put, and calls cyl_record_kick() once
 * after queueing a run of records.
 */
int cyl_record_queue(struct cyl_guard *g, u32 flags, u32 bad_reason,
		     const u8 *data, u32 len, u64 real_ns);
void cyl_record_kick(struct cyl_guard *g, bool urgent);
void cyl_record_work(struct work_struct *work);
void cyl_record_purge(struct cyl_guard *g);

/* Queue the record work of every guard (a new "records" subscriber). */
void cyl_record_kick_all(void);

/* The record key (CYL_CMD_SET_KEY): prepare without locks, then install. */
struct crypto_aead *cyl_record_key_prepare(const char *desc, u32 *serial,
					   struct netlink_ext_ack *extack);
void cyl_record_key_install(struct cyl_guard *g, struct crypto_aead *aead,
			    u32 serial);

static inline void cyl_record_clear_key(struct cyl_guard *g)
{
	cyl_record_key_install(g, NULL, 0);
}

#endif /* _CYL_RECORD_H */
