#!/usr/bin/env bash
# Side-by-side token-endpoint benchmark: Latchkey (release build, SQLite store in a temp data dir)
# against node-oidc-provider, both loaded the same way with wrk (client_credentials grant,
# HTTP Basic client auth, keep-alive), in one run on this machine.
#
# Usage: bench/run.sh [seconds]            (default 10 s per measurement; see BENCHMARKS.md)
# Env:   PEERS_DIR    peer servers and the shared wrk driver (default: ../shared/bench/peers
#                     relative to the repository root)
#        CONNS        connection counts to measure (default "16 64")
#        QUIET_WAIT   longest wait, in seconds, for the machine to go idle before each
#                     measurement (default 120; the idle % seen is in the last CSV column)
#        LK_BIN       use this binary instead of building target/release/latchkey
#        CASES        space-separated subset of case labels to run (default: all)
#        REPEAT       rounds of all cases (default 1); the summary gives the median ratio of the
#                     rounds and their range (figures on a shared VM drift by 20-30% in minutes)
#        NO_RSS=1     skip the memory measurements
#
# Output: CSV lines (format below), RSS lines and a ratio summary; everything printed is also
# written to bench/results/latest.txt, and each server's log to bench/results/<label>.log.
#   CSV,label,conns,requests,req/s,p50_ms,p99_ms,mean_ms,non2xx,server_cpu_s,req_per_server_cpu_s,idle%_before
#   RSS,label,idle_MiB=..,peak_MiB=..
# "1core" cases pin the server to CPU 0 and wrk to CPU 1 (Latchkey with TOKIO_WORKER_THREADS=1,
# oidc-provider as one process); "2w" cases give the server two workers (two tokio worker
# threads / two cluster processes) and let server and wrk share both CPUs.
set -u

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
DUR=${1:-$DUR}
REPEAT=${REPEAT:-1}
export DUR CONNS

want() { [ -z "${CASES:-}" ] || [[ " $CASES " == *" $1 "* ]]; }

# latchkey_case LABEL ALG PORT SERVER_CPUS WRK_CPUS WORKER_THREADS
latchkey_case() {
  local label=$1 alg=$2 port=$3 scpu=$4 wcpu=$5 threads=$6
  want "$label" || return 0
  if port_in_use "$port"; then echo "# $label: port $port is taken, skipped"; return 0; fi
  local dir="$WORK/data-$label"
  ( seed "$alg" "$dir" "$port" || exit 1
    export PREPARE="wait_ready $port"
    # shellcheck disable=SC2046
    run_case "$label" "$port" /ims/token/v3 "$scpu" "$wcpu" -- \
      env $(lk_env "$alg") TOKIO_WORKER_THREADS="$threads" \
      "$LK" serve --dev --listen "127.0.0.1:$port" --data-dir "$dir" )
}

# peer_case LABEL FORMAT PORT SERVER_CPUS WRK_CPUS WORKERS
peer_case() {
  local label=$1 format=$2 port=$3 scpu=$4 wcpu=$5 workers=$6
  want "$label" || return 0
  if port_in_use "$port"; then echo "# $label: port $port is taken, skipped"; return 0; fi
  ( cd "$PEERS_DIR/node" && unset CLIENT_ID CLIENT_SECRET PREPARE &&
    run_case "$label" "$port" /token "$scpu" "$wcpu" -- \
      env WORKERS="$workers" node oidc-provider-server.mjs "$port" "$format" )
}

# rss LABEL PORT PATH -- cmd...: resident memory summed over the process tree, idle (1 s after
# the server is ready) and peak (VmHWM) after 5 s of load at 64 connections (server on CPU 0,
# wrk on CPU 1). Needs CLIENT_ID / CLIENT_SECRET in the environment for Latchkey.
rss() {
  local label=$1 port=$2 path=$3; shift 4
  if port_in_use "$port"; then echo "# rss $label: port $port is taken, skipped"; return 0; fi
  taskset -c 0 "$@" > "$TMPDIR/peer-rss-$label.log" 2>&1 &
  local spid=$! p
  wait_port "$port" || { echo "# rss $label: server did not start"; kill "$spid"; return 0; }
  sleep 2
  local idle_kb=0 hwm_kb=0
  for p in $(tree_pids "$spid"); do idle_kb=$(( idle_kb + $(awk '/^VmRSS/{print $2}' "/proc/$p/status") )); done
  taskset -c 1 wrk -t1 -c64 -d5s -s "$PEERS_DIR/token.lua" "http://127.0.0.1:$port$path" > /dev/null 2>&1
  for p in $(tree_pids "$spid"); do hwm_kb=$(( hwm_kb + $(awk '/^VmHWM/{print $2}' "/proc/$p/status") )); done
  awk -v l="$label" -v i="$idle_kb" -v h="$hwm_kb" 'BEGIN{printf "RSS,%s,idle_MiB=%.1f,peak_MiB=%.1f\n", l, i/1024, h/1024}'
  kill $(tree_pids "$spid") 2> /dev/null; wait "$spid" 2> /dev/null
}

latchkey_rss() { # LABEL ALG PORT
  local label=$1 alg=$2 port=$3 dir="$WORK/data-rss-$1"
  want "$label" || return 0
  ( seed "$alg" "$dir" "$port" || exit 1
    # shellcheck disable=SC2046
    rss "$label" "$port" /ims/token/v3 -- env $(lk_env "$alg") \
      "$LK" serve --dev --listen "127.0.0.1:$port" --data-dir "$dir" )
}

peer_rss() { # LABEL FORMAT PORT
  want "$1" || return 0
  ( cd "$PEERS_DIR/node" && unset CLIENT_ID CLIENT_SECRET &&
    rss "$1" "$3" /token -- node oidc-provider-server.mjs "$3" "$2" )
}

# ---------------------------------------------------------------- the run
pair() { # ROUND "first command" "second command"
  if [ $(( $1 % 2 )) -eq 1 ]; then $2; $3; else $3; $2; fi
}

run_all() {
  echo "# $(date -u +%FT%TZ) latchkey $(git -C "$REPO" rev-parse --short HEAD 2> /dev/null)$(git -C "$REPO" diff --quiet HEAD 2> /dev/null || echo '+dirty')"
  echo "# $(nproc) CPUs:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ') model $(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | tr -d ' '))$(grep -q hypervisor /proc/cpuinfo && echo ', virtualized')"
  echo "# duration ${DUR}s, connections: $CONNS; wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}'); node $(node --version); oidc-provider $(node -p 'require(process.argv[1]).version' "$PEERS_DIR/node/node_modules/oidc-provider/package.json")"
  echo "# rounds: $REPEAT"
  echo "# CSV,label,conns,requests,req/s,p50_ms,p99_ms,mean_ms,non2xx,server_cpu_s,req_per_server_cpu_s,idle%_before"
  local round
  for round in $(seq 1 "$REPEAT"); do
    [ "$REPEAT" -gt 1 ] && echo "# round $round of $REPEAT"
    # each Latchkey case next to its peer; the order flips every round (ABBA) so that a drift of
    # the machine's speed during a run does not favour either server
    pair "$round" "latchkey_case latchkey-rs256-1core RS256 17401 0 1 1" \
      "peer_case oidc-provider-jwt-1core jwt 17301 0 1 1"
    pair "$round" "latchkey_case latchkey-es256-1core ES256 17402 0 1 1" \
      "peer_case oidc-provider-es256-1core jwt-es256 17302 0 1 1"
    latchkey_case latchkey-eddsa-1core EdDSA 17403 0 1 1
    pair "$round" "latchkey_case latchkey-rs256-2w RS256 17404 0,1 0,1 2" \
      "peer_case oidc-provider-jwt-2w jwt 17303 0,1 0,1 2"
    pair "$round" "latchkey_case latchkey-es256-2w ES256 17405 0,1 0,1 2" \
      "peer_case oidc-provider-es256-2w jwt-es256 17304 0,1 0,1 2"
  done
  if [ -z "${NO_RSS:-}" ]; then
    latchkey_rss latchkey-rs256 RS256 17406
    latchkey_rss latchkey-es256 ES256 17407
    peer_rss oidc-provider-jwt jwt 17305
    peer_rss oidc-provider-es256 jwt-es256 17306
  fi
}

OUT="$WORK/out.txt"
run_all 2>&1 | tee "$OUT"
python3 "$BENCH_DIR/summarize.py" "$OUT" | tee -a "$OUT"
for f in "$WORK"/peer-*.log; do
  [ -e "$f" ] || continue
  b=$(basename "$f" .log); cp "$f" "$RESULTS/${b#peer-}.log"
done
cp "$OUT" "$RESULTS/latest.txt"
echo "# written to $RESULTS/latest.txt" >&2
