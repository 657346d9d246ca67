// The API dispatcher in process, with the real example plugin loaded from the build: routing,
// county and module checks, and every error as application/problem+json.
#include "host/http/api_dispatcher.h"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/json_schema.h>

#include "host/audit/audit_log.h"
#include "host/plugins/plugin_loader.h"
#include "host/runtime/plugin_runtime.h"
#include "host/security/security_events.h"
#include "host/security/token_store.h"
#include "host/storage/host_schema.h"
#include "tests/support/in_process_host.h"

namespace civ::host {
namespace {

using nlohmann::json;

host::Config twoCounties() {
  host::Config config;
  config.counties.push_back({"610902", {"汉滨区", "Hanbin"}, {"example"}, {}, "610902.yaml"});
  config.counties.push_back({"350502", {"鲤城区", "Licheng"}, {}, {}, "350502.yaml"});
  return config;
}

class ApiDispatcherTest : public ::testing::Test {
 protected:
  ApiDispatcherTest() : host_(twoCounties(), {"example"}), services_(&host_.services()) {
    clerk_ = token({"clerk1", "clerk", {"610902", "350502"}, {}});
  }

  std::string token(const sdk::Caller& caller) { return host_.token(caller); }

  HttpReply call(const std::string& method, const std::string& target, const std::string& body = "",
                 const std::string& content_type = "application/json") {
    return host_.call(clerk_, method, target, body, content_type);
  }
  HttpReply callAs(const std::string& bearer, const std::string& method, const std::string& target,
                   const std::string& body = "") {
    return host_.call(bearer, method, target, body);
  }

  static json problem(const HttpReply& reply) {
    EXPECT_EQ(reply.content_type, "application/problem+json");
    return json::parse(reply.body);
  }

  testing::InProcessHost host_;
  HostServices* services_;
  std::string clerk_;
};

const std::string kNote = R"({"citizen_id":"11010519491231002X","name":"张三","text":"家访"})";

TEST_F(ApiDispatcherTest, CreatesAndReadsThroughThePluginsRoutes) {
  auto created = call("POST", "/api/v1/counties/610902/example/notes", kNote);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = json::parse(created.body)["id"].get<int>();
  EXPECT_EQ(created.headers.at(0),
            std::make_pair(std::string("Location"),
                           "/api/v1/counties/610902/example/notes/" + std::to_string(id)));
  auto read = call("GET", "/api/v1/counties/610902/example/notes/" + std::to_string(id));
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(json::parse(read.body)["text"], "家访");
}

TEST_F(ApiDispatcherTest, AnUnknownCountyIsA404ThatSaysWhich) {
  auto reply = call("GET", "/api/v1/counties/610999/example/notes/1");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(problem(reply)["type"], "urn:civ:problem:unknown-county");
  EXPECT_EQ(problem(reply)["detail"],
            "county '610999' is not configured on this server; configured: 610902, 350502");
}

TEST_F(ApiDispatcherTest, AModuleNotEnabledForTheCountyIsA404ThatSaysSo) {
  auto reply = call("GET", "/api/v1/counties/350502/example/notes/1");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(problem(reply)["type"], "urn:civ:problem:module-not-enabled");
  EXPECT_EQ(problem(reply)["detail"],
            "module 'example' is not enabled for county 350502 (鲤城区); enabled: none");
}

TEST_F(ApiDispatcherTest, WrongMethodIsA405WithTheAllowedOnes) {
  auto reply = call("DELETE", "/api/v1/counties/610902/example/notes");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(problem(reply)["detail"], "DELETE is not allowed on /notes; allowed: POST, GET");
}

TEST_F(ApiDispatcherTest, BadBodiesAre4xxProblemsAndChangeNothing) {
  const auto count = [&] {
    soci::session session(services_->database->pool());
    long long n = 0;
    session << "SELECT COUNT(*) FROM civ_persons", soci::into(n);
    return n;
  };
  const std::string path = "/api/v1/counties/610902/example/notes";
  EXPECT_EQ(call("POST", path, "{\"citizen_id\": ").status, 400);
  EXPECT_EQ(problem(call("POST", path, "{\"citizen_id\": "))["errors"][0]["rule"], "json");
  EXPECT_EQ(call("POST", path, kNote, "text/plain").status, 415);
  EXPECT_EQ(call("POST", path, std::string(100, '[') + std::string(100, ']')).status, 400);
  EXPECT_EQ(call("POST", path, "").status, 400);  // no body at all
  auto wrong = call("POST", path, R"({"citizen_id":"11010519491231002X","name":"张三","text":5})");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(problem(wrong)["errors"][0]["field"], "text");
  EXPECT_EQ(problem(wrong)["errors"][0]["rule"], "type");
  EXPECT_EQ(call("GET", path + "/1", "{}").status, 400);  // a GET takes no body
  EXPECT_EQ(call("GET", path + "/abc").status, 404);
  EXPECT_EQ(call("GET", path + "/..%2F..%2Fetc%2Fpasswd").status, 404);
  EXPECT_EQ(call("GET", path + "/1?x=%zz").status, 400);
  EXPECT_EQ(count(), 0);
}

TEST_F(ApiDispatcherTest, HealthAndTheApiDocument) {
  EXPECT_EQ(call("GET", "/healthz").body, R"({"status":"ok"})");
  const auto document = json::parse(call("GET", "/api/openapi.json").body);
  EXPECT_TRUE(document["paths"].contains("/api/v1/counties/{county}/example/notes/{id}"));
  EXPECT_EQ(
      document["paths"]["/api/v1/counties/{county}/example/notes"]["post"]["x-civ-permission"],
      "edit");
}

TEST(ApiDispatcherMonitoring, MetricsAndTheDocumentCanBeKeptToMonitoringAddressesOrAToken) {
  host::Config config = twoCounties();
  config.host.http.monitoring_addresses = {"127.0.0.1"};
  testing::InProcessHost host(config, {"example"});
  const std::string token = host.token({"auditor1", "auditor", {"610902"}, {}});
  for (const char* path : {"/metrics", "/api/openapi.json"}) {
    HttpExchange exchange;
    exchange.method = "GET";
    exchange.target = path;
    exchange.client_address = "10.20.30.40";
    EXPECT_EQ(host.dispatcher().handle(exchange).status, 401) << path;
    exchange.authorization = "Bearer " + token;
    EXPECT_EQ(host.dispatcher().handle(exchange).status, 200) << path;
    exchange.authorization.clear();
    exchange.client_address = "127.0.0.1";
    EXPECT_EQ(host.dispatcher().handle(exchange).status, 200) << path;
  }
  HttpExchange health;
  health.method = "GET";
  health.target = "/healthz";
  health.client_address = "10.20.30.40";
  EXPECT_EQ(host.dispatcher().handle(health).status, 200);  // load balancers need no token
}

TEST(RefusalThrottle, StoresABurstThenAFewASecondAndCountsWhatItLeftOut) {
  RefusalThrottle throttle(/*per_second=*/2, /*burst=*/3);
  const auto start = std::chrono::steady_clock::now();
  std::int64_t left_out = -1;
  int stored = 0;
  for (int i = 0; i < 10; ++i) stored += throttle.admit(start, left_out) ? 1 : 0;
  EXPECT_EQ(stored, 3);  // the burst; the other 7 are counted
  EXPECT_TRUE(throttle.admit(start + std::chrono::milliseconds(600), left_out));
  EXPECT_EQ(left_out, 7);
  EXPECT_FALSE(throttle.admit(start + std::chrono::milliseconds(700), left_out));
  EXPECT_TRUE(throttle.admit(start + std::chrono::seconds(2), left_out));
  EXPECT_EQ(left_out, 1);
}

TEST_F(ApiDispatcherTest, AFloodOfBadTokensDoesNotFillTheSecurityEvents) {
  for (int i = 0; i < 300; ++i)
    ASSERT_EQ(callAs("civ_" + std::string(64, 'a'), "GET", "/api/v1/counties/610902/example/notes")
                  .status,
              401);
  long long stored = 0;
  PooledSession lease(*services_->database);
  lease.session() << "SELECT COUNT(*) FROM civ_security_events", soci::into(stored);
  EXPECT_GE(stored, 50);
  EXPECT_LT(stored, 120);  // the burst and a few a second, not 300
  // The next stored refusal, once the bucket refills, says how many were left out.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  callAs("civ_" + std::string(64, 'b'), "GET", "/api/v1/counties/610902/example/notes");
  std::string reason;
  lease.session() << "SELECT reason FROM civ_security_events ORDER BY id DESC LIMIT 1",
      soci::into(reason);
  EXPECT_NE(reason.find("earlier refusals of a flood were not stored"), std::string::npos)
      << reason;
}

TEST_F(ApiDispatcherTest, IndicatorsOfTheCountysModulesForAPeriod) {
  call("POST", "/api/v1/counties/610902/example/notes", kNote);
  auto reply = call("GET", "/api/v1/counties/610902/indicators?from=2000-01-01&to=2099-12-31");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto body = json::parse(reply.body);
  ASSERT_EQ(body["indicators"].size(), 1u);
  EXPECT_EQ(body["indicators"][0]["id"], "notes_written");
  EXPECT_EQ(body["indicators"][0]["value"], 1);
  EXPECT_EQ(call("GET", "/api/v1/counties/610902/indicators?from=2026-02-30&to=2026-12-31").status,
            400);
}

TEST_F(ApiDispatcherTest, NoTokenOrABadOneIs401AndChangesNothing) {
  const std::string path = "/api/v1/counties/610902/example/notes";
  const std::string none;
  auto reply = callAs(none, "POST", path, kNote);
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.headers.at(0).first, "WWW-Authenticate");
  EXPECT_EQ(problem(reply)["type"], "urn:civ:problem:unauthorized");
  EXPECT_EQ(callAs("civ_" + std::string(64, '0'), "POST", path, kNote).status, 401);
  auto revoked = token({"gone", "clerk", {"610902"}, {}});
  {
    PooledSession lease(*services_->database);
    EXPECT_EQ(TokenStore::revokeUser(lease.session(), "gone", "2026-11-23T11:00:00+08:00").size(),
              1u);
  }
  EXPECT_EQ(callAs(revoked, "POST", path, kNote).status, 401);
  PooledSession lease(*services_->database);
  long long notes = 0;
  lease.session() << "SELECT COUNT(*) FROM example_notes", soci::into(notes);
  EXPECT_EQ(notes, 0);
}

TEST_F(ApiDispatcherTest, OutOfCountyOutOfModuleAndWrongRoleAre403) {
  const std::string path = "/api/v1/counties/610902/example/notes";
  auto other_county = token({"li", "clerk", {"350502"}, {}});
  auto reply = callAs(other_county, "POST", path, kNote);
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(problem(reply)["detail"], "the token of li covers counties 350502, not 610902");
  auto other_module = token({"wang", "clerk", {"610902"}, {"marriage"}});
  EXPECT_EQ(problem(callAs(other_module, "POST", path, kNote))["detail"],
            "the token of wang covers modules marriage, not example");
  auto auditor = token({"zhao", "auditor", {"610902"}, {}});
  reply = callAs(auditor, "POST", path, kNote);
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(problem(reply)["detail"], "role auditor may not edit here");
}

TEST_F(ApiDispatcherTest, EveryWriteLeavesAnAuditRowThatAuditorsCanPage) {
  ASSERT_EQ(call("POST", "/api/v1/counties/610902/example/notes", kNote).status, 201);
  ASSERT_EQ(call("POST", "/api/v1/counties/610902/example/notes", kNote).status, 201);
  auto auditor = token({"zhao", "auditor", {"610902"}, {}});
  auto page = callAs(auditor, "GET", "/api/v1/counties/610902/audit?module=example&limit=1");
  ASSERT_EQ(page.status, 200) << page.body;
  auto body = json::parse(page.body);
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_EQ(body["total"], 2);
  EXPECT_EQ(body["items"][0]["user"], "clerk1");
  EXPECT_EQ(body["items"][0]["action"], "note.create");
  EXPECT_EQ(body["items"][0]["changes"]["citizen_id"]["new"], "110105********002X");
  const auto next = body["next"].get<std::string>();
  body = json::parse(
      callAs(auditor, "GET", "/api/v1/counties/610902/audit?module=example&limit=1&cursor=" + next)
          .body);
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_TRUE(body["next"].is_null());
  // Newest first, and an old client's after_id is refused by name rather than ignored.
  body = json::parse(callAs(auditor, "GET", "/api/v1/counties/610902/audit?sort=-id").body);
  EXPECT_GT(body["items"][0]["id"].get<int>(), body["items"][1]["id"].get<int>());
  auto old = callAs(auditor, "GET", "/api/v1/counties/610902/audit?after_id=1");
  EXPECT_EQ(old.status, 400);
  EXPECT_EQ(problem(old)["errors"][0]["field"], "after_id");
  EXPECT_EQ(callAs(clerk_, "GET", "/api/v1/counties/610902/audit").status, 403);
  PooledSession lease(*services_->database);
  EXPECT_FALSE(AuditLog::verify(lease.session()).first_bad_id.has_value());
}

TEST_F(ApiDispatcherTest, TheHostsOwnRoutesAnswerAsTheDocumentDeclares) {
  ASSERT_EQ(call("POST", "/api/v1/counties/610902/example/notes", kNote).status, 201);
  const auto admin = token({"root", "admin", {"610902", "350502"}, {}});
  const json document = host_.dispatcher().openApi();
  const auto today = *sdk::Date::parse("2026-12-01");
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"/api/v1/counties/{county}/audit", "/api/v1/counties/610902/audit?limit=5"},
      {"/api/v1/counties/{county}/indicators",
       "/api/v1/counties/610902/indicators?from=2026-01-01&to=2026-12-31"},
      {"/api/v1/admin/counties", "/api/v1/admin/counties"},
      {"/api/v1/admin/counties/{code}", "/api/v1/admin/counties/610902"},
      {"/api/v1/admin/parameters", "/api/v1/admin/parameters?county=610902&limit=1"}};
  for (const auto& [path, target] : routes) {
    const auto reply = callAs(admin, "GET", target);
    ASSERT_EQ(reply.status, 200) << target << " " << reply.body;
    const auto& schema =
        document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    const auto errors = sdk::validateJson(schema, json::parse(reply.body), today);
    EXPECT_TRUE(errors.empty()) << target << ": "
                                << (errors.empty() ? ""
                                                   : errors[0].field + " " + errors[0].message);
  }
  // The short lists page by offset: one at a time, the cursor leads to the next.
  auto first = json::parse(callAs(admin, "GET", "/api/v1/admin/counties?limit=1").body);
  ASSERT_EQ(first["items"].size(), 1u);
  EXPECT_EQ(first["total"], 2);
  ASSERT_TRUE(first["next"].is_string());
  auto second = json::parse(
      callAs(admin, "GET",
             "/api/v1/admin/counties?limit=1&cursor=" + first["next"].get<std::string>())
          .body);
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_NE(second["items"][0]["code"], first["items"][0]["code"]);
  EXPECT_TRUE(second["next"].is_null());
}

}  // namespace
}  // namespace civ::host
