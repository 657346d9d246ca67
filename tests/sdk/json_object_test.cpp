// sdk::jsonObject: the same object as nlohmann's braced form, for the kinds of value an answer's
// rows hold, with each value moved (not copied) into it.
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include <civ/sdk/json_object.h>

namespace civ::sdk {
namespace {

using nlohmann::json;

TEST(JsonObject, IsTheObjectNlohmannsBracedFormMakes) {
  const double ratio = 0.125;
  const std::string village = "关庙村民委员会第十二村民小组";  // past the short-string buffer
  const std::int64_t id = 9'007'199'254'740'993;               // not exact as a double
  const json expected = {{"id", id},
                         {"ratio", ratio},
                         {"village", village},
                         {"review_flag", nullptr},
                         {"members", 3},
                         {"amount", "1234.56"},
                         {"active", false},
                         {"months", json::array({"2026-01", "2026-02"})},
                         {"head", {{"name", "张三"}, {"age", 61}}}};
  const json made = jsonObject({{"id", id},
                                {"ratio", ratio},
                                {"village", village},
                                {"review_flag", nullptr},
                                {"members", 3},
                                {"amount", "1234.56"},
                                {"active", false},
                                {"months", json::array({"2026-01", "2026-02"})},
                                {"head", {{"name", "张三"}, {"age", 61}}}});
  EXPECT_EQ(made, expected);
  EXPECT_EQ(made.dump(), expected.dump());
  EXPECT_EQ(made["id"].get<std::int64_t>(), id);
  EXPECT_TRUE(made["head"].is_object());
}

TEST(JsonObject, KeepsTheFirstOfARepeatedKeyAsNlohmannDoes) {
  const json braced = {{"status", "open"}, {"status", "closed"}};
  const json made = jsonObject({{"status", "open"}, {"status", "closed"}});
  EXPECT_EQ(made, braced);
  EXPECT_EQ(made["status"], "open");
  EXPECT_EQ(made.size(), 1u);
}

TEST(JsonObject, MovesItsValuesAndMakesAnEmptyObjectFromNoFields) {
  json big = json::array();
  for (int i = 0; i < 100; ++i) big.push_back(i);
  const json* const first_element = &big[0];
  json made = jsonObject({{"items", std::move(big)}});
  ASSERT_EQ(made["items"].size(), 100u);
  EXPECT_EQ(&made["items"][0], first_element);  // the array's storage moved, not copied

  const json empty = jsonObject({});
  EXPECT_TRUE(empty.is_object());
  EXPECT_EQ(empty.dump(), "{}");
}

}  // namespace
}  // namespace civ::sdk
