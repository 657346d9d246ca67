// The social assistance module: households and members, applications through the 低保 / 特困
// workflow, cases with their monthly amounts, payment runs, dynamic management, coverage
// answers for other modules. Rules: ../shared/domain/rules.md §1.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/plugin.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

#include "assistance_payments.h"
#include "case_store.h"

namespace spdlog {
class logger;
}

namespace soci {
class row;
class session;
}  // namespace soci

namespace civ::plugins::social_assistance {

inline constexpr const char* kAssistanceGranted = "assistance.granted";
inline constexpr const char* kAssistanceChanged = "assistance.changed";
inline constexpr const char* kAssistanceTerminated = "assistance.terminated";

/// Programs run per household (the amount depends on the members) and per person.
bool isHouseholdProgram(const std::string& program);

struct KeptQueries;

class SocialAssistancePlugin : public sdk::Plugin {
 public:
  SocialAssistancePlugin();
  ~SocialAssistancePlugin() override;

  // sdk::Plugin
  void declare(sdk::Declarations& declarations) const override;
  void start(sdk::Context& context) override;
  /// Drops the kept statements: the database may close before this object is destroyed
  /// (a FakeContext closes it right after stop()), and SQLite cannot close a connection
  /// that still has prepared statements.
  void stop() noexcept override;

 private:
  // What declare() hands the host, one declaration at a time (the parameters: parameters.h).
  std::vector<sdk::Migration> migrations() const;
  std::vector<sdk::IndicatorDeclaration> indicators() const;
  std::vector<sdk::EventDeclaration> events() const;
  /// Applications accepted in the period whose investigation started within the limit, by the
  /// household's township (townships with none are left out).
  std::map<std::string, std::int64_t> investigationsOnTime(soci::session& db,
                                                           const sdk::IndicatorQuery& query) const;

  void addRoutes();
  void subscribeToEvents();

  // household_routes.cpp
  sdk::Response createHousehold(sdk::Request& request);
  sdk::Response getHousehold(sdk::Request& request);
  sdk::Response addMember(sdk::Request& request);
  sdk::Response memberLeaves(sdk::Request& request);
  sdk::Response addIncomeItem(sdk::Request& request);
  sdk::Response addPropertyItem(sdk::Request& request);
  sdk::Response assessHousehold(sdk::Request& request);
  // correction_routes.cpp: corrections of what was typed, and the household's own lists
  sdk::Response correctHousehold(sdk::Request& request);
  sdk::Response listMembers(sdk::Request& request);
  sdk::Response correctMember(sdk::Request& request);
  sdk::Response listIncomeItems(sdk::Request& request);
  sdk::Response correctIncomeItem(sdk::Request& request);
  sdk::Response withdrawIncomeItem(sdk::Request& request);
  sdk::Response listPropertyItems(sdk::Request& request);
  sdk::Response correctPropertyItem(sdk::Request& request);
  sdk::Response withdrawPropertyItem(sdk::Request& request);
  // application_routes.cpp
  sdk::Response submitApplication(sdk::Request& request);
  sdk::Response getApplication(sdk::Request& request);
  sdk::Response documentsComplete(sdk::Request& request);
  sdk::Response startInvestigation(sdk::Request& request);
  /// The caller signs the current investigation round (each investigator with their own account).
  sdk::Response signInvestigation(sdk::Request& request);
  sdk::Response completeInvestigation(sdk::Request& request);
  sdk::Response townshipReview(sdk::Request& request);
  sdk::Response publishNotice(sdk::Request& request);
  sdk::Response raiseObjection(sdk::Request& request);
  sdk::Response communityReview(sdk::Request& request);
  sdk::Response decide(sdk::Request& request);
  sdk::Response townshipApproval(sdk::Request& request);
  sdk::Response discontinue(sdk::Request& request);
  sdk::Response overdue(sdk::Request& request);
  sdk::Response noticeList(sdk::Request& request);
  sdk::Response noticeListHtml(sdk::Request& request);
  sdk::Response tekunRecheck(sdk::Request& request);
  // case_routes.cpp
  sdk::Response getCase(sdk::Request& request);
  sdk::Response caseAmount(sdk::Request& request);
  sdk::Response suspendCase(sdk::Request& request);
  sdk::Response resumeCase(sdk::Request& request);
  sdk::Response terminateCase(sdk::Request& request);
  sdk::Response reviewCase(sdk::Request& request);
  sdk::Response reviewsDue(sdk::Request& request);
  sdk::Response annualReview(sdk::Request& request);
  sdk::Response recordAdjustment(sdk::Request& request);
  sdk::Response confirmAdjustment(sdk::Request& request);
  sdk::Response recordMedicalClaim(sdk::Request& request);
  sdk::Response coverageOfPerson(sdk::Request& request);
  // Lists (search_routes.cpp).
  sdk::Response listHouseholds(sdk::Request& request);
  sdk::Response listApplications(sdk::Request& request);
  sdk::Response listCases(sdk::Request& request);
  sdk::Response listAdjustments(sdk::Request& request);
  // assistance_payments.cpp
  sdk::Response listPaymentLines(sdk::Request& request);

  /// Creates the case an approval grants and publishes assistance.granted.
  std::int64_t grantCase(sdk::Request& request, std::int64_t application_id);
  /// The household with its members and cases, in four statements whatever the number of
  /// cases (three without cases). With `scope`, NotFound unless it is of the request's county
  /// and Forbidden outside the caller's townships, checked on the same row (GET /households/{id}).
  nlohmann::json householdJson(soci::session& db, std::int64_t id,
                               sdk::Request* scope = nullptr) const;
  /// Every overdue step of the county's open applications in the caller's scope, today, as GET
  /// /overdue lists them (application_id, number, program, status, step, due_on, ...).
  nlohmann::json overdueSteps(sdk::Request& request) const;
  nlohmann::json applicationJson(soci::session& db, std::int64_t id) const;
  /// A case as GET /cases/{id} answers it; with `scope`, a case outside the request's county
  /// or the caller's townships is 404/403 (caseInScope's checks on the same read).
  nlohmann::json caseJson(soci::session& db, std::int64_t id, sdk::Request* scope = nullptr) const;
  /// A case's lists, read per case (caseJson) or for a household's cases at once.
  struct CaseChildren {
    nlohmann::json incomes = nlohmann::json::array();
    nlohmann::json suspensions = nlohmann::json::array();
    nlohmann::json support_modes = nlohmann::json::array();  ///< sa_support_modes, in month order
  };
  /// A case's own fields from a row of KeptQueries::case_with_lists or household_cases (`c`
  /// read from it).
  static nlohmann::json caseHead(const CaseRow& c, const soci::row& row);
  /// The list entry of a case_with_lists or household_case_lists row (its kind in
  /// `kind_column`), if it has one.
  static void addListEntry(CaseChildren& lists, const soci::row& row, std::size_t kind_column);
  /// Adds the lists to caseHead's answer, and the support mode of this month (特困).
  void finishCase(nlohmann::json& body, CaseChildren children) const;

  sdk::Context* context_ = nullptr;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<KeptQueries> queries_;            // made in start()
  std::unique_ptr<AssistancePayments> payments_;    // made in start()
  std::unique_ptr<sdk::PaymentRuns> payment_runs_;  // made in start(), over payments_
};

}  // namespace civ::plugins::social_assistance
