#!/usr/bin/env bash
# Directory benchmark: Ominis (cache on, cache off) side by side with the floor (bare JDK HttpServer answering a fixed
# document; the same server doing the point lookup over plain JDBC; PostgreSQL itself through pgbench) and the spec's
# own design (FastAPI + asyncpg, POOL=1 and POOL=0), in ONE run on this machine, over 100,000 extensions.
#
# Usage: ominis-bench/run-directory.sh [--quick] [--baseline DIR] [--duration SECONDS] [--warmup SECONDS]
#                                      [--settle SECONDS] [--rounds N] [--connections LIST] [--no-build]
#   --quick     the guard a developer runs before committing hot-path changes (about 3 minutes): 10,000 users,
#               64 connections only, 8 s per round, Ominis and the floor servers only (no spec app, no pgbench)
#   --baseline  folder holding the spec's app.py (default: ../shared/bench/seed-baseline beside the repository)
#   --duration  seconds per wrk measurement round (default 20)
#   --rounds    measurement rounds per server and connection count (default 3): each Ominis configuration and its
#               floor are up together and measured in turn, A B A B A B, and the table gives each one's medians, so
#               that a slow minute of this shared machine falls on both sides of a ratio instead of deciding it
#   --warmup    upper bound in seconds of the warm-up per server: a sweep asking every user once (default 120);
#               for Ominis with its cache on, a sweep that did not reach every user fails the run (the hit rows
#               would mix hits with misses)
#   --connections LIST  the connection counts to measure, e.g. "16" (default "16 64"; "64" with --quick), for a
#               developer chasing one row; the targets are checked at the counts measured
#   --settle    seconds of unmeasured load as measured (random users) after the sweep, for every server (default 10):
#               the sweep runs the miss path only, so without it the first row paid for compiling the hit path and
#               for the collections that move the freshly filled cache into the old generation (one pause of 188 ms
#               fell into the 16-connection row of run 20261206T101406Z)
# Exit status: 0 when every ratio meets its target (issue 13: cache on >= 0.9x the floor's requests/s at each
# connection count, p50 <= 1.3x, p99 <= 1.5x; cache off >= 0.7x the JDBC floor; and >= 10x the spec's POOL=1 when
# that is measured), 1 when one does not, 2 on a usage or set-up error.
# Environment: PGHOST/PGPORT/PGUSER (default 127.0.0.1, 5432, postgres), BENCH_DB (default ominis_bench),
#   JAVA_OPTS (default -Xms1g -Xmx1g, the same for every JVM server).
# Needs: java, wrk, pgbench, psql, Debian's /usr/bin/python3 with fastapi, asyncpg, uvicorn and python-multipart.
# All load goes to 127.0.0.1. Prints a markdown table and writes it to ominis-bench/results/directory-<timestamp>.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BASELINE="$ROOT/../shared/bench/seed-baseline"
DURATION=20
ROUNDS=3
WARMUP=120
SETTLE=10
BUILD=1
QUICK=0
CONNECTIONS_ARG=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; DURATION=8; shift ;;
    --baseline) BASELINE="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --settle) SETTLE="$2"; shift 2 ;;
    --connections) CONNECTIONS_ARG="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ "$QUICK" = 0 ]; then
  [ -f "$BASELINE/app.py" ] || { echo "no app.py in $BASELINE; pass --baseline DIR (or --quick)" >&2; exit 2; }
  BASELINE="$(cd "$BASELINE" && pwd)"
fi

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
DB="${BENCH_DB:-ominis_bench}"
DSN="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g}"
USERS=100000
CONNECTIONS="16 64"
if [ "$QUICK" = 1 ]; then USERS=10000; CONNECTIONS="64"; fi
case "$ROUNDS" in ''|*[!0-9]*|0) echo "--rounds takes a whole number of at least 1, got '$ROUNDS'" >&2; exit 2 ;; esac
if [ -n "$CONNECTIONS_ARG" ]; then
  for c in $CONNECTIONS_ARG; do
    case "$c" in ''|*[!0-9]*) echo "--connections takes whole numbers, got '$c'" >&2; exit 2 ;; esac
  done
  CONNECTIONS="$CONNECTIONS_ARG"
fi
FIRST=100000
DOMAIN=10.42.0.7
LUA="$HERE/wrk/sip-auth.lua"
# shellcheck source=wrk/sweep.sh
. "$HERE/wrk/sweep.sh"
URL_PATH=/v1/freeswitch/directory
SERVER_JAR="$ROOT/ominis-server/target/ominis-server.jar"
BENCH_JAR="$ROOT/ominis-bench/target/ominis-bench.jar"
PY=/usr/bin/python3
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
WORK="$(mktemp -d /tmp/ominis-bench.XXXXXX)"
ROWS="$WORK/rows.tsv"
: > "$ROWS"
PID=""
PIDS=""

cleanup() {
  local p
  for p in $PID $PIDS; do
    if kill -0 "$p" 2>/dev/null; then kill "$p" 2>/dev/null || true; fi
  done
}
trap cleanup EXIT

for tool in java wrk pgbench psql; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
if [ "$QUICK" = 0 ]; then
  "$PY" -c 'import fastapi, asyncpg, uvicorn, multipart' 2>/dev/null \
    || { echo "$PY lacks fastapi/asyncpg/uvicorn/multipart (apt-get install python3-fastapi python3-asyncpg uvicorn python3-multipart)" >&2; exit 2; }
fi

if [ "$BUILD" = 1 ] || [ ! -f "$SERVER_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
  echo "== building" >&2
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi

# Run from copies, so that a rebuild while the benchmark runs cannot mix two versions in one table.
cp "$SERVER_JAR" "$WORK/ominis-server.jar" && SERVER_JAR="$WORK/ominis-server.jar"
cp "$BENCH_JAR" "$WORK/ominis-bench.jar" && BENCH_JAR="$WORK/ominis-bench.jar"
(cd "$ROOT" && git rev-parse --short HEAD && git status --porcelain | grep -q . && echo "(with uncommitted changes)") > "$WORK/commit.txt" 2>/dev/null || true

echo "== database $DB: migrate, seed $USERS extensions" >&2
psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || psql -d postgres -qc "CREATE DATABASE $DB"
DB_DSN="$DSN" java -jar "$SERVER_JAR" migrate > "$WORK/migrate.log" 2>&1 \
  || { cat "$WORK/migrate.log" >&2; exit 1; }
psql -d "$DB" -q -v first="$FIRST" -v users="$USERS" -f "$HERE/seed-extensions.sql"

# A typical user's form, as mod_sofia sends it (XmlCurlEndpointsTest.sipAuth), for correctness checks with curl.
sip_auth() {
  local u="$1" d="$DOMAIN"
  printf '%s' "hostname=fs-node-1&section=directory&tag_name=domain&key_name=name&key_value=$d&Event-Name=REQUEST_PARAMS&Core-UUID=6b0c5c2e-8d4d-4b7e-9d5c-6a1c2d3e4f50&FreeSWITCH-Hostname=fs-node-1&FreeSWITCH-Switchname=fs-node-1&FreeSWITCH-IPv4=10.42.0.7&FreeSWITCH-IPv6=%3A%3A1&Event-Date-Local=2026-11-25%2013%3A00%3A00&Event-Date-GMT=Wed,%2025%20Nov%202026%2013%3A00%3A00%20GMT&Event-Date-Timestamp=1795000000000000&Event-Calling-File=sofia_reg.c&Event-Calling-Function=sofia_reg_parse_auth&Event-Calling-Line-Number=3126&Event-Sequence=512&action=sip_auth&sip_profile=internal&sip_user_agent=Zoiper%20rv2.10&sip_auth_username=$u&sip_auth_realm=$d&sip_auth_nonce=2f5e6a8c-1b7d-4e1a-9c3f-0d2b4a6c8e10&sip_auth_uri=sip%3A$d&sip_contact_user=$u&sip_contact_host=192.168.1.50&sip_to_user=$u&sip_to_host=$d&sip_via_protocol=udp&sip_from_user=$u&sip_from_host=$d&sip_call_id=NjQ3Yzg0ZWQ&sip_request_host=$d&sip_auth_qop=auth&sip_auth_cnonce=a1b2c3&sip_auth_nc=00000001&sip_auth_response=0f1e2d3c4b5a69788796a5b4c3d2e1f0&sip_auth_method=REGISTER&client_port=5060&key=id&user=$u&domain=$d&ip=192.168.1.50"
}
TYPICAL=$((FIRST + 23456 % USERS))  # a user that exists in the --quick set too

# Starts "$@" in the background with its output in $WORK/$name.log; waits (bounded) until the port answers.
start_server() {
  local name="$1" port="$2"; shift 2
  # something already answering there (a server left over from another run) would be measured in this one's place
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
    echo "port $port already answers before $name starts: stop whatever listens there" >&2; exit 2
  fi
  "$@" > "$WORK/$name.log" 2>&1 &
  PID=$!
  local i
  for i in $(seq 1 120); do
    if curl -s -o /dev/null --max-time 1 --data "$(sip_auth $TYPICAL)" "http://127.0.0.1:$port$URL_PATH"; then
      return 0
    fi
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "$name did not start; its log:" >&2; cat "$WORK/$name.log" >&2; exit 1
}

stop_server() {
  kill "$PID" 2>/dev/null || true
  local i
  for i in $(seq 1 40); do kill -0 "$PID" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=""
}

# wrk's latency figures come as 812.00us, 1.25ms or 1.02s: in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# Checks that a server answers the typical user's document, then warms it up: a sweep asking every user once (the
# cache-on server must reach them all), then unmeasured load. Leaves the answer's size in $WORK/$name.bytes.
warm() {
  local name="$1" port="$2"
  curl -s --data "$(sip_auth $TYPICAL)" "http://127.0.0.1:$port$URL_PATH" > "$WORK/$name.xml"
  wc -c < "$WORK/$name.xml" | tr -d ' ' > "$WORK/$name.bytes"
  grep -q 'name="password"' "$WORK/$name.xml" || { echo "$name did not answer the user document" >&2; cat "$WORK/$name.xml" >&2; exit 1; }
  echo "== $name: warm-up (sweep of every user, at most ${WARMUP}s)" >&2
  BENCH_FIRST=$FIRST BENCH_USERS=$USERS BENCH_DOMAIN=$DOMAIN \
    sweep 2 "$WARMUP" "http://127.0.0.1:$port$URL_PATH" "$WORK/$name-warmup.txt" -c64 --timeout 5s
  grep -E 'requests in' "$WORK/$name-warmup.txt" >&2 || true
  local asked
  asked=$(awk '/requests in/ { print $1 }' "$WORK/$name-warmup.txt")
  if [ "${asked:-0}" -lt "$USERS" ]; then
    if [ "$name" = ominis-cache-on ]; then
      echo "$name: the warm-up asked ${asked:-0} of $USERS users within ${WARMUP}s; the hit rows would mix hits and misses. Raise --warmup." >&2
      exit 2
    fi
    echo "$name: the warm-up asked ${asked:-0} of $USERS users within ${WARMUP}s (no cache to fill: noted, not fatal)" >&2
  fi
  if [ "$SETTLE" -gt 0 ]; then
    echo "== $name: ${SETTLE}s of unmeasured load" >&2
    BENCH_FIRST=$FIRST BENCH_USERS=$USERS BENCH_DOMAIN=$DOMAIN \
      wrk -t2 -c16 -d"${SETTLE}s" --timeout 5s -s "$LUA" "http://127.0.0.1:$port$URL_PATH" > "$WORK/$name-settle.txt" 2>&1 || true
  fi
}

# One measurement round of one server at $c connections: one line in $WORK/rounds.tsv.
measure_round() {
  local name="$1" port="$2" c="$3" round="$4"
  local out="$WORK/$name-c$c-r$round.txt" rps p50 p99 errors
  echo "== $name: ${DURATION}s at $c connections, round $round of $ROUNDS" >&2
  # wrk 4.1.0 has been seen to crash (SIGSEGV) at the end of a run now and then: measure again once
  BENCH_FIRST=$FIRST BENCH_USERS=$USERS BENCH_DOMAIN=$DOMAIN \
    wrk -t2 -c"$c" -d"${DURATION}s" --timeout 5s --latency -s "$LUA" "http://127.0.0.1:$port$URL_PATH" > "$out" 2>&1 \
    || { echo "wrk failed ($?); measuring $name at $c connections again" >&2
         BENCH_FIRST=$FIRST BENCH_USERS=$USERS BENCH_DOMAIN=$DOMAIN \
           wrk -t2 -c"$c" -d"${DURATION}s" --timeout 5s --latency -s "$LUA" "http://127.0.0.1:$port$URL_PATH" > "$out" 2>&1; }
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  errors=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$out")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$c" "$round" "$rps" "$p50" "$p99" "$errors" | tee -a "$WORK/rounds.tsv" >&2
}

# Measures the servers given as NAME PORT pairs (already started and warmed) in turn, round after round, at each
# connection count; then writes one row per server and count to $ROWS with the medians of its rounds (errors summed).
measure() {
  local c r i
  local -a servers=("$@")
  for c in $CONNECTIONS; do
    for r in $(seq 1 "$ROUNDS"); do
      for ((i = 0; i < ${#servers[@]}; i += 2)); do
        measure_round "${servers[i]}" "${servers[i + 1]}" "$c" "$r"
      done
    done
    for ((i = 0; i < ${#servers[@]}; i += 2)); do
      awk -F'\t' -v n="${servers[i]}" -v c="$c" -v bytes="$(cat "$WORK/${servers[i]}.bytes")" '
        function median(list,   a, b, t, v, m) {
          m = split(list, v, " ")
          for (a = 2; a <= m; a++) for (b = a; b > 1 && v[b - 1] + 0 > v[b] + 0; b--) { t = v[b]; v[b] = v[b - 1]; v[b - 1] = t }
          return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
        }
        $1 == n && $2 == c { rps = rps " " $4; p50 = p50 " " $5; p99 = p99 " " $6; errors += $7 }
        END { printf "%s\t%s\t%.2f\t%.3f\t%.3f\t%d\t%s\n", n, c, median(rps), median(p50), median(p99), errors, bytes }' \
        "$WORK/rounds.tsv" | tee -a "$ROWS" >&2
    done
  done
}

# Starts a server (start_server's arguments) and warms it up, leaving it running; its pid joins $PIDS.
start_warm() {
  local name="$1" port="$2"
  start_server "$@"
  PIDS="$PIDS $PID"
  PID=""
  warm "$name" "$port"
}

# Stops every server in $PIDS.
stop_all() {
  local p
  for p in $PIDS; do
    PID="$p"
    stop_server
  done
  PIDS=""
}

JDBC_DSN="jdbc:postgresql://$PGHOST:$PGPORT/$DB?user=$PGUSER"
ominis_env=(env DB_DSN="$DSN" OMINIS_MIGRATE_ON_START=false OMINIS_BIND=127.0.0.1 OMINIS_LOG_LEVEL=WARN)

# shellcheck disable=SC2086
start_warm ominis-cache-on 8101 "${ominis_env[@]}" PORT=8101 OMINIS_DIRECTORY_CACHE=true java $JAVA_OPTS -Xlog:gc:file="$WORK/ominis-cache-on-gc.log" -jar "$SERVER_JAR" serve
cp "$WORK/ominis-cache-on.xml" "$WORK/typical.xml"
# Each Ominis configuration is up beside its floor and measured in turn with it, round after round, so that drift on
# this shared machine (other builds, other tenants, a slow minute) touches both sides of a ratio alike.
# The fixed floor answers with Ominis's own document for the typical user: the same bytes on the wire.
# shellcheck disable=SC2086
start_warm floor-fixed 8103 java $JAVA_OPTS -Dsun.net.httpserver.nodelay=true -jar "$BENCH_JAR" fixed --port 8103 --document "$WORK/typical.xml"
measure ominis-cache-on 8101 floor-fixed 8103
stop_all

# shellcheck disable=SC2086
start_warm ominis-cache-off 8102 "${ominis_env[@]}" PORT=8102 OMINIS_DIRECTORY_CACHE=false java $JAVA_OPTS -jar "$SERVER_JAR" serve
# shellcheck disable=SC2086
start_warm floor-jdbc 8104 java $JAVA_OPTS -Dsun.net.httpserver.nodelay=true -jar "$BENCH_JAR" jdbc --port 8104 --dsn "$JDBC_DSN"
measure ominis-cache-off 8102 floor-jdbc 8104
stop_all

if [ "$QUICK" = 0 ]; then
start_warm spec-pool1 8105 env DB_DSN="$DSN" POOL=1 "$PY" -m uvicorn app:app --app-dir "$BASELINE" --host 127.0.0.1 --port 8105 --log-level warning --no-access-log
measure spec-pool1 8105
stop_all

start_warm spec-pool0 8106 env DB_DSN="$DSN" POOL=0 "$PY" -m uvicorn app:app --app-dir "$BASELINE" --host 127.0.0.1 --port 8106 --log-level warning --no-access-log
measure spec-pool0 8106
stop_all

# PostgreSQL itself: the same point lookup, prepared, from pgbench's own connections.
cat > "$WORK/lookup.sql" <<SQL
\set n random($FIRST, $((FIRST + USERS - 1)))
SELECT number, password, display_name, email, department, status, call_forwarding_json, voicemail_json, features_json FROM extensions WHERE number = (:n)::text;
SQL
for c in $CONNECTIONS; do
  echo "== pgbench: ${DURATION}s at $c clients" >&2
  rm -rf "$WORK/pgb" && mkdir -p "$WORK/pgb"
  (cd "$WORK/pgb" && pgbench -n -M prepared -f "$WORK/lookup.sql" -c "$c" -j 2 -T "$DURATION" -l "$DB" > "$WORK/pgbench-c$c.txt" 2>&1)
  rps=$(awk '/^tps = / { print $3 }' "$WORK/pgbench-c$c.txt" | tail -1)
  # Per-transaction latencies (microseconds, third column of pgbench's log) give the percentiles.
  read -r p50 p99 < <(cat "$WORK"/pgb/pgbench_log.* | awk '{ print $3 }' | sort -n \
    | awk '{ v[NR] = $1 } END { printf "%.3f %.3f\n", v[int(NR * 0.50) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000 }')
  errors=$(awk '/number of failed transactions/ { print $5 }' "$WORK/pgbench-c$c.txt" | head -1)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "postgresql-pgbench" "$c" "$rps" "$p50" "$p99" "${errors:-0}" "-" | tee -a "$ROWS" >&2
done
fi

# The report: one table and the ratios the issue's acceptance names.
get() { awk -F'\t' -v n="$1" -v c="$2" -v f="$3" '$1 == n && $2 == c { print $f }' "$ROWS"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
FAILED="$WORK/failed"
: > "$FAILED"
check() {
  local v; v=$(verdict "$3" "$4" "$5")
  [ "$v" = PASS ] || echo "$1 at $2 connections: $3 (target $4 $5)" >> "$FAILED"
  echo "| $1 | $2 | $3 | $4 $5 | $v |"
}
verdict() { awk -v r="$1" -v op="$2" -v t="$3" 'BEGIN { if (r == "n/a") print "n/a"; else if ((op == ">=" && r + 0 >= t) || (op == "<=" && r + 0 <= t)) print "PASS"; else print "FAIL" }'; }

REPORT="$ROOT/ominis-bench/results/directory-$STAMP$([ "$QUICK" = 1 ] && echo -quick || true).md"
mkdir -p "$(dirname "$REPORT")"
{
  echo "## Directory lookups, $USERS extensions — $STAMP"
  echo
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), shared by wrk, the server and PostgreSQL."
  echo "$(java -version 2>&1 | head -1); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); $(psql -V); Python $("$PY" -c 'import sys; print(sys.version.split()[0])')."
  echo "Commit: $(tr '\n' ' ' < "$WORK/commit.txt")"
  echo "wrk -t2 --latency, medians of $ROUNDS rounds of ${DURATION}s per row, each Ominis configuration alternating with its floor (both up), after a warm-up sweep of every user (at most ${WARMUP}s) and ${SETTLE}s of unmeasured load; a uniformly random user per request, POSTed as mod_sofia's sip_auth form."
  echo
  echo "| server | connections | requests/s | p50 ms | p99 ms | errors | answer bytes |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$ROWS"
  echo
  echo "| ratio | connections | value | target | verdict |"
  echo "|---|---:|---:|---:|---|"
  for c in $CONNECTIONS; do
    check "cache on ÷ floor fixed, requests/s" "$c" "$(ratio "$(get ominis-cache-on "$c" 3)" "$(get floor-fixed "$c" 3)")" '>=' 0.9
    check "cache on ÷ floor fixed, p50" "$c" "$(ratio "$(get ominis-cache-on "$c" 4)" "$(get floor-fixed "$c" 4)")" '<=' 1.3
    check "cache on ÷ floor fixed, p99" "$c" "$(ratio "$(get ominis-cache-on "$c" 5)" "$(get floor-fixed "$c" 5)")" '<=' 1.5
    check "cache off ÷ floor jdbc, requests/s" "$c" "$(ratio "$(get ominis-cache-off "$c" 3)" "$(get floor-jdbc "$c" 3)")" '>=' 0.7
    if [ "$QUICK" = 0 ]; then
      check "cache on ÷ spec POOL=1, requests/s" "$c" "$(ratio "$(get ominis-cache-on "$c" 3)" "$(get spec-pool1 "$c" 3)")" '>=' 10
    fi
  done
  fulls=$(grep -c "Pause Full" "$WORK/ominis-cache-on-gc.log" || true)
  check "full GCs in the cache-on server (whole run)" "all" "${fulls:-0}" '<=' 0
  echo
  echo "Every round, in the order measured (server, connections, round, requests/s, p50 ms, p99 ms, errors):"
  echo
  echo '```'
  cat "$WORK/rounds.tsv"
  echo '```'
} > "$REPORT"
cat "$REPORT"
echo "(written to $REPORT; raw wrk/pgbench output in $WORK)" >&2
if [ -s "$FAILED" ]; then
  echo "below target:" >&2; cat "$FAILED" >&2
  exit 1
fi
