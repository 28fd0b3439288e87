"""W1 reference pipeline: summary of a run tree, as `xreport summary DIR --format json`.

    python3 benches/python/w1_summary.py RUN_TREE OUT.json [--resamples 10000]

Walks the tree for results.json files, loads each (and its .hydra/config.yaml, which
holds the seed: xreport parses configs too), builds a long pandas frame
(condition, seed, metric, value), then per condition and metric: n, mean, std
(ddof 1), sem, median, min, max, the t-interval (scipy) and the BCa bootstrap CI
(scipy.stats.bootstrap, vectorized over every group of the same size at once).
"""

import common  # noqa: F401  (starts the clock)

import argparse
import json
import os

import numpy as np
import pandas as pd
import scipy.stats as st
import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: the fast path


def flatten(d, prefix=""):
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            yield from flatten(v, key + ".")
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            yield key, float(v)


def load(root):
    cond, seed, metric, value = [], [], [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        if "results.json" not in filenames:
            continue
        with open(os.path.join(dirpath, "results.json")) as f:
            results = json.load(f)
        cfg_path = os.path.join(dirpath, ".hydra", "config.yaml")
        cfg = {}
        if os.path.exists(cfg_path):
            with open(cfg_path) as f:
                cfg = yaml.load(f, Loader=Loader) or {}
        s = cfg.get("seed", os.path.basename(dirpath))
        c = os.path.basename(os.path.dirname(dirpath))  # run tree: CONDITION/SEED_FOLDER
        for k, v in flatten(results):
            cond.append(c)
            seed.append(s)
            metric.append(k)
            value.append(v)
    return pd.DataFrame({"condition": cond, "seed": seed, "metric": metric, "value": value})


def bootstrap_ci(values, resamples, confidence, rng, chunk=1000):
    """BCa CI of the mean for each row of `values` (groups x n), scipy.stats.bootstrap
    vectorized along the last axis; groups in chunks to bound memory."""
    lo = np.empty(len(values))
    hi = np.empty(len(values))
    for start in range(0, len(values), chunk):
        block = values[start : start + chunk]
        res = st.bootstrap(
            (block,), np.mean, axis=-1, vectorized=True, n_resamples=resamples,
            confidence_level=confidence, method="BCa", rng=rng,
            batch=max(1, min(resamples, 2_000_000 // max(1, block.size))),
        )
        lo[start : start + chunk] = res.confidence_interval.low
        hi[start : start + chunk] = res.confidence_interval.high
    return lo, hi


def main():
    p = argparse.ArgumentParser()
    p.add_argument("root")
    p.add_argument("out")
    p.add_argument("--resamples", type=int, default=10_000)
    p.add_argument("--confidence", type=float, default=0.95)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()

    df = load(a.root)
    df = df.sort_values(["condition", "metric", "seed"], kind="stable")
    g = df.groupby(["condition", "metric"], sort=True)["value"]
    agg = g.agg(["count", "mean", "std", "median", "min", "max"]).reset_index()
    agg = agg.rename(columns={"count": "n", "min": "lo", "max": "hi"})
    agg["sem"] = agg["std"] / np.sqrt(agg["n"])
    lo, hi = st.t.interval(a.confidence, agg["n"] - 1, loc=agg["mean"], scale=agg["sem"])
    agg["t_lo"], agg["t_hi"] = lo, hi

    # bootstrap: stack the groups of each size n into a (groups x n) array
    rng = np.random.default_rng(a.seed)
    agg["b_lo"] = np.nan
    agg["b_hi"] = np.nan
    # df is sorted by (condition, metric) like the groups: split its values by group size
    sizes = agg["n"].to_numpy()
    values = np.split(df["value"].to_numpy(), np.cumsum(sizes)[:-1])
    for n in np.unique(sizes):
        idx = np.flatnonzero(sizes == n)
        if n < 2:
            continue
        block = np.stack([values[i] for i in idx])
        blo, bhi = bootstrap_ci(block, a.resamples, a.confidence, rng)
        agg.loc[agg.index[idx], "b_lo"] = blo
        agg.loc[agg.index[idx], "b_hi"] = bhi

    groups = [
        {"condition": r.condition, "metric": r.metric, "n": int(r.n), "mean": r.mean,
         "std": r.std, "sem": r.sem, "median": r.median, "min": r.lo, "max": r.hi,
         "t_ci": [r.t_lo, r.t_hi], "bootstrap_ci": [r.b_lo, r.b_hi]}
        for r in agg.itertuples(index=False)
    ]
    common.finish("W1", a.out, {"workload": "W1", "resamples": a.resamples, "runs": int(df.groupby(["condition", "seed"]).ngroups), "groups": groups})


if __name__ == "__main__":
    main()
