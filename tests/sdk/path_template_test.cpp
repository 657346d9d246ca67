#include <gtest/gtest.h>

#include <civ/sdk/error.h>
#include <civ/sdk/path_template.h>

namespace civ::sdk {
namespace {

TEST(PathTemplate, MatchesLiteralsAndParameters) {
  const PathTemplate route("/households/{household_id}/members/{id}");
  auto params = route.match("/households/12/members/7");
  ASSERT_TRUE(params);
  EXPECT_EQ(params->at("household_id"), "12");
  EXPECT_EQ(params->at("id"), "7");
  EXPECT_FALSE(route.match("/households/12/members"));
  EXPECT_FALSE(route.match("/households/12/member/7"));
  EXPECT_FALSE(route.match("/households//members/7"));
  // One segment more or less, or a trailing slash, is another path.
  EXPECT_FALSE(route.match("/households/12/members/7/"));
  EXPECT_FALSE(route.match("/households/12/members/7/x"));
  EXPECT_FALSE(route.match("/households/12/members/"));
  EXPECT_FALSE(route.match("/households"));
  EXPECT_FALSE(route.match("/"));
  EXPECT_FALSE(route.match(""));
  const PathTemplate literal("/overdue");
  EXPECT_TRUE(literal.match("/overdue"));
  EXPECT_FALSE(literal.match("/overdue/"));
  EXPECT_FALSE(literal.match("/overdu"));
  EXPECT_FALSE(literal.match("//overdue"));
  EXPECT_TRUE(PathTemplate("/").match("/"));
  EXPECT_FALSE(PathTemplate("/").match("/overdue"));
}

TEST(PathTemplate, DecodesParametersButNeverIntoSlashes) {
  const PathTemplate route("/notes/{id}");
  EXPECT_EQ(route.match("/notes/%E5%BC%A0")->at("id"), "张");
  EXPECT_FALSE(route.match("/notes/..%2F..%2Fetc"));  // traversal stays one segment or fails
  EXPECT_FALSE(route.match("/notes/%2"));
  EXPECT_FALSE(route.match("/notes/%00"));
}

TEST(PathTemplate, RefusesMalformedTemplates) {
  EXPECT_THROW(PathTemplate("notes"), ValidationError);
  EXPECT_THROW(PathTemplate("/notes/{Id}"), ValidationError);
  EXPECT_THROW(PathTemplate("/notes//x"), ValidationError);
  EXPECT_THROW(PathTemplate("/no tes"), ValidationError);
}

}  // namespace
}  // namespace civ::sdk
