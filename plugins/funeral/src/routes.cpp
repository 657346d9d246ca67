// The module's HTTP surface: every route with its permission, parameters, request schema and
// answers (the host checks them and documents the routes in /api/openapi.json).
#include <civ/sdk/context.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/router.h>
#include <civ/sdk/schema.h>

#include "funeral_plugin.h"

namespace civ::plugins::funeral {

namespace {

using nlohmann::json;
using namespace sdk::schema;

// --- Values every route repeats ------------------------------------------------------------

/// A facility code: 2 to 12 letters or digits (checked when the facility is created).
json facilityCode() { return {{"type", "string"}, {"pattern", "^[0-9A-Za-z]{2,12}$"}}; }

/// An amount the clerk enters: yuan with at most two decimals, below a billion.
json amountInput() {
  return {{"type", "string"}, {"format", "money"}, {"pattern", "^[0-9]{1,9}(\\.[0-9]{1,2})?$"}};
}

/// A plot area as entered, in m²: "0.8", "3.5".
json plotAreaInput() { return {{"type", "string"}, {"pattern", "^[0-9]{1,3}(\\.[0-9]{1,2})?$"}}; }

/// A facility's site area as entered, in m²: "12000.5" (parseSiteArea checks the range).
json siteAreaInput() { return {{"type", "string"}, {"pattern", "^[0-9]{1,9}(\\.[0-9]{1,2})?$"}}; }

/// An area as answered (Area::toString): m² with two decimals, "0.80".
json areaText() { return {{"type", "string"}, {"pattern", "^[0-9]+\\.[0-9]{2}$"}}; }

/// A name from the persons registry, which keeps names of 1 to 200 bytes.
json personName() { return text(200); }

json facilityKind() {
  return enumOf({{"funeral_home", {"殡仪馆", "funeral home"}},
                 {"crematorium", {"火葬场", "crematorium"}},
                 {"ash_hall", {"骨灰堂", "ash hall"}},
                 {"service_station", {"殡仪服务站", "service station"}},
                 {"cemetery", {"公墓", "cemetery"}}});
}

json cemeteryType() {
  return enumOf({{"public_welfare", {"公益性公墓", "public welfare"}},
                 {"commercial", {"经营性公墓", "commercial"}}});
}

json authority() {
  return enumOf({{"county_government", {"县级人民政府", "county government"}},
                 {"county_civil_affairs", {"县级民政部门", "county civil-affairs bureau"}},
                 {"province", {"省级民政部门", "province"}}});
}

json zoneKind() {
  return enumOf({{"cremation", {"火葬区", "cremation zone"}},
                 {"burial_reform", {"土葬改革区", "burial reform zone"}}});
}

json plotKind() {
  return enumOf({{"ashes", {"骨灰墓穴", "ashes"}},
                 {"body_single", {"单人遗体墓穴", "single body"}},
                 {"body_double", {"双人遗体墓穴", "double body"}}});
}

json violationKind() {
  return enumOf({{"illegal_burial", {"乱埋乱葬", "illegal burial"}},
                 {"unapproved_facility", {"未经批准的殡葬设施", "unapproved facility"}},
                 {"oversized_plot", {"超标准墓穴", "oversized plot"}}});
}

/// A violation's status: open when recorded, then each enforcement step's.
json violationStatus() {
  return enumOf({{"open", {"待处理", "open"}},
                 {"ordered", {"已责令改正", "ordered"}},
                 {"corrected", {"已改正", "corrected"}},
                 {"fined", {"已处罚", "fined"}},
                 {"closed", {"已结案", "closed"}}});
}

json serviceKind() {
  return enumOf({{"collection", {"遗体接运", "collection"}},
                 {"storage", {"遗体存放", "storage"}},
                 {"cremation", {"遗体火化", "cremation"}}});
}

json dispositionKind() {
  return enumOf({{"stored", {"骨灰寄存", "ashes stored"}},
                 {"cemetery_plot", {"公墓安葬", "buried in a plot"}},
                 {"green_burial", {"节地生态安葬", "green burial"}},
                 {"taken_home", {"家属领回", "taken home"}},
                 {"body_burial", {"遗体安葬", "body burial"}}});
}

json greenType() {
  return enumOf({{"sea", {"海葬", "sea"}},
                 {"tree", {"树葬", "tree"}},
                 {"flower", {"花葬", "flower"}},
                 {"lawn", {"草坪葬", "lawn"}}});
}

json exemptItem() {
  return enumOf({{"collection", {"遗体接运", "collection"}},
                 {"storage", {"遗体存放", "storage"}},
                 {"cremation", {"遗体火化", "cremation"}},
                 {"ash_storage", {"骨灰寄存", "ash storage"}},
                 {"urn", {"骨灰盒", "urn"}}});
}

json exemptCategory() {
  return enumOf({{"tekun", {"特困人员", "tekun (extreme poverty)"}},
                 {"dibao", {"低保对象", "dibao recipient"}},
                 {"veteran", {"重点优抚对象", "veteran"}},
                 {"unidentified", {"无名遗体", "unidentified body"}},
                 {"all_residents", {"全体居民", "every resident"}}});
}

// --- Answers (one schema per entity) --------------------------------------------------------

/// What POST /facilities answers.
json facilityCreatedSchema() {
  return object(
      {{"id", id()}, {"code", facilityCode()}, {"kind", facilityKind()}, {"approved", boolean()}});
}

/// One facility of GET /facilities, with its approval in force today and its plots.
json facilitySchema() {
  return object(
      {{"id", id()},
       {"code", facilityCode()},
       {"kind", facilityKind()},
       {"name", text(100)},
       {"township", text(100)},
       {"furnaces", integer(0, 100)},
       {"approved", describe(boolean(), {"批准在有效期内", "An approval is in force today"})},
       {"plots", integer(0)},
       {"plots_sold", integer(0)},
       {"cemetery_type", optional(cemeteryType())},
       {"area_m2", optional(areaText())},
       {"plots_planned", optional(integer(0, 1000000))}});
}

json approvalSchema() {
  return object({{"code", facilityCode()}, {"approved", boolean()}, {"authority", authority()}});
}

/// A township's zone from a date: what POST /zones takes and answers.
json zoneSchema() {
  return object({{"township", text(100)},
                 {"zone", zoneKind()},
                 {"effective_from", date()},
                 {"document", text(200)}});
}

json plotSchema() {
  return object(
      {{"id", id()}, {"number", text(40)}, {"kind", plotKind()}, {"area_m2", areaText()}});
}

json plotStatus() {
  return enumOf(
      {{"available", {"待售", "not sold"}}, {"sold", {"已售（已安排）", "sold or allocated"}}});
}

/// One plot of GET /plots (and what PATCH /plots/{id} answers).
json plotItemSchema() {
  return object({{"id", id()},
                 {"number", text(40)},
                 {"kind", plotKind()},
                 {"area_m2", areaText()},
                 {"cemetery_code", facilityCode()},
                 {"status", plotStatus()},
                 {"sold_on", nullable(date())},
                 {"use_until", nullable(date())},
                 {"holder", nullable(text(50))},
                 {"death_id", nullable(id())}});
}

json saleSchema() {
  return object({{"id", id()},
                 {"sold_on", date()},
                 {"use_until", date()},
                 {"use_years", integer(1, 20)},
                 {"holder", text(50)},
                 {"price", money()}});
}

json violationSchema() {
  return object({{"id", id()},
                 {"kind", violationKind()},
                 {"location", text(200)},
                 {"township", text(100)},
                 {"found_on", date()},
                 {"description", text(2000)},
                 {"status", violationStatus()},
                 {"closed_on", nullable(date())}});
}

json exemptItemsSchema() {
  return arrayOf(object({{"item", exemptItem()}, {"charged", money()}, {"exempt", money()}}), 5, 1);
}

/// The exemption as recorded; `extra` adds what the grant answers besides.
json exemptionSchema(Properties extra = {}) {
  Properties properties = sdk::schema::properties(
      {{"category", exemptCategory()},
       {"basis", enumOf({{"coverage", {"在册救助对象", "covered on the date of death"}},
                         {"certificate", {"凭证明认定", "decided from a certificate"}},
                         {"unidentified", {"无名遗体", "unidentified body"}},
                         {"all_residents", {"全体居民", "every resident"}}})},
       {"evidence", describe(text(200, 0), {"依据编号",
                                            "Case or certificate number; empty "
                                            "when none applies"})},
       {"note", text(1000)},
       {"exempt", money()},
       {"charged", money()},
       {"items", exemptItemsSchema()}});
  for (auto& property : extra) properties.push_back(std::move(property));
  return object(std::move(properties));
}

/// A death registration with its services, disposition and exemption (deathJson).
json deathSchema() {
  return object(
      {{"id", id()},
       {"number", describe(text(40), {"死亡登记编号", "SW<county>-<year>-<sequence>"})},
       {"person_id", nullable(id())},
       {"citizen_id", nullable(citizenId())},
       {"name", nullable(personName())},
       {"unidentified_case", nullable(text(60))},
       {"death_date", date()},
       {"place", text(200)},
       {"township", text(100)},
       {"manner",
        enumOf({{"normal", {"正常死亡", "normal"}}, {"abnormal", {"非正常死亡", "abnormal"}}})},
       {"certificate_number", text(60)},
       {"certificate_issuer",
        enumOf({{"medical", {"医疗机构", "medical"}}, {"police", {"公安机关", "police"}}})},
       {"registered_on", date()},
       {"services", arrayOf(object({{"kind", serviceKind()},
                                    {"facility_code", facilityCode()},
                                    {"on_date", date()},
                                    {"vehicle", optional(text(20))},
                                    {"distance_km", optional(integer(0, 2000))},
                                    {"storage_days", optional(integer(1, 365))},
                                    {"certificate_number", optional(text(60))}}))},
       {"disposition", nullable(object({{"kind", dispositionKind()},
                                        {"on_date", date()},
                                        {"green_type", optional(greenType())},
                                        {"plot_id", optional(id())}}))},
       {"exemption", nullable(exemptionSchema())}});
}

/// One death of GET /deaths: the registration with whether the body was cremated and how it
/// was disposed of (GET /deaths/{id} has the services and the exemption).
json deathItemSchema() {
  return object(
      {{"id", id()},
       {"number", text(40)},
       {"person_id", nullable(id())},
       {"citizen_id", nullable(citizenId())},
       {"name", nullable(personName())},
       {"unidentified_case", nullable(text(60))},
       {"death_date", date()},
       {"place", text(200)},
       {"township", text(100)},
       {"manner",
        enumOf({{"normal", {"正常死亡", "normal"}}, {"abnormal", {"非正常死亡", "abnormal"}}})},
       {"registered_on", date()},
       {"cremated", boolean()},
       {"disposition", nullable(object({{"kind", dispositionKind()}, {"on_date", date()}}))}});
}

/// What a death list may ask of the disposition: none yet, any, or one kind.
json dispositionFilter() {
  return enumOf({{"pending", {"尚未安置", "not yet disposed of"}},
                 {"disposed", {"已安置", "disposed of (any kind)"}},
                 {"stored", {"骨灰寄存", "ashes stored"}},
                 {"cemetery_plot", {"公墓安葬", "buried in a plot"}},
                 {"green_burial", {"节地生态安葬", "green burial"}},
                 {"taken_home", {"家属领回", "taken home"}},
                 {"body_burial", {"遗体安葬", "body burial"}}});
}

json settlementSchema() {
  return object({{"from", date()},
                 {"to", date()},
                 {"lines", arrayOf(object({{"facility_code", facilityCode()},
                                           {"facility", text(100)},
                                           {"category", exemptCategory()},
                                           {"cases", integer(1)},
                                           {"amount", money()}}))},
                 {"total", money()}});
}

}  // namespace

void FuneralPlugin::addRoutes() {
  auto& router = context_->router();
  const auto handle = [this](sdk::Response (FuneralPlugin::*handler)(sdk::Request&)) {
    return [this, handler](sdk::Request& request) { return (this->*handler)(request); };
  };
  using sdk::Permission;
  using sdk::Route;
  using P = FuneralPlugin;

  router.add(Route::post("/facilities")
                 .permission(Permission::Administer)
                 .summary("新增殡葬设施",
                          "Add a funeral home, crematorium, ash hall, service station or cemetery")
                 .body(object({{"code", facilityCode()},
                               {"kind", facilityKind()},
                               {"name", text(100)},
                               {"township", text(100)},
                               {"furnaces", optional(integer(0, 100))},
                               {"cemetery_type", optional(cemeteryType())},
                               {"area_m2", optional(siteAreaInput())},
                               {"plots_planned", optional(integer(0, 1000000))}}))
                 .created(facilityCreatedSchema()),
             handle(&P::createFacility));
  router.add(Route::post("/facilities/{code}/approvals")
                 .pathParam("code", facilityCode())
                 .permission(Permission::Administer)
                 .summary("登记设施审批", "Record a facility's approval by the competent authority")
                 .body(object({{"authority", authority()},
                               {"document_number", text(80)},
                               {"approved_on", date()},
                               {"valid_until", optional(date())}}))
                 .ok(approvalSchema()),
             handle(&P::approveFacility));
  router.add(
      Route::get("/facilities")
          .summary("殡葬设施列表", "Facilities with approval status, plots and plots sold")
          .list(facilitySchema(), kFacilityList)
          .query("kind", describe(facilityKind(), {"设施类型", "Only facilities of this kind"}))
          .query("township", describe(text(100), {"乡镇（街道）", "Only this township's"}))
          .query("approved", describe(boolean(), {"批准在有效期内",
                                                  "Only facilities whose approval is (true) "
                                                  "or is not (false) in force today"})),
      handle(&P::listFacilities));
  router.add(Route::patch("/facilities/{code}")
                 .pathParam("code", facilityCode())
                 .permission(Permission::Administer)
                 .summary("更正殡葬设施登记信息",
                          "Correct what was typed for a facility (not its code, kind or cemetery "
                          "type); audited with old and new values")
                 .body(describe(object({{"name", optional(text(100))},
                                        {"township", optional(text(100))},
                                        {"furnaces", optional(integer(0, 100))},
                                        {"area_m2", optional(siteAreaInput())},
                                        {"plots_planned", optional(integer(0, 1000000))}}),
                                {"至少一项", "At least one field"}))
                 .ok(facilitySchema()),
             handle(&P::correctFacility));
  router.add(Route::post("/zones")
                 .permission(Permission::Administer)
                 .summary("划定乡镇火葬区或土葬改革区",
                          "Set a township's zone (cremation or burial reform) from a date")
                 .body(zoneSchema())
                 .created(zoneSchema()),
             handle(&P::setZone));
  router.add(
      Route::post("/cemeteries/{code}/plots")
          .pathParam("code", facilityCode())
          .summary("新增墓穴",
                   "Add a plot; its size is checked against the national and "
                   "local limits")
          .body(object({{"number", text(40)}, {"kind", plotKind()}, {"area_m2", plotAreaInput()}}))
          .created(plotSchema()),
      handle(&P::createPlot));
  router.add(
      Route::get("/plots")
          .summary("墓穴列表", "Plots of the county's cemeteries, sold or not")
          .list(plotItemSchema(), kPlotList)
          .query("cemetery", describe(facilityCode(), {"公墓", "Only this cemetery's plots"}))
          .query("status", describe(plotStatus(), {"状态", "Only plots sold, or not sold"}))
          .query("kind", describe(plotKind(), {"墓穴类型", "Only plots of this kind"})),
      handle(&P::listPlots));
  router.add(
      Route::patch("/plots/{id}")
          .pathId("id")
          .summary("更正墓穴登记信息",
                   "Correct what was typed for a plot (number, kind, area, holder); the size "
                   "limits apply again; audited with old and new values")
          .body(describe(object({{"number", optional(text(40))},
                                 {"kind", optional(plotKind())},
                                 {"area_m2", optional(plotAreaInput())},
                                 {"holder", optional(text(50))}}),
                         {"至少一项", "At least one field"}))
          .ok(plotItemSchema()),
      handle(&P::correctPlot));
  router.add(Route::post("/plots/{id}/sale")
                 .pathId("id")
                 .summary("出售或安排墓穴", "Sell or allocate a plot (20-year use period)")
                 .body(object({{"holder", text(50)},
                               {"price", amountInput()},
                               {"sold_on", optional(date())},
                               {"death_id", optional(id())}}))
                 .ok(saleSchema()),
             handle(&P::sellPlot));
  router.add(Route::post("/violations")
                 .summary("登记殡葬违法行为",
                          "Record an illegal burial, an unapproved facility or an oversized plot")
                 .body(object({{"kind", violationKind()},
                               {"location", text(200)},
                               {"township", text(100)},
                               {"found_on", date()},
                               {"description", text(2000)}}))
                 .created(object({{"id", id()}, {"status", violationStatus()}})),
             handle(&P::recordViolation));
  router.add(
      Route::post("/violations/{id}/enforcement")
          .pathId("id")
          .summary("登记执法处理步骤", "Record an enforcement step; 'closed' sets the closing date")
          .body(object({{"status", enumOf({{"ordered", {"责令改正", "ordered"}},
                                           {"corrected", {"已改正", "corrected"}},
                                           {"fined", {"处罚", "fined"}},
                                           {"closed", {"结案", "closed"}}})},
                        {"note", text(1000)}}))
          .ok(object(
              {{"id", id()}, {"status", violationStatus()}, {"closed_on", nullable(date())}})),
      handle(&P::updateViolation));
  router.add(
      Route::get("/violations")
          .summary("殡葬违法行为列表", "Violations, by status, kind and township")
          .list(violationSchema(), kViolationList)
          .query("status", describe(violationStatus(), {"状态", "Only violations in this status"}))
          .query("kind", describe(violationKind(), {"类型", "Only violations of this kind"}))
          .query("township", describe(text(100), {"乡镇（街道）", "Only this township's"})),
      handle(&P::listViolations));

  router.add(
      Route::get("/deaths")
          .summary("死亡登记查询",
                   "Find deaths: by township, the deceased's citizen ID or name, period, "
                   "disposition")
          .list(deathItemSchema(), kDeathList)
          .query("township", describe(text(100), {"乡镇（街道）", "Only this township's"}))
          .query("citizen_id", describe(citizenId(), {"逝者身份证号", "The deceased's ID"}))
          .query("name", describe(text(50), {"逝者姓名（包含）", "The deceased's name contains"}))
          .query("death_from", describe(date(), {"死亡日期起", "Died on or after"}))
          .query("death_to", describe(date(), {"死亡日期止", "Died on or before"}))
          .query("disposition", describe(dispositionFilter(), {"安置情况", "Disposition"}))
          .query("service",
                 describe(serviceKind(), {"殡葬服务", "Had this service (e.g. cremation)"}))
          .query("facility",
                 describe(text(20), {"服务机构代码", "The service was at this facility"})),
      handle(&P::listDeaths));

  router.add(
      Route::post("/deaths")
          .summary("死亡登记", "Register a death (publishes person.deceased)")
          .body(object({{"citizen_id", optional(citizenId())},
                        {"name", optional(text(50))},
                        {"unidentified_case", optional(text(60))},
                        {"death_date", date()},
                        {"place", text(200)},
                        {"township", text(100)},
                        {"manner", enumOf({{"normal", {"正常死亡", "normal"}},
                                           {"abnormal", {"非正常死亡", "abnormal"}}})},
                        {"certificate_number", text(60)},
                        {"certificate_issuer", enumOf({{"medical", {"医疗机构", "medical"}},
                                                       {"police", {"公安机关", "police"}}})}}))
          .created(deathSchema()),
      handle(&P::registerDeath));
  router.add(Route::get("/deaths/{id}")
                 .console({{"record", "death"}})
                 .pathId("id")
                 .summary("死亡登记详情", "A death with its services, disposition and exemption")
                 .ok(deathSchema()),
             handle(&P::getDeath));
  router.add(
      Route::post("/deaths/{id}/corrections")
          .pathId("id")
          .permission(Permission::Approve)
          .summary("更正死亡登记",
                   "Correct the date or the person (publishes person.death_corrected)")
          .body(object({{"kind", enumOf({{"wrong_date", {"死亡日期有误", "wrong date"}},
                                         {"wrong_person", {"逝者身份有误", "wrong person"}}})},
                        {"death_date", optional(date())},
                        {"citizen_id", optional(citizenId())},
                        {"name", optional(text(50))},
                        {"reason", text(1000)}}))
          .ok(deathSchema()),
      handle(&P::correctDeath));
  router.add(Route::post("/deaths/{id}/collection")
                 .pathId("id")
                 .summary("遗体接运", "Collection of the body")
                 .body(object({{"facility_code", facilityCode()},
                               {"on_date", optional(date())},
                               {"vehicle", optional(text(20))},
                               {"distance_km", optional(integer(0, 2000))}}))
                 .ok(deathSchema()),
             handle(&P::recordCollection));
  router.add(Route::post("/deaths/{id}/storage")
                 .pathId("id")
                 .summary("遗体存放", "Storage of the body")
                 .body(object({{"facility_code", facilityCode()},
                               {"on_date", optional(date())},
                               {"days", integer(1, 365)}}))
                 .ok(deathSchema()),
             handle(&P::recordStorage));
  router.add(
      Route::post("/deaths/{id}/cremation")
          .pathId("id")
          .summary("遗体火化", "Cremation at an approved facility (needs the death registration)")
          .body(object({{"facility_code", facilityCode()},
                        {"cremated_on", optional(date())},
                        {"certificate_number", text(60)}}))
          .ok(deathSchema()),
      handle(&P::recordCremation));
  router.add(
      Route::post("/deaths/{id}/disposition")
          .pathId("id")
          .summary("骨灰或遗体安置",
                   "Ashes stored, buried in a plot, green burial or taken home; or burial of "
                   "the body")
          .body(object({{"kind", dispositionKind()},
                        {"green_type", optional(greenType())},
                        {"facility_code", optional(facilityCode())},
                        {"plot_id", optional(id())},
                        {"on_date", optional(date())}}))
          .ok(deathSchema()),
      handle(&P::recordDisposition));
  router.add(
      Route::post("/deaths/{id}/exemption")
          .pathId("id")
          .summary(
              "惠民殡葬基本费用减免",
              "Basic funeral fee exemption (惠民殡葬), decided from the deceased's coverage on "
              "the date of death or a recorded certificate")
          .body(object(
              {{"facility_code", facilityCode()},
               {"items",
                arrayOf(object({{"item", exemptItem()}, {"charged", amountInput()}}), 5, 1)},
               {"certificate",
                optional(object({{"category", enumOf({{"dibao", {"低保对象", "dibao recipient"}},
                                                      {"tekun", {"特困人员", "tekun"}},
                                                      {"veteran", {"重点优抚对象", "veteran"}}})},
                                 {"number", text(60)},
                                 {"issuer", text(100)}}))}}))
          .created(exemptionSchema(
              properties({{"id", id()}, {"death_id", id()}, {"family_pays", money()}}))),
      handle(&P::grantExemption));
  router.add(Route::get("/exemptions")
                 .summary("惠民殡葬减免查询", "Find fee exemptions: by category and period granted")
                 .list(exemptionSchema(properties({{"id", id()},
                                                   {"death_id", id()},
                                                   {"death_number", text(40)},
                                                   {"facility_code", facilityCode()},
                                                   {"granted_on", date()}})),
                       kExemptionList)
                 .query("category", describe(exemptCategory(), {"减免类别", "Only this category"}))
                 .query("from", describe(date(), {"减免日期起", "Granted on or after"}))
                 .query("to", describe(date(), {"减免日期止", "Granted on or before"})),
             handle(&P::listExemptions));
  router.add(
      Route::get("/exemptions/settlement")
          .summary("惠民殡葬减免结算", "Exemptions per funeral home and category for settlement")
          .query("from", describe(date(), {"起始日期", "First day (default: 30 days ago)"}))
          .query("to", describe(date(), {"截止日期", "Last day (default: today)"}))
          .ok(settlementSchema()),
      handle(&P::settlement));
}

}  // namespace civ::plugins::funeral
