// The county's indicators for a period as CSV (the statistical report's text form, UTF-8 with a
// byte-order mark for spreadsheets): three heading lines (county, period, who produced it and
// when), a blank line, then one line per indicator for the county ("合计") followed by its
// township lines. Money in yuan to the fen; a suppressed small count is "*". The layout is
// documented in docs/import-layout.md; the figures are those of GET .../indicators.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "host/reports/indicator_workbook.h"

namespace civ::host {

std::string indicatorCsv(const nlohmann::json& indicators, const WorkbookHeading& heading);

}  // namespace civ::host
