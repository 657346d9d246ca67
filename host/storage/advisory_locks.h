// The PostgreSQL advisory lock keys civhost takes, in one place so two uses never share a key
// (the persons registry once took the audit chain's and deadlocked with it).
#pragma once

namespace civ::host::advisory_lock {

/// Held while one host applies migrations (several hosts may start at once).
constexpr long long kMigrations = 7310342;
/// Held from reading the audit chain's head to appending after it (taken inside the
/// civ_audit_chain_head() function of host migration 11, which then reads the head).
constexpr long long kAuditChain = 7310343;
/// Exclusive for a bulk registration of persons, shared for a single one.
constexpr long long kPersonsRegistration = 7310344;

}  // namespace civ::host::advisory_lock
