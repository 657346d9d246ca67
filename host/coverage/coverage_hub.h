// The host's program-coverage directory: which module answers for which programs, and which
// modules each county enables, so an asker is told which programs nobody here can answer for.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <civ/sdk/coverage.h>

namespace civ::host {

/// Thread-safe: providers register while plugins start; requests ask afterwards.
class CoverageHub {
 public:
  /// The modules a county enables (from the configuration). A county never set here is
  /// treated as enabling every module, as the fake Context does.
  void setCountyModules(const std::string& county, std::set<std::string> modules);
  void provide(const std::string& plugin_id, std::vector<std::string> programs,
               sdk::CoverageProvider provider, std::shared_ptr<const void> library_pin);
  /// Drops a plugin's provider (it failed or stopped).
  void removePlugin(const std::string& plugin_id);
  sdk::CoverageAnswer coverageOn(soci::session& db, std::string_view county, std::int64_t person_id,
                                 sdk::Date on) const;
  /// Whether `county` enables the module `plugin_id`.
  bool enables(std::string_view county, const std::string& plugin_id) const;

 private:
  struct Provider {
    std::string plugin_id;
    std::vector<std::string> programs;
    sdk::CoverageProvider answer;
    std::shared_ptr<const void> library_pin;
  };
  bool enabled(std::string_view county, const std::string& plugin_id) const;

  mutable std::mutex mutex_;
  std::map<std::string, std::set<std::string>, std::less<>> county_modules_;
  std::vector<std::shared_ptr<const Provider>> providers_;
};

/// The sdk::CoverageDirectory of one plugin.
class PluginCoverageDirectory : public sdk::CoverageDirectory {
 public:
  PluginCoverageDirectory(CoverageHub& hub, std::string plugin_id,
                          std::shared_ptr<const void> library_pin)
      : hub_(hub), plugin_id_(std::move(plugin_id)), library_pin_(std::move(library_pin)) {}

  void provide(std::vector<std::string> programs, sdk::CoverageProvider provider) override {
    hub_.provide(plugin_id_, std::move(programs), std::move(provider), library_pin_);
  }
  sdk::CoverageAnswer coverageOn(soci::session& db, std::string_view county, std::int64_t person_id,
                                 sdk::Date on) const override {
    return hub_.coverageOn(db, county, person_id, on);
  }

 private:
  CoverageHub& hub_;
  std::string plugin_id_;
  std::shared_ptr<const void> library_pin_;
};

}  // namespace civ::host
