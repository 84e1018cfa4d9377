#!/usr/bin/env bash
# CDR at scale: 10,000,000 records over 13 months in the partitioned cdr of migration V7, then the latency of the
# per-queue 24 h statistic, of a deep keyset page, of a lookup by uuid and of a mod_odbc_cdr-style insert, and the
# time retention takes to drop one month.
#
#   mvn -B -q -pl ominis-server -am package -DskipTests      # builds ominis-server/target/ominis-server.jar
#   ominis-bench/cdr/run-cdr-bench.sh                         # from the repository root
#
# Settings (environment): PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), BENCH_DB (ominis_cdr_bench),
# CALLS (5000000: two legs each, so 10,000,000 rows), RUNS (50 timed executions per query), KEEP_DB (1 keeps the
# database for inspection; default drops it at the end).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/ominis-server/target/ominis-server.jar"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
db="${BENCH_DB:-ominis_cdr_bench}"
calls="${CALLS:-5000000}"
runs="${RUNS:-50}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DB_DSN="postgresql://$PGUSER@$PGHOST:$PGPORT/$db"

[ -f "$jar" ] || { echo "missing $jar: build it first (mvn -B -q -pl ominis-server -am package -DskipTests)" >&2; exit 1; }

q() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
now_ms() { date +%s%3N; }

# median and p95 (nearest rank) in ms of the latencies (µs, third field) of pgbench's per-transaction logs
percentiles() {
    cat "$@" | awk '{print $3}' | sort -n | awk '{v[NR]=$1} END {
        m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; p = v[int(NR*0.95 + 0.999)];
        printf "median %.2f ms, p95 %.2f ms, max %.2f ms (n=%d)\n", m/1000, p/1000, v[NR]/1000, NR }'
}

bench() { # name file transactions
    local name="$1" file="$2" n="$3"
    rm -f "$work/$name".log*
    pgbench -n -M simple -c 1 -t "$n" -f "$file" -l --log-prefix="$work/$name.log" "$db" >/dev/null 2>"$work/$name.err" \
        || { cat "$work/$name.err" >&2; exit 1; }
    printf '%-34s %s\n' "$name" "$(percentiles "$work/$name".log*)"
}

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(psql -X -At -d postgres -c 'SELECT version()' | cut -d, -f1)"
psql -X -At -d postgres -c "SELECT 'shared_buffers ' || current_setting('shared_buffers') || ', work_mem ' || current_setting('work_mem') || ', max_wal_size ' || current_setting('max_wal_size')"

echo "== database $db, migrated by ominis-server.jar migrate"
dropdb --if-exists "$db"
createdb "$db"
java -jar "$jar" migrate | grep -E "Applied|Schema version"

base="$(q -At -c "SELECT date_trunc('month', LOCALTIMESTAMP) - INTERVAL '12 months'")"
upto="$(q -At -c "SELECT date_trunc('second', LOCALTIMESTAMP)")"
echo "data from $base to $upto: $calls calls, $((calls * 2)) rows"
# the months of the data (the migration made the current one and three ahead)
q -c "SELECT cdr_create_month_partition(m) FROM generate_series(TIMESTAMP '$base', TIMESTAMP '$upto', INTERVAL '1 month') AS m" >/dev/null

echo "== load"
# The first 100,000 rows go in with the uuid trigger, as mod_odbc_cdr's inserts do, to measure its cost in bulk.
sample=100000
t0=$(now_ms)
q -v lo=0 -v hi=$((sample - 1)) -v calls="$calls" -v base="$base" -v upto="$upto" -f "$here/load.sql"
t1=$(now_ms)
echo "with the uuid trigger:    $sample rows in $((t1 - t0)) ms ($((sample * 1000 / (t1 - t0 + 1))) rows/s)"

# The rest is generated with distinct uuids by construction, so the bench disables the trigger for the bulk load (it
# would only probe every partition for uuids that cannot collide) and re-enables it before measuring. Two loaders
# run at once, one per core, each on its own slices of the calls.
q -c "ALTER TABLE cdr DISABLE TRIGGER cdr_uuid_unique_insert"
total=$((calls * 2))
slice=1000000
t0=$(now_ms)
load_slices() { # first slice index, step
    local s="$1"
    while [ $((sample + s * slice)) -lt "$total" ]; do
        local lo=$((sample + s * slice)) hi=$((sample + (s + 1) * slice - 1))
        [ "$hi" -lt "$total" ] || hi=$((total - 1))
        q -v lo="$lo" -v hi="$hi" -v calls="$calls" -v base="$base" -v upto="$upto" -f "$here/load.sql"
        s=$((s + $2))
    done
}
load_slices 0 2 & first=$!
load_slices 1 2 & second=$!
wait "$first" && wait "$second" || { echo "bulk load failed" >&2; exit 1; }
t1=$(now_ms)
q -c "ALTER TABLE cdr ENABLE TRIGGER cdr_uuid_unique_insert"
echo "bulk without the trigger: $((total - sample)) rows in $(((t1 - t0) / 1000)) s ($(((total - sample) * 1000 / (t1 - t0 + 1))) rows/s, 2 loaders)"
t0=$(now_ms)
q -c "VACUUM ANALYZE cdr"
t1=$(now_ms)
echo "VACUUM ANALYZE: $(((t1 - t0) / 1000)) s"
q -At -c "SELECT 'rows ' || count(*) FROM cdr"
q -At -c "SELECT 'partitions ' || count(*) || ', total ' || pg_size_pretty(sum(pg_total_relation_size(relid))) FROM pg_partition_tree('cdr') WHERE isleaf"

echo "== queries ($runs timed runs each, one client, random day/cursor per run)"
sed "s/BASE/$base/g" "$here/queues.sql.in" > "$work/queues.sql"
sed "s/BASE/$base/g" "$here/keyset.sql.in" > "$work/keyset.sql"
cat > "$work/find.sql" <<EOF
\set c random(0, $((calls - 1)))
SELECT * FROM cdr WHERE uuid = md5('m' || :c)::uuid::text;
EOF
# the shape of mod_odbc_cdr's INSERT (answer_stamp omitted); uuid and stamps from the server, as no two uuids may
# repeat across runs
cat > "$work/insert.sql" <<'EOF'
INSERT INTO cdr (uuid, caller_id_name, caller_id_number, destination_number, context, start_stamp, end_stamp, duration, billsec, hangup_cause, switch_name) VALUES (gen_random_uuid()::text, 'Bob', '5552000', '1001', 'default', LOCALTIMESTAMP(0), LOCALTIMESTAMP(0), '20', '0', 'NO_ANSWER', 'fs1');
EOF
q -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $(sed "s/:d/200/g" "$work/queues.sql" | grep -v '^\\set' | grep -v '^--')" > "$work/queues.plan"
q -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $(sed "s/:d/200/g" "$work/keyset.sql" | grep -v '^\\set' | grep -v '^--')" > "$work/keyset.plan"
bench "queue statistics, 24 h window" "$work/queues.sql" "$runs"
bench "deep keyset page (limit 100)" "$work/keyset.sql" "$runs"
bench "find by uuid" "$work/find.sql" "$runs"
bench "insert, mod_odbc_cdr shape" "$work/insert.sql" 1000

echo "== retention"
oldest="$(q -At -c "SELECT to_char(TIMESTAMP '$base', '\"cdr_y\"YYYY\"m\"MM')")"
rows_oldest="$(q -At -c "SELECT count(*) FROM $oldest")"
echo "cdr-maintenance with OMINIS_CDR_RETENTION_MONTHS=11 (drops $oldest, $rows_oldest rows):"
t0=$(now_ms)
OMINIS_CDR_RETENTION_MONTHS=11 java -jar "$jar" cdr-maintenance | grep -E "Dropped|Retention|Done in"
t1=$(now_ms)
echo "  whole command, JVM start included: $((t1 - t0)) ms"
second="$(q -At -c "SELECT to_char(TIMESTAMP '$base' + INTERVAL '1 month', '\"cdr_y\"YYYY\"m\"MM')")"
rows_second="$(q -At -c "SELECT count(*) FROM $second")"
echo "bare DROP TABLE $second ($rows_second rows), psql \\timing:"
q -c '\timing on' -c "DROP TABLE $second" | grep Time

echo "== plans (EXPLAIN ANALYZE at day 200)"
echo "-- queue statistics:"; grep -E "Execution Time|Planning Time|Scan|Append" "$work/queues.plan" | sed 's/^/   /' | head -12
echo "-- deep keyset page:"; grep -E "Execution Time|Planning Time|Scan|Append|Limit" "$work/keyset.plan" | sed 's/^/   /' | head -12

[ "${KEEP_DB:-0}" = 1 ] || dropdb "$db"
