#!/usr/bin/env python3
"""Reference numbers for the test options of DESIGN section 13.

Run from the repository root:

    pip install --target /tmp/pyenv-ref numpy==2.4.6 scipy==1.17.1 baycomp==1.0.3
    PYTHONPATH=/tmp/pyenv-ref python3 golden/reference_test_options.py

It writes golden/reference/test_options.json with, for random groups (fixed
numpy seeds, sizes 2-40, some rounded so that they tie):

- `mannwhitney`: scipy `mannwhitneyu(t, b, method=M, use_continuity=C,
  alternative=A)` for every method (auto, exact, asymptotic) x continuity x
  alternative: U of the treatment and p;
- `wilcoxon`: scipy `wilcoxon(t, b, alternative=A)` (differences t - b, some
  zero, some tied): statistic and p;
- `intervals`: `ttest_ind(equal_var=True/False)` and `ttest_rel`
  `confidence_interval(conf)` for every alternative (infinite ends as null);
- `rope`: baycomp `CorrelatedTTest.probs(b, t, rope, runs)` (its Nadeau-Bengio
  rho = 1/folds) and baycomp's `Posterior` for a given rho (0 for seeds):
  P(left), P(rope), P(right) of treatment - baseline;
- `corrected_t`: the Nadeau-Bengio corrected resampled t (Nadeau & Bengio
  2003, eq. for the corrected variance (1/J + n_test/n_train) s^2) written
  out in numpy, with scipy's t distribution for p and the interval.

Conventions (xreport's): the difference is treatment - baseline, so scipy is
called as f(treatment, baseline) and baycomp as f(baseline, treatment) (it
takes y - x).
"""

import json
import math
import platform
from pathlib import Path

from importlib.metadata import version
import numpy as np
import scipy
from baycomp.single import CorrelatedTTest, Posterior
from scipy import stats

OUT = Path("golden/reference/test_options.json")
ALTERNATIVES = ["two-sided", "greater", "less"]


def finite_or_none(v):
    v = float(v)
    return v if math.isfinite(v) else None


def groups(rng, paired, tie):
    nb = int(rng.integers(2, 41))
    nt = nb if paired else int(rng.integers(2, 41))
    scale = float(10 ** rng.uniform(-2, 1))
    b = rng.normal(float(rng.uniform(-5, 80)), scale, nb)
    shift = float(rng.normal(0, scale))
    if paired:
        t = b + rng.normal(shift, scale * rng.uniform(0.2, 2), nt)
    else:
        t = rng.normal(float(b.mean() + shift), scale * rng.uniform(0.2, 3), nt)
    if tie:
        step = scale * float(rng.choice([0.5, 1.0, 2.0]))
        b, t = np.round(b / step) * step, np.round(t / step) * step
    return b, t


def mannwhitney_cases(rng, count):
    cases = []
    for i in range(count):
        b, t = groups(rng, False, tie=i % 3 == 0)
        if i % 5 == 1:  # small groups, where exact and asymptotic differ most
            b, t = b[: int(rng.integers(2, 9))], t[: int(rng.integers(2, 12))]
        for method in ["auto", "exact", "asymptotic"]:
            for continuity in [True, False]:
                for alt in ALTERNATIVES:
                    r = stats.mannwhitneyu(t, b, use_continuity=continuity, alternative=alt, method=method)
                    cases.append({
                        "baseline": b.tolist(), "treatment": t.tolist(), "method": method,
                        "continuity": continuity, "alternative": alt,
                        "statistic": float(r.statistic), "p_value": float(r.pvalue),
                    })
    return cases


def wilcoxon_cases(rng, count):
    cases = []
    for i in range(count):
        b, t = groups(rng, True, tie=i % 3 == 0)
        if i % 4 == 1:
            n = int(rng.integers(2, 14))
            b, t = b[:n], t[:n]
        if i % 6 == 2:  # a few zero differences
            k = int(rng.integers(1, max(2, len(b) // 3)))
            t[:k] = b[:k]
        if np.all(t == b):
            continue
        for alt in ALTERNATIVES:
            r = stats.wilcoxon(t, b, alternative=alt)
            cases.append({
                "baseline": b.tolist(), "treatment": t.tolist(), "alternative": alt,
                "statistic": float(r.statistic), "p_value": float(r.pvalue),
            })
    return cases


def interval_cases(rng, count):
    cases = []
    for i in range(count):
        kind = ["welch", "student", "paired"][i % 3]
        b, t = groups(rng, kind == "paired", tie=False)
        conf = float(rng.choice([0.9, 0.95, 0.99]))
        for alt in ALTERNATIVES:
            if kind == "paired":
                r = stats.ttest_rel(t, b, alternative=alt)
            else:
                r = stats.ttest_ind(t, b, equal_var=(kind == "student"), alternative=alt)
            ci = r.confidence_interval(conf)
            cases.append({
                "kind": kind, "baseline": b.tolist(), "treatment": t.tolist(),
                "alternative": alt, "confidence": conf,
                "low": finite_or_none(ci.low), "high": finite_or_none(ci.high),
            })
    return cases


def rope_cases(rng, count):
    cases = []
    for i in range(count):
        b, t = groups(rng, True, tie=False)
        d = t - b
        rope = float(abs(d.mean()) * rng.uniform(0.1, 3) + d.std() * rng.uniform(0, 0.5))
        if i % 2 == 0:
            # k-fold cross-validation repeated `runs` times: baycomp's own rho
            runs = int(rng.choice([1, 2, 5]))
            folds = min(int(rng.integers(2, 11)), len(b))
            b = np.tile(b[:folds], runs) + rng.normal(0, 0.01, folds * runs)
            t = np.tile(t[:folds], runs) + rng.normal(0, 0.01, folds * runs)
            left, inside, right = CorrelatedTTest.probs(b, t, rope=rope, runs=runs)
            rho = 1.0 / folds
            source = "CorrelatedTTest"
        else:
            rho = 0.0 if i % 4 == 1 else float(rng.uniform(0.05, 0.5))
            d = t - b
            n = len(d)
            var = float(np.var(d, ddof=1)) * (1 / n + rho / (1 - rho))
            left, inside, right = Posterior(float(d.mean()), var, n - 1, rope).probs()
            source = "Posterior"
        cases.append({
            "baseline": b.tolist(), "treatment": t.tolist(), "rope": rope, "rho": rho,
            "source": source, "left": float(left), "inside": float(inside), "right": float(right),
        })
    return cases


def corrected_t_cases(rng, count):
    cases = []
    for i in range(count):
        b, t = groups(rng, True, tie=False)
        ratio = float(rng.choice([0.25, 1 / 9, 1 / 4, 0.5, float(rng.uniform(0.01, 0.99))]))
        conf = float(rng.choice([0.9, 0.95]))
        d = t - b
        j = len(d)
        se = math.sqrt((1 / j + ratio) * float(np.var(d, ddof=1)))
        tstat = float(d.mean()) / se
        df = j - 1
        for alt in ALTERNATIVES:
            if alt == "two-sided":
                p = 2 * stats.t.sf(abs(tstat), df)
                q = stats.t.ppf(1 - (1 - conf) / 2, df)
                low, high = d.mean() - q * se, d.mean() + q * se
            elif alt == "greater":
                p = stats.t.sf(tstat, df)
                low, high = d.mean() - stats.t.ppf(conf, df) * se, math.inf
            else:
                p = stats.t.cdf(tstat, df)
                low, high = -math.inf, d.mean() + stats.t.ppf(conf, df) * se
            cases.append({
                "baseline": b.tolist(), "treatment": t.tolist(), "ratio": ratio,
                "alternative": alt, "confidence": conf, "statistic": tstat, "df": df,
                "p_value": float(p), "low": finite_or_none(low), "high": finite_or_none(high),
            })
    return cases


def main():
    rng = np.random.default_rng(20261203)
    out = {
        "generator": "golden/reference_test_options.py",
        "versions": {
            "python": platform.python_version(), "numpy": np.__version__,
            "scipy": scipy.__version__, "baycomp": version("baycomp"),
        },
        "mannwhitney": mannwhitney_cases(rng, 30),
        "wilcoxon": wilcoxon_cases(rng, 80),
        "intervals": interval_cases(rng, 60),
        "rope": rope_cases(rng, 120),
        "corrected_t": corrected_t_cases(rng, 40),
    }
    OUT.write_text(json.dumps(out) + "\n")
    total = sum(len(v) for k, v in out.items() if isinstance(v, list))
    print(f"wrote {OUT}: {total} cases")


if __name__ == "__main__":
    main()
