#!/usr/bin/env python3
"""Writes tests/fixtures/parquet_tables/: result tables as pandas and pyarrow write them.

    pip install --target /tmp/pyenv-bench pyarrow==26.0.1 pandas==3.1.1 numpy==2.4.6
    PYTHONPATH=/tmp/pyenv-bench python3 golden/fixtures_parquet_tables.py

Each table is written twice from the same pandas frame: as Parquet (pyarrow,
typed columns: int64 seeds, float64/int64/float32 scores with nulls, NaN and
inf, string ids, an extra prompt column a long table does not use) and as the
CSV pandas writes for it. tests/it/parquet_tables.rs asserts that xreport gives
the same numbers for both: the typed Parquet path and the text path of a CSV
must agree cell for cell.

- per_example.{parquet,csv}: a long table (condition, seed, example, metric,
  value, prompt) of 3 systems x 2 seeds x 40 examples, 0/1 scores as int64 with
  one null (dropped by `--missing drop`).
- wide.{parquet,csv}: a wide table (condition, seed, accuracy float64, loss
  float32, steps int64) of 2 conditions x 5 seeds, one NaN and one inf loss.
- bad_value.parquet: a wide table whose `accuracy` column holds text, "n/a"
  (missing) and "0.9x" on row 3 (an error naming row 3).
- duplicate.parquet: a long table with the seed 1 row of `b` twice (its fifth row).
- kinds.{parquet,csv}: a long per-example table as pyarrow writes it with other
  options: zstd pages, row groups of 50 rows, a dictionary (pandas category)
  condition, uint32 seeds, float64 scores with a null, and two columns a long
  table does not read, a list and a timestamp (left out of the CSV).
- timestamps.parquet: a wide table with a timestamp column, which is no metric
  (an error naming the column).
- binary.parquet: the wide table in row groups of 5 rows with a binary column
  that is UTF-8 in the first group and not in the second (an error naming it).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.parquet

OUT = Path("tests/fixtures/parquet_tables")


def both(frame: pd.DataFrame, name: str):
    frame.to_parquet(OUT / f"{name}.parquet", engine="pyarrow", index=False)
    frame.to_csv(OUT / f"{name}.csv", index=False)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(11)

    rows = []
    difficulty = rng.uniform(0, 1, 40)
    for k, system in enumerate(["base", "ours", "big"]):
        for seed in (0, 1):
            right = rng.uniform(0, 1, 40) < np.clip(1.3 * (1 - difficulty) + 0.1 * k, 0, 1)
            for i in range(40):
                rows.append((system, seed, f"q{i:03d}", "exact_match", int(right[i]), f"Question {i}?"))
    long = pd.DataFrame(rows, columns=["condition", "seed", "example", "metric", "value", "prompt"])
    long["value"] = long["value"].astype("Int64")
    long.loc[(long.condition == "big") & (long.seed == 1) & (long.example == "q007"), "value"] = pd.NA
    both(long, "per_example")

    wide = pd.DataFrame({
        "condition": ["baseline"] * 5 + ["treatment"] * 5,
        "seed": np.array([1, 2, 3, 4, 5] * 2, dtype=np.int64),
        "accuracy": np.round(rng.normal(0.8, 0.02, 10), 4),
        "loss": rng.normal(0.5, 0.05, 10).astype(np.float32),
        "steps": np.array([1000] * 10, dtype=np.int64),
    })
    wide.loc[2, "loss"] = np.nan
    wide.loc[7, "loss"] = np.inf
    both(wide, "wide")

    bad = pd.DataFrame({
        "condition": ["a", "a", "b", "b"],
        "seed": [1, 2, 1, 2],
        "accuracy": ["0.91", "n/a", "0.9x", "0.93"],
    })
    bad.to_parquet(OUT / "bad_value.parquet", engine="pyarrow", index=False)

    dup = pd.DataFrame({
        "condition": ["a", "a", "b", "b", "b"],
        "seed": [1, 2, 1, 2, 1],
        "metric": ["acc"] * 5,
        "value": [0.9, 0.91, 0.92, 0.93, 0.94],
    })
    dup.to_parquet(OUT / "duplicate.parquet", engine="pyarrow", index=False)
    kinds = long.drop(columns=["prompt"]).copy()
    kinds["condition"] = kinds["condition"].astype("category")
    kinds["seed"] = kinds["seed"].astype(np.uint32)
    kinds["value"] = kinds["value"].astype("float64")
    kinds.to_csv(OUT / "kinds.csv", index=False)
    extra = kinds.copy()
    extra["tokens"] = [[i, i + 1] for i in range(len(extra))]
    extra["logged_at"] = pd.Timestamp("2026-01-01") + pd.to_timedelta(np.arange(len(extra)), unit="s")
    pyarrow.parquet.write_table(
        pyarrow.Table.from_pandas(extra, preserve_index=False),
        OUT / "kinds.parquet",
        compression="zstd",
        row_group_size=50,
        use_dictionary=True,
    )

    stamped = wide.copy()
    stamped["logged_at"] = pd.Timestamp("2026-01-01") + pd.to_timedelta(np.arange(10), unit="h")
    stamped.to_parquet(OUT / "timestamps.parquet", engine="pyarrow", index=False)
    blob = wide.copy()
    blob["blob"] = [b"ok"] * 5 + [b"\xff\xfe"] * 5
    pyarrow.parquet.write_table(
        pyarrow.Table.from_pandas(blob, preserve_index=False), OUT / "binary.parquet", row_group_size=5
    )
    print(f"wrote {OUT} with pandas {pd.__version__}, pyarrow {pyarrow.__version__}, numpy {np.__version__}")


if __name__ == "__main__":
    main()
