"""W3 reference pipeline: paired bootstrap over per-example scores of two systems.

    python3 benches/python/w3_paired.py SCORES.csv OUT.json [--resamples 10000]

The table is tidy (condition, seed, example, metric, value) with two conditions
(system_a = baseline, system_b = treatment) scored on the same examples. Output: the
mean per-example difference (b - a), its paired bootstrap CI (resampling examples,
BCa and percentile) and the paired t-test.

The bootstrap is benches/python/paired_bootstrap.py (scipy's BCa with the analytic
jackknife of a mean).

xreport's side is `xreport compare SCORES.csv --baseline system_a`: it pairs the examples
by id and, with one seed per system, takes the interval and the test from them.
"""

import common  # noqa: F401  (starts the clock)

import argparse

import numpy as np
import pandas as pd
import scipy.stats as st

from paired_bootstrap import paired_bootstrap


def main():
    p = argparse.ArgumentParser()
    p.add_argument("table")
    p.add_argument("out")
    p.add_argument("--baseline", default="system_a")
    p.add_argument("--treatment", default="system_b")
    p.add_argument("--resamples", type=int, default=10_000)
    p.add_argument("--confidence", type=float, default=0.95)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()

    df = pd.read_csv(a.table, dtype={"condition": "category", "example": str, "metric": "category"})
    wide = df.pivot_table(index="example", columns="condition", values="value", aggfunc="mean", observed=True)
    wide = wide[[a.baseline, a.treatment]].dropna()
    d = (wide[a.treatment].to_numpy(np.float64) - wide[a.baseline].to_numpy(np.float64))
    n = len(d)
    theta = d.mean()

    bca, perc, boot_se = paired_bootstrap(d, a.resamples, a.confidence, a.seed)
    t = st.ttest_rel(wide[a.treatment].to_numpy(np.float64), wide[a.baseline].to_numpy(np.float64))

    common.finish("W3", a.out, {
        "workload": "W3", "resamples": a.resamples, "examples": n,
        "baseline": a.baseline, "treatment": a.treatment,
        "mean_baseline": wide[a.baseline].mean(), "mean_treatment": wide[a.treatment].mean(),
        "diff": theta, "diff_ci": list(bca), "diff_ci_percentile": list(perc),
        "bootstrap_se": boot_se, "statistic": t.statistic, "df": t.df, "p_value": t.pvalue,
    })


if __name__ == "__main__":
    main()
