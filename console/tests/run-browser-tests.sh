#!/usr/bin/env bash
# run-browser-tests.sh CIVHOST_BINARY [--config DIR] [--plugin-dir DIR ...] [-- PLAYWRIGHT_ARGS...]
#
# The console's browser tests against a real civhost: a temporary work directory with a copy of
# the configuration (console_dir set to this checkout's console/dist), a migrated SQLite
# database, the office's users (initial passwords, changed at their first sign-in by the
# tests), civhost serving on a free loopback port with the test clock (CIV_TEST_CLOCK=1), then
# `npx playwright test` in console/ with Debian's Chromium. civhost is always stopped; the exit
# status is Playwright's. Without a --grep of @vendor the vendor plugin's spec is left out
# (it needs its plugin directory and a config enabling acme_notes: see
# tests/vendor/serve_vendor_plugin.sh).
#
# Environment for the specs: CIV_URL, CIV_PASSWORD (every user's initial password),
# CIV_ADMIN_TOKEN (an administrator's API token: the clock, the audit trail), CIV_TOKENS (JSON:
# API tokens of an admin, two clerks, a reviewer and two approvers, for set-up through the API),
# CIV_WORK (the work directory), CIV_TEST_OUTPUT (screenshots and traces; default
# console/test-results/main, or .../vendor for the @vendor run).
# Knobs: CIV_CHROMIUM (default /usr/bin/chromium), CIV_KEEP_WORK=1 (keep the work directory),
# CIV_TIMING=1 (the clerk's day prints the time of each step).
set -euo pipefail

fail() { echo "run-browser-tests: $*" >&2; exit 1; }
[[ $# -ge 1 ]] || fail "usage: run-browser-tests.sh CIVHOST_BINARY [--config DIR] [--plugin-dir DIR ...] [-- playwright args]"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
console=$(dirname "$here")
root=$(dirname "$console")
civhost=$(realpath "$1"); shift
[[ -x "$civhost" ]] || fail "civhost not executable: $civhost"
config_src="$root/config"
plugin_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --config) config_src=$(realpath "$2"); shift 2 ;;
    --plugin-dir) plugin_args+=(--plugin-dir "$(realpath "$2")"); shift 2 ;;
    --) shift; break ;;
    *) fail "unknown option $1" ;;
  esac
done
playwright_args=("$@")

# Missing pieces are failures, never skips.
chromium=${CIV_CHROMIUM:-/usr/bin/chromium}
[[ -x "$chromium" ]] || fail "no Chromium at $chromium (apt-get install chromium fonts-noto-cjk)"
[[ -f "$console/dist/index.html" ]] || fail "the console is not built: $console/dist/index.html missing (npm ci && npm run build in console/)"
[[ -f "$console/node_modules/@playwright/test/package.json" ]] || fail "console/node_modules lacks @playwright/test (npm ci in console/)"
[[ -f "$console/node_modules/@axe-core/playwright/package.json" ]] || fail "console/node_modules lacks @axe-core/playwright (npm ci in console/)"
[[ -f "$config_src/host.yaml" ]] || fail "no host.yaml in $config_src"

work=$(mktemp -d "${TMPDIR:-/tmp}/civ-browser.XXXXXX")
pid=
stop() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [[ "${CIV_KEEP_WORK:-0}" != 1 ]]; then rm -rf "$work"; else echo "work directory kept: $work"; fi
}
trap stop EXIT

cp -r "$config_src" "$work/config"
host_yaml="$work/config/host.yaml"
# console_dir: absolute, whatever the copied file said (or did not say).
if grep -qE '^\s*#?\s*console_dir:' "$host_yaml"; then
  sed -i -E "s|^(\s*)#?\s*console_dir:.*|\1console_dir: $console/dist|" "$host_yaml"
else
  grep -qE '^http:' "$host_yaml" || echo 'http:' >>"$host_yaml"
  sed -i -E "s|^http:.*|http:\n  console_dir: $console/dist|" "$host_yaml"
fi
grep -q "console_dir: $console/dist" "$host_yaml" || fail "could not set console_dir in $host_yaml"
# Sessions as the specs expect them (idle expiry shown by moving the test clock a day).
if ! grep -qE '^sessions:' "$host_yaml"; then
  printf 'sessions:\n  idle_timeout_minutes: 30\n  absolute_timeout_hours: 12\n  lockout_failures: 5\n  lockout_minutes: 30\n  secure_cookie: false\n' >>"$host_yaml"
fi

db="$work/civ.db"
common=(--config "$work/config" --database "$db" "${plugin_args[@]}")
"$civhost" migrate "${common[@]}" >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; fail "civhost migrate failed"; }

# Every user's initial password (10+ characters, three classes); the tests change it.
export CIV_PASSWORD='Init-Pass-2026'
add_user() { # NAME 姓名 ROLE [extra options]
  local name=$1 full=$2 role=$3; shift 3
  printf '%s\n' "$CIV_PASSWORD" | "$civhost" user add --user "$name" --name "$full" --role "$role" \
    --county 610902 "$@" --password-stdin "${common[@]}" >>"$work/users.log" 2>&1 \
    || { cat "$work/users.log"; fail "civhost user add $name failed"; }
}
add_user wang   王芳   clerk             # the clerk of the clerk's day
add_user chen   陈明   clerk             # the second investigator
add_user li     李静   reviewer          # township review
add_user zhao   赵强   approver          # the county's approval
add_user qian   钱敏   approver          # the second approver (payment runs)
add_user sun    孙丽   auditor           # reads the audit trail
add_user root   周管理 admin
add_user zhou   周伟   clerk --township 关庙镇   # a township clerk
add_user feng   冯涛   clerk             # signs in wrong until locked out
add_user wu     吴敏   clerk             # the session-expiry and CSRF checks
# API tokens for the specs' set-up through the API (machines' way in: no session, no CSRF).
tokens=
issue() { # KEY USER ROLE
  local t
  t=$("$civhost" token issue --user "$2" --role "$3" --county 610902 "${common[@]}" 2>>"$work/users.log") \
    || { cat "$work/users.log"; fail "civhost token issue $2 failed"; }
  tokens+="${tokens:+,}\"$1\":\"$t\""
  [[ $1 != admin ]] || CIV_ADMIN_TOKEN=$t
}
issue admin     apiadmin     admin
issue clerk     apiclerk     clerk
issue clerk2    apiclerk2    clerk
issue reviewer  apireviewer  reviewer
issue approver  apiapprover  approver
issue approver2 apiapprover2 approver
export CIV_ADMIN_TOKEN CIV_TOKENS="{$tokens}"

CIV_TEST_CLOCK=1 "$civhost" serve "${common[@]}" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 1 300); do
  grep -q 'listening on' "$work/serve.out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.err"; fail "civhost exited"; }
  sleep 0.05
done
url=$(sed -n 's/^civhost listening on //p' "$work/serve.out")
[[ -n "$url" ]] || { cat "$work/serve.err"; fail "civhost did not start"; }
curl -sSf "$url/" -o /dev/null || fail "civhost does not serve the console at $url/"
export CIV_URL=$url CIV_WORK=$work
# The test clock starts on a Monday; the specs move it forward only (helpers.js keeps the date).
start_day=2027-03-01
curl -sSf -X POST -H "Authorization: Bearer $CIV_ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"today\":\"$start_day\"}" "$url/api/v1/admin/clock" -o /dev/null || fail "could not set the test clock"
echo "$start_day" >"$work/clock"

# Main run and vendor run keep their screenshots apart (Playwright empties its output dir).
run_name=main
for a in "${playwright_args[@]}"; do [[ "$a" == *@vendor* ]] && run_name=vendor; done
export CIV_TEST_OUTPUT=${CIV_TEST_OUTPUT:-$console/test-results/$run_name}
[[ $run_name == vendor ]] || playwright_args=(--grep-invert @vendor "${playwright_args[@]}")

echo "civhost $url (work $work); screenshots in $CIV_TEST_OUTPUT"
status=0
(cd "$console" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CIV_CHROMIUM="$chromium" \
  npx --no-install playwright test "${playwright_args[@]}") || status=$?
if [[ $status -ne 0 ]]; then
  echo "--- civhost stderr (last 40 lines) ---"; tail -n 40 "$work/serve.err" || true
fi
exit $status
