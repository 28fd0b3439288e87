"""Deterministic benchmark workloads of DESIGN section 9 (seeded; same files on every run).

    python3 benches/generate.py w1 OUT_DIR   # 500 conditions x 10 seeds, 50 metrics, Hydra config each
    python3 benches/generate.py w2 OUT.csv   # 200 metrics x 21 conditions x 10 seeds, long table
    python3 benches/generate.py w3 OUT.csv   # per-example scores of two systems, 200,000 examples
    python3 benches/generate.py w3c OUT.csv  # the same in 20,000 passages of 10 examples (cluster column)
    python3 benches/generate.py w3b OUT.csv  # two systems x 3 seeds on the same 200,000 examples
    python3 benches/generate.py w4 OUT.npy   # 100,000 x 768 float32 embeddings; labels in OUT_labels.txt
    python3 benches/generate.py w5 OUT.parquet  # 10 systems x 10 seeds x 100,000 examples (10^7 rows)

Smaller workloads for checking the scripts (never for timings):

    python3 benches/generate.py w1 OUT_DIR --conditions 2 --seeds 10 --metrics 5
    python3 benches/generate.py w2 OUT.csv --metrics 5 --conditions 3
    python3 benches/generate.py w3 OUT.csv --examples 1000
    python3 benches/generate.py w4 OUT.npy --rows 2000 --dims 32
    python3 benches/generate.py w5 OUT.parquet --examples 1000

W1 and W2 use Python's `random` (Mersenne Twister, stable across versions); W3 and W4
use numpy's PCG64 `Generator` (stable in practice across numpy releases); W5 is
written with pyarrow.
"""

import argparse
import json
import random
from pathlib import Path


def w1(out: Path, conditions: int = 500, seeds: int = 10, metrics: int = 50):
    rng = random.Random(1)
    names = [f"m{i:02d}" for i in range(metrics)]
    for c in range(conditions):
        base = rng.uniform(10, 90)
        for s in range(seeds):
            run = out / f"cond_{c:03d}" / f"seed_{s}"
            (run / ".hydra").mkdir(parents=True, exist_ok=True)
            results = {"test": {m: round(base + rng.gauss(0, 1), 4) for m in names}}
            (run / "results.json").write_text(json.dumps(results))
            cfg = f"seed: {s}\nmodel:\n  width: {64 + c % 7}\n  depth: 4\noptim:\n  lr: 0.001\ntrainer:\n  max_steps: 10000\n"
            (run / ".hydra" / "config.yaml").write_text(cfg)


def w2(out: Path, metrics: int = 200, conditions: int = 21, seeds: int = 10):
    rng = random.Random(2)
    lines = ["condition,seed,metric,value"]
    for c in range(conditions):
        name = "baseline" if c == 0 else f"treatment_{c:02d}"
        for m in range(metrics):
            mu = 50 + m * 0.1 + (0.3 if c % 3 == 0 else 0.0)
            for s in range(seeds):
                lines.append(f"{name},{s},metric_{m:03d},{mu + rng.gauss(0, 1):.6f}")
    out.write_text("\n".join(lines) + "\n")


def w3(out: Path, examples: int = 200_000):
    """Per-example scores of two systems on the same test examples, as a tidy long table
    (condition, seed, example, metric, value): system_a and system_b, one seed each.
    Scores are per-example 0/1 correctness, correlated between the systems (as real
    systems are: they get the same easy examples right), accuracies about 0.64 and 0.66."""
    import numpy as np

    rng = np.random.default_rng(3)
    difficulty = rng.uniform(0.0, 1.0, examples)
    a = (rng.uniform(0.0, 1.0, examples) < np.clip(1.4 * (1.0 - difficulty), 0.0, 1.0)).astype(np.int8)
    # system_b: same examples, a little better: flips some of a's errors, keeps most answers
    flip_up = (a == 0) & (rng.uniform(0.0, 1.0, examples) < 0.12)
    flip_down = (a == 1) & (rng.uniform(0.0, 1.0, examples) < 0.035)
    b = np.where(flip_up, 1, np.where(flip_down, 0, a)).astype(np.int8)
    with open(out, "w") as f:
        f.write("condition,seed,example,metric,value\n")
        for name, scores in (("system_a", a), ("system_b", b)):
            f.writelines(f"{name},0,ex{i:06d},correct,{v}\n" for i, v in enumerate(scores.tolist()))


def w3c(out: Path, examples: int = 200_000, cluster: int = 10):
    """W3 with clustered examples (questions about the same passage): a `passage` column,
    `cluster` examples a passage, difficulty shared within a passage; one seed each."""
    import numpy as np

    rng = np.random.default_rng(5)
    passages = np.arange(examples) // cluster
    shared = rng.uniform(0.0, 1.0, passages[-1] + 1)[passages]
    difficulty = np.clip(0.6 * shared + 0.4 * rng.uniform(0.0, 1.0, examples), 0.0, 1.0)
    a = (rng.uniform(0.0, 1.0, examples) < np.clip(1.4 * (1.0 - difficulty), 0.0, 1.0)).astype(np.int8)
    # system_b gains more on some passages than others: the difference is clustered too
    gain = rng.uniform(0.0, 0.24, passages[-1] + 1)[passages]
    flip_up = (a == 0) & (rng.uniform(0.0, 1.0, examples) < gain)
    flip_down = (a == 1) & (rng.uniform(0.0, 1.0, examples) < 0.035)
    b = np.where(flip_up, 1, np.where(flip_down, 0, a)).astype(np.int8)
    with open(out, "w") as f:
        f.write("condition,seed,example,passage,metric,value\n")
        for name, scores in (("system_a", a), ("system_b", b)):
            f.writelines(f"{name},0,ex{i:06d},p{g:05d},correct,{v}\n"
                         for i, (g, v) in enumerate(zip(passages.tolist(), scores.tolist())))


def w3b(out: Path, examples: int = 200_000, seeds: int = 3):
    """W3 with `seeds` seeds per system on the same examples (for the two-way interval,
    `--unit both`): each seed answers an example as its system's base answer, re-drawn
    with a seed-specific probability, so seeds differ in accuracy and per example."""
    import numpy as np

    rng = np.random.default_rng(6)
    difficulty = rng.uniform(0.0, 1.0, examples)
    p_a = np.clip(1.4 * (1.0 - difficulty), 0.0, 1.0)
    p_b = np.clip(p_a + 0.04, 0.0, 1.0)
    with open(out, "w") as f:
        f.write("condition,seed,example,metric,value\n")
        for name, p in (("system_a", p_a), ("system_b", p_b)):
            base = rng.uniform(0.0, 1.0, examples) < p
            for s in range(seeds):
                redraw = rng.uniform(0.0, 1.0, examples) < rng.uniform(0.05, 0.25)
                scores = np.where(redraw, rng.uniform(0.0, 1.0, examples) < p, base).astype(np.int8)
                f.writelines(f"{name},{s},ex{i:06d},correct,{v}\n" for i, v in enumerate(scores.tolist()))


def w4(out: Path, rows: int = 100_000, dims: int = 768, classes: int = 10):
    """Embeddings with class structure: per-class means in a low-rank subspace plus
    anisotropic noise (a decaying spectrum, like real encoders). float32, C order.
    Labels, one per line, go to OUT_labels.txt beside it (OUT without .npy)."""
    import numpy as np

    rng = np.random.default_rng(4)
    basis = rng.standard_normal((8, dims)).astype(np.float32)
    centers = (rng.standard_normal((classes, 8)) * 3.0).astype(np.float32) @ basis / np.sqrt(dims)
    scale = (1.0 / np.sqrt(1.0 + np.arange(dims) / 16.0)).astype(np.float32)
    labels = rng.integers(0, classes, rows)
    arr = np.lib.format.open_memmap(out, mode="w+", dtype=np.float32, shape=(rows, dims))
    chunk = 10_000
    for start in range(0, rows, chunk):
        stop = min(rows, start + chunk)
        noise = rng.standard_normal((stop - start, dims), dtype=np.float32) * scale
        arr[start:stop] = centers[labels[start:stop]] * 4.0 + noise
    arr.flush()
    del arr
    names = [f"class_{k}" for k in range(classes)]
    stem = out.name[: -len(".npy")] if out.name.endswith(".npy") else out.name
    labels_path = out.with_name(stem + "_labels.txt")
    labels_path.write_text("".join(names[k] + "\n" for k in labels.tolist()))


def w5(out: Path, examples: int = 100_000, systems: int = 10, seeds: int = 10):
    """DESIGN 16: per-example 0/1 scores of `systems` systems (s0 the baseline) x `seeds`
    seeds on the same `examples` test examples, 10^7 rows of Parquet as a researcher's
    pandas writes it: columns condition (string), seed (int64), example (string),
    correct (int64), one row group per system. System k is about 0.5 k points better
    than s0; its seeds re-draw a seed-specific share of its answers."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(7)
    difficulty = rng.uniform(0.0, 1.0, examples)
    ids = pa.array([f"ex{i:06d}" for i in range(examples)], pa.string())
    schema = pa.schema([("condition", pa.string()), ("seed", pa.int64()),
                        ("example", pa.string()), ("correct", pa.int64())])
    with pq.ParquetWriter(out, schema) as writer:
        for k in range(systems):
            p = np.clip(1.4 * (1.0 - difficulty) + 0.005 * k, 0.0, 1.0)
            base = rng.uniform(0.0, 1.0, examples) < p
            columns = {"condition": [], "seed": [], "example": [], "correct": []}
            for s in range(seeds):
                redraw = rng.uniform(0.0, 1.0, examples) < rng.uniform(0.05, 0.25)
                scores = np.where(redraw, rng.uniform(0.0, 1.0, examples) < p, base)
                columns["condition"].append(pa.array(np.full(examples, f"s{k}", dtype=object), pa.string()))
                columns["seed"].append(pa.array(np.full(examples, s, dtype=np.int64)))
                columns["example"].append(ids)
                columns["correct"].append(pa.array(scores.astype(np.int64)))
            writer.write_table(pa.table({c: pa.chunked_array(v) for c, v in columns.items()}, schema=schema),
                               row_group_size=examples * seeds)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("workload", choices=["w1", "w2", "w3", "w3c", "w3b", "w4", "w5"])
    p.add_argument("out", type=Path)
    p.add_argument("--conditions", type=int, help="w1: conditions (500); w2: conditions incl. baseline (21)")
    p.add_argument("--seeds", type=int, help="w1, w2: seeds per condition (10)")
    p.add_argument("--metrics", type=int, help="w1: metrics (50); w2: metrics (200)")
    p.add_argument("--examples", type=int, help="w3, w3c, w3b: test examples (200,000); w5 (100,000)")
    p.add_argument("--rows", type=int, help="w4: rows (100,000)")
    p.add_argument("--dims", type=int, help="w4: dimensions (768)")
    a = p.parse_args()
    kw = {k: v for k, v in vars(a).items() if k not in ("workload", "out") and v is not None}
    {"w1": w1, "w2": w2, "w3": w3, "w3c": w3c, "w3b": w3b, "w4": w4, "w5": w5}[a.workload](a.out, **kw)
