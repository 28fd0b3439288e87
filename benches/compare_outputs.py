"""Check that xreport and the Python reference pipeline give the same numbers.

    python3 benches/compare_outputs.py {w1,w2,w3,w3c,w3b,w4,w5} XREPORT.json PYTHON.json [--resamples N]

Exits 0 when they agree, 1 (with the worst disagreements) when they do not: a fast
wrong answer is not a result, so benches/run.sh reports a ratio only after this passes.

Tolerances:
- deterministic numbers (n, mean, std, sem, median, min, max, t-interval, diff,
  statistic, df, Hedges' g): relative 1e-9;
- p-values and power: 1e-8 absolute plus 1e-6 relative (DESIGN: nct agrees with scipy to
  1e-8); seeds needed: equal;
- bootstrap CI ends (BCa, different random streams on each side): the Monte Carlo
  tolerance. One end's Monte Carlo standard error is about c / sqrt(B) times the
  bootstrap standard error s of the statistic, with c = sqrt(q_se^2 + z0_se^2):
  q_se = sqrt(p(1-p)) / phi(z_p) for the quantile (p = 0.025) and z0_se = 2 sqrt(pi/2)
  for the BCa bias correction estimated from B resamples (c ~ 3.7). The two sides are
  independent, so z = (end_x - end_py) / (sqrt(2) c s / sqrt(B)) is about N(0, 1).
  Each |z| must be below 8 (with n = 10 values per group the z has heavier tails
  than N(0, 1): between two Python runs of 4,000 ends, sd 0.91, 99.9% quantile 4.0,
  max 4.5), and the mean z over all ends within 6 standard errors of 0 (a
  systematic shift: a different interval method, not noise). An end beyond 8 is
  re-checked against its empirical Monte Carlo sd (40 scipy runs on the group's own
  values; W1): with n = 10 skewed values BCa can move the quantile level far into
  the tail, where the delta-method sd underestimates the noise;
- the two-way interval (W3b, W5) is deterministic on both sides: relative 1e-9;
- W5 checks each of its 9 comparisons (matched by treatment) as W3b, plus the
  Holm-adjusted p-value as a p-value;
- the cluster bootstrap (W3c) is a percentile interval: its z uses the quantile term of
  c only (no BCa bias correction);
- PCA explained-variance ratios: 1e-5 absolute (sklearn keeps a float32 covariance).
"""

import argparse
import json
import math
import sys

import numpy as np
from scipy.stats import norm

P = 0.025  # tail of a 95% interval
C_MC = math.sqrt((math.sqrt(P * (1 - P)) / norm.pdf(norm.ppf(P))) ** 2 + (2 * math.sqrt(math.pi / 2)) ** 2)
Z_MAX = 8.0  # per end; the z of n = 10 bootstraps has heavier tails than N(0, 1)
BIAS_MAX = 6.0  # mean z, in its standard errors


class Check:
    def __init__(self):
        self.failures = []
        self.count = 0
        self.z = []
        self.notes = []

    def close(self, what, x, y, rtol, atol=0.0):
        self.count += 1
        if x is None or y is None:
            if x is not y:
                self.failures.append(f"{what}: xreport {x!r} vs python {y!r}")
            return
        if not abs(x - y) <= atol + rtol * max(abs(x), abs(y)):
            self.failures.append(f"{what}: xreport {x!r} vs python {y!r} (diff {x - y:.3g})")

    def equal(self, what, x, y):
        self.count += 1
        if x != y:
            self.failures.append(f"{what}: xreport {x!r} vs python {y!r}")

    def mc(self, what, x, y, boot_se, resamples, data=None, end=None):
        """A bootstrap interval end. `data` (a 1-D sample; the BCa mean interval of
        it is the end) and `end` (0 = lower, 1 = upper) allow an empirical check of
        an end the delta-method tolerance flags: see `empirical_sd`."""
        self.count += 1
        if x is None or y is None or boot_se is None:
            if not (x is None and y is None):
                self.failures.append(f"{what}: xreport {x!r} vs python {y!r}")
            return
        tol_se = math.sqrt(2) * C_MC * boot_se / math.sqrt(resamples)
        if tol_se == 0:
            self.close(what, x, y, 1e-9)
            return
        z = (x - y) / tol_se
        self.z.append(z)
        if abs(z) > Z_MAX and data is not None:
            sd = empirical_sd(data, end, resamples)
            z_emp = (x - y) / (math.sqrt(2) * sd) if sd > 0 else math.inf
            self.notes.append(f"{what}: {z:+.1f} delta-method SE, {z_emp:+.1f} empirical SE "
                              f"(sd of the end over {REPEATS} scipy runs: {sd:.3g})")
            z = z_emp
        if abs(z) > Z_MAX:
            self.failures.append(f"{what}: xreport {x!r} vs python {y!r}: {z:+.1f} Monte Carlo SE (limit {Z_MAX})")

    def finish(self, label):
        for note in self.notes:
            print(f"{label}: re-checked {note}")
        if self.z:
            z = np.asarray(self.z)
            bias_se = max(z.std(ddof=1), 1.0) / math.sqrt(len(z)) if len(z) > 1 else 1.0
            print(f"{label}: bootstrap ends: {len(z)} compared, z mean {z.mean():+.3f} (SE {bias_se:.3f}), "
                  f"sd {z.std(ddof=1) if len(z) > 1 else 0:.3f}, max |z| {np.abs(z).max():.2f}")
            if abs(z.mean()) > BIAS_MAX * bias_se:
                self.failures.append(f"bootstrap ends shifted systematically: mean z {z.mean():+.3f} "
                                     f"is {abs(z.mean()) / bias_se:.1f} SE from 0")
        if self.failures:
            print(f"{label}: DISAGREE: {len(self.failures)} of {self.count} checks failed", file=sys.stderr)
            for f in self.failures[:20]:
                print("  " + f, file=sys.stderr)
            return 1
        print(f"{label}: agree ({self.count} checks)")
        return 0


REPEATS = 40


def empirical_sd(data, end, resamples):
    """The Monte Carlo sd of one end of the BCa interval of the mean of `data` at
    `resamples` resamples, from REPEATS independent scipy.stats.bootstrap runs. The
    delta-method tolerance assumes the quantile level is near 0.025; with n = 10
    skewed values BCa can move it far into the tail, where an end is much noisier."""
    from scipy.stats import bootstrap

    ends = [bootstrap((np.asarray(data),), np.mean, n_resamples=resamples, method="BCa",
                      random_state=np.random.default_rng(1000 + k)).confidence_interval[end]
            for k in range(REPEATS)]
    return float(np.std(ends, ddof=1))


def w1(x, p, resamples):
    c = Check()
    xg = {(g["condition"], g["metric"]): g for g in x["groups"]}
    pg = {(g["condition"], g["metric"]): g for g in p["groups"]}
    if set(xg) != set(pg):
        only_x, only_p = sorted(set(xg) - set(pg))[:5], sorted(set(pg) - set(xg))[:5]
        c.failures.append(f"groups differ: {len(xg)} vs {len(pg)}; only xreport {only_x}; only python {only_p}")
    for k in sorted(set(xg) & set(pg)):
        a, b = xg[k], pg[k]
        c.equal(f"{k} n", a["n"], b["n"])
        for f in ("mean", "std", "sem", "median", "min", "max"):
            c.close(f"{k} {f}", a[f], b[f], 1e-9)
        for i in (0, 1):
            c.close(f"{k} t_ci[{i}]", a["t_ci"][i], b["t_ci"][i], 1e-9)
            n = a["n"]
            se = None if a["std"] is None else a["std"] * math.sqrt((n - 1) / n) / math.sqrt(n)
            c.mc(f"{k} bootstrap_ci[{i}]", a["bootstrap_ci"][i], b["bootstrap_ci"][i], se, resamples,
                 data=a["values"], end=i)
    return c.finish("W1")


def w2(x, p, resamples):
    c = Check()
    xc = {(r["treatment"], r["metric"]): r for r in x["comparisons"]}
    pc = {(r["treatment"], r["metric"]): r for r in p["comparisons"]}
    if set(xc) != set(pc):
        c.failures.append(f"comparisons differ: {len(xc)} vs {len(pc)}")
    for k in sorted(set(xc) & set(pc)):
        a, b = xc[k], pc[k]
        for f in ("diff", "statistic", "df", "hedges_g"):
            c.close(f"{k} {f}", a[f], b[f], 1e-9, 1e-12)
        for f in ("p_value", "p_adjusted", "power"):
            c.close(f"{k} {f}", a[f], b[f], 1e-6, 1e-8)
        c.equal(f"{k} seeds_needed", a["seeds_needed"], b["seeds_needed"])
        nb, nt, sb, st = b["n_baseline"], b["n_treatment"], b["std_baseline"], b["std_treatment"]
        se = math.sqrt(sb**2 * (nb - 1) / nb / nb + st**2 * (nt - 1) / nt / nt)
        for i in (0, 1):
            c.mc(f"{k} diff_ci[{i}]", a["diff_ci"][i], b["diff_ci"][i], se, resamples)
    return c.finish("W2")


def w3(x, p, resamples):
    c = Check()
    cmp = x["comparisons"][0]
    ex = cmp["examples"]
    c.equal("examples", ex["n"], p["examples"])
    c.equal("unit", cmp["unit"], "examples")
    c.close("diff", ex["diff"], p["diff"], 1e-9, 1e-15)
    for f in ("statistic", "df"):
        c.close(f, ex[f], p[f], 1e-9)
    c.close("p_value", ex["p_value"], p["p_value"], 1e-6, 1e-300)
    for i in (0, 1):
        c.mc(f"diff_ci[{i}]", ex["diff_ci"][i], p["diff_ci"][i], p["bootstrap_se"], resamples)
    return c.finish("W3")


def w3c(x, p, resamples):
    c = Check()
    cmp = x["comparisons"][0]
    ex = cmp["examples"]
    c.equal("examples", ex["n"], p["examples"])
    c.equal("clusters", ex["clusters"], p["clusters"])
    c.equal("unit", cmp["unit"], "examples")
    c.close("diff", ex["diff"], p["diff"], 1e-9, 1e-15)
    for f in ("se", "statistic", "df"):
        c.close(f, ex[f], p[f], 1e-9)
    c.close("p_value", ex["p_value"], p["p_value"], 1e-6, 1e-300)
    # percentile ends: the quantile's Monte Carlo error only, so scale the BCa tolerance
    scale = (math.sqrt(P * (1 - P)) / norm.pdf(norm.ppf(P))) / C_MC
    for i in (0, 1):
        c.mc(f"diff_ci[{i}]", ex["diff_ci"][i], p["diff_ci"][i], scale * p["bootstrap_se"], resamples)
    return c.finish("W3c")


def w3b(x, p, resamples):
    c = Check()
    cmp = x["comparisons"][0]
    ex = cmp["examples"]
    c.equal("examples", ex["n"], p["examples"])
    c.equal("seeds", [cmp["n_baseline"], cmp["n_treatment"]], p["seeds"])
    c.equal("unit", cmp["unit"], "both")
    c.close("diff", cmp["diff"], p["diff"], 1e-9, 1e-15)
    for i in (0, 1):
        c.close(f"two_way_ci[{i}]", cmp["diff_ci"][i], p["two_way_ci"][i], 1e-9, 1e-15)
    for f in ("statistic", "df"):
        c.close(f, cmp[f], p[f], 1e-9)
    c.close("p_value", cmp["p_value"], p["p_value"], 1e-6, 1e-300)
    c.close("examples statistic", ex["statistic"], p["examples_statistic"], 1e-9)
    c.close("examples p_value", ex["p_value"], p["examples_p_value"], 1e-6, 1e-300)
    for i in (0, 1):
        c.mc(f"examples diff_ci[{i}]", ex["diff_ci"][i], p["examples_diff_ci"][i], p["bootstrap_se"], resamples)
    return c.finish("W3b")


def w4(x, p, resamples):
    c = Check()
    ratios = x["inputs"][0]["explained_variance_ratio"]
    for i in (0, 1):
        c.close(f"explained_variance_ratio[{i}]", ratios[i], p["explained_variance_ratio"][i], 0.0, 1e-5)
    c.equal("rows", x["inputs"][0]["rows"], p["rows"])
    return c.finish("W4")


def w5(x, p, resamples, comparisons=9):
    c = Check()
    xc = {r["treatment"]: r for r in x["comparisons"]}
    pc = {r["treatment"]: r for r in p["comparisons"]}
    c.equal("comparisons (xreport)", len(x["comparisons"]), comparisons)
    c.equal("comparisons (python)", len(p["comparisons"]), comparisons)
    if set(xc) != set(pc):
        c.failures.append(f"treatments differ: xreport {sorted(xc)} vs python {sorted(pc)}")
    for k in sorted(set(xc) & set(pc)):
        cmp, r = xc[k], pc[k]
        ex = cmp["examples"]
        c.equal(f"{k} baseline", cmp["baseline"], p["baseline"])
        c.equal(f"{k} examples", ex["n"], r["examples"])
        c.equal(f"{k} seeds", [cmp["n_baseline"], cmp["n_treatment"]], r["seeds"])
        c.equal(f"{k} unit", cmp["unit"], "both")
        c.close(f"{k} diff", cmp["diff"], r["diff"], 1e-9, 1e-15)
        for i in (0, 1):
            c.close(f"{k} two_way_ci[{i}]", cmp["diff_ci"][i], r["two_way_ci"][i], 1e-9, 1e-15)
        for f in ("statistic", "df"):
            c.close(f"{k} {f}", cmp[f], r[f], 1e-9)
        for f in ("p_value", "p_adjusted"):
            c.close(f"{k} {f}", cmp[f], r[f], 1e-6, 1e-300)
        c.close(f"{k} examples statistic", ex["statistic"], r["examples_statistic"], 1e-9)
        c.close(f"{k} examples p_value", ex["p_value"], r["examples_p_value"], 1e-6, 1e-300)
        for i in (0, 1):
            c.mc(f"{k} examples diff_ci[{i}]", ex["diff_ci"][i], r["examples_diff_ci"][i], r["bootstrap_se"],
                 resamples)
    return c.finish("W5")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workload", choices=["w1", "w2", "w3", "w3c", "w3b", "w4", "w5"])
    ap.add_argument("xreport_json")
    ap.add_argument("python_json")
    ap.add_argument("--resamples", type=int, default=10_000)
    a = ap.parse_args()
    with open(a.xreport_json) as f:
        xr = json.load(f)
    with open(a.python_json) as f:
        py = json.load(f)
    sys.exit({"w1": w1, "w2": w2, "w3": w3, "w3c": w3c, "w3b": w3b, "w4": w4, "w5": w5}[a.workload](xr, py, a.resamples))
