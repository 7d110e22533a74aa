// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for CVSS v3.1 vectors: any input gives a vector or
 * an error, never a crash.  An accepted vector scores 0.0..10.0, and its
 * canonical text reads back to the same metrics and score.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "risk/cvss.c"
#include "util/quote.c"

#define check(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[CYL_CVSS_VECTOR_SIZE];
	struct cyl_cvss_error err;
	struct cyl_cvss v, again;
	int i;

	if (cyl_cvss_parse((const char *)data, size, &v, &err)) {
		/* Errors are a terminated, non-empty text inside the input. */
		check(err.text[0]);
		check(strnlen(err.text, sizeof(err.text)) < sizeof(err.text));
		check(err.offset <= size);
		return 0;
	}
	check(v.score10 <= 100);
	for (i = 0; i < CYL_CVSS_N_METRICS; i++)
		check(v.v[i] && strchr(metrics[i].values, v.v[i]));
	cyl_cvss_format(&v, buf, sizeof(buf));
	check(strlen(buf) <= 44);
	check(!cyl_cvss_parse(buf, strlen(buf), &again, &err));
	check(!memcmp(again.v, v.v, sizeof(v.v)));
	check(again.score10 == v.score10);
	check(cyl_cvss_rating(v.score10)[0]);
	return 0;
}
