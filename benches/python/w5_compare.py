"""W5 (DESIGN 16): 10 systems x 10 seeds x 100,000 examples of 0/1 scores, Parquet.

    python3 benches/python/w5_compare.py W5.parquet OUT.json [--resamples 10000]

As a researcher would write it, the numbers `xreport compare W5.parquet --baseline s0`
gives (its default unit is `both` here, as in W3b): read the Parquet with pandas
(pyarrow engine, the four needed columns, the string columns dictionary-decoded to
categoricals), pivot every system to a seeds x examples matrix in one vectorised pass
(np.bincount of the scores and of the row counts over the (system, seed, example)
codes: the mean of each cell, as pivot_table(aggfunc="mean") gives, without ten
pivot_tables), then for every treatment s1..s9 against the baseline s0 on the
examples both systems have in every seed: the two-way interval
(benches/python/w3_two_way.py), Welch's t over the seed means (scipy), the Holm
adjustment of those 9 Welch p-values (statsmodels multipletests; xreport's settings:
correction holm, family metric, so one family of the 9 comparisons of `correct`),
and over the examples' seed means the paired BCa bootstrap
(benches/python/paired_bootstrap.py, 10,000 resamples) and paired t.
"""

import common  # noqa: F401  (starts the clock)

import argparse

import numpy as np
import pandas as pd
import scipy.stats as st
from statsmodels.stats.multitest import multipletests

from paired_bootstrap import paired_bootstrap
from w3_two_way import two_way


def seed_example_matrices(path):
    """{system: (seeds x examples float64 matrix, NaN where a cell has no row)}, and the
    example ids of the columns. Duplicate rows of a cell are averaged."""
    df = pd.read_parquet(path, engine="pyarrow", columns=["condition", "seed", "example", "correct"],
                         read_dictionary=["condition", "example"])
    systems = df["condition"].cat.categories
    examples = df["example"].cat.categories
    seed_code, seeds = pd.factorize(df["seed"], sort=True)
    shape = (len(systems), len(seeds), len(examples))
    key = (df["condition"].cat.codes.to_numpy(np.int64) * shape[1] + seed_code) * shape[2] \
        + df["example"].cat.codes.to_numpy(np.int64)
    size = shape[0] * shape[1] * shape[2]
    count = np.bincount(key, minlength=size).reshape(shape)
    total = np.bincount(key, weights=df["correct"].to_numpy(np.float64), minlength=size).reshape(shape)
    del df, key
    with np.errstate(invalid="ignore", divide="ignore"):
        cells = total / count
    mats = {}
    for k, name in enumerate(systems):
        present = count[k].any(axis=1)  # the seeds this system has
        mats[name] = cells[k][present]
    return mats, examples


def main():
    p = argparse.ArgumentParser()
    p.add_argument("table")
    p.add_argument("out")
    p.add_argument("--baseline", default="s0")
    p.add_argument("--resamples", type=int, default=10_000)
    p.add_argument("--confidence", type=float, default=0.95)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()

    mats, _ = seed_example_matrices(a.table)
    base = mats.pop(a.baseline)
    base_complete = ~np.isnan(base).any(axis=0)

    rows = []
    for name, mat in mats.items():
        shared = base_complete & ~np.isnan(mat).any(axis=0)
        xa, xb = base[:, shared], mat[:, shared]
        welch = st.ttest_ind(xb.mean(1), xa.mean(1), equal_var=False)
        d = xb.mean(0) - xa.mean(0)
        bca, _, boot_se = paired_bootstrap(d, a.resamples, a.confidence, a.seed)
        paired = st.ttest_rel(xb.mean(0), xa.mean(0))
        rows.append({
            "treatment": name, "examples": int(shared.sum()), "seeds": [xa.shape[0], xb.shape[0]],
            "diff": xb.mean() - xa.mean(), "two_way_ci": two_way(xa, xb, a.confidence),
            "statistic": welch.statistic, "df": welch.df, "p_value": welch.pvalue,
            "examples_diff_ci": bca, "bootstrap_se": boot_se,
            "examples_statistic": paired.statistic, "examples_p_value": paired.pvalue,
        })
    adjusted = multipletests([r["p_value"] for r in rows], method="holm")[1]
    for r, q in zip(rows, adjusted):
        r["p_adjusted"] = q

    common.finish("W5", a.out, {"workload": "W5", "resamples": a.resamples, "baseline": a.baseline,
                                "comparisons": rows})


if __name__ == "__main__":
    main()
