/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the models: what model.c (parameters, dispatch, thresholds, the
 * model file) shares with iforest.c, hst.c, robust.c and ensemble.c.
 *
 * A model is written as a record: kind (u32), parameters (seed u64,
 * trees, sample, depth, window u32, budget f64), cols (u64), threshold
 * (f64), then the kind's body; all little endian, doubles as their IEEE
 * 754 bits.  The file is "CYLMODEL", version (u32), one record, SHA-256.
 * Parameters are stored resolved (defaults filled in, the fields the
 * kind does not use zero, the seed kept), and loading wants them so, as
 * it wants every field in the one form that saving writes: a model that
 * loads saves back to the same bytes.
 */
#ifndef CYL_DETECT_MODELS_H
#define CYL_DETECT_MODELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/model.h"

#define CYL_MODEL_MAX_COLS	65536
#define CYL_MODEL_MAX_ROWS	UINT32_MAX
#define CYL_MODEL_MAX_TREES	10000
#define CYL_IFOREST_MAX_SAMPLE	(1u << 20)
#define CYL_HST_MAX_DEPTH	20
#define CYL_HST_MAX_NODES	(1u << 25)	/* trees * nodes per tree */

/* A growing output buffer; a failed allocation sticks in err. */
struct cyl_wbuf {
	uint8_t *p;
	size_t len, cap;
	int err;
};

void cyl_wbuf_u16(struct cyl_wbuf *w, uint16_t v);
void cyl_wbuf_u32(struct cyl_wbuf *w, uint32_t v);
void cyl_wbuf_u64(struct cyl_wbuf *w, uint64_t v);
void cyl_wbuf_f64(struct cyl_wbuf *w, double v);

/* An input cursor; reading past the end sets bad and gives zeros. */
struct cyl_rbuf {
	const uint8_t *p;
	size_t len, off;
	bool bad;
};

uint16_t cyl_rbuf_u16(struct cyl_rbuf *r);
uint32_t cyl_rbuf_u32(struct cyl_rbuf *r);
uint64_t cyl_rbuf_u64(struct cyl_rbuf *r);
double cyl_rbuf_f64(struct cyl_rbuf *r);
/*
 * Whether @n items of @size bytes are left (else bad is set): bounds
 * what a count read from the input may allocate by the input's size.
 */
bool cyl_rbuf_need(struct cyl_rbuf *r, uint64_t n, size_t size);

struct cyl_model_ops {
	/* Learn @d (checked: rows, cols, finite) and write its rows' scores to @scores. */
	int (*train)(struct cyl_model *m, const struct cyl_dataset *d, double *scores,
		     char *err, size_t errlen);
	void (*score_rows)(const struct cyl_model *m, const double *x, size_t rows,
			   double *out);
	/* Every column's contribution to @row's score, >= 0. */
	void (*explain)(const struct cyl_model *m, const double *row, double *contrib);
	void (*update)(struct cyl_model *m, const double *row);	/* may be NULL */
	void (*save)(const struct cyl_model *m, struct cyl_wbuf *w);
	/* Read the body and check it, m->threshold included. */
	int (*load)(struct cyl_model *m, struct cyl_rbuf *r, char *err, size_t errlen);
	void (*free)(void *impl);
};

struct cyl_model {
	struct cyl_model_params p;	/* resolved */
	size_t cols;
	double threshold;
	const struct cyl_model_ops *ops;
	void *impl;
};

extern const struct cyl_model_ops cyl_iforest_ops, cyl_hst_ops, cyl_robust_ops,
	cyl_ensemble_ops;

/* Fill in defaults, zero what @in->kind does not use, check ranges. */
int cyl_model_resolve(const struct cyl_model_params *in, struct cyl_model_params *out,
		      char *err, size_t errlen);

/*
 * Train on a checked data set, the baseline's scores left in @scores
 * (rows of them): the ensemble trains its members with it.
 */
int cyl_model_build(struct cyl_model **m, const struct cyl_model_params *p,
		    const struct cyl_dataset *d, double *scores, char *err, size_t errlen);

/* The nearest-rank (1 - budget) quantile of @n ascending scores. */
double cyl_model_quantile(const double *sorted, size_t n, double budget);
int cyl_model_cmp_double(const void *a, const void *b);

/* A record, without magic or checksum: the ensemble nests its members'. */
void cyl_model_put(const struct cyl_model *m, struct cyl_wbuf *w);
int cyl_model_get(struct cyl_model **m, struct cyl_rbuf *r, bool member, char *err,
		  size_t errlen);

#endif /* CYL_DETECT_MODELS_H */
