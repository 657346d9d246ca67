#!/usr/bin/env bash
# serve_vendor_plugin.sh CIVHOST BUNDLED_PLUGIN_DIR VENDOR_PLUGIN_DIR CONFIG_DIR WORK_DIR
# Starts civhost --strict on the bundled and the vendor's plugin directories, writes a note
# through the vendor's route, reads it back and lists it.
set -euo pipefail
civhost=$1 bundled=$2 vendor=$3 config=$4 work=$5
token=$("$civhost" token issue --config "$config" --database "$work/civ.db" --user vendor --role clerk --county 610902)
"$civhost" serve --strict --config "$config" --plugin-dir "$bundled" --plugin-dir "$vendor" \
  --database "$work/civ.db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do
  grep -q 'listening on' "$work/serve.out" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$work/serve.err"; exit 1; }
  sleep 0.05
done
url=$(sed -n 's/^civhost listening on //p' "$work/serve.out")
[[ -n "$url" ]] || { echo "civhost did not start"; cat "$work/serve.err"; exit 1; }
grep -q "plugin loaded: acme_notes 1.0.0 from $vendor/acme_notes/libciv_acme_notes.so" "$work/serve.err" \
  || { echo "civhost did not load the vendor's build"; cat "$work/serve.err"; exit 1; }
grep -q "plugin loaded: example 1.0.0 from $bundled/example/libciv_example.so" "$work/serve.err" \
  || { echo "civhost did not load the bundled modules"; cat "$work/serve.err"; exit 1; }
base="$url/api/v1/counties/610902/acme_notes"
location=$(curl -sS -o /dev/null -w '%header{location}' -X POST \
  -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
  -d '{"citizen_id":"11010519491231002X","name":"张三","text":"vendor build"}' "$base/notes")
[[ "$location" == */api/v1/counties/610902/acme_notes/notes/* ]] || { echo "no Location: '$location'"; cat "$work/serve.err"; exit 1; }
body=$(curl -sS -f -H "Authorization: Bearer $token" "$url$location")
[[ "$body" == *'"text":"vendor build"'* ]] || { echo "unexpected body: $body"; exit 1; }
list=$(curl -sS -f -H "Authorization: Bearer $token" "$base/notes?limit=5")
[[ "$list" == *'"total":1'* ]] || { echo "unexpected list: $list"; exit 1; }
document=$(curl -sS -f "$url/api/openapi.json")
[[ "$document" == *'/api/v1/counties/{county}/acme_notes/notes/{id}'* ]] || { echo "the vendor's routes are not documented"; exit 1; }
echo "vendor plugin served beside the bundled ones: $body"

# The console in a real browser: the vendor's module listed and usable with no console code of
# its own (console/tests/vendor-plugin.spec.js, tagged @vendor), from the same installed civhost,
# plugin directories and configuration (acme_notes enabled for 610902).
bash "$(dirname "${BASH_SOURCE[0]}")/../../console/tests/run-browser-tests.sh" "$civhost" \
  --config "$config" --plugin-dir "$bundled" --plugin-dir "$vendor" -- --grep @vendor
