// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 8785 JSON Canonicalization Scheme over jansson values.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssi/jcs.h"
#include "util/strbuf.h"

/*
 * The @p-digit decimal next to dig[0].dig[1..p-1] * 10^*x, one unit in
 * the last place up or down.
 */
static void step(char *dig, int p, int *x, bool up)
{
	int i = p - 1;

	if (up) {
		while (i >= 0 && dig[i] == '9')
			dig[i--] = '0';
		if (i < 0) {		/* 9.99 -> 1.00e+1 */
			dig[0] = '1';
			(*x)++;
		} else {
			dig[i]++;
		}
		return;
	}
	while (dig[i] == '0')
		dig[i--] = '9';
	dig[i]--;
	if (dig[0] == '0') {		/* 1.00 -> 9.99e-1 */
		memmove(dig, dig + 1, p - 1);
		dig[p - 1] = '9';
		(*x)--;
	}
}

/* Whether the @p digits of @dig times 10^@x read back as @d. */
static bool round_trips(const char *dig, int p, int x, double d, double *got)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%c.%.*se%d", dig[0], p - 1, dig + 1, x);
	*got = strtod(tmp, NULL);
	return *got == d;
}

/*
 * ECMAScript Number::toString: the fewest digits that read back as @d,
 * the closest to @d of them if several do, laid out plain from 1e-6 to
 * below 1e21, else as d.ddde+n.  For each length, glibc's
 * correctly rounded digits are the closest; when they miss, the
 * neighbour on d's other side may still hit, since a power of two's
 * rounding interval is narrower below it than above (2^-1017 is
 * 7.120236347223045e-307, not ...0444e-307).
 */
int cyl_jcs_number(double d, char buf[CYL_JCS_NUMBER_MAX])
{
	char tmp[32], digits[18];
	int k, n, x, len = 0, i;
	double got;

	if (!isfinite(d))
		return -EINVAL;
	if (d == 0) {		/* and -0 */
		strcpy(buf, "0");
		return 1;
	}
	if (d < 0) {
		buf[len++] = '-';
		d = -d;
	}
	for (k = 1; k < 17; k++) {
		/* tmp is "D.DDDDe+XX" (or "De+XX"): digits, then the exponent */
		snprintf(tmp, sizeof(tmp), "%.*e", k - 1, d);
		digits[0] = tmp[0];
		memcpy(digits + 1, tmp + 2, k - 1);
		x = atoi(strchr(tmp, 'e') + 1);
		if (round_trips(digits, k, x, d, &got))
			break;
		step(digits, k, &x, got < d);
		if (round_trips(digits, k, x, d, &got))
			break;
	}
	if (k == 17) {		/* 17 digits always round-trip */
		snprintf(tmp, sizeof(tmp), "%.16e", d);
		digits[0] = tmp[0];
		memcpy(digits + 1, tmp + 2, 16);
		x = atoi(strchr(tmp, 'e') + 1);
	}
	/* ES's n: the value is 0.digits * 10^n */
	n = x + 1;
	if (k <= n && n <= 21) {
		memcpy(buf + len, digits, k);
		len += k;
		memset(buf + len, '0', n - k);
		len += n - k;
	} else if (0 < n && n <= 21) {
		memcpy(buf + len, digits, n);
		len += n;
		buf[len++] = '.';
		memcpy(buf + len, digits + n, k - n);
		len += k - n;
	} else if (-6 < n && n <= 0) {
		buf[len++] = '0';
		buf[len++] = '.';
		for (i = 0; i < -n; i++)
			buf[len++] = '0';
		memcpy(buf + len, digits, k);
		len += k;
	} else {
		buf[len++] = digits[0];
		if (k > 1) {
			buf[len++] = '.';
			memcpy(buf + len, digits + 1, k - 1);
			len += k - 1;
		}
		len += snprintf(buf + len, CYL_JCS_NUMBER_MAX - len, "e%c%d",
				n - 1 > 0 ? '+' : '-', abs(n - 1));
	}
	buf[len] = '\0';
	return len;
}

/*
 * The code point at s[*i] (strict UTF-8: no overlong forms, surrogates
 * or values above U+10FFFF), *i advanced past it; -1 if invalid.
 */
static int32_t utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	static const uint32_t min[4] = { 0, 0x80, 0x800, 0x10000 };
	unsigned char c = s[(*i)++];
	unsigned int more, j;
	uint32_t cp;

	if (c < 0x80)
		return c;
	if (c >= 0xc0 && c < 0xe0) {
		more = 1;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c < 0xf0) {
		more = 2;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c < 0xf5) {
		more = 3;
		cp = c & 0x07;
	} else {
		return -1;
	}
	for (j = 0; j < more; j++) {
		if (*i >= len || (s[*i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (s[(*i)++] & 0x3f);
	}
	if (cp < min[more] || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
		return -1;
	return cp;
}

static int utf8_valid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len)
		if (utf8_next((const unsigned char *)s, len, &i) < 0)
			return 0;
	return 1;
}

/* The first UTF-16 code unit of @cp: itself, or its high surrogate. */
static uint32_t utf16_first(uint32_t cp)
{
	return cp < 0x10000 ? cp : 0xd800 + ((cp - 0x10000) >> 10);
}

struct member {
	const char *key;
	size_t len;
	json_t *value;
};

/*
 * RFC 8785 3.2.3: names compare as arrays of UTF-16 code units, so a
 * character above U+FFFF (a surrogate pair, D800..DFFF) sorts before
 * U+E000..U+FFFF although its code point is larger.  Keys are valid
 * UTF-8 here.
 */
static int member_cmp(const void *pa, const void *pb)
{
	const struct member *a = pa, *b = pb;
	size_t i = 0, j = 0;

	while (i < a->len && j < b->len) {
		int32_t ca = utf8_next((const unsigned char *)a->key, a->len, &i);
		int32_t cb = utf8_next((const unsigned char *)b->key, b->len, &j);

		if (ca == cb)
			continue;
		/* Same high surrogate: the low surrogates follow the code points. */
		if (utf16_first(ca) == utf16_first(cb))
			return ca < cb ? -1 : 1;
		return utf16_first(ca) < utf16_first(cb) ? -1 : 1;
	}
	return (i < a->len) - (j < b->len);
}

/* RFC 8785 3.2.2.2: only the escapes JSON needs, the rest as is. */
static int put_string(struct cyl_strbuf *b, const char *s, size_t len)
{
	static const char short_esc[] = "\"\\\b\f\n\r\t", short_as[] = "\"\\bfnrt";
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	if (!utf8_valid(s, len))
		return -EINVAL;
	cyl_strbuf_add(b, "\"", 1);
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];
		char esc[7] = "\\";
		const char *p;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		cyl_strbuf_add(b, s + run, i - run);
		run = i + 1;
		p = c ? strchr(short_esc, c) : NULL;
		if (p) {
			esc[1] = short_as[p - short_esc];
		} else {
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
		}
		cyl_strbuf_puts(b, esc);
	}
	cyl_strbuf_add(b, s + run, len - run);
	cyl_strbuf_add(b, "\"", 1);
	return 0;
}

static int put_value(struct cyl_strbuf *b, const json_t *v);

static int put_object(struct cyl_strbuf *b, const json_t *obj)
{
	size_t n = json_object_size(obj), i = 0;
	struct member *m;
	void *it;
	int ret = 0;

	m = calloc(n ? n : 1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	/* jansson's iterators take a mutable object; nothing is changed. */
	for (it = json_object_iter((json_t *)obj); it && i < n;
	     it = json_object_iter_next((json_t *)obj, it), i++) {
		m[i].key = json_object_iter_key(it);
		m[i].len = json_object_iter_key_len(it);
		m[i].value = json_object_iter_value(it);
		if (!utf8_valid(m[i].key, m[i].len)) {
			free(m);
			return -EINVAL;
		}
	}
	qsort(m, i, sizeof(*m), member_cmp);
	cyl_strbuf_add(b, "{", 1);
	for (n = i, i = 0; i < n && !ret; i++) {
		if (i)
			cyl_strbuf_add(b, ",", 1);
		ret = put_string(b, m[i].key, m[i].len);
		cyl_strbuf_add(b, ":", 1);
		if (!ret)
			ret = put_value(b, m[i].value);
	}
	cyl_strbuf_add(b, "}", 1);
	free(m);
	return ret;
}

static int put_value(struct cyl_strbuf *b, const json_t *v)
{
	char num[CYL_JCS_NUMBER_MAX];
	size_t i;
	int ret;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return put_object(b, v);
	case JSON_ARRAY:
		cyl_strbuf_add(b, "[", 1);
		for (i = 0; i < json_array_size(v); i++) {
			if (i)
				cyl_strbuf_add(b, ",", 1);
			ret = put_value(b, json_array_get(v, i));
			if (ret)
				return ret;
		}
		cyl_strbuf_add(b, "]", 1);
		return 0;
	case JSON_STRING:
		return put_string(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
	case JSON_REAL:
		ret = cyl_jcs_number(json_number_value(v), num);
		if (ret < 0)
			return ret;
		cyl_strbuf_add(b, num, ret);
		return 0;
	case JSON_TRUE:
		cyl_strbuf_puts(b, "true");
		return 0;
	case JSON_FALSE:
		cyl_strbuf_puts(b, "false");
		return 0;
	case JSON_NULL:
		cyl_strbuf_puts(b, "null");
		return 0;
	}
	return -EINVAL;
}

int cyl_jcs_canonicalize(const json_t *v, char **out, size_t *len)
{
	struct cyl_strbuf b = { 0 };
	int ret;

	if (!v)
		return -EINVAL;
	ret = put_value(&b, v);
	if (ret) {
		cyl_strbuf_free(&b);
		return ret;
	}
	*out = cyl_strbuf_take(&b, len);
	return *out ? 0 : -ENOMEM;
}
