// SPDX-License-Identifier: GPL-2.0
/*
 * Records from cylcomed.ko into the spool (see records.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <netlink/attr.h>

#include <cylcomed/genl.h>
#include <cylcomed/record.h>

#include "core/daemon.h"
#include "core/event.h"
#include "core/log.h"
#include "serial/records.h"
#include "store/record.h"
#include "store/spool.h"

/* The last sequence number seen from one device, and when. */
struct devseq {
	uint32_t id;
	uint64_t last;
	struct timespec at;	/* CLOCK_MONOTONIC; 0 before its first record */
};

struct cyl_records {
	struct cyl_daemon *d;
	struct cyl_spool *sp;
	enum cyl_spool_fsync fsync;
	int tfd;			/* fsync timer, armed while data waits */
	bool timer_armed;
	struct cyl_loop_handler timer_h;
	struct devseq *seqs;
	size_t n_seqs, cap_seqs;
	uint8_t *buf;			/* header and ciphertext, as stored */
	uint64_t records, gaps, lost, malformed, spool_errors, inspected;
};

static void timer_set(struct cyl_records *r, bool on)
{
	struct itimerspec it = { 0 };

	if (r->tfd < 0 || on == r->timer_armed)
		return;
	/* One fdatasync() a second at most, as for the event log. */
	it.it_value.tv_sec = on ? 1 : 0;
	if (!timerfd_settime(r->tfd, 0, &it, NULL))
		r->timer_armed = on;
}

static int on_timer(struct cyl_loop_handler *h, uint32_t events)
{
	struct cyl_records *r = container_of(h, struct cyl_records, timer_h);
	uint64_t ticks;

	if (read(r->tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return 0;
	r->timer_armed = false;
	if (cyl_spool_sync(r->sp))
		log_err_f("spool: %s", cyl_spool_last_error(r->sp));
	return 0;
}

int cyl_records_open(struct cyl_records **out, struct cyl_daemon *d,
		     const char *dir, int fsync_mode)
{
	struct cyl_spool_opts opts = { .fsync = fsync_mode };
	struct cyl_spool_recovery rep;
	struct cyl_records *r;
	char err[512];
	int ret;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->d = d;
	r->tfd = -1;
	r->fsync = fsync_mode;
	ret = -ENOMEM;
	r->buf = malloc(CYL_REC_SIZE_MAX);
	if (!r->buf)
		goto err;
	ret = cyl_spool_open(&r->sp, dir, &opts, &rep, err, sizeof(err));
	if (ret) {
		log_err_f("spool: %s", err);
		goto err;
	}
	if (rep.what[0])
		log_warn_f("spool %s: %s", dir, rep.what);
	log_info_f("spool %s: appending to segment %llu", dir,
		   (unsigned long long)rep.append_segment);

	if (fsync_mode == CYL_SPOOL_FSYNC_INTERVAL) {
		r->tfd = timerfd_create(CLOCK_MONOTONIC,
					TFD_NONBLOCK | TFD_CLOEXEC);
		if (r->tfd < 0) {
			ret = -errno;
			goto err;
		}
		r->timer_h.fn = on_timer;
		ret = cyl_loop_add(&d->loop, r->tfd, EPOLLIN, &r->timer_h);
		if (ret)
			goto err;
	}
	*out = r;
	return 0;
err:
	cyl_records_close(r);
	return ret;
}

void cyl_records_close(struct cyl_records *r)
{
	if (!r)
		return;
	if (r->tfd >= 0) {
		if (r->d->loop.epfd >= 0)
			cyl_loop_del(&r->d->loop, r->tfd);
		close(r->tfd);
	}
	cyl_spool_close(r->sp);
	free(r->seqs);
	free(r->buf);
	free(r);
}

static struct devseq *devseq(struct cyl_records *r, uint32_t id)
{
	size_t i;

	for (i = 0; i < r->n_seqs; i++)
		if (r->seqs[i].id == id)
			return &r->seqs[i];
	if (r->n_seqs == r->cap_seqs) {
		size_t cap = r->cap_seqs ? 2 * r->cap_seqs : 16;
		struct devseq *v = realloc(r->seqs, cap * sizeof(*v));

		if (!v)
			return NULL;
		r->seqs = v;
		r->cap_seqs = cap;
	}
	r->seqs[r->n_seqs] = (struct devseq){ .id = id };
	return &r->seqs[r->n_seqs++];
}

static void gap_event(struct cyl_records *r, const char *device, uint32_t id,
		      uint64_t from, uint64_t to)
{
	json_t *ev;

	ev = cyl_event_new("record_gap", device, NULL, "audit",
			   "records lost before the spool");
	if (ev && (json_object_set_new(ev, "device_id", json_integer(id)) ||
		   json_object_set_new(ev, "first_missing", json_integer((json_int_t)from)) ||
		   json_object_set_new(ev, "count", json_integer((json_int_t)(to - from + 1))))) {
		json_decref(ev);
		ev = NULL;
	}
	if (ev)
		cyl_daemon_emit(r->d, ev);
}

void cyl_records_on_msg(struct cyl_daemon *d, struct cyl_records *r,
			const char *device, struct nlattr **tb)
{
	struct nlattr *sealed = tb[CYL_A_REC_SEALED];
	uint32_t id = nla_get_u32(tb[CYL_A_DEVICE_ID]);
	size_t len = CYL_REC_HDR_LEN;
	struct cyl_rec rec;
	struct devseq *ds;
	char err[160];

	if (!r)
		return;
	memcpy(r->buf, nla_data(tb[CYL_A_REC_HDR]), CYL_REC_HDR_LEN);
	if (sealed) {
		if ((size_t)nla_len(sealed) > CYL_REC_SIZE_MAX - CYL_REC_HDR_LEN)
			goto malformed;
		memcpy(r->buf + len, nla_data(sealed), nla_len(sealed));
		len += nla_len(sealed);
	}
	if (cyl_rec_parse(r->buf, len, &rec, err, sizeof(err)))
		goto malformed;
	if (rec.device_id != id) {
		snprintf(err, sizeof(err), "header names device %u", rec.device_id);
		goto malformed;
	}
	if (tb[CYL_A_REC_PLAIN])
		r->inspected++;	/* for the anomaly models, when they land */

	ds = devseq(r, id);
	if (ds && ds->last && rec.seq > ds->last + 1) {
		r->gaps++;
		r->lost += rec.seq - ds->last - 1;
		log_warn_f("%s: records %llu..%llu lost before the spool",
			   device ?: "?", (unsigned long long)ds->last + 1,
			   (unsigned long long)rec.seq - 1);
		gap_event(r, device, id, ds->last + 1, rec.seq - 1);
	} else if (ds && ds->last && rec.seq <= ds->last) {
		log_info_f("%s: record sequence restarts at %llu (module reloaded)",
			   device ?: "?", (unsigned long long)rec.seq);
	}
	if (ds) {
		ds->last = rec.seq;
		clock_gettime(CLOCK_MONOTONIC, &ds->at);
	}

	if (cyl_spool_append(r->sp, r->buf, len)) {
		r->spool_errors++;
		log_err_f("spool: %s", cyl_spool_last_error(r->sp));
		return;
	}
	r->records++;
	if (r->fsync == CYL_SPOOL_FSYNC_INTERVAL)
		timer_set(r, true);
	return;

malformed:
	r->malformed++;
	log_warn_f("%s: malformed record from the module dropped: %s",
		   device ?: "?", err);
}

int cyl_records_last_at(const struct cyl_records *r, uint32_t id,
			struct timespec *at)
{
	size_t i;

	for (i = 0; r && i < r->n_seqs; i++) {
		if (r->seqs[i].id == id && (r->seqs[i].at.tv_sec || r->seqs[i].at.tv_nsec)) {
			*at = r->seqs[i].at;
			return 0;
		}
	}
	return -ENOENT;
}

json_t *cyl_records_json(const struct cyl_records *r)
{
	if (!r)
		return json_pack("{s:b}", "open", 0);
	return json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:I}", "open", 1,
			 "records", (json_int_t)r->records,
			 "gaps", (json_int_t)r->gaps,
			 "lost", (json_int_t)r->lost,
			 "malformed", (json_int_t)r->malformed,
			 "spool_errors", (json_int_t)r->spool_errors,
			 "segment", (json_int_t)cyl_spool_segment(r->sp));
}
