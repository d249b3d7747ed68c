#!/usr/bin/env bash
# What requests nobody authenticated cost everyone else. Introspection stands for the endpoints that run
# on token-service's worker threads (refresh, token exchange, private_key_jwt, login): its rate alone,
# then under a flood of client_credentials requests naming made-up API keys (each of which used to hold
# a worker thread for up to 3 s waiting for a projection that never comes), in the same run.
# Needs `deploy/local/mandate start` running and wrk (sudo apt-get install -y wrk).
#
#   bench/unauthenticated-flood.sh [seconds per run, default 20] [flood connections, default 200]
#
# Writes bench/results/<UTC date>-unauthenticated-flood.txt (appends). Only ever targets 127.0.0.1.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${1:-20}
FLOOD=${2:-200}
command -v wrk >/dev/null || { echo "wrk not found: sudo apt-get install -y wrk" >&2; exit 1; }
[ -f "$ROOT/.mandate/local/secrets.env" ] || { echo "start the stack first: deploy/local/mandate start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$ROOT/.mandate/local/secrets.env"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
OUT="$ROOT/bench/results/$(date -u +%F)-unauthenticated-flood.txt"

register() { # name: "agent-id api-key"
  curl -fsS -X POST 127.0.0.1:8081/v1/agents -H "Authorization: Bearer $MANDATE_ADMIN_BOOTSTRAP_TOKEN" \
    -H 'Content-Type: application/json' \
    -d "{\"name\":\"flood-$1\",\"owner_email\":\"bench@example.com\",\"permissions\":[\"bench:tokens:issue\"],\"tier\":\"enterprise\"}" \
  | python3 -c 'import json,sys;r=json.load(sys.stdin);print(r["agent"]["id"], r["credentials"]["api_key"])'
}
read -r caller key <<<"$(register caller)"
until token=$(curl -fsS -u "$caller:$key" -d grant_type=client_credentials 127.0.0.1:8080/oauth2/token \
  | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])'); do sleep 0.2; done

# What both scripts print at the end.
report='done = function(summary, latency, requests)
  io.write(string.format("RESULT requests/s=%.0f p50=%.2fms p99=%.2fms max=%.0fms non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end'

cat > "$WORK/introspect.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "token=$token&client_id=$caller&client_secret=$key"
$report
LUA
# Each request names another made-up client and key id: nothing is cached, nothing was seen before.
cat > "$WORK/flood.lua" <<'LUA'
local alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
local function token(n)
  local out = {}
  for i = 1, n do
    local k = math.random(1, #alphabet)
    out[i] = alphabet:sub(k, k)
  end
  return table.concat(out)
end
request = function()
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"},
    "grant_type=client_credentials&client_id=agt_" .. token(26) .. "&client_secret=mnd_sk_" .. token(16) .. "_" .. token(52))
end
LUA
echo "$report" >> "$WORK/flood.lua"

url=http://127.0.0.1:8080
wrk -t1 -c4 -d10s -s "$WORK/introspect.lua" "$url/oauth2/introspect" >/dev/null   # warm-up
alone=$(wrk -t1 -c4 -d"${DURATION}s" -s "$WORK/introspect.lua" "$url/oauth2/introspect" | grep RESULT)
wrk -t1 -c"$FLOOD" -d"$((DURATION + 10))s" --timeout 10s -s "$WORK/flood.lua" "$url/oauth2/token" \
  | grep RESULT > "$WORK/flood.txt" &
flood=$!
sleep 5
during=$(wrk -t1 -c4 -d"${DURATION}s" -s "$WORK/introspect.lua" "$url/oauth2/introspect" | grep RESULT)
wait $flood
{
  echo "# $(date -u +%FT%TZ) $(git -C "$ROOT" rev-parse --short HEAD) introspection at 4 connections, ${DURATION} s; flood: $FLOOD connections of made-up API keys"
  echo "introspection alone        $alone"
  echo "introspection under flood  $during"
  echo "the flood itself           $(cat "$WORK/flood.txt")"
} | tee -a "$OUT"
