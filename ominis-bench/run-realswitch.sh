#!/usr/bin/env bash
# Live channels on a real FreeSWITCH 1.10.12: Ominis's /v1/channels routes against XML-RPC `show channels as json`,
# `uuid_dump` and `show channels count`, at 50 and 500 parked loopback channels, one request at a time, in one run.
#
# Usage: ominis-bench/run-realswitch.sh [--channels 50,500] [--requests 2000] [--no-build]
# With wrk on PATH (Debian package wrk) every pair is also measured by wrk -t1 -c1, and the goal is judged by it.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and FreeSWITCH from bin/freeswitch-build (run here when missing).
# Writes the table to ominis-bench/realswitch/results-<timestamp>.md; exits 1 when the list at the smallest channel
# count is not 10x faster than `show channels as json` at p50.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CHANNELS=50,500
REQUESTS=2000
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --channels) CHANNELS="$2"; shift 2 ;;
    --requests) REQUESTS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
"$ROOT/bin/freeswitch-build" >/dev/null
if [ "$BUILD" = 1 ]; then
  (cd "$ROOT" && mvn -B -q -DskipTests package -pl ominis-server,ominis-bench -am)
fi
mkdir -p "$HERE/realswitch"
OUT="$HERE/realswitch/results-$(date -u +%Y%m%dT%H%M%SZ).md"
cd "$ROOT/ominis-bench"
java -Xms512m -Xmx512m -cp "$ROOT/ominis-bench/target/ominis-bench.jar" io.ominis.bench.RealSwitchChannels \
  --server-jar "$ROOT/ominis-server/target/ominis-server.jar" --channels "$CHANNELS" --requests "$REQUESTS" --out "$OUT"
echo "written to $OUT"
