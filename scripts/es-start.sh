#!/usr/bin/env bash
# Start a local single-node Elasticsearch for tests (no Docker, no internet
# except Maven Central). Idempotent: if the node for $ES_PORT is already up,
# it just prints its URL.
#
# Distribution: org.elasticsearch.distribution.integ-test-zip:elasticsearch
# (server + transport-netty4 + x-pack-core/x-pack-security + apm; no
# analysis-common, no painless, no reindex, no ingest-common). See
# docs/elasticsearch-node.md.
#
# Environment knobs:
#   ES_VERSION         distribution version            (default 9.2.4)
#   ES_PORT            HTTP port on 127.0.0.1          (default 9201)
#   ES_TRANSPORT_PORT  transport port on 127.0.0.1     (default ES_PORT+100)
#   ES_HEAP            -Xms/-Xmx value                 (default 1g)
#   ES_START_TIMEOUT   seconds to wait for yellow      (default 120)
#   ES_CACHE_DIR       where the distribution and node data live
#                      (default <repo>/.cache/elasticsearch)
#   ES_JAVA_HOME       JDK to run it with (default: first suitable JDK found)
#   ES_USER            unprivileged user used when run as root (default taxkb-es)
set -euo pipefail

ES_VERSION="${ES_VERSION:-9.2.4}"
ES_PORT="${ES_PORT:-9201}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-$((ES_PORT + 100))}"
ES_HEAP="${ES_HEAP:-1g}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-120}"
ES_USER="${ES_USER:-taxkb-es}"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${ES_CACHE_DIR:-$REPO_ROOT/.cache/elasticsearch}"
ES_HOME="$CACHE_DIR/$ES_VERSION"
NODE_DIR="$CACHE_DIR/node-$ES_PORT"
PID_FILE="$NODE_DIR/es.pid"
URL="http://127.0.0.1:$ES_PORT"
GROUP_ID="org.elasticsearch.distribution.integ-test-zip"
ARTIFACT="$GROUP_ID:elasticsearch:$ES_VERSION:zip"
M2_REPO="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
ZIP="$M2_REPO/${GROUP_ID//.//}/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"

log() { echo "[es-start] $*" >&2; }
die() { echo "[es-start] ERROR: $*" >&2; exit 1; }

START_TS=$(date +%s)

is_running() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

healthy() {
  curl -fsS --max-time 10 "$URL/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null 2>&1
}

# --- already running? ------------------------------------------------------
if is_running; then
  if healthy; then
    log "already running (pid $(cat "$PID_FILE")), version $ES_VERSION"
    echo "ELASTICSEARCH_URL=$URL"
    exit 0
  fi
  log "pid $(cat "$PID_FILE") alive but not healthy yet; waiting"
else
  rm -f "$PID_FILE"
  if curl -fsS --max-time 3 "$URL/" >/dev/null 2>&1 || ss -ltnH "( sport = :$ES_PORT )" 2>/dev/null | grep -q .; then
    die "port $ES_PORT is already in use by another process (not our pid file $PID_FILE)"
  fi

  # --- distribution --------------------------------------------------------
  if [[ ! -x "$ES_HOME/bin/elasticsearch" ]]; then
    if [[ ! -f "$ZIP" ]]; then
      log "fetching $ARTIFACT from Maven Central"
      command -v mvn >/dev/null || die "mvn not found (needed to fetch $ARTIFACT)"
      mvn -B -q dependency:get -Dtransitive=false "-Dartifact=$ARTIFACT" >&2 \
        || die "mvn dependency:get failed for $ARTIFACT"
      [[ -f "$ZIP" ]] || die "zip not found at $ZIP after mvn dependency:get"
    fi
    log "unpacking $ZIP"
    mkdir -p "$CACHE_DIR"
    tmp="$(mktemp -d "$CACHE_DIR/.unzip.XXXXXX")"
    unzip -q "$ZIP" -d "$tmp" || { rm -rf "$tmp"; die "unzip failed"; }
    rm -rf "$ES_HOME"
    mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
    rm -rf "$tmp"
  fi

  # --- JDK -----------------------------------------------------------------
  major="${ES_VERSION%%.*}"
  # 9.x needs Java 21+; 8.x is run on Java 17..24 when one is installed
  # (its tested range), otherwise on any newer JDK.
  if (( major >= 9 )); then min_java=21; pref_max=999; else min_java=17; pref_max=24; fi
  java_major() { # prints the feature version of the JDK at $1, or nothing
    local rel="$1/release" v
    [[ -x "$1/bin/java" ]] || return 0
    if [[ -f "$rel" ]]; then
      v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel")"
    else
      v="$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
    fi
    echo "$v"
  }
  pick_jdk() {
    local c v best="" best_v=0 best_pref=0
    if [[ -n "${ES_JAVA_HOME:-}" ]]; then
      v="$(java_major "$ES_JAVA_HOME")"
      [[ -n "$v" && "$v" -ge "$min_java" ]] && { echo "$ES_JAVA_HOME"; return; }
      log "ES_JAVA_HOME=$ES_JAVA_HOME is not a JDK >= $min_java; searching"
    fi
    for c in ${JAVA_HOME:-} /usr/lib/jvm/*; do
      [[ -d "$c" && ! -L "$c" ]] || continue
      v="$(java_major "$c")"
      [[ -n "$v" ]] || continue
      (( v >= min_java )) || continue
      # prefer a JDK in the preferred range, then the newest
      local pref=0; (( v <= pref_max )) && pref=1
      if (( pref > best_pref || (pref == best_pref && v > best_v) )); then
        best="$c"; best_v="$v"; best_pref="$pref"
      fi
    done
    echo "$best"
  }
  JDK="$(pick_jdk)"
  [[ -n "$JDK" ]] || die "no JDK >= $min_java found (Elasticsearch $ES_VERSION); set ES_JAVA_HOME"
  log "using JDK $JDK (java $(java_major "$JDK"))"

  # --- node config ---------------------------------------------------------
  mkdir -p "$NODE_DIR/config" "$NODE_DIR/data" "$NODE_DIR/logs" "$NODE_DIR/tmp"
  for f in jvm.options log4j2.properties; do
    cp -f "$ES_HOME/config/$f" "$NODE_DIR/config/$f"
  done
  mkdir -p "$NODE_DIR/config/jvm.options.d"
  cat >"$NODE_DIR/config/jvm.options.d/taxkb.options" <<EOF
# written by scripts/es-start.sh
-XX:-HeapDumpOnOutOfMemoryError
EOF
  {
    echo "# written by scripts/es-start.sh -- do not edit, it is rewritten at every start"
    echo "cluster.name: taxkb-test"
    echo "node.name: taxkb-es-$ES_PORT"
    echo "discovery.type: single-node"
    echo "network.host: 127.0.0.1"
    echo "http.port: $ES_PORT"
    echo "transport.port: $ES_TRANSPORT_PORT"
    echo "path.data: $NODE_DIR/data"
    echo "path.logs: $NODE_DIR/logs"
    echo "node.store.allow_mmap: false"
    echo "cluster.routing.allocation.disk.threshold_enabled: false"
    echo "action.destructive_requires_name: false"
    # x-pack settings only when the build ships the modules that read them.
    if [[ -d "$ES_HOME/modules/x-pack-security" ]]; then
      echo "xpack.security.enabled: false"
      echo "xpack.security.http.ssl.enabled: false"
      echo "xpack.security.transport.ssl.enabled: false"
    fi
  } >"$NODE_DIR/config/elasticsearch.yml"

  # --- unprivileged user when root -----------------------------------------
  run_as=()
  if [[ "$(id -u)" == 0 ]]; then
    if ! id -u "$ES_USER" >/dev/null 2>&1; then
      log "creating system user $ES_USER"
      useradd --system --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$ES_USER"
    fi
    chown -R "$ES_USER:" "$ES_HOME" "$NODE_DIR"
    if ! runuser -u "$ES_USER" -- test -x "$ES_HOME/bin/elasticsearch"; then
      die "user $ES_USER cannot reach $ES_HOME (a parent directory is not world-searchable); set ES_CACHE_DIR to a path it can reach"
    fi
    run_as=(runuser -u "$ES_USER" --)
  fi

  # --- start ---------------------------------------------------------------
  log "starting Elasticsearch $ES_VERSION on $URL (heap $ES_HEAP)"
  : >"$NODE_DIR/logs/startup.out"
  [[ "$(id -u)" == 0 ]] && chown "$ES_USER:" "$NODE_DIR/logs/startup.out"
  # -d daemonizes (the CLI returns once the server is up or has failed),
  # -p writes the server JVM pid. setsid puts the whole tree (runuser, CLI
  # JVM, server JVM) in its own process group so a failed start can be
  # cleaned up completely, even before the pid file exists.
  (
    cd "$NODE_DIR"
    exec setsid "${run_as[@]}" env -i \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      LANG=C.UTF-8 \
      ES_HOME="$ES_HOME" \
      ES_PATH_CONF="$NODE_DIR/config" \
      ES_JAVA_HOME="$JDK" \
      ES_TMPDIR="$NODE_DIR/tmp" \
      ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP ${ES_EXTRA_JAVA_OPTS:-}" \
      "$ES_HOME/bin/elasticsearch" -d -p "$PID_FILE"
  ) >>"$NODE_DIR/logs/startup.out" 2>&1 </dev/null &
  cli_pid=$!
fi

# --- wait for yellow --------------------------------------------------------
deadline=$((START_TS + ES_START_TIMEOUT))
ok=0
while (( $(date +%s) < deadline )); do
  if healthy; then ok=1; break; fi
  # the daemonizing CLI has exited and no server pid is alive: give up early
  if [[ -n "${cli_pid:-}" ]] && ! kill -0 "$cli_pid" 2>/dev/null && ! is_running; then
    wait "$cli_pid" 2>/dev/null || true
    sleep 1
    healthy && { ok=1; break; }
    is_running || break
  fi
  sleep 1
done
# with -d the CLI returns right after the server reports ready
if (( ok == 1 )) && [[ -n "${cli_pid:-}" ]]; then wait "$cli_pid" 2>/dev/null || true; fi

if (( ok != 1 )); then
  echo "[es-start] ERROR: Elasticsearch did not reach yellow on $URL (exited early or ${ES_START_TIMEOUT}s timeout)" >&2
  echo "----- $NODE_DIR/logs/startup.out (tail) -----" >&2
  tail -n 40 "$NODE_DIR/logs/startup.out" >&2 2>/dev/null || true
  echo "----- $NODE_DIR/logs/taxkb-test.log (tail) -----" >&2
  tail -n 60 "$NODE_DIR/logs/taxkb-test.log" >&2 2>/dev/null || true
  # do not leave a half-started node behind
  if [[ -n "${cli_pid:-}" ]] && is_running; then
    echo "[es-start] stopping the node that failed to become ready" >&2
    ES_PORT="$ES_PORT" ES_CACHE_DIR="$CACHE_DIR" bash "$REPO_ROOT/scripts/es-stop.sh" || true
  fi
  if [[ -n "${cli_pid:-}" ]]; then
    # everything left in the process group we created (pgid == $cli_pid)
    if kill -0 -- "-$cli_pid" 2>/dev/null; then
      kill -TERM -- "-$cli_pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do
        kill -0 -- "-$cli_pid" 2>/dev/null || break
        sleep 0.2
      done
      kill -KILL -- "-$cli_pid" 2>/dev/null || true
    fi
    wait "$cli_pid" 2>/dev/null || true
  fi
  exit 1
fi

log "up in $(( $(date +%s) - START_TS ))s (pid $(cat "$PID_FILE" 2>/dev/null || echo '?'))"
echo "ELASTICSEARCH_URL=$URL"
