#!/usr/bin/env bash
# JMH micro-benchmarks of the pure steps of the hot paths (io.ominis.bench.jmh.HotPathBenchmarks): directory form
# parsing, directory and ivr.conf rendering, JSON of 50 channels. No HTTP, no database: a regression in our own code
# shows here without wrk's noise.
#
# Usage: ominis-bench/run-jmh.sh [--quick] [--no-build] [JMH options, e.g. a benchmark regex]
#   --quick     1 warm-up and 3 measured iterations of 1 s each (about 20 s): before committing hot-path changes
# Writes ominis-bench/jmh/results-<timestamp>.json (JMH's own format) and prints JMH's table.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BUILD=1
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) EXTRA+=(-wi 1 -i 3 -w 1s -r 1s); shift ;;
    --no-build) BUILD=0; shift ;;
    *) EXTRA+=("$1"); shift ;;
  esac
done
if [ "$BUILD" = 1 ]; then
  (cd "$ROOT" && mvn -B -q -DskipTests package -pl ominis-bench -am)
fi
mkdir -p "$HERE/jmh"
OUT="$HERE/jmh/results-$(date -u +%Y%m%dT%H%M%SZ).json"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
java -cp "$ROOT/ominis-bench/target/ominis-bench.jar" org.openjdk.jmh.Main \
  -rf json -rff "$OUT" "${EXTRA[@]}" 'io.ominis.bench.jmh.*'
echo "results: $OUT"
