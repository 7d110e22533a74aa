// SPDX-License-Identifier: GPL-2.0
/*
 * The record spool: append and read back, rotation, torn tails cut on
 * open (and appending after), damage before the tail left in place and
 * reported by the reader with its offset, the fsync modes, the lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/spool.h"
#include "util/le.h"

static const uint8_t key[32] = { 0x42 };

struct fixture {
	char dir[64];
	char seg1[128];		/* the first segment's path */
	struct cyl_spool *sp;
	struct cyl_spool_recovery rep;
	char err[256];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/test_spool.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	/* A subdirectory the spool must create itself. */
	strcat(f->dir, "/spool");
	snprintf(f->seg1, sizeof(f->seg1), "%s/seg-0000000000000001.cyls", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	cyl_spool_close(f->sp);
	f->dir[strlen(f->dir) - strlen("/spool")] = '\0';
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd))
		return -1;
	free(f);
	return 0;
}

static void open_spool(struct fixture *f, const struct cyl_spool_opts *opts)
{
	int ret = cyl_spool_open(&f->sp, f->dir, opts, &f->rep, f->err,
				 sizeof(f->err));

	if (ret)
		fail_msg("cyl_spool_open: %d: %s", ret, f->err);
}

static void close_spool(struct fixture *f)
{
	cyl_spool_close(f->sp);
	f->sp = NULL;
}

/* A sealed record of device 1 whose payload says its sequence number. */
static size_t make_record(uint64_t seq, size_t payload, uint8_t *out)
{
	struct cyl_rec rec = { .device_id = 1, .seq = seq, .ts_ns = seq * 1000 };
	uint8_t plain[4096];
	size_t i;
	int n;

	assert_true(payload <= sizeof(plain));
	for (i = 0; i < payload; i++)
		plain[i] = (uint8_t)(seq + i);
	cyl_put_le64(rec.nonce, seq);
	n = cyl_rec_seal(&rec, key, plain, payload, out, CYL_REC_SIZE_MAX, NULL, 0);
	assert_true(n > 0);
	return n;
}

static void append_n(struct fixture *f, uint64_t first, uint64_t n, size_t payload)
{
	uint8_t rec[CYL_REC_HDR_LEN + 4096 + CYL_REC_TAG_LEN];
	uint64_t seq;
	size_t len;

	for (seq = first; seq < first + n; seq++) {
		len = make_record(seq, payload, rec);
		assert_int_equal(cyl_spool_append(f->sp, rec, len), 0);
	}
}

static off_t file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void write_at(const char *path, off_t off, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, buf, len, off), (ssize_t)len);
	close(fd);
}

static void append_bytes(const char *path, const void *buf, size_t len)
{
	write_at(path, file_size(path), buf, len);
}

static void flip(const char *path, off_t off)
{
	uint8_t b;
	int fd = open(path, O_RDWR);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, off), 1);
	b ^= 0x10;
	assert_int_equal(pwrite(fd, &b, 1, off), 1);
	close(fd);
}

/* What the reader returned, one entry per item. */
struct seen {
	size_t n;
	struct {
		enum cyl_spool_err error;
		uint64_t offset, skipped, seq;
		bool tail;
	} it[512];
};

static void read_segment(const char *path, struct seen *s)
{
	struct cyl_spool_reader *r;
	struct cyl_spool_item it;
	struct cyl_rec rec;
	char err[256];

	memset(s, 0, sizeof(*s));
	assert_int_equal(cyl_spool_reader_open(&r, path, err, sizeof(err)), 0);
	while (cyl_spool_reader_next(r, &it) > 0) {
		assert_true(s->n < 512);
		s->it[s->n].error = it.error;
		s->it[s->n].offset = it.offset;
		s->it[s->n].skipped = it.skipped;
		s->it[s->n].tail = it.tail;
		if (!it.error) {
			assert_int_equal(cyl_rec_parse(it.rec, it.len, &rec, err,
						       sizeof(err)), 0);
			s->it[s->n].seq = rec.seq;
		}
		s->n++;
	}
	cyl_spool_reader_close(r);
}

/* Records 1..n, in order and intact, and nothing else. */
static void expect_clean(const char *path, uint64_t first, uint64_t n)
{
	struct seen s;
	size_t i;

	read_segment(path, &s);
	assert_int_equal(s.n, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(s.it[i].error, CYL_SPOOL_OK);
		assert_int_equal(s.it[i].seq, first + i);
	}
}

static void test_append_reopen_read_back(void **state)
{
	struct fixture *f = *state;
	struct cyl_spool_reader *r;
	struct cyl_spool_item it;
	struct stat st;

	open_spool(f, NULL);
	assert_int_equal(f->rep.segment, 0);
	assert_int_equal(f->rep.append_segment, 1);
	assert_int_equal(stat(f->dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	append_n(f, 1, 10, 40);
	close_spool(f);
	assert_int_equal(stat(f->seg1, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	open_spool(f, NULL);
	assert_int_equal(f->rep.segment, 1);
	assert_int_equal(f->rep.records, 10);
	assert_int_equal(f->rep.bytes_cut, 0);
	assert_string_equal(f->rep.what, "");
	append_n(f, 11, 5, 0);
	close_spool(f);
	expect_clean(f->seg1, 1, 15);

	/* The header says which segment it is. */
	assert_int_equal(cyl_spool_reader_open(&r, f->seg1, f->err, sizeof(f->err)), 0);
	assert_null(cyl_spool_reader_hdr(r));
	assert_int_equal(cyl_spool_reader_next(r, &it), 1);
	assert_non_null(cyl_spool_reader_hdr(r));
	assert_int_equal(cyl_spool_reader_hdr(r)->segment, 1);
	assert_true(cyl_spool_reader_hdr(r)->created_ns > 0);
	assert_int_equal(it.offset, CYL_SPOOL_HDR_LEN);
	cyl_spool_reader_close(r);
}

static void test_rotation_by_size(void **state)
{
	struct fixture *f = *state;
	struct cyl_spool_opts opts = { .segment_bytes = 1024 };
	uint64_t seq = 1, segment;
	struct cyl_spool_stats st;
	char path[160], name[40];
	struct seen s;
	size_t i;

	open_spool(f, &opts);
	append_n(f, 1, 40, 100);	/* 188-byte frames: 4 a segment */
	cyl_spool_get_stats(f->sp, &st);
	assert_int_equal(st.records, 40);
	assert_int_equal(st.segments, 10);
	assert_int_equal(cyl_spool_segment(f->sp), 10);
	close_spool(f);
	for (segment = 1; segment <= 10; segment++) {
		cyl_spool_segment_name(segment, name, sizeof(name));
		snprintf(path, sizeof(path), "%s/%s", f->dir, name);
		assert_true(file_size(path) <= 1024);
		read_segment(path, &s);
		assert_int_equal(s.n, 4);
		for (i = 0; i < s.n; i++)
			assert_int_equal(s.it[i].seq, seq++);
	}

	/* A record larger than a segment still goes in, alone. */
	opts.segment_bytes = CYL_SPOOL_HDR_LEN;
	open_spool(f, &opts);
	append_n(f, 41, 2, 200);
	assert_int_equal(cyl_spool_segment(f->sp), 12);
	close_spool(f);
}

/* A torn tail of @junk bytes after 5 good records is cut on open. */
static void check_tail_cut(struct fixture *f, const void *junk, size_t len,
			   bool replace_last)
{
	off_t good;

	open_spool(f, NULL);
	append_n(f, 1, 5, 30);
	close_spool(f);
	good = file_size(f->seg1);
	if (replace_last)
		good -= len;	/* the damage is in the last frame itself */
	else
		append_bytes(f->seg1, junk, len);

	open_spool(f, NULL);
	assert_int_equal(f->rep.segment, 1);
	assert_int_equal(f->rep.append_segment, 1);
	assert_int_equal(f->rep.records, replace_last ? 4 : 5);
	assert_int_equal(f->rep.cut_at, good);
	assert_int_equal(f->rep.bytes_cut, len);
	assert_int_equal(f->rep.damaged, 0);
	assert_non_null(strstr(f->rep.what, "torn tail"));
	assert_int_equal(file_size(f->seg1), good);
	append_n(f, replace_last ? 5 : 6, 3, 30);
	close_spool(f);
	expect_clean(f->seg1, 1, replace_last ? 7 : 8);
}

static void test_torn_tail_short_length_cut(void **state)
{
	check_tail_cut(*state, "\x5e\x00", 2, false);
}

static void test_torn_tail_short_record_cut(void **state)
{
	struct fixture *f = *state;
	uint8_t rec[CYL_REC_SIZE_MAX + 8];
	size_t len = make_record(6, 30, rec + 4);

	cyl_put_le32(rec, (uint32_t)len);
	check_tail_cut(f, rec, 4 + len / 2, false);
}

static void test_torn_tail_bad_crc_of_last_record_cut(void **state)
{
	struct fixture *f = *state;
	uint8_t rec[CYL_REC_SIZE_MAX];
	size_t frame = make_record(5, 30, rec) + CYL_SPOOL_FRAME_OVERHEAD;

	/* Write 5 records, then damage the last one's CRC. */
	open_spool(f, NULL);
	append_n(f, 1, 5, 30);
	close_spool(f);
	flip(f->seg1, file_size(f->seg1) - 1);
	/* check_tail_cut() appends 5 more first; do it by hand instead. */
	open_spool(f, NULL);
	assert_int_equal(f->rep.records, 4);
	assert_int_equal(f->rep.bytes_cut, frame);
	assert_non_null(strstr(f->rep.what, "CRC mismatch"));
	append_n(f, 5, 3, 30);
	close_spool(f);
	expect_clean(f->seg1, 1, 7);
}

static void test_zero_filled_tail_cut_whatever_its_size(void **state)
{
	struct fixture *f = *state;
	uint8_t *zeros = calloc(1, 200000);

	assert_non_null(zeros);
	check_tail_cut(f, zeros, 200000, false);
	free(zeros);
}

static void test_large_damaged_tail_left_in_place(void **state)
{
	struct fixture *f = *state;
	uint8_t *junk = malloc(CYL_SPOOL_FRAME_MAX + 100);
	char seg2[160];
	off_t size;

	assert_non_null(junk);
	memset(junk, 0x5a, CYL_SPOOL_FRAME_MAX + 100);
	open_spool(f, NULL);
	append_n(f, 1, 3, 10);
	close_spool(f);
	append_bytes(f->seg1, junk, CYL_SPOOL_FRAME_MAX + 100);
	size = file_size(f->seg1);

	open_spool(f, NULL);
	assert_int_equal(f->rep.bytes_cut, 0);
	assert_int_equal(f->rep.bytes_left, CYL_SPOOL_FRAME_MAX + 100);
	assert_int_equal(f->rep.append_segment, 2);
	append_n(f, 4, 1, 10);
	close_spool(f);
	assert_int_equal(file_size(f->seg1), size);
	snprintf(seg2, sizeof(seg2), "%s/seg-0000000000000002.cyls", f->dir);
	expect_clean(seg2, 4, 1);
	free(junk);
}

/* Damage in the middle: reported with its offset; later records read. */
static void test_middle_bad_crc_reported_and_skipped(void **state)
{
	struct fixture *f = *state;
	uint8_t rec[CYL_REC_SIZE_MAX];
	size_t frame = make_record(1, 20, rec) + CYL_SPOOL_FRAME_OVERHEAD;
	uint64_t third = CYL_SPOOL_HDR_LEN + 2 * frame;
	struct seen s;
	off_t size;

	open_spool(f, NULL);
	append_n(f, 1, 5, 20);
	close_spool(f);
	flip(f->seg1, third + 4 + CYL_REC_HDR_LEN + 3);	/* ciphertext */
	size = file_size(f->seg1);

	read_segment(f->seg1, &s);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.it[1].seq, 2);
	assert_int_equal(s.it[2].error, CYL_SPOOL_BAD_CRC);
	assert_int_equal(s.it[2].offset, third);
	assert_int_equal(s.it[2].skipped, frame);
	assert_false(s.it[2].tail);
	assert_int_equal(s.it[3].error, CYL_SPOOL_OK);
	assert_int_equal(s.it[3].seq, 4);
	assert_int_equal(s.it[4].seq, 5);

	/* Open never "fixes" it: the segment is left, appends go on anew. */
	open_spool(f, NULL);
	assert_int_equal(f->rep.damaged, 1);
	assert_int_equal(f->rep.bytes_cut, 0);
	assert_int_equal(f->rep.records, 4);
	assert_int_equal(f->rep.append_segment, 2);
	assert_non_null(strstr(f->rep.what, "damaged"));
	close_spool(f);
	assert_int_equal(file_size(f->seg1), size);
}

static void test_middle_bad_length_resynchronised(void **state)
{
	struct fixture *f = *state;
	uint8_t rec[CYL_REC_SIZE_MAX];
	size_t frame = make_record(1, 20, rec) + CYL_SPOOL_FRAME_OVERHEAD;
	uint64_t second = CYL_SPOOL_HDR_LEN + frame;
	struct seen s;

	open_spool(f, NULL);
	append_n(f, 1, 4, 20);
	close_spool(f);
	write_at(f->seg1, second, "\xff\xff\xff\x7f", 4);

	read_segment(f->seg1, &s);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.it[0].seq, 1);
	assert_int_equal(s.it[1].error, CYL_SPOOL_BAD_LENGTH);
	assert_int_equal(s.it[1].offset, second);
	assert_int_equal(s.it[1].skipped, frame);
	assert_int_equal(s.it[2].seq, 3);
	assert_int_equal(s.it[3].seq, 4);

	/* A length that is plausible but wrong: found by the resync too. */
	write_at(f->seg1, second, "\x50\x00\x00\x00", 4);
	read_segment(f->seg1, &s);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.it[1].error, CYL_SPOOL_BAD_CRC);
	assert_int_equal(s.it[1].skipped, frame);
	assert_int_equal(s.it[2].seq, 3);
}

static void test_bad_file_header_reported_records_still_read(void **state)
{
	struct fixture *f = *state;
	struct seen s;
	off_t size;

	open_spool(f, NULL);
	append_n(f, 1, 3, 8);
	close_spool(f);
	flip(f->seg1, 20);	/* the segment number */
	size = file_size(f->seg1);

	read_segment(f->seg1, &s);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.it[0].error, CYL_SPOOL_BAD_HEADER);
	assert_int_equal(s.it[0].offset, 0);
	assert_int_equal(s.it[1].seq, 1);
	assert_int_equal(s.it[3].seq, 3);

	open_spool(f, NULL);
	assert_true(f->rep.bad_header);
	assert_int_equal(f->rep.append_segment, 2);
	assert_non_null(strstr(f->rep.what, "CRC mismatch"));
	close_spool(f);
	assert_int_equal(file_size(f->seg1), size);
}

static void test_reader_on_short_and_foreign_files(void **state)
{
	struct cyl_spool_reader *r;
	struct cyl_spool_item it;

	assert_int_equal(cyl_spool_reader_mem(&r, "", 0), 0);
	assert_int_equal(cyl_spool_reader_next(r, &it), 1);
	assert_int_equal(it.error, CYL_SPOOL_BAD_HEADER);
	assert_true(it.tail);
	assert_int_equal(cyl_spool_reader_next(r, &it), 0);
	cyl_spool_reader_close(r);

	assert_int_equal(cyl_spool_reader_mem(&r, "#!/bin/sh\necho not a segment\n", 30), 0);
	assert_int_equal(cyl_spool_reader_next(r, &it), 1);
	assert_int_equal(it.error, CYL_SPOOL_BAD_HEADER);
	assert_non_null(strstr(it.msg, "shorter"));
	assert_int_equal(cyl_spool_reader_next(r, &it), 0);
	cyl_spool_reader_close(r);
}

static void test_fsync_modes(void **state)
{
	struct fixture *f = *state;
	struct cyl_spool_opts opts = { .fsync = CYL_SPOOL_FSYNC_EVERY_RECORD };
	struct cyl_spool_stats st;
	enum cyl_spool_fsync mode;

	open_spool(f, &opts);
	append_n(f, 1, 3, 10);
	cyl_spool_get_stats(f->sp, &st);
	assert_int_equal(st.syncs, 3);
	close_spool(f);

	opts = (struct cyl_spool_opts){ .fsync = CYL_SPOOL_FSYNC_NEVER };
	open_spool(f, &opts);
	append_n(f, 4, 3, 10);
	assert_int_equal(cyl_spool_tick(f->sp, 100000), 0);
	cyl_spool_get_stats(f->sp, &st);
	assert_int_equal(st.syncs, 0);
	assert_int_equal(cyl_spool_sync(f->sp), 0);	/* on request only */
	close_spool(f);

	opts = (struct cyl_spool_opts){ .fsync = CYL_SPOOL_FSYNC_INTERVAL,
					.interval_ms = 1000 };
	open_spool(f, &opts);
	append_n(f, 7, 1, 10);
	assert_int_equal(cyl_spool_tick(f->sp, 500), 0);
	cyl_spool_get_stats(f->sp, &st);
	assert_int_equal(st.syncs, 0);
	assert_int_equal(cyl_spool_tick(f->sp, 1000), 0);
	cyl_spool_get_stats(f->sp, &st);
	assert_int_equal(st.syncs, 1);
	assert_int_equal(cyl_spool_tick(f->sp, 5000), 0);	/* nothing new */
	append_n(f, 8, 1, 10);
	assert_int_equal(cyl_spool_tick(f->sp, 1999), 0);
	assert_int_equal(cyl_spool_tick(f->sp, 2000), 0);
	cyl_spool_get_stats(f->sp, &st);
	assert_int_equal(st.syncs, 2);
	close_spool(f);
	expect_clean(f->seg1, 1, 8);

	assert_int_equal(cyl_spool_parse_fsync("every-record", &mode), 0);
	assert_int_equal(mode, CYL_SPOOL_FSYNC_EVERY_RECORD);
	assert_int_equal(cyl_spool_parse_fsync("always", &mode), -EINVAL);
}

static void test_one_writer_at_a_time(void **state)
{
	struct fixture *f = *state;
	struct cyl_spool *other;
	char err[256];

	open_spool(f, NULL);
	assert_int_equal(cyl_spool_open(&other, f->dir, NULL, NULL, err,
					sizeof(err)), -EBUSY);
	assert_non_null(strstr(err, "in use"));
	assert_null(other);
}

static void test_bad_sizes_and_options_refused(void **state)
{
	struct fixture *f = *state;
	struct cyl_spool_opts opts = { .segment_bytes = 10 };
	uint8_t rec[CYL_REC_HDR_LEN] = { 0 };
	struct cyl_spool *sp;
	char err[256];

	assert_int_equal(cyl_spool_open(&sp, f->dir, &opts, NULL, err,
					sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "segment size 10"));
	open_spool(f, NULL);
	assert_int_equal(cyl_spool_append(f->sp, rec, CYL_REC_HDR_LEN - 1), -EMSGSIZE);
	assert_int_equal(cyl_spool_append(f->sp, rec, CYL_SPOOL_REC_MAX + 1), -EMSGSIZE);
	assert_non_null(strstr(cyl_spool_last_error(f->sp), "outside"));
}

static void test_unfinished_new_segment_removed(void **state)
{
	struct fixture *f = *state;
	char tmp[160];
	int fd;

	open_spool(f, NULL);
	close_spool(f);
	snprintf(tmp, sizeof(tmp), "%s/seg-0000000000000002.cyls.tmp", f->dir);
	fd = open(tmp, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	open_spool(f, NULL);
	assert_int_equal(f->rep.tmp_removed, 1);
	assert_int_equal(f->rep.append_segment, 1);
	assert_int_equal(access(tmp, F_OK), -1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_append_reopen_read_back),
		T(test_rotation_by_size),
		T(test_torn_tail_short_length_cut),
		T(test_torn_tail_short_record_cut),
		T(test_torn_tail_bad_crc_of_last_record_cut),
		T(test_zero_filled_tail_cut_whatever_its_size),
		T(test_large_damaged_tail_left_in_place),
		T(test_middle_bad_crc_reported_and_skipped),
		T(test_middle_bad_length_resynchronised),
		T(test_bad_file_header_reported_records_still_read),
		T(test_reader_on_short_and_foreign_files),
		T(test_fsync_modes),
		T(test_one_writer_at_a_time),
		T(test_bad_sizes_and_options_refused),
		T(test_unfinished_new_segment_removed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
