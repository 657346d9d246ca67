#include "place_names_plugin.h"

#include <set>

#include <soci/soci.h>

#include <civ/sdk/context.h>
#include <civ/sdk/declarations.h>
#include <civ/sdk/indicator.h>
#include <civ/sdk/migration.h>
#include <civ/sdk/sql.h>

#include "place_rules.h"

namespace civ::plugins::place_names {

namespace {

/// The demo counties' divisions as the register starts with them. 鲤城区: the six 街道 the
/// bureau's 2006 report lists (seeds/003: "辖开元、鲤中、海滨、临江、江南、浮桥6个街道"), in
/// force from that report's date. 汉滨区: the townships the project's records use, from
/// 2001-01-01 (the district was set up from the county-level city of 安康 at the end of 2000).
/// The 9-digit codes follow GB/T 10114's ranges (街道 0xx, 镇 1xx) in the listed order; they are
/// not checked against the 国家统计局 table (decisions.md): correct them by PATCH if they differ.
std::string seedDivisions() {
  struct Row {
    const char *county, *code, *name, *level, *kind, *parent, *from;
  };
  const Row rows[] = {
      {"610902", "610902", "汉滨区", "county", "区", "610900", "2001-01-01"},
      {"610902", "610902001", "老城街道", "township", "街道", "610902", "2001-01-01"},
      {"610902", "610902002", "新城街道", "township", "街道", "610902", "2001-01-01"},
      {"610902", "610902003", "江北街道", "township", "街道", "610902", "2001-01-01"},
      {"610902", "610902101", "关庙镇", "township", "镇", "610902", "2001-01-01"},
      {"610902", "610902102", "恒口镇", "township", "镇", "610902", "2001-01-01"},
      {"610902", "610902103", "五里镇", "township", "镇", "610902", "2001-01-01"},
      {"350502", "350502", "鲤城区", "county", "区", "350500", "2006-04-29"},
      {"350502", "350502001", "开元街道", "township", "街道", "350502", "2006-04-29"},
      {"350502", "350502002", "鲤中街道", "township", "街道", "350502", "2006-04-29"},
      {"350502", "350502003", "海滨街道", "township", "街道", "350502", "2006-04-29"},
      {"350502", "350502004", "临江街道", "township", "街道", "350502", "2006-04-29"},
      {"350502", "350502005", "江南街道", "township", "街道", "350502", "2006-04-29"},
      {"350502", "350502006", "浮桥街道", "township", "街道", "350502", "2006-04-29"},
  };
  std::string sql =
      "INSERT INTO pn_divisions (county_code, code, name, level, kind, parent_code, valid_from)"
      " VALUES ";
  bool first = true;
  for (const auto& row : rows) {
    sql += std::string(first ? "" : ", ") + "('" + row.county + "', '" + row.code + "', '" +
           row.name + "', '" + row.level + "', '" + row.kind + "', '" + row.parent + "', '" +
           row.from + "')";
    first = false;
  }
  return sql;
}

/// Foreign place names the 2019 national clean-up of 大洋怪重 names named most often; a county
/// adds people's names, leaders' names and enterprise names through POST /forbidden-words.
std::string seedWords() {
  std::string sql = "INSERT INTO pn_forbidden_words (county_code, word, kind, note) VALUES ";
  bool first = true;
  for (const char* county : {"610902", "350502"})
    for (const char* word : {"曼哈顿", "威尼斯", "维也纳", "巴黎", "纽约", "加州", "香榭丽舍"}) {
      sql += std::string(first ? "" : ", ") + "('" + county + "', '" + word +
             "', 'foreign_place', '外国地名（地名管理条例 §9）')";
      first = false;
    }
  return sql;
}

}  // namespace

namespace {

/// The legal or statistical source of each indicator (SDK 1.4), for the statistician who checks it.
sdk::LocalizedText indicatorSource(const std::string& id) {
  if (id.starts_with("townships"))
    return {"《行政区划管理条例》（2018）；GB/T 2260、GB/T 10114",
            "Regulations on Administrative Divisions (2018); GB/T 2260, GB/T 10114"};
  if (id.starts_with("boundary"))
    return {"《行政区域界线管理条例》；平安边界建设 联合检查",
            "Regulations on Administrative Boundary Lines; joint boundary inspections"};
  return {"《地名管理条例》（2022）；《地名管理条例实施办法》（民政部令第71号）",
          "Regulations on Place Names (2022); their Implementing Measures (MCA Decree 71)"};
}

}  // namespace

void PlaceNamesPlugin::declare(sdk::Declarations& declarations) const {
  for (const auto& step : migrations()) declarations.migration(step);
  for (auto declaration : indicators()) {
    declaration.source = indicatorSource(declaration.id);
    declarations.indicator(declaration);
  }
}

std::vector<sdk::Migration> PlaceNamesPlugin::migrations() const {
  return {{1,
           "divisions over time, adjustments and successors, place names, reports, forbidden "
           "words",
           {"CREATE TABLE pn_adjustments ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, effective_on TEXT NOT NULL,"
            " document TEXT NOT NULL, authority TEXT NOT NULL, description TEXT NOT NULL,"
            " recorded_on TEXT NOT NULL, recorded_by TEXT NOT NULL)",
            "CREATE TABLE pn_divisions ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, code TEXT NOT NULL,"
            " name TEXT NOT NULL, level TEXT NOT NULL CHECK (level IN ('county', 'township',"
            " 'village')), kind TEXT NOT NULL, parent_code TEXT, valid_from TEXT NOT NULL,"
            " valid_to TEXT, created_by BIGINT REFERENCES pn_adjustments(id),"
            " ended_by BIGINT REFERENCES pn_adjustments(id))",
            "CREATE INDEX pn_divisions_code ON pn_divisions (code, valid_from)",
            "CREATE INDEX pn_divisions_county ON pn_divisions (county_code, parent_code)",
            "CREATE INDEX pn_divisions_created ON pn_divisions (created_by)",
            "CREATE INDEX pn_divisions_ended ON pn_divisions (ended_by)",
            "CREATE TABLE pn_successors ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
            " adjustment_id BIGINT NOT NULL REFERENCES pn_adjustments(id),"
            " old_code TEXT NOT NULL, new_code TEXT NOT NULL, kind TEXT NOT NULL)",
            "CREATE INDEX pn_successors_old ON pn_successors (old_code)",
            "CREATE INDEX pn_successors_new ON pn_successors (new_code)",
            "CREATE INDEX pn_successors_adjustment ON pn_successors (adjustment_id)",
            "CREATE TABLE pn_names ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, specific TEXT NOT NULL,"
            " generic TEXT NOT NULL, full_name TEXT NOT NULL, category TEXT NOT NULL,"
            " division_code TEXT NOT NULL, township TEXT NOT NULL, built_up_area TEXT NOT NULL,"
            " longitude DOUBLE PRECISION, latitude DOUBLE PRECISION, meaning TEXT NOT NULL,"
            " origin TEXT NOT NULL, reason TEXT NOT NULL, specific_pinyin TEXT,"
            " pinyin TEXT NOT NULL, pinyin_tones TEXT NOT NULL, pinyin_sign TEXT NOT NULL,"
            " pinyin_key TEXT NOT NULL,"
            " status TEXT NOT NULL CHECK (status IN ('proposed', 'standard', 'renamed',"
            " 'retired', 'refused')), protected INTEGER NOT NULL, protection_measures TEXT,"
            " renames BIGINT REFERENCES pn_names(id), applied_on TEXT NOT NULL,"
            " applied_by TEXT NOT NULL, approved_on TEXT, authority TEXT, document_number TEXT,"
            " filing_due TEXT, filed_on TEXT, announcement_due TEXT, announced_on TEXT,"
            " standard_from TEXT, ended_on TEXT, end_reason TEXT)",
            "CREATE INDEX pn_names_county ON pn_names (county_code, township)",
            "CREATE INDEX pn_names_full ON pn_names (full_name)",
            "CREATE INDEX pn_names_key ON pn_names (pinyin_key)",
            "CREATE INDEX pn_names_renames ON pn_names (renames)",
            "CREATE TABLE pn_name_reports ("
            " id {{ID_PRIMARY_KEY}}, name_id BIGINT NOT NULL REFERENCES pn_names(id),"
            " kind TEXT NOT NULL CHECK (kind IN ('assessment', 'expert', 'consultation')),"
            " on_date TEXT NOT NULL, summary TEXT NOT NULL, recorded_by TEXT NOT NULL,"
            " UNIQUE (name_id, kind))",
            "CREATE TABLE pn_forbidden_words ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, word TEXT NOT NULL,"
            " kind TEXT NOT NULL, note TEXT NOT NULL, UNIQUE (county_code, word))"},
           {}},
          {2,
           "the demo counties' divisions (汉滨区, 鲤城区) and a starting list of forbidden "
           "foreign place names",
           {seedDivisions(), seedWords()},
           {}},
          {3,
           "name signs (地名标志) and their inspections",
           {"CREATE TABLE pn_signs ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
            " name_id BIGINT NOT NULL REFERENCES pn_names(id), township TEXT NOT NULL,"
            " kind TEXT NOT NULL, text_zh TEXT NOT NULL, text_pinyin TEXT NOT NULL,"
            " longitude DOUBLE PRECISION, latitude DOUBLE PRECISION, responsible TEXT NOT NULL,"
            " installed_on TEXT NOT NULL, condition TEXT NOT NULL CHECK (condition IN ('good',"
            " 'damaged', 'missing')), inspected_on TEXT)",
            "CREATE INDEX pn_signs_county ON pn_signs (county_code, township)",
            "CREATE INDEX pn_signs_name ON pn_signs (name_id)",
            "CREATE TABLE pn_sign_inspections ("
            " id {{ID_PRIMARY_KEY}}, sign_id BIGINT NOT NULL REFERENCES pn_signs(id),"
            " inspected_on TEXT NOT NULL, condition TEXT NOT NULL, note TEXT NOT NULL,"
            " inspected_by TEXT NOT NULL)",
            "CREATE INDEX pn_sign_inspections_sign ON pn_sign_inspections (sign_id)"},
           {}},
          {4,
           "the county's boundary lines with its neighbours, their markers (界桩) and joint "
           "inspections (平安边界联检); the day a name came in with the gazetteer import",
           {"CREATE TABLE pn_boundary_lines ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, neighbour_code TEXT NOT NULL,"
            " neighbour_name TEXT NOT NULL, length_m BIGINT NOT NULL, description TEXT NOT NULL,"
            " geometry TEXT, recorded_on TEXT NOT NULL, recorded_by TEXT NOT NULL,"
            " UNIQUE (county_code, neighbour_code))",
            "CREATE TABLE pn_boundary_markers ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
            " line_id BIGINT NOT NULL REFERENCES pn_boundary_lines(id), number TEXT NOT NULL,"
            " kind TEXT NOT NULL, longitude DOUBLE PRECISION NOT NULL,"
            " latitude DOUBLE PRECISION NOT NULL, installed_on TEXT,"
            " condition TEXT NOT NULL CHECK (condition IN ('good', 'damaged', 'missing')),"
            " inspected_on TEXT, UNIQUE (county_code, number))",
            "CREATE INDEX pn_boundary_markers_line ON pn_boundary_markers (line_id)",
            "CREATE TABLE pn_boundary_inspections ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
            " line_id BIGINT NOT NULL REFERENCES pn_boundary_lines(id),"
            " inspected_on TEXT NOT NULL, sides TEXT NOT NULL, problems TEXT NOT NULL,"
            " rectification_due TEXT, rectified_on TEXT, rectification_note TEXT,"
            " recorded_by TEXT NOT NULL)",
            "CREATE INDEX pn_boundary_inspections_county ON pn_boundary_inspections"
            " (county_code, inspected_on)",
            "CREATE INDEX pn_boundary_inspections_line ON pn_boundary_inspections (line_id)",
            "CREATE TABLE pn_boundary_inspection_markers ("
            " id {{ID_PRIMARY_KEY}},"
            " inspection_id BIGINT NOT NULL REFERENCES pn_boundary_inspections(id),"
            " marker_id BIGINT NOT NULL REFERENCES pn_boundary_markers(id),"
            " condition TEXT NOT NULL, note TEXT NOT NULL)",
            "CREATE INDEX pn_boundary_inspection_markers_inspection ON"
            " pn_boundary_inspection_markers (inspection_id)",
            "CREATE INDEX pn_boundary_inspection_markers_marker ON"
            " pn_boundary_inspection_markers (marker_id)",
            "ALTER TABLE pn_names ADD COLUMN imported_on TEXT"},
           {}}};
}

std::vector<sdk::IndicatorDeclaration> PlaceNamesPlugin::indicators() const {
  const std::string standard_on_to =
      " FROM pn_names WHERE county_code = :county AND standard_from IS NOT NULL AND"
      " standard_from <= :to AND (ended_on IS NULL OR ended_on > :to)";
  std::vector<sdk::IndicatorDeclaration> all = {
      sdk::sqlIndicator("names_standard", {"标准地名数", "Standard names"}, sdk::Measure::Count,
                        "names",
                        {"期末处于标准状态的地名", "Names standard on the period's last day"},
                        "SELECT COUNT(*)" + standard_on_to,
                        "SELECT township, COUNT(*)" + standard_on_to + " GROUP BY township"),
      sdk::sqlIndicator(
          "names_proposed", {"地名命名申请", "Naming applications"}, sdk::Measure::Count, "names",
          {"期间内受理的命名、更名申请", "Naming and renaming applications in the period"},
          "SELECT COUNT(*) FROM pn_names WHERE county_code = :county AND applied_on >= :from AND"
          " applied_on <= :to AND imported_on IS NULL",
          "SELECT township, COUNT(*) FROM pn_names WHERE county_code = :county AND applied_on >="
          " :from AND applied_on <= :to AND imported_on IS NULL GROUP BY township"),
      sdk::sqlIndicator(
          "names_approved", {"批准命名、更名", "Names approved"}, sdk::Measure::Count, "names",
          {"批准日期在期间内（导入的历史地名不计）",
           "Approved in the period (names imported from a gazetteer not counted)"},
          "SELECT COUNT(*) FROM pn_names WHERE county_code = :county AND approved_on >= :from AND"
          " approved_on <= :to AND imported_on IS NULL",
          "SELECT township, COUNT(*) FROM pn_names WHERE county_code = :county AND approved_on >="
          " :from AND approved_on <= :to AND imported_on IS NULL GROUP BY township"),
      sdk::sqlIndicator(
          "renamings", {"地名更名", "Renamings"}, sdk::Measure::Count, "names",
          {"期间内因更名而停止使用的标准地名",
           "Standard names replaced by a new name in the period"},
          "SELECT COUNT(*) FROM pn_names WHERE county_code = :county AND status = 'renamed' AND"
          " ended_on >= :from AND ended_on <= :to",
          "SELECT township, COUNT(*) FROM pn_names WHERE county_code = :county AND status ="
          " 'renamed' AND ended_on >= :from AND ended_on <= :to GROUP BY township"),
  };
  all.push_back(sdk::sqlIndicator(
      "signs_set", {"设置地名标志", "Name signs set"}, sdk::Measure::Count, "signs",
      {"设置日期在期间内的地名标志", "Name signs installed in the period"},
      "SELECT COUNT(*) FROM pn_signs WHERE county_code = :county AND installed_on >= :from AND"
      " installed_on <= :to",
      "SELECT township, COUNT(*) FROM pn_signs WHERE county_code = :county AND installed_on >="
      " :from AND installed_on <= :to GROUP BY township"));
  all.push_back(sdk::sqlIndicator(
      "signs_needing_repair", {"待修复地名标志", "Name signs damaged or missing"},
      sdk::Measure::Count, "signs",
      {"期末最近一次巡查为损坏或缺失", "Damaged or missing at the latest inspection"},
      "SELECT COUNT(*) FROM pn_signs WHERE county_code = :county AND condition <> 'good' AND"
      " installed_on <= :to",
      "SELECT township, COUNT(*) FROM pn_signs WHERE county_code = :county AND condition <>"
      " 'good' AND installed_on <= :to GROUP BY township"));
  const std::pair<const char*, const char*> overdue[] = {{"filing", "filed_on"},
                                                         {"announcement", "announced_on"}};
  for (const auto& [what, done] : overdue) {
    const std::string tail = std::string(" FROM pn_names WHERE county_code = :county AND ") + what +
                             "_due < :to AND (" + done + " IS NULL OR " + done + " > :to)";
    const bool filing = std::string(what) == "filing";
    all.push_back(sdk::sqlIndicator(
        std::string(what) + "_overdue",
        filing ? sdk::LocalizedText{"逾期未备案", "Filings overdue"}
               : sdk::LocalizedText{"逾期未公告", "Announcements overdue"},
        sdk::Measure::Count, "names",
        filing ? sdk::LocalizedText{"期末已过批准后15日仍未备案",
                                    "On the last day: more than 15 days after approval, not filed"}
               : sdk::LocalizedText{"期末已过公告期限（批准或备案后15日）仍未公告",
                                    "On the last day: past the 15-day limit, not announced"},
        "SELECT COUNT(*)" + tail, "SELECT township, COUNT(*)" + tail + " GROUP BY township"));
  }
  const std::pair<const char*, const char*> labels[] = {
      {"natural_feature", "自然地理实体"},  {"division", "行政区划"}, {"settlement", "居民点"},
      {"street", "街路巷、住宅区、楼宇"},   {"facility", "设施"},     {"park", "园区、场"},
      {"heritage", "纪念地、遗址、风景区"}, {"other", "其他"}};
  for (const auto& [category, label] : labels) {
    const std::string tail = standard_on_to + " AND category = '" + category + "'";
    all.push_back(sdk::sqlIndicator(
        std::string("names_") + category,
        {std::string("标准地名：") + label, std::string("Standard names: ") + category},
        sdk::Measure::Count, "names",
        {"期末处于标准状态的该类地名", "Names of this category standard on the last day"},
        "SELECT COUNT(*)" + tail, "SELECT township, COUNT(*)" + tail + " GROUP BY township"));
  }
  struct Kind {
    const char *id, *in, *label;
  };
  const Kind kinds[] = {{"zhen", "'镇'", "镇"},
                        {"xiang", "'乡', '民族乡'", "乡（含民族乡）"},
                        {"minzuxiang", "'民族乡'", "其中：民族乡"},
                        {"jiedao", "'街道'", "街道"}};
  for (const auto& [id, in, label] : kinds) {
    all.push_back(sdk::sqlIndicator(
        std::string("townships_") + id,
        {std::string("乡级区划数：") + label, std::string("Townships: ") + id}, sdk::Measure::Count,
        "townships",
        {"期末有效的乡级区划（统计季报 JZH011110000）",
         "Township-level divisions in force on the last day"},
        std::string("SELECT COUNT(*) FROM pn_divisions WHERE county_code = :county AND level ="
                    " 'township' AND kind IN (") +
            in + ") AND valid_from <= :to AND (valid_to IS NULL OR valid_to > :to)"));
  }
  // Boundaries (行政区划管理条例; 平安边界 joint inspections): the county's as a whole, no
  // township breakdown.
  all.push_back(sdk::sqlIndicator(
      "boundary_inspections", {"边界联检次数", "Boundary joint inspections"}, sdk::Measure::Count,
      "boundaries", {"期间内完成的平安边界联检", "Joint boundary inspections in the period"},
      "SELECT COUNT(*) FROM pn_boundary_inspections WHERE county_code = :county AND"
      " inspected_on >= :from AND inspected_on <= :to"));
  const std::pair<const char*, const char*> conditions[] = {
      {"good", "完好"}, {"damaged", "损坏"}, {"missing", "缺失"}};
  for (const auto& [condition, label] : conditions)
    all.push_back(sdk::sqlIndicator(
        std::string("boundary_markers_") + condition,
        {std::string("界桩：") + label, std::string("Boundary markers: ") + condition},
        sdk::Measure::Count, "boundaries",
        {"期末状况（最近一次联检所见）", "Condition at the latest inspection"},
        std::string("SELECT COUNT(*) FROM pn_boundary_markers WHERE county_code = :county AND"
                    " condition = '") +
            condition + "' AND (installed_on IS NULL OR installed_on <= :to)"));
  all.push_back(sdk::sqlIndicator(
      "boundary_rectification_overdue", {"边界问题逾期未整改", "Boundary problems overdue"},
      sdk::Measure::Count, "boundaries",
      {"期末已过整改期限仍未整改的联检问题",
       "On the last day: past the rectification deadline, not rectified"},
      "SELECT COUNT(*) FROM pn_boundary_inspections WHERE county_code = :county AND"
      " rectification_due < :to AND (rectified_on IS NULL OR rectified_on > :to)"));
  return all;
}

void PlaceNamesPlugin::start(sdk::Context& context) {
  lists_ = std::make_unique<sdk::KeptQueryCache>(context.storage());
  context_ = &context;
  addRoutes();
}

void PlaceNamesPlugin::stop() noexcept { lists_.reset(); }

void* PlaceNamesPlugin::capability(std::string_view interface_id) noexcept {
  if (interface_id == sdk::Divisions::kInterfaceId) return static_cast<sdk::Divisions*>(this);
  return nullptr;
}

std::vector<sdk::CurrentDivision> PlaceNamesPlugin::currentOf(soci::session& db,
                                                              const std::string& county,
                                                              const std::string& recorded,
                                                              sdk::Date on) const {
  // Records hold a township by name ("江北街道") or by code: the division that last bore it.
  std::optional<std::string> code;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT code FROM pn_divisions WHERE county_code = :c AND (code = :r1 OR"
                     " name = :r2) ORDER BY valid_from DESC, id DESC LIMIT 1",
       soci::use(county), soci::use(recorded), soci::use(recorded));
  for (const auto& row : rows) {
    code = sdk::sql::textAt(row, 0);
    break;
  }
  std::vector<sdk::CurrentDivision> current;
  if (!code) return current;
  for (const auto& division : todayOf(db, county, *code, on))
    current.push_back({division.code, division.name});
  return current;
}

std::optional<Division> PlaceNamesPlugin::divisionOn(soci::session& db, const std::string& county,
                                                     const std::string& code, sdk::Date on) const {
  const std::string day = on.toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, code, name, level, kind, parent_code, valid_from, valid_to FROM"
                     " pn_divisions WHERE county_code = :c AND code = :code AND valid_from <= :d1"
                     " AND (valid_to IS NULL OR valid_to > :d2)",
       soci::use(county), soci::use(code), soci::use(day), soci::use(day));
  for (const auto& row : rows)
    return Division{sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1),
                    sdk::sql::textAt(row, 2),  sdk::sql::textAt(row, 3),
                    sdk::sql::textAt(row, 4),  sdk::sql::textAt(row, 5),
                    sdk::sql::textAt(row, 6),  sdk::sql::optionalTextAt(row, 7)};
  return std::nullopt;
}

std::vector<Division> PlaceNamesPlugin::todayOf(soci::session& db, const std::string& county,
                                                const std::string& code, sdk::Date today) const {
  std::vector<Division> found;
  std::set<std::string> seen{code};
  std::vector<std::string> pending{code};
  while (!pending.empty() && seen.size() < 1000) {
    const std::string current = pending.back();
    pending.pop_back();
    if (auto division = divisionOn(db, county, current, today)) {
      found.push_back(*division);
      continue;
    }
    std::vector<std::string> next;
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT new_code FROM pn_successors WHERE county_code = :c AND old_code ="
                       " :o ORDER BY id",
         soci::use(county), soci::use(current));
    for (const auto& row : rows) next.push_back(sdk::sql::textAt(row, 0));
    for (const auto& successor : next)
      if (seen.insert(successor).second) pending.push_back(successor);
  }
  std::sort(found.begin(), found.end(),
            [](const Division& a, const Division& b) { return a.code < b.code; });
  return found;
}

}  // namespace civ::plugins::place_names
