#!/usr/bin/env bash
# HTTP read API under load: Ominis (Javalin + HikariCP) against the spec's own design (FastAPI + asyncpg,
# /work/shared/bench/seed-baseline/app.py: POOL=1 its "future" pool, POOL=0 a new connection per request), same
# database, same machine, one run. wrk on 127.0.0.1 only; every loop is bounded.
#
#   mvn -B -q -DskipTests package          # builds ominis-server/target/ominis-server.jar
#   ominis-bench/api/run-api.sh            # from the repository root; ~8 minutes
#
# Settings (environment): PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), BENCH_DB (ominis_bench_api),
# DURATION (15 s per measurement), WARMUP (3 s before each), OMINIS_PORT (18180), SPEC_PORT (18181),
# SPEC_APP_DIR (/work/shared/bench/seed-baseline), PYTHON (/usr/bin/python3), KEEP_DB (1 keeps the database).
# Writes the table to stdout and to ominis-bench/api/results/api-<timestamp>.md.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/ominis-server/target/ominis-server.jar"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
db="${BENCH_DB:-ominis_bench_api}"
duration="${DURATION:-15}"
warmup="${WARMUP:-3}"
ominis_port="${OMINIS_PORT:-18180}"
spec_port="${SPEC_PORT:-18181}"
spec_dir="${SPEC_APP_DIR:-/work/shared/bench/seed-baseline}"
python="${PYTHON:-/usr/bin/python3}"
dsn="postgresql://$PGUSER@$PGHOST:$PGPORT/$db"
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$here/results"
out="$here/results/api-$stamp.md"
raw="$here/results/api-$stamp-wrk"     # every measurement's full wrk output, kept beside the table
mkdir -p "$raw"
work="$(mktemp -d)"
server_pid=""

# shellcheck source=lib.sh
. "$here/lib.sh"
stop_server() {
    stop_pid "$server_pid"
    server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT

[ -f "$jar" ] || { echo "missing $jar: build it first (mvn -B -q -DskipTests package)" >&2; exit 1; }
[ -f "$spec_dir/app.py" ] || { echo "missing $spec_dir/app.py (the spec's design)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
"$python" -c 'import fastapi, asyncpg, uvicorn' 2>/dev/null \
    || { echo "apt-get install -y python3-fastapi python3-asyncpg uvicorn python3-multipart" >&2; exit 1; }

q() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
now_ms() { date +%s%3N; }

# ---------------------------------------------------------------------------------------------------------- data
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, load $(cut -d' ' -f1-3 /proc/loadavg); $(psql -X -At -d postgres -c 'SELECT version()' | cut -d, -f1), shared_buffers $(psql -X -At -d postgres -c 'SHOW shared_buffers')"
echo "== database $db"
t0=$(now_ms)
dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
DB_DSN="$dsn" java -jar "$jar" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }
grep -E "Schema version|Applied" "$work/migrate.log" | head -3 || true
base="$(q -At -c "SELECT date_trunc('second', LOCALTIMESTAMP - INTERVAL '30 days')")"
# cdr is partitioned by month (V7): create every month of the data before inserting, so no row lands in cdr_default
q -At -c "SELECT cdr_create_month_partition(m) FROM generate_series(date_trunc('month', TIMESTAMP '$base'), LOCALTIMESTAMP, INTERVAL '1 month') AS m" >/dev/null
q -f "$here/seed-switch.sql"
q -v base="$base" -f "$here/seed-cdr.sql"
t1=$(now_ms)
q -At -F ' ' -c "SELECT (SELECT count(*) FROM channels) || ' channels on ' || (SELECT count(DISTINCT hostname) FROM channels) || ' switches, '
                    || (SELECT count(*) FROM registrations) || ' registrations, ' || (SELECT count(*) FROM cdr) || ' CDRs ('
                    || (SELECT count(*) FROM cdr_default) || ' in cdr_default), from $base'" | sed 's/^/   /'
echo "   created, migrated, seeded and analysed in $(((t1 - t0) / 1000)) s"

# ------------------------------------------------------------------------------------------------- wrk scripts
# channel by uuid: a random existing uuid per request (all 1,000, all switches)
{
    echo "local uuids = {"
    q -At -c "SELECT '\"' || uuid || '\",' FROM channels ORDER BY uuid"
    echo "}"
    cat <<'EOF'
local counter = 0
function setup(thread)
   counter = counter + 1
   thread:set("seed", counter)
end
function init(args)
   math.randomseed(os.time() * 1000 + seed)
end
function request()
   return wrk.format("GET", "/v1/channels/" .. uuids[math.random(#uuids)])
end
EOF
} > "$work/channel.lua"
# per-queue statistic over 24 h: a random whole day among the 28 full days of data
first_day="$(q -At -c "SELECT to_char(date_trunc('day', TIMESTAMP '$base') + INTERVAL '1 day', 'YYYY-MM-DD')")"
cat > "$work/queues.lua" <<EOF
local counter = 0
local first = os.time{year=${first_day:0:4}, month=${first_day:5:2}, day=${first_day:8:2}, hour=12}
function setup(thread)
   counter = counter + 1
   thread:set("seed", counter)
end
function init(args)
   math.randomseed(os.time() * 1000 + seed)
end
function request()
   local day = first + 86400 * math.random(0, 27)
   local from = os.date("%Y-%m-%dT00:00:00", day)
   local to = os.date("%Y-%m-%dT00:00:00", day + 86400)
   return wrk.format("GET", "/v1/cdr/stats/queues?from=" .. from .. "&to=" .. to)
end
EOF

# ---------------------------------------------------------------------------------------------------- servers
wait_ready() { # url name
    wait_url "$1" "$server_pid" "$2" "$work/$2.log"
}

start_ominis() {
    DB_DSN="$dsn" PORT="$ominis_port" OMINIS_BIND=127.0.0.1 OMINIS_MIGRATE_ON_START=true OMINIS_LOG_LEVEL=WARN \
        java -jar "$jar" serve >"$work/ominis.log" 2>&1 &
    server_pid=$!
    wait_ready "http://127.0.0.1:$ominis_port/health/ready" ominis
}

start_spec() { # POOL
    # --no-access-log: Ominis logs no line per request either; the spec's app is otherwise run as its docstring says
    DB_DSN="$dsn" POOL="$1" "$python" -m uvicorn app:app --app-dir "$spec_dir" --host 127.0.0.1 --port "$spec_port" \
        --no-access-log --log-level warning >"$work/spec$1.log" 2>&1 &
    server_pid=$!
    wait_ready "http://127.0.0.1:$spec_port/v1/channels/count" "spec$1"
}

# ------------------------------------------------------------------------------------------------ measurement

results="$work/results.tsv"
checks="$work/checks.tsv"
: > "$results"
: > "$checks"
served() { # system endpoint: requests Ominis has answered on that route so far (its Prometheus counter), else empty
    [ "$1" = ominis ] || return 0
    local route
    case "$2" in
        channel) route='/v1/channels/{uuid}';; count) route='/v1/channels/count';;
        registrations) route='/v1/registrations';; queues) route='/v1/cdr/stats/queues';;
    esac
    curl -fsS "http://127.0.0.1:$ominis_port/metrics" | awk -v r="route=\"$route\"" \
        'index($0, r) && $1 ~ /^ominis_http_server_requests_seconds_count/ {s += $NF} END {printf "%d", s}'
}
measure() { # system endpoint connections url [script]
    local system="$1" endpoint="$2" conns="$3" url="$4" script="${5:-}"
    local args=(-t2 -c"$conns" --latency)
    [ -n "$script" ] && args+=(-s "$script")
    wrk "${args[@]}" -d"${warmup}s" "$url" >/dev/null 2>&1 || true
    local log="$work/wrk-$system-$endpoint-$conns.txt"
    local served0; served0="$(served "$system" "$endpoint")" || served0=""
    wrk "${args[@]}" -d"${duration}s" --timeout 10s "$url" > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
    local served1; served1="$(served "$system" "$endpoint")" || served1=""
    cp "$log" "$raw/"
    # cross-checks of wrk's own figures: the server's count of requests (Ominis's /metrics) and Little's law
    # (req/s x mean latency must be about the number of connections, each having one request in flight at a time)
    local total mean little
    total="$(awk '/requests in/ {print $1}' "$log")"
    mean="$(to_ms "$(awk '$1 == "Latency" && NF > 3 {print $2}' "$log")")"
    little="$(awk -v r="$(awk '/^Requests\/sec:/ {print $2}' "$log")" -v m="$mean" -v c="$conns" 'BEGIN { printf "%.2f", r * m / 1000 / c }')"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$system" "$endpoint" "$conns" "$total" \
        "$([ -n "$served0" ] && [ -n "$served1" ] && echo $((served1 - served0)) || echo "n/a")" "$mean" "$little" >> "$checks"
    local rps p50 p99 bad errs
    rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$log")"
    p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$log")")"
    p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$log")")"
    bad="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$log")"
    errs="$(awk '/Socket errors:/ {sub(/.*Socket errors: /, ""); print}' "$log")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$system" "$endpoint" "$conns" "$rps" "$p50" "$p99" "${bad:-0}" "${errs:-}" >> "$results"
    printf '   %-10s %-13s c=%-3s %8s req/s  p50 %8s ms  p99 %8s ms%s%s\n' "$system" "$endpoint" "$conns" "$rps" "$p50" "$p99" \
        "$([ -n "$bad" ] && echo "  NON-2xx: $bad")" "$([ -n "$errs" ] && echo "  socket errors: $errs")"
}

day="$(q -At -c "SELECT to_char(date_trunc('day', TIMESTAMP '$base') + INTERVAL '15 days', 'YYYY-MM-DD')")"
next_day="$(q -At -c "SELECT to_char(date_trunc('day', TIMESTAMP '$base') + INTERVAL '16 days', 'YYYY-MM-DD')")"
check() { # url expected-substring what
    local body; body="$(curl -fsS "$1")" || { echo "check failed: $3 ($1)" >&2; exit 1; }
    case "$body" in *"$2"*) ;; *) echo "check failed: $3 answered ${body:0:200}" >&2; exit 1 ;; esac
}
one_uuid="$(q -At -c "SELECT uuid FROM channels ORDER BY uuid LIMIT 1")"

echo "== wrk -t2: per server ${warmup} s on each endpoint first, then per line ${warmup} s warm-up and ${duration} s measured"
start_ominis
o="http://127.0.0.1:$ominis_port"
check "$o/v1/channels/$one_uuid" "$one_uuid" "ominis channel by uuid"
check "$o/v1/channels/count" '"count":1000' "ominis channel count"
[ "$(curl -fsS "$o/v1/registrations?limit=1000" | grep -o '"reg_user"' | wc -l)" = 1000 ] || { echo "ominis registrations: not 1000 rows" >&2; exit 1; }
check "$o/v1/cdr/stats/queues?from=${day}T00:00:00&to=${next_day}T00:00:00" '"queue-19@default"' "ominis queue statistics"
warm_all() { # base-url channel-script count-url registrations-url [queues-script]: JIT and pools warm before anything counts
    wrk -t2 -c16 -d"${warmup}s" -s "$2" "$1" >/dev/null 2>&1 || true
    wrk -t2 -c16 -d"${warmup}s" "$3" >/dev/null 2>&1 || true
    wrk -t2 -c16 -d"${warmup}s" "$4" >/dev/null 2>&1 || true
    [ -z "${5:-}" ] || wrk -t2 -c16 -d"${warmup}s" -s "$5" "$1" >/dev/null 2>&1 || true
}
warm_all "$o" "$work/channel.lua" "$o/v1/channels/count" "$o/v1/registrations?limit=1000" "$work/queues.lua"
for c in 16 64; do
    measure ominis channel "$c" "$o" "$work/channel.lua"
    measure ominis count "$c" "$o/v1/channels/count"
    measure ominis registrations "$c" "$o/v1/registrations?limit=1000"
    measure ominis queues "$c" "$o" "$work/queues.lua"
done
stop_server

for pool in 1 0; do
    start_spec "$pool"
    s="http://127.0.0.1:$spec_port"
    check "$s/v1/channels/$one_uuid" "$one_uuid" "spec channel by uuid"
    check "$s/v1/channels/count" '"count":1000' "spec channel count"
    [ "$(curl -fsS "$s/v1/registrations" | grep -o '"reg_user"' | wc -l)" = 1000 ] || { echo "spec registrations: not 1000 rows" >&2; exit 1; }
    warm_all "$s" "$work/channel.lua" "$s/v1/channels/count" "$s/v1/registrations"
    conns_list="16 64"
    [ "$pool" = 0 ] && conns_list="16"   # a new PostgreSQL connection per request: 16 at a time is the spec's case
    for c in $conns_list; do
        measure "spec-pool$pool" channel "$c" "$s" "$work/channel.lua"
        measure "spec-pool$pool" count "$c" "$s/v1/channels/count"
        measure "spec-pool$pool" registrations "$c" "$s/v1/registrations"
    done
    stop_server
done

# ------------------------------------------------------------------------------------------------------ table
get() { awk -F'\t' -v s="$1" -v e="$2" -v c="$3" -v f="$4" '$1 == s && $2 == e && $3 == c {print $f}' "$results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "—"; else printf "%.1f×", a / b }'; }
cell() { local v; v="$(get "$@")"; echo "${v:-—}"; }
{
    echo "# API benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
    echo
    echo "Database \`$db\`: 1,000 channels on 3 switches, 1,000 registrations, 1,000,000 CDRs over 30 days (20 queues,"
    echo "200 agents). wrk 4.1 \`-t2 -cN --latency\`, ${warmup} s warm-up then ${duration} s; load generator, servers and"
    echo "PostgreSQL on the same $(nproc) cores (load average at start $(cut -d' ' -f1-3 /proc/loadavg))."
    echo "Ominis: \`java -jar ominis-server.jar serve\`, HikariCP pool 10 (default). Spec: \`app.py\` under uvicorn"
    echo "(one worker, asyncio + h11: Debian ships no uvloop/httptools), \`POOL=1\` = asyncpg pool 10–50, \`POOL=0\` = a new"
    echo "connection per request. Ratio = Ominis ÷ spec POOL=1 (throughput: higher is better for Ominis; latency: lower is)."
    echo
    echo "| endpoint | conns | Ominis req/s | spec POOL=1 req/s | spec POOL=0 req/s | req/s ratio | Ominis p50 / p99 ms | spec POOL=1 p50 / p99 ms | spec POOL=0 p50 / p99 ms | p99 ratio |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    for e in channel count registrations queues; do
        for c in 16 64; do
            case "$e" in
                channel) name="GET /v1/channels/{uuid} (random)";;
                count) name="GET /v1/channels/count";;
                registrations) name="GET /v1/registrations (1,000 rows)";;
                queues) name="GET /v1/cdr/stats/queues (24 h, random day)";;
            esac
            orps="$(get ominis "$e" "$c" 4)"; prps="$(get spec-pool1 "$e" "$c" 4)"; zrps="$(get spec-pool0 "$e" "$c" 4)"
            op99="$(get ominis "$e" "$c" 6)"; pp99="$(get spec-pool1 "$e" "$c" 6)"
            if [ "$e" = queues ]; then
                spec1="no such route"; spec0="no such route"; r1="—"; r2="—"
                s1l="—"; s0l="—"
            else
                spec1="${prps:-—}"; spec0="${zrps:-not run}"; r1="$(ratio "$orps" "$prps")"; r2="$(ratio "$pp99" "$op99")"
                s1l="$(cell spec-pool1 "$e" "$c" 5) / $(cell spec-pool1 "$e" "$c" 6)"
                s0l="$([ -n "$zrps" ] && echo "$(cell spec-pool0 "$e" "$c" 5) / $(cell spec-pool0 "$e" "$c" 6)" || echo "not run")"
            fi
            echo "| $name | $c | ${orps:-—} | $spec1 | $spec0 | $r1 | $(cell ominis "$e" "$c" 5) / $(cell ominis "$e" "$c" 6) | $s1l | $s0l | $r2 |"
        done
    done
    echo
    echo "p99 ratio = spec POOL=1 p99 ÷ Ominis p99 (how many times lower Ominis's tail is). POOL=0 is measured at 16"
    echo "connections only. The spec's app has no CDR statistics route. Registrations: Ominis sorts (reg_user, realm, …),"
    echo "applies the limit and marks expired rows; the spec's app returns \`SELECT *\` unsorted."
    bad="$(awk -F'\t' '$7 != "0" || $8 != "" {print "- " $1 " " $2 " c=" $3 ": non-2xx " $7 ", socket errors " ($8 == "" ? "none" : $8)}' "$results")"
    if [ -n "$bad" ]; then echo; echo "Errors during measurement:"; echo "$bad"; else echo; echo "Every response was 2xx; no socket errors."; fi
    echo
    echo "Cross-checks of wrk's figures. *served* = requests the server counted on that route during the measurement"
    echo "(Ominis's /metrics; the spec's app has none). *Little* = req/s × mean latency ÷ connections: with one request"
    echo "in flight per connection it must be close to 1; well above 1 means wrk's latency figures for that line are not"
    echo "self-consistent and its p50/p99 should not be trusted."
    echo
    echo "| system | endpoint | conns | wrk requests | served | wrk mean ms | Little |"
    echo "|---|---|---|---|---|---|---|"
    awk -F'\t' '{ flag = ($7 + 0 > 1.25) ? " **inconsistent**" : ""; printf "| %s | %s | %s | %s | %s | %s | %s%s |\n", $1, $2, $3, $4, $5, $6, $7, flag }' "$checks"
    echo
    echo "Raw: system, endpoint, connections, req/s, p50 ms, p99 ms, non-2xx, socket errors"
    echo
    echo '```'
    cat "$results"
    echo '```'
} > "$out"
echo
cat "$out"
echo
echo "written to ${out#$root/} (full wrk outputs in ${raw#$root/}/)"
[ "${KEEP_DB:-0}" = 1 ] || dropdb "$db"
