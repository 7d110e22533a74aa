// SPDX-License-Identifier: GPL-2.0
/*
 * The risk log: append, close and reopen; the signing key's files and
 * permissions; torn tails cut on open with the rest still verifying;
 * each kind of tampering (a flipped byte, a dropped entry, two swapped
 * entries, a truncated tail, forged heads) both detected by the verifier
 * with its place and refused by the writer; proofs from the verifier's
 * view; a million entries.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <zlib.h>

#include "risk/format.h"
#include "risk/merkle.h"
#include "risk/risklog.h"
#include "risk/verify.h"
#include "util/file.h"
#include "util/le.h"

#define HL	CYL_MERKLE_HASH_LEN

struct seen {
	enum cyl_risk_kind kind;
	bool fails;
	const char *file;
	uint64_t offset, entry, head;
	char msg[512];
};

struct fixture {
	char base[64];
	char dir[96], key[96], pub[104], entries[128], heads[128];
	struct cyl_risklog *log;
	char err[1024];
	struct seen p[256];
	size_t np;
	struct cyl_risk_summary sum;
};

static int setup_in(void **state, const char *tmpdir)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->base, sizeof(f->base), "%s/test_risklog.XXXXXX", tmpdir);
	if (!mkdtemp(f->base))
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/risk/log", f->base);
	snprintf(f->key, sizeof(f->key), "%s/risk/signing.key", f->base);
	snprintf(f->pub, sizeof(f->pub), "%s.pub", f->key);
	snprintf(f->entries, sizeof(f->entries), "%s/entries", f->dir);
	snprintf(f->heads, sizeof(f->heads), "%s/heads", f->dir);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_in(state, "/tmp");
}

/*
 * In memory when there is a tmpfs: the million-entry test times the
 * verifier, not the disk (tests/bench/risklog.c measures that).
 */
static int setup_shm(void **state)
{
	struct stat st;

	return setup_in(state, !stat("/dev/shm", &st) && S_ISDIR(st.st_mode) &&
			!access("/dev/shm", W_OK) ? "/dev/shm" : "/tmp");
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	cyl_risklog_close(f->log);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->base);
	if (system(cmd))
		return -1;
	free(f);
	return 0;
}

/* --- writing --- */

static void open_log(struct fixture *f, enum cyl_risklog_fsync fs)
{
	int ret = cyl_risklog_open(f->dir, f->key, fs, &f->log, f->err, sizeof(f->err));

	if (ret)
		fail_msg("cyl_risklog_open: %d: %s", ret, f->err);
}

static void close_log(struct fixture *f)
{
	cyl_risklog_close(f->log);
	f->log = NULL;
}

static int open_fails(struct fixture *f)
{
	int ret = cyl_risklog_open(f->dir, f->key, CYL_RISKLOG_FSYNC_BATCH, &f->log,
				   f->err, sizeof(f->err));

	assert_true(ret < 0);
	assert_null(f->log);
	return ret;
}

/* Entry @i: a JSON object as the agent writes them. */
static size_t entry(uint64_t i, char *buf, size_t size)
{
	return (size_t)snprintf(buf, size, "{\"seq\":%" PRIu64 ",\"type\":\"tty_open\","
				"\"device\":\"monitor-icu-1\",\"risk\":\"R-%04" PRIu64 "\"}",
				i, i % 10000);
}

/* Append entries first..first+n-1, a head after every @every (0: none). */
static void append_n(struct fixture *f, uint64_t first, uint64_t n, uint64_t every)
{
	char buf[256];
	uint64_t i, idx;
	size_t len;

	for (i = first; i < first + n; i++) {
		len = entry(i, buf, sizeof(buf));
		assert_int_equal(cyl_risklog_append(f->log, buf, len, &idx), 0);
		assert_int_equal(idx, i);
		if (every && (i + 1) % every == 0)
			assert_int_equal(cyl_risklog_sign_head(f->log), 0);
	}
}

static void write_log(struct fixture *f, uint64_t n, uint64_t every)
{
	open_log(f, CYL_RISKLOG_FSYNC_BATCH);
	append_n(f, 0, n, every);
	close_log(f);
}

/* --- the files --- */

static uint8_t *slurp(const char *path, size_t *len)
{
	char *buf;

	assert_int_equal(cyl_read_file(path, 1u << 30, &buf, len), 0);
	return (uint8_t *)buf;
}

static void spit(const char *path, const void *buf, size_t len)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void append_bytes(const char *path, const void *buf, size_t len)
{
	FILE *fp = fopen(path, "a");

	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* The offset of entry @i's frame, walking the lengths (no CRC checks). */
static uint64_t frame_off(const uint8_t *buf, uint64_t i)
{
	uint64_t off = CYL_RISK_HDR_LEN;

	while (i--)
		off += CYL_RISK_FRAME_OVERHEAD + cyl_get_le32(buf + off);
	return off;
}

static uint64_t entry_offset(struct fixture *f, uint64_t i)
{
	size_t len;
	uint8_t *buf = slurp(f->entries, &len);
	uint64_t off = frame_off(buf, i);

	free(buf);
	return off;
}

static uint32_t frame_len(const uint8_t *buf, uint64_t off)
{
	return CYL_RISK_FRAME_OVERHEAD + cyl_get_le32(buf + off);
}

/* --- verifying --- */

static void collect(void *ctx, const struct cyl_risk_problem *p)
{
	struct fixture *f = ctx;
	struct seen *s;

	if (f->np == sizeof(f->p) / sizeof(f->p[0]))
		return;
	s = &f->p[f->np++];
	s->kind = p->kind;
	s->fails = p->fails;
	s->file = p->file;
	s->offset = p->offset;
	s->entry = p->entry;
	s->head = p->head;
	snprintf(s->msg, sizeof(s->msg), "%s", p->msg);
}

static EVP_PKEY *read_pub(const char *path)
{
	EVP_PKEY *pk;
	char err[256];

	if (cyl_risk_pubkey_read(path, &pk, err, sizeof(err)))
		fail_msg("%s", err);
	return pk;
}

/* Verify the log with @pub (NULL: the log's own public key). */
static struct cyl_risk_view *verify_with(struct fixture *f, EVP_PKEY *pub)
{
	EVP_PKEY *own = pub ? NULL : read_pub(f->pub);
	struct cyl_risk_verify_opts o = {
		.pubkey = pub ? pub : own, .report = collect, .ctx = f,
	};
	struct cyl_risk_view *v;
	char err[256];

	f->np = 0;
	if (cyl_risk_verify_dir(f->dir, &o, &v, err, sizeof(err)))
		fail_msg("cyl_risk_verify_dir: %s", err);
	f->sum = *cyl_risk_view_summary(v);
	EVP_PKEY_free(own);
	return v;
}

static void verify(struct fixture *f)
{
	cyl_risk_view_free(verify_with(f, NULL));
}

static void print_seen(const struct fixture *f)
{
	size_t i;

	for (i = 0; i < f->np; i++)
		print_message("# %s%s: %s\n", f->p[i].fails ? "" : "note: ",
			      f->p[i].file ? f->p[i].file : "-", f->p[i].msg);
}

/* The problem of @kind whose message contains @text. */
static const struct seen *find(struct fixture *f, enum cyl_risk_kind kind,
			       const char *text)
{
	size_t i;

	for (i = 0; i < f->np; i++)
		if (f->p[i].kind == kind && strstr(f->p[i].msg, text))
			return &f->p[i];
	print_seen(f);
	fail_msg("no problem of kind %d with \"%s\"", kind, text);
	return NULL;
}

static void expect_clean(struct fixture *f, uint64_t entries, uint64_t heads)
{
	verify(f);
	if (f->sum.problems || f->sum.notes)
		print_seen(f);
	assert_int_equal(f->sum.problems, 0);
	assert_int_equal(f->sum.notes, 0);
	assert_int_equal(f->sum.entries, entries);
	assert_int_equal(f->sum.heads, heads);
	assert_int_equal(f->sum.good_heads, heads);
	assert_int_equal(f->sum.consistency, heads ? heads - 1 : 0);
	assert_int_equal(f->sum.signed_size, entries);
}

/* --- the tests: writing and reopening --- */

static void test_append_close_reopen(void **state)
{
	struct fixture *f = *state;
	char root[65], again[65];

	open_log(f, CYL_RISKLOG_FSYNC_BATCH);
	assert_int_equal(cyl_risklog_size(f->log), 0);
	append_n(f, 0, 10, 0);
	assert_int_equal(cyl_risklog_size(f->log), 10);
	assert_int_equal(cyl_risklog_unsigned(f->log), 10);
	assert_int_equal(cyl_risklog_sign_head(f->log), 0);
	assert_int_equal(cyl_risklog_unsigned(f->log), 0);
	assert_int_equal(cyl_risklog_sign_head(f->log), 0);	/* no-op */
	cyl_risklog_root_hex(f->log, root);
	close_log(f);
	expect_clean(f, 10, 1);

	open_log(f, CYL_RISKLOG_FSYNC_BATCH);
	assert_string_equal(cyl_risklog_recovery(f->log), "");
	assert_int_equal(cyl_risklog_size(f->log), 10);
	assert_int_equal(cyl_risklog_unsigned(f->log), 0);
	cyl_risklog_root_hex(f->log, again);
	assert_string_equal(root, again);
	append_n(f, 10, 5, 0);
	assert_int_equal(cyl_risklog_unsigned(f->log), 5);
	close_log(f);	/* signs the 5 */
	expect_clean(f, 15, 2);
}

static void test_fsync_every_policy(void **state)
{
	struct fixture *f = *state;

	open_log(f, CYL_RISKLOG_FSYNC_EVERY);
	append_n(f, 0, 7, 3);
	close_log(f);
	expect_clean(f, 7, 3);
}

static void test_root_is_mth_of_entries(void **state)
{
	struct fixture *f = *state;
	uint8_t leaves[33 * HL], root[HL];
	char buf[256], hex[65], want[65];
	uint64_t i;

	open_log(f, CYL_RISKLOG_FSYNC_BATCH);
	for (i = 0; i < 33; i++) {
		size_t len = entry(i, buf, sizeof(buf));

		assert_int_equal(cyl_risklog_append(f->log, buf, len, NULL), 0);
		assert_int_equal(cyl_merkle_leaf_hash(buf, len, leaves + i * HL), 0);
		assert_int_equal(cyl_merkle_root(leaves, i + 1, root), 0);
		cyl_merkle_hex(root, want);
		cyl_risklog_root_hex(f->log, hex);
		assert_string_equal(hex, want);
	}
}

static void test_entry_size_bounds(void **state)
{
	struct fixture *f = *state;
	char *big = malloc(CYL_RISKLOG_ENTRY_MAX + 1);

	assert_non_null(big);
	memset(big, 'x', CYL_RISKLOG_ENTRY_MAX + 1);
	open_log(f, CYL_RISKLOG_FSYNC_BATCH);
	assert_int_equal(cyl_risklog_append(f->log, big, 0, NULL), -EMSGSIZE);
	assert_int_equal(cyl_risklog_append(f->log, big, CYL_RISKLOG_ENTRY_MAX + 1, NULL),
			 -EMSGSIZE);
	assert_non_null(strstr(cyl_risklog_last_error(f->log), "outside 1..65536"));
	assert_int_equal(cyl_risklog_append(f->log, big, CYL_RISKLOG_ENTRY_MAX, NULL), 0);
	assert_int_equal(cyl_risklog_append(f->log, big, 1, NULL), 0);
	close_log(f);
	free(big);
	expect_clean(f, 2, 1);
}

static void test_second_writer_busy(void **state)
{
	struct fixture *f = *state;
	struct cyl_risklog *other;
	char err[256];

	open_log(f, CYL_RISKLOG_FSYNC_BATCH);
	assert_int_equal(cyl_risklog_open(f->dir, f->key, CYL_RISKLOG_FSYNC_BATCH, &other,
					  err, sizeof(err)), -EBUSY);
	assert_non_null(strstr(err, "in use by another process"));
}

/* --- the key --- */

static void test_key_created_0600_with_pub(void **state)
{
	struct fixture *f = *state;
	mode_t mask = umask(0);
	EVP_PKEY *pk;
	struct stat st;

	umask(mask);
	open_log(f, CYL_RISKLOG_FSYNC_BATCH);
	assert_int_equal(stat(f->key, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(f->pub, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644 & ~mask);
	pk = read_pub(f->pub);
	assert_int_equal(EVP_PKEY_get_id(pk), EVP_PKEY_ED25519);
	EVP_PKEY_free(pk);
	close_log(f);
	/* The same key next time, and a lost .pub written again. */
	assert_int_equal(unlink(f->pub), 0);
	write_log(f, 3, 0);
	expect_clean(f, 3, 1);
}

static void test_loose_key_refused(void **state)
{
	struct fixture *f = *state;

	write_log(f, 2, 0);
	assert_int_equal(chmod(f->key, 0640), 0);
	assert_int_equal(open_fails(f), -EPERM);
	assert_non_null(strstr(f->err, f->key));
	assert_non_null(strstr(f->err, "mode 0640"));
	assert_int_equal(chmod(f->key, 0604), 0);
	assert_int_equal(open_fails(f), -EPERM);
	assert_int_equal(chmod(f->key, 0600), 0);
	open_log(f, CYL_RISKLOG_FSYNC_BATCH);
}

static void test_pub_of_another_key_refused(void **state)
{
	struct fixture *f = *state;
	EVP_PKEY *other = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	FILE *fp;

	write_log(f, 2, 0);
	assert_non_null(other);
	fp = fopen(f->pub, "w");
	assert_non_null(fp);
	assert_int_equal(PEM_write_PUBKEY(fp, other), 1);
	fclose(fp);
	EVP_PKEY_free(other);
	open_fails(f);
	assert_non_null(strstr(f->err, "is not the public key of"));
}

static void test_missing_heads_file_refused(void **state)
{
	struct fixture *f = *state;

	write_log(f, 4, 0);
	assert_int_equal(unlink(f->heads), 0);
	assert_int_equal(open_fails(f), -EBADMSG);
	assert_non_null(strstr(f->err, "heads is missing but entries holds entries"));
	verify(f);
	find(f, CYL_RISK_FILE, "missing");
	assert_true(find(f, CYL_RISK_UNSIGNED, "no validly signed head: none of the 4 "
			 "entries can be verified")->fails);
}

/* --- torn tails --- */

static void test_torn_entry_tail_cut_and_prefix_verifies(void **state)
{
	struct fixture *f = *state;
	uint8_t torn[14] = { 100, 0, 0, 0, '{', '"', 's' };
	uint64_t end;
	char want[128];

	write_log(f, 20, 5);
	end = entry_offset(f, 20);
	append_bytes(f->entries, torn, sizeof(torn));
	verify(f);
	assert_int_equal(f->sum.problems, 0);
	assert_int_equal(f->sum.entries, 20);
	assert_int_equal(f->sum.good_heads, 4);
	snprintf(want, sizeof(want), "offset %" PRIu64 ": 14 bytes after the last whole "
		 "entry are a torn write", end);
	assert_false(find(f, CYL_RISK_TRAILING, want)->fails);

	open_log(f, CYL_RISKLOG_FSYNC_BATCH);
	snprintf(want, sizeof(want), "entries: torn tail of 14 bytes cut at offset %" PRIu64, end);
	assert_non_null(strstr(cyl_risklog_recovery(f->log), want));
	assert_int_equal(cyl_risklog_size(f->log), 20);
	append_n(f, 20, 2, 0);
	close_log(f);
	expect_clean(f, 22, 5);
}

/* The child of a fork: no cmocka there, an exit status instead. */
static void crash_after_appends(struct fixture *f)
{
	static const uint8_t torn[3] = { 7, 0, 0 };
	char buf[256];
	uint64_t i;
	int fd;

	if (cyl_risklog_open(f->dir, f->key, CYL_RISKLOG_FSYNC_EVERY, &f->log, f->err,
			     sizeof(f->err)))
		_exit(1);
	for (i = 0; i < 8; i++) {
		if (cyl_risklog_append(f->log, buf, entry(i, buf, sizeof(buf)), NULL))
			_exit(2);
		if (i == 4 && cyl_risklog_sign_head(f->log))
			_exit(3);
	}
	fd = open(f->entries, O_WRONLY | O_APPEND);
	if (fd < 0 || write(fd, torn, sizeof(torn)) != sizeof(torn))
		_exit(4);
	_exit(0);	/* no close: no head for entries 5..7 */
}

/* A crash after appends, before their head: they stay, and are signed later. */
static void test_unsigned_entries_after_crash_kept(void **state)
{
	struct fixture *f = *state;
	pid_t pid;
	int status;

	pid = fork();
	assert_true(pid >= 0);
	if (!pid)
		crash_after_appends(f);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	verify(f);
	assert_int_equal(f->sum.problems, 0);
	assert_int_equal(f->sum.signed_size, 5);
	assert_false(find(f, CYL_RISK_UNSIGNED, "entries 5..7 (offset")->fails);
	find(f, CYL_RISK_TRAILING, "length field cut short: 3 of 4 bytes");

	open_log(f, CYL_RISKLOG_FSYNC_BATCH);
	assert_non_null(strstr(cyl_risklog_recovery(f->log), "torn tail of 3 bytes"));
	assert_int_equal(cyl_risklog_size(f->log), 8);
	assert_int_equal(cyl_risklog_unsigned(f->log), 3);
	close_log(f);
	expect_clean(f, 8, 2);
}

static void test_torn_head_tail_cut(void **state)
{
	struct fixture *f = *state;
	size_t len;
	uint8_t *h;

	write_log(f, 9, 3);
	h = slurp(f->heads, &len);
	assert_int_equal(len, CYL_RISK_HDR_LEN + 3 * CYL_RISK_HEAD_LEN);
	append_bytes(f->heads, h + CYL_RISK_HDR_LEN, 50);	/* half a head */
	free(h);
	verify(f);
	assert_int_equal(f->sum.problems, 0);
	assert_int_equal(f->sum.good_heads, 3);
	find(f, CYL_RISK_TRAILING, "50 bytes after the last whole head: a torn write");

	open_log(f, CYL_RISKLOG_FSYNC_BATCH);
	assert_non_null(strstr(cyl_risklog_recovery(f->log), "heads: torn tail of 50 bytes "
			       "cut at offset 380: 50 of 116 bytes of a head"));
	append_n(f, 9, 1, 0);
	close_log(f);
	expect_clean(f, 10, 4);
}

/* --- tampering: detected, located, refused --- */

static void test_flipped_byte_located(void **state)
{
	struct fixture *f = *state;
	uint64_t off;
	size_t len;
	uint8_t *e;
	char want[128];

	write_log(f, 12, 1);	/* a head per entry: exact places */
	e = slurp(f->entries, &len);
	off = frame_off(e, 7);
	e[off + 4 + 7] ^= 0x01;	/* in entry 7's text: "seq":7 -> "seq":6 */
	spit(f->entries, e, len);
	free(e);

	verify(f);
	snprintf(want, sizeof(want), "entry 7 (offset %" PRIu64 "): CRC mismatch", off);
	assert_int_equal(find(f, CYL_RISK_ENTRY, want)->entry, 7);
	assert_int_equal(find(f, CYL_RISK_ROOT, "head 7 (size 8, ")->head, 7);
	assert_int_equal(find(f, CYL_RISK_LOCATE, "entry 7 differs from what was signed: "
			      "head 7 (size 8) does not match, head 6 (size 7) is the last "
			      "that matches; entry 7 in there fails its CRC")->entry, 7);
	find(f, CYL_RISK_ROOT, "heads 8..11 (sizes 9..12): 4 later heads do not match either");
	assert_int_equal(f->sum.good_heads, 7);
	assert_int_equal(f->sum.bad_entries, 1);

	assert_int_equal(open_fails(f), -EBADMSG);
	assert_non_null(strstr(f->err, want));
}

/* The same with the CRC made to fit: only the roots can tell. */
static void test_changed_entry_with_good_crc_located(void **state)
{
	struct fixture *f = *state;
	uint8_t *e;
	uint64_t off;
	uint32_t n;
	size_t len;

	write_log(f, 12, 4);
	e = slurp(f->entries, &len);
	off = frame_off(e, 6);
	n = cyl_get_le32(e + off);
	e[off + 4 + 7] ^= 0x01;	/* "seq":6 -> "seq":7 */
	cyl_put_le32(e + off + 4 + n, cyl_risk_frame_crc(e + off, e + off + 4, n));
	spit(f->entries, e, len);
	free(e);

	verify(f);
	assert_int_equal(f->sum.bad_entries, 0);
	find(f, CYL_RISK_ROOT, "head 1 (size 8, ");
	find(f, CYL_RISK_LOCATE, "entries 4..7 hold the change (an entry changed, dropped, "
	     "inserted or moved): head 1 (size 8) does not match, head 0 (size 4) is the "
	     "last that matches");
	assert_int_equal(open_fails(f), -EBADMSG);
	assert_non_null(strstr(f->err, "head 1 (size 8) does not match the entries"));
	assert_non_null(strstr(f->err, "entries 4..7 were changed"));
}

static void test_dropped_entry_located(void **state)
{
	struct fixture *f = *state;
	uint8_t *e;
	uint64_t off;
	uint32_t fl;
	size_t len;

	write_log(f, 12, 1);
	e = slurp(f->entries, &len);
	off = frame_off(e, 5);
	fl = frame_len(e, off);
	memmove(e + off, e + off + fl, len - off - fl);
	spit(f->entries, e, len - fl);
	free(e);

	verify(f);
	assert_int_equal(f->sum.entries, 11);
	find(f, CYL_RISK_ROOT, "head 5 (size 6, ");
	assert_int_equal(find(f, CYL_RISK_LOCATE, "entry 5 differs from what was signed")->entry, 5);
	find(f, CYL_RISK_LOCATE, "the heads cover 12 entries, the file holds 11: an entry "
	     "dropped there would explain it");
	find(f, CYL_RISK_SIZE, "head 11 (size 12, offset 1308): covers 12 entries, the "
	     "entries file holds 11: 1 entry missing");
	assert_int_equal(f->sum.good_heads, 5);

	assert_int_equal(open_fails(f), -EBADMSG);
	assert_non_null(strstr(f->err, "head 5 (size 6) does not match the entries"));
}

static void test_swapped_entries_located(void **state)
{
	struct fixture *f = *state;
	uint64_t a, b;
	uint32_t la, lb;
	uint8_t *e, *tmp;
	size_t len;
	char want[160];

	write_log(f, 12, 4);	/* sparse heads: the swap is found all the same */
	e = slurp(f->entries, &len);
	a = frame_off(e, 5);
	b = frame_off(e, 6);
	la = frame_len(e, a);
	lb = frame_len(e, b);
	tmp = malloc(la + lb);
	assert_non_null(tmp);
	memcpy(tmp, e + b, lb);
	memcpy(tmp + lb, e + a, la);
	memcpy(e + a, tmp, la + lb);
	spit(f->entries, e, len);
	free(tmp);
	free(e);

	verify(f);
	assert_int_equal(f->sum.bad_entries, 0);
	find(f, CYL_RISK_ROOT, "head 1 (size 8, ");
	snprintf(want, sizeof(want), "entries 5 and 6 (offsets %" PRIu64 " and %" PRIu64
		 ") are swapped: exchanged back, head 1 (size 8) matches; head 0 (size 4) "
		 "is the last that matches", a, a + lb);
	assert_int_equal(find(f, CYL_RISK_LOCATE, want)->entry, 5);
	assert_int_equal(open_fails(f), -EBADMSG);
	assert_non_null(strstr(f->err, "head 1 (size 8) does not match"));
}

/* Heads every 1000 entries, as the agent signs: a swap is still named. */
static void test_swap_between_sparse_heads_located(void **state)
{
	struct fixture *f = *state;
	uint64_t a, b;
	uint32_t la, lb;
	uint8_t *e, *tmp;
	size_t len;

	write_log(f, 3000, 1000);
	e = slurp(f->entries, &len);
	a = frame_off(e, 1203);
	b = frame_off(e, 1204);
	la = frame_len(e, a);
	lb = frame_len(e, b);
	tmp = malloc(la + lb);
	assert_non_null(tmp);
	memcpy(tmp, e + b, lb);
	memcpy(tmp + lb, e + a, la);
	memcpy(e + a, tmp, la + lb);
	spit(f->entries, e, len);
	free(tmp);
	free(e);

	verify(f);
	find(f, CYL_RISK_LOCATE, "entries 1203 and 1204 (offsets ");
	find(f, CYL_RISK_LOCATE, ") are swapped: exchanged back, head 1 (size 2000) matches; "
	     "head 0 (size 1000) is the last that matches");
	find(f, CYL_RISK_ROOT, "head 2 (size 3000, offset 264): does not match either");
}

static void test_inserted_entry_located(void **state)
{
	struct fixture *f = *state;
	uint8_t *e, *out;
	uint64_t off;
	uint32_t fl;
	size_t len;

	write_log(f, 12, 4);
	e = slurp(f->entries, &len);
	off = frame_off(e, 9);
	fl = frame_len(e, frame_off(e, 2));
	out = malloc(len + fl);
	assert_non_null(out);
	memcpy(out, e, off);
	memcpy(out + off, e + frame_off(e, 2), fl);	/* entry 2 again, as entry 9 */
	memcpy(out + off + fl, e + off, len - off);
	spit(f->entries, out, len + fl);
	free(out);
	free(e);

	verify(f);
	find(f, CYL_RISK_LOCATE, "entry 9 (offset ");
	find(f, CYL_RISK_LOCATE, "was inserted: without it, head 2 (size 12) matches");
}

static void test_truncated_tail_beyond_last_head(void **state)
{
	struct fixture *f = *state;
	uint64_t off;

	write_log(f, 12, 4);
	off = entry_offset(f, 10);
	assert_int_equal(truncate(f->entries, (off_t)off), 0);

	verify(f);
	assert_int_equal(f->sum.entries, 10);
	assert_int_equal(f->sum.good_heads, 2);
	assert_int_equal(find(f, CYL_RISK_SIZE, "head 2 (size 12, offset 264): covers 12 "
			      "entries, the entries file holds 10: 2 entries missing")->head, 2);
	find(f, CYL_RISK_LOCATE, "entries were cut off the end, or dropped from entry 8 on: "
	     "head 1 (size 8) is the last that matches");
	assert_int_equal(open_fails(f), -EBADMSG);
	assert_non_null(strstr(f->err, "head 2 (size 12) covers 12 entries, but entries "
			       "holds 10 whole ones: entries 10..11 are missing"));

	/* Cut in the middle of a frame: the torn rest is noted too. */
	assert_int_equal(truncate(f->entries, (off_t)off - 5), 0);
	verify(f);
	find(f, CYL_RISK_SIZE, "the entries file holds 9: 3 entries missing");
	find(f, CYL_RISK_TRAILING, "are a torn write");
	open_fails(f);
	assert_non_null(strstr(f->err, "entries 9..11 are missing (cut off or dropped); at "
			       "the end: frame of a"));

	/* Exactly at a head: the cut is invisible without a later head. */
	assert_int_equal(truncate(f->entries, (off_t)entry_offset(f, 8)), 0);
	verify(f);
	find(f, CYL_RISK_LOCATE, "entries 8..11 were cut off the end: head 1 (size 8) "
	     "covers all that is left and matches");
}

static void test_forged_head_refused(void **state)
{
	struct fixture *f = *state;
	struct cyl_risk_head h;
	uint8_t *buf;
	size_t len;
	uint64_t off;

	write_log(f, 12, 4);
	buf = slurp(f->heads, &len);
	off = CYL_RISK_HDR_LEN + 2 * CYL_RISK_HEAD_LEN;
	assert_int_equal(cyl_risk_head_parse(buf + off, &h), 0);
	h.root[0] ^= 0xff;		/* claim another root... */
	cyl_risk_head_encode(&h, buf + off);	/* ...with a good CRC */
	spit(f->heads, buf, len);
	free(buf);

	verify(f);
	assert_int_equal(find(f, CYL_RISK_HEAD, "head 2 (size 12, offset 264): the signature "
			      "does not verify with the public key: forged, or signed by "
			      "another key")->head, 2);
	assert_int_equal(f->sum.good_heads, 2);
	assert_int_equal(open_fails(f), -EBADMSG);
	assert_non_null(strstr(f->err, "head 2 (size 12): signature does not verify"));
}

static void test_head_signed_by_another_key_refused(void **state)
{
	struct fixture *f = *state;
	EVP_PKEY *other = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	struct cyl_risk_view *v;
	struct cyl_risk_head h = { .size = 12, .ts_ns = 1 };
	uint8_t rec[CYL_RISK_HEAD_LEN];

	assert_non_null(other);
	write_log(f, 12, 4);
	/* The right size and root, signed by someone else. */
	v = verify_with(f, NULL);
	assert_int_equal(cyl_merkle_tree_root(cyl_risk_view_tree(v), 12, h.root), 0);
	cyl_risk_view_free(v);
	assert_int_equal(cyl_risk_head_sign(other, &h), 0);
	cyl_risk_head_encode(&h, rec);
	append_bytes(f->heads, rec, sizeof(rec));

	verify(f);
	find(f, CYL_RISK_HEAD, "head 3 (size 12, offset 380): the signature does not verify");
	assert_int_equal(f->sum.problems, 1);
	assert_int_equal(open_fails(f), -EBADMSG);
	assert_non_null(strstr(f->err, "head 3 (size 12): signature does not verify"));

	/* Checked with the other key, it is the only good one. */
	cyl_risk_view_free(verify_with(f, other));
	assert_int_equal(f->sum.good_heads, 1);
	assert_int_equal(f->sum.latest, 3);
	assert_int_equal(f->sum.problems, 3);
	EVP_PKEY_free(other);
}

static void test_damaged_head_in_the_middle(void **state)
{
	struct fixture *f = *state;
	uint8_t *buf;
	size_t len;

	write_log(f, 12, 4);
	buf = slurp(f->heads, &len);
	buf[CYL_RISK_HDR_LEN + CYL_RISK_HEAD_LEN + 3] ^= 0x20;	/* head 1's size */
	spit(f->heads, buf, len);
	free(buf);
	verify(f);
	find(f, CYL_RISK_HEAD, "head 1 (offset 148): CRC mismatch: damaged");
	assert_int_equal(f->sum.good_heads, 2);
	assert_int_equal(open_fails(f), -EBADMSG);
	assert_non_null(strstr(f->err, "head 1 (offset 148): CRC mismatch, and heads follow"));
}

/* Made-up heads, no signatures checked: roots no entries give. */
static void test_heads_with_roots_of_nothing(void **state)
{
	struct fixture *f = *state;
	struct cyl_risk_verify_opts o = { .report = collect, .ctx = f };
	uint8_t e[CYL_RISK_HDR_LEN + 2 * 9], h[CYL_RISK_HDR_LEN + 3 * CYL_RISK_HEAD_LEN];
	uint8_t leaves[2 * HL];
	struct cyl_risk_head hd = { 0 };
	struct cyl_risk_view *v;
	int i;

	cyl_risk_hdr_encode(CYL_RISK_ENTRIES_MAGIC, 1, e);
	cyl_risk_hdr_encode(CYL_RISK_HEADS_MAGIC, 1, h);
	for (i = 0; i < 2; i++) {
		uint8_t *fr = e + CYL_RISK_HDR_LEN + 9 * i;

		cyl_put_le32(fr, 1);
		fr[4] = (uint8_t)('a' + i);
		cyl_put_le32(fr + 5, cyl_risk_frame_crc(fr, fr + 4, 1));
		assert_int_equal(cyl_merkle_leaf_hash(fr + 4, 1, leaves + i * HL), 0);
	}
	memset(hd.root, 0x11, HL);	/* size 0, not the empty tree's root */
	cyl_risk_head_encode(&hd, h + CYL_RISK_HDR_LEN);
	hd.size = 2;
	assert_int_equal(cyl_merkle_root(leaves, 2, hd.root), 0);
	cyl_risk_head_encode(&hd, h + CYL_RISK_HDR_LEN + CYL_RISK_HEAD_LEN);
	hd.root[9] ^= 1;		/* size 2 again, another root */
	cyl_risk_head_encode(&hd, h + CYL_RISK_HDR_LEN + 2 * CYL_RISK_HEAD_LEN);

	assert_int_equal(cyl_risk_verify_mem(e, sizeof(e), h, sizeof(h), &o, &v), 0);
	f->sum = *cyl_risk_view_summary(v);
	find(f, CYL_RISK_ROOT, "head 0 (size 0, offset 32): root mismatch: signed 1111");
	find(f, CYL_RISK_ROOT, ", no entries give e3b0c442");
	find(f, CYL_RISK_LOCATE, "head 0 (size 0) signed a root no entries give: the empty "
	     "tree's is SHA-256 of nothing");
	find(f, CYL_RISK_LOCATE, "head 2 (size 2) signed a root no entries give, though the "
	     "head before it, of the same size, matches");
	assert_int_equal(f->sum.good_heads, 1);
	assert_int_equal(f->sum.latest, 1);
	cyl_risk_view_free(v);
}

/* --- proofs --- */

static void test_proofs_from_the_view(void **state)
{
	struct fixture *f = *state;
	struct cyl_risk_proof p;
	struct cyl_risk_view *v;
	char err[256];
	uint64_t i, a, b;

	write_log(f, 37, 5);	/* heads of sizes 5, 10, ..., 35, 37 */
	v = verify_with(f, NULL);
	assert_int_equal(f->sum.problems, 0);
	for (i = 0; i < 37; i++) {
		assert_int_equal(cyl_risk_prove_inclusion(v, i, &p, err, sizeof(err)), 0);
		assert_true(p.verified);
		assert_int_equal(p.n, 37);
		assert_int_equal(p.head_n, 7);
	}
	assert_int_equal(cyl_risk_prove_inclusion(v, 37, &p, err, sizeof(err)), -ERANGE);
	assert_non_null(strstr(err, "entry 37 is not covered by the latest good head "
			       "(head 7, size 37)"));
	for (a = 5; a <= 35; a += 5) {
		for (b = a; b <= 35; b += 5) {
			assert_int_equal(cyl_risk_prove_consistency(v, a, b, &p, err,
								    sizeof(err)), 0);
			assert_true(p.verified);
		}
		assert_int_equal(cyl_risk_prove_consistency(v, a, 37, &p, err, sizeof(err)), 0);
		assert_true(p.verified);
	}
	assert_int_equal(cyl_risk_prove_consistency(v, 6, 37, &p, err, sizeof(err)), -ERANGE);
	assert_non_null(strstr(err, "no good signed head of size 6"));
	cyl_risk_view_free(v);
}

/* --- a million entries --- */

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_million_entries_verify(void **state)
{
	struct fixture *f = *state;
	double t0, t1, t2;

	t0 = seconds();
	write_log(f, 1000000, 1000);
	t1 = seconds();
	verify(f);
	t2 = seconds();
	print_message("# 1M entries: written in %.2f s (a head per 1000), verified in %.2f s\n",
		      t1 - t0, t2 - t1);
	assert_int_equal(f->sum.problems, 0);
	assert_int_equal(f->sum.entries, 1000000);
	assert_int_equal(f->sum.good_heads, 1000);
	assert_int_equal(f->sum.consistency, 999);
	/* And the writer reopens it, checking every head, in about the same time. */
	open_log(f, CYL_RISKLOG_FSYNC_BATCH);
	assert_int_equal(cyl_risklog_size(f->log), 1000000);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_append_close_reopen),
		T(test_fsync_every_policy),
		T(test_root_is_mth_of_entries),
		T(test_entry_size_bounds),
		T(test_second_writer_busy),
		T(test_key_created_0600_with_pub),
		T(test_loose_key_refused),
		T(test_pub_of_another_key_refused),
		T(test_missing_heads_file_refused),
		T(test_torn_entry_tail_cut_and_prefix_verifies),
		T(test_unsigned_entries_after_crash_kept),
		T(test_torn_head_tail_cut),
		T(test_flipped_byte_located),
		T(test_changed_entry_with_good_crc_located),
		T(test_dropped_entry_located),
		T(test_swapped_entries_located),
		T(test_swap_between_sparse_heads_located),
		T(test_inserted_entry_located),
		T(test_truncated_tail_beyond_last_head),
		T(test_forged_head_refused),
		T(test_head_signed_by_another_key_refused),
		T(test_damaged_head_in_the_middle),
		T(test_heads_with_roots_of_nothing),
		T(test_proofs_from_the_view),
		cmocka_unit_test_setup_teardown(test_million_entries_verify, setup_shm,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
