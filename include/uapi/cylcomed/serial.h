/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The serial guard's per-device settings, as the agent pushes them to
 * cylcomed.ko (CYL_A_SERIAL_CFG, CYL_A_WRITE_ALLOW) and as the framer
 * library (kmod/framer.c, also built in userspace for tests and fuzzers)
 * reads them.
 */
#ifndef _UAPI_CYLCOMED_SERIAL_H
#define _UAPI_CYLCOMED_SERIAL_H

#include <linux/types.h>

/* Line discipline number by default: N_DEVELOPMENT. */
#define CYL_LDISC_DEFAULT	29

enum cyl_framing {
	CYL_FRAMING_RAW,	/* fixed size (raw_size) or inter-byte gap */
	CYL_FRAMING_LINES,	/* up to and including "delimiter" */
	CYL_FRAMING_ASTM,	/* ASTM E1381: STX FN text ETX|ETB C1 C2 CR LF */
	CYL_FRAMING_MLLP,	/* HL7 MLLP: VT payload FS CR */
	__CYL_FRAMING_MAX,
};

enum cyl_on_bad_frame {
	CYL_BAD_FRAME_PASS,	/* count and report; readers still see it */
	CYL_BAD_FRAME_DROP,	/* count and report; readers never see it */
};

#define CYL_FRAME_LEN_MIN	16
#define CYL_FRAME_LEN_MAX	65536	/* largest max_len a device may set */
#define CYL_ALLOW_MAX		64	/* write allowlist entries per device */
#define CYL_ALLOW_PREFIX_MAX	32

/*
 * Settings of one guarded tty (CYL_A_SERIAL_CFG, exactly this size).
 * Every field is checked by the module; unknown flag bits are refused.
 */
struct cyl_serial_cfg {
	__u32 framing;		/* enum cyl_framing */
	__u32 max_len;		/* frame bytes including framing, 16..65536 */
	__u32 raw_size;		/* raw: a frame every raw_size bytes, 0: by gap */
	__u32 raw_gap_us;	/* raw: a pause this long ends a frame */
	__u32 write_rate;	/* writes per second, 0: unlimited */
	__u32 write_burst;	/* writes allowed at once (token bucket depth) */
	__u8 delimiter;		/* lines: the byte that ends a line */
	__u8 on_bad_frame;	/* enum cyl_on_bad_frame */
	__u8 read_only;		/* 1: every host-to-device write is refused */
	__u8 inspect;		/* 1: records carry the plaintext as well */
	__u8 write_check;	/* 1: writes must match the allowlist */
	__u8 pad[3];
};

enum cyl_allow_kind {
	CYL_ALLOW_PREFIX,	/* a unit whose payload starts with bytes[0..len) */
	CYL_ALLOW_CONTROL,	/* a unit that is exactly the one byte bytes[0] */
};

/*
 * One write allowlist entry; CYL_A_WRITE_ALLOW carries an array of them.
 * What a "unit" and its "payload" are depends on the framing: see
 * kmod/framer.h (cyl_write_check()).
 */
struct cyl_write_allow {
	__u8 kind;		/* enum cyl_allow_kind */
	__u8 len;		/* 1..CYL_ALLOW_PREFIX_MAX */
	__u8 bytes[CYL_ALLOW_PREFIX_MAX];
	__u8 pad[2];
};

/* Why a frame is bad (records' CYL_REC_F_BAD, bad-frame events). */
enum cyl_bad_reason {
	CYL_BAD_NONE,
	CYL_BAD_CHECKSUM,	/* ASTM checksum does not match */
	CYL_BAD_STRUCTURE,	/* a byte where the framing forbids it */
	CYL_BAD_OVERLENGTH,	/* longer than max_len (the rest is not kept) */
	CYL_BAD_TRUNCATED,	/* a new frame or a control byte cut it short */
	CYL_BAD_OUTSIDE,	/* bytes outside any frame */
	CYL_BAD_LINE_ERROR,	/* parity, framing or overrun error from the UART */
	__CYL_BAD_MAX,
};

/* Why a write was refused (write-refused events). */
enum cyl_refuse_reason {
	CYL_REFUSE_NONE,
	CYL_REFUSE_READ_ONLY,	/* the device is read_only */
	CYL_REFUSE_NOT_ALLOWED,	/* a unit matches no allowlist entry */
	CYL_REFUSE_RATE,	/* over the write rate limit */
	__CYL_REFUSE_MAX,
};

/* Per-device counters (CYL_CMD_GET_STATS, CYL_A_STATS: exactly this size). */
struct cyl_serial_stats {
	__u64 rx_bytes;
	__u64 rx_frames;	/* good frames and control units */
	__u64 rx_bad_frames;
	__u64 rx_dropped_frames;	/* bad frames that readers did not see */
	__u64 tx_bytes;		/* host-to-device bytes let through */
	__u64 tx_writes;
	__u64 tx_refused;	/* refused writes */
	__u64 records;		/* records queued */
	__u64 records_dropped;	/* oldest records dropped: the queue was full */
	__u64 records_unsealed;	/* records sent without a key (header only) */
	__u64 events_dropped;	/* events that could not be sent */
};

#endif /* _UAPI_CYLCOMED_SERIAL_H */
