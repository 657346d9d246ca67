// Exchange for GIS users: names as GeoJSON and CSV (which POST /imports/names reads back),
// divisions as CSV. Township scope applies to
// names as to their list.
#include <soci/soci.h>

#include <civ/sdk/caller.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/table_file.h>

#include "place_names_plugin.h"

namespace civ::plugins::place_names {

namespace {

using nlohmann::json;

constexpr const char* kExportColumns =
    "SELECT n.id, n.full_name, n.specific, n.generic, n.category, n.division_code, n.township,"
    " n.pinyin, n.status, n.approved_on, n.longitude, n.latitude, n.meaning, n.origin,"
    " n.protected, n.built_up_area, n.specific_pinyin, n.ended_on FROM pn_names n";

/// The names an export selects: the county's, in the caller's townships, by status and category.
soci::rowset<soci::row> exportRows(sdk::Request& request, sdk::ListQuery& query) {
  query.add(sdk::townshipCondition(request.caller(), "n.township"));
  if (auto status = request.queryParam("status")) query.add("n.status = " + query.text(*status));
  if (auto category = request.queryParam("category"))
    query.add("n.category = " + query.text(*category));
  return query.rows(request.db(), std::string(kExportColumns) + query.clause() + " ORDER BY n.id");
}

std::string coordinate(const soci::row& row, std::size_t index) {
  if (row.get_indicator(index) != soci::i_ok) return "";
  return json(row.get<double>(index)).dump();
}

}  // namespace

sdk::Response PlaceNamesPlugin::exportNamesGeoJson(sdk::Request& request) {
  sdk::ListQuery query("n.county_code", request.county());
  query.add("n.longitude IS NOT NULL");
  json features = json::array();
  for (const auto& row : exportRows(request, query)) {
    features.push_back(sdk::jsonObject(
        {{"type", "Feature"},
         {"id", sdk::sql::int64At(row, 0)},
         {"geometry",
          {{"type", "Point"}, {"coordinates", {row.get<double>(10), row.get<double>(11)}}}},
         {"properties",
          {{"name", sdk::sql::textAt(row, 1)},
           {"specific", sdk::sql::textAt(row, 2)},
           {"generic", sdk::sql::textAt(row, 3)},
           {"category", sdk::sql::textAt(row, 4)},
           {"division_code", sdk::sql::textAt(row, 5)},
           {"township", sdk::sql::textAt(row, 6)},
           {"pinyin", sdk::sql::textAt(row, 7)},
           {"status", sdk::sql::textAt(row, 8)},
           {"approved_on", sdk::sql::textAt(row, 9)},
           {"protected", sdk::sql::int64At(row, 14) != 0}}}}));
  }
  const json collection = {{"type", "FeatureCollection"}, {"features", features}};
  return sdk::Response::file("application/geo+json", collection.dump(),
                             "place-names-" + request.county() + ".geojson");
}

sdk::Response PlaceNamesPlugin::exportNamesCsv(sdk::Request& request) {
  sdk::ListQuery query("n.county_code", request.county());
  std::string csv =
      "\xEF\xBB\xBF" +
      sdk::csvLine({"id", "标准名称", "专名", "通名", "类别", "政区代码", "乡镇（街道）",
                    "罗马字母拼写", "状态", "批准日期", "经度", "纬度", "含义", "由来", "保护名录",
                    "建成区", "专名拼音", "停用日期"});
  for (const auto& row : exportRows(request, query))
    csv +=
        sdk::csvLine({sdk::sql::textAt(row, 0), sdk::sql::textAt(row, 1), sdk::sql::textAt(row, 2),
                      sdk::sql::textAt(row, 3), sdk::sql::textAt(row, 4), sdk::sql::textAt(row, 5),
                      sdk::sql::textAt(row, 6), sdk::sql::textAt(row, 7), sdk::sql::textAt(row, 8),
                      sdk::sql::textAt(row, 9), coordinate(row, 10), coordinate(row, 11),
                      sdk::sql::textAt(row, 12), sdk::sql::textAt(row, 13),
                      sdk::sql::int64At(row, 14) != 0 ? "是" : "否", sdk::sql::textAt(row, 15),
                      sdk::sql::textAt(row, 16), sdk::sql::textAt(row, 17)});
  return sdk::Response::file(sdk::kCsv, csv, "place-names-" + request.county() + ".csv");
}

sdk::Response PlaceNamesPlugin::exportDivisionsCsv(sdk::Request& request) {
  const std::string day = request.queryDate("as_of").value_or(request.today()).toString();
  sdk::ListQuery query("d.county_code", request.county());
  query.add("d.valid_from <= " + query.text(day));
  query.add("(d.valid_to IS NULL OR d.valid_to > " + query.text(day) + ")");
  std::string csv =
      "\xEF\xBB\xBF" + sdk::csvLine({"代码", "名称", "层级", "类型", "上级代码", "生效日期"});
  soci::rowset<soci::row> rows =
      query.rows(request.db(),
                 "SELECT d.code, d.name, d.level, d.kind, d.parent_code, d.valid_from FROM"
                 " pn_divisions d" +
                     query.clause() + " ORDER BY d.code");
  for (const auto& row : rows)
    csv += sdk::csvLine({sdk::sql::textAt(row, 0), sdk::sql::textAt(row, 1),
                         sdk::sql::textAt(row, 2), sdk::sql::textAt(row, 3),
                         sdk::sql::textAt(row, 4), sdk::sql::textAt(row, 5)});
  return sdk::Response::file(sdk::kCsv, csv, "divisions-" + request.county() + "-" + day + ".csv");
}

}  // namespace civ::plugins::place_names
