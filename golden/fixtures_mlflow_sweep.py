"""An MLflow file store where a whole sweep was logged into one experiment
(the Default one, as `mlflow.start_run()` without `set_experiment` does):
conditions come from the params that differ between its runs.

    pip install --target /tmp/mlfenv mlflow-skinny==3.17.2
    MLFLOW_ALLOW_FILE_STORE=true PYTHONPATH=/tmp/mlfenv python3 golden/fixtures_mlflow_sweep.py

Writes tests/fixtures/mlflow_sweep/mlruns (params model and seed, metric
test/acc exact in float32 and decimal) and expected.json {model: {seed: acc}}.
Run ids are random; the reference keys values by model and seed.
"""

import json
import pathlib
import shutil

import mlflow

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests/fixtures/mlflow_sweep"


def main():
    store = OUT / "mlruns"
    shutil.rmtree(store, ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(store.as_uri())
    expected = {}
    for model, base in [("baseline", 48), ("treatment", 52)]:
        for seed in (1, 2, 3):
            acc = (base + seed % 3) / 64
            with mlflow.start_run():
                mlflow.log_params({"model": model, "seed": seed, "lr": 0.001})
                for step in range(3):
                    mlflow.log_metric("train/loss", (40 - step) / 64, step=step)
                mlflow.log_metric("test/acc", acc)
            expected.setdefault(model, {})[str(seed)] = acc
    (OUT / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
    (OUT / "versions.json").write_text(json.dumps({"mlflow-skinny": mlflow.__version__}, indent=2) + "\n")


if __name__ == "__main__":
    main()
