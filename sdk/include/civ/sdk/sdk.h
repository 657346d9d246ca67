// The whole civ SDK in one include, for plugin sources that use most of it.
#pragma once

#include <civ/sdk/abi.h>
#include <civ/sdk/audit.h>
#include <civ/sdk/calendar.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/citizen_id.h>
#include <civ/sdk/clock.h>
#include <civ/sdk/context.h>
#include <civ/sdk/date.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/indicator.h>
#include <civ/sdk/kept_query.h>
#include <civ/sdk/migration.h>
#include <civ/sdk/money.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/plugin.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>
#include <civ/sdk/router.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/storage.h>
