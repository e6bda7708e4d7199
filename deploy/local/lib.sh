# shellcheck shell=bash
# shellcheck disable=SC2034 # several variables are only used by the scripts that source this file
# Shared helpers for the deploy/local/*.sh service scripts. Source it, don't run it.
#
#   CACHE  = ${MOSY_CACHE_DIR:-$HOME/.cache/mosy}   downloads that survive runs (Maven repo, Kafka libs, Apicurio)
#   STATE  = ${MOSY_LOCAL_STATE:-/tmp/mosy-local}   data, generated configs, logs, pidfiles, env file
#
# Nothing is ever written inside the repository at run time.

if [[ -n "${MOSY_LIB_LOADED:-}" ]]; then
  return 0
fi
MOSY_LIB_LOADED=1

MOSY_LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${MOSY_CACHE_DIR:-${HOME:-/root}/.cache/mosy}"
STATE="${MOSY_LOCAL_STATE:-/tmp/mosy-local}"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
# Maven local repository used for the Kafka/Apicurio downloads (kept inside CACHE so that a
# fresh MOSY_CACHE_DIR really is a cold start). Point it at ~/.m2/repository to share.
M2_REPO="${MOSY_M2_REPO:-$CACHE/m2}"
MVN_DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.6.1"

# Everything binds to loopback only.
MOSY_HOST="127.0.0.1"

# Ports (overridable).
MOSY_KAFKA_PORT="${MOSY_KAFKA_PORT:-9092}"
MOSY_KAFKA_CONTROLLER_PORT="${MOSY_KAFKA_CONTROLLER_PORT:-9093}"
MOSY_KAFKA_SASL_PORT="${MOSY_KAFKA_SASL_PORT:-9094}"
MOSY_REGISTRY_PORT="${MOSY_REGISTRY_PORT:-8081}"
MOSY_REGISTRY_MGMT_PORT="${MOSY_REGISTRY_MGMT_PORT:-8091}"
MOSY_CLICKHOUSE_HTTP_PORT="${MOSY_CLICKHOUSE_HTTP_PORT:-${MOSY_CLICKHOUSE_PORT:-8123}}"
MOSY_CLICKHOUSE_TCP_PORT="${MOSY_CLICKHOUSE_TCP_PORT:-9000}"
MOSY_REDIS_PORT="${MOSY_REDIS_PORT:-6379}"

# The one user of the local broker's SASL/PLAIN listener. A LOCAL TEST CREDENTIAL, not a secret: the broker
# listens on loopback only, and tests need to know it. Never use it anywhere else.
MOSY_LOCAL_SASL_USERNAME="mosy"
MOSY_LOCAL_SASL_PASSWORD="mosy-local-test-only"

mkdir -p "$CACHE" "$LOGS" "$PIDS"

log() {
  printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

die() {
  log "ERROR: $*"
  exit 1
}

# now_s: seconds since the epoch (for timings)
now_s() {
  date +%s
}

# proc_cpu PIDFILE -> CPU seconds (user+sys) used so far by the process, e.g. "6.3"
proc_cpu() {
  local pid
  pid="$(read_pid "$1")"
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$pid/stat" 2>/dev/null || printf '?'
}

# port_open PORT [HOST] -> 0 if something accepts TCP connections there
port_open() {
  local port="$1" host="${2:-$MOSY_HOST}"
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

# wait_for NAME CMD TIMEOUT_SECONDS [PIDFILE]
# Polls CMD (a shell snippet, eval'ed) every 0.5 s until it succeeds. Fails after TIMEOUT, or as
# soon as the process in PIDFILE (if given) has died.
wait_for() {
  local name="$1" cmd="$2" timeout="$3" pidfile="${4:-}"
  local deadline=$(($(now_s) + timeout))
  while true; do
    if eval "$cmd" >/dev/null 2>&1; then
      return 0
    fi
    if [[ -n "$pidfile" ]] && ! pid_alive "$pidfile"; then
      log "$name: process exited before becoming healthy"
      return 1
    fi
    if (($(now_s) >= deadline)); then
      log "$name: not healthy after ${timeout}s"
      return 1
    fi
    sleep 0.5
  done
}

# show_log_tail NAME FILE... : print the tail of log files to stderr (used on failures)
show_log_tail() {
  local name="$1" f
  shift
  for f in "$@"; do
    if [[ -s "$f" ]]; then
      printf -- '----- %s: last 40 lines of %s -----\n' "$name" "$f" >&2
      tail -n 40 "$f" >&2
      printf -- '----- end of %s -----\n' "$f" >&2
    fi
  done
}

# read_pid PIDFILE -> prints the pid (empty if none)
read_pid() {
  local pidfile="$1"
  [[ -s "$pidfile" ]] && tr -dc '0-9' <"$pidfile"
  return 0
}

# pid_alive PIDFILE -> 0 if the recorded process is alive (and not a zombie)
pid_alive() {
  local pid state
  pid="$(read_pid "$1")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ "$state" != "Z" ]]
}

# pid_matches PIDFILE PATTERN -> 0 if the live process' command line contains PATTERN
# (protects against a recycled pid after a reboot/cleanup).
pid_matches() {
  local pidfile="$1" pattern="$2" pid
  pid_alive "$pidfile" || return 1
  pid="$(read_pid "$pidfile")"
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

# start_bg PIDFILE LOGFILE CMD ARGS... : start CMD detached (own session, stdin closed,
# stdout+stderr appended to LOGFILE) and record its pid in PIDFILE.
start_bg() {
  local pidfile="$1" logfile="$2"
  shift 2
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  rm -f "$pidfile"
  # The inner bash writes its own pid, then exec's the service: the pid is exact even if
  # setsid had to fork.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' mosy-start "$pidfile" "$@" \
    >>"$logfile" 2>&1 </dev/null &
  local i
  for i in $(seq 1 50); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  die "could not start: $* (no pidfile $pidfile)"
}

# stop_pid NAME PIDFILE [TIMEOUT] [PATTERN]: SIGTERM, wait, then SIGKILL. If PATTERN is given,
# only a process whose command line contains it is signalled.
# Sets STOP_RESULT to none (was not running), clean (exited after SIGTERM) or killed.
STOP_RESULT=none
stop_pid() {
  local name="$1" pidfile="$2" timeout="${3:-30}" pattern="${4:-}" pid i
  STOP_RESULT=none
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    log "$name: not running"
    return 0
  fi
  pid="$(read_pid "$pidfile")"
  if [[ -n "$pattern" ]] && ! pid_matches "$pidfile" "$pattern"; then
    log "$name: pid $pid from $pidfile is not ours any more; removing stale pidfile"
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 5; i++)); do
    if ! pid_alive "$pidfile"; then
      rm -f "$pidfile"
      STOP_RESULT=clean
      log "$name: stopped (pid $pid)"
      return 0
    fi
    sleep 0.2
  done
  log "$name: still running after ${timeout}s, sending SIGKILL to $pid"
  kill -KILL "$pid" 2>/dev/null || true
  STOP_RESULT=killed
  sleep 0.5
  rm -f "$pidfile"
  log "$name: killed (pid $pid)"
}

# ensure_port_free NAME PORT : fail with a clear message if PORT is taken by someone else
ensure_port_free() {
  local name="$1" port="$2"
  if port_open "$port"; then
    die "$name: port $MOSY_HOST:$port is already in use by another process (not started by these scripts). Stop it (e.g. 'service <name> stop') or set the MOSY_*_PORT override."
  fi
}

# ---------------------------------------------------------------------------------------------
# Java / Maven

# java_major JAVA_BIN -> prints the major version (17, 21, 25, ...)
java_major() {
  local v release
  # Cheap path: the JDK's release file (JAVA_VERSION="25.0.3"), else ask the JVM.
  release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
  if [[ -f "$release" ]]; then
    v="$(sed -n 's/^JAVA_VERSION="\([0-9.]*\).*/\1/p' "$release")"
    v="${v%%.*}"
    [[ "$v" == "1" ]] && v=8
    if [[ -n "$v" ]]; then
      printf '%s' "$v"
      return 0
    fi
  fi
  v="$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  v="${v%%.*}"
  [[ "$v" == "1" ]] && v=8
  printf '%s' "${v:-0}"
}

# find_java MIN_MAJOR -> prints the path of a java binary with major >= MIN (empty if none).
# Order: $JAVA_HOME, java on PATH, then /usr/lib/jvm/* and /opt/* (newest first).
find_java() {
  local min="$1" cand major
  local -a cands=()
  [[ -n "${JAVA_HOME:-}" ]] && cands+=("$JAVA_HOME/bin/java")
  if command -v java >/dev/null 2>&1; then
    cands+=("$(readlink -f "$(command -v java)")")
  fi
  while IFS= read -r cand; do
    cands+=("$cand")
  done < <(printf '%s\n' /usr/lib/jvm/*/bin/java /opt/*/bin/java /opt/java/*/bin/java | sort -rV)
  for cand in "${cands[@]}"; do
    [[ -x "$cand" ]] || continue
    major="$(java_major "$cand")"
    if ((major >= min)); then
      printf '%s' "$cand"
      return 0
    fi
  done
  return 0
}

# JVM startup cache (class-data sharing), kept in $CACHE/jvm-cache, keyed by service+version+Java.
# Java >= 25: AOT cache (JEP 483/514); Java 17..24: dynamic AppCDS archive. The first start records
# (-XX:AOTCacheOutput / -XX:ArchiveClassesAtExit), the archive is written when the JVM exits
# cleanly (a 'stop', which then takes 5-20 s longer once), later starts map it and need ~30-40%
# less CPU. A stale or mismatching archive is ignored by the JVM. MOSY_JVM_CACHE=0 disables it.
#
# jvm_cache_opts NAME KEY JAVA_BIN -> prints the option to add (one line, or nothing)
jvm_cache_opts() {
  local name="$1" key="$2" java="$3" major base
  [[ "${MOSY_JVM_CACHE:-1}" == "1" ]] || return 0
  major="$(java_major "$java")"
  mkdir -p "$CACHE/jvm-cache"
  base="$CACHE/jvm-cache/$name-$key-java$major"
  if ((major >= 25)); then
    if [[ -s "$base.aot" ]]; then
      printf '%s\n' "-XX:AOTCache=$base.aot"
    else
      rm -f "$base.aot.tmp"
      printf '%s\n' "-XX:AOTCacheOutput=$base.aot.tmp"
    fi
  elif ((major >= 17)); then
    if [[ -s "$base.jsa" ]]; then
      printf '%s\n' "-XX:SharedArchiveFile=$base.jsa"
    else
      rm -f "$base.jsa.tmp"
      printf '%s\n' "-XX:ArchiveClassesAtExit=$base.jsa.tmp"
    fi
  fi
}

# jvm_cache_commit NAME : after stop_pid, keep the archive written by a clean exit, drop one
# from a killed JVM.
jvm_cache_commit() {
  local name="$1" f
  [[ "$STOP_RESULT" == none ]] && return 0
  for f in "$CACHE/jvm-cache/$name-"*.tmp; do
    [[ -e "$f" ]] || continue
    if [[ "$STOP_RESULT" == clean && -s "$f" ]]; then
      mv -f "$f" "${f%.tmp}"
      log "$name: JVM startup archive saved: ${f%.tmp}"
    else
      rm -f "$f"
    fi
  done
}

# ensure_java17 -> prints a java >= 17 binary, installing Debian's openjdk-17 if there is none
ensure_java17() {
  local j
  j="$(find_java 17)"
  if [[ -z "$j" ]]; then
    apt_install openjdk-17-jre-headless >&2
    j="$(find_java 17)"
  fi
  [[ -n "$j" ]] || die "no Java >= 17 found"
  printf '%s' "$j"
}

ensure_mvn() {
  command -v mvn >/dev/null 2>&1 || apt_install maven
}

# mvn_run LOGFILE ARGS... : run Maven quietly against the cache repository, one at a time
# (the local repository is not safe for concurrent writers).
mvn_run() {
  local logfile="$1" rc=0
  shift
  ensure_mvn
  mkdir -p "$M2_REPO"
  (
    flock -w 1800 9 || die "timed out waiting for the Maven lock $CACHE/.mvn.lock"
    mvn -B -q -Dmaven.repo.local="$M2_REPO" "$@"
  ) 9>"$CACHE/.mvn.lock" >>"$logfile" 2>&1 || rc=$?
  if ((rc != 0)); then
    show_log_tail maven "$logfile"
    die "mvn $* failed (exit $rc), see $logfile"
  fi
}

# ---------------------------------------------------------------------------------------------
# Debian packages

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# apt_install PKG... : install the missing packages (apt-get update first, at most once per
# 30 min across concurrent callers). Serialised with a lock; never starts the packaged services.
apt_install() {
  local -a missing=()
  local p
  for p in "$@"; do
    pkg_installed "$p" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  local -a sudo=()
  if [[ "$(id -u)" != "0" ]]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install ${missing[*]}"
    sudo=(sudo -n)
  fi
  local aptlog="$LOGS/apt.log"
  log "apt: installing ${missing[*]} (log: $aptlog)"
  (
    flock -w 1800 9 || die "timed out waiting for $STATE/apt.lock"
    local -a still=()
    for p in "${missing[@]}"; do
      pkg_installed "$p" || still+=("$p")
    done
    ((${#still[@]} == 0)) && exit 0
    local stamp="$STATE/.apt-updated"
    if [[ -z "$(find "$stamp" -mmin -30 2>/dev/null)" ]]; then
      "${sudo[@]}" apt-get update -q >>"$aptlog" 2>&1 || die "apt-get update failed, see $aptlog"
      touch "$stamp"
    fi
    # Keep the Debian packages from starting their system services (they would grab our ports).
    local policy=/usr/sbin/policy-rc.d created=0
    if [[ ! -e "$policy" ]]; then
      printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
      "${sudo[@]}" chmod 755 "$policy"
      created=1
    fi
    local rc=0
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      -o DPkg::Lock::Timeout=600 "${still[@]}" >>"$aptlog" 2>&1 || rc=$?
    ((created)) && "${sudo[@]}" rm -f "$policy"
    if ((rc != 0)); then
      show_log_tail apt "$aptlog"
      die "apt-get install ${still[*]} failed (exit $rc), see $aptlog"
    fi
  ) 9>"$STATE/apt.lock"
}

ensure_curl() {
  command -v curl >/dev/null 2>&1 || apt_install curl
}

# ---------------------------------------------------------------------------------------------
# Common CLI dispatch for the service scripts.
# Each script defines svc_install, svc_start, svc_stop, svc_status and calls: svc_main "$@"
svc_main() {
  local cmd="${1:-}"
  # Services inherit the working directory: keep it out of the repository.
  cd "$STATE" || exit 1
  case "$cmd" in
    install) svc_install ;;
    start) svc_start ;;
    stop) svc_stop ;;
    restart)
      svc_stop
      svc_start
      ;;
    status) svc_status ;;
    *)
      echo "usage: $(basename "$0") {install|start|stop|restart|status}" >&2
      exit 2
      ;;
  esac
}
