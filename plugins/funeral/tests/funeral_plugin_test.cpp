// The funeral module on the fake Context: every refusal names its rule and changes nothing;
// deaths publish person.deceased; corrections publish person.death_corrected; zones, plots,
// exemptions on a certificate where no module answers, violations, indicators.
#include "../src/funeral_plugin.h"

#include <functional>
#include <map>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/testing/fake_context.h>
#include <civ/sdk/testing/test_data.h>

namespace civ::plugins::funeral {
namespace {

using nlohmann::json;
using sdk::Method;
using namespace sdk::testing;  // FakeContext and test_data.h

class FuneralTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.start(plugin_);
    context_.setCaller({"admin1", "admin", {"610902"}, {}});
    facility("FH01", "funeral_home", 2, "", "county_government");
    facility("AH01", "ash_hall", 0, "", "county_civil_affairs");
    facility("CM01", "cemetery", 0, "commercial", "province");
    facility("XX01", "funeral_home", 1, "", "");  // never approved
    context_.setCaller({"clerk1", "clerk", {"610902"}, {}});
  }

  void facility(const char* code, const char* kind, int furnaces, const char* cemetery_type,
                const char* authority) {
    json body = {{"code", code}, {"kind", kind}, {"name", code}, {"township", "江北街道"}};
    if (furnaces > 0) body["furnaces"] = furnaces;
    if (*cemetery_type) body["cemetery_type"] = cemetery_type;
    context_.call(Method::Post, "/facilities", body);
    if (*authority)
      context_.call(Method::Post, std::string("/facilities/") + code + "/approvals",
                    {{"authority", authority},
                     {"document_number", "汉政发〔2020〕1号"},
                     {"approved_on", "2020-01-01"}});
  }

  json death(const std::string& citizen_id, const char* date = "2026-03-01",
             const char* township = "江北街道") {
    return {{"citizen_id", citizen_id},
            {"name", "逝者"},
            {"death_date", date},
            {"place", "家中"},
            {"township", township},
            {"manner", "normal"},
            {"certificate_number", "YX2026-001"},
            {"certificate_issuer", "medical"}};
  }

  std::int64_t registered(const std::string& citizen_id, const char* date = "2026-03-01",
                          const char* township = "江北街道") {
    return context_.call(Method::Post, "/deaths", death(citizen_id, date, township)).body["id"];
  }

  /// The rule of the refusal (field:rule), after checking that nothing was written.
  std::string refusal(Method method, const std::string& path, const json& body) {
    const auto before = snapshot();
    try {
      context_.call(method, path, body);
    } catch (const sdk::ValidationError& error) {
      EXPECT_EQ(snapshot(), before) << "a refused request changed something";
      return error.fieldErrors().front().field + ":" + error.fieldErrors().front().rule;
    }
    return "accepted";
  }

  std::vector<long long> snapshot() {
    std::vector<long long> counts;
    for (const char* table : {"fu_deaths", "fu_services", "fu_dispositions", "fu_plots",
                              "fu_exemptions", "fu_approvals", "civ_outbox", "civ_audit"}) {
      long long n = 0;
      context_.db() << std::string("SELECT COUNT(*) FROM ") + table, soci::into(n);
      counts.push_back(n);
    }
    long long deceased = 0;
    context_.db() << "SELECT COUNT(*) FROM civ_persons WHERE death_date IS NOT NULL",
        soci::into(deceased);
    counts.push_back(deceased);
    return counts;
  }

  long long outbox(const char* name) {
    long long n = 0;
    const std::string event = name;  // bound by reference until the statement runs
    context_.db() << "SELECT COUNT(*) FROM civ_outbox WHERE name = :n", soci::use(event),
        soci::into(n);
    return n;
  }

  /// The values of `field` in the items of a list answer.
  static std::vector<std::string> column(const sdk::Response& page, const char* field) {
    std::vector<std::string> values;
    for (const auto& item : page.body["items"]) values.push_back(item[field].get<std::string>());
    return values;
  }

  /// The changes of the latest audit row of `action` ({"field": {"old", "new"}}) and its entity.
  std::pair<std::string, json> lastAudit(const std::string& action) {
    std::string entity, summary;
    context_.db() << "SELECT entity_id, summary FROM civ_audit WHERE action = :a ORDER BY id DESC"
                     " LIMIT 1",
        soci::use(action), soci::into(entity), soci::into(summary);
    if (!context_.db().got_data()) return {"", nullptr};
    return {entity, json::parse(summary)};
  }

  FuneralPlugin plugin_;
  FakeContext context_{"funeral", day("2026-03-10")};
};

/// The 403 of a caller acting outside its townships (sdk::requireTownship: type out-of-scope).
::testing::AssertionResult outOfScope(const std::function<void()>& call) {
  try {
    call();
  } catch (const sdk::Error& error) {
    if (error.status() == 403 && error.type() == "out-of-scope")
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << error.status() << " " << error.detail();
  }
  return ::testing::AssertionFailure() << "accepted";
}

TEST_F(FuneralTest, ADeathMarksThePersonDeceasedAndPublishesTheEvent) {
  const auto id = citizenId("19400101", 11);
  auto created = context_.call(Method::Post, "/deaths", death(id));
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.body["number"], "SW610902-2026-000001");
  const auto person = context_.persons().findByCitizenId(context_.db(), id);
  ASSERT_TRUE(person && person->deceased());
  EXPECT_EQ(*person->death_date, day("2026-03-01"));
  EXPECT_EQ(outbox("person.deceased"), 1);
}

TEST_F(FuneralTest, DeathRegistrationRefusalsNameTheRule) {
  const auto id = citizenId("19400101", 12);
  EXPECT_EQ(refusal(Method::Post, "/deaths", death(id, "2026-03-11")),
            "death_date:death-date-not-in-future");
  EXPECT_EQ(refusal(Method::Post, "/deaths", death(id, "1939-12-31")),
            "death_date:death-date-after-birth");
  json neither = death(id);
  neither.erase("citizen_id");
  EXPECT_EQ(refusal(Method::Post, "/deaths", neither), "citizen_id:identify-the-deceased");
  json abnormal = death(id);
  abnormal["manner"] = "abnormal";
  EXPECT_EQ(refusal(Method::Post, "/deaths", abnormal), "certificate_issuer:abnormal-death-police");
  registered(id);
  EXPECT_EQ(refusal(Method::Post, "/deaths", death(id)), "citizen_id:already-deceased");
  EXPECT_EQ(outbox("person.deceased"), 1);
}

TEST_F(FuneralTest, AnUnidentifiedBodyIsRegisteredWithoutAnEvent) {
  json body = death("");
  body.erase("citizen_id");
  body.erase("name");
  body["unidentified_case"] = "公安 2026-17";
  body["manner"] = "abnormal";
  body["certificate_issuer"] = "police";
  auto created = context_.call(Method::Post, "/deaths", body);
  EXPECT_TRUE(created.body["person_id"].is_null());
  EXPECT_EQ(outbox("person.deceased"), 0);
}

TEST_F(FuneralTest, CremationOnlyAtAnApprovedFacilityWithFurnacesAndOnce) {
  const auto death_id = registered(citizenId("19400101", 13));
  const std::string path = "/deaths/" + std::to_string(death_id) + "/cremation";
  EXPECT_EQ(refusal(Method::Post, path, {{"facility_code", "XX01"}, {"certificate_number", "H1"}}),
            "facility_code:approved-facility");
  EXPECT_EQ(refusal(Method::Post, path, {{"facility_code", "AH01"}, {"certificate_number", "H1"}}),
            "facility_code:cremation-facility");
  EXPECT_EQ(
      refusal(
          Method::Post, path,
          {{"facility_code", "FH01"}, {"certificate_number", "H1"}, {"cremated_on", "2026-02-28"}}),
      "cremated_on:after-death");
  context_.call(Method::Post, path, {{"facility_code", "FH01"}, {"certificate_number", "H1"}});
  EXPECT_THROW(
      context_.call(Method::Post, path, {{"facility_code", "FH01"}, {"certificate_number", "H2"}}),
      sdk::Conflict);
  EXPECT_THROW(context_.call(Method::Post, "/deaths/999/cremation",
                             {{"facility_code", "FH01"}, {"certificate_number", "H3"}}),
               sdk::NotFound);
}

TEST_F(FuneralTest, BodyBurialIsRefusedInACremationZoneAndAllowedInABurialReformTownship) {
  const auto in_zone = registered(citizenId("19400101", 14));
  auto plot = context_.call(Method::Post, "/cemeteries/CM01/plots",
                            {{"number", "A-1"}, {"kind", "body_single"}, {"area_m2", "3.5"}});
  const std::int64_t plot_id = plot.body["id"];
  context_.call(Method::Post, "/plots/" + std::to_string(plot_id) + "/sale",
                {{"holder", "家属"}, {"price", "8000"}, {"death_id", in_zone}});
  EXPECT_EQ(refusal(Method::Post, "/deaths/" + std::to_string(in_zone) + "/disposition",
                    {{"kind", "body_burial"}, {"plot_id", plot_id}}),
            "kind:cremation-zone");
  // 关庙镇 becomes a 土葬改革区 from today.
  context_.setCaller({"admin1", "admin", {"610902"}, {}});
  context_.call(Method::Post, "/zones",
                {{"township", "关庙镇"},
                 {"zone", "burial_reform"},
                 {"effective_from", "2026-03-10"},
                 {"document", "陕政发〔2026〕2号"}});
  context_.setCaller({"clerk1", "clerk", {"610902"}, {}});
  const auto outside = registered(citizenId("19400101", 15), "2026-03-09", "关庙镇");
  auto plot2 = context_.call(Method::Post, "/cemeteries/CM01/plots",
                             {{"number", "A-2"}, {"kind", "body_single"}, {"area_m2", "3.5"}});
  context_.call(Method::Post, "/plots/" + std::to_string(plot2.body["id"].get<int>()) + "/sale",
                {{"holder", "家属"}, {"price", "8000"}, {"death_id", outside}});
  // The death was on the 9th, before the zone changed: still a cremation zone that day.
  EXPECT_EQ(
      refusal(Method::Post, "/deaths/" + std::to_string(outside) + "/disposition",
              {{"kind", "body_burial"}, {"plot_id", plot2.body["id"]}, {"on_date", "2026-03-09"}}),
      "kind:cremation-zone");
  auto buried = context_.call(Method::Post, "/deaths/" + std::to_string(outside) + "/disposition",
                              {{"kind", "body_burial"}, {"plot_id", plot2.body["id"]}});
  EXPECT_EQ(buried.body["disposition"]["kind"], "body_burial");
}

TEST_F(FuneralTest, AshesAreDisposedOfAfterACremation) {
  const auto death_id = registered(citizenId("19400101", 16));
  const std::string path = "/deaths/" + std::to_string(death_id) + "/disposition";
  EXPECT_EQ(refusal(Method::Post, path, {{"kind", "green_burial"}, {"green_type", "tree"}}),
            "kind:cremated-first");
  context_.call(Method::Post, "/deaths/" + std::to_string(death_id) + "/cremation",
                {{"facility_code", "FH01"}, {"certificate_number", "H9"}});
  EXPECT_EQ(refusal(Method::Post, path, {{"kind", "green_burial"}}), "green_type:required");
  auto done = context_.call(Method::Post, path, {{"kind", "green_burial"}, {"green_type", "sea"}});
  EXPECT_EQ(done.body["disposition"]["green_type"], "sea");
}

TEST_F(FuneralTest, PlotSizesAreCheckedAgainstNationalAndLocalLimits) {
  EXPECT_EQ(refusal(Method::Post, "/cemeteries/CM01/plots",
                    {{"number", "B-1"}, {"kind", "ashes"}, {"area_m2", "1.01"}}),
            "area_m2:plot.max_area.ashes");
  EXPECT_EQ(refusal(Method::Post, "/cemeteries/CM01/plots",
                    {{"number", "B-2"}, {"kind", "body_double"}, {"area_m2", "6.5"}}),
            "area_m2:plot.max_area.body_double");
  context_.setPolicyValue("plot.max_area.ashes", "0.8", day("2026-03-01"));
  EXPECT_EQ(refusal(Method::Post, "/cemeteries/CM01/plots",
                    {{"number", "B-3"}, {"kind", "ashes"}, {"area_m2", "0.9"}}),
            "area_m2:plot.max_area.ashes");
  auto plot = context_.call(Method::Post, "/cemeteries/CM01/plots",
                            {{"number", "B-4"}, {"kind", "ashes"}, {"area_m2", "0.8"}});
  auto sold =
      context_.call(Method::Post, "/plots/" + std::to_string(plot.body["id"].get<int>()) + "/sale",
                    {{"holder", "张某"}, {"price", "12000.00"}, {"sold_on", "2026-03-10"}});
  EXPECT_EQ(sold.body["use_until"], "2046-03-09");
  EXPECT_THROW(
      context_.call(Method::Post, "/plots/" + std::to_string(plot.body["id"].get<int>()) + "/sale",
                    {{"holder", "李某"}, {"price", "1"}}),
      sdk::Conflict);
}

TEST_F(FuneralTest, ExemptionWithoutAnAnsweringModuleNeedsACertificate) {
  const auto death_id = registered(citizenId("19400101", 17));
  const std::string path = "/deaths/" + std::to_string(death_id) + "/exemption";
  const json items = {{{"item", "cremation"}, {"charged", "620.00"}},
                      {{"item", "urn"}, {"charged", "180.00"}}};
  EXPECT_EQ(refusal(Method::Post, path, {{"facility_code", "FH01"}, {"items", items}}),
            "certificate:exemption-eligibility");
  EXPECT_EQ(refusal(Method::Post, path,
                    {{"facility_code", "XX01"},
                     {"items", items},
                     {"certificate", {{"category", "dibao"}, {"number", "1"}, {"issuer", "x"}}}}),
            "facility_code:approved-facility");
  auto granted = context_.call(
      Method::Post, path,
      {{"facility_code", "FH01"},
       {"items", items},
       {"certificate",
        {{"category", "dibao"}, {"number", "低保证 0042"}, {"issuer", "汉滨区民政局"}}}});
  EXPECT_EQ(granted.body["basis"], "certificate");
  EXPECT_EQ(granted.body["exempt"], "680.00");  // cremation capped at 500 + urn 180
  EXPECT_EQ(granted.body["family_pays"], "120.00");
  auto settlement =
      context_.call(Method::Get, "/exemptions/settlement?from=2026-03-01&to=2026-03-31");
  EXPECT_EQ(settlement.body["total"], "680.00");
  EXPECT_EQ(context_.indicator("exemptions_amount", "610902", day("2026-03-01"), day("2026-03-31")),
            68000);
}

TEST_F(FuneralTest, CorrectionsMoveTheDateOrTheDeathAndPublishTheCorrection) {
  const auto wrong = citizenId("19400101", 18);
  const auto right = citizenId("19410202", 19);
  const auto death_id = registered(wrong);
  context_.setCaller({"county1", "approver", {"610902"}, {}});
  const std::string path = "/deaths/" + std::to_string(death_id) + "/corrections";
  context_.call(Method::Post, path,
                {{"kind", "wrong_date"}, {"death_date", "2026-02-27"}, {"reason", "医院更正"}});
  EXPECT_EQ(*context_.persons().findByCitizenId(context_.db(), wrong)->death_date,
            day("2026-02-27"));
  context_.call(Method::Post, path,
                {{"kind", "wrong_person"},
                 {"citizen_id", right},
                 {"name", "实际逝者"},
                 {"reason", "认错遗体"}});
  EXPECT_FALSE(context_.persons().findByCitizenId(context_.db(), wrong)->deceased());
  EXPECT_EQ(*context_.persons().findByCitizenId(context_.db(), right)->death_date,
            day("2026-02-27"));
  EXPECT_EQ(outbox("person.death_corrected"), 2);
  EXPECT_EQ(outbox("person.deceased"), 2);  // the first person, then the right one
  EXPECT_EQ(refusal(Method::Post, path,
                    {{"kind", "wrong_date"}, {"death_date", "2026-04-01"}, {"reason", "x"}}),
            "death_date:death-date-not-in-future");
}

TEST_F(FuneralTest, ACorrectedDeathDateStaysBeforeTheServicesRecorded) {
  const auto death_id = registered(citizenId("19400101", 21));  // died 2026-03-01
  context_.call(
      Method::Post, "/deaths/" + std::to_string(death_id) + "/cremation",
      {{"facility_code", "FH01"}, {"certificate_number", "H7"}, {"cremated_on", "2026-03-03"}});
  context_.setCaller({"county1", "approver", {"610902"}, {}});
  const std::string path = "/deaths/" + std::to_string(death_id) + "/corrections";
  EXPECT_EQ(refusal(Method::Post, path,
                    {{"kind", "wrong_date"}, {"death_date", "2026-03-04"}, {"reason", "医院更正"}}),
            "death_date:before-services");
  // The day of the cremation itself is allowed, as when the cremation was recorded.
  context_.call(Method::Post, path,
                {{"kind", "wrong_date"}, {"death_date", "2026-03-03"}, {"reason", "医院更正"}});
  EXPECT_EQ(
      *context_.persons().findByCitizenId(context_.db(), citizenId("19400101", 21))->death_date,
      day("2026-03-03"));
}

TEST_F(FuneralTest, ViolationsAreFollowedToTheirClosingDate) {
  auto created = context_.call(Method::Post, "/violations",
                               {{"kind", "illegal_burial"},
                                {"location", "关庙镇清泉村耕地"},
                                {"township", "关庙镇"},
                                {"found_on", "2026-03-05"},
                                {"description", "耕地内新建坟墓"}});
  const std::string path = "/violations/" + std::to_string(created.body["id"].get<int>());
  context_.call(Method::Post, path + "/enforcement", {{"status", "ordered"}, {"note", "责令改正"}});
  auto closed = context_.call(Method::Post, path + "/enforcement",
                              {{"status", "closed"}, {"note", "已迁入公墓"}});
  EXPECT_EQ(closed.body["closed_on"], "2026-03-10");
  EXPECT_THROW(
      context_.call(Method::Post, path + "/enforcement", {{"status", "fined"}, {"note", "late"}}),
      sdk::Conflict);
}

TEST_F(FuneralTest, IndicatorsCountDeathsCremationsAndTheRate) {
  for (int i = 0; i < 4; ++i) {
    const auto death_id = registered(citizenId("19400101", 21 + i));
    if (i < 3)
      context_.call(Method::Post, "/deaths/" + std::to_string(death_id) + "/cremation",
                    {{"facility_code", "FH01"}, {"certificate_number", "H" + std::to_string(i)}});
  }
  const auto from = day("2026-03-01"), to = day("2026-03-31");
  EXPECT_EQ(context_.indicator("deaths", "610902", from, to), 4);
  EXPECT_EQ(context_.indicator("cremations", "610902", from, to), 3);
  EXPECT_EQ(context_.indicator("cremation_rate_permille", "610902", from, to), 750);
}

TEST_F(FuneralTest, IndicatorsBreakDownByTheTownshipOfTheDeath) {
  for (int i = 0; i < 4; ++i) {
    const auto death_id =
        registered(citizenId("19400101", 21 + i), "2026-03-01", i < 3 ? "江北街道" : "关庙镇");
    if (i != 1)  // one of 江北街道's three is not cremated
      context_.call(Method::Post, "/deaths/" + std::to_string(death_id) + "/cremation",
                    {{"facility_code", "FH01"}, {"certificate_number", "H" + std::to_string(i)}});
  }
  const auto from = day("2026-03-01"), to = day("2026-03-31");
  using Values = std::map<std::string, std::int64_t>;
  const auto by_township = [&](const char* id) {
    return indicatorByTownship(context_, id, "610902", from, to);
  };
  EXPECT_EQ(by_township("deaths"), (Values{{"关庙镇", 1}, {"江北街道", 3}}));
  EXPECT_EQ(by_township("cremations"), (Values{{"关庙镇", 1}, {"江北街道", 2}}));
  // Each township's own rate; the county's is of the summed counts (3 of 4), not a mean.
  EXPECT_EQ(by_township("cremation_rate_permille"), (Values{{"关庙镇", 1000}, {"江北街道", 667}}));
  EXPECT_EQ(context_.indicator("cremation_rate_permille", "610902", from, to), 750);
}

TEST_F(FuneralTest, ApprovalsComeFromTheCompetentAuthority) {
  context_.setCaller({"admin1", "admin", {"610902"}, {}});
  EXPECT_EQ(refusal(Method::Post, "/facilities/XX01/approvals",
                    {{"authority", "county_civil_affairs"},
                     {"document_number", "x"},
                     {"approved_on", "2026-01-01"}}),
            "authority:approval-authority");
}

TEST_F(FuneralTest, PagingThroughDeathsReturnsEachOnceAndFiltersNarrowThem) {
  std::vector<std::int64_t> all;
  const char* names[] = {"周老汉", "吴大妈", "郑老伯", "王奶奶", "周二爷"};
  for (int i = 0; i < 5; ++i) {
    auto body = death(citizenId("19400101", 31 + i), ("2026-03-0" + std::to_string(5 - i)).c_str(),
                      i % 2 == 0 ? "江北街道" : "关庙镇");
    body["name"] = names[i];
    all.push_back(context_.call(Method::Post, "/deaths", body).body["id"].get<std::int64_t>());
  }
  EXPECT_EQ(sorted(everyItem(context_, "/deaths?limit=2", 5)), sorted(all));
  EXPECT_EQ(sorted(everyItem(context_, "/deaths?limit=2&sort=death_date", 5)), sorted(all));
  EXPECT_EQ(sorted(everyItem(context_, "/deaths?limit=3&sort=-number", 5)), sorted(all));
  EXPECT_EQ(itemIds(context_.call(Method::Get, "/deaths?sort=death_date")),
            std::vector<std::int64_t>(all.rbegin(), all.rend()));

  EXPECT_EQ(context_.call(Method::Get, "/deaths?township=关庙镇").body["total"], 2);
  auto by_id = context_.call(Method::Get, "/deaths?citizen_id=" + citizenId("19400101", 33));
  ASSERT_EQ(itemIds(by_id), std::vector<std::int64_t>{all[2]});
  EXPECT_EQ(by_id.body["items"][0]["name"], "郑老伯");
  EXPECT_EQ(sorted(itemIds(context_.call(Method::Get, "/deaths?name=周"))),
            sorted({all[0], all[4]}));
  EXPECT_EQ(context_.call(Method::Get, "/deaths?name=%25").body["total"], 0);
  EXPECT_EQ(sorted(itemIds(
                context_.call(Method::Get, "/deaths?death_from=2026-03-02&death_to=2026-03-03"))),
            sorted({all[2], all[3]}));
  EXPECT_THROW(context_.call(Method::Get, "/deaths?death_from=2026-03-03&death_to=2026-03-02"),
               sdk::ValidationError);
  // Disposition: none yet, any, or one kind.
  const std::string path = "/deaths/" + std::to_string(all[1]);
  context_.call(Method::Post, path + "/cremation",
                {{"facility_code", "FH01"}, {"certificate_number", "H1"}});
  context_.call(Method::Post, path + "/disposition",
                {{"kind", "green_burial"}, {"green_type", "tree"}});
  auto disposed = context_.call(Method::Get, "/deaths?disposition=disposed");
  ASSERT_EQ(itemIds(disposed), std::vector<std::int64_t>{all[1]});
  EXPECT_TRUE(disposed.body["items"][0]["cremated"].get<bool>());
  EXPECT_EQ(disposed.body["items"][0]["disposition"]["kind"], "green_burial");
  EXPECT_EQ(context_.call(Method::Get, "/deaths?disposition=green_burial").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, "/deaths?disposition=stored").body["total"], 0);
  EXPECT_EQ(context_.call(Method::Get, "/deaths?disposition=pending").body["total"], 4);
  // The cremations of a funeral home: deaths with that service there.
  EXPECT_EQ(itemIds(context_.call(Method::Get, "/deaths?service=cremation")),
            std::vector<std::int64_t>{all[1]});
  EXPECT_EQ(itemIds(context_.call(Method::Get, "/deaths?service=cremation&facility=FH01")),
            std::vector<std::int64_t>{all[1]});
  EXPECT_EQ(context_.call(Method::Get, "/deaths?service=cremation&facility=XX99").body["total"], 0);
  EXPECT_EQ(context_.call(Method::Get, "/deaths?service=storage").body["total"], 0);
  EXPECT_EQ(refusedParameter(context_, "/deaths?facility=FH01"), "facility");
  // Another county's deaths are not listed, even to a clerk who may read both counties.
  context_.setCaller({"clerk1", "clerk", {"610902", "350502"}, {}});
  EXPECT_EQ(context_.call(Method::Get, "/deaths?limit=1", nullptr, "350502").body["total"], 0);
}

TEST_F(FuneralTest, ABadSortOrLimitIsRefusedNamingTheParameter) {
  EXPECT_EQ(refusedParameter(context_, "/deaths?sort=name"), "sort");
  EXPECT_EQ(refusedParameter(context_, "/deaths?limit=0"), "limit");
  EXPECT_EQ(refusedParameter(context_, "/deaths?limit=201"), "limit");
  EXPECT_EQ(refusedParameter(context_, "/deaths?sort=death_date&cursor=k3"), "cursor");
  EXPECT_EQ(refusedParameter(context_, "/facilities?sort=furnaces"), "sort");
  EXPECT_EQ(refusedParameter(context_, "/plots?limit=500"), "limit");
  EXPECT_EQ(refusedParameter(context_, "/violations?sort=-location"), "sort");
  EXPECT_EQ(refusedParameter(context_, "/exemptions?limit=abc"), "limit");
  EXPECT_EQ(refusedParameter(context_, "/deaths?disposition=buried"), "disposition");
}

TEST_F(FuneralTest, ATownshipScopedCallerSeesAndActsOnlyInItsTownship) {
  const auto jiangbei = registered(citizenId("19400101", 41), "2026-03-01", "江北街道");
  const auto guanmiao = registered(citizenId("19400101", 43), "2026-03-02", "关庙镇");
  context_.call(Method::Post, "/violations",
                {{"kind", "illegal_burial"},
                 {"location", "江北街道某地"},
                 {"township", "江北街道"},
                 {"found_on", "2026-03-05"},
                 {"description", "x"}});
  context_.setCaller({"li", "clerk", {"610902"}, {}, {"关庙镇"}});
  auto seen = context_.call(Method::Get, "/deaths");
  EXPECT_EQ(itemIds(seen), std::vector<std::int64_t>{guanmiao});
  EXPECT_EQ(seen.body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, "/deaths?township=江北街道").body["total"], 0);
  EXPECT_EQ(context_.call(Method::Get, "/deaths/" + std::to_string(guanmiao)).status, 200);
  const std::string other = "/deaths/" + std::to_string(jiangbei);
  EXPECT_TRUE(outOfScope([&] { context_.call(Method::Get, other); }));
  EXPECT_TRUE(outOfScope([&] {
    context_.call(Method::Post, other + "/cremation",
                  {{"facility_code", "FH01"}, {"certificate_number", "H1"}});
  }));
  EXPECT_TRUE(outOfScope([&] {
    context_.call(Method::Post, "/deaths", death(citizenId("19400101", 45), "2026-03-03"));
  }));
  // The county's funeral home stands in 江北街道: it is used, but not listed or corrected here.
  EXPECT_EQ(context_
                .call(Method::Post, "/deaths/" + std::to_string(guanmiao) + "/cremation",
                      {{"facility_code", "FH01"}, {"certificate_number", "H2"}})
                .status,
            200);
  EXPECT_EQ(context_.call(Method::Get, "/facilities").body["total"], 0);
  EXPECT_EQ(context_.call(Method::Get, "/violations").body["total"], 0);
  EXPECT_EQ(context_.call(Method::Get, "/plots").body["total"], 0);
  context_.setCaller({"wang", "clerk", {"610902"}, {}, {}});  // the whole county
  EXPECT_EQ(context_.call(Method::Get, "/deaths").body["total"], 2);
  EXPECT_EQ(context_.call(Method::Get, "/violations").body["total"], 1);
}

TEST_F(FuneralTest, FacilitiesAreAListAndAnUnknownCodeInThePathIsNotFound) {
  auto all = context_.call(Method::Get, "/facilities");
  EXPECT_EQ(column(all, "code"), (std::vector<std::string>{"AH01", "CM01", "FH01", "XX01"}));
  EXPECT_EQ(everyItem(context_, "/facilities?limit=3", 4).size(), 4u);
  EXPECT_EQ(column(context_.call(Method::Get, "/facilities?kind=funeral_home"), "code"),
            (std::vector<std::string>{"FH01", "XX01"}));
  EXPECT_EQ(column(context_.call(Method::Get, "/facilities?approved=false"), "code"),
            std::vector<std::string>{"XX01"});
  EXPECT_EQ(context_.call(Method::Get, "/facilities?approved=true").body["total"], 3);
  EXPECT_EQ(context_.call(Method::Get, "/facilities?township=关庙镇").body["total"], 0);
  context_.setCaller({"admin1", "admin", {"610902"}, {}, {}});
  EXPECT_THROW(
      context_.call(
          Method::Post, "/facilities/NOPE/approvals",
          {{"authority", "province"}, {"document_number", "x"}, {"approved_on", "2026-01-01"}}),
      sdk::NotFound);
  EXPECT_THROW(context_.call(Method::Patch, "/facilities/NOPE", {{"name", "x"}}), sdk::NotFound);
  context_.setCaller({"clerk1", "clerk", {"610902"}, {}, {}});
  EXPECT_THROW(context_.call(Method::Post, "/cemeteries/NOPE/plots",
                             {{"number", "A-1"}, {"kind", "ashes"}, {"area_m2", "0.8"}}),
               sdk::NotFound);
  // A facility named in a body is a field of the request: 422 naming it.
  EXPECT_EQ(
      refusal(Method::Post,
              "/deaths/" + std::to_string(registered(citizenId("19400101", 51))) + "/collection",
              {{"facility_code", "NOPE"}}),
      "facility_code:known-facility");
}

TEST_F(FuneralTest, ACemeterySiteAboveAHundredSquareMetresIsAccepted) {
  context_.setCaller({"admin1", "admin", {"610902"}, {}, {}});
  EXPECT_EQ(context_
                .call(Method::Post, "/facilities",
                      {{"code", "CM02"},
                       {"kind", "cemetery"},
                       {"name", "公益性公墓"},
                       {"township", "关庙镇"},
                       {"cemetery_type", "public_welfare"},
                       {"area_m2", "12000.5"}})
                .status,
            201);
  auto listed = context_.call(Method::Get, "/facilities?township=关庙镇");
  ASSERT_EQ(listed.body["total"], 1);
  EXPECT_EQ(listed.body["items"][0]["area_m2"], "12000.50");
  auto corrected = context_.call(Method::Patch, "/facilities/CM02", {{"area_m2", "250000"}});
  EXPECT_EQ(corrected.body["area_m2"], "250000.00");
}

TEST_F(FuneralTest, PlotsAreLaidOutOnlyInAnApprovedCemetery) {
  context_.setCaller({"admin1", "admin", {"610902"}, {}, {}});
  context_.call(Method::Post, "/facilities",
                {{"code", "CM03"},
                 {"kind", "cemetery"},
                 {"name", "未批公墓"},
                 {"township", "江北街道"},
                 {"cemetery_type", "commercial"}});
  context_.setCaller({"clerk1", "clerk", {"610902"}, {}, {}});
  EXPECT_EQ(refusal(Method::Post, "/cemeteries/CM03/plots",
                    {{"number", "A-1"}, {"kind", "ashes"}, {"area_m2", "0.8"}}),
            "code:approved-facility");
  EXPECT_EQ(context_
                .call(Method::Post, "/cemeteries/CM01/plots",
                      {{"number", "A-1"}, {"kind", "ashes"}, {"area_m2", "0.8"}})
                .status,
            201);
}

TEST_F(FuneralTest, AFacilityCorrectionChangesTheRecordAndIsAuditedWithOldAndNewValues) {
  context_.setCaller({"admin1", "admin", {"610902"}, {}, {}});
  auto corrected =
      context_.call(Method::Patch, "/facilities/FH01",
                    {{"name", "汉滨区殡仪馆"}, {"furnaces", 3}, {"township", "江北街道"}});
  EXPECT_EQ(corrected.body["name"], "汉滨区殡仪馆");
  EXPECT_EQ(corrected.body["furnaces"], 3);
  EXPECT_TRUE(corrected.body["approved"].get<bool>());
  auto listed = context_.call(Method::Get, "/facilities?kind=funeral_home&approved=true");
  EXPECT_EQ(listed.body["items"][0]["name"], "汉滨区殡仪馆");
  const auto audited = lastAudit("facility.correct");
  EXPECT_EQ(audited.first, "FH01");
  EXPECT_EQ(audited.second, (json{{"name", {{"old", "FH01"}, {"new", "汉滨区殡仪馆"}}},
                                  {"furnaces", {{"old", 2}, {"new", 3}}}}))
      << audited.second.dump();  // the township given is the one recorded: not a change
  // What cannot be corrected, and corrections that correct nothing.
  EXPECT_EQ(refusal(Method::Patch, "/facilities/FH01", json::object()), "(body):at-least-one");
  try {
    context_.call(Method::Patch, "/facilities/FH01", json::object());
    ADD_FAILURE() << "an empty correction was accepted";
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.status(), 400);
    EXPECT_EQ(error.fieldErrors().front().field, "(body)");
  }
  EXPECT_THROW(context_.call(Method::Patch, "/facilities/FH01", {{"code", "FH09"}}),
               sdk::ValidationError);
  EXPECT_EQ(refusal(Method::Patch, "/facilities/FH01", {{"furnaces", 3}}), "furnaces:unchanged");
  EXPECT_EQ(refusal(Method::Patch, "/facilities/AH01", {{"furnaces", 1}}),
            "furnaces:furnaces-at-crematoria");
  EXPECT_EQ(refusal(Method::Patch, "/facilities/CM01", {{"area_m2", "0"}}), "area_m2:area");
  // A township-scoped administrator corrects only its own township's facilities.
  context_.setCaller({"admin2", "admin", {"610902"}, {}, {"关庙镇"}});
  EXPECT_TRUE(outOfScope([&] {
    context_.call(Method::Patch, "/facilities/FH01", {{"name", "x"}});
  }));
}

TEST_F(FuneralTest, APlotCorrectionIsCheckedAgainstTheLimitsAndAudited) {
  auto plot = context_.call(Method::Post, "/cemeteries/CM01/plots",
                            {{"number", "B-1"}, {"kind", "body_single"}, {"area_m2", "3.5"}});
  const std::string path = "/plots/" + std::to_string(plot.body["id"].get<int>());
  context_.call(Method::Post, "/cemeteries/CM01/plots",
                {{"number", "B-2"}, {"kind", "ashes"}, {"area_m2", "0.8"}});
  auto corrected = context_.call(Method::Patch, path, {{"number", "B-01"}, {"area_m2", "3.2"}});
  EXPECT_EQ(corrected.body["number"], "B-01");
  EXPECT_EQ(corrected.body["area_m2"], "3.20");
  EXPECT_EQ(corrected.body["status"], "available");
  const auto audited = lastAudit("plot.correct");
  EXPECT_EQ(audited.first, std::to_string(plot.body["id"].get<int>()));
  EXPECT_EQ(audited.second, (json{{"number", {{"old", "B-1"}, {"new", "B-01"}}},
                                  {"area_m2", {{"old", "3.50"}, {"new", "3.20"}}}}))
      << audited.second.dump();
  // The limits apply again, to the new kind with the area recorded.
  EXPECT_EQ(refusal(Method::Patch, path, {{"kind", "ashes"}}), "kind:plot.max_area.ashes");
  EXPECT_EQ(refusal(Method::Patch, path, {{"area_m2", "4.5"}}),
            "area_m2:plot.max_area.body_single");
  EXPECT_EQ(refusal(Method::Patch, path, {{"number", "B-2"}}), "number:unique-plot");
  EXPECT_THROW(context_.call(Method::Patch, path, {{"holder", "张某"}}), sdk::Conflict);
  EXPECT_THROW(context_.call(Method::Patch, "/plots/999", {{"number", "x"}}), sdk::NotFound);

  const auto death_id = registered(citizenId("19400101", 61));
  context_.call(Method::Post, path + "/sale",
                {{"holder", "张某"}, {"price", "8000"}, {"death_id", death_id}});
  EXPECT_EQ(context_.call(Method::Patch, path, {{"holder", "张某某"}}).body["holder"], "张某某");
  // Listed by cemetery and status.
  EXPECT_EQ(everyItem(context_, "/plots?limit=1", 2).size(), 2u);
  auto sold = context_.call(Method::Get, "/plots?cemetery=CM01&status=sold");
  ASSERT_EQ(sold.body["total"], 1);
  EXPECT_EQ(sold.body["items"][0]["holder"], "张某某");
  EXPECT_EQ(sold.body["items"][0]["death_id"], death_id);
  EXPECT_EQ(sold.body["items"][0]["use_until"], "2046-03-09");
  EXPECT_EQ(column(context_.call(Method::Get, "/plots?status=available"), "number"),
            std::vector<std::string>{"B-2"});
  EXPECT_EQ(context_.call(Method::Get, "/plots?cemetery=FH01").body["total"], 0);
  // Once it holds a burial, its kind cannot change.
  context_.setCaller({"admin1", "admin", {"610902"}, {}, {}});
  context_.call(Method::Post, "/zones",
                {{"township", "江北街道"},
                 {"zone", "burial_reform"},
                 {"effective_from", "2026-03-10"},
                 {"document", "x"}});
  context_.setCaller({"clerk1", "clerk", {"610902"}, {}, {}});
  context_.call(Method::Post, "/deaths/" + std::to_string(death_id) + "/disposition",
                {{"kind", "body_burial"}, {"plot_id", plot.body["id"]}});
  EXPECT_THROW(context_.call(Method::Patch, path, {{"kind", "body_double"}}), sdk::Conflict);
}

TEST_F(FuneralTest, ExemptionsAreFoundByCategoryAndPeriod) {
  const auto death_id = registered(citizenId("19400101", 71));
  context_.call(
      Method::Post, "/deaths/" + std::to_string(death_id) + "/exemption",
      {{"facility_code", "FH01"},
       {"items", {{{"item", "cremation"}, {"charged", "620.00"}}}},
       {"certificate", {{"category", "dibao"}, {"number", "低保证 1"}, {"issuer", "x"}}}});
  auto found = context_.call(Method::Get, "/exemptions?category=dibao");
  ASSERT_EQ(found.body["total"], 1);
  EXPECT_EQ(found.body["items"][0]["death_id"], death_id);
  EXPECT_EQ(found.body["items"][0]["exempt"], "500.00");
  EXPECT_EQ(found.body["items"][0]["facility_code"], "FH01");
  EXPECT_EQ(context_.call(Method::Get, "/exemptions?category=tekun").body["total"], 0);
  EXPECT_EQ(context_.call(Method::Get, "/exemptions?from=2026-03-10&to=2026-03-10").body["total"],
            1);
  EXPECT_EQ(context_.call(Method::Get, "/exemptions?to=2026-03-09").body["total"], 0);
  context_.setCaller({"li", "clerk", {"610902"}, {}, {"关庙镇"}});
  EXPECT_EQ(context_.call(Method::Get, "/exemptions").body["total"], 0);
}

}  // namespace
}  // namespace civ::plugins::funeral
