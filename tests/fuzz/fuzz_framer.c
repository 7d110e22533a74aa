// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the module's framer (kmod/framer.c, built as
 * userspace code): the bytes a serial device sends, in tty-sized pieces
 * with line errors, and the same bytes as host writes against an
 * allowlist.
 *
 * Input: a 12-byte header, then the data.
 *   [0]     framing (bits 0-1), line-error flags on (2), time moves (3),
 *           read_only (4), write_check off (5)
 *   [1..2]  max_len: 16 + [1] % 64, or with bit 15 set up to 65536
 *   [3]     raw_size (mod max_len + 1)     [4]  raw_gap_us
 *   [5]     delimiter                      [6..9]  seed of the pieces
 *   [10]    allowlist entries (mod 9), cut from the data
 *   [11]    unused
 * Checks the feed contract on every call, that the units are the same
 * whatever the pieces (when time stands still), and the write checker's
 * promises: no state change, offsets in range, a refused write's allowed
 * start stays allowed, an allowed write split by a short write stays
 * allowed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "framer.c"

#define HDR	12

#define check(cond) do {	\
	if (!(cond))		\
		__builtin_trap();	\
} while (0)

struct rec {
	u8 kind, reason;
	u32 len, wire_len;
};

static u8 frame_buf[CYL_FRAME_LEN_MAX];

static u32 rng(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * Feed @data in pieces (@pieces: a seed, or 0 for one piece) and record
 * the units in @out; returns how many.  Asserts the feed contract.
 */
static size_t run_framer(const struct cyl_serial_cfg *cfg, const u8 *data,
			 const u8 *flags, size_t size, u32 pieces, bool timed,
			 struct rec *out)
{
	struct cyl_framer f;
	struct cyl_unit u;
	size_t off = 0, start = 0, n_out = 0, len, used;
	u64 now = 1000, gap = (u64)cfg->raw_gap_us * 1000;
	bool last_zero = false;

	memset(&f, 0, sizeof(f));
	check(cyl_framer_init(&f, cfg, frame_buf, cfg->max_len) == 0);
	check(!cyl_framer_pending(&f));
	check(cyl_framer_feed(&f, data, flags, 0, now, &u) == 0);
	check(u.kind == CYL_UNIT_NONE);

	while (off < size) {
		len = size - off;
		if (pieces) {
			len = rng(&pieces) % 8 ? 1 + rng(&pieces) % 64 :
						 1 + rng(&pieces) % 2048;
			if (len > size - off)
				len = size - off;
			if (timed)
				now += rng(&pieces) % (2 * gap + 2);
			if (timed && rng(&pieces) % 4 == 0 &&
			    cyl_framer_expire(&f, now, &u)) {
				check(cfg->framing == CYL_FRAMING_RAW &&
				      !cfg->raw_size);
				goto unit;
			}
		}
		used = cyl_framer_feed(&f, data + off, flags ? flags + off : NULL,
				       len, now, &u);
		check(used <= len);
		if (!used)
			check(!last_zero && u.kind != CYL_UNIT_NONE);
		last_zero = !used;
		off += used;
		if (u.kind == CYL_UNIT_NONE) {
			check(used == len);
			check(cyl_framer_pending(&f) == (off > start));
			continue;
		}
unit:
		check(u.kind <= CYL_UNIT_CONTROL);
		check(u.wire_len > 0 && u.wire_len == off - start);
		check(u.len <= u.wire_len && u.len <= cfg->max_len);
		check(u.truncated == (u.len < u.wire_len));
		check(u.data == frame_buf);
		check(!memcmp(u.data, data + start, u.len));
		if (u.kind == CYL_UNIT_BAD)
			check(u.reason > CYL_BAD_NONE && u.reason < __CYL_BAD_MAX);
		else
			check(u.reason == CYL_BAD_NONE);
		if (u.kind == CYL_UNIT_CONTROL)
			check(u.wire_len == 1 && cfg->framing == CYL_FRAMING_ASTM);
		/* Past max_len: bad, for overlength or an earlier reason. */
		if (u.truncated)
			check(u.kind == CYL_UNIT_BAD &&
			      u.reason != CYL_BAD_OUTSIDE &&
			      u.reason != CYL_BAD_TRUNCATED);
		if (u.reason == CYL_BAD_OVERLENGTH)
			check(u.truncated);
		if (cfg->framing == CYL_FRAMING_RAW && cfg->raw_size)
			check(u.wire_len == cfg->raw_size);
		if (u.kind == CYL_UNIT_FRAME && cfg->framing == CYL_FRAMING_LINES)
			check(data[off - 1] == cfg->delimiter);
		out[n_out].kind = u.kind;
		out[n_out].reason = u.reason;
		out[n_out].len = u.len;
		out[n_out].wire_len = u.wire_len;
		n_out++;
		start = off;
		check(!cyl_framer_pending(&f));
	}
	check(f.wire_len == off - start);
	if (f.wire_len && cfg->framing == CYL_FRAMING_RAW && !cfg->raw_size) {
		check(!cyl_framer_expire(&f, f.last_ns + gap, &u));
		check(cyl_framer_expire(&f, f.last_ns + gap + 1, &u));
		check(u.wire_len == off - start && !cyl_framer_pending(&f));
	} else {
		check(!cyl_framer_expire(&f, ~0ULL, &u));
	}
	cyl_framer_reset(&f);
	check(!cyl_framer_pending(&f));
	return n_out;
}

static bool is_break(u8 framing, u8 c)
{
	if (framing == CYL_FRAMING_ASTM)
		return c == CYL_ASCII_STX || c == CYL_ASCII_ENQ ||
		       c == CYL_ASCII_EOT || c == CYL_ASCII_ACK ||
		       c == CYL_ASCII_NAK;
	return framing == CYL_FRAMING_MLLP && c == CYL_ASCII_VT;
}

/* Allowlist entries cut from the data, mostly at unit starts. */
static u32 make_allow(const struct cyl_serial_cfg *cfg, const u8 *data,
		      size_t size, u32 n, u32 *seed,
		      struct cyl_write_allow *allow)
{
	u32 i, skip = cfg->framing == CYL_FRAMING_ASTM ? 2 :
		      cfg->framing == CYL_FRAMING_MLLP ? 1 : 0;
	size_t o, j;
	struct cyl_write_allow *a;

	memset(allow, 0, sizeof(*allow) * n);
	for (i = 0; i < n && size; i++) {
		a = &allow[i];
		o = rng(seed) % size;
		if (rng(seed) % 4 == 0) {
			a->kind = CYL_ALLOW_CONTROL;
			a->len = 1;
			a->bytes[0] = data[o];
			continue;
		}
		a->kind = CYL_ALLOW_PREFIX;
		for (j = o; j < size; j++) {
			if (cfg->framing == CYL_FRAMING_LINES ?
			    data[j] == cfg->delimiter :
			    is_break(cfg->framing, data[j])) {
				o = j + (cfg->framing == CYL_FRAMING_LINES ?
					 1 : skip);
				break;
			}
		}
		a->len = 1 + rng(seed) % 12;
		for (j = 0; j < a->len; j++)
			a->bytes[j] = o + j < size ? data[o + j] : 'x';
	}
	check(cyl_write_allow_valid(allow, i) == 0);
	return i;
}

static int wcheck(const struct cyl_serial_cfg *cfg,
		  const struct cyl_write_allow *allow, u32 n_allow,
		  const struct cyl_write_state *st, const u8 *p, size_t n,
		  size_t *off)
{
	struct cyl_write_state before = *st;
	int r;

	*off = (size_t)-1;
	r = cyl_write_check(cfg, allow, n_allow, st, p, n, off);
	check(!memcmp(&before, st, sizeof(before)));
	check(r == 0 || r == CYL_REFUSE_READ_ONLY ||
	      r == CYL_REFUSE_NOT_ALLOWED);
	check(r || *off == 0);
	if (!n || (!cfg->read_only && !cfg->write_check))
		check(r == 0);
	if (n && cfg->read_only)
		check(r == CYL_REFUSE_READ_ONLY && *off == 0);
	if (r == CYL_REFUSE_NOT_ALLOWED)
		check(*off < n);
	return r;
}

static void run_writes(const struct cyl_serial_cfg *cfg,
		       const struct cyl_write_allow *allow, u32 n_allow,
		       const u8 *data, size_t size, u32 seed)
{
	struct cyl_write_state st, tmp;
	bool controls = false;
	size_t off = 0, n, m, bad, bad2;
	u32 i;
	int r;

	for (i = 0; i < n_allow; i++)
		controls |= allow[i].kind == CYL_ALLOW_CONTROL;
	memset(&st, 0, sizeof(st));
	while (off < size) {
		n = 1 + rng(&seed) % 256;
		if (n > size - off)
			n = size - off;
		r = wcheck(cfg, allow, n_allow, &st, data + off, n, &bad);
		if (r == CYL_REFUSE_NOT_ALLOWED && cfg->framing == CYL_FRAMING_RAW)
			check(bad == 0);
		/*
		 * The units before the refused one were complete and
		 * allowed.  (A CONTROL entry could allow a one-byte unit
		 * only once the next byte shows it complete.)
		 */
		if (r == CYL_REFUSE_NOT_ALLOWED && bad &&
		    (cfg->framing == CYL_FRAMING_LINES || !controls))
			check(wcheck(cfg, allow, n_allow, &st, data + off, bad,
				     &bad2) == 0);
		/* A short write: the rest of an allowed write stays allowed. */
		m = rng(&seed) % (n + 1);
		if (!r && m < n && cfg->framing != CYL_FRAMING_RAW) {
			tmp = st;
			cyl_write_advance(cfg, allow, n_allow, &tmp, data + off, m);
			check(wcheck(cfg, allow, n_allow, &tmp, data + off + m,
				     n - m, &bad2) == 0);
		}
		if (rng(&seed) % 2)
			m = n;
		cyl_write_advance(cfg, allow, n_allow, &st, data + off, m);
		off += m;
		if (!m && rng(&seed) % 2)
			off++;		/* a byte lost to the writer: skip it */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t in_size)
{
	struct cyl_write_allow allow[8];
	struct cyl_serial_cfg cfg, raw_cfg;
	struct rec *a = NULL, *b = NULL;
	const u8 *data;
	u8 *flags = NULL;
	size_t size, na, nb, i;
	u32 seed, n_allow;
	bool timed;

	if (in_size < HDR)
		return 0;
	data = in + HDR;
	size = in_size - HDR;

	/* The raw header as a cfg and an entry: valid or not, no crash. */
	memset(&raw_cfg, 0, sizeof(raw_cfg));
	memcpy(&raw_cfg, in, HDR < sizeof(raw_cfg) ? HDR : sizeof(raw_cfg));
	cyl_serial_cfg_valid(&raw_cfg);
	if (size >= sizeof(allow[0]))
		cyl_write_allow_valid((const void *)data, 1);
	check(cyl_bad_reason_name(in[0]) && cyl_refuse_reason_name(in[1]) &&
	      cyl_framing_name(in[2]));

	memset(&cfg, 0, sizeof(cfg));
	cfg.framing = in[0] & 3;
	if (in[2] & 0x80)
		cfg.max_len = 16 + (in[1] | (in[2] & 0x7f) << 8) %
			      (CYL_FRAME_LEN_MAX - 15);
	else
		cfg.max_len = 16 + in[1] % 64;
	cfg.raw_size = in[3] % (cfg.max_len + 1);
	cfg.raw_gap_us = in[4];
	if (cfg.framing == CYL_FRAMING_RAW && !cfg.raw_size && !cfg.raw_gap_us)
		cfg.raw_gap_us = 1;
	cfg.delimiter = in[5];
	cfg.read_only = (in[0] >> 4) & 1;
	cfg.write_check = !((in[0] >> 5) & 1);
	check(cyl_serial_cfg_valid(&cfg) == 0);
	timed = in[0] & 8;
	seed = (in[6] | in[7] << 8 | in[8] << 16 | (u32)in[9] << 24) | 1;

	a = malloc(sizeof(*a) * (size + 1));
	b = malloc(sizeof(*b) * (size + 1));
	if (!a || !b)
		goto out;
	if (in[0] & 4) {
		flags = malloc(size + 1);
		if (!flags)
			goto out;
		for (i = 0; i < size; i++)
			flags[i] = rng(&seed) % 32 ? 0 : 1 + rng(&seed) % 8;
	}

	na = run_framer(&cfg, data, flags, size, seed, timed, a);
	if (!timed) {
		nb = run_framer(&cfg, data, flags, size, 0, false, b);
		check(na == nb);
		for (i = 0; i < na; i++)
			check(a[i].kind == b[i].kind &&
			      a[i].reason == b[i].reason &&
			      a[i].len == b[i].len &&
			      a[i].wire_len == b[i].wire_len);
	}

	n_allow = make_allow(&cfg, data, size, in[10] % 9, &seed, allow);
	run_writes(&cfg, allow, n_allow, data, size, seed);
	/* An allowlist that is not valid: entries that never match. */
	allow[0].kind = in[11];
	allow[0].len = in[11] >> 2;
	run_writes(&cfg, allow, n_allow, data, size, seed);
out:
	free(a);
	free(b);
	free(flags);
	return 0;
}
