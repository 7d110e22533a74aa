// SPDX-License-Identifier: GPL-2.0
/*
 * Records: the tty hooks queue a copy of each frame without blocking; a
 * work item seals it with AES-256-GCM under the device's record key (a
 * "logon" key from the kernel keyring) and multicasts it to the agent.
 *
 * The queue is bounded; when it is full the oldest record goes, and the
 * drop is counted and reported.  Every record takes its per-device
 * sequence number when it is queued, so a record that never reaches the
 * agent leaves a gap there.
 *
 * Nonce: 8 random bytes drawn whenever a key is installed (an "epoch"),
 * then a 32-bit big-endian counter from 0; a new epoch is drawn before the
 * counter wraps.  See include/uapi/cylcomed/record.h.
 */
#include <crypto/aead.h>
#include <keys/user-type.h>
#include <linux/key.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>

#include "genl.h"
#include "guard.h"
#include "record.h"

struct cyl_rec {
	struct list_head node;
	u64 seq;
	u64 ts_ns;
	u32 flags;
	u32 bad_reason;
	u32 len;
	u16 framing;
	bool inspect;
	/* header, payload, tag: sealed in place */
	u8 buf[] __aligned(8);
};

static size_t cyl_rec_size(u32 len)
{
	return sizeof(struct cyl_rec) + CYL_REC_HDR_LEN + len + CYL_REC_TAG_LEN;
}

int cyl_record_queue(struct cyl_guard *g, u32 flags, u32 bad_reason,
		     const u8 *data, u32 len, u64 real_ns)
{
	struct cyl_rec *r, *old;
	bool urgent;

	r = kmalloc(cyl_rec_size(len), GFP_NOWAIT | __GFP_NOWARN);
	if (r) {
		r->ts_ns = real_ns;
		r->flags = flags;
		r->bad_reason = bad_reason;
		r->len = len;
		r->framing = g->cfg->serial.framing;
		r->inspect = g->cfg->serial.inspect;
		memcpy(r->buf + CYL_REC_HDR_LEN, data, len);
	}

	spin_lock(&g->rec_lock);
	g->rec_seq++;			/* taken even when lost: a visible gap */
	if (!r) {
		g->rec_dropped_unreported++;
		spin_unlock(&g->rec_lock);
		cyl_stat_add(g, &g->stats.records_dropped, 1);
		return CYL_REC_LOST;
	}
	r->seq = g->rec_seq;
	list_add_tail(&r->node, &g->recs);
	g->rec_queued++;
	urgent = ++g->n_recs >= CYL_REC_QUEUE_MAX / 4;
	g->rec_bytes += len;
	while (g->n_recs > CYL_REC_QUEUE_MAX ||
	       g->rec_bytes > CYL_REC_QUEUE_BYTES) {
		old = list_first_entry(&g->recs, struct cyl_rec, node);
		list_del(&old->node);
		g->n_recs--;
		g->rec_bytes -= old->len;
		g->rec_dropped_unreported++;
		kfree(old);
		spin_lock(&g->stats_lock);
		g->stats.records_dropped++;
		spin_unlock(&g->stats_lock);
	}
	spin_unlock(&g->rec_lock);
	return urgent ? CYL_REC_URGENT : CYL_REC_QUEUED;
}

/* One wake-up per batch, not per frame: waking a worker costs more. */
void cyl_record_kick(struct cyl_guard *g, bool urgent)
{
	if (urgent)
		mod_delayed_work(cyl_wq, &g->rec_work, 0);
	else
		queue_delayed_work(cyl_wq, &g->rec_work, 1);
}

void cyl_record_purge(struct cyl_guard *g)
{
	struct cyl_rec *r, *tmp;

	spin_lock(&g->rec_lock);
	list_for_each_entry_safe(r, tmp, &g->recs, node) {
		list_del(&r->node);
		kfree(r);
	}
	g->n_recs = 0;
	g->rec_bytes = 0;
	spin_unlock(&g->rec_lock);
}

static void cyl_rec_header(struct cyl_guard *g, struct cyl_rec *r,
			   bool sealed)
{
	struct cyl_record_hdr *h = (struct cyl_record_hdr *)r->buf;

	BUILD_BUG_ON(sizeof(*h) != CYL_REC_HDR_LEN);
	memset(h, 0, sizeof(*h));
	h->magic = cpu_to_le32(CYL_REC_MAGIC);
	h->version = cpu_to_le16(CYL_REC_VERSION);
	h->hdr_len = cpu_to_le16(CYL_REC_HDR_LEN);
	h->device_id = cpu_to_le32(g->device_id);
	h->flags = cpu_to_le32(r->flags | (sealed ? CYL_REC_F_SEALED : 0));
	h->seq = cpu_to_le64(r->seq);
	h->ts_ns = cpu_to_le64(r->ts_ns);
	h->len = cpu_to_le32(r->len);
	h->bad_reason = cpu_to_le16(r->bad_reason);
	h->framing = cpu_to_le16(r->framing);
	if (sealed) {
		__be32 ctr = cpu_to_be32(g->nonce_ctr);

		memcpy(h->nonce, g->nonce_epoch, sizeof(g->nonce_epoch));
		memcpy(h->nonce + sizeof(g->nonce_epoch), &ctr, sizeof(ctr));
		h->key_serial = cpu_to_le32(g->key_serial);
		if (++g->nonce_ctr == 0)
			get_random_bytes(g->nonce_epoch,
					 sizeof(g->nonce_epoch));
	}
}

/* Seal @r in place under the guard's key; key_lock held. */
static int cyl_rec_seal(struct cyl_guard *g, struct cyl_rec *r)
{
	struct cyl_record_hdr *h = (struct cyl_record_hdr *)r->buf;
	struct aead_request *req;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	int ret;

	req = aead_request_alloc(g->aead, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	sg_init_one(&sg, r->buf, CYL_REC_HDR_LEN + r->len + CYL_REC_TAG_LEN);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP |
				  CRYPTO_TFM_REQ_MAY_BACKLOG,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, CYL_REC_HDR_LEN);
	aead_request_set_crypt(req, &sg, &sg, r->len, h->nonce);
	ret = crypto_wait_req(crypto_aead_encrypt(req), &wait);
	aead_request_free(req);
	return ret;
}

/* Seal @r if there is a key, and add it to @b. */
static void cyl_rec_send(struct cyl_guard *g, struct cyl_rec *r,
			 struct cyl_rec_batch *b)
{
	bool inspect = r->inspect;
	u8 *payload = r->buf + CYL_REC_HDR_LEN;
	u8 *plain = NULL;
	u32 lost = 0;
	bool sealed;
	int ret = 0;

	mutex_lock(&g->key_lock);
	sealed = g->aead;
	cyl_rec_header(g, r, sealed);
	if (sealed && inspect) {
		plain = kmemdup(payload, r->len, GFP_KERNEL);
		if (!plain)
			ret = -ENOMEM;
	}
	if (sealed && !ret)
		ret = cyl_rec_seal(g, r);
	mutex_unlock(&g->key_lock);

	if (!ret)
		ret = cyl_genl_batch_add(b, g->device_id, r->buf,
					 sealed ? payload : NULL,
					 r->len + CYL_REC_TAG_LEN,
					 sealed ? plain :
					 (inspect ? payload : NULL),
					 r->len, &lost);
	kfree_sensitive(plain);
	if (ret)
		lost++;
	else if (!sealed)
		cyl_stat_add(g, &g->stats.records_unsealed, 1);
	if (lost)
		cyl_stat_add(g, &g->stats.records_dropped, lost);
}

void cyl_record_work(struct work_struct *work)
{
	struct cyl_guard *g = container_of(to_delayed_work(work),
					   struct cyl_guard, rec_work);
	struct cyl_rec_batch b = { };
	u32 lost;

	/* Without a subscriber, keep them: the agent may be restarting. */
	while (cyl_genl_records_wanted()) {
		u64 dropped;
		struct cyl_rec *r;

		spin_lock(&g->rec_lock);
		r = list_first_entry_or_null(&g->recs, struct cyl_rec, node);
		if (r) {
			list_del(&r->node);
			g->n_recs--;
			g->rec_bytes -= r->len;
		}
		dropped = g->rec_dropped_unreported;
		g->rec_dropped_unreported = 0;
		spin_unlock(&g->rec_lock);

		if (dropped)
			cyl_guard_event(g, CYL_KEV_RECORDS_DROPPED, 0, NULL, 0,
					0, dropped, false, GFP_KERNEL);
		if (!r)
			break;
		cyl_rec_send(g, r, &b);
		kfree_sensitive(r);
		cond_resched();
	}
	cyl_genl_batch_send(&b, &lost);
	if (lost)
		cyl_stat_add(g, &g->stats.records_dropped, lost);
}

void cyl_record_kick_all(void)
{
	struct cyl_guard *g;

	mutex_lock(&cyl_guards_lock);
	list_for_each_entry(g, &cyl_guard_list, all)
		if (g->armed)
			mod_delayed_work(cyl_wq, &g->rec_work, 0);
	mutex_unlock(&cyl_guards_lock);
}

/*
 * A cipher keyed from the "logon" key @desc, found in the caller's
 * keyrings; the key material is copied into the cipher only.
 */
struct crypto_aead *cyl_record_key_prepare(const char *desc, u32 *serial,
					   struct netlink_ext_ack *extack)
{
	const struct user_key_payload *payload;
	struct crypto_aead *aead;
	struct key *key;
	int ret;

	key = request_key(&key_type_logon, desc, NULL);
	if (IS_ERR(key)) {
		NL_SET_ERR_MSG(extack, "no such logon key in the caller's keyrings");
		return ERR_CAST(key);
	}
	aead = crypto_alloc_aead("gcm(aes)", 0, 0);
	if (IS_ERR(aead)) {
		NL_SET_ERR_MSG(extack, "gcm(aes) is not available");
		goto out_put;
	}
	down_read(&key->sem);
	payload = user_key_payload_locked(key);
	ret = -EKEYREVOKED;
	if (payload) {
		ret = -EINVAL;
		if (payload->datalen == CYL_REC_KEY_LEN)
			ret = crypto_aead_setkey(aead, payload->data,
						 CYL_REC_KEY_LEN);
	}
	up_read(&key->sem);
	if (!ret)
		ret = crypto_aead_setauthsize(aead, CYL_REC_TAG_LEN);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the key must be 32 bytes (AES-256)");
		crypto_free_aead(aead);
		aead = ERR_PTR(ret);
		goto out_put;
	}
	*serial = key->serial;
out_put:
	key_put(key);
	return aead;
}

/* Install @aead (or none) as @g's record key with a fresh nonce epoch. */
void cyl_record_key_install(struct cyl_guard *g, struct crypto_aead *aead,
			    u32 serial)
{
	struct crypto_aead *old;

	mutex_lock(&g->key_lock);
	old = g->aead;
	g->aead = aead;
	WRITE_ONCE(g->key_serial, aead ? serial : 0);
	get_random_bytes(g->nonce_epoch, sizeof(g->nonce_epoch));
	g->nonce_ctr = 0;
	mutex_unlock(&g->key_lock);
	if (old)
		crypto_free_aead(old);
}
