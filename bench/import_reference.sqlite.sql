-- The import's reference on SQLite: what a DBA would write by hand to load the same CSV into the
-- same tables (their indexes, checks and foreign keys) as POST /imports/households writes:
-- sqlite3's .import into a staging table, then one INSERT … SELECT per table, one transaction.
-- No validation (the module checks every cell first). bench/run fills in @CSV@, @COUNTY@, @YEAR@
-- and runs it with the sqlite3 shell on a freshly migrated database.
PRAGMA foreign_keys=ON;
PRAGMA synchronous=FULL;
.mode csv
.import @CSV@ staging
BEGIN;
CREATE TEMP TABLE households_in_file (ref TEXT PRIMARY KEY, first_row INTEGER NOT NULL, id INTEGER);
INSERT INTO households_in_file (ref, first_row)
  SELECT household_ref, MIN(rowid) FROM staging GROUP BY household_ref ORDER BY 2;
INSERT INTO sa_households (county_code, number, category, township, village, hukou_address,
    residence_address, income_stability, bank_name, bank_account, created_on)
  SELECT '@COUNTY@', printf('HH@COUNTY@-@YEAR@-%06d', f.rowid), s.category, s.township, s.village,
    s.hukou_address, s.residence_address, COALESCE(NULLIF(s.income_stability, ''), 'stable'),
    NULLIF(s.bank_name, ''), NULLIF(s.bank_account, ''), date('now')
  FROM households_in_file f JOIN staging s ON s.rowid = f.first_row ORDER BY f.rowid;
UPDATE households_in_file SET id = (SELECT h.id FROM sa_households h
  WHERE h.number = printf('HH@COUNTY@-@YEAR@-%06d', households_in_file.rowid));
INSERT INTO civ_persons (citizen_id, name, birth_date, sex, created_at, updated_at)
  SELECT citizen_id, name,
    substr(citizen_id, 7, 4) || '-' || substr(citizen_id, 11, 2) || '-' || substr(citizen_id, 13, 2),
    CASE CAST(substr(citizen_id, 17, 1) AS INTEGER) % 2 WHEN 1 THEN 'male' ELSE 'female' END,
    strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
  FROM staging ORDER BY rowid;
INSERT INTO sa_members (household_id, person_id, relationship, lives_together, inclusion_reason,
    work_capacity, disability_grade, disability_type, serious_illness, student,
    needs_long_term_care, joined_on)
  SELECT f.id, p.id, s.relationship, s.lives_together IN ('是', 'true', '1'), s.inclusion_reason,
    s.work_capacity, CAST(NULLIF(s.disability_grade, '') AS INTEGER), NULLIF(s.disability_type, ''),
    s.serious_illness IN ('是', 'true', '1'), s.student IN ('是', 'true', '1'),
    s.needs_long_term_care IN ('是', 'true', '1'), date('now')
  FROM staging s JOIN households_in_file f ON f.ref = s.household_ref
  JOIN civ_persons p ON p.citizen_id = s.citizen_id ORDER BY s.rowid;
INSERT INTO sa_income_items (household_id, person_id, category, treatment, amount_fen,
    period_from, period_to, description, recorded_on)
  SELECT f.id, p.id, s.income_category, 'counted', CAST(round(s.income_amount * 100) AS INTEGER),
    s.income_period_from, s.income_period_to, 'import', date('now')
  FROM staging s JOIN households_in_file f ON f.ref = s.household_ref
  JOIN civ_persons p ON p.citizen_id = s.citizen_id
  WHERE s.income_amount <> '' ORDER BY s.rowid;
DROP TABLE staging;
COMMIT;
