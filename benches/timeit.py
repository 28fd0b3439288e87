"""Run a command several times; record wall time and peak RSS of each run (JSON).

    python3 benches/timeit.py --out T.json --reps 3 [--stdout FILE] [--python-env] -- CMD ARGS...

Each run goes through `/usr/bin/time -v` (peak RSS: "Maximum resident set size");
wall time is measured around it with a monotonic clock. --python-env: where the
environment sets OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE, unset both together for
this command alone (the Python side's BLAS then picks its own kernel, which
benches/python/blas_info.py records under the same environment). Exits non-zero
when a run fails (after writing what it has), so the caller can report it.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def python_env():
    env = dict(os.environ)
    if any(v in env for v in OPENBLAS_VARS):
        for v in OPENBLAS_VARS:
            env.pop(v, None)
    return env


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--stdout", help="send the command's standard output here (last run's kept)")
    p.add_argument("--log", help="append the command's standard error here")
    p.add_argument("--python-env", action="store_true")
    p.add_argument("--timeout", type=float, default=900)
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    a = p.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    env = python_env() if a.python_env else dict(os.environ)

    walls, rss, rc = [], [], 0
    for _ in range(a.reps):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            out = open(a.stdout, "wb") if a.stdout else subprocess.DEVNULL
            err = open(a.log, "ab") if a.log else subprocess.DEVNULL
            t0 = time.perf_counter()
            try:
                proc = subprocess.run(["/usr/bin/time", "-v", "-o", tf.name, *cmd],
                                      stdout=out, stderr=err, env=env, timeout=a.timeout)
                rc = proc.returncode
            except subprocess.TimeoutExpired:
                rc = 124
            wall = time.perf_counter() - t0
            for f in (out, err):
                if f is not subprocess.DEVNULL:
                    f.close()
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(tf.name).read())
        if rc != 0:
            break
        walls.append(wall)
        rss.append(int(m.group(1)) * 1024 if m else None)

    res = {
        "cmd": cmd, "returncode": rc, "walls": walls,
        "median": statistics.median(walls) if walls else None,
        "min": min(walls) if walls else None, "max": max(walls) if walls else None,
        "peak_rss_bytes": max((r for r in rss if r is not None), default=None),
        "openblas_vars_unset": bool(a.python_env and any(v in os.environ for v in OPENBLAS_VARS)),
    }
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)
    sys.exit(0 if rc == 0 else 1)


if __name__ == "__main__":
    main()
