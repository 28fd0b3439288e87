#!/usr/bin/env python3
"""Reference numbers for xreport's hypothesis tests, corrections, effect sizes,
noncentral t CDF and power analysis (src/stats/{inference,correction,effect,nct,power}.rs).

Run from the repository root:

    python3 golden/reference_inference.py

It writes golden/reference/{inference,correction,nct,power}.json. Every random
sample comes from numpy generators with fixed seeds, so the script rewrites the
same JSON byte for byte with the same library versions (recorded in each file).

Conventions (those of xreport): groups are (baseline, treatment) and every
statistic is treatment - baseline, i.e. scipy is called as f(treatment, baseline).
"""

import json
import math
import platform
import sys
import warnings
from pathlib import Path

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestIndPower, TTestPower

OUT = Path(__file__).resolve().parent / "reference"
ALTERNATIVES = ["two-sided", "greater", "less"]


def versions():
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
        "script": "golden/reference_inference.py",
    }


def write(name, payload):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    text = json.dumps({"versions": versions(), **payload}, indent=1, allow_nan=False)
    path.write_text(text + "\n")
    print(f"wrote {path}", file=sys.stderr)


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=float)]


# ---------------------------------------------------------------------------
# Samples: (label, baseline, treatment)
# ---------------------------------------------------------------------------


def samples():
    rng = np.random.default_rng(20240611)
    out = []

    def add(label, b, t):
        out.append((label, floats(b), floats(t)))

    sizes = [(2, 2), (2, 3), (3, 2), (3, 3), (3, 5), (4, 4), (5, 5), (5, 10),
             (8, 8), (8, 12), (9, 9), (10, 10), (4, 20), (20, 30), (50, 50)]
    for nb, nt in sizes:
        # a typical metric: accuracy around 0.8 with a small shift
        b = 0.80 + 0.01 * rng.standard_normal(nb)
        t = 0.805 + 0.01 * rng.standard_normal(nt)
        add(f"accuracy {nb}v{nt}", b, t)
        # a clear effect
        b = rng.standard_normal(nb)
        t = 1.5 + rng.standard_normal(nt)
        add(f"clear effect {nb}v{nt}", b, t)
        # variance ratio 1e4 (std ratio 100)
        b = 0.01 * rng.standard_normal(nb)
        t = 0.02 + 1.0 * rng.standard_normal(nt)
        add(f"variance ratio 1e4 {nb}v{nt}", b, t)
        # ties: values on a coarse grid
        b = np.round(rng.normal(0.5, 0.1, nb), 1)
        t = np.round(rng.normal(0.55, 0.1, nt), 1)
        if np.var(b) > 0 or np.var(t) > 0:
            add(f"ties {nb}v{nt}", b, t)

    # |t| up to 1e3: tiny noise around a large separation
    for nb, nt in [(2, 2), (3, 3), (5, 5), (10, 10)]:
        b = 1e-3 * rng.standard_normal(nb)
        t = 1.0 + 1e-3 * rng.standard_normal(nt)
        add(f"huge t {nb}v{nt}", b, t)
    # p near 1: the same values in another order, shifted by a thousandth of a std
    for n in [2, 3, 4, 6, 10]:
        b = 5.0 + rng.standard_normal(n)
        add(f"p near 1 {n}v{n}", b, b[::-1] + 1e-3 * np.std(b, ddof=1))
    # a group with zero variance (the other varies): still defined
    add("constant baseline 4v4", [0.5, 0.5, 0.5, 0.5], [0.51, 0.52, 0.50, 0.53])
    add("constant treatment 3v5", [0.1, 0.3, 0.2], [0.25, 0.25, 0.25, 0.25, 0.25])
    # the classic textbook 3 vs 3 with complete separation
    add("separated 3v3", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0])
    add("separated 5v4", [10.0, 11.0, 12.0, 13.0, 14.0], [1.0, 2.0, 3.0, 4.0])
    # large values with small spread (shift invariance in floating point)
    add("offset 1e6 5v5", 1e6 + rng.standard_normal(5), 1e6 + 0.5 + rng.standard_normal(5))
    return out


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------


def mw_method(nb, nt, b, t):
    """scipy's method='auto' choice (scipy.stats._mannwhitneyu._mwu_choose_method)."""
    pooled = np.concatenate([t, b])
    ties = len(np.unique(pooled)) < len(pooled)
    if nt > 8 and nb > 8:
        return "asymptotic"
    return "asymptotic" if ties else "exact"


def mean_diff(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def test_cases(data):
    cases = []
    for label, b, t in data:
        bb, tt = np.array(b), np.array(t)
        nb, nt = len(b), len(t)
        for alt in ALTERNATIVES:
            common = {"label": label, "alternative": alt, "baseline": b, "treatment": t}
            r = stats.ttest_ind(tt, bb, equal_var=False, alternative=alt)
            cases.append({**common, "kind": "welch", "statistic": float(r.statistic),
                          "df": float(r.df), "p_value": float(r.pvalue)})
            r = stats.ttest_ind(tt, bb, equal_var=True, alternative=alt)
            cases.append({**common, "kind": "student", "statistic": float(r.statistic),
                          "df": float(r.df), "p_value": float(r.pvalue)})
            if nb == nt and np.var(tt - bb) > 0:
                r = stats.ttest_rel(tt, bb, alternative=alt)
                cases.append({**common, "kind": "paired", "statistic": float(r.statistic),
                              "df": float(r.df), "p_value": float(r.pvalue)})
            r = stats.mannwhitneyu(tt, bb, alternative=alt, method="auto")
            cases.append({**common, "kind": "mannwhitney", "statistic": float(r.statistic),
                          "p_value": float(r.pvalue),
                          "exact": mw_method(nb, nt, bb, tt) == "exact"})
            n_splits = math.comb(nb + nt, nb)
            if n_splits <= 10000:
                r = stats.permutation_test((tt, bb), mean_diff, vectorized=True,
                                           n_resamples=10000, alternative=alt)
                cases.append({**common, "kind": "permutation", "statistic": float(r.statistic),
                              "p_value": float(r.pvalue), "exact": True,
                              "resamples": 10000})
    # Monte Carlo permutation tests: the p-value is random; Rust checks it lies
    # within a binomial tolerance of scipy's (different random streams).
    for label, b, t in data:
        nb, nt = len(b), len(t)
        if math.comb(nb + nt, nb) > 20000 and nb + nt <= 40 and label.startswith(("accuracy", "clear", "ties")):
            for alt in ALTERNATIVES:
                r = stats.permutation_test((np.array(t), np.array(b)), mean_diff,
                                           vectorized=True, n_resamples=9999,
                                           alternative=alt, rng=np.random.default_rng(7))
                cases.append({"label": label, "alternative": alt, "baseline": b, "treatment": t,
                              "kind": "permutation", "statistic": float(r.statistic),
                              "p_value": float(r.pvalue), "exact": False, "resamples": 9999})
    return cases


def effect_cases(data):
    out = []
    for label, b, t in data:
        bb, tt = np.array(b), np.array(t)
        nb, nt = len(b), len(t)
        pooled = math.sqrt(((nb - 1) * np.var(bb, ddof=1) + (nt - 1) * np.var(tt, ddof=1)) / (nb + nt - 2))
        if pooled == 0:
            continue
        d = (np.mean(tt) - np.mean(bb)) / pooled
        g = d * (1 - 3 / (4 * (nb + nt - 2) - 1))
        diff = tt[:, None] - bb[None, :]
        tie = np.mean(diff == 0)
        out.append({"label": label, "baseline": b, "treatment": t, "cohens_d": float(d),
                    "hedges_g": float(g),
                    "prob_improvement_higher": float(np.mean(diff > 0) + 0.5 * tie),
                    "prob_improvement_lower": float(np.mean(diff < 0) + 0.5 * tie)})
    return out


def min_p_cases():
    out = []
    for nb, nt in [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4), (5, 5), (3, 10), (8, 8), (8, 20)]:
        # completely separated samples reach the smallest achievable p
        b = np.arange(nb, dtype=float)
        t = 100.0 + np.arange(nt, dtype=float)
        for alt in ["two-sided", "greater"]:
            mw = stats.mannwhitneyu(t, b, alternative=alt, method="exact").pvalue
            entry = {"n_baseline": nb, "n_treatment": nt, "alternative": alt,
                     "mannwhitney": float(mw)}
            if math.comb(nb + nt, nb) <= 10000:
                perm = stats.permutation_test((t, b), mean_diff, vectorized=True,
                                              n_resamples=10000, alternative=alt).pvalue
                entry["permutation"] = float(perm)
            out.append(entry)
    return out


# ---------------------------------------------------------------------------
# Corrections
# ---------------------------------------------------------------------------

SM_METHODS = {"holm": "holm", "bonferroni": "bonferroni", "sidak": "sidak",
              "holm-sidak": "holm-sidak", "hochberg": "simes-hochberg",
              "hommel": "hommel", "bh": "fdr_bh", "by": "fdr_by",
              "fdr-tsbh": "fdr_tsbh", "fdr-tsbky": "fdr_tsbky"}
TWO_STAGE = {"fdr-tsbh": "fdr_tsbh", "fdr-tsbky": "fdr_tsbky"}


def correction_cases():
    rng = np.random.default_rng(99)
    vectors = [
        [0.01],
        [0.04, 0.5],
        [0.01, 0.02, 0.03, 0.04, 0.05],
        [0.05, 0.01, 0.04, 0.03, 0.02],
        [0.01, 0.01, 0.01, 0.02, 0.02],
        [0.0, 0.0, 0.5, 1.0, 1.0],
        [1.0, 1.0, 1.0],
        [0.0, 0.0, 0.0],
        [0.049, 0.049, 0.0125, 0.0125, 0.2, 0.9],
        [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216],
        [0.3, 0.3, 0.3, 0.3, 0.001],
        [1e-12, 1e-9, 0.5, 0.999999],
    ]
    for n in [3, 7, 15, 40]:
        vectors.append(floats(rng.uniform(0, 0.1, n)))
        vectors.append(floats(np.round(rng.uniform(0, 1, n), 2)))
        vectors.append(floats(rng.beta(0.3, 4, n)))
    cases = []
    for alpha in [0.05, 0.1]:
        for p in vectors:
            for ours, theirs in SM_METHODS.items():
                rej, adj, _, _ = multipletests(np.array(p, dtype=float), alpha=alpha, method=theirs)
                cases.append({"p": floats(p), "method": ours, "alpha": alpha,
                              "adjusted": floats(adj), "reject": [bool(v) for v in rej]})
    return cases + two_stage_cases()


def two_stage_cases():
    """The two-stage FDR methods, whose adjusted p-values depend on alpha: more
    levels, ties, p-values on and next to the BH thresholds of both stages
    (alpha' = alpha/(1+alpha) for fdr_tsbky), and vectors where the first
    stage rejects none, some or all."""
    rng = np.random.default_rng(1207)
    fixed = [
        [0.02, 0.02, 0.02, 0.02],
        [0.01, 0.01, 0.01, 0.01, 0.01, 0.5, 0.5, 0.5],
        [0.001, 0.001, 0.04, 0.04, 0.04, 0.3],
        [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459,
         0.324, 0.4262, 0.5719, 0.6528, 0.759, 1.0],
        [0.9, 0.001],
        [0.0, 1.0, 0.5, 0.0],
    ]
    for n in [5, 12, 30, 60]:
        fixed.append(floats(rng.beta(0.25, 6, n)))
        # a mixture of strong effects and nulls: stage 1 rejects some, not all
        fixed.append(floats(np.concatenate([rng.uniform(0, 0.005, n // 3),
                                            rng.uniform(0, 1, n - n // 3)])))
        fixed.append(floats(np.round(rng.beta(0.4, 3, n), 3)))
    cases = []
    for alpha in [0.01, 0.025, 0.05, 0.1, 0.2]:
        near = []
        for bky in [False, True]:
            level = alpha / (1.0 + alpha) if bky else alpha
            for m in [4, 10]:
                # exactly on the stage-1 thresholds, as statsmodels computes them
                on = np.arange(1, m + 1) / float(m) * level
                near.append(floats(on))
                near.append(floats(on * (1 + 1e-9)))
                # the first half on their thresholds, the rest null: stage 2
                # runs at alpha' * m / m0 and may reject more
                half = np.concatenate([on[: m // 2], np.linspace(0.4, 0.95, m - m // 2)])
                near.append(floats(half))
                near.append(floats(np.concatenate([on[: m // 2] * (1 - 1e-9),
                                                   np.full(m - m // 2, alpha * 1.5)])))
        near.append([alpha] * 3)
        near.append([alpha * (1 - 1e-9), alpha * (1 + 1e-9), alpha, 0.5 * alpha])
        for p in fixed + near:
            for ours, theirs in TWO_STAGE.items():
                rej, adj, _, _ = multipletests(np.array(p, dtype=float), alpha=alpha, method=theirs)
                cases.append({"p": floats(p), "method": ours, "alpha": alpha,
                              "adjusted": floats(adj), "reject": [bool(v) for v in rej]})
    return cases


# ---------------------------------------------------------------------------
# Noncentral t
# ---------------------------------------------------------------------------


def nct_cases():
    dfs = [1.0, 1.5, 2.0, 2.7, 3.0, 4.0, 5.0, 7.3, 10.0, 17.9, 30.0, 100.0, 341.2, 1000.0, 10000.0]
    ncps = [-40.0, -20.0, -10.0, -5.0, -2.0, -1.0, -0.5, 0.0, 0.3, 1.0, 2.0, 3.7, 5.0, 10.0, 20.0, 40.0]
    xs = [-1000.0, -100.0, -30.0, -10.0, -5.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0,
          3.0, 5.0, 10.0, 30.0, 50.0, 100.0, 1000.0]
    cases = []
    for df in dfs:
        for ncp in ncps:
            # the bulk of the distribution sits near x = ncp
            near = [ncp - 1.0, ncp - 0.1, ncp, ncp + 0.1, ncp + 1.0, 1.2 * ncp + 2.0]
            for x in sorted(set(xs + near)):
                v = float(stats.nct.cdf(x, df, ncp))
                if math.isfinite(v):
                    cases.append([x, df, ncp, v])
    # large noncentrality (a metric with a tiny std): x around the bulk
    for df in [2.0, 10.0, 1000.0, 10000.0]:
        for ncp in [100.0, -100.0, 300.0, 1000.0]:
            for x in [0.5 * ncp, 0.9 * ncp, 0.99 * ncp, ncp, 1.01 * ncp, 1.1 * ncp, 2.0 * ncp, 5.0, -5.0]:
                v = float(stats.nct.cdf(x, df, ncp))
                if math.isfinite(v):
                    cases.append([x, df, ncp, v])
    return cases


# ---------------------------------------------------------------------------
# Power
# ---------------------------------------------------------------------------


def welch_power(diff, sd_b, sd_t, n_b, n_t, alpha):
    vb, vt = sd_b**2 / n_b, sd_t**2 / n_t
    se = math.sqrt(vb + vt)
    df = (vb + vt) ** 2 / (vb**2 / (n_b - 1) + vt**2 / (n_t - 1))
    ncp = diff / se
    crit = stats.t.isf(alpha / 2, df)
    lower = stats.nct.cdf(-crit, df, ncp)
    if not math.isfinite(lower):
        # scipy 1.17's nct.cdf returns NaN for some far lower tails; use the
        # reflection F(-c; df, ncp) = 1 - F(c; df, -ncp) = sf(c; df, -ncp)
        lower = stats.nct.sf(crit, df, -ncp)
    return float(stats.nct.sf(crit, df, ncp) + lower)


def power_cases():
    welch = []
    for diff in [0.0, 0.002, 0.01, 0.5, 1.0, -1.0, 3.0]:
        for sd_b, sd_t in [(1.0, 1.0), (0.01, 0.01), (1.0, 2.0), (0.5, 0.05), (1.0, 0.0), (0.01, 1.0)]:
            for n_b, n_t in [(2, 2), (3, 3), (5, 5), (3, 8), (10, 10), (30, 20), (100, 100)]:
                for alpha in [0.05, 0.01]:
                    welch.append({"diff": diff, "sd_baseline": sd_b, "sd_treatment": sd_t,
                                  "n_baseline": n_b, "n_treatment": n_t, "alpha": alpha,
                                  "power": welch_power(diff, sd_b, sd_t, n_b, n_t, alpha)})
    analysis = TTestIndPower()
    statsmodels_power = []
    for d in [0.0, 0.1, 0.2, 0.5, 0.8, 1.0, 1.5, 2.0, 3.0, -0.8]:
        for n in [2, 3, 5, 10, 20, 50, 100, 1000]:
            for alpha in [0.05, 0.01]:
                p = analysis.power(effect_size=d, nobs1=n, alpha=alpha, ratio=1.0)
                if not math.isfinite(p):
                    # statsmodels inherits scipy's NaN lower tail of nct.cdf when the
                    # power is 1 to double precision; the Welch list covers these
                    continue
                statsmodels_power.append({"effect_size": d, "n": n, "alpha": alpha, "power": float(p)})
    solve = []
    for d in [0.2, 0.35, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5]:
        for target in [0.8, 0.9, 0.95]:
            for alpha in [0.05, 0.01]:
                n = float(analysis.solve_power(effect_size=d, nobs1=None, alpha=alpha,
                                               power=target, ratio=1.0))
                solve.append({"effect_size": d, "target_power": target, "alpha": alpha,
                              "nobs1": n, "seeds_needed": max(2, math.ceil(n))})
    return {"welch": welch, "ttest_ind_power": statsmodels_power, "solve_power": solve,
            **design_cases()}


# xreport's --alternative (treatment - baseline) -> statsmodels' alternative:
# with d = (treatment - baseline)/s, "greater" is "larger"
SM_ALTERNATIVE = {"two-sided": "two-sided", "greater": "larger", "less": "smaller"}


def treatment_seeds(n_b, ratio):
    """ratio * n_b rounded up to a whole seed; within 1e-9 of an integer it is
    that integer (xreport's treatment_seeds)."""
    exact = ratio * n_b
    nearest = round(exact)
    if abs(exact - nearest) <= 1e-9 * max(nearest, 1.0):
        return int(nearest)
    return math.ceil(exact)


def fewest_seeds(ratio):
    n = 2
    while treatment_seeds(n, ratio) < 2:
        n += 1
    return n


def welch_df(sd_b, sd_t, n_b, n_t):
    vb, vt = sd_b**2 / n_b, sd_t**2 / n_t
    return (vb + vt) ** 2 / (vb**2 / (n_b - 1) + vt**2 / (n_t - 1))


def welch_power_alt(diff, sd_b, sd_t, n_b, n_t, alpha, alternative):
    """Welch's power by scipy.stats.nct for any alternative."""
    se = math.sqrt(sd_b**2 / n_b + sd_t**2 / n_t)
    df = welch_df(sd_b, sd_t, n_b, n_t)
    ncp = diff / se
    if alternative == "two-sided":
        return welch_power(diff, sd_b, sd_t, n_b, n_t, alpha)
    crit = stats.t.isf(alpha, df)
    if alternative == "greater":
        return float(stats.nct.sf(crit, df, ncp))
    lower = stats.nct.cdf(-crit, df, ncp)
    return float(lower if math.isfinite(lower) else stats.nct.sf(crit, df, -ncp))


def statsmodels_ratio_power(d, n_b, n_t, alpha, alternative):
    """TTestIndPower with nobs2 = ratio * nobs1 = n_t and Welch's df of equal
    stds (statsmodels' own default is the pooled df n_b + n_t - 2)."""
    return float(TTestIndPower().power(effect_size=d, nobs1=n_b, alpha=alpha, ratio=n_t / n_b,
                                       df=welch_df(1.0, 1.0, n_b, n_t),
                                       alternative=SM_ALTERNATIVE[alternative]))


def smallest_reaching(power, first, target, max_n=1000):
    """The seeds needed by exhaustive search: None past max_n."""
    for n in range(first, max_n + 1):
        if power(n) >= target:
            return n
    return None


def design_cases():
    """`xreport power --alternative / --ratio / --paired` (DESIGN section 13)."""
    ind, paired = TTestIndPower(), TTestPower()
    one_sided = []
    for d in [0.0, 0.2, 0.5, 0.8, 1.3, 2.0, -0.5, -1.3]:
        for n in [2, 3, 5, 10, 30, 100]:
            for alpha in [0.05, 0.01, 0.1]:
                for alt in ["greater", "less"]:
                    p = ind.power(effect_size=d, nobs1=n, alpha=alpha, ratio=1.0,
                                  alternative=SM_ALTERNATIVE[alt])
                    if math.isfinite(p):
                        one_sided.append({"effect_size": d, "n": n, "alpha": alpha,
                                          "alternative": alt, "power": float(p)})
    one_sided_solve = []
    for d in [0.3, 0.5, 0.8, 1.2, 2.0]:
        for target in [0.8, 0.9]:
            for alpha in [0.05, 0.01]:
                for alt, sign in [("greater", 1.0), ("less", -1.0)]:
                    n = float(ind.solve_power(effect_size=sign * d, nobs1=None, alpha=alpha,
                                              power=target, ratio=1.0,
                                              alternative=SM_ALTERNATIVE[alt]))
                    one_sided_solve.append({"effect_size": sign * d, "target_power": target,
                                            "alpha": alpha, "alternative": alt, "nobs1": n,
                                            "seeds_needed": max(2, math.ceil(n))})
    ratio = []
    for diff, sd_b, sd_t in [(0.5, 1.0, 1.0), (1.0, 1.0, 1.0), (-0.8, 1.0, 1.0),
                             (0.3, 0.5, 1.5), (2.0, 1.0, 0.2)]:
        for r in [0.5, 1.5, 2.0, 3.0]:
            for n_b in [2, 4, 7, 20]:
                n_t = treatment_seeds(n_b, r)
                if n_t < 2:
                    continue
                for alpha in [0.05, 0.01]:
                    for alt in ALTERNATIVES:
                        case = {"diff": diff, "sd_baseline": sd_b, "sd_treatment": sd_t,
                                "n_baseline": n_b, "ratio": r, "n_treatment": n_t,
                                "alpha": alpha, "alternative": alt,
                                "power": welch_power_alt(diff, sd_b, sd_t, n_b, n_t, alpha, alt)}
                        if sd_b == sd_t == 1.0:
                            case["statsmodels_power"] = statsmodels_ratio_power(
                                diff, n_b, n_t, alpha, alt)
                        ratio.append(case)
    ratio_seeds = []
    for diff, sd_b, sd_t in [(0.5, 1.0, 1.0), (1.2, 1.0, 1.0), (0.4, 0.5, 1.0), (-0.9, 1.0, 1.0)]:
        for r in [0.5, 1.5, 2.0, 3.0]:
            for alt in ALTERNATIVES:
                for target in [0.8, 0.9]:
                    alpha = 0.05
                    needed = smallest_reaching(
                        lambda n: welch_power_alt(diff, sd_b, sd_t, n, treatment_seeds(n, r),
                                                  alpha, alt),
                        fewest_seeds(r), target)
                    ratio_seeds.append({"diff": diff, "sd_baseline": sd_b, "sd_treatment": sd_t,
                                        "ratio": r, "alpha": alpha, "alternative": alt,
                                        "target_power": target, "seeds_needed": needed,
                                        "seeds_needed_treatment": None if needed is None
                                        else treatment_seeds(needed, r)})
    paired_power = []
    for d in [0.0, 0.2, 0.5, 0.8, 1.5, 3.0, -0.5, -1.5]:
        for n in [2, 3, 5, 10, 30, 200]:
            for alpha in [0.05, 0.01]:
                for alt in ALTERNATIVES:
                    p = paired.power(effect_size=d, nobs=n, alpha=alpha,
                                     alternative=SM_ALTERNATIVE[alt])
                    if math.isfinite(p):
                        paired_power.append({"effect_size": d, "n": n, "alpha": alpha,
                                             "alternative": alt, "power": float(p)})
    paired_solve = []
    for d in [0.3, 0.5, 0.8, 1.2, 2.5]:
        for target in [0.8, 0.95]:
            for alpha in [0.05, 0.01]:
                for alt, sign in [("two-sided", 1.0), ("two-sided", -1.0),
                                  ("greater", 1.0), ("less", -1.0)]:
                    n = float(paired.solve_power(effect_size=sign * d, nobs=None, alpha=alpha,
                                                 power=target, alternative=SM_ALTERNATIVE[alt]))
                    paired_solve.append({"effect_size": sign * d, "target_power": target,
                                         "alpha": alpha, "alternative": alt, "nobs": n,
                                         "seeds_needed": max(2, math.ceil(n))})
    return {"one_sided": one_sided, "one_sided_solve": one_sided_solve, "ratio": ratio,
            "ratio_seeds_needed": ratio_seeds, "paired": paired_power,
            "paired_solve": paired_solve}


def main():
    # expected and harmless: scipy warns about the constant groups among the
    # cases, statsmodels about log1p(-1) for p = 1 in the Sidak corrections
    warnings.filterwarnings("ignore", message="Precision loss occurred")
    warnings.filterwarnings("ignore", message="divide by zero encountered in log1p")
    data = samples()
    write("inference.json", {"tests": test_cases(data), "effects": effect_cases(data),
                             "min_p": min_p_cases()})
    write("correction.json", {"cases": correction_cases()})
    write("nct.json", {"columns": ["x", "df", "ncp", "cdf"], "cases": nct_cases()})
    write("power.json", power_cases())


if __name__ == "__main__":
    main()
