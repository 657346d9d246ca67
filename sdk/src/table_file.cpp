// CSV through libcsv, XLSX through libzip (the archive) and expat (the XML parts), streamed: no
// part is held whole in memory, and every byte read counts against kTableMaxBytes, whatever the
// archive's headers claim. Callbacks from the C libraries never let an exception unwind through
// C frames: they catch it, stop the parser, and the exception is rethrown once the C call has
// returned.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <csv.h>
#include <exception>
#include <expat.h>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <zip.h>

#include <nlohmann/json.hpp>

#include <civ/sdk/error.h>
#include <civ/sdk/request.h>
#include <civ/sdk/table_file.h>

namespace civ::sdk {

namespace {

/// Distinct shared strings and cell styles of a workbook: its tables held before any cell is
/// read, so kept at the 2,000,000 kTableMaxCells was before it grew for whole county registers.
constexpr std::size_t kMaxDistinctTexts = 2'000'000;

constexpr std::size_t kMaxColumns = 16'384;  // XFD, Excel's last column

[[noreturn]] void refuse(std::string rule, std::string message, int status = 400) {
  throw ValidationError("file", std::move(rule), std::move(message), status);
}

[[noreturn]] void tooLarge(const std::string& what) {
  refuse("too-large", "the file is too large to import: " + what + "; split it into smaller files");
}

bool emptyRow(const std::vector<std::string>& row) {
  return std::all_of(row.begin(), row.end(), [](const std::string& cell) { return cell.empty(); });
}

void dropTrailingEmptyRows(Table& table) {
  while (!table.empty() && emptyRow(table.back())) table.pop_back();
}

/// The first invalid byte's offset, or npos for well-formed UTF-8 (no overlongs, surrogates or
/// code points above U+10FFFF).
std::size_t invalidUtf8At(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned lowest = 0x80, highest = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) lowest = 0xA0;
      if (c == 0xED) highest = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) lowest = 0x90;
      if (c == 0xF4) highest = 0x8F;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    const auto second = static_cast<unsigned char>(text[i + 1]);
    if (second < lowest || second > highest) return i;
    for (std::size_t k = 2; k < length; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return i;
    i += length;
  }
  return std::string_view::npos;
}

// ---- CSV ------------------------------------------------------------------------------------

struct CsvCollector {
  Table rows;
  std::vector<std::string> current;
  std::size_t cells = 0;
  bool too_large = false;
};

void onCsvField(void* data, std::size_t length, void* collector) {
  auto* c = static_cast<CsvCollector*>(collector);
  if (c->too_large) return;
  if (++c->cells > kTableMaxCells) {
    c->too_large = true;
    return;
  }
  c->current.emplace_back(data != nullptr ? static_cast<const char*>(data) : "", length);
}

void onCsvRow(int, void* collector) {
  auto* c = static_cast<CsvCollector*>(collector);
  if (c->too_large) return;
  if (c->rows.size() == kTableMaxRows) {
    c->too_large = true;
    return;
  }
  c->rows.push_back(std::move(c->current));
  c->current.clear();
}

// ---- XLSX: the archive ---------------------------------------------------------------------

/// The ZIP archive, read-only over the caller's bytes, and the budget of bytes read from it.
class Archive {
 public:
  explicit Archive(std::string_view bytes) {
    static constexpr char kCompoundFile[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if (bytes.size() >= 8 && std::memcmp(bytes.data(), kCompoundFile, 8) == 0)
      refuse("xlsx-legacy-or-encrypted",
             "this is an old Excel 97-2003 file (.xls) or a workbook protected by a password to "
             "open; in Excel, remove the password and save as \"Excel 工作簿 (*.xlsx)\"");
    if (bytes.size() < 4 || bytes.substr(0, 2) != "PK")
      refuse("xlsx-not-zip",
             "the file is not an XLSX workbook (an XLSX file is a ZIP archive); save the sheet "
             "from Excel as \"Excel 工作簿 (*.xlsx)\"");
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source != nullptr) {
      archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
      if (archive_ == nullptr) zip_source_free(source);
    }
    if (archive_ == nullptr) {
      const std::string reason = zip_error_strerror(&error);
      zip_error_fini(&error);
      refuse("xlsx-not-zip", "the file is not an XLSX workbook: its ZIP structure is broken (" +
                                 reason + "); save it from Excel again");
    }
    zip_error_fini(&error);
  }
  ~Archive() { zip_discard(archive_); }
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;

  /// The entry's index (part names are case-insensitive, as OPC says), or -1.
  zip_int64_t find(const std::string& name) const {
    return zip_name_locate(archive_, name.c_str(), ZIP_FL_NOCASE);
  }

  /// Hands the part's bytes to `sink` chunk by chunk. Throws too-large past the budget.
  void read(zip_int64_t index, const std::string& name,
            const std::function<void(const char*, std::size_t)>& sink) {
    zip_file_t* file = zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0);
    if (file == nullptr)
      refuse(zip_error_code_zip(zip_get_error(archive_)) == ZIP_ER_NOPASSWD
                 ? "xlsx-legacy-or-encrypted"
                 : "xlsx-malformed",
             "the workbook's part " + name + " cannot be read (" +
                 zip_error_strerror(zip_get_error(archive_)) + "); save it from Excel again");
    struct Closer {
      zip_file_t* file;
      ~Closer() { zip_fclose(file); }
    } closer{file};
    std::array<char, 64 * 1024> buffer;
    while (true) {
      const zip_int64_t got = zip_fread(file, buffer.data(), buffer.size());
      if (got < 0)
        refuse("xlsx-malformed", "the workbook's part " + name + " is damaged (" +
                                     zip_file_strerror(file) + "); save it from Excel again");
      if (got == 0) break;
      read_ += static_cast<std::size_t>(got);
      if (read_ > kTableMaxBytes)
        tooLarge("it unpacks to more than " + std::to_string(kTableMaxBytes / (1024 * 1024)) +
                 " MiB");
      sink(buffer.data(), static_cast<std::size_t>(got));
    }
  }

 private:
  zip_t* archive_ = nullptr;
  std::size_t read_ = 0;
};

// ---- XLSX: XML parts -----------------------------------------------------------------------

/// Names arrive as "namespace\x01local" (or "local" without a namespace); parts are matched by
/// local name, so transitional and strict OOXML read alike.
constexpr char kNamespaceSeparator = '\x01';

std::string_view localName(const char* name) {
  const char* separator = std::strrchr(name, kNamespaceSeparator);
  return separator != nullptr ? std::string_view(separator + 1) : std::string_view(name);
}

/// An attribute by local name; `namespaced` asks for one in some namespace (r:id), otherwise
/// one without (name, Id).
const char* attribute(const char** attributes, std::string_view local, bool namespaced = false) {
  for (int i = 0; attributes[i] != nullptr; i += 2) {
    const bool has_namespace = std::strchr(attributes[i], kNamespaceSeparator) != nullptr;
    if (has_namespace == namespaced && localName(attributes[i]) == local) return attributes[i + 1];
  }
  return nullptr;
}

/// What a part's parser does with the elements; may throw (the exception is carried out).
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void start(std::string_view element, const char** attributes) = 0;
  virtual void end(std::string_view element) = 0;
  virtual void text(std::string_view) {}
};

struct XmlRun {
  XML_Parser parser;
  XmlHandler* handler;
  std::exception_ptr failure;
  const std::string* part;
};

template <typename F>
void guarded(void* data, F&& action) {
  auto* run = static_cast<XmlRun*>(data);
  if (run->failure) return;
  try {
    action(*run);
  } catch (...) {
    run->failure = std::current_exception();
    XML_StopParser(run->parser, XML_FALSE);
  }
}

void onStart(void* data, const XML_Char* name, const XML_Char** attributes) {
  guarded(data, [&](XmlRun& run) { run.handler->start(localName(name), attributes); });
}

void onEnd(void* data, const XML_Char* name) {
  guarded(data, [&](XmlRun& run) { run.handler->end(localName(name)); });
}

void onText(void* data, const XML_Char* text, int length) {
  guarded(data, [&](XmlRun& run) {
    run.handler->text(std::string_view(text, static_cast<std::size_t>(length)));
  });
}

void onDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  guarded(data, [&](XmlRun& run) {
    refuse("xlsx-malformed", "the workbook's part " + *run.part +
                                 " declares a DOCTYPE, which no Excel file has; save it from "
                                 "Excel again");
  });
}

void parsePart(Archive& archive, zip_int64_t index, const std::string& name, XmlHandler& handler) {
  XML_Parser parser = XML_ParserCreateNS(nullptr, kNamespaceSeparator);
  if (parser == nullptr) throw std::bad_alloc();
  struct Freer {
    XML_Parser parser;
    ~Freer() { XML_ParserFree(parser); }
  } freer{parser};
  XmlRun run{parser, &handler, nullptr, &name};
  XML_SetUserData(parser, &run);
  XML_SetElementHandler(parser, onStart, onEnd);
  XML_SetCharacterDataHandler(parser, onText);
  XML_SetStartDoctypeDeclHandler(parser, onDoctype);
  const auto check = [&](XML_Status status) {
    if (run.failure) std::rethrow_exception(run.failure);
    if (status != XML_STATUS_OK)
      refuse("xlsx-malformed", "the workbook's part " + name + " is not well-formed XML (line " +
                                   std::to_string(XML_GetCurrentLineNumber(parser)) + ": " +
                                   XML_ErrorString(XML_GetErrorCode(parser)) +
                                   "); save it from Excel again");
  };
  archive.read(index, name, [&](const char* chunk, std::size_t size) {
    check(XML_Parse(parser, chunk, static_cast<int>(size), XML_FALSE));
  });
  check(XML_Parse(parser, "", 0, XML_TRUE));
}

void parsePart(Archive& archive, const std::string& name, XmlHandler& handler) {
  const auto index = archive.find(name);
  if (index < 0)
    refuse("xlsx-malformed", "the workbook lacks its part " + name + "; save it from Excel again");
  parsePart(archive, index, name, handler);
}

/// Decodes OOXML's escapes of characters XML cannot carry: "_x000D_" is a carriage return,
/// "_x005F_" an underscore.
std::string unescapeXstring(std::string text) {
  if (text.find("_x") == std::string::npos) return text;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned code = 0;
    if (text[i] == '_' && i + 6 < text.size() && text[i + 1] == 'x' && text[i + 6] == '_' &&
        std::from_chars(text.data() + i + 2, text.data() + i + 6, code, 16).ptr ==
            text.data() + i + 6 &&
        (code < 0xD800 || code > 0xDFFF)) {
      if (code < 0x80) {
        out += static_cast<char>(code);
      } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
      } else {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
      }
      i += 6;
    } else {
      out += text[i];
    }
  }
  return out;
}

// ---- XLSX: package relationships and the workbook ------------------------------------------

struct Relationship {
  std::string id, type, target;
  bool external = false;
};

class RelationshipsHandler : public XmlHandler {
 public:
  std::vector<Relationship> relationships;
  void start(std::string_view element, const char** attributes) override {
    if (element != "Relationship") return;
    Relationship relationship;
    if (const char* id = attribute(attributes, "Id")) relationship.id = id;
    if (const char* type = attribute(attributes, "Type")) relationship.type = type;
    if (const char* target = attribute(attributes, "Target")) relationship.target = target;
    if (const char* mode = attribute(attributes, "TargetMode"))
      relationship.external = std::string_view(mode) == "External";
    relationships.push_back(std::move(relationship));
  }
  void end(std::string_view) override {}
};

bool endsWith(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

/// The part a relationship's target names, relative to the folder of the part it belongs to
/// ("" for the package); ".." and "." resolved, a leading "/" meaning the package root.
std::string resolvePart(std::string_view folder, std::string_view target) {
  std::string joined = target.starts_with('/') ? std::string(target.substr(1))
                       : folder.empty()        ? std::string(target)
                                               : std::string(folder) + "/" + std::string(target);
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= joined.size()) {
    const std::size_t slash = std::min(joined.find('/', start), joined.size());
    const std::string segment = joined.substr(start, slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = slash + 1;
  }
  std::string part;
  for (const auto& segment : segments) part += (part.empty() ? "" : "/") + segment;
  return part;
}

std::string folderOf(std::string_view part) {
  const auto slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(part.substr(0, slash));
}

/// The relationships of `part` ("xl/workbook.xml" -> "xl/_rels/workbook.xml.rels"; "" is the
/// package: "_rels/.rels"); none when the part has no relationships file.
std::vector<Relationship> relationshipsOf(Archive& archive, const std::string& part) {
  const auto slash = part.rfind('/');
  const std::string rels = slash == std::string::npos ? "_rels/" + part + ".rels"
                                                      : part.substr(0, slash) + "/_rels/" +
                                                            part.substr(slash + 1) + ".rels";
  const auto index = archive.find(rels);
  if (index < 0) return {};
  RelationshipsHandler handler;
  parsePart(archive, index, rels, handler);
  return std::move(handler.relationships);
}

struct Worksheet {
  std::string name, part;
};

struct Workbook {
  bool date1904 = false;
  std::vector<Worksheet> worksheets;
  std::string shared_strings, styles;  // parts; "" when the workbook has none
};

class WorkbookHandler : public XmlHandler {
 public:
  bool date1904 = false;
  std::vector<std::pair<std::string, std::string>> sheets;  // name, relationship id
  void start(std::string_view element, const char** attributes) override {
    if (element == "workbookPr") {
      if (const char* value = attribute(attributes, "date1904"))
        date1904 = std::string_view(value) == "1" || std::string_view(value) == "true";
    } else if (element == "sheet") {
      const char* name = attribute(attributes, "name");
      const char* id = attribute(attributes, "id", /*namespaced=*/true);
      if (name == nullptr || id == nullptr)
        refuse("xlsx-malformed",
               "the workbook lists a sheet without a name or part; save it from Excel again");
      sheets.emplace_back(name, id);
    }
  }
  void end(std::string_view) override {}
};

Workbook openWorkbook(Archive& archive) {
  // The package's relationships name the workbook part; xl/workbook.xml is where Excel puts it.
  std::string workbook_part;
  for (const auto& relationship : relationshipsOf(archive, ""))
    if (endsWith(relationship.type, "/officeDocument") && !relationship.external)
      workbook_part = resolvePart("", relationship.target);
  if (workbook_part.empty() || archive.find(workbook_part) < 0) workbook_part = "xl/workbook.xml";
  if (archive.find(workbook_part) < 0)
    refuse("xlsx-no-workbook",
           "the file is a ZIP archive but holds no Excel workbook (is it a .docx or another "
           "archive?); save the sheet from Excel as \"Excel 工作簿 (*.xlsx)\"");
  WorkbookHandler handler;
  parsePart(archive, workbook_part, handler);
  Workbook workbook;
  workbook.date1904 = handler.date1904;
  std::map<std::string, Relationship> by_id;
  const std::string folder = folderOf(workbook_part);
  for (auto& relationship : relationshipsOf(archive, workbook_part)) {
    if (relationship.external) continue;
    if (endsWith(relationship.type, "/sharedStrings"))
      workbook.shared_strings = resolvePart(folder, relationship.target);
    else if (endsWith(relationship.type, "/styles"))
      workbook.styles = resolvePart(folder, relationship.target);
    by_id.emplace(relationship.id, std::move(relationship));
  }
  for (const auto& [name, id] : handler.sheets) {
    const auto found = by_id.find(id);
    if (found == by_id.end())
      refuse("xlsx-malformed", "the workbook's sheet \"" + name +
                                   "\" has no part in the archive; save it from Excel again");
    // Chart sheets, dialog and macro sheets hold no cells.
    if (endsWith(found->second.type, "/worksheet"))
      workbook.worksheets.push_back({name, resolvePart(folder, found->second.target)});
  }
  return workbook;
}

// ---- XLSX: shared strings and styles -------------------------------------------------------

/// Collects the text of <t> elements, leaving out phonetic guides (<rPh>).
class TextCollector {
 public:
  void start(std::string_view element) {
    if (element == "rPh") ++phonetic_depth_;
    if (element == "t" && phonetic_depth_ == 0) in_text_ = true;
  }
  void end(std::string_view element) {
    if (element == "rPh" && phonetic_depth_ > 0) --phonetic_depth_;
    if (element == "t") in_text_ = false;
  }
  void text(std::string_view text) {
    if (in_text_) text_ += text;
  }
  std::string take() {
    std::string text = unescapeXstring(std::move(text_));
    text_.clear();
    return text;
  }

 private:
  int phonetic_depth_ = 0;
  bool in_text_ = false;
  std::string text_;
};

class SharedStringsHandler : public XmlHandler {
 public:
  std::vector<std::string> strings;
  void start(std::string_view element, const char**) override {
    if (element == "si") {
      in_item_ = true;
      if (strings.size() == kMaxDistinctTexts)
        tooLarge("more than " + std::to_string(kMaxDistinctTexts) + " distinct texts");
    } else if (in_item_) {
      collector_.start(element);
    }
  }
  void end(std::string_view element) override {
    if (element == "si") {
      in_item_ = false;
      strings.push_back(collector_.take());
    } else if (in_item_) {
      collector_.end(element);
    }
  }
  void text(std::string_view text) override {
    if (in_item_) collector_.text(text);
  }

 private:
  bool in_item_ = false;
  TextCollector collector_;
};

/// A number format shows a date when it has a year or day part (outside quoted text, escapes
/// and [brackets]); "m" alone may be minutes, and a time-only format is not a date.
bool isDateFormatCode(std::string_view code) {
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == ';') break;  // the first section (positive numbers) decides
    if (c == '"') {
      const auto close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (c == '[') {
      const auto close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == 'y' || c == 'Y' || c == 'd' || c == 'D') {
      return true;
    }
  }
  return false;
}

bool isBuiltInDateFormat(long id) {
  // 14-17 and 22: m/d/yyyy, d-mmm-yy, d-mmm, mmm-yy, m/d/yyyy h:mm. The Chinese built-ins:
  // 27-31, 36, 50-54, 57, 58 (yyyy"年"m"月" ...); 18-21, 32-35, 45-47, 55, 56 are times.
  return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 ||
         (id >= 50 && id <= 54) || id == 57 || id == 58;
}

class StylesHandler : public XmlHandler {
 public:
  std::map<long, std::string> custom_formats;
  std::vector<long> cell_formats;  // numFmtId of each cellXfs entry, by style index
  void start(std::string_view element, const char** attributes) override {
    if (element == "numFmt") {
      const char* id = attribute(attributes, "numFmtId");
      const char* code = attribute(attributes, "formatCode");
      if (id != nullptr && code != nullptr) custom_formats[std::atol(id)] = code;
    } else if (element == "cellXfs") {
      in_cell_formats_ = true;
    } else if (element == "xf" && in_cell_formats_) {
      const char* id = attribute(attributes, "numFmtId");
      cell_formats.push_back(id != nullptr ? std::atol(id) : 0);
      if (cell_formats.size() > kMaxDistinctTexts)
        tooLarge("more than " + std::to_string(kMaxDistinctTexts) + " cell styles");
    }
  }
  void end(std::string_view element) override {
    if (element == "cellXfs") in_cell_formats_ = false;
  }

 private:
  bool in_cell_formats_ = false;
};

/// Which style indexes show numbers as dates.
std::vector<bool> dateStyles(Archive& archive, const std::string& styles_part) {
  if (styles_part.empty() || archive.find(styles_part) < 0) return {};
  StylesHandler handler;
  parsePart(archive, styles_part, handler);
  std::vector<bool> dates;
  dates.reserve(handler.cell_formats.size());
  for (const long id : handler.cell_formats) {
    const auto custom = handler.custom_formats.find(id);
    dates.push_back(custom != handler.custom_formats.end() ? isDateFormatCode(custom->second)
                                                           : isBuiltInDateFormat(id));
  }
  return dates;
}

// ---- XLSX: cell values ---------------------------------------------------------------------

std::string numberText(double value, std::string_view raw) {
  if (!std::isfinite(value)) return std::string(raw);
  if (value == 0) return "0";
  std::array<char, 64> buffer;
  std::to_chars_result result;
  if (value == std::trunc(value) && std::fabs(value) < 1e15)
    result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                           std::chars_format::fixed, 0);
  else if (value == std::trunc(value))  // 16 digits and more: Excel has rounded it already
    result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                           std::chars_format::scientific);
  else
    result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

std::string dateText(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

/// Excel's date serial as YYYY-MM-DD; nullopt outside 1900-01-01 (1904-01-01) .. 9999-12-31.
std::optional<std::string> serialDate(double serial, bool date1904) {
  using namespace std::chrono;
  // Half a millisecond: a time of day computed as 0.99999999 of a day stays on its date.
  const double whole = std::floor(serial + 0.5 / 86'400'000);
  if (!(whole >= (date1904 ? 0 : 1)) || whole > 2'958'465) return std::nullopt;
  const auto days = static_cast<int>(whole);
  if (date1904) return dateText(sys_days{1904y / January / 1} + std::chrono::days{days});
  // The 1900 system counts 1900-02-29, which never was (Lotus 1-2-3's leap-year bug).
  if (days == 60) return "1900-02-29";
  return dateText(sys_days{1899y / December / (days < 60 ? 31 : 30)} + std::chrono::days{days});
}

/// Parses "C12": 0-based column and row. nullopt for anything else or outside XFD1048576.
std::optional<std::pair<std::size_t, std::size_t>> cellReference(std::string_view reference) {
  std::size_t i = 0, column = 0, row = 0;
  while (i < reference.size() && std::isalpha(static_cast<unsigned char>(reference[i]))) {
    column = column * 26 + static_cast<std::size_t>(
                               std::toupper(static_cast<unsigned char>(reference[i])) - 'A' + 1);
    if (column > kMaxColumns) return std::nullopt;
    ++i;
  }
  if (i == 0 || i == reference.size()) return std::nullopt;
  const auto [end, error] =
      std::from_chars(reference.data() + i, reference.data() + reference.size(), row);
  if (error != std::errc() || end != reference.data() + reference.size() || row == 0 ||
      row > kTableMaxRows)
    return std::nullopt;
  return std::make_pair(column - 1, row - 1);
}

class SheetHandler : public XmlHandler {
 public:
  SheetHandler(const std::vector<std::string>& shared_strings, const std::vector<bool>& dates,
               bool date1904)
      : shared_strings_(shared_strings), dates_(dates), date1904_(date1904) {}

  void start(std::string_view element, const char** attributes) override {
    if (element == "sheetData") {
      in_data_ = true;
    } else if (!in_data_) {
      return;
    } else if (element == "row") {
      if (const char* r = attribute(attributes, "r")) {
        std::size_t number = 0;
        const std::string_view text(r);
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (error != std::errc() || end != text.data() + text.size() || number == 0 ||
            number > kTableMaxRows)
          refuse("xlsx-malformed", "the sheet has a row numbered \"" + std::string(text) +
                                       "\" (rows are 1 to " + std::to_string(kTableMaxRows) +
                                       "); save it from Excel again");
        row_ = number - 1;
      } else {
        row_ = next_row_;
      }
      if (row_ >= kTableMaxRows) tooLarge("more than " + std::to_string(kTableMaxRows) + " rows");
      next_row_ = row_ + 1;
      next_column_ = 0;
    } else if (element == "c") {
      in_cell_ = true;
      column_ = next_column_;
      if (const char* r = attribute(attributes, "r")) {
        const auto reference = cellReference(r);
        if (!reference)
          refuse("xlsx-malformed", "the sheet has a cell \"" + std::string(r) +
                                       "\", which is no cell reference (A1 to XFD1048576); "
                                       "save it from Excel again");
        column_ = reference->first;
      }
      if (column_ >= kMaxColumns)
        tooLarge("a row has more than " + std::to_string(kMaxColumns) + " columns");
      next_column_ = column_ + 1;
      const char* type = attribute(attributes, "t");
      type_ = type != nullptr ? type : "n";
      const char* style = attribute(attributes, "s");
      style_ = style != nullptr ? std::strtoul(style, nullptr, 10) : 0;
      value_.clear();
    } else if (!in_cell_) {
      return;
    } else if (element == "v") {
      in_value_ = true;
    } else if (element == "is") {
      in_inline_ = true;
    } else if (in_inline_) {
      inline_text_.start(element);
    }
  }

  void end(std::string_view element) override {
    if (element == "sheetData") {
      in_data_ = false;
    } else if (!in_cell_) {
      return;
    } else if (element == "c") {
      in_cell_ = false;
      place(cellText());
    } else if (element == "v") {
      in_value_ = false;
    } else if (element == "is") {
      in_inline_ = false;
      value_ = inline_text_.take();
    } else if (in_inline_) {
      inline_text_.end(element);
    }
  }

  void text(std::string_view text) override {
    if (in_value_) {
      value_ += text;
      if (value_.size() > kTableMaxBytes) tooLarge("a cell holds too much text");
    } else if (in_inline_) {
      inline_text_.text(text);
    }
  }

  Table take() {
    dropTrailingEmptyRows(rows_);
    std::size_t width = 0;
    for (const auto& row : rows_) width = std::max(width, row.size());
    if (width != 0 && rows_.size() > kTableMaxCells / width)
      tooLarge("the sheet spans " + std::to_string(rows_.size()) + " rows by " +
               std::to_string(width) + " columns, more than " + std::to_string(kTableMaxCells) +
               " cells");
    for (auto& row : rows_) row.resize(width);
    return std::move(rows_);
  }

 private:
  std::string where() const {
    std::string column;
    for (std::size_t n = column_ + 1; n > 0; n = (n - 1) / 26)
      column.insert(column.begin(), static_cast<char>('A' + (n - 1) % 26));
    return column + std::to_string(row_ + 1);
  }

  std::string cellText() {
    if (type_ == "s") {
      if (value_.empty()) return "";
      std::size_t index = 0;
      const auto [end, error] =
          std::from_chars(value_.data(), value_.data() + value_.size(), index);
      if (error != std::errc() || end != value_.data() + value_.size() ||
          index >= shared_strings_.size())
        refuse("xlsx-malformed", "cell " + where() + " refers to text number \"" + value_ +
                                     "\", which the workbook does not have; save it from Excel "
                                     "again");
      return shared_strings_[index];
    }
    if (type_ == "inlineStr") return std::move(value_);
    if (type_ == "str" || type_ == "e") return unescapeXstring(std::move(value_));
    if (type_ == "b") return value_ == "1" ? "true" : value_ == "0" ? "false" : value_;
    if (type_ == "d") {  // an ISO 8601 date (written by some producers, strict OOXML)
      if (value_.size() >= 10 && value_[4] == '-' && value_[7] == '-') return value_.substr(0, 10);
      return std::move(value_);
    }
    if (value_.empty()) return "";
    double number = 0;
    const auto [end, error] = std::from_chars(value_.data(), value_.data() + value_.size(), number);
    if (error != std::errc() || end != value_.data() + value_.size())
      refuse("xlsx-malformed", "cell " + where() + " holds \"" + value_.substr(0, 40) +
                                   "\" as a number; save it from Excel again");
    if (style_ < dates_.size() && dates_[style_])
      if (auto date = serialDate(number, date1904_)) return *date;
    return numberText(number, value_);
  }

  void place(std::string value) {
    if (value.empty()) return;  // an empty cell (a style only) widens nothing
    text_bytes_ += value.size();
    if (text_bytes_ > kTableMaxBytes)
      tooLarge("its cells hold more than " + std::to_string(kTableMaxBytes / (1024 * 1024)) +
               " MiB of text");
    if (rows_.size() <= row_) rows_.resize(row_ + 1);
    auto& cells = rows_[row_];
    if (cells.size() <= column_) {
      cells_ += column_ + 1 - cells.size();
      if (cells_ > kTableMaxCells)
        tooLarge("more than " + std::to_string(kTableMaxCells) + " cells");
      cells.resize(column_ + 1);
    }
    cells[column_] = std::move(value);
  }

  const std::vector<std::string>& shared_strings_;
  const std::vector<bool>& dates_;
  const bool date1904_;
  Table rows_;
  std::size_t cells_ = 0, text_bytes_ = 0;
  bool in_data_ = false, in_cell_ = false, in_value_ = false, in_inline_ = false;
  std::size_t row_ = 0, next_row_ = 0, column_ = 0, next_column_ = 0;
  std::string type_;
  unsigned long style_ = 0;
  std::string value_;
  TextCollector inline_text_;
};

Table readWorksheet(Archive& archive, const Workbook& workbook, const Worksheet& sheet) {
  std::vector<std::string> shared_strings;
  if (!workbook.shared_strings.empty() && archive.find(workbook.shared_strings) >= 0) {
    SharedStringsHandler handler;
    parsePart(archive, workbook.shared_strings, handler);
    shared_strings = std::move(handler.strings);
  }
  const auto dates = dateStyles(archive, workbook.styles);
  SheetHandler handler(shared_strings, dates, workbook.date1904);
  parsePart(archive, sheet.part, handler);
  return handler.take();
}

std::string sheetList(const Workbook& workbook) {
  std::string names;
  for (const auto& sheet : workbook.worksheets)
    names += (names.empty() ? "\"" : ", \"") + sheet.name + "\"";
  return names.empty() ? "none" : names;
}

}  // namespace

Table readCsv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (const auto bad = invalidUtf8At(text); bad != std::string_view::npos)
    refuse("csv-encoding",
           "the CSV is not UTF-8 text (byte " + std::to_string(bad + 1) +
               "); Excel's \"CSV (逗号分隔)\" saves GBK: save as \"CSV UTF-8 (逗号分隔)\" or "
               "upload the XLSX workbook");
  csv_parser parser;
  csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI);
  CsvCollector collector;
  const std::size_t parsed =
      csv_parse(&parser, text.data(), text.size(), onCsvField, onCsvRow, &collector);
  const bool broken =
      parsed != text.size() || csv_fini(&parser, onCsvField, onCsvRow, &collector) != CSV_SUCCESS;
  const int error = csv_error(&parser);
  csv_free(&parser);
  if (collector.too_large)
    tooLarge("more than " + std::to_string(kTableMaxRows) + " rows or " +
             std::to_string(kTableMaxCells) + " fields");
  if (broken)
    refuse("csv-syntax", "the CSV is malformed near row " +
                             std::to_string(collector.rows.size() + 1) + ": " +
                             csv_strerror(error) +
                             " (a quote opened and not closed, or text after a closing quote)");
  dropTrailingEmptyRows(collector.rows);
  return std::move(collector.rows);
}

Table readXlsx(std::string_view bytes, std::size_t sheet) {
  Archive archive(bytes);
  const Workbook workbook = openWorkbook(archive);
  if (sheet >= workbook.worksheets.size())
    refuse("xlsx-no-sheet", "the workbook has " + std::to_string(workbook.worksheets.size()) +
                                " worksheet(s) (" + sheetList(workbook) + "), not a number " +
                                std::to_string(sheet + 1));
  return readWorksheet(archive, workbook, workbook.worksheets[sheet]);
}

Table readXlsx(std::string_view bytes, std::string_view sheet_name) {
  Archive archive(bytes);
  const Workbook workbook = openWorkbook(archive);
  for (const auto& sheet : workbook.worksheets)
    if (sheet.name == sheet_name) return readWorksheet(archive, workbook, sheet);
  refuse("xlsx-no-sheet", "the workbook has no worksheet \"" + std::string(sheet_name) +
                              "\"; its worksheets: " + sheetList(workbook));
}

std::vector<std::string> xlsxSheetNames(std::string_view bytes) {
  Archive archive(bytes);
  std::vector<std::string> names;
  for (const auto& sheet : openWorkbook(archive).worksheets) names.push_back(sheet.name);
  return names;
}

Table readTable(std::string_view bytes, std::string_view media_type) {
  std::string type(media_type.substr(0, media_type.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (type == "text/csv") return readCsv(bytes);
  if (type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return readXlsx(bytes);
  refuse("media-type",
         "a table is read from CSV (text/csv) or XLSX "
         "(application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), not " +
             std::string(media_type),
         415);
}

/// The bytes of base64 text (RFC 4648, standard or URL alphabet, padding optional, white space
/// ignored), after an optional "data:<type>;base64," prefix as a browser's FileReader gives it.
std::optional<std::string> decodeBase64(std::string_view text) {
  if (text.starts_with("data:")) {
    const auto comma = text.find(',');
    if (comma == std::string_view::npos || text.substr(0, comma).find(";base64") == text.npos)
      return std::nullopt;
    text.remove_prefix(comma + 1);
  }
  static const auto kValues = [] {
    std::array<signed char, 256> values;
    values.fill(-1);
    const std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < alphabet.size(); ++i)
      values[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    values['-'] = 62;
    values['_'] = 63;
    return values;
  }();
  std::string bytes;
  bytes.reserve(text.size() / 4 * 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  bool padding = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    const int value = kValues[static_cast<unsigned char>(c)];
    if (value < 0 || padding) return std::nullopt;  // a foreign character, or data after '='
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (bits >= 6) return std::nullopt;  // one character left over: not a whole byte
  return bytes;
}

Table readUploadedTable(std::string_view format, std::string_view content) {
  if (format == "xlsx") {
    const auto bytes = decodeBase64(content);
    if (!bytes)
      throw ValidationError("content", "base64",
                            "an XLSX file is sent as its bytes in base64 (RFC 4648), e.g. as a "
                            "browser's FileReader.readAsDataURL gives them",
                            400);
    return readXlsx(*bytes);
  }
  if (content.starts_with("UEsDB"))  // "PK\x03\x04" in base64: a ZIP archive, an XLSX file
    throw ValidationError("format", "matches-content",
                          "the content is an XLSX file in base64: send format \"xlsx\"", 400);
  return readCsv(content);
}

Table uploadedTable(const Request& request) {
  const std::string_view file_format = request.fileFormat();
  if (file_format == "xlsx") return readXlsx(request.fileBytes());
  if (file_format == "csv") {
    if (request.fileBytes().starts_with("PK\x03\x04"))  // a ZIP archive: a workbook
      throw ValidationError("file", "matches-content",
                            "the body is an XLSX workbook: send it with Content-Type "
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            400);
    return readCsv(request.fileBytes());
  }
  const auto& body = request.body();
  const std::string& format = body.at("format").get_ref<const std::string&>();
  const std::string& content = body.at("content").get_ref<const std::string&>();
  // A CSV file as saved (CRLF lines, as the exports write them) may travel base64-encoded, for
  // a JSON text holding no carriage returns: {"encoding": "base64"} where a route declares it.
  if (format == "csv" && body.value("encoding", "text") == "base64") {
    const auto bytes = decodeBase64(content);
    if (!bytes)
      throw ValidationError("content", "base64", "encoding base64: the file in base64", 400);
    return readCsv(*bytes);
  }
  return readUploadedTable(format, content);
}

std::string uploadedFormat(const Request& request) {
  if (!request.fileFormat().empty()) return std::string(request.fileFormat());
  return request.body().at("format").get<std::string>();
}

std::string csvField(std::string_view text) {
  std::string value(text);
  const auto first = value.find_first_not_of(" \t\r\n");
  const bool formula = first != std::string::npos &&
                       std::string_view("=+-@").find(value[first]) != std::string_view::npos;
  if (formula || (!value.empty() && (value[0] == '\t' || value[0] == '\r'))) value = "'" + value;
  // readCsv trims unquoted fields: a value with leading or trailing blanks is quoted to keep them.
  const bool blank_edge = !value.empty() && (value.front() == ' ' || value.front() == '\t' ||
                                             value.back() == ' ' || value.back() == '\t');
  if (!blank_edge && value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string csvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) line += (i == 0 ? "" : ",") + csvField(fields[i]);
  return line + "\r\n";
}

}  // namespace civ::sdk
