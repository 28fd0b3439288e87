#!/usr/bin/env python3
"""The large study of issue #19 for `xreport report`: 500 conditions x 50 metrics
(5 seeds each) as one wide CSV, and a wrapper page that measures how long the
report takes to load in a browser (the iframe's load event, after parsing and
the first layout), for `benches/report_page.sh`. Standard library only,
deterministic (seeded)."""

import random
import sys
from pathlib import Path


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(19)
    metrics = [f"m{j:02d}" for j in range(50)]
    lines = ["condition,seed," + ",".join(metrics)]
    for i in range(500):
        name = "baseline" if i == 0 else f"method_{i:03d}"
        shift = [rng.gauss(0.0, 0.5) for _ in metrics]
        for seed in range(5):
            values = [f"{70.0 + s + rng.gauss(0.0, 0.4):.4f}" for s in shift]
            lines.append(f"{name},{seed}," + ",".join(values))
    (out / "large.csv").write_text("\n".join(lines) + "\n")
    (out / "measure.html").write_text(
        "<!DOCTYPE html><html><body><script>const t0 = performance.now();</script>"
        '<iframe src="report.html" style="width:1280px;height:2000px" '
        "onload=\"document.body.setAttribute('data-load-ms', String(Math.round(performance.now() - t0)))\">"
        "</iframe></body></html>\n"
    )


if __name__ == "__main__":
    main()
