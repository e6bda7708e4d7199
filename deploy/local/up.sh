#!/usr/bin/env bash
# Start the local MoSy services (Kafka, Apicurio Registry, ClickHouse, Redis; Chromium for browser tests) on 127.0.0.1,
# installing whatever is missing, and print the MOSY_* env lines (also written to $STATE/env).
#
#   bash deploy/local/up.sh                 # all of them
#   bash deploy/local/up.sh kafka redis     # a subset
#   set -a; . "${MOSY_LOCAL_STATE:-/tmp/mosy-local}/env"; set +a   # load the env lines
#
# Progress goes to stderr, the env lines to stdout; service logs are in $STATE/logs.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$STATE"

ALL=(redis clickhouse kafka registry chromium)
if (($# > 0)); then
  SERVICES=("$@")
else
  SERVICES=("${ALL[@]}")
fi
for s in "${SERVICES[@]}"; do
  [[ -x "$MOSY_LOCAL_DIR/$s.sh" || -f "$MOSY_LOCAL_DIR/$s.sh" ]] || die "unknown service '$s' (known: ${ALL[*]})"
done

t0=$(now_s)
log "up: starting ${SERVICES[*]} (cache $CACHE, state $STATE)"

# All 'start's run concurrently: apt-get and mvn steps serialise themselves with locks, so a cold
# machine downloads the Maven artifacts while apt installs the Debian packages.
declare -A JOBS=()
for s in "${SERVICES[@]}"; do
  bash "$MOSY_LOCAL_DIR/$s.sh" start >"$LOGS/up.$s.log" 2>&1 &
  JOBS[$s]=$!
done

failed=()
for s in "${SERVICES[@]}"; do
  if wait "${JOBS[$s]}"; then
    grep -E 'healthy|already running|installed|falling back|restarting' "$LOGS/up.$s.log" >&2 || true
  else
    failed+=("$s")
    log "up: $s FAILED:"
    cat "$LOGS/up.$s.log" >&2
  fi
done
if ((${#failed[@]} > 0)); then
  die "up: failed to start: ${failed[*]} (after $(($(now_s) - t0))s; logs in $LOGS)"
fi

# The SASL listener's lines are not named MOSY_KAFKA_SASL_*: whoever loads this file (scripts/test.sh,
# start-distributed.sh) would then turn SASL on for MOSY_KAFKA_BROKERS, the PLAINTEXT listener.
{
  echo "MOSY_KAFKA_BROKERS=$MOSY_HOST:$MOSY_KAFKA_PORT"
  echo "MOSY_SCHEMA_REGISTRY_URL=http://$MOSY_HOST:$MOSY_REGISTRY_PORT/apis/ccompat/v7"
  echo "MOSY_CLICKHOUSE_URL=http://$MOSY_HOST:$MOSY_CLICKHOUSE_HTTP_PORT"
  echo "MOSY_REDIS_URL=redis://$MOSY_HOST:$MOSY_REDIS_PORT"
  echo "MOSY_LOCAL_SASL_BROKERS=$MOSY_HOST:$MOSY_KAFKA_SASL_PORT"
  echo "MOSY_LOCAL_SASL_USERNAME=$MOSY_LOCAL_SASL_USERNAME"
  echo "MOSY_LOCAL_SASL_PASSWORD=$MOSY_LOCAL_SASL_PASSWORD"
  echo "MOSY_LOCAL_KAFKA_DATA=$STATE/kafka/data"
} >"$STATE/env.tmp"
mv -f "$STATE/env.tmp" "$STATE/env"
log "up: ${SERVICES[*]} ready in $(($(now_s) - t0))s; env written to $STATE/env"
cat "$STATE/env"
