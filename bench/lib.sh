# Shared set-up of bench/run.sh and bench/profile.sh (source it): finds the peers
# (PEERS_DIR, default ../shared/bench/peers from the repository root) and sources their common.sh,
# installs wrk / curl / node and the peers' npm packages when missing, builds the release binary
# (or takes LK_BIN), makes a temporary work directory ($WORK, removed on exit) and defines the
# Latchkey helpers lk_env, wait_ready, port_in_use and seed.
# shellcheck shell=bash
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
PEERS_DIR="${PEERS_DIR:-$REPO/../shared/bench/peers}"
if [ ! -f "$PEERS_DIR/common.sh" ]; then
  echo "bench: no peers at $PEERS_DIR (clone shared/ beside the repo, or set PEERS_DIR)" >&2
  exit 1
fi
PEERS_DIR="$(cd "$PEERS_DIR" && pwd)"
# shellcheck source=/dev/null
source "$PEERS_DIR/common.sh"  # run_case, tree_pids, wait_port; DUR and CONNS defaults
RESULTS="$BENCH_DIR/results"
# Latchkey refuses unknown LATCHKEY_* variables, and settings from the caller's environment would
# change what is measured: every Latchkey run gets only the settings lk_env gives.
for v in $(compgen -e | grep '^LATCHKEY_'); do unset "$v"; done
mkdir -p "$RESULTS"

# ---------------------------------------------------------------- prerequisites
apt_install() {
  apt-get install -y "$@" > /dev/null 2>&1 \
    || { apt-get update > /dev/null 2>&1 && apt-get install -y "$@" > /dev/null 2>&1; }
}
command -v wrk > /dev/null || apt_install wrk || { echo "cannot install wrk" >&2; exit 1; }
command -v taskset > /dev/null || apt_install util-linux || { echo "cannot install taskset" >&2; exit 1; }
command -v curl > /dev/null || apt_install curl || { echo "cannot install curl" >&2; exit 1; }
command -v node > /dev/null || apt_install nodejs npm || { echo "cannot install node" >&2; exit 1; }
if [ ! -d "$PEERS_DIR/node/node_modules/oidc-provider" ]; then
  (cd "$PEERS_DIR/node" && npm install --no-audit --no-fund > /dev/null 2>&1) \
    || { echo "npm install failed in $PEERS_DIR/node" >&2; exit 1; }
fi

if [ -n "${LK_BIN:-}" ]; then
  LK="$LK_BIN"
else
  echo "building latchkey (release)..." >&2
  (cd "$REPO" && cargo build --release -p latchkey-cli >&2) || { echo "cargo build failed" >&2; exit 1; }
  TARGET_DIR=$(cd "$REPO" && cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  LK="$TARGET_DIR/release/latchkey"
fi
[ -x "$LK" ] || { echo "no latchkey binary at $LK" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/latchkey-bench.XXXXXX")
export TMPDIR="$WORK"   # run_case writes each server's output to $TMPDIR/peer-<label>.log
trap 'rm -rf "$WORK"' EXIT

# ---------------------------------------------------------------- helpers
# The environment every Latchkey run gets: no per-credential token budget (a load test would
# otherwise get 429s after 600 tokens a minute) and no per-request access log line.
lk_env() { # ALG
  echo LATCHKEY_TOKENS_SIGNING_ALG="$1" LATCHKEY_LIMITS_TOKENS_PER_CREDENTIAL_PER_MINUTE=0 \
    LATCHKEY_LOG_LEVEL=warn
}

port_in_use() { (echo > "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

wait_ready() { # PORT: /health answers 200 (the listener is bound before start-up finishes)
  for _ in $(seq 1 150); do
    curl -fs -o /dev/null "http://127.0.0.1:$1/health" && return 0
    sleep 0.2
  done
  return 1
}

# seed ALG DIR PORT: first start in dev mode on DIR (creates the database, the signing key for
# ALG and the demo credential), read the credential, stop. Sets CLIENT_ID / CLIENT_SECRET.
seed() {
  local alg=$1 dir=$2 port=$3
  mkdir -p "$dir"
  # shellcheck disable=SC2046
  env $(lk_env "$alg") "$LK" serve --dev --listen "127.0.0.1:$port" --data-dir "$dir" \
    > "$dir/seed.log" 2>&1 &
  local pid=$!
  if ! wait_ready "$port" || [ ! -s "$dir/dev-credentials.json" ]; then
    echo "latchkey did not start on $port:" >&2; cat "$dir/seed.log" >&2; kill "$pid" 2> /dev/null
    return 1
  fi
  kill "$pid"; wait "$pid" 2> /dev/null
  read -r CLIENT_ID CLIENT_SECRET < <(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["credentials"]["oauth_server_to_server"]
print(c["client_id"], c["client_secret"])' "$dir/dev-credentials.json")
  export CLIENT_ID CLIENT_SECRET
}

