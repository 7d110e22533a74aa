// SPDX-License-Identifier: GPL-2.0
/*
 * The event log: appending lines, following logrotate's rename, the
 * fsync modes, write failures, and reading the last lines back.
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

#include "core/event.h"
#include "core/eventlog.h"

struct fixture {
	char dir[64];
	char path[128];
	struct cyl_eventlog *log;
	json_t *arr;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/test_eventlog.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	/* A subdirectory the log must create itself. */
	snprintf(f->path, sizeof(f->path), "%s/cylcomed/events.jsonl", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	cyl_eventlog_close(f->log);
	json_decref(f->arr);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd))
		return -1;
	free(f);
	return 0;
}

static json_t *event(const char *type, int i)
{
	json_t *ev = cyl_event_new(type, i % 2 ? "monitor-icu-1" : NULL, NULL,
				   "allow", "test");

	cyl_event_stamp(ev, 0, "gw", i);
	return ev;
}

static int put(struct fixture *f, const char *type, int i)
{
	json_t *ev = event(type, i);
	int ret = cyl_eventlog_write(f->log, ev);

	json_decref(ev);
	return ret;
}

static int count_lines(const char *path)
{
	FILE *fp = fopen(path, "r");
	int n = 0, ch;

	if (!fp)
		return -1;
	while ((ch = fgetc(fp)) != EOF)
		n += ch == '\n';
	fclose(fp);
	return n;
}

static void test_eventlog_appends_json_lines_mode_0640(void **state)
{
	struct fixture *f = *state;
	char dir[128], line[512];
	struct stat st;
	FILE *fp;

	assert_int_equal(cyl_eventlog_open(&f->log, f->path,
					   CYL_EVENTLOG_FSYNC_NEVER), 0);
	assert_int_equal(put(f, "policy_load", 1), 0);
	assert_int_equal(put(f, "tty_open", 2), 0);
	assert_int_equal(count_lines(f->path), 2);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640 & ~umask(022));
	snprintf(dir, sizeof(dir), "%s/cylcomed", f->dir);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0750 & ~022);

	fp = fopen(f->path, "r");
	assert_non_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	assert_string_equal(line, "{\"time\":\"1970-01-01T00:00:00.000Z\",\"host\":\"gw\","
			    "\"seq\":1,\"type\":\"policy_load\",\"device\":\"monitor-icu-1\","
			    "\"subject\":null,\"verdict\":\"allow\",\"reason\":\"test\"}\n");
}

static void test_eventlog_reopens_after_rename(void **state)
{
	struct fixture *f = *state;
	struct cyl_eventlog_stats st;
	char old[160];

	assert_int_equal(cyl_eventlog_open(&f->log, f->path,
					   CYL_EVENTLOG_FSYNC_NEVER), 0);
	assert_int_equal(put(f, "a", 1), 0);
	snprintf(old, sizeof(old), "%s.1", f->path);
	assert_int_equal(rename(f->path, old), 0);
	assert_int_equal(put(f, "b", 2), 0);
	assert_int_equal(count_lines(old), 1);
	assert_int_equal(count_lines(f->path), 1);
	cyl_eventlog_get_stats(f->log, &st);
	assert_int_equal(st.reopens, 1);
}

static void test_eventlog_reopens_after_unlink(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_eventlog_open(&f->log, f->path,
					   CYL_EVENTLOG_FSYNC_NEVER), 0);
	assert_int_equal(put(f, "a", 1), 0);
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(put(f, "b", 2), 0);
	assert_int_equal(count_lines(f->path), 1);
}

static void test_eventlog_explicit_reopen(void **state)
{
	struct fixture *f = *state;
	char old[160];

	assert_int_equal(cyl_eventlog_open(&f->log, f->path,
					   CYL_EVENTLOG_FSYNC_NEVER), 0);
	snprintf(old, sizeof(old), "%s.1", f->path);
	assert_int_equal(rename(f->path, old), 0);
	assert_int_equal(cyl_eventlog_reopen(f->log), 0);
	assert_int_equal(access(f->path, F_OK), 0);
}

static void test_eventlog_fsync_always_syncs_each_line(void **state)
{
	struct fixture *f = *state;
	struct cyl_eventlog_stats st;

	assert_int_equal(cyl_eventlog_open(&f->log, f->path,
					   CYL_EVENTLOG_FSYNC_ALWAYS), 0);
	assert_int_equal(put(f, "a", 1), 0);
	assert_int_equal(put(f, "b", 2), 0);
	cyl_eventlog_get_stats(f->log, &st);
	assert_int_equal(st.lines, 2);
	assert_int_equal(st.syncs, 2);
}

static void test_eventlog_fsync_interval_syncs_only_when_asked(void **state)
{
	struct fixture *f = *state;
	struct cyl_eventlog_stats st;

	assert_int_equal(cyl_eventlog_open(&f->log, f->path,
					   CYL_EVENTLOG_FSYNC_INTERVAL), 0);
	assert_int_equal(put(f, "a", 1), 0);
	assert_int_equal(put(f, "b", 2), 0);
	cyl_eventlog_get_stats(f->log, &st);
	assert_int_equal(st.syncs, 0);
	assert_int_equal(cyl_eventlog_sync(f->log), 0);
	assert_int_equal(cyl_eventlog_sync(f->log), 0);	/* clean: no-op */
	cyl_eventlog_get_stats(f->log, &st);
	assert_int_equal(st.syncs, 1);
}

static void test_eventlog_fsync_never_never_syncs(void **state)
{
	struct fixture *f = *state;
	struct cyl_eventlog_stats st;

	assert_int_equal(cyl_eventlog_open(&f->log, f->path,
					   CYL_EVENTLOG_FSYNC_NEVER), 0);
	assert_int_equal(put(f, "a", 1), 0);
	assert_int_equal(cyl_eventlog_sync(f->log), 0);
	cyl_eventlog_get_stats(f->log, &st);
	assert_int_equal(st.syncs, 0);
}

static void test_eventlog_fsync_mode_parsed(void **state)
{
	enum cyl_eventlog_fsync m;

	assert_int_equal(cyl_eventlog_parse_fsync("always", &m), 0);
	assert_int_equal(m, CYL_EVENTLOG_FSYNC_ALWAYS);
	assert_int_equal(cyl_eventlog_parse_fsync("never", &m), 0);
	assert_int_equal(m, CYL_EVENTLOG_FSYNC_NEVER);
	assert_int_equal(cyl_eventlog_parse_fsync("interval", &m), 0);
	assert_int_equal(m, CYL_EVENTLOG_FSYNC_INTERVAL);
	assert_int_equal(cyl_eventlog_parse_fsync("sometimes", &m), -EINVAL);
}

/* /dev/full takes the open and refuses every write with ENOSPC. */
static void test_eventlog_write_failure_reported(void **state)
{
	struct fixture *f = *state;
	struct cyl_eventlog_stats st;

	assert_int_equal(cyl_eventlog_open(&f->log, "/dev/full",
					   CYL_EVENTLOG_FSYNC_NEVER), 0);
	assert_int_equal(put(f, "a", 1), -ENOSPC);
	assert_int_equal(put(f, "b", 2), -ENOSPC);
	cyl_eventlog_get_stats(f->log, &st);
	assert_int_equal(st.errors, 2);
	assert_int_equal(st.lines, 0);
}

static void test_eventlog_open_failure_reported(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_eventlog_open(&f->log, "/proc/no/such/dir/x.jsonl",
					   CYL_EVENTLOG_FSYNC_NEVER), -ENOENT);
	assert_null(f->log);
}

static bool only_type(const json_t *ev, void *ctx)
{
	return cyl_event_match(ev, ctx, NULL);
}

static void test_eventlog_tail_last_n_matching_oldest_first(void **state)
{
	struct fixture *f = *state;
	int i, fd;

	assert_int_equal(cyl_eventlog_open(&f->log, f->path,
					   CYL_EVENTLOG_FSYNC_NEVER), 0);
	/* Enough lines to span several read chunks. */
	for (i = 1; i <= 2000; i++)
		assert_int_equal(put(f, i % 3 ? "tty_open" : "policy_load", i), 0);
	/* Garbage and an unfinished line are skipped. */
	fd = open(f->path, O_WRONLY | O_APPEND);
	assert_true(write(fd, "not json\n{\"type\":\"tty_open\"", 27) == 27);
	close(fd);

	assert_int_equal(cyl_eventlog_tail(f->path, 3, 1 << 20, only_type,
					   "policy_load", &f->arr), 0);
	assert_int_equal(json_array_size(f->arr), 3);
	assert_int_equal(json_integer_value(json_object_get(
				json_array_get(f->arr, 0), "seq")), 1992);
	assert_int_equal(json_integer_value(json_object_get(
				json_array_get(f->arr, 2), "seq")), 1998);
	json_decref(f->arr);

	assert_int_equal(cyl_eventlog_tail(f->path, 200, 1 << 20, NULL, NULL,
					   &f->arr), 0);
	assert_int_equal(json_array_size(f->arr), 200);
	assert_int_equal(json_integer_value(json_object_get(
				json_array_get(f->arr, 199), "seq")), 2000);
	json_decref(f->arr);

	/* The byte budget stops early. */
	assert_int_equal(cyl_eventlog_tail(f->path, 200, 1000, NULL, NULL,
					   &f->arr), 0);
	assert_true(json_array_size(f->arr) < 10);
	assert_true(json_array_size(f->arr) > 0);
}

static void test_eventlog_tail_of_missing_file_is_empty(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cyl_eventlog_tail(f->path, 5, 1 << 20, NULL, NULL,
					   &f->arr), 0);
	assert_int_equal(json_array_size(f->arr), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_eventlog_appends_json_lines_mode_0640),
		T(test_eventlog_reopens_after_rename),
		T(test_eventlog_reopens_after_unlink),
		T(test_eventlog_explicit_reopen),
		T(test_eventlog_fsync_always_syncs_each_line),
		T(test_eventlog_fsync_interval_syncs_only_when_asked),
		T(test_eventlog_fsync_never_never_syncs),
		T(test_eventlog_fsync_mode_parsed),
		T(test_eventlog_write_failure_reported),
		T(test_eventlog_open_failure_reported),
		T(test_eventlog_tail_last_n_matching_oldest_first),
		T(test_eventlog_tail_of_missing_file_is_empty),
	};

	umask(022);
	return cmocka_run_group_tests_name("eventlog", tests, NULL, NULL);
}
