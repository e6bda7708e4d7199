#!/usr/bin/env bash
# Run smoke.mjs against the running services. The npm install happens in a copy under
# $CACHE/smoke-node (never inside the repository, and not an npm workspace of it).
#
#   bash deploy/local/smoke/run.sh            # kafka + registry
#   bash deploy/local/smoke/run.sh kafka      # or: registry
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/../lib.sh
source "$HERE/../lib.sh"

WORK="$CACHE/smoke-node"
mkdir -p "$WORK"
cp "$HERE/smoke.mjs" "$WORK/smoke.mjs"
if ! cmp -s "$HERE/package.json" "$WORK/package.json" || [[ ! -d "$WORK/node_modules/kafkajs" ]]; then
  cp "$HERE/package.json" "$WORK/package.json"
  log "smoke: npm install in $WORK"
  (cd "$WORK" && npm install --no-audit --no-fund --loglevel=error >"$LOGS/smoke-npm.log" 2>&1) || {
    show_log_tail npm "$LOGS/smoke-npm.log"
    die "smoke: npm install failed"
  }
fi
if [[ -f "$STATE/env" ]]; then
  set -a
  # shellcheck source=/dev/null
  . "$STATE/env"
  set +a
fi
cd "$WORK"
export KAFKAJS_NO_PARTITIONER_WARNING=1
exec node smoke.mjs "$@"
