#include "host/cli/command_line.h"

#include <set>

namespace civ::host {

namespace {
const std::set<std::string> kCommands = {"serve", "migrate", "check-config", "plugins", "token",
                                         "user",  "audit",   "backup",       "restore"};
const std::set<std::string> kTokenCommands = {"issue", "revoke", "list"};
const std::set<std::string> kUserCommands = {"add", "list", "password", "disable"};

const char* kCommonOptions =
    "  --config DIR        configuration directory (default: config)\n"
    "  --database URL      SQLite file or PostgreSQL connection string; overrides CIV_DATABASE\n"
    "                      and host.yaml (postgresql://user@host:port/db or 'host=... "
    "dbname=...')\n"
    "  --plugin-dir DIR    where plugins are installed; repeat for a vendor's directory after the\n"
    "                      bundled one (default: host.yaml, else next to civhost)\n"
    "  --strict            (serve) refuse to start when an enabled module is refused or fails\n"
    "  --help              this text\n";
}  // namespace

CommandLine parseCommandLine(const std::vector<std::string>& arguments) {
  CommandLine line;
  std::size_t i = 0;
  if (i < arguments.size() && !arguments[i].starts_with("-")) line.command = arguments[i++];
  if ((line.command == "token" || line.command == "user" || line.command == "audit") &&
      i < arguments.size() && !arguments[i].starts_with("-"))
    line.subcommand = arguments[i++];
  while (i < arguments.size()) {
    const std::string& argument = arguments[i++];
    const auto value = [&](std::optional<std::string>& target) {
      if (i >= arguments.size()) {
        line.error = argument + " needs a value";
        return;
      }
      target = arguments[i++];
    };
    if (argument == "--help" || argument == "-h") {
      line.help = true;
    } else if (argument == "--config") {
      std::optional<std::string> dir;
      value(dir);
      if (dir) line.config_dir = *dir;
    } else if (argument == "--database") {
      value(line.database);
    } else if (argument == "--listen" && line.command == "serve") {
      value(line.listen);
    } else if (argument == "--plugin-dir") {
      std::optional<std::string> dir;
      value(dir);
      if (dir) line.plugin_dirs.push_back(*dir);
    } else if (argument == "--strict" && line.command == "serve") {
      line.strict = true;
    } else if (argument == "--json" && line.command == "plugins") {
      line.json = true;
    } else if (argument == "--user" && (line.command == "token" || line.command == "user")) {
      value(line.user);
    } else if (argument == "--name" && line.command == "user") {
      value(line.full_name);
    } else if (argument == "--township" && (line.command == "token" || line.command == "user")) {
      value(line.townships);
    } else if (argument == "--expires-in-days" && line.command == "token") {
      value(line.expires_in_days);
    } else if (argument == "--role" && (line.command == "token" || line.command == "user")) {
      value(line.role);
    } else if (argument == "--county" && (line.command == "token" || line.command == "user")) {
      value(line.counties);
    } else if (argument == "--module" && (line.command == "token" || line.command == "user")) {
      value(line.modules);
    } else if (argument == "--password-stdin" && line.command == "user") {
      line.password_stdin = true;
    } else if (argument == "--token" && line.command == "token") {
      value(line.token);
    } else if (argument == "--to" && line.command == "backup") {
      value(line.backup_to);
    } else if (argument == "--from" && line.command == "restore") {
      value(line.restore_from);
    } else if (argument == "--dry-run" && line.command == "migrate") {
      line.dry_run = true;
    } else if (argument == "--replace" && line.command == "restore") {
      line.replace = true;
    } else {
      line.error = "unknown option '" + argument + "'";
    }
    if (!line.error.empty()) return line;
  }
  if (line.command.empty() && !line.help)
    line.error = "name a command";
  else if (!line.command.empty() && kCommands.count(line.command) == 0)
    line.error = "unknown command '" + line.command + "'";
  else if (line.command == "token" && !line.help && kTokenCommands.count(line.subcommand) == 0)
    line.error = "civhost token needs issue, revoke or list";
  else if (line.command == "user" && !line.help && kUserCommands.count(line.subcommand) == 0)
    line.error = "civhost user needs add, list, password or disable";
  else if (line.command == "audit" && !line.help && line.subcommand != "verify")
    line.error = "civhost audit needs verify";
  else if (line.command == "backup" && !line.help && !line.backup_to)
    line.error = "civhost backup needs --to FILE";
  else if (line.command == "restore" && !line.help && !line.restore_from)
    line.error = "civhost restore needs --from FILE";
  return line;
}

std::string usage(const std::string& command) {
  if (command == "serve")
    return std::string(
               "usage: civhost serve [options]\n"
               "Loads the plugins the counties enable, applies migrations and serves the API.\n"
               "  --listen HOST:PORT  address to listen on (default: host.yaml; port 0 = any free "
               "port)\n") +
           kCommonOptions;
  if (command == "migrate")
    return std::string(
               "usage: civhost migrate [--dry-run] [options]\n"
               "Applies pending migrations of the host and of every enabled plugin, then "
               "exits.\n"
               "Each owner's pending steps run in one transaction: a failing step leaves that\n"
               "owner's schema as it was and is named with the database's message.\n"
               "  --dry-run           list the steps that would run (owner, number, what it\n"
               "                      does) and change nothing\n") +
           kCommonOptions;
  if (command == "check-config")
    return std::string(
               "usage: civhost check-config [options]\n"
               "Validates host.yaml, counties, policy values and calendars against the plugins'\n"
               "declarations; prints every problem with file, key and reason. Exit 0 when "
               "valid.\n") +
           kCommonOptions;
  if (command == "plugins")
    return std::string(
               "usage: civhost plugins [--json] [options]\n"
               "Lists every plugin found with id, version, state and reason.\n"
               "  --json              machine-readable output\n") +
           kCommonOptions;
  if (command == "token")
    return std::string(
               "usage: civhost token issue --user NAME --role ROLE --county CODE[,CODE] [--module "
               "ID[,ID]]\n"
               "                          [--township NAME[,NAME]] [--expires-in-days N]\n"
               "       civhost token revoke (--user NAME | --token TOKEN)\n"
               "       civhost token list\n"
               "Issues an API token (printed once; only its hash is stored), revokes tokens, lists "
               "them.\n"
               "Roles: clerk, reviewer, approver, auditor, admin. A token belongs to a user (made\n"
               "when the name is new; names ignore case); --township confines it to townships of\n"
               "the county, by the name the records hold (关庙镇). A token expires after 90 days\n"
               "unless --expires-in-days says otherwise (1 to 3660). Issuing and revoking are\n"
               "audited in the token's counties.\n") +
           kCommonOptions;
  if (command == "user")
    return std::string(
               "usage: civhost user add --user NAME [--name 姓名]\n"
               "                        [--role ROLE --county CODE[,CODE] [--township "
               "NAME[,NAME]]\n"
               "                         [--module ID[,ID]] --password-stdin]\n"
               "       civhost user password --user NAME --password-stdin\n"
               "       civhost user list\n"
               "       civhost user disable --user NAME\n"
               "Users are records: a name is unique without regard to case, a disabled user's\n"
               "tokens are revoked and sessions ended at once; users are never deleted (the audit\n"
               "trail names them). With --role, --county and --password-stdin (the initial\n"
               "password, read from the first line of standard input) the user can sign in to the\n"
               "console and must change the password at the first sign-in; `user password` sets\n"
               "a new initial password the same way (and unlocks the account).\n") +
           kCommonOptions;
  if (command == "audit")
    return std::string(
               "usage: civhost audit verify [options]\n"
               "Recomputes the audit trail's hash chain; exits 1 naming the first row whose "
               "content\n"
               "or chain does not match, 0 with the head hash when the trail is intact.\n") +
           kCommonOptions;
  if (command == "backup")
    return std::string(
               "usage: civhost backup --to FILE [options]\n"
               "Writes a consistent copy of the database while civhost serves it: SQLite by\n"
               "VACUUM INTO, PostgreSQL by pg_dump (custom format). The copy is verified\n"
               "(SQLite: integrity_check and the audit chain; PostgreSQL: the whole archive read\n"
               "back) before FILE appears; FILE must not exist. The file is readable by the\n"
               "service account only. Scheduled backups: host.yaml's backup: section.\n") +
           kCommonOptions;
  if (command == "restore")
    return std::string(
               "usage: civhost restore --from FILE [--replace] [options]\n"
               "Restores a backup made by civhost backup into --database, then verifies the\n"
               "audit chain there. Stop civhost first. SQLite: refused when the database file\n"
               "exists unless --replace (then replaced atomically); PostgreSQL: the tables are\n"
               "replaced in one transaction (pg_restore --clean --single-transaction).\n"
               "  --replace           restore over an existing SQLite database\n") +
           kCommonOptions;
  return "usage: civhost <command> [options]\n"
         "commands:\n"
         "  serve          serve the API for the configured counties\n"
         "  migrate        apply database migrations and exit\n"
         "  check-config   validate the configuration and exit\n"
         "  plugins        list plugins found, loaded and refused\n"
         "  token          issue, revoke and list API tokens\n"
         "  user           add, list and disable users\n"
         "  audit verify   check the audit trail's hash chain\n"
         "  backup         write a verified copy of the database while it serves\n"
         "  restore        restore a backup and verify its audit trail\n"
         "civhost <command> --help shows a command's options.\n";
}

}  // namespace civ::host
