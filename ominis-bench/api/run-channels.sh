#!/usr/bin/env bash
# The channel routes against their floor (issues 10 and 13): with 50 live channels seeded, GET /v1/channels,
# /v1/channels/{uuid} and /v1/channels/count on Ominis, the same bytes from a bare JDK HttpServer (FloorServer fixed
# --serve), and PostgreSQL's own time for each route's statement (pgbench, one connection, prepared; EXPLAIN ANALYZE
# for reference). Exits 1 when a route's p50 exceeds 2 x floor p50 + PostgreSQL p50.
#
#   mvn -B -q -DskipTests package          # builds ominis-server.jar and ominis-bench.jar
#   ominis-bench/api/run-channels.sh [--xmlrpc http://user:password@host:8080] [--duration S] [--rounds N]
#                                    [--connections N] [--no-build]
#
#   --xmlrpc       also time FreeSWITCH's own answers over mod_xml_rpc (show channels as json, uuid_dump <uuid> of
#                  its first channel) through the project's FreeSwitchClient (io.ominis.bench.XmlRpcLatency)
#   --duration     seconds per wrk/pgbench measurement (default 10)
#   --rounds       Ominis and floor are measured alternately this many times per route; medians are reported (3)
#   --connections  wrk connections, one request in flight on each (default 1: latency, not throughput)
#   --no-build     use the jars as they are (default: build them when missing)
# Environment: PGHOST/PGPORT/PGUSER (127.0.0.1, 5432, postgres), BENCH_DB (ominis_bench_channels), WARMUP (10 s of
# wrk per route and server before measuring: the JIT is still compiling after less), OMINIS_PORT
# (18190), FLOOR_PORT (18191), OMINIS_JAR (another build of ominis-server.jar, e.g. for before/after), JAVA_OPTS (-Xms512m -Xmx512m, the same for both servers), KEEP_DB (1 keeps it),
# XMLRPC_CALLS (2000). Needs java, wrk, pgbench, psql, curl and GNU awk. All load goes to 127.0.0.1. Writes the report to ominis-bench/api/results/channels-<stamp>.md.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
xmlrpc=""
duration=10
warmup="${WARMUP:-10}"
rounds=3
conns=1
build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --xmlrpc) xmlrpc="$2"; shift 2 ;;
        --duration) duration="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --connections) conns="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
db="${BENCH_DB:-ominis_bench_channels}"
ominis_port="${OMINIS_PORT:-18190}"
floor_port="${FLOOR_PORT:-18191}"
java_opts="${JAVA_OPTS:--Xms512m -Xmx512m}"
server_jar="${OMINIS_JAR:-$root/ominis-server/target/ominis-server.jar}"
bench_jar="$root/ominis-bench/target/ominis-bench.jar"
stamp="$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$here/results"
out="$here/results/channels-$stamp.md"
work="$(mktemp -d)"
ominis_pid=""
floor_pid=""
trap 'stop_pid "$ominis_pid"; stop_pid "$floor_pid"; rm -rf "$work"' EXIT

for tool in java wrk pgbench psql curl; do
    command -v "$tool" >/dev/null || { echo "missing $tool (wrk: apt-get install -y wrk)" >&2; exit 2; }
done
if [ "$build" = 1 ] && { [ ! -f "$server_jar" ] || [ ! -f "$bench_jar" ]; }; then
    (cd "$root" && mvn -B -q -DskipTests package)
fi
# run from copies, so that a rebuild during the run cannot mix two versions in one report
cp "$server_jar" "$work/ominis-server.jar"
cp "$bench_jar" "$work/ominis-bench.jar"
commit="$(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git status --porcelain -uno | grep -q . && echo ' (with uncommitted changes)' || true)"
# the checkout's commit says nothing about another build's jar: name that jar instead
[ -z "${OMINIS_JAR:-}" ] || commit="$commit (the checkout; the server measured is OMINIS_JAR=$OMINIS_JAR)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

q() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
echo "== database $db: migrate, seed 50 channels (load $load_before)" >&2
dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
DB_DSN="postgresql://$PGUSER@$PGHOST:$PGPORT/$db" java -jar "$work/ominis-server.jar" migrate >"$work/migrate.log" 2>&1 \
    || { cat "$work/migrate.log" >&2; exit 1; }
q -v channels=50 -f "$here/seed-switch.sql"
uuid="$(q -At -c "SELECT uuid FROM channels ORDER BY uuid LIMIT 1")"

# ------------------------------------------------------------------------------------------------------- servers
# shellcheck disable=SC2086
DB_DSN="postgresql://$PGUSER@$PGHOST:$PGPORT/$db" PORT="$ominis_port" OMINIS_BIND=127.0.0.1 OMINIS_MIGRATE_ON_START=false \
    OMINIS_LOG_LEVEL=WARN java $java_opts -jar "$work/ominis-server.jar" serve >"$work/ominis.log" 2>&1 &
ominis_pid=$!
wait_url "http://127.0.0.1:$ominis_port/health/ready" "$ominis_pid" ominis "$work/ominis.log"

routes=(list one count)
declare -A path=([list]=/v1/channels [one]=/v1/channels/$uuid [count]=/v1/channels/count)
serve=()
for r in "${routes[@]}"; do
    curl -fsS "http://127.0.0.1:$ominis_port${path[$r]}" > "$work/$r.json"
    serve+=(--serve "${path[$r]}=$work/$r.json")
done
[ "$(grep -o '"uuid"' "$work/list.json" | wc -l)" = 50 ] || { echo "GET /v1/channels did not list 50 channels" >&2; exit 1; }
grep -q '"count":50' "$work/count.json" || { echo "GET /v1/channels/count did not say 50" >&2; exit 1; }
# shellcheck disable=SC2086
java $java_opts -jar "$work/ominis-bench.jar" fixed --port "$floor_port" "${serve[@]}" >"$work/floor.log" 2>&1 &
floor_pid=$!
wait_url "http://127.0.0.1:$floor_port/v1/channels/count" "$floor_pid" floor "$work/floor.log"
for r in "${routes[@]}"; do
    cmp -s "$work/$r.json" <(curl -fsS "http://127.0.0.1:$floor_port${path[$r]}") \
        || { echo "the floor does not answer ${path[$r]} with Ominis's bytes" >&2; exit 1; }
done

# --------------------------------------------------------------------------------------------------- measuring
results="$work/results.tsv"   # system, route, round, p50 ms, p99 ms, requests/s, non-2xx
: > "$results"
measure() { # system port route round [extra wrk args…]
    local system="$1" port="$2" route="$3" round="$4"; shift 4
    local log="$work/wrk-$system-$route-$round.txt"
    wrk -t1 -c"$conns" -d"${duration}s" --timeout 5s --latency "$@" "http://127.0.0.1:$port${path[$route]}" > "$log" 2>&1 \
        || { cat "$log" >&2; exit 1; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$system" "$route" "$round" \
        "$(to_ms "$(awk '$1 == "50%" {print $2}' "$log")" 3)" "$(to_ms "$(awk '$1 == "99%" {print $2}' "$log")" 3)" \
        "$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$log")" "$(awk '/Non-2xx/ {print $NF}' "$log" | grep . || echo 0)" \
        | tee -a "$results" >&2
}
echo "== warm-up: ${warmup} s per route and server (and the gzip'd list)" >&2
for r in "${routes[@]}"; do
    wrk -t1 -c"$conns" -d"${warmup}s" "http://127.0.0.1:$ominis_port${path[$r]}" >/dev/null 2>&1 || true
    wrk -t1 -c"$conns" -d"${warmup}s" "http://127.0.0.1:$floor_port${path[$r]}" >/dev/null 2>&1 || true
done
wrk -t1 -c"$conns" -d"${warmup}s" -H "Accept-Encoding: gzip" "http://127.0.0.1:$ominis_port${path[list]}" >/dev/null 2>&1 || true
echo "== $rounds rounds of ${duration}s per route, Ominis and floor alternately (system route round p50 p99 req/s non-2xx)" >&2
for round in $(seq 1 "$rounds"); do
    for r in "${routes[@]}"; do
        measure ominis "$ominis_port" "$r" "$round"
        measure floor "$floor_port" "$r" "$round"
    done
done
# for reference: most HTTP clients ask for gzip, which Ominis then applies to the 48 kB list (the floor never does)
measure ominis-gzip "$ominis_port" list 1 -H "Accept-Encoding: gzip"
stop_pid "$ominis_pid"; ominis_pid=""
stop_pid "$floor_pid"; floor_pid=""

# PostgreSQL alone: each route's statement as ChannelDao sends it, the route's null filters as NULL literals
declare -A sql
# ChannelDao.LIST as the first page of the default limit binds it: no filter, no cursor, 100 rows plus one to see
# whether another page follows
sql[list]="SELECT * FROM channels WHERE (CAST(NULL AS varchar) IS NULL OR hostname = NULL) AND (CAST(NULL AS varchar) IS NULL OR state = NULL) AND (CAST(NULL AS varchar) IS NULL OR context = NULL) AND (CAST(NULL AS varchar) IS NULL OR direction = NULL) AND (CAST(NULL AS varchar) IS NULL OR callstate = NULL) AND (true OR (COALESCE(created_epoch, 2147483647), COALESCE(uuid, ''), COALESCE(hostname, '')) > (0, '', '')) ORDER BY COALESCE(created_epoch, 2147483647), COALESCE(uuid, ''), COALESCE(hostname, '') LIMIT 101;"
sql[one]="SELECT * FROM channels WHERE uuid = :uuid AND (CAST(NULL AS varchar) IS NULL OR hostname = NULL) ORDER BY created_epoch DESC LIMIT 1;"
sql[count]="SELECT count(*) FROM channels WHERE (CAST(NULL AS varchar) IS NULL OR hostname = NULL);"
pg="$work/pg.tsv"   # route, pgbench p50 ms, pgbench p99 ms, EXPLAIN ANALYZE median (planning + execution) ms
: > "$pg"
for r in "${routes[@]}"; do
    echo "${sql[$r]}" > "$work/$r.sql"
    rm -rf "$work/pgb" && mkdir "$work/pgb"
    (cd "$work/pgb" && pgbench -n -M prepared -c1 -j1 -T "$duration" -D uuid="$uuid" -f "$work/$r.sql" -l "$db" \
        > "$work/pgbench-$r.txt" 2>&1) || { cat "$work/pgbench-$r.txt" >&2; exit 1; }
    read -r p50 p99 < <(cat "$work"/pgb/pgbench_log.* | awk '{ print $3 }' | sort -n \
        | awk '{ v[NR] = $1 } END { printf "%.3f %.3f\n", v[int(NR * 0.50) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000 }')
    explain="$(for _ in $(seq 1 21); do echo "EXPLAIN (ANALYZE, TIMING OFF) ${sql[$r]//:uuid/\'$uuid\'}"; done \
        | q -At | awk '/^(Planning|Execution) Time/ { t += $3 } /^Execution Time/ { n++; if (n > 1) v[n - 1] = t; t = 0 }
                       END { asort(v); printf "%.3f", v[int((n - 1) / 2) + 1] }')"
    printf '%s\t%s\t%s\t%s\n' "$r" "$p50" "$p99" "$explain" | tee -a "$pg" >&2
done

xmlrpc_rows="$work/xmlrpc.tsv"
: > "$xmlrpc_rows"
if [ -n "$xmlrpc" ]; then
    echo "== XML-RPC: ${XMLRPC_CALLS:-2000} calls per command" >&2
    # shellcheck disable=SC2086
    java $java_opts -cp "$work/ominis-bench.jar" io.ominis.bench.XmlRpcLatency --url "$xmlrpc" \
        --calls "${XMLRPC_CALLS:-2000}" > "$xmlrpc_rows"
    cat "$xmlrpc_rows" >&2
fi
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------------------------------------------ report
median() { # system route field: the median over the rounds
    awk -F'\t' -v s="$1" -v r="$2" -v f="$3" '$1 == s && $2 == r { v[++n] = $f } END { asort(v); print v[int((n + 1) / 2)] }' "$results"
}
pgv() { awk -F'\t' -v r="$1" -v f="$2" '$1 == r { print $f }' "$pg"; }
declare -A label=([list]="GET /v1/channels (50 rows)" [one]="GET /v1/channels/{uuid}" [count]="GET /v1/channels/count")
failed=0
{
    echo "## Channel routes against the floor, 50 channels — $stamp"
    echo
    echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)) shared by wrk, both servers,"
    echo "PostgreSQL and other tenants; load average $load_before before, $load_after after. $(java -version 2>&1 | head -1);"
    echo "$(psql -X -At -d postgres -c 'SELECT version()' | cut -d, -f1). Commit $commit."
    echo "\`wrk -t1 -c$conns --latency\`, ${duration} s per measurement after ${warmup} s of warm-up per route, $rounds rounds alternating Ominis and floor;"
    echo "medians of the rounds. Floor = JDK HttpServer answering Ominis's own bytes. PostgreSQL = pgbench p50 of the"
    echo "route's statement (\`-M prepared -c1\`, loopback round trip included); EXPLAIN = its planning + execution time."
    echo
    echo "| route | Ominis p50 / p99 ms | floor p50 / p99 ms | PostgreSQL p50 ms (EXPLAIN) | target 2×floor + PG ms | Ominis ÷ target | Ominis ÷ floor | verdict |"
    echo "|---|---|---|---|---|---|---|---|"
    for r in "${routes[@]}"; do
        o50="$(median ominis "$r" 4)"; o99="$(median ominis "$r" 5)"
        f50="$(median floor "$r" 4)"; f99="$(median floor "$r" 5)"
        p50="$(pgv "$r" 2)"; ex="$(pgv "$r" 4)"
        target="$(awk -v f="$f50" -v p="$p50" 'BEGIN { printf "%.3f", 2 * f + p }')"
        verdict="$(awk -v o="$o50" -v t="$target" 'BEGIN { print (o <= t) ? "PASS" : "FAIL" }')"
        [ "$verdict" = PASS ] || failed=1
        echo "| ${label[$r]} | $o50 / $o99 | $f50 / $f99 | $p50 ($ex) | $target | $(awk -v o="$o50" -v t="$target" 'BEGIN { printf "%.2f", o / t }') | $(awk -v o="$o50" -v f="$f50" 'BEGIN { printf "%.2f", o / f }') | $verdict |"
    done
    echo
    echo "With \`Accept-Encoding: gzip\` (as most clients send; Ominis compresses the list, the floor does not):"
    echo "GET /v1/channels p50 $(median ominis-gzip list 4) ms, p99 $(median ominis-gzip list 5) ms."
    if [ -s "$xmlrpc_rows" ]; then
        echo
        echo "FreeSWITCH over XML-RPC (\`$(echo "$xmlrpc" | sed -E 's#//[^@/]*@#//…@#')\`, FreeSwitchClient, one call at a time):"
        echo
        echo "| command | p50 / p99 ms | reply bytes | ÷ Ominis p50 of the matching route |"
        echo "|---|---|---|---|"
        while IFS=$'\t' read -r name x50 x99 _ bytes; do
            case "$name" in *show*) r=list ;; *) r=one ;; esac
            echo "| $name | $x50 / $x99 | $bytes | $(awk -v x="$x50" -v o="$(median ominis "$r" 4)" 'BEGIN { printf "%.1f×", x / o }') (${label[$r]}) |"
        done < "$xmlrpc_rows"
    fi
    echo
    echo "Raw rounds (system, route, round, p50 ms, p99 ms, requests/s, non-2xx):"
    echo
    echo '```'
    cat "$results"
    echo '```'
} > "$out"
cat "$out"
echo "written to ${out#$root/}" >&2
[ "${KEEP_DB:-0}" = 1 ] || dropdb "$db"
if awk -F'\t' '$7 != "0" { bad = 1 } END { exit !bad }' "$results"; then echo "non-2xx answers during measurement" >&2; exit 1; fi
exit "$failed"
