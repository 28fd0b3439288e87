"""Hydra run trees written by the real Hydra, for xreport's reader tests.

Runs the fake job golden/hydra_app/train.py with hydra-core 1.3.2
(omegaconf 2.3.1, antlr4-python3-runtime 4.9.3) and writes tests/fixtures/hydra/:

  multirun/2026-12-01/20-30-01/              -m model=baseline,treatment seed=1,2,3 (jobs 0..5)
  two_keys/multirun/2026-12-01/20-31-02/     -m model=... optim.lr=0.001,0.01 seed=1,2,3 (0..11)
  subdir/multirun/2026-12-01/20-32-03/       hydra.sweep.subdir=${hydra.job.override_dirname}
  no_hydra_dir/multirun/2026-12-01/20-33-04/ hydra.output_subdir=null (no .hydra/ in jobs)
  repeat/multirun/2026-12-01/20-34-05/       -m model=baseline,treatment seed=1,1,2,3 (0..7)
  nested_seed/multirun/2026-12-01/20-35-06/  --config-name config_nested, training.seed=1,2,3
  single_run/outputs/2026-12-01/20-40-0N/    plain runs seed=N (N = 1, 2, 3), hydra.run.dir fixed
  default_group/outputs/2026-12-01/20-5M-0N/ plain runs: seed=N with the default model (no
                                             model override, M = 0) and model=treatment seed=N (M = 1)

Each case runs with its own folder as the working directory, so the sweep and
run dirs are the relative paths Hydra's defaults would give (`multirun/<date>/<time>`,
`outputs/<date>/<time>`), only with a fixed date and time. Everything Hydra writes
is kept (`.hydra/`, `multirun.yaml`, `train.log`); a `train.log` is removed only
if empty. `.hydra/hydra.yaml` holds absolute paths of the machine that ran this
(runtime.cwd, runtime.output_dir, config_sources): they are Hydra's, left as written.

Also writes tests/fixtures/hydra/expected.json ({case: [job, ...]}, each job
{path, overrides, seed, model, lr, test.acc, test.loss}, taken from the line the
job printed, checked against its results.json) and versions.json.

    pip install --target /tmp/hydra13 hydra-core==1.3.2
    PYTHONPATH=/tmp/hydra13 python3 golden/fixtures_hydra.py            # every case
    PYTHONPATH=/tmp/hydra13 python3 golden/fixtures_hydra.py CASE...    # only these (expected.json keeps the rest)
"""

import importlib.metadata
import json
import os
import pathlib
import platform
import shutil
import subprocess
import sys

import hydra
import omegaconf

ROOT = pathlib.Path(__file__).resolve().parent.parent
APP = ROOT / "golden/hydra_app/train.py"
OUT = ROOT / "tests/fixtures/hydra"
DATE = "2026-12-01"
MB = "model=baseline,treatment"

# (case, working dir below OUT, list of runs: (args, output folder below the working dir))
CASES = [
    ("multirun", "", [(["-m", MB, "seed=1,2,3"], f"multirun/{DATE}/20-30-01")]),
    ("two_keys", "two_keys", [(["-m", MB, "optim.lr=0.001,0.01", "seed=1,2,3"], f"multirun/{DATE}/20-31-02")]),
    ("subdir", "subdir", [(["-m", MB, "seed=1,2,3", "hydra.sweep.subdir=${hydra.job.override_dirname}"],
                           f"multirun/{DATE}/20-32-03")]),
    ("no_hydra_dir", "no_hydra_dir", [(["-m", MB, "seed=1,2,3", "hydra.output_subdir=null"],
                                       f"multirun/{DATE}/20-33-04")]),
    ("repeat", "repeat", [(["-m", MB, "seed=1,1,2,3"], f"multirun/{DATE}/20-34-05")]),
    ("nested_seed", "nested_seed", [(["--config-name", "config_nested", "-m", MB, "training.seed=1,2,3"],
                                     f"multirun/{DATE}/20-35-06")]),
    ("single_run", "single_run", [([f"seed={n}"], f"outputs/{DATE}/20-40-0{n}") for n in (1, 2, 3)]),
    ("default_group", "default_group",
     [([f"seed={n}"], f"outputs/{DATE}/20-50-0{n}") for n in (1, 2, 3)]
     + [(["model=treatment", f"seed={n}"], f"outputs/{DATE}/20-51-0{n}") for n in (1, 2, 3)]),
]


def run(case, workdir, args, out_rel):
    cwd = OUT / workdir if workdir else OUT
    cwd.mkdir(parents=True, exist_ok=True)
    key = "hydra.sweep.dir" if "-m" in args else "hydra.run.dir"
    cmd = [sys.executable, str(APP), *args, f"{key}={out_rel}"]
    env = dict(os.environ, HYDRA_FULL_ERROR="1")
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{case}: {' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    jobs = []
    for line in proc.stdout.splitlines():
        if not line.startswith("XREPORT_JOB "):
            continue
        rec = json.loads(line[len("XREPORT_JOB "):])
        job_dir = pathlib.Path(rec.pop("output_dir"))
        got = json.loads((job_dir / "results.json").read_text())["test"]
        assert got == {"acc": rec["test.acc"], "loss": rec["test.loss"]}, (job_dir, got, rec)
        has_hydra = (job_dir / ".hydra").is_dir()
        assert has_hydra == (case != "no_hydra_dir"), job_dir
        if has_hydra:
            ov = omegaconf.OmegaConf.load(job_dir / ".hydra/overrides.yaml")
            assert list(ov) == rec["overrides"], (job_dir, ov, rec["overrides"])
        log = job_dir / "train.log"
        if log.exists() and log.stat().st_size == 0:
            log.unlink()
        jobs.append({"path": job_dir.relative_to(OUT).as_posix(), **rec})
    return jobs


def main():
    assert hydra.__version__ == "1.3.2", hydra.__version__
    OUT.mkdir(parents=True, exist_ok=True)
    only = set(sys.argv[1:])
    expected_path = OUT / "expected.json"
    expected = json.loads(expected_path.read_text()) if only and expected_path.exists() else {}
    for case, workdir, runs in CASES:
        if only and case not in only:
            continue
        for _, out_rel in runs:
            target = (OUT / workdir / out_rel) if workdir else (OUT / out_rel)
            shutil.rmtree(target, ignore_errors=True)
        jobs = []
        for args, out_rel in runs:
            jobs += run(case, workdir, args, out_rel)
        expected[case] = jobs
        print(f"{case}: {len(jobs)} jobs", file=sys.stderr)
    expected_path.write_text(json.dumps(expected, indent=2) + "\n")
    versions = {
        "hydra-core": hydra.__version__,
        "omegaconf": omegaconf.__version__,
        "antlr4-python3-runtime": importlib.metadata.version("antlr4-python3-runtime"),
        "python": platform.python_version(),
    }
    (OUT / "versions.json").write_text(json.dumps(versions, indent=2) + "\n")


if __name__ == "__main__":
    main()
