#!/usr/bin/env python3
"""Reference marks for `xreport table` on examples/multi-dataset (DESIGN 14).

Run from the repository root:

    python3 golden/reference_main_table.py

It reads examples/multi-dataset/results.csv and writes
golden/reference/main_table.json: per dataset x metric column, every method's
mean and sample std (ddof = 1), the column's decimals (largest std to 2
significant digits, never fewer than the smallest std's first significant
digit), the printed means, the best and second-best printed values by the
metric's direction (ties share a mark; the second is the next distinct value),
and, against the baseline `erm`, Welch's two-sided p (scipy.stats.ttest_ind,
equal_var=False) with Holm's correction (statsmodels multipletests) within the
column (family metric) and across all comparisons of the table (family all);
the dagger is "significant and better by the metric's direction".
"""

import csv
import json
import math
import platform
from pathlib import Path

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.multitest import multipletests

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "examples/multi-dataset/results.csv"
OUT = ROOT / "golden/reference/main_table.json"
BASELINE = "erm"
METHODS = ["erm", "mixup", "cutmix", "ours"]
DATASETS = ["cifar10", "cifar100", "svhn"]
METRICS = {"test.acc": "higher", "test.loss": "lower"}
ALPHA = 0.05


def decimals(s):
    exponent = int(f"{s:.1e}".split("e")[1])
    return min(max(1 - exponent, 0), 12)


def main():
    values = {}
    with SOURCE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            for metric in METRICS:
                key = (row["dataset"], row["method"], metric)
                values.setdefault(key, []).append(float(row[metric]))
    columns = []
    for dataset in DATASETS:
        for metric, direction in METRICS.items():
            x = {m: np.array(values[dataset, m, metric]) for m in METHODS}
            means = {m: float(np.mean(v)) for m, v in x.items()}
            stds = {m: float(np.std(v, ddof=1)) for m, v in x.items()}
            d = max(decimals(max(stds.values())), decimals(min(stds.values())) - 1)
            printed = {m: float(f"{means[m]:.{d}f}") for m in METHODS}
            order = sorted(set(printed.values()), reverse=(direction == "higher"))
            best = [m for m in METHODS if printed[m] == order[0]]
            second = [m for m in METHODS if len(order) > 1 and printed[m] == order[1]]
            tests = {}
            for m in METHODS:
                if m == BASELINE:
                    continue
                t = stats.ttest_ind(x[m], x[BASELINE], equal_var=False)
                tests[m] = {"p_value": float(t.pvalue), "diff": means[m] - means[BASELINE]}
            columns.append({
                "task": dataset, "metric": metric, "direction": direction,
                "decimals": d, "mean": means, "std": stds, "printed": printed,
                "best": best, "second": second, "tests": tests,
            })
    for family in ("metric", "all"):
        groups = [[c] for c in columns] if family == "metric" else [columns]
        for group in groups:
            keys = [(c, m) for c in group for m in c["tests"]]
            p = [c["tests"][m]["p_value"] for c, m in keys]
            reject, adjusted, _, _ = multipletests(p, alpha=ALPHA, method="holm")
            for (c, m), r, a in zip(keys, reject, adjusted):
                better = c["tests"][m]["diff"] > 0 if c["direction"] == "higher" \
                    else c["tests"][m]["diff"] < 0
                c["tests"][m][family] = {
                    "p_adjusted": float(a), "significant": bool(r),
                    "dagger": bool(r) and better,
                }
    out = {
        "generator": "golden/reference_main_table.py",
        "versions": {"python": platform.python_version(), "numpy": np.__version__,
                     "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
        "baseline": BASELINE, "alpha": ALPHA, "correction": "holm",
        "columns": columns,
    }
    OUT.write_text(json.dumps(out, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for c in columns:
        daggers = [m for m in c["tests"] if c["tests"][m]["metric"]["dagger"]]
        print(c["task"], c["metric"], "best", c["best"], "second", c["second"], "dagger", daggers)


if __name__ == "__main__":
    main()
