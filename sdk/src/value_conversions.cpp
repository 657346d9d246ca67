#include <civ/sdk/error.h>
#include <civ/sdk/value_conversions.h>

namespace civ::sdk {

namespace {
const std::string& textOf(const nlohmann::json& in, const char* what) {
  if (!in.is_string())
    throw ValidationError("", "type", std::string("a ") + what + " is text, got " + in.dump());
  return in.get_ref<const std::string&>();
}
}  // namespace

void to_json(nlohmann::json& out, const Money& money) { out = money.toString(); }
void from_json(const nlohmann::json& in, Money& money) {
  auto parsed = Money::parse(textOf(in, "money amount"));
  if (!parsed)
    throw ValidationError("", "format",
                          "an amount is yuan with at most two decimals, e.g. \"780.00\"");
  money = *parsed;
}

void to_json(nlohmann::json& out, const Ratio& ratio) { out = ratio.toString(); }
void from_json(const nlohmann::json& in, Ratio& ratio) {
  auto parsed = Ratio::parse(textOf(in, "ratio"));
  if (!parsed) throw ValidationError("", "format", "a ratio is a decimal, e.g. \"1.5\"");
  ratio = *parsed;
}

void to_json(nlohmann::json& out, const Date& date) { out = date.toString(); }
void from_json(const nlohmann::json& in, Date& date) {
  auto parsed = Date::parse(textOf(in, "date"));
  if (!parsed) throw ValidationError("", "format", "a date is a real date YYYY-MM-DD");
  date = *parsed;
}

void to_json(nlohmann::json& out, const Month& month) { out = month.toString(); }
void from_json(const nlohmann::json& in, Month& month) {
  auto parsed = Month::parse(textOf(in, "month"));
  if (!parsed) throw ValidationError("", "format", "a month is YYYY-MM");
  month = *parsed;
}

void to_json(nlohmann::json& out, const Person& person) {
  out = {{"id", person.id},
         {"citizen_id", person.citizen_id},
         {"name", person.name},
         {"birth_date", person.birth_date.toString()},
         {"sex", person.sex == Sex::Male ? "male" : "female"},
         {"death_date",
          person.death_date ? nlohmann::json(person.death_date->toString()) : nlohmann::json()}};
}

}  // namespace civ::sdk
