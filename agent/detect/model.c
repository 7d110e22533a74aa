// SPDX-License-Identifier: GPL-2.0
/*
 * The models' common part: parameters, dispatch to the kinds, the alarm
 * threshold, explanations, and the model file (models.h describes it).
 *
 * The threshold is the nearest-rank (1 - budget) quantile of the
 * baseline's own scores: sorted ascending s[1..n], s[k] with
 * k = ceil((1 - budget) * n).  Rows score above it strictly to alarm, so
 * at most budget * n baseline rows would alarm (fewer when scores tie).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "detect/models.h"
#include "util/errbuf.h"
#include "util/le.h"

#define MAGIC		"CYLMODEL"
#define MAGIC_LEN	8
#define VERSION		1
#define HASH_LEN	32

static const char *const kind_names[] = {
	[CYL_MODEL_IFOREST] = "iforest",
	[CYL_MODEL_HST] = "hst",
	[CYL_MODEL_ROBUST] = "robust",
	[CYL_MODEL_ENSEMBLE] = "ensemble",
};

static const struct cyl_model_ops *const kind_ops[] = {
	[CYL_MODEL_IFOREST] = &cyl_iforest_ops,
	[CYL_MODEL_HST] = &cyl_hst_ops,
	[CYL_MODEL_ROBUST] = &cyl_robust_ops,
	[CYL_MODEL_ENSEMBLE] = &cyl_ensemble_ops,
};

#define NKINDS	(sizeof(kind_names) / sizeof(kind_names[0]))

int cyl_model_kind_parse(const char *name)
{
	size_t i;

	for (i = 0; name && i < NKINDS; i++)
		if (!strcmp(name, kind_names[i]))
			return (int)i;
	return -1;
}

const char *cyl_model_kind_name(enum cyl_model_kind kind)
{
	return (unsigned int)kind < NKINDS ? kind_names[kind] : NULL;
}

/* --- serialising --- */

static void wbuf_put(struct cyl_wbuf *w, const uint8_t *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (w->err)
		return;
	if (n > w->cap - w->len) {
		cap = w->cap ? w->cap : 4096;
		while (n > cap - w->len)
			cap *= 2;
		p = realloc(w->p, cap);
		if (!p) {
			w->err = -ENOMEM;
			return;
		}
		w->p = p;
		w->cap = cap;
	}
	memcpy(w->p + w->len, b, n);
	w->len += n;
}

void cyl_wbuf_u16(struct cyl_wbuf *w, uint16_t v)
{
	uint8_t b[2];

	cyl_put_le16(b, v);
	wbuf_put(w, b, sizeof(b));
}

void cyl_wbuf_u32(struct cyl_wbuf *w, uint32_t v)
{
	uint8_t b[4];

	cyl_put_le32(b, v);
	wbuf_put(w, b, sizeof(b));
}

void cyl_wbuf_u64(struct cyl_wbuf *w, uint64_t v)
{
	uint8_t b[8];

	cyl_put_le64(b, v);
	wbuf_put(w, b, sizeof(b));
}

void cyl_wbuf_f64(struct cyl_wbuf *w, double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	cyl_wbuf_u64(w, u);
}

static const uint8_t *rbuf_take(struct cyl_rbuf *r, size_t n)
{
	const uint8_t *p;

	if (r->bad || n > r->len - r->off) {
		r->bad = true;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

uint16_t cyl_rbuf_u16(struct cyl_rbuf *r)
{
	const uint8_t *p = rbuf_take(r, 2);

	return p ? cyl_get_le16(p) : 0;
}

uint32_t cyl_rbuf_u32(struct cyl_rbuf *r)
{
	const uint8_t *p = rbuf_take(r, 4);

	return p ? cyl_get_le32(p) : 0;
}

uint64_t cyl_rbuf_u64(struct cyl_rbuf *r)
{
	const uint8_t *p = rbuf_take(r, 8);

	return p ? cyl_get_le64(p) : 0;
}

double cyl_rbuf_f64(struct cyl_rbuf *r)
{
	uint64_t u = cyl_rbuf_u64(r);
	double v;

	memcpy(&v, &u, sizeof(v));
	return v;
}

bool cyl_rbuf_need(struct cyl_rbuf *r, uint64_t n, size_t size)
{
	if (!r->bad && n > (r->len - r->off) / size)
		r->bad = true;
	return !r->bad;
}

/* --- parameters, training --- */

int cyl_model_resolve(const struct cyl_model_params *in, struct cyl_model_params *out,
		      char *err, size_t errlen)
{
	struct cyl_model_params p = {
		.kind = in->kind, .seed = in->seed, .budget = in->budget ? in->budget : 0.01,
	};
	unsigned int hst_trees;

	if ((unsigned int)p.kind >= NKINDS)
		return cyl_errf(-EINVAL, err, errlen, "unknown model kind %u", p.kind);
	if (!(p.budget > 0 && p.budget <= 0.5))
		return cyl_errf(-EINVAL, err, errlen, "budget %g is not in (0, 0.5]", p.budget);
	switch (p.kind) {
	case CYL_MODEL_IFOREST:
		p.trees = in->trees ? in->trees : 100;
		break;
	case CYL_MODEL_HST:
		p.trees = in->trees ? in->trees : 25;
		break;
	case CYL_MODEL_ROBUST:
		break;
	case CYL_MODEL_ENSEMBLE:
		p.trees = in->trees;	/* 0: each member's default */
		break;
	}
	if (p.kind == CYL_MODEL_IFOREST || p.kind == CYL_MODEL_ENSEMBLE) {
		p.sample = in->sample ? in->sample : 256;
		if (p.sample < 2 || p.sample > CYL_IFOREST_MAX_SAMPLE)
			return cyl_errf(-EINVAL, err, errlen, "sample %u is not in [2, %u]",
					p.sample, CYL_IFOREST_MAX_SAMPLE);
	}
	if (p.kind == CYL_MODEL_HST || p.kind == CYL_MODEL_ENSEMBLE) {
		p.depth = in->depth ? in->depth : 15;
		p.window = in->window ? in->window : 250;
		if (p.depth > CYL_HST_MAX_DEPTH)
			return cyl_errf(-EINVAL, err, errlen, "depth %u is not in [1, %u]",
					p.depth, CYL_HST_MAX_DEPTH);
		hst_trees = p.trees ? p.trees : 25;
		if (((uint64_t)hst_trees << (p.depth + 1)) > CYL_HST_MAX_NODES)
			return cyl_errf(-EINVAL, err, errlen,
					"%u trees of depth %u are too many nodes", hst_trees,
					p.depth);
	}
	if (p.trees > CYL_MODEL_MAX_TREES)
		return cyl_errf(-EINVAL, err, errlen, "trees %u is not in [1, %u]", p.trees,
				CYL_MODEL_MAX_TREES);
	*out = p;
	return 0;
}

int cyl_model_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double cyl_model_quantile(const double *sorted, size_t n, double budget)
{
	double pos = (1 - budget) * (double)n, near = nearbyint(pos);
	size_t k;

	/* (1 - budget) * n is often an integer that rounding nudged up */
	k = fabs(pos - near) < 1e-9 * (double)n ? (size_t)near : (size_t)ceil(pos);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return sorted[k - 1];
}

static int check_data(const struct cyl_dataset *d, char *err, size_t errlen)
{
	size_t i;

	if (!d->rows || !d->cols || !d->x)
		return cyl_errf(-EINVAL, err, errlen, "no training data (%zu rows, %zu columns)",
				d->rows, d->cols);
	if (d->cols > CYL_MODEL_MAX_COLS)
		return cyl_errf(-EINVAL, err, errlen, "%zu columns, at most %u", d->cols,
				CYL_MODEL_MAX_COLS);
	if (d->rows > CYL_MODEL_MAX_ROWS)
		return cyl_errf(-EINVAL, err, errlen, "%zu rows, at most %u", d->rows,
				CYL_MODEL_MAX_ROWS);
	for (i = 0; i < d->rows * d->cols; i++)
		if (!isfinite(d->x[i]))
			return cyl_errf(-EINVAL, err, errlen,
					"row %zu, column %zu: not a finite number",
					i / d->cols + 1, i % d->cols + 1);
	return 0;
}

static struct cyl_model *model_new(const struct cyl_model_params *p, size_t cols)
{
	struct cyl_model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->p = *p;
	m->cols = cols;
	m->ops = kind_ops[p->kind];
	return m;
}

int cyl_model_build(struct cyl_model **m, const struct cyl_model_params *p,
		    const struct cyl_dataset *d, double *scores, char *err, size_t errlen)
{
	struct cyl_model_params rp;
	struct cyl_model *nm;
	double *sorted;
	int ret;

	*m = NULL;
	ret = cyl_model_resolve(p, &rp, err, errlen);
	if (ret)
		return ret;
	nm = model_new(&rp, d->cols);
	sorted = malloc(d->rows * sizeof(*sorted));
	if (!nm || !sorted) {
		free(nm);
		free(sorted);
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	}
	ret = nm->ops->train(nm, d, scores, err, errlen);
	if (ret) {
		free(nm);
		free(sorted);
		return ret;
	}
	memcpy(sorted, scores, d->rows * sizeof(*sorted));
	qsort(sorted, d->rows, sizeof(*sorted), cyl_model_cmp_double);
	nm->threshold = cyl_model_quantile(sorted, d->rows, rp.budget);
	free(sorted);
	*m = nm;
	return 0;
}

int cyl_model_train(struct cyl_model **m, const struct cyl_model_params *p,
		    const struct cyl_dataset *train, char *err, size_t errlen)
{
	double *scores;
	int ret;

	*m = NULL;
	ret = check_data(train, err, errlen);
	if (ret)
		return ret;
	scores = malloc(train->rows * sizeof(*scores));
	if (!scores)
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	ret = cyl_model_build(m, p, train, scores, err, errlen);
	free(scores);
	return ret;
}

/* --- using a model --- */

double cyl_model_score(const struct cyl_model *m, const double *row)
{
	double s;

	m->ops->score_rows(m, row, 1, &s);
	return s;
}

void cyl_model_score_rows(const struct cyl_model *m, const double *x, size_t rows,
			  double *out)
{
	if (rows)
		m->ops->score_rows(m, x, rows, out);
}

double cyl_model_threshold(const struct cyl_model *m)
{
	return m->threshold;
}

size_t cyl_model_cols(const struct cyl_model *m)
{
	return m->cols;
}

enum cyl_model_kind cyl_model_kind(const struct cyl_model *m)
{
	return m->p.kind;
}

const struct cyl_model_params *cyl_model_params(const struct cyl_model *m)
{
	return &m->p;
}

struct contrib {
	double c;
	size_t i;
};

/* Larger contributions first, then lower columns. */
static int cmp_contrib(const void *a, const void *b)
{
	const struct contrib *x = a, *y = b;

	if (x->c != y->c)
		return x->c < y->c ? 1 : -1;
	return (x->i > y->i) - (x->i < y->i);
}

size_t cyl_model_explain(const struct cyl_model *m, const double *row, size_t k,
			 size_t *idx, double *contrib)
{
	struct contrib *c;
	double *all;
	size_t i;

	if (k > m->cols)
		k = m->cols;
	if (!k)
		return 0;
	all = calloc(m->cols, sizeof(*all));
	c = malloc(m->cols * sizeof(*c));
	if (!all || !c) {
		free(all);
		free(c);
		return 0;
	}
	m->ops->explain(m, row, all);
	for (i = 0; i < m->cols; i++) {
		c[i].c = all[i];
		c[i].i = i;
	}
	qsort(c, m->cols, sizeof(*c), cmp_contrib);
	for (i = 0; i < k; i++) {
		idx[i] = c[i].i;
		if (contrib)
			contrib[i] = c[i].c;
	}
	free(all);
	free(c);
	return k;
}

void cyl_model_update(struct cyl_model *m, const double *row)
{
	if (m->ops->update)
		m->ops->update(m, row);
}

void cyl_model_free(struct cyl_model *m)
{
	if (!m)
		return;
	m->ops->free(m->impl);
	free(m);
}

/* --- the model file --- */

void cyl_model_put(const struct cyl_model *m, struct cyl_wbuf *w)
{
	cyl_wbuf_u32(w, m->p.kind);
	cyl_wbuf_u64(w, m->p.seed);
	cyl_wbuf_u32(w, m->p.trees);
	cyl_wbuf_u32(w, m->p.sample);
	cyl_wbuf_u32(w, m->p.depth);
	cyl_wbuf_u32(w, m->p.window);
	cyl_wbuf_f64(w, m->p.budget);
	cyl_wbuf_u64(w, m->cols);
	cyl_wbuf_f64(w, m->threshold);
	m->ops->save(m, w);
}

static bool params_equal(const struct cyl_model_params *a, const struct cyl_model_params *b)
{
	return a->kind == b->kind && a->seed == b->seed && a->trees == b->trees &&
	       a->sample == b->sample && a->depth == b->depth && a->window == b->window &&
	       a->budget == b->budget;
}

int cyl_model_get(struct cyl_model **m, struct cyl_rbuf *r, bool member, char *err,
		  size_t errlen)
{
	struct cyl_model_params p, rp;
	struct cyl_model *nm;
	uint64_t cols;
	double thr;
	int ret;

	*m = NULL;
	p.kind = cyl_rbuf_u32(r);
	p.seed = cyl_rbuf_u64(r);
	p.trees = cyl_rbuf_u32(r);
	p.sample = cyl_rbuf_u32(r);
	p.depth = cyl_rbuf_u32(r);
	p.window = cyl_rbuf_u32(r);
	p.budget = cyl_rbuf_f64(r);
	cols = cyl_rbuf_u64(r);
	thr = cyl_rbuf_f64(r);
	if (r->bad)
		return cyl_errf(-EINVAL, err, errlen, "truncated model header");
	if (member && p.kind == CYL_MODEL_ENSEMBLE)
		return cyl_errf(-EINVAL, err, errlen, "an ensemble as an ensemble's member");
	ret = cyl_model_resolve(&p, &rp, err, errlen);
	if (ret)
		return ret;
	if (!params_equal(&p, &rp))
		return cyl_errf(-EINVAL, err, errlen,
				"%s parameters not in their resolved form", kind_names[p.kind]);
	if (!cols || cols > CYL_MODEL_MAX_COLS)
		return cyl_errf(-EINVAL, err, errlen, "%llu columns, not in [1, %u]",
				(unsigned long long)cols, CYL_MODEL_MAX_COLS);
	if (!isfinite(thr))
		return cyl_errf(-EINVAL, err, errlen, "threshold is not finite");
	nm = model_new(&rp, cols);
	if (!nm)
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	nm->threshold = thr;
	ret = nm->ops->load(nm, r, err, errlen);
	if (!ret && r->bad)
		ret = cyl_errf(-EINVAL, err, errlen, "truncated %s model", kind_names[p.kind]);
	if (ret) {
		if (nm->impl)
			nm->ops->free(nm->impl);
		free(nm);
		return ret;
	}
	*m = nm;
	return 0;
}

int cyl_model_save(const struct cyl_model *m, uint8_t **buf, size_t *len)
{
	struct cyl_wbuf w = { 0 };
	uint8_t hash[HASH_LEN];

	*buf = NULL;
	*len = 0;
	wbuf_put(&w, (const uint8_t *)MAGIC, MAGIC_LEN);
	cyl_wbuf_u32(&w, VERSION);
	cyl_model_put(m, &w);
	if (!w.err && !EVP_Digest(w.p, w.len, hash, NULL, EVP_sha256(), NULL))
		w.err = -EIO;
	wbuf_put(&w, hash, HASH_LEN);
	if (w.err) {
		free(w.p);
		return w.err;
	}
	*buf = w.p;
	*len = w.len;
	return 0;
}

int cyl_model_load(struct cyl_model **m, const uint8_t *buf, size_t len, char *err,
		   size_t errlen)
{
	struct cyl_rbuf r = { .p = buf, .off = MAGIC_LEN + 4 };
	uint8_t hash[HASH_LEN];
	uint32_t version;
	int ret;

	*m = NULL;
	if (len && memcmp(buf, MAGIC, len < MAGIC_LEN ? len : MAGIC_LEN))
		return cyl_errf(-EINVAL, err, errlen, "bad magic: not a cylcomed model");
	if (len < MAGIC_LEN + 4 + HASH_LEN)
		return cyl_errf(-EINVAL, err, errlen, "truncated: %zu bytes", len);
	version = cyl_get_le32(buf + MAGIC_LEN);
	if (version != VERSION)
		return cyl_errf(-EINVAL, err, errlen, "model format version %u, not %u",
				version, VERSION);
	if (!EVP_Digest(buf, len - HASH_LEN, hash, NULL, EVP_sha256(), NULL))
		return cyl_errf(-EIO, err, errlen, "SHA-256 failed");
	if (memcmp(hash, buf + len - HASH_LEN, HASH_LEN))
		return cyl_errf(-EINVAL, err, errlen,
				"checksum mismatch: the model file is corrupted");
	r.len = len - HASH_LEN;
	ret = cyl_model_get(m, &r, false, err, errlen);
	if (ret)
		return ret;
	if (r.off != r.len) {
		cyl_model_free(*m);
		*m = NULL;
		return cyl_errf(-EINVAL, err, errlen, "%zu bytes after the model",
				r.len - r.off);
	}
	return 0;
}
