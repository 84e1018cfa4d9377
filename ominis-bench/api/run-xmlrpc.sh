#!/usr/bin/env bash
# Database vs XML-RPC (the spec's "10-50x faster" claim): creates and seeds a small database (FreeSWITCH's core tables
# only: 1,000 channels and 1,000 registrations on 3 switches), then runs XmlRpcVsDatabase.java against it and against
# its in-process FreeSWITCH stand-in. 127.0.0.1 only; a fixed number of sequential calls.
#
#   mvn -B -q -DskipTests package          # builds ominis-server/target/ominis-server.jar (it contains every module)
#   ominis-bench/api/run-xmlrpc.sh         # from the repository root; ~2-3 minutes
#
# Settings (environment): PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), BENCH_DB (ominis_bench_xmlrpc),
# CALLS (2000 timed calls per question and path), WARMUP (500), KEEP_DB (1 keeps the database).
# Writes the tables to stdout and to ominis-bench/api/results/xmlrpc-<timestamp>.md.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/ominis-server/target/ominis-server.jar"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
db="${BENCH_DB:-ominis_bench_xmlrpc}"
export DB_DSN="postgresql://$PGUSER@$PGHOST:$PGPORT/$db"
mkdir -p "$here/results"
out="$here/results/xmlrpc-$(date +%Y%m%d-%H%M%S).md"

[ -f "$jar" ] || { echo "missing $jar: build it first (mvn -B -q -DskipTests package)" >&2; exit 1; }

dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
java -jar "$jar" migrate >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$here/seed-switch.sql"
load="$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
{
    java -cp "$jar" "$here/XmlRpcVsDatabase.java"
    echo
    echo "Machine: $(nproc) cores shared by this program (client and stand-ins) and PostgreSQL; load average before the"
    echo "run $load; $(java -version 2>&1 | head -1); $(psql -X -At -d postgres -c 'SELECT version()' | cut -d, -f1)."
} | tee "$out"
echo "written to ${out#$root/}"
[ "${KEEP_DB:-0}" = 1 ] || dropdb "$db"
