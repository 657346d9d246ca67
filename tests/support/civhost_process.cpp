#include "tests/support/civhost_process.h"

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <regex>
#include <signal.h>
#include <sstream>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "tests/support/test_database.h"

namespace civ::testing {

namespace {
std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int decodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}
}  // namespace

std::string issueToken(const std::string& database, const std::string& user,
                       const std::string& role, const std::string& counties,
                       const std::string& modules) {
  std::vector<std::string> arguments = {
      "token",      "issue",  "--config", std::string(CIV_SOURCE_DIR) + "/config",
      "--database", database, "--user",   user,
      "--role",     role,     "--county", counties};
  if (!modules.empty()) {
    arguments.push_back("--module");
    arguments.push_back(modules);
  }
  CivhostProcess process(arguments);
  if (process.waitForExit() != 0)
    throw std::runtime_error("token issue failed: " + process.stderrText());
  std::string token = process.stdoutText();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return token;
}

CivhostProcess::CivhostProcess(const std::vector<std::string>& arguments) {
  directory_ = makeTempDirectory("civhost-process");
  const std::string out = (directory_ / "stdout.txt").string();
  const std::string err = (directory_ / "stderr.txt").string();
  std::vector<std::string> argv_strings = {CIVHOST_PATH};
  argv_strings.insert(argv_strings.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : argv_strings) argv.push_back(argument.data());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Every civhost a test starts checks its answers against the routes' declarations, so each
    // end-to-end test is also a contract test of the routes it drives.
    setenv("CIV_CHECK_ANSWERS", "1", 1);
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    // A test may cap the files civhost can write (setFileSizeLimit) to play a full disk: the
    // write then fails with EFBIG, as on a full disk, instead of killing the process.
    signal(SIGXFSZ, SIG_IGN);
    execv(argv[0], argv.data());
    _exit(127);
  }
}

CivhostProcess::~CivhostProcess() {
  if (pid_ > 0 && exit_code_ < 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

bool CivhostProcess::waitUntilListening(std::chrono::seconds timeout) {
  static const std::regex listening(R"(civhost listening on http://[^:]+:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    const std::string text = stdoutText();
    if (std::regex_search(text, match, listening)) {
      port_ = std::stoi(match[1]);
      return true;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = decodeStatus(status);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void CivhostProcess::setFileSizeLimit(std::optional<std::uint64_t> bytes) {
  struct rlimit limit {};
  limit.rlim_cur = bytes ? static_cast<rlim_t>(*bytes) : RLIM_INFINITY;
  limit.rlim_max = RLIM_INFINITY;
  if (prlimit(pid_, RLIMIT_FSIZE, &limit, nullptr) != 0)
    throw std::runtime_error("prlimit on civhost failed");
}

int CivhostProcess::stop() {
  if (exit_code_ >= 0) return exit_code_;
  kill(pid_, SIGTERM);
  return waitForExit(std::chrono::seconds(30));
}

void CivhostProcess::killHard() {
  if (exit_code_ >= 0) return;
  kill(pid_, SIGKILL);
  waitForExit(std::chrono::seconds(30));
}

int CivhostProcess::waitForExit(std::chrono::seconds timeout) {
  if (exit_code_ >= 0) return exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = decodeStatus(status);
      return exit_code_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

std::string CivhostProcess::stdoutText() const { return readFile(directory_ / "stdout.txt"); }
std::string CivhostProcess::stderrText() const { return readFile(directory_ / "stderr.txt"); }

}  // namespace civ::testing
