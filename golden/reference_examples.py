#!/usr/bin/env python3
"""Reference numbers for `xreport compare` on per-example scores (a long table
with an `example` column), written to reference/examples.json.

Two systems scored on the same test examples:
  one_seed   one seed per system: the comparison is over paired examples;
  two_seeds  two seeds per system: per-seed values are the means over examples
             (scipy's Welch test on them), and each example's score is its mean
             over the seeds for the paired per-example comparison.
For the paired comparison: the mean difference, scipy.stats.ttest_rel, and
scipy.stats.bootstrap(paired=True, method="BCa") with many resamples, plus the
Monte Carlo standard deviation of each interval end at the Rust test's resample
count (K repeats), from which the test takes its tolerance.

Run: python3 golden/reference_examples.py  (deterministic; versions recorded).
"""

import json
import platform
from pathlib import Path

import numpy as np
import scipy
import scipy.stats as st

TEST_RESAMPLES = 10_000
REPEATS = 30


def paired(b, t):
    d = t - b
    res = st.ttest_rel(t, b)
    ref = st.bootstrap((b, t), lambda x, y, axis: np.mean(y - x, axis=axis), paired=True,
                       n_resamples=200_000, method="BCa", random_state=np.random.default_rng(1))
    ends = []
    for k in range(REPEATS):
        r = st.bootstrap((b, t), lambda x, y, axis: np.mean(y - x, axis=axis), paired=True,
                         n_resamples=TEST_RESAMPLES, method="BCa", random_state=np.random.default_rng(100 + k))
        ends.append([r.confidence_interval.low, r.confidence_interval.high])
    sd = np.std(np.array(ends), axis=0, ddof=1)
    return {
        "n": len(d), "diff": float(d.mean()), "statistic": float(res.statistic), "df": float(res.df),
        "p_value": float(res.pvalue),
        "diff_ci": [float(ref.confidence_interval.low), float(ref.confidence_interval.high)],
        "diff_ci_mc_sd": [float(s) for s in sd],
    }


def main():
    rng = np.random.default_rng(7)
    n = 400
    difficulty = rng.uniform(0, 1, n)
    cases = []

    # one seed per system: 0/1 correctness, correlated through difficulty
    a = (rng.uniform(0, 1, n) < 1.3 * (1 - difficulty)).astype(float)
    b = np.where((a == 0) & (rng.uniform(0, 1, n) < 0.15), 1.0, a)
    b = np.where((a == 1) & (rng.uniform(0, 1, n) < 0.04), 0.0, b)
    rows = [("sys_a", 0, i, a[i]) for i in range(n)] + [("sys_b", 0, i, b[i]) for i in range(n)]
    cases.append({"name": "one_seed", "rows": rows, "paired": paired(a, b)})

    # two seeds per system: continuous per-example scores (e.g. BLEU of a sentence)
    base = rng.normal(0.5, 0.2, n)
    seeds = {}
    for system, shift in (("sys_a", 0.0), ("sys_b", 0.01)):
        for seed in (1, 2):
            seeds[(system, seed)] = base + shift + rng.normal(0, 0.05, n) + rng.normal(0, 0.004)
    rows = [(s, seed, i, float(v[i])) for (s, seed), v in seeds.items() for i in range(n)]
    per_seed = {k: float(np.mean(v)) for k, v in seeds.items()}
    welch = st.ttest_ind([per_seed[("sys_b", 1)], per_seed[("sys_b", 2)]],
                         [per_seed[("sys_a", 1)], per_seed[("sys_a", 2)]], equal_var=False)
    ex_a = (seeds[("sys_a", 1)] + seeds[("sys_a", 2)]) / 2
    ex_b = (seeds[("sys_b", 1)] + seeds[("sys_b", 2)]) / 2
    cases.append({
        "name": "two_seeds", "rows": rows,
        "per_seed": [{"condition": s, "seed": seed, "value": v} for (s, seed), v in per_seed.items()],
        "welch": {"statistic": float(welch.statistic), "df": float(welch.df), "p_value": float(welch.pvalue)},
        "paired": paired(ex_a, ex_b),
    })

    out = {
        "generated_by": "golden/reference_examples.py",
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__},
        "test_resamples": TEST_RESAMPLES,
        "cases": cases,
    }
    path = Path(__file__).parent / "reference" / "examples.json"
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
