#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <variant>

#include <soci/soci.h>

#include <civ/sdk/kept_query.h>

namespace civ::sdk {

// One statement on one session, bound once to the parameter values it owns. A parameter is
// bound by its kind when it was prepared; one that was NULL then by the kind `known_kinds`
// gives for it (the first run's, or the one the statement it replaces had learnt), else as text
// (NULL of any kind is the same to both engines: SQLite binds no type, PostgreSQL infers it).
struct KeptQuery::Prepared {
  Prepared(soci::session& db, const std::string& sql, const std::vector<Parameter>& parameters,
           const std::vector<std::size_t>& known_kinds)
      : integers(parameters.size()), texts(parameters.size()), nulls(parameters.size()) {
    soci::details::prepare_temp_type preparing = (db.prepare << sql, soci::into(row));
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      const std::size_t kind = parameters[i].index() != kNull ? parameters[i].index()
                               : i < known_kinds.size()       ? known_kinds[i]
                                                              : kNull;
      bound_kinds.push_back(kind);
      if (kind == kIntegerKind) {
        preparing, soci::use(integers[i], nulls[i]);
      } else {
        preparing, soci::use(texts[i], nulls[i]);
      }
    }
    statement = std::make_unique<soci::statement>(preparing);
  }

  /// Whether `parameters` can be bound to this statement: each is NULL or of the kind its
  /// placeholder was bound as (a placeholder first bound NULL is bound as text).
  bool fits(const std::vector<Parameter>& parameters) const {
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      const std::size_t kind = parameters[i].index();
      if (kind == kNull || kind == bound_kinds[i]) continue;
      if (bound_kinds[i] == kNull && std::holds_alternative<std::string>(parameters[i])) continue;
      return false;
    }
    return true;
  }

  void set(const std::vector<Parameter>& parameters) {
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      nulls[i] = soci::i_ok;
      if (const auto* integer = std::get_if<std::int64_t>(&parameters[i])) {
        integers[i] = *integer;
      } else if (const auto* text = std::get_if<std::string>(&parameters[i])) {
        texts[i] = *text;
      } else {
        nulls[i] = soci::i_null;
      }
    }
  }

  std::size_t run(const std::function<void(const soci::row&)>& each) {
    std::size_t rows = 0;
    statement->execute(false);
    // A statement that answers no columns (a write without RETURNING) is stepped once, which
    // runs it on SQLite: SOCI 4.0's PostgreSQL backend leaves its row counters unset for a
    // result without rows, and fetching it to the end went on for whatever they held (50 s of
    // empty rows for the audit chain's INSERT; there the one fetch is harmless).
    if (row.size() == 0) {
      statement->fetch();
      return 0;
    }
    // Fetching to the end matters on SQLite: a statement stopped at a row would keep its read
    // snapshot open after the request.
    while (statement->fetch()) {
      ++rows;
      each(row);
    }
    return rows;
  }

  static constexpr std::size_t kNull = 0;         // the index of std::monostate in Parameter
  static constexpr std::size_t kIntegerKind = 1;  // the index of std::int64_t
  std::vector<long long> integers;
  std::vector<std::string> texts;
  std::vector<soci::indicator> nulls;
  std::vector<std::size_t> bound_kinds;  // Parameter::index() of each at preparation
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
  // The first run fixes the number of parameters and the kind of each that was not NULL;
  // kinds_ is written once (under first_run_) and only read after, so no lock is needed. A
  // placeholder NULL at the first run takes any kind later.
  std::vector<std::size_t> kinds;
  kinds.reserve(parameters.size());
  for (const auto& parameter : parameters) kinds.push_back(parameter.index());
  std::call_once(first_run_, [&] { kinds_ = kinds; });
  bool same = kinds.size() == kinds_.size();
  for (std::size_t i = 0; same && i < kinds.size(); ++i)
    same = kinds[i] == 0 || kinds_[i] == 0 || kinds[i] == kinds_[i];
  if (!same)
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
    Prepared once(db, sql_, parameters, kinds_);
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
    // Prepared while a parameter of unknown kind was NULL, it binds that one as text; a number
    // there later needs the statement prepared again. The new one keeps what the old one knew
    // (a NULL where it had a number stays a number), so a placeholder is learnt once per session,
    // and it takes over the old one's stale predecessor (see above).
    std::vector<std::size_t> known_kinds = kinds_;
    if (prepared && !prepared->fits(parameters)) {
      for (std::size_t i = 0; i < known_kinds.size(); ++i)
        if (known_kinds[i] == Prepared::kNull) known_kinds[i] = prepared->bound_kinds[i];
      if (!stale) stale = std::move(prepared->stale);
      prepared.reset();
    }
    if (!prepared) {
      prepared = std::make_unique<Prepared>(db, sql_, parameters, known_kinds);
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
