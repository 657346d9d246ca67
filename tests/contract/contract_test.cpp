// The contract test: a valid request to every route of every module, in the order an office
// would make them (tests/contract/requests.json), each live answer checked against the route's
// declaration in the API document: a declared 2xx status, the declared media type, and for JSON
// a body that satisfies the declared schema. The host checks the same answers itself
// (InProcessHost turns checkAnswersAgainstDeclarations on: a handler answering off its
// declaration gets a 500); this test checks them again from the published document, which is
// what a client reads, and fails if any module operation of the document has no passing request.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <civ/sdk/json_schema.h>

#include "host/config/host_config.h"
#include "host/config/policy_validation.h"
#include "tests/support/in_process_host.h"

namespace civ::host {
namespace {

using nlohmann::json;

const std::vector<std::string> kModules = {"example",     "marriage",    "social_assistance",
                                           "funeral",     "place_names", "elderly_care",
                                           "social_orgs", "veterans"};
const char* const kCounty = "610902";

/// Module operations no valid request can reach in process, each with the reason. Every other
/// module operation of the document must have a passing request in requests.json.
const std::map<std::string, std::string> kNotReachable = {};

/// A module operation of the API document.
struct Operation {
  std::string id;
  std::string method;  ///< upper case
  std::string path_template;
  json operation;
};

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), ::toupper);
  return text;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), ::tolower);
  return text;
}

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream stream(path);
  std::string part;
  while (std::getline(stream, part, '/')) parts.push_back(part);
  return parts;
}

/// Whether a concrete path is an instance of a template ("{name}" matches one segment).
bool matches(const std::string& path_template, const std::string& path) {
  const auto pattern = segments(path_template), concrete = segments(path);
  if (pattern.size() != concrete.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const bool parameter =
        pattern[i].size() > 2 && pattern[i].front() == '{' && pattern[i].back() == '}';
    if (parameter ? concrete[i].empty() : pattern[i] != concrete[i]) return false;
  }
  return true;
}

std::vector<Operation> moduleOperations(const json& document) {
  std::vector<Operation> operations;
  for (const auto& entry : document.at("paths").items()) {
    const std::string& path = entry.key();  // not a structured binding: clang 14 cannot capture one
    const auto& methods = entry.value();
    const bool in_module = std::any_of(kModules.begin(), kModules.end(), [&](const auto& module) {
      return path.starts_with("/api/v1/counties/{county}/" + module + "/");
    });
    if (!in_module) continue;
    for (const auto& [method, operation] : methods.items()) {
      if (method != "get" && method != "post" && method != "put" && method != "patch" &&
          method != "delete")
        continue;
      operations.push_back({operation.at("operationId"), upper(method), path, operation});
    }
  }
  return operations;
}

/// `schema` with every "$ref": "#/components/schemas/X" replaced by the schema it names.
json inlineReferences(const json& schema, const json& document, int depth = 0) {
  if (depth > 32) throw std::runtime_error("schema references nest deeper than 32");
  if (schema.is_object()) {
    if (auto ref = schema.find("$ref"); ref != schema.end()) {
      const std::string target = ref->get<std::string>();
      const std::string prefix = "#/components/schemas/";
      if (!target.starts_with(prefix)) throw std::runtime_error("unknown $ref " + target);
      return inlineReferences(
          document.at("components").at("schemas").at(target.substr(prefix.size())), document,
          depth + 1);
    }
    json copy = json::object();
    for (const auto& [key, value] : schema.items())
      copy[key] = inlineReferences(value, document, depth + 1);
    return copy;
  }
  if (schema.is_array()) {
    json copy = json::array();
    for (const auto& value : schema) copy.push_back(inlineReferences(value, document, depth + 1));
    return copy;
  }
  return schema;
}

/// A media type and its parameters, lower case without blanks: "text/csv", {charset: utf-8}.
std::pair<std::string, std::map<std::string, std::string>> parseMediaType(const std::string& text) {
  std::string compact;
  for (char c : text)
    if (c != ' ' && c != '\t') compact += static_cast<char>(::tolower(c));
  std::map<std::string, std::string> parameters;
  std::stringstream stream(compact);
  std::string type, parameter;
  std::getline(stream, type, ';');
  while (std::getline(stream, parameter, ';')) {
    const auto equals = parameter.find('=');
    if (equals != std::string::npos)
      parameters[parameter.substr(0, equals)] = parameter.substr(equals + 1);
  }
  return {type, parameters};
}

std::string percentEncode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

class ContractTest : public ::testing::Test {
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

  ContractTest()
      : host_(counties(), {"example", "marriage", "social_assistance", "funeral", "place_names",
                           "elderly_care", "social_orgs", "veterans"}) {
    // The demo configuration's policy values and working-day calendar, as civhost serve loads
    // them for the end-to-end tests (config/policy, config/calendar).
    const Config demo = loadConfig(std::string(CIV_SOURCE_DIR) + "/config");
    for (const auto& problem : demo.problems) ADD_FAILURE() << "config/: " << problem.describe();
    const auto problems =
        applyConfiguredPolicy(demo, host_.services().policy,
                              {"example", "marriage", "social_assistance", "funeral", "place_names",
                               "elderly_care", "social_orgs", "veterans"});
    for (const auto& problem : problems) ADD_FAILURE() << "config/policy: " << problem.describe();
    host_.services().calendar = demo.calendar;
  }

  std::string token(const std::string& user, const std::string& role) {
    const std::string key = user + "/" + role;
    auto found = tokens_.find(key);
    if (found == tokens_.end())
      found = tokens_.emplace(key, host_.token({user, role, {kCounty}, {}})).first;
    return found->second;
  }

  /// "{name}" replaced by saved values; a name never saved is reported in `missing`.
  std::string substitute(const std::string& text, std::string& missing) const {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
      if (text[i] == '{') {
        const auto end = text.find('}', i);
        if (end != std::string::npos) {
          const std::string name = text.substr(i + 1, end - i - 1);
          const bool identifier =
              !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
                return std::islower(c) || std::isdigit(c) || c == '_';
              });
          if (identifier) {
            auto value = saved_.find(name);
            if (value == saved_.end()) {
              missing += (missing.empty() ? "" : ", ") + name;
            } else {
              out += value->second.is_string() ? value->second.get<std::string>()
                                               : value->second.dump();
            }
            i = end + 1;
            continue;
          }
        }
      }
      out += text[i++];
    }
    return out;
  }

  json substituteBody(const json& value, std::string& missing) const {
    if (value.is_string()) {
      const std::string text = value.get<std::string>();
      if (text.size() > 2 && text.front() == '{' && text.back() == '}' &&
          text.find('{', 1) == std::string::npos) {
        auto saved = saved_.find(text.substr(1, text.size() - 2));
        if (saved != saved_.end()) return saved->second;  // keeps the JSON type
      }
      return substitute(text, missing);
    }
    if (value.is_object()) {
      json copy = json::object();
      for (const auto& [key, member] : value.items()) copy[key] = substituteBody(member, missing);
      return copy;
    }
    if (value.is_array()) {
      json copy = json::array();
      for (const auto& member : value) copy.push_back(substituteBody(member, missing));
      return copy;
    }
    return value;
  }

  /// Every way `reply` departs from the declaration of `operation`; empty when it conforms.
  std::vector<std::string> departures(const Operation& operation, const HttpReply& reply,
                                      const std::optional<int>& required_status) {
    std::vector<std::string> found;
    const json& responses = operation.operation.at("responses");
    const std::string status = std::to_string(reply.status);
    if (reply.status < 200 || reply.status > 299) {
      found.push_back("answered " + status + ", not a success");
      return found;
    }
    if (required_status && reply.status != *required_status)
      found.push_back("answered " + status + "; this step expects " +
                      std::to_string(*required_status));
    if (!responses.contains(status)) {
      found.push_back("answered " + status + ", which the document does not declare (declared: " +
                      [&] {
                        std::string list;
                        for (const auto& [code, _] : responses.items())
                          if (code.starts_with("2")) list += (list.empty() ? "" : ", ") + code;
                        return list;
                      }() +
                      ")");
      return found;
    }
    const json& declared = responses.at(status);
    if (!declared.contains("content")) {
      if (!reply.body.empty())
        found.push_back("answered " + status + " with a body; the document declares none");
      return found;
    }
    const auto [reply_type, reply_parameters] = parseMediaType(reply.content_type);
    const json* media = nullptr;
    std::string declared_types;
    for (const auto& [type, content] : declared.at("content").items()) {
      declared_types += (declared_types.empty() ? "" : ", ") + type;
      const auto [declared_type, declared_parameters] = parseMediaType(type);
      if (declared_type != reply_type) continue;
      bool parameters_match = true;
      for (const auto& [name, value] : declared_parameters) {
        auto given = reply_parameters.find(name);
        parameters_match =
            parameters_match && given != reply_parameters.end() && given->second == value;
      }
      if (parameters_match) media = &content;
    }
    if (media == nullptr) {
      found.push_back("answered Content-Type '" + reply.content_type +
                      "'; declared: " + declared_types);
      return found;
    }
    if (declared.contains("headers") && declared.at("headers").contains("Location")) {
      const bool has_location =
          std::any_of(reply.headers.begin(), reply.headers.end(),
                      [](const auto& h) { return lower(h.first) == "location"; });
      if (!has_location) found.push_back("answered " + status + " without the declared Location");
    }
    if (reply_type == "application/json") {
      json body;
      try {
        body = json::parse(reply.body);
      } catch (const std::exception& error) {
        found.push_back(std::string("answered a body that is not JSON: ") + error.what());
        return found;
      }
      const json schema = inlineReferences(media->at("schema"), document_);
      for (const auto& error : sdk::validateJson(schema, body, host_.services().clock.today()))
        found.push_back("body at '" + error.field + "' breaks the declared schema (" + error.rule +
                        "): " + error.message);
      return found;
    }
    // A document (CSV, XLSX, HTML): not empty, and what its media type says it is.
    if (reply.body.empty()) found.push_back("answered an empty " + reply_type + " document");
    if (reply_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" &&
        !reply.body.starts_with(std::string("PK\x03\x04", 4)))
      found.push_back("the XLSX document is not a zip container");
    if (reply_type == "text/html" && reply.body.find("<html") == std::string::npos)
      found.push_back("the HTML document has no <html> element");
    return found;
  }

  void deliverEvents() {
    for (int pass = 0; pass < 10; ++pass) {
      const DeliveryPass delivered = host_.services().events.deliverPending();
      for (const auto& failure : delivered.failures) ADD_FAILURE() << "event delivery: " << failure;
      if (delivered.delivered == 0) return;
    }
  }

  testing::InProcessHost host_;
  json document_;
  std::map<std::string, std::string> tokens_;
  std::map<std::string, json> saved_;
};

TEST_F(ContractTest, EveryModuleRouteAnswersAValidRequestAsItIsDeclared) {
  document_ = host_.dispatcher().openApi();
  const auto operations = moduleOperations(document_);
  ASSERT_GT(operations.size(), 50u) << "the document lists too few module operations";
  std::map<std::string, const Operation*> by_id;
  for (const auto& operation : operations) by_id[operation.id] = &operation;
  for (const auto& [id, reason] : kNotReachable)
    EXPECT_TRUE(by_id.contains(id))
        << "kNotReachable names " << id << ", which the document does not declare";

  std::ifstream file(std::string(CIV_SOURCE_DIR) + "/tests/contract/requests.json");
  ASSERT_TRUE(file) << "tests/contract/requests.json not found";
  const json fixtures = json::parse(file);
  const json& users = fixtures.at("users");

  std::map<std::string, int> passed;  // operation id -> answers validated
  int answers = 0, validated = 0;
  int index = 0;
  for (const json& step : fixtures.at("steps")) {
    ++index;
    const std::string where =
        "step " + std::to_string(index) +
        (step.contains("why") ? " (" + step["why"].get<std::string>() + ")" : "");
    for (const auto& [key, _] : step.items()) {
      static const std::set<std::string> kKeys = {"today", "why",    "operation", "role",
                                                  "user",  "method", "path",      "query",
                                                  "body",  "save",   "status"};
      if (!kKeys.contains(key)) ADD_FAILURE() << where << ": unknown key '" << key << "'";
    }
    if (step.contains("today") && step.contains("operation"))
      ADD_FAILURE() << where << ": a step either moves the clock or makes a request";
    if (step.contains("today")) {
      std::string missing;
      const std::string text = substitute(step["today"].get<std::string>(), missing);
      const auto date = sdk::Date::parse(text);
      if (!missing.empty() || !date) {
        ADD_FAILURE() << where << ": cannot move the clock to '" << text << "'"
                      << (missing.empty() ? "" : " (not saved: " + missing + ")");
        continue;
      }
      host_.services().clock.moveTo(*date);
      continue;
    }
    if (!step.contains("operation")) continue;  // a heading

    const std::string id = step.at("operation");
    const std::string method = upper(step.at("method").get<std::string>());
    const std::string role = step.at("role");
    const std::string user = step.value("user", users.at(role).get<std::string>());
    std::string missing;
    std::string path = substitute(step.at("path").get<std::string>(), missing);
    std::string query;
    const json query_values = step.value("query", json::object());
    for (const auto& [name, value] : query_values.items())
      query += (query.empty() ? "?" : "&") + percentEncode(name) + "=" +
               percentEncode(substitute(value.get<std::string>(), missing));
    const json body = step.contains("body") ? substituteBody(step["body"], missing) : json();
    const std::string label = method + " " + path + query +
                              (body.is_null() ? "" : " " + body.dump()) + " as " + user + " (" +
                              role + "), " + where + ", operation " + id;
    if (!missing.empty()) {
      ADD_FAILURE() << label << ": not saved by an earlier step: " << missing;
      continue;
    }
    auto operation = by_id.find(id);
    if (operation == by_id.end()) {
      ADD_FAILURE() << label << ": the document has no module operation " << id;
      continue;
    }
    if (operation->second->method != method ||
        !matches(operation->second->path_template, path.substr(0, path.find('?')))) {
      ADD_FAILURE() << label << ": the request is not an instance of " << id << " ("
                    << operation->second->method << " " << operation->second->path_template << ")";
      continue;
    }
    if (!path.starts_with(std::string("/api/v1/counties/") + kCounty + "/")) {
      ADD_FAILURE() << label << ": the scenario runs in county " << kCounty;
      continue;
    }

    const HttpReply reply =
        host_.call(token(user, role), method, path + query, body.is_null() ? "" : body.dump());
    deliverEvents();
    ++answers;
    std::optional<int> required_status;
    if (step.contains("status")) required_status = step["status"].get<int>();
    const auto problems = departures(*operation->second, reply, required_status);
    if (!problems.empty()) {
      std::string all;
      for (const auto& problem : problems) all += "\n  - " + problem;
      ADD_FAILURE() << label << all << "\n  answer: " << reply.status << " " << reply.content_type
                    << " " << reply.body.substr(0, 2000);
      continue;
    }
    ++validated;
    ++passed[id];

    const json saves = step.value("save", json::object());
    for (const auto& [name, source] : saves.items()) {
      const std::string from = source.get<std::string>();
      if (from == "@location") {
        for (const auto& [header, value] : reply.headers)
          if (lower(header) == "location") saved_[name] = value;
      } else {
        const json answer = json::parse(reply.body);
        const json::json_pointer pointer(from);
        if (answer.contains(pointer)) saved_[name] = answer.at(pointer);
      }
      if (!saved_.contains(name))
        ADD_FAILURE() << label << ": the answer has no " << from << " to save as " << name;
    }
  }

  // Every module operation of the document: a passing request, or a reason in kNotReachable.
  std::size_t reached = 0;
  for (const auto& operation : operations) {
    if (passed.contains(operation.id)) {
      ++reached;
      EXPECT_FALSE(kNotReachable.contains(operation.id))
          << operation.id << " is listed as not reachable but passed: remove it from the list";
      continue;
    }
    if (kNotReachable.contains(operation.id)) continue;
    ADD_FAILURE() << "no request in requests.json reached " << operation.id << " ("
                  << operation.method << " " << operation.path_template
                  << ") with an answer that conforms to its declaration";
  }
  EXPECT_EQ(validated, answers);
  std::cout << "contract: " << reached << " operations of " << operations.size() << " declared, "
            << validated << " answers validated (" << answers << " requests, "
            << kNotReachable.size() << " operations listed as not reachable)\n";
  RecordProperty("operations_reached", static_cast<int>(reached));
  RecordProperty("operations_declared", static_cast<int>(operations.size()));
  RecordProperty("answers_validated", validated);
}

// The check above is only as good as departures(): it must refuse answers off their declaration.
TEST_F(ContractTest, TheCheckRefusesAnswersOffTheirDeclaration) {
  document_ = host_.dispatcher().openApi();
  const auto operations = moduleOperations(document_);
  const auto find = [&](const std::string& id) {
    for (const auto& operation : operations)
      if (operation.id == id) return operation;
    throw std::runtime_error("no operation " + id);
  };
  const Operation note = find("example_post_notes");
  const json body = {
      {"id", 1},
      {"county", "610902"},
      {"person", {{"id", 1}, {"name", "张三"}, {"citizen_id", "610902197001010014"}}},
      {"text", "备注"},
      {"written_on", "2026-03-02"},
      {"written_by", "wang"},
      {"confirmed_by", nullptr}};
  const auto reply = [](int status, const std::string& type, const json& answer,
                        bool location = true) {
    HttpReply r;
    r.status = status;
    r.content_type = type;
    r.body = answer.is_null() ? "" : answer.dump();
    if (location) r.headers.emplace_back("Location", "/api/v1/counties/610902/example/notes/1");
    return r;
  };
  const auto first = [](const std::vector<std::string>& found) {
    return found.empty() ? std::string("(none)") : found.front();
  };
  EXPECT_TRUE(departures(note, reply(201, "application/json", body), std::nullopt).empty())
      << first(departures(note, reply(201, "application/json", body), std::nullopt));

  json extra = body;
  extra["zz_unknown"] = 1;
  EXPECT_NE(first(departures(note, reply(201, "application/json", extra), std::nullopt))
                .find("unknown_field"),
            std::string::npos);
  json incomplete = body;
  incomplete.erase("written_by");
  EXPECT_NE(first(departures(note, reply(201, "application/json", incomplete), std::nullopt))
                .find("required"),
            std::string::npos);
  json mistyped = body;
  mistyped["person"]["citizen_id"] = "610902197001010015";  // wrong check character
  EXPECT_FALSE(departures(note, reply(201, "application/json", mistyped), std::nullopt).empty());
  EXPECT_FALSE(departures(note, reply(200, "application/json", body), std::nullopt).empty());
  EXPECT_FALSE(
      departures(note, reply(422, "application/problem+json", body), std::nullopt).empty());
  EXPECT_FALSE(departures(note, reply(201, "text/plain", body), std::nullopt).empty());
  EXPECT_FALSE(departures(note, reply(201, "application/json", body, false), std::nullopt).empty());
  EXPECT_FALSE(departures(note, reply(201, "application/json", body), 200).empty());

  const Operation csv = find("social_assistance_get_payment_runs__month__roll_csv");
  HttpReply document = reply(200, "text/csv; charset=utf-8", nullptr, false);
  document.body = "序号\r\n";
  EXPECT_TRUE(departures(csv, document, std::nullopt).empty())
      << first(departures(csv, document, std::nullopt));
  document.content_type = "text/csv; charset=gbk";
  EXPECT_FALSE(departures(csv, document, std::nullopt).empty());
  document.content_type = "application/json";
  EXPECT_FALSE(departures(csv, document, std::nullopt).empty());

  // The repeated payment run answers 200 with a message; without it the answer is off.
  const Operation run = find("social_assistance_post_payment_runs");
  json again = {{"month", "2026-04"},
                {"run_id", 1},
                {"run_on", "2026-03-09"},
                {"run_by", "zhao"},
                {"status", "prepared"},
                {"confirmed_by", nullptr},
                {"confirmed_on", nullptr},
                {"warnings", json::array()},
                {"lines", 0},
                {"total", "0.00"},
                {"by_program", json::object()},
                {"created", false},
                {"message", "nothing changed"}};
  EXPECT_TRUE(departures(run, reply(200, "application/json", again, false), std::nullopt).empty())
      << first(departures(run, reply(200, "application/json", again, false), std::nullopt));
  again.erase("message");
  EXPECT_FALSE(departures(run, reply(200, "application/json", again, false), std::nullopt).empty());
}

}  // namespace
}  // namespace civ::host
