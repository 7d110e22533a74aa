// SPDX-License-Identifier: GPL-2.0
/*
 * Framing and write checking for the serial guard: see framer.h.
 *
 * Receive side: one state machine per framing, fed a byte at a time.  A
 * step either keeps the byte, keeps it and completes the unit, or completes
 * the unit without it (the byte begins the next unit).  Every unit records
 * the first reason it went bad, and a byte's line error counts before what
 * the framing makes of the byte.
 *
 * Write side: the same walk serves cyl_write_check() (on a copy of the
 * state) and cyl_write_advance().  Each unit starts with every usable
 * allowlist entry as a candidate and drops the ones its bytes contradict,
 * so a unit split across writes is judged exactly as if it were whole.
 */
#ifdef CYL_FRAMER_USERSPACE
#include <errno.h>
#else
#include <linux/errno.h>
#endif

#include "framer.h"

/* Receive states (struct cyl_framer.state). */
enum {
	RX_IDLE,	/* between units */
	RX_DATA,	/* raw, lines: inside a unit */
	RX_OUTSIDE,	/* ASTM, MLLP: bytes outside any frame */
	RX_FN,		/* ASTM: after STX, the frame number is due */
	RX_TEXT,	/* ASTM: text up to ETX or ETB */
	RX_C1,		/* ASTM: first checksum character */
	RX_C2,		/* ASTM: second checksum character */
	RX_CR,		/* ASTM: CR of the trailer */
	RX_LF,		/* ASTM: LF of the trailer */
	RX_SKIP,	/* ASTM: a bad frame, skipped up to its LF */
	RX_MSG,		/* MLLP: after VT, the payload */
	RX_FS,		/* MLLP: after FS, the CR is due */
};

/* What one receive step did with its byte. */
enum {
	STEP_MORE,	/* kept it; the unit goes on */
	STEP_FRAME,	/* kept it; it completes a frame (bad if an error) */
	STEP_CONTROL,	/* kept it; a one-byte control unit */
	STEP_BEFORE,	/* left it; the unit is complete without it */
};

/* A unit never counts more wire bytes than this; it is ended there. */
#define WIRE_LEN_MAX	((u32)~0U)

/* Keep the first reason a unit went bad. */
static void note(struct cyl_framer *f, u8 reason)
{
	if (!f->error)
		f->error = reason;
}

/* Account a byte to the unit; store it if it fits in max_len. */
static void take(struct cyl_framer *f, u8 c, u8 flag)
{
	if (flag)
		note(f, CYL_BAD_LINE_ERROR);
	if (f->len < f->max_len)
		f->buf[f->len++] = c;
	else
		note(f, CYL_BAD_OVERLENGTH);
	f->wire_len++;
}

static void forget(struct cyl_framer *f)
{
	f->state = RX_IDLE;
	f->sum = 0;
	f->check[0] = 0;
	f->check[1] = 0;
	f->error = CYL_BAD_NONE;
	f->len = 0;
	f->wire_len = 0;
}

static void emit(struct cyl_framer *f, struct cyl_unit *u, u8 kind)
{
	u->kind = f->error ? CYL_UNIT_BAD : kind;
	u->reason = f->error;
	u->truncated = f->len < f->wire_len;
	u->data = f->buf;
	u->len = f->len;
	u->wire_len = f->wire_len;
	forget(f);
}

static bool gap_passed(const struct cyl_framer *f, u64 now_ns)
{
	return now_ns > f->last_ns && now_ns - f->last_ns > f->raw_gap_ns;
}

static int raw_step(struct cyl_framer *f, u8 c, u8 flag, u64 now_ns)
{
	if (f->raw_size) {
		take(f, c, flag);
		return f->wire_len >= f->raw_size ? STEP_FRAME : STEP_MORE;
	}
	if (f->wire_len && gap_passed(f, now_ns))
		return STEP_BEFORE;
	take(f, c, flag);
	f->state = RX_DATA;
	f->last_ns = now_ns;
	return f->wire_len >= f->max_len ? STEP_FRAME : STEP_MORE;
}

static int lines_step(struct cyl_framer *f, u8 c, u8 flag)
{
	take(f, c, flag);
	f->state = RX_DATA;
	return c == f->delimiter ? STEP_FRAME : STEP_MORE;
}

/* Junk outside frames: one unit up to the next frame or max_len bytes. */
static int outside(struct cyl_framer *f, u8 c, u8 flag)
{
	take(f, c, flag);
	note(f, CYL_BAD_OUTSIDE);
	f->state = RX_OUTSIDE;
	return f->wire_len >= f->max_len ? STEP_FRAME : STEP_MORE;
}

static bool astm_control(u8 c)
{
	return c == CYL_ASCII_ENQ || c == CYL_ASCII_ACK ||
	       c == CYL_ASCII_NAK || c == CYL_ASCII_EOT;
}

static int hex_value(u8 c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * A byte the frame's structure forbids: the frame is bad and skipped up
 * to its LF (this byte, if it is one).
 */
static int astm_bad(struct cyl_framer *f, u8 c)
{
	note(f, CYL_BAD_STRUCTURE);
	if (c == CYL_ASCII_LF)
		return STEP_FRAME;
	f->state = RX_SKIP;
	return STEP_MORE;
}

static int astm_step(struct cyl_framer *f, u8 c, u8 flag)
{
	int hi, lo;

	switch (f->state) {
	case RX_IDLE:
		if (astm_control(c)) {
			take(f, c, flag);
			return STEP_CONTROL;
		}
		if (c != CYL_ASCII_STX)
			return outside(f, c, flag);
		take(f, c, flag);
		f->state = RX_FN;
		return STEP_MORE;
	case RX_OUTSIDE:
		if (c == CYL_ASCII_STX || astm_control(c))
			return STEP_BEFORE;
		return outside(f, c, flag);
	}

	/* Inside a frame: a frame start or ENQ/EOT cuts it short. */
	if (c == CYL_ASCII_STX || c == CYL_ASCII_ENQ || c == CYL_ASCII_EOT) {
		note(f, CYL_BAD_TRUNCATED);
		return STEP_BEFORE;
	}
	take(f, c, flag);	/* past max_len: noted, parsed, not kept */

	switch (f->state) {
	case RX_FN:
		if (c < '0' || c > '7')
			return astm_bad(f, c);
		f->sum = c;
		f->state = RX_TEXT;
		break;
	case RX_TEXT:
		f->sum += c;
		if (c == CYL_ASCII_ETX || c == CYL_ASCII_ETB)
			f->state = RX_C1;
		break;
	case RX_C1:
		if (hex_value(c) < 0)
			return astm_bad(f, c);
		f->check[0] = c;
		f->state = RX_C2;
		break;
	case RX_C2:
		hi = hex_value(f->check[0]);
		lo = hex_value(c);
		if (lo < 0)
			return astm_bad(f, c);
		f->check[1] = c;
		if ((u8)(hi << 4 | lo) != f->sum)
			note(f, CYL_BAD_CHECKSUM);
		f->state = RX_CR;
		break;
	case RX_CR:
		if (c != CYL_ASCII_CR)
			return astm_bad(f, c);
		f->state = RX_LF;
		break;
	case RX_LF:
		if (c != CYL_ASCII_LF)
			return astm_bad(f, c);
		return STEP_FRAME;
	default:		/* RX_SKIP */
		if (c == CYL_ASCII_LF)
			return STEP_FRAME;
		break;
	}
	return STEP_MORE;
}

static int mllp_step(struct cyl_framer *f, u8 c, u8 flag)
{
	switch (f->state) {
	case RX_IDLE:
		if (c != CYL_ASCII_VT)
			return outside(f, c, flag);
		take(f, c, flag);
		f->state = RX_MSG;
		return STEP_MORE;
	case RX_OUTSIDE:
		if (c == CYL_ASCII_VT)
			return STEP_BEFORE;
		return outside(f, c, flag);
	}

	/* Inside a message: VT starts the next one and cuts this one short. */
	if (c == CYL_ASCII_VT) {
		note(f, CYL_BAD_TRUNCATED);
		return STEP_BEFORE;
	}
	take(f, c, flag);
	if (f->state == RX_FS) {
		/* Whatever follows FS ends the message; only CR is right. */
		if (c != CYL_ASCII_CR)
			note(f, CYL_BAD_STRUCTURE);
		return STEP_FRAME;
	}
	if (c == CYL_ASCII_FS)
		f->state = RX_FS;
	return STEP_MORE;
}

static int rx_step(struct cyl_framer *f, u8 c, u8 flag, u64 now_ns)
{
	switch (f->framing) {
	case CYL_FRAMING_LINES:
		return lines_step(f, c, flag);
	case CYL_FRAMING_ASTM:
		return astm_step(f, c, flag);
	case CYL_FRAMING_MLLP:
		return mllp_step(f, c, flag);
	default:
		return raw_step(f, c, flag, now_ns);
	}
}

int cyl_framer_init(struct cyl_framer *f, const struct cyl_serial_cfg *cfg,
		    u8 *buf, u32 cap)
{
	if (cyl_serial_cfg_valid(cfg) || !buf || cap < cfg->max_len)
		return -EINVAL;

	f->framing = cfg->framing;
	f->delimiter = cfg->delimiter;
	f->max_len = cfg->max_len;
	f->raw_size = cfg->raw_size;
	f->raw_gap_ns = (u64)cfg->raw_gap_us * 1000;
	f->last_ns = 0;
	f->buf = buf;
	f->cap = cap;
	forget(f);
	return 0;
}

void cyl_framer_reset(struct cyl_framer *f)
{
	forget(f);
}

/*
 * Line framing a run at a time: what lines_step() does byte by byte, with
 * memchr() and memcpy(), for streams where lines are long.  The first
 * reason a line goes bad is the same as the byte path's: a flagged byte
 * before (or at) the first byte past max_len makes it a line error.
 */
static size_t lines_feed(struct cyl_framer *f, const u8 *p, const u8 *flags,
			 size_t n, struct cyl_unit *u)
{
	const u8 *end = memchr(p, f->delimiter, n);
	size_t k = end ? (size_t)(end - p) + 1 : n;
	size_t room = f->len < f->max_len ? f->max_len - f->len : 0;
	size_t copy, flagged = k, i;

	if (k > WIRE_LEN_MAX - f->wire_len) {
		k = WIRE_LEN_MAX - f->wire_len;	/* ended there, as below */
		end = NULL;
	}
	if (flags)
		for (i = 0; i < k; i++)
			if (flags[i]) {
				flagged = i;
				break;
			}
	copy = k < room ? k : room;
	if (flagged < k && flagged <= copy)
		note(f, CYL_BAD_LINE_ERROR);
	if (k > copy)
		note(f, CYL_BAD_OVERLENGTH);
	if (flagged < k)
		note(f, CYL_BAD_LINE_ERROR);
	memcpy(f->buf + f->len, p, copy);
	f->len += copy;
	f->wire_len += k;
	f->state = RX_DATA;
	if (end || f->wire_len == WIRE_LEN_MAX)
		emit(f, u, CYL_UNIT_FRAME);
	return k;
}

size_t cyl_framer_feed(struct cyl_framer *f, const u8 *p, const u8 *flags,
		       size_t n, u64 now_ns, struct cyl_unit *u)
{
	size_t i;
	int step;

	u->kind = CYL_UNIT_NONE;
	u->reason = CYL_BAD_NONE;
	u->truncated = false;
	u->data = NULL;
	u->len = 0;
	u->wire_len = 0;

	if (f->framing == CYL_FRAMING_LINES && n)
		return lines_feed(f, p, flags, n, u);

	for (i = 0; i < n; i++) {
		step = rx_step(f, p[i], flags ? flags[i] : 0, now_ns);
		if (step == STEP_MORE) {
			if (f->wire_len < WIRE_LEN_MAX)
				continue;
			step = STEP_FRAME;	/* already overlength */
		}
		emit(f, u, step == STEP_CONTROL ? CYL_UNIT_CONTROL :
						  CYL_UNIT_FRAME);
		return step == STEP_BEFORE ? i : i + 1;
	}
	return n;
}

bool cyl_framer_expire(struct cyl_framer *f, u64 now_ns, struct cyl_unit *u)
{
	if (f->framing != CYL_FRAMING_RAW || f->raw_size || !f->wire_len ||
	    !gap_passed(f, now_ns))
		return false;
	emit(f, u, CYL_UNIT_FRAME);
	return true;
}

bool cyl_framer_pending(const struct cyl_framer *f)
{
	return f->wire_len != 0;
}

/* Write states (struct cyl_write_state.state). */
enum {
	WR_OUT,		/* between units */
	WR_IN,		/* inside a unit */
	WR_FS,		/* MLLP: after FS, one more byte ends the unit */
};

/* Verdicts (struct cyl_write_state.allowed). */
enum {
	WV_REFUSED,
	WV_ALLOWED,
	WV_UNDECIDED,	/* the prefix is not complete yet */
};

/* Bytes of a unit counted; enough for the longest prefix after its skip. */
#define SEEN_MAX	255

/* One write check or advance: the settings it runs under. */
struct wr_ctx {
	const struct cyl_write_allow *allow;
	u64 usable;		/* entries that can match anything */
	u64 control;		/* CYL_ALLOW_CONTROL entries among them */
	u8 framing;
	u8 delimiter;
	u8 skip;		/* unit bytes before the payload */
};

static void wr_ctx_init(struct wr_ctx *x, const struct cyl_serial_cfg *cfg,
			const struct cyl_write_allow *allow, u32 n_allow)
{
	const struct cyl_write_allow *a;
	u32 i;

	x->allow = allow;
	x->usable = 0;
	x->control = 0;
	x->framing = cfg->framing < __CYL_FRAMING_MAX ? cfg->framing :
							CYL_FRAMING_RAW;
	x->delimiter = cfg->delimiter;
	x->skip = 0;
	if (x->framing == CYL_FRAMING_ASTM)
		x->skip = 2;	/* STX and the frame number */
	else if (x->framing == CYL_FRAMING_MLLP)
		x->skip = 1;	/* VT */

	if (!allow)
		n_allow = 0;
	if (n_allow > CYL_ALLOW_MAX)
		n_allow = CYL_ALLOW_MAX;
	for (i = 0; i < n_allow; i++) {
		a = &allow[i];
		if (a->kind == CYL_ALLOW_CONTROL && a->len == 1) {
			x->usable |= 1ULL << i;
			x->control |= 1ULL << i;
		} else if (a->kind == CYL_ALLOW_PREFIX && a->len >= 1 &&
			   a->len <= CYL_ALLOW_PREFIX_MAX) {
			x->usable |= 1ULL << i;
		}
	}
}

static void wr_unit_start(const struct wr_ctx *x, struct cyl_write_state *st)
{
	st->state = WR_IN;
	st->allowed = WV_UNDECIDED;
	st->seen = 0;
	st->mask = x->usable;
}

/* Match byte @c of the current unit against the candidate entries. */
static void wr_unit_byte(const struct wr_ctx *x, struct cyl_write_state *st,
			 u8 c)
{
	const struct cyl_write_allow *a;
	u64 mask, bit;
	u32 i, k;

	if (st->seen < SEEN_MAX)
		st->seen++;
	if (st->allowed != WV_UNDECIDED)
		return;

	for (mask = st->mask, i = 0; mask; mask >>= 1, i++) {
		if (!(mask & 1))
			continue;
		a = &x->allow[i];
		bit = 1ULL << i;
		if (x->control & bit) {
			/* Only a one-byte unit can match: decided at its end. */
			if (st->seen > 1 || c != a->bytes[0])
				st->mask &= ~bit;
			continue;
		}
		if (st->seen <= x->skip)
			continue;
		k = st->seen - 1 - x->skip;
		if (c != a->bytes[k]) {
			st->mask &= ~bit;
		} else if (k + 1 == a->len) {
			st->allowed = WV_ALLOWED;
			return;
		}
	}
	if (!st->mask)
		st->allowed = WV_REFUSED;
}

/* The current unit is complete: an open verdict is final now. */
static void wr_unit_end(const struct wr_ctx *x, struct cyl_write_state *st)
{
	if (st->allowed == WV_UNDECIDED)
		st->allowed = st->seen == 1 && (st->mask & x->control) ?
			      WV_ALLOWED : WV_REFUSED;
	st->state = WR_OUT;
}

/* Does @c, inside a unit, end it and begin a unit of its own? */
static bool wr_breaks(const struct wr_ctx *x, u8 c)
{
	switch (x->framing) {
	case CYL_FRAMING_ASTM:
		return c == CYL_ASCII_STX || astm_control(c);
	case CYL_FRAMING_MLLP:
		return c == CYL_ASCII_VT;
	default:
		return false;
	}
}

/* Does @c, just matched as the unit's byte number st->seen, end it? */
static bool wr_ends(const struct wr_ctx *x, struct cyl_write_state *st, u8 c)
{
	switch (x->framing) {
	case CYL_FRAMING_LINES:
		return c == x->delimiter;
	case CYL_FRAMING_ASTM:
		if (st->seen == 1)
			return c != CYL_ASCII_STX;
		return c == CYL_ASCII_LF;
	case CYL_FRAMING_MLLP:
		if (st->seen == 1)
			return c != CYL_ASCII_VT;
		if (st->state == WR_FS)
			return true;
		if (c == CYL_ASCII_FS)
			st->state = WR_FS;
		return false;
	default:
		return false;	/* raw: the write's end ends the unit */
	}
}

/*
 * Move @st over @p[0..@n).  With @judge, stop at the first refused unit
 * that has bytes in @p and return its start offset in *@bad_off (0 for a
 * unit continued from an earlier write); a unit still open at the end of
 * @p is refused if its prefix is not complete.
 */
static int wr_walk(const struct wr_ctx *x, struct cyl_write_state *st,
		   const u8 *p, size_t n, bool judge, size_t *bad_off)
{
	size_t i, start = 0;
	u8 c;

	if (x->framing == CYL_FRAMING_RAW)
		st->state = WR_OUT;	/* each write is a unit of its own */

	for (i = 0; i < n; i++) {
		c = p[i];
		if (st->state != WR_OUT && wr_breaks(x, c)) {
			wr_unit_end(x, st);
			/* Judged only if it has bytes in @p, that is if i > 0. */
			if (judge && i && st->allowed == WV_REFUSED)
				goto refuse;
		}
		if (st->state == WR_OUT) {
			wr_unit_start(x, st);
			start = i;
		}
		wr_unit_byte(x, st, c);
		if (wr_ends(x, st, c))
			wr_unit_end(x, st);
		if (judge && st->allowed == WV_REFUSED)
			goto refuse;
	}

	if (x->framing == CYL_FRAMING_RAW && n)
		wr_unit_end(x, st);
	if (judge && n && st->allowed != WV_ALLOWED)
		goto refuse;
	return 0;

refuse:
	if (bad_off)
		*bad_off = start;
	return CYL_REFUSE_NOT_ALLOWED;
}

int cyl_write_check(const struct cyl_serial_cfg *cfg,
		    const struct cyl_write_allow *allow, u32 n_allow,
		    const struct cyl_write_state *st, const u8 *p, size_t n,
		    size_t *bad_off)
{
	struct cyl_write_state tmp = *st;
	struct wr_ctx x;

	if (bad_off)
		*bad_off = 0;
	if (!n)
		return 0;
	if (cfg->read_only)
		return CYL_REFUSE_READ_ONLY;
	if (!cfg->write_check)
		return 0;
	wr_ctx_init(&x, cfg, allow, n_allow);
	return wr_walk(&x, &tmp, p, n, true, bad_off);
}

void cyl_write_advance(const struct cyl_serial_cfg *cfg,
		       const struct cyl_write_allow *allow, u32 n_allow,
		       struct cyl_write_state *st, const u8 *p, size_t n)
{
	struct wr_ctx x;

	wr_ctx_init(&x, cfg, allow, n_allow);
	wr_walk(&x, st, p, n, false, NULL);
}

int cyl_serial_cfg_valid(const struct cyl_serial_cfg *cfg)
{
	if (cfg->framing >= __CYL_FRAMING_MAX)
		return -EINVAL;
	if (cfg->max_len < CYL_FRAME_LEN_MIN ||
	    cfg->max_len > CYL_FRAME_LEN_MAX)
		return -EINVAL;
	if (cfg->raw_size > cfg->max_len)
		return -EINVAL;
	if (cfg->framing == CYL_FRAMING_RAW && !cfg->raw_size &&
	    !cfg->raw_gap_us)
		return -EINVAL;
	if (cfg->write_rate && !cfg->write_burst)
		return -EINVAL;
	if (cfg->on_bad_frame > CYL_BAD_FRAME_DROP || cfg->read_only > 1 ||
	    cfg->inspect > 1 || cfg->write_check > 1)
		return -EINVAL;
	if (cfg->pad[0] || cfg->pad[1] || cfg->pad[2])
		return -EINVAL;
	return 0;
}

int cyl_write_allow_valid(const struct cyl_write_allow *allow, u32 n)
{
	const struct cyl_write_allow *a;
	u32 i;

	if (n > CYL_ALLOW_MAX || (n && !allow))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		a = &allow[i];
		if (a->kind != CYL_ALLOW_PREFIX && a->kind != CYL_ALLOW_CONTROL)
			return -EINVAL;
		if (a->len < 1 || a->len > CYL_ALLOW_PREFIX_MAX)
			return -EINVAL;
		if (a->kind == CYL_ALLOW_CONTROL && a->len != 1)
			return -EINVAL;
		if (a->pad[0] || a->pad[1])
			return -EINVAL;
	}
	return 0;
}

static const char * const bad_reason_names[__CYL_BAD_MAX] = {
	[CYL_BAD_CHECKSUM]	= "checksum",
	[CYL_BAD_STRUCTURE]	= "structure",
	[CYL_BAD_OVERLENGTH]	= "overlength",
	[CYL_BAD_TRUNCATED]	= "truncated",
	[CYL_BAD_OUTSIDE]	= "outside",
	[CYL_BAD_LINE_ERROR]	= "line_error",
};

static const char * const refuse_reason_names[__CYL_REFUSE_MAX] = {
	[CYL_REFUSE_READ_ONLY]	 = "read_only",
	[CYL_REFUSE_NOT_ALLOWED] = "not_allowed",
	[CYL_REFUSE_RATE]	 = "rate",
};

static const char * const framing_names[__CYL_FRAMING_MAX] = {
	[CYL_FRAMING_RAW]	= "raw",
	[CYL_FRAMING_LINES]	= "lines",
	[CYL_FRAMING_ASTM]	= "astm",
	[CYL_FRAMING_MLLP]	= "mllp",
};

static const char *name_of(const char * const *names, unsigned int n,
			   unsigned int i)
{
	return i < n && names[i] ? names[i] : "unknown";
}

const char *cyl_bad_reason_name(unsigned int reason)
{
	return name_of(bad_reason_names, __CYL_BAD_MAX, reason);
}

const char *cyl_refuse_reason_name(unsigned int reason)
{
	return name_of(refuse_reason_names, __CYL_REFUSE_MAX, reason);
}

const char *cyl_framing_name(unsigned int framing)
{
	return name_of(framing_names, __CYL_FRAMING_MAX, framing);
}
