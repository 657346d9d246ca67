// The funeral rules that are pure decisions (rules.md §6.2): which authority approves which
// facility, plot sizes, the use period, and who is exempt from basic funeral fees (惠民殡葬).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/coverage.h>
#include <civ/sdk/date.h>
#include <civ/sdk/money.h>

namespace civ::plugins::funeral {

/// The authority that must approve a facility of `kind` (殡葬管理条例 §8): funeral homes and
/// crematoria the county government, ash halls the county civil-affairs bureau, commercial
/// cemeteries the province, village public-welfare cemeteries the county civil-affairs bureau.
std::string approvingAuthority(const std::string& kind, const std::string& cemetery_type);

/// Plot area in hundredths of a square metre, from "0.85" (m², at most two decimals).
std::optional<int> parsePlotArea(const std::string& square_metres);
/// A facility's site area (a cemetery's, in hundredths of a m²): positive, at most two
/// decimals, at most 10 km². A plot's 100 m² cap does not apply to the ground it lies in.
std::optional<long long> parseSiteArea(const std::string& square_metres);
/// "12000.50" from hundredths.
std::string siteAreaText(long long hundredths);
std::string plotAreaText(int hundredths);

/// The national limit for a plot kind, in hundredths of m²: ashes 1, body single 4, double 6.
int nationalPlotLimit(const std::string& kind);

/// The last day a plot may be used: `years` after the sale, the day before the anniversary.
sdk::Date plotUseUntil(sdk::Date sold_on, int years);

/// A manually recorded certificate of a category (for counties without the answering module).
struct CategoryCertificate {
  std::string category;  ///< "dibao", "tekun", "veteran", ...
  std::string number;
  std::string issuer;
};

/// Who is exempt and on what basis.
struct ExemptionDecision {
  std::optional<std::string> category;  ///< nullopt: not exempt
  std::string basis;     ///< "coverage", "certificate", "unidentified", "all_residents"
  std::string evidence;  ///< the case number or certificate number
  std::string note;      ///< e.g. why a certificate decided it
  std::string refusal;   ///< when not exempt: why
};

/// Decides the category for a deceased person. `enabled` lists the categories the county
/// exempts, most generous first. A category some module answers for is decided by that answer
/// only (a certificate cannot override the register); a category nobody here answers for is
/// decided by a certificate of that category.
ExemptionDecision decideExemption(const std::vector<std::string>& enabled,
                                  const sdk::CoverageAnswer& coverage,
                                  const std::optional<CategoryCertificate>& certificate,
                                  bool unidentified);

/// One basic service item and what is exempted of it: the charge up to the item's cap.
struct ExemptItem {
  std::string item;
  sdk::Money charged;
  sdk::Money exempt;
};
ExemptItem capItem(const std::string& item, sdk::Money charged, sdk::Money cap);

}  // namespace civ::plugins::funeral
