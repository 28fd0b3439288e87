"""W3 two-way variant: two systems x 3 seeds on the same examples (`--unit both`).

    python3 benches/python/w3_two_way.py SCORES.csv OUT.json [--resamples 10000]

As a researcher would write it, the numbers `xreport compare SCORES.csv --baseline
system_a` gives (its default unit is `both` here): the two-way interval of the
difference (numpy: seed and example variance components of the seeds x examples
design, Satterthwaite t; the formulas of golden/twoway_numpy.py), Welch's t over the
seed means (scipy), and over the per-example seed means the paired bootstrap
(benches/python/paired_bootstrap.py, BCa) and paired t.
"""

import common  # noqa: F401  (starts the clock)

import argparse

import numpy as np
import pandas as pd
import scipy.stats as st

from paired_bootstrap import paired_bootstrap


def two_way(a, b, confidence):
    """The two-way interval of mean(b) - mean(a), a and b seeds x examples."""
    n = a.shape[1]
    delta = b.mean() - a.mean()
    item = ((b.mean(0) - a.mean(0)).var(ddof=1)) / n
    seeds = []
    for x in (a, b):
        s = x.shape[0]
        r = x.mean(1)
        resid = x - x.mean(0) - (r - r.mean())[:, None]
        item -= (resid**2).sum() / ((s - 1) * (n - 1)) / (s * n)
        seeds.append((r.var(ddof=1) / s, s - 1))
    item = max(item, 0.0)
    var = item + sum(v for v, _ in seeds)
    df = var**2 / (item**2 / (n - 1) + sum(v**2 / k for v, k in seeds))
    half = st.t.ppf(1 - (1 - confidence) / 2, df) * np.sqrt(var)
    return [delta - half, delta + half]


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
    mats = {}
    for name in (a.baseline, a.treatment):
        m = df[df["condition"] == name].pivot_table(index="seed", columns="example", values="value",
                                                    aggfunc="mean", observed=True)
        mats[name] = m.sort_index(axis=1)
    shared = mats[a.baseline].columns.intersection(mats[a.treatment].columns)
    xa = mats[a.baseline][shared].to_numpy(np.float64)
    xb = mats[a.treatment][shared].to_numpy(np.float64)

    welch = st.ttest_ind(xb.mean(1), xa.mean(1), equal_var=False)
    d = xb.mean(0) - xa.mean(0)
    bca, _, boot_se = paired_bootstrap(d, a.resamples, a.confidence, a.seed)
    paired = st.ttest_rel(xb.mean(0), xa.mean(0))

    common.finish("W3b", a.out, {
        "workload": "W3b", "resamples": a.resamples, "examples": len(shared),
        "seeds": [xa.shape[0], xb.shape[0]], "diff": xb.mean() - xa.mean(),
        "two_way_ci": two_way(xa, xb, a.confidence),
        "statistic": welch.statistic, "df": welch.df, "p_value": welch.pvalue,
        "examples_diff_ci": bca, "bootstrap_se": boot_se,
        "examples_statistic": paired.statistic, "examples_p_value": paired.pvalue,
    })


if __name__ == "__main__":
    main()
