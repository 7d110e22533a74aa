/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Framing and write checking for the serial guard.
 *
 * Pure code with no kernel or libc dependency beyond the fixed-width types
 * and memcmp/memcpy: cylcomed.ko builds it, and so do the unit tests, the
 * fuzzer and the agent (tests/fuzz/fuzz_framer.c, tests/unit/test_framer.c)
 * with -DCYL_FRAMER_USERSPACE.  It never allocates and never sleeps: the
 * caller owns every buffer, so it runs in any context.
 *
 * Receive side: cyl_framer_feed() consumes bytes and stops after each byte
 * that completes a "unit": a good frame, a bad frame, or a lone control
 * byte (ASTM ENQ/ACK/NAK/EOT).  When a byte cannot belong to the current
 * unit (an STX inside an ASTM frame, say), the framer ends the current unit
 * as bad (CYL_BAD_TRUNCATED) *without* consuming that byte, so the unit is
 * always exactly the bytes consumed since the previous unit.  (Raw gap
 * framing likewise ends a unit, good, before the first byte after a gap.)
 * The next call then consumes that byte: feeding never stalls.
 *
 * Units by framing (max_len counts every byte of a unit):
 *  raw    raw_size bytes (raw_gap_us is then unused); or, with raw_size 0,
 *         the bytes up to a pause longer than raw_gap_us, or max_len bytes
 *         (cyl_framer_expire() completes a unit that the pause ended).
 *  lines  bytes up to and including the delimiter.
 *  astm   STX FN text ETX|ETB C1 C2 CR LF, FN '0'..'7', C1 C2 the sum of
 *         FN..ETX|ETB mod 256 in hex (either case); outside frames, ENQ,
 *         ACK, NAK and EOT are one-byte control units.
 *  mllp   VT payload FS CR.
 * Bad units, by the first reason seen (a byte's line error counts before
 * what the framing makes of that byte):
 *  - A byte with a non-zero tty flag: CYL_BAD_LINE_ERROR.
 *  - Bytes outside frames (astm, mllp): one CYL_BAD_OUTSIDE unit up to the
 *    next frame start (STX or control byte; VT), not included, or up to
 *    max_len bytes.
 *  - Past max_len (lines, astm, mllp): CYL_BAD_OVERLENGTH; the rest is
 *    still parsed and counted in wire_len but not kept, up to the
 *    delimiter (lines), the frame's LF or the next STX/ENQ/EOT (astm), or
 *    the byte after FS or the next VT (mllp).
 *  - STX, ENQ or EOT inside an astm frame, VT inside an mllp message:
 *    CYL_BAD_TRUNCATED, ended before that byte.
 *  - astm: a checksum that does not match: CYL_BAD_CHECKSUM.  A bad frame
 *    number, a non-hex checksum character, or anything but CR and LF where
 *    they are due: CYL_BAD_STRUCTURE; the frame is then skipped up to and
 *    including the next LF (which may be that very byte), or up to the
 *    next STX/ENQ/EOT, so one damaged frame makes one bad unit.
 *  - mllp: the byte after FS ends the message; anything but CR there is
 *    CYL_BAD_STRUCTURE (that byte is part of the bad unit).
 *
 * Write side: cyl_write_check() says whether a buffer the host writes is
 * made only of allowed units; cyl_write_advance() moves the write state over
 * the bytes that were actually written, so a unit split across writes is
 * judged once, by its beginning.
 */
#ifndef _CYL_FRAMER_H
#define _CYL_FRAMER_H

#ifdef CYL_FRAMER_USERSPACE
#include "util/ktypes.h"	/* agent/: u8..u64, bool, size_t */
#else
#include <linux/types.h>
#include <linux/string.h>
#endif

#include <cylcomed/serial.h>

#define CYL_ASCII_STX	0x02
#define CYL_ASCII_ETX	0x03
#define CYL_ASCII_EOT	0x04
#define CYL_ASCII_ENQ	0x05
#define CYL_ASCII_ACK	0x06
#define CYL_ASCII_LF	0x0a
#define CYL_ASCII_VT	0x0b
#define CYL_ASCII_CR	0x0d
#define CYL_ASCII_NAK	0x15
#define CYL_ASCII_ETB	0x17
#define CYL_ASCII_FS	0x1c

enum cyl_unit_kind {
	CYL_UNIT_NONE,		/* nothing completed yet: feed more */
	CYL_UNIT_FRAME,		/* a good frame */
	CYL_UNIT_BAD,		/* a bad frame; cyl_unit.reason says why */
	CYL_UNIT_CONTROL,	/* one control byte outside frames (ASTM) */
};

/* What cyl_framer_feed() completed. */
struct cyl_unit {
	u8 kind;		/* enum cyl_unit_kind */
	u8 reason;		/* enum cyl_bad_reason, for CYL_UNIT_BAD */
	bool truncated;		/* data holds only the first max_len bytes */
	const u8 *data;		/* the unit's wire bytes, framing included */
	u32 len;		/* bytes in data (<= the framer's cap) */
	u32 wire_len;		/* bytes the unit had on the wire */
};

/* Receive-side framer state of one tty; zero it, then cyl_framer_init(). */
struct cyl_framer {
	u8 framing;		/* enum cyl_framing */
	u8 delimiter;
	u8 state;		/* private */
	u8 sum;			/* private: ASTM running checksum */
	u8 check[2];		/* private: ASTM checksum characters */
	u8 error;		/* private: first enum cyl_bad_reason seen */
	u32 max_len;
	u32 raw_size;
	u64 raw_gap_ns;
	u64 last_ns;		/* private: time of the last byte */
	u8 *buf;		/* caller's buffer of cap >= max_len bytes */
	u32 cap;
	u32 len;		/* private: bytes kept of the current unit */
	u32 wire_len;		/* private: bytes seen of the current unit */
};

/*
 * Set up @f for @cfg over @buf (@cap bytes, at least cfg->max_len).
 * Returns 0 or -22 (EINVAL) if @cfg is not valid (see cyl_serial_cfg_valid()),
 * @buf is NULL or @cap is below cfg->max_len.
 */
int cyl_framer_init(struct cyl_framer *f, const struct cyl_serial_cfg *cfg,
		    u8 *buf, u32 cap);

/* Forget any partial unit, as after a flush of the tty. */
void cyl_framer_reset(struct cyl_framer *f);

/*
 * Consume bytes of @p[0..@n) received at @now_ns (any monotonic clock;
 * only raw gap framing looks at it).  @flags, if not NULL, holds the tty
 * flag byte of each byte (0 = TTY_NORMAL); a byte with a non-zero flag
 * makes its unit bad (CYL_BAD_LINE_ERROR).  Returns the number of bytes
 * consumed, stopping just after the byte that completed a unit, which it
 * describes in @u (u->kind == CYL_UNIT_NONE when all @n were consumed
 * without completing one).  u->data stays valid until the next call.
 * It returns 0 only with a completed unit (or for @n == 0), and the next
 * call consumes at least one byte.  The wire_len of the units completed
 * plus the bytes of the pending one always equal the bytes consumed.
 */
size_t cyl_framer_feed(struct cyl_framer *f, const u8 *p, const u8 *flags,
		       size_t n, u64 now_ns, struct cyl_unit *u);

/*
 * Raw gap framing: if a partial unit has waited longer than the gap at
 * @now_ns, complete it into @u and return true.  False otherwise, and
 * always for the other framings.
 */
bool cyl_framer_expire(struct cyl_framer *f, u64 now_ns, struct cyl_unit *u);

/* True if a partial unit is pending (bytes consumed but not completed). */
bool cyl_framer_pending(const struct cyl_framer *f);

/* Write-side state of one tty; zero-initialised means "between units". */
struct cyl_write_state {
	u8 state;		/* private */
	u8 allowed;		/* private: the current unit's verdict */
	u8 pad[2];
	u32 seen;		/* private: bytes of the current unit so far */
	u64 mask;		/* private: entries the current unit may match */
};

/*
 * Would writing @p[0..@n) after @st be allowed under @cfg and @allow
 * (@n_allow entries)?  Does not change @st.  Returns 0 if every unit that
 * starts in @p matches an entry (and a unit continued from an earlier
 * write was allowed), or a positive enum cyl_refuse_reason; then
 * *@bad_off, if not NULL, is the offset of the first refused unit.
 * read_only refuses everything; write_check == 0 allows everything.
 * A unit whose beginning is shorter than the prefix it would need is
 * refused: a write must carry at least the whole prefix.
 *
 * Units and their payload, by framing:
 *  raw    each write is one unit; payload: all of it.
 *  lines  bytes up to and including the delimiter; payload: all of them.
 *  astm   STX starts a unit that ends with LF; payload: what follows STX
 *         and the frame number.  STX, ENQ, EOT, ACK or NAK inside it ends
 *         it and starts a unit of its own (a frame never contains them,
 *         so nothing can ride inside an allowed frame).  Any other byte
 *         outside a frame is a one-byte unit.
 *  mllp   VT starts a unit that ends with the byte after FS (CR); payload:
 *         what follows VT.  VT inside it ends it and starts the next one.
 *         Any other byte outside a message is a one-byte unit.
 * A unit is allowed if the first len bytes of its payload equal a
 * CYL_ALLOW_PREFIX entry's, or if it is exactly one byte that equals a
 * CYL_ALLOW_CONTROL entry's.  Entries are candidates by index, so pass
 * the same @allow to every call for one tty (or zero @st after a change).
 * A unit whose beginning was written without its whole prefix (a short
 * write of a checked buffer) is matched on with the bytes of the next
 * write, as if it had come in one piece.  A unit continued from an
 * earlier write that the first byte of @p ends (a VT, an STX...) has no
 * byte in @p and is not judged again.
 */
int cyl_write_check(const struct cyl_serial_cfg *cfg,
		    const struct cyl_write_allow *allow, u32 n_allow,
		    const struct cyl_write_state *st, const u8 *p, size_t n,
		    size_t *bad_off);

/*
 * Move @st over @p[0..@n), bytes that were written: all or the start of
 * what cyl_write_check() saw, or bytes it refused but the policy let pass.
 */
void cyl_write_advance(const struct cyl_serial_cfg *cfg,
		       const struct cyl_write_allow *allow, u32 n_allow,
		       struct cyl_write_state *st, const u8 *p, size_t n);

/* 0 if @cfg is a valid configuration, else -22 (EINVAL). */
int cyl_serial_cfg_valid(const struct cyl_serial_cfg *cfg);

/* 0 if the @n entries of @allow are valid, else -22 (EINVAL). */
int cyl_write_allow_valid(const struct cyl_write_allow *allow, u32 n);

/* Short names for logs and events: "checksum", "read_only", "astm"... */
const char *cyl_bad_reason_name(unsigned int reason);
const char *cyl_refuse_reason_name(unsigned int reason);
const char *cyl_framing_name(unsigned int framing);

#endif /* _CYL_FRAMER_H */
