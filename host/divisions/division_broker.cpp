#include "host/divisions/division_broker.h"

#include "host/coverage/coverage_hub.h"

namespace civ::host {

void DivisionBroker::offer(const std::string& plugin_id, const sdk::Divisions* provider,
                           std::shared_ptr<const void> library_pin) {
  if (provider == nullptr) return;
  std::lock_guard lock(mutex_);
  if (provider_) return;
  provider_ =
      std::make_shared<const Provider>(Provider{plugin_id, provider, std::move(library_pin)});
}

void DivisionBroker::removePlugin(const std::string& plugin_id) {
  std::lock_guard lock(mutex_);
  if (provider_ && provider_->plugin_id == plugin_id) provider_.reset();
}

std::vector<sdk::CurrentDivision> DivisionBroker::currentOf(soci::session& db,
                                                            const std::string& county,
                                                            const std::string& recorded,
                                                            sdk::Date on) const {
  std::shared_ptr<const Provider> provider;  // keeps the module's code mapped during the call
  {
    std::lock_guard lock(mutex_);
    provider = provider_;
  }
  if (!provider || !counties_.enables(county, provider->plugin_id)) return {};
  return provider->divisions->currentOf(db, county, recorded, on);
}

}  // namespace civ::host
