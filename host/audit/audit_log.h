// The audit trail: one row per audited change, written in the change's transaction and
// hash-chained (each row's hash covers its content and the previous row's hash), so an edit,
// deletion or insertion made directly in the database is found by verify().
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <soci/session.h>

#include <civ/sdk/kept_query.h>
#include <civ/sdk/list.h>
#include <civ/sdk/storage.h>

namespace civ::host {

struct AuditEntry {
  std::int64_t id = 0;
  std::string at;  ///< ISO timestamp, China Standard Time
  std::string user;
  std::string role;
  std::string county;
  std::string module;
  std::string action;
  std::string entity_type;
  std::string entity_id;
  std::string summary;  ///< JSON text of the changes, citizen IDs masked
  std::string prev_hash;
  std::string hash;
  std::string request_id;  ///< the request that made the change (also on its events' effects)
  /// Why a change made outside a request happened: "event person.deceased #17 from 610902";
  /// "" for a request's own change.
  std::string cause;
  /// The hash algorithm of this row: "sha256" or "sm3" ("" reads as sha256: rows written
  /// before the algorithm was recorded). A chain may change algorithm at any row.
  std::string hash_algorithm;
};

struct AuditQuery {
  std::string county;
  std::optional<std::string> module;
  /// When not empty, only rows of these modules (a caller scoped to some modules).
  std::vector<std::string> modules_in_scope;
  std::optional<std::string> entity_type;
  std::optional<std::string> entity_id;
  std::optional<std::string> user;
  std::optional<std::string> from;  ///< inclusive, compared with `at` as text (ISO sorts)
  std::optional<std::string> to;    ///< exclusive
  /// The page (list.h): keyset on the id, in either direction.
  sdk::ListRequest page = sdk::ListRequest::from(std::nullopt, std::nullopt, std::nullopt, {});
};

struct AuditVerification {
  std::int64_t rows = 0;
  std::optional<std::int64_t> first_bad_id;  ///< the first row whose content or chain is wrong
  std::string problem;
  std::string head_hash;       ///< hash of the last row: record it elsewhere to detect truncation
  std::string head_algorithm;  ///< the last row's hash algorithm
};

/// The chain's statements of every write, kept prepared per pooled session while the host runs
/// (HostServices): the chain's head (on PostgreSQL with its lock) and the one row most requests
/// add. Parsing them each time was about 4 % of a SQLite application write's CPU
/// (bench/RESULTS.md), and on PostgreSQL it happens while the chain's lock is held.
///
/// One row is first written on a guess of the head: the last row this host wrote through these
/// statements. The INSERT takes the chain's lock, compares the head with the guess and writes
/// the row only when they are the same, in one round trip, so a PostgreSQL write holds the
/// chain's lock over two round trips (this and COMMIT) instead of three. A wrong guess (another
/// host or another path wrote since, or the guessed row was rolled back) writes nothing and the
/// row is chained after the real head: on PostgreSQL the same statement answered it, on SQLite
/// it is read again. The guess is only a hint; the lock and the comparison keep the chain whole.
/// AuditLog::appendAll with these statements must run inside a write transaction (BEGIN
/// IMMEDIATE on SQLite), as requests and event deliveries do: the lock is the transaction's.
struct AuditStatements {
  explicit AuditStatements(sdk::Storage& storage);

  /// The chain's head, as this host last wrote it.
  struct Head {
    std::int64_t id = 0;
    std::string hash;
  };
  std::optional<Head> guess() const;
  void remember(std::int64_t id, const std::string& hash);

  sdk::Dialect dialect;
  sdk::KeptQuery head;        ///< no parameters: the newest row's id and hash, none when empty
  sdk::KeptQuery insert_row;  ///< one row's 15 columns
  /// The 15 columns, then the guessed head's id and hash. PostgreSQL answers the head it found
  /// (no row when the chain is empty) and how many rows it wrote (1 or 0); SQLite answers the
  /// row's id when it wrote it.
  sdk::KeptQuery insert_row_after_guess;
  /// Rows whose guess was wrong and that were chained after the real head (tests, diagnosis).
  std::atomic<std::uint64_t> wrong_guesses{0};

 private:
  mutable std::mutex guess_mutex_;
  std::optional<Head> guess_;
};

class AuditLog {
 public:
  /// Appends `entry` (id, prev_hash and hash are assigned) inside the caller's transaction.
  /// Appends are serialised: SQLite's write lock, or an advisory lock on PostgreSQL.
  static AuditEntry append(soci::session& db, sdk::Dialect dialect, AuditEntry entry);
  /// Appends `entries` in order, as append() would one by one, but reading the chain's head
  /// once and writing the rows through one bulk writer: a request that audits 20,000 cases
  /// (an annual re-review) costs a few statements, not two or three per row.
  static void appendAll(soci::session& db, sdk::Dialect dialect, std::vector<AuditEntry> entries);
  /// The same through the host's kept statements: the requests' and the event deliveries' path.
  static void appendAll(soci::session& db, AuditStatements& kept, std::vector<AuditEntry> entries);
  /// One row of `entry` (its county left empty) in each of `counties`: a change of the host's
  /// own records (users, tokens, sessions), kept in every county it affects.
  static void appendInCounties(soci::session& db, sdk::Dialect dialect,
                               const std::vector<std::string>& counties, const AuditEntry& entry);
  /// Rows matching the query's filters, however many pages they fill.
  static std::int64_t count(soci::session& db, const AuditQuery& query);
  static std::vector<AuditEntry> query(soci::session& db, const AuditQuery& query);
  /// Walks the whole chain in id order.
  static AuditVerification verify(soci::session& db);
  /// The hash a row must carry: the row's algorithm over its fields and the previous hash.
  static std::string hashOf(const AuditEntry& entry);
  /// The algorithm new rows are hashed with, process-wide ("sha256", the default, or "sm3";
  /// host.yaml `audit.hash_algorithm`). Throws std::invalid_argument for another name.
  static void setHashAlgorithm(const std::string& algorithm);
  static std::string hashAlgorithm();

 private:
  /// Assigns each entry its id, previous hash and hash, and writes them: one entry by INSERT
  /// (its fields kept for append's caller), more through a bulk writer (their text moved out).
  /// `kept`, when given, runs the head read and the one row's INSERT.
  static void chainAndWrite(soci::session& db, sdk::Dialect dialect, AuditStatements* kept,
                            std::vector<AuditEntry>& entries);
};

}  // namespace civ::host
