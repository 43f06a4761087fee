#!/usr/bin/env bash
# Throwaway services for the test suite: a PostgreSQL server on 127.0.0.1 in a temporary data directory.
#
#   eval "$(scripts/services.sh start)"   # installs PostgreSQL if missing, starts it, prints the export line
#   scripts/services.sh env               # prints the export line of the running server
#   scripts/services.sh stop              # stops it and deletes its data
#
# State lives in $MLWARDEN_SERVICES_DIR/postgres (default base: a directory per checkout under $TMPDIR), so
# `start` is idempotent and concurrent `make test` runs can each use their own (the Makefile gives each run
# one). Other service scripts (scripts/redis.sh) keep their own subdirectory of the same base; `stop` removes
# only this one, and the base when it is left empty.
# Only stdout carries the export line; progress goes to stderr.
set -euo pipefail

log() { printf 'services: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

repo_key=$(printf '%s' "$(cd "$(dirname "$0")/.." && pwd)" | cksum | cut -d' ' -f1)
BASE=${MLWARDEN_SERVICES_DIR:-${TMPDIR:-/tmp}/mlwarden-services-$(id -u)-$repo_key}
STATE=$BASE/postgres
PGDATA_DIR=$STATE/pgdata
ENV_FILE=$STATE/env
DB_NAME=mlwarden_test
DB_USER=mlwarden

find_pg_bin() {
  local initdb_path
  if initdb_path=$(command -v initdb 2>/dev/null); then
    dirname "$(readlink -f "$initdb_path")"
    return 0
  fi
  # Debian/Ubuntu keep the server binaries off PATH, one directory per major version; take the newest.
  initdb_path=$(ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$initdb_path" ] && dirname "$initdb_path"
}

install_pg() {
  log "PostgreSQL server binaries not found; installing with apt-get"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "PostgreSQL is not installed and this user cannot apt-get; install postgresql"
    sudo="sudo -n"
  fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
}

# postgres refuses to run as root: as root, run the server as the `postgres` system user (created if absent).
run_as() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

ensure_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

is_running() {
  [ -f "$ENV_FILE" ] && [ -f "$PGDATA_DIR/postmaster.pid" ] || return 1
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  run_as "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

print_env() {
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  printf 'export MLWARDEN_TEST_POSTGRES_URL=%q\n' "$MLWARDEN_TEST_POSTGRES_URL"
}

start() {
  if is_running; then
    log "PostgreSQL already running ($STATE)"
    print_env
    return 0
  fi
  stop_quietly
  local pg_bin port password
  pg_bin=$(find_pg_bin || true)
  if [ -z "$pg_bin" ]; then
    install_pg
    pg_bin=$(find_pg_bin || true)
    [ -n "$pg_bin" ] || die "PostgreSQL installed but initdb not found"
  fi
  ensure_user
  mkdir -p "$STATE"
  # The server runs as `postgres` when we are root: it must be able to traverse to its data directory.
  chmod 755 "$BASE" "$STATE"
  mkdir -p "$PGDATA_DIR"
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  printf '%s\n' "$password" >"$STATE/pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PGDATA_DIR" "$STATE/pwfile"; fi
  chmod 700 "$PGDATA_DIR"
  chmod 600 "$STATE/pwfile"
  log "initdb in $PGDATA_DIR"
  run_as "$pg_bin/initdb" -D "$PGDATA_DIR" -U "$DB_USER" --pwfile="$STATE/pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C --no-sync >/dev/null
  rm -f "$STATE/pwfile"
  port=$(free_port)
  # Loopback only, socket in the data directory (no /var/run/postgresql needed), durability off: throwaway data.
  run_as "$pg_bin/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PGDATA_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$PGDATA_DIR/server.log" >&2 || true; die "PostgreSQL did not start"; }
  run_as "$pg_bin/createdb" -h "$PGDATA_DIR" -p "$port" -U "$DB_USER" "$DB_NAME"
  {
    printf 'PG_BIN=%q\n' "$pg_bin"
    printf 'MLWARDEN_TEST_POSTGRES_URL=%q\n' "postgresql+psycopg://$DB_USER:$password@127.0.0.1:$port/$DB_NAME"
  } >"$ENV_FILE"
  chmod 600 "$ENV_FILE"
  log "PostgreSQL running on 127.0.0.1:$port (database $DB_NAME)"
  print_env
}

stop_quietly() {
  if [ -f "$ENV_FILE" ] && [ -d "$PGDATA_DIR" ]; then
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    run_as "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$STATE"
  rmdir "$BASE" 2>/dev/null || true
}

case "${1:-start}" in
  start) start ;;
  env) is_running || die "not running; use: scripts/services.sh start"; print_env ;;
  stop) stop_quietly; log "stopped ($STATE)" ;;
  *) die "usage: $0 start|env|stop" ;;
esac
