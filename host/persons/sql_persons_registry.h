// The persons registry over the host table civ_persons.
#pragma once

#include <vector>

#include <civ/sdk/clock.h>
#include <civ/sdk/kept_query.h>
#include <civ/sdk/persons.h>

namespace civ::host {

/// Lookups are KeptQuery statements, prepared once per pooled session: they are on every
/// request path that names a person.
class SqlPersonsRegistry : public sdk::PersonsRegistry {
 public:
  /// `storage` is the pool's; it must outlive the registry.
  SqlPersonsRegistry(const sdk::Clock& clock, sdk::Storage& storage);
  ~SqlPersonsRegistry() override;

  // sdk::PersonsRegistry
  std::optional<sdk::Person> findByCitizenId(soci::session& db,
                                             std::string_view citizen_id) const override;
  std::optional<sdk::Person> findById(soci::session& db, std::int64_t id) const override;
  sdk::Person ensureRegistered(soci::session& db, std::string_view citizen_id,
                               std::string_view name, std::string_view field) override;
  std::vector<std::int64_t> ensureRegisteredMany(
      soci::session& db, const std::vector<std::pair<std::string, std::string>>& persons,
      std::string_view field_prefix) override;
  void markDeceased(soci::session& db, std::int64_t person_id, sdk::Date death_date) override;
  void correctDeath(soci::session& db, std::int64_t person_id,
                    std::optional<sdk::Date> death_date) override;

 private:
  void checkDeathDate(const sdk::Person& person, sdk::Date death_date) const;

  const sdk::Clock& clock_;
  // Running a kept query changes only its per-session statement, not what the registry is.
  mutable sdk::KeptQuery by_citizen_id_;
  mutable sdk::KeptQuery by_id_;
};

}  // namespace civ::host
