// The State Council's published holiday schedules, for tests that count working days without a
// host (civhost reads the same schedules from config/calendar/<year>.yaml).
#pragma once

#include <civ/sdk/calendar.h>

namespace civ::sdk::testing {

/// 2025 (国办发明电〔2024〕12号) and 2026 (published 2025-11-04), holidays and make-up days.
CIV_SDK_TESTING_API WorkingDayCalendar publishedCalendar();

}  // namespace civ::sdk::testing
