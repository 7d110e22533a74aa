/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CYL_GENL_H
#define _CYL_GENL_H

#include <linux/sched.h>
#include <linux/types.h>

#include <cylcomed/genl.h>

#define CYL_MODULE_VERSION "0.1.0"

/* One event for the "events" multicast group (CYL_CMD_EVENT). */
struct cyl_kevent {
	u32 type;		/* enum cyl_kevent_type */
	u32 device_id;
	u64 dev_seq;
	const char *tty;
	u32 dev;
	u32 reason;
	const u8 *bytes;
	u32 nbytes;
	u32 len;
	u64 count;
	bool has_writer;
	u32 pid, uid;
	char comm[TASK_COMM_LEN];
};

int cyl_genl_init(void);
void cyl_genl_exit(void);

/* 0, or -errno if the event could not be built or delivered. */
int cyl_genl_send_event(const struct cyl_kevent *ev, gfp_t gfp);

/* Is anyone subscribed to the "records" group? */
bool cyl_genl_records_wanted(void);

/*
 * Records go out several to a message: add each with cyl_genl_batch_add()
 * (@hdr is CYL_REC_HDR_LEN bytes, @sealed the ciphertext and tag or NULL,
 * @plain NULL unless the policy inspects), then cyl_genl_batch_send().
 * Process context.  Both return 0 or -errno; a failed send loses the
 * records it carried, whose number *@lost gets.
 */
struct cyl_rec_batch {
	struct sk_buff *msg;
	void *hdr;
	u32 n;
};

int cyl_genl_batch_add(struct cyl_rec_batch *b, u32 device_id,
		       const void *hdr, const void *sealed, u32 sealed_len,
		       const void *plain, u32 plain_len, u32 *lost);
int cyl_genl_batch_send(struct cyl_rec_batch *b, u32 *lost);

#endif /* _CYL_GENL_H */
