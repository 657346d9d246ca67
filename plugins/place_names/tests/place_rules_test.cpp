// The pure rules: codes and levels, the duplicate scope per category, forbidden words, rare
// characters, approving authorities, the 15-day limits in calendar days.
#include "../src/place_rules.h"

#include <gtest/gtest.h>

#include <civ/sdk/testing/test_data.h>

namespace civ::plugins::place_names {
namespace {

using sdk::testing::day;

TEST(PlaceRules, CodeLengthGivesTheLevel) {
  EXPECT_EQ(levelOfCode("610902"), "county");
  EXPECT_EQ(levelOfCode("610902101"), "township");
  EXPECT_EQ(levelOfCode("610902101201"), "village");
  EXPECT_FALSE(levelOfCode("6109021"));
  EXPECT_FALSE(levelOfCode("61090A"));
}

TEST(PlaceRules, TownshipCodeRangesGiveTheKind) {
  EXPECT_EQ(townshipKindsOfCode("610902003"), (std::vector<std::string>{"街道"}));
  EXPECT_EQ(townshipKindsOfCode("610902101"), (std::vector<std::string>{"镇"}));
  EXPECT_EQ(townshipKindsOfCode("610902201"), (std::vector<std::string>{"乡", "民族乡"}));
  EXPECT_EQ(townshipKindsOfCode("610902401"), (std::vector<std::string>{"其他"}));
  EXPECT_TRUE(townshipKindsOfCode("610902301").empty());
}

TEST(PlaceRules, CodesSitUnderTheirParent) {
  EXPECT_TRUE(codeUnderParent("610902101", "610902"));
  EXPECT_FALSE(codeUnderParent("610902101", "350502"));
  EXPECT_TRUE(codeUnderParent("610902101201", "610902101"));
  EXPECT_FALSE(codeUnderParent("610902101201", "610902102"));
}

TEST(PlaceRules, DuplicateScopeFollowsTheLawsTable) {
  EXPECT_EQ(duplicateScope("natural_feature", "山"), Scope::Country);
  EXPECT_EQ(duplicateScope("division", "区"), Scope::Country);
  EXPECT_EQ(duplicateScope("division", "县"), Scope::Country);
  EXPECT_EQ(duplicateScope("division", "镇"), Scope::Province);
  EXPECT_EQ(duplicateScope("division", "乡"), Scope::Province);
  EXPECT_EQ(duplicateScope("division", "街道"), Scope::Province);
  EXPECT_EQ(duplicateScope("division", "村"), Scope::County);
  EXPECT_EQ(duplicateScope("settlement", "村"), Scope::County);
  EXPECT_EQ(duplicateScope("street", "路"), Scope::BuiltUpArea);
  EXPECT_EQ(duplicateScope("facility", "桥"), Scope::County);
}

TEST(PlaceRules, SameScopeComparesCountyCodes) {
  EXPECT_TRUE(sameScope(Scope::Country, "610902", "350502"));
  EXPECT_TRUE(sameScope(Scope::Province, "610902", "610102"));
  EXPECT_FALSE(sameScope(Scope::Province, "610902", "350502"));
  EXPECT_FALSE(sameScope(Scope::County, "610902", "610102"));
  EXPECT_TRUE(sameScope(Scope::County, "610902", "610902"));
}

TEST(PlaceRules, ForbiddenWordsAreFoundInsideTheName) {
  EXPECT_EQ(forbiddenWordIn("威尼斯花园", {"曼哈顿", "威尼斯"}), "威尼斯");
  EXPECT_FALSE(forbiddenWordIn("滨江花园", {"曼哈顿", "威尼斯"}));
}

TEST(PlaceRules, RareCharactersAreThoseOutsideTheBasicBlock) {
  EXPECT_EQ(rareCharacters("𣵦沽"), (std::vector<std::string>{"𣵦"}));  // Extension B
  EXPECT_EQ(rareCharacters("㙟"), (std::vector<std::string>{"㙟"}));    // Extension A
  EXPECT_TRUE(rareCharacters("关庙").empty());
  EXPECT_TRUE(rareCharacters("3").empty());
  EXPECT_EQ(rareCharacters("A"), (std::vector<std::string>{"A"}));
}

TEST(PlaceRules, ApprovingAuthorityByCategory) {
  EXPECT_EQ(approvingAuthorities("division", "镇"),
            (std::vector<std::string>{"province_government"}));
  EXPECT_EQ(approvingAuthorities("division", "区"), (std::vector<std::string>{"state_council"}));
  EXPECT_EQ(approvingAuthorities("street", "路").front(), "county_government");
  EXPECT_TRUE(approvingAuthorities("natural_feature", "山").empty());
}

TEST(PlaceRules, FilingAndAnnouncementWithinFifteenCalendarDays) {
  // Approved Friday 2026-09-25: day 15 is Saturday 10-10 in the 国庆 week; calendar days do not
  // move for weekends or holidays.
  EXPECT_EQ(filingDue(day("2026-09-25")), day("2026-10-10"));
  EXPECT_EQ(announcementDue(day("2026-09-25"), "county_government", std::nullopt),
            day("2026-10-10"));
  // A department's approval: 15 days from the filing, unknown until filed.
  EXPECT_FALSE(announcementDue(day("2026-09-25"), "housing_department", std::nullopt));
  EXPECT_EQ(announcementDue(day("2026-09-25"), "housing_department", day("2026-09-30")),
            day("2026-10-15"));
}

}  // namespace
}  // namespace civ::plugins::place_names
