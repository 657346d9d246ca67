// The SDK's table reader (civ/sdk/table_file.h): XLSX workbooks written by libxlsxwriter (as
// Excel writes them: shared strings, styles, formulas with cached values) and parts written by
// hand where libxlsxwriter cannot (the 1904 date system, phonetic guides, other producers'
// cells), read back cell by cell; CSV; and every kind of bad file refused on "file" with 400.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>
#include <xlsxwriter.h>
#include <zip.h>

#include <gtest/gtest.h>

#include <civ/sdk/error.h>
#include <civ/sdk/table_file.h>

namespace civ::sdk {
namespace {

namespace fs = std::filesystem;
using Parts = std::vector<std::pair<std::string, std::string>>;
using Row = std::vector<std::string>;

const std::string kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fs::path tempPath(const std::string& suffix) {
  static int counter = 0;
  return fs::temp_directory_path() / ("civ-table-file-" + std::to_string(::getpid()) + "-" +
                                      std::to_string(++counter) + suffix);
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove(path);
  return bytes;
}

/// A workbook written by libxlsxwriter; bytes() closes it and returns the file.
class Workbook {
 public:
  explicit Workbook(bool constant_memory = false) : path_(tempPath(".xlsx")) {
    lxw_workbook_options options{};
    options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
    workbook_ = workbook_new_opt(path_.c_str(), &options);
  }
  lxw_worksheet* sheet(const char* name = nullptr) {
    return workbook_add_worksheet(workbook_, name);
  }
  lxw_format* numberFormat(const char* code) {
    lxw_format* format = workbook_add_format(workbook_);
    format_set_num_format(format, code);
    return format;
  }
  lxw_format* builtInFormat(std::uint8_t index) {
    lxw_format* format = workbook_add_format(workbook_);
    format_set_num_format_index(format, index);
    return format;
  }
  lxw_format* bold() {
    lxw_format* format = workbook_add_format(workbook_);
    format_set_bold(format);
    return format;
  }
  std::string bytes() {
    EXPECT_EQ(workbook_close(workbook_), LXW_NO_ERROR);
    return slurp(path_);
  }

 private:
  fs::path path_;
  lxw_workbook* workbook_;
};

/// A ZIP archive of the given parts, in that order.
std::string zipOf(const Parts& parts) {
  const fs::path path = tempPath(".zip");
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(archive, nullptr);
  for (const auto& [name, content] : parts) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    EXPECT_GE(zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8), 0) << name;
  }
  EXPECT_EQ(zip_close(archive), 0);
  return slurp(path);
}

/// The parts of a ZIP archive, in archive order.
Parts partsOf(const std::string& bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  Parts parts;
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
    zip_stat_t stat;
    zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat);
    std::string content(stat.size, '\0');
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    zip_fread(file, content.data(), content.size());
    zip_fclose(file);
    parts.emplace_back(stat.name, std::move(content));
  }
  zip_discard(archive);
  zip_error_fini(&error);
  return parts;
}

/// `bytes` with part `name`'s text changed by `edit`.
template <typename Edit>
std::string editPart(const std::string& bytes, const std::string& name, Edit edit) {
  Parts parts = partsOf(bytes);
  bool found = false;
  for (auto& [part, content] : parts)
    if (part == name) {
      content = edit(content);
      found = true;
    }
  EXPECT_TRUE(found) << name;
  return zipOf(parts);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

/// A minimal workbook written by hand: one worksheet (sheet XML inside <sheetData>), optional
/// shared strings and styles, other namespaces or workbook properties when asked.
struct HandMade {
  std::string sheet_data;
  std::string shared_strings;  // the <si> items; no part when empty
  std::string styles;          // the whole styleSheet content; no part when empty
  std::string workbook_properties;
  std::string main_namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

  std::string bytes() const {
    const std::string r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    std::string rels =
        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
        "openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" "
        "Type=\"" +
        r + "/worksheet\" Target=\"/xl/worksheets/data.xml\"/>";
    if (!shared_strings.empty())
      rels += "<Relationship Id=\"rId2\" Type=\"" + r + "/sharedStrings\" Target=\"strings.xml\"/>";
    if (!styles.empty())
      rels += "<Relationship Id=\"rId3\" Type=\"" + r + "/styles\" Target=\"./styles.xml\"/>";
    rels += "</Relationships>";
    Parts parts = {
        {"[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>"},
        {"_rels/.rels",
         "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/"
         "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" +
             r + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
        {"xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"" + main_namespace +
                                "\" xmlns:r=\"" + r + "\">" + workbook_properties +
                                "<sheets><sheet name=\"表1\" sheetId=\"1\" r:id=\"rId1\"/>"
                                "</sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels", rels},
        {"xl/worksheets/data.xml", "<?xml version=\"1.0\"?><worksheet xmlns=\"" + main_namespace +
                                       "\"><sheetData>" + sheet_data + "</sheetData></worksheet>"}};
    if (!shared_strings.empty())
      parts.emplace_back("xl/strings.xml", "<?xml version=\"1.0\"?><sst xmlns=\"" + main_namespace +
                                               "\">" + shared_strings + "</sst>");
    if (!styles.empty())
      parts.emplace_back("xl/styles.xml", "<?xml version=\"1.0\"?><styleSheet xmlns=\"" +
                                              main_namespace + "\">" + styles + "</styleSheet>");
    return zipOf(parts);
  }
};

/// The rule of the ValidationError `read` throws, after checking it names "file" with `status`.
template <typename Read>
std::string refusal(Read read, int status = 400) {
  try {
    read();
  } catch (const ValidationError& error) {
    EXPECT_EQ(error.status(), status);
    EXPECT_EQ(error.fieldErrors().size(), 1u);
    if (error.fieldErrors().empty()) return "";
    EXPECT_EQ(error.fieldErrors()[0].field, "file");
    EXPECT_FALSE(error.fieldErrors()[0].message.empty());
    return error.fieldErrors()[0].rule;
  } catch (const std::exception& error) {
    ADD_FAILURE() << "not a ValidationError: " << error.what();
    return "";
  }
  ADD_FAILURE() << "accepted";
  return "";
}

std::string xlsxRefusal(const std::string& bytes) {
  return refusal([&] { (void)readXlsx(bytes); });
}

// ---- XLSX written by libxlsxwriter ---------------------------------------------------------

TEST(XlsxTable, ReadsSharedStringsNumbersBooleansAndChineseText) {
  Workbook book;
  lxw_worksheet* sheet = book.sheet();
  worksheet_write_string(sheet, 0, 0, "姓名", nullptr);
  worksheet_write_string(sheet, 0, 1, "金额", nullptr);
  worksheet_write_string(sheet, 0, 2, "户数", nullptr);
  worksheet_write_string(sheet, 0, 3, "共同生活", nullptr);
  worksheet_write_string(sheet, 1, 0, "汉滨区关庙镇 张三", nullptr);
  worksheet_write_number(sheet, 1, 1, 1200, nullptr);
  worksheet_write_number(sheet, 1, 2, -3, nullptr);
  worksheet_write_boolean(sheet, 1, 3, 1, nullptr);
  worksheet_write_string(sheet, 2, 0, "汉滨区关庙镇 张三", nullptr);  // the same shared string
  worksheet_write_number(sheet, 2, 1, 1200.5, nullptr);
  worksheet_write_number(sheet, 2, 2, 0.1, nullptr);
  worksheet_write_boolean(sheet, 2, 3, 0, nullptr);
  worksheet_write_string(sheet, 3, 0, "tab\tand line\nbreak, \"quoted\"", nullptr);
  worksheet_write_number(sheet, 3, 1, 6230100010001, nullptr);  // 13 digits: exact
  worksheet_write_number(sheet, 3, 2, 999999999999999, nullptr);
  worksheet_write_number(sheet, 3, 3, 0, nullptr);
  const auto rows = readXlsx(book.bytes());
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (Row{"姓名", "金额", "户数", "共同生活"}));
  EXPECT_EQ(rows[1], (Row{"汉滨区关庙镇 张三", "1200", "-3", "true"}));
  EXPECT_EQ(rows[2], (Row{"汉滨区关庙镇 张三", "1200.5", "0.1", "false"}));
  EXPECT_EQ(rows[3],
            (Row{"tab\tand line\nbreak, \"quoted\"", "6230100010001", "999999999999999", "0"}));
}

TEST(XlsxTable, LongNumbersAreNeverPassedOffAsTheDigitsTyped) {
  // Excel keeps 15 significant digits: an 18-digit citizen ID typed as a number is rounded in
  // the file already. It comes back in exponent form, which no ID or account check accepts.
  Workbook book;
  lxw_worksheet* sheet = book.sheet();
  worksheet_write_number(sheet, 0, 0, 610902198808080915.0, nullptr);
  worksheet_write_number(sheet, 0, 1, 6230999988887777.0, nullptr);
  worksheet_write_number(sheet, 0, 2, 1e15, nullptr);
  worksheet_write_number(sheet, 0, 3, 1.5e-7, nullptr);
  worksheet_write_string(sheet, 0, 4, "610902198808080915", nullptr);  // as text: exact
  const auto rows = readXlsx(book.bytes());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "6.109021988080809e+17");
  EXPECT_EQ(rows[0][1], "6.230999988887777e+15");
  EXPECT_EQ(rows[0][2], "1e+15");
  EXPECT_EQ(rows[0][3], "1.5e-07");
  EXPECT_EQ(rows[0][4], "610902198808080915");
}

TEST(XlsxTable, InlineStringsAndRichTextRuns) {
  Workbook book(/*constant_memory=*/true);  // libxlsxwriter then writes inline strings
  lxw_worksheet* sheet = book.sheet();
  worksheet_write_string(sheet, 0, 0, "关庙镇", nullptr);
  worksheet_write_string(sheet, 0, 1, "清泉村", nullptr);
  const auto inline_rows = readXlsx(book.bytes());
  EXPECT_EQ(inline_rows, (Table{{"关庙镇", "清泉村"}}));

  Workbook rich;
  lxw_worksheet* rich_sheet = rich.sheet();
  lxw_format* bold = rich.bold();
  lxw_rich_string_tuple first = {nullptr, const_cast<char*>("汉滨区")};
  lxw_rich_string_tuple second = {bold, const_cast<char*>("江北街道")};
  lxw_rich_string_tuple third = {nullptr, const_cast<char*>(" 东坝社区")};
  lxw_rich_string_tuple* fragments[] = {&first, &second, &third, nullptr};
  worksheet_write_rich_string(rich_sheet, 0, 0, fragments, nullptr);
  EXPECT_EQ(readXlsx(rich.bytes()), (Table{{"汉滨区江北街道 东坝社区"}}));
}

TEST(XlsxTable, DatesByTheirFormatAndNumbersOtherwise) {
  Workbook book;
  lxw_worksheet* sheet = book.sheet();
  lxw_format* iso = book.numberFormat("yyyy-mm-dd");
  lxw_format* chinese = book.numberFormat("yyyy\"年\"m\"月\"d\"日\"");
  lxw_format* with_time = book.numberFormat("yyyy/mm/dd hh:mm");
  lxw_format* time_only = book.numberFormat("hh:mm");
  lxw_format* money = book.numberFormat("#,##0.00");
  lxw_format* built_in_date = book.builtInFormat(14);
  lxw_format* built_in_time = book.builtInFormat(20);
  lxw_datetime march = {2026, 3, 2, 0, 0, 0};
  lxw_datetime evening = {2025, 12, 31, 23, 59, 59.5};
  lxw_datetime noon = {0, 0, 0, 12, 0, 0};
  worksheet_write_datetime(sheet, 0, 0, &march, iso);
  worksheet_write_datetime(sheet, 0, 1, &march, chinese);
  worksheet_write_datetime(sheet, 0, 2, &evening, with_time);
  worksheet_write_datetime(sheet, 0, 3, &noon, time_only);
  worksheet_write_number(sheet, 0, 4, 1234.5, money);
  worksheet_write_datetime(sheet, 0, 5, &march, built_in_date);
  worksheet_write_datetime(sheet, 0, 6, &noon, built_in_time);
  worksheet_write_number(sheet, 0, 7, 46083, nullptr);  // the same serial, unformatted
  // Excel's 1900 system: serial 60 is the 1900-02-29 that never was.
  worksheet_write_number(sheet, 1, 0, 1, iso);
  worksheet_write_number(sheet, 1, 1, 59, iso);
  worksheet_write_number(sheet, 1, 2, 60, iso);
  worksheet_write_number(sheet, 1, 3, 61, iso);
  worksheet_write_number(sheet, 1, 4, 2958465, iso);
  worksheet_write_number(sheet, 1, 5, -1, iso);  // no date: stays a number
  const auto rows = readXlsx(book.bytes());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (Row{"2026-03-02", "2026-03-02", "2025-12-31", "0.5", "1234.5", "2026-03-02",
                          "0.5", "46083"}));
  EXPECT_EQ(rows[1], (Row{"1900-01-01", "1900-02-28", "1900-02-29", "1900-03-01", "9999-12-31",
                          "-1", "", ""}));
}

TEST(XlsxTable, The1904DateSystemWhenTheWorkbookSaysSo) {
  Workbook book;
  lxw_worksheet* sheet = book.sheet();
  lxw_datetime march = {2026, 3, 2, 0, 0, 0};
  worksheet_write_datetime(sheet, 0, 0, &march, book.numberFormat("yyyy-mm-dd"));
  worksheet_write_number(sheet, 0, 1, 0, book.numberFormat("yyyy-mm-dd"));
  const std::string bytes = editPart(book.bytes(), "xl/workbook.xml", [](std::string xml) {
    return replaced(xml, "<workbookPr", "<workbookPr date1904=\"1\"");
  });
  // The serial libxlsxwriter wrote for 2026-03-02 (1900 system) read on the 1904 system.
  EXPECT_EQ(readXlsx(bytes), (Table{{"2030-03-03", "1904-01-01"}}));
}

TEST(XlsxTable, FormulasGiveTheirCachedValues) {
  Workbook book;
  lxw_worksheet* sheet = book.sheet();
  worksheet_write_number(sheet, 0, 0, 2, nullptr);
  worksheet_write_formula_num(sheet, 0, 1, "=A1*3", nullptr, 6);
  worksheet_write_formula_str(sheet, 0, 2, "=\"低保\"&\"户\"", nullptr, "低保户");
  worksheet_write_formula_num(sheet, 0, 3, "=DATE(2026,3,2)", book.numberFormat("yyyy-mm-dd"),
                              46083);
  EXPECT_EQ(readXlsx(book.bytes()), (Table{{"2", "6", "低保户", "2026-03-02"}}));
}

TEST(XlsxTable, GapsAreEmptyCellsAndTrailingEmptyRowsAndColumnsGo) {
  Workbook book;
  lxw_worksheet* sheet = book.sheet();
  lxw_format* bold = book.bold();
  worksheet_write_string(sheet, 0, 0, "a", nullptr);
  worksheet_write_string(sheet, 0, 1, "b", nullptr);
  worksheet_write_string(sheet, 4, 0, "A5", nullptr);  // rows 2-4 empty
  worksheet_write_string(sheet, 4, 2, "C5", nullptr);  // B5 missing
  worksheet_write_blank(sheet, 4, 6, bold);            // a styled empty cell widens nothing
  worksheet_write_string(sheet, 6, 0, "", nullptr);    // empty text
  worksheet_write_blank(sheet, 9, 3, bold);            // trailing styled blank row
  const auto rows = readXlsx(book.bytes());
  EXPECT_EQ(rows,
            (Table{{"a", "b", ""}, {"", "", ""}, {"", "", ""}, {"", "", ""}, {"A5", "", "C5"}}));
}

TEST(XlsxTable, SheetsInTheWorkbooksOrderByNumberOrName) {
  Workbook book;
  lxw_worksheet* notes = book.sheet("说明");
  lxw_worksheet* data = book.sheet("数据");
  worksheet_write_string(notes, 0, 0, "请从第二个工作表导入", nullptr);
  worksheet_write_string(data, 0, 0, "household_ref", nullptr);
  worksheet_write_string(data, 1, 0, "H1", nullptr);
  const std::string bytes = book.bytes();
  EXPECT_EQ(xlsxSheetNames(bytes), (std::vector<std::string>{"说明", "数据"}));
  EXPECT_EQ(readXlsx(bytes), (Table{{"请从第二个工作表导入"}}));
  EXPECT_EQ(readTable(bytes, kXlsxType), (Table{{"请从第二个工作表导入"}}));
  EXPECT_EQ(readXlsx(bytes, 1), (Table{{"household_ref"}, {"H1"}}));
  EXPECT_EQ(readXlsx(bytes, "数据"), (Table{{"household_ref"}, {"H1"}}));
  EXPECT_EQ(refusal([&] { (void)readXlsx(bytes, 2); }), "xlsx-no-sheet");
  EXPECT_EQ(refusal([&] { (void)readXlsx(bytes, "Sheet1"); }), "xlsx-no-sheet");

  // Tabs moved: the workbook lists 数据 first, its file is still sheet2.xml. The first
  // worksheet is the first tab, not the first file.
  const std::string moved = editPart(bytes, "xl/workbook.xml", [](std::string xml) {
    const auto first = xml.find("<sheet name=\"说明\"");
    const auto second = xml.find("<sheet name=\"数据\"");
    const auto end = xml.find("</sheets>");
    const std::string a = xml.substr(first, second - first), b = xml.substr(second, end - second);
    return xml.substr(0, first) + b + a + xml.substr(end);
  });
  EXPECT_EQ(xlsxSheetNames(moved), (std::vector<std::string>{"数据", "说明"}));
  EXPECT_EQ(readXlsx(moved), (Table{{"household_ref"}, {"H1"}}));
}

TEST(XlsxTable, EscapedControlCharactersComeBack) {
  Workbook book;
  lxw_worksheet* sheet = book.sheet();
  worksheet_write_string(sheet, 0, 0, "第一行\r\n第二行", nullptr);
  EXPECT_EQ(readXlsx(book.bytes()), (Table{{"第一行\r\n第二行"}}));
}

// ---- XLSX parts written by hand: what other producers write --------------------------------

TEST(XlsxTable, OtherProducersCellsPhoneticGuidesAndStrictNamespaces) {
  HandMade book;
  book.shared_strings =
      "<si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/>"
      "</si><si><r><t xml:space=\"preserve\">a </t></r><r><rPr><b/></rPr><t>b</t></r></si>"
      "<si><t>x_x005F_x000D_y_x000D_z</t></si><si><t/></si>";
  book.sheet_data =
      // no r on rows or cells: one after the other
      "<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c><c t=\"s\"><v>2</v></c></row>"
      // an inline string with runs, an error value, an ISO date, a string formula
      "<row><c t=\"inlineStr\"><is><r><t>张</t></r><r><t>三</t></r></is></c><c t=\"e\">"
      "<v>#N/A</v></c><c t=\"d\"><v>2026-03-02T00:00:00</v></c><c t=\"str\"><f>A1</f>"
      "<v>東京</v></c></row>"
      // out of order, lower-case reference, an empty shared string, a cell without a value
      "<row r=\"4\"><c r=\"c4\"><v>3</v></c><c r=\"A4\"><v>1</v></c><c r=\"B4\" t=\"s\">"
      "<v>3</v></c><c r=\"D4\" t=\"s\"/></row>";
  EXPECT_EQ(readXlsx(book.bytes()), (Table{{"東京", "a b", "x_x000D_y\rz", ""},
                                           {"张三", "#N/A", "2026-03-02", "東京"},
                                           {"", "", "", ""},
                                           {"1", "", "3", ""}}));

  book.main_namespace = "http://purl.oclc.org/ooxml/spreadsheetml/main";  // strict OOXML
  book.styles =
      "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"[$-804]e&quot;年&quot;"
      "m&quot;月&quot;d&quot;日&quot;;@\"/><numFmt numFmtId=\"165\" formatCode=\"[h]:mm:ss\"/>"
      "<numFmt numFmtId=\"14\" formatCode=\"0.00\"/></numFmts>"
      "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
      "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
      "<xf numFmtId=\"14\"/><xf numFmtId=\"31\"/></cellXfs>";
  book.sheet_data =
      "<row r=\"1\"><c r=\"A1\" s=\"0\"><v>46083</v></c><c r=\"B1\" s=\"1\"><v>46083</v></c>"
      "<c r=\"C1\" s=\"2\"><v>1.25</v></c><c r=\"D1\" s=\"3\"><v>46083</v></c>"
      "<c r=\"E1\" s=\"4\"><v>46083.75</v></c><c r=\"F1\" s=\"99\"><v>7</v></c></row>";
  EXPECT_EQ(readXlsx(book.bytes()),
            (Table{{"46083", "2026-03-02", "1.25", "46083", "2026-03-02", "7"}}));
}

// ---- bad files -----------------------------------------------------------------------------

TEST(XlsxTable, WhatIsNotAnXlsxFileIsRefusedByName) {
  EXPECT_EQ(xlsxRefusal(""), "xlsx-not-zip");
  EXPECT_EQ(xlsxRefusal("household_ref,category\nH1,urban\n"), "xlsx-not-zip");
  EXPECT_EQ(xlsxRefusal(std::string("PK\x03\x04", 4) + std::string(200, 'x')), "xlsx-not-zip");
  EXPECT_EQ(xlsxRefusal(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(512, 0)),
            "xlsx-legacy-or-encrypted");
  EXPECT_EQ(xlsxRefusal(zipOf({{"word/document.xml", "<document/>"}})), "xlsx-no-workbook");
  EXPECT_EQ(refusal([] { (void)readTable("a,b\n", "application/pdf"); }, 415), "media-type");
}

TEST(XlsxTable, DamagedArchivesAndBrokenPartsAreRefused) {
  Workbook book;
  worksheet_write_string(book.sheet(), 0, 0, "汉滨区", nullptr);
  const std::string bytes = book.bytes();
  // Cut anywhere, or damaged in the middle: never a crash, always the file's fault.
  for (const std::size_t length : {bytes.size() / 4, bytes.size() / 2, bytes.size() - 30}) {
    const std::string rule = xlsxRefusal(bytes.substr(0, length));
    EXPECT_TRUE(rule == "xlsx-not-zip" || rule == "xlsx-malformed") << length << " " << rule;
  }
  for (std::size_t at = 40; at < bytes.size(); at += bytes.size() / 7) {
    std::string damaged = bytes;
    for (std::size_t i = at; i < std::min(at + 16, damaged.size()); ++i) damaged[i] ^= 0x5A;
    try {
      (void)readXlsx(damaged);  // a damaged byte in a part's name or padding may not matter
    } catch (const ValidationError& error) {
      EXPECT_EQ(error.fieldErrors().at(0).field, "file");
      EXPECT_EQ(error.status(), 400);
    }
  }
  EXPECT_EQ(
      xlsxRefusal(editPart(bytes, "xl/worksheets/sheet1.xml",
                           [](std::string xml) { return replaced(xml, "</row>", "</rov>"); })),
      "xlsx-malformed");
  EXPECT_EQ(xlsxRefusal(editPart(bytes, "xl/sharedStrings.xml",
                                 [](std::string xml) { return xml.substr(0, xml.size() / 2); })),
            "xlsx-malformed");

  HandMade hand;
  hand.sheet_data = "<row><c r=\"A0\"><v>1</v></c></row>";
  EXPECT_EQ(xlsxRefusal(hand.bytes()), "xlsx-malformed");
  hand.sheet_data = "<row><c r=\"XFE1\"><v>1</v></c></row>";  // past Excel's last column
  EXPECT_EQ(xlsxRefusal(hand.bytes()), "xlsx-malformed");
  hand.sheet_data = "<row r=\"1048577\"><c><v>1</v></c></row>";
  EXPECT_EQ(xlsxRefusal(hand.bytes()), "xlsx-malformed");
  hand.sheet_data = "<row><c><v>12abc</v></c></row>";
  EXPECT_EQ(xlsxRefusal(hand.bytes()), "xlsx-malformed");
  hand.sheet_data = "<row><c t=\"s\"><v>0</v></c></row>";  // no shared strings at all
  EXPECT_EQ(xlsxRefusal(hand.bytes()), "xlsx-malformed");
  hand.shared_strings = "<si><t>a</t></si>";
  hand.sheet_data = "<row><c t=\"s\"><v>1</v></c></row>";
  EXPECT_EQ(xlsxRefusal(hand.bytes()), "xlsx-malformed");
}

TEST(XlsxTable, ADoctypeIsRefusedSoEntitiesCannotExpand) {
  Workbook book;
  worksheet_write_string(book.sheet(), 0, 0, "x", nullptr);
  const std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;"
      "&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><sst xmlns=\"http://"
      "schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>&c;</t></si></sst>";
  EXPECT_EQ(xlsxRefusal(editPart(book.bytes(), "xl/sharedStrings.xml",
                                 [&](const std::string&) { return laughs; })),
            "xlsx-malformed");
}

TEST(XlsxTable, ZipBombsAndHugeSheetsStopAtTheLimits) {
  // 70 MiB of spaces inside the sheet part compress to a few tens of kilobytes.
  HandMade bomb;
  bomb.sheet_data = "<row><c><v>1</v></c></row>" + std::string(70u * 1024 * 1024, ' ');
  const std::string bytes = bomb.bytes();
  EXPECT_LT(bytes.size(), 1024u * 1024);
  EXPECT_EQ(xlsxRefusal(bytes), "too-large");

  // One text of 1 MiB, used by 100 cells: 100 MiB of cells.
  HandMade references;
  references.shared_strings = "<si><t>" + std::string(1024 * 1024, 'x') + "</t></si>";
  for (int row = 1; row <= 100; ++row)
    references.sheet_data += "<row r=\"" + std::to_string(row) + "\"><c t=\"s\"><v>0</v></c></row>";
  EXPECT_EQ(xlsxRefusal(references.bytes()), "too-large");

  // Two cells at opposite corners span Excel's whole sheet.
  HandMade corners;
  corners.sheet_data =
      "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"1048576\"><c r=\"XFD1048576\">"
      "<v>1</v></c></row>";
  EXPECT_EQ(xlsxRefusal(corners.bytes()), "too-large");
}

// ---- CSV -----------------------------------------------------------------------------------

TEST(CsvTable, QuotesEmbeddedLineBreaksAndAByteOrderMark) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "household_ref,name,address\r\n"
      "H1,张三,\"汉滨区, 江北街道\"\r\n"
      "H2,\"李\"\"四\"\"\",\"第一行\n第二行\"\r\n"
      "\r\n"
      "H3,,\r\n"
      ",,\r\n"
      ",,\n";
  const Table expected = {{"household_ref", "name", "address"},
                          {"H1", "张三", "汉滨区, 江北街道"},
                          {"H2", "李\"四\"", "第一行\n第二行"},
                          {"H3", "", ""}};
  EXPECT_EQ(readCsv(csv), expected);
  EXPECT_EQ(readTable(csv, "text/csv; charset=utf-8"), expected);
  EXPECT_EQ(readTable(csv, "Text/CSV"), expected);
  EXPECT_EQ(readCsv("a,b"), (Table{{"a", "b"}}));  // no line break at the end
  EXPECT_EQ(readCsv(" a ,\tb\t,\" c \"\n"), (Table{{"a", "b", " c "}}));  // trimmed unless quoted
  EXPECT_TRUE(readCsv("").empty());
}

TEST(CsvTable, BrokenQuotingAndOtherEncodingsAreRefused) {
  EXPECT_EQ(refusal([] { (void)readCsv("a,b\nH1,\"unclosed\n"); }), "csv-syntax");
  EXPECT_EQ(refusal([] { (void)readCsv("a,b\n\"x\"y,z\n"); }), "csv-syntax");
  // 张三 in GBK, as Excel's "CSV (逗号分隔)" saves it on a Chinese Windows.
  EXPECT_EQ(refusal([] { (void)readCsv("name\n\xD5\xC5\xC8\xFD\n"); }), "csv-encoding");
}

TEST(Base64, StandardAndUrlAlphabetsPaddingOptionalAndTheBrowsersDataUrlPrefix) {
  EXPECT_EQ(decodeBase64("5byg5LiJ"), "张三");
  EXPECT_EQ(decodeBase64("TWE="), "Ma");
  EXPECT_EQ(decodeBase64("TWE"), "Ma");
  EXPECT_EQ(decodeBase64("TW\nE="), "Ma");
  EXPECT_EQ(decodeBase64("_-8="), std::string("\xff\xef", 2));
  EXPECT_EQ(decodeBase64("data:text/plain;base64,TWE="), "Ma");
  EXPECT_EQ(decodeBase64("data:text/plain,TWE="), std::nullopt);  // not a base64 data URL
  EXPECT_EQ(decodeBase64("TWE=TQ"), std::nullopt);                // data after the padding
  EXPECT_EQ(decodeBase64("TW*="), std::nullopt);
  EXPECT_EQ(decodeBase64("T"), std::nullopt);  // six bits: not a whole byte
}

TEST(UploadedTable, CsvTextOrAnXlsxInBase64AndEachMistakeNamed) {
  const Table csv = readUploadedTable("csv", "name,town\n张三,关庙镇\n");
  ASSERT_EQ(csv.size(), 2u);
  EXPECT_EQ(csv[1][1], "关庙镇");
  const auto field_of = [](auto read) {
    try {
      read();
    } catch (const ValidationError& error) {
      EXPECT_EQ(error.status(), 400);
      return error.fieldErrors().at(0).field + ":" + error.fieldErrors().at(0).rule;
    }
    return std::string("no error");
  };
  EXPECT_EQ(field_of([] { (void)readUploadedTable("xlsx", "not base64!"); }), "content:base64");
  EXPECT_EQ(field_of([] { (void)readUploadedTable("csv", "UEsDBBQAAAAI"); }),
            "format:matches-content");
}

TEST(CsvWriting, QuotesWhatNeedsItAndNeutralisesFormulas) {
  EXPECT_EQ(csvField("关庙镇"), "关庙镇");
  EXPECT_EQ(csvField("a,b"), "\"a,b\"");
  EXPECT_EQ(csvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csvField("=SUM(A1)"), "'=SUM(A1)");
  EXPECT_EQ(csvField("  @cmd"), "'  @cmd");
  EXPECT_EQ(csvField("-5"), "'-5");  // numbers are not written through csvField
  EXPECT_EQ(csvLine({"户主", "a\nb", ""}), "户主,\"a\nb\",\r\n");
  EXPECT_EQ(csvField(" 东坝"), "\" 东坝\"");  // blanks kept: readCsv trims unquoted fields
  // What csvLine writes, readCsv reads back.
  const Table back = readCsv("h1,h2,h3\r\n" + csvLine({"x,y", "=1", "z"}));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1][0], "x,y");
  EXPECT_EQ(back[1][1], "'=1");
}

}  // namespace
}  // namespace civ::sdk
