#!/usr/bin/env bash
# Throughput and latency of the client_credentials token endpoint: Mandate against Keycloak (the anchor
# of shared/FACTS.md), one after the other in the same run, same wrk settings, same machine.
# Needs `deploy/local/mandate start` running and wrk (sudo apt-get install -y wrk).
#
#   bench/client-credentials.sh [seconds per run, default 15] [agents, default 1200]
#
# Mandate: `agents` agents (enterprise tier, 1000 tokens/min each: rate limits are per agent, so 1200
# agents allow 20,000 tokens/s; a run that hits the limits shows non2xx > 0), each request from one of
# them in turn, client_secret_basic. audit-service and webhook-service consume
# every agent.verified; on one 2-core machine they compete with token-service for the same cores (in
# production they run elsewhere), so they are stopped for the whole run unless KEEP_CONSUMERS=1, and
# started again at the end; they then catch up from Kafka. (Not SIGSTOP: a consumer frozen for more
# than a minute with records in flight fails its channel for good.) Kafka still acknowledges every
# agent.verified before its token is returned.
# Keycloak 26.7.3 (org.keycloak:keycloak-quarkus-dist from Maven Central, unpacked into
# .mandate/keycloak), `kc.sh start-dev`, one realm, one confidential client with a service account,
# client_secret_basic, signing ES256 like Mandate (an ecdsa-generated P-256 key and the realm's default
# algorithm; RS256 when ALG is not ES256). SKIP_KEYCLOAK=1 measures Mandate only.
# ALG=EdDSA (or RS256) restarts token-service with that signing algorithm for the run (ES256, the
# default, otherwise) and restarts it with the default at the end.
# Writes bench/results/<UTC date>-client-credentials.txt (appends). Only ever targets 127.0.0.1.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${1:-15}
AGENTS=${2:-1200}
# Each target first serves WARMUP seconds of the same load, unmeasured: both are JVMs, and a freshly
# started one compiles for minutes under full load, its compiler sharing the two cores with the load
# (Mandate EdDSA at 16 connections: 4,155 tokens/s in its first minute, 5,470 in the second, 6,000-
# 6,950 from the third on).
WARMUP=${WARMUP:-180}
ALG=${ALG:-ES256}
KC_VERSION=26.7.3
KC_PORT=18180
command -v wrk >/dev/null || { echo "wrk not found: sudo apt-get install -y wrk" >&2; exit 1; }
[ -f "$ROOT/.mandate/local/secrets.env" ] || { echo "start the stack first: deploy/local/mandate start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$ROOT/.mandate/local/secrets.env"
WORK=$(mktemp -d)
stopped=0
stop_service() { # name: stops it and waits until it is gone
  local pidfile="$ROOT/.mandate/local/run/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
}
cleanup() {
  # kc.sh starts Keycloak's JVM as its child: the whole process group goes, and is waited for. Its id
  # is in a file: Keycloak is started inside the `{ ... } | tee` subshell below.
  if [ -f "$WORK/keycloak.pgid" ]; then
    local group
    group=$(cat "$WORK/keycloak.pgid")
    kill -- "-$group" 2>/dev/null || true
    while pgrep -g "$group" >/dev/null; do sleep 0.2; done
  fi
  [ "$ALG" != ES256 ] && stop_service token-service
  [ $stopped = 1 ] || [ "$ALG" != ES256 ] && "$ROOT/deploy/local/mandate" start >/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ "$ALG" != ES256 ]; then
  stop_service token-service
  MANDATE_TOKEN_DEFAULTS_SIGNING_ALGORITHM=$ALG "$ROOT/deploy/local/mandate" start >/dev/null
fi

# One Lua script per target: POST a form, rotate through the Basic credentials in $1.
lua() { # credentials-file
  cat <<LUA
local creds = {}
for line in io.lines("$1") do creds[#creds + 1] = line end
local i = 0
request = function()
  i = i % #creds + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = "Basic " .. creds[i]}, "grant_type=client_credentials")
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT tokens/s=%.0f p50=%.2fms p99=%.2fms non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
}

# Throughput on this virtual machine moves with its host's load (CPU steal); the CPU time a token costs
# each server process moves much less, so every run also prints it, and the steal meanwhile.
HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # pid: user + system CPU time so far
steal() { awk '/^cpu /{print $9}' /proc/stat; }
mandate_ticks() { # CPU time so far of every process of the local stack
  local total=0 pidfile pid
  for pidfile in "$ROOT"/.mandate/local/run/*.pid; do
    pid=$(cat "$pidfile"); [ -r "/proc/$pid/stat" ] && total=$((total + $(ticks "$pid")))
  done
  echo "$total"
}

runs() { # name url script "process=pid ..."
  wrk -t2 -c16 -d"${WARMUP}s" -s "$3" "$2" >/dev/null   # warm-up: the JIT compiles the hot path first
  local connections threads result tokens process cpu stolen i before=()
  for connections in 1 4 16 64; do
    threads=$(( connections < 2 ? 1 : 2 ))
    before=(); for process in $4; do before+=("$(ticks "${process#*=}")"); done
    stolen=$(steal)
    result=$(wrk -t"$threads" -c"$connections" -d"${DURATION}s" -s "$3" "$2" | grep RESULT)
    tokens=$(( $(sed -E 's/.*tokens\/s=([0-9]+).*/\1/' <<<"$result") * DURATION ))
    cpu=""; i=0
    for process in $4; do
      cpu+=" ${process%%=*}=$(( ($(ticks "${process#*=}") - before[i]) * 1000000 / HZ / (tokens > 0 ? tokens : 1) ))us"
      i=$((i + 1))
    done
    printf '%-9s connections=%-3s %s cpu/token:%s steal=%s%%\n' "$1" "$connections" "$result" "$cpu" \
      "$(( ($(steal) - stolen) * 100 / (HZ * DURATION * $(nproc)) ))"
  done
}

# ---------------------------------------------------------------- Mandate
register() {
  curl -fsS -X POST 127.0.0.1:8081/v1/agents -H "Authorization: Bearer $MANDATE_ADMIN_BOOTSTRAP_TOKEN" \
    -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench-$1\",\"owner_email\":\"bench@example.com\",\"permissions\":[\"bench:tokens:issue\"],\"tier\":\"enterprise\"}" \
  | python3 -c 'import json,sys,base64;r=json.load(sys.stdin);print(base64.b64encode((r["agent"]["id"]+":"+r["credentials"]["api_key"]).encode()).decode())'
}
export -f register
export MANDATE_ADMIN_BOOTSTRAP_TOKEN
# Registered agents are kept with the local stack's state and reused by later runs (registering 1200
# takes minutes); the stack's state folder going away takes them along.
KEPT="$ROOT/.mandate/local/bench-agents.creds"
touch "$KEPT"
missing=$(( AGENTS - $(wc -l < "$KEPT") ))
# Each registration writes a file of its own: four writers appending to one file could interleave lines.
if [ "$missing" -gt 0 ]; then
  seq "$missing" | WORK=$WORK xargs -P 4 -I{} bash -c 'register {} > "$WORK/agent-{}.cred"'
  cat "$WORK"/agent-*.cred >> "$KEPT"
fi
head -n "$AGENTS" "$KEPT" > "$WORK/mandate.creds"
last=$(tail -1 "$WORK/mandate.creds")
until curl -fsS -o /dev/null -H "Authorization: Basic $last" -d grant_type=client_credentials 127.0.0.1:8080/oauth2/token; do
  sleep 0.2
done
lua "$WORK/mandate.creds" > "$WORK/mandate.lua"
# What the tokens are really signed with (the JWT header of one of them).
signed=$(curl -fsS -H "Authorization: Basic $last" -d grant_type=client_credentials 127.0.0.1:8080/oauth2/token \
  | python3 -c 'import base64,json,sys;h=json.load(sys.stdin)["access_token"].split(".")[0];print(json.loads(base64.urlsafe_b64decode(h+"=="))["alg"])')

consumers="running"
if [ "${KEEP_CONSUMERS:-0}" != 1 ]; then
  consumers="stopped during all runs"
  stopped=1
  for svc in audit-service webhook-service; do stop_service "$svc"; done
fi

# ---------------------------------------------------------------- Keycloak
created() { # admin-token json url
  local status
  status=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $1" \
    -H 'Content-Type: application/json' -d "$2" "$3")
  [ "$status" = 201 ] || [ "$status" = 409 ] || { echo "Keycloak answered $status to POST $3" >&2; exit 1; }
}

keycloak_start() {
  local home="$ROOT/.mandate/keycloak/keycloak-$KC_VERSION"
  if [ ! -x "$home/bin/kc.sh" ]; then
    mkdir -p "$ROOT/.mandate/keycloak"
    "$ROOT/mvnw" -q -B dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
      -DoutputDirectory="$ROOT/.mandate/keycloak" >/dev/null
    (cd "$ROOT/.mandate/keycloak" && unzip -q "keycloak-quarkus-dist-$KC_VERSION.zip")
  fi
  if curl -fsS -o /dev/null "http://127.0.0.1:$KC_PORT/realms/master" 2>/dev/null; then
    echo "something already answers on port $KC_PORT (a Keycloak left running?); stop it first" >&2; exit 1
  fi
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin setsid nohup "$home/bin/kc.sh" start-dev \
    --http-port=$KC_PORT --http-management-port=$((KC_PORT + 1)) > "$ROOT/.mandate/keycloak/keycloak.log" 2>&1 &
  echo $! > "$WORK/keycloak.pgid"
  local deadline=$((SECONDS + 180))
  until curl -fsS -o /dev/null "http://127.0.0.1:$KC_PORT/realms/master" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "Keycloak did not start; see .mandate/keycloak/keycloak.log" >&2; exit 1; }
    sleep 1
  done
  local admin
  admin=$(curl -fsS -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin \
    "http://127.0.0.1:$KC_PORT/realms/master/protocol/openid-connect/token" \
    | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
  # 201 created, or 409: there from an earlier run (Keycloak keeps its dev database in its folder).
  created "$admin" '{"realm":"bench","enabled":true}' "http://127.0.0.1:$KC_PORT/admin/realms"
  # The same algorithm as Mandate (the comparison docs/benchmarks.md asks for): an ECDSA P-256 key that outranks the default RSA one, and
  # ES256 as the realm's default (a PUT, so that a realm kept from an earlier run is switched too).
  [ "$ALG" = ES256 ] && created "$admin" '{"name":"bench-ecdsa","providerId":"ecdsa-generated","providerType":"org.keycloak.keys.KeyProvider","config":{"ecdsaEllipticCurveKey":["P-256"],"priority":["200"],"active":["true"],"enabled":["true"]}}' \
    "http://127.0.0.1:$KC_PORT/admin/realms/bench/components"
  curl -fsS -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"defaultSignatureAlgorithm\":\"$([ "$ALG" = ES256 ] && echo ES256 || echo RS256)\"}" \
    "http://127.0.0.1:$KC_PORT/admin/realms/bench" >/dev/null
  created "$admin" '{"clientId":"bench-client","secret":"bench-secret","publicClient":false,"serviceAccountsEnabled":true,"standardFlowEnabled":false,"directAccessGrantsEnabled":false}' \
    "http://127.0.0.1:$KC_PORT/admin/realms/bench/clients"
  printf 'bench-client:bench-secret' | base64 -w0 > "$WORK/keycloak.creds"
  echo >> "$WORK/keycloak.creds"
  lua "$WORK/keycloak.creds" > "$WORK/keycloak.lua"
}

out="$ROOT/bench/results/$(date -u +%Y-%m-%d)-client-credentials.txt"
{
  echo
  echo "# $(date -u +%FT%TZ) client_credentials, $(nproc) cores, $(java -version 2>&1 | head -1), ${DURATION}s per run"
  echo "# command: WARMUP=$WARMUP ALG=$ALG bench/client-credentials.sh $DURATION $AGENTS"
  echo "# Mandate: $AGENTS enterprise agents in turn, tokens signed $signed; audit-service and webhook-service: $consumers"
  runs mandate http://127.0.0.1:8080/oauth2/token "$WORK/mandate.lua" \
    "token-service=$(cat "$ROOT/.mandate/local/run/token-service.pid") kafka=$(cat "$ROOT/.mandate/local/run/kafka.pid")"
  # The consumers stay stopped through the Keycloak runs too: running, they would work through the
  # Mandate runs' events on the cores Keycloak is measured on. The exit trap starts them.
  if [ "${SKIP_KEYCLOAK:-0}" != 1 ]; then
    # The other services' consumers read the Mandate runs' events too; Keycloak is measured only once
    # Mandate's processes together use under 5 % of a core (at most 10 minutes of waiting).
    quiet=$SECONDS
    while [ $((SECONDS - quiet)) -lt 600 ]; do
      before=$(mandate_ticks); sleep 2
      [ $(($(mandate_ticks) - before)) -le $(($(getconf CLK_TCK) / 10)) ] && break
    done
    quiet=$((SECONDS - quiet))
    keycloak_start
    kc_alg=$(curl -fsS -H "Authorization: Basic $(cat "$WORK/keycloak.creds")" -d grant_type=client_credentials \
      "http://127.0.0.1:$KC_PORT/realms/bench/protocol/openid-connect/token" \
      | python3 -c 'import base64,json,sys;h=json.load(sys.stdin)["access_token"].split(".")[0];print(json.loads(base64.urlsafe_b64decode(h+"=="))["alg"])')
    echo "# Keycloak $KC_VERSION start-dev, one confidential client, tokens signed $kc_alg; Mandate's processes quiet after ${quiet} s"
    runs keycloak "http://127.0.0.1:$KC_PORT/realms/bench/protocol/openid-connect/token" "$WORK/keycloak.lua" \
      "keycloak=$(pgrep -g "$(cat "$WORK/keycloak.pgid")" -x java)"
  fi
} | tee -a "$out"
