#!/usr/bin/env bash
# Builds the Debian packages from the build directory (cpack, cmake/Packaging.cmake) and checks
# what a county's IT person gets: the files, their modes, the maintainer scripts, the systemd
# unit's user and hardening, and the SDK in its own -dev package.
# Usage: inspect-debs.sh BUILD_DIR VERSION   (the project's version, e.g. 1.3.0)
set -euo pipefail
build=$1
version=$2
out=$(mktemp -d /tmp/civ-debs-XXXXXX)
trap 'rm -rf "$out"' EXIT
(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log"; exit 1; }
service=$(ls "$out"/civ_*_*.deb)
dev=$(ls "$out"/civ-dev_*_*.deb)
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# Listings in files: grep -q on a pipe would end it early, and pipefail would call that a miss.
listing() { dpkg-deb -c "$1" | awk '{print $1, $6}' >"$1.list"; }
has() {  # has DEB MODE PATH: the package holds PATH with MODE (e.g. -rwxr-xr-x)
  grep -qx -- "$2 $3" "$1.list" || fail "$(basename "$1") lacks $2 $3"
}
lacks() { ! grep -q -- " $2" "$1.list" || fail "$(basename "$1") holds $2"; }
listing "$service"
listing "$dev"

# The service package: civhost, the SDK library it runs on, every bundled module, the console,
# the configuration, the unit.
has "$service" -rwxr-xr-x ./usr/bin/civhost
has "$service" -rw-r--r-- "./usr/lib/libciv_sdk.so.$version"
has "$service" -rw-r--r-- ./usr/lib/civ/libciv_postgresql.so  # loaded for a PostgreSQL database
for module in example social_assistance marriage funeral elderly_care place_names social_orgs veterans; do
  has "$service" -rw-r--r-- "./usr/lib/civ/plugins/$module/libciv_$module.so"
  has "$service" -rw-r--r-- "./usr/lib/civ/plugins/$module/$module.plugin.json"
done
has "$service" -rw-r--r-- ./usr/share/civ/console/index.html
has "$service" -rw-r--r-- ./etc/civ/host.yaml
has "$service" -rw-r--r-- ./etc/civ/counties/610902.yaml
has "$service" -rw-r--r-- ./etc/civ/calendar/2026.yaml
has "$service" -rw-r--r-- ./lib/systemd/system/civhost.service
lacks "$service" ./usr/include/
lacks "$service" ./usr/lib/libciv_sdk.so$
lacks "$service" ./var/lib/civ  # made by postinst with mode 0700 for the civ user only
# Stripped: no debug sections in what is installed.
dpkg-deb -x "$service" "$out/root"
if readelf -S "$out/root/usr/bin/civhost" | grep -q debug_info; then fail "civhost is not stripped"; fi
# civhost finds its PostgreSQL module relative to itself (host/storage/postgresql_driver.cpp):
# the package's civhost, asked to migrate a PostgreSQL database nobody serves, must load it from
# the package and fail only at connecting.
LD_LIBRARY_PATH="$out/root/usr/lib" "$out/root/usr/bin/civhost" migrate --config "$out/root/etc/civ" \
  --plugin-dir "$out/root/usr/lib/civ/plugins" --database "postgresql://nobody@127.0.0.1:1/none" \
  >"$out/postgresql.log" 2>&1 || true
grep -q "Connection refused" "$out/postgresql.log" \
  || fail "the package's civhost did not load its PostgreSQL module: $(tail -2 "$out/postgresql.log")"
needed=$(readelf -d "$out/root/usr/bin/civhost")
if [[ $needed == *libpq* ]]; then fail "civhost links libpq itself"; fi
# The package's host.yaml points at the package's paths and checks as valid configuration.
for setting in "database: /var/lib/civ/civ.db" "plugin_dir: /usr/lib/civ/plugins" \
  "console_dir: /usr/share/civ/console" "directory: /var/lib/civ/backups"; do
  grep -q "$setting" "$out/root/etc/civ/host.yaml" || fail "host.yaml lacks '$setting'"
done
LD_LIBRARY_PATH="$out/root/usr/lib" "$out/root/usr/bin/civhost" check-config \
  --config "$out/root/etc/civ" --plugin-dir "$out/root/usr/lib/civ/plugins" >"$out/check.log" 2>&1 \
  || { cat "$out/check.log"; fail "civhost check-config refuses the package's /etc/civ"; }

# Control: dependencies found by dpkg-shlibdeps, the maintainer scripts.
control=$(dpkg-deb -f "$service")
for dependency in adduser libpoconet libsoci-core libsqlite3 libpq5 libxlsxwriter libargon2; do
  [[ $control == *"$dependency"* ]] || fail "Depends lacks $dependency"
done
dpkg-deb -e "$service" "$out/control"
for script in postinst prerm postrm; do
  [[ -x "$out/control/$script" ]] || fail "no executable $script"
done
grep -q "adduser --system --group --home /var/lib/civ" "$out/control/postinst" || fail "postinst makes no civ user"
grep -q "install -d -o civ -g civ -m 0700 /var/lib/civ" "$out/control/postinst" || fail "postinst: /var/lib/civ not 0700"
if grep -q "rm -rf /var/lib/civ" "$out/control/postrm"; then fail "postrm deletes the county's data"; fi

# The unit: its own user, the data directory private, the hardening systemd offers, and the
# environment scripts/run and the benchmarks give civhost (scripts/lib/civhost-environment.sh).
service_tunables=$(env -u GLIBC_TUNABLES bash -c 'source "$1" && echo "$GLIBC_TUNABLES"' _ \
  "$(dirname "$0")/../../scripts/lib/civhost-environment.sh")
unit="$out/root/lib/systemd/system/civhost.service"
for line in "User=civ" "Group=civ" "ExecStart=/usr/bin/civhost serve --config /etc/civ" \
  "StateDirectory=civ" "StateDirectoryMode=0700" "UMask=0077" "NoNewPrivileges=yes" \
  "ProtectSystem=strict" "ProtectHome=yes" "PrivateTmp=yes" "PrivateDevices=yes" \
  "CapabilityBoundingSet=" "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" \
  "MemoryDenyWriteExecute=yes" "SystemCallFilter=@system-service" "ReadWritePaths=/var/lib/civ" \
  "Environment=GLIBC_TUNABLES=$service_tunables"; do
  grep -qx -- "$line" "$unit" || fail "unit lacks '$line'"
done
# systemd's own check of the unit; civhost is not installed on this machine, so that one
# complaint is expected and nothing else may be.
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify "$unit" >"$out/verify.log" 2>&1 || true
  if grep -v "Command /usr/bin/civhost is not executable" "$out/verify.log" | grep -q .; then
    cat "$out/verify.log"
    fail "systemd-analyze verify"
  fi
fi

# The SDK package: headers, the library's development link, the fake Context, CMake files.
has "$dev" -rw-r--r-- ./usr/include/civ/sdk/sdk.h
has "$dev" -rw-r--r-- ./usr/include/civ/sdk/payment_run.h
has "$dev" -rw-r--r-- ./usr/include/civ/sdk/table_file.h
grep -q " ./usr/lib/libciv_sdk.so$" "$dev.list" || fail "civ-dev lacks libciv_sdk.so"
grep -q " ./usr/lib/libciv_sdk_testing.so" "$dev.list" || fail "civ-dev lacks the fake Context"
grep -q " ./usr/lib/cmake/CivSdk/CivSdkConfig.cmake$" "$dev.list" || fail "civ-dev lacks CivSdkConfig.cmake"
lacks "$dev" ./usr/bin/civhost

[[ $failures -eq 0 ]] || { echo "$failures problem(s) in the packages"; exit 1; }
echo "packages: $(basename "$service") $(du -k "$service" | cut -f1) KiB, $(basename "$dev") $(du -k "$dev" | cut -f1) KiB: as expected"
