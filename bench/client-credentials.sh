#!/usr/bin/env bash
# Throughput and latency of POST /oauth2/token (client_credentials, client_secret_basic) against the
# local stack. Needs `deploy/local/mandate start` running and wrk (sudo apt-get install -y wrk).
#
#   bench/client-credentials.sh [seconds per run, default 15]
#
# audit-service and webhook-service consume every agent.verified; on one 2-core machine they
# compete with token-service for the same cores (in production they run elsewhere). So they are
# stopped for the measurement and started again after it (set KEEP_CONSUMERS=1 to measure with them).
# Writes bench/results/<UTC date>-client-credentials.txt. Only ever targets 127.0.0.1.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${1:-15}
command -v wrk >/dev/null || { echo "wrk not found: sudo apt-get install -y wrk" >&2; exit 1; }
[ -f "$ROOT/.mandate/local/secrets.env" ] || { echo "start the stack first: deploy/local/mandate start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$ROOT/.mandate/local/secrets.env"

registration=$(curl -fsS -X POST 127.0.0.1:8081/v1/agents -H "Authorization: Bearer $MANDATE_ADMIN_BOOTSTRAP_TOKEN" \
  -H 'Content-Type: application/json' \
  -d '{"name":"bench-bot","owner_email":"bench@example.com","permissions":["bench:tokens:issue"],"tier":"enterprise"}')
agent=$(python3 -c 'import json,sys;print(json.loads(sys.argv[1])["agent"]["id"])' "$registration")
key=$(python3 -c 'import json,sys;print(json.loads(sys.argv[1])["credentials"]["api_key"])' "$registration")
basic=$(printf '%s:%s' "$agent" "$key" | base64 -w0)
until curl -fsS -o /dev/null -u "$agent:$key" -d grant_type=client_credentials 127.0.0.1:8080/oauth2/token; do sleep 0.2; done

consumers="running"
if [ "${KEEP_CONSUMERS:-0}" != 1 ]; then
  consumers="stopped during the runs"
  for svc in audit-service webhook-service; do
    pidfile="$ROOT/.mandate/local/run/$svc.pid"
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  trap '"$ROOT/deploy/local/mandate" start >/dev/null' EXIT
fi

script=$(mktemp --suffix=.lua)
cat > "$script" <<LUA
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $basic"
done = function(summary, latency, requests)
  io.write(string.format("RESULT tokens/s=%.0f p50=%.2fms p99=%.2fms non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

out="$ROOT/bench/results/$(date -u +%Y-%m-%d)-client-credentials.txt"
{
  echo "# POST /oauth2/token client_credentials, $(nproc) cores, $(java -version 2>&1 | head -1), ${DURATION}s per run"
  echo "# audit-service and webhook-service: $consumers"
  echo "# command: bench/client-credentials.sh $DURATION"
  wrk -t1 -c4 -d3s -s "$script" http://127.0.0.1:8080/oauth2/token >/dev/null   # warm-up
  for connections in 1 4 16 64; do
    threads=$(( connections < 2 ? 1 : 2 ))
    printf 'connections=%-3s ' "$connections"
    wrk -t"$threads" -c"$connections" -d"${DURATION}s" -s "$script" http://127.0.0.1:8080/oauth2/token | grep RESULT
  done
} | tee "$out"
rm -f "$script"
