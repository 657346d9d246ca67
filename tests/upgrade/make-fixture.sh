#!/usr/bin/env bash
# Makes the upgrade fixture of one civ release (issue 24 item 2):
#
#   tests/upgrade/make-fixture.sh <git-commit> <version> <out-dir>
#
# Takes the release's source (git archive of <commit>), builds only civhost and its modules
# (ccache, nice -n 19, -j2, -O0 -g0; not under /tmp/civ-build.lock: a different tree), creates a
# database on SQLite and on a throwaway PostgreSQL with that release's own `civhost migrate`,
# fills every module through that release's HTTP API by replaying its own contract scenario
# (tests/contract/requests.json) once over HTTP, and writes to <out-dir>:
#   sqlite.sql[.gz]     `sqlite3 .dump` of the SQLite database (gzip'd if over 1 MB)
#   postgres.sql[.gz]   `pg_dump --no-owner --no-privileges` of the PostgreSQL database
#   manifest.json       version, commit, row counts per table, audit chain head (per engine)
# Each release adds its own fixture with this script (tests/upgrade/README.md); the e2e test
# tests/e2e/upgrade_test.cpp loads every fixture directory and migrates it with the current civhost.
#
# CIV_FIXTURE_WORK=<dir> keeps (and reuses) the work directory: source, build and databases.
set -euo pipefail
[[ $# -eq 3 ]] || { echo "usage: $0 <git-commit> <version> <out-dir>" >&2; exit 2; }
commit=$1 version=$2 out=$3
repo=$(cd "$(dirname "$0")/../.." && pwd)
script_dir=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

work=${CIV_FIXTURE_WORK:-}
if [[ -z $work ]]; then
  work=$(mktemp -d /tmp/civ-fixture-XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)
src=$work/src build=$work/build
log() { echo "make-fixture: $*" >&2; }

# 1. The release's source, read-only from git.
if [[ ! -f $src/CMakeLists.txt ]]; then
  mkdir -p "$src"
  git -C "$repo" archive "$commit" | tar -x -C "$src"
fi
grep -q "project(civ VERSION $version " "$src/CMakeLists.txt" \
  || { log "commit $commit is not version $version:"; grep -m1 'project(civ' "$src/CMakeLists.txt" >&2; exit 1; }

# 2. Build civhost and the modules only. Paths under $work are hashed relative to it, so a
#    later run in another work directory hits the cache.
export CCACHE_BASEDIR=$work CCACHE_NOHASHDIR=true
log "building civhost $version in $build"
nice -n 19 cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g0" \
  -DCMAKE_C_FLAGS_DEBUG="-O0 -g0" -DCIV_BUILD_TESTS=OFF >"$work/cmake.log" 2>&1 \
  || { cat "$work/cmake.log" >&2; exit 1; }
nice -n 19 cmake --build "$build" -j2 --target civhost civ_plugins >"$work/build.log" 2>&1 \
  || { tail -n 60 "$work/build.log" >&2; exit 1; }
civhost=$(find "$build" -type f -name civhost -perm -u+x | head -n 1)
[[ -x $civhost ]] || { log "no civhost in $build"; exit 1; }
log "built $civhost"

plugins=$build/plugins
config=$src/config
county=610902  # the contract scenario's county (demo config: every module enabled)
scenario=$src/tests/contract/requests.json

# 3. One database per engine, made by the release's own migrations, filled through its HTTP API.
fill() {  # fill <database> <name>
  local database=$1 name=$2 dir=$work/$2
  mkdir -p "$dir"
  "$civhost" migrate --config "$config" --database "$database" --plugin-dir "$plugins" \
    >"$dir/migrate.log" 2>&1 || { cat "$dir/migrate.log" >&2; return 1; }
  # Tokens for every user/role of the scenario (token issue writes civ_tokens rows too).
  python3 - "$scenario" >"$dir/users.txt" <<'PY'
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
pairs = {(step.get("user", s["users"][step["role"]]), step["role"]) for step in s["steps"] if "role" in step}
pairs.add(("root", "admin"))
for user, role in sorted(pairs): print(user, role)
PY
  local tokens="{" first=1 user role token
  while read -r user role; do
    token=$("$civhost" token issue --config "$config" --database "$database" --user "$user" \
      --role "$role" --county "$county" 2>>"$dir/token.log") || { cat "$dir/token.log" >&2; return 1; }
    [[ $first == 1 ]] || tokens+=","
    tokens+="\"$user/$role\":\"$token\"" first=0
  done <"$dir/users.txt"
  echo "$tokens}" >"$dir/tokens.json"

  CIV_TEST_CLOCK=1 "$civhost" serve --config "$config" --database "$database" \
    --plugin-dir "$plugins" --listen 127.0.0.1:0 >"$dir/serve.out" 2>"$dir/serve.err" &
  local pid=$! url=""
  for _ in $(seq 1 600); do
    url=$(sed -n 's/^civhost listening on \(http[^ ]*\).*/\1/p' "$dir/serve.out" | head -n 1)
    [[ -n $url ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z $url ]]; then
    log "$name: civhost serve did not start"; cat "$dir/serve.err" >&2; kill "$pid" 2>/dev/null; return 1
  fi
  local status=0
  log "$name: replaying the $version contract scenario against $url"
  python3 "$script_dir/replay-scenario.py" "$scenario" "${url%/}" "$dir/tokens.json" \
    >"$dir/replay.log" || { status=1; cat "$dir/replay.log" >&2; }
  sleep 1  # the last events delivered
  kill -TERM "$pid"
  wait "$pid" || true
  return $status
}

# 4. The dumps and the manifest.
rm -f "$out"/sqlite.sql "$out"/sqlite.sql.gz "$out"/postgres.sql "$out"/postgres.sql.gz "$out"/manifest.json
gzip_if_large() {
  if (( $(stat -c %s "$1") > 1048576 )); then gzip -9n "$1"; echo "$(basename "$1").gz"; else basename "$1"; fi
}

sqlite_db=$work/sqlite/civ.db
rm -rf "$work/sqlite"
mkdir -p "$work/sqlite"
fill "$sqlite_db" sqlite
sqlite3 "$sqlite_db" .dump >"$out/sqlite.sql"
sqlite_dump=$(gzip_if_large "$out/sqlite.sql")

# PostgreSQL: a private throwaway server (stopped when this script ends).
source "$repo/scripts/lib/throwaway-postgres.sh"
trap 'stop_postgres; [[ -n ${CIV_FIXTURE_WORK:-} ]] || rm -rf "$work"' EXIT
pg_admin=$CIV_TEST_POSTGRES
psql "$pg_admin" -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE civ_fixture" >/dev/null
pg_db="$pg_admin dbname=civ_fixture"
fill "$pg_db" postgres
pg_dump --no-owner --no-privileges "$pg_db" >"$out/postgres.sql"
pg_dump_file=$(gzip_if_large "$out/postgres.sql")

python3 - "$version" "$commit" "$out/manifest.json" "$sqlite_db" "$sqlite_dump" "$pg_dump_file" <<'PY'
import json, sqlite3, subprocess, sys, os
version, commit, manifest, sqlite_db, sqlite_dump, pg_dump_file = sys.argv[1:7]
pg = os.environ["CIV_TEST_POSTGRES"] + " dbname=civ_fixture"

def engine(dump, tables, head):
    return {"dump": dump, "tables": tables, "audit_head": {"id": head[0], "hash": head[1]}}

db = sqlite3.connect(sqlite_db)
names = [r[0] for r in db.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
sqlite_tables = {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}
sqlite_head = db.execute("SELECT id, hash FROM civ_audit ORDER BY id DESC LIMIT 1").fetchone()

def psql(sql):
    return subprocess.run(["psql", pg, "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()

pg_names = psql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                " AND table_type = 'BASE TABLE' ORDER BY table_name").split("\n")
pg_tables = {n: int(psql(f'SELECT COUNT(*) FROM "{n}"')) for n in pg_names}
pg_head = psql("SELECT id || '|' || hash FROM civ_audit ORDER BY id DESC LIMIT 1").split("|")

json.dump({
    "version": version,
    "commit": commit,
    "made_by": "tests/upgrade/make-fixture.sh (the release's own civhost migrate, then its "
               "contract scenario tests/contract/requests.json replayed over HTTP)",
    "county": "610902",
    "engines": {
        "sqlite": engine(sqlite_dump, sqlite_tables, (sqlite_head[0], sqlite_head[1])),
        "postgresql": engine(pg_dump_file, pg_tables, (int(pg_head[0]), pg_head[1])),
    },
}, open(manifest, "w", encoding="utf-8"), indent=1, sort_keys=True, ensure_ascii=False)
open(manifest, "a").write("\n")
PY
log "fixture of $version written to $out:"
ls -l "$out" >&2
