#!/usr/bin/env python3
"""Reference numbers for `xreport::stats::aso` (DESIGN section 13, `--test aso`).

Run from the repository root:

    PYTHONPATH=/tmp/pyenv-aso python3 golden/reference_aso.py

(`pip install --target /tmp/pyenv-aso deepsig==1.2.8 numpy==2.4.6 scipy==1.17.1`.)
It writes golden/reference/aso.json: pairs of groups (sizes 2-30 and 100-1000,
fixed numpy seeds: identical groups, same distribution, small to large shifts,
full dominance either way, crossing spreads, ties) and for each:

- `violation_ratio`: the violation ratio integrated exactly over the two step
  quantile functions, by an independent numpy implementation (`exact_ratio`:
  the quantile functions evaluated at the midpoints of the merged breakpoints
  k/n, l/m and weighted by the lengths of the pieces);
- `violation_ratio_grid`: deepsig's own dt-grid value
  (`deepsig.aso.compute_violation_ratio(treatment, baseline, dt=0.005)`);
- `deepsig_eps_min`: `deepsig.aso(treatment, baseline, seed=0)` itself, with its
  defaults (confidence 0.95, 1000 bootstrap iterations, dt 0.005, one job);
- `eps_min_grid[s]`, s = 0..SEEDS-1: deepsig's eps_min for seed 1000 s, computed
  by `deepsig_replica`, a vectorised copy of deepsig's algorithm (same
  `np.random.seed(seed + k)` draws, k = 1..1000, same quantile function, same
  grid); its seed-0 value is checked here against the real `deepsig.aso` call.
  The seeds are 1000 apart because deepsig's iteration k of seed s is seeded
  with s + k: seeds s and s + 1 share 999 of their 1000 draws, and their
  spread would hide almost all of the Monte Carlo error;
- `eps_min_exact[s]`: the same bootstrap draws with the exact violation ratio
  in place of the grid one: what xreport computes, up to its own random draws.
  Their spread across seeds is the Monte Carlo error of a 1000-iteration
  eps_min; mean(eps_min_grid - eps_min_exact) is deepsig's grid bias.

Conventions (xreport's): the treatment is tested for almost stochastic
dominance over the baseline, higher is better, so deepsig is called as
aso(scores_a=treatment, scores_b=baseline).
"""

import json
import platform
from importlib.metadata import version
import warnings
from pathlib import Path

import numpy as np
import scipy
from scipy.stats import norm

from deepsig.aso import aso, compute_violation_ratio

OUT = Path("golden/reference/aso.json")
SEEDS = 30
ITERATIONS = 1000
CONFIDENCE = 0.95
DT = 0.005


def quantile_index(n, p):
    """deepsig's get_quantile_function: sorted(x)[clip(ceil(n p) - 1, 0, n - 1)]."""
    return np.clip(np.ceil(n * p).astype(np.int64) - 1, 0, n - 1)


def exact_pieces(n, m):
    """Midpoints and lengths of the pieces between the merged breakpoints k/n, l/m."""
    cuts = np.union1d(np.arange(n + 1) / n, np.arange(m + 1) / m)
    return (cuts[1:] + cuts[:-1]) / 2, np.diff(cuts)


def exact_ratio(sorted_t, sorted_b, mids, lengths):
    """Exact violation ratio of rows of sorted samples (last axis): the integral of
    (G^-1 - F^-1)^2 over {F^-1 < G^-1} over its integral over (0, 1), F the
    treatment's and G the baseline's step quantile function; 0.5 when the whole
    integral is 0 (deepsig's convention)."""
    n, m = sorted_t.shape[-1], sorted_b.shape[-1]
    f = sorted_t[..., quantile_index(n, mids)]
    g = sorted_b[..., quantile_index(m, mids)]
    sq = (g - f) ** 2 * lengths
    whole = sq.sum(axis=-1)
    viol = np.where(f < g, sq, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole == 0, 0.5, viol / np.where(whole == 0, 1.0, whole))


def grid_ratio(sorted_t, sorted_b):
    """deepsig's compute_violation_ratio on rows of sorted samples."""
    t = np.arange(DT, 1, DT)
    n, m = sorted_t.shape[-1], sorted_b.shape[-1]
    f = sorted_t[..., quantile_index(n, t)]
    g = sorted_b[..., quantile_index(m, t)]
    diff = g - f
    whole = np.sum(diff**2 * DT, axis=-1)
    diff[f >= g] = 0
    viol = np.sum(diff[..., 1:] ** 2 * DT, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole == 0, 0.5, viol / np.where(whole == 0, 1.0, whole))


def eps_from(ratio, samples, n, m, confidence=CONFIDENCE):
    """deepsig's eps_min from the ratio and its bootstrap samples."""
    const = np.sqrt(n * m / (n + m))
    sigma_hat = np.std(const * (samples - ratio))
    return float(np.clip(ratio - (1 / const) * sigma_hat * norm.ppf(1 - confidence), 0, 1))


def deepsig_replica(t, b, seed, confidence=CONFIDENCE):
    """(deepsig's eps_min, eps_min with exact ratios) for one seed, same draws."""
    st, sb = np.sort(t), np.sort(b)
    n, m = len(t), len(b)
    rt = np.empty((ITERATIONS, n))
    rb = np.empty((ITERATIONS, m))
    for k in range(ITERATIONS):
        np.random.seed(seed + k + 1)
        rt[k] = st[quantile_index(n, np.random.uniform(0, 1, n))]
        rb[k] = sb[quantile_index(m, np.random.uniform(0, 1, m))]
    rt.sort(axis=1)
    rb.sort(axis=1)
    mids, lengths = exact_pieces(n, m)
    grid = eps_from(grid_ratio(st, sb), grid_ratio(rt, rb), n, m, confidence)
    exact = eps_from(
        exact_ratio(st, sb, mids, lengths), exact_ratio(rt, rb, mids, lengths), n, m, confidence
    )
    return grid, exact


def groups(rng, i):
    """(name, baseline, treatment) of case i."""
    n = int(rng.integers(2, 31))
    m = int(rng.integers(2, 31)) if i % 3 else n
    b = rng.normal(float(rng.uniform(-5, 80)), float(10 ** rng.uniform(-2, 1)), m)
    scale = float(b.std()) if m > 1 and b.std() > 0 else 1.0
    kind = i % 11
    if kind == 0:
        return "identical", b, b.copy()
    if kind == 1:
        return "same-distribution", b, rng.normal(b.mean(), scale, n)
    if kind in (2, 3):
        return "small-shift", b, rng.normal(b.mean() + 0.3 * scale, scale, n)
    if kind == 4:
        return "large-shift", b, rng.normal(b.mean() + 1.5 * scale, scale, n)
    if kind == 5:
        return "dominating", b, b.max() + np.abs(rng.normal(0, scale, n)) + 1e-3 * scale
    if kind == 6:
        return "dominated", b, b.min() - np.abs(rng.normal(0, scale, n)) - 1e-3 * scale
    if kind == 7:
        return "crossing", b, rng.normal(b.mean(), 3 * scale, n)
    if kind == 8:
        return "crossing-narrow", b, rng.normal(b.mean() + 0.2 * scale, 0.3 * scale, n)
    if kind == 9:
        b = np.round(b / scale) * scale
        return "ties", b, np.round(rng.normal(b.mean() + 0.5 * scale, scale, n) / scale) * scale
    return "negative-shift", b, rng.normal(b.mean() - 0.5 * scale, scale, n)


def case(name, b, t):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        real = float(aso(t, b, seed=0, show_progress=False, num_jobs=1))
        grid_vr = float(compute_violation_ratio(scores_a=np.asarray(t), scores_b=np.asarray(b), dt=DT))
    mids, lengths = exact_pieces(len(t), len(b))
    pairs = [deepsig_replica(t, b, ITERATIONS * s) for s in range(SEEDS)]
    assert abs(pairs[0][0] - real) <= 1e-12, (name, pairs[0][0], real)
    return {
        "name": name,
        "baseline": b.tolist(),
        "treatment": t.tolist(),
        "violation_ratio": float(exact_ratio(np.sort(t), np.sort(b), mids, lengths)),
        "violation_ratio_grid": grid_vr,
        "deepsig_eps_min": real,
        "eps_min_grid": [p[0] for p in pairs],
        "eps_min_exact": [p[1] for p in pairs],
    }


def main():
    rng = np.random.default_rng(20261203)
    specs = [groups(rng, i) for i in range(66)]
    specs.append(("two-vs-two-crossing", np.array([0.0, 3.0]), np.array([1.0, 2.0])))
    specs.append(("two-vs-two-shift", np.array([0.0, 1.0]), np.array([0.5, 1.5])))
    big = np.random.default_rng(7)
    for n, m, shift, spread in [(100, 100, 0.2, 1.0), (150, 200, 0.0, 2.0), (500, 300, -0.1, 1.0), (1000, 1000, 0.05, 1.0)]:
        specs.append((f"large-{n}-vs-{m}", big.normal(0, 1, m), big.normal(shift, spread, n)))
    cases = []
    for i, (name, b, t) in enumerate(specs):
        cases.append(case(name, b, t))
        c = cases[-1]
        print(f"{i:3d} {name:20s} n={len(t):4d} m={len(b):4d} vr={c['violation_ratio']:.4f} "
              f"grid={c['violation_ratio_grid']:.4f} deepsig={c['deepsig_eps_min']:.4f}", flush=True)
    out = {
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "deepsig": version("deepsig"),
            "script": "golden/reference_aso.py",
        },
        "confidence": CONFIDENCE,
        "iterations": ITERATIONS,
        "dt": DT,
        "seeds": SEEDS,
        "cases": cases,
    }
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
