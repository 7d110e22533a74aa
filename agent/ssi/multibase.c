// SPDX-License-Identifier: GPL-2.0
/*
 * Multibase base58btc and base64url, and multicodec varints.  Decoding
 * accepts only what encoding produces, so that one key or signature has
 * exactly one text: base58btc is canonical by construction (a leading
 * zero byte is a '1', the rest a number without leading zero digits);
 * base64url is refused with padding or with non-zero bits after the last
 * byte.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ssi/multibase.h"
#include "util/errbuf.h"

static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
static const char b64u[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static char *b58_encode(const uint8_t *in, size_t len)
{
	size_t zeros = 0, ndig = 0, cap, i, j;
	uint8_t *dig;
	char *out, *p;

	while (zeros < len && !in[zeros])
		zeros++;
	/* log(256) / log(58) < 1.37 digits per byte */
	cap = (len - zeros) * 137 / 100 + 1;
	dig = calloc(cap, 1);
	out = malloc(2 + zeros + cap);
	if (!dig || !out) {
		free(dig);
		free(out);
		return NULL;
	}
	/* dig[] holds base-58 digits, least significant first. */
	for (i = zeros; i < len; i++) {
		unsigned int carry = in[i];

		for (j = 0; j < ndig || carry; j++) {
			carry += (unsigned int)(j < ndig ? dig[j] : 0) << 8;
			dig[j] = carry % 58;
			carry /= 58;
		}
		ndig = j;
	}
	p = out;
	*p++ = 'z';
	memset(p, '1', zeros);
	p += zeros;
	while (ndig)
		*p++ = b58[dig[--ndig]];
	*p = '\0';
	free(dig);
	return out;
}

static char *b64u_encode(const uint8_t *in, size_t len)
{
	char *out = malloc(2 + (len + 2) / 3 * 4), *p = out;
	size_t i;

	if (!out)
		return NULL;
	*p++ = 'u';
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | in[i + 1] << 8 | in[i + 2];

		*p++ = b64u[v >> 18];
		*p++ = b64u[(v >> 12) & 63];
		*p++ = b64u[(v >> 6) & 63];
		*p++ = b64u[v & 63];
	}
	if (len - i == 1) {
		*p++ = b64u[in[i] >> 2];
		*p++ = b64u[(in[i] & 3) << 4];
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)in[i] << 8 | in[i + 1];

		*p++ = b64u[v >> 10];
		*p++ = b64u[(v >> 4) & 63];
		*p++ = b64u[(v & 15) << 2];
	}
	*p = '\0';
	return out;
}

int cyl_multibase_encode(char base, const uint8_t *in, size_t len, char **out)
{
	if (base == 'z')
		*out = b58_encode(in, len);
	else if (base == 'u')
		*out = b64u_encode(in, len);
	else
		return -EINVAL;
	return *out ? 0 : -ENOMEM;
}

static int bad_char(const char *s, size_t off, const char *base, char *err, size_t errlen)
{
	unsigned char c = s[off];

	if (c > ' ' && c < 0x7f)
		return cyl_errf(-EINVAL, err, errlen, "'%c' at offset %zu is not %s", c, off,
				base);
	return cyl_errf(-EINVAL, err, errlen, "byte 0x%02x at offset %zu is not %s", c, off,
			base);
}

static int b58_decode(const char *s, size_t n, uint8_t **out, size_t *len,
		      char *err, size_t errlen)
{
	size_t zeros = 0, used = 0, i, j;
	uint8_t *num;

	/* Any text longer than this decodes to more than the maximum. */
	if (n > 2 * CYL_MULTIBASE_B58_MAX)
		goto too_long;
	for (i = 0; i < n; i++)
		if (!strchr(b58, s[i]))
			return bad_char(s - 1, i + 1, "base58btc", err, errlen);
	while (zeros < n && s[zeros] == '1')
		zeros++;
	/* The number, big endian, in the last `used` bytes of num[]. */
	num = calloc(n, 1);
	if (!num)
		return -ENOMEM;
	for (i = zeros; i < n; i++) {
		unsigned int carry = strchr(b58, s[i]) - b58;

		for (j = 0; j < used || carry; j++) {
			carry += (unsigned int)(j < used ? num[n - 1 - j] : 0) * 58;
			num[n - 1 - j] = carry & 0xff;
			carry >>= 8;
		}
		used = j;
	}
	if (zeros + used > CYL_MULTIBASE_B58_MAX) {
		free(num);
		goto too_long;
	}
	/* The leading '1's become the zero bytes before the number. */
	memmove(num + zeros, num + n - used, used);
	memset(num, 0, zeros);
	*out = num;
	*len = zeros + used;
	return 0;
too_long:
	return cyl_errf(-EINVAL, err, errlen, "more than %u bytes",
			(unsigned int)CYL_MULTIBASE_B58_MAX);
}

static int b64u_value(char c)
{
	const char *p = c ? strchr(b64u, c) : NULL;

	return p ? p - b64u : -1;
}

static int b64u_decode(const char *s, size_t n, uint8_t **out, size_t *len,
		       char *err, size_t errlen)
{
	size_t dlen = n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0), i, o = 0;
	uint32_t acc = 0;
	unsigned int bits = 0;
	uint8_t *buf;
	int v;

	for (i = 0; i < n; i++) {
		if (s[i] == '=')
			return cyl_errf(-EINVAL, err, errlen, "padding at offset %zu", i + 1);
		if (b64u_value(s[i]) < 0)
			return bad_char(s - 1, i + 1, "base64url", err, errlen);
	}
	if (n % 4 == 1)
		return cyl_errf(-EINVAL, err, errlen,
				"%zu characters, not a whole number of bytes", n);
	if (dlen > CYL_MULTIBASE_MAX)
		return cyl_errf(-EINVAL, err, errlen, "more than %u bytes",
				(unsigned int)CYL_MULTIBASE_MAX);
	/* The last character's bits beyond the last byte must be zero. */
	v = b64u_value(s[n - 1]);
	if ((n % 4 == 2 && (v & 15)) || (n % 4 == 3 && (v & 3)))
		return cyl_errf(-EINVAL, err, errlen, "non-zero trailing bits at offset %zu", n);
	buf = malloc(dlen);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		acc = acc << 6 | b64u_value(s[i]);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = acc >> bits;
			acc &= (1u << bits) - 1;
		}
	}
	*out = buf;
	*len = dlen;
	return 0;
}

int cyl_multibase_decode(const char *s, uint8_t **out, size_t *len,
			 char *err, size_t errlen)
{
	size_t n = strlen(s);

	if (n < 2)
		return cyl_errf(-EINVAL, err, errlen, "empty");
	if (s[0] == 'z')
		return b58_decode(s + 1, n - 1, out, len, err, errlen);
	if (s[0] == 'u')
		return b64u_decode(s + 1, n - 1, out, len, err, errlen);
	return bad_char(s, 0, "a known multibase prefix", err, errlen);
}

int cyl_multicodec_split(const uint8_t *in, size_t len, uint64_t *code,
			 const uint8_t **body, size_t *body_len)
{
	uint64_t v = 0;
	size_t i;

	/* The unsigned-varint spec: at most 9 bytes (63 bits), minimal. */
	for (i = 0; i < 9 && i < len; i++) {
		v |= (uint64_t)(in[i] & 0x7f) << (7 * i);
		if (in[i] & 0x80)
			continue;
		if (i && !in[i])
			return -EINVAL;
		*code = v;
		*body = in + i + 1;
		*body_len = len - i - 1;
		return 0;
	}
	return -EINVAL;
}

size_t cyl_multicodec_put(uint64_t code, uint8_t out[10])
{
	size_t n = 0;

	do {
		out[n] = code & 0x7f;
		code >>= 7;
		if (code)
			out[n] |= 0x80;
		n++;
	} while (code);
	return n;
}
