"""W4 reference pipeline: PCA of an embedding matrix to a PNG scatter coloured by label,
as `xreport pca EMB.npy --labels LABELS.txt -o OUT.png --format json`.

    python3 benches/python/w4_pca.py EMB.npy LABELS.txt OUT.png OUT.json

np.load, sklearn PCA(n_components=2) (on float32 input sklearn picks the
covariance_eigh solver and keeps the covariance in float32), matplotlib scatter of
every point coloured by label, saved as PNG at xreport's default size
(4.6 x 3.0 in with the legend, 300 dpi, 2.5 pt markers, alpha 0.6).
"""

import common  # noqa: F401  (starts the clock)

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("npy")
    p.add_argument("labels")
    p.add_argument("png")
    p.add_argument("out")
    p.add_argument("--dpi", type=int, default=300)
    a = p.parse_args()

    x = np.load(a.npy)
    with open(a.labels) as f:
        labels = np.array(f.read().splitlines())
    if len(labels) != len(x):
        raise SystemExit(f"{len(labels)} labels for {len(x)} rows")
    pca = PCA(n_components=2)
    z = pca.fit_transform(x)

    classes = sorted(set(labels.tolist()))
    fig, ax = plt.subplots(figsize=(4.6, 3.0), dpi=a.dpi)
    for k, c in enumerate(classes):
        sel = labels == c
        ax.scatter(z[sel, 0], z[sel, 1], s=2.5**2, alpha=0.6, linewidths=0, color=f"C{k % 10}", label=c)
    r = pca.explained_variance_ratio_
    ax.set_xlabel(f"PC1 ({100 * r[0]:.1f}%)")
    ax.set_ylabel(f"PC2 ({100 * r[1]:.1f}%)")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=6, markerscale=2, frameon=False)
    fig.tight_layout()
    fig.savefig(a.png, dpi=a.dpi)

    common.finish("W4", a.out, {
        "workload": "W4", "rows": int(x.shape[0]), "dims": int(x.shape[1]), "dtype": str(x.dtype),
        "svd_solver": getattr(pca, "_fit_svd_solver", None),
        "explained_variance_ratio": pca.explained_variance_ratio_.astype(np.float64).tolist(),
        "explained_variance": pca.explained_variance_.astype(np.float64).tolist(),
    })


if __name__ == "__main__":
    main()
