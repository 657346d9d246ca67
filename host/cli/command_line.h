// civhost's command line: civhost <command> [options].
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace civ::host {

struct CommandLine {
  std::string
      command;  ///< serve, migrate, check-config, plugins, token, user, audit, backup, restore
  std::string subcommand;  ///< token issue|revoke|list, user add|list|disable, audit verify
  std::string config_dir = "config";    ///< --config DIR
  std::optional<std::string> database;  ///< --database URL
  std::optional<std::string> listen;    ///< --listen HOST:PORT (serve)
  /// --plugin-dir DIR, repeatable: the bundled modules' directory, then a vendor's; a plugin id
  /// found in two is refused the second time, naming the first.
  std::vector<std::string> plugin_dirs;
  bool strict = false;  ///< --strict (serve): refuse to start when an enabled module is not running
  bool json = false;    ///< --json (plugins)
  std::optional<std::string> user;             ///< --user NAME (token, user)
  std::optional<std::string> full_name;        ///< --name 姓名 (user add)
  std::optional<std::string> townships;        ///< --township NAME[,NAME] (token issue, user add)
  std::optional<std::string> expires_in_days;  ///< --expires-in-days N (token issue, user add)
  std::optional<std::string> role;             ///< --role ROLE (token issue, user add)
  std::optional<std::string> counties;         ///< --county CODE[,CODE] (token issue, user add)
  std::optional<std::string> modules;          ///< --module ID[,ID] (token issue, user add)
  std::optional<std::string> token;            ///< --token TOKEN (token revoke)
  bool password_stdin = false;                 ///< --password-stdin (user add, user password)
  std::optional<std::string> backup_to;        ///< --to FILE (backup)
  std::optional<std::string> restore_from;     ///< --from FILE (restore)
  bool replace = false;                        ///< --replace (restore over an existing file)
  bool dry_run = false;                        ///< --dry-run (migrate: list, apply nothing)
  bool help = false;
  std::string error;  ///< set when the arguments are not understood
};

CommandLine parseCommandLine(const std::vector<std::string>& arguments);
/// Usage text: of one command when `command` names one, else of civhost.
std::string usage(const std::string& command);

}  // namespace civ::host
