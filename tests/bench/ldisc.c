// SPDX-License-Identifier: GPL-2.0
/*
 * ldisc: throughput and per-frame latency through a pty pair whose slave
 * is on plain N_TTY or on cylcomed's line discipline, run in a guest by
 * tests/bench/ldisc.sh.
 *
 *   writer thread                          main thread
 *   (the "device")                         (the application)
 *   write(master) --> pty --> slave: [N_TTY | cylcomed: framer, record] --> read(slave)
 *                                                          |
 *                     work item: AES-256-GCM seal, genl "records" multicast
 *                                                          v
 *                                 subscriber thread: counts and checks records
 *
 * Frames are `lines' frames: N-1 payload bytes (never '\n') then '\n'.
 * Modes (all in one process, one after the other, so the ratios compare
 * like with like):
 *
 *   ntty            the slave stays on N_TTY: the baseline
 *   cylcomed-nokey  guarded, pass mode, no record key (header-only records)
 *   cylcomed        guarded, pass mode, records sealed
 *   cylcomed-drop   guarded, drop mode (frames held until complete), sealed
 *
 * For each mode and frame size: throughput (the writer writes whole
 * frames back to back for --seconds, at most --chunk bytes per write; the
 * reader reads until it has every byte) and latency (--pings ping-pongs:
 * write one frame, time until the reader has all of it), after one
 * unmeasured warm-up pass of every mode per size.  The reader
 * checks every byte against the stream the writer wrote; a wrong or
 * missing byte, a malformed record, or no sealed record in a sealed mode
 * is broken plumbing and exits 1.  Numbers are reported, never judged:
 * "RESULT", "RECORDS" and "RATIO" lines for scripts, and a table.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <endian.h>
#include <linux/keyctl.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <cylcomed/genl.h>
#include <cylcomed/record.h>
#include <cylcomed/serial.h>

#include "serial/kmod_serial.h"

#define MAX_IO		65536		/* largest read or write */
#define PERIOD_FRAMES	61		/* the stream repeats every 61 frames */
#define MAX_LEN		8192		/* the guard's max_len: 4 KiB frames fit */
#define DEVICE_ID	4242		/* the first run's id; +1 per run */
#define DEVICE_NAME	"bench"
#define KEY_DESC	"cylcomed:" DEVICE_NAME
#define SUB_RCVBUF	(8 << 20)
#define STALL_NS	(10 * 1000000000LL)	/* no byte for this long: broken */
#define WARMUP_PINGS	50
#define MAX_SIZES	8
#define MAX_ROUNDS	16

static const char *me = "ldisc";

struct mode {
	const char *name;
	bool guard;		/* slave on cylcomed, attached */
	bool seal;		/* with a record key */
	uint8_t on_bad_frame;
};

static const struct mode modes[] = {
	{ "ntty", false, false, 0 },
	{ "cylcomed-nokey", true, false, CYL_BAD_FRAME_PASS },
	{ "cylcomed", true, true, CYL_BAD_FRAME_PASS },
	{ "cylcomed-drop", true, true, CYL_BAD_FRAME_DROP },
};
#define N_MODES (sizeof(modes) / sizeof(modes[0]))

struct opts {
	double seconds;
	unsigned int rounds, pings;
	size_t chunk;
	size_t sizes[MAX_SIZES];
	unsigned int n_sizes;
	bool use[N_MODES];
};

/* One measurement of one mode at one size. */
struct run {
	double fps, mbps, p50_us, p99_us;
};

/* Records of one mode at one size, summed over the rounds. */
struct rec_tally {
	uint64_t queued, received, sealed, dropped, overflows;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* --- the byte stream: frame k's payload byte j is 'A' + (7k + j) % 58 --- */

struct stream {
	size_t size;		/* frame size */
	size_t period;		/* bytes before the stream repeats */
	uint8_t *bytes;		/* period + MAX_IO bytes, so any window fits */
};

static int stream_init(struct stream *s, size_t size)
{
	size_t k, j, i;

	s->size = size;
	s->period = PERIOD_FRAMES * size;
	s->bytes = malloc(s->period + MAX_IO);
	if (!s->bytes)
		return -ENOMEM;
	for (k = 0; k < PERIOD_FRAMES; k++) {
		for (j = 0; j + 1 < size; j++)
			s->bytes[k * size + j] = 'A' + (7 * k + j) % 58;
		s->bytes[k * size + size - 1] = '\n';
	}
	for (i = s->period; i < s->period + MAX_IO; i++)
		s->bytes[i] = s->bytes[i - s->period];
	return 0;
}

/* The stream's bytes from offset @pos on (at most MAX_IO of them). */
static const uint8_t *stream_at(const struct stream *s, uint64_t pos)
{
	return s->bytes + pos % s->period;
}

/* @n bytes read at stream offset @pos: 0 if they are the right ones. */
static int stream_check(const struct stream *s, uint64_t pos,
			const uint8_t *buf, size_t n)
{
	const uint8_t *want = stream_at(s, pos);
	size_t i;

	if (!memcmp(buf, want, n))
		return 0;
	for (i = 0; i < n && buf[i] == want[i]; i++)
		;
	fprintf(stderr, "%s: wrong byte at stream offset %llu: 0x%02x, expected 0x%02x\n",
		me, (unsigned long long)(pos + i), buf[i], want[i]);
	return -EIO;
}

/* --- the pty pair --- */

struct pty {
	int master, slave;
	char name[64];
};

static void pty_close(struct pty *p)
{
	if (p->slave >= 0)
		close(p->slave);
	if (p->master >= 0)
		close(p->master);
	p->slave = p->master = -1;
}

/*
 * The slave in raw mode; a read returns what is there, or 0 after 0.1 s
 * with nothing (VMIN 0, VTIME 1), so a stalled stream is noticed.
 */
static int pty_raw(struct pty *p)
{
	struct termios t;

	if (tcgetattr(p->slave, &t))
		return -errno;
	cfmakeraw(&t);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 1;
	if (tcsetattr(p->slave, TCSANOW, &t))
		return -errno;
	return 0;
}

static int pty_open(struct pty *p)
{
	int ret;

	p->slave = -1;
	p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->master < 0 || grantpt(p->master) || unlockpt(p->master) ||
	    ptsname_r(p->master, p->name, sizeof(p->name)))
		goto err;
	p->slave = open(p->name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->slave < 0)
		goto err;
	return 0;
err:
	ret = -errno;
	fprintf(stderr, "%s: pty pair: %s\n", me, strerror(errno));
	pty_close(p);
	return ret;
}

static int write_all(int fd, const uint8_t *buf, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "%s: write to the master: %s\n", me,
				w < 0 ? strerror(errno) : "wrote nothing");
			return -EIO;
		}
		buf += w;
		n -= w;
	}
	return 0;
}

/* --- records: a subscriber to the "records" group, as the agent is --- */

struct sub {
	struct nl_sock *sk;
	pthread_t thread;
	atomic_bool stop;
	atomic_uint_least32_t id;	/* the device of the current run */
	uint32_t frame_len;		/* what each record's len must be */
	atomic_uint_least64_t received, sealed, malformed, overflows;
	char why[160];			/* the first malformed record */
};

static void sub_malformed(struct sub *s, const char *why, uint64_t a,
			  uint64_t b)
{
	if (!atomic_fetch_add(&s->malformed, 1))
		snprintf(s->why, sizeof(s->why), "%s (%llu, expected %llu)",
			 why, (unsigned long long)a, (unsigned long long)b);
}

/* One record: a CYL_A_RECORD nest of a CYL_CMD_RECORD message. */
static void on_one_record(struct sub *s, struct nlattr *rec)
{
	struct nlattr *tb[CYL_A_MAX + 1];
	struct cyl_record_hdr h;
	struct nlattr *sealed;
	uint32_t id, flags, len;

	if (nla_parse_nested(tb, CYL_A_MAX, rec, NULL) ||
	    !tb[CYL_A_DEVICE_ID] || !tb[CYL_A_REC_HDR] ||
	    nla_len(tb[CYL_A_REC_HDR]) != CYL_REC_HDR_LEN) {
		sub_malformed(s, "record without id or header", 0, 0);
		return;
	}
	id = nla_get_u32(tb[CYL_A_DEVICE_ID]);
	if (id != atomic_load(&s->id))
		return;			/* a late one from an earlier run */
	memcpy(&h, nla_data(tb[CYL_A_REC_HDR]), sizeof(h));
	flags = le32toh(h.flags);
	len = le32toh(h.len);
	sealed = tb[CYL_A_REC_SEALED];
	atomic_fetch_add(&s->received, 1);
	if (le32toh(h.magic) != CYL_REC_MAGIC)
		sub_malformed(s, "record magic", le32toh(h.magic), CYL_REC_MAGIC);
	else if (le32toh(h.device_id) != id)
		sub_malformed(s, "record header's device", le32toh(h.device_id), id);
	else if (len != s->frame_len)
		sub_malformed(s, "record length", len, s->frame_len);
	else if (flags & ~(uint32_t)CYL_REC_F_SEALED)
		sub_malformed(s, "record flags", flags, CYL_REC_F_SEALED);
	else if (!!(flags & CYL_REC_F_SEALED) != !!sealed)
		sub_malformed(s, "sealed flag without ciphertext or back", flags,
			      !!sealed);
	else if (sealed && (uint32_t)nla_len(sealed) != len + CYL_REC_TAG_LEN)
		sub_malformed(s, "ciphertext length", nla_len(sealed),
			      len + CYL_REC_TAG_LEN);
	else if (sealed)
		atomic_fetch_add(&s->sealed, 1);
}

static int on_record(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct sub *s = arg;
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0),
			  rem)
		if (nla_type(a) == CYL_A_RECORD)
			on_one_record(s, a);
	return NL_OK;
}

static void *sub_main(void *arg)
{
	struct pollfd pfd;
	struct sub *s = arg;
	int ret;

	pfd.fd = nl_socket_get_fd(s->sk);
	pfd.events = POLLIN;
	while (!atomic_load(&s->stop)) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		for (;;) {
			ret = nl_recvmsgs_default(s->sk);
			if (ret == -NLE_AGAIN)
				break;
			if (ret == -NLE_NOMEM) {	/* ENOBUFS: records lost */
				atomic_fetch_add(&s->overflows, 1);
				continue;
			}
			if (ret < 0) {
				fprintf(stderr, "%s: records: %s\n", me,
					nl_geterror(ret));
				break;
			}
		}
	}
	return NULL;
}

static int sub_start(struct sub *s)
{
	int grp, ret;

	s->sk = nl_socket_alloc();
	if (!s->sk)
		return -ENOMEM;
	ret = -EIO;
	if (genl_connect(s->sk)) {
		fprintf(stderr, "%s: records: genl_connect failed\n", me);
		goto err;
	}
	grp = genl_ctrl_resolve_grp(s->sk, CYL_GENL_NAME, CYL_GENL_MCGRP_RECORDS);
	if (grp < 0) {
		fprintf(stderr, "%s: records: no \"%s\" group: %s\n", me,
			CYL_GENL_MCGRP_RECORDS, nl_geterror(grp));
		goto err;
	}
	if ((ret = nl_socket_add_membership(s->sk, grp)) != 0) {
		fprintf(stderr, "%s: records: join: %s\n", me, nl_geterror(ret));
		ret = -EIO;
		goto err;
	}
	/* Needs CAP_NET_ADMIN to pass rmem_max; a smaller buffer still works. */
	if (setsockopt(nl_socket_get_fd(s->sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &(int){ SUB_RCVBUF }, sizeof(int)))
		nl_socket_set_buffer_size(s->sk, SUB_RCVBUF, 0);
	nl_socket_disable_seq_check(s->sk);
	nl_socket_modify_cb(s->sk, NL_CB_VALID, NL_CB_CUSTOM, on_record, s);
	nl_socket_set_nonblocking(s->sk);
	if ((ret = pthread_create(&s->thread, NULL, sub_main, s)) != 0) {
		fprintf(stderr, "%s: records thread: %s\n", me, strerror(ret));
		ret = -ret;
		goto err;
	}
	return 0;
err:
	nl_socket_free(s->sk);
	s->sk = NULL;
	return ret;
}

static void sub_stop(struct sub *s)
{
	if (!s->sk)
		return;
	atomic_store(&s->stop, true);
	pthread_join(s->thread, NULL);
	nl_socket_free(s->sk);
	s->sk = NULL;
}

/* --- the guard --- */

struct bench {
	const struct opts *o;
	struct cyl_kmod_ctl *ctl;
	int ldisc;
	long key_serial;
	uint32_t next_id;
	struct sub sub;
};

/* A random 32-byte logon key "cylcomed:bench" in root's user keyring. */
static int key_add(struct bench *b)
{
	uint8_t key[CYL_REC_KEY_LEN];
	int saved;

	if (getrandom(key, sizeof(key), 0) != sizeof(key)) {
		fprintf(stderr, "%s: getrandom: %s\n", me, strerror(errno));
		return -EIO;
	}
	b->key_serial = syscall(SYS_add_key, "logon", KEY_DESC, key,
				sizeof(key), KEY_SPEC_USER_KEYRING);
	saved = errno;
	explicit_bzero(key, sizeof(key));
	if (b->key_serial < 0) {
		fprintf(stderr, "%s: add_key(logon, %s): %s\n", me, KEY_DESC,
			strerror(saved));
		return -saved;
	}
	return 0;
}

static void key_remove(struct bench *b)
{
	if (b->key_serial > 0)
		syscall(SYS_keyctl, KEYCTL_INVALIDATE, b->key_serial);
	b->key_serial = 0;
}

/* The slave on cylcomed's discipline, attached as a new device. */
static int guard_on(struct bench *b, struct pty *p, const struct mode *m,
		    size_t size, uint32_t *id)
{
	struct cyl_serial_cfg cfg = {
		.framing = CYL_FRAMING_LINES,
		.max_len = MAX_LEN,
		.delimiter = '\n',
		.on_bad_frame = m->on_bad_frame,
		.write_check = 0,	/* the slave is only read */
	};
	char err[256];
	int ret;

	if (ioctl(p->slave, TIOCSETD, &b->ldisc)) {
		ret = -errno;
		fprintf(stderr, "%s: TIOCSETD %d on %s: %s\n", me, b->ldisc,
			p->name, strerror(-ret));
		return ret;
	}
	*id = b->next_id++;
	b->sub.frame_len = size;
	atomic_store(&b->sub.id, *id);
	atomic_store(&b->sub.received, 0);
	atomic_store(&b->sub.sealed, 0);
	atomic_store(&b->sub.overflows, 0);
	ret = cyl_kmod_attach(b->ctl, p->slave, *id, DEVICE_NAME, &cfg, NULL, 0,
			      err, sizeof(err));
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", me, p->name, err);
		return ret;
	}
	if (m->seal &&
	    (ret = cyl_kmod_set_key(b->ctl, *id, KEY_DESC, err, sizeof(err)))) {
		fprintf(stderr, "%s: %s: %s\n", me, p->name, err);
		cyl_kmod_detach(b->ctl, *id, err, sizeof(err));
		return ret;
	}
	return 0;
}

/* The module's counters for device @id. */
static int guard_stats(struct bench *b, uint32_t id, struct cyl_kmod_guard *out)
{
	struct cyl_kmod_guard *v;
	size_t n, i;
	int ret;

	if ((ret = cyl_kmod_guards(b->ctl, &v, &n)) != 0) {
		fprintf(stderr, "%s: stats: %s\n", me, strerror(-ret));
		return ret;
	}
	ret = -ENOENT;
	for (i = 0; i < n; i++) {
		if (v[i].id == id) {
			*out = v[i];
			ret = 0;
		}
	}
	free(v);
	if (ret)
		fprintf(stderr, "%s: device %u is not attached any more\n", me, id);
	return ret;
}

/*
 * Wait until every record queued for @id reached the subscriber or was
 * counted as dropped; give up when nothing arrives for 3 s (records lost
 * to a full socket are neither).  Fills *@st with the final counters.
 */
static int guard_drain(struct bench *b, uint32_t id, struct cyl_kmod_guard *st)
{
	int64_t quiet_since = now_ns();
	uint64_t last = atomic_load(&b->sub.received), got;
	int ret;

	for (;;) {
		if ((ret = guard_stats(b, id, st)) != 0)
			return ret;
		got = atomic_load(&b->sub.received);
		if (got + st->stats.records_dropped >= st->stats.records)
			return 0;
		if (got != last) {
			last = got;
			quiet_since = now_ns();
		} else if (now_ns() - quiet_since > 3000000000LL) {
			return 0;
		}
		usleep(20000);
	}
}

/* --- measurements --- */

struct writer {
	int fd;
	const struct stream *s;
	size_t chunk;		/* whole frames */
	int64_t end_ns;
	atomic_uint_least64_t written;
	atomic_bool stop;	/* the reader gave up: leave a blocked write */
	atomic_bool done;
	int ret;
};

static void on_sigusr1(int sig)
{
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	const uint8_t *p;
	size_t left;
	ssize_t n;

	while (!w->ret && now_ns() < w->end_ns && !atomic_load(&w->stop)) {
		p = stream_at(w->s, atomic_load(&w->written));
		for (left = w->chunk; left; p += n, left -= n) {
			n = write(w->fd, p, left);
			if (n < 0 && errno == EINTR && !atomic_load(&w->stop)) {
				n = 0;
				continue;
			}
			if (n <= 0) {
				if (!atomic_load(&w->stop))
					fprintf(stderr, "%s: write to the master: %s\n",
						me, n < 0 ? strerror(errno) : "wrote nothing");
				w->ret = -EIO;
				break;
			}
		}
		if (!w->ret)
			atomic_fetch_add(&w->written, w->chunk);
	}
	atomic_store(&w->done, true);
	return NULL;
}

/* Throughput: frames back to back for o->seconds; the reader gets all. */
static int measure_throughput(const struct opts *o, struct pty *p,
			      const struct stream *s, struct run *r)
{
	struct writer w = { .fd = p->master, .s = s };
	int64_t start, last_ns, t;
	uint64_t rpos = 0;
	pthread_t th;
	uint8_t *buf;
	ssize_t n;
	int ret;

	buf = malloc(MAX_IO);
	if (!buf)
		return -ENOMEM;
	w.chunk = o->chunk / s->size * s->size;
	if (w.chunk < s->size)
		w.chunk = s->size;
	start = last_ns = now_ns();
	w.end_ns = start + (int64_t)(o->seconds * 1e9);
	if ((ret = pthread_create(&th, NULL, writer_main, &w)) != 0) {
		fprintf(stderr, "%s: writer thread: %s\n", me, strerror(ret));
		free(buf);
		return -ret;
	}
	for (;;) {
		n = read(p->slave, buf, MAX_IO);
		t = now_ns();
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			fprintf(stderr, "%s: read %s: %s\n", me, p->name,
				strerror(errno));
			break;
		}
		if (n > 0) {
			if ((ret = stream_check(s, rpos, buf, n)) != 0)
				break;
			rpos += n;
			last_ns = t;
		}
		if (atomic_load(&w.done) && rpos >= atomic_load(&w.written)) {
			ret = 0;
			break;
		}
		if (t - last_ns > STALL_NS) {
			ret = -ETIMEDOUT;
			fprintf(stderr, "%s: %s stalled: read %llu bytes, %s %llu\n",
				me, p->name, (unsigned long long)rpos,
				atomic_load(&w.done) ? "written" : "so far written",
				(unsigned long long)atomic_load(&w.written));
			break;
		}
	}
	/* A writer blocked on a full pty is interrupted (no SA_RESTART). */
	atomic_store(&w.stop, true);
	while (!atomic_load(&w.done)) {
		pthread_kill(th, SIGUSR1);
		usleep(10000);
	}
	pthread_join(th, NULL);
	free(buf);
	if (!ret && w.ret)
		ret = w.ret;
	if (!ret && rpos != atomic_load(&w.written)) {
		fprintf(stderr, "%s: read %llu bytes, written %llu\n", me,
			(unsigned long long)rpos,
			(unsigned long long)atomic_load(&w.written));
		ret = -EIO;
	}
	if (ret)
		return ret;
	r->fps = (double)(rpos / s->size) / ((last_ns - start) / 1e9);
	r->mbps = (double)rpos / ((last_ns - start) / 1e3);
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Latency: write one frame, time until all of it is read; o->pings times. */
static int measure_latency(const struct opts *o, struct pty *p,
			   const struct stream *s, struct run *r)
{
	unsigned int i, total = WARMUP_PINGS + o->pings;
	uint64_t pos = 0;
	int64_t *lat, t0, quiet;
	size_t got;
	uint8_t *buf;
	ssize_t n;
	int ret = -ENOMEM;

	lat = calloc(o->pings, sizeof(*lat));
	buf = malloc(s->size);
	if (!lat || !buf)
		goto out;
	for (i = 0; i < total; i++) {
		t0 = now_ns();
		if ((ret = write_all(p->master, stream_at(s, pos), s->size)) != 0)
			goto out;
		for (got = 0, quiet = t0; got < s->size;) {
			n = read(p->slave, buf + got, s->size - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				ret = -errno;
				fprintf(stderr, "%s: read %s: %s\n", me, p->name,
					strerror(errno));
				goto out;
			}
			if (n > 0) {
				got += n;
				quiet = now_ns();
			} else if (now_ns() - quiet > STALL_NS) {
				fprintf(stderr, "%s: ping %u: %zu of %zu bytes came back\n",
					me, i, got, s->size);
				ret = -ETIMEDOUT;
				goto out;
			}
		}
		if (i >= WARMUP_PINGS)
			lat[i - WARMUP_PINGS] = now_ns() - t0;
		if ((ret = stream_check(s, pos, buf, s->size)) != 0)
			goto out;
		pos += s->size;
	}
	qsort(lat, o->pings, sizeof(*lat), cmp_i64);
	r->p50_us = lat[o->pings / 2] / 1e3;
	r->p99_us = lat[(size_t)o->pings * 99 / 100] / 1e3;
	ret = 0;
out:
	free(lat);
	free(buf);
	return ret;
}

/* One mode at one frame size, on a fresh pty pair. */
static int run_one(struct bench *b, const struct mode *m,
		   const struct stream *s, struct run *r, struct rec_tally *rt)
{
	struct cyl_kmod_guard st;
	struct pty p;
	uint32_t id = 0;
	char err[256];
	int ret;

	if ((ret = pty_open(&p)) != 0)
		return ret;
	if (m->guard && (ret = guard_on(b, &p, m, s->size, &id)) != 0)
		goto out_close;
	if ((ret = pty_raw(&p)) != 0) {
		fprintf(stderr, "%s: raw mode on %s: %s\n", me, p.name,
			strerror(-ret));
		goto out;
	}
	if ((ret = measure_throughput(b->o, &p, s, r)) != 0)
		goto out;
	/* The sealing backlog must not run into the latency pings. */
	if (m->guard && (ret = guard_drain(b, id, &st)) != 0)
		goto out;
	if ((ret = measure_latency(b->o, &p, s, r)) != 0)
		goto out;
	if (m->guard) {
		if ((ret = guard_drain(b, id, &st)) != 0)
			goto out;
		rt->queued += st.stats.records;
		rt->dropped += st.stats.records_dropped;
		rt->received += atomic_load(&b->sub.received);
		rt->sealed += atomic_load(&b->sub.sealed);
		rt->overflows += atomic_load(&b->sub.overflows);
		if (m->seal && !st.key_serial) {
			fprintf(stderr, "%s: device %u has no record key\n", me, id);
			ret = -EIO;
		}
	}
out:
	if (m->guard && cyl_kmod_detach(b->ctl, id, err, sizeof(err))) {
		fprintf(stderr, "%s: %s: %s\n", me, p.name, err);
		ret = ret ? ret : -EIO;
	}
	atomic_store(&b->sub.id, 0);
out_close:
	pty_close(&p);
	return ret;
}

/*
 * Each mode once, briefly, unmeasured: under TCG the first pass through
 * a code path pays for its translation, which would land on whichever
 * mode runs first.
 */
static int warm_up(struct bench *b, const struct stream *s)
{
	struct opts warm = *b->o;
	const struct opts *o = b->o;
	struct rec_tally rt = { 0 };
	unsigned int mi;
	struct run r;
	int ret = 0;

	warm.seconds = o->seconds < 0.5 ? o->seconds : 0.5;
	warm.pings = o->pings < 100 ? o->pings : 100;
	b->o = &warm;
	for (mi = 0; mi < N_MODES && !ret; mi++) {
		if (!o->use[mi])
			continue;
		ret = run_one(b, &modes[mi], s, &r, &rt);
		if (ret)
			fprintf(stderr, "%s: mode %s, %zu-byte frames (warm-up): broken\n",
				me, modes[mi].name, s->size);
	}
	b->o = o;
	return ret;
}

/* --- report --- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of @n values (the lower one of the middle two). */
static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[(n - 1) / 2];
}

static struct run run_median(const struct run *runs, unsigned int n)
{
	double v[4][MAX_ROUNDS];
	struct run m;
	unsigned int i;

	for (i = 0; i < n; i++) {
		v[0][i] = runs[i].fps;
		v[1][i] = runs[i].mbps;
		v[2][i] = runs[i].p50_us;
		v[3][i] = runs[i].p99_us;
	}
	m.fps = median(v[0], n);
	m.mbps = median(v[1], n);
	m.p50_us = median(v[2], n);
	m.p99_us = median(v[3], n);
	return m;
}

static void print_run(const char *tag, unsigned int round, size_t size,
		      const struct mode *m, const struct run *r)
{
	printf("%s", tag);
	if (round)
		printf(" round=%u", round);
	printf(" size=%zu mode=%s fps=%.0f mbps=%.3f lat_p50_us=%.1f lat_p99_us=%.1f\n",
	       size, m->name, r->fps, r->mbps, r->p50_us, r->p99_us);
	fflush(stdout);
}

static void report_ratios(const struct opts *o, struct run res[][N_MODES],
			  struct rec_tally rec[][N_MODES]);
static void report_lines(const struct opts *o, struct run res[][N_MODES],
			 struct rec_tally rec[][N_MODES]);

/* The table for people, then the lines for scripts. */
static void report(const struct opts *o, struct run res[][N_MODES],
		   struct rec_tally rec[][N_MODES])
{
	unsigned int si, mi;

	printf("\n%-6s %-15s %10s %9s %9s %9s %9s %9s %9s %7s\n", "size",
	       "mode", "frames/s", "MB/s", "p50 us", "p99 us", "records",
	       "sealed", "dropped", "lost");
	for (si = 0; si < o->n_sizes; si++) {
		for (mi = 0; mi < N_MODES; mi++) {
			const struct rec_tally *t = &rec[si][mi];
			const struct run *r = &res[si][mi];
			int64_t lost;

			if (!o->use[mi])
				continue;
			printf("%-6zu %-15s %10.0f %9.3f %9.1f %9.1f", o->sizes[si],
			       modes[mi].name, r->fps, r->mbps, r->p50_us, r->p99_us);
			if (!modes[mi].guard) {
				printf(" %9s %9s %9s %7s\n", "-", "-", "-", "-");
				continue;
			}
			lost = (int64_t)(t->queued - t->received - t->dropped);
			printf(" %9llu %9llu %9llu %7lld\n",
			       (unsigned long long)t->queued,
			       (unsigned long long)t->sealed,
			       (unsigned long long)t->dropped,
			       (long long)(lost > 0 ? lost : 0));
		}
	}
	for (mi = 1; mi < N_MODES && !o->use[mi]; mi++)
		;
	if (o->use[0] && mi < N_MODES)
		report_ratios(o, res, rec);
	report_lines(o, res, rec);
}

/* Each mode against ntty, the goal, and the records that made it. */
static void report_ratios(const struct opts *o, struct run res[][N_MODES],
			  struct rec_tally rec[][N_MODES])
{
	unsigned int si, mi;
	double thr;

	printf("\nratios against ntty (throughput: higher is better; latency: lower is better)\n"
	       "goal: throughput >= 0.90 with records sealed; \"kept\": records that reached the subscriber\n");
	printf("%-6s %-15s %10s %9s %9s %7s  %s\n", "size", "mode", "throughput",
	       "lat p50", "lat p99", "kept", "goal");
	for (si = 0; si < o->n_sizes; si++) {
		const struct run *base = &res[si][0];

		for (mi = 1; mi < N_MODES; mi++) {
			const struct rec_tally *t = &rec[si][mi];
			const struct run *r = &res[si][mi];

			if (!o->use[mi] || base->fps <= 0)
				continue;
			thr = r->fps / base->fps;
			printf("%-6zu %-15s %10.3f %9.3f %9.3f %6.1f%%  %s\n",
			       o->sizes[si], modes[mi].name, thr,
			       r->p50_us / base->p50_us,
			       r->p99_us / base->p99_us,
			       t->queued ? 100.0 * t->received / t->queued : 0.0,
			       !modes[mi].seal ? "-" : thr >= 0.9 ? "met" : "missed");
		}
	}
}

/* The same figures for scripts: RESULT, RECORDS, RATIO lines. */
static void report_lines(const struct opts *o, struct run res[][N_MODES],
			 struct rec_tally rec[][N_MODES])
{
	unsigned int si, mi;

	printf("\n");
	for (si = 0; si < o->n_sizes; si++) {
		for (mi = 0; mi < N_MODES; mi++) {
			const struct rec_tally *t = &rec[si][mi];

			if (!o->use[mi])
				continue;
			print_run("RESULT", 0, o->sizes[si], &modes[mi],
				  &res[si][mi]);
			if (modes[mi].guard)
				printf("RECORDS size=%zu mode=%s queued=%llu received=%llu "
				       "sealed=%llu dropped=%llu overflows=%llu\n",
				       o->sizes[si], modes[mi].name,
				       (unsigned long long)t->queued,
				       (unsigned long long)t->received,
				       (unsigned long long)t->sealed,
				       (unsigned long long)t->dropped,
				       (unsigned long long)t->overflows);
			if (mi && o->use[0] && res[si][0].fps > 0)
				printf("RATIO size=%zu mode=%s throughput=%.3f "
				       "latency_p50=%.3f latency_p99=%.3f\n",
				       o->sizes[si], modes[mi].name,
				       res[si][mi].fps / res[si][0].fps,
				       res[si][mi].p50_us / res[si][0].p50_us,
				       res[si][mi].p99_us / res[si][0].p99_us);
		}
	}
}

/* --- options --- */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [--seconds T] [--rounds R] [--pings N] [--chunk BYTES]\n"
		"             [--sizes 16,256,4096] [--modes ntty,cylcomed-nokey,cylcomed,cylcomed-drop]\n"
		"Needs root and cylcomed.ko loaded for any mode but ntty.\n", me);
}

static int parse_sizes(struct opts *o, char *arg)
{
	char *tok, *save = NULL, *end;
	unsigned long v;

	o->n_sizes = 0;
	for (tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		errno = 0;
		v = strtoul(tok, &end, 10);
		if (errno || *end || v < 2 || v > MAX_LEN || o->n_sizes == MAX_SIZES) {
			fprintf(stderr, "%s: --sizes: `%s': expected up to %d sizes of 2..%d bytes\n",
				me, tok, MAX_SIZES, MAX_LEN);
			return -EINVAL;
		}
		o->sizes[o->n_sizes++] = v;
	}
	return o->n_sizes ? 0 : -EINVAL;
}

static int parse_modes(struct opts *o, char *arg)
{
	char *tok, *save = NULL;
	unsigned int i;

	memset(o->use, 0, sizeof(o->use));
	for (tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < N_MODES && strcmp(tok, modes[i].name); i++)
			;
		if (i == N_MODES) {
			fprintf(stderr, "%s: --modes: unknown mode `%s'\n", me, tok);
			return -EINVAL;
		}
		o->use[i] = true;
	}
	return 0;
}

static int parse_opts(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "pings", required_argument, NULL, 'p' },
		{ "chunk", required_argument, NULL, 'c' },
		{ "sizes", required_argument, NULL, 'S' },
		{ "modes", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char sizes[] = "16,256,4096";
	unsigned int i;
	char *end;
	int c;

	*o = (struct opts){ .seconds = 2, .rounds = 3, .pings = 2000, .chunk = 4096 };
	for (i = 0; i < N_MODES; i++)
		o->use[i] = true;
	parse_sizes(o, sizes);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->seconds = strtod(optarg, &end);
			if (*end || !(o->seconds > 0 && o->seconds <= 600))
				goto bad;
			break;
		case 'r':
			o->rounds = strtoul(optarg, &end, 10);
			if (*end || !o->rounds || o->rounds > MAX_ROUNDS)
				goto bad;
			break;
		case 'p':
			o->pings = strtoul(optarg, &end, 10);
			if (*end || o->pings < 10 || o->pings > 1000000)
				goto bad;
			break;
		case 'c':
			o->chunk = strtoul(optarg, &end, 10);
			if (*end || !o->chunk || o->chunk > MAX_IO)
				goto bad;
			break;
		case 'S':
			if (parse_sizes(o, optarg))
				return -EINVAL;
			break;
		case 'm':
			if (parse_modes(o, optarg))
				return -EINVAL;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -EINVAL;
	}
	return 0;
bad:
	for (i = 0; longopts[i].val != c; i++)
		;
	fprintf(stderr, "%s: bad value `%s' for --%s\n", me, optarg,
		longopts[i].name);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	static struct run runs[MAX_SIZES][N_MODES][MAX_ROUNDS];
	static struct run res[MAX_SIZES][N_MODES];
	static struct rec_tally rec[MAX_SIZES][N_MODES];
	struct bench b = { .next_id = DEVICE_ID };
	bool need_guard = false, need_key = false;
	unsigned int si, mi, round;
	struct stream s = { 0 };
	struct utsname u;
	struct opts o;
	int ret;

	if (parse_opts(&o, argc, argv))
		return 2;
	/* Only to interrupt the writer; not SA_RESTART. */
	sigaction(SIGUSR1, &(struct sigaction){ .sa_handler = on_sigusr1 }, NULL);
	b.o = &o;
	for (mi = 0; mi < N_MODES; mi++) {
		need_guard |= o.use[mi] && modes[mi].guard;
		need_key |= o.use[mi] && modes[mi].seal;
	}
	if (need_guard) {
		ret = cyl_kmod_ctl_open(&b.ctl);
		if (ret) {
			fprintf(stderr, "%s: cylcomed.ko: %s\n", me,
				ret == -ENOENT ? "not loaded" : strerror(-ret));
			return 1;
		}
		if ((ret = cyl_kmod_ctl_ldisc(b.ctl, &b.ldisc)) != 0) {
			fprintf(stderr, "%s: the module's line discipline: %s\n",
				me, strerror(-ret));
			goto out;
		}
		/* Without a subscriber the module keeps records unsealed. */
		if ((ret = sub_start(&b.sub)) != 0)
			goto out;
	}
	if (need_key && (ret = key_add(&b)) != 0)
		goto out;

	uname(&u);
	printf("ldisc bench: kernel %s, %ld CPUs, %.1fs per run, %u rounds, "
	       "%u pings, writes of up to %zu bytes",
	       u.release, sysconf(_SC_NPROCESSORS_ONLN), o.seconds, o.rounds,
	       o.pings, o.chunk);
	if (need_guard)
		printf(", cylcomed is line discipline %d", b.ldisc);
	printf("\n");
	fflush(stdout);

	/* Rounds outermost, modes innermost: drift on the host hits all alike. */
	for (si = 0; si < o.n_sizes; si++) {
		free(s.bytes);
		if ((ret = stream_init(&s, o.sizes[si])) != 0)
			goto out;
		if ((ret = warm_up(&b, &s)) != 0)
			goto out;
		for (round = 0; round < o.rounds; round++) {
			for (mi = 0; mi < N_MODES; mi++) {
				if (!o.use[mi])
					continue;
				ret = run_one(&b, &modes[mi], &s,
					      &runs[si][mi][round], &rec[si][mi]);
				if (ret) {
					fprintf(stderr, "%s: mode %s, %zu-byte frames: broken\n",
						me, modes[mi].name, o.sizes[si]);
					goto out;
				}
				print_run("RUN", round + 1, o.sizes[si], &modes[mi],
					  &runs[si][mi][round]);
			}
		}
		for (mi = 0; mi < N_MODES; mi++)
			if (o.use[mi])
				res[si][mi] = run_median(runs[si][mi], o.rounds);
	}
	report(&o, res, rec);

	ret = 0;
	if (atomic_load(&b.sub.malformed)) {
		fprintf(stderr, "%s: %llu malformed records, the first: %s\n", me,
			(unsigned long long)atomic_load(&b.sub.malformed), b.sub.why);
		ret = -EIO;
	}
	for (si = 0; si < o.n_sizes; si++) {
		for (mi = 0; mi < N_MODES; mi++) {
			if (!o.use[mi] || !modes[mi].seal || rec[si][mi].sealed)
				continue;
			fprintf(stderr, "%s: mode %s, %zu-byte frames: no sealed record received\n",
				me, modes[mi].name, o.sizes[si]);
			ret = -EIO;
		}
	}
out:
	sub_stop(&b.sub);
	key_remove(&b);
	cyl_kmod_ctl_close(b.ctl);
	free(s.bytes);
	return ret ? 1 : 0;
}
