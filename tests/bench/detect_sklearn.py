#!/usr/bin/python3
"""scikit-learn's IsolationForest on the detection benchmark's data.

Usage: detect_sklearn.py TRAIN.csv TEST.csv TREES SAMPLE SEED

Both files: a header row, numeric columns, the last one the 0/1 label
(ignored for training).  Prints one JSON object: rows/s for fit and for
score_samples on one core (n_jobs=1), and the ROC AUC and average
precision of -score_samples on the test rows.  Run by tests/bench/detect.c
in the same run as cylcomed's own models.
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1].astype(int)


def main():
    train_x, _ = load(sys.argv[1])
    test_x, test_y = load(sys.argv[2])
    trees, sample, seed = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    model = IsolationForest(n_estimators=trees, max_samples=sample,
                            random_state=seed, n_jobs=1)
    t0 = time.perf_counter()
    model.fit(train_x)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    score = -model.score_samples(test_x)
    score_s = time.perf_counter() - t0
    print(json.dumps({
        "train_rows_per_s": len(train_x) / fit_s,
        "score_rows_per_s": len(test_x) / score_s,
        "roc_auc": roc_auc_score(test_y, score),
        "pr_auc": average_precision_score(test_y, score),
    }))


if __name__ == "__main__":
    main()
