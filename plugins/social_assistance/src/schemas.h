// The JSON schemas of social assistance: the codes it uses (programs, statuses ...) and every
// answer it gives, one function per entity, shared by the routes that return it (routes.cpp) and
// the events it publishes. They describe exactly what the JSON-building helpers write
// (householdJson, applicationJson, caseJson, summaryJson ...): objects are closed, so a field
// added there must be added here.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/localized_text.h>

namespace civ::plugins::social_assistance {

// Codes, with their labels.
/// dibao, dibao_edge, tekun, temporary, disability_*: codes with labels (the payment runs'
/// programmes) and as a schema.
std::vector<std::pair<std::string, sdk::LocalizedText>> programLabels();
nlohmann::json programSchema();
nlohmann::json medicalCategorySchema();  ///< the programs that open medical assistance
nlohmann::json categorySchema();         ///< urban, rural
nlohmann::json incomeStabilitySchema();
nlohmann::json relationshipSchema();
nlohmann::json workCapacitySchema();
nlohmann::json disabilityTypeSchema();
nlohmann::json incomeCategorySchema();
nlohmann::json incomeTreatmentSchema();
nlohmann::json propertyKindSchema();
nlohmann::json applicationStatusSchema();
nlohmann::json opinionSchema();  ///< recommend, not_recommend
nlohmann::json objectionResolutionSchema();
nlohmann::json decisionResultSchema();  ///< approve, refuse (the request)
nlohmann::json supportModeSchema();
nlohmann::json selfCareLevelSchema();
nlohmann::json temporaryKindSchema();
nlohmann::json dataCheckItemSchema();
nlohmann::json dataCheckResultSchema();

/// A program's Chinese name as its label reads ("dibao" → "最低生活保障").
std::string programLabel(const std::string& program);

// Values.
nlohmann::json recordNumberSchema();  ///< "DB610902-2026-000001"
nlohmann::json userSchema();          ///< a caller's user name
nlohmann::json bankAccountSchema();   ///< 8-30 digits

// Requests shared by several routes.
nlohmann::json memberInputSchema();  ///< one member as a clerk registers them

// Answers.
nlohmann::json householdSchema();  ///< a household with its members and cases
nlohmann::json memberSchema();
nlohmann::json caseSchema();
/// A case after a re-review, with the review's outcome and assessment.
nlohmann::json reviewedCaseSchema();
nlohmann::json caseAmountSchema();
/// The economic assessment of a household (HouseholdAssessment::toJson), with the month assessed
/// when `with_month`.
nlohmann::json assessmentSchema(bool with_month);
nlohmann::json applicationSchema();
/// An application after a decision: with the case it granted (`case_required`: always, as the
/// township approval; else only on an approval).
nlohmann::json decidedApplicationSchema(bool case_required);
nlohmann::json overdueSchema();
nlohmann::json noticeListSchema();
nlohmann::json tekunRecheckSchema();
nlohmann::json reviewsDueSchema();
nlohmann::json annualReviewSchema();
nlohmann::json itemCreatedSchema();   ///< an income or property item: its id and household
nlohmann::json incomeItemSchema();    ///< an income item as the household's file holds it
nlohmann::json propertyItemSchema();  ///< a property item as the household's file holds it
nlohmann::json paymentLineSchema();   ///< one line of a payment run (GET .../lines)
nlohmann::json importResultSchema();
nlohmann::json adjustmentSchema();
nlohmann::json medicalClaimSchema();
nlohmann::json coverageSchema();

/// The payload of assistance.granted / changed / terminated.
nlohmann::json casePayloadSchema();

}  // namespace civ::plugins::social_assistance
