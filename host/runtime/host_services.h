// The services civhost shares with every plugin, built once per process.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <civ/sdk/calendar.h>
#include <civ/sdk/indicator.h>

#include "host/audit/audit_log.h"
#include "host/coverage/coverage_hub.h"
#include "host/divisions/division_broker.h"
#include "host/events/event_hub.h"
#include "host/persons/sql_persons_registry.h"
#include "host/policy/policy_store.h"
#include "host/reports/indicator_report.h"
#include "host/reports/report_parameters.h"
#include "host/routing/route_table.h"
#include "host/runtime/system_clock.h"
#include "host/storage/database.h"
#include "host/storage/host_storage.h"
#include "host/storage/storage_fault.h"

namespace civ::host {

struct HostServices {
  HostServices(std::unique_ptr<Database> db, sdk::WorkingDayCalendar working_days)
      : database(std::move(db)),
        storage(*database),
        audit(storage),
        persons(clock, storage),
        calendar(std::move(working_days)),
        events(*database, storage, audit, clock),
        divisions(coverage) {
    declareReportParameters(policy);
  }

  std::unique_ptr<Database> database;
  HostStorage storage;
  /// The audit chain's statements of every request and event delivery, kept prepared.
  AuditStatements audit;
  SystemClock clock;
  SqlPersonsRegistry persons;
  PolicyStore policy;
  sdk::WorkingDayCalendar calendar;
  RouteTable routes;
  /// Written while plugins start (one thread), read by request threads afterwards.
  std::vector<IndicatorEntry> indicators;
  EventHub events;
  CoverageHub coverage;
  /// Today's divisions, answered by the module that keeps their history (sdk::Divisions).
  DivisionBroker divisions;
  /// Whether writes are failing (a full disk, an I/O error): /healthz reports it.
  StorageHealth storage_health;
};

}  // namespace civ::host
