"""Print the results table of a benches/run.sh run and (optionally) rewrite the marked
blocks of docs/PERFORMANCE.md with it.

    python3 benches/report.py RESULTS_DIR [--write docs/PERFORMANCE.md]

RESULTS_DIR holds what run.sh wrote: machine.json, blas.json, and per workload N
wN_xreport.time.json / wN_python.time.json (benches/timeit.py), wN_check.rc and
wN_check.txt (benches/compare_outputs.py), wN_status (a one-word status when a side
did not run: xreport-failed, python-failed, unsupported).
"""

import argparse
import json
import re
import sys
from pathlib import Path

WORKLOADS = {
    "w1": "W1 summary: 5,000 run folders, 50 metrics, 10,000 resamples",
    "w2": "W2 compare: 200 metrics × 20 treatments, 10,000 resamples",
    "w3": "W3 paired bootstrap: 200,000 examples, 10,000 resamples",
    "w3c": "W3 clustered (--cluster-col): 200,000 examples in 20,000 passages, 10,000 resamples",
    "w3b": "W3 two-way (--unit both): 2 systems × 3 seeds × 200,000 examples, 10,000 resamples",
    "w4": "W4 PCA: 100,000 × 768 float32 to PNG",
    "w5": "W5 compare (Parquet): 10 systems × 10 seeds × 100,000 examples, 9 comparisons, 10,000 resamples",
}


def read_json(p: Path):
    try:
        return json.loads(p.read_text())
    except (OSError, ValueError):
        return None


def read_text(p: Path, default=""):
    try:
        return p.read_text().strip()
    except OSError:
        return default


def fmt_time(t):
    if not t or t.get("median") is None:
        return "—"
    if len(t["walls"]) == 1:
        return f"{t['median']:.2f} s (1 run)"
    return f"{t['median']:.2f} s ({t['min']:.2f}–{t['max']:.2f})"


def fmt_rss(t):
    if not t or not t.get("peak_rss_bytes"):
        return "—"
    return f"{t['peak_rss_bytes'] / 2**20:.0f} MiB"


def rows(d: Path):
    out = []
    for w, title in WORKLOADS.items():
        x = read_json(d / f"{w}_xreport.time.json")
        p = read_json(d / f"{w}_python.time.json")
        status = read_text(d / f"{w}_status")
        rc = read_text(d / f"{w}_check.rc")
        if status in ("xreport-failed", "python-failed"):
            ratio, agree = "—", status
        elif rc not in ("", "0"):
            ratio, agree = "—", f"DISAGREE (no ratio; see {w}_check.txt)"
        elif x is None or p is None:
            ratio, agree = "not yet measured", "—"
        else:
            ratio = f"{p['median'] / x['median']:.1f}×" if x and p and x["median"] else "—"
            agree = "agree"
        out.append((title, fmt_time(x), fmt_rss(x), fmt_time(p), fmt_rss(p), ratio, agree))
    return out


HEADER = ("Workload", "xreport median (min–max)", "xreport peak RSS",
          "Python median (min–max)", "Python peak RSS", "Python / xreport", "Outputs")


def markdown_table(rs):
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(["---"] * len(HEADER)) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rs]
    return "\n".join(lines)


def text_table(rs):
    widths = [max(len(str(r[i])) for r in [HEADER, *rs]) for i in range(len(HEADER))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(HEADER), line(["-" * w for w in widths]), *map(line, rs)])


def machine_block(d: Path):
    m = read_json(d / "machine.json") or {}
    blas = read_json(d / "blas.json") or []
    kernels = "; ".join(
        f"{b.get('internal_api')} {b.get('version')} ({b.get('prefix')}), "
        f"kernel {b.get('architecture')}, {b.get('num_threads')} threads"
        for b in blas if b.get("user_api") == "blas"
    ) or "—"
    fields = [
        ("Date", m.get("date", "—")),
        ("Commit", m.get("commit", "—")),
        ("CPU", m.get("cpu", "—")),
        ("nproc", m.get("nproc", "—")),
        ("Memory", m.get("memory", "—")),
        ("OS", m.get("os", "—")),
        ("xreport", m.get("xreport", "—")),
        ("rustc", m.get("rustc", "—")),
        ("Python", m.get("python", "—")),
        ("Python BLAS (threadpoolctl, as the benchmark ran it)", kernels),
        ("OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE", m.get("openblas_env", "—")),
        ("Runs per side", m.get("reps", "—")),
    ]
    return "\n".join(["| Field | Value |", "|---|---|", *[f"| {k} | {v} |" for k, v in fields]])


def replace_block(text, name, body):
    pat = re.compile(rf"(<!-- bench:{name}:begin -->\n).*?(\n<!-- bench:{name}:end -->)", re.S)
    if not pat.search(text):
        raise SystemExit(f"marker bench:{name} not found")
    return pat.sub(lambda m: m.group(1) + body + m.group(2), text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--write", help="docs/PERFORMANCE.md: rewrite its machine and results blocks")
    a = ap.parse_args()
    d = Path(a.results)
    rs = rows(d)
    tiny = read_text(d / "scale") == "tiny"
    if tiny:
        print("TINY CHECK of the scripts (small workloads, 100 resamples): not timings of W1-W5")
    print(text_table(rs))
    if a.write and tiny:
        raise SystemExit("report.py: not rewriting the docs from a --tiny run")
    if a.write:
        doc = Path(a.write)
        text = doc.read_text()
        text = replace_block(text, "machine", machine_block(d))
        text = replace_block(text, "results", markdown_table(rs))
        doc.write_text(text)
        print(f"rewrote {doc}", file=sys.stderr)


if __name__ == "__main__":
    main()
