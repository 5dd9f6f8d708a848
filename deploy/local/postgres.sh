#!/usr/bin/env bash
# postgres.sh runs the local PostgreSQL that Aegis uses for development and tests: a dedicated
# cluster, started with Debian's binaries from /usr/lib/postgresql/<version>/bin, listening on
# 127.0.0.1 only, with its socket and log inside its data directory.
#
# Usage: deploy/local/postgres.sh ensure|start|stop|status|url
#
#   ensure  install PostgreSQL if missing, create the cluster if missing, start it, create the
#           aegis_user role and the aegis database; prints the DATABASE_URL. Idempotent.
#   start   the same without installing packages.
#   stop    stop the cluster.
#   status  say whether the server answers; exit status 0 if it does, 1 if not.
#   url     print the DATABASE_URL.
#
# Environment:
#   DATABASE_URL    when set, the script manages no server: ensure and start only check that it
#                   answers, url prints it.
#   AEGIS_DATA_DIR  runtime state directory (default <repo>/.data); the cluster is its postgres/.
#   AEGIS_PG_PORT   TCP port (default 5434).
#
# Progress goes to stderr; stdout carries only the URL, so URL=$(postgres.sh ensure) works.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
readonly PORT="${AEGIS_PG_PORT:-5434}"
readonly DB_USER=aegis_user
readonly DB_PASSWORD=aegis_password
readonly DB_NAME=aegis
readonly SUPERUSER=postgres

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 1
}

is_root() { [[ $(id -u) -eq 0 ]]; }

default_url() { printf 'postgresql://%s:%s@localhost:%s/%s' "$DB_USER" "$DB_PASSWORD" "$PORT" "$DB_NAME"; }

# as_pg runs a command as the cluster's owner: the postgres user when running as root (PostgreSQL
# refuses to run as root), the current user otherwise. It runs from / so that the postgres user
# never trips over a working directory it cannot enter, and without the lock's descriptor, which a
# server started here would otherwise hold for its whole life.
as_pg() {
	if is_root; then
		(cd / && runuser -u postgres -- "$@") 9>&-
	else
		(cd / && "$@") 9>&-
	fi
}

# data_dir prints the cluster's data directory. As root, the postgres user must be able to reach
# it; when a parent directory is closed to others, a directory under /var/tmp named after the
# wanted path is used instead.
data_dir() {
	local wanted="${AEGIS_DATA_DIR:-$REPO_ROOT/.data}/postgres"
	if ! is_root; then
		printf '%s' "$wanted"
		return
	fi
	id -u postgres >/dev/null 2>&1 || die "running as root needs the postgres user (apt-get install postgresql creates it)"
	local parent
	parent="$(dirname "$wanted")"
	mkdir -p "$parent"
	if runuser -u postgres -- test -x "$parent" 2>/dev/null; then
		printf '%s' "$wanted"
		return
	fi
	local hash fallback
	hash="$(printf '%s' "$wanted" | sha256sum | cut -c1-12)"
	fallback="/var/tmp/aegis-postgres-$hash"
	log "the postgres user cannot reach $parent; using $fallback instead"
	printf '%s' "$fallback"
}

# newest_bin prints the bin directory of the newest installed PostgreSQL, or nothing.
newest_bin() {
	local found=() initdb
	for initdb in /usr/lib/postgresql/*/bin/initdb; do
		[[ -x "$initdb" ]] && found+=("$initdb")
	done
	((${#found[@]} > 0)) || return 0
	initdb="$(printf '%s\n' "${found[@]}" | sort -V | tail -n 1)"
	dirname "$initdb"
}

install_postgres() {
	[[ -n "$(newest_bin)" ]] && return 0
	local sudo=()
	if ! is_root; then
		command -v sudo >/dev/null 2>&1 || die "PostgreSQL is not installed, and installing it needs root or sudo"
		sudo=(sudo)
		[[ -t 0 ]] || sudo=(sudo -n)
	fi
	log "installing PostgreSQL from Debian's packages"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >&2
	[[ -n "$(newest_bin)" ]] || die "apt-get install postgresql finished but no /usr/lib/postgresql/*/bin/initdb exists"
}

# Set by setup: the data directory, the binaries that match it, and the server log.
PGDATA=""
BIN=""
LOGFILE=""

setup() {
	PGDATA="$(data_dir)"
	LOGFILE="$PGDATA/server.log"
	local socket="$PGDATA/.s.PGSQL.$PORT"
	((${#socket} < 100)) || die "data directory path too long for a unix socket: $PGDATA (set AEGIS_DATA_DIR to a shorter path)"
	if [[ -f "$PGDATA/PG_VERSION" ]]; then
		local version
		version="$(<"$PGDATA/PG_VERSION")"
		BIN="/usr/lib/postgresql/$version/bin"
		[[ -x "$BIN/pg_ctl" ]] || die "the cluster in $PGDATA was made by PostgreSQL $version, whose binaries ($BIN) are not installed"
	else
		BIN="$(newest_bin)"
		[[ -n "$BIN" ]] || die "PostgreSQL is not installed; run: deploy/local/postgres.sh ensure"
	fi
}

# lock serialises concurrent runs of this script on one cluster.
lock() {
	command -v flock >/dev/null 2>&1 || return 0
	mkdir -p "$(dirname "$PGDATA")"
	exec 9>"$PGDATA.lock"
	flock 9
}

# running_port prints the port of the server running on $PGDATA, or fails if none runs.
running_port() {
	as_pg "$BIN/pg_ctl" status -D "$PGDATA" >/dev/null 2>&1 || return 1
	sed -n 4p "$PGDATA/postmaster.pid"
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

init_cluster() {
	[[ -f "$PGDATA/PG_VERSION" ]] && return 0
	log "creating a cluster in $PGDATA"
	mkdir -p "$PGDATA"
	if is_root; then
		chown postgres:postgres "$PGDATA"
	fi
	chmod 700 "$PGDATA"
	# The superuser is reached only through the unix socket in the data directory, which only the
	# cluster's owner can enter; TCP logins need a password.
	as_pg "$BIN/initdb" -D "$PGDATA" -U "$SUPERUSER" --auth-local=trust --auth-host=scram-sha-256 \
		--encoding=UTF8 --locale=C --no-instructions >"$PGDATA.initdb.log" 2>&1 || {
		cat "$PGDATA.initdb.log" >&2
		die "initdb failed"
	}
	rm -f "$PGDATA.initdb.log"
	printf "\ninclude_if_exists = 'aegis.conf'\n" | as_pg tee -a "$PGDATA/postgresql.conf" >/dev/null
}

# write_config rewrites the settings this script owns, so a moved data directory or a new
# AEGIS_PG_PORT takes effect at the next start.
write_config() {
	as_pg tee "$PGDATA/aegis.conf" >/dev/null <<EOF
# Written by deploy/local/postgres.sh at every start; edit postgresql.conf instead.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$PGDATA'
max_connections = 300
EOF
}

# check_port fails when the port belongs to someone else. It succeeds, printing "running", when our
# cluster already serves it.
check_port() {
	local port
	if port="$(running_port)"; then
		[[ "$port" == "$PORT" ]] || die "the cluster in $PGDATA is running on port $port, not $PORT; run deploy/local/postgres.sh stop first"
		echo running
		return 0
	fi
	if port_taken; then
		die "port $PORT on 127.0.0.1 is taken by another server (not the cluster in $PGDATA); stop it or set AEGIS_PG_PORT"
	fi
}

start_cluster() {
	if is_root && [[ "$(stat -c %U "$PGDATA")" != postgres ]]; then
		chown -R postgres:postgres "$PGDATA"
	fi
	write_config
	log "starting the cluster in $PGDATA on 127.0.0.1:$PORT"
	as_pg "$BIN/pg_ctl" start -D "$PGDATA" -l "$LOGFILE" -w -t 60 -s >&2 || {
		tail -n 20 "$LOGFILE" >&2 || true
		die "the server did not start; its log is $LOGFILE"
	}
}

# bootstrap creates the application role and database; it changes nothing when they exist. The
# role is not a superuser: row-level security does not apply to superusers.
bootstrap() {
	as_pg "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGDATA" -p "$PORT" -U "$SUPERUSER" -d postgres >/dev/null <<EOF
SELECT format('CREATE ROLE %I LOGIN CREATEDB CREATEROLE PASSWORD %L', '$DB_USER', '$DB_PASSWORD')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$DB_NAME', '$DB_USER')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME') \gexec
EOF
}

# answers reports whether the server behind a URL accepts connections, trying for a while.
answers() {
	local url="$1" tries="${2:-1}" i
	for ((i = 0; i < tries; i++)); do
		((i == 0)) || sleep 1
		if probe "$url"; then
			return 0
		fi
	done
	return 1
}

probe() {
	local url="$1" tool bin
	bin="$(newest_bin)"
	for tool in pg_isready psql; do
		if [[ -n "$bin" && -x "$bin/$tool" ]]; then
			tool="$bin/$tool"
		elif command -v "$tool" >/dev/null 2>&1; then
			tool="$(command -v "$tool")"
		else
			continue
		fi
		case "$tool" in
		*pg_isready) "$tool" -q -t 3 -d "$url" ;;
		*psql) PGCONNECT_TIMEOUT=3 "$tool" -X -q -c 'SELECT 1' "$url" >/dev/null 2>&1 ;;
		esac
		return
	done
	# No client installed: see whether anything listens at the URL's host and port.
	local hostport="${url#*://}"
	hostport="${hostport##*@}"
	hostport="${hostport%%[/?]*}"
	local host="${hostport%:*}" port="${hostport##*:}"
	[[ "$hostport" == *:* ]] || port=5432
	(exec 3<>"/dev/tcp/${host:-localhost}/$port") 2>/dev/null
}

cmd_ensure() {
	if [[ -n "${DATABASE_URL:-}" ]]; then
		answers "$DATABASE_URL" 15 || die "DATABASE_URL is set but no server answers there"
		printf '%s\n' "$DATABASE_URL"
		return
	fi
	[[ "${1:-}" == install ]] && install_postgres
	setup
	lock
	local state
	state="$(check_port)"
	if [[ "$state" != running ]]; then
		init_cluster
		start_cluster
	fi
	bootstrap
	printf '%s\n' "$(default_url)"
}

cmd_stop() {
	if [[ -z "$(newest_bin)" ]]; then
		log "PostgreSQL is not installed; nothing to stop"
		return
	fi
	setup
	if [[ ! -f "$PGDATA/PG_VERSION" ]]; then
		log "no cluster in $PGDATA; nothing to stop"
		return
	fi
	lock
	if ! running_port >/dev/null; then
		log "the cluster in $PGDATA is not running"
		return
	fi
	as_pg "$BIN/pg_ctl" stop -D "$PGDATA" -m fast -w -t 60 -s >&2
	log "stopped the cluster in $PGDATA"
}

cmd_status() {
	if [[ -n "${DATABASE_URL:-}" ]]; then
		if answers "$DATABASE_URL"; then
			log "DATABASE_URL answers"
			return 0
		fi
		log "DATABASE_URL is set but no server answers there"
		return 1
	fi
	if [[ -z "$(newest_bin)" ]]; then
		log "PostgreSQL is not installed"
		return 1
	fi
	setup
	local port
	if port="$(running_port)"; then
		log "running: data $PGDATA, pid $(sed -n 1p "$PGDATA/postmaster.pid"), 127.0.0.1:$port, log $LOGFILE"
		[[ "$port" == "$PORT" ]] || {
			log "but AEGIS_PG_PORT asks for port $PORT"
			return 1
		}
		printf '%s\n' "$(default_url)"
		return 0
	fi
	if [[ -f "$PGDATA/PG_VERSION" ]]; then
		log "stopped: data $PGDATA"
	else
		log "no cluster in $PGDATA"
	fi
	return 1
}

cmd_url() {
	printf '%s\n' "${DATABASE_URL:-$(default_url)}"
}

usage() {
	printf 'usage: %s ensure|start|stop|status|url\n' "$0" >&2
	exit 2
}

main() {
	[[ $# -eq 1 ]] || usage
	case "$1" in
	ensure) cmd_ensure install ;;
	start) cmd_ensure ;;
	stop) cmd_stop ;;
	status) cmd_status ;;
	url) cmd_url ;;
	-h | --help | help) usage ;;
	*) usage ;;
	esac
}

main "$@"
