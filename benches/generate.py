"""Deterministic benchmark workloads of DESIGN section 9.

    python3 benches/generate.py w1 OUT_DIR   # 500 conditions x 10 seeds, 50 metrics, Hydra config each
    python3 benches/generate.py w2 OUT.csv   # 200 metrics x 21 conditions x 10 seeds, long table
"""

import json
import random
import sys
from pathlib import Path


def w1(out: Path):
    rng = random.Random(1)
    metrics = [f"m{i:02d}" for i in range(50)]
    for c in range(500):
        base = rng.uniform(10, 90)
        for s in range(10):
            run = out / f"cond_{c:03d}" / f"seed_{s}"
            (run / ".hydra").mkdir(parents=True, exist_ok=True)
            results = {"test": {m: round(base + rng.gauss(0, 1), 4) for m in metrics}}
            (run / "results.json").write_text(json.dumps(results))
            cfg = f"seed: {s}\nmodel:\n  width: {64 + c % 7}\n  depth: 4\noptim:\n  lr: 0.001\ntrainer:\n  max_steps: 10000\n"
            (run / ".hydra" / "config.yaml").write_text(cfg)


def w2(out: Path):
    rng = random.Random(2)
    lines = ["condition,seed,metric,value"]
    for c in range(21):
        name = "baseline" if c == 0 else f"treatment_{c:02d}"
        for m in range(200):
            mu = 50 + m * 0.1 + (0.3 if c % 3 == 0 else 0.0)
            for s in range(10):
                lines.append(f"{name},{s},metric_{m:03d},{mu + rng.gauss(0, 1):.6f}")
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    {"w1": w1, "w2": w2}[sys.argv[1]](Path(sys.argv[2]))
