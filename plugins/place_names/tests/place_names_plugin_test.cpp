// The place_names module on the fake Context: divisions as of a day, adjustments as change sets
// with codes never reused, old codes mapped to today's divisions; names with their pinyin, the
// checks with the rule named (each refusal changes nothing), the workflow with the 15-day
// limits, corrections audited with old and new values, township scope, indicators.
#include "../src/place_names_plugin.h"

#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/testing/fake_context.h>
#include <civ/sdk/testing/test_data.h>

namespace civ::plugins::place_names {
namespace {

using nlohmann::json;
using sdk::Method;
using namespace sdk::testing;

class PlaceNamesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.start(plugin_);
    asClerk();
  }
  void asAdmin() { context_.setCaller({"admin1", "admin", {"610902", "350502"}, {}}); }
  void asClerk() { context_.setCaller({"clerk1", "clerk", {"610902", "350502"}, {}}); }
  void asApprover() { context_.setCaller({"approver1", "approver", {"610902", "350502"}, {}}); }

  json application(const char* specific, const char* generic, const char* category,
                   const char* division, const char* area = nullptr) {
    json body = {{"specific", specific},         {"generic", generic},
                 {"category", category},         {"division_code", division},
                 {"reason", "新建道路需要命名"}, {"meaning", "寓意"}};
    if (area) body["built_up_area"] = area;
    return body;
  }

  std::int64_t apply(const json& body, const char* county = "610902") {
    return context_.call(Method::Post, "/names", body, county).body["id"];
  }

  /// Applies, records the three reports and approves on `approved_on`.
  std::int64_t approved(const json& body, const char* approved_on, const char* authority,
                        const char* county = "610902") {
    const auto id = apply(body, county);
    const std::string base = "/names/" + std::to_string(id);
    for (const char* kind : {"assessment", "expert", "consultation"})
      context_.call(
          Method::Post, base + "/reports",
          {{"kind", kind}, {"on_date", context_.clock().today().toString()}, {"summary", "同意"}},
          county);
    asApprover();
    context_.call(Method::Post, base + "/approval",
                  {{"authority", authority},
                   {"document_number", "汉政函〔2026〕1号"},
                   {"approved_on", approved_on}},
                  county);
    asClerk();
    return id;
  }

  /// "field:rule" of the refusal, after checking that nothing was written.
  std::string refusal(Method method, const std::string& path, const json& body,
                      const char* county = "610902") {
    const auto before = snapshot();
    try {
      context_.call(method, path, body, county);
    } catch (const sdk::ValidationError& error) {
      EXPECT_EQ(snapshot(), before) << "a refused request changed something";
      return error.fieldErrors().front().field + ":" + error.fieldErrors().front().rule;
    }
    return "accepted";
  }

  std::vector<std::string> snapshot() {
    std::vector<std::string> rows;
    for (const char* sql :
         {"SELECT COUNT(*) || '/' || COALESCE(MAX(valid_to), '') || '/' || "
          "COALESCE(SUM(LENGTH(name)), 0) FROM pn_divisions",
          "SELECT COUNT(*) || '' FROM pn_successors", "SELECT COUNT(*) || '' FROM pn_adjustments",
          "SELECT COUNT(*) || '/' || COALESCE(MAX(status), '') || '/' || COALESCE(MAX(filed_on), "
          "'') || '/' || COALESCE(MAX(ended_on), '') FROM pn_names",
          "SELECT COUNT(*) || '' FROM pn_name_reports", "SELECT COUNT(*) || '' FROM civ_audit",
          "SELECT COUNT(*) || '/' || COALESCE(SUM(length_m), 0) FROM pn_boundary_lines",
          "SELECT COUNT(*) || '/' || COALESCE(MAX(condition), '') FROM pn_boundary_markers",
          "SELECT COUNT(*) || '/' || COALESCE(MAX(rectified_on), '') FROM"
          " pn_boundary_inspections"}) {
      std::string value;
      context_.db() << sql, soci::into(value);
      rows.push_back(value);
    }
    return rows;
  }

  std::pair<std::string, json> lastAudit(const std::string& action) {
    std::string entity, summary;
    context_.db() << "SELECT entity_id, summary FROM civ_audit WHERE action = :a ORDER BY id DESC"
                     " LIMIT 1",
        soci::use(action), soci::into(entity), soci::into(summary);
    if (!context_.db().got_data()) return {"", nullptr};
    return {entity, json::parse(summary)};
  }

  PlaceNamesPlugin plugin_;
  FakeContext context_{"place_names", day("2026-03-10")};
};

// ---- Divisions --------------------------------------------------------------------------------

TEST_F(PlaceNamesTest, DemoCountiesTownshipsAreLoaded) {
  const auto hanbin = context_.call(Method::Get, "/divisions?level=township");
  EXPECT_EQ(hanbin.body["total"], 6);
  const auto licheng = context_.call(Method::Get, "/divisions?level=township", nullptr, "350502");
  EXPECT_EQ(licheng.body["total"], 6);
  const auto town = context_.call(Method::Get, "/divisions/610902101");
  EXPECT_EQ(town.body["name"], "关庙镇");
  EXPECT_EQ(town.body["kind"], "镇");
  EXPECT_EQ(context_.indicator("townships_zhen", "610902", day("2026-01-01"), day("2026-03-10")),
            3);
  EXPECT_EQ(context_.indicator("townships_jiedao", "610902", day("2026-01-01"), day("2026-03-10")),
            3);
  EXPECT_EQ(context_.indicator("townships_jiedao", "350502", day("2026-01-01"), day("2026-03-10")),
            6);
  EXPECT_EQ(context_.indicator("townships_xiang", "610902", day("2026-01-01"), day("2026-03-10")),
            0);

  // 统计季报 counts 乡 with 民族乡 and then 民族乡 on their own (rules.md §5.4: by type).
  asAdmin();
  const json minzu = {{"effective_on", "2026-03-01"},
                      {"document", "陕政函〔2026〕8号"},
                      {"authority", "province_government"},
                      {"description", "设立民族乡"},
                      {"operations",
                       {{{"kind", "create"},
                         {"codes", json::array()},
                         {"into",
                          {{{"code", "610902201"},
                            {"name", "双龙回族乡"},
                            {"kind", "民族乡"},
                            {"parent_code", "610902"}}}}}}}};
  ASSERT_EQ(context_.call(Method::Post, "/adjustments", minzu).status, 201);
  EXPECT_EQ(context_.indicator("townships_xiang", "610902", day("2026-01-01"), day("2026-03-10")),
            1);
  EXPECT_EQ(
      context_.indicator("townships_minzuxiang", "610902", day("2026-01-01"), day("2026-03-10")),
      1);
  EXPECT_EQ(context_.indicator("townships_zhen", "610902", day("2026-01-01"), day("2026-03-10")),
            3);
}

json mergeWuliIntoGuanmiao() {
  return {{"effective_on", "2026-04-01"},
          {"document", "陕政函〔2026〕12号"},
          {"authority", "province_government"},
          {"description", "撤销五里镇，并入关庙镇"},
          {"operations",
           {{{"kind", "merge"},
             {"codes", {"610902101", "610902103"}},
             {"into",
              {{{"code", "610902101"},
                {"name", "关庙镇"},
                {"kind", "镇"},
                {"parent_code", "610902"}}}}}}}};
}

TEST_F(PlaceNamesTest, MergeQueriedBeforeAndAfterItsDateOldCodeNeverReused) {
  asAdmin();
  const auto adjusted = context_.call(Method::Post, "/adjustments", mergeWuliIntoGuanmiao());
  ASSERT_EQ(adjusted.status, 201);
  EXPECT_EQ(adjusted.body["changes"].size(), 1u);
  EXPECT_EQ(adjusted.body["changes"][0]["old_code"], "610902103");
  // Before the date: six townships, 五里镇 among them; from the date: five.
  EXPECT_EQ(context_.call(Method::Get, "/divisions?level=township&as_of=2026-03-31").body["total"],
            6);
  EXPECT_EQ(context_.call(Method::Get, "/divisions?level=township&as_of=2026-04-01").body["total"],
            5);
  EXPECT_EQ(context_.call(Method::Get, "/divisions/610902103?as_of=2026-03-31").body["name"],
            "五里镇");
  EXPECT_THROW(context_.call(Method::Get, "/divisions/610902103?as_of=2026-04-01"), sdk::NotFound);
  // Today (03-10) 五里镇 still stands; from 04-01 its code maps to 关庙镇.
  auto wuli = context_.call(Method::Get, "/divisions/610902103?as_of=2026-03-31");
  EXPECT_EQ(wuli.body["today"][0]["code"], "610902103");
  context_.setToday(day("2026-04-02"));
  wuli = context_.call(Method::Get, "/divisions/610902103?as_of=2026-03-31");
  ASSERT_EQ(wuli.body["today"].size(), 1u);
  EXPECT_EQ(wuli.body["today"][0]["code"], "610902101");
  EXPECT_EQ(wuli.body["successors"][0]["code"], "610902101");
  EXPECT_EQ(context_.call(Method::Get, "/divisions/610902101").body["history"].size(), 2u);
  EXPECT_EQ(context_.indicator("townships_zhen", "610902", day("2026-01-01"), day("2026-04-30")),
            2);

  // The retired code is never given to another division.
  json reuse = {{"effective_on", "2026-05-01"},
                {"document", "陕政函〔2026〕20号"},
                {"authority", "province_government"},
                {"description", "新设镇"},
                {"operations",
                 {{{"kind", "create"},
                   {"codes", json::array()},
                   {"into",
                    {{{"code", "610902103"},
                      {"name", "新五里镇"},
                      {"kind", "镇"},
                      {"parent_code", "610902"}}}}}}}};
  EXPECT_EQ(refusal(Method::Post, "/adjustments", reuse),
            "operations[0].into[0].code:code-never-reused");
  // A merged division cannot change again.
  EXPECT_EQ(refusal(Method::Post, "/adjustments", mergeWuliIntoGuanmiao()),
            "operations[0].codes[0]:division-in-force");
}

TEST_F(PlaceNamesTest, AdjustmentRefusalsNameFieldAndRule) {
  asAdmin();
  auto body = mergeWuliIntoGuanmiao();
  body["operations"][0]["codes"] = {"610902101"};
  EXPECT_EQ(refusal(Method::Post, "/adjustments", body), "operations[0].codes:operation-shape");
  body = mergeWuliIntoGuanmiao();
  body["operations"][0]["into"][0]["code"] = "610902104";  // a new 镇 code
  body["operations"][0]["into"][0]["kind"] = "街道";
  EXPECT_EQ(refusal(Method::Post, "/adjustments", body), "operations[0].into[0].code:code-range");
  body = mergeWuliIntoGuanmiao();
  body["operations"][0]["into"][0]["kind"] = "村";
  EXPECT_EQ(refusal(Method::Post, "/adjustments", body),
            "operations[0].into[0].kind:kind-of-level");
  body = mergeWuliIntoGuanmiao();
  body["operations"][0]["into"][0]["parent_code"] = "350502";
  EXPECT_EQ(refusal(Method::Post, "/adjustments", body),
            "operations[0].into[0].parent_code:code-under-parent");
  body = mergeWuliIntoGuanmiao();
  body["operations"][0]["into"][0]["code"] = "350502101";
  EXPECT_EQ(refusal(Method::Post, "/adjustments", body),
            "operations[0].into[0].code:division-code");
  // A village left under a township that ends.
  json village = {{"effective_on", "2026-03-01"},
                  {"document", "汉政发〔2026〕3号"},
                  {"authority", "county_government"},
                  {"description", "新设村"},
                  {"operations",
                   {{{"kind", "create"},
                     {"codes", json::array()},
                     {"into",
                      {{{"code", "610902103201"},
                        {"name", "五里村"},
                        {"kind", "村"},
                        {"parent_code", "610902103"}}}}}}}};
  ASSERT_EQ(context_.call(Method::Post, "/adjustments", village).status, 201);
  EXPECT_EQ(refusal(Method::Post, "/adjustments", mergeWuliIntoGuanmiao()),
            "operations:parent-in-force");
  // Re-parenting the village in the same change set (a new code under 关庙镇) is accepted.
  body = mergeWuliIntoGuanmiao();
  body["operations"].push_back({{"kind", "reparent"},
                                {"codes", {"610902103201"}},
                                {"into",
                                 {{{"code", "610902101215"},
                                   {"name", "五里村"},
                                   {"kind", "村"},
                                   {"parent_code", "610902101"}}}}});
  ASSERT_EQ(context_.call(Method::Post, "/adjustments", body).status, 201);
  context_.setToday(day("2026-04-01"));
  const auto village_today = context_.call(Method::Get, "/divisions/610902103201?as_of=2026-03-31");
  EXPECT_EQ(village_today.body["today"][0]["code"], "610902101215");
  // A clerk may not record adjustments (admin only) and a township-scoped admin neither.
  context_.setCaller({"admin2", "admin", {"610902"}, {}, {"关庙镇"}});
  try {
    context_.call(Method::Post, "/adjustments", mergeWuliIntoGuanmiao());
    ADD_FAILURE() << "accepted";
  } catch (const sdk::Error& error) {
    EXPECT_EQ(error.status(), 403);
  }
}

TEST_F(PlaceNamesTest, DivisionCorrectionIsAuditedWithOldAndNewValues) {
  asAdmin();
  const auto corrected =
      context_.call(Method::Patch, "/divisions/610902102", {{"name", "恒口镇（示范区）"}});
  EXPECT_EQ(corrected.body["name"], "恒口镇（示范区）");
  const auto [entity, changes] = lastAudit("division.correct");
  EXPECT_EQ(entity, "610902102");
  EXPECT_EQ(changes["name"]["old"], "恒口镇");
  EXPECT_EQ(changes["name"]["new"], "恒口镇（示范区）");
  EXPECT_EQ(refusal(Method::Patch, "/divisions/610902102", {{"kind", "街道"}}), "kind:code-range");
  EXPECT_EQ(refusal(Method::Patch, "/divisions/610902102", {{"kind", "镇"}}), "kind:unchanged");
}

// ---- Names ------------------------------------------------------------------------------------

TEST_F(PlaceNamesTest, RomanisationOfRealNamesWithCorrection) {
  auto answer = context_.call(Method::Get, "/romanisation?specific=%E8%A5%BF%E5%AE%89");  // 西安
  EXPECT_EQ(answer.body["pinyin"], "Xi'an");
  EXPECT_EQ(answer.body["pinyin_sign"], "XI'AN");
  // 长安区: ICU reads zhǎng; the correction reads cháng.
  answer = context_.call(Method::Get,
                         "/romanisation?specific=%E9%95%BF%E5%AE%89&generic=%E5%8C%BA"
                         "&specific_pinyin=ch%C3%A1ng%20%C4%81n");
  EXPECT_EQ(answer.body["pinyin"], "Chang'an Qu");
  EXPECT_EQ(answer.body["pinyin_tones"], "Cháng'ān Qū");
  EXPECT_EQ(refusal(Method::Get, "/romanisation?specific=%E9%95%BF%E5%AE%89&specific_pinyin=chang",
                    nullptr),
            "specific_pinyin:pinyin-syllables");
}

TEST_F(PlaceNamesTest, StreetOrdinalsInDigitsAndErAsRWhenANameIsApplied) {
  // 1984 spelling rules (rules.md §5.3): 经五路 Jing 5 Lu; 盆儿胡同 Penr Hutong.
  auto created = context_.call(Method::Post, "/names",
                               application("经五", "路", "street", "610902003", "汉滨城区"));
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.body["pinyin"], "Jing 5 Lu");
  EXPECT_EQ(created.body["pinyin_sign"], "JING 5 LU");
  created = context_.call(Method::Post, "/names",
                          application("盆儿", "胡同", "street", "610902003", "汉滨城区"));
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.body["pinyin"], "Penr Hutong");
  // The route that previews a name says the same.
  const auto preview = context_.call(
      Method::Get, "/romanisation?specific=%E7%BB%8F%E4%BA%94&generic=%E8%B7%AF&category=street");
  EXPECT_EQ(preview.body["pinyin"], "Jing 5 Lu");
}

TEST_F(PlaceNamesTest, NameIsAppliedWithItsPinyinAndTownship) {
  auto body = application("乐", "村", "settlement", "610902101");
  body["specific_pinyin"] = "yuè";
  body["location"] = {{"type", "Point"}, {"coordinates", {109.1, 32.6}}};
  const auto created = context_.call(Method::Post, "/names", body);
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.body["name"], "乐村");
  EXPECT_EQ(created.body["pinyin"], "Yuecun") << "a village seat is one word";
  EXPECT_EQ(created.body["township"], "关庙镇");
  EXPECT_EQ(created.body["status"], "proposed");
  EXPECT_EQ(created.body["location"]["coordinates"][1], 32.6);
}

TEST_F(PlaceNamesTest, NameRefusalsNameFieldAndRuleAndChangeNothing) {
  EXPECT_EQ(refusal(Method::Post, "/names",
                    application("威尼斯", "花园", "street", "610902003", "汉滨城区")),
            "specific:forbidden-content");
  EXPECT_EQ(refusal(Method::Post, "/names", application("𣵦沽", "村", "settlement", "610902101")),
            "specific:rare-character");
  EXPECT_EQ(refusal(Method::Post, "/names", application("滨江", "路", "street", "610902003")),
            "built_up_area:built-up-area-required");
  EXPECT_EQ(
      refusal(Method::Post, "/names", application("滨江", "路", "street", "610902999", "汉滨城区")),
      "division_code:division-in-force");
  EXPECT_EQ(
      refusal(Method::Post, "/names", application("滨江", "路", "street", "350502001", "汉滨城区")),
      "division_code:division-in-force");
  auto body = application("长安", "路", "street", "610902003", "汉滨城区");
  body["specific_pinyin"] = "chang";
  EXPECT_EQ(refusal(Method::Post, "/names", body), "specific_pinyin:pinyin-syllables");
  body["renames"] = 999;
  body.erase("specific_pinyin");
  EXPECT_EQ(refusal(Method::Post, "/names", body), "renames:renames-standard-name");
  asAdmin();
  context_.call(Method::Post, "/forbidden-words", {{"word", "万达"}, {"kind", "enterprise"}});
  EXPECT_EQ(refusal(Method::Post, "/forbidden-words", {{"word", "万达"}, {"kind", "enterprise"}}),
            "word:unique-word");
  asClerk();
  EXPECT_EQ(refusal(Method::Post, "/names",
                    application("万达", "广场", "street", "610902003", "汉滨城区")),
            "specific:forbidden-content");
}

TEST_F(PlaceNamesTest, HomophoneRefusedInScopeAllowedOutsideIt) {
  // Streets: the same built-up area.
  apply(application("建设", "路", "street", "610902003", "汉滨城区"));
  EXPECT_EQ(
      refusal(Method::Post, "/names", application("健设", "路", "street", "610902001", "汉滨城区")),
      "specific:homophone");
  EXPECT_EQ(
      refusal(Method::Post, "/names", application("建设", "路", "street", "610902001", "汉滨城区")),
      "specific:duplicate-name");
  // Another built-up area of the county, and another county: allowed.
  EXPECT_EQ(context_
                .call(Method::Post, "/names",
                      application("健设", "路", "street", "610902101", "关庙集镇"))
                .status,
            201);
  EXPECT_EQ(context_
                .call(Method::Post, "/names",
                      application("建设", "路", "street", "350502001", "鲤城城区"), "350502")
                .status,
            201);
  // Village seats: the county. 汉滨区 and 鲤城区 may share one.
  apply(application("新华", "村", "settlement", "610902101"));
  EXPECT_EQ(refusal(Method::Post, "/names", application("新华", "村", "settlement", "610902102")),
            "specific:duplicate-name");
  EXPECT_EQ(context_
                .call(Method::Post, "/names", application("新华", "村", "settlement", "350502002"),
                      "350502")
                .status,
            201);
  // Natural features: the whole country.
  apply(application("凤凰", "山", "natural_feature", "610902"));
  EXPECT_EQ(refusal(Method::Post, "/names", application("凤凰", "山", "natural_feature", "350502"),
                    "350502"),
            "specific:duplicate-name");
  // A homophone introduced by a pinyin correction is refused too.
  // ICU reads 长 zhǎng: 长乐路 (Zhangle Lu) stands beside 常乐路 (Changle Lu) until the
  // correction to cháng makes the two sound alike.
  apply(application("常乐", "路", "street", "610902003", "老城区"));
  const auto id = apply(application("长乐", "路", "street", "610902003", "老城区"));
  EXPECT_EQ(
      refusal(Method::Patch, "/names/" + std::to_string(id), {{"specific_pinyin", "cháng lè"}}),
      "specific:homophone");
  // Moving a street into another built-up area is checked there too.
  const auto moved = apply(application("建设", "路", "street", "610902003", "江北新区"));
  EXPECT_EQ(
      refusal(Method::Patch, "/names/" + std::to_string(moved), {{"built_up_area", "汉滨城区"}}),
      "specific:duplicate-name");
}

TEST_F(PlaceNamesTest, WorkflowWithFifteenDayLimitsAndOverdueList) {
  context_.setToday(day("2026-09-25"));
  const auto id = apply(application("安康", "大道", "street", "610902003", "汉滨城区"));
  const std::string base = "/names/" + std::to_string(id);
  asApprover();
  EXPECT_EQ(refusal(Method::Post, base + "/approval",
                    {{"authority", "county_government"},
                     {"document_number", "汉政函〔2026〕9号"},
                     {"approved_on", "2026-09-25"}}),
            "reports:reports-required");
  asClerk();
  for (const char* kind : {"assessment", "expert", "consultation"})
    context_.call(Method::Post, base + "/reports",
                  {{"kind", kind}, {"on_date", "2026-09-25"}, {"summary", "同意"}});
  EXPECT_EQ(refusal(Method::Post, base + "/reports",
                    {{"kind", "expert"}, {"on_date", "2026-09-25"}, {"summary", "x"}}),
            "kind:one-report-per-kind");
  asApprover();
  EXPECT_EQ(refusal(Method::Post, base + "/approval",
                    {{"authority", "province_government"},
                     {"document_number", "x"},
                     {"approved_on", "2026-09-25"}}),
            "authority:approving-authority");
  EXPECT_EQ(refusal(Method::Post, base + "/approval",
                    {{"authority", "county_government"},
                     {"document_number", "x"},
                     {"approved_on", "2026-09-26"}}),
            "approved_on:not-in-future");
  const auto approved = context_.call(Method::Post, base + "/approval",
                                      {{"authority", "county_government"},
                                       {"document_number", "汉政函〔2026〕9号"},
                                       {"approved_on", "2026-09-25"}});
  EXPECT_EQ(approved.body["status"], "standard");
  // Day 15 is Saturday 2026-10-10, in calendar days (the 国庆 holiday does not move it).
  EXPECT_EQ(approved.body["filing_due"], "2026-10-10");
  EXPECT_EQ(approved.body["announcement_due"], "2026-10-10");
  asClerk();
  context_.setToday(day("2026-10-10"));
  EXPECT_EQ(context_.call(Method::Get, "/names/overdue").body["total"], 0);
  EXPECT_EQ(refusal(Method::Post, base + "/filing", {{"filed_on", "2026-09-24"}}),
            "filed_on:not-before-approval");
  EXPECT_EQ(refusal(Method::Post, base + "/filing", {{"filed_on", "2026-10-11"}}),
            "filed_on:not-in-future");
  context_.call(Method::Post, base + "/filing", {{"filed_on", "2026-10-09"}});
  context_.setToday(day("2026-10-11"));
  const auto overdue = context_.call(Method::Get, "/names/overdue");
  ASSERT_EQ(overdue.body["total"], 1);
  EXPECT_EQ(overdue.body["items"][0]["overdue"], json({"announcement"}));
  EXPECT_EQ(
      context_.indicator("announcement_overdue", "610902", day("2026-10-01"), day("2026-10-11")),
      1);
  EXPECT_EQ(context_.indicator("filing_overdue", "610902", day("2026-10-01"), day("2026-10-11")),
            0);
  EXPECT_EQ(indicatorByTownship(context_, "announcement_overdue", "610902", day("2026-10-01"),
                                day("2026-10-11")),
            (std::map<std::string, std::int64_t>{{"江北街道", 1}}));
  context_.call(Method::Post, base + "/announcement", {{"announced_on", "2026-10-11"}});
  EXPECT_EQ(context_.call(Method::Get, "/names/overdue").body["total"], 0);
  EXPECT_EQ(context_.indicator("names_standard", "610902", day("2026-10-01"), day("2026-10-11")),
            1);
  EXPECT_EQ(context_.indicator("names_street", "610902", day("2026-10-01"), day("2026-10-11")), 1);
}

TEST_F(PlaceNamesTest, DepartmentApprovalAnnouncedWithinFifteenDaysOfFiling) {
  const auto id = approved(application("锦绣", "苑", "street", "610902003", "汉滨城区"),
                           "2026-03-10", "housing_department");
  const std::string base = "/names/" + std::to_string(id);
  EXPECT_TRUE(context_.call(Method::Get, base).body["announcement_due"].is_null());
  EXPECT_EQ(refusal(Method::Post, base + "/announcement", {{"announced_on", "2026-03-10"}}),
            "announced_on:filed-first");
  context_.call(Method::Post, base + "/filing", {{"filed_on", "2026-03-10"}});
  EXPECT_EQ(context_.call(Method::Get, base).body["announcement_due"], "2026-03-25");
}

TEST_F(PlaceNamesTest, RenamingAProtectedNameNeedsMeasuresFirst) {
  auto body = application("古城", "街", "street", "610902001", "汉滨城区");
  body["protected"] = true;
  const auto old = approved(body, "2026-03-10", "county_government");
  auto rename = application("兴安", "街", "street", "610902001", "汉滨城区");
  rename["renames"] = old;
  EXPECT_EQ(refusal(Method::Post, "/names", rename),
            "protection_measures:protection-measures-first");
  rename["protection_measures"] = "原名载入地名文化遗产保护名录，设置历史地名标志";
  rename["specific_pinyin"] = "xīng ān";
  context_.setToday(day("2026-03-12"));
  const auto renamed = approved(rename, "2026-03-12", "county_government");
  const auto now = context_.call(Method::Get, "/names/" + std::to_string(renamed));
  EXPECT_EQ(now.body["pinyin"], "Xing'an Jie");
  EXPECT_EQ(context_.call(Method::Get, "/names/" + std::to_string(old)).body["status"], "renamed");
  EXPECT_EQ(context_.indicator("renamings", "610902", day("2026-03-01"), day("2026-03-31")), 1);
  // As of 03-11 the old name was standard; as of 03-12 the new one.
  const auto before = context_.call(Method::Get, "/names?as_of=2026-03-11");
  ASSERT_EQ(before.body["total"], 1);
  EXPECT_EQ(before.body["items"][0]["name"], "古城街");
  const auto after = context_.call(Method::Get, "/names?as_of=2026-03-12");
  ASSERT_EQ(after.body["total"], 1);
  EXPECT_EQ(after.body["items"][0]["name"], "兴安街");
  // Retiring a protected name needs measures too.
  asApprover();
  auto retire = json{{"retired_on", "2026-03-12"}, {"reason", "道路拆除"}};
  EXPECT_EQ(refusal(Method::Post, "/names/" + std::to_string(renamed) + "/retirement", retire),
            "accepted");
}

TEST_F(PlaceNamesTest, CorrectionsAreAuditedWithOldAndNewValues) {
  const auto id = apply(application("长安", "路", "street", "610902003", "汉滨城区"));
  const std::string path = "/names/" + std::to_string(id);
  EXPECT_EQ(context_.call(Method::Get, path).body["pinyin"], "Zhang'an Lu");
  const auto corrected = context_.call(Method::Patch, path, {{"specific_pinyin", "cháng ān"}});
  EXPECT_EQ(corrected.body["pinyin"], "Chang'an Lu");
  const auto [entity, changes] = lastAudit("name.correct");
  EXPECT_EQ(entity, std::to_string(id));
  EXPECT_TRUE(changes["specific_pinyin"]["old"].is_null());
  EXPECT_EQ(changes["specific_pinyin"]["new"], "cháng ān");
  EXPECT_EQ(refusal(Method::Patch, path, {{"specific_pinyin", "cháng ān"}}),
            "specific_pinyin:unchanged");
  EXPECT_EQ(refusal(Method::Patch, path,
                    {{"location", {{"type", "Point"}, {"coordinates", {109.0, 95.0}}}}}),
            "location.coordinates[1]:geojson-point");
  // Searching by toneless pinyin finds it.
  EXPECT_EQ(context_.call(Method::Get, "/names?q=changan").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, "/names?q=%E9%95%BF%E5%AE%89").body["total"], 1);
}

TEST_F(PlaceNamesTest, TownshipScopedCallerSeesAndActsOnlyInItsTownship) {
  apply(application("滨江", "路", "street", "610902003", "汉滨城区"));  // 江北街道
  const auto own = apply(application("庙前", "街", "street", "610902101", "关庙集镇"));  // 关庙镇
  context_.setCaller({"clerk2", "clerk", {"610902"}, {}, {"关庙镇"}});
  const auto page = context_.call(Method::Get, "/names");
  ASSERT_EQ(page.body["total"], 1);
  EXPECT_EQ(page.body["items"][0]["id"], own);
  try {
    context_.call(Method::Post, "/names",
                  application("江滨", "路", "street", "610902003", "汉滨城区"));
    ADD_FAILURE() << "accepted";
  } catch (const sdk::Error& error) {
    EXPECT_EQ(error.status(), 403);
  }
}

TEST_F(PlaceNamesTest, ListsPageWithoutSkippingOrRepeating) {
  std::vector<std::int64_t> ids;
  for (const char* specific : {"一路", "二路", "三路", "四路", "五路"})
    ids.push_back(apply(application(specific, "街", "street", "610902003", "汉滨城区")));
  EXPECT_EQ(sorted(everyItem(context_, "/names?limit=2", 5)), sorted(ids));
  EXPECT_EQ(everyItem(context_, "/forbidden-words?limit=3", 7).size(), 7u);
  EXPECT_EQ(refusedParameter(context_, "/names?sort=specific"), "sort");
}

TEST_F(PlaceNamesTest, ExportsGeoJsonAndCsvForGisUsers) {
  auto body = application("滨江", "路", "street", "610902003", "汉滨城区");
  body["location"] = {{"type", "Point"}, {"coordinates", {109.03, 32.69}}};
  const auto id = apply(body);
  apply(application("无位", "路", "street", "610902003", "汉滨城区"));  // no location
  const auto geojson = context_.call(Method::Get, "/names.geojson");
  EXPECT_EQ(geojson.content_type, "application/geo+json");
  const json collection = json::parse(geojson.document);
  EXPECT_EQ(collection["type"], "FeatureCollection");
  ASSERT_EQ(collection["features"].size(), 1u);
  EXPECT_EQ(collection["features"][0]["id"], id);
  EXPECT_EQ(collection["features"][0]["geometry"]["coordinates"][0], 109.03);
  EXPECT_EQ(collection["features"][0]["properties"]["pinyin"], "Binjiang Lu");
  const auto csv = context_.call(Method::Get, "/names.csv").document;
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.find(",滨江路,滨江,路,"), std::string::npos);
  EXPECT_NE(csv.find(",无位路,"), std::string::npos);
  const auto divisions = context_.call(Method::Get, "/divisions.csv?as_of=2026-03-10").document;
  EXPECT_NE(divisions.find("610902101,关庙镇,township,镇,610902,"), std::string::npos);
  EXPECT_EQ(std::count(divisions.begin(), divisions.end(), '\n'), 8)
      << "a header, the county, 6 townships";
}

TEST_F(PlaceNamesTest, TheCsvExportReadsBackAsAGazetteerImport) {
  // A county moving its register to another system: what one exports, the other imports, the
  // polyphonic correction, location and approval kept.
  auto changan = application("长安", "路", "street", "610902003", "汉滨城区");
  changan["specific_pinyin"] = "cháng ān";
  changan["location"] = {{"type", "Point"}, {"coordinates", {109.03, 32.69}}};
  approved(changan, "2026-03-10", "county_government");
  apply(application("西关", "路", "street", "610902001", "汉滨城区"));
  const auto csv = context_.call(Method::Get, "/names.csv").document;

  PlaceNamesPlugin other;
  FakeContext elsewhere{"place_names", day("2026-03-20")};
  elsewhere.start(other);
  elsewhere.setCaller({"clerk1", "clerk", {"610902"}, {}});
  const auto imported =
      elsewhere.call(Method::Post, "/imports/names", json{{"format", "csv"}, {"content", csv}});
  ASSERT_EQ(imported.status, 201);
  EXPECT_EQ(imported.body["names"], 2);
  EXPECT_EQ(imported.body["standard"], 1);
  EXPECT_EQ(imported.body["proposed"], 1);
  const auto found = elsewhere.call(Method::Get, "/names?status=standard");
  ASSERT_EQ(found.body["total"], 1);
  const auto& name = found.body["items"][0];
  EXPECT_EQ(name["pinyin"], "Chang'an Lu");  // not ICU's Zhang'an
  EXPECT_EQ(name["approved_on"], "2026-03-10");
  EXPECT_EQ(name["township"], "江北街道");
  EXPECT_EQ(name["location"]["coordinates"][1], 32.69);
  // The second system's export is the first's, but for the ids.
  const auto again = elsewhere.call(Method::Get, "/names.csv").document;
  const auto withoutIds = [](const std::string& text) {
    std::string kept;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) kept += line.substr(line.find(',')) + "\n";
    return kept;
  };
  EXPECT_EQ(withoutIds(again), withoutIds(csv));
}

TEST_F(PlaceNamesTest, SignsShowTheStandardNameAndTheirInspections) {
  const auto proposed = apply(application("滨江", "路", "street", "610902003", "汉滨城区"));
  const json sign = {{"name_id", proposed},
                     {"kind", "road"},
                     {"responsible", "汉滨区民政局"},
                     {"installed_on", "2026-03-10"}};
  EXPECT_EQ(refusal(Method::Post, "/signs", sign), "name_id:standard-name");
  const auto id = approved(application("兴隆", "街", "street", "610902003", "汉滨城区"),
                           "2026-03-10", "county_government");
  json body = sign;
  body["name_id"] = id;
  const auto created = context_.call(Method::Post, "/signs", body);
  EXPECT_EQ(created.body["text_zh"], "兴隆街");
  EXPECT_EQ(created.body["text_pinyin"], "XINGLONG JIE");
  const std::string path = "/signs/" + std::to_string(created.body["id"].get<std::int64_t>());
  EXPECT_EQ(refusal(Method::Post, path + "/inspections",
                    {{"inspected_on", "2026-03-09"}, {"condition", "good"}, {"note", ""}}),
            "inspected_on:not-before-installation");
  context_.call(Method::Post, path + "/inspections",
                {{"inspected_on", "2026-03-10"}, {"condition", "damaged"}, {"note", "被车辆撞歪"}});
  EXPECT_EQ(context_.call(Method::Get, "/signs?condition=damaged").body["total"], 1);
  EXPECT_EQ(
      context_.indicator("signs_needing_repair", "610902", day("2026-03-01"), day("2026-03-10")),
      1);
  EXPECT_EQ(context_.indicator("signs_set", "610902", day("2026-03-01"), day("2026-03-10")), 1);
  context_.call(Method::Patch, path, {{"responsible", "江北街道办事处"}});
  const auto [entity, changes] = lastAudit("sign.correct");
  EXPECT_EQ(changes["responsible"]["old"], "汉滨区民政局");
  EXPECT_EQ(changes["responsible"]["new"], "江北街道办事处");
  EXPECT_EQ(refusal(Method::Patch, path, {{"responsible", "江北街道办事处"}}),
            "responsible:unchanged");
}

// ---- Gazetteer import ----------------------------------------------------------------------

json csvImport(const std::string& text) { return {{"format", "csv"}, {"content", text}}; }

const char* kGazetteerHeader =
    "specific,generic,category,division_code,status,built_up_area,specific_pinyin,meaning,"
    "longitude,latitude,protected,approved_on,ended_on\n";

TEST_F(PlaceNamesTest, GazetteerImportIsAllOrNothingWithARowLevelReport) {
  // Row 4 sounds as row 2 in the same built-up area; row 5's division is not in the county;
  // row 6 is retired without the day it ended; row 7 has a latitude without a longitude.
  const std::string bad =
      std::string(kGazetteerHeader) +
      "长安,路,street,610902003,standard,汉滨城区,cháng ān,取长治久安之意,109.03,"
      "32.69,否,2005-06-01,\n"
      "新华,村,settlement,610902101,standard,,,,,,,,\n"
      "常安,路,street,610902001,standard,汉滨城区,,,,,,,\n"
      "滨江,路,street,350502001,standard,汉滨城区,,,,,,,\n"
      "古城,街,street,610902001,retired,汉滨城区,,,,,,2001-01-01,\n"
      "凤凰,山,natural_feature,610902,standard,,,,,32.7,,,\n";
  const auto before = snapshot();
  try {
    context_.call(Method::Post, "/imports/names", csvImport(bad));
    ADD_FAILURE() << "accepted";
  } catch (const sdk::ValidationError& error) {
    std::vector<std::string> found;
    for (const auto& problem : error.fieldErrors())
      found.push_back(problem.field + ":" + problem.rule);
    EXPECT_EQ(found, (std::vector<std::string>{
                         "rows[4].specific:homophone", "rows[5].division_code:division-in-force",
                         "rows[6].ended_on:required", "rows[7].longitude:both-coordinates"}));
  }
  EXPECT_EQ(snapshot(), before) << "a refused import wrote nothing";

  // The good rows alone: imported, romanised, standard from their approval.
  const std::string good = std::string(kGazetteerHeader) +
                           "长安,路,street,610902003,standard,汉滨城区,cháng ān,取长治久安之意,"
                           "109.03,32.69,是,2005-06-01,\n"
                           "新华,村,settlement,610902101,standard,,,,,,,,\n"
                           "古城,街,street,610902001,retired,汉滨城区,,,,,,2001-01-01,2010-05-01\n"
                           "西关,路,street,610902001,proposed,汉滨城区,,,,,,,\n";
  const auto imported = context_.call(Method::Post, "/imports/names", csvImport(good));
  ASSERT_EQ(imported.status, 201);
  EXPECT_EQ(imported.body["names"], 4);
  EXPECT_EQ(imported.body["standard"], 2);
  EXPECT_EQ(imported.body["retired"], 1);
  EXPECT_EQ(imported.body["proposed"], 1);
  const auto changan = context_.call(Method::Get, "/names?q=changan");
  ASSERT_EQ(changan.body["total"], 1);
  const auto& name = changan.body["items"][0];
  EXPECT_EQ(name["pinyin"], "Chang'an Lu");
  EXPECT_EQ(name["township"], "江北街道");
  EXPECT_EQ(name["standard_from"], "2005-06-01");
  EXPECT_EQ(name["approved_on"], "2005-06-01");
  EXPECT_TRUE(name["protected"].get<bool>());
  EXPECT_TRUE(name["filing_due"].is_null()) << "a historical approval is not overdue";
  EXPECT_EQ(name["location"]["coordinates"][0], 109.03);
  EXPECT_EQ(context_.call(Method::Get, "/names?q=%E6%96%B0%E5%8D%8E").body["items"][0]["pinyin"],
            "Xinhuacun");
  EXPECT_EQ(context_.call(Method::Get, "/names?status=retired").body["items"][0]["ended_on"],
            "2010-05-01");
  EXPECT_EQ(context_.call(Method::Get, "/names/overdue").body["total"], 0);
  // Standard on the import day when the gazetteer gives no approval; not applications received.
  EXPECT_EQ(context_.indicator("names_standard", "610902", day("2026-03-01"), day("2026-03-10")),
            2);
  EXPECT_EQ(context_.indicator("names_proposed", "610902", day("2026-03-01"), day("2026-03-10")),
            0);
  EXPECT_EQ(lastAudit("name.import").second["status"]["new"], "proposed");
  // An imported name counts for later applications and later imports.
  EXPECT_EQ(
      refusal(Method::Post, "/names", application("长安", "路", "street", "610902001", "汉滨城区")),
      "specific:duplicate-name");
  EXPECT_EQ(refusal(Method::Post, "/imports/names",
                    csvImport(std::string(kGazetteerHeader) +
                              "新华,村,settlement,610902102,standard,,,,,,,,\n")),
            "rows[2].specific:duplicate-name");
}

TEST_F(PlaceNamesTest, GazetteerImportRefusesBadFilesAndRowsOutOfScope) {
  EXPECT_EQ(
      refusal(Method::Post, "/imports/names",
              csvImport("specific,generic,category,division_code\n滨江,路,street,610902003\n")),
      "rows[1].status:missing-column");
  EXPECT_EQ(refusal(Method::Post, "/imports/names",
                    csvImport("specific,generic,category,division_code,status,remark\n")),
            "rows[1].remark:unknown-column");
  EXPECT_EQ(refusal(Method::Post, "/imports/names", csvImport(kGazetteerHeader)), "rows:not-empty");
  EXPECT_EQ(
      refusal(Method::Post, "/imports/names", {{"format", "xlsx"}, {"content", "not base64!"}}),
      "content:base64");
  // The Chinese headers of the export read back; a duplicate inside the file is refused.
  EXPECT_EQ(refusal(Method::Post, "/imports/names",
                    csvImport("专名,通名,类别,政区代码,状态\n"
                              "凤凰,山,natural_feature,610902,standard\n"
                              "凤凰,山,natural_feature,610902,standard\n")),
            "rows[3].specific:duplicate-name");
  EXPECT_EQ(refusal(Method::Post, "/imports/names",
                    csvImport("专名,通名,类别,政区代码,状态\n威尼斯,花园,other,610902101,standard\n"
                              "𣵦沽,村,settlement,610902101,standard\n"
                              "长安,路,road,610902003,standard\n")),
            "rows[2].specific:forbidden-content");
  // A township-scoped clerk imports only its township's names.
  context_.setCaller({"clerk2", "clerk", {"610902"}, {}, {"关庙镇"}});
  EXPECT_EQ(refusal(Method::Post, "/imports/names",
                    csvImport("专名,通名,类别,政区代码,状态\n"
                              "新华,村,settlement,610902101,standard\n"
                              "滨江,路,other,610902003,standard\n")),
            "rows[3].division_code:in-scope");
  EXPECT_EQ(
      context_
          .call(Method::Post, "/imports/names",
                csvImport("专名,通名,类别,政区代码,状态\n新华,村,settlement,610902101,standard\n"))
          .body["names"],
      1);
}

// ---- Boundaries -------------------------------------------------------------------------------

json boundaryLine() {
  return {{"neighbour_code", "610924"},
          {"neighbour_name", "紫阳县"},
          {"length_m", 86500},
          {"description", "汉滨区—紫阳县线"},
          {"geometry", {{"type", "LineString"}, {"coordinates", {{108.8, 32.5}, {108.9, 32.45}}}}}};
}

TEST_F(PlaceNamesTest, BoundaryLinesAndMarkersWithCorrectionsAudited) {
  const auto line = context_.call(Method::Post, "/boundary-lines", boundaryLine());
  ASSERT_EQ(line.status, 201);
  EXPECT_EQ(line.body["geometry"]["coordinates"][1][0], 108.9);
  const auto line_id = line.body["id"].get<std::int64_t>();
  EXPECT_EQ(refusal(Method::Post, "/boundary-lines", boundaryLine()),
            "neighbour_code:one-line-per-neighbour");
  auto self = boundaryLine();
  self["neighbour_code"] = "610902";
  EXPECT_EQ(refusal(Method::Post, "/boundary-lines", self), "neighbour_code:neighbour-not-self");
  self["neighbour_code"] = "610900";
  EXPECT_EQ(refusal(Method::Post, "/boundary-lines", self), "neighbour_code:format");
  self["neighbour_code"] = "610925";
  self["geometry"]["coordinates"][1][1] = 95.0;
  EXPECT_EQ(refusal(Method::Post, "/boundary-lines", self),
            "geometry.coordinates[1][1]:geojson-linestring");
  const std::string path = "/boundary-lines/" + std::to_string(line_id);
  context_.call(Method::Patch, path, {{"length_m", 86720}});
  const auto [entity, changes] = lastAudit("boundary_line.correct");
  EXPECT_EQ(entity, std::to_string(line_id));
  EXPECT_EQ(changes["length_m"]["old"], 86500);
  EXPECT_EQ(changes["length_m"]["new"], 86720);
  EXPECT_EQ(refusal(Method::Patch, path, {{"length_m", 86720}}), "length_m:unchanged");
  EXPECT_EQ(context_.call(Method::Get, "/boundary-lines?q=%E7%B4%AB%E9%98%B3").body["total"], 1);

  const json marker = {{"line_id", line_id},
                       {"number", "汉紫01"},
                       {"kind", "single"},
                       {"location", {{"type", "Point"}, {"coordinates", {108.85, 32.47}}}},
                       {"installed_on", "2012-05-10"}};
  const auto created = context_.call(Method::Post, "/boundary-markers", marker);
  EXPECT_EQ(created.body["condition"], "good");
  EXPECT_EQ(refusal(Method::Post, "/boundary-markers", marker), "number:unique-marker-number");
  auto elsewhere = marker;
  elsewhere["line_id"] = 999;
  elsewhere["number"] = "汉紫02";
  EXPECT_EQ(refusal(Method::Post, "/boundary-markers", elsewhere), "line_id:boundary-line");
  const std::string marker_path =
      "/boundary-markers/" + std::to_string(created.body["id"].get<std::int64_t>());
  context_.call(Method::Patch, marker_path, {{"kind", "double"}});
  EXPECT_EQ(lastAudit("boundary_marker.correct").second["kind"]["old"], "single");
  EXPECT_EQ(context_.call(Method::Get, "/boundary-markers?q=01").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, path.substr(0, path.rfind('/'))).body["items"][0]["markers"],
            1);
  // Boundaries are the county's: a township-scoped user may not record them.
  context_.setCaller({"clerk2", "clerk", {"610902"}, {}, {"关庙镇"}});
  try {
    auto other = boundaryLine();
    other["neighbour_code"] = "610925";
    context_.call(Method::Post, "/boundary-lines", other);
    ADD_FAILURE() << "accepted";
  } catch (const sdk::Error& error) {
    EXPECT_EQ(error.status(), 403);
  }
}

TEST_F(PlaceNamesTest, JointInspectionSetsMarkerConditionAndListsOverdueRectification) {
  const auto line_id =
      context_.call(Method::Post, "/boundary-lines", boundaryLine()).body["id"].get<std::int64_t>();
  std::vector<std::int64_t> markers;
  for (const char* number : {"汉紫01", "汉紫02"})
    markers.push_back(context_
                          .call(Method::Post, "/boundary-markers",
                                {{"line_id", line_id},
                                 {"number", number},
                                 {"kind", "single"},
                                 {"location", {{"type", "Point"}, {"coordinates", {108.8, 32.5}}}}})
                          .body["id"]);
  const json sides = {{{"county_code", "610902"}, {"name", "汉滨区"}},
                      {{"county_code", "610924"}, {"name", "紫阳县"}}};
  json inspection = {
      {"line_id", line_id},
      {"inspected_on", "2026-03-05"},
      {"sides", sides},
      {"markers",
       {{{"marker_id", markers[0]}, {"condition", "good"}},
        {{"marker_id", markers[1]}, {"condition", "damaged"}, {"note", "桩体断裂"}}}}};
  EXPECT_EQ(refusal(Method::Post, "/boundary-inspections", inspection),
            "rectification_due:deadline-for-problems");
  auto one_side = inspection;
  one_side["sides"] = {sides[0], {{"county_code", "610925"}, {"name", "岚皋县"}}};
  EXPECT_EQ(refusal(Method::Post, "/boundary-inspections", one_side), "sides:both-sides");
  auto twice = inspection;
  twice["markers"][1]["marker_id"] = markers[0];
  EXPECT_EQ(refusal(Method::Post, "/boundary-inspections", twice),
            "markers[1].marker_id:marker-once");
  inspection["rectification_due"] = "2026-03-04";
  EXPECT_EQ(refusal(Method::Post, "/boundary-inspections", inspection),
            "rectification_due:not-before-inspection");
  inspection["rectification_due"] = "2026-03-31";
  inspection["problems"] = "汉紫02号界桩损坏，需重新埋设";
  const auto done = context_.call(Method::Post, "/boundary-inspections", inspection);
  ASSERT_EQ(done.status, 201);
  EXPECT_EQ(done.body["markers"][1]["number"], "汉紫02");
  EXPECT_EQ(context_.call(Method::Get, "/boundary-markers?condition=damaged").body["total"], 1);
  EXPECT_EQ(context_.indicator("boundary_markers_damaged", "610902", day("2026-03-01"),
                               day("2026-03-10")),
            1);
  EXPECT_EQ(
      context_.indicator("boundary_markers_good", "610902", day("2026-03-01"), day("2026-03-10")),
      1);
  EXPECT_EQ(
      context_.indicator("boundary_inspections", "610902", day("2026-03-01"), day("2026-03-10")),
      1);
  EXPECT_EQ(context_.call(Method::Get, "/boundary-inspections?from=2026-03-01&to=2026-03-05")
                .body["total"],
            1);
  const std::string path =
      "/boundary-inspections/" + std::to_string(done.body["id"].get<std::int64_t>());
  // Day 31 is the deadline; from 04-01 it is overdue, listed and counted until rectified.
  context_.setToday(day("2026-03-31"));
  EXPECT_EQ(context_.call(Method::Get, "/boundary-inspections/overdue").body["total"], 0);
  context_.setToday(day("2026-04-01"));
  EXPECT_EQ(context_.call(Method::Get, "/boundary-inspections/overdue").body["total"], 1);
  EXPECT_EQ(context_.indicator("boundary_rectification_overdue", "610902", day("2026-04-01"),
                               day("2026-04-01")),
            1);
  EXPECT_EQ(refusal(Method::Patch, path, {{"rectification_due", nullptr}}),
            "rectification_due:deadline-for-problems");
  context_.call(Method::Patch, path, {{"rectification_due", "2026-04-15"}});
  EXPECT_EQ(lastAudit("boundary_inspection.correct").second["rectification_due"]["old"],
            "2026-03-31");
  EXPECT_EQ(context_.call(Method::Get, "/boundary-inspections/overdue").body["total"], 0);
  EXPECT_EQ(refusal(Method::Post, path + "/rectification",
                    {{"rectified_on", "2026-04-02"}, {"note", "已重新埋设"}}),
            "rectified_on:not-in-future");
  const auto rectified = context_.call(Method::Post, path + "/rectification",
                                       {{"rectified_on", "2026-04-01"}, {"note", "已重新埋设"}});
  EXPECT_EQ(rectified.body["rectified_on"], "2026-04-01");
  try {
    context_.call(Method::Post, path + "/rectification",
                  {{"rectified_on", "2026-04-01"}, {"note", "again"}});
    ADD_FAILURE() << "accepted twice";
  } catch (const sdk::Error& error) {
    EXPECT_EQ(error.status(), 409);
  }
  // A later inspection finds the new marker good.
  context_.call(Method::Post, "/boundary-inspections",
                {{"line_id", line_id},
                 {"inspected_on", "2026-04-01"},
                 {"sides", sides},
                 {"markers", {{{"marker_id", markers[1]}, {"condition", "good"}}}}});
  EXPECT_EQ(context_.call(Method::Get, "/boundary-markers?condition=good").body["total"], 2);
  EXPECT_EQ(lastAudit("boundary_marker.inspect").second["condition"]["old"], "damaged");
}

}  // namespace
}  // namespace civ::plugins::place_names
