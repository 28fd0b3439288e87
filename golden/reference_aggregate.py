"""Reference numbers for `xreport aggregate` on examples/atari100k.

An independent numpy/scipy implementation of the rliable conventions
(Agarwal et al. 2021; the IRIS notebook `results/results_iris.ipynb`):

- HNS = (score - random) / (human - random), per game; CURL_10_evals.json is
  already human-normalised (its `HNS` key);
- mean: mean of the runs x games HNS matrix; median: median over games of the
  per-game mean; IQM: scipy.stats.trim_mean(flat, 0.25); optimality gap:
  mean of max(1 - x, 0); superhuman: games whose mean HNS >= 1;
- stratified bootstrap: each replicate resamples, with replacement, the runs of
  every game on its own; 95 % percentile intervals;
- probability of improvement P(IRIS > Y): mean over games of the
  Mann-Whitney U / (n_x n_y), with an independent stratified bootstrap of both;
- performance profiles: the fraction of run x game scores above tau.

The bootstrap uses numpy's own generator (default_rng(20211206)), so its
intervals agree with xreport's only to Monte Carlo error; `se` (the standard
deviation of the replicates) sets the tolerance of that check.

    python3 golden/reference_aggregate.py   # writes golden/reference/aggregate.json
"""

import json
import pathlib
import sys

import numpy as np
import scipy
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "examples/atari100k"
AGENTS = ["IRIS", "SimPLe", "CURL_10_evals", "DrQ_eps", "SPR", "MuZero", "EfficientZero"]
RESAMPLES = 10_000
CONFIDENCE = 0.95


def load(name):
    return json.loads((DATA / name).read_text())


def normalised(agent, random, human):
    """Per game (sorted), the agent's HNS per run, and the raw scores (or None)."""
    if agent == "CURL_10_evals":
        records = load("CURL_10_evals.json")
        games = {}
        for r in sorted(records, key=lambda r: r["seed"]):
            games.setdefault(r["game"], []).append(float(r["HNS"]))
        return {g: np.array(v) for g, v in games.items()}, None
    raw = {g: np.array(v, dtype=float) for g, v in load(f"{agent}.json").items()}
    hns = {g: (x - random[g]) / (human[g] - random[g]) for g, x in raw.items()}
    return hns, raw


def point(tasks):
    flat = np.concatenate(tasks)
    means = np.array([t.mean() for t in tasks])
    return {
        "mean": float(np.mean(flat)),
        "median": float(np.median(means)),
        "iqm": float(stats.trim_mean(flat, 0.25)),
        "optimality_gap": float(np.mean(1.0 - np.minimum(flat, 1.0))),
    }


def resample(tasks, rng, size):
    """`size` stratified resamples: a list, per task, of (size, n_t) arrays."""
    return [t[rng.integers(0, len(t), size=(size, len(t)))] for t in tasks]


def bootstrap(tasks, rng):
    reps = {k: [] for k in ("mean", "median", "iqm", "optimality_gap")}
    batch = 500
    for _ in range(RESAMPLES // batch):
        drawn = resample(tasks, rng, batch)
        flat = np.concatenate(drawn, axis=1)
        means = np.stack([d.mean(axis=1) for d in drawn], axis=1)
        reps["mean"].append(flat.mean(axis=1))
        reps["median"].append(np.median(means, axis=1))
        reps["iqm"].append(stats.trim_mean(flat, 0.25, axis=1))
        reps["optimality_gap"].append(np.mean(1.0 - np.minimum(flat, 1.0), axis=1))
    return {k: np.concatenate(v) for k, v in reps.items()}


def interval(replicates, estimate):
    alpha = (1 - CONFIDENCE) / 2
    lo, hi = np.quantile(replicates, [alpha, 1 - alpha])
    return {
        "percentile": [float(lo), float(hi)],
        "basic": [float(2 * estimate - hi), float(2 * estimate - lo)],
        "se": float(np.std(replicates, ddof=1)),
    }


def prob_improvement(x_tasks, y_tasks):
    per_game = []
    for x, y in zip(x_tasks, y_tasks):
        u = stats.mannwhitneyu(x, y, alternative="greater").statistic
        per_game.append(u / (len(x) * len(y)))
    return float(np.mean(per_game))


def prob_improvement_replicates(x_tasks, y_tasks, rng):
    batch = 500
    out = []
    for _ in range(RESAMPLES // batch):
        xs = resample(x_tasks, rng, batch)
        ys = resample(y_tasks, rng, batch)
        games = []
        for x, y in zip(xs, ys):
            wins = (x[:, :, None] > y[:, None, :]).sum(axis=(1, 2))
            ties = (x[:, :, None] == y[:, None, :]).sum(axis=(1, 2))
            games.append((wins + 0.5 * ties) / (x.shape[1] * y.shape[1]))
        out.append(np.mean(np.stack(games, axis=1), axis=1))
    return np.concatenate(out)


def main():
    random = {g: float(v[0]) for g, v in load("RANDOM.json").items()}
    human = {g: float(v[0]) for g, v in load("HUMAN.json").items()}
    rng = np.random.default_rng(20211206)
    agents = {}
    tasks_of = {}
    for agent in AGENTS:
        hns, raw = normalised(agent, random, human)
        games = sorted(hns)
        tasks = [hns[g] for g in games]
        tasks_of[agent] = tasks
        est = point(tasks)
        entry = {
            "runs": [int(min(len(t) for t in tasks)), int(max(len(t) for t in tasks))],
            "games": games,
            "superhuman": int(sum(t.mean() >= 1.0 for t in tasks)),
            "estimates": est,
            "per_game_mean_hns": {g: float(hns[g].mean()) for g in games},
        }
        if raw is not None:
            entry["per_game_raw_mean"] = {g: float(raw[g].mean()) for g in games}
            entry["per_game_raw_std_ddof1"] = {
                g: (float(np.std(raw[g], ddof=1)) if len(raw[g]) > 1 else None) for g in games
            }
        if min(len(t) for t in tasks) > 1:
            reps = bootstrap(tasks, rng)
            entry["intervals"] = {k: interval(v, est[k]) for k, v in reps.items()}
        agents[agent] = entry
    # Performance profiles of IRIS, SimPLe, SPR and MuZero together: the tau
    # grid runs from min(0, lowest score) to the largest 95th percentile of a
    # method's scores (at least 1) in 101 even steps; the profile is the
    # fraction of run x game scores above tau.
    together = ["IRIS", "SimPLe", "SPR", "MuZero"]
    flats = {a: np.concatenate(tasks_of[a]) for a in together}
    lowest = min(0.0, min(f.min() for f in flats.values()))
    highest = max(1.0, max(np.quantile(f, 0.95) for f in flats.values()))
    step = (highest - lowest) / 100
    taus = [lowest + step * i for i in range(101)]
    profiles = {
        "agents": together,
        "taus": taus,
        "fractions": {a: [float(np.mean(f > t)) for t in taus] for a, f in flats.items()},
    }
    iris_alien = np.array(load("IRIS.json")["Alien"], dtype=float)
    prob = {}
    for other in AGENTS[1:]:
        est = prob_improvement(tasks_of["IRIS"], tasks_of[other])
        reps = prob_improvement_replicates(tasks_of["IRIS"], tasks_of[other], rng)
        prob[other] = {"estimate": est, "interval": interval(reps, est)}
    out = {
        "generator": "golden/reference_aggregate.py",
        "versions": {
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "scipy": scipy.__version__,
        },
        "resamples": RESAMPLES,
        "confidence": CONFIDENCE,
        "agents": agents,
        "prob_improvement_iris": prob,
        "profiles": profiles,
        "iris_alien": {
            "mean": float(iris_alien.mean()),
            "std_ddof0": float(np.std(iris_alien, ddof=0)),
            "std_ddof1": float(np.std(iris_alien, ddof=1)),
        },
    }
    path = ROOT / "golden/reference/aggregate.json"
    path.write_text(json.dumps(out, indent=1, sort_keys=False) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
