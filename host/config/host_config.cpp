#include "host/config/host_config.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <yaml-cpp/yaml.h>

#include <civ/sdk/citizen_id.h>

#include "host/http/tls_context.h"

namespace civ::host {

namespace fs = std::filesystem;

namespace {

/// Reads one YAML file, recording a problem (with line and column) when it does not parse.
std::optional<YAML::Node> readYaml(const fs::path& path, ConfigProblems& problems) {
  try {
    return YAML::LoadFile(path.string());
  } catch (const YAML::ParserException& error) {
    problems.push_back({path.string(), "",
                        "not valid YAML at line " + std::to_string(error.mark.line + 1) +
                            ", column " + std::to_string(error.mark.column + 1) + ": " +
                            error.msg});
  } catch (const YAML::Exception& error) {
    problems.push_back({path.string(), "", std::string("cannot be read: ") + error.what()});
  }
  return std::nullopt;
}

std::vector<fs::path> yamlFiles(const fs::path& directory) {
  std::vector<fs::path> files;
  std::error_code error;
  if (!fs::is_directory(directory, error)) return files;
  for (const auto& entry : fs::directory_iterator(directory, error))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

/// Reads a scalar at `key` of `node` as T; records a problem when the type is wrong.
template <class T>
void readScalar(const YAML::Node& node, const char* key, T& target, const std::string& file,
                const std::string& prefix, ConfigProblems& problems) {
  const YAML::Node value = node[key];
  if (!value) return;
  try {
    target = value.as<T>();
  } catch (const YAML::Exception&) {
    problems.push_back({file, prefix + key, "has the wrong type"});
  }
}

void checkKnownKeys(const YAML::Node& node, const std::set<std::string>& known,
                    const std::string& file, const std::string& prefix, ConfigProblems& problems) {
  if (!node.IsMap()) return;
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    if (known.count(key) == 0) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      problems.push_back({file, prefix + key, "unknown setting; known: " + list});
    }
  }
}

std::vector<std::string> readStringList(const YAML::Node& node, const std::string& file,
                                        const std::string& key, ConfigProblems& problems) {
  std::vector<std::string> items;
  if (!node) return items;
  if (!node.IsSequence()) {
    problems.push_back({file, key, "must be a list"});
    return items;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    try {
      items.push_back(node[i].as<std::string>());
    } catch (const YAML::Exception&) {
      problems.push_back({file, key + "[" + std::to_string(i) + "]", "must be a plugin id"});
    }
  }
  return items;
}

/// host.yaml `http.tls`. The files are read and checked here (readable PEM, the key belongs to
/// the certificate) with the code that serves them, so check-config and serve refuse the same.
void loadTlsSettings(const YAML::Node& tls, TlsSettings& settings, const std::string& file,
                     ConfigProblems& problems) {
  if (!tls.IsMap()) {
    problems.push_back(
        {file, "http.tls", "must be a mapping with certificate and private_key (PEM files)"});
    return;
  }
  checkKnownKeys(tls, {"certificate", "private_key", "hsts_max_age_seconds"}, file, "http.tls.",
                 problems);
  readScalar(tls, "certificate", settings.certificate, file, "http.tls.", problems);
  readScalar(tls, "private_key", settings.private_key, file, "http.tls.", problems);
  readScalar(tls, "hsts_max_age_seconds", settings.hsts_max_age_seconds, file, "http.tls.",
             problems);
  // Two years is the most browsers' preload lists ask for; 0 withdraws an earlier header.
  if (settings.hsts_max_age_seconds < 0 || settings.hsts_max_age_seconds > 63072000)
    problems.push_back(
        {file, "http.tls.hsts_max_age_seconds", "must be between 0 and 63072000 (two years)"});
  bool complete = true;
  if (settings.certificate.empty()) {
    problems.push_back({file, "http.tls.certificate",
                        "is required when http.tls is set (the PEM file of the server's "
                        "certificate, then its intermediates)"});
    complete = false;
  }
  if (settings.private_key.empty()) {
    problems.push_back({file, "http.tls.private_key",
                        "is required when http.tls is set (the PEM file of the certificate's "
                        "private key)"});
    complete = false;
  }
  if (!complete) return;
  try {
    TlsContext context(settings);
  } catch (const TlsSetupError& error) {
    problems.push_back({file, error.setting(), error.reason()});
  }
}

void loadHostSettings(const fs::path& path, HostSettings& host, ConfigProblems& problems) {
  auto root = readYaml(path, problems);
  if (!root) return;
  const std::string file = path.string();
  if (!root->IsMap()) {
    problems.push_back({file, "", "must be a mapping of settings"});
    return;
  }
  checkKnownKeys(*root,
                 {"listen", "database", "database_pool_size", "plugin_dir", "log_level", "http",
                  "sessions", "backup", "audit"},
                 file, "", problems);
  std::string listen = host.http.listen_host + ":" + std::to_string(host.http.listen_port);
  readScalar((*root), "listen", listen, file, "", problems);
  if (auto address = parseListenAddress(listen)) {
    host.http.listen_host = address->first;
    host.http.listen_port = address->second;
  } else {
    problems.push_back(
        {file, "listen", "must be HOST:PORT, e.g. 127.0.0.1:8080; got '" + listen + "'"});
  }
  readScalar(*root, "database", host.database, file, "", problems);
  readScalar(*root, "database_pool_size", host.database_pool_size, file, "", problems);
  if (host.database_pool_size < 1 || host.database_pool_size > 256)
    problems.push_back({file, "database_pool_size", "must be between 1 and 256"});
  if (const YAML::Node dirs = (*root)["plugin_dir"]) {
    try {
      if (dirs.IsSequence())
        host.plugin_dirs = dirs.as<std::vector<std::string>>();
      else
        host.plugin_dirs = {dirs.as<std::string>()};
    } catch (const YAML::Exception&) {
      problems.push_back({file, "plugin_dir", "must be a directory or a list of directories"});
    }
  }
  readScalar(*root, "log_level", host.log_level, file, "", problems);
  static const std::set<std::string> levels = {"trace", "debug", "info", "warn", "error", "off"};
  if (levels.count(host.log_level) == 0)
    problems.push_back({file, "log_level", "must be one of trace, debug, info, warn, error, off"});
  if (const YAML::Node http = (*root)["http"]) {
    checkKnownKeys(
        http,
        {"max_threads", "max_queued", "keep_alive_timeout_seconds", "max_keep_alive_requests",
         "max_body_bytes", "monitoring_addresses", "console_dir", "tls"},
        file, "http.", problems);
    readScalar(http, "console_dir", host.http.console_dir, file, "http.", problems);
    host.http.monitoring_addresses =
        readStringList(http["monitoring_addresses"], file, "http.monitoring_addresses", problems);
    for (const auto& address : host.http.monitoring_addresses)
      if (address.empty() ||
          address.find_first_not_of("0123456789abcdefABCDEF.:") != std::string::npos)
        problems.push_back({file, "http.monitoring_addresses",
                            "'" + address + "' is not an IPv4 or IPv6 address"});
    readScalar(http, "max_threads", host.http.max_threads, file, "http.", problems);
    readScalar(http, "max_queued", host.http.max_queued, file, "http.", problems);
    readScalar(http, "keep_alive_timeout_seconds", host.http.keep_alive_timeout_seconds, file,
               "http.", problems);
    readScalar(http, "max_keep_alive_requests", host.http.max_keep_alive_requests, file, "http.",
               problems);
    readScalar(http, "max_body_bytes", host.http.max_body_bytes, file, "http.", problems);
    if (host.http.max_threads < 2 || host.http.max_threads > 4096)
      problems.push_back({file, "http.max_threads", "must be between 2 and 4096"});
    if (host.http.max_body_bytes < 1024)
      problems.push_back({file, "http.max_body_bytes", "must be at least 1024"});
    if (const YAML::Node tls = http["tls"]; tls && !tls.IsNull())
      loadTlsSettings(tls, host.http.tls, file, problems);
  }
  if (const YAML::Node audit = (*root)["audit"]) {
    checkKnownKeys(audit, {"hash_algorithm"}, file, "audit.", problems);
    readScalar(audit, "hash_algorithm", host.audit_hash_algorithm, file, "audit.", problems);
    if (host.audit_hash_algorithm != "sha256" && host.audit_hash_algorithm != "sm3")
      problems.push_back({file, "audit.hash_algorithm", "must be sha256 or sm3"});
  }
  if (const YAML::Node backup = (*root)["backup"]) {
    auto& settings = host.backup;
    checkKnownKeys(backup, {"directory", "interval_minutes", "keep"}, file, "backup.", problems);
    readScalar(backup, "directory", settings.directory, file, "backup.", problems);
    readScalar(backup, "interval_minutes", settings.interval_minutes, file, "backup.", problems);
    readScalar(backup, "keep", settings.keep, file, "backup.", problems);
    if (settings.interval_minutes < 5 || settings.interval_minutes > 7 * 24 * 60)
      problems.push_back({file, "backup.interval_minutes", "must be between 5 and 10080"});
    if (settings.keep < 1 || settings.keep > 1000)
      problems.push_back({file, "backup.keep", "must be between 1 and 1000"});
  }
  if (const YAML::Node sessions = (*root)["sessions"]) {
    auto& settings = host.sessions;
    checkKnownKeys(sessions,
                   {"idle_timeout_minutes", "absolute_timeout_hours", "lockout_failures",
                    "lockout_minutes", "secure_cookie"},
                   file, "sessions.", problems);
    readScalar(sessions, "idle_timeout_minutes", settings.idle_timeout_minutes, file, "sessions.",
               problems);
    readScalar(sessions, "absolute_timeout_hours", settings.absolute_timeout_hours, file,
               "sessions.", problems);
    readScalar(sessions, "lockout_failures", settings.lockout_failures, file, "sessions.",
               problems);
    readScalar(sessions, "lockout_minutes", settings.lockout_minutes, file, "sessions.", problems);
    readScalar(sessions, "secure_cookie", settings.secure_cookie, file, "sessions.", problems);
    if (settings.idle_timeout_minutes < 1 || settings.idle_timeout_minutes > 240)
      problems.push_back({file, "sessions.idle_timeout_minutes", "must be between 1 and 240"});
    if (settings.absolute_timeout_hours < 1 || settings.absolute_timeout_hours > 24)
      problems.push_back({file, "sessions.absolute_timeout_hours", "must be between 1 and 24"});
    if (settings.lockout_failures < 3 || settings.lockout_failures > 10)
      problems.push_back({file, "sessions.lockout_failures", "must be between 3 and 10"});
    if (settings.lockout_minutes < 5 || settings.lockout_minutes > 1440)
      problems.push_back({file, "sessions.lockout_minutes", "must be between 5 and 1440"});
  }
}

void loadCounty(const fs::path& path, Config& config) {
  auto root = readYaml(path, config.problems);
  if (!root) return;
  const std::string file = path.string();
  const std::string stem = path.stem().string();
  auto& problems = config.problems;
  if (!root->IsMap()) {
    problems.push_back({file, "", "must be a mapping with code, name and modules"});
    return;
  }
  checkKnownKeys(*root, {"code", "name", "modules", "required_modules"}, file, "", problems);
  CountyConfig county;
  county.file = file;
  readScalar(*root, "code", county.code, file, "", problems);
  if (!sdk::isCountyCode(county.code))
    problems.push_back({file, "code",
                        "must be a six-digit GB/T 2260 county code (xx yy zz, zz not 00); got '" +
                            county.code + "'"});
  else if (county.code != stem)
    problems.push_back({file, "code",
                        "is " + county.code + " but the file is named " + stem +
                            ".yaml; name the file after the code"});
  if (const YAML::Node name = (*root)["name"]) {
    readScalar(name, "zh", county.name.zh, file, "name.", problems);
    readScalar(name, "en", county.name.en, file, "name.", problems);
  }
  if (county.name.zh.empty()) problems.push_back({file, "name.zh", "is required"});
  county.modules = readStringList((*root)["modules"], file, "modules", problems);
  county.required_modules =
      readStringList((*root)["required_modules"], file, "required_modules", problems);
  for (const auto& required : county.required_modules)
    if (std::find(county.modules.begin(), county.modules.end(), required) == county.modules.end())
      problems.push_back(
          {file, "required_modules", "'" + required + "' is required but not in modules"});
  for (const auto& other : config.counties)
    if (other.code == county.code)
      problems.push_back({file, "code", county.code + " is also configured in " + other.file});
  config.counties.push_back(std::move(county));
}

void loadPolicyFile(const fs::path& path, Config& config) {
  auto root = readYaml(path, config.problems);
  if (!root) return;
  const std::string file = path.string();
  const std::string level = path.stem().string();
  auto& problems = config.problems;
  if (!sdk::isRegionPrefix(level)) {
    problems.push_back({file, "",
                        "a policy file is named after a GB/T 2260 prefix: 2 digits "
                        "(province), 4 (prefecture) or 6 (county), e.g. 61.yaml"});
    return;
  }
  if (!root->IsMap()) {
    problems.push_back({file, "", "must be a mapping with 'values'"});
    return;
  }
  checkKnownKeys(*root, {"name", "values"}, file, "", problems);
  const YAML::Node values = (*root)["values"];
  if (!values) return;
  if (!values.IsMap()) {
    problems.push_back({file, "values", "must map '<plugin>.<key>' to a list of dated values"});
    return;
  }
  for (const auto& entry : values) {
    const std::string key = entry.first.as<std::string>();
    const std::string key_path = "values." + key;
    if (key.find('.') == std::string::npos) {
      problems.push_back(
          {file, key_path, "keys are '<plugin>.<parameter>', e.g. example.max_note_length"});
      continue;
    }
    if (!entry.second.IsSequence()) {
      problems.push_back({file, key_path, "must be a list of {effective_from, value}"});
      continue;
    }
    for (std::size_t i = 0; i < entry.second.size(); ++i) {
      const YAML::Node item = entry.second[i];
      const std::string item_path = key_path + "[" + std::to_string(i) + "]";
      if (!item.IsMap() || !item["effective_from"] || !item["value"]) {
        problems.push_back({file, item_path, "needs effective_from (YYYY-MM-DD) and value"});
        continue;
      }
      checkKnownKeys(item, {"effective_from", "value", "note"}, file, item_path + ".", problems);
      const std::string from_text = item["effective_from"].as<std::string>("");
      const auto from = sdk::Date::parse(from_text);
      if (!from) {
        problems.push_back({file, item_path + ".effective_from",
                            "must be a real date YYYY-MM-DD; got '" + from_text + "'"});
        continue;
      }
      if (!item["value"].IsScalar()) {
        problems.push_back({file, item_path + ".value", "must be a single value"});
        continue;
      }
      config.policy_values.push_back(
          {level, key, *from, item["value"].as<std::string>(), file, item_path + ".value"});
    }
  }
}

std::vector<sdk::Date> readDates(const YAML::Node& node, const std::string& file,
                                 const std::string& key, int year, ConfigProblems& problems) {
  std::vector<sdk::Date> dates;
  if (!node) return dates;
  if (!node.IsSequence()) {
    problems.push_back({file, key, "must be a list"});
    return dates;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item_key = key + "[" + std::to_string(i) + "]";
    const YAML::Node item = node[i];
    std::optional<sdk::Date> from;
    std::optional<sdk::Date> to;
    if (item.IsScalar()) {
      from = to = sdk::Date::parse(item.as<std::string>());
    } else if (item.IsMap()) {
      from = sdk::Date::parse(item["from"].as<std::string>(""));
      to = sdk::Date::parse(item["to"].as<std::string>(item["from"].as<std::string>("")));
    }
    if (!from || !to || *to < *from) {
      problems.push_back(
          {file, item_key, "must be a date YYYY-MM-DD or {name, from, to} with from <= to"});
      continue;
    }
    if (from->year() != year || to->year() != year) {
      problems.push_back({file, item_key, "lies outside the file's year " + std::to_string(year)});
      continue;
    }
    for (sdk::Date day = *from; day <= *to; day = day.addDays(1)) dates.push_back(day);
  }
  return dates;
}

void loadCalendar(const fs::path& path, Config& config) {
  auto root = readYaml(path, config.problems);
  if (!root) return;
  const std::string file = path.string();
  const std::string stem = path.stem().string();
  int year = 0;
  auto [end, error] = std::from_chars(stem.data(), stem.data() + stem.size(), year);
  if (error != std::errc() || end != stem.data() + stem.size() || year < 1949 || year > 2200) {
    config.problems.push_back(
        {file, "", "a calendar file is named after its year, e.g. 2026.yaml"});
    return;
  }
  if (!root->IsMap()) {
    config.problems.push_back({file, "", "must be a mapping with holidays and makeup_days"});
    return;
  }
  checkKnownKeys(*root, {"source", "holidays", "makeup_days"}, file, "", config.problems);
  auto holidays = readDates((*root)["holidays"], file, "holidays", year, config.problems);
  auto makeup = readDates((*root)["makeup_days"], file, "makeup_days", year, config.problems);
  config.calendar.addYear(year, holidays, makeup);
}

}  // namespace

std::optional<std::pair<std::string, std::uint16_t>> parseListenAddress(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port > 65535 ||
      port_text.empty())
    return std::nullopt;
  return std::make_pair(std::string(text.substr(0, colon)), static_cast<std::uint16_t>(port));
}

const CountyConfig* Config::county(std::string_view code) const {
  for (const auto& county : counties)
    if (county.code == code) return &county;
  return nullptr;
}

std::vector<std::string> Config::enabledModules() const {
  std::set<std::string> modules;
  for (const auto& county : counties) modules.insert(county.modules.begin(), county.modules.end());
  return {modules.begin(), modules.end()};
}

Config loadConfig(const fs::path& directory) {
  Config config;
  config.directory = directory;
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    config.problems.push_back({directory.string(), "", "is not a directory; pass --config DIR"});
    return config;
  }
  const fs::path host_file = directory / "host.yaml";
  if (fs::exists(host_file)) {
    try {
      loadHostSettings(host_file, config.host, config.problems);
    } catch (const YAML::Exception& error) {
      config.problems.push_back(
          {host_file.string(), "", std::string("unexpected structure: ") + error.what()});
    }
  } else
    config.problems.push_back({host_file.string(), "", "is missing"});
  // A shape yaml-cpp cannot convert (a list used as a key, say) must not stop the others.
  const auto guarded = [&config](const fs::path& file, void (*load)(const fs::path&, Config&)) {
    try {
      load(file, config);
    } catch (const YAML::Exception& error) {
      config.problems.push_back(
          {file.string(), "", std::string("unexpected structure: ") + error.what()});
    }
  };
  for (const auto& file : yamlFiles(directory / "counties")) guarded(file, loadCounty);
  if (config.counties.empty())
    config.problems.push_back(
        {(directory / "counties").string(), "", "configures no county; add <code>.yaml"});
  for (const auto& file : yamlFiles(directory / "policy")) guarded(file, loadPolicyFile);
  for (const auto& file : yamlFiles(directory / "calendar")) guarded(file, loadCalendar);
  return config;
}

}  // namespace civ::host
