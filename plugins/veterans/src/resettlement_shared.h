// What the resettlement files share (not part of the plugin's interface): the reception as the
// handlers read it, the lookups that scope it to the caller, the JSON answers, and the
// handlers each file defines. Handlers are free functions of (Context, Request): they hold no
// state of their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/context.h>
#include <civ/sdk/date.h>
#include <civ/sdk/list.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

#include "resettlement_rules.h"

namespace soci {
class session;
}

namespace civ::plugins::veterans::resettlement {

// How each list pages and sorts (list.h): declared with its route, read by its handler.
inline const sdk::ListSpec kReceptionList{{"approved_on", "reported_on", "name"}, "-id", 20, 200};
inline const sdk::ListSpec kPlacementList{{"letter_on", "post_due"}, "-id", 20, 200};
inline const sdk::ListSpec kTrainingList{{"start_on"}, "-id", 20, 200};
inline const sdk::ListSpec kPaymentList{{"prepared_on"}, "-id", 20, 200};

/// A reception row as the handlers need it.
struct Reception {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string township;
  std::string status;
  std::string rank_type;
  sdk::Date birth_date;
  sdk::Date enlisted_on;
  sdk::Date approved_on;
  std::optional<sdk::Date> report_by;
  sdk::Date report_due;
  sdk::Date waived_after;
  std::optional<sdk::Date> reported_on;
  std::optional<std::string> reason_status;
  std::optional<std::string> reason_recorded_by;
  std::optional<std::string> type;
  std::optional<sdk::Date> placement_due;
  std::optional<sdk::Date> placement_ended_on;
  std::optional<sdk::Date> deceased_on;
  ServiceFacts facts;
};

/// The reception `id` of `county`, or nullopt.
std::optional<Reception> findReception(soci::session& db, const std::string& county,
                                       std::int64_t id);
/// The reception of the path's {id}: NotFound outside the county, 403 outside the caller's
/// townships.
Reception scopedReception(sdk::Request& request, const std::string& path_name = "id");
/// The reception a body field names: ValidationError (rule "known-reception") when there is
/// none in the county, 403 outside the caller's townships.
Reception receptionField(sdk::Request& request, std::int64_t id, const std::string& field);

nlohmann::json receptionJson(soci::session& db, std::int64_t id);

/// The date of a JSON text value (the host checked its format).
sdk::Date dateOf(const nlohmann::json& value);
/// The optional date of a body field: absent or null → nullopt.
std::optional<sdk::Date> optionalDate(const nlohmann::json& body, const char* field);
/// A date not after today (rule "not-in-future" on `field`).
void notInFuture(sdk::Date date, sdk::Date today, const std::string& field);
/// Awards as stored: codes joined by ",", "" for none.
std::string joinCodes(const std::vector<std::string>& codes);
std::vector<std::string> splitCodes(const std::string& text);

/// The living allowance owed to a job-placement soldier, from the report to the first of: the
/// placement letter, the waiver of the placement, the death, and `until` (exclusive).
Allowance allowanceOwed(sdk::Context& context, soci::session& db, const std::string& county,
                        const Reception& reception, sdk::Date from, sdk::Date until);
/// The day the waiting ends (exclusive) as far as is known on `today`: the first letter not
/// withdrawn, the placement's end (§34), the death; nullopt while the soldier still waits.
std::optional<sdk::Date> waitingEnds(soci::session& db, const Reception& reception);

// --- Handlers, by file ---------------------------------------------------------------------------

// resettlement_receptions.cpp
sdk::Response createReception(sdk::Context& context, sdk::Request& request);
sdk::Response listReceptions(sdk::Context& context, sdk::Request& request);
sdk::Response getReception(sdk::Context& context, sdk::Request& request);
sdk::Response correctReception(sdk::Context& context, sdk::Request& request);
sdk::Response reportReception(sdk::Context& context, sdk::Request& request);
sdk::Response reviewLateReason(sdk::Context& context, sdk::Request& request);
sdk::Response waiveReception(sdk::Context& context, sdk::Request& request);
sdk::Response overdueReports(sdk::Context& context, sdk::Request& request);
sdk::Response receptionEligibility(sdk::Context& context, sdk::Request& request);
sdk::Response decideType(sdk::Context& context, sdk::Request& request);

// resettlement_placements.cpp
sdk::Response issueLetter(sdk::Context& context, sdk::Request& request);
sdk::Response listPlacements(sdk::Context& context, sdk::Request& request);
sdk::Response getPlacement(sdk::Context& context, sdk::Request& request);
sdk::Response correctPlacement(sdk::Context& context, sdk::Request& request);
sdk::Response recordPost(sdk::Context& context, sdk::Request& request);
sdk::Response recordRefusal(sdk::Context& context, sdk::Request& request);
sdk::Response overduePlacements(sdk::Context& context, sdk::Request& request);
sdk::Response latePosts(sdk::Context& context, sdk::Request& request);
sdk::Response placementAnnouncement(sdk::Context& context, sdk::Request& request);
sdk::Response livingAllowanceOf(sdk::Context& context, sdk::Request& request);

// resettlement_trainings.cpp
sdk::Response recordTraining(sdk::Context& context, sdk::Request& request);
sdk::Response listTrainings(sdk::Context& context, sdk::Request& request);
sdk::Response getTraining(sdk::Context& context, sdk::Request& request);
sdk::Response correctTraining(sdk::Context& context, sdk::Request& request);

// resettlement_payments.cpp
sdk::Response preparePayment(sdk::Context& context, sdk::Request& request);
sdk::Response confirmPayment(sdk::Context& context, sdk::Request& request);
sdk::Response cancelPayment(sdk::Context& context, sdk::Request& request);
sdk::Response listPayments(sdk::Context& context, sdk::Request& request);
sdk::Response getPayment(sdk::Context& context, sdk::Request& request);

// resettlement_events.cpp
/// person.deceased: open receptions of the person end on the date of death (audited).
void subscribeResettlementToDeaths(sdk::Context& context);

}  // namespace civ::plugins::veterans::resettlement
