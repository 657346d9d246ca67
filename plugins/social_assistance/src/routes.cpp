// The module's HTTP surface: every route with its permission, parameters, request schema and
// answers (the answers' schemas are in schemas.cpp, one per entity).
#include <civ/sdk/context.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/router.h>
#include <civ/sdk/schema.h>

#include "household_import.h"
#include "schemas.h"
#include "search_routes.h"
#include "social_assistance_plugin.h"

namespace civ::plugins::social_assistance {

void SocialAssistancePlugin::addRoutes() {
  using nlohmann::json;
  using namespace sdk::schema;
  using sdk::LocalizedText;
  using sdk::Permission;
  using sdk::Route;
  using P = SocialAssistancePlugin;
  auto& router = context_->router();
  const auto handler = [this](sdk::Response (P::*method)(sdk::Request&)) -> sdk::RouteHandler {
    return [this, method](sdk::Request& request) { return (this->*method)(request); };
  };

  // Households.
  // Finding records (search_routes.cpp): every list pages and sorts by the SDK convention and
  // keeps to the caller's county and township scope.
  const json case_status =
      enumOf({{"active", {"在保", "active"}}, {"terminated", {"已终止", "terminated"}}});
  router.add(
      Route::get("/households")
          .summary("家庭列表", "Households: by township, village, category, a member's name or ID")
          .list(object({{"id", id()},
                        {"number", recordNumberSchema()},
                        {"category", categorySchema()},
                        {"township", text(100)},
                        {"village", text(100)},
                        {"created_on", date()},
                        {"review_flag", nullable(text(2000))},
                        {"members", describe(integer(0), {"在册人数", "Members not left"})}}),
                kHouseholdList)
          .query("township", text(100))
          .query("village", text(100))
          .query("category", categorySchema())
          .query("name", describe(text(50), {"成员姓名", "A member's name, or part of it"}))
          .query("citizen_id", describe(citizenId(), {"成员身份证号", "A member's citizen ID"})),
      handler(&P::listHouseholds));
  router.add(Route::get("/applications")
                 .summary("申请列表", "Applications: by program, status, township, household")
                 .list(object({{"id", id()},
                               {"number", recordNumberSchema()},
                               {"program", programSchema()},
                               {"status", applicationStatusSchema()},
                               {"household_id", id()},
                               {"household_number", recordNumberSchema()},
                               {"township", text(100)},
                               {"village", text(100)},
                               {"applicant", text(200)},
                               {"received_on", date()},
                               {"decided_on", nullable(date())}}),
                       kApplicationList)
                 .query("program", programSchema())
                 .query("status", describe(applicationStatusSchema(),
                                           {"办理环节", "The step the application is at"}))
                 .query("township", text(100))
                 .query("household_id", id())
                 .query("overdue", describe(boolean(), {"超期",
                                                        "Only applications with (true) or without "
                                                        "(false) a step past its working-day "
                                                        "limit today (as GET /overdue)"})),
             handler(&P::listApplications));
  router.add(Route::get("/cases")
                 .summary("救助案件列表", "Cases: by program, status, township, support mode")
                 .list(object({{"id", id()},
                               {"number", recordNumberSchema()},
                               {"program", programSchema()},
                               {"status", case_status},
                               {"household_id", id()},
                               {"household_number", recordNumberSchema()},
                               {"township", text(100)},
                               {"payee", text(200)},
                               {"start_month", month()},
                               {"end_month", nullable(month())},
                               {"support_mode", nullable(supportModeSchema())}}),
                       kCaseList)
                 .query("program", programSchema())
                 .query("status", case_status)
                 .query("township", text(100))
                 .query("support_mode", supportModeSchema())
                 .query("household_id", id()),
             handler(&P::listCases));
  router.add(
      Route::get("/adjustments")
          .summary("补发扣减列表", "Adjustments: by case, those awaiting confirmation or payment")
          .list(adjustmentSchema(), kAdjustmentList)
          .query("case_id", id())
          .query("unconfirmed", describe({{"type", "boolean"}, {"default", false}},
                                         {"待复核", "Only those not yet confirmed"}))
          .query("unpaid", describe({{"type", "boolean"}, {"default", false}},
                                    {"待发放", "Only those no run has paid"})),
      handler(&P::listAdjustments));

  router.add(Route::post("/households")
                 .permission(Permission::Edit)
                 .summary("登记救助家庭", "Register a household with its members")
                 .body(object({{"category", categorySchema()},
                               {"township", text(100)},
                               {"village", text(100)},
                               {"hukou_address", text(200)},
                               {"residence_address", text(200)},
                               {"income_stability", optional(incomeStabilitySchema())},
                               {"bank_name", optional(text(100))},
                               {"bank_account", optional(bankAccountSchema())},
                               {"members", arrayOf(memberInputSchema(), 30, 1)}}))
                 .created(householdSchema()),
             handler(&P::createHousehold));
  router.add(Route::get("/households/{id}")
                 .console({{"record", "household"}})
                 .pathId("id")
                 .summary("家庭详情", "A household with its members and cases")
                 .ok(householdSchema()),
             handler(&P::getHousehold));
  router.add(
      Route::post("/households/{id}/members")
          .pathId("id")
          .permission(Permission::Edit)
          .summary("增加家庭成员（次月起计入）", "Add a member (counted from the next month)")
          .body(memberInputSchema())
          .created(householdSchema()),
      handler(&P::addMember));
  router.add(Route::post("/households/{id}/members/{member_id}/leave")
                 .pathId("id")
                 .pathId("member_id")
                 .permission(Permission::Edit)
                 .summary("家庭成员减少（次月起不再计入）",
                          "A member leaves the household (no longer counted from the next month)")
                 .body(object({{"reason", text(500)}}))
                 .ok(householdSchema()),
             handler(&P::memberLeaves));
  router.add(
      Route::post("/households/{id}/income-items")
          .pathId("id")
          .permission(Permission::Edit)
          .summary("登记家庭收入",
                   "Record income over a period: counted, excluded (not counted by law) or a "
                   "deduction")
          .body(object({{"citizen_id", optional(citizenId())},
                        {"category", incomeCategorySchema()},
                        {"treatment", incomeTreatmentSchema()},
                        {"amount", money()},
                        {"period_from", date()},
                        {"period_to", date()},
                        {"description", text(500)}}))
          .created(itemCreatedSchema()),
      handler(&P::addIncomeItem));
  router.add(Route::post("/households/{id}/property-items")
                 .pathId("id")
                 .permission(Permission::Edit)
                 .summary("登记家庭财产",
                          "Record property (deposits, securities, vehicles, housing, business "
                          "registrations)")
                 .body(object({{"kind", propertyKindSchema()},
                               {"value", money()},
                               {"quantity", optional(integer(1, 1000))},
                               {"exempt", optional(boolean())},
                               {"description", text(500)}}))
                 .created(itemCreatedSchema()),
             handler(&P::addPropertyItem));
  // Corrections of what was typed (correction_routes.cpp): one audit row per correction with the
  // changed fields' old and new values; an empty body is 400, a body that changes nothing 422.
  const LocalizedText at_least_one = {"至少一项", "At least one field"};
  router.add(
      Route::patch("/households/{id}")
          .pathId("id")
          .permission(Permission::Edit)
          .summary("更正家庭登记信息",
                   "Correct what was typed for a household (addresses, category, township, "
                   "village, income stability, bank); moving it to another township needs both "
                   "in the caller's scope; null clears the bank name or account")
          .body(describe(object({{"category", optional(categorySchema())},
                                 {"township", optional(text(100))},
                                 {"village", optional(text(100))},
                                 {"hukou_address", optional(text(200))},
                                 {"residence_address", optional(text(200))},
                                 {"income_stability", optional(incomeStabilitySchema())},
                                 {"bank_name", optional(nullable(text(100)))},
                                 {"bank_account", optional(nullable(bankAccountSchema()))}}),
                         at_least_one))
          .ok(householdSchema()),
      handler(&P::correctHousehold));
  router.add(
      Route::get("/households/{id}/members")
          .pathId("id")
          .summary("家庭成员列表", "The household's members, present and former")
          .list(memberSchema(), kMemberList)
          .query("present", describe(boolean(), {"在册", "Only members who have (not) left"})),
      handler(&P::listMembers));
  router.add(
      Route::patch("/households/{id}/members/{member_id}")
          .pathId("id")
          .pathId("member_id")
          .permission(Permission::Edit)
          .summary("更正家庭成员信息",
                   "Correct what was typed about a present member; the citizen ID and name are "
                   "the persons registry's and are not corrected here")
          .body(describe(object({{"relationship", optional(relationshipSchema())},
                                 {"lives_together", optional(boolean())},
                                 {"inclusion_reason", optional(text(200))},
                                 {"work_capacity", optional(workCapacitySchema())},
                                 {"disability_grade", optional(nullable(integer(1, 4)))},
                                 {"disability_type", optional(nullable(disabilityTypeSchema()))},
                                 {"serious_illness", optional(boolean())},
                                 {"student", optional(boolean())},
                                 {"needs_long_term_care", optional(boolean())}}),
                         at_least_one))
          .ok(householdSchema()),
      handler(&P::correctMember));
  const json withdrawn_filter =
      describe(boolean(), {"已撤销", "Only withdrawn items (true) or items in force (false)"});
  const json withdrawal = object({{"reason", text(1000)}});
  router.add(Route::get("/households/{id}/income-items")
                 .pathId("id")
                 .summary("家庭收入列表", "The household's income items, withdrawn ones marked")
                 .list(incomeItemSchema(), kIncomeItemList)
                 .query("withdrawn", withdrawn_filter)
                 .query("treatment", incomeTreatmentSchema()),
             handler(&P::listIncomeItems));
  router.add(
      Route::patch("/households/{id}/income-items/{item_id}")
          .pathId("id")
          .pathId("item_id")
          .permission(Permission::Edit)
          .summary("更正或截止家庭收入",
                   "Correct an income item (amount, category, treatment, period, description, "
                   "member) or end it by setting period_to; a household with an active case is "
                   "flagged for re-review")
          .body(describe(object({{"citizen_id", optional(nullable(citizenId()))},
                                 {"category", optional(incomeCategorySchema())},
                                 {"treatment", optional(incomeTreatmentSchema())},
                                 {"amount", optional(money())},
                                 {"period_from", optional(date())},
                                 {"period_to", optional(date())},
                                 {"description", optional(text(500))}}),
                         at_least_one))
          .ok(incomeItemSchema()),
      handler(&P::correctIncomeItem));
  router.add(Route::post("/households/{id}/income-items/{item_id}/withdrawal")
                 .pathId("id")
                 .pathId("item_id")
                 .permission(Permission::Edit)
                 .summary("撤销误录的家庭收入",
                          "Withdraw an income item entered wrongly, with the reason: kept on file, "
                          "no longer counted")
                 .body(withdrawal)
                 .ok(incomeItemSchema()),
             handler(&P::withdrawIncomeItem));
  router.add(Route::get("/households/{id}/property-items")
                 .pathId("id")
                 .summary("家庭财产列表", "The household's property items, withdrawn ones marked")
                 .list(propertyItemSchema(), kPropertyItemList)
                 .query("withdrawn", withdrawn_filter)
                 .query("kind", propertyKindSchema()),
             handler(&P::listPropertyItems));
  router.add(Route::patch("/households/{id}/property-items/{item_id}")
                 .pathId("id")
                 .pathId("item_id")
                 .permission(Permission::Edit)
                 .summary("更正家庭财产",
                          "Correct a property item (kind, value, quantity, exemption, "
                          "description); a household with an active case is flagged for "
                          "re-review")
                 .body(describe(object({{"kind", optional(propertyKindSchema())},
                                        {"value", optional(money())},
                                        {"quantity", optional(integer(1, 1000))},
                                        {"exempt", optional(boolean())},
                                        {"description", optional(text(500))}}),
                                at_least_one))
                 .ok(propertyItemSchema()),
             handler(&P::correctPropertyItem));
  router.add(Route::post("/households/{id}/property-items/{item_id}/withdrawal")
                 .pathId("id")
                 .pathId("item_id")
                 .permission(Permission::Edit)
                 .summary("撤销误录的家庭财产",
                          "Withdraw a property item entered wrongly, with the reason: kept on "
                          "file, no longer counted")
                 .body(withdrawal)
                 .ok(propertyItemSchema()),
             handler(&P::withdrawPropertyItem));
  // No default for month: the handler assesses this month (a date, not a constant) without one,
  // as GET /cases/{id}/amount does: the month being paid.
  router.add(Route::get("/households/{id}/assessment")
                 .pathId("id")
                 .summary("家庭经济状况核算", "Income, property and the 低保 amount for a month")
                 .query("month", describe(month(), {"核算月份", "YYYY-MM; default this month"}))
                 .ok(assessmentSchema(true)),
             handler(&P::assessHousehold));
  router.add(
      Route::post("/imports/households")
          .permission(Permission::Edit)
          .summary("批量导入救助家庭",
                   "Import households, members and income from a CSV or XLSX file "
                   "(docs/import-layout.md); a file with any bad row imports nothing and lists "
                   "every bad row")
          .body(uploadedFile())
          .acceptsFile()
          .created(importResultSchema()),
      [this](sdk::Request& request) { return answerHouseholdImport(*context_, request); });

  // Applications and the workflow.
  router.add(
      Route::post("/applications")
          .permission(Permission::Edit)
          .summary("受理救助申请（材料不全一次性告知）",
                   "Receive an application (missing documents: one-time notice, stays pending)")
          .body(object({{"household_id", id()},
                        {"program", programSchema()},
                        {"applicant_citizen_id", citizenId()},
                        {"person_citizen_id", optional(citizenId())},
                        {"missing_documents", optional(arrayOf(text(200), 30))},
                        {"extended", optional(boolean())},
                        {"support_mode", optional(supportModeSchema())},
                        {"self_care_failed_items", optional(integer(0, 6))},
                        {"temporary_kind", optional(temporaryKindSchema())},
                        {"requested_amount", optional(money())}}))
          .created(applicationSchema()),
      handler(&P::submitApplication));
  router.add(Route::get("/applications/{id}")
                 .console({{"record", "application"}})
                 .pathId("id")
                 .summary("申请详情", "An application with its dated transitions")
                 .ok(applicationSchema()),
             handler(&P::getApplication));
  router.add(Route::post("/applications/{id}/documents-complete")
                 .pathId("id")
                 .permission(Permission::Edit)
                 .summary("材料补齐，予以受理", "The missing documents arrived: accepted")
                 .ok(applicationSchema()),
             handler(&P::documentsComplete));
  router.add(Route::post("/applications/{id}/investigation/start")
                 .pathId("id")
                 .permission(Permission::Edit)
                 .summary("开始入户调查", "Start the household investigation")
                 .body(object({{"note", optional(text(1000))}}))
                 .ok(applicationSchema()),
             handler(&P::startInvestigation));
  router.add(Route::post("/applications/{id}/investigation/signatures")
                 .pathId("id")
                 .permission(Permission::Edit)
                 .summary("调查人员签字（本人账号）",
                          "An investigator signs the investigation with their own account")
                 .body(object({{"note", optional(text(1000))}}))
                 .ok(applicationSchema()),
             handler(&P::signInvestigation));
  router.add(
      Route::post("/applications/{id}/investigation/complete")
          .pathId("id")
          .permission(Permission::Edit)
          .summary("完成入户调查（至少两名调查人员已签字）",
                   "Complete the investigation once two different investigators have signed, "
                   "with the data-check items")
          .body(object(
              {{"data_checks", optional(arrayOf(object({{"item", dataCheckItemSchema()},
                                                        {"result", dataCheckResultSchema()}}),
                                                20))},
               {"note", optional(text(1000))}}))
          .ok(applicationSchema()),
      handler(&P::completeInvestigation));
  router.add(Route::post("/applications/{id}/township-review")
                 .pathId("id")
                 .permission(Permission::Review)
                 .summary("乡镇初审意见", "乡镇初审 opinion")
                 .body(object({{"opinion", opinionSchema()}}))
                 .ok(applicationSchema()),
             handler(&P::townshipReview));
  router.add(Route::post("/applications/{id}/notice")
                 .pathId("id")
                 .permission(Permission::Edit)
                 .summary("张榜公示",
                          "Publish the public notice (7 calendar days unless the county counts "
                          "working days)")
                 .body(object({{"location", text(200)}, {"from", optional(date())}}))
                 .ok(applicationSchema()),
             handler(&P::publishNotice));
  router.add(
      Route::post("/applications/{id}/objections")
          .pathId("id")
          .permission(Permission::Edit)
          .summary("登记公示异议",
                   "Record an objection during the notice: re-investigate or hold a 民主评议")
          .body(object({{"content", text(2000)}, {"resolution", objectionResolutionSchema()}}))
          .ok(applicationSchema()),
      handler(&P::raiseObjection));
  router.add(Route::post("/applications/{id}/community-review")
                 .pathId("id")
                 .permission(Permission::Review)
                 .summary("民主评议结果", "民主评议 result after an objection")
                 .body(object({{"opinion", opinionSchema()}, {"participants", integer(3, 200)}}))
                 .ok(applicationSchema()),
             handler(&P::communityReview));
  router.add(Route::post("/applications/{id}/decision")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("县级审批确认",
                          "County decision (approver other than the submitter; a refusal states "
                          "its reason); an approval answers with the case it grants")
                 .body(object({{"result", decisionResultSchema()},
                               {"reason", optional(text(2000))},
                               {"county_rechecked", optional(boolean())}}))
                 .ok(decidedApplicationSchema(false)),
             handler(&P::decide));
  router.add(Route::post("/applications/{id}/township-approval")
                 .pathId("id")
                 .permission(Permission::Review)
                 .summary("乡镇审批临时救助（授权额度内）",
                          "Township approves temporary assistance within its delegated limit")
                 .ok(decidedApplicationSchema(true)),
             handler(&P::townshipApproval));
  router.add(Route::post("/applications/{id}/discontinue")
                 .pathId("id")
                 .permission(Permission::Edit)
                 .summary("终止审核（拒不配合）", "Stop the review (拒不配合, §29) with the reason")
                 .body(object({{"reason", text(1000)}}))
                 .ok(applicationSchema()),
             handler(&P::discontinue));
  router.add(Route::get("/overdue")
                 .console({{"queue", true}})
                 .summary("超期未办申请",
                          "Open applications past a working-day limit, by how many working days")
                 .ok(overdueSchema()),
             handler(&P::overdue));
  // No defaults for from and to: from is today, to is from (dates, not constants).
  const auto notice_filters = [](Route route) {
    return route.query("village", describe(text(500, 0), {"村（社区）", "Only this village"}))
        .query("from", describe(date(), {"起始日期", "Notices running on or after; default today"}))
        .query("to", describe(date(), {"截止日期", "Notices running on or before; default from"}));
  };
  router.add(notice_filters(Route::get("/notices"))
                 .summary("公示名单", "Public notice list, names masked, no ID numbers")
                 .ok(noticeListSchema()),
             handler(&P::noticeList));
  router.add(notice_filters(Route::get("/notices.html"))
                 .summary("公示名单（打印版）", "The public notice list, printable")
                 .document(sdk::kHtml, "the notice list as a printable HTML page"),
             handler(&P::noticeListHtml));
  router.add(Route::get("/tekun/recheck")
                 .summary("特困审批县级抽查比例",
                          "特困 decisions re-checked by the county in a year against the 30% "
                          "sample")
                 .query("year", describe({{"type", "string"}, {"pattern", "^[0-9]{4}$"}},
                                         {"年度", "YYYY; default this year"}))
                 .ok(tekunRecheckSchema()),
             handler(&P::tekunRecheck));

  // Cases.
  router.add(Route::get("/cases/{id}")
                 .console({{"record", "case"}})
                 .pathId("id")
                 .summary("救助案件详情", "A case")
                 .ok(caseSchema()),
             handler(&P::getCase));
  router.add(Route::get("/cases/{id}/amount")
                 .pathId("id")
                 .summary("月救助金额及计算过程", "The amount for a month with its computation")
                 .query("month", describe(month(), {"月份", "YYYY-MM; default this month"}))
                 .ok(caseAmountSchema()),
             handler(&P::caseAmount));
  router.add(Route::post("/cases/{id}/suspend")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("暂停发放", "Suspend payment from a month")
                 .body(object({{"from_month", month()}, {"reason", text(1000)}}))
                 .ok(caseSchema()),
             handler(&P::suspendCase));
  router.add(Route::post("/cases/{id}/resume")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("恢复发放", "Resume payment from a month")
                 .body(object({{"from_month", month()}}))
                 .ok(caseSchema()),
             handler(&P::resumeCase));
  router.add(Route::post("/cases/{id}/terminate")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("终止救助",
                          "Terminate a case; `last_month` is the last month paid; the reason is "
                          "required")
                 .body(object({{"last_month", month()}, {"reason", text(1000)}}))
                 .ok(caseSchema()),
             handler(&P::terminateCase));
  router.add(
      Route::post("/cases/{id}/reviews")
          .pathId("id")
          .permission(Permission::Edit)
          .summary("定期核查",
                   "Re-review (定期核查): recompute from the household's records; phase-out "
                   "or termination")
          .body(object({{"found_work", optional(boolean())}, {"note", optional(text(1000))}}))
          .ok(reviewedCaseSchema()),
      handler(&P::reviewCase));
  router.add(Route::post("/reviews/annual")
                 .permission(Permission::Approve)
                 .summary("低保年度复核",
                          "年度复核: re-assess every active 低保 case of the county; new amounts "
                          "from next month, households no longer eligible flagged for a written "
                          "decision")
                 .body(object({{"note", optional(text(1000))}}))
                 .ok(annualReviewSchema()),
             handler(&P::annualReview));
  router.add(Route::get("/reviews/due")
                 .console({{"queue", true}})
                 .summary("待复核案件",
                          "Cases whose re-review is due within 30 days, or flagged (death, "
                          "marriage, divorce)")
                 .ok(reviewsDueSchema()),
             handler(&P::reviewsDue));
  router.add(
      Route::post("/cases/{id}/adjustments")
          .pathId("id")
          .permission(Permission::Approve)
          .summary("补发或扣减已发放月份",
                   "Correct a paid month by a separate adjustment line on the next run, once a "
                   "second approver confirms it; bounded by what was due or paid for the month")
          .body(object(
              {{"month", month()}, {"reason", text(1000)}, {"amount", optional(signedMoney())}}))
          .created(adjustmentSchema()),
      handler(&P::recordAdjustment));
  router.add(Route::post("/adjustments/{id}/confirmation")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("复核补发或扣减",
                          "Confirm an adjustment: a second approver, not the one who recorded "
                          "it; only confirmed adjustments are paid")
                 .ok(adjustmentSchema()),
             handler(&P::confirmAdjustment));
  router.add(Route::post("/medical-claims")
                 .permission(Permission::Edit)
                 .summary("医疗救助",
                          "Medical assistance for a claim from the medical-insurance bureau "
                          "(ratio and annual cap by category)")
                 .body(object({{"citizen_id", citizenId()},
                               {"claim_date", date()},
                               {"hospital", text(200)},
                               {"reference", text(60)},
                               {"eligible_expense", money()}}))
                 .created(medicalClaimSchema()),
             handler(&P::recordMedicalClaim));
  router.add(Route::get("/persons/{citizen_id}/coverage")
                 .pathParam("citizen_id", citizenId())
                 .summary("个人救助保障情况", "Programs covering a person on a date")
                 .query("date", describe(date(), {"日期", "default today"}))
                 .ok(coverageSchema()),
             handler(&P::coverageOfPerson));

  // Payment runs: the SDK's (prepare, confirm, cancel, roll, bank files), and their lines here.
  payment_runs_->addRoutes(router);
  router.add(Route::get("/payment-runs/{month}/lines")
                 .pathParam("month", month())
                 .summary("发放名册明细",
                          "A run's lines, paged: case, household, amount, bank account on file")
                 .list(paymentLineSchema(), kPaymentLineList)
                 .query("program", programSchema())
                 .query("township", text(100))
                 .query("kind", enumOf({{"regular", {"正常发放", "regular"}},
                                        {"adjustment", {"补发/扣减", "adjustment"}}}))
                 .query("bank_account", describe(boolean(), {"已登记银行账号",
                                                             "Only lines whose household has "
                                                             "(true) or lacks (false) a bank "
                                                             "account"})),
             handler(&P::listPaymentLines));
}

}  // namespace civ::plugins::social_assistance
