// The policy parameters marriage reads, each declared once as a typed constant (policy.h):
// declared to the host in MarriagePlugin::declare and read only through the same constant.
#pragma once

#include <civ/sdk/policy.h>

namespace civ::plugins::marriage {

/// How many appointments one registry office takes per day (set by the county).
inline constexpr sdk::IntegerParameter kAppointmentDailyQuota{
    "appointment_daily_quota",
    "appointments/office/day",
    "40",
    {"每个登记处每日预约名额", "Appointments an office takes per day"},
    "1",
    "1000"};

}  // namespace civ::plugins::marriage
