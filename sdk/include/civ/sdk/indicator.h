// Indicators a plugin contributes to a county's reports (GET /api/v1/counties/{c}/indicators).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <civ/sdk/abi.h>
#include <civ/sdk/date.h>
#include <civ/sdk/localized_text.h>

namespace soci {
class session;
}

namespace civ::sdk {

/// The county and the period [from, to] (both inclusive) an indicator is computed for.
struct IndicatorQuery {
  std::string county;
  Date from;
  Date to;
};

/// What kind of number an indicator is (SDK 1.1). The host lists it beside the value, so a report
/// formats it without knowing the indicator.
enum class Measure : std::int32_t {
  Count,  ///< how many of `unit` ("persons", "households", "cases", "bodies")
  Money,  ///< an amount in fen (`unit` "fen")
  Ratio,  ///< a share, in the scale `unit` names: "permille" (‰) or "percent"
};

/// One township's value of an indicator (SDK 1.1).
struct TownshipValue {
  std::string township;  ///< the township (乡镇/街道) as the records hold it
  std::int64_t value = 0;
};

/// One indicator. Append-only.
struct IndicatorDeclaration {
  std::uint32_t struct_size = sizeof(IndicatorDeclaration);
  std::string id;  ///< snake_case, unique within the plugin: "notes_created"
  LocalizedText name;
  std::string unit;           ///< "persons", "cases", "fen", "permille" ...: see Measure
  LocalizedText description;  ///< how it is computed, in words a statistician checks
  /// Computes the value in a read-only session. Called concurrently.
  std::function<std::int64_t(soci::session& db, const IndicatorQuery& query)> compute;

  // ---- appended in SDK 1.1 (a plugin built against 1.0 does not carry them) ----
  Measure measure = Measure::Count;
  /// Optional: the value broken down by township for the same query (townships without records
  /// may be left out). The host gives a township-scoped caller only its own townships, and only
  /// indicators that have this breakdown. For a Ratio, each township's own ratio.
  std::function<std::vector<TownshipValue>(soci::session& db, const IndicatorQuery& query)>
      by_township;

  // ---- appended in SDK 1.4 ----
  /// Where the indicator's definition comes from, for the statistician who checks it: the
  /// article of the law or regulation that defines what is counted, or the 民政统计 table and
  /// line it reports, e.g. {"《社会救助暂行办法》第十一条", "Interim Measures on Social
  /// Assistance, art. 11"}. Set it on the value sqlIndicator returns. Empty: not given.
  LocalizedText source;
};

/// An indicator computed by SQL, the common case. `total_sql` selects one number (NULL counts as
/// 0); `township_sql`, when not empty, selects rows (township, value). Both may bind :county,
/// :from and :to (the period's dates as 'YYYY-MM-DD' text); bind names absent from the SQL are
/// not bound. E.g.
///   sdk::sqlIndicator("deaths", {"死亡人数", "Deaths"}, sdk::Measure::Count, "persons",
///                     {"死亡日期在期间内的登记", "Registered deaths dated in the period"},
///                     "SELECT COUNT(*) FROM fu_deaths WHERE county_code = :county AND"
///                     " death_date BETWEEN :from AND :to",
///                     "SELECT township, COUNT(*) FROM fu_deaths WHERE ... GROUP BY township");
CIV_SDK_API IndicatorDeclaration sqlIndicator(std::string id, LocalizedText name, Measure measure,
                                              std::string unit, LocalizedText description,
                                              std::string total_sql, std::string township_sql = "");

}  // namespace civ::sdk
