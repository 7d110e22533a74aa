// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for CSV data sets: any input gives a table or an
 * error, never a crash, read three ways (no label; a "label" column; a
 * "y" label with column "x" ignored).  An error is a message about a
 * line and leaves the table empty.  A table has rows and features, all
 * finite, unique non-empty names, 0/1 labels; written back as CSV (names
 * quoted, numbers as %.17g) it reads back the same.
 */
#include "detect/csv.c"
#include "detect/dataset.c"
#include "util/quote.c"

#include <stddef.h>
#include <stdint.h>

#define check(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

struct out {
	char *s;
	size_t len, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n > o->cap) {
		o->cap = 2 * (o->len + n);
		o->s = realloc(o->s, o->cap);
		check(o->s);
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
}

static void put_name(struct out *o, const char *name)
{
	const char *q;

	put(o, "\"", 1);
	while ((q = strchr(name, '"'))) {
		put(o, name, q - name + 1);
		put(o, "\"", 1);
		name = q + 1;
	}
	put(o, name, strlen(name));
	put(o, "\"", 1);
}

static void write_csv(struct out *o, const struct cyl_dataset *d, const char *label)
{
	char num[32];
	size_t r, c;
	int n;

	for (c = 0; c < d->cols; c++) {
		put_name(o, d->names[c]);
		put(o, ",", c + 1 < d->cols || label ? 1 : 0);
	}
	if (label)
		put_name(o, label);
	put(o, "\r\n", 2);
	for (r = 0; r < d->rows; r++) {
		for (c = 0; c < d->cols; c++) {
			n = snprintf(num, sizeof(num), "%.17g", d->x[r * d->cols + c]);
			put(o, num, n);
			put(o, ",", c + 1 < d->cols || label ? 1 : 0);
		}
		if (label)
			put(o, d->label[r] ? "1" : "0", 1);
		put(o, "\n", 1);
	}
}

static void check_table(const struct cyl_dataset *d, const char *label, size_t size)
{
	size_t i, j;

	check(d->rows && d->cols && d->cols <= CYL_CSV_MAX_COLS);
	check(d->rows <= size / 2);	/* a row takes two bytes at least */
	check(!label == !d->label);
	for (i = 0; i < d->rows * d->cols; i++)
		check(isfinite(d->x[i]));
	for (i = 0; label && i < d->rows; i++)
		check(d->label[i] == 0 || d->label[i] == 1);
	for (i = 0; i < d->cols; i++) {
		check(d->names[i] && d->names[i][0]);
		check(!label || strcmp(d->names[i], label));
		for (j = 0; j < i && d->cols <= 64; j++)
			check(strcmp(d->names[i], d->names[j]));
	}
}

static void round_trip(const struct cyl_dataset *d, const char *label)
{
	struct out o = { 0 };
	struct cyl_dataset again;
	char err[512];
	size_t i;

	write_csv(&o, d, label);
	check(!cyl_csv_parse(o.s, o.len, label, &again, err, sizeof(err)));
	check(again.rows == d->rows && again.cols == d->cols);
	check(!memcmp(again.x, d->x, d->rows * d->cols * sizeof(double)));
	check(!label || !memcmp(again.label, d->label, d->rows * sizeof(int)));
	for (i = 0; i < d->cols; i++)
		check(!strcmp(again.names[i], d->names[i]));
	cyl_dataset_free(&again);
	free(o.s);
}

static void one(const uint8_t *data, size_t size, const struct cyl_csv_opts *opts)
{
	struct cyl_dataset d;
	char err[512];
	int ret;

	ret = cyl_csv_parse_opts((const char *)data, size, opts, &d, err, sizeof(err));
	if (ret) {
		check(ret == -EINVAL || ret == -ENOMEM);
		check(ret == -ENOMEM || !strncmp(err, "line ", 5));
		check(strnlen(err, sizeof(err)) < sizeof(err));
		check(!d.rows && !d.cols && !d.x && !d.names && !d.label);
		return;
	}
	check_table(&d, opts->label, size);
	round_trip(&d, opts->label);
	cyl_dataset_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ignore[] = { "x" };
	static const struct cyl_csv_opts plain, labelled = { .label = "label" },
		ignoring = { .label = "y", .ignore = ignore, .n_ignore = 1 };

	one(data, size, &plain);
	one(data, size, &labelled);
	one(data, size, &ignoring);
	return 0;
}
