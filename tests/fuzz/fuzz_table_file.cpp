// libFuzzer: the SDK's table reader (civ/sdk/table_file.h) on any bytes. The first byte picks
// what the rest is: 0 CSV text, 1 an XLSX file as uploaded, 2 the XML of a worksheet, its shared
// strings and its styles (separated by NUL bytes), packed into a workbook here so mutations reach
// the XML handlers rather than ZIP checksums. Whatever happens must be a table within the limits
// or a ValidationError on "file" with 400; anything else (a crash, another exception, a
// sanitizer report) is a finding.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include <zip.h>

#include <civ/sdk/error.h>
#include <civ/sdk/table_file.h>

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

/// A ZIP archive of `parts`, stored uncompressed, built in memory.
std::string zipOf(const std::vector<std::pair<std::string, std::string>>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  require(buffer != nullptr);
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  require(archive != nullptr);
  for (const auto& [name, content] : parts) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    const zip_int64_t index = zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8);
    require(index >= 0);
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  require(zip_close(archive) == 0);
  std::string bytes;
  require(zip_source_open(buffer) == 0);
  char chunk[65536];
  zip_int64_t got = 0;
  while ((got = zip_source_read(buffer, chunk, sizeof chunk)) > 0)
    bytes.append(chunk, static_cast<std::size_t>(got));
  zip_source_close(buffer);
  zip_source_free(buffer);
  zip_error_fini(&error);
  return bytes;
}

std::string workbookOf(std::string_view input) {
  std::vector<std::string> pieces(3);
  std::size_t piece = 0;
  for (const char c : input) {
    if (c == '\0' && piece < 2)
      ++piece;
    else
      pieces[piece] += c;
  }
  const std::string r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const std::string package = "http://schemas.openxmlformats.org/package/2006/relationships";
  return zipOf(
      {{"_rels/.rels", "<Relationships xmlns=\"" + package +
                           "\"><Relationship Id=\"rId1\" Type=\"" + r +
                           "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
       {"xl/workbook.xml",
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"" +
            r + "\"><sheets><sheet name=\"s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
       {"xl/_rels/workbook.xml.rels",
        "<Relationships xmlns=\"" + package + "\"><Relationship Id=\"rId1\" Type=\"" + r +
            "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" + r +
            "/sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" Type=\"" + r +
            "/styles\" Target=\"styles.xml\"/></Relationships>"},
       {"xl/worksheets/sheet1.xml", pieces[0]},
       {"xl/sharedStrings.xml", pieces[1]},
       {"xl/styles.xml", pieces[2]}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const int mode = data[0] % 3;
  try {
    civ::sdk::Table table;
    if (mode == 0) {
      table = civ::sdk::readTable(input, "text/csv");
    } else {
      table = civ::sdk::readTable(mode == 1 ? input : workbookOf(input),
                                  "application/vnd.openxmlformats-officedocument.spreadsheetml."
                                  "sheet");
      // A worksheet is a rectangle without trailing empty rows.
      for (const auto& row : table) require(row.size() == table.front().size());
      if (!table.empty()) {
        bool empty = true;
        for (const auto& cell : table.back()) empty = empty && cell.empty();
        require(!empty);
      }
    }
    require(table.size() <= civ::sdk::kTableMaxRows);
    std::size_t cells = 0;
    for (const auto& row : table) cells += row.size();
    require(cells <= civ::sdk::kTableMaxCells);
  } catch (const civ::sdk::ValidationError& error) {
    require(error.fieldErrors().size() == 1 && error.fieldErrors()[0].field == "file");
    require(error.status() == 400 && !error.fieldErrors()[0].message.empty());
  }
  return 0;
}
