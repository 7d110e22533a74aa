// SPDX-License-Identifier: GPL-2.0
/*
 * Record key files: raw and hex forms, what is refused (without quoting
 * key material), and the permission warning.
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

#include "store/key.h"

#define HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static void expect_key(const uint8_t key[32])
{
	size_t i;

	for (i = 0; i < 32; i++)
		assert_int_equal(key[i], i);
}

static void test_raw_key(void **state)
{
	uint8_t raw[32], key[32];
	size_t i;

	for (i = 0; i < 32; i++)
		raw[i] = (uint8_t)i;
	assert_int_equal(cyl_key_parse(raw, 32, key, NULL, 0), 0);
	expect_key(key);
}

static void test_hex_key_with_and_without_newline(void **state)
{
	uint8_t key[32];
	char upper[66];
	size_t i;

	assert_int_equal(cyl_key_parse(HEX, 64, key, NULL, 0), 0);
	expect_key(key);
	assert_int_equal(cyl_key_parse(HEX "\n", 65, key, NULL, 0), 0);
	expect_key(key);
	for (i = 0; i < 65; i++)
		upper[i] = (char)((HEX "\n")[i] >= 'a' ? (HEX "\n")[i] - 32 : (HEX "\n")[i]);
	assert_int_equal(cyl_key_parse(upper, 65, key, NULL, 0), 0);
	expect_key(key);
}

static void test_bad_keys_refused_without_quoting(void **state)
{
	char bad[65], err[160];
	uint8_t key[32];

	assert_int_equal(cyl_key_parse(HEX "\n\n", 66, key, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "66 bytes"));
	assert_int_equal(cyl_key_parse(HEX "\r\n", 66, key, err, sizeof(err)), -EINVAL);
	assert_int_equal(cyl_key_parse("abcd", 4, key, err, sizeof(err)), -EINVAL);
	memcpy(bad, HEX, 64);
	bad[10] = 'Z';
	assert_int_equal(cyl_key_parse(bad, 64, key, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "offset 10"));
	assert_null(strchr(err, 'Z'));
}

static void test_hex_round_trip(void **state)
{
	uint8_t key[32];
	char hex[65];

	assert_int_equal(cyl_key_parse(HEX, 64, key, NULL, 0), 0);
	cyl_key_hex(key, hex);
	assert_string_equal(hex, HEX);
}

static void write_key_file(const char *path, mode_t mode, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void test_read_flags_loose_permissions(void **state)
{
	char dir[] = "/tmp/test_key.XXXXXX", path[64], err[160];
	uint8_t key[32];
	bool loose;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k", dir);

	write_key_file(path, 0600, HEX "\n");
	assert_int_equal(cyl_key_read(path, key, &loose, err, sizeof(err)), 0);
	expect_key(key);
	assert_false(loose);

	write_key_file(path, 0640, HEX "\n");
	assert_int_equal(cyl_key_read(path, key, &loose, err, sizeof(err)), 0);
	assert_true(loose);

	write_key_file(path, 0604, HEX);
	assert_int_equal(cyl_key_read(path, key, &loose, err, sizeof(err)), 0);
	assert_true(loose);

	write_key_file(path, 0600, HEX HEX HEX);
	assert_int_equal(cyl_key_read(path, key, &loose, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "longer than"));

	unlink(path);
	assert_int_equal(cyl_key_read(path, key, &loose, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, path));
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_key),
		cmocka_unit_test(test_hex_key_with_and_without_newline),
		cmocka_unit_test(test_bad_keys_refused_without_quoting),
		cmocka_unit_test(test_hex_round_trip),
		cmocka_unit_test(test_read_flags_loose_permissions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
