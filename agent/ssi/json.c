// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded JSON parsing.  Every number is decoded as a double
 * (JSON_DECODE_INT_AS_REAL): RFC 8785 and the Data Integrity JCS suites
 * read numbers as IEEE 754 doubles, as JavaScript does, and a JavaScript
 * signer writes 1e20 as the integer 100000000000000000000, which
 * jansson's integer path would refuse ("too big integer"); so would it
 * the canonical form of such a number.  Callers read numbers with
 * json_number_value() or cyl_ssi_json_uint(), never json_integer_value().
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "ssi/json.h"
#include "util/errbuf.h"

/*
 * Refuse a document jansson should not see: too large, or nested deeper
 * than CYL_SSI_JSON_DEPTH (jansson recurses once per level).  Brackets
 * inside strings do not count; where the input is not JSON at all the
 * scan may be wrong, but jansson refuses such input anyway.
 */
static int prescan(const char *buf, size_t len, char *err, size_t errlen)
{
	unsigned int depth = 0, line = 1, column = 0;
	bool in_string = false, escaped = false;
	size_t i;

	if (len > CYL_SSI_JSON_MAX)
		return cyl_errf(-EINVAL, err, errlen, "more than %u bytes",
				(unsigned int)CYL_SSI_JSON_MAX);
	for (i = 0; i < len; i++) {
		unsigned char c = buf[i];

		/* Lines and columns as jansson counts: characters, not bytes. */
		if (c == '\n') {
			line++;
			column = 0;
		} else if ((c & 0xc0) != 0x80) {
			column++;
		}
		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (++depth > CYL_SSI_JSON_DEPTH)
				return cyl_errf(-EINVAL, err, errlen,
						"line %u, column %u: nested deeper than %u",
						line, column, CYL_SSI_JSON_DEPTH);
		} else if ((c == ']' || c == '}') && depth) {
			depth--;
		}
	}
	return 0;
}

json_t *cyl_ssi_json_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *v;

	if (prescan(buf, len, err, errlen))
		return NULL;
	v = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY |
		       JSON_DECODE_INT_AS_REAL, &jerr);
	if (!v) {
		if (jerr.line > 0)
			cyl_errf(0, err, errlen, "line %d, column %d: %s", jerr.line,
				 jerr.column, jerr.text);
		else
			cyl_errf(0, err, errlen, "%s", jerr.text);
	}
	return v;
}

const char *cyl_ssi_json_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

int cyl_ssi_json_uint(const json_t *obj, const char *key, uint64_t max, uint64_t *out)
{
	const json_t *v = json_object_get(obj, key);
	double d;

	if (max > (1ULL << 53))
		max = 1ULL << 53;
	if (!json_is_number(v))
		return -EINVAL;
	d = json_number_value(v);
	/* In range first: only then is the conversion defined. */
	if (!(d >= 0) || d > (double)max || d != (double)(uint64_t)d)
		return -EINVAL;
	*out = (uint64_t)d;
	return 0;
}
