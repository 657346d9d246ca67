// The host's sdk::Divisions (SDK 1.4): forwards to the module that keeps the divisions'
// history (place_names implements sdk::Divisions through Plugin::capability), for the counties
// that enable it. Every module and the host's own reports ask the broker, never the module, so
// a module that asks need not know which module answers, and gets "not known" (an empty answer)
// when none does.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <civ/sdk/divisions.h>

namespace civ::host {

class CoverageHub;

/// Thread-safe: a provider is offered while plugins start and withdrawn when it stops or fails;
/// requests ask in between.
class DivisionBroker final : public sdk::Divisions {
 public:
  /// `counties` says which counties enable which module.
  explicit DivisionBroker(const CoverageHub& counties) : counties_(counties) {}

  /// The first started plugin that implements sdk::Divisions answers; later ones are ignored.
  void offer(const std::string& plugin_id, const sdk::Divisions* provider,
             std::shared_ptr<const void> library_pin);
  /// Withdraws the plugin's provider (it failed or stopped).
  void removePlugin(const std::string& plugin_id);

  /// Empty when no provider runs or the county does not enable it.
  std::vector<sdk::CurrentDivision> currentOf(soci::session& db, const std::string& county,
                                              const std::string& recorded,
                                              sdk::Date on) const override;

 private:
  struct Provider {
    std::string plugin_id;
    const sdk::Divisions* divisions = nullptr;
    std::shared_ptr<const void> library_pin;
  };
  const CoverageHub& counties_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Provider> provider_;
};

}  // namespace civ::host
