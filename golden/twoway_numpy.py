"""The two-way bootstrap-t of DESIGN section 12 in numpy, shared by
golden/reference_per_example.py and golden/simulate_two_way.py.

A system is a seeds × examples matrix; both systems share the examples
(columns). Each resample draws the examples once (shared), then each system's
seeds on its own. SE² = s²_d/n (d: per-example differences of seed means) plus,
per system with ≥ 2 seeds, var(row means)/S. t* = (Δ* − Δ)/SE*; the interval
is [Δ − q(1 − α/2)·SE, Δ − q(α/2)·SE] (Efron & Tibshirani 1993, §12.5).
"""

import numpy as np


def se2(a, b):
    """SE² of mean(b) − mean(a) over the last two axes (seeds, examples)."""
    n = a.shape[-1]
    d = b.mean(-2) - a.mean(-2)
    v = d.var(axis=-1, ddof=1) / n
    for x in (a, b):
        s = x.shape[-2]
        if s > 1:
            v = v + x.mean(-1).var(axis=-1, ddof=1) / s
    return v


def interval(a, b, resamples, rng, confidence=0.95, chunk=2000):
    sa, n = a.shape
    sb = b.shape[0]
    delta = b.mean() - a.mean()
    se = np.sqrt(se2(a, b))
    ts = []
    done = 0
    while done < resamples:
        r = min(chunk, resamples - done)
        ii = rng.integers(0, n, (r, n))
        ia = rng.integers(0, sa, (r, sa))
        ib = rng.integers(0, sb, (r, sb))
        a2 = a[ia[:, :, None], ii[:, None, :]]
        b2 = b[ib[:, :, None], ii[:, None, :]]
        d2 = b2.mean(axis=(1, 2)) - a2.mean(axis=(1, 2))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (d2 - delta) / np.sqrt(se2(a2, b2))
        ts.append(t[np.isfinite(t)])
        done += r
    ts = np.concatenate(ts)
    alpha = (1 - confidence) / 2
    q_lo, q_hi = np.quantile(ts, [alpha, 1 - alpha])
    return float(delta - q_hi * se), float(delta - q_lo * se)
