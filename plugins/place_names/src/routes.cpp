// The module's HTTP surface: every route with its permission, parameters, request schema and
// answers (the host checks them and documents the routes in /api/openapi.json).
#include <civ/sdk/context.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/router.h>
#include <civ/sdk/schema.h>

#include "place_names_plugin.h"

namespace civ::plugins::place_names {

namespace {

using nlohmann::json;
using namespace sdk::schema;

json level() {
  return enumOf({{"county", {"县级", "county level"}},
                 {"township", {"乡级", "township level"}},
                 {"village", {"村级", "village level"}}});
}

json divisionKind() {
  return enumOf(std::vector<std::string>{"区", "县", "县级市", "自治县", "旗", "街道", "镇", "乡",
                                         "民族乡", "其他", "村", "社区"});
}

json category() {
  return enumOf({{"natural_feature", {"自然地理实体", "natural feature"}},
                 {"division", {"行政区划", "administrative division"}},
                 {"settlement", {"村（居）民委员会所在地等居民点", "settlement, village seat"}},
                 {"street", {"街路巷、住宅区、楼宇", "street, housing estate, building"}},
                 {"facility", {"交通、水利、电力等设施", "facility"}},
                 {"park", {"园区、农场、林场、牧场", "park, farm, forestry unit"}},
                 {"heritage", {"纪念地、文化遗址、风景名胜区、自然保护地", "heritage site"}},
                 {"other", {"其他具有地名意义的名称", "other"}}});
}

json status() {
  return enumOf({{"proposed", {"拟命名", "proposed"}},
                 {"standard", {"标准", "standard"}},
                 {"renamed", {"已更名", "renamed"}},
                 {"retired", {"废止", "retired"}}});
}

json authority() {
  return enumOf({{"state_council", {"国务院", "State Council"}},
                 {"province_government", {"省级人民政府", "province government"}},
                 {"city_government", {"设区的市人民政府", "city government"}},
                 {"county_government", {"县级人民政府", "county government"}},
                 {"housing_department", {"住房和城乡建设部门", "housing department"}},
                 {"sector_department", {"设施主管部门", "sector department"}}});
}

json reportKind() {
  return enumOf({{"assessment", {"综合评估报告", "assessment"}},
                 {"expert", {"专家论证报告", "expert report"}},
                 {"consultation", {"征求意见报告", "consultation report"}}});
}

json wordKind() {
  return enumOf({{"person_name", {"人名", "person's name"}},
                 {"leader", {"国家领导人", "state leader"}},
                 {"foreign_place", {"外国人名、地名", "foreign person or place"}},
                 {"enterprise", {"企业名称、商标", "enterprise name or trademark"}},
                 {"other", {"其他不宜用字", "other"}}});
}

/// A GeoJSON point: longitude, latitude (WGS 84 / CGCS2000 degrees).
json point() {
  return describe(
      object({{"type", enumOf(std::vector<std::string>{"Point"})},
              {"coordinates",
               arrayOf(json{{"type", "number"}, {"minimum", -180}, {"maximum", 180}}, 2, 2)}}),
      {"位置（GeoJSON 点：经度、纬度）", "Location: a GeoJSON Point [longitude, latitude]"});
}

json asOf() { return describe(date(), {"查询日期", "As of this day (default: today)"}); }

// --- Titles the routes repeat (the console's labels) --------------------------------------------

json builtUpArea(json schema) {
  return describe(std::move(schema), {"所在建成区", "Built-up area (duplicate-name scope)"});
}
json protectionMeasures(json schema) {
  return describe(std::move(schema),
                  {"保护措施", "Protection measures, for a name on the protection list"});
}
json renamesId(json schema) {
  return describe(std::move(schema), {"原地名记录号", "The standard name this one renames"});
}
json nameId() { return describe(id(), {"地名记录号", "The standard name"}); }
json signResponsible(json schema) {
  return describe(std::move(schema), {"管护责任单位", "Department responsible for the sign"});
}
json signInstalledOn(json schema) {
  return describe(std::move(schema), {"设置日期", "Installed on"});
}
json condition(json schema) { return describe(std::move(schema), {"状况", "Condition"}); }
json neighbourName(json schema) {
  return describe(std::move(schema), {"相邻县级区划名称", "The neighbour county's name"});
}
json lengthM(json schema) {
  return describe(std::move(schema), {"界线长度（米）", "Length in metres"});
}
json lineId() { return describe(id(), {"界线记录号", "The boundary line"}); }
json markerInstalledOn(json schema) {
  return describe(std::move(schema), {"埋设日期", "Installed on"});
}
json markerNumber(json schema) {
  return describe(std::move(schema), {"界桩编号", "Marker number"});
}
json problems(json schema) { return describe(std::move(schema), {"发现的问题", "Problems found"}); }
json rectificationDue(json schema) {
  return describe(std::move(schema), {"整改期限", "Deadline to rectify the problems"});
}

/// Pinyin syllables typed for the specific part: letters, tone marks, spaces.
json syllables() {
  return describe(text(120), {"专名拼音更正（多音字）",
                              "The specific part's syllables, e.g. \"cháng ān\" (polyphonic "
                              "characters)"});
}

json divisionSchema() {
  return object({{"code", divisionCode()},
                 {"name", text(50)},
                 {"level", level()},
                 {"kind", divisionKind()},
                 {"parent_code", nullable(text(12))},
                 {"valid_from", date()},
                 {"valid_to", describe(nullable(date()),
                                       {"失效日期（不含）", "First day no longer in force"})}});
}

json divisionDetailSchema() {
  return object(
      {{"code", divisionCode()},
       {"name", text(50)},
       {"level", level()},
       {"kind", divisionKind()},
       {"parent_code", nullable(text(12))},
       {"valid_from", date()},
       {"valid_to", nullable(date())},
       {"history", describe(arrayOf(divisionSchema()),
                            {"沿革", "The code's records over time (names, kinds, parents)"})},
       {"successors", describe(arrayOf(object({{"code", divisionCode()}, {"on", date()}})),
                               {"调整后区划", "The codes it became, and when"})},
       {"predecessors", describe(arrayOf(object({{"code", divisionCode()}, {"on", date()}})),
                                 {"调整前区划", "The codes it came from, and when"})},
       {"today", describe(arrayOf(divisionSchema()),
                          {"今日对应区划", "The divisions this code is part of today"})}});
}

json operation() {
  return object({{"kind", enumOf({{"create", {"新设", "create"}},
                                  {"merge", {"合并", "merge"}},
                                  {"split", {"拆分", "split"}},
                                  {"rename", {"更名", "rename"}},
                                  {"reparent", {"变更隶属", "re-parent"}}})},
                 {"codes", describe(arrayOf(divisionCode(), 50),
                                    {"调整前的区划代码", "The codes before the change"})},
                 {"into", describe(arrayOf(object({{"code", divisionCode()},
                                                   {"name", text(50)},
                                                   {"kind", divisionKind()},
                                                   {"parent_code", optional(divisionCode())}}),
                                           50, 1),
                                   {"调整后的区划", "The divisions after the change"})}});
}

json adjustmentSchema() {
  return object(
      {{"id", id()},
       {"effective_on", describe(date(), {"调整生效日期", "In force from"})},
       {"document", describe(text(100), {"批准文件（文号）", "The approval document"})},
       {"authority", describe(authority(), {"批准机关", "Approving authority"})},
       {"description", text(2000)},
       {"recorded_on", date()},
       {"changes",
        arrayOf(object({{"old_code", describe(divisionCode(), {"原区划代码", "Code before"})},
                        {"new_code", describe(divisionCode(), {"新区划代码", "Code after"})},
                        {"kind", text(20)}}))}});
}

json romanisedSchema() {
  return object(
      {{"pinyin", text(200)},
       {"pinyin_tones", describe(text(200), {"汉语拼音（带声调）", "Pinyin with tone marks"})},
       {"pinyin_sign", describe(text(200), {"标志拼写（大写无调）",
                                            "Pinyin for signs: upper case, no "
                                            "tones"})}});
}

Properties nameProperties() {
  return properties(
      {{"id", id()},
       {"specific", text(40)},
       {"generic", text(20, 0)},
       {"name", text(60)},
       {"category", category()},
       {"division_code", divisionCode()},
       {"township", text(50, 0)},
       {"built_up_area", builtUpArea(text(50, 0))},
       {"location", nullable(point())},
       {"meaning", text(2000, 0)},
       {"origin", text(2000, 0)},
       {"pinyin", text(200)},
       {"pinyin_tones", describe(text(200), {"汉语拼音（带声调）", "Pinyin with tone marks"})},
       {"pinyin_sign",
        describe(text(200), {"标志拼写（大写无调）", "Pinyin for signs: upper case, no tones"})},
       {"specific_pinyin", describe(nullable(text(120)), {"专名拼音更正（多音字）",
                                                          "The specific part's syllables "
                                                          "as corrected; none if read as "
                                                          "is"})},
       {"status", status()},
       {"protected", boolean()},
       {"renames", renamesId(nullable(id()))},
       {"applied_on", date()},
       {"approved_on", nullable(date())},
       {"authority", describe(nullable(authority()), {"批准机关", "Approving authority"})},
       {"document_number", nullable(text(100))},
       {"filing_due", describe(nullable(date()), {"备案期限", "15 days after approval"})},
       {"filed_on", nullable(date())},
       {"announcement_due", describe(nullable(date()), {"公告期限", "15 days after approval"})},
       {"announced_on", nullable(date())},
       {"standard_from", describe(nullable(date()), {"标准名称启用日期",
                                                     "Standard from this day; none while "
                                                     "proposed"})},
       {"ended_on", nullable(date())}});
}

json nameSchema() { return object(nameProperties()); }

json nameDetailSchema() {
  auto properties = nameProperties();
  properties.push_back(
      {"reports",
       describe(
           arrayOf(object({{"kind", reportKind()}, {"on_date", date()}, {"summary", text(4000)}})),
           {"评估、论证、征求意见报告", "Assessment, expert and consultation reports"})});
  return object(std::move(properties));
}

json overdueSchema() {
  auto properties = nameProperties();
  properties.push_back({"overdue", arrayOf(enumOf({{"filing", {"备案", "filing"}},
                                                   {"announcement", {"公告", "announcement"}}}),
                                           2, 1)});
  return object(std::move(properties));
}

json signKind() {
  return enumOf({{"road", {"街路巷标志", "street sign"}},
                 {"village", {"村（居）标志", "village sign"}},
                 {"feature", {"自然地理实体标志", "natural feature sign"}},
                 {"building", {"楼宇、门牌标志", "building or house-number sign"}},
                 {"other", {"其他", "other"}}});
}

json signCondition() {
  return enumOf({{"good", {"完好", "good"}},
                 {"damaged", {"损坏", "damaged"}},
                 {"missing", {"缺失", "missing"}}});
}

json signSchema() {
  return object({{"id", id()},
                 {"name_id", nameId()},
                 {"kind", signKind()},
                 {"text_zh", describe(text(60), {"标志汉字", "The name in characters"})},
                 {"text_pinyin",
                  describe(text(200), {"汉语拼音（大写无调）", "Pinyin, upper case, no tones"})},
                 {"township", text(50, 0)},
                 {"location", nullable(point())},
                 {"responsible", signResponsible(text(100))},
                 {"installed_on", signInstalledOn(date())},
                 {"condition", condition(signCondition())},
                 {"inspected_on", nullable(date())}});
}

/// A GeoJSON LineString: at least two [longitude, latitude] positions.
json lineString() {
  return describe(
      object({{"type", enumOf(std::vector<std::string>{"LineString"})},
              {"coordinates",
               arrayOf(arrayOf(json{{"type", "number"}, {"minimum", -180}, {"maximum", 180}}, 2, 2),
                       10000, 2)}}),
      {"界线走向（GeoJSON 线：经度、纬度）",
       "The line: a GeoJSON LineString of [longitude, latitude]"});
}

json boundaryLineSchema() {
  return object(
      {{"id", id()},
       {"neighbour_code",
        describe(countyCode(), {"相邻县级区划代码", "The neighbour county's code"})},
       {"neighbour_name", neighbourName(text(50))},
       {"length_m", describe(integer(1, 10000000), {"界线长度（米）", "Length in metres"})},
       {"description", text(2000, 0)},
       {"geometry", nullable(lineString())},
       {"markers", describe(integer(0), {"界桩数", "Markers on the line"})}});
}

json markerKind() {
  return enumOf({{"single", {"单立界桩", "single marker"}},
                 {"double", {"同号双立界桩", "pair with one number"}},
                 {"triple", {"同号三立界桩", "three with one number (tri-junction)"}}});
}

json markerSchema() {
  return object({{"id", id()},
                 {"line_id", lineId()},
                 {"number", describe(text(30), {"界桩编号", "Marker number"})},
                 {"kind", markerKind()},
                 {"location", point()},
                 {"installed_on", markerInstalledOn(nullable(date()))},
                 {"condition", condition(signCondition())},
                 {"inspected_on", nullable(date())}});
}

json sideSchema() {
  return object({{"county_code", describe(countyCode(), {"县级区划代码", "The county's code"})},
                 {"name", text(50)}});
}

json inspectionSchema() {
  return object(
      {{"id", id()},
       {"line_id", lineId()},
       {"inspected_on", date()},
       {"sides", describe(arrayOf(sideSchema(), 10, 2), {"参检各方", "The sides taking part"})},
       {"markers",
        describe(arrayOf(object({{"marker_id", describe(id(), {"界桩记录号", "The marker"})},
                                 {"number", markerNumber(text(30))},
                                 {"condition", condition(signCondition())},
                                 {"note", text(1000, 0)}})),
                 {"检查的界桩", "Markers checked, with the condition found"})},
       {"problems", problems(text(4000, 0))},
       {"rectification_due", rectificationDue(nullable(date()))},
       {"rectified_on", describe(nullable(date()), {"整改完成日期", "Rectified on"})},
       {"rectification_note",
        describe(nullable(text(2000, 0)), {"整改情况", "How it was rectified"})}});
}

json wordSchema() {
  return object({{"id", id()},
                 {"word", describe(text(40), {"禁用词", "The forbidden word"})},
                 {"kind", wordKind()},
                 {"note", text(500, 0)}});
}

}  // namespace

void PlaceNamesPlugin::addRoutes() {
  auto& router = context_->router();
  const auto handle = [this](sdk::Response (PlaceNamesPlugin::*handler)(sdk::Request&)) {
    return [this, handler](sdk::Request& request) { return (this->*handler)(request); };
  };
  using sdk::Permission;
  using sdk::Route;
  using P = PlaceNamesPlugin;

  // ---- Divisions --------------------------------------------------------------------------
  router.add(Route::get("/divisions")
                 .summary("行政区划查询", "The county's divisions in force on a day")
                 .list(divisionSchema(), kDivisionList)
                 .query("as_of", asOf())
                 .query("level", describe(level(), {"层级", "Only this level"}))
                 .query("kind", describe(divisionKind(), {"类型", "Only this kind"}))
                 .query("parent", describe(divisionCode(), {"上级代码", "Only under this code"}))
                 .query("name", describe(text(50), {"名称（包含）", "Name contains"})),
             handle(&P::listDivisions));
  router.add(Route::get("/divisions/{division_code}")
                 .console({{"record", "division"}})
                 .pathParam("division_code", divisionCode())
                 .summary("区划详情",
                          "A division as of a day, with its history, successors and the "
                          "divisions it is part of today")
                 .query("as_of", asOf())
                 .ok(divisionDetailSchema()),
             handle(&P::getDivision));
  router.add(
      Route::patch("/divisions/{division_code}")
          .pathParam("division_code", divisionCode())
          .permission(Permission::Administer)
          .summary("更正区划登记信息",
                   "Correct what was typed for a division in force (not a change: that "
                   "is an adjustment); audited with old and new values")
          .body(describe(object({{"name", optional(text(50))}, {"kind", optional(divisionKind())}}),
                         {"至少一项", "At least one field"}))
          .ok(divisionSchema()),
      handle(&P::correctDivision));
  router.add(
      Route::post("/adjustments")
          .permission(Permission::Administer)
          .summary("登记行政区划调整",
                   "Record an approved adjustment (merge, split, rename, re-parent, "
                   "create) as one dated change set; retired codes are never reused")
          .body(object(
              {{"effective_on", describe(date(), {"调整生效日期", "In force from"})},
               {"document", describe(text(100), {"批准文件（文号）", "The approval document"})},
               {"authority", describe(authority(), {"批准机关", "Approving authority"})},
               {"description", text(2000)},
               {"operations",
                describe(arrayOf(operation(), 100, 1), {"调整事项", "The changes, in order"})}}))
          .created(adjustmentSchema()),
      handle(&P::adjust));
  router.add(Route::get("/adjustments")
                 .summary("区划调整记录", "Recorded adjustments with their code changes")
                 .list(adjustmentSchema(), kAdjustmentList),
             handle(&P::listAdjustments));

  // ---- Names ------------------------------------------------------------------------------
  router.add(Route::get("/romanisation")
                 .summary("地名拼音拼写", "The romanisation of a name, by the national rules")
                 .query("specific", describe(text(40), {"专名", "Specific part"}), true)
                 .query("generic", describe(text(20), {"通名", "Generic part"}))
                 .query("category", describe(category(), {"类别", "Category"}))
                 .query("specific_pinyin", syllables())
                 .ok(romanisedSchema()),
             handle(&P::romanisation));
  router.add(Route::post("/names")
                 .summary("地名命名、更名申请",
                          "Apply for a name or a renaming; checked for forbidden content, rare "
                          "characters, duplicates and homophones in the law's scope")
                 .body(object({{"specific", text(40)},
                               {"generic", text(20, 0)},
                               {"category", category()},
                               {"division_code", divisionCode()},
                               {"built_up_area", builtUpArea(optional(text(50)))},
                               {"location", optional(point())},
                               {"meaning", optional(text(2000, 0))},
                               {"origin", optional(text(2000, 0))},
                               {"reason",
                                describe(text(2000), {"命名、更名理由", "Why the name is needed"})},
                               {"specific_pinyin", optional(syllables())},
                               {"protected", optional(boolean())},
                               {"renames", renamesId(optional(id()))},
                               {"protection_measures", protectionMeasures(optional(text(2000)))}}))
                 .created(nameSchema()),
             handle(&P::applyName));
  router.add(
      Route::get("/names")
          .summary("地名查询", "Find names: by text or pinyin, category, status, township, day")
          .list(nameSchema(), kNameList)
          .query("q", describe(text(40), {"名称或拼音（包含）", "Name or pinyin contains"}))
          .query("category", describe(category(), {"类别", "Only this category"}))
          .query("status", describe(status(), {"状态", "Only this status"}))
          .query("township", describe(text(50), {"乡镇（街道）", "Only this township's"}))
          .query("as_of", describe(date(), {"标准地名日期", "Only names standard on this day"})),
      handle(&P::listNames));
  router.add(Route::get("/names/overdue")
                 .console({{"queue", true}})
                 .summary("逾期未备案、未公告",
                          "Approved names past the 15-day limit for filing or announcement")
                 .list(overdueSchema(), kOverdueList),
             handle(&P::listOverdue));
  router.add(Route::get("/names/{id}")
                 .console({{"record", "name"}})
                 .pathId("id")
                 .summary("地名详情", "A name with its reports")
                 .ok(nameDetailSchema()),
             handle(&P::getName));
  router.add(Route::patch("/names/{id}")
                 .pathId("id")
                 .summary("更正地名信息",
                          "Correct meaning, origin, location, built-up area, protection or the "
                          "pinyin of polyphonic characters (not the characters: that is a "
                          "renaming); audited with old and new values")
                 .body(describe(object({{"meaning", optional(text(2000, 0))},
                                        {"origin", optional(text(2000, 0))},
                                        {"location", optional(point())},
                                        {"built_up_area", builtUpArea(optional(text(50)))},
                                        {"specific_pinyin", optional(syllables())},
                                        {"protected", optional(boolean())}}),
                                {"至少一项", "At least one field"}))
                 .ok(nameSchema()),
             handle(&P::correctName));
  router.add(
      Route::post("/names/{id}/reports")
          .pathId("id")
          .summary("登记评估、论证、征求意见报告",
                   "Record the assessment, expert or consultation report (实施办法 §5)")
          .body(object({{"kind", reportKind()}, {"on_date", date()}, {"summary", text(4000)}}))
          .created(nameDetailSchema()),
      handle(&P::addReport));
  router.add(Route::post("/names/{id}/approval")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("登记批准", "Record the approval by the competent authority (§12)")
                 .body(object({{"authority", authority()},
                               {"document_number", text(100)},
                               {"approved_on", date()}}))
                 .ok(nameSchema()),
             handle(&P::approveName));
  router.add(Route::post("/names/{id}/filing")
                 .pathId("id")
                 .summary("登记备案", "Record the filing with the level above (≤ 15 days)")
                 .body(object({{"filed_on", date()}}))
                 .ok(nameSchema()),
             handle(&P::fileName));
  router.add(Route::post("/names/{id}/announcement")
                 .pathId("id")
                 .summary("登记公告", "Record the public announcement (≤ 15 days)")
                 .body(object({{"announced_on", date()}}))
                 .ok(nameSchema()),
             handle(&P::announceName));
  router.add(Route::post("/names/{id}/retirement")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("地名废止", "Retire a standard name")
                 .body(object({{"retired_on", describe(date(), {"废止日期", "Retired on"})},
                               {"reason", text(2000)},
                               {"protection_measures", protectionMeasures(optional(text(2000)))}}))
                 .ok(nameSchema()),
             handle(&P::retireName));

  // ---- Signs ----------------------------------------------------------------------------
  router.add(Route::post("/signs")
                 .summary("登记地名标志",
                          "Record a sign of a standard name; its text is the name in characters "
                          "and in upper-case pinyin")
                 .body(object({{"name_id", nameId()},
                               {"kind", signKind()},
                               {"location", optional(point())},
                               {"responsible", signResponsible(text(100))},
                               {"installed_on", signInstalledOn(date())}}))
                 .created(signSchema()),
             handle(&P::addSign));
  router.add(Route::get("/signs")
                 .summary("地名标志查询", "Signs by condition and township")
                 .list(signSchema(), kSignList)
                 .query("condition", describe(signCondition(), {"状况", "Only in this condition"}))
                 .query("township", describe(text(50), {"乡镇（街道）", "Only this township's"}))
                 .query("name_id", describe(id(), {"地名", "Only this name's signs"})),
             handle(&P::listSigns));
  router.add(Route::patch("/signs/{id}")
                 .pathId("id")
                 .summary("更正地名标志信息",
                          "Correct kind, location, responsible department or installation date; "
                          "audited with old and new values")
                 .body(describe(object({{"kind", optional(signKind())},
                                        {"location", optional(point())},
                                        {"responsible", signResponsible(optional(text(100)))},
                                        {"installed_on", signInstalledOn(optional(date()))}}),
                                {"至少一项", "At least one field"}))
                 .ok(signSchema()),
             handle(&P::correctSign));
  router.add(Route::post("/signs/{id}/inspections")
                 .pathId("id")
                 .summary("地名标志巡查", "Record an inspection and the condition found")
                 .body(object({{"inspected_on", date()},
                               {"condition", condition(signCondition())},
                               {"note", text(1000, 0)}}))
                 .ok(signSchema()),
             handle(&P::inspectSign));

  // ---- Boundaries (界线, 界桩, 平安边界联检) -------------------------------------------------
  router.add(Route::post("/boundary-lines")
                 .summary("登记县级行政区域界线",
                          "Record the county's boundary line with a neighbouring county "
                          "(county-wide users)")
                 .body(object({{"neighbour_code", describe(countyCode(), {"相邻县级区划代码",
                                                                          "The neighbour county's "
                                                                          "code"})},
                               {"neighbour_name", neighbourName(text(50))},
                               {"length_m", lengthM(integer(1, 10000000))},
                               {"description", optional(text(2000, 0))},
                               {"geometry", optional(lineString())}}))
                 .created(boundaryLineSchema()),
             handle(&P::addBoundaryLine));
  router.add(Route::get("/boundary-lines")
                 .summary("行政区域界线查询", "The county's boundary lines")
                 .list(boundaryLineSchema(), kBoundaryLineList)
                 .query("q", describe(text(50), {"相邻县、代码或说明（包含）",
                                                 "Neighbour name, code or description contains"})),
             handle(&P::listBoundaryLines));
  router.add(Route::patch("/boundary-lines/{id}")
                 .pathId("id")
                 .summary("更正界线信息",
                          "Correct the neighbour's name, length, description or geometry; "
                          "audited with old and new values")
                 .body(describe(object({{"neighbour_name", neighbourName(optional(text(50)))},
                                        {"length_m", lengthM(optional(integer(1, 10000000)))},
                                        {"description", optional(text(2000, 0))},
                                        {"geometry", optional(nullable(lineString()))}}),
                                {"至少一项", "At least one field"}))
                 .ok(boundaryLineSchema()),
             handle(&P::correctBoundaryLine));
  router.add(Route::post("/boundary-markers")
                 .summary("登记界桩", "Record a boundary marker (界桩) on a line")
                 .body(object({{"line_id", lineId()},
                               {"number", markerNumber(text(30))},
                               {"kind", markerKind()},
                               {"location", point()},
                               {"installed_on", markerInstalledOn(optional(date()))},
                               {"condition", condition(optional(signCondition()))}}))
                 .created(markerSchema()),
             handle(&P::addMarker));
  router.add(Route::get("/boundary-markers")
                 .summary("界桩查询", "Boundary markers by line and condition")
                 .list(markerSchema(), kMarkerList)
                 .query("line_id", describe(id(), {"界线", "Only this line's markers"}))
                 .query("condition", describe(signCondition(), {"状况", "Only in this condition"}))
                 .query("q", describe(text(30), {"编号（包含）", "Number contains"})),
             handle(&P::listMarkers));
  router.add(Route::patch("/boundary-markers/{id}")
                 .pathId("id")
                 .summary("更正界桩信息",
                          "Correct number, kind, location or installation date (the condition "
                          "comes from inspections); audited with old and new values")
                 .body(describe(object({{"number", markerNumber(optional(text(30)))},
                                        {"kind", optional(markerKind())},
                                        {"location", optional(point())},
                                        {"installed_on", markerInstalledOn(optional(date()))}}),
                                {"至少一项", "At least one field"}))
                 .ok(markerSchema()),
             handle(&P::correctMarker));
  router.add(
      Route::post("/boundary-inspections")
          .summary("登记平安边界联检",
                   "Record a joint inspection by both sides: markers checked with their "
                   "condition, problems found and the deadline to rectify them")
          .body(object(
              {{"line_id", lineId()},
               {"inspected_on", date()},
               {"sides", describe(arrayOf(sideSchema(), 10, 2),
                                  {"参检各方", "The sides taking part (both counties)"})},
               {"markers",
                describe(optional(arrayOf(
                             object({{"marker_id", describe(id(), {"界桩记录号", "The marker"})},
                                     {"condition", condition(signCondition())},
                                     {"note", optional(text(1000, 0))}}),
                             1000)),
                         {"检查的界桩", "Markers checked, with the condition found"})},
               {"problems", problems(optional(text(4000, 0)))},
               {"rectification_due", rectificationDue(optional(date()))}}))
          .created(inspectionSchema()),
      handle(&P::addBoundaryInspection));
  router.add(Route::get("/boundary-inspections")
                 .summary("边界联检记录", "Joint inspections by line and period")
                 .list(inspectionSchema(), kBoundaryInspectionList)
                 .query("line_id", describe(id(), {"界线", "Only this line's inspections"}))
                 .query("from", describe(date(), {"起始日期", "Inspected on or after"}))
                 .query("to", describe(date(), {"截止日期", "Inspected on or before"})),
             handle(&P::listBoundaryInspections));
  router.add(Route::get("/boundary-inspections/overdue")
                 .console({{"queue", true}})
                 .summary("边界问题逾期未整改",
                          "Inspections whose problems are past their rectification deadline")
                 .list(inspectionSchema(), kRectificationOverdueList),
             handle(&P::listRectificationsOverdue));
  router.add(Route::patch("/boundary-inspections/{id}")
                 .pathId("id")
                 .summary("更正联检记录",
                          "Correct the sides, the problems or the deadline; audited with old and "
                          "new values")
                 .body(describe(
                     object({{"sides", describe(optional(arrayOf(sideSchema(), 10, 2)),
                                                {"参检各方", "The sides taking part"})},
                             {"problems", problems(optional(text(4000, 0)))},
                             {"rectification_due", rectificationDue(optional(nullable(date())))}}),
                     {"至少一项", "At least one field"}))
                 .ok(inspectionSchema()),
             handle(&P::correctBoundaryInspection));
  router.add(Route::post("/boundary-inspections/{id}/rectification")
                 .pathId("id")
                 .summary("登记问题整改", "Record that the problems found were rectified")
                 .body(object({{"rectified_on", describe(date(), {"整改完成日期", "Rectified on"})},
                               {"note", text(2000, 0)}}))
                 .ok(inspectionSchema()),
             handle(&P::rectifyBoundaryInspection));

  // ---- Gazetteer import -----------------------------------------------------------------
  router.add(
      Route::post("/imports/names")
          .summary("导入地名录",
                   "Import the county's existing gazetteer from a CSV or XLSX file "
                   "(docs/import-layout.md); every row is checked as an application is, and a "
                   "file with any bad row imports nothing and lists every bad row")
          .body(uploadedFile())
          .acceptsFile()
          .created(
              object({{"names", describe(integer(0), {"导入地名数", "Names imported"})},
                      {"standard", describe(integer(0), {"其中标准名称", "Of which standard"})},
                      {"proposed", describe(integer(0), {"其中拟命名", "Of which proposed"})},
                      {"renamed", describe(integer(0), {"其中已更名", "Of which renamed"})},
                      {"retired", describe(integer(0), {"其中废止", "Of which retired"})}})),
      handle(&P::importNames));

  // ---- Exchange (GIS) --------------------------------------------------------------------
  router.add(
      Route::get("/names.geojson")
          .summary("地名导出（GeoJSON）",
                   "Names with a location as a GeoJSON FeatureCollection (WGS 84 / CGCS2000)")
          .query("status", describe(status(), {"状态", "Only this status (default: all)"}))
          .query("category", describe(category(), {"类别", "Only this category"}))
          .document("application/geo+json", "a GeoJSON FeatureCollection"),
      handle(&P::exportNamesGeoJson));
  router.add(Route::get("/names.csv")
                 .summary("地名导出（CSV）", "Names as CSV (UTF-8 with BOM), one line per name")
                 .query("status", describe(status(), {"状态", "Only this status (default: all)"}))
                 .query("category", describe(category(), {"类别", "Only this category"}))
                 .document(sdk::kCsv, "the names, one line each"),
             handle(&P::exportNamesCsv));
  router.add(
      Route::get("/divisions.csv")
          .summary("行政区划导出（CSV）", "The divisions in force on a day as CSV (UTF-8 with BOM)")
          .query("as_of", asOf())
          .document(sdk::kCsv, "the divisions, one line each"),
      handle(&P::exportDivisionsCsv));

  // ---- Forbidden words --------------------------------------------------------------------
  router.add(Route::get("/forbidden-words")
                 .summary("地名禁用词", "The county's list of words a name may not contain")
                 .list(wordSchema(), kWordList)
                 .query("kind", describe(wordKind(), {"类型", "Only this kind"})),
             handle(&P::listWords));
  router.add(Route::post("/forbidden-words")
                 .permission(Permission::Administer)
                 .summary("新增禁用词", "Add a word to the list")
                 .body(object({{"word", describe(text(40), {"禁用词", "The forbidden word"})},
                               {"kind", wordKind()},
                               {"note", optional(text(500, 0))}}))
                 .created(wordSchema()),
             handle(&P::addWord));
  router.add(Route::del("/forbidden-words/{id}")
                 .pathId("id")
                 .permission(Permission::Administer)
                 .summary("删除禁用词", "Remove a word from the list")
                 .noContent(),
             handle(&P::removeWord));
}

}  // namespace civ::plugins::place_names
