// The module's figures for the county reports (rules.md §3.3 "Indicators"): beneficiaries by
// category, amounts paid by kind (confirmed runs of the period's months), overdue pension-file
// transfers, each by township; and the resettlement figures (resettlement.h).
#include <map>

#include <civ/sdk/indicator.h>

#include "resettlement.h"
#include "veterans_plugin.h"
#include "vocabulary.h"

namespace civ::plugins::veterans {

namespace {

/// Files on the rolls on the period's last day (filed by then, not dead by then).
std::string filesOn(const std::string& extra) {
  return " FROM vt_beneficiaries b WHERE b.county_code = :county AND b.registered_on <= :to AND"
         " (b.death_date IS NULL OR b.death_date > :to)" +
         extra;
}

/// Lines of the confirmed runs whose month lies in the period.
std::string paidIn(const std::string& extra) {
  return " FROM vt_payment_lines l JOIN vt_payment_runs r ON r.id = l.run_id JOIN vt_entitlements"
         " e ON e.id = l.entitlement_id JOIN vt_beneficiaries b ON b.id = e.beneficiary_id WHERE"
         " r.county_code = :county AND r.status = 'confirmed' AND r.month >= SUBSTR(:from, 1, 7)"
         " AND r.month <= SUBSTR(:to, 1, 7)" +
         extra;
}

/// The legal or statistical source of each indicator (SDK 1.4), for the statistician who checks it.
sdk::LocalizedText indicatorSource(const std::string& id) {
  if (id.starts_with("resettle"))
    return {"《退役军人安置条例》（2024年9月1日起施行）",
            "Regulations on the Resettlement of Retired Military Personnel (in force 2024-09-01)"};
  if (id == "overdue_transfers")
    return {"《军人抚恤优待条例》（2024）第三十条 残疾军人抚恤关系转移",
            "Regulations on Pensions and Preferential Treatment for Servicemen (2024) art. 30, "
            "transfer of a disabled serviceman's pension file"};
  return {"《军人抚恤优待条例》（2024）；退役军人事务统计 优抚对象",
          "Regulations on Pensions and Preferential Treatment for Servicemen (2024); veterans "
          "affairs statistics, entitled groups"};
}

}  // namespace

std::vector<sdk::IndicatorDeclaration> VeteransPlugin::indicators() const {
  std::vector<sdk::IndicatorDeclaration> list;
  list.push_back(sdk::sqlIndicator(
      "beneficiaries", {"优抚对象", "Beneficiaries"}, sdk::Measure::Count, "persons",
      {"期末在册的优抚对象（已建档、未死亡）", "Files on the rolls on the period's last day"},
      "SELECT COUNT(*)" + filesOn(""),
      "SELECT b.township, COUNT(*)" + filesOn(" GROUP BY b.township")));
  const auto categories = categorySchema();
  for (const auto& code : categories["enum"]) {
    const std::string category = code;
    const auto& labels = categories["x-civ-labels"][category];
    const std::string zh = labels.value("zh", category), en = labels.value("en", category);
    const std::string where = " AND b.category = '" + category + "'";
    list.push_back(sdk::sqlIndicator(
        "beneficiaries_" + category, {"优抚对象：" + zh, "Beneficiaries: " + en},
        sdk::Measure::Count, "persons",
        {"期末在册且类别为" + zh, "On the rolls on the last day, category " + category},
        "SELECT COUNT(*)" + filesOn(where),
        "SELECT b.township, COUNT(*)" + filesOn(where + " GROUP BY b.township")));
  }
  list.push_back(sdk::sqlIndicator(
      "paid_total", {"优抚资金发放", "Paid"}, sdk::Measure::Money, "fen",
      {"期间各月已复核发放名册之和（含补发、扣减）",
       "Every line of the confirmed runs of the period's months, adjustments included"},
      "SELECT SUM(l.amount_fen)" + paidIn(""),
      "SELECT b.township, SUM(l.amount_fen)" + paidIn(" GROUP BY b.township")));
  const std::pair<const char*, sdk::LocalizedText> kinds[] = {
      {"regular", {"正常发放", "regular"}},
      {"adjustment", {"补发/扣减", "adjustments"}},
      {"funeral_aid", {"丧葬补助", "funeral aid"}},
      {"one_time", {"一次性发放", "one-time payments"}},
      {"visit", {"慰问金", "holiday visits"}}};
  for (const auto& [kind, label] : kinds) {
    const std::string where = std::string(" AND l.kind = '") + kind + "'";
    list.push_back(sdk::sqlIndicator(
        std::string("paid_") + kind, {"发放：" + label.zh, "Paid: " + label.en},
        sdk::Measure::Money, "fen",
        {"期间各月已复核发放名册中的" + label.zh,
         "Lines of kind " + std::string(kind) + " of the confirmed runs of the period's months"},
        "SELECT SUM(l.amount_fen)" + paidIn(where),
        "SELECT b.township, SUM(l.amount_fen)" + paidIn(where + " GROUP BY b.township")));
  }
  list.push_back(sdk::IndicatorDeclaration{
      .id = "overdue_transfers",
      .name = {"抚恤关系逾期未转入", "Pension files overdue"},
      .unit = "persons",
      .description = {"期末日退役已超过60日仍未转入抚恤关系的残疾军人（§30）",
                      "Disabled servicemen whose pension file was not received within the days "
                      "after discharge, on the period's last day (§30)"},
      .compute =
          [this](soci::session& db, const sdk::IndicatorQuery& query) {
            return static_cast<std::int64_t>(
                overdueTransfersOf(*context_, db, query.county, query.to).size());
          },
      .measure = sdk::Measure::Count,
      .by_township =
          [this](soci::session& db, const sdk::IndicatorQuery& query) {
            std::map<std::string, std::int64_t> counts;
            for (const auto& overdue : overdueTransfersOf(*context_, db, query.county, query.to))
              ++counts[overdue.township];
            std::vector<sdk::TownshipValue> values;
            for (const auto& [township, n] : counts) values.push_back({township, n});
            return values;
          }});
  for (auto& indicator : resettlementIndicators()) list.push_back(std::move(indicator));
  for (auto& indicator : list) indicator.source = indicatorSource(indicator.id);
  return list;
}

}  // namespace civ::plugins::veterans
