"""W3 clustered variant: per-example scores in passages (`--cluster-col passage`).

    python3 benches/python/w3_clustered.py SCORES.csv OUT.json [--resamples 10000]

As a researcher would write it: the per-example differences (b - a) regressed on an
intercept with statsmodels OLS, cov_type="cluster" (CR1, t with G - 1 df), and the
cluster bootstrap in numpy (passages drawn with replacement, the mean of every
example they hold, percentile interval).

xreport's side is `xreport compare SCORES.csv --baseline system_a --cluster-col passage`.
"""

import common  # noqa: F401  (starts the clock)

import argparse

import numpy as np
import pandas as pd
import statsmodels.api as sm


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

    df = pd.read_csv(a.table, dtype={"condition": "category", "example": str, "passage": str,
                                     "metric": "category"})
    wide = df.pivot_table(index=["example", "passage"], columns="condition", values="value",
                          aggfunc="mean", observed=True)
    wide = wide[[a.baseline, a.treatment]].dropna()
    d = wide[a.treatment].to_numpy(np.float64) - wide[a.baseline].to_numpy(np.float64)
    groups = pd.factorize(wide.index.get_level_values("passage"))[0]
    fit = sm.OLS(d, np.ones((len(d), 1))).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)

    g = groups.max() + 1
    sums = np.bincount(groups, weights=d, minlength=g)
    sizes = np.bincount(groups, minlength=g).astype(np.float64)
    rng = np.random.default_rng(a.seed)
    theta_b = np.empty(a.resamples)
    batch = max(1, 20_000_000 // g)
    for s in range(0, a.resamples, batch):
        k = min(batch, a.resamples - s)
        idx = rng.integers(0, g, size=(k, g), dtype=np.int32)
        theta_b[s : s + k] = sums[idx].sum(axis=1) / sizes[idx].sum(axis=1)
    alpha = (1 - a.confidence) / 2

    common.finish("W3c", a.out, {
        "workload": "W3c", "resamples": a.resamples, "examples": len(d), "clusters": int(g),
        "diff": d.mean(), "diff_ci": list(np.quantile(theta_b, [alpha, 1 - alpha])),
        "bootstrap_se": theta_b.std(ddof=1), "se": fit.bse[0], "statistic": fit.tvalues[0],
        "df": g - 1, "p_value": fit.pvalues[0],
    })


if __name__ == "__main__":
    main()
