#include "host/config/policy_validation.h"

namespace civ::host {

ConfigProblems applyConfiguredPolicy(const Config& config, PolicyStore& store,
                                     const std::set<std::string>& loaded_plugins) {
  ConfigProblems problems;
  for (const auto& configured : config.policy_values) {
    const std::string plugin = configured.full_key.substr(0, configured.full_key.find('.'));
    if (loaded_plugins.count(plugin) == 0) continue;
    auto declaration = store.declaration(configured.full_key);
    if (!declaration) {
      std::string known;
      for (const auto& key : store.keys())
        if (key.starts_with(plugin + ".")) known += (known.empty() ? "" : ", ") + key;
      problems.push_back({configured.file, configured.key_path,
                          "plugin " + plugin + " declares no parameter '" +
                              configured.full_key.substr(plugin.size() + 1) +
                              "'; declared: " + (known.empty() ? "none" : known)});
      continue;
    }
    auto check = sdk::checkParameterValue(*declaration, configured.value);
    if (!check.canonical) {
      problems.push_back({configured.file, configured.key_path, check.problem});
      continue;
    }
    if (auto problem = sdk::checkParameterLevel(*declaration, configured.level)) {
      problems.push_back({configured.file, configured.key_path, *problem});
      continue;
    }
    bool duplicate = false;
    for (const auto& existing : store.history(configured.full_key))
      duplicate = duplicate || (existing.level == configured.level &&
                                existing.effective_from == configured.effective_from);
    if (duplicate) {
      problems.push_back({configured.file, configured.key_path,
                          "a second value for level " + configured.level + " effective " +
                              configured.effective_from.toString() + "; keep one"});
      continue;
    }
    store.addValue(configured.full_key, PolicyValue{configured.level, configured.effective_from,
                                                    *check.canonical, configured.file});
  }
  return problems;
}

}  // namespace civ::host
