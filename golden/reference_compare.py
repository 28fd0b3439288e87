#!/usr/bin/env python3
"""Reference numbers for `xreport compare` and `xreport power` end to end.

Run from the repository root:

    python3 golden/reference_compare.py

It writes
- golden/reference/compare_studies/<study>.csv: random studies as long tables
  (condition, seed, metric, value; rows shuffled, one missing value), and
  tiny_wide.csv, the "tiny" study as a wide table;
- golden/reference/compare_cases.json: for every study x flag combination, the
  groups and comparisons `xreport compare --format json` must produce, every
  field computed here with numpy/scipy/statsmodels from DESIGN section 4;
- golden/reference/compare_bootstrap.json: the bootstrap CI of each difference
  (scipy.stats.bootstrap with both samples, BCa) with a Monte Carlo tolerance;
- golden/reference/compare_power.json: `xreport power` cases against
  statsmodels TTestIndPower and scipy.stats.nct ("cases"), and with
  --alternative, --ratio and --paired against scipy.stats.nct, statsmodels
  TTestIndPower (alternative, ratio, Welch's df) and TTestPower ("design_cases").

Every random draw comes from numpy generators with fixed seeds, so the script
rewrites the same files with the same library versions (recorded in each JSON).

Conventions (xreport's): statistics are treatment - baseline, so scipy is
called as f(treatment, baseline). Undefined values are None (JSON null).
"""

import csv
import io
import json
import math
import platform
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestIndPower, TTestPower

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "golden/reference"
STUDIES = OUT / "compare_studies"
BASELINE = "base"
STATSMODELS_METHOD = {
    "holm": "holm",
    "bonferroni": "bonferroni",
    "sidak": "sidak",
    "holm-sidak": "holm-sidak",
    "hochberg": "simes-hochberg",
    "hommel": "hommel",
    "bh": "fdr_bh",
    "by": "fdr_by",
    "fdr-tsbh": "fdr_tsbh",
    "fdr-tsbky": "fdr_tsbky",
}
LOWER = re.compile(
    r"^(loss|wer|cer|error|err|perplexity|ppl|mse|mae|rmse|fid|eer|latency|time)$"
)
# Bootstrap references: runs of scipy.stats.bootstrap with B resamples each.
BOOT_RUNS = 8
BOOT_RESAMPLES = 10_000


def versions():
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
        "script": "golden/reference_compare.py",
    }


def write(name, payload, one_line_per_item=None):
    """JSON with the versions first; `one_line_per_item` names a list written
    one compact item per line (large case lists stay diffable)."""
    path = OUT / name
    doc = {"versions": versions(), **payload}
    if one_line_per_item is None:
        text = json.dumps(doc, indent=1, allow_nan=False)
    else:
        items = doc.pop(one_line_per_item)
        head = json.dumps(doc, allow_nan=False)[:-1]
        lines = ",\n".join(json.dumps(item, allow_nan=False) for item in items)
        text = f'{head}, "{one_line_per_item}": [\n{lines}\n]}}'
    path.write_text(text + "\n")
    print(f"wrote {path}", file=sys.stderr)


def num(v):
    """A finite float, else None (JSON null)."""
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


# ---------------------------------------------------------------------------
# Studies: {condition: {metric: {seed: value}}}
# ---------------------------------------------------------------------------


def normal_values(rng, seeds, mean, sd, decimals):
    return {s: round(float(rng.normal(mean, sd)), decimals) for s in seeds}


def study_mixed():
    """Three metrics (one lower-is-better), unequal n from 1 to 12, ties from
    rounding, one missing value."""
    rng = np.random.default_rng(101)
    metrics = {"acc": (70.0, 1.0, 2), "loss": (0.80, 0.05, 4), "f1": (0.60, 0.01, 3)}
    plan = {
        "base": (10, {"acc": 0.0, "loss": 0.0, "f1": 0.0}),
        "t_big": (8, {"acc": 3.0, "loss": -0.10, "f1": 0.02}),
        "t_null": (12, {"acc": 0.0, "loss": 0.0, "f1": 0.0}),
        "t_small": (4, {"acc": 0.5, "loss": 0.02, "f1": 0.004}),
        "t_one": (1, {"acc": 1.0, "loss": -0.05, "f1": 0.01}),
    }
    study = {}
    for cond, (n, effects) in plan.items():
        seeds = list(range(1, n + 1))
        study[cond] = {
            m: normal_values(rng, seeds, mu + effects[m], sd, dec)
            for m, (mu, sd, dec) in metrics.items()
        }
    study["t_null"]["acc"][3] = None  # a missing value: reported, not averaged
    return study


def study_tiny():
    """Small groups (exact permutation and Mann-Whitney), integer scores with
    ties, and a metric with no variance in some groups."""
    rng = np.random.default_rng(202)
    plan = {"base": 5, "t1": 3, "t2": 4, "t3": 6}
    shift = {"base": 0.0, "t1": 2.0, "t2": 1.0, "t3": -1.5}
    study = {}
    for cond, n in plan.items():
        seeds = list(range(1, n + 1))
        study[cond] = {
            "score": normal_values(rng, seeds, 50 + 2 * shift[cond], 1.5, 0),
            "latency": normal_values(rng, seeds, 12.0 - shift[cond], 0.8, 3),
        }
    study["base"]["const"] = {s: 5.0 for s in range(1, 6)}
    study["t1"]["const"] = {s: 5.0 for s in range(1, 4)}  # both constant: undefined
    study["t2"]["const"] = {1: 5.5, 2: 5.25, 3: 6.0, 4: 5.75}  # one constant group: defined
    study["t3"]["const"] = {s: 6.0 for s in range(1, 7)}  # both constant, different means
    return study


def study_paired():
    """Seeds shared between conditions (a per-seed effect), partly unmatched."""
    rng = np.random.default_rng(303)
    seed_effect = {s: float(rng.normal(0, 0.6)) for s in range(1, 21)}
    plan = {
        "base": (list(range(1, 9)), 0.0),
        "t_a": (list(range(1, 9)), -0.5),
        "t_b": (list(range(3, 11)), -0.1),
        "t_c": ([1, 2, 20], 0.3),
    }
    study = {}
    for cond, (seeds, effect) in plan.items():
        study[cond] = {
            "test.wer": {
                s: round(20.0 + seed_effect[s] + effect + float(rng.normal(0, 0.2)), 2)
                for s in seeds
            },
            "bleu": {
                s: round(30.0 - seed_effect[s] - 2 * effect + float(rng.normal(0, 0.3)), 2)
                for s in seeds
            },
        }
    return study


def study_wide():
    """Five conditions x four metrics, n from 2 to 12, unequal stds and effects
    of every size: families of 16 p-values spread over [0, 1]."""
    rng = np.random.default_rng(404)
    metrics = {"accuracy": 80.0, "error": 5.0, "reward": 300.0, "perplexity": 12.0}
    study = {}
    for cond in ["base", "c1", "c2", "c3", "c4"]:
        study[cond] = {}
        for m, mu in metrics.items():
            n = int(rng.integers(2, 13))
            sd = mu * float(rng.uniform(0.01, 0.05))
            effect = 0.0 if cond == "base" else mu * float(rng.normal(0, 0.04))
            study[cond][m] = normal_values(rng, range(1, n + 1), mu + effect, sd, 6)
    return study


def write_study(name, study):
    rows = []
    for cond, metrics in study.items():
        for metric, values in metrics.items():
            for seed, value in values.items():
                rows.append((cond, seed, metric, "" if value is None else repr(value)))
    order = np.random.default_rng(len(name)).permutation(len(rows))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["condition", "seed", "metric", "value"])
    for i in order:
        writer.writerow(rows[i])
    STUDIES.mkdir(parents=True, exist_ok=True)
    (STUDIES / f"{name}.csv").write_text(buf.getvalue())


def write_wide(name, study):
    """The same study as a wide table: condition, seed, one column per metric
    (every condition x seed has every metric)."""
    metrics = sorted({m for c in study.values() for m in c})
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["condition", "seed"] + metrics)
    for cond, by_metric in study.items():
        for seed in sorted(by_metric[metrics[0]]):
            writer.writerow([cond, seed] + [repr(by_metric[m][seed]) for m in metrics])
    (STUDIES / f"{name}_wide.csv").write_text(buf.getvalue())


# ---------------------------------------------------------------------------
# The statistics of DESIGN section 4
# ---------------------------------------------------------------------------


def present(values):
    """(seeds, values) in seed order, missing values left out."""
    seeds = sorted(values)
    return [s for s in seeds if values[s] is not None], [
        values[s] for s in seeds if values[s] is not None
    ]


def group_stats(cond, metric, values, ddof, confidence):
    seeds, x = present(values)
    x = np.array(x, dtype=float)
    n = len(x)
    std = float(np.std(x, ddof=ddof)) if n > 1 else None
    t_ci = None
    if n > 1:
        m, s1 = float(np.mean(x)), float(np.std(x, ddof=1))
        if s1 == 0:
            t_ci = [m, m]  # no spread: the point itself (scipy: NaN)
        else:
            lo, hi = stats.t.interval(confidence, n - 1, loc=m, scale=stats.sem(x, ddof=1))
            t_ci = [float(lo), float(hi)]
    return {
        "condition": cond,
        "metric": metric,
        "n": n,
        "seeds": seeds,
        "values": [float(v) for v in x],
        "missing": sorted(s for s, v in values.items() if v is None),
        "mean": num(np.mean(x)) if n else None,
        "std": std,
        "sem": num(stats.sem(x, ddof=ddof)) if n > 1 else None,
        "median": num(np.median(x)) if n else None,
        "min": num(np.min(x)) if n else None,
        "max": num(np.max(x)) if n else None,
        "t_ci": t_ci,
    }


def aligned(base, treat, paired):
    """Per-seed values a test sees; a paired test matches seeds by id."""
    if not paired:
        return present(base)[1], present(treat)[1]
    shared = [s for s in present(base)[0] if treat.get(s) is not None]
    return [base[s] for s in shared], [treat[s] for s in shared]


def test_defined(b, t, test):
    if len(b) < 2 or len(t) < 2:
        return False
    if np.ptp(b) == 0 and np.ptp(t) == 0:
        return False  # no variance across seeds: DESIGN says undefined for every test
    if test == "paired" and np.ptp(np.subtract(t, b)) == 0:
        return False
    return True


def diff_t_ci(b, t, test, alternative, confidence):
    """The t interval that goes with the test (DESIGN section 13): Student's
    for student, paired for paired, Welch's for the rest, one-sided for a
    one-sided alternative (the infinite end as None)."""
    if test == "paired":
        r = stats.ttest_rel(t, b, alternative=alternative)
    else:
        r = stats.ttest_ind(t, b, equal_var=test == "student", alternative=alternative)
    ci = r.confidence_interval(confidence)
    return [float(v) if np.isfinite(v) else None for v in (ci.low, ci.high)]


def run_test(b, t, test, alternative):
    """(statistic, df, p) as scipy computes them, treatment first."""
    if test in ("welch", "student"):
        r = stats.ttest_ind(t, b, equal_var=test == "student", alternative=alternative)
        return float(r.statistic), float(r.df), float(r.pvalue)
    if test == "paired":
        r = stats.ttest_rel(t, b, alternative=alternative)
        return float(r.statistic), float(r.df), float(r.pvalue)
    if test == "mannwhitney":
        r = stats.mannwhitneyu(t, b, alternative=alternative, method="auto")
        return float(r.statistic), None, float(r.pvalue)
    n_splits = math.comb(len(b) + len(t), len(b))
    assert n_splits <= 10_000, "only exact permutation cases are references"
    r = stats.permutation_test(
        (np.array(t), np.array(b)),
        lambda x, y, axis: np.mean(x, axis=axis) - np.mean(y, axis=axis),
        permutation_type="independent",
        vectorized=True,
        n_resamples=10_000,
        alternative=alternative,
    )
    return float(r.statistic), None, float(r.pvalue)


def cohens_d(b, t):
    nb, nt = len(b), len(t)
    if nb < 2 or nt < 2:
        return None
    pooled = ((nb - 1) * np.var(b, ddof=1) + (nt - 1) * np.var(t, ddof=1)) / (nb + nt - 2)
    return num((np.mean(t) - np.mean(b)) / math.sqrt(pooled)) if pooled > 0 else None


def hedges_g(b, t):
    d = cohens_d(b, t)
    df = len(b) + len(t) - 2
    return None if d is None else d * (1 - 3 / (4 * df - 1))


def prob_improvement(b, t, higher):
    """P(X_t better than X_b) + P(tie)/2 over all pairs."""
    if not b or not t:
        return None
    tt, bb = np.array(t)[:, None], np.array(b)[None, :]
    wins = (tt > bb) if higher else (tt < bb)
    return float(np.mean(wins + 0.5 * (tt == bb)))


def welch_power(diff, sb, st, nb, nt, alpha):
    """P(|T| > t_crit), T ~ scipy.stats.nct(Welch df, diff/se), two-sided."""
    nb = np.asarray(nb, dtype=float)
    nt = np.asarray(nt, dtype=float)
    vb, vt = sb * sb / nb, st * st / nt
    df = (vb + vt) ** 2 / (vb * vb / (nb - 1) + vt * vt / (nt - 1))
    ncp = diff / np.sqrt(vb + vt)
    crit = stats.t.ppf(1 - alpha / 2, df)
    return stats.nct.sf(crit, df, ncp) + stats.nct.cdf(-crit, df, ncp)


def seeds_needed(diff, sb, st, alpha, target, max_n=1000):
    """Smallest n >= 2 per group with power >= target, by a full scan; None past max_n."""
    ns = np.arange(2, max_n + 1)
    power = welch_power(diff, sb, st, ns, ns, alpha)
    hit = np.nonzero(power >= target)[0]
    scanned = power[: hit[0] + 1] if hit.size else power
    if np.isnan(scanned).any():
        # scipy.stats.nct gives NaN for some large noncentralities: no reference
        raise ValueError(f"scipy.stats.nct returned NaN for diff={diff}, stds={sb}, {st}")
    return int(ns[hit[0]]) if hit.size else None


def direction(metric, flags):
    if metric in flags.get("lower", []):
        return "lower"
    if metric in flags.get("higher", []):
        return "higher"
    return "lower" if LOWER.match(metric.split(".")[-1]) else "higher"


def compare_case(study, flags):
    """Every group and comparison of one `xreport compare` call."""
    test = flags.get("test", "welch")
    alternative = flags.get("alternative", "two-sided")
    correction = flags.get("correction", "holm")
    family = flags.get("family", "metric")
    alpha = flags.get("alpha", 0.05)
    ddof = flags.get("ddof", 1)
    confidence = flags.get("confidence", 0.95)
    target = 0.8
    metrics = sorted({m for c in study.values() for m in c})
    groups = [
        group_stats(cond, m, study[cond][m], ddof, confidence)
        for cond in study
        for m in metrics
        if m in study[cond]
    ]
    comparisons = []
    for m in metrics:
        for cond in study:
            if cond == BASELINE or m not in study[cond] or m not in study[BASELINE]:
                continue
            b, t = aligned(study[BASELINE][m], study[cond][m], test == "paired")
            higher = direction(m, flags) == "higher"
            c = {
                "baseline": BASELINE,
                "treatment": cond,
                "metric": m,
                "n_baseline": len(b),
                "n_treatment": len(t),
                "diff": num(np.mean(t) - np.mean(b)) if b and t else None,
                "std_baseline": float(np.std(b, ddof=ddof)) if len(b) > 1 else None,
                "std_treatment": float(np.std(t, ddof=ddof)) if len(t) > 1 else None,
                "diff_t_ci": None,
                "statistic": None,
                "df": None,
                "p_value": None,
                "p_adjusted": None,
                "significant": False,
                "hedges_g": hedges_g(b, t),
                "cohens_d": cohens_d(b, t),
                "prob_improvement": prob_improvement(b, t, higher),
                "power": None,
                "seeds_needed": None,
                "underpowered": False,
                "higher": higher,
            }
            if test_defined(b, t, test):
                c["diff_t_ci"] = diff_t_ci(b, t, test, alternative, confidence)
                c["statistic"], c["df"], c["p_value"] = run_test(b, t, test, alternative)
                sb, st = float(np.std(b, ddof=1)), float(np.std(t, ddof=1))
                c["power"] = float(welch_power(c["diff"], sb, st, len(b), len(t), alpha))
                c["seeds_needed"] = seeds_needed(c["diff"], sb, st, alpha, target)
                c["underpowered"] = c["power"] < target
            comparisons.append(c)
    families = {}
    for i, c in enumerate(comparisons):
        if c["p_value"] is not None:
            families.setdefault(c["metric"] if family == "metric" else "", []).append(i)
    for members in families.values():
        p = np.array([comparisons[i]["p_value"] for i in members])
        if correction == "none":
            reject, adjusted = p <= alpha, p
        else:
            reject, adjusted, _, _ = multipletests(
                p, alpha=alpha, method=STATSMODELS_METHOD[correction]
            )
        for i, r, a in zip(members, reject, adjusted):
            comparisons[i]["p_adjusted"] = float(min(a, 1.0))
            comparisons[i]["significant"] = bool(r)
    for c in comparisons:
        c["verdict"] = verdict(c)
        del c["higher"]
    return groups, comparisons


def verdict(c):
    """DESIGN section 4: the first verdict that applies."""
    if c["p_value"] is None or c["diff"] is None:
        return "undefined"
    if c["significant"]:
        better = c["diff"] > 0 if c["higher"] else c["diff"] < 0
        return "improvement" if better else "regression"
    noise = max(c["std_baseline"] or 0.0, c["std_treatment"] or 0.0)
    return "within-noise" if abs(c["diff"]) < noise else "no-evidence"


# ---------------------------------------------------------------------------
# Bootstrap CI of each difference, with its Monte Carlo tolerance
# ---------------------------------------------------------------------------


def bootstrap_reference(study_name, study, paired, confidence):
    """scipy.stats.bootstrap BCa of mean(t) - mean(b) for every comparison
    (two independent samples, or paired), see `boot_ci`."""
    out = []
    for m in sorted({m for c in study.values() for m in c}):
        for cond in study:
            if cond == BASELINE or m not in study[cond] or m not in study[BASELINE]:
                continue
            b, t = aligned(study[BASELINE][m], study[cond][m], paired)
            entry = {
                "study": study_name,
                "treatment": cond,
                "metric": m,
                "paired": paired,
                "confidence": confidence,
                "ci": None,
                "tolerance": None,
            }
            if len(b) >= 2 and len(t) >= 2:
                entry.update(boot_ci(np.array(b), np.array(t), paired, confidence))
            out.append(entry)
    return out


def boot_ci(b, t, paired, confidence):
    """BOOT_RUNS runs of BOOT_RESAMPLES resamples (the xreport default); the
    reference is their mean. One xreport run may differ by Monte Carlo error,
    which has two parts, summed into the tolerance of each end:
    - 5·sqrt(2)·sd of the ends over the runs (the sd of a difference of two runs);
    - the quantile's own discreteness: with few seeds the bootstrap distribution
      has atoms, and an end sits on one for every scipy run while another
      stream lands on the next. The end's level p (its mid-rank in the pooled
      replicates) is known to +-5 standard errors sqrt(p(1-p)/B); the tolerance
      covers the pooled replicates' quantiles over that band of levels;
    plus 1e-9 of the scale for rounding (sums in another order)."""
    diff = float(np.mean(t) - np.mean(b))
    constant = np.ptp(t - b) == 0 if paired else (np.ptp(b) == 0 and np.ptp(t) == 0)
    if constant:
        return {"ci": [diff, diff], "tolerance": [0.0, 0.0]}
    runs, pooled = [], []
    for r in range(BOOT_RUNS):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = stats.bootstrap(
                (t, b),
                lambda x, y, axis: np.mean(x, axis=axis) - np.mean(y, axis=axis),
                vectorized=True,
                paired=paired,
                n_resamples=BOOT_RESAMPLES,
                confidence_level=confidence,
                method="BCa",
                rng=np.random.default_rng(1000 + r),
            )
        runs.append([res.confidence_interval.low, res.confidence_interval.high])
        pooled.append(res.bootstrap_distribution)
    runs = np.array(runs)
    pooled = np.sort(np.concatenate(pooled))
    ci = runs.mean(axis=0)
    sd = runs.std(axis=0, ddof=1)
    tolerance = []
    for end, s in zip(ci, sd):
        below = np.searchsorted(pooled, end, side="left")
        not_above = np.searchsorted(pooled, end, side="right")
        p = (below + not_above) / 2 / pooled.size
        delta = 5 * math.sqrt(max(p * (1 - p), 1 / BOOT_RESAMPLES) / BOOT_RESAMPLES)
        band = np.quantile(pooled, [max(p - delta, 0.0), min(p + delta, 1.0)])
        rounding = 1e-9 * max(abs(end), float(np.ptp(pooled)))
        tolerance.append(float(5 * math.sqrt(2) * s + np.max(np.abs(band - end)) + rounding))
    return {"ci": [float(v) for v in ci], "tolerance": tolerance}


# ---------------------------------------------------------------------------
# xreport power
# ---------------------------------------------------------------------------


def power_case(args, diff, sb, st, alpha=0.05, target=0.8, max_n=1000):
    needed = seeds_needed(diff, sb, st, alpha, target, max_n)
    last = min(max_n, 50 if needed is None else max(needed + 5, 20))
    ns = np.arange(2, last + 1)
    curve = welch_power(diff, sb, st, ns, ns, alpha)
    pooled = math.sqrt((sb * sb + st * st) / 2)
    case = {
        "args": args,
        "alpha": alpha,
        "target_power": target,
        "effect": {
            "diff": diff,
            "std_baseline": sb,
            "std_treatment": st,
            "effect_size": diff / pooled,
        },
        "curve": [{"n": int(n), "power": float(p)} for n, p in zip(ns, curve)],
        "seeds_needed": needed,
    }
    if sb == st:
        # statsmodels' power and sample size for the standardized effect
        solver = TTestIndPower()
        d = diff / sb
        case["statsmodels_curve"] = [
            float(solver.power(d, nobs1=int(n), alpha=alpha, ratio=1.0)) for n in ns
        ]
        if needed is not None:
            n_sm = solver.solve_power(d, nobs1=None, alpha=alpha, power=target, ratio=1.0)
            case["statsmodels_seeds_needed"] = max(2, math.ceil(float(n_sm) - 1e-9))
            assert case["statsmodels_seeds_needed"] == needed, (args, n_sm, needed)
    return case


def pilot_values(run_dir, metric):
    """Seed values of one condition folder of the example study (seed_N/results.json)."""
    out = []
    for results in sorted(run_dir.glob("seed_*/results.json")):
        if not re.fullmatch(r"seed_\d+", results.parent.name):
            continue
        value = json.loads(results.read_text())
        for part in metric.split("."):
            value = value[part]
        out.append(float(value))
    return out


def power_cases():
    runs = ROOT / "examples/speech-ssl/runs"
    b = pilot_values(runs / "exp0_baseline_hubert", "test.wer")
    t = pilot_values(runs / "exp2_bigger_codebook", "test.wer")
    pilot = power_case(
        [
            "--pilot",
            "examples/speech-ssl/runs/exp0_baseline_hubert",
            "examples/speech-ssl/runs/exp2_bigger_codebook",
            "--metric",
            "test.wer",
        ],
        float(np.mean(t) - np.mean(b)),
        float(np.std(b, ddof=1)),
        float(np.std(t, ddof=1)),
    )
    pilot["pilot"] = {"n_baseline": len(b), "n_treatment": len(t)}
    return [
        power_case(["--diff", "0.3", "--std", "0.5"], 0.3, 0.5, 0.5),
        power_case(["--effect-size", "0.8"], 0.8, 1.0, 1.0),
        power_case(["--effect-size", "-1.2", "--alpha", "0.01"], -1.2, 1.0, 1.0, alpha=0.01),
        power_case(
            ["--effect-size", "0.5", "--target-power", "0.9"], 0.5, 1.0, 1.0, target=0.9
        ),
        power_case(
            ["--diff", "0.3", "--std", "0.5", "--std-treatment", "1.5"], 0.3, 0.5, 1.5
        ),
        power_case(["--effect-size", "0.05", "--max-seeds", "100"], 0.05, 1.0, 1.0, max_n=100),
        pilot,
    ]


# xreport --alternative (treatment - baseline) -> statsmodels, d = diff / std
SM_ALTERNATIVE = {"two-sided": "two-sided", "greater": "larger", "less": "smaller"}


def treatment_seeds(n_b, ratio):
    """ratio * n_b rounded up to a whole seed, an integer within 1e-9 kept."""
    exact = ratio * n_b
    nearest = round(exact)
    if abs(exact - nearest) <= 1e-9 * max(nearest, 1.0):
        return int(nearest)
    return math.ceil(exact)


def design_power(diff, sb, st, n, alpha, alternative, ratio, paired):
    """Power with n baseline seeds (pairs) of the planned test, scipy.stats.nct."""
    if paired:  # sb is the std of the per-seed differences
        df, ncp = n - 1.0, diff / (sb / math.sqrt(n))
    else:
        nt = treatment_seeds(n, ratio or 1.0)
        vb, vt = sb * sb / n, st * st / nt
        df = (vb + vt) ** 2 / (vb * vb / (n - 1) + vt * vt / (nt - 1))
        ncp = diff / math.sqrt(vb + vt)
    crit = stats.t.ppf(1 - (alpha / 2 if alternative == "two-sided" else alpha), df)
    upper = float(stats.nct.sf(crit, df, ncp))
    lower = float(stats.nct.cdf(-crit, df, ncp))
    if not math.isfinite(lower):
        # scipy 1.17's nct.cdf is NaN for some far lower tails: the reflection
        # F(-c; df, ncp) = sf(c; df, -ncp)
        lower = float(stats.nct.sf(crit, df, -ncp))
    return {"two-sided": upper + lower, "greater": upper, "less": lower}[alternative]


def design_case(args, diff, sb, st, alternative="two-sided", ratio=None, paired=False,
                alpha=0.05, target=0.8, max_n=1000):
    """One `xreport power` call with --alternative / --ratio / --paired; for
    --paired, sb = st = the std of the differences."""
    first = 2
    while not paired and treatment_seeds(first, ratio or 1.0) < 2:
        first += 1
    power = {}
    for n in range(first, max_n + 1):
        power[n] = design_power(diff, sb, st, n, alpha, alternative, ratio, paired)
        if power[n] >= target:
            break
    needed = next((n for n, p in power.items() if p >= target), None)
    assert all(math.isfinite(p) for p in power.values()), args
    last = min(max_n, max(50 if needed is None else max(needed + 5, 20), first + 18))
    ns = list(range(first, last + 1))
    curve = []
    for n in ns:
        point = {"n": n}
        if ratio is not None:
            point["n_treatment"] = treatment_seeds(n, ratio)
        point["power"] = design_power(diff, sb, st, n, alpha, alternative, ratio, paired)
        curve.append(point)
    if paired:
        effect = {"diff": diff, "std_diff": sb, "effect_size": diff / sb}
    else:
        effect = {"diff": diff, "std_baseline": sb, "std_treatment": st,
                  "effect_size": diff / math.sqrt((sb * sb + st * st) / 2)}
    case = {"args": args, "alpha": alpha, "target_power": target,
            "alternative": alternative, "ratio": ratio, "paired": paired,
            "effect": effect, "curve": curve, "seeds_needed": needed,
            "seeds_needed_treatment": None if needed is None or ratio is None
            else treatment_seeds(needed, ratio)}
    sm_alt = SM_ALTERNATIVE[alternative]
    if paired:
        solver = TTestPower()
        case["statsmodels_curve"] = [
            float(solver.power(diff / sb, nobs=n, alpha=alpha, alternative=sm_alt)) for n in ns]
        if needed is not None:
            n_sm = solver.solve_power(diff / sb, nobs=None, alpha=alpha, power=target,
                                      alternative=sm_alt)
            case["statsmodels_seeds_needed"] = max(2, math.ceil(float(n_sm) - 1e-9))
    elif sb == st:
        # statsmodels with nobs2 = ratio * nobs1 and Welch's df of the actual sizes
        # (its default df is the pooled n1 + n2 - 2, equal to Welch's for ratio 1)
        solver = TTestIndPower()
        sm = []
        for point in curve:
            n, nt = point["n"], point.get("n_treatment", point["n"])
            welch_df = (1 / n + 1 / nt) ** 2 / (1 / (n * n * (n - 1)) + 1 / (nt * nt * (nt - 1)))
            sm.append(float(solver.power(diff / sb, nobs1=n, alpha=alpha, ratio=nt / n,
                                         df=welch_df, alternative=sm_alt)))
        case["statsmodels_curve"] = sm
        if ratio is None and needed is not None:
            n_sm = solver.solve_power(diff / sb, nobs1=None, alpha=alpha, power=target,
                                      ratio=1.0, alternative=sm_alt)
            case["statsmodels_seeds_needed"] = max(2, math.ceil(float(n_sm) - 1e-9))
    if "statsmodels_seeds_needed" in case:
        assert case["statsmodels_seeds_needed"] == needed, (args, needed)
    return case


def pilot_seed_values(run_dir, metric):
    """{seed folder: value} of one condition of the example study."""
    out = {}
    for results in sorted(run_dir.glob("seed_*/results.json")):
        if not re.fullmatch(r"seed_\d+", results.parent.name):
            continue
        value = json.loads(results.read_text())
        for part in metric.split("."):
            value = value[part]
        out[results.parent.name] = float(value)
    return out


def design_power_cases():
    runs = ROOT / "examples/speech-ssl/runs"
    b = pilot_seed_values(runs / "exp0_baseline_hubert", "test.wer")
    t = pilot_seed_values(runs / "exp2_bigger_codebook", "test.wer")
    pilot_args = ["--pilot", "examples/speech-ssl/runs/exp0_baseline_hubert",
                  "examples/speech-ssl/runs/exp2_bigger_codebook", "--metric", "test.wer"]
    shared = [s for s in b if s in t]
    d = [t[s] - b[s] for s in shared]
    paired_pilot = design_case(pilot_args + ["--paired"], float(np.mean(d)),
                               float(np.std(d, ddof=1)), float(np.std(d, ddof=1)), paired=True)
    paired_pilot["pilot"] = {"n_baseline": len(b), "n_treatment": len(t), "n_pairs": len(d)}
    bv, tv = list(b.values()), list(t.values())
    diff, sb, st = float(np.mean(tv) - np.mean(bv)), float(np.std(bv, ddof=1)), float(np.std(tv, ddof=1))
    less_pilot = design_case(pilot_args + ["--alternative", "less"], diff, sb, st, "less")
    less_pilot["pilot"] = {"n_baseline": len(b), "n_treatment": len(t)}
    return [
        design_case(["--effect-size", "0.5", "--alternative", "greater"], 0.5, 1.0, 1.0, "greater"),
        design_case(["--diff", "-0.3", "--std", "0.5", "--alternative", "less", "--alpha", "0.01"],
                    -0.3, 0.5, 0.5, "less", alpha=0.01),
        design_case(["--diff", "0.3", "--std", "0.5", "--alternative", "less"],
                    0.3, 0.5, 0.5, "less"),
        design_case(["--diff", "0.3", "--std", "0.5", "--alternative", "two-sided"],
                    0.3, 0.5, 0.5, "two-sided"),
        design_case(["--diff", "0.3", "--std", "0.5", "--ratio", "2"], 0.3, 0.5, 0.5, ratio=2.0),
        design_case(["--diff", "0.4", "--std", "0.5", "--std-treatment", "1.0", "--ratio", "0.5",
                     "--alternative", "greater"], 0.4, 0.5, 1.0, "greater", ratio=0.5),
        design_case(["--effect-size", "0.8", "--ratio", "1.5", "--target-power", "0.9"],
                    0.8, 1.0, 1.0, ratio=1.5, target=0.9),
        design_case(["--effect-size", "-1.1", "--ratio", "0.3", "--alternative", "less"],
                    -1.1, 1.0, 1.0, "less", ratio=0.3),
        design_case(["--diff", "0.3", "--std", "0.5", "--paired"], 0.3, 0.5, 0.5, paired=True),
        design_case(["--effect-size", "-0.6", "--paired", "--alternative", "less",
                     "--target-power", "0.9"], -0.6, 1.0, 1.0, "less", paired=True, target=0.9),
        design_case(["--effect-size", "0.7", "--paired", "--alternative", "greater", "--alpha",
                     "0.1"], 0.7, 1.0, 1.0, "greater", paired=True, alpha=0.1),
        paired_pilot,
        less_pilot,
    ]


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

CORRECTIONS = list(STATSMODELS_METHOD) + ["none"]


def flag_args(flags):
    args = []
    for key in ("test", "alternative", "correction", "family", "alpha", "ddof", "confidence"):
        if key in flags:
            args += [f"--{key}", str(flags[key])]
    for m in flags.get("lower", []):
        args += ["--lower-is-better", m]
    for m in flags.get("higher", []):
        args += ["--higher-is-better", m]
    return args


def cases():
    out = [
        ("mixed", {}),
        ("mixed", {"test": "student", "correction": "bonferroni"}),
        ("mixed", {"alternative": "greater", "correction": "hochberg"}),
        ("mixed", {"alternative": "less", "correction": "bh", "family": "all"}),
        ("mixed", {"test": "mannwhitney"}),
        ("mixed", {"test": "mannwhitney", "alternative": "less", "correction": "by"}),
        ("mixed", {"alpha": 0.1, "correction": "hommel"}),
        ("mixed", {"alpha": 0.1, "correction": "fdr-tsbky"}),
        ("mixed", {"alpha": 0.2, "correction": "fdr-tsbh", "family": "all"}),
        ("mixed", {"ddof": 0}),
        ("mixed", {"confidence": 0.9}),
        ("mixed", {"higher": ["loss"], "lower": ["acc"]}),
        ("tiny", {}),
        ("tiny", {"test": "student", "correction": "none"}),
        ("tiny", {"test": "permutation"}),
        ("tiny", {"test": "permutation", "alternative": "greater", "family": "all"}),
        ("tiny", {"test": "permutation", "alternative": "less", "correction": "sidak"}),
        ("tiny", {"test": "mannwhitney", "correction": "hommel", "family": "all"}),
        ("tiny", {"test": "mannwhitney", "alternative": "greater", "alpha": 0.1}),
        ("paired", {"test": "paired"}),
        ("paired", {"test": "paired", "alternative": "less", "correction": "by"}),
        ("paired", {"test": "paired", "correction": "holm-sidak", "family": "all"}),
        ("paired", {"test": "paired", "alpha": 0.01, "correction": "fdr-tsbky", "family": "all"}),
        ("paired", {}),
        ("wide", {"test": "student", "correction": "by", "family": "all"}),
        ("wide", {"test": "mannwhitney", "correction": "sidak", "family": "all"}),
        ("wide", {"test": "paired", "correction": "hommel"}),
        ("wide", {"alternative": "greater", "correction": "holm", "family": "all"}),
    ]
    for correction in CORRECTIONS:
        for family in ("metric", "all"):
            out.append(("wide", {"correction": correction, "family": family}))
    return out


def main():
    studies = {
        "mixed": study_mixed(),
        "tiny": study_tiny(),
        "paired": study_paired(),
        "wide": study_wide(),
    }
    for name, study in studies.items():
        write_study(name, study)
    write_wide("tiny", studies["tiny"])
    records = []
    boot_keys = set()
    for name, flags in cases():
        groups, comparisons = compare_case(studies[name], flags)
        records.append(
            {
                "study": f"golden/reference/compare_studies/{name}.csv",
                "name": name,
                "args": ["--baseline", BASELINE] + flag_args(flags),
                "settings": {
                    "alpha": flags.get("alpha", 0.05),
                    "correction": flags.get("correction", "holm"),
                    "family": flags.get("family", "metric"),
                    "test": flags.get("test", "welch"),
                    "alternative": flags.get("alternative", "two-sided"),
                    "ddof": flags.get("ddof", 1),
                    "confidence": flags.get("confidence", 0.95),
                },
                "metrics": [
                    {"name": m, "direction": direction(m, flags)}
                    for m in sorted({m for c in studies[name].values() for m in c})
                ],
                "groups": groups,
                "comparisons": comparisons,
            }
        )
        boot_keys.add((name, flags.get("test") == "paired", flags.get("confidence", 0.95)))
    write("compare_cases.json", {"baseline": BASELINE, "cases": records}, one_line_per_item="cases")
    boot = []
    for name, paired, confidence in sorted(boot_keys):
        boot += bootstrap_reference(name, studies[name], paired, confidence)
    write(
        "compare_bootstrap.json",
        {
            "method": "scipy.stats.bootstrap BCa, mean of runs",
            "runs": BOOT_RUNS,
            "resamples": BOOT_RESAMPLES,
            "intervals": boot,
        },
    )
    write("compare_power.json", {"cases": power_cases(), "design_cases": design_power_cases()})


if __name__ == "__main__":
    main()
