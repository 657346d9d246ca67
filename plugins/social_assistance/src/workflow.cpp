#include "workflow.h"

#include <stdexcept>

#include <civ/sdk/caller.h>
#include <civ/sdk/error.h>

#include "parameters.h"

namespace civ::plugins::social_assistance {

namespace {

const std::vector<WorkflowAction>& actions() {
  static const std::vector<WorkflowAction> list = {
      {"documents_complete", {"pending_documents"}, "accepted"},
      {"start_investigation", {"accepted"}, "investigating"},
      {"complete_investigation", {"investigating"}, "investigated"},
      {"township_review", {"investigated"}, "township_reviewed"},
      {"publish_notice", {"township_reviewed"}, "in_notice"},
      {"objection_reinvestigate", {"in_notice"}, "investigating"},
      {"objection_community_review", {"in_notice"}, "community_review"},
      {"community_review", {"community_review"}, "township_reviewed"},
      {"approve", {"in_notice"}, "approved"},
      {"refuse", {"township_reviewed", "in_notice"}, "refused"},
      // 临时救助 急难型: 小金额先行救助 may skip the check and the notice (rules.md §1.6).
      {"approve_temporary",
       {"accepted", "investigated", "township_reviewed", "in_notice"},
       "approved"},
      {"discontinue",
       {"pending_documents", "accepted", "investigating", "investigated", "township_reviewed",
        "in_notice", "community_review"},
       "discontinued"},
  };
  return list;
}

}  // namespace

const WorkflowAction& workflowAction(const std::string& name) {
  for (const auto& action : actions())
    if (name == action.name) return action;
  throw std::logic_error("unknown workflow action " + name);
}

void requireActionAllowed(const WorkflowAction& action, const std::string& status) {
  for (const auto& from : action.from)
    if (from == status) return;
  std::string allowed;
  for (const auto& from : action.from) allowed += (allowed.empty() ? "" : ", ") + from;
  throw sdk::Conflict(std::string("the application is '") + status + "'; " + action.name +
                      " needs it to be " + allowed);
}

bool isOpenStatus(const std::string& status) {
  return status != "approved" && status != "refused" && status != "discontinued";
}

std::vector<OverdueStep> overdueSteps(const ApplicationDates& dates, sdk::Date today,
                                      const sdk::WorkingDayCalendar& calendar,
                                      const sdk::PolicyReader& policy, const std::string& county) {
  std::vector<OverdueStep> late;
  if (!isOpenStatus(dates.status) || !dates.accepted_on) return late;
  const auto limit = [&](const sdk::DaysParameter& parameter) {
    return static_cast<int>(policy.get(parameter, county, *dates.accepted_on));
  };
  const auto check = [&](const char* step, sdk::Date from, int working_days) {
    const sdk::Date due = calendar.addWorkingDays(from, working_days).date;
    if (today > due) late.push_back({step, due, calendar.workingDaysBetween(due, today).days});
  };
  const bool tekun = dates.program == "tekun";
  if (tekun) {
    // 乡镇 investigates within 15 WD; the county decides within 15 WD of the notice.
    if (!dates.township_reviewed_on)
      check("township_investigation", *dates.accepted_on, limit(kLimitsTekunLevel));
    if (dates.notice_until && dates.status == "in_notice")
      check("county_decision", *dates.notice_until, limit(kLimitsTekunLevel));
    return late;
  }
  if (!dates.investigation_started_on)
    check("investigation_start", *dates.accepted_on, limit(kLimitsInvestigationStart));
  if (dates.notice_until && dates.status == "in_notice")
    check("county_decision", *dates.notice_until, limit(kLimitsCountyDecision));
  if (dates.program == "dibao" || dates.program == "dibao_edge")
    check("overall", *dates.accepted_on,
          limit(dates.extended ? kLimitsOverallExtended : kLimitsOverall));
  return late;
}

sdk::Date noticeLastDay(sdk::Date from, int days, bool working_days,
                        const sdk::WorkingDayCalendar& calendar) {
  if (!working_days) return from.addDays(days - 1);
  const sdk::Date first = calendar.onOrNextWorkingDay(from).date;
  return calendar.addWorkingDays(first, days - 1).date;
}

void requireFourEyesForStep(const sdk::Caller& caller, const std::string& done_by,
                            const std::string& what_was_done, const std::string& step) {
  if (sdk::sameUser(caller.user, done_by))
    throw sdk::Forbidden("four-eyes rule: " + caller.user + " " + what_was_done + " and may not " +
                         step + "; another user must");
}

}  // namespace civ::plugins::social_assistance
