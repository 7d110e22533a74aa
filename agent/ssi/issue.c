// SPDX-License-Identifier: GPL-2.0
/*
 * The gateway's CP-ABE key authority (see issue.h).  The master key file
 * is opened once and checked on the descriptor it is read from, so the
 * mode that is checked is the mode of the file that is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "abe/armour.h"
#include "abe/encoding.h"
#include "ssi/issue.h"
#include "util/errbuf.h"

/* An armoured master key is under 1 KiB; anything near this is not one. */
#define MSK_FILE_MAX	(64 * 1024)

/* All of @fd, at most MSK_FILE_MAX bytes. */
static int read_fd(int fd, char **text, size_t *len)
{
	char *buf = malloc(MSK_FILE_MAX + 1);
	size_t n = 0;
	ssize_t r;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		r = read(fd, buf + n, MSK_FILE_MAX + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			OPENSSL_clear_free(buf, n);
			return (int)r;
		}
		if (!r)
			break;
		n += r;
		if (n > MSK_FILE_MAX) {
			OPENSSL_clear_free(buf, n);
			return -EFBIG;
		}
	}
	*text = buf;
	*len = n;
	return 0;
}

int cyl_ssi_msk_load(const char *path, struct cyl_fame_msk *msk, char *err, size_t errlen)
{
	char why[256], *text;
	uint8_t *data;
	struct stat st;
	size_t tlen, len;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return cyl_errf(-errno, err, errlen, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		ret = cyl_errf(-errno, err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	ret = cyl_errf(-EINVAL, err, errlen, "%s: not a regular file", path);
	if (!S_ISREG(st.st_mode))
		goto out;
	ret = cyl_errf(-EPERM, err, errlen,
		       "%s: mode %04o: a master key must be readable by its owner only "
		       "(chmod 600 it)", path, (unsigned int)(st.st_mode & 07777));
	if (st.st_mode & 077)
		goto out;
	ret = read_fd(fd, &text, &tlen);
	if (ret) {
		cyl_errf(ret, err, errlen, "%s: %s", path,
			 ret == -EFBIG ? "too large for a master key" : strerror(-ret));
		goto out;
	}
	ret = cyl_armour_decode(text, tlen, CYL_ARMOUR_MSK, &data, &len, why, sizeof(why));
	OPENSSL_clear_free(text, tlen);
	if (ret) {
		cyl_errf(ret, err, errlen, "%s: %s", path, why);
		goto out;
	}
	ret = cyl_abe_msk_decode(msk, data, len, why, sizeof(why));
	OPENSSL_clear_free(data, len);
	if (ret)
		cyl_errf(ret, err, errlen, "%s: %s", path, why);
out:
	close(fd);
	return ret;
}

int cyl_ssi_issue_key(const struct cyl_fame_msk *msk, const char *const *attrs, size_t n,
		      const char *subject, uint64_t not_after, char **armoured,
		      char *err, size_t errlen)
{
	struct cyl_abe_key_meta meta = { .subject = (char *)subject, .not_after = not_after };
	struct cyl_fame_key key;
	uint8_t *buf;
	size_t len;
	int ret;

	*armoured = NULL;
	if (strlen(subject) > CYL_ABE_SUBJECT_MAX)
		return cyl_errf(-EINVAL, err, errlen, "the holder's DID is longer than %d bytes",
				CYL_ABE_SUBJECT_MAX);
	ret = cyl_fame_keygen(&key, msk, attrs, n);
	if (ret)
		return cyl_errf(ret, err, errlen, "key generation: %s", strerror(-ret));
	ret = cyl_abe_key_encode(&key, &meta, &buf, &len);
	cyl_fame_key_free(&key);
	if (ret)
		return cyl_errf(ret, err, errlen, "key encoding: %s", strerror(-ret));
	ret = cyl_armour_encode(CYL_ARMOUR_KEY, buf, len, armoured);
	OPENSSL_clear_free(buf, len);
	if (ret)
		return cyl_errf(ret, err, errlen, "key armour: %s", strerror(-ret));
	return 0;
}
