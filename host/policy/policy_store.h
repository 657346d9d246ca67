// Every declared policy parameter and every configured value, with resolution by county and
// date. Keys are "<plugin>.<key>".
#pragma once

#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include <civ/sdk/date.h>
#include <civ/sdk/policy.h>

namespace civ::host {

/// One value at one level from one date on.
struct PolicyValue {
  std::string level;  ///< region prefix: "61" province, "6109" prefecture, "610902" county
  sdk::Date effective_from;
  std::string value;   ///< canonical text
  std::string source;  ///< where it came from, e.g. "config/policy/61.yaml"
  /// Set through the admin API: on the same level and date it outranks a configured value.
  bool from_api = false;
  /// `value` parsed by the declared type when it is added (reads never parse).
  sdk::ParameterValue parsed = std::int64_t{0};
};

/// Thread-safe: read by request threads, written at start-up (and by the admin API later).
class PolicyStore {
 public:
  /// Declares a plugin's parameter (its default made canonical); a second declaration of the
  /// same key replaces the first. Throws std::invalid_argument, changing nothing, for a default
  /// or an already added value that breaks the declaration.
  void declare(std::string_view plugin_id, const sdk::ParameterDeclaration& declaration);
  /// The declaration of "<plugin>.<key>", if any.
  std::optional<sdk::ParameterDeclaration> declaration(std::string_view full_key) const;
  /// Every declared full key, sorted.
  std::vector<std::string> keys() const;

  /// Adds a value; it must already be canonical (see sdk::checkParameterValue).
  void addValue(std::string_view full_key, PolicyValue value);
  /// Values of a key, oldest first per level.
  std::vector<PolicyValue> history(std::string_view full_key) const;
  /// Replaces every admin-API value by `values` (keyed by full key), e.g. after a reload
  /// from the database.
  /// Values that no longer fit their declaration are left out and returned as problems.
  std::vector<std::string> replaceApiValues(
      const std::vector<std::pair<std::string, PolicyValue>>& values);

  /// The value in force: the most specific level (county, prefecture, province) that has a
  /// value effective on or before `as_of`, its latest such value; else nullopt (use the
  /// default). `county` must be a six-digit code.
  std::optional<PolicyValue> resolve(std::string_view county, std::string_view full_key,
                                     sdk::Date as_of) const;
  /// resolve() or the declared default; nullopt only for an undeclared key.
  std::optional<std::string> valueInForce(std::string_view county, std::string_view full_key,
                                          sdk::Date as_of) const;
  /// The parsed value in force (or the parsed default). Throws std::logic_error for an
  /// undeclared key or one declared with another type.
  sdk::ParameterValue typedValueInForce(std::string_view county, std::string_view full_key,
                                        sdk::ParameterType type, sdk::Date as_of) const;

 private:
  /// Sets value.parsed from the declared type; the caller holds the lock.
  void parse(std::string_view full_key, PolicyValue& value) const;

  mutable std::shared_mutex mutex_;
  std::map<std::string, sdk::ParameterDeclaration, std::less<>> declarations_;
  std::map<std::string, sdk::ParameterValue, std::less<>> defaults_;
  std::map<std::string, std::vector<PolicyValue>, std::less<>> values_;
};

/// A plugin's view: sdk::PolicyReader for the plugin's own keys.
class PluginPolicyReader : public sdk::PolicyReader {
 public:
  PluginPolicyReader(const PolicyStore& store, std::string plugin_id)
      : store_(store), plugin_id_(std::move(plugin_id)) {}

  // sdk::PolicyReader
  std::string value(std::string_view county, std::string_view key, sdk::Date as_of) const override;
  sdk::ParameterValue typedValue(std::string_view county, std::string_view key,
                                 sdk::ParameterType type, sdk::Date as_of) const override;

 private:
  const PolicyStore& store_;
  std::string plugin_id_;
};

}  // namespace civ::host
