#!/usr/bin/env python3
"""Reference numbers for `xreport compare --test aso` end to end (DESIGN section 13).

Run from the repository root:

    PYTHONPATH=/tmp/pyenv-aso:golden python3 golden/reference_aso_cli.py

(`pip install --target /tmp/pyenv-aso deepsig==1.2.8 numpy==2.4.6 scipy==1.17.1`.)
It writes golden/reference/aso_cli.json from the real Tianshou Hopper-v3 curves
in examples/tianshou-mujoco (10 seeds per algorithm; the test return at the last
step <= 1,000,000, which is what `--max-step 1000000 --reduce last` reads), with
td3 as the baseline and ddpg, ppo and sac as the treatments: m = 3 comparisons in
the metric's family, so xreport's default (Bonferroni, alpha = 0.05) asks for
confidence 1 - 0.05/3 and `--correction none` for 0.95. For each treatment,
confidence and direction (`forward`: deepsig's aso(treatment, baseline);
`reverse`: aso(baseline, treatment)), and for the metric read higher-is-better
and, negated, lower-is-better (`--lower-is-better test_rew`):

- `deepsig`: the real `deepsig.aso(..., confidence_level=c, seed=0)`;
- `grid` / `exact`: deepsig's algorithm for 30 seeds 1000 apart with its dt grid
  and with the exact violation ratio (golden/reference_aso.py's
  `deepsig_replica`, checked there and here against the real call).

tests/it/aso_cli.rs holds xreport's eps_min to these within the Monte Carlo
tolerance that tests/it/stats_aso.rs documents.
"""

import csv
import json
import platform
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np
import scipy
from deepsig.aso import aso

from reference_aso import SEEDS, ITERATIONS, deepsig_replica

DATA = Path("examples/tianshou-mujoco/Hopper-v3")
OUT = Path("golden/reference/aso_cli.json")
BASELINE = "td3"
TREATMENTS = ["ddpg", "ppo", "sac"]
MAX_STEP = 1_000_000


def seed_values(algo):
    """Per-seed test return at the last step <= MAX_STEP, in seed-column order."""
    with open(DATA / algo / "test_rew_10seeds.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if float(r["env_step"]) <= MAX_STEP]
    last = max(rows, key=lambda r: float(r["env_step"]))
    return np.array([float(v) for k, v in last.items() if k.startswith("rew:seed_")])


def estimates(a, b, confidence):
    """deepsig's eps_min of a over b, and the replica over SEEDS seeds."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        real = float(aso(a, b, confidence_level=confidence, seed=0, show_progress=False, num_jobs=1))
    pairs = [deepsig_replica(a, b, ITERATIONS * s, confidence) for s in range(SEEDS)]
    assert abs(pairs[0][0] - real) <= 1e-12, (pairs[0][0], real)
    return {"deepsig": real, "grid": [p[0] for p in pairs], "exact": [p[1] for p in pairs]}


def main():
    base = seed_values(BASELINE)
    cases = []
    for treatment in TREATMENTS:
        t = seed_values(treatment)
        for correction, confidence in [("bonferroni", 1 - 0.05 / len(TREATMENTS)), ("none", 0.95)]:
            for direction, sign in [("higher", 1.0), ("lower", -1.0)]:
                bb, tt = sign * base, sign * t
                cases.append({
                    "treatment": treatment,
                    "correction": correction,
                    "direction": direction,
                    "confidence": confidence,
                    "forward": estimates(tt, bb, confidence),
                    "reverse": estimates(bb, tt, confidence),
                })
                c = cases[-1]
                print(treatment, correction, direction, c["forward"]["deepsig"], c["reverse"]["deepsig"], flush=True)
    out = {
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "deepsig": version("deepsig"),
            "script": "golden/reference_aso_cli.py",
        },
        "data": str(DATA),
        "baseline": BASELINE,
        "max_step": MAX_STEP,
        "iterations": ITERATIONS,
        "seeds": SEEDS,
        "cases": cases,
    }
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
