#include "vocabulary.h"

#include <utility>
#include <vector>

#include <civ/sdk/schema.h>

#include "national_table.h"
#include "veterans_rules.h"

namespace civ::plugins::veterans {

namespace {

using nlohmann::json;
using namespace sdk::schema;
using Labels = std::vector<std::pair<std::string, sdk::LocalizedText>>;

Labels categories() {
  return {{"serviceman", {"军人", "serviceman"}},
          {"disabled_serviceman", {"残疾军人", "disabled serviceman"}},
          {"martyr_survivor", {"烈士遗属", "martyr's survivor"}},
          {"duty_death_survivor", {"因公牺牲军人遗属", "survivor of a death on duty"}},
          {"illness_death_survivor", {"病故军人遗属", "survivor of a death of illness"}},
          {"family", {"军人家属", "serviceman's family"}},
          {"veteran", {"退役军人", "veteran"}}};
}

Labels subsidyGroups() {
  return {{"war_participant", {"参战退役人员", "war participant"}},
          {"test_participant", {"参试退役人员", "weapons-test participant"}},
          {"returned_ill", {"带病回乡退役军人", "returned home with illness"}},
          {"rural_veteran_60", {"年满60周岁农村籍退役士兵", "rural veteran aged 60 or more"}},
          {"enlisted_before_1954",
           {"1954年10月31日之前入伍的老复员军人（在乡老复员军人）",
            "enlisted on or before 1954-10-31 (在乡老复员军人)"}},
          {"martyr_child_60", {"烈士子女（年满60周岁）", "martyr's child aged 60 or more"}}};
}

Labels hukous() { return {{"rural", {"农村", "rural"}}, {"urban", {"城镇", "urban"}}}; }
Labels rankTypes() {
  return {{"officer", {"军官", "officer"}},
          {"nco", {"军士", "non-commissioned officer"}},
          {"conscript", {"义务兵", "conscript"}}};
}
Labels natures() {
  return {{"war", {"因战", "in war"}},
          {"duty", {"因公", "on duty"}},
          {"illness", {"因病", "of illness"}}};
}
Labels relationships() {
  return {{"parent", {"父母（抚养人）", "parent"}},
          {"spouse", {"配偶", "spouse"}},
          {"child", {"子女", "child"}},
          {"sibling", {"兄弟姐妹", "sibling"}},
          {"other", {"其他", "other"}}};
}

}  // namespace

std::vector<std::pair<std::string, sdk::LocalizedText>> labelsOf(const std::string& vocabulary) {
  if (vocabulary == "category") return categories();
  if (vocabulary == "subsidy_group") return subsidyGroups();
  if (vocabulary == "hukou") return hukous();
  if (vocabulary == "rank_type") return rankTypes();
  if (vocabulary == "nature") return natures();
  if (vocabulary == "relationship") return relationships();
  return {};
}

json categorySchema() { return enumOf(categories()); }
json subsidyGroupSchema() { return enumOf(subsidyGroups()); }
json visitGroupSchema() {
  Labels all = categories();
  for (auto& group : subsidyGroups()) all.push_back(std::move(group));
  return describe(enumOf(all), {"类别或补助群体", "A category or a §62 group"});
}
json hukouSchema() { return enumOf(hukous()); }
json rankTypeSchema() { return enumOf(rankTypes()); }
json honourLevelSchema() {
  Labels levels;
  for (const auto& level : kHonourLevels) levels.push_back({level.code, {level.zh, level.en}});
  return describe(enumOf(levels), {"荣誉等级（§16）", "Honour level (§16)"});
}
json natureSchema() { return enumOf(natures()); }
json deathKindSchema() {
  return enumOf({{"martyr", {"烈士", "martyr"}},
                 {"duty", {"因公牺牲", "died on duty"}},
                 {"illness", {"病故", "died of illness"}}});
}
json relationshipSchema() { return enumOf(relationships()); }
json documentSchema() {
  return enumOf({{"id_card", {"居民身份证", "identity card"}},
                 {"hukou_register", {"户口簿", "household register"}},
                 {"bank_account_proof", {"银行账户（一卡通）", "bank account"}},
                 {"discharge_certificate", {"退役证件", "discharge certificate"}},
                 {"disability_certificate", {"残疾军人证", "disability certificate"}},
                 {"disability_assessment", {"残疾等级评定材料", "disability assessment"}},
                 {"martyr_certificate", {"烈士证明书", "martyr certificate"}},
                 {"death_certificate",
                  {"因公牺牲、病故军人证明书", "certificate of death on duty or of illness"}},
                 {"relationship_proof", {"亲属关系证明", "proof of relationship"}},
                 {"group_proof", {"参战、参试等身份认定材料", "proof of the §62 group"}}});
}
json beneficiaryStatusSchema() {
  return enumOf({{"active", {"在册", "on the rolls"}}, {"deceased", {"死亡", "deceased"}}});
}
json entitlementTypeSchema() {
  return enumOf({{"disability_pension", {"残疾抚恤金", "disability pension"}},
                 {"survivor_pension", {"定期抚恤金", "periodic survivors' pension"}},
                 {"living_subsidy", {"定期生活补助", "periodic living subsidy"}},
                 {"care_allowance", {"护理费", "care allowance"}},
                 {"hardship", {"困难补助", "county hardship top-up"}},
                 {"martyr_honour", {"烈士褒扬金", "martyr honour payment"}},
                 {"death_lump_sum", {"一次性抚恤金", "one-time death pension"}},
                 {"visit", {"慰问金", "holiday visit"}}});
}
json periodicTypeSchema() {
  return enumOf({{"disability_pension", {"残疾抚恤金", "disability pension (§27)"}},
                 {"survivor_pension", {"定期抚恤金", "periodic survivors' pension (§19)"}},
                 {"living_subsidy", {"定期生活补助", "periodic living subsidy (§62)"}},
                 {"care_allowance", {"护理费", "care allowance (§34)"}},
                 {"hardship", {"困难补助", "county hardship top-up (§21, §31)"}}});
}
json entitlementStatusSchema() {
  return enumOf({{"proposed", {"待复核", "proposed, awaiting confirmation"}},
                 {"active", {"发放中", "active"}},
                 {"ended", {"已终止", "ended"}},
                 {"cancelled", {"已取消", "cancelled"}}});
}
json endReasonSchema() {
  return enumOf({{"death", {"死亡", "death"}},
                 {"death_sentence", {"被判处死刑", "death sentence (§59)"}},
                 {"life_sentence", {"被判处无期徒刑", "life sentence (§59)"}},
                 {"expulsion", {"被开除军籍", "expelled from the army (§59)"}},
                 {"fraud", {"骗取待遇", "fraud (§58)"}},
                 {"other", {"其他", "other"}}});
}
json endReasonBodySchema() {
  return enumOf({{"death_sentence", {"被判处死刑", "death sentence (§59)"}},
                 {"life_sentence", {"被判处无期徒刑", "life sentence (§59)"}},
                 {"expulsion", {"被开除军籍", "expelled from the army (§59)"}},
                 {"fraud", {"骗取待遇（追回）", "fraud: recovered (§58)"}},
                 {"other", {"其他（不再符合条件）", "other: no longer qualifies"}}});
}
json suspensionReasonSchema() {
  return enumOf({{"imprisonment", {"服刑期间", "serving a prison sentence (§59)"}},
                 {"other", {"其他", "other"}}});
}
json dueKindSchema() {
  return enumOf({{"adjustment", {"补发/扣减", "adjustment"}},
                 {"funeral_aid", {"丧葬补助", "funeral aid"}},
                 {"one_time", {"一次性发放", "one-time payment"}},
                 {"visit", {"慰问金", "holiday visit"}}});
}
json standardItemSchema() {
  Labels items;
  for (const auto& item : kStandardItems) items.push_back({item.code, {item.zh, item.en}});
  return enumOf(items);
}
json seasonSchema() {
  return enumOf({{"spring_festival", {"春节", "Spring Festival"}},
                 {"army_day", {"八一建军节", "Army Day"}},
                 {"mid_autumn", {"中秋节", "Mid-Autumn Festival"}},
                 {"national_day", {"国庆节", "National Day"}},
                 {"other", {"其他", "other"}}});
}
json computationSchema() {
  return describe(
      object({{"rule", describe(text(500), {"计算公式", "The formula applied"})},
              {"income_year", describe(integer(1949), {"收入年度", "Year of the income used"})},
              {"income", describe(money(), {"全国城镇居民人均可支配收入（元）",
                                            "National urban per-capita disposable income of that "
                                            "year (yuan)"})},
              {"income_multiple",
               describe(integer(1), {"收入倍数", "Times the income: 30, 20 or 2 (§15)"})},
              {"monthly_pay", describe(optional(money()), {"本人月基本工资（元）",
                                                           "Monthly basic pay used, at least a "
                                                           "少尉's (yuan)"})},
              {"lieutenant_pay",
               describe(optional(money()),
                        {"少尉月基本工资（元）", "Second lieutenant's monthly basic pay (yuan)"})},
              {"base", describe(money(), {"增发前金额（元）",
                                          "The amount before the honour supplement (yuan)"})},
              {"honour", optional(nullable(honourLevelSchema()))},
              {"supplement_percent", describe(optional(integer(0, 100)),
                                              {"增发比例（%）", "Honour supplement (§16), %"})},
              {"supplement",
               describe(optional(money()), {"增发金额（元）", "Honour supplement (yuan)"})},
              {"amount", money()}}),
      {"计算过程", "How the amount was computed from the national table"});
}

}  // namespace civ::plugins::veterans
