#include "host/audit/audit_log.h"

#include <atomic>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include <civ/sdk/sql.h>

#include "host/common/sha256.h"
#include "host/common/sm3.h"
#include "host/storage/bulk_writer.h"

namespace civ::host {

namespace {

constexpr const char* kColumns =
    "id, at, user_name, role, county_code, module, action, entity_type, entity_id, summary, "
    "prev_hash, hash, request_id, cause, hash_algorithm";
constexpr const char* kInsertRow =
    "INSERT INTO civ_audit (id, at, user_name, role, county_code, module, action, entity_type,"
    " entity_id, summary, prev_hash, hash, request_id, cause, hash_algorithm) VALUES (:id, :at,"
    " :user_name, :role, :county_code, :module, :action, :entity_type, :entity_id, :summary,"
    " :prev_hash, :hash, :request_id, :cause, :hash_algorithm)";
constexpr const char* kGenesis = "genesis";

/// kInsertRow's parameters for `entry`, in its order (the guessed INSERT appends the guess).
std::vector<sdk::KeptQuery::Parameter> rowParameters(const AuditEntry& entry) {
  return {entry.id,        entry.at,     entry.user,        entry.role,      entry.county,
          entry.module,    entry.action, entry.entity_type, entry.entity_id, entry.summary,
          entry.prev_hash, entry.hash,   entry.request_id,  entry.cause,     entry.hash_algorithm};
}

// The chain's head. The chain's lock is held to the end of the transaction: no other writer's
// row can come between the head read here and the new rows. On PostgreSQL the host's function
// takes the advisory lock and then reads the head, in one round trip (host migration 11);
// SQLite's write lock, held since BEGIN IMMEDIATE, does the same there.
const char* headSql(sdk::Dialect dialect) {
  return dialect == sdk::Dialect::Postgresql
             ? "SELECT head_id, head_hash FROM civ_audit_chain_head()"
             : "SELECT id, hash FROM civ_audit ORDER BY id DESC LIMIT 1";
}

// One row, written only when the chain's head, read under the chain's lock as headSql reads it,
// is the guessed one (AuditStatements). PostgreSQL answers the head it found and whether the row
// was written, so a wrong guess costs no second round trip for the head; SQLite answers the row's
// id when written (it has no INSERT in WITH, and reads the head again in-process).
std::string insertAfterGuessSql(sdk::Dialect dialect) {
  const std::string insert =
      "INSERT INTO civ_audit (id, at, user_name, role, county_code, module, action, entity_type,"
      " entity_id, summary, prev_hash, hash, request_id, cause, hash_algorithm) SELECT :id, :at,"
      " :user_name, :role, :county_code, :module, :action, :entity_type, :entity_id, :summary, "
      ":prev_hash, :hash, :request_id, :cause, :hash_algorithm FROM ";
  const std::string guessed =
      " WHERE chain_head.head_id = :guessed_id AND chain_head.head_hash = :guessed_hash";
  if (dialect == sdk::Dialect::Postgresql)
    return "WITH chain_head AS (SELECT head_id, head_hash FROM civ_audit_chain_head()),"
           " written AS (" +
           insert + "chain_head" + guessed +
           " RETURNING id) SELECT head_id, head_hash, (SELECT COUNT(*) FROM written) FROM"
           " chain_head";
  return insert +
         "(SELECT id AS head_id, hash AS head_hash FROM civ_audit ORDER BY id DESC LIMIT 1)"
         " chain_head" +
         guessed + " RETURNING id";
}

AuditEntry readEntry(const soci::row& row) {
  using sdk::sql::textAt;
  return AuditEntry{sdk::sql::int64At(row, 0),
                    textAt(row, 1),
                    textAt(row, 2),
                    textAt(row, 3),
                    textAt(row, 4),
                    textAt(row, 5),
                    textAt(row, 6),
                    textAt(row, 7),
                    textAt(row, 8),
                    textAt(row, 9),
                    textAt(row, 10),
                    textAt(row, 11),
                    textAt(row, 12),
                    textAt(row, 13),
                    textAt(row, 14)};
}

}  // namespace

std::string AuditLog::hashOf(const AuditEntry& entry) {
  // A JSON array is an unambiguous serialisation of the fields (no separator tricks).
  nlohmann::json fields = {entry.id,        entry.at,      entry.user,     entry.role,
                           entry.county,    entry.module,  entry.action,   entry.entity_type,
                           entry.entity_id, entry.summary, entry.prev_hash};
  // Rows written before the request id and cause existed hash without them (and still verify).
  if (!entry.request_id.empty() || !entry.cause.empty()) {
    fields.push_back(entry.request_id);
    fields.push_back(entry.cause);
  }
  return entry.hash_algorithm == "sm3" ? sm3Hex(fields.dump()) : sha256Hex(fields.dump());
}

namespace {
std::atomic<bool> g_sm3{false};  // set once at start-up, before any request
}  // namespace

void AuditLog::setHashAlgorithm(const std::string& algorithm) {
  if (algorithm != "sha256" && algorithm != "sm3")
    throw std::invalid_argument("the audit hash algorithm is sha256 or sm3, not '" + algorithm +
                                "'");
  if (algorithm == "sm3") (void)sm3Hex("");  // fails now, not on the first write, without SM3
  g_sm3 = algorithm == "sm3";
}

std::string AuditLog::hashAlgorithm() { return g_sm3 ? "sm3" : "sha256"; }

AuditEntry AuditLog::append(soci::session& db, sdk::Dialect dialect, AuditEntry entry) {
  std::vector<AuditEntry> one;
  one.push_back(std::move(entry));
  chainAndWrite(db, dialect, nullptr, one);  // one entry: written by INSERT, its fields kept
  return std::move(one.front());
}

void AuditLog::appendAll(soci::session& db, sdk::Dialect dialect, std::vector<AuditEntry> entries) {
  chainAndWrite(db, dialect, nullptr, entries);
}

void AuditLog::appendAll(soci::session& db, AuditStatements& kept,
                         std::vector<AuditEntry> entries) {
  chainAndWrite(db, kept.dialect, &kept, entries);
}

AuditStatements::AuditStatements(sdk::Storage& storage)
    : dialect(storage.dialect()),
      head(storage, headSql(storage.dialect())),
      insert_row(storage, kInsertRow),
      insert_row_after_guess(storage, insertAfterGuessSql(storage.dialect())) {}

std::optional<AuditStatements::Head> AuditStatements::guess() const {
  std::lock_guard lock(guess_mutex_);
  return guess_;
}

void AuditStatements::remember(std::int64_t id, const std::string& hash) {
  std::lock_guard lock(guess_mutex_);
  guess_ = Head{id, hash};
}

void AuditLog::chainAndWrite(soci::session& db, sdk::Dialect dialect, AuditStatements* kept,
                             std::vector<AuditEntry>& entries) {
  if (entries.empty()) return;
  const std::string algorithm = hashAlgorithm();
  std::optional<std::int64_t> last_id;
  std::string last_hash;
  bool head_read = false;
  if (kept != nullptr && entries.size() == 1) {
    if (const auto guessed = kept->guess()) {
      AuditEntry& entry = entries.front();
      entry.id = guessed->id + 1;
      entry.prev_hash = guessed->hash;
      entry.hash_algorithm = algorithm;
      entry.hash = hashOf(entry);
      bool written = false;
      auto parameters = rowParameters(entry);
      parameters.emplace_back(guessed->id);
      parameters.emplace_back(guessed->hash);
      const std::size_t rows =
          kept->insert_row_after_guess.forEach(db, parameters, [&](const soci::row& row) {
            if (kept->dialect != sdk::Dialect::Postgresql) return;  // the row's id
            last_id = sdk::sql::optionalInt64At(row, 0);
            last_hash = sdk::sql::optionalTextAt(row, 1).value_or("");
            written = sdk::sql::int64At(row, 2) == 1;
          });
      if (kept->dialect == sdk::Dialect::Postgresql)
        head_read = true;  // answered with the head, or no row when the chain is empty
      else
        written = rows == 1;
      if (written) {
        kept->remember(entry.id, entry.hash);
        return;
      }
      ++kept->wrong_guesses;
    }
  }
  if (head_read) {
    // The head came with the wrong guess; the transaction holds the chain's lock since.
  } else if (kept != nullptr) {
    kept->head.forEach(db, {}, [&](const soci::row& row) {
      last_id = sdk::sql::optionalInt64At(row, 0);
      last_hash = sdk::sql::optionalTextAt(row, 1).value_or("");
    });
  } else {
    long long id = 0;
    soci::indicator id_indicator = soci::i_null;
    soci::indicator hash_indicator = soci::i_null;
    db << headSql(dialect), soci::into(id, id_indicator), soci::into(last_hash, hash_indicator);
    if (db.got_data() && id_indicator != soci::i_null) last_id = id;
  }
  std::int64_t next_id = last_id ? *last_id + 1 : 1;
  std::string prev_hash = last_id ? last_hash : kGenesis;
  for (auto& entry : entries) {
    entry.id = next_id++;
    entry.prev_hash = std::move(prev_hash);
    entry.hash_algorithm = algorithm;
    entry.hash = hashOf(entry);
    prev_hash = entry.hash;
  }
  if (entries.size() == 1) {
    // One row (most requests): a plain INSERT is one round trip; COPY would be three.
    const AuditEntry& entry = entries.front();
    if (kept != nullptr) {
      kept->insert_row.forEach(db, rowParameters(entry), [](const soci::row&) {});
      kept->remember(entry.id, entry.hash);
      return;
    }
    const long long id = entry.id;
    db << kInsertRow, soci::use(id), soci::use(entry.at), soci::use(entry.user),
        soci::use(entry.role), soci::use(entry.county), soci::use(entry.module),
        soci::use(entry.action), soci::use(entry.entity_type), soci::use(entry.entity_id),
        soci::use(entry.summary), soci::use(entry.prev_hash), soci::use(entry.hash),
        soci::use(entry.request_id), soci::use(entry.cause), soci::use(entry.hash_algorithm);
    return;
  }
  auto writer = makeBulkWriter(
      db, dialect, "civ_audit",
      {"id", "at", "user_name", "role", "county_code", "module", "action", "entity_type",
       "entity_id", "summary", "prev_hash", "hash", "request_id", "cause", "hash_algorithm"});
  if (kept != nullptr) kept->remember(entries.back().id, entries.back().hash);
  for (auto& entry : entries)
    writer->add({entry.id, std::move(entry.at), std::move(entry.user), std::move(entry.role),
                 std::move(entry.county), std::move(entry.module), std::move(entry.action),
                 std::move(entry.entity_type), std::move(entry.entity_id), std::move(entry.summary),
                 std::move(entry.prev_hash), std::move(entry.hash), std::move(entry.request_id),
                 std::move(entry.cause), std::move(entry.hash_algorithm)});
  writer->finish();
}

namespace {

/// The filters of an audit query as SQL (values bound by bindFilters, in the same order).
std::string filterSql(const AuditQuery& query) {
  std::string sql = " FROM civ_audit WHERE county_code = :county";
  if (query.module) sql += " AND module = :module";
  if (!query.modules_in_scope.empty()) {
    // Plugin ids are [a-z][a-z0-9_]* (checked when a token is issued), so they splice safely.
    sql += " AND module IN (";
    for (std::size_t i = 0; i < query.modules_in_scope.size(); ++i)
      sql += (i == 0 ? "'" : ", '") + query.modules_in_scope[i] + "'";
    sql += ")";
  }
  if (query.entity_type) sql += " AND entity_type = :entity_type";
  if (query.entity_id) sql += " AND entity_id = :entity_id";
  if (query.user) sql += " AND user_name = :user_name";
  if (query.from) sql += " AND at >= :from_time";
  if (query.to) sql += " AND at < :to_time";
  return sql;
}

void bindFilters(soci::statement& statement, const AuditQuery& query) {
  statement.exchange(soci::use(query.county));
  for (const auto* filter :
       {&query.module, &query.entity_type, &query.entity_id, &query.user, &query.from, &query.to})
    if (*filter) statement.exchange(soci::use(**filter));
}

}  // namespace

std::int64_t AuditLog::count(soci::session& db, const AuditQuery& query) {
  long long total = 0;
  soci::statement statement(db);
  statement.exchange(soci::into(total));
  bindFilters(statement, query);
  statement.alloc();
  statement.prepare("SELECT COUNT(*)" + filterSql(query));
  statement.define_and_bind();
  statement.execute(true);
  return total;
}

std::vector<AuditEntry> AuditLog::query(soci::session& db, const AuditQuery& query) {
  // Filters are bound as values; the page's keyset and order come from checked integers.
  const std::string sql = std::string("SELECT ") + kColumns + filterSql(query) + " AND " +
                          query.page.keysetCondition("id") +
                          query.page.orderAndLimit({{"id", "id"}});
  soci::statement statement(db);
  soci::row row;
  statement.exchange(soci::into(row));
  bindFilters(statement, query);
  statement.alloc();
  statement.prepare(sql);
  statement.define_and_bind();
  std::vector<AuditEntry> entries;
  if (statement.execute(true)) {
    do {
      entries.push_back(readEntry(row));
    } while (statement.fetch());
  }
  return entries;
}

AuditVerification AuditLog::verify(soci::session& db) {
  AuditVerification result;
  std::string previous_hash = kGenesis;
  std::int64_t expected_id = 1;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT " << kColumns << " FROM civ_audit ORDER BY id");
  for (const auto& row : rows) {
    const AuditEntry entry = readEntry(row);
    ++result.rows;
    if (entry.id != expected_id) {
      result.first_bad_id = entry.id;
      result.problem = entry.id > expected_id
                           ? "row " + std::to_string(expected_id) + " is missing before row " +
                                 std::to_string(entry.id)
                           : "row id " + std::to_string(entry.id) + " is out of sequence";
      return result;
    }
    if (entry.prev_hash != previous_hash) {
      result.first_bad_id = entry.id;
      result.problem =
          "row " + std::to_string(entry.id) + " does not follow the previous row (chain broken)";
      return result;
    }
    if (hashOf(entry) != entry.hash) {
      result.first_bad_id = entry.id;
      result.problem = "row " + std::to_string(entry.id) +
                       " was changed after it was written (content hash differs)";
      return result;
    }
    previous_hash = entry.hash;
    result.head_algorithm = entry.hash_algorithm.empty() ? "sha256" : entry.hash_algorithm;
    ++expected_id;
  }
  result.head_hash = previous_hash;
  return result;
}

void AuditLog::appendInCounties(soci::session& db, sdk::Dialect dialect,
                                const std::vector<std::string>& counties, const AuditEntry& entry) {
  for (const auto& county : counties) {
    AuditEntry row = entry;
    row.county = county;
    append(db, dialect, std::move(row));
  }
}

}  // namespace civ::host
