#!/usr/bin/env bash
# Chromium from Debian's chromium package, for the web app's browser tests (tests/e2e/web.test.ts drives it with
# playwright-core; no browser is downloaded). Nothing runs in the background: each test launches its own.
#
#   chromium.sh install   apt-get install chromium (if missing)
#   chromium.sh start     install if needed, check that it runs
#   chromium.sh stop      nothing to stop
#   chromium.sh status    exit 0 if installed
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CHROMIUM_BIN="/usr/bin/chromium"

svc_install() {
  if [[ -x "$CHROMIUM_BIN" ]]; then
    return 0
  fi
  local t0
  t0=$(now_s)
  apt_install chromium
  [[ -x "$CHROMIUM_BIN" ]] || die "chromium: $CHROMIUM_BIN missing after apt-get install"
  log "chromium: installed $(dpkg-query -W -f='${Version}' chromium) in $(($(now_s) - t0))s"
}

svc_start() {
  svc_install
  "$CHROMIUM_BIN" --version >/dev/null 2>&1 || die "chromium: $CHROMIUM_BIN does not run"
  log "chromium: healthy ($("$CHROMIUM_BIN" --version 2>/dev/null))"
}

svc_stop() {
  return 0
}

svc_status() {
  if [[ -x "$CHROMIUM_BIN" ]]; then
    echo "chromium: installed ($("$CHROMIUM_BIN" --version 2>/dev/null || echo 'version unknown'))"
    return 0
  fi
  echo "chromium: not installed"
  return 3
}

svc_main "$@"
