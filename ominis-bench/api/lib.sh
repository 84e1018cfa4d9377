# Shell helpers the API benchmarks share (sourced by run-api.sh and run-channels.sh).

# wrk's latency figures (812.00us, 1.25ms, 1.02s, 1.50m) in milliseconds, two decimals unless $2 says otherwise.
to_ms() { awk -v v="$1" -v d="${2:-2}" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.*f", d, n }'; }

# Stops process $1 (if it still runs): TERM, up to 10 s to exit, then KILL.
stop_pid() {
    local pid="$1"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# Waits (at most 60 s) until URL $1 answers 2xx while process $2 lives; $3 names it and $4 is its log, shown on failure.
wait_url() {
    for _ in $(seq 1 120); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || { echo "$3 exited during start-up:" >&2; tail -20 "$4" >&2; exit 1; }
        sleep 0.5
    done
    echo "$3 not ready after 60 s" >&2; tail -20 "$4" >&2; exit 1
}
