#!/usr/bin/env bash
# The cost of the AEM authorization chain (issue 4): server CPU per request and latency of an
# authorized `GET /adobe/assets/{id}/metadata` (gateway, environment, allowlist, technical
# account, permission, then the DAM read) beside requests that only validate the JWT, in one
# run against one release binary:
#   jwt_only        GET /adobe/folders with a valid token and a wrong x-api-key: the gateway
#                   verifies the token (signature, claims, expiry) and refuses with 403003.
#   validate_token  POST /ims/validate_token/v1: IMS's own "is this token valid" endpoint.
#   metadata        the authorized metadata read.
# Server CPU is read from /proc/<pid>/stat around each wrk run (utime+stime), so the figure is
# CPU per request of the server alone, independent of wrk's own share of the 2 cores.
#
# Usage: bench/aem.sh [SECONDS=10] [CONNECTIONS=16]    (LK_BIN=path skips the release build)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SECS=${1:-10}
CONNS=${2:-16}
PORT=18331
DIR="$WORK/aem"
seed RS256 "$DIR" "$PORT"
# shellcheck disable=SC2046
env $(lk_env RS256) "$LK" serve --dev --listen "127.0.0.1:$PORT" --data-dir "$DIR" > "$DIR/run.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
wait_ready "$PORT" || { cat "$DIR/run.log" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"
TOKEN=$(curl -s -X POST "$BASE/ims/token/v3" -d "grant_type=client_credentials&client_id=$CLIENT_ID&client_secret=$CLIENT_SECRET" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
ASSET=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["aem"]["sample_asset_id"])' "$DIR/dev-credentials.json")
cat > "$WORK/validate.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "type=access_token&client_id=$CLIENT_ID&token=$TOKEN"
LUA

cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
HZ=$(getconf CLK_TCK)

run() { # NAME wrk-args...: one wrk run; prints req/s, server CPU per request, p99
  local name=$1; shift
  local before after out reqs p99 codes
  before=$(cpu_ticks)
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$@")
  after=$(cpu_ticks)
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  codes=$(echo "$out" | awk '/Non-2xx/ {print "non-2xx: " $NF}')
  python3 - "$name" "$reqs" "$before" "$after" "$HZ" "$SECS" "$p99" "${codes:-all 2xx}" <<'PY'
import sys
name, reqs, b, a, hz, secs, p99, codes = sys.argv[1:]
reqs, cpu = int(reqs), (int(a) - int(b)) / int(hz)
print(f"{name:15} {reqs/float(secs):9.0f} req/s  {cpu*1e6/reqs:7.1f} us CPU/req  p99 {p99:>8}  ({codes})")
PY
}

echo "AEM chain benchmark: ${SECS}s per case, $CONNS connections, $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
AUTH=(-H "Authorization: Bearer $TOKEN" -H "x-api-key: $CLIENT_ID")
run jwt_only -H "Authorization: Bearer $TOKEN" -H "x-api-key: wrong" "$BASE/adobe/folders" | tee "$WORK/jwt.txt"
run validate_token -s "$WORK/validate.lua" "$BASE/ims/validate_token/v1" | tee "$WORK/validate.txt"
run chain_dry_run "${AUTH[@]}" "$BASE/adobe/latchkey/authorize?privilege=read&path=/content/dam/wknd-shared" | tee "$WORK/chain.txt"
run metadata "${AUTH[@]}" "$BASE/adobe/assets/$ASSET/metadata" | tee "$WORK/meta.txt"
python3 - "$WORK/jwt.txt" "$WORK/chain.txt" "$WORK/meta.txt" <<'PY'
import re, sys
jwt, chain, meta = [float(re.search(r"([\d.]+) us CPU", open(f).read()).group(1)) for f in sys.argv[1:]]
print(f"whole chain (dry run) / jwt_only CPU per request: {chain/jwt:.2f}x (+{(chain/jwt-1)*100:.0f}%)")
print(f"metadata (chain + DAM read) / jwt_only CPU per request: {meta/jwt:.2f}x (+{(meta/jwt-1)*100:.0f}%)")
PY
