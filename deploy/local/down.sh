#!/usr/bin/env bash
# Stop the local MoSy services started by up.sh.
#
#   bash deploy/local/down.sh            # stop all (Kafka/ClickHouse data kept in $STATE)
#   bash deploy/local/down.sh --clean    # stop all and wipe $STATE (data, logs, pids, env)
#   bash deploy/local/down.sh kafka      # stop a subset
#
# Downloads in $CACHE (Maven repo, Kafka jars, Apicurio) are never removed; rm -rf it by hand.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

clean=0
SERVICES=()
for a in "$@"; do
  case "$a" in
    --clean) clean=1 ;;
    -h | --help)
      sed -n '2,8p' "$0"
      exit 0
      ;;
    *) SERVICES+=("$a") ;;
  esac
done
((${#SERVICES[@]} > 0)) || SERVICES=(registry kafka clickhouse redis)

cd /
declare -A JOBS=()
for s in "${SERVICES[@]}"; do
  [[ -f "$MOSY_LOCAL_DIR/$s.sh" ]] || die "unknown service '$s'"
  bash "$MOSY_LOCAL_DIR/$s.sh" stop &
  JOBS[$s]=$!
done
rc=0
for s in "${SERVICES[@]}"; do
  wait "${JOBS[$s]}" || rc=1
done

if ((clean)); then
  case "$STATE" in
    "" | / | "$HOME" | "$HOME/" | /tmp | /tmp/) die "refusing to wipe STATE=$STATE" ;;
  esac
  rm -rf "$STATE"
  log "down: wiped $STATE"
fi
exit "$rc"
