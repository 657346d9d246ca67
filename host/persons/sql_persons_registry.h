// The persons registry over the host table civ_persons.
#pragma once

#include <memory>
#include <vector>

#include <civ/sdk/clock.h>
#include <civ/sdk/persons.h>

namespace civ::host {

class Database;

/// Lookups run on statements prepared once per pooled session (they are on every request path
/// that names a person); a session from elsewhere gets a one-off statement.
class SqlPersonsRegistry : public sdk::PersonsRegistry {
 public:
  /// `database` (may be null) is the pool whose sessions get kept statements; it must outlive
  /// the registry.
  SqlPersonsRegistry(const sdk::Clock& clock, Database* database);
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
  struct KeptStatements;
  std::optional<sdk::Person> lookup(soci::session& db, const std::string* citizen_id,
                                    const std::int64_t* id) const;

  const sdk::Clock& clock_;
  Database* database_;
  /// One slot per pooled session; a slot is only touched by the thread that leased its session.
  std::vector<std::unique_ptr<KeptStatements>> kept_;
};

}  // namespace civ::host
