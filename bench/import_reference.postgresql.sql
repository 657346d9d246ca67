-- The import's reference on PostgreSQL: what a DBA would write by hand to load the same CSV into
-- the same tables (their indexes, checks and foreign keys) as POST /imports/households writes:
-- psql's \copy (COPY) into a temporary staging table, then one INSERT … SELECT per table, one
-- transaction. No validation (the module checks every cell first). bench/run fills in @CSV@,
-- @COUNTY@, @YEAR@ and runs it with psql on a freshly migrated database.
\set ON_ERROR_STOP 1
BEGIN;
CREATE TEMP TABLE staging (household_ref TEXT, category TEXT, township TEXT, village TEXT,
  hukou_address TEXT, residence_address TEXT, income_stability TEXT, bank_name TEXT,
  bank_account TEXT, citizen_id TEXT, name TEXT, relationship TEXT, lives_together TEXT,
  inclusion_reason TEXT, work_capacity TEXT, disability_grade TEXT, disability_type TEXT,
  serious_illness TEXT, student TEXT, needs_long_term_care TEXT, income_category TEXT,
  income_amount TEXT, income_period_from TEXT, income_period_to TEXT, row_no BIGSERIAL);
\copy staging (household_ref, category, township, village, hukou_address, residence_address, income_stability, bank_name, bank_account, citizen_id, name, relationship, lives_together, inclusion_reason, work_capacity, disability_grade, disability_type, serious_illness, student, needs_long_term_care, income_category, income_amount, income_period_from, income_period_to) FROM '@CSV@' CSV HEADER
CREATE TEMP TABLE households_in_file AS
  SELECT household_ref AS ref, MIN(row_no) AS first_row,
         row_number() OVER (ORDER BY MIN(row_no)) AS seq
  FROM staging GROUP BY household_ref;
INSERT INTO sa_households (county_code, number, category, township, village, hukou_address,
    residence_address, income_stability, bank_name, bank_account, created_on)
  SELECT '@COUNTY@', 'HH@COUNTY@-@YEAR@-' || lpad(f.seq::text, 6, '0'), s.category, s.township,
    s.village, s.hukou_address, s.residence_address,
    COALESCE(NULLIF(s.income_stability, ''), 'stable'), NULLIF(s.bank_name, ''),
    NULLIF(s.bank_account, ''), CURRENT_DATE::text
  FROM households_in_file f JOIN staging s ON s.row_no = f.first_row ORDER BY f.seq;
CREATE TEMP TABLE household_ids AS
  SELECT f.ref, h.id FROM households_in_file f
  JOIN sa_households h ON h.number = 'HH@COUNTY@-@YEAR@-' || lpad(f.seq::text, 6, '0');
INSERT INTO civ_persons (citizen_id, name, birth_date, sex, created_at, updated_at)
  SELECT citizen_id, name,
    substr(citizen_id, 7, 4) || '-' || substr(citizen_id, 11, 2) || '-' || substr(citizen_id, 13, 2),
    CASE substr(citizen_id, 17, 1)::int % 2 WHEN 1 THEN 'male' ELSE 'female' END,
    to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  FROM staging ORDER BY row_no;
INSERT INTO sa_members (household_id, person_id, relationship, lives_together, inclusion_reason,
    work_capacity, disability_grade, disability_type, serious_illness, student,
    needs_long_term_care, joined_on)
  SELECT h.id, p.id, s.relationship, (s.lives_together IN ('是', 'true', '1'))::int,
    s.inclusion_reason, s.work_capacity, NULLIF(s.disability_grade, '')::int,
    NULLIF(s.disability_type, ''), (s.serious_illness IN ('是', 'true', '1'))::int,
    (s.student IN ('是', 'true', '1'))::int, (s.needs_long_term_care IN ('是', 'true', '1'))::int,
    CURRENT_DATE::text
  FROM staging s JOIN household_ids h ON h.ref = s.household_ref
  JOIN civ_persons p ON p.citizen_id = s.citizen_id ORDER BY s.row_no;
INSERT INTO sa_income_items (household_id, person_id, category, treatment, amount_fen,
    period_from, period_to, description, recorded_on)
  SELECT h.id, p.id, s.income_category, 'counted', round(s.income_amount::numeric * 100)::bigint,
    s.income_period_from, s.income_period_to, 'import', CURRENT_DATE::text
  FROM staging s JOIN household_ids h ON h.ref = s.household_ref
  JOIN civ_persons p ON p.citizen_id = s.citizen_id
  WHERE s.income_amount <> '' ORDER BY s.row_no;
COMMIT;
