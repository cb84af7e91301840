#!/usr/bin/env bash
# Stop the node started by scripts/es-start.sh for $ES_PORT (default 9201),
# via its pid file: TERM, wait up to $ES_STOP_TIMEOUT s (default 30), then KILL.
# Idempotent: does nothing (exit 0) when it is not running.
set -euo pipefail

ES_PORT="${ES_PORT:-9201}"
ES_STOP_TIMEOUT="${ES_STOP_TIMEOUT:-30}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${ES_CACHE_DIR:-$REPO_ROOT/.cache/elasticsearch}"
NODE_DIR="$CACHE_DIR/node-$ES_PORT"
PID_FILE="$NODE_DIR/es.pid"

log() { echo "[es-stop] $*" >&2; }

if [[ ! -f "$PID_FILE" ]]; then
  log "not running (no pid file $PID_FILE)"
  exit 0
fi
pid="$(cat "$PID_FILE" 2>/dev/null || true)"
if [[ ! "$pid" =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then
  log "not running (stale pid file)"
  rm -f "$PID_FILE"
  exit 0
fi
# Make sure the pid still belongs to an Elasticsearch JVM before signalling it.
if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'org.elasticsearch'; then
  log "pid $pid is not an Elasticsearch process; removing stale pid file"
  rm -f "$PID_FILE"
  exit 0
fi

log "stopping pid $pid (TERM)"
kill -TERM "$pid" 2>/dev/null || true
for ((i = 0; i < ES_STOP_TIMEOUT * 5; i++)); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
if kill -0 "$pid" 2>/dev/null; then
  log "still alive after ${ES_STOP_TIMEOUT}s; KILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
fi
if kill -0 "$pid" 2>/dev/null; then
  log "ERROR: pid $pid survived KILL"
  exit 1
fi
rm -f "$PID_FILE"
log "stopped"
