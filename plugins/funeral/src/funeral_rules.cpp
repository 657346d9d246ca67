#include "funeral_rules.h"

#include <algorithm>
#include <cstdio>

namespace civ::plugins::funeral {

std::string approvingAuthority(const std::string& kind, const std::string& cemetery_type) {
  if (kind == "funeral_home" || kind == "crematorium") return "county_government";
  if (kind == "ash_hall" || kind == "service_station") return "county_civil_affairs";
  if (kind == "cemetery")
    return cemetery_type == "public_welfare" ? "county_civil_affairs" : "province";
  return "";
}

std::string Area::toString() const {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%lld.%02lld", hundredths_ / 100, hundredths_ % 100);
  return buffer;
}

std::optional<Area> parsePlotArea(const std::string& text) {
  const auto ratio = sdk::Ratio::parse(text);
  if (!ratio || ratio->millionths() <= 0 || ratio->millionths() % 10'000 != 0) return std::nullopt;
  if (ratio->millionths() > 100'000'000) return std::nullopt;  // 100 m²: no plot is that large
  return Area::fromSquareMetres(*ratio);
}

std::optional<Area> parseSiteArea(const std::string& text) {
  const auto ratio = sdk::Ratio::parse(text);
  if (!ratio || ratio->millionths() <= 0 || ratio->millionths() % 10'000 != 0) return std::nullopt;
  if (ratio->millionths() > 10'000'000LL * 1'000'000) return std::nullopt;  // 10 km²
  return Area::fromSquareMetres(*ratio);
}

Area nationalPlotLimit(const std::string& kind) {
  if (kind == "ashes") return Area::fromHundredths(100);
  if (kind == "body_single") return Area::fromHundredths(400);
  if (kind == "body_double") return Area::fromHundredths(600);
  return Area::fromHundredths(0);
}

Area plotAreaLimit(const std::string& kind, sdk::Ratio local_square_metres) {
  return std::min(nationalPlotLimit(kind), Area::fromSquareMetres(local_square_metres));
}

sdk::Date plotUseUntil(sdk::Date sold_on, int years) {
  return sold_on.addMonths(12 * years).addDays(-1);
}

ExemptionDecision decideExemption(const std::vector<std::string>& enabled,
                                  const sdk::CoverageAnswer& coverage,
                                  const std::optional<CategoryCertificate>& certificate,
                                  bool unidentified) {
  ExemptionDecision decision;
  const auto is_enabled = [&](const std::string& category) {
    return std::find(enabled.begin(), enabled.end(), category) != enabled.end();
  };
  if (unidentified && is_enabled("unidentified")) {
    decision.category = "unidentified";
    decision.basis = "unidentified";
    decision.note = "无名遗体: basic services free (民发〔2012〕211号)";
    return decision;
  }
  std::string refusals;
  for (const auto& category : enabled) {
    if (category == "unidentified" || category == "all_residents") continue;
    if (coverage.answers(category)) {
      if (const auto* covered = coverage.find(category)) {
        decision.category = category;
        decision.basis = "coverage";
        decision.evidence = covered->reference;
        decision.note = "covered by " + covered->module + " case " + covered->reference +
                        " on the date of death";
        return decision;
      }
      if (certificate && certificate->category == category)
        refusals += "the " + category +
                    " register shows no coverage on the date of death, "
                    "so a certificate cannot decide it; ";
      continue;
    }
    if (certificate && certificate->category == category) {
      decision.category = category;
      decision.basis = "certificate";
      decision.evidence = certificate->number;
      decision.note = "decided from certificate " + certificate->number + " issued by " +
                      certificate->issuer + ", recorded by hand: no module answering for " +
                      category + " is enabled in this county";
      return decision;
    }
  }
  if (is_enabled("all_residents")) {
    decision.category = "all_residents";
    decision.basis = "all_residents";
    decision.note = "the county exempts every resident";
    return decision;
  }
  decision.refusal = refusals.empty()
                         ? "the deceased was in none of the exempt categories on the date of death"
                         : refusals.substr(0, refusals.size() - 2);
  return decision;
}

ExemptItem capItem(const std::string& item, sdk::Money charged, sdk::Money cap) {
  return {item, charged, std::min(charged, cap)};
}

}  // namespace civ::plugins::funeral
