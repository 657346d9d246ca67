#include "host/reports/unit_labels.h"

#include <map>

namespace civ::host {

std::string unitLabel(const std::string& unit, const std::string& measure) {
  if (measure == "money" || unit == "fen") return "元";
  static const std::map<std::string, std::string> kLabels = {
      {"permille", "‰"},         {"percent", "%"},       {"persons", "人"},
      {"households", "户"},      {"cases", "件"},        {"couples", "对"},
      {"bodies", "具"},          {"applications", "件"}, {"reviews", "次"},
      {"inspections", "次"},     {"institutions", "家"}, {"beds", "张"},
      {"hazards", "处"},         {"names", "条"},        {"signs", "块"},
      {"organisations", "个"},   {"notes", "条"},        {"plots", "个"},
      {"townships", "个"},       {"markers", "个"},      {"days", "天"},
      {"resident_days", "人日"}, {"entitlements", "项"}, {"months", "月"},
      {"boundaries", "条"},      {"bans", "起"},         {"penalties", "件"}};
  const auto found = kLabels.find(unit);
  return found == kLabels.end() ? unit : found->second;
}

}  // namespace civ::host
