#!/usr/bin/env python3
"""Writes examples/folds/folds.csv: real cross-validation fold scores.

    pip install --target /tmp/pyenv-ref numpy==2.4.6 scipy==1.17.1 scikit-learn==1.7.2
    PYTHONPATH=/tmp/pyenv-ref python3 golden/fixtures_cv_folds.py

Four scikit-learn classifiers on the Wisconsin breast cancer data that ships
with scikit-learn (`load_breast_cancer`, 569 examples), scored by
`cross_val_score` over `RepeatedStratifiedKFold(n_splits=5, n_repeats=2,
random_state=0)`: 10 folds of 80/20 splits, so n_test/n_train = 0.25 (the
`--test-train-ratio` of `xreport compare --test corrected-t`). Folds of the
same split index are the same examples for every classifier, which is what
pairs them. One row per classifier, fold and metric (accuracy and macro F1).
"""

import csv
from pathlib import Path

import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold, cross_validate
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

OUT = Path("examples/folds/folds.csv")

MODELS = {
    "svm": make_pipeline(StandardScaler(), SVC()),
    "logreg": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
    "knn": make_pipeline(StandardScaler(), KNeighborsClassifier()),
    "tree": DecisionTreeClassifier(random_state=0),
}


def main():
    x, y = load_breast_cancer(return_X_y=True)
    folds = RepeatedStratifiedKFold(n_splits=5, n_repeats=2, random_state=0)
    rows = []
    for name, model in MODELS.items():
        scores = cross_validate(model, x, y, cv=folds, scoring=["accuracy", "f1_macro"])
        for i, (acc, f1) in enumerate(zip(scores["test_accuracy"], scores["test_f1_macro"])):
            rows.append([name, i + 1, "test.accuracy", repr(float(acc))])
            rows.append([name, i + 1, "test.f1_macro", repr(float(f1))])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["condition", "fold", "metric", "value"])
        w.writerows(rows)
    print(f"wrote {OUT} with scikit-learn {sklearn.__version__}: {len(rows)} rows")


if __name__ == "__main__":
    main()
