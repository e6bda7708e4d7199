#!/usr/bin/env bash
# Apicurio Registry (Confluent-compatible schema registry API at /apis/ccompat/v7), in-memory
# H2 storage, on 127.0.0.1.
#
#   registry.sh install   fetch io.apicurio:apicurio-registry-app:<ver>:tar.gz:all with mvn, unpack to $CACHE
#   registry.sh start     install if needed, start, wait until GET /apis/ccompat/v7/subjects is 200
#   registry.sh stop      SIGTERM, SIGKILL after 90 s (all schemas are lost: storage is in memory)
#   registry.sh status    exit 0 if running and healthy
#
# Env: MOSY_APICURIO_VERSION (default 3.3.3, which needs Java >= 21; when no Java >= 21 is found and
#        the version is not set explicitly, 2.6.13.Final on Java 17 is used instead)
#      MOSY_REGISTRY_JAVA (java binary), MOSY_REGISTRY_PORT (8081), MOSY_REGISTRY_MGMT_PORT (8091,
#        Quarkus management interface of 3.x: /health, /metrics), MOSY_REGISTRY_HEAP (512m),
#      MOSY_REGISTRY_JAVA_OPTS (extra JVM options),
#      MOSY_REGISTRY_COMPATIBILITY (default global compatibility rule, BACKWARD like Confluent's
#        default; NONE or empty = no global rule), MOSY_REGISTRY_START_TIMEOUT (120 s)
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APICURIO_DEFAULT_VERSION="3.3.3"
APICURIO_FALLBACK_VERSION="2.6.13.Final" # last 2.x; runs on Java 17
REGISTRY_PID="$PIDS/registry.pid"
REGISTRY_LOG="$LOGS/registry.log"
REGISTRY_HEAP="${MOSY_REGISTRY_HEAP:-512m}"
REGISTRY_TIMEOUT="${MOSY_REGISTRY_START_TIMEOUT:-120}"
REGISTRY_COMPAT="${MOSY_REGISTRY_COMPATIBILITY-BACKWARD}"
REGISTRY_URL="http://$MOSY_HOST:$MOSY_REGISTRY_PORT/apis/ccompat/v7"
REGISTRY_MARKER="apicurio-registry"

# min_java_for VERSION -> Java major needed by that Apicurio version
min_java_for() {
  case "$1" in
    2.*) echo 11 ;;
    3.0.* | 3.1.*) echo 17 ;;
    *) echo 21 ;;
  esac
}

# Decide version + java once (sets APICURIO_VERSION and REGISTRY_JAVA).
select_version() {
  [[ -n "${APICURIO_VERSION:-}" ]] && return 0
  local want="${MOSY_APICURIO_VERSION:-$APICURIO_DEFAULT_VERSION}" min j
  min="$(min_java_for "$want")"
  if [[ -n "${MOSY_REGISTRY_JAVA:-}" ]]; then
    j="$MOSY_REGISTRY_JAVA"
  else
    j="$(find_java "$min")"
  fi
  if [[ -z "$j" ]]; then
    if [[ -n "${MOSY_APICURIO_VERSION:-}" ]]; then
      die "registry: Apicurio $want needs Java >= $min and none was found (looked at \$JAVA_HOME, PATH, /usr/lib/jvm, /opt); set MOSY_REGISTRY_JAVA"
    fi
    log "registry: no Java >= $min found for Apicurio $want; falling back to $APICURIO_FALLBACK_VERSION on Java 17"
    want="$APICURIO_FALLBACK_VERSION"
    j="$(ensure_java17)"
  fi
  APICURIO_VERSION="$want"
  REGISTRY_JAVA="$j"
  REGISTRY_HOME="$CACHE/apicurio-registry-$APICURIO_VERSION"
}

svc_install() {
  select_version
  if [[ -f "$REGISTRY_HOME/.complete" ]]; then
    return 0
  fi
  local t0 tmp tarball
  t0=$(now_s)
  log "registry: fetching io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all into $REGISTRY_HOME"
  tmp="$(mktemp -d "$CACHE/.apicurio-$APICURIO_VERSION.XXXXXX")"
  mvn_run "$LOGS/registry-install.log" "$MVN_DEP_PLUGIN:copy" \
    -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" -DoutputDirectory="$tmp/dl"
  tarball="$(find "$tmp/dl" -name '*.tar.gz' | head -n 1)"
  [[ -n "$tarball" ]] || die "registry: no tar.gz downloaded (see $LOGS/registry-install.log)"
  mkdir -p "$tmp/app"
  tar -xzf "$tarball" -C "$tmp/app"
  rm -rf "$tmp/dl" "$REGISTRY_HOME"
  mv "$tmp/app" "$REGISTRY_HOME"
  rm -rf "$tmp"
  [[ -n "$(registry_jar)" ]] || die "registry: neither quarkus-run.jar nor *-runner.jar in $REGISTRY_HOME"
  touch "$REGISTRY_HOME/.complete"
  log "registry: installed Apicurio $APICURIO_VERSION ($(du -sh "$REGISTRY_HOME" | cut -f1)) in $(($(now_s) - t0))s"
}

# quarkus-run.jar (fast-jar layout, 3.1.5+) or *-runner.jar (older releases)
registry_jar() {
  if [[ -f "$REGISTRY_HOME/quarkus-run.jar" ]]; then
    printf '%s' "$REGISTRY_HOME/quarkus-run.jar"
  else
    find "$REGISTRY_HOME" -maxdepth 1 -name '*-runner.jar' | head -n 1
  fi
}

registry_healthy() {
  pid_matches "$REGISTRY_PID" "$REGISTRY_MARKER" &&
    curl -sf -o /dev/null --max-time 3 "$REGISTRY_URL/subjects"
}

svc_start() {
  ensure_curl
  if registry_healthy; then
    log "registry: already running (pid $(read_pid "$REGISTRY_PID")) at $REGISTRY_URL"
    return 0
  fi
  svc_install
  local t0 jar
  t0=$(now_s)
  if pid_matches "$REGISTRY_PID" "$REGISTRY_MARKER"; then
    log "registry: process $(read_pid "$REGISTRY_PID") exists but is not healthy yet, waiting"
  else
    rm -f "$REGISTRY_PID"
    ensure_port_free registry "$MOSY_REGISTRY_PORT"
    jar="$(registry_jar)"
    local -a props=(
      "-Dquarkus.http.host=$MOSY_HOST"
      "-Dquarkus.http.port=$MOSY_REGISTRY_PORT"
      "-Dquarkus.log.console.color=false"
      "-Dquarkus.log.console.format=%d{yyyy-MM-dd HH:mm:ss,SSS} %p [%c{3.}] (%t) %m%n"
    )
    local prefix=apicurio
    if [[ "$APICURIO_VERSION" == 2.* ]]; then
      prefix=registry
      props+=("-Dregistry.rest.artifact.deletion.enabled=true")
    else
      ensure_port_free registry-management "$MOSY_REGISTRY_MGMT_PORT"
      props+=(
        # The management interface (health/metrics) defaults to port 9000, which is ClickHouse's.
        "-Dquarkus.management.host=$MOSY_HOST"
        "-Dquarkus.management.port=$MOSY_REGISTRY_MGMT_PORT"
        "-Dapicurio.rest.deletion.group.enabled=true"
        "-Dapicurio.rest.deletion.artifact.enabled=true"
        "-Dapicurio.rest.deletion.artifact-version.enabled=true"
      )
    fi
    if [[ -n "$REGISTRY_COMPAT" && "$REGISTRY_COMPAT" != "NONE" ]]; then
      props+=("-D$prefix.rules.global.compatibility=$REGISTRY_COMPAT")
    fi
    [[ -f "$REGISTRY_LOG" ]] && mv -f "$REGISTRY_LOG" "$REGISTRY_LOG.prev"
    local cds
    cds="$(jvm_cache_opts registry "$APICURIO_VERSION" "$REGISTRY_JAVA")"
    [[ -n "$cds" ]] && props=("$cds" "${props[@]}")
    # shellcheck disable=SC2206 # word splitting of the user's option string is intended
    [[ -n "${MOSY_REGISTRY_JAVA_OPTS:-}" ]] && props=($MOSY_REGISTRY_JAVA_OPTS "${props[@]}")
    start_bg "$REGISTRY_PID" "$REGISTRY_LOG" "$REGISTRY_JAVA" \
      -Xms128m "-Xmx$REGISTRY_HEAP" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
      "-Dmosy.service=$REGISTRY_MARKER" "${props[@]}" -jar "$jar"
    log "registry: starting Apicurio $APICURIO_VERSION (pid $(read_pid "$REGISTRY_PID"), java $(java_major "$REGISTRY_JAVA"), log $REGISTRY_LOG)"
  fi
  if ! wait_for registry registry_healthy "$REGISTRY_TIMEOUT" "$REGISTRY_PID"; then
    show_log_tail registry "$REGISTRY_LOG"
    die "registry: failed to start"
  fi
  log "registry: healthy at $REGISTRY_URL after $(($(now_s) - t0))s (JVM cpu $(proc_cpu "$REGISTRY_PID")s, load $(cut -d' ' -f1 /proc/loadavg))"
}

svc_stop() {
  # Generous timeout: the first clean exit of a Java 25 JVM also writes its AOT cache.
  stop_pid registry "$REGISTRY_PID" 90 "$REGISTRY_MARKER"
  jvm_cache_commit registry
}

svc_status() {
  ensure_curl
  if registry_healthy; then
    echo "registry: running (pid $(read_pid "$REGISTRY_PID")), healthy, $REGISTRY_URL"
    return 0
  fi
  if pid_alive "$REGISTRY_PID"; then
    echo "registry: process $(read_pid "$REGISTRY_PID") running but NOT healthy (see $REGISTRY_LOG)"
    return 1
  fi
  echo "registry: stopped"
  return 3
}

svc_main "$@"
