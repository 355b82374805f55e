#!/usr/bin/env bash
# Where Latchkey's CPU goes while it issues tokens: one server (pinned to CPU 0, one tokio worker
# thread, same settings as bench/run.sh) under wrk load from CPU 1, sampled with `perf record -e
# cpu-clock` (a software clock: works in VMs without hardware counters), then grouped by
# bench/perf_categories.py into categories with their µs per token.
#
# Usage: bench/profile.sh [ALG] [CONNS] [SECONDS]     (defaults: ES256 16 8)
# Env:   LK_BIN, PEERS_DIR, QUIET_WAIT as for bench/run.sh; PERF_DATA keeps the profile there.
set -u
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
ALG=${1:-ES256} C=${2:-16} SECS=${3:-8} PORT=${PORT:-17450}
command -v perf > /dev/null || apt_install linux-perf || { echo "perf is not available" >&2; exit 1; }
port_in_use "$PORT" && { echo "port $PORT is taken (set PORT)" >&2; exit 1; }
DIR="$WORK/data" DATA=${PERF_DATA:-$WORK/perf.data}
seed "$ALG" "$DIR" "$PORT" || exit 1
# shellcheck disable=SC2046
env $(lk_env "$ALG") TOKIO_WORKER_THREADS=1 taskset -c 0 \
  "$LK" serve --dev --listen "127.0.0.1:$PORT" --data-dir "$DIR" > "$WORK/server.log" 2>&1 &
SPID=$!
wait_ready "$PORT" || { cat "$WORK/server.log"; kill "$SPID"; exit 1; }
URL="http://127.0.0.1:$PORT/ims/token/v3"
taskset -c 1 wrk -t1 -c"$C" -d3s -s "$PEERS_DIR/token.lua" "$URL" > /dev/null 2>&1  # warm-up
echo "# $("$HERE/quiet.sh" "${QUIET_WAIT:-120}") before the load" # the machine's other work skews profiles
taskset -c 1 wrk -t1 -c"$C" -d"$((SECS + 2))s" -s "$PEERS_DIR/token.lua" "$URL" > "$WORK/wrk.txt" 2>&1 &
WPID=$!
sleep 1
t0=$(tree_ticks "$SPID"); w0=$(date +%s.%N)
taskset -c 1 perf record -q -e cpu-clock -F 4999 -p "$SPID" -o "$DATA" -- sleep "$SECS" > /dev/null 2>&1
t1=$(tree_ticks "$SPID"); w1=$(date +%s.%N)
wait "$WPID"
kill "$SPID"; wait "$SPID" 2> /dev/null
rps=$(awk -F, '/^CSV/{print $3}' "$WORK/wrk.txt")
cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", (b-a)/hz}')
wall=$(awk -v a="$w0" -v b="$w1" 'BEGIN{printf "%.2f", b-a}')
# µs of server CPU per token: server CPU seconds in the window / tokens issued in it (wrk's rate)
us=$(awk -v c="$cpu" -v r="$rps" -v w="$wall" 'BEGIN{ if (r > 0) printf "%.1f", c * 1e6 / (r * w); else print 0 }')
echo "# latchkey $ALG, 1 core, $C connections: $rps tokens/s, server CPU ${cpu}s in ${wall}s, ${us} µs/token"
grep -q ',0$' "$WORK/wrk.txt" || echo "# WARNING: non-2xx responses: $(grep ^CSV "$WORK/wrk.txt")"
python3 "$BENCH_DIR/perf_categories.py" "$DATA" "$us"
