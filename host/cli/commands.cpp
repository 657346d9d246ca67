#include "host/cli/commands.h"

#include <cctype>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include "host/audit/audit_log.h"
#include "host/common/comma_list.h"
#include "host/common/timestamp.h"
#include "host/config/host_config.h"
#include "host/config/policy_validation.h"
#include "host/http/api_dispatcher.h"
#include "host/http/http_server.h"
#include "host/http/session_endpoints.h"
#include "host/logging/logging.h"
#include "host/operations/database_backup.h"
#include "host/plugins/plugin_loader.h"
#include "host/reports/report_parameters.h"
#include "host/routing/route_invoker.h"
#include "host/runtime/plugin_runtime.h"
#include "host/security/account_store.h"
#include "host/security/password_hasher.h"
#include "host/security/password_policy.h"
#include "host/security/session_store.h"
#include "host/security/token_store.h"
#include "host/security/user_store.h"
#include "host/storage/host_schema.h"
#include "host/storage/migration_runner.h"
#include "host/storage/transaction.h"

namespace civ::host {

namespace fs = std::filesystem;

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitConfig = 2;

void printProblems(const ConfigProblems& problems) {
  for (const auto& problem : problems) std::cerr << "config error: " << problem.describe() << "\n";
}

DatabaseUrl databaseUrl(const CommandLine& line, const Config& config) {
  if (line.database) return DatabaseUrl::parse(*line.database);
  if (const char* env = std::getenv("CIV_DATABASE"); env != nullptr && *env != '\0')
    return DatabaseUrl::parse(env);
  return DatabaseUrl::parse(config.host.database);
}

/// A SQLite file may be named in a directory that does not exist yet (var/ on a new machine).
void createParentDirectory(const DatabaseUrl& url) {
  if (url.dialect != sdk::Dialect::Sqlite || url.connection == ":memory:") return;
  std::error_code ignored;
  const fs::path parent = fs::path(url.connection).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ignored);
}

std::vector<fs::path> pluginDirectories(const CommandLine& line, const Config& config) {
  const auto& dirs = !line.plugin_dirs.empty() ? line.plugin_dirs : config.host.plugin_dirs;
  if (dirs.empty()) return {PluginLoader::defaultDirectory()};
  return {dirs.begin(), dirs.end()};
}

std::string describe(const std::vector<fs::path>& directories) {
  std::string text;
  for (const auto& directory : directories) text += (text.empty() ? "" : ", ") + directory.string();
  return text;
}

/// Enabled modules that are not running (refused at load, failed to declare or start), each
/// with its reason; `civhost plugins`, `check-config` and `serve --strict` fail on them.
std::vector<std::string> enabledButNotRunning(const std::vector<PluginRecord>& records,
                                              const std::set<std::string>& enabled) {
  std::vector<std::string> lines;
  for (const auto& record : records)
    if (enabled.count(record.id) != 0 &&
        (record.state == PluginState::Refused || record.state == PluginState::Failed))
      lines.push_back(record.id + " " + std::string(toString(record.state)) + ": " + record.reason);
  return lines;
}

std::set<std::string> enabledModules(const Config& config) {
  auto modules = config.enabledModules();
  return {modules.begin(), modules.end()};
}

/// The ids whose configured parameters are checked: the loaded plugins' and the host's ("civ").
std::set<std::string> loadedIds(const std::vector<PluginRecord>& records) {
  std::set<std::string> ids{"civ"};
  for (const auto& record : records)
    if (record.state == PluginState::Loaded || record.state == PluginState::Started)
      ids.insert(record.id);
  return ids;
}

/// Everything up to a migrated database and plugins ready to start; shared by serve and
/// migrate. Returns an exit code, 0 when the caller may go on.
struct Bootstrap {
  Config config;
  std::unique_ptr<HostServices> services;
  std::vector<PluginRecord> plugins;
  std::unique_ptr<PluginRuntime> runtime;
  std::shared_ptr<spdlog::logger> log;

  int run(const CommandLine& line) {
    config = loadConfig(line.config_dir);
    if (line.listen) {
      auto address = parseListenAddress(*line.listen);
      if (!address) {
        std::cerr << "civhost: --listen must be HOST:PORT, got '" << *line.listen << "'\n";
        return kExitConfig;
      }
      config.host.http.listen_host = address->first;
      config.host.http.listen_port = address->second;
    }
    if (!config.problems.empty()) {
      printProblems(config.problems);
      return kExitConfig;
    }
    setupLogging(config.host.log_level);
    log = namedLogger("civhost");
    try {
      AuditLog::setHashAlgorithm(config.host.audit_hash_algorithm);
    } catch (const std::exception& error) {
      log->error("audit.hash_algorithm: {}", error.what());
      return kExitConfig;
    }
    const DatabaseUrl url = databaseUrl(line, config);
    createParentDirectory(url);
    try {
      auto database =
          std::make_unique<Database>(url, static_cast<std::size_t>(config.host.database_pool_size));
      services = std::make_unique<HostServices>(std::move(database), config.calendar);
      applyHostSchema(*services->database);
      for (const auto& county : config.counties)
        services->coverage.setCountyModules(county.code,
                                            {county.modules.begin(), county.modules.end()});
    } catch (const std::exception& error) {
      log->error("cannot open the database {}: {}", url.describe(), error.what());
      return kExitFailure;
    }
    log->info("database {}", url.describe());
    PluginLoader loader(log);
    plugins = loader.load(pluginDirectories(line, config), enabledModules(config));
    runtime = std::make_unique<PluginRuntime>(*services, log);
    runtime->declareParameters(plugins);
    const auto problems = applyConfiguredPolicy(config, services->policy, loadedIds(plugins));
    if (!problems.empty()) {
      printProblems(problems);
      return kExitConfig;
    }
    runtime->migrate(plugins);
    return 0;
  }
};

/// Returns the exit code when a county's required module is not running, else 0.
int checkRequiredModules(const Config& config, const std::vector<PluginRecord>& plugins,
                         spdlog::logger& log) {
  for (const auto& county : config.counties) {
    for (const auto& required : county.required_modules) {
      const auto it = std::find_if(plugins.begin(), plugins.end(),
                                   [&](const PluginRecord& r) { return r.id == required; });
      if (it == plugins.end() || it->state != PluginState::Started) {
        log.error("county {} requires module {}, which is {}; civhost stops (see civhost plugins)",
                  county.code, required,
                  it == plugins.end() ? "not installed"
                                      : std::string(toString(it->state)) + ": " + it->reason);
        return kExitFailure;
      }
    }
  }
  return 0;
}

}  // namespace

int runServe(const CommandLine& line) {
  // Block the stop signals before any thread starts so that only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Bootstrap boot;
  if (int code = boot.run(line); code != 0) return code;
  boot.runtime->start(boot.plugins);
  if (int code = checkRequiredModules(boot.config, boot.plugins, *boot.log); code != 0) {
    boot.runtime->stop(boot.plugins);
    return code;
  }
  const auto not_running = enabledButNotRunning(boot.plugins, enabledModules(boot.config));
  for (const auto& problem : not_running)
    boot.log->error("AN ENABLED MODULE IS NOT RUNNING: {}{}", problem,
                    line.strict ? "" : " (serving the others; --strict refuses to start)");
  if (line.strict && !not_running.empty()) {
    boot.runtime->stop(boot.plugins);
    std::cerr << "civhost: --strict: " << not_running.size()
              << " enabled module(s) not running; not serving\n";
    return kExitFailure;
  }
  const char* test_clock_env = std::getenv("CIV_TEST_CLOCK");
  const bool test_clock = test_clock_env != nullptr && std::string_view(test_clock_env) == "1";
  if (test_clock)
    boot.log->warn(
        "CIV_TEST_CLOCK=1: POST /api/v1/admin/clock can move this host's date; never in "
        "production");
  const char* check_answers_env = std::getenv("CIV_CHECK_ANSWERS");
  if (check_answers_env != nullptr && std::string_view(check_answers_env) == "1") {
    boot.log->warn(
        "CIV_CHECK_ANSWERS=1: every answer is checked against its route's declaration "
        "(a mismatch is a 500); for tests");
    checkAnswersAgainstDeclarations(true);
  }
  ApiDispatcher dispatcher(boot.config, *boot.services, boot.plugins, boot.log, test_clock);
  // Values set through the admin API on any host sharing the database.
  const auto report = [&boot](const std::vector<std::string>& problems) {
    for (const auto& problem : problems)
      boot.log->error("a policy value set through the admin API is not applied: {}", problem);
  };
  report(dispatcher.hostRoutes().reloadPolicy());
  std::jthread policy_reloader([&dispatcher, &boot, &report](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, std::chrono::seconds(10), [] { return false; });
      if (stop.stop_requested()) break;
      try {
        report(dispatcher.hostRoutes().reloadPolicy());
      } catch (const std::exception& error) {
        boot.log->warn("reloading policy values failed: {}", error.what());
      }
    }
  });
  // Scheduled backups (host.yaml backup:): the first one interval after the start, then each
  // interval; a failure is logged and the next attempt keeps its time.
  std::jthread scheduled_backups([&boot](std::stop_token stop) {
    const auto& settings = boot.config.host.backup;
    if (settings.directory.empty()) return;
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, std::chrono::minutes(settings.interval_minutes),
                    [] { return false; });
      if (stop.stop_requested()) break;
      try {
        std::filesystem::create_directories(settings.directory);
        std::filesystem::permissions(settings.directory, std::filesystem::perms::owner_all);
        std::string stamp;
        for (char c : isoTimestamp(std::chrono::system_clock::now()).substr(0, 19))
          if (std::isdigit(static_cast<unsigned char>(c))) stamp += c;
        stamp.insert(8, "-");
        const auto file = std::filesystem::path(settings.directory) /
                          scheduledBackupName(boot.services->database->dialect(), stamp);
        const auto report = backupDatabase(boot.services->database->url(), file);
        const int removed = pruneScheduledBackups(settings.directory, settings.keep);
        boot.log->info("scheduled backup written: {}; {} older removed", report.summary(), removed);
      } catch (const std::exception& error) {
        boot.log->error("scheduled backup failed: {}", error.what());
      }
    }
  });
  std::unique_ptr<HttpServer> server;
  try {
    // As many requests answered at once as the database has sessions (at least two, so a request
    // without the database runs beside one with it): more only contend for the cores and wait
    // for a session.
    HttpSettings http = boot.config.host.http;
    http.running_target = std::max(2, static_cast<int>(boot.config.host.database_pool_size));
    server = std::make_unique<HttpServer>(http, dispatcher, namedLogger("http"));
  } catch (const std::exception& error) {
    boot.log->error("{}", error.what());
    boot.runtime->stop(boot.plugins);
    return kExitFailure;
  }
  // Events committed before a crash or on another host are delivered from here on.
  // Test hook, only with the test clock: while the file named by CIV_TEST_HOLD_EVENTS exists,
  // no event is delivered, so a test can kill the host between a commit and its delivery. The
  // thread answers with "<file>.held" once it has seen the file: a pass already under way when
  // the file appeared may still deliver, so a test waits for the answer before it commits. The
  // answer goes with the file, so a hold set again waits for a new one.
  const char* hold_env = test_clock ? std::getenv("CIV_TEST_HOLD_EVENTS") : nullptr;
  const std::string hold_file = hold_env != nullptr ? hold_env : "";
  if (!hold_file.empty())
    boot.log->warn("CIV_TEST_HOLD_EVENTS: no event is delivered while {} exists", hold_file);
  std::jthread event_delivery([&boot, hold_file](std::stop_token stop) {
    while (!stop.stop_requested()) {
      if (!hold_file.empty() && fs::exists(hold_file)) {
        if (!fs::exists(hold_file + ".held")) std::ofstream(hold_file + ".held") << "held";
        boot.services->events.waitForWork(std::chrono::milliseconds(100));
        continue;
      }
      if (!hold_file.empty()) {
        std::error_code ignored;
        fs::remove(hold_file + ".held", ignored);
        if (fs::exists(hold_file)) continue;  // set again meanwhile: answer it first
      }
      try {
        const auto pass = boot.services->events.deliverPending();
        for (const auto& failure : pass.failures)
          boot.log->warn("event delivery failed, retried later with backoff: {}", failure);
      } catch (const std::exception& error) {
        boot.log->error("event delivery pass failed: {}", error.what());
      }
      boot.services->events.waitForWork(std::chrono::milliseconds(500));
    }
  });
  server->start();
  const std::string url = (boot.config.host.http.tls.enabled() ? "https://" : "http://") +
                          boot.config.host.http.listen_host + ":" + std::to_string(server->port());
  std::size_t started = 0;
  for (const auto& record : boot.plugins) started += record.state == PluginState::Started ? 1 : 0;
  boot.log->info("serving {} counties with {} plugins at {}", boot.config.counties.size(), started,
                 url);
  std::cout << "civhost listening on " << url << std::endl;
  SessionEndpoints::prepareDecoy();

  int signal = 0;
  sigwait(&signals, &signal);
  boot.log->info("signal {} received; stopping", signal);
  server->stop();
  policy_reloader.request_stop();
  scheduled_backups.request_stop();
  policy_reloader.join();
  event_delivery.request_stop();
  boot.services->events.wake();
  event_delivery.join();
  boot.runtime->stop(boot.plugins);
  boot.log->info("stopped");
  return 0;
}

/// civhost migrate --dry-run: the pending steps of the host and of every plugin the counties
/// enable, read without writing anything.
int listPendingMigrations(const CommandLine& line) {
  const Config config = loadConfig(line.config_dir);
  if (!config.problems.empty()) {
    printProblems(config.problems);
    return kExitConfig;
  }
  setupLogging(config.host.log_level);
  const DatabaseUrl url = databaseUrl(line, config);
  if (url.dialect == sdk::Dialect::Sqlite && !std::filesystem::exists(url.connection))
    std::cout << "no database at " << url.connection << " yet: every step would run\n";
  std::vector<std::pair<std::string, std::vector<sdk::Migration>>> owners = {
      {"civ", hostMigrations()}};
  const auto plugins = PluginLoader(namedLogger("civhost"))
                           .load(pluginDirectories(line, config), enabledModules(config));
  for (const auto& record : plugins)
    if (record.state == PluginState::Loaded)
      owners.emplace_back(record.id, record.loaded->declarations.migrations);
  int steps = 0;
  if (url.dialect == sdk::Dialect::Sqlite && !std::filesystem::exists(url.connection)) {
    for (const auto& [owner, migrations] : owners)
      for (const auto& step : migrations) {
        std::cout << owner << " " << step.number << ": " << step.description << "\n";
        ++steps;
      }
  } else {
    Database database(url, 1);
    PooledSession lease(database);
    MigrationRunner runner(lease.session(), database.dialect());
    for (const auto& [owner, migrations] : owners)
      for (const auto& step : runner.pending(owner, migrations)) {
        std::cout << owner << " " << step.number << ": " << step.description << "\n";
        ++steps;
      }
  }
  std::cout << steps << " step(s) would run; nothing was changed\n";
  return 0;
}

int runMigrate(const CommandLine& line) {
  if (line.dry_run) return listPendingMigrations(line);
  Bootstrap boot;
  if (int code = boot.run(line); code != 0) return code;
  int failed = 0;
  for (const auto& record : boot.plugins) {
    if (record.state == PluginState::Failed) ++failed;
    if (record.state == PluginState::Loaded) std::cout << "migrated " << record.id << "\n";
  }
  return failed == 0 ? 0 : kExitFailure;
}

int runCheckConfig(const CommandLine& line) {
  Config config = loadConfig(line.config_dir);
  ConfigProblems problems = config.problems;
  if (problems.empty()) {
    setupLogging("warn");
    auto log = namedLogger("civhost");
    PluginLoader loader(log);
    auto plugins = loader.load(pluginDirectories(line, config), enabledModules(config));
    for (const auto& county : config.counties)
      for (const auto& module : county.modules)
        if (std::none_of(plugins.begin(), plugins.end(),
                         [&](const PluginRecord& r) { return r.id == module; }))
          problems.push_back({county.file, "modules",
                              "no plugin '" + module + "' is installed in " +
                                  describe(pluginDirectories(line, config))});
    for (const auto& problem : enabledButNotRunning(plugins, enabledModules(config)))
      problems.push_back({"modules", "", "an enabled module cannot run: " + problem});
    PolicyStore store;
    declareReportParameters(store);
    for (auto& record : plugins) {
      if (record.state != PluginState::Loaded) continue;
      for (const auto& declaration : record.loaded->declarations.parameters) {
        try {
          store.declare(record.id, declaration);
        } catch (const std::invalid_argument& error) {
          problems.push_back({record.manifest_file.string(), declaration.key, error.what()});
        }
      }
    }
    auto policy_problems = applyConfiguredPolicy(config, store, loadedIds(plugins));
    problems.insert(problems.end(), policy_problems.begin(), policy_problems.end());
  }
  if (!problems.empty()) {
    printProblems(problems);
    std::cerr << problems.size() << " problem(s) in " << line.config_dir << "\n";
    return kExitConfig;
  }
  std::cout << "configuration OK: " << config.counties.size() << " counties, "
            << config.policy_values.size() << " policy values, calendar years";
  for (int year : config.calendar.years()) std::cout << " " << year;
  std::cout << "\n";
  return 0;
}

int runPlugins(const CommandLine& line) {
  Config config = loadConfig(line.config_dir);
  setupLogging(line.json ? "off" : "warn");
  auto log = namedLogger("civhost");
  // With a broken configuration, still list what is installed (nothing enabled).
  const auto enabled = config.problems.empty() ? enabledModules(config) : std::set<std::string>{};
  PluginLoader loader(log);
  auto plugins = loader.load(pluginDirectories(line, config), enabled);
  if (line.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& record : plugins) {
      nlohmann::json entry = {{"id", record.id},
                              {"state", toString(record.state)},
                              {"reason", record.reason},
                              {"manifest", record.manifest_file.string()}};
      if (record.manifest) {
        entry["version"] = record.manifest->version.toString();
        entry["name"] = {{"zh", record.manifest->name.zh}, {"en", record.manifest->name.en}};
        entry["vendor"] = record.manifest->vendor;
        entry["sdk"] = record.manifest->sdk_built_with.toString();
        nlohmann::json events = nlohmann::json::array();
        if (record.loaded) {
          for (const auto& event : record.loaded->declarations.events)
            events.push_back(
                {{"name", event.name},
                 {"description", {{"zh", event.description.zh}, {"en", event.description.en}}},
                 {"payload_schema", event.payload_schema}});
        }
        entry["publishes"] = events;
      } else {
        entry["version"] = nullptr;
      }
      list.push_back(entry);
    }
    std::cout << nlohmann::json{{"plugins", list}}.dump(2) << "\n";
    return enabledButNotRunning(plugins, enabled).empty() ? 0 : kExitFailure;
  }
  for (const auto& record : plugins) {
    std::cout << record.id << "\t" << (record.manifest ? record.manifest->version.toString() : "?")
              << "\t" << toString(record.state);
    if (!record.reason.empty()) std::cout << "\t" << record.reason;
    std::cout << "\n";
  }
  // A county's IT person scripts this: an enabled module that cannot run is a failure.
  return enabledButNotRunning(plugins, enabled).empty() ? 0 : kExitFailure;
}

namespace {

/// The database of the configuration (or --database), with the host's schema applied.
std::unique_ptr<Database> openDatabase(const CommandLine& line) {
  const Config config = loadConfig(line.config_dir);
  AuditLog::setHashAlgorithm(config.host.audit_hash_algorithm);  // the CLI's audit rows too
  const DatabaseUrl url = databaseUrl(line, config);
  createParentDirectory(url);
  auto database = std::make_unique<Database>(url, 1);
  applyHostSchema(*database);
  return database;
}

}  // namespace

namespace {

/// An audit row for a change made from the command line, as the operating-system user.
void auditCliChange(Database& database, soci::session& db, const std::string& county,
                    const std::string& action, const std::string& entity_id,
                    const nlohmann::json& changes) {
  const char* os_user = std::getenv("USER");
  AuditEntry entry;
  entry.at = isoTimestamp(std::chrono::system_clock::now());
  entry.user = std::string("cli:") + (os_user != nullptr ? os_user : "unknown");
  entry.role = "admin";
  entry.county = county;
  entry.module = "civ";
  entry.action = action;
  entry.entity_type = "token";
  entry.entity_id = entity_id;
  entry.summary = changes.dump();
  AuditLog::append(db, database.dialect(), std::move(entry));
}

}  // namespace

int runToken(const CommandLine& line) {
  auto database = openDatabase(line);
  PooledSession lease(*database);
  const std::string now = isoTimestamp(std::chrono::system_clock::now());
  if (line.subcommand == "issue") {
    if (!line.user || !line.role || !line.counties) {
      std::cerr << "civhost token issue needs --user, --role and --county\n" << usage("token");
      return kExitConfig;
    }
    try {
      int lifetime_days = TokenStore::kDefaultLifetimeDays;
      if (line.expires_in_days) {
        try {
          lifetime_days = std::stoi(*line.expires_in_days);
        } catch (const std::exception&) {
          throw std::invalid_argument("--expires-in-days must be a number of days");
        }
      }
      Transaction transaction(*database, lease.session());
      const auto issued = TokenStore::issue(
          lease.session(),
          sdk::Caller{*line.user, *line.role, splitCommaList(line.counties.value_or("")),
                      splitCommaList(line.modules.value_or("")),
                      splitCommaList(line.townships.value_or(""))},
          now, lifetime_days);
      // Issuing a token is audited in every county it opens (who issued it: the CLI's OS user).
      for (const auto& county : issued.caller.counties)
        auditCliChange(*database, lease.session(), county, "token.issue", issued.caller.user,
                       {{"role", {{"old", nullptr}, {"new", issued.caller.role}}},
                        {"modules", {{"old", nullptr}, {"new", issued.caller.modules}}},
                        {"townships", {{"old", nullptr}, {"new", issued.caller.townships}}},
                        {"expires_at", {{"old", nullptr}, {"new", issued.expires_at}}}});
      transaction.commit();
      std::cout << issued.token << std::endl;
      return 0;
    } catch (const std::invalid_argument& error) {
      std::cerr << "civhost token issue: " << error.what() << "\n";
      return kExitConfig;
    }
  }
  if (line.subcommand == "revoke") {
    if (line.token) {
      Transaction transaction(*database, lease.session());
      const auto revoked = TokenStore::revokeToken(lease.session(), *line.token, now);
      if (revoked)
        for (const auto& county : revoked->counties)
          auditCliChange(*database, lease.session(), county, "token.revoke", revoked->user,
                         {{"revoked_at", {{"old", nullptr}, {"new", now}}}});
      transaction.commit();
      std::cout << (revoked ? "revoked 1 token\n" : "no active token matches\n");
      return revoked ? 0 : kExitFailure;
    }
    if (line.user) {
      Transaction transaction(*database, lease.session());
      const auto revoked = TokenStore::revokeUser(lease.session(), *line.user, now);
      std::set<std::string> counties;
      for (const auto& token : revoked)
        counties.insert(token.counties.begin(), token.counties.end());
      for (const auto& county : counties)
        auditCliChange(*database, lease.session(), county, "token.revoke", *line.user,
                       {{"revoked_tokens", {{"old", nullptr}, {"new", revoked.size()}}}});
      transaction.commit();
      std::cout << "revoked " << revoked.size() << " token(s) of " << *line.user << "\n";
      return 0;
    }
    std::cerr << "civhost token revoke needs --user NAME or --token TOKEN\n";
    return kExitConfig;
  }
  soci::rowset<soci::row> rows =
      (lease.session().prepare
       << "SELECT user_name, role, counties, modules, created_at, revoked_at"
          " FROM civ_tokens ORDER BY id");
  for (const auto& row : rows) {
    std::cout << row.get<std::string>(0) << "\t" << row.get<std::string>(1) << "\t"
              << row.get<std::string>(2) << "\t"
              << (row.get<std::string>(3).empty() ? "*" : row.get<std::string>(3)) << "\t"
              << row.get<std::string>(4) << "\t"
              << (row.get_indicator(5) == soci::i_null ? "active"
                                                       : "revoked " + row.get<std::string>(5))
              << "\n";
  }
  return 0;
}

int runUser(const CommandLine& line) {
  auto database = openDatabase(line);
  PooledSession lease(*database);
  const std::string now = isoTimestamp(std::chrono::system_clock::now());
  if (line.subcommand == "list") {
    for (const auto& user : UserStore::list(lease.session()))
      std::cout << user.name << "\t" << (user.full_name.empty() ? "-" : user.full_name) << "\t"
                << user.created_at << "\t"
                << (user.disabled_at ? "disabled " + *user.disabled_at : "active") << "\t"
                << user.active_tokens << " token(s)\n";
    return 0;
  }
  if (!line.user) {
    std::cerr << "civhost user " << line.subcommand << " needs --user NAME\n" << usage("user");
    return kExitConfig;
  }
  try {
    if (line.subcommand == "add" || line.subcommand == "password") {
      const bool with_account = line.role || line.counties || line.password_stdin;
      std::string password;
      if (with_account || line.subcommand == "password") {
        if (!line.password_stdin || (line.subcommand == "add" && (!line.role || !line.counties)))
          throw std::invalid_argument(line.subcommand == "add"
                                          ? "a user who signs in needs --role, --county and "
                                            "--password-stdin"
                                          : "give the new initial password with --password-stdin");
        std::getline(std::cin, password);
        if (auto error = PasswordPolicy::check(password, *line.user, "password"))
          throw std::invalid_argument("the password: " + error->message);
      }
      Transaction transaction(*database, lease.session());
      if (line.subcommand == "password") {
        const auto account = AccountStore::find(lease.session(), *line.user);
        if (!account) throw std::invalid_argument("user " + *line.user + " has no console account");
        AccountStore::setPassword(lease.session(), account->user_id, PasswordHasher::hash(password),
                                  true, now);
        SessionStore::endAllOf(lease.session(), account->user_id, now, "password reset");
        for (const auto& county : account->grant.counties)
          auditCliChange(*database, lease.session(), county, "user.password_reset",
                         account->grant.user,
                         {{"password_set_at", {{"old", account->password_set_at}, {"new", now}}},
                          {"must_change_password", {{"old", false}, {"new", true}}}});
        transaction.commit();
        std::cout << "set a new initial password for " << account->grant.user
                  << " (to be changed at the next sign-in)\n";
        return 0;
      }
      const auto user =
          UserStore::add(lease.session(), *line.user, line.full_name.value_or(""), now);
      if (with_account)
        AccountStore::create(lease.session(), user.id,
                             sdk::Caller{user.name, *line.role, splitCommaList(*line.counties),
                                         splitCommaList(line.modules.value_or("")),
                                         splitCommaList(line.townships.value_or(""))},
                             PasswordHasher::hash(password), now);
      // Audited in the account's counties (a user without an account belongs to none yet).
      for (const auto& county : splitCommaList(line.counties.value_or("")))
        auditCliChange(
            *database, lease.session(), county, "user.add", user.name,
            {{"name", {{"old", nullptr}, {"new", user.name}}},
             {"role", {{"old", nullptr}, {"new", *line.role}}},
             {"townships",
              {{"old", nullptr}, {"new", splitCommaList(line.townships.value_or(""))}}},
             {"modules", {{"old", nullptr}, {"new", splitCommaList(line.modules.value_or(""))}}}});
      transaction.commit();
      std::cout << "added user " << user.name
                << (with_account ? " who signs in as " + *line.role : std::string()) << "\n";
      return 0;
    }
    Transaction transaction(*database, lease.session());
    const bool disabled = UserStore::disable(lease.session(), *line.user, now);
    transaction.commit();
    std::cout << (disabled ? "disabled " + *line.user + " and revoked their tokens\n"
                           : "no active user " + *line.user + "\n");
    return disabled ? 0 : kExitFailure;
  } catch (const std::invalid_argument& error) {
    std::cerr << "civhost user " << line.subcommand << ": " << error.what() << "\n";
    return kExitConfig;
  }
}

int runAudit(const CommandLine& line) {
  auto database = openDatabase(line);
  PooledSession lease(*database);
  const auto result = AuditLog::verify(lease.session());
  if (result.first_bad_id) {
    std::cout << "audit trail broken at row " << *result.first_bad_id << ": " << result.problem
              << "\n";
    return kExitFailure;
  }
  std::cout << "audit trail intact: " << result.rows << " rows, head hash " << result.head_hash
            << "\n";
  return 0;
}

int runBackup(const CommandLine& line) {
  const Config config = loadConfig(line.config_dir);
  const DatabaseUrl url = databaseUrl(line, config);
  try {
    const auto report = backupDatabase(url, *line.backup_to);
    std::cout << "backup written: " << report.summary() << "\n";
    return 0;
  } catch (const BackupError& error) {
    std::cerr << "civhost backup: " << error.what() << "\n";
    return kExitFailure;
  }
}

int runRestore(const CommandLine& line) {
  const Config config = loadConfig(line.config_dir);
  const DatabaseUrl url = databaseUrl(line, config);
  try {
    const auto report = restoreDatabase(*line.restore_from, url, line.replace);
    std::cout << "restored " << url.describe() << " from " << report.summary() << "\n";
    return 0;
  } catch (const BackupError& error) {
    std::cerr << "civhost restore: " << error.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace civ::host
