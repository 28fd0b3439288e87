#!/usr/bin/env python3
"""Write the example result tables of examples/tables/ (one data set, four files).

Plain Python 3 (>= 3.10) standard library; deterministic. 3 conditions x 5 seeds x
2 metrics. Each condition's values are seeded normal draws standardised so that
the per-condition sample mean and sample std (ddof = 1) equal the TRUE table
exactly, before rounding to 2 decimals. No missing values.

Files:  long.csv, long.tsv, long.jsonl  (condition, seed, metric, value)
        wide.csv                        (condition, seed, test.wer, test.cer)

Usage:  python3 examples/tables/generate.py
"""

import csv
import hashlib
import io
import json
import math
import random
import statistics
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = [1, 2, 3, 4, 5]
METRICS = ["test.wer", "test.cer"]

# condition -> metric -> (mean, std): the numbers the values are generated from.
TRUE = {
    "hubert": {"test.wer": (20.10, 0.40), "test.cer": (6.23, 0.13)},
    "wavlm": {"test.wer": (19.40, 0.35), "test.cer": (6.01, 0.12)},
    "ours": {"test.wer": (18.70, 0.30), "test.cer": (5.80, 0.10)},
}


def stream(*parts):
    digest = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def normals(rng, n):
    """Box-Muller on rng.random(): stable across Python versions."""
    out = []
    while len(out) < n:
        r = math.sqrt(-2.0 * math.log(1.0 - rng.random()))
        u = rng.random()
        out += [r * math.cos(2.0 * math.pi * u), r * math.sin(2.0 * math.pi * u)]
    return out[:n]


def standardise(z):
    m, s = statistics.fmean(z), statistics.stdev(z)
    return [(x - m) / s for x in z]


def condition_values(condition):
    """{metric: [value per seed]}, redrawn (deterministically) on rounded ties."""
    for attempt in range(100):
        rng = stream("tables", condition, attempt)
        z_wer = standardise(normals(rng, len(SEEDS)))
        z_cer = standardise([0.8 * a + 0.6 * b
                             for a, b in zip(z_wer, normals(rng, len(SEEDS)))])
        out = {}
        for metric, z in zip(METRICS, (z_wer, z_cer)):
            mean, std = TRUE[condition][metric]
            out[metric] = [round(mean + std * x, 2) for x in z]
        if all(len(set(v)) == len(SEEDS) for v in out.values()):
            return out
    raise AssertionError(f"no tie-free draw for {condition}")


def long_rows(values):
    return [
        {"condition": c, "seed": seed, "metric": m, "value": values[c][m][i]}
        for c in TRUE
        for i, seed in enumerate(SEEDS)
        for m in METRICS
    ]


def write_delimited(path, header, rows, delimiter):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="\n")


def read_long(path, delimiter):
    with path.open(encoding="utf-8", newline="") as f:
        return [
            {"condition": r["condition"], "seed": int(r["seed"]),
             "metric": r["metric"], "value": float(r["value"])}
            for r in csv.DictReader(f, delimiter=delimiter)
        ]


def main():
    values = {c: condition_values(c) for c in TRUE}
    rows = long_rows(values)
    header = ["condition", "seed", "metric", "value"]
    as_cells = [[r["condition"], r["seed"], r["metric"], f"{r['value']:.2f}"]
                for r in rows]
    write_delimited(HERE / "long.csv", header, as_cells, ",")
    write_delimited(HERE / "long.tsv", header, as_cells, "\t")
    jsonl = "".join(json.dumps(r) + "\n" for r in rows)
    (HERE / "long.jsonl").write_text(jsonl, encoding="utf-8", newline="\n")
    wide = [[c, seed] + [f"{values[c][m][i]:.2f}" for m in METRICS]
            for c in TRUE for i, seed in enumerate(SEEDS)]
    write_delimited(HERE / "wide.csv", ["condition", "seed"] + METRICS, wide, ",")

    # Parse everything back: the four files hold the same numbers.
    assert read_long(HERE / "long.csv", ",") == rows
    assert read_long(HERE / "long.tsv", "\t") == rows
    lines = (HERE / "long.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(ln) for ln in lines] == rows
    with (HERE / "wide.csv").open(encoding="utf-8", newline="") as f:
        back = [{"condition": r["condition"], "seed": int(r["seed"]),
                 "metric": m, "value": float(r[m])}
                for r in csv.DictReader(f) for m in METRICS]
    assert back == rows

    print("condition | metric | true mean ± std | realised mean ± std (ddof=1)")
    for c in TRUE:
        for m in METRICS:
            xs = values[c][m]
            print(f"{c} | {m} | {TRUE[c][m][0]:.2f} ± {TRUE[c][m][1]:.2f} | "
                  f"{statistics.fmean(xs):.3f} ± {statistics.stdev(xs):.3f}")


if __name__ == "__main__":
    main()
