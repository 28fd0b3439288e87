"""Reference numbers for `xreport summary` on examples/speech-ssl/runs.

Walks the example tree the way DESIGN section 2 describes (seed folders,
override hashes as separate conditions, timestamped repeats not counted),
then computes the statistics with numpy and scipy.

    python3 golden/reference_summary.py   # writes golden/reference/summary_speech_ssl.json
"""

import json
import pathlib
import re
import sys

import numpy as np
import scipy
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parent.parent
RUNS = ROOT / "examples/speech-ssl/runs"
SEED = re.compile(r"^seed_(\d+)(?:_([0-9a-z]+))?(?:_(\d{8}_\d{6}))?$")


def flatten(obj, prefix=""):
    out = {}
    for key, value in obj.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(flatten(value, name))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[name] = float(value)
    return out


def main():
    groups = {}
    for results in sorted(RUNS.rglob("results.json")):
        run = results.parent
        m = SEED.match(run.name)
        if m is None or m.group(3):  # repeats are not seeds
            continue
        condition = run.parent.relative_to(RUNS).as_posix()
        if m.group(2):
            condition += "@" + m.group(2)
        for metric, value in flatten(json.loads(results.read_text())).items():
            groups.setdefault((condition, metric), []).append(value)
    out = []
    for (condition, metric), values in sorted(groups.items()):
        x = np.array(values)
        n = len(x)
        sem1 = stats.sem(x, ddof=1)
        out.append({
            "condition": condition,
            "metric": metric,
            "n": n,
            "mean": float(np.mean(x)),
            "std_ddof0": float(np.std(x, ddof=0)),
            "std_ddof1": float(np.std(x, ddof=1)),
            "sem_ddof0": float(stats.sem(x, ddof=0)),
            "sem_ddof1": float(sem1),
            "median": float(np.median(x)),
            "min": float(np.min(x)),
            "max": float(np.max(x)),
            "t_ci": [float(v) for v in stats.t.interval(0.95, n - 1, loc=np.mean(x), scale=sem1)],
        })
    doc = {
        "generator": "golden/reference_summary.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__},
        "groups": out,
    }
    path = ROOT / "golden/reference/summary_speech_ssl.json"
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {len(out)} groups to {path}")


if __name__ == "__main__":
    main()
