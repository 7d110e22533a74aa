// SPDX-License-Identifier: GPL-2.0
/*
 * cylctl model eval: the agent's anomaly models on CSV data sets, offline.
 * Trains on one file (its labels ignored), scores another, and reports
 * ROC AUC, PR AUC and, at the threshold the training data sets (the false
 * alarm budget's quantile), precision, recall and F1, with the rows per
 * second of both steps.  The same library code the agent runs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "detect/csv.h"
#include "detect/evaluate.h"
#include "detect/model.h"
#include "util/file.h"

#define MAX_IGNORE	64

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cylctl model eval --train TRAIN.csv --test TEST.csv [--label NAME]\n"
		"                         [--model if|hst|robust|ensemble] [--seed N]\n"
		"                         [--budget B] [--ignore COLUMN]... [--json]\n\n"
		"Trains a model on TRAIN.csv (numeric columns under a header row; a label\n"
		"column there is ignored), scores TEST.csv, whose label column NAME\n"
		"(default \"label\") holds 1 for an anomaly and 0 otherwise, and prints ROC\n"
		"AUC, PR AUC (average precision), and precision, recall and F1 at the\n"
		"threshold set from the training data: the (1 - B) quantile of its scores\n"
		"(B, the false-alarm budget, default 0.01).  --ignore drops a column (an\n"
		"address, a protocol name) from both files.  Models: if (isolation\n"
		"forest, the default), hst (half-space trees), robust (median/MAD),\n"
		"ensemble.  See Documentation/detection.md.\n\n"
		"Exit status: 0 ok, 1 a file refused (with its line and column), 2 usage.\n");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Does the CSV text's header row have a column named @name? */
static bool header_has(const char *text, size_t len, const char *name)
{
	size_t n = strlen(name), i = 0, start;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		i = 3;
	for (start = i; i <= len; i++) {
		if (i == len || text[i] == ',' || text[i] == '\n' || text[i] == '\r') {
			size_t a = start, b = i;

			while (a < b && text[a] == ' ')
				a++;
			while (b > a && text[b - 1] == ' ')
				b--;
			if (b - a >= 2 && text[a] == '"' && text[b - 1] == '"') {
				a++;
				b--;
			}
			if (b - a == n && !memcmp(text + a, name, n))
				return true;
			if (i == len || text[i] != ',')
				return false;
			start = i + 1;
		}
	}
	return false;
}

static int load(const char *path, const char *label, bool label_required,
		const char *const *ignore, size_t n_ignore, struct cyl_dataset *d)
{
	struct cyl_csv_opts o = { .ignore = ignore, .n_ignore = n_ignore };
	char *text = NULL, err[512];
	size_t len;
	int ret;

	ret = cyl_read_file(path, CYL_CSV_MAX_BYTES, &text, &len);
	if (ret) {
		fprintf(stderr, "cylctl: model eval: %s: %s\n", path,
			ret == -EFBIG ? "larger than 2 GiB" : strerror(-ret));
		return CLI_ERROR;
	}
	if (label_required || header_has(text, len, label))
		o.label = label;
	ret = cyl_csv_parse_opts(text, len, &o, d, err, sizeof(err));
	free(text);
	if (ret) {
		fprintf(stderr, "cylctl: model eval: %s: %s\n", path, err);
		return CLI_ERROR;
	}
	return CLI_OK;
}

static int eval(const char *train_path, const char *test_path, const char *label,
		const struct cyl_model_params *p, const char *const *ignore, size_t n_ignore,
		bool json)
{
	struct cyl_dataset train = { 0 }, test = { 0 };
	double t0, train_rate, score_rate, *score = NULL;
	struct cyl_model *m = NULL;
	struct cyl_eval e;
	size_t i, anomalies = 0;
	char err[512];
	int ret = CLI_ERROR;

	if (load(train_path, label, false, ignore, n_ignore, &train) ||
	    load(test_path, label, true, ignore, n_ignore, &test))
		goto out;
	if (train.cols != test.cols) {
		fprintf(stderr, "cylctl: model eval: %s has %zu feature columns, %s %zu\n",
			train_path, train.cols, test_path, test.cols);
		goto out;
	}
	for (i = 0; i < train.cols; i++)
		if (train.names && test.names && strcmp(train.names[i], test.names[i])) {
			fprintf(stderr, "cylctl: model eval: feature %zu is \"%s\" in %s but "
				"\"%s\" in %s\n", i + 1, train.names[i], train_path,
				test.names[i], test_path);
			goto out;
		}
	t0 = now();
	if (cyl_model_train(&m, p, &train, err, sizeof(err))) {
		fprintf(stderr, "cylctl: model eval: %s: %s\n", train_path, err);
		goto out;
	}
	train_rate = train.rows / (now() - t0);
	score = malloc(test.rows * sizeof(*score));
	if (!score) {
		fprintf(stderr, "cylctl: model eval: out of memory\n");
		goto out;
	}
	t0 = now();
	cyl_model_score_rows(m, test.x, test.rows, score);
	score_rate = test.rows / (now() - t0);
	for (i = 0; i < test.rows; i++)
		anomalies += test.label[i];
	if (cyl_evaluate(score, test.label, test.rows, cyl_model_threshold(m), &e)) {
		fprintf(stderr, "cylctl: model eval: %s: the labels are all %d: no AUC\n",
			test_path, anomalies ? 1 : 0);
		goto out;
	}
	if (json) {
		json_t *o = json_pack("{s:s, s:I, s:f, s:{s:I, s:I, s:f}, s:{s:I, s:I, s:f}, "
				      "s:f, s:f, s:f, s:f, s:f, s:f, s:{s:I, s:I, s:I, s:I}}",
				      "model", cyl_model_kind_name(p->kind),
				      "seed", (json_int_t)p->seed, "budget", p->budget,
				      "train", "rows", (json_int_t)train.rows,
				      "features", (json_int_t)train.cols, "rows_per_s", train_rate,
				      "test", "rows", (json_int_t)test.rows,
				      "anomalies", (json_int_t)anomalies, "rows_per_s", score_rate,
				      "threshold", cyl_model_threshold(m), "roc_auc", e.roc_auc,
				      "pr_auc", e.pr_auc, "precision", e.precision,
				      "recall", e.recall, "f1", e.f1,
				      "counts", "tp", (json_int_t)e.tp, "fp", (json_int_t)e.fp,
				      "tn", (json_int_t)e.tn, "fn", (json_int_t)e.fn);

		json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(o);
	} else {
		printf("model:      %s (seed %llu, false-alarm budget %g)\n",
		       cyl_model_kind_name(p->kind), (unsigned long long)p->seed, p->budget);
		printf("train:      %zu rows, %zu features, %.0f rows/s\n", train.rows,
		       train.cols, train_rate);
		printf("test:       %zu rows, %zu anomalies, scored %.0f rows/s\n", test.rows,
		       anomalies, score_rate);
		printf("threshold:  %g\n", cyl_model_threshold(m));
		printf("ROC AUC:    %.4f\nPR AUC:     %.4f\n", e.roc_auc, e.pr_auc);
		printf("precision:  %.4f\nrecall:     %.4f\nF1:         %.4f\n", e.precision,
		       e.recall, e.f1);
		printf("counts:     TP %zu, FP %zu, TN %zu, FN %zu\n", e.tp, e.fp, e.tn, e.fn);
	}
	ret = CLI_OK;
out:
	free(score);
	cyl_model_free(m);
	cyl_dataset_free(&train);
	cyl_dataset_free(&test);
	return ret;
}

int model_main(int argc, char *argv[], struct cyl_cli *cli)
{
	static const struct option longopts[] = {
		{ "train",	required_argument,	NULL, 't' },
		{ "test",	required_argument,	NULL, 'T' },
		{ "label",	required_argument,	NULL, 'l' },
		{ "model",	required_argument,	NULL, 'm' },
		{ "seed",	required_argument,	NULL, 's' },
		{ "budget",	required_argument,	NULL, 'b' },
		{ "ignore",	required_argument,	NULL, 'i' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	struct cyl_model_params p = { .kind = CYL_MODEL_IFOREST, .seed = 1, .budget = 0.01 };
	const char *train = NULL, *test = NULL, *label = "label", *ignore[MAX_IGNORE];
	bool json = cli->json;
	size_t n_ignore = 0;
	char *end;
	int opt, kind;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "eval")) {
		fprintf(stderr, "cylctl: model: unknown subcommand \"%s\"\n", argv[1]);
		usage(stderr);
		return CLI_USAGE;
	}
	optind = 2;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			train = optarg;
			break;
		case 'T':
			test = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'm':
			kind = cyl_model_kind_parse(strcmp(optarg, "if") ? optarg : "iforest");
			if (kind < 0) {
				fprintf(stderr, "cylctl: model eval: --model: if, hst, robust or "
					"ensemble, not \"%s\"\n", optarg);
				return CLI_USAGE;
			}
			p.kind = (enum cyl_model_kind)kind;
			break;
		case 's':
			errno = 0;
			p.seed = strtoull(optarg, &end, 10);
			if (errno || *end || end == optarg) {
				fprintf(stderr, "cylctl: model eval: --seed: expected an integer\n");
				return CLI_USAGE;
			}
			break;
		case 'b':
			p.budget = strtod(optarg, &end);
			if (*end || end == optarg || !(p.budget > 0 && p.budget <= 0.5)) {
				fprintf(stderr, "cylctl: model eval: --budget: expected a number "
					"in (0, 0.5]\n");
				return CLI_USAGE;
			}
			break;
		case 'i':
			if (n_ignore == MAX_IGNORE) {
				fprintf(stderr, "cylctl: model eval: at most %d --ignore\n",
					MAX_IGNORE);
				return CLI_USAGE;
			}
			ignore[n_ignore++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (!train || !test || optind != argc) {
		fprintf(stderr, "cylctl: model eval: --train and --test are required\n");
		return CLI_USAGE;
	}
	return eval(train, test, label, &p, ignore, n_ignore, json);
}
