#!/usr/bin/env bash
# Webhook fan-out throughput and first-attempt latency against the local stack (issue #7 targets:
# >= 1,000 deliveries/s; p99 < 500 ms). Needs `deploy/local/mandate start` running. The receiver
# (answers 204 at once), the event producer and the whole stack share this machine's cores.
#
#   bench/webhook-fanout.sh [endpoints=10] [burst events=2000] [steady events/s=50] [seconds=20]
#
# audit-service consumes the same events; on one 2-core machine it competes with webhook-service for
# the cores (in production it runs elsewhere), so it is stopped during the measurement and started
# again after it, catching up from Kafka (set KEEP_CONSUMERS=1 to measure with it running). Not
# SIGSTOP: a consumer frozen for more than a minute with records in flight fails its channel for good.
# Appends to bench/results/<UTC date>-webhook-fanout.txt. Only ever targets 127.0.0.1.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ -f "$ROOT/.mandate/local/secrets.env" ] || { echo "start the stack first: deploy/local/mandate start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$ROOT/.mandate/local/secrets.env"
out="$ROOT/bench/results/$(date -u +%F)-webhook-fanout.txt"
consumers="audit-service running"
audit_pid=$(cat "$ROOT/.mandate/local/run/audit-service.pid" 2>/dev/null || true)
if [ "${KEEP_CONSUMERS:-0}" != 1 ] && [ -n "$audit_pid" ]; then
  consumers="audit-service stopped"
  kill "$audit_pid" 2>/dev/null || true
  trap '"$ROOT/deploy/local/mandate" start >/dev/null' EXIT
fi
mkdir -p "$ROOT/bench/results"
{
  echo "# bench/webhook-fanout.sh $* on $(date -u +%FT%TZ), $(nproc) cores, $(java -version 2>&1 | head -1)"
  echo "# webhook-service: workers=32, per-endpoint-concurrency=8 (defaults); whole stack on this machine, $consumers"
  MANDATE_KAFKA_ADMIN_PASSWORD=$MANDATE_KAFKA_ADMIN_PASSWORD java -cp "$ROOT/.mandate/kafka-libs/*" "$ROOT/bench/WebhookFanout.java" "$MANDATE_ADMIN_BOOTSTRAP_TOKEN" "$@" 2>/dev/null
} | tee -a "$out"
