// The county's indicators for a period as an XLSX workbook (the console dashboard's export): a
// sheet of the indicators with their units, and a sheet of the township breakdowns, headed by
// the county, the period, who produced it and when. Money is in yuan to the fen, ratios in ‰ as
// the modules declare them.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace civ::host {

struct WorkbookHeading {
  std::string county_code;
  std::string county_name;
  std::string from;
  std::string to;
  std::string produced_by;
  std::string produced_at;
};

/// The bytes of the workbook of `indicators` (the list indicatorReport answers). Throws
/// std::runtime_error when libxlsxwriter fails (a full temporary directory).
std::string indicatorWorkbook(const nlohmann::json& indicators, const WorkbookHeading& heading);

}  // namespace civ::host
