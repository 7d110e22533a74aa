/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unsupervised anomaly models behind one interface: trained on a baseline
 * (no labels), then scoring rows, higher meaning more anomalous.  Each
 * model sets its alarm threshold from the baseline's own scores: the
 * (1 - budget) quantile, budget being the false-alarm rate the operator
 * accepts (0.01: about one baseline row in a hundred would alarm).
 *
 *   iforest   isolation forest (Liu, Ting, Zhou 2008): flattened trees in
 *             one array, sub-sampling, the c(n) path normalisation;
 *             deterministic for a seed.
 *   hst       half-space trees (Tan, Ting, Liu 2011): streaming mass
 *             profiles over a sliding reference window.
 *   robust    per-feature median and MAD, the score a robust z.
 *   ensemble  the three, each score turned into its baseline rank
 *             (an empirical CDF), averaged.
 *
 * A library without daemon state: the agent, cylctl model eval, the
 * tests and the benchmark link it.  Functions are not thread-safe on one
 * model.
 */
#ifndef CYL_DETECT_MODEL_H
#define CYL_DETECT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "detect/dataset.h"

enum cyl_model_kind {
	CYL_MODEL_IFOREST,
	CYL_MODEL_HST,
	CYL_MODEL_ROBUST,
	CYL_MODEL_ENSEMBLE,
};

struct cyl_model_params {
	enum cyl_model_kind kind;
	uint64_t seed;		/* every random choice derives from it */
	unsigned int trees;	/* iforest, hst; 0: default (100, 25) */
	unsigned int sample;	/* iforest sub-sample; 0: 256 */
	unsigned int depth;	/* hst depth; 0: 15 */
	unsigned int window;	/* hst reference window; 0: 250 */
	double budget;		/* false-alarm budget in (0, 0.5]; 0: 0.01 */
};

struct cyl_model;

/* "iforest", "hst", "robust", "ensemble"; -1 / NULL when unknown. */
int cyl_model_kind_parse(const char *name);
const char *cyl_model_kind_name(enum cyl_model_kind kind);

/*
 * Train on @train (its labels, if any, are ignored).  0, -EINVAL (no
 * rows, no columns, a non-finite value, bad parameters) or -ENOMEM, with
 * the reason in @err.
 */
int cyl_model_train(struct cyl_model **m, const struct cyl_model_params *p,
		    const struct cyl_dataset *train, char *err, size_t errlen);

/* The anomaly score of one row of cols() values. */
double cyl_model_score(const struct cyl_model *m, const double *row);

/* Scores of many rows (faster than one by one where the model allows). */
void cyl_model_score_rows(const struct cyl_model *m, const double *x, size_t rows,
			  double *out);

/* The alarm threshold: a row scoring above it is an anomaly. */
double cyl_model_threshold(const struct cyl_model *m);

size_t cyl_model_cols(const struct cyl_model *m);
enum cyl_model_kind cyl_model_kind(const struct cyl_model *m);

/* The parameters as trained, defaults filled in (those the kind uses). */
const struct cyl_model_params *cyl_model_params(const struct cyl_model *m);

/*
 * The @k features that contribute most to @row's score, most first, with
 * their contributions (model-specific, larger is more): their column
 * indexes in @idx.  Returns how many were written.
 */
size_t cyl_model_explain(const struct cyl_model *m, const double *row, size_t k,
			 size_t *idx, double *contrib);

/*
 * HST only (a no-op for the others): learn from a row seen while
 * detecting; the reference window rolls over every `window` rows.
 */
void cyl_model_update(struct cyl_model *m, const double *row);

void cyl_model_free(struct cyl_model *m);

/*
 * The model file: "CYLMODEL", a format version, the kind, parameters,
 * the model, and a SHA-256 of everything before it.  Loading checks all
 * of it and refuses with the reason (bad magic, version, truncated,
 * checksum mismatch, inconsistent sizes); nothing is ever half-loaded.
 */
int cyl_model_save(const struct cyl_model *m, uint8_t **buf, size_t *len);
int cyl_model_load(struct cyl_model **m, const uint8_t *buf, size_t len,
		   char *err, size_t errlen);

#endif /* CYL_DETECT_MODEL_H */
