// Money, Ratio, Date, Month and Person to and from JSON (nlohmann's to_json/from_json, found by
// argument-dependent lookup) and SQL columns (SOCI type conversions), so no module writes them
// by hand:
//
//   json answer = {{"amount", money}, {"month", month}, {"person", person}};
//   Money amount = body["amount"].get<Money>();       // ValidationError naming the rule if bad
//
// A conversion does not know which field it reads, so its ValidationError names the rule with an
// empty field: declare the field with schema::money() etc. and the host refuses a bad value,
// naming the field, before the handler runs.
//   db << "SELECT amount_fen, paid_month FROM ...", soci::into(amount), soci::into(month);
//
// Columns: Money is BIGINT fen; Date is TEXT "YYYY-MM-DD"; Month is TEXT "YYYY-MM" (decisions:
// dates as ISO text on both engines). A NULL column read into one of these throws; read an
// std::optional<...> with a soci::indicator instead.
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include <civ/sdk/abi.h>
#include <civ/sdk/date.h>
#include <civ/sdk/money.h>
#include <civ/sdk/month.h>
#include <civ/sdk/persons.h>

namespace civ::sdk {

/// "780.00": money travels as text, never as a binary floating-point number.
CIV_SDK_API void to_json(nlohmann::json& out, const Money& money);
/// From "780.00" (ValidationError, rule "format", when it is not yuan with two decimals).
CIV_SDK_API void from_json(const nlohmann::json& in, Money& money);
CIV_SDK_API void to_json(nlohmann::json& out, const Ratio& ratio);
CIV_SDK_API void from_json(const nlohmann::json& in, Ratio& ratio);
CIV_SDK_API void to_json(nlohmann::json& out, const Date& date);
CIV_SDK_API void from_json(const nlohmann::json& in, Date& date);
CIV_SDK_API void to_json(nlohmann::json& out, const Month& month);
CIV_SDK_API void from_json(const nlohmann::json& in, Month& month);
/// {"id", "citizen_id", "name", "birth_date", "sex": "male"|"female", "death_date": date|null};
/// schema::person() describes it.
CIV_SDK_API void to_json(nlohmann::json& out, const Person& person);

}  // namespace civ::sdk

namespace soci {

template <>
struct type_conversion<civ::sdk::Money> {
  using base_type = long long;
  static void from_base(long long fen, indicator ind, civ::sdk::Money& money) {
    if (ind == i_null) throw soci_error("NULL read into civ::sdk::Money");
    money = civ::sdk::Money::fromFen(fen);
  }
  static void to_base(const civ::sdk::Money& money, long long& fen, indicator& ind) {
    fen = money.fen();
    ind = i_ok;
  }
};

template <>
struct type_conversion<civ::sdk::Date> {
  using base_type = std::string;
  static void from_base(const std::string& text, indicator ind, civ::sdk::Date& date) {
    auto parsed = ind == i_null ? std::nullopt : civ::sdk::Date::parse(text);
    if (!parsed) throw soci_error("not a date column value: '" + text + "'");
    date = *parsed;
  }
  static void to_base(const civ::sdk::Date& date, std::string& text, indicator& ind) {
    text = date.toString();
    ind = i_ok;
  }
};

template <>
struct type_conversion<civ::sdk::Month> {
  using base_type = std::string;
  static void from_base(const std::string& text, indicator ind, civ::sdk::Month& month) {
    auto parsed = ind == i_null ? std::nullopt : civ::sdk::Month::parse(text);
    if (!parsed) throw soci_error("not a month column value: '" + text + "'");
    month = *parsed;
  }
  static void to_base(const civ::sdk::Month& month, std::string& text, indicator& ind) {
    text = month.toString();
    ind = i_ok;
  }
};

}  // namespace soci
