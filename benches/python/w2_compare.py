"""W2 reference pipeline: every treatment against the baseline, as
`xreport compare TABLE.csv --baseline baseline --format json`.

    python3 benches/python/w2_compare.py TABLE.csv OUT.json [--resamples 10000]

Per (treatment, metric): diff (treatment - baseline), Welch's t-test (scipy
ttest_ind(equal_var=False), vectorized over every comparison), Holm-adjusted p per
metric (statsmodels multipletests), Hedges' g, the two-sample BCa bootstrap CI of the
difference (scipy.stats.bootstrap with two samples, vectorized over comparisons), the
power of Welch's test at the observed difference (scipy.stats.nct) and the seeds per
group needed for 80% power (bisection on n, as xreport).
"""

import common  # noqa: F401  (starts the clock)

import argparse

import numpy as np
import pandas as pd
import scipy.stats as st
from statsmodels.stats.multitest import multipletests


def welch_power(diff, sb, st_, nb, nt, alpha):
    vb, vt = sb**2 / nb, st_**2 / nt
    df = (vb + vt) ** 2 / (vb**2 / (nb - 1) + vt**2 / (nt - 1))
    ncp = diff / np.sqrt(vb + vt)
    crit = st.t.ppf(1 - alpha / 2, df)
    upper = st.nct.sf(crit, df, ncp)
    lower = st.nct.cdf(-crit, df, ncp)
    # scipy's nct returns NaN far in the tail on the other side of a large |ncp| (e.g.
    # nct.cdf(-1.96, 1700, 18.8)); that tail is 0 to double precision.
    upper = np.where(np.isnan(upper) & (ncp < 0), 0.0, upper)
    lower = np.where(np.isnan(lower) & (ncp > 0), 0.0, lower)
    return np.clip(upper + lower, 0.0, 1.0)


def seeds_needed(diff, sb, st_, alpha, target, max_n):
    """Smallest n >= 2 per group with power >= target (vectorized bisection); NaN past max_n."""
    reach = lambda n: welch_power(diff, sb, st_, n, n, alpha) >= target  # noqa: E731
    out = np.full(len(diff), np.nan)
    at2 = reach(np.full(len(diff), 2.0))
    atmax = reach(np.full(len(diff), float(max_n)))
    out[at2] = 2
    todo = ~at2 & atmax
    lo = np.full(len(diff), 2.0)
    hi = np.full(len(diff), float(max_n))
    while np.any(todo & (hi - lo > 1)):
        active = todo & (hi - lo > 1)
        mid = np.floor(lo + (hi - lo) / 2)
        ok = reach(np.where(active, mid, 2.0))
        hi = np.where(active & ok, mid, hi)
        lo = np.where(active & ~ok, mid, lo)
    out[todo] = hi[todo]
    return out


def diff_of_means(b, t, axis=-1):
    return np.mean(t, axis=axis) - np.mean(b, axis=axis)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("table")
    p.add_argument("out")
    p.add_argument("--baseline", default="baseline")
    p.add_argument("--resamples", type=int, default=10_000)
    p.add_argument("--confidence", type=float, default=0.95)
    p.add_argument("--alpha", type=float, default=0.05)
    p.add_argument("--target-power", type=float, default=0.8)
    p.add_argument("--max-seeds", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()

    df = pd.read_csv(a.table)
    df = df.sort_values(["condition", "metric", "seed"], kind="stable")
    counts = df.groupby(["condition", "metric"], sort=True).size()
    if counts.nunique() != 1:
        raise SystemExit("this reference pipeline expects the same number of seeds in every group")
    n = int(counts.iloc[0])
    conds = counts.index.get_level_values(0).unique()
    metrics = counts.index.get_level_values(1).unique()
    cube = df["value"].to_numpy().reshape(len(conds), len(metrics), n)  # condition x metric x seed
    bi = list(conds).index(a.baseline)
    treatments = [c for c in conds if c != a.baseline]
    ti = [list(conds).index(c) for c in treatments]
    T = cube[ti].reshape(-1, n)  # comparisons (treatment-major) x seeds
    B = np.broadcast_to(cube[bi], (len(ti), len(metrics), n)).reshape(-1, n)
    treat_of = np.repeat(treatments, len(metrics))
    metric_of = np.tile(np.asarray(metrics), len(treatments))

    diff = T.mean(axis=1) - B.mean(axis=1)
    test = st.ttest_ind(T, B, axis=1, equal_var=False)
    sb, stt = B.std(axis=1, ddof=1), T.std(axis=1, ddof=1)
    nb = nt = float(n)
    pooled = np.sqrt(((nb - 1) * sb**2 + (nt - 1) * stt**2) / (nb + nt - 2))
    cohens_d = diff / pooled
    hedges_g = cohens_d * (1 - 3 / (4 * (nb + nt - 2) - 1))

    p_adj = np.empty_like(test.pvalue)
    for m in metrics:  # family = the treatments of one metric
        sel = metric_of == m
        p_adj[sel] = multipletests(test.pvalue[sel], alpha=a.alpha, method="holm")[1]

    power = welch_power(diff, sb, stt, nb, nt, a.alpha)
    needed = seeds_needed(diff, sb, stt, a.alpha, a.target_power, a.max_seeds)

    rng = np.random.default_rng(a.seed)
    lo = np.empty(len(diff))
    hi = np.empty(len(diff))
    chunk = 1000
    for s in range(0, len(diff), chunk):
        res = st.bootstrap(
            (B[s : s + chunk], T[s : s + chunk]), diff_of_means, axis=-1, vectorized=True,
            n_resamples=a.resamples, confidence_level=a.confidence, method="BCa", rng=rng,
            batch=max(1, min(a.resamples, 2_000_000 // max(1, 2 * min(chunk, len(diff) - s) * n))),
        )
        lo[s : s + chunk] = res.confidence_interval.low
        hi[s : s + chunk] = res.confidence_interval.high

    comparisons = [
        {"baseline": a.baseline, "treatment": treat_of[i], "metric": metric_of[i],
         "n_baseline": n, "n_treatment": n, "std_baseline": sb[i], "std_treatment": stt[i],
         "diff": diff[i], "statistic": test.statistic[i], "df": test.df[i],
         "p_value": test.pvalue[i], "p_adjusted": p_adj[i], "hedges_g": hedges_g[i],
         "cohens_d": cohens_d[i], "power": power[i],
         "seeds_needed": None if np.isnan(needed[i]) else int(needed[i]),
         "diff_ci": [lo[i], hi[i]]}
        for i in range(len(diff))
    ]
    common.finish("W2", a.out, {"workload": "W2", "resamples": a.resamples, "comparisons": comparisons})


if __name__ == "__main__":
    main()
