// The year's assessment (年度工作考核) under /api/v1/counties/{county}/assessment-plans: a plan
// per county and year (work items with their responsible unit, target, weight and how each is
// scored; bonus and deduction items with their caps), points entered with evidence, and the
// mid-year and year-end scorings: prepared by one person, explained line by line, frozen once a
// second person confirms (four eyes). Every change is audited in the county.
// Scoring rules: host/reports/assessment_scoring.h; tables: host/reports/assessment_store.h.
#pragma once

#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

#include "host/config/host_config.h"
#include "host/reports/assessment_store.h"
#include "host/routing/route_table.h"
#include "host/runtime/host_services.h"

namespace civ::host {

class AssessmentRoutes {
 public:
  AssessmentRoutes(const Config& config, HostServices& services)
      : config_(config), services_(services) {}

  void registerIn(RouteTable& routes);

 private:
  sdk::Response list(sdk::Request& request);
  sdk::Response create(sdk::Request& request);
  sdk::Response read(sdk::Request& request);
  sdk::Response correct(sdk::Request& request);
  sdk::Response addItem(sdk::Request& request);
  sdk::Response correctItem(sdk::Request& request);
  sdk::Response enterPoints(sdk::Request& request);
  sdk::Response prepareScoring(sdk::Request& request);
  sdk::Response scoring(sdk::Request& request);
  sdk::Response confirmScoring(sdk::Request& request);

  /// The plan scored for the stage from the indicators now and the points entered.
  PlanScore computeScore(sdk::Request& request, AssessmentStore& store, const AssessmentPlan& plan,
                         AssessmentStage stage);
  /// "<module>.<id>" of every indicator of the county's enabled modules.
  std::vector<std::string> countyIndicators(const std::string& county) const;

  const Config& config_;
  HostServices& services_;
};

}  // namespace civ::host
