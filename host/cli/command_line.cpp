#include "host/cli/command_line.h"

#include <set>

namespace civ::host {

namespace {
const std::set<std::string> kCommands = {"serve", "migrate", "check-config", "plugins"};

const char* kCommonOptions =
    "  --config DIR        configuration directory (default: config)\n"
    "  --database URL      SQLite file or PostgreSQL connection string; overrides CIV_DATABASE\n"
    "                      and host.yaml (postgresql://user@host:port/db or 'host=... "
    "dbname=...')\n"
    "  --plugin-dir DIR    where plugins are installed (default: host.yaml, else next to civhost)\n"
    "  --help              this text\n";
}  // namespace

CommandLine parseCommandLine(const std::vector<std::string>& arguments) {
  CommandLine line;
  std::size_t i = 0;
  if (i < arguments.size() && !arguments[i].starts_with("-")) line.command = arguments[i++];
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
      value(line.plugin_dir);
    } else if (argument == "--json" && line.command == "plugins") {
      line.json = true;
    } else {
      line.error = "unknown option '" + argument + "'";
    }
    if (!line.error.empty()) return line;
  }
  if (line.command.empty() && !line.help)
    line.error = "name a command";
  else if (!line.command.empty() && kCommands.count(line.command) == 0)
    line.error = "unknown command '" + line.command + "'";
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
               "usage: civhost migrate [options]\n"
               "Applies pending migrations of the host and of every enabled plugin, then "
               "exits.\n") +
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
  return "usage: civhost <command> [options]\n"
         "commands:\n"
         "  serve          serve the API for the configured counties\n"
         "  migrate        apply database migrations and exit\n"
         "  check-config   validate the configuration and exit\n"
         "  plugins        list plugins found, loaded and refused\n"
         "civhost <command> --help shows a command's options.\n";
}

}  // namespace civ::host
