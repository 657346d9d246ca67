// The module's HTTP surface: every route with its permission and request schema.
#include <civ/sdk/context.h>
#include <civ/sdk/router.h>

#include "social_assistance_plugin.h"

namespace civ::plugins::social_assistance {

namespace {

using nlohmann::json;

const json kDate = {{"type", "string"}, {"format", "date"}};
const json kMonth = {{"type", "string"}, {"pattern", "^[0-9]{4}-(0[1-9]|1[0-2])$"}};
const json kAmount = {
    {"type", "string"}, {"format", "money"}, {"pattern", "^[0-9]{1,9}(\\.[0-9]{1,2})?$"}};
const json kSignedAmount = {
    {"type", "string"}, {"format", "money"}, {"pattern", "^-?[0-9]{1,9}(\\.[0-9]{1,2})?$"}};
const json kCitizenId = {{"type", "string"}, {"format", "citizen-id"}};

json text(int max_length) {
  return {{"type", "string"}, {"minLength", 1}, {"maxLength", max_length}};
}

json object(json required, json properties) {
  json schema = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = std::move(required);  // OpenAPI 3.0: non-empty
  return schema;
}

json memberSchema() {
  return object(
      {"citizen_id", "name", "relationship", "lives_together", "inclusion_reason", "work_capacity"},
      {{"citizen_id", kCitizenId},
       {"name", text(50)},
       {"relationship",
        {{"type", "string"},
         {"enum",
          {"applicant", "spouse", "child", "parent", "grandparent", "grandchild", "sibling",
           "other"}}}},
       {"lives_together", {{"type", "boolean"}}},
       {"inclusion_reason", text(200)},
       {"work_capacity", {{"type", "string"}, {"enum", {"full", "partial", "none"}}}},
       {"disability_grade", {{"type", "integer"}, {"minimum", 1}, {"maximum", 4}}},
       {"disability_type",
        {{"type", "string"},
         {"enum",
          {"visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"}}}},
       {"serious_illness", {{"type", "boolean"}}},
       {"student", {{"type", "boolean"}}},
       {"needs_long_term_care", {{"type", "boolean"}}}});
}

}  // namespace

void SocialAssistancePlugin::addRoutes() {
  auto& router = context_->router();
  const auto add = [&](sdk::Method method, const char* path, sdk::Permission permission,
                       const char* summary, json request_schema,
                       sdk::Response (SocialAssistancePlugin::*handler)(sdk::Request&)) {
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
  using P = SocialAssistancePlugin;

  // Households.
  add(Method::Post, "/households", Permission::Edit, "Register a household with its members",
      object({"category", "township", "village", "hukou_address", "residence_address", "members"},
             {{"category", {{"type", "string"}, {"enum", {"urban", "rural"}}}},
              {"township", text(100)},
              {"village", text(100)},
              {"hukou_address", text(200)},
              {"residence_address", text(200)},
              {"income_stability", {{"type", "string"}, {"enum", {"stable", "unstable"}}}},
              {"bank_name", text(100)},
              {"bank_account", {{"type", "string"}, {"pattern", "^[0-9]{8,30}$"}}},
              {"members",
               {{"type", "array"}, {"minItems", 1}, {"maxItems", 30}, {"items", memberSchema()}}}}),
      &P::createHousehold);
  add(Method::Get, "/households/{id}", Permission::Read, "A household with its members and cases",
      nullptr, &P::getHousehold);
  add(Method::Post, "/households/{id}/members", Permission::Edit,
      "Add a member (counted from the next month)", memberSchema(), &P::addMember);
  add(Method::Post, "/households/{id}/members/{member_id}/leave", Permission::Edit,
      "A member leaves the household (no longer counted from the next month)",
      object({"reason"}, {{"reason", text(500)}}), &P::memberLeaves);
  add(Method::Post, "/households/{id}/income-items", Permission::Edit,
      "Record income over a period: counted, excluded (not counted by law) or a deduction",
      object(
          {"category", "treatment", "amount", "period_from", "period_to", "description"},
          {{"citizen_id", kCitizenId},
           {"category",
            {{"type", "string"}, {"enum", {"wages", "business", "property", "transfer", "other"}}}},
           {"treatment", {{"type", "string"}, {"enum", {"counted", "excluded", "deduction"}}}},
           {"amount", kAmount},
           {"period_from", kDate},
           {"period_to", kDate},
           {"description", text(500)}}),
      &P::addIncomeItem);
  add(Method::Post, "/households/{id}/property-items", Permission::Edit,
      "Record property (deposits, securities, vehicles, housing, business registrations)",
      object(
          {"kind", "value", "description"},
          {{"kind",
            {{"type", "string"},
             {"enum",
              {"deposit", "securities", "insurance", "vehicle", "housing", "business", "other"}}}},
           {"value", kAmount},
           {"quantity", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}}},
           {"exempt", {{"type", "boolean"}}},
           {"description", text(500)}}),
      &P::addPropertyItem);
  add(Method::Get, "/households/{id}/assessment", Permission::Read,
      "Income, property and the 低保 amount for a month (?month=YYYY-MM, default next month)",
      nullptr, &P::assessHousehold);

  add(Method::Post, "/imports/households", Permission::Edit,
      "Import households, members and income from CSV (docs/import-layout.md); a file with any "
      "bad row imports nothing and lists every bad row",
      object(
          {"format", "content"},
          {{"format", {{"type", "string"}, {"enum", {"csv", "xlsx"}}}},
           {"content", {{"type", "string"}, {"minLength", 1}, {"maxLength", 256 * 1024 * 1024}}}}),
      &P::importHouseholdFile);

  // Applications and the workflow.
  add(Method::Post, "/applications", Permission::Edit,
      "Receive an application (missing documents: one-time notice, stays pending)",
      object({"household_id", "program", "applicant_citizen_id"},
             {{"household_id", {{"type", "integer"}, {"minimum", 1}}},
              {"program",
               {{"type", "string"},
                {"enum",
                 {"dibao", "dibao_edge", "tekun", "temporary", "disability_living",
                  "disability_care"}}}},
              {"applicant_citizen_id", kCitizenId},
              {"person_citizen_id", kCitizenId},
              {"missing_documents", {{"type", "array"}, {"maxItems", 30}, {"items", text(200)}}},
              {"extended", {{"type", "boolean"}}},
              {"support_mode", {{"type", "string"}, {"enum", {"concentrated", "dispersed"}}}},
              {"self_care_failed_items", {{"type", "integer"}, {"minimum", 0}, {"maximum", 6}}},
              {"temporary_kind", {{"type", "string"}, {"enum", {"emergency", "spending"}}}},
              {"requested_amount", kAmount}}),
      &P::submitApplication);
  add(Method::Get, "/applications/{id}", Permission::Read,
      "An application with its dated transitions", nullptr, &P::getApplication);
  add(Method::Post, "/applications/{id}/documents-complete", Permission::Edit,
      "The missing documents arrived: accepted", nullptr, &P::documentsComplete);
  add(Method::Post, "/applications/{id}/investigation/start", Permission::Edit,
      "Start the household investigation", object(json::array(), {{"note", text(1000)}}),
      &P::startInvestigation);
  add(Method::Post, "/applications/{id}/investigation/complete", Permission::Edit,
      "Investigation signed by at least two investigators, with the data-check items",
      object({"investigators"},
             {{"investigators",
               {{"type", "array"}, {"minItems", 1}, {"maxItems", 10}, {"items", text(50)}}},
              {"data_checks",
               {{"type", "array"},
                {"maxItems", 20},
                {"items",
                 object({"item", "result"},
                        {{"item",
                          {{"type", "string"},
                           {"enum",
                            {"hukou", "tax", "social_insurance", "real_estate", "market_entity",
                             "housing_fund", "vehicles", "deposits", "insurance", "securities"}}}},
                         {"result", {{"type", "string"}, {"enum", {"match", "mismatch"}}}}})}}},
              {"note", text(1000)}}),
      &P::completeInvestigation);
  add(Method::Post, "/applications/{id}/township-review", Permission::Review, "乡镇初审 opinion",
      object({"opinion"},
             {{"opinion", {{"type", "string"}, {"enum", {"recommend", "not_recommend"}}}}}),
      &P::townshipReview);
  add(Method::Post, "/applications/{id}/notice", Permission::Edit,
      "Publish the public notice (7 calendar days unless the county counts working days)",
      object({"location"}, {{"location", text(200)}, {"from", kDate}}), &P::publishNotice);
  add(Method::Post, "/applications/{id}/objections", Permission::Edit,
      "Record an objection during the notice: re-investigate or hold a 民主评议",
      object(
          {"content", "resolution"},
          {{"content", text(2000)},
           {"resolution", {{"type", "string"}, {"enum", {"reinvestigate", "community_review"}}}}}),
      &P::raiseObjection);
  add(Method::Post, "/applications/{id}/community-review", Permission::Review,
      "民主评议 result after an objection",
      object({"opinion", "participants"},
             {{"opinion", {{"type", "string"}, {"enum", {"recommend", "not_recommend"}}}},
              {"participants", {{"type", "integer"}, {"minimum", 3}, {"maximum", 200}}}}),
      &P::communityReview);
  add(Method::Post, "/applications/{id}/decision", Permission::Approve,
      "County decision (approver other than the submitter; a refusal states its reason)",
      object({"result"}, {{"result", {{"type", "string"}, {"enum", {"approve", "refuse"}}}},
                          {"reason", text(2000)},
                          {"county_rechecked", {{"type", "boolean"}}}}),
      &P::decide);
  add(Method::Post, "/applications/{id}/township-approval", Permission::Review,
      "Township approves temporary assistance within its delegated limit", nullptr,
      &P::townshipApproval);
  add(Method::Post, "/applications/{id}/discontinue", Permission::Edit,
      "Stop the review (拒不配合, §29) with the reason",
      object({"reason"}, {{"reason", text(1000)}}), &P::discontinue);
  add(Method::Get, "/overdue", Permission::Read,
      "Open applications past a working-day limit, by how many working days", nullptr, &P::overdue);
  add(Method::Get, "/notices", Permission::Read,
      "Public notice list (?village=&from=&to=), names masked, no ID numbers", nullptr,
      &P::noticeList);
  add(Method::Get, "/notices.html", Permission::Read, "The public notice list, printable", nullptr,
      &P::noticeListHtml);
  add(Method::Get, "/tekun/recheck", Permission::Read,
      "特困 decisions re-checked by the county in a year (?year=) against the 30% sample", nullptr,
      &P::tekunRecheck);

  // Cases.
  add(Method::Get, "/cases/{id}", Permission::Read, "A case", nullptr, &P::getCase);
  add(Method::Get, "/cases/{id}/amount", Permission::Read,
      "The amount for a month (?month=YYYY-MM) with its computation", nullptr, &P::caseAmount);
  add(Method::Post, "/cases/{id}/suspend", Permission::Approve, "Suspend payment from a month",
      object({"from_month", "reason"}, {{"from_month", kMonth}, {"reason", text(1000)}}),
      &P::suspendCase);
  add(Method::Post, "/cases/{id}/resume", Permission::Approve, "Resume payment from a month",
      object({"from_month"}, {{"from_month", kMonth}}), &P::resumeCase);
  add(Method::Post, "/cases/{id}/terminate", Permission::Approve,
      "Terminate a case; `last_month` is the last month paid; the reason is required",
      object({"last_month", "reason"}, {{"last_month", kMonth}, {"reason", text(1000)}}),
      &P::terminateCase);
  add(Method::Post, "/cases/{id}/reviews", Permission::Edit,
      "Re-review (定期核查): recompute from the household's records; phase-out or termination",
      object(json::array(), {{"found_work", {{"type", "boolean"}}}, {"note", text(1000)}}),
      &P::reviewCase);
  add(Method::Post, "/reviews/annual", Permission::Approve,
      "年度复核: re-assess every active 低保 case of the county; new amounts from next month, "
      "households no longer eligible flagged for a written decision",
      object(json::array(), {{"note", text(1000)}}), &P::annualReview);
  add(Method::Get, "/reviews/due", Permission::Read,
      "Cases whose re-review is due within 30 days, or flagged (death, marriage, divorce)", nullptr,
      &P::reviewsDue);
  add(Method::Post, "/cases/{id}/adjustments", Permission::Approve,
      "Correct a paid month by a separate adjustment line on the next run",
      object({"month", "reason"},
             {{"month", kMonth}, {"reason", text(1000)}, {"amount", kSignedAmount}}),
      &P::recordAdjustment);
  add(Method::Post, "/medical-claims", Permission::Edit,
      "Medical assistance for a claim from the medical-insurance bureau (ratio and annual cap "
      "by category)",
      object({"citizen_id", "claim_date", "hospital", "reference", "eligible_expense"},
             {{"citizen_id", kCitizenId},
              {"claim_date", kDate},
              {"hospital", text(200)},
              {"reference", text(60)},
              {"eligible_expense", kAmount}}),
      &P::recordMedicalClaim);
  add(Method::Get, "/persons/{citizen_id}/coverage", Permission::Read,
      "Programs covering a person on a date (?date=)", nullptr, &P::coverageOfPerson);

  // Payment runs.
  add(Method::Post, "/payment-runs", Permission::Approve,
      "Create the payment roll for a month (again for the same month: nothing changes)",
      object({"month"}, {{"month", kMonth}}), &P::runPayments);
  add(Method::Get, "/payment-runs/{month}", Permission::Read, "A payment run with its roll",
      nullptr, &P::getPaymentRun);
  add(Method::Get, "/payment-runs/{month}/roll.csv", Permission::Read,
      "The roll as the bank's CSV (一卡通 layout)", nullptr, &P::exportPaymentRunCsv);
  add(Method::Get, "/payment-runs/{month}/roll.xlsx", Permission::Read, "The roll as XLSX", nullptr,
      &P::exportPaymentRunXlsx);
}

}  // namespace civ::plugins::social_assistance
