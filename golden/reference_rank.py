#!/usr/bin/env python3
"""Reference numbers for `xreport rank` (src/stats/{ranks,friedman,
studentized_range,posthoc,wilcoxon}.rs): ranks with average ties, Friedman's
chi-square with the tie correction, Iman-Davenport F, the studentized range
distribution at infinite df, Nemenyi, pairwise Wilcoxon signed-rank with Holm,
Bonferroni-Dunn against a control, and published critical values.

Run from the repository root with the pinned versions:

    pip install --target /tmp/rankenv scipy==1.17.1 scikit-posthocs==0.17.1 numpy==2.4.6
    PYTHONPATH=/tmp/rankenv python3 golden/reference_rank.py

It writes golden/reference/rank.json (versions recorded in it). Every random
study comes from a numpy generator with a fixed seed, so the script rewrites the
same JSON byte for byte with the same library versions.

Conventions (those of xreport): `scores` is N tasks x k methods; rank 1 is the
best by `direction` ("higher": the largest score); a pair (a, b) of the
Wilcoxon test is scipy.stats.wilcoxon(scores[:, a], scores[:, b]).
"""

import json
import math
import platform
import sys
import warnings
from pathlib import Path

import numpy as np
import scipy
import scikit_posthocs
import statsmodels
from scipy import stats
from statsmodels.stats.multitest import multipletests

OUT = Path(__file__).resolve().parent / "reference" / "rank.json"

# Demšar (2006), "Statistical comparisons of classifiers over multiple data
# sets", JMLR 7, Table 5(a): two-tailed Nemenyi critical values q_alpha
# (the studentized range quantile divided by sqrt(2)) for k = 2..10.
DEMSAR_Q05 = [1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164]
DEMSAR_Q10 = [1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.780, 2.855, 2.920]

# autorank's README example: 6 populations x 50 samples, Nemenyi at alpha 0.05.
# autorank prints CD 1.0662 from an approximate q; the exact value is 1.066262.
AUTORANK_CD = {"k": 6, "n": 50, "alpha": 0.05, "cd": 1.066262}


def versions():
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit_posthocs": scikit_posthocs.__version__,
        "statsmodels": statsmodels.__version__,
        "script": "golden/reference_rank.py",
    }


def ranks_of(scores, direction):
    """Average ranks per task, 1 = best by direction."""
    oriented = -scores if direction == "higher" else scores
    return stats.rankdata(oriented, axis=1, method="average")


def friedman(scores):
    """scipy.stats.friedmanchisquare for k >= 3; for k = 2 (which scipy refuses)
    the same formula, written out as scipy's source computes it."""
    n, k = scores.shape
    if k >= 3:
        res = stats.friedmanchisquare(*[scores[:, j] for j in range(k)])
        return float(res.statistic), float(res.pvalue), "scipy"
    ranks = stats.rankdata(scores, axis=1)
    ties = 0.0
    for row in ranks:
        _, counts = np.unique(row, return_counts=True)
        ties += float(np.sum(counts * (counts * counts - 1)))
    c = 1 - ties / (k * (k * k - 1) * n)
    ssbn = np.sum(ranks.sum(axis=0) ** 2)
    statistic = (12.0 / (k * n * (k + 1)) * ssbn - 3 * n * (k + 1)) / c
    return float(statistic), float(stats.chi2.sf(statistic, k - 1)), "formula"


def iman_davenport(chi2, n, k):
    denominator = n * (k - 1) - chi2
    if denominator <= 0:
        return None, 0.0
    f = (n - 1) * chi2 / denominator
    return float(f), float(stats.f.sf(f, k - 1, (k - 1) * (n - 1)))


def q_alpha(alpha, k):
    return float(stats.studentized_range.ppf(1 - alpha, k, np.inf) / math.sqrt(2))


def study_scores(rng, k, n, kind):
    if kind == "continuous":
        return rng.normal(0, 1, (n, k)) + rng.normal(0, 0.5, k)
    if kind == "rounded":
        # accuracies to one decimal: ties within and across tasks
        return np.round(70 + 3 * rng.normal(0, 1, (n, k)) + rng.normal(0, 1.5, k), 1)
    if kind == "integers":
        return rng.integers(0, 4, (n, k)).astype(float)
    if kind == "shared":
        # several methods with identical scores on every task
        base = rng.normal(0, 1, (n, k))
        base[:, 1] = base[:, 0]
        return np.round(base, 2)
    raise ValueError(kind)


def wilcoxon_pairs(scores):
    n, k = scores.shape
    pairs = []
    for a in range(k):
        for b in range(a + 1, k):
            d = scores[:, a] - scores[:, b]
            if np.all(d == 0):
                pairs.append({"a": a, "b": b, "statistic": None, "p_value": None})
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = stats.wilcoxon(scores[:, a], scores[:, b])
            pairs.append({"a": a, "b": b, "statistic": float(res.statistic),
                          "p_value": float(res.pvalue)})
    defined = [p for p in pairs if p["p_value"] is not None]
    if defined:
        adjusted = multipletests([p["p_value"] for p in defined], method="holm")[1]
        for p, adj in zip(defined, adjusted):
            p["p_holm"] = float(adj)
    if len(defined) == len(pairs) and k >= 2:
        # cross-check against scikit-posthocs' pairwise Wilcoxon with Holm
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matrix = scikit_posthocs.posthoc_wilcoxon(
                [scores[:, j] for j in range(k)], p_adjust="holm").to_numpy()
        for p in pairs:
            assert abs(matrix[p["a"], p["b"]] - p["p_holm"]) < 1e-12, (p, matrix)
    for p in pairs:
        p.setdefault("p_holm", None)
    return pairs


def nemenyi_pairs(scores, k):
    matrix = scikit_posthocs.posthoc_nemenyi_friedman(scores).to_numpy()
    return [float(matrix[a, b]) for a in range(k) for b in range(a + 1, k)]


def dunn(mean_ranks, control, n, k):
    se = math.sqrt(k * (k + 1) / (6.0 * n))
    rows = []
    for j in range(k):
        if j == control:
            continue
        z = (mean_ranks[j] - mean_ranks[control]) / se
        rows.append({"other": j, "z": float(z), "p_value": float(2 * stats.norm.sf(abs(z)))})
    for method in ["holm", "bonferroni"]:
        adjusted = multipletests([r["p_value"] for r in rows], method=method)[1]
        for r, adj in zip(rows, adjusted):
            r[f"p_{method}"] = float(adj)
    return rows


def studies():
    rng = np.random.default_rng(20260321)
    kinds = ["continuous", "rounded", "integers", "shared"]
    out = []
    fixed = [(2, 2), (2, 60), (20, 2), (20, 60), (3, 5), (6, 50), (2, 13), (2, 14),
             (4, 50), (4, 51), (3, 12)]
    sizes = fixed + [(int(rng.integers(2, 21)), int(rng.integers(2, 61))) for _ in range(200)]
    for i, (k, n) in enumerate(sizes):
        kind = kinds[i % len(kinds)]
        if kind == "shared" and k < 3:
            kind = "rounded"
        scores = study_scores(rng, k, n, kind)
        direction = "higher" if i % 2 == 0 else "lower"
        ranks = ranks_of(scores, direction)
        mean_ranks = ranks.mean(axis=0)
        chi2, p, source = friedman(scores)
        f, f_p = iman_davenport(chi2, n, k)
        control = int(rng.integers(0, k))
        study = {
            "label": f"study {i}: {kind} k={k} N={n} {direction}",
            "direction": direction,
            "scores": [[float(v) for v in row] for row in scores],
            "mean_ranks": [float(v) for v in mean_ranks],
            "friedman": {"statistic": chi2, "p_value": p, "source": source,
                         "iman_davenport_f": f, "iman_davenport_p": f_p},
            "cd_05": q_alpha(0.05, k) * math.sqrt(k * (k + 1) / (6.0 * n)),
            "cd_10": q_alpha(0.10, k) * math.sqrt(k * (k + 1) / (6.0 * n)),
            "nemenyi_p": nemenyi_pairs(scores, k),
            "control": control,
            "dunn": dunn(mean_ranks, control, n, k),
        }
        if k <= 10:
            study["wilcoxon"] = wilcoxon_pairs(scores)
        out.append(study)
    return out


def signed_rank_cases():
    """One-sample cases for each branch of scipy's method='auto': exact (no
    ties or zeros, n <= 50), sign-flip enumeration (ties or zeros, n <= 13) and
    the normal approximation (otherwise)."""
    rng = np.random.default_rng(7)
    cases = []
    for n in [1, 2, 3, 5, 8, 10, 13, 14, 20, 30, 50, 51, 80]:
        for shift in [0.0, 0.4, 1.5]:
            for kind in ["continuous", "ties", "zeros"]:
                d = rng.normal(shift, 1, n)
                if kind == "ties":
                    d = np.round(d, 0) + 0.5
                if kind == "zeros":
                    d = np.round(d, 1)
                    d[: max(1, n // 5)] = 0.0
                if np.all(d == 0):
                    continue
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    res = stats.wilcoxon(d)
                cases.append({"label": f"n={n} shift={shift} {kind}",
                              "d": [float(v) for v in d],
                              "statistic": float(res.statistic),
                              "p_value": float(res.pvalue)})
    return cases


def studentized_range():
    ks = list(range(2, 21)) + [25, 30, 50, 100]
    alphas = [0.001, 0.01, 0.05, 0.1, 0.2, 0.5]
    quantiles = [{"k": k, "alpha": a,
                  "q": float(stats.studentized_range.ppf(1 - a, k, np.inf))}
                 for k in ks for a in alphas]
    points = []
    for k in [2, 3, 5, 10, 20, 50]:
        for q in [0.1, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]:
            points.append({"k": k, "q": q,
                           "cdf": float(stats.studentized_range.cdf(q, k, np.inf)),
                           "sf": float(stats.studentized_range.sf(q, k, np.inf))})
    return quantiles, points


def main():
    quantiles, points = studentized_range()
    for k, (q05, q10) in enumerate(zip(DEMSAR_Q05, DEMSAR_Q10), start=2):
        # the published table agrees with scipy to its 3 decimals (it
        # truncates some values: 2.3437 is printed 2.343)
        assert abs(q_alpha(0.05, k) - q05) < 1e-3, (k, q_alpha(0.05, k), q05)
        assert abs(q_alpha(0.10, k) - q10) < 1e-3, (k, q_alpha(0.10, k), q10)
    a = AUTORANK_CD
    cd = q_alpha(a["alpha"], a["k"]) * math.sqrt(a["k"] * (a["k"] + 1) / (6.0 * a["n"]))
    assert abs(cd - a["cd"]) < 5e-7, cd
    payload = {
        "versions": versions(),
        "demsar": {"source": "Demšar (2006), JMLR 7, Table 5(a)", "k": list(range(2, 11)),
                   "q_05": DEMSAR_Q05, "q_10": DEMSAR_Q10},
        "autorank": {**AUTORANK_CD, "source": "autorank README example (6 x 50), CD printed as 1.0662"},
        "quantiles": quantiles,
        "points": points,
        "signed_rank": signed_rank_cases(),
        "studies": studies(),
    }
    # one study or case per line: small enough to diff, large arrays on one line
    lines = ["{"]
    items = list(payload.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i + 1 < len(items) else ""
        if isinstance(value, list):
            body = ",\n  ".join(json.dumps(v, allow_nan=False) for v in value)
            lines.append(f' "{key}": [\n  {body}\n ]{comma}')
        else:
            lines.append(f' "{key}": {json.dumps(value, allow_nan=False)}{comma}')
    lines.append("}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
