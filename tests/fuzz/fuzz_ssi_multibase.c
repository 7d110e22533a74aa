// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for multibase and multicodec: the input, up to its
 * first NUL, is decoded as a multibase string or refused with a reason;
 * what decodes is canonical, its encoding in the same base being the very
 * string.  The raw bytes are also split as a multicodec varint, and what
 * splits is written back by cyl_multicodec_put() as the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssi/multibase.c"
#include "util/errbuf.c"

#define check(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

static void varint(const uint8_t *data, size_t size)
{
	const uint8_t *body;
	uint8_t again[10];
	size_t blen, n;
	uint64_t code;

	if (cyl_multicodec_split(data, size, &code, &body, &blen))
		return;
	n = body - data;
	check(n >= 1 && n <= 9 && blen == size - n && code < (1ULL << 63));
	check(cyl_multicodec_put(code, again) == n && !memcmp(again, data, n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "", *s, *enc;
	uint8_t *dec;
	size_t len;

	varint(data, size);
	s = strndup((const char *)data, size);
	if (!s)
		return 0;
	if (cyl_multibase_decode(s, &dec, &len, err, sizeof(err))) {
		check(err[0] && strnlen(err, sizeof(err)) < sizeof(err));
	} else {
		check(len >= 1 && len <= (s[0] == 'z' ? CYL_MULTIBASE_B58_MAX : CYL_MULTIBASE_MAX));
		check(!cyl_multibase_encode(s[0], dec, len, &enc));
		check(!strcmp(enc, s));
		free(enc);
		free(dec);
	}
	free(s);
	return 0;
}
