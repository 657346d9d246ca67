// Reading a table a clerk uploads — a CSV file or an Excel workbook (XLSX) — as rows of text
// cells, for a module's import. One reader for every module, so every import treats files the
// same way: the same cell texts, the same limits, the same errors.
//
//   const auto rows = sdk::readTable(bytes, sdk::kXlsx);   // or sdk::kCsv
//   // rows[0] is the header row; rows[i] is the spreadsheet's row i + 1
//
// Cells are UTF-8 text exactly as the clerk sees them, with these rules for XLSX:
// - text cells (shared strings, inline strings, rich text: the runs joined, phonetic guides
//   left out) are their text; a formula's result is its cached value (no formula is evaluated);
// - a number is written without exponent or trailing ".0" when it is a whole number of at most
//   15 digits ("1200", "6230100010001"), else in the shortest form that reads back as the same
//   double ("1200.5", "0.1", "6.230999988887777e+15"). Excel keeps only 15 significant digits, so
//   an 18-digit citizen ID or a 16-19 digit bank card typed as a number is already rounded in
//   the file: such a value never comes back as plain digits. Format those columns as text
//   (文本) in the template; text cells are read exactly;
// - a number formatted as a date (built-in formats 14-17, 22, the Chinese built-ins 27-31, 36,
//   50-54, 57, 58, or a custom format with a year or day part) is the date, "YYYY-MM-DD" (the time
//   of day of a date-time is dropped). Excel's 1900 date system is followed, including its
//   non-existent 1900-02-29 (serial 60), and the 1904 system when the workbook uses it. A number
//   formatted as a time only stays a number (a fraction of a day);
// - booleans are "true" and "false"; an error value is its text ("#N/A", "#DIV/0!").
// The table is a rectangle: a missing cell (C5 after A5) is "", every row has as many cells as
// the widest row of the sheet, an empty row inside the sheet is a row of "" (so row numbers stay
// the spreadsheet's), and trailing empty rows and columns are dropped.
//
// CSV is RFC 4180 in UTF-8, with or without a byte-order mark: fields separated by commas,
// quoted with '"' when they hold commas, quotes ('""') or line breaks; CRLF or LF. Spaces and
// tabs around an unquoted field are trimmed (quote a field to keep them). Rows keep their own
// number of fields; blank lines are skipped and trailing rows of only empty fields dropped.
//
// Bad files are the uploader's mistake, never a server error: every problem throws
// ValidationError on the field "file" with status 400 and a message saying what to do. Rules:
//   "media-type" (neither CSV nor XLSX; status 415), "csv-syntax" (a quote opened and not
//   closed, text after a closing quote), "csv-encoding" (not UTF-8: Excel's "CSV (逗号分隔)"
//   saves GBK), "xlsx-not-zip" (not an XLSX file at all),
//   "xlsx-legacy-or-encrypted" (an old .xls file, or a workbook with a password to open),
//   "xlsx-no-workbook" (a ZIP file without a workbook), "xlsx-malformed" (a broken part, XML that
//   is not well-formed, a DOCTYPE, a bad cell reference), "xlsx-no-sheet" (no such worksheet),
//   "too-large" (more than kTableMaxBytes of uncompressed content or of cell text, more rows
//   than kTableMaxRows, more cells than kTableMaxCells: a "zip bomb" is refused here).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <civ/sdk/abi.h>

namespace civ::sdk {

class Request;

/// Rows of cells, each cell UTF-8 text ("" when empty).
using Table = std::vector<std::vector<std::string>>;

/// Limits on what one file may expand to. An XLSX file is a ZIP archive: a few kilobytes can
/// unpack to gigabytes, so the reader stops at these, whatever the file's own headers claim.
inline constexpr std::size_t kTableMaxBytes = 64u * 1024 * 1024;  ///< uncompressed, and cell text
inline constexpr std::size_t kTableMaxRows = 1'048'576;           ///< Excel's own row limit
/// Rows x columns, empty cells included: 8,000,000 holds a county register of 100,000 households
/// (243,000 members x 25 columns, 55 MB of CSV) in one file (it was 2,000,000, which refused that).
inline constexpr std::size_t kTableMaxCells = 8'000'000;

/// Reads a file of `media_type`: "text/csv" (sdk::kCsv; parameters such as "; charset=utf-8" are
/// ignored, the text must be UTF-8) or "application/vnd.openxmlformats-officedocument.
/// spreadsheetml.sheet" (sdk::kXlsx, both in route_builder.h: the first worksheet). Throws
/// ValidationError on "file" (see above); status 415 for another media type.
CIV_SDK_API Table readTable(std::string_view bytes, std::string_view media_type);

/// Reads CSV text (see above).
CIV_SDK_API Table readCsv(std::string_view text);

/// Reads worksheet number `sheet` of an XLSX workbook: 0 is the first worksheet in the order
/// the workbook lists its sheets (the tabs' order, hidden sheets included; chart sheets are not
/// worksheets and are skipped), not the order of the files inside the archive.
CIV_SDK_API Table readXlsx(std::string_view bytes, std::size_t sheet = 0);

/// Reads the worksheet named `sheet_name` (exactly as on its tab). "xlsx-no-sheet" when none.
CIV_SDK_API Table readXlsx(std::string_view bytes, std::string_view sheet_name);

/// The names of the workbook's worksheets, in the order readXlsx(bytes, index) counts them.
CIV_SDK_API std::vector<std::string> xlsxSheetNames(std::string_view bytes);

// ---- uploads in a JSON body (SDK 1.3) ----

/// The bytes of base64 text (RFC 4648, standard or URL alphabet, padding optional, white space
/// ignored), after an optional "data:<type>;base64," prefix as a browser's FileReader gives it;
/// nullopt when it is not base64.
CIV_SDK_API std::optional<std::string> decodeBase64(std::string_view text);

/// The table of a file a client sent inside a JSON body as {"format": "csv", "content": <the
/// CSV text>} or {"format": "xlsx", "content": <the workbook in base64>} (the console's upload;
/// the first worksheet). Throws ValidationError 400 on "content" (rule "base64") for XLSX content
/// that is not base64, on "format" ("matches-content") for an XLSX file sent as CSV, and the
/// readers' "file" errors.
CIV_SDK_API Table readUploadedTable(std::string_view format, std::string_view content);

// ---- uploads either way (SDK 1.5) ----

/// The table a request uploads, whichever way it came: the body itself as a file (a route
/// declared with Route::acceptsFile(), Content-Type text/csv or XLSX) or the JSON form
/// {"format", "content"} (readUploadedTable). The same errors as those readers.
CIV_SDK_API Table uploadedTable(const Request& request);

/// "csv" or "xlsx": the format of what uploadedTable(request) reads (for the audit row).
CIV_SDK_API std::string uploadedFormat(const Request& request);

// ---- writing CSV (SDK 1.3) ----

/// One CSV field as readCsv and spreadsheets read it back: quoted when it holds a comma, quote or
/// line break (quotes doubled); a field a spreadsheet would evaluate (=, +, - or @ first, also
/// after leading blanks, or a leading tab or carriage return) gets a leading apostrophe (OWASP
/// CSV injection). Write numbers yourself, not through this.
CIV_SDK_API std::string csvField(std::string_view text);

/// Text fields as one CSV line ending in CRLF (RFC 4180), each through csvField (so a negative
/// number given here gets the apostrophe: join numeric columns yourself).
CIV_SDK_API std::string csvLine(const std::vector<std::string>& fields);

}  // namespace civ::sdk
