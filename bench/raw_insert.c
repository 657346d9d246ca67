/* The HTTP write benchmark's reference: the rows one "create an application" request writes
 * (the yearly application number, the application, its first dated transition, an audit row
 * chained to the previous one), written by a minimal C program straight into the same database,
 * one transaction per application as the request does, with civhost's SQLite settings. No
 * validation, no HTTP, no JSON: what the platform adds on top is the difference.
 *
 *   civ-raw-insert sqlite FILE FIRST_HOUSEHOLD COUNT
 *   civ-raw-insert postgresql CONNINFO FIRST_HOUSEHOLD COUNT
 * Applies to households FIRST_HOUSEHOLD .. FIRST_HOUSEHOLD+COUNT-1 (their first member is the
 * applicant); prints "raw: inserts=N seconds=S per_second=R". */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char* what, const char* detail) {
  fprintf(stderr, "civ-raw-insert: %s: %s\n", what, detail);
  exit(1);
}

/* ---- SQLite ------------------------------------------------------------------------------- */

static sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK) die(sql, sqlite3_errmsg(db));
  return statement;
}

static void step_done(sqlite3* db, sqlite3_stmt* statement) {
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) die("step", sqlite3_errmsg(db));
  sqlite3_reset(statement);
}

static void exec(sqlite3* db, const char* sql) {
  char* error = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) die(sql, error);
}

static void run_sqlite(const char* file, long first, long count) {
  sqlite3* db;
  if (sqlite3_open(file, &db) != SQLITE_OK) die(file, sqlite3_errmsg(db));
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db, "PRAGMA synchronous=FULL");
  exec(db, "PRAGMA foreign_keys=ON");
  exec(db, "PRAGMA busy_timeout=10000");
  sqlite3_stmt* begin = prepare(db, "BEGIN IMMEDIATE");
  sqlite3_stmt* commit = prepare(db, "COMMIT");
  sqlite3_stmt* counter = prepare(
      db,
      "INSERT INTO sa_counters (county_code, kind, year, last_value) VALUES ('610902', 'AD',"
      " 2026, 1) ON CONFLICT (county_code, kind, year) DO UPDATE SET last_value ="
      " sa_counters.last_value + 1 RETURNING last_value");
  sqlite3_stmt* applicant =
      prepare(db, "SELECT MIN(person_id) FROM sa_members WHERE household_id = ?");
  sqlite3_stmt* application = prepare(
      db,
      "INSERT INTO sa_applications (county_code, number, household_id, applicant_person_id,"
      " person_id, program, status, received_on, accepted_on, submitted_by, missing_documents,"
      " extended) VALUES ('610902', ?, ?, ?, NULL, 'dibao', 'accepted', '2026-11-23',"
      " '2026-11-23', 'bench-raw', '[]', 0) RETURNING id");
  sqlite3_stmt* transition = prepare(
      db,
      "INSERT INTO sa_transitions (application_id, from_status, to_status, on_date, by_user,"
      " note) VALUES (?, NULL, 'accepted', '2026-11-23', 'bench-raw', 'materials complete')");
  sqlite3_stmt* head = prepare(db, "SELECT id, hash FROM civ_audit ORDER BY id DESC LIMIT 1");
  sqlite3_stmt* audit = prepare(
      db,
      "INSERT INTO civ_audit (id, at, user_name, role, county_code, module, action,"
      " entity_type, entity_id, summary, prev_hash, hash) VALUES (?, '2026-11-23T10:00:00+08:00',"
      " 'bench-raw', 'clerk', '610902', 'social_assistance', 'application.submit',"
      " 'application', ?, '{\"number\":{\"new\":\"x\"}}', ?, ?)");
  const double started = now_seconds();
  for (long i = 0; i < count; ++i) {
    step_done(db, begin);
    if (sqlite3_step(counter) != SQLITE_ROW) die("counter", sqlite3_errmsg(db));
    const long long sequence = sqlite3_column_int64(counter, 0);
    sqlite3_reset(counter);
    char number[64];
    snprintf(number, sizeof number, "AD610902-2026-%06lld", sequence);
    sqlite3_bind_int64(applicant, 1, first + i);
    if (sqlite3_step(applicant) != SQLITE_ROW) die("applicant", sqlite3_errmsg(db));
    const long long person = sqlite3_column_int64(applicant, 0);
    sqlite3_reset(applicant);
    sqlite3_bind_text(application, 1, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(application, 2, first + i);
    sqlite3_bind_int64(application, 3, person);
    if (sqlite3_step(application) != SQLITE_ROW) die("application", sqlite3_errmsg(db));
    const long long id = sqlite3_column_int64(application, 0);
    sqlite3_reset(application);
    sqlite3_bind_int64(transition, 1, id);
    step_done(db, transition);
    long long audit_id = 1;
    char previous[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    if (sqlite3_step(head) == SQLITE_ROW) {
      audit_id = sqlite3_column_int64(head, 0) + 1;
      snprintf(previous, sizeof previous, "%s", (const char*)sqlite3_column_text(head, 1));
    }
    sqlite3_reset(head);
    char entity[32], hash[65];
    snprintf(entity, sizeof entity, "%lld", id);
    snprintf(hash, sizeof hash, "%064lld", audit_id);
    sqlite3_bind_int64(audit, 1, audit_id);
    sqlite3_bind_text(audit, 2, entity, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(audit, 3, previous, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(audit, 4, hash, -1, SQLITE_TRANSIENT);
    step_done(db, audit);
    step_done(db, commit);
  }
  const double seconds = now_seconds() - started;
  printf("raw: inserts=%ld seconds=%.3f per_second=%.1f\n", count, seconds, count / seconds);
  sqlite3_close(db);
}

/* ---- PostgreSQL --------------------------------------------------------------------------- */

static PGresult* pg(PGconn* db, const char* sql, int n, const char* const* values,
                    ExecStatusType want) {
  PGresult* result = PQexecParams(db, sql, n, NULL, values, NULL, NULL, 0);
  if (PQresultStatus(result) != want) die(sql, PQerrorMessage(db));
  return result;
}

static void run_postgresql(const char* conninfo, long first, long count) {
  PGconn* db = PQconnectdb(conninfo);
  if (PQstatus(db) != CONNECTION_OK) die(conninfo, PQerrorMessage(db));
  const double started = now_seconds();
  for (long i = 0; i < count; ++i) {
    PQclear(pg(db, "BEGIN", 0, NULL, PGRES_COMMAND_OK));
    PGresult* r = pg(db,
                     "INSERT INTO sa_counters (county_code, kind, year, last_value) VALUES"
                     " ('610902', 'AD', 2026, 1) ON CONFLICT (county_code, kind, year) DO UPDATE"
                     " SET last_value = sa_counters.last_value + 1 RETURNING last_value",
                     0, NULL, PGRES_TUPLES_OK);
    char number[64], household[32];
    snprintf(number, sizeof number, "AD610902-2026-%06lld", atoll(PQgetvalue(r, 0, 0)));
    PQclear(r);
    snprintf(household, sizeof household, "%ld", first + i);
    const char* h[] = {household};
    r = pg(db, "SELECT MIN(person_id) FROM sa_members WHERE household_id = $1", 1, h,
           PGRES_TUPLES_OK);
    char person[32];
    snprintf(person, sizeof person, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    const char* a[] = {number, household, person};
    r = pg(db,
           "INSERT INTO sa_applications (county_code, number, household_id,"
           " applicant_person_id, person_id, program, status, received_on, accepted_on,"
           " submitted_by, missing_documents, extended) VALUES ('610902', $1, $2, $3, NULL,"
           " 'dibao', 'accepted', '2026-11-23', '2026-11-23', 'bench-raw', '[]', 0) RETURNING id",
           3, a, PGRES_TUPLES_OK);
    char id[32];
    snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    const char* t[] = {id};
    PQclear(pg(db,
               "INSERT INTO sa_transitions (application_id, from_status, to_status, on_date,"
               " by_user, note) VALUES ($1, NULL, 'accepted', '2026-11-23', 'bench-raw',"
               " 'materials complete')",
               1, t, PGRES_COMMAND_OK));
    /* The chain's order across hosts: one writer at a time, as the host does. */
    PQclear(pg(db, "SELECT pg_advisory_xact_lock(7310343)", 0, NULL, PGRES_TUPLES_OK));
    r = pg(db, "SELECT id, hash FROM civ_audit ORDER BY id DESC LIMIT 1", 0, NULL, PGRES_TUPLES_OK);
    long long audit_id = 1;
    char previous[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    if (PQntuples(r) == 1) {
      audit_id = atoll(PQgetvalue(r, 0, 0)) + 1;
      snprintf(previous, sizeof previous, "%s", PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    char audit_text[32], hash[65];
    snprintf(audit_text, sizeof audit_text, "%lld", audit_id);
    snprintf(hash, sizeof hash, "%064lld", audit_id);
    const char* u[] = {audit_text, id, previous, hash};
    PQclear(pg(db,
               "INSERT INTO civ_audit (id, at, user_name, role, county_code, module, action,"
               " entity_type, entity_id, summary, prev_hash, hash) VALUES ($1,"
               " '2026-11-23T10:00:00+08:00', 'bench-raw', 'clerk', '610902',"
               " 'social_assistance', 'application.submit', 'application', $2,"
               " '{\"number\":{\"new\":\"x\"}}', $3, $4)",
               4, u, PGRES_COMMAND_OK));
    PQclear(pg(db, "COMMIT", 0, NULL, PGRES_COMMAND_OK));
  }
  const double seconds = now_seconds() - started;
  printf("raw: inserts=%ld seconds=%.3f per_second=%.1f\n", count, seconds, count / seconds);
  PQfinish(db);
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: civ-raw-insert sqlite|postgresql DATABASE FIRST_HOUSEHOLD COUNT\n");
    return 2;
  }
  const long first = atol(argv[3]), count = atol(argv[4]);
  if (strcmp(argv[1], "sqlite") == 0)
    run_sqlite(argv[2], first, count);
  else
    run_postgresql(argv[2], first, count);
  return 0;
}
