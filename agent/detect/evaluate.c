// SPDX-License-Identifier: GPL-2.0
/*
 * Both AUCs from one sort of the scores, walked from the highest down in
 * groups of equal scores: a group is one threshold, so ties are never
 * split.  ROC AUC counts, for each positive, the negatives below it and
 * half those tied with it (the Mann-Whitney U over P * N).  Average
 * precision is scikit-learn's: the sum over thresholds of
 * (R_n - R_{n-1}) * P_n, a step function, not the trapezoid.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect/evaluate.h"

struct scored {
	double score;
	int label;
};

static int by_score_desc(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	return (x->score < y->score) - (x->score > y->score);
}

int cyl_evaluate(const double *score, const int *label, size_t n, double threshold,
		 struct cyl_eval *out)
{
	size_t i, j, pos = 0, tp = 0, fp = 0, g_pos, g_neg;
	double u = 0, ap = 0;
	struct scored *v;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		/* NaN has no place in the order; labels are 0 or 1. */
		if (isnan(score[i]) || (label[i] != 0 && label[i] != 1))
			return -EINVAL;
		pos += label[i];
		if (score[i] > threshold) {
			out->tp += label[i];
			out->fp += !label[i];
		}
	}
	if (!pos || pos == n)
		return -EINVAL;
	out->fn = pos - out->tp;
	out->tn = n - pos - out->fp;
	out->precision = out->tp + out->fp ? (double)out->tp / (out->tp + out->fp) : 0;
	out->recall = (double)out->tp / pos;
	if (out->precision + out->recall > 0)
		out->f1 = 2 * out->precision * out->recall / (out->precision + out->recall);

	v = malloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		v[i] = (struct scored){ score[i], label[i] };
	qsort(v, n, sizeof(*v), by_score_desc);
	for (i = 0; i < n; i = j) {
		g_pos = g_neg = 0;
		for (j = i; j < n && v[j].score == v[i].score; j++) {
			g_pos += v[j].label;
			g_neg += !v[j].label;
		}
		/* The group's positives beat the negatives not yet seen. */
		u += g_pos * ((double)(n - pos - fp - g_neg) + 0.5 * g_neg);
		tp += g_pos;
		fp += g_neg;
		ap += g_pos * ((double)tp / (tp + fp));
	}
	free(v);
	out->roc_auc = u / ((double)pos * (n - pos));
	out->pr_auc = ap / pos;
	return 0;
}
