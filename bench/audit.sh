#!/usr/bin/env bash
# audit-service: ingest rate with the hash chain, and query latency over a large table (issue #6
# targets: >= 5,000 events/s sustained over >= 200k events; p99 < 100 ms for agent + time-range
# queries over >= 1M stored events). Needs `deploy/local/mandate start` running.
#
#   bench/audit.sh [events=300000] [tenants=20] [agents per tenant=500] [query rounds=500] [warm-up events=60000]
#
# Ingest: first publishes `warm-up` events and waits until they are stored (a running audit-service
# has long been JIT-compiled; a fresh one spends its first ~50k events compiling), then publishes
# `events` CloudEvents to mandate.token (as fast as Kafka takes them) and counts rows in audit_event
# until all are stored: events/s from the first publish to the last row. Every
# event goes through the inbox, its tenant's hash chain and the OCSF outbox, as in production.
# webhook-service is stopped meanwhile (it consumes the same topic; on one 2-core machine it would
# compete for the cores) and started again at the end.
# Query: GET /v1/audit/events (limit 50) with the common filters, `rounds` times each after a tenth as
# warm-up, latency seen by the client, while nothing else runs. Appends to
# bench/results/<UTC date>-audit.txt. Only ever targets 127.0.0.1.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EVENTS=${1:-300000}
TENANTS=${2:-20}
AGENTS=${3:-500}
ROUNDS=${4:-500}
WARMUP=${5:-60000}
[ -f "$ROOT/.mandate/local/secrets.env" ] || { echo "start the stack first: deploy/local/mandate start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$ROOT/.mandate/local/secrets.env"
count() { PGPASSWORD=$MANDATE_PG_ADMIN_PASSWORD psql -h 127.0.0.1 -p "${MANDATE_DB_PORT:-54320}" -U mandate -d mandate_audit -Atc "$1"; }
# Records appended so far: the sum of the chains' head positions (count(*) over millions of rows,
# twice a second, would take a good part of a core from the service being measured).
appended() { count 'select coalesce(sum(seq), 0) from audit_chain_head'; }
trap '"$ROOT/deploy/local/mandate" start >/dev/null' EXIT
bench() { MANDATE_KAFKA_ADMIN_PASSWORD=$MANDATE_KAFKA_ADMIN_PASSWORD java -cp "$ROOT/.mandate/kafka-libs/*" "$ROOT/bench/AuditBench.java" "$@" 2>/dev/null; }

out="$ROOT/bench/results/$(date -u +%F)-audit.txt"
{
  echo
  echo "# $(date -u +%FT%TZ) bench/audit.sh $EVENTS $TENANTS $AGENTS $ROUNDS $WARMUP, $(nproc) cores, $(java -version 2>&1 | head -1)"
  # Whatever is still queued (events of earlier runs) is stored first, so the count below is this run's.
  previous=-1
  while [ "$(appended)" != "$previous" ]; do
    previous=$(appended); sleep 3
  done
  kill "$(cat "$ROOT/.mandate/local/run/webhook-service.pid")" 2>/dev/null || true
  if [ "$WARMUP" -gt 0 ]; then
    target=$(( $(appended) + WARMUP ))
    bench produce "$WARMUP" "$TENANTS" "$AGENTS"
    while [ "$(appended)" -lt "$target" ]; do sleep 0.5; done
  fi
  before=$(appended)
  start=$(date +%s.%N)
  bench produce "$EVENTS" "$TENANTS" "$AGENTS"
  produced=$(date +%s.%N)
  target=$((before + EVENTS))
  while [ "$(appended)" -lt "$target" ]; do sleep 0.5; done
  end=$(date +%s.%N)
  stored=$(count 'select count(*) from audit_event')
  python3 -c "import sys; s,p,e,n=map(float,sys.argv[1:]); print(f'ingest events={int(n)} published_in={p-s:.1f}s stored_in={e-s:.1f}s rate={n/(e-s):.0f} events/s')" \
    "$start" "$produced" "$end" "$EVENTS"
  echo "# audit_event rows now: $stored ($(count "select pg_size_pretty(pg_total_relation_size('audit_event'))"))"
  bench query "$MANDATE_ADMIN_BOOTSTRAP_TOKEN" "$TENANTS" "$AGENTS" "$ROUNDS"
} | tee -a "$out"
