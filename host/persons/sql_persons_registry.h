// The persons registry over the host table civ_persons.
#pragma once

#include <civ/sdk/clock.h>
#include <civ/sdk/persons.h>

namespace civ::host {

class SqlPersonsRegistry : public sdk::PersonsRegistry {
 public:
  explicit SqlPersonsRegistry(const sdk::Clock& clock) : clock_(clock) {}

  // sdk::PersonsRegistry
  std::optional<sdk::Person> findByCitizenId(soci::session& db,
                                             std::string_view citizen_id) const override;
  std::optional<sdk::Person> findById(soci::session& db, std::int64_t id) const override;
  sdk::Person ensureRegistered(soci::session& db, std::string_view citizen_id,
                               std::string_view name, std::string_view field) override;
  void markDeceased(soci::session& db, std::int64_t person_id, sdk::Date death_date) override;

 private:
  const sdk::Clock& clock_;
};

}  // namespace civ::host
