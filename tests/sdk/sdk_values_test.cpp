// The SDK's new value helpers: schema helpers and the checks behind them (nullable, month, USCC,
// division codes, no lists of types), Month, the JSON and SQL conversions, and list paging.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <civ/sdk/error.h>
#include <civ/sdk/json_schema.h>
#include <civ/sdk/list.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/request.h>
#include <civ/sdk/schema.h>
#include <civ/sdk/uscc.h>
#include <civ/sdk/value_conversions.h>

namespace civ::sdk {
namespace {

using nlohmann::json;
const Date kToday = *Date::parse("2026-12-01");

std::vector<std::string> rules(const json& schema, const json& value) {
  std::vector<std::string> out;
  for (const auto& error : validateJson(schema, value, kToday))
    out.push_back(error.field + ":" + error.rule);
  return out;
}

TEST(Uscc, AcceptsTheWorkedExampleAndARealCodeAndNamesEachBrokenRule) {
  EXPECT_FALSE(checkUscc("51410105501234569T"));  // rules.md 8.3 worked example
  EXPECT_EQ(usccCheckCharacter("51410105501234569"), 'T');
  EXPECT_EQ(organisationCodeCheckCharacter("50123456"), '9');
  EXPECT_EQ(checkUscc("51410105501234569A")->rule, "checksum");
  EXPECT_EQ(checkUscc("51410105501234568T")->rule, "organisation_code");
  EXPECT_EQ(checkUscc("5141010550123456")->rule, "length");
  EXPECT_EQ(checkUscc("51410105501234569I")->rule, "characters");  // I is not in the set
  // A published code whose final character does not check out (rules.md: never whitelist).
  EXPECT_TRUE(checkUscc("91350203M0001QAY9B"));
}

TEST(SchemaHelpers, ObjectsRequireEveryPropertyButTheOptionalOnes) {
  using namespace schema;
  const json s =
      object({{"name", text(5)}, {"note", optional(text(10))}, {"parent", nullable(id())}});
  EXPECT_EQ(s["required"], json::array({"name", "parent"}));
  EXPECT_FALSE(s["properties"]["note"].contains("x-civ-optional"));
  EXPECT_TRUE(checkSchema(s).empty());
  EXPECT_TRUE(rules(s, {{"name", "abc"}, {"parent", nullptr}}).empty());
  EXPECT_EQ(rules(s, {{"name", "abc"}, {"parent", 0}}), std::vector<std::string>{"parent:minimum"});
  EXPECT_EQ(rules(s, {{"parent", 3}}), std::vector<std::string>{"name:required"});
  EXPECT_EQ(rules(s, {{"name", "abcdef"}, {"parent", 1}}),
            std::vector<std::string>{"name:max_length"});
}

TEST(SchemaHelpers, ABracedListOfPropertiesMovesItsSchemasAndMakesWhatAVectorMakes) {
  using namespace schema;
  // The braced form (SDK 1.6) and the vector form describe the same object, in the same order.
  const json braced = object({{"b", object({{"c", text(5)}})}, {"a", optional(id())}});
  const json vectored =
      object(Properties{{"b", object(Properties{{"c", text(5)}})}, {"a", optional(id())}});
  EXPECT_EQ(braced, vectored);
  EXPECT_EQ(braced["x-civ-order"], json::array({"b", "a"}));
  EXPECT_EQ(braced["required"], json::array({"b"}));
  // properties() hands each schema on: the list's elements are left moved from.
  const std::initializer_list<Property> list = {{"x", text(7)}, {"y", nullable(id())}};
  const Properties moved = properties(list);
  ASSERT_EQ(moved.size(), 2u);
  EXPECT_EQ(moved[0].first, "x");
  EXPECT_EQ(moved[0].second, text(7));
  EXPECT_EQ(moved[1].second, nullable(id()));
  EXPECT_TRUE(list.begin()->schema.is_null());
}

TEST(SchemaHelpers, FormatsForMonthsCodesAndMoney) {
  using namespace schema;
  EXPECT_TRUE(rules(month(), "2026-02").empty());
  EXPECT_EQ(rules(month(), "2026-13"), std::vector<std::string>{"(body):format"});
  EXPECT_TRUE(rules(uscc(), "91350200MA2YJ1XR9G").empty());  // a real code (rules.md 8.3)
  EXPECT_EQ(rules(uscc(), "51410105501234569A"), std::vector<std::string>{"(body):checksum"});
  EXPECT_TRUE(rules(divisionCode(), "610902").empty());
  EXPECT_TRUE(rules(divisionCode(), "610902001").empty());
  EXPECT_TRUE(rules(divisionCode(), "610902001001").empty());
  EXPECT_EQ(rules(divisionCode(), "6109020"), std::vector<std::string>{"(body):format"});
  EXPECT_EQ(rules(divisionCode(), "000000001"), std::vector<std::string>{"(body):format"});
  EXPECT_TRUE(rules(signedMoney(), "-12.50").empty());
  EXPECT_EQ(rules(money(), "-12.50").size(), 1u);
  const json status = enumOf({{"open", {"办理中", "open"}}, {"closed", {"已办结", "closed"}}});
  EXPECT_EQ(status["x-civ-labels"]["open"]["zh"], "办理中");
  EXPECT_EQ(rules(status, "lost"), std::vector<std::string>{"(body):enum"});
}

TEST(SchemaHelpers, AListOfTypesIsRefusedWithTheFixAndOptionalOutsideAnObjectToo) {
  const auto problems = checkSchema({{"type", {"string", "null"}}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("\"nullable\": true"), std::string::npos) << problems[0];
  EXPECT_EQ(checkSchema(schema::optional(schema::date())).size(), 1u);
  EXPECT_TRUE(checkSchema({{"type", "string"}, {"x-civ-anything", 1}}).empty());
}

TEST(MonthValue, ParsesAndCountsAcrossYears) {
  const Month march = *Month::parse("2026-03");
  EXPECT_EQ(march.toString(), "2026-03");
  EXPECT_EQ(march.lastDay().toString(), "2026-03-31");
  EXPECT_EQ(Month::parse("2024-02")->lastDay().toString(), "2024-02-29");
  EXPECT_EQ(march.plus(10).toString(), "2027-01");
  EXPECT_EQ(march.plus(-3).toString(), "2025-12");
  EXPECT_EQ(march.monthsUntil(*Month::parse("2027-01")), 10);
  EXPECT_EQ(Month::of(kToday).toString(), "2026-12");
  EXPECT_FALSE(Month::parse("2026-3"));
  EXPECT_FALSE(Month::parse("2026-00"));
}

TEST(ValueConversions, JsonRoundTripsAndRefusesBadTextByRule) {
  json j = {{"amount", Money::fromFen(78050)}, {"month", *Month::parse("2026-03")}, {"on", kToday}};
  EXPECT_EQ(j.dump(), R"({"amount":"780.50","month":"2026-03","on":"2026-12-01"})");
  EXPECT_EQ(j["amount"].get<Money>().fen(), 78050);
  EXPECT_EQ(j["on"].get<Date>(), kToday);
  try {
    (void)json("780.505").get<Money>();
    ADD_FAILURE() << "three decimals accepted";
  } catch (const ValidationError& error) {
    EXPECT_EQ(error.fieldErrors().at(0).rule, "format");
  }
  EXPECT_THROW((void)json(780.5).get<Money>(), ValidationError);
  Person person;
  person.id = 3;
  person.citizen_id = "11010519491231002X";
  person.name = "张三";
  person.birth_date = *Date::parse("1949-12-31");
  person.sex = Sex::Female;
  const json p = person;
  EXPECT_TRUE(validateJson(schema::person(), p, kToday).empty()) << p.dump();
  EXPECT_TRUE(p["death_date"].is_null());
}

TEST(ValueConversions, SqlColumnsHoldFenAndIsoText) {
  soci::session db(soci::sqlite3, ":memory:");
  db << "CREATE TABLE t (amount BIGINT, paid_month TEXT, paid_on TEXT)";
  const Money amount = Money::fromFen(-30000);
  const Month month = *Month::parse("2026-04");
  db << "INSERT INTO t VALUES (:a, :m, :d)", soci::use(amount), soci::use(month), soci::use(kToday);
  long long fen = 0;
  std::string month_text;
  db << "SELECT amount, paid_month FROM t", soci::into(fen), soci::into(month_text);
  EXPECT_EQ(fen, -30000);
  EXPECT_EQ(month_text, "2026-04");
  Money read_amount;
  Month read_month;
  Date read_on;
  db << "SELECT amount, paid_month, paid_on FROM t", soci::into(read_amount),
      soci::into(read_month), soci::into(read_on);
  EXPECT_EQ(read_amount, amount);
  EXPECT_EQ(read_month, month);
  EXPECT_EQ(read_on, kToday);
}

using Query = std::map<std::string, std::string, std::less<>>;

/// A request carrying only query parameters, for ListRequest.
class QueryOnly : public Request {
 public:
  explicit QueryOnly(std::map<std::string, std::string, std::less<>> query)
      : query_(std::move(query)) {}
  Method method() const override { return Method::Get; }
  const std::string& county() const override { return county_; }
  const std::string& pathParam(std::string_view) const override { throw NotFound("none"); }
  std::optional<std::string> queryParam(std::string_view name) const override {
    auto it = query_.find(name);
    return it == query_.end() ? std::nullopt : std::optional(it->second);
  }
  const nlohmann::json& body() const override { return body_; }
  const Caller& caller() const override { return caller_; }
  soci::session& db() override { throw std::logic_error("no db"); }
  Date today() const override { return kToday; }
  void audit(const AuditRecord&) override {}

 private:
  std::map<std::string, std::string, std::less<>> query_;
  std::string county_ = "610902";
  nlohmann::json body_;
  Caller caller_;
};

TEST(ListConvention, KeysetByIdOffsetOtherwiseAndAHardMaximum) {
  const ListSpec spec{{"received_on"}, "-id", 2, 50};
  const std::map<std::string, std::string, std::less<>> columns = {
      {"id", "a.id"}, {"received_on", "a.received_on"}};
  const auto first = ListRequest::from(QueryOnly(Query{}), spec);
  EXPECT_TRUE(first.keyset());
  EXPECT_EQ(first.keysetCondition("a.id"), "1=1");
  EXPECT_EQ(first.orderAndLimit(columns), " ORDER BY a.id DESC LIMIT 3");
  const json page =
      first.answer(json::array({{{"id", 9}}, {{"id", 8}}, {{"id", 7}}}), 3, {9, 8, 7});
  EXPECT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["next"], "k8");
  const auto second = ListRequest::from(QueryOnly(Query{{"cursor", "k8"}}), spec);
  EXPECT_EQ(second.keysetCondition("a.id"), "a.id < 8");
  const auto by_date =
      ListRequest::from(QueryOnly(Query{{"sort", "received_on"}, {"cursor", "o2"}}), spec);
  EXPECT_EQ(by_date.orderAndLimit(columns), " ORDER BY a.received_on, a.id LIMIT 3 OFFSET 2");
  EXPECT_THROW(ListRequest::from(QueryOnly(Query{{"limit", "51"}}), spec), ValidationError);
  EXPECT_THROW(ListRequest::from(QueryOnly(Query{{"sort", "name"}}), spec), ValidationError);
  EXPECT_THROW(ListRequest::from(QueryOnly(Query{{"cursor", "o2"}}), spec),
               ValidationError);  // by id: keyset
  EXPECT_THROW(ListRequest::from(QueryOnly(Query{{"cursor", "k1; DROP"}}), spec), ValidationError);
}

}  // namespace
}  // namespace civ::sdk

namespace civ::sdk {
namespace {

constexpr ParameterOption kPrograms[] = {{"dibao", "低保", "minimum living allowance"},
                                         {"tekun", "特困", "extreme poverty support"},
                                         {"temporary", "临时救助", "temporary assistance"}};
constexpr Parameter<ParameterType::List> kCovered{"exemption.programs",
                                                  "",
                                                  "dibao,tekun",
                                                  {"减免对象", "Programs whose members are exempt"},
                                                  nullptr,
                                                  nullptr,
                                                  kPrograms,
                                                  ParameterLevel::Province};

TEST(TypedParameters, AConstantDeclaresItsTypeCodesLabelsAndLevel) {
  const auto declared = kCovered.declaration();
  EXPECT_EQ(declared.type, ParameterType::List);
  EXPECT_EQ(declared.allowed, (std::vector<std::string>{"dibao", "tekun", "temporary"}));
  EXPECT_EQ(declared.allowed_labels.at(1).zh, "特困");
  // A list is canonical without spaces; a code outside the list is refused, never dropped.
  EXPECT_EQ(*checkParameterValue(declared, "tekun , dibao").canonical, "tekun,dibao");
  const auto bad = checkParameterValue(declared, "dibao,wubao");
  EXPECT_FALSE(bad.canonical);
  EXPECT_NE(bad.problem.find("'wubao' is not one of"), std::string::npos) << bad.problem;
  // Parsed once into the C++ type the constant reads as.
  const auto value =
      std::get<std::vector<std::string>>(parseParameterValue(ParameterType::List, "tekun,dibao"));
  EXPECT_EQ(value, (std::vector<std::string>{"tekun", "dibao"}));
  // Set by the province only.
  EXPECT_FALSE(checkParameterLevel(declared, "61"));
  EXPECT_TRUE(checkParameterLevel(declared, "6109"));
  EXPECT_TRUE(checkParameterLevel(declared, "610902"));
}

}  // namespace
}  // namespace civ::sdk
