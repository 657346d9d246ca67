// The paging and sort of the module's lists, shared by their declarations (routes.cpp) and
// their handlers (search_routes.cpp).
#pragma once

#include <civ/sdk/list.h>

namespace civ::plugins::social_assistance {

extern const sdk::ListSpec kHouseholdList;
extern const sdk::ListSpec kApplicationList;
extern const sdk::ListSpec kCaseList;
extern const sdk::ListSpec kAdjustmentList;
extern const sdk::ListSpec kPaymentLineList;
// correction_routes.cpp
extern const sdk::ListSpec kMemberList;
extern const sdk::ListSpec kIncomeItemList;
extern const sdk::ListSpec kPropertyItemList;

}  // namespace civ::plugins::social_assistance
