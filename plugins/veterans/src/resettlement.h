// Reception and resettlement of retired soldiers (接收安置), 退役军人安置条例 2024 (in force since
// 2024-09-01): receptions with the 30-day report limit (§51), resettlement types and the
// self-employment lump sums (§21–23), job-placement eligibility (§25, §35), placement within 6
// months (§31), post within 30 days of the placement letter, the living allowance while waiting
// (§75), retirement and state-care conditions (§36, §38), training records and the public
// announcement list (公示) of placements. Rules: ../shared/domain/rules.md §3.3.
//
// The veterans plugin wires this part in four places: its migration 1 appends
// resettlementTableStatements(); declare() declares every resettlementParameters() (its policy
// parameters: without them the routes cannot read their limits and amounts); start() calls
// addResettlementRoutes(); its indicators include resettlementIndicators().
#pragma once

#include <string>
#include <vector>

#include <civ/sdk/context.h>
#include <civ/sdk/indicator.h>
#include <civ/sdk/policy.h>

namespace civ::plugins::veterans {

/// CREATE TABLE / CREATE INDEX statements of the resettlement tables (prefix vt_), written with
/// the {{ID_PRIMARY_KEY}} placeholder like every migration.
std::vector<std::string> resettlementTableStatements();

/// The policy parameters the resettlement routes read (resettlement_parameters.h), for
/// Plugin::declare: `for (const auto& p : resettlementParameters()) declarations.parameter(p);`
std::vector<sdk::ParameterDeclaration> resettlementParameters();

/// Declares every resettlement route completely and binds its handler.
void addResettlementRoutes(sdk::Context& context);

/// Resettlement figures for the county reports, each with its township breakdown.
std::vector<sdk::IndicatorDeclaration> resettlementIndicators();

}  // namespace civ::plugins::veterans
