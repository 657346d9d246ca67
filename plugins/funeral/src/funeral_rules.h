// The funeral rules that are pure decisions (rules.md §6.2): which authority approves which
// facility, plot sizes, the use period, and who is exempt from basic funeral fees (惠民殡葬).
#pragma once

#include <compare>
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

/// An area, exact in hundredths of a square metre: a plot's size, the limits it is held to, a
/// facility's site. One type, so that a limit read from policy (m², a Ratio) and an area typed
/// by a clerk (text) are compared in one unit, and neither is mistaken for a count.
class Area {
 public:
  constexpr Area() = default;
  static constexpr Area fromHundredths(long long hundredths) { return Area(hundredths); }
  /// m² as the policy store holds it, rounded down to the hundredth: rounding never loosens a
  /// limit.
  static constexpr Area fromSquareMetres(sdk::Ratio square_metres) {
    return Area(square_metres.millionths() / 10'000);
  }
  constexpr long long hundredths() const { return hundredths_; }
  /// m² with two decimals, as answered: "0.80", "12000.50".
  std::string toString() const;

  constexpr auto operator<=>(const Area&) const = default;

 private:
  constexpr explicit Area(long long hundredths) : hundredths_(hundredths) {}
  long long hundredths_ = 0;
};

/// A plot's area from "0.85" (m², at most two decimals, above 0, at most 100 m²).
std::optional<Area> parsePlotArea(const std::string& square_metres);
/// A facility's site area (a cemetery's): positive, at most two decimals, at most 10 km². A
/// plot's 100 m² cap does not apply to the ground it lies in.
std::optional<Area> parseSiteArea(const std::string& square_metres);

/// The national limit for a plot kind: ashes 1 m², body single 4 m², double 6 m².
Area nationalPlotLimit(const std::string& kind);
/// The limit a plot of `kind` is held to here: the local limit (policy, in m²), never above the
/// national one.
Area plotAreaLimit(const std::string& kind, sdk::Ratio local_square_metres);

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
