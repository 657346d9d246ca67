// Everything under config/: host.yaml, counties/<code>.yaml, policy/<prefix>.yaml and
// calendar/<year>.yaml, read with yaml-cpp. Loading collects every problem instead of
// stopping at the first, so `civhost check-config` can list them all.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/calendar.h>
#include <civ/sdk/date.h>
#include <civ/sdk/localized_text.h>

#include "host/config/config_problem.h"

namespace civ::host {

/// host.yaml `http.tls`: civhost serves HTTPS itself (docs/admin-guide.md, "TLS"); off while
/// `certificate` is empty. Relative paths are relative to the directory civhost starts in.
struct TlsSettings {
  std::string certificate;  ///< PEM: the server's certificate, then any intermediates
  std::string private_key;  ///< PEM, unencrypted (civhost never asks for a passphrase)
  /// Strict-Transport-Security max-age on every answer; 0 tells browsers to forget it.
  int hsts_max_age_seconds = 31536000;
  bool enabled() const { return !certificate.empty(); }
};

/// Limits of the HTTP server. Defaults follow ../shared/design/perf-notes.md: enough threads
/// for every keep-alive connection a county opens, rotation of long keep-alive connections,
/// and a short idle timeout so an idle browser does not pin a thread.
struct HttpSettings {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  int max_threads = 64;
  /// How many requests are answered at once before more workers are woken (0: max_threads).
  /// Not read from host.yaml: civhost serve sets it to database_pool_size (http_server.cpp).
  int running_target = 0;
  int max_queued = 256;
  int keep_alive_timeout_seconds = 3;
  int max_keep_alive_requests = 200;
  std::size_t max_body_bytes = 1024 * 1024;
  /// When not empty, /metrics and /api/openapi.json answer only these client addresses, or a
  /// caller with a valid token (docs/security.md); empty: anyone who reaches the port.
  std::vector<std::string> monitoring_addresses;
  /// The built web console (console/dist), served at /; empty: not served.
  std::string console_dir;
  TlsSettings tls;
};

/// Console sign-in (docs/security.md): 等保 level 3 asks for session timeouts and a lock-out.
struct SessionSettings {
  int idle_timeout_minutes = 30;
  int absolute_timeout_hours = 12;
  int lockout_failures = 5;  ///< failed sign-ins in a row that lock the account
  int lockout_minutes = 30;
  /// Mark the cookie Secure (civhost behind TLS); also done when civhost serves HTTPS itself
  /// (http.tls) and when a proxy says X-Forwarded-Proto: https.
  bool secure_cookie = false;
};

/// Scheduled backups (host.yaml `backup:`; docs/admin-guide.md): a verified copy every
/// `interval_minutes` into `directory`, the newest `keep` kept. Off while `directory` is empty.
/// With several hosts on one PostgreSQL database, configure it on one host only.
struct BackupSettings {
  std::string directory;
  int interval_minutes = 1440;
  int keep = 14;
};

struct HostSettings {
  HttpSettings http;
  /// host.yaml `audit.hash_algorithm`: "sha256" or "sm3" (国密, for 密评). Rows keep the
  /// algorithm they were written with, so a chain changes algorithm from a row on and verifies.
  std::string audit_hash_algorithm = "sha256";
  SessionSettings sessions;
  BackupSettings backup;
  std::string database = "var/civ.db";
  int database_pool_size = 8;
  /// `plugin_dir`: one directory or a list (bundled first, then vendors'); empty: next to
  /// civhost (see PluginLoader::defaultDirectory).
  std::vector<std::string> plugin_dirs;
  std::string log_level = "info";
};

struct CountyConfig {
  std::string code;  ///< six-digit GB/T 2260 code
  sdk::LocalizedText name;
  std::vector<std::string> modules;           ///< enabled plugin ids
  std::vector<std::string> required_modules;  ///< subset that must start, or civhost exits
  std::string file;
};

/// One value from a policy file, not yet checked against the plugins' declarations.
struct ConfiguredPolicyValue {
  std::string level;     ///< file stem: "61", "6109", "610902"
  std::string full_key;  ///< "<plugin>.<key>"
  sdk::Date effective_from;
  std::string value;  ///< as written
  std::string file;
  std::string key_path;  ///< where in the file, for messages
};

struct Config {
  std::filesystem::path directory;
  HostSettings host;
  std::vector<CountyConfig> counties;
  std::vector<ConfiguredPolicyValue> policy_values;
  sdk::WorkingDayCalendar calendar;
  ConfigProblems problems;

  const CountyConfig* county(std::string_view code) const;
  /// Every module enabled by at least one county.
  std::vector<std::string> enabledModules() const;
};

/// Reads the configuration under `directory`. Never throws for bad content; see problems.
Config loadConfig(const std::filesystem::path& directory);

/// Parses "HOST:PORT" (PORT 0 = any free port); nullopt when malformed.
std::optional<std::pair<std::string, std::uint16_t>> parseListenAddress(std::string_view text);

}  // namespace civ::host
