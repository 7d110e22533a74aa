// SPDX-License-Identifier: GPL-2.0
/*
 * Robust statistics: each feature's median and scale, the scale being
 * 1.4826 * MAD (the median absolute deviation, as consistent as the
 * standard deviation for normal data).  A feature with MAD 0 (more than
 * half its values equal) falls back on 1.2533 * the mean absolute
 * deviation from the median, and any scale is at least 1e-9 * max(1,
 * |median|): a feature constant in the baseline divides by that floor,
 * so that any change of it stands out.
 *
 * The score is max |z| over the features, z = (x - median) / scale: a
 * row is as anomalous as its most anomalous feature, and the threshold
 * reads as a z-limit.  A z that overflows (or is NaN) counts as DBL_MAX.
 * Explanations are the features' |z|.
 *
 * The model file's body: each column's median and scale (f64).
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "detect/models.h"
#include "util/errbuf.h"

struct robust {
	double *med, *scale;
};

static void rob_free(void *impl)
{
	struct robust *rb = impl;

	if (!rb)
		return;
	free(rb->med);
	free(rb->scale);
	free(rb);
}

static struct robust *rob_alloc(size_t cols)
{
	struct robust *rb = calloc(1, sizeof(*rb));

	if (!rb)
		return NULL;
	rb->med = malloc(cols * sizeof(*rb->med));
	rb->scale = malloc(cols * sizeof(*rb->scale));
	if (!rb->med || !rb->scale) {
		rob_free(rb);
		return NULL;
	}
	return rb;
}

/* The median of @n sorted values, without overflow. */
static double rob_median(const double *v, size_t n)
{
	return n & 1 ? v[n / 2] : v[n / 2 - 1] / 2 + v[n / 2] / 2;
}

static double rob_z(double x, double med, double scale)
{
	double z = fabs(x - med) / scale;

	return z <= DBL_MAX ? z : DBL_MAX;
}

static void rob_score_rows(const struct cyl_model *m, const double *x, size_t rows,
			   double *out)
{
	const struct robust *rb = m->impl;
	size_t r, j;
	double z, s;

	for (r = 0; r < rows; r++, x += m->cols) {
		s = 0;
		for (j = 0; j < m->cols; j++) {
			z = rob_z(x[j], rb->med[j], rb->scale[j]);
			s = z > s ? z : s;
		}
		out[r] = s;
	}
}

static int rob_train(struct cyl_model *m, const struct cyl_dataset *d, double *scores,
		     char *err, size_t errlen)
{
	size_t n = d->rows, i, j;
	struct robust *rb;
	double *v, med, s, sum;

	rb = rob_alloc(d->cols);
	v = malloc(n * sizeof(*v));
	if (!rb || !v) {
		rob_free(rb);
		free(v);
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	}
	for (j = 0; j < d->cols; j++) {
		for (i = 0; i < n; i++)
			v[i] = d->x[i * d->cols + j];
		qsort(v, n, sizeof(*v), cyl_model_cmp_double);
		med = rob_median(v, n);
		for (i = 0, sum = 0; i < n; i++) {
			v[i] = fabs(v[i] - med);
			sum += v[i];
		}
		qsort(v, n, sizeof(*v), cyl_model_cmp_double);
		s = 1.4826 * rob_median(v, n);
		if (s == 0)
			s = 1.2533 * (sum / n);
		if (s < 1e-9 * fmax(1, fabs(med)))
			s = 1e-9 * fmax(1, fabs(med));
		rb->med[j] = med;
		rb->scale[j] = s <= DBL_MAX ? s : DBL_MAX;
	}
	free(v);
	m->impl = rb;
	rob_score_rows(m, d->x, n, scores);
	return 0;
}

static void rob_explain(const struct cyl_model *m, const double *row, double *contrib)
{
	const struct robust *rb = m->impl;
	size_t j;

	for (j = 0; j < m->cols; j++)
		contrib[j] = rob_z(row[j], rb->med[j], rb->scale[j]);
}

static void rob_save(const struct cyl_model *m, struct cyl_wbuf *w)
{
	const struct robust *rb = m->impl;
	size_t j;

	for (j = 0; j < m->cols; j++) {
		cyl_wbuf_f64(w, rb->med[j]);
		cyl_wbuf_f64(w, rb->scale[j]);
	}
}

static int rob_load(struct cyl_model *m, struct cyl_rbuf *r, char *err, size_t errlen)
{
	struct robust *rb;
	size_t j;

	if (!cyl_rbuf_need(r, m->cols, 16))
		return 0;
	rb = rob_alloc(m->cols);
	if (!rb)
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	m->impl = rb;
	for (j = 0; j < m->cols; j++) {
		rb->med[j] = cyl_rbuf_f64(r);
		rb->scale[j] = cyl_rbuf_f64(r);
		if (!isfinite(rb->med[j]) || !(rb->scale[j] > 0 && rb->scale[j] <= DBL_MAX))
			return cyl_errf(-EINVAL, err, errlen,
					"column %zu: median %g and scale %g, not finite and > 0",
					j + 1, rb->med[j], rb->scale[j]);
	}
	if (!(m->threshold >= 0))
		return cyl_errf(-EINVAL, err, errlen, "threshold %g is negative", m->threshold);
	return 0;
}

const struct cyl_model_ops cyl_robust_ops = {
	.train = rob_train,
	.score_rows = rob_score_rows,
	.explain = rob_explain,
	.save = rob_save,
	.load = rob_load,
	.free = rob_free,
};
