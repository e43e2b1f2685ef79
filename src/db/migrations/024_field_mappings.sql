-- Custom field mapping (#16). Three parts:
--
-- crm_field_metadata: every field of each object as the CRM's metadata API describes it (label, our
-- type, options with labels, read-only, required, custom), per integration, replaced as a whole at a
-- full sync and by the refresh action. What mappings are chosen from and checked against.
CREATE TABLE crm_field_metadata (
  integration_id uuid NOT NULL REFERENCES crm_integrations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL DEFAULT pulse_current_user_id(),
  object text NOT NULL CHECK (object IN ('contacts', 'companies', 'deals')),
  name text NOT NULL,
  label text NOT NULL,
  type text NOT NULL,
  options jsonb,
  read_only boolean NOT NULL,
  required boolean NOT NULL,
  custom boolean NOT NULL,
  position integer NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (integration_id, object, name)
);
ALTER TABLE crm_field_metadata ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_field_metadata FORCE ROW LEVEL SECURITY;
CREATE POLICY crm_field_metadata_own ON crm_field_metadata TO pulse_app
  USING (user_id = pulse_current_user_id()) WITH CHECK (user_id = pulse_current_user_id());
CREATE POLICY crm_field_metadata_system ON crm_field_metadata TO pulse_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON crm_field_metadata TO pulse_app, pulse_system;

-- crm_field_mappings: a CRM field → a named Pulse field, per integration and object. The value lands
-- in the record's custom_fields under pulse_field, read as pulse_type; `options` maps an enumeration's
-- CRM values to what Pulse stores (the CRM's labels unless said otherwise). `direction` is
-- crm_to_pulse until two-way sync lands (the API refuses the others; the column is ready for them).
CREATE TABLE crm_field_mappings (
  integration_id uuid NOT NULL REFERENCES crm_integrations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL DEFAULT pulse_current_user_id(),
  object text NOT NULL CHECK (object IN ('contacts', 'companies', 'deals')),
  pulse_field text NOT NULL,
  crm_field text NOT NULL,
  pulse_type text NOT NULL,
  direction text NOT NULL DEFAULT 'crm_to_pulse' CHECK (direction IN ('crm_to_pulse', 'pulse_to_crm', 'both')),
  options jsonb,
  position integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (integration_id, object, pulse_field)
);
ALTER TABLE crm_field_mappings ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_field_mappings FORCE ROW LEVEL SECURITY;
CREATE POLICY crm_field_mappings_own ON crm_field_mappings TO pulse_app
  USING (user_id = pulse_current_user_id()) WITH CHECK (user_id = pulse_current_user_id());
CREATE POLICY crm_field_mappings_system ON crm_field_mappings TO pulse_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON crm_field_mappings TO pulse_app, pulse_system;

-- The mapped values, keyed by Pulse field name: one JSONB column rather than typed columns per
-- mapping, so a mapping is a row above, never DDL on a shared table (see src/sync/custom-fields.ts).
-- A constant default: adding the column rewrites no rows.
ALTER TABLE crm_contacts ADD COLUMN custom_fields jsonb NOT NULL DEFAULT '{}';
ALTER TABLE crm_companies ADD COLUMN custom_fields jsonb NOT NULL DEFAULT '{}';
ALTER TABLE crm_deals ADD COLUMN custom_fields jsonb NOT NULL DEFAULT '{}';

-- One mapped value from a raw CRM value, as src/sync/custom-fields.ts reads it at sync time (the same
-- rules: the two are checked against each other by test/db/field-mappings.test.ts). Used to re-derive
-- custom_fields from the stored properties when mappings change, in one UPDATE, without the CRM.
CREATE FUNCTION pulse_mapped_value(raw jsonb, pulse_type text, options jsonb) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  WITH s AS (
    SELECT CASE jsonb_typeof(raw)
      WHEN 'string' THEN nullif(raw #>> '{}', '')
      WHEN 'number' THEN raw #>> '{}'
      WHEN 'boolean' THEN raw #>> '{}'
      WHEN 'object' THEN raw ->> 'id'
    END AS v
  ), t AS (
    SELECT v,
      -- Instants: epoch milliseconds, or ISO 8601 (no offset: UTC); anything else is no value.
      CASE WHEN v ~ '^\d{1,15}$' THEN to_timestamp(v::bigint / 1000.0)
           WHEN v ~ '^\d{4}-\d\d-\d\d$' THEN (v::timestamp AT TIME ZONE 'UTC')
           WHEN v ~ '^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d(:?\d\d)?)$' THEN v::timestamptz
           WHEN v ~ '^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?$' THEN (v::timestamp AT TIME ZONE 'UTC')
      END AS at
    FROM s
  )
  SELECT CASE
    WHEN v IS NULL THEN NULL
    WHEN pulse_type IN ('number', 'currency') THEN
      CASE WHEN v ~ '^\s*[-+]?(\d{1,30}\.?\d{0,30}|\.\d{1,30})([eE][-+]?\d{1,2})?\s*$' THEN to_jsonb(v::float8) END
    WHEN pulse_type = 'boolean' THEN
      CASE WHEN lower(v) IN ('true', '1', 'yes') THEN 'true'::jsonb WHEN lower(v) IN ('false', '0', 'no') THEN 'false'::jsonb END
    WHEN pulse_type = 'date' THEN
      CASE WHEN v ~ '^\d{4}-\d\d-\d\d$' THEN to_jsonb(v) WHEN at IS NOT NULL THEN to_jsonb(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD')) END
    WHEN pulse_type = 'datetime' THEN
      CASE WHEN at IS NOT NULL THEN to_jsonb(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END
    WHEN pulse_type = 'enumeration' THEN to_jsonb(coalesce(options ->> v, v))
    ELSE to_jsonb(v)
  END
  FROM t
$$;
