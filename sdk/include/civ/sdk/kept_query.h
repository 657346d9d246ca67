// A query prepared once per pooled database session and run again with new parameters: for the
// statements a module runs on every request. Preparing is most of a short query's cost on
// SQLite (a third of a household read, bench/RESULTS.md); on PostgreSQL it saves the parse
// and plan round trip.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <civ/sdk/abi.h>
#include <civ/sdk/storage.h>

namespace soci {
class row;
class session;
}  // namespace soci

namespace civ::sdk {

/// Example, in a plugin that keeps it as a member made in start():
///
///     households_ = std::make_unique<sdk::KeptQuery>(
///         context.storage(), "SELECT number, village FROM sa_households WHERE id = :id");
///     households_->forEach(request.db(), {id}, [&](const soci::row& row) { ... });
///     ...
///     void stop() noexcept override { households_.reset(); }
///
/// Parameters are given in the order their placeholders appear, as integers, text or NULL
/// (std::monostate{}, since SDK 1.7: an optional column in an INSERT); a query keeps the number
/// of its first run and the kind of each parameter that was not NULL then (others later are
/// std::invalid_argument). `= :p` is never true for NULL: write `IS NULL` to find missing values.
/// Read rows with the helpers of civ/sdk/sql.h.
///
/// THREADS AND LIFETIME: safe to call from any request thread, because each pooled session
/// has its own statement and a session is leased to one thread at a time. A session the host
/// connected anew (Storage::reconnections) gets its statement prepared again. On a session that
/// is not the pool's (a test's own session) the statement is prepared for that call only.
/// Make it in start() and destroy it in stop() (reset the member): a session cannot close
/// while it has prepared statements (SQLite refuses and the connection leaks), and a test's
/// FakeContext closes its database right after stop(), while the plugin object still lives.
class CIV_SDK_API KeptQuery {
 public:
  using Parameter = BulkValue;  // std::monostate{} is NULL (SDK 1.7; refused before)

  KeptQuery(Storage& storage, std::string sql);
  ~KeptQuery();
  KeptQuery(const KeptQuery&) = delete;
  KeptQuery& operator=(const KeptQuery&) = delete;

  /// Runs the query on `db` and calls `each` for every row, in order; returns the row count.
  /// When `each` or the database throws, the session's statement is dropped (prepared again
  /// next time) and the exception passes on.
  std::size_t forEach(soci::session& db, const std::vector<Parameter>& parameters,
                      const std::function<void(const soci::row&)>& each);

  const std::string& sql() const { return sql_; }

 private:
  struct Prepared;
  void checkKinds(const std::vector<Parameter>& parameters);

  Storage& storage_;
  std::string sql_;
  std::vector<std::unique_ptr<Prepared>> by_slot_;
  std::once_flag first_run_;
  std::vector<std::size_t> kinds_;  // of each parameter at the first run; fixed after it
};

/// Kept statements for SQL whose text varies with the request: a list's, whose filters the
/// caller chooses (ListQuery::forEach, count and sum take one). Each combination of filters is
/// one text, prepared once per pooled session like a KeptQuery instead of parsed (and on
/// PostgreSQL planned) on every request. Header-only, so a plugin using it runs on any 1.x host.
///
/// A text is kept from its second run on: a text that seldom repeats (a page after a given id,
/// which ListRequest writes into the SQL) is not worth a kept statement, and on PostgreSQL a
/// statement prepared for one run costs more round trips than running it unprepared. At most
/// `capacity` texts are kept and none is dropped until the cache is (a kept statement cannot be
/// finalized while another thread may run it on its session); beyond that, texts run unkept,
/// as without a cache. So pass it for texts that repeat: a list's count and first page, whose
/// values are bound; not for SQL that splices a varying number of values. Make it in start()
/// and reset it in stop(), as a KeptQuery. Thread-safe.
class KeptQueryCache {
 public:
  explicit KeptQueryCache(Storage& storage, std::size_t capacity = 64)
      : storage_(storage), capacity_(capacity) {}
  KeptQueryCache(const KeptQueryCache&) = delete;
  KeptQueryCache& operator=(const KeptQueryCache&) = delete;

  /// The kept query of `sql` run with `parameters`, or nullptr when this text is to run unkept
  /// this time (its first run, or the cache is full): the caller then runs it as a one-off
  /// statement. A text is kept once per kinds of parameters (a KeptQuery keeps the kinds of its
  /// first run), so code that binds a number where it once bound a text gets a second one.
  KeptQuery* find(const std::string& sql, const std::vector<KeptQuery::Parameter>& parameters) {
    std::string key = sql;
    key += '\n';
    for (const auto& parameter : parameters) key += static_cast<char>('0' + parameter.index());
    std::lock_guard lock(mutex_);
    if (const auto kept = kept_.find(key); kept != kept_.end()) return kept->second.get();
    if (kept_.size() >= capacity_) return nullptr;
    if (seen_once_.insert(key).second) {
      // Forgetting every text seen once only delays keeping the ones that repeat by a run.
      if (seen_once_.size() > kSeenOnceLimit) seen_once_ = {key};
      return nullptr;
    }
    seen_once_.erase(key);
    return kept_.emplace(key, std::make_unique<KeptQuery>(storage_, sql)).first->second.get();
  }

 private:
  static constexpr std::size_t kSeenOnceLimit = 1024;
  Storage& storage_;
  const std::size_t capacity_;
  std::mutex mutex_;
  // By text and kinds of parameters; never erased (callers hold the pointers while they run).
  std::unordered_map<std::string, std::unique_ptr<KeptQuery>> kept_;
  std::unordered_set<std::string> seen_once_;
};

}  // namespace civ::sdk
