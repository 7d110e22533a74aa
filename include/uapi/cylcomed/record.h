/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Sealed records: one per frame the serial guard sees.
 *
 * cylcomed.ko builds the header, seals the frame with AES-256-GCM under the
 * device's record key, with the header (all CYL_REC_HDR_LEN bytes, as they
 * are on the wire) as associated data, and sends header and ciphertext to
 * the agent (CYL_CMD_RECORD).  The agent stores them unchanged in the spool
 * (agent/store/), where `cylctl records verify|open` checks them offline.
 *
 * All multi-byte fields are little-endian on the wire, whatever the host.
 */
#ifndef _UAPI_CYLCOMED_RECORD_H
#define _UAPI_CYLCOMED_RECORD_H

#include <linux/types.h>

#define CYL_REC_MAGIC		0x524c5943	/* the bytes "CYLR" read as __le32 */
#define CYL_REC_VERSION		1
#define CYL_REC_NONCE_LEN	12
#define CYL_REC_TAG_LEN		16
#define CYL_REC_KEY_LEN		32	/* AES-256 */

/* Record flags. */
#define CYL_REC_F_SEALED	0x0001	/* ciphertext + tag follow the header */
#define CYL_REC_F_BAD		0x0002	/* bad frame; reason in bad_reason */
#define CYL_REC_F_DROPPED	0x0004	/* readers did not see it (drop mode) */
#define CYL_REC_F_CONTROL	0x0008	/* a single control byte (ASTM ENQ...) */
#define CYL_REC_F_TX		0x0010	/* host to device (allowed write) */
#define CYL_REC_F_TRUNCATED	0x0020	/* payload cut at max_len */

/*
 * The nonce is 8 bytes drawn from the kernel's CSPRNG when the device's key
 * is set (an "epoch"), then a 4-byte big-endian counter that starts at 0 for
 * every epoch; the module draws a new epoch before the counter wraps.  No
 * state survives a reboot or key reload, so none is trusted: two epochs
 * collide with probability about n^2 / 2^65 after n key loads.
 */
struct cyl_record_hdr {
	__le32 magic;		/* CYL_REC_MAGIC */
	__le16 version;		/* CYL_REC_VERSION */
	__le16 hdr_len;		/* sizeof(struct cyl_record_hdr) */
	__le32 device_id;	/* the agent's id for the device */
	__le32 flags;		/* CYL_REC_F_* */
	__le64 seq;		/* per device, from 1, +1 per record: gaps show loss */
	__le64 ts_ns;		/* CLOCK_REALTIME when the frame completed */
	__le32 len;		/* plaintext payload length */
	__le16 bad_reason;	/* enum cyl_bad_reason */
	__le16 framing;		/* enum cyl_framing */
	__u8 nonce[CYL_REC_NONCE_LEN];
	__le32 key_serial;	/* the keyring key used, 0 when unsealed */
	__le64 reserved;	/* zero */
};

#define CYL_REC_HDR_LEN		64

#endif /* _UAPI_CYLCOMED_RECORD_H */
