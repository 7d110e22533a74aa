// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE	/* renameat2() */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "store/spool.h"
#include "util/errbuf.h"
#include "util/le.h"
#include "util/file.h"

/* File header field offsets (Documentation/spool.md). */
enum {
	H_MAGIC		= 0,
	H_VERSION	= 8,
	H_HDR_LEN	= 10,
	H_FLAGS		= 12,
	H_SEGMENT	= 16,
	H_CREATED	= 24,
	H_MACHINE_ID	= 32,
	H_BOOT_ID	= 48,
	H_RESERVED	= 64,
	H_CRC		= CYL_SPOOL_HDR_LEN - 4,
};

#define SEG_NAME_LEN	25	/* "seg-" 16 hex ".cyls" */
#define TMP_SUFFIX	".tmp"

static uint32_t crc(const uint8_t *p, size_t len)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)len);
}

/* CRC-32 of a frame: its length field, then the record. */
static uint32_t frame_crc(const uint8_t *lenb, const void *rec, size_t len)
{
	uLong c = crc32(crc32(0L, Z_NULL, 0), lenb, 4);

	return (uint32_t)crc32(c, rec, (uInt)len);
}

const char *cyl_spool_err_name(enum cyl_spool_err e)
{
	switch (e) {
	case CYL_SPOOL_OK:		return "ok";
	case CYL_SPOOL_BAD_HEADER:	return "bad_header";
	case CYL_SPOOL_BAD_LENGTH:	return "bad_length";
	case CYL_SPOOL_SHORT:		return "short";
	case CYL_SPOOL_BAD_CRC:		return "bad_crc";
	}
	return "unknown";
}

void cyl_spool_segment_name(uint64_t segment, char *buf, size_t size)
{
	snprintf(buf, size, "seg-%016" PRIx64 ".cyls", segment);
}

/* --- the file header --- */

static void encode_hdr(const struct cyl_spool_seg_hdr *h,
		       uint8_t out[CYL_SPOOL_HDR_LEN])
{
	memset(out, 0, CYL_SPOOL_HDR_LEN);
	memcpy(out + H_MAGIC, CYL_SPOOL_MAGIC, 8);
	cyl_put_le16(out + H_VERSION, CYL_SPOOL_VERSION);
	cyl_put_le16(out + H_HDR_LEN, CYL_SPOOL_HDR_LEN);
	cyl_put_le64(out + H_SEGMENT, h->segment);
	cyl_put_le64(out + H_CREATED, h->created_ns);
	memcpy(out + H_MACHINE_ID, h->machine_id, 16);
	memcpy(out + H_BOOT_ID, h->boot_id, 16);
	cyl_put_le32(out + H_CRC, crc(out, H_CRC));
}

static int parse_hdr(const uint8_t *p, size_t size,
		     struct cyl_spool_seg_hdr *h, char *err, size_t errlen)
{
	uint32_t stored, computed;
	uint16_t hdr_len;
	size_t i;

	if (size < CYL_SPOOL_HDR_LEN)
		return cyl_errf(-EBADMSG, err, errlen,
				"file of %zu bytes is shorter than the %d-byte segment header",
				size, CYL_SPOOL_HDR_LEN);
	if (memcmp(p + H_MAGIC, CYL_SPOOL_MAGIC, 8))
		return cyl_errf(-EBADMSG, err, errlen,
				"not a spool segment (bad magic)");
	h->version = cyl_get_le16(p + H_VERSION);
	if (h->version != CYL_SPOOL_VERSION)
		return cyl_errf(-EBADMSG, err, errlen,
				"unsupported segment format version %u (expected %d)",
				h->version, CYL_SPOOL_VERSION);
	stored = cyl_get_le32(p + H_CRC);
	computed = crc(p, H_CRC);
	if (stored != computed)
		return cyl_errf(-EBADMSG, err, errlen,
				"segment header CRC mismatch: stored %08x, computed %08x",
				stored, computed);
	hdr_len = cyl_get_le16(p + H_HDR_LEN);
	if (hdr_len != CYL_SPOOL_HDR_LEN)
		return cyl_errf(-EBADMSG, err, errlen,
				"segment header length %u (expected %d)",
				hdr_len, CYL_SPOOL_HDR_LEN);
	if (cyl_get_le32(p + H_FLAGS))
		return cyl_errf(-EBADMSG, err, errlen,
				"unknown segment flags 0x%x", cyl_get_le32(p + H_FLAGS));
	for (i = H_RESERVED; i < H_CRC; i++)
		if (p[i])
			return cyl_errf(-EBADMSG, err, errlen,
					"reserved segment header bytes are not zero");
	h->segment = cyl_get_le64(p + H_SEGMENT);
	h->created_ns = cyl_get_le64(p + H_CREATED);
	memcpy(h->machine_id, p + H_MACHINE_ID, 16);
	memcpy(h->boot_id, p + H_BOOT_ID, 16);
	return 0;
}

/* --- reading --- */

struct cyl_spool_reader {
	const uint8_t *buf;
	size_t size;
	size_t off;
	void *map;
	bool started;
	bool hdr_ok;
	struct cyl_spool_seg_hdr hdr;
};

int cyl_spool_reader_mem(struct cyl_spool_reader **out, const void *buf,
			 size_t len)
{
	struct cyl_spool_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->buf = buf;
	r->size = len;
	*out = r;
	return 0;
}

int cyl_spool_reader_open(struct cyl_spool_reader **out, const char *path,
			  char *err, size_t errlen)
{
	struct cyl_spool_reader *r;
	void *map = NULL;
	struct stat st;
	int fd, ret;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cyl_errf(-errno, err, errlen, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		ret = cyl_errf(-errno, err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	ret = cyl_errf(-EINVAL, err, errlen, "%s: not a regular file", path);
	if (!S_ISREG(st.st_mode))
		goto out;
	if (st.st_size > 0) {
		map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			ret = cyl_errf(-errno, err, errlen, "%s: mmap: %s", path,
				       strerror(errno));
			goto out;
		}
	}
	ret = cyl_errf(-ENOMEM, err, errlen, "%s: out of memory", path);
	if (cyl_spool_reader_mem(&r, map, st.st_size))
		goto out;
	r->map = map;
	map = NULL;
	*out = r;
	ret = 0;
out:
	if (map)
		munmap(map, st.st_size);
	close(fd);
	return ret;
}

void cyl_spool_reader_close(struct cyl_spool_reader *r)
{
	if (!r)
		return;
	if (r->map)
		munmap(r->map, r->size);
	free(r);
}

const struct cyl_spool_seg_hdr *cyl_spool_reader_hdr(const struct cyl_spool_reader *r)
{
	return r->hdr_ok ? &r->hdr : NULL;
}

uint64_t cyl_spool_reader_size(const struct cyl_spool_reader *r)
{
	return r->size;
}

/* Whether a whole, good frame starts at @off; its record length in @len. */
static bool frame_ok(const struct cyl_spool_reader *r, size_t off,
		     uint32_t *len)
{
	const uint8_t *p = r->buf + off;
	size_t rem = r->size - off;
	uint32_t l;

	if (off > r->size || rem < CYL_SPOOL_FRAME_OVERHEAD + CYL_SPOOL_REC_MIN)
		return false;
	l = cyl_get_le32(p);
	if (l < CYL_SPOOL_REC_MIN || l > CYL_SPOOL_REC_MAX ||
	    rem - CYL_SPOOL_FRAME_OVERHEAD < l)
		return false;
	if (frame_crc(p, p + 4, l) != cyl_get_le32(p + 4 + l))
		return false;
	*len = l;
	return true;
}

/*
 * The next good frame at or after @from, or the end of the file.  A
 * candidate must begin with a record's magic before its CRC is computed,
 * which keeps the scan cheap over garbage.
 */
static size_t resync(const struct cyl_spool_reader *r, size_t from)
{
	size_t off;
	uint32_t len;

	for (off = from;
	     off + CYL_SPOOL_FRAME_OVERHEAD + CYL_SPOOL_REC_MIN <= r->size; off++) {
		if (cyl_get_le32(r->buf + off + 4) != CYL_REC_MAGIC)
			continue;
		if (frame_ok(r, off, &len))
			return off;
	}
	return r->size;
}

static void item_err(struct cyl_spool_item *it, enum cyl_spool_err e,
		     size_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void item_err(struct cyl_spool_item *it, enum cyl_spool_err e,
		     size_t off, const char *fmt, ...)
{
	va_list ap;

	it->error = e;
	it->offset = off;
	va_start(ap, fmt);
	vsnprintf(it->msg, sizeof(it->msg), fmt, ap);
	va_end(ap);
}

static int next_header(struct cyl_spool_reader *r, struct cyl_spool_item *it)
{
	r->started = true;
	if (!parse_hdr(r->buf, r->size, &r->hdr, it->msg, sizeof(it->msg))) {
		r->hdr_ok = true;
		r->off = CYL_SPOOL_HDR_LEN;
		return 0;
	}
	/* Records after a damaged header are still worth reading. */
	it->error = CYL_SPOOL_BAD_HEADER;
	it->offset = 0;
	r->off = r->size < CYL_SPOOL_HDR_LEN ? r->size : CYL_SPOOL_HDR_LEN;
	it->skipped = r->off;
	it->tail = r->off == r->size;
	return 1;
}

int cyl_spool_reader_next(struct cyl_spool_reader *r, struct cyl_spool_item *it)
{
	size_t off, rem, next, after;
	uint32_t len, stored, computed;

	memset(it, 0, sizeof(*it));
	if (!r->started && next_header(r, it))
		return 1;
	off = r->off;
	if (off >= r->size)
		return 0;
	if (frame_ok(r, off, &len)) {
		it->offset = off;
		it->rec = r->buf + off + 4;
		it->len = len;
		r->off = off + CYL_SPOOL_FRAME_OVERHEAD + len;
		return 1;
	}

	/* Damage: say what is wrong here, then find the next good frame. */
	rem = r->size - off;
	next = SIZE_MAX;
	if (rem < 4) {
		item_err(it, CYL_SPOOL_SHORT, off,
			 "frame length cut short: %zu of 4 bytes", rem);
	} else if ((len = cyl_get_le32(r->buf + off)) < CYL_SPOOL_REC_MIN ||
		   len > CYL_SPOOL_REC_MAX) {
		item_err(it, CYL_SPOOL_BAD_LENGTH, off,
			 "frame length %" PRIu32 " outside %d..%d", len,
			 CYL_SPOOL_REC_MIN, CYL_SPOOL_REC_MAX);
	} else if (rem - 4 < (size_t)len + 4) {
		item_err(it, CYL_SPOOL_SHORT, off,
			 "frame of %" PRIu32 "-byte record cut short: %zu of %zu bytes present",
			 len, rem, (size_t)len + CYL_SPOOL_FRAME_OVERHEAD);
	} else {
		stored = cyl_get_le32(r->buf + off + 4 + len);
		computed = frame_crc(r->buf + off, r->buf + off + 4, len);
		item_err(it, CYL_SPOOL_BAD_CRC, off,
			 "CRC mismatch in frame of %" PRIu32 "-byte record: stored %08" PRIx32
			 ", computed %08" PRIx32, len, stored, computed);
		it->rec = r->buf + off + 4;
		it->len = len;
		/* Trust the length if a good frame (or the end) follows. */
		after = off + CYL_SPOOL_FRAME_OVERHEAD + len;
		if (after == r->size || frame_ok(r, after, &len))
			next = after;
	}
	if (next == SIZE_MAX)
		next = resync(r, off + 1);
	it->skipped = next - off;
	it->tail = next == r->size;
	r->off = next;
	return 1;
}

/* --- writing --- */

struct cyl_spool {
	int dfd;
	int fd;			/* the current segment, or -1 */
	char *dir;
	struct cyl_spool_opts opts;
	uint64_t segment;
	uint64_t size;		/* of the current segment */
	bool dirty;		/* appended since the last fdatasync() */
	bool rotate;		/* the current segment's end is not to be trusted */
	uint64_t last_sync_ms;
	uint8_t machine_id[16];
	uint8_t boot_id[16];
	struct cyl_spool_stats st;
	char err[256];
};

int cyl_spool_parse_fsync(const char *s, enum cyl_spool_fsync *mode)
{
	if (!strcmp(s, "interval"))
		*mode = CYL_SPOOL_FSYNC_INTERVAL;
	else if (!strcmp(s, "every-record"))
		*mode = CYL_SPOOL_FSYNC_EVERY_RECORD;
	else if (!strcmp(s, "never"))
		*mode = CYL_SPOOL_FSYNC_NEVER;
	else
		return -EINVAL;
	return 0;
}

static int __attribute__((format(printf, 3, 4)))
fail(struct cyl_spool *sp, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sp->err, sizeof(sp->err), fmt, ap);
	va_end(ap);
	return ret;
}

const char *cyl_spool_last_error(const struct cyl_spool *sp)
{
	return sp->err;
}

uint64_t cyl_spool_segment(const struct cyl_spool *sp)
{
	return sp->segment;
}

void cyl_spool_get_stats(const struct cyl_spool *sp, struct cyl_spool_stats *st)
{
	*st = sp->st;
}

/* 16 bytes from the hex digits of a small file (dashes skipped); best effort. */
static void read_id(const char *path, uint8_t out[16])
{
	char buf[64];
	size_t i, n = 0;
	ssize_t len;
	int fd, hi = -1, v;

	memset(out, 0, 16);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	len = read(fd, buf, sizeof(buf));
	close(fd);
	for (i = 0; len > 0 && i < (size_t)len && n < 16; i++) {
		if (buf[i] == '-')
			continue;
		if (!isxdigit((unsigned char)buf[i]))
			break;
		v = isdigit((unsigned char)buf[i]) ? buf[i] - '0' :
		    tolower((unsigned char)buf[i]) - 'a' + 10;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (n != 16)
		memset(out, 0, 16);
}

static int do_sync(struct cyl_spool *sp)
{
	if (sp->fd < 0 || !sp->dirty)
		return 0;
	sp->st.syncs++;
	if (fdatasync(sp->fd)) {
		/* Pages may be gone after a failed sync: trust nothing more. */
		sp->rotate = true;
		return fail(sp, -errno, "%s: seg-%016" PRIx64 ".cyls: fdatasync: %s",
			    sp->dir, sp->segment, strerror(errno));
	}
	sp->dirty = false;
	return 0;
}

/*
 * A new segment: its header written and synced under a temporary name,
 * then renamed into place, so a segment file always has a whole header.
 */
static int create_segment(struct cyl_spool *sp, uint64_t segment)
{
	struct cyl_spool_seg_hdr h = { .segment = segment };
	uint8_t hdr[CYL_SPOOL_HDR_LEN];
	char name[40], tmp[48];
	enum cyl_create_step step;
	struct timespec ts;
	int fd;

	cyl_spool_segment_name(segment, name, sizeof(name));
	snprintf(tmp, sizeof(tmp), "%s" TMP_SUFFIX, name);
	clock_gettime(CLOCK_REALTIME, &ts);
	h.created_ns = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
	memcpy(h.machine_id, sp->machine_id, 16);
	memcpy(h.boot_id, sp->boot_id, 16);
	encode_hdr(&h, hdr);

	fd = cyl_create_file_at(sp->dfd, name, tmp, hdr, sizeof(hdr), &step);
	/* Taken, whatever follows the rename: a retry uses the next number. */
	if (fd >= 0 || step == CYL_CREATE_DIR_FSYNC)
		sp->segment = segment;
	if (fd < 0)
		return fail(sp, fd, "%s/%s: %s: %s", sp->dir,
			    step >= CYL_CREATE_RENAME ? name : tmp,
			    cyl_create_step_name(step), strerror(-fd));
	sp->fd = fd;
	sp->size = CYL_SPOOL_HDR_LEN;
	sp->dirty = false;
	sp->rotate = false;
	sp->st.segments++;
	return 0;
}

static int rotate(struct cyl_spool *sp)
{
	uint64_t next = sp->segment + 1;

	if (sp->fd >= 0) {
		if (sp->opts.fsync != CYL_SPOOL_FSYNC_NEVER)
			do_sync(sp);	/* best effort: the next segment matters now */
		close(sp->fd);
		sp->fd = -1;
	}
	return create_segment(sp, next);
}

/* Parse "seg-<16 lowercase hex>.cyls" plus @suffix; 0 if it is not one. */
static uint64_t parse_name(const char *name, const char *suffix)
{
	uint64_t n = 0;
	size_t i;

	if (strlen(name) != SEG_NAME_LEN + strlen(suffix) ||
	    strncmp(name, "seg-", 4) || strncmp(name + 20, ".cyls", 5) ||
	    strcmp(name + SEG_NAME_LEN, suffix))
		return 0;
	for (i = 4; i < 20; i++) {
		if (!isdigit((unsigned char)name[i]) &&
		    (name[i] < 'a' || name[i] > 'f'))
			return 0;
		n = n << 4 | (uint64_t)(isdigit((unsigned char)name[i]) ?
					name[i] - '0' : name[i] - 'a' + 10);
	}
	return n;
}

/* The highest segment number in the directory; leftover .tmp removed. */
static int scan_dir(struct cyl_spool *sp, uint64_t *newest,
		    struct cyl_spool_recovery *rep)
{
	struct dirent *de;
	uint64_t n;
	DIR *d;
	int fd;

	*newest = 0;
	fd = openat(sp->dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return fail(sp, -errno, "%s: %s", sp->dir, strerror(errno));
	}
	while ((errno = 0, de = readdir(d))) {
		if ((n = parse_name(de->d_name, "")) > *newest)
			*newest = n;
		else if (parse_name(de->d_name, TMP_SUFFIX) &&
			 !unlinkat(sp->dfd, de->d_name, 0))
			rep->tmp_removed++;
	}
	n = errno;
	closedir(d);
	if (n)
		return fail(sp, -(int)n, "%s: readdir: %s", sp->dir, strerror((int)n));
	return 0;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/*
 * Scan segment @n, cut a torn tail, and keep appending to it unless
 * something there is damaged beyond a tail.
 */
static int recover(struct cyl_spool *sp, uint64_t n, struct cyl_spool_recovery *rep)
{
	struct cyl_spool_reader *r = NULL;
	struct cyl_spool_item it, tail = { 0 };
	uint8_t *map = NULL;
	struct stat st;
	char name[40];
	int fd, ret;

	cyl_spool_segment_name(n, name, sizeof(name));
	rep->segment = n;
	fd = openat(sp->dfd, name, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return fail(sp, -errno, "%s/%s: %s", sp->dir, name, strerror(errno));
	if (fstat(fd, &st)) {
		ret = fail(sp, -errno, "%s/%s: %s", sp->dir, name, strerror(errno));
		goto out;
	}
	ret = fail(sp, -EINVAL, "%s/%s: not a regular file", sp->dir, name);
	if (!S_ISREG(st.st_mode))
		goto out;
	if (st.st_size > 0) {
		map = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED) {
			map = NULL;
			ret = fail(sp, -errno, "%s/%s: mmap: %s", sp->dir, name,
				   strerror(errno));
			goto out;
		}
	}
	ret = fail(sp, -ENOMEM, "out of memory");
	if (cyl_spool_reader_mem(&r, map, st.st_size))
		goto out;
	while (cyl_spool_reader_next(r, &it) > 0) {
		if (it.error == CYL_SPOOL_BAD_HEADER) {
			rep->bad_header = true;
			snprintf(rep->what, sizeof(rep->what),
				 "%s: %s; left as it is", name, it.msg);
			break;
		}
		if (it.error == CYL_SPOOL_OK)
			rep->records++;
		else if (it.tail)
			tail = it;
		else
			rep->damaged++;
	}
	cyl_spool_reader_close(r);

	if (!rep->bad_header && tail.error) {
		size_t cut = st.st_size - tail.offset;

		if (cut <= CYL_SPOOL_FRAME_MAX || all_zero(map + tail.offset, cut)) {
			munmap(map, st.st_size);
			map = NULL;
			if (ftruncate(fd, tail.offset) || fsync(fd)) {
				ret = fail(sp, -errno, "%s/%s: cutting the torn tail at %" PRIu64
					   ": %s", sp->dir, name, tail.offset, strerror(errno));
				goto out;
			}
			rep->cut_at = tail.offset;
			rep->bytes_cut = cut;
			snprintf(rep->what, sizeof(rep->what),
				 "%s: torn tail of %zu bytes cut at offset %" PRIu64 ": %s",
				 name, cut, tail.offset, tail.msg);
		} else {
			rep->bytes_left = cut;
			snprintf(rep->what, sizeof(rep->what),
				 "%s: %zu damaged bytes at the end from offset %" PRIu64
				 ", too many for a torn write; left as they are: %s",
				 name, cut, tail.offset, tail.msg);
		}
	}
	if (rep->damaged) {
		size_t used = strlen(rep->what);

		snprintf(rep->what + used, sizeof(rep->what) - used,
			 "%s%s: %" PRIu64 " damaged region(s) before the end; left as they are",
			 used ? "; " : "", name, rep->damaged);
	}

	if (rep->bad_header || rep->bytes_left || rep->damaged) {
		/* Freeze the damaged segment as evidence; go on in the next. */
		close(fd);
		fd = -1;
		sp->segment = n;
		ret = create_segment(sp, n + 1);
		goto out;
	}
	sp->fd = fd;
	fd = -1;
	sp->segment = n;
	sp->size = rep->bytes_cut ? rep->cut_at : (uint64_t)st.st_size;
	ret = 0;
out:
	if (map)
		munmap(map, st.st_size);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int check_opts(struct cyl_spool *sp, const struct cyl_spool_opts *opts)
{
	if (opts)
		sp->opts = *opts;
	if (!sp->opts.segment_bytes)
		sp->opts.segment_bytes = CYL_SPOOL_SEGMENT_DEFAULT;
	if (!sp->opts.interval_ms)
		sp->opts.interval_ms = CYL_SPOOL_INTERVAL_DEFAULT;
	if (sp->opts.segment_bytes < CYL_SPOOL_HDR_LEN ||
	    sp->opts.segment_bytes > CYL_SPOOL_SEGMENT_MAX)
		return fail(sp, -EINVAL, "segment size %" PRIu64 " outside %d..%llu bytes",
			    sp->opts.segment_bytes, CYL_SPOOL_HDR_LEN,
			    CYL_SPOOL_SEGMENT_MAX);
	if (sp->opts.fsync > CYL_SPOOL_FSYNC_NEVER)
		return fail(sp, -EINVAL, "unknown fsync mode %d", sp->opts.fsync);
	return 0;
}

int cyl_spool_open(struct cyl_spool **out, const char *dir,
		   const struct cyl_spool_opts *opts,
		   struct cyl_spool_recovery *rep, char *err, size_t errlen)
{
	struct cyl_spool_recovery dummy;
	struct cyl_spool *sp;
	uint64_t newest;
	int ret;

	*out = NULL;
	if (!rep)
		rep = &dummy;
	memset(rep, 0, sizeof(*rep));
	sp = calloc(1, sizeof(*sp));
	if (!sp || !(sp->dir = strdup(dir))) {
		free(sp);
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	}
	sp->dfd = -1;
	sp->fd = -1;
	if ((ret = check_opts(sp, opts)) != 0)
		goto out;
	if (mkdir(dir, 0700) && errno != EEXIST) {
		ret = fail(sp, -errno, "%s: mkdir: %s", dir, strerror(errno));
		goto out;
	}
	sp->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sp->dfd < 0) {
		ret = fail(sp, -errno, "%s: %s", dir, strerror(errno));
		goto out;
	}
	if (flock(sp->dfd, LOCK_EX | LOCK_NB)) {
		ret = errno == EWOULDBLOCK ?
		      fail(sp, -EBUSY, "%s: spool in use by another process", dir) :
		      fail(sp, -errno, "%s: flock: %s", dir, strerror(errno));
		goto out;
	}
	read_id("/etc/machine-id", sp->machine_id);
	read_id("/proc/sys/kernel/random/boot_id", sp->boot_id);
	if ((ret = scan_dir(sp, &newest, rep)) != 0)
		goto out;
	ret = newest ? recover(sp, newest, rep) : create_segment(sp, 1);
	if (ret)
		goto out;
	rep->append_segment = sp->segment;
	*out = sp;
	sp = NULL;
out:
	if (sp) {
		cyl_errf(ret, err, errlen, "%s", sp->err);
		cyl_spool_close(sp);
	}
	return ret;
}

int cyl_spool_append(struct cyl_spool *sp, const void *rec, size_t len)
{
	uint8_t lenb[4], crcb[4];
	struct iovec iov[3];
	size_t frame = len + CYL_SPOOL_FRAME_OVERHEAD, done = 0, i;
	ssize_t n;
	int ret;

	if (len < CYL_SPOOL_REC_MIN || len > CYL_SPOOL_REC_MAX)
		return fail(sp, -EMSGSIZE, "record of %zu bytes outside %d..%d",
			    len, CYL_SPOOL_REC_MIN, CYL_SPOOL_REC_MAX);
	if (sp->fd < 0 || sp->rotate ||
	    (sp->size > CYL_SPOOL_HDR_LEN &&
	     sp->size + frame > sp->opts.segment_bytes)) {
		if ((ret = rotate(sp)) != 0) {
			sp->st.errors++;
			return ret;
		}
	}

	cyl_put_le32(lenb, (uint32_t)len);
	cyl_put_le32(crcb, frame_crc(lenb, rec, len));
	iov[0] = (struct iovec){ lenb, 4 };
	iov[1] = (struct iovec){ (void *)rec, len };
	iov[2] = (struct iovec){ crcb, 4 };
	/* One writev(); a short one (disk full) is continued, then undone. */
	while (done < frame) {
		struct iovec v[3];
		size_t skip = done, k = 0;

		for (i = 0; i < 3; i++) {
			if (skip >= iov[i].iov_len) {
				skip -= iov[i].iov_len;
				continue;
			}
			v[k].iov_base = (uint8_t *)iov[i].iov_base + skip;
			v[k++].iov_len = iov[i].iov_len - skip;
			skip = 0;
		}
		n = writev(sp->fd, v, (int)k);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = fail(sp, n < 0 ? -errno : -EIO,
				   "%s: seg-%016" PRIx64 ".cyls: write: %s", sp->dir,
				   sp->segment, n < 0 ? strerror(errno) : "no progress");
			if (done && ftruncate(sp->fd, sp->size))
				sp->rotate = true;	/* a torn frame stays: move on */
			sp->st.errors++;
			return ret;
		}
		done += n;
	}
	sp->size += frame;
	sp->dirty = true;
	sp->st.records++;
	sp->st.bytes += frame;
	if (sp->opts.fsync == CYL_SPOOL_FSYNC_EVERY_RECORD)
		return do_sync(sp);
	return 0;
}

int cyl_spool_sync(struct cyl_spool *sp)
{
	return do_sync(sp);
}

int cyl_spool_tick(struct cyl_spool *sp, uint64_t now_ms)
{
	if (sp->opts.fsync != CYL_SPOOL_FSYNC_INTERVAL || !sp->dirty)
		return 0;
	if (now_ms - sp->last_sync_ms < sp->opts.interval_ms)
		return 0;
	sp->last_sync_ms = now_ms;
	return do_sync(sp);
}

void cyl_spool_close(struct cyl_spool *sp)
{
	if (!sp)
		return;
	if (sp->fd >= 0) {
		if (sp->opts.fsync != CYL_SPOOL_FSYNC_NEVER)
			do_sync(sp);
		close(sp->fd);
	}
	if (sp->dfd >= 0)
		close(sp->dfd);	/* releases the lock */
	free(sp->dir);
	free(sp);
}
