#include <civ/sdk/schema.h>

namespace civ::sdk::schema {

namespace {
constexpr const char* kOptionalMark = "x-civ-optional";
}

json date() { return {{"type", "string"}, {"format", "date"}}; }
json month() { return {{"type", "string"}, {"format", "month"}}; }
json timestamp() { return {{"type", "string"}, {"format", "date-time"}}; }
json money() {
  return {{"type", "string"}, {"format", "money"}, {"pattern", "^[0-9]{1,12}(\\.[0-9]{1,2})?$"}};
}
json signedMoney() {
  return {{"type", "string"}, {"format", "money"}, {"pattern", "^-?[0-9]{1,12}(\\.[0-9]{1,2})?$"}};
}
json ratio() { return {{"type", "string"}, {"format", "ratio"}}; }
json citizenId() { return {{"type", "string"}, {"format", "citizen-id"}}; }
json uscc() { return {{"type", "string"}, {"format", "uscc"}}; }
json countyCode() { return {{"type", "string"}, {"format", "county-code"}}; }
json divisionCode() { return {{"type", "string"}, {"format", "division-code"}}; }
json id() { return {{"type", "integer"}, {"minimum", 1}}; }

json integer(std::int64_t minimum, std::int64_t maximum) {
  json schema = {{"type", "integer"}};
  if (minimum != INT64_MIN) schema["minimum"] = minimum;
  if (maximum != INT64_MAX) schema["maximum"] = maximum;
  return schema;
}

json boolean() { return {{"type", "boolean"}}; }

json text(int max_length, int min_length) {
  return {{"type", "string"}, {"minLength", min_length}, {"maxLength", max_length}};
}

json enumOf(std::vector<std::pair<std::string, LocalizedText>> values) {
  json codes = json::array();
  json labels = json::object();
  for (auto& [code, label] : values) {
    codes.push_back(code);
    labels[code] = {{"zh", label.zh}, {"en", label.en}};
  }
  return {{"type", "string"}, {"enum", std::move(codes)}, {"x-civ-labels", std::move(labels)}};
}

json enumOf(std::vector<std::string> values) {
  return {{"type", "string"}, {"enum", std::move(values)}};
}

json nullable(json inner) {
  inner["nullable"] = true;
  return inner;
}

json optional(json inner) {
  inner[kOptionalMark] = true;
  return inner;
}

json arrayOf(json items, int max_items, int min_items) {
  json schema = {{"type", "array"}, {"items", std::move(items)}, {"maxItems", max_items}};
  if (min_items > 0) schema["minItems"] = min_items;
  return schema;
}

json object(std::initializer_list<Property> properties) {
  return object(schema::properties(properties));
}

Properties properties(std::initializer_list<Property> list) {
  Properties moved;
  moved.reserve(list.size());
  for (const auto& property : list) moved.emplace_back(property.name, std::move(property.schema));
  return moved;
}

json object(Properties properties) {
  json schema = {{"type", "object"}, {"properties", json::object()}};
  json required = json::array();
  // JSON objects keep no order; the console shows fields in the order the module declared.
  json order = json::array();
  for (auto& [name, property] : properties) {
    order.push_back(name);
    if (property.is_object() && property.contains(kOptionalMark)) {
      property.erase(kOptionalMark);
    } else {
      required.push_back(name);
    }
    schema["properties"][name] = std::move(property);
  }
  if (!required.empty()) schema["required"] = std::move(required);  // OpenAPI 3.0: non-empty
  schema["x-civ-order"] = std::move(order);
  return schema;
}

json anyObject() { return {{"type", "object"}, {"additionalProperties", true}}; }

json page(json item) {
  return object({{"items", arrayOf(std::move(item))},
                 {"total", integer(0)},
                 {"limit", integer(1)},
                 {"next", nullable({{"type", "string"}})}});
}

json uploadedFile() {
  return object(
      {{"format", describe(enumOf({{"csv", {"CSV（UTF-8 文本）", "CSV (UTF-8 text)"}},
                                   {"xlsx",
                                    {"XLSX（Excel 工作簿，Base64）",
                                     "XLSX (the workbook's bytes in base64)"}}}),
                           {"文件格式", "Format"})},
       {"content", describe(text(256 * 1024 * 1024),
                            {"文件内容",
                             "The file: CSV text, or the XLSX file in base64 (a data: URL prefix "
                             "is allowed)"})},
       {"encoding",
        optional(describe(enumOf({{"text", {"文本", "text (no carriage returns)"}},
                                  {"base64", {"Base64", "base64 (the file as saved)"}}}),
                          {"content 编码",
                           "How a CSV file is sent: text by default, or base64 (a file with CRLF "
                           "lines, as the exports write it); XLSX is always base64"}))}});
}

json person() {
  return object({{"id", id()},
                 {"citizen_id", citizenId()},
                 {"name", text(200)},
                 {"birth_date", date()},
                 {"sex", enumOf({{"male", {"男", "male"}}, {"female", {"女", "female"}}})},
                 {"death_date", nullable(date())}});
}

json describe(json schema, const LocalizedText& text) {
  if (!text.zh.empty()) schema["title"] = text.zh;
  if (!text.en.empty()) schema["description"] = text.en;
  return schema;
}

}  // namespace civ::sdk::schema
