// The host's pool of database sessions (SOCI sessions are not thread-safe: one per thread).
#pragma once

#include <cstddef>
#include <memory>

#include <soci/connection-pool.h>
#include <soci/session.h>

#include "host/storage/database_url.h"

namespace civ::host {

/// Opens `pool_size` sessions and sets each up: on SQLite WAL, foreign keys, a busy timeout
/// and synchronous=FULL (a committed write survives a crash of the machine, not only of the
/// process); on PostgreSQL the session time zone. Thread-safe.
class Database {
 public:
  Database(const DatabaseUrl& url, std::size_t pool_size);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sdk::Dialect dialect() const { return url_.dialect; }
  const DatabaseUrl& url() const { return url_; }
  /// The pool a soci::session(pool) leases from (returned when that session is destroyed).
  soci::connection_pool& pool() { return *pool_; }

 private:
  DatabaseUrl url_;
  std::unique_ptr<soci::connection_pool> pool_;
};

/// Opens one session on `url`, configured as the pool's sessions are.
void openSession(soci::session& session, const DatabaseUrl& url);

}  // namespace civ::host
