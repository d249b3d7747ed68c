#!/usr/bin/env bash
# ES256 signing speed, one thread: BoringSSL through Conscrypt (token-service's signer), Bouncy Castle
# (its fallback) and JDK SunEC, with the library versions token-service ships. Needs a built
# token-service (./mvnw -pl token-service -am package -DskipTests). Nothing else should be running:
# this measures one core.
#
#   bench/signing.sh [rounds=3] [seconds per signer and round=3]
#
# Writes bench/results/<UTC date>-signing.txt (appends).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIBS="$ROOT/token-service/target/quarkus-app/lib/main"
[ -d "$LIBS" ] || { echo "build token-service first: ./mvnw -pl token-service -am package -DskipTests" >&2; exit 1; }
steal() { awk '/^cpu /{print $9}' /proc/stat; } # the host taking this VM's CPU time meanwhile
{
  echo
  echo "# $(date -u +%FT%TZ) bench/signing.sh $*, $(java -version 2>&1 | head -1)"
  before=$(steal) start=$SECONDS
  java -cp "$LIBS/*" "$ROOT/bench/SigningSpeed.java" "$@"
  echo "# steal $(( ($(steal) - before) * 100 / ($(getconf CLK_TCK) * (SECONDS - start + 1) * $(nproc)) ))%"
} | tee -a "$ROOT/bench/results/$(date -u +%Y-%m-%d)-signing.txt"
