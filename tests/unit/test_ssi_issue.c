// SPDX-License-Identifier: GPL-2.0
/*
 * The gateway as CP-ABE key authority (ssi/issue.c): the master key file
 * is read only when its owner alone may read it, only as a master key
 * and only when it decodes; an issued key names its holder and expiry,
 * carries exactly the attributes asked for, and opens what they satisfy
 * and nothing else.
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
#include <openssl/crypto.h>

#include "abe/armour.h"
#include "abe/encoding.h"
#include "abe/fame.h"
#include "abe/policy.h"
#include "ssi/issue.h"

#define HOLDER	"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"

struct fixture {
	char dir[64], path[96];
	struct cyl_fame_pk pk;
	struct cyl_fame_msk msk;
	char *msk_text;		/* the armoured master key */
};

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint8_t *buf;
	size_t len;

	if (!f)
		return -1;
	*state = f;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_ssi_issue.XXXXXX");
	if (!mkdtemp(f->dir) || cyl_fame_setup(&f->pk, &f->msk) ||
	    cyl_abe_msk_encode(&f->msk, &buf, &len))
		return -1;
	if (cyl_armour_encode(CYL_ARMOUR_MSK, buf, len, &f->msk_text))
		return -1;
	OPENSSL_clear_free(buf, len);
	snprintf(f->path, sizeof(f->path), "%s/master.key", f->dir);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	rmdir(f->dir);
	cyl_fame_msk_clear(&f->msk);
	free(f->msk_text);
	free(f);
	return 0;
}

/* Load @path; expect @ret and, when it fails, @want in the message. */
static void assert_load(const char *path, int ret, const char *want)
{
	struct cyl_fame_msk msk;
	char err[512] = "";

	assert_int_equal(cyl_ssi_msk_load(path, &msk, err, sizeof(err)), ret);
	if (ret && !strstr(err, want))
		fail_msg("\"%s\" does not say \"%s\"", err, want);
	if (!ret)
		cyl_fame_msk_clear(&msk);
}

static void test_issue_msk_loads_the_same_key(void **state)
{
	struct fixture *f = *state;
	struct cyl_fame_msk msk;
	uint8_t *a, *b;
	size_t alen, blen;
	char err[256], text[4096];

	/* A comment before the block is allowed, as in every key file. */
	snprintf(text, sizeof(text), "# the gateway's authority\n%s", f->msk_text);
	write_file(f->path, text, 0600);
	assert_int_equal(cyl_ssi_msk_load(f->path, &msk, err, sizeof(err)), 0);
	assert_int_equal(cyl_abe_msk_encode(&msk, &a, &alen), 0);
	assert_int_equal(cyl_abe_msk_encode(&f->msk, &b, &blen), 0);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	OPENSSL_clear_free(a, alen);
	OPENSSL_clear_free(b, blen);
	cyl_fame_msk_clear(&msk);
	/* Owner read-only is fine too. */
	assert_int_equal(chmod(f->path, 0400), 0);
	assert_load(f->path, 0, NULL);
}

/* Any bit for group or others refuses the key, naming the mode. */
static void test_issue_msk_loose_mode_refused(void **state)
{
	static const mode_t modes[] = { 0640, 0604, 0620, 0602, 0610, 0601, 0644, 0666 };
	struct fixture *f = *state;
	char want[128];
	size_t i;

	write_file(f->path, f->msk_text, 0600);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		assert_int_equal(chmod(f->path, modes[i]), 0);
		snprintf(want, sizeof(want), "mode %04o: a master key must be readable by its "
			 "owner only (chmod 600 it)", (unsigned int)modes[i]);
		assert_load(f->path, -EPERM, want);
	}
}

static void test_issue_msk_bad_files_refused(void **state)
{
	struct fixture *f = *state;
	char link[128], text[4096];
	uint8_t *buf;
	size_t len;

	/* Missing. */
	assert_load(f->path, -ENOENT, "No such file or directory");
	/* A directory, and a symlink to a good key. */
	assert_load(f->dir, -EINVAL, "not a regular file");
	write_file(f->path, f->msk_text, 0600);
	snprintf(link, sizeof(link), "%s/link.key", f->dir);
	assert_int_equal(symlink(f->path, link), 0);
	assert_load(link, -ELOOP, "symbolic links");
	unlink(link);
	/* Another kind of key is named as such. */
	assert_int_equal(cyl_abe_pk_encode(&f->pk, &buf, &len), 0);
	{
		char *pk;

		assert_int_equal(cyl_armour_encode(CYL_ARMOUR_PK, buf, len, &pk), 0);
		write_file(f->path, pk, 0600);
		free(pk);
	}
	free(buf);
	assert_load(f->path, -EINVAL, CYL_ARMOUR_PK);
	/* A master key with one base64 character changed does not decode. */
	snprintf(text, sizeof(text), "%s", f->msk_text);
	/* (the magic: a changed scalar would still be a key) */
	text[strlen("-----BEGIN " CYL_ARMOUR_MSK "-----\n")] ^= 0x01;
	write_file(f->path, text, 0600);
	assert_load(f->path, -EINVAL, f->path);
	/* Not armour at all. */
	write_file(f->path, "hello\n", 0600);
	assert_load(f->path, -EINVAL, f->path);
}

/* Decrypt an encapsulation under @policy with the armoured key @text. */
static int open_with(struct fixture *f, const char *text, const char *policy)
{
	struct cyl_abe_policy *p;
	struct cyl_fame_key key;
	struct cyl_abe_key_meta meta;
	struct cyl_fame_ct ct;
	cyl_fp12 kem, got;
	uint8_t *buf;
	size_t len;
	char err[256];
	int ret;

	assert_int_equal(cyl_armour_decode(text, strlen(text), CYL_ARMOUR_KEY, &buf, &len,
					   err, sizeof(err)), 0);
	assert_int_equal(cyl_abe_key_decode(&key, &meta, buf, len, err, sizeof(err)), 0);
	OPENSSL_clear_free(buf, len);
	assert_int_equal(cyl_abe_policy_parse(policy, &p, err, sizeof(err)), 0);
	assert_int_equal(cyl_fame_encrypt(&ct, &kem, &f->pk, p), 0);
	ret = cyl_fame_decrypt(&got, &key, &ct);
	if (!ret)
		assert_true(cyl_fp12_eq(&got, &kem));
	cyl_fame_ct_free(&ct);
	cyl_abe_policy_free(p);
	cyl_fame_key_free(&key);
	cyl_abe_key_meta_free(&meta);
	return ret;
}

static void test_issue_key_names_holder_and_expiry(void **state)
{
	static const char *const attrs[] = { "role:cardiologist", "ward:ICU" };
	struct fixture *f = *state;
	struct cyl_abe_key_meta meta;
	struct cyl_fame_key key;
	char err[256], *text;
	uint8_t *buf;
	size_t len;

	assert_int_equal(cyl_ssi_issue_key(&f->msk, attrs, 2, HOLDER, 1767225600, &text,
					   err, sizeof(err)), 0);
	assert_non_null(strstr(text, "-----BEGIN " CYL_ARMOUR_KEY "-----\n"));
	assert_int_equal(cyl_armour_decode(text, strlen(text), CYL_ARMOUR_KEY, &buf, &len,
					   err, sizeof(err)), 0);
	assert_int_equal(cyl_abe_key_decode(&key, &meta, buf, len, err, sizeof(err)), 0);
	OPENSSL_clear_free(buf, len);
	assert_string_equal(meta.subject, HOLDER);
	assert_int_equal(meta.not_after, 1767225600);
	assert_int_equal(key.n_attrs, 2);
	assert_string_equal(key.attrs[0], "role:cardiologist");
	assert_string_equal(key.attrs[1], "ward:ICU");
	cyl_fame_key_free(&key);
	cyl_abe_key_meta_free(&meta);

	/* It opens what its attributes satisfy, and nothing else. */
	assert_int_equal(open_with(f, text, "role:cardiologist and ward:ICU"), 0);
	assert_int_equal(open_with(f, text, "role:dpo or ward:ICU"), 0);
	assert_int_equal(open_with(f, text, "role:cardiologist and ward:CCU"), -EACCES);
	assert_int_equal(open_with(f, text, "role:dpo"), -EACCES);
	OPENSSL_clear_free(text, strlen(text));
}

static void test_issue_key_refusals(void **state)
{
	static const char *const dup[] = { "role:dpo", "role:dpo" };
	struct fixture *f = *state;
	char err[256], subject[1100], *text = (char *)1;

	memset(subject, 'a', sizeof(subject) - 1);
	subject[sizeof(subject) - 1] = '\0';
	assert_int_equal(cyl_ssi_issue_key(&f->msk, dup, 1, subject, 0, &text, err,
					   sizeof(err)), -EINVAL);
	assert_null(text);
	assert_string_equal(err, "the holder's DID is longer than 1024 bytes");
	assert_int_equal(cyl_ssi_issue_key(&f->msk, dup, 2, HOLDER, 0, &text, err,
					   sizeof(err)), -EINVAL);
	assert_null(text);
	assert_string_equal(err, "key generation: Invalid argument");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_issue_msk_loads_the_same_key),
		T(test_issue_msk_loose_mode_refused),
		T(test_issue_msk_bad_files_refused),
		T(test_issue_key_names_holder_and_expiry),
		T(test_issue_key_refusals),
	};

	return cmocka_run_group_tests_name("ssi_issue", tests, NULL, NULL);
}
