// What the host gives a plugin at start(): its router, storage, policy reader, persons
// registry, calendar, clock, logger, events and the program-coverage directory.
#pragma once

#include <memory>
#include <string_view>

#include <civ/sdk/abi.h>

namespace spdlog {
class logger;
}

namespace civ::sdk {

class Clock;
class CoverageDirectory;
class EventBus;
class PersonsRegistry;
class PolicyReader;
class Router;
class Storage;
class WorkingDayCalendar;

/// Host-implemented; may grow by appended virtuals in a minor release.
///
/// OWNERSHIP: the host owns the Context and everything it returns; all of it stays valid from
/// start() until stop() returns. Keep references, not copies.
class CIV_SDK_API Context {
 public:
  virtual ~Context();

  /// The plugin's id, as in its manifest.
  virtual std::string_view pluginId() const = 0;
  virtual Router& router() = 0;
  virtual Storage& storage() = 0;
  /// Reads this plugin's declared parameters (keys without the plugin prefix).
  virtual const PolicyReader& policy() const = 0;
  virtual PersonsRegistry& persons() = 0;
  virtual const WorkingDayCalendar& calendar() const = 0;
  virtual const Clock& clock() const = 0;
  /// A logger named after the plugin, on the host's shared spdlog. Citizen IDs in messages are
  /// masked by the host's sinks. Do not register sinks or replace the default logger.
  virtual std::shared_ptr<spdlog::logger> logger() const = 0;
  /// Publishing and subscribing to domain events.
  virtual EventBus& events() = 0;
  /// Asking and answering which assistance programs cover a person on a date (coverage.h).
  virtual CoverageDirectory& coverage() = 0;
  /// A host service added to the SDK after 1.0, by its interface id ("civ.Divisions/1"), or
  /// nullptr when this host does not offer it. Prefer find<T>(), which reads T::kInterfaceId.
  virtual void* capability(std::string_view interface_id) = 0;

  template <class Interface>
  Interface* find() {
    return static_cast<Interface*>(capability(Interface::kInterfaceId));
  }
};

}  // namespace civ::sdk
