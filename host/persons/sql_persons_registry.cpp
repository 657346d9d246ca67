#include "host/persons/sql_persons_registry.h"

#include <algorithm>
#include <unordered_map>

#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/sql.h>

#include "host/common/timestamp.h"
#include "host/storage/advisory_locks.h"
#include "host/storage/bulk_writer.h"

namespace civ::host {

namespace {

constexpr const char* kColumns = "id, citizen_id, name, birth_date, sex, death_date";

bool onPostgresql(soci::session& db) { return db.get_backend_name() == "postgresql"; }

/// The name field beside a citizen-ID field: "members[2].citizen_id" -> "members[2].name".
std::string nameField(std::string_view citizen_id_field) {
  const std::string field(citizen_id_field);
  const auto suffix = field.rfind("citizen_id");
  if (suffix == std::string::npos || suffix + 10 != field.size()) return "name";
  return field.substr(0, suffix) + "name";
}

/// A typed name that differs from the registry's is refused, never replaced, and the refusal
/// does not say the registered name: the asker may be a clerk of another county who has no
/// business learning who holds this ID (issue 16). A registered name is corrected on its own.
void requireSameName(const std::string& registered, std::string_view typed,
                     const std::string& field) {
  if (registered == typed) return;
  throw sdk::ValidationError(field, "name-matches-registry",
                             "the name does not match the name registered for this citizen ID; "
                             "check the ID and the name against the identity card");
}

sdk::Person personFrom(const soci::row& row) {
  sdk::Person person{sdk::sql::int64At(row, 0),
                     sdk::sql::textAt(row, 1),
                     sdk::sql::textAt(row, 2),
                     *sdk::Date::parse(sdk::sql::textAt(row, 3)),
                     sdk::sql::textAt(row, 4) == "female" ? sdk::Sex::Female : sdk::Sex::Male,
                     std::nullopt};
  if (auto death = sdk::sql::optionalTextAt(row, 5)) person.death_date = sdk::Date::parse(*death);
  return person;
}

}  // namespace

SqlPersonsRegistry::SqlPersonsRegistry(const sdk::Clock& clock, sdk::Storage& storage)
    : clock_(clock),
      by_citizen_id_(storage, std::string("SELECT ") + kColumns +
                                  " FROM civ_persons WHERE citizen_id = :citizen_id"),
      by_id_(storage, std::string("SELECT ") + kColumns + " FROM civ_persons WHERE id = :id") {}

SqlPersonsRegistry::~SqlPersonsRegistry() = default;

std::optional<sdk::Person> SqlPersonsRegistry::findByCitizenId(soci::session& db,
                                                               std::string_view citizen_id) const {
  std::optional<sdk::Person> found;
  by_citizen_id_.forEach(db, {std::string(citizen_id)},
                         [&](const soci::row& row) { found = personFrom(row); });
  return found;
}

std::optional<sdk::Person> SqlPersonsRegistry::findById(soci::session& db, std::int64_t id) const {
  std::optional<sdk::Person> found;
  by_id_.forEach(db, {id}, [&](const soci::row& row) { found = personFrom(row); });
  return found;
}

sdk::Person SqlPersonsRegistry::ensureRegistered(soci::session& db, std::string_view citizen_id,
                                                 std::string_view name, std::string_view field) {
  const sdk::CitizenId id = sdk::CitizenId::parse(citizen_id, clock_.today(), field);
  if (name.empty() || name.size() > 200)
    throw sdk::ValidationError(nameField(field), "length",
                               "a person's name must have 1 to 200 bytes");
  if (auto existing = findByCitizenId(db, id.str())) {
    requireSameName(existing->name, name, nameField(field));
    return *existing;
  }
  const std::string name_text(name);
  const std::string birth = id.birthDate().toString();
  const std::string sex = id.sex() == sdk::Sex::Female ? "female" : "male";
  const std::string now = isoTimestamp(clock_.now());
  long long new_id = 0;
  // Two requests may register the same new person at once (on PostgreSQL both see no row):
  // the second insert waits for the first transaction and then does nothing, and the person
  // the first one registered is read back, instead of a unique-key failure reaching the caller.
  if (onPostgresql(db))
    db << "SELECT pg_advisory_xact_lock_shared(" << advisory_lock::kPersonsRegistration << ")";
  db << "INSERT INTO civ_persons (citizen_id, name, birth_date, sex, created_at, updated_at)"
        " VALUES (:citizen_id, :name, :birth_date, :sex, :created_at, :updated_at)"
        " ON CONFLICT (citizen_id) DO NOTHING RETURNING id",
      soci::use(id.str()), soci::use(name_text), soci::use(birth), soci::use(sex), soci::use(now),
      soci::use(now), soci::into(new_id);
  if (!db.got_data()) {
    if (auto registered = findByCitizenId(db, id.str())) return *registered;
    throw std::runtime_error("civ_persons: " + id.str() + " neither inserted nor found");
  }
  return sdk::Person{new_id, id.str(), name_text, id.birthDate(), id.sex(), std::nullopt};
}

namespace {

/// Reads the ids (and registered names) of `citizen_ids` (validated: digits and X only, so they are
/// safe to splice) in blocks, into `ids`.
void readIds(soci::session& db, const std::vector<std::string>& citizen_ids,
             std::unordered_map<std::string, std::int64_t>& ids,
             std::unordered_map<std::string, std::string>* names = nullptr) {
  constexpr std::size_t kBlock =
      2000;  // a statement per 2,000 persons: 122 for a county of 243,000
  for (std::size_t start = 0; start < citizen_ids.size(); start += kBlock) {
    std::string list;
    for (std::size_t i = start; i < std::min(start + kBlock, citizen_ids.size()); ++i)
      list += (list.empty() ? "'" : ",'") + citizen_ids[i] + "'";
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT citizen_id, id, name FROM civ_persons WHERE citizen_id IN (" + list +
                           ")");
    for (const auto& row : rows) {
      ids[sdk::sql::textAt(row, 0)] = sdk::sql::int64At(row, 1);
      if (names != nullptr) (*names)[sdk::sql::textAt(row, 0)] = sdk::sql::textAt(row, 2);
    }
  }
}

}  // namespace

std::vector<std::int64_t> SqlPersonsRegistry::ensureRegisteredMany(
    soci::session& db, const std::vector<std::pair<std::string, std::string>>& persons,
    std::string_view field_prefix) {
  const sdk::Date today = clock_.today();
  std::vector<sdk::CitizenId> parsed;
  parsed.reserve(persons.size());
  for (std::size_t i = 0; i < persons.size(); ++i) {
    const std::string field = std::string(field_prefix) + "[" + std::to_string(i) + "]";
    parsed.push_back(sdk::CitizenId::parse(persons[i].first, today, field + ".citizen_id"));
    if (persons[i].second.empty() || persons[i].second.size() > 200)
      throw sdk::ValidationError(field + ".name", "length",
                                 "a person's name must have 1 to 200 bytes");
  }
  std::vector<std::string> all;
  all.reserve(parsed.size());
  for (const auto& id : parsed) all.push_back(id.str());
  // The bulk insert cannot skip rows another transaction is inserting (COPY has no ON CONFLICT),
  // so on PostgreSQL bulk registrations take turns, and wait for single ones in flight, before
  // looking up who is new; SQLite's writers already take turns.
  if (onPostgresql(db))
    db << "SELECT pg_advisory_xact_lock(" << advisory_lock::kPersonsRegistration << ")";
  std::unordered_map<std::string, std::int64_t> ids;
  ids.reserve(all.size());
  std::unordered_map<std::string, std::string> registered_names;
  readIds(db, all, ids, &registered_names);
  // Every id this call inserts is above the largest id now (ids only grow), so the new rows are
  // read back in one range, not looked up again by citizen ID.
  long long largest_before = 0;
  db << "SELECT COALESCE(MAX(id), 0) FROM civ_persons", soci::into(largest_before);
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    auto known = registered_names.find(parsed[i].str());
    if (known != registered_names.end())
      requireSameName(known->second, persons[i].second,
                      std::string(field_prefix) + "[" + std::to_string(i) + "].name");
  }
  std::vector<std::string> added;
  {
    const std::string now = isoTimestamp(clock_.now());
    auto writer = makeBulkWriter(
        db, onPostgresql(db) ? sdk::Dialect::Postgresql : sdk::Dialect::Sqlite, "civ_persons",
        {"citizen_id", "name", "birth_date", "sex", "created_at", "updated_at"});
    for (std::size_t i = 0; i < parsed.size(); ++i) {
      const std::string& id = parsed[i].str();
      if (ids.contains(id)) continue;
      ids.emplace(id, 0);  // listed twice: inserted once
      added.push_back(id);
      writer->add({id, persons[i].second, parsed[i].birthDate().toString(),
                   std::string(parsed[i].sex() == sdk::Sex::Female ? "female" : "male"), now, now});
    }
    writer->finish();
  }
  if (!added.empty()) {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT citizen_id, id FROM civ_persons WHERE id > :largest",
         soci::use(largest_before));
    for (const auto& row : rows) {
      // Only this call's rows (0 so far); another transaction's (PostgreSQL) are left alone.
      auto found = ids.find(sdk::sql::textAt(row, 0));
      if (found != ids.end() && found->second == 0) found->second = sdk::sql::int64At(row, 1);
    }
    // Ids at or below the largest (a sequence set back, explicit ids inserted by hand): look
    // those up by citizen ID, never answer id 0.
    std::vector<std::string> unresolved;
    for (const auto& id : added)
      if (ids.at(id) == 0) unresolved.push_back(id);
    if (!unresolved.empty()) {
      for (const auto& id : unresolved) ids.erase(id);
      readIds(db, unresolved, ids);
    }
  }
  std::vector<std::int64_t> result;
  result.reserve(parsed.size());
  for (const auto& id : parsed) result.push_back(ids.at(id.str()));
  return result;
}

void SqlPersonsRegistry::markDeceased(soci::session& db, std::int64_t person_id,
                                      sdk::Date death_date) {
  auto person = findById(db, person_id);
  if (!person) throw sdk::NotFound("no person with id " + std::to_string(person_id));
  if (person->deceased())
    throw sdk::Conflict("person " + std::to_string(person_id) +
                        " is already recorded deceased on " + person->death_date->toString());
  checkDeathDate(*person, death_date);
  const std::string date = death_date.toString();
  const std::string now = isoTimestamp(clock_.now());
  const long long key = person_id;
  db << "UPDATE civ_persons SET death_date = :death_date, updated_at = :now WHERE id = :id",
      soci::use(date), soci::use(now), soci::use(key);
}

void SqlPersonsRegistry::checkDeathDate(const sdk::Person& person, sdk::Date death_date) const {
  if (death_date < person.birth_date)
    throw sdk::ValidationError("death_date", "after_birth",
                               "the death date " + death_date.toString() +
                                   " is before the birth date " + person.birth_date.toString());
  if (death_date > clock_.today())
    throw sdk::ValidationError("death_date", "not_future",
                               "the death date " + death_date.toString() + " is in the future");
}

void SqlPersonsRegistry::correctDeath(soci::session& db, std::int64_t person_id,
                                      std::optional<sdk::Date> death_date) {
  auto person = findById(db, person_id);
  if (!person) throw sdk::NotFound("no person with id " + std::to_string(person_id));
  if (!person->deceased())
    throw sdk::Conflict("person " + std::to_string(person_id) + " is not recorded deceased");
  if (death_date) checkDeathDate(*person, *death_date);
  std::string date = death_date ? death_date->toString() : "";
  soci::indicator present = death_date ? soci::i_ok : soci::i_null;
  const std::string now = isoTimestamp(clock_.now());
  const long long key = person_id;
  db << "UPDATE civ_persons SET death_date = :death_date, updated_at = :now WHERE id = :id",
      soci::use(date, present), soci::use(now), soci::use(key);
}

}  // namespace civ::host
