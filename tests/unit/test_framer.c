// SPDX-License-Identifier: GPL-2.0
/*
 * The serial guard's framer (kmod/framer.c, built here in userspace):
 * every framing, every bad-frame reason and its resync, byte-by-byte
 * feeding against whole feeding, the progress invariant, configuration
 * checks and the write allowlist.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "framer.h"

/* Control characters as string pieces: "\x02" "1H" is STX '1' 'H'. */
#define STX	"\x02"
#define ETX	"\x03"
#define EOT	"\x04"
#define ENQ	"\x05"
#define ACK	"\x06"
#define LF	"\x0a"
#define VT	"\x0b"
#define CR	"\x0d"
#define NAK	"\x15"
#define ETB	"\x17"
#define FS	"\x1c"

#define S(str)	(const u8 *)(str), sizeof(str) - 1

#define BUF_CAP		2048
#define MAX_UNITS	64
#define MS		1000000ULL	/* ns */

struct unit_rec {
	u8 kind;
	u8 reason;
	bool truncated;
	u32 len;
	u32 wire_len;
	u8 data[BUF_CAP];
};

struct fixture {
	struct cyl_serial_cfg cfg;
	struct cyl_framer f;
	u8 buf[BUF_CAP];
	struct unit_rec units[MAX_UNITS];
	size_t n_units;
	size_t consumed;
	u64 wire_total;		/* wire_len of the units so far */
};

static int setup(void **state)
{
	struct fixture *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* A framer for @framing; raw by size 16, or by gap if cfg.raw_gap_us is set. */
static void start(struct fixture *x, u32 framing, u32 max_len)
{
	u32 gap = x->cfg.raw_gap_us;

	memset(&x->cfg, 0, sizeof(x->cfg));
	x->cfg.framing = framing;
	x->cfg.max_len = max_len;
	x->cfg.delimiter = '\n';
	x->cfg.raw_gap_us = gap;
	if (framing == CYL_FRAMING_RAW && !gap)
		x->cfg.raw_size = 16;
	memset(&x->f, 0, sizeof(x->f));
	assert_int_equal(cyl_framer_init(&x->f, &x->cfg, x->buf, BUF_CAP), 0);
	x->n_units = 0;
	x->consumed = 0;
	x->wire_total = 0;
}

static void restart(struct fixture *x)
{
	memset(&x->f, 0, sizeof(x->f));
	assert_int_equal(cyl_framer_init(&x->f, &x->cfg, x->buf, BUF_CAP), 0);
	x->n_units = 0;
	x->consumed = 0;
	x->wire_total = 0;
}

static void record(struct fixture *x, const struct cyl_unit *u)
{
	struct unit_rec *r;

	assert_true(u->len <= x->f.max_len);
	assert_true(u->len <= u->wire_len);
	assert_int_equal(u->truncated, u->len < u->wire_len);
	assert_true(u->wire_len > 0);
	assert_memory_equal(u->data, x->f.buf, u->len);
	switch (u->kind) {
	case CYL_UNIT_FRAME:
		assert_int_equal(u->reason, CYL_BAD_NONE);
		break;
	case CYL_UNIT_BAD:
		assert_in_range(u->reason, CYL_BAD_CHECKSUM, CYL_BAD_LINE_ERROR);
		break;
	case CYL_UNIT_CONTROL:
		assert_int_equal(u->reason, CYL_BAD_NONE);
		assert_int_equal(u->wire_len, 1);
		break;
	default:
		fail_msg("unit kind %u", u->kind);
	}
	x->wire_total += u->wire_len;
	if (x->n_units++ >= MAX_UNITS)
		return;		/* counted and checked, not kept */
	r = &x->units[x->n_units - 1];
	r->kind = u->kind;
	r->reason = u->reason;
	r->truncated = u->truncated;
	r->len = u->len;
	r->wire_len = u->wire_len;
	memcpy(r->data, u->data, u->len);
}

/*
 * Feed @n bytes in calls of at most @chunk bytes (0: as many as there are)
 * at time @now, recording every unit and checking the feed contract.
 */
static void feed_chunks(struct fixture *x, const u8 *p, size_t n,
			const u8 *flags, size_t chunk, u64 now)
{
	struct cyl_unit u;
	bool last_zero = false;
	size_t off = 0, len, used;

	while (off < n) {
		len = chunk && n - off > chunk ? chunk : n - off;
		used = cyl_framer_feed(&x->f, p + off, flags ? flags + off : NULL,
				       len, now, &u);
		assert_true(used <= len);
		if (!used) {
			assert_false(last_zero);	/* progress */
			assert_int_not_equal(u.kind, CYL_UNIT_NONE);
		}
		last_zero = !used;
		if (u.kind == CYL_UNIT_NONE)
			assert_int_equal(used, len);
		else
			record(x, &u);
		off += used;
		x->consumed += used;
		assert_int_equal(x->wire_total + x->f.wire_len, x->consumed);
	}
}

static void feed(struct fixture *x, const u8 *p, size_t n)
{
	feed_chunks(x, p, n, NULL, 0, 0);
}

static void expect(struct fixture *x, size_t i, u8 kind, u8 reason,
		   const u8 *wire, size_t wire_len)
{
	struct unit_rec *r;

	if (i >= x->n_units || i >= MAX_UNITS)
		fail_msg("unit %zu missing: only %zu", i, x->n_units);
	r = &x->units[i];
	if (r->kind != kind || r->reason != reason)
		fail_msg("unit %zu: kind %u reason %s, want kind %u reason %s",
			 i, r->kind, cyl_bad_reason_name(r->reason), kind,
			 cyl_bad_reason_name(reason));
	assert_int_equal(r->wire_len, wire_len);
	if (wire)
		assert_memory_equal(r->data, wire, r->len);
}

static void expect_frame(struct fixture *x, size_t i, const u8 *wire,
			 size_t n)
{
	expect(x, i, CYL_UNIT_FRAME, CYL_BAD_NONE, wire, n);
	assert_int_equal(x->units[i].len, n);
}

static void expect_bad(struct fixture *x, size_t i, u8 reason, const u8 *wire,
		       size_t n)
{
	expect(x, i, CYL_UNIT_BAD, reason, wire, n);
}

/* Feed @p whole and one byte per call: the units must be the same. */
static void feed_both_ways(struct fixture *x, const u8 *p, size_t n,
			   const u8 *flags)
{
	static struct unit_rec whole[MAX_UNITS];
	size_t n_whole, i;

	restart(x);
	feed_chunks(x, p, n, flags, 0, 0);
	n_whole = x->n_units;
	assert_true(n_whole <= MAX_UNITS);
	memcpy(whole, x->units, sizeof(whole[0]) * n_whole);

	restart(x);
	feed_chunks(x, p, n, flags, 1, 0);
	assert_int_equal(x->n_units, n_whole);
	for (i = 0; i < n_whole; i++) {
		assert_int_equal(x->units[i].kind, whole[i].kind);
		assert_int_equal(x->units[i].reason, whole[i].reason);
		assert_int_equal(x->units[i].wire_len, whole[i].wire_len);
		assert_int_equal(x->units[i].len, whole[i].len);
		assert_memory_equal(x->units[i].data, whole[i].data,
				    whole[i].len);
	}
}

/* Build STX fn text end C1 C2 CR LF into @out; returns its length. */
static size_t astm_frame(u8 *out, char fn, const char *text, u8 end,
			 bool lower)
{
	size_t n = 0, i;
	u8 sum;

	out[n++] = CYL_ASCII_STX;
	out[n++] = fn;
	for (i = 0; text[i]; i++)
		out[n++] = text[i];
	out[n++] = end;
	sum = 0;
	for (i = 1; i < n; i++)
		sum += out[i];
	n += sprintf((char *)out + n, lower ? "%02x" : "%02X", sum);
	out[n++] = CYL_ASCII_CR;
	out[n++] = CYL_ASCII_LF;
	return n;
}

/* --- configuration --- */

static void test_cfg_valid_accepts_each_framing(void **state)
{
	struct cyl_serial_cfg cfg = { .max_len = 16 };
	u32 fr;

	for (fr = 0; fr < __CYL_FRAMING_MAX; fr++) {
		cfg.framing = fr;
		cfg.raw_size = fr == CYL_FRAMING_RAW ? 16 : 0;
		assert_int_equal(cyl_serial_cfg_valid(&cfg), 0);
	}
	cfg = (struct cyl_serial_cfg){
		.framing = CYL_FRAMING_RAW, .max_len = CYL_FRAME_LEN_MAX,
		.raw_gap_us = 1, .write_rate = 10, .write_burst = 1,
		.on_bad_frame = CYL_BAD_FRAME_DROP, .read_only = 1,
		.inspect = 1, .write_check = 1,
	};
	assert_int_equal(cyl_serial_cfg_valid(&cfg), 0);
}

static void test_cfg_valid_rejects_each_bad_field(void **state)
{
	const struct cyl_serial_cfg good = {
		.framing = CYL_FRAMING_LINES, .max_len = 256, .delimiter = '\r',
	};
	struct cyl_serial_cfg c[14];
	size_t i;

	for (i = 0; i < 14; i++)
		c[i] = good;
	c[0].framing = __CYL_FRAMING_MAX;
	c[1].max_len = CYL_FRAME_LEN_MIN - 1;
	c[2].max_len = CYL_FRAME_LEN_MAX + 1;
	c[3].raw_size = 257;
	c[4].framing = CYL_FRAMING_RAW;		/* neither size nor gap */
	c[5].on_bad_frame = 2;
	c[6].read_only = 2;
	c[7].inspect = 2;
	c[8].write_check = 2;
	c[9].pad[0] = 1;
	c[10].pad[2] = 1;
	c[11].write_rate = 5;			/* burst 0 */
	c[12].framing = CYL_FRAMING_RAW;
	c[12].raw_size = 300;
	c[13].max_len = 0;
	for (i = 0; i < 14; i++) {
		if (cyl_serial_cfg_valid(&c[i]) != -22)
			fail_msg("bad cfg %zu accepted", i);
	}
	assert_int_equal(cyl_serial_cfg_valid(&good), 0);
}

static void test_framer_init_rejects_small_buffer(void **state)
{
	struct fixture *x = *state;
	struct cyl_serial_cfg cfg = {
		.framing = CYL_FRAMING_LINES, .max_len = 64, .delimiter = '\n',
	};

	assert_int_equal(cyl_framer_init(&x->f, &cfg, x->buf, 63), -22);
	assert_int_equal(cyl_framer_init(&x->f, &cfg, NULL, 64), -22);
	cfg.max_len = 8;
	assert_int_equal(cyl_framer_init(&x->f, &cfg, x->buf, 64), -22);
	cfg.max_len = 64;
	assert_int_equal(cyl_framer_init(&x->f, &cfg, x->buf, 64), 0);
}

static void test_write_allow_valid(void **state)
{
	struct cyl_write_allow a[CYL_ALLOW_MAX + 1];
	size_t i;

	memset(a, 0, sizeof(a));
	for (i = 0; i < CYL_ALLOW_MAX + 1; i++) {
		a[i].kind = CYL_ALLOW_PREFIX;
		a[i].len = 1 + i % CYL_ALLOW_PREFIX_MAX;
	}
	a[1].kind = CYL_ALLOW_CONTROL;
	a[1].len = 1;
	assert_int_equal(cyl_write_allow_valid(a, CYL_ALLOW_MAX), 0);
	assert_int_equal(cyl_write_allow_valid(a, CYL_ALLOW_MAX + 1), -22);
	assert_int_equal(cyl_write_allow_valid(NULL, 0), 0);
	assert_int_equal(cyl_write_allow_valid(NULL, 1), -22);

	a[2].len = 0;
	assert_int_equal(cyl_write_allow_valid(a, 4), -22);
	a[2].len = CYL_ALLOW_PREFIX_MAX + 1;
	assert_int_equal(cyl_write_allow_valid(a, 4), -22);
	a[2].len = CYL_ALLOW_PREFIX_MAX;
	assert_int_equal(cyl_write_allow_valid(a, 4), 0);
	a[1].len = 2;				/* CONTROL is one byte */
	assert_int_equal(cyl_write_allow_valid(a, 4), -22);
	a[1].len = 1;
	a[3].kind = 2;
	assert_int_equal(cyl_write_allow_valid(a, 4), -22);
	a[3].kind = CYL_ALLOW_PREFIX;
	a[3].pad[1] = 1;
	assert_int_equal(cyl_write_allow_valid(a, 4), -22);
}

static void test_names_short_and_unknown(void **state)
{
	assert_string_equal(cyl_bad_reason_name(CYL_BAD_CHECKSUM), "checksum");
	assert_string_equal(cyl_bad_reason_name(CYL_BAD_STRUCTURE), "structure");
	assert_string_equal(cyl_bad_reason_name(CYL_BAD_OVERLENGTH), "overlength");
	assert_string_equal(cyl_bad_reason_name(CYL_BAD_TRUNCATED), "truncated");
	assert_string_equal(cyl_bad_reason_name(CYL_BAD_OUTSIDE), "outside");
	assert_string_equal(cyl_bad_reason_name(CYL_BAD_LINE_ERROR), "line_error");
	assert_string_equal(cyl_bad_reason_name(CYL_BAD_NONE), "unknown");
	assert_string_equal(cyl_bad_reason_name(__CYL_BAD_MAX), "unknown");
	assert_string_equal(cyl_refuse_reason_name(CYL_REFUSE_READ_ONLY), "read_only");
	assert_string_equal(cyl_refuse_reason_name(CYL_REFUSE_NOT_ALLOWED), "not_allowed");
	assert_string_equal(cyl_refuse_reason_name(CYL_REFUSE_RATE), "rate");
	assert_string_equal(cyl_refuse_reason_name(99), "unknown");
	assert_string_equal(cyl_framing_name(CYL_FRAMING_RAW), "raw");
	assert_string_equal(cyl_framing_name(CYL_FRAMING_LINES), "lines");
	assert_string_equal(cyl_framing_name(CYL_FRAMING_ASTM), "astm");
	assert_string_equal(cyl_framing_name(CYL_FRAMING_MLLP), "mllp");
	assert_string_equal(cyl_framing_name(__CYL_FRAMING_MAX), "unknown");
	assert_string_equal(cyl_framing_name(~0U), "unknown");
}

/* --- lines --- */

static void test_lines_unit_ends_with_delimiter(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_LINES, 64);
	feed(x, S("T=36.6\nHR=72\n\nSpO2="));
	assert_int_equal(x->n_units, 3);
	expect_frame(x, 0, S("T=36.6\n"));
	expect_frame(x, 1, S("HR=72\n"));
	expect_frame(x, 2, S("\n"));
	assert_true(cyl_framer_pending(&x->f));
	feed(x, S("98\n"));
	expect_frame(x, 3, S("SpO2=98\n"));
	assert_false(cyl_framer_pending(&x->f));
}

static void test_lines_other_delimiter(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_LINES, 64);
	x->cfg.delimiter = '\r';
	restart(x);
	feed(x, S("A\nB\rC"));
	assert_int_equal(x->n_units, 1);
	expect_frame(x, 0, S("A\nB\r"));
}

static void test_lines_max_len_line_is_good(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_LINES, 16);
	feed(x, S("0123456789abcde\n"));		/* 16 bytes */
	assert_int_equal(x->n_units, 1);
	expect_frame(x, 0, S("0123456789abcde\n"));
}

static void test_lines_overlength_discarded_to_delimiter(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_LINES, 16);
	feed(x, S("0123456789abcdef0123456789"));
	assert_int_equal(x->n_units, 0);		/* still discarding */
	feed(x, S("XYZ\nok\n"));
	assert_int_equal(x->n_units, 2);
	expect_bad(x, 0, CYL_BAD_OVERLENGTH, (const u8 *)"0123456789abcdef", 30);
	assert_int_equal(x->units[0].len, 16);
	assert_true(x->units[0].truncated);
	expect_frame(x, 1, S("ok\n"));
	assert_false(x->units[1].truncated);
}

static void test_lines_line_error_flag_makes_unit_bad(void **state)
{
	struct fixture *x = *state;
	const u8 flags[10] = { [5] = 2 };	/* TTY_FRAME on 'x' */

	start(x, CYL_FRAMING_LINES, 64);
	feed_chunks(x, (const u8 *)"ok\nabx\nok\n", 10, flags, 0, 0);
	assert_int_equal(x->n_units, 3);
	expect_frame(x, 0, S("ok\n"));
	expect_bad(x, 1, CYL_BAD_LINE_ERROR, S("abx\n"));
	expect_frame(x, 2, S("ok\n"));
}

static void test_lines_first_reason_kept(void **state)
{
	struct fixture *x = *state;
	u8 data[40], flags[40];

	/* A line error before overlength: line_error. */
	start(x, CYL_FRAMING_LINES, 16);
	memset(data, 'a', sizeof(data));
	memset(flags, 0, sizeof(flags));
	data[39] = '\n';
	flags[3] = 1;
	feed_chunks(x, data, 40, flags, 0, 0);
	expect_bad(x, 0, CYL_BAD_LINE_ERROR, data, 40);

	/* Overlength before a line error: overlength. */
	restart(x);
	flags[3] = 0;
	flags[30] = 1;
	feed_chunks(x, data, 40, flags, 0, 0);
	expect_bad(x, 0, CYL_BAD_OVERLENGTH, data, 40);
}

static void test_lines_bytewise_same_as_whole(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_LINES, 16);
	feed_both_ways(x, S("a\nbb\n0123456789abcdefXYZ\n\n\nrest"), NULL);
	assert_int_equal(x->n_units, 5);
}

/* --- ASTM E1381 --- */

/* Frames from public LIS interface examples; checksums verified. */
static void test_astm_published_frames_good(void **state)
{
	static const u8 h1[] =
		STX "1H|\\^&|||LIS sim|||||||P|NCCLS LIS2-A|20120829151825"
		CR ETX "3F" CR LF;
	static const u8 h2[] =
		STX "1H|\\^&|||^^||||||ASCII|PR|1394-97|20180120110408"
		CR ETX "A6" CR LF;
	static const u8 r1[] =
		STX "4R|1|TP^TP1I|^+|ResultUnit1|||+|F||||20171019114059|"
		CR ETX "46" CR LF;
	static const u8 l1[] = STX "7L|1|N" CR ETB "1E" CR LF;
	struct fixture *x = *state;

	start(x, CYL_FRAMING_ASTM, 256);
	feed(x, h1, sizeof(h1) - 1);
	feed(x, h2, sizeof(h2) - 1);
	feed(x, r1, sizeof(r1) - 1);
	feed(x, l1, sizeof(l1) - 1);
	assert_int_equal(x->n_units, 4);
	expect_frame(x, 0, h1, sizeof(h1) - 1);
	expect_frame(x, 1, h2, sizeof(h2) - 1);
	expect_frame(x, 2, r1, sizeof(r1) - 1);
	expect_frame(x, 3, l1, sizeof(l1) - 1);
}

static void test_astm_checksum_either_case(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_ASTM, 256);
	feed(x, S(STX "1H|\\^&|||LIS sim|||||||P|NCCLS LIS2-A|20120829151825"
		  CR ETX "3f" CR LF
		  STX "1H|\\^&|||^^||||||ASCII|PR|1394-97|20180120110408"
		  CR ETX "a6" CR LF));
	assert_int_equal(x->n_units, 2);
	expect_frame(x, 0, NULL, 59);
	expect_frame(x, 1, NULL, 55);
}

static void test_astm_session_with_controls(void **state)
{
	struct fixture *x = *state;
	u8 data[512], fr[256];
	size_t n = 0, h, p;

	start(x, CYL_FRAMING_ASTM, 256);
	data[n++] = CYL_ASCII_ENQ;
	h = astm_frame(fr, '1', "H|\\^&|||cobas^1|||||host|TSREQ^REAL|P|1\r",
		       CYL_ASCII_ETX, false);
	memcpy(data + n, fr, h);
	n += h;
	data[n++] = CYL_ASCII_ACK;
	p = astm_frame(fr, '2', "P|1||PID4711||Doe^Jane||19700101|F\r",
		       CYL_ASCII_ETX, true);		/* lower-case checksum */
	memcpy(data + n, fr, p);
	n += p;
	data[n++] = CYL_ASCII_NAK;
	data[n++] = CYL_ASCII_EOT;

	feed_both_ways(x, data, n, NULL);
	assert_int_equal(x->n_units, 6);
	expect(x, 0, CYL_UNIT_CONTROL, CYL_BAD_NONE, S(ENQ));
	expect_frame(x, 1, data + 1, h);
	expect(x, 2, CYL_UNIT_CONTROL, CYL_BAD_NONE, S(ACK));
	expect_frame(x, 3, data + 2 + h, p);
	expect(x, 4, CYL_UNIT_CONTROL, CYL_BAD_NONE, S(NAK));
	expect(x, 5, CYL_UNIT_CONTROL, CYL_BAD_NONE, S(EOT));
}

static void test_astm_intermediate_frame_etb(void **state)
{
	struct fixture *x = *state;
	u8 fr[64];
	size_t n;

	start(x, CYL_FRAMING_ASTM, 64);
	n = astm_frame(fr, '0', "R|1|^^^GLU|5.5|mmol/L", CYL_ASCII_ETB, false);
	feed(x, fr, n);
	expect_frame(x, 0, fr, n);
}

static void test_astm_bad_checksum_flagged(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_ASTM, 64);
	feed(x, S(STX "7L|1|N" CR ETB "1F" CR LF STX "7L|1|N" CR ETB "1e" CR LF));
	assert_int_equal(x->n_units, 2);
	expect_bad(x, 0, CYL_BAD_CHECKSUM, S(STX "7L|1|N" CR ETB "1F" CR LF));
	expect_frame(x, 1, S(STX "7L|1|N" CR ETB "1e" CR LF));
}

static void test_astm_bad_frame_number_skips_to_lf(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_ASTM, 64);
	feed(x, S(STX "8L|1|N" CR ETB "1F" CR LF ENQ));
	assert_int_equal(x->n_units, 2);
	expect_bad(x, 0, CYL_BAD_STRUCTURE, S(STX "8L|1|N" CR ETB "1F" CR LF));
	expect(x, 1, CYL_UNIT_CONTROL, CYL_BAD_NONE, S(ENQ));

	/* An LF in place of the frame number ends the frame there. */
	restart(x);
	feed(x, S(STX LF "7L"));
	expect_bad(x, 0, CYL_BAD_STRUCTURE, S(STX LF));
	assert_int_equal(x->f.wire_len, 2);		/* "7L": outside */
}

static void test_astm_non_hex_checksum_is_structure(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_ASTM, 64);
	feed(x, S(STX "7L|1|N" CR ETB "1G" CR LF STX "7L|1|N" CR ETB "x"));
	assert_int_equal(x->n_units, 1);
	expect_bad(x, 0, CYL_BAD_STRUCTURE, S(STX "7L|1|N" CR ETB "1G" CR LF));
	feed(x, S("E" CR LF));
	expect_bad(x, 1, CYL_BAD_STRUCTURE, S(STX "7L|1|N" CR ETB "xE" CR LF));
}

static void test_astm_wrong_trailer_is_structure(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_ASTM, 64);
	/* LF without CR: the LF still ends the frame. */
	feed(x, S(STX "7L|1|N" CR ETB "1E" LF));
	expect_bad(x, 0, CYL_BAD_STRUCTURE, S(STX "7L|1|N" CR ETB "1E" LF));
	/* CR CR LF: skipped to the LF, one bad unit. */
	feed(x, S(STX "7L|1|N" CR ETB "1E" CR CR LF));
	expect_bad(x, 1, CYL_BAD_STRUCTURE, S(STX "7L|1|N" CR ETB "1E" CR CR LF));
	/* Junk for the LF: skipped up to the next frame, not included. */
	feed(x, S(STX "7L|1|N" CR ETB "1E" CR "zz" STX));
	assert_int_equal(x->n_units, 3);
	expect_bad(x, 2, CYL_BAD_STRUCTURE, S(STX "7L|1|N" CR ETB "1E" CR "zz"));
	assert_int_equal(x->f.wire_len, 1);		/* the STX */
}

static void test_astm_stx_inside_frame_truncates_unconsumed(void **state)
{
	struct fixture *x = *state;
	static const u8 in[] = STX "1H|\\^&" STX "1H";
	struct cyl_unit u;
	size_t used;

	start(x, CYL_FRAMING_ASTM, 64);
	used = cyl_framer_feed(&x->f, in, NULL, 7, 0, &u);
	assert_int_equal(used, 7);
	assert_int_equal(u.kind, CYL_UNIT_NONE);
	used = cyl_framer_feed(&x->f, in + 7, NULL, 3, 0, &u);
	assert_int_equal(used, 0);			/* STX left */
	assert_int_equal(u.kind, CYL_UNIT_BAD);
	assert_int_equal(u.reason, CYL_BAD_TRUNCATED);
	assert_int_equal(u.wire_len, 7);
	assert_memory_equal(u.data, in, 7);
	used = cyl_framer_feed(&x->f, in + 7, NULL, 3, 0, &u);
	assert_int_equal(used, 3);
	assert_int_equal(u.kind, CYL_UNIT_NONE);
}

static void test_astm_enq_eot_inside_frame_truncate(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_ASTM, 64);
	feed(x, S(STX "1H|" ENQ STX "2P|1" CR ETX "3" EOT ACK));
	assert_int_equal(x->n_units, 5);
	expect_bad(x, 0, CYL_BAD_TRUNCATED, S(STX "1H|"));
	expect(x, 1, CYL_UNIT_CONTROL, CYL_BAD_NONE, S(ENQ));
	expect_bad(x, 2, CYL_BAD_TRUNCATED, S(STX "2P|1" CR ETX "3"));
	expect(x, 3, CYL_UNIT_CONTROL, CYL_BAD_NONE, S(EOT));
	expect(x, 4, CYL_UNIT_CONTROL, CYL_BAD_NONE, S(ACK));
}

static void test_astm_ack_nak_inside_frame_are_text(void **state)
{
	struct fixture *x = *state;
	u8 fr[32];
	size_t n;

	start(x, CYL_FRAMING_ASTM, 64);
	n = astm_frame(fr, '3', "a" ACK "b" NAK, CYL_ASCII_ETX, false);
	feed(x, fr, n);
	assert_int_equal(x->n_units, 1);
	expect_frame(x, 0, fr, n);
}

static void test_astm_outside_junk_until_frame(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_ASTM, 64);
	feed(x, S("junk" CR LF ENQ "more" STX "1L|1|N" CR ETX "04" CR LF
		  "x" EOT));
	assert_int_equal(x->n_units, 6);
	expect_bad(x, 0, CYL_BAD_OUTSIDE, S("junk" CR LF));
	expect(x, 1, CYL_UNIT_CONTROL, CYL_BAD_NONE, S(ENQ));
	expect_bad(x, 2, CYL_BAD_OUTSIDE, S("more"));
	expect_frame(x, 3, S(STX "1L|1|N" CR ETX "04" CR LF));
	expect_bad(x, 4, CYL_BAD_OUTSIDE, S("x"));
	expect(x, 5, CYL_UNIT_CONTROL, CYL_BAD_NONE, S(EOT));
}

static void test_astm_outside_junk_split_at_max_len(void **state)
{
	struct fixture *x = *state;
	u8 junk[40];

	start(x, CYL_FRAMING_ASTM, 16);
	memset(junk, 'j', sizeof(junk));
	feed(x, junk, sizeof(junk));
	assert_int_equal(x->n_units, 2);
	expect_bad(x, 0, CYL_BAD_OUTSIDE, junk, 16);
	expect_bad(x, 1, CYL_BAD_OUTSIDE, junk, 16);
	assert_false(x->units[0].truncated);
	assert_int_equal(x->f.wire_len, 8);
}

static void test_astm_overlength_resyncs_at_lf(void **state)
{
	struct fixture *x = *state;
	u8 fr[64];
	size_t n;

	start(x, CYL_FRAMING_ASTM, 16);
	n = astm_frame(fr, '1', "O|1|SID123||^^^GLU", CYL_ASCII_ETX, false);
	feed(x, fr, n);
	feed(x, S(STX "2L|1" CR ETX "3b" CR LF));
	assert_int_equal(x->n_units, 2);
	expect_bad(x, 0, CYL_BAD_OVERLENGTH, fr, n);
	assert_int_equal(x->units[0].len, 16);
	assert_true(x->units[0].truncated);
	expect_frame(x, 1, S(STX "2L|1" CR ETX "3b" CR LF));
}

static void test_astm_overlength_frame_parsed_to_its_end(void **state)
{
	struct fixture *x = *state;
	u8 fr[64];
	size_t n;

	/* An LF in the text (not E1381, but seen) does not end it early. */
	start(x, CYL_FRAMING_ASTM, 16);
	n = astm_frame(fr, '1', "C|1|long comment" LF "more", CYL_ASCII_ETX,
		       false);
	feed(x, fr, n);
	assert_int_equal(x->n_units, 1);
	expect_bad(x, 0, CYL_BAD_OVERLENGTH, fr, n);
	assert_false(cyl_framer_pending(&x->f));
}

static void test_astm_overlength_resyncs_at_next_stx(void **state)
{
	struct fixture *x = *state;
	u8 fr[64];
	size_t n;

	start(x, CYL_FRAMING_ASTM, 16);
	feed(x, S(STX "1O|1|SID123||^^^GLU^^^"));	/* no end */
	n = astm_frame(fr, '2', "L|1|N", CYL_ASCII_ETX, false);
	feed(x, fr, n);
	assert_int_equal(x->n_units, 2);
	expect_bad(x, 0, CYL_BAD_OVERLENGTH, S(STX "1O|1|SID123||^^^GLU^^^"));
	expect_frame(x, 1, fr, n);
}

static void test_astm_frame_of_max_len_is_good(void **state)
{
	struct fixture *x = *state;
	u8 fr[64];
	size_t n;

	start(x, CYL_FRAMING_ASTM, 16);
	n = astm_frame(fr, '1', "L|1|N|xyz", CYL_ASCII_ETX, false);
	assert_int_equal(n, 16);
	feed(x, fr, n);
	expect_frame(x, 0, fr, n);
}

static void test_astm_line_error_kept_before_checksum(void **state)
{
	struct fixture *x = *state;
	static const u8 in[] = STX "7L|1|N" CR ETB "00" CR LF;
	u8 flags[sizeof(in)] = { 0 };

	start(x, CYL_FRAMING_ASTM, 64);
	flags[3] = 4;			/* TTY_PARITY on '|' */
	feed_chunks(x, in, sizeof(in) - 1, flags, 0, 0);
	expect_bad(x, 0, CYL_BAD_LINE_ERROR, in, sizeof(in) - 1);

	/* A flagged control byte is a bad one-byte unit. */
	restart(x);
	flags[0] = 1;
	feed_chunks(x, S(ENQ), flags, 0, 0);
	expect_bad(x, 0, CYL_BAD_LINE_ERROR, S(ENQ));
}

static void test_astm_truncating_byte_flag_goes_to_next_unit(void **state)
{
	struct fixture *x = *state;
	static const u8 in[] = STX "1H|" EOT;
	const u8 flags[5] = { 0, 0, 0, 0, 1 };

	start(x, CYL_FRAMING_ASTM, 64);
	feed_chunks(x, in, 5, flags, 0, 0);
	assert_int_equal(x->n_units, 2);
	expect_bad(x, 0, CYL_BAD_TRUNCATED, in, 4);
	expect_bad(x, 1, CYL_BAD_LINE_ERROR, S(EOT));
}

static void test_astm_bytewise_same_as_whole(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_ASTM, 32);
	feed_both_ways(x, S("zz" ENQ STX "1H|\\^&" CR ETX "ab" CR LF
			    STX "2P|1|0123456789012345678901234567890" CR ETX
			    "00" CR LF STX "3" STX "9" EOT
			    STX "7L|1|N" CR ETB "1E" CR LF "tail"), NULL);
	assert_int_equal(x->n_units, 8);
}

/* --- MLLP (HL7) --- */

#define ORU_R01 \
	"MSH|^~\\&|MONITOR|ICU-3|LIS|HOSP|20240115083000||ORU^R01|MSG00017|P|2.5\r" \
	"PID|1||555-44-4444^^^HOSP^MR||DOE^JANE^Q||19620320|F\r" \
	"PV1|1|I|ICU^3^1\r" \
	"OBR|1|845439^MON|1045813^LIS|8867-4^Heart rate^LN|||20240115082955\r" \
	"OBX|1|NM|8867-4^Heart rate^LN||72|/min|60-100|N|||F\r" \
	"OBX|2|NM|59408-5^SpO2^LN||97|%|94-100|N|||F\r"

static void test_mllp_hl7_oru_r01_message(void **state)
{
	struct fixture *x = *state;
	static const u8 msg[] = VT ORU_R01 FS CR;

	start(x, CYL_FRAMING_MLLP, 1024);
	feed_both_ways(x, msg, sizeof(msg) - 1, NULL);
	assert_int_equal(x->n_units, 1);
	expect_frame(x, 0, msg, sizeof(msg) - 1);
}

static void test_mllp_vt_inside_message_truncates(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_MLLP, 256);
	feed(x, S(VT "MSH|^~\\&|A" VT "MSH|^~\\&|B" FS CR));
	assert_int_equal(x->n_units, 2);
	expect_bad(x, 0, CYL_BAD_TRUNCATED, S(VT "MSH|^~\\&|A"));
	expect_frame(x, 1, S(VT "MSH|^~\\&|B" FS CR));

	/* After FS too: the VT starts the next message. */
	feed(x, S(VT "MSH|C" FS VT "MSH|D" FS CR));
	assert_int_equal(x->n_units, 4);
	expect_bad(x, 2, CYL_BAD_TRUNCATED, S(VT "MSH|C" FS));
	expect_frame(x, 3, S(VT "MSH|D" FS CR));
}

static void test_mllp_fs_without_cr_is_structure(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_MLLP, 256);
	feed(x, S(VT "MSH|A" FS LF VT "MSH|B" FS CR));
	assert_int_equal(x->n_units, 2);
	expect_bad(x, 0, CYL_BAD_STRUCTURE, S(VT "MSH|A" FS LF));
	expect_frame(x, 1, S(VT "MSH|B" FS CR));
}

static void test_mllp_outside_bytes_until_vt(void **state)
{
	struct fixture *x = *state;
	u8 junk[20];

	start(x, CYL_FRAMING_MLLP, 16);
	feed(x, S(CR LF "noise" VT "MSH|A" FS CR CR LF));
	assert_int_equal(x->n_units, 2);
	expect_bad(x, 0, CYL_BAD_OUTSIDE, S(CR LF "noise"));
	expect_frame(x, 1, S(VT "MSH|A" FS CR));
	assert_int_equal(x->f.wire_len, 2);

	restart(x);
	memset(junk, '#', sizeof(junk));
	feed(x, junk, sizeof(junk));
	expect_bad(x, 0, CYL_BAD_OUTSIDE, junk, 16);
	assert_int_equal(x->f.wire_len, 4);
}

static void test_mllp_overlength_resyncs_at_fs_cr(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_MLLP, 16);
	feed(x, S(VT "MSH|^~\\&|MONITOR|ICU-3" FS CR VT "MSH|ok" FS CR));
	assert_int_equal(x->n_units, 2);
	expect_bad(x, 0, CYL_BAD_OVERLENGTH,
		   S(VT "MSH|^~\\&|MONITOR|ICU-3" FS CR));
	assert_int_equal(x->units[0].len, 16);
	expect_frame(x, 1, S(VT "MSH|ok" FS CR));
}

static void test_mllp_bytewise_same_as_whole(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_MLLP, 32);
	feed_both_ways(x, S("xx" VT "MSH|1" FS CR VT "MSH|2" VT "MSH|3" FS "y"
			    VT "MSH|0123456789012345678901234567890" FS CR
			    "tail"), NULL);
	assert_int_equal(x->n_units, 5);
}

/* --- raw --- */

static void test_raw_size_frames_every_n_bytes(void **state)
{
	struct fixture *x = *state;
	u8 data[40], flags[40] = { 0 };
	struct cyl_unit u;
	size_t i;

	x->cfg.raw_gap_us = 0;
	start(x, CYL_FRAMING_RAW, 64);
	for (i = 0; i < sizeof(data); i++)
		data[i] = i;
	flags[20] = 8;
	feed_both_ways(x, data, sizeof(data), flags);
	assert_int_equal(x->n_units, 2);
	expect_frame(x, 0, data, 16);
	expect_bad(x, 1, CYL_BAD_LINE_ERROR, data + 16, 16);
	assert_int_equal(x->f.wire_len, 8);
	/* The gap plays no part here. */
	assert_false(cyl_framer_expire(&x->f, ~0ULL, &u));
}

static void test_raw_gap_ends_unit_before_next_byte(void **state)
{
	struct fixture *x = *state;
	struct cyl_unit u;
	size_t used;

	memset(&x->cfg, 0, sizeof(x->cfg));
	x->cfg.raw_gap_us = 1000;			/* 1 ms */
	start(x, CYL_FRAMING_RAW, 64);
	feed_chunks(x, S("abc"), NULL, 0, 10 * MS);
	feed_chunks(x, S("de"), NULL, 0, 11 * MS);	/* exactly the gap */
	assert_int_equal(x->n_units, 0);
	used = cyl_framer_feed(&x->f, (const u8 *)"fg", NULL, 2, 13 * MS, &u);
	assert_int_equal(used, 0);
	assert_int_equal(u.kind, CYL_UNIT_FRAME);
	assert_int_equal(u.wire_len, 5);
	assert_memory_equal(u.data, "abcde", 5);
	used = cyl_framer_feed(&x->f, (const u8 *)"fg", NULL, 2, 13 * MS, &u);
	assert_int_equal(used, 2);
	assert_int_equal(u.kind, CYL_UNIT_NONE);
	assert_true(cyl_framer_pending(&x->f));
}

static void test_raw_gap_expire_emits_pending(void **state)
{
	struct fixture *x = *state;
	struct cyl_unit u;

	memset(&x->cfg, 0, sizeof(x->cfg));
	x->cfg.raw_gap_us = 500;
	start(x, CYL_FRAMING_RAW, 64);
	assert_false(cyl_framer_expire(&x->f, 100 * MS, &u));	/* nothing */
	feed_chunks(x, S("\x01\x02\x03"), NULL, 0, 100 * MS);
	assert_false(cyl_framer_expire(&x->f, 100 * MS + 500000, &u));
	assert_false(cyl_framer_expire(&x->f, 50 * MS, &u));	/* clock back */
	assert_true(cyl_framer_expire(&x->f, 100 * MS + 500001, &u));
	assert_int_equal(u.kind, CYL_UNIT_FRAME);
	assert_int_equal(u.wire_len, 3);
	assert_memory_equal(u.data, "\x01\x02\x03", 3);
	assert_false(cyl_framer_pending(&x->f));
	assert_false(cyl_framer_expire(&x->f, 200 * MS, &u));
}

static void test_raw_gap_max_len_ends_unit(void **state)
{
	struct fixture *x = *state;
	u8 data[40];

	memset(&x->cfg, 0, sizeof(x->cfg));
	x->cfg.raw_gap_us = 1000;
	start(x, CYL_FRAMING_RAW, 16);
	memset(data, 0x55, sizeof(data));
	feed_chunks(x, data, sizeof(data), NULL, 7, 0);
	assert_int_equal(x->n_units, 2);
	expect_frame(x, 0, data, 16);
	expect_frame(x, 1, data, 16);
	assert_int_equal(x->f.wire_len, 8);
}

static void test_expire_false_for_other_framings(void **state)
{
	struct fixture *x = *state;
	struct cyl_unit u;
	u32 fr;

	for (fr = CYL_FRAMING_LINES; fr < __CYL_FRAMING_MAX; fr++) {
		x->cfg.raw_gap_us = 1;
		start(x, fr, 64);
		feed_chunks(x, S("abc"), NULL, 0, 0);
		assert_true(cyl_framer_pending(&x->f));
		assert_false(cyl_framer_expire(&x->f, ~0ULL, &u));
	}
}

/* --- all framings --- */

static u32 rng_next(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void test_feed_always_progresses(void **state)
{
	static const u8 alphabet[] = STX ETX EOT ENQ ACK LF VT CR NAK ETB FS
				     "0123456789ABCDEFabcdef|^\\&HPOLR";
	struct fixture *x = *state;
	u8 data[1500], flags[1500];
	u32 seed = 0x9e3779b9, fr, round;
	size_t i;

	for (round = 0; round < 40; round++) {
		fr = round % __CYL_FRAMING_MAX;
		/* Raw: by size, or by gap (max_len only: time stands still). */
		x->cfg.raw_gap_us = round % 8 == 0 ? 5 : 0;
		start(x, fr, 16 + round * 3);
		for (i = 0; i < sizeof(data); i++) {
			data[i] = alphabet[rng_next(&seed) % (sizeof(alphabet) - 1)];
			flags[i] = rng_next(&seed) % 64 == 0;
		}
		/* feed_chunks() asserts the contract on every call. */
		feed_chunks(x, data, sizeof(data), flags,
			    1 + rng_next(&seed) % 40, 0);
		assert_int_equal(x->consumed, sizeof(data));
	}
}

static void test_reset_forgets_partial_unit(void **state)
{
	struct fixture *x = *state;

	start(x, CYL_FRAMING_ASTM, 64);
	feed(x, S(STX "1H|\\^&"));
	assert_true(cyl_framer_pending(&x->f));
	cyl_framer_reset(&x->f);
	assert_false(cyl_framer_pending(&x->f));
	x->consumed = 0;
	feed(x, S("7L|1|N" CR ETB "1E" CR LF ENQ));
	assert_int_equal(x->n_units, 2);
	expect_bad(x, 0, CYL_BAD_OUTSIDE, S("7L|1|N" CR ETB "1E" CR LF));
	expect(x, 1, CYL_UNIT_CONTROL, CYL_BAD_NONE, S(ENQ));
}

/* White box: a unit is ended before its wire_len could wrap. */
static void test_endless_line_ended_before_wire_len_wraps(void **state)
{
	struct fixture *x = *state;
	struct cyl_unit u;

	start(x, CYL_FRAMING_LINES, 16);
	feed(x, S("0123456789abcdefXYZ"));
	x->f.wire_len = 0xfffffffe;
	assert_int_equal(cyl_framer_feed(&x->f, (const u8 *)"xx", NULL, 2, 0, &u), 1);
	assert_int_equal(u.kind, CYL_UNIT_BAD);
	assert_int_equal(u.reason, CYL_BAD_OVERLENGTH);
	assert_int_equal(u.wire_len, 0xffffffff);
	assert_int_equal(u.len, 16);
}

/* --- write side --- */

struct wfix {
	struct cyl_serial_cfg cfg;
	struct cyl_write_allow allow[8];
	u32 n_allow;
	struct cyl_write_state st;
};

static void wstart(struct wfix *w, u32 framing)
{
	memset(w, 0, sizeof(*w));
	w->cfg.framing = framing;
	w->cfg.max_len = 256;
	w->cfg.raw_size = framing == CYL_FRAMING_RAW ? 16 : 0;
	w->cfg.delimiter = '\n';
	w->cfg.write_check = 1;
}

static void allow_prefix(struct wfix *w, const char *s)
{
	struct cyl_write_allow *a = &w->allow[w->n_allow++];

	a->kind = CYL_ALLOW_PREFIX;
	a->len = strlen(s);
	memcpy(a->bytes, s, a->len);
}

static void allow_control(struct wfix *w, u8 c)
{
	struct cyl_write_allow *a = &w->allow[w->n_allow++];

	a->kind = CYL_ALLOW_CONTROL;
	a->len = 1;
	a->bytes[0] = c;
}

/* Check @p, state unchanged; returns the verdict, the offset in *off. */
static int wcheck(struct wfix *w, const u8 *p, size_t n, size_t *off)
{
	struct cyl_write_state before = w->st;
	int r;

	assert_int_equal(cyl_write_allow_valid(w->allow, w->n_allow), 0);
	*off = 12345;
	r = cyl_write_check(&w->cfg, w->allow, w->n_allow, &w->st, p, n, off);
	assert_memory_equal(&before, &w->st, sizeof(before));
	if (!r)
		assert_int_equal(*off, 0);
	return r;
}

static void wadvance(struct wfix *w, const u8 *p, size_t n)
{
	cyl_write_advance(&w->cfg, w->allow, w->n_allow, &w->st, p, n);
}

#define assert_allowed(w, str) do {					\
	size_t off_;							\
	assert_int_equal(wcheck(w, S(str), &off_), 0);			\
} while (0)

#define assert_refused_at(w, str, at) do {				\
	size_t off_;							\
	assert_int_equal(wcheck(w, S(str), &off_),			\
			 CYL_REFUSE_NOT_ALLOWED);			\
	assert_int_equal(off_, at);					\
} while (0)

static void test_write_read_only_refuses_everything(void **state)
{
	struct wfix w;
	size_t off;

	wstart(&w, CYL_FRAMING_LINES);
	w.cfg.read_only = 1;
	w.cfg.write_check = 0;
	allow_prefix(&w, "GET");
	assert_int_equal(wcheck(&w, S("GET\n"), &off), CYL_REFUSE_READ_ONLY);
	assert_int_equal(off, 0);
	assert_int_equal(wcheck(&w, NULL, 0, &off), 0);
}

static void test_write_check_off_allows_everything(void **state)
{
	struct wfix w;

	wstart(&w, CYL_FRAMING_ASTM);
	w.cfg.write_check = 0;
	assert_allowed(&w, STX "1X|evil" CR ETX "00" CR LF NAK "junk");
	assert_int_equal(cyl_write_check(&w.cfg, NULL, 0, &w.st,
					 (const u8 *)"x", 1, NULL), 0);
}

static void test_write_lines_prefix_allowed_others_refused(void **state)
{
	struct wfix w;

	wstart(&w, CYL_FRAMING_LINES);
	allow_prefix(&w, "GET ");
	allow_prefix(&w, "PING\n");
	assert_allowed(&w, "GET T\nPING\nGET HR\n");
	assert_refused_at(&w, "GET T\nSET T 37\nGET HR\n", 6);
	assert_refused_at(&w, "PING\nPINGX\n", 5);
	assert_refused_at(&w, "\n", 0);		/* empty line: no entry */
	allow_control(&w, '\n');
	assert_allowed(&w, "\nGET T\n\n");
	/* CONTROL covers a one-byte unit only. */
	w.n_allow = 0;
	allow_control(&w, 'G');
	assert_refused_at(&w, "G\n", 0);
	assert_int_equal(cyl_write_check(&w.cfg, w.allow, w.n_allow, &w.st,
					 (const u8 *)"X\n", 2, NULL),
			 CYL_REFUSE_NOT_ALLOWED);	/* bad_off may be NULL */
}

static void test_write_prefix_too_short_in_write_refused(void **state)
{
	struct wfix w;

	wstart(&w, CYL_FRAMING_LINES);
	allow_prefix(&w, "GET ");
	assert_refused_at(&w, "GE", 0);
	assert_refused_at(&w, "GET T\nGE", 6);
	assert_refused_at(&w, "GE\n", 0);		/* a whole line too short */
	assert_allowed(&w, "GET ");			/* the line goes on */
}

static void test_write_continuation_judged_by_beginning(void **state)
{
	struct wfix w;

	wstart(&w, CYL_FRAMING_LINES);
	allow_prefix(&w, "GET ");
	assert_allowed(&w, "GET TEMPERA");
	wadvance(&w, S("GET TEMPERA"));
	assert_allowed(&w, "TURE\nGET HR\n");		/* no prefix needed */
	wadvance(&w, S("TURE\nGET HR\n"));

	/* A refused unit written anyway (audit): its rest is refused too. */
	wadvance(&w, S("SET TEMP"));
	assert_refused_at(&w, "ERATURE 40\n", 0);
	assert_refused_at(&w, "\nGET HR\n", 0);
	wadvance(&w, S("ERATURE 40\n"));
	assert_allowed(&w, "GET HR\n");
}

static void test_write_short_write_keeps_matching(void **state)
{
	struct wfix w;

	wstart(&w, CYL_FRAMING_LINES);
	allow_prefix(&w, "GET ");
	allow_prefix(&w, "GO");
	assert_allowed(&w, "GET HR\n");
	wadvance(&w, S("G"));				/* the tty took 1 byte */
	assert_allowed(&w, "ET HR\n");
	assert_allowed(&w, "O\n");
	assert_refused_at(&w, "EX HR\n", 0);
	assert_refused_at(&w, "E", 0);			/* still no prefix */
	wadvance(&w, S("ET"));
	assert_allowed(&w, " HR\n");
	assert_refused_at(&w, "X HR\n", 0);
}

static void test_write_astm_frames_and_controls(void **state)
{
	struct wfix w;

	wstart(&w, CYL_FRAMING_ASTM);
	allow_prefix(&w, "H|");
	allow_prefix(&w, "Q|1|");
	allow_prefix(&w, "L|1");
	allow_control(&w, CYL_ASCII_ENQ);
	allow_control(&w, CYL_ASCII_EOT);
	allow_control(&w, CYL_ASCII_ACK);
	/* The frame number does not count: payload starts after it. */
	assert_allowed(&w, ENQ STX "1H|\\^&" CR ETX "36" CR LF
		       STX "2Q|1|^SID42" CR ETX "00" CR LF
		       STX "3L|1|N" CR ETX "00" CR LF EOT ACK);
	assert_refused_at(&w, ENQ STX "1H|" CR ETX "00" CR LF
			  STX "2O|1|SID42" CR ETX "00" CR LF EOT, 11);
	assert_refused_at(&w, ENQ NAK, 1);		/* NAK not listed */
	assert_refused_at(&w, "x", 0);			/* outside: one byte */
	assert_refused_at(&w, STX "H|" CR ETX, 0);	/* "|" CR: no match */
	assert_refused_at(&w, STX "1H", 0);		/* prefix incomplete */
	assert_refused_at(&w, STX "1" LF, 0);		/* empty payload */
}

static void test_write_astm_nothing_rides_inside_a_frame(void **state)
{
	struct wfix w;

	wstart(&w, CYL_FRAMING_ASTM);
	allow_prefix(&w, "H|");
	allow_control(&w, CYL_ASCII_ACK);
	assert_refused_at(&w, STX "1H|" STX "2O|1|SID" CR ETX "00" CR LF, 4);
	assert_refused_at(&w, STX "1H|" EOT, 4);
	assert_allowed(&w, STX "1H|" ACK);	/* ACK judged on its own */
	/* A unit cut short before its prefix is complete is refused. */
	assert_refused_at(&w, STX "1H" ACK, 0);
	assert_refused_at(&w, ACK STX "1H" STX "1H|", 1);
	/* Continuation: an allowed frame goes on across writes. */
	wadvance(&w, S(STX "1H|\\^"));
	assert_allowed(&w, "&" CR ETX "00" CR LF);
	assert_refused_at(&w, "&" CR NAK, 2);
}

static void test_write_mllp_messages(void **state)
{
	struct wfix w;

	wstart(&w, CYL_FRAMING_MLLP);
	allow_prefix(&w, "MSH|^~\\&|LIS|");
	assert_allowed(&w, VT "MSH|^~\\&|LIS|HOSP|MON|ICU||ORM^O01" CR FS CR
		       VT "MSH|^~\\&|LIS|X" FS CR);
	assert_refused_at(&w, VT "MSH|^~\\&|LIS|" FS CR CR, 16);
	assert_refused_at(&w, VT "MSH|^~\\&|LIS|" VT "MSH|^~\\&|EVIL|", 14);
	assert_refused_at(&w, VT "MSH|^~\\&|EVIL|" FS CR, 0);
	assert_refused_at(&w, VT "MSH|" VT "MSH|^~\\&|LIS|" FS CR, 0);
	/* A refused message written anyway, then a new one: judged alone. */
	wadvance(&w, S(VT "MSH|^~\\&|EVIL|"));
	assert_refused_at(&w, "x" VT "MSH|^~\\&|LIS|" FS CR, 0);
	assert_allowed(&w, VT "MSH|^~\\&|LIS|" FS CR);
	/* The byte after FS ends the message, whatever it is. */
	assert_refused_at(&w, VT "MSH|^~\\&|LIS|" FS "x" "y", 16);
	allow_control(&w, CYL_ASCII_CR);
	assert_allowed(&w, VT "MSH|^~\\&|LIS|" FS CR CR);
}

static void test_write_raw_each_write_one_unit(void **state)
{
	struct wfix w;

	wstart(&w, CYL_FRAMING_RAW);
	allow_prefix(&w, "AT");
	allow_control(&w, 0x1b);
	assert_allowed(&w, "ATZ\r");
	assert_allowed(&w, "\x1b");
	assert_refused_at(&w, "\x1b\x1b", 0);
	assert_refused_at(&w, "A", 0);
	assert_refused_at(&w, "xAT", 0);
	/* No state carries over: a later write needs its own prefix. */
	wadvance(&w, S("AT"));
	assert_refused_at(&w, "Z\r", 0);
	assert_allowed(&w, "AT+X\r");
}

static void test_write_invalid_entries_never_match(void **state)
{
	struct wfix w;

	wstart(&w, CYL_FRAMING_LINES);
	allow_prefix(&w, "GET");
	w.allow[0].kind = 9;
	assert_int_equal(cyl_write_check(&w.cfg, w.allow, 1, &w.st,
					 (const u8 *)"GET\n", 4, NULL),
			 CYL_REFUSE_NOT_ALLOWED);
	w.allow[0].kind = CYL_ALLOW_PREFIX;
	w.allow[0].len = 0;
	assert_int_equal(cyl_write_check(&w.cfg, w.allow, 1, &w.st,
					 (const u8 *)"GET\n", 4, NULL),
			 CYL_REFUSE_NOT_ALLOWED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cfg_valid_accepts_each_framing),
		cmocka_unit_test(test_cfg_valid_rejects_each_bad_field),
		cmocka_unit_test_setup_teardown(test_framer_init_rejects_small_buffer, setup, teardown),
		cmocka_unit_test(test_write_allow_valid),
		cmocka_unit_test(test_names_short_and_unknown),
		cmocka_unit_test_setup_teardown(test_lines_unit_ends_with_delimiter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lines_other_delimiter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lines_max_len_line_is_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lines_overlength_discarded_to_delimiter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lines_line_error_flag_makes_unit_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lines_first_reason_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lines_bytewise_same_as_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_published_frames_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_checksum_either_case, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_session_with_controls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_intermediate_frame_etb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_bad_checksum_flagged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_bad_frame_number_skips_to_lf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_non_hex_checksum_is_structure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_wrong_trailer_is_structure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_stx_inside_frame_truncates_unconsumed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_enq_eot_inside_frame_truncate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_ack_nak_inside_frame_are_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_outside_junk_until_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_outside_junk_split_at_max_len, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_overlength_resyncs_at_lf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_overlength_frame_parsed_to_its_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_overlength_resyncs_at_next_stx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_frame_of_max_len_is_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_line_error_kept_before_checksum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_truncating_byte_flag_goes_to_next_unit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_astm_bytewise_same_as_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mllp_hl7_oru_r01_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mllp_vt_inside_message_truncates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mllp_fs_without_cr_is_structure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mllp_outside_bytes_until_vt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mllp_overlength_resyncs_at_fs_cr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mllp_bytewise_same_as_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw_size_frames_every_n_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw_gap_ends_unit_before_next_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw_gap_expire_emits_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw_gap_max_len_ends_unit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expire_false_for_other_framings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_always_progresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_forgets_partial_unit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endless_line_ended_before_wire_len_wraps, setup, teardown),
		cmocka_unit_test(test_write_read_only_refuses_everything),
		cmocka_unit_test(test_write_check_off_allows_everything),
		cmocka_unit_test(test_write_lines_prefix_allowed_others_refused),
		cmocka_unit_test(test_write_prefix_too_short_in_write_refused),
		cmocka_unit_test(test_write_continuation_judged_by_beginning),
		cmocka_unit_test(test_write_short_write_keeps_matching),
		cmocka_unit_test(test_write_astm_frames_and_controls),
		cmocka_unit_test(test_write_astm_nothing_rides_inside_a_frame),
		cmocka_unit_test(test_write_mllp_messages),
		cmocka_unit_test(test_write_raw_each_write_one_unit),
		cmocka_unit_test(test_write_invalid_entries_never_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
