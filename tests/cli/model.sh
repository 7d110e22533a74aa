#!/bin/bash
# cylctl model eval on CSV files written here: a data set with planted
# anomalies is ranked well above chance by every model, --json carries the
# same figures, and bad input (a word in a number column, a ragged row, a
# label other than 0/1, mismatched columns) is refused with its line and
# column.  TAP output; no daemon, no VM.
#
#   tests/cli/model.sh [BUILD_DIR]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
build=${1:-build}
cylctl=$build/agent/cylctl
. tests/cli/tap.bash

[ -x "$cylctl" ] || { echo "not ok 1 - $cylctl not built (make agent)"; exit 1; }
T=$(mktemp -d /tmp/cylctl-model.XXXXXX)
trap 'rm -rf "$T"' EXIT
eval_() { "$cylctl" model eval "$@" > "$T/out" 2>&1; rc=$?; }

# Normal rows around two centres; test rows 5% far off.  A "host" column
# that is not a feature, to be ignored.
python3 - "$T" <<'PY'
import random, sys
random.seed(7)
def rows(path, n, frac, label):
    with open(path, "w") as f:
        f.write("host,hr,spo2,resp" + (",label" if label else "") + "\n")
        for i in range(n):
            bad = random.random() < frac
            c = random.choice([(70, 98, 16), (90, 96, 20)])
            v = [random.uniform(20, 250), random.uniform(50, 100), random.uniform(0, 60)] \
                if bad else [random.gauss(m, 3) for m in c]
            f.write("10.0.0.%d,%s%s\n" % (i % 250, ",".join("%.3f" % x for x in v),
                                        (",%d" % bad) if label else ""))
rows(sys.argv[1] + "/train.csv", 3000, 0.0, False)
rows(sys.argv[1] + "/test.csv", 2000, 0.05, True)
PY

for m in if hst robust ensemble; do
	eval_ --train "$T/train.csv" --test "$T/test.csv" --ignore host --model $m
	auc=$(sed -n 's/^ROC AUC: *//p' "$T/out")
	check "model eval --model $m: ROC AUC $auc > 0.9 on planted anomalies" \
		python3 -c "import sys; sys.exit(0 if $rc == 0 and float('${auc:-0}') > 0.9 else 1)"
done
check "the report names precision, recall, F1 and the rates" \
	bash -c "grep -q '^precision:' '$T/out' && grep -q '^F1:' '$T/out' && grep -q 'rows/s' '$T/out'"
eval_ --train "$T/train.csv" --test "$T/test.csv" --ignore host --json
check "--json: the same figures as an object" python3 - "$T/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["model"] == "iforest" and r["train"]["rows"] == 3000 and r["test"]["rows"] == 2000, r
assert 0.9 < r["roc_auc"] <= 1 and 0 < r["pr_auc"] <= 1 and r["threshold"] > 0, r
c = r["counts"]
assert c["tp"] + c["fp"] + c["tn"] + c["fn"] == 2000 and c["tp"] + c["fn"] == r["test"]["anomalies"], r
PY
"$cylctl" model eval --train "$T/train.csv" --test "$T/test.csv" --ignore host --json --seed 3 > "$T/a" 2>&1
"$cylctl" model eval --train "$T/train.csv" --test "$T/test.csv" --ignore host --json --seed 3 > "$T/b" 2>&1
check "the same seed gives the same figures" \
	bash -c "python3 -c \"import json; a=json.load(open('$T/a')); b=json.load(open('$T/b')); assert a['roc_auc']==b['roc_auc'] and a['threshold']==b['threshold']\""

# --- bad input ---
eval_ --train "$T/train.csv" --test "$T/test.csv"
check "an address column is refused with its line and column" \
	bash -c "[ $rc -eq 1 ] && grep -q 'line 2, column 1' '$T/out' && grep -q '10.0.0.0' '$T/out'"
{ head -n 5 "$T/test.csv"; echo "10.0.0.9,70,oops,16,0"; } > "$T/word.csv"
eval_ --train "$T/train.csv" --test "$T/word.csv" --ignore host
check "a word in a number column: line 6, column 3" has "line 6, column 3" "$T/out"
{ head -n 5 "$T/test.csv"; echo "10.0.0.9,70,98"; } > "$T/ragged.csv"
eval_ --train "$T/train.csv" --test "$T/ragged.csv" --ignore host
check "a ragged row is refused with its line" bash -c "[ $rc -eq 1 ] && grep -q 'line 6' '$T/out'"
{ head -n 5 "$T/test.csv"; echo "10.0.0.9,70,98,16,2"; } > "$T/label.csv"
eval_ --train "$T/train.csv" --test "$T/label.csv" --ignore host
check "a label of 2 is refused with its line and column" has "line 6, column 5" "$T/out"
cut -d, -f1-3 "$T/train.csv" > "$T/narrow.csv"
eval_ --train "$T/narrow.csv" --test "$T/test.csv" --ignore host
check "train and test with different columns are refused" bash -c "[ $rc -eq 1 ] && grep -q 'feature columns' '$T/out'"
eval_ --train "$T/train.csv" --test "$T/test.csv" --model forest
check "an unknown model is a usage error (exit 2)" test $rc -eq 2
eval_ --train "$T/missing.csv" --test "$T/test.csv"
check "a missing file is named" bash -c "[ $rc -eq 1 ] && grep -q 'missing.csv' '$T/out'"

"$cylctl" model --help > "$T/out" 2>&1
check "model --help" has "cylctl model eval --train TRAIN.csv" "$T/out"

echo "1..$n"
[ "$failed" -eq 0 ]
