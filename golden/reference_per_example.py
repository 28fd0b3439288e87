#!/usr/bin/env python3
"""Reference numbers for per-example statistics (DESIGN section 12), written to
reference/per_example.json:

  mcnemar     statsmodels mcnemar(exact=True); mid-p = 2·binom.cdf(k) − binom.pmf(k)
              (scipy), one-sided by scipy.stats.binomtest on the discordant pairs;
  proportion  statsmodels proportion_confint, method "wilson" and "beta";
  cluster     OLS of y on an intercept with cov_type="cluster" (CR1, use_t=True:
              t with G − 1 df): the mean, its se, t and p, the t-interval; and the
              cluster bootstrap interval (percentile) from numpy with many resamples;
  two_way     the two-way seeds × examples interval (golden/twoway_numpy.py: variance
              components, Satterthwaite df), its SE and df.

Each case carries its per-example rows, so the Rust test runs the binary on them.
Run: PYTHONPATH=<numpy, scipy, statsmodels> python3 golden/reference_per_example.py
"""

import json
import platform
import sys
from pathlib import Path

import numpy as np
import scipy
import scipy.stats as st
import statsmodels
import statsmodels.api as sm
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint

sys.path.insert(0, str(Path(__file__).parent))
import twoway_numpy  # noqa: E402

TEST_RESAMPLES = 10_000
REPEATS = 20


def mcnemar_case(name, base, treat):
    base, treat = np.asarray(base, float), np.asarray(treat, float)
    table = [[int(((base == 1) & (treat == 1)).sum()), int(((base == 1) & (treat == 0)).sum())],
             [int(((base == 0) & (treat == 1)).sum()), int(((base == 0) & (treat == 0)).sum())]]
    b, c = table[0][1], table[1][0]
    exact = mcnemar(table, exact=True)
    k, d = min(b, c), b + c
    mid = min(1.0, 2 * st.binom.cdf(k, d, 0.5) - st.binom.pmf(k, d, 0.5)) if d else 1.0
    greater = st.binomtest(c, d, 0.5, alternative="greater").pvalue if d else 1.0
    less = st.binomtest(c, d, 0.5, alternative="less").pvalue if d else 1.0
    rows = [("base", 0, i, base[i]) for i in range(len(base))] + \
           [("treat", 0, i, treat[i]) for i in range(len(treat))]
    return {"name": name, "rows": rows, "b": b, "c": c, "statistic": float(exact.statistic),
            "p_value": float(exact.pvalue), "mid_p": float(mid),
            "p_greater": float(greater), "p_less": float(less)}


def cluster_case(name, y, groups, rng):
    y = np.asarray(y, float)
    g = np.asarray(groups)
    res = sm.OLS(y, np.ones((len(y), 1))).fit(cov_type="cluster", cov_kwds={"groups": g}, use_t=True)
    G = len(np.unique(g))
    ci = res.conf_int(alpha=0.05)[0]
    # the t reference distribution statsmodels used must be G − 1
    assert abs(res.pvalues[0] - 2 * st.t.sf(abs(res.tvalues[0]), G - 1)) < 1e-12
    labels, inverse = np.unique(g, return_inverse=True)
    sums = np.bincount(inverse, weights=y)
    sizes = np.bincount(inverse).astype(float)

    def boot(resamples, seed):
        r = np.random.default_rng(seed)
        idx = r.integers(0, G, (resamples, G))
        reps = sums[idx].sum(1) / sizes[idx].sum(1)
        lo, hi = np.quantile(reps, [0.025, 0.975])
        return float(lo), float(hi)

    ref = boot(400_000, 1)
    ends = np.array([boot(TEST_RESAMPLES, 100 + k) for k in range(REPEATS)])
    return {"name": name, "y": y.tolist(), "groups": [str(x) for x in g], "clusters": G,
            "mean": float(res.params[0]), "se": float(res.bse[0]), "t": float(res.tvalues[0]),
            "df": G - 1, "p_value": float(res.pvalues[0]), "t_ci": [float(ci[0]), float(ci[1])],
            "bootstrap_ci": list(ref), "bootstrap_ci_mc_sd": np.std(ends, axis=0, ddof=1).tolist()}


def two_way_case(name, a, b, groups=None):
    lo, hi, se, df = twoway_numpy.interval(a, b, groups)
    rows = []
    for sys_name, x in (("base", a), ("treat", b)):
        for s in range(x.shape[0]):
            for i in range(x.shape[1]):
                rows.append((sys_name, s, i, float(x[s, i])))
    case = {"name": name, "rows": rows, "diff": float(b.mean() - a.mean()), "ci": [lo, hi],
            "se": se, "df": df}
    if groups is not None:
        case["clusters"] = [f"p{g:02d}" for g in groups]
    return case


def main():
    rng = np.random.default_rng(17)
    n = 220
    base = (rng.uniform(size=n) < 0.62).astype(float)
    treat = np.where(rng.uniform(size=n) < 0.12, 1 - base, base)
    treat = np.where((base == 0) & (rng.uniform(size=n) < 0.15), 1.0, treat)
    small_b = [1, 1, 1, 0, 0, 1, 0, 1, 1, 1]
    small_t = [1, 0, 1, 1, 1, 1, 1, 1, 1, 1]
    mcnemar_cases = [mcnemar_case("n220", base, treat), mcnemar_case("small", small_b, small_t),
                     mcnemar_case("tied", [1, 0, 1, 0], [0, 1, 1, 0])]

    proportion = []
    for k, m, conf in [(0, 10, 0.95), (3, 10, 0.95), (10, 10, 0.9), (137, 220, 0.95), (1, 400, 0.99)]:
        w = proportion_confint(k, m, alpha=1 - conf, method="wilson")
        cp = proportion_confint(k, m, alpha=1 - conf, method="beta")
        proportion.append({"k": k, "n": m, "confidence": conf,
                           "wilson": [float(w[0]), float(w[1])], "beta": [float(cp[0]), float(cp[1])]})

    G = 15
    sizes = rng.integers(1, 8, G)
    groups = np.repeat(np.arange(G), sizes)
    effect = rng.normal(0, 0.2, G)[groups]
    y = ((rng.uniform(size=len(groups)) < 0.6 + effect)).astype(float)
    diffs = rng.normal(0.05, 0.3, len(groups)) + effect
    cluster_cases = [cluster_case("binary", y, [f"p{g:02d}" for g in groups], rng),
                     cluster_case("continuous", diffs, [f"p{g:02d}" for g in groups], rng)]

    S, m = 4, 120
    item = rng.normal(0, 0.3, m)
    a = rng.normal(0, 0.05, (S, 1)) + item + rng.normal(0, 0.3, (S, m))
    bb = 0.08 + rng.normal(0, 0.05, (S, 1)) + item + rng.normal(0, 0.15, m) + rng.normal(0, 0.3, (S, m))
    two_way = [two_way_case("continuous", np.round(a, 6), np.round(bb, 6)),
               two_way_case("binary", (a > 0).astype(float)[:3], (bb > 0).astype(float)[:3]),
               two_way_case("clustered", np.round(a, 6), np.round(bb, 6),
                            np.sort(rng.integers(0, 30, m)))]

    out = {
        "generated_by": "golden/reference_per_example.py",
        "versions": {"python": platform.python_version(), "numpy": np.__version__,
                     "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
        "test_resamples": TEST_RESAMPLES,
        "mcnemar": mcnemar_cases, "proportion": proportion, "cluster": cluster_cases,
        "two_way": two_way,
    }
    path = Path(__file__).parent / "reference" / "per_example.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
