// SPDX-License-Identifier: GPL-2.0
/*
 * Guards: the life of one guarded tty, from the discipline's open() through
 * the agent's attach and detach to the discipline's close().
 */
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <net/genetlink.h>

#include <cylcomed/bpf.h>

#include "genl.h"
#include "guard.h"
#include "ldisc.h"
#include "record.h"

/* The guard list, and each guard's armed state, file and identity. */
DEFINE_MUTEX(cyl_guards_lock);
LIST_HEAD(cyl_guard_list);
static DEFINE_HASHTABLE(cyl_guards, 6);
struct workqueue_struct *cyl_wq;

/* Any context: the hooks of @tty, which keep the guard alive meanwhile. */
struct cyl_guard *cyl_guard_find(struct tty_struct *tty)
{
	struct cyl_guard *g, *found = NULL;

	rcu_read_lock();
	hash_for_each_possible_rcu(cyl_guards, g, node, (unsigned long)tty) {
		if (g->tty == tty) {
			found = g;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

struct cyl_guard *cyl_guard_by_id(u32 device_id)
{
	struct cyl_guard *g;

	lockdep_assert_held(&cyl_guards_lock);
	list_for_each_entry(g, &cyl_guard_list, all)
		if (g->armed && g->device_id == device_id)
			return g;
	return NULL;
}

unsigned int cyl_guard_count_armed(void)
{
	struct cyl_guard *g;
	unsigned int n = 0;

	mutex_lock(&cyl_guards_lock);
	list_for_each_entry(g, &cyl_guard_list, all)
		n += g->armed;
	mutex_unlock(&cyl_guards_lock);
	return n;
}

/* The discipline's open(): a pending guard, plain N_TTY until attached. */
struct cyl_guard *cyl_guard_create(struct tty_struct *tty)
{
	struct cyl_guard *g;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return ERR_PTR(-ENOMEM);
	g->tty = tty;
	mutex_init(&g->rx_lock);
	mutex_init(&g->tx_lock);
	mutex_init(&g->key_lock);
	spin_lock_init(&g->rec_lock);
	spin_lock_init(&g->stats_lock);
	INIT_LIST_HEAD(&g->recs);
	INIT_DELAYED_WORK(&g->rec_work, cyl_record_work);
	INIT_DELAYED_WORK(&g->gap_work, cyl_ldisc_gap_work);
	/* Bad-frame events: a noisy line must not flood the agent. */
	ratelimit_state_init(&g->event_rs, HZ, 100);
	ratelimit_set_flags(&g->event_rs, RATELIMIT_MSG_ON_RELEASE);
	atomic64_set(&g->dev_seq, 0);

	mutex_lock(&cyl_guards_lock);
	hash_add_rcu(cyl_guards, &g->node, (unsigned long)tty);
	list_add_tail(&g->all, &cyl_guard_list);
	mutex_unlock(&cyl_guards_lock);
	return g;
}

static void cyl_guard_free_cfg(struct cyl_guard *g)
{
	kfree(g->cfg);
	kvfree(g->frame_buf);
	kvfree(g->out);
	g->cfg = NULL;
	g->frame_buf = NULL;
	g->out = NULL;
}

/*
 * The discipline's close(): the tty core calls it once no hook runs on
 * this tty any more (hang-up, TIOCSETD, last close, our detach).
 */
void cyl_guard_destroy(struct cyl_guard *g)
{
	struct file *file;
	bool was_armed;

	mutex_lock(&cyl_guards_lock);
	hash_del_rcu(&g->node);
	list_del(&g->all);
	/* Not armed any more after our own detach, which told the agent. */
	was_armed = g->armed;
	if (was_armed) {
		g->detach_reason = READ_ONCE(g->hung_up) ? CYL_DETACH_HANGUP :
							  CYL_DETACH_LDISC;
		cyl_guard_event(g, CYL_KEV_DETACHED, g->detach_reason, NULL,
				0, 0, 0, false, GFP_KERNEL);
		pr_info("%s: no longer guarded (%s)\n", g->tty_name,
			g->hung_up ? "hang-up" : "line discipline changed");
	}
	mutex_lock(&g->rx_lock);
	g->armed = false;		/* stops the gap work re-arming itself */
	mutex_unlock(&g->rx_lock);
	file = g->file;
	g->file = NULL;
	mutex_unlock(&cyl_guards_lock);

	cancel_delayed_work_sync(&g->gap_work);
	cancel_delayed_work_sync(&g->rec_work);
	cyl_record_purge(g);
	cyl_record_clear_key(g);
	cyl_guard_free_cfg(g);
	/* The last reference ends in task work or a worker, never here. */
	if (file)
		fput(file);
	kfree_rcu(g, rcu);
}

/* Is @file one of the open files of @tty? */
static bool cyl_tty_has_file(struct tty_struct *tty, struct file *file)
{
	struct tty_file_private *priv;
	bool found = false;

	spin_lock(&tty->files_lock);
	list_for_each_entry(priv, &tty->tty_files, list) {
		if (priv->file == file) {
			found = true;
			break;
		}
	}
	spin_unlock(&tty->files_lock);
	return found;
}

/*
 * The pending guard whose tty @file is open on.  Only ttys already on our
 * discipline are candidates, so @file's private data is never trusted
 * before it is found among that tty's own open files.
 */
static struct cyl_guard *cyl_guard_by_file(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct cyl_guard *g;

	lockdep_assert_held(&cyl_guards_lock);
	if (!S_ISCHR(inode->i_mode))
		return NULL;
	list_for_each_entry(g, &cyl_guard_list, all)
		if (tty_devnum(g->tty) == inode->i_rdev &&
		    cyl_tty_has_file(g->tty, file))
			return g;
	return NULL;
}

/* Buffers for @cfg, allocated before any lock is taken. */
struct cyl_guard_bufs {
	u8 *frame;
	u8 *out;
};

static int cyl_guard_bufs_alloc(struct cyl_guard_bufs *b,
				const struct cyl_guard_cfg *cfg)
{
	u32 len = cfg->serial.max_len;

	b->frame = kvmalloc(len, GFP_KERNEL);
	b->out = kvmalloc(len, GFP_KERNEL);
	if (!b->frame || !b->out) {
		kvfree(b->frame);
		kvfree(b->out);
		return -ENOMEM;
	}
	return 0;
}

/* Install @cfg and @b in @g; takes ownership of both. */
static void cyl_guard_install(struct cyl_guard *g, struct cyl_guard_cfg *cfg,
			      struct cyl_guard_bufs *b)
{
	mutex_lock(&g->rx_lock);
	mutex_lock(&g->tx_lock);
	cyl_guard_free_cfg(g);
	g->cfg = cfg;
	g->frame_buf = b->frame;
	g->out = b->out;
	g->out_len = 0;
	g->out_off = 0;
	g->rx_synced = false;
	/* Validated by the caller, so this cannot fail. */
	WARN_ON(cyl_framer_init(&g->framer, &cfg->serial, g->frame_buf,
				cfg->serial.max_len));
	memset(&g->wstate, 0, sizeof(g->wstate));
	g->cfg_gen++;
	g->rate_tat = 0;
	mutex_unlock(&g->tx_lock);
	mutex_unlock(&g->rx_lock);
}

int cyl_guard_attach(int fd, u32 device_id, const char *name,
		     struct cyl_guard_cfg *cfg, struct netlink_ext_ack *extack)
{
	struct cyl_guard_bufs b;
	struct cyl_guard *g;
	struct file *file;
	dev_t rdev;
	int ret;

	file = fget(fd);
	if (!file) {
		NL_SET_ERR_MSG(extack, "no such file descriptor");
		return -EBADF;
	}
	ret = cyl_guard_bufs_alloc(&b, cfg);
	if (ret)
		goto err_fput;

	mutex_lock(&cyl_guards_lock);
	ret = -EEXIST;
	if (cyl_guard_by_id(device_id)) {
		NL_SET_ERR_MSG(extack, "device id already attached");
		goto err_unlock;
	}
	ret = -ENOTTY;
	g = cyl_guard_by_file(file);
	if (!g) {
		NL_SET_ERR_MSG(extack,
			       "not a tty on the cylcomed line discipline");
		goto err_unlock;
	}
	ret = -EBUSY;
	if (g->armed) {
		NL_SET_ERR_MSG(extack, "tty already attached");
		goto err_unlock;
	}

	rdev = tty_devnum(g->tty);
	g->device_id = device_id;
	strscpy(g->name, name, sizeof(g->name));
	strscpy(g->tty_name, tty_name(g->tty), sizeof(g->tty_name));
	g->dev = CYL_MKDEV(MAJOR(rdev), MINOR(rdev));
	g->detach_reason = CYL_DETACH_AGENT;
	WRITE_ONCE(g->hung_up, false);
	cyl_guard_install(g, cfg, &b);
	/* Check whole writes, not 2 KiB pieces of them. */
	set_bit(TTY_NO_WRITE_SPLIT, &g->tty->flags);
	g->file = file;			/* fget()'s reference is now ours */
	mutex_lock(&g->rx_lock);
	mutex_lock(&g->tx_lock);
	g->armed = true;
	mutex_unlock(&g->tx_lock);
	mutex_unlock(&g->rx_lock);
	cyl_guard_event(g, CYL_KEV_ATTACHED, 0, NULL, 0, 0, 0, false,
			GFP_KERNEL);
	pr_info("%s: guarding %s as device %u\n", g->tty_name, g->name,
		device_id);
	mutex_unlock(&cyl_guards_lock);
	return 0;

err_unlock:
	mutex_unlock(&cyl_guards_lock);
	kvfree(b.frame);
	kvfree(b.out);
	kfree(cfg);
err_fput:
	fput(file);
	return ret;
}

int cyl_guard_set_config(u32 device_id, struct cyl_guard_cfg *cfg,
			 struct netlink_ext_ack *extack)
{
	struct cyl_guard_bufs b;
	struct cyl_guard *g;
	int ret;

	ret = cyl_guard_bufs_alloc(&b, cfg);
	if (ret) {
		kfree(cfg);
		return ret;
	}
	mutex_lock(&cyl_guards_lock);
	g = cyl_guard_by_id(device_id);
	if (!g) {
		mutex_unlock(&cyl_guards_lock);
		NL_SET_ERR_MSG(extack, "device id not attached");
		kvfree(b.frame);
		kvfree(b.out);
		kfree(cfg);
		return -ENOENT;
	}
	cyl_guard_install(g, cfg, &b);
	mutex_unlock(&cyl_guards_lock);
	return 0;
}

/* Give one guard's tty back to N_TTY; cyl_guards_lock is not held. */
static void cyl_guard_release_tty(struct tty_struct *tty, struct file *file)
{
	int ret;

	ret = tty_set_ldisc(tty, N_TTY);
	if (ret && ret != -EIO)	/* -EIO: hung up, nothing to give back */
		pr_warn("%s: cannot restore N_TTY: %d\n", tty_name(tty), ret);
	fput(file);
	tty_kref_put(tty);
}

int cyl_guard_detach(u32 device_id, struct netlink_ext_ack *extack)
{
	struct tty_struct *tty;
	struct cyl_guard *g;
	struct file *file;

	mutex_lock(&cyl_guards_lock);
	g = cyl_guard_by_id(device_id);
	if (!g) {
		mutex_unlock(&cyl_guards_lock);
		NL_SET_ERR_MSG(extack, "device id not attached");
		return -ENOENT;
	}
	mutex_lock(&g->rx_lock);
	mutex_lock(&g->tx_lock);
	g->armed = false;
	mutex_unlock(&g->tx_lock);
	mutex_unlock(&g->rx_lock);
	g->detach_reason = CYL_DETACH_AGENT;
	file = g->file;
	g->file = NULL;
	tty = tty_kref_get(g->tty);
	cyl_guard_event(g, CYL_KEV_DETACHED, CYL_DETACH_AGENT, NULL, 0, 0, 0,
			false, GFP_KERNEL);
	pr_info("%s: no longer guarded (agent)\n", g->tty_name);
	mutex_unlock(&cyl_guards_lock);

	/* Our file keeps the tty open until N_TTY is back. */
	cyl_guard_release_tty(tty, file);
	return 0;
}

void cyl_guard_event(struct cyl_guard *g, u32 type, u32 reason,
		     const u8 *bytes, u32 nbytes, u32 len, u64 count,
		     bool with_writer, gfp_t gfp)
{
	struct cyl_kevent ev = {
		.type = type,
		.device_id = g->device_id,
		.dev_seq = atomic64_inc_return(&g->dev_seq),
		.tty = g->tty_name,
		.dev = g->dev,
		.reason = reason,
		.bytes = bytes,
		.nbytes = min_t(u32, nbytes, CYL_EVENT_BYTES_MAX),
		.len = len,
		.count = count,
	};

	if (type == CYL_KEV_BAD_FRAME && !__ratelimit(&g->event_rs)) {
		cyl_stat_add(g, &g->stats.events_dropped, 1);
		return;
	}
	if (with_writer) {
		ev.has_writer = true;
		ev.pid = task_tgid_nr(current);
		ev.uid = from_kuid(&init_user_ns, current_uid());
		get_task_comm(ev.comm, current);
	}
	if (cyl_genl_send_event(&ev, gfp))
		cyl_stat_add(g, &g->stats.events_dropped, 1);
}

int __init cyl_guard_init(void)
{
	cyl_wq = alloc_workqueue("cylcomed", WQ_UNBOUND, 0);
	return cyl_wq ? 0 : -ENOMEM;
}

void cyl_guard_exit(void)
{
	destroy_workqueue(cyl_wq);
}
