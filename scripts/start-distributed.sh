#!/usr/bin/env bash
# The distributed runtime on this machine: each service in its own process, on the real Kafka, schema registry,
# ClickHouse and Redis that deploy/local starts. It starts those (installing what is missing), builds the services,
# generates an admin token and a pseudonym secret once (kept in .data/distributed/secrets.env, git-ignored) unless
# the environment gives them, starts ingest, report-api and N normalizers and aggregators in the background (logs
# in .data/distributed/logs/), waits until each answers /healthz and /readyz, prints the URLs and the admin token,
# and stops them all on Ctrl+C. deploy/local's services keep running (bash deploy/local/down.sh stops them).
#
#   bash scripts/start-distributed.sh [--normalizers N] [--aggregators N] [--no-build]
#
# Variables already set in the environment win over deploy/local's env file and the generated secrets.
# Ports: ingest 8180 (MOSY_INGEST_PORT), report-api 8181 (MOSY_REPORT_API_PORT); ops endpoints of normalizer
# replica i (from 0) on 8182 + 10·i, of aggregator replica i on 8183 + 10·i.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
DATA="$ROOT/.data/distributed"
LOGS="$DATA/logs"
SECRETS="$DATA/secrets.env"
PIDFILE="$DATA/pids"
LOCAL_ENV="${MOSY_LOCAL_STATE:-/tmp/mosy-local}/env"
START_TIMEOUT=${MOSY_START_TIMEOUT:-180}
STOP_TIMEOUT=30

log() { printf '[start-distributed] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}
usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

NORMALIZERS=1
AGGREGATORS=1
BUILD=1
check_count() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive whole number, got '$2'"; }
while (($# > 0)); do
  case $1 in
    --normalizers | --aggregators)
      check_count "$1" "${2-}"
      [[ $1 == --normalizers ]] && NORMALIZERS=$2 || AGGREGATORS=$2
      shift
      ;;
    --normalizers=* | --aggregators=*)
      check_count "${1%%=*}" "${1#*=}"
      [[ $1 == --normalizers=* ]] && NORMALIZERS=${1#*=} || AGGREGATORS=${1#*=}
      ;;
    --no-build) BUILD=0 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done

mkdir -p "$LOGS"
chmod 700 "$DATA"

# Exports KEY=VALUE lines of a file, except for keys the environment already has.
load_env_file() {
  local key value
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key=${BASH_REMATCH[1]}
    value=${BASH_REMATCH[2]}
    [[ -n ${!key:-} ]] || export "$key=$value"
  done <"$1"
}

pid_is_ours() { [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q "services/.*/dist/main.js"; }

# A previous run killed without its trap leaves its processes running in their own sessions.
if [[ -f $PIDFILE ]]; then
  alive=()
  while read -r pid _; do pid_is_ours "$pid" && alive+=("$pid"); done <"$PIDFILE"
  if ((${#alive[@]} > 0)); then
    die "a previous run is still running (pids ${alive[*]}); stop it with: kill ${alive[*]}"
  fi
  rm -f "$PIDFILE"
fi

# --- 1. Kafka, registry, ClickHouse, Redis
log "starting the local services (deploy/local/up.sh)…"
bash deploy/local/up.sh >/dev/null
[[ -f $LOCAL_ENV ]] || die "deploy/local/up.sh wrote no env file at $LOCAL_ENV"
load_env_file "$LOCAL_ENV"

# --- 2. build
SERVICES_FILTER=(--filter=@mosy/ingest... --filter=@mosy/report-api... --filter=@mosy/normalizer... --filter=@mosy/aggregator...)
if ((BUILD)); then
  log "building…"
  npx turbo run build --output-logs=errors-only "${SERVICES_FILTER[@]}" >&2
fi
for s in ingest report-api normalizer aggregator; do
  [[ -f services/$s/dist/main.js ]] || die "services/$s/dist/main.js is missing: build first (run without --no-build)"
done

# --- 3. secrets: from the environment, else generated once and kept
random_secret() { node -e 'process.stdout.write(require("node:crypto").randomBytes(48).toString("base64url"))'; }
ADMIN_TOKEN_SOURCE="MOSY_ADMIN_TOKEN"
if [[ -z ${MOSY_ADMIN_TOKEN:-} || -z ${MOSY_PSEUDONYM_SECRET:-} ]]; then
  (
    umask 077
    touch "$SECRETS"
    for key in MOSY_ADMIN_TOKEN MOSY_PSEUDONYM_SECRET; do
      grep -q "^$key=" "$SECRETS" || printf '%s=%s\n' "$key" "$(random_secret)" >>"$SECRETS"
    done
  )
  chmod 600 "$SECRETS"
  [[ -n ${MOSY_ADMIN_TOKEN:-} ]] || ADMIN_TOKEN_SOURCE="${SECRETS#"$ROOT/"}"
  load_env_file "$SECRETS"
fi

# NUTS region names for report-api, read at run time from ../shared/geo (never copied into the repository).
if [[ -z ${MOSY_GEO_DIR:-} && -d "$ROOT/../shared/geo" ]]; then
  MOSY_GEO_DIR=$(cd "$ROOT/../shared/geo" && pwd)
  export MOSY_GEO_DIR
fi
export HOST=${HOST:-127.0.0.1}
export KAFKAJS_NO_PARTITIONER_WARNING=1

# --- 4. ports
INGEST_PORT=${MOSY_INGEST_PORT:-8180}
REPORT_API_PORT=${MOSY_REPORT_API_PORT:-8181}
PARTITIONS=${MOSY_TOPIC_PARTITIONS:-6}
for n in "$NORMALIZERS:normalizers" "$AGGREGATORS:aggregators"; do
  if ((${n%%:*} > PARTITIONS)); then
    log "warning: ${n%%:*} ${n#*:} but $PARTITIONS partitions (MOSY_TOPIC_PARTITIONS): $((${n%%:*} - PARTITIONS)) will sit idle"
  fi
done

NAMES=()
PORTS=()
MAINS=()
add() {
  NAMES+=("$1")
  PORTS+=("$2")
  MAINS+=("$3")
}
add ingest "$INGEST_PORT" services/ingest/dist/main.js
for ((i = 0; i < NORMALIZERS; i++)); do add "normalizer-$i" $((8182 + 10 * i)) services/normalizer/dist/main.js; done
for ((i = 0; i < AGGREGATORS; i++)); do add "aggregator-$i" $((8183 + 10 * i)) services/aggregator/dist/main.js; done
add report-api "$REPORT_API_PORT" services/report-api/dist/main.js

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for i in "${!NAMES[@]}"; do
  port_taken "${PORTS[$i]}" && die "port ${PORTS[$i]} (${NAMES[$i]}) is already in use"
done

# --- 5. start, and stop on exit
PIDS=()
STOPPED=0
stop_all() {
  ((STOPPED)) && return
  STOPPED=1
  ((${#PIDS[@]} > 0)) || return
  log "stopping…"
  # Producers before consumers: ingest, then the normalizers, then the aggregators and report-api.
  local group pid i waited
  for group in ingest normalizer aggregator report-api; do
    local pending=()
    for i in "${!PIDS[@]}"; do
      [[ ${NAMES[$i]} == "$group"* ]] || continue
      pid=${PIDS[$i]}
      if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        pending+=("$pid")
      fi
    done
    for pid in ${pending[@]+"${pending[@]}"}; do
      waited=0
      while kill -0 "$pid" 2>/dev/null && ((waited < STOP_TIMEOUT * 10)); do
        sleep 0.1
        waited=$((waited + 1))
      done
      if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid did not stop within ${STOP_TIMEOUT}s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done
  done
  rm -f "$PIDFILE"
  log "stopped (Kafka, registry, ClickHouse and Redis keep running; bash deploy/local/down.sh stops them)"
}
trap stop_all EXIT
trap 'exit 0' INT TERM

start_one() {
  local name=${NAMES[$1]} logfile="$LOGS/${NAMES[$1]}.log" unset_secrets
  [[ -f $logfile ]] && mv -f "$logfile" "$logfile.1"
  # Each process gets only the secrets it uses. setsid: Ctrl+C reaches this script only, which then stops the
  # services in order.
  unset_secrets=(-u MOSY_PSEUDONYM_SECRET)
  [[ $name == normalizer-* ]] && unset_secrets=(-u MOSY_ADMIN_TOKEN)
  [[ $name == aggregator-* ]] && unset_secrets+=(-u MOSY_ADMIN_TOKEN)
  # report-api forwards ingest's routes, so the web app works on report-api's origin alone.
  local extra=()
  [[ $name == report-api ]] && extra=(MOSY_INGEST_URL="${MOSY_INGEST_URL:-http://127.0.0.1:$INGEST_PORT}")
  env "${unset_secrets[@]}" ${extra[@]+"${extra[@]}"} PORT="${PORTS[$1]}" setsid node "${MAINS[$1]}" </dev/null >"$logfile" 2>&1 &
  PIDS[$1]=$!
  printf '%s %s\n' "$!" "$name" >>"$PIDFILE"
}
http_ok() {
  if command -v curl >/dev/null; then
    curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null
  else
    node -e 'require("node:http").get(process.argv[1], { timeout: 3000 }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on("error", () => process.exit(1))' "$1"
  fi
}
url_of() { printf 'http://127.0.0.1:%s' "${PORTS[$1]}"; }
died() {
  log "${NAMES[$1]} exited; the end of its log (${LOGS#"$ROOT/"}/${NAMES[$1]}.log):"
  tail -n 20 "$LOGS/${NAMES[$1]}.log" >&2 || true
  exit 1
}
wait_for() {
  until http_ok "$(url_of "$1")$2"; do
    kill -0 "${PIDS[$1]}" 2>/dev/null || died "$1"
    ((SECONDS - t0 < START_TIMEOUT)) || die "${NAMES[$1]} did not answer $2 within ${START_TIMEOUT}s (log: $LOGS/${NAMES[$1]}.log)"
    sleep 0.5
  done
}

t0=$SECONDS
# ingest first: starting, a process registers the topics' schemas and creates missing topics, and several doing so
# at the same moment on a fresh registry collide (Apicurio answers 409 to the second compatibility rule).
start_one 0
wait_for 0 /healthz
for ((i = 1; i < ${#NAMES[@]}; i++)); do start_one "$i"; done
log "started ${#PIDS[@]} processes; waiting for /healthz and /readyz…"
for i in "${!NAMES[@]}"; do
  wait_for "$i" /healthz
  wait_for "$i" /readyz
  log "${NAMES[$i]} ready on port ${PORTS[$i]} ($((SECONDS - t0))s)"
done

# --- 6. tell
{
  echo
  echo "MoSy (distributed runtime) is running:"
  printf '  %-14s %s   submissions and admin API\n' ingest "$(url_of 0)"
  printf '  %-14s %s   indicators and pipeline status\n' report-api "$(url_of $((${#NAMES[@]} - 1)))"
  for i in "${!NAMES[@]}"; do
    [[ ${NAMES[$i]} == normalizer-* || ${NAMES[$i]} == aggregator-* ]] || continue
    printf '  %-14s %s   ops: /healthz /readyz /metrics\n' "${NAMES[$i]}" "$(url_of "$i")"
  done
  echo
  echo "Admin token (from $ADMIN_TOKEN_SOURCE): $MOSY_ADMIN_TOKEN"
  echo "Logs: ${LOGS#"$ROOT/"}/   Kafka ${MOSY_KAFKA_BROKERS}, ClickHouse ${MOSY_CLICKHOUSE_URL}"
  echo
  echo "Pipeline status:"
  echo "  curl -s -H \"Authorization: Bearer $MOSY_ADMIN_TOKEN\" $(url_of $((${#NAMES[@]} - 1)))/v1/status"
  echo
  echo "Press Ctrl+C to stop."
  echo
}

# --- 7. watch: a process that dies takes the others down with it, rather than leaving a pipeline half-running
while true; do
  for i in "${!PIDS[@]}"; do
    kill -0 "${PIDS[$i]}" 2>/dev/null || died "$i"
  done
  sleep 1 &
  wait $! || true
done
