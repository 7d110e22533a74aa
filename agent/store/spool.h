/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record spool: an append-only directory of segment files that
 * holds the sealed records cylcomed.ko sends, unchanged.  No daemon
 * state; the caller drives the fsync timer with cyl_spool_tick().
 *
 * Each segment "seg-<16 hex digits>.cyls" is a file header, then frames:
 * length (u32 LE), the record, CRC-32 of length and record (u32 LE).
 * Documentation/spool.md has the byte layout.
 *
 * Writing: one writer per directory (an flock on it).  Opening scans the
 * newest segment and cuts a torn tail, the remains of a write a crash
 * interrupted; nothing before the tail is touched.  Damage anywhere else
 * is left in place for the reader to report, and appending goes on in a
 * new segment.
 *
 * Reading: the reader walks one segment and returns every record and
 * every damaged region with its offset, resynchronising on the next
 * good frame so that records after damage are still read.
 */
#ifndef CYL_STORE_SPOOL_H
#define CYL_STORE_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/record.h"

#define CYL_SPOOL_DEFAULT_DIR	"/var/lib/cylcomed/spool"
#define CYL_SPOOL_MAGIC		"CYLSPOOL"	/* 8 bytes, no NUL */
#define CYL_SPOOL_VERSION	1
#define CYL_SPOOL_HDR_LEN	96
#define CYL_SPOOL_SEGMENT_DEFAULT	(16u << 20)
#define CYL_SPOOL_SEGMENT_MAX	(1ull << 30)
#define CYL_SPOOL_INTERVAL_DEFAULT	1000	/* ms */
/* A frame: length, record (CYL_REC_HDR_LEN..CYL_REC_SIZE_MAX), CRC. */
#define CYL_SPOOL_FRAME_OVERHEAD	8
#define CYL_SPOOL_REC_MIN	CYL_REC_HDR_LEN
#define CYL_SPOOL_REC_MAX	CYL_REC_SIZE_MAX
#define CYL_SPOOL_FRAME_MAX	(CYL_SPOOL_REC_MAX + CYL_SPOOL_FRAME_OVERHEAD)

enum cyl_spool_fsync {
	CYL_SPOOL_FSYNC_INTERVAL,	/* by cyl_spool_tick(), on rotation and close */
	CYL_SPOOL_FSYNC_EVERY_RECORD,	/* fdatasync() after each append */
	CYL_SPOOL_FSYNC_NEVER,		/* leave it to the kernel */
};

struct cyl_spool_opts {
	uint64_t segment_bytes;	/* rotate past this size; 0: 16 MiB */
	enum cyl_spool_fsync fsync;
	unsigned int interval_ms;	/* FSYNC_INTERVAL; 0: 1000 */
};

/* What cyl_spool_open() found in the newest segment, and did about it. */
struct cyl_spool_recovery {
	uint64_t segment;	/* the newest segment found, 0: none */
	uint64_t records;	/* good records in it */
	uint64_t cut_at;	/* offset of the torn tail cut off */
	uint64_t bytes_cut;	/* its length; 0: nothing cut */
	uint64_t bytes_left;	/* damage at the end too large to be a torn
				 * write: left in place */
	uint64_t damaged;	/* damaged regions before the tail, left in place */
	bool bad_header;	/* its file header is damaged: left in place */
	unsigned int tmp_removed;	/* unfinished new segments removed */
	uint64_t append_segment;	/* where appends go now */
	char what[512];		/* what was wrong, "" when nothing was */
};

struct cyl_spool_stats {
	uint64_t records;	/* appended since open */
	uint64_t bytes;		/* frame bytes appended since open */
	uint64_t syncs;		/* fdatasync() calls */
	uint64_t segments;	/* segments created since open */
	uint64_t errors;	/* failed appends */
};

struct cyl_spool;

/* "interval", "every-record", "never"; -EINVAL for anything else. */
int cyl_spool_parse_fsync(const char *s, enum cyl_spool_fsync *mode);

/*
 * Open the spool in @dir (created 0700 if missing, one level) for
 * appending, with @opts (NULL: defaults).  Recovers the newest segment
 * as described above and says what it did in @rep (may be NULL).
 * Returns 0, -EBUSY if another process holds the spool, or a negative
 * errno; the reason is in @err.
 */
int cyl_spool_open(struct cyl_spool **out, const char *dir,
		   const struct cyl_spool_opts *opts,
		   struct cyl_spool_recovery *rep, char *err, size_t errlen);

/*
 * Append one record of @len bytes (CYL_SPOOL_REC_MIN..CYL_SPOOL_REC_MAX;
 * its content is not checked here) as one frame, in a new segment when
 * the current one would grow past segment_bytes.  A failed write is
 * undone (the file cut back), so the segment stays well-formed.
 * Returns 0 or a negative errno (cyl_spool_last_error() says more).
 */
int cyl_spool_append(struct cyl_spool *sp, const void *rec, size_t len);

/* FSYNC_INTERVAL: fdatasync() if records wait and interval_ms passed. */
int cyl_spool_tick(struct cyl_spool *sp, uint64_t now_ms);

/* fdatasync() now if records were appended since the last one. */
int cyl_spool_sync(struct cyl_spool *sp);

/* Sync unless FSYNC_NEVER, close, free.  NULL is fine. */
void cyl_spool_close(struct cyl_spool *sp);

const char *cyl_spool_last_error(const struct cyl_spool *sp);
uint64_t cyl_spool_segment(const struct cyl_spool *sp);	/* current */
void cyl_spool_get_stats(const struct cyl_spool *sp, struct cyl_spool_stats *st);

/* "seg-%016llx.cyls" into @buf (at least 32 bytes). */
void cyl_spool_segment_name(uint64_t segment, char *buf, size_t size);

/* --- reading --- */

struct cyl_spool_seg_hdr {
	uint16_t version;
	uint64_t segment;
	uint64_t created_ns;	/* CLOCK_REALTIME */
	uint8_t machine_id[16];	/* /etc/machine-id; zero if unknown */
	uint8_t boot_id[16];	/* /proc/sys/kernel/random/boot_id; zero if unknown */
};

enum cyl_spool_err {
	CYL_SPOOL_OK,
	CYL_SPOOL_BAD_HEADER,	/* file header: size, magic, version, CRC */
	CYL_SPOOL_BAD_LENGTH,	/* frame length outside the record bounds */
	CYL_SPOOL_SHORT,	/* frame runs past the end of the file */
	CYL_SPOOL_BAD_CRC,	/* frame CRC does not match */
};

/* One step of the reader: a record, or a damaged region. */
struct cyl_spool_item {
	enum cyl_spool_err error;
	uint64_t offset;	/* of the frame (its length field) or region */
	const uint8_t *rec;	/* the record bytes; with BAD_CRC, the
				 * unverified bytes; else NULL */
	uint32_t len;
	uint64_t skipped;	/* damaged region's length, from offset */
	bool tail;		/* it runs to the end of the file */
	char msg[160];
};

struct cyl_spool_reader;

/*
 * Read the segment at @path (mapped, read-only) or the @len bytes at
 * @buf (which must outlive the reader).  Only I/O fails here; a bad
 * file header is the first item.
 */
int cyl_spool_reader_open(struct cyl_spool_reader **out, const char *path,
			  char *err, size_t errlen);
int cyl_spool_reader_mem(struct cyl_spool_reader **out, const void *buf,
			 size_t len);

/*
 * The next item: returns 1 and fills @it (pointers valid until the
 * reader is closed), or 0 at the end of the segment.
 */
int cyl_spool_reader_next(struct cyl_spool_reader *r, struct cyl_spool_item *it);

/* The file header; NULL while it has not been read or is damaged. */
const struct cyl_spool_seg_hdr *cyl_spool_reader_hdr(const struct cyl_spool_reader *r);

uint64_t cyl_spool_reader_size(const struct cyl_spool_reader *r);

void cyl_spool_reader_close(struct cyl_spool_reader *r);

/* "bad_crc", ... for JSON; "ok" for CYL_SPOOL_OK. */
const char *cyl_spool_err_name(enum cyl_spool_err e);

#endif /* CYL_STORE_SPOOL_H */
