"""deepsig's ASO timed on the inputs of the `aso_*` kernels of benches/kernels.rs.

    pip install --target /tmp/pyenv-aso deepsig==1.2.8 numpy==2.4.6 scipy==1.17.1
    PYTHONPATH=/tmp/pyenv-aso python3 benches/python/aso_deepsig.py [--reps 1]

Times `deepsig.multi_aso` on 6 models x 5 seeds (15 pairs, Bonferroni on, one
bootstrap per pair as deepsig does) and one `deepsig.aso` of 1000 vs 1000 scores,
both with deepsig's defaults (1000 bootstrap iterations, dt = 0.005,
confidence 0.95) and num_jobs=1, show_progress=False, seed=0. Not part of
benches/run.sh: deepsig is not in benches/python/requirements.txt.

The inputs are `values(n, shift)` below, written so that benches/kernels.rs
computes the same doubles: the fractional part of (i + 1) times the golden
ratio, cubed (right-skewed), plus a shift; the treatment of 1000 vs 1000 is the
baseline shifted by 0.02.
"""

import argparse
import time
import warnings
from importlib.metadata import version

import numpy as np
from deepsig import aso, multi_aso

GOLDEN = 0.6180339887498949


def values(n, shift):
    """shift + frac((i + 1) * GOLDEN)^3 for i < n, as benches/kernels.rs `golden_values`."""
    x = np.arange(1, n + 1, dtype=np.float64) * GOLDEN
    f = x - np.floor(x)
    return shift + f * f * f


def models():
    """6 models x 5 seeds: model k holds values 5k..5k+4 of `values(30, 0)`, plus 0.05 k."""
    return values(30, 0.0).reshape(6, 5) + 0.05 * np.arange(6)[:, None]


def timed(f):
    start = time.perf_counter()
    out = f()
    return time.perf_counter() - start, out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=1)
    reps = parser.parse_args().reps
    print(f"deepsig {version('deepsig')}, numpy {np.__version__}")
    warnings.simplefilter("ignore")
    scores = models()
    big_b, big_t = values(1000, 0.0), values(1000, 0.02)
    for _ in range(reps):
        wall, eps = timed(lambda: multi_aso(scores, num_jobs=1, show_progress=False, seed=0))
        print(f"multi_aso 6 models x 5 seeds: {wall:.3f} s; eps_min[0, 1:] = {np.round(eps[0, 1:], 4).tolist()}")
        wall, eps = timed(lambda: aso(big_t, big_b, num_jobs=1, show_progress=False, seed=0))
        print(f"aso 1000 vs 1000: {wall:.3f} s; eps_min = {eps:.4f}")


if __name__ == "__main__":
    main()
