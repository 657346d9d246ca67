// The Chinese unit word of an indicator's unit code ("persons" → 人), for the reports a
// statistician reads: the CSV and XLSX unit column and the assessment's explanations.
#pragma once

#include <string>

namespace civ::host {

/// The label of `unit` for a measure ("count", "money", "ratio"): money is 元, permille ‰,
/// percent %; a count unit the table does not know is given as it is.
std::string unitLabel(const std::string& unit, const std::string& measure = "count");

}  // namespace civ::host
