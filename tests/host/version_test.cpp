#include "host/plugins/version.h"

#include <gtest/gtest.h>

namespace civ::host {
namespace {

TEST(VersionRange, HalfOpenIntervalIncludesLowExcludesHigh) {
  auto range = VersionRange::parse("[1.0,2.0)");
  ASSERT_TRUE(range);
  EXPECT_TRUE(range->contains(*SemVer::parse("1.0.0")));
  EXPECT_TRUE(range->contains(*SemVer::parse("1.9.9")));
  EXPECT_FALSE(range->contains(*SemVer::parse("2.0.0")));
  EXPECT_FALSE(range->contains(*SemVer::parse("0.9.9")));
}

TEST(VersionRange, BareVersionMeansAtLeast) {
  auto range = VersionRange::parse("1.2");
  ASSERT_TRUE(range);
  EXPECT_TRUE(range->contains(*SemVer::parse("7.0.0")));
  EXPECT_FALSE(range->contains(*SemVer::parse("1.1.9")));
}

TEST(VersionRange, RefusesMalformedRanges) {
  for (const char* text : {"", "[1.0,2.0", "[2.0,1.0)", "[1.0;2.0)", "[a,b)", "(1.0)"})
    EXPECT_FALSE(VersionRange::parse(text)) << text;
}

TEST(SemVer, ParsesAndCompares) {
  EXPECT_LT(*SemVer::parse("1.4.2"), *SemVer::parse("1.10.0"));
  EXPECT_EQ(SemVer::parse("1.4")->toString(), "1.4.0");
  EXPECT_FALSE(SemVer::parse("1.4.2.1"));
  EXPECT_FALSE(SemVer::parse("1.-4"));
}

}  // namespace
}  // namespace civ::host
