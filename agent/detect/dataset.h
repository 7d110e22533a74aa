/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A table of numeric features: what the models train and score on, and
 * what the CSV reader (csv.h) makes of a file.  Row-major doubles.
 */
#ifndef CYL_DETECT_DATASET_H
#define CYL_DETECT_DATASET_H

#include <stddef.h>

struct cyl_dataset {
	size_t rows, cols;
	double *x;		/* rows * cols; row r is x + r * cols */
	char **names;		/* cols column names (may be NULL) */
	int *label;		/* rows 0/1 labels, NULL when there is no label column */
};

void cyl_dataset_free(struct cyl_dataset *d);

#endif /* CYL_DETECT_DATASET_H */
