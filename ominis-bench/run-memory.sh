#!/usr/bin/env bash
# Memory of the directory cache: the server's heap and resident size before and after every one of N extensions has
# been asked for once (so that each is cached), and the bytes each cached user costs.
#
# Usage: ominis-bench/run-memory.sh [--users N] [--no-build]     (default 1,000,000 users)
# Environment: PGHOST/PGPORT/PGUSER (default 127.0.0.1, 5432, postgres), BENCH_DB (default ominis_bench_memory),
#   JAVA_OPTS (default -Xms2g -Xmx2g).
# Bytes per user = (live heap after a full GC with N users cached - the same before any was asked) / N: live objects
# only, what the cache keeps reachable. Also checks the GC log of the whole sweep for full collections.
# Writes ominis-bench/results/memory-<timestamp>.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
USERS=1000000
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --users) USERS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in java wrk psql jcmd curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
DB="${BENCH_DB:-ominis_bench_memory}"
DSN="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB"
JAVA_OPTS="${JAVA_OPTS:--Xms2g -Xmx2g}"
FIRST=100000
DOMAIN=10.42.0.7
PORT=8111
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
WORK="$(mktemp -d /tmp/ominis-memory.XXXXXX)"
SERVER_JAR="$ROOT/ominis-server/target/ominis-server.jar"
PID=""
# shellcheck source=wrk/sweep.sh
. "$HERE/wrk/sweep.sh"
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null || true' EXIT

if [ "$BUILD" = 1 ] || [ ! -f "$SERVER_JAR" ]; then
  (cd "$ROOT" && mvn -B -q -DskipTests package -pl ominis-server -am)
fi
cp "$SERVER_JAR" "$WORK/ominis-server.jar" && SERVER_JAR="$WORK/ominis-server.jar"

echo "== database $DB: migrate, seed $USERS extensions" >&2
psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 || psql -d postgres -qc "CREATE DATABASE $DB"
DB_DSN="$DSN" java -jar "$SERVER_JAR" migrate > "$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }
psql -d "$DB" -q -v first="$FIRST" -v users="$USERS" -f "$HERE/seed-extensions.sql"

# shellcheck disable=SC2086
env DB_DSN="$DSN" OMINIS_MIGRATE_ON_START=false OMINIS_BIND=127.0.0.1 OMINIS_LOG_LEVEL=WARN PORT=$PORT \
  OMINIS_DIRECTORY_CACHE=true OMINIS_DIRECTORY_CACHE_SIZE=$((USERS + USERS / 10)) \
  java $JAVA_OPTS -Xlog:gc:file="$WORK/gc.log" -jar "$SERVER_JAR" serve > "$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/health/live" && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.5
done

# Live heap after a full collection, in bytes, and the resident set size, in bytes.
live_heap() {
  jcmd "$PID" GC.run > /dev/null
  sleep 1
  jcmd "$PID" GC.heap_info | awk '/garbage-first heap|def new generation|PSYoungGen|total/ && /used/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v * 1024; exit } }'
}
rss() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$PID/status"; }

# One request through the whole path first, so that classes and pools are loaded before the baseline.
BENCH_FIRST=$FIRST BENCH_USERS=100 BENCH_DOMAIN=$DOMAIN \
  sweep 1 30 "http://127.0.0.1:$PORT/v1/freeswitch/directory" /dev/null -c4
heap0=$(live_heap); rss0=$(rss)
fulls0=$(grep -c "Pause Full" "$WORK/gc.log" || true)

echo "== sweep: every one of $USERS users once" >&2
sweep_started=$(date +%s)
BENCH_FIRST=$FIRST BENCH_USERS=$USERS BENCH_DOMAIN=$DOMAIN \
  sweep 2 1800 "http://127.0.0.1:$PORT/v1/freeswitch/directory" "$WORK/sweep.txt" -c64 --timeout 5s
sweep_seconds=$(( $(date +%s) - sweep_started ))
asked=$(awk '/requests in/ { print $1 }' "$WORK/sweep.txt")
[ "${asked:-0}" -ge "$USERS" ] || { echo "the sweep asked ${asked:-0} of $USERS users" >&2; cat "$WORK/sweep.txt" >&2; exit 1; }
fulls=$(( $(grep -c "Pause Full" "$WORK/gc.log" || true) - fulls0 ))
heap1=$(live_heap); rss1=$(rss)
# what the cache keeps, by class: the first place to look when the bytes per user go up
jcmd "$PID" GC.class_histogram 2>/dev/null | head -n 23 > "$WORK/histogram.txt" || true
per_user=$(( (heap1 - heap0) / USERS ))

REPORT="$ROOT/ominis-bench/results/memory-$STAMP.md"
mkdir -p "$(dirname "$REPORT")"
{
  echo "## Directory cache memory, $USERS users — $STAMP"
  echo
  echo "Commit $(cd "$ROOT" && git rev-parse --short HEAD); $(java -version 2>&1 | head -1); JAVA_OPTS $JAVA_OPTS; load average before the sweep $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| | live heap after full GC | resident set |"
  echo "|---|---:|---:|"
  echo "| started, nothing cached | $((heap0 / 1048576)) MiB | $((rss0 / 1048576)) MiB |"
  echo "| every user asked once ($asked requests) | $((heap1 / 1048576)) MiB | $((rss1 / 1048576)) MiB |"
  echo
  echo "Bytes per cached user: **$per_user** (target ≤ 1024). Full collections during the sweep: **$fulls**."
  echo "The sweep took ${sweep_seconds} s:"
  grep -E "requests in|Requests/sec" "$WORK/sweep.txt" | sed 's/^/    /'
  echo
  echo "Live objects by class with every user cached (\`jcmd GC.class_histogram\`, the first 20):"
  echo
  sed 's/^/    /' "$WORK/histogram.txt"
} > "$REPORT"
cat "$REPORT"
[ "$per_user" -le 1024 ] && [ "$fulls" -eq 0 ]
