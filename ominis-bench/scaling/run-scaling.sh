#!/usr/bin/env bash
# Scaling limits (issue 16): the directory under load on 1 and then 2 server replicas sharing one PostgreSQL, while a
# second process (pgbench, ominis-bench/scaling/churn.sql) writes what N FreeSWITCH nodes write: channel rows created,
# updated and deleted as switch_core_sqldb does, and one CDR row per leg as mod_odbc_cdr does. Reports directory
# lookups/s per replica and in all, and the CDR rows/s the primary sustained beside them, stage by stage up to an
# unthrottled stage that finds where it saturates.
#
#   ominis-bench/scaling/run-scaling.sh [--duration S] [--nodes "10 25 50"] [--leg-rate R] [--users N]
#                                       [--connections C] [--cache on|off] [--replicas "1 2"] [--no-build]
#
#   --duration     seconds per stage (default 20)
#   --nodes        FreeSWITCH node counts of the throttled stages (default "10 25 50"); a stage with no churn comes
#                  first and an unthrottled one ("max") last
#   --leg-rate     call legs per second one node writes (default 2: 240 concurrent calls of two minutes)
#   --users        extensions seeded (default 10000); every replica's cache is warmed with all of them first
#   --connections  wrk connections per replica, each keeping one request in flight (default 32)
#   --cache        OMINIS_DIRECTORY_CACHE of the replicas (default on, the shipped default; off puts every lookup on
#                  the database)
#   --replicas     replica counts measured in turn (default "1 2")
#   --no-build     use the jar as it is (default: build it when missing)
# Environment: PGHOST/PGPORT/PGUSER (127.0.0.1, 5432, postgres), BENCH_DB (ominis_bench_scaling), JAVA_OPTS
# (-Xms512m -Xmx512m per replica), BASE_PORT (18301: replica i listens on BASE_PORT + i - 1), CONNECT_TIMEOUT_MS
# (the replicas' OMINIS_DB_CONNECT_TIMEOUT_MS, 20000: a loaded machine misses the default 5 s at start-up).
# Needs java, wrk, pgbench, psql, curl. All load goes to 127.0.0.1. Writes ominis-bench/scaling/results/scaling-<stamp>.md
# with `uptime` before and after: on a machine shared with other work the figures are lower bounds.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../api/lib.sh
. "$root/ominis-bench/api/lib.sh"
# shellcheck source=../wrk/sweep.sh
. "$root/ominis-bench/wrk/sweep.sh"
duration=20
nodes_list="10 25 50"
leg_rate=2
users=10000
conns=32
cache=on
replicas_list="1 2"
build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --nodes) nodes_list="$2"; shift 2 ;;
        --leg-rate) leg_rate="$2"; shift 2 ;;
        --users) users="$2"; shift 2 ;;
        --connections) conns="$2"; shift 2 ;;
        --cache) cache="$2"; shift 2 ;;
        --replicas) replicas_list="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
case "$cache" in on) cache_setting=true ;; off) cache_setting=false ;; *) echo "--cache on|off" >&2; exit 2 ;; esac
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
db="${BENCH_DB:-ominis_bench_scaling}"
dsn="postgresql://$PGUSER@$PGHOST:$PGPORT/$db"
java_opts="${JAVA_OPTS:--Xms512m -Xmx512m}"
base_port="${BASE_PORT:-18301}"
first=100000
domain=10.42.0.7
path=/v1/freeswitch/directory
lua="$root/ominis-bench/wrk/sip-auth.lua"
server_jar="$root/ominis-server/target/ominis-server.jar"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$here/results"
report="$here/results/scaling-$stamp.md"
work="$(mktemp -d /tmp/ominis-scaling.XXXXXX)"
rows="$work/rows.tsv"
: > "$rows"
pids=()
quiet_total=0
stop_all() { local p; for p in "${pids[@]}"; do stop_pid "$p"; done; pids=(); }
trap stop_all EXIT

for tool in java wrk pgbench psql curl; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk postgresql-client)" >&2; exit 2; }
done
if [ "$build" = 1 ] && [ ! -f "$server_jar" ]; then
    (cd "$root" && mvn -B -q -DskipTests -pl ominis-server -am package)
fi
cp "$server_jar" "$work/ominis-server.jar"
commit="$(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git status --porcelain | grep -q . && echo ' (with uncommitted changes)' || true)"
uptime_before="$(uptime)"

echo "== database $db: migrate, seed $users extensions and live channels" >&2
psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 || psql -d postgres -qc "CREATE DATABASE $db"
DB_DSN="$dsn" java -jar "$work/ominis-server.jar" migrate > "$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }
DB_DSN="$dsn" java -jar "$work/ominis-server.jar" cdr-maintenance > "$work/cdr-maintenance.log" 2>&1 \
    || { cat "$work/cdr-maintenance.log" >&2; exit 1; }
psql -d "$db" -q -v first="$first" -v users="$users" -f "$root/ominis-bench/seed-extensions.sql"
max_nodes=0
for n in $nodes_list; do [ "$n" -gt "$max_nodes" ] && max_nodes=$n; done
# The calls in progress while the churn runs: 240 live channel rows per node of the largest stage, spread over nodes.
psql -d "$db" -q <<SQL
TRUNCATE channels;
INSERT INTO channels (uuid, direction, created, created_epoch, name, state, callstate, dest, dialplan, context, hostname,
                      application, read_codec, write_codec)
SELECT md5('live-' || g)::uuid::text, 'inbound', to_char(now(), 'YYYY-MM-DD HH24:MI:SS'), extract(epoch FROM now())::int,
       'sofia/internal/' || g, 'CS_EXECUTE', 'ACTIVE', '7000', 'XML', 'default', 'fs-' || (g % $max_nodes + 1),
       'callcenter', 'PCMU', 'PCMU'
FROM generate_series(1, 240 * $max_nodes) AS g;
VACUUM ANALYZE channels;
SQL
cdr_before=$(psql -d "$db" -tAc "SELECT count(*) FROM cdr")

# mod_sofia's form for one user's digest auth (as run-directory.sh sends it), for the correctness check with curl.
sip_auth() {
  local u="$1" d="$domain"
  printf '%s' "hostname=fs-node-1&section=directory&tag_name=domain&key_name=name&key_value=$d&Event-Name=REQUEST_PARAMS&Core-UUID=6b0c5c2e-8d4d-4b7e-9d5c-6a1c2d3e4f50&FreeSWITCH-Hostname=fs-node-1&FreeSWITCH-Switchname=fs-node-1&FreeSWITCH-IPv4=10.42.0.7&FreeSWITCH-IPv6=%3A%3A1&Event-Date-Local=2026-11-25%2013%3A00%3A00&Event-Date-GMT=Wed,%2025%20Nov%202026%2013%3A00%3A00%20GMT&Event-Date-Timestamp=1795000000000000&Event-Calling-File=sofia_reg.c&Event-Calling-Function=sofia_reg_parse_auth&Event-Calling-Line-Number=3126&Event-Sequence=512&action=sip_auth&sip_profile=internal&sip_user_agent=Zoiper%20rv2.10&sip_auth_username=$u&sip_auth_realm=$d&sip_auth_nonce=2f5e6a8c-1b7d-4e1a-9c3f-0d2b4a6c8e10&sip_auth_uri=sip%3A$d&sip_contact_user=$u&sip_contact_host=192.168.1.50&sip_to_user=$u&sip_to_host=$d&sip_via_protocol=udp&sip_from_user=$u&sip_from_host=$d&sip_call_id=NjQ3Yzg0ZWQ&sip_request_host=$d&sip_auth_qop=auth&sip_auth_cnonce=a1b2c3&sip_auth_nc=00000001&sip_auth_response=0f1e2d3c4b5a69788796a5b4c3d2e1f0&sip_auth_method=REGISTER&client_port=5060&key=id&user=$u&domain=$d&ip=192.168.1.50"
}

start_replicas() {
    local n="$1" i port
    for i in $(seq 1 "$n"); do
        port=$((base_port + i - 1))
        # shellcheck disable=SC2086
        env DB_DSN="$dsn" PORT="$port" OMINIS_BIND=127.0.0.1 OMINIS_MIGRATE_ON_START=false OMINIS_LOG_LEVEL=WARN \
            OMINIS_DB_CONNECT_TIMEOUT_MS="${CONNECT_TIMEOUT_MS:-20000}" \
            OMINIS_DIRECTORY_CACHE="$cache_setting" java $java_opts -jar "$work/ominis-server.jar" serve \
            > "$work/replica$i-of$n.log" 2>&1 &
        pids+=("$!")
        wait_url "http://127.0.0.1:$port/health/ready" "$!" "replica $i" "$work/replica$i-of$n.log"
        curl -fsS --data "$(sip_auth $((first + 42)))" "http://127.0.0.1:$port$path" | grep -q 'name="password"' \
            || { echo "replica $i did not answer the user document" >&2; exit 1; }
        echo "== replica $i of $n on :$port: warm-up sweep of $users users" >&2
        BENCH_FIRST=$first BENCH_USERS=$users BENCH_DOMAIN=$domain \
            sweep 2 120 "http://127.0.0.1:$port$path" "$work/warm$i-of$n.txt" -c32 --timeout 5s
        local asked
        asked=$(awk '/requests in/ { print $1 }' "$work/warm$i-of$n.txt")
        # a sweep that did not reach every user would mix cache misses into the measured lookups
        [ "${asked:-0}" -ge "$users" ] || { echo "replica $i: warm-up asked ${asked:-0} of $users users in 120 s; use fewer --users" >&2; exit 2; }
    done
}

# One stage: wrk on every replica and, unless nodes is 0, pgbench writing the churn of that many nodes (max:
# unthrottled, 4 clients), all for $duration seconds at once.
stage() {
    local n="$1" nodes="$2" i port target pg_pid="" wrk_pids=()
    for i in $(seq 1 "$n"); do
        port=$((base_port + i - 1))
        BENCH_FIRST=$first BENCH_USERS=$users BENCH_DOMAIN=$domain \
            wrk -t1 -c"$conns" -d"${duration}s" --timeout 5s --latency -s "$lua" "http://127.0.0.1:$port$path" \
            > "$work/wrk-r$n-$nodes-$i.txt" 2>&1 &
        wrk_pids+=("$!")
    done
    target="-"
    if [ "$nodes" != 0 ]; then
        local rate_args=() pg_nodes="$nodes"
        if [ "$nodes" = max ]; then
            pg_nodes="$max_nodes"
        else
            target=$((nodes * leg_rate))
            rate_args=(-R "$target")
        fi
        rm -rf "$work/pgb-r$n-$nodes" && mkdir -p "$work/pgb-r$n-$nodes"
        (cd "$work/pgb-r$n-$nodes" && pgbench -n -M simple -c 4 -j 1 -T "$duration" "${rate_args[@]}" \
            -D nodes="$pg_nodes" -l -f "$here/churn.sql" "$db" > "$work/pgbench-r$n-$nodes.txt" 2>&1) &
        pg_pid=$!
    fi
    for i in "${wrk_pids[@]}"; do wait "$i"; done
    [ -z "$pg_pid" ] || wait "$pg_pid" || { echo "pgbench failed:" >&2; cat "$work/pgbench-r$n-$nodes.txt" >&2; exit 1; }
    local total=0 rps p99 errors per=""
    for i in $(seq 1 "$n"); do
        local out="$work/wrk-r$n-$nodes-$i.txt"
        rps=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$out")
        p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")" 1)
        errors=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$out")
        total=$((total + rps))
        per="$per${per:+ / }$rps (p99 $p99 ms, $errors err)"
    done
    local cdr_rate="-" cdr_p50="-" cdr_p99="-" cdr_failed="-" verdict="-"
    if [ -n "$pg_pid" ]; then
        local pgout="$work/pgbench-r$n-$nodes.txt"
        cdr_rate=$(awk '/^tps = / { printf "%.1f", $3 }' "$pgout" | tail -1)
        cdr_failed=$(awk '/number of failed transactions/ { print $5 }' "$pgout" | head -1)
        read -r cdr_p50 cdr_p99 < <(cat "$work/pgb-r$n-$nodes"/pgbench_log.* | awk '{ print $3 }' | sort -n \
            | awk '{ v[NR] = $1 } END { printf "%.1f %.1f\n", v[int(NR * 0.50) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000 }')
        if [ "$target" = "-" ]; then
            verdict="saturated (unthrottled)"
        elif awk -v a="$cdr_rate" -v t="$target" 'BEGIN { exit !(a >= 0.95 * t) }'; then
            verdict="sustained"
        else
            verdict="NOT sustained"
        fi
    fi
    [ "$nodes" = 0 ] && quiet_total=$total
    local vs_quiet
    vs_quiet=$(awk -v a="$total" -v b="$quiet_total" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$nodes" "$total" "$vs_quiet" "$per" "$target" \
        "$cdr_rate" "$cdr_p50" "$cdr_p99" "${cdr_failed:-0}" "$verdict" | tee -a "$rows" >&2
}

for n in $replicas_list; do
    start_replicas "$n"
    for nodes in 0 $nodes_list max; do
        echo "== $n replica(s), churn of $nodes node(s), ${duration}s" >&2
        stage "$n" "$nodes"
    done
    stop_all
done
cdr_after=$(psql -d "$db" -tAc "SELECT count(*) FROM cdr")
channels_left=$(psql -d "$db" -tAc "SELECT count(*) FROM channels WHERE name LIKE 'sofia/internal/%@%'")
uptime_after="$(uptime)"

{
    echo "## Scaling: directory on 1 and 2 replicas beside N nodes' channel and CDR writes — $stamp"
    echo
    echo "Command: \`ominis-bench/scaling/run-scaling.sh --duration $duration --nodes \"$nodes_list\" --leg-rate $leg_rate --users $users --connections $conns --cache $cache --replicas \"$replicas_list\"\`"
    echo
    echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), shared by wrk, pgbench, the replicas, PostgreSQL and other work."
    echo "uptime before: \`$uptime_before\`"
    echo "uptime after: \`$uptime_after\`"
    echo "$(java -version 2>&1 | head -1); $(psql -V); commit $commit. Replicas: \`$java_opts\`, cache $cache, $users extensions."
    echo "Each replica: wrk -t1 -c$conns (a uniformly random user per request, mod_sofia's sip_auth form); churn: pgbench -c 4 -j 1 -M simple (literal SQL, as FreeSWITCH sends it), $leg_rate legs/s per node (9 statements and one CDR row per leg), -R at the node rate, none in the \"max\" stage."
    echo "CDR rows written: $((cdr_after - cdr_before)); churn rows left in channels: $channels_left (each leg deletes its own)."
    echo
    echo "| replicas | nodes | lookups/s, all replicas | ÷ same replicas without churn | lookups/s per replica (p99, errors) | CDR/s target | CDR/s done | leg p50 ms | leg p99 ms | failed legs | churn |"
    echo "|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|"
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' "$rows"
} > "$report"
cat "$report"
echo "(written to $report; raw wrk/pgbench output in $work)" >&2
