"""Real lm-evaluation-harness output for the lm-eval reader (src/load/lm_eval.rs).

Runs the harness's own CLI (`python -m lm_eval run`) offline with its `dummy`
model (random log-likelihoods from Python's `random`, so each `--seed` gives
different scores; generation always answers "lol") on local tasks written
here, and keeps what it wrote byte for byte under tests/fixtures/lm_eval/.

Pinned: lm-eval==0.4.13 (pip install --target /tmp/lmeval lm-eval==0.4.13),
Python 3.11; the exact versions are recorded in tests/fixtures/lm_eval/versions.json.

    PYTHONPATH=/tmp/lmeval python3 golden/fixtures_lm_eval.py
    python3 golden/fixtures_lm_eval.py --expected-only   # rewrite expected.json only

Tasks (local JSON datasets, `dataset_path: json`, nothing from the hub):
  xr_suite   group of xr_mc_a + xr_mc_b (multiple_choice: acc, acc_norm),
             aggregate acc weighted by size
  xr_gen     generate_until, exact_match under two filters
             (strict-match, flexible-extract)
  xr_ppl     loglikelihood_rolling: word_perplexity, byte_perplexity,
             bits_per_byte (lower is better; the harness gives no stderr for
             them and writes "N/A"; per sample each is a [loglikelihood, length]
             pair, not a score)

Layout: the output path is `<fixtures>/<seed folder>`; the harness itself adds
the model folder, named from `--model_args pretrained=<name>` (the dummy model
ignores its arguments, so this only names the folder and `model_name`, and
base-model and tuned-model score the same under the same seed: the pair tests
layout and pairing, not a difference):
  seed_<n>/<model>/results_<timestamp>.json
  seed_<n>/<model>/samples_<task>_<timestamp>.jsonl
for models base-model and tuned-model and seeds 1, 2, 3, and
default_seed/base-model/ run twice with no --seed (0,1234,1234,1234), the
second time without --log_samples: two results files in one model folder, the
second a repeat of the first (same scores, later timestamp).

expected.json holds what Python's json module reads back: per results file
the seed fields, each results/groups `<task>.<metric>,<filter>` value and
stderr, higher_is_better; per samples file its line count and, for the first
two lines of each filter, doc_id, filter, `metrics` and their values.

Found in 0.4.13 output: groups are written twice, under `groups` and again
under `results`; task entries carry non-score keys (`alias`, `name`,
`sample_len`, and for groups a `sample_count` object); `config` has
`random_seed`, `numpy_seed`, `torch_seed`, `fewshot_seed` (no `seed`); a
generate task logs each doc once per filter.
"""

import importlib.metadata
import json
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests/fixtures/lm_eval"
MODELS = ["base-model", "tuned-model"]
SEEDS = [1, 2, 3]

MC_A = [
    {"question": f"{a} + {b} =", "choices": [str(a + b - 1), str(a + b), str(a + b + 1)], "label": 1}
    for a, b in [(1, 1), (2, 3), (4, 4), (5, 2), (3, 6), (7, 1)]
]
MC_B = [
    {"question": f"Capital of {c}?", "choices": choices, "label": label}
    for c, choices, label in [
        ("France", ["Paris", "Rome"], 0),
        ("Italy", ["Paris", "Rome"], 1),
        ("Spain", ["Madrid", "Lisbon"], 0),
        ("Portugal", ["Madrid", "Lisbon"], 1),
        ("Japan", ["Tokyo", "Seoul", "Beijing"], 0),
        ("Korea", ["Tokyo", "Seoul", "Beijing"], 1),
    ]
]
GEN = [
    {"question": q, "answer": a}
    for q, a in [
        ("Say lol.", "lol"),
        ("What is 6 times 7?", "42"),
        ("Laugh in three letters.", "lol"),
        ("Name a colour.", "red"),
    ]
]
PPL = [
    {"text": t}
    for t in [
        "The cat sat on the mat.",
        "Seeds matter more than you think.",
        "A small corpus of short lines.",
        "Perplexity is lower when the model is surprised less.",
    ]
]

MC_METRICS = """metric_list:
  - metric: acc
    aggregation: mean
    higher_is_better: true
  - metric: acc_norm
    aggregation: mean
    higher_is_better: true
"""


def dataset(name, data_dir):
    return f"""dataset_path: json
dataset_kwargs:
  data_files:
    test: {data_dir / (name + '.jsonl')}
test_split: test
"""


def write_tasks(task_dir, data_dir):
    for name, docs in [("mc_a", MC_A), ("mc_b", MC_B), ("gen", GEN), ("ppl", PPL)]:
        with open(data_dir / f"{name}.jsonl", "w") as f:
            for doc in docs:
                f.write(json.dumps(doc) + "\n")
    mc = """output_type: multiple_choice
doc_to_text: "{{question}}"
doc_to_choice: "{{choices}}"
doc_to_target: label
"""
    for task, data in [("xr_mc_a", "mc_a"), ("xr_mc_b", "mc_b")]:
        (task_dir / f"{task}.yaml").write_text(
            f"task: {task}\n" + dataset(data, data_dir) + mc + MC_METRICS + "metadata:\n  version: 1.0\n"
        )
    (task_dir / "xr_suite.yaml").write_text(
        """group: xr_suite
task:
  - xr_mc_a
  - xr_mc_b
aggregate_metric_list:
  - metric: acc
    aggregation: mean
    weight_by_size: true
metadata:
  version: 1.0
"""
    )
    (task_dir / "xr_gen.yaml").write_text(
        "task: xr_gen\n"
        + dataset("gen", data_dir)
        + r"""output_type: generate_until
doc_to_text: "Q: {{question}}\nA:"
doc_to_target: answer
generation_kwargs:
  until:
    - "\n"
  do_sample: false
metric_list:
  - metric: exact_match
    aggregation: mean
    higher_is_better: true
filter_list:
  - name: strict-match
    filter:
      - function: regex
        regex_pattern: "The answer is (\\w+)"
      - function: take_first
  - name: flexible-extract
    filter:
      - function: regex
        group_select: -1
        regex_pattern: "(\\w+)"
      - function: take_first
metadata:
  version: 2.0
"""
    )
    (task_dir / "xr_ppl.yaml").write_text(
        "task: xr_ppl\n"
        + dataset("ppl", data_dir)
        + """output_type: loglikelihood_rolling
doc_to_text: ""
doc_to_target: "{{text}}"
metric_list:
  - metric: word_perplexity
  - metric: byte_perplexity
  - metric: bits_per_byte
metadata:
  version: 1.0
"""
    )


def run(task_dir, output, model, seed, log_samples=True):
    args = [
        sys.executable, "-m", "lm_eval", "run",
        "--model", "dummy",
        "--model_args", f"pretrained={model}",
        "--tasks", "xr_suite", "xr_gen", "xr_ppl",
        "--include_path", str(task_dir),
        "--output_path", str(output),
    ]
    if log_samples:
        args.append("--log_samples")
    if seed is not None:
        args += ["--seed", str(seed)]
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    subprocess.run(args, check=True, env=env, cwd=output.parent)
    # Timestamps are to the microsecond, but keep two runs apart by a full second
    # so their file names differ visibly.
    time.sleep(1.1)


def expected_results(path):
    data = json.loads(path.read_text())
    config = data["config"]
    out = {
        "seeds": {k: config.get(k) for k in ["random_seed", "numpy_seed", "torch_seed", "fewshot_seed"]},
        "model_name": data.get("model_name"),
        "config_model": config.get("model"),
        "higher_is_better": data["higher_is_better"],
        "values": {},
    }
    for section in ["results", "groups"]:
        for task, metrics in data.get(section, {}).items():
            for key, value in metrics.items():
                # Only `<metric>,<filter>` keys are scores; `alias`, `name`,
                # `sample_len`, `sample_count` are not.
                if "," not in key or "_stderr," in key:
                    continue
                metric, filt = key.split(",", 1)
                out["values"][f"{section}.{task}.{key}"] = {
                    "value": value,
                    "stderr": metrics.get(f"{metric}_stderr,{filt}"),
                }
    return out


def expected_samples(path, first=2):
    """The first lines per filter (a task with two filters logs each doc twice)."""
    lines = []
    per_filter = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            sample = json.loads(line)
            seen = per_filter.setdefault(sample["filter"], 0)
            if seen < first:
                per_filter[sample["filter"]] = seen + 1
                lines.append({
                    "line": number,
                    "doc_id": sample["doc_id"],
                    "filter": sample["filter"],
                    "metrics": sample["metrics"],
                    "values": {m: sample[m] for m in sample["metrics"]},
                })
    return {"lines": number, "first": lines}


def write_expected():
    """One line per file, so a diff shows which file changed."""
    expected = {"results": {}, "samples": {}}
    for path in sorted(OUT.rglob("*.json*")):
        rel = path.relative_to(OUT).as_posix()
        if path.name.startswith("results_"):
            expected["results"][rel] = expected_results(path)
        elif path.name.startswith("samples_"):
            expected["samples"][rel] = expected_samples(path)
    lines = []
    for section, files in expected.items():
        body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in files.items())
        lines.append(f" {json.dumps(section)}: {{\n{body}\n }}")
    (OUT / "expected.json").write_text("{\n" + ",\n".join(lines) + "\n}\n")


def main():
    if "--expected-only" in sys.argv:
        write_expected()
        return
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="xreport_lm_eval_") as tmp:
        tmp = pathlib.Path(tmp)
        task_dir, data_dir = tmp / "tasks", tmp / "data"
        task_dir.mkdir()
        data_dir.mkdir()
        write_tasks(task_dir, data_dir)
        for seed in SEEDS:
            for model in MODELS:
                run(task_dir, OUT / f"seed_{seed}", model, seed)
        run(task_dir, OUT / "default_seed", "base-model", None)
        run(task_dir, OUT / "default_seed", "base-model", None, log_samples=False)

    write_expected()

    versions = {
        "python": platform.python_version(),
        **{p: importlib.metadata.version(p) for p in ["lm-eval", "datasets", "numpy", "evaluate"]},
        "command": "python -m lm_eval run --model dummy --model_args pretrained=<model> "
        "--tasks xr_suite xr_gen xr_ppl --include_path <tasks> "
        "--output_path tests/fixtures/lm_eval/<seed folder> --log_samples [--seed N]",
    }
    (OUT / "versions.json").write_text(json.dumps(versions, indent=1) + "\n")


if __name__ == "__main__":
    main()
