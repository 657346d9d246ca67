// The application workflow (审核确认办法 2021; 特困人员认定办法 2021) as data: the statuses an
// action may start from and where it leads, and the working-day limit of each step.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/calendar.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/date.h>
#include <civ/sdk/policy.h>

namespace civ::plugins::social_assistance {

/// One action on an application: the statuses it may be taken from, the status it leads to.
struct WorkflowAction {
  const char* name;
  std::vector<std::string> from;
  const char* to;
};

/// The action named `name` (std::logic_error for an unknown name: a bug).
const WorkflowAction& workflowAction(const std::string& name);
/// Conflict naming the current status and the statuses the action needs, when not allowed.
void requireActionAllowed(const WorkflowAction& action, const std::string& status);

/// The four-eyes rule (sdk::sameUser): 403 (sdk::Forbidden) when `caller` is who did the first
/// step, naming what they did and the step refused: "four-eyes rule: clerk1 submitted
/// application DB610902-2026-000001 and may not take its county decision; another user must".
void requireFourEyesForStep(const sdk::Caller& caller, const std::string& done_by,
                            const std::string& what_was_done, const std::string& step);

/// Statuses in which an application is still open (not decided, not discontinued).
bool isOpenStatus(const std::string& status);

/// The facts of an application that its deadlines depend on.
struct ApplicationDates {
  std::string program;
  std::string status;
  std::optional<sdk::Date> accepted_on;
  std::optional<sdk::Date> investigation_started_on;
  std::optional<sdk::Date> township_reviewed_on;
  std::optional<sdk::Date> notice_until;
  bool extended = false;
};

/// A step that is late on `today`.
struct OverdueStep {
  std::string
      step;  ///< "investigation_start", "township_investigation", "county_decision", "overall"
  sdk::Date due_on;
  int working_days_late = 0;
};

/// The steps of an open application that are past their limit on `today`.
std::vector<OverdueStep> overdueSteps(const ApplicationDates& dates, sdk::Date today,
                                      const sdk::WorkingDayCalendar& calendar,
                                      const sdk::PolicyReader& policy, const std::string& county);

/// The last day of the public notice starting `from`: `days` calendar days (the day it is
/// posted is day 1), or `days` working days when the county counts it so.
sdk::Date noticeLastDay(sdk::Date from, int days, bool working_days,
                        const sdk::WorkingDayCalendar& calendar);

}  // namespace civ::plugins::social_assistance
