#!/usr/bin/env bash
# Revocation latency of delegated tokens (target: visible in introspection < 1 s p99 after the
# request that caused it). Needs `deploy/local/mandate start` running.
#
#   bench/revocation.sh [rounds=200]
#
# Runs bench/RevocationLatency.java twice: revoking the grant at delegation-service, and revoking the
# delegate agent at identity-service (three services, two Kafka hops). Appends to
# bench/results/<UTC date>-revocation.txt. Only ever targets 127.0.0.1.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${1:-200}
[ -f "$ROOT/.mandate/local/secrets.env" ] || { echo "start the stack first: deploy/local/mandate start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$ROOT/.mandate/local/secrets.env"
out="$ROOT/bench/results/$(date -u +%F)-revocation.txt"
{
  echo
  echo "# $(date -u +%FT%TZ) bench/revocation.sh $ROUNDS, $(nproc) cores, $(java -version 2>&1 | head -1)"
  java "$ROOT/bench/RevocationLatency.java" "$MANDATE_ADMIN_BOOTSTRAP_TOKEN" "$ROUNDS" grant
  java "$ROOT/bench/RevocationLatency.java" "$MANDATE_ADMIN_BOOTSTRAP_TOKEN" "$((ROUNDS / 2))" agent
} | tee -a "$out"
