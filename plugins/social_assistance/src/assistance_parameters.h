// Declares the policy parameters social assistance reads (parameters.h; rules.md §1.11:
// standards from the province or prefecture, local rules from the county), and reads them for
// one county and month.
#pragma once

#include <any>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include <civ/sdk/declarations.h>
#include <civ/sdk/policy.h>

#include "benefit_formula.h"
#include "parameters.h"

namespace civ::plugins::social_assistance {

/// Hands every constant of parameters.h to the host (Plugin::declare).
void declareParameters(sdk::Declarations& declarations);

/// Reads the parameters in force on `as_of` (the first day of the month being computed).
/// Each value is read from the host once per object and remembered: a run assesses a county's
/// 200,000 households against the same dozen values. Not shared between threads (one request
/// or run each).
class AssistancePolicy {
 public:
  AssistancePolicy(const sdk::PolicyReader& reader, std::string county, sdk::Date as_of)
      : reader_(reader), county_(std::move(county)), as_of_(as_of) {}

  /// Monthly 低保 standard per person: urban as set, rural per year / 12 (to the fen, half up)
  /// unless the county sets the rural standard per month.
  sdk::Money dibaoStandard(const std::string& category) const;
  DibaoPolicy dibao(const std::string& category) const;
  TekunPolicy tekun() const;
  int incomePeriodMonths() const;
  sdk::Money disabilityLiving() const;
  sdk::Money disabilityCare() const;
  sdk::Money temporaryTownshipLimit() const;
  sdk::Money temporaryCap() const;  ///< cap_months × the urban standard
  sdk::Ratio medicalRatio(const std::string& category) const;
  sdk::Money medicalAnnualCap(const std::string& category) const;
  /// The value of a constant of parameters.h in force for this county on `as_of`.
  template <sdk::ParameterType kType>
  typename sdk::Parameter<kType>::Value get(const sdk::Parameter<kType>& parameter) const {
    using Value = typename sdk::Parameter<kType>::Value;
    const auto found = read_.find(parameter.key);
    if (found != read_.end()) return std::any_cast<Value>(found->second);
    Value value = reader_.get(parameter, county_, as_of_);
    read_.emplace(parameter.key, value);
    return value;
  }

 private:
  const sdk::PolicyReader& reader_;
  std::string county_;
  sdk::Date as_of_;
  mutable std::map<std::string_view, std::any> read_;  ///< by the parameter's key
  mutable std::map<std::string, DibaoPolicy> dibao_;   ///< by household category
};

}  // namespace civ::plugins::social_assistance
