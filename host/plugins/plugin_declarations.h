// What a plugin declared, copied into the host's own structs. Declarations cross the ABI one
// struct at a time, each carrying the struct_size it was compiled with; the host reads a field
// only when that size covers it, so a plugin built against an older SDK minor (with fewer
// fields appended) is read correctly and the fields it lacks keep their defaults.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <civ/sdk/declarations.h>
#include <civ/sdk/plugin.h>
#include <civ/sdk/router.h>

namespace civ::host {

struct PluginDeclarations {
  std::vector<sdk::Migration> migrations;
  std::vector<sdk::ParameterDeclaration> parameters;
  std::vector<sdk::IndicatorDeclaration> indicators;
  std::vector<sdk::EventDeclaration> events;
};

/// sizeof(RouteDeclaration) in SDK 1.0.0 (SdkGrowthTest checks it against the frozen headers).
inline constexpr std::size_t kRouteDeclarationSize10 = 176;

/// True when a declaration compiled with `declared.struct_size` bytes contains `member`. Sound
/// only because every appended field starts beyond the previous release's sizeof (asserted in
/// plugin_declarations.cpp), never in its tail padding.
template <class Declaration, class Member>
bool carries(const Declaration& declared, Member Declaration::*member) {
  const auto* base = reinterpret_cast<const unsigned char*>(&declared);
  const auto* field = reinterpret_cast<const unsigned char*>(&(declared.*member));
  return static_cast<std::size_t>(field - base) + sizeof(Member) <= declared.struct_size;
}

/// Reads `member` when the plugin's struct has it (copied from a const declaration, moved from
/// one handed over); otherwise `read` keeps the default.
template <class Declaration, class Declared, class Member>
void readIfCarried(Declaration& read, Declared&& declared, Member Declaration::*member) {
  if (carries(declared, member)) read.*member = std::forward<Declared>(declared).*member;
}

/// Checks the size a plugin sent: at least the first release's fields, at most ours (a plugin
/// newer than the host is refused by the ABI gate before it runs). Throws std::invalid_argument.
void checkStructSize(std::uint32_t struct_size, std::size_t first_release_size,
                     std::size_t host_size, const char* what);

sdk::RouteDeclaration readDeclaration(const sdk::RouteDeclaration& declared);
/// The same, moving the fields out of a declaration the plugin handed over (Router::adopt).
sdk::RouteDeclaration readDeclaration(sdk::RouteDeclaration&& declared);
sdk::ParameterDeclaration readDeclaration(const sdk::ParameterDeclaration& declared);
sdk::IndicatorDeclaration readDeclaration(const sdk::IndicatorDeclaration& declared);
sdk::EventDeclaration readDeclaration(const sdk::EventDeclaration& declared);

/// Calls plugin.declare() and returns everything it declared. Throws what declare() throws,
/// and std::invalid_argument for a declaration of impossible size.
PluginDeclarations collectDeclarations(const sdk::Plugin& plugin);

}  // namespace civ::host
