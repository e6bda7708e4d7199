#!/usr/bin/env bash
# Print the status of the four local services and of chromium; exit 0 only if all are healthy (chromium: installed).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rc=0
for s in kafka registry clickhouse redis chromium; do
  bash "$MOSY_LOCAL_DIR/$s.sh" status || rc=1
done
exit "$rc"
