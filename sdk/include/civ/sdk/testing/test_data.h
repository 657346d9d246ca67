// What plugin tests make and read again and again, written once: valid citizen IDs and dates to
// build requests from, the ids of a list answer and every page of a list, the field:rule pairs
// of a refusal, and an indicator's township breakdown. Framework-free (no gtest): a helper that
// finds the answer wrong throws std::logic_error, which fails the test that called it.
//
//   using namespace civ::sdk::testing;
//   context.setToday(day("2026-03-10"));
//   context.call(Method::Post, "/deaths", {{"citizen_id", citizenId("19400101", 11)}, ...});
//   EXPECT_EQ(sorted(everyItem(context, "/deaths?limit=2", 5)), sorted(registered));
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <civ/sdk/abi.h>
#include <civ/sdk/date.h>
#include <civ/sdk/response.h>

namespace civ::sdk {
class Error;
class Plugin;
}  // namespace civ::sdk

namespace civ::sdk::testing {

class FakeContext;

// ---- Data for requests ----------------------------------------------------------------------

/// The date of "YYYY-MM-DD"; std::invalid_argument naming the text when it is not one (a typo
/// in a test, not a value under test).
CIV_SDK_TESTING_API Date day(std::string_view iso_text);

/// A valid citizen ID (GB 11643, with its check character) of someone born on `birth_yyyymmdd`
/// ("19800101") in `county`, with the three-digit `sequence` (0..999; odd for a man, even for a
/// woman). std::invalid_argument when the parts do not make 17 digits.
CIV_SDK_TESTING_API std::string citizenId(std::string_view birth_yyyymmdd, int sequence,
                                          std::string_view county = "610902");

// ---- Reading answers ------------------------------------------------------------------------

/// The "id" of each item of a list answer ({"items": [...], ...}), in the order answered.
CIV_SDK_TESTING_API std::vector<std::int64_t> itemIds(const Response& page);

/// The ids of every item of a list, in the order paged: GET `path` (which already has a query,
/// "/deaths?limit=2") as the caller set on `context`, then follows `next` with &cursor= until it
/// is null. Throws std::logic_error when a page's total is not `total` or the list has not ended
/// after 100 pages; the context's errors (NotFound, ValidationError ...) propagate.
CIV_SDK_TESTING_API std::vector<std::int64_t> everyItem(FakeContext& context,
                                                        const std::string& path, std::int64_t total,
                                                        std::string_view county = "610902");

/// `ids` sorted ascending: for comparing what a list returned with what a test made, whatever
/// the list's order.
CIV_SDK_TESTING_API std::vector<std::int64_t> sorted(std::vector<std::int64_t> ids);

/// What a GET of `path` is refused for: the parameter its ValidationError (400) names first
/// ("sort", "limit", "cursor"); "accepted" when it answers, and "<status> <field>" when the
/// refusal has another status. Other errors propagate.
CIV_SDK_TESTING_API std::string refusedParameter(FakeContext& context, const std::string& path,
                                                 std::string_view county = "610902");

/// Every "field:rule" a refusal names ("citizen_id:deceased", "(body):unchanged").
CIV_SDK_TESTING_API std::set<std::string> fieldRules(const Error& error);

/// An indicator's township breakdown, township → value, as civhost lists it to the context's
/// current caller (FakeContext::indicators; FakeContext::indicator gives the county total).
/// Throws std::logic_error when the indicator is not listed, has no breakdown, or names a
/// township twice.
CIV_SDK_TESTING_API std::map<std::string, std::int64_t> indicatorByTownship(FakeContext& context,
                                                                            std::string_view id,
                                                                            std::string_view county,
                                                                            Date from, Date to);

}  // namespace civ::sdk::testing
