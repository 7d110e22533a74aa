// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "store/key.h"
#include "util/hex.h"
#include "util/errbuf.h"

int cyl_key_parse(const void *buf, size_t len, uint8_t key[CYL_REC_KEY_LEN],
		  char *err, size_t errlen)
{
	const unsigned char *p = buf;
	int hi, lo;
	size_t i;

	if (len == CYL_REC_KEY_LEN) {
		memcpy(key, p, CYL_REC_KEY_LEN);
		return 0;
	}
	if (len == CYL_KEY_HEX_LEN + 1 && p[CYL_KEY_HEX_LEN] == '\n')
		len--;
	if (len != CYL_KEY_HEX_LEN)
		return cyl_errf(-EINVAL, err, errlen,
				"key is %zu bytes: expected %d raw bytes or %d hex digits",
				len, CYL_REC_KEY_LEN, CYL_KEY_HEX_LEN);
	for (i = 0; i < CYL_REC_KEY_LEN; i++) {
		hi = cyl_hex_digit(p[2 * i]);
		lo = cyl_hex_digit(p[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			OPENSSL_cleanse(key, CYL_REC_KEY_LEN);
			/* The offending character is not quoted: it is key material. */
			return cyl_errf(-EINVAL, err, errlen,
					"key is not %d hex digits: bad character at offset %zu",
					CYL_KEY_HEX_LEN, 2 * i + (hi < 0 ? 0 : 1));
		}
		key[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int cyl_key_read(const char *path, uint8_t key[CYL_REC_KEY_LEN], bool *loose,
		 char *err, size_t errlen)
{
	unsigned char buf[CYL_KEY_FILE_MAX + 1];
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "standard input" : path;
	char why[160];
	size_t len = 0;
	struct stat st;
	ssize_t n;
	int fd, ret;

	*loose = false;
	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cyl_errf(-errno, err, errlen, "%s: %s", name, strerror(errno));
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && (st.st_mode & (S_IRGRP | S_IROTH)))
		*loose = true;
	while (len < sizeof(buf)) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = cyl_errf(-errno, err, errlen, "%s: %s", name, strerror(errno));
			goto out;
		}
		if (!n)
			break;
		len += n;
	}
	ret = cyl_errf(-EINVAL, err, errlen, "%s: key file longer than %d bytes",
		       name, CYL_KEY_FILE_MAX);
	if (len > CYL_KEY_FILE_MAX)
		goto out;
	if ((ret = cyl_key_parse(buf, len, key, why, sizeof(why))) != 0)
		cyl_errf(ret, err, errlen, "%s: %s", name, why);
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	if (!is_stdin)
		close(fd);
	return ret;
}

void cyl_key_hex(const uint8_t key[CYL_REC_KEY_LEN],
		 char hex[CYL_KEY_HEX_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < CYL_REC_KEY_LEN; i++) {
		hex[2 * i] = digits[key[i] >> 4];
		hex[2 * i + 1] = digits[key[i] & 15];
	}
	hex[CYL_KEY_HEX_LEN] = '\0';
}
