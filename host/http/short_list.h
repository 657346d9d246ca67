// The host's short lists (counties, parameters, users): limit and cursor, by offset in their
// natural order, no client sort (the SDK's list convention, list.h).
#pragma once

#include <nlohmann/json.hpp>

#include <civ/sdk/list.h>
#include <civ/sdk/request.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>

namespace civ::host {

inline const sdk::ListSpec kShortList{{"natural"}, "natural", 100, 500};

/// Declares `route` a short list of `item`.
inline sdk::Route& shortList(sdk::Route& route, nlohmann::json item) {
  using sdk::schema::describe;
  route.query("limit", describe({{"type", "integer"},
                                 {"minimum", 1},
                                 {"maximum", kShortList.max_limit},
                                 {"default", kShortList.default_limit}},
                                {"每页条数", "Items per page"}));
  route.query("cursor", describe({{"type", "string"}, {"pattern", "^[ko][0-9]{1,18}$"}},
                                 {"翻页位置", "The `next` of the previous page"}));
  return route.ok(sdk::schema::page(std::move(item)), "one page of the list");
}

/// The page a short-list request asks for.
inline sdk::ListRequest shortPage(const sdk::Request& request) {
  return sdk::ListRequest::from(request.queryParam("limit"), std::nullopt,
                                request.queryParam("cursor"), kShortList);
}

}  // namespace civ::host
