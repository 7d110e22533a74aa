// SPDX-License-Identifier: GPL-2.0
/*
 * Anomaly models on one core: rows per second for training and scoring,
 * and the ROC AUC and average precision, for each of cylcomed's models,
 * against scikit-learn's IsolationForest (n_jobs=1, the same trees,
 * sub-sample and data) run in the same run by detect_sklearn.py.  The
 * issue's goal: at least scikit-learn's AUC and 10x its scoring rate.
 *
 * Data (written to a temporary directory, deterministic): 8 features;
 * normal rows from three Gaussian clusters; test rows 2% anomalies drawn
 * uniformly from a box around them.
 *
 *   make bench-tools && build/tests/bench/detect [TRAIN_ROWS [TEST_ROWS]]
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "detect/csv.h"
#include "detect/evaluate.h"
#include "detect/model.h"

#define COLS	8
#define TREES	100
#define SAMPLE	256
#define SEEDS	5	/* the forests' figures are means over seeds 1..SEEDS */

static uint64_t rng = 0x853c49e6748fea9bull;

static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static double gauss(void)
{
	double u = uniform(), v = uniform();

	return sqrt(-2.0 * log(u + 1e-300)) * cos(2.0 * M_PI * v);
}

static void die(const char *what)
{
	fprintf(stderr, "detect bench: %s\n", what);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* @rows rows, a fraction @anomalies of them anomalous; label last. */
static void write_csv(const char *path, size_t rows, double anomalies)
{
	static const double centre[3][COLS] = {
		{ 0, 0, 0, 0, 0, 0, 0, 0 }, { 4, 4, 0, 0, 2, 0, 1, 0 }, { -3, 2, 3, 0, 0, 1, 0, 2 },
	};
	FILE *f = fopen(path, "w");
	size_t r;
	int c, k, bad;

	if (!f)
		die(strerror(errno));
	for (c = 0; c < COLS; c++)
		fprintf(f, "f%d,", c);
	fprintf(f, "label\n");
	for (r = 0; r < rows; r++) {
		bad = uniform() < anomalies;
		k = (int)(uniform() * 3);
		for (c = 0; c < COLS; c++)
			fprintf(f, "%.6f,", bad ? -8 + 16 * uniform() : centre[k][c] + gauss());
		fprintf(f, "%d\n", bad);
	}
	if (fclose(f))
		die(strerror(errno));
}

struct row {
	const char *name;
	double train_rate, score_rate;
	struct cyl_eval e;
};

static void run_ours(enum cyl_model_kind kind, uint64_t seed, const struct cyl_dataset *train,
		     const struct cyl_dataset *test, struct row *out)
{
	struct cyl_model_params p = { .kind = kind, .seed = seed,
				      .trees = kind == CYL_MODEL_HST ? 0 : TREES, .sample = SAMPLE };
	double *score = malloc(test->rows * sizeof(*score)), t0;
	struct cyl_model *m;
	char err[256];

	t0 = now();
	if (cyl_model_train(&m, &p, train, err, sizeof(err)))
		die(err);
	out->train_rate = train->rows / (now() - t0);
	t0 = now();
	cyl_model_score_rows(m, test->x, test->rows, score);
	out->score_rate = test->rows / (now() - t0);
	if (cyl_evaluate(score, test->label, test->rows, cyl_model_threshold(m), &out->e))
		die("evaluate");
	out->name = cyl_model_kind_name(kind);
	cyl_model_free(m);
	free(score);
}

static void run_sklearn(const char *train, const char *test, int seed, struct row *out)
{
	char cmd[1024], line[4096];
	json_error_t je;
	json_t *j;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 tests/bench/detect_sklearn.py %s %s %d %d %d",
		 train, test, TREES, SAMPLE, seed);
	p = popen(cmd, "r");
	if (!p || !fgets(line, sizeof(line), p) || pclose(p))
		die("detect_sklearn.py failed (is python3-sklearn installed? scripts/setup)");
	j = json_loads(line, 0, &je);
	if (!j)
		die("detect_sklearn.py: not JSON");
	out->name = "scikit-learn IsolationForest";
	out->train_rate = json_number_value(json_object_get(j, "train_rows_per_s"));
	out->score_rate = json_number_value(json_object_get(j, "score_rows_per_s"));
	out->e.roc_auc = json_number_value(json_object_get(j, "roc_auc"));
	out->e.pr_auc = json_number_value(json_object_get(j, "pr_auc"));
	json_decref(j);
}

/* Accumulate @r into @sum as a mean over SEEDS runs. */
static void mean_into(struct row *sum, const struct row *r)
{
	sum->name = r->name;
	sum->train_rate += r->train_rate / SEEDS;
	sum->score_rate += r->score_rate / SEEDS;
	sum->e.roc_auc += r->e.roc_auc / SEEDS;
	sum->e.pr_auc += r->e.pr_auc / SEEDS;
}

int main(int argc, char *argv[])
{
	size_t train_rows = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
	size_t test_rows = argc > 2 ? strtoul(argv[2], NULL, 10) : 20000;
	char dir[] = "/tmp/cyl-detect-bench.XXXXXX", train[64], test[64], err[256];
	struct cyl_dataset dtrain, dtest;
	struct row rows[5];
	int k, seed;

	if (!mkdtemp(dir))
		die(strerror(errno));
	snprintf(train, sizeof(train), "%s/train.csv", dir);
	snprintf(test, sizeof(test), "%s/test.csv", dir);
	write_csv(train, train_rows, 0.0);
	write_csv(test, test_rows, 0.02);
	if (cyl_csv_read(train, "label", &dtrain, err, sizeof(err)) ||
	    cyl_csv_read(test, "label", &dtest, err, sizeof(err)))
		die(err);
	for (k = 1; k < 4; k++)
		run_ours((enum cyl_model_kind)k, 1, &dtrain, &dtest, &rows[k]);
	memset(&rows[0], 0, sizeof(rows[0]));
	memset(&rows[4], 0, sizeof(rows[4]));
	for (seed = 1; seed <= SEEDS; seed++) {
		struct row a, b;

		run_ours(CYL_MODEL_IFOREST, (uint64_t)seed, &dtrain, &dtest, &a);
		run_sklearn(train, test, seed, &b);
		mean_into(&rows[0], &a);
		mean_into(&rows[4], &b);
	}

	printf("anomaly models, one core: %zu training rows, %zu test rows (2%% anomalies), "
	       "%d features\n\n", train_rows, test_rows, COLS);
	printf("%-30s %14s %14s %9s %9s\n", "model", "train rows/s", "score rows/s",
	       "ROC AUC", "PR AUC");
	for (k = 0; k < 5; k++)
		printf("%-30s %14.0f %14.0f %9.4f %9.4f\n", rows[k].name, rows[k].train_rate,
		       rows[k].score_rate, rows[k].e.roc_auc, rows[k].e.pr_auc);
	printf("\n(the two isolation forests: means over seeds 1..%d)\n"
	       "isolation forest against scikit-learn: scoring %.1fx its rate, training "
	       "%.1fx, ROC AUC %+.4f, PR AUC %+.4f\n", SEEDS, rows[0].score_rate / rows[4].score_rate,
	       rows[0].train_rate / rows[4].train_rate, rows[0].e.roc_auc - rows[4].e.roc_auc,
	       rows[0].e.pr_auc - rows[4].e.pr_auc);
	cyl_dataset_free(&dtrain);
	cyl_dataset_free(&dtest);
	unlink(train);
	unlink(test);
	rmdir(dir);
	return 0;
}
