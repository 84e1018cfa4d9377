# Sourced by the benchmark scripts. sweep THREADS SECONDS URL OUTPUT [wrk options...]: asks every user of
# BENCH_FIRST/BENCH_USERS once through sip-auth.lua (BENCH_SWEEP=1) and returns as soon as every wrk thread has
# finished its share, or after SECONDS at most. wrk 4.1.0 itself always runs for its whole -d, whatever its threads do,
# so without this a 30-minute cap is a 30-minute sweep. wrk's report (with "requests in") goes to OUTPUT.
sweep() {
  local threads="$1" seconds="$2" url="$3" output="$4"
  shift 4
  local here done_dir wrk_pid finished
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  done_dir="$(mktemp -d /tmp/ominis-sweep.XXXXXX)"
  BENCH_SWEEP=1 BENCH_SWEEP_DONE="$done_dir" \
    wrk -t"$threads" -d"${seconds}s" "$@" -s "$here/sip-auth.lua" "$url" > "$output" 2>&1 &
  wrk_pid=$!
  while kill -0 "$wrk_pid" 2>/dev/null; do
    finished=$(find "$done_dir" -name 'thread-*' | wc -l)
    if [ "$finished" -ge "$threads" ]; then
      kill -INT "$wrk_pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  wait "$wrk_pid" || true
  rm -rf "$done_dir"
}
