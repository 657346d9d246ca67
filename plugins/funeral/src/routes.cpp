// The module's HTTP surface: every route with its permission and request schema.
#include <civ/sdk/context.h>
#include <civ/sdk/router.h>

#include "funeral_plugin.h"

namespace civ::plugins::funeral {

namespace {

using nlohmann::json;

const json kDate = {{"type", "string"}, {"format", "date"}};
const json kCode = {{"type", "string"}, {"pattern", "^[0-9A-Za-z]{2,12}$"}};
const json kAmount = {
    {"type", "string"}, {"format", "money"}, {"pattern", "^[0-9]{1,9}(\\.[0-9]{1,2})?$"}};
const json kArea = {{"type", "string"}, {"pattern", "^[0-9]{1,3}(\\.[0-9]{1,2})?$"}};

json text(int max_length) {
  return {{"type", "string"}, {"minLength", 1}, {"maxLength", max_length}};
}

json object(json required, json properties) {
  json schema = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

json oneOf(std::initializer_list<const char*> values) {
  json list = json::array();
  for (const char* value : values) list.push_back(value);
  return {{"type", "string"}, {"enum", list}};
}

}  // namespace

void FuneralPlugin::addRoutes() {
  auto& router = context_->router();
  const auto add = [&](sdk::Method method, const char* path, sdk::Permission permission,
                       const char* summary, json request_schema,
                       sdk::Response (FuneralPlugin::*handler)(sdk::Request&)) {
    sdk::RouteDeclaration route;
    route.method = method;
    route.path = path;
    route.permission = permission;
    route.summary = summary;
    route.request_schema = std::move(request_schema);
    route.response_schema = {{"type", "object"}};
    router.add(route, [this, handler](sdk::Request& request) { return (this->*handler)(request); });
  };
  using sdk::Method;
  using sdk::Permission;
  using P = FuneralPlugin;

  add(Method::Post, "/facilities", Permission::Administer,
      "Add a funeral home, crematorium, ash hall, service station or cemetery",
      object({"code", "kind", "name", "township"},
             {{"code", kCode},
              {"kind",
               oneOf({"funeral_home", "crematorium", "ash_hall", "service_station", "cemetery"})},
              {"name", text(100)},
              {"township", text(100)},
              {"furnaces", {{"type", "integer"}, {"minimum", 0}, {"maximum", 100}}},
              {"cemetery_type", oneOf({"public_welfare", "commercial"})},
              {"area_m2", {{"type", "string"}, {"pattern", "^[0-9]{1,9}(\\.[0-9]{1,2})?$"}}},
              {"plots_planned", {{"type", "integer"}, {"minimum", 0}, {"maximum", 1000000}}}}),
      &P::createFacility);
  add(Method::Post, "/facilities/{code}/approvals", Permission::Administer,
      "Record a facility's approval by the competent authority",
      object({"authority", "document_number", "approved_on"},
             {{"authority", oneOf({"county_government", "county_civil_affairs", "province"})},
              {"document_number", text(80)},
              {"approved_on", kDate},
              {"valid_until", kDate}}),
      &P::approveFacility);
  add(Method::Get, "/facilities", Permission::Read,
      "Facilities with approval status, plots and plots sold", nullptr, &P::listFacilities);
  add(Method::Post, "/zones", Permission::Administer,
      "Set a township's zone (cremation or burial reform) from a date",
      object({"township", "zone", "effective_from", "document"},
             {{"township", text(100)},
              {"zone", oneOf({"cremation", "burial_reform"})},
              {"effective_from", kDate},
              {"document", text(200)}}),
      &P::setZone);
  add(Method::Post, "/cemeteries/{code}/plots", Permission::Edit,
      "Add a plot; its size is checked against the national and local limits",
      object({"number", "kind", "area_m2"},
             {{"number", text(40)},
              {"kind", oneOf({"ashes", "body_single", "body_double"})},
              {"area_m2", kArea}}),
      &P::createPlot);
  add(Method::Post, "/plots/{id}/sale", Permission::Edit,
      "Sell or allocate a plot (20-year use period)",
      object({"holder", "price"}, {{"holder", text(50)},
                                   {"price", kAmount},
                                   {"sold_on", kDate},
                                   {"death_id", {{"type", "integer"}, {"minimum", 1}}}}),
      &P::sellPlot);
  add(Method::Post, "/violations", Permission::Edit,
      "Record an illegal burial, an unapproved facility or an oversized plot",
      object({"kind", "location", "township", "found_on", "description"},
             {{"kind", oneOf({"illegal_burial", "unapproved_facility", "oversized_plot"})},
              {"location", text(200)},
              {"township", text(100)},
              {"found_on", kDate},
              {"description", text(2000)}}),
      &P::recordViolation);
  add(Method::Post, "/violations/{id}/enforcement", Permission::Edit,
      "Record an enforcement step; 'closed' sets the closing date",
      object({"status", "note"}, {{"status", oneOf({"ordered", "corrected", "fined", "closed"})},
                                  {"note", text(1000)}}),
      &P::updateViolation);
  add(Method::Get, "/violations", Permission::Read, "Violations (?status=)", nullptr,
      &P::listViolations);

  add(Method::Post, "/deaths", Permission::Edit, "Register a death (publishes person.deceased)",
      object(
          {"death_date", "place", "township", "manner", "certificate_number", "certificate_issuer"},
          {{"citizen_id", {{"type", "string"}, {"format", "citizen-id"}}},
           {"name", text(50)},
           {"unidentified_case", text(60)},
           {"death_date", kDate},
           {"place", text(200)},
           {"township", text(100)},
           {"manner", oneOf({"normal", "abnormal"})},
           {"certificate_number", text(60)},
           {"certificate_issuer", oneOf({"medical", "police"})}}),
      &P::registerDeath);
  add(Method::Get, "/deaths/{id}", Permission::Read,
      "A death with its services, disposition and exemption", nullptr, &P::getDeath);
  add(Method::Post, "/deaths/{id}/corrections", Permission::Approve,
      "Correct the date or the person (publishes person.death_corrected)",
      object({"kind", "reason"}, {{"kind", oneOf({"wrong_date", "wrong_person"})},
                                  {"death_date", kDate},
                                  {"citizen_id", {{"type", "string"}, {"format", "citizen-id"}}},
                                  {"name", text(50)},
                                  {"reason", text(1000)}}),
      &P::correctDeath);
  add(Method::Post, "/deaths/{id}/collection", Permission::Edit, "Collection of the body",
      object({"facility_code"},
             {{"facility_code", kCode},
              {"on_date", kDate},
              {"vehicle", text(20)},
              {"distance_km", {{"type", "integer"}, {"minimum", 0}, {"maximum", 2000}}}}),
      &P::recordCollection);
  add(Method::Post, "/deaths/{id}/storage", Permission::Edit, "Storage of the body",
      object({"facility_code", "days"},
             {{"facility_code", kCode},
              {"on_date", kDate},
              {"days", {{"type", "integer"}, {"minimum", 1}, {"maximum", 365}}}}),
      &P::recordStorage);
  add(Method::Post, "/deaths/{id}/cremation", Permission::Edit,
      "Cremation at an approved facility (needs the death registration)",
      object({"facility_code", "certificate_number"},
             {{"facility_code", kCode}, {"cremated_on", kDate}, {"certificate_number", text(60)}}),
      &P::recordCremation);
  add(Method::Post, "/deaths/{id}/disposition", Permission::Edit,
      "Ashes stored, buried in a plot, green burial or taken home; or burial of the body",
      object({"kind"}, {{"kind", oneOf({"stored", "cemetery_plot", "green_burial", "taken_home",
                                        "body_burial"})},
                        {"green_type", oneOf({"sea", "tree", "flower", "lawn"})},
                        {"facility_code", kCode},
                        {"plot_id", {{"type", "integer"}, {"minimum", 1}}},
                        {"on_date", kDate}}),
      &P::recordDisposition);
  add(Method::Post, "/deaths/{id}/exemption", Permission::Edit,
      "Basic funeral fee exemption (惠民殡葬), decided from the deceased's coverage on the date "
      "of death or a recorded certificate",
      object(
          {"facility_code", "items"},
          {{"facility_code", kCode},
           {"items",
            {{"type", "array"},
             {"minItems", 1},
             {"maxItems", 5},
             {"items",
              object({"item", "charged"},
                     {{"item", oneOf({"collection", "storage", "cremation", "ash_storage", "urn"})},
                      {"charged", kAmount}})}}},
           {"certificate", object({"category", "number", "issuer"},
                                  {{"category", oneOf({"dibao", "tekun", "veteran"})},
                                   {"number", text(60)},
                                   {"issuer", text(100)}})}}),
      &P::grantExemption);
  add(Method::Get, "/exemptions/settlement", Permission::Read,
      "Exemptions per funeral home and category for settlement (?from=&to=)", nullptr,
      &P::settlement);
}

}  // namespace civ::plugins::funeral
