#!/usr/bin/env python3
"""Reference numbers for xreport's `stats::describe` and `stats::bootstrap`.

Writes, next to this script:
  reference/describe.json   numpy/scipy descriptive statistics and t-intervals
                            of the mean for samples of many shapes, and t
                            quantiles to double precision (mpmath, 40 digits);
  reference/bootstrap.json  (a) exact cases: bootstrap replicates drawn by
                            `scipy.stats.bootstrap`, the intervals scipy computes
                            from exactly those replicates for each method, and
                            scipy's jackknife acceleration `a_hat`;
                            (b) Monte Carlo cases: `scipy.stats.bootstrap`
                            intervals with many resamples, with the tolerance a
                            Rust run with `test_resamples` resamples is held to.

Run from anywhere: `python3 golden/reference_bootstrap.py`. Deterministic: every
random draw comes from a fixed numpy seed. The versions used are recorded in the
JSON.

Monte Carlo tolerance (part b). A bootstrap interval end computed from R
resamples is a random quantity; its Monte Carlo standard deviation sd(R) is
estimated here by repeating scipy's bootstrap K times with R = test_resamples
(the Rust test's resample count) and taking the sample standard deviation of
each interval end. The Rust end (R resamples) and the reference end
(R_ref = reference_resamples, independent) differ by a zero-mean error with
standard deviation sd(R) * sqrt(1 + R / R_ref) (an interval end's variance is
proportional to 1/R). The tolerance is Z times that, with Z chosen so that the
whole family of checks raises a false alarm with probability below 1e-4 under
normality: Z = Phi^-1(1 - 1e-4 / (2 m)) for m checks. A floor of 1e-12 times the
scale of the data covers ends that sit on an atom of a discrete bootstrap
distribution (sd = 0), where Rust and numpy differ only by rounding.
"""

import json
import math
import pathlib
import platform

import mpmath
import numpy as np
import scipy
from scipy import stats
from scipy.special import ndtri
from scipy.stats._resampling import _bca_interval, _percentile_of_score

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "reference"

EXACT_REPLICATES = 2000
REFERENCE_RESAMPLES = 100_000
TEST_RESAMPLES = 20_000
MC_REPEATS = 200
FAMILY_FALSE_ALARM = 1e-4
METHODS = ("percentile", "basic", "BCa")


def versions():
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "mpmath": mpmath.__version__,
    }


def exact(x):
    """A float as the decimal string that parses back to the same bits."""
    return repr(float(x))


def or_none(x):
    return None if x is None or not math.isfinite(x) else float(x)


# ---------------------------------------------------------------- describe


def describe_samples(rng):
    samples = []
    kinds = {
        "normal": lambda n: rng.normal(0.8, 0.05, n),
        "exponential": lambda n: rng.exponential(2.0, n),
        "ties": lambda n: rng.integers(0, 4, n).astype(float),
        "big": lambda n: 1e9 + rng.normal(0.0, 1.0, n),
        "tiny": lambda n: 1e-9 * rng.normal(1.0, 0.3, n),
        "accuracy": lambda n: np.round(rng.uniform(0.7, 0.9, n), 4),
        "mixed_sign": lambda n: rng.normal(0.0, 3.0, n),
    }
    for n in (1, 2, 3, 5, 10, 100):
        for kind, draw in kinds.items():
            samples.append((f"{kind}_n{n}", draw(n)))
    samples.append(("constant_n5", np.full(5, 0.1)))
    samples.append(("constant_n2_big", np.full(2, 123456789.5)))
    samples.append(("even_n4_median", np.array([4.0, 1.0, 3.0, 2.0])))
    samples.append(("wide_n1000", rng.standard_t(3, 1000) * 10.0))
    return samples


def describe_case(name, x):
    n = len(x)
    mean = float(np.mean(x))
    case = {
        "name": name,
        "values": [exact(v) for v in x],
        "mean": mean,
        "median": float(np.median(x)),
        "min": float(np.min(x)),
        "max": float(np.max(x)),
        "std_ddof0": float(np.std(x, ddof=0)),
        "std_ddof1": float(np.std(x, ddof=1)) if n >= 2 else None,
        "sem": float(stats.sem(x, ddof=1)) if n >= 2 else None,
        "quantile_0_1": float(np.quantile(x, 0.1)),
        "quantile_0_9": float(np.quantile(x, 0.9)),
    }
    for conf, key in ((0.95, "t_interval_95"), (0.9, "t_interval_90")):
        if n < 2:
            case[key] = None
        elif case["sem"] == 0.0:
            # scipy gives NaN for scale 0; xreport's convention is the point.
            case[key] = [mean, mean]
        else:
            lo, hi = stats.t.interval(conf, n - 1, loc=mean, scale=case["sem"])
            case[key] = [float(lo), float(hi)]
    return case


def t_ppf_exact(p, df):
    """Student's t quantile to double precision: the root of the regularized
    incomplete beta form of the CDF at 40 digits (mpmath), started from scipy's
    value. scipy's own t.ppf loses digits near p = 1/2 (1.6e-9 relative at
    p = 0.4999, df = 4), so the table holds both and Rust is held to this one."""
    if p == 0.5:
        return 0.0
    nu = mpmath.mpf(df)
    lower = mpmath.mpf(min(p, 1 - p))

    def lower_tail(t):
        x = nu / (nu + t * t)
        return mpmath.betainc(nu / 2, mpmath.mpf(1) / 2, 0, x, regularized=True) / 2

    start = mpmath.mpf(stats.t.ppf(min(p, 1 - p), df))
    root = mpmath.findroot(lambda t: lower_tail(t) / lower - 1,
                           (start, start * (1 + mpmath.mpf(1e-7))), solver="secant")
    return float(root if p < 0.5 else -root)


def t_quantiles():
    mpmath.mp.dps = 40
    rows = []
    dfs = (0.5, 1.0, 1.5, 2.0, 3.0, 3.7, 4.0, 9.0, 17.35, 29.0, 99.0, 300.0,
           1000.0, 1999.0, 2000.0, 5000.0, 1e5, 1e6)
    ps = (1e-10, 1e-6, 5e-4, 0.005, 0.025, 0.05, 0.1, 0.3, 0.4999, 0.5, 0.5001,
          0.9, 0.95, 0.975, 0.995, 0.9995, 1 - 1e-6)
    for df in dfs:
        for p in ps:
            rows.append({"p": p, "df": df, "q": t_ppf_exact(p, df),
                         "q_scipy": float(stats.t.ppf(p, df))})
    return rows


def write_describe():
    rng = np.random.default_rng(20261125)
    cases = [describe_case(name, x) for name, x in describe_samples(rng)]
    doc = {
        "generated_by": "golden/reference_bootstrap.py",
        "versions": versions(),
        "notes": "values are decimal strings that parse to the exact bits; "
        "numpy mean/median/std/quantile(linear), scipy.stats.sem(ddof=1), "
        "scipy.stats.t.interval(conf, n-1, loc=mean, scale=sem); "
        "zero-variance samples: the interval is the point (xreport convention).",
        "cases": cases,
        "t_quantiles": t_quantiles(),
    }
    (OUT / "describe.json").write_text(json.dumps(doc, indent=1) + "\n")


# ------------------------------------------------------------------ rng

MASK32 = 0xFFFFFFFF
MASK64 = 0xFFFFFFFFFFFFFFFF


def fnv1a64(parts):
    """FNV-1a 64 over the UTF-8 parts joined by a 0 byte."""
    h = 0xCBF29CE484222325
    for byte in b"\x00".join(p.encode() for p in parts):
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def chacha8_words(seed, key, chunk, count):
    """ChaCha with 8 rounds (Bernstein's 64-bit counter, 64-bit nonce layout):
    cipher key = seed, key as little-endian u64s then 16 zero bytes, nonce =
    chunk, block counter from 0; the output words of consecutive blocks."""
    key_bytes = seed.to_bytes(8, "little") + key.to_bytes(8, "little") + bytes(16)
    key_words = [int.from_bytes(key_bytes[4 * i:4 * i + 4], "little") for i in range(8)]

    def rotl(v, c):
        return ((v << c) | (v >> (32 - c))) & MASK32

    def quarter(x, a, b, c, d):
        x[a] = (x[a] + x[b]) & MASK32
        x[d] = rotl(x[d] ^ x[a], 16)
        x[c] = (x[c] + x[d]) & MASK32
        x[b] = rotl(x[b] ^ x[c], 12)
        x[a] = (x[a] + x[b]) & MASK32
        x[d] = rotl(x[d] ^ x[a], 8)
        x[c] = (x[c] + x[d]) & MASK32
        x[b] = rotl(x[b] ^ x[c], 7)

    words = []
    block = 0
    while len(words) < count:
        state = ([0x61707865, 0x3320646E, 0x79622D32, 0x6B206574] + key_words
                 + [block & MASK32, block >> 32, chunk & MASK32, chunk >> 32])
        x = list(state)
        for _ in range(4):
            quarter(x, 0, 4, 8, 12)
            quarter(x, 1, 5, 9, 13)
            quarter(x, 2, 6, 10, 14)
            quarter(x, 3, 7, 11, 15)
            quarter(x, 0, 5, 10, 15)
            quarter(x, 1, 6, 11, 12)
            quarter(x, 2, 7, 8, 13)
            quarter(x, 3, 4, 9, 14)
        words += [(x[i] + state[i]) & MASK32 for i in range(16)]
        block += 1
    return words[:count]


def stream_words(seed, key, chunk, count):
    """`rng::stream`: xoshiro256++ (Blackman & Vigna) whose state is the first 8
    ChaCha8 words as 4 little-endian u64s (word 2i low, word 2i + 1 high); each
    64-bit output gives its high 32 bits, then its low 32 bits."""
    w = chacha8_words(seed, key, chunk, 8)
    s = [w[2 * i] | (w[2 * i + 1] << 32) for i in range(4)]

    def rotl(v, c):
        return ((v << c) | (v >> (64 - c))) & MASK64

    out = []
    while len(out) < count:
        result = (rotl((s[0] + s[3]) & MASK64, 23) + s[0]) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        out += [result >> 32, result & MASK32]
    return out[:count]


def lemire(words, n):
    """Lemire's unbiased index in 0..n from a stream of u32 words."""
    out = []
    it = iter(words)
    while True:
        try:
            m = next(it) * n
        except StopIteration:
            return out
        if (m & MASK32) < n:
            threshold = (2**32 - n) % n
            while (m & MASK32) < threshold:
                try:
                    m = next(it) * n
                except StopIteration:
                    return out
        out.append(m >> 32)


def rng_reference():
    parts_list = [[], [""], ["a"], ["foobar"], ["a", "b"], ["ab"], ["accuracy", "baseline", "lr=0.1"]]
    streams = [(0, 0, 0), (0, 0, 1), (1, 0, 0), (0, 1, 0), (42, fnv1a64(["accuracy"]), 7),
               (2**64 - 1, 2**64 - 1, 2**64 - 1)]
    return {
        "stream_keys": [{"parts": p, "key": fnv1a64(p)} for p in parts_list],
        "chacha8": [{"seed": s, "key": k, "chunk": c, "words": chacha8_words(s, k, c, 40)}
                    for s, k, c in streams],
        "streams": [{"seed": s, "key": k, "chunk": c, "words": stream_words(s, k, c, 40)}
                    for s, k, c in streams],
        "uniform_index": [
            {"seed": 3, "key": 5, "chunk": c, "n": n,
             "indices": lemire(stream_words(3, 5, c, 64), n)}
            for c, n in ((0, 1), (1, 10), (2, 200_000), (3, 3 * 2**30), (4, 2**32 - 1))
        ],
    }


# --------------------------------------------------------------- bootstrap


def mean_stat(x, axis=-1):
    return np.mean(x, axis=axis)


def mean_diff_stat(t, b, axis=-1):
    return np.mean(t, axis=axis) - np.mean(b, axis=axis)


def median_stat(x, axis=-1):
    return np.median(x, axis=axis)


def median_diff_stat(t, b, axis=-1):
    return np.median(t, axis=axis) - np.median(b, axis=axis)


STATISTICS = {
    "mean": mean_stat,
    "mean_diff": mean_diff_stat,
    "median": median_stat,
    "median_diff": median_diff_stat,
}


def exact_case(name, statistic, samples, confidence, paired, seed):
    """Replicates from scipy, and the intervals scipy derives from them."""
    fun = STATISTICS[statistic]
    data = tuple(np.asarray(s, dtype=float) for s in samples)
    base = stats.bootstrap(data, fun, n_resamples=EXACT_REPLICATES,
                           paired=paired, confidence_level=confidence,
                           method="percentile", rng=np.random.default_rng(seed))
    replicates = base.bootstrap_distribution
    theta_hat = float(fun(*data))
    alpha = (1 - confidence) / 2
    if paired:
        n = len(data[0])
        jack_data = (np.arange(n),)

        def jack_fun(i, axis=-1):
            return fun(*(d[..., i] for d in data), axis=axis)
    else:
        jack_data, jack_fun = data, fun
    _, _, a_hat = _bca_interval(jack_data, jack_fun, axis=-1, alpha=alpha,
                                theta_hat_b=replicates, batch=None, xp=np)
    percentile = _percentile_of_score(replicates, np.asarray(theta_hat)[None],
                                      axis=-1, xp=np)
    intervals = {}
    for method in METHODS:
        res = stats.bootstrap(data, fun, n_resamples=0, bootstrap_result=base,
                              paired=paired, confidence_level=confidence,
                              method=method)
        ci = res.confidence_interval
        intervals[method.lower()] = [exact(ci.low), exact(ci.high)]
    return {
        "name": name,
        "statistic": statistic,
        "paired": paired,
        "samples": [[exact(v) for v in s] for s in data],
        "confidence": confidence,
        "theta_hat": exact(theta_hat),
        "a_hat": float(a_hat),
        "z0_hat": float(ndtri(float(percentile))),
        "intervals": intervals,
        "replicates": [exact(v) for v in replicates],
    }


def exact_cases(rng):
    normal10 = rng.normal(0.8, 0.05, 10)
    skew5 = rng.exponential(1.0, 5)
    t10, b10 = rng.normal(0.82, 0.04, 10), rng.normal(0.80, 0.05, 10)
    t4, b7 = rng.lognormal(0.0, 0.7, 4), rng.lognormal(0.2, 0.5, 7)
    odd11 = rng.gamma(2.0, 1.0, 11)
    tm, bm = rng.normal(5, 2, 9), rng.exponential(4, 6)
    pb = rng.normal(0.6, 0.2, 25)
    pt = pb + rng.normal(0.05, 0.1, 25)
    return [
        exact_case("mean_normal_n10", "mean", [normal10], 0.95, False, 1),
        exact_case("mean_skewed_n5", "mean", [skew5], 0.9, False, 2),
        # integer data: sums are exact, so replicates tie theta_hat exactly
        exact_case("mean_integer_ties_n3", "mean", [[1.0, 2.0, 4.0]], 0.95, False, 3),
        exact_case("mean_diff_n10_n10", "mean_diff", [t10, b10], 0.95, False, 4),
        exact_case("mean_diff_n4_n7_skewed", "mean_diff", [t4, b7], 0.9, False, 5),
        exact_case("median_n11", "median", [odd11], 0.95, False, 6),
        exact_case("median_diff_n9_n6", "median_diff", [tm, bm], 0.9, False, 7),
        exact_case("paired_mean_diff_n25", "mean_diff", [pt, pb], 0.95, True, 8),
    ]


def mc_samples(rng):
    one = [
        ("n3_normal", [rng.normal(0.8, 0.05, 3)], 0.95),
        ("n5_lognormal", [rng.lognormal(0.0, 1.0, 5)], 0.9),
        ("n10_normal", [rng.normal(10.0, 2.0, 10)], 0.95),
        ("n20_exponential", [rng.exponential(3.0, 20)], 0.9),
        ("n30_accuracy", [np.round(rng.uniform(0.6, 0.9, 30), 4)], 0.95),
        ("n12_heavy_tail", [rng.standard_t(2, 12)], 0.95),
    ]
    two = [
        ("n3_n3_normal", [rng.normal(0.82, 0.03, 3), rng.normal(0.8, 0.03, 3)], 0.9),
        ("n5_n5_lognormal", [rng.lognormal(0.3, 0.8, 5), rng.lognormal(0.0, 0.8, 5)], 0.95),
        ("n10_n10_normal", [rng.normal(0.81, 0.02, 10), rng.normal(0.8, 0.02, 10)], 0.95),
        ("n5_n12_unequal", [rng.normal(1.0, 1.0, 5), rng.normal(0.0, 0.3, 12)], 0.9),
        ("n30_n20_exponential", [rng.exponential(2.0, 30), rng.exponential(1.5, 20)], 0.95),
        ("n8_n15_skewed", [rng.gamma(1.0, 2.0, 8), rng.gamma(3.0, 1.0, 15)], 0.9),
    ]
    cases = [(name, "mean", s, c) for name, s, c in one]
    cases += [(name, "mean_diff", s, c) for name, s, c in two]
    return cases


def mc_case(name, statistic, samples, confidence, seed):
    fun = STATISTICS[statistic]
    data = tuple(np.asarray(s, dtype=float) for s in samples)
    ref = stats.bootstrap(data, fun, n_resamples=REFERENCE_RESAMPLES,
                          confidence_level=confidence, method="percentile",
                          rng=np.random.default_rng(seed))
    reference = {}
    for method in METHODS:
        res = stats.bootstrap(data, fun, n_resamples=0, bootstrap_result=ref,
                              confidence_level=confidence, method=method)
        ci = res.confidence_interval
        reference[method.lower()] = [float(ci.low), float(ci.high)]
    # Monte Carlo spread of each end at the Rust test's resample count.
    repeat_rng = np.random.default_rng(seed + 1000)
    ends = {m.lower(): [] for m in METHODS}
    for _ in range(MC_REPEATS):
        rep = stats.bootstrap(data, fun, n_resamples=TEST_RESAMPLES,
                              confidence_level=confidence, method="percentile",
                              rng=repeat_rng)
        for method in METHODS:
            res = stats.bootstrap(data, fun, n_resamples=0, bootstrap_result=rep,
                                  confidence_level=confidence, method=method)
            ci = res.confidence_interval
            ends[method.lower()].append([ci.low, ci.high])
    sd = {m: np.std(np.asarray(v), axis=0, ddof=1) for m, v in ends.items()}
    scale = max(abs(float(v)) for s in data for v in s)
    return {
        "name": name,
        "statistic": statistic,
        "samples": [[exact(v) for v in s] for s in data],
        "confidence": confidence,
        "reference": reference,
        "mc_sd": {m: [float(v) for v in s] for m, s in sd.items()},
        "scale": scale,
    }


def write_bootstrap():
    rng = np.random.default_rng(42)
    exact = exact_cases(rng)
    mc = [mc_case(name, stat, s, c, 100 + i)
          for i, (name, stat, s, c) in enumerate(mc_samples(rng))]
    checks = 2 * len(METHODS) * len(mc)
    z = float(ndtri(1 - FAMILY_FALSE_ALARM / (2 * checks)))
    inflation = math.sqrt(1 + TEST_RESAMPLES / REFERENCE_RESAMPLES)
    for case in mc:
        floor = 1e-12 * case["scale"]
        case["tolerance"] = {
            m: [z * inflation * s + floor for s in sds]
            for m, sds in case["mc_sd"].items()
        }
    doc = {
        "generated_by": "golden/reference_bootstrap.py",
        "versions": versions(),
        "notes": "exact_cases: replicates from scipy.stats.bootstrap; intervals are "
        "scipy.stats.bootstrap(n_resamples=0, bootstrap_result=...) on exactly those "
        "replicates; a_hat from scipy.stats._resampling._bca_interval (paired: "
        "jackknife over rows, as bootstrap(paired=True)); exact values are decimal "
        "strings so they parse to the same bits. monte_carlo_cases: reference "
        "intervals from reference_resamples resamples; tolerance = z * "
        "sqrt(1 + test_resamples/reference_resamples) * mc_sd + 1e-12 * scale, "
        "mc_sd the spread of each end over mc_repeats runs of test_resamples.",
        "rng": rng_reference(),
        "exact_cases": exact,
        "monte_carlo": {
            "reference_resamples": REFERENCE_RESAMPLES,
            "test_resamples": TEST_RESAMPLES,
            "mc_repeats": MC_REPEATS,
            "family_false_alarm": FAMILY_FALSE_ALARM,
            "z": z,
            "cases": mc,
        },
    }
    (OUT / "bootstrap.json").write_text(json.dumps(doc, indent=1) + "\n")


def main():
    OUT.mkdir(exist_ok=True)
    write_describe()
    write_bootstrap()


if __name__ == "__main__":
    main()
