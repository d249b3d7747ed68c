#!/usr/bin/env bash
# Resident memory of each service at idle, after the README's slice has run once against it: a webhook
# endpoint, an agent, its token, the audit trail and its verification, a human who delegates, a token
# exchange, a revocation. Needs `deploy/local/mandate start` running (only ever targets 127.0.0.1).
#
#   bench/memory.sh [seconds of idle before measuring, default 30]
#
# Prints one line per service: RSS (what the kernel charges the process) and the JVM's own account of
# its committed memory when it was started with -XX:NativeMemoryTracking=summary (MANDATE_JAVA_OPTS).
# Appends to bench/results/<UTC date>-memory.txt.
set -euo pipefail
trap 'echo "bench/memory.sh: failed at line $LINENO" >&2' ERR
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IDLE=${1:-30}
STATE="$ROOT/.mandate/local"
[ -f "$STATE/secrets.env" ] || { echo "start the stack first: deploy/local/mandate start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$STATE/secrets.env"
ADMIN="Authorization: Bearer $MANDATE_ADMIN_BOOTSTRAP_TOKEN"
JSON='Content-Type: application/json'
RESULTS="$ROOT/bench/results/$(date -u +%F)-memory.txt"
mkdir -p "$ROOT/bench/results"
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

run=$(date +%s)
curl -sf -X POST localhost:8084/v1/webhooks -H "$ADMIN" -H "$JSON" \
  -d '{"url":"http://127.0.0.1:9/hook","events":["agent.verified"]}' >/dev/null
agent=$(curl -sf -X POST localhost:8081/v1/agents -H "$ADMIN" -H "$JSON" \
  -d "{\"name\":\"memory-$run\",\"owner_email\":\"owner-$run@example.com\",\"permissions\":[\"crm:contacts:read\",\"crm:deals:*\"]}")
id=$(echo "$agent" | field id | head -1)
key=$(echo "$agent" | field api_key)
token_ok() { [ "$(curl -s -o /dev/null -w '%{http_code}' -u "$id:$key" -d grant_type=client_credentials localhost:8080/oauth2/token)" = 200 ]; }
until token_ok; do sleep 0.2; done
curl -sf localhost:8080/.well-known/jwks.json >/dev/null
curl -sf "localhost:8083/v1/audit/events?agent_id=$id" -H "$ADMIN" >/dev/null
curl -sf localhost:8083/v1/audit/verify -H "$ADMIN" >/dev/null
curl -sf -X POST localhost:8081/v1/users -H "$ADMIN" -H "$JSON" -d "{\"username\":\"owner-$run\",\"email\":\"owner-$run@example.com\",\
\"password\":\"correct horse battery staple\",\"roles\":[\"owner\"],\"permissions\":[\"crm:*:*\"]}" >/dev/null
login() { curl -s localhost:8080/v1/auth/login -H "$JSON" -d "{\"username\":\"owner-$run\",\"password\":\"correct horse battery staple\"}"; }
until human=$(login | field token) && [ -n "$human" ]; do sleep 0.2; done
# delegation-service learns of the agent and the human from Kafka, a moment after identity-service.
delegate() { curl -sf -X POST localhost:8082/v1/delegations -H "Authorization: Bearer $human" -H "$JSON" \
  -d "{\"agent_id\":\"$id\",\"scopes\":[\"crm:contacts:read\"],\"expires_in\":3600}"; }
for _ in $(seq 50); do grant=$(delegate) && break; sleep 0.2; done
[ -n "${grant:-}" ] || { echo "bench/memory.sh: delegation-service refused the delegation" >&2; exit 1; }
curl -sf -u "$id:$key" localhost:8080/oauth2/token -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \
  -d subject_token_type=urn:mandate:params:oauth:token-type:delegation \
  -d "subject_token=$(echo "$grant" | field delegation_token)" >/dev/null
curl -sf -X POST "localhost:8081/v1/agents/$id/revoke" -H "$ADMIN" >/dev/null
until ! token_ok; do sleep 0.1; done
sleep "$IDLE"

{
  echo "# $(date -u +%FT%TZ) bench/memory.sh $IDLE, $(nproc) cores, $(java -version 2>&1 | head -1)"
  for svc in identity-service token-service delegation-service audit-service webhook-service; do
    pid=$(cat "$STATE/run/$svc.pid")
    nmt=$(jcmd "$pid" VM.native_memory summary 2>/dev/null | sed -n 's/^Total: .*committed=\([0-9]*\)KB/\1/p' || true)
    printf '%-19s rss=%4d MB  threads=%3d%s\n' "$svc" $(($(ps -o rss= -p "$pid") / 1024)) \
      "$(ls "/proc/$pid/task" | wc -l)" "${nmt:+  nmt_committed=$((nmt / 1024)) MB}"
  done
} | tee -a "$RESULTS"
