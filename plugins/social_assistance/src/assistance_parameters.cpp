#include "assistance_parameters.h"

#include <stdexcept>

namespace civ::plugins::social_assistance {

void declareParameters(sdk::Declarations& declarations) {
  declarations.parameter(kDibaoStandardUrban);
  declarations.parameter(kDibaoStandardRural);
  declarations.parameter(kDibaoStandardRuralUnit);
  declarations.parameter(kDibaoRounding);
  declarations.parameter(kDibaoMinimumPerPerson);
  declarations.parameter(kDibaoAddonElderly);
  declarations.parameter(kDibaoAddonSevereDisability);
  declarations.parameter(kDibaoAddonSeriousIllness);
  declarations.parameter(kDibaoAddonChild);
  declarations.parameter(kDibaoAddonElderlyAge);
  declarations.parameter(kDibaoAddonChildAge);
  declarations.parameter(kDibaoIncomePeriodMonths);
  declarations.parameter(kDibaoPropertyFinancialMonths);
  declarations.parameter(kDibaoPropertyMaxHomes);
  declarations.parameter(kDibaoPropertyMaxVehicles);
  declarations.parameter(kDibaoPhaseOutMonths);
  declarations.parameter(kDibaoEdgeRatio);
  declarations.parameter(kTekunBasicConcentrated);
  declarations.parameter(kTekunBasicDispersed);
  declarations.parameter(kTekunCareSelfCaring);
  declarations.parameter(kTekunCarePartlyUnable);
  declarations.parameter(kTekunCareFullyUnable);
  declarations.parameter(kTekunRecheckRatio);
  declarations.parameter(kTemporaryTownshipLimit);
  declarations.parameter(kTemporaryCapMonths);
  declarations.parameter(kMedicalRatioTekun);
  declarations.parameter(kMedicalRatioDibao);
  declarations.parameter(kMedicalRatioDibaoEdge);
  declarations.parameter(kMedicalCapTekun);
  declarations.parameter(kMedicalCapDibao);
  declarations.parameter(kMedicalCapDibaoEdge);
  declarations.parameter(kDisabilityLivingAmount);
  declarations.parameter(kDisabilityCareAmount);
  declarations.parameter(kNoticeDays);
  declarations.parameter(kNoticeWorkingDays);
  declarations.parameter(kLimitsInvestigationStart);
  declarations.parameter(kLimitsCountyDecision);
  declarations.parameter(kLimitsOverall);
  declarations.parameter(kLimitsOverallExtended);
  declarations.parameter(kLimitsTekunLevel);
  declarations.parameter(kReviewStableMonths);
  declarations.parameter(kReviewUnstableMonths);
}

sdk::Money AssistancePolicy::dibaoStandard(const std::string& category) const {
  if (category == "urban") return get(kDibaoStandardUrban);
  const sdk::Money rural = get(kDibaoStandardRural);
  if (get(kDibaoStandardRuralUnit) == "month") return rural;
  return rural.dividedBy(12, sdk::Rounding::HalfUp);
}

DibaoPolicy AssistancePolicy::dibao(const std::string& category) const {
  const auto found = dibao_.find(category);
  if (found != dibao_.end()) return found->second;
  DibaoPolicy policy;
  policy.standard = dibaoStandard(category);
  policy.rounding = parseAmountRounding(get(kDibaoRounding)).value_or(AmountRounding::Fen);
  policy.minimum_per_person = get(kDibaoMinimumPerPerson);
  policy.elderly_addon = get(kDibaoAddonElderly);
  policy.severe_disability_addon = get(kDibaoAddonSevereDisability);
  policy.serious_illness_addon = get(kDibaoAddonSeriousIllness);
  policy.child_addon = get(kDibaoAddonChild);
  policy.elderly_age = static_cast<int>(get(kDibaoAddonElderlyAge));
  policy.child_age = static_cast<int>(get(kDibaoAddonChildAge));
  policy.edge_ratio = get(kDibaoEdgeRatio);
  dibao_.emplace(category, policy);
  return policy;
}

TekunPolicy AssistancePolicy::tekun() const {
  TekunPolicy policy;
  policy.basic_concentrated_per_year = get(kTekunBasicConcentrated);
  policy.basic_dispersed_per_year = get(kTekunBasicDispersed);
  policy.care_self_caring = get(kTekunCareSelfCaring);
  policy.care_partly_unable = get(kTekunCarePartlyUnable);
  policy.care_fully_unable = get(kTekunCareFullyUnable);
  policy.rounding = parseAmountRounding(get(kDibaoRounding)).value_or(AmountRounding::Fen);
  return policy;
}

int AssistancePolicy::incomePeriodMonths() const {
  return static_cast<int>(get(kDibaoIncomePeriodMonths));
}
sdk::Money AssistancePolicy::disabilityLiving() const { return get(kDisabilityLivingAmount); }
sdk::Money AssistancePolicy::disabilityCare() const { return get(kDisabilityCareAmount); }
sdk::Money AssistancePolicy::temporaryTownshipLimit() const { return get(kTemporaryTownshipLimit); }
sdk::Money AssistancePolicy::temporaryCap() const {
  return get(kDibaoStandardUrban) * get(kTemporaryCapMonths);
}
// The medical categories are the covered programs a claim may fall under ("tekun", "dibao",
// "dibao_edge"); any other is a bug, as an undeclared key was before.
sdk::Ratio AssistancePolicy::medicalRatio(const std::string& category) const {
  if (category == "tekun") return get(kMedicalRatioTekun);
  if (category == "dibao") return get(kMedicalRatioDibao);
  if (category == "dibao_edge") return get(kMedicalRatioDibaoEdge);
  throw std::logic_error("no medical assistance ratio for category " + category);
}
sdk::Money AssistancePolicy::medicalAnnualCap(const std::string& category) const {
  if (category == "tekun") return get(kMedicalCapTekun);
  if (category == "dibao") return get(kMedicalCapDibao);
  if (category == "dibao_edge") return get(kMedicalCapDibaoEdge);
  throw std::logic_error("no medical assistance cap for category " + category);
}

}  // namespace civ::plugins::social_assistance
