#include "host/storage/postgresql_driver.h"

#include <atomic>
#include <dlfcn.h>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace civ::host {

namespace {

namespace fs = std::filesystem;

std::atomic<const PostgresqlDriver*> loaded_driver{nullptr};

/// Where the module may be: installed beside civhost (<bindir>/CIV_POSTGRESQL_DRIVER_FROM_BINDIR);
/// for an executable inside the build tree (tests, build/bin/civhost), where this tree made it.
/// An installed civhost never falls back to a build directory's file.
std::vector<fs::path> candidateFiles() {
  std::error_code failed;
  const fs::path executable = fs::read_symlink("/proc/self/exe", failed);
  if (failed) return {};
  std::vector<fs::path> files{executable.parent_path() / CIV_POSTGRESQL_DRIVER_FROM_BINDIR};
  // Compared as real paths: /proc/self/exe has its symbolic links resolved.
  const std::string build_tree = fs::weakly_canonical(CIV_BUILD_TREE, failed).string() + "/";
  if (!failed && executable.string().starts_with(build_tree))
    files.emplace_back(CIV_POSTGRESQL_DRIVER_BUILT);
  return files;
}

const PostgresqlDriver* load() {
  std::string tried;
  for (const auto& file : candidateFiles()) {
    std::error_code unreadable;
    if (!fs::exists(file, unreadable)) {
      tried += (tried.empty() ? "" : "; ") + file.string() + ": " +
               (unreadable ? unreadable.message() : "no such file");
      continue;
    }
    // Never closed: SOCI sessions and their backends live as long as the process.
    void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      tried += (tried.empty() ? "" : "; ") + file.string() + ": " + ::dlerror();
      continue;
    }
    auto* entry =
        reinterpret_cast<CivPostgresqlDriverEntry*>(::dlsym(handle, "civ_postgresql_driver"));
    if (entry == nullptr) {
      tried += (tried.empty() ? "" : "; ") + file.string() + ": no civ_postgresql_driver symbol";
      continue;
    }
    return entry();
  }
  if (tried.empty()) tried = "civhost's own path (/proc/self/exe) cannot be read";
  throw std::runtime_error("PostgreSQL support (libciv_postgresql.so) cannot be loaded: " + tried +
                           "; install civhost's package whole, or use a SQLite database");
}

}  // namespace

const PostgresqlDriver& postgresqlDriver() {
  if (const auto* driver = loaded_driver.load(std::memory_order_acquire)) return *driver;
  static std::mutex loading;
  std::lock_guard lock(loading);
  if (const auto* driver = loaded_driver.load(std::memory_order_acquire)) return *driver;
  const auto* driver = load();
  loaded_driver.store(driver, std::memory_order_release);
  return *driver;
}

const PostgresqlDriver* loadedPostgresqlDriver() {
  return loaded_driver.load(std::memory_order_acquire);
}

}  // namespace civ::host
