"""Generate the example latents for `xreport pca` (run from this folder: python3 generate.py).

Three representations of the same 900 utterances with 6 emotion labels:
- seed_42/latents.npy                       healthy: 6 class clusters in 32 dims, isotropic noise
- dimensional_collapse/seed_42/latents.npy  everything lives on 2 directions (+1e-3 noise)
- collapse/seed_42/latents.npy              every row is the same point (+1e-6 noise)
plus emb.npz (arrays `z` = the healthy matrix in float64 Fortran order, `mu` = class means)
and features.csv (8 columns z_0..z_7 and a `speaker` column) for the table readers.
The data are synthetic (numpy PCG64, seed 20260101); no real embeddings were available.
"""
import os

import numpy as np

ROWS, DIMS = 900, 32
EMOTIONS = ["angry", "calm", "fearful", "happy", "neutral", "sad"]


def main():
    rng = np.random.default_rng(20260101)
    labels = np.repeat(np.arange(len(EMOTIONS)), ROWS // len(EMOTIONS))
    rng.shuffle(labels)
    means = rng.normal(0.0, 1.5, size=(len(EMOTIONS), DIMS))
    healthy = means[labels] + rng.normal(0.0, 1.0, size=(ROWS, DIMS))

    plane = np.linalg.qr(rng.normal(size=(DIMS, 2)))[0].T  # 2 orthonormal directions
    coords = rng.normal(0.0, 1.0, size=(len(EMOTIONS), 2))[labels] * 3 + rng.normal(0.0, 0.7, size=(ROWS, 2))
    low_rank = coords @ plane + 1e-3 * rng.normal(size=(ROWS, DIMS)) + 0.5

    point = rng.normal(0.0, 1.0, size=DIMS)
    collapsed = point + 1e-6 * rng.normal(size=(ROWS, DIMS))

    for folder, matrix in [
        ("seed_42", healthy),
        ("dimensional_collapse/seed_42", low_rank),
        ("collapse/seed_42", collapsed),
    ]:
        os.makedirs(folder, exist_ok=True)
        np.save(os.path.join(folder, "latents.npy"), matrix.astype(np.float32))
    with open("labels.txt", "w") as f:
        f.writelines(EMOTIONS[i] + "\n" for i in labels)
    np.savez_compressed("emb.npz", z=np.asfortranarray(healthy), mu=means)

    speakers = [f"spk{i % 4 + 1}" for i in range(300)]
    with open("features.csv", "w") as f:
        f.write(",".join(f"z_{j}" for j in range(8)) + ",speaker\n")
        for i in range(300):
            row = healthy[i, :8] + (i % 4)
            f.write(",".join(f"{v:.6f}" for v in row) + f",{speakers[i]}\n")


if __name__ == "__main__":
    main()
