#include <gtest/gtest.h>

#include <civ/sdk/citizen_id.h>
#include <civ/sdk/error.h>

namespace civ::sdk {
namespace {

const Date kToday = *Date::parse("2026-11-23");

TEST(CitizenId, AcceptsTheWorkedExampleWithAnXCheckCharacter) {
  // GB 11643 worked example (rules.md 8.1): S = 167, 167 mod 11 = 2 → 'X'.
  const CitizenId id = CitizenId::parse("11010519491231002X", kToday);
  EXPECT_EQ(id.birthDate().toString(), "1949-12-31");
  EXPECT_EQ(id.sex(), Sex::Female);  // sequence 002: even
  EXPECT_EQ(id.regionCode(), "110105");
}

TEST(CitizenId, ComputesTheCheckCharacter) {
  EXPECT_EQ(CitizenId::checkCharacter("11010519491231002"), 'X');
  EXPECT_EQ(CitizenId::checkCharacter("44052418800101001"), '4');  // S = 195, mod 11 = 8
  EXPECT_EQ(CitizenId::parse("440524188001010014", kToday).sex(), Sex::Male);
}

TEST(CitizenId, NamesTheRuleEachInvalidNumberBreaks) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"11010519491231002", "length"},       {"1101051949123100211", "length"},
      {"11010519491231002x", "characters"},  // lower-case x
      {"1101051949123100A2", "characters"},  {"00010519491231002X", "region_code"},
      {"99010519491231002X", "region_code"}, {"110105194902300021", "birth_date"},  // 30 February
      {"110105203001010011", "birth_date"},                                         // in the future
      {"110105194912310021", "checksum"},    {"440524188001010015", "checksum"},
  };
  for (const auto& [text, rule] : cases) {
    auto problem = CitizenId::check(text, kToday);
    ASSERT_TRUE(problem.has_value()) << text;
    EXPECT_EQ(problem->rule, rule) << text << ": " << problem->message;
  }
}

TEST(CitizenId, ParseThrowsAValidationErrorNamingTheField) {
  try {
    CitizenId::parse("110105194912310021", kToday, "members[1].citizen_id");
    FAIL();
  } catch (const ValidationError& error) {
    ASSERT_EQ(error.fieldErrors().size(), 1u);
    EXPECT_EQ(error.fieldErrors()[0].field, "members[1].citizen_id");
    EXPECT_EQ(error.fieldErrors()[0].rule, "checksum");
    EXPECT_NE(error.fieldErrors()[0].message.find("'X'"), std::string::npos);
  }
}

TEST(CitizenId, MasksTheBirthDate) {
  EXPECT_EQ(CitizenId::mask("11010519491231002X"), "110105********002X");
  EXPECT_EQ(maskCitizenIds("person 11010519491231002X and 440524188001010014 done"),
            "person 110105********002X and 440524********0014 done");
  // Not an ID: longer digit runs and short numbers stay.
  EXPECT_EQ(maskCitizenIds("order 1234567890123456789 id 42"), "order 1234567890123456789 id 42");
  EXPECT_EQ(maskCitizenIds("/persons/11010519491231002X/notes"),
            "/persons/110105********002X/notes");
  // Written with URL escapes: a digit or the X as %XX, or every character.
  EXPECT_EQ(maskCitizenIds("/persons/11010519491231002%58/notes"),
            "/persons/110105********002X/notes");
  EXPECT_EQ(
      maskCitizenIds("?citizen_id=%31%31%30%31%30%35%31%39%34%39%31%32%33%31%30%30%32%78&x=1"),
      "?citizen_id=110105********002x&x=1");
  EXPECT_EQ(maskCitizenIds("q=44052418800101%30014"), "q=440524********0014");
  // An escape that is not one, or a run with an escaped 19th digit, stays as written.
  EXPECT_EQ(maskCitizenIds("50%ZZ of 1234567890123456789%30"), "50%ZZ of 1234567890123456789%30");
}

TEST(RegionCode, RecognisesCountyCodesAndPrefixes) {
  EXPECT_TRUE(isCountyCode("610902"));
  EXPECT_TRUE(isCountyCode("350502"));
  EXPECT_FALSE(isCountyCode("610900"));  // the prefecture itself
  EXPECT_FALSE(isCountyCode("610000"));
  EXPECT_FALSE(isCountyCode("61090"));
  EXPECT_FALSE(isCountyCode("99090A"));
  EXPECT_TRUE(isRegionPrefix("61"));
  EXPECT_TRUE(isRegionPrefix("6109"));
  EXPECT_FALSE(isRegionPrefix("6100"));
  EXPECT_FALSE(isRegionPrefix("610"));
}

}  // namespace
}  // namespace civ::sdk
