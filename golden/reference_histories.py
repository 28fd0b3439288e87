"""Reference numbers for `--reduce` on the Tianshou learning curves in
examples/tianshou-mujoco (10 seed columns per CSV, `env_step` the step).

Each rule is computed the way a numpy user would write it, on the matrix
`curves[seed, row]` of the seed columns (rows with env_step <= max_step):
  last           curves[:, -1]
  per-seed-best  curves.max(axis=1)
  best-mean      curves[:, argmax(curves.mean(axis=0))]  (first row on ties)
  step=N         curves[:, last row with env_step <= N]

    python3 golden/reference_histories.py   # writes golden/reference/histories_tianshou.json
"""

import json
import pathlib
import sys

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "examples/tianshou-mujoco"
CASES = [
    ("last", None),
    ("last", 1_000_000),
    ("per-seed-best", None),
    ("per-seed-best", 1_000_000),
    ("best-mean", 1_000_000),
    ("step=500000", None),
]


def reduce(frame, rule, max_step):
    if max_step is not None:
        frame = frame[frame["env_step"] <= max_step]
    seeds = [c for c in frame.columns if ":seed_" in c]
    curves = frame[seeds].to_numpy().T
    steps = frame["env_step"].to_numpy()
    if rule == "last":
        return curves[:, -1]
    if rule == "per-seed-best":
        return curves.max(axis=1)
    if rule == "best-mean":
        return curves[:, int(np.argmax(curves.mean(axis=0)))]
    n = int(rule.split("=")[1])
    return curves[:, np.nonzero(steps <= n)[0][-1]]


def main():
    out = {
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "pandas": pd.__version__},
        "cases": [],
    }
    for csv in sorted(DATA.glob("*/*/test_rew_10seeds.csv")):
        frame = pd.read_csv(csv)
        env, algo = csv.parent.parent.name, csv.parent.name
        for rule, max_step in CASES:
            values = reduce(frame, rule, max_step)
            out["cases"].append({
                "env": env,
                "algo": algo,
                "reduce": rule,
                "max_step": max_step,
                "values": values.tolist(),
                "mean": float(np.mean(values)),
                "std_ddof0": float(np.std(values, ddof=0)),
                "std_ddof1": float(np.std(values, ddof=1)),
            })
    # Curves: mean over seeds per row, raw and with each seed smoothed by
    # pandas' EMA (adjust=False: s0 = x0, s = w*s_prev + (1-w)*x).
    frame = pd.read_csv(DATA / "Hopper-v3/sac/test_rew_10seeds.csv")
    seeds = [c for c in frame.columns if ":seed_" in c]
    smoothed = frame[seeds].ewm(alpha=1 - 0.6, adjust=False).mean()
    out["curve_hopper_sac"] = {
        "steps": frame["env_step"].tolist(),
        "mean": frame[seeds].mean(axis=1).tolist(),
        "mean_smooth_0.6": smoothed.mean(axis=1).tolist(),
    }
    path = ROOT / "golden/reference/histories_tianshou.json"
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
