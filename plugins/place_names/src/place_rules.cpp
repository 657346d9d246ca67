#include "place_rules.h"

#include <algorithm>

#include "romanisation.h"

namespace civ::plugins::place_names {

namespace {

bool allDigits(const std::string& text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool endsWith(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() &&
         text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

std::optional<std::string> levelOfCode(const std::string& code) {
  if (!allDigits(code)) return std::nullopt;
  if (code.size() == 6) return "county";
  if (code.size() == 9) return "township";
  if (code.size() == 12) return "village";
  return std::nullopt;
}

bool isKindOfLevel(const std::string& kind, const std::string& level) {
  static const std::vector<std::string> county = {"区", "县", "县级市", "自治县", "旗"};
  static const std::vector<std::string> township = {"街道", "镇", "乡", "民族乡", "其他"};
  static const std::vector<std::string> village = {"村", "社区"};
  const auto& kinds = level == "county" ? county : level == "township" ? township : village;
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::vector<std::string> townshipKindsOfCode(const std::string& code) {
  if (code.size() != 9 || !allDigits(code)) return {};
  const int part = std::stoi(code.substr(6));
  if (part < 100) return {"街道"};
  if (part < 200) return {"镇"};
  if (part < 300) return {"乡", "民族乡"};
  if (part >= 400 && part < 600) return {"其他"};
  return {};
}

bool codeUnderParent(const std::string& code, const std::string& parent) {
  if (code.size() == 9) return parent.size() == 6 && code.compare(0, 6, parent) == 0;
  if (code.size() == 12) return parent.size() == 9 && code.compare(0, 9, parent) == 0;
  return true;  // a county's parent (prefecture, province) is outside this register
}

const std::vector<std::string>& categories() {
  static const std::vector<std::string> all = {"natural_feature", "division", "settlement",
                                               "street",          "facility", "park",
                                               "heritage",        "other"};
  return all;
}

std::string scopeName(Scope scope) {
  switch (scope) {
    case Scope::Country:
      return "country";
    case Scope::Province:
      return "province";
    case Scope::County:
      return "county";
    case Scope::BuiltUpArea:
      return "built_up_area";
  }
  return "county";
}

Scope duplicateScope(const std::string& category, const std::string& generic) {
  if (category == "natural_feature") return Scope::Country;
  if (category == "division") {
    if (endsWith(generic, "镇") || endsWith(generic, "乡") || endsWith(generic, "街道"))
      return Scope::Province;
    if (endsWith(generic, "村") || endsWith(generic, "社区")) return Scope::County;
    return Scope::Country;
  }
  if (category == "street") return Scope::BuiltUpArea;
  return Scope::County;
}

bool sameScope(Scope scope, const std::string& county_a, const std::string& county_b) {
  switch (scope) {
    case Scope::Country:
      return true;
    case Scope::Province:
      return county_a.substr(0, 2) == county_b.substr(0, 2);
    case Scope::County:
    case Scope::BuiltUpArea:
      return county_a == county_b;
  }
  return false;
}

std::optional<std::string> forbiddenWordIn(const std::string& name,
                                           const std::vector<std::string>& words) {
  for (const auto& word : words)
    if (!word.empty() && name.find(word) != std::string::npos) return word;
  return std::nullopt;
}

std::vector<std::string> rareCharacters(const std::string& name) {
  std::vector<std::string> rare;
  std::size_t at = 0;
  for (char32_t point : codePoints(name)) {
    const unsigned char lead = static_cast<unsigned char>(name[at]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    const bool common = (point >= 0x4E00 && point <= 0x9FFF) || (point >= '0' && point <= '9');
    if (!common) rare.push_back(name.substr(at, length));
    at += length;
  }
  return rare;
}

std::vector<std::string> approvingAuthorities(const std::string& category,
                                              const std::string& generic) {
  if (category == "street") {
    // 街路巷: the county or city government; 住宅区 and 楼宇: 住建 after asking 地名 (§12).
    return {"county_government", "city_government", "housing_department"};
  }
  if (category == "division") {
    if (endsWith(generic, "镇") || endsWith(generic, "乡") || endsWith(generic, "街道"))
      return {"province_government"};  // 行政区划管理条例 §9
    if (endsWith(generic, "村") || endsWith(generic, "社区"))
      return {"county_government"};  // provincial rules; the county government by default
    return {"state_council"};        // 行政区划管理条例 §7
  }
  if (category == "facility") return {"sector_department"};
  return {};
}

sdk::Date filingDue(sdk::Date approved_on) { return approved_on.addDays(kFilingDays); }

bool isGovernment(const std::string& authority) {
  return endsWith(authority, "_government") || authority == "state_council";
}

std::optional<sdk::Date> announcementDue(sdk::Date approved_on, const std::string& authority,
                                         std::optional<sdk::Date> filed_on) {
  if (isGovernment(authority)) return approved_on.addDays(kAnnouncementDays);
  if (filed_on) return filed_on->addDays(kAnnouncementDays);
  return std::nullopt;
}

}  // namespace civ::plugins::place_names
