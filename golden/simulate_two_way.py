#!/usr/bin/env python3
"""Coverage of the two-way bootstrap-t interval (DESIGN section 12) by
simulation, written to reference/two_way_coverage.json.

Each simulated study has two systems scored on the same n test examples by S
seeds each: score = system effect + seed effect (sd σ_seed, per system and
seed) + example difficulty (sd σ_item, shared by both systems) + the system's
own example effect (sd σ_item/2) + noise (sd σ_noise). The true difference is
0.1. Over 2,000 studies per scenario we count how often the 95 % interval
(golden/twoway_numpy.py, 999 resamples) holds 0.1; the percentile interval of
the same resamples is reported beside it for comparison. A few studies are kept
with their rows and a 20,000-resample interval, for the Rust test to rerun.

Run: PYTHONPATH=<numpy> python3 golden/simulate_two_way.py  (about a minute)
"""

import json
import platform
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import twoway_numpy  # noqa: E402

STUDIES = 2000
RESAMPLES = 999
TRUTH = 0.1
SCENARIOS = [
    {"seeds": 3, "examples": 100, "sd_seed": 0.1, "sd_item": 0.3, "sd_noise": 0.3},
    {"seeds": 5, "examples": 200, "sd_seed": 0.1, "sd_item": 0.3, "sd_noise": 0.3},
    {"seeds": 5, "examples": 100, "sd_seed": 0.02, "sd_item": 0.4, "sd_noise": 0.3},
]


def study(rng, p):
    s, n = p["seeds"], p["examples"]
    item = rng.normal(0, p["sd_item"], n)
    a = rng.normal(0, p["sd_seed"], (s, 1)) + item + rng.normal(0, p["sd_noise"], (s, n))
    b = (TRUTH + rng.normal(0, p["sd_seed"], (s, 1)) + item + rng.normal(0, p["sd_item"] / 2, n)
         + rng.normal(0, p["sd_noise"], (s, n)))
    return np.round(a, 6), np.round(b, 6)


def percentile(a, b, rng):
    sa, n = a.shape
    sb = b.shape[0]
    ii = rng.integers(0, n, (RESAMPLES, n))
    a2 = a[rng.integers(0, sa, (RESAMPLES, sa))[:, :, None], ii[:, None, :]]
    b2 = b[rng.integers(0, sb, (RESAMPLES, sb))[:, :, None], ii[:, None, :]]
    d = b2.mean(axis=(1, 2)) - a2.mean(axis=(1, 2))
    return np.quantile(d, [0.025, 0.975])


def main():
    rng = np.random.default_rng(2026)
    scenarios, examples = [], []
    for k, p in enumerate(SCENARIOS):
        hits = hits_percentile = 0
        for i in range(STUDIES):
            a, b = study(rng, p)
            lo, hi = twoway_numpy.interval(a, b, RESAMPLES, rng)
            hits += lo <= TRUTH <= hi
            plo, phi = percentile(a, b, rng)
            hits_percentile += plo <= TRUTH <= phi
            if i < 2 and k < 2:
                ref = twoway_numpy.interval(a, b, 20_000, np.random.default_rng(5))
                rows = [(name, s, j, float(x[s, j])) for name, x in (("base", a), ("treat", b))
                        for s in range(x.shape[0]) for j in range(x.shape[1])]
                examples.append({"scenario": k, "rows": rows, "ci": list(ref)})
        scenarios.append({**p, "studies": STUDIES, "coverage": hits / STUDIES,
                          "percentile_coverage": hits_percentile / STUDIES})
        print(scenarios[-1], flush=True)
    out = {"generated_by": "golden/simulate_two_way.py",
           "versions": {"python": platform.python_version(), "numpy": np.__version__},
           "confidence": 0.95, "resamples": RESAMPLES, "truth": TRUTH,
           "scenarios": scenarios, "examples": examples}
    path = Path(__file__).parent / "reference" / "two_way_coverage.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
