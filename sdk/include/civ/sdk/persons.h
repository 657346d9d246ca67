// The persons registry: one row per person, keyed by the citizen ID, shared by every module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <civ/sdk/abi.h>
#include <civ/sdk/citizen_id.h>
#include <civ/sdk/date.h>

namespace soci {
class session;
}

namespace civ::sdk {

struct Person {
  std::int64_t id = 0;
  std::string citizen_id;  ///< full number; mask it (CitizenId::mask) before logging
  std::string name;
  Date birth_date;
  Sex sex = Sex::Male;
  std::optional<Date> death_date;  ///< set when the person is registered deceased

  bool deceased() const { return death_date.has_value(); }
};

/// Host-owned registry. Every call takes the caller's session so it joins the request's
/// transaction: a registration rolled back with the request leaves no person behind.
///
/// OWNERSHIP: the registry outlives every plugin; `db` is only used during the call.
class CIV_SDK_API PersonsRegistry {
 public:
  virtual ~PersonsRegistry();

  virtual std::optional<Person> findByCitizenId(soci::session& db,
                                                std::string_view citizen_id) const = 0;
  virtual std::optional<Person> findById(soci::session& db, std::int64_t id) const = 0;
  /// Returns the registered person, registering them first if the ID is new. The ID is
  /// validated (ValidationError on field `field`); birth date and sex are derived from it.
  /// A known ID whose registered name differs from `name` is a ValidationError (422, rule
  /// "name-matches-registry", on the name field beside `field`) that does not reveal the
  /// registered name: a typed name is never silently replaced by another county's record.
  virtual Person ensureRegistered(soci::session& db, std::string_view citizen_id,
                                  std::string_view name, std::string_view field = "citizen_id") = 0;
  /// ensureRegistered for many persons at once (an import): one read per block of IDs and one
  /// bulk insert of the new ones instead of two statements per person. Returns the ids in the
  /// order given; an ID listed twice gets the same id. ValidationError on the first invalid ID
  /// or name, naming `field_prefix` and the index ("rows[3]" style is the caller's business).
  /// Uses a bulk writer: run nothing else on `db` meanwhile (see BulkWriter).
  virtual std::vector<std::int64_t> ensureRegisteredMany(
      soci::session& db,
      const std::vector<std::pair<std::string, std::string>>& citizen_ids_and_names,
      std::string_view field_prefix = "persons") = 0;
  /// Records the death. ValidationError when the date is before birth or in the future;
  /// Conflict when the person is already recorded deceased; NotFound for an unknown id.
  virtual void markDeceased(soci::session& db, std::int64_t person_id, Date death_date) = 0;
  /// Corrects a recorded death: a new date (checked as in markDeceased), or nullopt when the
  /// death was recorded for the wrong person, who is alive. Conflict when the person is not
  /// recorded deceased. Only the module that recorded the death should call this, and it
  /// publishes "person.death_corrected" so others can follow.
  virtual void correctDeath(soci::session& db, std::int64_t person_id,
                            std::optional<Date> death_date) = 0;
};

}  // namespace civ::sdk
