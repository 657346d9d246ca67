#include "host/reports/indicator_workbook.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <xlsxwriter.h>

#include <Poco/TemporaryFile.h>

#include "host/reports/unit_labels.h"

namespace civ::host {

namespace {

std::string unitText(const nlohmann::json& indicator) {
  return unitLabel(indicator.value("unit", ""), indicator.value("measure", "count"));
}

/// Writes the value as the measure wants it: money as yuan with two decimals.
void writeValue(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t column,
                const nlohmann::json& indicator, std::int64_t value, lxw_format* money) {
  if (indicator.value("measure", "count") == "money")
    worksheet_write_number(sheet, row, column, static_cast<double>(value) / 100.0, money);
  else
    worksheet_write_number(sheet, row, column, static_cast<double>(value), nullptr);
}

}  // namespace

std::string indicatorWorkbook(const nlohmann::json& indicators, const WorkbookHeading& heading) {
  // libxlsxwriter 1.1.4 (Debian 12) writes to a file only.
  Poco::TemporaryFile file;
  const std::string path = file.path() + ".xlsx";
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) throw std::runtime_error("cannot create the workbook " + path);
  lxw_format* money = workbook_add_format(workbook);
  format_set_num_format(money, "#,##0.00");
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);

  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "指标");
  const std::string title = heading.county_name + "（" + heading.county_code + "）民政业务指标";
  worksheet_write_string(sheet, 0, 0, title.c_str(), bold);
  worksheet_write_string(sheet, 1, 0, ("统计期间：" + heading.from + " 至 " + heading.to).c_str(),
                         nullptr);
  worksheet_write_string(
      sheet, 2, 0, ("制表：" + heading.produced_by + "，" + heading.produced_at).c_str(), nullptr);
  const char* headers[] = {"模块", "指标代码", "指标", "单位", "数值", "口径", "依据"};
  for (lxw_col_t column = 0; column < 7; ++column)
    worksheet_write_string(sheet, 4, column, headers[column], bold);
  worksheet_set_column(sheet, 0, 1, 18, nullptr);
  worksheet_set_column(sheet, 2, 2, 36, nullptr);
  worksheet_set_column(sheet, 4, 4, 16, nullptr);

  lxw_worksheet* towns = workbook_add_worksheet(workbook, "分乡镇");
  const char* town_headers[] = {"模块", "指标", "乡镇（街道）", "单位", "数值"};
  for (lxw_col_t column = 0; column < 5; ++column)
    worksheet_write_string(towns, 0, column, town_headers[column], bold);
  worksheet_set_column(towns, 0, 2, 24, nullptr);

  lxw_row_t row = 5;
  lxw_row_t town_row = 1;
  for (const auto& indicator : indicators) {
    const std::string module = indicator.value("module", "");
    const std::string name = indicator["name"].value("zh", "");
    const std::string unit = unitText(indicator);
    worksheet_write_string(sheet, row, 0, module.c_str(), nullptr);
    worksheet_write_string(sheet, row, 1, indicator.value("id", "").c_str(), nullptr);
    worksheet_write_string(sheet, row, 2, name.c_str(), nullptr);
    worksheet_write_string(sheet, row, 3, unit.c_str(), nullptr);
    writeValue(sheet, row, 4, indicator, indicator["value"].get<std::int64_t>(), money);
    if (indicator.contains("definition"))
      worksheet_write_string(sheet, row, 5, indicator["definition"].value("zh", "").c_str(),
                             nullptr);
    if (indicator.contains("source"))
      worksheet_write_string(sheet, row, 6, indicator["source"].value("zh", "").c_str(), nullptr);
    ++row;
    if (indicator.contains("by_township"))
      for (const auto& town : indicator["by_township"]) {
        worksheet_write_string(towns, town_row, 0, module.c_str(), nullptr);
        worksheet_write_string(towns, town_row, 1, name.c_str(), nullptr);
        worksheet_write_string(towns, town_row, 2, town.value("township", "").c_str(), nullptr);
        worksheet_write_string(towns, town_row, 3, unit.c_str(), nullptr);
        if (town["value"].is_null())  // suppressed: a small count of people
          worksheet_write_string(towns, town_row, 4, "*", nullptr);
        else
          writeValue(towns, town_row, 4, indicator, town["value"].get<std::int64_t>(), money);
        ++town_row;
      }
  }
  const lxw_error closed = workbook_close(workbook);
  if (closed != LXW_NO_ERROR) {
    std::remove(path.c_str());
    throw std::runtime_error(std::string("the workbook could not be written: ") +
                             lxw_strerror(closed));
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  return bytes;
}

}  // namespace civ::host
