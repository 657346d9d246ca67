#include <gtest/gtest.h>

#include <civ/sdk/json_schema.h>

namespace civ::sdk {
namespace {

using nlohmann::json;

const Date kToday = *Date::parse("2026-11-23");

const json kSchema = {
    {"type", "object"},
    {"required", {"citizen_id", "members"}},
    {"properties",
     {{"citizen_id", {{"type", "string"}, {"format", "citizen-id"}}},
      {"income", {{"type", "string"}, {"format", "money"}}},
      {"applied_on", {{"type", "string"}, {"format", "date"}}},
      {"category", {{"type", "string"}, {"enum", {"urban", "rural"}}}},
      {"members",
       {{"type", "array"},
        {"minItems", 1},
        {"maxItems", 3},
        {"items",
         {{"type", "object"},
          {"required", {"name"}},
          {"properties",
           {{"name", {{"type", "string"}, {"maxLength", 4}}},
            {"age", {{"type", "integer"}, {"minimum", 0}, {"maximum", 150}}}}}}}}}}}};

std::set<std::string> violations(const json& value) {
  std::set<std::string> out;
  for (const auto& error : validateJson(kSchema, value, kToday))
    out.insert(error.field + ":" + error.rule);
  return out;
}

TEST(JsonSchema, AcceptsAValidBody) {
  EXPECT_TRUE(violations({{"citizen_id", "11010519491231002X"},
                          {"income", "1200.50"},
                          {"category", "rural"},
                          {"members", {{{"name", "张三丰"}, {"age", 76}}}}})
                  .empty());
}

TEST(JsonSchema, NamesEachFieldAndRule) {
  const auto found =
      violations({{"citizen_id", "110105194912310021"},
                  {"income", "12.345"},
                  {"applied_on", "2025-02-30"},
                  {"category", "suburban"},
                  {"surprise", true},
                  {"members", {{{"name", "一二三四五"}, {"age", 151}}, {{"age", -1}}}}});
  const std::set<std::string> expected = {"citizen_id:checksum",    "income:format",
                                          "applied_on:format",      "category:enum",
                                          "surprise:unknown_field", "members[0].name:max_length",
                                          "members[0].age:maximum", "members[1].name:required",
                                          "members[1].age:minimum"};
  EXPECT_EQ(found, expected);
}

TEST(JsonSchema, RefusesDatesNoOfficeRecords) {
  const json base = {{"citizen_id", "11010519491231002X"}, {"members", {{{"name", "张三"}}}}};
  for (const char* date : {"9999-12-31", "2101-01-01", "1879-12-31", "0001-01-01"}) {
    json body = base;
    body["applied_on"] = date;
    EXPECT_EQ(violations(body), std::set<std::string>{"applied_on:plausible_date"}) << date;
  }
  for (const char* date : {"1880-01-01", "2100-12-31", "2026-11-23"}) {
    json body = base;
    body["applied_on"] = date;
    EXPECT_TRUE(violations(body).empty()) << date;
  }
}

TEST(JsonSchema, RefusesWrongTypesWithoutLookingInside) {
  EXPECT_EQ(violations({{"citizen_id", 11010519491231002}, {"members", "none"}}),
            (std::set<std::string>{"citizen_id:type", "members:type"}));
  EXPECT_EQ(violations(json::array()), (std::set<std::string>{"(body):type"}));
}

TEST(JsonSchema, RefusesControlCharactersAndOverlongStrings) {
  const json schema = {{"type", "object"}, {"properties", {{"note", {{"type", "string"}}}}}};
  auto errors = validateJson(schema, {{"note", std::string("a\x01b")}}, kToday);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rule, "control_characters");
  EXPECT_TRUE(validateJson(schema, {{"note", "line one\nline two\tend"}}, kToday).empty());
  // A CRLF line end is text (CSV files end their lines so); a CR alone is not.
  EXPECT_TRUE(validateJson(schema, {{"note", "a,b\r\nc,d\r\n"}}, kToday).empty());
  EXPECT_EQ(validateJson(schema, {{"note", "a\rb"}}, kToday).size(), 1u);
  EXPECT_EQ(validateJson(schema, {{"note", "a\r"}}, kToday).size(), 1u);
  errors = validateJson(schema, {{"note", std::string(kDefaultMaxStringLength + 1, 'a')}}, kToday);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rule, "max_length");
}

TEST(JsonSchema, CountsCharactersNotBytes) {
  const json schema = {{"type", "object"},
                       {"properties", {{"name", {{"type", "string"}, {"maxLength", 3}}}}}};
  EXPECT_TRUE(validateJson(schema, {{"name", "欧阳锋"}}, kToday).empty());  // 9 bytes, 3 characters
}

TEST(JsonSchema, ChecksSchemasThemselves) {
  EXPECT_TRUE(checkSchema(kSchema).empty());
  EXPECT_FALSE(checkSchema({{"type", "strnig"}}).empty());
  EXPECT_FALSE(checkSchema({{"type", "string"}, {"format", "email"}}).empty());
  EXPECT_FALSE(checkSchema({{"type", "string"}, {"pattern", "(["}}).empty());
  EXPECT_FALSE(checkSchema({{"properties", {{"a", {{"oneOf", json::array()}}}}}}).empty());
  EXPECT_FALSE(checkSchema({{"pattern", 5}}).empty());
}

}  // namespace
}  // namespace civ::sdk
