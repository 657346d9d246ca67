// Storage as the host offers it to plugins: the SQL dialect, transactions for work outside a
// request, and a bulk writer for payment runs and imports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <civ/sdk/abi.h>

namespace soci {
class session;
}

namespace civ::sdk {

enum class Dialect : std::int32_t { Sqlite, Postgresql };

/// One cell of a bulk row: NULL, an integer (ids, fen, flags) or text (dates as "YYYY-MM-DD").
using BulkValue = std::variant<std::monostate, std::int64_t, std::string>;

/// Appends many rows to one table inside the caller's transaction: prepared batches on
/// SQLite, COPY on PostgreSQL (SOCI's PostgreSQL path is one round trip per row).
///
/// OWNERSHIP: created by Storage::bulkWriter for one session; use it only while that session's
/// transaction is open, on one thread. Rows are visible to the session after finish().
/// On PostgreSQL the session is in COPY mode from the first buffered chunk until finish(): read
/// everything you need first, run no other statement on the session in between, and use one
/// writer at a time per session.
class CIV_SDK_API BulkWriter {
 public:
  virtual ~BulkWriter();
  /// Adds one row; its size must equal the number of columns.
  virtual void add(const std::vector<BulkValue>& row) = 0;
  /// Flushes what is buffered and returns the number of rows written in all.
  virtual std::int64_t finish() = 0;
};

/// The host's database, as a plugin sees it. Within a request use Request::db(), which is
/// already inside the request's transaction; use Storage for work a plugin starts itself
/// (scheduled runs, imports).
class CIV_SDK_API Storage {
 public:
  virtual ~Storage();

  virtual Dialect dialect() const = 0;
  /// Leases a pooled session, begins a transaction, runs `work`, commits; rolls back and
  /// rethrows if `work` throws. OWNERSHIP: the session is only valid inside `work`.
  /// A storage fault (the disk full, the server away, a session that cannot be opened) comes
  /// through as an exception that is not an sdk::Error, as SOCI's own errors do: let it pass,
  /// and civhost answers the request 503 storage-unavailable with Retry-After.
  virtual void inTransaction(const std::function<void(soci::session&)>& work) = 0;
  /// A bulk writer for `table` (columns in the order rows will give them).
  virtual std::unique_ptr<BulkWriter> bulkWriter(soci::session& db, const std::string& table,
                                                 const std::vector<std::string>& columns) = 0;
  /// How many sessions the host keeps (its pool's; on SQLite its writer too): KeptQuery's slots.
  virtual std::size_t poolSize() const = 0;
  /// The pool slot of `db` when it is one of the pool's own sessions, which live as long as
  /// the host's database and are used by one thread at a time; nullopt for any other session.
  virtual std::optional<std::size_t> poolSlotOf(const soci::session& db) const = 0;

  // ---- appended in SDK 1.4 ----
  /// How many times the pool's session in `slot` has been connected anew since start-up (the
  /// host does it when a PostgreSQL server came back after a restart): statements prepared on
  /// it before are gone from the server. KeptQuery prepares again when the number changes.
  virtual std::uint64_t reconnections(std::size_t slot) const = 0;
};

}  // namespace civ::sdk
