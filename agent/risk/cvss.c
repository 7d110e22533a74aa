// SPDX-License-Identifier: GPL-2.0
/*
 * CVSS v3.1 base vectors and scores (see cvss.h).  The weights and
 * formulas are those of the FIRST CVSS v3.1 specification, sections 7.1
 * and 7.4; Roundup is the integer version of its Appendix A, so that
 * 0.1 + 0.2 style binary noise never rounds a score up a tenth.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "risk/cvss.h"
#include "util/quote.h"

static const struct {
	const char *abbr;
	const char *name;
	const char *values;	/* the value letters it takes */
	const char *expected;	/* the same, for errors */
} metrics[CYL_CVSS_N_METRICS] = {
	[CYL_CVSS_AV] = { "AV", "Attack Vector", "NALP", "N, A, L or P" },
	[CYL_CVSS_AC] = { "AC", "Attack Complexity", "LH", "L or H" },
	[CYL_CVSS_PR] = { "PR", "Privileges Required", "NLH", "N, L or H" },
	[CYL_CVSS_UI] = { "UI", "User Interaction", "NR", "N or R" },
	[CYL_CVSS_S] = { "S", "Scope", "UC", "U or C" },
	[CYL_CVSS_C] = { "C", "Confidentiality", "HLN", "H, L or N" },
	[CYL_CVSS_I] = { "I", "Integrity", "HLN", "H, L or N" },
	[CYL_CVSS_A] = { "A", "Availability", "HLN", "H, L or N" },
};

/* Temporal and environmental metrics (sections 3 and 4): known, refused. */
static const char *const other_metrics[] = {
	"E", "RL", "RC", "CR", "IR", "AR",
	"MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA", NULL,
};

static int __attribute__((format(printf, 3, 4)))
fail(struct cyl_cvss_error *err, size_t offset, const char *fmt, ...)
{
	va_list ap;

	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool token_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !memcmp(s, word, len);
}

/* One "METRIC:VALUE" at @s[@pos..@end) into @out. */
static int parse_one(const char *s, size_t pos, size_t end,
		     struct cyl_cvss *out, struct cyl_cvss_error *err)
{
	const char *tok = s + pos, *colon, *val;
	char q[CYL_QUOTE_SIZE];
	size_t mlen, vlen, i;

	colon = memchr(tok, ':', end - pos);
	if (!colon)
		return fail(err, pos, "expected METRIC:VALUE, got %s",
			    cyl_quote(q, sizeof(q), tok, end - pos));
	mlen = colon - tok;
	val = colon + 1;
	vlen = s + end - val;

	for (i = 0; i < CYL_CVSS_N_METRICS; i++) {
		if (token_is(tok, mlen, metrics[i].abbr))
			break;
	}
	if (i == CYL_CVSS_N_METRICS) {
		size_t j;

		for (j = 0; other_metrics[j]; j++) {
			if (token_is(tok, mlen, other_metrics[j]))
				return fail(err, pos,
					    "%s is not a base metric: give the base "
					    "metrics only (AV, AC, PR, UI, S, C, I, A)",
					    other_metrics[j]);
		}
		return fail(err, pos, "unknown metric %s",
			    cyl_quote(q, sizeof(q), tok, mlen));
	}
	if (out->v[i])
		return fail(err, pos, "%s (%s) given twice", metrics[i].abbr,
			    metrics[i].name);
	if (vlen != 1 || *val == '\0' || !strchr(metrics[i].values, *val))
		return fail(err, val - s, "%s (%s): unknown value %s, expected %s",
			    metrics[i].abbr, metrics[i].name,
			    cyl_quote(q, sizeof(q), val, vlen),
			    metrics[i].expected);
	out->v[i] = *val;
	return 0;
}

int cyl_cvss_parse(const char *s, size_t len, struct cyl_cvss *out,
		   struct cyl_cvss_error *err)
{
	size_t plen = strlen(CYL_CVSS_PREFIX), pos, end;
	char q[CYL_QUOTE_SIZE];
	unsigned int i;
	int ret;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (len < plen || memcmp(s, CYL_CVSS_PREFIX, plen))
		return fail(err, 0, "expected a vector starting \"%s\", got %s",
			    CYL_CVSS_PREFIX, cyl_quote(q, sizeof(q), s, len));
	for (pos = plen; pos < len; pos = end + 1) {
		for (end = pos; end < len && s[end] != '/'; end++)
			;
		if ((ret = parse_one(s, pos, end, out, err)) != 0)
			goto out;
		if (end + 1 == len) {
			ret = fail(err, len, "nothing after the last \"/\"");
			goto out;
		}
	}
	for (i = 0; i < CYL_CVSS_N_METRICS; i++) {
		if (!out->v[i]) {
			ret = fail(err, len, "missing %s (%s)", metrics[i].abbr,
				   metrics[i].name);
			goto out;
		}
	}
	out->score10 = cyl_cvss_base_score(out);
	return 0;
out:
	memset(out, 0, sizeof(*out));
	return ret;
}


/* Section 7.4's weights. */
static double weight(const struct cyl_cvss *v, enum cyl_cvss_metric m)
{
	bool changed = v->v[CYL_CVSS_S] == 'C';

	switch (m) {
	case CYL_CVSS_AV:
		switch (v->v[m]) {
		case 'N': return 0.85;
		case 'A': return 0.62;
		case 'L': return 0.55;
		default: return 0.2;	/* P */
		}
	case CYL_CVSS_AC:
		return v->v[m] == 'L' ? 0.77 : 0.44;
	case CYL_CVSS_PR:
		/* A privilege that reaches across a scope change counts more. */
		switch (v->v[m]) {
		case 'N': return 0.85;
		case 'L': return changed ? 0.68 : 0.62;
		default: return changed ? 0.5 : 0.27;	/* H */
		}
	case CYL_CVSS_UI:
		return v->v[m] == 'N' ? 0.85 : 0.62;
	default:	/* C, I, A */
		switch (v->v[m]) {
		case 'H': return 0.56;
		case 'L': return 0.22;
		default: return 0;	/* N */
		}
	}
}

/*
 * Appendix A: the smallest number with one decimal that is at least @x,
 * in tenths; @x is first rounded to 5 decimals, in integers, so binary
 * noise such as 4.000000000000001 does not make it 4.1.  @x >= 0.
 */
static unsigned int roundup10(double x)
{
	long long i = (long long)(x * 100000.0 + 0.5);

	if (i % 10000 == 0)
		return i / 10000;
	return i / 10000 + 1;
}

/* (x)^15 by multiplication: no libm. */
static double pow15(double x)
{
	double x2 = x * x, x4 = x2 * x2, x8 = x4 * x4;

	return x8 * x4 * x2 * x;
}

unsigned int cyl_cvss_base_score(const struct cyl_cvss *v)
{
	bool changed = v->v[CYL_CVSS_S] == 'C';
	double iss, impact, exploitability, sum;

	iss = 1 - (1 - weight(v, CYL_CVSS_C)) * (1 - weight(v, CYL_CVSS_I)) *
		  (1 - weight(v, CYL_CVSS_A));
	if (changed)
		impact = 7.52 * (iss - 0.029) - 3.25 * pow15(iss - 0.02);
	else
		impact = 6.42 * iss;
	if (impact <= 0)
		return 0;
	exploitability = 8.22 * weight(v, CYL_CVSS_AV) * weight(v, CYL_CVSS_AC) *
			 weight(v, CYL_CVSS_PR) * weight(v, CYL_CVSS_UI);
	sum = impact + exploitability;
	if (changed)
		sum *= 1.08;
	return roundup10(sum < 10 ? sum : 10);
}

/* Section 5, Table 14. */
const char *cyl_cvss_rating(unsigned int score10)
{
	if (score10 == 0)
		return "None";
	if (score10 < 40)
		return "Low";
	if (score10 < 70)
		return "Medium";
	if (score10 < 90)
		return "High";
	return "Critical";
}

const char *cyl_cvss_format(const struct cyl_cvss *v, char *buf, size_t size)
{
	size_t n;
	int i;

	n = snprintf(buf, size, "CVSS:3.1");
	for (i = 0; i < CYL_CVSS_N_METRICS && n < size; i++)
		n += snprintf(buf + n, size - n, "/%s:%c", metrics[i].abbr,
			      v->v[i] ? v->v[i] : '?');
	return buf;
}
