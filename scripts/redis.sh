#!/usr/bin/env bash
# A throwaway Redis for the guard's shared rate-limit tests: 127.0.0.1 on a free port, no persistence.
#
#   eval "$(scripts/redis.sh start)"   # installs redis-server if missing, starts it, prints the export line
#   scripts/redis.sh env               # prints the export line of the running server
#   scripts/redis.sh stop              # stops it and deletes its state
#
# State lives in $MLWARDEN_SERVICES_DIR (default: a directory per checkout under $TMPDIR), shared with
# scripts/services.sh, so `start` is idempotent and concurrent `make test` runs can each use their own.
# Only stdout carries the export line; progress goes to stderr.
set -euo pipefail

log() { printf 'redis: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

repo_key=$(printf '%s' "$(cd "$(dirname "$0")/.." && pwd)" | cksum | cut -d' ' -f1)
STATE=${MLWARDEN_SERVICES_DIR:-${TMPDIR:-/tmp}/mlwarden-services-$(id -u)-$repo_key}/redis
ENV_FILE=$STATE/env
PID_FILE=$STATE/redis.pid

install_redis() {
  log "redis-server not found; installing with apt-get"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "redis-server is not installed and this user cannot apt-get; install redis-server"
    sudo="sudo -n"
  fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server >&2
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

is_running() {
  [ -f "$ENV_FILE" ] && [ -f "$PID_FILE" ] || return 1
  kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

print_env() {
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  printf 'export MLWARDEN_TEST_REDIS_URL=%q\n' "$MLWARDEN_TEST_REDIS_URL"
}

start() {
  if is_running; then
    log "Redis already running ($STATE)"
    print_env
    return 0
  fi
  stop_quietly
  command -v redis-server >/dev/null 2>&1 || install_redis
  command -v redis-server >/dev/null 2>&1 || die "redis-server installed but not on PATH"
  mkdir -p "$STATE"
  chmod 700 "$STATE"
  local port
  port=$(free_port)
  # Loopback only, no RDB/AOF persistence, daemonised with a pid file in our state directory.
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --protected-mode yes \
    --daemonize yes --pidfile "$PID_FILE" --logfile "$STATE/redis.log" --dir "$STATE" >/dev/null \
    || die "redis-server did not start"
  for _ in $(seq 50); do
    [ -s "$PID_FILE" ] && redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 || { cat "$STATE/redis.log" >&2 || true; die "Redis is not answering"; }
  printf 'MLWARDEN_TEST_REDIS_URL=%q\n' "redis://127.0.0.1:$port/0" >"$ENV_FILE"
  log "Redis running on 127.0.0.1:$port"
  print_env
}

stop_quietly() {
  if [ -f "$PID_FILE" ]; then
    local pid
    pid=$(cat "$PID_FILE")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$STATE"
}

case "${1:-start}" in
  start) start ;;
  env) is_running || die "not running; use: scripts/redis.sh start"; print_env ;;
  stop) stop_quietly; log "stopped ($STATE)" ;;
  *) die "usage: $0 start|env|stop" ;;
esac
