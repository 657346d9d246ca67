#include "host/storage/postgresql_driver.h"

#include <dlfcn.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace civ::host {

namespace {

namespace fs = std::filesystem;

std::atomic<const PostgresqlDriver*> loaded_driver{nullptr};

/// Where the module may be: installed beside civhost (<bindir>/CIV_POSTGRESQL_DRIVER_FROM_BINDIR),
/// else where this build tree made it (tests and `build/bin/civhost` run from the tree).
std::vector<fs::path> candidateFiles() {
  std::error_code no_link;  // not Linux's /proc: only the build tree's file is tried
  const fs::path exe_dir = fs::read_symlink("/proc/self/exe", no_link).parent_path();
  return {exe_dir / CIV_POSTGRESQL_DRIVER_FROM_BINDIR, fs::path(CIV_POSTGRESQL_DRIVER_BUILT)};
}

const PostgresqlDriver* load() {
  std::string tried;
  for (const auto& file : candidateFiles()) {
    if (!fs::exists(file)) {
      tried += (tried.empty() ? "" : "; ") + file.string() + ": no such file";
      continue;
    }
    // Never closed: SOCI sessions and their backends live as long as the process.
    void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      tried += (tried.empty() ? "" : "; ") + file.string() + ": " + ::dlerror();
      continue;
    }
    auto* entry = reinterpret_cast<CivPostgresqlDriverEntry*>(::dlsym(handle, "civ_postgresql_driver"));
    if (entry == nullptr) {
      tried += (tried.empty() ? "" : "; ") + file.string() + ": no civ_postgresql_driver symbol";
      continue;
    }
    return entry();
  }
  throw std::runtime_error(
      "PostgreSQL support (libciv_postgresql.so) cannot be loaded: " + tried +
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
