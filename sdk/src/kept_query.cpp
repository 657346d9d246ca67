#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <variant>

#include <soci/soci.h>

#include <civ/sdk/kept_query.h>

namespace civ::sdk {

// One statement on one session, bound once to the parameter values it owns.
struct KeptQuery::Prepared {
  Prepared(soci::session& db, const std::string& sql, const std::vector<Parameter>& parameters)
      : integers(parameters.size()), texts(parameters.size()) {
    soci::details::prepare_temp_type preparing = (db.prepare << sql, soci::into(row));
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      if (std::holds_alternative<std::int64_t>(parameters[i])) {
        preparing, soci::use(integers[i]);
      } else {
        preparing, soci::use(texts[i]);
      }
    }
    statement = std::make_unique<soci::statement>(preparing);
  }

  void set(const std::vector<Parameter>& parameters) {
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      if (const auto* integer = std::get_if<std::int64_t>(&parameters[i])) {
        integers[i] = *integer;
      } else {
        texts[i] = std::get<std::string>(parameters[i]);
      }
    }
  }

  std::size_t run(const std::function<void(const soci::row&)>& each) {
    std::size_t rows = 0;
    statement->execute(false);
    // Fetching to the end matters on SQLite: a statement stopped at a row would keep its read
    // snapshot open after the request.
    while (statement->fetch()) {
      ++rows;
      each(row);
    }
    return rows;
  }

  std::vector<long long> integers;
  std::vector<std::string> texts;
  soci::row row;
  std::unique_ptr<soci::statement> statement;
  /// The session's reconnections when this was prepared (Storage::reconnections).
  std::uint64_t connection = 0;
  /// The statement this one replaced after a reconnection, kept until this one goes (below).
  std::unique_ptr<Prepared> stale;
};

KeptQuery::KeptQuery(Storage& storage, std::string sql)
    : storage_(storage), sql_(std::move(sql)), by_slot_(storage.poolSize()) {}

KeptQuery::~KeptQuery() = default;

void KeptQuery::checkKinds(const std::vector<Parameter>& parameters) {
  std::vector<std::size_t> kinds;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    if (std::holds_alternative<std::monostate>(parameters[i]))
      throw std::invalid_argument("KeptQuery: parameter " + std::to_string(i + 1) +
                                  " is NULL; write IS NULL in the SQL instead: " + sql_);
    kinds.push_back(parameters[i].index());
  }
  std::call_once(first_run_, [&] { kinds_ = kinds; });
  if (kinds != kinds_)
    throw std::invalid_argument(
        "KeptQuery: the parameters differ in number or kind from its "
        "first run's: " +
        sql_);
}

std::size_t KeptQuery::forEach(soci::session& db, const std::vector<Parameter>& parameters,
                               const std::function<void(const soci::row&)>& each) {
  checkKinds(parameters);
  const auto slot = storage_.poolSlotOf(db);
  if (!slot || *slot >= by_slot_.size()) {
    Prepared once(db, sql_, parameters);
    once.set(parameters);
    return once.run(each);
  }
  auto& prepared = by_slot_[*slot];
  // The session was connected anew (a database server restart): the statement is gone from the
  // server and is prepared again. Destroying the old one now would DEALLOCATE, on the new
  // connection and inside the request's transaction, a name that connection never had: an error
  // that aborts the transaction. It goes with its successor instead.
  const std::uint64_t connection = storage_.reconnections(*slot);
  std::unique_ptr<Prepared> stale;
  if (prepared && prepared->connection != connection) stale = std::move(prepared);
  try {
    if (!prepared) {
      prepared = std::make_unique<Prepared>(db, sql_, parameters);
      prepared->connection = connection;
      prepared->stale = std::move(stale);
    }
    prepared->set(parameters);
    return prepared->run(each);
  } catch (...) {
    prepared.reset();  // finalized: no half-read statement stays on the session
    throw;
  }
}

}  // namespace civ::sdk
