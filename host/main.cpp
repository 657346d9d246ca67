// civhost: the host process of the civ platform.
#include <iostream>
#include <string>
#include <vector>

#include "host/cli/command_line.h"
#include "host/cli/commands.h"

int main(int argc, char** argv) {
  using namespace civ::host;
  const CommandLine line = parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
  if (line.help) {
    std::cout << usage(line.command);
    return 0;
  }
  if (!line.error.empty()) {
    std::cerr << "civhost: " << line.error << "\n" << usage(line.command);
    return 2;
  }
  try {
    if (line.command == "serve") return runServe(line);
    if (line.command == "migrate") return runMigrate(line);
    if (line.command == "check-config") return runCheckConfig(line);
    if (line.command == "plugins") return runPlugins(line);
    if (line.command == "token") return runToken(line);
    if (line.command == "user") return runUser(line);
    if (line.command == "audit") return runAudit(line);
    if (line.command == "backup") return runBackup(line);
    if (line.command == "restore") return runRestore(line);
  } catch (const std::exception& error) {
    std::cerr << "civhost: " << error.what() << "\n";
    return 1;
  }
  return 2;
}
