// Schema helpers: the JSON Schema (json_schema.h subset) of the values every module repeats, so
// a route declaration reads as what it accepts and answers, and the API document, the console's
// forms and the request check all come from the same words.
//
//   using namespace civ::sdk::schema;
//   object({{"citizen_id", citizenId()}, {"name", text(50)}, {"amount", money()},
//           {"note", optional(text(500))}, {"remarriage_of", optional(nullable(id()))}})
//
// Every property of object() is required unless wrapped in optional(); a value that may be JSON
// null is nullable() (OpenAPI 3.0 `nullable: true`; a list of types is not documentable and is
// refused when a route is added).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/abi.h>
#include <civ/sdk/localized_text.h>

namespace civ::sdk::schema {

using nlohmann::json;

/// "YYYY-MM-DD", a real calendar date.
CIV_SDK_API json date();
/// "YYYY-MM", a calendar month (payments, assessments).
CIV_SDK_API json month();
/// A timestamp "YYYY-MM-DDTHH:MM:SS+08:00" (what the host writes for audit rows).
CIV_SDK_API json timestamp();
/// Yuan as text with at most two decimals, never negative: "780.00". Money is never a number.
CIV_SDK_API json money();
/// Yuan as text that may be negative (an adjustment that recovers money): "-120.50".
CIV_SDK_API json signedMoney();
/// An exact decimal ratio as text: "0.3", "1.5".
CIV_SDK_API json ratio();
/// A citizen ID (GB 11643: 18 characters, checksum, real birth date).
CIV_SDK_API json citizenId();
/// A unified social credit code (GB 32100: 18 characters, checksum).
CIV_SDK_API json uscc();
/// A six-digit GB/T 2260 county code.
CIV_SDK_API json countyCode();
/// A division code: 6 digits (GB/T 2260), 9 (township) or 12 (village, statistical code).
CIV_SDK_API json divisionCode();
/// A row id: an integer from 1.
CIV_SDK_API json id();
/// An integer within [minimum, maximum].
CIV_SDK_API json integer(std::int64_t minimum = INT64_MIN, std::int64_t maximum = INT64_MAX);
CIV_SDK_API json boolean();
/// Text of 1..max_length characters (min_length may be 0 for text that may be empty).
CIV_SDK_API json text(int max_length, int min_length = 1);
/// One of the values, each with its label in Chinese and English (`x-civ-labels`, which the
/// console shows instead of the code).
CIV_SDK_API json enumOf(std::vector<std::pair<std::string, LocalizedText>> values);
/// One of the values, without labels (codes that read as themselves, e.g. "husband").
CIV_SDK_API json enumOf(std::vector<std::string> values);
/// `inner`, or JSON null.
CIV_SDK_API json nullable(json inner);
/// Marks a property of object() as not required. Only inside object(): elsewhere the mark is
/// refused when the route is added.
CIV_SDK_API json optional(json inner);
/// A JSON array of `items`, with at most `max_items` elements.
CIV_SDK_API json arrayOf(json items, int max_items = 10000, int min_items = 0);
/// An object's properties in their declared order.
using Properties = std::vector<std::pair<std::string, json>>;
/// A closed object: every property required unless wrapped in optional(). "x-civ-order" keeps
/// the declared order of the properties (the console lays out forms and columns by it).
CIV_SDK_API json object(Properties properties);

// ---- appended in SDK 1.6 ----

/// One property in a braced list, `{"name", text(50)}`, whose schema is handed on instead of
/// copied. The elements of a braced list are const, so a list of std::pair copied every nested
/// schema once per level it was nested in: half of civhost's start-up went to those copies.
/// `schema` is mutable for that reason alone (nlohmann's json_ref does the same).
struct Property {
  Property(std::string name, json schema) : name(std::move(name)), schema(std::move(schema)) {}
  std::string name;
  mutable json schema;
};
/// object() written as a braced list, the usual form: `object({{"id", id()}, ...})`.
CIV_SDK_API json object(std::initializer_list<Property> properties);
/// Properties to extend before object(): `Properties fields = properties({{"id", id()}});`.
CIV_SDK_API Properties properties(std::initializer_list<Property> list);

/// An object the host does not check field by field (a free-form record such as an audit
/// change set). Use sparingly: the console cannot render what is not declared.
CIV_SDK_API json anyObject();
/// One page of a list (list.h): {"items": [item...], "total": n, "limit": n, "next": cursor|null}.
CIV_SDK_API json page(json item);
/// A person as value_conversions.h writes one: id, citizen_id, name, birth_date, sex, death_date.
CIV_SDK_API json person();
/// `schema` with a description (shown in the API document and as the console's help text).
CIV_SDK_API json describe(json schema, const LocalizedText& text);

// ---- appended in SDK 1.5 ----

/// The JSON form of an uploaded CSV or XLSX file, as the console sends it: {"format": "csv" |
/// "xlsx", "content": the CSV text or the workbook in base64, "encoding": optional "text" |
/// "base64" (a CSV file as saved, CRLF lines and all)}. Declare an import with
/// .body(uploadedFile()).acceptsFile() and read it with sdk::uploadedTable(request).
CIV_SDK_API json uploadedFile();

}  // namespace civ::sdk::schema
