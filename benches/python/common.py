"""Helpers shared by the reference pipelines: wall clock and JSON output."""

import json
import math
import sys
import time

START = time.perf_counter()  # imported first by every script: the clock includes the imports


def clean(x):
    """JSON-safe: NaN/inf become null, numpy scalars become Python numbers."""
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def finish(name: str, out_path: str, payload: dict):
    """Write the numbers, with the script's own wall time, and print the time."""
    wall = time.perf_counter() - START
    payload = dict(payload)
    payload["wall_seconds"] = wall
    with open(out_path, "w") as f:
        json.dump(clean(payload), f)
    print(f"{name}: python wall {wall:.3f} s", file=sys.stderr)
