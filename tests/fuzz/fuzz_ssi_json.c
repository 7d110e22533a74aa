// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for SSI's JSON input and RFC 8785 canonicalization:
 * any bytes are parsed with the size and depth bounds, or refused with a
 * reason; whatever is accepted canonicalizes, and the canonical text
 * parses to an equal value whose canonical text is the same bytes
 * (idempotence).  The input's first eight bytes, read as a double, also
 * go to the number formatter, whose text must read back as that double.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssi/json.c"
#include "ssi/jcs.c"
#include "util/errbuf.c"
#include "util/strbuf.c"

#define check(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

static void number(const uint8_t *data)
{
	char buf[CYL_JCS_NUMBER_MAX];
	double d;
	int len;

	memcpy(&d, data, sizeof(d));
	len = cyl_jcs_number(d, buf);
	if (!isfinite(d)) {
		check(len == -EINVAL);
		return;
	}
	check(len > 0 && len < CYL_JCS_NUMBER_MAX && (size_t)len == strlen(buf));
	check(strtod(buf, NULL) == d);
	/* ES layout: no '+' but in an exponent, no leading zero but "0." */
	check(buf[0] != '+' && !(buf[0] == '0' && buf[1] && buf[1] != '.'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "", *out, *again;
	size_t len, len2;
	json_t *v, *w;

	if (size >= sizeof(double))
		number(data);
	v = cyl_ssi_json_parse((const char *)data, size, err, sizeof(err));
	if (!v) {
		check(err[0] && strnlen(err, sizeof(err)) < sizeof(err));
		return 0;
	}
	check(!cyl_jcs_canonicalize(v, &out, &len));
	check(len == strlen(out));
	/* Numbers may lengthen (1e20 is 21 digits): only then may it not parse. */
	w = cyl_ssi_json_parse(out, len, err, sizeof(err));
	check(w || len > CYL_SSI_JSON_MAX);
	if (w) {
		check(json_equal(v, w));
		check(!cyl_jcs_canonicalize(w, &again, &len2));
		check(len2 == len && !memcmp(again, out, len));
		free(again);
		json_decref(w);
	}
	free(out);
	json_decref(v);
	return 0;
}
