#include "host/policy/policy_store.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include <civ/sdk/error.h>

namespace civ::host {

namespace {
// History order: province, prefecture, county; oldest first within a level.
void orderByLevelAndDate(std::vector<PolicyValue>& values) {
  std::stable_sort(values.begin(), values.end(), [](const PolicyValue& a, const PolicyValue& b) {
    return a.level.size() != b.level.size() ? a.level.size() < b.level.size()
                                            : a.effective_from < b.effective_from;
  });
}
}  // namespace

void PolicyStore::declare(std::string_view plugin_id,
                          const sdk::ParameterDeclaration& declaration) {
  const std::string full_key = std::string(plugin_id) + "." + declaration.key;
  // The default in canonical form, on every path (civhost, check-config, the fake Context).
  const auto check = sdk::checkParameterValue(declaration, declaration.default_value);
  if (!check.canonical)
    throw std::invalid_argument("parameter " + declaration.key + ": default " + check.problem);
  sdk::ParameterDeclaration canonical = declaration;
  canonical.default_value = *check.canonical;
  sdk::ParameterValue parsed = sdk::parseParameterValue(canonical.type, canonical.default_value);
  std::unique_lock lock(mutex_);
  // Values added before the declaration (or under an earlier one) are parsed again; all or
  // nothing, so a value the new declaration refuses leaves the store as it was.
  std::vector<PolicyValue> reparsed;
  if (auto it = values_.find(full_key); it != values_.end()) {
    reparsed = it->second;
    for (auto& value : reparsed) {
      if (!sdk::checkParameterValue(canonical, value.value).canonical)
        throw std::invalid_argument("parameter " + declaration.key + ": the value " + value.value +
                                    " from " + value.source + " no longer fits its declaration");
      value.parsed = sdk::parseParameterValue(canonical.type, value.value);
    }
    it->second = std::move(reparsed);
  }
  declarations_[full_key] = std::move(canonical);
  defaults_[full_key] = std::move(parsed);
}

std::optional<sdk::ParameterDeclaration> PolicyStore::declaration(std::string_view full_key) const {
  std::shared_lock lock(mutex_);
  auto it = declarations_.find(full_key);
  if (it == declarations_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> PolicyStore::keys() const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> keys;
  for (const auto& [key, declaration] : declarations_) keys.push_back(key);
  return keys;
}

void PolicyStore::addValue(std::string_view full_key, PolicyValue value) {
  std::unique_lock lock(mutex_);
  parse(full_key, value);
  auto& values = values_[std::string(full_key)];
  values.push_back(std::move(value));
  orderByLevelAndDate(values);
}

std::vector<std::string> PolicyStore::replaceApiValues(
    const std::vector<std::pair<std::string, PolicyValue>>& values) {
  std::unique_lock lock(mutex_);
  // Check and parse every new value before anything is replaced: a stored value that no longer
  // fits its declaration (a module upgraded its type or bounds) is left out and reported, and
  // never costs the other values.
  std::vector<std::pair<std::string, PolicyValue>> accepted;
  std::vector<std::string> problems;
  for (const auto& [key, value] : values) {
    auto declared = declarations_.find(key);
    if (declared != declarations_.end()) {
      const auto check = sdk::checkParameterValue(declared->second, value.value);
      const auto level_problem = sdk::checkParameterLevel(declared->second, value.level);
      if (!check.canonical || level_problem) {
        problems.push_back(key + " = " + value.value + " at " + value.level + " (" + value.source +
                           "): " + (check.canonical ? *level_problem : check.problem));
        continue;
      }
    }
    accepted.emplace_back(key, value);
    if (declared != declarations_.end())
      accepted.back().second.parsed = sdk::parseParameterValue(declared->second.type, value.value);
  }
  for (auto& [key, list] : values_)
    std::erase_if(list, [](const PolicyValue& v) { return v.from_api; });
  for (auto& [key, value] : accepted) {
    auto& list = values_[key];
    list.push_back(std::move(value));
    orderByLevelAndDate(list);
  }
  return problems;
}

std::vector<PolicyValue> PolicyStore::history(std::string_view full_key) const {
  std::shared_lock lock(mutex_);
  auto it = values_.find(full_key);
  return it == values_.end() ? std::vector<PolicyValue>{} : it->second;
}

std::optional<PolicyValue> PolicyStore::resolve(std::string_view county, std::string_view full_key,
                                                sdk::Date as_of) const {
  std::shared_lock lock(mutex_);
  auto it = values_.find(full_key);
  if (it == values_.end()) return std::nullopt;
  // Most specific first: county (6), prefecture (4), province (2).
  for (std::size_t length : {std::size_t{6}, std::size_t{4}, std::size_t{2}}) {
    if (county.size() < length) continue;
    const std::string_view prefix = county.substr(0, length);
    const PolicyValue* best = nullptr;
    for (const auto& value : it->second) {
      if (value.level != prefix || value.effective_from > as_of) continue;
      if (best == nullptr || value.effective_from > best->effective_from ||
          (value.effective_from == best->effective_from && value.from_api))
        best = &value;
    }
    if (best != nullptr) return *best;
  }
  return std::nullopt;
}

std::optional<std::string> PolicyStore::valueInForce(std::string_view county,
                                                     std::string_view full_key,
                                                     sdk::Date as_of) const {
  if (auto value = resolve(county, full_key, as_of)) return value->value;
  auto declared = declaration(full_key);
  if (!declared) return std::nullopt;
  return declared->default_value;
}

void PolicyStore::parse(std::string_view full_key, PolicyValue& value) const {
  if (auto it = declarations_.find(full_key); it != declarations_.end())
    value.parsed = sdk::parseParameterValue(it->second.type, value.value);
}

sdk::ParameterValue PolicyStore::typedValueInForce(std::string_view county,
                                                   std::string_view full_key,
                                                   sdk::ParameterType type, sdk::Date as_of) const {
  {
    std::shared_lock lock(mutex_);
    auto it = declarations_.find(full_key);
    if (it == declarations_.end())
      throw std::logic_error("policy parameter '" + std::string(full_key) + "' is not declared");
    if (it->second.type != type)
      throw std::logic_error("policy parameter '" + std::string(full_key) + "' is declared " +
                             std::string(sdk::toString(it->second.type)) + " but read as " +
                             std::string(sdk::toString(type)));
  }
  if (auto value = resolve(county, full_key, as_of)) return value->parsed;
  std::shared_lock lock(mutex_);
  return defaults_.find(full_key)->second;
}

sdk::ParameterValue PluginPolicyReader::typedValue(std::string_view county, std::string_view key,
                                                   sdk::ParameterType type, sdk::Date as_of) const {
  return store_.typedValueInForce(county, plugin_id_ + "." + std::string(key), type, as_of);
}

std::string PluginPolicyReader::value(std::string_view county, std::string_view key,
                                      sdk::Date as_of) const {
  const std::string full_key = plugin_id_ + "." + std::string(key);
  auto value = store_.valueInForce(county, full_key, as_of);
  if (!value)
    throw std::logic_error("policy parameter '" + std::string(key) +
                           "' is not declared by plugin " + plugin_id_ +
                           "; declare it in the plugin's declare()");
  return *value;
}

}  // namespace civ::host
