# Sourced by scripts/test and bench/run: starts a private PostgreSQL server as the postgres user
# in a temporary data directory on a free port, stops it (and removes the directory) on exit,
# and exports CIV_TEST_POSTGRES with its connection keywords.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_dir=$(mktemp -d /tmp/civ-pg-XXXXXX)
chmod 755 "$pg_dir"
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_postgres() {
  if [[ $(id -un) == postgres ]]; then "$@"; else runuser -u postgres -- "$@"; fi
}
stop_postgres() {
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_postgres EXIT
[[ $(id -u) -eq 0 ]] && chown postgres "$pg_dir"
as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 \
  || { cat "$pg_dir/initdb.log"; exit 1; }
pg_options="-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 ${CIV_PG_OPTIONS:--c fsync=off} -c max_connections=200"
as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -o "$pg_options" start >/dev/null \
  || { cat "$pg_dir/server.log"; exit 1; }
export CIV_TEST_POSTGRES="host=127.0.0.1 port=$pg_port user=postgres dbname=postgres"
# `$CIV_TEST_POSTGRES_CTL stop|start`: the test that takes the server away under load and brings
# it back (tests/load/postgres_restart_test.cpp; it runs alone).
cat >"$pg_dir/ctl" <<CTL
#!/usr/bin/env bash
set -euo pipefail
run() { if [[ \$(id -un) == postgres ]]; then "\$@"; else runuser -u postgres -- "\$@"; fi; }
case "\$1" in
  stop) run "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop ;;
  start) run "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -o "$pg_options" start ;;
  *) echo "usage: \$0 stop|start" >&2; exit 2 ;;
esac
CTL
chmod 755 "$pg_dir/ctl"
export CIV_TEST_POSTGRES_CTL="$pg_dir/ctl"
