#!/usr/bin/env bash
# Issue #19: the report page of a large study (500 conditions x 50 metrics)
# stays under 20 MB and loads in a browser in under 2 seconds. Writes the
# page, prints its size and the load time in headless chromium (median of 5),
# as recorded in docs/PERFORMANCE.md.
#   benches/report_page.sh [--bin target/release/xreport]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/xreport
[ "${1:-}" = "--bin" ] && BIN=$2
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
python3 benches/report_page.py "$DIR"
/usr/bin/time -f "report: %e s wall, %M KB peak" "$BIN" report "$DIR/large.csv" --resamples 1000 -o "$DIR/report.html"
ls -l "$DIR/report.html" | awk '{printf "page: %.1f MB\n", $5 / 1e6}'
for i in 1 2 3 4 5; do
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$DIR/profile-$i" \
    --allow-file-access-from-files --dump-dom "file://$DIR/measure.html" 2>/dev/null \
    | grep -o 'data-load-ms="[0-9]*"' | grep -o '[0-9]*'
done | sort -n | awk '{a[NR]=$1} END {printf "load in chromium: median %d ms (min %d, max %d, 5 runs)\n", a[3], a[1], a[5]}'
