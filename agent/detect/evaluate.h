/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scoring a detector against labels: ROC AUC (Mann-Whitney, ties
 * counted half), PR AUC as average precision (as scikit-learn's
 * average_precision_score), and precision, recall and F1 at a threshold
 * (a row is flagged when its score is above it).
 */
#ifndef CYL_DETECT_EVALUATE_H
#define CYL_DETECT_EVALUATE_H

#include <stddef.h>

struct cyl_eval {
	double roc_auc, pr_auc;
	double precision, recall, f1;
	size_t tp, fp, tn, fn;
};

/* -EINVAL when the labels are all 0 or all 1 (AUC undefined), -ENOMEM. */
int cyl_evaluate(const double *score, const int *label, size_t n, double threshold,
		 struct cyl_eval *out);

#endif /* CYL_DETECT_EVALUATE_H */
