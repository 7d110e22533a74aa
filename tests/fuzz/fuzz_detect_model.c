// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the anomaly model loader (cyl_model_load).  An
 * input is a model file; it is loaded as it is, then with its last 32
 * bytes replaced by the SHA-256 of the rest, so that mutations get past
 * the checksum to the parsers behind it.  The seed corpus holds small
 * models of each kind, as cyl_model_save writes them.
 *
 * Besides memory errors it checks the loader's promises for a model it
 * accepts: it saves back to the very bytes it came from; it gives finite
 * scores (whatever the row: zeros, extremes, NaN, the input's bytes),
 * the same one row at a time as many at once; explanations name columns
 * that exist, larger contributions first; updates keep all that true.
 */
#include "detect/model.c"

#include <float.h>
#include <stddef.h>
#include <stdint.h>

#define ROWS	4

static double *rows_for(size_t cols, const uint8_t *data, size_t size)
{
	double *x = malloc(ROWS * cols * sizeof(*x));
	size_t j;

	if (!x)
		return NULL;
	for (j = 0; j < cols; j++) {
		x[j] = 0;
		x[cols + j] = size ? (int8_t)data[j % size] / 4.0 : 1;
		x[2 * cols + j] = j & 1 ? DBL_MAX : -1e300;
		x[3 * cols + j] = j % 3 == 0 ? NAN : j % 3 == 1 ? INFINITY : -INFINITY;
	}
	return x;
}

static void check_scores(const struct cyl_model *m, const double *x)
{
	size_t cols = cyl_model_cols(m), idx[3], n, i;
	double s[ROWS], one, c[3];

	cyl_model_score_rows(m, x, ROWS, s);
	for (i = 0; i < ROWS; i++) {
		one = cyl_model_score(m, x + i * cols);
		if (!isfinite(s[i]) || memcmp(&one, &s[i], sizeof(one)))
			__builtin_trap();
		n = cyl_model_explain(m, x + i * cols, 3, idx, c);
		if (n != (cols < 3 ? cols : 3))
			__builtin_trap();
		while (n--)
			if (idx[n] >= cols || (n && c[n] > c[n - 1]))
				__builtin_trap();
	}
}

static void try_load(const uint8_t *data, size_t size)
{
	struct cyl_model *m;
	uint8_t *out;
	size_t len, i;
	char err[256];
	double *x;

	if (cyl_model_load(&m, data, size, err, sizeof(err))) {
		if (m || !err[0])
			__builtin_trap();
		return;
	}
	if (cyl_model_cols(m) < 1 || cyl_model_cols(m) > CYL_MODEL_MAX_COLS ||
	    !isfinite(cyl_model_threshold(m)) || !cyl_model_kind_name(cyl_model_kind(m)))
		__builtin_trap();
	if (cyl_model_save(m, &out, &len))
		goto done;	/* out of memory */
	if (len != size || memcmp(out, data, size))
		__builtin_trap();
	free(out);
	x = rows_for(cyl_model_cols(m), data, size);
	if (!x)
		goto done;
	check_scores(m, x);
	for (i = 0; i < ROWS; i++)
		cyl_model_update(m, x + i * cyl_model_cols(m));
	check_scores(m, x);
	free(x);
done:
	cyl_model_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *fixed;

	try_load(data, size);
	if (size < MAGIC_LEN + 4 + HASH_LEN)
		return 0;
	fixed = malloc(size);
	if (!fixed)
		return 0;
	memcpy(fixed, data, size - HASH_LEN);
	if (EVP_Digest(fixed, size - HASH_LEN, fixed + size - HASH_LEN, NULL, EVP_sha256(),
		       NULL))
		try_load(fixed, size);
	free(fixed);
	return 0;
}
