#!/usr/bin/env python3
"""Reference numbers for `xreport::stats::tost` (DESIGN section 13).

Run from the repository root:

    PYTHONPATH=/tmp/pyenv-tost python3 golden/reference_equivalence.py

It writes golden/reference/equivalence.json: random pairs of groups (sizes
2-30, fixed numpy seeds), equivalence bounds (symmetric and not, some placed
so that the TOST p is close to alpha) and, for Welch, Student and paired,
statsmodels' `ttost_ind(usevar="unequal")`, `ttost_ind(usevar="pooled")` and
`ttost_paired`: the two one-sided t and p, the TOST p and the 1 - 2 alpha
interval of the difference. Conventions (xreport's): difference is
treatment - baseline, so statsmodels is called as f(treatment, baseline).
"""

import json
import platform
from pathlib import Path

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.weightstats import ttost_ind, ttost_paired

OUT = Path("golden/reference/equivalence.json")


def interval(t, b, alpha, kind):
    """The 1 - 2 alpha interval of mean(t) - mean(b), from scipy's ttest."""
    conf = 1 - 2 * alpha
    if kind == "paired":
        r = stats.ttest_rel(t, b)
    else:
        r = stats.ttest_ind(t, b, equal_var=(kind == "student"))
    ci = r.confidence_interval(conf)
    return [float(ci.low), float(ci.high)]


def case(rng, i):
    kind = ["welch", "student", "paired"][i % 3]
    nb = int(rng.integers(2, 31))
    nt = nb if kind == "paired" else int(rng.integers(2, 31))
    scale = float(10 ** rng.uniform(-2, 1))
    b = rng.normal(float(rng.uniform(-5, 80)), scale, nb)
    t = b + rng.normal(float(rng.normal(0, scale)), scale * rng.uniform(0.2, 2), nt) if kind == "paired" \
        else rng.normal(float(b.mean() + rng.normal(0, scale)), scale * rng.uniform(0.2, 3), nt)
    alpha = float(rng.choice([0.05, 0.01, 0.1]))
    diff = float(t.mean() - b.mean())
    if i % 4 == 0:
        # near the boundary: an interval end sits close to a bound
        lo, hi = interval(t, b, alpha, kind)
        m = max(abs(lo), abs(hi)) * (1 + float(rng.normal(0, 1e-3)))
        low, upp = -m, m
    elif i % 4 == 1:
        m = float(abs(diff) + scale * rng.uniform(0, 2))
        low, upp = -m, m
    else:
        low = float(diff - scale * rng.uniform(0.01, 3))
        upp = float(diff + scale * rng.uniform(0.01, 3)) if i % 2 else float(low + scale * rng.uniform(0.01, 2))
    if kind == "paired":
        p, r1, r2 = ttost_paired(t, b, low, upp)
    else:
        usevar = "unequal" if kind == "welch" else "pooled"
        p, r1, r2 = ttost_ind(t, b, low, upp, usevar=usevar)
    return {
        "kind": kind,
        "baseline": b.tolist(),
        "treatment": t.tolist(),
        "low": low,
        "upp": upp,
        "alpha": alpha,
        "t_lower": float(r1[0]),
        "p_lower": float(r1[1]),
        "t_upper": float(r2[0]),
        "p_upper": float(r2[1]),
        "df": float(r1[2]),
        "p_value": float(p),
        "interval": interval(t, b, alpha, kind),
    }


def main():
    rng = np.random.default_rng(20261202)
    cases = [case(rng, i) for i in range(360)]
    near = sum(1 for c in cases if abs(c["p_value"] - c["alpha"]) < 0.01)
    out = {
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__,
            "script": "golden/reference_equivalence.py",
        },
        "near_alpha": near,
        "cases": cases,
    }
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"{len(cases)} cases, {near} with |p - alpha| < 0.01")


if __name__ == "__main__":
    main()
