// civhost as a child process, for end-to-end tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace civ::testing {

/// Runs `civhost token issue` for `database` and returns the token it prints.
std::string issueToken(const std::string& database, const std::string& user,
                       const std::string& role, const std::string& counties,
                       const std::string& modules = "");

class CivhostProcess {
 public:
  /// Starts CIVHOST_PATH with `arguments`; stdout and stderr go to files in a temp directory.
  explicit CivhostProcess(const std::vector<std::string>& arguments);
  ~CivhostProcess();

  /// Waits for "civhost listening on http://HOST:PORT" on stdout; false if civhost exited or
  /// the time ran out.
  bool waitUntilListening(std::chrono::seconds timeout = std::chrono::seconds(20));
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  /// SIGTERM and wait; the exit code (128 + signal when killed by one).
  int stop();
  /// Caps the size of every file civhost writes from now on (nullopt: no cap). With 0, every
  /// write to the database fails as on a full disk.
  void setFileSizeLimit(std::optional<std::uint64_t> bytes);
  /// SIGKILL, as a crash or power cut would end it, and wait.
  void killHard();
  /// Waits for the process to exit by itself; -1 on timeout.
  int waitForExit(std::chrono::seconds timeout = std::chrono::seconds(20));
  std::string stdoutText() const;
  std::string stderrText() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
  std::filesystem::path directory_;
};

}  // namespace civ::testing
