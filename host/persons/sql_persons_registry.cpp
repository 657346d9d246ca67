#include "host/persons/sql_persons_registry.h"

#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/sql.h>

#include "host/common/timestamp.h"

namespace civ::host {

namespace {

constexpr const char* kColumns = "id, citizen_id, name, birth_date, sex, death_date";

std::optional<sdk::Person> readPerson(soci::rowset<soci::row>& rows) {
  for (const soci::row& row : rows) {
    sdk::Person person;
    person.id = sdk::sql::int64At(row, 0);
    person.citizen_id = sdk::sql::textAt(row, 1);
    person.name = sdk::sql::textAt(row, 2);
    person.birth_date = *sdk::Date::parse(sdk::sql::textAt(row, 3));
    person.sex = sdk::sql::textAt(row, 4) == "female" ? sdk::Sex::Female : sdk::Sex::Male;
    if (auto death = sdk::sql::optionalTextAt(row, 5)) person.death_date = sdk::Date::parse(*death);
    return person;
  }
  return std::nullopt;
}

}  // namespace

std::optional<sdk::Person> SqlPersonsRegistry::findByCitizenId(soci::session& db,
                                                               std::string_view citizen_id) const {
  const std::string id_text(citizen_id);
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT " << kColumns << " FROM civ_persons WHERE citizen_id = :citizen_id",
       soci::use(id_text));
  return readPerson(rows);
}

std::optional<sdk::Person> SqlPersonsRegistry::findById(soci::session& db, std::int64_t id) const {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT " << kColumns << " FROM civ_persons WHERE id = :id", soci::use(key));
  return readPerson(rows);
}

sdk::Person SqlPersonsRegistry::ensureRegistered(soci::session& db, std::string_view citizen_id,
                                                 std::string_view name, std::string_view field) {
  const sdk::CitizenId id = sdk::CitizenId::parse(citizen_id, clock_.today(), field);
  if (auto existing = findByCitizenId(db, id.str())) return *existing;
  if (name.empty() || name.size() > 200)
    throw sdk::ValidationError("name", "length", "a person's name must have 1 to 200 bytes");
  const std::string name_text(name);
  const std::string birth = id.birthDate().toString();
  const std::string sex = id.sex() == sdk::Sex::Female ? "female" : "male";
  const std::string now = isoTimestamp(clock_.now());
  long long new_id = 0;
  db << "INSERT INTO civ_persons (citizen_id, name, birth_date, sex, created_at, updated_at)"
        " VALUES (:citizen_id, :name, :birth_date, :sex, :created_at, :updated_at) RETURNING id",
      soci::use(id.str()), soci::use(name_text), soci::use(birth), soci::use(sex), soci::use(now),
      soci::use(now), soci::into(new_id);
  return sdk::Person{new_id, id.str(), name_text, id.birthDate(), id.sex(), std::nullopt};
}

void SqlPersonsRegistry::markDeceased(soci::session& db, std::int64_t person_id,
                                      sdk::Date death_date) {
  auto person = findById(db, person_id);
  if (!person) throw sdk::NotFound("no person with id " + std::to_string(person_id));
  if (person->deceased())
    throw sdk::Conflict("person " + std::to_string(person_id) + " is already recorded deceased on " +
                        person->death_date->toString());
  if (death_date < person->birth_date)
    throw sdk::ValidationError("death_date", "after_birth",
                               "the death date " + death_date.toString() +
                                   " is before the birth date " + person->birth_date.toString());
  if (death_date > clock_.today())
    throw sdk::ValidationError("death_date", "not_future",
                               "the death date " + death_date.toString() + " is in the future");
  const std::string date = death_date.toString();
  const std::string now = isoTimestamp(clock_.now());
  const long long key = person_id;
  db << "UPDATE civ_persons SET death_date = :death_date, updated_at = :now WHERE id = :id",
      soci::use(date), soci::use(now), soci::use(key);
}

}  // namespace civ::host
