// The rules of place names and divisions as pure functions (rules.md §5, §8.2): codes and
// levels, the scope of the duplicate and homophone check per category, forbidden content, rare
// characters, approving authorities and the 15-day filing and announcement limits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/date.h>

namespace civ::plugins::place_names {

// ---- Divisions (GB/T 2260, GB/T 10114 and the statistical codes, rules.md §8.2) ------------

/// The level a code's length gives: "county" (6 digits, any GB/T 2260 code), "township"
/// (9 digits), "village" (12 digits); nullopt for another length or a non-digit.
std::optional<std::string> levelOfCode(const std::string& code);

/// The kinds of division the register holds, by level.
bool isKindOfLevel(const std::string& kind, const std::string& level);

/// The township kind a 9-digit code's last three digits allow (GB/T 10114 as rules.md §8.2
/// gives it): 000–099 街道, 100–199 镇, 200–299 乡 or 民族乡, 400–599 farms, forestry units and
/// parks ("其他"). Empty when the range is not one of these.
std::vector<std::string> townshipKindsOfCode(const std::string& code);

/// Whether `code` sits under `parent`: a 9-digit code starts with its county's 6 digits, a
/// 12-digit code with its township's 9.
bool codeUnderParent(const std::string& code, const std::string& parent);

// ---- Place names (地名管理条例 2022) ------------------------------------------------------

/// The 8 categories of 地名管理条例 (2022) §2: natural_feature, division, settlement, street,
/// facility, park, heritage, other.
const std::vector<std::string>& categories();

/// Where no duplicate and no homophone may stand (§9 as rules.md §5.3 tabulates it).
enum class Scope { Country, Province, County, BuiltUpArea };
std::string scopeName(Scope scope);

/// The scope for a name of `category` with generic part `generic`: natural features and
/// county-level (and higher) division names the whole country; 乡, 镇 (and 街道, a township
/// too) the province; 村/居委会 seats (category settlement, or a division named 村 or 社区)
/// the county; streets, housing estates and buildings the built-up area. The law sets no scope
/// for facilities, parks, heritage sites and other names: the county (a choice, decisions.md).
Scope duplicateScope(const std::string& category, const std::string& generic);

/// Whether two county codes lie in one scope (country: always; province: same 2 digits;
/// county and built-up area: same county; the built-up area is compared by the caller).
bool sameScope(Scope scope, const std::string& county_a, const std::string& county_b);

/// The first word of `words` that `name` contains; nullopt when none.
std::optional<std::string> forbiddenWordIn(const std::string& name,
                                           const std::vector<std::string>& words);

/// The characters of `name` outside the check for common characters: anything that is not in
/// the CJK Unified Ideographs block U+4E00–U+9FFF (extensions A–G and compatibility ideographs
/// hold the rare characters 生僻字), except ASCII digits (street ordinals are Arabic digits).
/// This is the documented smaller check: the 通用规范汉字表 (8,105 characters) is not shipped.
std::vector<std::string> rareCharacters(const std::string& name);

/// Who may approve a name (§12; 行政区划管理条例 §7, §9): the allowed authorities; empty when
/// this module does not restrict them (facilities: their sector department; others).
std::vector<std::string> approvingAuthorities(const std::string& category,
                                              const std::string& generic);

/// Days after approval for filing (备案) and announcement (公告): 15 calendar days (as
/// rules.md §5.2 gives it; the limit is in days, not working days).
inline constexpr int kFilingDays = 15;
inline constexpr int kAnnouncementDays = 15;

/// The last day to file with the level above: approval + 15 days.
sdk::Date filingDue(sdk::Date approved_on);

/// The last day to announce: approval + 15 days when a government approved the name; when
/// another department approved it (住建, a sector department), 15 days from its filing, so
/// nullopt until it is filed.
std::optional<sdk::Date> announcementDue(sdk::Date approved_on, const std::string& authority,
                                         std::optional<sdk::Date> filed_on);

/// Whether an authority is a government (people's government at some level, or the State
/// Council) rather than a department.
bool isGovernment(const std::string& authority);

}  // namespace civ::plugins::place_names
