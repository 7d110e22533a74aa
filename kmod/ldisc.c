// SPDX-License-Identifier: GPL-2.0
/*
 * The cylcomed line discipline: N_TTY, with the receive and write paths
 * intercepted for guarded ttys.
 *
 * A tty switched to this discipline but not attached by the agent behaves
 * exactly as N_TTY.  Once attached, every received byte goes through the
 * device's framer; in "pass" mode N_TTY sees the bytes as they come and
 * the framer only watches, in "drop" mode N_TTY sees a frame only once it
 * is complete and good.  Every write is checked against the device's
 * allowlist before N_TTY sees a byte of it.
 */
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/tty.h>
#include <linux/tty_ldisc.h>

#include "compat.h"
#include "guard.h"
#include "ldisc.h"
#include "record.h"

static int ldisc = CYL_LDISC_DEFAULT;
module_param(ldisc, int, 0444);
MODULE_PARM_DESC(ldisc, "line discipline number (default 29, N_DEVELOPMENT)");

/* Plain N_TTY, which every hook calls into. */
static struct tty_ldisc_ops cyl_ntty;
static struct tty_ldisc_ops cyl_ldisc_ops;

int cyl_ldisc_num(void)
{
	return ldisc;
}

/*
 * What one receive call did, counted once at its end: a lock, a clock
 * read and a work-item kick per call, not per frame.  Records of one call
 * share its CLOCK_REALTIME stamp: their bytes arrived together.
 */
struct cyl_rx_run {
	u64 real_ns;
	u32 frames;
	int kick;		/* the most urgent cyl_record_queue() result */
};

static void cyl_rx_run_start(struct cyl_rx_run *run)
{
	run->real_ns = ktime_get_real_ns();
	run->frames = 0;
	run->kick = CYL_REC_LOST;
}

static void cyl_rx_run_end(struct cyl_guard *g, struct cyl_rx_run *run,
			   size_t bytes)
{
	spin_lock(&g->stats_lock);
	g->stats.rx_bytes += bytes;
	g->stats.rx_frames += run->frames;
	spin_unlock(&g->stats_lock);
	if (run->kick != CYL_REC_LOST)
		cyl_record_kick(g, run->kick == CYL_REC_URGENT);
}

static void cyl_rx_unit(struct cyl_guard *g, const struct cyl_unit *u,
			bool dropped, struct cyl_rx_run *run)
{
	u32 flags = 0;
	int ret;

	/*
	 * Attached (or flushed) in the middle of a frame: its tail is not a
	 * bad frame, only one we did not see begin.  Not reported.
	 */
	if (!g->rx_synced) {
		if (u->kind == CYL_UNIT_NONE)
			return;
		if (u->kind == CYL_UNIT_BAD && (u->reason == CYL_BAD_OUTSIDE ||
						u->reason == CYL_BAD_TRUNCATED))
			return;
		g->rx_synced = true;
	}

	switch (u->kind) {
	case CYL_UNIT_FRAME:
		run->frames++;
		break;
	case CYL_UNIT_CONTROL:
		run->frames++;
		flags |= CYL_REC_F_CONTROL;
		break;
	case CYL_UNIT_BAD:
		flags |= CYL_REC_F_BAD;
		if (u->truncated)
			flags |= CYL_REC_F_TRUNCATED;
		spin_lock(&g->stats_lock);
		g->stats.rx_bad_frames++;
		if (dropped)
			g->stats.rx_dropped_frames++;
		spin_unlock(&g->stats_lock);
		if (dropped)
			flags |= CYL_REC_F_DROPPED;
		cyl_guard_event(g, CYL_KEV_BAD_FRAME, u->reason, u->data,
				u->len, u->wire_len, dropped, false,
				GFP_NOWAIT);
		break;
	default:
		return;
	}
	ret = cyl_record_queue(g, flags, u->kind == CYL_UNIT_BAD ? u->reason : 0,
			       u->data, u->len, run->real_ns);
	if (ret > run->kick)
		run->kick = ret;
}

/* Drop mode: hand N_TTY what is left of the last good frame. */
static bool cyl_rx_flush_out(struct cyl_guard *g, struct tty_struct *tty)
{
	while (g->out_off < g->out_len) {
		CYL_RX_RET n;

		n = cyl_ntty.receive_buf2(tty, g->out + g->out_off, NULL,
					  g->out_len - g->out_off);
		if (!n)
			return false;	/* N_TTY is full; it kicks us later */
		g->out_off += n;
	}
	g->out_len = 0;
	g->out_off = 0;
	return true;
}

static void cyl_rx_gap_arm(struct cyl_guard *g)
{
	if (g->cfg->serial.framing == CYL_FRAMING_RAW &&
	    !g->cfg->serial.raw_size && cyl_framer_pending(&g->framer))
		mod_delayed_work(cyl_wq, &g->gap_work,
				 usecs_to_jiffies(g->cfg->serial.raw_gap_us) + 1);
}

/* Pass mode: N_TTY takes bytes as they come, the framer watches. */
static size_t cyl_rx_watch(struct cyl_guard *g, const u8 *cp, const u8 *fp,
			   size_t count)
{
	u64 now = ktime_get_ns();
	struct cyl_rx_run run;
	size_t done = 0;

	cyl_rx_run_start(&run);
	while (done < count) {
		struct cyl_unit u;

		done += cyl_framer_feed(&g->framer, cp + done,
					fp ? fp + done : NULL, count - done,
					now, &u);
		cyl_rx_unit(g, &u, false, &run);
	}
	cyl_rx_run_end(g, &run, count);
	cyl_rx_gap_arm(g);
	return count;
}

/*
 * Drop mode: keep a frame until it is complete, then give N_TTY the good
 * ones.  Consumes only as much as N_TTY can take, so nothing is lost when
 * the reader is slow: the rest waits in the tty's flip buffers.
 */
static size_t cyl_rx_hold(struct cyl_guard *g, struct tty_struct *tty,
			  const u8 *cp, const u8 *fp, size_t count)
{
	u64 now = ktime_get_ns();
	struct cyl_rx_run run;
	size_t done = 0;

	if (!cyl_rx_flush_out(g, tty))
		return 0;

	cyl_rx_run_start(&run);
	while (done < count) {
		struct cyl_unit u;
		size_t n;

		n = cyl_framer_feed(&g->framer, cp + done,
				    fp ? fp + done : NULL, count - done,
				    now, &u);
		done += n;
		if (u.kind == CYL_UNIT_NONE)
			break;
		cyl_rx_unit(g, &u, u.kind == CYL_UNIT_BAD, &run);
		if (u.kind != CYL_UNIT_BAD) {
			memcpy(g->out, u.data, u.len);
			g->out_len = u.len;
			g->out_off = 0;
			if (!cyl_rx_flush_out(g, tty))
				break;
		}
	}
	cyl_rx_run_end(g, &run, done);
	return done;
}

static bool cyl_holds_frames(const struct cyl_guard *g)
{
	return g->cfg->serial.on_bad_frame == CYL_BAD_FRAME_DROP &&
	       g->cfg->serial.framing != CYL_FRAMING_RAW;
}

static CYL_RX_RET cyl_receive_buf2(struct tty_struct *tty, const u8 *cp,
				   const CYL_RX_FLAG *fp, CYL_RX_COUNT count)
{
	struct cyl_guard *g = cyl_guard_find(tty);
	CYL_RX_RET n;

	if (!g)
		return cyl_ntty.receive_buf2(tty, cp, fp, count);

	mutex_lock(&g->rx_lock);
	if (!g->armed) {
		n = cyl_ntty.receive_buf2(tty, cp, fp, count);
	} else if (cyl_holds_frames(g)) {
		n = cyl_rx_hold(g, tty, cp, (const u8 *)fp, count);
	} else {
		n = cyl_ntty.receive_buf2(tty, cp, fp, count);
		if (n > 0)
			cyl_rx_watch(g, cp, (const u8 *)fp, n);
	}
	mutex_unlock(&g->rx_lock);
	return n;
}

/*
 * The tty core's other way in (TIOCSTI, disciplines without receive_buf2):
 * the caller cannot be told "not now", so these bytes are only watched.
 */
static void cyl_receive_buf(struct tty_struct *tty, const u8 *cp,
			    const CYL_RX_FLAG *fp, CYL_RX_COUNT count)
{
	struct cyl_guard *g = cyl_guard_find(tty);

	cyl_ntty.receive_buf(tty, cp, fp, count);
	if (!g || count <= 0)
		return;
	mutex_lock(&g->rx_lock);
	if (g->armed)
		cyl_rx_watch(g, cp, (const u8 *)fp, count);
	mutex_unlock(&g->rx_lock);
}

/* Raw gap framing: a frame ends when the line has been quiet long enough. */
void cyl_ldisc_gap_work(struct work_struct *work)
{
	struct cyl_guard *g = container_of(to_delayed_work(work),
					   struct cyl_guard, gap_work);
	struct cyl_rx_run run;
	struct cyl_unit u;

	mutex_lock(&g->rx_lock);
	if (g->armed) {
		cyl_rx_run_start(&run);
		if (cyl_framer_expire(&g->framer, ktime_get_ns(), &u))
			cyl_rx_unit(g, &u, false, &run);
		else
			cyl_rx_gap_arm(g);
		cyl_rx_run_end(g, &run, 0);
	}
	mutex_unlock(&g->rx_lock);
}

/* Generic cell rate: at most write_burst writes at once, write_rate/s. */
static bool cyl_tx_rate_ok(struct cyl_guard *g)
{
	const struct cyl_serial_cfg *c = &g->cfg->serial;
	u64 now = ktime_get_ns(), interval, tat;

	if (!c->write_rate)
		return true;
	interval = div_u64(NSEC_PER_SEC, c->write_rate);
	tat = max(g->rate_tat, now);
	if (tat - now > (u64)(c->write_burst - 1) * interval)
		return false;
	g->rate_tat = tat + interval;
	return true;
}

static ssize_t cyl_write(struct tty_struct *tty, struct file *file,
			 const u8 *buf, size_t nr)
{
	struct cyl_guard *g = cyl_guard_find(tty);
	size_t bad_off = 0;
	int reason, ret;
	ssize_t n;
	u64 gen;

	if (!g)
		return cyl_ntty.write(tty, file, buf, nr);

	mutex_lock(&g->tx_lock);
	if (!g->armed) {
		mutex_unlock(&g->tx_lock);
		return cyl_ntty.write(tty, file, buf, nr);
	}
	reason = cyl_write_check(&g->cfg->serial, g->cfg->allow,
				 g->cfg->n_allow, &g->wstate, buf, nr,
				 &bad_off);
	if (!reason && !cyl_tx_rate_ok(g))
		reason = CYL_REFUSE_RATE;
	gen = g->cfg_gen;
	mutex_unlock(&g->tx_lock);

	if (reason) {
		cyl_stat_add(g, &g->stats.tx_refused, 1);
		cyl_guard_event(g, CYL_KEV_WRITE_REFUSED, reason, buf,
				min_t(size_t, nr, CYL_EVENT_BYTES_MAX), nr, 0,
				true, GFP_KERNEL);
		return -EPERM;
	}

	/* May block for the device; the locks stay free meanwhile. */
	n = cyl_ntty.write(tty, file, buf, nr);
	if (n <= 0)
		return n;

	mutex_lock(&g->tx_lock);
	if (g->armed && gen == g->cfg_gen) {
		cyl_write_advance(&g->cfg->serial, g->cfg->allow,
				  g->cfg->n_allow, &g->wstate, buf, n);
		ret = cyl_record_queue(g, CYL_REC_F_TX, 0, buf,
				       min_t(size_t, n, g->cfg->serial.max_len),
				       ktime_get_real_ns());
		if (ret != CYL_REC_LOST)
			cyl_record_kick(g, ret == CYL_REC_URGENT);
	} else {
		memset(&g->wstate, 0, sizeof(g->wstate));
	}
	mutex_unlock(&g->tx_lock);

	spin_lock(&g->stats_lock);
	g->stats.tx_bytes += n;
	g->stats.tx_writes++;
	spin_unlock(&g->stats_lock);
	return n;
}

/*
 * Drop mode keeps the part of a good frame N_TTY could not take in g->out,
 * already out of the tty's flip buffers; N_TTY only restarts the flip
 * buffers' work when they still hold data.  So the reader's side hands
 * the rest over: before a read, and after it has made room.
 */
static void cyl_rx_push_pending(struct cyl_guard *g, struct tty_struct *tty)
{
	if (!READ_ONCE(g->out_len))
		return;
	mutex_lock(&g->rx_lock);
	if (g->armed)
		cyl_rx_flush_out(g, tty);
	mutex_unlock(&g->rx_lock);
}

static ssize_t cyl_read(struct tty_struct *tty, struct file *file, u8 *buf,
			size_t nr, void **cookie, unsigned long offset)
{
	struct cyl_guard *g = cyl_guard_find(tty);
	ssize_t ret;

	/*
	 * Not while N_TTY continues a read (*cookie set): it holds its
	 * read locks across those calls, and handing bytes over takes them.
	 */
	if (g && !*cookie)
		cyl_rx_push_pending(g, tty);
	ret = cyl_ntty.read(tty, file, buf, nr, cookie, offset);
	if (g && !*cookie)
		cyl_rx_push_pending(g, tty);
	return ret;
}

static void cyl_flush_buffer(struct tty_struct *tty)
{
	struct cyl_guard *g = cyl_guard_find(tty);

	cyl_ntty.flush_buffer(tty);
	if (!g)
		return;
	mutex_lock(&g->rx_lock);
	if (g->armed)
		cyl_framer_reset(&g->framer);
	g->out_len = 0;
	g->out_off = 0;
	g->rx_synced = false;
	mutex_unlock(&g->rx_lock);
}

static void cyl_hangup(struct tty_struct *tty)
{
	struct cyl_guard *g = cyl_guard_find(tty);

	if (g)
		WRITE_ONCE(g->hung_up, true);
	if (cyl_ntty.hangup)
		cyl_ntty.hangup(tty);
}

static int cyl_open(struct tty_struct *tty)
{
	struct cyl_guard *g;
	int ret;

	g = cyl_guard_create(tty);
	if (IS_ERR(g))
		return PTR_ERR(g);
	ret = cyl_ntty.open(tty);
	if (ret)
		cyl_guard_destroy(g);
	return ret;
}

static void cyl_close(struct tty_struct *tty)
{
	struct cyl_guard *g = cyl_guard_find(tty);

	cyl_ntty.close(tty);
	if (g)
		cyl_guard_destroy(g);
}

int __init cyl_ldisc_init(void)
{
	int ret;

	n_tty_inherit_ops(&cyl_ntty);
	n_tty_inherit_ops(&cyl_ldisc_ops);
	cyl_ldisc_ops.owner = THIS_MODULE;
	cyl_ldisc_ops.num = ldisc;
	cyl_ldisc_ops.name = "cylcomed";
	cyl_ldisc_ops.open = cyl_open;
	cyl_ldisc_ops.close = cyl_close;
	cyl_ldisc_ops.flush_buffer = cyl_flush_buffer;
	cyl_ldisc_ops.read = cyl_read;
	cyl_ldisc_ops.write = cyl_write;
	cyl_ldisc_ops.hangup = cyl_hangup;
	cyl_ldisc_ops.receive_buf = cyl_receive_buf;
	cyl_ldisc_ops.receive_buf2 = cyl_receive_buf2;

	ret = tty_register_ldisc(&cyl_ldisc_ops);
	if (ret)
		pr_err("cannot register line discipline %d: %d\n", ldisc, ret);
	return ret;
}

void cyl_ldisc_exit(void)
{
	tty_unregister_ldisc(&cyl_ldisc_ops);
}
