#!/usr/bin/env python3
"""Weights & Biases run folders written by the real `wandb`, for xreport's tests.

Pinned versions (also written to tests/fixtures/wandb/versions.json):

- wandb 0.17.9: the last release line whose default internal process is the
  Python one (`wandb/sdk/internal/`), which writes the `.wandb` log through
  `datastore.py`.
- wandb 0.31.0: the Go `wandb-core` service writes everything.

Install each into its own folder (PyPI, no account needed), then run:

    pip install --target /tmp/wandb017 wandb==0.17.9
    pip install --target /tmp/wandb031 wandb==0.31.0
    python3 golden/fixtures_wandb.py /tmp/wandb017 /tmp/wandb031

The study: 2 conditions (config `model: baseline` / `model: treatment`, plus a
constant `optim: {lr: 0.001}`) x 3 seeds (config `seed: 1, 2, 3`). Each run
logs `train/loss` at steps 0..4 with `wandb.log`, then `eval/accuracy` with a
final `wandb.log` (so it is in the history at step 5 and in the summary) and
`eval/loss` through `run.summary[...]` only (a summary update, not history).
Run `treat003` also sets a 72,000-character summary string `notes` (see
LONG_RUN), so that a real log splits a record across blocks.
Every logged value is a multiple of 1/64, exact in float32 and in decimal.
Runs are OFFLINE (`WANDB_MODE=offline`, `WANDB_SILENT=true`, `WANDB_DIR`
pointing at the output) with fixed ids (`wandb.init(id=...)`), from an empty
working folder (so no git state is recorded). The folder names still carry the
time of the run (`offline-run-<date>_<time>-<id>`), so a rerun renames them.

Each version's folders are kept exactly as wandb wrote them, except that any
file over 200 KB is deleted (the script prints each one; none so far), and
dangling symlinks are deleted (0.31's `logs/debug-core.log` points into
`WANDB_CACHE_DIR`, a temporary folder here). Empty
folders (`tmp/code/`) are not kept by git.

What each version writes offline (as found with these pins; every run):

- 0.17.9: `wandb/offline-run-<date>_<time>-<id>/` holding `run-<id>.wandb`,
  `files/wandb-metadata.json`, `files/wandb-summary.json`, `logs/debug.log`,
  `logs/debug-internal.log`, `tmp/code/`. No `files/config.yaml`, no
  `files/output.log`, no `requirements.txt`. The summary file is a
  placeholder, `{"_wandb": {"runtime": 0}}`: the logged numbers are only in the
  log. The log's config is in the `run` record; history records carry the step
  as a `_step` item (`step.num` is left 0).
- 0.31.0 (wandb-core): the same folder holding `run-<id>.wandb`,
  `files/requirements.txt` only, `logs/debug.log`, `logs/debug-internal.log`,
  `logs/debug-core.log` (a symlink into the cache, dropped), `tmp/code/`. No
  config, summary or metadata file: everything is in the log (metadata as
  `environment` records). History
  and summary items name their key in `nested_key` (`["train/loss"]`,
  `["_wandb", "runtime"]`) with `key` empty, and `step.num` is set.

Both versions frame the log the same way (`datastore.py`: `:W&B`, magic
0xBEE1, version 0; 32 KiB blocks; CRC-32 (IEEE) of the chunk type byte and
data) and leave `latest-run`, `debug.log` and `debug-internal.log` symlinks in
`wandb/`.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests/fixtures/wandb"
VERSIONS = {"v0_17": "0.17.9", "v0_31": "0.31.0"}
MAX_BYTES = 200_000
SEEDS = [1, 2, 3]
MODELS = ["baseline", "treatment"]
STEPS = range(5)
# One run gets a summary string longer than two 32 KiB blocks, so that its log
# holds a record split into FIRST, MIDDLE and LAST chunks.
LONG_RUN = ("treatment", 3)
LONG_NOTE = "".join(f"{i:05d} " for i in range(12_000))


def run_id(model, seed):
    """Fixed 8-character ids, like W&B's own (`basel001`, `treat002`)."""
    return f"{model[:5]}{seed:03d}"


def values(model, seed):
    """The numbers one run logs, all multiples of 1/64."""
    shift = 0 if model == "baseline" else 4
    return {
        "train/loss": [[step, (64 - 8 * step - shift + seed) / 64] for step in STEPS],
        "eval/accuracy": (48 + shift + seed) / 64,
        "eval/loss": (40 - shift - seed) / 64,
    }


def child():
    """Runs inside the interpreter whose `wandb` is the version under test."""
    import wandb

    for model in MODELS:
        for seed in SEEDS:
            v = values(model, seed)
            run = wandb.init(
                project="xreport-fixtures",
                id=run_id(model, seed),
                config={"model": model, "seed": seed, "optim": {"lr": 0.001}},
            )
            for step, loss in v["train/loss"]:
                wandb.log({"train/loss": loss}, step=step)
            wandb.log({"eval/accuracy": v["eval/accuracy"]}, step=len(STEPS))
            run.summary["eval/loss"] = v["eval/loss"]
            if (model, seed) == LONG_RUN:
                run.summary["notes"] = LONG_NOTE
            run.finish()
    print(wandb.__version__)


def write_version(name, version, site):
    dest = OUT / name
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    env = dict(os.environ)
    env.pop("WANDB_API_KEY", None)
    with tempfile.TemporaryDirectory() as cwd, tempfile.TemporaryDirectory() as home:
        env.update(
            PYTHONPATH=site,
            WANDB_MODE="offline",
            WANDB_SILENT="true",
            WANDB_DIR=str(dest),
            WANDB_CONFIG_DIR=f"{home}/config",
            WANDB_CACHE_DIR=f"{home}/cache",
            WANDB_DATA_DIR=f"{home}/data",
        )
        done = subprocess.run(
            [sys.executable, str(pathlib.Path(__file__).resolve()), "--child"],
            env=env,
            cwd=cwd,
            check=True,
            capture_output=True,
            text=True,
        )
    got = done.stdout.strip().splitlines()[-1]
    if got != version:
        sys.exit(f"{site} holds wandb {got}, expected {version}")
    for path in sorted(dest.rglob("*")):
        if path.is_symlink() and not path.exists():
            print(f"deleted {path.relative_to(ROOT)} (dangling symlink)")
            path.unlink()
        elif path.is_file() and not path.is_symlink() and path.stat().st_size > MAX_BYTES:
            print(f"deleted {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
            path.unlink()
    for run in sorted((dest / "wandb").glob("*run-*")):
        print(name, run.name, sorted(str(p.relative_to(run)) for p in run.rglob("*")))


def main(sites):
    if len(sites) != len(VERSIONS):
        sys.exit(__doc__)
    for (name, version), site in zip(VERSIONS.items(), sites):
        write_version(name, version, site)
    expected = {
        name: {
            run_id(model, seed): {
                "seed": seed,
                "model": model,
                **values(model, seed),
                **({"notes_chars": len(LONG_NOTE)} if (model, seed) == LONG_RUN else {}),
            }
            for model in MODELS
            for seed in SEEDS
        }
        for name in VERSIONS
    }
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    (OUT / "versions.json").write_text(
        json.dumps({"wandb": VERSIONS, "python": sys.version.split()[0]}, indent=1) + "\n"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        child()
    else:
        main(sys.argv[1:])
