#!/usr/bin/env bash
# Benchmarks of DESIGN section 9 (issue 10): xreport against the reference Python
# pipeline (benches/python/) on the workloads W1-W5, with the ratio reported only when
# both give the same numbers (benches/compare_outputs.py).
#
#   benches/run.sh                 # build release, generate, time 3 runs a side, rewrite docs/PERFORMANCE.md
#   benches/run.sh --reps 5        # more runs per side
#   benches/run.sh --no-build      # use the existing target/release/xreport
#   benches/run.sh --bin PATH      # time this binary (no build)
#   benches/run.sh --tiny          # check the scripts on tiny workloads: 1 run, 100 resamples, docs untouched
#                                  #   (e.g. benches/run.sh --tiny --bin target/debug/xreport)
#   benches/run.sh --keep          # keep the generated data and logs (the folder is printed)
#   benches/run.sh --no-docs       # print the table only
#   benches/run.sh --only w3,w3c   # these workloads only (w1 w2 w3 w3c w3b w4 w5); docs untouched
#
# Needs: cargo (unless --bin/--no-build), python3 with benches/python/requirements.txt,
# /usr/bin/time (GNU time, for peak RSS). About 6 minutes on 2 cores for W1-W4 with the
# release build already up to date, and about 10 more for W5 (3 runs a side: one Python
# run takes about 2.5 minutes); data in a temporary folder (about 450 MB; set
# TMPDIR to move it). Exit status: 0 when every measured workload agrees, 1 otherwise.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPS="" BUILD=1 BIN="" TINY=0 KEEP=0 DOCS=1 ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) REPS="$2"; shift ;;
    --no-build) BUILD=0 ;;
    --bin) BIN="$2"; BUILD=0; shift ;;
    --tiny) TINY=1 ;;
    --keep) KEEP=1 ;;
    --no-docs) DOCS=0 ;;
    --only) ONLY=",$2,"; DOCS=0; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$TINY" = 1 ]; then
  REPS="${REPS:-1}" DOCS=0 RESAMPLES=100
  GEN_W1=(--conditions 4 --metrics 5) GEN_W2=(--metrics 5 --conditions 4)
  GEN_W3=(--examples 2000) GEN_W4=(--rows 2000 --dims 32) GEN_W5=(--examples 2000)
else
  REPS="${REPS:-3}" RESAMPLES=10000 GEN_W1=() GEN_W2=() GEN_W3=() GEN_W4=() GEN_W5=()
fi

if [ "$BUILD" = 1 ]; then
  echo "== cargo build --release" >&2
  (cd "$ROOT" && cargo build --release --quiet) || { echo "run.sh: release build failed" >&2; exit 2; }
fi
BIN="${BIN:-$ROOT/target/release/xreport}"
[ -x "$BIN" ] || { echo "run.sh: no xreport binary at $BIN (build it, or pass --bin)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time (GNU time) is needed for peak RSS" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/xreport-bench.XXXXXX")"
DATA="$WORK/data" RES="$WORK/results"
mkdir -p "$DATA" "$RES"
[ "$TINY" = 1 ] && echo tiny > "$RES/scale"
cleanup() { if [ "$KEEP" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

PY=python3
B="$ROOT/benches"
TIMEIT=("$PY" "$B/timeit.py" --reps)

# ---- machine fields (and the BLAS kernel the Python side gets, in its environment)
if [ -n "${OPENBLAS_CORETYPE+x}${OPENBLAS_L2_SIZE+x}" ]; then
  OB_ENV="set here (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-unset}, OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE-unset}); both unset for the Python commands"
else
  OB_ENV="not set"
fi
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY" "$B/python/blas_info.py" > "$RES/blas.json" 2>>"$RES/log.txt" || echo "[]" > "$RES/blas.json"
"$PY" - "$RES/machine.json" "$BIN" "$REPS" "$OB_ENV" "$ROOT" <<'PYEOF'
import json, os, platform, subprocess, sys, datetime
out, binary, reps, ob, root = sys.argv[1:6]
def sh(*c):
    try:
        return subprocess.run(c, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return "—"
cpu = "—"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip(); break
mem = "—"
for line in open("/proc/meminfo"):
    if line.startswith("MemTotal"):
        mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"; break
import numpy, scipy
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "commit": sh("git", "-C", root, "rev-parse", "--short", "HEAD") or "—",
    "cpu": cpu, "nproc": sh("nproc"), "memory": mem,
    "os": f"{platform.system()} {platform.release()}",
    "xreport": sh(binary, "--version"), "rustc": sh("rustc", "-V") or "—",
    "python": f"{platform.python_version()}, numpy {numpy.__version__}, scipy {scipy.__version__}",
    "openblas_env": ob, "reps": reps,
}, open(out, "w"))
PYEOF

# ---- generate
echo "== generating workloads in $DATA" >&2
want() { [ -z "$ONLY" ] || [ "${ONLY/,$1,/}" != "$ONLY" ]; }
gen() {  # gen wN PATH args...: generate a workload that will be measured
  if want "$1"; then "$PY" "$B/generate.py" "$@"; fi
}
gen w1 "$DATA/W1" "${GEN_W1[@]}" &&
gen w2 "$DATA/W2.csv" "${GEN_W2[@]}" &&
gen w3 "$DATA/W3.csv" "${GEN_W3[@]}" &&
gen w3c "$DATA/W3c.csv" "${GEN_W3[@]}" &&
gen w3b "$DATA/W3b.csv" "${GEN_W3[@]}" &&
gen w4 "$DATA/W4.npy" "${GEN_W4[@]}" &&
gen w5 "$DATA/W5.parquet" "${GEN_W5[@]}" || { echo "run.sh: generation failed" >&2; exit 2; }

# ---- one workload: time 1 run a side, check agreement, then the remaining runs
ALL_OK=1
bench() {  # bench wN "xreport args..." -- python args...
  local w="$1"; shift
  want "$w" || return 0
  local xargs=() pargs=()
  while [ "$1" != "--" ]; do xargs+=("$1"); shift; done; shift
  pargs=("$@")
  echo "== $w: xreport" >&2
  if ! "${TIMEIT[@]}" 1 --out "$RES/${w}_xreport.first.json" --stdout "$RES/${w}_xreport.json" --log "$RES/${w}_xreport.log" -- "$BIN" "${xargs[@]}"; then
    echo "xreport-failed" > "$RES/${w}_status"; ALL_OK=0
    echo "   xreport failed: $(tail -n 3 "$RES/${w}_xreport.log")" >&2; return
  fi
  echo "== $w: python" >&2
  if ! "${TIMEIT[@]}" 1 --python-env --out "$RES/${w}_python.first.json" --log "$RES/${w}_python.log" -- "$PY" "${pargs[@]}"; then
    echo "python-failed" > "$RES/${w}_status"; ALL_OK=0
    echo "   python failed: $(tail -n 3 "$RES/${w}_python.log")" >&2; return
  fi
  "$PY" "$B/compare_outputs.py" "$w" "$RES/${w}_xreport.json" "$RES/${w}_pyout.json" --resamples "$RESAMPLES" > "$RES/${w}_check.txt" 2>&1
  echo $? > "$RES/${w}_check.rc"
  sed 's/^/   /' "$RES/${w}_check.txt" >&2
  if [ "$(cat "$RES/${w}_check.rc")" != 0 ]; then ALL_OK=0; return; fi
  # the remaining runs, then merge with the first
  local more=$((REPS - 1))
  for side in xreport python; do
    if [ "$more" -gt 0 ]; then
      echo "== $w: $side, $more more run(s)" >&2
      if [ "$side" = xreport ]; then
        "${TIMEIT[@]}" "$more" --out "$RES/${w}_${side}.more.json" --stdout "$RES/${w}_xreport.more.out" --log "$RES/${w}_xreport.log" -- "$BIN" "${xargs[@]}"
      else
        "${TIMEIT[@]}" "$more" --python-env --out "$RES/${w}_${side}.more.json" --log "$RES/${w}_python.log" -- "$PY" "${pargs[@]}"
      fi
    fi
    "$PY" - "$RES/${w}_${side}.first.json" "$RES/${w}_${side}.more.json" "$RES/${w}_${side}.time.json" <<'PYEOF'
import json, statistics, sys
first, more, out = sys.argv[1:4]
a = json.load(open(first))
try:
    b = json.load(open(more))
except OSError:
    b = {"walls": [], "peak_rss_bytes": None}
w = a["walls"] + b["walls"]
rss = [r for r in (a["peak_rss_bytes"], b["peak_rss_bytes"]) if r]
json.dump({"cmd": a["cmd"], "walls": w, "median": statistics.median(w), "min": min(w), "max": max(w),
           "peak_rss_bytes": max(rss) if rss else None}, open(out, "w"), indent=1)
PYEOF
  done
}

bench w1 summary "$DATA/W1" --format json --resamples "$RESAMPLES" \
  -- "$B/python/w1_summary.py" "$DATA/W1" "$RES/w1_pyout.json" --resamples "$RESAMPLES"
bench w2 compare "$DATA/W2.csv" --baseline baseline --format json --resamples "$RESAMPLES" \
  -- "$B/python/w2_compare.py" "$DATA/W2.csv" "$RES/w2_pyout.json" --resamples "$RESAMPLES"
# W4: both sides draw every point (xreport's default draws a 50,000-row subsample)
bench w4 pca "$DATA/W4.npy" --labels "$DATA/W4_labels.txt" -o "$RES/w4_xreport.png" --format json --max-points 1000000 \
  -- "$B/python/w4_pca.py" "$DATA/W4.npy" "$DATA/W4_labels.txt" "$RES/w4_python.png" "$RES/w4_pyout.json"

bench w3 compare "$DATA/W3.csv" --baseline system_a --format json --resamples "$RESAMPLES" \
  -- "$B/python/w3_paired.py" "$DATA/W3.csv" "$RES/w3_pyout.json" --resamples "$RESAMPLES"
bench w3c compare "$DATA/W3c.csv" --baseline system_a --cluster-col passage --format json --resamples "$RESAMPLES" \
  -- "$B/python/w3_clustered.py" "$DATA/W3c.csv" "$RES/w3c_pyout.json" --resamples "$RESAMPLES"
# W3b: 3 seeds a system, so xreport's default unit is both (the two-way interval)
bench w3b compare "$DATA/W3b.csv" --baseline system_a --format json --resamples "$RESAMPLES" \
  -- "$B/python/w3_two_way.py" "$DATA/W3b.csv" "$RES/w3b_pyout.json" --resamples "$RESAMPLES"
# W5 (DESIGN 16): 10 systems x 10 seeds, 10^7 per-example rows of Parquet; 9 comparisons, Holm
bench w5 compare "$DATA/W5.parquet" --baseline s0 --format json --resamples "$RESAMPLES" \
  -- "$B/python/w5_compare.py" "$DATA/W5.parquet" "$RES/w5_pyout.json" --resamples "$RESAMPLES"

echo >&2
if [ "$DOCS" = 1 ]; then
  "$PY" "$B/report.py" "$RES" --write "$ROOT/docs/PERFORMANCE.md"
else
  "$PY" "$B/report.py" "$RES"
fi
[ "$ALL_OK" = 1 ] || { echo "run.sh: some workload failed or disagreed (no ratio reported for it)" >&2; exit 1; }
