#include "host/storage/database.h"

#include "host/storage/backend_factories.h"

namespace civ::host {

void openSession(soci::session& session, const DatabaseUrl& url) {
  if (url.dialect == sdk::Dialect::Sqlite) {
    session.open(backendFactory(url.dialect), "db=" + url.connection);
    // WAL lets readers proceed during a write; FULL syncs the WAL on every commit.
    session << "PRAGMA journal_mode=WAL";
    session << "PRAGMA synchronous=FULL";
    session << "PRAGMA foreign_keys=ON";
    session << "PRAGMA busy_timeout=10000";
  } else {
    session.open(backendFactory(url.dialect), url.connection);
    session << "SET TIME ZONE 'Asia/Shanghai'";
    session << "SET client_min_messages TO WARNING";
  }
}

Database::Database(const DatabaseUrl& url, std::size_t pool_size)
    : url_(url), pool_(std::make_unique<soci::connection_pool>(pool_size)) {
  for (std::size_t i = 0; i < pool_size; ++i) openSession(pool_->at(i), url_);
}

Database::~Database() = default;

}  // namespace civ::host
