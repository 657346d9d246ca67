#include "host/coverage/coverage_hub.h"

#include <algorithm>

namespace civ::host {

void CoverageHub::setCountyModules(const std::string& county, std::set<std::string> modules) {
  std::lock_guard lock(mutex_);
  county_modules_[county] = std::move(modules);
}

void CoverageHub::provide(const std::string& plugin_id, std::vector<std::string> programs,
                          sdk::CoverageProvider provider, std::shared_ptr<const void> library_pin) {
  auto entry = std::make_shared<const Provider>(
      Provider{plugin_id, std::move(programs), std::move(provider), std::move(library_pin)});
  std::lock_guard lock(mutex_);
  providers_.push_back(std::move(entry));
}

void CoverageHub::removePlugin(const std::string& plugin_id) {
  std::lock_guard lock(mutex_);
  std::erase_if(providers_, [&](const auto& entry) { return entry->plugin_id == plugin_id; });
}

bool CoverageHub::enables(std::string_view county, const std::string& plugin_id) const {
  std::lock_guard lock(mutex_);
  return enabled(county, plugin_id);
}

bool CoverageHub::enabled(std::string_view county, const std::string& plugin_id) const {
  const auto found = county_modules_.find(county);
  return found == county_modules_.end() || found->second.contains(plugin_id);
}

sdk::CoverageAnswer CoverageHub::coverageOn(soci::session& db, std::string_view county,
                                            std::int64_t person_id, sdk::Date on) const {
  std::vector<std::shared_ptr<const Provider>> asked;
  {
    std::lock_guard lock(mutex_);
    for (const auto& entry : providers_)
      if (enabled(county, entry->plugin_id)) asked.push_back(entry);
  }
  // Providers run outside the lock: they read the database.
  sdk::CoverageAnswer answer;
  for (const auto& entry : asked) {
    for (const auto& program : entry->programs) answer.answered_programs.push_back(program);
    for (auto& coverage : entry->answer(db, county, person_id, on)) {
      coverage.module = entry->plugin_id;
      answer.covered.push_back(std::move(coverage));
    }
  }
  return answer;
}

}  // namespace civ::host
