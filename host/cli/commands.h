// The civhost commands. Each returns the process exit code: 0 success, 1 runtime failure,
// 2 bad configuration or usage.
#pragma once

#include "host/cli/command_line.h"

namespace civ::host {

int runServe(const CommandLine& line);
int runMigrate(const CommandLine& line);
int runCheckConfig(const CommandLine& line);
int runPlugins(const CommandLine& line);
int runToken(const CommandLine& line);
/// civhost user add|list|disable.
int runUser(const CommandLine& line);
int runAudit(const CommandLine& line);
/// civhost backup --to FILE: a verified copy while civhost serves (database_backup.h).
int runBackup(const CommandLine& line);
/// civhost restore --from FILE [--replace].
int runRestore(const CommandLine& line);

}  // namespace civ::host
