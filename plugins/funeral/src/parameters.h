// The policy parameters funeral reads, each declared once as a typed constant (policy.h):
// declared to the host in FuneralPlugin::declare and read only through the same constant.
//
// Levels: the zones are set by the province (rules.md §6.2), but the policy store has no
// township level, so `cremation_zone` is the county's default (a township's own zone is module
// data, docs/decisions.md) and stays settable by the county. The plot limits are national
// maxima a province or county may only tighten (the maximum is the national limit). Every
// parameter accepts a value at county level (lowest_level County).
#pragma once

#include <stdexcept>
#include <string>

#include <civ/sdk/policy.h>

namespace civ::plugins::funeral {

// --- Zones and plots ---------------------------------------------------------------------------

inline constexpr sdk::BoolParameter kCremationZone{
    "cremation_zone",
    "",
    "true",
    {"火葬区（县默认，乡镇可另行设定）",
     "The county is a cremation zone (a township setting overrides it)"}};

inline constexpr sdk::RatioParameter kPlotMaxAreaAshes{
    "plot.max_area.ashes",
    "m²",
    "1",
    {"骨灰墓穴面积上限（平方米）", "Largest ashes plot (national limit 1 m²)"},
    "0.1",
    "1"};

inline constexpr sdk::RatioParameter kPlotMaxAreaBodySingle{
    "plot.max_area.body_single",
    "m²",
    "4",
    {"单人遗体墓穴面积上限", "Largest single body plot (national limit 4 m²)"},
    "0.5",
    "4"};

inline constexpr sdk::RatioParameter kPlotMaxAreaBodyDouble{
    "plot.max_area.body_double",
    "m²",
    "6",
    {"双人遗体墓穴面积上限", "Largest double body plot (national limit 6 m²)"},
    "0.5",
    "6"};

inline constexpr sdk::IntegerParameter kPlotUseYears{
    "plot.use_years", "years", "20", {"墓穴使用周期（年）", "Use period of a plot"}, "1", "20"};

// --- 惠民殡葬: who is exempt ---------------------------------------------------------------------

inline constexpr sdk::BoolParameter kExemptionTekun{
    "exemption.tekun", "", "true", {"特困人员免除基本殡葬费", "特困 persons are exempt"}};

inline constexpr sdk::BoolParameter kExemptionDibao{
    "exemption.dibao", "", "true", {"低保对象免除基本殡葬费", "低保 recipients are exempt"}};

inline constexpr sdk::BoolParameter kExemptionVeteran{
    "exemption.veteran",
    "",
    "false",
    {"重点优抚对象免除基本殡葬费", "重点优抚 veterans are exempt"}};

inline constexpr sdk::BoolParameter kExemptionUnidentified{
    "exemption.unidentified",
    "",
    "true",
    {"无名遗体免除基本殡葬费", "Unidentified bodies are exempt"}};

inline constexpr sdk::BoolParameter kExemptionAllResidents{
    "exemption.all_residents",
    "",
    "false",
    {"全体居民免除基本殡葬费", "Every resident is exempt (e.g. 勃利县)"}};

// --- 惠民殡葬: the cap of each item -------------------------------------------------------------

inline constexpr sdk::MoneyParameter kExemptionCapCollection{
    "exemption.cap.collection",
    "yuan",
    "300.00",
    {"遗体接运减免上限", "Cap of the collection item"},
    "0.00",
    "100000.00"};

inline constexpr sdk::MoneyParameter kExemptionCapStorage{
    "exemption.cap.storage",
    "yuan",
    "150.00",
    {"遗体存放减免上限", "Cap of the storage item (3 days)"},
    "0.00",
    "100000.00"};

inline constexpr sdk::MoneyParameter kExemptionCapCremation{
    "exemption.cap.cremation",
    "yuan",
    "500.00",
    {"遗体火化减免上限", "Cap of the cremation item"},
    "0.00",
    "100000.00"};

inline constexpr sdk::MoneyParameter kExemptionCapAshStorage{
    "exemption.cap.ash_storage",
    "yuan",
    "300.00",
    {"骨灰寄存减免上限", "Cap of ash storage (3 years)"},
    "0.00",
    "100000.00"};

inline constexpr sdk::MoneyParameter kExemptionCapUrn{
    "exemption.cap.urn", "yuan", "200.00", {"骨灰盒减免上限", "Cap of the urn"}, "0.00",
    "100000.00"};

// --- Lookups by the codes the routes take (their schemas allow only these) --------------------

/// An exemption category (the codes decideExemption knows) with the flag that enables it, in
/// the order they are checked.
struct ExemptionFlag {
  const char* category;
  const sdk::BoolParameter* parameter;
};
inline constexpr ExemptionFlag kExemptionFlags[] = {
    {"tekun", &kExemptionTekun},
    {"dibao", &kExemptionDibao},
    {"veteran", &kExemptionVeteran},
    {"unidentified", &kExemptionUnidentified},
    {"all_residents", &kExemptionAllResidents},
};

/// The local area limit of a plot kind ("ashes", "body_single", "body_double").
inline const sdk::RatioParameter& plotMaxArea(const std::string& kind) {
  if (kind == "ashes") return kPlotMaxAreaAshes;
  if (kind == "body_single") return kPlotMaxAreaBodySingle;
  if (kind == "body_double") return kPlotMaxAreaBodyDouble;
  throw std::logic_error("no plot area limit for plot kind " + kind);
}

/// The cap of an exempted item ("collection", "storage", "cremation", "ash_storage", "urn").
inline const sdk::MoneyParameter& exemptionCap(const std::string& item) {
  if (item == "collection") return kExemptionCapCollection;
  if (item == "storage") return kExemptionCapStorage;
  if (item == "cremation") return kExemptionCapCremation;
  if (item == "ash_storage") return kExemptionCapAshStorage;
  if (item == "urn") return kExemptionCapUrn;
  throw std::logic_error("no exemption cap for item " + item);
}

}  // namespace civ::plugins::funeral
