/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CSV data sets for offline evaluation (RFC 4180 subset): a header row of
 * column names, then rows of numbers (decimal, exponent, optional
 * quotes), all rows as wide as the header.  One column may be the 0/1
 * label.  Errors name the line and column (1-based) and what was found:
 * a missing value, a cell that is not a number, NaN or infinity, a
 * ragged row, a label other than 0 or 1, a duplicate or missing column.
 *
 * Quoted cells may hold commas, doubled quotes and line breaks; lines
 * end in LF or CRLF, the last one maybe in neither; a UTF-8 byte order
 * mark and blank lines at the end are skipped.  Spaces and tabs around a
 * number or an unquoted column name are trimmed.  Public IoMT data sets
 * carry text columns (addresses, protocol names): name them in `ignore`
 * to skip them, whatever they hold.
 */
#ifndef CYL_DETECT_CSV_H
#define CYL_DETECT_CSV_H

#include <stddef.h>

#include "detect/dataset.h"

#define CYL_CSV_MAX_COLS	4096
#define CYL_CSV_MAX_BYTES	(2ul << 30)	/* a file, 2 GiB */

struct cyl_csv_opts {
	const char *label;		/* the label column's name, or NULL */
	const char *const *ignore;	/* columns to skip, each must exist */
	size_t n_ignore;
};

/*
 * Parse @len bytes of @text (no terminating NUL needed).  The label
 * column (labels exactly "0" or "1") goes to d->label, the ignored ones
 * nowhere, the others, in file order, are the features.  0 with *@d
 * filled, or -EINVAL with "line L, column C: ..." in @err, -EFBIG beyond
 * CYL_CSV_MAX_BYTES, -ENOMEM; *@d is then empty.
 */
int cyl_csv_parse_opts(const char *text, size_t len, const struct cyl_csv_opts *o,
		       struct cyl_dataset *d, char *err, size_t errlen);

/*
 * The same with only a label: @label, or NULL for none (a "label" column
 * is then just a feature).
 */
int cyl_csv_parse(const char *text, size_t len, const char *label,
		  struct cyl_dataset *d, char *err, size_t errlen);

/*
 * The same from a file ("-": standard input); errors start with the path
 * and may be a negative errno from opening or reading it.
 */
int cyl_csv_read_opts(const char *path, const struct cyl_csv_opts *o,
		      struct cyl_dataset *d, char *err, size_t errlen);
int cyl_csv_read(const char *path, const char *label, struct cyl_dataset *d,
		 char *err, size_t errlen);

#endif /* CYL_DETECT_CSV_H */
