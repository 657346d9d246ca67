// What a plugin declares before it starts: schema steps, policy parameters, indicators and the
// events it publishes. The plugin hands each declaration to the host one at a time through this
// host-implemented registrar (Plugin::declare), never as a std::vector of structs: a vector's
// element size is fixed when the plugin is compiled, so a struct that gained a field in a later
// SDK minor could not be read from a vector built against an older one. One struct at a time,
// with its struct_size, can.
#pragma once

#include <civ/sdk/abi.h>
#include <civ/sdk/events.h>
#include <civ/sdk/indicator.h>
#include <civ/sdk/migration.h>
#include <civ/sdk/policy.h>

namespace civ::sdk {

/// Host-implemented; may grow by appended virtuals in a minor release. Called only from
/// Plugin::declare, which the host may call more than once (e.g. for `civhost check-config`
/// before any start).
class CIV_SDK_API Declarations {
 public:
  virtual ~Declarations();
  /// A schema step (migration.h). Steps are numbered from 1 and applied in order.
  virtual void migration(const Migration& step) = 0;
  /// A policy parameter (policy.h). Prefer the typed constants of policy.h: declare them with
  /// parameter(kConstant) and read them through the same constant.
  virtual void parameter(const ParameterDeclaration& parameter) = 0;
  template <ParameterType kType>
  void parameter(const Parameter<kType>& typed) {
    parameter(typed.declaration());
  }
  /// An indicator for the county reports (indicator.h).
  virtual void indicator(const IndicatorDeclaration& indicator) = 0;
  /// An event this plugin publishes, with its payload schema (events.h).
  virtual void event(const EventDeclaration& event) = 0;
};

}  // namespace civ::sdk
