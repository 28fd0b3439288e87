"""Reference numbers for `xreport pca` (tests/it/pca.rs), from scikit-learn and numpy.

Run from the repository root: python3 golden/reference_pca.py
Writes golden/reference/pca.json; the extra input matrices it needs are written to
golden/reference/pca/ first (fixed numpy seed), so the script is the only source.

Per case: sklearn.decomposition.PCA(n_components=k, svd_solver="full") (centre, then
LAPACK SVD) explained_variance_ratio_ and explained_variance_ on the matrix as float64,
and `sklearn_as_stored_ratio`: PCA(n_components=k) with the default solver ("auto",
which picks "covariance_eigh" for tall matrices) on the file's own dtype, as a user
would run it.
On float32 input scikit-learn computes X^T X - n mean mean^T in float32, so on nearly
constant data (the collapse example) or a large offset its small-variance numbers are
rounding noise; xreport accumulates in float64 and matches the float64 numbers. The
components with xreport's sign rule (largest |loading| positive);
the effective rank exp(H(s / sum s)) from numpy's singular values of the centred
float64 matrix; per-dimension std (ddof=1) mean/min/max; dead dimensions (std below
1e-6 x the largest); the verdict by DESIGN section 5.
"""
import json
import os
import platform
import zipfile

import numpy as np
import sklearn
from sklearn.decomposition import PCA

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(HERE, "reference", "pca")


def write_inputs():
    rng = np.random.default_rng(7)
    # rank 5 + small noise, float64, big-endian, Fortran order, format 1.0
    low = rng.normal(size=(400, 5)) @ rng.normal(size=(5, 24)) + 1e-3 * rng.normal(size=(400, 24))
    np.save(os.path.join(DATA, "lowrank_f64_be_fortran.npy"), np.asfortranarray(low.astype(">f8")))
    # large common offset (tests centring), float32, format 2.0
    off = (1000.0 + rng.normal(size=(300, 16)) * np.linspace(0.5, 3.0, 16)).astype("<f4")
    with open(os.path.join(DATA, "offset_f32_v2.npy"), "wb") as f:
        np.lib.format.write_array(f, off, version=(2, 0))
    # plain gaussian, float64, format 3.0, big-endian float32 copy in a stored (uncompressed) npz
    gau = rng.normal(size=(250, 12)) * np.arange(1, 13)
    with open(os.path.join(DATA, "gauss_f64_v3.npy"), "wb") as f:
        np.lib.format.write_array(f, gau, version=(3, 0))
    np.savez(os.path.join(DATA, "stored.npz"), emb=gau.astype(">f4"), other=np.zeros(3))


def load(case):
    path = os.path.join(ROOT, case["path"])
    if path.endswith(".csv"):
        if case.get("iris"):
            x = np.loadtxt(path, delimiter=",", skiprows=1)[:, :4]
        else:
            x = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")
            x = np.column_stack([x[n] for n in x.dtype.names if n.startswith("z_")])
        return x
    arr = np.load(path)
    return arr[case["key"]] if case.get("key") else arr


def reference(case, k=5):
    x = load(case)
    k = min(k, x.shape[1])
    as_stored = PCA(n_components=k).fit(x)
    pca = PCA(n_components=k, svd_solver="full").fit(x.astype(np.float64))
    comps = pca.components_.astype(np.float64)
    for c in comps:
        i = int(np.argmax(np.abs(c)))
        if c[i] < 0:
            c *= -1
    xc = x.astype(np.float64) - x.astype(np.float64).mean(axis=0)
    s = np.linalg.svd(xc, compute_uv=False)
    p = s / s.sum() if s.sum() > 0 else None
    erank = float(np.exp(-np.sum(p[p > 0] * np.log(p[p > 0])))) if p is not None else None
    std = x.astype(np.float64).std(axis=0, ddof=1)
    dead = int(np.sum(std < 1e-6 * std.max())) if std.max() > 0 else x.shape[1]
    total = float(np.sum(np.clip(np.linalg.eigvalsh(np.cov(xc, rowvar=False)), 0, None)))
    msn = float(np.mean(np.sum(x.astype(np.float64) ** 2, axis=1)))
    if total <= 1e-8 * msn:
        verdict = "collapse"
    elif erank < 0.1 * x.shape[1]:
        verdict = "dimensional collapse"
    else:
        verdict = "healthy"
    return dict(
        case,
        rows=int(x.shape[0]),
        dims=int(x.shape[1]),
        dtype=str(x.dtype),
        explained_variance_ratio=[float(v) for v in pca.explained_variance_ratio_],
        sklearn_as_stored_ratio=[float(v) for v in as_stored.explained_variance_ratio_],
        explained_variance=[float(v) for v in pca.explained_variance_],
        components=[[float(v) for v in c] for c in comps[:2]],
        effective_rank=erank,
        dim_std={"mean": float(std.mean()), "min": float(std.min()), "max": float(std.max())},
        dead_dims=dead,
        verdict=verdict,
    )


CASES = [
    {"name": "healthy example", "path": "examples/latents/seed_42/latents.npy"},
    {"name": "dimensional collapse example", "path": "examples/latents/dimensional_collapse/seed_42/latents.npy"},
    {"name": "collapse example", "path": "examples/latents/collapse/seed_42/latents.npy"},
    {"name": "npz deflated, float64 Fortran", "path": "examples/latents/emb.npz", "key": "z"},
    {"name": "csv columns", "path": "examples/latents/features.csv"},
    {"name": "rank 5, big-endian float64 Fortran, v1", "path": "golden/reference/pca/lowrank_f64_be_fortran.npy"},
    {"name": "offset 1000, float32, v2", "path": "golden/reference/pca/offset_f32_v2.npy"},
    {"name": "gaussian, float64, v3", "path": "golden/reference/pca/gauss_f64_v3.npy"},
    {"name": "npz stored, big-endian float32", "path": "golden/reference/pca/stored.npz", "key": "emb"},
    {"name": "iris (scikit-learn 1.5.2 copy)", "path": "golden/reference/pca/iris.csv", "iris": True},
]


def main():
    write_inputs()
    out = {
        "generated_by": "golden/reference_pca.py",
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scikit-learn": sklearn.__version__},
        "cases": [reference(c) for c in CASES],
    }
    with open(os.path.join(HERE, "reference", "pca.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
