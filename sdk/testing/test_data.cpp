#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include <civ/sdk/citizen_id.h>
#include <civ/sdk/declarations.h>
#include <civ/sdk/error.h>
#include <civ/sdk/plugin.h>
#include <civ/sdk/request.h>
#include <civ/sdk/testing/fake_context.h>
#include <civ/sdk/testing/test_data.h>

namespace civ::sdk::testing {

namespace {

/// Keeps what a plugin declares of one indicator; the rest is dropped.
}  // namespace

Date day(std::string_view iso_text) {
  if (auto date = Date::parse(iso_text)) return *date;
  throw std::invalid_argument("'" + std::string(iso_text) + "' is not a date (YYYY-MM-DD)");
}

std::string citizenId(std::string_view birth_yyyymmdd, int sequence, std::string_view county) {
  const std::string first17 = std::string(county) + std::string(birth_yyyymmdd) +
                              (sequence < 10    ? "00"
                               : sequence < 100 ? "0"
                                                : "") +
                              std::to_string(sequence);
  if (first17.size() != 17 || sequence < 0 ||
      !std::all_of(first17.begin(), first17.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw std::invalid_argument("county " + std::string(county) + ", birth " +
                                std::string(birth_yyyymmdd) + " and sequence " +
                                std::to_string(sequence) + " do not make 17 digits");
  return first17 + CitizenId::checkCharacter(first17);
}

std::vector<std::int64_t> itemIds(const Response& page) {
  std::vector<std::int64_t> ids;
  for (const auto& item : page.body.at("items")) ids.push_back(item.at("id").get<std::int64_t>());
  return ids;
}

std::vector<std::int64_t> everyItem(FakeContext& context, const std::string& path,
                                    std::int64_t total, std::string_view county) {
  std::vector<std::int64_t> ids;
  std::string cursor;
  for (int pages = 0; pages < 100; ++pages) {
    const auto page = context.call(Method::Get, path + (cursor.empty() ? "" : "&cursor=" + cursor),
                                   nullptr, county);
    if (page.body.at("total") != total)
      throw std::logic_error(path + ": page " + std::to_string(pages + 1) + " has total " +
                             page.body.at("total").dump() + ", not " + std::to_string(total));
    const auto page_ids = itemIds(page);
    ids.insert(ids.end(), page_ids.begin(), page_ids.end());
    if (page.body.at("next").is_null()) return ids;
    cursor = page.body.at("next").get<std::string>();
  }
  throw std::logic_error(path + " did not end after 100 pages");
}

std::vector<std::int64_t> sorted(std::vector<std::int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string refusedParameter(FakeContext& context, const std::string& path,
                             std::string_view county) {
  try {
    context.call(Method::Get, path, nullptr, county);
  } catch (const ValidationError& error) {
    const std::string field =
        error.fieldErrors().empty() ? std::string("(none)") : error.fieldErrors().front().field;
    return error.status() == 400 ? field : std::to_string(error.status()) + " " + field;
  }
  return "accepted";
}

std::set<std::string> fieldRules(const Error& error) {
  std::set<std::string> rules;
  for (const auto& field_error : error.fieldErrors())
    rules.insert(field_error.field + ":" + field_error.rule);
  return rules;
}

std::map<std::string, std::int64_t> indicatorByTownship(FakeContext& context, std::string_view id,
                                                        std::string_view county, Date from,
                                                        Date to) {
  for (const auto& item : context.indicators(county, from, to)) {
    if (item["id"] != id) continue;
    if (!item.contains("by_township"))
      throw std::logic_error("indicator " + std::string(id) + " has no township breakdown");
    std::map<std::string, std::int64_t> values;
    for (const auto& entry : item["by_township"])
      if (!values.emplace(entry["township"].get<std::string>(), entry["value"].get<std::int64_t>())
               .second)
        throw std::logic_error("indicator " + std::string(id) + " names township " +
                               entry["township"].get<std::string>() + " twice");
    return values;
  }
  throw std::logic_error("no indicator " + std::string(id) + " is listed for this caller");
}

}  // namespace civ::sdk::testing
