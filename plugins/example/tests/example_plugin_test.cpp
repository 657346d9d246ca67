// Unit tests of the example module on the SDK's fake Context: what a vendor writes first.
#include "../src/example_plugin.h"

#include <functional>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/testing/fake_context.h>
#include <civ/sdk/testing/test_data.h>

namespace civ::plugins::example {
namespace {

using nlohmann::json;
using sdk::Method;
using sdk::testing::FakeContext;

// 11010519491231002X: the worked example of GB 11643 (X check character, born 1949-12-31).
constexpr const char* kCitizenId = "11010519491231002X";

class ExamplePluginTest : public ::testing::Test {
 protected:
  void SetUp() override { context_.start(plugin_); }

  ExamplePlugin plugin_;
  FakeContext context_{"example", *sdk::Date::fromParts(2026, 3, 2)};
};

TEST_F(ExamplePluginTest, CreatesANoteAndReadsItBack) {
  auto created =
      context_.call(Method::Post, "/notes",
                    {{"citizen_id", kCitizenId}, {"name", "张三"}, {"text", "家访已完成"}});
  ASSERT_EQ(created.status, 201);
  const auto id = created.body["id"].get<std::int64_t>();
  EXPECT_EQ(created.location, "/notes/" + std::to_string(id));
  EXPECT_EQ(created.body["written_on"], "2026-03-02");

  auto read = context_.call(Method::Get, "/notes/" + std::to_string(id));
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.body["text"], "家访已完成");
  EXPECT_EQ(read.body["person"]["citizen_id"], kCitizenId);
}

TEST_F(ExamplePluginTest, RegistersThePersonWithBirthDateAndSexFromTheId) {
  context_.call(Method::Post, "/notes",
                {{"citizen_id", kCitizenId}, {"name", "张三"}, {"text", "x"}});
  auto person = context_.persons().findByCitizenId(context_.db(), kCitizenId);
  ASSERT_TRUE(person.has_value());
  EXPECT_EQ(person->birth_date.toString(), "1949-12-31");
  EXPECT_EQ(person->sex, sdk::Sex::Female);
}

TEST_F(ExamplePluginTest, ANoteOfAnotherCountyIsNotFound) {
  auto created =
      context_.call(Method::Post, "/notes",
                    {{"citizen_id", kCitizenId}, {"name", "张三"}, {"text", "x"}}, "610902");
  const auto path = "/notes/" + std::to_string(created.body["id"].get<std::int64_t>());
  EXPECT_THROW(context_.call(Method::Get, path, nullptr, "350502"), sdk::NotFound);
}

/// The status, type and detail of what `call` throws; "answered" when it does not throw.
std::string refusal(const std::function<void()>& call) {
  try {
    call();
  } catch (const sdk::Error& error) {
    return std::to_string(error.status()) + " " + error.type() + ": " + error.detail();
  }
  return "answered";
}

// The fake runs civhost's request pipeline: these are the answers civhost gives over HTTP
// (tests/e2e/civhost_serve_test.cpp, CivhostServe.RefusesOutOfScopeCallersAsTheFakeContextDoes,
// asserts the same texts).
TEST_F(ExamplePluginTest, RefusesOutOfCountyModuleAndRoleExactlyAsCivhost) {
  const json note = {{"citizen_id", kCitizenId}, {"name", "张三"}, {"text", "x"}};
  context_.setCaller({"wang", "clerk", {"610902"}, {}});
  EXPECT_EQ(refusal([&] { context_.call(Method::Post, "/notes", note, "350502"); }),
            "403 out-of-scope: the token of wang covers counties 610902, not 350502");
  context_.setCaller({"wang", "clerk", {"610902"}, {"marriage"}});
  EXPECT_EQ(refusal([&] { context_.call(Method::Get, "/notes"); }),
            "403 out-of-scope: the token of wang covers modules marriage, not example");
  context_.setCaller({"wang", "auditor", {"610902"}, {}});
  EXPECT_EQ(refusal([&] { context_.call(Method::Post, "/notes", note); }),
            "403 forbidden: role auditor may not edit here");
  EXPECT_EQ(refusal([&] { context_.call(Method::Get, "/notes", nullptr, "110105"); }),
            "404 unknown-county: county '110105' is not configured on this server; configured: "
            "610902, 350502");
  context_.configureCounty("350502", {});
  context_.setCaller({"wang", "clerk", {"610902", "350502"}, {}});
  EXPECT_EQ(refusal([&] { context_.call(Method::Get, "/notes", nullptr, "350502"); }),
            "404 module-not-enabled: module 'example' is not enabled for county 350502 (鲤城区); "
            "enabled: none");
  EXPECT_EQ(refusal([&] { context_.call(Method::Delete, "/notes"); }),
            "405 method-not-allowed: DELETE is not allowed on /notes; allowed: POST, GET");
  EXPECT_EQ(refusal([&] { context_.call(Method::Get, "/notes?after_id=3"); }),
            "400 validation-error: after_id: this route has no query parameter 'after_id'; it "
            "takes: limit, sort, cursor, person_id, unconfirmed");
  EXPECT_EQ(refusal([&] { context_.call(Method::Get, "/notes"); }), "answered");
}

TEST_F(ExamplePluginTest, RefusesAnInvalidCitizenIdNamingTheFieldAndRule) {
  try {
    context_.call(Method::Post, "/notes",
                  {{"citizen_id", "110105194912310021"}, {"name", "张三"}, {"text", "x"}});
    FAIL() << "an ID with a wrong check character was accepted";
  } catch (const sdk::ValidationError& error) {
    ASSERT_EQ(error.fieldErrors().size(), 1u);
    EXPECT_EQ(error.fieldErrors()[0].field, "citizen_id");
    EXPECT_EQ(error.fieldErrors()[0].rule, "checksum");
    EXPECT_EQ(error.status(), 400);
  }
}

TEST_F(ExamplePluginTest, RefusesUnknownFieldsAndMissingOnes) {
  try {
    context_.call(Method::Post, "/notes", {{"citizen_id", kCitizenId}, {"txt", "x"}});
    FAIL() << "a body with an unknown field was accepted";
  } catch (const sdk::ValidationError& error) {
    // Every field:rule the refusal names (test_data.h has the helpers plugin tests share).
    const auto rules = sdk::testing::fieldRules(error);
    EXPECT_TRUE(rules.count("txt:unknown_field"));
    EXPECT_TRUE(rules.count("text:required"));
    EXPECT_TRUE(rules.count("name:required"));
  }
}

TEST_F(ExamplePluginTest, TheCountysMaximumLengthAppliesFromItsEffectiveDate) {
  context_.setPolicyValue("max_note_length", "10", *sdk::Date::fromParts(2026, 4, 1), "610902");
  const nlohmann::json body = {
      {"citizen_id", kCitizenId}, {"name", "张三"}, {"text", "十一个字的备注内容测试用"}};
  EXPECT_EQ(context_.call(Method::Post, "/notes", body).status, 201);  // March: default 500
  context_.setToday(*sdk::Date::fromParts(2026, 4, 1));
  try {
    context_.call(Method::Post, "/notes", body);
    FAIL() << "a note over the county's limit was accepted";
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors()[0].rule, "max_note_length");
  }
  // The other county keeps the default.
  EXPECT_EQ(context_.call(Method::Post, "/notes", body, "350502").status, 201);
}

TEST_F(ExamplePluginTest, AFailedCallLeavesNoPartialWrite) {
  // The person would be registered before the deceased check; the rollback must remove it.
  const std::string other = "440524188001010014";
  soci::session& db = context_.db();
  context_.call(Method::Post, "/notes", {{"citizen_id", other}, {"name", "李四"}, {"text", "x"}});
  auto person = context_.persons().findByCitizenId(db, other);
  ASSERT_TRUE(person);
  context_.persons().markDeceased(db, person->id, *sdk::Date::fromParts(2026, 1, 5));
  long long before = 0;
  db << "SELECT COUNT(*) FROM example_notes", soci::into(before);
  EXPECT_THROW(context_.call(Method::Post, "/notes",
                             {{"citizen_id", other}, {"name", "李四"}, {"text", "y"}}),
               sdk::Conflict);
  long long after = 0;
  db << "SELECT COUNT(*) FROM example_notes", soci::into(after);
  EXPECT_EQ(before, after);
}

TEST_F(ExamplePluginTest, CountsNotesWrittenInThePeriod) {
  context_.call(Method::Post, "/notes",
                {{"citizen_id", kCitizenId}, {"name", "张三"}, {"text", "a"}});
  context_.setToday(*sdk::Date::fromParts(2026, 5, 10));
  context_.call(Method::Post, "/notes",
                {{"citizen_id", kCitizenId}, {"name", "张三"}, {"text", "b"}});
  using sdk::testing::day;
  const auto march =
      context_.indicator("notes_written", "610902", day("2026-03-01"), day("2026-03-31"));
  const auto spring =
      context_.indicator("notes_written", "610902", day("2026-03-01"), day("2026-05-31"));
  EXPECT_EQ(march, 1);
  EXPECT_EQ(spring, 2);
}

TEST_F(ExamplePluginTest, ConfirmingIsForAnotherUserWithTheApproverRole) {
  context_.setCaller({"wang", "clerk", {"610902"}, {}});
  auto created = context_.call(Method::Post, "/notes",
                               {{"citizen_id", kCitizenId}, {"name", "张三"}, {"text", "x"}});
  const std::string confirm =
      "/notes/" + std::to_string(created.body["id"].get<int>()) + "/confirm";
  // A clerk may not approve at all.
  EXPECT_THROW(context_.call(Method::Post, confirm), sdk::Forbidden);
  // The same user holding the approver role is refused by the four-eyes rule.
  context_.setCaller({"wang", "approver", {"610902"}, {}});
  try {
    context_.call(Method::Post, confirm);
    FAIL() << "the writer confirmed their own note";
  } catch (const sdk::Forbidden& error) {
    EXPECT_NE(std::string(error.detail()).find("four-eyes rule: wang submitted note"),
              std::string::npos);
  }
  context_.setCaller({"li", "approver", {"610902"}, {}});
  auto confirmed = context_.call(Method::Post, confirm);
  EXPECT_EQ(confirmed.body["confirmed_by"], "li");
  EXPECT_THROW(context_.call(Method::Post, confirm), sdk::Conflict);
  // The confirmation event reaches the subscriber once, however often delivery runs.
  EXPECT_EQ(context_.deliverEvents(), 1);
  EXPECT_EQ(context_.deliverEvents(), 0);
  long long logged = 0;
  context_.db() << "SELECT COUNT(*) FROM example_confirmations WHERE confirmed_by = 'li'",
      soci::into(logged);
  EXPECT_EQ(logged, 1);
}

TEST_F(ExamplePluginTest, ARefusedConfirmationPublishesNothing) {
  context_.setCaller({"wang", "clerk", {"610902"}, {}});
  auto created = context_.call(Method::Post, "/notes",
                               {{"citizen_id", kCitizenId}, {"name", "张三"}, {"text", "x"}});
  context_.setCaller({"wang", "approver", {"610902"}, {}});
  const std::string confirm =
      "/notes/" + std::to_string(created.body["id"].get<int>()) + "/confirm";
  EXPECT_THROW(context_.call(Method::Post, confirm), sdk::Forbidden);
  long long outbox = 0;
  context_.db() << "SELECT COUNT(*) FROM civ_outbox", soci::into(outbox);
  EXPECT_EQ(outbox, 0);
  EXPECT_EQ(context_.deliverEvents(), 0);
}

TEST_F(ExamplePluginTest, WritesAuditRowsWithMaskedCitizenIds) {
  context_.call(Method::Post, "/notes",
                {{"citizen_id", kCitizenId}, {"name", "张三"}, {"text", "x"}});
  std::string action;
  std::string summary;
  std::string user;
  context_.db() << "SELECT action, summary, user_name FROM civ_audit ORDER BY id DESC LIMIT 1",
      soci::into(action), soci::into(summary), soci::into(user);
  EXPECT_EQ(action, "note.create");
  EXPECT_EQ(user, "tester");
  EXPECT_NE(summary.find("110105********002X"), std::string::npos) << summary;
  EXPECT_EQ(summary.find(kCitizenId), std::string::npos) << summary;
}

}  // namespace
}  // namespace civ::plugins::example
