// The bad-input catalogue: for every route in the OpenAPI document, requests that are wrong in
// exactly one way. Each must get a 4xx application/problem+json answer (naming the field where
// the body is at fault), and the database must be unchanged, checked by a digest of every table.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/sql.h>

#include "host/common/sha256.h"
#include "host/http/api_dispatcher.h"
#include "host/plugins/plugin_loader.h"
#include "host/runtime/plugin_runtime.h"
#include "host/security/token_store.h"
#include "host/storage/host_schema.h"
#include "tests/support/in_process_host.h"

namespace civ::host {
namespace {

using nlohmann::json;

/// A body that satisfies `schema` (civ's subset), used as the base that each case breaks once.
json validInstance(const json& schema) {
  if (!schema.is_object()) return nullptr;
  const std::string type = schema.value("type", "object");
  if (schema.contains("enum")) return schema["enum"][0];
  if (type == "object") {
    json object = json::object();
    for (const auto& name : schema.value("required", json::array()))
      object[name.get<std::string>()] =
          validInstance(schema["properties"][name.get<std::string>()]);
    return object;
  }
  if (type == "array") {
    json array = json::array();
    for (int i = 0; i < schema.value("minItems", 0); ++i)
      array.push_back(validInstance(schema["items"]));
    return array;
  }
  if (type == "integer" || type == "number") return schema.value("minimum", 1);
  if (type == "boolean") return true;
  const std::string format = schema.value("format", "");
  if (format == "citizen-id") return "11010519491231002X";
  if (format == "date") return "2026-03-03";
  if (format == "money") return "1.00";
  if (format == "ratio") return "0.5";
  if (format == "county-code") return "610902";
  if (format == "uscc") return "51410105501234569T";
  const std::string pattern = schema.value("pattern", "");
  if (pattern == "^[0-9A-Za-z]{2,12}$") return "AB12";
  if (pattern == "^([0-9]{2}|[0-9]{4}|[0-9]{6})$") return "610902";
  if (pattern == "^[0-9]{4}-(0[1-9]|1[0-2])$") return "2026-04";
  if (pattern == "^[0-9]{8,30}$") return "6230123412341234";
  if (pattern == "^[A-Za-z][A-Za-z0-9_.@-]{0,63}$") return "clerk9";
  if (pattern == "^[0-9]{1,3}(\\.[0-9]{1,2})?$") return "0.80";
  if (pattern == "^[0-9]{1,9}(\\.[0-9]{1,2})?$") return "100";
  if (pattern == "^[0-9]{1,4}(\\.[0-9]{1,2})?$") return "1.50";  // assessment points
  if (!pattern.empty()) ADD_FAILURE() << "no valid instance known for pattern " << pattern;
  return "测试";
}

/// A value of the wrong JSON type for `schema`.
json wrongType(const json& schema) {
  if (!schema.is_object()) return json::array();
  const std::string type = schema.value("type", "object");
  if (type == "string") return 12345;
  if (type == "integer" || type == "number") return "12345";
  if (type == "boolean") return "true";
  if (type == "array") return json::object();
  return json::array();
}

struct Case {
  std::string description;
  std::string method;
  std::string target;
  std::string body;
  std::string content_type = "application/json";
  std::string field;  ///< the field the problem must name; empty when not a body problem
};

class BadInputTest : public ::testing::Test {
 protected:
  static Config counties() {
    Config config;
    config.counties.push_back({"610902",
                               {"汉滨区", "Hanbin"},
                               {"example", "marriage", "social_assistance", "funeral",
                                "place_names", "elderly_care", "social_orgs", "veterans"},
                               {},
                               "610902.yaml"});
    config.counties.push_back(
        {"350502", {"鲤城区", "Licheng"}, {"example", "place_names"}, {}, "350502.yaml"});
    return config;
  }

  BadInputTest()
      : host_(counties(), {"example", "marriage", "social_assistance", "funeral", "place_names",
                           "elderly_care", "social_orgs", "veterans"}),
        services_(&host_.services()) {
    // The admin and the clerk between them hold every permission a route asks for.
    admin_ = host_.token({"root", "admin", {"610902", "350502"}, {}});
    clerk_ = host_.token({"wang", "clerk", {"610902", "350502"}, {}});
  }

  /// SHA-256 over every row of every table: any write shows. Except the security events, where
  /// a refusal is meant to leave its record (checked in SecurityEventsRecordRefusals).
  std::string digest() {
    PooledSession lease(*services_->database);
    soci::session& db = lease.session();
    std::vector<std::string> tables;
    soci::rowset<std::string> names =
        (db.prepare << "SELECT name FROM sqlite_master WHERE type = 'table' AND name <>"
                       " 'civ_security_events' ORDER BY name");
    for (const auto& name : names) tables.push_back(name);
    std::string all;
    for (const auto& table : tables) {
      all += "#" + table + "\n";
      soci::rowset<soci::row> rows = (db.prepare << "SELECT * FROM " + table + " ORDER BY 1");
      for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i)
          all += sdk::sql::optionalTextAt(row, i).value_or("<null>") + "|";
        all += "\n";
      }
    }
    return sha256Hex(all);
  }

  /// A well-formed value for a path parameter, so that the case's own fault is what is found.
  static std::string sample(const std::string& name) {
    if (name == "county") return "610902";
    if (name == "citizen_id") return "11010519491231002X";
    if (name == "code") return "HB01";
    if (name == "division_code") return "610902101";
    if (name == "stage") return "mid_year";  // an assessment stage (enum)
    return "1";
  }

  std::vector<Case> catalogue() {
    std::vector<Case> cases;
    const json api = host_.dispatcher().openApi();
    for (const auto& [path_template, operations] : api["paths"].items()) {
      if (path_template.find("/admin/clock") != std::string::npos) continue;
      for (const auto& [method_lower, operation] : operations.items()) {
        std::string method = method_lower;
        std::transform(method.begin(), method.end(), method.begin(), ::toupper);
        // A concrete path: the county, and "1" for every other parameter.
        std::string target;
        std::vector<std::string> parameters;
        for (std::size_t i = 0; i < path_template.size();) {
          if (path_template[i] == '{') {
            const auto end = path_template.find('}', i);
            const std::string name = path_template.substr(i + 1, end - i - 1);
            parameters.push_back(name);
            target += sample(name);
            i = end + 1;
          } else {
            target += path_template[i++];
          }
        }
        const bool in_county = path_template.starts_with("/api/v1/counties/");
        if (in_county) {
          cases.push_back({"unknown county", method, replaceFirst(target, "610902", "999999"), "",
                           "application/json", ""});
          // 350502 enables only example.
          if (path_template.find("/marriage/") != std::string::npos ||
              path_template.find("/social_assistance/") != std::string::npos ||
              path_template.find("/funeral/") != std::string::npos ||
              path_template.find("/elderly_care/") != std::string::npos)
            cases.push_back({"module disabled in 350502", method,
                             replaceFirst(target, "610902", "350502").replace(0, 0, ""), "",
                             "application/json", ""});
        }
        for (const auto& name : parameters) {
          if (name == "county") continue;
          for (const char* bad :
               {"..%2F..%2Fetc%2Fpasswd", "1%20OR%201%3D1", "-1", "99999999999999999999",
                "%E2%80%AE", "1'%3B%20DROP%20TABLE%20civ_persons%3B--"})
            cases.push_back({"path " + name + " = " + bad, method,
                             replaceParameter(path_template, name, bad), "", "application/json",
                             ""});
        }
        if (!operation.contains("requestBody")) continue;
        const json schema = operation["requestBody"]["content"]["application/json"]["schema"];
        const json base = validInstance(schema);
        cases.push_back(
            {"malformed JSON", method, target, "{\"a\": ", "application/json", "(body)"});
        cases.push_back({"wrong content type", method, target, base.dump(), "text/plain", ""});
        cases.push_back(
            {"array instead of object", method, target, "[]", "application/json", "(body)"});
        cases.push_back({"deep nesting", method, target,
                         std::string(200, '[') + std::string(200, ']'), "application/json",
                         "(body)"});
        if (!base.empty()) {
          // The first field again at the end: refused naming it, not last-wins.
          const std::string text = base.dump();
          const std::string first = base.begin().key();
          cases.push_back({"duplicate key " + first, method, target,
                           text.substr(0, text.size() - 1) + ",\"" + first +
                               "\":" + base.begin().value().dump() + "}",
                           "application/json", first});
        }
        json unknown = base;
        unknown["zz_unknown"] = 1;
        cases.push_back(
            {"unknown field", method, target, unknown.dump(), "application/json", "zz_unknown"});
        const json required = schema.value("required", json::array());
        const json properties = schema.value("properties", json::object());
        for (const auto& name : required) {
          json missing = base;
          missing.erase(name.get<std::string>());
          cases.push_back({"missing " + name.get<std::string>(), method, target, missing.dump(),
                           "application/json", name.get<std::string>()});
        }
        for (const auto& [name, property] : properties.items()) {
          json wrong = base;
          wrong[name] = wrongType(property);
          cases.push_back(
              {"wrong type " + name, method, target, wrong.dump(), "application/json", name});
          if (property.value("type", "") != "string") continue;
          json control = base;
          control[name] = "a\u0001b";
          cases.push_back({"control character in " + name, method, target, control.dump(),
                           "application/json", name});
          json huge = base;
          huge[name] = std::string(20000, 'x');
          cases.push_back(
              {"very long " + name, method, target, huge.dump(), "application/json", name});
          if (property.contains("format") || property.contains("pattern") ||
              property.contains("enum")) {
            for (const char* bad : {"'; DROP TABLE civ_persons; --", "2026-02-30", "１１０１０５",
                                    "ИВАН 伊万 ivan"}) {
              json formatted = base;
              formatted[name] = bad;
              cases.push_back({"bad " + name + " = " + bad, method, target, formatted.dump(),
                               "application/json", name});
            }
          }
        }
      }
    }
    return cases;
  }

  static std::string replaceFirst(std::string text, const std::string& from,
                                  const std::string& to) {
    const auto at = text.find(from);
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  }
  static std::string replaceParameter(const std::string& path_template, const std::string& name,
                                      const std::string& value) {
    std::string target = replaceFirst(path_template, "{county}", "610902");
    for (const auto& other : {"id", "number", "citizen_id", "code"}) {
      if (other == name) continue;
      target = replaceFirst(target, std::string("{") + other + "}", sample(other));
    }
    return replaceFirst(target, "{" + name + "}", value);
  }

  testing::InProcessHost host_;
  HostServices* services_;
  std::string admin_;
  std::string clerk_;
};

TEST_F(BadInputTest, EveryRouteAnswersEveryBadRequestWithA4xxProblemAndChangesNothing) {
  const std::string before = digest();
  const auto cases = catalogue();
  ASSERT_GT(cases.size(), 200u);
  std::map<std::string, int> per_route;
  for (const auto& c : cases) {
    for (const std::string* token : {&admin_, &clerk_}) {
      const HttpReply reply = host_.dispatcher().handle(HttpExchange{
          c.method, c.target, c.body.empty() ? "" : c.content_type, c.body, "Bearer " + *token});
      const std::string label = c.method + " " + c.target + " [" + c.description + "]";
      ASSERT_GE(reply.status, 400) << label << " -> " << reply.body;
      ASSERT_LT(reply.status, 500) << label << " -> " << reply.body;
      ASSERT_EQ(reply.content_type, "application/problem+json") << label;
      const json problem = json::parse(reply.body);
      EXPECT_FALSE(problem["detail"].get<std::string>().empty()) << label;
      // A body problem found by the schema names its field (403 or 404 may come first).
      if (!c.field.empty() && reply.status == 400 && problem.contains("errors")) {
        bool named = false;
        for (const auto& error : problem["errors"])
          named = named || error["field"].get<std::string>().starts_with(c.field);
        EXPECT_TRUE(named) << label << " -> " << reply.body;
      }
    }
    ++per_route[c.method + " " + c.target.substr(0, c.target.find('?'))];
  }
  EXPECT_EQ(digest(), before) << "a refused request changed the database";
  std::cout << cases.size() * 2 << " bad requests over " << per_route.size()
            << " targets, all 4xx\n";
}

}  // namespace
}  // namespace civ::host
