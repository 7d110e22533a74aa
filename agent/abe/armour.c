// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "abe/armour.h"
#include "util/errbuf.h"

#define LINE		64
#define DASHES		"-----"
#define LABEL_MAX	64

int cyl_armour_encode(const char *label, const uint8_t *data, size_t len, char **out)
{
	size_t b64 = 4 * ((len + 2) / 3), lines = (b64 + LINE - 1) / LINE;
	size_t cap = 2 * (sizeof(DASHES) * 2 + 12 + strlen(label)) + b64 + lines + 1;
	char *text, *p, *enc;
	size_t i;

	if (len > CYL_ARMOUR_MAX)
		return -EINVAL;
	text = malloc(cap);
	enc = malloc(b64 + 1);
	if (!text || !enc) {
		free(text);
		free(enc);
		return -ENOMEM;
	}
	EVP_EncodeBlock((unsigned char *)enc, data, (int)len);
	p = text + sprintf(text, DASHES "BEGIN %s" DASHES "\n", label);
	for (i = 0; i < b64; i += LINE) {
		size_t n = b64 - i < LINE ? b64 - i : LINE;

		memcpy(p, enc + i, n);
		p += n;
		*p++ = '\n';
	}
	sprintf(p, DASHES "END %s" DASHES "\n", label);
	OPENSSL_cleanse(enc, b64);
	free(enc);
	*out = text;
	return 0;
}

/* The label of a "-----BEGIN X-----" line into @label; false if not one. */
static bool begin_line(const char *line, size_t n, char label[LABEL_MAX + 1])
{
	size_t pre = sizeof(DASHES "BEGIN ") - 1, d = sizeof(DASHES) - 1;

	if (n < pre + d + 1 || memcmp(line, DASHES "BEGIN ", pre) ||
	    memcmp(line + n - d, DASHES, d) || n - pre - d > LABEL_MAX)
		return false;
	memcpy(label, line + pre, n - pre - d);
	label[n - pre - d] = '\0';
	return true;
}

int cyl_armour_decode(const char *text, size_t len, const char *label,
		      uint8_t **out, size_t *out_len, char *err, size_t errlen)
{
	char found[LABEL_MAX + 1], end[LABEL_MAX + 16];
	size_t off = 0, n, b64 = 0, lineno = 0, begin_line_no = 0;
	unsigned char *buf = NULL;
	const char *line, *nl;
	bool inside = false;
	int dec, pad;

	snprintf(end, sizeof(end), DASHES "END %s" DASHES, label);
	buf = malloc(len + 4);
	if (!buf)
		return -ENOMEM;
	while (off < len) {
		line = text + off;
		nl = memchr(line, '\n', len - off);
		n = nl ? (size_t)(nl - line) : len - off;
		off += n + (nl ? 1 : 0);
		lineno++;
		if (n && line[n - 1] == '\r')
			n--;
		if (!inside) {
			if (!begin_line(line, n, found))
				continue;
			if (strcmp(found, label)) {
				free(buf);
				return cyl_errf(-EINVAL, err, errlen,
						"line %zu: this is a \"%s\", expected a \"%s\"",
						lineno, found, label);
			}
			inside = true;
			begin_line_no = lineno;
			continue;
		}
		if (n == strlen(end) && !memcmp(line, end, n)) {
			if (b64 % 4 || !b64)
				break;
			/* EVP_DecodeBlock counts padding as zero bytes. */
			pad = (buf[b64 - 1] == '=') + (buf[b64 - 2] == '=');
			if (memchr(buf, '=', b64 - pad))
				break;
			dec = EVP_DecodeBlock(buf, buf, (int)b64);
			if (dec < 0)
				break;
			if ((size_t)(dec - pad) > CYL_ARMOUR_MAX) {
				OPENSSL_clear_free(buf, len + 4);
				return cyl_errf(-EINVAL, err, errlen, "line %zu: block too large",
						lineno);
			}
			*out = buf;
			*out_len = (size_t)(dec - pad);
			return 0;
		}
		if (n >= strlen(DASHES) && !memcmp(line, DASHES, strlen(DASHES))) {
			OPENSSL_clear_free(buf, len + 4);
			return cyl_errf(-EINVAL, err, errlen, "line %zu: expected \"%s\"",
					lineno, end);
		}
		if (n > LINE || strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					   "0123456789+/=") < n) {
			OPENSSL_clear_free(buf, len + 4);
			return cyl_errf(-EINVAL, err, errlen, "line %zu: not a base64 line",
					lineno);
		}
		memcpy(buf + b64, line, n);
		b64 += n;
	}
	OPENSSL_clear_free(buf, len + 4);
	if (!inside)
		return cyl_errf(-EINVAL, err, errlen, "no \"-----BEGIN %s-----\" line", label);
	return cyl_errf(-EINVAL, err, errlen, "line %zu: the block begun there is %s",
			begin_line_no, off >= len ? "not closed by its END line"
						  : "not valid base64");
}
