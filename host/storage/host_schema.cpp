#include "host/storage/host_schema.h"

#include "host/storage/advisory_locks.h"
#include "host/storage/database.h"
#include "host/storage/migration_runner.h"

namespace civ::host {

std::vector<sdk::Migration> hostMigrations() {
  return {
      {1,
       "persons registry",
       {"CREATE TABLE civ_persons ("
        " id {{ID_PRIMARY_KEY}},"
        " citizen_id TEXT NOT NULL UNIQUE,"
        " name TEXT NOT NULL,"
        " birth_date TEXT NOT NULL,"
        " sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),"
        " death_date TEXT,"
        " created_at TEXT NOT NULL,"
        " updated_at TEXT NOT NULL)"},
       {}},
      {2,
       "audit trail and API tokens",
       {"CREATE TABLE civ_audit ("
        " id BIGINT PRIMARY KEY,"  // assigned in chain order, not by the database
        " at TEXT NOT NULL,"
        " user_name TEXT NOT NULL,"
        " role TEXT NOT NULL,"
        " county_code TEXT NOT NULL,"
        " module TEXT NOT NULL,"
        " action TEXT NOT NULL,"
        " entity_type TEXT NOT NULL,"
        " entity_id TEXT NOT NULL,"
        " summary TEXT NOT NULL,"
        " prev_hash TEXT NOT NULL,"
        " hash TEXT NOT NULL)",
        "CREATE INDEX civ_audit_county ON civ_audit (county_code, id)",
        "CREATE TABLE civ_tokens ("
        " id {{ID_PRIMARY_KEY}},"
        " token_hash TEXT NOT NULL UNIQUE,"
        " user_name TEXT NOT NULL,"
        " role TEXT NOT NULL,"
        " counties TEXT NOT NULL,"
        " modules TEXT NOT NULL,"
        " created_at TEXT NOT NULL,"
        " revoked_at TEXT)"},
       {}},
      {3,
       "policy values set through the admin API",
       {"CREATE TABLE civ_policy_values ("
        " id {{ID_PRIMARY_KEY}},"
        " full_key TEXT NOT NULL,"
        " level TEXT NOT NULL,"
        " effective_from TEXT NOT NULL,"
        " value TEXT NOT NULL,"
        " set_by TEXT NOT NULL,"
        " set_at TEXT NOT NULL,"
        " reason TEXT NOT NULL,"
        " UNIQUE (full_key, level, effective_from))"},
       {}},
      {4,
       "event outbox and deliveries",
       {"CREATE TABLE civ_outbox ("
        " id {{ID_PRIMARY_KEY}},"
        " name TEXT NOT NULL,"
        " county_code TEXT NOT NULL,"
        " payload TEXT NOT NULL,"
        " published_by TEXT NOT NULL,"
        " published_at TEXT NOT NULL)",
        "CREATE INDEX civ_outbox_name ON civ_outbox (name, id)",
        "CREATE TABLE civ_deliveries ("
        " event_id BIGINT NOT NULL REFERENCES civ_outbox(id),"
        " subscriber TEXT NOT NULL,"
        " delivered_at TEXT NOT NULL,"
        " PRIMARY KEY (event_id, subscriber))",
        "CREATE TABLE civ_delivery_failures ("
        " event_id BIGINT NOT NULL REFERENCES civ_outbox(id),"
        " subscriber TEXT NOT NULL,"
        " attempts INTEGER NOT NULL,"
        " last_error TEXT NOT NULL,"
        " next_attempt_at TEXT NOT NULL,"
        " PRIMARY KEY (event_id, subscriber))"},
       {}},
      {5,
       "users as records, township scopes, the cause of every change",
       {// A user's identity is unique without regard to case: "Clerk1" and "clerk1" are one.
        "CREATE TABLE civ_users ("
        " id {{ID_PRIMARY_KEY}},"
        " name TEXT NOT NULL,"
        " name_key TEXT NOT NULL UNIQUE,"
        " full_name TEXT NOT NULL DEFAULT '',"
        " created_at TEXT NOT NULL,"
        " disabled_at TEXT)",
        "INSERT INTO civ_users (name, name_key, created_at)"
        " SELECT MIN(user_name), LOWER(user_name), MIN(created_at) FROM civ_tokens"
        " GROUP BY LOWER(user_name)",
        "ALTER TABLE civ_tokens ADD COLUMN user_id BIGINT REFERENCES civ_users(id)",
        "CREATE INDEX civ_tokens_user ON civ_tokens (user_id)",
        "UPDATE civ_tokens SET user_id = (SELECT u.id FROM civ_users u"
        " WHERE u.name_key = LOWER(civ_tokens.user_name))",
        "UPDATE civ_tokens SET user_name = (SELECT u.name FROM civ_users u"
        " WHERE u.id = civ_tokens.user_id)",
        "ALTER TABLE civ_tokens ADD COLUMN townships TEXT NOT NULL DEFAULT ''",
        // Who and which request published an event, so what its handlers change is audited
        // with its cause; the request id on every audit row ties the two together.
        "ALTER TABLE civ_outbox ADD COLUMN caused_by TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE civ_outbox ADD COLUMN request_id TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE civ_audit ADD COLUMN request_id TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE civ_audit ADD COLUMN cause TEXT NOT NULL DEFAULT ''"},
       {}},
      {6,
       "security events and token expiry",
       {// Every refused request (401, 403), kept for the auditor: who, with which token, what
        // they asked and why it was refused. Append-only, like the audit trail.
        "CREATE TABLE civ_security_events ("
        " id {{ID_PRIMARY_KEY}},"
        " at TEXT NOT NULL,"
        " county_code TEXT NOT NULL,"
        " status INTEGER NOT NULL,"
        " user_name TEXT NOT NULL,"
        " token_id BIGINT,"
        " method TEXT NOT NULL,"
        " path TEXT NOT NULL,"
        " reason TEXT NOT NULL)",
        "CREATE INDEX civ_security_events_county ON civ_security_events (county_code, id)",
        // Tokens issued before this migration keep no expiry (reissue them); new ones expire.
        "ALTER TABLE civ_tokens ADD COLUMN expires_at TEXT"},
       {}},
      {7,
       "future policy values can be withdrawn or replaced; money changes wait for a second admin",
       {// A value withdrawn before its date is kept, marked; only one value that is not withdrawn
        // may stand at a key, level and date (the table is rebuilt: SQLite cannot drop a
        // constraint, and both engines take this form).
        "CREATE TABLE civ_policy_values_v7 ("
        " id {{ID_PRIMARY_KEY}},"
        " full_key TEXT NOT NULL,"
        " level TEXT NOT NULL,"
        " effective_from TEXT NOT NULL,"
        " value TEXT NOT NULL,"
        " set_by TEXT NOT NULL,"
        " set_at TEXT NOT NULL,"
        " reason TEXT NOT NULL,"
        " withdrawn_at TEXT,"
        " withdrawn_by TEXT,"
        " withdrawal_reason TEXT)",
        "INSERT INTO civ_policy_values_v7 (id, full_key, level, effective_from, value, set_by,"
        " set_at, reason) SELECT id, full_key, level, effective_from, value, set_by, set_at,"
        " reason FROM civ_policy_values",
        "DROP TABLE civ_policy_values",
        "ALTER TABLE civ_policy_values_v7 RENAME TO civ_policy_values",
        "CREATE UNIQUE INDEX civ_policy_values_standing ON civ_policy_values"
        " (full_key, level, effective_from) WHERE withdrawn_at IS NULL",
        // A withdrawal or replacement of a future value, applied at once or, for a money value,
        // when a second administrator confirms it.
        "CREATE TABLE civ_policy_changes ("
        " id {{ID_PRIMARY_KEY}},"
        " action TEXT NOT NULL,"
        " full_key TEXT NOT NULL,"
        " level TEXT NOT NULL,"
        " effective_from TEXT NOT NULL,"
        " value TEXT,"
        " reason TEXT NOT NULL,"
        " proposed_by TEXT NOT NULL,"
        " proposed_at TEXT NOT NULL,"
        " status TEXT NOT NULL,"
        " decided_by TEXT,"
        " decided_at TEXT)"},
       // PostgreSQL drops the constraint in place (a rebuilt table would restart its identity).
       {"ALTER TABLE civ_policy_values ADD COLUMN withdrawn_at TEXT",
        "ALTER TABLE civ_policy_values ADD COLUMN withdrawn_by TEXT",
        "ALTER TABLE civ_policy_values ADD COLUMN withdrawal_reason TEXT",
        "ALTER TABLE civ_policy_values DROP CONSTRAINT"
        " civ_policy_values_full_key_level_effective_from_key",
        "CREATE UNIQUE INDEX civ_policy_values_standing ON civ_policy_values"
        " (full_key, level, effective_from) WHERE withdrawn_at IS NULL",
        "CREATE TABLE civ_policy_changes ("
        " id {{ID_PRIMARY_KEY}},"
        " action TEXT NOT NULL,"
        " full_key TEXT NOT NULL,"
        " level TEXT NOT NULL,"
        " effective_from TEXT NOT NULL,"
        " value TEXT,"
        " reason TEXT NOT NULL,"
        " proposed_by TEXT NOT NULL,"
        " proposed_at TEXT NOT NULL,"
        " status TEXT NOT NULL,"
        " decided_by TEXT,"
        " decided_at TEXT)"}},
      {8,
       "accounts people sign in to the console with, and their sessions",
       {// One account per user who signs in with a password: their grant (as a token's) and the
        // Argon2id hash; the last hashes are kept to refuse reuse. Times for the lock-out are
        // seconds since the epoch (compared, never shown); the rest ISO text.
        "CREATE TABLE civ_accounts ("
        " user_id BIGINT PRIMARY KEY REFERENCES civ_users(id),"
        " role TEXT NOT NULL,"
        " counties TEXT NOT NULL,"
        " townships TEXT NOT NULL,"
        " modules TEXT NOT NULL,"
        " password_hash TEXT NOT NULL,"
        " password_history TEXT NOT NULL,"
        " password_set_at TEXT NOT NULL,"
        " must_change_password INTEGER NOT NULL,"
        " failed_sign_ins INTEGER NOT NULL,"
        " locked_until_epoch BIGINT)",
        // A signed-in browser: only the hash of the cookie's value is stored, with the CSRF
        // token the browser sends back on every write.
        "CREATE TABLE civ_sessions ("
        " id {{ID_PRIMARY_KEY}},"
        " token_hash TEXT NOT NULL UNIQUE,"
        " user_id BIGINT NOT NULL REFERENCES civ_users(id),"
        " csrf_token TEXT NOT NULL,"
        " created_at TEXT NOT NULL,"
        " last_seen_epoch BIGINT NOT NULL,"
        " expires_epoch BIGINT NOT NULL,"
        " ended_at TEXT,"
        " end_reason TEXT)",
        "CREATE INDEX civ_sessions_user ON civ_sessions (user_id)"},
       {}},
      {9,
       "the year's assessment plans (年度工作考核) and their scorings",
       {"CREATE TABLE civ_assessment_plans ("
        " id {{ID_PRIMARY_KEY}},"
        " county_code TEXT NOT NULL,"
        " year BIGINT NOT NULL,"
        " title TEXT NOT NULL,"
        " bonus_cap BIGINT NOT NULL,"
        " deduction_cap BIGINT NOT NULL,"
        " created_by TEXT NOT NULL,"
        " created_at TEXT NOT NULL,"
        " UNIQUE (county_code, year))",
        // Points in hundredths; a target in the indicator's own unit (fen, ‰, persons).
        "CREATE TABLE civ_assessment_items ("
        " id {{ID_PRIMARY_KEY}},"
        " plan_id BIGINT NOT NULL REFERENCES civ_assessment_plans(id),"
        " position BIGINT NOT NULL,"
        " kind TEXT NOT NULL CHECK (kind IN ('work', 'bonus', 'deduction')),"
        " title TEXT NOT NULL,"
        " responsible_unit TEXT NOT NULL,"
        " points BIGINT NOT NULL,"
        " method TEXT NOT NULL CHECK (method IN ('indicator', 'manual')),"
        " indicator TEXT,"
        " formula TEXT,"
        " target BIGINT,"
        " mid_year_percent BIGINT NOT NULL,"
        " per_unit BIGINT)",
        "CREATE INDEX civ_assessment_items_plan ON civ_assessment_items (plan_id)",
        "CREATE TABLE civ_assessment_entries ("
        " item_id BIGINT NOT NULL REFERENCES civ_assessment_items(id),"
        " stage TEXT NOT NULL,"
        " points BIGINT NOT NULL,"
        " evidence TEXT NOT NULL,"
        " entered_by TEXT NOT NULL,"
        " entered_at TEXT NOT NULL,"
        " PRIMARY KEY (item_id, stage))",
        // `result` keeps the lines as they were scored: a confirmed scoring never changes.
        "CREATE TABLE civ_assessment_scorings ("
        " id {{ID_PRIMARY_KEY}},"
        " plan_id BIGINT NOT NULL REFERENCES civ_assessment_plans(id),"
        " stage TEXT NOT NULL CHECK (stage IN ('mid_year', 'year_end')),"
        " status TEXT NOT NULL CHECK (status IN ('prepared', 'confirmed')),"
        " total BIGINT NOT NULL,"
        " result TEXT NOT NULL,"
        " prepared_by TEXT NOT NULL,"
        " prepared_at TEXT NOT NULL,"
        " confirmed_by TEXT,"
        " confirmed_at TEXT,"
        " UNIQUE (plan_id, stage))"},
       {}},
      {10,
       "the audit chain records each row's hash algorithm (sha256 or sm3)",
       // NULL: a row written before, hashed with SHA-256.
       {"ALTER TABLE civ_audit ADD COLUMN hash_algorithm TEXT"},
       {}},
      {11,
       "PostgreSQL: the audit chain's lock and head in one round trip",
       // Nothing on SQLite (its write lock is the chain's lock). On PostgreSQL every write took
       // the chain's advisory lock, then read the head: two round trips while holding a lock
       // that every other write waits for until this one commits. The function's query takes
       // a snapshot of its own after the lock (a VOLATILE function's statements do), so it
       // sees the head the previous holder committed. OR REPLACE: a backup from before this step
       // restored with --clean over a migrated database leaves the function behind.
       {},
       {"CREATE OR REPLACE FUNCTION civ_audit_chain_head() RETURNS TABLE (head_id BIGINT, "
        "head_hash TEXT)"
        " LANGUAGE plpgsql VOLATILE AS $$ BEGIN PERFORM pg_advisory_xact_lock(" +
        std::to_string(advisory_lock::kAuditChain) +
        "); RETURN QUERY SELECT a.id, a.hash FROM civ_audit a ORDER BY a.id DESC LIMIT 1; END $$"}},
  };
}

void applyHostSchema(Database& database) {
  PooledSession lease(database);
  MigrationRunner runner(lease.session(), database.dialect());
  runner.ensureSchemaTable();
  runner.apply("civ", hostMigrations());
  database.acceptUnsynced(lease.session());  // migrations commit unsynced (migration_runner.cpp)
}

}  // namespace civ::host
