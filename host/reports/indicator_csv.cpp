#include "host/reports/indicator_csv.h"

#include <cstdlib>

#include <civ/sdk/table_file.h>

#include "host/reports/unit_labels.h"

namespace civ::host {

namespace {

std::string valueText(const nlohmann::json& indicator, const nlohmann::json& value) {
  if (value.is_null()) return "*";
  const std::int64_t number = value.get<std::int64_t>();
  if (indicator.value("measure", "count") != "money") return std::to_string(number);
  const std::int64_t magnitude = std::llabs(number);
  const std::string cents = std::to_string(100 + magnitude % 100).substr(1);
  return std::string(number < 0 ? "-" : "") + std::to_string(magnitude / 100) + "." + cents;
}

}  // namespace

std::string indicatorCsv(const nlohmann::json& indicators, const WorkbookHeading& heading) {
  std::string csv = "\xEF\xBB\xBF";
  csv += sdk::csvLine({heading.county_name + "（" + heading.county_code + "）民政业务指标"});
  csv += sdk::csvLine({"统计期间：" + heading.from + " 至 " + heading.to});
  csv += sdk::csvLine({"制表：" + heading.produced_by + "，" + heading.produced_at});
  csv += "\r\n";
  csv += sdk::csvLine({"模块", "指标代码", "指标", "单位", "口径", "乡镇（街道）", "数值", "依据"});
  for (const auto& indicator : indicators) {
    const std::string unit =
        unitLabel(indicator.value("unit", ""), indicator.value("measure", "count"));
    const std::vector<std::string> columns = {
        indicator.value("module", ""), indicator.value("id", ""), indicator["name"].value("zh", ""),
        unit, indicator.contains("definition") ? indicator["definition"].value("zh", "") : ""};
    const std::string source =
        indicator.contains("source") ? indicator["source"].value("zh", "") : "";
    const auto line = [&](const std::string& township, const nlohmann::json& value) {
      auto fields = columns;
      fields.push_back(township);
      std::string text = sdk::csvLine(fields);
      // The value is a number, unquoted; the source follows it.
      text.insert(text.size() - 2, "," + valueText(indicator, value) + "," + sdk::csvField(source));
      return text;
    };
    csv += line("合计", indicator["value"]);
    if (indicator.contains("by_township"))
      for (const auto& town : indicator["by_township"])
        csv += line(town.value("township", ""), town["value"]);
  }
  return csv;
}

}  // namespace civ::host
